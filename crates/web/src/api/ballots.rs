//! Ballot endpoints: create and list a community's ballots, one ballot,
//! cast or change a vote, the result, and the organisers' reminder.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tsunagari_app::BallotPage;
use tsunagari_domain::ballot::{
    Ballot, BallotDraft, BallotId, FollowUp, FollowUpId, OptionId, OptionRole, Tally, VoteEffect,
};
use tsunagari_domain::community::CommunityId;
use tsunagari_store::BallotListing;
use utoipa::{OpenApi, ToSchema};

use super::{ApiJson, ApiUser, MaybeApiUser};
use crate::error::{ErrorEnvelope, Failure};
use crate::state::AppState;

/// The ballot routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/communities/{id}/ballots", get(list).post(create))
        .route("/api/v1/ballots/{id}", get(show))
        .route("/api/v1/ballots/{id}/vote", put(vote))
        .route("/api/v1/ballots/{id}/result", get(result))
        .route("/api/v1/ballots/{id}/reminders", post(remind))
        .route("/api/v1/ballots/{id}/withdrawal", post(withdraw))
        .route("/api/v1/ballots/{id}/outcome", put(record_outcome))
        .route("/api/v1/ballots/{id}/follow-ups", post(add_follow_up))
        .route(
            "/api/v1/ballots/{id}/follow-ups/{follow_up}",
            put(set_follow_up),
        )
}

/// The ballot part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(list, create, show, vote, result, remind, withdraw, record_outcome, add_follow_up, set_follow_up),
    components(schemas(BallotView, BallotList, OptionView, MyVoteView, BallotInput, ThresholdInput,
        VoteInput, VoteResult, ResultView, OptionResultView, ReminderResult, WithdrawalInput, OutcomeInput,
        FollowUpInput, FollowUpView, FollowUpDoneInput)),
    tags((name = "ballots", description = "Proposals and ballots: one member, one vote; secret ballots; results")),
)]
pub struct BallotApiDoc;

/// One option of a ballot.
#[derive(Serialize, ToSchema)]
pub struct OptionView {
    /// Id, to vote with.
    pub id: i64,
    /// `yes`, `no`, `abstain` or `choice`.
    pub role: String,
    /// The organiser's label (empty for yes, no and abstain).
    pub label: String,
}

/// The caller's vote.
#[derive(Serialize, ToSchema)]
pub struct MyVoteView {
    /// Whether the caller may vote in this ballot (was an active member
    /// when it opened).
    pub eligible: bool,
    /// Whether they voted.
    pub voted: bool,
    /// Their counted option: always for named ballots; for secret ballots
    /// only to the voter and only until the close.
    pub option_id: Option<i64>,
}

/// A ballot.
#[derive(Serialize, ToSchema)]
pub struct BallotView {
    /// Id.
    pub id: i64,
    /// The community that holds it.
    pub community_id: i64,
    /// Title.
    pub title: String,
    /// The proposal (Markdown).
    pub body: String,
    /// `yes_no` or `choices`.
    pub kind: String,
    /// The options, in order.
    pub options: Vec<OptionView>,
    /// Opening (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub opens_at: tsunagari_domain::Timestamp,
    /// Closing (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub closes_at: tsunagari_domain::Timestamp,
    /// The IANA zone the organiser typed the times in.
    pub time_zone: String,
    /// `upcoming`, `open`, `closed` or `withdrawn`.
    pub phase: String,
    /// Secret ballot: who voted is recorded, not what they chose.
    pub secret: bool,
    /// No counts until the close.
    pub results_hidden: bool,
    /// Share of the electorate that must vote, in percent.
    pub quorum: u8,
    /// `simple_majority`, `two_thirds` or `percent`.
    pub threshold: String,
    /// The percentage, when `threshold` is `percent`.
    pub threshold_percent: Option<u8>,
    /// Members who may vote; null until the ballot opens.
    pub electorate: Option<u64>,
    /// Electors who have voted (in lists: filled; on one ballot: filled).
    pub voted: u64,
    /// The outcome recorded after the close (Markdown).
    pub outcome: Option<String>,
    /// The follow-up actions recorded after the close; null in lists.
    pub follow_ups: Option<Vec<FollowUpView>>,
    /// When the organisers withdrew it before it opened (RFC 3339, UTC).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub withdrawn_at: Option<tsunagari_domain::Timestamp>,
    /// Why they withdrew it.
    pub withdrawal_reason: Option<String>,
    /// The caller's vote; null in lists and for anonymous callers.
    pub my_vote: Option<MyVoteView>,
}

