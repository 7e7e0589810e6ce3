//! Solidarity-fund pages: the fund's public summary with contributing,
//! your own contributions and claims, the deciders' claim list and the
//! organisers' settings; every payout, a page at a time; the claim form;
//! one claim with its decisions.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tsunagari_app::{AppError, ClaimPage, FundPage, FundSettingsForm, PayoutHistory};
use tsunagari_domain::UserId;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::fund::{Claim, ClaimDraft, ClaimId, DecisionDraft, format_yen};

use super::counselling::ChoiceView;
use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::context::{RequestContext, RequireUser};
use crate::error::{Failure, FormErrors};
use crate::state::AppState;

/// A claim in a list.
pub struct ClaimItem {
    id: i64,
    amount: String,
    status: String,
    pending: bool,
    created: String,
}

fn claim_item(ctx: &RequestContext, claim: &Claim) -> ClaimItem {
    ClaimItem {
        id: claim.id.0,
        amount: format_yen(claim.amount.yen()),
        status: ctx.t(&format!("fund-status-{}", claim.status.as_str())),
        pending: claim.status == tsunagari_domain::fund::ClaimStatus::Pending,
        created: format_time(claim.created_at, reader_zone(ctx), ctx.tr.locale()),
    }
}

/// A dated amount (a contribution or an anonymised payout).
pub struct DatedAmount {
    date: String,
    amount: String,
}

/// How many of the latest payouts the fund page shows; the rest are on
/// the payout history.
const FUND_PAGE_PAYOUTS: usize = 10;

fn payout_row(ctx: &RequestContext, payout: &tsunagari_store::Payout) -> DatedAmount {
    DatedAmount {
        date: format_time(payout.paid_at, reader_zone(ctx), ctx.tr.locale()),
        amount: format_yen(payout.amount),
    }
}

/// The fund page.
#[derive(Template, WebTemplate)]
#[template(path = "fund/index.html")]
pub struct IndexPage {
    ctx: RequestContext,
    community: (i64, String),
    balance: String,
    contributed: String,
    paid_out: String,
    contributions: i64,
    claims_paid: i64,
    claims_pending: i64,
    payouts: Vec<DatedAmount>,
    more_payouts: bool,
    deciders: String,
    organisers_decide: bool,
    approvals_needed: u32,
    is_decider: bool,
    organises: bool,
    my_contributions: Vec<DatedAmount>,
    my_claims: Vec<ClaimItem>,
    claims: Vec<ClaimItem>,
    committee_choices: Vec<ChoiceView>,
    amount: String,
    errors: FormErrors,
    settings_errors: FormErrors,
    settings_needed: String,
    by_ballot: bool,
    ballot_days: u32,
    ballot_quorum: u8,
    settings_by_ballot: bool,
    settings_ballot_days: String,
    settings_ballot_quorum: String,
    max_amount: String,
}

fn index_page(ctx: RequestContext, page: &FundPage) -> IndexPage {
    let zone = reader_zone(&ctx);
    let locale = ctx.tr.locale();
    let s = &page.summary;
    let deciders = if page.deciders.is_empty() {
        ctx.t("fund-deciders-none")
    } else {
        page.deciders.join(ctx.tr.t("fund-list-separator").as_str())
    };
    IndexPage {
        community: (page.community.id.0, page.community.profile.name.clone()),
        balance: format_yen(s.totals.balance),
        contributed: format_yen(s.totals.contributed),
        paid_out: format_yen(s.totals.paid_out),
        contributions: s.contributions,
        claims_paid: s.claims_paid,
        claims_pending: s.claims_pending,
        payouts: s
            .payouts
            .iter()
            .take(FUND_PAGE_PAYOUTS)
            .map(|p| payout_row(&ctx, p))
            .collect(),
        more_payouts: s.payouts.len() > FUND_PAGE_PAYOUTS,
        deciders,
        organisers_decide: page.settings.committee.is_empty(),
        approvals_needed: page.settings.approvals_needed,
        is_decider: page.is_decider,
        organises: page.viewer_organises(),
        my_contributions: page
            .my_contributions
            .iter()
            .map(|r| DatedAmount {
                date: format_time(r.created_at, zone, locale),
                amount: format_yen(r.amount()),
            })
            .collect(),
        my_claims: page.my_claims.iter().map(|c| claim_item(&ctx, c)).collect(),
        claims: page.claims.iter().map(|c| claim_item(&ctx, c)).collect(),
        committee_choices: page
            .candidates
            .iter()
            .map(|m| ChoiceView {
                value: m.membership.user_id.0.to_string(),
                label: m.display_name.clone(),
                selected: page.settings.committee.contains(&m.membership.user_id),
            })
            .collect(),
        amount: String::new(),
        errors: FormErrors::default(),
        settings_errors: FormErrors::default(),
        settings_needed: page.settings.approvals_needed.to_string(),
        by_ballot: page.settings.by_ballot,
        ballot_days: page.settings.ballot_rule.days,
        ballot_quorum: page.settings.ballot_rule.quorum.percent(),
        settings_by_ballot: page.settings.by_ballot,
        settings_ballot_days: page.settings.ballot_rule.days.to_string(),
        settings_ballot_quorum: page.settings.ballot_rule.quorum.percent().to_string(),
        max_amount: format_yen(tsunagari_domain::fund::MAX_AMOUNT),
        ctx,
    }
}

