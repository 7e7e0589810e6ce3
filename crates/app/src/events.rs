//! Event use cases: organisers create and edit events, members register
//! (confirmed or waitlisted) and cancel, organisers raise the capacity and
//! mark attendance; anyone who may read the community sees its events.
//! Personal calendar feeds are opened by a secret key stored as a digest.

use std::collections::HashMap;
use std::sync::Arc;

use tsunagari_domain::community::{self, Community, CommunityId, Membership, Role};
use tsunagari_domain::event::{
    self, Event, EventDraft, EventFieldError, EventId, Rsvp, RsvpStatus,
};
use tsunagari_domain::notification::NotificationKind;
use tsunagari_domain::time::now;
use tsunagari_domain::{Account, SecretToken, Timestamp, UserId};
use tsunagari_store::{Conflict, EventListing, RsvpEntry, Store, StoreError};

use crate::{AppError, Denial, Field, FieldErrors, FieldProblem, Notifications};

/// The event use cases.
#[derive(Clone)]
pub struct Events {
    store: Arc<dyn Store>,
    notifications: Notifications,
}

/// Something that happened to someone other than the actor because of a
/// change: the hook for notifications (none are sent yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventChange {
    /// Moved from the waitlist to a confirmed place.
    Promoted(UserId),
}

/// What a person sees of one event.
#[derive(Debug, Clone)]
pub struct EventPage {
    /// The event with its counts.
    pub listing: EventListing,
    /// Its community.
    pub community: Community,
    /// The viewer's membership of the community.
    pub membership: Option<Membership>,
    /// The viewer's registration.
    pub registration: Option<Rsvp>,
    /// Registrations with names: organisers only, otherwise empty.
    pub registrations: Vec<RsvpEntry>,
}

impl EventPage {
    /// The event.
    pub fn event(&self) -> &Event {
        &self.listing.event
    }

    /// Whether the viewer organises the community.
    pub fn viewer_organises(&self) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.is_at_least(Role::Organiser))
    }

    /// Whether the viewer may register (an active member).
    pub fn viewer_may_register(&self) -> bool {
        self.membership.as_ref().is_some_and(Membership::is_active)
    }

    /// The online link is for registered people and organisers.
    pub fn online_url_visible(&self) -> bool {
        self.registration.is_some() || self.viewer_organises()
    }

    /// The online link when the viewer may see it.
    pub fn visible_online_url(&self) -> Option<&str> {
        self.event()
            .details
            .online_url
            .as_deref()
            .filter(|_| self.online_url_visible())
    }
}

/// The field an event form problem belongs to.
pub fn event_field(error: EventFieldError) -> Field {
    match error {
        EventFieldError::Title => Field::Title,
        EventFieldError::Description => Field::Description,
        EventFieldError::StartsAt => Field::StartsAt,
        EventFieldError::EndsAt => Field::EndsAt,
        EventFieldError::TimeZone => Field::TimeZone,
        EventFieldError::OnlineUrl => Field::OnlineUrl,
        EventFieldError::Venue => Field::Venue,
        EventFieldError::Prefecture => Field::Prefecture,
        EventFieldError::Capacity => Field::Capacity,
        EventFieldError::Format => Field::Online,
    }
}

fn draft_errors(errors: Vec<EventFieldError>) -> AppError {
    let mut fields = FieldErrors::default();
    for error in errors {
        fields.add(event_field(error), FieldProblem::Event(error));
    }
    AppError::Invalid(fields)
}

fn capacity_too_low() -> AppError {
    AppError::Invalid(FieldErrors::single(
        Field::Capacity,
        FieldProblem::CapacityBelowConfirmed,
    ))
}

impl Events {
    /// Event use cases over a store.
    pub fn new(store: Arc<dyn Store>) -> Events {
        Events {
            notifications: Notifications::new(store.clone()),
            store,
        }
    }

    async fn existing(&self, id: EventId) -> Result<EventListing, AppError> {
        self.store.event(id).await?.ok_or(AppError::NotFound)
    }

    async fn community(&self, id: CommunityId) -> Result<Community, AppError> {
        self.store.community(id).await?.ok_or(AppError::NotFound)
    }

    async fn membership(
        &self,
        community: CommunityId,
        viewer: Option<&Account>,
    ) -> Result<Option<Membership>, AppError> {
        Ok(match viewer {
            Some(account) => self.store.membership(community, account.id).await?,
            None => None,
        })
    }

