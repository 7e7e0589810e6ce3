//! The opinion box: records and the store trait. The SQL is in
//! `sql_opinions.rs`, shared by both backends.

use async_trait::async_trait;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::opinion::{
    NewOpinion, NewResponse, Opinion, OpinionId, OpinionResponse, OpinionStatus,
};
use tsunagari_domain::{Timestamp, UserId};

use crate::StoreResult;

/// An opinion with what its history says, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionListing {
    /// The opinion, author included (the app decides who may see it).
    pub opinion: Opinion,
    /// The author's display name; always `None` for anonymous opinions, so
    /// the name of an anonymous author never leaves the database.
    pub author_name: Option<String>,
    /// The status its latest response set (*received* without one).
    pub status: OpinionStatus,
    /// When the first response came.
    pub first_response_at: Option<Timestamp>,
    /// How many responses it has.
    pub responses: i64,
}

/// A response with the responder's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRecord {
    /// The response.
    pub response: OpinionResponse,
    /// The organiser's display name, while the account exists.
    pub responder_name: Option<String>,
}

/// Which opinions of a community to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpinionFilter {
    /// All, newest first.
    All,
    /// One person's, newest first.
    By(UserId),
    /// Those nobody has responded to yet, oldest first.
    Unanswered,
}

/// Opinions and the responses to them. Responses are append-only: the
/// trait has no method to change or delete one, and the database refuses
/// both; status and first response are read from them, never stored.
#[async_trait]
pub trait OpinionStore: Send + Sync {
    /// Stores a new opinion, unless its author has sent `per_day` or more
    /// to this community in the 24 hours before `now` (then `None`).
    async fn create_opinion(
        &self,
        community: CommunityId,
        author: UserId,
        opinion: &NewOpinion,
        now: Timestamp,
        per_day: i64,
    ) -> StoreResult<Option<Opinion>>;
    /// One opinion with its derived status.
    async fn opinion(&self, id: OpinionId) -> StoreResult<Option<OpinionListing>>;
    /// Opinions of a community, at most `limit`.
    async fn opinions(
        &self,
        community: CommunityId,
        filter: OpinionFilter,
        limit: i64,
    ) -> StoreResult<Vec<OpinionListing>>;
    /// Appends a response.
    async fn add_opinion_response(
        &self,
        opinion: OpinionId,
        by: UserId,
        response: &NewResponse,
        now: Timestamp,
    ) -> StoreResult<OpinionResponse>;
    /// The history of an opinion, oldest first.
    async fn opinion_responses(&self, opinion: OpinionId) -> StoreResult<Vec<ResponseRecord>>;
    /// Submission time, first response time and status of every opinion of
    /// a community (for the figures).
    async fn opinion_timings(
        &self,
        community: CommunityId,
    ) -> StoreResult<Vec<(Timestamp, Option<Timestamp>, OpinionStatus)>>;
    /// Every opinion a person wrote, oldest first, with the community's
    /// name and the history (for the data export).
    async fn opinions_of(
        &self,
        user: UserId,
    ) -> StoreResult<Vec<(String, OpinionListing, Vec<OpinionResponse>)>>;
}
