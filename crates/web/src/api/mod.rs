//! The JSON API under `/api/v1`, described by the OpenAPI document at
//! `/api/openapi.json`. Authentication is by personal access token
//! (`Authorization: Bearer tsu_…`) only; cookies are ignored here.

pub mod accounts;
pub mod ballots;
pub mod communities;
pub mod counselling;
pub mod events;
pub mod fund;
pub mod notifications;
pub mod openapi;
pub mod opinions;
pub mod organisations;
pub mod petitions;
pub mod public_schemes;
pub mod search;
pub mod self_check;
pub mod shares;
pub mod threads;
pub mod tools;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::routing::{delete, get, patch, post, put};
use tsunagari_domain::Account;

use crate::error::Failure;
use crate::state::AppState;

/// The API routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/v1/accounts", post(accounts::create))
        .route("/api/v1/tokens", post(accounts::create_token))
        .route("/api/v1/me", get(accounts::me).delete(accounts::delete_me))
        .route("/api/v1/me/export", get(accounts::export))
        .route(
            "/api/v1/communities",
            get(communities::list).post(communities::create),
        )
        .route(
            "/api/v1/communities/{id}",
            get(communities::show).patch(communities::update),
        )
        .route("/api/v1/communities/{id}/members", post(communities::join))
        .route(
            "/api/v1/communities/{id}/members/me",
            delete(communities::leave),
        )
        .route("/api/v1/notifications", get(notifications::list))
        .route(
            "/api/v1/communities/{id}/threads",
            get(threads::list).post(threads::create),
        )
        .route(
            "/api/v1/threads/{id}",
            get(threads::show)
                .patch(threads::update)
                .delete(threads::delete),
        )
        .route("/api/v1/threads/{id}/replies", post(threads::reply))
        .route(
            "/api/v1/replies/{id}",
            patch(threads::update_reply).delete(threads::delete_reply),
        )
        .route(
            "/api/v1/communities/{id}/events",
            get(events::list).post(events::create),
        )
        .route("/api/v1/events/{id}", get(events::show))
        .route(
            "/api/v1/events/{id}/rsvp",
            post(events::rsvp).delete(events::cancel),
        )
        .route("/api/v1/events/{id}/ics", get(events::ics))
        .route("/api/v1/events/{id}/capacity", put(events::set_capacity))
        .route(
            "/api/v1/events/{id}/attendance/{user_id}",
            put(events::attendance),
        )
        .route("/api/v1/me/events", get(events::mine))
        .route(
            "/api/v1/self-check/questionnaire",
            get(self_check::questionnaire),
        )
        .route(
            "/api/v1/self-check/results",
            get(self_check::list).post(self_check::submit),
        )
        .route(
            "/api/v1/self-check/results/{id}",
            get(self_check::show).delete(self_check::delete),
        )
        .route("/api/v1/public-schemes", get(public_schemes::list))
        .route("/api/v1/public-schemes/{slug}", get(public_schemes::show))
        .route("/api/v1/communities/{id}/tools/{tool}", put(tools::switch))
        .route("/api/v1/communities/{id}/shares", get(shares::register))
        .route(
            "/api/v1/communities/{id}/shares/entries",
            get(shares::entries).post(shares::record),
        )
        .route(
            "/api/v1/communities/{id}/shares/price",
            put(shares::set_price),
        )
        .route(
            "/api/v1/communities/{id}/opinions",
            get(opinions::list).post(opinions::submit),
        )
        .route("/api/v1/opinions/{id}", get(opinions::show))
        .route("/api/v1/opinions/{id}/responses", post(opinions::respond))
        .merge(ballots::routes())
        .route(
            "/api/v1/communities/{id}/counselling-requests",
            post(counselling::create),
        )
        .route("/api/v1/counselling-requests", get(counselling::list))
        .route("/api/v1/counselling-requests/{id}", get(counselling::show))
        .route(
            "/api/v1/counselling-requests/{id}/messages",
            post(counselling::write),
        )
        .route(
            "/api/v1/counselling-requests/{id}/counsellor",
            put(counselling::assign),
        )
        .route(
            "/api/v1/counselling-requests/{id}/closure",
            post(counselling::close),
        )
        .route(
            "/api/v1/communities/{id}/counselling/figures",
            get(counselling::figures),
        )
        .route(
            "/api/v1/communities/{id}/petitions",
            post(petitions::create),
        )
        .route("/api/v1/petitions/{id}", get(petitions::show))
        .route("/api/v1/petitions/{id}/signatures", post(petitions::sign))
        .route(
            "/api/v1/petitions/{id}/signatures/me",
            delete(petitions::withdraw),
        )
        .route("/api/v1/communities/{id}/fund", get(fund::show))
        .route("/api/v1/communities/{id}/fund/payouts", get(fund::payouts))
        .route(
            "/api/v1/communities/{id}/fund/contributions",
            post(fund::contribute),
        )
        .route("/api/v1/communities/{id}/fund/claims", post(fund::claim))
        .route(
            "/api/v1/communities/{id}/fund/settings",
            put(fund::settings),
        )
        .route("/api/v1/fund/claims/{id}", get(fund::show_claim))
        .route("/api/v1/fund/claims/{id}/decisions", post(fund::decide))
        .route("/api/v1/fund/claims/{id}/withdrawal", post(fund::withdraw))
        .route("/api/v1/organisations", get(organisations::list))
        .route("/api/v1/organisations/{slug}", get(organisations::show))
        .route(
            "/api/v1/organisations/{slug}/claims",
            post(organisations::claim),
        )
        .route("/api/v1/search", get(search::search))
}

/// A JSON body whose rejection is our error envelope.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(Failure))]
pub struct ApiJson<T>(pub T);

/// The account of a bearer token when one is sent (401 when it is invalid),
/// `None` for anonymous requests.
pub struct MaybeApiUser(pub Option<Account>);

impl FromRequestParts<AppState> for MaybeApiUser {
    type Rejection = Failure;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(AUTHORIZATION) {
            ApiUser::from_request_parts(parts, state)
                .await
                .map(|ApiUser(a)| MaybeApiUser(Some(a)))
        } else {
            Ok(MaybeApiUser(None))
        }
    }
}

/// The account a valid bearer token belongs to; 401 otherwise.
pub struct ApiUser(pub Account);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = Failure;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .ok_or_else(Failure::unauthorized)?;
        match state.accounts.account_for_api_token(bearer).await? {
            Some(account) => Ok(ApiUser(account)),
            None => Err(Failure::unauthorized()),
        }
    }
}
