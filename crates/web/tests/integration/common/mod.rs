//! A real server on a random port with its own database, and an HTTP
//! client that behaves like a browser (cookies, CSRF field, no automatic
//! redirects so tests can see them).

use std::sync::Arc;

use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::HeaderMap;
use reqwest::{Client, Response, StatusCode};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tsunagari_store::Store;
use tsunagari_store::testing::TestDatabase;
use tsunagari_web::{App, ServerConfig};

pub const PASSWORD: &str = "kawa-no-nagare-2026";

/// A running server.
pub struct TestApp {
    pub base: String,
    pub store: Arc<dyn Store>,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    pub async fn spawn(db: &TestDatabase) -> TestApp {
        TestApp::spawn_with(db, ServerConfig::default()).await
    }

    pub async fn spawn_with(db: &TestDatabase, mut config: ServerConfig) -> TestApp {
        config.bind = "127.0.0.1:0".parse().unwrap();
        let store = db.store().await;
        let app = App::build(config, store.clone())
            .await
            .expect("server starts");
        let base = format!("http://{}", app.local_addr());
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(app.run(async move {
            let _ = rx.await;
        }));
        TestApp {
            base,
            store,
            shutdown: Some(tx),
            handle: Some(handle),
        }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base, "ja")
    }

    pub fn browser_in(&self, language: &str) -> Browser {
        Browser::new(&self.base, language)
    }

    pub fn api(&self) -> Client {
        Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Stops the server, letting requests in flight finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            handle
                .await
                .expect("server task")
                .expect("server stops cleanly");
        }
    }
}

/// A cookie-keeping client that fills in the CSRF field like a page would.
pub struct Browser {
    pub client: Client,
    jar: Arc<Jar>,
    base: String,
}

impl Browser {
    pub fn new(base: &str, language: &str) -> Browser {
        let jar = Arc::new(Jar::default());
        let mut headers = HeaderMap::new();
        headers.insert("accept-language", language.parse().unwrap());
        let client = Client::builder()
            .cookie_provider(jar.clone())
            .default_headers(headers)
            .user_agent("Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36")
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser {
            client,
            jar,
            base: base.to_owned(),
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = self.base.parse().unwrap();
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .unwrap()
            .split("; ")
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_owned))
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        let url = self.base.parse().unwrap();
        self.jar
            .add_cookie_str(&format!("{name}={value}; Path=/"), &url);
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.unwrap())
    }

    /// Posts a form with the CSRF token of this browser (fetching a page
    /// first when it has none yet).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        if self.cookie("tsunagari_csrf").is_none() {
            self.get("/").await;
        }
        let token = self.cookie("tsunagari_csrf").expect("csrf cookie");
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", &token));
        self.client
            .post(format!("{}{path}", self.base))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    pub async fn sign_up(&self, email: &str, name: &str) -> Response {
        self.post(
            "/signup",
            &[
                ("email", email),
                ("display_name", name),
                ("password", PASSWORD),
            ],
        )
        .await
    }

    pub async fn log_in(&self, email: &str, password: &str) -> Response {
        self.post("/login", &[("email", email), ("password", password)])
            .await
    }

    pub async fn log_out(&self) -> Response {
        self.post("/logout", &[]).await
    }
}

/// Creates an account through the API and issues it a personal access
/// token: (user id, token).
pub async fn api_account(app: &TestApp, email: &str, name: &str) -> (i64, String) {
    let created: serde_json::Value = app
        .api()
        .post(app.url("/api/v1/accounts"))
        .json(&serde_json::json!({"email": email, "display_name": name, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        created["id"].as_i64().expect("account created"),
        api_token(app, email).await,
    )
}

/// A personal access token for an existing account with the test password.
pub async fn api_token(app: &TestApp, email: &str) -> String {
    let token: serde_json::Value = app
        .api()
        .post(app.url("/api/v1/tokens"))
        .json(&serde_json::json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    token["token"].as_str().expect("token issued").to_owned()
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

pub fn set_cookies(response: &Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// Runs a Python script with `input` on its standard input, as an outside
/// reader of what the server wrote (iCalendar, Atom, CSV). When python3 or
/// its `module` is missing the check is skipped, saying so, unless
/// TSUNAGARI_REQUIRE_ALL=1 makes that a failure. The caller judges the
/// output.
pub fn outside_reader(
    module: &str,
    what: &str,
    script: &str,
    input: &str,
) -> Option<std::process::Output> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let require = std::env::var("TSUNAGARI_REQUIRE_ALL").is_ok_and(|v| v == "1");
    let probe = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output();
    if !probe.is_ok_and(|out| out.status.success()) {
        assert!(
            !require,
            "python3 with its {module} module is required for the {what} (pip install {module})"
        );
        eprintln!(
            "SKIPPED the {what}: python3 or its {module} module is missing (pip install {module})"
        );
        return None;
    }
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("input written");
    Some(child.wait_with_output().expect("python3 finishes"))
}

/// A JSON API call with an optional bearer token that insists on JSON: an
/// answer that is neither empty nor JSON fails the test.
pub async fn strict_json_call(
    app: &TestApp,
    token: Option<&str>,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let mut request = app.api().request(method, app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    let value = if text.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    };
    (status, value)
}
