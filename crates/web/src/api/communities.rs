//! Community endpoints.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tsunagari_domain::community::{
    Community, CommunityDraft, CommunityId, CommunityKind, JoinOutcome,
};
use tsunagari_domain::region::Prefecture;
use tsunagari_store::CommunityFilter;
use utoipa::{IntoParams, ToSchema};

use super::{ApiJson, ApiUser, MaybeApiUser};
use crate::error::{ErrorEnvelope, Failure};
use crate::state::AppState;

/// A community.
#[derive(Serialize, ToSchema)]
pub struct CommunityView {
    /// Id.
    pub id: i64,
    /// `professional`, `corporate_alumni`, `regional_alumni`, `npo`, `worker_coop` or `union`.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Markdown.
    pub description: String,
    /// Occupation, industry and theme tags.
    pub tags: Vec<String>,
    /// JIS X 0401 prefecture code such as `"15"`.
    pub prefecture: Option<String>,
    /// JIS X 0402 municipality code (5 digits).
    pub municipality: Option<String>,
    /// `open` or `approval`.
    pub membership: String,
    /// `public`, or `members` for members-only content.
    pub visibility: String,
    /// Asked of people requesting to join.
    pub join_question: Option<String>,
    /// The firm, for corporate alumni.
    pub company_name: Option<String>,
    /// The community this is a branch or club of.
    pub parent_id: Option<i64>,
    /// Active members.
    pub member_count: i64,
    /// Tools switched on: `ballots`, `opinions`, `shares`, `counselling`, `petitions`, `fund`.
    pub tools: Vec<String>,
    /// Creation time (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: tsunagari_domain::Timestamp,
}

impl CommunityView {
    fn new(c: &Community, member_count: i64) -> CommunityView {
        CommunityView {
            id: c.id.0,
            kind: c.kind.as_str().to_owned(),
            name: c.profile.name.clone(),
            description: c.profile.description.clone(),
            tags: c.profile.tags.clone(),
            prefecture: c.profile.prefecture.map(|p| p.code().to_owned()),
            municipality: c
                .profile
                .municipality
                .as_ref()
                .map(|m| m.as_str().to_owned()),
            membership: c.profile.membership.as_str().to_owned(),
            visibility: c.profile.visibility.as_str().to_owned(),
            join_question: c.profile.join_question.clone(),
            company_name: c.profile.company_name.clone(),
            parent_id: c.parent_id.map(|p| p.0),
            member_count,
            tools: c
                .enabled_tools()
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect(),
            created_at: c.created_at,
        }
    }
}

/// A list of communities.
#[derive(Serialize, ToSchema)]
pub struct CommunityList {
    /// The page of communities, largest first.
    pub communities: Vec<CommunityView>,
}

/// Filters for listing communities.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this kind.
    pub kind: Option<String>,
    /// Only this prefecture (JIS code).
    pub prefecture: Option<String>,
    /// Only communities with this tag.
    pub tag: Option<String>,
    /// Only sub-groups of this community.
    pub parent: Option<i64>,
    /// Page size (1–200, default 50).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
}

