//! Notification use cases: send (from other use cases), list, open, read.

use std::sync::Arc;

use tsunagari_domain::notification::{NewNotification, Notification, NotificationKind};
use tsunagari_domain::time::now;
use tsunagari_domain::{Account, UserId};
use tsunagari_store::Store;

use crate::AppError;

/// The notification use cases.
#[derive(Clone)]
pub struct Notifications {
    store: Arc<dyn Store>,
}

impl Notifications {
    /// Notification use cases over a store.
    pub fn new(store: Arc<dyn Store>) -> Notifications {
        Notifications { store }
    }

    /// Sends a notification to people. A failure is logged and not
    /// propagated: the action that caused it has already happened and must
    /// not be reported as failed because a notice could not be written.
    pub async fn send(&self, users: &[UserId], kind: NotificationKind, subject: &str, link: &str) {
        if users.is_empty() {
            return;
        }
        let Some(notification) = NewNotification::new(kind, subject, link) else {
            tracing::error!(link, "notification link is not a site path");
            return;
        };
        if let Err(error) = self.store.notify(users, &notification, now()).await {
            tracing::error!(%error, kind = kind.as_str(), "notification not stored");
        }
    }

    /// A person's latest notifications.
    pub async fn list(&self, account: &Account, limit: i64) -> Result<Vec<Notification>, AppError> {
        Ok(self.store.notifications_of(account.id, limit).await?)
    }

    /// How many are unread.
    pub async fn unread(&self, account: &Account) -> Result<i64, AppError> {
        Ok(self.store.unread_notifications(account.id).await?)
    }

    /// Marks one read and returns it (to follow its link).
    pub async fn open(&self, account: &Account, id: i64) -> Result<Notification, AppError> {
        self.store
            .mark_notification_read(account.id, id, now())
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Marks all read.
    pub async fn mark_all_read(&self, account: &Account) -> Result<u64, AppError> {
        Ok(self
            .store
            .mark_all_notifications_read(account.id, now())
            .await?)
    }
}
