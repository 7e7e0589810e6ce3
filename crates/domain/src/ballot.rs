//! Proposals and ballots: one member, one vote.
//!
//! A ballot belongs to a community. Organisers write the proposal (a
//! Markdown text), choose the options (yes / no / abstain, or several
//! choices with an optional abstention), the opening and closing times
//! (typed in a time zone, Japan time by default), the quorum (the share of
//! the electorate that must vote) and the threshold to pass, and whether the
//! ballot is secret and whether results stay hidden until it closes.
//!
//! The rules here are pure functions the store applies inside the
//! transaction of each vote and that `VoteBook`, the in-memory reference
//! model, applies for the property tests:
//!
//! - **The electorate** is the community's active members when the ballot
//!   opens; only they may vote, each once. Units held in a co-op never
//!   weight a vote: a vote is a row, not a number.
//! - **Changing a vote** replaces it until the ballot closes; only the
//!   latest counts.
//! - **Counting**: every voter has exactly one counted vote, so the option
//!   totals add up to the number of voters. Abstentions count toward turnout
//!   and the quorum but not toward the base of the threshold (`tally`).
//! - **Secret ballots** record who voted but store the choice under a
//!   `ChoiceKey` — an HMAC of the ballot and the voter under a server secret
//!   that is not in the database — so stored rows cannot be joined back to a
//!   person. After close the keys are replaced by random ones
//!   (`ChoiceKey::random`), and then even the secret's holder cannot link them.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, SubsecRound};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::community::CommunityId;
use crate::event::parse_local_time;
use crate::{Timestamp, UserId, UserTimeZone};

/// The database id of a ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BallotId(pub i64);

/// The database id of one option of a ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OptionId(pub i64);

/// The database id of a follow-up action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FollowUpId(pub i64);

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 150;
/// Longest proposal text, in characters.
pub const MAX_BODY_CHARS: usize = 20_000;
/// Longest option label, in characters.
pub const MAX_OPTION_CHARS: usize = 100;
/// Fewest custom choices.
pub const MIN_CHOICES: usize = 2;
/// Most custom choices.
pub const MAX_CHOICES: usize = 10;
/// Longest outcome text, in characters.
pub const MAX_OUTCOME_CHARS: usize = 10_000;
/// Longest follow-up action, in characters.
pub const MAX_FOLLOW_UP_CHARS: usize = 500;
/// Longest a ballot may stay open, and how far ahead it may open.
pub const MAX_SPAN_DAYS: i64 = 366;
/// The automatic reminder goes out this long before the close.
pub const AUTO_REMINDER_BEFORE_HOURS: i64 = 24;
/// Organisers may send a reminder at most this often.
pub const MANUAL_REMINDER_GAP_HOURS: i64 = 6;

/// Yes/no/abstain or several choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BallotKind {
    /// A motion: yes, no or abstain. It passes when "yes" meets the threshold.
    YesNo,
    /// Several choices; the one with the most votes wins if it meets the
    /// threshold.
    Choices,
}

impl BallotKind {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            BallotKind::YesNo => "yes_no",
            BallotKind::Choices => "choices",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<BallotKind> {
        match name.trim() {
            "yes_no" | "yes_no_abstain" => Some(BallotKind::YesNo),
            "choices" => Some(BallotKind::Choices),
            _ => None,
        }
    }
}

/// What an option means for the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionRole {
    /// For the motion.
    Yes,
    /// Against the motion.
    No,
    /// Counted as a vote (turnout, quorum) but outside the threshold's base.
    Abstain,
    /// One of several choices, labelled by the organiser.
    Choice,
}

impl OptionRole {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            OptionRole::Yes => "yes",
            OptionRole::No => "no",
            OptionRole::Abstain => "abstain",
            OptionRole::Choice => "choice",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<OptionRole> {
        match name {
            "yes" => Some(OptionRole::Yes),
            "no" => Some(OptionRole::No),
            "abstain" => Some(OptionRole::Abstain),
            "choice" => Some(OptionRole::Choice),
            _ => None,
        }
    }
}

/// An option to create: yes, no and abstain carry no label of their own
/// (pages name them in the reader's language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOption {
    /// What it means.
    pub role: OptionRole,
    /// The organiser's label; empty for yes, no and abstain.
    pub label: String,
}

/// An option as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotOption {
    /// Id.
    pub id: OptionId,
    /// Place in the list, from 0.
    pub position: u8,
    /// What it means.
    pub role: OptionRole,
    /// The organiser's label; empty for yes, no and abstain.
    pub label: String,
}

/// The share of the counted (non-abstaining) votes an option needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Threshold {
    /// More than half.
    SimpleMajority,
    /// At least two thirds.
    TwoThirds,
    /// At least this percentage (1–100).
    Percent(u8),
}

impl Threshold {
    /// Stable name: `simple_majority`, `two_thirds` or `percent`.
    pub fn as_str(self) -> &'static str {
        match self {
            Threshold::SimpleMajority => "simple_majority",
            Threshold::TwoThirds => "two_thirds",
            Threshold::Percent(_) => "percent",
        }
    }

    /// The percentage of a `Percent` threshold.
    pub fn percent(self) -> Option<u8> {
        match self {
            Threshold::Percent(p) => Some(p),
            _ => None,
        }
    }

    /// Rebuilds a threshold from its stored name and percentage.
    pub fn from_parts(name: &str, percent: Option<i64>) -> Option<Threshold> {
        match (name, percent) {
            ("simple_majority", None) => Some(Threshold::SimpleMajority),
            ("two_thirds", None) => Some(Threshold::TwoThirds),
            ("percent", Some(p)) if (1..=100).contains(&p) => Some(Threshold::Percent(p as u8)),
            _ => None,
        }
    }

    /// Parses what a form or the API sends: `simple_majority`,
    /// `two_thirds`, or a percentage such as `60` or `60%`. Empty means a
    /// simple majority.
    pub fn parse(text: &str) -> Option<Threshold> {
        let text = text.trim();
        match text {
            "" | "simple_majority" | "majority" => Some(Threshold::SimpleMajority),
            "two_thirds" | "2/3" => Some(Threshold::TwoThirds),
            other => {
                let digits = other.strip_suffix('%').unwrap_or(other).trim();
                match digits.parse::<u8>() {
                    Ok(p) if (1..=100).contains(&p) => Some(Threshold::Percent(p)),
                    _ => None,
                }
            }
        }
    }

    /// Whether `votes` out of `base` meet the threshold. Nothing passes
    /// with a base of zero. Compared in integers, so two thirds is exact.
    pub fn met(self, votes: u64, base: u64) -> bool {
        if base == 0 || votes > base {
            return false;
        }
        let (v, b) = (u128::from(votes), u128::from(base));
        match self {
            Threshold::SimpleMajority => 2 * v > b,
            Threshold::TwoThirds => 3 * v >= 2 * b,
            Threshold::Percent(p) => 100 * v >= u128::from(p) * b,
        }
    }
}

