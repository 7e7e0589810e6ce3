//! The union's solidarity fund (連帯基金): members contribute, members in
//! need claim, a committee decides, and every movement of money is a
//! double-entry transaction on an append-only ledger.
//!
//! The ledger has three accounts. `Fund` is the cash the union holds;
//! `Contributions` and `Payouts` are where the money came from and went.
//! A contribution of ¥X is `Fund +X, Contributions −X`; a payout of ¥Y is
//! `Fund −Y, Payouts +Y`. Every transaction's entries sum to zero, and the
//! fund's balance is the sum of its `Fund` entries — derived, never stored.
//! A payout larger than the balance is refused, so the balance never goes
//! below zero.
//!
//! Claims are decided by a method: a committee (a number of approvals out
//! of the committee, by default one organiser's), or a secret ballot of the
//! members that opens with the claim (`claim_ballot`). The claim's state
//! machine does not care who decides: anything that produces a
//! `Resolution` (approve or reject) settles a pending claim.

use crate::ballot::{BallotDetails, BallotDraft, BallotId, Quorum};
use crate::community::CommunityId;
use crate::{Timestamp, UserId};

/// Largest single contribution or claim, in yen: a guard against typing
/// one zero too many, not a policy.
pub const MAX_AMOUNT: i64 = 1_000_000;
/// Longest claim reason and decision note, in characters.
pub const MAX_REASON_CHARS: usize = 2_000;
/// Longest decision note, in characters.
pub const MAX_NOTE_CHARS: usize = 1_000;
/// Most approvals a committee may require.
pub const MAX_APPROVALS_NEEDED: u32 = 20;

/// A sum of money moved in one contribution, claim or payout: whole yen,
/// from 1 to `MAX_AMOUNT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(i64);

/// Why an amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Empty, not a number, or not a whole number of yen.
    #[error("not a whole number of yen")]
    NotWholeYen,
    /// Zero or negative.
    #[error("not more than zero")]
    NotPositive,
    /// More than `MAX_AMOUNT`.
    #[error("more than the largest amount")]
    TooLarge,
}

impl Amount {
    /// An amount of `yen`.
    pub fn new(yen: i64) -> Result<Amount, AmountError> {
        if yen <= 0 {
            Err(AmountError::NotPositive)
        } else if yen > MAX_AMOUNT {
            Err(AmountError::TooLarge)
        } else {
            Ok(Amount(yen))
        }
    }

    /// Parses what a person typed: digits, optionally with `,` separators,
    /// a leading `¥`/`￥` or a trailing `円`, and full-width digits (a
    /// Japanese keyboard types them).
    pub fn parse(text: &str) -> Result<Amount, AmountError> {
        let folded: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10).unwrap_or(c),
                '，' => ',',
                '－' | '−' => '-',
                other => other,
            })
            .collect();
        let text = folded
            .trim_start_matches(['¥', '￥'])
            .trim_end_matches('円')
            .trim();
        let negative = text.starts_with('-');
        let digits = text.trim_start_matches('-');
        if digits.is_empty()
            || !digits.chars().all(|c| c.is_ascii_digit() || c == ',')
            || digits.starts_with(',')
        {
            return Err(AmountError::NotWholeYen);
        }
        let plain: String = digits.chars().filter(|c| *c != ',').collect();
        if plain.len() > 15 {
            return Err(if negative {
                AmountError::NotPositive
            } else {
                AmountError::TooLarge
            });
        }
        let value: i64 = plain.parse().map_err(|_| AmountError::NotWholeYen)?;
        Amount::new(if negative { -value } else { value })
    }

    /// The amount in yen.
    pub fn yen(self) -> i64 {
        self.0
    }
}

/// Yen as people read it in Japan and elsewhere: `¥30,000`, `-¥500`.
pub fn format_yen(yen: i64) -> String {
    let digits = yen.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}¥{grouped}", if yen < 0 { "-" } else { "" })
}

/// An account of the fund's ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LedgerAccount {
    /// The money the union holds for its members.
    Fund,
    /// Where contributed money came from (members).
    Contributions,
    /// Where paid-out money went (members in need).
    Payouts,
}

impl LedgerAccount {
    /// Every account.
    pub const ALL: [LedgerAccount; 3] = [
        LedgerAccount::Fund,
        LedgerAccount::Contributions,
        LedgerAccount::Payouts,
    ];

    /// Stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerAccount::Fund => "fund",
            LedgerAccount::Contributions => "contributions",
            LedgerAccount::Payouts => "payouts",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<LedgerAccount> {
        LedgerAccount::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// What a ledger transaction records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransactionKind {
    /// A member put money into the fund.
    Contribution,
    /// The fund paid an approved claim.
    Payout,
}

impl TransactionKind {
    /// Stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            TransactionKind::Contribution => "contribution",
            TransactionKind::Payout => "payout",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<TransactionKind> {
        match name {
            "contribution" => Some(TransactionKind::Contribution),
            "payout" => Some(TransactionKind::Payout),
            _ => None,
        }
    }
}

/// One line of a transaction: a signed amount on one account (positive
/// adds to the account, negative takes from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The account.
    pub account: LedgerAccount,
    /// Signed yen, never zero.
    pub amount: i64,
}

