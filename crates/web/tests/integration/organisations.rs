//! The directory of real organisations over HTTP, on SQLite and PostgreSQL:
//! browsing the report's organisations with filters in both languages, a
//! listing's page, claiming (422 with messages in both languages, 409 for a
//! second claim), the operators' queue (403 for everyone else), approval
//! turning the listing into the claimant's community, declining with a
//! reason, notifications, and the JSON API.

use crate::common;

use common::{TestApp, api_account, location};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tsunagari_app::{Organisations, SHIPPED_DIRECTORY, SiteOperators, parse_directory};
use tsunagari_domain::community::{CommunityId, MembershipStatus, Role};
use tsunagari_store::testing::TestDatabase;

/// A server whose database holds the shipped directory, as after
/// `tsunagari migrate`.
async fn spawn(db: &TestDatabase) -> TestApp {
    let app = TestApp::spawn(db).await;
    let report = Organisations::new(app.store.clone())
        .load_shipped()
        .await
        .unwrap();
    assert_eq!(report.added as usize, shipped_count());
    app
}

fn shipped_count() -> usize {
    parse_directory(SHIPPED_DIRECTORY).unwrap().len()
}

async fn operator(app: &TestApp, email: &str) -> common::Browser {
    let browser = app.browser();
    browser.sign_up(email, "運営 太郎").await;
    SiteOperators::new(app.store.clone())
        .grant(email)
        .await
        .unwrap();
    browser
}

