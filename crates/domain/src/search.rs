//! Search: what can be found, who may find it, and what a search asks for.
//!
//! A `SearchDocument` is the searchable face of one thing on the server (a
//! community, an event, a thread, a reply, a public scheme, an unclaimed
//! listing of the organisation directory). Its
//! constructors here decide what is searchable at all: a hidden, removed or
//! deleted post has no document, so whatever re-indexes it removes it. Each
//! document carries its `Audience`, and `SearchDocument::visible_to` is the
//! one rule for who may find it; the index filters by it and every hit is
//! checked against it again with fresh data before it is shown.
//!
//! A new kind of searchable thing is one `DocType` variant and one
//! constructor here, plus one loader in the app layer.
//!
//! Nothing private is ever turned into a document: self-check answers,
//! member-directory fields and the like have no constructor.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate, TimeZone};

use crate::community::{Community, CommunityId, CommunityKind, Visibility};
use crate::event::Event;
use crate::organisation::{ListingId, OrganisationListing};
use crate::public_scheme::PublicScheme;
use crate::region::Prefecture;
use crate::thread::{PostState, Reply, Thread};
use crate::{Timestamp, UserTimeZone};

/// The kinds of things search finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocType {
    /// A community (its name and description are always public).
    Community,
    /// An event of a community.
    Event,
    /// A thread's opening post.
    Thread,
    /// A reply in a thread.
    Reply,
    /// A scheme of the public-help directory (公助).
    PublicScheme,
    /// An unclaimed listing of the directory of real organisations.
    Organisation,
}

impl DocType {
    /// Every type, in the order filters list them.
    pub const ALL: [DocType; 6] = [
        DocType::Community,
        DocType::Event,
        DocType::Thread,
        DocType::Reply,
        DocType::PublicScheme,
        DocType::Organisation,
    ];

    /// The stable name used in the API, the index and the change log.
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::Community => "community",
            DocType::Event => "event",
            DocType::Thread => "thread",
            DocType::Reply => "reply",
            DocType::PublicScheme => "public_scheme",
            DocType::Organisation => "organisation",
        }
    }

    /// Parses the stable name (hyphens accepted too).
    pub fn parse(name: &str) -> Option<DocType> {
        let name = name.trim().replace('-', "_");
        DocType::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// One searchable thing: its type and its id (a number, or a public
/// scheme's slug).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocKey {
    /// What it is.
    pub doc_type: DocType,
    /// Its id as text.
    pub id: String,
}

impl DocKey {
    /// The key of a thing with a numeric id.
    pub fn numeric(doc_type: DocType, id: i64) -> DocKey {
        DocKey {
            doc_type,
            id: id.to_string(),
        }
    }

    /// `type:id`, the form the index stores.
    pub fn to_key_string(&self) -> String {
        format!("{}:{}", self.doc_type.as_str(), self.id)
    }

    /// Parses `type:id`.
    pub fn parse(text: &str) -> Option<DocKey> {
        let (doc_type, id) = text.split_once(':')?;
        if id.is_empty() {
            return None;
        }
        Some(DocKey {
            doc_type: DocType::parse(doc_type)?,
            id: id.to_owned(),
        })
    }

    /// The numeric id, for types that have one.
    pub fn numeric_id(&self) -> Option<i64> {
        self.id.parse().ok()
    }
}

/// Who may find a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Anyone, signed in or not.
    Public,
    /// Active members of this (members-only) community.
    Members(CommunityId),
}

/// How an event is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventFormat {
    /// Online.
    pub online: bool,
    /// At a venue.
    pub in_person: bool,
}

/// The searchable face of one thing.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDocument {
    /// What it is.
    pub key: DocKey,
    /// Its title (a reply carries its thread's title).
    pub title: String,
    /// A second title in the other language (public schemes are bilingual).
    pub alt_title: Option<String>,
    /// The text.
    pub body: String,
    /// Words about where it lives (its community's name and tags), matched
    /// with a lower weight than its own text.
    pub context: String,
    /// Where it is on this site (a path).
    pub url: String,
    /// The community it belongs to (a community's own id for a community).
    pub community: Option<CommunityId>,
    /// That community's kind.
    pub kind: Option<CommunityKind>,
    /// Its prefecture (an event's venue, else its community's).
    pub prefecture: Option<Prefecture>,
    /// Its community's tags.
    pub tags: Vec<String>,
    /// How an event is held; `None` for everything else.
    pub format: Option<EventFormat>,
    /// An event's start.
    pub starts_at: Option<Timestamp>,
    /// An event's end.
    pub ends_at: Option<Timestamp>,
    /// When a post was written.
    pub posted_at: Option<Timestamp>,
    /// Who may find it.
    pub audience: Audience,
    /// Active members of a community (0 for everything else): the ranking
    /// favours active communities.
    pub members: u64,
    /// The latest activity (a community's newest thread activity, a
    /// thread's last reply).
    pub active_at: Option<Timestamp>,
}