/// `GET /communities/{id}/fund`.
pub async fn index(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<IndexPage, Failure> {
    let page = state.fund.page(&user.account, CommunityId(id)).await?;
    Ok(index_page(ctx, &page))
}

/// Every payout, a page at a time.
#[derive(Template, WebTemplate)]
#[template(path = "fund/payouts.html")]
pub struct PayoutsPage {
    ctx: RequestContext,
    community: (i64, String),
    payouts: Vec<DatedAmount>,
    older: Option<i64>,
    first_page: bool,
}

/// Where a page of payouts starts.
#[derive(Deserialize)]
pub struct PayoutQuery {
    before: Option<i64>,
}

/// `GET /communities/{id}/fund/payouts` (`?before=` for older pages).
pub async fn payouts(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    Query(query): Query<PayoutQuery>,
) -> Result<PayoutsPage, Failure> {
    let history: PayoutHistory = state
        .fund
        .payouts(&user.account, CommunityId(id), query.before)
        .await?;
    Ok(PayoutsPage {
        community: (
            history.community.id.0,
            history.community.profile.name.clone(),
        ),
        payouts: history
            .payouts
            .iter()
            .map(|p| payout_row(&ctx, p))
            .collect(),
        older: history.older,
        first_page: query.before.is_none(),
        ctx,
    })
}

/// The contribution form.
#[derive(Deserialize)]
pub struct ContributionForm {
    #[serde(default)]
    amount: String,
}

/// `POST /communities/{id}/fund/contributions`.
pub async fn contribute(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ContributionForm>,
) -> Result<Response, Failure> {
    match state
        .fund
        .contribute(&user.account, CommunityId(id), &form.amount)
        .await
    {
        Ok(_) => Ok(redirect_with_notice(
            &ctx,
            &format!("/communities/{id}/fund"),
            Some("fund-contributed"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let page = state.fund.page(&user.account, CommunityId(id)).await?;
            let mut index = index_page(ctx, &page);
            index.errors = FormErrors::from_failure(&index.ctx.tr, &failure);
            index.amount = form.amount;
            Ok((failure.status, index).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /communities/{id}/fund/settings`: the committee (repeated
/// `committee` fields) and the approvals needed.
pub async fn settings(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(fields): HtmlForm<Vec<(String, String)>>,
) -> Result<Response, Failure> {
    let committee: Vec<UserId> = fields
        .iter()
        .filter(|(name, _)| name == "committee")
        .filter_map(|(_, value)| value.trim().parse::<i64>().ok().map(UserId))
        .collect();
    let value = |field: &str| {
        fields
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    };
    let form = FundSettingsForm {
        method: value("method"),
        approvals_needed: value("approvals_needed"),
        committee: committee.clone(),
        ballot_days: value("ballot_days"),
        ballot_quorum: value("ballot_quorum"),
    };
    match state
        .fund
        .set_settings(&user.account, CommunityId(id), &form)
        .await
    {
        Ok(_) => Ok(redirect_with_notice(
            &ctx,
            &format!("/communities/{id}/fund#settings"),
            Some("fund-settings-saved"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let page = state.fund.page(&user.account, CommunityId(id)).await?;
            let mut index = index_page(ctx, &page);
            index.settings_errors = FormErrors::from_failure(&index.ctx.tr, &failure);
            index.settings_needed = form.approvals_needed.clone();
            index.settings_by_ballot = form.method == "ballot";
            index.settings_ballot_days = form.ballot_days.clone();
            index.settings_ballot_quorum = form.ballot_quorum.clone();
            for choice in &mut index.committee_choices {
                choice.selected = committee.iter().any(|c| c.0.to_string() == choice.value);
            }
            Ok((failure.status, index).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The claim form as posted.
#[derive(Deserialize, Default, Clone)]
pub struct ClaimForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

/// The claim form.
#[derive(Template, WebTemplate)]
#[template(path = "fund/claim_form.html")]
pub struct ClaimFormPage {
    ctx: RequestContext,
    community: (i64, String),
    form: ClaimForm,
    max_amount: String,
    errors: FormErrors,
    /// Days the members vote, when they decide the claim.
    ballot_days: Option<u32>,
}

/// `GET /communities/{id}/fund/claims/new`.
pub async fn claim_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<ClaimFormPage, Failure> {
    let page = state.fund.page(&user.account, CommunityId(id)).await?;
    Ok(ClaimFormPage {
        community: (id, page.community.profile.name.clone()),
        form: ClaimForm::default(),
        max_amount: format_yen(tsunagari_domain::fund::MAX_AMOUNT),
        errors: FormErrors::default(),
        ballot_days: page
            .claims_by_ballot
            .then_some(page.settings.ballot_rule.days),
        ctx,
    })
}

/// `POST /communities/{id}/fund/claims`.
pub async fn claim(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ClaimForm>,
) -> Result<Response, Failure> {
    let draft = ClaimDraft {
        amount: form.amount.clone(),
        reason: form.reason.clone(),
    };
    match state
        .fund
        .claim(&user.account, CommunityId(id), &draft)
        .await
    {
        Ok(claim) => Ok(redirect_with_notice(
            &ctx,
            &format!("/fund/claims/{}", claim.id.0),
            Some("fund-claimed"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let page = state.fund.page(&user.account, CommunityId(id)).await?;
            let errors = FormErrors::from_failure(&ctx.tr, &failure);
            let form_page = ClaimFormPage {
                community: (id, page.community.profile.name.clone()),
                form,
                max_amount: format_yen(tsunagari_domain::fund::MAX_AMOUNT),
                errors,
                ballot_days: page
                    .claims_by_ballot
                    .then_some(page.settings.ballot_rule.days),
                ctx,
            };
            Ok((failure.status, form_page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// A decision as shown.
pub struct DecisionView {
    decider: String,
    approve: bool,
    note: Option<String>,
    date: String,
}

/// The ballot deciding a claim, as shown on it.
pub struct ClaimBallotView {
    id: i64,
    closes: String,
    /// "passed"/"failed" and the counts, once final.
    result: Option<String>,
    /// Passed, but the fund cannot pay yet.
    waiting_for_funds: bool,
}

/// One claim.
#[derive(Template, WebTemplate)]
#[template(path = "fund/claim.html")]
pub struct ClaimShowPage {
    ctx: RequestContext,
    id: i64,
    community: (i64, String),
    amount: String,
    reason: String,
    status: String,
    pending: bool,
    claimant: String,
    created: String,
    settled: Option<String>,
    decisions: Vec<DecisionView>,
    approvals_label: String,
    may_decide: bool,
    refusal: Option<String>,
    balance: String,
    covered: bool,
    note: String,
    errors: FormErrors,
    problem: Option<String>,
    ballot: Option<ClaimBallotView>,
    may_withdraw: bool,
}

fn claim_ballot_view(ctx: &RequestContext, page: &ClaimPage) -> Option<ClaimBallotView> {
    let found = page.ballot.as_ref()?;
    let pending = page.claim.status == tsunagari_domain::fund::ClaimStatus::Pending;
    let result = found.tally.as_ref().map(|tally| {
        let votes = |role| {
            found
                .ballot
                .options
                .iter()
                .find(|o| o.role == role)
                .map_or(0, |o| tally.votes_for(o.id))
                .to_string()
        };
        use tsunagari_domain::ballot::OptionRole;
        ctx.tr.t_args(
            if tally.passed {
                "fund-ballot-passed"
            } else {
                "fund-ballot-failed"
            },
            &[
                ("yes", votes(OptionRole::Yes)),
                ("no", votes(OptionRole::No)),
                ("abstain", votes(OptionRole::Abstain)),
            ],
        )
    });
    Some(ClaimBallotView {
        id: found.ballot.id.0,
        closes: format_time(found.ballot.closes_at, reader_zone(ctx), ctx.tr.locale()),
        waiting_for_funds: pending && found.tally.as_ref().is_some_and(|t| t.passed),
        result,
    })
}

fn claim_show(ctx: RequestContext, page: &ClaimPage) -> ClaimShowPage {
    let zone = reader_zone(&ctx);
    let locale = ctx.tr.locale();
    let c = &page.claim;
    let former = ctx.t("fund-former-account");
    ClaimShowPage {
        id: c.id.0,
        community: (page.community.id.0, page.community.profile.name.clone()),
        amount: format_yen(c.amount.yen()),
        reason: c.reason.clone(),
        status: ctx.t(&format!("fund-status-{}", c.status.as_str())),
        pending: c.status == tsunagari_domain::fund::ClaimStatus::Pending,
        claimant: page.claimant_name.clone().unwrap_or_else(|| former.clone()),
        created: format_time(c.created_at, zone, locale),
        settled: c.settled_at.map(|t| format_time(t, zone, locale)),
        decisions: page
            .decisions
            .iter()
            .map(|d| DecisionView {
                decider: d.decider_name.clone().unwrap_or_else(|| former.clone()),
                approve: d.decision.approve,
                note: d.decision.note.clone(),
                date: format_time(d.decision.decided_at, zone, locale),
            })
            .collect(),
        approvals_label: ctx.tr.t_args(
            "fund-approvals-of",
            &[
                (
                    "count",
                    page.decisions
                        .iter()
                        .filter(|d| d.decision.approve)
                        .count()
                        .to_string(),
                ),
                ("needed", page.approvals_needed.to_string()),
            ],
        ),
        may_decide: page.viewer_may_decide,
        refusal: page.refusal.map(|r| {
            let (_, key) = crate::error::denial_code_and_key(tsunagari_app::decision_denial(r));
            ctx.t(key)
        }),
        balance: format_yen(page.balance),
        covered: page.balance >= c.amount.yen(),
        note: String::new(),
        errors: FormErrors::default(),
        problem: None,
        may_withdraw: page.viewer_may_withdraw,
        ballot: claim_ballot_view(&ctx, page),
        ctx,
    }
}

/// `GET /fund/claims/{id}`.
pub async fn show_claim(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<ClaimShowPage, Failure> {
    let page = state.fund.claim_page(&user.account, ClaimId(id)).await?;
    Ok(claim_show(ctx, &page))
}

/// `POST /fund/claims/{id}/withdraw`: the claimant withdraws it.
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    state.fund.withdraw(&user.account, ClaimId(id)).await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/fund/claims/{id}"),
        Some("fund-claim-withdrawn"),
        Vec::new(),
    ))
}

/// The decision form.
#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    approve: String,
    #[serde(default)]
    note: String,
}

/// `POST /fund/claims/{id}/decisions`.
pub async fn decide(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<DecisionForm>,
) -> Result<Response, Failure> {
    let draft = DecisionDraft {
        approve: form.approve == "1",
        note: form.note.clone(),
    };
    match state.fund.decide(&user.account, ClaimId(id), &draft).await {
        Ok(outcome) => Ok(redirect_with_notice(
            &ctx,
            &format!("/fund/claims/{id}"),
            Some(match outcome.claim.status {
                tsunagari_domain::fund::ClaimStatus::Paid => "fund-decided-paid",
                tsunagari_domain::fund::ClaimStatus::Rejected
                | tsunagari_domain::fund::ClaimStatus::Withdrawn => "fund-decided-rejected",
                tsunagari_domain::fund::ClaimStatus::Pending => "fund-decided-recorded",
            }),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let page = state.fund.claim_page(&user.account, ClaimId(id)).await?;
            let mut show = claim_show(ctx, &page);
            show.errors = FormErrors::from_failure(&show.ctx.tr, &failure);
            show.note = form.note;
            Ok((failure.status, show).into_response())
        }
        // The fund cannot cover the claim: the page again, saying so.
        Err(error @ AppError::Forbidden(tsunagari_app::Denial::WouldOverdraw)) => {
            let failure = Failure::from(error);
            let page = state.fund.claim_page(&user.account, ClaimId(id)).await?;
            let mut show = claim_show(ctx, &page);
            show.problem = Some(show.ctx.t(failure.message_key));
            show.note = form.note;
            Ok((failure.status, show).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
