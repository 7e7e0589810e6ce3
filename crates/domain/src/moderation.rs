//! Moderation: what organisers do to posts and members, as recorded in a
//! community's append-only audit log.

use crate::community::CommunityId;
use crate::thread::PostRef;
use crate::{Timestamp, UserId};

/// Something an organiser did that the audit log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// A post was hidden (organisers still see it).
    PostHidden,
    /// A hidden post was shown again.
    PostUnhidden,
    /// A post's content was removed.
    PostRemoved,
    /// The open reports on a post were dismissed.
    ReportsDismissed,
    /// A thread was pinned.
    ThreadPinned,
    /// A thread was unpinned.
    ThreadUnpinned,
    /// A thread was marked as an announcement.
    AnnouncementMarked,
    /// A thread was no longer an announcement.
    AnnouncementUnmarked,
    /// A join request was accepted.
    MemberAccepted,
    /// A join request was declined.
    MemberDeclined,
    /// A member became an organiser.
    MemberPromoted,
    /// An organiser became a plain member.
    MemberDemoted,
    /// A member was removed (they may rejoin).
    MemberRemoved,
    /// A member was removed and barred.
    MemberBanned,
    /// A ban was lifted.
    MemberUnbanned,
    /// The owner handed the community to another member.
    OwnershipTransferred,
}

impl AuditAction {
    /// Every action, for round-trip tests and translation checks.
    pub const ALL: [AuditAction; 16] = [
        AuditAction::PostHidden,
        AuditAction::PostUnhidden,
        AuditAction::PostRemoved,
        AuditAction::ReportsDismissed,
        AuditAction::ThreadPinned,
        AuditAction::ThreadUnpinned,
        AuditAction::AnnouncementMarked,
        AuditAction::AnnouncementUnmarked,
        AuditAction::MemberAccepted,
        AuditAction::MemberDeclined,
        AuditAction::MemberPromoted,
        AuditAction::MemberDemoted,
        AuditAction::MemberRemoved,
        AuditAction::MemberBanned,
        AuditAction::MemberUnbanned,
        AuditAction::OwnershipTransferred,
    ];

    /// Stable name, as stored and in message keys (`audit-post-hidden`).
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::PostHidden => "post_hidden",
            AuditAction::PostUnhidden => "post_unhidden",
            AuditAction::PostRemoved => "post_removed",
            AuditAction::ReportsDismissed => "reports_dismissed",
            AuditAction::ThreadPinned => "thread_pinned",
            AuditAction::ThreadUnpinned => "thread_unpinned",
            AuditAction::AnnouncementMarked => "announcement_marked",
            AuditAction::AnnouncementUnmarked => "announcement_unmarked",
            AuditAction::MemberAccepted => "member_accepted",
            AuditAction::MemberDeclined => "member_declined",
            AuditAction::MemberPromoted => "member_promoted",
            AuditAction::MemberDemoted => "member_demoted",
            AuditAction::MemberRemoved => "member_removed",
            AuditAction::MemberBanned => "member_banned",
            AuditAction::MemberUnbanned => "member_unbanned",
            AuditAction::OwnershipTransferred => "ownership_transferred",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// What an audit entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditTarget {
    /// A thread or a reply.
    Post(PostRef),
    /// A member (or someone who asked to join).
    Member(UserId),
}

impl AuditTarget {
    /// `thread`, `reply` or `member`, as stored.
    pub fn kind_str(self) -> &'static str {
        match self {
            AuditTarget::Post(post) => post.kind_str(),
            AuditTarget::Member(_) => "member",
        }
    }

    /// The row id of the target.
    pub fn id(self) -> i64 {
        match self {
            AuditTarget::Post(post) => post.id(),
            AuditTarget::Member(user) => user.0,
        }
    }

    /// Rebuilds a target from its stored kind and id.
    pub fn parse(kind: &str, id: i64) -> Option<AuditTarget> {
        match kind {
            "member" => Some(AuditTarget::Member(UserId(id))),
            other => PostRef::parse(other, id).map(AuditTarget::Post),
        }
    }
}

/// One line of a community's audit log, to be appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The community.
    pub community_id: CommunityId,
    /// Who acted.
    pub actor_id: UserId,
    /// What they did.
    pub action: AuditAction,
    /// To what or whom.
    pub target: AuditTarget,
    /// Why, when they said.
    pub reason: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// What an organiser does to a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostModeration {
    /// Hide it from members.
    Hide,
    /// Show a hidden post again.
    Unhide,
    /// Erase its content for good.
    Remove,
    /// Close the open reports without changing the post.
    Dismiss,
    /// Pin a thread to the top.
    Pin,
    /// Unpin a thread.
    Unpin,
    /// Mark a thread as an announcement.
    Announce,
    /// Make an announcement an ordinary thread.
    Unannounce,
}

impl PostModeration {
    /// Parses the form and API name.
    pub fn parse(name: &str) -> Option<PostModeration> {
        Some(match name.trim() {
            "hide" => PostModeration::Hide,
            "unhide" => PostModeration::Unhide,
            "remove" => PostModeration::Remove,
            "dismiss" => PostModeration::Dismiss,
            "pin" => PostModeration::Pin,
            "unpin" => PostModeration::Unpin,
            "announce" => PostModeration::Announce,
            "unannounce" => PostModeration::Unannounce,
            _ => return None,
        })
    }

    /// Whether the action applies to threads only.
    pub fn threads_only(self) -> bool {
        matches!(
            self,
            PostModeration::Pin
                | PostModeration::Unpin
                | PostModeration::Announce
                | PostModeration::Unannounce
        )
    }

    /// The audit action it is logged as.
    pub fn audit_action(self) -> AuditAction {
        match self {
            PostModeration::Hide => AuditAction::PostHidden,
            PostModeration::Unhide => AuditAction::PostUnhidden,
            PostModeration::Remove => AuditAction::PostRemoved,
            PostModeration::Dismiss => AuditAction::ReportsDismissed,
            PostModeration::Pin => AuditAction::ThreadPinned,
            PostModeration::Unpin => AuditAction::ThreadUnpinned,
            PostModeration::Announce => AuditAction::AnnouncementMarked,
            PostModeration::Unannounce => AuditAction::AnnouncementUnmarked,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::thread::{ReplyId, ThreadId};

    #[test]
    fn actions_round_trip() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(AuditAction::parse("post_edited"), None);
    }

    #[test]
    fn targets_round_trip() {
        for target in [
            AuditTarget::Member(UserId(7)),
            AuditTarget::Post(PostRef::Thread(ThreadId(3))),
            AuditTarget::Post(PostRef::Reply(ReplyId(4))),
        ] {
            assert_eq!(
                AuditTarget::parse(target.kind_str(), target.id()),
                Some(target)
            );
        }
    }

    #[test]
    fn moderation_names() {
        assert_eq!(PostModeration::parse("hide"), Some(PostModeration::Hide));
        assert_eq!(PostModeration::parse("delete"), None);
        assert!(PostModeration::Pin.threads_only() && !PostModeration::Remove.threads_only());
        assert_eq!(
            PostModeration::Remove.audit_action(),
            AuditAction::PostRemoved
        );
    }
}
