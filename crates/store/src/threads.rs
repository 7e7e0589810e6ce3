//! Threads, replies, reports and the audit log: records and the store
//! traits. The SQL is in `sql_threads.rs`, shared by both backends.

use async_trait::async_trait;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::moderation::{AuditAction, AuditEntry, AuditTarget};
use tsunagari_domain::thread::{
    PostRef, PostState, Reply, ReplyId, Thread, ThreadContent, ThreadId,
};
use tsunagari_domain::{Timestamp, UserId};

use crate::StoreResult;

/// A thread with what a list or page shows beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadRecord {
    /// The thread.
    pub thread: Thread,
    /// The author's display name; `None` once the account is deleted.
    pub author_name: Option<String>,
    /// Visible replies.
    pub reply_count: i64,
}

/// A reply with its author's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRecord {
    /// The reply.
    pub reply: Reply,
    /// The author's display name; `None` once the account is deleted.
    pub author_name: Option<String>,
}

/// A new thread.
#[derive(Debug, Clone)]
pub struct NewThread {
    /// Where.
    pub community_id: CommunityId,
    /// Who.
    pub author_id: UserId,
    /// Title and body.
    pub content: ThreadContent,
    /// Marked as an announcement.
    pub is_announcement: bool,
    /// Pinned.
    pub is_pinned: bool,
    /// When.
    pub now: Timestamp,
}

/// An open report, as organisers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportEntry {
    /// Report id.
    pub id: i64,
    /// The reported post.
    pub post: PostRef,
    /// The thread the post is (or is in).
    pub thread_id: ThreadId,
    /// The post's current body.
    pub body: String,
    /// The post's current state.
    pub post_state: PostState,
    /// Who reported.
    pub reporter_name: String,
    /// Why, when given.
    pub reason: Option<String>,
    /// When.
    pub created_at: Timestamp,
}

/// A change an organiser makes to a post, applied together with its audit
/// entry in one transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostChange {
    /// New state; `Removed` also erases the content. Hiding and removing
    /// close the post's open reports.
    State(PostState),
    /// New announcement and pinned flags of a thread.
    Flags {
        /// Announcement.
        is_announcement: bool,
        /// Pinned.
        is_pinned: bool,
    },
    /// Close the post's open reports only.
    DismissReports,
}

/// A line of the audit log as read back, with names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Id (ascending in time).
    pub id: i64,
    /// Who acted (`None` when the account no longer exists).
    pub actor_name: Option<String>,
    /// What.
    pub action: AuditAction,
    /// To what or whom.
    pub target: AuditTarget,
    /// The member's name, for member targets whose account still exists.
    pub target_name: Option<String>,
    /// The thread a post target is or belongs to.
    pub thread_id: Option<ThreadId>,
    /// Why, when given.
    pub reason: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// Threads, replies and reports.
#[async_trait]
pub trait ThreadStore: Send + Sync {
    /// Posts a thread.
    async fn create_thread(&self, thread: &NewThread) -> StoreResult<Thread>;
    /// A thread by id, in any state.
    async fn thread(&self, id: ThreadId) -> StoreResult<Option<ThreadRecord>>;
    /// A community's threads, pinned first, then by latest activity.
    /// Visible threads and deleted ones that still have replies are always
    /// listed; hidden and removed ones only with `include_moderated`.
    async fn list_threads(
        &self,
        community: CommunityId,
        include_moderated: bool,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<ThreadRecord>>;
    /// Saves an author's edit of a visible thread; false when there is no
    /// visible thread with that id.
    async fn edit_thread(
        &self,
        id: ThreadId,
        content: &ThreadContent,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// Replies to a thread and moves its last activity.
    async fn create_reply(
        &self,
        thread: ThreadId,
        author: UserId,
        body: &str,
        now: Timestamp,
    ) -> StoreResult<Reply>;
    /// A reply by id, in any state.
    async fn reply(&self, id: ReplyId) -> StoreResult<Option<ReplyRecord>>;
    /// All replies of a thread, oldest first, in any state.
    async fn replies(&self, thread: ThreadId) -> StoreResult<Vec<ReplyRecord>>;
    /// Saves an author's edit of a visible reply; false when there is none.
    async fn edit_reply(&self, id: ReplyId, body: &str, now: Timestamp) -> StoreResult<bool>;
    /// An author deletes their post: the content is erased, the row stays.
    async fn delete_post(&self, post: PostRef, now: Timestamp) -> StoreResult<bool>;
    /// Records a report; `Conflict::AlreadyReported` when this person
    /// already reported this post.
    async fn add_report(
        &self,
        community: CommunityId,
        post: PostRef,
        reporter: UserId,
        reason: Option<&str>,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// A community's open reports, oldest first.
    async fn open_reports(&self, community: CommunityId) -> StoreResult<Vec<ReportEntry>>;
    /// Applies an organiser's change to a post and appends its audit entry,
    /// atomically; false (and nothing written) when the post does not exist.
    async fn moderate_post(
        &self,
        post: PostRef,
        change: PostChange,
        entry: &AuditEntry,
    ) -> StoreResult<bool>;
}

/// The append-only audit log. There is deliberately no method to change or
/// delete an entry, and the schema refuses it too.
#[async_trait]
pub trait AuditLogStore: Send + Sync {
    /// Appends an entry.
    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// A community's log, newest first.
    async fn audit_log(
        &self,
        community: CommunityId,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<AuditRecord>>;
}
