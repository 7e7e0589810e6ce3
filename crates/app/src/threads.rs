//! Thread use cases: posting, replying, editing and deleting one's own
//! posts, reporting, and what organisers do (hide, unhide, remove, pin,
//! announce, dismiss reports), each moderation step written to the
//! community's audit log.
//!
//! Reading follows the community's visibility (`community::can_read`);
//! posting and reporting need an active membership; moderation needs an
//! organiser. Who sees which post is the domain's `thread_view` and
//! `reply_view`.

use std::sync::Arc;

use tsunagari_domain::community::{
    self, Community, CommunityId, Membership, MembershipStatus, Role,
};
use tsunagari_domain::moderation::{AuditEntry, AuditTarget, PostModeration};
use tsunagari_domain::notification::NotificationKind;
use tsunagari_domain::thread::{
    self, PostFieldError, PostRef, PostState, PostView, Reply, ReplyId, Thread, ThreadDraft,
    ThreadId,
};
use tsunagari_domain::time::now;
use tsunagari_domain::{Account, UserId};
use tsunagari_store::{
    AuditRecord, Conflict, NewThread, PostChange, ReplyRecord, ReportEntry, Store, StoreError,
    ThreadRecord,
};

use crate::{AppError, Denial, FieldErrors, FieldProblem, Notifications};

/// Whom to tell about something just posted. Notifications are not built
/// yet: callers receive this so they can be added without changing the
/// use cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotificationHook {
    /// Someone replied to a thread: its author (unless they replied to
    /// themselves or their account is gone) should hear of it.
    ReplyPosted {
        /// The community.
        community_id: CommunityId,
        /// The thread replied to.
        thread_id: ThreadId,
        /// The new reply.
        reply_id: ReplyId,
        /// Who replied.
        replier: UserId,
        /// The thread's author to notify, when there is one to tell.
        notify: Option<UserId>,
    },
    /// An organiser posted an announcement or marked a thread as one: the
    /// community's members should hear of it.
    AnnouncementCreated {
        /// The community.
        community_id: CommunityId,
        /// The announcement.
        thread_id: ThreadId,
        /// The organiser.
        by: UserId,
    },
}

/// A new post and whom to notify about it.
#[derive(Debug, Clone)]
pub struct Posted<T> {
    /// What was posted.
    pub post: T,
    /// The notification hook, when someone should hear of it.
    pub notification: Option<NotificationHook>,
}

/// Where a moderated post lives, and whom to notify.
#[derive(Debug, Clone)]
pub struct Moderated {
    /// The community.
    pub community_id: CommunityId,
    /// The thread the post is or belongs to.
    pub thread_id: ThreadId,
    /// Set when a thread was just marked as an announcement.
    pub notification: Option<NotificationHook>,
}

/// Options an organiser may set on a new thread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThreadOptions {
    /// Mark it as an announcement.
    pub announcement: bool,
    /// Pin it to the top.
    pub pinned: bool,
}

/// A thread in a list, with how the reader sees it.
#[derive(Debug, Clone)]
pub struct ThreadListing {
    /// The thread.
    pub record: ThreadRecord,
    /// How the reader sees it (never `Absent`).
    pub view: PostView,
}

/// A reply with how the reader sees it.
#[derive(Debug, Clone)]
pub struct ReplyListing {
    /// The reply.
    pub record: ReplyRecord,
    /// How the reader sees it (never `Absent`).
    pub view: PostView,
}

/// A thread page as one reader sees it.
#[derive(Debug, Clone)]
pub struct ThreadPage {
    /// The community.
    pub community: Community,
    /// The thread.
    pub thread: ThreadListing,
    /// Its replies the reader may see, oldest first.
    pub replies: Vec<ReplyListing>,
    /// The reader's membership, if any.
    pub membership: Option<Membership>,
}

impl ThreadPage {
    /// Whether the reader organises the community.
    pub fn viewer_organises(&self) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.is_at_least(Role::Organiser))
    }

    /// Whether the reader may reply and report.
    pub fn viewer_is_member(&self) -> bool {
        self.membership.as_ref().is_some_and(Membership::is_active)
    }

    /// Whether the thread takes replies.
    pub fn open_for_replies(&self) -> bool {
        self.thread.record.thread.state == PostState::Visible
    }
}

