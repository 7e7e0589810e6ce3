//! Counselling requests, their private threads and the union's counsellors:
//! records and the store trait. SQL in `sql_counselling.rs`, shared by both
//! backends.

use async_trait::async_trait;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::counselling::{CounsellingRequest, RequestDetails, RequestId, RequestTimes};
use tsunagari_domain::{Timestamp, UserId};

use crate::StoreResult;

/// A counsellor of a union, with their name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounsellorEntry {
    /// The person.
    pub user_id: UserId,
    /// Their display name.
    pub display_name: String,
}

/// A request with the names a list needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestListing {
    /// The request.
    pub request: CounsellingRequest,
    /// The member's display name.
    pub member_name: String,
    /// The assigned counsellor's display name.
    pub counsellor_name: Option<String>,
    /// The union's name.
    pub community_name: String,
}

/// One message of a request's private thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounsellingMessage {
    /// Id.
    pub id: i64,
    /// The request.
    pub request_id: RequestId,
    /// Who wrote it (`None` once their account is deleted).
    pub author: Option<UserId>,
    /// Their display name then.
    pub author_name: Option<String>,
    /// Whether a counsellor wrote it (not the member).
    pub from_counsellor: bool,
    /// The text.
    pub body: String,
    /// When.
    pub created_at: Timestamp,
}

/// Which part of a union's queue to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueView {
    /// Open and not assigned to anyone, oldest first.
    Unassigned,
    /// Open and assigned to this counsellor, oldest first.
    AssignedTo(UserId),
    /// Open and assigned to anyone, oldest first.
    Assigned,
    /// Closed, latest first.
    Closed,
}

/// Counselling requests and who answers them.
#[async_trait]
pub trait CounsellingStore: Send + Sync {
    /// A union's counsellors, by name.
    async fn counsellors(&self, community: CommunityId) -> StoreResult<Vec<CounsellorEntry>>;
    /// Whether a person is a counsellor of a union.
    async fn is_counsellor(&self, community: CommunityId, user: UserId) -> StoreResult<bool>;
    /// The unions a person counsels for.
    async fn counselled_communities(&self, user: UserId) -> StoreResult<Vec<CommunityId>>;
    /// Names a counsellor; false when they already were one.
    async fn add_counsellor(
        &self,
        community: CommunityId,
        user: UserId,
        by: UserId,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Removes a counsellor and returns the open requests they held to the
    /// queue, in one transaction; false when they were not one.
    async fn remove_counsellor(&self, community: CommunityId, user: UserId) -> StoreResult<bool>;
    /// Files a request.
    async fn create_request(
        &self,
        community: CommunityId,
        member: UserId,
        details: &RequestDetails,
        now: Timestamp,
    ) -> StoreResult<CounsellingRequest>;
    /// One request with names.
    async fn request(&self, id: RequestId) -> StoreResult<Option<RequestListing>>;
    /// A member's own requests in every union, newest first.
    async fn requests_of(&self, member: UserId) -> StoreResult<Vec<RequestListing>>;
    /// Part of a union's queue.
    async fn queue(
        &self,
        community: CommunityId,
        view: QueueView,
        limit: i64,
    ) -> StoreResult<Vec<RequestListing>>;
    /// Gives an open request to a counsellor of its union (the first
    /// assignment's time is kept for the figures). False when the request is
    /// closed or gone, or the person is not a counsellor there.
    async fn assign_request(
        &self,
        id: RequestId,
        counsellor: UserId,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Adds a message to an open request's thread (a counsellor's first one
    /// sets the first-response time). `None` when the request is closed or gone.
    async fn add_counselling_message(
        &self,
        id: RequestId,
        author: UserId,
        from_counsellor: bool,
        body: &str,
        now: Timestamp,
    ) -> StoreResult<Option<CounsellingMessage>>;
    /// The thread, oldest first.
    async fn counselling_messages(&self, id: RequestId) -> StoreResult<Vec<CounsellingMessage>>;
    /// Closes an open request with a summary; false when it was closed or gone.
    async fn close_request(
        &self,
        id: RequestId,
        by: UserId,
        summary: &str,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// The times every request of a union was made, assigned and answered.
    async fn request_times(&self, community: CommunityId) -> StoreResult<Vec<RequestTimes>>;
}
