//! Account endpoints.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tsunagari_app::{AccountExport, DeletionConfirmation, SignUp};
use tsunagari_domain::{Account, Timestamp};
use utoipa::ToSchema;

use super::{ApiJson, ApiUser};
use crate::context::RequestContext;
use crate::error::{ErrorEnvelope, Failure};
use crate::state::AppState;

/// Sign-up request.
#[derive(Deserialize, ToSchema)]
pub struct CreateAccount {
    /// E-mail address (lower-cased when stored).
    #[schema(example = "aoi@example.jp")]
    pub email: String,
    /// Public name, 1–50 characters.
    #[schema(example = "佐藤 葵")]
    pub display_name: String,
    /// 12–128 characters, not a common password.
    #[schema(example = "kawa-no-nagare-2026")]
    pub password: String,
    /// `ja` (default) or `en`.
    #[schema(example = "ja")]
    pub locale: Option<String>,
}

/// An account as the API shows it to its owner.
#[derive(Serialize, ToSchema)]
pub struct AccountView {
    /// Id.
    pub id: i64,
    /// E-mail address.
    pub email: String,
    /// Public name.
    pub display_name: String,
    /// `ja` or `en`.
    pub locale: String,
    /// IANA time zone, `Asia/Tokyo` by default.
    pub time_zone: String,
    /// Creation time (UTC, RFC 3339).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<&Account> for AccountView {
    fn from(account: &Account) -> Self {
        AccountView {
            id: account.id.0,
            email: account.email.as_str().to_owned(),
            display_name: account.display_name.as_str().to_owned(),
            locale: account.locale.tag().to_owned(),
            time_zone: account.time_zone.name().to_owned(),
            created_at: account.created_at,
        }
    }
}

/// Create an account.
#[utoipa::path(
    post, path = "/api/v1/accounts", tag = "accounts",
    request_body = CreateAccount,
    responses(
        (status = 201, description = "Account created", body = AccountView),
        (status = 409, description = "E-mail address already registered", body = ErrorEnvelope),
        (status = 422, description = "Invalid fields; `error.fields` says which", body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiJson(body): ApiJson<CreateAccount>,
) -> Result<Response, Failure> {
    let request = SignUp {
        email: body.email,
        display_name: body.display_name,
        password: body.password,
        locale: body.locale,
    };
    let account = state.accounts.sign_up(request, ctx.tr.locale()).await?;
    Ok((StatusCode::CREATED, Json(AccountView::from(&account))).into_response())
}

/// Token request.
#[derive(Deserialize, ToSchema)]
pub struct CreateToken {
    /// E-mail address.
    pub email: String,
    /// Password.
    pub password: String,
    /// What the token is for, shown on the settings page.
    pub label: Option<String>,
}

/// A new personal access token. It is shown only once.
#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    /// Send as `Authorization: Bearer <token>`.
    #[schema(example = "tsu_3Jk…")]
    pub token: String,
}

/// Issue a personal access token.
///
/// Failed attempts count towards the login back-off (per client address and
/// per account): after 10 failures further attempts get 429 with
/// `Retry-After`.
#[utoipa::path(
    post, path = "/api/v1/tokens", tag = "accounts",
    request_body = CreateToken,
    responses(
        (status = 201, description = "Token issued", body = TokenCreated),
        (status = 401, description = "Wrong e-mail or password", body = ErrorEnvelope),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = ErrorEnvelope,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn create_token(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiJson(body): ApiJson<CreateToken>,
) -> Result<Response, Failure> {
    let label = body.label.unwrap_or_default();
    let (_, token) = state
        .accounts
        .issue_api_token(&body.email, &body.password, &label, &ctx.client)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenCreated {
            token: token.expose(),
        }),
    )
        .into_response())
}

/// The token's account.
#[utoipa::path(
    get, path = "/api/v1/me", tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = AccountView),
        (status = 401, description = "Missing or invalid token", body = ErrorEnvelope),
    )
)]
pub async fn me(ApiUser(account): ApiUser) -> Json<AccountView> {
    Json(AccountView::from(&account))
}

/// Everything stored about the token's account.
#[utoipa::path(
    get, path = "/api/v1/me/export", tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The export (format `tsunagari-account-export/1`)", content_type = "application/json"),
        (status = 401, description = "Missing or invalid token", body = ErrorEnvelope),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
) -> Result<Json<AccountExport>, Failure> {
    Ok(Json(state.accounts.export(&account).await?))
}

/// Delete the token's account and everything stored only about it. The
/// token stops working.
#[utoipa::path(
    delete, path = "/api/v1/me", tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid token", body = ErrorEnvelope),
    )
)]
pub async fn delete_me(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
) -> Result<StatusCode, Failure> {
    state
        .accounts
        .delete_account(&account, DeletionConfirmation::ApiToken)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