/// The share of the electorate that must vote for a result to count,
/// in percent (0 means no quorum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quorum(u8);

impl Quorum {
    /// No quorum.
    pub const NONE: Quorum = Quorum(0);

    /// A quorum of `percent` (0–100).
    pub fn new(percent: u8) -> Option<Quorum> {
        (percent <= 100).then_some(Quorum(percent))
    }

    /// Parses a form value: empty is none, otherwise 0–100 with an
    /// optional `%`.
    pub fn parse(text: &str) -> Option<Quorum> {
        let text = text.trim();
        if text.is_empty() {
            return Some(Quorum::NONE);
        }
        let digits = text.strip_suffix('%').unwrap_or(text).trim();
        digits.parse::<u8>().ok().and_then(Quorum::new)
    }

    /// The percentage.
    pub fn percent(self) -> u8 {
        self.0
    }

    /// Whether `voted` people out of an electorate of `electorate` meet it.
    pub fn met(self, voted: u64, electorate: u64) -> bool {
        u128::from(voted) * 100 >= u128::from(self.0) * u128::from(electorate)
    }
}

/// The validated settings of a ballot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotDetails {
    /// Title, 1–150 characters.
    pub title: String,
    /// The proposal, Markdown, up to 20,000 characters.
    pub body: String,
    /// Yes/no or choices.
    pub kind: BallotKind,
    /// The options, in order.
    pub options: Vec<NewOption>,
    /// When voting starts (UTC); never before the ballot was created.
    pub opens_at: Timestamp,
    /// When voting ends (UTC), after the opening.
    pub closes_at: Timestamp,
    /// The zone the organiser typed the times in.
    pub time_zone: UserTimeZone,
    /// Who voted is recorded; what they chose cannot be linked to them.
    pub secret: bool,
    /// No totals for anyone until the ballot closes.
    pub results_hidden: bool,
    /// Share of the electorate that must vote.
    pub quorum: Quorum,
    /// Share of the non-abstaining votes needed to pass.
    pub threshold: Threshold,
}

/// A field of the ballot form and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BallotFieldError {
    /// Title empty, too long or with control characters.
    Title,
    /// Proposal text too long.
    Body,
    /// Not `yes_no` or `choices`.
    Kind,
    /// Fewer than 2 or more than 10 choices, one too long, or two the same.
    Options,
    /// Not a date and time, or more than a year ahead.
    OpensAt,
    /// Missing, not a date and time, not after the opening and the present,
    /// or more than a year after the opening.
    ClosesAt,
    /// Not an IANA time zone.
    TimeZone,
    /// Not a whole percentage from 0 to 100.
    Quorum,
    /// Not a simple majority, two thirds or a percentage from 1 to 100.
    Threshold,
}

/// The ballot form as typed.
#[derive(Debug, Clone, Default)]
pub struct BallotDraft {
    /// Title.
    pub title: String,
    /// Proposal text (Markdown).
    pub body: String,
    /// `yes_no` or `choices`; empty means `choices` when choices are given,
    /// otherwise `yes_no`.
    pub kind: String,
    /// The custom choices, one per entry (blank entries are ignored).
    pub choices: Vec<String>,
    /// Add an "abstain" option after the custom choices.
    pub abstain_option: bool,
    /// Local opening time, or an RFC 3339 instant; empty means now.
    pub opens_at: String,
    /// Local closing time, or an RFC 3339 instant.
    pub closes_at: String,
    /// IANA zone of the local times; empty means Asia/Tokyo.
    pub time_zone: String,
    /// Secret ballot.
    pub secret: bool,
    /// Results hidden until close.
    pub results_hidden: bool,
    /// Quorum in percent, or empty for none.
    pub quorum: String,
    /// Threshold: `simple_majority`, `two_thirds` or a percentage.
    pub threshold: String,
}

fn parse_time(text: &str, zone: UserTimeZone) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(instant) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(instant.with_timezone(&chrono::Utc).trunc_subsecs(6));
    }
    parse_local_time(text, zone)
}

fn valid_text(text: &str, max: usize) -> bool {
    !text.is_empty() && text.chars().count() <= max && !text.chars().any(char::is_control)
}

impl BallotDraft {
    /// Validates the draft at `now`; every problem is reported. An opening
    /// time in the past (or empty) means the ballot opens at once.
    pub fn validate(&self, now: Timestamp) -> Result<BallotDetails, Vec<BallotFieldError>> {
        let mut errors = Vec::new();
        let title = self.title.trim();
        if !valid_text(title, MAX_TITLE_CHARS) {
            errors.push(BallotFieldError::Title);
        }
        if self.body.chars().count() > MAX_BODY_CHARS {
            errors.push(BallotFieldError::Body);
        }
        let choices: Vec<&str> = self
            .choices
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        let kind = match self.kind.trim() {
            "" if choices.is_empty() => Some(BallotKind::YesNo),
            "" => Some(BallotKind::Choices),
            other => BallotKind::parse(other).or_else(|| {
                errors.push(BallotFieldError::Kind);
                None
            }),
        };
        let options = match kind {
            Some(BallotKind::YesNo) => vec![
                NewOption {
                    role: OptionRole::Yes,
                    label: String::new(),
                },
                NewOption {
                    role: OptionRole::No,
                    label: String::new(),
                },
                NewOption {
                    role: OptionRole::Abstain,
                    label: String::new(),
                },
            ],
            Some(BallotKind::Choices) => {
                let mut seen: Vec<String> = Vec::new();
                let mut ok = (MIN_CHOICES..=MAX_CHOICES).contains(&choices.len());
                for choice in &choices {
                    let folded = choice.to_lowercase();
                    if !valid_text(choice, MAX_OPTION_CHARS) || seen.contains(&folded) {
                        ok = false;
                    }
                    seen.push(folded);
                }
                if !ok {
                    errors.push(BallotFieldError::Options);
                }
                let mut options: Vec<NewOption> = choices
                    .iter()
                    .map(|c| NewOption {
                        role: OptionRole::Choice,
                        label: (*c).to_owned(),
                    })
                    .collect();
                if self.abstain_option {
                    options.push(NewOption {
                        role: OptionRole::Abstain,
                        label: String::new(),
                    });
                }
                options
            }
            None => Vec::new(),
        };
        let time_zone = match self.time_zone.trim() {
            "" => Some(UserTimeZone::TOKYO),
            name => UserTimeZone::parse(name).ok().or_else(|| {
                errors.push(BallotFieldError::TimeZone);
                None
            }),
        };
        let zone = time_zone.unwrap_or_default();
        let latest = now + Duration::days(MAX_SPAN_DAYS);
        let opens_at = if self.opens_at.trim().is_empty() {
            Some(now)
        } else {
            match parse_time(&self.opens_at, zone) {
                Some(t) if t <= latest => Some(t.max(now)),
                _ => {
                    errors.push(BallotFieldError::OpensAt);
                    None
                }
            }
        };
        let closes_at = parse_time(&self.closes_at, zone);
        match (opens_at, closes_at) {
            (_, None) => errors.push(BallotFieldError::ClosesAt),
            (Some(open), Some(close))
                if close <= open || close - open > Duration::days(MAX_SPAN_DAYS) =>
            {
                errors.push(BallotFieldError::ClosesAt)
            }
            _ => {}
        }
        let quorum = Quorum::parse(&self.quorum).or_else(|| {
            errors.push(BallotFieldError::Quorum);
            None
        });
        let threshold = Threshold::parse(&self.threshold).or_else(|| {
            errors.push(BallotFieldError::Threshold);
            None
        });
        match (kind, time_zone, opens_at, closes_at, quorum, threshold) {
            (
                Some(kind),
                Some(time_zone),
                Some(opens_at),
                Some(closes_at),
                Some(quorum),
                Some(threshold),
            ) if errors.is_empty() => Ok(BallotDetails {
                title: title.to_owned(),
                body: self.body.trim().to_owned(),
                kind,
                options,
                opens_at,
                closes_at,
                time_zone,
                secret: self.secret,
                results_hidden: self.results_hidden,
                quorum,
                threshold,
            }),
            _ => Err(errors),
        }
    }
}

