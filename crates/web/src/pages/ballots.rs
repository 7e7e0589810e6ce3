//! Ballot pages: a community's ballots (open, upcoming, closed), the
//! proposal with its voting form and result, the form organisers create
//! ballots with, and the organisers' reminder, outcome and follow-up forms.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tsunagari_app::{AppError, BallotPage, Denial};
use tsunagari_domain::UserTimeZone;
use tsunagari_domain::ballot::{
    Ballot, BallotDraft, BallotId, BallotOption, FollowUpId, OptionId, OptionRole, Phase,
    ResultAccess, Threshold,
};
use tsunagari_domain::community::CommunityId;
use tsunagari_store::BallotListing;

use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::context::{RequestContext, RequireUser};
use crate::error::{Failure, FormErrors};
use crate::markdown;
use crate::state::AppState;

/// The ballot pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/communities/{id}/ballots", get(index).post(create))
        .route("/communities/{id}/ballots/new", get(new_form))
        .route("/ballots/{id}", get(show))
        .route("/ballots/{id}/vote", post(vote))
        .route("/ballots/{id}/remind", post(remind))
        .route("/ballots/{id}/withdraw", post(withdraw))
        .route("/ballots/{id}/outcome", post(outcome))
        .route("/ballots/{id}/follow-ups", post(add_follow_up))
        .route("/ballots/{id}/follow-ups/{follow_up}", post(set_follow_up))
}

/// The label of an option in the reader's language.
pub fn option_label(ctx: &RequestContext, option: &BallotOption) -> String {
    match option.role {
        OptionRole::Yes => ctx.t("ballot-option-yes"),
        OptionRole::No => ctx.t("ballot-option-no"),
        OptionRole::Abstain => ctx.t("ballot-option-abstain"),
        OptionRole::Choice => option.label.clone(),
    }
}

/// The threshold in words.
pub fn threshold_label(ctx: &RequestContext, threshold: Threshold) -> String {
    match threshold {
        Threshold::SimpleMajority => ctx.t("ballot-threshold-simple-majority"),
        Threshold::TwoThirds => ctx.t("ballot-threshold-two-thirds"),
        Threshold::Percent(p) => ctx.t1("ballot-threshold-percent", "percent", p),
    }
}

/// A ballot in a list.
pub struct BallotItem {
    id: i64,
    title: String,
    when: String,
    turnout: String,
    badges: Vec<String>,
}

fn badges(ctx: &RequestContext, ballot: &Ballot) -> Vec<String> {
    let mut badges = Vec::new();
    if ballot.secret {
        badges.push(ctx.t("ballot-badge-secret"));
    }
    if ballot.results_hidden {
        badges.push(ctx.t("ballot-badge-hidden"));
    }
    badges
}

fn item(ctx: &RequestContext, listing: &BallotListing, phase: Phase) -> BallotItem {
    let zone = reader_zone(ctx);
    let locale = ctx.tr.locale();
    let b = &listing.ballot;
    let when = match phase {
        Phase::Upcoming => ctx.t1(
            "ballot-opens-on",
            "time",
            format_time(b.opens_at, zone, locale),
        ),
        Phase::Open => ctx.t1(
            "ballot-closes-on",
            "time",
            format_time(b.closes_at, zone, locale),
        ),
        Phase::Closed => ctx.t1(
            "ballot-closed-on",
            "time",
            format_time(b.closes_at, zone, locale),
        ),
        Phase::Withdrawn => ctx.t1(
            "ballot-withdrawn-on",
            "time",
            format_time(
                b.withdrawal.as_ref().map_or(b.created_at, |w| w.at),
                zone,
                locale,
            ),
        ),
    };
    let turnout = match &b.electorate {
        Some(e) => ctx.tr.t_args(
            "ballot-turnout-of",
            &[
                ("voted", listing.voted.to_string()),
                ("electorate", e.size.to_string()),
            ],
        ),
        None => String::new(),
    };
    BallotItem {
        id: b.id.0,
        title: b.title.clone(),
        when,
        turnout,
        badges: badges(ctx, b),
    }
}

/// Open, upcoming or closed ballots.
pub struct Section {
    slug: &'static str,
    title: String,
    empty: String,
    items: Vec<BallotItem>,
}

/// A community's ballots.
#[derive(Template, WebTemplate)]
#[template(path = "ballots/index.html")]
pub struct IndexPage {
    ctx: RequestContext,
    community: (i64, String),
    organises: bool,
    sections: Vec<Section>,
}

