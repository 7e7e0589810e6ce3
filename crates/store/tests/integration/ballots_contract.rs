//! The ballot store contract on SQLite and PostgreSQL: exact round trips,
//! votes that follow the domain's reference model (`VoteBook`), an
//! electorate taken once, secret ballots whose stored rows cannot be linked
//! to voters, and a schema that refuses to change a final result.

use crate::common::{community_with, join, people};
use chrono::Duration;
use tsunagari_domain::ballot::{
    Ballot, BallotDetails, BallotKind, BallotSecret, NewOption, OptionId, OptionRole, Quorum,
    Threshold, VoteBook, VoteRefusal, validate_follow_up,
};
use tsunagari_domain::community::{CommunityId, CommunityKind, Role};
use tsunagari_domain::notification::{NewNotification, NotificationKind};
use tsunagari_domain::time::now;
use tsunagari_domain::{Timestamp, UserId, UserTimeZone};
use tsunagari_store::Store;

async fn coop(store: &dyn Store, owner: UserId, members: &[UserId]) -> CommunityId {
    community_with(
        store,
        CommunityKind::WorkerCoop,
        "ワーカーズコープ あおぞら",
        "public",
        owner,
        members,
    )
    .await
}

fn secret() -> BallotSecret {
    BallotSecret::from_text("contract-test-ballot-secret-of-enough-length").unwrap()
}

fn details(opens_at: Timestamp, secret_ballot: bool) -> BallotDetails {
    BallotDetails {
        title: "配食サービスを始める".into(),
        body: "**来年度**から始める案".into(),
        kind: BallotKind::YesNo,
        options: [OptionRole::Yes, OptionRole::No, OptionRole::Abstain]
            .into_iter()
            .map(|role| NewOption {
                role,
                label: String::new(),
            })
            .collect(),
        opens_at,
        closes_at: opens_at + Duration::days(7),
        time_zone: UserTimeZone::TOKYO,
        secret: secret_ballot,
        results_hidden: false,
        quorum: Quorum::new(50).unwrap(),
        threshold: Threshold::TwoThirds,
    }
}

fn option_ids(ballot: &Ballot) -> Vec<OptionId> {
    ballot.options.iter().map(|o| o.id).collect()
}

