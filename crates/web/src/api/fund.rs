//! Solidarity-fund endpoints (amounts are whole yen): the public summary,
//! contributions, claims, one claim, and committee decisions.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tsunagari_app::ClaimPage;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::fund::{Claim, ClaimDraft, ClaimId, DecisionDraft, Tally};
use utoipa::ToSchema;

use super::{ApiJson, ApiUser};
use crate::error::{ErrorEnvelope, Failure};
use crate::state::AppState;

/// A payout as members see it: no name, no reason.
#[derive(Serialize, ToSchema)]
pub struct PayoutView {
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub paid_at: tsunagari_domain::Timestamp,
    /// Yen.
    pub amount: i64,
}

impl From<&tsunagari_store::Payout> for PayoutView {
    fn from(p: &tsunagari_store::Payout) -> Self {
        PayoutView {
            paid_at: p.paid_at,
            amount: p.amount,
        }
    }
}

/// One page of a fund's anonymised payouts.
#[derive(Serialize, ToSchema)]
pub struct PayoutPageView {
    /// Newest first.
    pub payouts: Vec<PayoutView>,
    /// Pass as `before` for the next, older page; null on the last page.
    pub older: Option<i64>,
}

/// Where a page of payouts starts.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct PayoutQuery {
    /// The `older` value of the page before; omitted for the newest.
    pub before: Option<i64>,
}

/// A union's fund: balance, totals and anonymised payouts.
#[derive(Serialize, ToSchema)]
pub struct FundView {
    /// Yen held now: the sum of the fund account's entries.
    pub balance: i64,
    /// Yen contributed so far.
    pub contributed: i64,
    /// Yen paid out so far.
    pub paid_out: i64,
    /// Contributions recorded.
    pub contributions: i64,
    /// Claims paid.
    pub claims_paid: i64,
    /// Claims waiting for a decision.
    pub claims_pending: i64,
    /// The latest payouts, newest first (at most 100; the rest are at
    /// `/api/v1/communities/{id}/fund/payouts`).
    pub payouts: Vec<PayoutView>,
}

/// A contribution or a claim's amount: whole yen, 1–1,000,000. A number,
/// or a string such as `"3,000"`.
#[derive(Deserialize, ToSchema)]
pub struct ContributionInput {
    /// Whole yen.
    #[schema(value_type = i64)]
    pub amount: serde_json::Value,
}

/// A recorded contribution.
#[derive(Serialize, ToSchema)]
pub struct ContributionView {
    /// The ledger transaction's sequence number in the fund.
    pub seq: i64,
    /// Yen.
    pub amount: i64,
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: tsunagari_domain::Timestamp,
}

/// A claim to file.
#[derive(Deserialize, ToSchema)]
pub struct ClaimInput {
    /// Whole yen, 1–1,000,000.
    #[schema(value_type = i64)]
    pub amount: serde_json::Value,
    /// Why, 1–2,000 characters (seen only by the deciders).
    pub reason: String,
}

/// A decision on a claim.
#[derive(Deserialize, ToSchema)]
pub struct DecisionInput {
    /// Approve (true) or reject (false).
    pub approve: bool,
    /// Why; required to reject.
    pub note: Option<String>,
}

/// A decision as recorded.
#[derive(Serialize, ToSchema)]
pub struct DecisionView {
    /// The decider's display name (null once the account is deleted).
    pub decider_name: Option<String>,
    /// Approved or not.
    pub approve: bool,
    /// The note.
    pub note: Option<String>,
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub decided_at: tsunagari_domain::Timestamp,
}

/// A claim, for its claimant and its deciders.
#[derive(Serialize, ToSchema)]
pub struct ClaimView {
    /// Id.
    pub id: i64,
    /// The union.
    pub community_id: i64,
    /// Yen.
    pub amount: i64,
    /// Why.
    pub reason: String,
    /// `pending`, `paid`, `rejected` or `withdrawn` (by the claimant).
    pub status: String,
    /// Filed (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: tsunagari_domain::Timestamp,
    /// Paid, rejected or withdrawn.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub settled_at: Option<tsunagari_domain::Timestamp>,
    /// Decisions so far (filled by `GET /api/v1/fund/claims/{id}`).
    pub decisions: Vec<DecisionView>,
    /// Approvals the claim needs (filled by `GET /api/v1/fund/claims/{id}`;
    /// none for a claim decided by ballot).
    pub approvals_needed: Option<u32>,
    /// The members' ballot that decides it (`/api/v1/ballots/{id}`), when
    /// the union decides claims by ballot.
    pub ballot_id: Option<i64>,
}

impl ClaimView {
    fn new(claim: &Claim) -> ClaimView {
        ClaimView {
            id: claim.id.0,
            community_id: claim.community_id.0,
            amount: claim.amount.yen(),
            reason: claim.reason.clone(),
            status: claim.status.as_str().to_owned(),
            created_at: claim.created_at,
            settled_at: claim.settled_at,
            decisions: Vec::new(),
            approvals_needed: None,
            ballot_id: claim.ballot.map(|b| b.0),
        }
    }

