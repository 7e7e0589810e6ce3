//! Reads that serve one busy page in one go.
//!
//! A community's front page is the most visited page of the site. Reading
//! it through the per-aggregate traits costs a pool checkout per query; here
//! the whole read shares one connection. The SQL is the same as the
//! aggregates' own (see `sql_pages.rs`).

use async_trait::async_trait;
use tsunagari_domain::community::{Community, CommunityId, Membership};
use tsunagari_domain::{Timestamp, UserId};

use crate::{CommunityListing, EventListing, StoreResult, ThreadRecord};

/// What a community's front page shows, as read for one viewer.
#[derive(Debug, Clone)]
pub struct CommunityFrontPage {
    /// The community with its counts.
    pub listing: CommunityListing,
    /// The viewer's membership, if any.
    pub membership: Option<Membership>,
    /// The community this one belongs to, for a sub-group.
    pub parent: Option<Community>,
    /// Its sub-groups.
    pub subgroups: Vec<CommunityListing>,
    /// Latest threads and upcoming events; `None` when the viewer may not
    /// read the community's content.
    pub content: Option<FrontPageContent>,
}

/// The readable part of a front page.
#[derive(Debug, Clone)]
pub struct FrontPageContent {
    /// Threads, pinned first then by latest activity; hidden and removed
    /// ones only for organisers.
    pub threads: Vec<ThreadRecord>,
    /// Events not yet over, soonest first.
    pub upcoming: Vec<EventListing>,
}

/// How much a front page lists.
#[derive(Debug, Clone, Copy)]
pub struct FrontPageLimits {
    /// Threads listed.
    pub threads: i64,
    /// Upcoming events listed.
    pub events: i64,
}

/// Reads for busy pages.
#[async_trait]
pub trait PageStore: Send + Sync {
    /// A community's front page for `viewer`, or `None` for an unknown id.
    /// Who may read the content is decided by the domain's rule.
    async fn community_front_page(
        &self,
        id: CommunityId,
        viewer: Option<UserId>,
        now: Timestamp,
        limits: FrontPageLimits,
    ) -> StoreResult<Option<CommunityFrontPage>>;
}
