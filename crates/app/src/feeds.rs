//! Atom feeds: a public community's announcements and new threads, and the
//! upcoming events of public communities (all, or those held in one
//! prefecture). A members-only community has no feed: a feed reader is
//! nobody's session, so it sees what a signed-out visitor sees.

use std::sync::Arc;

use tsunagari_domain::community::{self, Community, CommunityId};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::time::now;
use tsunagari_store::{FeedEvent, Store, ThreadRecord};

use crate::AppError;

/// Entries in a community's feed.
pub const COMMUNITY_FEED_ENTRIES: i64 = 50;
/// Entries in an events feed.
pub const EVENT_FEED_ENTRIES: i64 = 100;

/// The feed use cases.
#[derive(Clone)]
pub struct Feeds {
    store: Arc<dyn Store>,
}

impl Feeds {
    /// The use cases over a store.
    pub fn new(store: Arc<dyn Store>) -> Feeds {
        Feeds { store }
    }

    /// A community's newest visible threads (announcements among them);
    /// `NotFound` for an unknown or members-only community.
    pub async fn community(
        &self,
        id: CommunityId,
    ) -> Result<(Community, Vec<ThreadRecord>), AppError> {
        let (community, threads) = self
            .store
            .community_feed(id, COMMUNITY_FEED_ENTRIES)
            .await?
            .ok_or(AppError::NotFound)?;
        if !community::can_read(community.profile.visibility, None) {
            return Err(AppError::NotFound);
        }
        Ok((community, threads))
    }

    /// Upcoming events of public communities, soonest first; those held in
    /// `prefecture` when given.
    pub async fn events(&self, prefecture: Option<Prefecture>) -> Result<Vec<FeedEvent>, AppError> {
        Ok(self
            .store
            .public_event_feed(prefecture, now(), EVENT_FEED_ENTRIES)
            .await?)
    }
}
