//! The self-check store contract, on SQLite and PostgreSQL: drafts are
//! per owner, results are only ever read by their owner.

use chrono::Duration;
use tsunagari_domain::time::now;
use tsunagari_domain::{SecretToken, UserId};
use tsunagari_store::{DraftOwner, SelfCheckSummary, Store};

async fn person(store: &dyn Store, email: &str) -> UserId {
    tsunagari_store::testing::create_person(store, email, "佐藤 葵").await
}

const SUMMARY: SelfCheckSummary = SelfCheckSummary {
    mutual_support_ties: 2,
    gave_up_career_move: true,
    future_confidence: 63,
    curiosity: 100,
    self_determination: 0,
    allocation_shift: 30,
};

tsunagari_store::backend_tests! {
    async fn drafts_belong_to_one_owner_and_results_to_one_person(db: TestDatabase) {
        let store = db.store().await;
        let aoi = person(&*store, "aoi@example.jp").await;
        let ren = person(&*store, "ren@example.jp").await;
        let visitor = DraftOwner::Visitor(SecretToken::generate().hash());
        let mine = DraftOwner::User(aoi);

        store.save_self_check_draft(&visitor, r#"{"occupation":"care"}"#, now()).await.unwrap();
        store.save_self_check_draft(&visitor, r#"{"occupation":"it"}"#, now()).await.unwrap();
        store.save_self_check_draft(&mine, r#"{"occupation":"sales"}"#, now()).await.unwrap();
        assert_eq!(store.self_check_draft(&visitor).await.unwrap().unwrap().answers_json, r#"{"occupation":"it"}"#);
        assert_eq!(store.self_check_draft(&mine).await.unwrap().unwrap().answers_json, r#"{"occupation":"sales"}"#);
        assert!(store.self_check_draft(&DraftOwner::User(ren)).await.unwrap().is_none());

        // Old visitor drafts are purged; people's drafts are kept.
        assert_eq!(store.purge_visitor_drafts(now() + Duration::days(1)).await.unwrap(), 1);
        assert!(store.self_check_draft(&visitor).await.unwrap().is_none());
        assert!(store.self_check_draft(&mine).await.unwrap().is_some());

        // Saving a result removes the draft it came from, in one go.
        let first = store.create_self_check_result(aoi, r#"{"a":1}"#, &SUMMARY, Some(&mine), now()).await.unwrap();
        assert_eq!(first.summary, SUMMARY);
        assert!(store.self_check_draft(&mine).await.unwrap().is_none());
        let second = store.create_self_check_result(aoi, r#"{"a":2}"#, &SUMMARY, None, now() + Duration::seconds(1)).await.unwrap();
        let listed: Vec<i64> = store.self_check_results(aoi).await.unwrap().iter().map(|r| r.id).collect();
        assert_eq!(listed, vec![second.id, first.id], "newest first");

        // Nobody else reads or deletes them.
        assert!(store.self_check_results(ren).await.unwrap().is_empty());
        assert!(store.self_check_result(ren, first.id).await.unwrap().is_none());
        assert!(!store.delete_self_check_result(ren, first.id).await.unwrap());
        assert_eq!(store.self_check_result(aoi, first.id).await.unwrap().unwrap().answers_json, r#"{"a":1}"#);
        assert!(store.delete_self_check_result(aoi, first.id).await.unwrap());
        assert!(store.self_check_result(aoi, first.id).await.unwrap().is_none());
        assert_eq!(store.self_check_results(aoi).await.unwrap().len(), 1);
    }
}
