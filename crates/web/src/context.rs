//! The per-request context: who is signed in, which language to answer in,
//! the CSRF token and a one-time "flash" message. One middleware builds it
//! once per request; handlers take it as an extractor.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{ACCEPT_LANGUAGE, SET_COOKIE, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use tsunagari_app::ClientInfo;
use tsunagari_domain::{Account, Locale, SecretToken};
use tsunagari_store::SessionRecord;

use crate::error::Failure;
use crate::i18n::Tr;
use crate::state::AppState;

/// Cookie holding the session secret.
pub const SESSION_COOKIE: &str = "tsunagari_session";
/// Cookie holding the CSRF token (double-submit: forms echo it back).
pub const CSRF_COOKIE: &str = "tsunagari_csrf";
/// Cookie remembering a signed-out visitor's language choice.
pub const LANG_COOKIE: &str = "tsunagari_lang";
/// Cookie carrying a message key across one redirect.
pub const FLASH_COOKIE: &str = "tsunagari_flash";

/// The signed-in person and their current session.
#[derive(Debug, Clone)]
pub struct SignedInUser {
    /// The account.
    pub account: Account,
    /// The session this request came with.
    pub session: SessionRecord,
}

/// Everything a page needs to know about the request it answers.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// Translator for the chosen language.
    pub tr: Tr,
    /// The signed-in person, if any.
    pub user: Option<SignedInUser>,
    /// The CSRF token forms must echo.
    pub csrf_token: String,
    /// Client address and browser.
    pub client: ClientInfo,
    /// The request path (for navigation state and "return here" links).
    pub path: String,
    /// The message key of a one-time notice, shown once.
    pub flash: Option<String>,
    /// Whether cookies must be `Secure`.
    pub secure: bool,
    /// Unread notifications of the signed-in person.
    pub unread_notifications: i64,
}

impl RequestContext {
    /// Translates `key`.
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// Translates `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl ToString) -> String {
        self.tr.t1(key, name, value)
    }

    /// Translates `key` with a count (plural-aware).
    pub fn t_count(&self, key: &str, name: &str, count: impl std::borrow::Borrow<i64>) -> String {
        self.tr.t_count(key, name, *count.borrow())
    }

    /// The page language's tag, for `<html lang>`.
    pub fn lang(&self) -> &'static str {
        self.tr.locale().tag()
    }

    /// The one-time notice, translated.
    pub fn flash_message(&self) -> Option<String> {
        self.flash.as_deref().map(|key| self.tr.t(key))
    }

    /// The signed-in person's display name.
    pub fn user_name(&self) -> Option<&str> {
        self.user.as_ref().map(|u| u.account.display_name.as_str())
    }

    /// Builds a cookie with the site's security attributes.
    pub fn cookie(&self, name: &'static str, value: String) -> Cookie<'static> {
        build_cookie(name, value, self.secure)
    }
}

fn build_cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

/// A `Set-Cookie` header value that removes a cookie.
pub fn removal(name: &'static str, secure: bool) -> HeaderValue {
    let mut cookie = build_cookie(name, String::new(), secure);
    cookie.make_removal();
    HeaderValue::from_str(&cookie.to_string()).expect("cookie text is a valid header")
}

/// A `Set-Cookie` header value.
pub fn set_cookie(cookie: &Cookie<'static>) -> HeaderValue {
    HeaderValue::from_str(&cookie.to_string()).expect("cookie text is a valid header")
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .ok_or_else(|| {
                tracing::error!("request context missing: is the context middleware installed?");
                Failure::internal()
            })
    }
}

/// A page that needs a signed-in person: signed-out visitors are sent to
/// the login page and brought back afterwards.
#[derive(Debug, Clone)]
pub struct RequireUser(pub SignedInUser);

impl<S: Send + Sync> FromRequestParts<S> for RequireUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = RequestContext::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match ctx.user {
            Some(user) => Ok(RequireUser(user)),
            None => {
                let next = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
                let target = format!("/login?next={}", url_encode(next));
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// Percent-encodes a query-string value.
pub fn url_encode(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)])
        .map(|s| s[2..].to_owned())
        .unwrap_or_default()
}

