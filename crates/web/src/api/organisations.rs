//! Organisation-directory endpoints: listings (public, no token needed)
//! and claims (a token is needed: the claim is the person's).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tsunagari_domain::organisation::Claim;
use tsunagari_store::ListingRecord;
use utoipa::{IntoParams, ToSchema};

use super::ApiJson;
use super::ApiUser;
use super::public_schemes::BilingualView;
use crate::error::{ErrorEnvelope, Failure};
use crate::state::AppState;

/// An organisation in the directory.
#[derive(Serialize, ToSchema)]
pub struct OrganisationView {
    /// Stable id, e.g. `uazensen`.
    pub slug: String,
    /// `professional`, `corporate_alumni`, `regional_alumni`, `npo`, `worker_coop` or `union`.
    pub kind: String,
    /// Name.
    pub name: BilingualView,
    /// One line on what it does.
    pub description: BilingualView,
    /// JIS X 0401 code of where it is based (for regional alumni, the
    /// region it is about); null when nationwide, abroad or unknown.
    pub prefecture: Option<String>,
    /// The official website, when known (unverified: check before relying on it).
    pub website: Option<String>,
    /// The firm, for corporate alumni.
    pub company: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// `unclaimed` (a directory entry, not run on this server) or
    /// `on_tsunagari` (claimed: see `community_id`).
    pub status: String,
    /// The community it became, once claimed.
    pub community_id: Option<i64>,
    /// Its page on this site.
    pub url: String,
}

impl From<&ListingRecord> for OrganisationView {
    fn from(record: &ListingRecord) -> OrganisationView {
        let l = &record.listing;
        OrganisationView {
            slug: l.slug.clone(),
            kind: l.kind.as_str().to_owned(),
            name: (&l.name).into(),
            description: (&l.description).into(),
            prefecture: l.prefecture.map(|p| p.code().to_owned()),
            website: l.website.clone(),
            company: l.company.clone(),
            tags: l.tags.clone(),
            status: if record.community_id.is_some() {
                "on_tsunagari"
            } else {
                "unclaimed"
            }
            .to_owned(),
            community_id: record.community_id.map(|c| c.0),
            url: format!("/organisations/{}", l.slug),
        }
    }
}

/// Organisations in the directory.
#[derive(Serialize, ToSchema)]
pub struct OrganisationList {
    /// By kind, then in the directory file's order.
    pub organisations: Vec<OrganisationView>,
    /// How many match in all.
    pub total: i64,
}

/// Filters for listing organisations; all given must hold.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationListQuery {
    /// Only this kind.
    pub kind: Option<String>,
    /// Only those based in (or about) this prefecture (JIS code).
    pub prefecture: Option<String>,
    /// Page size, 1–500 (default 100).
    pub limit: Option<i64>,
    /// Entries to skip.
    pub offset: Option<i64>,
}

/// List organisations of the directory.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", params(OrganisationListQuery),
    responses((status = 200, description = "Organisations", body = OrganisationList),
        (status = 422, description = "Unknown kind or prefecture", body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<OrganisationListQuery>,
) -> Result<Json<OrganisationList>, Failure> {
    let filter = tsunagari_app::listing_filter(
        query.kind.as_deref(),
        query.prefecture.as_deref(),
        query.limit.unwrap_or(100).clamp(1, 500),
        query.offset.unwrap_or(0).max(0),
    )?;
    let (records, total) = state.organisations.list(&filter).await?;
    Ok(Json(OrganisationList {
        organisations: records.iter().map(OrganisationView::from).collect(),
        total,
    }))
}

/// One organisation.
#[utoipa::path(get, path = "/api/v1/organisations/{slug}", tag = "organisations",
    params(("slug" = String, Path, description = "The organisation's slug")),
    responses((status = 200, description = "The organisation", body = OrganisationView),
        (status = 404, description = "No such organisation", body = ErrorEnvelope)))]
pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<OrganisationView>, Failure> {
    let record = state.organisations.get(&slug).await?;
    Ok(Json(OrganisationView::from(&record)))
}

/// A claim to send.
#[derive(Deserialize, ToSchema)]
pub struct ClaimInput {
    /// Who you are and how you relate to the organisation (1–1,000
    /// characters); only the site operator reads it.
    pub message: String,
}

/// A claim.
#[derive(Serialize, ToSchema)]
pub struct ClaimView {
    /// Id.
    pub id: i64,
    /// The organisation's slug.
    pub organisation: String,
    /// `pending`, `approved`, `declined` or `superseded`.
    pub status: String,
    /// The operator's reason, when declined.
    pub reason: Option<String>,
    /// When it was sent (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: tsunagari_domain::Timestamp,
}

impl ClaimView {
    fn new(claim: &Claim, slug: &str) -> ClaimView {
        ClaimView {
            id: claim.id.0,
            organisation: slug.to_owned(),
            status: claim.status.as_str().to_owned(),
            reason: claim.reason.clone(),
            created_at: claim.created_at,
        }
    }
}

/// Claim an organisation: the site operator approves (it becomes a
/// community you own) or declines; you are notified either way.
#[utoipa::path(post, path = "/api/v1/organisations/{slug}/claims", tag = "organisations",
    params(("slug" = String, Path, description = "The organisation's slug")),
    request_body = ClaimInput, security(("bearer" = [])),
    responses((status = 201, description = "Claim sent, waiting for the site operator", body = ClaimView),
        (status = 401, description = "No valid token", body = ErrorEnvelope),
        (status = 404, description = "No such organisation", body = ErrorEnvelope),
        (status = 409, description = "Already on tsunagari (`listing_claimed`), or your claim is waiting (`claim_pending`)", body = ErrorEnvelope),
        (status = 422, description = "Empty or too long message", body = ErrorEnvelope)))]
pub async fn claim(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<ClaimInput>,
) -> Result<Response, Failure> {
    let claim = state
        .organisations
        .claim(&account, &slug, &input.message)
        .await?;
    Ok((StatusCode::CREATED, Json(ClaimView::new(&claim, &slug))).into_response())
}
