//! Counselling endpoints: ask, list your requests (and, for counsellors,
//! the queues of your unions), read one request with its thread, write in
//! it; counsellors assign and close; members read the union's response
//! figures.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tsunagari_domain::UserId;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::counselling::{RequestDraft, RequestId};
use tsunagari_store::{CounsellingMessage, RequestListing};
use utoipa::ToSchema;

use super::{ApiJson, ApiUser};
use crate::error::{ErrorEnvelope, Failure};
use crate::state::AppState;

/// A counselling request.
#[derive(Serialize, ToSchema)]
pub struct CounsellingRequestView {
    /// Id.
    pub id: i64,
    /// The union.
    pub community_id: i64,
    /// The union's name.
    pub community_name: String,
    /// `career_change`, `skills`, `workplace`, `work_life`, `reemployment` or `other`.
    pub category: String,
    /// In the member's words.
    pub topic: String,
    /// `chat`, `phone` or `video`.
    pub channel: String,
    /// The phone number or video-call note: only for the member and the
    /// assigned counsellor, otherwise null.
    pub contact: Option<String>,
    /// When the member can talk.
    pub preferred_times: String,
    /// `unassigned`, `assigned` or `closed`.
    pub status: String,
    /// The member's display name.
    pub member_name: String,
    /// The assigned counsellor's id.
    pub counsellor_id: Option<i64>,
    /// The assigned counsellor's display name.
    pub counsellor_name: Option<String>,
    /// Made (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: tsunagari_domain::Timestamp,
    /// First assigned.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub assigned_at: Option<tsunagari_domain::Timestamp>,
    /// First counsellor message.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub first_response_at: Option<tsunagari_domain::Timestamp>,
    /// Closed.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<tsunagari_domain::Timestamp>,
    /// The closing summary.
    pub summary: Option<String>,
}

impl CounsellingRequestView {
    fn new(listing: &RequestListing, viewer: UserId) -> CounsellingRequestView {
        let r = &listing.request;
        CounsellingRequestView {
            id: r.id.0,
            community_id: r.community_id.0,
            community_name: listing.community_name.clone(),
            category: r.details.category.as_str().to_owned(),
            topic: r.details.topic.clone(),
            channel: r.details.channel.as_str().to_owned(),
            contact: r.contact_for(viewer).map(str::to_owned),
            preferred_times: r.details.preferred_times.clone(),
            status: r.status().as_str().to_owned(),
            member_name: listing.member_name.clone(),
            counsellor_id: r.assigned_to.map(|u| u.0),
            counsellor_name: listing.counsellor_name.clone(),
            created_at: r.created_at,
            assigned_at: r.assigned_at,
            first_response_at: r.first_response_at,
            closed_at: r.closed_at,
            summary: r.summary.clone(),
        }
    }
}

/// A message of a request's private thread.
#[derive(Serialize, ToSchema)]
pub struct CounsellingMessageView {
    /// Id.
    pub id: i64,
    /// The author's display name (null once their account is deleted).
    pub author_name: Option<String>,
    /// Whether a counsellor wrote it.
    pub from_counsellor: bool,
    /// The text.
    pub body: String,
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: tsunagari_domain::Timestamp,
}

impl From<&CounsellingMessage> for CounsellingMessageView {
    fn from(m: &CounsellingMessage) -> Self {
        CounsellingMessageView {
            id: m.id,
            author_name: m.author_name.clone(),
            from_counsellor: m.from_counsellor,
            body: m.body.clone(),
            created_at: m.created_at,
        }
    }
}

/// Your requests and the queues you answer.
#[derive(Serialize, ToSchema)]
pub struct CounsellingRequestList {
    /// Your own requests, newest first.
    pub own: Vec<CounsellingRequestView>,
    /// Counsellors: the open requests of your unions, unassigned first, oldest first.
    pub queue: Vec<CounsellingRequestView>,
}