/// `GET /communities/{id}/ballots`.
pub async fn index(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<IndexPage, Failure> {
    let viewer = ctx.user.as_ref().map(|u| &u.account);
    let list = state.ballots.list(viewer, CommunityId(id)).await?;
    let sections = [
        (Phase::Open, &list.open),
        (Phase::Upcoming, &list.upcoming),
        (Phase::Closed, &list.closed),
        (Phase::Withdrawn, &list.withdrawn),
    ]
    .into_iter()
    // Withdrawn ballots are a footnote: their section shows only when
    // there are some.
    .filter(|(phase, listings)| *phase != Phase::Withdrawn || !listings.is_empty())
    .map(|(phase, listings)| Section {
        slug: phase.as_str(),
        title: ctx.t(&format!("ballot-section-{}", phase.as_str())),
        empty: ctx.t(&format!("ballot-none-{}", phase.as_str())),
        items: listings.iter().map(|l| item(&ctx, l, phase)).collect(),
    })
    .collect();
    Ok(IndexPage {
        community: (id, list.community.profile.name.clone()),
        organises: list.viewer_organises(),
        sections,
        ctx,
    })
}

/// The ballot form as posted.
#[derive(Deserialize, Default, Clone)]
pub struct BallotForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    choices: String,
    #[serde(default)]
    abstain_option: Option<String>,
    #[serde(default)]
    opens_at: String,
    #[serde(default)]
    closes_at: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    results_hidden: Option<String>,
    #[serde(default)]
    quorum: String,
    #[serde(default)]
    threshold: String,
    #[serde(default)]
    threshold_percent: String,
}

fn ticked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty() && v != "0")
}

impl BallotForm {
    fn draft(&self) -> BallotDraft {
        let kind = if self.kind.is_empty() {
            "yes_no".to_owned()
        } else {
            self.kind.clone()
        };
        BallotDraft {
            title: self.title.clone(),
            body: self.body.clone(),
            choices: if kind == "choices" {
                self.choices.lines().map(str::to_owned).collect()
            } else {
                Vec::new()
            },
            kind,
            abstain_option: ticked(&self.abstain_option),
            opens_at: self.opens_at.clone(),
            closes_at: self.closes_at.clone(),
            time_zone: self.time_zone.clone(),
            secret: ticked(&self.secret),
            results_hidden: ticked(&self.results_hidden),
            quorum: self.quorum.clone(),
            threshold: if self.threshold == "percent" {
                // An empty percentage is an error, not a simple majority.
                if self.threshold_percent.trim().is_empty() {
                    "percent".to_owned()
                } else {
                    self.threshold_percent.clone()
                }
            } else {
                self.threshold.clone()
            },
        }
    }
}

/// An option of a select list.
pub struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// Creating a ballot.
#[derive(Template, WebTemplate)]
#[template(path = "ballots/form.html")]
pub struct FormPage {
    ctx: RequestContext,
    community: (i64, String),
    form: BallotForm,
    choices_kind: bool,
    zones: Vec<Choice>,
    thresholds: Vec<Choice>,
    errors: FormErrors,
}

impl FormPage {
    fn new(ctx: RequestContext, form: BallotForm, community: (i64, String)) -> FormPage {
        let zone = if form.time_zone.is_empty() {
            "Asia/Tokyo".to_owned()
        } else {
            form.time_zone.clone()
        };
        let mut zones: Vec<Choice> = UserTimeZone::OFFERED
            .iter()
            .map(|z| Choice {
                value: (*z).to_owned(),
                label: (*z).to_owned(),
                selected: *z == zone,
            })
            .collect();
        if !zones.iter().any(|z| z.selected) {
            zones.insert(
                0,
                Choice {
                    value: zone.clone(),
                    label: zone,
                    selected: true,
                },
            );
        }
        let current = if form.threshold.is_empty() {
            "simple_majority"
        } else {
            form.threshold.as_str()
        };
        let thresholds = [
            ("simple_majority", "ballot-threshold-simple-majority"),
            ("two_thirds", "ballot-threshold-two-thirds"),
            ("percent", "ballot-threshold-percent-choice"),
        ]
        .into_iter()
        .map(|(value, key)| Choice {
            value: value.to_owned(),
            label: ctx.t(key),
            selected: value == current,
        })
        .collect();
        FormPage {
            community,
            choices_kind: form.kind == "choices",
            form,
            zones,
            thresholds,
            errors: FormErrors::default(),
            ctx,
        }
    }
}