/// The electorate, once taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Electorate {
    /// When it was taken (at or after the opening).
    pub taken_at: Timestamp,
    /// How many members may vote.
    pub size: u64,
}

/// The outcome organisers record after the close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// What was decided and what happens next (Markdown).
    pub text: String,
    /// When it was last saved.
    pub recorded_at: Timestamp,
    /// Who saved it (`None` once their account is deleted).
    pub recorded_by: Option<UserId>,
}

/// A ballot as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    /// Id.
    pub id: BallotId,
    /// The community that holds it.
    pub community_id: CommunityId,
    /// The organiser who created it (`None` once their account is deleted).
    pub created_by: Option<UserId>,
    /// Title.
    pub title: String,
    /// The proposal (Markdown).
    pub body: String,
    /// Yes/no or choices.
    pub kind: BallotKind,
    /// The options, in order.
    pub options: Vec<BallotOption>,
    /// Opening (UTC).
    pub opens_at: Timestamp,
    /// Closing (UTC).
    pub closes_at: Timestamp,
    /// The zone the times were typed in.
    pub time_zone: UserTimeZone,
    /// Secret ballot.
    pub secret: bool,
    /// Results hidden until close.
    pub results_hidden: bool,
    /// Quorum.
    pub quorum: Quorum,
    /// Threshold.
    pub threshold: Threshold,
    /// Creation time.
    pub created_at: Timestamp,
    /// The electorate, once the ballot has opened.
    pub electorate: Option<Electorate>,
    /// When the votes were frozen after the close (and secret keys replaced).
    pub finalised_at: Option<Timestamp>,
    /// When the last reminder went out.
    pub reminded_at: Option<Timestamp>,
    /// The recorded outcome.
    pub outcome: Option<Outcome>,
    /// Set when the organisers withdrew the ballot before it opened.
    pub withdrawal: Option<Withdrawal>,
}

/// A ballot withdrawn before it opened (取り下げ). It stays on record, with
/// who withdrew it and why, and never takes an electorate or a vote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    /// When.
    pub at: Timestamp,
    /// The organiser who withdrew it (`None` once their account is deleted).
    pub by: Option<UserId>,
    /// Why, as they wrote it.
    pub reason: String,
}

/// Longest withdrawal reason, in characters.
pub const MAX_WITHDRAWAL_REASON_CHARS: usize = 1_000;

/// Why a ballot cannot be withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WithdrawalRefusal {
    /// Voting has begun (or ended): the electorate is fixed and votes may exist.
    #[error("the ballot has opened")]
    AlreadyOpen,
    /// It was withdrawn already.
    #[error("the ballot is withdrawn already")]
    AlreadyWithdrawn,
}

/// Where a ballot stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Not open yet.
    Upcoming,
    /// Taking votes.
    Open,
    /// Closed: the result is final.
    Closed,
    /// Withdrawn before it opened: no votes, ever.
    Withdrawn,
}

impl Phase {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Upcoming => "upcoming",
            Phase::Open => "open",
            Phase::Closed => "closed",
            Phase::Withdrawn => "withdrawn",
        }
    }
}

/// The phase of a ballot opening at `opens_at` and closing at `closes_at`.
pub fn phase(opens_at: Timestamp, closes_at: Timestamp, now: Timestamp) -> Phase {
    if now < opens_at {
        Phase::Upcoming
    } else if now < closes_at {
        Phase::Open
    } else {
        Phase::Closed
    }
}

impl Ballot {
    /// The phase at `now`.
    pub fn phase(&self, now: Timestamp) -> Phase {
        if self.withdrawal.is_some() {
            Phase::Withdrawn
        } else {
            phase(self.opens_at, self.closes_at, now)
        }
    }

    /// Whether the organisers may withdraw it at `now`: only before it
    /// opens, while nobody can have voted.
    pub fn may_withdraw(&self, now: Timestamp) -> Result<(), WithdrawalRefusal> {
        match self.phase(now) {
            Phase::Withdrawn => Err(WithdrawalRefusal::AlreadyWithdrawn),
            Phase::Upcoming if self.electorate.is_none() => Ok(()),
            _ => Err(WithdrawalRefusal::AlreadyOpen),
        }
    }

    /// The option with this id.
    pub fn option(&self, id: OptionId) -> Option<&BallotOption> {
        self.options.iter().find(|o| o.id == id)
    }

    /// Whether the electorate is due to be taken at `now`.
    pub fn electorate_due(&self, now: Timestamp) -> bool {
        self.withdrawal.is_none() && self.electorate.is_none() && now >= self.opens_at
    }

    /// Whether the votes are due to be frozen at `now`.
    pub fn finalisation_due(&self, now: Timestamp) -> bool {
        self.withdrawal.is_none() && self.finalised_at.is_none() && now >= self.closes_at
    }
}

