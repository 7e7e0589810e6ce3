//! The opinion box (意見の反映): members' opinions reach the people who run
//! the community, and every opinion gets a recorded response.
//!
//! The law on worker co-ops (2020) asks for a way for members' opinions to
//! reach management; this is it, and any community's organisers may switch
//! it on. An opinion is *received*; organisers respond, moving it to *under
//! discussion* and finally to *answered*, *adopted* or *declined* (declining
//! needs a reason). Every response is kept, with who gave it and when, so
//! an opinion's status and its time to first response are derived from its
//! history ([`status_of`], [`first_response_at`]) and cannot drift from it.
//!
//! An opinion may be anonymous to other members: the author is still
//! stored, for abuse controls that only the site operator can see, and
//! [`author_shown`] never names them to anyone else — organisers included.

use crate::community::CommunityId;
use crate::{Timestamp, UserId};

/// The database id of an opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OpinionId(pub i64);

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 120;
/// Longest opinion or response, in characters.
pub const MAX_BODY_CHARS: usize = 5_000;
/// Most opinions one member may send to one community in 24 hours,
/// anonymous ones included: knowing the author of every opinion is what
/// lets the box stop a flood that other members cannot trace.
pub const MAX_OPINIONS_PER_DAY: i64 = 5;

/// Where an opinion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OpinionStatus {
    /// Submitted; nobody has responded yet.
    Received,
    /// The organisers are discussing it.
    UnderDiscussion,
    /// Answered.
    Answered,
    /// Taken up: the community will act on it.
    Adopted,
    /// Not taken up, with the reason.
    Declined,
}

impl OpinionStatus {
    /// Every status, in the order an opinion moves through them.
    pub const ALL: [OpinionStatus; 5] = [
        OpinionStatus::Received,
        OpinionStatus::UnderDiscussion,
        OpinionStatus::Answered,
        OpinionStatus::Adopted,
        OpinionStatus::Declined,
    ];

    /// The statuses a response can set (an opinion is only ever *received*
    /// by being submitted).
    pub const RESPONSES: [OpinionStatus; 4] = [
        OpinionStatus::UnderDiscussion,
        OpinionStatus::Answered,
        OpinionStatus::Adopted,
        OpinionStatus::Declined,
    ];

    /// The stable name used in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            OpinionStatus::Received => "received",
            OpinionStatus::UnderDiscussion => "under_discussion",
            OpinionStatus::Answered => "answered",
            OpinionStatus::Adopted => "adopted",
            OpinionStatus::Declined => "declined",
        }
    }

    /// Parses the stable name (hyphens accepted too).
    pub fn parse(name: &str) -> Option<OpinionStatus> {
        let name = name.trim().replace('-', "_");
        OpinionStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Answered, adopted or declined: the organisers have concluded.
    pub fn is_concluded(self) -> bool {
        matches!(
            self,
            OpinionStatus::Answered | OpinionStatus::Adopted | OpinionStatus::Declined
        )
    }
}

/// A field of the opinion or response form and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpinionFieldError {
    /// Title empty or longer than 120 characters.
    Title,
    /// Body empty (where one is needed) or longer than 5,000 characters.
    Body,
    /// A decline without its reason.
    Reason,
    /// Not a status a response can set.
    Status,
}

/// A new opinion, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOpinion {
    /// Title.
    pub title: String,
    /// The opinion itself (plain text; Markdown is not rendered).
    pub body: String,
    /// Hidden from other members and organisers.
    pub anonymous: bool,
}

/// The opinion form as typed.
#[derive(Debug, Clone, Default)]
pub struct OpinionDraft {
    /// Title.
    pub title: String,
    /// The opinion.
    pub body: String,
    /// Whether to hide the author's name.
    pub anonymous: bool,
}

fn text_ok(text: &str, max: usize) -> bool {
    !text.is_empty()
        && text.chars().count() <= max
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

impl OpinionDraft {
    /// Validates the draft; every problem is reported.
    pub fn validate(&self) -> Result<NewOpinion, Vec<OpinionFieldError>> {
        let mut errors = Vec::new();
        let title = self.title.trim();
        if !text_ok(title, MAX_TITLE_CHARS) || title.contains('\n') {
            errors.push(OpinionFieldError::Title);
        }
        let body = self.body.trim();
        if !text_ok(body, MAX_BODY_CHARS) {
            errors.push(OpinionFieldError::Body);
        }
        if errors.is_empty() {
            Ok(NewOpinion {
                title: title.to_owned(),
                body: body.replace("\r\n", "\n"),
                anonymous: self.anonymous,
            })
        } else {
            Err(errors)
        }
    }
}

/// A response, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewResponse {
    /// The status it sets.
    pub status: OpinionStatus,
    /// What the organisers say (the reason, for a decline).
    pub body: String,
}

