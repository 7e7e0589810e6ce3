//! Public-help directory endpoints (公助): the catalogue of public schemes,
//! filtered and searched, and one scheme. Public: no token needed.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use tsunagari_domain::public_scheme::{Bilingual, PublicScheme};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ErrorEnvelope, Failure};
use crate::state::AppState;

/// A text in Japanese and English.
#[derive(Serialize, ToSchema)]
pub struct BilingualView {
    /// 日本語.
    pub ja: String,
    /// English.
    pub en: String,
}

impl From<&Bilingual> for BilingualView {
    fn from(text: &Bilingual) -> BilingualView {
        BilingualView {
            ja: text.ja.clone(),
            en: text.en.clone(),
        }
    }
}

/// A public scheme.
#[derive(Serialize, ToSchema)]
pub struct PublicSchemeView {
    /// Stable id, e.g. `employment-insurance-basic-allowance`.
    pub slug: String,
    /// `unemployment_benefit`, `training_benefit`, `job_seeker_support`,
    /// `vocational_training`, `job_counselling`, `career_consulting`,
    /// `scholarship` or `relocation_support`.
    pub category: String,
    /// Name.
    pub name: BilingualView,
    /// Who it is for.
    pub audience: BilingualView,
    /// What it gives.
    pub benefit: BilingualView,
    /// The official page (https).
    pub url: String,
    /// JIS X 0401 code of a local scheme's prefecture; null when national.
    pub prefecture: Option<String>,
    /// Life-career action ids of the self-check that it helps with.
    pub fits_actions: Vec<String>,
}

impl From<&PublicScheme> for PublicSchemeView {
    fn from(s: &PublicScheme) -> PublicSchemeView {
        PublicSchemeView {
            slug: s.slug.clone(),
            category: s.category.as_str().to_owned(),
            name: (&s.name).into(),
            audience: (&s.audience).into(),
            benefit: (&s.benefit).into(),
            url: s.url.clone(),
            prefecture: s.prefecture.map(|p| p.code().to_owned()),
            fits_actions: s.fits_actions.clone(),
        }
    }
}

/// Public schemes.
#[derive(Serialize, ToSchema)]
pub struct PublicSchemeList {
    /// By category, national before local, in catalogue order. The whole
    /// catalogue is small, so there are no pages.
    pub schemes: Vec<PublicSchemeView>,
}

/// Filters for listing public schemes; all given must hold.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SchemeListQuery {
    /// Only this category.
    pub category: Option<String>,
    /// Only schemes available in this prefecture (JIS code): national ones
    /// and that prefecture's own.
    pub prefecture: Option<String>,
    /// Words that must all appear in the name, audience or benefit, in
    /// Japanese or English (case-insensitive).
    pub q: Option<String>,
    /// Comma-separated life-career action ids (e.g.
    /// `job_change,qualification`): schemes that help with any of them.
    pub action: Option<String>,
}

/// List public schemes.
#[utoipa::path(get, path = "/api/v1/public-schemes", tag = "public-help", params(SchemeListQuery),
    responses((status = 200, description = "Public schemes", body = PublicSchemeList),
        (status = 422, description = "Unknown category, prefecture or action", body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<SchemeListQuery>,
) -> Result<Json<PublicSchemeList>, Failure> {
    let actions: Vec<String> = query
        .action
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::to_owned)
        .collect();
    let filter = tsunagari_app::scheme_filter(
        query.category.as_deref(),
        query.prefecture.as_deref(),
        query.q.as_deref(),
        &actions,
    )?;
    let schemes = state.public_schemes.list(&filter).await?;
    Ok(Json(PublicSchemeList {
        schemes: schemes.iter().map(PublicSchemeView::from).collect(),
    }))
}

/// One public scheme.
#[utoipa::path(get, path = "/api/v1/public-schemes/{slug}", tag = "public-help",
    params(("slug" = String, Path, description = "The scheme's slug")),
    responses((status = 200, description = "The scheme", body = PublicSchemeView),
        (status = 404, description = "No such scheme", body = ErrorEnvelope)))]
pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<PublicSchemeView>, Failure> {
    let scheme = state.public_schemes.get(&slug).await?;
    Ok(Json(PublicSchemeView::from(&scheme)))
}
