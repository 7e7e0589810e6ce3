//! Event endpoints: a community's events, one event, RSVP and
//! cancellation, and the event's iCalendar file.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tsunagari_app::{EventChange, EventPage};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::event::{Event, EventDraft, EventId, RsvpStatus};
use tsunagari_store::EventListing;
use utoipa::ToSchema;

use super::{ApiJson, ApiUser, MaybeApiUser};
use crate::error::{ErrorEnvelope, Failure};
use crate::ical;
use crate::state::AppState;

/// An event.
#[derive(Serialize, ToSchema)]
pub struct EventView {
    /// Id.
    pub id: i64,
    /// The community that holds it.
    pub community_id: i64,
    /// Title.
    pub title: String,
    /// Markdown.
    pub description: String,
    /// Start (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: tsunagari_domain::Timestamp,
    /// End (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: tsunagari_domain::Timestamp,
    /// The IANA zone the organiser uses, e.g. `Asia/Tokyo`.
    pub time_zone: String,
    /// Held online.
    pub online: bool,
    /// The meeting link: only for registered people and organisers.
    pub online_url: Option<String>,
    /// Venue, when held in person.
    pub venue: Option<String>,
    /// JIS X 0401 prefecture code of the venue.
    pub prefecture: Option<String>,
    /// Places; null means no limit.
    pub capacity: Option<u32>,
    /// People with a place.
    pub confirmed_count: i64,
    /// People waiting for a place.
    pub waitlist_count: i64,
    /// The caller's registration: `confirmed`, `waitlisted`, or null when
    /// not registered or not authenticated. Filled by `GET /api/v1/events/{id}`
    /// and `POST /api/v1/communities/{id}/events`; null in lists.
    pub my_status: Option<String>,
}

impl EventView {
    fn from_listing(
        listing: &EventListing,
        my_status: Option<RsvpStatus>,
        show_url: bool,
    ) -> EventView {
        let e: &Event = &listing.event;
        let d = &e.details;
        EventView {
            id: e.id.0,
            community_id: e.community_id.0,
            title: d.title.clone(),
            description: d.description.clone(),
            starts_at: d.starts_at,
            ends_at: d.ends_at,
            time_zone: d.time_zone.name().to_owned(),
            online: d.online,
            online_url: d.online_url.clone().filter(|_| show_url),
            venue: d.venue.clone(),
            prefecture: d.prefecture.map(|p| p.code().to_owned()),
            capacity: d.capacity,
            confirmed_count: listing.confirmed,
            waitlist_count: listing.waitlisted,
            my_status: my_status.map(|s| s.as_str().to_owned()),
        }
    }

    fn from_page(page: &EventPage) -> EventView {
        EventView::from_listing(
            &page.listing,
            page.registration.as_ref().map(|r| r.status),
            page.online_url_visible(),
        )
    }
}

/// Events of a community.
#[derive(Serialize, ToSchema)]
pub struct EventList {
    /// Upcoming and ongoing events, soonest first.
    pub events: Vec<EventView>,
}

/// An event to create. Times are local to `time_zone`.
#[derive(Deserialize, ToSchema)]
pub struct EventInput {
    /// Title, 1–120 characters.
    pub title: String,
    /// Markdown, up to 10,000 characters.
    #[serde(default)]
    pub description: String,
    /// Local start, `2026-12-05T19:00`.
    pub starts_at: String,
    /// Local end, after the start.
    pub ends_at: String,
    /// IANA zone name; default `Asia/Tokyo`.
    pub time_zone: Option<String>,
    /// Held online (then `online_url` is required).
    #[serde(default)]
    pub online: bool,
    /// The meeting link, https only.
    pub online_url: Option<String>,
    /// Venue, for events in person.
    pub venue: Option<String>,
    /// JIS prefecture code of the venue.
    pub prefecture: Option<String>,
    /// Places, 1–100,000; omit for no limit.
    pub capacity: Option<u32>,
}

