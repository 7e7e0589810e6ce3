//! Petition endpoints: start one, read one, sign it, withdraw a signature.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tsunagari_app::PetitionPage;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::petition::{PetitionDraft, PetitionId};
use tsunagari_domain::{UserTimeZone, time::now};
use utoipa::ToSchema;

use super::{ApiJson, ApiUser, MaybeApiUser};
use crate::error::{ErrorEnvelope, Failure};
use crate::state::AppState;

/// A milestone of a petition.
#[derive(Serialize, ToSchema)]
pub struct MilestoneView {
    /// 25, 50, 75 or 100 (% of the goal).
    pub percent: u32,
    /// Signatures it takes.
    pub threshold: u64,
    /// When it was reached (RFC 3339, UTC), or null.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub reached_at: Option<tsunagari_domain::Timestamp>,
}

/// An organiser's dated update.
#[derive(Serialize, ToSchema)]
pub struct PetitionUpdateView {
    /// Id.
    pub id: i64,
    /// The text.
    pub body: String,
    /// Whether every signer was notified.
    pub sent_to_signers: bool,
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: tsunagari_domain::Timestamp,
}

/// A petition.
#[derive(Serialize, ToSchema)]
pub struct PetitionView {
    /// Id.
    pub id: i64,
    /// The union.
    pub community_id: i64,
    /// Title.
    pub title: String,
    /// The demand (Markdown).
    pub demand: String,
    /// To whom it is addressed.
    pub target: String,
    /// Signatures aimed for.
    pub goal: u32,
    /// Signing closes (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub deadline: tsunagari_domain::Timestamp,
    /// Whether it still takes signatures.
    pub open: bool,
    /// `members` or `signed_in`.
    pub audience: String,
    /// Signatures standing now.
    pub signature_count: i64,
    /// Names of signers who chose to show them (everyone else is counted only).
    pub public_signers: Vec<String>,
    /// The automatic milestones.
    pub milestones: Vec<MilestoneView>,
    /// The organisers' updates, oldest first.
    pub updates: Vec<PetitionUpdateView>,
    /// Whether the caller signed (false without a token).
    pub signed: bool,
}

impl PetitionView {
    fn new(page: &PetitionPage) -> PetitionView {
        let p = &page.listing.petition;
        PetitionView {
            id: p.id.0,
            community_id: p.community_id.0,
            title: p.details.title.clone(),
            demand: p.details.demand.clone(),
            target: p.details.target.clone(),
            goal: p.details.goal,
            deadline: p.details.deadline,
            open: p.is_open(now()),
            audience: p.details.audience.as_str().to_owned(),
            signature_count: page.listing.signatures,
            public_signers: page.public_signers.clone(),
            milestones: page
                .milestones
                .iter()
                .map(|m| MilestoneView {
                    percent: m.percent,
                    threshold: m.threshold,
                    reached_at: m.reached_at,
                })
                .collect(),
            updates: page
                .updates
                .iter()
                .map(|u| PetitionUpdateView {
                    id: u.id,
                    body: u.body.clone(),
                    sent_to_signers: u.sent_to_signers,
                    created_at: u.created_at,
                })
                .collect(),
            signed: page.signature.is_some(),
        }
    }
}

/// A petition to start. The deadline is a local time in `time_zone`.
#[derive(Deserialize, ToSchema)]
pub struct PetitionInput {
    /// Title, 1–120 characters.
    pub title: String,
    /// The demand (Markdown), 1–10,000 characters.
    pub demand: String,
    /// To whom, 1–120 characters (e.g. an employer).
    pub target: String,
    /// Signatures aimed for, 1–1,000,000.
    pub goal: u32,
    /// Local deadline, `2026-12-20T17:00`, in the future (at most two years ahead).
    pub deadline: String,
    /// IANA zone of the deadline; default `Asia/Tokyo`.
    pub time_zone: Option<String>,
    /// `members` (default) or `signed_in` (anyone signed in may sign).
    pub audience: Option<String>,
}

/// A signature.
#[derive(Deserialize, ToSchema, Default)]
pub struct SignatureInput {
    /// Show your name on the petition (default false: only counted).
    #[serde(default)]
    pub show_name: bool,
}

