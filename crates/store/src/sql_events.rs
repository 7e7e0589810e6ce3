//! Event queries shared by both backends (see `sql.rs` for the pattern).
//!
//! Every change to an event's registrations starts its transaction with
//! `UPDATE events SET rsvp_version = rsvp_version + 1 … RETURNING …`. On
//! PostgreSQL that takes the event row's lock, so concurrent transactions
//! for the same event wait for each other (and, under READ COMMITTED, the
//! statements after the lock see what the previous one committed); on
//! SQLite a transaction that writes first takes the database's write lock
//! at once. Either way the counts read inside the transaction are the
//! truth, and the new version number is the registration's sequence.

use tsunagari_domain::community::CommunityId;
use tsunagari_domain::event::{Event, EventDetails, EventId, Rsvp, RsvpStatus};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::{Timestamp, UserId, UserTimeZone};

use crate::{EventListing, RsvpEntry, StoreError, StoreResult};

pub(crate) const EVENT_COLUMNS: &str = "e.id, e.community_id, e.created_by, e.title, e.description, e.starts_at, \
     e.ends_at, e.time_zone, e.online, e.online_url, e.venue, e.prefecture, e.capacity, e.created_at, \
     (SELECT COUNT(*) FROM rsvps r WHERE r.event_id = e.id AND r.status = 'confirmed') AS confirmed, \
     (SELECT COUNT(*) FROM rsvps r WHERE r.event_id = e.id AND r.status = 'waitlisted') AS waitlisted";

/// A community's events not yet over (`$1` community, `$2` now, `$3` limit).
pub(crate) static UPCOMING_EVENTS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT {EVENT_COLUMNS} FROM events e WHERE e.community_id = $1 AND e.ends_at > $2 ORDER BY e.starts_at, e.id LIMIT $3"
    )
});

pub(crate) const RSVP_COLUMNS: &str =
    "r.event_id, r.user_id, r.status, r.seq, r.requested_at, r.attended";

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    id: i64,
    community_id: i64,
    created_by: Option<i64>,
    title: String,
    description: String,
    starts_at: Timestamp,
    ends_at: Timestamp,
    time_zone: String,
    online: bool,
    online_url: Option<String>,
    venue: Option<String>,
    prefecture: Option<String>,
    capacity: Option<i64>,
    created_at: Timestamp,
    confirmed: i64,
    waitlisted: i64,
}

