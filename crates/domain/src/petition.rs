//! Petitions of a union: a demand to a target (usually an employer), a
//! signature goal and a deadline, signatures, and milestones.
//!
//! Each person signs a petition once (the store enforces it with a primary
//! key as well). A signer may withdraw their signature until the deadline —
//! a signature is a person's own statement, and before it is handed over
//! they may change their mind; after the deadline the list is what was
//! handed over and stays as it is. Supporters' names are hidden unless a
//! signer chooses to show theirs; everyone sees the count. Milestones are
//! derived: the automatic ones at 25/50/75/100% of the goal (reached when
//! the n-th current signature came in), and the organisers' dated updates.

use chrono::Duration;

use crate::community::CommunityId;
use crate::event::parse_local_time;
use crate::{Timestamp, UserId, UserTimeZone};

/// The database id of a petition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PetitionId(pub i64);

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 120;
/// Longest demand (Markdown), in characters.
pub const MAX_DEMAND_CHARS: usize = 10_000;
/// Longest target, in characters.
pub const MAX_TARGET_CHARS: usize = 120;
/// Largest signature goal.
pub const MAX_GOAL: u32 = 1_000_000;
/// Longest update, in characters.
pub const MAX_UPDATE_CHARS: usize = 2_000;
/// Furthest deadline from now.
pub const MAX_DEADLINE_DAYS: i64 = 366 * 2;
/// The automatic milestones, in percent of the goal.
pub const MILESTONE_PERCENTS: [u32; 4] = [25, 50, 75, 100];

/// Who may sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Active members of the union.
    Members,
    /// Anyone signed in to this server (the organisers allowed it).
    SignedIn,
}

impl Audience {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Members => "members",
            Audience::SignedIn => "signed_in",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<Audience> {
        match name.trim() {
            "members" => Some(Audience::Members),
            "signed_in" => Some(Audience::SignedIn),
            _ => None,
        }
    }
}

/// A petition as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Petition {
    /// Id.
    pub id: PetitionId,
    /// The union.
    pub community_id: CommunityId,
    /// The organiser who started it (`None` once their account is deleted).
    pub created_by: Option<UserId>,
    /// What people edit.
    pub details: PetitionDetails,
    /// When it was started.
    pub created_at: Timestamp,
}

impl Petition {
    /// Whether it still takes (and gives back) signatures at `now`.
    pub fn is_open(&self, now: Timestamp) -> bool {
        now < self.details.deadline
    }
}

/// A petition's content, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionDetails {
    /// Title, 1–120 characters.
    pub title: String,
    /// The demand, Markdown, 1–10,000 characters.
    pub demand: String,
    /// To whom it is addressed, 1–120 characters.
    pub target: String,
    /// Signatures aimed for, 1–1,000,000.
    pub goal: u32,
    /// Signing closes at this time (UTC).
    pub deadline: Timestamp,
    /// Who may sign.
    pub audience: Audience,
}

/// A field of the petition form and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PetitionFieldError {
    /// Title empty, too long or with control characters.
    Title,
    /// Demand empty or too long.
    Demand,
    /// Target empty or too long.
    Target,
    /// Goal not a whole number from 1 to 1,000,000.
    Goal,
    /// Deadline missing, not a date and time, in the past or too far ahead.
    Deadline,
    /// Not an audience.
    Audience,
    /// An update empty or too long.
    Update,
}

/// The petition form as typed.
#[derive(Debug, Clone, Default)]
pub struct PetitionDraft {
    /// Title.
    pub title: String,
    /// The demand (Markdown).
    pub demand: String,
    /// The target.
    pub target: String,
    /// Goal, as typed.
    pub goal: String,
    /// Local deadline, `2026-12-20T17:00`.
    pub deadline: String,
    /// The zone the deadline is read in.
    pub time_zone: UserTimeZone,
    /// `members` or `signed_in`; empty means members.
    pub audience: String,
}

fn line_ok(text: &str, max: usize) -> bool {
    !text.is_empty() && text.chars().count() <= max && !text.chars().any(char::is_control)
}