/// What a reader may see of the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultAccess {
    /// The final result (after the close).
    Final,
    /// The running count (organisers, open ballots whose results are not
    /// hidden and that are not secret).
    Running,
    /// Nothing but turnout.
    Hidden,
}

/// Who sees which counts. After the close everyone who may read the
/// ballot sees the result. Before it, only organisers see a running count,
/// and only when results are not hidden and the ballot is not secret: with
/// a secret ballot, watching the count move as each person votes would
/// tell an organiser what they chose.
pub fn result_access(
    phase: Phase,
    secret: bool,
    results_hidden: bool,
    organiser: bool,
) -> ResultAccess {
    match phase {
        Phase::Closed => ResultAccess::Final,
        Phase::Open if organiser && !results_hidden && !secret => ResultAccess::Running,
        _ => ResultAccess::Hidden,
    }
}

/// The counts of a ballot and what they mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// How many members may vote.
    pub electorate: u64,
    /// How many voted (each voter has exactly one counted vote).
    pub counted_votes: u64,
    /// Votes per option, in option order.
    pub votes: Vec<(OptionId, u64)>,
    /// Votes outside the abstentions: the threshold's base.
    pub base: u64,
    /// Whether enough of the electorate voted.
    pub quorum_met: bool,
    /// The winning option: "yes" when a motion passes, the choice with the
    /// most votes when it meets the threshold and is not tied.
    pub winner: Option<OptionId>,
    /// Whether the proposal passed (quorum met and threshold met).
    pub passed: bool,
}

impl Tally {
    /// Share of the electorate that voted, 0–1.
    pub fn turnout(&self) -> f64 {
        if self.electorate == 0 {
            0.0
        } else {
            self.counted_votes as f64 / self.electorate as f64
        }
    }

    /// Votes for one option.
    pub fn votes_for(&self, option: OptionId) -> u64 {
        self.votes
            .iter()
            .find(|(id, _)| *id == option)
            .map_or(0, |(_, n)| *n)
    }
}

/// Counts a ballot. `counts` holds the votes per option id (options
/// without votes may be missing; ids that are not options are ignored, as
/// the schema never stores them). Abstentions count toward the turnout and
/// the quorum but not toward the base: "two thirds" means two thirds of
/// those who took a side.
pub fn tally(
    kind: BallotKind,
    options: &[BallotOption],
    quorum: Quorum,
    threshold: Threshold,
    electorate: u64,
    counts: &[(OptionId, u64)],
) -> Tally {
    let votes: Vec<(OptionId, u64)> = options
        .iter()
        .map(|o| {
            let n = counts
                .iter()
                .filter(|(id, _)| *id == o.id)
                .map(|(_, n)| *n)
                .sum();
            (o.id, n)
        })
        .collect();
    let role = |id: OptionId| options.iter().find(|o| o.id == id).map(|o| o.role);
    let counted_votes: u64 = votes.iter().map(|(_, n)| n).sum();
    let base: u64 = votes
        .iter()
        .filter(|(id, _)| role(*id) != Some(OptionRole::Abstain))
        .map(|(_, n)| n)
        .sum();
    let quorum_met = quorum.met(counted_votes, electorate);
    let candidate = match kind {
        BallotKind::YesNo => votes
            .iter()
            .find(|(id, _)| role(*id) == Some(OptionRole::Yes))
            .copied(),
        BallotKind::Choices => {
            let sides: Vec<(OptionId, u64)> = votes
                .iter()
                .filter(|(id, _)| role(*id) != Some(OptionRole::Abstain))
                .copied()
                .collect();
            let top = sides.iter().map(|(_, n)| *n).max().unwrap_or(0);
            let leaders: Vec<&(OptionId, u64)> =
                sides.iter().filter(|(_, n)| *n == top && top > 0).collect();
            match leaders.as_slice() {
                [only] => Some(**only),
                _ => None,
            }
        }
    };
    let winner = candidate
        .filter(|(_, n)| threshold.met(*n, base))
        .map(|(id, _)| id);
    Tally {
        electorate,
        counted_votes,
        votes,
        base,
        quorum_met,
        passed: quorum_met && winner.is_some(),
        winner: winner.filter(|_| quorum_met),
    }
}

/// Why a vote is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VoteRefusal {
    /// The ballot has not opened yet.
    #[error("the ballot is not open yet")]
    NotOpenYet,
    /// The ballot has closed.
    #[error("the ballot has closed")]
    Closed,
    /// The person was not an active member when the ballot opened.
    #[error("not in the electorate")]
    NotElector,
    /// The ballot was withdrawn before it opened.
    #[error("the ballot was withdrawn")]
    Withdrawn,
    /// The option is not one of the ballot's.
    #[error("not an option of this ballot")]
    UnknownOption,
}

/// Whether a vote may be cast at `now` by someone who is (or is not) in
/// the electorate, for an option that is (or is not) the ballot's.
pub fn check_vote(phase: Phase, elector: bool, option_known: bool) -> Result<(), VoteRefusal> {
    match phase {
        Phase::Upcoming => Err(VoteRefusal::NotOpenYet),
        Phase::Closed => Err(VoteRefusal::Closed),
        Phase::Withdrawn => Err(VoteRefusal::Withdrawn),
        Phase::Open if !elector => Err(VoteRefusal::NotElector),
        Phase::Open if !option_known => Err(VoteRefusal::UnknownOption),
        Phase::Open => Ok(()),
    }
}

/// What a vote did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteEffect {
    /// The first vote of this person.
    Cast,
    /// A different choice replaced their earlier one.
    Changed,
    /// The same choice again: nothing changed.
    Unchanged,
}

/// The votes of one ballot in memory, applying the same rules as the store:
/// the reference model of "one member, one vote" for the property tests.
#[derive(Debug, Clone)]
pub struct VoteBook {
    phase: Phase,
    electorate: Vec<UserId>,
    options: Vec<OptionId>,
    current: BTreeMap<UserId, OptionId>,
}

impl VoteBook {
    /// An open ballot with this electorate and these options.
    pub fn new(electorate: &[UserId], options: &[OptionId]) -> VoteBook {
        VoteBook {
            phase: Phase::Open,
            electorate: electorate.to_vec(),
            options: options.to_vec(),
            current: BTreeMap::new(),
        }
    }

    /// Casts or changes a vote.
    pub fn cast(&mut self, voter: UserId, option: OptionId) -> Result<VoteEffect, VoteRefusal> {
        check_vote(
            self.phase,
            self.electorate.contains(&voter),
            self.options.contains(&option),
        )?;
        Ok(match self.current.insert(voter, option) {
            None => VoteEffect::Cast,
            Some(previous) if previous == option => VoteEffect::Unchanged,
            Some(_) => VoteEffect::Changed,
        })
    }