impl EventRow {
    pub(crate) fn into_listing(self) -> StoreResult<EventListing> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("event {}: invalid {what}", self.id));
        let prefecture = match &self.prefecture {
            Some(code) => Some(Prefecture::parse(code).ok_or_else(|| corrupt("prefecture"))?),
            None => None,
        };
        let capacity = match self.capacity {
            Some(n) => Some(u32::try_from(n).map_err(|_| corrupt("capacity"))?),
            None => None,
        };
        Ok(EventListing {
            event: Event {
                id: EventId(self.id),
                community_id: CommunityId(self.community_id),
                created_by: self.created_by.map(UserId),
                details: EventDetails {
                    title: self.title.clone(),
                    description: self.description.clone(),
                    starts_at: self.starts_at,
                    ends_at: self.ends_at,
                    time_zone: UserTimeZone::parse(&self.time_zone)
                        .map_err(|_| corrupt("time zone"))?,
                    online: self.online,
                    online_url: self.online_url.clone(),
                    venue: self.venue.clone(),
                    prefecture,
                    capacity,
                },
                created_at: self.created_at,
            },
            confirmed: self.confirmed,
            waitlisted: self.waitlisted,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct RsvpRow {
    event_id: i64,
    user_id: i64,
    status: String,
    seq: i64,
    requested_at: Timestamp,
    attended: bool,
}

impl RsvpRow {
    pub(crate) fn into_rsvp(self) -> StoreResult<Rsvp> {
        Ok(Rsvp {
            event_id: EventId(self.event_id),
            user_id: UserId(self.user_id),
            status: RsvpStatus::parse(&self.status).ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "rsvp {}/{}: invalid status",
                    self.event_id, self.user_id
                ))
            })?,
            sequence: self.seq,
            requested_at: self.requested_at,
            attended: self.attended,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct RsvpEntryRow {
    #[sqlx(flatten)]
    rsvp: RsvpRow,
    display_name: String,
}

impl RsvpEntryRow {
    pub(crate) fn into_entry(self) -> StoreResult<RsvpEntry> {
        Ok(RsvpEntry {
            rsvp: self.rsvp.into_rsvp()?,
            display_name: self.display_name,
        })
    }
}

/// The capacity column as the domain sees it.
pub(crate) fn capacity(value: Option<i64>) -> Option<u32> {
    value.and_then(|n| u32::try_from(n).ok())
}

macro_rules! event_queries {
    ($store:ty, $db:ty) => {
        impl $store {
            /// The first statement of every registration change: serialises
            /// them per event and yields (capacity, new version).
            async fn lock_event_rsvps(
                tx: &mut sqlx::Transaction<'_, $db>,
                event: i64,
            ) -> $crate::StoreResult<Option<(Option<i64>, i64)>> {
                Ok(sqlx::query_as(
                    "UPDATE events SET rsvp_version = rsvp_version + 1 WHERE id = $1 RETURNING capacity, rsvp_version",
                )
                .bind(event)
                .fetch_optional(&mut **tx)
                .await?)
            }

            async fn rsvp_counts(tx: &mut sqlx::Transaction<'_, $db>, event: i64) -> $crate::StoreResult<(u64, u64)> {
                let (confirmed, waitlisted): (i64, i64) = sqlx::query_as(
                    "SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0),
                            COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0)
                     FROM rsvps WHERE event_id = $1",
                )
                .bind(event)
                .fetch_one(&mut **tx)
                .await?;
                Ok((confirmed.max(0) as u64, waitlisted.max(0) as u64))
            }

            /// Moves the first `n` waitlisted people (by sequence) to a place.
            async fn promote_waitlisted(
                tx: &mut sqlx::Transaction<'_, $db>,
                event: i64,
                n: u64,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::UserId>> {
                if n == 0 {
                    return Ok(Vec::new());
                }
                let rows: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT user_id, seq FROM rsvps WHERE event_id = $1 AND status = 'waitlisted' ORDER BY seq LIMIT $2",
                )
                .bind(event)
                .bind(n as i64)
                .fetch_all(&mut **tx)
                .await?;
                if let Some((_, last)) = rows.last() {
                    sqlx::query("UPDATE rsvps SET status = 'confirmed' WHERE event_id = $1 AND status = 'waitlisted' AND seq <= $2")
                        .bind(event)
                        .bind(*last)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(rows.into_iter().map(|(user, _)| tsunagari_domain::UserId(user)).collect())
            }
        }

        #[async_trait::async_trait]
        impl $crate::EventStore for $store {
            async fn create_event(
                &self,
                community: tsunagari_domain::community::CommunityId,
                created_by: tsunagari_domain::UserId,
                details: &tsunagari_domain::event::EventDetails,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<tsunagari_domain::event::Event> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO events (community_id, created_by, title, description, starts_at, ends_at, time_zone,
                       online, online_url, venue, prefecture, capacity, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
                )
                .bind(community.0)
                .bind(created_by.0)
                .bind(&details.title)
                .bind(&details.description)
                .bind(details.starts_at)
                .bind(details.ends_at)
                .bind(details.time_zone.name())
                .bind(details.online)
                .bind(&details.online_url)
                .bind(&details.venue)
                .bind(details.prefecture.map(|p| p.code()))
                .bind(details.capacity.map(i64::from))
                .bind(now)
                .fetch_one(&self.pool)
                .await?;
                self.event(tsunagari_domain::event::EventId(id))
                    .await?
                    .map(|l| l.event)
                    .ok_or_else(|| $crate::StoreError::Corrupt(format!("event {id} vanished after insert")))
            }

            async fn update_event(
                &self,
                id: tsunagari_domain::event::EventId,
                details: &tsunagari_domain::event::EventDetails,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<tsunagari_domain::event::Event> {
                sqlx::query(
                    "UPDATE events SET title = $1, description = $2, starts_at = $3, ends_at = $4, time_zone = $5,
                       online = $6, online_url = $7, venue = $8, prefecture = $9, updated_at = $10
                     WHERE id = $11",
                )
                .bind(&details.title)
                .bind(&details.description)
                .bind(details.starts_at)
                .bind(details.ends_at)
                .bind(details.time_zone.name())
                .bind(details.online)
                .bind(&details.online_url)
                .bind(&details.venue)
                .bind(details.prefecture.map(|p| p.code()))
                .bind(now)
                .bind(id.0)
                .execute(&self.pool)
                .await?;
                self.event(id)
                    .await?
                    .map(|l| l.event)
                    .ok_or_else(|| $crate::StoreError::Corrupt(format!("event {} vanished after update", id.0)))
            }

            async fn event(&self, id: tsunagari_domain::event::EventId) -> $crate::StoreResult<Option<$crate::EventListing>> {
                let row: Option<$crate::sql_events::EventRow> =
                    sqlx::query_as(&format!("SELECT {} FROM events e WHERE e.id = $1", $crate::sql_events::EVENT_COLUMNS))
                        .bind(id.0)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map($crate::sql_events::EventRow::into_listing).transpose()
            }

            async fn upcoming_public_events(
                &self,
                now: tsunagari_domain::Timestamp,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::EventListing>> {
                let rows: Vec<$crate::sql_events::EventRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM events e JOIN communities c ON c.id = e.community_id
                     WHERE c.visibility = 'public' AND e.starts_at > $1 ORDER BY e.starts_at, e.id LIMIT $2",
                    $crate::sql_events::EVENT_COLUMNS
                ))
                .bind(now)
                .bind(limit.clamp(1, 500))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_events::EventRow::into_listing).collect()
            }

            async fn upcoming_events(
                &self,
                community: tsunagari_domain::community::CommunityId,
                now: tsunagari_domain::Timestamp,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::EventListing>> {
                let rows: Vec<$crate::sql_events::EventRow> = sqlx::query_as(&$crate::sql_events::UPCOMING_EVENTS)
                .bind(community.0)
                .bind(now)
                .bind(limit.clamp(1, 200))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_events::EventRow::into_listing).collect()
            }

            async fn next_event_starts(
                &self,
                communities: &[tsunagari_domain::community::CommunityId],
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<std::collections::HashMap<tsunagari_domain::community::CommunityId, tsunagari_domain::Timestamp>> {
                if communities.is_empty() {
                    return Ok(Default::default());
                }
                let mut query = sqlx::QueryBuilder::<$db>::new("SELECT community_id, MIN(starts_at) FROM events WHERE starts_at >= ");
                query.push_bind(now).push(" AND community_id IN (");
                let mut separated = query.separated(", ");
                for id in communities {
                    separated.push_bind(id.0);
                }
                query.push(") GROUP BY community_id");
                let rows: Vec<(i64, tsunagari_domain::Timestamp)> = query.build_query_as().fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(|(id, start)| (tsunagari_domain::community::CommunityId(id), start)).collect())
            }

            async fn events_of(
                &self,
                user: tsunagari_domain::UserId,
                since: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<Vec<($crate::EventListing, tsunagari_domain::event::RsvpStatus)>> {
                #[derive(sqlx::FromRow)]
                struct Row {
                    #[sqlx(flatten)]
                    event: $crate::sql_events::EventRow,
                    status: String,
                }
                let rows: Vec<Row> = sqlx::query_as(&format!(
                    "SELECT {}, m.status FROM events e JOIN rsvps m ON m.event_id = e.id AND m.user_id = $1
                     WHERE e.ends_at > $2 ORDER BY e.starts_at, e.id LIMIT 500",
                    $crate::sql_events::EVENT_COLUMNS
                ))
                .bind(user.0)
                .bind(since)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|row| {
                        let status = tsunagari_domain::event::RsvpStatus::parse(&row.status)
                            .ok_or_else(|| $crate::StoreError::Corrupt("rsvp status".into()))?;
                        Ok((row.event.into_listing()?, status))
                    })
                    .collect()
            }

            async fn register(
                &self,
                event: tsunagari_domain::event::EventId,
                user: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<Option<tsunagari_domain::event::Rsvp>> {
                let mut tx = self.pool.begin().await?;
                let Some((capacity, sequence)) = Self::lock_event_rsvps(&mut tx, event.0).await? else {
                    return Ok(None);
                };
                let existing: Option<i64> = sqlx::query_scalar("SELECT seq FROM rsvps WHERE event_id = $1 AND user_id = $2")
                    .bind(event.0)
                    .bind(user.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                if existing.is_some() {
                    tx.rollback().await?;
                    return Err($crate::StoreError::Conflict($crate::Conflict::AlreadyRegistered));
                }
                let capacity = $crate::sql_events::capacity(capacity);
                let (mut confirmed, waitlisted) = Self::rsvp_counts(&mut tx, event.0).await?;
                // A place freed outside these transactions (an account
                // deleted, cascading its registrations) goes to the waitlist
                // first, so a newcomer never overtakes someone waiting.
                let owed = tsunagari_domain::event::promotions(capacity, confirmed, waitlisted);
                confirmed += Self::promote_waitlisted(&mut tx, event.0, owed).await?.len() as u64;
                let status = tsunagari_domain::event::register(capacity, confirmed);
                sqlx::query(
                    "INSERT INTO rsvps (event_id, user_id, status, seq, requested_at, attended) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(event.0)
                .bind(user.0)
                .bind(status.as_str())
                .bind(sequence)
                .bind(now)
                .bind(false)
                .execute(&mut *tx)
                .await
                .map_err(|e| $crate::sql::map_unique(e, $crate::Conflict::AlreadyRegistered))?;
                tx.commit().await?;
                Ok(Some(tsunagari_domain::event::Rsvp {
                    event_id: event,
                    user_id: user,
                    status,
                    sequence,
                    requested_at: now,
                    attended: false,
                }))
            }

            async fn cancel_registration(
                &self,
                event: tsunagari_domain::event::EventId,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Option<$crate::Cancellation>> {
                let mut tx = self.pool.begin().await?;
                let Some((capacity, _)) = Self::lock_event_rsvps(&mut tx, event.0).await? else {
                    return Ok(None);
                };
                let was: Option<String> = sqlx::query_scalar("DELETE FROM rsvps WHERE event_id = $1 AND user_id = $2 RETURNING status")
                    .bind(event.0)
                    .bind(user.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(was) = was else {
                    // Nothing changed; do not keep the version bump either.
                    tx.rollback().await?;
                    return Ok(None);
                };
                let was = tsunagari_domain::event::RsvpStatus::parse(&was)
                    .ok_or_else(|| $crate::StoreError::Corrupt("rsvp status".into()))?;
                let (confirmed, waitlisted) = Self::rsvp_counts(&mut tx, event.0).await?;
                let n = tsunagari_domain::event::promotions($crate::sql_events::capacity(capacity), confirmed, waitlisted);
                let promoted = Self::promote_waitlisted(&mut tx, event.0, n).await?;
                tx.commit().await?;
                Ok(Some($crate::Cancellation { was, promoted }))
            }

            async fn set_capacity(
                &self,
                event: tsunagari_domain::event::EventId,
                capacity: Option<u32>,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::UserId>> {
                let mut tx = self.pool.begin().await?;
                if Self::lock_event_rsvps(&mut tx, event.0).await?.is_none() {
                    return Ok(Vec::new());
                }
                let (confirmed, waitlisted) = Self::rsvp_counts(&mut tx, event.0).await?;
                let Ok(n) = tsunagari_domain::event::capacity_change(capacity, confirmed, waitlisted) else {
                    tx.rollback().await?;
                    return Err($crate::StoreError::Conflict($crate::Conflict::CapacityBelowConfirmed));
                };
                sqlx::query("UPDATE events SET capacity = $1, updated_at = $2 WHERE id = $3")
                    .bind(capacity.map(i64::from))
                    .bind(now)
                    .bind(event.0)
                    .execute(&mut *tx)
                    .await?;
                let promoted = Self::promote_waitlisted(&mut tx, event.0, n).await?;
                tx.commit().await?;
                Ok(promoted)
            }

            async fn registration(
                &self,
                event: tsunagari_domain::event::EventId,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Option<tsunagari_domain::event::Rsvp>> {
                let row: Option<$crate::sql_events::RsvpRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM rsvps r WHERE r.event_id = $1 AND r.user_id = $2",
                    $crate::sql_events::RSVP_COLUMNS
                ))
                .bind(event.0)
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_events::RsvpRow::into_rsvp).transpose()
            }

            async fn registrations(&self, event: tsunagari_domain::event::EventId) -> $crate::StoreResult<Vec<$crate::RsvpEntry>> {
                let rows: Vec<$crate::sql_events::RsvpEntryRow> = sqlx::query_as(&format!(
                    "SELECT {}, u.display_name FROM rsvps r JOIN users u ON u.id = r.user_id
                     WHERE r.event_id = $1 ORDER BY CASE r.status WHEN 'confirmed' THEN 0 ELSE 1 END, r.seq",
                    $crate::sql_events::RSVP_COLUMNS
                ))
                .bind(event.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_events::RsvpEntryRow::into_entry).collect()
            }

            async fn set_attended(
                &self,
                event: tsunagari_domain::event::EventId,
                user: tsunagari_domain::UserId,
                attended: bool,
            ) -> $crate::StoreResult<bool> {
                let done = sqlx::query("UPDATE rsvps SET attended = $1 WHERE event_id = $2 AND user_id = $3 AND status = 'confirmed'")
                    .bind(attended)
                    .bind(event.0)
                    .bind(user.0)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn set_calendar_key(
                &self,
                user: tsunagari_domain::UserId,
                key: &tsunagari_domain::TokenHash,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)
                     ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
                )
                .bind(user.0)
                .bind(&key.0)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn calendar_owner(&self, key: &tsunagari_domain::TokenHash) -> $crate::StoreResult<Option<tsunagari_domain::UserId>> {
                let id: Option<i64> = sqlx::query_scalar("SELECT user_id FROM calendar_feeds WHERE token_hash = $1")
                    .bind(&key.0)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(id.map(tsunagari_domain::UserId))
            }

            async fn has_calendar_key(&self, user: tsunagari_domain::UserId) -> $crate::StoreResult<bool> {
                let id: Option<i64> = sqlx::query_scalar("SELECT user_id FROM calendar_feeds WHERE user_id = $1")
                    .bind(user.0)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(id.is_some())
            }
        }
    };
}

pub(crate) use event_queries;
