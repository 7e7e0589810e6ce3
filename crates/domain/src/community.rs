//! Communities: the six kinds of career mutual support, their settings,
//! memberships and roles.
//!
//! One core serves every kind; what differs by kind is presentation and
//! the extra fields that fit it (a company name for corporate alumni, a
//! home region and "fans" for regional alumni). Kind-specific tools (co-op
//! ballots, union matching…) attach to a community by id later.

use crate::region::{MunicipalityCode, Prefecture};
use crate::{Timestamp, UserId};

/// The database id of a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommunityId(pub i64);

/// The six kinds of community the product serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommunityKind {
    /// People of one occupation or industry learning together (職業コミュニティ).
    Professional,
    /// A firm's official network of former employees (企業アルムナイ).
    CorporateAlumni,
    /// People from, or fans of, a region (地域アルムナイ).
    RegionalAlumni,
    /// A non-profit organisation.
    Npo,
    /// A worker co-operative (協同労働).
    WorkerCoop,
    /// A labour union.
    Union,
}

impl CommunityKind {
    /// All kinds, in the order the product presents them.
    pub const ALL: [CommunityKind; 6] = [
        CommunityKind::Professional,
        CommunityKind::CorporateAlumni,
        CommunityKind::RegionalAlumni,
        CommunityKind::Npo,
        CommunityKind::WorkerCoop,
        CommunityKind::Union,
    ];

    /// The stable name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            CommunityKind::Professional => "professional",
            CommunityKind::CorporateAlumni => "corporate_alumni",
            CommunityKind::RegionalAlumni => "regional_alumni",
            CommunityKind::Npo => "npo",
            CommunityKind::WorkerCoop => "worker_coop",
            CommunityKind::Union => "union",
        }
    }

    /// Parses the stable name (hyphens accepted too).
    pub fn parse(name: &str) -> Option<CommunityKind> {
        let name = name.trim().replace('-', "_");
        CommunityKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether a company name belongs to this kind.
    pub fn has_company(self) -> bool {
        self == CommunityKind::CorporateAlumni
    }

    /// Whether the region is the point of this kind (so it is required).
    pub fn requires_region(self) -> bool {
        self == CommunityKind::RegionalAlumni
    }
}

/// Who can read a community's threads, events and member list. The
/// community's name and description are always public so people can find it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Anyone, signed in or not.
    Public,
    /// Members only.
    Members,
}

impl Visibility {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Members => "members",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Visibility> {
        match name.trim() {
            "public" => Some(Visibility::Public),
            "members" => Some(Visibility::Members),
            _ => None,
        }
    }
}

/// How people become members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipPolicy {
    /// One click.
    Open,
    /// A request that organisers accept or decline.
    Approval,
}

impl MembershipPolicy {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipPolicy::Open => "open",
            MembershipPolicy::Approval => "approval",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<MembershipPolicy> {
        match name.trim() {
            "open" => Some(MembershipPolicy::Open),
            "approval" => Some(MembershipPolicy::Approval),
            _ => None,
        }
    }
}

/// A member's role in one community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// A member.
    Member,
    /// Runs the community with the owner: edits it, moderates, manages members.
    Organiser,
    /// The one person responsible; can hand the community over.
    Owner,
}

impl Role {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Organiser => "organiser",
            Role::Owner => "owner",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Role> {
        match name.trim() {
            "member" => Some(Role::Member),
            "organiser" | "organizer" => Some(Role::Organiser),
            "owner" => Some(Role::Owner),
            _ => None,
        }
    }

    /// Organisers and the owner run the community.
    pub fn organises(self) -> bool {
        self >= Role::Organiser
    }
}

/// Where a membership stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipStatus {
    /// A member.
    Active,
    /// Asked to join an approval community; waiting.
    Pending,
    /// Removed and barred from joining again.
    Banned,
}

