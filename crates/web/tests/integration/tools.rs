//! Community tools: organisers switch them on and off, the community page
//! links the ones that are on, and a tool that is off answers 404.

use crate::common;

use common::{Browser, TestApp};
use reqwest::StatusCode;

async fn community(app: &TestApp, kind: &str) -> (Browser, Browser) {
    let owner = app.browser();
    owner.sign_up("owner@example.jp", "オーナー 太郎").await;
    let response = owner
        .post(
            "/communities",
            &[
                ("kind", kind),
                ("name", "はたらく仲間の会"),
                ("visibility", "public"),
                ("membership", "open"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let member = app.browser();
    member.sign_up("mei@example.jp", "高橋 芽衣").await;
    member.post("/communities/1/join", &[]).await;
    (owner, member)
}

tsunagari_store::backend_tests! {
    async fn kind_defaults_show_on_the_community_page(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (owner, _) = community(&app, "worker_coop").await;
        let (_, html) = owner.page("/communities/1").await;
        assert!(html.contains(r#"href="/communities/1/ballots""#), "co-ops vote by default");
        assert!(html.contains(r#"href="/communities/1/shares""#));
        assert!(html.contains(r#"href="/communities/1/opinions""#));
        assert!(!html.contains(r#"href="/communities/1/fund""#), "the fund is a union tool");
        assert!(html.contains(r#"href="/communities/1/tools""#), "organisers reach the settings");
    }

    async fn organisers_switch_tools_and_others_cannot(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (owner, member) = community(&app, "professional").await;
        let (_, html) = owner.page("/communities/1").await;
        assert!(!html.contains(r#"href="/communities/1/ballots""#), "professional communities start without tools");

        let (status, settings) = owner.page("/communities/1/tools").await;
        assert_eq!(status, StatusCode::OK);
        assert!(settings.contains("投票") && settings.contains("意見箱"));
        assert!(!settings.contains("連帯基金"), "only tools offered to the kind are listed");

        let response = owner.post("/communities/1/tools/ballots", &[("enabled", "1")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = member.page("/communities/1").await;
        assert!(html.contains(r#"href="/communities/1/ballots""#));

        assert_eq!(member.get("/communities/1/tools").await.status(), StatusCode::FORBIDDEN);
        let refused = member.post("/communities/1/tools/opinions", &[("enabled", "1")]).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);

        let unoffered = owner.post("/communities/1/tools/fund", &[("enabled", "1")]).await;
        assert_eq!(unoffered.status(), StatusCode::NOT_FOUND, "a union tool cannot be switched on here");
        let unknown = owner.post("/communities/1/tools/casino", &[("enabled", "1")]).await;
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
        let garbled = owner.post("/communities/1/tools/ballots", &[("enabled", "yes")]).await;
        assert_eq!(garbled.status(), StatusCode::BAD_REQUEST);

        owner.post("/communities/1/tools/ballots", &[("enabled", "0")]).await;
        let (_, html) = member.page("/communities/1").await;
        assert!(!html.contains(r#"href="/communities/1/ballots""#));
        let (_, settings) = owner.page("/communities/1/tools").await;
        assert!(settings.contains("停止中"));
    }

    async fn switching_one_tool_keeps_the_others(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (owner, _) = community(&app, "union").await;
        let (a, b) = tokio::join!(
            owner.post("/communities/1/tools/petitions", &[("enabled", "0")]),
            owner.post("/communities/1/tools/opinions", &[("enabled", "1")]),
        );
        assert_eq!(a.status(), StatusCode::SEE_OTHER);
        assert_eq!(b.status(), StatusCode::SEE_OTHER);
        let (_, html) = owner.page("/communities/1").await;
        assert!(!html.contains(r#"href="/communities/1/petitions""#));
        assert!(html.contains(r#"href="/communities/1/opinions""#));
        assert!(html.contains(r#"href="/communities/1/fund""#), "untouched defaults stay on");
    }

    async fn the_settings_page_speaks_english(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = app.browser_in("en");
        owner.sign_up("owner@example.jp", "Owner").await;
        owner.post("/communities", &[("kind", "union"), ("name", "Care Union"), ("visibility", "public"), ("membership", "open")]).await;
        let (_, settings) = owner.page("/communities/1/tools").await;
        assert!(settings.contains("Solidarity fund") && settings.contains("Switch off"));
        let done = owner.post("/communities/1/tools/fund", &[("enabled", "0")]).await;
        assert_eq!(common::location(&done), "/communities/1/tools");
        let (_, after) = owner.page("/communities/1/tools").await;
        assert!(after.contains("Nothing it holds was deleted"), "the notice is shown once");
    }

    async fn the_api_switches_tools_for_organisers_only(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (_, owner_token) = common::api_account(&app, "owner@example.jp", "オーナー").await;
        let (_, member_token) = common::api_account(&app, "mei@example.jp", "芽衣").await;
        let api = app.api();
        let created: serde_json::Value = api.post(app.url("/api/v1/communities")).bearer_auth(&owner_token)
            .json(&serde_json::json!({"kind": "npo", "name": "つなぐNPO"})).send().await.unwrap().json().await.unwrap();
        assert_eq!(created["tools"], serde_json::json!([]));
        let id = created["id"].as_i64().unwrap();
        api.post(app.url(&format!("/api/v1/communities/{id}/members"))).bearer_auth(&member_token).json(&serde_json::json!({})).send().await.unwrap();

        let switched = api.put(app.url(&format!("/api/v1/communities/{id}/tools/opinions"))).bearer_auth(&owner_token)
            .json(&serde_json::json!({"enabled": true})).send().await.unwrap();
        assert_eq!(switched.status(), StatusCode::OK);
        let body: serde_json::Value = switched.json().await.unwrap();
        assert_eq!(body["tools"], serde_json::json!(["opinions"]));
        let shown: serde_json::Value = api.get(app.url(&format!("/api/v1/communities/{id}"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(shown["tools"], serde_json::json!(["opinions"]));

        let refused = api.put(app.url(&format!("/api/v1/communities/{id}/tools/ballots"))).bearer_auth(&member_token)
            .json(&serde_json::json!({"enabled": true})).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let not_offered = api.put(app.url(&format!("/api/v1/communities/{id}/tools/shares"))).bearer_auth(&owner_token)
            .header("accept-language", "en").json(&serde_json::json!({"enabled": true})).send().await.unwrap();
        assert_eq!(not_offered.status(), StatusCode::NOT_FOUND);
        let error: serde_json::Value = not_offered.json().await.unwrap();
        assert_eq!(error["error"]["code"], "tool_off");
        assert_eq!(error["error"]["message"], "This tool is not switched on in this community.");
        let bad = api.put(app.url(&format!("/api/v1/communities/{id}/tools/opinions"))).bearer_auth(&owner_token)
            .json(&serde_json::json!({"enabled": "yes"})).send().await.unwrap();
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}
