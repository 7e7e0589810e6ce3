//! In-app notifications, on SQLite and PostgreSQL.

use crate::common;

use common::{PASSWORD, TestApp, location};
use reqwest::StatusCode;
use serde_json::{Value, json};

tsunagari_store::backend_tests! {
    async fn an_accepted_join_request_notifies_the_person(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = app.browser();
        owner.sign_up("owner@example.jp", "オーナー").await;
        owner
            .post("/communities", &[("kind", "union"), ("name", "みなと地域ユニオン"), ("visibility", "public"), ("membership", "approval")])
            .await;
        let member = app.browser();
        member.sign_up("mei@example.jp", "高橋 芽衣").await;
        member.post("/communities/1/join", &[]).await;
        let (_, html) = member.page("/").await;
        assert!(html.contains(">お知らせ</a>") || html.contains(">お知らせ<"), "no unread yet");

        owner.post("/communities/1/members/2", &[("action", "accept")]).await;
        let (_, html) = member.page("/").await;
        assert!(html.contains("お知らせ（未読 1 件）"), "the header counts unread notifications");
        let (_, html) = member.page("/notifications").await;
        assert!(html.contains("「みなと地域ユニオン」への参加が承認されました。"));
        let (_, owner_html) = owner.page("/notifications").await;
        assert!(owner_html.contains("お知らせはまだありません"), "only the person concerned is told");

        let token: Value = app.api().post(app.url("/api/v1/tokens")).json(&json!({"email": "mei@example.jp", "password": PASSWORD})).send().await.unwrap().json().await.unwrap();
        let token = token["token"].as_str().unwrap();
        let list: Value = app.api().get(app.url("/api/v1/notifications")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
        assert_eq!(list["unread_count"], 1);
        assert_eq!(list["notifications"][0]["kind"], "join_approved");
        assert_eq!(list["notifications"][0]["link"], "/communities/1");
        let id = list["notifications"][0]["id"].as_i64().unwrap();

        let response = owner.post(&format!("/notifications/{id}/open"), &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "someone else's notification");
        let response = member.post(&format!("/notifications/{id}/open"), &[]).await;
        assert_eq!(location(&response), "/communities/1");
        let (_, html) = member.page("/").await;
        assert!(!html.contains("未読"), "opened means read");
    }

    async fn mark_all_read(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = app.browser();
        owner.sign_up("owner@example.jp", "オーナー").await;
        for name in ["一の会", "二の会"] {
            owner.post("/communities", &[("kind", "npo"), ("name", name), ("visibility", "public"), ("membership", "approval")]).await;
        }
        let member = app.browser_in("en");
        member.sign_up("mei@example.jp", "Mei").await;
        for id in [1, 2] {
            member.post(&format!("/communities/{id}/join"), &[]).await;
            owner.post(&format!("/communities/{id}/members/2"), &[("action", "accept")]).await;
        }
        let (_, html) = member.page("/notifications").await;
        assert!(html.contains("Notifications (2 unread)"));
        assert!(html.contains("Your request to join “二の会” was accepted."));
        let response = member.post("/notifications/read", &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = member.page("/notifications").await;
        assert!(!html.contains("unread") && html.contains("All notifications marked as read."));
        assert_eq!(app.browser().get("/notifications").await.status(), StatusCode::SEE_OTHER, "signed out: log in first");
    }

    async fn replies_and_announcements_notify_the_right_people(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = app.browser();
        owner.sign_up("owner@example.jp", "オーナー").await;
        owner.post("/communities", &[("kind", "professional"), ("name", "介護の会"), ("visibility", "public"), ("membership", "open")]).await;
        let mei = app.browser();
        mei.sign_up("mei@example.jp", "高橋 芽衣").await;
        mei.post("/communities/1/join", &[]).await;
        let ren = app.browser();
        ren.sign_up("ren@example.jp", "田中 蓮").await;
        ren.post("/communities/1/join", &[]).await;
        let outsider = app.browser();
        outsider.sign_up("x@example.jp", "部外者").await;

        let response = mei.post("/communities/1/threads", &[("title", "夜勤の工夫"), ("body", "教えてください")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let thread = location(&response);
        ren.post(&format!("{thread}/replies"), &[("body", "仮眠が大事です")]).await;
        mei.post(&format!("{thread}/replies"), &[("body", "ありがとう")]).await;
        let (_, html) = mei.page("/notifications").await;
        assert_eq!(html.matches("あなたのスレッド「夜勤の工夫」に返信がありました。").count(), 1, "her own reply does not notify her");

        owner.post("/communities/1/threads", &[("title", "総会のお知らせ"), ("body", "12月に開きます"), ("announcement", "on"), ("pinned", "on")]).await;
        for member in [&mei, &ren] {
            let (_, html) = member.page("/notifications").await;
            assert!(html.contains("新しいお知らせ：「総会のお知らせ」"), "{html}");
        }
        let (_, html) = owner.page("/notifications").await;
        assert!(!html.contains("総会のお知らせ"), "the organiser who posted it is not told");
        let (_, html) = outsider.page("/notifications").await;
        assert!(html.contains("お知らせはまだありません"), "non-members are not told");
    }

    async fn a_place_freed_on_a_full_event_notifies_the_first_waiting(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = app.browser();
        owner.sign_up("owner@example.jp", "オーナー").await;
        owner.post("/communities", &[("kind", "union"), ("name", "ユニオン"), ("visibility", "public"), ("membership", "open")]).await;
        let day = (chrono::Utc::now() + chrono::Duration::days(7)).format("%Y-%m-%d").to_string();
        let response = owner
            .post("/communities/1/events", &[
                ("title", "キャリア相談会"), ("description", "少人数で"), ("starts_at", &format!("{day}T19:00")),
                ("ends_at", &format!("{day}T20:00")), ("time_zone", "Asia/Tokyo"), ("online", "on"),
                ("online_url", "https://meet.example.jp/a"), ("capacity", "1"),
            ])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let event = location(&response);
        let first = app.browser();
        first.sign_up("first@example.jp", "一番").await;
        first.post("/communities/1/join", &[]).await;
        first.post(&format!("{event}/rsvp"), &[]).await;
        let second = app.browser_in("en");
        second.sign_up("second@example.jp", "Second").await;
        second.post("/communities/1/join", &[]).await;
        second.post(&format!("{event}/rsvp"), &[]).await;
        let (_, html) = second.page("/notifications").await;
        assert!(html.contains("No notifications yet."), "waitlisted, nothing yet");

        first.post(&format!("{event}/cancel"), &[]).await;
        let (_, html) = second.page("/notifications").await;
        assert!(html.contains("A place opened: you are now confirmed for “キャリア相談会”."), "{html}");
        let (_, html) = first.page("/notifications").await;
        assert!(!html.contains("キャリア相談会"));
    }
}
