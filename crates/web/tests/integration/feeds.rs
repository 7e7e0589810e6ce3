//! Atom feeds over HTTP, on SQLite and PostgreSQL, read back by a real
//! parser (Python's `feedparser`): a public community's announcements and
//! new threads with awkward text escaped, stable ids and links; none for a
//! members-only community; public events, all or by prefecture; the
//! `<link rel="alternate">` in page heads.

use crate::common;

use common::{TestApp, api_account};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Value) -> Value {
    let response = app
        .api()
        .request(method, app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap_or(Value::Null)
}

/// A local date-time `days` from now at `hour` Tokyo time.
fn local_day(days: i64, hour: u32) -> String {
    let date = (chrono::Utc::now() + chrono::Duration::days(days))
        .with_timezone(&chrono_tz::Asia::Tokyo)
        .date_naive();
    format!("{}T{hour:02}:00", date.format("%Y-%m-%d"))
}

async fn feed(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app
        .api()
        .get(app.url(path))
        .header("accept-language", "ja")
        .send()
        .await
        .unwrap();
    let status = response.status();
    if status == StatusCode::OK {
        assert_eq!(
            response.headers()["content-type"],
            "application/atom+xml; charset=utf-8"
        );
    }
    (status, response.text().await.unwrap())
}

/// Parses a feed with Python's feedparser and returns what it read as JSON:
/// bozo flag, version, feed title/id/links, and each entry's id, title,
/// link, author, updated, tags and content. Skips (saying why) when
/// feedparser is missing, unless TSUNAGARI_REQUIRE_ALL=1.
fn parse(text: &str) -> Option<Value> {
    let script = r#"
import feedparser, json, sys
d = feedparser.parse(sys.stdin.buffer.read())
out = {
    "bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")), "version": d.version,
    "title": d.feed.get("title"), "id": d.feed.get("id"), "updated": d.feed.get("updated"),
    "language": d.feed.get("language"),
    "links": [[l.get("rel"), l.get("href")] for l in d.feed.get("links", [])],
    "entries": [{
        "id": e.get("id"), "title": e.get("title"), "link": e.get("link"), "author": e.get("author"),
        "updated": e.get("updated"), "updated_ok": e.get("updated_parsed") is not None,
        "published_ok": e.get("published_parsed") is not None,
        "tags": [t.get("term") for t in e.get("tags", [])],
        "summary": e.get("summary"),
        "content": [c.get("value") for c in e.get("content", [])],
    } for e in d.entries],
}
print(json.dumps(out, ensure_ascii=False))
"#;
    let out = common::outside_reader("feedparser", "Atom validation", script, text)?;
    assert!(
        out.status.success(),
        "feedparser failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        parsed["bozo"], false,
        "feedparser found the feed malformed: {}\n{text}",
        parsed["error"]
    );
    assert_eq!(parsed["version"], "atom10");
    Some(parsed)
}

