//! The directory of real organisations: professional communities, alumni
//! networks, NPOs, worker co-ops and unions that exist outside tsunagari,
//! listed so the site is useful on its first day, and the claims by which
//! their organisers bring them onto the server.
//!
//! A listing is data (`data/organisations.toml`, and files an operator
//! imports). It reaches the rest of the system only through
//! `ListingDraft::validate` or `validate_directory`, whose errors name the
//! listing and the field. A listing is *unclaimed* until the site operator
//! approves someone's claim; approval turns it into a community of its kind
//! owned by the claimant (`OrganisationListing::community_draft` pre-fills
//! it), and the listing links there from then on.
//!
//! The claim rules are pure functions (`may_claim`, `may_decide`) that the
//! store applies inside one transaction per listing, and that `ClaimBook`
//! applies in memory for the property tests: a claimed listing is never
//! claimed again, one person has at most one pending claim per listing,
//! and a decided claim stays decided.

use std::collections::HashSet;
use std::fmt;

use crate::community::{CommunityDraft, CommunityKind, MAX_TAG_CHARS, MAX_TAGS};
use crate::public_scheme::{
    Bilingual, SchemeProblem, checked_text, is_https_url, is_valid_slug, parse_prefecture,
};
use crate::region::Prefecture;
use crate::{Timestamp, UserId};

/// Longest name, in characters: the community name limit, so a listing's
/// name becomes its community's name unchanged.
pub const MAX_NAME_CHARS: usize = crate::community::MAX_NAME_CHARS;
/// Longest one-line description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 300;
/// Longest website address, in characters.
pub const MAX_URL_CHARS: usize = 500;
/// Longest company name (corporate alumni), in characters.
pub const MAX_COMPANY_CHARS: usize = crate::community::MAX_NAME_CHARS;
/// Longest claim message, in characters.
pub const MAX_CLAIM_MESSAGE_CHARS: usize = 1_000;
/// Longest reason for declining a claim, in characters.
pub const MAX_DECLINE_REASON_CHARS: usize = 500;

/// The database id of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListingId(pub i64);

/// An organisation in the directory, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationListing {
    /// Stable id: lower-case ASCII letters, digits and single hyphens,
    /// e.g. `uazensen`.
    pub slug: String,
    /// Which of the six kinds of mutual support it is.
    pub kind: CommunityKind,
    /// Its name.
    pub name: Bilingual,
    /// One line on what it does, in our own words.
    pub description: Bilingual,
    /// Where it is based (or, for regional alumni, the region it is about);
    /// `None` when nationwide, abroad or not known.
    pub prefecture: Option<Prefecture>,
    /// The official website (https), when known.
    pub website: Option<String>,
    /// The firm, for corporate alumni.
    pub company: Option<String>,
    /// Occupation, industry and topic tags.
    pub tags: Vec<String>,
}

impl OrganisationListing {
    /// Names, descriptions, company and tags in both languages, folded for
    /// substring search (see `public_scheme::fold_for_search`).
    pub fn search_text(&self) -> String {
        let mut parts: Vec<&str> = vec![
            &self.name.ja,
            &self.name.en,
            &self.description.ja,
            &self.description.en,
        ];
        if let Some(company) = &self.company {
            parts.push(company);
        }
        parts.extend(self.tags.iter().map(String::as_str));
        crate::public_scheme::fold_for_search(&parts.join("\n"))
    }

    /// The community an approved claim creates: the listing's kind, name,
    /// region, company and tags, both descriptions and the website, public
    /// and open to join (approval-based for corporate alumni, whose
    /// organisers check who worked at the firm). The new owner edits it
    /// afterwards like any community.
    pub fn community_draft(&self) -> CommunityDraft {
        let mut description = format!("{}\n\n{}", self.description.ja, self.description.en);
        if let Some(website) = &self.website {
            description.push_str(&format!("\n\n<{website}>"));
        }
        CommunityDraft {
            name: self.name.ja.clone(),
            description,
            tags: self.tags.join(", "),
            prefecture: self
                .prefecture
                .map(|p| p.code().to_owned())
                .unwrap_or_default(),
            municipality: String::new(),
            visibility: "public".into(),
            membership: if self.kind == CommunityKind::CorporateAlumni {
                "approval".into()
            } else {
                "open".into()
            },
            join_question: String::new(),
            company_name: self.company.clone().unwrap_or_default(),
        }
    }
}