    fn from_page(page: &ClaimPage) -> ClaimView {
        ClaimView {
            decisions: page
                .decisions
                .iter()
                .map(|d| DecisionView {
                    decider_name: d.decider_name.clone(),
                    approve: d.decision.approve,
                    note: d.decision.note.clone(),
                    decided_at: d.decision.decided_at,
                })
                .collect(),
            approvals_needed: page.claim.ballot.is_none().then_some(page.approvals_needed),
            ..ClaimView::new(&page.claim)
        }
    }
}

/// What a decision did.
#[derive(Serialize, ToSchema)]
pub struct DecisionResultView {
    /// The claim after it.
    pub claim: ClaimView,
    /// `pending`, `approved` or `rejected`.
    pub outcome: String,
    /// Approvals counted (while pending).
    pub approvals: Option<u32>,
    /// Rejections counted (while pending).
    pub rejections: Option<u32>,
    /// Whether this decision paid the claim.
    pub paid: bool,
}

/// Yen as sent: a JSON number or a string; anything else is refused by
/// the domain's parser with the amount's field message.
fn amount_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.clone(),
        _ => String::new(),
    }
}

/// The fund's balance and totals (active members).
#[utoipa::path(get, path = "/api/v1/communities/{id}/fund", tag = "fund", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Union (community) id")),
    responses((status = 200, description = "The fund", body = FundView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member", body = ErrorEnvelope), (status = 404, description = "No such community, or the fund is off", body = ErrorEnvelope)))]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<FundView>, Failure> {
    let summary = state.fund.summary(&account, CommunityId(id)).await?;
    Ok(Json(FundView {
        balance: summary.totals.balance,
        contributed: summary.totals.contributed,
        paid_out: summary.totals.paid_out,
        contributions: summary.contributions,
        claims_paid: summary.claims_paid,
        claims_pending: summary.claims_pending,
        payouts: summary.payouts.iter().map(PayoutView::from).collect(),
    }))
}

/// Every anonymised payout, 50 a page, newest first (active members).
#[utoipa::path(get, path = "/api/v1/communities/{id}/fund/payouts", tag = "fund", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Union (community) id"), PayoutQuery),
    responses((status = 200, description = "One page of payouts", body = PayoutPageView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member", body = ErrorEnvelope), (status = 404, description = "No such community, or the fund is off", body = ErrorEnvelope)))]
pub async fn payouts(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<PayoutQuery>,
) -> Result<Json<PayoutPageView>, Failure> {
    let history = state
        .fund
        .payouts(&account, CommunityId(id), query.before)
        .await?;
    Ok(Json(PayoutPageView {
        payouts: history.payouts.iter().map(PayoutView::from).collect(),
        older: history.older,
    }))
}

/// Contribute to the fund (active members).
#[utoipa::path(post, path = "/api/v1/communities/{id}/fund/contributions", tag = "fund", request_body = ContributionInput,
    security(("bearer" = [])), params(("id" = i64, Path, description = "Union (community) id")),
    responses((status = 201, description = "Recorded", body = ContributionView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member", body = ErrorEnvelope), (status = 404, description = "No such community, or the fund is off", body = ErrorEnvelope),
        (status = 422, description = "Not whole yen from 1 to 1,000,000", body = ErrorEnvelope)))]
pub async fn contribute(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ContributionInput>,
) -> Result<Response, Failure> {
    let record = state
        .fund
        .contribute(&account, CommunityId(id), &amount_text(&input.amount))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ContributionView {
            seq: record.seq,
            amount: record.amount(),
            created_at: record.created_at,
        }),
    )
        .into_response())
}

/// Claim from the fund (active members); the reason is seen only by those who decide.
#[utoipa::path(post, path = "/api/v1/communities/{id}/fund/claims", tag = "fund", request_body = ClaimInput,
    security(("bearer" = [])), params(("id" = i64, Path, description = "Union (community) id")),
    responses((status = 201, description = "Filed", body = ClaimView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member", body = ErrorEnvelope), (status = 404, description = "No such community, or the fund is off", body = ErrorEnvelope),
        (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn claim(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ClaimInput>,
) -> Result<Response, Failure> {
    let draft = ClaimDraft {
        amount: amount_text(&input.amount),
        reason: input.reason,
    };
    let claim = state.fund.claim(&account, CommunityId(id), &draft).await?;
    Ok((StatusCode::CREATED, Json(ClaimView::new(&claim))).into_response())
}

/// Withdraw your own pending claim (one the committee decides; a claim put
/// to the members' ballot stays until the ballot closes).
#[utoipa::path(post, path = "/api/v1/fund/claims/{id}/withdrawal", tag = "fund", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Claim id")),
    responses((status = 200, description = "Withdrawn", body = ClaimView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 404, description = "No such claim (or not yours)", body = ErrorEnvelope),
        (status = 409, description = "Already settled (`claim_settled`), or decided by ballot (`decided_by_ballot`)", body = ErrorEnvelope)))]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ClaimView>, Failure> {
    let claim = state.fund.withdraw(&account, ClaimId(id)).await?;
    Ok(Json(ClaimView::new(&claim)))
}

/// One claim with its decisions (its claimant and its deciders; 404 for anyone else).
#[utoipa::path(get, path = "/api/v1/fund/claims/{id}", tag = "fund", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Claim id")),
    responses((status = 200, description = "The claim", body = ClaimView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 404, description = "No such claim (or not yours to see)", body = ErrorEnvelope)))]
