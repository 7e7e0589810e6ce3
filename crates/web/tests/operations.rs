//! Health, metrics and shutdown.

mod common;

use common::TestApp;
use reqwest::StatusCode;

tsunagari_store::backend_tests! {
    async fn health_reports_the_database(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let response = app.api().get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
        let expected = match db.backend() {
            tsunagari_store::Backend::Sqlite => "sqlite",
            tsunagari_store::Backend::Postgres => "postgres",
        };
        assert_eq!(body["database"], expected);
        // With the database gone, health says so.
        app.store.close().await;
        let response = app.api().get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    }

    async fn metrics_count_requests_by_route(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        browser.get("/").await;
        browser.get("/").await;
        browser.get("/settings/sessions/7/end").await;
        browser.get("/missing").await;
        let text = app.api().get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
        assert!(text.contains(r#"tsunagari_http_requests_total{method="GET",route="/",status="200"} 2"#), "{text}");
        assert!(text.contains(r#"route="/settings/sessions/{id}/end",status="405""#), "routes are templates, not raw paths: {text}");
        assert!(text.contains(r#"route="unmatched",status="404""#));
        assert!(text.contains(r#"tsunagari_http_request_duration_seconds_count{method="GET",route="/"} 2"#));
    }

    async fn shutdown_lets_requests_in_flight_finish(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        browser.get("/signup").await;
        // Sign-up hashes a password (tens of milliseconds): stop the server
        // while it is in flight; the answer must still arrive.
        let request = tokio::spawn(async move { browser.sign_up("aoi@example.jp", "葵").await.status() });
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let store = app.store.clone();
        app.stop().await;
        assert_eq!(request.await.unwrap(), StatusCode::SEE_OTHER);
        assert_eq!(store.count_accounts().await.unwrap(), 1);
    }
}