/// One request with its thread.
#[derive(Serialize, ToSchema)]
pub struct CounsellingRequestDetail {
    /// The request.
    pub request: CounsellingRequestView,
    /// Its private thread, oldest first.
    pub messages: Vec<CounsellingMessageView>,
}

/// A request to make.
#[derive(Deserialize, ToSchema)]
pub struct CounsellingRequestInput {
    /// `career_change`, `skills`, `workplace`, `work_life`, `reemployment` or `other`.
    pub category: String,
    /// What it is about, 1–2,000 characters.
    pub topic: String,
    /// `chat`, `phone` or `video`.
    pub channel: String,
    /// A phone number (required for `phone`), or how to join a video call.
    pub contact: Option<String>,
    /// When you can talk, up to 500 characters.
    pub preferred_times: Option<String>,
}

/// A message to write.
#[derive(Deserialize, ToSchema)]
pub struct CounsellingMessageInput {
    /// 1–5,000 characters.
    pub body: String,
}

/// Ask the union's counsellors for career counselling (active members).
#[utoipa::path(post, path = "/api/v1/communities/{id}/counselling-requests", tag = "counselling", request_body = CounsellingRequestInput,
    security(("bearer" = [])), params(("id" = i64, Path, description = "Union (community) id")),
    responses((status = 201, description = "Made", body = CounsellingRequestView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member", body = ErrorEnvelope), (status = 404, description = "No such community, or counselling is off", body = ErrorEnvelope),
        (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CounsellingRequestInput>,
) -> Result<Response, Failure> {
    let draft = RequestDraft {
        category: input.category,
        topic: input.topic,
        channel: input.channel,
        contact: input.contact.unwrap_or_default(),
        preferred_times: input.preferred_times.unwrap_or_default(),
    };
    let request = state
        .counselling
        .ask(&account, CommunityId(id), &draft)
        .await?;
    let page = state.counselling.page(&account, request.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(CounsellingRequestView::new(&page.listing, account.id)),
    )
        .into_response())
}

/// Your counselling requests and, if you counsel for a union, its open requests.
#[utoipa::path(get, path = "/api/v1/counselling-requests", tag = "counselling", security(("bearer" = [])),
    responses((status = 200, description = "Requests", body = CounsellingRequestList), (status = 401, description = "No token", body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
) -> Result<Json<CounsellingRequestList>, Failure> {
    let lists = state.counselling.lists(&account).await?;
    Ok(Json(CounsellingRequestList {
        own: lists
            .own
            .iter()
            .map(|l| CounsellingRequestView::new(l, account.id))
            .collect(),
        queue: lists
            .queue
            .iter()
            .map(|l| CounsellingRequestView::new(l, account.id))
            .collect(),
    }))
}

/// One request with its thread (its member and the union's counsellors; 404 for anyone else).
#[utoipa::path(get, path = "/api/v1/counselling-requests/{id}", tag = "counselling", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, description = "The request", body = CounsellingRequestDetail), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 404, description = "No such request (or not yours to see)", body = ErrorEnvelope)))]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<CounsellingRequestDetail>, Failure> {
    detail(&state, &account, RequestId(id)).await
}

/// Write in a request's private thread.
#[utoipa::path(post, path = "/api/v1/counselling-requests/{id}/messages", tag = "counselling", request_body = CounsellingMessageInput,
    security(("bearer" = [])), params(("id" = i64, Path, description = "Request id")),
    responses((status = 201, description = "Written", body = CounsellingMessageView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 404, description = "No such request (or not yours to see)", body = ErrorEnvelope),
        (status = 409, description = "The request is closed", body = ErrorEnvelope), (status = 422, description = "Empty or too long", body = ErrorEnvelope)))]
pub async fn write(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CounsellingMessageInput>,
) -> Result<Response, Failure> {
    let message = state
        .counselling
        .write(&account, RequestId(id), &input.body)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CounsellingMessageView::from(&message)),
    )
        .into_response())
}

/// The counsellor to give a request to.
#[derive(Deserialize, ToSchema)]
pub struct AssignInput {
    /// A counsellor of the union (the caller or a colleague).
    pub user_id: i64,
}

