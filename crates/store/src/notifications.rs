//! Notifications: the store trait. SQL in `sql_notifications.rs`.

use async_trait::async_trait;
use tsunagari_domain::notification::{NewNotification, Notification};
use tsunagari_domain::{Timestamp, UserId};

use crate::StoreResult;

/// Notifications, newest first.
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// Sends one notification to each of `users`, in one transaction.
    async fn notify(
        &self,
        users: &[UserId],
        notification: &NewNotification,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// A person's latest notifications.
    async fn notifications_of(&self, user: UserId, limit: i64) -> StoreResult<Vec<Notification>>;
    /// How many are unread.
    async fn unread_notifications(&self, user: UserId) -> StoreResult<i64>;
    /// Marks one as read and returns it; `None` when it is not theirs.
    async fn mark_notification_read(
        &self,
        user: UserId,
        id: i64,
        now: Timestamp,
    ) -> StoreResult<Option<Notification>>;
    /// Marks all as read; returns how many changed.
    async fn mark_all_notifications_read(&self, user: UserId, now: Timestamp) -> StoreResult<u64>;
}
