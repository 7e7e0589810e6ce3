//! Persistence for tsunagari.
//!
//! Each aggregate has a trait (`AccountStore`, `SessionStore`,
//! `ApiTokenStore`, `LoginThrottleStore`, `CommunityStore`, `EventStore`,
//! `PublicSchemeStore`, …);
//! `Store` bundles them with the operations on the database as a whole. Two
//! implementations exist,
//! `SqliteStore` (the embedded default) and `PostgresStore`, and the same
//! contract tests (`tests/contract.rs`) run against both.
//!
//! The two backends share their query code (see `sql.rs`): the SQL we write
//! is the common subset of both dialects, with `$n` placeholders that
//! SQLite also understands, and times passed in from Rust rather than taken
//! from the database clock. Schemas and migrations are kept per backend
//! because their types differ (`TIMESTAMPTZ` and identity columns on
//! PostgreSQL).
//!
//! This crate knows the domain types but nothing of HTTP. Invariants live in
//! the schema too (unique e-mail, check constraints, cascades), and their
//! violations come back as typed `StoreError`s.
#![deny(missing_docs)]

use std::sync::Arc;

use async_trait::async_trait;
use tsunagari_domain::{
    Account, DisplayName, Email, Locale, PasswordHash, SessionId, Timestamp, TokenHash, UserId,
    UserTimeZone,
};

mod ballots;
mod communities;
mod counselling;
mod directory;
mod events;
mod export;
mod feeds;
mod fund;
mod home;
mod notifications;
mod opinions;
mod organisations;
mod pages;
mod petitions;
mod postgres;
mod public_schemes;
mod search;
mod self_check;
mod shares;
mod sql;
mod sql_ballots;
mod sql_communities;
mod sql_counselling;
mod sql_directory;
mod sql_events;
mod sql_feeds;
mod sql_fund;
mod sql_home;
mod sql_notifications;
mod sql_opinions;
mod sql_organisations;
mod sql_pages;
mod sql_petitions;
mod sql_public_schemes;
mod sql_search;
mod sql_self_check;
mod sql_shares;
mod sql_threads;
mod sql_tools;
mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;
mod threads;
mod tools;

pub use ballots::{
    BallotCounts, BallotListing, BallotStore, Participation, ParticipationRecord, VoteRecorded,
};
pub use communities::{CommunityFilter, CommunityListing, CommunityStore, MemberEntry};
pub use counselling::{
    CounsellingMessage, CounsellingStore, CounsellorEntry, QueueView, RequestListing,
};
pub use directory::{DirectoryStore, VolunteerRoleEntry};
pub use events::{Cancellation, EventListing, EventStore, RsvpEntry};
pub use export::{AuthoredPost, ExportStore};
pub use feeds::{FeedEvent, FeedStore};
pub use fund::{
    DecisionEntry, DecisionResult, FundSettings, FundStore, FundSummary, LedgerRecord, Payout,
    SUMMARY_PAYOUTS, SettleResult,
};
pub use home::{HomeEvent, HomeLimits, HomeRead, HomeStore, HomeThread};
pub use notifications::NotificationStore;
pub use opinions::{OpinionFilter, OpinionListing, OpinionStore, ResponseRecord};
pub use organisations::{
    ApprovedClaim, ClaimEntry, ListingFilter, ListingRecord, OrganisationStore, SiteOperatorStore,
};
pub use pages::{CommunityFrontPage, FrontPageContent, FrontPageLimits, PageStore};
pub use petitions::{PetitionListing, PetitionStore, PetitionUpdate, Signature};
pub use postgres::PostgresStore;
pub use public_schemes::{CatalogueChange, CatalogueSource, PublicSchemeStore, SchemeFilter};
pub use search::{SearchChange, SearchCommunity, SearchStore};
pub use self_check::{
    DraftOwner, SelfCheckDraft, SelfCheckRecord, SelfCheckStore, SelfCheckSummary,
};
pub use shares::{
    HolderBalance, NewShareEntry, ShareEntryRecord, ShareRegisterRecord, ShareRegisterStore,
    ShareTotals,
};
pub use sqlite::SqliteStore;
pub use threads::{
    AuditLogStore, AuditRecord, NewThread, PostChange, ReplyRecord, ReportEntry, ThreadRecord,
    ThreadStore,
};
pub use tools::CommunityToolStore;

/// A failure of the store. Callers match on the kinds they can act on;
/// everything else is a fault to log and report as such.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was broken.
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    /// The database could not be reached.
    #[error("the database cannot be reached: {0}")]
    Unavailable(String),
    /// Stored data could not be turned back into domain values.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// Applying migrations failed.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The operation does not exist on this backend.
    #[error("{0}")]
    Unsupported(&'static str),
}

