//! The opinion box's pages (意見の反映): the box at
//! `/communities/{id}/opinions` (every opinion or one's own, the form to
//! send one, and for organisers the unanswered ones and the figures), and
//! one opinion with its responses at `/opinions/{id}`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tsunagari_app::{AppError, Denial, OpinionAuthor, OpinionBox, OpinionItem, OpinionPage};
use tsunagari_domain::Timestamp;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::opinion::{
    Elapsed, OpinionDraft, OpinionFigures, OpinionId, OpinionStatus, ResponseDraft,
};
use tsunagari_domain::time::now;

use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::context::{RequestContext, RequireUser};
use crate::error::{Failure, FormErrors};
use crate::state::AppState;

/// A span of time in words ("2 days", "3時間").
pub fn elapsed_label(ctx: &RequestContext, elapsed: Elapsed) -> String {
    match elapsed {
        Elapsed::Minutes(n) => ctx.t_count("opinion-elapsed-minutes", "count", n),
        Elapsed::Hours(n) => ctx.t_count("opinion-elapsed-hours", "count", n),
        Elapsed::Days(n) => ctx.t_count("opinion-elapsed-days", "count", n),
    }
}

/// "First response after 2 days", or how long it has waited.
pub fn response_time(
    ctx: &RequestContext,
    created_at: Timestamp,
    first_response_at: Option<Timestamp>,
) -> String {
    match first_response_at {
        Some(first) => ctx.t1(
            "opinion-first-response",
            "elapsed",
            elapsed_label(ctx, Elapsed::between(created_at, first)),
        ),
        None => ctx.t1(
            "opinion-waiting",
            "elapsed",
            elapsed_label(ctx, Elapsed::between(created_at, now())),
        ),
    }
}

fn status_label(ctx: &RequestContext, status: OpinionStatus) -> String {
    ctx.t(&format!("opinion-status-{}", status.as_str()))
}

fn author_label(ctx: &RequestContext, author: &OpinionAuthor) -> String {
    match author {
        OpinionAuthor::Named(name) => ctx.t1("opinion-by", "name", name),
        OpinionAuthor::You { anonymous: false } => ctx.t("opinion-by-you"),
        OpinionAuthor::You { anonymous: true } => ctx.t("opinion-by-you-anonymous"),
        OpinionAuthor::Anonymous => ctx.t("opinion-by-anonymous"),
        OpinionAuthor::Gone => ctx.t("opinion-by-gone"),
    }
}

/// An opinion in a list or on its page.
pub struct OpinionView {
    id: i64,
    title: String,
    body: String,
    status: &'static str,
    status_label: String,
    author: String,
    sent: String,
    response_time: String,
    responses: String,
}

fn opinion_view(ctx: &RequestContext, item: &OpinionItem) -> OpinionView {
    OpinionView {
        id: item.id.0,
        title: item.title.clone(),
        body: item.body.clone(),
        status: item.status.as_str(),
        status_label: status_label(ctx, item.status),
        author: author_label(ctx, &item.author),
        sent: ctx.t1(
            "opinion-sent",
            "time",
            format_time(item.created_at, reader_zone(ctx), ctx.tr.locale()),
        ),
        response_time: response_time(ctx, item.created_at, item.first_response_at),
        responses: ctx.t_count("opinion-responses-count", "count", item.responses),
    }
}

/// The figures as shown.
pub struct FiguresView {
    median: String,
    concluded: String,
    responded: String,
}

fn figures_view(ctx: &RequestContext, figures: &OpinionFigures) -> FiguresView {
    let share = |count: u64, percent: Option<u64>| {
        ctx.tr.t_args(
            "opinion-figures-share",
            &[
                ("percent", percent.unwrap_or(0).to_string()),
                ("count", count.to_string()),
                ("total", figures.total.to_string()),
            ],
        )
    };
    FiguresView {
        median: match figures.median_first_response_secs {
            Some(seconds) => elapsed_label(ctx, Elapsed::of_seconds(seconds)),
            None => ctx.t("opinion-figures-median-none"),
        },
        concluded: share(figures.concluded, figures.concluded_percent()),
        responded: share(figures.responded, figures.responded_percent()),
    }
}

/// The opinion form as posted.
#[derive(Deserialize, Default, Clone)]
pub struct OpinionForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    anonymous: Option<String>,
}

impl OpinionForm {
    fn draft(&self) -> OpinionDraft {
        OpinionDraft {
            title: self.title.clone(),
            body: self.body.clone(),
            anonymous: self.is_anonymous(),
        }
    }

    fn is_anonymous(&self) -> bool {
        self.anonymous
            .as_deref()
            .is_some_and(|v| !v.is_empty() && v != "0")
    }
}

/// The opinion box.
#[derive(Template, WebTemplate)]
#[template(path = "opinions/index.html")]
pub struct BoxPage {
    ctx: RequestContext,
    community: (i64, String),
    mine_only: bool,
    opinions: Vec<OpinionView>,
    organises: bool,
    figures: Option<FiguresView>,
    unanswered: Vec<OpinionView>,
    form: OpinionForm,
    anonymous: bool,
    errors: FormErrors,
    daily_limit: i64,
}

