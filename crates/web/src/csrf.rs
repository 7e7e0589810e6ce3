//! CSRF protection for every state-changing form.
//!
//! Double-submit: the context middleware gives each browser a random
//! `tsunagari_csrf` cookie, forms carry the same value in a hidden
//! `csrf_token` field, and this middleware refuses any non-API POST whose
//! field does not match the cookie. Another site can make a browser send
//! the cookie but cannot read it to fill in the field. The API is exempt
//! because it accepts only bearer tokens, never cookies.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::Method;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::context::RequestContext;
use crate::error::Failure;

/// Largest form body accepted, in bytes.
pub const MAX_FORM_BYTES: usize = 256 * 1024;

/// Name of the hidden form field.
pub const FIELD: &str = "csrf_token";

/// Checks the CSRF token of unsafe requests to HTML routes.
pub async fn verify(request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let path = request.uri().path();
    if !unsafe_method || path.starts_with("/api/") {
        return next.run(request).await;
    }
    let Some(expected) = request
        .extensions()
        .get::<RequestContext>()
        .map(|c| c.csrf_token.clone())
    else {
        return Failure::csrf().into_response();
    };
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Failure::bad_request().into_response();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return Failure::bad_request().into_response();
    };
    let presented = form_urlencoded_value(&bytes, FIELD);
    let token = tsunagari_domain::SecretToken::from_presented(&expected);
    let valid =
        matches!((token, presented), (Some(token), Some(presented)) if token.matches(&presented));
    if !valid {
        tracing::info!("form refused: CSRF token missing or wrong");
        return Failure::csrf().into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn form_urlencoded_value(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    pairs
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::form_urlencoded_value;

    #[test]
    fn finds_the_field_among_others() {
        let body = b"email=a%40b.jp&csrf_token=abc%2Bdef&x=1";
        assert_eq!(
            form_urlencoded_value(body, "csrf_token").as_deref(),
            Some("abc+def")
        );
        assert_eq!(form_urlencoded_value(b"email=a", "csrf_token"), None);
    }
}