/// A balanced set of entries: only `contribution` and `payout` make one,
/// so an unbalanced transaction cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    kind: TransactionKind,
    entries: [Entry; 2],
}

impl Transaction {
    /// Money into the fund from a member.
    pub fn contribution(amount: Amount) -> Transaction {
        Transaction {
            kind: TransactionKind::Contribution,
            entries: [
                Entry {
                    account: LedgerAccount::Fund,
                    amount: amount.yen(),
                },
                Entry {
                    account: LedgerAccount::Contributions,
                    amount: -amount.yen(),
                },
            ],
        }
    }

    /// Money out of the fund to a member in need.
    pub fn payout(amount: Amount) -> Transaction {
        Transaction {
            kind: TransactionKind::Payout,
            entries: [
                Entry {
                    account: LedgerAccount::Fund,
                    amount: -amount.yen(),
                },
                Entry {
                    account: LedgerAccount::Payouts,
                    amount: amount.yen(),
                },
            ],
        }
    }

    /// What it records.
    pub fn kind(&self) -> TransactionKind {
        self.kind
    }

    /// Its entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The change to the fund's cash.
    pub fn fund_change(&self) -> i64 {
        balance_of(self.entries.iter(), LedgerAccount::Fund)
    }
}

/// Whether entries sum to zero and none is zero: what every stored
/// transaction must satisfy (the store checks it before committing).
pub fn is_balanced<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> bool {
    let mut sum: i128 = 0;
    let mut count = 0;
    for entry in entries {
        if entry.amount == 0 {
            return false;
        }
        sum += i128::from(entry.amount);
        count += 1;
    }
    count >= 2 && sum == 0
}

/// The balance of one account: the sum of its entries.
pub fn balance_of<'a>(entries: impl IntoIterator<Item = &'a Entry>, account: LedgerAccount) -> i64 {
    entries
        .into_iter()
        .filter(|e| e.account == account)
        .map(|e| e.amount)
        .sum()
}

/// A payout larger than the fund holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("paying ¥{needed} would overdraw the fund (balance ¥{balance})")]
pub struct WouldOverdraw {
    /// The fund's balance.
    pub balance: i64,
    /// The payout asked for.
    pub needed: i64,
}

/// Checks that paying `amount` leaves the fund at zero or above.
pub fn check_payout(balance: i64, amount: Amount) -> Result<(), WouldOverdraw> {
    if balance >= amount.yen() {
        Ok(())
    } else {
        Err(WouldOverdraw {
            balance,
            needed: amount.yen(),
        })
    }
}

/// The ledger in memory, applying the same rules as the store: the
/// reference model the property tests drive.
#[derive(Debug, Clone, Default)]
pub struct FundLedger {
    transactions: Vec<Transaction>,
}

impl FundLedger {
    /// An empty ledger.
    pub fn new() -> FundLedger {
        FundLedger::default()
    }

    /// Records a contribution.
    pub fn contribute(&mut self, amount: Amount) -> &Transaction {
        self.transactions.push(Transaction::contribution(amount));
        self.transactions.last().expect("just pushed")
    }

    /// Records a payout, refused when it would overdraw the fund.
    pub fn pay(&mut self, amount: Amount) -> Result<&Transaction, WouldOverdraw> {
        check_payout(self.balance(), amount)?;
        self.transactions.push(Transaction::payout(amount));
        Ok(self.transactions.last().expect("just pushed"))
    }

    /// Every transaction, oldest first.
    pub fn transactions(&self) -> &[Transaction] {
        &self.transactions
    }

    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.transactions.iter().flat_map(|t| t.entries().iter())
    }

    /// The fund's cash: the sum of its entries.
    pub fn balance(&self) -> i64 {
        balance_of(self.entries(), LedgerAccount::Fund)
    }

    /// The totals as members see them.
    pub fn totals(&self) -> FundTotals {
        FundTotals::from_balances(
            balance_of(self.entries(), LedgerAccount::Fund),
            balance_of(self.entries(), LedgerAccount::Contributions),
            balance_of(self.entries(), LedgerAccount::Payouts),
        )
    }
}

/// The fund's public figures, derived from the account balances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FundTotals {
    /// Cash held.
    pub balance: i64,
    /// Everything contributed so far.
    pub contributed: i64,
    /// Everything paid out so far.
    pub paid_out: i64,
}

impl FundTotals {
    /// From the balances of the three accounts (contributions are credits,
    /// so their balance is negative).
    pub fn from_balances(fund: i64, contributions: i64, payouts: i64) -> FundTotals {
        FundTotals {
            balance: fund,
            contributed: -contributions,
            paid_out: payouts,
        }
    }