/// A path to return to after a form, accepted only when it stays on this
/// site (`/…` but not `//host…`), so links cannot bounce people elsewhere.
pub fn local_path(candidate: Option<&str>) -> String {
    match candidate {
        Some(path)
            if path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Paths that need no context: assets and machine endpoints.
fn is_bare(path: &str) -> bool {
    path.starts_with("/static/")
        || path == "/healthz"
        || path == "/metrics"
        || path == "/favicon.ico"
}

/// Builds the `RequestContext` for every request that is not bare.
pub async fn load_context(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if is_bare(&path) {
        let response = next.run(request).await;
        return crate::error::render(None, true, response);
    }
    let is_api = path.starts_with("/api/");
    let jar = CookieJar::from_headers(request.headers());
    let secure = state.config.served_over_https()
        || forwarded_https(request.headers(), state.config.trust_proxy_headers);
    let client = client_info(&request, state.config.trust_proxy_headers);

    // The API authenticates with bearer tokens only, never with cookies, so
    // a browser cannot be tricked into making API calls as its user.
    let session_cookie = (!is_api)
        .then(|| jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()))
        .flatten();
    let user = match &session_cookie {
        Some(secret) => match state.accounts.session(secret).await {
            Ok(found) => found.map(|(account, session)| SignedInUser { account, session }),
            Err(error) => {
                tracing::error!(%error, "session lookup failed");
                return crate::error::render(None, true, Failure::internal().into_response());
            }
        },
        None => None,
    };

    let locale = user
        .as_ref()
        .map(|u| u.account.locale)
        .or_else(|| jar.get(LANG_COOKIE).and_then(|c| Locale::parse(c.value())))
        .or_else(|| {
            request
                .headers()
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or_default();
    let tr = Tr::new(locale);

    let presented_csrf = jar
        .get(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| SecretToken::from_presented(v).is_some());
    let csrf_token = presented_csrf
        .clone()
        .unwrap_or_else(|| SecretToken::generate().expose().to_owned());
    let flash = jar
        .get(FLASH_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|key| tr.has(key));
    let had_flash = jar.get(FLASH_COOKIE).is_some();

    let unread_notifications = match &user {
        Some(u) => state
            .notifications
            .unread(&u.account)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "unread notification count failed");
                0
            }),
        None => 0,
    };
    let ctx = RequestContext {
        unread_notifications,
        tr,
        user: user.clone(),
        csrf_token: csrf_token.clone(),
        client,
        path,
        flash,
        secure,
    };
    request.extensions_mut().insert(ctx.clone());
    let response = next.run(request).await;
    let mut response = crate::error::render(Some(&ctx), is_api, response);

    let sets_cookie = |response: &Response, name: &str| {
        response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .any(|v| v.to_str().is_ok_and(|s| s.starts_with(&format!("{name}="))))
    };
    if !is_api && presented_csrf.is_none() {
        let cookie = build_cookie(CSRF_COOKIE, csrf_token, secure);
        response
            .headers_mut()
            .append(SET_COOKIE, set_cookie(&cookie));
    }
    if had_flash && !sets_cookie(&response, FLASH_COOKIE) {
        response
            .headers_mut()
            .append(SET_COOKIE, removal(FLASH_COOKIE, secure));
    }
    if session_cookie.is_some() && user.is_none() && !sets_cookie(&response, SESSION_COOKIE) {
        response
            .headers_mut()
            .append(SET_COOKIE, removal(SESSION_COOKIE, secure));
    }
    response
}

fn forwarded_https(headers: &HeaderMap, trusted: bool) -> bool {
    trusted
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

fn client_info(request: &Request, trust_proxy_headers: bool) -> ClientInfo {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]));
    // The proxy appends the address it saw, so the last entry is the one we
    // can trust; earlier entries are whatever the client claimed.
    let forwarded = trust_proxy_headers
        .then(|| request.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|ip| ip.trim().parse::<IpAddr>().ok());
    let user_agent = request
        .headers()
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    ClientInfo {
        ip: forwarded.unwrap_or(peer),
        user_agent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/settings")), "/settings");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn url_encode_escapes_query_characters() {
        assert_eq!(url_encode("/a?b=c&d"), "%2Fa%3Fb%3Dc%26d");
    }
}
