//! Petitions over HTTP on SQLite and PostgreSQL: starting (organisers,
//! errors in both languages), signing once — also when many identical
//! requests arrive at once —, members-only and open petitions, hidden
//! names, withdrawal until the deadline, milestones, messages to
//! supporters without their addresses, the pages, and the tool switch.

use crate::api_support;
use crate::common;

use api_support::{Person, call, call_in, crowd, field_message, person, send, switch, union};
use common::{PASSWORD, TestApp, location};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A local date-time `days` from now, Tokyo time.
fn local_day(days: i64) -> String {
    let date = (chrono::Utc::now() + chrono::Duration::days(days))
        .with_timezone(&chrono_tz::Asia::Tokyo)
        .date_naive();
    format!("{}T17:00", date.format("%Y-%m-%d"))
}

fn petition(goal: u32, audience: &str) -> Value {
    json!({
        "title": "夜勤手当の引き上げを求めます",
        "demand": "夜勤手当を**1回5,000円**に引き上げてください。",
        "target": "みなと介護サービス株式会社",
        "goal": goal,
        "deadline": local_day(14),
        "audience": audience,
    })
}

async fn start(app: &TestApp, who: &Person, union: i64, body: Value) -> (StatusCode, Value) {
    call(
        app,
        Some(who),
        Method::POST,
        &format!("/api/v1/communities/{union}/petitions"),
        Some(body),
    )
    .await
}

async fn sign(app: &TestApp, who: &Person, petition: i64, show_name: bool) -> (StatusCode, Value) {
    call(
        app,
        Some(who),
        Method::POST,
        &format!("/api/v1/petitions/{petition}/signatures"),
        Some(json!({"show_name": show_name})),
    )
    .await
}