/// Which uniqueness rule a write broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    /// Another account has this e-mail address.
    EmailTaken,
    /// The person already has a membership (active, pending or banned).
    AlreadyMember,
    /// The community already has a volunteer role with this name.
    RoleNameTaken,
    /// The person already reported this post.
    AlreadyReported,
    /// The person is already registered for the event.
    AlreadyRegistered,
    /// A new capacity would take confirmed places away.
    CapacityBelowConfirmed,
    /// The person already signed the petition.
    AlreadySigned,
    /// The directory listing is already a community on this server.
    ListingClaimed,
    /// The person already has a claim waiting for this listing.
    ClaimPending,
    /// The claim was approved, declined or superseded already.
    ClaimDecided,
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed => StoreError::Unavailable(error.to_string()),
            other => StoreError::Database(other),
        }
    }
}

/// Result alias for store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// What is needed to create an account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Sign-in address.
    pub email: Email,
    /// Public name.
    pub display_name: DisplayName,
    /// argon2id hash of the chosen password.
    pub password_hash: PasswordHash,
    /// Interface language.
    pub locale: Locale,
    /// Display time zone.
    pub time_zone: UserTimeZone,
    /// Creation time.
    pub now: Timestamp,
}

/// The values a person edits on their settings page.
#[derive(Debug, Clone)]
pub struct ProfileUpdate {
    /// Public name.
    pub display_name: DisplayName,
    /// Interface language.
    pub locale: Locale,
    /// Display time zone.
    pub time_zone: UserTimeZone,
}

/// A signed-in session as stored (without its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Id, for listing and ending.
    pub id: SessionId,
    /// Whose session it is.
    pub user_id: UserId,
    /// Sign-in time.
    pub created_at: Timestamp,
    /// Last request made with it (refreshed at most once a minute).
    pub last_seen_at: Timestamp,
    /// Absolute end.
    pub expires_at: Timestamp,
    /// Browser, as it described itself, to help the person recognise it.
    pub user_agent: String,
    /// Address it signed in from.
    pub client_ip: String,
}

/// A session to store at sign-in.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// Whose session it is.
    pub user_id: UserId,
    /// Digest of the cookie secret.
    pub token_hash: TokenHash,
    /// Sign-in time.
    pub created_at: Timestamp,
    /// Absolute end.
    pub expires_at: Timestamp,
    /// Browser description.
    pub user_agent: String,
    /// Client address.
    pub client_ip: String,
}

/// A personal access token as stored (without its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenRecord {
    /// Id, for listing and revoking.
    pub id: i64,
    /// Whose token it is.
    pub user_id: UserId,
    /// What the person called it.
    pub label: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it was last used (refreshed at most once a minute).
    pub last_used_at: Option<Timestamp>,
}

/// The failure count and lock of one throttle key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThrottleRecord {
    /// Consecutive failures within the memory window.
    pub failures: u32,
    /// Logins refused until then.
    pub locked_until: Option<Timestamp>,
}

/// Accounts: the people who use the platform.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account; `Conflict::EmailTaken` when the address is in use.
    async fn create_account(&self, account: &NewAccount) -> StoreResult<Account>;
    /// Looks an account up by id.
    async fn account(&self, id: UserId) -> StoreResult<Option<Account>>;
    /// Looks an account up by sign-in address, with its password hash.
    async fn account_with_password(
        &self,
        email: &Email,
    ) -> StoreResult<Option<(Account, PasswordHash)>>;
    /// The password hash of an account.
    async fn password_hash(&self, id: UserId) -> StoreResult<Option<PasswordHash>>;
    /// Replaces the password hash.
    async fn set_password_hash(
        &self,
        id: UserId,
        hash: &PasswordHash,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// Saves name, language and time zone.
    async fn update_profile(
        &self,
        id: UserId,
        profile: &ProfileUpdate,
        now: Timestamp,
    ) -> StoreResult<Account>;
    /// Deletes an account and, through the schema's cascades, everything
    /// that is only about it. Returns false when there was no such account.
    async fn delete_account(&self, id: UserId) -> StoreResult<bool>;
    /// How many accounts exist.
    async fn count_accounts(&self) -> StoreResult<i64>;
}