/// The thread use cases.
#[derive(Clone)]
pub struct Threads {
    store: Arc<dyn Store>,
    notifications: Notifications,
}

impl Threads {
    /// Sends the in-app notifications a hook asks for: the thread's author
    /// hears of a reply; every other active member hears of an announcement.
    async fn deliver(
        &self,
        hook: Option<&NotificationHook>,
        thread_title: &str,
    ) -> Result<(), AppError> {
        match hook {
            // Nobody to tell: no hook, or a reply to one's own thread.
            None | Some(NotificationHook::ReplyPosted { notify: None, .. }) => {}
            Some(NotificationHook::ReplyPosted {
                thread_id,
                notify: Some(author),
                ..
            }) => {
                let link = format!("/threads/{}", thread_id.0);
                self.notifications
                    .send(
                        &[*author],
                        NotificationKind::ThreadReply,
                        thread_title,
                        &link,
                    )
                    .await;
            }
            Some(NotificationHook::AnnouncementCreated {
                community_id,
                thread_id,
                by,
            }) => {
                let members: Vec<UserId> = self
                    .store
                    .members(*community_id, MembershipStatus::Active)
                    .await?
                    .into_iter()
                    .map(|m| m.membership.user_id)
                    .filter(|user| user != by)
                    .collect();
                let link = format!("/threads/{}", thread_id.0);
                self.notifications
                    .send(
                        &members,
                        NotificationKind::Announcement,
                        thread_title,
                        &link,
                    )
                    .await;
            }
        }
        Ok(())
    }
}

fn invalid(errors: Vec<PostFieldError>) -> AppError {
    let mut fields = FieldErrors::default();
    for error in errors {
        fields.add(FieldProblem::post_field(error), FieldProblem::Post(error));
    }
    AppError::Invalid(fields)
}

fn is_author(author: Option<UserId>, actor: &Account) -> bool {
    author == Some(actor.id)
}

impl Threads {
    /// Thread use cases over a store.
    pub fn new(store: Arc<dyn Store>) -> Threads {
        Threads {
            notifications: Notifications::new(store.clone()),
            store,
        }
    }

    async fn community(&self, id: CommunityId) -> Result<Community, AppError> {
        self.store.community(id).await?.ok_or(AppError::NotFound)
    }

    async fn membership(
        &self,
        viewer: Option<&Account>,
        id: CommunityId,
    ) -> Result<Option<Membership>, AppError> {
        match viewer {
            Some(account) => Ok(self.store.membership(id, account.id).await?),
            None => Ok(None),
        }
    }

    /// The community and the reader's membership, when they may read it.
    async fn readable(
        &self,
        viewer: Option<&Account>,
        id: CommunityId,
    ) -> Result<(Community, Option<Membership>), AppError> {
        let community = self.community(id).await?;
        let membership = self.membership(viewer, id).await?;
        if !community::can_read(community.profile.visibility, membership.as_ref()) {
            return Err(AppError::Forbidden(Denial::MembersOnly));
        }
        Ok((community, membership))
    }

    async fn require_member(
        &self,
        actor: &Account,
        id: CommunityId,
    ) -> Result<Membership, AppError> {
        match self.store.membership(id, actor.id).await? {
            Some(m) if m.is_active() => Ok(m),
            _ => Err(AppError::Forbidden(Denial::NotMember)),
        }
    }

    async fn require_organiser(
        &self,
        actor: &Account,
        id: CommunityId,
    ) -> Result<Membership, AppError> {
        let membership = self.require_member(actor, id).await?;
        if membership.is_at_least(Role::Organiser) {
            Ok(membership)
        } else {
            Err(AppError::Forbidden(Denial::NotOrganiser))
        }
    }

    async fn thread_record(&self, id: ThreadId) -> Result<ThreadRecord, AppError> {
        self.store.thread(id).await?.ok_or(AppError::NotFound)
    }

    async fn reply_record(&self, id: ReplyId) -> Result<ReplyRecord, AppError> {
        self.store.reply(id).await?.ok_or(AppError::NotFound)
    }

    /// The thread a post is or belongs to.
    async fn thread_of(&self, post: PostRef) -> Result<ThreadRecord, AppError> {
        match post {
            PostRef::Thread(id) => self.thread_record(id).await,
            PostRef::Reply(id) => {
                self.thread_record(self.reply_record(id).await?.reply.thread_id)
                    .await
            }
        }
    }