impl MembershipStatus {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipStatus::Active => "active",
            MembershipStatus::Pending => "pending",
            MembershipStatus::Banned => "banned",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<MembershipStatus> {
        match name {
            "active" => Some(MembershipStatus::Active),
            "pending" => Some(MembershipStatus::Pending),
            "banned" => Some(MembershipStatus::Banned),
            _ => None,
        }
    }
}

/// A community as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Community {
    /// Id.
    pub id: CommunityId,
    /// Which of the six kinds.
    pub kind: CommunityKind,
    /// Settings people edit.
    pub profile: CommunityProfile,
    /// The community it is a branch or club of.
    pub parent_id: Option<CommunityId>,
    /// Creation time.
    pub created_at: Timestamp,
    /// The organisers' tool choices (see `tools::enabled_tools`).
    pub tool_choices: Vec<(crate::tools::CommunityTool, bool)>,
}

impl Community {
    /// The tools on in this community, in page order.
    pub fn enabled_tools(&self) -> Vec<crate::tools::CommunityTool> {
        crate::tools::enabled_tools(self.kind, &self.tool_choices)
    }
}

/// The editable settings of a community, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityProfile {
    /// Name, 1–80 characters.
    pub name: String,
    /// Markdown, up to 10,000 characters.
    pub description: String,
    /// Occupation and industry tags.
    pub tags: Vec<String>,
    /// Home or activity region.
    pub prefecture: Option<Prefecture>,
    /// Municipality within the prefecture.
    pub municipality: Option<MunicipalityCode>,
    /// Who reads the content.
    pub visibility: Visibility,
    /// How people join.
    pub membership: MembershipPolicy,
    /// Asked of people who request to join an approval community.
    pub join_question: Option<String>,
    /// The firm, for corporate alumni.
    pub company_name: Option<String>,
}

/// A field of the community form and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommunityFieldError {
    /// Name empty or longer than 80 characters.
    Name,
    /// Description longer than 10,000 characters.
    Description,
    /// A tag too long, or more than 10 tags.
    Tags,
    /// Not a prefecture code, or missing where the kind needs one.
    Prefecture,
    /// Municipality code malformed or outside the prefecture.
    Municipality,
    /// Join question longer than 200 characters.
    JoinQuestion,
    /// Company name missing for corporate alumni, or too long.
    CompanyName,
    /// Not a kind.
    Kind,
    /// Not a visibility.
    Visibility,
    /// Not a membership policy.
    Membership,
}

/// The community form as typed.
#[derive(Debug, Clone, Default)]
pub struct CommunityDraft {
    /// Name.
    pub name: String,
    /// Description (Markdown).
    pub description: String,
    /// Comma- or newline-separated tags (、 and ， work too).
    pub tags: String,
    /// Prefecture code or empty.
    pub prefecture: String,
    /// Municipality code or empty.
    pub municipality: String,
    /// `public` or `members`.
    pub visibility: String,
    /// `open` or `approval`.
    pub membership: String,
    /// Question for join requests, or empty.
    pub join_question: String,
    /// Company name, or empty.
    pub company_name: String,
}

/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// Most tags per community.
pub const MAX_TAGS: usize = 10;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 30;
/// Deepest nesting: a community, its branches, their clubs, and one more.
pub const MAX_DEPTH: usize = 3;

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Splits a tag list, trimming, dropping empties and duplicates (keeping
/// the first spelling).
pub fn parse_tags(text: &str) -> Result<Vec<String>, CommunityFieldError> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split([',', '\n', '、', '，']) {
        let tag = tag.trim().trim_start_matches('#').trim();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > MAX_TAG_CHARS || tag.chars().any(char::is_control) {
            return Err(CommunityFieldError::Tags);
        }
        if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            tags.push(tag.to_owned());
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(CommunityFieldError::Tags);
    }
    Ok(tags)
}

