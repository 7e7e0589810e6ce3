//! Ballot use cases: organisers put proposals to a vote; the members at a
//! ballot's opening vote once each and may change their vote until it
//! closes; results follow the ballot's settings; organisers remind those
//! who have not voted and record the outcome and follow-up actions.
//!
//! Every use case passes `CommunityTools::require(…, Ballots)` first, so a
//! community with the tool off answers as if ballots did not exist.
//!
//! Time-driven work — taking the electorate when a ballot opens, freezing
//! the votes (and replacing secret keys) when it closes, the reminder a day
//! before the close — happens in `run_due_work` (a background loop on every
//! server) and, so nobody waits for the loop, on the first read or vote
//! that finds it due. Each step is idempotent and serialised by the store,
//! so several servers doing it at once do it once.

use std::sync::Arc;

use tsunagari_domain::ballot::{
    self, Ballot, BallotDraft, BallotFieldError, BallotId, BallotSecret, FollowUp, FollowUpId,
    OptionId, OutcomeFieldError, Phase, ResultAccess, Tally, VoteRefusal, WithdrawalRefusal,
};
use tsunagari_domain::community::{self, Community, CommunityId, Membership, Role};
use tsunagari_domain::notification::{NewNotification, NotificationKind};
use tsunagari_domain::time::now;
use tsunagari_domain::tools::CommunityTool;
use tsunagari_domain::{Account, Timestamp};
use tsunagari_store::{BallotCounts, BallotListing, Participation, Store, VoteRecorded};

use crate::{AppError, CommunityTools, Denial, Field, FieldErrors, FieldProblem};

/// The ballot use cases.
#[derive(Clone)]
pub struct Ballots {
    store: Arc<dyn Store>,
    tools: CommunityTools,
    secret: Arc<BallotSecret>,
}

/// A community's ballots, grouped for its ballot page.
#[derive(Debug, Clone)]
pub struct BallotList {
    /// The community.
    pub community: Community,
    /// The viewer's membership.
    pub membership: Option<Membership>,
    /// Taking votes now, closing soonest first.
    pub open: Vec<BallotListing>,
    /// Opening later, soonest first.
    pub upcoming: Vec<BallotListing>,
    /// Closed, latest first.
    pub closed: Vec<BallotListing>,
    /// Withdrawn before opening, latest first.
    pub withdrawn: Vec<BallotListing>,
}

impl BallotList {
    /// Whether the viewer organises the community (and may create ballots).
    pub fn viewer_organises(&self) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.is_at_least(Role::Organiser))
    }
}

/// What a person sees of one ballot.
#[derive(Debug, Clone)]
pub struct BallotPage {
    /// The ballot.
    pub ballot: Ballot,
    /// Its community.
    pub community: Community,
    /// The viewer's membership of the community.
    pub membership: Option<Membership>,
    /// Where the ballot stands now.
    pub phase: Phase,
    /// The viewer's place in the electorate (`None`: not an elector, or
    /// the electorate is not taken yet).
    pub participation: Option<Participation>,
    /// The viewer's counted choice, while they can still see it: named
    /// ballots always, secret ballots until the close.
    pub my_choice: Option<OptionId>,
    /// Electorate and turnout (never the choices).
    pub electorate: u64,
    /// Electors who voted.
    pub voted: u64,
    /// What the viewer may see of the counts.
    pub access: ResultAccess,
    /// The counts, when `access` allows them.
    pub tally: Option<Tally>,
    /// Follow-up actions recorded after the close.
    pub follow_ups: Vec<FollowUp>,
}

impl BallotPage {
    /// Whether the viewer organises the community.
    pub fn viewer_organises(&self) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.is_at_least(Role::Organiser))
    }

    /// Whether the viewer may vote now.
    pub fn viewer_may_vote(&self) -> bool {
        self.phase == Phase::Open
            && self.participation.is_some()
            && self.membership.as_ref().is_some_and(Membership::is_active)
    }

    /// Whether the viewer has voted.
    pub fn viewer_voted(&self) -> bool {
        self.participation.is_some_and(|p| p.voted)
    }
}

/// What the background work did in one pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DueWork {
    /// Electorates taken.
    pub electorates: u64,
    /// Ballots frozen after their close.
    pub finalised: u64,
    /// Reminder notifications sent.
    pub reminded: u64,
}

