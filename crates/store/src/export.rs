//! What a person wrote, for "export my data". SQL for both backends in the
//! macro below.

use async_trait::async_trait;
use tsunagari_domain::{Timestamp, UserId};

use crate::StoreResult;

/// A thread or reply someone wrote, as stored (including hidden or removed
/// ones: the export is the person's own record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthoredPost {
    /// `thread` or `reply`.
    pub kind: &'static str,
    /// Id of the thread or reply.
    pub id: i64,
    /// The thread (for a reply) or the thread itself.
    pub thread_id: i64,
    /// Title (threads only).
    pub title: Option<String>,
    /// Markdown body.
    pub body: String,
    /// `visible`, `hidden`, `removed` or `deleted`.
    pub state: String,
    /// When it was posted.
    pub created_at: Timestamp,
}

/// Reads for the data export.
#[async_trait]
pub trait ExportStore: Send + Sync {
    /// Every thread and reply a person wrote, oldest first.
    async fn authored_posts(&self, user: UserId) -> StoreResult<Vec<AuthoredPost>>;
}

macro_rules! export_queries {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::ExportStore for $store {
            async fn authored_posts(&self, user: tsunagari_domain::UserId) -> $crate::StoreResult<Vec<$crate::AuthoredPost>> {
                let threads: Vec<(i64, String, String, String, tsunagari_domain::Timestamp)> = sqlx::query_as(
                    "SELECT id, title, body, state, created_at FROM threads WHERE author_id = $1 ORDER BY created_at, id",
                )
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                let replies: Vec<(i64, i64, String, String, tsunagari_domain::Timestamp)> = sqlx::query_as(
                    "SELECT id, thread_id, body, state, created_at FROM replies WHERE author_id = $1 ORDER BY created_at, id",
                )
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                let mut posts: Vec<$crate::AuthoredPost> = threads
                    .into_iter()
                    .map(|(id, title, body, state, created_at)| $crate::AuthoredPost {
                        kind: "thread",
                        id,
                        thread_id: id,
                        title: Some(title),
                        body,
                        state,
                        created_at,
                    })
                    .chain(replies.into_iter().map(|(id, thread_id, body, state, created_at)| $crate::AuthoredPost {
                        kind: "reply",
                        id,
                        thread_id,
                        title: None,
                        body,
                        state,
                        created_at,
                    }))
                    .collect();
                posts.sort_by_key(|p| p.created_at);
                Ok(posts)
            }
        }
    };
}

pub(crate) use export_queries;
