//! Counselling pages: a union's counselling page (ask, your requests, the
//! counsellors' queue, response-time figures, naming counsellors) and one
//! request's private thread with assignment and closing.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tsunagari_app::{AppError, CounsellingOverview, RequestPage};
use tsunagari_domain::UserId;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::counselling::{Channel, RequestDraft, RequestId, TopicCategory};
use tsunagari_store::RequestListing;

use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::context::{RequestContext, RequireUser};
use crate::error::{Failure, FormErrors};
use crate::state::AppState;

/// An option of a select list or a radio group.
pub struct ChoiceView {
    /// The submitted value.
    pub value: String,
    /// The translated label.
    pub label: String,
    /// Whether it is chosen.
    pub selected: bool,
}

/// A length of time as people read it: minutes, hours and minutes, or days
/// and hours.
pub fn duration_label(ctx: &RequestContext, duration: chrono::Duration) -> String {
    let minutes = duration.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, (minutes / 60) % 24, minutes % 60);
    if days >= 2 {
        ctx.tr.t_args(
            "counselling-duration-days",
            &[("days", days.to_string()), ("hours", hours.to_string())],
        )
    } else if minutes >= 60 {
        ctx.tr.t_args(
            "counselling-duration-hours",
            &[
                ("hours", (minutes / 60).to_string()),
                ("minutes", mins.to_string()),
            ],
        )
    } else {
        ctx.t1("counselling-duration-minutes", "minutes", minutes)
    }
}

/// A request in a list.
pub struct RequestItem {
    id: i64,
    category: String,
    topic: String,
    channel: String,
    created: String,
    status: String,
    member: String,
    counsellor: Option<String>,
}

fn excerpt(text: &str, chars: usize) -> String {
    let mut short: String = text.chars().take(chars).collect();
    if text.chars().count() > chars {
        short.push('…');
    }
    short
}

fn request_item(ctx: &RequestContext, listing: &RequestListing) -> RequestItem {
    let r = &listing.request;
    RequestItem {
        id: r.id.0,
        category: ctx.t(&format!(
            "counselling-category-{}",
            r.details.category.as_str()
        )),
        topic: excerpt(&r.details.topic, 80),
        channel: ctx.t(&format!(
            "counselling-channel-{}",
            r.details.channel.as_str()
        )),
        created: format_time(r.created_at, reader_zone(ctx), ctx.tr.locale()),
        status: ctx.t(&format!("counselling-status-{}", r.status().as_str())),
        member: listing.member_name.clone(),
        counsellor: listing.counsellor_name.clone(),
    }
}

/// The request form as posted.
#[derive(Deserialize, Default, Clone)]
pub struct RequestForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    preferred_times: String,
}

impl RequestForm {
    fn draft(&self) -> RequestDraft {
        RequestDraft {
            category: self.category.clone(),
            topic: self.topic.clone(),
            channel: self.channel.clone(),
            contact: self.contact.clone(),
            preferred_times: self.preferred_times.clone(),
        }
    }
}

/// A counsellor as listed.
pub struct CounsellorView {
    user_id: i64,
    name: String,
}

/// The figures as shown.
pub struct FiguresView {
    requests: Option<usize>,
    open: Option<usize>,
    to_assignment: Option<String>,
    to_first_response: Option<String>,
}

/// A union's counselling page.
#[derive(Template, WebTemplate)]
#[template(path = "counselling/index.html")]
pub struct IndexPage {
    ctx: RequestContext,
    community: (i64, String),
    is_counsellor: bool,
    organises: bool,
    form: RequestForm,
    categories: Vec<ChoiceView>,
    channels: Vec<ChoiceView>,
    errors: FormErrors,
    own: Vec<RequestItem>,
    unassigned: Vec<RequestItem>,
    mine: Vec<RequestItem>,
    others: Vec<RequestItem>,
    closed: Vec<RequestItem>,
    counsellors: Vec<CounsellorView>,
    candidates: Vec<CounsellorView>,
    figures: FiguresView,
    counsellor_error: Option<String>,
    min_base: usize,
}

