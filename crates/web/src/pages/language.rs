//! The language switcher.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tsunagari_domain::Locale;

use super::{HtmlForm, redirect_with_notice};
use crate::context::{LANG_COOKIE, RequestContext, local_path};
use crate::error::Failure;
use crate::state::AppState;

/// The switcher's form.
#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    locale: String,
    return_to: Option<String>,
}

/// `POST /language`: remembers the choice in a cookie, and on the account
/// when someone is signed in, then returns to the page it came from.
pub async fn switch(
    State(state): State<AppState>,
    ctx: RequestContext,
    HtmlForm(form): HtmlForm<LanguageForm>,
) -> Result<Response, Failure> {
    let locale = Locale::parse(&form.locale).ok_or_else(Failure::bad_request)?;
    if let Some(user) = &ctx.user {
        state.accounts.change_locale(&user.account, locale).await?;
    }
    let mut cookie = ctx.cookie(LANG_COOKIE, locale.tag().to_owned());
    cookie.set_max_age(time::Duration::days(365));
    Ok(redirect_with_notice(
        &ctx,
        &local_path(form.return_to.as_deref()),
        None,
        vec![cookie],
    ))
}