    /// Whether the three accounts agree: what was contributed minus what
    /// was paid out is what the fund holds.
    pub fn consistent(&self) -> bool {
        self.contributed - self.paid_out == self.balance && self.balance >= 0
    }
}

/// The database id of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimId(pub i64);

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClaimStatus {
    /// Waiting for a decision.
    Pending,
    /// Approved and paid out.
    Paid,
    /// Turned down.
    Rejected,
    /// Withdrawn by the claimant before anyone decided it.
    Withdrawn,
}

impl ClaimStatus {
    /// Stable name (the API's; the database keeps a withdrawn claim as
    /// `rejected` with its `withdrawn` flag set).
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Pending => "pending",
            ClaimStatus::Paid => "paid",
            ClaimStatus::Rejected => "rejected",
            ClaimStatus::Withdrawn => "withdrawn",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<ClaimStatus> {
        match name {
            "pending" => Some(ClaimStatus::Pending),
            "paid" => Some(ClaimStatus::Paid),
            "rejected" => Some(ClaimStatus::Rejected),
            "withdrawn" => Some(ClaimStatus::Withdrawn),
            _ => None,
        }
    }

    /// The state a resolution moves a pending claim to; a settled claim
    /// stays as it is.
    pub fn settle(self, resolution: Resolution) -> Result<ClaimStatus, ClaimSettled> {
        match (self, resolution) {
            (ClaimStatus::Pending, Resolution::Approve) => Ok(ClaimStatus::Paid),
            (ClaimStatus::Pending, Resolution::Reject) => Ok(ClaimStatus::Rejected),
            _ => Err(ClaimSettled),
        }
    }
}

/// A claim already paid or rejected cannot be decided again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the claim is already decided")]
pub struct ClaimSettled;

/// How a pending claim is settled, whoever decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// Pay the claim.
    Approve,
    /// Turn it down.
    Reject,
}

/// Who decides a union's claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionMethod {
    /// The committee (or, while it has no members, the organisers): a claim
    /// is paid after this many approvals, and turned down after as many
    /// rejections or once approval can no longer be reached.
    Committee {
        /// Approvals needed, at least 1.
        approvals_needed: u32,
    },
    /// A secret yes/no ballot of the members, opened with each claim.
    Ballot(BallotRule),
}

impl Default for DecisionMethod {
    /// One approval by an organiser.
    fn default() -> Self {
        DecisionMethod::Committee {
            approvals_needed: 1,
        }
    }
}

/// Shortest vote on a claim, in days.
pub const MIN_BALLOT_DAYS: u32 = 1;
/// Longest vote on a claim, in days: someone is waiting for the money.
pub const MAX_BALLOT_DAYS: u32 = 30;

/// How the members vote on claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BallotRule {
    /// How long each vote runs, 1–30 days.
    pub days: u32,
    /// The share of the members who must vote.
    pub quorum: Quorum,
}

impl Default for BallotRule {
    /// A week, no quorum.
    fn default() -> Self {
        BallotRule {
            days: 7,
            quorum: Quorum::NONE,
        }
    }
}

impl BallotRule {
    /// Checks the days and the quorum as typed (empty quorum means none).
    pub fn parse(days: &str, quorum: &str) -> Result<BallotRule, Vec<FundFieldError>> {
        let mut errors = Vec::new();
        let days = match days.trim().parse::<u32>() {
            Ok(d) if (MIN_BALLOT_DAYS..=MAX_BALLOT_DAYS).contains(&d) => Some(d),
            _ => {
                errors.push(FundFieldError::BallotDays);
                None
            }
        };
        let quorum = match quorum.trim() {
            "" => Some(Quorum::NONE),
            text => text.parse::<u8>().ok().and_then(Quorum::new),
        };
        if quorum.is_none() {
            errors.push(FundFieldError::BallotQuorum);
        }
        match (days, quorum) {
            (Some(days), Some(quorum)) => Ok(BallotRule { days, quorum }),
            _ => Err(errors),
        }
    }
}

/// The ballot that decides a claim: yes/no/abstain, secret, results hidden
/// until the close, passing with a simple majority of those who took a
/// side. It shows the amount and the reason, never the claimant's name.
pub fn claim_ballot(
    details: &ClaimDetails,
    rule: BallotRule,
    now: Timestamp,
) -> Result<BallotDetails, Vec<crate::ballot::BallotFieldError>> {
    let amount = format_yen(details.amount.yen());
    let closes_at = now + chrono::Duration::days(i64::from(rule.days));
    let draft = BallotDraft {
        title: format!("連帯基金への申請 {amount} / Solidarity fund claim {amount}"),
        body: format!(
            "組合員から連帯基金への申請です。申請した人の名前は示しません。賛成が多ければ、締め切りのあとに基金から支払われます。\n\n\
             A member has asked the solidarity fund for help. Their name is not shown. If most votes are yes, the fund pays after the close.\n\n\
             **金額 / Amount:** {amount}\n\n\
             **理由 / Reason:**\n\n{}",
            quote(&details.reason)
        ),
        kind: "yes_no".to_owned(),
        choices: Vec::new(),
        abstain_option: true,
        opens_at: String::new(),
        closes_at: closes_at.to_rfc3339(),
        time_zone: String::new(),
        secret: true,
        results_hidden: true,
        quorum: rule.quorum.percent().to_string(),
        threshold: "simple_majority".to_owned(),
    };
    draft.validate(now)
}

