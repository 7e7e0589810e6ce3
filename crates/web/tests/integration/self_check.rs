//! The self-check over the API and the pages, on SQLite and PostgreSQL:
//! a client builds a valid submission from the questionnaire alone, bad
//! answers get field errors, results stay with their owner, and a
//! visitor's answers follow them into their account.

use crate::common;

use common::{PASSWORD, TestApp, location};
use reqwest::StatusCode;
use serde_json::{Map, Value, json};

/// A complete submission built only from what the questionnaire says:
/// the first option of every required choice, the middle of every Likert
/// scale, and an even split of every allocation.
fn answers_from(questionnaire: &Value) -> Map<String, Value> {
    let mut answers = Map::new();
    for item in questionnaire["items"].as_array().unwrap() {
        if !item["required"].as_bool().unwrap() {
            continue;
        }
        let id = item["id"].as_str().unwrap().to_owned();
        let value = match item["type"].as_str().unwrap() {
            "single" => item["options"][0]["value"].clone(),
            "likert" => json!((item["min"].as_i64().unwrap() + item["max"].as_i64().unwrap()) / 2),
            "multi" => json!([]),
            "allocation" => Value::Object(
                item["keys"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| (k.as_str().unwrap().to_owned(), json!(20)))
                    .collect(),
            ),
            other => panic!("unknown item type {other}"),
        };
        answers.insert(id, value);
    }
    answers
}

