//! The public-scheme catalogue on SQLite and PostgreSQL: exact round trips,
//! search that finds two-character Japanese words, and the rules of who may
//! change what (the shipped catalogue never overwrites the operator's
//! schemes; `replace` withdraws what an import leaves out).

use tsunagari_domain::public_scheme::{Bilingual, PublicScheme, SchemeCategory};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::time::now;
use tsunagari_store::{CatalogueChange, CatalogueSource, SchemeFilter, Store};

fn scheme(slug: &str, category: SchemeCategory, actions: &[&str]) -> PublicScheme {
    PublicScheme {
        slug: slug.into(),
        category,
        name: Bilingual {
            ja: format!("{slug} の名前"),
            en: format!("Name of {slug}"),
        },
        audience: Bilingual {
            ja: "働く人".into(),
            en: "Working people".into(),
        },
        benefit: Bilingual {
            ja: "相談できます".into(),
            en: "Free advice".into(),
        },
        url: format!("https://example.go.jp/{slug}"),
        prefecture: None,
        fits_actions: actions.iter().map(|a| a.to_string()).collect(),
    }
}

/// A small catalogue: two training benefits, counselling, and a Tokyo-only
/// centre.
fn catalogue() -> Vec<PublicScheme> {
    let mut general = scheme(
        "training-general",
        SchemeCategory::TrainingBenefit,
        &["qualification", "future_learning"],
    );
    general.name = Bilingual {
        ja: "一般教育訓練給付金".into(),
        en: "General education and training benefit".into(),
    };
    general.benefit.ja = "受講料の20%が戻ります。介護の資格も対象です。".into();
    let mut specialised = scheme(
        "training-specialised",
        SchemeCategory::TrainingBenefit,
        &["qualification", "academic_study", "occupation_change"],
    );
    specialised.name = Bilingual {
        ja: "専門実践教育訓練給付金".into(),
        en: "Specialised practical training benefit".into(),
    };
    specialised.audience.en = "People learning for a new TRAINING path".into();
    let mut tokyo = scheme(
        "tokyo-centre",
        SchemeCategory::JobCounselling,
        &["job_change"],
    );
    tokyo.prefecture = Prefecture::parse("13");
    tokyo.audience.ja = "都内で学び直したい人".into();
    vec![
        scheme(
            "hello-work",
            SchemeCategory::JobCounselling,
            &["job_change", "career_plan"],
        ),
        tokyo,
        specialised,
        general,
    ]
}

async fn list(store: &dyn Store, filter: SchemeFilter) -> Vec<String> {
    store
        .public_schemes(&filter)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.slug)
        .collect()
}

fn query(text: &str) -> SchemeFilter {
    SchemeFilter {
        query: Some(text.into()),
        ..Default::default()
    }
}

