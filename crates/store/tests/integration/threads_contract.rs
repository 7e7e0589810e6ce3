//! The thread and audit-log store contract, on SQLite and PostgreSQL.

use chrono::Duration;
use tsunagari_domain::community::{CommunityDraft, CommunityKind};
use tsunagari_domain::moderation::{AuditAction, AuditEntry, AuditTarget};
use tsunagari_domain::thread::{PostRef, PostState, ReplyId, ThreadContent, ThreadId};
use tsunagari_domain::time::now;
use tsunagari_domain::{DisplayName, Email, Locale, NewPassword, PasswordHash, UserTimeZone};
use tsunagari_store::{Conflict, NewAccount, NewThread, PostChange, StoreError};

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

fn content(title: &str) -> ThreadContent {
    ThreadContent {
        title: title.into(),
        body: format!("{title}の本文"),
    }
}

tsunagari_store::backend_tests! {
    async fn threads_replies_reports_and_the_audit_log(db: TestDatabase) {
        let store = db.store().await;
        let aoi = store.create_account(&new_account("aoi@example.jp", "佐藤 葵")).await.unwrap();
        let draft = CommunityDraft { name: "対話カフェ".into(), visibility: "public".into(), membership: "open".into(), ..Default::default() };
        let profile = draft.validate(CommunityKind::Professional).unwrap();
        let community = store.create_community(CommunityKind::Professional, &profile, None, aoi.id, now()).await.unwrap();

        let start = now() - Duration::hours(2);
        let new = |title: &str, minutes: i64, pinned: bool| NewThread {
            community_id: community.id,
            author_id: aoi.id,
            content: content(title),
            is_announcement: pinned,
            is_pinned: pinned,
            now: start + Duration::minutes(minutes),
        };
        let old = store.create_thread(&new("古い話題", 0, false)).await.unwrap();
        assert_eq!(old.created_at, start, "timestamps survive the round trip");
        let pinned = store.create_thread(&new("お知らせ", 1, true)).await.unwrap();
        let recent = store.create_thread(&new("新しい話題", 2, false)).await.unwrap();
        let titles = |list: Vec<tsunagari_store::ThreadRecord>| list.into_iter().map(|r| r.thread.title).collect::<Vec<_>>();
        assert_eq!(titles(store.list_threads(community.id, false, 10, 0).await.unwrap()), vec!["お知らせ", "新しい話題", "古い話題"]);

        let reply = store.create_reply(old.id, aoi.id, "返信です", start + Duration::minutes(3)).await.unwrap();
        assert_eq!(titles(store.list_threads(community.id, false, 10, 0).await.unwrap()), vec!["お知らせ", "古い話題", "新しい話題"]);
        let record = store.thread(old.id).await.unwrap().unwrap();
        assert_eq!((record.reply_count, record.thread.last_activity_at), (1, reply.created_at));
        assert_eq!(store.replies(old.id).await.unwrap()[0].author_name.as_deref(), Some("佐藤 葵"));

        // One report per person per post.
        let post = PostRef::Reply(reply.id);
        store.add_report(community.id, post, aoi.id, Some("確認してください"), now()).await.unwrap();
        let again = store.add_report(community.id, post, aoi.id, None, now()).await;
        assert!(matches!(again, Err(StoreError::Conflict(Conflict::AlreadyReported))), "{again:?}");
        assert_eq!(store.open_reports(community.id).await.unwrap().len(), 1);

        // Moderation and its log entry go together; hiding closes the reports.
        let entry = |action, target| AuditEntry { community_id: community.id, actor_id: aoi.id, action, target, reason: None, at: now() };
        let hidden = entry(AuditAction::PostHidden, AuditTarget::Post(post));
        assert!(store.moderate_post(post, PostChange::State(PostState::Hidden), &hidden).await.unwrap());
        assert!(store.open_reports(community.id).await.unwrap().is_empty());
        let missing = PostRef::Reply(ReplyId(reply.id.0 + 100));
        let nothing = entry(AuditAction::PostRemoved, AuditTarget::Post(missing));
        assert!(!store.moderate_post(missing, PostChange::State(PostState::Removed), &nothing).await.unwrap());
        let unpin = PostRef::Thread(pinned.id);
        let flags = PostChange::Flags { is_announcement: true, is_pinned: false };
        assert!(store.moderate_post(unpin, flags, &entry(AuditAction::ThreadUnpinned, AuditTarget::Post(unpin))).await.unwrap());
        let removed = PostRef::Thread(recent.id);
        assert!(store.moderate_post(removed, PostChange::State(PostState::Removed), &entry(AuditAction::PostRemoved, AuditTarget::Post(removed))).await.unwrap());
        let gone = store.thread(recent.id).await.unwrap().unwrap().thread;
        assert_eq!((gone.state, gone.title.as_str(), gone.body.as_str()), (PostState::Removed, "", ""));
        assert_eq!(titles(store.list_threads(community.id, false, 10, 0).await.unwrap()), vec!["古い話題", "お知らせ"]);
        assert_eq!(store.list_threads(community.id, true, 10, 0).await.unwrap().len(), 3);

        let log = store.audit_log(community.id, 10, 0).await.unwrap();
        let actions: Vec<AuditAction> = log.iter().map(|r| r.action).collect();
        assert_eq!(actions, vec![AuditAction::PostRemoved, AuditAction::ThreadUnpinned, AuditAction::PostHidden], "newest first, nothing for the missing post");
        assert_eq!(log[0].actor_name.as_deref(), Some("佐藤 葵"));

        // Authors' deletions erase content and keep the row.
        assert!(store.delete_post(PostRef::Thread(old.id), now()).await.unwrap());
        assert!(!store.delete_post(PostRef::Thread(old.id), now()).await.unwrap(), "once");
        assert!(!store.edit_thread(old.id, &content("復活"), now()).await.unwrap());
        assert_eq!(store.thread(old.id).await.unwrap().unwrap().thread.state, PostState::Deleted);
        assert!(store.thread(ThreadId(old.id.0 + 100)).await.unwrap().is_none());
    }
}
