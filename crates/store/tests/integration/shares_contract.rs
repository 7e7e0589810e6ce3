//! The share-register store contract on SQLite and PostgreSQL: entries
//! follow the domain's reference ledger, balances are sums of the entries,
//! and the database itself refuses to edit or delete the ledger while
//! letting account deletion unlink people.

use std::collections::HashMap;

use crate::common::{community_with, join, people};
use tsunagari_domain::UserId;
use tsunagari_domain::community::{CommunityId, CommunityKind, Role};
use tsunagari_domain::share::{
    Holding, ShareEntryId, ShareEntryKind, ShareHolderId, ShareLedger, ShareRefusal, ShareRequest,
    UnitCount, UnitPrice, Yen,
};
use tsunagari_domain::time::now;
use tsunagari_store::{NewShareEntry, Store};

/// A co-op owned by `owner` with `members` (the first of them an organiser).
/// A co-op whose first member is an organiser (who records entries).
async fn coop(store: &dyn Store, owner: UserId, members: &[UserId]) -> CommunityId {
    let c = community_with(
        store,
        CommunityKind::WorkerCoop,
        "ワーカーズコープ あおぞら",
        "public",
        owner,
        &[],
    )
    .await;
    for (index, member) in members.iter().enumerate() {
        let role = if index == 0 {
            Role::Organiser
        } else {
            Role::Member
        };
        join(store, c, *member, role, now()).await;
    }
    c
}

fn units(n: i64) -> UnitCount {
    UnitCount::new(n).unwrap()
}

fn yen(n: i64) -> Yen {
    Yen::new(n).unwrap()
}

async fn record(
    store: &dyn Store,
    community: CommunityId,
    member: Option<UserId>,
    request: ShareRequest,
    by: UserId,
) -> Result<tsunagari_domain::share::ShareEntry, ShareRefusal> {
    store
        .record_share_entry(&NewShareEntry {
            community,
            member,
            request,
            note: "総会で承認",
            recorded_by: by,
            now: now(),
        })
        .await
        .expect("the store answers")
}