fn audience_of(community: &Community) -> Audience {
    match community.profile.visibility {
        Visibility::Public => Audience::Public,
        Visibility::Members => Audience::Members(community.id),
    }
}

fn context_of(community: &Community) -> String {
    let mut context = community.profile.name.clone();
    for tag in &community.profile.tags {
        context.push(' ');
        context.push_str(tag);
    }
    context
}

impl SearchDocument {
    /// A community: always findable, since its name and description are
    /// public whatever its visibility.
    pub fn community(
        community: &Community,
        members: u64,
        last_activity: Option<Timestamp>,
    ) -> SearchDocument {
        let profile = &community.profile;
        let mut body = profile.description.clone();
        if let Some(company) = &profile.company_name {
            body.push('\n');
            body.push_str(company);
        }
        SearchDocument {
            key: DocKey::numeric(DocType::Community, community.id.0),
            title: profile.name.clone(),
            alt_title: None,
            body,
            context: profile.tags.join(" "),
            url: format!("/communities/{}", community.id.0),
            community: Some(community.id),
            kind: Some(community.kind),
            prefecture: profile.prefecture,
            tags: profile.tags.clone(),
            format: None,
            starts_at: None,
            ends_at: None,
            posted_at: None,
            audience: Audience::Public,
            members,
            active_at: Some(last_activity.unwrap_or(community.created_at)),
        }
    }

    /// An event, findable by whoever may read its community.
    pub fn event(event: &Event, community: &Community) -> SearchDocument {
        let details = &event.details;
        let mut body = details.description.clone();
        if let Some(venue) = &details.venue {
            body.push('\n');
            body.push_str(venue);
        }
        SearchDocument {
            key: DocKey::numeric(DocType::Event, event.id.0),
            title: details.title.clone(),
            alt_title: None,
            body,
            context: context_of(community),
            url: format!("/events/{}", event.id.0),
            community: Some(community.id),
            kind: Some(community.kind),
            prefecture: details.prefecture.or(community.profile.prefecture),
            tags: community.profile.tags.clone(),
            format: Some(EventFormat {
                online: details.online,
                in_person: details.in_person(),
            }),
            starts_at: Some(details.starts_at),
            ends_at: Some(details.ends_at),
            posted_at: Some(event.created_at),
            audience: audience_of(community),
            members: 0,
            active_at: Some(event.created_at),
        }
    }

    /// A thread, only while it is visible: hidden, removed and deleted
    /// threads are not findable.
    pub fn thread(thread: &Thread, community: &Community) -> Option<SearchDocument> {
        if thread.state != PostState::Visible || thread.community_id != community.id {
            return None;
        }
        Some(SearchDocument {
            key: DocKey::numeric(DocType::Thread, thread.id.0),
            title: thread.title.clone(),
            alt_title: None,
            body: thread.body.clone(),
            context: context_of(community),
            url: format!("/threads/{}", thread.id.0),
            community: Some(community.id),
            kind: Some(community.kind),
            prefecture: community.profile.prefecture,
            tags: community.profile.tags.clone(),
            format: None,
            starts_at: None,
            ends_at: None,
            posted_at: Some(thread.created_at),
            audience: audience_of(community),
            members: 0,
            active_at: Some(thread.last_activity_at),
        })
    }

    /// A reply, only while it is visible and its thread can still be read
    /// (visible, or deleted by its author: the replies under a deleted
    /// thread still read).
    pub fn reply(reply: &Reply, thread: &Thread, community: &Community) -> Option<SearchDocument> {
        let thread_readable = matches!(thread.state, PostState::Visible | PostState::Deleted);
        if reply.state != PostState::Visible
            || !thread_readable
            || reply.thread_id != thread.id
            || thread.community_id != community.id
        {
            return None;
        }
        Some(SearchDocument {
            key: DocKey::numeric(DocType::Reply, reply.id.0),
            title: thread.title.clone(),
            alt_title: None,
            body: reply.body.clone(),
            context: context_of(community),
            url: format!("/threads/{}#reply-{}", thread.id.0, reply.id.0),
            community: Some(community.id),
            kind: Some(community.kind),
            prefecture: community.profile.prefecture,
            tags: community.profile.tags.clone(),
            format: None,
            starts_at: None,
            ends_at: None,
            posted_at: Some(reply.created_at),
            audience: audience_of(community),
            members: 0,
            active_at: Some(reply.created_at),
        })
    }