/// A follow-up action of a closed ballot.
#[derive(Serialize, ToSchema)]
pub struct FollowUpView {
    /// Id.
    pub id: i64,
    /// What is to be done.
    pub action: String,
    /// By when (`YYYY-MM-DD`), if anyone said.
    pub due_on: Option<String>,
    /// Whether it is done.
    pub done: bool,
}

impl From<&FollowUp> for FollowUpView {
    fn from(f: &FollowUp) -> Self {
        FollowUpView {
            id: f.id.0,
            action: f.details.action.clone(),
            due_on: f.details.due_on.map(|d| d.format("%Y-%m-%d").to_string()),
            done: f.done,
        }
    }
}

impl BallotView {
    fn from_ballot(ballot: &Ballot, voted: u64, my_vote: Option<MyVoteView>) -> BallotView {
        let now = tsunagari_domain::time::now();
        BallotView {
            id: ballot.id.0,
            community_id: ballot.community_id.0,
            title: ballot.title.clone(),
            body: ballot.body.clone(),
            kind: ballot.kind.as_str().to_owned(),
            options: ballot
                .options
                .iter()
                .map(|o| OptionView {
                    id: o.id.0,
                    role: o.role.as_str().to_owned(),
                    label: o.label.clone(),
                })
                .collect(),
            opens_at: ballot.opens_at,
            closes_at: ballot.closes_at,
            time_zone: ballot.time_zone.name().to_owned(),
            phase: ballot.phase(now).as_str().to_owned(),
            secret: ballot.secret,
            results_hidden: ballot.results_hidden,
            quorum: ballot.quorum.percent(),
            threshold: ballot.threshold.as_str().to_owned(),
            threshold_percent: ballot.threshold.percent(),
            electorate: ballot.electorate.map(|e| e.size),
            voted,
            outcome: ballot.outcome.as_ref().map(|o| o.text.clone()),
            follow_ups: None,
            withdrawn_at: ballot.withdrawal.as_ref().map(|w| w.at),
            withdrawal_reason: ballot.withdrawal.as_ref().map(|w| w.reason.clone()),
            my_vote,
        }
    }

    fn from_page(page: &BallotPage, signed_in: bool) -> BallotView {
        let my_vote = signed_in.then(|| MyVoteView {
            eligible: page.participation.is_some(),
            voted: page.viewer_voted(),
            option_id: page.my_choice.map(|o| o.0),
        });
        BallotView {
            follow_ups: Some(page.follow_ups.iter().map(FollowUpView::from).collect()),
            ..BallotView::from_ballot(&page.ballot, page.voted, my_vote)
        }
    }

    fn from_listing(listing: &BallotListing) -> BallotView {
        BallotView::from_ballot(&listing.ballot, listing.voted.max(0) as u64, None)
    }
}

/// A community's ballots.
#[derive(Serialize, ToSchema)]
pub struct BallotList {
    /// Open ballots (closing soonest first), then upcoming ones (opening
    /// soonest first), then closed ones (latest first), then withdrawn ones.
    pub ballots: Vec<BallotView>,
}

/// The threshold to pass: `"simple_majority"`, `"two_thirds"`, or a
/// percentage (a number from 1 to 100, or a string such as `"60%"`).
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ThresholdInput {
    /// A percentage, 1–100.
    Percent(u32),
    /// `simple_majority`, `two_thirds` or a percentage as text.
    Named(String),
}

/// A ballot to create. Times are RFC 3339 instants, or local times
/// (`2026-12-08T18:00`) in `time_zone`.
#[derive(Deserialize, ToSchema)]
pub struct BallotInput {
    /// Title, 1–150 characters.
    pub title: String,
    /// The proposal (Markdown), up to 20,000 characters.
    #[serde(default)]
    pub body: String,
    /// `yes_no` (yes / no / abstain) or `choices`; by default `choices`
    /// when `options` are given, otherwise `yes_no`.
    pub kind: Option<String>,
    /// The choices (2–10, each up to 100 characters); each gets an id.
    #[serde(default)]
    pub options: Vec<String>,
    /// Add an "abstain" option after the choices.
    #[serde(default)]
    pub abstain_option: bool,
    /// Opening; omit to open now.
    pub opens_at: Option<String>,
    /// Closing, after the opening.
    pub closes_at: String,
    /// IANA zone of local times; default `Asia/Tokyo`.
    pub time_zone: Option<String>,
    /// Secret ballot.
    #[serde(default)]
    pub secret: bool,
    /// Hide all counts until the close.
    #[serde(default)]
    pub results_hidden: bool,
    /// Share of the electorate that must vote, in percent (0–100, default 0).
    pub quorum: Option<u32>,
    /// Threshold to pass; default a simple majority.
    pub threshold: Option<ThresholdInput>,
}