impl EventInput {
    fn draft(&self) -> EventDraft {
        EventDraft {
            title: self.title.clone(),
            description: self.description.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            time_zone: self.time_zone.clone().unwrap_or_default(),
            online: self.online,
            online_url: self.online_url.clone().unwrap_or_default(),
            venue: self.venue.clone().unwrap_or_default(),
            prefecture: self.prefecture.clone().unwrap_or_default(),
            capacity: self.capacity.map(|c| c.to_string()).unwrap_or_default(),
        }
    }
}

/// The outcome of an RSVP.
#[derive(Serialize, ToSchema)]
pub struct RsvpResult {
    /// `confirmed` (a place) or `waitlisted`.
    pub status: String,
    /// The order in which the server accepted the registration (per
    /// event, increasing); the waitlist is served in this order.
    pub sequence: i64,
}

/// Upcoming events of a community.
#[utoipa::path(get, path = "/api/v1/communities/{id}/events", tag = "events", params(("id" = i64, Path, description = "Community id")),
    responses((status = 200, description = "Events", body = EventList), (status = 403, description = "Members-only community", body = ErrorEnvelope),
        (status = 404, description = "No such community", body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeApiUser(account): MaybeApiUser,
    Path(id): Path<i64>,
) -> Result<Json<EventList>, Failure> {
    let listings = state
        .events
        .upcoming(account.as_ref(), CommunityId(id), 100)
        .await?;
    Ok(Json(EventList {
        events: listings
            .iter()
            .map(|l| EventView::from_listing(l, None, false))
            .collect(),
    }))
}

/// Create an event (organisers).
#[utoipa::path(post, path = "/api/v1/communities/{id}/events", tag = "events", request_body = EventInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id")),
    responses((status = 201, description = "Created", body = EventView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not an organiser", body = ErrorEnvelope), (status = 404, description = "No such community", body = ErrorEnvelope),
        (status = 422, description = "Invalid fields", body = ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<EventInput>,
) -> Result<Response, Failure> {
    let event = state
        .events
        .create(&account, CommunityId(id), &input.draft())
        .await?;
    let page = state.events.page(Some(&account), event.id).await?;
    Ok((StatusCode::CREATED, Json(EventView::from_page(&page))).into_response())
}

/// One event.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events", params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, description = "The event", body = EventView), (status = 403, description = "Members-only community", body = ErrorEnvelope),
        (status = 404, description = "No such event", body = ErrorEnvelope)))]
pub async fn show(
    State(state): State<AppState>,
    MaybeApiUser(account): MaybeApiUser,
    Path(id): Path<i64>,
) -> Result<Json<EventView>, Failure> {
    let page = state.events.page(account.as_ref(), EventId(id)).await?;
    Ok(Json(EventView::from_page(&page)))
}

/// Register for an event (active members): a place when one is free,
/// otherwise the waitlist.
#[utoipa::path(post, path = "/api/v1/events/{id}/rsvp", tag = "events", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 201, description = "Registered", body = RsvpResult), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member, or the event is over", body = ErrorEnvelope), (status = 404, description = "No such event", body = ErrorEnvelope),
        (status = 409, description = "Already registered", body = ErrorEnvelope)))]
pub async fn rsvp(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    let rsvp = state.events.register(&account, EventId(id)).await?;
    Ok((
        StatusCode::CREATED,
        Json(RsvpResult {
            status: rsvp.status.as_str().to_owned(),
            sequence: rsvp.sequence,
        }),
    )
        .into_response())
}

/// Cancel a registration; the first person on the waitlist gets the place.
#[utoipa::path(delete, path = "/api/v1/events/{id}/rsvp", tag = "events", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 204, description = "Cancelled"), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 404, description = "No such event", body = ErrorEnvelope), (status = 409, description = "Not registered", body = ErrorEnvelope)))]
pub async fn cancel(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, Failure> {
    // Notifications to the people promoted attach here later.
    let _promoted: Vec<EventChange> = state.events.cancel(&account, EventId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The event as an iCalendar file.
#[utoipa::path(get, path = "/api/v1/events/{id}/ics", tag = "events", params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, description = "text/calendar", content_type = "text/calendar", body = String),
        (status = 403, description = "Members-only community", body = ErrorEnvelope), (status = 404, description = "No such event", body = ErrorEnvelope)))]
pub async fn ics(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeApiUser(account): MaybeApiUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    let page = state.events.page(account.as_ref(), EventId(id)).await?;
    Ok(event_ics(&state, &headers, &page))
}

