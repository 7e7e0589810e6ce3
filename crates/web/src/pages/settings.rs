//! The settings page: profile, password, sessions, tokens, export, deletion.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, SET_COOKIE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tsunagari_app::{AppError, DeletionConfirmation, ProfileChange};
use tsunagari_domain::{SessionId, UserTimeZone};

use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::context::{RequestContext, RequireUser, SESSION_COOKIE, SignedInUser, removal};
use crate::error::{Failure, FormErrors};
use crate::state::AppState;

/// A session as listed.
pub struct SessionView {
    id: i64,
    current: bool,
    device: String,
    started: String,
    last_seen: String,
    ip: String,
}

/// An access token as listed.
pub struct TokenView {
    id: i64,
    label: String,
    created: String,
    last_used: String,
}

/// The settings page.
#[derive(Template, WebTemplate)]
#[template(path = "settings.html")]
pub struct SettingsPage {
    ctx: RequestContext,
    email: String,
    display_name: String,
    locale: String,
    time_zone: String,
    zones: Vec<&'static str>,
    profile_errors: FormErrors,
    password_errors: FormErrors,
    sessions: Vec<SessionView>,
    tokens: Vec<TokenView>,
}

/// A short description of a browser from its User-Agent, so people can
/// recognise their devices.
fn describe_device(user_agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| name);
    let system = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} / {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => s.to_owned(),
        (None, None) if user_agent.is_empty() => "—".to_owned(),
        (None, None) => user_agent.chars().take(60).collect(),
    }
}

impl SettingsPage {
    async fn load(
        state: &AppState,
        ctx: RequestContext,
        user: &SignedInUser,
    ) -> Result<SettingsPage, Failure> {
        let zone = reader_zone(&ctx);
        let locale = ctx.tr.locale();
        let sessions = state
            .accounts
            .sessions_of(&user.account)
            .await?
            .into_iter()
            .map(|s| SessionView {
                id: s.id.0,
                current: s.id == user.session.id,
                device: describe_device(&s.user_agent),
                started: format_time(s.created_at, zone, locale),
                last_seen: format_time(s.last_seen_at, zone, locale),
                ip: s.client_ip,
            })
            .collect();
        let tokens = state
            .accounts
            .api_tokens_of(&user.account)
            .await?
            .into_iter()
            .map(|t| TokenView {
                id: t.id,
                label: if t.label.is_empty() {
                    "API".to_owned()
                } else {
                    t.label
                },
                created: format_time(t.created_at, zone, locale),
                last_used: match t.last_used_at {
                    Some(time) => ctx.t1(
                        "settings-token-last-used",
                        "time",
                        format_time(time, zone, locale),
                    ),
                    None => ctx.t("settings-token-never-used"),
                },
            })
            .collect();
        let mut zones: Vec<&'static str> = UserTimeZone::OFFERED.to_vec();
        if !zones.contains(&user.account.time_zone.name()) {
            zones.push(user.account.time_zone.name());
        }
        Ok(SettingsPage {
            ctx,
            email: user.account.email.as_str().to_owned(),
            display_name: user.account.display_name.as_str().to_owned(),
            locale: user.account.locale.tag().to_owned(),
            time_zone: user.account.time_zone.name().to_owned(),
            zones,
            profile_errors: FormErrors::default(),
            password_errors: FormErrors::default(),
            sessions,
            tokens,
        })
    }
}

/// `GET /settings`.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
) -> Result<SettingsPage, Failure> {
    SettingsPage::load(&state, ctx, &user).await
}

/// The profile form.
#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    locale: String,
    #[serde(default)]
    time_zone: String,
}