/// List communities.
#[utoipa::path(get, path = "/api/v1/communities", tag = "communities", params(ListQuery),
    responses((status = 200, description = "Communities", body = CommunityList), (status = 422, description = "Unknown kind or prefecture", body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Json<CommunityList>, Failure> {
    let kind = match query.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(name) => Some(CommunityKind::parse(name).ok_or_else(|| invalid_filter("kind"))?),
        None => None,
    };
    let prefecture = match query.prefecture.as_deref().filter(|p| !p.is_empty()) {
        Some(code) => Some(Prefecture::parse(code).ok_or_else(|| invalid_filter("prefecture"))?),
        None => None,
    };
    let filter = CommunityFilter {
        kind,
        prefecture,
        tag: query.tag.filter(|t| !t.trim().is_empty()),
        parent: query.parent.map(CommunityId),
        top_level_only: false,
        limit: query.limit.unwrap_or(50),
        offset: query.offset.unwrap_or(0),
    };
    let listings = state.communities.list(&filter).await?;
    Ok(Json(CommunityList {
        communities: listings
            .iter()
            .map(|l| CommunityView::new(&l.community, l.member_count))
            .collect(),
    }))
}

fn invalid_filter(field: &'static str) -> Failure {
    let key = if field == "kind" {
        "error-community-kind"
    } else {
        "error-community-prefecture"
    };
    let mut failure = Failure::from(tsunagari_app::AppError::Invalid(Default::default()));
    failure.fields.push((field, key));
    failure
}

/// A community to create, or the new settings of one.
#[derive(Deserialize, ToSchema)]
pub struct CommunityInput {
    /// Required on creation; ignored on update (the kind never changes).
    pub kind: Option<String>,
    /// Name, 1–80 characters.
    pub name: String,
    /// Markdown.
    #[serde(default)]
    pub description: String,
    /// Up to 10 tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// JIS prefecture code; required for regional alumni.
    pub prefecture: Option<String>,
    /// Municipality code in that prefecture.
    pub municipality: Option<String>,
    /// `public` (default) or `members`.
    pub visibility: Option<String>,
    /// `open` (default) or `approval`.
    pub membership: Option<String>,
    /// Question for join requests.
    pub join_question: Option<String>,
    /// Required for corporate alumni.
    pub company_name: Option<String>,
    /// Make it a branch or club of this community (creation only).
    pub parent_id: Option<i64>,
}

impl CommunityInput {
    fn draft(&self) -> CommunityDraft {
        CommunityDraft {
            name: self.name.clone(),
            description: self.description.clone(),
            tags: self.tags.join(","),
            prefecture: self.prefecture.clone().unwrap_or_default(),
            municipality: self.municipality.clone().unwrap_or_default(),
            visibility: self.visibility.clone().unwrap_or_else(|| "public".into()),
            membership: self.membership.clone().unwrap_or_else(|| "open".into()),
            join_question: self.join_question.clone().unwrap_or_default(),
            company_name: self.company_name.clone().unwrap_or_default(),
        }
    }
}

/// Create a community; the caller becomes its owner.
#[utoipa::path(post, path = "/api/v1/communities", tag = "communities", request_body = CommunityInput, security(("bearer" = [])),
    responses((status = 201, description = "Created", body = CommunityView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member of the parent", body = ErrorEnvelope), (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    ApiJson(input): ApiJson<CommunityInput>,
) -> Result<Response, Failure> {
    let kind = input.kind.clone().unwrap_or_default();
    let community = state
        .communities
        .create(
            &account,
            &kind,
            &input.draft(),
            input.parent_id.map(CommunityId),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(CommunityView::new(&community, 1))).into_response())
}

/// One community.
#[utoipa::path(get, path = "/api/v1/communities/{id}", tag = "communities", params(("id" = i64, Path, description = "Community id")),
    responses((status = 200, description = "The community", body = CommunityView), (status = 404, description = "No such community", body = ErrorEnvelope)))]
pub async fn show(
    State(state): State<AppState>,
    MaybeApiUser(account): MaybeApiUser,
    Path(id): Path<i64>,
) -> Result<Json<CommunityView>, Failure> {
    let page = state
        .communities
        .page(account.as_ref(), CommunityId(id))
        .await?;
    Ok(Json(CommunityView::new(&page.community, page.member_count)))
}

/// Change a community's settings (organisers).
#[utoipa::path(patch, path = "/api/v1/communities/{id}", tag = "communities", request_body = CommunityInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id")),
    responses((status = 200, description = "Saved", body = CommunityView), (status = 403, description = "Not an organiser", body = ErrorEnvelope),
        (status = 404, description = "No such community", body = ErrorEnvelope), (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CommunityInput>,
) -> Result<Json<CommunityView>, Failure> {
    let community = state
        .communities
        .update(&account, CommunityId(id), &input.draft())
        .await?;
    let page = state.communities.page(Some(&account), community.id).await?;
    Ok(Json(CommunityView::new(&page.community, page.member_count)))
}

/// A join request.
#[derive(Deserialize, ToSchema, Default)]
pub struct JoinInput {
    /// Answer to the community's join question.
    pub answer: Option<String>,
}

/// The outcome of joining.
#[derive(Serialize, ToSchema)]
pub struct JoinResult {
    /// `active` (joined) or `pending` (awaiting approval).
    pub status: String,
}

/// Join an open community, or ask to join an approval one.
#[utoipa::path(post, path = "/api/v1/communities/{id}/members", tag = "communities", request_body(content = JoinInput, description = "Optional"), security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id")),
    responses((status = 201, description = "Joined or requested", body = JoinResult), (status = 403, description = "Banned or not a member of the parent", body = ErrorEnvelope),
        (status = 404, description = "No such community", body = ErrorEnvelope), (status = 409, description = "Already a member or pending", body = ErrorEnvelope)))]
pub async fn join(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    // The body is optional: only approval communities with a question need one.
    let answer = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<JoinInput>(&body)
            .map_err(|_| Failure::bad_json())?
            .answer
    };
    let outcome = state
        .communities
        .join(&account, CommunityId(id), answer.as_deref())
        .await?;
    let status = match outcome {
        JoinOutcome::Joined => "active",
        JoinOutcome::Requested => "pending",
    };
    Ok((
        StatusCode::CREATED,
        Json(JoinResult {
            status: status.to_owned(),
        }),
    )
        .into_response())
}

/// Leave a community (and its sub-groups), or withdraw a request.
#[utoipa::path(delete, path = "/api/v1/communities/{id}/members/me", tag = "communities", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id")),
    responses((status = 204, description = "Left"), (status = 403, description = "Not a member, or the owner", body = ErrorEnvelope), (status = 404, description = "No such community", body = ErrorEnvelope)))]
pub async fn leave(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, Failure> {
    state.communities.leave(&account, CommunityId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