/// A field of a listing as written in a directory file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingField {
    /// `slug`.
    Slug,
    /// `kind`.
    Kind,
    /// `name_ja`.
    NameJa,
    /// `name_en`.
    NameEn,
    /// `description_ja`.
    DescriptionJa,
    /// `description_en`.
    DescriptionEn,
    /// `prefecture`.
    Prefecture,
    /// `website`.
    Website,
    /// `company`.
    Company,
    /// `tags`.
    Tags,
}

impl ListingField {
    /// The key in the file.
    pub fn key(self) -> &'static str {
        match self {
            ListingField::Slug => "slug",
            ListingField::Kind => "kind",
            ListingField::NameJa => "name_ja",
            ListingField::NameEn => "name_en",
            ListingField::DescriptionJa => "description_ja",
            ListingField::DescriptionEn => "description_en",
            ListingField::Prefecture => "prefecture",
            ListingField::Website => "website",
            ListingField::Company => "company",
            ListingField::Tags => "tags",
        }
    }
}

impl fmt::Display for ListingField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListingProblem {
    /// Missing or blank.
    #[error("is missing or empty")]
    Empty,
    /// Longer than allowed.
    #[error("is longer than {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Holds control characters (a description is one line).
    #[error("contains control characters")]
    ControlCharacters,
    /// Not 3–80 characters of a–z, 0–9 and single inner hyphens.
    #[error("must be 3-80 characters of a-z, 0-9 and single hyphens, e.g. mirai-kaigo-cafe")]
    Slug,
    /// Another listing in the same file has this slug.
    #[error("is used by another organisation in the file")]
    DuplicateSlug,
    /// Not one of the six kinds.
    #[error(
        "'{0}' is not a kind (one of: professional, corporate_alumni, regional_alumni, npo, worker_coop, union)"
    )]
    UnknownKind(String),
    /// Not an https URL with a host.
    #[error("must be an https:// URL (leave it out when unsure)")]
    NotHttps,
    /// Not a two-digit JIS prefecture code.
    #[error("'{0}' is not a JIS prefecture code (\"01\" to \"47\")")]
    UnknownPrefecture(String),
    /// Regional alumni are about a region: the prefecture is required.
    #[error("is required for regional alumni")]
    PrefectureRequired,
    /// Corporate alumni name their firm.
    #[error("is required for corporate alumni")]
    CompanyRequired,
    /// A tag too long or with control characters, or more than ten.
    #[error("must be at most {MAX_TAGS} tags of at most {MAX_TAG_CHARS} characters")]
    Tags,
}

/// A listing that was refused: which one, which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("organisation {listing}: {field} {problem}")]
pub struct ListingError {
    /// The listing's slug as written, or its position (`#3`) when the slug
    /// itself is unusable.
    pub listing: String,
    /// The field.
    pub field: ListingField,
    /// The problem.
    pub problem: ListingProblem,
}

/// A listing as written in a directory file, not yet checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListingDraft {
    /// Stable id.
    pub slug: String,
    /// Kind name.
    pub kind: String,
    /// Japanese name.
    pub name_ja: String,
    /// English name.
    pub name_en: String,
    /// One line, Japanese.
    pub description_ja: String,
    /// One line, English.
    pub description_en: String,
    /// JIS prefecture code.
    pub prefecture: Option<String>,
    /// Official website.
    pub website: Option<String>,
    /// The firm (corporate alumni).
    pub company: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
}

fn from_scheme_problem(problem: SchemeProblem) -> ListingProblem {
    match problem {
        SchemeProblem::Empty => ListingProblem::Empty,
        SchemeProblem::TooLong { max } => ListingProblem::TooLong { max },
        _ => ListingProblem::ControlCharacters,
    }
}

