//! Home-page reads shared by both backends (see `home.rs`).

use std::sync::LazyLock;

use crate::sql_events::{EVENT_COLUMNS, EventRow};
use crate::sql_threads::{THREAD_COLUMNS, ThreadRow};
use crate::{HomeEvent, HomeThread, StoreResult};

/// A person's communities' visible threads, newest first (`$1` user, `$2`
/// limit).
pub(crate) static HOME_THREADS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {THREAD_COLUMNS}, c.name AS community_name FROM threads t
         JOIN memberships m ON m.community_id = t.community_id AND m.user_id = $1 AND m.status = 'active'
         JOIN communities c ON c.id = t.community_id
         LEFT JOIN users u ON u.id = t.author_id
         WHERE t.state = 'visible'
         ORDER BY t.created_at DESC, t.id DESC LIMIT $2"
    )
});

/// A person's communities' events not yet over (`$1` user, `$2` now, `$3`
/// limit).
pub(crate) static HOME_EVENTS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {EVENT_COLUMNS}, c.name AS community_name FROM events e
         JOIN memberships m ON m.community_id = e.community_id AND m.user_id = $1 AND m.status = 'active'
         JOIN communities c ON c.id = e.community_id
         WHERE e.ends_at > $2 ORDER BY e.starts_at, e.id LIMIT $3"
    )
});

/// Readable events in a window, online or in a prefecture (`$1` user, `$2`
/// from, `$3` until, `$4` true, `$5` prefecture or NULL, `$6` limit).
pub(crate) static NEARBY_EVENTS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {EVENT_COLUMNS}, c.name AS community_name FROM events e
         JOIN communities c ON c.id = e.community_id
         WHERE (c.visibility = 'public' OR EXISTS (SELECT 1 FROM memberships m
                 WHERE m.community_id = c.id AND m.user_id = $1 AND m.status = 'active'))
           AND e.starts_at >= $2 AND e.starts_at < $3
           AND (e.online = $4 OR e.prefecture = $5)
         ORDER BY e.starts_at, e.id LIMIT $6"
    )
});

#[derive(sqlx::FromRow)]
pub(crate) struct HomeThreadRow {
    #[sqlx(flatten)]
    thread: ThreadRow,
    community_name: String,
}

