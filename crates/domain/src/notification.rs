//! In-app notifications: what happened, for whom, and whether it was read.

use crate::{Timestamp, UserId};

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    /// An organiser accepted a join request.
    JoinApproved,
    /// A place opened and the person moved from the waitlist to confirmed.
    WaitlistPromoted,
    /// Someone replied to the person's thread.
    ThreadReply,
    /// A community the person belongs to posted an announcement.
    Announcement,
    /// Organisers responded to the person's opinion.
    OpinionAnswered,
    /// A ballot the person may vote in closes soon and they have not voted.
    BallotReminder,
    /// A counsellor took the person's counselling request.
    CounsellingAssigned,
    /// A counsellor wrote in the person's counselling request.
    CounsellingReply,
    /// The member wrote in a counselling request the person counsels.
    CounsellingMemberMessage,
    /// The organisers of a petition the person signed sent a message.
    PetitionMessage,
    /// The person's solidarity-fund claim was paid or turned down.
    FundClaimDecided,
    /// The site operator approved the person's claim of a directory
    /// listing: the community is theirs.
    OrganisationClaimApproved,
    /// The site operator declined the person's claim (or approved someone
    /// else's for the same listing).
    OrganisationClaimDeclined,
    /// A member of the union asked for counselling (to its counsellors).
    CounsellingRequested,
    /// A counsellor closed the member's counselling request.
    CounsellingClosed,
}

impl NotificationKind {
    /// Stable name, stored and used as the message key suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::JoinApproved => "join_approved",
            NotificationKind::WaitlistPromoted => "waitlist_promoted",
            NotificationKind::ThreadReply => "thread_reply",
            NotificationKind::Announcement => "announcement",
            NotificationKind::OpinionAnswered => "opinion_answered",
            NotificationKind::BallotReminder => "ballot_reminder",
            NotificationKind::CounsellingAssigned => "counselling_assigned",
            NotificationKind::CounsellingReply => "counselling_reply",
            NotificationKind::CounsellingMemberMessage => "counselling_member_message",
            NotificationKind::PetitionMessage => "petition_message",
            NotificationKind::FundClaimDecided => "fund_claim_decided",
            NotificationKind::OrganisationClaimApproved => "organisation_claim_approved",
            NotificationKind::OrganisationClaimDeclined => "organisation_claim_declined",
            NotificationKind::CounsellingRequested => "counselling_requested",
            NotificationKind::CounsellingClosed => "counselling_closed",
        }
    }

    /// Every kind.
    pub const ALL: [NotificationKind; 15] = [
        NotificationKind::JoinApproved,
        NotificationKind::WaitlistPromoted,
        NotificationKind::ThreadReply,
        NotificationKind::Announcement,
        NotificationKind::OpinionAnswered,
        NotificationKind::BallotReminder,
        NotificationKind::CounsellingAssigned,
        NotificationKind::CounsellingReply,
        NotificationKind::CounsellingMemberMessage,
        NotificationKind::PetitionMessage,
        NotificationKind::FundClaimDecided,
        NotificationKind::OrganisationClaimApproved,
        NotificationKind::OrganisationClaimDeclined,
        NotificationKind::CounsellingRequested,
        NotificationKind::CounsellingClosed,
    ];

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<NotificationKind> {
        NotificationKind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// A notification as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Id.
    pub id: i64,
    /// Who it is for.
    pub user_id: UserId,
    /// What happened.
    pub kind: NotificationKind,
    /// The name of the thing it is about (community, event or thread), as
    /// it was then.
    pub subject: String,
    /// Where to go to see it (a site-relative path).
    pub link: String,
    /// When it happened.
    pub created_at: Timestamp,
    /// When the person opened it.
    pub read_at: Option<Timestamp>,
}

/// A notification to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    /// What happened.
    pub kind: NotificationKind,
    /// The name of the thing it is about.
    pub subject: String,
    /// A site-relative path; anything else is refused by `NewNotification::new`.
    pub link: String,
}

impl NewNotification {
    /// A notification pointing at a path on this site.
    pub fn new(kind: NotificationKind, subject: &str, link: &str) -> Option<NewNotification> {
        (link.starts_with('/') && !link.starts_with("//")).then(|| NewNotification {
            kind,
            subject: subject.chars().take(200).collect(),
            link: link.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(NotificationKind::parse("spam"), None);
    }

    #[test]
    fn links_stay_on_the_site() {
        assert!(
            NewNotification::new(NotificationKind::JoinApproved, "会", "/communities/1").is_some()
        );
        assert!(
            NewNotification::new(NotificationKind::JoinApproved, "会", "https://evil.example")
                .is_none()
        );
        assert!(
            NewNotification::new(NotificationKind::JoinApproved, "会", "//evil.example").is_none()
        );
    }
}
