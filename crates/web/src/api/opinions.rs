//! Opinion-box endpoints (意見の反映): a community's opinions, sending one,
//! one opinion with its history, and organisers' responses.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tsunagari_app::{OpinionAuthor, OpinionItem, ResponseItem};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::opinion::{OpinionDraft, OpinionFigures, OpinionId, ResponseDraft};
use utoipa::ToSchema;

use super::{ApiJson, ApiUser};
use crate::error::{ErrorEnvelope, Failure};
use crate::state::AppState;

/// An opinion as the caller may see it. The author of an anonymous opinion
/// is never given (not to organisers either); the caller learns only
/// whether it is their own.
#[derive(Serialize, ToSchema)]
pub struct OpinionView {
    /// Id.
    pub id: i64,
    /// The community.
    pub community_id: i64,
    /// Title.
    pub title: String,
    /// The opinion (plain text).
    pub body: String,
    /// Sent without a name.
    pub anonymous: bool,
    /// The author's display name: null for anonymous opinions, the caller's
    /// own and former members'.
    pub author_name: Option<String>,
    /// Whether the caller wrote it.
    pub mine: bool,
    /// `received`, `under_discussion`, `answered`, `adopted` or `declined`.
    pub status: String,
    /// When it was sent (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: tsunagari_domain::Timestamp,
    /// When the first response came.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub first_response_at: Option<tsunagari_domain::Timestamp>,
    /// Seconds from sending to the first response.
    pub first_response_secs: Option<i64>,
    /// How many responses it has.
    pub responses: i64,
}

impl From<&OpinionItem> for OpinionView {
    fn from(item: &OpinionItem) -> Self {
        let (anonymous, author_name) = match &item.author {
            OpinionAuthor::Named(name) => (false, Some(name.clone())),
            OpinionAuthor::You { anonymous } => (*anonymous, None),
            OpinionAuthor::Anonymous => (true, None),
            OpinionAuthor::Gone => (false, None),
        };
        OpinionView {
            id: item.id.0,
            community_id: item.community_id.0,
            title: item.title.clone(),
            body: item.body.clone(),
            anonymous,
            author_name,
            mine: item.is_mine(),
            status: item.status.as_str().to_owned(),
            created_at: item.created_at,
            first_response_at: item.first_response_at,
            first_response_secs: item
                .first_response_at
                .map(|first| (first - item.created_at).num_seconds()),
            responses: item.responses,
        }
    }
}

/// How the box is answered (organisers).
#[derive(Serialize, ToSchema)]
pub struct FiguresView {
    /// Opinions sent.
    pub total: u64,
    /// Opinions with at least one response.
    pub responded: u64,
    /// Opinions answered, adopted or declined.
    pub concluded: u64,
    /// Whole percent of opinions answered, adopted or declined.
    pub concluded_percent: Option<u64>,
    /// Median seconds from sending to the first response.
    pub median_first_response_secs: Option<i64>,
}

impl From<&OpinionFigures> for FiguresView {
    fn from(f: &OpinionFigures) -> Self {
        FiguresView {
            total: f.total,
            responded: f.responded,
            concluded: f.concluded,
            concluded_percent: f.concluded_percent(),
            median_first_response_secs: f.median_first_response_secs,
        }
    }
}

/// A community's opinions.
#[derive(Serialize, ToSchema)]
pub struct OpinionList {
    /// Every opinion (or the caller's own with `?mine=true`), newest first.
    pub opinions: Vec<OpinionView>,
    /// Organisers only: opinions without a response, oldest first.
    pub unanswered: Option<Vec<OpinionView>>,
    /// Organisers only: how the box is answered.
    pub figures: Option<FiguresView>,
}

/// The list filter.
#[derive(Deserialize, Default)]
pub struct OpinionQuery {
    /// Only the caller's own opinions.
    #[serde(default)]
    pub mine: bool,
}

/// An opinion to send.
#[derive(Deserialize, ToSchema)]
pub struct OpinionInput {
    /// Title, 1–120 characters.
    pub title: String,
    /// The opinion, 1–5,000 characters.
    pub body: String,
    /// Hide the author's name from members and organisers (it is still
    /// stored for the site operator's abuse controls).
    #[serde(default)]
    pub anonymous: bool,
}

/// A response in an opinion's history.
#[derive(Serialize, ToSchema)]
pub struct ResponseView {
    /// Id.
    pub id: i64,
    /// The status it set.
    pub status: String,
    /// What was said.
    pub body: String,
    /// The organiser's user id; null once their account is deleted.
    pub responded_by: Option<i64>,
    /// The organiser's display name.
    pub responder_name: Option<String>,
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: tsunagari_domain::Timestamp,
}