/// The response form as typed.
#[derive(Debug, Clone, Default)]
pub struct ResponseDraft {
    /// `under_discussion`, `answered`, `adopted` or `declined`.
    pub status: String,
    /// The answer (needed for answered, adopted and declined).
    pub body: String,
}

impl ResponseDraft {
    /// Validates the draft. Moving to *under discussion* may go without a
    /// word; answering and adopting need one, and declining needs its
    /// reason.
    pub fn validate(&self) -> Result<NewResponse, Vec<OpinionFieldError>> {
        let mut errors = Vec::new();
        let status = OpinionStatus::parse(&self.status).filter(|s| *s != OpinionStatus::Received);
        if status.is_none() {
            errors.push(OpinionFieldError::Status);
        }
        let body = self.body.trim();
        if body.is_empty() {
            match status {
                Some(OpinionStatus::Declined) => errors.push(OpinionFieldError::Reason),
                Some(s) if s.is_concluded() => errors.push(OpinionFieldError::Body),
                _ => {}
            }
        } else if !text_ok(body, MAX_BODY_CHARS) {
            errors.push(OpinionFieldError::Body);
        }
        match status {
            Some(status) if errors.is_empty() => Ok(NewResponse {
                status,
                body: body.replace("\r\n", "\n"),
            }),
            _ => Err(errors),
        }
    }
}

/// An opinion as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opinion {
    /// Id.
    pub id: OpinionId,
    /// The community it was sent to.
    pub community_id: CommunityId,
    /// Who wrote it: kept for abuse controls even when anonymous (`None`
    /// once their account is deleted). Never shown for anonymous opinions.
    pub author: Option<UserId>,
    /// Hidden from other members and organisers.
    pub anonymous: bool,
    /// Title.
    pub title: String,
    /// The opinion.
    pub body: String,
    /// When it was submitted.
    pub created_at: Timestamp,
}

/// One response as stored: append-only, with who gave it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionResponse {
    /// Id.
    pub id: i64,
    /// The opinion.
    pub opinion_id: OpinionId,
    /// The status it set.
    pub status: OpinionStatus,
    /// What was said.
    pub body: String,
    /// The organiser (`None` once their account is deleted).
    pub responded_by: Option<UserId>,
    /// When.
    pub created_at: Timestamp,
}

/// An opinion's status: the one its latest response set, or *received*.
/// `history` is in the order the responses were given.
pub fn status_of(history: &[OpinionResponse]) -> OpinionStatus {
    history
        .last()
        .map_or(OpinionStatus::Received, |response| response.status)
}

/// When the first response came, if one has.
pub fn first_response_at(history: &[OpinionResponse]) -> Option<Timestamp> {
    history.iter().map(|response| response.created_at).min()
}

/// How an opinion's author is shown to a viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorShown {
    /// By name (the opinion is not anonymous).
    Named(UserId),
    /// The viewer wrote it.
    Viewer {
        /// Whether others see it without a name.
        anonymous: bool,
    },
    /// Without a name: anonymous to everyone but the site operator.
    Anonymous,
    /// The author deleted their account.
    Gone,
}

/// Who a viewer is told wrote an opinion. An anonymous opinion names its
/// author to nobody but the author: not to members, not to organisers.
pub fn author_shown(opinion: &Opinion, viewer: Option<UserId>) -> AuthorShown {
    match opinion.author {
        Some(author) if Some(author) == viewer => AuthorShown::Viewer {
            anonymous: opinion.anonymous,
        },
        _ if opinion.anonymous => AuthorShown::Anonymous,
        Some(author) => AuthorShown::Named(author),
        None => AuthorShown::Gone,
    }
}

/// A span of time as a person reads it: the largest whole unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elapsed {
    /// Under an hour (at least one minute).
    Minutes(i64),
    /// Under two days.
    Hours(i64),
    /// Two days or more.
    Days(i64),
}

impl Elapsed {
    /// The span between two times (none is shown as one minute).
    pub fn between(from: Timestamp, to: Timestamp) -> Elapsed {
        Elapsed::of_seconds((to - from).num_seconds())
    }

