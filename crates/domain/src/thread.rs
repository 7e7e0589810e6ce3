//! Threads and replies inside a community, and who sees what of them.
//!
//! A post (a thread or a reply) is never deleted from the database: an
//! author's deletion and an organiser's removal both erase the content and
//! keep the row, so replies under a deleted thread still read and the audit
//! log can name what was removed. Hidden posts keep their content and are
//! shown to organisers only, marked as hidden.

use crate::community::CommunityId;
use crate::{Timestamp, UserId};

/// The database id of a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThreadId(pub i64);

/// The database id of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReplyId(pub i64);

/// A thread or a reply: what can be reported, hidden or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostRef {
    /// The opening post of a thread.
    Thread(ThreadId),
    /// A reply.
    Reply(ReplyId),
}

impl PostRef {
    /// `thread` or `reply`, as stored.
    pub fn kind_str(self) -> &'static str {
        match self {
            PostRef::Thread(_) => "thread",
            PostRef::Reply(_) => "reply",
        }
    }

    /// The row id.
    pub fn id(self) -> i64 {
        match self {
            PostRef::Thread(id) => id.0,
            PostRef::Reply(id) => id.0,
        }
    }

    /// Rebuilds a reference from its stored kind and id.
    pub fn parse(kind: &str, id: i64) -> Option<PostRef> {
        match kind {
            "thread" => Some(PostRef::Thread(ThreadId(id))),
            "reply" => Some(PostRef::Reply(ReplyId(id))),
            _ => None,
        }
    }
}

/// Where a post stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostState {
    /// Shown to everyone who can read the community.
    Visible,
    /// Hidden by an organiser: content kept, shown to organisers only.
    Hidden,
    /// Removed by an organiser: content erased, the row kept for the log.
    Removed,
    /// Deleted by its author: content erased.
    Deleted,
}

impl PostState {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            PostState::Visible => "visible",
            PostState::Hidden => "hidden",
            PostState::Removed => "removed",
            PostState::Deleted => "deleted",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<PostState> {
        match name {
            "visible" => Some(PostState::Visible),
            "hidden" => Some(PostState::Hidden),
            "removed" => Some(PostState::Removed),
            "deleted" => Some(PostState::Deleted),
            _ => None,
        }
    }

    /// Whether the content is gone for good.
    pub fn is_erased(self) -> bool {
        matches!(self, PostState::Removed | PostState::Deleted)
    }
}

/// How a reader sees one post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostView {
    /// With its content.
    Shown,
    /// With its content, marked as hidden (organisers only).
    ShownHidden,
    /// Only a notice that it was deleted or removed.
    Notice(PostState),
    /// Not at all.
    Absent,
}

/// How a reader sees a thread: hidden and removed threads disappear for
/// everyone but organisers; a thread its author deleted stays as a
/// "deleted post" stub while it has replies, so they still read.
pub fn thread_view(state: PostState, organiser: bool, has_replies: bool) -> PostView {
    match state {
        PostState::Visible => PostView::Shown,
        PostState::Hidden if organiser => PostView::ShownHidden,
        PostState::Removed if organiser => PostView::Notice(PostState::Removed),
        PostState::Hidden | PostState::Removed => PostView::Absent,
        PostState::Deleted if has_replies => PostView::Notice(PostState::Deleted),
        PostState::Deleted => PostView::Absent,
    }
}

/// How a reader sees a reply: hidden and removed replies disappear for
/// members (organisers see them marked); a reply its author deleted leaves
/// a stub so the conversation still reads.
pub fn reply_view(state: PostState, organiser: bool) -> PostView {
    match state {
        PostState::Visible => PostView::Shown,
        PostState::Hidden if organiser => PostView::ShownHidden,
        PostState::Removed if organiser => PostView::Notice(PostState::Removed),
        PostState::Hidden | PostState::Removed => PostView::Absent,
        PostState::Deleted => PostView::Notice(PostState::Deleted),
    }
}

/// A thread as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    /// Id.
    pub id: ThreadId,
    /// The community it belongs to.
    pub community_id: CommunityId,
    /// Its author; `None` once their account is deleted.
    pub author_id: Option<UserId>,
    /// Title (empty once erased).
    pub title: String,
    /// Markdown body (empty once erased).
    pub body: String,
    /// Where it stands.
    pub state: PostState,
    /// Marked as an announcement by an organiser.
    pub is_announcement: bool,
    /// Pinned to the top of the list by an organiser.
    pub is_pinned: bool,
    /// When it was posted.
    pub created_at: Timestamp,
    /// When its author last edited it.
    pub edited_at: Option<Timestamp>,
    /// When it or its latest reply was posted.
    pub last_activity_at: Timestamp,
}

/// A reply as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// Id.
    pub id: ReplyId,
    /// The thread it answers.
    pub thread_id: ThreadId,
    /// Its author; `None` once their account is deleted.
    pub author_id: Option<UserId>,
    /// Markdown body (empty once erased).
    pub body: String,
    /// Where it stands.
    pub state: PostState,
    /// When it was posted.
    pub created_at: Timestamp,
    /// When its author last edited it.
    pub edited_at: Option<Timestamp>,
}