impl CommunityDraft {
    /// Validates the draft for a community of `kind`; every problem is
    /// reported.
    pub fn validate(
        &self,
        kind: CommunityKind,
    ) -> Result<CommunityProfile, Vec<CommunityFieldError>> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty()
            || name.chars().count() > MAX_NAME_CHARS
            || name.chars().any(char::is_control)
        {
            errors.push(CommunityFieldError::Name);
        }
        if self.description.chars().count() > MAX_DESCRIPTION_CHARS {
            errors.push(CommunityFieldError::Description);
        }
        let tags = parse_tags(&self.tags).unwrap_or_else(|e| {
            errors.push(e);
            Vec::new()
        });
        let prefecture = match optional(&self.prefecture) {
            None if kind.requires_region() => {
                errors.push(CommunityFieldError::Prefecture);
                None
            }
            None => None,
            Some(code) => Prefecture::parse(&code).or_else(|| {
                errors.push(CommunityFieldError::Prefecture);
                None
            }),
        };
        let municipality = match (optional(&self.municipality), prefecture) {
            (None, _) => None,
            (Some(_), None) => {
                errors.push(CommunityFieldError::Municipality);
                None
            }
            (Some(code), Some(prefecture)) => MunicipalityCode::parse(&code, prefecture)
                .map_err(|_| errors.push(CommunityFieldError::Municipality))
                .ok(),
        };
        let visibility = Visibility::parse(&self.visibility).or_else(|| {
            errors.push(CommunityFieldError::Visibility);
            None
        });
        let membership = MembershipPolicy::parse(&self.membership).or_else(|| {
            errors.push(CommunityFieldError::Membership);
            None
        });
        let join_question = optional(&self.join_question);
        if join_question
            .as_ref()
            .is_some_and(|q| q.chars().count() > 200)
        {
            errors.push(CommunityFieldError::JoinQuestion);
        }
        let company_name = optional(&self.company_name);
        let company_ok = match &company_name {
            Some(company) => company.chars().count() <= MAX_NAME_CHARS,
            None => !kind.has_company(),
        };
        if !company_ok {
            errors.push(CommunityFieldError::CompanyName);
        }
        match (visibility, membership) {
            (Some(visibility), Some(membership)) if errors.is_empty() => Ok(CommunityProfile {
                name: name.to_owned(),
                description: self.description.trim().to_owned(),
                tags,
                prefecture,
                municipality,
                visibility,
                membership,
                join_question: join_question.filter(|_| membership == MembershipPolicy::Approval),
                company_name: company_name.filter(|_| kind.has_company()),
            }),
            _ => Err(errors),
        }
    }
}

/// One person's membership of one community.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The community.
    pub community_id: CommunityId,
    /// The person.
    pub user_id: UserId,
    /// Their role.
    pub role: Role,
    /// Where the membership stands.
    pub status: MembershipStatus,
    /// Answer to the join question.
    pub join_answer: Option<String>,
    /// When they joined or asked to.
    pub joined_at: Timestamp,
}

impl Membership {
    /// An active member with at least `role`.
    pub fn is_at_least(&self, role: Role) -> bool {
        self.status == MembershipStatus::Active && self.role >= role
    }

    /// An active member of any role.
    pub fn is_active(&self) -> bool {
        self.status == MembershipStatus::Active
    }
}

/// What joining does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinOutcome {
    /// Now a member.
    Joined,
    /// A request awaits the organisers.
    Requested,
}

/// Why someone cannot join.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JoinRefusal {
    /// Already a member or already asked.
    #[error("already a member or awaiting approval")]
    AlreadyMember,
    /// Banned by the organisers.
    #[error("banned from this community")]
    Banned,
    /// Sub-groups are for members of the parent community.
    #[error("join the parent community first")]
    NotParentMember,
}

/// Decides what a join attempt does.
pub fn join(
    policy: MembershipPolicy,
    existing: Option<MembershipStatus>,
    member_of_parent: Option<bool>,
) -> Result<JoinOutcome, JoinRefusal> {
    match existing {
        Some(MembershipStatus::Banned) => return Err(JoinRefusal::Banned),
        Some(_) => return Err(JoinRefusal::AlreadyMember),
        None => {}
    }
    if member_of_parent == Some(false) {
        return Err(JoinRefusal::NotParentMember);
    }
    Ok(match policy {
        MembershipPolicy::Open => JoinOutcome::Joined,
        MembershipPolicy::Approval => JoinOutcome::Requested,
    })
}