fn blank_to_none(value: Option<&String>) -> Option<&str> {
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

impl ListingDraft {
    /// Checks the draft; `position` (1-based) names the listing when its
    /// slug is unusable. Reports the first problem, in field order.
    pub fn validate(&self, position: usize) -> Result<OrganisationListing, ListingError> {
        let slug = self.slug.trim();
        let listing_name = if slug.is_empty() {
            format!("#{position}")
        } else {
            slug.to_owned()
        };
        let fail = |field, problem| ListingError {
            listing: listing_name.clone(),
            field,
            problem,
        };
        if slug.is_empty() {
            return Err(fail(ListingField::Slug, ListingProblem::Empty));
        }
        if !is_valid_slug(slug) {
            return Err(ListingError {
                listing: format!("#{position} ({slug})"),
                field: ListingField::Slug,
                problem: ListingProblem::Slug,
            });
        }
        let kind = self.kind.trim();
        if kind.is_empty() {
            return Err(fail(ListingField::Kind, ListingProblem::Empty));
        }
        let kind = CommunityKind::parse(kind)
            .ok_or_else(|| fail(ListingField::Kind, ListingProblem::UnknownKind(kind.into())))?;
        let text = |field, value: &str, max| {
            checked_text(value, max, false).map_err(|p| fail(field, from_scheme_problem(p)))
        };
        let name = Bilingual {
            ja: text(ListingField::NameJa, &self.name_ja, MAX_NAME_CHARS)?,
            en: text(ListingField::NameEn, &self.name_en, MAX_NAME_CHARS)?,
        };
        let description = Bilingual {
            ja: text(
                ListingField::DescriptionJa,
                &self.description_ja,
                MAX_DESCRIPTION_CHARS,
            )?,
            en: text(
                ListingField::DescriptionEn,
                &self.description_en,
                MAX_DESCRIPTION_CHARS,
            )?,
        };
        let prefecture = match blank_to_none(self.prefecture.as_ref()) {
            None if kind.requires_region() => {
                return Err(fail(
                    ListingField::Prefecture,
                    ListingProblem::PrefectureRequired,
                ));
            }
            None => None,
            Some(code) => Some(parse_prefecture(code).ok_or_else(|| {
                fail(
                    ListingField::Prefecture,
                    ListingProblem::UnknownPrefecture(code.to_owned()),
                )
            })?),
        };
        let website = match blank_to_none(self.website.as_ref()) {
            None => None,
            Some(url) if url.chars().count() > MAX_URL_CHARS => {
                return Err(fail(
                    ListingField::Website,
                    ListingProblem::TooLong { max: MAX_URL_CHARS },
                ));
            }
            Some(url) if !is_https_url(url) => {
                return Err(fail(ListingField::Website, ListingProblem::NotHttps));
            }
            Some(url) => Some(url.to_owned()),
        };
        let company = match blank_to_none(self.company.as_ref()) {
            None if kind.has_company() => {
                return Err(fail(ListingField::Company, ListingProblem::CompanyRequired));
            }
            None => None,
            Some(company) => Some(text(ListingField::Company, company, MAX_COMPANY_CHARS)?),
        };
        let tags = crate::community::parse_tags(&self.tags.join("\n"))
            .map_err(|_| fail(ListingField::Tags, ListingProblem::Tags))?;
        Ok(OrganisationListing {
            slug: slug.to_owned(),
            kind,
            name,
            description,
            prefecture,
            website,
            // Only corporate alumni have a company (as communities do).
            company: company.filter(|_| kind.has_company()),
            tags,
        })
    }
}

/// Checks every draft of a file and that no two share a slug; the first
/// problem found is returned, so nothing of a bad file is used.
pub fn validate_directory(
    drafts: &[ListingDraft],
) -> Result<Vec<OrganisationListing>, ListingError> {
    let mut seen = HashSet::new();
    let mut listings = Vec::with_capacity(drafts.len());
    for (index, draft) in drafts.iter().enumerate() {
        let listing = draft.validate(index + 1)?;
        if !seen.insert(listing.slug.clone()) {
            return Err(ListingError {
                listing: listing.slug,
                field: ListingField::Slug,
                problem: ListingProblem::DuplicateSlug,
            });
        }
        listings.push(listing);
    }
    Ok(listings)
}

/// The database id of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimId(pub i64);

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimStatus {
    /// Waiting for the site operator.
    Pending,
    /// Approved: the listing became the claimant's community.
    Approved,
    /// Declined by the operator, with a reason.
    Declined,
    /// Another claim for the same listing was approved first.
    Superseded,
}

impl ClaimStatus {
    /// Every status.
    pub const ALL: [ClaimStatus; 4] = [
        ClaimStatus::Pending,
        ClaimStatus::Approved,
        ClaimStatus::Declined,
        ClaimStatus::Superseded,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Pending => "pending",
            ClaimStatus::Approved => "approved",
            ClaimStatus::Declined => "declined",
            ClaimStatus::Superseded => "superseded",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<ClaimStatus> {
        ClaimStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// What is wrong with a claim message or a decline reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClaimTextError {
    /// Nothing was written.
    #[error("is empty")]
    Empty,
    /// Longer than allowed.
    #[error("is too long")]
    TooLong,
    /// Holds control characters other than line breaks.
    #[error("contains control characters")]
    ControlCharacters,
}

fn claim_text(text: &str, max: usize) -> Result<String, ClaimTextError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ClaimTextError::Empty);
    }
    if text.chars().count() > max {
        return Err(ClaimTextError::TooLong);
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(ClaimTextError::ControlCharacters);
    }
    Ok(text.replace("\r\n", "\n"))
}