impl HomeThreadRow {
    pub(crate) fn into_thread(self) -> StoreResult<HomeThread> {
        Ok(HomeThread {
            record: self.thread.into_record()?,
            community_name: self.community_name,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct HomeEventRow {
    #[sqlx(flatten)]
    event: EventRow,
    community_name: String,
}

impl HomeEventRow {
    pub(crate) fn into_event(self) -> StoreResult<HomeEvent> {
        Ok(HomeEvent {
            listing: self.event.into_listing()?,
            community_name: self.community_name,
        })
    }
}

macro_rules! home_queries {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::HomeStore for $store {
            async fn home_page(
                &self,
                user: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
                limits: $crate::HomeLimits,
            ) -> $crate::StoreResult<$crate::HomeRead> {
                #[derive(sqlx::FromRow)]
                struct MineRow {
                    #[sqlx(flatten)]
                    listing: $crate::sql_communities::ListingRow,
                    role: String,
                }
                let mut conn = self.pool.acquire().await?;
                let mine: Vec<MineRow> = sqlx::query_as(&format!(
                    "SELECT {}, {}, m.role FROM communities c
                     JOIN memberships m ON m.community_id = c.id AND m.user_id = $1 AND m.status = 'active'
                     ORDER BY c.name, c.id",
                    $crate::sql_communities::COMMUNITY_COLUMNS,
                    $crate::sql_communities::LISTING_COUNTS
                ))
                .bind(user.0)
                .fetch_all(&mut *conn)
                .await?;
                let communities = mine
                    .into_iter()
                    .map(|row| {
                        let id = row.listing.id();
                        let role = tsunagari_domain::community::Role::parse(&row.role)
                            .ok_or_else(|| $crate::StoreError::Corrupt(format!("membership role in {id}")))?;
                        Ok((row.listing.into_listing()?, role))
                    })
                    .collect::<$crate::StoreResult<Vec<_>>>()?;
                // Nobody in a community has nothing of one to read.
                let (threads, events) = if communities.is_empty() {
                    (Vec::new(), Vec::new())
                } else {
                    let threads: Vec<$crate::sql_home::HomeThreadRow> =
                        sqlx::query_as(&$crate::sql_home::HOME_THREADS)
                            .bind(user.0)
                            .bind(limits.threads.clamp(1, 100))
                            .fetch_all(&mut *conn)
                            .await?;
                    let events: Vec<$crate::sql_home::HomeEventRow> =
                        sqlx::query_as(&$crate::sql_home::HOME_EVENTS)
                            .bind(user.0)
                            .bind(now)
                            .bind(limits.events.clamp(1, 100))
                            .fetch_all(&mut *conn)
                            .await?;
                    (
                        threads
                            .into_iter()
                            .map($crate::sql_home::HomeThreadRow::into_thread)
                            .collect::<$crate::StoreResult<Vec<_>>>()?,
                        events
                            .into_iter()
                            .map($crate::sql_home::HomeEventRow::into_event)
                            .collect::<$crate::StoreResult<Vec<_>>>()?,
                    )
                };
                let latest: Option<$crate::sql_self_check::ResultRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM self_check_results WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
                    $crate::sql_self_check::RESULT_COLUMNS
                ))
                .bind(user.0)
                .fetch_optional(&mut *conn)
                .await?;
                let profiles: Vec<(String, Option<String>)> = if communities.is_empty() {
                    Vec::new()
                } else {
                    sqlx::query_as(
                        "SELECT occupation, prefecture FROM member_profiles WHERE user_id = $1
                         ORDER BY updated_at DESC, community_id LIMIT 20",
                    )
                    .bind(user.0)
                    .fetch_all(&mut *conn)
                    .await?
                };
                let candidates: Vec<$crate::sql_communities::ListingRow> = sqlx::query_as(&format!(
                    "SELECT {}, {} FROM communities c
                     WHERE c.parent_id IS NULL
                       AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.community_id = c.id AND m.user_id = $1)
                     ORDER BY member_count DESC, c.id ASC LIMIT $2",
                    $crate::sql_communities::COMMUNITY_COLUMNS,
                    $crate::sql_communities::LISTING_COUNTS
                ))
                .bind(user.0)
                .bind(limits.candidates.clamp(1, 500))
                .fetch_all(&mut *conn)
                .await?;
                Ok($crate::HomeRead {
                    communities,
                    threads,
                    events,
                    latest_self_check: latest.map($crate::sql_self_check::ResultRow::into_record).transpose()?,
                    profiles: profiles
                        .into_iter()
                        // A prefecture that no longer parses is dropped, not fatal.
                        .map(|(occupation, prefecture)| {
                            (occupation, prefecture.as_deref().and_then(tsunagari_domain::region::Prefecture::parse))
                        })
                        .collect(),
                    candidates: candidates
                        .into_iter()
                        .map($crate::sql_communities::ListingRow::into_listing)
                        .collect::<$crate::StoreResult<Vec<_>>>()?,
                })
            }

            async fn events_near(
                &self,
                user: tsunagari_domain::UserId,
                prefecture: Option<tsunagari_domain::region::Prefecture>,
                from: tsunagari_domain::Timestamp,
                until: tsunagari_domain::Timestamp,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::HomeEvent>> {
                let rows: Vec<$crate::sql_home::HomeEventRow> = sqlx::query_as(&$crate::sql_home::NEARBY_EVENTS)
                    .bind(user.0)
                    .bind(from)
                    .bind(until)
                    .bind(true)
                    .bind(prefecture.map(|p| p.code()))
                    .bind(limit.clamp(1, 100))
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter().map($crate::sql_home::HomeEventRow::into_event).collect()
            }
        }
    };
}

pub(crate) use home_queries;
