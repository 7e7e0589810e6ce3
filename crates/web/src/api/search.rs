//! `GET /api/v1/search`: full-text search over communities, events,
//! threads, replies and public schemes. Anonymous callers find public
//! content; with a token, members-only content of the caller's
//! communities too.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::http::header::ACCEPT_LANGUAGE;
use serde::Serialize;
use tsunagari_domain::Locale;
use utoipa::ToSchema;

use super::MaybeApiUser;
use crate::error::{ErrorEnvelope, Failure};
use crate::pages::search::{SearchParams, title_in};
use crate::state::AppState;

/// One result.
#[derive(Serialize, ToSchema)]
pub struct SearchResultView {
    /// `community`, `event`, `thread`, `reply` or `public_scheme`.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Its id (a number as text, or a public scheme's slug).
    pub id: String,
    /// Its title (a reply carries its thread's title; a public scheme's
    /// in the language of `Accept-Language`).
    pub title: String,
    /// HTML: the text around the matches, escaped, with `<mark>` around
    /// each match.
    pub snippet: String,
    /// Its page on this site.
    pub url: String,
    /// The community it belongs to.
    pub community_id: Option<i64>,
    /// An event's start (RFC 3339, UTC).
    pub starts_at: Option<String>,
    /// JIS code of its prefecture.
    pub prefecture: Option<String>,
}

/// One page of results.
#[derive(Serialize, ToSchema)]
pub struct SearchResults {
    /// Best first.
    pub results: Vec<SearchResultView>,
    /// How many results there are in all.
    pub total: usize,
    /// This page (10 results a page).
    pub page: u32,
    /// How many pages there are.
    pub pages: u32,
    /// When nothing was found: the same search with close words that
    /// finds something ("did you mean").
    pub suggestion: Option<String>,
}

fn locale(headers: &HeaderMap) -> Locale {
    let wanted = headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match wanted
        .split(',')
        .next()
        .map(|l| l.trim().to_ascii_lowercase())
    {
        Some(first) if first.starts_with("en") => Locale::En,
        _ => Locale::Ja,
    }
}

/// Search.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, description = "One page of results", body = SearchResults),
        (status = 401, description = "A token was sent and is not valid", body = ErrorEnvelope),
        (status = 422, description = "A filter is invalid (the fields say which)", body = ErrorEnvelope),
        (status = 503, description = "The index is being built; try again (Retry-After)", body = ErrorEnvelope)),
    security((), ("bearer" = [])))]
pub async fn search(
    State(state): State<AppState>,
    MaybeApiUser(viewer): MaybeApiUser,
    headers: HeaderMap,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchResults>, Failure> {
    let zone = viewer.as_ref().map(|a| a.time_zone).unwrap_or_default();
    let (_, page) = state
        .search
        .search_form(viewer.as_ref(), &params.form(), zone)
        .await?;
    if page.preparing {
        return Err(Failure {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "search_preparing",
            message_key: "api-error-search-preparing",
            args: Vec::new(),
            fields: Vec::new(),
            retry_after: Some(2),
        });
    }
    let locale = locale(&headers);
    Ok(Json(SearchResults {
        results: page
            .hits
            .iter()
            .map(|hit| SearchResultView {
                doc_type: hit.document.key.doc_type.as_str().to_owned(),
                id: hit.document.key.id.clone(),
                title: title_in(hit, locale),
                snippet: hit.snippet.clone(),
                url: hit.document.url.clone(),
                community_id: hit.document.community.map(|c| c.0),
                starts_at: hit.document.starts_at.map(|t| t.to_rfc3339()),
                prefecture: hit.document.prefecture.map(|p| p.code().to_owned()),
            })
            .collect(),
        total: page.total,
        page: page.page,
        pages: page.pages,
        suggestion: page.suggestion,
    }))
}
