//! What every handler can reach.

use std::sync::Arc;

use tsunagari_app::Ballots;
use tsunagari_app::{
    Accounts, Communities, CommunityTools, Counselling, Events, Feeds, Fund, Home, Notifications,
    Organisations, Petitions, PublicSchemes, Search, SelfChecks, SiteOperators, Threads,
};
use tsunagari_app::{Opinions, Shares};

use crate::config::ServerConfig;
use crate::metrics::Metrics;

/// Shared, cheap-to-clone application state. Holds nothing another server
/// would need to know: sessions, counters and locks are in the database.
#[derive(Clone)]
pub struct AppState {
    /// Account use cases (and through them the store).
    pub accounts: Accounts,
    /// Community use cases.
    pub communities: Communities,
    /// Notification use cases.
    pub notifications: Notifications,
    /// Thread, moderation and audit-log use cases.
    pub threads: Threads,
    /// Event use cases.
    pub events: Events,
    /// The career self-check.
    pub self_checks: SelfChecks,
    /// The public-help directory (公助).
    pub public_schemes: PublicSchemes,
    /// Which community tools are on, and the gate each tool passes first.
    pub tools: CommunityTools,
    /// The co-op share register.
    pub shares: Shares,
    /// The opinion box.
    pub opinions: Opinions,
    /// The directory of real organisations and claims on it.
    pub organisations: Organisations,
    /// The site operator role.
    pub operators: SiteOperators,
    /// The signed-in home page.
    pub home: Home,
    /// Atom feeds.
    pub feeds: Feeds,
    /// Server settings.
    pub config: Arc<ServerConfig>,
    /// This process's request metrics.
    pub metrics: Arc<Metrics>,
    /// Proposals and ballots.
    pub ballots: Ballots,
    /// Union counselling requests.
    pub counselling: Counselling,
    /// Union petitions.
    pub petitions: Petitions,
    /// Union solidarity funds.
    pub fund: Fund,
    /// Full-text search and this server's index.
    pub search: Search,
}
