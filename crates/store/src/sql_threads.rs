//! Thread, reply, report and audit-log queries shared by both backends (see
//! `sql.rs` for the pattern).

use tsunagari_domain::community::CommunityId;
use tsunagari_domain::moderation::{AuditAction, AuditTarget};
use tsunagari_domain::thread::{PostRef, PostState, Reply, ReplyId, Thread, ThreadId};
use tsunagari_domain::{Timestamp, UserId};

use crate::{AuditRecord, ReplyRecord, ReportEntry, StoreError, StoreResult, ThreadRecord};

/// Columns of a thread with its author's name and visible reply count;
/// needs `FROM threads t LEFT JOIN users u ON u.id = t.author_id`.
pub(crate) const THREAD_COLUMNS: &str = "t.id, t.community_id, t.author_id, u.display_name AS author_name, t.title, t.body, \
     t.state, t.is_announcement, t.is_pinned, t.created_at, t.edited_at, t.last_activity_at, \
     (SELECT COUNT(*) FROM replies r WHERE r.thread_id = t.id AND r.state = 'visible') AS reply_count";

/// A community's threads as listed (`$1` community, `$2` whether hidden and
/// removed ones are included, `$3` limit, `$4` offset); deleted threads stay
/// while they have visible replies.
pub(crate) static LIST_THREADS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT {THREAD_COLUMNS} FROM threads t LEFT JOIN users u ON u.id = t.author_id
         WHERE t.community_id = $1
           AND (t.state = 'visible'
                OR ($2 AND t.state IN ('hidden', 'removed'))
                OR (t.state = 'deleted'
                    AND EXISTS (SELECT 1 FROM replies r2 WHERE r2.thread_id = t.id AND r2.state = 'visible')))
         ORDER BY t.is_pinned DESC, t.last_activity_at DESC, t.id DESC
         LIMIT $3 OFFSET $4"
    )
});

/// Columns of a reply with its author's name; needs
/// `FROM replies r LEFT JOIN users u ON u.id = r.author_id`.
pub(crate) const REPLY_COLUMNS: &str = "r.id, r.thread_id, r.author_id, u.display_name AS author_name, r.body, r.state, r.created_at, r.edited_at";

fn state(text: &str, what: &str, id: i64) -> StoreResult<PostState> {
    PostState::parse(text).ok_or_else(|| StoreError::Corrupt(format!("{what} {id}: invalid state")))
}

#[derive(sqlx::FromRow)]
pub(crate) struct ThreadRow {
    id: i64,
    community_id: i64,
    author_id: Option<i64>,
    author_name: Option<String>,
    title: String,
    body: String,
    state: String,
    is_announcement: bool,
    is_pinned: bool,
    created_at: Timestamp,
    edited_at: Option<Timestamp>,
    last_activity_at: Timestamp,
    reply_count: i64,
}

