//! The solidarity fund: records and the store trait. SQL in `sql_fund.rs`,
//! shared by both backends.
//!
//! Every write that touches the ledger or a claim's decision runs in one
//! transaction whose first statement bumps the fund's `version` (creating
//! the fund's row on first use): on PostgreSQL the row lock, on SQLite the
//! write lock, so the writes of one fund run one at a time. The balance a
//! payout is checked against is therefore the truth, and two approvals
//! arriving together cannot both pay a claim. Entries are written from the
//! domain's balanced `Transaction`s, checked again with `is_balanced`
//! before they are written, and the schema's triggers check them a third
//! time (balanced, never below zero, append-only).

use async_trait::async_trait;
use tsunagari_domain::ballot::{BallotDetails, BallotSecret};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::fund::{
    Amount, BallotRule, Claim, ClaimDetails, ClaimId, Decision, DecisionMethod, DecisionRefusal,
    Entry, FundTotals, Resolution, Tally, TransactionKind, WouldOverdraw,
};
use tsunagari_domain::{Timestamp, UserId};

use crate::StoreResult;

/// A fund's settings: who decides claims and how many approvals it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundSettings {
    /// Approvals a claim needs (committee decisions).
    pub approvals_needed: u32,
    /// The committee; empty means the organisers decide.
    pub committee: Vec<UserId>,
    /// Set when the members decide claims by ballot instead; the rule is
    /// kept while the committee decides, for switching back.
    pub by_ballot: bool,
    /// How the members vote on claims.
    pub ballot_rule: BallotRule,
}

impl Default for FundSettings {
    fn default() -> Self {
        FundSettings {
            approvals_needed: 1,
            committee: Vec::new(),
            by_ballot: false,
            ballot_rule: BallotRule::default(),
        }
    }
}

impl FundSettings {
    /// Who decides new claims.
    pub fn method(&self) -> DecisionMethod {
        if self.by_ballot {
            DecisionMethod::Ballot(self.ballot_rule)
        } else {
            DecisionMethod::Committee {
                approvals_needed: self.approvals_needed,
            }
        }
    }
}

/// One ledger transaction as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRecord {
    /// The union.
    pub community_id: CommunityId,
    /// Its sequence number in the fund (increasing, with gaps).
    pub seq: i64,
    /// Contribution or payout.
    pub kind: TransactionKind,
    /// Who contributed or was paid (`None` once their account is deleted).
    pub member: Option<UserId>,
    /// The paid claim (payouts).
    pub claim: Option<ClaimId>,
    /// When.
    pub created_at: Timestamp,
    /// Its entries, which sum to zero.
    pub entries: Vec<Entry>,
}

impl LedgerRecord {
    /// The amount moved (the fund entry's size).
    pub fn amount(&self) -> i64 {
        tsunagari_domain::fund::balance_of(
            self.entries.iter(),
            tsunagari_domain::fund::LedgerAccount::Fund,
        )
        .abs()
    }
}

/// What members may see of a fund: totals and anonymised payouts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FundSummary {
    /// Balance and totals, from the account balances.
    pub totals: FundTotals,
    /// Contributions recorded.
    pub contributions: i64,
    /// Claims paid.
    pub claims_paid: i64,
    /// Claims waiting for a decision.
    pub claims_pending: i64,
    /// The latest payouts (at most `SUMMARY_PAYOUTS`), newest first.
    pub payouts: Vec<Payout>,
}

/// How many payouts the summary carries; the rest are paged.
pub const SUMMARY_PAYOUTS: i64 = 100;

/// A payout as members see it: when and how much, nothing else. `seq` is
/// its place on the ledger, for paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payout {
    /// Position on the fund's ledger.
    pub seq: i64,
    /// When it was paid.
    pub paid_at: Timestamp,
    /// Yen.
    pub amount: i64,
}

/// A decision with the decider's name, for the claimant and the committee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionEntry {
    /// The decision.
    pub decision: Decision,
    /// The decider's display name (`None` once their account is deleted).
    pub decider_name: Option<String>,
}

/// What a decision did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionResult {
    /// Recorded; the claim as it now stands and, when this decision
    /// completed the approvals, the payout.
    Recorded {
        /// The tally after this decision.
        tally: Tally,
        /// The claim after it.
        claim: Claim,
        /// The payout, when the claim was paid.
        payout: Option<LedgerRecord>,
    },
    /// Not allowed; nothing recorded.
    Refused(DecisionRefusal),
    /// The approval would pay the claim, but the fund cannot cover it;
    /// nothing recorded.
    WouldOverdraw(WouldOverdraw),
    /// No such claim.
    NotFound,
}

