//! Reads for the Atom feeds: a community's newest threads and announcements,
//! and the upcoming events of public communities. The SQL is in
//! `sql_feeds.rs`, shared by both backends. Who may have a feed (public
//! communities only) is decided by the app with the domain's `can_read`.

use async_trait::async_trait;
use tsunagari_domain::Timestamp;
use tsunagari_domain::community::{Community, CommunityId};
use tsunagari_domain::region::Prefecture;

use crate::{EventListing, StoreResult, ThreadRecord};

/// An event as a feed lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    /// The event.
    pub listing: EventListing,
    /// Its community's name.
    pub community_name: String,
    /// Its last edit.
    pub updated_at: Timestamp,
}

/// Reads for feeds.
#[async_trait]
pub trait FeedStore: Send + Sync {
    /// A community and its visible threads (announcements among them),
    /// newest first; `None` for an unknown id.
    async fn community_feed(
        &self,
        id: CommunityId,
        limit: i64,
    ) -> StoreResult<Option<(Community, Vec<ThreadRecord>)>>;
    /// Events of public communities not yet over, soonest first; only
    /// those held in `prefecture` when given.
    async fn public_event_feed(
        &self,
        prefecture: Option<Prefecture>,
        now: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<FeedEvent>>;
}