/// The claimant's words as a Markdown quote, so nothing they type becomes
/// a heading or a list of the proposal.
fn quote(text: &str) -> String {
    text.lines()
        .map(|line| format!("> {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a finished ballot means for its claim: approved when it passed
/// (quorum and majority), turned down otherwise.
pub fn ballot_resolution(tally: &crate::ballot::Tally) -> Resolution {
    if tally.passed {
        Resolution::Approve
    } else {
        Resolution::Reject
    }
}

/// One committee member's decision on one claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Who decided (`None` once their account is deleted).
    pub decider: Option<UserId>,
    /// Approve or reject.
    pub approve: bool,
    /// Why (required to reject).
    pub note: Option<String>,
    /// When.
    pub decided_at: Timestamp,
}

/// What the decisions so far add up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    /// Not decided yet.
    Pending {
        /// Approvals counted.
        approvals: u32,
        /// Rejections counted.
        rejections: u32,
    },
    /// Enough approvals: pay.
    Approved,
    /// Enough rejections, or approval out of reach: turn down.
    Rejected,
}

impl Tally {
    /// The resolution, once there is one.
    pub fn resolution(self) -> Option<Resolution> {
        match self {
            Tally::Pending { .. } => None,
            Tally::Approved => Some(Resolution::Approve),
            Tally::Rejected => Some(Resolution::Reject),
        }
    }
}

/// Counts a committee's decisions: each decider counts once (their first
/// decision; a person's account deleted after deciding still counts). A
/// claim is approved with `approvals_needed` approvals, rejected with as
/// many rejections, or when the undecided `eligible` deciders could no
/// longer bring the approvals up to the number needed. `eligible` is how
/// many people may decide this claim (the committee without the claimant).
pub fn committee_tally(
    approvals_needed: u32,
    eligible: u32,
    decisions: &[(Option<UserId>, bool)],
) -> Tally {
    let needed = approvals_needed.max(1);
    let mut seen: Vec<UserId> = Vec::new();
    let (mut approvals, mut rejections) = (0u32, 0u32);
    for (decider, approve) in decisions {
        if let Some(decider) = decider {
            if seen.contains(decider) {
                continue;
            }
            seen.push(*decider);
        }
        if *approve {
            approvals += 1;
        } else {
            rejections += 1;
        }
    }
    let undecided = eligible.saturating_sub(seen.len() as u32);
    if approvals >= needed {
        Tally::Approved
    } else if rejections >= needed || approvals + undecided < needed {
        Tally::Rejected
    } else {
        Tally::Pending {
            approvals,
            rejections,
        }
    }
}

/// Why someone may not decide a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecisionRefusal {
    /// Nobody decides their own claim.
    #[error("a claimant never decides their own claim")]
    OwnClaim,
    /// Not on the committee (or not an organiser while there is none).
    #[error("not a member of the deciding committee")]
    NotDecider,
    /// This person already decided this claim.
    #[error("already decided")]
    AlreadyDecided,
    /// The claim is paid or rejected.
    #[error("the claim is already decided")]
    Settled,
    /// The claimant's account is gone: there is nobody to pay, so the
    /// claim can only be turned down.
    #[error("the claimant's account no longer exists")]
    ClaimantGone,
    /// The members decide this claim by ballot, not the committee.
    #[error("this claim is decided by a ballot of the members")]
    ByBallot,
}

/// Why a claimant cannot withdraw a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WithdrawalRefusal {
    /// Only the claimant withdraws their claim.
    #[error("only the claimant withdraws a claim")]
    NotClaimant,
    /// It is paid, turned down or withdrawn already.
    #[error("the claim is already settled")]
    Settled,
    /// A ballot of the members is deciding it; the ballot runs its course.
    #[error("a ballot of the members is deciding this claim")]
    ByBallot,
}

/// Checks that `person` may withdraw `claim`: their own, still pending,
/// and not put to the members' ballot (which is already open and stays
/// a record of its own).
pub fn may_withdraw(person: UserId, claim: &Claim) -> Result<(), WithdrawalRefusal> {
    if claim.claimant != Some(person) {
        Err(WithdrawalRefusal::NotClaimant)
    } else if claim.status != ClaimStatus::Pending {
        Err(WithdrawalRefusal::Settled)
    } else if claim.ballot.is_some() {
        Err(WithdrawalRefusal::ByBallot)
    } else {
        Ok(())
    }
}

