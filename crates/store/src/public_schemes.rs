//! The public-help directory (公助): the catalogue of public schemes and the
//! store trait. The SQL is in `sql_public_schemes.rs`, shared by both
//! backends.

use async_trait::async_trait;
use tsunagari_domain::Timestamp;
use tsunagari_domain::public_scheme::{PublicScheme, SchemeCategory};
use tsunagari_domain::region::Prefecture;

use crate::StoreResult;

/// Where a catalogue being written comes from, which decides what it may
/// change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogueSource {
    /// The catalogue shipped with the release, loaded whenever migrations
    /// run. It owns the rows it wrote and nothing else: it adds its new
    /// schemes, updates and removes its own rows, and never touches a
    /// scheme the operator imported or withdrew, so an operator's
    /// correction survives restarts and upgrades.
    Shipped,
    /// A file the operator imports. Its schemes are added or updated (and
    /// become the operator's, out of the shipped catalogue's reach); the
    /// others are kept, unless `replace`, which withdraws every scheme the
    /// file leaves out (withdrawn schemes are not listed, and the shipped
    /// catalogue does not bring them back; importing one again does).
    Operator {
        /// Withdraw schemes the file does not contain.
        replace: bool,
    },
}

impl CatalogueSource {
    /// The value of the `source` column.
    pub(crate) fn column(self) -> &'static str {
        match self {
            CatalogueSource::Shipped => "shipped",
            CatalogueSource::Operator { .. } => "operator",
        }
    }
}

/// What writing a catalogue changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CatalogueChange {
    /// Schemes that were not listed before (new, or withdrawn before).
    pub added: u64,
    /// Schemes whose text, category, link, region or actions changed.
    pub updated: u64,
    /// Schemes already stored exactly so.
    pub unchanged: u64,
    /// Shipped only: schemes left as they are because the operator imported
    /// (or withdrew) them.
    pub kept: u64,
    /// Schemes no longer listed: withdrawn by `replace`, or dropped from
    /// the shipped catalogue.
    pub removed: u64,
}

/// Which schemes to list. Every part that is set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemeFilter {
    /// Only this category.
    pub category: Option<SchemeCategory>,
    /// Only schemes available in this prefecture: national ones and that
    /// prefecture's own.
    pub prefecture: Option<Prefecture>,
    /// Words that must all appear in a scheme's name, audience or benefit,
    /// in either language (case-insensitive substrings, so two-character
    /// Japanese words such as 介護 are found).
    pub query: Option<String>,
    /// Only schemes that help with at least one of these action ids.
    pub actions: Vec<String>,
}

/// The catalogue of public schemes.
///
/// Every write runs in one transaction whose first statement bumps the
/// catalogue's version row, so concurrent imports (or several servers
/// loading the shipped catalogue as they start) run one at a time and the
/// counts they report are exact.
#[async_trait]
pub trait PublicSchemeStore: Send + Sync {
    /// Writes a whole catalogue in one transaction; see `CatalogueSource`
    /// for what each source may change. The schemes must have distinct
    /// slugs (`validate_catalogue` ensures it).
    async fn import_public_schemes(
        &self,
        schemes: &[PublicScheme],
        source: CatalogueSource,
        now: Timestamp,
    ) -> StoreResult<CatalogueChange>;
    /// Listed schemes matching the filter: by category in the order of
    /// `SchemeCategory::ALL`, national before local, then in the order of
    /// the file each came from.
    async fn public_schemes(&self, filter: &SchemeFilter) -> StoreResult<Vec<PublicScheme>>;
    /// A listed scheme by slug.
    async fn public_scheme(&self, slug: &str) -> StoreResult<Option<PublicScheme>>;
    /// Listed schemes that help with any of `actions` (none when `actions`
    /// is empty), limited to those available in `prefecture` when given.
    async fn public_schemes_for_actions(
        &self,
        actions: &[String],
        prefecture: Option<Prefecture>,
    ) -> StoreResult<Vec<PublicScheme>>;
}