impl BallotInput {
    fn draft(&self) -> BallotDraft {
        BallotDraft {
            title: self.title.clone(),
            body: self.body.clone(),
            kind: self.kind.clone().unwrap_or_default(),
            choices: self.options.clone(),
            abstain_option: self.abstain_option,
            opens_at: self.opens_at.clone().unwrap_or_default(),
            closes_at: self.closes_at.clone(),
            time_zone: self.time_zone.clone().unwrap_or_default(),
            secret: self.secret,
            results_hidden: self.results_hidden,
            quorum: self.quorum.map(|q| q.to_string()).unwrap_or_default(),
            threshold: match &self.threshold {
                None => String::new(),
                Some(ThresholdInput::Percent(p)) => p.to_string(),
                Some(ThresholdInput::Named(name)) => name.clone(),
            },
        }
    }
}

/// A vote.
#[derive(Deserialize, ToSchema)]
pub struct VoteInput {
    /// The option chosen.
    pub option_id: i64,
}

/// What a vote did.
#[derive(Serialize, ToSchema)]
pub struct VoteResult {
    /// The ballot.
    pub ballot_id: i64,
    /// The option now counted for the caller.
    pub option_id: i64,
    /// `cast` (first vote), `changed` or `unchanged`.
    pub effect: String,
    /// The ballot's vote counter after this vote: a ballot's votes are
    /// applied one at a time, in increasing sequence.
    pub sequence: i64,
}

/// Votes for one option.
#[derive(Serialize, ToSchema)]
pub struct OptionResultView {
    /// The option.
    pub option_id: i64,
    /// `yes`, `no`, `abstain` or `choice`.
    pub role: String,
    /// Its label.
    pub label: String,
    /// Counted votes.
    pub votes: u64,
}

/// The result of a ballot.
#[derive(Serialize, ToSchema)]
pub struct ResultView {
    /// The ballot.
    pub ballot_id: i64,
    /// True after the close; false for an organiser's running count.
    pub r#final: bool,
    /// Members who may vote.
    pub electorate: u64,
    /// Votes counted: one per voter, abstentions included.
    pub counted_votes: u64,
    /// Counted votes outside the abstentions (the threshold's base).
    pub base_votes: u64,
    /// Share of the electorate that voted, 0–1.
    pub turnout: f64,
    /// Whether enough of the electorate voted.
    pub quorum_met: bool,
    /// Whether the proposal passed (quorum and threshold met).
    pub passed: bool,
    /// The winning option ("yes" when a motion passed).
    pub winner_option_id: Option<i64>,
    /// Votes per option, in option order.
    pub options: Vec<OptionResultView>,
}

impl ResultView {
    fn new(ballot: &Ballot, tally: &Tally, is_final: bool) -> ResultView {
        ResultView {
            ballot_id: ballot.id.0,
            r#final: is_final,
            electorate: tally.electorate,
            counted_votes: tally.counted_votes,
            base_votes: tally.base,
            turnout: (tally.turnout() * 10_000.0).round() / 10_000.0,
            quorum_met: tally.quorum_met,
            passed: tally.passed,
            winner_option_id: tally.winner.map(|o| o.0),
            options: ballot
                .options
                .iter()
                .map(|o| OptionResultView {
                    option_id: o.id.0,
                    role: o.role.as_str().to_owned(),
                    label: if o.role == OptionRole::Choice {
                        o.label.clone()
                    } else {
                        String::new()
                    },
                    votes: tally.votes_for(o.id),
                })
                .collect(),
        }
    }
}

/// How many were reminded.
#[derive(Serialize, ToSchema)]
pub struct ReminderResult {
    /// Notifications sent to electors who have not voted.
    pub sent: u64,
}

