//! Event pages: creating and editing (organisers), an event's page with
//! RSVP and cancellation, organiser tools (capacity, attendance), the
//! `.ics` file, "my events" with the personal calendar feed.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tsunagari_app::{AppError, Denial, EventPage};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::event::{EventDraft, EventId, RsvpStatus, local_time_input};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::{UserId, UserTimeZone};
use tsunagari_store::EventListing;

use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::api::events::{event_ics, site_base};
use crate::context::{RequestContext, RequireUser};
use crate::error::{Failure, FormErrors};
use crate::state::AppState;
use crate::{ical, markdown};

/// An event in a list.
pub struct EventItem {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Start in the reader's zone.
    pub when: String,
    /// Online, in person, or both, and where.
    pub place: String,
    /// Places left, full, or no limit.
    pub places: String,
    /// The reader's status, translated, when listed for them.
    pub status: Option<String>,
}

fn place_label(ctx: &RequestContext, listing: &EventListing) -> String {
    let d = &listing.event.details;
    let mut parts = Vec::new();
    if d.online {
        parts.push(ctx.t("event-online"));
    }
    if let Some(venue) = &d.venue {
        match d.prefecture {
            Some(p) => parts.push(format!("{venue} ({})", p.name(ctx.tr.locale()))),
            None => parts.push(venue.clone()),
        }
    }
    parts.join(" / ")
}

fn places_label(ctx: &RequestContext, listing: &EventListing) -> String {
    match listing.event.details.capacity {
        None => ctx.t1("event-places-unlimited", "confirmed", listing.confirmed),
        Some(capacity) => {
            let left = i64::from(capacity) - listing.confirmed;
            if left > 0 {
                ctx.tr.t_args(
                    "event-places-left",
                    &[
                        ("left", left.to_string()),
                        ("capacity", capacity.to_string()),
                    ],
                )
            } else {
                ctx.t1("event-places-full", "waiting", listing.waitlisted)
            }
        }
    }
}

fn status_label(ctx: &RequestContext, status: RsvpStatus) -> String {
    ctx.t(&format!("event-status-{}", status.as_str()))
}

/// Builds the list item of an event.
pub fn item(ctx: &RequestContext, listing: &EventListing, status: Option<RsvpStatus>) -> EventItem {
    let d = &listing.event.details;
    EventItem {
        id: listing.event.id.0,
        title: d.title.clone(),
        when: format_time(d.starts_at, reader_zone(ctx), ctx.tr.locale()),
        place: place_label(ctx, listing),
        places: places_label(ctx, listing),
        status: status.map(|s| status_label(ctx, s)),
    }
}

/// The event form as posted.
#[derive(Deserialize, Default, Clone)]
pub struct EventForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    online: Option<String>,
    #[serde(default)]
    online_url: String,
    #[serde(default)]
    venue: String,
    #[serde(default)]
    prefecture: String,
    #[serde(default)]
    capacity: String,
}

impl EventForm {
    fn draft(&self) -> EventDraft {
        EventDraft {
            title: self.title.clone(),
            description: self.description.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            time_zone: self.time_zone.clone(),
            online: self
                .online
                .as_deref()
                .is_some_and(|v| !v.is_empty() && v != "0"),
            online_url: self.online_url.clone(),
            venue: self.venue.clone(),
            prefecture: self.prefecture.clone(),
            capacity: self.capacity.clone(),
        }
    }

    fn is_online(&self) -> bool {
        self.draft().online
    }
}

/// An option of a select list.
pub struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// Creating or editing an event.
#[derive(Template, WebTemplate)]
#[template(path = "events/form.html")]
pub struct EventFormPage {
    ctx: RequestContext,
    title: String,
    action: String,
    is_new: bool,
    community: (i64, String),
    form: EventForm,
    online: bool,
    zones: Vec<Choice>,
    prefectures: Vec<Choice>,
    errors: FormErrors,
}

