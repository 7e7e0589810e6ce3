//! Atom feeds: `/communities/{id}/feed.atom` (a public community's
//! announcements and new threads) and `/events/feed.atom` (upcoming events
//! of public communities, `?prefecture=13` for one prefecture). No session
//! is needed or used: a feed shows what a signed-out visitor may see, and
//! a members-only community has none (404).

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tsunagari_app::{AppError, Field, FieldErrors, FieldProblem};
use tsunagari_domain::UserTimeZone;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::time::now;

use super::format_time;
use crate::api::events::site_base;
use crate::atom::{self, Entry, Feed};
use crate::context::RequestContext;
use crate::error::Failure;
use crate::markdown;
use crate::state::AppState;

fn atom_response(feed: &Feed) -> Response {
    ([(CONTENT_TYPE, atom::CONTENT_TYPE)], atom::render(feed)).into_response()
}

/// The feed address of a community, for page heads.
pub fn community_feed_path(id: i64) -> String {
    format!("/communities/{id}/feed.atom")
}

/// The feed address of public events, all or in one prefecture.
pub fn events_feed_path(prefecture: Option<Prefecture>) -> String {
    match prefecture {
        Some(p) => format!("/events/feed.atom?prefecture={}", p.code()),
        None => "/events/feed.atom".to_owned(),
    }
}

/// `GET /communities/{id}/feed.atom`.
pub async fn community(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    let (community, threads) = state.feeds.community(CommunityId(id)).await?;
    let base = site_base(&state, &headers);
    let domain = crate::ical::uid_domain(state.config.public_url.as_deref());
    let name = &community.profile.name;
    let entries: Vec<Entry> = threads
        .iter()
        .map(|record| {
            let t = &record.thread;
            let (term, label) = if t.is_announcement {
                ("announcement", ctx.t("discovery-feed-announcement"))
            } else {
                ("thread", ctx.t("discovery-feed-thread"))
            };
            Entry {
                id: atom::tag_uri(&domain, t.created_at, &format!("threads/{}", t.id.0)),
                title: t.title.clone(),
                link: format!("{base}/threads/{}", t.id.0),
                updated: t.edited_at.unwrap_or(t.created_at),
                published: t.created_at,
                // A deleted account's posts stay; their author is nobody's name.
                author: record
                    .author_name
                    .clone()
                    .unwrap_or_else(|| "tsunagari".to_owned()),
                summary: Some(markdown::excerpt(&t.body, 140)),
                content_html: Some(markdown::render(&t.body)),
                categories: vec![(term.to_owned(), label)],
            }
        })
        .collect();
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or(community.created_at);
    let feed = Feed {
        id: atom::tag_uri(
            &domain,
            community.created_at,
            &format!("communities/{}", community.id.0),
        ),
        title: ctx.t1("discovery-feed-community-title", "name", name),
        subtitle: ctx.t1("discovery-feed-community-subtitle", "name", name),
        self_url: format!("{base}{}", community_feed_path(id)),
        alternate_url: format!("{base}/communities/{id}"),
        base,
        lang: ctx.lang(),
        updated,
        entries,
    };
    Ok(atom_response(&feed))
}

/// The query of the events feed.
#[derive(Deserialize, Default)]
pub struct EventsFeedQuery {
    prefecture: Option<String>,
}

/// `GET /events/feed.atom[?prefecture=13]`; 422 for a code that is not a
/// prefecture.
pub async fn events(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    Query(query): Query<EventsFeedQuery>,
) -> Result<Response, Failure> {
    let prefecture = match query.prefecture.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(Prefecture::parse(code).ok_or_else(|| {
            Failure::from(AppError::Invalid(FieldErrors::single(
                Field::Prefecture,
                FieldProblem::UnknownPrefecture,
            )))
        })?),
    };
    let events = state.feeds.events(prefecture).await?;
    let base = site_base(&state, &headers);
    let domain = crate::ical::uid_domain(state.config.public_url.as_deref());
    let locale = ctx.tr.locale();
    // Feed readers have no account: times in Tokyo, the product's zone.
    let zone = UserTimeZone::default();
    let entries: Vec<Entry> = events
        .iter()
        .map(|item| {
            let event = &item.listing.event;
            let d = &event.details;
            let mut place = Vec::new();
            if d.online {
                place.push(ctx.t("event-online"));
            }
            if let Some(venue) = &d.venue {
                place.push(match d.prefecture {
                    Some(p) => format!("{venue} ({})", p.name(locale)),
                    None => venue.clone(),
                });
            }
            Entry {
                id: atom::tag_uri(&domain, event.created_at, &format!("events/{}", event.id.0)),
                title: d.title.clone(),
                link: format!("{base}/events/{}", event.id.0),
                updated: item.updated_at,
                published: event.created_at,
                // The community holds the event; the organiser who typed
                // it in stays unnamed.
                author: item.community_name.clone(),
                summary: Some(ctx.tr.t_args(
                    "discovery-feed-event-summary",
                    &[
                        ("time", format_time(d.starts_at, zone, locale)),
                        ("place", place.join(" / ")),
                        ("community", item.community_name.clone()),
                    ],
                )),
                content_html: Some(markdown::render(&d.description)),
                categories: d
                    .prefecture
                    .map(|p| vec![(p.code().to_owned(), p.name(locale).to_owned())])
                    .unwrap_or_default(),
            }
        })
        .collect();
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or_else(now);
    let (title, specific) = match prefecture {
        Some(p) => (
            ctx.t1(
                "discovery-feed-events-in-title",
                "prefecture",
                p.name(locale),
            ),
            format!("events/prefecture/{}", p.code()),
        ),
        None => (ctx.t("discovery-feed-events-title"), "events".to_owned()),
    };
    let feed = Feed {
        id: format!("tag:{domain},2026:{specific}"),
        title,
        subtitle: ctx.t("discovery-feed-events-subtitle"),
        self_url: format!("{base}{}", events_feed_path(prefecture)),
        // There is no public page of all events; the site is the nearest.
        alternate_url: format!("{base}/"),
        base,
        lang: ctx.lang(),
        updated,
        entries,
    };
    Ok(atom_response(&feed))
}
