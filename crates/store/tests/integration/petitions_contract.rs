//! The petition contract on SQLite and PostgreSQL: exact round trips, one
//! signature per person (also under concurrency, and along a long run of
//! signatures and withdrawals checked against the domain's `SignatureBook`),
//! withdrawals, shown names, updates, and signatures that go with their
//! signer's account.

use crate::common::{community_with, people};
use chrono::{Duration, SubsecRound};
use tsunagari_domain::UserId;
use tsunagari_domain::community::{CommunityId, CommunityKind};
use tsunagari_domain::petition::{
    Audience, PetitionDetails, PetitionId, SignatureBook, SignatureRefusal,
};
use tsunagari_domain::time::now;
use tsunagari_store::testing::create_person;
use tsunagari_store::{Conflict, Store, StoreError};

async fn union(store: &dyn Store, owner: UserId, members: &[UserId]) -> CommunityId {
    community_with(
        store,
        CommunityKind::Union,
        "みなと地域ユニオン",
        "public",
        owner,
        members,
    )
    .await
}

fn details(days: i64) -> PetitionDetails {
    PetitionDetails {
        title: "夜勤手当の引き上げを求めます".into(),
        demand: "夜勤手当を**1回5,000円**に。".into(),
        target: "みなと介護サービス株式会社".into(),
        goal: 4,
        deadline: (now() + Duration::days(days)).trunc_subsecs(0),
        audience: Audience::SignedIn,
    }
}

tsunagari_store::backend_tests! {
    async fn petitions_round_trip_and_take_one_signature_each(db: TestDatabase) {
        let store = db.store().await;
        let owner = create_person(&*store, "owner@example.jp", "田中 蓮").await;
        let a = create_person(&*store, "a@example.jp", "佐藤 葵").await;
        let b = create_person(&*store, "b@example.jp", "鈴木 陽翔").await;
        let c = union(&*store, owner, &[a, b]).await;
        let petition = store.create_petition(c, owner, &details(10), now()).await.unwrap();
        let listing = store.petition(petition.id).await.unwrap().unwrap();
        assert_eq!(listing.petition, petition);
        assert_eq!(petition.details, details(10));
        assert_eq!(listing.signatures, 0);

        let first = store.sign(petition.id, a, true, now()).await.unwrap();
        assert!(first.show_name);
        assert!(matches!(store.sign(petition.id, a, false, now()).await, Err(StoreError::Conflict(Conflict::AlreadySigned))));
        store.sign(petition.id, b, false, now()).await.unwrap();
        assert_eq!(store.petition(petition.id).await.unwrap().unwrap().signatures, 2);
        assert_eq!(store.public_signers(petition.id).await.unwrap(), vec!["佐藤 葵".to_owned()], "only names shown by choice");
        assert_eq!(store.signer_ids(petition.id).await.unwrap(), vec![a, b]);
        let times = store.signature_times(petition.id).await.unwrap();
        assert_eq!(times.len(), 2);
        assert!(times[0] <= times[1]);
        assert_eq!(store.signature(petition.id, a).await.unwrap(), Some(first));

        assert!(store.withdraw_signature(petition.id, b).await.unwrap());
        assert!(!store.withdraw_signature(petition.id, b).await.unwrap());
        assert_eq!(store.petition(petition.id).await.unwrap().unwrap().signatures, 1);

        // Concurrent duplicates: exactly one stands.
        let results = futures_join(&store, petition.id, b).await;
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
        assert!(results.iter().filter_map(|r| r.as_ref().err()).all(|e| e == "AlreadySigned"));
        assert_eq!(store.petition(petition.id).await.unwrap().unwrap().signatures, 2);

        // Updates.
        let update = store.add_petition_update(petition.id, owner, "本日、会社に手渡しました。", true, now()).await.unwrap();
        assert_eq!(store.petition_updates(petition.id).await.unwrap(), vec![update]);

        // Lists: open first, then closed.
        let closed = store.create_petition(c, owner, &details(-1), now() - Duration::days(5)).await.unwrap();
        let later = store.create_petition(c, owner, &details(20), now()).await.unwrap();
        let order: Vec<PetitionId> = store.petitions(c, now(), 10).await.unwrap().iter().map(|l| l.petition.id).collect();
        assert_eq!(order, vec![petition.id, later.id, closed.id]);

        let mine = store.signatures_of(a).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].0.petition.id, petition.id);

        // A signature goes with its signer's account.
        assert!(store.delete_account(a).await.unwrap());
        assert_eq!(store.petition(petition.id).await.unwrap().unwrap().signatures, 1);
        assert!(store.public_signers(petition.id).await.unwrap().is_empty());
        assert!(store.delete_account(owner).await.unwrap());
        assert_eq!(store.petition(petition.id).await.unwrap().unwrap().petition.created_by, None);
        assert_eq!(store.petition_updates(petition.id).await.unwrap()[0].author, None);
    }

    async fn signatures_follow_the_reference_model(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 7, "人").await;
        let c = union(store.as_ref(), ids[0], &ids[1..]).await;
        let petition = store.create_petition(c, ids[0], &details(10), now()).await.unwrap();
        let mut book = SignatureBook::new();
        let mut seed: u64 = 0x5167_0a7e;
        for step in 0..200 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let pick = (seed >> 33) as usize;
            let who = ids[pick % ids.len()];
            if pick.is_multiple_of(3) {
                let modelled = book.withdraw(who);
                let withdrawn = store.withdraw_signature(petition.id, who).await.unwrap();
                assert_eq!(withdrawn, modelled.is_ok(), "step {step}: withdrawal by {who:?}");
            } else {
                let modelled = book.sign(who);
                match store.sign(petition.id, who, pick.is_multiple_of(2), now()).await {
                    Ok(_) => assert_eq!(modelled, Ok(()), "step {step}: signature by {who:?}"),
                    Err(StoreError::Conflict(Conflict::AlreadySigned)) => {
                        assert_eq!(modelled, Err(SignatureRefusal::AlreadySigned), "step {step}")
                    }
                    Err(other) => panic!("step {step}: {other}"),
                }
            }
            let listing = store.petition(petition.id).await.unwrap().unwrap();
            assert_eq!(u64::try_from(listing.signatures).unwrap(), book.count(), "step {step}: one signature per person");
            let mut stored = store.signer_ids(petition.id).await.unwrap();
            let mut modelled = book.signers().to_vec();
            stored.sort();
            modelled.sort();
            assert_eq!(stored, modelled, "step {step}");
        }
        assert!(book.count() > 0 && book.count() < ids.len() as u64, "the run signs and withdraws: {}", book.count());
    }
}

/// Eight simultaneous signatures by one person, each on its own task.
async fn futures_join(
    store: &std::sync::Arc<dyn Store>,
    petition: PetitionId,
    who: UserId,
) -> Vec<Result<(), String>> {
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            match store.sign(petition, who, false, now()).await {
                Ok(_) => Ok(()),
                Err(StoreError::Conflict(conflict)) => Err(format!("{conflict:?}")),
                Err(other) => Err(format!("unexpected: {other}")),
            }
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("task"));
    }
    results
}
