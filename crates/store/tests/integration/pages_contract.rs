//! The page-read contract, on SQLite and PostgreSQL: a community's front
//! page read in one go must agree with the per-aggregate reads and apply
//! the domain's reading rule.

use chrono::{Duration, TimeZone, Utc};
use tsunagari_domain::community::{
    CommunityDraft, CommunityId, CommunityKind, Membership, MembershipStatus, Role,
};
use tsunagari_domain::event::EventDetails;
use tsunagari_domain::moderation::{AuditAction, AuditEntry, AuditTarget};
use tsunagari_domain::thread::{PostRef, PostState, ThreadContent};
use tsunagari_domain::time::now;
use tsunagari_domain::{UserId, UserTimeZone};
use tsunagari_store::{FrontPageLimits, NewThread, PostChange, Store};

async fn person(store: &dyn Store, email: &str) -> UserId {
    tsunagari_store::testing::create_person(store, email, "佐藤 葵").await
}

fn event(title: &str, starts_at: chrono::DateTime<Utc>) -> EventDetails {
    EventDetails {
        title: title.into(),
        description: String::new(),
        starts_at,
        ends_at: starts_at + Duration::hours(2),
        time_zone: UserTimeZone::default(),
        online: true,
        online_url: Some("https://meet.example.jp/x".into()),
        venue: None,
        prefecture: None,
        capacity: None,
    }
}

const LIMITS: FrontPageLimits = FrontPageLimits {
    threads: 20,
    events: 5,
};

tsunagari_store::backend_tests! {
    async fn a_front_page_reads_what_the_viewer_may_see(db: TestDatabase) {
        let store = db.store().await;
        let owner = person(&*store, "owner@example.jp").await;
        let member = person(&*store, "member@example.jp").await;
        let draft = CommunityDraft { name: "にいがた つながる会".into(), visibility: "members".into(), membership: "open".into(), ..Default::default() };
        let profile = draft.validate(CommunityKind::Npo).unwrap();
        let parent = store.create_community(CommunityKind::Npo, &profile, None, owner, now()).await.unwrap();
        let branch_draft = CommunityDraft { name: "東京支部".into(), visibility: "public".into(), membership: "open".into(), ..Default::default() };
        let branch_profile = branch_draft.validate(CommunityKind::Npo).unwrap();
        let branch = store.create_community(CommunityKind::Npo, &branch_profile, Some((parent.id, 1)), owner, now()).await.unwrap();
        store.add_membership(&Membership { community_id: parent.id, user_id: member, role: Role::Member, status: MembershipStatus::Active, join_answer: None, joined_at: now() }).await.unwrap();

        let thread = |title: &str| NewThread { community_id: parent.id, author_id: owner, content: ThreadContent { title: title.into(), body: "本文".into() }, is_announcement: false, is_pinned: false, now: now() };
        store.create_thread(&thread("残る話題")).await.unwrap();
        let removed = store.create_thread(&thread("消された話題")).await.unwrap();
        let post = PostRef::Thread(removed.id);
        let entry = AuditEntry { community_id: parent.id, actor_id: owner, action: AuditAction::PostRemoved, target: AuditTarget::Post(post), reason: None, at: now() };
        store.moderate_post(post, PostChange::State(PostState::Removed), &entry).await.unwrap();
        let today = Utc.with_ymd_and_hms(2030, 6, 1, 0, 0, 0).unwrap();
        store.create_event(parent.id, owner, &event("終わった会", today - Duration::days(3)), now()).await.unwrap();
        store.create_event(parent.id, owner, &event("次の会", today + Duration::days(3)), now()).await.unwrap();

        assert!(store.community_front_page(CommunityId(parent.id.0 + 100), None, today, LIMITS).await.unwrap().is_none());

        // A visitor sees the members-only community and its branch, not its content.
        let visitor = store.community_front_page(parent.id, None, today, LIMITS).await.unwrap().unwrap();
        assert_eq!((visitor.listing.member_count, visitor.listing.subgroup_count), (2, 1));
        assert!(visitor.membership.is_none());
        assert!(visitor.content.is_none(), "members-only content is not read for visitors");
        assert_eq!(visitor.subgroups.iter().map(|s| s.community.id).collect::<Vec<_>>(), vec![branch.id]);
        assert!(visitor.parent.is_none());

        // A member reads visible threads and upcoming events only.
        let seen = store.community_front_page(parent.id, Some(member), today, LIMITS).await.unwrap().unwrap();
        assert_eq!(seen.membership.as_ref().map(|m| m.role), Some(Role::Member));
        let content = seen.content.unwrap();
        assert_eq!(content.threads.iter().map(|t| t.thread.title.as_str()).collect::<Vec<_>>(), vec!["残る話題"]);
        assert_eq!(content.upcoming.iter().map(|e| e.event.details.title.as_str()).collect::<Vec<_>>(), vec!["次の会"]);

        // The owner also sees what was removed, as moderators must.
        let owned = store.community_front_page(parent.id, Some(owner), today, LIMITS).await.unwrap().unwrap();
        assert_eq!(owned.content.unwrap().threads.len(), 2);

        // A branch names its parent and has no sub-groups of its own.
        let branch_page = store.community_front_page(branch.id, None, today, LIMITS).await.unwrap().unwrap();
        assert_eq!(branch_page.parent.map(|p| p.profile.name), Some("にいがた つながる会".to_owned()));
        assert_eq!(branch_page.listing.subgroup_count, 0);
        assert!(branch_page.subgroups.is_empty());
        assert_eq!(branch_page.content.map(|c| c.threads.len()), Some(0));
    }
}
