//! The JSON API over HTTP, on SQLite and PostgreSQL.

use crate::common;

use common::{PASSWORD, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn json_of(response: reqwest::Response) -> Value {
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "JSON expected, got {:?}",
        response.headers().get("content-type")
    );
    response.json().await.unwrap()
}

async fn create_account(app: &TestApp, email: &str) -> reqwest::Response {
    app.api()
        .post(app.url("/api/v1/accounts"))
        .json(&json!({"email": email, "display_name": "鈴木 陽翔", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
}

async fn token_for(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.api()
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"email": email, "password": password, "label": "test"}))
        .send()
        .await
        .unwrap()
}

tsunagari_store::backend_tests! {
    async fn accounts_are_created_with_clear_errors(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let response = create_account(&app, "Haruto@Example.jp").await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body = json_of(response).await;
        assert!(body["id"].as_i64().unwrap() > 0);
        assert_eq!(body["email"], "haruto@example.jp");
        assert_eq!(body["display_name"], "鈴木 陽翔");
        assert_eq!(body["locale"], "ja");

        let response = create_account(&app, "haruto@example.jp").await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let body = json_of(response).await;
        assert_eq!(body["error"]["code"], "email_taken");
        assert!(body["error"]["message"].as_str().unwrap().contains("すでに登録"));

        let response = app
            .api()
            .post(app.url("/api/v1/accounts"))
            .header("accept-language", "en")
            .json(&json!({"email": "not-an-email", "display_name": "", "password": "qwerty123456", "locale": "fr"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = json_of(response).await;
        assert_eq!(body["error"]["code"], "invalid");
        let fields = &body["error"]["fields"];
        assert_eq!(fields["email"][0], "Enter an e-mail address like name@example.com.");
        assert_eq!(fields["display_name"][0], "Enter a display name.");
        assert_eq!(fields["password"][0], "This password is too common and easy to guess.");
        assert_eq!(fields["locale"][0], "That language is not supported.");
        assert_eq!(app.store.count_accounts().await.unwrap(), 1);
    }

    async fn malformed_json_gets_the_error_envelope(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let response = app.api().post(app.url("/api/v1/accounts")).header("content-type", "application/json").body("{\"email\": ").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(json_of(response).await["error"]["code"], "bad_json");
        let response = app.api().post(app.url("/api/v1/accounts")).json(&json!({"email": 5})).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(json_of(response).await["error"]["code"], "bad_json");
        let response = app.api().post(app.url("/api/v1/accounts")).body("x").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let response = app.api().get(app.url("/api/v1/nothing")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(json_of(response).await["error"]["code"], "not_found");
    }

    async fn tokens_authenticate_me_export_and_delete(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        create_account(&app, "haruto@example.jp").await;
        let response = token_for(&app, "haruto@example.jp", "wrong-password-x").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(json_of(response).await["error"]["code"], "bad_credentials");

        let response = token_for(&app, "haruto@example.jp", PASSWORD).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let token = json_of(response).await["token"].as_str().unwrap().to_owned();
        assert!(token.starts_with("tsu_"));

        let response = app.api().get(app.url("/api/v1/me")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_eq!(json_of(response).await["error"]["code"], "unauthorized");
        let response = app.api().get(app.url("/api/v1/me")).bearer_auth("tsu_forged").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

        let response = app.api().get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let me = json_of(response).await;
        assert_eq!(me["email"], "haruto@example.jp");
        assert_eq!(me["time_zone"], "Asia/Tokyo");

        let response = app.api().get(app.url("/api/v1/me/export")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let export = json_of(response).await;
        assert_eq!(export["format"], "tsunagari-account-export/1");
        assert_eq!(export["account"]["email"], "haruto@example.jp");
        assert_eq!(export["api_tokens"][0]["label"], "test");
        assert!(!export.to_string().contains(&token[4..]), "the token itself is not exported");

        let response = app.api().delete(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let response = app.api().get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "the token stops working");
        assert_eq!(app.store.count_accounts().await.unwrap(), 0);
        assert!(db.column_as_text("SELECT token_hash FROM api_tokens").await.is_empty());
    }

    async fn owners_hand_over_before_deleting_their_account(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        create_account(&app, "haruto@example.jp").await;
        let token: Value = json_of(token_for(&app, "haruto@example.jp", PASSWORD).await).await;
        let token = token["token"].as_str().unwrap();
        let created = app.api().post(app.url("/api/v1/communities")).bearer_auth(token)
            .json(&json!({"kind": "npo", "name": "こども未来ラボ"})).send().await.unwrap();
        assert_eq!(created.status(), StatusCode::CREATED);
        let response = app.api().delete(app.url("/api/v1/me")).bearer_auth(token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(json_of(response).await["error"]["code"], "owns_communities");
        assert_eq!(app.store.count_accounts().await.unwrap(), 1, "nothing was deleted");
    }

    async fn the_api_ignores_session_cookies(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        browser.sign_up("aoi@example.jp", "葵").await;
        let response = browser.get("/api/v1/me").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }

    async fn failed_token_requests_back_off_with_retry_after(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        create_account(&app, "haruto@example.jp").await;
        for _ in 1..=9 {
            assert_eq!(token_for(&app, "haruto@example.jp", "guess-guess-guess").await.status(), StatusCode::UNAUTHORIZED);
        }
        let response = token_for(&app, "haruto@example.jp", "guess-guess-guess").await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry));
        let body = json_of(response).await;
        assert_eq!(body["error"]["code"], "too_many_attempts");
        let response = token_for(&app, "haruto@example.jp", PASSWORD).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "locked even for the right password");
        assert!(response.headers().contains_key("retry-after"));
    }

    async fn one_client_spraying_many_accounts_is_stopped(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        create_account(&app, "haruto@example.jp").await;
        for n in 0..10 {
            let response = token_for(&app, &format!("nobody{n}@example.jp"), "guess-guess-guess").await;
            assert!(matches!(response.status(), StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS));
        }
        let response = token_for(&app, "haruto@example.jp", PASSWORD).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "the address is locked, whatever account it tries");
    }

    async fn openapi_describes_the_api(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let response = app.api().get(app.url("/api/openapi.json")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let doc = json_of(response).await;
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        for path in ["/api/v1/accounts", "/api/v1/tokens", "/api/v1/me", "/api/v1/me/export"] {
            assert!(doc["paths"][path].is_object(), "{path} documented");
        }
        assert!(doc["paths"]["/api/v1/me"]["delete"].is_object());
        assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
        assert!(doc["components"]["schemas"]["ErrorEnvelope"].is_object());
        assert!(doc["paths"]["/api/v1/accounts"]["post"]["responses"]["409"].is_object());
    }
}
