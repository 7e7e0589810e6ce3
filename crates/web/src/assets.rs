//! Static assets, compiled into the binary so one file is the whole server.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

const STYLE: &str = include_str!("../static/style.css");
const FAVICON: &str = include_str!("../static/favicon.svg");
const SELF_CHECK_SCRIPT: &str = include_str!("../static/self-check.js");

/// `GET /static/style.css`.
pub async fn style() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
}

/// `GET /static/self-check.js`: the live total of allocation questions.
pub async fn self_check_script() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        SELF_CHECK_SCRIPT,
    )
}

/// `GET /static/favicon.svg`.
pub async fn favicon() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "image/svg+xml"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
}

/// A simple icon for each kind of community, drawn in its colour.
fn kind_icon(slug: &str) -> Option<String> {
    let (colour, shape) = match slug {
        // Two overlapping speech bubbles: learning together.
        "professional" => (
            "#1d4e89",
            r#"<path d="M4 6h14v9H9l-4 3v-3H4z"/><path d="M20 10h4v9h-1v3l-4-3h-7v-2"/>"#,
        ),
        // A building with a returning arrow: former colleagues.
        "corporate-alumni" => (
            "#6b4fa0",
            r#"<path d="M5 26V6h12v20M17 12h8v14"/><path d="M9 10h4M9 15h4M9 20h4"/>"#,
        ),
        // A map pin: a home region.
        "regional-alumni" => (
            "#2f7d4f",
            r#"<path d="M16 28s-8-8.5-8-14a8 8 0 0 1 16 0c0 5.5-8 14-8 14z"/><circle cx="16" cy="14" r="3"/>"#,
        ),
        // A heart held by a hand: social purpose.
        "npo" => (
            "#b03a0b",
            r#"<path d="M16 24s-9-5.5-9-11a5 5 0 0 1 9-3 5 5 0 0 1 9 3c0 5.5-9 11-9 11z"/>"#,
        ),
        // Three people in a circle: owned together.
        "worker-coop" => (
            "#8a6d00",
            r#"<circle cx="16" cy="9" r="3"/><circle cx="8" cy="20" r="3"/><circle cx="24" cy="20" r="3"/><path d="M13 11l-3 6M19 11l3 6M11 21h10"/>"#,
        ),
        // A raised fist simplified to a shield: protection and solidarity.
        "union" => (
            "#a4243b",
            r#"<path d="M16 4l10 4v7c0 6-4.5 10.5-10 13-5.5-2.5-10-7-10-13V8z"/><path d="M11 16l4 4 6-7"/>"#,
        ),
        _ => return None,
    };
    Some(format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" fill="none" stroke="{colour}" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round">{shape}</svg>"#
    ))
}

/// `GET /static/kinds/{slug}.svg`.
pub async fn kind(
    axum::extract::Path(file): axum::extract::Path<String>,
) -> axum::response::Response {
    let slug = file.strip_suffix(".svg").unwrap_or_default();
    match kind_icon(slug) {
        Some(svg) => (
            [
                (CONTENT_TYPE, "image/svg+xml"),
                (CACHE_CONTROL, "public, max-age=86400"),
            ],
            svg,
        )
            .into_response(),
        None => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_kind_has_an_icon() {
        for kind in tsunagari_domain::community::CommunityKind::ALL {
            let slug = kind.as_str().replace('_', "-");
            assert!(
                super::kind_icon(&slug).is_some_and(|svg| svg.starts_with("<svg")),
                "{slug}"
            );
        }
        assert!(super::kind_icon("club").is_none());
    }
}

#[cfg(test)]
mod stylesheet_tests {
    use super::STYLE;

    /// An unclosed block silently nests every later rule inside it (a
    /// merge once put a whole page's styles inside a phone-only query).
    #[test]
    fn every_block_of_the_stylesheet_is_closed_where_it_should_be() {
        let mut depth = 0i32;
        for (number, line) in STYLE.lines().enumerate() {
            depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
            assert!(depth >= 0, "line {}: a brace closes nothing", number + 1);
            if line.starts_with("/* ") && line.ends_with(" */") && !line.contains('{') {
                assert_eq!(
                    depth,
                    0,
                    "line {}: a section comment inside a block",
                    number + 1
                );
            }
        }
        assert_eq!(depth, 0, "the stylesheet ends inside a block");
    }
}
