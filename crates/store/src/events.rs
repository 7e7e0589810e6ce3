//! Events, registrations and calendar feeds: records and the store trait.
//! The SQL is in `sql_events.rs`, shared by both backends.

use std::collections::HashMap;

use async_trait::async_trait;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::event::{Event, EventDetails, EventId, Rsvp, RsvpStatus};
use tsunagari_domain::{Timestamp, TokenHash, UserId};

use crate::StoreResult;

/// An event with its registration counts, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventListing {
    /// The event.
    pub event: Event,
    /// People with a place.
    pub confirmed: i64,
    /// People waiting.
    pub waitlisted: i64,
}

/// A registration with the person's name, for organisers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsvpEntry {
    /// The registration.
    pub rsvp: Rsvp,
    /// The person's display name.
    pub display_name: String,
}

/// What a cancellation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    /// The status the cancelled registration had.
    pub was: RsvpStatus,
    /// People moved from the waitlist to a place, in waitlist order.
    pub promoted: Vec<UserId>,
}

/// Events and who comes to them.
///
/// `register`, `cancel_registration` and `set_capacity` each run in one
/// transaction whose first statement bumps the event's `rsvp_version`, so
/// on both databases they run one at a time per event: the confirmed count
/// never exceeds the capacity and the waitlist is served in the order the
/// server accepted the requests (`Rsvp::sequence`).
#[async_trait]
pub trait EventStore: Send + Sync {
    /// Creates an event in a community.
    async fn create_event(
        &self,
        community: CommunityId,
        created_by: UserId,
        details: &EventDetails,
        now: Timestamp,
    ) -> StoreResult<Event>;
    /// Saves everything but the capacity (see `set_capacity`).
    async fn update_event(
        &self,
        id: EventId,
        details: &EventDetails,
        now: Timestamp,
    ) -> StoreResult<Event>;
    /// An event by id, with its counts.
    async fn event(&self, id: EventId) -> StoreResult<Option<EventListing>>;
    /// Events of a community ending after `now`, soonest first.
    async fn upcoming_events(
        &self,
        community: CommunityId,
        now: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<EventListing>>;
    /// Events of public communities starting after `now`, soonest first
    /// (what the self-check may recommend).
    async fn upcoming_public_events(
        &self,
        now: Timestamp,
        limit: i64,
    ) -> StoreResult<Vec<EventListing>>;
    /// The start of the next event of each community that has one, in one
    /// query (for lists of communities).
    async fn next_event_starts(
        &self,
        communities: &[CommunityId],
        now: Timestamp,
    ) -> StoreResult<HashMap<CommunityId, Timestamp>>;
    /// The events a person is registered for that end after `since`,
    /// soonest first, with their status.
    async fn events_of(
        &self,
        user: UserId,
        since: Timestamp,
    ) -> StoreResult<Vec<(EventListing, RsvpStatus)>>;
    /// Registers a person: a place when one is free, otherwise the
    /// waitlist. `Conflict::AlreadyRegistered` when they already are;
    /// `Ok(None)` when the event does not exist.
    async fn register(
        &self,
        event: EventId,
        user: UserId,
        now: Timestamp,
    ) -> StoreResult<Option<Rsvp>>;
    /// Cancels a registration and promotes from the waitlist; `None` when
    /// the person was not registered.
    async fn cancel_registration(
        &self,
        event: EventId,
        user: UserId,
    ) -> StoreResult<Option<Cancellation>>;
    /// Changes the capacity and promotes from the waitlist in order;
    /// `Conflict::CapacityBelowConfirmed` when it would take a place away.
    async fn set_capacity(
        &self,
        event: EventId,
        capacity: Option<u32>,
        now: Timestamp,
    ) -> StoreResult<Vec<UserId>>;
    /// One person's registration.
    async fn registration(&self, event: EventId, user: UserId) -> StoreResult<Option<Rsvp>>;
    /// Every registration with names, confirmed first, each in sequence order.
    async fn registrations(&self, event: EventId) -> StoreResult<Vec<RsvpEntry>>;
    /// Marks a confirmed person present or absent; false when they are not confirmed.
    async fn set_attended(&self, event: EventId, user: UserId, attended: bool)
    -> StoreResult<bool>;
    /// Stores (replacing any) the digest of a person's calendar-feed key.
    async fn set_calendar_key(
        &self,
        user: UserId,
        key: &TokenHash,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// Whose calendar feed a key opens.
    async fn calendar_owner(&self, key: &TokenHash) -> StoreResult<Option<UserId>>;
    /// Whether a person has a calendar feed.
    async fn has_calendar_key(&self, user: UserId) -> StoreResult<bool>;
}
