//! HTML pages. Each module is one area of the site; handlers parse the
//! form, call a use case and render a template, nothing more.

pub mod accounts;
pub mod admin;
pub mod ballots;
pub mod communities;
pub mod counselling;
pub mod directory;
pub mod events;
pub mod feeds;
pub mod fund;
pub mod home;
pub mod language;
pub mod notifications;
pub mod opinions;
pub mod organisations;
pub mod petitions;
pub mod public_help;
pub mod search;
pub mod self_check;
pub mod settings;
pub mod shares;
pub mod threads;
pub mod tools;

use std::sync::LazyLock;

use axum::extract::FromRequest;
use axum::extract::rejection::FormRejection;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::Cookie;
use chrono::format::{Item, StrftimeItems};
use tsunagari_domain::{Locale, Timestamp, UserTimeZone};

use crate::context::{FLASH_COOKIE, RequestContext, set_cookie};
use crate::error::Failure;

/// A url-encoded form body whose rejection renders as our error page.
#[derive(FromRequest)]
#[from_request(via(axum::Form), rejection(Failure))]
pub struct HtmlForm<T>(pub T);

impl From<FormRejection> for Failure {
    fn from(rejection: FormRejection) -> Failure {
        tracing::info!(%rejection, "form could not be read");
        Failure::bad_request()
    }
}

/// One entry of the main navigation.
pub struct NavItem {
    /// Target.
    pub href: &'static str,
    /// Translated label.
    pub label: String,
    /// Whether it is the page being shown.
    pub current: bool,
}

/// The main navigation. Capabilities add their entry here (communities,
/// events, self-check…), in the order people use them.
pub fn nav_items(ctx: &RequestContext) -> Vec<NavItem> {
    [
        ("/", "nav-home"),
        ("/self-check", "nav-self-check"),
        ("/communities", "nav-communities"),
        ("/events", "nav-events"),
        ("/public-help", "nav-public-help"),
        ("/organisations", "discovery-nav"),
    ]
    .into_iter()
    .map(|(href, key)| NavItem {
        href,
        label: ctx.t(key),
        // "My events" is the person's list; an event's own page is not it.
        current: if href == "/" || href == "/events" {
            ctx.path == href
        } else {
            ctx.path.starts_with(href)
        },
    })
    .collect()
}

/// The languages offered by the switcher: tag and native name.
pub fn language_choices() -> Vec<(&'static str, &'static str)> {
    Locale::ALL
        .iter()
        .map(|l| (l.tag(), l.native_name()))
        .collect()
}

/// A date and time in the reader's zone and language, with the zone's
/// abbreviation so nobody has to guess.
pub fn format_time(time: Timestamp, zone: UserTimeZone, locale: Locale) -> String {
    // Lists format dozens of times per page: parse each pattern once.
    static JA: LazyLock<Vec<Item<'static>>> =
        LazyLock::new(|| time_items("%Y年%-m月%-d日 %H:%M (%Z)"));
    static EN: LazyLock<Vec<Item<'static>>> = LazyLock::new(|| time_items("%-d %b %Y, %H:%M %Z"));
    let items = match locale {
        Locale::Ja => &JA,
        Locale::En => &EN,
    };
    time.with_timezone(&zone.tz())
        .format_with_items(items.iter())
        .to_string()
}

fn time_items(pattern: &'static str) -> Vec<Item<'static>> {
    StrftimeItems::new(pattern)
        .parse()
        .expect("the time patterns are valid")
}

/// The reader's time zone: their own setting, or Tokyo.
pub fn reader_zone(ctx: &RequestContext) -> UserTimeZone {
    ctx.user
        .as_ref()
        .map(|u| u.account.time_zone)
        .unwrap_or_default()
}

/// A 303 redirect that shows a one-time notice on the next page and sets
/// any further cookies.
pub fn redirect_with_notice(
    ctx: &RequestContext,
    to: &str,
    notice: Option<&'static str>,
    cookies: Vec<Cookie<'static>>,
) -> Response {
    let mut response = Redirect::to(to).into_response();
    let flash = notice.map(|key| {
        let mut flash = ctx.cookie(FLASH_COOKIE, key.to_owned());
        flash.set_max_age(time::Duration::seconds(60));
        flash
    });
    for cookie in cookies.iter().chain(flash.iter()) {
        response
            .headers_mut()
            .append(SET_COOKIE, set_cookie(cookie));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_are_shown_in_tokyo_by_default() {
        let utc = chrono::Utc
            .with_ymd_and_hms(2026, 11, 25, 12, 5, 0)
            .unwrap();
        assert_eq!(
            format_time(utc, UserTimeZone::default(), Locale::Ja),
            "2026年11月25日 21:05 (JST)"
        );
        assert_eq!(
            format_time(utc, UserTimeZone::default(), Locale::En),
            "25 Nov 2026, 21:05 JST"
        );
        let london = UserTimeZone::parse("Europe/London").unwrap();
        assert_eq!(
            format_time(utc, london, Locale::En),
            "25 Nov 2026, 12:05 GMT"
        );
    }
}
