//! The opinion-box store contract on SQLite and PostgreSQL: status and
//! first response read from the append-only history, anonymous authors'
//! names never selected, and the history kept when accounts go.

use crate::common::community_with;
use chrono::Duration;
use tsunagari_domain::UserId;
use tsunagari_domain::community::{CommunityId, CommunityKind};
use tsunagari_domain::notification::{NewNotification, NotificationKind};
use tsunagari_domain::opinion::{NewOpinion, NewResponse, OpinionStatus};
use tsunagari_domain::time::now;
use tsunagari_store::testing::create_person;
use tsunagari_store::{OpinionFilter, Store};

async fn community(store: &dyn Store, owner: UserId, members: &[UserId]) -> CommunityId {
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

fn opinion(title: &str, anonymous: bool) -> NewOpinion {
    NewOpinion {
        title: title.into(),
        body: "週末の夜勤が二人体制だと休憩が取れません。\n三人にできないでしょうか。".into(),
        anonymous,
    }
}

fn response(status: OpinionStatus, body: &str) -> NewResponse {
    NewResponse {
        status,
        body: body.into(),
    }
}

tsunagari_store::backend_tests! {
    async fn status_and_first_response_come_from_the_history(db: TestDatabase) {
        let store = db.store().await;
        let owner = create_person(store.as_ref(), "owner@example.jp", "佐藤 葵").await;
        let mei = create_person(store.as_ref(), "mei@example.jp", "高橋 芽衣").await;
        let ren = create_person(store.as_ref(), "ren@example.jp", "田中 蓮").await;
        let c = community(store.as_ref(), owner, &[mei, ren]).await;
        let start = now() - Duration::days(10);
        let named = store.create_opinion(c, mei, &opinion("夜勤の人数", false), start, 5).await.unwrap().unwrap();
        let hidden = store.create_opinion(c, ren, &opinion("休憩室の場所", true), start + Duration::days(1), 5).await.unwrap().unwrap();
        let later = store.create_opinion(c, mei, &opinion("研修の日程", false), start + Duration::days(2), 5).await.unwrap().unwrap();

        let listing = store.opinion(named.id).await.unwrap().unwrap();
        assert_eq!(listing.opinion, named);
        assert_eq!(listing.status, OpinionStatus::Received);
        assert_eq!(listing.first_response_at, None);
        assert_eq!(listing.author_name.as_deref(), Some("高橋 芽衣"));
        let anonymous = store.opinion(hidden.id).await.unwrap().unwrap();
        assert_eq!(anonymous.opinion.author, Some(ren), "kept for abuse controls");
        assert_eq!(anonymous.author_name, None, "the name of an anonymous author is never selected");

        let first_at = start + Duration::days(3);
        store.add_opinion_response(named.id, owner, &response(OpinionStatus::UnderDiscussion, ""), first_at).await.unwrap();
        let adopted = store
            .add_opinion_response(named.id, owner, &response(OpinionStatus::Adopted, "来月から三人体制にします。"), first_at + Duration::days(4))
            .await
            .unwrap();
        let listing = store.opinion(named.id).await.unwrap().unwrap();
        assert_eq!(listing.status, OpinionStatus::Adopted, "the latest response sets the status");
        assert_eq!(listing.first_response_at, Some(first_at));
        assert_eq!(listing.responses, 2);
        let history = store.opinion_responses(named.id).await.unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[1].response, adopted);
        assert_eq!(history[0].responder_name.as_deref(), Some("佐藤 葵"));

        // Lists: all newest first, one person's, unanswered oldest first.
        let all = store.opinions(c, OpinionFilter::All, 100).await.unwrap();
        assert_eq!(all.iter().map(|l| l.opinion.id).collect::<Vec<_>>(), vec![later.id, hidden.id, named.id]);
        let meis = store.opinions(c, OpinionFilter::By(mei), 100).await.unwrap();
        assert_eq!(meis.iter().map(|l| l.opinion.id).collect::<Vec<_>>(), vec![later.id, named.id]);
        let waiting = store.opinions(c, OpinionFilter::Unanswered, 100).await.unwrap();
        assert_eq!(waiting.iter().map(|l| l.opinion.id).collect::<Vec<_>>(), vec![hidden.id, later.id]);
        assert!(waiting.iter().all(|l| l.status == OpinionStatus::Received));

        let timings = store.opinion_timings(c).await.unwrap();
        assert_eq!(timings.len(), 3);
        assert_eq!(timings[0], (start, Some(first_at), OpinionStatus::Adopted));
        let mine = store.opinions_of(ren).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].0, "ワーカーズコープ あおぞら");
        assert!(mine[0].1.opinion.anonymous && mine[0].2.is_empty());
        assert_eq!(store.opinions_of(mei).await.unwrap()[0].2.len(), 2);

        // The author of an answered opinion can be told.
        let notice = NewNotification::new(NotificationKind::OpinionAnswered, "夜勤の人数", &format!("/opinions/{}", named.id.0)).unwrap();
        store.notify(&[mei], &notice, now()).await.unwrap();
        let notifications = store.notifications_of(mei, 10).await.unwrap();
        assert_eq!(notifications[0].kind, NotificationKind::OpinionAnswered);
    }

    async fn a_day_holds_a_limited_number_of_opinions_per_author(db: TestDatabase) {
        let store = db.store().await;
        let owner = create_person(store.as_ref(), "owner@example.jp", "佐藤 葵").await;
        let mei = create_person(store.as_ref(), "mei@example.jp", "高橋 芽衣").await;
        let ren = create_person(store.as_ref(), "ren@example.jp", "田中 蓮").await;
        let c = community(store.as_ref(), owner, &[mei, ren]).await;
        let other = community(store.as_ref(), owner, &[mei]).await;
        let start = now() - Duration::hours(30);
        // Three a day and a half ago fall out of the window; then three
        // within it, anonymous ones counted like the others.
        for n in 0..3 {
            assert!(store.create_opinion(c, mei, &opinion("古い意見", n % 2 == 0), start + Duration::minutes(n), 3).await.unwrap().is_some());
        }
        let recent = now() - Duration::hours(2);
        for n in 0..3 {
            assert!(store.create_opinion(c, mei, &opinion("今日の意見", n % 2 == 1), recent + Duration::minutes(n), 3).await.unwrap().is_some(), "{n}");
        }
        assert!(store.create_opinion(c, mei, &opinion("四つ目", true), now(), 3).await.unwrap().is_none(), "the fourth in 24 hours is refused");
        assert!(store.create_opinion(c, ren, &opinion("別の人", true), now(), 3).await.unwrap().is_some(), "another author has their own count");
        assert!(store.create_opinion(other, mei, &opinion("別の会", false), now(), 3).await.unwrap().is_some(), "another community has its own count");
        let stored = db.column_as_text(&format!("SELECT title FROM opinions WHERE community_id = {} AND author_id = {}", c.0, mei.0)).await;
        assert_eq!(stored.len(), 6, "nothing refused was stored: {stored:?}");
        assert!(store.create_opinion(c, mei, &opinion("翌日", false), recent + Duration::hours(24) + Duration::minutes(1), 3).await.unwrap().is_some(), "a day later the oldest has left the window");
    }

    async fn the_history_is_append_only_and_outlives_accounts(db: TestDatabase) {
        let store = db.store().await;
        let owner = create_person(store.as_ref(), "owner@example.jp", "佐藤 葵").await;
        let organiser = create_person(store.as_ref(), "org@example.jp", "鈴木 陽翔").await;
        let mei = create_person(store.as_ref(), "mei@example.jp", "高橋 芽衣").await;
        let c = community(store.as_ref(), owner, &[organiser, mei]).await;
        let sent = store.create_opinion(c, mei, &opinion("夜勤の人数", true), now(), 5).await.unwrap().unwrap();
        store.add_opinion_response(sent.id, organiser, &response(OpinionStatus::Declined, "予算が足りないためです。"), now()).await.unwrap();
        for sql in [
            "UPDATE opinion_responses SET created_at = $1",
            "UPDATE opinion_responses SET responded_by = NULL, body = 'x' WHERE created_at <> $1",
            "DELETE FROM opinion_responses WHERE created_at <> $1",
        ] {
            assert!(db.try_execute_with_time(sql, now()).await.is_err(), "{sql} must be refused");
        }
        // A decline needs its reason in the schema too.
        let insert = format!(
            "INSERT INTO opinion_responses (opinion_id, status, body, responded_by, created_at) VALUES ({}, 'declined', '', NULL, $1)",
            sent.id.0
        );
        assert!(db.try_execute_with_time(&insert, now()).await.is_err());

        assert!(store.delete_account(organiser).await.unwrap());
        assert!(store.delete_account(mei).await.unwrap());
        let listing = store.opinion(sent.id).await.unwrap().unwrap();
        assert_eq!(listing.opinion.author, None);
        assert_eq!(listing.status, OpinionStatus::Declined);
        let history = store.opinion_responses(sent.id).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].response.responded_by, None);
        assert_eq!(history[0].response.body, "予算が足りないためです。", "nothing else changed");
    }
}