/// The field a ballot form problem belongs to.
pub fn ballot_field(error: BallotFieldError) -> Field {
    match error {
        BallotFieldError::Title => Field::Title,
        BallotFieldError::Body => Field::Body,
        BallotFieldError::Kind => Field::Kind,
        BallotFieldError::Options => Field::Options,
        BallotFieldError::OpensAt => Field::OpensAt,
        BallotFieldError::ClosesAt => Field::ClosesAt,
        BallotFieldError::TimeZone => Field::TimeZone,
        BallotFieldError::Quorum => Field::Quorum,
        BallotFieldError::Threshold => Field::Threshold,
    }
}

fn outcome_field(error: OutcomeFieldError) -> Field {
    match error {
        OutcomeFieldError::Outcome => Field::Outcome,
        OutcomeFieldError::Action => Field::FollowUp,
        OutcomeFieldError::DueOn => Field::DueOn,
        OutcomeFieldError::WithdrawalReason => Field::Reason,
    }
}

fn outcome_errors(errors: Vec<OutcomeFieldError>) -> AppError {
    let mut fields = FieldErrors::default();
    for error in errors {
        fields.add(outcome_field(error), FieldProblem::BallotOutcome(error));
    }
    AppError::Invalid(fields)
}

fn withdrawal_denial(refusal: WithdrawalRefusal) -> AppError {
    AppError::Forbidden(match refusal {
        WithdrawalRefusal::AlreadyOpen => Denial::BallotAlreadyOpen,
        WithdrawalRefusal::AlreadyWithdrawn => Denial::BallotWithdrawn,
    })
}

fn refusal(refusal: VoteRefusal) -> AppError {
    match refusal {
        VoteRefusal::NotOpenYet => AppError::Forbidden(Denial::BallotNotOpen),
        VoteRefusal::Closed => AppError::Forbidden(Denial::BallotClosed),
        VoteRefusal::NotElector => AppError::Forbidden(Denial::NotElector),
        VoteRefusal::Withdrawn => AppError::Forbidden(Denial::BallotWithdrawn),
        VoteRefusal::UnknownOption => AppError::Invalid(FieldErrors::single(
            Field::OptionId,
            FieldProblem::UnknownOption,
        )),
    }
}

/// The link of a ballot's page.
pub fn ballot_path(id: BallotId) -> String {
    format!("/ballots/{}", id.0)
}

impl Ballots {
    /// Ballot use cases over a store, with the server's ballot secret.
    pub fn new(store: Arc<dyn Store>, secret: BallotSecret) -> Ballots {
        Ballots {
            tools: CommunityTools::new(store.clone()),
            store,
            secret: Arc::new(secret),
        }
    }

    async fn membership(
        &self,
        community: CommunityId,
        viewer: Option<&Account>,
    ) -> Result<Option<Membership>, AppError> {
        Ok(match viewer {
            Some(account) => self.store.membership(community, account.id).await?,
            None => None,
        })
    }

    async fn require_organiser(
        &self,
        actor: &Account,
        community: CommunityId,
    ) -> Result<(), AppError> {
        match self.store.membership(community, actor.id).await? {
            Some(m) if m.is_at_least(Role::Organiser) => Ok(()),
            _ => Err(AppError::Forbidden(Denial::NotOrganiser)),
        }
    }

    /// The ballot and its community, when the tool is on there.
    async fn existing(&self, id: BallotId) -> Result<(Ballot, Community), AppError> {
        let ballot = self.store.ballot(id).await?.ok_or(AppError::NotFound)?;
        let community = self
            .tools
            .require(ballot.community_id, CommunityTool::Ballots)
            .await?;
        Ok((ballot, community))
    }

