//! Feed reads shared by both backends (see `feeds.rs`).

use std::sync::LazyLock;

use tsunagari_domain::Timestamp;

use crate::sql_events::{EVENT_COLUMNS, EventRow};
use crate::sql_threads::THREAD_COLUMNS;
use crate::{FeedEvent, StoreResult};

/// A community's visible threads, newest first (`$1` community, `$2` limit).
pub(crate) static FEED_THREADS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {THREAD_COLUMNS} FROM threads t LEFT JOIN users u ON u.id = t.author_id
         WHERE t.community_id = $1 AND t.state = 'visible'
         ORDER BY t.created_at DESC, t.id DESC LIMIT $2"
    )
});

/// Public communities' events not yet over (`$1` now, then optionally the
/// prefecture, then the limit).
pub(crate) static FEED_EVENTS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {EVENT_COLUMNS}, c.name AS community_name, e.updated_at AS event_updated_at FROM events e
         JOIN communities c ON c.id = e.community_id
         WHERE c.visibility = 'public' AND e.ends_at > $1"
    )
});

#[derive(sqlx::FromRow)]
pub(crate) struct FeedEventRow {
    #[sqlx(flatten)]
    event: EventRow,
    community_name: String,
    event_updated_at: Timestamp,
}

impl FeedEventRow {
    pub(crate) fn into_event(self) -> StoreResult<FeedEvent> {
        Ok(FeedEvent {
            listing: self.event.into_listing()?,
            community_name: self.community_name,
            updated_at: self.event_updated_at,
        })
    }
}

macro_rules! feed_queries {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::FeedStore for $store {
            async fn community_feed(
                &self,
                id: tsunagari_domain::community::CommunityId,
                limit: i64,
            ) -> $crate::StoreResult<
                Option<(
                    tsunagari_domain::community::Community,
                    Vec<$crate::ThreadRecord>,
                )>,
            > {
                let mut conn = self.pool.acquire().await?;
                let row: Option<$crate::sql_communities::CommunityRow> =
                    sqlx::query_as(&$crate::sql_communities::COMMUNITY_BY_ID)
                        .bind(id.0)
                        .fetch_optional(&mut *conn)
                        .await?;
                let Some(row) = row else { return Ok(None) };
                let community = row.into_community()?;
                let threads: Vec<$crate::sql_threads::ThreadRow> =
                    sqlx::query_as(&$crate::sql_feeds::FEED_THREADS)
                        .bind(id.0)
                        .bind(limit.clamp(1, 200))
                        .fetch_all(&mut *conn)
                        .await?;
                let threads = threads
                    .into_iter()
                    .map($crate::sql_threads::ThreadRow::into_record)
                    .collect::<$crate::StoreResult<Vec<_>>>()?;
                Ok(Some((community, threads)))
            }

            async fn public_event_feed(
                &self,
                prefecture: Option<tsunagari_domain::region::Prefecture>,
                now: tsunagari_domain::Timestamp,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::FeedEvent>> {
                let rows: Vec<$crate::sql_feeds::FeedEventRow> = match prefecture {
                    Some(prefecture) => {
                        sqlx::query_as(&format!(
                            "{} AND e.prefecture = $2 ORDER BY e.starts_at, e.id LIMIT $3",
                            *$crate::sql_feeds::FEED_EVENTS
                        ))
                        .bind(now)
                        .bind(prefecture.code())
                        .bind(limit.clamp(1, 200))
                        .fetch_all(&self.pool)
                        .await?
                    }
                    None => {
                        sqlx::query_as(&format!(
                            "{} ORDER BY e.starts_at, e.id LIMIT $2",
                            *$crate::sql_feeds::FEED_EVENTS
                        ))
                        .bind(now)
                        .bind(limit.clamp(1, 200))
                        .fetch_all(&self.pool)
                        .await?
                    }
                };
                rows.into_iter()
                    .map($crate::sql_feeds::FeedEventRow::into_event)
                    .collect()
            }
        }
    };
}

pub(crate) use feed_queries;
