//! Solidarity-fund use cases: members contribute and claim, the committee
//! (by default the organisers, one approval) decides, organisers choose the
//! committee and the approvals needed, and members see a public summary:
//! totals and anonymised payouts.
//!
//! A claim is seen only by its claimant and by those who decide it; other
//! members see only the anonymised payout (date and amount). Deciding goes
//! through the store's `decide`, which serialises per fund and pays the
//! claim when the approvals are in — or refuses the decision when the fund
//! cannot cover it.
//!
//! Organisers may instead let the members decide by ballot: each claim
//! then opens a secret yes/no ballot (`fund::claim_ballot`: amount and
//! reason, never the claimant's name; the claimant does not vote), and
//! `settle_ballot_claims`, run by the same background work that closes
//! ballots, pays the claims whose ballot passed and turns down the rest. A
//! claim that passed while the fund is short stays pending and is paid on
//! a later run, once contributions cover it. While the community's ballots
//! are switched off, new claims go to the committee.

use std::sync::Arc;

use tsunagari_domain::ballot::{Ballot, BallotSecret};
use tsunagari_domain::community::{Community, CommunityId, Membership, MembershipStatus, Role};
use tsunagari_domain::fund::{
    self, Amount, BallotRule, Claim, ClaimDraft, ClaimId, DecisionDraft, DecisionRefusal,
    FundFieldError, Resolution, Tally,
};
use tsunagari_domain::notification::NotificationKind;
use tsunagari_domain::time::now;
use tsunagari_domain::tools::CommunityTool;
use tsunagari_domain::{Account, Timestamp, UserId};
use tsunagari_store::{
    DecisionEntry, DecisionResult, FundSettings, FundSummary, LedgerRecord, MemberEntry, Payout,
    SettleResult, Store,
};

/// How many payouts a page of the payout history lists.
pub const PAYOUTS_PER_PAGE: i64 = 50;

/// One page of a fund's anonymised payouts, newest first.
#[derive(Debug, Clone)]
pub struct PayoutHistory {
    /// The union.
    pub community: Community,
    /// The payouts on this page.
    pub payouts: Vec<Payout>,
    /// Where the next (older) page starts, when there is one: pass it as
    /// `before`.
    pub older: Option<i64>,
}

use crate::{AppError, CommunityTools, Denial, Field, FieldErrors, FieldProblem, Notifications};

/// The solidarity-fund use cases.
#[derive(Clone)]
pub struct Fund {
    store: Arc<dyn Store>,
    secret: BallotSecret,
    tools: CommunityTools,
    notifications: Notifications,
}

/// A union's fund page as one member sees it.
#[derive(Debug, Clone)]
pub struct FundPage {
    /// The union.
    pub community: Community,
    /// The viewer's membership.
    pub membership: Membership,
    /// Totals and anonymised payouts.
    pub summary: FundSummary,
    /// Who decides and how many approvals it takes.
    pub settings: FundSettings,
    /// Whether a claim filed now opens a ballot (deciding by ballot, with
    /// the community's ballots on).
    pub claims_by_ballot: bool,
    /// The names of the committee (or, without one, the organisers).
    pub deciders: Vec<String>,
    /// Whether the viewer decides claims.
    pub is_decider: bool,
    /// The viewer's contributions here, newest first.
    pub my_contributions: Vec<LedgerRecord>,
    /// The viewer's claims here, newest first.
    pub my_claims: Vec<Claim>,
    /// Deciders only: the union's claims, pending first.
    pub claims: Vec<Claim>,
    /// Organisers only: active members who could sit on the committee.
    pub candidates: Vec<MemberEntry>,
}

impl FundPage {
    /// Whether the viewer organises the union.
    pub fn viewer_organises(&self) -> bool {
        self.membership.is_at_least(Role::Organiser)
    }
}

/// One claim as its claimant or a decider sees it.
#[derive(Debug, Clone)]
pub struct ClaimPage {
    /// The claim.
    pub claim: Claim,
    /// The union.
    pub community: Community,
    /// The claimant's display name (`None` once the account is deleted).
    pub claimant_name: Option<String>,
    /// The decisions so far, with names.
    pub decisions: Vec<DecisionEntry>,
    /// Approvals needed.
    pub approvals_needed: u32,
    /// Whether the viewer may decide it now.
    pub viewer_may_decide: bool,
    /// Why the viewer may not decide (for deciders).
    pub refusal: Option<DecisionRefusal>,
    /// The fund's balance now.
    pub balance: i64,
    /// The ballot that decides it, with its tally once final.
    pub ballot: Option<ClaimBallot>,
    /// Whether the viewer (its claimant) may withdraw it now.
    pub viewer_may_withdraw: bool,
}

