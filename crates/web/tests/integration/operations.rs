//! Health, metrics and shutdown.

use crate::common;

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
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let app = TestApp::spawn(&db).await;
        // A request whose body arrives slowly is certainly in flight: send the
        // headers and half the body, stop the server, then send the rest.
        let body = r#"{"email":"aoi@example.jp","display_name":"葵","password":"kawa-no-nagare-2026"}"#;
        let (head, tail) = body.split_at(20);
        let address = app.base.trim_start_matches("http://").to_owned();
        let mut socket = tokio::net::TcpStream::connect(&address).await.unwrap();
        let request = format!(
            "POST /api/v1/accounts HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{head}",
            body.len()
        );
        socket.write_all(request.as_bytes()).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let store = app.store.clone();
        let stopping = tokio::spawn(app.stop());
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(!stopping.is_finished(), "the server waits for the request in flight");
        socket.write_all(tail.as_bytes()).await.unwrap();
        let mut answer = String::new();
        socket.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
        stopping.await.unwrap();
        assert_eq!(store.count_accounts().await.unwrap(), 1);
    }
}
