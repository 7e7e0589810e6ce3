//! Thread pages: a community's thread list (on its page), a thread with
//! its replies, posting, editing and deleting one's own posts, reports,
//! organiser moderation, the open reports and the audit log.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tsunagari_app::{AppError, ReplyListing, ThreadListing, ThreadOptions, ThreadPage as PageData};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::moderation::{AuditTarget, PostModeration};
use tsunagari_domain::thread::{PostRef, PostState, PostView, ReplyId, ThreadDraft, ThreadId};
use tsunagari_domain::{Locale, UserId, UserTimeZone};

use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::context::{RequestContext, RequireUser};
use crate::error::{Failure, FormErrors};
use crate::markdown;
use crate::state::AppState;

/// Threads shown on a community's page.
pub const COMMUNITY_PAGE_THREADS: i64 = 20;

/// A thread in a list.
pub struct ThreadSummary {
    pub(crate) id: i64,
    pub(crate) title: String,
    pub(crate) author: String,
    pub(crate) is_announcement: bool,
    pub(crate) is_pinned: bool,
    pub(crate) marker: Option<String>,
    pub(crate) replies: String,
    pub(crate) last_activity: String,
}

fn author_name(ctx: &RequestContext, name: &Option<String>) -> String {
    name.clone()
        .unwrap_or_else(|| ctx.t("post-deleted-account"))
}

fn marker(ctx: &RequestContext, view: PostView) -> Option<String> {
    match view {
        PostView::ShownHidden => Some(ctx.t("post-hidden-marker")),
        PostView::Notice(PostState::Removed) => Some(ctx.t("post-removed-marker")),
        PostView::Notice(_) => Some(ctx.t("post-deleted-marker")),
        _ => None,
    }
}

/// Builds the list entry of a thread.
pub fn summary(
    ctx: &RequestContext,
    listing: &ThreadListing,
    zone: UserTimeZone,
    locale: Locale,
) -> ThreadSummary {
    let t = &listing.record.thread;
    let title = match listing.view {
        PostView::Notice(PostState::Removed) => ctx.t("post-removed-title"),
        PostView::Notice(_) => ctx.t("post-deleted-title"),
        _ => t.title.clone(),
    };
    ThreadSummary {
        id: t.id.0,
        title,
        author: author_name(ctx, &listing.record.author_name),
        is_announcement: t.is_announcement,
        is_pinned: t.is_pinned,
        marker: marker(ctx, listing.view),
        replies: ctx.t1("thread-reply-count", "count", listing.record.reply_count),
        last_activity: ctx.t1(
            "thread-last-activity",
            "time",
            format_time(t.last_activity_at, zone, locale),
        ),
    }
}

/// The summaries of a community's latest threads, for its page.
pub fn summaries(ctx: &RequestContext, listings: &[ThreadListing]) -> Vec<ThreadSummary> {
    let zone = reader_zone(ctx);
    let locale = ctx.tr.locale();
    listings
        .iter()
        .map(|l| summary(ctx, l, zone, locale))
        .collect()
}

