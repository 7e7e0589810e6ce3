//! Events of a community: online or in person, with a capacity, a waitlist
//! with automatic promotion, RSVPs and attendance.
//!
//! Times are typed as local date-times ("2026-12-05T19:00") in the event's
//! IANA time zone (Asia/Tokyo unless chosen otherwise) and stored in UTC.
//! The RSVP rules are pure functions (`register`, `promotions`,
//! `capacity_change`) that the store applies inside one transaction per
//! event, and that `Roster` applies in memory for the property tests.

use chrono::{NaiveDateTime, TimeZone};

use crate::community::CommunityId;
use crate::region::Prefecture;
use crate::{Timestamp, UserId, UserTimeZone};

/// The database id of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(pub i64);

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 120;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// Largest capacity.
pub const MAX_CAPACITY: u32 = 100_000;
/// Longest venue and online URL, in characters.
pub const MAX_PLACE_CHARS: usize = 500;

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Id.
    pub id: EventId,
    /// The community that holds it.
    pub community_id: CommunityId,
    /// The organiser who created it (`None` once their account is deleted).
    pub created_by: Option<UserId>,
    /// What people edit.
    pub details: EventDetails,
    /// Creation time.
    pub created_at: Timestamp,
}

/// The editable part of an event, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDetails {
    /// Title, 1–120 characters.
    pub title: String,
    /// Markdown, up to 10,000 characters.
    pub description: String,
    /// Start (UTC).
    pub starts_at: Timestamp,
    /// End (UTC), after the start.
    pub ends_at: Timestamp,
    /// The zone the organiser typed the times in.
    pub time_zone: UserTimeZone,
    /// Held online.
    pub online: bool,
    /// The meeting link (https), shown only to registered people and organisers.
    pub online_url: Option<String>,
    /// Where, when held in person.
    pub venue: Option<String>,
    /// The venue's prefecture.
    pub prefecture: Option<Prefecture>,
    /// Places; `None` means no limit.
    pub capacity: Option<u32>,
}

impl EventDetails {
    /// Held in person (a venue is given).
    pub fn in_person(&self) -> bool {
        self.venue.is_some()
    }
}

/// A field of the event form and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventFieldError {
    /// Title empty or longer than 120 characters.
    Title,
    /// Description longer than 10,000 characters.
    Description,
    /// Start missing or not a date and time.
    StartsAt,
    /// End missing, not a date and time, or not after the start.
    EndsAt,
    /// Not an IANA time zone.
    TimeZone,
    /// Online without an https link, or a link that is not https.
    OnlineUrl,
    /// Venue too long.
    Venue,
    /// Not a prefecture code.
    Prefecture,
    /// Not a whole number from 1 to 100,000.
    Capacity,
    /// Neither online nor in person.
    Format,
}

/// The event form as typed.
#[derive(Debug, Clone, Default)]
pub struct EventDraft {
    /// Title.
    pub title: String,
    /// Description (Markdown).
    pub description: String,
    /// Local start, `2026-12-05T19:00`.
    pub starts_at: String,
    /// Local end.
    pub ends_at: String,
    /// IANA zone name; empty means Asia/Tokyo.
    pub time_zone: String,
    /// Held online.
    pub online: bool,
    /// The meeting link.
    pub online_url: String,
    /// Venue (in person), or empty.
    pub venue: String,
    /// Prefecture code of the venue, or empty.
    pub prefecture: String,
    /// Capacity, or empty for no limit.
    pub capacity: String,
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Parses a local date-time as a browser's `datetime-local` field sends it
/// (`2026-12-05T19:00`, seconds optional, a space instead of `T` accepted)
/// in `zone`. A time that does not exist in the zone (a daylight-saving gap)
/// is refused; an ambiguous one takes the earlier instant.
pub fn parse_local_time(text: &str, zone: UserTimeZone) -> Option<Timestamp> {
    let text = text.trim().replace(' ', "T");
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&text, format).ok())?;
    let local = zone.tz().from_local_datetime(&naive).earliest()?;
    Some(local.with_timezone(&chrono::Utc))
}