impl ThreadRow {
    pub(crate) fn into_record(self) -> StoreResult<ThreadRecord> {
        Ok(ThreadRecord {
            thread: Thread {
                id: ThreadId(self.id),
                community_id: CommunityId(self.community_id),
                author_id: self.author_id.map(UserId),
                state: state(&self.state, "thread", self.id)?,
                title: self.title,
                body: self.body,
                is_announcement: self.is_announcement,
                is_pinned: self.is_pinned,
                created_at: self.created_at,
                edited_at: self.edited_at,
                last_activity_at: self.last_activity_at,
            },
            author_name: self.author_name,
            reply_count: self.reply_count,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ReplyRow {
    id: i64,
    thread_id: i64,
    author_id: Option<i64>,
    author_name: Option<String>,
    body: String,
    state: String,
    created_at: Timestamp,
    edited_at: Option<Timestamp>,
}

impl ReplyRow {
    pub(crate) fn into_record(self) -> StoreResult<ReplyRecord> {
        Ok(ReplyRecord {
            reply: Reply {
                id: ReplyId(self.id),
                thread_id: ThreadId(self.thread_id),
                author_id: self.author_id.map(UserId),
                state: state(&self.state, "reply", self.id)?,
                body: self.body,
                created_at: self.created_at,
                edited_at: self.edited_at,
            },
            author_name: self.author_name,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ReportRow {
    id: i64,
    post_kind: String,
    post_id: i64,
    thread_id: Option<i64>,
    body: Option<String>,
    post_state: Option<String>,
    reporter_name: String,
    reason: Option<String>,
    created_at: Timestamp,
}

impl ReportRow {
    pub(crate) fn into_entry(self) -> StoreResult<ReportEntry> {
        let corrupt = || StoreError::Corrupt(format!("report {}: post missing", self.id));
        Ok(ReportEntry {
            id: self.id,
            post: PostRef::parse(&self.post_kind, self.post_id).ok_or_else(corrupt)?,
            thread_id: ThreadId(self.thread_id.ok_or_else(corrupt)?),
            body: self.body.clone().unwrap_or_default(),
            post_state: state(
                self.post_state.as_deref().unwrap_or_default(),
                "report",
                self.id,
            )?,
            reporter_name: self.reporter_name,
            reason: self.reason,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    id: i64,
    actor_name: Option<String>,
    action: String,
    target_kind: String,
    target_id: i64,
    target_name: Option<String>,
    thread_id: Option<i64>,
    reason: Option<String>,
    created_at: Timestamp,
}

impl AuditRow {
    pub(crate) fn into_record(self) -> StoreResult<AuditRecord> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("audit entry {}: invalid {what}", self.id));
        Ok(AuditRecord {
            id: self.id,
            action: AuditAction::parse(&self.action).ok_or_else(|| corrupt("action"))?,
            target: AuditTarget::parse(&self.target_kind, self.target_id)
                .ok_or_else(|| corrupt("target"))?,
            actor_name: self.actor_name,
            target_name: self.target_name,
            thread_id: self.thread_id.map(ThreadId),
            reason: self.reason,
            at: self.created_at,
        })
    }
}

macro_rules! thread_queries {
    ($store:ty, $db:ty) => {
        impl $store {
            async fn insert_audit(
                tx: &mut sqlx::Transaction<'_, $db>,
                entry: &tsunagari_domain::moderation::AuditEntry,
            ) -> $crate::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO audit_log (community_id, actor_id, action, target_kind, target_id, reason, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(entry.community_id.0)
                .bind(entry.actor_id.0)
                .bind(entry.action.as_str())
                .bind(entry.target.kind_str())
                .bind(entry.target.id())
                .bind(&entry.reason)
                .bind(entry.at)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn resolve_reports(
                tx: &mut sqlx::Transaction<'_, $db>,
                post: tsunagari_domain::thread::PostRef,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<()> {
                sqlx::query(
                    "UPDATE post_reports SET resolved_at = $1 WHERE post_kind = $2 AND post_id = $3 AND resolved_at IS NULL",
                )
                .bind(now)
                .bind(post.kind_str())
                .bind(post.id())
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::ThreadStore for $store {
            async fn create_thread(&self, new: &$crate::NewThread) -> $crate::StoreResult<tsunagari_domain::thread::Thread> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO threads (community_id, author_id, title, body, state, is_announcement, is_pinned,
                       created_at, last_activity_at)
                     VALUES ($1, $2, $3, $4, 'visible', $5, $6, $7, $7) RETURNING id",
                )
                .bind(new.community_id.0)
                .bind(new.author_id.0)
                .bind(&new.content.title)
                .bind(&new.content.body)
                .bind(new.is_announcement)
                .bind(new.is_pinned)
                .bind(new.now)
                .fetch_one(&self.pool)
                .await?;
                let record = self
                    .thread(tsunagari_domain::thread::ThreadId(id))
                    .await?
                    .ok_or_else(|| $crate::StoreError::Corrupt(format!("thread {id} vanished after insert")))?;
                Ok(record.thread)
            }

            async fn thread(
                &self,
                id: tsunagari_domain::thread::ThreadId,
            ) -> $crate::StoreResult<Option<$crate::ThreadRecord>> {
                let row: Option<$crate::sql_threads::ThreadRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM threads t LEFT JOIN users u ON u.id = t.author_id WHERE t.id = $1",
                    $crate::sql_threads::THREAD_COLUMNS
                ))
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_threads::ThreadRow::into_record).transpose()
            }

            async fn list_threads(
                &self,
                community: tsunagari_domain::community::CommunityId,
                include_moderated: bool,
                limit: i64,
                offset: i64,
            ) -> $crate::StoreResult<Vec<$crate::ThreadRecord>> {
                let rows: Vec<$crate::sql_threads::ThreadRow> = sqlx::query_as(&$crate::sql_threads::LIST_THREADS)
                .bind(community.0)
                .bind(include_moderated)
                .bind(limit.clamp(1, 200))
                .bind(offset.max(0))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_threads::ThreadRow::into_record).collect()
            }

            async fn edit_thread(
                &self,
                id: tsunagari_domain::thread::ThreadId,
                content: &tsunagari_domain::thread::ThreadContent,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE threads SET title = $1, body = $2, edited_at = $3 WHERE id = $4 AND state = 'visible'",
                )
                .bind(&content.title)
                .bind(&content.body)
                .bind(now)
                .bind(id.0)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn create_reply(
                &self,
                thread: tsunagari_domain::thread::ThreadId,
                author: tsunagari_domain::UserId,
                body: &str,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<tsunagari_domain::thread::Reply> {
                let mut tx = self.pool.begin().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO replies (thread_id, author_id, body, state, created_at)
                     VALUES ($1, $2, $3, 'visible', $4) RETURNING id",
                )
                .bind(thread.0)
                .bind(author.0)
                .bind(body)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("UPDATE threads SET last_activity_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(thread.0)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                let record = self
                    .reply(tsunagari_domain::thread::ReplyId(id))
                    .await?
                    .ok_or_else(|| $crate::StoreError::Corrupt(format!("reply {id} vanished after insert")))?;
                Ok(record.reply)
            }

            async fn reply(
                &self,
                id: tsunagari_domain::thread::ReplyId,
            ) -> $crate::StoreResult<Option<$crate::ReplyRecord>> {
                let row: Option<$crate::sql_threads::ReplyRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM replies r LEFT JOIN users u ON u.id = r.author_id WHERE r.id = $1",
                    $crate::sql_threads::REPLY_COLUMNS
                ))
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_threads::ReplyRow::into_record).transpose()
            }

            async fn replies(
                &self,
                thread: tsunagari_domain::thread::ThreadId,
            ) -> $crate::StoreResult<Vec<$crate::ReplyRecord>> {
                let rows: Vec<$crate::sql_threads::ReplyRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM replies r LEFT JOIN users u ON u.id = r.author_id WHERE r.thread_id = $1 ORDER BY r.id",
                    $crate::sql_threads::REPLY_COLUMNS
                ))
                .bind(thread.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_threads::ReplyRow::into_record).collect()
            }

            async fn edit_reply(
                &self,
                id: tsunagari_domain::thread::ReplyId,
                body: &str,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<bool> {
                let done = sqlx::query("UPDATE replies SET body = $1, edited_at = $2 WHERE id = $3 AND state = 'visible'")
                    .bind(body)
                    .bind(now)
                    .bind(id.0)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn delete_post(
                &self,
                post: tsunagari_domain::thread::PostRef,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<bool> {
                let sql = match post {
                    tsunagari_domain::thread::PostRef::Thread(_) => {
                        "UPDATE threads SET state = 'deleted', title = '', body = '', edited_at = $1
                         WHERE id = $2 AND state <> 'deleted'"
                    }
                    tsunagari_domain::thread::PostRef::Reply(_) => {
                        "UPDATE replies SET state = 'deleted', body = '', edited_at = $1 WHERE id = $2 AND state <> 'deleted'"
                    }
                };
                let done = sqlx::query(sql).bind(now).bind(post.id()).execute(&self.pool).await?;
                Ok(done.rows_affected() == 1)
            }

            async fn add_report(
                &self,
                community: tsunagari_domain::community::CommunityId,
                post: tsunagari_domain::thread::PostRef,
                reporter: tsunagari_domain::UserId,
                reason: Option<&str>,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO post_reports (community_id, post_kind, post_id, reporter_id, reason, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(community.0)
                .bind(post.kind_str())
                .bind(post.id())
                .bind(reporter.0)
                .bind(reason)
                .bind(now)
                .execute(&self.pool)
                .await
                .map_err(|e| $crate::sql::map_unique(e, $crate::Conflict::AlreadyReported))?;
                Ok(())
            }

            async fn open_reports(
                &self,
                community: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<Vec<$crate::ReportEntry>> {
                let rows: Vec<$crate::sql_threads::ReportRow> = sqlx::query_as(
                    "SELECT p.id, p.post_kind, p.post_id, COALESCE(t.id, r.thread_id) AS thread_id,
                       COALESCE(t.body, r.body) AS body, COALESCE(t.state, r.state) AS post_state,
                       u.display_name AS reporter_name, p.reason, p.created_at
                     FROM post_reports p
                     JOIN users u ON u.id = p.reporter_id
                     LEFT JOIN threads t ON p.post_kind = 'thread' AND t.id = p.post_id
                     LEFT JOIN replies r ON p.post_kind = 'reply' AND r.id = p.post_id
                     WHERE p.community_id = $1 AND p.resolved_at IS NULL
                     ORDER BY p.id",
                )
                .bind(community.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_threads::ReportRow::into_entry).collect()
            }

            async fn moderate_post(
                &self,
                post: tsunagari_domain::thread::PostRef,
                change: $crate::PostChange,
                entry: &tsunagari_domain::moderation::AuditEntry,
            ) -> $crate::StoreResult<bool> {
                use tsunagari_domain::thread::{PostRef, PostState};
                let mut tx = self.pool.begin().await?;
                let table = match post {
                    PostRef::Thread(_) => "threads",
                    PostRef::Reply(_) => "replies",
                };
                let changed = match change {
                    $crate::PostChange::State(state) => {
                        let sql = match (post, state) {
                            (PostRef::Thread(_), PostState::Removed) => {
                                "UPDATE threads SET state = $1, title = '', body = '' WHERE id = $2".to_owned()
                            }
                            (PostRef::Reply(_), PostState::Removed) => {
                                "UPDATE replies SET state = $1, body = '' WHERE id = $2".to_owned()
                            }
                            _ => format!("UPDATE {table} SET state = $1 WHERE id = $2"),
                        };
                        let done = sqlx::query(&sql).bind(state.as_str()).bind(post.id()).execute(&mut *tx).await?;
                        if matches!(state, PostState::Hidden | PostState::Removed) {
                            Self::resolve_reports(&mut tx, post, entry.at).await?;
                        }
                        done.rows_affected() == 1
                    }
                    $crate::PostChange::Flags { is_announcement, is_pinned } => {
                        let done = sqlx::query("UPDATE threads SET is_announcement = $1, is_pinned = $2 WHERE id = $3")
                            .bind(is_announcement)
                            .bind(is_pinned)
                            .bind(post.id())
                            .execute(&mut *tx)
                            .await?;
                        matches!(post, PostRef::Thread(_)) && done.rows_affected() == 1
                    }
                    $crate::PostChange::DismissReports => {
                        let exists: Option<i64> = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE id = $1"))
                            .bind(post.id())
                            .fetch_optional(&mut *tx)
                            .await?;
                        Self::resolve_reports(&mut tx, post, entry.at).await?;
                        exists.is_some()
                    }
                };
                if !changed {
                    tx.rollback().await?;
                    return Ok(false);
                }
                Self::insert_audit(&mut tx, entry).await?;
                tx.commit().await?;
                Ok(true)
            }
        }

        #[async_trait::async_trait]
        impl $crate::AuditLogStore for $store {
            async fn append_audit(&self, entry: &tsunagari_domain::moderation::AuditEntry) -> $crate::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                Self::insert_audit(&mut tx, entry).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn audit_log(
                &self,
                community: tsunagari_domain::community::CommunityId,
                limit: i64,
                offset: i64,
            ) -> $crate::StoreResult<Vec<$crate::AuditRecord>> {
                let rows: Vec<$crate::sql_threads::AuditRow> = sqlx::query_as(
                    "SELECT a.id, actor.display_name AS actor_name, a.action, a.target_kind, a.target_id,
                       target.display_name AS target_name,
                       CASE WHEN a.target_kind = 'thread' THEN a.target_id ELSE r.thread_id END AS thread_id,
                       a.reason, a.created_at
                     FROM audit_log a
                     LEFT JOIN users actor ON actor.id = a.actor_id
                     LEFT JOIN users target ON a.target_kind = 'member' AND target.id = a.target_id
                     LEFT JOIN replies r ON a.target_kind = 'reply' AND r.id = a.target_id
                     WHERE a.community_id = $1
                     ORDER BY a.id DESC
                     LIMIT $2 OFFSET $3",
                )
                .bind(community.0)
                .bind(limit.clamp(1, 500))
                .bind(offset.max(0))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_threads::AuditRow::into_record).collect()
            }
        }
    };
}

pub(crate) use thread_queries;
