//! The signed-in home page, read in one go: a person's communities, their
//! new threads and upcoming events, the latest self-check, what the
//! person's member profiles say, and the communities to weigh for
//! suggestions. The SQL is in `sql_home.rs`, shared by both backends; it
//! reuses the aggregates' column lists so the rows are the same types.

use async_trait::async_trait;
use tsunagari_domain::community::Role;
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::{Timestamp, UserId};

use crate::{CommunityListing, EventListing, SelfCheckRecord, StoreResult, ThreadRecord};

/// How much the home page reads.
#[derive(Debug, Clone, Copy)]
pub struct HomeLimits {
    /// New threads listed.
    pub threads: i64,
    /// Upcoming events of the person's communities listed.
    pub events: i64,
    /// Communities weighed for suggestions.
    pub candidates: i64,
}

/// A thread with the name of its community.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeThread {
    /// The thread.
    pub record: ThreadRecord,
    /// Its community's name.
    pub community_name: String,
}

/// An event with the name of its community.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeEvent {
    /// The event.
    pub listing: EventListing,
    /// Its community's name.
    pub community_name: String,
}

/// What the home page shows, as read for one person.
#[derive(Debug, Clone)]
pub struct HomeRead {
    /// Their active memberships with the communities, by name.
    pub communities: Vec<(CommunityListing, Role)>,
    /// Visible threads of those communities, newest first.
    pub threads: Vec<HomeThread>,
    /// Events of those communities not yet over, soonest first.
    pub events: Vec<HomeEvent>,
    /// Their latest self-check result, if any.
    pub latest_self_check: Option<SelfCheckRecord>,
    /// Occupation and prefecture from their member profiles, most recently
    /// saved first.
    pub profiles: Vec<(String, Option<Prefecture>)>,
    /// Top-level communities they have no membership of (nor a request or
    /// a ban), largest first: the candidates for suggestions.
    pub candidates: Vec<CommunityListing>,
}

/// Reads for the signed-in home page.
#[async_trait]
pub trait HomeStore: Send + Sync {
    /// The home page of `user`, on one pooled connection.
    async fn home_page(
        &self,
        user: UserId,
        now: Timestamp,
        limits: HomeLimits,
    ) -> StoreResult<HomeRead>;
    /// Events starting in `[from, until)` that are online or held in
    /// `prefecture`, of communities `user` may read (public ones and their
    /// own), soonest first.
    async fn events_near(
        &self,
        user: UserId,
        prefecture: Option<Prefecture>,
        from: Timestamp,
        until: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<HomeEvent>>;
}