/// Signed-in browser sessions.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Stores a new session.
    async fn create_session(&self, session: &NewSession) -> StoreResult<SessionRecord>;
    /// Finds a session by the digest of its secret.
    async fn session_by_token(&self, token: &TokenHash) -> StoreResult<Option<SessionRecord>>;
    /// Records that a session was used.
    async fn touch_session(&self, id: SessionId, now: Timestamp) -> StoreResult<()>;
    /// A person's sessions, newest first.
    async fn sessions_of(&self, user: UserId) -> StoreResult<Vec<SessionRecord>>;
    /// Ends one of a person's sessions; false when it was not theirs or gone.
    async fn delete_session(&self, user: UserId, id: SessionId) -> StoreResult<bool>;
    /// Ends all of a person's sessions but `keep`; returns how many ended.
    async fn delete_other_sessions(
        &self,
        user: UserId,
        keep: Option<SessionId>,
    ) -> StoreResult<u64>;
    /// Removes sessions past their absolute end or idle since `idle_before`.
    async fn delete_expired_sessions(
        &self,
        now: Timestamp,
        idle_before: Timestamp,
    ) -> StoreResult<u64>;
}

/// Personal access tokens for the JSON API.
#[async_trait]
pub trait ApiTokenStore: Send + Sync {
    /// Stores a new token.
    async fn create_api_token(
        &self,
        user: UserId,
        token: &TokenHash,
        label: &str,
        now: Timestamp,
    ) -> StoreResult<ApiTokenRecord>;
    /// Finds a token by the digest of its secret.
    async fn api_token(&self, token: &TokenHash) -> StoreResult<Option<ApiTokenRecord>>;
    /// Records that a token was used.
    async fn touch_api_token(&self, id: i64, now: Timestamp) -> StoreResult<()>;
    /// A person's tokens, newest first.
    async fn api_tokens_of(&self, user: UserId) -> StoreResult<Vec<ApiTokenRecord>>;
    /// Revokes a token; false when it was not theirs or gone.
    async fn delete_api_token(&self, user: UserId, id: i64) -> StoreResult<bool>;
}

/// Failed-login counters, shared by every server that uses the database.
#[async_trait]
pub trait LoginThrottleStore: Send + Sync {
    /// The current count and lock for a key.
    async fn throttle(&self, key: &str) -> StoreResult<ThrottleRecord>;
    /// Counts one more failure, atomically, starting again from one when the
    /// last failure was before `forget_before`. Returns the new count.
    async fn record_failure(
        &self,
        key: &str,
        now: Timestamp,
        forget_before: Timestamp,
    ) -> StoreResult<u32>;
    /// Locks a key until the given time.
    async fn lock(&self, key: &str, until: Timestamp) -> StoreResult<()>;
    /// Forgets a key's failures (after a successful login).
    async fn clear(&self, key: &str) -> StoreResult<()>;
}

/// The whole store: every aggregate plus operations on the database itself.
#[async_trait]
pub trait Store:
    AccountStore
    + SessionStore
    + ApiTokenStore
    + LoginThrottleStore
    + CommunityStore
    + NotificationStore
    + DirectoryStore
    + ThreadStore
    + AuditLogStore
    + EventStore
    + ExportStore
    + PageStore
    + SelfCheckStore
    + PublicSchemeStore
    + CommunityToolStore
    + ShareRegisterStore
    + OpinionStore
    + BallotStore
    + CounsellingStore
    + PetitionStore
    + FundStore
    + OrganisationStore
    + SiteOperatorStore
    + HomeStore
    + FeedStore
    + SearchStore
{
    /// Which database this is.
    fn backend(&self) -> Backend;
    /// Applies pending migrations.
    async fn migrate(&self) -> StoreResult<()>;
    /// Answers when the database is reachable.
    async fn ping(&self) -> StoreResult<()>;
    /// Writes a consistent copy of the database to `path` while it is in use.
    async fn backup_to(&self, path: &std::path::Path) -> StoreResult<()>;
    /// Closes the connections, waiting for queries in flight.
    async fn close(&self);
}

/// Opens the store a URL names: `sqlite://FILE` (created when missing) or
/// `postgres://…`. Migrations are not applied here; call `Store::migrate`.
pub async fn connect(url: &str) -> StoreResult<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else {
        Err(StoreError::Unavailable(format!(
            "unsupported database URL (expected sqlite://FILE or postgres://…): {}",
            redact_password(url)
        )))
    }
}

/// A database URL with its password replaced, fit for error messages and logs.
pub fn redact_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_password;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_password("postgres://app:s3cret@db:5432/t"),
            "postgres://app:***@db:5432/t"
        );
        assert_eq!(
            redact_password("postgres://app@db/t"),
            "postgres://app@db/t"
        );
        assert_eq!(
            redact_password("sqlite://tsunagari.db"),
            "sqlite://tsunagari.db"
        );
    }
}
