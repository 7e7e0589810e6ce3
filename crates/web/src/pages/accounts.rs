//! Signing up, logging in and out.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use serde::Deserialize;
use tsunagari_app::{AppError, SignUp, SignedIn};

use super::{HtmlForm, redirect_with_notice};
use crate::context::{RequestContext, SESSION_COOKIE, local_path, removal};
use crate::error::{Failure, FormErrors};
use crate::state::AppState;

/// The sign-up page.
#[derive(Template, WebTemplate)]
#[template(path = "signup.html")]
pub struct SignUpPage {
    ctx: RequestContext,
    email: String,
    display_name: String,
    errors: FormErrors,
}

/// The sign-up form as posted.
#[derive(Deserialize, Default)]
pub struct SignUpForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

/// `GET /signup`.
pub async fn show_signup(ctx: RequestContext) -> SignUpPage {
    SignUpPage {
        ctx,
        email: String::new(),
        display_name: String::new(),
        errors: FormErrors::default(),
    }
}

/// `POST /signup`: creates the account and signs the person in.
pub async fn signup(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    HtmlForm(form): HtmlForm<SignUpForm>,
) -> Response {
    let request = SignUp {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        password: form.password,
        locale: None,
    };
    let result = match state.accounts.sign_up(request, ctx.tr.locale()).await {
        Ok(account) => state.accounts.start_session(account, &ctx.client).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(signed_in) => {
            // A self-check taken before signing up becomes the new account's.
            match super::self_check::claim_visitor_draft(&state, &ctx, &jar, &signed_in.account)
                .await
            {
                Some((to, gone)) => {
                    session_started(&ctx, signed_in, &to, Some("sc-saved-on-signup"), vec![gone])
                }
                None => session_started(&ctx, signed_in, "/", Some("signup-welcome"), Vec::new()),
            }
        }
        Err(error @ (AppError::Invalid(_) | AppError::EmailTaken)) => {
            let failure = Failure::from(error);
            let errors = FormErrors::from_failure(&ctx.tr, &failure);
            let page = SignUpPage {
                ctx,
                email: form.email,
                display_name: form.display_name,
                errors,
            };
            (failure.status, page).into_response()
        }
        Err(other) => Failure::from(other).into_response(),
    }
}

fn session_started(
    ctx: &RequestContext,
    signed_in: SignedIn,
    to: &str,
    notice: Option<&'static str>,
    mut cookies: Vec<Cookie<'static>>,
) -> Response {
    let mut cookie = ctx.cookie(SESSION_COOKIE, signed_in.token.expose().to_owned());
    cookie.set_max_age(time::Duration::days(30));
    cookies.push(cookie);
    redirect_with_notice(ctx, to, notice, cookies)
}

/// The login page.
#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    ctx: RequestContext,
    email: String,
    next: String,
    notice: Option<String>,
    problem: Option<String>,
    errors: FormErrors,
}

/// Query of `GET /login`.
#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// `GET /login`.
pub async fn show_login(ctx: RequestContext, Query(query): Query<LoginQuery>) -> LoginPage {
    let notice = query.next.is_some().then(|| ctx.t("login-required"));
    LoginPage {
        next: local_path(query.next.as_deref()),
        ctx,
        email: String::new(),
        notice,
        problem: None,
        errors: FormErrors::default(),
    }
}

/// The login form as posted.
#[derive(Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// `POST /login`.
pub async fn login(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    HtmlForm(form): HtmlForm<LoginForm>,
) -> Response {
    let next = local_path(form.next.as_deref());
    match state
        .accounts
        .log_in(&form.email, &form.password, &ctx.client)
        .await
    {
        Ok(signed_in) => {
            // Whatever session this browser had before is replaced, never reused.
            if let Some(previous) = &ctx.user {
                let _ = state
                    .accounts
                    .end_session(&previous.account, previous.session.id)
                    .await;
            }
            match super::self_check::claim_visitor_draft(&state, &ctx, &jar, &signed_in.account)
                .await
            {
                Some((to, gone)) => {
                    session_started(&ctx, signed_in, &to, Some("sc-saved-on-login"), vec![gone])
                }
                None => session_started(&ctx, signed_in, &next, None, Vec::new()),
            }
        }
        Err(AppError::BadCredentials) => {
            let problem = ctx.t("login-bad-credentials");
            login_again(
                ctx,
                form.email,
                next,
                problem,
                StatusCode::UNAUTHORIZED,
                None,
            )
        }
        Err(AppError::Throttled { retry_after_secs }) => {
            let minutes = retry_after_secs.div_ceil(60);
            let problem = ctx.t1("login-throttled", "minutes", minutes);
            login_again(
                ctx,
                form.email,
                next,
                problem,
                StatusCode::TOO_MANY_REQUESTS,
                Some(retry_after_secs),
            )
        }
        Err(other) => Failure::from(other).into_response(),
    }
}

fn login_again(
    ctx: RequestContext,
    email: String,
    next: String,
    problem: String,
    status: StatusCode,
    retry_after: Option<u64>,
) -> Response {
    let page = LoginPage {
        ctx,
        email,
        next,
        notice: None,
        problem: Some(problem),
        errors: FormErrors::default(),
    };
    let mut response = (status, page).into_response();
    if let Some(seconds) = retry_after {
        response.headers_mut().insert(RETRY_AFTER, seconds.into());
    }
    response
}

/// `POST /logout`.
pub async fn logout(State(state): State<AppState>, ctx: RequestContext) -> Response {
    if let Some(user) = &ctx.user {
        match state
            .accounts
            .end_session(&user.account, user.session.id)
            .await
        {
            // Already ended elsewhere: logging out again is fine.
            Ok(()) | Err(AppError::NotFound) => {}
            Err(error) => return Failure::from(error).into_response(),
        }
    }
    let mut response = redirect_with_notice(&ctx, "/", Some("logout-done"), Vec::new());
    response
        .headers_mut()
        .append(SET_COOKIE, removal(SESSION_COOKIE, ctx.secure));
    response
}