/// The message with a claim: who the person is and how they relate to
/// the organisation, 1–1,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimMessage(String);

impl ClaimMessage {
    /// Trims and checks a message.
    pub fn parse(text: &str) -> Result<ClaimMessage, ClaimTextError> {
        claim_text(text, MAX_CLAIM_MESSAGE_CHARS).map(ClaimMessage)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why the operator declined a claim, 1–500 characters; the claimant reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclineReason(String);

impl DeclineReason {
    /// Trims and checks a reason.
    pub fn parse(text: &str) -> Result<DeclineReason, ClaimTextError> {
        claim_text(text, MAX_DECLINE_REASON_CHARS).map(DeclineReason)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A claim as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Id.
    pub id: ClaimId,
    /// The listing claimed.
    pub listing_id: ListingId,
    /// Who claims it.
    pub user_id: UserId,
    /// What they wrote.
    pub message: String,
    /// Where it stands.
    pub status: ClaimStatus,
    /// The operator's reason, for a declined claim.
    pub reason: Option<String>,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it was decided.
    pub decided_at: Option<Timestamp>,
}

/// Why a claim cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClaimRefusal {
    /// The listing is already a community on this server.
    #[error("the listing has already been claimed")]
    AlreadyClaimed,
    /// The person already has a claim waiting for this listing.
    #[error("a claim of yours is already waiting")]
    AlreadyPending,
}

/// Whether a person may claim a listing: not when it is claimed, nor while
/// their own earlier claim waits. After a decline they may claim again.
pub fn may_claim(listing_claimed: bool, own_claim_pending: bool) -> Result<(), ClaimRefusal> {
    if listing_claimed {
        Err(ClaimRefusal::AlreadyClaimed)
    } else if own_claim_pending {
        Err(ClaimRefusal::AlreadyPending)
    } else {
        Ok(())
    }
}

/// Why a claim cannot be decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecisionRefusal {
    /// It was approved, declined or superseded already.
    #[error("the claim has already been decided")]
    AlreadyDecided,
    /// Approving: the listing was claimed through another claim.
    #[error("the listing has already been claimed")]
    AlreadyClaimed,
}

/// Whether the operator may approve (or decline) a claim: only a pending
/// one, and approval only while the listing is unclaimed. Approving one
/// claim supersedes the listing's other pending claims.
pub fn may_decide(
    status: ClaimStatus,
    listing_claimed: bool,
    approve: bool,
) -> Result<(), DecisionRefusal> {
    if status != ClaimStatus::Pending {
        Err(DecisionRefusal::AlreadyDecided)
    } else if approve && listing_claimed {
        Err(DecisionRefusal::AlreadyClaimed)
    } else {
        Ok(())
    }
}

/// The claim rules applied in memory: the reference model the property
/// tests drive, as the store drives the same functions in SQL
/// transactions.
#[derive(Debug, Clone, Default)]
pub struct ClaimBook {
    /// Listing → the claimant whose claim was approved.
    owners: std::collections::HashMap<i64, UserId>,
    /// Every claim: listing, claimant, status.
    claims: Vec<(i64, UserId, ClaimStatus)>,
}

impl ClaimBook {
    /// An empty book.
    pub fn new() -> ClaimBook {
        ClaimBook::default()
    }

