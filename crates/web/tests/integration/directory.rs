//! The member directory with per-field visibility, and volunteer roles.

use crate::common;

use common::{Browser, TestApp};
use reqwest::StatusCode;

async fn community_with_members(app: &TestApp) -> (Browser, Browser, Browser) {
    let owner = app.browser();
    owner.sign_up("owner@example.jp", "オーナー 太郎").await;
    owner
        .post(
            "/communities",
            &[
                ("kind", "professional"),
                ("name", "介護の会"),
                ("visibility", "public"),
                ("membership", "open"),
            ],
        )
        .await;
    let member = app.browser();
    member.sign_up("mei@example.jp", "高橋 芽衣").await;
    member.post("/communities/1/join", &[]).await;
    let other = app.browser();
    other.sign_up("ren@example.jp", "田中 蓮").await;
    other.post("/communities/1/join", &[]).await;
    (owner, member, other)
}

tsunagari_store::backend_tests! {
    async fn each_field_is_shown_only_to_whom_the_member_chose(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (owner, member, other) = community_with_members(&app).await;
        let response = member
            .post("/communities/1/profile", &[
                ("occupation", "介護福祉士"), ("prefecture", "15"), ("bio", "夜勤明けのカフェ好き"),
                ("name_visibility", "everyone"), ("occupation_visibility", "members"),
                ("region_visibility", "organisers"), ("bio_visibility", "hidden"),
            ])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);

        let (_, outsider) = app.browser().page("/communities/1/members").await;
        assert!(outsider.contains("高橋 芽衣"), "name: everyone");
        assert!(!outsider.contains("介護福祉士"), "occupation: members only");
        assert!(!outsider.contains("田中 蓮"), "names are members-only by default");
        assert!(outsider.contains("非公開のメンバー"));

        let (_, fellow) = other.page("/communities/1/members").await;
        assert!(fellow.contains("職業：介護福祉士"));
        assert!(!fellow.contains("住まい：新潟県"), "region: organisers only");
        assert!(fellow.contains("田中 蓮"), "members see default-visibility names");

        let (_, organiser) = owner.page("/communities/1/members").await;
        assert!(organiser.contains("住まい：新潟県"));
        assert!(!organiser.contains("夜勤明けのカフェ好き"), "bio: hidden from everyone else");

        let (_, own) = member.page("/communities/1/members").await;
        assert!(own.contains("夜勤明けのカフェ好き"), "the member always sees their own entry");
        let (_, form) = member.page("/communities/1/profile").await;
        assert!(form.contains(r#"<option value="hidden" selected>"#), "the form shows saved choices");
    }

    async fn profile_errors_keep_the_form(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (_, member, _) = community_with_members(&app).await;
        let long = "あ".repeat(501);
        let response = member
            .post("/communities/1/profile", &[("occupation", "看護師"), ("bio", &long), ("name_visibility", "world")])
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("自己紹介は500文字以内") && html.contains("見せる相手を選んでください"));
        assert!(html.contains(r#"value="看護師""#));
        let outsider = app.browser();
        outsider.sign_up("x@example.jp", "部外者").await;
        assert_eq!(outsider.get("/communities/1/profile").await.status(), StatusCode::FORBIDDEN);
    }

    async fn members_take_and_leave_volunteer_roles(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (owner, member, _) = community_with_members(&app).await;
        let response = member.post("/communities/1/roles", &[("name", "受付")]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "organisers define roles");
        owner.post("/communities/1/roles", &[("name", "受付"), ("description", "当日の受付")]).await;
        let response = owner.post("/communities/1/roles", &[("name", "受付")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("同じ名前の役割がすでにあります"));
        owner.post("/communities/1/roles", &[("name", "会計係")]).await;


        let (_, html) = member.page("/communities/1/members").await;
        assert!(html.contains("担当者募集中"));
        member.post("/communities/1/roles/1", &[("action", "take")]).await;
        member.post("/communities/1/roles/1", &[("action", "take")]).await;
        let (_, html) = member.page("/communities/1/members").await;
        assert!(html.contains("担当：高橋 芽衣"), "taking twice holds it once");
        assert!(html.contains(r#"<span class="badge badge-role">受付</span>"#), "shown on the member's entry");
        member.post("/communities/1/roles/1", &[("action", "leave")]).await;
        let (_, html) = member.page("/communities/1/members").await;
        assert!(!html.contains("担当：高橋 芽衣"));
        let ids = db.column_as_text("SELECT CAST(id AS TEXT) FROM volunteer_roles WHERE name = '会計係'").await;
        let accounting = &ids[0];
        let response = member.post(&format!("/communities/1/roles/{accounting}"), &[("action", "delete")]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        owner.post(&format!("/communities/1/roles/{accounting}"), &[("action", "delete")]).await;
        let (_, html) = owner.page("/communities/1/members").await;
        assert!(!html.contains("会計係"));
        assert_eq!(member.post("/communities/1/roles/99", &[("action", "take")]).await.status(), StatusCode::NOT_FOUND);
    }

    async fn leaving_removes_profile_and_roles_but_not_the_account(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (owner, member, _) = community_with_members(&app).await;
        owner.post("/communities/1/roles", &[("name", "SNS担当")]).await;
        member.post("/communities/1/roles/1", &[("action", "take")]).await;
        member.post("/communities/1/profile", &[("occupation", "介護福祉士"), ("name_visibility", "members"), ("occupation_visibility", "members"), ("region_visibility", "members"), ("bio_visibility", "members")]).await;
        member.post("/communities/1/leave", &[]).await;
        assert!(db.column_as_text("SELECT occupation FROM member_profiles").await.is_empty());
        assert!(db.column_as_text("SELECT CAST(user_id AS TEXT) FROM volunteer_assignments").await.is_empty());
        assert_eq!(member.get("/settings").await.status(), StatusCode::OK);
    }
}
