//! The opinion box over the API and the pages, on SQLite and PostgreSQL:
//! every opinion gets a recorded response shown to all members, anonymous
//! authors are named to nobody, organisers see what waits and how fast the
//! box is answered, and the box is off where it is not switched on.

use crate::api_support;
use crate::common;

use api_support::{Person, call, call_in, create_community, field_message, join, person, send};
use common::{PASSWORD, TestApp, location};
use reqwest::{Method, StatusCode};
use serde_json::json;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::tools::CommunityTool;

async fn community(app: &TestApp, owner: &Person, kind: &str) -> i64 {
    let body = json!({"kind": kind, "name": "ワーカーズコープ あおぞら", "visibility": "public", "membership": "open"});
    create_community(app, owner, body).await
}

tsunagari_store::backend_tests! {
    async fn every_opinion_gets_a_recorded_response(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let mei = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let ren = person(&app, "ren@example.jp", "田中 蓮").await;
        let outsider = person(&app, "yui@example.jp", "伊藤 結衣").await;
        let id = community(&app, &owner, "worker_coop").await;
        join(&app, &mei, id).await;
        join(&app, &ren, id).await;
        let list = format!("/api/v1/communities/{id}/opinions");

        // Members only.
        let (status, body) = call(&app, Some(&outsider), Method::GET, &list, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "not_member");
        let (status, _) = call(&app, Some(&outsider), Method::POST, &list, Some(json!({"title": "t", "body": "b"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(&app, None, Method::GET, &list, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // 422s name the fields, in the reader's language.
        let (status, body) = call(&app, Some(&mei), Method::POST, &list, Some(json!({"title": "", "body": " "}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_message(&body, "title"), "件名は120文字までで入力してください。");
        assert_eq!(field_message(&body, "body"), "5,000文字までで入力してください（空欄にはできません）。");
        let (_, body) = call_in(&app, Some(&mei), "en", Method::POST, &list, Some(json!({"title": "あ".repeat(121), "body": "ok"}))).await;
        assert_eq!(field_message(&body, "title"), "Give a title of up to 120 characters.");

        let (status, hidden) = call(&app, Some(&mei), Method::POST, &list, Some(json!({
            "title": "夜勤の人数を増やしてほしい",
            "body": "週末の夜勤が二人体制だと休憩が取れません。",
            "anonymous": true
        }))).await;
        assert_eq!(status, StatusCode::CREATED, "{hidden}");
        assert_eq!((hidden["status"].as_str(), hidden["mine"].as_bool(), hidden["anonymous"].as_bool()), (Some("received"), Some(true), Some(true)));
        let hidden_id = hidden["id"].as_i64().unwrap();
        let (_, named) = call(&app, Some(&ren), Method::POST, &list, Some(json!({"title": "研修の日程", "body": "平日の夜にも開いてほしいです。"}))).await;
        let named_id = named["id"].as_i64().unwrap();

        // Organisers: both opinions, the anonymous one without any trace of its author.
        let (status, board) = call(&app, Some(&owner), Method::GET, &list, None).await;
        assert_eq!(status, StatusCode::OK);
        let opinions = board["opinions"].as_array().unwrap();
        assert_eq!(opinions.len(), 2);
        assert_eq!(opinions[0]["id"], named_id, "newest first");
        assert_eq!(opinions[0]["author_name"], "田中 蓮");
        assert!(opinions[1]["author_name"].is_null() && opinions[1]["anonymous"] == true && opinions[1]["mine"] == false);
        let text = board.to_string();
        assert!(!text.contains("高橋 芽衣") && !text.contains("mei@example.jp"), "the anonymous author is not named: {text}");
        let (_, detail) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/opinions/{hidden_id}"), None).await;
        assert!(!detail.to_string().contains("高橋") && !detail.to_string().contains(&format!("\"author_id\":{}", mei.id)), "{detail}");
        let unanswered: Vec<i64> = board["unanswered"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).collect();
        assert_eq!(unanswered, vec![hidden_id, named_id], "oldest first");
        assert_eq!(board["figures"]["total"], 2);
        assert_eq!(board["figures"]["responded"], 0);
        assert!(board["figures"]["median_first_response_secs"].is_null());
        // Members see every opinion too, but not the organisers' lists.
        let (_, seen) = call(&app, Some(&ren), Method::GET, &list, None).await;
        assert_eq!(seen["opinions"].as_array().unwrap().len(), 2);
        assert!(seen["unanswered"].is_null() && seen["figures"].is_null());
        assert!(!seen.to_string().contains("高橋 芽衣"));
        let (_, mine) = call(&app, Some(&ren), Method::GET, &format!("{list}?mine=true"), None).await;
        assert_eq!(mine["opinions"].as_array().unwrap().len(), 1);
        assert_eq!(mine["opinions"][0]["id"], named_id);

        // Responding: organisers only, a known status, an answer, a reason to decline.
        let respond = format!("/api/v1/opinions/{hidden_id}/responses");
        let (status, body) = call(&app, Some(&ren), Method::POST, &respond, Some(json!({"status": "answered", "body": "はい"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "not_organiser");
        let (status, body) = call(&app, Some(&owner), Method::POST, &respond, Some(json!({"status": "received", "body": "x"}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_message(&body, "status"), "検討中・回答済み・採用・不採用のどれかを選んでください。");
        let (status, body) = call_in(&app, Some(&owner), "en", Method::POST, &respond, Some(json!({"status": "declined"}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_message(&body, "body"), "Give the reason for declining.");
        let (status, body) = call(&app, Some(&owner), Method::POST, &respond, Some(json!({"status": "answered", "body": ""}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, _) = call(&app, Some(&owner), Method::POST, "/api/v1/opinions/999999/responses", Some(json!({"status": "answered", "body": "x"}))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let (status, discussed) = call(&app, Some(&owner), Method::POST, &respond, Some(json!({"status": "under_discussion"}))).await;
        assert_eq!(status, StatusCode::CREATED, "{discussed}");
        assert_eq!(discussed["status"], "under_discussion");
        let (status, adopted) = call(&app, Some(&owner), Method::POST, &respond, Some(json!({"status": "adopted", "body": "来月から三人体制にします。"}))).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(adopted["status"], "adopted");
        let history = adopted["history"].as_array().unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[1]["body"], "来月から三人体制にします。");
        assert_eq!(history[1]["responder_name"], "佐藤 葵");
        assert_eq!(history[1]["responded_by"], owner.id);
        assert!(adopted["first_response_secs"].as_i64().unwrap() >= 0);
        assert_eq!(adopted["first_response_at"], history[0]["created_at"]);

        // The author sees the recorded answer and was notified of each response.
        let (_, seen) = call(&app, Some(&mei), Method::GET, &format!("/api/v1/opinions/{hidden_id}"), None).await;
        assert_eq!(seen["status"], "adopted");
        assert_eq!(seen["mine"], true);
        let (_, notes) = call(&app, Some(&mei), Method::GET, "/api/v1/notifications", None).await;
        let notes = notes["notifications"].as_array().unwrap();
        assert_eq!(notes.iter().filter(|n| n["kind"] == "opinion_answered").count(), 2, "{notes:?}");
        assert!(notes.iter().any(|n| n["link"] == format!("/opinions/{hidden_id}")));
        let (_, board) = call(&app, Some(&owner), Method::GET, &list, None).await;
        let unanswered: Vec<i64> = board["unanswered"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).collect();
        assert_eq!(unanswered, vec![named_id]);
        assert_eq!((board["figures"]["responded"].as_u64(), board["figures"]["concluded"].as_u64()), (Some(1), Some(1)));
        assert_eq!(board["figures"]["concluded_percent"], 50);
        assert!(board["figures"]["median_first_response_secs"].as_i64().is_some());

        // The author's export has the opinion with every response.
        let (_, export) = call(&app, Some(&mei), Method::GET, "/api/v1/me/export", None).await;
        let own = export["opinions"].as_array().unwrap();
        assert_eq!(own.len(), 1);
        assert_eq!((own[0]["anonymous"].as_bool(), own[0]["status"].as_str()), (Some(true), Some("adopted")));
        assert_eq!(own[0]["responses"].as_array().unwrap().len(), 2);

        let (_, doc) = call(&app, None, Method::GET, "/api/openapi.json", None).await;
        for path in ["/api/v1/communities/{id}/opinions", "/api/v1/opinions/{id}", "/api/v1/opinions/{id}/responses"] {
            assert!(doc["paths"][path].is_object(), "{path} in OpenAPI");
        }
    }

    async fn a_member_sends_at_most_five_opinions_a_day(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let mei = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let ren = person(&app, "ren@example.jp", "田中 蓮").await;
        let id = community(&app, &owner, "worker_coop").await;
        join(&app, &mei, id).await;
        join(&app, &ren, id).await;
        let list = format!("/api/v1/communities/{id}/opinions");

        // Twelve at once, half of them anonymous: five stand, the rest are 429.
        let url = app.url(&list);
        let mut tasks = Vec::new();
        for n in 0..12 {
            let (url, token) = (url.clone(), mei.token.clone());
            tasks.push(tokio::spawn(async move {
                let body = json!({"title": format!("意見 {n}"), "body": "休憩室を広くしてください。", "anonymous": n % 2 == 0});
                let response = send(reqwest::Client::new().post(url).bearer_auth(token).json(&body)).await;
                let status = response.status();
                (status, response.json::<serde_json::Value>().await.unwrap())
            }));
        }
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }
        let created = results.iter().filter(|(s, _)| *s == StatusCode::CREATED).count();
        let refused: Vec<&serde_json::Value> = results.iter().filter(|(s, _)| *s == StatusCode::TOO_MANY_REQUESTS).map(|(_, b)| b).collect();
        assert_eq!((created, refused.len()), (5, 7), "{results:?}");
        assert!(refused.iter().all(|b| b["error"]["code"] == "opinion_daily_limit"), "{refused:?}");
        assert!(refused[0]["error"]["message"].as_str().unwrap().contains("1人1日（24時間）5件まで"), "{}", refused[0]);
        let stored = db.column_as_text(&format!("SELECT title FROM opinions WHERE author_id = {}", mei.id)).await;
        assert_eq!(stored.len(), 5, "nothing refused was stored: {stored:?}");
        let (status, body) = call_in(&app, Some(&mei), "en", Method::POST, &list, Some(json!({"title": "もう一つ", "body": "本文"}))).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert!(body["error"]["message"].as_str().unwrap().contains("up to 5 opinions to this box in a day"), "{body}");
        let (status, _) = call(&app, Some(&ren), Method::POST, &list, Some(json!({"title": "別の人", "body": "本文"}))).await;
        assert_eq!(status, StatusCode::CREATED, "another member has a count of their own");

        // The page says so before, and keeps what was typed when refused.
        let browser = app.browser();
        browser.log_in("mei@example.jp", PASSWORD).await;
        let (_, html) = browser.page(&format!("/communities/{id}/opinions")).await;
        assert!(html.contains("1人1日5件まで送れます"), "{html}");
        let response = browser.post(&format!("/communities/{id}/opinions"), &[("title", "六つ目の意見"), ("body", "更衣室の鍵について"), ("anonymous", "1")]).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let html = response.text().await.unwrap();
        assert!(html.contains("1人1日（24時間）5件まで") && html.contains("value=\"六つ目の意見\"") && html.contains("更衣室の鍵について"), "{html}");
        assert!(html.contains("name=\"anonymous\" type=\"checkbox\" value=\"1\" checked"), "the choice to stay anonymous is kept");
        app.stop().await;
    }

    async fn the_box_is_there_only_when_switched_on(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let professional = community(&app, &owner, "professional").await;
        let path = format!("/api/v1/communities/{professional}/opinions");
        let (status, body) = call(&app, Some(&owner), Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "off by default outside co-ops: {body}");
        assert_eq!(body["error"]["code"], "tool_off");
        app.store
            .set_tool_choice(CommunityId(professional), CommunityTool::OpinionBox, true, tsunagari_domain::time::now())
            .await
            .unwrap();
        let (status, body) = call(&app, Some(&owner), Method::POST, &path, Some(json!({"title": "t", "body": "b"}))).await;
        assert_eq!(status, StatusCode::CREATED, "organisers may switch it on anywhere: {body}");
        let opinion = body["id"].as_i64().unwrap();
        app.store
            .set_tool_choice(CommunityId(professional), CommunityTool::OpinionBox, false, tsunagari_domain::time::now())
            .await
            .unwrap();
        for (method, path, body) in [
            (Method::GET, path.clone(), None),
            (Method::GET, format!("/api/v1/opinions/{opinion}"), None),
            (Method::POST, format!("/api/v1/opinions/{opinion}/responses"), Some(json!({"status": "answered", "body": "x"}))),
        ] {
            let (status, _) = call(&app, Some(&owner), method, &path, body).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path} when the box is off");
        }
        let browser = app.browser();
        browser.log_in("aoi@example.jp", PASSWORD).await;
        for path in [format!("/communities/{professional}/opinions"), format!("/opinions/{opinion}")] {
            let (status, _) = browser.page(&path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
    }

    async fn opinion_pages_work_without_javascript(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = app.browser();
        owner.sign_up("aoi@example.jp", "佐藤 葵").await;
        let created = owner
            .post("/communities", &[("kind", "worker_coop"), ("name", "ワーカーズコープ あおぞら"), ("visibility", "public"), ("membership", "open")])
            .await;
        let id: i64 = location(&created).rsplit('/').next().unwrap().parse().unwrap();
        let member = app.browser_in("en");
        member.sign_up("ren@example.jp", "Ren Tanaka").await;
        member.post(&format!("/communities/{id}/join"), &[]).await;
        let page = format!("/communities/{id}/opinions");

        let (status, html) = member.page(&page).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Opinion box") && html.contains("only the site operator can see it"), "the form says who sees the name: {html}");
        // A refused opinion keeps what was typed.
        let response = member.post(&page, &[("title", ""), ("body", "Evening training, please."), ("anonymous", "1")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("error-summary") && html.contains("Give a title of up to 120 characters."), "{html}");
        assert!(html.contains("Evening training, please.") && html.contains("name=\"anonymous\" type=\"checkbox\" value=\"1\" checked"), "{html}");
        let response = member.post(&page, &[("title", "Training in the evening"), ("body", "Evening training, please.\nWeekdays are hard."), ("anonymous", "1")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let opinion_path = location(&response);
        assert!(opinion_path.starts_with("/opinions/"), "{opinion_path}");
        let (_, html) = member.page(&opinion_path).await;
        assert!(html.contains("From you (others see no name)") && html.contains("Received"), "{html}");
        assert!(!html.contains("/responses"), "members do not get the response form");

        // The organiser sees it unnamed, in the waiting list, and answers it.
        let (_, html) = owner.page(&page).await;
        assert!(html.contains("最初の回答を待っている意見") && html.contains("Training in the evening"), "{html}");
        assert!(html.contains("匿名") && !html.contains("Ren Tanaka"), "anonymous to organisers: {html}");
        let response = owner.post(&format!("{opinion_path}/responses"), &[("status", "declined"), ("body", "")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("不採用の理由を書いてください。") && html.contains("value=\"declined\" selected"), "{html}");
        let response = owner.post(&format!("{opinion_path}/responses"), &[("status", "adopted"), ("body", "来月から平日夜の研修を始めます。")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = owner.page(&page).await;
        assert!(html.contains("すべての意見に回答があります。"), "{html}");
        assert!(html.contains("回答・採用・不採用まで済んだ意見") && html.contains("100%"), "{html}");

        // The member sees the recorded answer, with who and when, and was told.
        let (_, html) = member.page(&opinion_path).await;
        assert!(html.contains("Adopted") && html.contains("来月から平日夜の研修を始めます。") && html.contains("佐藤 葵"), "{html}");
        assert!(html.contains("First response after"), "{html}");
        let (_, html) = member.page("/notifications").await;
        assert!(html.contains("The organisers responded to your opinion “Training in the evening”."), "{html}");
        let (_, html) = member.page(&format!("{page}?show=mine")).await;
        assert!(html.contains("Training in the evening") && html.contains("aria-current=\"page\">Mine"), "{html}");
    }
}