impl IndexPage {
    fn new(ctx: RequestContext, overview: &CounsellingOverview, form: RequestForm) -> IndexPage {
        let categories = TopicCategory::ALL
            .iter()
            .map(|c| ChoiceView {
                value: c.as_str().to_owned(),
                label: ctx.t(&format!("counselling-category-{}", c.as_str())),
                selected: form.category == c.as_str(),
            })
            .collect();
        let channel = if form.channel.is_empty() {
            Channel::Chat.as_str().to_owned()
        } else {
            form.channel.clone()
        };
        let channels = Channel::ALL
            .iter()
            .map(|c| ChoiceView {
                value: c.as_str().to_owned(),
                label: ctx.t(&format!("counselling-channel-{}", c.as_str())),
                selected: channel == c.as_str(),
            })
            .collect();
        let items = |list: &[RequestListing]| list.iter().map(|l| request_item(&ctx, l)).collect();
        let counsellor_ids: Vec<UserId> = overview.counsellors.iter().map(|c| c.user_id).collect();
        let f = &overview.figures;
        IndexPage {
            community: (
                overview.community.id.0,
                overview.community.profile.name.clone(),
            ),
            is_counsellor: overview.is_counsellor,
            organises: overview.viewer_organises(),
            categories,
            channels,
            errors: FormErrors::default(),
            own: items(&overview.own),
            unassigned: items(&overview.unassigned),
            mine: items(&overview.mine),
            others: items(&overview.others),
            closed: items(&overview.closed),
            counsellors: overview
                .counsellors
                .iter()
                .map(|c| CounsellorView {
                    user_id: c.user_id.0,
                    name: c.display_name.clone(),
                })
                .collect(),
            candidates: overview
                .candidates
                .iter()
                .filter(|m| !counsellor_ids.contains(&m.membership.user_id))
                .map(|m| CounsellorView {
                    user_id: m.membership.user_id.0,
                    name: m.display_name.clone(),
                })
                .collect(),
            figures: FiguresView {
                requests: f.requests,
                open: f.open,
                to_assignment: f.median_to_assignment.map(|d| duration_label(&ctx, d)),
                to_first_response: f.median_to_first_response.map(|d| duration_label(&ctx, d)),
            },
            counsellor_error: None,
            min_base: tsunagari_domain::counselling::MIN_FIGURE_BASE,
            form,
            ctx,
        }
    }
}

