//! Accounts through the HTML pages, as a browser uses them: forms with
//! CSRF tokens, cookies, redirects. Every test runs on SQLite and PostgreSQL.

use crate::common;

use chrono::Duration;
use common::{Browser, PASSWORD, TestApp, location, set_cookies};
use reqwest::StatusCode;
use tsunagari_domain::time::now;
use tsunagari_web::ServerConfig;

tsunagari_store::backend_tests! {
    async fn home_is_japanese_by_default_and_english_on_request(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (status, html) = Browser::new(&app.base, "fr").page("/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(r#"<html lang="ja">"#));
        assert!(html.contains("新規登録"));
        assert!(html.contains(r#"href="/signup""#));
        let (_, html) = app.browser_in("en-US,en;q=0.9,ja;q=0.5").page("/").await;
        assert!(html.contains(r#"<html lang="en">"#));
        assert!(html.contains("Sign up"));
        assert!(!html.contains("新規登録"));
    }

    async fn pages_carry_security_headers(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let response = app.browser().get("/").await;
        let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let csp = header("content-security-policy");
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("x-frame-options"), "DENY");
        assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin");
        assert_eq!(header("cache-control"), "no-store");
        assert!(header("strict-transport-security").is_empty(), "no HSTS over plain HTTP");
    }

    async fn sign_up_log_out_and_log_in(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        let response = browser.sign_up("aoi@example.jp", "佐藤 葵").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/");
        let session_cookie = set_cookies(&response).into_iter().find(|c| c.starts_with("tsunagari_session=")).unwrap();
        assert!(session_cookie.contains("HttpOnly"));
        assert!(session_cookie.contains("SameSite=Lax"));
        assert!(!session_cookie.contains("Secure"), "plain HTTP: no Secure flag");

        let (_, html) = browser.page("/").await;
        assert!(html.contains("佐藤 葵 さんとしてログイン中"));
        assert!(html.contains("登録が完了しました"), "one-time notice shown");
        let (_, html) = browser.page("/").await;
        assert!(!html.contains("登録が完了しました"), "and shown only once");

        let response = browser.log_out().await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let response = browser.get("/settings").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/login?next=%2Fsettings");

        let response = browser.log_in("AOI@example.jp", PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (status, html) = browser.page("/settings").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("aoi@example.jp"));
    }

    async fn sign_up_errors_keep_the_form_filled(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        let response = browser.post("/signup", &[("email", "aoi@example"), ("display_name", "佐藤 葵"), ("password", "password1234")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains(r#"value="aoi@example""#), "email kept");
        assert!(html.contains(r#"value="佐藤 葵""#), "display name kept");
        assert!(!html.contains("password1234"), "the password is never echoed");
        assert!(html.contains("メールアドレスの形式が正しくありません"));
        assert!(html.contains("よく使われていて推測されやすい"));
        assert!(html.contains(r#"aria-invalid="true""#));
        assert!(html.contains(r#"role="alert""#));

        let response = browser.post("/signup", &[("email", "aoi@example.jp"), ("display_name", ""), ("password", "short")]).await;
        let html = response.text().await.unwrap();
        assert!(html.contains("表示名を入力してください"));
        assert!(html.contains("12文字以上"));

        assert_eq!(browser.sign_up("aoi@example.jp", "佐藤 葵").await.status(), StatusCode::SEE_OTHER);
        let other = app.browser_in("en");
        let response = other.post("/signup", &[("email", "Aoi@Example.jp"), ("display_name", "Someone"), ("password", "another-long-phrase-9")]).await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let html = response.text().await.unwrap();
        assert!(html.contains("This e-mail address already has an account"));
        assert!(html.contains(r#"value="Someone""#));
        assert_eq!(app.store.count_accounts().await.unwrap(), 1);
    }

    async fn forms_without_the_csrf_token_are_refused(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        browser.get("/signup").await;
        let fields = [("email", "aoi@example.jp"), ("display_name", "葵"), ("password", PASSWORD)];
        let missing = browser.client.post(app.url("/signup")).form(&fields).send().await.unwrap();
        assert_eq!(missing.status(), StatusCode::FORBIDDEN);
        assert!(missing.text().await.unwrap().contains("フォームの有効期限が切れました"));
        let mut wrong = fields.to_vec();
        wrong.push(("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        let response = browser.client.post(app.url("/signup")).form(&wrong).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        // A client with no cookie at all cannot guess its way in either.
        let bare = reqwest::Client::new();
        let response = bare.post(app.url("/login")).form(&[("email", "a@b.jp"), ("password", "x"), ("csrf_token", "x")]).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.store.count_accounts().await.unwrap(), 0);
    }

    async fn wrong_passwords_back_off_and_the_lock_survives_a_restart(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        browser.sign_up("aoi@example.jp", "葵").await;
        browser.log_out().await;
        for attempt in 1..=9 {
            let response = browser.log_in("aoi@example.jp", "not-the-password").await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "attempt {attempt}");
            let html = response.text().await.unwrap();
            assert!(html.contains("メールアドレスまたはパスワードが正しくありません"));
            assert!(html.contains(r#"value="aoi@example.jp""#), "email kept");
        }
        let response = browser.log_in("aoi@example.jp", "not-the-password").await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "the tenth failure locks");
        let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry), "{retry}");
        assert!(response.text().await.unwrap().contains("一時的にログインを止めています"));

        // Even the right password waits, from a server started afresh.
        app.stop().await;
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        let response = browser.log_in("aoi@example.jp", PASSWORD).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(browser.cookie("tsunagari_session").is_none());
    }

    async fn every_login_gets_a_new_session(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        browser.sign_up("aoi@example.jp", "葵").await;
        let first = browser.cookie("tsunagari_session").unwrap();
        browser.log_in("aoi@example.jp", PASSWORD).await;
        let second = browser.cookie("tsunagari_session").unwrap();
        assert_ne!(first, second);
        // The replaced session is gone, not merely forgotten by the browser.
        let stale = Browser::new(&app.base, "ja");
        stale.set_cookie("tsunagari_session", &first);
        let response = stale.get("/settings").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert!(set_cookies(&response).iter().any(|c| c.starts_with("tsunagari_session=;")), "the dead cookie is cleared");
    }

    async fn people_see_and_end_their_sessions(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let laptop = app.browser();
        laptop.sign_up("aoi@example.jp", "葵").await;
        let phone = app.browser();
        phone.log_in("aoi@example.jp", PASSWORD).await;
        let (_, html) = laptop.page("/settings").await;
        assert_eq!(html.matches("/end\"").count(), 1, "one other session can be ended: {html}");
        assert!(html.contains("この端末"));
        assert!(html.contains("Chrome / Linux"));
        assert!(html.contains("(JST)"), "times shown in Tokyo time");
        let start = html.find("/settings/sessions/").unwrap() + "/settings/sessions/".len();
        let id: String = html[start..].chars().take_while(char::is_ascii_digit).collect();

        let response = laptop.post(&format!("/settings/sessions/{id}/end"), &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(phone.get("/settings").await.status(), StatusCode::SEE_OTHER, "the phone is logged out");
        assert_eq!(laptop.get("/settings").await.status(), StatusCode::OK, "the laptop is not");
        // Someone else's session id is not found.
        let stranger = app.browser();
        stranger.sign_up("ren@example.jp", "蓮").await;
        // The laptop's session is the oldest one left in this fresh database.
        let laptop_id = db.column_as_text("SELECT CAST(id AS TEXT) FROM sessions ORDER BY id").await[0].clone();
        let response = stranger.post(&format!("/settings/sessions/{laptop_id}/end"), &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(laptop.get("/settings").await.status(), StatusCode::OK);
    }

    async fn changing_the_password_ends_the_other_sessions(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let laptop = app.browser();
        laptop.sign_up("aoi@example.jp", "葵").await;
        let phone = app.browser();
        phone.log_in("aoi@example.jp", PASSWORD).await;

        let response = laptop.post("/settings/password", &[("current_password", "wrong-password-here"), ("password", "yama-no-ue-no-kumo"), ("password_confirmation", "yama-no-ue-no-kumo-x")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("現在のパスワードが正しくありません"));
        assert!(html.contains("確認用のパスワードが一致しません"));
        assert_eq!(phone.get("/settings").await.status(), StatusCode::OK, "nothing changed yet");

        let response = laptop.post("/settings/password", &[("current_password", PASSWORD), ("password", "yama-no-ue-no-kumo"), ("password_confirmation", "yama-no-ue-no-kumo")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(phone.get("/settings").await.status(), StatusCode::SEE_OTHER);
        let (status, html) = laptop.page("/settings").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("パスワードを変更しました"));

        let fresh = app.browser();
        assert_eq!(fresh.log_in("aoi@example.jp", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(fresh.log_in("aoi@example.jp", "yama-no-ue-no-kumo").await.status(), StatusCode::SEE_OTHER);
    }

    async fn idle_and_old_sessions_expire(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        browser.sign_up("aoi@example.jp", "葵").await;
        assert_eq!(browser.get("/settings").await.status(), StatusCode::OK);
        db.execute_with_time("UPDATE sessions SET last_seen_at = $1", now() - Duration::hours(12) - Duration::seconds(5)).await;
        assert_eq!(browser.get("/settings").await.status(), StatusCode::SEE_OTHER, "12 hours idle ends it");
        assert!(db.column_as_text("SELECT user_agent FROM sessions").await.is_empty(), "and it is deleted");

        browser.log_in("aoi@example.jp", PASSWORD).await;
        db.execute_with_time("UPDATE sessions SET expires_at = $1", now() - Duration::seconds(1)).await;
        assert_eq!(browser.get("/settings").await.status(), StatusCode::SEE_OTHER, "30 days end it however busy");
    }

    async fn profile_changes_and_language(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        browser.sign_up("aoi@example.jp", "葵").await;
        let response = browser.post("/settings/profile", &[("display_name", "  "), ("locale", "en"), ("time_zone", "Mars/Base")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("表示名を入力してください"));
        assert!(html.contains("タイムゾーンが正しくありません"));

        let response = browser.post("/settings/profile", &[("display_name", "Aoi Sato"), ("locale", "en"), ("time_zone", "Europe/London")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = browser.page("/settings").await;
        assert!(html.contains(r#"<html lang="en">"#), "the account's language wins over Accept-Language");
        assert!(html.contains("Your profile was saved."));
        assert!(html.contains("Signed in as Aoi Sato"));
        assert!(html.contains(r#"<option value="Europe/London" selected>"#));
        assert!(html.contains(" GMT"), "times shown in the chosen zone");
    }

    async fn the_language_switch_works_signed_out_and_in(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        let response = browser.post("/language", &[("locale", "en"), ("return_to", "/login")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/login");
        let (_, html) = browser.page("/login").await;
        assert!(html.contains(r#"<html lang="en">"#));

        browser.sign_up("aoi@example.jp", "葵").await;
        browser.post("/language", &[("locale", "ja"), ("return_to", "//evil.example/")]).await;
        let other_device = app.browser_in("en");
        other_device.log_in("aoi@example.jp", PASSWORD).await;
        let (_, html) = other_device.page("/").await;
        assert!(html.contains(r#"<html lang="ja">"#), "the choice was saved on the account");
        let response = browser.post("/language", &[("locale", "klingon")]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }

    async fn login_redirects_stay_on_this_site(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        browser.sign_up("aoi@example.jp", "葵").await;
        browser.log_out().await;
        let (_, html) = browser.page("/login?next=%2Fsettings").await;
        assert!(html.contains(r#"name="next" value="/settings""#));
        let response = browser.post("/login", &[("email", "aoi@example.jp"), ("password", PASSWORD), ("next", "//evil.example/x")]).await;
        assert_eq!(location(&response), "/");
        browser.log_out().await;
        let response = browser.post("/login", &[("email", "aoi@example.jp"), ("password", PASSWORD), ("next", "/settings")]).await;
        assert_eq!(location(&response), "/settings");
    }

    async fn export_downloads_everything_but_secrets(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        browser.sign_up("aoi@example.jp", "佐藤 葵").await;
        let response = browser.get("/settings/export").await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"tsunagari-export-"));
        let body = response.text().await.unwrap();
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["account"]["email"], "aoi@example.jp");
        assert_eq!(json["account"]["display_name"], "佐藤 葵");
        assert_eq!(json["account"]["time_zone"], "Asia/Tokyo");
        assert_eq!(json["sessions"].as_array().unwrap().len(), 1);
        assert!(!body.contains("argon2"), "no password hash");
        assert!(!body.contains(&browser.cookie("tsunagari_session").unwrap()), "no session secret");
    }

    async fn deleting_the_account_needs_confirmation_and_removes_it(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        browser.sign_up("aoi@example.jp", "葵").await;
        let other = app.browser();
        other.sign_up("ren@example.jp", "蓮").await;

        let response = browser.post("/settings/delete", &[("current_password", PASSWORD)]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("確認のチェックを入れてください"));
        let response = browser.post("/settings/delete", &[("current_password", "wrong-password-1"), ("confirm", "yes")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.store.count_accounts().await.unwrap(), 2);

        let response = browser.post("/settings/delete", &[("current_password", PASSWORD), ("confirm", "yes")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(db.column_as_text("SELECT email FROM users").await, vec!["ren@example.jp".to_owned()]);
        assert_eq!(browser.get("/settings").await.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.browser().log_in("aoi@example.jp", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(other.get("/settings").await.status(), StatusCode::OK, "other people are untouched");
    }

    async fn unknown_pages_are_a_localized_404(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (status, html) = app.browser().page("/no/such/page").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("ページが見つかりません"));
        let (status, html) = app.browser_in("en").page("/no/such/page").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("Page not found"));
    }

    async fn cookies_are_secure_behind_https(db: TestDatabase) {
        let config = ServerConfig { public_url: Some("https://tsunagari.example.jp".into()), ..ServerConfig::default() };
        let app = TestApp::spawn_with(&db, config).await;
        let response = app.browser().get("/").await;
        assert!(response.headers().contains_key("strict-transport-security"));
        let csrf = set_cookies(&response).into_iter().find(|c| c.starts_with("tsunagari_csrf=")).unwrap();
        assert!(csrf.contains("Secure") && csrf.contains("HttpOnly"), "{csrf}");
    }
}
