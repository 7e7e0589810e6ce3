//! The public-help directory (公助) over HTTP, on SQLite and PostgreSQL:
//! browsing by category in both languages, search that finds Japanese and
//! English words, filters, a scheme's page with its official link, the
//! JSON API and its errors, and an operator's import showing on the pages.

use crate::common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::Value;
use tsunagari_app::{ImportMode, PublicSchemes, SHIPPED_CATALOGUE, parse_catalogue};
use tsunagari_store::testing::TestDatabase;

/// A server whose database holds the shipped catalogue, as after
/// `tsunagari migrate`.
async fn spawn(db: &TestDatabase) -> (TestApp, PublicSchemes) {
    let app = TestApp::spawn(db).await;
    let schemes = PublicSchemes::new(app.store.clone());
    let report = schemes.load_shipped().await.unwrap();
    assert_eq!(report.added as usize, shipped_count());
    (app, schemes)
}

fn shipped_count() -> usize {
    parse_catalogue(SHIPPED_CATALOGUE).unwrap().len()
}

async fn api_get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let response = app.api().get(app.url(path)).send().await.unwrap();
    let status = response.status();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    (status, response.json().await.unwrap())
}

/// The slugs an API list answered with.
async fn api_slugs(app: &TestApp, path: &str) -> Vec<String> {
    let (status, body) = api_get(app, path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body["schemes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["slug"].as_str().unwrap().to_owned())
        .collect()
}

/// The scheme links of a directory page, in order.
fn page_slugs(html: &str) -> Vec<String> {
    html.split("href=\"/public-help/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

const CORRECTED_HELLO_WORK: &str = r#"
[[scheme]]
slug = "hello-work"
category = "job_counselling"
name_ja = "ハローワーク"
name_en = "Hello Work"
audience_ja = "仕事を探している人"
audience_en = "Anyone looking for work"
benefit_ja = "運営者が書き直した説明です。"
benefit_en = "Text rewritten by the operator."
url = "https://www.hellowork.mhlw.go.jp/"
fits_actions = ["job_change"]
"#;

tsunagari_store::backend_tests! {
    async fn the_directory_is_browsed_by_category_in_both_languages(db: TestDatabase) {
        let (app, _) = spawn(&db).await;
        let (status, html) = app.browser().page("/public-help").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<h1>公的な支援制度</h1>"), "{html}");
        assert!(html.contains(&format!("{}件の制度", shipped_count())));
        // The navigation links here and marks it as the current page.
        assert!(html.contains(r#"<a href="/public-help" aria-current="page">公的支援</a>"#));
        // Categories in the product's order, each scheme once.
        let money = html.find("失業中の生活の支え</h2>").expect("unemployment section");
        let fees = html.find("学び直しの費用の支援</h2>").expect("training section");
        let moving = html.find("地方への移住（U・Iターン）</h2>").expect("relocation section");
        assert!(money < fees && fees < moving);
        let slugs = page_slugs(&html);
        assert_eq!(slugs.len(), shipped_count());
        assert_eq!(slugs[0], "employment-insurance-basic-allowance");
        assert!(html.contains("一般教育訓練給付金"));
        assert!(html.contains("東京都の制度"), "the local scheme says where");

        let (status, html) = app.browser_in("en").page("/public-help").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(r#"<html lang="en">"#));
        assert!(html.contains("<h1>Public support schemes</h1>"));
        assert!(html.contains("General education and training benefit"));
        assert!(html.contains(&format!("{} schemes", shipped_count())));
        assert!(!html.contains("一般教育訓練給付金"), "English page shows English names");

        // Every page of the site links to the directory.
        let (_, home) = app.browser().page("/").await;
        assert!(home.contains(r#"<a href="/public-help">公的支援</a>"#));
    }

    async fn search_finds_japanese_and_english_words(db: TestDatabase) {
        let (app, _) = spawn(&db).await;
        let (status, html) = app.browser().page("/public-help?q=教育訓練").await;
        assert_eq!(status, StatusCode::OK);
        let slugs = page_slugs(&html);
        for slug in [
            "education-training-benefit-general",
            "education-training-benefit-specific",
            "education-training-benefit-specialised",
        ] {
            assert!(slugs.iter().any(|s| s == slug), "{slug} in {slugs:?}");
        }
        assert!(!slugs.iter().any(|s| s == "regional-relocation-grant"), "{slugs:?}");
        assert!(slugs.len() < shipped_count());
        assert!(html.contains(r#"value="教育訓練""#), "the box keeps the query");

        // Two-character words inside longer text.
        let slugs = page_slugs(&app.browser().page("/public-help?q=介護").await.1);
        assert!(slugs.contains(&"hello-training".to_owned()), "{slugs:?}");
        assert!(slugs.contains(&"education-training-benefit-specific".to_owned()), "{slugs:?}");
        assert!(!slugs.contains(&"jasso-scholarship".to_owned()), "{slugs:?}");

        // English, whatever the case, and from the Japanese page too.
        let (_, html) = app.browser_in("en").page("/public-help?q=Training").await;
        let slugs = page_slugs(&html);
        assert!(slugs.contains(&"hello-training".to_owned()), "{slugs:?}");
        assert!(slugs.contains(&"education-training-benefit-general".to_owned()));
        assert!(!slugs.contains(&"furusato-kaiki-support-centre".to_owned()), "{slugs:?}");
        let ja = page_slugs(&app.browser().page("/public-help?q=training").await.1);
        assert_eq!(ja, slugs, "both languages are searched whatever the page's language");

        let (status, html) = app.browser().page("/public-help?q=存在しない言葉").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page_slugs(&html).is_empty());
        assert!(html.contains("条件に合う制度は見つかりませんでした"));
    }

    async fn category_and_prefecture_filters_narrow_the_list(db: TestDatabase) {
        let (app, _) = spawn(&db).await;
        let (_, html) = app.browser().page("/public-help?category=relocation_support").await;
        assert_eq!(
            page_slugs(&html),
            ["regional-relocation-grant", "join-relocation-portal", "furusato-kaiki-support-centre"]
        );
        assert!(html.contains(r#"<a href="/public-help?category=relocation_support" aria-current="page">"#), "{html}");
        assert!(html.contains(r#"<option value="relocation_support" selected>"#));

        // The Tokyo centre is for Tokyo: not listed for Osaka.
        let osaka = page_slugs(&app.browser().page("/public-help?category=job_counselling&prefecture=27").await.1);
        assert_eq!(osaka, ["hello-work", "youth-support-station"]);
        let tokyo = page_slugs(&app.browser().page("/public-help?category=job_counselling&prefecture=13").await.1);
        assert_eq!(tokyo, ["hello-work", "youth-support-station", "tokyo-shigoto-center"]);

        // Unknown values from a hand-edited address are ignored, not an error.
        let (status, html) = app.browser().page("/public-help?category=loans&prefecture=99").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(page_slugs(&html).len(), shipped_count());
    }

    async fn a_scheme_page_shows_who_it_is_for_what_it_gives_and_the_official_link(db: TestDatabase) {
        let (app, _) = spawn(&db).await;
        let (status, html) = app.browser().page("/public-help/education-training-benefit-general").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<h1>一般教育訓練給付金</h1>"));
        assert!(html.contains(r#"lang="en">General education and training benefit</p>"#));
        assert!(html.contains("対象となる人"));
        assert!(html.contains("受講料の20%（上限10万円）"));
        assert!(html.contains(
            r#"href="https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/jinzaikaihatsu/kyouiku.html" rel="external noopener""#
        ));
        assert!(html.contains("（外部サイト）"));
        assert!(html.contains("www.mhlw.go.jp"));
        assert!(html.contains("資格の取得"), "the actions it helps with");
        assert!(html.contains(r#"href="/public-help?category=training_benefit""#));

        let (status, html) = app.browser_in("en").page("/public-help/education-training-benefit-general").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<h1>General education and training benefit</h1>"));
        assert!(html.contains("refunds 20% of the fees, up to 100,000 yen"));
        assert!(html.contains("Who it is for"));
        assert!(html.contains("(external site)"));
    }

    async fn unknown_schemes_are_404_on_pages_and_in_the_api(db: TestDatabase) {
        let (app, _) = spawn(&db).await;
        let (status, html) = app.browser().page("/public-help/no-such-scheme").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("<html lang=\"ja\">"), "our error page");
        let (status, html) = app.browser().page(&format!("/public-help/{}", "a".repeat(300))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{html}");
        let (status, body) = api_get(&app, "/api/v1/public-schemes/no-such-scheme").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["error"]["code"], "not_found");
    }

    async fn the_api_lists_and_filters_schemes_as_bilingual_json(db: TestDatabase) {
        let (app, _) = spawn(&db).await;
        let all = api_slugs(&app, "/api/v1/public-schemes").await;
        assert_eq!(all.len(), shipped_count());

        let (status, tokyo) = api_get(&app, "/api/v1/public-schemes/tokyo-shigoto-center").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(tokyo["slug"], "tokyo-shigoto-center");
        assert_eq!(tokyo["category"], "job_counselling");
        assert_eq!(tokyo["name"]["ja"], "東京しごとセンター");
        assert!(tokyo["name"]["en"].as_str().unwrap().starts_with("Tokyo Shigoto Center"));
        assert!(tokyo["audience"]["ja"].as_str().unwrap().contains("東京都内"));
        assert!(tokyo["audience"]["en"].is_string());
        assert!(tokyo["benefit"]["ja"].is_string() && tokyo["benefit"]["en"].is_string());
        assert_eq!(tokyo["url"], "https://www.tokyoshigoto.jp/");
        assert_eq!(tokyo["prefecture"], "13");
        assert_eq!(tokyo["fits_actions"], serde_json::json!(["job_change", "occupation_change", "career_plan"]));
        let keys: Vec<&String> = tokyo.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 8, "{keys:?}");
        let (_, hello) = api_get(&app, "/api/v1/public-schemes/hello-work").await;
        assert!(hello["prefecture"].is_null());

        assert_eq!(
            api_slugs(&app, "/api/v1/public-schemes?category=training_benefit").await,
            ["education-training-benefit-general", "education-training-benefit-specific", "education-training-benefit-specialised"]
        );
        let found = api_slugs(&app, "/api/v1/public-schemes?q=%E6%95%99%E8%82%B2%E8%A8%93%E7%B7%B4").await; // 教育訓練
        assert!(found.contains(&"education-training-benefit-specialised".to_owned()));
        assert!(!found.contains(&"hello-work".to_owned()));
        let found = api_slugs(&app, "/api/v1/public-schemes?q=TRAINING&category=vocational_training").await;
        assert_eq!(found, ["hello-training"]);
        let moving = api_slugs(&app, "/api/v1/public-schemes?action=relocation").await;
        assert_eq!(moving, ["regional-relocation-grant", "join-relocation-portal", "furusato-kaiki-support-centre"]);
        let either = api_slugs(&app, "/api/v1/public-schemes?action=relocation,academic_study").await;
        assert!(either.contains(&"jasso-scholarship".to_owned()) && either.contains(&"join-relocation-portal".to_owned()));
        let osaka = api_slugs(&app, "/api/v1/public-schemes?prefecture=27").await;
        assert_eq!(osaka.len(), shipped_count() - 1);
        assert!(!osaka.contains(&"tokyo-shigoto-center".to_owned()));

        for (query, field) in [("category=loans", "category"), ("prefecture=99", "prefecture"), ("action=flying", "action")] {
            let (status, body) = api_get(&app, &format!("/api/v1/public-schemes?{query}")).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
            assert_eq!(body["error"]["code"], "invalid");
            assert!(body["error"]["fields"][field].is_array(), "{query}: {body}");
        }

        let (_, doc) = api_get(&app, "/api/openapi.json").await;
        assert!(doc["paths"]["/api/v1/public-schemes"]["get"].is_object());
        assert!(doc["paths"]["/api/v1/public-schemes/{slug}"]["get"]["responses"]["404"].is_object());
        assert!(doc["components"]["schemas"]["PublicSchemeView"]["properties"]["fits_actions"].is_object());
    }

    async fn an_import_replaces_a_scheme_s_text_everywhere(db: TestDatabase) {
        let (app, schemes) = spawn(&db).await;
        let report = schemes.import(CORRECTED_HELLO_WORK, ImportMode::Merge).await.unwrap();
        assert_eq!((report.added, report.updated), (0, 1));
        let (_, html) = app.browser().page("/public-help/hello-work").await;
        assert!(html.contains("運営者が書き直した説明です。"), "{html}");
        assert!(!html.contains("求人の紹介、仕事探しの相談"));
        let (_, body) = api_get(&app, "/api/v1/public-schemes/hello-work").await;
        assert_eq!(body["benefit"]["en"], "Text rewritten by the operator.");
        assert_eq!(api_slugs(&app, "/api/v1/public-schemes").await.len(), shipped_count());

        // The shipped catalogue, loaded again at the next start, keeps it.
        schemes.load_shipped().await.unwrap();
        let (_, body) = api_get(&app, "/api/v1/public-schemes/hello-work").await;
        assert_eq!(body["benefit"]["en"], "Text rewritten by the operator.");

        // A bad file changes nothing.
        let bad = CORRECTED_HELLO_WORK
            .replace("運営者が書き直した説明です。", "もう一度直した説明")
            .replace("https://www.hellowork", "http://www.hellowork");
        let error = schemes.import(&bad, ImportMode::Merge).await.unwrap_err();
        assert_eq!(error.to_string(), "scheme hello-work: url must be an https:// URL");
        let (_, html) = app.browser().page("/public-help/hello-work").await;
        assert!(html.contains("運営者が書き直した説明です。"));

        // Replace: only the file's schemes remain listed.
        let report = schemes.import(CORRECTED_HELLO_WORK, ImportMode::Replace).await.unwrap();
        assert_eq!(report.removed as usize, shipped_count() - 1);
        assert_eq!(api_slugs(&app, "/api/v1/public-schemes").await, ["hello-work"]);
        let (status, _) = app.browser().page("/public-help/jasso-scholarship").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn schemes_are_suggested_for_wished_actions(db: TestDatabase) {
        let (_app, schemes) = spawn(&db).await;
        let wanted = vec!["relocation".to_owned(), "job_change".to_owned()];
        let osaka = tsunagari_domain::region::Prefecture::parse("27");
        let suggested = schemes.for_actions(&wanted, osaka, 4).await.unwrap();
        let slugs: Vec<&str> = suggested.iter().map(|s| s.slug.as_str()).collect();
        // Fitting both actions first, in catalogue order; the Tokyo centre
        // is not offered in Osaka; at most four.
        assert_eq!(slugs, ["regional-relocation-grant", "join-relocation-portal", "employment-insurance-basic-allowance", "education-training-benefit-specific"]);
        let tokyo = schemes
            .for_actions(&["career_plan".to_owned()], tsunagari_domain::region::Prefecture::parse("13"), 20)
            .await
            .unwrap();
        assert!(tokyo.iter().any(|s| s.slug == "tokyo-shigoto-center"));
        assert!(schemes.for_actions(&[], None, 5).await.unwrap().is_empty());
    }
}