impl EventFormPage {
    fn new(
        ctx: RequestContext,
        form: EventForm,
        community: (i64, String),
        edit: Option<i64>,
    ) -> Self {
        let zone = if form.time_zone.is_empty() {
            "Asia/Tokyo".to_owned()
        } else {
            form.time_zone.clone()
        };
        let mut zones: Vec<Choice> = UserTimeZone::OFFERED
            .iter()
            .map(|z| Choice {
                value: (*z).to_owned(),
                label: (*z).to_owned(),
                selected: *z == zone,
            })
            .collect();
        if !zones.iter().any(|z| z.selected) {
            zones.insert(
                0,
                Choice {
                    value: zone.clone(),
                    label: zone,
                    selected: true,
                },
            );
        }
        let prefectures = Prefecture::all()
            .map(|p| Choice {
                value: p.code().to_owned(),
                label: p.name(ctx.tr.locale()).to_owned(),
                selected: Prefecture::parse(&form.prefecture) == Some(p),
            })
            .collect();
        EventFormPage {
            title: ctx.t(if edit.is_some() {
                "event-edit-title"
            } else {
                "event-new-title"
            }),
            action: match edit {
                Some(id) => format!("/events/{id}/edit"),
                None => format!("/communities/{}/events", community.0),
            },
            is_new: edit.is_none(),
            community,
            online: form.is_online(),
            form,
            zones,
            prefectures,
            errors: FormErrors::default(),
            ctx,
        }
    }
}

/// `GET /communities/{id}/events/new`.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<EventFormPage, Failure> {
    let page = state
        .communities
        .page(Some(&user.account), CommunityId(id))
        .await?;
    if !page.viewer_organises() {
        return Err(AppError::Forbidden(Denial::NotOrganiser).into());
    }
    let form = EventForm {
        time_zone: reader_zone(&ctx).name().to_owned(),
        ..Default::default()
    };
    Ok(EventFormPage::new(
        ctx,
        form,
        (id, page.community.profile.name),
        None,
    ))
}

