//! Career-counselling requests to a union's counsellors.
//!
//! A member asks (a topic, a preferred channel, preferred times); the
//! union's counsellors see a queue, assign a request to one of them,
//! converse with the member in a private thread and close it with a
//! summary. Counsellors are named by the organisers; being an organiser
//! does not make someone a counsellor — running a union and hearing a
//! member's career worries in confidence are different roles, and a member
//! should know exactly who can read their request.
//!
//! Who sees what: the member sees their own requests; every counsellor of
//! the union sees the queue and the threads (so a colleague can take over);
//! the member's contact details (the phone number for a phone call) are
//! shown to the assigned counsellor only. Organisers who are not
//! counsellors see none of it, only the union's response-time figures,
//! which are shown only when based on at least `MIN_FIGURE_BASE` requests.

use chrono::Duration;

use crate::community::CommunityId;
use crate::{Timestamp, UserId};

/// The database id of a counselling request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub i64);

/// Longest topic text, in characters.
pub const MAX_TOPIC_CHARS: usize = 2_000;
/// Longest contact detail, in characters.
pub const MAX_CONTACT_CHARS: usize = 200;
/// Longest preferred-times text, in characters.
pub const MAX_TIMES_CHARS: usize = 500;
/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 5_000;
/// Longest closing summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 2_000;
/// Fewest requests a response-time figure may be based on, so that no
/// single case can be read from it: the product's smallest group for any
/// aggregate (k-anonymity, 10).
pub const MIN_FIGURE_BASE: usize = 10;

/// What the member wants to talk about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TopicCategory {
    /// Changing jobs or careers.
    CareerChange,
    /// Skills, qualifications, learning.
    Skills,
    /// Trouble or questions at the workplace.
    Workplace,
    /// Balancing work with care, health or family.
    WorkLife,
    /// Finding work again after a job ended.
    Reemployment,
    /// Anything else.
    Other,
}

impl TopicCategory {
    /// Every category, in form order.
    pub const ALL: [TopicCategory; 6] = [
        TopicCategory::CareerChange,
        TopicCategory::Skills,
        TopicCategory::Workplace,
        TopicCategory::WorkLife,
        TopicCategory::Reemployment,
        TopicCategory::Other,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            TopicCategory::CareerChange => "career_change",
            TopicCategory::Skills => "skills",
            TopicCategory::Workplace => "workplace",
            TopicCategory::WorkLife => "work_life",
            TopicCategory::Reemployment => "reemployment",
            TopicCategory::Other => "other",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<TopicCategory> {
        TopicCategory::ALL
            .into_iter()
            .find(|c| c.as_str() == name.trim())
    }
}

/// How the member would like to talk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// In the request's private thread in the app.
    Chat,
    /// A phone call (a number is needed).
    Phone,
    /// A video call.
    Video,
}

impl Channel {
    /// Every channel, in form order.
    pub const ALL: [Channel; 3] = [Channel::Chat, Channel::Phone, Channel::Video];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Chat => "chat",
            Channel::Phone => "phone",
            Channel::Video => "video",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == name.trim())
    }
}

/// A field of the request form and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CounsellingFieldError {
    /// Not a category.
    Category,
    /// Topic empty or too long.
    Topic,
    /// Not a channel.
    Channel,
    /// A phone call without a phone number, or a contact that is malformed
    /// or too long.
    Contact,
    /// Preferred times too long.
    PreferredTimes,
    /// A message empty or too long.
    Message,
    /// A closing summary empty or too long.
    Summary,
}

/// The request form as typed.
#[derive(Debug, Clone, Default)]
pub struct RequestDraft {
    /// Category name.
    pub category: String,
    /// What it is about.
    pub topic: String,
    /// Channel name.
    pub channel: String,
    /// A phone number (phone) or how to reach them for a video call.
    pub contact: String,
    /// When they can talk (free text).
    pub preferred_times: String,
}

/// A request's content, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestDetails {
    /// What it is about.
    pub category: TopicCategory,
    /// In the member's words.
    pub topic: String,
    /// How they would like to talk.
    pub channel: Channel,
    /// A phone number for a phone call, or an optional note on how to join
    /// a video call; never kept for chat.
    pub contact: Option<String>,
    /// When they can talk.
    pub preferred_times: String,
}

fn text_ok(text: &str, max: usize, required: bool) -> bool {
    (!required || !text.is_empty())
        && text.chars().count() <= max
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// A phone number as people write it in Japan: digits (half- or
/// full-width), optionally a leading `+`, with hyphens, spaces or
/// brackets; 10 to 15 digits.
pub fn parse_phone(text: &str) -> Option<String> {
    let text: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10).unwrap_or(c),
            '－' | 'ー' | '‐' => '-',
            '（' => '(',
            '）' => ')',
            '＋' => '+',
            '　' => ' ',
            other => other,
        })
        .collect();
    let body = text.strip_prefix('+').unwrap_or(&text);
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')'))
    {
        return None;
    }
    let digits = body.chars().filter(char::is_ascii_digit).count();
    (10..=15).contains(&digits).then_some(text)
}

