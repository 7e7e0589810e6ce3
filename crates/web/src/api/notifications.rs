//! Notification endpoints.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiUser;
use crate::error::{ErrorEnvelope, Failure};
use crate::state::AppState;

/// A notification.
#[derive(Serialize, ToSchema)]
pub struct NotificationView {
    /// Id.
    pub id: i64,
    /// `join_approved`, `waitlist_promoted`, `thread_reply` or `announcement`.
    pub kind: String,
    /// The name of what it is about.
    pub subject: String,
    /// Site-relative path of what it is about.
    pub link: String,
    /// When (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub created_at: tsunagari_domain::Timestamp,
    /// Whether it was read.
    pub read: bool,
}

/// The latest notifications.
#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    /// Newest first, at most 100.
    pub notifications: Vec<NotificationView>,
    /// How many are unread in all.
    pub unread_count: i64,
}

/// The caller's notifications.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, description = "Notifications", body = NotificationList), (status = 401, description = "No token", body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
) -> Result<Json<NotificationList>, Failure> {
    let notifications = state.notifications.list(&account, 100).await?;
    let unread_count = state.notifications.unread(&account).await?;
    Ok(Json(NotificationList {
        notifications: notifications
            .into_iter()
            .map(|n| NotificationView {
                id: n.id,
                kind: n.kind.as_str().to_owned(),
                subject: n.subject,
                link: n.link,
                created_at: n.created_at,
                read: n.read_at.is_some(),
            })
            .collect(),
        unread_count,
    }))
}