/// A community's ballots.
#[utoipa::path(get, path = "/api/v1/communities/{id}/ballots", tag = "ballots", params(("id" = i64, Path, description = "Community id")),
    responses((status = 200, description = "Ballots", body = BallotList), (status = 403, description = "Members-only community", body = ErrorEnvelope),
        (status = 404, description = "No such community, or ballots are off there", body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeApiUser(account): MaybeApiUser,
    Path(id): Path<i64>,
) -> Result<Json<BallotList>, Failure> {
    let list = state
        .ballots
        .list(account.as_ref(), CommunityId(id))
        .await?;
    Ok(Json(BallotList {
        ballots: list
            .open
            .iter()
            .chain(&list.upcoming)
            .chain(&list.closed)
            .chain(&list.withdrawn)
            .map(BallotView::from_listing)
            .collect(),
    }))
}

/// Create a ballot (organisers). Options get ids; a ballot that opens now
/// takes its electorate (the active members) at once.
#[utoipa::path(post, path = "/api/v1/communities/{id}/ballots", tag = "ballots", request_body = BallotInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id")),
    responses((status = 201, description = "Created", body = BallotView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not an organiser", body = ErrorEnvelope), (status = 404, description = "No such community, or ballots are off there", body = ErrorEnvelope),
        (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<BallotInput>,
) -> Result<Response, Failure> {
    let ballot = state
        .ballots
        .create(&account, CommunityId(id), &input.draft())
        .await?;
    let page = state.ballots.page(Some(&account), ballot.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(BallotView::from_page(&page, true)),
    )
        .into_response())
}

/// One ballot, with the caller's vote.
#[utoipa::path(get, path = "/api/v1/ballots/{id}", tag = "ballots", params(("id" = i64, Path, description = "Ballot id")),
    responses((status = 200, description = "The ballot", body = BallotView), (status = 403, description = "Members-only community", body = ErrorEnvelope),
        (status = 404, description = "No such ballot", body = ErrorEnvelope)))]
pub async fn show(
    State(state): State<AppState>,
    MaybeApiUser(account): MaybeApiUser,
    Path(id): Path<i64>,
) -> Result<Json<BallotView>, Failure> {
    let page = state.ballots.page(account.as_ref(), BallotId(id)).await?;
    Ok(Json(BallotView::from_page(&page, account.is_some())))
}

/// Cast or change the caller's vote (members at the opening, while the
/// ballot is open). Only the latest vote counts.
#[utoipa::path(put, path = "/api/v1/ballots/{id}/vote", tag = "ballots", request_body = VoteInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ballot id")),
    responses((status = 200, description = "Recorded", body = VoteResult), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member, or not a member when the ballot opened", body = ErrorEnvelope),
        (status = 404, description = "No such ballot", body = ErrorEnvelope),
        (status = 409, description = "Not open yet, or closed", body = ErrorEnvelope),
        (status = 422, description = "Not an option of this ballot", body = ErrorEnvelope)))]
pub async fn vote(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<VoteInput>,
) -> Result<Json<VoteResult>, Failure> {
    let recorded = state
        .ballots
        .vote(&account, BallotId(id), OptionId(input.option_id))
        .await?;
    Ok(Json(VoteResult {
        ballot_id: id,
        option_id: input.option_id,
        effect: match recorded.effect {
            VoteEffect::Cast => "cast",
            VoteEffect::Changed => "changed",
            VoteEffect::Unchanged => "unchanged",
        }
        .to_owned(),
        sequence: recorded.sequence,
    }))
}

/// The result: after the close for everyone who may read the ballot; a
/// running count for organisers while it is open, unless it is secret or
/// its results are hidden.
#[utoipa::path(get, path = "/api/v1/ballots/{id}/result", tag = "ballots", params(("id" = i64, Path, description = "Ballot id")),
    responses((status = 200, description = "The counts", body = ResultView),
        (status = 403, description = "Not shown yet, or members-only community", body = ErrorEnvelope),
        (status = 404, description = "No such ballot", body = ErrorEnvelope)))]
pub async fn result(
    State(state): State<AppState>,
    MaybeApiUser(account): MaybeApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ResultView>, Failure> {
    let (page, tally) = state.ballots.result(account.as_ref(), BallotId(id)).await?;
    let is_final = page.phase == tsunagari_domain::ballot::Phase::Closed;
    Ok(Json(ResultView::new(&page.ballot, &tally, is_final)))
}

/// Remind the electors who have not voted (organisers; open ballots; at
/// most every six hours).
#[utoipa::path(post, path = "/api/v1/ballots/{id}/reminders", tag = "ballots", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ballot id")),
    responses((status = 200, description = "Sent", body = ReminderResult), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not an organiser", body = ErrorEnvelope), (status = 404, description = "No such ballot", body = ErrorEnvelope),
        (status = 409, description = "Not open, or reminded within six hours", body = ErrorEnvelope)))]
