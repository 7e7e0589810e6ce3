//! The home-page and feed reads on SQLite and PostgreSQL: a person sees the
//! new threads and upcoming events of the communities they are an active
//! member of (never those they only asked to join, never hidden posts),
//! their own latest self-check and profiles, candidates they have no
//! membership of, and events this week online or near them that they may
//! read; feeds list visible threads newest first and public communities'
//! events, by prefecture.

use chrono::{Duration, Utc};
use tsunagari_domain::community::{
    Community, CommunityDraft, CommunityKind, Membership, MembershipStatus, Role,
};
use tsunagari_domain::directory::MemberProfile;
use tsunagari_domain::event::EventDetails;
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::thread::ThreadContent;
use tsunagari_domain::time::now;
use tsunagari_domain::{UserId, UserTimeZone};
use tsunagari_store::testing::create_person;
use tsunagari_store::{HomeLimits, NewThread, SelfCheckSummary, Store};

const LIMITS: HomeLimits = HomeLimits {
    threads: 10,
    events: 10,
    candidates: 50,
};

async fn community(
    store: &dyn Store,
    owner: UserId,
    name: &str,
    visibility: &str,
    prefecture: &str,
) -> Community {
    let draft = CommunityDraft {
        name: name.into(),
        visibility: visibility.into(),
        membership: "open".into(),
        prefecture: prefecture.into(),
        tags: "介護".into(),
        ..Default::default()
    };
    let profile = draft.validate(CommunityKind::Professional).unwrap();
    store
        .create_community(CommunityKind::Professional, &profile, None, owner, now())
        .await
        .unwrap()
}

async fn join(store: &dyn Store, community: &Community, user: UserId, status: MembershipStatus) {
    store
        .add_membership(&Membership {
            community_id: community.id,
            user_id: user,
            role: Role::Member,
            status,
            join_answer: None,
            joined_at: now(),
        })
        .await
        .unwrap();
}

async fn thread(
    store: &dyn Store,
    community: &Community,
    author: UserId,
    title: &str,
    at: chrono::DateTime<Utc>,
) -> i64 {
    store
        .create_thread(&NewThread {
            community_id: community.id,
            author_id: author,
            content: ThreadContent {
                title: title.into(),
                body: "本文".into(),
            },
            is_announcement: false,
            is_pinned: false,
            now: at,
        })
        .await
        .unwrap()
        .id
        .0
}

fn event(
    title: &str,
    starts_at: chrono::DateTime<Utc>,
    online: bool,
    prefecture: Option<&str>,
) -> EventDetails {
    EventDetails {
        title: title.into(),
        description: "説明".into(),
        starts_at,
        ends_at: starts_at + Duration::hours(2),
        time_zone: UserTimeZone::default(),
        online,
        online_url: online.then(|| "https://meet.example.jp/x".into()),
        venue: (!online).then(|| "会議室".into()),
        prefecture: prefecture.and_then(Prefecture::parse),
        capacity: None,
    }
}

fn titles_of_events(events: &[tsunagari_store::HomeEvent]) -> Vec<String> {
    events
        .iter()
        .map(|e| e.listing.event.details.title.clone())
        .collect()
}

