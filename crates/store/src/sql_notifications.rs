//! Notification queries shared by both backends (see `sql.rs`).

use tsunagari_domain::notification::{Notification, NotificationKind};
use tsunagari_domain::{Timestamp, UserId};

use crate::{StoreError, StoreResult};

pub(crate) const NOTIFICATION_COLUMNS: &str =
    "id, user_id, kind, subject, link, created_at, read_at";

#[derive(sqlx::FromRow)]
pub(crate) struct NotificationRow {
    id: i64,
    user_id: i64,
    kind: String,
    subject: String,
    link: String,
    created_at: Timestamp,
    read_at: Option<Timestamp>,
}

impl NotificationRow {
    pub(crate) fn into_notification(self) -> StoreResult<Notification> {
        Ok(Notification {
            id: self.id,
            user_id: UserId(self.user_id),
            kind: NotificationKind::parse(&self.kind).ok_or_else(|| {
                StoreError::Corrupt(format!("notification {}: kind {}", self.id, self.kind))
            })?,
            subject: self.subject,
            link: self.link,
            created_at: self.created_at,
            read_at: self.read_at,
        })
    }
}

macro_rules! notification_queries {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::NotificationStore for $store {
            async fn notify(
                &self,
                users: &[tsunagari_domain::UserId],
                notification: &tsunagari_domain::notification::NewNotification,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                for user in users {
                    sqlx::query(
                        "INSERT INTO notifications (user_id, kind, subject, link, created_at) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(user.0)
                    .bind(notification.kind.as_str())
                    .bind(&notification.subject)
                    .bind(&notification.link)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn notifications_of(
                &self,
                user: tsunagari_domain::UserId,
                limit: i64,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::notification::Notification>> {
                let rows: Vec<$crate::sql_notifications::NotificationRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
                    $crate::sql_notifications::NOTIFICATION_COLUMNS
                ))
                .bind(user.0)
                .bind(limit.clamp(1, 500))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_notifications::NotificationRow::into_notification).collect()
            }

            async fn unread_notifications(&self, user: tsunagari_domain::UserId) -> $crate::StoreResult<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
                    .bind(user.0)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn mark_notification_read(
                &self,
                user: tsunagari_domain::UserId,
                id: i64,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<Option<tsunagari_domain::notification::Notification>> {
                sqlx::query("UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL")
                    .bind(now)
                    .bind(id)
                    .bind(user.0)
                    .execute(&self.pool)
                    .await?;
                let row: Option<$crate::sql_notifications::NotificationRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM notifications WHERE id = $1 AND user_id = $2",
                    $crate::sql_notifications::NOTIFICATION_COLUMNS
                ))
                .bind(id)
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_notifications::NotificationRow::into_notification).transpose()
            }

            async fn mark_all_notifications_read(
                &self,
                user: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<u64> {
                let done = sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
                    .bind(now)
                    .bind(user.0)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }
        }
    };
}

pub(crate) use notification_queries;