pub async fn remind(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ReminderResult>, Failure> {
    let sent = state.ballots.remind(&account, BallotId(id)).await?;
    Ok(Json(ReminderResult { sent }))
}

/// Why a ballot is withdrawn.
#[derive(Deserialize, ToSchema)]
pub struct WithdrawalInput {
    /// The reason, for the record (1–1,000 characters).
    pub reason: String,
}

/// Withdraw a ballot before it opens (organisers). It stays on record with
/// the reason; nobody can vote in it. Once it has opened it is too late.
#[utoipa::path(post, path = "/api/v1/ballots/{id}/withdrawal", tag = "ballots", request_body = WithdrawalInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ballot id")),
    responses((status = 200, description = "Withdrawn", body = BallotView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not an organiser", body = ErrorEnvelope), (status = 404, description = "No such ballot", body = ErrorEnvelope),
        (status = 409, description = "Already open or closed (`ballot_already_open`), or withdrawn already (`ballot_withdrawn`)", body = ErrorEnvelope),
        (status = 422, description = "No reason, or too long", body = ErrorEnvelope)))]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<WithdrawalInput>,
) -> Result<Json<BallotView>, Failure> {
    state
        .ballots
        .withdraw(&account, BallotId(id), &input.reason)
        .await?;
    as_it_stands(&state, &account, id).await
}

/// The ballot as the caller now sees it, after a change they made.
async fn as_it_stands(
    state: &AppState,
    account: &tsunagari_domain::Account,
    id: i64,
) -> Result<Json<BallotView>, Failure> {
    let page = state.ballots.page(Some(account), BallotId(id)).await?;
    Ok(Json(BallotView::from_page(&page, true)))
}

/// The outcome of a closed ballot.
#[derive(Deserialize, ToSchema)]
pub struct OutcomeInput {
    /// What was decided and what happens next (Markdown, 1–10,000 characters).
    pub outcome: String,
}

/// Record (or rewrite) the outcome of a closed ballot (organisers).
#[utoipa::path(put, path = "/api/v1/ballots/{id}/outcome", tag = "ballots", request_body = OutcomeInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ballot id")),
    responses((status = 200, description = "Recorded", body = BallotView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not an organiser", body = ErrorEnvelope), (status = 404, description = "No such ballot", body = ErrorEnvelope),
        (status = 409, description = "Not closed yet, or withdrawn", body = ErrorEnvelope),
        (status = 422, description = "Empty or too long", body = ErrorEnvelope)))]
pub async fn record_outcome(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<OutcomeInput>,
) -> Result<Json<BallotView>, Failure> {
    state
        .ballots
        .record_outcome(&account, BallotId(id), &input.outcome)
        .await?;
    as_it_stands(&state, &account, id).await
}

/// A follow-up action to record.
#[derive(Deserialize, ToSchema)]
pub struct FollowUpInput {
    /// What is to be done (1–500 characters).
    pub action: String,
    /// By when, `YYYY-MM-DD`.
    pub due_on: Option<String>,
}

/// Add a follow-up action to a closed ballot (organisers).
#[utoipa::path(post, path = "/api/v1/ballots/{id}/follow-ups", tag = "ballots", request_body = FollowUpInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ballot id")),
    responses((status = 201, description = "Added", body = FollowUpView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not an organiser", body = ErrorEnvelope), (status = 404, description = "No such ballot", body = ErrorEnvelope),
        (status = 409, description = "Not closed yet, or withdrawn", body = ErrorEnvelope),
        (status = 422, description = "No action, or a due date that is not a date", body = ErrorEnvelope)))]
pub async fn add_follow_up(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<FollowUpInput>,
) -> Result<Response, Failure> {
    let follow_up = state
        .ballots
        .add_follow_up(
            &account,
            BallotId(id),
            &input.action,
            input.due_on.as_deref().unwrap_or(""),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(FollowUpView::from(&follow_up))).into_response())
}

/// Whether a follow-up action is done.
#[derive(Deserialize, ToSchema)]
pub struct FollowUpDoneInput {
    /// Done or not.
    pub done: bool,
}

/// Mark a follow-up action done or not done (organisers).
#[utoipa::path(put, path = "/api/v1/ballots/{id}/follow-ups/{follow_up}", tag = "ballots", request_body = FollowUpDoneInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ballot id"), ("follow_up" = i64, Path, description = "Follow-up id")),
    responses((status = 204, description = "Saved"), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not an organiser", body = ErrorEnvelope), (status = 404, description = "No such ballot or follow-up", body = ErrorEnvelope),
        (status = 409, description = "Not closed yet, or withdrawn", body = ErrorEnvelope)))]
pub async fn set_follow_up(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path((id, follow_up)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<FollowUpDoneInput>,
) -> Result<StatusCode, Failure> {
    state
        .ballots
        .set_follow_up_done(&account, BallotId(id), FollowUpId(follow_up), input.done)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