/// Checks that `decider` may decide (`approve` or not) `claim`.
pub fn may_decide(
    decider: UserId,
    claim: &Claim,
    is_decider: bool,
    already_decided: bool,
    approve: bool,
) -> Result<(), DecisionRefusal> {
    if claim.status != ClaimStatus::Pending {
        Err(DecisionRefusal::Settled)
    } else if claim.ballot.is_some() {
        Err(DecisionRefusal::ByBallot)
    } else if claim.claimant == Some(decider) {
        Err(DecisionRefusal::OwnClaim)
    } else if !is_decider {
        Err(DecisionRefusal::NotDecider)
    } else if already_decided {
        Err(DecisionRefusal::AlreadyDecided)
    } else if approve && claim.claimant.is_none() {
        Err(DecisionRefusal::ClaimantGone)
    } else {
        Ok(())
    }
}

/// A claim as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Id.
    pub id: ClaimId,
    /// The union whose fund it is on.
    pub community_id: CommunityId,
    /// Who asked (`None` once their account is deleted).
    pub claimant: Option<UserId>,
    /// How much.
    pub amount: Amount,
    /// Why they need it.
    pub reason: String,
    /// Where it stands.
    pub status: ClaimStatus,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it was paid or rejected.
    pub settled_at: Option<Timestamp>,
    /// The ballot that decides it, when the members vote on it.
    pub ballot: Option<BallotId>,
}

/// A field of a claim or decision and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FundFieldError {
    /// The amount.
    Amount(AmountError),
    /// Reason empty or too long.
    Reason,
    /// A rejection without a note, or a note too long.
    Note,
    /// Approvals needed below 1, above the maximum, or above the committee size.
    ApprovalsNeeded,
    /// Voting days not a whole number from 1 to 30.
    BallotDays,
    /// Quorum not a whole percentage from 0 to 100.
    BallotQuorum,
    /// Deciding by ballot while the community's ballots are switched off.
    BallotsOff,
}

/// A claim as typed.
#[derive(Debug, Clone, Default)]
pub struct ClaimDraft {
    /// Yen, as typed.
    pub amount: String,
    /// Why.
    pub reason: String,
}

/// A validated claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimDetails {
    /// How much.
    pub amount: Amount,
    /// Why, 1–2,000 characters.
    pub reason: String,
}

