//! Petitions, their signatures and updates: records and the store trait.
//! SQL in `sql_petitions.rs`, shared by both backends.

use async_trait::async_trait;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::petition::{Petition, PetitionDetails, PetitionId};
use tsunagari_domain::{Timestamp, UserId};

use crate::StoreResult;

/// A petition with its signature count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionListing {
    /// The petition.
    pub petition: Petition,
    /// Signatures standing now.
    pub signatures: i64,
}

/// One person's signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The petition.
    pub petition_id: PetitionId,
    /// The signer.
    pub user_id: UserId,
    /// Whether they chose to show their name.
    pub show_name: bool,
    /// When they signed.
    pub signed_at: Timestamp,
}

/// An organiser's dated update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionUpdate {
    /// Id.
    pub id: i64,
    /// The petition.
    pub petition_id: PetitionId,
    /// Who posted it (`None` once their account is deleted).
    pub author: Option<UserId>,
    /// The text.
    pub body: String,
    /// Whether it went to every signer as a notification.
    pub sent_to_signers: bool,
    /// When.
    pub created_at: Timestamp,
}

/// Petitions of unions and who signed them.
///
/// The primary key `(petition_id, user_id)` makes a second signature by the
/// same person fail as `Conflict::AlreadySigned`, however many arrive at
/// once.
#[async_trait]
pub trait PetitionStore: Send + Sync {
    /// Starts a petition.
    async fn create_petition(
        &self,
        community: CommunityId,
        created_by: UserId,
        details: &PetitionDetails,
        now: Timestamp,
    ) -> StoreResult<Petition>;
    /// One petition with its count.
    async fn petition(&self, id: PetitionId) -> StoreResult<Option<PetitionListing>>;
    /// A union's petitions, open ones first (soonest deadline first), then
    /// closed ones (latest first).
    async fn petitions(
        &self,
        community: CommunityId,
        now: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<PetitionListing>>;
    /// Signs; `Conflict::AlreadySigned` when the person already has.
    async fn sign(
        &self,
        petition: PetitionId,
        user: UserId,
        show_name: bool,
        now: Timestamp,
    ) -> StoreResult<Signature>;
    /// Withdraws a signature; false when there was none.
    async fn withdraw_signature(&self, petition: PetitionId, user: UserId) -> StoreResult<bool>;
    /// One person's signature.
    async fn signature(&self, petition: PetitionId, user: UserId)
    -> StoreResult<Option<Signature>>;
    /// When each standing signature was made, oldest first.
    async fn signature_times(&self, petition: PetitionId) -> StoreResult<Vec<Timestamp>>;
    /// The names of signers who chose to show them, in signing order.
    async fn public_signers(&self, petition: PetitionId) -> StoreResult<Vec<String>>;
    /// Everyone who signed (to notify them; no addresses).
    async fn signer_ids(&self, petition: PetitionId) -> StoreResult<Vec<UserId>>;
    /// Posts an update.
    async fn add_petition_update(
        &self,
        petition: PetitionId,
        author: UserId,
        body: &str,
        sent_to_signers: bool,
        now: Timestamp,
    ) -> StoreResult<PetitionUpdate>;
    /// A petition's updates, oldest first.
    async fn petition_updates(&self, petition: PetitionId) -> StoreResult<Vec<PetitionUpdate>>;
    /// A person's signatures with their petitions, newest first.
    async fn signatures_of(&self, user: UserId) -> StoreResult<Vec<(PetitionListing, Signature)>>;
}