    /// Closes the ballot: later votes are refused.
    pub fn close(&mut self) {
        self.phase = Phase::Closed;
    }

    /// The counted vote of each voter.
    pub fn counted(&self) -> &BTreeMap<UserId, OptionId> {
        &self.current
    }

    /// Votes per option, in option order.
    pub fn counts(&self) -> Vec<(OptionId, u64)> {
        self.options
            .iter()
            .map(|o| (*o, self.current.values().filter(|v| *v == o).count() as u64))
            .collect()
    }
}

/// When an organiser's reminder may go out: if the last one was sent
/// before the returned time (or none was). The store compares and sets
/// `reminded_at` in one statement, so two servers never both send.
pub fn manual_reminder_cutoff(now: Timestamp) -> Timestamp {
    now - Duration::hours(MANUAL_REMINDER_GAP_HOURS)
}

/// When the automatic reminder of a ballot is due: a day before the close,
/// while the ballot is open, unless a reminder already went out within that
/// last day. Returns the cutoff to compare `reminded_at` against.
pub fn auto_reminder_cutoff(
    opens_at: Timestamp,
    closes_at: Timestamp,
    now: Timestamp,
) -> Option<Timestamp> {
    let starts = closes_at - Duration::hours(AUTO_REMINDER_BEFORE_HOURS);
    (phase(opens_at, closes_at, now) == Phase::Open && now >= starts).then_some(starts)
}

/// Whether a reminder last sent at `reminded_at` leaves room for another
/// under `cutoff`.
pub fn reminder_allowed(reminded_at: Option<Timestamp>, cutoff: Timestamp) -> bool {
    reminded_at.is_none_or(|last| last < cutoff)
}

/// The recorded outcome, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeFieldError {
    /// Outcome empty or longer than 10,000 characters.
    Outcome,
    /// Follow-up action empty, too long or with control characters.
    Action,
    /// Due date not a `YYYY-MM-DD` date.
    DueOn,
    /// Withdrawal reason empty or longer than 1,000 characters.
    WithdrawalReason,
}

/// Validates the reason given for withdrawing a ballot.
pub fn validate_withdrawal_reason(text: &str) -> Result<String, OutcomeFieldError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_WITHDRAWAL_REASON_CHARS {
        Err(OutcomeFieldError::WithdrawalReason)
    } else {
        Ok(text.to_owned())
    }
}

/// Validates an outcome text.
pub fn validate_outcome(text: &str) -> Result<String, OutcomeFieldError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_OUTCOME_CHARS {
        Err(OutcomeFieldError::Outcome)
    } else {
        Ok(text.to_owned())
    }
}

/// A follow-up action, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpDetails {
    /// What is to be done.
    pub action: String,
    /// By when, if anyone said.
    pub due_on: Option<NaiveDate>,
}

/// A follow-up action as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// Id.
    pub id: FollowUpId,
    /// The ballot it follows.
    pub ballot_id: BallotId,
    /// What and by when.
    pub details: FollowUpDetails,
    /// Done.
    pub done: bool,
    /// Who recorded it.
    pub recorded_by: Option<UserId>,
    /// When.
    pub recorded_at: Timestamp,
}

/// Validates a follow-up action: 1–500 characters and an optional date.
pub fn validate_follow_up(
    action: &str,
    due_on: &str,
) -> Result<FollowUpDetails, Vec<OutcomeFieldError>> {
    let mut errors = Vec::new();
    let action = action.trim();
    if !valid_text(action, MAX_FOLLOW_UP_CHARS) {
        errors.push(OutcomeFieldError::Action);
    }
    let due_on = match due_on.trim() {
        "" => None,
        text => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .or_else(|| {
                errors.push(OutcomeFieldError::DueOn);
                None
            }),
    };
    if errors.is_empty() {
        Ok(FollowUpDetails {
            action: action.to_owned(),
            due_on,
        })
    } else {
        Err(errors)
    }
}

/// The server secret that keys secret-ballot choices. It lives in the
/// server's configuration, never in the database, so a copy of the
/// database (a backup, a dump, a leaked replica) cannot link a choice to a
/// voter. Every server of one deployment needs the same secret.
#[derive(Clone)]
pub struct BallotSecret(Vec<u8>);

/// A secret shorter than 32 characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the ballot secret must be at least 32 characters")]
pub struct BallotSecretTooShort;

impl BallotSecret {
    /// Shortest accepted secret, in characters.
    pub const MIN_CHARS: usize = 32;

    /// A secret from configuration text (at least 32 characters).
    pub fn from_text(text: &str) -> Result<BallotSecret, BallotSecretTooShort> {
        let text = text.trim();
        if text.chars().count() < Self::MIN_CHARS {
            return Err(BallotSecretTooShort);
        }
        Ok(BallotSecret(text.as_bytes().to_vec()))
    }

    /// A fresh random secret and its text, to write to a key file.
    pub fn generate() -> (BallotSecret, String) {
        let text = crate::SecretToken::generate().expose().to_owned();
        (BallotSecret(text.as_bytes().to_vec()), text)
    }

    /// The key under which `voter`'s choice in `ballot` is stored:
    /// HMAC-SHA256 of the ballot and the voter, hex-encoded. Deterministic,
    /// so a voter can change their choice; different per ballot, so one
    /// person's keys in two ballots do not match.
    pub fn choice_key(&self, ballot: BallotId, voter: UserId) -> ChoiceKey {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(b"tsunagari secret ballot choice v1\0");
        mac.update(&ballot.0.to_be_bytes());
        mac.update(&voter.0.to_be_bytes());
        ChoiceKey(hex(&mac.finalize().into_bytes()))
    }
}

impl std::fmt::Debug for BallotSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BallotSecret(***)")
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key of one anonymous choice of a secret ballot: 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChoiceKey(pub String);