/// What settling a claim did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettleResult {
    /// Settled: the claim as it now stands, and the payout when paid.
    Settled {
        /// The claim.
        claim: Claim,
        /// The payout (approvals).
        payout: Option<LedgerRecord>,
    },
    /// Already paid or rejected.
    AlreadySettled,
    /// The fund cannot cover it; nothing changed.
    WouldOverdraw(WouldOverdraw),
    /// No such claim.
    NotFound,
}

/// The solidarity fund of each union.
#[async_trait]
pub trait FundStore: Send + Sync {
    /// The fund's settings (defaults when never set).
    async fn fund_settings(&self, community: CommunityId) -> StoreResult<FundSettings>;
    /// Replaces the committee and the approvals needed, in one transaction.
    async fn set_fund_settings(
        &self,
        community: CommunityId,
        settings: &FundSettings,
        by: UserId,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// Records a member's contribution.
    async fn contribute(
        &self,
        community: CommunityId,
        member: UserId,
        amount: Amount,
        now: Timestamp,
    ) -> StoreResult<LedgerRecord>;
    /// Files a claim. With `ballot`, the ballot that decides it is written
    /// in the same transaction, linked to it, and (opening at once) takes
    /// its electorate without the claimant.
    async fn create_claim(
        &self,
        community: CommunityId,
        claimant: UserId,
        details: &ClaimDetails,
        ballot: Option<(&BallotDetails, &BallotSecret)>,
        now: Timestamp,
    ) -> StoreResult<Claim>;
    /// Pending claims whose ballot is final, oldest first: what the
    /// background work settles (or retries, while the fund cannot pay).
    async fn claims_awaiting_settlement(&self, limit: i64) -> StoreResult<Vec<Claim>>;
    /// One claim.
    async fn claim(&self, id: ClaimId) -> StoreResult<Option<Claim>>;
    /// A union's claims, pending first, then newest first.
    async fn claims(&self, community: CommunityId, limit: i64) -> StoreResult<Vec<Claim>>;
    /// A person's own claims in every union, newest first.
    async fn claims_of(&self, claimant: UserId) -> StoreResult<Vec<Claim>>;
    /// The decisions on a claim, in order.
    async fn decisions(&self, claim: ClaimId) -> StoreResult<Vec<DecisionEntry>>;
    /// Records `decider`'s decision (the note is validated by the caller):
    /// the decider must be on the committee (or an organiser while there is
    /// none), not the claimant, and not have decided before. A decision that
    /// completes the approvals pays the claim in the same transaction, or is
    /// refused entirely when the fund cannot cover it.
    async fn decide(
        &self,
        claim: ClaimId,
        decider: UserId,
        approve: bool,
        note: Option<&str>,
        now: Timestamp,
    ) -> StoreResult<DecisionResult>;
    /// The claimant withdraws their pending claim (`fund::may_withdraw`),
    /// under the fund's lock; `None` when there is no such claim.
    async fn withdraw_claim(
        &self,
        claim: ClaimId,
        claimant: UserId,
        now: Timestamp,
    ) -> StoreResult<Option<Result<Claim, tsunagari_domain::fund::WithdrawalRefusal>>>;
    /// Settles a pending claim by a resolution reached elsewhere (the hook
    /// for deciding claims by ballot): approve pays it, reject turns it down.
    async fn settle_claim(
        &self,
        claim: ClaimId,
        resolution: Resolution,
        by: Option<UserId>,
        now: Timestamp,
    ) -> StoreResult<SettleResult>;
    /// Totals, counts and the latest anonymised payouts.
    async fn fund_summary(&self, community: CommunityId) -> StoreResult<FundSummary>;
    /// Anonymised payouts, newest first, older than the one at `before`
    /// (its ledger `seq`) when given; at most `limit`.
    async fn payouts(
        &self,
        community: CommunityId,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<Payout>>;
    /// The whole ledger of a union, oldest first.
    async fn ledger(&self, community: CommunityId) -> StoreResult<Vec<LedgerRecord>>;
    /// A person's contributions in every union, newest first.
    async fn contributions_of(&self, member: UserId) -> StoreResult<Vec<LedgerRecord>>;
}