/// The claim ids of the operators' queue page, in order.
fn queued_claims(html: &str) -> Vec<i64> {
    html.split("id=\"claim-")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

/// The listing links of a directory page, in order.
fn listing_slugs(html: &str) -> Vec<String> {
    html.split("<h3><a href=\"/organisations/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

tsunagari_store::backend_tests! {
    async fn the_directory_lists_the_report_s_organisations_as_entries_not_run_here(db: TestDatabase) {
        let app = spawn(&db).await;
        let (status, html) = app.browser().page("/organisations?page=1").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<h1>実在する団体の名簿</h1>"), "{html}");
        assert!(html.contains(&format!("{}団体", shipped_count())));
        for name in ["育休＆共働きコミュニティ ikumado", "未来をつくるkaigoカフェ", "One HR", "ONE JAPAN", "モトヤフ（ヤフーのアルムナイ）"] {
            assert!(html.contains(name), "{name} on the first page");
        }
        // Every listing is marked as a directory entry, none as on the site.
        assert_eq!(html.matches("名簿の掲載のみ（このサーバーでは運営されていません）").count(), 30);
        assert!(!html.contains("tsunagariで活動中"));
        assert!(html.contains("href=\"/organisations?page=2\" rel=\"next\""));
        let (_, second) = app.browser().page("/organisations?page=2").await;
        for name in ["UAゼンセン", "電機連合", "コミュニティ・ユニオン全国ネットワーク", "Coworker.org", "モンドラゴン協同組合", "企業組合はんしんワーカーズコープ"] {
            assert!(second.contains(name), "{name} on the second page");
        }
        assert_eq!(listing_slugs(&html).len() + listing_slugs(&second).len(), shipped_count());

        let (_, en) = app.browser_in("en").page("/organisations?kind=union").await;
        assert!(en.contains("<h1>Directory of real organisations</h1>"));
        assert!(en.contains("Directory entry — not run on this server"));
        let unions = listing_slugs(&en);
        assert!(unions.contains(&"uazensen".to_owned()) && unions.contains(&"coworker-org".to_owned()));
        assert!(!unions.contains(&"ikumado".to_owned()));
        assert!(en.contains("UA Zensen") && en.contains("<option value=\"union\" selected>"));

        let (_, niigata) = app.browser().page("/organisations?prefecture=15").await;
        assert_eq!(listing_slugs(&niigata), ["facebook-niigata-kenjinkai", "shutoken-niigata-kenjinkai"]);
        let (_, both) = app.browser().page("/organisations?kind=worker_coop&prefecture=28").await;
        assert_eq!(listing_slugs(&both), ["hanshin-workers-coop"]);
        let (_, none) = app.browser().page("/organisations?kind=union&prefecture=47").await;
        assert!(none.contains("条件に合う団体はありません。"));
        // Unknown filter values are ignored rather than refused.
        let (status, ignored) = app.browser().page("/organisations?kind=club&prefecture=99").await;
        assert_eq!(status, StatusCode::OK);
        assert!(ignored.contains(&format!("{}団体", shipped_count())));

        let (status, listing) = app.browser().page("/organisations/uazensen").await;
        assert_eq!(status, StatusCode::OK);
        assert!(listing.contains("<h1>UAゼンセン</h1>"));
        assert!(listing.contains("この団体は名簿に載っているだけで、tsunagariの上では活動していません。"));
        assert!(listing.contains("href=\"https://uazensen.jp/\""));
        assert!(listing.contains("申請するには、ログインしてください。"));
        assert!(listing.contains("href=\"/login?next=%2Forganisations%2Fuazensen%23claim\""));
        let (status, _) = app.browser().page("/organisations/no-such-organisation").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Every page links to the directory.
        let (_, home) = app.browser().page("/").await;
        assert!(home.contains(r#"<a href="/organisations">団体名簿</a>"#));
    }

    async fn a_claim_approved_by_the_operator_becomes_the_claimant_s_community(db: TestDatabase) {
        let app = spawn(&db).await;
        let claimant = app.browser();
        claimant.sign_up("nagumo@example.jp", "南雲 克").await;
        let response = claimant
            .post("/organisations/facebook-niigata-kenjinkai/claims", &[("message", "会の代表です。会のページの管理者一覧に名前があります。")])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&response), "/organisations/facebook-niigata-kenjinkai#claim");
        let (_, page) = claimant.page("/organisations/facebook-niigata-kenjinkai").await;
        assert!(page.contains("申請を送りました。"));
        assert!(page.contains("確認待ち") && page.contains("あなたの申請は確認待ちです。"));
        assert!(!page.contains("name=\"message\""), "no second form while one waits");

        // Nobody but an operator sees or decides the queue.
        let stranger = app.browser();
        stranger.sign_up("stranger@example.jp", "通りすがり").await;
        assert_eq!(stranger.get("/admin/claims").await.status(), StatusCode::FORBIDDEN);
        assert_eq!(claimant.get("/admin/claims").await.status(), StatusCode::FORBIDDEN);
        let response = app.browser().get("/admin/claims").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert!(location(&response).starts_with("/login?next="));

        let operator = operator(&app, "operator@example.jp").await;
        let (status, queue) = operator.page("/admin/claims").await;
        assert_eq!(status, StatusCode::OK);
        assert!(queue.contains("フェイスブック新潟県人会") && queue.contains("申請者: 南雲 克"));
        assert!(queue.contains("会の代表です。会のページの管理者一覧に名前があります。"));
        let claims = queued_claims(&queue);
        assert_eq!(claims.len(), 1, "{claims:?}");
        let id = claims[0];
        assert_eq!(stranger.post(&format!("/admin/claims/{id}/approve"), &[]).await.status(), StatusCode::FORBIDDEN);
        let (_, home) = operator.page("/").await;
        assert!(home.contains("確認待ちの団体の申請が1件あります"));

        let response = operator.post(&format!("/admin/claims/{id}/approve"), &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, queue) = operator.page("/admin/claims").await;
        assert!(queue.contains("申請を承認し、コミュニティを作りました。"));
        assert!(queue.contains("確認待ちの申請はありません。"));
        let response = operator.post(&format!("/admin/claims/{id}/approve"), &[]).await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "decided once");

        // The listing now links to a community of its kind, owned by the claimant.
        let (_, listing) = app.browser().page("/organisations/facebook-niigata-kenjinkai").await;
        assert!(listing.contains("tsunagariで活動中"));
        let community_id: i64 = listing
            .split("<a class=\"button\" href=\"/communities/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|id| id.parse().ok())
            .expect("a link to the community");
        let community = app.store.community(CommunityId(community_id)).await.unwrap().unwrap();
        assert_eq!(community.kind.as_str(), "regional_alumni");
        assert_eq!(community.profile.name, "フェイスブック新潟県人会");
        assert_eq!(community.profile.prefecture.unwrap().code(), "15");
        assert!(community.profile.tags.contains(&"新潟".to_owned()));
        let members = app.store.members(community.id, MembershipStatus::Active).await.unwrap();
        assert_eq!(members.len(), 1);
        assert_eq!((members[0].display_name.as_str(), members[0].membership.role), ("南雲 克", Role::Owner));
        let (_, page) = claimant.page(&format!("/communities/{community_id}")).await;
        assert!(page.contains("フェイスブック新潟県人会"));
        let (_, directory) = app.browser().page("/organisations?prefecture=15").await;
        assert!(directory.contains(&format!("<a href=\"/communities/{community_id}\">")));
        assert!(directory.contains("tsunagariで活動中"));

        // The claimant is told; a claimed listing cannot be claimed again.
        let (_, notifications) = claimant.page("/notifications").await;
        assert!(notifications.contains("「フェイスブック新潟県人会」の申請が承認されました。"), "{notifications}");
        let response = stranger
            .post("/organisations/facebook-niigata-kenjinkai/claims", &[("message", "私も代表です。")])
            .await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let body = response.text().await.unwrap();
        assert!(body.contains("この団体は、すでにtsunagariで活動しています。"));
    }

    async fn double_claims_are_409_and_bad_messages_422_in_both_languages(db: TestDatabase) {
        let app = spawn(&db).await;
        let claimant = app.browser();
        claimant.sign_up("aoi@example.jp", "佐藤 葵").await;
        let long = "あ".repeat(1001);
        let response = claimant.post("/organisations/ikumado/claims", &[("message", &long)]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("1000文字以内で書いてください。"));
        assert!(html.contains(&long), "what was typed comes back");
        assert!(html.contains("aria-invalid=\"true\""));
        let response = claimant.post("/organisations/ikumado/claims", &[("message", "  ")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("あなたと団体の関係を書いてください。"));
        let english = app.browser_in("en");
        english.sign_up("emma@example.com", "Emma Clark").await;
        let response = english.post("/organisations/ikumado/claims", &[("message", "")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("Say how you are connected to the organisation."));
        for user in [1, 2] {
            assert!(app.store.organisation_claims_of(tsunagari_domain::UserId(user)).await.unwrap().is_empty(), "nothing saved");
        }

        let ok = claimant.post("/organisations/ikumado/claims", &[("message", "共同代表です。")]).await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        let again = claimant.post("/organisations/ikumado/claims", &[("message", "もう一度。")]).await;
        assert_eq!(again.status(), StatusCode::CONFLICT);
        assert!(again.text().await.unwrap().contains("この団体へのあなたの申請は、確認待ちです。"));
        let response = claimant.post("/organisations/no-such-organisation/claims", &[("message", "x")]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        // Signed out: to the login page and back.
        let response = app.browser().post("/organisations/ikumado/claims", &[("message", "x")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert!(location(&response).starts_with("/login?next="));
    }

    async fn a_declined_claim_tells_the_claimant_why_and_an_approval_supersedes_the_rest(db: TestDatabase) {
        let app = spawn(&db).await;
        let first = app.browser();
        first.sign_up("one@example.jp", "一番 乗り").await;
        let second = app.browser();
        second.sign_up("two@example.jp", "二番 手").await;
        first.post("/organisations/denki-rengo/claims", &[("message", "組合員です。")]).await;
        second.post("/organisations/denki-rengo/claims", &[("message", "書記局の者です。")]).await;
        let operator = operator(&app, "operator@example.jp").await;
        let (_, queue) = operator.page("/admin/claims").await;
        let claims = queued_claims(&queue);
        assert_eq!(claims.len(), 2);

        let response = operator.post(&format!("/admin/claims/{}/decline", claims[0]), &[("reason", "  ")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("見送る理由を書いてください。"));
        assert_eq!(queued_claims(&html), claims, "the queue is shown again, nothing decided");
        let response = operator
            .post(&format!("/admin/claims/{}/decline", claims[0]), &[("reason", "役員の方からの申請をお願いします。")])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, queue) = operator.page("/admin/claims").await;
        assert!(queue.contains("申請を見送りました。"));
        assert_eq!(queued_claims(&queue), [claims[1]]);

        let (_, page) = first.page("/organisations/denki-rengo").await;
        assert!(page.contains("見送り") && page.contains("理由: 役員の方からの申請をお願いします。"));
        assert!(page.contains("name=\"message\""), "declined: the person may claim again");
        assert!(!page.contains("書記局の者です。"), "nobody else's claim is shown");
        let (_, notifications) = first.page("/notifications").await;
        assert!(notifications.contains("「電機連合」への申請は承認されませんでした。"));

        // Approving the other closes nothing twice; the first person's new
        // claim is superseded and told so.
        first.post("/organisations/denki-rengo/claims", &[("message", "改めて、委員長の了承を得ました。")]).await;
        operator.post(&format!("/admin/claims/{}/approve", claims[1]), &[]).await;
        let (_, page) = first.page("/organisations/denki-rengo").await;
        assert!(page.contains("別の方の申請が承認されました"));
        assert!(page.contains("tsunagariで活動中"));
    }

    async fn the_api_lists_reads_and_claims_organisations(db: TestDatabase) {
        let app = spawn(&db).await;
        let list: Value = app.api().get(app.url("/api/v1/organisations?kind=union&limit=500")).send().await.unwrap().json().await.unwrap();
        let unions = list["organisations"].as_array().unwrap();
        assert_eq!(list["total"].as_i64().unwrap() as usize, unions.len());
        assert!(unions.iter().all(|o| o["kind"] == "union" && o["status"] == "unclaimed"));
        let ua = unions.iter().find(|o| o["slug"] == "uazensen").unwrap();
        assert_eq!(ua["name"]["ja"], "UAゼンセン");
        assert_eq!(ua["website"], "https://uazensen.jp/");
        assert_eq!(ua["url"], "/organisations/uazensen");
        let all: Value = app.api().get(app.url("/api/v1/organisations?limit=500")).send().await.unwrap().json().await.unwrap();
        assert_eq!(all["organisations"].as_array().unwrap().len(), shipped_count());

        let response = app.api().get(app.url("/api/v1/organisations?kind=club&prefecture=99")).header("accept-language", "en").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], "invalid");
        assert!(error["error"]["fields"]["kind"].is_array() && error["error"]["fields"]["prefecture"].is_array());

        let one: Value = app.api().get(app.url("/api/v1/organisations/mondragon")).send().await.unwrap().json().await.unwrap();
        assert_eq!(one["kind"], "worker_coop");
        assert_eq!(one["prefecture"], Value::Null);
        let response = app.api().get(app.url("/api/v1/organisations/nothing-here")).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);

        let claim = |token: Option<String>, message: &str, language: &str| {
            let mut request = app.api().post(app.url("/api/v1/organisations/one-hr/claims")).header("accept-language", language).json(&json!({"message": message}));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request.send()
        };
        assert_eq!(claim(None, "x", "ja").await.unwrap().status(), StatusCode::UNAUTHORIZED);
        let (_, token) = api_account(&app, "hr@example.jp", "人事 花子").await;
        let response = claim(Some(token.clone()), "", "ja").await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["fields"]["message"][0], "あなたと団体の関係を書いてください。");
        let response = claim(Some(token.clone()), "", "en").await.unwrap();
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["fields"]["message"][0], "Say how you are connected to the organisation.");
        let response = claim(Some(token.clone()), "運営メンバーです。", "ja").await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let created: Value = response.json().await.unwrap();
        assert_eq!(created["status"], "pending");
        assert_eq!(created["organisation"], "one-hr");
        let response = claim(Some(token), "もう一度", "ja").await.unwrap();
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], "claim_pending");

        let doc: Value = app.api().get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
        for path in ["/api/v1/organisations", "/api/v1/organisations/{slug}", "/api/v1/organisations/{slug}/claims"] {
            assert!(doc["paths"][path].is_object(), "{path} documented");
        }
        assert!(doc["components"]["schemas"]["OrganisationView"].is_object());
    }

    async fn the_data_export_holds_the_person_s_own_claims(db: TestDatabase) {
        let app = spawn(&db).await;
        let claimant = app.browser();
        claimant.sign_up("aoi@example.jp", "佐藤 葵").await;
        claimant.post("/organisations/katariba/claims", &[("message", "職員です。")]).await;
        let other = app.browser();
        other.sign_up("ren@example.jp", "田中 蓮").await;
        other.post("/organisations/katariba/claims", &[("message", "別の人の申請。")]).await;
        let export: Value = claimant.get("/settings/export").await.json().await.unwrap();
        let claims = export["organisation_claims"].as_array().unwrap();
        assert_eq!(claims.len(), 1);
        assert_eq!(claims[0]["organisation"], "katariba");
        assert_eq!(claims[0]["message"], "職員です。");
        assert_eq!(claims[0]["status"], "pending");
    }
}
