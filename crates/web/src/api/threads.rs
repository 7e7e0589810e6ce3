//! Thread and reply endpoints.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tsunagari_app::{ThreadListing, ThreadOptions};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::thread::{ReplyId, ThreadDraft, ThreadId};
use utoipa::{IntoParams, ToSchema};

use super::{ApiJson, ApiUser, MaybeApiUser};
use crate::error::{ErrorEnvelope, Failure};
use crate::state::AppState;

/// A thread as listed.
#[derive(Serialize, ToSchema)]
pub struct ThreadSummaryView {
    /// Id.
    pub id: i64,
    /// The community.
    pub community_id: i64,
    /// Title (empty for a deleted or removed thread).
    pub title: String,
    /// The author's display name; `null` once their account is deleted.
    pub author_name: Option<String>,
    /// `visible`, `hidden` (organisers only), `removed` (organisers only) or
    /// `deleted` (kept while it has replies).
    pub state: String,
    /// Marked as an announcement by an organiser.
    pub is_announcement: bool,
    /// Pinned to the top.
    pub is_pinned: bool,
    /// Visible replies.
    pub reply_count: i64,
    /// When it was posted (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: tsunagari_domain::Timestamp,
    /// When it or its latest reply was posted (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub last_activity_at: tsunagari_domain::Timestamp,
}

impl ThreadSummaryView {
    fn new(listing: &ThreadListing) -> ThreadSummaryView {
        let t = &listing.record.thread;
        ThreadSummaryView {
            id: t.id.0,
            community_id: t.community_id.0,
            title: t.title.clone(),
            author_name: listing.record.author_name.clone(),
            state: t.state.as_str().to_owned(),
            is_announcement: t.is_announcement,
            is_pinned: t.is_pinned,
            reply_count: listing.record.reply_count,
            created_at: t.created_at,
            last_activity_at: t.last_activity_at,
        }
    }
}

/// A community's threads.
#[derive(Serialize, ToSchema)]
pub struct ThreadList {
    /// Pinned first, then by latest activity.
    pub threads: Vec<ThreadSummaryView>,
}

/// A reply.
#[derive(Serialize, ToSchema)]
pub struct ReplyView {
    /// Id.
    pub id: i64,
    /// The thread.
    pub thread_id: i64,
    /// The author's display name; `null` once their account is deleted.
    pub author_name: Option<String>,
    /// Markdown (empty for a deleted or removed reply).
    pub body: String,
    /// `visible`, `hidden` or `removed` (organisers only), or `deleted`.
    pub state: String,
    /// When it was posted (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: tsunagari_domain::Timestamp,
    /// When its author last edited it (UTC).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub edited_at: Option<tsunagari_domain::Timestamp>,
}

impl ReplyView {
    fn new(reply: &tsunagari_domain::thread::Reply, author_name: Option<String>) -> ReplyView {
        ReplyView {
            id: reply.id.0,
            thread_id: reply.thread_id.0,
            author_name,
            body: reply.body.clone(),
            state: reply.state.as_str().to_owned(),
            created_at: reply.created_at,
            edited_at: reply.edited_at,
        }
    }
}

/// A thread with its replies.
#[derive(Serialize, ToSchema)]
pub struct ThreadDetail {
    /// The thread.
    #[serde(flatten)]
    pub thread: ThreadSummaryView,
    /// Markdown (empty for a deleted or removed thread).
    pub body: String,
    /// When its author last edited it (UTC).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub edited_at: Option<tsunagari_domain::Timestamp>,
    /// Replies the caller may see, oldest first.
    pub replies: Vec<ReplyView>,
}

/// Paging of a thread list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThreadListQuery {
    /// Page size (1–200, default 50).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
}

/// List a community's threads (following its visibility).
#[utoipa::path(get, path = "/api/v1/communities/{id}/threads", tag = "threads", params(("id" = i64, Path, description = "Community id"), ThreadListQuery),
    responses((status = 200, description = "Threads", body = ThreadList), (status = 403, description = "Members-only community", body = ErrorEnvelope),
        (status = 404, description = "No such community", body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeApiUser(account): MaybeApiUser,
    Path(id): Path<i64>,
    Query(query): Query<ThreadListQuery>,
) -> Result<Json<ThreadList>, Failure> {
    let listings = state
        .threads
        .list(
            account.as_ref(),
            CommunityId(id),
            query.limit.unwrap_or(50),
            query.offset.unwrap_or(0),
        )
        .await?;
    Ok(Json(ThreadList {
        threads: listings.iter().map(ThreadSummaryView::new).collect(),
    }))
}

/// A thread to post.
#[derive(Deserialize, ToSchema)]
pub struct ThreadInput {
    /// Title, 1–150 characters.
    pub title: String,
    /// Markdown, 1–20,000 characters.
    pub body: String,
    /// Mark as an announcement (organisers only).
    #[serde(default)]
    pub is_announcement: bool,
    /// Pin to the top (organisers only).
    #[serde(default)]
    pub is_pinned: bool,
}

/// Post a thread (active members).
#[utoipa::path(post, path = "/api/v1/communities/{id}/threads", tag = "threads", request_body = ThreadInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id")),
    responses((status = 201, description = "Posted", body = ThreadDetail), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member, or announcement/pin by a non-organiser", body = ErrorEnvelope),
        (status = 404, description = "No such community", body = ErrorEnvelope), (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ThreadInput>,
) -> Result<Response, Failure> {
    let draft = ThreadDraft {
        title: input.title,
        body: input.body,
    };
    let options = ThreadOptions {
        announcement: input.is_announcement,
        pinned: input.is_pinned,
    };
    // `posted.notification` is where notifications will hook in.
    let posted = state
        .threads
        .create(&account, CommunityId(id), &draft, options)
        .await?;
    let detail = detail(&state, &account, posted.post.id).await?;
    Ok((StatusCode::CREATED, Json(detail)).into_response())
}

async fn detail(
    state: &AppState,
    account: &tsunagari_domain::Account,
    id: ThreadId,
) -> Result<ThreadDetail, Failure> {
    thread_detail(state, Some(account), id).await
}

async fn thread_detail(
    state: &AppState,
    account: Option<&tsunagari_domain::Account>,
    id: ThreadId,
) -> Result<ThreadDetail, Failure> {
    let page = state.threads.page(account, id).await?;
    let t = &page.thread.record.thread;
    Ok(ThreadDetail {
        thread: ThreadSummaryView::new(&page.thread),
        body: t.body.clone(),
        edited_at: t.edited_at,
        replies: page
            .replies
            .iter()
            .map(|r| ReplyView::new(&r.record.reply, r.record.author_name.clone()))
            .collect(),
    })
}

/// One thread with its replies (following the community's visibility).
#[utoipa::path(get, path = "/api/v1/threads/{id}", tag = "threads", params(("id" = i64, Path, description = "Thread id")),
    responses((status = 200, description = "The thread", body = ThreadDetail), (status = 403, description = "Members-only community", body = ErrorEnvelope),
        (status = 404, description = "No such thread", body = ErrorEnvelope)))]