/// The ballot deciding a claim, as its claim page shows it.
#[derive(Debug, Clone)]
pub struct ClaimBallot {
    /// The ballot.
    pub ballot: Ballot,
    /// The counts, once the ballot is final (secret and hidden until then).
    pub tally: Option<tsunagari_domain::ballot::Tally>,
}

/// The fund's settings as typed.
#[derive(Debug, Clone, Default)]
pub struct FundSettingsForm {
    /// `committee` (or empty) or `ballot`.
    pub method: String,
    /// Approvals a committee decision needs.
    pub approvals_needed: String,
    /// The committee; empty means the organisers.
    pub committee: Vec<UserId>,
    /// Days each vote runs (1–30).
    pub ballot_days: String,
    /// The votes' quorum in percent; empty means none.
    pub ballot_quorum: String,
}

/// What a decision did.
#[derive(Debug, Clone)]
pub struct DecisionOutcome {
    /// The claim after it.
    pub claim: Claim,
    /// The tally after it.
    pub tally: Tally,
    /// The payout, when this decision paid the claim.
    pub payout: Option<LedgerRecord>,
}

/// The field a fund problem belongs to.
pub fn fund_field(error: FundFieldError) -> Field {
    match error {
        FundFieldError::Amount(_) => Field::Amount,
        FundFieldError::Reason => Field::Reason,
        FundFieldError::Note => Field::Note,
        FundFieldError::ApprovalsNeeded => Field::ApprovalsNeeded,
        FundFieldError::BallotDays => Field::BallotDays,
        FundFieldError::BallotQuorum => Field::BallotQuorum,
        FundFieldError::BallotsOff => Field::DecisionMethod,
    }
}

fn invalid(errors: impl IntoIterator<Item = FundFieldError>) -> AppError {
    let mut fields = FieldErrors::default();
    for error in errors {
        fields.add(fund_field(error), FieldProblem::Fund(error));
    }
    AppError::Invalid(fields)
}

/// The denial a refused decision is answered with.
pub fn decision_denial(refusal: DecisionRefusal) -> Denial {
    match refusal {
        DecisionRefusal::OwnClaim => Denial::OwnClaim,
        DecisionRefusal::NotDecider => Denial::NotDecider,
        DecisionRefusal::AlreadyDecided => Denial::AlreadyDecided,
        DecisionRefusal::Settled => Denial::ClaimSettled,
        DecisionRefusal::ClaimantGone => Denial::ClaimantGone,
        DecisionRefusal::ByBallot => Denial::DecidedByBallot,
    }
}

fn refusal(refusal: DecisionRefusal) -> AppError {
    AppError::Forbidden(decision_denial(refusal))
}

impl Fund {
    /// Fund use cases over a store; `secret` keys the choices of the
    /// secret ballots that decide claims (the ballots' own key).
    pub fn new(store: Arc<dyn Store>, secret: BallotSecret) -> Fund {
        Fund {
            secret,
            tools: CommunityTools::new(store.clone()),
            notifications: Notifications::new(store.clone()),
            store,
        }
    }

    async fn active_member(
        &self,
        community: CommunityId,
        actor: &Account,
    ) -> Result<Membership, AppError> {
        match self.store.membership(community, actor.id).await? {
            Some(m) if m.is_active() => Ok(m),
            _ => Err(AppError::Forbidden(Denial::NotMember)),
        }
    }

    /// Who decides a union's claims: the committee's active members, or
    /// the active organisers while there is no committee.
    async fn deciders(
        &self,
        community: CommunityId,
        settings: &FundSettings,
    ) -> Result<Vec<MemberEntry>, AppError> {
        let active = self
            .store
            .members(community, MembershipStatus::Active)
            .await?;
        Ok(if settings.committee.is_empty() {
            active
                .into_iter()
                .filter(|m| m.membership.role.organises())
                .collect()
        } else {
            active
                .into_iter()
                .filter(|m| settings.committee.contains(&m.membership.user_id))
                .collect()
        })
    }