    /// A community's threads as `viewer` sees them: pinned first, then by
    /// latest activity.
    pub async fn list(
        &self,
        viewer: Option<&Account>,
        id: CommunityId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ThreadListing>, AppError> {
        let (_, membership) = self.readable(viewer, id).await?;
        self.list_readable(id, membership.as_ref(), limit, offset)
            .await
    }

    async fn list_readable(
        &self,
        id: CommunityId,
        membership: Option<&Membership>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ThreadListing>, AppError> {
        let organiser = membership.is_some_and(|m| m.is_at_least(Role::Organiser));
        let records = self
            .store
            .list_threads(id, organiser, limit, offset)
            .await?;
        Ok(readable_listings(records, organiser))
    }

    /// Posts a thread (active members). Only organisers may make it an
    /// announcement or pin it; an announcement returns the hook that
    /// notifies the members.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, community_id = id.0))]
    pub async fn create(
        &self,
        actor: &Account,
        id: CommunityId,
        draft: &ThreadDraft,
        options: ThreadOptions,
    ) -> Result<Posted<Thread>, AppError> {
        self.community(id).await?;
        let membership = self.require_member(actor, id).await?;
        if (options.announcement || options.pinned) && !membership.is_at_least(Role::Organiser) {
            return Err(AppError::Forbidden(Denial::NotOrganiser));
        }
        let content = draft.validate().map_err(invalid)?;
        let thread = self
            .store
            .create_thread(&NewThread {
                community_id: id,
                author_id: actor.id,
                content,
                is_announcement: options.announcement,
                is_pinned: options.pinned,
                now: now(),
            })
            .await?;
        tracing::info!(thread_id = thread.id.0, "thread posted");
        let notification =
            thread
                .is_announcement
                .then_some(NotificationHook::AnnouncementCreated {
                    community_id: id,
                    thread_id: thread.id,
                    by: actor.id,
                });
        self.deliver(notification.as_ref(), &thread.title).await?;
        Ok(Posted {
            post: thread,
            notification,
        })
    }

    /// A thread with its replies as `viewer` sees them.
    pub async fn page(
        &self,
        viewer: Option<&Account>,
        id: ThreadId,
    ) -> Result<ThreadPage, AppError> {
        let record = self.thread_record(id).await?;
        let (community, membership) = self.readable(viewer, record.thread.community_id).await?;
        let organiser = membership
            .as_ref()
            .is_some_and(|m| m.is_at_least(Role::Organiser));
        let view = thread::thread_view(record.thread.state, organiser, record.reply_count > 0);
        if view == PostView::Absent {
            return Err(AppError::NotFound);
        }
        let replies = self
            .store
            .replies(id)
            .await?
            .into_iter()
            .filter_map(|record| {
                let view = thread::reply_view(record.reply.state, organiser);
                (view != PostView::Absent).then_some(ReplyListing { record, view })
            })
            .collect();
        Ok(ThreadPage {
            community,
            thread: ThreadListing { record, view },
            replies,
            membership,
        })
    }

    /// A thread its author is about to edit.
    pub async fn thread_for_edit(
        &self,
        actor: &Account,
        id: ThreadId,
    ) -> Result<ThreadRecord, AppError> {
        let record = self.thread_record(id).await?;
        self.readable(Some(actor), record.thread.community_id)
            .await?;
        if record.thread.state != PostState::Visible {
            return Err(AppError::NotFound);
        }
        if !is_author(record.thread.author_id, actor) {
            return Err(AppError::Forbidden(Denial::NotAuthor));
        }
        self.require_member(actor, record.thread.community_id)
            .await?;
        Ok(record)
    }

    /// The author edits their thread.
    pub async fn edit_thread(
        &self,
        actor: &Account,
        id: ThreadId,
        draft: &ThreadDraft,
    ) -> Result<(), AppError> {
        self.thread_for_edit(actor, id).await?;
        let content = draft.validate().map_err(invalid)?;
        if !self.store.edit_thread(id, &content, now()).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    }

    /// The author deletes their thread: its title and body are erased; its
    /// replies stay readable under a "deleted post" stub. Works after
    /// leaving the community too.
    pub async fn delete_thread(
        &self,
        actor: &Account,
        id: ThreadId,
    ) -> Result<CommunityId, AppError> {
        let record = self.thread_record(id).await?;
        if record.thread.state.is_erased() {
            return Err(AppError::NotFound);
        }
        if !is_author(record.thread.author_id, actor) {
            return Err(AppError::Forbidden(Denial::NotAuthor));
        }
        self.store.delete_post(PostRef::Thread(id), now()).await?;
        Ok(record.thread.community_id)
    }

    /// Replies to a thread (active members, visible threads). Returns the
    /// hook that notifies the thread's author.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, thread_id = id.0))]
    pub async fn reply(
        &self,
        actor: &Account,
        id: ThreadId,
        body: &str,
    ) -> Result<Posted<Reply>, AppError> {
        let record = self.thread_record(id).await?;
        let community_id = record.thread.community_id;
        let membership = self.require_member(actor, community_id).await?;
        let organiser = membership.is_at_least(Role::Organiser);
        match thread::thread_view(record.thread.state, organiser, record.reply_count > 0) {
            PostView::Absent => return Err(AppError::NotFound),
            PostView::Shown => {}
            _ => return Err(AppError::Forbidden(Denial::PostClosed)),
        }
        let body = thread::parse_reply_body(body).map_err(|e| invalid(vec![e]))?;
        let reply = self.store.create_reply(id, actor.id, &body, now()).await?;
        tracing::info!(reply_id = reply.id.0, "reply posted");
        let notify = record.thread.author_id.filter(|author| *author != actor.id);
        let notification = Some(NotificationHook::ReplyPosted {
            community_id,
            thread_id: id,
            reply_id: reply.id,
            replier: actor.id,
            notify,
        });
        self.deliver(notification.as_ref(), &record.thread.title)
            .await?;
        Ok(Posted {
            post: reply,
            notification,
        })
    }

    /// A reply its author is about to edit.
    pub async fn reply_for_edit(
        &self,
        actor: &Account,
        id: ReplyId,
    ) -> Result<ReplyRecord, AppError> {
        let record = self.reply_record(id).await?;
        let thread = self.thread_record(record.reply.thread_id).await?;
        self.readable(Some(actor), thread.thread.community_id)
            .await?;
        if record.reply.state != PostState::Visible {
            return Err(AppError::NotFound);
        }
        if !is_author(record.reply.author_id, actor) {
            return Err(AppError::Forbidden(Denial::NotAuthor));
        }
        self.require_member(actor, thread.thread.community_id)
            .await?;
        Ok(record)
    }

    /// The author edits their reply; returns its thread.
    pub async fn edit_reply(
        &self,
        actor: &Account,
        id: ReplyId,
        body: &str,
    ) -> Result<ThreadId, AppError> {
        let record = self.reply_for_edit(actor, id).await?;
        let body = thread::parse_reply_body(body).map_err(|e| invalid(vec![e]))?;
        if !self.store.edit_reply(id, &body, now()).await? {
            return Err(AppError::NotFound);
        }
        Ok(record.reply.thread_id)
    }

    /// The author deletes their reply; a "deleted" stub stays so the
    /// conversation still reads. Returns its thread.
    pub async fn delete_reply(&self, actor: &Account, id: ReplyId) -> Result<ThreadId, AppError> {
        let record = self.reply_record(id).await?;
        if record.reply.state.is_erased() {
            return Err(AppError::NotFound);
        }
        if !is_author(record.reply.author_id, actor) {
            return Err(AppError::Forbidden(Denial::NotAuthor));
        }
        self.store.delete_post(PostRef::Reply(id), now()).await?;
        Ok(record.reply.thread_id)
    }

    /// An active member reports a post they can see, once.
    pub async fn report(
        &self,
        actor: &Account,
        post: PostRef,
        reason: &str,
    ) -> Result<ThreadId, AppError> {
        let thread = self.thread_of(post).await?;
        let community_id = thread.thread.community_id;
        self.require_member(actor, community_id).await?;
        let state = match post {
            PostRef::Thread(_) => thread.thread.state,
            PostRef::Reply(id) => self.reply_record(id).await?.reply.state,
        };
        if state != PostState::Visible {
            return Err(AppError::NotFound);
        }
        let reason = thread::parse_reason(reason).map_err(|e| invalid(vec![e]))?;
        match self
            .store
            .add_report(community_id, post, actor.id, reason.as_deref(), now())
            .await
        {
            Ok(()) => Ok(thread.thread.id),
            Err(StoreError::Conflict(Conflict::AlreadyReported)) => {
                Err(AppError::Forbidden(Denial::AlreadyReported))
            }
            Err(other) => Err(other.into()),
        }
    }

    /// An organiser moderates a post; the change and its audit entry are
    /// written together. Repeating an action that changes nothing (hiding
    /// a hidden post) writes nothing. Marking an announcement returns the
    /// hook that notifies the members.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, ?post, ?action))]
    pub async fn moderate(
        &self,
        actor: &Account,
        post: PostRef,
        action: PostModeration,
        reason: &str,
    ) -> Result<Moderated, AppError> {
        let record = self.thread_of(post).await?;
        let t = &record.thread;
        self.require_organiser(actor, t.community_id).await?;
        let reason = thread::parse_reason(reason).map_err(|e| invalid(vec![e]))?;
        if action.threads_only() && !matches!(post, PostRef::Thread(_)) {
            return Err(AppError::NotFound);
        }
        let state = match post {
            PostRef::Thread(_) => t.state,
            PostRef::Reply(id) => self.reply_record(id).await?.reply.state,
        };
        let live = matches!(state, PostState::Visible | PostState::Hidden);
        let change = match action {
            PostModeration::Hide if state == PostState::Visible => {
                Some(PostChange::State(PostState::Hidden))
            }
            PostModeration::Unhide if state == PostState::Hidden => {
                Some(PostChange::State(PostState::Visible))
            }
            PostModeration::Remove if live => Some(PostChange::State(PostState::Removed)),
            PostModeration::Dismiss => Some(PostChange::DismissReports),
            PostModeration::Pin if live && !t.is_pinned => Some(PostChange::Flags {
                is_announcement: t.is_announcement,
                is_pinned: true,
            }),
            PostModeration::Unpin if t.is_pinned => Some(PostChange::Flags {
                is_announcement: t.is_announcement,
                is_pinned: false,
            }),
            PostModeration::Announce if live && !t.is_announcement => Some(PostChange::Flags {
                is_announcement: true,
                is_pinned: t.is_pinned,
            }),
            PostModeration::Unannounce if t.is_announcement => Some(PostChange::Flags {
                is_announcement: false,
                is_pinned: t.is_pinned,
            }),
            _ => None,
        };
        let Some(change) = change else {
            return Ok(Moderated {
                community_id: t.community_id,
                thread_id: t.id,
                notification: None,
            });
        };
        let entry = AuditEntry {
            community_id: t.community_id,
            actor_id: actor.id,
            action: action.audit_action(),
            target: AuditTarget::Post(post),
            reason,
            at: now(),
        };
        if !self.store.moderate_post(post, change, &entry).await? {
            return Err(AppError::NotFound);
        }
        tracing::info!(community_id = t.community_id.0, "post moderated");
        let notification =
            (action == PostModeration::Announce).then_some(NotificationHook::AnnouncementCreated {
                community_id: t.community_id,
                thread_id: t.id,
                by: actor.id,
            });
        self.deliver(notification.as_ref(), &t.title).await?;
        Ok(Moderated {
            community_id: t.community_id,
            thread_id: t.id,
            notification,
        })
    }

    /// The open reports of a community (organisers).
    pub async fn reports(
        &self,
        actor: &Account,
        id: CommunityId,
    ) -> Result<(Community, Vec<ReportEntry>), AppError> {
        let community = self.community(id).await?;
        self.require_organiser(actor, id).await?;
        Ok((community, self.store.open_reports(id).await?))
    }

    /// The audit log of a community, newest first (organisers).
    pub async fn audit_log(
        &self,
        actor: &Account,
        id: CommunityId,
        limit: i64,
        offset: i64,
    ) -> Result<(Community, Vec<AuditRecord>), AppError> {
        let community = self.community(id).await?;
        self.require_organiser(actor, id).await?;
        Ok((community, self.store.audit_log(id, limit, offset).await?))
    }
}

/// The threads a reader sees, each with how they see it.
pub(crate) fn readable_listings(records: Vec<ThreadRecord>, organiser: bool) -> Vec<ThreadListing> {
    records
        .into_iter()
        .filter_map(|record| {
            let view = thread::thread_view(record.thread.state, organiser, record.reply_count > 0);
            (view != PostView::Absent).then_some(ThreadListing { record, view })
        })
        .collect()
}