    /// A person claims a listing; the new claim's index.
    pub fn claim(&mut self, listing: i64, user: UserId) -> Result<usize, ClaimRefusal> {
        let pending = self
            .claims
            .iter()
            .any(|(l, u, s)| *l == listing && *u == user && *s == ClaimStatus::Pending);
        may_claim(self.owners.contains_key(&listing), pending)?;
        self.claims.push((listing, user, ClaimStatus::Pending));
        Ok(self.claims.len() - 1)
    }

    /// The operator approves claim `index`: the listing is the claimant's,
    /// and its other pending claims are superseded.
    pub fn approve(&mut self, index: usize) -> Result<(), DecisionRefusal> {
        let (listing, user, status) = self.claims[index];
        may_decide(status, self.owners.contains_key(&listing), true)?;
        self.owners.insert(listing, user);
        for (i, claim) in self.claims.iter_mut().enumerate() {
            if i == index {
                claim.2 = ClaimStatus::Approved;
            } else if claim.0 == listing && claim.2 == ClaimStatus::Pending {
                claim.2 = ClaimStatus::Superseded;
            }
        }
        Ok(())
    }

    /// The operator declines claim `index`.
    pub fn decline(&mut self, index: usize) -> Result<(), DecisionRefusal> {
        let (listing, _, status) = self.claims[index];
        may_decide(status, self.owners.contains_key(&listing), false)?;
        self.claims[index].2 = ClaimStatus::Declined;
        Ok(())
    }

    /// Who owns a listing's community, once claimed.
    pub fn owner(&self, listing: i64) -> Option<UserId> {
        self.owners.get(&listing).copied()
    }