pub async fn show_claim(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ClaimView>, Failure> {
    let page = state.fund.claim_page(&account, ClaimId(id)).await?;
    Ok(Json(ClaimView::from_page(&page)))
}

/// Decide a claim (the committee, or the organisers while there is none).
/// The decision that completes the approvals pays the claim; it is refused
/// with 409 `would_overdraw` when the fund cannot cover it.
#[utoipa::path(post, path = "/api/v1/fund/claims/{id}/decisions", tag = "fund", request_body = DecisionInput,
    security(("bearer" = [])), params(("id" = i64, Path, description = "Claim id")),
    responses((status = 200, description = "Recorded", body = DecisionResultView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a decider, or your own claim", body = ErrorEnvelope), (status = 404, description = "No such claim", body = ErrorEnvelope),
        (status = 409, description = "Already decided, already settled, or paying would overdraw the fund", body = ErrorEnvelope),
        (status = 422, description = "A rejection without a note", body = ErrorEnvelope)))]
pub async fn decide(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<DecisionResultView>, Failure> {
    let draft = DecisionDraft {
        approve: input.approve,
        note: input.note.unwrap_or_default(),
    };
    let outcome = state.fund.decide(&account, ClaimId(id), &draft).await?;
    let (label, approvals, rejections) = match outcome.tally {
        Tally::Pending {
            approvals,
            rejections,
        } => ("pending", Some(approvals), Some(rejections)),
        Tally::Approved => ("approved", None, None),
        Tally::Rejected => ("rejected", None, None),
    };
    Ok(Json(DecisionResultView {
        claim: ClaimView::new(&outcome.claim),
        outcome: label.to_owned(),
        approvals,
        rejections,
        paid: outcome.payout.is_some(),
    }))
}

/// How a union decides fund claims.
#[derive(Deserialize, Serialize, ToSchema)]
pub struct FundSettingsInput {
    /// `committee` or `ballot`.
    pub method: String,
    /// Approvals a committee decision needs (1–20, at most the deciders).
    #[serde(default = "one")]
    pub approvals_needed: u32,
    /// User ids of the committee; empty means the organisers decide.
    #[serde(default)]
    pub committee: Vec<i64>,
    /// Days each vote on a claim runs (1–30).
    #[serde(default = "seven")]
    pub ballot_days: u32,
    /// Share of the members who must vote, 0–100 (0: no quorum).
    #[serde(default)]
    pub ballot_quorum: u32,
}

fn one() -> u32 {
    1
}

fn seven() -> u32 {
    7
}

/// Set how claims are decided (organisers): by the committee, or by a
/// secret ballot of the members opened with each claim (the claimant is
/// not named and does not vote). Claims already filed keep their method.
#[utoipa::path(put, path = "/api/v1/communities/{id}/fund/settings", tag = "fund", request_body = FundSettingsInput,
    security(("bearer" = [])), params(("id" = i64, Path, description = "Union (community) id")),
    responses((status = 200, description = "Saved", body = FundSettingsInput), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not an organiser", body = ErrorEnvelope), (status = 404, description = "No such community, or the fund is off", body = ErrorEnvelope),
        (status = 422, description = "Invalid fields (also: a ballot while the union's ballots are off)", body = ErrorEnvelope)))]
pub async fn settings(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<FundSettingsInput>,
) -> Result<Json<FundSettingsInput>, Failure> {
    let form = tsunagari_app::FundSettingsForm {
        method: input.method,
        approvals_needed: input.approvals_needed.to_string(),
        committee: input
            .committee
            .iter()
            .copied()
            .map(tsunagari_domain::UserId)
            .collect(),
        ballot_days: input.ballot_days.to_string(),
        ballot_quorum: input.ballot_quorum.to_string(),
    };
    let saved = state
        .fund
        .set_settings(&account, CommunityId(id), &form)
        .await?;
    Ok(Json(FundSettingsInput {
        method: if saved.by_ballot {
            "ballot"
        } else {
            "committee"
        }
        .to_owned(),
        approvals_needed: saved.approvals_needed,
        committee: saved.committee.iter().map(|u| u.0).collect(),
        ballot_days: saved.ballot_rule.days,
        ballot_quorum: u32::from(saved.ballot_rule.quorum.percent()),
    }))
}
