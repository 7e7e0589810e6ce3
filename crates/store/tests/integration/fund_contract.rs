//! The solidarity-fund contract on SQLite and PostgreSQL: the ledger
//! follows the domain's reference model (`FundLedger`), every transaction
//! balances, committee decisions count each decider once and pay exactly
//! once, overdrawing is refused, and the database itself refuses
//! unbalanced, overdrawn, edited or deleted ledger rows — while still
//! letting an account be deleted.

use crate::common::community_with;
use tsunagari_domain::UserId;
use tsunagari_domain::ballot::{BallotSecret, OptionRole, Quorum};
use tsunagari_domain::community::{CommunityId, CommunityKind};
use tsunagari_domain::fund::{
    Amount, BallotRule, ClaimDetails, ClaimId, ClaimStatus, DecisionRefusal, FundLedger,
    LedgerAccount, Resolution, Tally, TransactionKind, claim_ballot, is_balanced,
};
use tsunagari_domain::time::now;
use tsunagari_store::testing::{TestDatabase, create_person};
use tsunagari_store::{Backend, DecisionResult, FundSettings, SettleResult, Store};

async fn union(store: &dyn Store, owner: UserId, members: &[UserId]) -> CommunityId {
    community_with(
        store,
        CommunityKind::Union,
        "みなと地域ユニオン",
        "members",
        owner,
        members,
    )
    .await
}

fn yen(n: i64) -> Amount {
    Amount::new(n).unwrap()
}

fn claim(n: i64) -> ClaimDetails {
    ClaimDetails {
        amount: yen(n),
        reason: "雇い止めで来月の家賃が払えません。".into(),
    }
}

/// Runs statements in one transaction on the test database and returns
/// the database's answer to the last one (the earlier ones must succeed).
async fn in_one_transaction(db: &TestDatabase, statements: &[String]) -> Result<(), String> {
    macro_rules! run {
        ($pool:expr) => {{
            let pool = $pool;
            let mut tx = pool.begin().await.unwrap();
            let mut result = Ok(());
            for (i, sql) in statements.iter().enumerate() {
                let done = sqlx::query(sql).execute(&mut *tx).await;
                match done {
                    Ok(_) => {}
                    Err(e) if i + 1 == statements.len() => result = Err(e.to_string()),
                    Err(e) => panic!("setup statement failed: {sql}: {e}"),
                }
            }
            if result.is_ok() {
                result = tx.commit().await.map_err(|e| e.to_string());
            } else {
                // A transaction left open would keep its connection and
                // `close` would wait for it forever.
                tx.rollback().await.unwrap();
            }
            pool.close().await;
            result
        }};
    }
    match db.backend() {
        Backend::Sqlite => run!(sqlx::SqlitePool::connect(&db.url).await.unwrap()),
        Backend::Postgres => run!(sqlx::PgPool::connect(&db.url).await.unwrap()),
    }
}