impl From<&ResponseItem> for ResponseView {
    fn from(item: &ResponseItem) -> Self {
        ResponseView {
            id: item.response.id,
            status: item.response.status.as_str().to_owned(),
            body: item.response.body.clone(),
            responded_by: item.response.responded_by.map(|u| u.0),
            responder_name: item.responder.clone(),
            created_at: item.response.created_at,
        }
    }
}

/// One opinion with every response.
#[derive(Serialize, ToSchema)]
pub struct OpinionDetail {
    /// The opinion.
    #[serde(flatten)]
    pub opinion: OpinionView,
    /// Responses, oldest first.
    pub history: Vec<ResponseView>,
}

/// A response to record.
#[derive(Deserialize, ToSchema)]
pub struct ResponseInput {
    /// `under_discussion`, `answered`, `adopted` or `declined`.
    pub status: String,
    /// The answer: required for answered and adopted; the reason for declined.
    #[serde(default)]
    pub body: String,
}

/// A community's opinions (active members).
#[utoipa::path(get, path = "/api/v1/communities/{id}/opinions", tag = "opinions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id"), ("mine" = Option<bool>, Query, description = "Only the caller's own")),
    responses((status = 200, description = "Opinions", body = OpinionList), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member", body = ErrorEnvelope), (status = 404, description = "No such community, or the opinion box is off", body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<OpinionQuery>,
) -> Result<Json<OpinionList>, Failure> {
    let board = state
        .opinions
        .board(&account, CommunityId(id), query.mine)
        .await?;
    let organises = board.viewer_organises();
    Ok(Json(OpinionList {
        opinions: board.opinions.iter().map(OpinionView::from).collect(),
        unanswered: organises.then(|| board.unanswered.iter().map(OpinionView::from).collect()),
        figures: board.figures.as_ref().map(FiguresView::from),
    }))
}

/// Send an opinion (active members).
#[utoipa::path(post, path = "/api/v1/communities/{id}/opinions", tag = "opinions", request_body = OpinionInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id")),
    responses((status = 201, description = "Sent", body = OpinionDetail), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member", body = ErrorEnvelope), (status = 404, description = "No such community, or the opinion box is off", body = ErrorEnvelope),
        (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn submit(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<OpinionInput>,
) -> Result<Response, Failure> {
    let draft = OpinionDraft {
        title: input.title,
        body: input.body,
        anonymous: input.anonymous,
    };
    let opinion = state
        .opinions
        .submit(&account, CommunityId(id), &draft)
        .await?;
    let page = state.opinions.page(&account, opinion.id).await?;
    Ok((StatusCode::CREATED, Json(detail(&page))).into_response())
}

fn detail(page: &tsunagari_app::OpinionPage) -> OpinionDetail {
    OpinionDetail {
        opinion: OpinionView::from(&page.item),
        history: page.history.iter().map(ResponseView::from).collect(),
    }
}

/// One opinion with its history (active members of its community).
#[utoipa::path(get, path = "/api/v1/opinions/{id}", tag = "opinions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Opinion id")),
    responses((status = 200, description = "The opinion", body = OpinionDetail), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member", body = ErrorEnvelope), (status = 404, description = "No such opinion, or the opinion box is off", body = ErrorEnvelope)))]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<OpinionDetail>, Failure> {
    let page = state.opinions.page(&account, OpinionId(id)).await?;
    Ok(Json(detail(&page)))
}

/// Respond to an opinion (organisers), setting its status. The author is
/// notified.
#[utoipa::path(post, path = "/api/v1/opinions/{id}/responses", tag = "opinions", request_body = ResponseInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Opinion id")),
    responses((status = 201, description = "Recorded; the opinion with its history", body = OpinionDetail), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not an organiser", body = ErrorEnvelope), (status = 404, description = "No such opinion, or the opinion box is off", body = ErrorEnvelope),
        (status = 422, description = "Invalid status, or a missing answer or reason", body = ErrorEnvelope)))]
pub async fn respond(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ResponseInput>,
) -> Result<Response, Failure> {
    let draft = ResponseDraft {
        status: input.status,
        body: input.body,
    };
    state
        .opinions
        .respond(&account, OpinionId(id), &draft)
        .await?;
    let page = state.opinions.page(&account, OpinionId(id)).await?;
    Ok((StatusCode::CREATED, Json(detail(&page))).into_response())
}