tsunagari_store::backend_tests! {
    async fn a_catalogue_round_trips_exactly_in_listing_order(db: TestDatabase) {
        let store = db.store().await;
        let change = store
            .import_public_schemes(&catalogue(), CatalogueSource::Shipped, now())
            .await
            .unwrap();
        assert_eq!(change, CatalogueChange { added: 4, ..Default::default() });
        let all = store.public_schemes(&SchemeFilter::default()).await.unwrap();
        // Training benefits come before counselling; national before local;
        // otherwise the file's order.
        let slugs: Vec<&str> = all.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(slugs, ["training-specialised", "training-general", "hello-work", "tokyo-centre"]);
        let expected = catalogue();
        for scheme in &all {
            let original = expected.iter().find(|e| e.slug == scheme.slug).unwrap();
            assert_eq!(scheme, original);
        }
        let one = store.public_scheme("tokyo-centre").await.unwrap().unwrap();
        assert_eq!(one.prefecture.unwrap().code(), "13");
        assert_eq!(one.fits_actions, ["job_change"]);
        assert!(store.public_scheme("no-such-scheme").await.unwrap().is_none());
    }

    async fn search_finds_japanese_words_and_english_in_any_case(db: TestDatabase) {
        let store = db.store().await;
        store.import_public_schemes(&catalogue(), CatalogueSource::Shipped, now()).await.unwrap();
        assert_eq!(list(&*store, query("教育訓練")).await, ["training-specialised", "training-general"]);
        // Two-character words inside longer text.
        assert_eq!(list(&*store, query("介護")).await, ["training-general"]);
        assert_eq!(list(&*store, query("学び")).await, ["tokyo-centre"]);
        // English, case-insensitive, full-width typed through an IME.
        assert_eq!(list(&*store, query("training")).await, ["training-specialised", "training-general"]);
        assert_eq!(list(&*store, query("ＧＥＮＥＲＡＬ")).await, ["training-general"]);
        // Every word must match.
        assert_eq!(list(&*store, query("教育訓練　専門")).await, ["training-specialised"]);
        // LIKE wildcards are literal characters: only one text has a '%',
        // none has a '_'.
        assert_eq!(list(&*store, query("%")).await, ["training-general"]);
        assert!(list(&*store, query("_")).await.is_empty());
        assert!(list(&*store, query("2_%")).await.is_empty());
        assert!(list(&*store, query("年金")).await.is_empty());
        // A blank query filters nothing.
        assert_eq!(list(&*store, query("  ")).await.len(), 4);
    }

    async fn filters_by_category_prefecture_and_actions(db: TestDatabase) {
        let store = db.store().await;
        store.import_public_schemes(&catalogue(), CatalogueSource::Shipped, now()).await.unwrap();
        let counselling = SchemeFilter {
            category: Some(SchemeCategory::JobCounselling),
            ..Default::default()
        };
        assert_eq!(list(&*store, counselling.clone()).await, ["hello-work", "tokyo-centre"]);
        // In Osaka, the Tokyo centre is not available; in Tokyo it is.
        let osaka = SchemeFilter { prefecture: Prefecture::parse("27"), ..counselling.clone() };
        assert_eq!(list(&*store, osaka).await, ["hello-work"]);
        let tokyo = SchemeFilter { prefecture: Prefecture::parse("13"), ..counselling };
        assert_eq!(list(&*store, tokyo).await, ["hello-work", "tokyo-centre"]);
        let actions = SchemeFilter {
            actions: vec!["academic_study".into(), "career_plan".into()],
            ..Default::default()
        };
        assert_eq!(list(&*store, actions).await, ["training-specialised", "hello-work"]);

        let fitting = store
            .public_schemes_for_actions(&["job_change".into()], Prefecture::parse("27"))
            .await
            .unwrap();
        assert_eq!(fitting.iter().map(|s| s.slug.as_str()).collect::<Vec<_>>(), ["hello-work"]);
        let fitting = store
            .public_schemes_for_actions(&["job_change".into(), "qualification".into()], None)
            .await
            .unwrap();
        assert_eq!(fitting.len(), 4);
        assert!(store.public_schemes_for_actions(&[], None).await.unwrap().is_empty());
    }

    async fn reloading_the_shipped_catalogue_counts_changes_and_drops_its_own_removals(db: TestDatabase) {
        let store = db.store().await;
        store.import_public_schemes(&catalogue(), CatalogueSource::Shipped, now()).await.unwrap();
        let again = store.import_public_schemes(&catalogue(), CatalogueSource::Shipped, now()).await.unwrap();
        assert_eq!(again, CatalogueChange { unchanged: 4, ..Default::default() });

        let mut next = catalogue();
        next[0].benefit.en = "Free job placement and advice".into();
        next[0].fits_actions.push("occupation_change".into());
        next.remove(1); // the Tokyo centre is no longer shipped
        next.push(scheme("jasso", SchemeCategory::Scholarship, &["academic_study"]));
        let change = store.import_public_schemes(&next, CatalogueSource::Shipped, now()).await.unwrap();
        assert_eq!(change, CatalogueChange { added: 1, updated: 1, unchanged: 2, kept: 0, removed: 1 });
        assert!(store.public_scheme("tokyo-centre").await.unwrap().is_none());
        let hello = store.public_scheme("hello-work").await.unwrap().unwrap();
        assert_eq!(hello.benefit.en, "Free job placement and advice");
        // The action index follows the new list.
        let by_action = SchemeFilter { actions: vec!["occupation_change".into()], ..Default::default() };
        assert_eq!(list(&*store, by_action).await, ["training-specialised", "hello-work"]);
    }

    async fn the_operator_s_schemes_survive_the_shipped_catalogue(db: TestDatabase) {
        let store = db.store().await;
        store.import_public_schemes(&catalogue(), CatalogueSource::Shipped, now()).await.unwrap();
        let mut corrected = scheme("hello-work", SchemeCategory::JobCounselling, &["job_change"]);
        corrected.benefit.ja = "運営者が直した説明".into();
        let local = {
            let mut s = scheme("niigata-uturn", SchemeCategory::RelocationSupport, &["relocation"]);
            s.prefecture = Prefecture::parse("15");
            s
        };
        let change = store
            .import_public_schemes(&[corrected.clone(), local], CatalogueSource::Operator { replace: false }, now())
            .await
            .unwrap();
        assert_eq!(change, CatalogueChange { added: 1, updated: 1, ..Default::default() });
        // Without replace, the rest of the catalogue stays.
        assert_eq!(list(&*store, SchemeFilter::default()).await.len(), 5);

        // A restart loads the shipped catalogue again: the correction stays.
        let change = store.import_public_schemes(&catalogue(), CatalogueSource::Shipped, now()).await.unwrap();
        assert_eq!(change, CatalogueChange { unchanged: 3, kept: 1, ..Default::default() });
        assert_eq!(store.public_scheme("hello-work").await.unwrap().unwrap(), corrected);
        assert!(store.public_scheme("niigata-uturn").await.unwrap().is_some());
    }

    async fn replace_withdraws_what_the_file_leaves_out_for_good(db: TestDatabase) {
        let store = db.store().await;
        store.import_public_schemes(&catalogue(), CatalogueSource::Shipped, now()).await.unwrap();
        let only = vec![scheme("hello-work", SchemeCategory::JobCounselling, &["job_change", "career_plan"])];
        let change = store
            .import_public_schemes(&only, CatalogueSource::Operator { replace: true }, now())
            .await
            .unwrap();
        assert_eq!(change, CatalogueChange { unchanged: 1, removed: 3, ..Default::default() });
        assert_eq!(list(&*store, SchemeFilter::default()).await, ["hello-work"]);
        assert!(store.public_scheme("training-general").await.unwrap().is_none());

        // The shipped catalogue does not bring withdrawn schemes back.
        let change = store.import_public_schemes(&catalogue(), CatalogueSource::Shipped, now()).await.unwrap();
        assert_eq!(change, CatalogueChange { kept: 4, ..Default::default() });
        assert_eq!(list(&*store, SchemeFilter::default()).await, ["hello-work"]);
        assert!(list(&*store, query("教育訓練")).await.is_empty());

        // Importing one again does.
        let general = catalogue().pop().unwrap();
        let change = store
            .import_public_schemes(std::slice::from_ref(&general), CatalogueSource::Operator { replace: false }, now())
            .await
            .unwrap();
        assert_eq!(change, CatalogueChange { added: 1, ..Default::default() });
        assert_eq!(store.public_scheme("training-general").await.unwrap().unwrap(), general);
    }

    async fn concurrent_shipped_loads_add_each_scheme_once(db: TestDatabase) {
        let store = db.store().await;
        let mut loads = Vec::new();
        for _ in 0..4 {
            let store = store.clone();
            loads.push(tokio::spawn(async move {
                store.import_public_schemes(&catalogue(), CatalogueSource::Shipped, now()).await.unwrap()
            }));
        }
        let mut added = 0;
        for load in loads {
            added += load.await.unwrap().added;
        }
        // Serialised by the catalogue row: exactly one load added them.
        assert_eq!(added, 4);
        assert_eq!(list(&*store, SchemeFilter::default()).await.len(), 4);
    }
}
