//! Threads, replies, reports, moderation and the audit log over the API and
//! the pages, on SQLite and PostgreSQL.

use crate::common;

use common::{Browser, PASSWORD, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A person with an API token and a logged-in browser.
struct Person {
    token: String,
    id: i64,
    browser: Browser,
}

async fn person(app: &TestApp, email: &str, name: &str) -> Person {
    let (id, token) = common::api_account(app, email, name).await;
    let browser = app.browser();
    assert_eq!(
        browser.log_in(email, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    Person { token, id, browser }
}

async fn call(
    app: &TestApp,
    who: Option<&Person>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    common::strict_json_call(app, who.map(|p| p.token.as_str()), method, path, body).await
}

/// A community owned by `owner`, with `members` joined; returns its id.
async fn community(app: &TestApp, owner: &Person, visibility: &str, members: &[&Person]) -> i64 {
    let (status, created) = call(
        app,
        Some(owner),
        Method::POST,
        "/api/v1/communities",
        Some(
            json!({"kind": "professional", "name": "キャリア相談の広場", "visibility": visibility}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    for member in members {
        let (status, _) = call(
            app,
            Some(member),
            Method::POST,
            &format!("/api/v1/communities/{id}/members"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    id
}

async fn post_thread(
    app: &TestApp,
    who: &Person,
    community: i64,
    body: Value,
) -> (StatusCode, Value) {
    call(
        app,
        Some(who),
        Method::POST,
        &format!("/api/v1/communities/{community}/threads"),
        Some(body),
    )
    .await
}

async fn new_thread(app: &TestApp, who: &Person, community: i64, title: &str) -> i64 {
    let (status, thread) = post_thread(
        app,
        who,
        community,
        json!({"title": title, "body": format!("{title}の本文です。")}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{thread}");
    thread["id"].as_i64().unwrap()
}

async fn new_reply(app: &TestApp, who: &Person, thread: i64, body: &str) -> i64 {
    let (status, reply) = call(
        app,
        Some(who),
        Method::POST,
        &format!("/api/v1/threads/{thread}/replies"),
        Some(json!({"body": body})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    reply["id"].as_i64().unwrap()
}

async fn moderate(who: &Person, path: &str, action: &str, reason: &str) -> StatusCode {
    who.browser
        .post(path, &[("action", action), ("reason", reason)])
        .await
        .status()
}

async fn report(who: &Person, path: String, reason: &str) -> StatusCode {
    who.browser
        .post(&path, &[("reason", reason)])
        .await
        .status()
}

fn titles(list: &Value) -> Vec<String> {
    list["threads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_owned())
        .collect()
}

tsunagari_store::backend_tests! {
    async fn members_post_reply_and_change_only_their_own_posts(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let ren = person(&app, "ren@example.jp", "田中 蓮").await;
        let mei = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let id = community(&app, &aoi, "public", &[&ren]).await;

        let (status, thread) = post_thread(&app, &ren, id, json!({"title": "面接の逆質問", "body": "皆さんは何を聞きますか？"})).await;
        assert_eq!(status, StatusCode::CREATED, "{thread}");
        assert_eq!(thread["author_name"], "田中 蓮");
        assert_eq!(thread["is_announcement"], false);
        assert_eq!(thread["reply_count"], 0);
        let thread_id = thread["id"].as_i64().unwrap();

        let (status, body) = post_thread(&app, &mei, id, json!({"title": "部外者", "body": "x"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "not_member");
        let (status, body) = post_thread(&app, &ren, id, json!({"title": " ", "body": "", "is_announcement": false})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["title"].is_array() && body["error"]["fields"]["body"].is_array(), "{body}");
        let (status, _) = post_thread(&app, &ren, id, json!({"title": "あ".repeat(151), "body": "本文"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        let aoi_reply = new_reply(&app, &aoi, thread_id, "働き方について聞きます。").await;
        let ren_reply = new_reply(&app, &ren, thread_id, "ありがとうございます！").await;
        let (status, body) = call(&app, Some(&mei), Method::POST, &format!("/api/v1/threads/{thread_id}/replies"), Some(json!({"body": "x"}))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_member")));
        let (status, body) = call(&app, Some(&ren), Method::POST, &format!("/api/v1/threads/{thread_id}/replies"), Some(json!({"body": "  "}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["body"].is_array());
        let (_, shown) = call(&app, None, Method::GET, &format!("/api/v1/threads/{thread_id}"), None).await;
        assert_eq!(shown["reply_count"], 2);
        assert_eq!(shown["replies"][0]["body"], "働き方について聞きます。");

        // Others' posts: 403, own posts: fine.
        let path = format!("/api/v1/threads/{thread_id}");
        let (status, body) = call(&app, Some(&aoi), Method::PATCH, &path, Some(json!({"title": "乗っ取り"}))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_author")));
        let (status, body) = call(&app, Some(&ren), Method::PATCH, &path, Some(json!({"title": "面接の逆質問、何を聞く？"}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["title"], "面接の逆質問、何を聞く？");
        assert_eq!(body["body"], "皆さんは何を聞きますか？");
        assert!(body["edited_at"].is_string());
        let (status, _) = call(&app, Some(&ren), Method::PATCH, &path, Some(json!({"body": ""}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let reply_path = format!("/api/v1/replies/{ren_reply}");
        let (status, _) = call(&app, Some(&aoi), Method::PATCH, &reply_path, Some(json!({"body": "改ざん"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(&app, Some(&aoi), Method::DELETE, &reply_path, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = call(&app, Some(&ren), Method::PATCH, &reply_path, Some(json!({"body": "助かりました！"}))).await;
        assert_eq!((status, body["body"].as_str()), (StatusCode::OK, Some("助かりました！")));
        let (status, _) = call(&app, Some(&ren), Method::DELETE, &reply_path, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, shown) = call(&app, None, Method::GET, &path, None).await;
        assert_eq!(shown["reply_count"], 1);
        assert_eq!(shown["replies"][1]["state"], "deleted", "a stub stays: {shown}");
        assert_eq!(shown["replies"][1]["body"], "");
        let (status, _) = call(&app, Some(&ren), Method::PATCH, &reply_path, Some(json!({"body": "復活"}))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Pages: others see no edit link; the author does, and gets a 403 on others' edit pages.
        let (_, html) = ren.browser.page(&format!("/threads/{thread_id}")).await;
        assert!(html.contains(&format!("/threads/{thread_id}/edit")));
        assert!(html.contains("この投稿は投稿者により削除されました。"));
        let (_, html) = aoi.browser.page(&format!("/threads/{thread_id}")).await;
        assert!(!html.contains(&format!("/threads/{thread_id}/edit")));
        let (status, _) = aoi.browser.page(&format!("/threads/{thread_id}/edit")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let response = aoi.browser.post(&format!("/threads/{thread_id}/delete"), &[]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = ren.browser.post(&format!("/replies/{aoi_reply}/edit"), &[("body", "x")]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);

        // Deleting a thread with replies keeps them readable under a stub.
        let response = ren.browser.post(&format!("/threads/{thread_id}/delete"), &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (status, shown) = call(&app, None, Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!((shown["state"].as_str(), shown["title"].as_str()), (Some("deleted"), Some("")));
        assert_eq!(shown["replies"][0]["body"], "働き方について聞きます。");
        let (_, html) = aoi.browser.page(&format!("/threads/{thread_id}")).await;
        assert!(html.contains("（削除された投稿）") && html.contains("働き方について聞きます。"));
        let (status, body) = call(&app, Some(&aoi), Method::POST, &format!("{path}/replies"), Some(json!({"body": "まだ話せますか"}))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("post_closed")));

        // A deleted thread without replies disappears.
        let lonely = new_thread(&app, &ren, id, "ひとりごと").await;
        let (status, _) = call(&app, Some(&ren), Method::DELETE, &format!("/api/v1/threads/{lonely}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = call(&app, None, Method::GET, &format!("/api/v1/threads/{lonely}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, list) = call(&app, None, Method::GET, &format!("/api/v1/communities/{id}/threads"), None).await;
        assert_eq!(titles(&list), vec![""], "only the deleted thread that has replies: {list}");

        for (method, path) in [(Method::GET, "/api/v1/threads/9999"), (Method::PATCH, "/api/v1/replies/9999"), (Method::GET, "/api/v1/communities/9999/threads")] {
            let (status, _) = call(&app, Some(&ren), method, path, Some(json!({"body": "x"}))).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let (status, _) = call(&app, None, Method::POST, &format!("/api/v1/communities/{id}/threads"), Some(json!({"title": "x", "body": "y"}))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (_, document) = call(&app, None, Method::GET, "/api/openapi.json", None).await;
        for path in ["/api/v1/communities/{id}/threads", "/api/v1/threads/{id}", "/api/v1/threads/{id}/replies", "/api/v1/replies/{id}"] {
            assert!(document["paths"][path].is_object(), "{path} in the OpenAPI document");
        }
        assert!(document["components"]["schemas"]["ThreadDetail"].is_object());
    }

    async fn only_organisers_pin_and_announce(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let ren = person(&app, "ren@example.jp", "田中 蓮").await;
        let id = community(&app, &aoi, "public", &[&ren]).await;

        let (status, body) = post_thread(&app, &ren, id, json!({"title": "告知", "body": "x", "is_announcement": true})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_organiser")));
        let (status, body) = post_thread(&app, &ren, id, json!({"title": "固定", "body": "x", "is_pinned": true})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

        let (status, announcement) = post_thread(&app, &aoi, id, json!({"title": "12月の勉強会のお知らせ", "body": "参加者募集中です。", "is_announcement": true})).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(announcement["is_announcement"], true);
        let announcement = announcement["id"].as_i64().unwrap();
        let first = new_thread(&app, &ren, id, "最初の話題").await;
        let _second = new_thread(&app, &ren, id, "二つ目の話題").await;

        let (_, list) = call(&app, None, Method::GET, &format!("/api/v1/communities/{id}/threads"), None).await;
        assert_eq!(titles(&list), vec!["二つ目の話題", "最初の話題", "12月の勉強会のお知らせ"], "latest activity first");
        new_reply(&app, &ren, first, "追記です。").await;
        let (_, list) = call(&app, None, Method::GET, &format!("/api/v1/communities/{id}/threads"), None).await;
        assert_eq!(titles(&list)[0], "最初の話題", "a reply moves a thread up");
        assert_eq!(list["threads"][0]["reply_count"], 1);

        assert_eq!(moderate(&ren, &format!("/threads/{announcement}/moderate"), "pin", "").await, StatusCode::FORBIDDEN);
        assert_eq!(moderate(&ren, &format!("/threads/{first}/moderate"), "announce", "").await, StatusCode::FORBIDDEN);
        assert_eq!(moderate(&aoi, &format!("/threads/{announcement}/moderate"), "pin", "").await, StatusCode::SEE_OTHER);
        let (_, list) = call(&app, None, Method::GET, &format!("/api/v1/communities/{id}/threads"), None).await;
        assert_eq!(titles(&list)[0], "12月の勉強会のお知らせ", "pinned first");
        assert_eq!(list["threads"][0]["is_pinned"], true);
        assert_eq!(moderate(&aoi, &format!("/threads/{first}/moderate"), "announce", "").await, StatusCode::SEE_OTHER);
        let (_, shown) = call(&app, None, Method::GET, &format!("/api/v1/threads/{first}"), None).await;
        assert_eq!(shown["is_announcement"], true);

        // The community page lists them with badges, reply counts and times in Tokyo time.
        let (_, html) = ren.browser.page(&format!("/communities/{id}")).await;
        let pinned_at = html.find("12月の勉強会のお知らせ").unwrap();
        assert!(pinned_at < html.find("二つ目の話題").unwrap());
        assert!(html.contains("お知らせ") && html.contains("固定") && html.contains("返信 1 件") && html.contains("(JST)"));
        assert!(html.contains(&format!("/communities/{id}/threads/new")));
        let (_, html) = app.browser().page(&format!("/communities/{id}")).await;
        assert!(!html.contains(&format!("/communities/{id}/threads/new")), "visitors get no new-thread link");
        let (status, _) = ren.browser.page(&format!("/communities/{id}/threads/new")).await;
        assert_eq!(status, StatusCode::OK);
        let (_, form) = ren.browser.page(&format!("/communities/{id}/threads/new")).await;
        assert!(!form.contains("name=\"announcement\""), "members are not offered the organiser options");
        let (_, form) = aoi.browser.page(&format!("/communities/{id}/threads/new")).await;
        assert!(form.contains("name=\"announcement\""));
    }

    async fn members_only_threads_stay_with_members(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let ren = person(&app, "ren@example.jp", "田中 蓮").await;
        let mei = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let id = community(&app, &aoi, "members", &[&ren]).await;
        let thread = new_thread(&app, &aoi, id, "組合員だけの相談").await;
        new_reply(&app, &ren, thread, "内密の話").await;

        for who in [Some(&mei), None] {
            let (status, body) = call(&app, who, Method::GET, &format!("/api/v1/communities/{id}/threads"), None).await;
            assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("members_only")));
            let (status, body) = call(&app, who, Method::GET, &format!("/api/v1/threads/{thread}"), None).await;
            assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("members_only")));
            assert!(!body.to_string().contains("組合員だけの相談"));
        }
        for browser in [&mei.browser, &app.browser()] {
            let (status, html) = browser.page(&format!("/threads/{thread}")).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
            assert!(!html.contains("組合員だけの相談") && !html.contains("内密の話"));
            let (status, html) = browser.page(&format!("/communities/{id}")).await;
            assert_eq!(status, StatusCode::OK);
            assert!(!html.contains("組合員だけの相談"));
        }
        let (status, list) = call(&app, Some(&ren), Method::GET, &format!("/api/v1/communities/{id}/threads"), None).await;
        assert_eq!((status, titles(&list)), (StatusCode::OK, vec!["組合員だけの相談".to_owned()]));
        let (_, html) = ren.browser.page(&format!("/threads/{thread}")).await;
        assert!(html.contains("内密の話"));
    }

    async fn hidden_and_removed_posts_disappear_for_members(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let ren = person(&app, "ren@example.jp", "田中 蓮").await;
        let mei = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let id = community(&app, &aoi, "public", &[&ren, &mei]).await;
        let thread = new_thread(&app, &ren, id, "転職の相談").await;
        let kept = new_reply(&app, &ren, thread, "よろしくお願いします").await;
        let spam = new_reply(&app, &mei, thread, "怪しい副業の宣伝").await;
        let doxx = new_reply(&app, &mei, thread, "個人の電話番号 090-0000-0000").await;
        let other = new_thread(&app, &mei, id, "削除されるスレッド").await;

        assert_eq!(moderate(&mei, &format!("/replies/{spam}/moderate"), "hide", "").await, StatusCode::FORBIDDEN);
        assert_eq!(moderate(&aoi, &format!("/replies/{spam}/moderate"), "hide", "宣伝のため").await, StatusCode::SEE_OTHER);
        assert_eq!(moderate(&aoi, &format!("/replies/{doxx}/moderate"), "remove", "個人情報").await, StatusCode::SEE_OTHER);
        assert_eq!(moderate(&aoi, &format!("/threads/{other}/moderate"), "remove", "").await, StatusCode::SEE_OTHER);

        let (_, shown) = call(&app, Some(&ren), Method::GET, &format!("/api/v1/threads/{thread}"), None).await;
        let ids: Vec<i64> = shown["replies"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, vec![kept], "members see neither hidden nor removed replies");
        assert_eq!(shown["reply_count"], 1);
        let (_, html) = ren.browser.page(&format!("/threads/{thread}")).await;
        assert!(!html.contains("怪しい副業の宣伝") && !html.contains("090-0000-0000"));

        let (_, shown) = call(&app, Some(&aoi), Method::GET, &format!("/api/v1/threads/{thread}"), None).await;
        let states: Vec<&str> = shown["replies"].as_array().unwrap().iter().map(|r| r["state"].as_str().unwrap()).collect();
        assert_eq!(states, vec!["visible", "hidden", "removed"]);
        assert_eq!(shown["replies"][1]["body"], "怪しい副業の宣伝", "organisers still see hidden content");
        assert_eq!(shown["replies"][2]["body"], "", "removed content is gone");
        let (_, html) = aoi.browser.page(&format!("/threads/{thread}")).await;
        assert!(html.contains("怪しい副業の宣伝") && html.contains("非表示") && !html.contains("090-0000-0000"));
        assert!(html.contains("この投稿は運営者により削除されました。"));
        let stored = db.column_as_text(&format!("SELECT body FROM replies WHERE id = {doxx}")).await;
        assert_eq!(stored, vec![String::new()], "the row stays, the content does not");

        // A removed thread: gone for members, marked for organisers.
        let (status, _) = call(&app, Some(&mei), Method::GET, &format!("/api/v1/threads/{other}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, list) = call(&app, Some(&ren), Method::GET, &format!("/api/v1/communities/{id}/threads"), None).await;
        assert_eq!(titles(&list), vec!["転職の相談"]);
        let (_, list) = call(&app, Some(&aoi), Method::GET, &format!("/api/v1/communities/{id}/threads"), None).await;
        let states: Vec<&str> = list["threads"].as_array().unwrap().iter().map(|t| t["state"].as_str().unwrap()).collect();
        assert_eq!(states, vec!["removed", "visible"]);

        // Hiding and unhiding a thread.
        assert_eq!(moderate(&aoi, &format!("/threads/{thread}/moderate"), "hide", "").await, StatusCode::SEE_OTHER);
        let (status, _) = call(&app, Some(&ren), Method::GET, &format!("/api/v1/threads/{thread}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = ren.browser.page(&format!("/threads/{thread}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, shown) = call(&app, Some(&aoi), Method::GET, &format!("/api/v1/threads/{thread}"), None).await;
        assert_eq!((status, shown["state"].as_str()), (StatusCode::OK, Some("hidden")));
        let (_, html) = aoi.browser.page(&format!("/communities/{id}")).await;
        assert!(html.contains("転職の相談") && html.contains("非表示"));
        assert_eq!(moderate(&aoi, &format!("/threads/{thread}/moderate"), "unhide", "").await, StatusCode::SEE_OTHER);
        let (status, _) = call(&app, Some(&ren), Method::GET, &format!("/api/v1/threads/{thread}"), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(moderate(&aoi, &format!("/replies/{kept}/moderate"), "pin", "").await, StatusCode::NOT_FOUND, "replies cannot be pinned");
        assert_eq!(moderate(&aoi, &format!("/threads/{thread}/moderate"), "explode", "").await, StatusCode::BAD_REQUEST);
    }

    async fn one_report_per_person_and_a_queue_for_organisers(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let ren = person(&app, "ren@example.jp", "田中 蓮").await;
        let mei = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let sota = person(&app, "sota@example.jp", "渡辺 蒼太").await;
        let id = community(&app, &aoi, "public", &[&ren, &mei]).await;
        let thread = new_thread(&app, &ren, id, "勉強会の感想").await;
        let reply = new_reply(&app, &ren, thread, "強い言葉の返信").await;

        assert_eq!(report(&mei, format!("/replies/{reply}/report"), "攻撃的な表現です").await, StatusCode::SEE_OTHER);
        assert_eq!(report(&mei, format!("/replies/{reply}/report"), "もう一度").await, StatusCode::CONFLICT, "one report per person per post");
        assert_eq!(report(&mei, format!("/threads/{thread}/report"), "").await, StatusCode::SEE_OTHER, "another post is fine");
        assert_eq!(report(&aoi, format!("/replies/{reply}/report"), "").await, StatusCode::SEE_OTHER, "another person is fine");
        assert_eq!(report(&sota, format!("/replies/{reply}/report"), "").await, StatusCode::FORBIDDEN, "members only");
        assert_eq!(report(&mei, "/replies/9999/report".to_owned(), "").await, StatusCode::NOT_FOUND);
        let long = "長".repeat(501);
        assert_eq!(report(&ren, format!("/threads/{thread}/report"), &long).await, StatusCode::UNPROCESSABLE_ENTITY);

        let (status, _) = ren.browser.page(&format!("/communities/{id}/reports")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, html) = aoi.browser.page(&format!("/communities/{id}/reports")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("攻撃的な表現です") && html.contains("高橋 芽衣") && html.contains("強い言葉の返信"));
        assert_eq!(html.matches("class=\"report\"").count(), 3);

        // Hiding closes that post's reports; dismissing closes the rest.
        let response = aoi.browser.post(&format!("/replies/{reply}/moderate"), &[("action", "hide"), ("back", "reports")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(common::location(&response), format!("/communities/{id}/reports"));
        let (_, html) = aoi.browser.page(&format!("/communities/{id}/reports")).await;
        assert_eq!(html.matches("class=\"report\"").count(), 1);
        assert_eq!(moderate(&aoi, &format!("/threads/{thread}/moderate"), "dismiss", "問題なし").await, StatusCode::SEE_OTHER);
        let (_, html) = aoi.browser.page(&format!("/communities/{id}/reports")).await;
        assert!(html.contains("未対応の通報はありません。"));
        assert_eq!(report(&mei, format!("/replies/{reply}/report"), "").await, StatusCode::NOT_FOUND, "hidden posts cannot be reported by members");
    }

    async fn the_audit_log_records_moderation_and_member_changes(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let ren = person(&app, "ren@example.jp", "田中 蓮").await;
        let mei = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let sota = person(&app, "sota@example.jp", "渡辺 蒼太").await;
        let id = community(&app, &aoi, "public", &[&ren, &mei]).await;
        let thread = new_thread(&app, &mei, id, "宣伝スレッド").await;
        let reply = new_reply(&app, &mei, thread, "宣伝の返信").await;

        assert_eq!(moderate(&aoi, &format!("/replies/{reply}/moderate"), "hide", "宣伝のため").await, StatusCode::SEE_OTHER);
        assert_eq!(moderate(&aoi, &format!("/replies/{reply}/moderate"), "hide", "").await, StatusCode::SEE_OTHER, "a repeat changes nothing");
        assert_eq!(moderate(&aoi, &format!("/threads/{thread}/moderate"), "remove", "").await, StatusCode::SEE_OTHER);
        for (member, action) in [(ren.id, "promote"), (ren.id, "demote"), (mei.id, "ban")] {
            let response = aoi.browser.post(&format!("/communities/{id}/members/{member}"), &[("action", action)]).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{action}");
        }

        let (status, html) = aoi.browser.page(&format!("/communities/{id}/audit")).await;
        assert_eq!(status, StatusCode::OK);
        for expected in ["投稿を非表示にした", "宣伝のため", "投稿を削除した", "運営者にした", "メンバーに戻した", "メンバーを参加禁止にした", "高橋 芽衣", "田中 蓮", "佐藤 葵"] {
            assert!(html.contains(expected), "{expected} in the audit log");
        }
        assert_eq!(html.matches("<tr>").count(), 5 + 1, "five entries and the header row");
        assert!(html.contains(&format!("/threads/{thread}#reply-{reply}")), "reply targets link to their place");
        let english = app.browser_in("en");
        english.log_in("aoi@example.jp", PASSWORD).await;
        english.post("/language", &[("locale", "en"), ("return_to", "/")]).await;
        let (_, html) = english.page(&format!("/communities/{id}/audit")).await;
        assert!(html.contains("Banned a member") && html.contains("Hid a post"));

        for who in [&ren, &sota] {
            let (status, html) = who.browser.page(&format!("/communities/{id}/audit")).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
            assert!(!html.contains("宣伝のため"));
        }
        let response = app.browser().get(&format!("/communities/{id}/audit")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "visitors are sent to log in");

        // Append-only, down to the database.
        let now = tsunagari_domain::time::now();
        assert!(db.try_execute_with_time("UPDATE audit_log SET reason = 'x' WHERE created_at < $1", now).await.is_err());
        assert!(db.try_execute_with_time("DELETE FROM audit_log WHERE created_at < $1", now).await.is_err());
        assert_eq!(db.column_as_text("SELECT action FROM audit_log ORDER BY id").await.len(), 5);
    }

    async fn markdown_is_rendered_safely_and_bad_forms_keep_their_input(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let id = community(&app, &aoi, "public", &[]).await;
        let response = aoi
            .browser
            .post(&format!("/communities/{id}/threads"), &[("title", "書式の確認"), ("body", "**太字** <script>alert(1)</script> [罠](javascript:alert(1))")])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let thread_path = common::location(&response);
        let (_, html) = aoi.browser.page(&thread_path).await;
        assert!(html.contains("<strong>太字</strong>"));
        assert!(!html.contains("<script>alert(1)</script>") && html.contains("&lt;script&gt;"));
        assert!(!html.contains("href=\"javascript:"));

        let response = aoi.browser.post(&format!("/communities/{id}/threads"), &[("title", ""), ("body", "残したい本文")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("残したい本文") && html.contains("タイトルを150文字以内で入力してください。"));
        let response = aoi.browser.post(&format!("{thread_path}/replies"), &[("body", "   ")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("本文を20,000文字以内で入力してください。") && html.contains("書式の確認"));
        let long = "長".repeat(20_001);
        let response = aoi.browser.post(&format!("{thread_path}/replies"), &[("body", long.as_str())]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains(&long), "the reply form keeps what was typed");
        let response = aoi.browser.post(&format!("{thread_path}/replies"), &[("body", "返信 <b>太く</b>")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = aoi.browser.page(&thread_path).await;
        assert!(html.contains("&lt;b&gt;太く&lt;/b&gt;"));
        let (status, html) = aoi.browser.page(&format!("{thread_path}/edit")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("書式の確認"));
        let response = aoi.browser.post(&format!("{thread_path}/edit"), &[("title", "あ".repeat(151).as_str()), ("body", "新しい本文")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("新しい本文"));
    }

    async fn leaving_a_community_keeps_the_posts(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let ren = person(&app, "ren@example.jp", "田中 蓮").await;
        let id = community(&app, &aoi, "public", &[&ren]).await;
        let thread = new_thread(&app, &ren, id, "卒業のご挨拶").await;
        let reply = new_reply(&app, &ren, thread, "お世話になりました").await;
        let (status, _) = call(&app, Some(&ren), Method::DELETE, &format!("/api/v1/communities/{id}/members/me"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);

        let (_, shown) = call(&app, None, Method::GET, &format!("/api/v1/threads/{thread}"), None).await;
        assert_eq!(shown["title"], "卒業のご挨拶");
        assert_eq!(shown["author_name"], "田中 蓮");
        assert_eq!(shown["replies"][0]["body"], "お世話になりました");
        let (status, _) = call(&app, Some(&ren), Method::POST, &format!("/api/v1/threads/{thread}/replies"), Some(json!({"body": "追伸"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "former members no longer post");
        let (status, _) = call(&app, Some(&ren), Method::DELETE, &format!("/api/v1/replies/{reply}"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "but may still delete what they wrote");

        // Deleting the account keeps the posts, without the name.
        new_reply(&app, &aoi, thread, "またいつでも戻ってきてください").await;
        let (status, _) = call(&app, Some(&ren), Method::DELETE, "/api/v1/me", None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, shown) = call(&app, None, Method::GET, &format!("/api/v1/threads/{thread}"), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!((shown["title"].as_str(), shown["author_name"].is_null()), (Some("卒業のご挨拶"), true));
        let (_, html) = aoi.browser.page(&format!("/threads/{thread}")).await;
        assert!(html.contains("退会したユーザー") && html.contains("佐藤 葵"));
    }
}
