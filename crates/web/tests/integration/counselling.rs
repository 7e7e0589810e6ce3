//! Counselling over HTTP on SQLite and PostgreSQL: members ask (errors in
//! both languages), counsellors named by organisers see the queue, assign,
//! converse in a private thread and close it; organisers who are not
//! counsellors and other members see nothing; the phone number is for the
//! assigned counsellor only; notifications; figures only from ten
//! requests; the pages; and the tool switch.

use crate::api_support;
use crate::common;

use api_support::{Person, call, call_in, field_message, person, switch, union};
use common::{Browser, PASSWORD, TestApp, location};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn phone_request() -> Value {
    json!({
        "category": "career_change",
        "topic": "介護職から事務職への転職を考えています。",
        "channel": "phone",
        "contact": "090-1234-5678",
        "preferred_times": "平日 19時以降",
    })
}

async fn ask(app: &TestApp, who: &Person, union: i64, body: Value) -> (StatusCode, Value) {
    call(
        app,
        Some(who),
        Method::POST,
        &format!("/api/v1/communities/{union}/counselling-requests"),
        Some(body),
    )
    .await
}

async fn browser(app: &TestApp, email: &str) -> Browser {
    let browser = app.browser();
    let response = browser.log_in(email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    browser
}

async fn notification_kinds(app: &TestApp, who: &Person) -> String {
    let (_, body) = call(app, Some(who), Method::GET, "/api/v1/notifications", None).await;
    body.to_string()
}

tsunagari_store::backend_tests! {
    async fn a_request_is_private_to_its_member_and_the_counsellors(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "ren@example.jp", "田中 蓮").await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let mei = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let yui = person(&app, "yui@example.jp", "伊藤 結衣").await;
        let outsider = person(&app, "emma@example.com", "Emma Clark").await;
        let id = union(&app, &owner, &[&aoi, &mei, &yui], "public").await;

        // Every problem by field, in both languages.
        let bad = json!({"category": "gossip", "topic": " ", "channel": "phone", "contact": "call me"});
        let (status, body) = ask(&app, &aoi, id, bad.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        for field in ["category", "topic", "contact"] {
            assert!(body["error"]["fields"][field].is_array(), "{field}: {body}");
        }
        assert!(field_message(&body, "contact").contains("電話番号"));
        let (_, body) = call_in(&app, Some(&aoi), "en", Method::POST, &format!("/api/v1/communities/{id}/counselling-requests"), Some(bad)).await;
        assert!(field_message(&body, "contact").contains("phone number of 10 to 15 digits"), "{body}");
        let (status, body) = ask(&app, &outsider, id, phone_request()).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_member")));

        let (status, body) = ask(&app, &aoi, id, phone_request()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let rid = body["id"].as_i64().unwrap();
        assert_eq!((body["status"].as_str(), body["contact"].as_str()), (Some("unassigned"), Some("090-1234-5678")));

        // The organiser is not a counsellor by office: nothing to see.
        let (status, _) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/counselling-requests/{rid}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, lists) = call(&app, Some(&owner), Method::GET, "/api/v1/counselling-requests", None).await;
        assert!(lists["queue"].as_array().unwrap().is_empty(), "{lists}");
        let (status, _) = call(&app, Some(&yui), Method::GET, &format!("/api/v1/counselling-requests/{rid}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another member");

        // The organiser names two counsellors on the page.
        let organiser = browser(&app, "ren@example.jp").await;
        for who in [&mei, &yui] {
            let named = organiser.post(&format!("/communities/{id}/counsellors"), &[("user_id", &who.id.to_string())]).await;
            assert_eq!(named.status(), StatusCode::SEE_OTHER);
        }
        let refused = organiser.post(&format!("/communities/{id}/counsellors"), &[("user_id", &outsider.id.to_string())]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "only members can counsel");
        let member_page = browser(&app, "aoi@example.jp").await;
        assert_eq!(member_page.post(&format!("/communities/{id}/counsellors"), &[("user_id", &aoi.id.to_string())]).await.status(), StatusCode::FORBIDDEN);

        // A new request reaches every counsellor as a notice naming the
        // union and linking the request, without the topic or the asker.
        let (status, later) = ask(&app, &owner, id, json!({"category": "skills", "topic": "資格の取り方を知りたい。", "channel": "chat"})).await;
        assert_eq!(status, StatusCode::CREATED, "{later}");
        let later_link = format!("/counselling/{}", later["id"]);
        for counsellor in [&mei, &yui] {
            let (_, body) = call(&app, Some(counsellor), Method::GET, "/api/v1/notifications", None).await;
            let notices: Vec<&Value> = body["notifications"].as_array().unwrap().iter().filter(|n| n["kind"] == "counselling_requested").collect();
            assert_eq!(notices.len(), 1, "{body}");
            assert_eq!((notices[0]["link"].as_str(), notices[0]["subject"].as_str()), (Some(later_link.as_str()), Some("みなと地域ユニオン")));
            assert!(!body.to_string().contains("資格") && !body.to_string().contains("田中"), "{body}");
        }
        assert!(!notification_kinds(&app, &aoi).await.contains("counselling_requested"), "members who do not counsel hear nothing");

        // Counsellors work through the API too: take the request, close it.
        let later_api = format!("/api/v1/counselling-requests/{}", later["id"]);
        let (status, body) = call(&app, Some(&owner), Method::PUT, &format!("{later_api}/counsellor"), Some(json!({"user_id": owner.id}))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_counsellor")), "{body}");
        let (status, body) = call(&app, Some(&yui), Method::PUT, &format!("{later_api}/counsellor"), Some(json!({"user_id": aoi.id}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "only a counsellor takes a request: {body}");
        let (status, body) = call(&app, Some(&yui), Method::PUT, &format!("{later_api}/counsellor"), Some(json!({"user_id": yui.id}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!((body["request"]["status"].as_str(), body["request"]["counsellor_id"].as_i64()), (Some("assigned"), Some(yui.id)));
        let (status, body) = call_in(&app, Some(&yui), "en", Method::POST, &format!("{later_api}/closure"), Some(json!({"summary": " "}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["summary"].is_array(), "{body}");
        let (status, body) = call(&app, Some(&yui), Method::POST, &format!("{later_api}/closure"), Some(json!({"summary": "資格講座の案内を送りました。"}))).await;
        assert_eq!((status, body["request"]["status"].as_str()), (StatusCode::OK, Some("closed")), "{body}");
        assert_eq!(body["request"]["summary"].as_str(), Some("資格講座の案内を送りました。"));
        let (status, body) = call(&app, Some(&yui), Method::POST, &format!("{later_api}/closure"), Some(json!({"summary": "もう一度"}))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("counselling_closed")));
        assert!(notification_kinds(&app, &owner).await.contains("counselling_closed"));

        // Counsellors see the queue, but the number only once assigned.
        let (_, lists) = call(&app, Some(&mei), Method::GET, "/api/v1/counselling-requests", None).await;
        assert_eq!(lists["queue"][0]["id"].as_i64(), Some(rid), "{lists}");
        assert!(lists["queue"][0]["contact"].is_null(), "not assigned to her yet");
        let counsellor = browser(&app, "mei@example.jp").await;
        let assigned = counsellor.post(&format!("/counselling/{rid}/assign"), &[("user_id", &mei.id.to_string())]).await;
        assert_eq!(assigned.status(), StatusCode::SEE_OTHER);
        assert!(notification_kinds(&app, &aoi).await.contains("counselling_assigned"));
        let (_, detail) = call(&app, Some(&mei), Method::GET, &format!("/api/v1/counselling-requests/{rid}"), None).await;
        assert_eq!(detail["request"]["contact"].as_str(), Some("090-1234-5678"));
        let (_, detail) = call(&app, Some(&yui), Method::GET, &format!("/api/v1/counselling-requests/{rid}"), None).await;
        assert!(detail["request"]["contact"].is_null(), "the other counsellor does not see the number");
        assert_eq!(detail["request"]["status"].as_str(), Some("assigned"));

        // The private thread, with notifications both ways.
        let path = format!("/api/v1/counselling-requests/{rid}/messages");
        let (status, body) = call(&app, Some(&mei), Method::POST, &path, Some(json!({"body": "担当の高橋です。来週お電話します。"}))).await;
        assert_eq!((status, body["from_counsellor"].as_bool()), (StatusCode::CREATED, Some(true)), "{body}");
        assert!(notification_kinds(&app, &aoi).await.contains("counselling_reply"));
        let (status, body) = call(&app, Some(&aoi), Method::POST, &path, Some(json!({"body": "ありがとうございます。"}))).await;
        assert_eq!((status, body["from_counsellor"].as_bool()), (StatusCode::CREATED, Some(false)));
        assert!(notification_kinds(&app, &mei).await.contains("counselling_member_message"));
        let (status, body) = call(&app, Some(&aoi), Method::POST, &path, Some(json!({"body": ""}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["body"].is_array());
        assert_eq!(call(&app, Some(&owner), Method::POST, &path, Some(json!({"body": "見せて"}))).await.0, StatusCode::NOT_FOUND);
        let (_, detail) = call(&app, Some(&aoi), Method::GET, &format!("/api/v1/counselling-requests/{rid}"), None).await;
        assert_eq!(detail["messages"].as_array().unwrap().len(), 2);
        assert!(detail["request"]["first_response_at"].is_string());

        // Members do not assign or close; counsellors close with a summary.
        assert_eq!(member_page.post(&format!("/counselling/{rid}/close"), &[("summary", "自分で閉じる")]).await.status(), StatusCode::FORBIDDEN);
        let empty = counsellor.post(&format!("/counselling/{rid}/close"), &[("summary", "")]).await;
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.text().await.unwrap().contains("まとめを書いてください"));
        let closed = counsellor.post(&format!("/counselling/{rid}/close"), &[("summary", "転職の進め方を整理し、職業訓練の情報を伝えました。")]).await;
        assert_eq!(closed.status(), StatusCode::SEE_OTHER);
        assert!(notification_kinds(&app, &aoi).await.contains("counselling_closed"), "the member hears it was closed");
        let (status, body) = call(&app, Some(&aoi), Method::POST, &path, Some(json!({"body": "もう一つ"}))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("counselling_closed")));
        let (_, detail) = call(&app, Some(&aoi), Method::GET, &format!("/api/v1/counselling-requests/{rid}"), None).await;
        assert_eq!(detail["request"]["status"].as_str(), Some("closed"));
        assert!(detail["request"]["summary"].as_str().unwrap().contains("職業訓練"));

        // The member's own data export holds the request and its thread.
        let (status, export) = call(&app, Some(&aoi), Method::GET, "/api/v1/me/export", None).await;
        assert_eq!(status, StatusCode::OK);
        let mine = &export["counselling_requests"][0];
        assert_eq!((mine["contact"].as_str(), mine["status"].as_str()), (Some("090-1234-5678"), Some("closed")));
        assert_eq!(mine["messages"].as_array().unwrap().len(), 2);
        assert_eq!(mine["messages"][1]["mine"], true);

        // Off, the tool answers 404.
        switch(&app, &owner, id, "counselling", false).await;
        let (status, body) = call(&app, Some(&aoi), Method::GET, &format!("/api/v1/counselling-requests/{rid}"), None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("tool_off")));
        assert_eq!(ask(&app, &aoi, id, phone_request()).await.0, StatusCode::NOT_FOUND);
        assert_eq!(member_page.get(&format!("/communities/{id}/counselling")).await.status(), StatusCode::NOT_FOUND);
        let (_, lists) = call(&app, Some(&mei), Method::GET, "/api/v1/counselling-requests", None).await;
        assert!(lists["queue"].as_array().unwrap().is_empty());
    }

    async fn counselling_pages_and_response_figures(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "ren@example.jp", "田中 蓮").await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let mei = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let id = union(&app, &owner, &[&aoi, &mei], "members").await;
        let organiser = browser(&app, "ren@example.jp").await;
        organiser.post(&format!("/communities/{id}/counsellors"), &[("user_id", &mei.id.to_string())]).await;
        let (status, html) = organiser.page(&format!("/communities/{id}/counselling")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("高橋 芽衣") && !html.contains("相談員の受付一覧"), "organisers see counsellors, not the queue");

        let member = browser(&app, "aoi@example.jp").await;
        let (status, html) = member.page(&format!("/communities/{id}/counselling")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(r#"<label for="field-topic">"#) && html.contains(r#"<legend>希望する相談方法</legend>"#));
        assert!(html.contains("相談が10件以上になってから表示します"), "no figures yet");
        let bad = member.post(&format!("/communities/{id}/counselling"), &[("category", "skills"), ("topic", "資格の相談"), ("channel", "phone"), ("contact", "")]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = bad.text().await.unwrap();
        assert!(html.contains("10〜15桁の電話番号") && html.contains("資格の相談"), "message and what was typed");
        let done = member.post(&format!("/communities/{id}/counselling"), &[("category", "skills"), ("topic", "資格の相談"), ("channel", "chat")]).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let path = location(&done);
        let (_, html) = member.page(&path).await;
        assert!(html.contains("担当者待ち") && html.contains("資格の相談"));
        let sent = member.post(&format!("{path}/messages"), &[("body", "よろしくお願いします。")]).await;
        assert_eq!(sent.status(), StatusCode::SEE_OTHER);
        assert_eq!(organiser.get(&path).await.status(), StatusCode::NOT_FOUND, "a non-counsellor organiser");

        // Eight more requests make nine: still no figures. The tenth shows
        // the count.
        let more = |n: usize| json!({"category": "other", "topic": format!("相談 {n}"), "channel": "video"});
        for n in 0..8 {
            assert_eq!(ask(&app, &aoi, id, more(n)).await.0, StatusCode::CREATED);
        }
        let counsellor = app.browser_in("en");
        counsellor.log_in("mei@example.jp", PASSWORD).await;
        counsellor.post("/language", &[("locale", "en"), ("return_to", "/")]).await;
        let (_, html) = counsellor.page(&format!("/communities/{id}/counselling")).await;
        assert!(html.contains("Counsellors’ queue"), "the English queue");
        assert!(!html.contains("Requests so far") && html.contains("Shown once there are at least 10 requests"), "nine requests show nothing");
        let figures = format!("/api/v1/communities/{id}/counselling/figures");
        let (status, body) = call(&app, Some(&aoi), Method::GET, &figures, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({"community_id": id, "requests": null, "open": null, "median_minutes_to_assignment": null, "median_minutes_to_first_response": null, "minimum_base": 10}));
        assert_eq!(ask(&app, &aoi, id, more(8)).await.0, StatusCode::CREATED);
        let (_, html) = counsellor.page(&format!("/communities/{id}/counselling")).await;
        assert!(html.contains("Requests so far") && html.contains("<dd>10</dd>"), "ten requests");
        let (_, body) = call(&app, Some(&aoi), Method::GET, &figures, None).await;
        assert_eq!((body["requests"].as_u64(), body["open"].as_u64()), (Some(10), Some(10)), "{body}");
        assert!(body["median_minutes_to_assignment"].is_null(), "no assignments yet: {body}");
        assert!(html.contains("Shown once there are at least 10 requests"), "medians still wait for ten assignments");
        for rid in 1..=10 {
            counsellor.post(&format!("/counselling/{rid}/assign"), &[("user_id", &mei.id.to_string())]).await;
            counsellor.post(&format!("/counselling/{rid}/messages"), &[("body", "Hello")]).await;
        }
        let (_, html) = counsellor.page(&format!("/communities/{id}/counselling")).await;
        assert!(!html.contains("Shown once there are at least 10 requests"), "every figure is shown now");
        let (_, body) = call(&app, Some(&aoi), Method::GET, &figures, None).await;
        assert!(body["median_minutes_to_assignment"].as_i64().is_some_and(|m| m >= 0), "{body}");
        assert!(body["median_minutes_to_first_response"].as_i64().is_some_and(|m| m >= 0), "{body}");
        assert!(html.contains(" min"), "medians in minutes");
        let (_, html) = counsellor.page(&path).await;
        assert!(html.contains("Close the request") && html.contains("Confidential"));
    }
}