/// Whether someone may read a community's content (threads, events,
/// member directory).
pub fn can_read(visibility: Visibility, viewer: Option<&Membership>) -> bool {
    visibility == Visibility::Public || viewer.is_some_and(Membership::is_active)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> CommunityDraft {
        CommunityDraft {
            name: "介護のみらいカフェ".into(),
            description: "介護職の対話の場です。".into(),
            tags: "介護, 福祉、対話".into(),
            prefecture: "13".into(),
            municipality: "".into(),
            visibility: "public".into(),
            membership: "open".into(),
            join_question: "".into(),
            company_name: "".into(),
        }
    }

    #[test]
    fn kinds_round_trip() {
        for kind in CommunityKind::ALL {
            assert_eq!(CommunityKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(
            CommunityKind::parse("corporate-alumni"),
            Some(CommunityKind::CorporateAlumni)
        );
        assert_eq!(CommunityKind::parse("club"), None);
    }

    #[test]
    fn a_valid_draft() {
        let profile = draft().validate(CommunityKind::Professional).unwrap();
        assert_eq!(profile.tags, vec!["介護", "福祉", "対話"]);
        assert_eq!(profile.prefecture.unwrap().code(), "13");
        assert_eq!(profile.company_name, None);
    }

    #[test]
    fn every_problem_is_reported() {
        let bad = CommunityDraft {
            name: " ".into(),
            tags: "a".repeat(31),
            prefecture: "99".into(),
            municipality: "15100".into(),
            visibility: "secret".into(),
            membership: "invite".into(),
            ..draft()
        };
        let errors = bad.validate(CommunityKind::CorporateAlumni).unwrap_err();
        for expected in [
            CommunityFieldError::Name,
            CommunityFieldError::Tags,
            CommunityFieldError::Prefecture,
            CommunityFieldError::Municipality,
            CommunityFieldError::Visibility,
            CommunityFieldError::Membership,
            CommunityFieldError::CompanyName,
        ] {
            assert!(errors.contains(&expected), "{expected:?} in {errors:?}");
        }
    }

    #[test]
    fn regional_alumni_need_a_region() {
        let no_region = CommunityDraft {
            prefecture: "".into(),
            ..draft()
        };
        assert_eq!(
            no_region
                .validate(CommunityKind::RegionalAlumni)
                .unwrap_err(),
            vec![CommunityFieldError::Prefecture]
        );
        assert!(no_region.validate(CommunityKind::Npo).is_ok());
    }

    #[test]
    fn tags_are_deduplicated_and_bounded() {
        assert_eq!(
            parse_tags("UX, ux, #デザイン,,").unwrap(),
            vec!["UX", "デザイン"]
        );
        let eleven: Vec<String> = (0..11).map(|n| format!("t{n}")).collect();
        assert_eq!(
            parse_tags(&eleven.join(",")),
            Err(CommunityFieldError::Tags)
        );
    }

    #[test]
    fn join_rules() {
        assert_eq!(
            join(MembershipPolicy::Open, None, None),
            Ok(JoinOutcome::Joined)
        );
        assert_eq!(
            join(MembershipPolicy::Approval, None, Some(true)),
            Ok(JoinOutcome::Requested)
        );
        assert_eq!(
            join(MembershipPolicy::Open, Some(MembershipStatus::Banned), None),
            Err(JoinRefusal::Banned)
        );
        assert_eq!(
            join(
                MembershipPolicy::Open,
                Some(MembershipStatus::Pending),
                None
            ),
            Err(JoinRefusal::AlreadyMember)
        );
        assert_eq!(
            join(MembershipPolicy::Open, None, Some(false)),
            Err(JoinRefusal::NotParentMember)
        );
    }

    #[test]
    fn roles_order() {
        assert!(
            Role::Owner.organises() && Role::Organiser.organises() && !Role::Member.organises()
        );
        assert_eq!(Role::parse("organizer"), Some(Role::Organiser));
    }
}