tsunagari_store::backend_tests! {
    async fn members_sign_once_and_names_stay_hidden_unless_shown(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "ren@example.jp", "田中 蓮").await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let yui = person(&app, "yui@example.jp", "伊藤 結衣").await;
        let outsider = person(&app, "emma@example.com", "Emma Clark").await;
        let id = union(&app, &owner, &[&aoi, &yui], "public").await;

        // Every problem by field, in both languages.
        let bad = json!({"title": "", "demand": " ", "target": "", "goal": 0, "deadline": "2020-01-01T00:00"});
        let (status, body) = start(&app, &owner, id, bad.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        for field in ["title", "demand", "target", "goal", "deadline"] {
            assert!(body["error"]["fields"][field].is_array(), "{field}: {body}");
        }
        assert!(field_message(&body, "deadline").contains("締め切り"));
        let (_, body) = call_in(&app, Some(&owner), "en", Method::POST, &format!("/api/v1/communities/{id}/petitions"), Some(bad)).await;
        assert!(field_message(&body, "goal").contains("whole number from 1 to 1,000,000"), "{body}");
        let (status, body) = start(&app, &owner, id, json!({"title": "t", "demand": "d", "target": "x", "goal": 5, "deadline": local_day(3), "time_zone": "Mars/Base"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["time_zone"].is_array());
        let (status, body) = start(&app, &aoi, id, petition(4, "members")).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_organiser")));

        let (status, body) = start(&app, &owner, id, petition(4, "members")).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let pid = body["id"].as_i64().unwrap();
        assert_eq!((body["signature_count"].as_i64(), body["open"].as_bool()), (Some(0), Some(true)));

        let (status, body) = sign(&app, &aoi, pid, true).await;
        assert_eq!((status, body["signature_count"].as_i64()), (StatusCode::CREATED, Some(1)), "{body}");
        let (status, body) = sign(&app, &aoi, pid, false).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("already_signed")));
        // An empty body signs without showing the name.
        let response = send(app.api().post(app.url(&format!("/api/v1/petitions/{pid}/signatures"))).bearer_auth(&yui.token)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let (status, body) = sign(&app, &outsider, pid, true).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_member")), "members only");

        let (_, body) = call(&app, None, Method::GET, &format!("/api/v1/petitions/{pid}"), None).await;
        assert_eq!(body["signature_count"], 2);
        assert_eq!(body["public_signers"], json!(["佐藤 葵"]), "only a name its signer chose to show");
        assert_eq!(body["milestones"][0]["percent"], 25);
        assert!(body["milestones"][0]["reached_at"].is_string(), "1 of 4 reaches 25%");
        assert!(body["milestones"][1]["reached_at"].is_string(), "2 of 4 reaches 50%");
        assert!(body["milestones"][2]["reached_at"].is_null());
        let text = body.to_string();
        assert!(!text.contains("伊藤") && !text.contains("@example"), "no hidden name, no address: {text}");

        let (_, export) = call(&app, Some(&aoi), Method::GET, "/api/v1/me/export", None).await;
        assert_eq!(export["petition_signatures"][0]["petition_id"].as_i64(), Some(pid));
        assert_eq!(export["petition_signatures"][0]["show_name"], true);

        // Withdraw, then sign again.
        let (status, _) = call(&app, Some(&yui), Method::DELETE, &format!("/api/v1/petitions/{pid}/signatures/me"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, body) = call(&app, Some(&yui), Method::DELETE, &format!("/api/v1/petitions/{pid}/signatures/me"), None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("not_signed")));
        assert_eq!(sign(&app, &yui, pid, false).await.0, StatusCode::CREATED);

        // An open petition takes anyone signed in.
        let (_, body) = start(&app, &owner, id, petition(100, "signed_in")).await;
        let open = body["id"].as_i64().unwrap();
        assert_eq!(sign(&app, &outsider, open, false).await.0, StatusCode::CREATED);
        assert_eq!(call(&app, None, Method::POST, &format!("/api/v1/petitions/{open}/signatures"), None).await.0, StatusCode::UNAUTHORIZED);

        // After the deadline nothing changes.
        db.execute_with_time(&format!("UPDATE petitions SET deadline = $1 WHERE id = {pid}"), chrono::Utc::now() - chrono::Duration::minutes(1)).await;
        let (status, body) = sign(&app, &owner, pid, false).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("petition_closed")));
        let (status, body) = call_in(&app, Some(&aoi), "en", Method::DELETE, &format!("/api/v1/petitions/{pid}/signatures/me"), None).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(body["error"]["message"].as_str().unwrap().contains("deadline has passed"));

        // Off, the tool answers 404.
        switch(&app, &owner, id, "petitions", false).await;
        let (status, body) = call(&app, None, Method::GET, &format!("/api/v1/petitions/{open}"), None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("tool_off")));
        assert_eq!(start(&app, &owner, id, petition(4, "members")).await.0, StatusCode::NOT_FOUND);
        assert_eq!(app.browser().get(&format!("/communities/{id}/petitions")).await.status(), StatusCode::NOT_FOUND);
    }

    async fn concurrent_duplicate_signatures_count_once(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "ren@example.jp", "田中 蓮").await;
        let id = union(&app, &owner, &[], "public").await;
        let (_, body) = start(&app, &owner, id, petition(30, "members")).await;
        let pid = body["id"].as_i64().unwrap();
        let people = crowd(&app, id, 25, "s").await;

        // 25 people, each sending 8 identical signatures at once: 200 requests.
        let mut tasks = Vec::new();
        for who in &people {
            for _ in 0..8 {
                let request = reqwest::Client::new()
                    .post(app.url(&format!("/api/v1/petitions/{pid}/signatures")))
                    .bearer_auth(&who.token)
                    .json(&json!({"show_name": who.id % 2 == 0}));
                let person = who.id;
                tasks.push(tokio::spawn(async move { (person, send(request).await.status()) }));
            }
        }
        let mut created: std::collections::HashMap<i64, usize> = Default::default();
        for task in tasks {
            let (who, status) = task.await.unwrap();
            match status {
                StatusCode::CREATED => *created.entry(who).or_default() += 1,
                StatusCode::CONFLICT => {}
                other => panic!("unexpected {other}"),
            }
        }
        assert_eq!(created.len(), people.len(), "everyone signed");
        assert!(created.values().all(|n| *n == 1), "exactly one accepted signature each: {created:?}");
        let stored = db.column_as_text(&format!("SELECT CAST(user_id AS TEXT) FROM petition_signatures WHERE petition_id = {pid}")).await;
        assert_eq!(stored.len(), people.len());
        let (_, body) = call(&app, None, Method::GET, &format!("/api/v1/petitions/{pid}"), None).await;
        assert_eq!(body["signature_count"].as_u64(), Some(people.len() as u64));
        assert_eq!(body["public_signers"].as_array().unwrap().len(), people.iter().filter(|p| p.id % 2 == 0).count());
    }

    async fn organisers_message_supporters_and_pages_work_without_javascript(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "ren@example.jp", "田中 蓮").await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let yui = person(&app, "yui@example.jp", "伊藤 結衣").await;
        let id = union(&app, &owner, &[&aoi, &yui], "public").await;
        let organiser = app.browser();
        organiser.log_in("ren@example.jp", PASSWORD).await;

        let (status, html) = organiser.page(&format!("/communities/{id}/petitions/new")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(r#"<label for="field-deadline">"#) && html.contains(r#"type="datetime-local""#));
        let deadline = local_day(10);
        let bad = organiser.post(&format!("/communities/{id}/petitions"), &[("title", "夜勤手当"), ("demand", ""), ("target", "会社"), ("goal", "abc"), ("deadline", &deadline)]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = bad.text().await.unwrap();
        assert!(html.contains("目標の署名数は1から1,000,000までの整数です") && html.contains(r#"value="夜勤手当""#), "message and typed value");
        let done = organiser.post(&format!("/communities/{id}/petitions"), &[("title", "夜勤手当の引き上げ"), ("demand", "**5,000円**に"), ("target", "みなと介護"), ("goal", "2"), ("deadline", &deadline)]).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let path = location(&done);
        assert!(path.starts_with("/petitions/"));
        let member = app.browser();
        member.log_in("aoi@example.jp", PASSWORD).await;
        assert_eq!(member.get(&format!("/communities/{id}/petitions/new")).await.status(), StatusCode::FORBIDDEN);
        let (_, list) = member.page(&format!("/communities/{id}/petitions")).await;
        assert!(list.contains("夜勤手当の引き上げ") && list.contains("0筆 / 目標 2筆"));

        let (_, html) = member.page(&path).await;
        assert!(html.contains("<strong>5,000円</strong>"), "the demand is Markdown");
        assert!(html.contains(r#"name="show_name""#) && html.contains("署名する"));
        let signed = member.post(&format!("{path}/sign"), &[("show_name", "1")]).await;
        assert_eq!(signed.status(), StatusCode::SEE_OTHER);
        let again = member.post(&format!("{path}/sign"), &[]).await;
        assert_eq!(again.status(), StatusCode::CONFLICT);
        let other = app.browser();
        other.log_in("yui@example.jp", PASSWORD).await;
        other.post(&format!("{path}/sign"), &[]).await;
        let (_, html) = member.page(&path).await;
        assert!(html.contains("あなたの名前は署名ページに表示されています") && html.contains("佐藤 葵"));
        assert!(!html.contains("伊藤 結衣"), "a hidden name stays hidden");
        assert!(html.contains("ほかに名前を表示しない賛同者が1人います"));
        assert!(html.contains("100%（2筆）") && !html.contains("まだ達成していません"), "every milestone is reached");

        // A message to the supporters: a notification each, no addresses shown.
        let empty = organiser.post(&format!("{path}/updates"), &[("body", " "), ("notify", "1")]).await;
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let posted = organiser.post(&format!("{path}/updates"), &[("body", "本日、会社に手渡しました。"), ("notify", "1")]).await;
        assert_eq!(posted.status(), StatusCode::SEE_OTHER);
        assert!(location(&posted).contains("#update-"));
        for who in [&aoi, &yui] {
            let (_, notes) = call(&app, Some(who), Method::GET, "/api/v1/notifications", None).await;
            assert!(notes.to_string().contains("petition_message"), "{notes}");
        }
        let (_, owner_notes) = call(&app, Some(&owner), Method::GET, "/api/v1/notifications", None).await;
        assert!(!owner_notes.to_string().contains("petition_message"), "the sender is not told");
        let (_, html) = organiser.page(&path).await;
        assert!(html.contains("本日、会社に手渡しました。") && html.contains("署名した全員に送信"));
        assert!(!html.contains("aoi@example.jp") && !html.contains("yui@example.jp"), "organisers never see addresses");
        let (_, html) = member.page(&path).await;
        assert!(!html.contains(&format!(r#"action="{path}/updates""#)), "members do not post updates");
        let (_, organiser_html) = organiser.page(&path).await;
        assert!(organiser_html.contains(&format!(r#"action="{path}/updates""#)), "organisers do");
        let refused = member.post(&format!("{path}/updates"), &[("body", "こんにちは")]).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);

        // Withdraw from the page; a visitor may read a public union's petition.
        let withdrawn = other.post(&format!("{path}/withdraw"), &[]).await;
        assert_eq!(withdrawn.status(), StatusCode::SEE_OTHER);
        let visitor = app.browser_in("en");
        let (status, html) = visitor.page(&path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("1 of 2 signatures") && html.contains("Log in to sign"));
    }
}