    /// A span given in seconds.
    pub fn of_seconds(seconds: i64) -> Elapsed {
        let minutes = seconds.max(0) / 60;
        if minutes < 60 {
            Elapsed::Minutes(minutes.max(1))
        } else if minutes < 48 * 60 {
            Elapsed::Hours(minutes / 60)
        } else {
            Elapsed::Days(minutes / (24 * 60))
        }
    }
}

/// What organisers see of how the box is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpinionFigures {
    /// Opinions submitted.
    pub total: u64,
    /// Opinions with at least one response.
    pub responded: u64,
    /// Opinions answered, adopted or declined.
    pub concluded: u64,
    /// The median time from submission to first response, in seconds,
    /// over the opinions that have one.
    pub median_first_response_secs: Option<i64>,
}

impl OpinionFigures {
    /// The figures of a community's opinions, each given as its submission
    /// time, first response time and status.
    pub fn of(opinions: &[(Timestamp, Option<Timestamp>, OpinionStatus)]) -> OpinionFigures {
        let mut delays: Vec<i64> = opinions
            .iter()
            .filter_map(|(created, first, _)| first.map(|f| (f - *created).num_seconds().max(0)))
            .collect();
        delays.sort_unstable();
        let median = match delays.len() {
            0 => None,
            n if n % 2 == 1 => Some(delays[n / 2]),
            n => Some((delays[n / 2 - 1] + delays[n / 2]) / 2),
        };
        OpinionFigures {
            total: opinions.len() as u64,
            responded: delays.len() as u64,
            concluded: opinions.iter().filter(|(_, _, s)| s.is_concluded()).count() as u64,
            median_first_response_secs: median,
        }
    }

    /// The share of opinions answered, adopted or declined, in whole percent
    /// (rounded down, so 100 means every one).
    pub fn concluded_percent(&self) -> Option<u64> {
        (self.total > 0).then(|| self.concluded * 100 / self.total)
    }