/// Formats a UTC time as the local date-time a form field shows.
pub fn local_time_input(time: Timestamp, zone: UserTimeZone) -> String {
    time.with_timezone(&zone.tz())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Parses a capacity: empty is no limit, otherwise 1–100,000.
pub fn parse_capacity(text: &str) -> Result<Option<u32>, EventFieldError> {
    match optional(text) {
        None => Ok(None),
        Some(text) => match text.parse::<u32>() {
            Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Ok(Some(n)),
            _ => Err(EventFieldError::Capacity),
        },
    }
}

fn is_https_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && url.chars().count() <= MAX_PLACE_CHARS
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
}

impl EventDraft {
    /// Validates the draft; every problem is reported.
    pub fn validate(&self) -> Result<EventDetails, Vec<EventFieldError>> {
        let mut errors = Vec::new();
        let title = self.title.trim();
        if title.is_empty()
            || title.chars().count() > MAX_TITLE_CHARS
            || title.chars().any(char::is_control)
        {
            errors.push(EventFieldError::Title);
        }
        if self.description.chars().count() > MAX_DESCRIPTION_CHARS {
            errors.push(EventFieldError::Description);
        }
        let time_zone = match optional(&self.time_zone) {
            None => Some(UserTimeZone::TOKYO),
            Some(name) => UserTimeZone::parse(&name).ok().or_else(|| {
                errors.push(EventFieldError::TimeZone);
                None
            }),
        };
        let zone = time_zone.unwrap_or_default();
        let starts_at = parse_local_time(&self.starts_at, zone);
        if starts_at.is_none() {
            errors.push(EventFieldError::StartsAt);
        }
        let ends_at = parse_local_time(&self.ends_at, zone);
        match (starts_at, ends_at) {
            (_, None) => errors.push(EventFieldError::EndsAt),
            (Some(start), Some(end)) if end <= start => errors.push(EventFieldError::EndsAt),
            _ => {}
        }
        let online_url = optional(&self.online_url);
        if self.online {
            match &online_url {
                Some(url) if is_https_url(url) => {}
                _ => errors.push(EventFieldError::OnlineUrl),
            }
        } else if online_url.as_deref().is_some_and(|url| !is_https_url(url)) {
            errors.push(EventFieldError::OnlineUrl);
        }
        let venue = optional(&self.venue);
        if venue
            .as_ref()
            .is_some_and(|v| v.chars().count() > MAX_PLACE_CHARS || v.chars().any(char::is_control))
        {
            errors.push(EventFieldError::Venue);
        }
        let prefecture = match optional(&self.prefecture) {
            None => None,
            Some(code) => Prefecture::parse(&code).or_else(|| {
                errors.push(EventFieldError::Prefecture);
                None
            }),
        };
        if !self.online && venue.is_none() {
            errors.push(EventFieldError::Format);
        }
        let capacity = parse_capacity(&self.capacity).unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        match (time_zone, starts_at, ends_at) {
            (Some(time_zone), Some(starts_at), Some(ends_at)) if errors.is_empty() => {
                Ok(EventDetails {
                    title: title.to_owned(),
                    description: self.description.trim().to_owned(),
                    starts_at,
                    ends_at,
                    time_zone,
                    online: self.online,
                    online_url: online_url.filter(|_| self.online),
                    prefecture: prefecture.filter(|_| venue.is_some()),
                    venue,
                    capacity,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Where a person's registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RsvpStatus {
    /// Has a place.
    Confirmed,
    /// Waiting for a place, in request order.
    Waitlisted,
}

impl RsvpStatus {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            RsvpStatus::Confirmed => "confirmed",
            RsvpStatus::Waitlisted => "waitlisted",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<RsvpStatus> {
        match name.trim() {
            "confirmed" => Some(RsvpStatus::Confirmed),
            "waitlisted" => Some(RsvpStatus::Waitlisted),
            _ => None,
        }
    }
}

/// One person's registration for one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rsvp {
    /// The event.
    pub event_id: EventId,
    /// The person.
    pub user_id: UserId,
    /// Confirmed or waitlisted.
    pub status: RsvpStatus,
    /// The order in which the server accepted the request (per event,
    /// increasing): the waitlist is served in this order.
    pub sequence: i64,
    /// When they registered.
    pub requested_at: Timestamp,
    /// Marked present by an organiser.
    pub attended: bool,
}

/// What a new registration gets: a place when one is free, otherwise the
/// end of the waitlist.
pub fn register(capacity: Option<u32>, confirmed: u64) -> RsvpStatus {
    match capacity {
        Some(capacity) if confirmed >= u64::from(capacity) => RsvpStatus::Waitlisted,
        _ => RsvpStatus::Confirmed,
    }
}

/// How many people at the head of the waitlist move up, given the
/// capacity, the confirmed count and the waitlist length. Used after a
/// cancellation and after a capacity change.
pub fn promotions(capacity: Option<u32>, confirmed: u64, waitlisted: u64) -> u64 {
    match capacity {
        None => waitlisted,
        Some(capacity) => u64::from(capacity)
            .saturating_sub(confirmed)
            .min(waitlisted),
    }
}

/// Nobody loses a confirmed place: a capacity below the confirmed count
/// is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("capacity below the number of confirmed people")]
pub struct CapacityBelowConfirmed;

/// Checks a new capacity against the confirmed count and says how many
/// waitlisted people it promotes.
pub fn capacity_change(
    new: Option<u32>,
    confirmed: u64,
    waitlisted: u64,
) -> Result<u64, CapacityBelowConfirmed> {
    if new.is_some_and(|c| u64::from(c) < confirmed) {
        return Err(CapacityBelowConfirmed);
    }
    Ok(promotions(new, confirmed, waitlisted))
}

/// Why a registration is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RsvpRefusal {
    /// Already registered (confirmed or waitlisted).
    #[error("already registered")]
    AlreadyRegistered,
    /// Not registered, so nothing to cancel.
    #[error("not registered")]
    NotRegistered,
}

/// The registrations of one event in memory, applying the same rules as
/// the store. Used by tests and as the reference model of the rules.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    /// Places; `None` means no limit.
    pub capacity: Option<u32>,
    /// Registrations in sequence order.
    pub entries: Vec<(UserId, i64, RsvpStatus)>,
    next_sequence: i64,
}

impl Roster {
    /// An empty roster.
    pub fn new(capacity: Option<u32>) -> Roster {
        Roster {
            capacity,
            entries: Vec::new(),
            next_sequence: 1,
        }
    }

    fn count(&self, status: RsvpStatus) -> u64 {
        self.entries.iter().filter(|(_, _, s)| *s == status).count() as u64
    }

    fn promote(&mut self, n: u64) -> Vec<UserId> {
        let mut promoted = Vec::new();
        for entry in self
            .entries
            .iter_mut()
            .filter(|(_, _, s)| *s == RsvpStatus::Waitlisted)
            .take(n as usize)
        {
            entry.2 = RsvpStatus::Confirmed;
            promoted.push(entry.0);
        }
        promoted
    }

    /// Registers a person.
    pub fn register(&mut self, user: UserId) -> Result<RsvpStatus, RsvpRefusal> {
        if self.entries.iter().any(|(u, _, _)| *u == user) {
            return Err(RsvpRefusal::AlreadyRegistered);
        }
        let status = register(self.capacity, self.count(RsvpStatus::Confirmed));
        self.entries.push((user, self.next_sequence, status));
        self.next_sequence += 1;
        Ok(status)
    }

    /// Cancels a registration, returning who was promoted.
    pub fn cancel(&mut self, user: UserId) -> Result<Vec<UserId>, RsvpRefusal> {
        let index = self
            .entries
            .iter()
            .position(|(u, _, _)| *u == user)
            .ok_or(RsvpRefusal::NotRegistered)?;
        self.entries.remove(index);
        let n = promotions(
            self.capacity,
            self.count(RsvpStatus::Confirmed),
            self.count(RsvpStatus::Waitlisted),
        );
        Ok(self.promote(n))
    }

    /// Changes the capacity, returning who was promoted.
    pub fn set_capacity(
        &mut self,
        capacity: Option<u32>,
    ) -> Result<Vec<UserId>, CapacityBelowConfirmed> {
        let n = capacity_change(
            capacity,
            self.count(RsvpStatus::Confirmed),
            self.count(RsvpStatus::Waitlisted),
        )?;
        self.capacity = capacity;
        Ok(self.promote(n))
    }

    /// Confirmed people.
    pub fn confirmed(&self) -> u64 {
        self.count(RsvpStatus::Confirmed)
    }

    /// The waitlist, first in line first.
    pub fn waitlist(&self) -> Vec<UserId> {
        self.entries
            .iter()
            .filter(|(_, _, s)| *s == RsvpStatus::Waitlisted)
            .map(|(u, _, _)| *u)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn draft() -> EventDraft {
        EventDraft {
            title: "オンライン対話会".into(),
            description: "介護の仕事を語る会です。".into(),
            starts_at: "2026-12-05T19:00".into(),
            ends_at: "2026-12-05T21:00".into(),
            time_zone: "".into(),
            online: true,
            online_url: "https://meet.example.jp/abc".into(),
            venue: "".into(),
            prefecture: "".into(),
            capacity: "20".into(),
        }
    }

    #[test]
    fn a_valid_online_event_in_tokyo_time() {
        let details = draft().validate().unwrap();
        assert_eq!(details.starts_at.to_rfc3339(), "2026-12-05T10:00:00+00:00");
        assert_eq!(details.time_zone.name(), "Asia/Tokyo");
        assert_eq!(details.capacity, Some(20));
        assert!(!details.in_person());
        assert_eq!(
            local_time_input(details.starts_at, details.time_zone),
            "2026-12-05T19:00"
        );
    }

    #[test]
    fn other_zones_and_daylight_saving_gaps() {
        let london = EventDraft {
            time_zone: "Europe/London".into(),
            ..draft()
        };
        assert_eq!(
            london.validate().unwrap().starts_at.to_rfc3339(),
            "2026-12-05T19:00:00+00:00"
        );
        let gap = EventDraft {
            time_zone: "Europe/London".into(),
            starts_at: "2026-03-29T01:30".into(),
            ends_at: "2026-03-29T03:00".into(),
            ..draft()
        };
        assert_eq!(gap.validate().unwrap_err(), vec![EventFieldError::StartsAt]);
    }

    #[test]
    fn every_problem_is_reported() {
        let bad = EventDraft {
            title: "".into(),
            starts_at: "tomorrow".into(),
            ends_at: "2026-12-05T18:00".into(),
            online: true,
            online_url: "http://insecure.example".into(),
            prefecture: "48".into(),
            capacity: "0".into(),
            time_zone: "Mars/Base".into(),
            ..draft()
        };
        let errors = bad.validate().unwrap_err();
        for expected in [
            EventFieldError::Title,
            EventFieldError::StartsAt,
            EventFieldError::OnlineUrl,
            EventFieldError::Prefecture,
            EventFieldError::Capacity,
            EventFieldError::TimeZone,
        ] {
            assert!(errors.contains(&expected), "{expected:?} in {errors:?}");
        }
        let backwards = EventDraft {
            ends_at: "2026-12-05T18:00".into(),
            ..draft()
        };
        assert_eq!(
            backwards.validate().unwrap_err(),
            vec![EventFieldError::EndsAt]
        );
        let nowhere = EventDraft {
            online: false,
            online_url: "".into(),
            ..draft()
        };
        assert_eq!(
            nowhere.validate().unwrap_err(),
            vec![EventFieldError::Format]
        );
        let in_person = EventDraft {
            online: false,
            online_url: "".into(),
            venue: "新潟県人会館 3階".into(),
            prefecture: "13".into(),
            capacity: "".into(),
            ..draft()
        };
        let details = in_person.validate().unwrap();
        assert!(details.in_person() && details.capacity.is_none());
        assert_eq!(details.prefecture.unwrap().code(), "13");
    }

    #[test]
    fn capacity_bounds() {
        assert_eq!(parse_capacity(""), Ok(None));
        assert_eq!(parse_capacity("100000"), Ok(Some(100_000)));
        assert_eq!(parse_capacity("100001"), Err(EventFieldError::Capacity));
        assert_eq!(parse_capacity("-3"), Err(EventFieldError::Capacity));
        assert_eq!(parse_capacity("2.5"), Err(EventFieldError::Capacity));
    }

    #[test]
    fn register_cancel_and_raise() {
        let mut roster = Roster::new(Some(2));
        let (a, b, c, d) = (UserId(1), UserId(2), UserId(3), UserId(4));
        assert_eq!(roster.register(a), Ok(RsvpStatus::Confirmed));
        assert_eq!(roster.register(b), Ok(RsvpStatus::Confirmed));
        assert_eq!(roster.register(c), Ok(RsvpStatus::Waitlisted));
        assert_eq!(roster.register(d), Ok(RsvpStatus::Waitlisted));
        assert_eq!(roster.register(c), Err(RsvpRefusal::AlreadyRegistered));
        assert_eq!(roster.cancel(a), Ok(vec![c]));
        assert_eq!(roster.cancel(d), Ok(vec![]));
        assert_eq!(roster.cancel(d), Err(RsvpRefusal::NotRegistered));
        assert_eq!(roster.register(d), Ok(RsvpStatus::Waitlisted));
        assert_eq!(roster.set_capacity(Some(1)), Err(CapacityBelowConfirmed));
        assert_eq!(roster.set_capacity(Some(3)), Ok(vec![d]));
        assert_eq!(roster.set_capacity(None), Ok(vec![]));
        assert_eq!(register(None, 1_000_000), RsvpStatus::Confirmed);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Register(i64),
        Cancel(i64),
        Capacity(Option<u32>),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => (0..30i64).prop_map(Op::Register),
            3 => (0..30i64).prop_map(Op::Cancel),
            1 => proptest::option::of(0..15u32).prop_map(Op::Capacity),
        ]
    }

    proptest! {
        #[test]
        fn waitlist_invariants(capacity in proptest::option::of(1..10u32), ops in proptest::collection::vec(op(), 0..200)) {
            let mut roster = Roster::new(capacity);
            for op in ops {
                match op {
                    Op::Register(u) => { let _ = roster.register(UserId(u)); }
                    Op::Cancel(u) => { let _ = roster.cancel(UserId(u)); }
                    Op::Capacity(c) => { let _ = roster.set_capacity(c.filter(|c| *c > 0)); }
                }
                // Never more confirmed than capacity.
                if let Some(capacity) = roster.capacity {
                    prop_assert!(roster.confirmed() <= u64::from(capacity));
                    // Nobody waits while a place is free.
                    prop_assert!(roster.waitlist().is_empty() || roster.confirmed() == u64::from(capacity));
                } else {
                    prop_assert!(roster.waitlist().is_empty());
                }
                // Nobody twice.
                let mut users: Vec<i64> = roster.entries.iter().map(|(u, _, _)| u.0).collect();
                users.sort_unstable();
                let before = users.len();
                users.dedup();
                prop_assert_eq!(before, users.len());
                // Waitlist order = request order, and everyone confirmed
                // asked before everyone waiting.
                let sequences: Vec<i64> = roster.entries.iter().map(|(_, s, _)| *s).collect();
                prop_assert!(sequences.windows(2).all(|w| w[0] < w[1]));
                let first_waiting = roster.entries.iter().position(|(_, _, s)| *s == RsvpStatus::Waitlisted);
                if let Some(first) = first_waiting {
                    prop_assert!(roster.entries[first..].iter().all(|(_, _, s)| *s == RsvpStatus::Waitlisted));
                }
            }
        }
    }
}
