//! The co-op share register: records and the store trait. The SQL is in
//! `sql_shares.rs`, shared by both backends.

use async_trait::async_trait;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::share::{
    Holding, ShareEntry, ShareEntryId, ShareHolderId, ShareRefusal, ShareRequest, UnitPrice,
};
use tsunagari_domain::{Timestamp, UserId};

use crate::StoreResult;

/// A co-op's register settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShareRegisterRecord {
    /// The price of one unit today (past entries keep theirs).
    pub unit_price: UnitPrice,
    /// Who set it (`None` once their account is deleted).
    pub updated_by: Option<UserId>,
    /// When.
    pub updated_at: Timestamp,
}

/// One member's balances in a register, summed from the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolderBalance {
    /// The holder.
    pub holder: ShareHolderId,
    /// The member's account (`None` once deleted).
    pub member: Option<UserId>,
    /// The member's display name, while the account exists.
    pub display_name: Option<String>,
    /// Still an active member of the co-op.
    pub active_member: bool,
    /// What the ledger says they hold.
    pub holding: Holding,
}

/// A co-op's totals, summed from the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShareTotals {
    /// Units, yen subscribed and yen paid in (the co-op's capital).
    pub holding: Holding,
    /// Members holding at least one unit.
    pub holders: i64,
}

/// A ledger entry with the names that go with it, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareEntryRecord {
    /// The entry.
    pub entry: ShareEntry,
    /// The member's display name, while the account exists.
    pub member_name: Option<String>,
    /// The recorder's display name, while the account exists.
    pub recorded_by_name: Option<String>,
    /// The reversal that cancels this entry, if any.
    pub reversed_by: Option<ShareEntryId>,
}

/// An entry to record.
#[derive(Debug, Clone, Copy)]
pub struct NewShareEntry<'a> {
    /// The co-op.
    pub community: CommunityId,
    /// The member; for a reversal optional (the reversed entry names them)
    /// and, when given, checked against it.
    pub member: Option<UserId>,
    /// What to record.
    pub request: ShareRequest,
    /// A note for the books (validated).
    pub note: &'a str,
    /// The organiser recording it.
    pub recorded_by: UserId,
    /// When.
    pub now: Timestamp,
}

/// A co-op's share register.
///
/// `record_share_entry` runs in one transaction whose first statement
/// bumps the register's `version`, so on both databases the entries of one
/// co-op are written one at a time: the balances the domain's `plan` checks
/// are the truth, and concurrent refunds can never take a member below
/// zero. The ledger has no update or delete method, and the database
/// refuses both.
#[async_trait]
pub trait ShareRegisterStore: Send + Sync {
    /// The register of a co-op; `None` until a unit price is set.
    async fn share_register(
        &self,
        community: CommunityId,
    ) -> StoreResult<Option<ShareRegisterRecord>>;
    /// Sets the unit price, creating the register on first use. Entries
    /// already recorded keep the price they were recorded at.
    async fn set_unit_price(
        &self,
        community: CommunityId,
        price: UnitPrice,
        by: UserId,
        now: Timestamp,
    ) -> StoreResult<ShareRegisterRecord>;
    /// Records an entry after the domain's `plan` accepted it against the
    /// member's balances as they stand inside the transaction; the inner
    /// `Err` says why it was refused (nothing is written then).
    async fn record_share_entry(
        &self,
        entry: &NewShareEntry<'_>,
    ) -> StoreResult<Result<ShareEntry, ShareRefusal>>;
    /// Every holder's balances, in the order they joined the register.
    async fn share_balances(&self, community: CommunityId) -> StoreResult<Vec<HolderBalance>>;
    /// One member's balances; `None` when they have no holder row.
    async fn share_balance(
        &self,
        community: CommunityId,
        member: UserId,
    ) -> StoreResult<Option<Holding>>;
    /// The co-op's totals.
    async fn share_totals(&self, community: CommunityId) -> StoreResult<ShareTotals>;
    /// Entries of a co-op (only one member's when `member` is given),
    /// newest first or oldest first, at most `limit`.
    async fn share_entries(
        &self,
        community: CommunityId,
        member: Option<UserId>,
        newest_first: bool,
        limit: i64,
    ) -> StoreResult<Vec<ShareEntryRecord>>;
    /// Every entry of a person in every register, oldest first, with the
    /// co-op's name (for the data export).
    async fn share_entries_of(&self, user: UserId) -> StoreResult<Vec<(String, ShareEntry)>>;
}