/// The absolute address of the site: the configured public URL, or the
/// address the request came to.
pub fn site_base(state: &AppState, headers: &HeaderMap) -> String {
    match &state.config.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let host = headers
                .get("host")
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}")
        }
    }
}

/// An `.ics` response for one event as its viewer may see it.
pub fn event_ics(state: &AppState, headers: &HeaderMap, page: &EventPage) -> Response {
    let base = site_base(state, headers);
    let event = page.event();
    let item = ical::CalendarEvent {
        event,
        page_url: format!("{base}/events/{}", event.id.0),
        with_online_url: page.online_url_visible(),
        tentative: page
            .registration
            .as_ref()
            .is_some_and(|r| r.status == RsvpStatus::Waitlisted),
    };
    let domain = ical::uid_domain(state.config.public_url.as_deref());
    let body = ical::calendar(
        &event.details.title,
        &domain,
        &[item],
        tsunagari_domain::time::now(),
    );
    (
        [
            (CONTENT_TYPE, ical::CONTENT_TYPE.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"event-{}.ics\"", event.id.0),
            ),
        ],
        body,
    )
        .into_response()
}

/// A new capacity.
#[derive(Deserialize, ToSchema)]
pub struct CapacityInput {
    /// Places, 1–100,000; null for no limit. It cannot go below the
    /// number of confirmed people.
    pub capacity: Option<u32>,
}

/// What a capacity change did.
#[derive(Serialize, ToSchema)]
pub struct CapacityResult {
    /// People moved from the waitlist to a place, in waitlist order.
    pub promoted: Vec<i64>,
}

/// Change an event's capacity (organisers); raising it promotes from the
/// waitlist in order.
#[utoipa::path(put, path = "/api/v1/events/{id}/capacity", tag = "events", request_body = CapacityInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, description = "Changed", body = CapacityResult), (status = 403, description = "Not an organiser", body = ErrorEnvelope),
        (status = 404, description = "No such event", body = ErrorEnvelope), (status = 422, description = "Invalid, or below the confirmed count", body = ErrorEnvelope)))]
pub async fn set_capacity(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CapacityInput>,
) -> Result<Json<CapacityResult>, Failure> {
    let capacity = input.capacity.map(|c| c.to_string()).unwrap_or_default();
    let changes = state
        .events
        .set_capacity(&account, EventId(id), &capacity)
        .await?;
    Ok(Json(CapacityResult {
        promoted: changes
            .iter()
            .map(|change| match change {
                EventChange::Promoted(user) => user.0,
            })
            .collect(),
    }))
}

/// Attendance of one person.
#[derive(Deserialize, ToSchema)]
pub struct AttendanceInput {
    /// Present or not.
    pub attended: bool,
}

/// Record whether a confirmed person attended (organisers).
#[utoipa::path(put, path = "/api/v1/events/{id}/attendance/{user_id}", tag = "events", request_body = AttendanceInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Event id"), ("user_id" = i64, Path, description = "The person")),
    responses((status = 204, description = "Recorded"), (status = 403, description = "Not an organiser", body = ErrorEnvelope),
        (status = 404, description = "No such event", body = ErrorEnvelope), (status = 409, description = "The person is not confirmed", body = ErrorEnvelope)))]
pub async fn attendance(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path((id, user_id)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<AttendanceInput>,
) -> Result<StatusCode, Failure> {
    state
        .events
        .mark_attendance(
            &account,
            EventId(id),
            tsunagari_domain::UserId(user_id),
            input.attended,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The events the caller registered for that have not ended.
#[utoipa::path(get, path = "/api/v1/me/events", tag = "events", security(("bearer" = [])),
    responses((status = 200, description = "Registered events, soonest first, with `my_status`", body = EventList),
        (status = 401, description = "No token", body = ErrorEnvelope)))]
pub async fn mine(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
) -> Result<Json<EventList>, Failure> {
    let registered = state.events.registered(&account).await?;
    Ok(Json(EventList {
        events: registered
            .iter()
            .map(|(l, s)| EventView::from_listing(l, Some(*s), true))
            .collect(),
    }))
}