/// What a reader may do to one post.
pub struct PostItem {
    anchor: String,
    base: String,
    author: String,
    time: String,
    edited: bool,
    body_html: String,
    notice: Option<String>,
    hidden: bool,
    can_edit: bool,
    can_report: bool,
    moderation: Vec<(&'static str, String)>,
}

struct Viewer {
    user: Option<UserId>,
    member: bool,
    organiser: bool,
}

#[allow(clippy::too_many_arguments)]
fn post_item(
    ctx: &RequestContext,
    viewer: &Viewer,
    post: PostRef,
    author_id: Option<UserId>,
    author: &Option<String>,
    body: &str,
    view: PostView,
    created: (tsunagari_domain::Timestamp, bool),
    thread_flags: Option<(bool, bool)>,
) -> PostItem {
    let (anchor, base) = match post {
        PostRef::Thread(id) => (format!("thread-{}", id.0), format!("/threads/{}", id.0)),
        PostRef::Reply(id) => (format!("reply-{}", id.0), format!("/replies/{}", id.0)),
    };
    let live = matches!(view, PostView::Shown | PostView::ShownHidden);
    let own = viewer.user.is_some() && viewer.user == author_id;
    let mut moderation = Vec::new();
    if viewer.organiser {
        match view {
            PostView::Shown => moderation.push(("hide", ctx.t("moderate-hide"))),
            PostView::ShownHidden => moderation.push(("unhide", ctx.t("moderate-unhide"))),
            _ => {}
        }
        if let (true, Some((announcement, pinned))) = (live, thread_flags) {
            moderation.push(if pinned {
                ("unpin", ctx.t("moderate-unpin"))
            } else {
                ("pin", ctx.t("moderate-pin"))
            });
            moderation.push(if announcement {
                ("unannounce", ctx.t("moderate-unannounce"))
            } else {
                ("announce", ctx.t("moderate-announce"))
            });
        }
        if live {
            moderation.push(("remove", ctx.t("moderate-remove")));
        }
    }
    PostItem {
        anchor,
        base,
        author: author_name(ctx, author),
        time: format_time(created.0, reader_zone(ctx), ctx.tr.locale()),
        edited: created.1,
        body_html: if live {
            markdown::render(body)
        } else {
            String::new()
        },
        notice: match view {
            PostView::Notice(PostState::Removed) => Some(ctx.t("post-removed-notice")),
            PostView::Notice(_) => Some(ctx.t("post-deleted-notice")),
            _ => None,
        },
        hidden: view == PostView::ShownHidden,
        can_edit: own && view == PostView::Shown && viewer.member,
        can_report: viewer.member && !own && view == PostView::Shown,
        moderation,
    }
}

/// A thread with its replies.
#[derive(Template, WebTemplate)]
#[template(path = "threads/show.html")]
pub struct ShowPage {
    ctx: RequestContext,
    id: i64,
    community_id: i64,
    community_name: String,
    title: String,
    is_announcement: bool,
    is_pinned: bool,
    thread: PostItem,
    replies: Vec<PostItem>,
    reply_count: String,
    member: bool,
    open: bool,
    reply_body: String,
    errors: FormErrors,
}

fn show_page(ctx: RequestContext, data: &PageData) -> ShowPage {
    let viewer = Viewer {
        user: ctx.user.as_ref().map(|u| u.account.id),
        member: data.viewer_is_member(),
        organiser: data.viewer_organises(),
    };
    let record = &data.thread.record;
    let t = &record.thread;
    let thread = post_item(
        &ctx,
        &viewer,
        PostRef::Thread(t.id),
        t.author_id,
        &record.author_name,
        &t.body,
        data.thread.view,
        (
            t.created_at,
            t.edited_at.is_some() && t.state == PostState::Visible,
        ),
        Some((t.is_announcement, t.is_pinned)),
    );
    let replies = data
        .replies
        .iter()
        .map(|ReplyListing { record, view }| {
            let r = &record.reply;
            post_item(
                &ctx,
                &viewer,
                PostRef::Reply(r.id),
                r.author_id,
                &record.author_name,
                &r.body,
                *view,
                (
                    r.created_at,
                    r.edited_at.is_some() && r.state == PostState::Visible,
                ),
                None,
            )
        })
        .collect();
    let title = match data.thread.view {
        PostView::Notice(PostState::Removed) => ctx.t("post-removed-title"),
        PostView::Notice(_) => ctx.t("post-deleted-title"),
        _ => t.title.clone(),
    };
    ShowPage {
        id: t.id.0,
        community_id: data.community.id.0,
        community_name: data.community.profile.name.clone(),
        title,
        is_announcement: t.is_announcement,
        is_pinned: t.is_pinned,
        thread,
        replies,
        reply_count: ctx.t1("thread-reply-count", "count", record.reply_count),
        member: viewer.member,
        open: data.open_for_replies(),
        reply_body: String::new(),
        errors: FormErrors::default(),
        ctx,
    }
}

/// `GET /threads/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<ShowPage, Failure> {
    let viewer = ctx.user.as_ref().map(|u| &u.account);
    let data = state.threads.page(viewer, ThreadId(id)).await?;
    Ok(show_page(ctx, &data))
}

/// The thread form as posted.
#[derive(Deserialize, Default, Clone)]
pub struct ThreadForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    announcement: Option<String>,
    pinned: Option<String>,
}

impl ThreadForm {
    fn draft(&self) -> ThreadDraft {
        ThreadDraft {
            title: self.title.clone(),
            body: self.body.clone(),
        }
    }

