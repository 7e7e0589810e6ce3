//! Self-check drafts and results: records and the store trait. SQL in
//! `sql_self_check.rs`. Answers are stored as the app's JSON text; the
//! store does not look inside.

use async_trait::async_trait;
use tsunagari_domain::{Timestamp, TokenHash, UserId};

use crate::StoreResult;

/// Whose draft: a signed-in person's, or a visitor's by cookie token hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftOwner {
    /// A signed-in person.
    User(UserId),
    /// A visitor, by the hash of their draft cookie.
    Visitor(TokenHash),
}

impl DraftOwner {
    pub(crate) fn key(&self) -> String {
        match self {
            DraftOwner::User(id) => format!("user:{}", id.0),
            DraftOwner::Visitor(hash) => format!("visitor:{}", hash.0),
        }
    }

    pub(crate) fn user(&self) -> Option<i64> {
        match self {
            DraftOwner::User(id) => Some(id.0),
            DraftOwner::Visitor(_) => None,
        }
    }
}

/// A draft's answers and when they were last saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfCheckDraft {
    /// The answers as JSON text.
    pub answers_json: String,
    /// Last saved.
    pub updated_at: Timestamp,
}

/// The figures kept with a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelfCheckSummary {
    /// Ties outside the employer.
    pub mutual_support_ties: u32,
    /// Gave up a career challenge or preparation.
    pub gave_up_career_move: bool,
    /// Sub-score 0–100.
    pub future_confidence: u8,
    /// Sub-score 0–100.
    pub curiosity: u8,
    /// Sub-score 0–100.
    pub self_determination: u8,
    /// Share of time the person would move, 0–100.
    pub allocation_shift: u8,
}

/// A saved result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfCheckRecord {
    /// Its id.
    pub id: i64,
    /// Whose.
    pub user_id: UserId,
    /// The answers as JSON text.
    pub answers_json: String,
    /// Its figures.
    pub summary: SelfCheckSummary,
    /// When it was taken.
    pub created_at: Timestamp,
}

/// Self-check persistence. Every read of results is scoped to their owner.
#[async_trait]
pub trait SelfCheckStore: Send + Sync {
    /// Saves (replaces) a draft.
    async fn save_self_check_draft(
        &self,
        owner: &DraftOwner,
        answers_json: &str,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// A draft, if any.
    async fn self_check_draft(&self, owner: &DraftOwner) -> StoreResult<Option<SelfCheckDraft>>;
    /// Removes a draft; true when there was one.
    async fn delete_self_check_draft(&self, owner: &DraftOwner) -> StoreResult<bool>;
    /// Removes visitors' drafts last saved before `before`; returns how many.
    async fn purge_visitor_drafts(&self, before: Timestamp) -> StoreResult<u64>;
    /// Saves a result and removes the draft of `draft`, in one transaction.
    async fn create_self_check_result(
        &self,
        user: UserId,
        answers_json: &str,
        summary: &SelfCheckSummary,
        draft: Option<&DraftOwner>,
        now: Timestamp,
    ) -> StoreResult<SelfCheckRecord>;
    /// A person's results, newest first.
    async fn self_check_results(&self, user: UserId) -> StoreResult<Vec<SelfCheckRecord>>;
    /// One of a person's results; `None` when missing or someone else's.
    async fn self_check_result(
        &self,
        user: UserId,
        id: i64,
    ) -> StoreResult<Option<SelfCheckRecord>>;
    /// Deletes one of a person's results; false when missing or not theirs.
    async fn delete_self_check_result(&self, user: UserId, id: i64) -> StoreResult<bool>;
}