async fn detail(
    state: &AppState,
    account: &tsunagari_domain::Account,
    id: RequestId,
) -> Result<Json<CounsellingRequestDetail>, Failure> {
    let page = state.counselling.page(account, id).await?;
    Ok(Json(CounsellingRequestDetail {
        request: CounsellingRequestView::new(&page.listing, account.id),
        messages: page.messages.iter().map(Into::into).collect(),
    }))
}

/// Take a request or give it to a colleague (counsellors of the union);
/// the member is notified.
#[utoipa::path(put, path = "/api/v1/counselling-requests/{id}/counsellor", tag = "counselling", request_body = AssignInput,
    security(("bearer" = [])), params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, description = "Assigned", body = CounsellingRequestDetail), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a counsellor of the union (the member cannot assign)", body = ErrorEnvelope),
        (status = 404, description = "No such request (or not yours to see)", body = ErrorEnvelope),
        (status = 409, description = "The request is closed", body = ErrorEnvelope),
        (status = 422, description = "`user_id` is not an active counsellor of the union", body = ErrorEnvelope)))]
pub async fn assign(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AssignInput>,
) -> Result<Json<CounsellingRequestDetail>, Failure> {
    state
        .counselling
        .assign(&account, RequestId(id), UserId(input.user_id))
        .await?;
    detail(&state, &account, RequestId(id)).await
}

/// The closing summary.
#[derive(Deserialize, ToSchema)]
pub struct CloseInput {
    /// What was talked about and what comes next; the member reads it.
    pub summary: String,
}

/// Close a request with a summary (counsellors of the union); the member
/// is notified.
#[utoipa::path(post, path = "/api/v1/counselling-requests/{id}/closure", tag = "counselling", request_body = CloseInput,
    security(("bearer" = [])), params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, description = "Closed", body = CounsellingRequestDetail), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a counsellor of the union", body = ErrorEnvelope),
        (status = 404, description = "No such request (or not yours to see)", body = ErrorEnvelope),
        (status = 409, description = "Closed already", body = ErrorEnvelope), (status = 422, description = "No summary, or too long", body = ErrorEnvelope)))]
pub async fn close(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CloseInput>,
) -> Result<Json<CounsellingRequestDetail>, Failure> {
    state
        .counselling
        .close(&account, RequestId(id), &input.summary)
        .await?;
    detail(&state, &account, RequestId(id)).await
}

/// A union's response-time figures. Each is null until it rests on at
/// least `minimum_base` requests.
#[derive(Serialize, ToSchema)]
pub struct ResponseFiguresView {
    /// The union.
    pub community_id: i64,
    /// Requests ever made.
    pub requests: Option<usize>,
    /// Requests not closed.
    pub open: Option<usize>,
    /// Median minutes from a request to a counsellor taking it.
    pub median_minutes_to_assignment: Option<i64>,
    /// Median minutes from a request to the first counsellor message.
    pub median_minutes_to_first_response: Option<i64>,
    /// The fewest requests a figure is shown for.
    pub minimum_base: usize,
}

/// The union's response-time figures (active members).
#[utoipa::path(get, path = "/api/v1/communities/{id}/counselling/figures", tag = "counselling", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id (a union)")),
    responses((status = 200, description = "The figures", body = ResponseFiguresView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member", body = ErrorEnvelope), (status = 404, description = "No such community, or counselling is off there", body = ErrorEnvelope)))]
pub async fn figures(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ResponseFiguresView>, Failure> {
    let f = state.counselling.figures(&account, CommunityId(id)).await?;
    Ok(Json(ResponseFiguresView {
        community_id: id,
        requests: f.requests,
        open: f.open,
        median_minutes_to_assignment: f.median_to_assignment.map(|d| d.num_minutes()),
        median_minutes_to_first_response: f.median_to_first_response.map(|d| d.num_minutes()),
        minimum_base: tsunagari_domain::counselling::MIN_FIGURE_BASE,
    }))
}