impl ChoiceKey {
    /// A random key, to replace a voter's key once the ballot closes.
    pub fn random() -> ChoiceKey {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        ChoiceKey(hex(&bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    /// A stored yes/no ballot opening in a day and open for a week.
    fn upcoming_ballot() -> Ballot {
        Ballot {
            id: BallotId(1),
            community_id: CommunityId(1),
            created_by: Some(UserId(1)),
            title: "配食サービスを始める".into(),
            body: String::new(),
            kind: BallotKind::YesNo,
            options: Vec::new(),
            opens_at: now() + Duration::days(1),
            closes_at: now() + Duration::days(8),
            time_zone: UserTimeZone::TOKYO,
            secret: false,
            results_hidden: false,
            quorum: Quorum::new(0).unwrap(),
            threshold: Threshold::SimpleMajority,
            created_at: now(),
            electorate: None,
            finalised_at: None,
            reminded_at: None,
            outcome: None,
            withdrawal: None,
        }
    }

    #[test]
    fn only_a_ballot_that_has_not_opened_can_be_withdrawn() {
        let ballot = upcoming_ballot();
        assert_eq!(ballot.may_withdraw(now()), Ok(()));
        assert_eq!(
            ballot.may_withdraw(ballot.opens_at),
            Err(WithdrawalRefusal::AlreadyOpen),
            "not from the opening on"
        );
        assert_eq!(
            ballot.may_withdraw(ballot.closes_at),
            Err(WithdrawalRefusal::AlreadyOpen)
        );
        let taken = Ballot {
            electorate: Some(Electorate {
                taken_at: now(),
                size: 3,
            }),
            ..upcoming_ballot()
        };
        assert_eq!(
            taken.may_withdraw(now()),
            Err(WithdrawalRefusal::AlreadyOpen),
            "an electorate is taken"
        );

        let withdrawn = Ballot {
            withdrawal: Some(Withdrawal {
                at: now(),
                by: Some(UserId(1)),
                reason: "日程の誤り".into(),
            }),
            ..upcoming_ballot()
        };
        assert_eq!(
            withdrawn.may_withdraw(now()),
            Err(WithdrawalRefusal::AlreadyWithdrawn)
        );
        for at in [
            now(),
            withdrawn.opens_at,
            withdrawn.closes_at + Duration::days(1),
        ] {
            assert_eq!(withdrawn.phase(at), Phase::Withdrawn, "withdrawn for good");
            assert!(
                !withdrawn.electorate_due(at) && !withdrawn.finalisation_due(at),
                "no background work"
            );
            assert_eq!(
                check_vote(withdrawn.phase(at), true, true),
                Err(VoteRefusal::Withdrawn)
            );
            assert_eq!(
                result_access(withdrawn.phase(at), false, false, true),
                ResultAccess::Hidden
            );
        }
        assert_eq!(
            validate_withdrawal_reason("  日程の誤り "),
            Ok("日程の誤り".into())
        );
        assert_eq!(
            validate_withdrawal_reason(" "),
            Err(OutcomeFieldError::WithdrawalReason)
        );
        assert_eq!(
            validate_withdrawal_reason(&"あ".repeat(MAX_WITHDRAWAL_REASON_CHARS + 1)),
            Err(OutcomeFieldError::WithdrawalReason)
        );
    }

    fn now() -> Timestamp {
        chrono::Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()
    }

    fn draft() -> BallotDraft {
        BallotDraft {
            title: "2027年度の事業計画".into(),
            body: "**配食サービス**を始める案です。".into(),
            kind: "".into(),
            choices: vec![],
            abstain_option: false,
            opens_at: "".into(),
            closes_at: "2026-12-08T18:00".into(),
            time_zone: "".into(),
            secret: false,
            results_hidden: false,
            quorum: "50".into(),
            threshold: "".into(),
        }
    }

    fn options(roles: &[OptionRole]) -> Vec<BallotOption> {
        roles
            .iter()
            .enumerate()
            .map(|(i, role)| BallotOption {
                id: OptionId(i as i64 + 1),
                position: i as u8,
                role: *role,
                label: String::new(),
            })
            .collect()
    }

    #[test]
    fn a_yes_no_ballot_opens_now_in_tokyo_time() {
        let details = draft().validate(now()).unwrap();
        assert_eq!(details.kind, BallotKind::YesNo);
        let roles: Vec<OptionRole> = details.options.iter().map(|o| o.role).collect();
        assert_eq!(
            roles,
            vec![OptionRole::Yes, OptionRole::No, OptionRole::Abstain]
        );
        assert_eq!(details.opens_at, now());
        assert_eq!(details.closes_at.to_rfc3339(), "2026-12-08T09:00:00+00:00");
        assert_eq!(details.quorum.percent(), 50);
        assert_eq!(details.threshold, Threshold::SimpleMajority);
    }

    #[test]
    fn choices_are_trimmed_checked_and_may_get_an_abstention() {
        let choices = BallotDraft {
            choices: vec!["A案".into(), "  ".into(), "B案 ".into()],
            abstain_option: true,
            threshold: "60%".into(),
            opens_at: "2026-11-01T09:00".into(),
            ..draft()
        };
        let details = choices.validate(now()).unwrap();
        assert_eq!(details.kind, BallotKind::Choices);
        let labels: Vec<&str> = details.options.iter().map(|o| o.label.as_str()).collect();
        assert_eq!(labels, vec!["A案", "B案", ""]);
        assert_eq!(details.options[2].role, OptionRole::Abstain);
        assert_eq!(details.threshold, Threshold::Percent(60));
        assert_eq!(details.opens_at, now(), "an opening in the past means now");

        let duplicate = BallotDraft {
            choices: vec!["A".into(), "a".into()],
            ..draft()
        };
        assert_eq!(
            duplicate.validate(now()).unwrap_err(),
            vec![BallotFieldError::Options]
        );
        let one = BallotDraft {
            kind: "choices".into(),
            choices: vec!["A".into()],
            ..draft()
        };
        assert_eq!(
            one.validate(now()).unwrap_err(),
            vec![BallotFieldError::Options]
        );
        let many = BallotDraft {
            choices: (0..11).map(|n| n.to_string()).collect(),
            ..draft()
        };
        assert_eq!(
            many.validate(now()).unwrap_err(),
            vec![BallotFieldError::Options]
        );
    }

    #[test]
    fn every_problem_is_reported() {
        let bad = BallotDraft {
            title: " ".into(),
            kind: "ranked".into(),
            closes_at: "next week".into(),
            time_zone: "Mars/Base".into(),
            quorum: "101".into(),
            threshold: "0".into(),
            opens_at: "2028-01-01T00:00".into(),
            ..draft()
        };
        let errors = bad.validate(now()).unwrap_err();
        for expected in [
            BallotFieldError::Title,
            BallotFieldError::Kind,
            BallotFieldError::ClosesAt,
            BallotFieldError::TimeZone,
            BallotFieldError::Quorum,
            BallotFieldError::Threshold,
            BallotFieldError::OpensAt,
        ] {
            assert!(errors.contains(&expected), "{expected:?} in {errors:?}");
        }
        let closed_before_now = BallotDraft {
            closes_at: "2026-11-30T08:00".into(),
            ..draft()
        };
        assert_eq!(
            closed_before_now.validate(now()).unwrap_err(),
            vec![BallotFieldError::ClosesAt]
        );
        let before_opening = BallotDraft {
            opens_at: "2026-12-10T09:00".into(),
            ..draft()
        };
        assert_eq!(
            before_opening.validate(now()).unwrap_err(),
            vec![BallotFieldError::ClosesAt]
        );
        let rfc3339 = BallotDraft {
            closes_at: "2026-12-08T18:00:00+09:00".into(),
            time_zone: "Europe/London".into(),
            ..draft()
        };
        assert_eq!(
            rfc3339.validate(now()).unwrap().closes_at.to_rfc3339(),
            "2026-12-08T09:00:00+00:00"
        );
    }

    #[test]
    fn thresholds_compare_exactly() {
        assert!(Threshold::SimpleMajority.met(3, 5));
        assert!(
            !Threshold::SimpleMajority.met(2, 4),
            "a tie is not a majority"
        );
        assert!(Threshold::TwoThirds.met(2, 3));
        assert!(!Threshold::TwoThirds.met(66, 100));
        assert!(Threshold::TwoThirds.met(67, 100));
        assert!(
            Threshold::Percent(50).met(2, 4),
            "at least 50% includes half"
        );
        assert!(!Threshold::Percent(75).met(74, 100));
        assert!(
            !Threshold::SimpleMajority.met(0, 0),
            "nothing passes without votes"
        );
        assert_eq!(Threshold::parse("2/3"), Some(Threshold::TwoThirds));
        assert_eq!(Threshold::parse("101"), None);
        assert_eq!(
            Threshold::from_parts("percent", Some(60)),
            Some(Threshold::Percent(60))
        );
        assert_eq!(Threshold::from_parts("percent", None), None);
        assert!(Quorum::parse("50").unwrap().met(5, 10));
        assert!(!Quorum::parse("50%").unwrap().met(4, 9));
        assert!(Quorum::NONE.met(0, 10));
        assert_eq!(Quorum::parse("-1"), None);
    }

    #[test]
    fn abstentions_count_for_the_quorum_but_not_the_base() {
        let opts = options(&[OptionRole::Yes, OptionRole::No, OptionRole::Abstain]);
        let counts = [(OptionId(1), 3), (OptionId(2), 2), (OptionId(3), 5)];
        let t = tally(
            BallotKind::YesNo,
            &opts,
            Quorum::new(50).unwrap(),
            Threshold::SimpleMajority,
            20,
            &counts,
        );
        assert_eq!((t.counted_votes, t.base), (10, 5));
        assert!(t.quorum_met && t.passed);
        assert_eq!(t.winner, Some(OptionId(1)));
        assert!((t.turnout() - 0.5).abs() < 1e-9);
        // One voter fewer: the quorum fails and so does the proposal.
        let t = tally(
            BallotKind::YesNo,
            &opts,
            Quorum::new(50).unwrap(),
            Threshold::SimpleMajority,
            21,
            &counts,
        );
        assert!(!t.quorum_met && !t.passed && t.winner.is_none());
        // "No" winning does not pass the motion.
        let against = [(OptionId(1), 1), (OptionId(2), 4)];
        let t = tally(
            BallotKind::YesNo,
            &opts,
            Quorum::NONE,
            Threshold::SimpleMajority,
            5,
            &against,
        );
        assert!(!t.passed);
    }

    #[test]
    fn a_tie_between_choices_passes_nothing() {
        let opts = options(&[OptionRole::Choice, OptionRole::Choice, OptionRole::Choice]);
        let tied = [(OptionId(1), 2), (OptionId(2), 2), (OptionId(3), 0)];
        let t = tally(
            BallotKind::Choices,
            &opts,
            Quorum::NONE,
            Threshold::Percent(30),
            4,
            &tied,
        );
        assert!(!t.passed && t.winner.is_none());
        let clear = [(OptionId(1), 1), (OptionId(2), 2), (OptionId(3), 1)];
        let t = tally(
            BallotKind::Choices,
            &opts,
            Quorum::NONE,
            Threshold::Percent(50),
            4,
            &clear,
        );
        assert_eq!(t.winner, Some(OptionId(2)));
        let t = tally(
            BallotKind::Choices,
            &opts,
            Quorum::NONE,
            Threshold::SimpleMajority,
            4,
            &clear,
        );
        assert!(!t.passed, "two of four is not more than half");
    }

    #[test]
    fn who_sees_what() {
        use ResultAccess::*;
        assert_eq!(result_access(Phase::Closed, true, true, false), Final);
        assert_eq!(result_access(Phase::Open, false, false, true), Running);
        assert_eq!(result_access(Phase::Open, false, false, false), Hidden);
        assert_eq!(result_access(Phase::Open, false, true, true), Hidden);
        assert_eq!(result_access(Phase::Open, true, false, true), Hidden);
        assert_eq!(result_access(Phase::Upcoming, false, false, true), Hidden);
    }

    #[test]
    fn votes_are_refused_outside_the_open_phase_and_the_electorate() {
        let mut book = VoteBook::new(&[UserId(1), UserId(2)], &[OptionId(10), OptionId(11)]);
        assert_eq!(book.cast(UserId(1), OptionId(10)), Ok(VoteEffect::Cast));
        assert_eq!(
            book.cast(UserId(1), OptionId(10)),
            Ok(VoteEffect::Unchanged)
        );
        assert_eq!(book.cast(UserId(1), OptionId(11)), Ok(VoteEffect::Changed));
        assert_eq!(
            book.cast(UserId(3), OptionId(10)),
            Err(VoteRefusal::NotElector)
        );
        assert_eq!(
            book.cast(UserId(2), OptionId(12)),
            Err(VoteRefusal::UnknownOption)
        );
        book.close();
        assert_eq!(book.cast(UserId(2), OptionId(10)), Err(VoteRefusal::Closed));
        assert_eq!(book.counts(), vec![(OptionId(10), 0), (OptionId(11), 1)]);
        assert_eq!(
            check_vote(Phase::Upcoming, true, true),
            Err(VoteRefusal::NotOpenYet)
        );
    }

    #[test]
    fn reminders_are_spaced() {
        let opens = now();
        let closes = now() + Duration::days(7);
        assert_eq!(
            auto_reminder_cutoff(opens, closes, now() + Duration::days(1)),
            None
        );
        let late = closes - Duration::hours(3);
        let cutoff = auto_reminder_cutoff(opens, closes, late).unwrap();
        assert!(reminder_allowed(None, cutoff));
        assert!(reminder_allowed(Some(closes - Duration::days(2)), cutoff));
        assert!(!reminder_allowed(Some(closes - Duration::hours(5)), cutoff));
        assert_eq!(auto_reminder_cutoff(opens, closes, closes), None, "closed");
        let manual = manual_reminder_cutoff(late);
        assert!(!reminder_allowed(Some(late - Duration::hours(1)), manual));
        assert!(reminder_allowed(Some(late - Duration::hours(7)), manual));
    }

    #[test]
    fn outcomes_and_follow_ups() {
        assert_eq!(
            validate_outcome("  可決。来月から開始。 ").unwrap(),
            "可決。来月から開始。"
        );
        assert_eq!(validate_outcome(" "), Err(OutcomeFieldError::Outcome));
        let f = validate_follow_up("理事会で予算案を作る", "2027-01-15").unwrap();
        assert_eq!(f.due_on, NaiveDate::from_ymd_opt(2027, 1, 15));
        assert_eq!(
            validate_follow_up("", "15/01/2027").unwrap_err(),
            vec![OutcomeFieldError::Action, OutcomeFieldError::DueOn]
        );
    }

    #[test]
    fn choice_keys_are_keyed_per_ballot_and_voter() {
        let secret = BallotSecret::from_text("a-secret-of-at-least-thirty-two-characters").unwrap();
        let a = secret.choice_key(BallotId(1), UserId(7));
        assert_eq!(
            a,
            secret.choice_key(BallotId(1), UserId(7)),
            "deterministic"
        );
        assert_eq!(a.0.len(), 64);
        assert_ne!(a, secret.choice_key(BallotId(2), UserId(7)));
        assert_ne!(a, secret.choice_key(BallotId(1), UserId(8)));
        let other = BallotSecret::from_text("another-secret-of-at-least-thirty-two-chars").unwrap();
        assert_ne!(a, other.choice_key(BallotId(1), UserId(7)));
        assert!(BallotSecret::from_text("short").is_err());
        assert_eq!(format!("{secret:?}"), "BallotSecret(***)");
        assert_ne!(ChoiceKey::random(), ChoiceKey::random());
        let (generated, text) = BallotSecret::generate();
        let again = BallotSecret::from_text(&text).unwrap();
        assert_eq!(
            generated.choice_key(BallotId(1), UserId(1)),
            again.choice_key(BallotId(1), UserId(1))
        );
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2 of RFC 4231, through the same primitive.
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[derive(Debug, Clone)]
    enum Op {
        Vote(i64, i64),
        Close,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            40 => (0..25i64, 0..5i64).prop_map(|(u, o)| Op::Vote(u, o)),
            1 => Just(Op::Close),
        ]
    }

    proptest! {
        #[test]
        fn one_counted_vote_per_member(
            electorate_size in 0..20i64,
            ops in proptest::collection::vec(op(), 0..300),
        ) {
            let electorate: Vec<UserId> = (0..electorate_size).map(UserId).collect();
            // Options 0..4 exist; 4 does not.
            let ids: Vec<OptionId> = (0..4).map(OptionId).collect();
            let mut book = VoteBook::new(&electorate, &ids);
            let mut last: BTreeMap<UserId, OptionId> = BTreeMap::new();
            let mut closed = false;
            for op in ops {
                match op {
                    Op::Vote(u, o) => {
                        let result = book.cast(UserId(u), OptionId(o));
                        let allowed = !closed && electorate.contains(&UserId(u)) && ids.contains(&OptionId(o));
                        prop_assert_eq!(result.is_ok(), allowed);
                        if allowed {
                            last.insert(UserId(u), OptionId(o));
                        }
                    }
                    Op::Close => { book.close(); closed = true; }
                }
                // Exactly one counted vote per voter, and it is their latest.
                prop_assert_eq!(book.counted(), &last);
                // Nobody outside the electorate is counted.
                prop_assert!(book.counted().keys().all(|u| electorate.contains(u)));
                // Totals equal counted votes.
                let counts = book.counts();
                let total: u64 = counts.iter().map(|(_, n)| n).sum();
                prop_assert_eq!(total, book.counted().len() as u64);
            }
        }

        #[test]
        fn tally_totals_and_pass_rules(
            votes in proptest::collection::vec(0..50u64, 3),
            extra in 0..30u64,
            quorum in 0..=100u8,
            threshold in prop_oneof![
                Just(Threshold::SimpleMajority),
                Just(Threshold::TwoThirds),
                (1..=100u8).prop_map(Threshold::Percent),
            ],
            yes_no in any::<bool>(),
        ) {
            let roles = if yes_no {
                [OptionRole::Yes, OptionRole::No, OptionRole::Abstain]
            } else {
                [OptionRole::Choice, OptionRole::Choice, OptionRole::Abstain]
            };
            let kind = if yes_no { BallotKind::YesNo } else { BallotKind::Choices };
            let opts = options(&roles);
            let counts: Vec<(OptionId, u64)> = opts.iter().zip(&votes).map(|(o, n)| (o.id, *n)).collect();
            let voted: u64 = votes.iter().sum();
            let electorate = voted + extra;
            let quorum = Quorum::new(quorum).unwrap();
            let t = tally(kind, &opts, quorum, threshold, electorate, &counts);
            // Totals equal counted votes; the base leaves out abstentions.
            prop_assert_eq!(t.votes.iter().map(|(_, n)| n).sum::<u64>(), t.counted_votes);
            prop_assert_eq!(t.counted_votes, voted);
            prop_assert_eq!(t.base, votes[0] + votes[1]);
            // Quorum: exactly when voters / electorate >= quorum.
            prop_assert_eq!(t.quorum_met, voted * 100 >= u64::from(quorum.percent()) * electorate);
            // Passing needs the quorum and a winner meeting the threshold.
            prop_assert_eq!(t.passed, t.winner.is_some());
            if t.passed {
                prop_assert!(t.quorum_met);
                let w = t.votes_for(t.winner.unwrap());
                prop_assert!(threshold.met(w, t.base));
                prop_assert!(opts.iter().find(|o| Some(o.id) == t.winner).unwrap().role != OptionRole::Abstain);
                if yes_no {
                    prop_assert_eq!(t.winner, Some(OptionId(1)));
                } else {
                    // The winner strictly leads the other choice.
                    prop_assert!(w > votes[0].min(votes[1]) && (votes[0] != votes[1]));
                }
            }
            // A motion every non-abstaining voter supports passes under any
            // threshold once the quorum is met.
            if t.base > 0 && t.quorum_met && yes_no && votes[1] == 0 {
                prop_assert!(t.passed);
            }
        }
    }
}