    fn options(&self) -> ThreadOptions {
        ThreadOptions {
            announcement: self.announcement.is_some(),
            pinned: self.pinned.is_some(),
        }
    }
}

/// Posting or editing a thread.
#[derive(Template, WebTemplate)]
#[template(path = "threads/form.html")]
pub struct ThreadFormPage {
    ctx: RequestContext,
    heading: String,
    action: String,
    back: (String, String),
    organiser_options: bool,
    form: ThreadForm,
    errors: FormErrors,
}

async fn new_thread_page(
    state: &AppState,
    ctx: RequestContext,
    user: &tsunagari_domain::Account,
    id: i64,
    form: ThreadForm,
) -> Result<ThreadFormPage, Failure> {
    let page = state.communities.page(Some(user), CommunityId(id)).await?;
    if !page.membership.as_ref().is_some_and(|m| m.is_active()) {
        return Err(AppError::Forbidden(tsunagari_app::Denial::NotMember).into());
    }
    Ok(ThreadFormPage {
        heading: ctx.t("thread-new-title"),
        action: format!("/communities/{id}/threads"),
        back: (
            format!("/communities/{id}"),
            page.community.profile.name.clone(),
        ),
        organiser_options: page.viewer_organises(),
        form,
        errors: FormErrors::default(),
        ctx,
    })
}

/// `GET /communities/{id}/threads/new`.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<ThreadFormPage, Failure> {
    new_thread_page(&state, ctx, &user.account, id, ThreadForm::default()).await
}

