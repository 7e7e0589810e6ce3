//! The notification list.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{Redirect, Response};

use super::{format_time, reader_zone, redirect_with_notice};
use crate::context::{RequestContext, RequireUser, local_path};
use crate::error::Failure;
use crate::state::AppState;

/// A notification as listed.
pub struct NotificationView {
    id: i64,
    text: String,
    time: String,
    unread: bool,
}

/// The notification page.
#[derive(Template, WebTemplate)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    ctx: RequestContext,
    items: Vec<NotificationView>,
}

/// `GET /notifications`.
pub async fn index(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
) -> Result<NotificationsPage, Failure> {
    let zone = reader_zone(&ctx);
    let locale = ctx.tr.locale();
    let items = state
        .notifications
        .list(&user.account, 100)
        .await?
        .into_iter()
        .map(|n| NotificationView {
            id: n.id,
            text: ctx.t1(
                &format!("notification-{}", n.kind.as_str()),
                "subject",
                &n.subject,
            ),
            time: format_time(n.created_at, zone, locale),
            unread: n.read_at.is_none(),
        })
        .collect();
    Ok(NotificationsPage { ctx, items })
}

/// `POST /notifications/{id}/open`: marks it read and goes to what it is about.
pub async fn open(
    State(state): State<AppState>,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Redirect, Failure> {
    let notification = state.notifications.open(&user.account, id).await?;
    Ok(Redirect::to(&local_path(Some(&notification.link))))
}

/// `POST /notifications/read`: marks everything read.
pub async fn read_all(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
) -> Result<Response, Failure> {
    state.notifications.mark_all_read(&user.account).await?;
    Ok(redirect_with_notice(
        &ctx,
        "/notifications",
        Some("notifications-all-read"),
        Vec::new(),
    ))
}