fn text_ok(text: &str, max: usize) -> bool {
    !text.is_empty()
        && text.chars().count() <= max
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// Parses a goal: a whole number from 1 to `MAX_GOAL` (`,` separators and
/// full-width digits accepted).
pub fn parse_goal(text: &str) -> Result<u32, PetitionFieldError> {
    let plain: String = text
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .map(|c| match c {
            '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10).unwrap_or(c),
            other => other,
        })
        .collect();
    match plain.parse::<u32>() {
        Ok(goal) if (1..=MAX_GOAL).contains(&goal) => Ok(goal),
        _ => Err(PetitionFieldError::Goal),
    }
}

impl PetitionDraft {
    /// Validates the draft at `now`; every problem is reported.
    pub fn validate(&self, now: Timestamp) -> Result<PetitionDetails, Vec<PetitionFieldError>> {
        let mut errors = Vec::new();
        let title = self.title.trim();
        if !line_ok(title, MAX_TITLE_CHARS) {
            errors.push(PetitionFieldError::Title);
        }
        let demand = self.demand.trim();
        if !text_ok(demand, MAX_DEMAND_CHARS) {
            errors.push(PetitionFieldError::Demand);
        }
        let target = self.target.trim();
        if !line_ok(target, MAX_TARGET_CHARS) {
            errors.push(PetitionFieldError::Target);
        }
        let goal = parse_goal(&self.goal).map_err(|e| errors.push(e)).ok();
        let deadline = parse_local_time(&self.deadline, self.time_zone)
            .filter(|d| *d > now && *d <= now + Duration::days(MAX_DEADLINE_DAYS));
        if deadline.is_none() {
            errors.push(PetitionFieldError::Deadline);
        }
        let audience = if self.audience.trim().is_empty() {
            Some(Audience::Members)
        } else {
            Audience::parse(&self.audience)
        };
        if audience.is_none() {
            errors.push(PetitionFieldError::Audience);
        }
        match (goal, deadline, audience) {
            (Some(goal), Some(deadline), Some(audience)) if errors.is_empty() => {
                Ok(PetitionDetails {
                    title: title.to_owned(),
                    demand: demand.to_owned(),
                    target: target.to_owned(),
                    goal,
                    deadline,
                    audience,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Validates an organiser's update: 1–2,000 characters.
pub fn validate_update(body: &str) -> Result<String, PetitionFieldError> {
    let body = body.trim();
    if text_ok(body, MAX_UPDATE_CHARS) {
        Ok(body.to_owned())
    } else {
        Err(PetitionFieldError::Update)
    }
}

/// Why a signature (or its withdrawal) is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureRefusal {
    /// Only members may sign this petition.
    #[error("only members may sign")]
    NotMember,
    /// The deadline has passed.
    #[error("the petition is closed")]
    Closed,
    /// Already signed.
    #[error("already signed")]
    AlreadySigned,
    /// Not signed, so nothing to withdraw.
    #[error("not signed")]
    NotSigned,
}

/// Whether a signed-in person may sign: members always, anyone signed in
/// when the organisers allowed it; never after the deadline.
pub fn may_sign(
    petition: &Petition,
    is_active_member: bool,
    now: Timestamp,
) -> Result<(), SignatureRefusal> {
    if !petition.is_open(now) {
        Err(SignatureRefusal::Closed)
    } else if petition.details.audience == Audience::Members && !is_active_member {
        Err(SignatureRefusal::NotMember)
    } else {
        Ok(())
    }
}

/// Whether a signature may still be withdrawn: until the deadline.
pub fn may_withdraw(petition: &Petition, now: Timestamp) -> Result<(), SignatureRefusal> {
    if petition.is_open(now) {
        Ok(())
    } else {
        Err(SignatureRefusal::Closed)
    }
}

/// The number of signatures that reaches `percent` of `goal` (rounded up,
/// at least one).
pub fn milestone_threshold(goal: u32, percent: u32) -> u64 {
    (u64::from(goal) * u64::from(percent)).div_ceil(100).max(1)
}

/// An automatic milestone and when it was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Milestone {
    /// 25, 50, 75 or 100.
    pub percent: u32,
    /// Signatures it takes.
    pub threshold: u64,
    /// When the signature that reached it came in (of the signatures
    /// standing now), or `None` while not reached.
    pub reached_at: Option<Timestamp>,
}

/// The automatic milestones of a petition with `goal`, from the times of
/// its current signatures (any order).
pub fn milestones(goal: u32, signed_at: &[Timestamp]) -> Vec<Milestone> {
    let mut times = signed_at.to_vec();
    times.sort_unstable();
    MILESTONE_PERCENTS
        .iter()
        .map(|&percent| {
            let threshold = milestone_threshold(goal, percent);
            Milestone {
                percent,
                threshold,
                reached_at: usize::try_from(threshold - 1)
                    .ok()
                    .and_then(|i| times.get(i))
                    .copied(),
            }
        })
        .collect()
}

/// How far the count is towards the goal, in whole percent (may pass 100).
pub fn progress_percent(count: u64, goal: u32) -> u64 {
    count * 100 / u64::from(goal.max(1))
}

/// The signatures of one petition in memory, applying the same rules as
/// the store: the reference model for the property tests.
#[derive(Debug, Clone, Default)]
pub struct SignatureBook {
    signers: Vec<UserId>,
}

impl SignatureBook {
    /// An empty book.
    pub fn new() -> SignatureBook {
        SignatureBook::default()
    }

    /// Signs; a second signature by the same person is refused.
    pub fn sign(&mut self, person: UserId) -> Result<(), SignatureRefusal> {
        if self.signers.contains(&person) {
            return Err(SignatureRefusal::AlreadySigned);
        }
        self.signers.push(person);
        Ok(())
    }

    /// Withdraws a signature.
    pub fn withdraw(&mut self, person: UserId) -> Result<(), SignatureRefusal> {
        let index = self
            .signers
            .iter()
            .position(|p| *p == person)
            .ok_or(SignatureRefusal::NotSigned)?;
        self.signers.remove(index);
        Ok(())
    }

    /// How many signatures stand.
    pub fn count(&self) -> u64 {
        self.signers.len() as u64
    }

    /// Who signed, in signing order.
    pub fn signers(&self) -> &[UserId] {
        &self.signers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn now() -> Timestamp {
        chrono::Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap()
    }

    fn draft() -> PetitionDraft {
        PetitionDraft {
            title: "夜勤手当の引き上げを求めます".into(),
            demand: "夜勤手当を**1回5,000円**に引き上げてください。".into(),
            target: "みなと介護サービス株式会社".into(),
            goal: "200".into(),
            deadline: "2026-12-20T17:00".into(),
            time_zone: UserTimeZone::TOKYO,
            audience: "".into(),
        }
    }

    fn petition(details: PetitionDetails) -> Petition {
        Petition {
            id: PetitionId(1),
            community_id: CommunityId(1),
            created_by: Some(UserId(1)),
            details,
            created_at: now(),
        }
    }

    #[test]
    fn a_valid_petition() {
        let details = draft().validate(now()).unwrap();
        assert_eq!(details.goal, 200);
        assert_eq!(details.audience, Audience::Members);
        assert_eq!(details.deadline.to_rfc3339(), "2026-12-20T08:00:00+00:00");
        let open = PetitionDraft {
            audience: "signed_in".into(),
            goal: "１，０００".into(),
            ..draft()
        }
        .validate(now())
        .unwrap();
        assert_eq!(open.audience, Audience::SignedIn);
        assert_eq!(open.goal, 1_000);
    }

    #[test]
    fn every_problem_is_reported() {
        let bad = PetitionDraft {
            title: "".into(),
            demand: "  ".into(),
            target: "x".repeat(121),
            goal: "0".into(),
            deadline: "2026-11-30T12:00".into(),
            audience: "everyone".into(),
            ..draft()
        };
        let errors = bad.validate(now()).unwrap_err();
        assert_eq!(
            errors,
            vec![
                PetitionFieldError::Title,
                PetitionFieldError::Demand,
                PetitionFieldError::Target,
                PetitionFieldError::Goal,
                PetitionFieldError::Deadline,
                PetitionFieldError::Audience,
            ]
        );
        let far = PetitionDraft {
            deadline: "2030-01-01T00:00".into(),
            ..draft()
        };
        assert_eq!(
            far.validate(now()).unwrap_err(),
            vec![PetitionFieldError::Deadline]
        );
        assert_eq!(parse_goal("1000001"), Err(PetitionFieldError::Goal));
        assert_eq!(parse_goal("12.5"), Err(PetitionFieldError::Goal));
        assert_eq!(validate_update(" "), Err(PetitionFieldError::Update));
        assert_eq!(validate_update(" 手渡しました "), Ok("手渡しました".into()));
    }

    #[test]
    fn who_may_sign_and_withdraw() {
        let members_only = petition(draft().validate(now()).unwrap());
        assert_eq!(may_sign(&members_only, true, now()), Ok(()));
        assert_eq!(
            may_sign(&members_only, false, now()),
            Err(SignatureRefusal::NotMember)
        );
        let after = members_only.details.deadline;
        assert_eq!(
            may_sign(&members_only, true, after),
            Err(SignatureRefusal::Closed)
        );
        assert_eq!(may_withdraw(&members_only, now()), Ok(()));
        assert_eq!(
            may_withdraw(&members_only, after),
            Err(SignatureRefusal::Closed)
        );
        let open = petition(
            PetitionDraft {
                audience: "signed_in".into(),
                ..draft()
            }
            .validate(now())
            .unwrap(),
        );
        assert_eq!(may_sign(&open, false, now()), Ok(()));
    }

    #[test]
    fn milestones_are_reached_by_the_nth_signature() {
        assert_eq!(milestone_threshold(200, 25), 50);
        assert_eq!(milestone_threshold(3, 25), 1);
        assert_eq!(milestone_threshold(3, 50), 2);
        assert_eq!(milestone_threshold(1, 100), 1);
        let t = |minutes: i64| now() + Duration::minutes(minutes);
        let times = [t(5), t(1), t(3)];
        let reached = milestones(4, &times);
        assert_eq!(reached[0].reached_at, Some(t(1)));
        assert_eq!(reached[1].reached_at, Some(t(3)));
        assert_eq!(reached[2].reached_at, Some(t(5)));
        assert_eq!(reached[3].reached_at, None);
        assert_eq!(progress_percent(3, 4), 75);
        assert_eq!(progress_percent(9, 4), 225);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Sign(i64),
        Withdraw(i64),
    }

    proptest! {
        #[test]
        fn one_signature_per_person(ops in proptest::collection::vec(
            prop_oneof![3 => (0..20i64).prop_map(Op::Sign), 1 => (0..20i64).prop_map(Op::Withdraw)], 0..200)
        ) {
            let mut book = SignatureBook::new();
            let mut model: std::collections::BTreeSet<i64> = Default::default();
            for op in ops {
                match op {
                    Op::Sign(p) => {
                        let result = book.sign(UserId(p));
                        prop_assert_eq!(result.is_ok(), model.insert(p));
                    }
                    Op::Withdraw(p) => {
                        let result = book.withdraw(UserId(p));
                        prop_assert_eq!(result.is_ok(), model.remove(&p));
                    }
                }
                let mut signers: Vec<i64> = book.signers().iter().map(|u| u.0).collect();
                signers.sort_unstable();
                let before = signers.len();
                signers.dedup();
                prop_assert_eq!(before, signers.len(), "nobody signs twice");
                prop_assert_eq!(book.count(), model.len() as u64);
            }
        }

        #[test]
        fn milestones_follow_the_count(goal in 1..500u32, count in 0..600usize) {
            let times: Vec<Timestamp> = (0..count).map(|i| now() + Duration::seconds(i as i64)).collect();
            for m in milestones(goal, &times) {
                prop_assert_eq!(m.reached_at.is_some(), count as u64 >= m.threshold);
                prop_assert!(m.threshold * 100 >= u64::from(goal) * u64::from(m.percent));
            }
        }
    }
}