    /// The union's fund page (active members).
    pub async fn page(
        &self,
        viewer: &Account,
        community: CommunityId,
    ) -> Result<FundPage, AppError> {
        let found = self
            .tools
            .require(community, CommunityTool::SolidarityFund)
            .await?;
        let membership = self.active_member(community, viewer).await?;
        let settings = self.store.fund_settings(community).await?;
        let deciders = self.deciders(community, &settings).await?;
        let is_decider = deciders.iter().any(|d| d.membership.user_id == viewer.id);
        let my_contributions = self
            .store
            .contributions_of(viewer.id)
            .await?
            .into_iter()
            .filter(|r| r.community_id == community)
            .collect();
        let my_claims = self
            .store
            .claims_of(viewer.id)
            .await?
            .into_iter()
            .filter(|c| c.community_id == community)
            .collect();
        let claims = if is_decider {
            self.store.claims(community, 200).await?
        } else {
            Vec::new()
        };
        let candidates = if membership.is_at_least(Role::Organiser) {
            self.store
                .members(community, MembershipStatus::Active)
                .await?
        } else {
            Vec::new()
        };
        Ok(FundPage {
            claims_by_ballot: self
                .claim_ballot_rule(community, &settings)
                .await?
                .is_some(),
            summary: self.store.fund_summary(community).await?,
            deciders: deciders.into_iter().map(|d| d.display_name).collect(),
            community: found,
            membership,
            settings,
            is_decider,
            my_contributions,
            my_claims,
            claims,
            candidates,
        })
    }

    /// The public summary alone (active members), for the API.
    pub async fn summary(
        &self,
        viewer: &Account,
        community: CommunityId,
    ) -> Result<FundSummary, AppError> {
        self.tools
            .require(community, CommunityTool::SolidarityFund)
            .await?;
        self.active_member(community, viewer).await?;
        Ok(self.store.fund_summary(community).await?)
    }

    /// Anonymised payouts older than `before` (a ledger position), one page
    /// of them (active members).
    pub async fn payouts(
        &self,
        viewer: &Account,
        community: CommunityId,
        before: Option<i64>,
    ) -> Result<PayoutHistory, AppError> {
        let found = self
            .tools
            .require(community, CommunityTool::SolidarityFund)
            .await?;
        self.active_member(community, viewer).await?;
        // One more than a page tells whether an older page exists.
        let mut payouts = self
            .store
            .payouts(community, before, PAYOUTS_PER_PAGE + 1)
            .await?;
        let older = if payouts.len() as i64 > PAYOUTS_PER_PAGE {
            payouts.truncate(PAYOUTS_PER_PAGE as usize);
            payouts.last().map(|p| p.seq)
        } else {
            None
        };
        Ok(PayoutHistory {
            community: found,
            payouts,
            older,
        })
    }

    /// A member contributes whole yen.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, community_id = community.0))]
    pub async fn contribute(
        &self,
        actor: &Account,
        community: CommunityId,
        amount: &str,
    ) -> Result<LedgerRecord, AppError> {
        self.tools
            .require(community, CommunityTool::SolidarityFund)
            .await?;
        self.active_member(community, actor).await?;
        let amount = Amount::parse(amount).map_err(|e| invalid([FundFieldError::Amount(e)]))?;
        let record = self
            .store
            .contribute(community, actor.id, amount, now())
            .await?;
        tracing::info!(seq = record.seq, "fund contribution recorded");
        Ok(record)
    }

    /// A member in need files a claim.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, community_id = community.0))]
    pub async fn claim(
        &self,
        actor: &Account,
        community: CommunityId,
        draft: &ClaimDraft,
    ) -> Result<Claim, AppError> {
        self.tools
            .require(community, CommunityTool::SolidarityFund)
            .await?;
        self.active_member(community, actor).await?;
        let details = draft.validate().map_err(invalid)?;
        let now = now();
        let settings = self.store.fund_settings(community).await?;
        let ballot = match self.claim_ballot_rule(community, &settings).await? {
            Some(rule) => Some(fund::claim_ballot(&details, rule, now).map_err(|errors| {
                AppError::Store(tsunagari_store::StoreError::Corrupt(format!(
                    "the fund's ballot rule makes an invalid ballot: {errors:?}"
                )))
            })?),
            None => None,
        };
        let claim = self
            .store
            .create_claim(
                community,
                actor.id,
                &details,
                ballot.as_ref().map(|b| (b, &self.secret)),
                now,
            )
            .await?;
        tracing::info!(
            claim_id = claim.id.0,
            ballot_id = claim.ballot.map(|b| b.0),
            "fund claim filed"
        );
        Ok(claim)
    }

