//! The home page: what tsunagari is, for visitors; for signed-in people,
//! their communities' new threads and upcoming events, communities
//! suggested for them, and events this week online or near them.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use tsunagari_app::{HomeView, SuggestionSource};
use tsunagari_domain::community::CommunityKind;
use tsunagari_domain::home::Suggestion;
use tsunagari_store::HomeEvent;

use super::communities::{CommunityCard, card, kind_slug};
use super::organisations::date_label;
use super::{format_time, reader_zone};
use crate::context::RequestContext;
use crate::error::Failure;
use crate::state::AppState;

/// A kind of community as shown on the home page.
pub struct KindCard {
    /// CSS and message slug.
    pub slug: String,
    /// The kind's stable name, for the discovery filter link.
    pub value: &'static str,
    /// Translated name.
    pub name: String,
    /// Translated one-line description.
    pub description: String,
}

/// A new thread in one of the person's communities.
pub struct ThreadLine {
    id: i64,
    title: String,
    community_id: i64,
    community: String,
    author: String,
    when: String,
    announcement: bool,
}

/// An upcoming event with its community.
pub struct EventLine {
    id: i64,
    title: String,
    community_id: i64,
    community: String,
    when: String,
    place: String,
}

/// A suggested community with the reason, in words.
pub struct SuggestionCard {
    card: CommunityCard,
    reason: String,
}

/// What a signed-in person's home page shows.
pub struct SignedInHome {
    mine: Vec<CommunityCard>,
    threads: Vec<ThreadLine>,
    events: Vec<EventLine>,
    suggestions: Vec<SuggestionCard>,
    suggestions_note: String,
    suggest_self_check: bool,
    nearby: Vec<EventLine>,
    nearby_title: String,
    nearby_hint: String,
    nearby_feed: String,
    operator_queue: Option<String>,
}

/// The home page.
#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    ctx: RequestContext,
    kinds: Vec<KindCard>,
    home: Option<SignedInHome>,
}

impl HomePage {
    /// The Atom feed a page head announces: public events, near the reader
    /// when their region is known.
    fn feed_path(&self) -> String {
        self.home.as_ref().map_or_else(
            || super::feeds::events_feed_path(None),
            |h| h.nearby_feed.clone(),
        )
    }
}

fn event_line(ctx: &RequestContext, item: &HomeEvent) -> EventLine {
    let event = &item.listing.event;
    let d = &event.details;
    let mut place = Vec::new();
    if d.online {
        place.push(ctx.t("event-online"));
    }
    if let Some(venue) = &d.venue {
        place.push(match d.prefecture {
            Some(p) => format!("{venue} ({})", p.name(ctx.tr.locale())),
            None => venue.clone(),
        });
    }
    EventLine {
        id: event.id.0,
        title: d.title.clone(),
        community_id: event.community_id.0,
        community: item.community_name.clone(),
        when: format_time(d.starts_at, reader_zone(ctx), ctx.tr.locale()),
        place: place.join(" / "),
    }
}

fn reason_text(ctx: &RequestContext, why: &Suggestion) -> String {
    match why {
        Suggestion::Fit(reason) => super::self_check::reason_text(ctx, reason),
        Suggestion::Tag(tag) => ctx.t1("discovery-reason-tag", "tag", tag),
        Suggestion::Popular => ctx.t("discovery-reason-popular"),
    }
}

fn signed_in_home(ctx: &RequestContext, view: HomeView) -> SignedInHome {
    let zone = reader_zone(ctx);
    let locale = ctx.tr.locale();
    let (suggestions_note, suggest_self_check) = match view.source {
        SuggestionSource::SelfCheck { taken_at, .. } => (
            ctx.t1(
                "discovery-home-from-self-check",
                "date",
                date_label(taken_at.with_timezone(&zone.tz()).date_naive(), locale),
            ),
            false,
        ),
        SuggestionSource::Profiles => (ctx.t("discovery-home-from-profiles"), true),
        SuggestionSource::Popular => (ctx.t("discovery-home-from-popular"), true),
    };
    SignedInHome {
        mine: view.communities.iter().map(|(l, _)| card(ctx, l)).collect(),
        threads: view
            .threads
            .iter()
            .map(|t| {
                let thread = &t.record.thread;
                ThreadLine {
                    id: thread.id.0,
                    title: thread.title.clone(),
                    community_id: thread.community_id.0,
                    community: t.community_name.clone(),
                    author: t
                        .record
                        .author_name
                        .clone()
                        .unwrap_or_else(|| ctx.t("post-deleted-account")),
                    when: format_time(thread.created_at, zone, locale),
                    announcement: thread.is_announcement,
                }
            })
            .collect(),
        events: view.events.iter().map(|e| event_line(ctx, e)).collect(),
        suggestions: view
            .suggestions
            .iter()
            .map(|s| SuggestionCard {
                card: card(ctx, &s.listing),
                reason: reason_text(ctx, &s.why),
            })
            .collect(),
        suggestions_note,
        suggest_self_check,
        nearby: view.nearby.iter().map(|e| event_line(ctx, e)).collect(),
        nearby_title: match view.region {
            Some(p) => ctx.t1("discovery-home-nearby-in", "prefecture", p.name(locale)),
            None => ctx.t("discovery-home-nearby-online"),
        },
        nearby_hint: match view.region {
            Some(_) => ctx.t("discovery-home-nearby-hint-region"),
            None => ctx.t("discovery-home-nearby-hint-none"),
        },
        nearby_feed: super::feeds::events_feed_path(view.region),
        operator_queue: view
            .pending_organisation_claims
            .map(|n| ctx.t_count("discovery-home-operator", "count", n as i64)),
    }
}

/// `GET /`: for visitors what tsunagari is; for members their own page.
pub async fn show(State(state): State<AppState>, ctx: RequestContext) -> Result<HomePage, Failure> {
    let kinds = CommunityKind::ALL
        .into_iter()
        .map(|kind| {
            let slug = kind_slug(kind);
            KindCard {
                name: ctx.t(&format!("kind-{slug}")),
                description: ctx.t(&format!("kind-{slug}-desc")),
                value: kind.as_str(),
                slug,
            }
        })
        .collect();
    let home = match &ctx.user {
        Some(user) => {
            let view = state.home.view(&user.account, ctx.tr.locale()).await?;
            Some(signed_in_home(&ctx, view))
        }
        None => None,
    };
    Ok(HomePage { ctx, kinds, home })
}