fn box_page(ctx: RequestContext, data: &OpinionBox, mine_only: bool) -> BoxPage {
    BoxPage {
        daily_limit: tsunagari_domain::opinion::MAX_OPINIONS_PER_DAY,
        community: (data.community.id.0, data.community.profile.name.clone()),
        mine_only,
        opinions: data
            .opinions
            .iter()
            .map(|i| opinion_view(&ctx, i))
            .collect(),
        organises: data.viewer_organises(),
        figures: data.figures.as_ref().map(|f| figures_view(&ctx, f)),
        unanswered: data
            .unanswered
            .iter()
            .map(|i| opinion_view(&ctx, i))
            .collect(),
        form: OpinionForm::default(),
        anonymous: false,
        errors: FormErrors::default(),
        ctx,
    }
}

/// The list filter.
#[derive(Deserialize, Default)]
pub struct BoxQuery {
    #[serde(default)]
    show: Option<String>,
}

/// `GET /communities/{id}/opinions` (`?show=mine` for one's own).
pub async fn index(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    Query(query): Query<BoxQuery>,
) -> Result<BoxPage, Failure> {
    let mine_only = query.show.as_deref() == Some("mine");
    let data = state
        .opinions
        .board(&user.account, CommunityId(id), mine_only)
        .await?;
    Ok(box_page(ctx, &data, mine_only))
}

/// `POST /communities/{id}/opinions`.
pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<OpinionForm>,
) -> Result<Response, Failure> {
    match state
        .opinions
        .submit(&user.account, CommunityId(id), &form.draft())
        .await
    {
        Ok(opinion) => Ok(redirect_with_notice(
            &ctx,
            &format!("/opinions/{}", opinion.id.0),
            Some("opinion-submitted"),
            Vec::new(),
        )),
        // A full day's worth is refused with the form kept, like a mistake.
        Err(error @ (AppError::Invalid(_) | AppError::Forbidden(Denial::OpinionDailyLimit))) => {
            let failure = Failure::from(error);
            let data = state
                .opinions
                .board(&user.account, CommunityId(id), false)
                .await?;
            let mut page = box_page(ctx, &data, false);
            page.errors = if failure.fields.is_empty() {
                FormErrors::refusal_on(&page.ctx.tr, &failure, "body")
            } else {
                FormErrors::from_failure(&page.ctx.tr, &failure)
            };
            page.anonymous = form.is_anonymous();
            page.form = form;
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// A response in an opinion's history.
pub struct ResponseView {
    status_label: String,
    status: &'static str,
    body: String,
    by: String,
}

/// A status to choose in the response form.
pub struct StatusChoice {
    value: &'static str,
    label: String,
    selected: bool,
}

/// The response form as posted.
#[derive(Deserialize, Default, Clone)]
pub struct ResponseForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    body: String,
}

/// One opinion with its history.
#[derive(Template, WebTemplate)]
#[template(path = "opinions/show.html")]
pub struct ShowPage {
    ctx: RequestContext,
    community: (i64, String),
    opinion: OpinionView,
    history: Vec<ResponseView>,
    organises: bool,
    statuses: Vec<StatusChoice>,
    form: ResponseForm,
    errors: FormErrors,
}

fn show_page(ctx: RequestContext, data: &OpinionPage, form: ResponseForm) -> ShowPage {
    let zone = reader_zone(&ctx);
    let locale = ctx.tr.locale();
    let selected = OpinionStatus::parse(&form.status).unwrap_or(match data.item.status {
        OpinionStatus::Received => OpinionStatus::UnderDiscussion,
        other => other,
    });
    ShowPage {
        community: (data.community.id.0, data.community.profile.name.clone()),
        opinion: opinion_view(&ctx, &data.item),
        history: data
            .history
            .iter()
            .map(|h| {
                let time = format_time(h.response.created_at, zone, locale);
                ResponseView {
                    status_label: status_label(&ctx, h.response.status),
                    status: h.response.status.as_str(),
                    body: h.response.body.clone(),
                    by: match &h.responder {
                        Some(name) => ctx.tr.t_args(
                            "opinion-response-by",
                            &[("name", name.clone()), ("time", time)],
                        ),
                        None => ctx.t1("opinion-response-by-gone", "time", time),
                    },
                }
            })
            .collect(),
        organises: data.viewer_organises(),
        statuses: OpinionStatus::RESPONSES
            .into_iter()
            .map(|s| StatusChoice {
                value: s.as_str(),
                label: status_label(&ctx, s),
                selected: s == selected,
            })
            .collect(),
        form,
        errors: FormErrors::default(),
        ctx,
    }
}

/// `GET /opinions/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<ShowPage, Failure> {
    let data = state.opinions.page(&user.account, OpinionId(id)).await?;
    Ok(show_page(ctx, &data, ResponseForm::default()))
}

/// `POST /opinions/{id}/responses`.
pub async fn respond(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ResponseForm>,
) -> Result<Response, Failure> {
    let draft = ResponseDraft {
        status: form.status.clone(),
        body: form.body.clone(),
    };
    match state
        .opinions
        .respond(&user.account, OpinionId(id), &draft)
        .await
    {
        Ok(_) => Ok(redirect_with_notice(
            &ctx,
            &format!("/opinions/{id}#history"),
            Some("opinion-responded"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let data = state.opinions.page(&user.account, OpinionId(id)).await?;
            let mut page = show_page(ctx, &data, form);
            page.errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET` of the response form's address (after a failed post was
/// reloaded): back to the opinion.
pub async fn back_to_opinion(Path(id): Path<i64>) -> axum::response::Redirect {
    axum::response::Redirect::to(&format!("/opinions/{id}"))
}