    /// Every claim: listing, claimant, status, in the order made.
    pub fn claims(&self) -> &[(i64, UserId, ClaimStatus)] {
        &self.claims
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn draft() -> ListingDraft {
        ListingDraft {
            slug: "hanshin-workers-coop".into(),
            kind: "worker_coop".into(),
            name_ja: "企業組合はんしんワーカーズコープ".into(),
            name_en: "Hanshin Workers' Co-op".into(),
            description_ja: "尼崎で介護や造園などの仕事を、働く人が出資して営む協同組合。".into(),
            description_en:
                "Workers in Amagasaki own and run care, gardening and other services together."
                    .into(),
            prefecture: Some("28".into()),
            website: None,
            company: None,
            tags: vec!["協同労働".into(), "介護".into()],
        }
    }

    fn problem(draft: &ListingDraft) -> (ListingField, ListingProblem) {
        let error = draft.validate(1).unwrap_err();
        (error.field, error.problem)
    }

    #[test]
    fn a_good_draft_is_trimmed_and_kept() {
        let mut d = draft();
        d.name_en = "  Hanshin Workers' Co-op ".into();
        d.website = Some(" ".into());
        let listing = d.validate(1).unwrap();
        assert_eq!(listing.kind, CommunityKind::WorkerCoop);
        assert_eq!(listing.name.en, "Hanshin Workers' Co-op");
        assert_eq!(listing.prefecture.unwrap().code(), "28");
        assert_eq!(listing.website, None);
        assert_eq!(listing.tags, ["協同労働", "介護"]);
        assert!(listing.search_text().contains("hanshin workers"));
        assert!(listing.search_text().contains("協同労働"));
    }

    #[test]
    fn kinds_prefectures_and_websites_are_checked() {
        let mut d = draft();
        d.kind = "club".into();
        assert_eq!(
            problem(&d),
            (
                ListingField::Kind,
                ListingProblem::UnknownKind("club".into())
            )
        );
        let mut d = draft();
        d.prefecture = Some("48".into());
        assert_eq!(problem(&d).0, ListingField::Prefecture);
        for bad in [
            "http://example.jp",
            "example.jp",
            "https://",
            "javascript:x",
        ] {
            let mut d = draft();
            d.website = Some(bad.into());
            assert_eq!(
                problem(&d),
                (ListingField::Website, ListingProblem::NotHttps),
                "{bad}"
            );
        }
        let mut d = draft();
        d.website = Some("https://example.jp/".into());
        assert_eq!(
            d.validate(1).unwrap().website.as_deref(),
            Some("https://example.jp/")
        );
    }

    #[test]
    fn kinds_need_what_their_community_needs() {
        let mut d = draft();
        d.kind = "regional_alumni".into();
        d.prefecture = None;
        assert_eq!(
            problem(&d),
            (ListingField::Prefecture, ListingProblem::PrefectureRequired)
        );
        let mut d = draft();
        d.kind = "corporate_alumni".into();
        assert_eq!(
            problem(&d),
            (ListingField::Company, ListingProblem::CompanyRequired)
        );
        d.company = Some("TIS株式会社".into());
        assert_eq!(
            d.validate(1).unwrap().company.as_deref(),
            Some("TIS株式会社")
        );
        // A company on another kind is dropped, as the community form does.
        let mut d = draft();
        d.company = Some("会社".into());
        assert_eq!(d.validate(1).unwrap().company, None);
    }

    #[test]
    fn texts_are_required_limited_and_one_line() {
        let mut d = draft();
        d.name_ja = " ".into();
        assert_eq!(problem(&d), (ListingField::NameJa, ListingProblem::Empty));
        let mut d = draft();
        d.name_en = "a".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(
            problem(&d),
            (
                ListingField::NameEn,
                ListingProblem::TooLong {
                    max: MAX_NAME_CHARS
                }
            )
        );
        let mut d = draft();
        d.description_ja = "あ".repeat(MAX_DESCRIPTION_CHARS);
        assert!(d.validate(1).is_ok());
        d.description_ja.push('あ');
        assert_eq!(problem(&d).0, ListingField::DescriptionJa);
        let mut d = draft();
        d.description_en = "one\ntwo".into();
        assert_eq!(
            problem(&d),
            (
                ListingField::DescriptionEn,
                ListingProblem::ControlCharacters
            )
        );
        let mut d = draft();
        d.tags = (0..11).map(|n| format!("t{n}")).collect();
        assert_eq!(problem(&d), (ListingField::Tags, ListingProblem::Tags));
    }

    #[test]
    fn errors_name_the_listing_and_the_field() {
        let mut d = draft();
        d.website = Some("http://x.jp".into());
        assert_eq!(
            d.validate(1).unwrap_err().to_string(),
            "organisation hanshin-workers-coop: website must be an https:// URL (leave it out when unsure)"
        );
        let mut d = draft();
        d.slug = "Bad Slug".into();
        assert_eq!(d.validate(3).unwrap_err().listing, "#3 (Bad Slug)");
        let mut second = draft();
        second.name_ja = "別".into();
        let error = validate_directory(&[draft(), second]).unwrap_err();
        assert_eq!(error.problem, ListingProblem::DuplicateSlug);
    }

    #[test]
    fn the_community_draft_is_a_valid_community_of_the_kind() {
        let mut d = draft();
        d.website = Some("https://example.coop/".into());
        let listing = d.validate(1).unwrap();
        let profile = listing
            .community_draft()
            .validate(listing.kind)
            .expect("a listing always makes a valid community");
        assert_eq!(profile.name, "企業組合はんしんワーカーズコープ");
        assert_eq!(profile.prefecture.unwrap().code(), "28");
        assert_eq!(profile.tags, ["協同労働", "介護"]);
        assert!(profile.description.contains("尼崎"));
        assert!(profile.description.contains("Amagasaki"));
        assert!(profile.description.contains("<https://example.coop/>"));
        let mut alumni = draft();
        alumni.kind = "corporate_alumni".into();
        alumni.company = Some("中外製薬株式会社".into());
        let alumni = alumni.validate(1).unwrap();
        let profile = alumni.community_draft().validate(alumni.kind).unwrap();
        assert_eq!(profile.company_name.as_deref(), Some("中外製薬株式会社"));
        assert_eq!(
            profile.membership,
            crate::community::MembershipPolicy::Approval
        );
    }

    #[test]
    fn claim_texts_are_checked() {
        assert_eq!(ClaimMessage::parse("  "), Err(ClaimTextError::Empty));
        assert_eq!(
            ClaimMessage::parse(&"あ".repeat(MAX_CLAIM_MESSAGE_CHARS + 1)),
            Err(ClaimTextError::TooLong)
        );
        assert_eq!(
            ClaimMessage::parse("代表\u{0}です"),
            Err(ClaimTextError::ControlCharacters)
        );
        assert_eq!(
            ClaimMessage::parse(" 代表の者です。\r\n連絡先は公式サイトに。 ")
                .unwrap()
                .as_str(),
            "代表の者です。\n連絡先は公式サイトに。"
        );
        assert_eq!(DeclineReason::parse(""), Err(ClaimTextError::Empty));
        assert!(DeclineReason::parse(&"x".repeat(MAX_DECLINE_REASON_CHARS)).is_ok());
        for status in ClaimStatus::ALL {
            assert_eq!(ClaimStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(ClaimStatus::parse("maybe"), None);
    }

    #[test]
    fn claim_rules() {
        assert_eq!(may_claim(false, false), Ok(()));
        assert_eq!(may_claim(true, false), Err(ClaimRefusal::AlreadyClaimed));
        assert_eq!(may_claim(false, true), Err(ClaimRefusal::AlreadyPending));
        assert_eq!(may_decide(ClaimStatus::Pending, false, true), Ok(()));
        assert_eq!(
            may_decide(ClaimStatus::Pending, true, true),
            Err(DecisionRefusal::AlreadyClaimed)
        );
        // Declining a claim left over on a claimed listing is allowed.
        assert_eq!(may_decide(ClaimStatus::Pending, true, false), Ok(()));
        for decided in [
            ClaimStatus::Approved,
            ClaimStatus::Declined,
            ClaimStatus::Superseded,
        ] {
            assert_eq!(
                may_decide(decided, false, false),
                Err(DecisionRefusal::AlreadyDecided)
            );
        }
    }

    #[test]
    fn a_declined_person_may_claim_again_but_nobody_after_approval() {
        let mut book = ClaimBook::new();
        let first = book.claim(1, UserId(10)).unwrap();
        assert_eq!(book.claim(1, UserId(10)), Err(ClaimRefusal::AlreadyPending));
        let other = book.claim(1, UserId(11)).unwrap();
        book.decline(first).unwrap();
        assert_eq!(book.decline(first), Err(DecisionRefusal::AlreadyDecided));
        let again = book.claim(1, UserId(10)).unwrap();
        book.approve(again).unwrap();
        assert_eq!(book.owner(1), Some(UserId(10)));
        assert_eq!(book.claims()[other].2, ClaimStatus::Superseded);
        assert_eq!(book.claim(1, UserId(12)), Err(ClaimRefusal::AlreadyClaimed));
        assert_eq!(book.approve(other), Err(DecisionRefusal::AlreadyDecided));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Claim(i64, i64),
        Approve(usize),
        Decline(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (0..4i64, 0..5i64).prop_map(|(l, u)| Op::Claim(l, u)),
            1 => (0..64usize).prop_map(Op::Approve),
            1 => (0..64usize).prop_map(Op::Decline),
        ]
    }

    proptest! {
        #[test]
        fn claim_invariants(ops in proptest::collection::vec(op(), 0..150)) {
            let mut book = ClaimBook::new();
            for op in ops {
                match op {
                    Op::Claim(listing, user) => {
                        let claimed_before = book.owner(listing).is_some();
                        let result = book.claim(listing, UserId(user));
                        // A claimed listing is never claimed again.
                        if claimed_before {
                            prop_assert_eq!(result, Err(ClaimRefusal::AlreadyClaimed));
                        }
                    }
                    Op::Approve(i) if i < book.claims().len() => { let _ = book.approve(i); }
                    Op::Decline(i) if i < book.claims().len() => { let _ = book.decline(i); }
                    _ => {}
                }
                for listing in 0..4i64 {
                    let of_listing: Vec<_> = book.claims().iter().filter(|c| c.0 == listing).collect();
                    let approved: Vec<_> = of_listing.iter().filter(|c| c.2 == ClaimStatus::Approved).collect();
                    // At most one approval per listing, and it names the owner.
                    prop_assert!(approved.len() <= 1);
                    prop_assert_eq!(approved.first().map(|c| c.1), book.owner(listing));
                    // Nothing waits on a claimed listing.
                    if book.owner(listing).is_some() {
                        prop_assert!(of_listing.iter().all(|c| c.2 != ClaimStatus::Pending));
                    }
                    // One pending claim per person per listing.
                    for user in 0..5i64 {
                        let pending = of_listing.iter().filter(|c| c.1 == UserId(user) && c.2 == ClaimStatus::Pending).count();
                        prop_assert!(pending <= 1);
                    }
                }
            }
        }
    }
}