    /// The rule of the ballot a new claim opens: set when the members
    /// decide (`settings`) and the community's ballots are on.
    async fn claim_ballot_rule(
        &self,
        community: CommunityId,
        settings: &FundSettings,
    ) -> Result<Option<BallotRule>, AppError> {
        if !settings.by_ballot {
            return Ok(None);
        }
        match self.tools.require(community, CommunityTool::Ballots).await {
            Ok(_) => Ok(Some(settings.ballot_rule)),
            Err(AppError::Forbidden(Denial::ToolOff)) => {
                tracing::warn!(
                    community_id = community.0,
                    "the fund decides by ballot but ballots are off: the committee decides this claim"
                );
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// Settles the pending claims whose ballot has closed and been
    /// finalised: passed pays (or waits, while the fund is short), anything
    /// else turns the claim down. Safe on several servers: settling twice
    /// settles nothing the second time. Returns how many it settled.
    pub async fn settle_ballot_claims(&self, now: Timestamp) -> Result<u64, AppError> {
        let mut settled = 0;
        for claim in self.store.claims_awaiting_settlement(200).await? {
            let Some(ballot_id) = claim.ballot else {
                continue;
            };
            let Some(ballot) = self.store.ballot(ballot_id).await? else {
                continue;
            };
            let counts = self.store.ballot_counts(ballot_id).await?;
            let tally = crate::ballots::tally_of(&ballot, &counts);
            let resolution = if claim.claimant.is_none() {
                // Nobody left to pay.
                Resolution::Reject
            } else {
                fund::ballot_resolution(&tally)
            };
            match self
                .store
                .settle_claim(claim.id, resolution, None, now)
                .await?
            {
                SettleResult::Settled { claim, .. } => {
                    tracing::info!(
                        claim_id = claim.id.0,
                        ballot_id = ballot_id.0,
                        ?resolution,
                        "fund claim settled by ballot"
                    );
                    self.tell_claimant(&claim).await;
                    settled += 1;
                }
                SettleResult::WouldOverdraw(short) => tracing::info!(
                    claim_id = claim.id.0,
                    balance = short.balance,
                    needed = short.needed,
                    "claim passed by ballot waits for the fund to cover it"
                ),
                SettleResult::AlreadySettled | SettleResult::NotFound => {}
            }
        }
        Ok(settled)
    }

    /// A claim for its claimant and its deciders; anyone else is told it
    /// does not exist.
    pub async fn claim_page(&self, viewer: &Account, id: ClaimId) -> Result<ClaimPage, AppError> {
        let claim = self.store.claim(id).await?.ok_or(AppError::NotFound)?;
        let found = self
            .tools
            .require(claim.community_id, CommunityTool::SolidarityFund)
            .await?;
        let settings = self.store.fund_settings(found.id).await?;
        let deciders = self.deciders(found.id, &settings).await?;
        let is_decider = deciders.iter().any(|d| d.membership.user_id == viewer.id);
        let is_claimant = claim.claimant == Some(viewer.id);
        if !is_decider && !is_claimant {
            return Err(AppError::NotFound);
        }
        let decisions = self.store.decisions(id).await?;
        let already = decisions
            .iter()
            .any(|d| d.decision.decider == Some(viewer.id));
        let check = |approve| fund::may_decide(viewer.id, &claim, is_decider, already, approve);
        // Rejecting is allowed in every case approving is, and more.
        let refusal = check(false).err();
        let claimant_name = match claim.claimant {
            Some(person) => self
                .store
                .account(person)
                .await?
                .map(|a| a.display_name.as_str().to_owned()),
            None => None,
        };
        let ballot = match claim.ballot {
            Some(id) => match self.store.ballot(id).await? {
                Some(ballot) => {
                    let tally = match ballot.finalised_at {
                        Some(_) => Some(crate::ballots::tally_of(
                            &ballot,
                            &self.store.ballot_counts(id).await?,
                        )),
                        None => None,
                    };
                    Some(ClaimBallot { ballot, tally })
                }
                None => None,
            },
            None => None,
        };
        Ok(ClaimPage {
            ballot,
            viewer_may_withdraw: fund::may_withdraw(viewer.id, &claim).is_ok(),
            balance: self.store.fund_summary(found.id).await?.totals.balance,
            viewer_may_decide: refusal.is_none(),
            refusal: refusal.filter(|_| is_decider),
            approvals_needed: settings.approvals_needed,
            claimant_name,
            decisions,
            community: found,
            claim,
        })
    }

    /// The claimant withdraws their pending claim (a committee decides it;
    /// a claim put to the members' ballot stays until the ballot closes).
    /// Someone else's claim answers `NotFound`, so its existence does not
    /// leak.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, claim_id = id.0))]
    pub async fn withdraw(&self, actor: &Account, id: ClaimId) -> Result<Claim, AppError> {
        let claim = self.store.claim(id).await?.ok_or(AppError::NotFound)?;
        self.tools
            .require(claim.community_id, CommunityTool::SolidarityFund)
            .await?;
        match self.store.withdraw_claim(id, actor.id, now()).await? {
            None | Some(Err(fund::WithdrawalRefusal::NotClaimant)) => Err(AppError::NotFound),
            Some(Err(fund::WithdrawalRefusal::Settled)) => {
                Err(AppError::Forbidden(Denial::ClaimSettled))
            }
            Some(Err(fund::WithdrawalRefusal::ByBallot)) => {
                Err(AppError::Forbidden(Denial::DecidedByBallot))
            }
            Some(Ok(claim)) => {
                tracing::info!("fund claim withdrawn");
                Ok(claim)
            }
        }
    }

    async fn tell_claimant(&self, claim: &Claim) {
        let Some(claimant) = claim.claimant else {
            return;
        };
        let subject = fund::format_yen(claim.amount.yen());
        self.notifications
            .send(
                &[claimant],
                NotificationKind::FundClaimDecided,
                &subject,
                &format!("/fund/claims/{}", claim.id.0),
            )
            .await;
    }

    /// A decider approves or rejects (a rejection needs a note). The
    /// decision that completes the approvals pays the claim; it is refused
    /// when the fund cannot cover it.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, claim_id = id.0))]
    pub async fn decide(
        &self,
        actor: &Account,
        id: ClaimId,
        draft: &DecisionDraft,
    ) -> Result<DecisionOutcome, AppError> {
        let claim = self.store.claim(id).await?.ok_or(AppError::NotFound)?;
        self.tools
            .require(claim.community_id, CommunityTool::SolidarityFund)
            .await?;
        let membership = self.store.membership(claim.community_id, actor.id).await?;
        if !membership.is_some_and(|m| m.is_active()) && claim.claimant != Some(actor.id) {
            return Err(AppError::NotFound);
        }
        let note = draft.validate().map_err(|e| invalid([e]))?;
        match self
            .store
            .decide(id, actor.id, draft.approve, note.as_deref(), now())
            .await?
        {
            DecisionResult::Recorded {
                tally,
                claim,
                payout,
            } => {
                tracing::info!(?tally, paid = payout.is_some(), "fund decision recorded");
                if tally.resolution().is_some() {
                    self.tell_claimant(&claim).await;
                }
                Ok(DecisionOutcome {
                    claim,
                    tally,
                    payout,
                })
            }
            DecisionResult::Refused(why) => Err(refusal(why)),
            DecisionResult::WouldOverdraw(why) => {
                tracing::info!(
                    balance = why.balance,
                    needed = why.needed,
                    "payout would overdraw"
                );
                Err(AppError::Forbidden(Denial::WouldOverdraw))
            }
            DecisionResult::NotFound => Err(AppError::NotFound),
        }
    }

    /// Settles a pending claim by a resolution reached outside the
    /// committee (the hook for a decision by ballot): approve pays it,
    /// reject turns it down; the claimant is told.
    #[tracing::instrument(skip_all, fields(claim_id = id.0))]
    pub async fn resolve(
        &self,
        id: ClaimId,
        resolution: Resolution,
        by: Option<UserId>,
    ) -> Result<Claim, AppError> {
        match self.store.settle_claim(id, resolution, by, now()).await? {
            SettleResult::Settled { claim, .. } => {
                self.tell_claimant(&claim).await;
                Ok(claim)
            }
            SettleResult::AlreadySettled => Err(AppError::Forbidden(Denial::ClaimSettled)),
            SettleResult::WouldOverdraw(_) => Err(AppError::Forbidden(Denial::WouldOverdraw)),
            SettleResult::NotFound => Err(AppError::NotFound),
        }
    }

    /// Sets who decides (organisers): the committee and how many
    /// approvals it takes, or a ballot of the members and its rule. An
    /// empty committee means the organisers decide; every committee member
    /// must be an active member, and the approvals needed cannot exceed the
    /// number of deciders. Deciding by ballot needs the community's ballots
    /// on. Claims already filed keep the method they were filed under.
    pub async fn set_settings(
        &self,
        actor: &Account,
        community: CommunityId,
        form: &FundSettingsForm,
    ) -> Result<FundSettings, AppError> {
        self.tools
            .require(community, CommunityTool::SolidarityFund)
            .await?;
        match self.store.membership(community, actor.id).await? {
            Some(m) if m.is_at_least(Role::Organiser) => {}
            _ => return Err(AppError::Forbidden(Denial::NotOrganiser)),
        }
        let approvals_needed = form.approvals_needed.as_str();
        let committee = form.committee.as_slice();
        let active = self
            .store
            .members(community, MembershipStatus::Active)
            .await?;
        let mut errors = FieldErrors::default();
        let mut chosen: Vec<UserId> = Vec::new();
        for person in committee {
            if !active.iter().any(|m| m.membership.user_id == *person) {
                errors.add(Field::Person, FieldProblem::NotActiveMember);
            } else if !chosen.contains(person) {
                chosen.push(*person);
            }
        }
        let deciders = if chosen.is_empty() {
            active
                .iter()
                .filter(|m| m.membership.role.organises())
                .count()
        } else {
            chosen.len()
        };
        let needed = approvals_needed
            .trim()
            .parse::<u32>()
            .map_err(|_| FundFieldError::ApprovalsNeeded)
            .and_then(|n| fund::check_approvals_needed(n, deciders));
        let needed = errors.check(Field::ApprovalsNeeded, needed, FieldProblem::Fund);
        let by_ballot = match form.method.trim() {
            "" | "committee" => false,
            "ballot" => true,
            _ => {
                errors.add(Field::DecisionMethod, FieldProblem::DecisionMethod);
                false
            }
        };
        // A form without the ballot fields (an older client, the committee
        // part alone) keeps the stored rule.
        let untouched = form.ballot_days.trim().is_empty() && form.ballot_quorum.trim().is_empty();
        let rule = if untouched {
            Some(self.store.fund_settings(community).await?.ballot_rule)
        } else {
            match BallotRule::parse(&form.ballot_days, &form.ballot_quorum) {
                Ok(rule) => Some(rule),
                Err(problems) => {
                    for problem in problems {
                        errors.add(fund_field(problem), FieldProblem::Fund(problem));
                    }
                    None
                }
            }
        };
        if by_ballot {
            match self.tools.require(community, CommunityTool::Ballots).await {
                Ok(_) => {}
                Err(AppError::Forbidden(Denial::ToolOff)) => errors.add(
                    Field::DecisionMethod,
                    FieldProblem::Fund(FundFieldError::BallotsOff),
                ),
                Err(other) => return Err(other),
            }
        }
        AppError::invalid_if_any(errors)?;
        let settings = FundSettings {
            approvals_needed: needed.unwrap_or(1),
            committee: chosen,
            by_ballot,
            ballot_rule: rule.unwrap_or_default(),
        };
        self.store
            .set_fund_settings(community, &settings, actor.id, now())
            .await?;
        tracing::info!(
            community_id = community.0,
            approvals_needed = settings.approvals_needed,
            committee = settings.committee.len(),
            by_ballot = settings.by_ballot,
            "fund settings saved"
        );
        Ok(settings)
    }
}