/// A signature as recorded.
#[derive(Serialize, ToSchema)]
pub struct SignatureView {
    /// The petition.
    pub petition_id: i64,
    /// Whether your name is shown.
    pub show_name: bool,
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub signed_at: tsunagari_domain::Timestamp,
    /// Signatures standing now.
    pub signature_count: i64,
}

/// Start a petition (organisers).
#[utoipa::path(post, path = "/api/v1/communities/{id}/petitions", tag = "petitions", request_body = PetitionInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Union (community) id")),
    responses((status = 201, description = "Started", body = PetitionView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not an organiser", body = ErrorEnvelope), (status = 404, description = "No such community, or petitions are off", body = ErrorEnvelope),
        (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PetitionInput>,
) -> Result<Response, Failure> {
    let mut errors = tsunagari_app::FieldErrors::default();
    let time_zone = match input.time_zone.as_deref() {
        None | Some("") => Some(UserTimeZone::TOKYO),
        Some(name) => errors.check(
            tsunagari_app::Field::TimeZone,
            UserTimeZone::parse(name),
            |_| tsunagari_app::FieldProblem::UnknownTimeZone,
        ),
    };
    tsunagari_app::AppError::invalid_if_any(errors)?;
    let draft = PetitionDraft {
        title: input.title,
        demand: input.demand,
        target: input.target,
        goal: input.goal.to_string(),
        deadline: input.deadline,
        time_zone: time_zone.unwrap_or_default(),
        audience: input.audience.unwrap_or_default(),
    };
    let listing = state
        .petitions
        .create(&account, CommunityId(id), &draft)
        .await?;
    let page = state
        .petitions
        .page(Some(&account), listing.petition.id)
        .await?;
    Ok((StatusCode::CREATED, Json(PetitionView::new(&page))).into_response())
}

/// One petition: count, milestones, updates and the names signers chose to show.
#[utoipa::path(get, path = "/api/v1/petitions/{id}", tag = "petitions", params(("id" = i64, Path, description = "Petition id")),
    responses((status = 200, description = "The petition", body = PetitionView), (status = 403, description = "Members-only community", body = ErrorEnvelope),
        (status = 404, description = "No such petition, or petitions are off", body = ErrorEnvelope)))]
pub async fn show(
    State(state): State<AppState>,
    MaybeApiUser(account): MaybeApiUser,
    Path(id): Path<i64>,
) -> Result<Json<PetitionView>, Failure> {
    let page = state
        .petitions
        .page(account.as_ref(), PetitionId(id))
        .await?;
    Ok(Json(PetitionView::new(&page)))
}

/// Sign a petition, once (members, or anyone signed in when the petition allows it).
#[utoipa::path(post, path = "/api/v1/petitions/{id}/signatures", tag = "petitions", request_body(content = SignatureInput, description = "Optional: `{\"show_name\": true}`"),
    security(("bearer" = [])), params(("id" = i64, Path, description = "Petition id")),
    responses((status = 201, description = "Signed", body = SignatureView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Only members may sign", body = ErrorEnvelope), (status = 404, description = "No such petition", body = ErrorEnvelope),
        (status = 409, description = "Already signed, or the deadline has passed", body = ErrorEnvelope)))]
pub async fn sign(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Result<Response, Failure> {
    // The body is optional: an empty one signs without showing the name.
    let input: SignatureInput = if body.iter().all(u8::is_ascii_whitespace) {
        SignatureInput::default()
    } else {
        serde_json::from_slice(&body).map_err(|_| Failure::bad_json())?
    };
    let (signature, count) = state
        .petitions
        .sign(&account, PetitionId(id), input.show_name)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(SignatureView {
            petition_id: id,
            show_name: signature.show_name,
            signed_at: signature.signed_at,
            signature_count: count,
        }),
    )
        .into_response())
}

/// Withdraw your signature before the deadline.
#[utoipa::path(delete, path = "/api/v1/petitions/{id}/signatures/me", tag = "petitions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Petition id")),
    responses((status = 204, description = "Withdrawn"), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 404, description = "No such petition", body = ErrorEnvelope), (status = 409, description = "Not signed, or the deadline has passed", body = ErrorEnvelope)))]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, Failure> {
    state.petitions.withdraw(&account, PetitionId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