/// `GET /communities/{id}/counselling`.
pub async fn index(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<IndexPage, Failure> {
    let overview = state
        .counselling
        .overview(&user.account, CommunityId(id))
        .await?;
    Ok(IndexPage::new(ctx, &overview, RequestForm::default()))
}

/// `POST /communities/{id}/counselling`: a member asks.
pub async fn ask(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<RequestForm>,
) -> Result<Response, Failure> {
    match state
        .counselling
        .ask(&user.account, CommunityId(id), &form.draft())
        .await
    {
        Ok(request) => Ok(redirect_with_notice(
            &ctx,
            &format!("/counselling/{}", request.id.0),
            Some("counselling-asked"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let overview = state
                .counselling
                .overview(&user.account, CommunityId(id))
                .await?;
            let mut page = IndexPage::new(ctx, &overview, form);
            page.errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The form naming or removing a counsellor.
#[derive(Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    user_id: String,
}

/// `POST /communities/{id}/counsellors`: organisers name a counsellor.
pub async fn add_counsellor(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<PersonForm>,
) -> Result<Response, Failure> {
    let person = form.user_id.trim().parse::<i64>().unwrap_or(0);
    match state
        .counselling
        .add_counsellor(&user.account, CommunityId(id), UserId(person))
        .await
    {
        Ok(()) => Ok(redirect_with_notice(
            &ctx,
            &format!("/communities/{id}/counselling#counsellors"),
            Some("counselling-counsellor-added"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let overview = state
                .counselling
                .overview(&user.account, CommunityId(id))
                .await?;
            let mut page = IndexPage::new(ctx, &overview, RequestForm::default());
            page.counsellor_error = FormErrors::from_failure(&page.ctx.tr, &failure)
                .get("user_id")
                .map(str::to_owned);
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /communities/{id}/counsellors/{user_id}/remove`.
pub async fn remove_counsellor(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path((id, person)): Path<(i64, i64)>,
) -> Result<Response, Failure> {
    state
        .counselling
        .remove_counsellor(&user.account, CommunityId(id), UserId(person))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/communities/{id}/counselling#counsellors"),
        Some("counselling-counsellor-removed"),
        Vec::new(),
    ))
}

/// A message of the thread as shown.
pub struct MessageView {
    author: String,
    from_counsellor: bool,
    mine: bool,
    body: String,
    time: String,
}

/// One request's page.
#[derive(Template, WebTemplate)]
#[template(path = "counselling/show.html")]
pub struct ShowPage {
    ctx: RequestContext,
    id: i64,
    community: (i64, String),
    category: String,
    topic: String,
    channel: String,
    contact: Option<String>,
    contact_hidden: bool,
    preferred_times: String,
    created: String,
    status: String,
    member: String,
    counsellor: Option<String>,
    closed: Option<(String, String)>,
    is_counsellor: bool,
    viewer_is_member: bool,
    handles: bool,
    may_write: bool,
    counsellors: Vec<ChoiceView>,
    messages: Vec<MessageView>,
    body: String,
    summary: String,
    errors: FormErrors,
}

fn show_page(ctx: RequestContext, page: &RequestPage) -> ShowPage {
    let zone = reader_zone(&ctx);
    let locale = ctx.tr.locale();
    let r = page.request();
    let hidden_name = ctx.t("counselling-former-account");
    ShowPage {
        id: r.id.0,
        community: (r.community_id.0, page.listing.community_name.clone()),
        category: ctx.t(&format!(
            "counselling-category-{}",
            r.details.category.as_str()
        )),
        topic: r.details.topic.clone(),
        channel: ctx.t(&format!(
            "counselling-channel-{}",
            r.details.channel.as_str()
        )),
        contact: page.contact().map(str::to_owned),
        contact_hidden: r.details.contact.is_some() && page.contact().is_none(),
        preferred_times: r.details.preferred_times.clone(),
        created: format_time(r.created_at, zone, locale),
        status: ctx.t(&format!("counselling-status-{}", r.status().as_str())),
        member: page.listing.member_name.clone(),
        counsellor: page.listing.counsellor_name.clone(),
        closed: r.closed_at.map(|at| {
            (
                format_time(at, zone, locale),
                r.summary.clone().unwrap_or_default(),
            )
        }),
        is_counsellor: page.is_counsellor,
        viewer_is_member: page.viewer_is_member(),
        handles: page.viewer_handles(),
        may_write: page.viewer_may_write(),
        counsellors: page
            .counsellors
            .iter()
            .filter(|c| c.user_id != r.member)
            .map(|c| ChoiceView {
                value: c.user_id.0.to_string(),
                label: c.display_name.clone(),
                selected: r
                    .assigned_to
                    .map_or(c.user_id == page.viewer, |a| a == c.user_id),
            })
            .collect(),
        messages: page
            .messages
            .iter()
            .map(|m| MessageView {
                author: m.author_name.clone().unwrap_or_else(|| hidden_name.clone()),
                from_counsellor: m.from_counsellor,
                mine: m.author == Some(page.viewer),
                body: m.body.clone(),
                time: format_time(m.created_at, zone, locale),
            })
            .collect(),
        body: String::new(),
        summary: String::new(),
        errors: FormErrors::default(),
        ctx,
    }
}

/// `GET /counselling/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<ShowPage, Failure> {
    let page = state.counselling.page(&user.account, RequestId(id)).await?;
    Ok(show_page(ctx, &page))
}

/// The message form.
#[derive(Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    body: String,
}

/// `POST /counselling/{id}/messages`.
pub async fn write(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<MessageForm>,
) -> Result<Response, Failure> {
    match state
        .counselling
        .write(&user.account, RequestId(id), &form.body)
        .await
    {
        Ok(_) => Ok(redirect_with_notice(
            &ctx,
            &format!("/counselling/{id}#messages"),
            Some("counselling-message-sent"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let page = state.counselling.page(&user.account, RequestId(id)).await?;
            let mut show = show_page(ctx, &page);
            show.errors = FormErrors::from_failure(&show.ctx.tr, &failure);
            show.body = form.body;
            Ok((failure.status, show).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /counselling/{id}/assign`.
pub async fn assign(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<PersonForm>,
) -> Result<Response, Failure> {
    let person = form.user_id.trim().parse::<i64>().unwrap_or(0);
    match state
        .counselling
        .assign(&user.account, RequestId(id), UserId(person))
        .await
    {
        Ok(()) => Ok(redirect_with_notice(
            &ctx,
            &format!("/counselling/{id}"),
            Some("counselling-assigned"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let page = state.counselling.page(&user.account, RequestId(id)).await?;
            let mut show = show_page(ctx, &page);
            show.errors = FormErrors::from_failure(&show.ctx.tr, &failure);
            Ok((failure.status, show).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The closing form.
#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    summary: String,
}

/// `POST /counselling/{id}/close`.
pub async fn close(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<CloseForm>,
) -> Result<Response, Failure> {
    match state
        .counselling
        .close(&user.account, RequestId(id), &form.summary)
        .await
    {
        Ok(()) => Ok(redirect_with_notice(
            &ctx,
            &format!("/counselling/{id}"),
            Some("counselling-closed"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let page = state.counselling.page(&user.account, RequestId(id)).await?;
            let mut show = show_page(ctx, &page);
            show.errors = FormErrors::from_failure(&show.ctx.tr, &failure);
            show.summary = form.summary;
            Ok((failure.status, show).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
