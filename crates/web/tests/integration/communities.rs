//! Communities over the API and the pages, on SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, location};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A person with an API token.
struct Person {
    token: String,
    id: i64,
}

async fn person(app: &TestApp, email: &str, name: &str) -> Person {
    let (id, token) = common::api_account(app, email, name).await;
    Person { token, id }
}

async fn call(
    app: &TestApp,
    who: &Person,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = app
        .api()
        .request(method, app.url(path))
        .bearer_auth(&who.token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap()
        },
    )
}

async fn create(app: &TestApp, who: &Person, body: Value) -> (StatusCode, Value) {
    call(
        app,
        who,
        reqwest::Method::POST,
        "/api/v1/communities",
        Some(body),
    )
    .await
}

async fn join(app: &TestApp, who: &Person, id: i64) -> (StatusCode, Value) {
    call(
        app,
        who,
        reqwest::Method::POST,
        &format!("/api/v1/communities/{id}/members"),
        None,
    )
    .await
}

async fn leave(app: &TestApp, who: &Person, id: i64) -> (StatusCode, Value) {
    call(
        app,
        who,
        reqwest::Method::DELETE,
        &format!("/api/v1/communities/{id}/members/me"),
        None,
    )
    .await
}

tsunagari_store::backend_tests! {
    async fn every_kind_can_be_created_and_listed_with_filters(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let kinds = [
            ("professional", json!({"prefecture": "13", "tags": ["介護", "福祉"]})),
            ("corporate_alumni", json!({"company_name": "ミナトシステムズ株式会社"})),
            ("regional_alumni", json!({"prefecture": "15", "municipality": "151009"})),
            ("npo", json!({"prefecture": "27"})),
            ("worker_coop", json!({"membership": "approval", "join_question": "志望動機は？"})),
            ("union", json!({"visibility": "members"})),
        ];
        for (kind, extra) in &kinds {
            let mut body = json!({"kind": kind, "name": format!("{kind} の会"), "description": "**ようこそ**"});
            body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            let (status, community) = create(&app, &aoi, body).await;
            assert_eq!(status, StatusCode::CREATED, "{kind}: {community}");
            assert_eq!(community["kind"], *kind);
            assert_eq!(community["member_count"], 1);
        }
        let (_, all) = call(&app, &aoi, reqwest::Method::GET, "/api/v1/communities", None).await;
        assert_eq!(all["communities"].as_array().unwrap().len(), 6);
        let (_, regional) = call(&app, &aoi, reqwest::Method::GET, "/api/v1/communities?kind=regional_alumni", None).await;
        let regional = &regional["communities"][0];
        assert_eq!(regional["prefecture"], "15");
        assert_eq!(regional["municipality"], "15100");
        let (_, tagged) = call(&app, &aoi, reqwest::Method::GET, "/api/v1/communities?tag=%E4%BB%8B%E8%AD%B7", None).await;
        assert_eq!(tagged["communities"].as_array().unwrap().len(), 1, "tag 介護");
        let (_, osaka) = call(&app, &aoi, reqwest::Method::GET, "/api/v1/communities?prefecture=27", None).await;
        assert_eq!(osaka["communities"][0]["kind"], "npo");
        let (status, bad) = call(&app, &aoi, reqwest::Method::GET, "/api/v1/communities?kind=club", None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad["error"]["fields"]["kind"].is_array());
    }

    async fn invalid_communities_get_field_errors(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let (status, body) = create(&app, &aoi, json!({"kind": "regional_alumni", "name": "", "tags": ["x".repeat(31)]})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = &body["error"]["fields"];
        assert!(fields["name"].is_array() && fields["prefecture"].is_array() && fields["tags"].is_array(), "{body}");
        let (status, body) = create(&app, &aoi, json!({"kind": "corporate_alumni", "name": "OB会"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["company_name"].is_array());
        let (status, body) = create(&app, &aoi, json!({"kind": "guild", "name": "X"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["kind"].is_array());
        let (status, body) = create(&app, &aoi, json!({"kind": "npo", "name": "X", "prefecture": "15", "municipality": "13101"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a Tokyo code in Niigata: {body}");
        let (status, _) = call(&app, &aoi, reqwest::Method::GET, "/api/v1/communities/999", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let response = app.api().post(app.url("/api/v1/communities")).json(&json!({"kind": "npo", "name": "X"})).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let (_, list) = call(&app, &aoi, reqwest::Method::GET, "/api/v1/communities", None).await;
        assert!(list["communities"].as_array().unwrap().is_empty(), "nothing half-created");
    }

    async fn join_leave_and_rejoin_an_open_community(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "owner@example.jp", "オーナー").await;
        let ren = person(&app, "ren@example.jp", "田中 蓮").await;
        let (_, community) = create(&app, &owner, json!({"kind": "professional", "name": "UXの会"})).await;
        let id = community["id"].as_i64().unwrap();
        let (status, body) = join(&app, &ren, id).await;
        assert_eq!((status, body["status"].as_str()), (StatusCode::CREATED, Some("active")));
        let (status, body) = join(&app, &ren, id).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "already_member");
        let (_, shown) = call(&app, &ren, reqwest::Method::GET, &format!("/api/v1/communities/{id}"), None).await;
        assert_eq!(shown["member_count"], 2);
        assert_eq!(leave(&app, &ren, id).await.0, StatusCode::NO_CONTENT);
        assert_eq!(leave(&app, &ren, id).await.0, StatusCode::FORBIDDEN, "not a member any more");
        assert_eq!(join(&app, &ren, id).await.0, StatusCode::CREATED, "re-joining works");
        let (status, body) = leave(&app, &owner, id).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "owner_must_transfer");
    }

    async fn approval_requests_are_accepted_or_declined_by_organisers(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner_browser = app.browser();
        owner_browser.sign_up("owner@example.jp", "オーナー").await;
        let owner = Person { token: token_of(&app, "owner@example.jp").await, id: 1 };
        let (_, community) = create(&app, &owner, json!({"kind": "worker_coop", "name": "あおぞら", "membership": "approval", "join_question": "やりたいことは？"})).await;
        let id = community["id"].as_i64().unwrap();

        let mei = app.browser();
        mei.sign_up("mei@example.jp", "高橋 芽衣").await;
        let (_, html) = mei.page(&format!("/communities/{id}")).await;
        assert!(html.contains("やりたいことは？"), "the join question is asked");
        assert!(html.contains("参加を申請する"));
        let response = mei.post(&format!("/communities/{id}/join"), &[("answer", "地域の食堂を開きたい")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = mei.page(&format!("/communities/{id}")).await;
        assert!(html.contains("参加申請中です"));

        let (_, html) = owner_browser.page(&format!("/communities/{id}/members")).await;
        assert!(html.contains("高橋 芽衣") && html.contains("地域の食堂を開きたい"), "organisers see the request and answer");
        let (status, _) = mei.page(&format!("/communities/{id}/members")).await;
        assert_eq!(status, StatusCode::OK, "a public community's directory is readable");
        let (_, mei_view) = mei.page(&format!("/communities/{id}/members")).await;
        assert!(!mei_view.contains("地域の食堂を開きたい"), "but requests are for organisers only");

        let response = owner_browser.post(&format!("/communities/{id}/members/2"), &[("action", "accept")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = mei.page(&format!("/communities/{id}")).await;
        assert!(html.contains("あなたの役割：メンバー"), "{html}");

        let kai = person(&app, "kai@example.jp", "海").await;
        let (status, body) = join(&app, &kai, id).await;
        assert_eq!((status, body["status"].as_str()), (StatusCode::CREATED, Some("pending")));
        let response = owner_browser.post(&format!("/communities/{id}/members/{}", kai.id), &[("action", "decline")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, shown) = call(&app, &kai, reqwest::Method::GET, &format!("/api/v1/communities/{id}"), None).await;
        assert_eq!(shown["member_count"], 2, "owner and mei only");
        assert_eq!(join(&app, &kai, id).await.0, StatusCode::CREATED, "a declined person may ask again");
    }

    async fn sub_groups_need_parent_membership_and_nest_three_levels(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let ren = person(&app, "ren@example.jp", "田中 蓮").await;
        let (_, root) = create(&app, &aoi, json!({"kind": "regional_alumni", "name": "にいがた会", "prefecture": "15"})).await;
        let root = root["id"].as_i64().unwrap();
        let (status, _) = create(&app, &ren, json!({"kind": "regional_alumni", "name": "東京支部", "prefecture": "15", "parent_id": root})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "only members start branches");
        join(&app, &ren, root).await;
        let (status, branch) = create(&app, &ren, json!({"kind": "regional_alumni", "name": "東京支部", "prefecture": "15", "parent_id": root})).await;
        assert_eq!(status, StatusCode::CREATED);
        let branch = branch["id"].as_i64().unwrap();
        assert_eq!(branch_parent(&app, &aoi, branch).await, Some(root));
        let (_, club) = create(&app, &ren, json!({"kind": "regional_alumni", "name": "日本酒部", "prefecture": "15", "parent_id": branch})).await;
        let club = club["id"].as_i64().unwrap();
        let (status, deepest) = create(&app, &ren, json!({"kind": "regional_alumni", "name": "利き酒班", "prefecture": "15", "parent_id": club})).await;
        assert_eq!(status, StatusCode::CREATED);
        let deepest = deepest["id"].as_i64().unwrap();
        let (status, body) = create(&app, &ren, json!({"kind": "regional_alumni", "name": "もっと下", "prefecture": "15", "parent_id": deepest})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["parent_id"].is_array());

        let kai = person(&app, "kai@example.jp", "海").await;
        let (status, body) = join(&app, &kai, branch).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "not_parent_member");
        join(&app, &kai, root).await;
        join(&app, &kai, branch).await;
        join(&app, &kai, club).await;
        let (_, listed) = call(&app, &kai, reqwest::Method::GET, &format!("/api/v1/communities?parent={branch}"), None).await;
        assert_eq!(listed["communities"][0]["id"], club);
        // Leaving the region leaves its branches and clubs too.
        assert_eq!(leave(&app, &kai, root).await.0, StatusCode::NO_CONTENT);
        let (_, club_now) = call(&app, &kai, reqwest::Method::GET, &format!("/api/v1/communities/{club}"), None).await;
        assert_eq!(club_now["member_count"], 1, "only the club's owner is left");
        assert_eq!(leave(&app, &kai, branch).await.0, StatusCode::FORBIDDEN);
    }

    async fn bans_block_rejoining_until_lifted(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner_browser = app.browser();
        owner_browser.sign_up("owner@example.jp", "オーナー").await;
        let owner = Person { token: token_of(&app, "owner@example.jp").await, id: 1 };
        let (_, community) = create(&app, &owner, json!({"kind": "union", "name": "ユニオン"})).await;
        let id = community["id"].as_i64().unwrap();
        let troll = person(&app, "troll@example.jp", "荒らし").await;
        join(&app, &troll, id).await;
        let response = owner_browser.post(&format!("/communities/{id}/members/{}", troll.id), &[("action", "ban")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (status, body) = join(&app, &troll, id).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "banned");
        assert_eq!(leave(&app, &troll, id).await.0, StatusCode::FORBIDDEN, "leaving cannot erase a ban");
        assert_eq!(join(&app, &troll, id).await.0, StatusCode::FORBIDDEN);
        let (_, html) = owner_browser.page(&format!("/communities/{id}/members")).await;
        assert!(html.contains("参加禁止") && html.contains("荒らし"));
        owner_browser.post(&format!("/communities/{id}/members/{}", troll.id), &[("action", "unban")]).await;
        assert_eq!(join(&app, &troll, id).await.0, StatusCode::CREATED);
    }

    async fn roles_promotion_and_ownership_transfer(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner_browser = app.browser();
        owner_browser.sign_up("owner@example.jp", "オーナー").await;
        let owner = Person { token: token_of(&app, "owner@example.jp").await, id: 1 };
        let (_, community) = create(&app, &owner, json!({"kind": "npo", "name": "こども未来ラボ"})).await;
        let id = community["id"].as_i64().unwrap();
        let organiser_browser = app.browser();
        organiser_browser.sign_up("org@example.jp", "運営 花子").await;
        let organiser = Person { token: token_of(&app, "org@example.jp").await, id: 2 };
        join(&app, &organiser, id).await;
        let member = person(&app, "mem@example.jp", "メンバー").await;
        join(&app, &member, id).await;

        // A member cannot edit; an organiser can.
        let patch = json!({"name": "こども未来ラボ（改）", "description": "新しい紹介文"});
        let (status, body) = call(&app, &organiser, reqwest::Method::PATCH, &format!("/api/v1/communities/{id}"), Some(patch.clone())).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "not_organiser");
        owner_browser.post(&format!("/communities/{id}/members/{}", organiser.id), &[("action", "promote")]).await;
        let (status, body) = call(&app, &organiser, reqwest::Method::PATCH, &format!("/api/v1/communities/{id}"), Some(patch)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["name"], "こども未来ラボ（改）");
        assert_eq!(body["kind"], "npo", "the kind never changes");

        // Organisers manage members, not the owner or each other.
        let response = organiser_browser.post(&format!("/communities/{id}/members/{}", owner.id), &[("action", "remove")]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = organiser_browser.post(&format!("/communities/{id}/members/{}", member.id), &[("action", "promote")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let response = organiser_browser.post(&format!("/communities/{id}/members/{}", member.id), &[("action", "demote")]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "only the owner changes organisers");

        // The owner hands over and may then leave.
        let response = organiser_browser.post(&format!("/communities/{id}/transfer"), &[("user_id", "1")]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "only the owner transfers");
        let response = owner_browser.post(&format!("/communities/{id}/transfer"), &[("user_id", &organiser.id.to_string())]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = organiser_browser.page(&format!("/communities/{id}")).await;
        assert!(html.contains("あなたの役割：オーナー"));
        assert_eq!(leave(&app, &owner, id).await.0, StatusCode::NO_CONTENT);
        let owners = db.column_as_text("SELECT CAST(user_id AS TEXT) FROM memberships WHERE role = 'owner'").await;
        assert_eq!(owners, vec![organiser.id.to_string()], "exactly one owner");
    }

    async fn pages_show_communities_in_both_languages_and_render_markdown_safely(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let (_, community) = create(&app, &aoi, json!({
            "kind": "regional_alumni", "name": "にいがた会", "prefecture": "15", "tags": ["新潟"],
            "description": "# ようこそ\n\n<script>alert(1)</script>\n\n[公式](https://example.jp)"
        })).await;
        let id = community["id"].as_i64().unwrap();
        let visitor = app.browser();
        let (status, html) = visitor.page("/communities?kind=regional_alumni&prefecture=15").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("にいがた会") && html.contains("メンバー 1人") && html.contains("新潟県"));
        let (_, none) = visitor.page("/communities?kind=union").await;
        assert!(!none.contains("にいがた会") && none.contains("条件に合うコミュニティはまだありません"));
        let (_, html) = visitor.page(&format!("/communities/{id}")).await;
        assert!(html.contains("<h1>ようこそ</h1>"));
        assert!(!html.contains("<script>alert"), "raw HTML is never passed through");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains(r#"href="https://example.jp" rel="nofollow ugc noopener""#));
        assert!(html.contains("ゆかりのある人やファンも歓迎"), "regional alumni welcome fans");
        assert!(html.contains("参加するにはログインしてください"));
        let (_, english) = app.browser_in("en").page(&format!("/communities/{id}")).await;
        assert!(english.contains("Regional alumni") && english.contains("Region: Niigata") && english.contains("Log in to join"));

        let joiner = app.browser();
        joiner.sign_up("ren@example.jp", "田中 蓮").await;
        let response = joiner.post(&format!("/communities/{id}/join"), &[]).await;
        assert_eq!(location(&response), format!("/communities/{id}"));
        let (_, html) = joiner.page(&format!("/communities/{id}")).await;
        assert!(html.contains("参加しました") && html.contains("メンバー 2人"));
        let (_, html) = joiner.page("/communities").await;
        assert!(html.contains("参加中のコミュニティ"));
        let (_, home) = joiner.page("/").await;
        assert!(home.contains("参加中のコミュニティ") && home.contains("にいがた会"), "the home page lists my communities");
    }

    async fn the_data_export_includes_communities_profiles_roles_and_posts(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = app.browser();
        owner.sign_up("owner@example.jp", "オーナー").await;
        owner.post("/communities", &[("kind", "professional"), ("name", "介護の会"), ("visibility", "public"), ("membership", "open")]).await;
        let mei = app.browser();
        mei.sign_up("mei@example.jp", "高橋 芽衣").await;
        mei.post("/communities/1/join", &[]).await;
        mei.post("/communities/1/profile", &[("occupation", "介護福祉士"), ("name_visibility", "members"), ("occupation_visibility", "members"), ("region_visibility", "members"), ("bio_visibility", "hidden")]).await;
        owner.post("/communities/1/roles", &[("name", "受付")]).await;
        mei.post("/communities/1/roles/1", &[("action", "take")]).await;
        let thread = location(&mei.post("/communities/1/threads", &[("title", "夜勤の工夫"), ("body", "教えてください")]).await);
        owner.post(&format!("{thread}/replies"), &[("body", "仮眠です")]).await;
        let export: Value = mei.get("/settings/export").await.json().await.unwrap();
        let community = &export["communities"][0];
        assert_eq!(community["community_name"], "介護の会");
        assert_eq!(community["role"], "member");
        assert_eq!(community["profile"]["occupation"], "介護福祉士");
        assert_eq!(community["volunteer_roles"][0], "受付");
        assert_eq!(export["posts"].as_array().unwrap().len(), 1, "her thread, not the owner's reply");
        assert_eq!(export["posts"][0]["title"], "夜勤の工夫");
        assert_eq!(export["notifications"][0]["kind"], "thread_reply");
    }

    async fn creating_through_the_form_keeps_input_on_errors(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let browser = app.browser();
        browser.sign_up("aoi@example.jp", "佐藤 葵").await;
        let (status, html) = browser.page("/communities/new").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("企業アルムナイ") && html.contains("ワーカーズコープ"));
        let response = browser.post("/communities", &[("kind", "corporate_alumni"), ("name", "OB・OG会"), ("description", "説明"), ("visibility", "public"), ("membership", "open")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("会社名"));
        assert!(html.contains(r#"value="OB・OG会""#), "name kept");
        assert!(html.contains(">説明</textarea>"), "description kept");
        let response = browser.post("/communities", &[("kind", "corporate_alumni"), ("name", "OB・OG会"), ("company_name", "みなと商事"), ("visibility", "public"), ("membership", "approval")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let target = location(&response);
        let (_, html) = browser.page(&target).await;
        assert!(html.contains("会社：みなと商事") && html.contains("コミュニティを作りました"));
        let signed_out = app.browser();
        let response = signed_out.get("/communities/new").await;
        assert_eq!(location(&response), "/login?next=%2Fcommunities%2Fnew");
    }
}

async fn token_of(app: &TestApp, email: &str) -> String {
    common::api_token(app, email).await
}

async fn branch_parent(app: &TestApp, who: &Person, id: i64) -> Option<i64> {
    let (_, body) = call(
        app,
        who,
        reqwest::Method::GET,
        &format!("/api/v1/communities/{id}"),
        None,
    )
    .await;
    body["parent_id"].as_i64()
}
