//! The store contract: the same tests against SQLite and PostgreSQL.

use chrono::Duration;
use tsunagari_domain::time::now;
use tsunagari_domain::{
    DisplayName, Email, Locale, NewPassword, PasswordHash, SecretToken, SessionId, UserId,
    UserTimeZone,
};
use tsunagari_store::{Backend, Conflict, NewAccount, NewSession, ProfileUpdate, StoreError};

fn new_account(email: &str, name: &str) -> NewAccount {
    let password = NewPassword::parse("kawa-no-nagare-2026", &[]).unwrap();
    NewAccount {
        email: Email::parse(email).unwrap(),
        display_name: DisplayName::parse(name).unwrap(),
        password_hash: PasswordHash::create(&password),
        locale: Locale::Ja,
        time_zone: UserTimeZone::default(),
        now: now(),
    }
}

fn new_session(user: UserId, token: &SecretToken) -> NewSession {
    let created_at = now();
    NewSession {
        user_id: user,
        token_hash: token.hash(),
        created_at,
        expires_at: created_at + Duration::days(30),
        user_agent: "Mozilla/5.0 test".into(),
        client_ip: "192.0.2.1".into(),
    }
}

tsunagari_store::backend_tests! {
    async fn every_notification_kind_is_stored_and_read_back(db: TestDatabase) {
        use tsunagari_domain::notification::{NewNotification, NotificationKind};
        let store = db.store().await;
        let who = crate::common::people(store.as_ref(), 1, "人").await[0];
        let t = now();
        for (n, kind) in NotificationKind::ALL.into_iter().enumerate() {
            let notice = NewNotification::new(kind, "みなと地域ユニオン", "/counselling/1").unwrap();
            store
                .notify(&[who], &notice, t + Duration::seconds(n as i64))
                .await
                .unwrap_or_else(|e| panic!("{kind:?} refused by the database: {e}"));
        }
        let mut stored: Vec<NotificationKind> = store.notifications_of(who, 100).await.unwrap().iter().map(|n| n.kind).collect();
        stored.reverse();
        assert_eq!(stored, NotificationKind::ALL.to_vec(), "oldest first, every kind");
    }

    async fn accounts_round_trip_exactly(db: TestDatabase) {
        let store = db.store().await;
        let new = new_account("aoi@example.jp", "佐藤 葵");
        let created = store.create_account(&new).await.unwrap();
        assert_eq!(created.email.as_str(), "aoi@example.jp");
        assert_eq!(created.display_name.as_str(), "佐藤 葵");
        assert_eq!(created.created_at, new.now, "timestamps survive the round trip to the microsecond");
        assert_eq!(store.account(created.id).await.unwrap(), Some(created.clone()));
        let (found, hash) = store.account_with_password(&new.email).await.unwrap().unwrap();
        assert_eq!(found, created);
        assert!(hash.verify("kawa-no-nagare-2026"));
        assert!(!hash.verify("kawa-no-nagare-2025"));
        assert_eq!(store.count_accounts().await.unwrap(), 1);
        assert_eq!(store.account(UserId(created.id.0 + 1000)).await.unwrap(), None);
    }

    async fn duplicate_email_is_a_conflict(db: TestDatabase) {
        let store = db.store().await;
        store.create_account(&new_account("aoi@example.jp", "葵")).await.unwrap();
        let again = store.create_account(&new_account("AOI@example.jp", "別人")).await;
        assert!(matches!(again, Err(StoreError::Conflict(Conflict::EmailTaken))), "{again:?}");
        assert_eq!(store.count_accounts().await.unwrap(), 1, "nothing half-written");
    }

    async fn profile_and_password_updates(db: TestDatabase) {
        let store = db.store().await;
        let account = store.create_account(&new_account("ren@example.jp", "田中 蓮")).await.unwrap();
        let update = ProfileUpdate {
            display_name: DisplayName::parse("Ren Tanaka").unwrap(),
            locale: Locale::En,
            time_zone: UserTimeZone::parse("Europe/London").unwrap(),
        };
        let later = now() + Duration::seconds(5);
        let updated = store.update_profile(account.id, &update, later).await.unwrap();
        assert_eq!(updated.display_name.as_str(), "Ren Tanaka");
        assert_eq!(updated.locale, Locale::En);
        assert_eq!(updated.time_zone.name(), "Europe/London");
        assert_eq!(updated.updated_at, later);
        assert_eq!(updated.created_at, account.created_at);

        let new_hash = PasswordHash::create(&NewPassword::parse("yama-no-ue-no-kumo", &[]).unwrap());
        store.set_password_hash(account.id, &new_hash, later).await.unwrap();
        let stored = store.password_hash(account.id).await.unwrap().unwrap();
        assert!(stored.verify("yama-no-ue-no-kumo"));
        assert!(!stored.verify("kawa-no-nagare-2026"));
    }

    async fn sessions_belong_to_their_owner(db: TestDatabase) {
        let store = db.store().await;
        let aoi = store.create_account(&new_account("aoi@example.jp", "葵")).await.unwrap();
        let ren = store.create_account(&new_account("ren@example.jp", "蓮")).await.unwrap();
        let first = SecretToken::generate();
        let second = SecretToken::generate();
        let s1 = store.create_session(&new_session(aoi.id, &first)).await.unwrap();
        let s2 = store.create_session(&new_session(aoi.id, &second)).await.unwrap();
        let r1 = store.create_session(&new_session(ren.id, &SecretToken::generate())).await.unwrap();

        assert_eq!(store.session_by_token(&first.hash()).await.unwrap(), Some(s1.clone()));
        assert_eq!(store.session_by_token(&SecretToken::generate().hash()).await.unwrap(), None);
        let listed: Vec<SessionId> = store.sessions_of(aoi.id).await.unwrap().iter().map(|s| s.id).collect();
        assert_eq!(listed.len(), 2);
        assert!(listed.contains(&s1.id) && listed.contains(&s2.id));

        let seen = now() + Duration::minutes(3);
        store.touch_session(s1.id, seen).await.unwrap();
        assert_eq!(store.session_by_token(&first.hash()).await.unwrap().unwrap().last_seen_at, seen);

        assert!(!store.delete_session(aoi.id, r1.id).await.unwrap(), "cannot end someone else's session");
        assert_eq!(store.delete_other_sessions(aoi.id, Some(s1.id)).await.unwrap(), 1);
        assert_eq!(store.sessions_of(aoi.id).await.unwrap().len(), 1);
        assert_eq!(store.sessions_of(ren.id).await.unwrap().len(), 1, "other people's sessions untouched");
        assert!(store.delete_session(aoi.id, s1.id).await.unwrap());
        assert_eq!(store.session_by_token(&first.hash()).await.unwrap(), None);
    }

    async fn expired_sessions_are_removed(db: TestDatabase) {
        let store = db.store().await;
        let aoi = store.create_account(&new_account("aoi@example.jp", "葵")).await.unwrap();
        let fresh = store.create_session(&new_session(aoi.id, &SecretToken::generate())).await.unwrap();
        let idle = store.create_session(&new_session(aoi.id, &SecretToken::generate())).await.unwrap();
        let current = now();
        store.touch_session(idle.id, current - Duration::hours(13)).await.unwrap();
        let removed = store.delete_expired_sessions(current, current - Duration::hours(12)).await.unwrap();
        assert_eq!(removed, 1);
        let left: Vec<SessionId> = store.sessions_of(aoi.id).await.unwrap().iter().map(|s| s.id).collect();
        assert_eq!(left, vec![fresh.id]);
        // Past the absolute end, even a busy session goes.
        let removed = store.delete_expired_sessions(current + Duration::days(31), current - Duration::days(1)).await.unwrap();
        assert_eq!(removed, 1);
    }

    async fn api_tokens(db: TestDatabase) {
        let store = db.store().await;
        let aoi = store.create_account(&new_account("aoi@example.jp", "葵")).await.unwrap();
        let ren = store.create_account(&new_account("ren@example.jp", "蓮")).await.unwrap();
        let token = SecretToken::generate();
        let record = store.create_api_token(aoi.id, &token.hash(), "calendar sync", now()).await.unwrap();
        assert_eq!(record.label, "calendar sync");
        assert_eq!(record.last_used_at, None);
        assert_eq!(store.api_token(&token.hash()).await.unwrap(), Some(record.clone()));
        let used = now();
        store.touch_api_token(record.id, used).await.unwrap();
        assert_eq!(store.api_token(&token.hash()).await.unwrap().unwrap().last_used_at, Some(used));
        assert_eq!(store.api_tokens_of(aoi.id).await.unwrap().len(), 1);
        assert!(!store.delete_api_token(ren.id, record.id).await.unwrap(), "not ren's to revoke");
        assert!(store.delete_api_token(aoi.id, record.id).await.unwrap());
        assert_eq!(store.api_token(&token.hash()).await.unwrap(), None);
    }

    async fn deleting_an_account_removes_its_sessions_and_tokens(db: TestDatabase) {
        let store = db.store().await;
        let aoi = store.create_account(&new_account("aoi@example.jp", "葵")).await.unwrap();
        let ren = store.create_account(&new_account("ren@example.jp", "蓮")).await.unwrap();
        let session = SecretToken::generate();
        let token = SecretToken::generate();
        store.create_session(&new_session(aoi.id, &session)).await.unwrap();
        store.create_api_token(aoi.id, &token.hash(), "", now()).await.unwrap();
        store.create_session(&new_session(ren.id, &SecretToken::generate())).await.unwrap();

        assert!(store.delete_account(aoi.id).await.unwrap());
        assert!(!store.delete_account(aoi.id).await.unwrap(), "already gone");
        assert_eq!(store.account(aoi.id).await.unwrap(), None);
        assert_eq!(store.session_by_token(&session.hash()).await.unwrap(), None);
        assert_eq!(store.api_token(&token.hash()).await.unwrap(), None);
        assert_eq!(db.column_as_text("SELECT email FROM users").await, vec!["ren@example.jp".to_owned()]);
        assert_eq!(store.sessions_of(ren.id).await.unwrap().len(), 1);
    }

    async fn failed_logins_count_atomically(db: TestDatabase) {
        let store = db.store().await;
        let current = now();
        let forget_before = current - Duration::hours(24);
        // Fifty concurrent failures, as from several servers at once: none lost.
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move { store.record_failure("ip:192.0.2.9", current, forget_before).await }));
        }
        let mut counts = Vec::new();
        for task in tasks {
            counts.push(task.await.unwrap().unwrap());
        }
        counts.sort_unstable();
        assert_eq!(counts, (1..=50).collect::<Vec<u32>>(), "each failure saw a distinct count");
        assert_eq!(store.throttle("ip:192.0.2.9").await.unwrap().failures, 50);
        assert_eq!(store.throttle("ip:192.0.2.10").await.unwrap().failures, 0);

        let until = current + Duration::minutes(2);
        store.lock("ip:192.0.2.9", until).await.unwrap();
        assert_eq!(store.throttle("ip:192.0.2.9").await.unwrap().locked_until, Some(until));

        // A failure after a quiet day starts counting again.
        let next_day = current + Duration::hours(25);
        assert_eq!(store.record_failure("ip:192.0.2.9", next_day, next_day - Duration::hours(24)).await.unwrap(), 1);

        store.clear("ip:192.0.2.9").await.unwrap();
        assert_eq!(store.throttle("ip:192.0.2.9").await.unwrap(), Default::default());
    }

    async fn migrations_are_idempotent(db: TestDatabase) {
        let store = db.store().await;
        store.migrate().await.unwrap();
        store.ping().await.unwrap();
        store.create_account(&new_account("aoi@example.jp", "葵")).await.unwrap();
        let again = db.store().await;
        assert_eq!(again.count_accounts().await.unwrap(), 1);
    }

    async fn backups(db: TestDatabase) {
        let store = db.store().await;
        store.create_account(&new_account("aoi@example.jp", "葵")).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("copy.db");
        match store.backend() {
            Backend::Sqlite => {
                store.backup_to(&target).await.unwrap();
                let copy = tsunagari_store::connect(&format!("sqlite://{}", target.display())).await.unwrap();
                assert_eq!(copy.count_accounts().await.unwrap(), 1);
                let again = store.backup_to(&target).await;
                assert!(again.is_err(), "an existing file is never overwritten");
            }
            Backend::Postgres => {
                let refused = store.backup_to(&target).await.unwrap_err();
                assert!(refused.to_string().contains("pg_dump"));
                assert!(!target.exists());
            }
        }
    }
}