tsunagari_store::backend_tests! {
    async fn the_ledger_follows_the_reference_model(db: TestDatabase) {
        let store = db.store().await;
        let owner = create_person(&*store, "owner@example.jp", "田中 蓮").await;
        let member = create_person(&*store, "aoi@example.jp", "佐藤 葵").await;
        let c = union(&*store, owner, &[member]).await;
        let mut model = FundLedger::new();

        // A fixed sequence of contributions and claims decided by the owner
        // (an organiser: with no committee, one organiser's approval pays).
        let steps: [(bool, i64); 9] = [
            (true, 5_000), (false, 3_000), (false, 4_000), (true, 10_000), (false, 12_000),
            (true, 1), (false, 12_001), (true, 999_999), (false, 1_000_000),
        ];
        for (contribute, amount) in steps {
            if contribute {
                let record = store.contribute(c, member, yen(amount), now()).await.unwrap();
                assert_eq!(record.kind, TransactionKind::Contribution);
                assert_eq!(record.amount(), amount);
                assert!(is_balanced(&record.entries));
                model.contribute(yen(amount));
            } else {
                let filed = store.create_claim(c, member, &claim(amount), None, now()).await.unwrap();
                assert_eq!(filed.status, ClaimStatus::Pending);
                let result = store.decide(filed.id, owner, true, None, now()).await.unwrap();
                match (model.pay(yen(amount)), result) {
                    (Ok(_), DecisionResult::Recorded { tally: Tally::Approved, claim, payout: Some(payout) }) => {
                        assert_eq!(claim.status, ClaimStatus::Paid);
                        assert_eq!(payout.amount(), amount);
                        assert_eq!(payout.member, Some(member));
                        assert_eq!(payout.claim, Some(filed.id));
                    }
                    (Err(expected), DecisionResult::WouldOverdraw(refused)) => {
                        assert_eq!(expected, refused);
                        assert!(store.decisions(filed.id).await.unwrap().is_empty(), "nothing recorded");
                        assert_eq!(store.claim(filed.id).await.unwrap().unwrap().status, ClaimStatus::Pending);
                    }
                    (model, store) => panic!("model {model:?} but store {store:?}"),
                }
            }
            let summary = store.fund_summary(c).await.unwrap();
            assert_eq!(summary.totals, model.totals());
            assert!(summary.totals.consistent());
            let ledger = store.ledger(c).await.unwrap();
            assert_eq!(ledger.len(), model.transactions().len());
            for (stored, expected) in ledger.iter().zip(model.transactions()) {
                assert!(is_balanced(&stored.entries), "{stored:?}");
                assert_eq!(stored.kind, expected.kind());
                let mut want = expected.entries().to_vec();
                want.sort_by_key(|e| e.account.as_str());
                assert_eq!(stored.entries, want);
            }
            let seqs: Vec<i64> = ledger.iter().map(|r| r.seq).collect();
            assert!(seqs.windows(2).all(|w| w[0] < w[1]), "increasing sequence: {seqs:?}");
        }
        let summary = store.fund_summary(c).await.unwrap();
        // 5,000 + 10,000 + 1 + 999,999 in; 3,000 + 12,000 + 1,000,000 out.
        assert_eq!(summary.totals.balance, 0);
        assert_eq!((summary.claims_paid, summary.claims_pending), (3, 2));
        assert_eq!(summary.claims_paid as usize, summary.payouts.len());
        assert_eq!(summary.payouts[0].amount, 1_000_000, "newest payout first");
        assert_eq!(summary.contributions, 4);
        assert_eq!(store.contributions_of(member).await.unwrap().len(), 4);
        assert_eq!(store.claims_of(member).await.unwrap().len(), 5);
    }

    async fn payouts_page_from_the_newest_back(db: TestDatabase) {
        let store = db.store().await;
        let owner = create_person(&*store, "owner@example.jp", "田中 蓮").await;
        let member = create_person(&*store, "aoi@example.jp", "佐藤 葵").await;
        let c = union(&*store, owner, &[member]).await;
        store.contribute(c, member, yen(100_000), now()).await.unwrap();
        // Seven payouts of 1,000 … 7,000 yen, with a contribution between
        // two of them so that ledger positions are not consecutive.
        for n in 1..=7 {
            let filed = store.create_claim(c, member, &claim(n * 1_000), None, now()).await.unwrap();
            store.decide(filed.id, owner, true, None, now()).await.unwrap();
            if n == 4 {
                store.contribute(c, member, yen(500), now()).await.unwrap();
            }
        }
        let mut seen = Vec::new();
        let mut before = None;
        loop {
            let page = store.payouts(c, before, 3).await.unwrap();
            assert!(page.len() <= 3);
            if page.is_empty() {
                break;
            }
            seen.extend(page.iter().map(|p| p.amount));
            before = page.last().map(|p| p.seq);
        }
        assert_eq!(seen, vec![7_000, 6_000, 5_000, 4_000, 3_000, 2_000, 1_000], "each once, newest first");
        let summary = store.fund_summary(c).await.unwrap();
        assert_eq!(summary.payouts, store.payouts(c, None, 100).await.unwrap(), "the summary's are the latest");
        let other = union(&*store, owner, &[]).await;
        assert!(store.payouts(other, None, 10).await.unwrap().is_empty(), "another union's fund is its own");
    }

    async fn a_claimant_withdraws_a_pending_claim_once(db: TestDatabase) {
        use tsunagari_domain::fund::WithdrawalRefusal;
        let store = db.store().await;
        let owner = create_person(&*store, "owner@example.jp", "田中 蓮").await;
        let member = create_person(&*store, "aoi@example.jp", "佐藤 葵").await;
        let c = union(&*store, owner, &[member]).await;
        store.contribute(c, owner, yen(50_000), now()).await.unwrap();
        let filed = store.create_claim(c, member, &claim(3_000), None, now()).await.unwrap();
        assert_eq!(store.withdraw_claim(filed.id, owner, now()).await.unwrap(), Some(Err(WithdrawalRefusal::NotClaimant)));
        let at = now();
        let withdrawn = store.withdraw_claim(filed.id, member, at).await.unwrap().unwrap().unwrap();
        assert_eq!((withdrawn.status, withdrawn.settled_at), (ClaimStatus::Withdrawn, Some(at)));
        assert_eq!(store.claim(filed.id).await.unwrap().unwrap(), withdrawn, "read back as withdrawn");
        assert_eq!(store.withdraw_claim(filed.id, member, now()).await.unwrap(), Some(Err(WithdrawalRefusal::Settled)), "once");
        assert_eq!(store.decide(filed.id, owner, true, None, now()).await.unwrap(), DecisionResult::Refused(DecisionRefusal::Settled), "nothing is paid on it");
        let summary = store.fund_summary(c).await.unwrap();
        assert_eq!((summary.claims_pending, summary.claims_paid, summary.totals.balance), (0, 0, 50_000));
        assert_eq!(store.withdraw_claim(ClaimId(424_242), member, now()).await.unwrap(), None);

        // A paid claim is not withdrawn, by the code or by hand.
        let paid = store.create_claim(c, member, &claim(1_000), None, now()).await.unwrap();
        store.decide(paid.id, owner, true, None, now()).await.unwrap();
        assert_eq!(store.withdraw_claim(paid.id, member, now()).await.unwrap(), Some(Err(WithdrawalRefusal::Settled)));
        for sql in [
            format!("UPDATE fund_claims SET withdrawn = TRUE WHERE id = {}", paid.id.0),
            format!("UPDATE fund_claims SET withdrawn = FALSE WHERE id = {}", filed.id.0),
            format!("UPDATE fund_claims SET status = 'paid' WHERE id = {}", filed.id.0),
        ] {
            let error = db.try_execute_with_time(&sql, now()).await.expect_err(&sql);
            assert!(error.contains("withdrawn"), "refused by the withdrawal rule: {error}");
        }

        // A claim the members' ballot decides stays until the ballot closes.
        let settings = FundSettings { by_ballot: true, ..Default::default() };
        store.set_fund_settings(c, &settings, owner, now()).await.unwrap();
        let details = claim(2_000);
        let ballot_details = claim_ballot(&details, settings.ballot_rule, now()).unwrap();
        let secret = BallotSecret::generate().0;
        let by_ballot = store.create_claim(c, member, &details, Some((&ballot_details, &secret)), now()).await.unwrap();
        assert_eq!(store.withdraw_claim(by_ballot.id, member, now()).await.unwrap(), Some(Err(WithdrawalRefusal::ByBallot)));
        let error = db
            .try_execute_with_time(&format!("UPDATE fund_claims SET status = 'rejected', settled_at = $1, withdrawn = TRUE WHERE id = {}", by_ballot.id.0), now())
            .await
            .expect_err("a ballot's claim");
        assert!(error.contains("withdrawn"), "{error}");
    }

    async fn committees_count_each_decider_once_and_pay_once(db: TestDatabase) {
        let store = db.store().await;
        let owner = create_person(&*store, "owner@example.jp", "田中 蓮").await;
        let a = create_person(&*store, "a@example.jp", "委員 A").await;
        let b = create_person(&*store, "b@example.jp", "委員 B").await;
        let claimant = create_person(&*store, "c@example.jp", "委員 C").await;
        let outsider = create_person(&*store, "d@example.jp", "組合員 D").await;
        let c = union(&*store, owner, &[a, b, claimant, outsider]).await;
        assert_eq!(store.fund_settings(c).await.unwrap(), FundSettings::default());
        let settings = FundSettings { approvals_needed: 2, committee: vec![a, b, claimant], ..Default::default() };
        store.set_fund_settings(c, &settings, owner, now()).await.unwrap();
        assert_eq!(store.fund_settings(c).await.unwrap(), settings);
        store.contribute(c, outsider, yen(50_000), now()).await.unwrap();

        let filed = store.create_claim(c, claimant, &claim(20_000), None, now()).await.unwrap();
        for (who, why) in [(claimant, DecisionRefusal::OwnClaim), (owner, DecisionRefusal::NotDecider), (outsider, DecisionRefusal::NotDecider)] {
            assert_eq!(store.decide(filed.id, who, true, None, now()).await.unwrap(), DecisionResult::Refused(why));
        }
        match store.decide(filed.id, a, true, None, now()).await.unwrap() {
            DecisionResult::Recorded { tally, payout: None, claim } => {
                assert_eq!(tally, Tally::Pending { approvals: 1, rejections: 0 });
                assert_eq!(claim.status, ClaimStatus::Pending);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(store.decide(filed.id, a, true, None, now()).await.unwrap(), DecisionResult::Refused(DecisionRefusal::AlreadyDecided));
        assert_eq!(store.fund_summary(c).await.unwrap().totals.balance, 50_000, "one approval pays nothing");
        match store.decide(filed.id, b, true, None, now()).await.unwrap() {
            DecisionResult::Recorded { tally: Tally::Approved, payout: Some(p), claim } => {
                assert_eq!(p.amount(), 20_000);
                assert_eq!(claim.status, ClaimStatus::Paid);
                assert!(claim.settled_at.is_some());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(store.fund_summary(c).await.unwrap().totals.balance, 30_000);
        let decisions = store.decisions(filed.id).await.unwrap();
        assert_eq!(decisions.len(), 2);
        assert_eq!(decisions[0].decider_name.as_deref(), Some("委員 A"));

        // Two rejections (each with a note) turn a claim down.
        let second = store.create_claim(c, outsider, &claim(1_000), None, now()).await.unwrap();
        store.decide(second.id, a, false, Some("規約の対象外です"), now()).await.unwrap();
        match store.decide(second.id, b, false, Some("同じく対象外"), now()).await.unwrap() {
            DecisionResult::Recorded { tally: Tally::Rejected, payout: None, claim } => assert_eq!(claim.status, ClaimStatus::Rejected),
            other => panic!("{other:?}"),
        }
        assert_eq!(store.decide(second.id, claimant, true, None, now()).await.unwrap(), DecisionResult::Refused(DecisionRefusal::Settled));

        // Concurrent final approvals: exactly one pays.
        let third = store.create_claim(c, outsider, &claim(10_000), None, now()).await.unwrap();
        store.decide(third.id, claimant, true, None, now()).await.unwrap();
        let (x, y) = tokio::join!(
            store.decide(third.id, a, true, None, now()),
            store.decide(third.id, b, true, None, now()),
        );
        let paid = [x.unwrap(), y.unwrap()]
            .into_iter()
            .filter(|r| matches!(r, DecisionResult::Recorded { payout: Some(_), .. }))
            .count();
        assert_eq!(paid, 1, "one payout for one claim");
        assert_eq!(store.fund_summary(c).await.unwrap().totals.balance, 20_000);
        assert_eq!(store.ledger(c).await.unwrap().iter().filter(|r| r.kind == TransactionKind::Payout).count(), 2);
    }

    async fn a_claim_settled_elsewhere_pays_or_is_turned_down_once(db: TestDatabase) {
        let store = db.store().await;
        let owner = create_person(&*store, "owner@example.jp", "田中 蓮").await;
        let member = create_person(&*store, "aoi@example.jp", "佐藤 葵").await;
        let c = union(&*store, owner, &[member]).await;
        let filed = store.create_claim(c, member, &claim(8_000), None, now()).await.unwrap();
        assert!(matches!(store.settle_claim(filed.id, Resolution::Approve, None, now()).await.unwrap(), SettleResult::WouldOverdraw(_)));
        store.contribute(c, member, yen(8_000), now()).await.unwrap();
        match store.settle_claim(filed.id, Resolution::Approve, None, now()).await.unwrap() {
            SettleResult::Settled { claim, payout: Some(p) } => {
                assert_eq!(claim.status, ClaimStatus::Paid);
                assert_eq!(p.amount(), 8_000);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(store.settle_claim(filed.id, Resolution::Reject, None, now()).await.unwrap(), SettleResult::AlreadySettled);
        assert_eq!(store.fund_summary(c).await.unwrap().totals.balance, 0);
        let other = store.create_claim(c, member, &claim(1), None, now()).await.unwrap();
        assert!(matches!(store.settle_claim(other.id, Resolution::Reject, Some(owner), now()).await.unwrap(), SettleResult::Settled { payout: None, .. }));
        assert_eq!(store.settle_claim(tsunagari_domain::fund::ClaimId(9999), Resolution::Reject, None, now()).await.unwrap(), SettleResult::NotFound);
    }

    async fn the_database_refuses_what_would_break_the_ledger(db: TestDatabase) {
        let store = db.store().await;
        let owner = create_person(&*store, "owner@example.jp", "田中 蓮").await;
        let member = create_person(&*store, "aoi@example.jp", "佐藤 葵").await;
        let c = union(&*store, owner, &[member]).await;
        let record = store.contribute(c, member, yen(5_000), now()).await.unwrap();
        let filed = store.create_claim(c, member, &claim(9_000), None, now()).await.unwrap();
        let (cid, seq) = (c.0, record.seq);
        let time = "'2026-12-01 00:00:00+00:00'";

        // Entries that do not sum to zero.
        let refused = in_one_transaction(&db, &[
            format!("INSERT INTO fund_entries (community_id, seq, account, amount) VALUES ({cid}, 900, 'fund', 100), ({cid}, 900, 'contributions', -90)"),
            format!("INSERT INTO fund_transactions (community_id, seq, kind, member_id, created_at) VALUES ({cid}, 900, 'contribution', {}, {time})", member.0),
        ]).await;
        assert!(refused.unwrap_err().contains("sum to zero"));
        // A transaction without entries.
        let refused = in_one_transaction(&db, &[
            format!("INSERT INTO fund_transactions (community_id, seq, kind, member_id, created_at) VALUES ({cid}, 901, 'contribution', {}, {time})", member.0),
        ]).await;
        assert!(refused.unwrap_err().contains("sum to zero"));
        // Entries without their transaction never commit.
        let refused = in_one_transaction(&db, &[
            format!("INSERT INTO fund_entries (community_id, seq, account, amount) VALUES ({cid}, 902, 'fund', 100), ({cid}, 902, 'contributions', -100)"),
        ]).await;
        assert!(refused.is_err(), "dangling entries committed");
        // A balanced payout that would take the fund below zero.
        let refused = in_one_transaction(&db, &[
            format!("INSERT INTO fund_entries (community_id, seq, account, amount) VALUES ({cid}, 903, 'fund', -9000), ({cid}, 903, 'payouts', 9000)"),
            format!("INSERT INTO fund_transactions (community_id, seq, kind, member_id, claim_id, created_at) VALUES ({cid}, 903, 'payout', {}, {}, {time})", member.0, filed.id.0),
        ]).await;
        assert!(refused.unwrap_err().contains("below zero"));
        // No entry added to a recorded transaction.
        let refused = in_one_transaction(&db, &[
            format!("INSERT INTO fund_entries (community_id, seq, account, amount) VALUES ({cid}, {seq}, 'payouts', 1)"),
        ]).await;
        assert!(refused.unwrap_err().contains("no more entries"));
        // Append-only.
        for sql in [
            format!("UPDATE fund_entries SET amount = 1 WHERE community_id = {cid}"),
            format!("DELETE FROM fund_entries WHERE community_id = {cid}"),
            format!("UPDATE fund_transactions SET kind = 'payout' WHERE community_id = {cid}"),
            format!("UPDATE fund_transactions SET member_id = {} WHERE community_id = {cid}", owner.0),
            format!("DELETE FROM fund_transactions WHERE community_id = {cid}"),
        ] {
            let refused = in_one_transaction(&db, std::slice::from_ref(&sql)).await;
            assert!(refused.unwrap_err().contains("append-only"), "{sql}");
        }
        // A balanced transaction written by hand passes the same checks.
        in_one_transaction(&db, &[
            format!("INSERT INTO fund_entries (community_id, seq, account, amount) VALUES ({cid}, 904, 'fund', 700), ({cid}, 904, 'contributions', -700)"),
            format!("INSERT INTO fund_transactions (community_id, seq, kind, member_id, created_at) VALUES ({cid}, 904, 'contribution', {}, {time})", member.0),
        ]).await.unwrap();
        assert_eq!(store.fund_summary(c).await.unwrap().totals.balance, 5_700);

        // Deleting the contributor's account keeps every amount and forgets the person.
        assert!(store.delete_account(member).await.unwrap());
        let ledger = store.ledger(c).await.unwrap();
        assert_eq!(ledger.len(), 2);
        assert!(ledger.iter().all(|r| r.member.is_none()));
        assert_eq!(store.fund_summary(c).await.unwrap().totals.balance, 5_700);
        let orphan = store.claim(filed.id).await.unwrap().unwrap();
        assert_eq!(orphan.claimant, None);
        assert_eq!(store.decide(filed.id, owner, true, None, now()).await.unwrap(), DecisionResult::Refused(DecisionRefusal::ClaimantGone));
        assert!(matches!(store.decide(filed.id, owner, false, Some("申請者が退会しました"), now()).await.unwrap(), DecisionResult::Recorded { tally: Tally::Rejected, .. }));
        // And a decider's account too.
        assert!(store.delete_account(owner).await.unwrap());
        assert_eq!(store.decisions(filed.id).await.unwrap()[0].decision.decider, None);
        let sums = db.column_as_text(&format!(
            "SELECT CAST(SUM(amount) AS TEXT) FROM fund_entries WHERE community_id = {cid} GROUP BY seq"
        )).await;
        assert!(sums.iter().all(|s| s == "0"), "{sums:?}");
        let accounts = db.column_as_text(&format!("SELECT DISTINCT account FROM fund_entries WHERE community_id = {cid} ORDER BY account")).await;
        assert_eq!(accounts, vec![LedgerAccount::Contributions.as_str(), LedgerAccount::Fund.as_str()]);
    }

    async fn a_claim_decided_by_ballot_leaves_its_claimant_out_and_settles_once(db: TestDatabase) {
        let store = db.store().await;
        let owner = create_person(&*store, "owner@example.jp", "田中 蓮").await;
        let claimant = create_person(&*store, "claimant@example.jp", "申請 者").await;
        let voter = create_person(&*store, "voter@example.jp", "組合員 V").await;
        let c = union(&*store, owner, &[claimant, voter]).await;
        let settings = FundSettings {
            by_ballot: true,
            ballot_rule: BallotRule { days: 3, quorum: Quorum::new(50).unwrap() },
            ..Default::default()
        };
        store.set_fund_settings(c, &settings, owner, now()).await.unwrap();
        assert_eq!(store.fund_settings(c).await.unwrap(), settings, "the settings round-trip");
        store.contribute(c, voter, yen(50_000), now()).await.unwrap();

        let secret = BallotSecret::generate().0;
        let details = claim(20_000);
        let opened = now();
        let ballot_details = claim_ballot(&details, settings.ballot_rule, opened).unwrap();
        let filed = store.create_claim(c, claimant, &details, Some((&ballot_details, &secret)), opened).await.unwrap();
        let ballot_id = filed.ballot.expect("the claim is linked to its ballot");
        let ballot = store.ballot(ballot_id).await.unwrap().unwrap();
        assert_eq!(ballot.created_by, None, "nobody is named as the ballot's creator");
        assert!(ballot.secret && !ballot.body.contains("claimant@example.jp"));
        assert_eq!(ballot.electorate.map(|e| e.size), Some(2), "the owner and the voter, not the claimant");
        assert!(store.participation(ballot_id, claimant, &secret).await.unwrap().is_none());
        let refused = store.cast_vote(ballot_id, claimant, ballot.options[0].id, now(), &secret).await.unwrap().unwrap();
        assert!(refused.is_err(), "the claimant cannot vote on their own claim");
        // The committee cannot decide it.
        assert_eq!(
            store.decide(filed.id, owner, true, None, now()).await.unwrap(),
            DecisionResult::Refused(DecisionRefusal::ByBallot)
        );
        let yes = ballot.options.iter().find(|o| o.role == OptionRole::Yes).unwrap().id;
        for person in [owner, voter] {
            store.cast_vote(ballot_id, person, yes, now(), &secret).await.unwrap().unwrap().unwrap();
        }
        assert!(store.claims_awaiting_settlement(10).await.unwrap().is_empty(), "not before the ballot is final");
        let after_close = ballot.closes_at + chrono::Duration::seconds(1);
        assert!(store.finalise_ballot(ballot_id, after_close, &secret).await.unwrap());
        let waiting = store.claims_awaiting_settlement(10).await.unwrap();
        assert_eq!(waiting.iter().map(|c| c.id).collect::<Vec<_>>(), vec![filed.id]);
        let counts = store.ballot_counts(ballot_id).await.unwrap();
        assert_eq!((counts.electorate, counts.voted), (2, 2));
        let SettleResult::Settled { claim: paid, payout } = store.settle_claim(filed.id, Resolution::Approve, None, after_close).await.unwrap() else {
            panic!("the claim is paid");
        };
        assert_eq!(paid.status, ClaimStatus::Paid);
        assert_eq!(payout.map(|p| p.amount()), Some(20_000));
        assert_eq!(store.settle_claim(filed.id, Resolution::Approve, None, after_close).await.unwrap(), SettleResult::AlreadySettled);
        assert!(store.claims_awaiting_settlement(10).await.unwrap().is_empty());
        assert_eq!(store.fund_summary(c).await.unwrap().totals.balance, 30_000);

        // The link is written once.
        let cid = c.0;
        let other = store.create_claim(c, voter, &claim(1_000), None, now()).await.unwrap();
        assert_eq!(other.ballot, None);
        let relink = in_one_transaction(&db, &[format!("UPDATE fund_claims SET ballot_id = {} WHERE id = {}", ballot_id.0 + 1000, filed.id.0)]).await;
        assert!(relink.is_err(), "a claim's ballot cannot change (community {cid})");
    }
}