    /// A public scheme, in both languages.
    pub fn public_scheme(scheme: &PublicScheme) -> SearchDocument {
        let body = [
            &scheme.audience.ja,
            &scheme.benefit.ja,
            &scheme.audience.en,
            &scheme.benefit.en,
        ]
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join("\n");
        SearchDocument {
            key: DocKey {
                doc_type: DocType::PublicScheme,
                id: scheme.slug.clone(),
            },
            title: scheme.name.ja.clone(),
            alt_title: Some(scheme.name.en.clone()),
            body,
            context: String::new(),
            url: format!("/public-help/{}", scheme.slug),
            community: None,
            kind: None,
            prefecture: scheme.prefecture,
            tags: Vec::new(),
            format: None,
            starts_at: None,
            ends_at: None,
            posted_at: None,
            audience: Audience::Public,
            members: 0,
            active_at: None,
        }
    }

    /// A listing of the organisation directory, in both languages. Only
    /// unclaimed listings are searched: a claimed one is its community.
    pub fn organisation(id: ListingId, listing: &OrganisationListing) -> SearchDocument {
        let mut body = format!("{}\n{}", listing.description.ja, listing.description.en);
        if let Some(company) = &listing.company {
            body.push('\n');
            body.push_str(company);
        }
        SearchDocument {
            key: DocKey::numeric(DocType::Organisation, id.0),
            title: listing.name.ja.clone(),
            alt_title: (listing.name.en != listing.name.ja).then(|| listing.name.en.clone()),
            body,
            context: listing.tags.join(" "),
            url: format!("/organisations/{}", listing.slug),
            community: None,
            kind: Some(listing.kind),
            prefecture: listing.prefecture,
            tags: listing.tags.clone(),
            format: None,
            starts_at: None,
            ends_at: None,
            posted_at: None,
            audience: Audience::Public,
            members: 0,
            active_at: None,
        }
    }

    /// The date a date-range filter compares: an event's start, a post's
    /// writing time; communities and schemes have none.
    pub fn date(&self) -> Option<Timestamp> {
        self.starts_at.or(self.posted_at)
    }

    /// Whether someone who is an active member of `member_of` may find it.
    pub fn visible_to(&self, member_of: &BTreeSet<CommunityId>) -> bool {
        match self.audience {
            Audience::Public => true,
            Audience::Members(community) => member_of.contains(&community),
        }
    }
}

/// Results on one page.
pub const PER_PAGE: usize = 10;
/// The last page a search can ask for.
pub const MAX_PAGE: u32 = 100;
/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most words a query may have.
pub const MAX_QUERY_WORDS: usize = 10;
/// The longest tag filter, in characters.
pub const MAX_TAG_CHARS: usize = 50;

/// A search as typed into the form or the API's query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchForm {
    /// The words.
    pub q: String,
    /// A `DocType` name, or empty for all.
    pub doc_type: String,
    /// A community kind, or empty.
    pub kind: String,
    /// A JIS prefecture code, or empty.
    pub prefecture: String,
    /// A tag, or empty.
    pub tag: String,
    /// `true`/`online`, `false`/`offline`, or empty.
    pub online: String,
    /// First day (`YYYY-MM-DD`, in the reader's zone), or empty.
    pub from: String,
    /// Last day, inclusive, or empty.
    pub to: String,
    /// Page number from 1, or empty.
    pub page: String,
}

/// A field of the search form and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchFieldError {
    /// Longer than 200 characters or more than 10 words.
    Query,
    /// Not a searchable type.
    DocType,
    /// Not a community kind.
    Kind,
    /// Not a prefecture code.
    Prefecture,
    /// Longer than 50 characters.
    Tag,
    /// Not a yes/no value.
    Online,
    /// Not a date.
    From,
    /// Not a date, or before the first day.
    To,
    /// Not a page number from 1 to 100.
    Page,
}