/// Longest thread title, in characters.
pub const MAX_TITLE_CHARS: usize = 150;
/// Longest post body, in characters.
pub const MAX_BODY_CHARS: usize = 20_000;
/// Longest report reason, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// A field of the thread, reply or report form and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostFieldError {
    /// Title empty, longer than 150 characters or with control characters.
    Title,
    /// Body empty or longer than 20,000 characters.
    Body,
    /// Reason longer than 500 characters.
    Reason,
}

/// A thread's title and body, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadContent {
    /// Title, 1–150 characters.
    pub title: String,
    /// Markdown body, 1–20,000 characters.
    pub body: String,
}

/// The thread form as typed.
#[derive(Debug, Clone, Default)]
pub struct ThreadDraft {
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: String,
}

fn valid_body(body: &str) -> Option<String> {
    let body = body.trim();
    (!body.is_empty() && body.chars().count() <= MAX_BODY_CHARS).then(|| body.to_owned())
}

impl ThreadDraft {
    /// Validates the draft; every problem is reported.
    pub fn validate(&self) -> Result<ThreadContent, Vec<PostFieldError>> {
        let title = self.title.trim();
        let title_ok = !title.is_empty()
            && title.chars().count() <= MAX_TITLE_CHARS
            && !title.chars().any(char::is_control);
        let body = valid_body(&self.body);
        match (title_ok, body) {
            (true, Some(body)) => Ok(ThreadContent {
                title: title.to_owned(),
                body,
            }),
            (title_ok, body) => {
                let mut errors = Vec::new();
                if !title_ok {
                    errors.push(PostFieldError::Title);
                }
                if body.is_none() {
                    errors.push(PostFieldError::Body);
                }
                Err(errors)
            }
        }
    }
}

/// Validates a reply body (1–20,000 characters of Markdown).
pub fn parse_reply_body(body: &str) -> Result<String, PostFieldError> {
    valid_body(body).ok_or(PostFieldError::Body)
}

/// Validates an optional reason given with a report or a moderation
/// action: trimmed, empty means none.
pub fn parse_reason(reason: &str) -> Result<Option<String>, PostFieldError> {
    let reason = reason.trim();
    if reason.is_empty() {
        Ok(None)
    } else if reason.chars().count() > MAX_REASON_CHARS {
        Err(PostFieldError::Reason)
    } else {
        Ok(Some(reason.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_thread() {
        let draft = ThreadDraft {
            title: "  面接の逆質問、何を聞きますか？ ".into(),
            body: "**みなさん**の工夫を教えてください。\n".into(),
        };
        let content = draft.validate().unwrap();
        assert_eq!(content.title, "面接の逆質問、何を聞きますか？");
        assert_eq!(content.body, "**みなさん**の工夫を教えてください。");
    }

    #[test]
    fn titles_and_bodies_are_bounded() {
        let empty = ThreadDraft {
            title: " ".into(),
            body: "".into(),
        };
        assert_eq!(
            empty.validate().unwrap_err(),
            vec![PostFieldError::Title, PostFieldError::Body]
        );
        let long = ThreadDraft {
            title: "あ".repeat(151),
            body: "い".repeat(20_001),
        };
        assert_eq!(
            long.validate().unwrap_err(),
            vec![PostFieldError::Title, PostFieldError::Body]
        );
        let edge = ThreadDraft {
            title: "あ".repeat(150),
            body: "い".repeat(20_000),
        };
        assert!(edge.validate().is_ok());
        let control = ThreadDraft {
            title: "改行\nあり".into(),
            body: "本文".into(),
        };
        assert_eq!(control.validate().unwrap_err(), vec![PostFieldError::Title]);
    }

    #[test]
    fn replies_and_reasons() {
        assert_eq!(
            parse_reply_body(" ありがとうございます "),
            Ok("ありがとうございます".into())
        );
        assert_eq!(parse_reply_body("\n"), Err(PostFieldError::Body));
        assert_eq!(parse_reason("  "), Ok(None));
        assert_eq!(
            parse_reason("個人情報が含まれています"),
            Ok(Some("個人情報が含まれています".into()))
        );
        assert_eq!(parse_reason(&"x".repeat(501)), Err(PostFieldError::Reason));
    }

    #[test]
    fn states_round_trip() {
        for state in [
            PostState::Visible,
            PostState::Hidden,
            PostState::Removed,
            PostState::Deleted,
        ] {
            assert_eq!(PostState::parse(state.as_str()), Some(state));
        }
        assert_eq!(PostRef::parse("reply", 3), Some(PostRef::Reply(ReplyId(3))));
        assert_eq!(PostRef::parse("event", 3), None);
    }

    #[test]
    fn who_sees_what() {
        use PostState::*;
        assert_eq!(thread_view(Visible, false, false), PostView::Shown);
        assert_eq!(thread_view(Hidden, false, true), PostView::Absent);
        assert_eq!(thread_view(Hidden, true, false), PostView::ShownHidden);
        assert_eq!(thread_view(Removed, false, true), PostView::Absent);
        assert_eq!(thread_view(Removed, true, true), PostView::Notice(Removed));
        assert_eq!(thread_view(Deleted, false, true), PostView::Notice(Deleted));
        assert_eq!(thread_view(Deleted, true, false), PostView::Absent);
        assert_eq!(reply_view(Hidden, false), PostView::Absent);
        assert_eq!(reply_view(Hidden, true), PostView::ShownHidden);
        assert_eq!(reply_view(Removed, false), PostView::Absent);
        assert_eq!(reply_view(Deleted, false), PostView::Notice(Deleted));
    }
}
