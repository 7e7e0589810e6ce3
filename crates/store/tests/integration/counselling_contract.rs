//! The counselling contract on SQLite and PostgreSQL: requests round-trip,
//! the queue's views, assignment only to counsellors, first-response times
//! set by counsellors' messages only, closing, removing a counsellor or
//! deleting their account returns their requests to the queue, and the
//! schema refuses a phone request without a number.

use crate::common::community_with;
use tsunagari_domain::UserId;
use tsunagari_domain::community::{CommunityId, CommunityKind};
use tsunagari_domain::counselling::{
    Channel, RequestDetails, RequestStatus, TopicCategory, response_figures,
};
use tsunagari_domain::time::now;
use tsunagari_store::testing::create_person;
use tsunagari_store::{QueueView, Store};

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

fn phone_request() -> RequestDetails {
    RequestDetails {
        category: TopicCategory::CareerChange,
        topic: "介護職から事務職への転職を考えています。".into(),
        channel: Channel::Phone,
        contact: Some("090-1234-5678".into()),
        preferred_times: "平日 19時以降".into(),
    }
}

tsunagari_store::backend_tests! {
    async fn requests_move_through_the_queue(db: TestDatabase) {
        let store = db.store().await;
        let owner = create_person(&*store, "owner@example.jp", "田中 蓮").await;
        let member = create_person(&*store, "aoi@example.jp", "佐藤 葵").await;
        let counsellor = create_person(&*store, "mei@example.jp", "高橋 芽衣").await;
        let colleague = create_person(&*store, "yui@example.jp", "伊藤 結衣").await;
        let c = union(&*store, owner, &[member, counsellor, colleague]).await;
        assert!(store.add_counsellor(c, counsellor, owner, now()).await.unwrap());
        assert!(!store.add_counsellor(c, counsellor, owner, now()).await.unwrap(), "named once");
        assert!(store.add_counsellor(c, colleague, owner, now()).await.unwrap());
        assert!(store.is_counsellor(c, counsellor).await.unwrap());
        assert!(!store.is_counsellor(c, owner).await.unwrap(), "organisers are not counsellors by office");
        assert_eq!(store.counselled_communities(colleague).await.unwrap(), vec![c]);
        let names: Vec<String> = store.counsellors(c).await.unwrap().into_iter().map(|e| e.display_name).collect();
        assert_eq!(names.len(), 2);

        let request = store.create_request(c, member, &phone_request(), now()).await.unwrap();
        let listing = store.request(request.id).await.unwrap().unwrap();
        assert_eq!(listing.request, request);
        assert_eq!(request.details, phone_request());
        assert_eq!(request.status(), RequestStatus::Unassigned);
        assert_eq!(listing.member_name, "佐藤 葵");
        let second = store.create_request(c, member, &RequestDetails { channel: Channel::Chat, contact: None, ..phone_request() }, now()).await.unwrap();
        let ids = |list: Vec<tsunagari_store::RequestListing>| list.into_iter().map(|l| l.request.id).collect::<Vec<_>>();
        assert_eq!(ids(store.queue(c, QueueView::Unassigned, 10).await.unwrap()), vec![request.id, second.id], "oldest first");

        // The member's messages do not count as an answer; a counsellor's do.
        let note = store.add_counselling_message(request.id, member, false, "よろしくお願いします。", now()).await.unwrap().unwrap();
        assert!(!note.from_counsellor);
        assert_eq!(store.request(request.id).await.unwrap().unwrap().request.first_response_at, None);
        assert!(!store.assign_request(request.id, owner, now()).await.unwrap(), "only to a counsellor");
        assert!(store.assign_request(request.id, counsellor, now()).await.unwrap());
        let assigned = store.request(request.id).await.unwrap().unwrap();
        assert_eq!(assigned.request.status(), RequestStatus::Assigned);
        assert_eq!(assigned.counsellor_name.as_deref(), Some("高橋 芽衣"));
        let first_assigned = assigned.request.assigned_at.unwrap();
        let answer = store.add_counselling_message(request.id, counsellor, true, "担当します。", now()).await.unwrap().unwrap();
        assert_eq!(answer.author_name.as_deref(), Some("高橋 芽衣"));
        let answered = store.request(request.id).await.unwrap().unwrap().request.first_response_at.unwrap();
        store.add_counselling_message(request.id, counsellor, true, "来週お電話します。", now()).await.unwrap();
        assert_eq!(store.request(request.id).await.unwrap().unwrap().request.first_response_at, Some(answered), "the first answer's time stays");
        assert_eq!(store.counselling_messages(request.id).await.unwrap().len(), 3);

        // Reassigning keeps the first assignment's time.
        assert!(store.assign_request(request.id, colleague, now()).await.unwrap());
        assert_eq!(store.request(request.id).await.unwrap().unwrap().request.assigned_at, Some(first_assigned));
        assert_eq!(ids(store.queue(c, QueueView::AssignedTo(colleague), 10).await.unwrap()), vec![request.id]);
        assert_eq!(ids(store.queue(c, QueueView::Assigned, 10).await.unwrap()), vec![request.id]);

        // Removing the counsellor returns their open request to the queue.
        assert!(store.remove_counsellor(c, colleague).await.unwrap());
        assert!(!store.remove_counsellor(c, colleague).await.unwrap());
        assert_eq!(store.request(request.id).await.unwrap().unwrap().request.status(), RequestStatus::Unassigned);

        // Closing.
        assert!(store.close_request(request.id, counsellor, "転職の進め方を整理しました。", now()).await.unwrap());
        assert!(!store.close_request(request.id, counsellor, "二度目", now()).await.unwrap());
        assert!(store.add_counselling_message(request.id, member, false, "ありがとうございました", now()).await.unwrap().is_none(), "closed");
        assert!(!store.assign_request(request.id, counsellor, now()).await.unwrap());
        let closed = store.request(request.id).await.unwrap().unwrap().request;
        assert_eq!(closed.status(), RequestStatus::Closed);
        assert_eq!(closed.summary.as_deref(), Some("転職の進め方を整理しました。"));
        assert_eq!(ids(store.queue(c, QueueView::Closed, 10).await.unwrap()), vec![request.id]);

        // A counsellor's deleted account leaves the request in the queue.
        store.assign_request(second.id, counsellor, now()).await.unwrap();
        store.add_counselling_message(second.id, counsellor, true, "こんにちは", now()).await.unwrap();
        assert!(store.delete_account(counsellor).await.unwrap());
        let orphan = store.request(second.id).await.unwrap().unwrap();
        assert_eq!(orphan.request.status(), RequestStatus::Unassigned);
        assert_eq!(store.counselling_messages(second.id).await.unwrap()[0].author, None);

        let times = store.request_times(c).await.unwrap();
        assert_eq!(times.len(), 2);
        assert_eq!(times.iter().filter(|t| t.closed).count(), 1);
        assert_eq!(response_figures(&times).median_to_assignment, None, "two requests are too few to show");

        assert_eq!(store.requests_of(member).await.unwrap().len(), 2);
        // The member's requests go with their account.
        assert!(store.delete_account(member).await.unwrap());
        assert!(store.request(request.id).await.unwrap().is_none());
        assert!(store.requests_of(member).await.unwrap().is_empty());
    }

    async fn the_schema_refuses_a_phone_request_without_a_number(db: TestDatabase) {
        let store = db.store().await;
        let owner = create_person(&*store, "owner@example.jp", "田中 蓮").await;
        let c = union(&*store, owner, &[]).await;
        let refused = db.try_execute_with_time(&format!(
            "INSERT INTO counselling_requests (community_id, member_id, category, topic, channel, contact, created_at)
             VALUES ({}, {}, 'skills', '資格の相談', 'phone', NULL, $1)", c.0, owner.0), now()).await;
        assert!(refused.is_err());
        let refused = db.try_execute_with_time(&format!(
            "INSERT INTO counselling_requests (community_id, member_id, category, topic, channel, contact, created_at)
             VALUES ({}, {}, 'skills', '資格の相談', 'chat', '090-1234-5678', $1)", c.0, owner.0), now()).await;
        assert!(refused.is_err(), "chat keeps no contact");
        let refused = db.try_execute_with_time(&format!(
            "INSERT INTO counselling_requests (community_id, member_id, category, topic, channel, created_at, closed_at)
             VALUES ({}, {}, 'skills', '資格の相談', 'chat', $1, $1)", c.0, owner.0), now()).await;
        assert!(refused.is_err(), "closed without a summary");
    }
}