/// `POST /communities/{id}/threads`.
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ThreadForm>,
) -> Result<Response, Failure> {
    match state
        .threads
        .create(
            &user.account,
            CommunityId(id),
            &form.draft(),
            form.options(),
        )
        .await
    {
        // `posted.notification` is where notifications will hook in.
        Ok(posted) => Ok(redirect_with_notice(
            &ctx,
            &format!("/threads/{}", posted.post.id.0),
            Some("thread-posted"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let mut page = new_thread_page(&state, ctx, &user.account, id, form).await?;
            page.errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /threads/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<ThreadFormPage, Failure> {
    let record = state
        .threads
        .thread_for_edit(&user.account, ThreadId(id))
        .await?;
    let form = ThreadForm {
        title: record.thread.title.clone(),
        body: record.thread.body.clone(),
        ..Default::default()
    };
    Ok(edit_thread_page(ctx, id, form))
}

fn edit_thread_page(ctx: RequestContext, id: i64, form: ThreadForm) -> ThreadFormPage {
    ThreadFormPage {
        heading: ctx.t("thread-edit-title"),
        action: format!("/threads/{id}/edit"),
        back: (format!("/threads/{id}"), ctx.t("thread-back")),
        organiser_options: false,
        form,
        errors: FormErrors::default(),
        ctx,
    }
}

/// `POST /threads/{id}/edit`.
pub async fn update(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ThreadForm>,
) -> Result<Response, Failure> {
    match state
        .threads
        .edit_thread(&user.account, ThreadId(id), &form.draft())
        .await
    {
        Ok(()) => Ok(redirect_with_notice(
            &ctx,
            &format!("/threads/{id}"),
            Some("post-saved"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let mut page = edit_thread_page(ctx, id, form);
            page.errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /threads/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    let community = state
        .threads
        .delete_thread(&user.account, ThreadId(id))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/communities/{}", community.0),
        Some("post-deleted"),
        Vec::new(),
    ))
}

/// The reply form.
#[derive(Deserialize, Default)]
pub struct ReplyForm {
    #[serde(default)]
    body: String,
}

/// `POST /threads/{id}/replies`.
pub async fn reply(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ReplyForm>,
) -> Result<Response, Failure> {
    match state
        .threads
        .reply(&user.account, ThreadId(id), &form.body)
        .await
    {
        // `posted.notification` is where notifications will hook in.
        Ok(posted) => Ok(redirect_with_notice(
            &ctx,
            &format!("/threads/{id}#reply-{}", posted.post.id.0),
            Some("reply-posted"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let data = state
                .threads
                .page(Some(&user.account), ThreadId(id))
                .await?;
            let mut page = show_page(ctx, &data);
            page.reply_body = form.body;
            page.errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// Editing a reply.
#[derive(Template, WebTemplate)]
#[template(path = "threads/reply_form.html")]
pub struct ReplyFormPage {
    ctx: RequestContext,
    id: i64,
    thread_id: i64,
    body: String,
    errors: FormErrors,
}

/// `GET /replies/{id}/edit`.
pub async fn edit_reply_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<ReplyFormPage, Failure> {
    let record = state
        .threads
        .reply_for_edit(&user.account, ReplyId(id))
        .await?;
    Ok(ReplyFormPage {
        id,
        thread_id: record.reply.thread_id.0,
        body: record.reply.body,
        errors: FormErrors::default(),
        ctx,
    })
}

/// `POST /replies/{id}/edit`.
pub async fn update_reply(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ReplyForm>,
) -> Result<Response, Failure> {
    match state
        .threads
        .edit_reply(&user.account, ReplyId(id), &form.body)
        .await
    {
        Ok(thread) => Ok(redirect_with_notice(
            &ctx,
            &format!("/threads/{}#reply-{id}", thread.0),
            Some("post-saved"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let record = state
                .threads
                .reply_for_edit(&user.account, ReplyId(id))
                .await?;
            let errors = FormErrors::from_failure(&ctx.tr, &failure);
            let page = ReplyFormPage {
                id,
                thread_id: record.reply.thread_id.0,
                body: form.body,
                errors,
                ctx,
            };
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /replies/{id}/delete`.
pub async fn delete_reply(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    let thread = state
        .threads
        .delete_reply(&user.account, ReplyId(id))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/threads/{}#reply-{id}", thread.0),
        Some("post-deleted"),
        Vec::new(),
    ))
}

/// A report or a moderation step, with an optional reason.
#[derive(Deserialize, Default)]
pub struct ReasonForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    /// `reports` to come back to the reports page.
    #[serde(default)]
    back: String,
}

async fn report(
    state: &AppState,
    ctx: &RequestContext,
    user: &tsunagari_domain::Account,
    post: PostRef,
    form: &ReasonForm,
) -> Result<Response, Failure> {
    let thread = state.threads.report(user, post, &form.reason).await?;
    Ok(redirect_with_notice(
        ctx,
        &format!("/threads/{}", thread.0),
        Some("post-reported"),
        Vec::new(),
    ))
}

async fn moderate(
    state: &AppState,
    ctx: &RequestContext,
    user: &tsunagari_domain::Account,
    post: PostRef,
    form: &ReasonForm,
) -> Result<Response, Failure> {
    let action = PostModeration::parse(&form.action).ok_or_else(Failure::bad_request)?;
    // `moderated.notification` (announcements) is where notifications will hook in.
    let moderated = state
        .threads
        .moderate(user, post, action, &form.reason)
        .await?;
    let to = if form.back == "reports" {
        format!("/communities/{}/reports", moderated.community_id.0)
    } else {
        format!("/threads/{}", moderated.thread_id.0)
    };
    Ok(redirect_with_notice(
        ctx,
        &to,
        Some("moderation-done"),
        Vec::new(),
    ))
}

/// `POST /threads/{id}/report`.
pub async fn report_thread(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ReasonForm>,
) -> Result<Response, Failure> {
    report(
        &state,
        &ctx,
        &user.account,
        PostRef::Thread(ThreadId(id)),
        &form,
    )
    .await
}

/// `POST /replies/{id}/report`.
pub async fn report_reply(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ReasonForm>,
) -> Result<Response, Failure> {
    report(
        &state,
        &ctx,
        &user.account,
        PostRef::Reply(ReplyId(id)),
        &form,
    )
    .await
}

/// `POST /threads/{id}/moderate`.
pub async fn moderate_thread(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ReasonForm>,
) -> Result<Response, Failure> {
    moderate(
        &state,
        &ctx,
        &user.account,
        PostRef::Thread(ThreadId(id)),
        &form,
    )
    .await
}

/// `POST /replies/{id}/moderate`.
pub async fn moderate_reply(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ReasonForm>,
) -> Result<Response, Failure> {
    moderate(
        &state,
        &ctx,
        &user.account,
        PostRef::Reply(ReplyId(id)),
        &form,
    )
    .await
}

/// An open report as listed.
pub struct ReportView {
    kind: String,
    moderate_action: String,
    href: String,
    excerpt: String,
    state: Option<String>,
    reporter: String,
    reason: Option<String>,
    time: String,
}

/// The open reports of a community.
#[derive(Template, WebTemplate)]
#[template(path = "threads/reports.html")]
pub struct ReportsPage {
    ctx: RequestContext,
    id: i64,
    name: String,
    reports: Vec<ReportView>,
}

/// `GET /communities/{id}/reports`.
pub async fn reports(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<ReportsPage, Failure> {
    let (community, entries) = state
        .threads
        .reports(&user.account, CommunityId(id))
        .await?;
    let zone = reader_zone(&ctx);
    let locale = ctx.tr.locale();
    let reports = entries
        .iter()
        .map(|r| {
            let (kind, base, anchor) = match r.post {
                PostRef::Thread(t) => (
                    "report-kind-thread",
                    format!("/threads/{}", t.0),
                    format!("thread-{}", t.0),
                ),
                PostRef::Reply(reply) => (
                    "report-kind-reply",
                    format!("/replies/{}", reply.0),
                    format!("reply-{}", reply.0),
                ),
            };
            ReportView {
                kind: ctx.t(kind),
                moderate_action: format!("{base}/moderate"),
                href: format!("/threads/{}#{anchor}", r.thread_id.0),
                excerpt: markdown::excerpt(&r.body, 140),
                state: match r.post_state {
                    PostState::Visible => None,
                    PostState::Hidden => Some(ctx.t("post-hidden-marker")),
                    PostState::Removed => Some(ctx.t("post-removed-marker")),
                    PostState::Deleted => Some(ctx.t("post-deleted-marker")),
                },
                reporter: r.reporter_name.clone(),
                reason: r.reason.clone(),
                time: format_time(r.created_at, zone, locale),
            }
        })
        .collect();
    Ok(ReportsPage {
        id,
        name: community.profile.name,
        reports,
        ctx,
    })
}

/// One line of the audit log as shown.
pub struct AuditView {
    time: String,
    actor: String,
    action: String,
    target: String,
    target_href: Option<String>,
    reason: Option<String>,
}

/// The audit log of a community.
#[derive(Template, WebTemplate)]
#[template(path = "threads/audit.html")]
pub struct AuditPage {
    ctx: RequestContext,
    id: i64,
    name: String,
    entries: Vec<AuditView>,
}

/// `GET /communities/{id}/audit`.
pub async fn audit(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<AuditPage, Failure> {
    let (community, records) = state
        .threads
        .audit_log(&user.account, CommunityId(id), 200, 0)
        .await?;
    let zone = reader_zone(&ctx);
    let locale = ctx.tr.locale();
    let entries = records
        .iter()
        .map(|r| {
            let (target, target_href) = match r.target {
                AuditTarget::Post(PostRef::Thread(t)) => (
                    ctx.t1("audit-target-thread", "id", t.0),
                    Some(format!("/threads/{}", t.0)),
                ),
                AuditTarget::Post(PostRef::Reply(reply)) => (
                    ctx.t1("audit-target-reply", "id", reply.0),
                    r.thread_id
                        .map(|t| format!("/threads/{}#reply-{}", t.0, reply.0)),
                ),
                AuditTarget::Member(_) => (author_name(&ctx, &r.target_name), None),
            };
            AuditView {
                time: format_time(r.at, zone, locale),
                actor: author_name(&ctx, &r.actor_name),
                action: ctx.t(&format!("audit-{}", r.action.as_str().replace('_', "-"))),
                target,
                target_href,
                reason: r.reason.clone(),
            }
        })
        .collect();
    Ok(AuditPage {
        id,
        name: community.profile.name,
        entries,
        ctx,
    })
}

#[cfg(test)]
mod tests {
    use tsunagari_domain::Locale;
    use tsunagari_domain::moderation::AuditAction;

    use crate::i18n::Tr;

    #[test]
    fn every_audit_action_has_a_message_in_both_languages() {
        for locale in Locale::ALL {
            for action in AuditAction::ALL {
                let key = format!("audit-{}", action.as_str().replace('_', "-"));
                assert!(Tr::new(locale).has(&key), "{key} in {locale:?}");
            }
        }
    }
}
