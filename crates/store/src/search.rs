//! What the search index reads: the change log the database's triggers
//! fill, and the searchable rows by id. The SQL is in `sql_search.rs`,
//! shared by both backends.

use async_trait::async_trait;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::event::{Event, EventId};
use tsunagari_domain::public_scheme::PublicScheme;
use tsunagari_domain::search::DocType;
use tsunagari_domain::thread::{Reply, ReplyId, Thread, ThreadId};
use tsunagari_domain::{Timestamp, UserId};

use crate::{CommunityListing, StoreResult};

/// One entry of the change log: this document may have changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchChange {
    /// Its place in the log.
    pub id: i64,
    /// A `DocType` name (unknown names are skipped by readers).
    pub doc_type: String,
    /// The document's id.
    pub doc_id: String,
}

/// A community as search sees it: with its member count and latest
/// thread activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchCommunity {
    /// The community and its counts.
    pub listing: CommunityListing,
    /// When its latest thread was last active.
    pub last_activity: Option<Timestamp>,
}

/// The search index's view of the database.
///
/// The change log is written by triggers (migration `0014_search.sql`),
/// never by this trait: every change to a searchable row logs itself in
/// its own transaction.
#[async_trait]
pub trait SearchStore: Send + Sync {
    /// Up to `limit` log entries with an id above `after`, oldest first.
    async fn search_changes_after(&self, after: i64, limit: i64) -> StoreResult<Vec<SearchChange>>;
    /// The log entries with these ids (those that exist by now).
    async fn search_changes_with_ids(&self, ids: &[i64]) -> StoreResult<Vec<SearchChange>>;
    /// The highest id the log has had (0 when it never had any).
    async fn search_change_head(&self) -> StoreResult<i64>;
    /// The highest id pruned from the log so far.
    async fn search_changes_pruned_through(&self) -> StoreResult<i64>;
    /// Removes entries logged before `before`; returns how many.
    async fn prune_search_changes(&self, before: Timestamp) -> StoreResult<u64>;
    /// Ids of rows of `doc_type` above `after`, ascending, at most `limit`
    /// (for rebuilding; public schemes are read whole with
    /// `PublicSchemeStore::public_schemes`).
    async fn searchable_ids(
        &self,
        doc_type: DocType,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<i64>>;
    /// How many rows a rebuild reads, all types together.
    async fn count_searchable(&self) -> StoreResult<i64>;
    /// Communities by id, with counts and activity.
    async fn communities_for_search(
        &self,
        ids: &[CommunityId],
    ) -> StoreResult<Vec<SearchCommunity>>;
    /// Events by id.
    async fn events_for_search(&self, ids: &[EventId]) -> StoreResult<Vec<Event>>;
    /// Threads by id, whatever their state.
    async fn threads_for_search(&self, ids: &[ThreadId]) -> StoreResult<Vec<Thread>>;
    /// Replies by id, whatever their state.
    async fn replies_for_search(&self, ids: &[ReplyId]) -> StoreResult<Vec<Reply>>;
    /// Public schemes by slug (withdrawn ones are left out).
    async fn public_schemes_for_search(&self, slugs: &[String]) -> StoreResult<Vec<PublicScheme>>;
    /// Directory listings by id that are neither withdrawn nor claimed (a
    /// claimed one is found as its community).
    async fn organisations_for_search(
        &self,
        ids: &[tsunagari_domain::organisation::ListingId],
    ) -> StoreResult<Vec<crate::ListingRecord>>;
    /// The communities in which a person is an active member.
    async fn member_community_ids(&self, user: UserId) -> StoreResult<Vec<CommunityId>>;
}
