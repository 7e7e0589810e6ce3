//! The directory of real organisations and claims on its listings:
//! records and the store trait. The SQL is in `sql_organisations.rs`,
//! shared by both backends.

use async_trait::async_trait;
use tsunagari_domain::community::{Community, CommunityId, CommunityKind, CommunityProfile};
use tsunagari_domain::organisation::{
    Claim, ClaimId, ClaimMessage, DeclineReason, ListingId, OrganisationListing,
};
use tsunagari_domain::public_scheme::Bilingual;
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::{Timestamp, UserId};

use crate::{CatalogueChange, CatalogueSource, StoreResult};

/// A listing as stored: the organisation, and whether it is on this
/// server yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingRecord {
    /// Id (stable across imports; the slug is the id in files and URLs).
    pub id: ListingId,
    /// The organisation.
    pub listing: OrganisationListing,
    /// The community an approved claim made of it.
    pub community_id: Option<CommunityId>,
    /// When it was claimed.
    pub claimed_at: Option<Timestamp>,
    /// Last change of its text (or its claim).
    pub updated_at: Timestamp,
}

/// Which listings to read. Every part that is set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListingFilter {
    /// Only this kind.
    pub kind: Option<CommunityKind>,
    /// Only listings based in (or, for regional alumni, about) this
    /// prefecture.
    pub prefecture: Option<Prefecture>,
    /// Page size (1–500).
    pub limit: i64,
    /// Rows to skip.
    pub offset: i64,
}

/// A claim with what the claimant's page and the operator's queue show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimEntry {
    /// The claim.
    pub claim: Claim,
    /// The listing's slug.
    pub listing_slug: String,
    /// The listing's name.
    pub listing_name: Bilingual,
    /// The listing's kind.
    pub listing_kind: CommunityKind,
    /// The claimant's display name.
    pub claimant_name: String,
}

/// What approving a claim did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovedClaim {
    /// The new community, owned by the claimant.
    pub community: Community,
    /// The claimant.
    pub claimant: UserId,
    /// People whose pending claims on the same listing were superseded.
    pub superseded: Vec<UserId>,
}

/// The directory of organisations and the claims on its listings.
///
/// Claims and decisions run in one transaction per listing whose first
/// statement bumps the listing's `claim_version` (a row lock on PostgreSQL,
/// the write lock on SQLite), and apply the domain's `may_claim` and
/// `may_decide` to what they read after it: two people claiming, or two
/// operators approving, one at a time.
#[async_trait]
pub trait OrganisationStore: Send + Sync {
    /// Writes a whole directory file in one transaction; see
    /// `CatalogueSource` for what each source may change. Listings the
    /// shipped file no longer has are withdrawn (not deleted, so claims
    /// and the link to a community stay); the slugs must be distinct.
    async fn import_organisations(
        &self,
        listings: &[OrganisationListing],
        source: CatalogueSource,
        now: Timestamp,
    ) -> StoreResult<CatalogueChange>;
    /// Listed organisations matching the filter, by kind in the order of
    /// `CommunityKind::ALL`, then in the order of the file each came from.
    async fn organisation_listings(
        &self,
        filter: &ListingFilter,
    ) -> StoreResult<Vec<ListingRecord>>;
    /// How many listed organisations match the filter (limit and offset
    /// ignored).
    async fn count_organisation_listings(&self, filter: &ListingFilter) -> StoreResult<i64>;
    /// A listed organisation by id.
    async fn organisation_listing(&self, id: ListingId) -> StoreResult<Option<ListingRecord>>;
    /// A listed organisation by slug.
    async fn organisation_listing_by_slug(&self, slug: &str) -> StoreResult<Option<ListingRecord>>;
    /// Records a claim; `Conflict::ListingClaimed` when the listing is a
    /// community already, `Conflict::ClaimPending` when this person's
    /// earlier claim still waits; `Ok(None)` when there is no such listed
    /// organisation.
    async fn create_organisation_claim(
        &self,
        listing: ListingId,
        user: UserId,
        message: &ClaimMessage,
        now: Timestamp,
    ) -> StoreResult<Option<Claim>>;
    /// A claim by id.
    async fn organisation_claim(&self, id: ClaimId) -> StoreResult<Option<ClaimEntry>>;
    /// Claims waiting for the operator, oldest first.
    async fn pending_organisation_claims(&self, limit: i64) -> StoreResult<Vec<ClaimEntry>>;
    /// A person's claims, newest first.
    async fn organisation_claims_of(&self, user: UserId) -> StoreResult<Vec<ClaimEntry>>;
    /// Approves a pending claim: creates the community (`kind`, `profile`)
    /// with the claimant as owner, links the listing to it and supersedes
    /// the listing's other pending claims, all in one transaction.
    /// `Conflict::ClaimDecided` or `Conflict::ListingClaimed` when the
    /// domain refuses; `Ok(None)` when there is no such claim.
    async fn approve_organisation_claim(
        &self,
        id: ClaimId,
        operator: UserId,
        kind: CommunityKind,
        profile: &CommunityProfile,
        now: Timestamp,
    ) -> StoreResult<Option<ApprovedClaim>>;
    /// Declines a pending claim with a reason; `Conflict::ClaimDecided`
    /// when it was decided already; `Ok(None)` when there is no such claim.
    async fn decline_organisation_claim(
        &self,
        id: ClaimId,
        operator: UserId,
        reason: &DeclineReason,
        now: Timestamp,
    ) -> StoreResult<Option<Claim>>;
}

/// The site operator role: the people who run this server (approve
/// claims, moderate the site).
#[async_trait]
pub trait SiteOperatorStore: Send + Sync {
    /// Grants (`true`) or revokes (`false`) the role; true when that
    /// changed anything.
    async fn set_site_operator(
        &self,
        user: UserId,
        operator: bool,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Whether a person is a site operator.
    async fn is_site_operator(&self, user: UserId) -> StoreResult<bool>;
    /// How many site operators there are.
    async fn count_site_operators(&self) -> StoreResult<i64>;
}