/// `GET /communities/{id}/ballots/new`.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<FormPage, Failure> {
    let list = state
        .ballots
        .list(Some(&user.account), CommunityId(id))
        .await?;
    if !list.viewer_organises() {
        return Err(AppError::Forbidden(Denial::NotOrganiser).into());
    }
    let form = BallotForm {
        time_zone: reader_zone(&ctx).name().to_owned(),
        kind: "yes_no".to_owned(),
        quorum: "50".to_owned(),
        ..Default::default()
    };
    Ok(FormPage::new(ctx, form, (id, list.community.profile.name)))
}

/// `POST /communities/{id}/ballots`.
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<BallotForm>,
) -> Result<Response, Failure> {
    match state
        .ballots
        .create(&user.account, CommunityId(id), &form.draft())
        .await
    {
        Ok(ballot) => Ok(redirect_with_notice(
            &ctx,
            &format!("/ballots/{}", ballot.id.0),
            Some("ballot-created"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let list = state
                .ballots
                .list(Some(&user.account), CommunityId(id))
                .await?;
            let mut page = FormPage::new(ctx, form, (id, list.community.profile.name));
            page.errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// One option of the voting form or the result.
pub struct OptionView {
    id: i64,
    label: String,
    /// The label as the chart has room for it.
    short_label: String,
    /// Top of its row in the chart.
    y: u64,
    mine: bool,
    votes: u64,
    /// Share of the counted votes, in whole percent.
    percent: u64,
    /// Bar length in chart units (0–240).
    bar: u64,
    winner: bool,
    abstain: bool,
}

/// A follow-up action as shown.
pub struct FollowUpView {
    id: i64,
    action: String,
    due: Option<String>,
    done: bool,
}

/// The result as shown.
pub struct ResultView {
    running: bool,
    counted: u64,
    base: u64,
    turnout_percent: String,
    quorum_met: bool,
    passed: bool,
    chart_desc: String,
    chart_height: u64,
}

/// A ballot's page.
#[derive(Template, WebTemplate)]
#[template(path = "ballots/show.html")]
pub struct ShowPage {
    ctx: RequestContext,
    id: i64,
    title: String,
    body_html: String,
    community: (i64, String),
    phase: Phase,
    phase_label: String,
    opens: String,
    closes: String,
    organiser_zone: Option<String>,
    secret: bool,
    results_hidden: bool,
    quorum: String,
    threshold: String,
    turnout: Option<String>,
    options: Vec<OptionView>,
    may_vote: bool,
    member: bool,
    is_elector: bool,
    has_voted: bool,
    my_choice: Option<String>,
    result: Option<ResultView>,
    organises: bool,
    outcome_html: Option<String>,
    outcome_meta: Option<String>,
    outcome_value: String,
    follow_ups: Vec<FollowUpView>,
    follow_up_value: (String, String),
    vote_error: Option<String>,
    errors: FormErrors,
    /// When and why it was withdrawn.
    withdrawal: Option<(String, String)>,
    withdrawal_reason_value: String,
}

/// At most `max` characters, with an ellipsis when cut.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

fn show_page(ctx: RequestContext, page: &BallotPage) -> ShowPage {
    let zone = reader_zone(&ctx);
    let locale = ctx.tr.locale();
    let b = &page.ballot;
    let tally = page.tally.as_ref();
    let counted = tally.map_or(0, |t| t.counted_votes);
    let options: Vec<OptionView> = b
        .options
        .iter()
        .enumerate()
        .map(|(row, o)| {
            let votes = tally.map_or(0, |t| t.votes_for(o.id));
            let label = option_label(&ctx, o);
            // Rounded to the nearest whole percent; nothing when nobody voted.
            let percent = (votes * 100 + counted / 2)
                .checked_div(counted)
                .unwrap_or(0);
            OptionView {
                id: o.id.0,
                short_label: short(&label, 22),
                label,
                y: 58 * row as u64,
                mine: page.my_choice == Some(o.id),
                votes,
                percent,
                bar: (votes * 240).checked_div(counted).unwrap_or(0),
                winner: tally.is_some_and(|t| t.winner == Some(o.id)),
                abstain: o.role == OptionRole::Abstain,
            }
        })
        .collect();
    let result = tally.map(|t| {
        let desc: Vec<String> = options
            .iter()
            .map(|o| {
                ctx.tr.t_args(
                    "ballot-chart-row",
                    &[
                        ("option", o.label.clone()),
                        ("votes", o.votes.to_string()),
                        ("percent", o.percent.to_string()),
                    ],
                )
            })
            .collect();
        ResultView {
            running: page.access == ResultAccess::Running,
            counted: t.counted_votes,
            base: t.base,
            turnout_percent: format!("{:.1}", t.turnout() * 100.0),
            quorum_met: t.quorum_met,
            passed: t.passed,
            chart_desc: desc.join(" / "),
            chart_height: 58 * options.len() as u64 + 8,
        }
    });
    let organiser_zone = (b.time_zone != zone).then(|| {
        ctx.tr.t_args(
            "ballot-organiser-time",
            &[
                ("time", format_time(b.closes_at, b.time_zone, locale)),
                ("zone", b.time_zone.name().to_owned()),
            ],
        )
    });
    let outcome = b.outcome.as_ref();
    ShowPage {
        id: b.id.0,
        title: b.title.clone(),
        body_html: markdown::render(&b.body),
        community: (page.community.id.0, page.community.profile.name.clone()),
        phase: page.phase,
        phase_label: ctx.t(&format!("ballot-phase-{}", page.phase.as_str())),
        opens: format_time(b.opens_at, zone, locale),
        closes: format_time(b.closes_at, zone, locale),
        organiser_zone,
        secret: b.secret,
        results_hidden: b.results_hidden,
        quorum: if b.quorum.percent() == 0 {
            ctx.t("ballot-quorum-none")
        } else {
            ctx.t1("ballot-quorum-of", "percent", b.quorum.percent())
        },
        threshold: threshold_label(&ctx, b.threshold),
        turnout: b.electorate.map(|e| {
            ctx.tr.t_args(
                "ballot-turnout-of",
                &[
                    ("voted", page.voted.to_string()),
                    ("electorate", e.size.to_string()),
                ],
            )
        }),
        may_vote: page.viewer_may_vote(),
        member: page.membership.as_ref().is_some_and(|m| m.is_active()),
        is_elector: page.participation.is_some(),
        has_voted: page.viewer_voted(),
        my_choice: page
            .my_choice
            .and_then(|id| b.option(id))
            .map(|o| option_label(&ctx, o)),
        options,
        result,
        organises: page.viewer_organises(),
        outcome_html: outcome.map(|o| markdown::render(&o.text)),
        outcome_meta: outcome.map(|o| {
            ctx.t1(
                "ballot-outcome-recorded",
                "time",
                format_time(o.recorded_at, zone, locale),
            )
        }),
        outcome_value: outcome.map(|o| o.text.clone()).unwrap_or_default(),
        follow_ups: page
            .follow_ups
            .iter()
            .map(|f| FollowUpView {
                id: f.id.0,
                action: f.details.action.clone(),
                due: f.details.due_on.map(|d| {
                    ctx.t1(
                        "ballot-follow-up-due",
                        "date",
                        d.format("%Y-%m-%d").to_string(),
                    )
                }),
                done: f.done,
            })
            .collect(),
        follow_up_value: (String::new(), String::new()),
        vote_error: None,
        errors: FormErrors::default(),
        withdrawal: b
            .withdrawal
            .as_ref()
            .map(|w| (format_time(w.at, zone, locale), w.reason.clone())),
        withdrawal_reason_value: String::new(),
        ctx,
    }
}

/// `GET /ballots/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<ShowPage, Failure> {
    let viewer = ctx.user.as_ref().map(|u| &u.account);
    let page = state.ballots.page(viewer, BallotId(id)).await?;
    Ok(show_page(ctx, &page))
}

/// The voting form.
#[derive(Deserialize)]
pub struct VoteForm {
    #[serde(default)]
    option_id: String,
}

/// `POST /ballots/{id}/vote`.
pub async fn vote(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<VoteForm>,
) -> Result<Response, Failure> {
    // Nothing chosen (or not a number) is the same mistake as an unknown option.
    let option = OptionId(form.option_id.trim().parse().unwrap_or(0));
    match state
        .ballots
        .vote(&user.account, BallotId(id), option)
        .await
    {
        Ok(recorded) => {
            let notice = match recorded.effect {
                tsunagari_domain::ballot::VoteEffect::Cast => "ballot-vote-cast",
                tsunagari_domain::ballot::VoteEffect::Changed => "ballot-vote-changed",
                tsunagari_domain::ballot::VoteEffect::Unchanged => "ballot-vote-unchanged",
            };
            Ok(redirect_with_notice(
                &ctx,
                &format!("/ballots/{id}"),
                Some(notice),
                Vec::new(),
            ))
        }
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let page = state
                .ballots
                .page(Some(&user.account), BallotId(id))
                .await?;
            let mut show = show_page(ctx, &page);
            show.vote_error = FormErrors::from_failure(&show.ctx.tr, &failure)
                .get("option_id")
                .map(str::to_owned);
            Ok((failure.status, show).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /ballots/{id}/remind`.
pub async fn remind(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    state.ballots.remind(&user.account, BallotId(id)).await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/ballots/{id}"),
        Some("ballot-reminder-sent"),
        Vec::new(),
    ))
}

/// Where a ballot form lands: back on the ballot (at `anchor`) with
/// `notice` when it worked; on invalid input the ballot's page again with
/// a 422, its errors and what was typed (put back by `keep`).
async fn after_ballot_form<T>(
    state: &AppState,
    ctx: RequestContext,
    user: &tsunagari_domain::Account,
    id: i64,
    outcome: Result<T, AppError>,
    (anchor, notice): (&str, &'static str),
    keep: impl FnOnce(&mut ShowPage),
) -> Result<Response, Failure> {
    match outcome {
        Ok(_) => Ok(redirect_with_notice(
            &ctx,
            &format!("/ballots/{id}{anchor}"),
            Some(notice),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let page = state.ballots.page(Some(user), BallotId(id)).await?;
            let mut show = show_page(ctx, &page);
            show.errors = FormErrors::from_failure(&show.ctx.tr, &failure);
            keep(&mut show);
            Ok((failure.status, show).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The withdrawal form.
#[derive(Deserialize)]
pub struct WithdrawalForm {
    #[serde(default)]
    reason: String,
}

/// `POST /ballots/{id}/withdraw`.
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<WithdrawalForm>,
) -> Result<Response, Failure> {
    let outcome = state
        .ballots
        .withdraw(&user.account, BallotId(id), &form.reason)
        .await;
    after_ballot_form(
        &state,
        ctx,
        &user.account,
        id,
        outcome,
        ("", "ballot-withdrawn-notice"),
        |show| {
            show.withdrawal_reason_value = form.reason;
        },
    )
    .await
}

/// The outcome form.
#[derive(Deserialize)]
pub struct OutcomeForm {
    #[serde(default)]
    outcome: String,
}

/// `POST /ballots/{id}/outcome`.
pub async fn outcome(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<OutcomeForm>,
) -> Result<Response, Failure> {
    let outcome = state
        .ballots
        .record_outcome(&user.account, BallotId(id), &form.outcome)
        .await;
    after_ballot_form(
        &state,
        ctx,
        &user.account,
        id,
        outcome,
        ("#outcome", "ballot-outcome-saved"),
        |show| {
            show.outcome_value = form.outcome;
        },
    )
    .await
}

/// The follow-up form.
#[derive(Deserialize)]
pub struct FollowUpForm {
    #[serde(default)]
    follow_up: String,
    #[serde(default)]
    due_on: String,
}

/// `POST /ballots/{id}/follow-ups`.
pub async fn add_follow_up(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<FollowUpForm>,
) -> Result<Response, Failure> {
    let outcome = state
        .ballots
        .add_follow_up(&user.account, BallotId(id), &form.follow_up, &form.due_on)
        .await;
    after_ballot_form(
        &state,
        ctx,
        &user.account,
        id,
        outcome,
        ("#follow-ups", "ballot-follow-up-added"),
        |show| {
            show.follow_up_value = (form.follow_up, form.due_on);
        },
    )
    .await
}

/// The done/not done form of a follow-up.
#[derive(Deserialize)]
pub struct DoneForm {
    #[serde(default)]
    done: Option<String>,
}

/// `POST /ballots/{id}/follow-ups/{follow_up}`.
pub async fn set_follow_up(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path((id, follow_up)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<DoneForm>,
) -> Result<Response, Failure> {
    state
        .ballots
        .set_follow_up_done(
            &user.account,
            BallotId(id),
            FollowUpId(follow_up),
            ticked(&form.done),
        )
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/ballots/{id}#follow-ups"),
        Some("ballot-follow-up-saved"),
        Vec::new(),
    ))
}