/// `POST /settings/profile`.
pub async fn save_profile(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    HtmlForm(form): HtmlForm<ProfileForm>,
) -> Result<Response, Failure> {
    let change = ProfileChange {
        display_name: form.display_name.clone(),
        locale: form.locale.clone(),
        time_zone: form.time_zone.clone(),
    };
    match state.accounts.change_profile(&user.account, change).await {
        Ok(_) => Ok(redirect_with_notice(
            &ctx,
            "/settings",
            Some("settings-profile-saved"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let mut page = SettingsPage::load(&state, ctx, &user).await?;
            page.profile_errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            page.display_name = form.display_name;
            page.locale = form.locale;
            page.time_zone = form.time_zone;
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The password form.
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirmation: String,
}

/// `POST /settings/password`: other sessions end.
pub async fn change_password(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    HtmlForm(form): HtmlForm<PasswordForm>,
) -> Result<Response, Failure> {
    let result = state
        .accounts
        .change_password(
            &user.account,
            Some(user.session.id),
            &form.current_password,
            &form.password,
            &form.password_confirmation,
        )
        .await;
    match result {
        Ok(_) => Ok(redirect_with_notice(
            &ctx,
            "/settings",
            Some("settings-password-changed"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let mut page = SettingsPage::load(&state, ctx, &user).await?;
            page.password_errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /settings/sessions/{id}/end`.
pub async fn end_session(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    state
        .accounts
        .end_session(&user.account, SessionId(id))
        .await?;
    let mut response = redirect_with_notice(
        &ctx,
        "/settings",
        Some("settings-session-ended"),
        Vec::new(),
    );
    if id == user.session.id.0 {
        response
            .headers_mut()
            .append(SET_COOKIE, removal(SESSION_COOKIE, ctx.secure));
    }
    Ok(response)
}

/// `POST /settings/tokens/{id}/revoke`.
pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    state.accounts.revoke_api_token(&user.account, id).await?;
    Ok(redirect_with_notice(
        &ctx,
        "/settings",
        Some("settings-token-revoked"),
        Vec::new(),
    ))
}

/// `GET /settings/export`: a JSON download of everything stored about me.
pub async fn export(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
) -> Result<Response, Failure> {
    let export = state.accounts.export(&user.account).await?;
    let body = serde_json::to_vec_pretty(&export).map_err(|error| {
        tracing::error!(%error, "export failed to serialise");
        Failure::internal()
    })?;
    let filename = format!(
        "tsunagari-export-{}.json",
        export.exported_at.format("%Y%m%d")
    );
    Ok((
        [
            (CONTENT_TYPE, "application/json; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// The account deletion page.
#[derive(Template, WebTemplate)]
#[template(path = "delete_account.html")]
pub struct DeleteAccountPage {
    ctx: RequestContext,
    errors: FormErrors,
}

/// `GET /settings/delete`.
pub async fn show_delete(ctx: RequestContext, RequireUser(_): RequireUser) -> DeleteAccountPage {
    DeleteAccountPage {
        ctx,
        errors: FormErrors::default(),
    }
}

/// The deletion form.
#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    current_password: String,
    confirm: Option<String>,
}

/// `POST /settings/delete`.
pub async fn delete(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    HtmlForm(form): HtmlForm<DeleteForm>,
) -> Result<Response, Failure> {
    let confirmation = DeletionConfirmation::Password {
        password: &form.current_password,
        understood: form.confirm.as_deref() == Some("yes"),
    };
    match state
        .accounts
        .delete_account(&user.account, confirmation)
        .await
    {
        Ok(()) => {
            let mut response = redirect_with_notice(&ctx, "/", Some("delete-done"), Vec::new());
            response
                .headers_mut()
                .append(SET_COOKIE, removal(SESSION_COOKIE, ctx.secure));
            Ok(response)
        }
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let errors = FormErrors::from_failure(&ctx.tr, &failure);
            Ok((failure.status, DeleteAccountPage { ctx, errors }).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::describe_device;

    #[test]
    fn devices_are_named_from_user_agents() {
        let chrome_windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
        assert_eq!(describe_device(chrome_windows), "Chrome / Windows");
        let safari_iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_device(safari_iphone), "Safari / iPhone");
        assert_eq!(describe_device(""), "—");
        assert_eq!(describe_device("curl/8.0"), "curl/8.0");
    }
}