/// A validated search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// The words, trimmed (may be empty: then the filters alone decide).
    pub text: String,
    /// Only this type.
    pub doc_type: Option<DocType>,
    /// Only things of communities of this kind.
    pub kind: Option<CommunityKind>,
    /// Only things in this prefecture.
    pub prefecture: Option<Prefecture>,
    /// Only things of communities with this tag.
    pub tag: Option<String>,
    /// Only events held online (`true`) or in person (`false`).
    pub online: Option<bool>,
    /// Only things dated at or after this instant.
    pub from: Option<Timestamp>,
    /// Only things dated before this instant.
    pub to: Option<Timestamp>,
    /// The page, from 1.
    pub page: u32,
}

impl SearchRequest {
    /// A search for words, without filters, first page.
    pub fn words(text: &str) -> SearchRequest {
        SearchRequest {
            text: text.trim().to_owned(),
            doc_type: None,
            kind: None,
            prefecture: None,
            tag: None,
            online: None,
            from: None,
            to: None,
            page: 1,
        }
    }

    /// Whether there is anything to search for.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
            && self.doc_type.is_none()
            && self.kind.is_none()
            && self.prefecture.is_none()
            && self.tag.is_none()
            && self.online.is_none()
            && self.from.is_none()
            && self.to.is_none()
    }

    /// How many results come before this page.
    pub fn offset(&self) -> usize {
        (self.page.max(1) as usize - 1) * PER_PAGE
    }

    /// The same search with other words (for "did you mean").
    pub fn with_text(&self, text: &str) -> SearchRequest {
        SearchRequest {
            text: text.to_owned(),
            page: 1,
            ..self.clone()
        }
    }
}

fn parse_day(text: &str, zone: UserTimeZone) -> Option<Timestamp> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    let midnight = date.and_hms_opt(0, 0, 0)?;
    let local = zone.tz().from_local_datetime(&midnight).earliest()?;
    Some(local.with_timezone(&chrono::Utc))
}

fn parse_online(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "online" => Some(true),
        "false" | "0" | "no" | "offline" | "in_person" => Some(false),
        _ => None,
    }
}