tsunagari_store::backend_tests! {
    async fn the_home_page_reads_only_what_the_person_may_see(db: TestDatabase) {
        let store = db.store().await;
        let aoi = create_person(&*store, "aoi@example.jp", "佐藤 葵").await;
        let ren = create_person(&*store, "ren@example.jp", "田中 蓮").await;
        let open = community(&*store, ren, "開かれた会", "public", "13").await;
        let closed = community(&*store, ren, "会員だけの会", "members", "").await;
        let asked = community(&*store, ren, "申請中の会", "members", "").await;
        let other = community(&*store, ren, "まだの会", "public", "15").await;
        join(&*store, &open, aoi, MembershipStatus::Active).await;
        join(&*store, &closed, aoi, MembershipStatus::Active).await;
        join(&*store, &asked, aoi, MembershipStatus::Pending).await;
        let t0 = now() - Duration::hours(3);
        thread(&*store, &open, ren, "古い話題", t0).await;
        let hidden = thread(&*store, &open, ren, "隠された話題", t0 + Duration::minutes(1)).await;
        db.execute_with_time(&format!("UPDATE threads SET state = 'hidden' WHERE id = {hidden} AND created_at < $1"), now()).await;
        thread(&*store, &closed, ren, "会員の話題", t0 + Duration::minutes(2)).await;
        thread(&*store, &asked, ren, "申請中には見えない話題", t0 + Duration::minutes(3)).await;
        thread(&*store, &other, ren, "よその話題", t0 + Duration::minutes(4)).await;
        let soon = now() + Duration::days(2);
        store.create_event(open.id, ren, &event("開かれた会の勉強会", soon, true, None), now()).await.unwrap();
        store.create_event(open.id, ren, &event("終わった会", now() - Duration::days(2), true, None), now()).await.unwrap();
        store.create_event(asked.id, ren, &event("申請中の会のイベント", soon, true, None), now()).await.unwrap();
        store.create_event(other.id, ren, &event("新潟の交流会", soon + Duration::hours(1), false, Some("15")), now()).await.unwrap();
        store.create_event(other.id, ren, &event("来月の交流会", now() + Duration::days(20), true, None), now()).await.unwrap();
        store.create_event(other.id, ren, &event("東京の交流会", soon, false, Some("13")), now()).await.unwrap();
        // Someone else's self-check and profile never reach aoi's page.
        let summary = SelfCheckSummary { mutual_support_ties: 0, gave_up_career_move: true, future_confidence: 50, curiosity: 50, self_determination: 50, allocation_shift: 10 };
        store.create_self_check_result(ren, "{\"who\":\"ren\"}", &summary, None, now()).await.unwrap();
        store.save_member_profile(open.id, ren, &MemberProfile { occupation: "営業".into(), ..Default::default() }, now()).await.unwrap();
        store.save_member_profile(open.id, aoi, &MemberProfile { occupation: "介護福祉士".into(), prefecture: Prefecture::parse("15"), ..Default::default() }, now()).await.unwrap();

        let read = store.home_page(aoi, now(), LIMITS).await.unwrap();
        let mut names: Vec<&str> = read.communities.iter().map(|(l, _)| l.community.profile.name.as_str()).collect();
        names.sort();
        assert_eq!(names, ["会員だけの会", "開かれた会"]);
        let threads: Vec<(&str, &str)> = read.threads.iter().map(|t| (t.record.thread.title.as_str(), t.community_name.as_str())).collect();
        assert_eq!(threads, [("会員の話題", "会員だけの会"), ("古い話題", "開かれた会")]);
        assert_eq!(titles_of_events(&read.events), ["開かれた会の勉強会"]);
        assert_eq!(read.events[0].community_name, "開かれた会");
        assert!(read.latest_self_check.is_none(), "another person's self-check is not aoi's");
        assert_eq!(read.profiles, [("介護福祉士".to_owned(), Prefecture::parse("15"))]);
        let candidates: Vec<&str> = read.candidates.iter().map(|l| l.community.profile.name.as_str()).collect();
        assert_eq!(candidates, ["まだの会"], "no community aoi is in, asked to join or banned from");

        store.create_self_check_result(aoi, "{\"who\":\"aoi\"}", &summary, None, now()).await.unwrap();
        let newer = store.create_self_check_result(aoi, "{\"who\":\"aoi-again\"}", &summary, None, now() + Duration::seconds(1)).await.unwrap();
        let read = store.home_page(aoi, now(), LIMITS).await.unwrap();
        assert_eq!(read.latest_self_check.unwrap().id, newer.id);

        // This week, online or in Niigata, readable: the members-only
        // community aoi only asked to join stays out, as do next month's.
        let (from, until) = tsunagari_domain::home::this_week(now());
        let near = store.events_near(aoi, Prefecture::parse("15"), from, until, 10).await.unwrap();
        assert_eq!(titles_of_events(&near), ["開かれた会の勉強会", "新潟の交流会"]);
        let online_only = store.events_near(aoi, None, from, until, 10).await.unwrap();
        assert_eq!(titles_of_events(&online_only), ["開かれた会の勉強会"]);

        // Someone in no community gets candidates and nothing else.
        let newcomer = create_person(&*store, "new@example.jp", "新人").await;
        let read = store.home_page(newcomer, now(), LIMITS).await.unwrap();
        assert!(read.communities.is_empty() && read.threads.is_empty() && read.events.is_empty());
        assert_eq!(read.candidates.len(), 4);
    }

    async fn feeds_read_visible_threads_and_public_events(db: TestDatabase) {
        let store = db.store().await;
        let ren = create_person(&*store, "ren@example.jp", "田中 蓮").await;
        let open = community(&*store, ren, "開かれた会", "public", "13").await;
        let closed = community(&*store, ren, "会員だけの会", "members", "13").await;
        let t0 = now() - Duration::hours(1);
        thread(&*store, &open, ren, "一つ目", t0).await;
        thread(&*store, &open, ren, "二つ目", t0 + Duration::minutes(1)).await;
        let hidden = thread(&*store, &open, ren, "隠された", t0 + Duration::minutes(2)).await;
        db.execute_with_time(&format!("UPDATE threads SET state = 'hidden' WHERE id = {hidden} AND created_at < $1"), now()).await;
        let (community, threads) = store.community_feed(open.id, 20).await.unwrap().unwrap();
        assert_eq!(community.id, open.id);
        let titles: Vec<&str> = threads.iter().map(|t| t.thread.title.as_str()).collect();
        assert_eq!(titles, ["二つ目", "一つ目"]);
        assert!(store.community_feed(tsunagari_domain::community::CommunityId(999_999), 20).await.unwrap().is_none());

        let soon = now() + Duration::days(3);
        store.create_event(open.id, ren, &event("東京の会", soon, false, Some("13")), now()).await.unwrap();
        store.create_event(open.id, ren, &event("オンラインの会", soon + Duration::hours(1), true, None), now()).await.unwrap();
        store.create_event(open.id, ren, &event("終わった会", now() - Duration::days(3), true, None), now()).await.unwrap();
        store.create_event(closed.id, ren, &event("会員だけの東京の会", soon, false, Some("13")), now()).await.unwrap();
        let all: Vec<String> = store.public_event_feed(None, now(), 50).await.unwrap().iter().map(|e| e.listing.event.details.title.clone()).collect();
        assert_eq!(all, ["東京の会", "オンラインの会"]);
        let tokyo = store.public_event_feed(Prefecture::parse("13"), now(), 50).await.unwrap();
        assert_eq!(tokyo.len(), 1);
        assert_eq!(tokyo[0].listing.event.details.title, "東京の会");
        assert_eq!(tokyo[0].community_name, "開かれた会");
        assert!(tokyo[0].updated_at <= now());
        assert!(store.public_event_feed(Prefecture::parse("15"), now(), 50).await.unwrap().is_empty());
    }
}
