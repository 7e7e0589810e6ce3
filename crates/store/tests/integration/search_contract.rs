//! The search change log and the search reads, on SQLite and PostgreSQL:
//! every write of a searchable row logs itself through the database's
//! triggers, in the same transaction.

use std::collections::BTreeSet;

use chrono::Duration;
use tsunagari_domain::community::{
    CommunityDraft, CommunityKind, Membership, MembershipStatus, Role,
};
use tsunagari_domain::event::EventDraft;
use tsunagari_domain::moderation::{AuditAction, AuditEntry, AuditTarget};
use tsunagari_domain::search::DocType;
use tsunagari_domain::thread::{PostRef, PostState, ThreadContent};
use tsunagari_domain::time::now;
use tsunagari_store::testing::create_person;
use tsunagari_store::{NewThread, PostChange, SearchChange, Store};

async fn log_after(store: &dyn Store, after: i64) -> Vec<(String, String)> {
    store
        .search_changes_after(after, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(
            |SearchChange {
                 doc_type, doc_id, ..
             }| (doc_type, doc_id),
        )
        .collect()
}

fn has(log: &[(String, String)], doc_type: &str, id: impl ToString) -> bool {
    let id = id.to_string();
    log.iter().any(|(t, i)| t == doc_type && *i == id)
}

tsunagari_store::backend_tests! {
    async fn every_searchable_write_logs_itself(db: TestDatabase) {
        let store = db.store().await;
        let aoi = create_person(store.as_ref(), "aoi@example.jp", "佐藤 葵").await;
        let ren = create_person(store.as_ref(), "ren@example.jp", "鈴木 蓮").await;
        let start = store.search_change_head().await.unwrap();
        // The shipped catalogue is not loaded by migrate alone; the head
        // counts whatever the migrations left.
        let draft = CommunityDraft { name: "介護のみらいカフェ".into(), visibility: "public".into(), membership: "open".into(), tags: "介護".into(), ..Default::default() };
        let profile = draft.validate(CommunityKind::Professional).unwrap();
        let community = store.create_community(CommunityKind::Professional, &profile, None, aoi, now()).await.unwrap();
        let log = log_after(store.as_ref(), start).await;
        assert!(has(&log, "community", community.id.0), "{log:?}");

        let thread = store.create_thread(&NewThread {
            community_id: community.id,
            author_id: aoi,
            content: ThreadContent { title: "夜勤の悩み".into(), body: "腰痛".into() },
            is_announcement: false,
            is_pinned: false,
            now: now(),
        }).await.unwrap();
        let reply = store.create_reply(thread.id, aoi, "わかります", now()).await.unwrap();
        let event = store.create_event(community.id, aoi, &EventDraft {
            title: "介護の交流会".into(),
            starts_at: "2030-01-10T19:00".into(),
            ends_at: "2030-01-10T21:00".into(),
            online: true,
            online_url: "https://meet.example.jp/x".into(),
            ..Default::default()
        }.validate().unwrap(), now()).await.unwrap();
        let mark = store.search_change_head().await.unwrap();
        let log = log_after(store.as_ref(), start).await;
        for (doc_type, id) in [("thread", thread.id.0), ("reply", reply.id.0), ("event", event.id.0)] {
            assert!(has(&log, doc_type, id), "{doc_type} {id}: {log:?}");
        }

        // Registrations change nothing searchable: no entry.
        store.register(event.id, ren, now()).await.unwrap();
        assert!(!has(&log_after(store.as_ref(), mark).await, "event", event.id.0));

        // Joining changes the member count (ranking).
        store.add_membership(&Membership { community_id: community.id, user_id: ren, role: Role::Member, status: MembershipStatus::Active, join_answer: None, joined_at: now() }).await.unwrap();
        assert!(has(&log_after(store.as_ref(), mark).await, "community", community.id.0));

        // Hiding a thread logs it and its replies, in the moderation's transaction.
        let mark = store.search_change_head().await.unwrap();
        let post = PostRef::Thread(thread.id);
        let entry = AuditEntry { community_id: community.id, actor_id: aoi, action: AuditAction::PostHidden, target: AuditTarget::Post(post), reason: None, at: now() };
        store.moderate_post(post, PostChange::State(PostState::Hidden), &entry).await.unwrap();
        let log = log_after(store.as_ref(), mark).await;
        assert!(has(&log, "thread", thread.id.0) && has(&log, "reply", reply.id.0), "{log:?}");

        // Making the community members-only logs everything in it.
        let mark = store.search_change_head().await.unwrap();
        let members_only = CommunityDraft { visibility: "members".into(), ..draft.clone() }.validate(CommunityKind::Professional).unwrap();
        store.update_community(community.id, &members_only, now()).await.unwrap();
        let log = log_after(store.as_ref(), mark).await;
        for (doc_type, id) in [("community", community.id.0), ("event", event.id.0), ("thread", thread.id.0), ("reply", reply.id.0)] {
            assert!(has(&log, doc_type, id), "{doc_type} {id}: {log:?}");
        }

        // Reads by id, with the counts and states search needs.
        let communities = store.communities_for_search(&[community.id]).await.unwrap();
        assert_eq!(communities[0].listing.member_count, 2);
        assert!(communities[0].last_activity.is_none(), "its only thread is hidden");
        assert_eq!(store.threads_for_search(&[thread.id]).await.unwrap()[0].state, PostState::Hidden);
        assert_eq!(store.replies_for_search(&[reply.id]).await.unwrap()[0].body, "わかります");
        assert_eq!(store.events_for_search(&[event.id]).await.unwrap()[0].details.title, "介護の交流会");
        assert_eq!(store.member_community_ids(ren).await.unwrap(), vec![community.id]);
        assert_eq!(store.searchable_ids(DocType::Thread, 0, 10).await.unwrap(), vec![thread.id.0]);
        assert!(store.searchable_ids(DocType::PublicScheme, 0, 10).await.unwrap().is_empty());
        assert!(store.count_searchable().await.unwrap() >= 4);

        // Late entries are found by id.
        let ids: Vec<i64> = store.search_changes_after(start, 1000).await.unwrap().iter().map(|c| c.id).take(2).collect();
        let again: BTreeSet<i64> = store.search_changes_with_ids(&ids).await.unwrap().iter().map(|c| c.id).collect();
        assert_eq!(again, ids.iter().copied().collect());
    }

    async fn pruning_keeps_recent_entries_and_remembers_how_far_it_went(db: TestDatabase) {
        let store = db.store().await;
        let aoi = create_person(store.as_ref(), "aoi@example.jp", "佐藤 葵").await;
        let draft = CommunityDraft { name: "対話カフェ".into(), visibility: "public".into(), membership: "open".into(), ..Default::default() };
        let profile = draft.validate(CommunityKind::Professional).unwrap();
        store.create_community(CommunityKind::Professional, &profile, None, aoi, now()).await.unwrap();
        let head = store.search_change_head().await.unwrap();
        assert!(head > 0);
        assert_eq!(store.search_changes_pruned_through().await.unwrap(), 0);
        // Nothing is older than a day.
        assert_eq!(store.prune_search_changes(now() - Duration::days(1)).await.unwrap(), 0);
        // Everything is older than tomorrow.
        let removed = store.prune_search_changes(now() + Duration::days(1)).await.unwrap();
        assert!(removed > 0);
        assert_eq!(store.search_changes_pruned_through().await.unwrap(), head);
        assert!(store.search_changes_after(0, 10).await.unwrap().is_empty());
        assert_eq!(store.search_change_head().await.unwrap(), head, "the head never goes back");
    }
}
