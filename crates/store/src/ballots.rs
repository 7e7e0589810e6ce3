//! Ballots, their electorates and votes: records and the store trait. The
//! SQL is in `sql_ballots.rs`, shared by both backends.

use async_trait::async_trait;
use tsunagari_domain::ballot::{
    Ballot, BallotDetails, BallotId, BallotSecret, FollowUp, FollowUpDetails, FollowUpId, OptionId,
    VoteEffect, VoteRefusal,
};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::notification::NewNotification;
use tsunagari_domain::{Timestamp, UserId};

use crate::StoreResult;

/// A ballot with how many have voted, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotListing {
    /// The ballot.
    pub ballot: Ballot,
    /// Electors who voted.
    pub voted: i64,
}

/// The raw counts of a ballot, for the domain's `tally`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotCounts {
    /// Members who may vote (0 before the electorate is taken).
    pub electorate: u64,
    /// Electors who voted.
    pub voted: u64,
    /// Counted votes per option (options without votes are missing).
    pub votes: Vec<(OptionId, u64)>,
}

/// One person's place in a ballot's electorate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Participation {
    /// They voted (their choice is not part of this).
    pub voted: bool,
}

/// A vote the store accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteRecorded {
    /// How many votes this voter has cast in the ballot, this one
    /// included: one voter's votes are applied one at a time, in this
    /// order, and the highest is the one that counts.
    pub sequence: i64,
    /// Whether it was a first vote, a change or a repeat.
    pub effect: VoteEffect,
}

/// A ballot a person took part in, for their data export. Named ballots
/// carry the choice; secret ballots only that they voted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipationRecord {
    /// The ballot.
    pub ballot_id: BallotId,
    /// Its community.
    pub community_id: CommunityId,
    /// Its title.
    pub title: String,
    /// Secret ballot.
    pub secret: bool,
    /// Whether they voted; `None` for a secret ballot that is still open
    /// (recorded when it closes).
    pub voted: Option<bool>,
    /// Their counted option (named ballots only).
    pub choice: Option<OptionId>,
}

/// Ballots and votes.
///
/// Taking the electorate and finalising run in one transaction each whose
/// first statement bumps `ballots.version` (a row lock on PostgreSQL, the
/// write lock on SQLite), so each happens once. A vote's transaction starts
/// by locking the voter's own row (the elector row of a named ballot, the
/// anonymous slot of a secret one): one voter's votes apply one at a time,
/// different voters' in parallel, and finalisation, which locks every such
/// row, waits for the votes in flight and turns later ones away. The schema
/// holds the invariants too: one vote row per elector, slots only for
/// secret ballots, nothing deleted, nothing changed once final.
#[async_trait]
pub trait BallotStore: Send + Sync {
    /// Creates a ballot with its options. When it opens at once
    /// (`opens_at <= now`) its electorate is taken in the same transaction.
    async fn create_ballot(
        &self,
        community: CommunityId,
        created_by: UserId,
        details: &BallotDetails,
        now: Timestamp,
        secret: &BallotSecret,
    ) -> StoreResult<Ballot>;
    /// A ballot by id, with its options.
    async fn ballot(&self, id: BallotId) -> StoreResult<Option<Ballot>>;
    /// A community's ballots with their turnout, latest close first.
    async fn ballots_of(
        &self,
        community: CommunityId,
        limit: i64,
    ) -> StoreResult<Vec<BallotListing>>;
    /// Takes the electorate of a ballot that has opened: the community's
    /// active members whose membership began by the opening, each with a
    /// secret slot for secret ballots. Idempotent and race-free: returns
    /// false when it was already taken or the ballot has not opened.
    async fn take_electorate(
        &self,
        ballot: BallotId,
        now: Timestamp,
        secret: &BallotSecret,
    ) -> StoreResult<bool>;
    /// Casts or changes a vote, taking the electorate first when due.
    /// `None` when there is no such ballot; `Some(Err(…))` when the
    /// domain's rules (`check_vote`) refuse the vote.
    async fn cast_vote(
        &self,
        ballot: BallotId,
        voter: UserId,
        option: OptionId,
        now: Timestamp,
        secret: &BallotSecret,
    ) -> StoreResult<Option<Result<VoteRecorded, VoteRefusal>>>;
    /// A person's place in the electorate; `None` when not an elector.
    /// Whether they voted in an open secret ballot is read from their slot,
    /// found with the secret.
    async fn participation(
        &self,
        ballot: BallotId,
        user: UserId,
        secret: &BallotSecret,
    ) -> StoreResult<Option<Participation>>;
    /// A person's counted choice: from their named vote, or from their
    /// secret slot while the ballot is not final (afterwards the slot's key
    /// is random and nobody can find it).
    async fn current_choice(
        &self,
        ballot: BallotId,
        user: UserId,
        secret: &BallotSecret,
    ) -> StoreResult<Option<OptionId>>;
    /// The counts of a ballot.
    async fn ballot_counts(&self, ballot: BallotId) -> StoreResult<BallotCounts>;
    /// Freezes a closed ballot after the votes in flight: records who voted
    /// in a secret ballot, replaces its slots' keys with random ones and sets
    /// `finalised_at`, all in one transaction. Idempotent; false when
    /// already final or not closed at `now`.
    async fn finalise_ballot(
        &self,
        ballot: BallotId,
        now: Timestamp,
        secret: &BallotSecret,
    ) -> StoreResult<bool>;
    /// Ballots that have opened and are not final: the background work
    /// (electorate, reminders, finalisation) looks at these.
    async fn unsettled_ballots(&self, now: Timestamp, limit: i64) -> StoreResult<Vec<Ballot>>;
    /// Sends `notification` to every elector who has not voted and is
    /// still an active member, if no reminder went out at or after
    /// `cutoff`; sets `reminded_at` and writes the notifications in one
    /// transaction, so two servers never both send. `None` when a reminder
    /// was too recent or the ballot is final; otherwise how many were sent.
    async fn remind_non_voters(
        &self,
        ballot: BallotId,
        cutoff: Timestamp,
        notification: &NewNotification,
        now: Timestamp,
        secret: &BallotSecret,
    ) -> StoreResult<Option<u64>>;
    /// Withdraws a ballot that has not opened (no electorate, opening
    /// after `now`, not withdrawn already). `false` when it is too late.
    async fn withdraw_ballot(
        &self,
        ballot: BallotId,
        reason: &str,
        by: UserId,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Saves (replacing) the outcome text.
    async fn record_outcome(
        &self,
        ballot: BallotId,
        text: &str,
        by: UserId,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// Adds a follow-up action.
    async fn add_follow_up(
        &self,
        ballot: BallotId,
        details: &FollowUpDetails,
        by: UserId,
        now: Timestamp,
    ) -> StoreResult<FollowUp>;
    /// Marks a follow-up done or not; false when it is not the ballot's.
    async fn set_follow_up_done(
        &self,
        ballot: BallotId,
        id: FollowUpId,
        done: bool,
    ) -> StoreResult<bool>;
    /// A ballot's follow-up actions, in the order recorded.
    async fn follow_ups(&self, ballot: BallotId) -> StoreResult<Vec<FollowUp>>;
    /// The ballots a person is (or was) an elector of, newest first.
    async fn participation_of(&self, user: UserId) -> StoreResult<Vec<ParticipationRecord>>;
}