    /// Takes the electorate or freezes the votes when either is due at
    /// `now`, and returns the ballot as it then stands.
    async fn settle(&self, ballot: Ballot, now: Timestamp) -> Result<Ballot, AppError> {
        let mut changed = false;
        if ballot.finalisation_due(now) {
            changed |= self
                .store
                .finalise_ballot(ballot.id, now, &self.secret)
                .await?;
        } else if ballot.electorate_due(now) {
            changed |= self
                .store
                .take_electorate(ballot.id, now, &self.secret)
                .await?;
        }
        if !changed {
            return Ok(ballot);
        }
        self.store
            .ballot(ballot.id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Creates a ballot (organisers). One that opens at once takes its
    /// electorate now.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, community_id = community.0))]
    pub async fn create(
        &self,
        actor: &Account,
        community: CommunityId,
        draft: &BallotDraft,
    ) -> Result<Ballot, AppError> {
        self.create_at(actor, community, draft, now()).await
    }

    pub(crate) async fn create_at(
        &self,
        actor: &Account,
        community: CommunityId,
        draft: &BallotDraft,
        now: Timestamp,
    ) -> Result<Ballot, AppError> {
        self.tools
            .require(community, CommunityTool::Ballots)
            .await?;
        self.require_organiser(actor, community).await?;
        let details = draft.validate(now).map_err(|errors| {
            let mut fields = FieldErrors::default();
            for error in errors {
                fields.add(ballot_field(error), FieldProblem::Ballot(error));
            }
            AppError::Invalid(fields)
        })?;
        let ballot = self
            .store
            .create_ballot(community, actor.id, &details, now, &self.secret)
            .await?;
        tracing::info!(
            ballot_id = ballot.id.0,
            secret = ballot.secret,
            "ballot created"
        );
        Ok(ballot)
    }

    /// A community's ballots: open, upcoming and closed. Members-only
    /// communities show them to members only.
    pub async fn list(
        &self,
        viewer: Option<&Account>,
        community: CommunityId,
    ) -> Result<BallotList, AppError> {
        let found = self
            .tools
            .require(community, CommunityTool::Ballots)
            .await?;
        let membership = self.membership(community, viewer).await?;
        if !community::can_read(found.profile.visibility, membership.as_ref()) {
            return Err(AppError::Forbidden(Denial::MembersOnly));
        }
        let listings = self.store.ballots_of(community, 200).await?;
        let at = now();
        let mut list = BallotList {
            community: found,
            membership,
            open: Vec::new(),
            upcoming: Vec::new(),
            closed: Vec::new(),
            withdrawn: Vec::new(),
        };
        for listing in listings {
            match listing.ballot.phase(at) {
                Phase::Open => list.open.push(listing),
                Phase::Upcoming => list.upcoming.push(listing),
                Phase::Closed => list.closed.push(listing),
                Phase::Withdrawn => list.withdrawn.push(listing),
            }
        }
        list.open.sort_by_key(|l| (l.ballot.closes_at, l.ballot.id));
        list.upcoming
            .sort_by_key(|l| (l.ballot.opens_at, l.ballot.id));
        Ok(list)
    }

    /// A ballot as `viewer` sees it.
    pub async fn page(
        &self,
        viewer: Option<&Account>,
        id: BallotId,
    ) -> Result<BallotPage, AppError> {
        self.page_at(viewer, id, now()).await
    }

    async fn page_at(
        &self,
        viewer: Option<&Account>,
        id: BallotId,
        now: Timestamp,
    ) -> Result<BallotPage, AppError> {
        let (ballot, community) = self.existing(id).await?;
        let membership = self.membership(community.id, viewer).await?;
        if !community::can_read(community.profile.visibility, membership.as_ref()) {
            return Err(AppError::Forbidden(Denial::MembersOnly));
        }
        let ballot = self.settle(ballot, now).await?;
        let phase = ballot.phase(now);
        let (participation, my_choice) = match viewer {
            Some(account) => {
                let participation = self
                    .store
                    .participation(id, account.id, &self.secret)
                    .await?;
                let choice = if participation.is_some_and(|p| p.voted) {
                    self.store
                        .current_choice(id, account.id, &self.secret)
                        .await?
                } else {
                    None
                };
                (participation, choice)
            }
            None => (None, None),
        };
        let organiser = membership
            .as_ref()
            .is_some_and(|m| m.is_at_least(Role::Organiser));
        let access = ballot::result_access(phase, ballot.secret, ballot.results_hidden, organiser);
        let counts = self.store.ballot_counts(id).await?;
        let tally = (access != ResultAccess::Hidden).then(|| tally_of(&ballot, &counts));
        let follow_ups = self.store.follow_ups(id).await?;
        Ok(BallotPage {
            community,
            membership,
            phase,
            participation,
            my_choice,
            electorate: counts.electorate,
            voted: counts.voted,
            access,
            tally,
            follow_ups,
            ballot,
        })
    }

    /// The result as `viewer` may see it: final after the close, a running
    /// count for organisers of open ballots that are neither secret nor
    /// hidden, otherwise `Forbidden(ResultsHidden)`.
    pub async fn result(
        &self,
        viewer: Option<&Account>,
        id: BallotId,
    ) -> Result<(BallotPage, Tally), AppError> {
        let page = self.page(viewer, id).await?;
        if page.phase == Phase::Withdrawn {
            return Err(AppError::Forbidden(Denial::BallotWithdrawn));
        }
        match page.tally.clone() {
            Some(tally) => Ok((page, tally)),
            None => Err(AppError::Forbidden(Denial::ResultsHidden)),
        }
    }

    /// Casts or changes the actor's vote. Only active members who were in
    /// the electorate at the opening may vote, while the ballot is open.
    /// Nothing about the choice is logged.
    #[tracing::instrument(skip_all, fields(ballot_id = id.0))]
    pub async fn vote(
        &self,
        actor: &Account,
        id: BallotId,
        option: OptionId,
    ) -> Result<VoteRecorded, AppError> {
        self.vote_at(actor, id, option, now()).await
    }

    pub(crate) async fn vote_at(
        &self,
        actor: &Account,
        id: BallotId,
        option: OptionId,
        now: Timestamp,
    ) -> Result<VoteRecorded, AppError> {
        let (ballot, community) = self.existing(id).await?;
        let membership = self.store.membership(community.id, actor.id).await?;
        if !membership.is_some_and(|m| m.is_active()) {
            return Err(AppError::Forbidden(Denial::NotMember));
        }
        match ballot.phase(now) {
            Phase::Upcoming => return Err(refusal(VoteRefusal::NotOpenYet)),
            Phase::Closed => return Err(refusal(VoteRefusal::Closed)),
            Phase::Withdrawn => return Err(refusal(VoteRefusal::Withdrawn)),
            Phase::Open => {}
        }
        match self
            .store
            .cast_vote(id, actor.id, option, now, &self.secret)
            .await?
        {
            None => Err(AppError::NotFound),
            Some(Ok(recorded)) => {
                tracing::info!(sequence = recorded.sequence, "vote recorded");
                Ok(recorded)
            }
            Some(Err(refused)) => Err(refusal(refused)),
        }
    }

    /// Sends a reminder to every elector who has not voted (organisers, open
    /// ballots, at most every six hours). Returns how many were reminded.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, ballot_id = id.0))]
    pub async fn remind(&self, actor: &Account, id: BallotId) -> Result<u64, AppError> {
        let at = now();
        let (ballot, community) = self.existing(id).await?;
        self.require_organiser(actor, community.id).await?;
        let ballot = self.settle(ballot, at).await?;
        match ballot.phase(at) {
            Phase::Upcoming => return Err(AppError::Forbidden(Denial::BallotNotOpen)),
            Phase::Closed => return Err(AppError::Forbidden(Denial::BallotClosed)),
            Phase::Withdrawn => return Err(AppError::Forbidden(Denial::BallotWithdrawn)),
            Phase::Open => {}
        }
        match self
            .send_reminders(&ballot, ballot::manual_reminder_cutoff(at), at)
            .await?
        {
            Some(sent) => {
                tracing::info!(sent, "ballot reminder sent");
                Ok(sent)
            }
            None => Err(AppError::Forbidden(Denial::ReminderTooSoon)),
        }
    }

    async fn send_reminders(
        &self,
        ballot: &Ballot,
        cutoff: Timestamp,
        now: Timestamp,
    ) -> Result<Option<u64>, AppError> {
        let link = ballot_path(ballot.id);
        let notification =
            NewNotification::new(NotificationKind::BallotReminder, &ballot.title, &link)
                .ok_or(AppError::NotFound)?;
        Ok(self
            .store
            .remind_non_voters(ballot.id, cutoff, &notification, now, &self.secret)
            .await?)
    }

    async fn require_closed_for_organiser(
        &self,
        actor: &Account,
        id: BallotId,
        now: Timestamp,
    ) -> Result<Ballot, AppError> {
        let (ballot, community) = self.existing(id).await?;
        self.require_organiser(actor, community.id).await?;
        let ballot = self.settle(ballot, now).await?;
        match ballot.phase(now) {
            Phase::Closed => {}
            Phase::Withdrawn => return Err(AppError::Forbidden(Denial::BallotWithdrawn)),
            Phase::Upcoming | Phase::Open => {
                return Err(AppError::Forbidden(Denial::BallotStillOpen));
            }
        }
        Ok(ballot)
    }

    /// Withdraws a ballot before it opens (organisers), with the reason
    /// for the record. Too late once it has opened: then the members decide.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, ballot_id = id.0))]
    pub async fn withdraw(
        &self,
        actor: &Account,
        id: BallotId,
        reason: &str,
    ) -> Result<(), AppError> {
        let at = now();
        let (ballot, community) = self.existing(id).await?;
        self.require_organiser(actor, community.id).await?;
        let ballot = self.settle(ballot, at).await?;
        ballot.may_withdraw(at).map_err(withdrawal_denial)?;
        let reason =
            ballot::validate_withdrawal_reason(reason).map_err(|e| outcome_errors(vec![e]))?;
        if !self
            .store
            .withdraw_ballot(id, &reason, actor.id, at)
            .await?
        {
            // It opened (or was withdrawn) between the check and the write.
            let current = self.store.ballot(id).await?.ok_or(AppError::NotFound)?;
            current.may_withdraw(at).map_err(withdrawal_denial)?;
            return Err(AppError::Forbidden(Denial::BallotAlreadyOpen));
        }
        tracing::info!("ballot withdrawn");
        Ok(())
    }

    /// Records (or rewrites) the outcome of a closed ballot (organisers).
    pub async fn record_outcome(
        &self,
        actor: &Account,
        id: BallotId,
        text: &str,
    ) -> Result<(), AppError> {
        self.record_outcome_at(actor, id, text, now()).await
    }

    pub(crate) async fn record_outcome_at(
        &self,
        actor: &Account,
        id: BallotId,
        text: &str,
        now: Timestamp,
    ) -> Result<(), AppError> {
        self.require_closed_for_organiser(actor, id, now).await?;
        let text = ballot::validate_outcome(text).map_err(|e| outcome_errors(vec![e]))?;
        self.store.record_outcome(id, &text, actor.id, now).await?;
        Ok(())
    }

    /// Adds a follow-up action to a closed ballot (organisers).
    pub async fn add_follow_up(
        &self,
        actor: &Account,
        id: BallotId,
        action: &str,
        due_on: &str,
    ) -> Result<FollowUp, AppError> {
        self.add_follow_up_at(actor, id, action, due_on, now())
            .await
    }

    pub(crate) async fn add_follow_up_at(
        &self,
        actor: &Account,
        id: BallotId,
        action: &str,
        due_on: &str,
        now: Timestamp,
    ) -> Result<FollowUp, AppError> {
        self.require_closed_for_organiser(actor, id, now).await?;
        let details = ballot::validate_follow_up(action, due_on).map_err(outcome_errors)?;
        Ok(self
            .store
            .add_follow_up(id, &details, actor.id, now)
            .await?)
    }

    /// Marks a follow-up action done or not done (organisers).
    pub async fn set_follow_up_done(
        &self,
        actor: &Account,
        id: BallotId,
        follow_up: FollowUpId,
        done: bool,
    ) -> Result<(), AppError> {
        self.require_closed_for_organiser(actor, id, now()).await?;
        if self.store.set_follow_up_done(id, follow_up, done).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// The background work due at `now` on every ballot that has opened
    /// and is not final: take the electorate, freeze closed ballots, and
    /// send the automatic reminder a day before the close (not in
    /// communities that switched ballots off). Safe on several servers.
    pub async fn run_due_work(&self, now: Timestamp) -> Result<DueWork, AppError> {
        let mut done = DueWork::default();
        for ballot in self.store.unsettled_ballots(now, 500).await? {
            if ballot.finalisation_due(now) {
                done.finalised += u64::from(
                    self.store
                        .finalise_ballot(ballot.id, now, &self.secret)
                        .await?,
                );
                continue;
            }
            if ballot.electorate_due(now) {
                done.electorates += u64::from(
                    self.store
                        .take_electorate(ballot.id, now, &self.secret)
                        .await?,
                );
            }
            let Some(cutoff) = ballot::auto_reminder_cutoff(ballot.opens_at, ballot.closes_at, now)
            else {
                continue;
            };
            if !ballot::reminder_allowed(ballot.reminded_at, cutoff) {
                continue;
            }
            match self
                .tools
                .require(ballot.community_id, CommunityTool::Ballots)
                .await
            {
                Ok(_) => {}
                Err(AppError::Forbidden(Denial::ToolOff) | AppError::NotFound) => continue,
                Err(other) => return Err(other),
            }
            if let Some(sent) = self.send_reminders(&ballot, cutoff, now).await? {
                done.reminded += sent;
            }
        }
        Ok(done)
    }
}

/// The tally of a ballot from its stored counts.
pub fn tally_of(ballot: &Ballot, counts: &BallotCounts) -> Tally {
    ballot::tally(
        ballot.kind,
        &ballot.options,
        ballot.quorum,
        ballot.threshold,
        counts.electorate,
        &counts.votes,
    )
}