fn text_ok(text: &str, max: usize) -> bool {
    !text.is_empty()
        && text.chars().count() <= max
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

impl ClaimDraft {
    /// Validates the claim; every problem is reported.
    pub fn validate(&self) -> Result<ClaimDetails, Vec<FundFieldError>> {
        let mut errors = Vec::new();
        let amount = Amount::parse(&self.amount)
            .map_err(|e| errors.push(FundFieldError::Amount(e)))
            .ok();
        let reason = self.reason.trim();
        if !text_ok(reason, MAX_REASON_CHARS) {
            errors.push(FundFieldError::Reason);
        }
        match amount {
            Some(amount) if errors.is_empty() => Ok(ClaimDetails {
                amount,
                reason: reason.to_owned(),
            }),
            _ => Err(errors),
        }
    }
}

/// A decision as typed.
#[derive(Debug, Clone, Default)]
pub struct DecisionDraft {
    /// Approve (true) or reject.
    pub approve: bool,
    /// Why; required to reject.
    pub note: String,
}

impl DecisionDraft {
    /// The note, trimmed and checked: a rejection needs one.
    pub fn validate(&self) -> Result<Option<String>, FundFieldError> {
        let note = self.note.trim();
        if note.is_empty() {
            return if self.approve {
                Ok(None)
            } else {
                Err(FundFieldError::Note)
            };
        }
        if text_ok(note, MAX_NOTE_CHARS) {
            Ok(Some(note.to_owned()))
        } else {
            Err(FundFieldError::Note)
        }
    }
}

/// Checks the number of approvals organisers ask for: at least 1, at most
/// `MAX_APPROVALS_NEEDED`, and no more than the committee has members
/// (while there is no committee, the organisers decide and the number must
/// not exceed theirs).
pub fn check_approvals_needed(needed: u32, deciders: usize) -> Result<u32, FundFieldError> {
    if needed == 0 || needed > MAX_APPROVALS_NEEDED || needed as usize > deciders.max(1) {
        Err(FundFieldError::ApprovalsNeeded)
    } else {
        Ok(needed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_are_whole_positive_bounded_yen() {
        assert_eq!(Amount::parse("3000").unwrap().yen(), 3_000);
        assert_eq!(Amount::parse(" ¥12,000 ").unwrap().yen(), 12_000);
        assert_eq!(Amount::parse("５０００円").unwrap().yen(), 5_000);
        assert_eq!(Amount::parse("1000000").unwrap().yen(), MAX_AMOUNT);
        assert_eq!(Amount::parse("1000001"), Err(AmountError::TooLarge));
        assert_eq!(Amount::parse("0"), Err(AmountError::NotPositive));
        assert_eq!(Amount::parse("-500"), Err(AmountError::NotPositive));
        assert_eq!(Amount::parse("12.5"), Err(AmountError::NotWholeYen));
        assert_eq!(Amount::parse(""), Err(AmountError::NotWholeYen));
        assert_eq!(Amount::parse("千円"), Err(AmountError::NotWholeYen));
        assert_eq!(
            Amount::parse("99999999999999999999"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(Amount::new(0), Err(AmountError::NotPositive));
    }

    #[test]
    fn yen_are_grouped_by_thousands() {
        assert_eq!(format_yen(0), "¥0");
        assert_eq!(format_yen(999), "¥999");
        assert_eq!(format_yen(1_000), "¥1,000");
        assert_eq!(format_yen(1_234_567), "¥1,234,567");
        assert_eq!(format_yen(-30_000), "-¥30,000");
    }

    #[test]
    fn transactions_are_balanced_by_construction() {
        let amount = Amount::new(8_000).unwrap();
        for t in [
            Transaction::contribution(amount),
            Transaction::payout(amount),
        ] {
            assert!(is_balanced(t.entries()));
        }
        assert_eq!(Transaction::contribution(amount).fund_change(), 8_000);
        assert_eq!(Transaction::payout(amount).fund_change(), -8_000);
        let lopsided = [
            Entry {
                account: LedgerAccount::Fund,
                amount: 10,
            },
            Entry {
                account: LedgerAccount::Payouts,
                amount: -9,
            },
        ];
        assert!(!is_balanced(&lopsided));
        assert!(!is_balanced(&lopsided[..1]));
        let zero = [
            Entry {
                account: LedgerAccount::Fund,
                amount: 0,
            },
            Entry {
                account: LedgerAccount::Payouts,
                amount: 0,
            },
        ];
        assert!(!is_balanced(&zero), "zero entries are refused");
    }

    #[test]
    fn a_payout_never_overdraws() {
        let mut ledger = FundLedger::new();
        ledger.contribute(Amount::new(5_000).unwrap());
        assert_eq!(
            ledger.pay(Amount::new(6_000).unwrap()).unwrap_err(),
            WouldOverdraw {
                balance: 5_000,
                needed: 6_000
            }
        );
        assert!(ledger.pay(Amount::new(5_000).unwrap()).is_ok());
        assert_eq!(ledger.balance(), 0);
        assert_eq!(
            ledger.totals(),
            FundTotals {
                balance: 0,
                contributed: 5_000,
                paid_out: 5_000
            }
        );
    }

    #[test]
    fn committee_tallies() {
        let (a, b, c) = (Some(UserId(1)), Some(UserId(2)), Some(UserId(3)));
        // Default: one approval by an organiser decides.
        assert_eq!(committee_tally(1, 3, &[(a, true)]), Tally::Approved);
        assert_eq!(committee_tally(1, 3, &[(a, false)]), Tally::Rejected);
        // 2 of 3.
        assert_eq!(
            committee_tally(2, 3, &[(a, true)]),
            Tally::Pending {
                approvals: 1,
                rejections: 0
            }
        );
        assert_eq!(
            committee_tally(2, 3, &[(a, true), (a, true)]),
            Tally::Pending {
                approvals: 1,
                rejections: 0
            },
            "a committee member's approval counts once"
        );
        assert_eq!(
            committee_tally(2, 3, &[(a, true), (b, true)]),
            Tally::Approved
        );
        assert_eq!(
            committee_tally(2, 3, &[(a, true), (b, false)]),
            Tally::Pending {
                approvals: 1,
                rejections: 1
            }
        );
        assert_eq!(
            committee_tally(2, 3, &[(a, true), (b, false), (c, false)]),
            Tally::Rejected
        );
        // 2 of 2 with one rejection: approval is out of reach.
        assert_eq!(committee_tally(2, 2, &[(a, false)]), Tally::Rejected);
        // Deleted accounts' decisions still count, each once.
        assert_eq!(
            committee_tally(2, 3, &[(None, true), (None, true)]),
            Tally::Approved
        );
    }

    #[test]
    fn who_may_decide() {
        let (me, other) = (UserId(1), UserId(2));
        let claim =
            |claimant: Option<UserId>, status: ClaimStatus, ballot: Option<BallotId>| Claim {
                id: ClaimId(1),
                community_id: CommunityId(1),
                claimant,
                amount: Amount::new(1_000).unwrap(),
                reason: "r".into(),
                status,
                created_at: chrono::Utc::now(),
                settled_at: None,
                ballot,
            };
        let pending = |claimant| claim(claimant, ClaimStatus::Pending, None);
        // Withdrawing: the claimant's own pending committee claim only.
        assert_eq!(may_withdraw(me, &pending(Some(me))), Ok(()));
        assert_eq!(
            may_withdraw(me, &pending(Some(other))),
            Err(WithdrawalRefusal::NotClaimant)
        );
        assert_eq!(
            may_withdraw(me, &pending(None)),
            Err(WithdrawalRefusal::NotClaimant)
        );
        for settled in [
            ClaimStatus::Paid,
            ClaimStatus::Rejected,
            ClaimStatus::Withdrawn,
        ] {
            assert_eq!(
                may_withdraw(me, &claim(Some(me), settled, None)),
                Err(WithdrawalRefusal::Settled)
            );
            assert_eq!(
                may_decide(other, &claim(Some(me), settled, None), true, false, true),
                Err(DecisionRefusal::Settled),
                "nobody decides a settled claim"
            );
        }
        assert_eq!(
            may_withdraw(
                me,
                &claim(Some(me), ClaimStatus::Pending, Some(BallotId(3)))
            ),
            Err(WithdrawalRefusal::ByBallot)
        );
        assert_eq!(
            ClaimStatus::parse(ClaimStatus::Withdrawn.as_str()),
            Some(ClaimStatus::Withdrawn)
        );
        assert_eq!(
            may_decide(me, &pending(Some(me)), true, false, true),
            Err(DecisionRefusal::OwnClaim)
        );
        assert_eq!(
            may_decide(me, &pending(Some(other)), false, false, true),
            Err(DecisionRefusal::NotDecider)
        );
        assert_eq!(
            may_decide(me, &pending(Some(other)), true, true, true),
            Err(DecisionRefusal::AlreadyDecided)
        );
        assert_eq!(
            may_decide(
                me,
                &claim(Some(other), ClaimStatus::Paid, None),
                true,
                false,
                true
            ),
            Err(DecisionRefusal::Settled)
        );
        assert_eq!(
            may_decide(
                me,
                &claim(Some(other), ClaimStatus::Pending, Some(BallotId(3))),
                true,
                false,
                false
            ),
            Err(DecisionRefusal::ByBallot),
            "the members' vote decides, not the committee"
        );
        assert_eq!(
            may_decide(me, &pending(Some(other)), true, false, true),
            Ok(())
        );
        assert_eq!(
            may_decide(me, &pending(None), true, false, true),
            Err(DecisionRefusal::ClaimantGone)
        );
        assert_eq!(
            may_decide(me, &pending(None), true, false, false),
            Ok(()),
            "a claim whose claimant is gone can still be turned down"
        );
    }

    #[test]
    fn a_claim_ballot_is_secret_nameless_and_closes_after_the_rule_s_days() {
        let now = chrono::Utc::now();
        let details = ClaimDetails {
            amount: Amount::new(30_000).unwrap(),
            reason: "# 見出し\n家賃が払えません".into(),
        };
        let rule = BallotRule {
            days: 5,
            quorum: Quorum::new(40).unwrap(),
        };
        let ballot = claim_ballot(&details, rule, now).unwrap();
        assert!(ballot.secret && ballot.results_hidden);
        assert_eq!(ballot.kind, crate::ballot::BallotKind::YesNo);
        assert_eq!(ballot.options.len(), 3, "yes, no and abstain");
        let off = ballot.closes_at - ballot.opens_at - chrono::Duration::days(5);
        assert!(
            off.num_milliseconds().abs() < 1_000,
            "five days, to the second: {off}"
        );
        assert_eq!(ballot.quorum.percent(), 40);
        assert!(ballot.title.contains("¥30,000"));
        assert!(
            ballot.body.contains("> # 見出し\n> 家賃が払えません"),
            "the reason is quoted: {}",
            ballot.body
        );
    }

    #[test]
    fn ballot_rules_are_checked_as_typed() {
        assert_eq!(BallotRule::parse("7", ""), Ok(BallotRule::default()));
        assert_eq!(
            BallotRule::parse(" 30 ", "100").unwrap().quorum.percent(),
            100
        );
        assert_eq!(
            BallotRule::parse("0", "10"),
            Err(vec![FundFieldError::BallotDays])
        );
        assert_eq!(
            BallotRule::parse("31", "x"),
            Err(vec![
                FundFieldError::BallotDays,
                FundFieldError::BallotQuorum
            ])
        );
        assert_eq!(
            BallotRule::parse("3", "101"),
            Err(vec![FundFieldError::BallotQuorum])
        );
    }

    #[test]
    fn claims_settle_once() {
        assert_eq!(
            ClaimStatus::Pending.settle(Resolution::Approve),
            Ok(ClaimStatus::Paid)
        );
        assert_eq!(
            ClaimStatus::Pending.settle(Resolution::Reject),
            Ok(ClaimStatus::Rejected)
        );
        assert_eq!(
            ClaimStatus::Paid.settle(Resolution::Reject),
            Err(ClaimSettled)
        );
        assert_eq!(
            ClaimStatus::Rejected.settle(Resolution::Approve),
            Err(ClaimSettled)
        );
        for status in [
            ClaimStatus::Pending,
            ClaimStatus::Paid,
            ClaimStatus::Rejected,
        ] {
            assert_eq!(ClaimStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn claim_and_decision_forms() {
        let claim = ClaimDraft {
            amount: "30,000".into(),
            reason: "  雇い止めで来月の家賃が払えません。 ".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(claim.amount.yen(), 30_000);
        assert_eq!(claim.reason, "雇い止めで来月の家賃が払えません。");
        let bad = ClaimDraft {
            amount: "0".into(),
            reason: " ".into(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            bad,
            vec![
                FundFieldError::Amount(AmountError::NotPositive),
                FundFieldError::Reason
            ]
        );
        let reject = DecisionDraft {
            approve: false,
            note: "  ".into(),
        };
        assert_eq!(reject.validate(), Err(FundFieldError::Note));
        let approve = DecisionDraft {
            approve: true,
            note: "".into(),
        };
        assert_eq!(approve.validate(), Ok(None));
        assert_eq!(
            DecisionDraft {
                approve: false,
                note: "規約の対象外です".into()
            }
            .validate(),
            Ok(Some("規約の対象外です".into()))
        );
        assert_eq!(check_approvals_needed(2, 3), Ok(2));
        assert_eq!(
            check_approvals_needed(4, 3),
            Err(FundFieldError::ApprovalsNeeded)
        );
        assert_eq!(
            check_approvals_needed(0, 3),
            Err(FundFieldError::ApprovalsNeeded)
        );
        assert_eq!(check_approvals_needed(1, 0), Ok(1));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Contribute(i64),
        Pay(i64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (1..=MAX_AMOUNT / 100).prop_map(Op::Contribute),
            2 => (1..=MAX_AMOUNT / 50).prop_map(Op::Pay),
        ]
    }

    proptest! {
        #[test]
        fn ledger_invariants(ops in proptest::collection::vec(op(), 0..200)) {
            let mut ledger = FundLedger::new();
            let (mut contributed, mut paid) = (0i64, 0i64);
            for op in ops {
                match op {
                    Op::Contribute(yen) => {
                        ledger.contribute(Amount::new(yen).unwrap());
                        contributed += yen;
                    }
                    Op::Pay(yen) => {
                        let before = ledger.balance();
                        match ledger.pay(Amount::new(yen).unwrap()) {
                            Ok(_) => paid += yen,
                            // Refused exactly when it would overdraw.
                            Err(e) => prop_assert!(e.balance < yen && e.balance == before),
                        }
                    }
                }
                // Every transaction's entries sum to zero.
                for t in ledger.transactions() {
                    prop_assert!(is_balanced(t.entries()));
                }
                // The balance is the sum of the fund's entries, and never negative.
                let fund_sum: i64 = ledger
                    .transactions()
                    .iter()
                    .flat_map(|t| t.entries())
                    .filter(|e| e.account == LedgerAccount::Fund)
                    .map(|e| e.amount)
                    .sum();
                prop_assert_eq!(ledger.balance(), fund_sum);
                prop_assert!(ledger.balance() >= 0);
                // All entries together sum to zero; the totals agree.
                let all: i64 = ledger.transactions().iter().flat_map(|t| t.entries()).map(|e| e.amount).sum();
                prop_assert_eq!(all, 0);
                let totals = ledger.totals();
                prop_assert_eq!(totals.contributed, contributed);
                prop_assert_eq!(totals.paid_out, paid);
                prop_assert!(totals.consistent());
            }
        }

        #[test]
        fn an_approval_counts_once(
            needed in 1..5u32,
            extra in 0..4u32,
            decisions in proptest::collection::vec((0..6i64, any::<bool>()), 0..30),
        ) {
            let eligible = needed + extra;
            let decisions: Vec<(Option<UserId>, bool)> =
                decisions.into_iter().map(|(u, a)| (Some(UserId(u)), a)).collect();
            // Only each person's first decision counts: repeating anyone's
            // decisions changes nothing.
            let mut first: Vec<(Option<UserId>, bool)> = Vec::new();
            for d in &decisions {
                if !first.iter().any(|f| f.0 == d.0) {
                    first.push(*d);
                }
            }
            let tally = committee_tally(needed, eligible, &decisions);
            prop_assert_eq!(tally, committee_tally(needed, eligible, &first));
            let mut doubled = decisions.clone();
            doubled.extend(decisions.iter().copied());
            prop_assert_eq!(tally, committee_tally(needed, eligible, &doubled));
            let approvals = first.iter().filter(|d| d.1).count() as u32;
            let rejections = first.len() as u32 - approvals;
            match tally {
                Tally::Approved => prop_assert!(approvals >= needed),
                Tally::Rejected => prop_assert!(approvals < needed && (rejections >= needed || approvals + eligible.saturating_sub(first.len() as u32) < needed)),
                Tally::Pending { approvals: a, rejections: r } => {
                    prop_assert_eq!((a, r), (approvals, rejections));
                    prop_assert!(a < needed && r < needed);
                }
            }
        }
    }
}