    async fn require_organiser(
        &self,
        actor: &Account,
        community: CommunityId,
    ) -> Result<Membership, AppError> {
        match self.store.membership(community, actor.id).await? {
            Some(m) if m.is_at_least(Role::Organiser) => Ok(m),
            _ => Err(AppError::Forbidden(Denial::NotOrganiser)),
        }
    }

    /// Creates an event in a community (organisers).
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, community_id = community.0))]
    pub async fn create(
        &self,
        actor: &Account,
        community: CommunityId,
        draft: &EventDraft,
    ) -> Result<Event, AppError> {
        self.community(community).await?;
        self.require_organiser(actor, community).await?;
        let details = draft.validate().map_err(draft_errors)?;
        let event = self
            .store
            .create_event(community, actor.id, &details, now())
            .await?;
        tracing::info!(event_id = event.id.0, "event created");
        Ok(event)
    }

    /// Saves an event (organisers). A changed capacity goes through
    /// `set_capacity`, so raising it promotes from the waitlist.
    pub async fn update(
        &self,
        actor: &Account,
        id: EventId,
        draft: &EventDraft,
    ) -> Result<(Event, Vec<EventChange>), AppError> {
        let listing = self.existing(id).await?;
        self.require_organiser(actor, listing.event.community_id)
            .await?;
        let details = draft.validate().map_err(draft_errors)?;
        let mut changes = Vec::new();
        if details.capacity != listing.event.details.capacity {
            changes = self
                .apply_capacity(id, &listing.event.details.title, details.capacity)
                .await?;
        }
        let event = self.store.update_event(id, &details, now()).await?;
        Ok((event, changes))
    }

    /// An event as `viewer` sees it; members-only communities show their
    /// events to members only.
    pub async fn page(&self, viewer: Option<&Account>, id: EventId) -> Result<EventPage, AppError> {
        let listing = self.existing(id).await?;
        let community = self.community(listing.event.community_id).await?;
        let membership = self.membership(community.id, viewer).await?;
        if !community::can_read(community.profile.visibility, membership.as_ref()) {
            return Err(AppError::Forbidden(Denial::MembersOnly));
        }
        let registration = match viewer {
            Some(account) => self.store.registration(id, account.id).await?,
            None => None,
        };
        let organises = membership
            .as_ref()
            .is_some_and(|m| m.is_at_least(Role::Organiser));
        let registrations = if organises {
            self.store.registrations(id).await?
        } else {
            Vec::new()
        };
        Ok(EventPage {
            listing,
            community,
            membership,
            registration,
            registrations,
        })
    }

    /// Upcoming (and ongoing) events of a community, soonest first.
    pub async fn upcoming(
        &self,
        viewer: Option<&Account>,
        community: CommunityId,
        limit: i64,
    ) -> Result<Vec<EventListing>, AppError> {
        let c = self.community(community).await?;
        let membership = self.membership(community, viewer).await?;
        if !community::can_read(c.profile.visibility, membership.as_ref()) {
            return Err(AppError::Forbidden(Denial::MembersOnly));
        }
        Ok(self.store.upcoming_events(community, now(), limit).await?)
    }

    /// The start of the next event of each listed community, in one query.
    /// Members-only communities are left out: their events are not public.
    pub async fn next_event_starts(
        &self,
        communities: &[Community],
    ) -> Result<HashMap<CommunityId, Timestamp>, AppError> {
        let ids: Vec<CommunityId> = communities
            .iter()
            .filter(|c| c.profile.visibility == community::Visibility::Public)
            .map(|c| c.id)
            .collect();
        Ok(self.store.next_event_starts(&ids, now()).await?)
    }

    /// Registers the actor (active members only): a place when one is
    /// free, otherwise the waitlist.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, event_id = id.0))]
    pub async fn register(&self, actor: &Account, id: EventId) -> Result<Rsvp, AppError> {
        let listing = self.existing(id).await?;
        let membership = self
            .store
            .membership(listing.event.community_id, actor.id)
            .await?;
        if !membership.is_some_and(|m| m.is_active()) {
            return Err(AppError::Forbidden(Denial::NotMember));
        }
        if listing.event.details.ends_at <= now() {
            return Err(AppError::Forbidden(Denial::EventOver));
        }
        match self.store.register(id, actor.id, now()).await {
            Ok(Some(rsvp)) => Ok(rsvp),
            Ok(None) => Err(AppError::NotFound),
            Err(StoreError::Conflict(Conflict::AlreadyRegistered)) => {
                Err(AppError::Forbidden(Denial::AlreadyRegistered))
            }
            Err(other) => Err(other.into()),
        }
    }

    /// Cancels the actor's registration. A freed place goes to the first
    /// person on the waitlist; who that was is returned.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, event_id = id.0))]
    pub async fn cancel(&self, actor: &Account, id: EventId) -> Result<Vec<EventChange>, AppError> {
        let listing = self.existing(id).await?;
        let cancelled = self
            .store
            .cancel_registration(id, actor.id)
            .await?
            .ok_or(AppError::Forbidden(Denial::NotRegistered))?;
        let changes: Vec<EventChange> = cancelled
            .promoted
            .into_iter()
            .map(EventChange::Promoted)
            .collect();
        if !changes.is_empty() {
            tracing::info!(?changes, "promoted from the waitlist");
        }
        self.tell_promoted(id, &listing.event.details.title, &changes)
            .await;
        Ok(changes)
    }

    /// Tells everyone who moved from the waitlist to confirmed.
    async fn tell_promoted(&self, id: EventId, title: &str, changes: &[EventChange]) {
        let promoted: Vec<UserId> = changes
            .iter()
            .map(|change| match change {
                EventChange::Promoted(user) => *user,
            })
            .collect();
        let link = format!("/events/{}", id.0);
        self.notifications
            .send(&promoted, NotificationKind::WaitlistPromoted, title, &link)
            .await;
    }

    async fn apply_capacity(
        &self,
        id: EventId,
        title: &str,
        capacity: Option<u32>,
    ) -> Result<Vec<EventChange>, AppError> {
        match self.store.set_capacity(id, capacity, now()).await {
            Ok(promoted) => {
                let changes: Vec<EventChange> =
                    promoted.into_iter().map(EventChange::Promoted).collect();
                self.tell_promoted(id, title, &changes).await;
                Ok(changes)
            }
            Err(StoreError::Conflict(Conflict::CapacityBelowConfirmed)) => Err(capacity_too_low()),
            Err(other) => Err(other.into()),
        }
    }

    /// Changes the capacity (organisers; empty means no limit). Raising it
    /// promotes from the waitlist in order; it cannot go below the number
    /// of confirmed people.
    pub async fn set_capacity(
        &self,
        actor: &Account,
        id: EventId,
        capacity: &str,
    ) -> Result<Vec<EventChange>, AppError> {
        let listing = self.existing(id).await?;
        self.require_organiser(actor, listing.event.community_id)
            .await?;
        let capacity = event::parse_capacity(capacity).map_err(|e| {
            AppError::Invalid(FieldErrors::single(Field::Capacity, FieldProblem::Event(e)))
        })?;
        self.apply_capacity(id, &listing.event.details.title, capacity)
            .await
    }

    /// Marks a confirmed person present or absent (organisers).
    pub async fn mark_attendance(
        &self,
        actor: &Account,
        id: EventId,
        person: UserId,
        attended: bool,
    ) -> Result<(), AppError> {
        let listing = self.existing(id).await?;
        self.require_organiser(actor, listing.event.community_id)
            .await?;
        if !self.store.set_attended(id, person, attended).await? {
            return Err(AppError::Forbidden(Denial::NotConfirmed));
        }
        Ok(())
    }

    /// The events a person is registered for that have not ended.
    pub async fn registered(
        &self,
        actor: &Account,
    ) -> Result<Vec<(EventListing, RsvpStatus)>, AppError> {
        Ok(self.store.events_of(actor.id, now()).await?)
    }

    /// The events of a personal calendar feed: registered events from the
    /// last 30 days on. `None` when the key opens no feed.
    pub async fn calendar_feed(
        &self,
        key: &str,
    ) -> Result<Option<Vec<(EventListing, RsvpStatus)>>, AppError> {
        let Some(key) = SecretToken::from_presented(key) else {
            return Ok(None);
        };
        let Some(user) = self.store.calendar_owner(&key.hash()).await? else {
            return Ok(None);
        };
        let since = now() - chrono::Duration::days(30);
        Ok(Some(self.store.events_of(user, since).await?))
    }

    /// Makes a new calendar-feed key for the actor, replacing any old one
    /// (whose URL stops working). The key is shown once; only its digest
    /// is kept.
    pub async fn reset_calendar_key(&self, actor: &Account) -> Result<SecretToken, AppError> {
        let key = SecretToken::generate();
        self.store
            .set_calendar_key(actor.id, &key.hash(), now())
            .await?;
        Ok(key)
    }

    /// Whether the actor has a calendar feed.
    pub async fn has_calendar_feed(&self, actor: &Account) -> Result<bool, AppError> {
        Ok(self.store.has_calendar_key(actor.id).await?)
    }
}
