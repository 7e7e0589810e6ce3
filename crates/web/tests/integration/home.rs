//! The signed-in home page over HTTP, on SQLite and PostgreSQL: a person's
//! communities with their new threads and upcoming events (never a
//! members-only community they are not in, never another person's private
//! profile or self-check), suggestions from the latest self-check, else from
//! their profiles, else the most popular, and events this week online or
//! near them; visitors keep the public home page.

use crate::common;

use common::{Browser, TestApp, api_token};
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};

/// Someone signed up in a browser, with a token for setting things up.
struct Person {
    browser: Browser,
    token: String,
}

async fn person(app: &TestApp, email: &str, name: &str) -> Person {
    let browser = app.browser();
    browser.sign_up(email, name).await;
    Person {
        token: api_token(app, email).await,
        browser,
    }
}

async fn call(app: &TestApp, who: &Person, method: Method, path: &str, body: Value) -> Value {
    let response = app
        .api()
        .request(method, app.url(path))
        .bearer_auth(&who.token)
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

async fn community(app: &TestApp, owner: &Person, body: Value) -> i64 {
    call(app, owner, Method::POST, "/api/v1/communities", body).await["id"]
        .as_i64()
        .unwrap()
}

async fn join(app: &TestApp, who: &Person, id: i64) {
    call(
        app,
        who,
        Method::POST,
        &format!("/api/v1/communities/{id}/members"),
        json!({}),
    )
    .await;
}

async fn thread(app: &TestApp, who: &Person, id: i64, title: &str) {
    call(
        app,
        who,
        Method::POST,
        &format!("/api/v1/communities/{id}/threads"),
        json!({"title": title, "body": "本文です。"}),
    )
    .await;
}

/// A local date-time `days` from now at `hour` Tokyo time.
fn local_day(days: i64, hour: u32) -> String {
    let date = (chrono::Utc::now() + chrono::Duration::days(days))
        .with_timezone(&chrono_tz::Asia::Tokyo)
        .date_naive();
    format!("{}T{hour:02}:00", date.format("%Y-%m-%d"))
}

async fn event(app: &TestApp, who: &Person, id: i64, title: &str, days: i64, place: Option<&str>) {
    let body = match place {
        None => {
            json!({"title": title, "starts_at": local_day(days, 19), "ends_at": local_day(days, 21), "online": true, "online_url": "https://meet.example.jp/x"})
        }
        Some(prefecture) => {
            json!({"title": title, "starts_at": local_day(days, 19), "ends_at": local_day(days, 21), "online": false, "venue": "会議室", "prefecture": prefecture})
        }
    };
    call(
        app,
        who,
        Method::POST,
        &format!("/api/v1/communities/{id}/events"),
        body,
    )
    .await;
}

async fn profile(
    who: &Person,
    community: i64,
    occupation: &str,
    prefecture: &str,
    bio: &str,
    visibility: &str,
) {
    let response = who
        .browser
        .post(
            &format!("/communities/{community}/profile"),
            &[
                ("occupation", occupation),
                ("prefecture", prefecture),
                ("bio", bio),
                ("name_visibility", "members"),
                ("occupation_visibility", visibility),
                ("region_visibility", visibility),
                ("bio_visibility", visibility),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

async fn home(who: &Person) -> String {
    let (status, html) = who.browser.page("/").await;
    assert_eq!(status, StatusCode::OK);
    html
}

/// The part of a page between an element id and the end of its section.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

/// Complete self-check answers: the first choice of every required item,
/// with a few set.
async fn self_check_answers(app: &TestApp, set: &[(&str, Value)]) -> Map<String, Value> {
    let questionnaire: Value = app
        .api()
        .get(app.url("/api/v1/self-check/questionnaire"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut answers = Map::new();
    for item in questionnaire["items"].as_array().unwrap() {
        if !item["required"].as_bool().unwrap() {
            continue;
        }
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
        answers.insert(item["id"].as_str().unwrap().to_owned(), value);
    }
    for (id, value) in set {
        answers.insert((*id).to_owned(), value.clone());
    }
    answers
}

tsunagari_store::backend_tests! {
    async fn the_home_page_shows_my_communities_and_nothing_private_of_others(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "owner@example.jp", "高橋 芽衣").await;
        let member = person(&app, "member@example.jp", "佐藤 葵").await;
        let open = community(&app, &owner, json!({"kind": "professional", "name": "介護の対話カフェ", "visibility": "public", "tags": ["介護"]})).await;
        let closed = community(&app, &owner, json!({"kind": "npo", "name": "会員限定の会", "visibility": "members"})).await;
        let asked = community(&app, &owner, json!({"kind": "union", "name": "承認制の組合", "visibility": "members", "membership": "approval"})).await;
        join(&app, &member, open).await;
        join(&app, &member, asked).await;
        thread(&app, &owner, open, "今月の対話テーマ").await;
        thread(&app, &owner, closed, "会員だけの話題").await;
        thread(&app, &owner, asked, "組合員だけの話題").await;
        event(&app, &owner, open, "オンライン対話会", 2, None).await;
        event(&app, &owner, asked, "組合員の集い", 2, None).await;
        // The owner's profile in the shared community, hidden from members.
        profile(&owner, open, "秘密の職種ABC", "13", "秘密の自己紹介XYZ", "hidden").await;
        let answers = self_check_answers(&app, &[("occupation", json!("care"))]).await;
        let response = app.api().post(app.url("/api/v1/self-check/results")).bearer_auth(&owner.token).json(&json!({"answers": answers})).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);

        let html = home(&member).await;
        assert!(html.contains("おかえりなさい、佐藤 葵 さん。"));
        assert!(html.contains("参加中のコミュニティ") && html.contains("介護の対話カフェ"));
        let threads = section(&html, "threads-title");
        assert!(threads.contains("今月の対話テーマ") && threads.contains("高橋 芽衣"));
        assert!(!html.contains("会員だけの話題"), "a members-only community I am not in");
        assert!(!html.contains("組合員だけの話題"), "a community I only asked to join");
        let events = section(&html, "events-title");
        assert!(events.contains("オンライン対話会") && events.contains("介護の対話カフェ"));
        assert!(!html.contains("組合員の集い"));
        for private in ["秘密の職種ABC", "秘密の自己紹介XYZ"] {
            assert!(!html.contains(private), "another person's hidden profile: {private}");
        }
        assert!(!html.contains("のセルフチェックの結果から選びました"), "the owner's self-check is not mine");
        // What I may read in the community, the page links to.
        assert!(threads.contains("href=\"/threads/"));
        assert!(events.contains("href=\"/events/"));

        let (_, en) = app.browser_in("en").page("/").await;
        assert!(en.contains("<link rel=\"alternate\" type=\"application/atom+xml\""), "visitors' page announces the events feed");
        assert!(!en.contains("New threads"), "visitors keep the public home page");
        assert!(en.contains("class=\"kind-card"));
    }

    async fn suggestions_come_from_the_self_check_then_profiles_then_popularity(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "owner@example.jp", "高橋 芽衣").await;
        community(&app, &owner, json!({"kind": "professional", "name": "介護の対話カフェ", "visibility": "public", "tags": ["介護", "福祉"], "prefecture": "13"})).await;
        let ux = community(&app, &owner, json!({"kind": "professional", "name": "UXの勉強会", "visibility": "public", "tags": ["UX"]})).await;
        community(&app, &owner, json!({"kind": "regional_alumni", "name": "にいがたの会", "visibility": "public", "prefecture": "15"})).await;
        let chat = community(&app, &owner, json!({"kind": "npo", "name": "雑談の会", "visibility": "public"})).await;
        for n in 0..3 {
            let fan = person(&app, &format!("fan{n}@example.jp"), &format!("ファン {n}")).await;
            join(&app, &fan, ux).await;
        }
        let me = person(&app, "me@example.jp", "新人 さん").await;
        let html = home(&me).await;
        let suggested = section(&html, "suggestions-title");
        assert!(suggested.contains("参加者の多いコミュニティです。セルフチェックをすると"), "{suggested}");
        let first = suggested.find("UXの勉強会").expect("the largest");
        assert!(suggested.find("介護の対話カフェ").is_none_or(|i| i > first));

        // Profiles: an occupation and a region written in a community.
        join(&app, &me, chat).await;
        profile(&me, chat, "介護福祉士", "15", "", "members").await;
        let html = home(&me).await;
        let suggested = section(&html, "suggestions-title");
        assert!(suggested.contains("コミュニティのプロフィールに書いた職種や地域から選びました。"), "{suggested}");
        assert!(suggested.contains("介護の対話カフェ") && suggested.contains("「介護・福祉」の仕事をする人が集まっています。"));
        assert!(suggested.contains("にいがたの会") && suggested.contains("新潟県で活動しています。"));
        assert!(!suggested.contains("雑談の会"), "not a community I am already in");
        assert!(!suggested.contains(&format!("/communities/{chat}\"")));
        let nearby = section(&html, "nearby-title");
        assert!(nearby.contains("今週のイベント（新潟県・オンライン）"));

        // The latest self-check wins: IT, living in Tokyo.
        let answers = self_check_answers(&app, &[("occupation", json!("it")), ("current_prefecture", json!("13"))]).await;
        let response = app.api().post(app.url("/api/v1/self-check/results")).bearer_auth(&me.token).json(&json!({"answers": answers})).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let html = home(&me).await;
        let suggested = section(&html, "suggestions-title");
        assert!(suggested.contains("のセルフチェックの結果から選びました。"), "{suggested}");
        assert!(suggested.contains("介護の対話カフェ") && suggested.contains("東京都で活動しています。"), "near where I live now: {suggested}");
        assert!(!suggested.contains("セルフチェックをする"));
        let nearby = section(&html, "nearby-title");
        assert!(nearby.contains("今週のイベント（東京都・オンライン）"), "the self-check's region comes first");
        assert!(html.contains("href=\"/events/feed.atom?prefecture=13\""));
    }

    async fn events_this_week_are_online_or_near_me(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "owner@example.jp", "高橋 芽衣").await;
        let public = community(&app, &owner, json!({"kind": "professional", "name": "公開の会", "visibility": "public"})).await;
        let closed = community(&app, &owner, json!({"kind": "npo", "name": "会員限定の会", "visibility": "members"})).await;
        let chat = community(&app, &owner, json!({"kind": "npo", "name": "雑談の会", "visibility": "public"})).await;
        event(&app, &owner, public, "オンライン勉強会", 2, None).await;
        event(&app, &owner, public, "新潟の交流会", 3, Some("15")).await;
        event(&app, &owner, public, "東京の交流会", 3, Some("13")).await;
        event(&app, &owner, public, "来月のオンライン会", 10, None).await;
        event(&app, &owner, closed, "会員限定のオンライン会", 2, None).await;
        let me = person(&app, "me@example.jp", "新人 さん").await;
        join(&app, &me, chat).await;

        let html = home(&me).await;
        let nearby = section(&html, "nearby-title");
        assert!(nearby.contains("今週のオンラインイベント"));
        assert!(nearby.contains("住まいの地域がわからないため"));
        assert!(nearby.contains("オンライン勉強会"));
        for absent in ["新潟の交流会", "東京の交流会", "来月のオンライン会", "会員限定のオンライン会"] {
            assert!(!nearby.contains(absent), "{absent}");
        }
        assert!(html.contains("<link rel=\"alternate\" type=\"application/atom+xml\"") && html.contains("href=\"/events/feed.atom\""));

        profile(&me, chat, "", "15", "", "members").await;
        let html = home(&me).await;
        let nearby = section(&html, "nearby-title");
        assert!(nearby.contains("今週のイベント（新潟県・オンライン）"));
        assert!(nearby.contains("オンライン勉強会") && nearby.contains("新潟の交流会"));
        assert!(!nearby.contains("東京の交流会") && !nearby.contains("来月のオンライン会"));
        assert!(nearby.find("オンライン勉強会") < nearby.find("新潟の交流会"), "soonest first");
        assert!(html.contains("href=\"/events/feed.atom?prefecture=15\""));

        // A member of the members-only community sees its event too.
        join(&app, &me, closed).await;
        let nearby_html = home(&me).await;
        assert!(section(&nearby_html, "nearby-title").contains("会員限定のオンライン会"));

        let english = app.browser_in("en");
        english.sign_up("emma@example.com", "Emma Clark").await;
        let (_, en) = english.page("/").await;
        assert!(en.contains("This week online") && en.contains("Suggested for you"));
        assert!(en.contains("The communities with the most members."));
    }
}
