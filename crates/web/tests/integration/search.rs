//! Search over HTTP on SQLite and PostgreSQL: the API and the page,
//! filters and their errors, permissions, moderation, freshness, two
//! servers on one PostgreSQL database, and the dictionary mode.

use crate::common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{Browser, PASSWORD, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tsunagari_web::ServerConfig;

struct Person {
    token: String,
    browser: Browser,
}

async fn person(app: &TestApp, email: &str, name: &str) -> Person {
    let (_, token) = common::api_account(app, email, name).await;
    let browser = app.browser();
    assert_eq!(
        browser.log_in(email, PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    Person { token, browser }
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

async fn create(app: &TestApp, who: &Person, path: &str, body: Value) -> i64 {
    let (status, created) = call(app, Some(who), Method::POST, path, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{path}: {created}");
    created["id"].as_i64().unwrap()
}

async fn community(app: &TestApp, owner: &Person, body: Value) -> i64 {
    create(app, owner, "/api/v1/communities", body).await
}

async fn thread(app: &TestApp, who: &Person, community: i64, title: &str, body: &str) -> i64 {
    create(
        app,
        who,
        &format!("/api/v1/communities/{community}/threads"),
        json!({"title": title, "body": body}),
    )
    .await
}

/// `GET /api/v1/search?…` as `who`.
async fn search(app: &TestApp, who: Option<&Person>, query: &str) -> (StatusCode, Value) {
    call(
        app,
        who,
        Method::GET,
        &format!("/api/v1/search?{query}"),
        None,
    )
    .await
}

fn keys(results: &Value) -> Vec<String> {
    results["results"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|r| {
                    format!(
                        "{}:{}",
                        r["type"].as_str().unwrap(),
                        r["id"].as_str().unwrap()
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn q(words: &str) -> String {
    format!("q={}", urlencode(words))
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Waits (at most `limit`) until `query` finds `key` for `who`; returns how long it took.
async fn found_within(
    app: &TestApp,
    who: Option<&Person>,
    query: &str,
    key: &str,
    limit: Duration,
) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        let (status, results) = search(app, who, query).await;
        if status == StatusCode::OK && keys(&results).iter().any(|k| k == key) {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    None
}

fn dictionary_config() -> Option<ServerConfig> {
    let source = PathBuf::from(tsunagari_search::DEBIAN_IPADIC);
    if !tsunagari_search::Morphology::source_exists(&source) {
        assert!(
            std::env::var("TSUNAGARI_REQUIRE_ALL").as_deref() != Ok("1"),
            "mecab-ipadic is not installed"
        );
        eprintln!("SKIPPED: dictionary mode — mecab-ipadic not installed");
        return None;
    }
    let mut config = ServerConfig::default();
    config.search.dictionary_source = Some(source);
    // Compiled once per test run, shared by every test through its marker.
    config.search.dictionary_cache =
        Some(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("search-dictionary"));
    Some(config)
}

tsunagari_store::backend_tests! {
    async fn searching_kaigo_finds_the_care_community_its_events_and_threads(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let care = community(&app, &aoi, json!({"kind": "professional", "name": "介護のみらいカフェ",
            "description": "介護職どうしで夜勤や腰痛の悩みを話す場です。", "tags": ["介護", "福祉"], "prefecture": "13",
            "visibility": "public", "membership": "open"})).await;
        let other = community(&app, &aoi, json!({"kind": "regional_alumni", "name": "新潟UIターン応援ネット",
            "description": "Uターン・Iターンの相談", "prefecture": "15", "visibility": "public", "membership": "open"})).await;
        let night = thread(&app, &aoi, care, "夜勤明けの過ごし方", "みなさんはどうしていますか").await;
        let event = create(&app, &aoi, &format!("/api/v1/communities/{care}/events"), json!({"title": "オンライン対話会",
            "starts_at": "2030-12-05T19:00", "ends_at": "2030-12-05T21:00", "online": true,
            "online_url": "https://meet.example.jp/x", "capacity": 20})).await;
        thread(&app, &aoi, other, "新潟で働く", "ＵＸデザイナーの仕事はありますか").await;

        let (status, results) = search(&app, None, &q("介護")).await;
        assert_eq!(status, StatusCode::OK, "{results}");
        let found = keys(&results);
        for key in [format!("community:{care}"), format!("event:{event}"), format!("thread:{night}")] {
            assert!(found.contains(&key), "{key} in {found:?}");
        }
        assert_eq!(found[0], format!("community:{care}"), "the title match ranks first");
        assert!(!found.iter().any(|k| k == &format!("community:{other}")));
        let first = &results["results"][0];
        for field in ["type", "id", "title", "snippet", "url"] {
            assert!(first[field].is_string(), "{field} in {first}");
        }
        assert_eq!(first["url"], format!("/communities/{care}"));
        assert!(first["snippet"].as_str().unwrap().contains("<mark>介護</mark>"), "{first}");
        assert_eq!(results["total"], 3);
        assert_eq!(results["page"], 1);

        // Width variants and English words.
        let (_, wide) = search(&app, None, &q("ux")).await;
        assert!(!keys(&wide).is_empty(), "ＵＸ in the text is found by ux");

        // The page, in both languages, and the header's box on every page.
        let browser = app.browser();
        let (status, html) = browser.page(&format!("/search?{}", q("介護"))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("介護のみらいカフェ") && html.contains("オンライン対話会") && html.contains("夜勤明けの過ごし方"));
        assert!(html.contains("<mark>介護</mark>"));
        assert!(html.contains("「介護」の結果: 3 件"), "summary in Japanese");
        let (_, english) = app.browser_in("en").page(&format!("/search?{}", q("介護"))).await;
        assert!(english.contains("Results for “介護”: 3"));
        assert!(english.contains(r#"<span class="badge">Event</span>"#));
        let (_, home) = browser.page("/").await;
        assert!(home.contains(r#"action="/search""#) && home.contains(r#"role="search""#));

        // An empty search shows the form only.
        let (status, empty) = browser.page("/search").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!empty.contains("result-list"));
    }

    async fn filters_narrow_results_and_bad_filters_are_422_in_both_languages(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let union = community(&app, &aoi, json!({"kind": "union", "name": "介護職ユニオン", "prefecture": "27",
            "tags": ["労働"], "visibility": "public", "membership": "open"})).await;
        let online = create(&app, &aoi, &format!("/api/v1/communities/{union}/events"), json!({"title": "介護の相談会",
            "starts_at": "2030-03-01T19:00", "ends_at": "2030-03-01T20:00", "online": true, "online_url": "https://meet.example.jp/a"})).await;
        let venue = create(&app, &aoi, &format!("/api/v1/communities/{union}/events"), json!({"title": "介護の交流会",
            "starts_at": "2030-04-01T19:00", "ends_at": "2030-04-01T20:00", "online": false, "venue": "大阪市の会館", "prefecture": "27"})).await;

        let found = |query: String| { let app = &app; async move { keys(&search(app, None, &query).await.1) } };
        assert_eq!(found(format!("{}&type=event&online=true", q("介護"))).await, vec![format!("event:{online}")]);
        assert_eq!(found(format!("{}&type=event&online=false", q("介護"))).await, vec![format!("event:{venue}")]);
        assert_eq!(found(format!("{}&type=event&from=2030-03-15&to=2030-04-30", q("介護"))).await, vec![format!("event:{venue}")]);
        assert_eq!(found("type=community&kind=union&prefecture=27".into()).await, vec![format!("community:{union}")]);
        assert_eq!(found(format!("tag={}", urlencode("労働"))).await.len(), 3, "the community and its events carry its tags");
        assert!(found(format!("{}&kind=npo", q("介護"))).await.is_empty());

        let (status, ja) = search(&app, None, "kind=club&prefecture=99&type=member&online=maybe&from=2030-13-01&page=0").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(ja["error"]["code"], "invalid");
        for field in ["kind", "prefecture", "type", "online", "from", "page"] {
            assert!(ja["error"]["fields"][field].is_array(), "{field}: {ja}");
        }
        assert_eq!(ja["error"]["fields"]["kind"][0], "コミュニティの種類の指定が正しくありません。");
        let english: Value = app.api().get(app.url("/api/v1/search?kind=club")).header("accept-language", "en").send().await.unwrap().json().await.unwrap();
        assert_eq!(english["error"]["fields"]["kind"][0], "Choose one of the listed kinds of community.");

        // The page answers 422 too, with what was typed kept.
        let (status, html) = app.browser().page(&format!("/search?{}&from=someday", q("介護"))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains(r#"value="介護""#) && html.contains(r#"value="someday""#));
        assert!(html.contains("日付を 2026-12-01 の形で入力してください。"));
        assert!(html.contains(r#"aria-invalid="true""#));
    }

    async fn members_only_threads_and_events_never_reach_non_members(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let member = person(&app, "ren@example.jp", "鈴木 蓮").await;
        let outsider = person(&app, "mei@example.jp", "田中 芽衣").await;
        let closed = community(&app, &owner, json!({"kind": "corporate_alumni", "name": "ある会社のアルムナイ",
            "company_name": "株式会社サンプル", "visibility": "members", "membership": "open"})).await;
        let (status, _) = call(&app, Some(&member), Method::POST, &format!("/api/v1/communities/{closed}/members"), None).await;
        assert_eq!(status, StatusCode::CREATED);
        let secret = thread(&app, &owner, closed, "極秘の再雇用計画", "アルムナイ向けの内部情報").await;
        let event = create(&app, &owner, &format!("/api/v1/communities/{closed}/events"), json!({"title": "極秘の交流会",
            "starts_at": "2030-05-01T19:00", "ends_at": "2030-05-01T21:00", "online": true, "online_url": "https://meet.example.jp/s"})).await;
        let secret_key = format!("thread:{secret}");
        let event_key = format!("event:{event}");

        for who in [None, Some(&outsider)] {
            let (_, results) = search(&app, who, &q("極秘")).await;
            assert!(keys(&results).is_empty(), "leaked to {:?}: {results}", who.map(|_| "outsider"));
            assert_eq!(results["total"], 0);
            // Not even a suggestion built from its words.
            assert!(results["suggestion"].is_null());
            let (_, html) = match who {
                Some(p) => p.browser.page(&format!("/search?{}", q("極秘"))).await,
                None => app.browser().page(&format!("/search?{}", q("極秘"))).await,
            };
            assert!(!html.contains("再雇用計画") && !html.contains("極秘の交流会"));
        }
        // The community itself is public (its name and description always are).
        let (_, profile) = search(&app, None, &q("アルムナイ")).await;
        assert_eq!(keys(&profile), vec![format!("community:{closed}")]);

        let (_, results) = search(&app, Some(&member), &q("極秘")).await;
        let found = keys(&results);
        assert!(found.contains(&secret_key) && found.contains(&event_key), "{found:?}");
        let (_, html) = member.browser.page(&format!("/search?{}", q("極秘"))).await;
        assert!(html.contains("極秘の再雇用計画"));

        // Leaving takes it away at once.
        let (status, _) = call(&app, Some(&member), Method::DELETE, &format!("/api/v1/communities/{closed}/members/me"), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, after) = search(&app, Some(&member), &q("極秘")).await;
        assert!(keys(&after).is_empty(), "{after}");
    }

    async fn a_hidden_or_removed_post_disappears_from_results_at_once(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let id = community(&app, &aoi, json!({"kind": "npo", "name": "副業NPO", "visibility": "public", "membership": "open"})).await;
        let spam = thread(&app, &aoi, id, "怪しい副業の勧誘", "今すぐ登録").await;
        let kept = thread(&app, &aoi, id, "副業の確定申告", "経費の扱い").await;
        let reply = create(&app, &aoi, &format!("/api/v1/threads/{kept}/replies"), json!({"body": "副業の経費は按分です"})).await;
        let key = format!("thread:{spam}");
        assert!(found_within(&app, None, &q("勧誘"), &key, Duration::from_secs(2)).await.is_some());

        let hide = aoi.browser.post(&format!("/threads/{spam}/moderate"), &[("action", "hide"), ("reason", "勧誘")]).await;
        assert_eq!(hide.status(), StatusCode::SEE_OTHER);
        // The very next search: no waiting for the index.
        let (_, results) = search(&app, None, &q("勧誘")).await;
        assert!(!keys(&results).contains(&key), "{results}");
        let (_, html) = app.browser().page(&format!("/search?{}", q("勧誘"))).await;
        assert!(!html.contains("怪しい副業の勧誘"));

        let remove = aoi.browser.post(&format!("/replies/{reply}/moderate"), &[("action", "remove"), ("reason", "")]).await;
        assert_eq!(remove.status(), StatusCode::SEE_OTHER);
        let (_, results) = search(&app, None, &q("按分")).await;
        assert!(keys(&results).is_empty(), "{results}");
        // The index catches up too: the counts no longer include them.
        let started = Instant::now();
        loop {
            let (_, all) = search(&app, None, &q("副業")).await;
            if all["total"] == 2 {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(2), "{all}");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    async fn a_change_is_searchable_within_a_second(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let id = community(&app, &aoi, json!({"kind": "professional", "name": "育休の会", "visibility": "public", "membership": "open"})).await;
        let new = thread(&app, &aoi, id, "男性の育休体験記", "二か月取りました").await;
        let took = found_within(&app, None, &q("育休体験記"), &format!("thread:{new}"), Duration::from_secs(1)).await;
        assert!(took.is_some(), "not searchable within a second");
        // An edit too.
        let (status, _) = call(&app, Some(&aoi), Method::PATCH, &format!("/api/v1/threads/{new}"), Some(json!({"title": "男性の育休と復職", "body": "二か月取りました"}))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(found_within(&app, None, &q("復職"), &format!("thread:{new}"), Duration::from_secs(1)).await.is_some());
        let (_, old) = search(&app, None, &q("体験記")).await;
        assert!(keys(&old).is_empty(), "the old title is gone: {old}");
    }

    async fn directory_listings_are_found_until_claimed_then_their_community_is(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        tsunagari_app::Organisations::new(app.store.clone()).load_shipped().await.unwrap();
        let listing = app.store.organisation_listing_by_slug("ikumado").await.unwrap().unwrap();
        let key = format!("organisation:{}", listing.id.0);
        assert!(found_within(&app, None, &q("育休"), &key, Duration::from_secs(2)).await.is_some(), "the listing is searchable");
        let (_, results) = search(&app, None, &format!("{}&type=organisation", q("育休"))).await;
        let id = listing.id.0.to_string();
        let hit = results["results"].as_array().unwrap().iter().find(|r| r["id"].as_str() == Some(id.as_str())).unwrap().clone();
        assert_eq!(hit["url"], "/organisations/ikumado");
        assert!(hit["title"].as_str().unwrap().contains("ikumado"), "{hit}");
        assert!(keys(&results).iter().all(|k| k.starts_with("organisation:")), "{results}");
        // The page labels it as a directory entry.
        let (status, page) = app.browser().page(&format!("/search?{}", q("育休"))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("団体名簿") && page.contains("href=\"/organisations/ikumado\""), "{page}");

        // Claimed and approved: the listing leaves search, its community comes in.
        let claimant = app.browser();
        claimant.sign_up("ikumado@example.jp", "育休 代表").await;
        let response = claimant.post("/organisations/ikumado/claims", &[("message", "運営メンバーの一人です。")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let operator = app.browser();
        operator.sign_up("operator@example.jp", "運営 太郎").await;
        tsunagari_app::SiteOperators::new(app.store.clone()).grant("operator@example.jp").await.unwrap();
        let (_, queue) = operator.page("/admin/claims").await;
        let claim: i64 = queue.split("id=\"claim-").nth(1).and_then(|rest| rest.split('"').next()?.parse().ok()).unwrap();
        assert_eq!(operator.post(&format!("/admin/claims/{claim}/approve"), &[]).await.status(), StatusCode::SEE_OTHER);
        let community = app.store.organisation_listing_by_slug("ikumado").await.unwrap().unwrap().community_id.unwrap();
        let community_key = format!("community:{}", community.0);
        assert!(found_within(&app, None, &q("育休"), &community_key, Duration::from_secs(2)).await.is_some());
        let (_, results) = search(&app, None, &q("育休")).await;
        assert!(!keys(&results).contains(&key), "a claimed listing is found as its community only: {results}");
    }

    async fn pages_and_did_you_mean(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let id = community(&app, &aoi, json!({"kind": "professional", "name": "Design circle", "visibility": "public", "membership": "open"})).await;
        for n in 1..=12 {
            thread(&app, &aoi, id, &format!("Design review {n}"), "for designers").await;
        }
        let mut total = Value::Null;
        let started = Instant::now();
        while total != 13 && started.elapsed() < Duration::from_secs(3) {
            total = search(&app, None, &q("design")).await.1["total"].clone();
        }
        assert_eq!(total, 13);
        let (_, second) = search(&app, None, &format!("{}&page=2", q("design"))).await;
        assert_eq!(second["results"].as_array().unwrap().len(), 3);
        assert_eq!(second["pages"], 2);
        let (_, html) = app.browser().page(&format!("/search?{}&page=2", q("design"))).await;
        assert!(html.contains(r#"rel="prev""#) && html.contains(r#"aria-current="page">2<"#));
        let (status, _) = search(&app, None, &format!("{}&page=101", q("design"))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        let (_, typo) = search(&app, None, &q("desgin")).await;
        assert_eq!(typo["total"], 0);
        assert_eq!(typo["suggestion"], "design");
        let (_, html) = app.browser().page(&format!("/search?{}", q("desgin"))).await;
        assert!(html.contains("もしかして") && html.contains(r#"href="/search?q=design""#), "{html}");
    }

    async fn the_dictionary_cuts_kyoto_inside_tokyo_to(db: TestDatabase) {
        let Some(config) = dictionary_config() else { return };
        let app = TestApp::spawn_with(&db, config).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let id = community(&app, &aoi, json!({"kind": "regional_alumni", "name": "関西の会", "prefecture": "26", "visibility": "public", "membership": "open"})).await;
        let kyoto = thread(&app, &aoi, id, "京都の町家で交流会", "府内の会場").await;
        let tokyo = thread(&app, &aoi, id, "東京都の助成金", "都の支援").await;
        assert!(found_within(&app, None, &q("京都"), &format!("thread:{kyoto}"), Duration::from_secs(2)).await.is_some());
        let (_, results) = search(&app, None, &q("京都")).await;
        assert!(!keys(&results).contains(&format!("thread:{tokyo}")), "{results}");
        let (_, tokyo_results) = search(&app, None, &q("東京都")).await;
        assert!(keys(&tokyo_results).contains(&format!("thread:{tokyo}")));
    }

    async fn an_index_on_disk_is_rebuilt_from_the_database_when_missing(db: TestDatabase) {
        let dir = tempfile::tempdir().unwrap();
        let mut config = ServerConfig::default();
        config.search.dir = Some(dir.path().to_owned());
        let app = TestApp::spawn_with(&db, config.clone()).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let id = community(&app, &aoi, json!({"kind": "worker_coop", "name": "協同労働の会", "visibility": "public", "membership": "open"})).await;
        let post = thread(&app, &aoi, id, "出資口数の決め方", "一人一票").await;
        let key = format!("thread:{post}");
        assert!(found_within(&app, None, &q("出資"), &key, Duration::from_secs(2)).await.is_some());
        app.stop().await;

        // Restarted with its index: found at once.
        let app = TestApp::spawn_with(&db, config.clone()).await;
        assert!(keys(&search(&app, None, &q("出資")).await.1).contains(&key));
        app.stop().await;

        // The index folder deleted: rebuilt from the database at start.
        std::fs::remove_dir_all(dir.path()).unwrap();
        let app = TestApp::spawn_with(&db, config).await;
        assert!(keys(&search(&app, None, &q("出資")).await.1).contains(&key));
        assert!(dir.path().read_dir().unwrap().next().is_some(), "a new index on disk");
        app.stop().await;
    }
}

mod postgres_only {
    use super::*;
    use tsunagari_store::testing::TestDatabase;

    /// Two servers, two indexes, one PostgreSQL database: what is written
    /// through the first is found on the second, which learns of it from
    /// the change log alone.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_servers_on_one_postgres_database_share_what_is_written() {
        let Some(db) = TestDatabase::postgres().await else {
            return;
        };
        let first = TestApp::spawn(&db).await;
        let second = TestApp::spawn(&db).await;
        let aoi = person(&first, "aoi@example.jp", "佐藤 葵").await;
        let id = community(&first, &aoi, json!({"kind": "professional", "name": "キャリアの広場", "visibility": "public", "membership": "open"})).await;
        let post = thread(&first, &aoi, id, "アルムナイ採用の体験", "出戻りの話").await;
        let key = format!("thread:{post}");
        let took = found_within(
            &second,
            None,
            &q("アルムナイ"),
            &key,
            Duration::from_secs(5),
        )
        .await;
        assert!(took.is_some(), "the second server never found it");
        // Moderation through the first removes it on the second too.
        let hide = aoi
            .browser
            .post(
                &format!("/threads/{post}/moderate"),
                &[("action", "remove"), ("reason", "")],
            )
            .await;
        assert_eq!(hide.status(), StatusCode::SEE_OTHER);
        let (_, results) = search(&second, None, &q("アルムナイ")).await;
        assert!(!keys(&results).contains(&key), "{results}");
        first.stop().await;
        second.stop().await;
    }
}