tsunagari_store::backend_tests! {
    async fn entries_balances_and_totals(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 4, "組合員").await;
        let (owner, aoi, ren) = (ids[0], ids[1], ids[2]);
        let c = coop(store.as_ref(), owner, &[ids[3], aoi, ren]).await;
        assert_eq!(store.share_register(c).await.unwrap(), None);
        assert_eq!(
            record(store.as_ref(), c, Some(aoi), ShareRequest::Subscribe { units: units(2) }, owner).await,
            Err(ShareRefusal::NoUnitPrice)
        );
        let set = store.set_unit_price(c, UnitPrice::new(50_000).unwrap(), owner, now()).await.unwrap();
        assert_eq!(set.unit_price.yen(), 50_000);
        assert_eq!(store.share_register(c).await.unwrap(), Some(set));

        let first = record(store.as_ref(), c, Some(aoi), ShareRequest::Subscribe { units: units(2) }, owner).await.unwrap();
        assert_eq!(first.kind, ShareEntryKind::Subscribe);
        assert_eq!((first.delta.units, first.delta.subscribed, first.delta.paid), (2, 100_000, 0));
        assert_eq!(first.unit_price.map(|p| p.yen()), Some(50_000));
        assert_eq!(first.member, Some(aoi));
        assert_eq!(first.recorded_by, Some(owner));
        assert_eq!(first.note, "総会で承認");
        record(store.as_ref(), c, Some(aoi), ShareRequest::Payment { amount: yen(60_000) }, owner).await.unwrap();
        assert_eq!(
            record(store.as_ref(), c, Some(ren), ShareRequest::Payment { amount: yen(1) }, owner).await,
            Err(ShareRefusal::NotAHolder)
        );
        assert_eq!(
            record(store.as_ref(), c, Some(aoi), ShareRequest::Payment { amount: yen(40_001) }, owner).await,
            Err(ShareRefusal::PaymentExceedsOutstanding)
        );
        // A new price applies from now on; the earlier subscription keeps its own.
        store.set_unit_price(c, UnitPrice::new(60_000).unwrap(), owner, now()).await.unwrap();
        record(store.as_ref(), c, Some(ren), ShareRequest::Subscribe { units: units(1) }, owner).await.unwrap();
        assert_eq!(
            store.share_balance(c, aoi).await.unwrap(),
            Some(Holding { units: 2, subscribed: 100_000, paid: 60_000 })
        );
        assert_eq!(
            store.share_balance(c, ren).await.unwrap(),
            Some(Holding { units: 1, subscribed: 60_000, paid: 0 })
        );
        assert_eq!(store.share_balance(c, owner).await.unwrap(), None);
        let totals = store.share_totals(c).await.unwrap();
        assert_eq!(totals.holding, Holding { units: 3, subscribed: 160_000, paid: 60_000 });
        assert_eq!(totals.holders, 2);

        // Refusals leave nothing behind; a refund on leaving returns what was paid.
        assert_eq!(
            record(store.as_ref(), c, Some(aoi), ShareRequest::Refund { units: units(3), amount: None }, owner).await,
            Err(ShareRefusal::MoreUnitsThanHeld)
        );
        assert_eq!(
            record(store.as_ref(), c, Some(aoi), ShareRequest::Refund { units: units(2), amount: Some(yen(10)) }, owner).await,
            Err(ShareRefusal::RefundTooSmall)
        );
        let refund = record(store.as_ref(), c, Some(aoi), ShareRequest::Refund { units: units(2), amount: None }, owner).await.unwrap();
        assert_eq!((refund.delta.units, refund.delta.subscribed, refund.delta.paid), (-2, -100_000, -60_000));
        assert_eq!(store.share_balance(c, aoi).await.unwrap(), Some(Holding::default()));

        // Reversals: exactly once, never of a reversal, never of another's
        // entry when a member is named.
        let reversal = record(store.as_ref(), c, None, ShareRequest::Reversal { entry: refund.id }, owner).await.unwrap();
        assert_eq!(reversal.reverses, Some(refund.id));
        assert_eq!(reversal.member, Some(aoi));
        assert_eq!(
            store.share_balance(c, aoi).await.unwrap(),
            Some(Holding { units: 2, subscribed: 100_000, paid: 60_000 })
        );
        assert_eq!(
            record(store.as_ref(), c, None, ShareRequest::Reversal { entry: refund.id }, owner).await,
            Err(ShareRefusal::AlreadyReversed)
        );
        assert_eq!(
            record(store.as_ref(), c, None, ShareRequest::Reversal { entry: reversal.id }, owner).await,
            Err(ShareRefusal::ReversalOfReversal)
        );
        assert_eq!(
            record(store.as_ref(), c, Some(ren), ShareRequest::Reversal { entry: first.id }, owner).await,
            Err(ShareRefusal::EntryOfAnotherMember)
        );
        assert_eq!(
            record(store.as_ref(), c, None, ShareRequest::Reversal { entry: first.id }, owner).await,
            Err(ShareRefusal::ReversalBreaksBalance),
            "the payment depends on the subscription"
        );
        assert_eq!(
            record(store.as_ref(), c, None, ShareRequest::Reversal { entry: ShareEntryId(999_999) }, owner).await,
            Err(ShareRefusal::UnknownEntry)
        );
        // Another co-op's entries are not this one's to reverse.
        let other = coop(store.as_ref(), owner, &[aoi]).await;
        store.set_unit_price(other, UnitPrice::new(1_000).unwrap(), owner, now()).await.unwrap();
        assert_eq!(
            record(store.as_ref(), other, None, ShareRequest::Reversal { entry: first.id }, owner).await,
            Err(ShareRefusal::UnknownEntry)
        );

        // Listings: newest first with names and reversal links, per member, and the export.
        let entries = store.share_entries(c, None, true, 100).await.unwrap();
        assert_eq!(entries.len(), 5);
        assert_eq!(entries[0].entry.id, reversal.id);
        assert_eq!(entries[0].member_name.as_deref(), Some("組合員 1"));
        assert_eq!(entries[0].recorded_by_name.as_deref(), Some("組合員 0"));
        let refunded = entries.iter().find(|e| e.entry.id == refund.id).unwrap();
        assert_eq!(refunded.reversed_by, Some(reversal.id));
        let sequences: Vec<i64> = entries.iter().rev().map(|e| e.entry.sequence).collect();
        assert!(sequences.windows(2).all(|w| w[0] < w[1]), "{sequences:?}");
        let oldest = store.share_entries(c, None, false, 2).await.unwrap();
        assert_eq!(oldest[0].entry.id, first.id);
        assert_eq!(oldest.len(), 2);
        let rens = store.share_entries(c, Some(ren), true, 100).await.unwrap();
        assert_eq!(rens.len(), 1);
        assert!(rens.iter().all(|e| e.entry.member == Some(ren)));
        let exported = store.share_entries_of(aoi).await.unwrap();
        assert_eq!(exported.len(), 4);
        assert!(exported.iter().all(|(name, e)| name == "ワーカーズコープ あおぞら" && e.member == Some(aoi)));
        let balances = store.share_balances(c).await.unwrap();
        assert_eq!(balances.len(), 2);
        assert_eq!(balances[0].member, Some(aoi));
        assert!(balances.iter().all(|b| b.active_member));
        let sum = balances.iter().fold(Holding::default(), |t, b| t.plus(b.holding));
        assert_eq!(sum, store.share_totals(c).await.unwrap().holding);
    }

    async fn the_ledger_follows_the_reference_model(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 6, "組合員").await;
        let owner = ids[0];
        let members = &ids[1..];
        let c = coop(store.as_ref(), owner, members).await;
        let mut price = UnitPrice::new(50_000).unwrap();
        store.set_unit_price(c, price, owner, now()).await.unwrap();
        let mut model = ShareLedger::new();
        // The model numbers holders 1, 2, … in the order they first appear,
        // like the store; entry numbers are mapped as they come.
        let mut holders: HashMap<UserId, ShareHolderId> = HashMap::new();
        let mut entry_ids: HashMap<i64, ShareEntryId> = HashMap::new();
        let mut seed: u64 = 0xc0_0b;
        for step in 0..250 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let pick = (seed >> 33) as i64;
            let member = members[(pick % members.len() as i64) as usize];
            let next_holder = ShareHolderId(holders.len() as i64 + 1);
            let holder = holders.get(&member).copied().unwrap_or(next_holder);
            let (model_request, store_request, who) = match pick % 11 {
                0..=2 => {
                    let r = ShareRequest::Subscribe { units: units(pick % 4 + 1) };
                    (r, r, Some(member))
                }
                3..=5 => {
                    let r = ShareRequest::Payment { amount: yen((pick % 9 + 1) * 11_111) };
                    (r, r, Some(member))
                }
                6..=7 => {
                    let amount = (pick % 3 == 0).then(|| yen((pick % 5) * 7_000));
                    let r = ShareRequest::Refund { units: units(pick % 3 + 1), amount };
                    (r, r, Some(member))
                }
                8..=9 => {
                    let model_id = ShareEntryId(pick % (model.lines.len() as i64 + 2) + 1);
                    let store_id = entry_ids.get(&model_id.0).copied().unwrap_or(ShareEntryId(999_999));
                    (ShareRequest::Reversal { entry: model_id }, ShareRequest::Reversal { entry: store_id }, None)
                }
                _ => {
                    price = UnitPrice::new((pick % 7 + 1) * 10_000).unwrap();
                    store.set_unit_price(c, price, owner, now()).await.unwrap();
                    continue;
                }
            };
            // The store refuses a payment or refund for someone it has no
            // holder for; the model would answer from an empty holding.
            let expected = if who.is_some() && !holders.contains_key(&member) && !matches!(model_request, ShareRequest::Subscribe { .. }) {
                Err(ShareRefusal::NotAHolder)
            } else {
                model.record(holder, &model_request, Some(price)).map(|line| line.id)
            };
            let got = record(store.as_ref(), c, who, store_request, owner).await;
            match (expected, got) {
                (Ok(model_id), Ok(entry)) => {
                    entry_ids.insert(model_id.0, entry.id);
                    if let Some(member) = who {
                        holders.entry(member).or_insert(next_holder);
                    }
                }
                (Err(e), Err(g)) if e == g => {}
                (e, g) => panic!("step {step}: model {e:?}, store {g:?}"),
            }
            // Every balance and the totals agree with the model's folds.
            for (member, holder) in &holders {
                assert_eq!(
                    store.share_balance(c, *member).await.unwrap(),
                    Some(model.holding(*holder)),
                    "step {step}"
                );
            }
            assert_eq!(store.share_totals(c).await.unwrap().holding, model.totals(), "step {step}");
        }
        assert!(model.lines.len() > 50, "the walk recorded entries: {}", model.lines.len());
        // Totals equal the sum of the stored rows, read straight from the table.
        let rows = db
            .column_as_text(&format!(
                "SELECT CAST(units AS TEXT) || ':' || CAST(subscribed AS TEXT) || ':' || CAST(paid AS TEXT) FROM share_entries WHERE community_id = {}",
                c.0
            ))
            .await;
        let mut summed = Holding::default();
        for row in &rows {
            let parts: Vec<i64> = row.split(':').map(|n| n.parse().unwrap()).collect();
            summed = summed.plus(Holding { units: parts[0], subscribed: parts[1], paid: parts[2] });
        }
        assert_eq!(summed, store.share_totals(c).await.unwrap().holding);
        assert_eq!(rows.len(), model.lines.len());
    }

    async fn the_database_refuses_to_edit_the_ledger(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 2, "組合員").await;
        let c = coop(store.as_ref(), ids[0], &[ids[1]]).await;
        store.set_unit_price(c, UnitPrice::new(50_000).unwrap(), ids[0], now()).await.unwrap();
        let entry = record(store.as_ref(), c, Some(ids[1]), ShareRequest::Subscribe { units: units(1) }, ids[0]).await.unwrap();
        record(store.as_ref(), c, Some(ids[1]), ShareRequest::Payment { amount: yen(50_000) }, ids[0]).await.unwrap();
        for sql in [
            "UPDATE share_entries SET recorded_at = $1".to_owned(),
            "UPDATE share_entries SET units = 100 WHERE recorded_at <> $1".to_owned(),
            "UPDATE share_entries SET recorded_by = NULL, note = 'changed' WHERE recorded_at <> $1".to_owned(),
            "DELETE FROM share_entries WHERE recorded_at <> $1".to_owned(),
            format!("UPDATE share_holders SET user_id = {} WHERE created_at <> $1", ids[0].0),
            "DELETE FROM share_holders WHERE created_at <> $1".to_owned(),
        ] {
            let refused = db.try_execute_with_time(&sql, now()).await;
            assert!(refused.is_err(), "{sql} must be refused");
        }
        let holder: i64 = db.column_as_text("SELECT CAST(id AS TEXT) FROM share_holders").await[0].parse().unwrap();
        let insert = |kind: &str, units: i64, subscribed: i64, paid: i64, price: &str, reverses: &str, seq: i64| {
            format!(
                "INSERT INTO share_entries (community_id, holder_id, kind, units, subscribed, paid, unit_price, reverses, note, recorded_by, recorded_at, seq)
                 VALUES ({}, {holder}, '{kind}', {units}, {subscribed}, {paid}, {price}, {reverses}, '', NULL, $1, {seq})",
                c.0
            )
        };
        // Straight into the table, past the store: the schema still refuses
        // a wrong subscription value, a reversal that does not cancel its
        // entry, and balances going below zero.
        for (sql, why) in [
            (insert("subscribe", 1, 1, 0, "50000", "NULL", 100), "subscribed = units × price"),
            (insert("reversal", -1, -50_000, 0, "NULL", &entry.id.0.to_string(), 101), "the payment depends on it"),
            (insert("reversal", -2, -100_000, 0, "NULL", &entry.id.0.to_string(), 102), "not the exact opposite"),
            (insert("refund", -1, -50_000, -60_000, "NULL", "NULL", 103), "more refunded than paid"),
            (insert("payment", 0, 0, 1, "NULL", "NULL", 104), "more paid than subscribed"),
            (insert("subscribe", 1, 50_000, 0, "50000", "NULL", 1), "a sequence number used twice"),
        ] {
            assert!(db.try_execute_with_time(&sql, now()).await.is_err(), "{why}");
        }
        assert_eq!(store.share_entries(c, None, true, 100).await.unwrap().len(), 2);
        assert_eq!(
            store.share_balance(c, ids[1]).await.unwrap(),
            Some(Holding { units: 1, subscribed: 50_000, paid: 50_000 })
        );
    }

    async fn deleting_accounts_unlinks_people_and_keeps_the_numbers(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 4, "組合員").await;
        let (owner, organiser, aoi, ren) = (ids[0], ids[1], ids[2], ids[3]);
        let c = coop(store.as_ref(), owner, &[organiser, aoi, ren]).await;
        store.set_unit_price(c, UnitPrice::new(50_000).unwrap(), organiser, now()).await.unwrap();
        for (member, n) in [(aoi, 2), (ren, 3)] {
            record(store.as_ref(), c, Some(member), ShareRequest::Subscribe { units: units(n) }, organiser).await.unwrap();
            record(store.as_ref(), c, Some(member), ShareRequest::Payment { amount: yen(n * 10_000) }, organiser).await.unwrap();
        }
        let before = store.share_totals(c).await.unwrap();
        // The recorder and both members delete their accounts.
        for person in [organiser, aoi, ren] {
            assert!(store.delete_account(person).await.unwrap());
        }
        let entries = store.share_entries(c, None, false, 100).await.unwrap();
        assert_eq!(entries.len(), 4, "every entry stays");
        assert!(entries.iter().all(|e| e.entry.recorded_by.is_none() && e.entry.member.is_none()));
        assert!(entries.iter().all(|e| e.member_name.is_none() && e.recorded_by_name.is_none()));
        assert_eq!(store.share_totals(c).await.unwrap(), before, "the numbers do not change");
        // The two former members stay apart: their holdings do not merge.
        let balances = store.share_balances(c).await.unwrap();
        assert_eq!(balances.len(), 2);
        assert!(balances.iter().all(|b| b.member.is_none() && b.display_name.is_none() && !b.active_member));
        let mut held: Vec<i64> = balances.iter().map(|b| b.holding.units).collect();
        held.sort_unstable();
        assert_eq!(held, vec![2, 3]);
        // Nothing else about the rows changed.
        let stored = db
            .column_as_text(&format!(
                "SELECT kind || ':' || CAST(units AS TEXT) || ':' || note FROM share_entries WHERE community_id = {} ORDER BY id",
                c.0
            ))
            .await;
        assert_eq!(stored, ["subscribe:2:総会で承認", "payment:0:総会で承認", "subscribe:3:総会で承認", "payment:0:総会で承認"]);
    }
}