pub async fn show(
    State(state): State<AppState>,
    MaybeApiUser(account): MaybeApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ThreadDetail>, Failure> {
    Ok(Json(
        thread_detail(&state, account.as_ref(), ThreadId(id)).await?,
    ))
}

/// New content of a thread; omitted fields keep their value.
#[derive(Deserialize, ToSchema)]
pub struct ThreadPatch {
    /// Title, 1–150 characters.
    pub title: Option<String>,
    /// Markdown, 1–20,000 characters.
    pub body: Option<String>,
}

/// Edit your own thread.
#[utoipa::path(patch, path = "/api/v1/threads/{id}", tag = "threads", request_body = ThreadPatch, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Thread id")),
    responses((status = 200, description = "Saved", body = ThreadDetail), (status = 403, description = "Not the author", body = ErrorEnvelope),
        (status = 404, description = "No such thread", body = ErrorEnvelope), (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ThreadPatch>,
) -> Result<Json<ThreadDetail>, Failure> {
    let current = state
        .threads
        .thread_for_edit(&account, ThreadId(id))
        .await?;
    let draft = ThreadDraft {
        title: input.title.unwrap_or(current.thread.title),
        body: input.body.unwrap_or(current.thread.body),
    };
    state
        .threads
        .edit_thread(&account, ThreadId(id), &draft)
        .await?;
    Ok(Json(detail(&state, &account, ThreadId(id)).await?))
}

/// Delete your own thread: its content is erased; replies stay readable.
#[utoipa::path(delete, path = "/api/v1/threads/{id}", tag = "threads", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Thread id")),
    responses((status = 204, description = "Deleted"), (status = 403, description = "Not the author", body = ErrorEnvelope),
        (status = 404, description = "No such thread", body = ErrorEnvelope)))]
pub async fn delete(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, Failure> {
    state.threads.delete_thread(&account, ThreadId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A reply to post, or the new body of one.
#[derive(Deserialize, ToSchema)]
pub struct ReplyInput {
    /// Markdown, 1–20,000 characters.
    pub body: String,
}

/// Reply to a thread (active members).
#[utoipa::path(post, path = "/api/v1/threads/{id}/replies", tag = "threads", request_body = ReplyInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Thread id")),
    responses((status = 201, description = "Posted", body = ReplyView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member, or the thread is closed", body = ErrorEnvelope),
        (status = 404, description = "No such thread", body = ErrorEnvelope), (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn reply(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ReplyInput>,
) -> Result<Response, Failure> {
    // `posted.notification` is where notifications will hook in.
    let posted = state
        .threads
        .reply(&account, ThreadId(id), &input.body)
        .await?;
    let view = ReplyView::new(&posted.post, Some(account.display_name.as_str().to_owned()));
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// Edit your own reply.
#[utoipa::path(patch, path = "/api/v1/replies/{id}", tag = "threads", request_body = ReplyInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reply id")),
    responses((status = 200, description = "Saved", body = ReplyView), (status = 403, description = "Not the author", body = ErrorEnvelope),
        (status = 404, description = "No such reply", body = ErrorEnvelope), (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn update_reply(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ReplyInput>,
) -> Result<Json<ReplyView>, Failure> {
    state
        .threads
        .edit_reply(&account, ReplyId(id), &input.body)
        .await?;
    let record = state.threads.reply_for_edit(&account, ReplyId(id)).await?;
    Ok(Json(ReplyView::new(&record.reply, record.author_name)))
}

/// Delete your own reply; a "deleted" stub stays in the thread.
#[utoipa::path(delete, path = "/api/v1/replies/{id}", tag = "threads", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Reply id")),
    responses((status = 204, description = "Deleted"), (status = 403, description = "Not the author", body = ErrorEnvelope),
        (status = 404, description = "No such reply", body = ErrorEnvelope)))]
pub async fn delete_reply(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, Failure> {
    state.threads.delete_reply(&account, ReplyId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