/// `POST /communities/{id}/events`.
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<EventForm>,
) -> Result<Response, Failure> {
    match state
        .events
        .create(&user.account, CommunityId(id), &form.draft())
        .await
    {
        Ok(event) => Ok(redirect_with_notice(
            &ctx,
            &format!("/events/{}", event.id.0),
            Some("event-created"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let name = state
                .communities
                .page(Some(&user.account), CommunityId(id))
                .await?
                .community
                .profile
                .name;
            let mut page = EventFormPage::new(ctx, form, (id, name), None);
            page.errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /events/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<EventFormPage, Failure> {
    let page = state.events.page(Some(&user.account), EventId(id)).await?;
    if !page.viewer_organises() {
        return Err(AppError::Forbidden(Denial::NotOrganiser).into());
    }
    let d = &page.event().details;
    let form = EventForm {
        title: d.title.clone(),
        description: d.description.clone(),
        starts_at: local_time_input(d.starts_at, d.time_zone),
        ends_at: local_time_input(d.ends_at, d.time_zone),
        time_zone: d.time_zone.name().to_owned(),
        online: d.online.then(|| "1".to_owned()),
        online_url: d.online_url.clone().unwrap_or_default(),
        venue: d.venue.clone().unwrap_or_default(),
        prefecture: d
            .prefecture
            .map(|p| p.code().to_owned())
            .unwrap_or_default(),
        capacity: d.capacity.map(|c| c.to_string()).unwrap_or_default(),
    };
    Ok(EventFormPage::new(
        ctx,
        form,
        (page.community.id.0, page.community.profile.name.clone()),
        Some(id),
    ))
}

/// `POST /events/{id}/edit`.
pub async fn update(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<EventForm>,
) -> Result<Response, Failure> {
    match state
        .events
        .update(&user.account, EventId(id), &form.draft())
        .await
    {
        Ok(_) => Ok(redirect_with_notice(
            &ctx,
            &format!("/events/{id}"),
            Some("event-saved"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let page = state.events.page(Some(&user.account), EventId(id)).await?;
            let mut form_page = EventFormPage::new(
                ctx,
                form,
                (page.community.id.0, page.community.profile.name),
                Some(id),
            );
            form_page.errors = FormErrors::from_failure(&form_page.ctx.tr, &failure);
            Ok((failure.status, form_page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// A registration as organisers see it.
pub struct AttendeeView {
    user_id: i64,
    name: String,
    attended: bool,
}

/// An event's page.
#[derive(Template, WebTemplate)]
#[template(path = "events/show.html")]
pub struct ShowPage {
    ctx: RequestContext,
    id: i64,
    title: String,
    description_html: String,
    community: (i64, String),
    starts: String,
    ends: String,
    organiser_zone: Option<String>,
    place: String,
    online_url: Option<String>,
    online_hidden: bool,
    capacity: String,
    confirmed: i64,
    waitlisted: i64,
    status: Option<RsvpStatus>,
    full: bool,
    may_register: bool,
    is_over: bool,
    organises: bool,
    capacity_value: String,
    confirmed_people: Vec<AttendeeView>,
    waiting_people: Vec<String>,
    capacity_error: Option<String>,
}

fn show_page(ctx: RequestContext, page: &EventPage) -> ShowPage {
    let zone = reader_zone(&ctx);
    let locale = ctx.tr.locale();
    let d = &page.event().details;
    let organiser_zone = (d.time_zone != zone).then(|| {
        ctx.tr.t_args(
            "event-organiser-time",
            &[
                ("time", format_time(d.starts_at, d.time_zone, locale)),
                ("zone", d.time_zone.name().to_owned()),
            ],
        )
    });
    ShowPage {
        id: page.event().id.0,
        title: d.title.clone(),
        description_html: markdown::render(&d.description),
        community: (page.community.id.0, page.community.profile.name.clone()),
        starts: format_time(d.starts_at, zone, locale),
        ends: if d.starts_at.with_timezone(&zone.tz()).date_naive()
            == d.ends_at.with_timezone(&zone.tz()).date_naive()
        {
            d.ends_at
                .with_timezone(&zone.tz())
                .format("%H:%M")
                .to_string()
        } else {
            format_time(d.ends_at, zone, locale)
        },
        organiser_zone,
        place: place_label(&ctx, &page.listing),
        online_url: page.visible_online_url().map(str::to_owned),
        online_hidden: d.online_url.is_some() && !page.online_url_visible(),
        capacity: match d.capacity {
            Some(capacity) => ctx.t1("event-capacity-of", "capacity", capacity),
            None => ctx.t("event-capacity-none"),
        },
        confirmed: page.listing.confirmed,
        waitlisted: page.listing.waitlisted,
        status: page.registration.as_ref().map(|r| r.status),
        full: d
            .capacity
            .is_some_and(|c| page.listing.confirmed >= i64::from(c)),
        may_register: page.viewer_may_register(),
        is_over: d.ends_at <= tsunagari_domain::time::now(),
        organises: page.viewer_organises(),
        capacity_value: d.capacity.map(|c| c.to_string()).unwrap_or_default(),
        confirmed_people: page
            .registrations
            .iter()
            .filter(|e| e.rsvp.status == RsvpStatus::Confirmed)
            .map(|e| AttendeeView {
                user_id: e.rsvp.user_id.0,
                name: e.display_name.clone(),
                attended: e.rsvp.attended,
            })
            .collect(),
        waiting_people: page
            .registrations
            .iter()
            .filter(|e| e.rsvp.status == RsvpStatus::Waitlisted)
            .map(|e| e.display_name.clone())
            .collect(),
        capacity_error: None,
        ctx,
    }
}

/// `GET /events/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<ShowPage, Failure> {
    let viewer = ctx.user.as_ref().map(|u| &u.account);
    let page = state.events.page(viewer, EventId(id)).await?;
    Ok(show_page(ctx, &page))
}

/// `GET /events/{id}/event.ics`.
pub async fn ics(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    let viewer = ctx.user.as_ref().map(|u| &u.account);
    let page = state.events.page(viewer, EventId(id)).await?;
    Ok(event_ics(&state, &headers, &page))
}

/// `POST /events/{id}/rsvp`.
pub async fn rsvp(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    let rsvp = state.events.register(&user.account, EventId(id)).await?;
    let notice = match rsvp.status {
        RsvpStatus::Confirmed => "event-registered-confirmed",
        RsvpStatus::Waitlisted => "event-registered-waitlisted",
    };
    Ok(redirect_with_notice(
        &ctx,
        &format!("/events/{id}"),
        Some(notice),
        Vec::new(),
    ))
}

/// `POST /events/{id}/cancel`.
pub async fn cancel(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    // Notifications to the people promoted attach here later.
    let _promoted = state.events.cancel(&user.account, EventId(id)).await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/events/{id}"),
        Some("event-cancelled"),
        Vec::new(),
    ))
}

/// The capacity form.
#[derive(Deserialize)]
pub struct CapacityForm {
    #[serde(default)]
    capacity: String,
}

/// `POST /events/{id}/capacity`.
pub async fn capacity(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<CapacityForm>,
) -> Result<Response, Failure> {
    match state
        .events
        .set_capacity(&user.account, EventId(id), &form.capacity)
        .await
    {
        Ok(_promoted) => Ok(redirect_with_notice(
            &ctx,
            &format!("/events/{id}"),
            Some("event-capacity-saved"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let page = state.events.page(Some(&user.account), EventId(id)).await?;
            let mut show = show_page(ctx, &page);
            show.capacity_error = FormErrors::from_failure(&show.ctx.tr, &failure)
                .get("capacity")
                .map(str::to_owned);
            show.capacity_value = form.capacity;
            Ok((failure.status, show).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The attendance form: one person at a time.
#[derive(Deserialize)]
pub struct AttendanceForm {
    user_id: i64,
    #[serde(default)]
    attended: Option<String>,
}

/// `POST /events/{id}/attendance`.
pub async fn attendance(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<AttendanceForm>,
) -> Result<Response, Failure> {
    let attended = form.attended.as_deref().is_some_and(|v| v == "1");
    state
        .events
        .mark_attendance(&user.account, EventId(id), UserId(form.user_id), attended)
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/events/{id}#attendance"),
        Some("event-attendance-saved"),
        Vec::new(),
    ))
}

/// "My events": what the person registered for, and their calendar feed.
#[derive(Template, WebTemplate)]
#[template(path = "events/mine.html")]
pub struct MinePage {
    ctx: RequestContext,
    events: Vec<EventItem>,
    has_feed: bool,
    new_feed_url: Option<String>,
}

async fn mine_page(
    state: &AppState,
    ctx: RequestContext,
    user: &tsunagari_domain::Account,
    new_feed_url: Option<String>,
) -> Result<MinePage, Failure> {
    let registered = state.events.registered(user).await?;
    Ok(MinePage {
        events: registered
            .iter()
            .map(|(l, s)| item(&ctx, l, Some(*s)))
            .collect(),
        has_feed: state.events.has_calendar_feed(user).await?,
        new_feed_url,
        ctx,
    })
}

/// `GET /events`.
pub async fn mine(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
) -> Result<MinePage, Failure> {
    mine_page(&state, ctx, &user.account, None).await
}

/// `POST /events/feed`: a new secret feed address, shown once on the
/// page this answers with (only its digest is stored).
pub async fn reset_feed(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    RequireUser(user): RequireUser,
) -> Result<MinePage, Failure> {
    let key = state.events.reset_calendar_key(&user.account).await?;
    let url = format!(
        "{}/calendar/{}.ics",
        site_base(&state, &headers),
        key.expose()
    );
    mine_page(&state, ctx, &user.account, Some(url)).await
}

/// `GET /calendar/{key}.ics`: the personal feed, for calendar apps (no
/// session; the key is the credential).
pub async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, Failure> {
    let key = key.strip_suffix(".ics").unwrap_or(&key);
    let Some(events) = state.events.calendar_feed(key).await? else {
        return Err(Failure::not_found());
    };
    let base = site_base(&state, &headers);
    let items: Vec<ical::CalendarEvent<'_>> = events
        .iter()
        .map(|(listing, status)| ical::CalendarEvent {
            event: &listing.event,
            page_url: format!("{base}/events/{}", listing.event.id.0),
            with_online_url: true,
            tentative: *status == RsvpStatus::Waitlisted,
        })
        .collect();
    let domain = ical::uid_domain(state.config.public_url.as_deref());
    let body = ical::calendar("tsunagari", &domain, &items, tsunagari_domain::time::now());
    Ok(([(CONTENT_TYPE, ical::CONTENT_TYPE)], body).into_response())
}