tsunagari_store::backend_tests! {
    async fn a_public_community_s_feed_has_its_announcements_and_threads(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (_, owner) = api_account(&app, "owner@example.jp", "高橋 \"芽衣\" <編集>").await;
        let community = call(&app, &owner, Method::POST, "/api/v1/communities", json!({"kind": "professional", "name": "介護 & 福祉の<対話>カフェ", "visibility": "public"})).await["id"].as_i64().unwrap();
        call(&app, &owner, Method::POST, &format!("/api/v1/communities/{community}/threads"), json!({"title": "12月のテーマ <b>夜勤明け</b> & 学び", "body": "**太字**と<script>alert('x')</script>と [リンク](/communities/1)\n\n改行\u{1}も", "is_announcement": true})).await;
        call(&app, &owner, Method::POST, &format!("/api/v1/communities/{community}/threads"), json!({"title": "実務者研修の時間のつくり方", "body": "経験を教えてください。"})).await;
        let (status, text) = feed(&app, &format!("/communities/{community}/feed.atom")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!text.contains("<script>"), "HTML travels escaped");
        let Some(parsed) = parse(&text) else { return };
        assert_eq!(parsed["title"], "介護 & 福祉の<対話>カフェ（tsunagari）");
        assert_eq!(parsed["language"], "ja");
        assert!(parsed["id"].as_str().unwrap().starts_with("tag:tsunagari.invalid,"));
        let links = parsed["links"].as_array().unwrap();
        assert!(links.iter().any(|l| l[0] == "self" && l[1].as_str().unwrap().ends_with(&format!("/communities/{community}/feed.atom"))));
        assert!(links.iter().any(|l| l[0] == "alternate" && l[1].as_str().unwrap().ends_with(&format!("/communities/{community}"))));
        let entries = parsed["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 2);
        // Newest first.
        assert_eq!(entries[0]["title"], "実務者研修の時間のつくり方");
        assert_eq!(entries[0]["tags"], json!(["thread"]));
        let announcement = &entries[1];
        assert_eq!(announcement["title"], "12月のテーマ <b>夜勤明け</b> & 学び");
        assert_eq!(announcement["tags"], json!(["announcement"]));
        assert_eq!(announcement["author"], "高橋 \"芽衣\" <編集>");
        assert!(announcement["link"].as_str().unwrap().contains("/threads/"));
        assert!(announcement["updated_ok"].as_bool().unwrap() && announcement["published_ok"].as_bool().unwrap());
        let content = announcement["content"][0].as_str().unwrap();
        assert!(content.contains("<strong>太字</strong>"), "{content}");
        assert!(!content.contains("<script"), "sanitised: {content}");
        // Ids do not change from one read to the next.
        let (_, again) = feed(&app, &format!("/communities/{community}/feed.atom")).await;
        let again = parse(&again).unwrap();
        assert_eq!(again["entries"][1]["id"], announcement["id"]);
        assert_ne!(entries[0]["id"], entries[1]["id"]);

        // The community page announces its feed.
        let (_, page) = app.browser().page(&format!("/communities/{community}")).await;
        assert!(page.contains(&format!("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"介護 &#38; 福祉の&#60;対話&#62;カフェ（tsunagari）\" href=\"/communities/{community}/feed.atom\">")), "{page}");

        // English readers get English feed texts; content stays as written.
        let response = app.api().get(app.url(&format!("/communities/{community}/feed.atom"))).header("accept-language", "en").send().await.unwrap();
        let en = parse(&response.text().await.unwrap()).unwrap();
        assert_eq!(en["language"], "en");
        assert_eq!(en["title"], "介護 & 福祉の<対話>カフェ (tsunagari)");
    }

    async fn members_only_and_unknown_communities_have_no_feed(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (_, owner) = api_account(&app, "owner@example.jp", "高橋 芽衣").await;
        let closed = call(&app, &owner, Method::POST, "/api/v1/communities", json!({"kind": "union", "name": "会員だけの組合", "visibility": "members"})).await["id"].as_i64().unwrap();
        call(&app, &owner, Method::POST, &format!("/api/v1/communities/{closed}/threads"), json!({"title": "組合員だけの話", "body": "内緒"})).await;
        let (status, body) = feed(&app, &format!("/communities/{closed}/feed.atom")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!body.contains("組合員だけの話"));
        // Not even for a member with a session: a feed is nobody's session.
        let member = app.browser();
        member.log_in("owner@example.jp", common::PASSWORD).await;
        assert_eq!(member.get(&format!("/communities/{closed}/feed.atom")).await.status(), StatusCode::NOT_FOUND);
        let (_, page) = member.page(&format!("/communities/{closed}")).await;
        assert!(!page.contains("application/atom+xml"));
        let (status, _) = feed(&app, "/communities/999999/feed.atom").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn public_events_have_a_feed_by_prefecture(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (_, owner) = api_account(&app, "owner@example.jp", "高橋 芽衣").await;
        let public = call(&app, &owner, Method::POST, "/api/v1/communities", json!({"kind": "professional", "name": "公開の会", "visibility": "public"})).await["id"].as_i64().unwrap();
        let closed = call(&app, &owner, Method::POST, "/api/v1/communities", json!({"kind": "npo", "name": "会員限定の会", "visibility": "members"})).await["id"].as_i64().unwrap();
        let event = |community: i64, title: &str, days: i64, prefecture: Option<&str>| {
            let body = match prefecture {
                None => json!({"title": title, "description": "説明 & <詳細>", "starts_at": local_day(days, 19), "ends_at": local_day(days, 21), "online": true, "online_url": "https://meet.example.jp/x"}),
                Some(p) => json!({"title": title, "starts_at": local_day(days, 19), "ends_at": local_day(days, 21), "online": false, "venue": "会議室 A&B", "prefecture": p}),
            };
            let app = &app;
            let owner = owner.clone();
            async move { call(app, &owner, Method::POST, &format!("/api/v1/communities/{community}/events"), body).await }
        };
        event(public, "東京の交流会", 3, Some("13")).await;
        event(public, "オンライン対話会", 2, None).await;
        event(public, "新潟の交流会", 4, Some("15")).await;
        event(closed, "会員限定の東京の会", 2, Some("13")).await;

        let (status, all) = feed(&app, "/events/feed.atom").await;
        assert_eq!(status, StatusCode::OK);
        let Some(all) = parse(&all) else { return };
        let titles: Vec<&str> = all["entries"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["オンライン対話会", "東京の交流会", "新潟の交流会"], "soonest first, public communities only");
        assert_eq!(all["title"], "公開イベント（tsunagari）");
        let online = &all["entries"][0];
        assert_eq!(online["author"], "公開の会", "the community, not the organiser, is named");
        assert!(online["summary"].as_str().unwrap().contains("オンライン") && online["summary"].as_str().unwrap().contains("(JST)"));
        assert!(online["content"][0].as_str().unwrap().contains("説明 &amp; &lt;詳細&gt;"));
        assert!(online["link"].as_str().unwrap().contains("/events/"));

        let (_, tokyo) = feed(&app, "/events/feed.atom?prefecture=13").await;
        let tokyo = parse(&tokyo).unwrap();
        assert_eq!(tokyo["title"], "東京都の公開イベント（tsunagari）");
        let titles: Vec<&str> = tokyo["entries"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["東京の交流会"]);
        assert_eq!(tokyo["entries"][0]["tags"], json!(["13"]));
        assert_eq!(tokyo["entries"][0]["id"], all["entries"][1]["id"], "one id per event, in every feed");
        assert_ne!(tokyo["id"], all["id"]);
        let (_, okinawa) = feed(&app, "/events/feed.atom?prefecture=47").await;
        assert_eq!(parse(&okinawa).unwrap()["entries"].as_array().unwrap().len(), 0);

        let response = app.api().get(app.url("/events/feed.atom?prefecture=99")).header("accept-language", "en").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let response = app.api().get(app.url("/events/feed.atom?prefecture=tokyo")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}