fn optional(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

impl SearchForm {
    /// Checks every field; dates are days in `zone` (`to` includes its
    /// whole day). Errors come in field order.
    pub fn validate(&self, zone: UserTimeZone) -> Result<SearchRequest, Vec<SearchFieldError>> {
        let mut errors = Vec::new();
        let text = self.q.trim();
        if text.chars().count() > MAX_QUERY_CHARS
            || text.split_whitespace().count() > MAX_QUERY_WORDS
        {
            errors.push(SearchFieldError::Query);
        }
        let doc_type = optional(&self.doc_type).and_then(|t| {
            let parsed = DocType::parse(t);
            if parsed.is_none() {
                errors.push(SearchFieldError::DocType);
            }
            parsed
        });
        let kind = optional(&self.kind).and_then(|k| {
            let parsed = CommunityKind::parse(k);
            if parsed.is_none() {
                errors.push(SearchFieldError::Kind);
            }
            parsed
        });
        let prefecture = optional(&self.prefecture).and_then(|p| {
            let parsed = Prefecture::parse(p);
            if parsed.is_none() {
                errors.push(SearchFieldError::Prefecture);
            }
            parsed
        });
        let tag = optional(&self.tag).and_then(|t| {
            if t.chars().count() > MAX_TAG_CHARS {
                errors.push(SearchFieldError::Tag);
                None
            } else {
                Some(t.to_owned())
            }
        });
        let online = optional(&self.online).and_then(|o| {
            let parsed = parse_online(o);
            if parsed.is_none() {
                errors.push(SearchFieldError::Online);
            }
            parsed
        });
        let from = optional(&self.from).and_then(|d| {
            let parsed = parse_day(d, zone);
            if parsed.is_none() {
                errors.push(SearchFieldError::From);
            }
            parsed
        });
        let to_day = optional(&self.to).and_then(|d| {
            let parsed = parse_day(d, zone).and_then(|start| {
                let next = start.checked_add_days(Days::new(1))?;
                Some((start, next))
            });
            if parsed.is_none() {
                errors.push(SearchFieldError::To);
            }
            parsed
        });
        if let (Some(from), Some((last_day, _))) = (from, to_day)
            && last_day < from
        {
            errors.push(SearchFieldError::To);
        }
        let page = match optional(&self.page) {
            None => 1,
            Some(p) => match p.parse::<u32>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
                _ => {
                    errors.push(SearchFieldError::Page);
                    1
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SearchRequest {
            text: text.to_owned(),
            doc_type,
            kind,
            prefecture,
            tag,
            online,
            from,
            to: to_day.map(|(_, next)| next),
            page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::{CommunityProfile, MembershipPolicy};
    use crate::thread::{ReplyId, ThreadId};
    use chrono::Utc;
    use proptest::prelude::*;

    fn community(id: i64, visibility: Visibility) -> Community {
        Community {
            id: CommunityId(id),
            kind: CommunityKind::Professional,
            profile: CommunityProfile {
                name: "介護のみらいカフェ".into(),
                description: "介護職の対話の場".into(),
                tags: vec!["介護".into(), "福祉".into()],
                prefecture: Prefecture::parse("13"),
                municipality: None,
                visibility,
                membership: MembershipPolicy::Open,
                join_question: None,
                company_name: None,
            },
            parent_id: None,
            created_at: Utc::now(),
            tool_choices: Vec::new(),
        }
    }

    fn thread(id: i64, community: i64, state: PostState) -> Thread {
        Thread {
            id: ThreadId(id),
            community_id: CommunityId(community),
            author_id: None,
            title: "夜勤の悩み".into(),
            body: "本文".into(),
            state,
            is_announcement: false,
            is_pinned: false,
            created_at: Utc::now(),
            edited_at: None,
            last_activity_at: Utc::now(),
        }
    }

    fn reply(thread: i64, state: PostState) -> Reply {
        Reply {
            id: ReplyId(9),
            thread_id: ThreadId(thread),
            author_id: None,
            body: "返信".into(),
            state,
            created_at: Utc::now(),
            edited_at: None,
        }
    }

    const STATES: [PostState; 4] = [
        PostState::Visible,
        PostState::Hidden,
        PostState::Removed,
        PostState::Deleted,
    ];

    #[test]
    fn doc_types_and_keys_round_trip() {
        for doc_type in DocType::ALL {
            assert_eq!(DocType::parse(doc_type.as_str()), Some(doc_type));
            let key = DocKey::numeric(doc_type, 42);
            assert_eq!(DocKey::parse(&key.to_key_string()), Some(key));
        }
        assert_eq!(DocType::parse("public-scheme"), Some(DocType::PublicScheme));
        assert_eq!(DocType::parse("member"), None);
        assert_eq!(DocKey::parse("thread:"), None);
        assert_eq!(DocKey::parse("nothing"), None);
        let slug = DocKey::parse("public_scheme:job-card").unwrap();
        assert_eq!(slug.id, "job-card");
        assert_eq!(slug.numeric_id(), None);
    }

    #[test]
    fn only_visible_threads_are_findable() {
        let c = community(1, Visibility::Public);
        for state in STATES {
            let doc = SearchDocument::thread(&thread(5, 1, state), &c);
            assert_eq!(doc.is_some(), state == PostState::Visible, "{state:?}");
        }
        // A thread paired with the wrong community is refused, not mislabelled.
        assert!(SearchDocument::thread(&thread(5, 2, PostState::Visible), &c).is_none());
    }

    #[test]
    fn replies_follow_their_own_state_and_their_threads() {
        let c = community(1, Visibility::Public);
        for thread_state in STATES {
            for reply_state in STATES {
                let doc =
                    SearchDocument::reply(&reply(5, reply_state), &thread(5, 1, thread_state), &c);
                let expected = reply_state == PostState::Visible
                    && matches!(thread_state, PostState::Visible | PostState::Deleted);
                assert_eq!(doc.is_some(), expected, "{thread_state:?} {reply_state:?}");
            }
        }
        let doc = SearchDocument::reply(
            &reply(5, PostState::Visible),
            &thread(5, 1, PostState::Visible),
            &c,
        )
        .unwrap();
        assert_eq!(doc.url, "/threads/5#reply-9");
        assert_eq!(doc.title, "夜勤の悩み");
    }

    #[test]
    fn members_only_content_has_a_members_audience_but_the_community_is_public() {
        let c = community(3, Visibility::Members);
        let t = SearchDocument::thread(&thread(1, 3, PostState::Visible), &c).unwrap();
        assert_eq!(t.audience, Audience::Members(CommunityId(3)));
        let profile = SearchDocument::community(&c, 4, None);
        assert_eq!(profile.audience, Audience::Public);
        assert_eq!(profile.members, 4);
        assert!(t.context.contains("介護のみらいカフェ"));
    }

    #[test]
    fn forms_validate_every_field() {
        let zone = UserTimeZone::default();
        let form = SearchForm {
            q: "  介護  ".into(),
            doc_type: "event".into(),
            kind: "union".into(),
            prefecture: "15".into(),
            tag: "福祉".into(),
            online: "true".into(),
            from: "2026-12-01".into(),
            to: "2026-12-31".into(),
            page: "2".into(),
        };
        let request = form.validate(zone).unwrap();
        assert_eq!(request.text, "介護");
        assert_eq!(request.doc_type, Some(DocType::Event));
        assert_eq!(request.online, Some(true));
        assert_eq!(request.offset(), PER_PAGE);
        // Days are read in Tokyo: 2026-12-01 00:00 JST is 15:00 UTC the day before.
        assert_eq!(
            request.from.unwrap().to_rfc3339(),
            "2026-11-30T15:00:00+00:00"
        );
        assert_eq!(
            request.to.unwrap().to_rfc3339(),
            "2026-12-31T15:00:00+00:00"
        );

        let bad = SearchForm {
            q: "あ".repeat(201),
            doc_type: "member".into(),
            kind: "club".into(),
            prefecture: "48".into(),
            tag: "x".repeat(51),
            online: "maybe".into(),
            from: "2026-13-01".into(),
            to: "tomorrow".into(),
            page: "0".into(),
        };
        assert_eq!(
            bad.validate(zone).unwrap_err(),
            vec![
                SearchFieldError::Query,
                SearchFieldError::DocType,
                SearchFieldError::Kind,
                SearchFieldError::Prefecture,
                SearchFieldError::Tag,
                SearchFieldError::Online,
                SearchFieldError::From,
                SearchFieldError::To,
                SearchFieldError::Page,
            ]
        );
        let backwards = SearchForm {
            from: "2026-12-02".into(),
            to: "2026-12-01".into(),
            ..SearchForm::default()
        };
        assert_eq!(
            backwards.validate(zone).unwrap_err(),
            vec![SearchFieldError::To]
        );
        assert!(SearchForm::default().validate(zone).unwrap().is_empty());
    }

    proptest! {
        /// Members-only content is found by exactly the active members of
        /// its community; public content and community profiles by anyone.
        #[test]
        fn visibility_follows_membership(
            members_only in any::<bool>(),
            community_id in 1i64..20,
            member_of in proptest::collection::btree_set(1i64..20, 0..8),
        ) {
            let visibility = if members_only { Visibility::Members } else { Visibility::Public };
            let c = community(community_id, visibility);
            let member_of: BTreeSet<CommunityId> = member_of.into_iter().map(CommunityId).collect();
            let t = SearchDocument::thread(&thread(1, community_id, PostState::Visible), &c).unwrap();
            let e_visible = !members_only || member_of.contains(&CommunityId(community_id));
            prop_assert_eq!(t.visible_to(&member_of), e_visible);
            prop_assert!(SearchDocument::community(&c, 0, None).visible_to(&member_of));
        }

        /// Any page in range gives the offset of its first result; anything
        /// else is refused rather than clamped.
        #[test]
        fn pages_map_to_offsets(page in 0u32..300) {
            let form = SearchForm { page: page.to_string(), ..SearchForm::default() };
            match form.validate(UserTimeZone::default()) {
                Ok(request) => {
                    prop_assert!((1..=MAX_PAGE).contains(&page));
                    prop_assert_eq!(request.offset(), (page as usize - 1) * PER_PAGE);
                }
                Err(errors) => {
                    prop_assert!(page == 0 || page > MAX_PAGE);
                    prop_assert_eq!(errors, vec![SearchFieldError::Page]);
                }
            }
        }

        /// A valid date range never ends before it starts.
        #[test]
        fn date_ranges_are_ordered(a in 0u64..2000, b in 0u64..2000) {
            let day = |n: u64| (NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + Days::new(n)).format("%Y-%m-%d").to_string();
            let form = SearchForm { from: day(a), to: day(b), ..SearchForm::default() };
            match form.validate(UserTimeZone::default()) {
                Ok(request) => {
                    prop_assert!(a <= b);
                    prop_assert!(request.from.unwrap() < request.to.unwrap());
                }
                Err(_) => prop_assert!(a > b),
            }
        }
    }
}