impl RequestDraft {
    /// Validates the draft; every problem is reported.
    pub fn validate(&self) -> Result<RequestDetails, Vec<CounsellingFieldError>> {
        let mut errors = Vec::new();
        let category = TopicCategory::parse(&self.category);
        if category.is_none() {
            errors.push(CounsellingFieldError::Category);
        }
        let topic = self.topic.trim();
        if !text_ok(topic, MAX_TOPIC_CHARS, true) {
            errors.push(CounsellingFieldError::Topic);
        }
        let channel = Channel::parse(&self.channel);
        if channel.is_none() {
            errors.push(CounsellingFieldError::Channel);
        }
        let contact_text = self.contact.trim();
        let contact = match channel {
            Some(Channel::Phone) => {
                let phone = parse_phone(contact_text);
                if phone.is_none() {
                    errors.push(CounsellingFieldError::Contact);
                }
                phone
            }
            Some(Channel::Video) if !contact_text.is_empty() => {
                if text_ok(contact_text, MAX_CONTACT_CHARS, true) && !contact_text.contains('\n') {
                    Some(contact_text.to_owned())
                } else {
                    errors.push(CounsellingFieldError::Contact);
                    None
                }
            }
            _ => None,
        };
        let preferred_times = self.preferred_times.trim();
        if !text_ok(preferred_times, MAX_TIMES_CHARS, false) {
            errors.push(CounsellingFieldError::PreferredTimes);
        }
        match (category, channel) {
            (Some(category), Some(channel)) if errors.is_empty() => Ok(RequestDetails {
                category,
                topic: topic.to_owned(),
                channel,
                contact,
                preferred_times: preferred_times.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

/// Validates a message in a request's thread.
pub fn validate_message(body: &str) -> Result<String, CounsellingFieldError> {
    let body = body.trim();
    if text_ok(body, MAX_MESSAGE_CHARS, true) {
        Ok(body.to_owned())
    } else {
        Err(CounsellingFieldError::Message)
    }
}

/// Validates a closing summary.
pub fn validate_summary(summary: &str) -> Result<String, CounsellingFieldError> {
    let summary = summary.trim();
    if text_ok(summary, MAX_SUMMARY_CHARS, true) {
        Ok(summary.to_owned())
    } else {
        Err(CounsellingFieldError::Summary)
    }
}

/// Where a request stands, derived from what is stored: closed when it has
/// been closed, assigned while a counsellor holds it, otherwise waiting in
/// the queue (also when its counsellor left, so nobody is forgotten).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestStatus {
    /// In the queue, no counsellor yet.
    Unassigned,
    /// A counsellor has it.
    Assigned,
    /// Closed with a summary.
    Closed,
}

impl RequestStatus {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Unassigned => "unassigned",
            RequestStatus::Assigned => "assigned",
            RequestStatus::Closed => "closed",
        }
    }
}

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounsellingRequest {
    /// Id.
    pub id: RequestId,
    /// The union.
    pub community_id: CommunityId,
    /// Who asked.
    pub member: UserId,
    /// What they asked.
    pub details: RequestDetails,
    /// The counsellor who holds it.
    pub assigned_to: Option<UserId>,
    /// When it was first assigned.
    pub assigned_at: Option<Timestamp>,
    /// When a counsellor first wrote in its thread.
    pub first_response_at: Option<Timestamp>,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
    /// The closing summary.
    pub summary: Option<String>,
    /// When it was made.
    pub created_at: Timestamp,
}

impl CounsellingRequest {
    /// Where it stands.
    pub fn status(&self) -> RequestStatus {
        if self.closed_at.is_some() {
            RequestStatus::Closed
        } else if self.assigned_to.is_some() {
            RequestStatus::Assigned
        } else {
            RequestStatus::Unassigned
        }
    }

    /// The contact detail when `viewer` may see it: the member themself
    /// and the assigned counsellor only.
    pub fn contact_for(&self, viewer: UserId) -> Option<&str> {
        let allowed = viewer == self.member || self.assigned_to == Some(viewer);
        self.details.contact.as_deref().filter(|_| allowed)
    }
}

/// Why something is refused on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CounsellingRefusal {
    /// Only the member and the union's counsellors see a request.
    #[error("not the member or a counsellor")]
    NotParticipant,
    /// Only counsellors assign and close.
    #[error("not a counsellor")]
    NotCounsellor,
    /// The request is closed.
    #[error("the request is closed")]
    Closed,
}

/// Who may read a request (and write in its thread while it is open).
pub fn may_read(request: &CounsellingRequest, viewer: UserId, is_counsellor: bool) -> bool {
    viewer == request.member || is_counsellor
}

/// Whether `viewer` may write in the thread now.
pub fn may_write(
    request: &CounsellingRequest,
    viewer: UserId,
    is_counsellor: bool,
) -> Result<(), CounsellingRefusal> {
    if !may_read(request, viewer, is_counsellor) {
        Err(CounsellingRefusal::NotParticipant)
    } else if request.status() == RequestStatus::Closed {
        Err(CounsellingRefusal::Closed)
    } else {
        Ok(())
    }
}

/// Whether a counsellor may assign or close the request now. A member who
/// is also a counsellor does not counsel themself.
pub fn may_handle(
    request: &CounsellingRequest,
    actor: UserId,
    is_counsellor: bool,
) -> Result<(), CounsellingRefusal> {
    if !is_counsellor || actor == request.member {
        Err(CounsellingRefusal::NotCounsellor)
    } else if request.status() == RequestStatus::Closed {
        Err(CounsellingRefusal::Closed)
    } else {
        Ok(())
    }
}

/// The times a request's figures are computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestTimes {
    /// Made.
    pub created_at: Timestamp,
    /// First assigned.
    pub assigned_at: Option<Timestamp>,
    /// First counsellor message.
    pub first_response_at: Option<Timestamp>,
    /// Whether it is closed.
    pub closed: bool,
}

