//! Pages for site operators: the queue of claims on directory listings,
//! with approve and decline. Everyone else gets 403, signed-out visitors
//! the login page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tsunagari_app::AppError;
use tsunagari_domain::Account;
use tsunagari_domain::organisation::ClaimId;

use super::communities::{kind_label, kind_slug};
use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::context::{RequestContext, RequireUser};
use crate::error::{Failure, FormErrors};
use crate::state::AppState;

/// A pending claim as the operator sees it.
pub struct ClaimItem {
    id: i64,
    slug: String,
    listing_name: String,
    kind_slug: String,
    kind_label: String,
    claimant: String,
    message: String,
    sent_at: String,
    reason: String,
    errors: FormErrors,
}

/// `/admin/claims`.
#[derive(Template, WebTemplate)]
#[template(path = "admin/claims.html")]
pub struct ClaimsPage {
    ctx: RequestContext,
    claims: Vec<ClaimItem>,
}

async fn claims_page(
    state: &AppState,
    ctx: RequestContext,
    operator: &Account,
) -> Result<ClaimsPage, Failure> {
    let entries = state
        .organisations
        .pending_organisation_claims(operator)
        .await?;
    let zone = reader_zone(&ctx);
    let locale = ctx.tr.locale();
    let claims = entries
        .iter()
        .map(|e| ClaimItem {
            id: e.claim.id.0,
            slug: e.listing_slug.clone(),
            listing_name: e.listing_name.get(locale).to_owned(),
            kind_slug: kind_slug(e.listing_kind),
            kind_label: kind_label(&ctx, e.listing_kind),
            claimant: ctx.t1("discovery-admin-claimant", "name", &e.claimant_name),
            message: e.claim.message.clone(),
            sent_at: ctx.t1(
                "discovery-claim-sent-at",
                "time",
                format_time(e.claim.created_at, zone, locale),
            ),
            reason: String::new(),
            errors: FormErrors::default(),
        })
        .collect();
    Ok(ClaimsPage { ctx, claims })
}

/// `GET /admin/claims`: the queue, oldest first.
pub async fn claims(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
) -> Result<ClaimsPage, Failure> {
    claims_page(&state, ctx, &user.account).await
}

/// `POST /admin/claims/{id}/approve`.
pub async fn approve(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    state
        .organisations
        .approve(&user.account, ClaimId(id))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        "/admin/claims",
        Some("discovery-admin-approved"),
        Vec::new(),
    ))
}

/// The decline form.
#[derive(Deserialize, Default)]
pub struct DeclineForm {
    #[serde(default)]
    reason: String,
}

/// `POST /admin/claims/{id}/decline`: the queue comes back with the reason
/// as typed when it is refused.
pub async fn decline(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<DeclineForm>,
) -> Result<Response, Failure> {
    match state
        .organisations
        .decline(&user.account, ClaimId(id), &form.reason)
        .await
    {
        Ok(_) => Ok(redirect_with_notice(
            &ctx,
            "/admin/claims",
            Some("discovery-admin-declined"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let mut page = claims_page(&state, ctx, &user.account).await?;
            let tr = page.ctx.tr;
            if let Some(item) = page.claims.iter_mut().find(|c| c.id == id) {
                item.reason = form.reason;
                item.errors = FormErrors::from_failure(&tr, &failure);
            }
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