async fn questionnaire(app: &TestApp, language: &str) -> Value {
    let response = app
        .api()
        .get(app.url("/api/v1/self-check/questionnaire"))
        .header("accept-language", language)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn submit(
    app: &TestApp,
    token: Option<&str>,
    answers: &Map<String, Value>,
) -> (StatusCode, Value) {
    let mut request = app
        .api()
        .post(app.url("/api/v1/self-check/results"))
        .header("accept-language", "ja")
        .json(&json!({ "answers": answers }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

tsunagari_store::backend_tests! {
    async fn the_questionnaire_describes_every_item(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let ja = questionnaire(&app, "ja").await;
        let en = questionnaire(&app, "en").await;
        let items = ja["items"].as_array().unwrap();
        let sections: Vec<&str> = ja["sections"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(sections, ["about", "actions", "time", "adaptability", "support"]);
        assert_eq!(items.iter().filter(|i| i["section"] == "actions").count(), 17);
        for item in items {
            let kind = item["type"].as_str().unwrap();
            assert!(["single", "multi", "likert", "allocation"].contains(&kind), "{item}");
            assert!(!item["label"].as_str().unwrap().is_empty());
            assert!(!item["label"].as_str().unwrap().starts_with("sc-"), "untranslated label: {item}");
            match kind {
                "single" | "multi" => assert!(!item["options"].as_array().unwrap().is_empty(), "{item}"),
                "likert" => assert_eq!((item["min"].as_i64(), item["max"].as_i64()), (Some(1), Some(5))),
                _ => assert_eq!(item["keys"], json!(["family", "work", "learning", "community", "personal"])),
            }
        }
        let job = |q: &Value| q["items"].as_array().unwrap().iter().find(|i| i["id"] == "job_change").unwrap()["label"].clone();
        assert_eq!(job(&ja), "転職");
        assert_eq!(job(&en), "Changing jobs");

        // What a client builds from it alone is accepted.
        let (status, result) = submit(&app, None, &answers_from(&ja)).await;
        assert_eq!(status, StatusCode::OK, "{result}");
        assert_eq!(result["id"], Value::Null, "a visitor's result is not kept");
        app.stop().await;
    }

    async fn invalid_answers_get_field_errors(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let q = questionnaire(&app, "ja").await;
        let good = answers_from(&q);

        let mut off = good.clone();
        off.insert("allocation_wished".into(), json!({"family": 20, "work": 20, "learning": 20, "community": 20, "personal": 10}));
        off.remove("fc1");
        off.insert("sd2".into(), json!(9));
        off.insert("support_consult".into(), json!(["employer", "spaceship"]));
        let (status, body) = submit(&app, None, &off).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let fields = &body["error"]["fields"];
        assert!(fields["allocation_wished"][0].as_str().unwrap().contains("100"), "{body}");
        assert!(fields["fc1"][0].is_string(), "a missing required answer: {body}");
        assert!(fields["sd2"][0].is_string(), "out of the scale: {body}");
        assert!(fields["support_consult"][0].is_string(), "an unknown option: {body}");

        let mut unknown = good.clone();
        unknown.insert("favourite_colour".into(), json!("blue"));
        let (status, body) = submit(&app, None, &unknown).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["answers"][0].is_string(), "{body}");

        let mut misshapen = good;
        misshapen.insert("fc2".into(), json!(true));
        let (status, body) = submit(&app, None, &misshapen).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["fc2"][0].is_string(), "{body}");
        app.stop().await;
    }

    async fn results_are_scored_recommended_and_private(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        // As after `tsunagari migrate`: the shipped public-scheme catalogue.
        tsunagari_app::PublicSchemes::new(app.store.clone()).load_shipped().await.unwrap();
        let (_, organiser) = common::api_account(&app, "organiser@example.jp", "運営 一郎").await;
        let (_, aoi) = common::api_account(&app, "aoi@example.jp", "佐藤 葵").await;
        let (_, ren) = common::api_account(&app, "ren@example.jp", "高橋 蓮").await;
        let created: Value = app.api().post(app.url("/api/v1/communities")).bearer_auth(&organiser)
            .json(&json!({"kind": "professional", "name": "介護のみらい対話カフェ", "description": "介護職の対話の場", "tags": ["介護", "福祉"], "prefecture": "13"}))
            .send().await.unwrap().json().await.unwrap();
        let cafe = created["id"].as_i64().unwrap();
        let created: Value = app.api().post(app.url("/api/v1/communities")).bearer_auth(&organiser)
            .json(&json!({"kind": "union", "name": "みんなのユニオン", "description": "誰でも入れる労働組合", "tags": ["労働相談"]}))
            .send().await.unwrap().json().await.unwrap();
        let union = created["id"].as_i64().unwrap();

        let q = questionnaire(&app, "ja").await;
        let mut answers = answers_from(&q);
        for action in ["job_change", "independence", "side_job", "occupation_change", "future_learning", "new_network", "career_plan", "long_leave", "new_hobby", "local_activity", "civic_activity", "relocation", "qualification", "academic_study", "shorter_hours", "probono", "internal_transfer"] {
            answers.insert(action.into(), json!("none"));
        }
        answers.insert("occupation".into(), json!("care"));
        answers.insert("future_learning".into(), json!("gave_up"));
        answers.insert("support_consult".into(), json!(["employer", "alma_mater"]));
        answers.insert("support_options".into(), json!(["alma_mater", "hobby_circle"]));
        for (id, value) in [("fc1", 5), ("fc2", 5), ("fc3", 5), ("fc4", 1)] {
            answers.insert(id.into(), json!(value));
        }
        let (status, result) = submit(&app, Some(&aoi), &answers).await;
        assert_eq!(status, StatusCode::CREATED, "{result}");
        let id = result["id"].as_i64().unwrap();
        assert_eq!(result["mutual_support_ties"], 2, "the old school and a hobby circle; the employer does not count");
        assert_eq!(result["career_isolation"], false);
        assert_eq!(result["gave_up_career_move"], true);
        assert_eq!(result["adaptability"]["future_confidence"], 100, "the reversed item counted the other way");
        assert_eq!(result["adaptability"]["curiosity"], 50);
        assert_eq!(result["national"]["career_isolation_percent"], 72);
        assert_eq!(result["national"]["source"]["sample_size"], 4259);
        let recommendations = result["recommendations"].as_array().unwrap();
        assert_eq!(recommendations[0]["type"], "community");
        assert_eq!(recommendations[0]["id"], cafe, "{result}");
        assert!(recommendations[0]["reason"].as_str().unwrap().contains("介護"), "{result}");
        assert!(!recommendations.iter().any(|r| r["id"] == union), "no reason to suggest the union: {result}");
        assert_eq!(result["first_step"]["type"], "community");
        let schemes: Vec<&str> = result["public_schemes"].as_array().unwrap().iter().map(|s| s["slug"].as_str().unwrap()).collect();
        assert!(!schemes.is_empty() && schemes.len() <= 4, "{result}");
        assert!(schemes.iter().any(|s| s.contains("training")), "learning given up suggests a training scheme: {schemes:?}");

        // The owner lists and reads it; nobody else can.
        let list: Value = app.api().get(app.url("/api/v1/self-check/results")).bearer_auth(&aoi).send().await.unwrap().json().await.unwrap();
        assert_eq!(list["results"][0]["id"], id);
        let url = app.url(&format!("/api/v1/self-check/results/{id}"));
        let theirs = app.api().get(&url).bearer_auth(&ren).send().await.unwrap();
        assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
        let anonymous = app.api().get(&url).send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        let delete = app.api().delete(&url).bearer_auth(&ren).send().await.unwrap();
        assert_eq!(delete.status(), StatusCode::NOT_FOUND);
        let own: Value = app.api().get(&url).bearer_auth(&aoi).send().await.unwrap().json().await.unwrap();
        assert_eq!(own["answers"]["occupation"], "care");

        // Joining the suggestion removes it from the next reading.
        let joined = app.api().post(app.url(&format!("/api/v1/communities/{cafe}/members"))).bearer_auth(&aoi).send().await.unwrap();
        assert!(joined.status().is_success());
        let again: Value = app.api().get(&url).bearer_auth(&aoi).send().await.unwrap().json().await.unwrap();
        assert!(!again["recommendations"].as_array().unwrap().iter().any(|r| r["id"] == cafe), "{again}");

        // The person's data export carries their results.
        let export: Value = app.api().get(app.url("/api/v1/me/export")).bearer_auth(&aoi).send().await.unwrap().json().await.unwrap();
        assert_eq!(export["self_checks"][0]["id"], id);
        assert_eq!(export["self_checks"][0]["answers"]["occupation"], "care");

        let delete = app.api().delete(&url).bearer_auth(&aoi).send().await.unwrap();
        assert_eq!(delete.status(), StatusCode::NO_CONTENT);
        assert_eq!(app.api().get(&url).bearer_auth(&aoi).send().await.unwrap().status(), StatusCode::NOT_FOUND);
        app.stop().await;
    }

    async fn a_visitors_answers_follow_them_into_their_account(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let visitor = app.browser();
        let (status, intro) = visitor.page("/self-check").await;
        assert_eq!(status, StatusCode::OK);
        assert!(intro.contains("72%"), "the introduction carries the national figure");

        // Page 1 saves and sets the draft cookie.
        let response = visitor.post("/self-check/about", &[("occupation", "care"), ("home_prefecture", "15")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/self-check/actions");
        assert!(visitor.cookie("tsunagari_selfcheck").is_some());

        // A missing answer is refused with the page kept filled.
        let mut actions: Vec<(&str, &str)> = ["job_change", "independence", "side_job", "occupation_change", "future_learning", "new_network", "career_plan", "long_leave", "new_hobby", "local_activity", "civic_activity", "relocation", "qualification", "academic_study", "shorter_hours", "probono"]
            .into_iter().map(|a| (a, "none")).collect();
        let response = visitor.post("/self-check/actions", &actions).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(page.contains("回答を選んでください"), "the error is in Japanese");
        assert!(page.contains(r#"name="probono" value="none" checked"#), "answers given are kept");
        actions.push(("internal_transfer", "want"));
        assert_eq!(visitor.post("/self-check/actions", &actions).await.status(), StatusCode::SEE_OTHER);

        // Full-width digits from a Japanese keyboard are read as numbers.
        let time = [
            ("allocation_wished.family", "２０"), ("allocation_wished.work", "40"), ("allocation_wished.learning", "20"),
            ("allocation_wished.community", "10"), ("allocation_wished.personal", "10"),
            ("allocation_actual.family", "20"), ("allocation_actual.work", "60"), ("allocation_actual.learning", ""),
            ("allocation_actual.community", "0"), ("allocation_actual.personal", "20"),
            ("allocation_satisfaction", "2"),
        ];
        assert_eq!(visitor.post("/self-check/time", &time).await.status(), StatusCode::SEE_OTHER);
        let likert: Vec<(&str, &str)> = ["fc1", "fc2", "fc3", "fc4", "cu1", "cu2", "cu3", "cu4", "sd1", "sd2", "sd3", "sd4"].into_iter().map(|i| (i, "3")).collect();
        assert_eq!(visitor.post("/self-check/adaptability", &likert).await.status(), StatusCode::SEE_OTHER);
        let response = visitor.post("/self-check/support", &[("relation_base", "no"), ("relation_quest", "no"), ("support_consult", "union"), ("support_consult", "employer")]).await;
        assert_eq!(location(&response), "/self-check/preview");
        let (status, preview) = visitor.page("/self-check/preview").await;
        assert_eq!(status, StatusCode::OK);
        assert!(preview.contains("まだ保存されていません"), "the preview says it is not saved");

        // Another browser has none of it.
        let (_, elsewhere) = app.browser().page("/self-check/preview").await;
        assert!(!elsewhere.contains("まだ保存されていません"));

        // Signing up hands the answers over as a saved result.
        let response = visitor.sign_up("mei@example.jp", "小林 芽衣").await;
        let to = location(&response);
        assert!(to.starts_with("/self-check/results/"), "{to}");
        let (status, result) = visitor.page(&to).await;
        assert_eq!(status, StatusCode::OK);
        assert!(result.contains("1種類"), "the union tie came along: one kind outside the employer");
        assert!(result.contains(r#"role="img""#), "charts are images");
        assert!(visitor.cookie("tsunagari_selfcheck").is_none(), "the draft cookie is gone");

        // Someone else's browser gets a 404 for it, not the result.
        let other = app.browser();
        other.sign_up("ren@example.jp", "高橋 蓮").await;
        let (status, _) = other.page(&to).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // History shows it; deleting it removes it.
        let (_, history) = visitor.page("/self-check/history").await;
        assert!(history.contains(&to));
        let response = visitor.post(&format!("{to}/delete"), &[]).await;
        assert_eq!(location(&response), "/self-check/history");
        assert_eq!(visitor.page(&to).await.0, StatusCode::NOT_FOUND);

        // Logging in also claims a visitor's unfinished answers as a draft.
        let returning = app.browser();
        returning.post("/self-check/about", &[("occupation", "it")]).await;
        let response = returning.log_in("mei@example.jp", PASSWORD).await;
        assert_eq!(location(&response), "/self-check");
        let (_, about) = returning.page("/self-check/about").await;
        assert!(about.contains(r#"value="it" checked"#), "the draft became hers");
        app.stop().await;
    }
}