/// A union's response-time figures. Each is `None` when fewer than
/// `MIN_FIGURE_BASE` requests stand behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResponseFigures {
    /// Requests ever made (shown only with a large enough base).
    pub requests: Option<usize>,
    /// Requests not closed.
    pub open: Option<usize>,
    /// Median time from request to assignment, over assigned requests.
    pub median_to_assignment: Option<Duration>,
    /// Median time from request to the first counsellor message.
    pub median_to_first_response: Option<Duration>,
}

/// The median of some durations (the mean of the middle two for an even
/// count), `None` for none.
pub fn median(values: &mut [Duration]) -> Option<Duration> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2
    })
}

/// The union's figures from its requests' times.
pub fn response_figures(requests: &[RequestTimes]) -> ResponseFigures {
    let enough = |n: usize| n >= MIN_FIGURE_BASE;
    let mut to_assignment: Vec<Duration> = requests
        .iter()
        .filter_map(|r| r.assigned_at.map(|a| a - r.created_at))
        .collect();
    let mut to_response: Vec<Duration> = requests
        .iter()
        .filter_map(|r| r.first_response_at.map(|a| a - r.created_at))
        .collect();
    ResponseFigures {
        requests: Some(requests.len()).filter(|n| enough(*n)),
        open: Some(requests.iter().filter(|r| !r.closed).count())
            .filter(|_| enough(requests.len())),
        median_to_assignment: Some(())
            .filter(|_| enough(to_assignment.len()))
            .and_then(|_| median(&mut to_assignment)),
        median_to_first_response: Some(())
            .filter(|_| enough(to_response.len()))
            .and_then(|_| median(&mut to_response)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn draft() -> RequestDraft {
        RequestDraft {
            category: "career_change".into(),
            topic: "介護職から事務職への転職を考えています。".into(),
            channel: "phone".into(),
            contact: "０９０－１２３４－５６７８".into(),
            preferred_times: "平日 19時以降".into(),
        }
    }

    fn request(member: i64, assigned: Option<i64>) -> CounsellingRequest {
        CounsellingRequest {
            id: RequestId(1),
            community_id: CommunityId(1),
            member: UserId(member),
            details: draft().validate().unwrap(),
            assigned_to: assigned.map(UserId),
            assigned_at: None,
            first_response_at: None,
            closed_at: None,
            summary: None,
            created_at: chrono::Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap(),
        }
    }

    #[test]
    fn a_phone_request_keeps_its_number() {
        let details = draft().validate().unwrap();
        assert_eq!(details.channel, Channel::Phone);
        assert_eq!(details.contact.as_deref(), Some("090-1234-5678"));
        assert_eq!(details.category, TopicCategory::CareerChange);
    }

    #[test]
    fn chat_never_keeps_a_contact_and_video_may() {
        let chat = RequestDraft {
            channel: "chat".into(),
            ..draft()
        };
        assert_eq!(chat.validate().unwrap().contact, None);
        let video = RequestDraft {
            channel: "video".into(),
            contact: "Zoom: aoi@example.jp".into(),
            ..draft()
        };
        assert_eq!(
            video.validate().unwrap().contact.as_deref(),
            Some("Zoom: aoi@example.jp")
        );
        let video_without = RequestDraft {
            channel: "video".into(),
            contact: "".into(),
            ..draft()
        };
        assert_eq!(video_without.validate().unwrap().contact, None);
    }

    #[test]
    fn every_problem_is_reported() {
        let bad = RequestDraft {
            category: "gossip".into(),
            topic: " ".into(),
            channel: "phone".into(),
            contact: "call me".into(),
            preferred_times: "x".repeat(501),
        };
        assert_eq!(
            bad.validate().unwrap_err(),
            vec![
                CounsellingFieldError::Category,
                CounsellingFieldError::Topic,
                CounsellingFieldError::Contact,
                CounsellingFieldError::PreferredTimes,
            ]
        );
        let no_channel = RequestDraft {
            channel: "fax".into(),
            ..draft()
        };
        assert_eq!(
            no_channel.validate().unwrap_err(),
            vec![CounsellingFieldError::Channel]
        );
        assert_eq!(parse_phone("03-1234-5678"), Some("03-1234-5678".into()));
        assert_eq!(
            parse_phone("+81 90 1234 5678"),
            Some("+81 90 1234 5678".into())
        );
        assert_eq!(parse_phone("12345"), None);
        assert_eq!(validate_message("  "), Err(CounsellingFieldError::Message));
        assert_eq!(validate_summary(" 面談1回 "), Ok("面談1回".into()));
    }

    #[test]
    fn the_contact_is_for_the_member_and_the_assigned_counsellor() {
        let unassigned = request(1, None);
        assert_eq!(unassigned.contact_for(UserId(1)), Some("090-1234-5678"));
        assert_eq!(unassigned.contact_for(UserId(2)), None);
        let assigned = request(1, Some(2));
        assert_eq!(assigned.contact_for(UserId(2)), Some("090-1234-5678"));
        assert_eq!(assigned.contact_for(UserId(3)), None, "another counsellor");
    }

    #[test]
    fn statuses_and_permissions() {
        let mut r = request(1, None);
        assert_eq!(r.status(), RequestStatus::Unassigned);
        assert!(may_read(&r, UserId(1), false));
        assert!(may_read(&r, UserId(5), true));
        assert!(
            !may_read(&r, UserId(5), false),
            "an organiser who is not a counsellor"
        );
        assert_eq!(
            may_handle(&r, UserId(1), true),
            Err(CounsellingRefusal::NotCounsellor),
            "nobody counsels themself"
        );
        assert_eq!(may_handle(&r, UserId(5), true), Ok(()));
        r.assigned_to = Some(UserId(5));
        assert_eq!(r.status(), RequestStatus::Assigned);
        r.closed_at = Some(r.created_at);
        assert_eq!(r.status(), RequestStatus::Closed);
        assert_eq!(
            may_write(&r, UserId(1), false),
            Err(CounsellingRefusal::Closed)
        );
        assert_eq!(
            may_write(&r, UserId(9), false),
            Err(CounsellingRefusal::NotParticipant)
        );
    }

    #[test]
    fn figures_need_ten_requests() {
        let start = chrono::Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let times = |hours: &[i64]| -> Vec<RequestTimes> {
            hours
                .iter()
                .map(|h| RequestTimes {
                    created_at: start,
                    assigned_at: Some(start + Duration::hours(*h)),
                    first_response_at: Some(start + Duration::hours(*h + 1)),
                    closed: *h > 3,
                })
                .collect()
        };
        let few = response_figures(&times(&[1, 2, 3, 4, 5, 6, 7, 8, 9]));
        assert_eq!(
            few,
            ResponseFigures::default(),
            "nine requests show nothing"
        );
        let enough = response_figures(&times(&[5, 1, 3, 2, 4, 9, 7, 11, 6, 8, 10]));
        assert_eq!(enough.requests, Some(11));
        assert_eq!(enough.open, Some(3));
        assert_eq!(enough.median_to_assignment, Some(Duration::hours(6)));
        assert_eq!(enough.median_to_first_response, Some(Duration::hours(7)));
        let even = response_figures(&times(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
        assert_eq!(
            even.median_to_assignment,
            Some(Duration::hours(5) + Duration::minutes(30))
        );
        // Ten requests but only two assigned: no assignment figure.
        let mut partly = times(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        for r in &mut partly[2..] {
            r.assigned_at = None;
            r.first_response_at = None;
        }
        let partly = response_figures(&partly);
        assert_eq!(partly.requests, Some(10));
        assert_eq!(partly.median_to_assignment, None);
        assert_eq!(median(&mut []), None);
    }
}