    /// The share of opinions with a response, in whole percent (rounded down).
    pub fn responded_percent(&self) -> Option<u64> {
        (self.total > 0).then(|| self.responded * 100 / self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};
    use proptest::prelude::*;

    fn at(minutes: i64) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn response(status: OpinionStatus, minutes: i64) -> OpinionResponse {
        OpinionResponse {
            id: minutes,
            opinion_id: OpinionId(1),
            status,
            body: "検討します".into(),
            responded_by: Some(UserId(1)),
            created_at: at(minutes),
        }
    }

    #[test]
    fn statuses_round_trip() {
        for status in OpinionStatus::ALL {
            assert_eq!(OpinionStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(
            OpinionStatus::parse("under-discussion"),
            Some(OpinionStatus::UnderDiscussion)
        );
        assert_eq!(OpinionStatus::parse("ignored"), None);
    }

    #[test]
    fn opinions_need_a_title_and_a_body() {
        let ok = OpinionDraft {
            title: " 夜勤の人数を増やしてほしい ".into(),
            body: "週末の夜勤が二人体制だと休憩が取れません。\r\n三人にできないでしょうか。".into(),
            anonymous: true,
        }
        .validate()
        .unwrap();
        assert_eq!(ok.title, "夜勤の人数を増やしてほしい");
        assert!(ok.anonymous && !ok.body.contains('\r'));
        let bad = OpinionDraft {
            title: "あ".repeat(121),
            body: "  ".into(),
            anonymous: false,
        };
        assert_eq!(
            bad.validate().unwrap_err(),
            vec![OpinionFieldError::Title, OpinionFieldError::Body]
        );
    }

    #[test]
    fn responses_need_words_except_to_start_a_discussion() {
        let draft = |status: &str, body: &str| ResponseDraft {
            status: status.into(),
            body: body.into(),
        };
        assert_eq!(
            draft("under_discussion", "").validate().unwrap().status,
            OpinionStatus::UnderDiscussion
        );
        assert_eq!(
            draft("declined", "").validate().unwrap_err(),
            vec![OpinionFieldError::Reason]
        );
        assert_eq!(
            draft("answered", " ").validate().unwrap_err(),
            vec![OpinionFieldError::Body]
        );
        assert_eq!(
            draft("received", "もう一度").validate().unwrap_err(),
            vec![OpinionFieldError::Status]
        );
        assert_eq!(
            draft("", "").validate().unwrap_err(),
            vec![OpinionFieldError::Status]
        );
        assert_eq!(
            draft("adopted", "来月から三人体制にします。")
                .validate()
                .unwrap()
                .status,
            OpinionStatus::Adopted
        );
    }

    #[test]
    fn status_and_first_response_come_from_the_history() {
        assert_eq!(status_of(&[]), OpinionStatus::Received);
        assert_eq!(first_response_at(&[]), None);
        let history = vec![
            response(OpinionStatus::UnderDiscussion, 60 * 50),
            response(OpinionStatus::Adopted, 60 * 24 * 9),
        ];
        assert_eq!(status_of(&history), OpinionStatus::Adopted);
        assert_eq!(first_response_at(&history), Some(at(60 * 50)));
        assert_eq!(Elapsed::between(at(0), at(60 * 50)), Elapsed::Days(2));
        assert_eq!(Elapsed::between(at(0), at(0)), Elapsed::Minutes(1));
        assert_eq!(Elapsed::between(at(0), at(59)), Elapsed::Minutes(59));
        assert_eq!(Elapsed::between(at(0), at(60)), Elapsed::Hours(1));
        assert_eq!(
            Elapsed::between(at(0), at(60 * 47 + 59)),
            Elapsed::Hours(47)
        );
    }

    #[test]
    fn anonymous_authors_are_named_to_nobody_else() {
        let opinion = Opinion {
            id: OpinionId(1),
            community_id: CommunityId(1),
            author: Some(UserId(7)),
            anonymous: true,
            title: "t".into(),
            body: "b".into(),
            created_at: at(0),
        };
        assert_eq!(
            author_shown(&opinion, Some(UserId(7))),
            AuthorShown::Viewer { anonymous: true }
        );
        for viewer in [None, Some(UserId(1)), Some(UserId(8))] {
            assert_eq!(author_shown(&opinion, viewer), AuthorShown::Anonymous);
        }
        let named = Opinion {
            anonymous: false,
            ..opinion.clone()
        };
        assert_eq!(
            author_shown(&named, Some(UserId(1))),
            AuthorShown::Named(UserId(7))
        );
        let gone = Opinion {
            author: None,
            ..named
        };
        assert_eq!(author_shown(&gone, Some(UserId(1))), AuthorShown::Gone);
        let gone_anonymous = Opinion {
            author: None,
            ..opinion
        };
        assert_eq!(author_shown(&gone_anonymous, None), AuthorShown::Anonymous);
    }

    #[test]
    fn figures() {
        assert_eq!(OpinionFigures::of(&[]), OpinionFigures::default());
        assert_eq!(OpinionFigures::default().concluded_percent(), None);
        let figures = OpinionFigures::of(&[
            (at(0), Some(at(60)), OpinionStatus::Answered),
            (at(0), Some(at(180)), OpinionStatus::UnderDiscussion),
            (at(0), None, OpinionStatus::Received),
        ]);
        assert_eq!(figures.total, 3);
        assert_eq!(figures.responded, 2);
        assert_eq!(figures.concluded, 1);
        assert_eq!(figures.median_first_response_secs, Some(120 * 60));
        assert_eq!(figures.concluded_percent(), Some(33));
        assert_eq!(figures.responded_percent(), Some(66));
    }

    proptest! {
        #[test]
        fn figure_invariants(items in proptest::collection::vec((0..10_000i64, proptest::option::of(0..100_000i64), 0..5usize), 0..60)) {
            let opinions: Vec<(Timestamp, Option<Timestamp>, OpinionStatus)> = items
                .iter()
                .map(|(created, delay, status)| {
                    let status = if delay.is_none() { OpinionStatus::Received } else { OpinionStatus::ALL[*status] };
                    (at(*created), delay.map(|d| at(*created + d)), status)
                })
                .collect();
            let figures = OpinionFigures::of(&opinions);
            prop_assert_eq!(figures.total, opinions.len() as u64);
            prop_assert!(figures.concluded <= figures.responded && figures.responded <= figures.total);
            let delays: Vec<i64> = items.iter().filter_map(|(_, d, _)| d.map(|d| d * 60)).collect();
            match figures.median_first_response_secs {
                None => prop_assert!(delays.is_empty()),
                Some(median) => {
                    prop_assert!(median >= *delays.iter().min().unwrap() && median <= *delays.iter().max().unwrap());
                    let below = delays.iter().filter(|d| **d < median).count();
                    let above = delays.iter().filter(|d| **d > median).count();
                    prop_assert!(below * 2 <= delays.len() && above * 2 <= delays.len(), "half on each side");
                }
            }
            if let Some(percent) = figures.concluded_percent() {
                prop_assert!(percent <= 100);
            }
        }
    }
}