tsunagari_store::backend_tests! {
    async fn ballots_round_trip_exactly(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 4, "人").await;
        let c = coop(store.as_ref(), ids[0], &ids[1..]).await;
        let t = now() + Duration::seconds(1);
        let choices = BallotDetails {
            kind: BallotKind::Choices,
            options: vec![
                NewOption { role: OptionRole::Choice, label: "A案".into() },
                NewOption { role: OptionRole::Choice, label: "B案".into() },
                NewOption { role: OptionRole::Abstain, label: String::new() },
            ],
            threshold: Threshold::Percent(60),
            results_hidden: true,
            ..details(t, false)
        };
        let ballot = store.create_ballot(c, ids[0], &choices, t, &secret()).await.unwrap();
        assert_eq!(store.ballot(ballot.id).await.unwrap().unwrap(), ballot);
        assert_eq!(ballot.title, choices.title);
        assert_eq!((ballot.opens_at, ballot.closes_at), (choices.opens_at, choices.closes_at));
        assert_eq!(ballot.threshold, Threshold::Percent(60));
        assert!(ballot.results_hidden && !ballot.secret);
        let labels: Vec<(&str, OptionRole)> = ballot.options.iter().map(|o| (o.label.as_str(), o.role)).collect();
        assert_eq!(labels, vec![("A案", OptionRole::Choice), ("B案", OptionRole::Choice), ("", OptionRole::Abstain)]);
        // It opened at creation: the electorate is the four active members.
        let electorate = ballot.electorate.unwrap();
        assert_eq!((electorate.size, electorate.taken_at), (4, t));

        let later = store.create_ballot(c, ids[0], &details(t + Duration::days(2), false), t, &secret()).await.unwrap();
        assert!(later.electorate.is_none(), "a ballot opening later has no electorate yet");
        let listed = store.ballots_of(c, 10).await.unwrap();
        assert_eq!(listed.iter().map(|l| l.ballot.id).collect::<Vec<_>>(), vec![later.id, ballot.id]);
        assert_eq!(listed[0].ballot, later);
        assert!(listed.iter().all(|l| l.voted == 0));
    }

    async fn votes_follow_the_reference_model(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 9, "人").await;
        // ids[8] joins after the opening: not an elector.
        let c = coop(store.as_ref(), ids[0], &ids[1..8]).await;
        let t = now() + Duration::seconds(1);
        let ballot = store.create_ballot(c, ids[0], &details(t, false), t, &secret()).await.unwrap();
        join(store.as_ref(), c, ids[8], Role::Member, t + Duration::seconds(1)).await;
        let options = option_ids(&ballot);
        let mut book = VoteBook::new(&ids[..8], &options);
        let mut seed: u64 = 0x00ba_1107;
        let mut sequences: std::collections::HashMap<UserId, i64> = std::collections::HashMap::new();
        for step in 0..250 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let pick = (seed >> 33) as usize;
            let voter = ids[pick % ids.len()];
            let option = if pick.is_multiple_of(17) { OptionId(999_999) } else { options[(pick / 7) % options.len()] };
            let at = t + Duration::seconds(10 + step);
            let expected = book.cast(voter, option);
            let got = store.cast_vote(ballot.id, voter, option, at, &secret()).await.unwrap().unwrap();
            match (expected, got) {
                (Ok(effect), Ok(recorded)) => {
                    assert_eq!(recorded.effect, effect, "step {step}");
                    let previous = sequences.insert(voter, recorded.sequence).unwrap_or(0);
                    assert_eq!(recorded.sequence, previous + 1, "step {step}: each voter's votes are numbered in order");
                }
                (Err(e), Err(g)) => assert_eq!(e, g, "step {step}"),
                (e, g) => panic!("step {step}: model {e:?}, store {g:?}"),
            }
            let counts = store.ballot_counts(ballot.id).await.unwrap();
            let mut stored = counts.votes.clone();
            stored.retain(|(_, n)| *n > 0);
            let mut modelled = book.counts();
            modelled.retain(|(_, n)| *n > 0);
            stored.sort();
            assert_eq!(stored, modelled, "step {step}");
            assert_eq!(counts.voted, book.counted().len() as u64, "step {step}: one counted vote per voter");
            assert_eq!(counts.electorate, 8);
        }
        for voter in &ids {
            let choice = store.current_choice(ballot.id, *voter, &secret()).await.unwrap();
            assert_eq!(choice, book.counted().get(voter).copied(), "latest vote of {voter:?}");
        }
        // One vote row per elector, whatever happened.
        let rows = db.column_as_text(&format!(
            "SELECT CAST(elector_id AS TEXT) FROM ballot_votes WHERE ballot_id = {}", ballot.id.0
        )).await;
        assert_eq!(rows.len(), book.counted().len());
        // After the close nothing more is accepted.
        let close = ballot.closes_at;
        assert_eq!(
            store.cast_vote(ballot.id, ids[1], options[0], close, &secret()).await.unwrap().unwrap(),
            Err(VoteRefusal::Closed)
        );
        assert!(store.finalise_ballot(ballot.id, close, &secret()).await.unwrap());
        assert!(!store.finalise_ballot(ballot.id, close, &secret()).await.unwrap(), "idempotent");
        assert_eq!(
            store.cast_vote(ballot.id, ids[1], options[0], close - Duration::seconds(1), &secret()).await.unwrap().unwrap(),
            Err(VoteRefusal::Closed),
            "a final ballot refuses votes whatever the clock says"
        );
    }

    async fn the_electorate_is_taken_once_from_members_at_the_opening(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 6, "人").await;
        let c = coop(store.as_ref(), ids[0], &ids[1..4]).await;
        let opens = now() + Duration::hours(1);
        let ballot = store.create_ballot(c, ids[0], &details(opens, true), now(), &secret()).await.unwrap();
        // Joins just before and just after the opening.
        join(store.as_ref(), c, ids[4], Role::Member, opens - Duration::seconds(1)).await;
        join(store.as_ref(), c, ids[5], Role::Member, opens + Duration::seconds(1)).await;
        assert!(!store.take_electorate(ballot.id, opens - Duration::seconds(1), &secret()).await.unwrap(), "not open yet");
        assert_eq!(
            store.cast_vote(ballot.id, ids[1], ballot.options[0].id, opens - Duration::seconds(1), &secret()).await.unwrap().unwrap(),
            Err(VoteRefusal::NotOpenYet)
        );
        // Ten servers notice the opening at once: one takes it.
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                store.take_electorate(ballot.id, opens + Duration::minutes(5), &secret()).await.unwrap()
            }));
        }
        let mut taken = 0;
        for task in tasks {
            taken += u32::from(task.await.unwrap());
        }
        assert_eq!(taken, 1);
        let stored = store.ballot(ballot.id).await.unwrap().unwrap();
        assert_eq!(stored.electorate.unwrap().size, 5, "owner, three members and the one who joined before the opening");
        assert!(store.participation(ballot.id, ids[4], &secret()).await.unwrap().is_some());
        assert!(store.participation(ballot.id, ids[5], &secret()).await.unwrap().is_none());
        let slots = db.column_as_text(&format!(
            "SELECT choice_key FROM ballot_secret_choices WHERE ballot_id = {}", ballot.id.0
        )).await;
        assert_eq!(slots.len(), 5, "one anonymous slot per elector");
        assert_eq!(
            store.cast_vote(ballot.id, ids[5], ballot.options[0].id, opens + Duration::minutes(6), &secret()).await.unwrap().unwrap(),
            Err(VoteRefusal::NotElector)
        );
        // The schema refuses a second electorate or a late elector.
        let late = db.try_execute_with_time(
            &format!("INSERT INTO ballot_electors (ballot_id, user_id, voted) VALUES ({}, {}, FALSE)", ballot.id.0, ids[5].0),
            now(),
        ).await;
        assert!(late.is_err(), "late elector accepted");
    }

    async fn secret_votes_cannot_be_linked_to_voters(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 6, "人").await;
        let c = coop(store.as_ref(), ids[0], &ids[1..]).await;
        let t = now() + Duration::seconds(1);
        let ballot = store.create_ballot(c, ids[0], &details(t, true), t, &secret()).await.unwrap();
        let [yes, no, abstain] = [ballot.options[0].id, ballot.options[1].id, ballot.options[2].id];
        let plan = [(ids[1], yes), (ids[2], no), (ids[3], yes), (ids[1], abstain), (ids[4], yes)];
        for (n, (voter, option)) in plan.iter().enumerate() {
            let at = t + Duration::seconds(n as i64 + 1);
            store.cast_vote(ballot.id, *voter, *option, at, &secret()).await.unwrap().unwrap().unwrap();
        }
        let counts = store.ballot_counts(ballot.id).await.unwrap();
        let mut votes = counts.votes.clone();
        votes.sort();
        assert_eq!(votes, vec![(yes, 2), (no, 1), (abstain, 1)]);
        assert_eq!(counts.voted, 4);
        // The voter sees their own latest choice while it is open.
        assert_eq!(store.current_choice(ballot.id, ids[1], &secret()).await.unwrap(), Some(abstain));

        // What is stored: no named vote, and slots with nothing but a key
        // and an option.
        let named = db.column_as_text(&format!(
            "SELECT CAST(elector_id AS TEXT) FROM ballot_votes WHERE ballot_id = {}", ballot.id.0
        )).await;
        assert!(named.is_empty(), "a secret ballot has no named votes");
        let columns = match db.backend() {
            tsunagari_store::Backend::Sqlite => db.column_as_text("SELECT name FROM pragma_table_info('ballot_secret_choices') ORDER BY cid").await,
            tsunagari_store::Backend::Postgres => db.column_as_text(
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'ballot_secret_choices' ORDER BY ordinal_position",
            ).await,
        };
        assert_eq!(columns, vec!["ballot_id", "choice_key", "option_id", "version"]);
        let slots = db.column_as_text(&format!(
            "SELECT choice_key || ':' || COALESCE(CAST(option_id AS TEXT), '-') FROM ballot_secret_choices WHERE ballot_id = {} ORDER BY choice_key",
            ballot.id.0
        )).await;
        assert_eq!(slots.len(), 6);
        let keys: Vec<&str> = slots.iter().map(|s| s.split(':').next().unwrap()).collect();
        assert!(keys.iter().all(|k| k.len() == 64 && k.bytes().all(|b| b.is_ascii_hexdigit())));
        // The table that names people has no choice in it.
        let elector_columns = match db.backend() {
            tsunagari_store::Backend::Sqlite => db.column_as_text("SELECT name FROM pragma_table_info('ballot_electors') ORDER BY cid").await,
            tsunagari_store::Backend::Postgres => db.column_as_text(
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'ballot_electors' ORDER BY ordinal_position",
            ).await,
        };
        assert_eq!(elector_columns, vec!["id", "ballot_id", "user_id", "voted"]);
        // Without the server secret no key can be recomputed: another
        // secret yields keys that match no slot.
        let other = BallotSecret::from_text("a-different-secret-someone-might-guess-at").unwrap();
        for voter in &ids {
            assert!(!keys.contains(&other.choice_key(ballot.id, *voter).0.as_str()));
        }
        // While it is open the elector rows do not say who voted (a secret
        // vote writes its slot and nothing else); the voter's own page
        // knows, through the secret.
        let voted_sql = format!(
            "SELECT CAST(user_id AS TEXT) FROM ballot_electors WHERE ballot_id = {} AND voted = TRUE ORDER BY user_id",
            ballot.id.0
        );
        assert!(db.column_as_text(&voted_sql).await.is_empty());
        assert_eq!(store.participation(ballot.id, ids[2], &secret()).await.unwrap().map(|p| p.voted), Some(true));
        assert_eq!(store.participation(ballot.id, ids[5], &secret()).await.unwrap().map(|p| p.voted), Some(false));
        // The participation export carries no secret choice.
        let exported = store.participation_of(ids[1]).await.unwrap();
        assert_eq!(exported.len(), 1);
        assert!(exported[0].secret && exported[0].choice.is_none());
        assert_eq!(exported[0].voted, None, "recorded at the close");

        // After the close the keys are replaced: not even the secret's
        // holder can find a voter's slot.
        assert!(store.finalise_ballot(ballot.id, ballot.closes_at, &secret()).await.unwrap());
        let after = db.column_as_text(&format!(
            "SELECT choice_key FROM ballot_secret_choices WHERE ballot_id = {}", ballot.id.0
        )).await;
        assert_eq!(after.len(), 6);
        for voter in &ids {
            assert!(!after.contains(&secret().choice_key(ballot.id, *voter).0), "re-keyed");
        }
        assert_eq!(store.current_choice(ballot.id, ids[1], &secret()).await.unwrap(), None);
        // Who voted is now recorded, and only that.
        let mut voters: Vec<String> = [1, 2, 3, 4].iter().map(|i| ids[*i].0.to_string()).collect();
        voters.sort();
        let mut recorded = db.column_as_text(&voted_sql).await;
        recorded.sort();
        assert_eq!(recorded, voters);
        assert_eq!(store.participation(ballot.id, ids[1], &secret()).await.unwrap().map(|p| p.voted), Some(true));
        assert_eq!(store.participation_of(ids[1]).await.unwrap()[0].voted, Some(true));
        let versions = db.column_as_text(&format!(
            "SELECT CAST(version AS TEXT) FROM ballot_secret_choices WHERE ballot_id = {}", ballot.id.0
        )).await;
        assert!(versions.iter().all(|v| v == "0"), "how often a slot changed is forgotten too");
        let mut final_votes = store.ballot_counts(ballot.id).await.unwrap().votes;
        final_votes.sort();
        assert_eq!(final_votes, votes, "re-keying keeps every vote");
    }

    async fn a_ballot_withdrawn_before_opening_never_opens(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 3, "人").await;
        let c = coop(store.as_ref(), ids[0], &ids[1..]).await;
        let t = now() + Duration::seconds(1);
        let opens = t + Duration::hours(1);
        let ballot = store.create_ballot(c, ids[0], &details(opens, false), t, &secret()).await.unwrap();
        let opened = store.create_ballot(c, ids[0], &details(t, false), t, &secret()).await.unwrap();
        assert!(opened.electorate.is_some());

        assert!(!store.withdraw_ballot(opened.id, "遅すぎる", ids[0], t).await.unwrap(), "not once it has opened");
        assert!(!store.withdraw_ballot(ballot.id, "開始時刻", ids[0], opens).await.unwrap(), "not at its opening");
        assert!(store.withdraw_ballot(ballot.id, "日程の誤り", ids[0], t).await.unwrap());
        assert!(!store.withdraw_ballot(ballot.id, "二度目", ids[0], t).await.unwrap(), "once");
        let stored = store.ballot(ballot.id).await.unwrap().unwrap();
        let withdrawal = stored.withdrawal.clone().expect("withdrawn");
        assert_eq!((withdrawal.at, withdrawal.by, withdrawal.reason.as_str()), (t, Some(ids[0]), "日程の誤り"));
        assert_eq!(store.ballots_of(c, 10).await.unwrap().iter().find(|l| l.ballot.id == ballot.id).unwrap().ballot, stored);

        // Nothing of the opening or the close happens to it.
        let after = stored.closes_at + Duration::days(1);
        assert!(!store.take_electorate(ballot.id, opens, &secret()).await.unwrap());
        assert!(store.unsettled_ballots(after, 100).await.unwrap().iter().all(|b| b.id != ballot.id));
        assert!(!store.finalise_ballot(ballot.id, after, &secret()).await.unwrap());
        let option = stored.options[0].id;
        assert_eq!(store.cast_vote(ballot.id, ids[1], option, opens, &secret()).await.unwrap(), Some(Err(VoteRefusal::Withdrawn)));
        let stored_again = store.ballot(ballot.id).await.unwrap().unwrap();
        assert!(stored_again.electorate.is_none() && stored_again.finalised_at.is_none());

        // The schema holds the rules whatever the code does.
        let refused = |sql: String| {
            let db = &db;
            async move {
                let error = db.try_execute_with_time(&sql, now()).await.expect_err(&sql);
                assert!(error.contains("withdrawn"), "refused by the withdrawal rules: {error}");
            }
        };
        refused(format!("UPDATE ballots SET withdrawn_at = NULL, withdrawal_reason = NULL WHERE id = {}", ballot.id.0)).await;
        refused(format!("UPDATE ballots SET withdrawal_reason = '別の理由' WHERE id = {}", ballot.id.0)).await;
        refused(format!("UPDATE ballots SET electorate_taken_at = $1, electorate_size = 0 WHERE id = {}", ballot.id.0)).await;
        refused(format!("UPDATE ballots SET withdrawn_at = $1, withdrawal_reason = '後から' WHERE id = {}", opened.id.0)).await;
        let third = store.create_ballot(c, ids[0], &details(opens, false), t, &secret()).await.unwrap();
        refused(format!("UPDATE ballots SET withdrawn_at = $1 WHERE id = {}", third.id.0)).await;

        // The record outlives the organiser's account.
        assert!(store.delete_account(ids[0]).await.unwrap());
        let kept = store.ballot(ballot.id).await.unwrap().unwrap();
        assert_eq!(kept.phase(after), tsunagari_domain::ballot::Phase::Withdrawn);
        let kept = kept.withdrawal.unwrap();
        assert_eq!((kept.by, kept.reason.as_str()), (None, "日程の誤り"));
    }

    async fn the_schema_keeps_the_record(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 4, "人").await;
        let c = coop(store.as_ref(), ids[0], &ids[1..]).await;
        let t = now() + Duration::seconds(1);
        let named = store.create_ballot(c, ids[0], &details(t, false), t, &secret()).await.unwrap();
        let secret_ballot = store.create_ballot(c, ids[0], &details(t, true), t, &secret()).await.unwrap();
        for voter in &ids[1..] {
            store.cast_vote(named.id, *voter, named.options[0].id, t + Duration::seconds(5), &secret()).await.unwrap().unwrap().unwrap();
            store.cast_vote(secret_ballot.id, *voter, secret_ballot.options[1].id, t + Duration::seconds(5), &secret()).await.unwrap().unwrap().unwrap();
        }
        let refused = |sql: String| {
            let db = &db;
            async move {
                assert!(db.try_execute_with_time(&sql, now()).await.is_err(), "accepted: {sql}");
            }
        };
        refused(format!("DELETE FROM ballot_votes WHERE ballot_id = {}", named.id.0)).await;
        refused(format!("DELETE FROM ballot_secret_choices WHERE ballot_id = {}", secret_ballot.id.0)).await;
        refused(format!("DELETE FROM ballot_electors WHERE ballot_id = {}", named.id.0)).await;
        refused(format!("DELETE FROM ballots WHERE id = {}", named.id.0)).await;
        refused(format!("UPDATE ballot_options SET label = 'x' WHERE ballot_id = {}", named.id.0)).await;
        refused(format!(
            "INSERT INTO ballot_votes (elector_id, ballot_id, option_id, cast_at) SELECT id, ballot_id, {}, $1 FROM ballot_electors WHERE ballot_id = {} AND user_id = {}",
            secret_ballot.options[0].id.0, secret_ballot.id.0, ids[0].0
        )).await;
        refused(format!("UPDATE ballot_electors SET voted = FALSE WHERE ballot_id = {}", named.id.0)).await;
        // Two current votes for one elector are impossible: the row is
        // complete and valid but for its key, so only the key can refuse it.
        let duplicate = db
            .try_execute_with_time(
                &format!(
                    "INSERT INTO ballot_votes (elector_id, ballot_id, option_id, cast_at, version) \
                     SELECT elector_id, ballot_id, {}, $1, version + 1 FROM ballot_votes WHERE ballot_id = {}",
                    named.options[1].id.0, named.id.0
                ),
                now(),
            )
            .await
            .expect_err("a second vote row for one elector");
        assert!(
            duplicate.contains("UNIQUE constraint failed") || duplicate.contains("duplicate key"),
            "refused by the key, not by something else: {duplicate}"
        );
        // Once final, nothing about the votes changes.
        let close = named.closes_at;
        assert!(store.finalise_ballot(named.id, close, &secret()).await.unwrap());
        assert!(store.finalise_ballot(secret_ballot.id, close, &secret()).await.unwrap());
        refused(format!("UPDATE ballot_votes SET option_id = {} WHERE ballot_id = {}", named.options[1].id.0, named.id.0)).await;
        refused(format!("UPDATE ballot_secret_choices SET option_id = NULL WHERE ballot_id = {}", secret_ballot.id.0)).await;
        refused(format!("UPDATE ballots SET quorum_percent = 0 WHERE id = {}", named.id.0)).await;
        refused(format!("UPDATE ballots SET title = 'changed', reminded_at = $1 WHERE id = {}", named.id.0)).await;
        // The outcome is recorded after the close.
        store.record_outcome(named.id, "可決。4月から開始。", ids[0], close).await.unwrap();
        let follow_up = store
            .add_follow_up(named.id, &validate_follow_up("予算案を作る", "2027-01-15").unwrap(), ids[0], close)
            .await
            .unwrap();
        assert!(store.set_follow_up_done(named.id, follow_up.id, true).await.unwrap());
        assert!(!store.set_follow_up_done(secret_ballot.id, follow_up.id, true).await.unwrap(), "another ballot's action");
        let stored = store.ballot(named.id).await.unwrap().unwrap();
        assert_eq!(stored.outcome.as_ref().unwrap().text, "可決。4月から開始。");
        assert_eq!(stored.outcome.unwrap().recorded_by, Some(ids[0]));
        let follow_ups = store.follow_ups(named.id).await.unwrap();
        assert_eq!(follow_ups.len(), 1);
        assert!(follow_ups[0].done);
        assert_eq!(follow_ups[0].details.due_on, chrono::NaiveDate::from_ymd_opt(2027, 1, 15));

        // A voter deletes their account: the result does not change, and
        // the elector row stays, without them.
        let before = store.ballot_counts(named.id).await.unwrap();
        assert!(store.delete_account(ids[1]).await.unwrap());
        let after = store.ballot_counts(named.id).await.unwrap();
        assert_eq!(before, after);
        let secret_after = store.ballot_counts(secret_ballot.id).await.unwrap();
        assert_eq!(secret_after.voted, 3);
        let anonymous = db.column_as_text(&format!(
            "SELECT CAST(id AS TEXT) FROM ballot_electors WHERE ballot_id = {} AND user_id IS NULL", named.id.0
        )).await;
        assert!(!anonymous.is_empty());
    }

    async fn reminders_go_once_to_those_who_have_not_voted(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 5, "人").await;
        let c = coop(store.as_ref(), ids[0], &ids[1..]).await;
        let t = now() + Duration::seconds(1);
        let ballot = store.create_ballot(c, ids[0], &details(t, true), t, &secret()).await.unwrap();
        store.cast_vote(ballot.id, ids[1], ballot.options[0].id, t + Duration::seconds(1), &secret()).await.unwrap().unwrap().unwrap();
        // One member has left since the opening: no reminder for them.
        store.remove_membership(c, ids[4]).await.unwrap();
        let notification = NewNotification::new(NotificationKind::BallotReminder, &ballot.title, "/ballots/1").unwrap();
        let at = t + Duration::hours(1);
        let cutoff = at - Duration::hours(6);
        assert_eq!(store.remind_non_voters(ballot.id, cutoff, &notification, at, &secret()).await.unwrap(), Some(3));
        // A second server with the same idea a moment later sends nothing.
        assert_eq!(store.remind_non_voters(ballot.id, cutoff, &notification, at + Duration::seconds(1), &secret()).await.unwrap(), None);
        for (person, expected) in [(ids[0], 1), (ids[1], 0), (ids[2], 1), (ids[3], 1), (ids[4], 0)] {
            let got = store.notifications_of(person, 10).await.unwrap();
            assert_eq!(got.len(), expected, "{person:?}");
            if let Some(n) = got.first() {
                assert_eq!(n.kind, NotificationKind::BallotReminder);
            }
        }
        let reminded = store.ballot(ballot.id).await.unwrap().unwrap().reminded_at;
        assert_eq!(reminded, Some(at));
        // Six hours later another is allowed.
        let later = at + Duration::hours(7);
        assert_eq!(store.remind_non_voters(ballot.id, later - Duration::hours(6), &notification, later, &secret()).await.unwrap(), Some(3));
        let unsettled = store.unsettled_ballots(later, 10).await.unwrap();
        assert_eq!(unsettled.iter().map(|b| b.id).collect::<Vec<_>>(), vec![ballot.id]);
        store.finalise_ballot(ballot.id, ballot.closes_at, &secret()).await.unwrap();
        assert!(store.unsettled_ballots(ballot.closes_at, 10).await.unwrap().is_empty());
        assert_eq!(store.remind_non_voters(ballot.id, ballot.closes_at, &notification, ballot.closes_at, &secret()).await.unwrap(), None, "not after the close");
    }

    async fn a_ballot_nobody_opened_is_settled_at_the_close(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 3, "人").await;
        let c = coop(store.as_ref(), ids[0], &ids[1..]).await;
        let opens = now() + Duration::minutes(5);
        let ballot = store.create_ballot(c, ids[0], &details(opens, true), now(), &secret()).await.unwrap();
        assert!(!store.finalise_ballot(ballot.id, ballot.closes_at - Duration::seconds(1), &secret()).await.unwrap(), "still open");
        assert!(store.finalise_ballot(ballot.id, ballot.closes_at, &secret()).await.unwrap());
        let stored = store.ballot(ballot.id).await.unwrap().unwrap();
        assert_eq!(stored.electorate.unwrap().size, 3);
        assert!(stored.finalised_at.is_some());
        let counts = store.ballot_counts(ballot.id).await.unwrap();
        assert_eq!((counts.electorate, counts.voted), (3, 0));
        assert!(counts.votes.is_empty());
        let effect = store.cast_vote(ballot.id, ids[1], ballot.options[0].id, ballot.closes_at, &secret()).await.unwrap();
        assert_eq!(effect, Some(Err(VoteRefusal::Closed)));
    }
}
