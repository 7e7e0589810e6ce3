//! The co-op share register (出資の記録): members' capital contributions in
//! units (口) on an append-only ledger.
//!
//! A worker co-op sets a price per unit (say 50,000 yen). Organisers record
//! four kinds of entry for a member: a **subscription** of units (the
//! member takes on units at today's price), a **payment** towards what they
//! subscribed, a **refund** when they leave (units given back with the
//! money returned), and a **reversal** that exactly cancels an earlier
//! entry — mistakes are corrected by new entries, never by edits.
//!
//! Every entry records its effect on three balances of one member: units
//! held, the yen value subscribed (units × the price when they were taken),
//! and the yen paid in. A member's holding and the co-op's capital are
//! *folds* of those entries ([`Holding::of`]), never numbers kept on the
//! side, so they cannot drift from the ledger. [`plan`] decides what a
//! requested entry does to a holding, or why it is refused; the store runs
//! it inside the transaction that writes the entry, and [`ShareLedger`]
//! runs it in memory as the reference model the property tests drive.
//!
//! The invariants every holding keeps after every entry: no negative units,
//! nothing negative paid, never more paid than subscribed, and no value
//! left subscribed once no unit is held.

use std::collections::BTreeMap;

use crate::community::CommunityId;
use crate::{Timestamp, UserId};

/// The database id of a ledger entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShareEntryId(pub i64);

/// The database id of a member's account in one co-op's register. It
/// outlives the person's user account, so the ledger never changes when
/// someone deletes their account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShareHolderId(pub i64);

/// Highest price of one unit, in yen.
pub const MAX_UNIT_PRICE: i64 = 10_000_000;
/// Most units one entry may subscribe or refund.
pub const MAX_UNITS_PER_ENTRY: u32 = 100_000;
/// Largest amount of one entry, in yen (a trillion).
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;
/// Largest balance a holding may reach, in yen or units.
pub const MAX_BALANCE: i64 = 1_000_000_000_000_000;
/// Longest note on an entry, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// Why a number typed for units or yen was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Nothing typed.
    #[error("empty")]
    Empty,
    /// Not a whole number (letters, decimals, a minus sign).
    #[error("not a whole number")]
    NotWhole,
    /// Below the smallest or above the largest allowed value.
    #[error("out of range")]
    OutOfRange,
}

/// Reads a whole, non-negative number as people type it: full-width digits
/// (５００００), thousands separators (50,000 / 50，000) and a trailing unit
/// (円, 口, yen, units) are accepted.
fn parse_whole(text: &str) -> Result<i64, NumberError> {
    let mut digits = String::new();
    let text = text.trim();
    let text = ["円", "口", "yen", "units", "unit", "JPY", "¥", "￥"]
        .iter()
        .fold(text, |t, suffix| {
            t.strip_suffix(suffix).unwrap_or(t).trim_end()
        });
    let text = text
        .strip_prefix('¥')
        .or_else(|| text.strip_prefix('￥'))
        .unwrap_or(text)
        .trim();
    if text.is_empty() {
        return Err(NumberError::Empty);
    }
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '０'..='９' => digits.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            ',' | '，' | '_' | ' ' | '\u{3000}' => {}
            _ => return Err(NumberError::NotWhole),
        }
    }
    if digits.is_empty() {
        return Err(NumberError::NotWhole);
    }
    if digits.len() > 18 {
        return Err(NumberError::OutOfRange);
    }
    digits.parse().map_err(|_| NumberError::OutOfRange)
}

/// An amount of money in whole yen, from 0 to [`MAX_AMOUNT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Yen(i64);

impl Yen {
    /// Nothing.
    pub const ZERO: Yen = Yen(0);

    /// An amount, 0 to [`MAX_AMOUNT`].
    pub fn new(yen: i64) -> Result<Yen, NumberError> {
        if (0..=MAX_AMOUNT).contains(&yen) {
            Ok(Yen(yen))
        } else {
            Err(NumberError::OutOfRange)
        }
    }

    /// Parses an amount as typed (`50,000`, `５００００円`).
    pub fn parse(text: &str) -> Result<Yen, NumberError> {
        Yen::new(parse_whole(text)?)
    }

    /// The amount.
    pub fn get(self) -> i64 {
        self.0
    }
}

/// A number of units (口) in one entry, 1 to [`MAX_UNITS_PER_ENTRY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitCount(u32);

impl UnitCount {
    /// A count, 1 to [`MAX_UNITS_PER_ENTRY`].
    pub fn new(units: i64) -> Result<UnitCount, NumberError> {
        if (1..=i64::from(MAX_UNITS_PER_ENTRY)).contains(&units) {
            Ok(UnitCount(units as u32))
        } else {
            Err(NumberError::OutOfRange)
        }
    }

    /// Parses a count as typed (`2`, `２口`).
    pub fn parse(text: &str) -> Result<UnitCount, NumberError> {
        UnitCount::new(parse_whole(text)?)
    }

    /// The count.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// The price of one unit, 1 to [`MAX_UNIT_PRICE`] yen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitPrice(i64);

impl UnitPrice {
    /// A price, 1 to [`MAX_UNIT_PRICE`] yen.
    pub fn new(yen: i64) -> Result<UnitPrice, NumberError> {
        if (1..=MAX_UNIT_PRICE).contains(&yen) {
            Ok(UnitPrice(yen))
        } else {
            Err(NumberError::OutOfRange)
        }
    }

    /// Parses a price as typed (`50,000円`).
    pub fn parse(text: &str) -> Result<UnitPrice, NumberError> {
        UnitPrice::new(parse_whole(text)?)
    }

    /// The price in yen.
    pub fn yen(self) -> i64 {
        self.0
    }
}

/// The kinds of ledger entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShareEntryKind {
    /// Units taken on at the current price.
    Subscribe,
    /// Money paid towards the subscribed value.
    Payment,
    /// Units given back, with the money returned (on leaving).
    Refund,
    /// The exact opposite of an earlier entry, which it corrects.
    Reversal,
}

impl ShareEntryKind {
    /// Every kind, in the order forms offer them.
    pub const ALL: [ShareEntryKind; 4] = [
        ShareEntryKind::Subscribe,
        ShareEntryKind::Payment,
        ShareEntryKind::Refund,
        ShareEntryKind::Reversal,
    ];

    /// The stable name used in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ShareEntryKind::Subscribe => "subscribe",
            ShareEntryKind::Payment => "payment",
            ShareEntryKind::Refund => "refund",
            ShareEntryKind::Reversal => "reversal",
        }
    }

    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<ShareEntryKind> {
        let name = name.trim();
        ShareEntryKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// What one entry does to a member's balances; negative values take away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ShareDelta {
    /// Units.
    pub units: i64,
    /// Yen value subscribed.
    pub subscribed: i64,
    /// Yen paid in.
    pub paid: i64,
}

impl ShareDelta {
    /// The delta that exactly cancels this one.
    pub fn negated(self) -> ShareDelta {
        ShareDelta {
            units: -self.units,
            subscribed: -self.subscribed,
            paid: -self.paid,
        }
    }
}

/// A member's balances (or a co-op's totals): always the sum of entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Holding {
    /// Units held.
    pub units: i64,
    /// Yen value of those units at the prices they were taken at.
    pub subscribed: i64,
    /// Yen paid in.
    pub paid: i64,
}

impl Holding {
    /// The fold of a member's entries: what the ledger says they hold.
    pub fn of(deltas: impl IntoIterator<Item = ShareDelta>) -> Holding {
        deltas
            .into_iter()
            .fold(Holding::default(), |holding, delta| holding.after(delta))
    }

    /// Subscribed but not yet paid.
    pub fn outstanding(&self) -> i64 {
        self.subscribed - self.paid
    }

    /// The balances after one more entry (saturating, so an absurd entry
    /// shows up as an invalid holding rather than an overflow).
    pub fn after(self, delta: ShareDelta) -> Holding {
        Holding {
            units: self.units.saturating_add(delta.units),
            subscribed: self.subscribed.saturating_add(delta.subscribed),
            paid: self.paid.saturating_add(delta.paid),
        }
    }

    /// The invariants: no negative units, nothing negative paid, never more
    /// paid than subscribed, no value left without units, and within
    /// [`MAX_BALANCE`].
    pub fn is_valid(&self) -> bool {
        self.units >= 0
            && self.paid >= 0
            && self.paid <= self.subscribed
            && (self.units > 0 || self.subscribed == 0)
            && self.units <= MAX_BALANCE
            && self.subscribed <= MAX_BALANCE
    }

    /// Adds another holding (for totals).
    pub fn plus(self, other: Holding) -> Holding {
        Holding {
            units: self.units.saturating_add(other.units),
            subscribed: self.subscribed.saturating_add(other.subscribed),
            paid: self.paid.saturating_add(other.paid),
        }
    }
}

/// An entry someone asks to record, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareRequest {
    /// Take on units at the current price.
    Subscribe {
        /// How many.
        units: UnitCount,
    },
    /// Pay towards the subscribed value.
    Payment {
        /// How much (at least 1 yen).
        amount: Yen,
    },
    /// Give units back and return money. Without an amount, the paid share
    /// of those units is returned.
    Refund {
        /// How many units.
        units: UnitCount,
        /// How much money goes back.
        amount: Option<Yen>,
    },
    /// Cancel an earlier entry exactly.
    Reversal {
        /// The entry to cancel.
        entry: ShareEntryId,
    },
}

impl ShareRequest {
    /// The kind of entry this request records.
    pub fn kind(&self) -> ShareEntryKind {
        match self {
            ShareRequest::Subscribe { .. } => ShareEntryKind::Subscribe,
            ShareRequest::Payment { .. } => ShareEntryKind::Payment,
            ShareRequest::Refund { .. } => ShareEntryKind::Refund,
            ShareRequest::Reversal { .. } => ShareEntryKind::Reversal,
        }
    }
}

/// A field of the entry form and what is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareFieldError {
    /// No member chosen (every kind but a reversal needs one).
    Member,
    /// Not one of subscribe, payment, refund, reversal.
    Kind,
    /// Units missing or not a whole number from 1 to 100,000.
    Units,
    /// Units given for a kind that takes none (payment, reversal).
    UnitsNotApplicable,
    /// Amount missing (payments), not whole yen, or out of range.
    Amount,
    /// An amount given for a kind that takes none (subscribe, reversal).
    AmountNotApplicable,
    /// The entry to reverse missing or not an entry number.
    Reverses,
    /// An entry to reverse given for another kind.
    ReversesNotApplicable,
    /// Note longer than 500 characters.
    Note,
    /// Not a whole number of yen from 1 to 10,000,000.
    UnitPrice,
}

/// Why an entry cannot be recorded on the ledger as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ShareRefusal {
    /// Units cannot be subscribed before the co-op sets a unit price.
    #[error("no unit price set")]
    NoUnitPrice,
    /// Only active members subscribe units.
    #[error("not an active member")]
    NotAMember,
    /// The person has no holding in this register.
    #[error("no holding")]
    NotAHolder,
    /// A refund of more units than the member holds.
    #[error("more units than held")]
    MoreUnitsThanHeld,
    /// A refund of more money than the member paid in.
    #[error("more than paid")]
    RefundMoreThanPaid,
    /// A refund so small that the member would have paid more than the
    /// units they keep are worth.
    #[error("refund too small")]
    RefundTooSmall,
    /// A payment of more than is outstanding.
    #[error("more than outstanding")]
    PaymentExceedsOutstanding,
    /// The entry to reverse is not in this register.
    #[error("no such entry")]
    UnknownEntry,
    /// The entry was already reversed.
    #[error("already reversed")]
    AlreadyReversed,
    /// A reversal is not reversed; record a new entry instead.
    #[error("a reversal cannot be reversed")]
    ReversalOfReversal,
    /// The reversed entry belongs to another member than the one named.
    #[error("entry of another member")]
    EntryOfAnotherMember,
    /// Later entries depend on the one to reverse (reversing it would take
    /// a balance below zero); reverse those first.
    #[error("reversal would break the balances")]
    ReversalBreaksBalance,
    /// The balances would exceed what the register can hold.
    #[error("balance too large")]
    TooLarge,
}

/// The entry form as typed (or as the API sent it, numbers as text).
#[derive(Debug, Clone, Default)]
pub struct ShareEntryDraft {
    /// `subscribe`, `payment`, `refund` or `reversal`.
    pub kind: String,
    /// Units (subscribe, refund).
    pub units: String,
    /// Yen (payment; refund, optional).
    pub amount: String,
    /// The entry number to reverse (reversal).
    pub reverses: String,
    /// A note for the books.
    pub note: String,
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

impl ShareEntryDraft {
    /// Validates the draft; every problem is reported. Returns the request
    /// and the trimmed note.
    pub fn validate(&self) -> Result<(ShareRequest, String), Vec<ShareFieldError>> {
        let mut errors = Vec::new();
        let note = self.note.trim();
        if note.chars().count() > MAX_NOTE_CHARS
            || note.chars().any(|c| c.is_control() && c != '\n')
        {
            errors.push(ShareFieldError::Note);
        }
        let kind = ShareEntryKind::parse(&self.kind);
        let takes_units = matches!(
            kind,
            Some(ShareEntryKind::Subscribe | ShareEntryKind::Refund)
        );
        let takes_amount = matches!(kind, Some(ShareEntryKind::Payment | ShareEntryKind::Refund));
        let takes_reverses = kind == Some(ShareEntryKind::Reversal);
        let units = if takes_units {
            UnitCount::parse(&self.units)
                .map_err(|_| errors.push(ShareFieldError::Units))
                .ok()
        } else {
            if kind.is_some() && !blank(&self.units) {
                errors.push(ShareFieldError::UnitsNotApplicable);
            }
            None
        };
        let amount = if takes_amount {
            match Yen::parse(&self.amount) {
                Ok(yen) if kind == Some(ShareEntryKind::Payment) && yen == Yen::ZERO => {
                    errors.push(ShareFieldError::Amount);
                    None
                }
                Ok(yen) => Some(yen),
                Err(NumberError::Empty) if kind == Some(ShareEntryKind::Refund) => None,
                Err(_) => {
                    errors.push(ShareFieldError::Amount);
                    None
                }
            }
        } else {
            if kind.is_some() && !blank(&self.amount) {
                errors.push(ShareFieldError::AmountNotApplicable);
            }
            None
        };
        let reverses = if takes_reverses {
            match self.reverses.trim().trim_start_matches('#').parse::<i64>() {
                Ok(id) if id > 0 => Some(ShareEntryId(id)),
                _ => {
                    errors.push(ShareFieldError::Reverses);
                    None
                }
            }
        } else {
            if kind.is_some() && !blank(&self.reverses) {
                errors.push(ShareFieldError::ReversesNotApplicable);
            }
            None
        };
        let request = match kind {
            None => {
                errors.push(ShareFieldError::Kind);
                None
            }
            Some(ShareEntryKind::Subscribe) => units.map(|units| ShareRequest::Subscribe { units }),
            Some(ShareEntryKind::Payment) => amount.map(|amount| ShareRequest::Payment { amount }),
            Some(ShareEntryKind::Refund) => {
                units.map(|units| ShareRequest::Refund { units, amount })
            }
            Some(ShareEntryKind::Reversal) => {
                reverses.map(|entry| ShareRequest::Reversal { entry })
            }
        };
        match request {
            Some(request) if errors.is_empty() => Ok((request, note.to_owned())),
            _ => Err(errors),
        }
    }
}

/// An entry already on the ledger, as [`plan`] needs it to reverse it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastEntry {
    /// Its id.
    pub id: ShareEntryId,
    /// Whose it is.
    pub holder: ShareHolderId,
    /// Its kind.
    pub kind: ShareEntryKind,
    /// What it did.
    pub delta: ShareDelta,
    /// Whether a reversal of it exists.
    pub reversed: bool,
}

/// What an accepted request writes on the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedEntry {
    /// The kind of entry.
    pub kind: ShareEntryKind,
    /// Its effect on the member's balances.
    pub delta: ShareDelta,
    /// The unit price it was subscribed at (subscriptions only).
    pub unit_price: Option<UnitPrice>,
    /// The entry it cancels (reversals only).
    pub reverses: Option<ShareEntryId>,
}

/// `value × part / whole`, rounded down, without overflow (`whole > 0`).
fn pro_rata(value: i64, part: i64, whole: i64) -> i64 {
    (i128::from(value) * i128::from(part) / i128::from(whole)) as i64
}

/// Decides what a request does to a member's holding, or why it is refused.
///
/// `holding` is the member's current fold (for a reversal: the holding of
/// the reversed entry's member), `unit_price` the co-op's current price and
/// `reversed` the entry a reversal names (`None` when there is no such entry
/// in this register). A refund gives back the subscribed value of the units
/// pro rata (all of it when every unit goes) and, unless told otherwise,
/// the paid share of them; any amount is accepted that leaves nothing
/// negative and no more paid than the remaining units are worth.
pub fn plan(
    request: &ShareRequest,
    holding: Holding,
    unit_price: Option<UnitPrice>,
    reversed: Option<&PastEntry>,
) -> Result<PlannedEntry, ShareRefusal> {
    let planned = match *request {
        ShareRequest::Subscribe { units } => {
            let price = unit_price.ok_or(ShareRefusal::NoUnitPrice)?;
            let units = i64::from(units.get());
            PlannedEntry {
                kind: ShareEntryKind::Subscribe,
                delta: ShareDelta {
                    units,
                    subscribed: units * price.yen(),
                    paid: 0,
                },
                unit_price: Some(price),
                reverses: None,
            }
        }
        ShareRequest::Payment { amount } => {
            if amount.get() > holding.outstanding() {
                return Err(ShareRefusal::PaymentExceedsOutstanding);
            }
            PlannedEntry {
                kind: ShareEntryKind::Payment,
                delta: ShareDelta {
                    units: 0,
                    subscribed: 0,
                    paid: amount.get(),
                },
                unit_price: None,
                reverses: None,
            }
        }
        ShareRequest::Refund { units, amount } => {
            let units = i64::from(units.get());
            if units > holding.units {
                return Err(ShareRefusal::MoreUnitsThanHeld);
            }
            let value = pro_rata(holding.subscribed, units, holding.units);
            let refund = match amount {
                Some(amount) => amount.get(),
                None => pro_rata(holding.paid, units, holding.units),
            };
            if refund > holding.paid {
                return Err(ShareRefusal::RefundMoreThanPaid);
            }
            if holding.paid - refund > holding.subscribed - value {
                return Err(ShareRefusal::RefundTooSmall);
            }
            PlannedEntry {
                kind: ShareEntryKind::Refund,
                delta: ShareDelta {
                    units: -units,
                    subscribed: -value,
                    paid: -refund,
                },
                unit_price: None,
                reverses: None,
            }
        }
        ShareRequest::Reversal { entry } => {
            let past = reversed
                .filter(|past| past.id == entry)
                .ok_or(ShareRefusal::UnknownEntry)?;
            if past.kind == ShareEntryKind::Reversal {
                return Err(ShareRefusal::ReversalOfReversal);
            }
            if past.reversed {
                return Err(ShareRefusal::AlreadyReversed);
            }
            PlannedEntry {
                kind: ShareEntryKind::Reversal,
                delta: past.delta.negated(),
                unit_price: None,
                reverses: Some(past.id),
            }
        }
    };
    if !holding.after(planned.delta).is_valid() {
        // Subscriptions, payments and refunds were checked above, so only
        // a balance past the register's limit is left for them.
        return Err(match planned.kind {
            ShareEntryKind::Reversal => ShareRefusal::ReversalBreaksBalance,
            _ => ShareRefusal::TooLarge,
        });
    }
    Ok(planned)
}

/// A ledger entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareEntry {
    /// Id (the entry number shown in the books).
    pub id: ShareEntryId,
    /// The co-op.
    pub community_id: CommunityId,
    /// Whose holding it changes.
    pub holder: ShareHolderId,
    /// The member's account (`None` once they deleted it).
    pub member: Option<UserId>,
    /// The kind.
    pub kind: ShareEntryKind,
    /// Its effect on the balances.
    pub delta: ShareDelta,
    /// The unit price of a subscription.
    pub unit_price: Option<UnitPrice>,
    /// The entry a reversal cancels.
    pub reverses: Option<ShareEntryId>,
    /// A note for the books.
    pub note: String,
    /// The organiser who recorded it (`None` once they deleted their account).
    pub recorded_by: Option<UserId>,
    /// When.
    pub recorded_at: Timestamp,
    /// Position on the co-op's ledger (increasing, one per entry).
    pub sequence: i64,
}

/// One line of the in-memory reference ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerLine {
    /// Entry number.
    pub id: ShareEntryId,
    /// Whose.
    pub holder: ShareHolderId,
    /// What was planned and written.
    pub entry: PlannedEntry,
}

/// A co-op's ledger in memory, applying [`plan`] exactly as the store does.
/// The reference model of the rules, for tests.
#[derive(Debug, Clone, Default)]
pub struct ShareLedger {
    /// Lines in the order they were written.
    pub lines: Vec<LedgerLine>,
}

impl ShareLedger {
    /// An empty ledger.
    pub fn new() -> ShareLedger {
        ShareLedger::default()
    }

    /// A member's holding: the fold of their lines.
    pub fn holding(&self, holder: ShareHolderId) -> Holding {
        Holding::of(
            self.lines
                .iter()
                .filter(|line| line.holder == holder)
                .map(|line| line.entry.delta),
        )
    }

    /// Every member's holding.
    pub fn holdings(&self) -> BTreeMap<ShareHolderId, Holding> {
        let mut holdings: BTreeMap<ShareHolderId, Holding> = BTreeMap::new();
        for line in &self.lines {
            let holding = holdings.entry(line.holder).or_default();
            *holding = holding.after(line.entry.delta);
        }
        holdings
    }

    /// The co-op's totals: the fold of every line.
    pub fn totals(&self) -> Holding {
        Holding::of(self.lines.iter().map(|line| line.entry.delta))
    }

    /// Records a request for a member (ignored for a reversal, whose member
    /// is that of the reversed entry).
    pub fn record(
        &mut self,
        holder: ShareHolderId,
        request: &ShareRequest,
        unit_price: Option<UnitPrice>,
    ) -> Result<LedgerLine, ShareRefusal> {
        let past = match request {
            ShareRequest::Reversal { entry } => self.past(*entry),
            _ => None,
        };
        let holder = past.map_or(holder, |p| p.holder);
        let entry = plan(request, self.holding(holder), unit_price, past.as_ref())?;
        let line = LedgerLine {
            id: ShareEntryId(self.lines.len() as i64 + 1),
            holder,
            entry,
        };
        self.lines.push(line);
        Ok(line)
    }

    fn past(&self, id: ShareEntryId) -> Option<PastEntry> {
        let line = self.lines.iter().find(|line| line.id == id)?;
        Some(PastEntry {
            id,
            holder: line.holder,
            kind: line.entry.kind,
            delta: line.entry.delta,
            reversed: self.lines.iter().any(|l| l.entry.reverses == Some(id)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn price(yen: i64) -> Option<UnitPrice> {
        Some(UnitPrice::new(yen).unwrap())
    }

    fn units(n: i64) -> UnitCount {
        UnitCount::new(n).unwrap()
    }

    fn yen(n: i64) -> Yen {
        Yen::new(n).unwrap()
    }

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(Yen::parse("50,000").unwrap().get(), 50_000);
        assert_eq!(Yen::parse("５００００円").unwrap().get(), 50_000);
        assert_eq!(Yen::parse("¥1,000").unwrap().get(), 1_000);
        assert_eq!(Yen::parse(" 0 ").unwrap(), Yen::ZERO);
        assert_eq!(Yen::parse(""), Err(NumberError::Empty));
        assert_eq!(Yen::parse("1.5"), Err(NumberError::NotWhole));
        assert_eq!(Yen::parse("-100"), Err(NumberError::NotWhole));
        assert_eq!(Yen::parse("1000000000001"), Err(NumberError::OutOfRange));
        assert_eq!(
            Yen::parse("99999999999999999999999"),
            Err(NumberError::OutOfRange)
        );
        assert_eq!(UnitCount::parse("２口").unwrap().get(), 2);
        assert_eq!(UnitCount::parse("0"), Err(NumberError::OutOfRange));
        assert_eq!(UnitCount::parse("100001"), Err(NumberError::OutOfRange));
        assert_eq!(UnitPrice::parse("50000").unwrap().yen(), 50_000);
        assert_eq!(UnitPrice::parse("0"), Err(NumberError::OutOfRange));
        assert_eq!(UnitPrice::parse("10000001"), Err(NumberError::OutOfRange));
    }

    #[test]
    fn kinds_round_trip() {
        for kind in ShareEntryKind::ALL {
            assert_eq!(ShareEntryKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ShareEntryKind::parse("gift"), None);
    }

    fn draft(kind: &str, units: &str, amount: &str, reverses: &str) -> ShareEntryDraft {
        ShareEntryDraft {
            kind: kind.into(),
            units: units.into(),
            amount: amount.into(),
            reverses: reverses.into(),
            note: String::new(),
        }
    }

    #[test]
    fn drafts_name_every_problem() {
        assert_eq!(
            draft("subscribe", "2", "", "").validate().unwrap().0,
            ShareRequest::Subscribe { units: units(2) }
        );
        assert_eq!(
            draft("refund", "1", "", "").validate().unwrap().0,
            ShareRequest::Refund {
                units: units(1),
                amount: None
            }
        );
        assert_eq!(
            draft("reversal", "", "", "#7").validate().unwrap().0,
            ShareRequest::Reversal {
                entry: ShareEntryId(7)
            }
        );
        assert_eq!(
            draft("gift", "", "", "").validate().unwrap_err(),
            vec![ShareFieldError::Kind]
        );
        assert_eq!(
            draft("subscribe", "", "", "").validate().unwrap_err(),
            vec![ShareFieldError::Units]
        );
        assert_eq!(
            draft("payment", "", "0", "").validate().unwrap_err(),
            vec![ShareFieldError::Amount]
        );
        assert_eq!(
            draft("payment", "", "", "").validate().unwrap_err(),
            vec![ShareFieldError::Amount]
        );
        assert_eq!(
            draft("payment", "3", "1000", "4").validate().unwrap_err(),
            vec![
                ShareFieldError::UnitsNotApplicable,
                ShareFieldError::ReversesNotApplicable
            ]
        );
        assert_eq!(
            draft("subscribe", "1", "50000", "").validate().unwrap_err(),
            vec![ShareFieldError::AmountNotApplicable]
        );
        assert_eq!(
            draft("reversal", "", "", "x").validate().unwrap_err(),
            vec![ShareFieldError::Reverses]
        );
        let long_note = ShareEntryDraft {
            note: "あ".repeat(501),
            ..draft("payment", "", "1000", "")
        };
        assert_eq!(
            long_note.validate().unwrap_err(),
            vec![ShareFieldError::Note]
        );
    }

    #[test]
    fn subscribe_pay_and_leave() {
        let mut ledger = ShareLedger::new();
        let aoi = ShareHolderId(1);
        let p = price(50_000);
        assert_eq!(
            ledger.record(aoi, &ShareRequest::Subscribe { units: units(2) }, None),
            Err(ShareRefusal::NoUnitPrice)
        );
        ledger
            .record(aoi, &ShareRequest::Subscribe { units: units(2) }, p)
            .unwrap();
        assert_eq!(
            ledger.holding(aoi),
            Holding {
                units: 2,
                subscribed: 100_000,
                paid: 0
            }
        );
        assert_eq!(
            ledger.record(
                aoi,
                &ShareRequest::Payment {
                    amount: yen(100_001)
                },
                p
            ),
            Err(ShareRefusal::PaymentExceedsOutstanding)
        );
        ledger
            .record(
                aoi,
                &ShareRequest::Payment {
                    amount: yen(60_000),
                },
                p,
            )
            .unwrap();
        assert_eq!(ledger.holding(aoi).outstanding(), 40_000);
        // A price change never rewrites what was subscribed before.
        ledger
            .record(
                aoi,
                &ShareRequest::Subscribe { units: units(1) },
                price(60_000),
            )
            .unwrap();
        assert_eq!(
            ledger.holding(aoi),
            Holding {
                units: 3,
                subscribed: 160_000,
                paid: 60_000
            }
        );
        assert_eq!(
            ledger.record(
                aoi,
                &ShareRequest::Refund {
                    units: units(4),
                    amount: None
                },
                p
            ),
            Err(ShareRefusal::MoreUnitsThanHeld)
        );
        assert_eq!(
            ledger.record(
                aoi,
                &ShareRequest::Refund {
                    units: units(3),
                    amount: Some(yen(10_000))
                },
                p
            ),
            Err(ShareRefusal::RefundTooSmall),
            "leaving returns everything paid"
        );
        assert_eq!(
            ledger.record(
                aoi,
                &ShareRequest::Refund {
                    units: units(1),
                    amount: Some(yen(60_001))
                },
                p
            ),
            Err(ShareRefusal::RefundMoreThanPaid)
        );
        let line = ledger
            .record(
                aoi,
                &ShareRequest::Refund {
                    units: units(3),
                    amount: None,
                },
                p,
            )
            .unwrap();
        assert_eq!(
            line.entry.delta,
            ShareDelta {
                units: -3,
                subscribed: -160_000,
                paid: -60_000
            }
        );
        assert_eq!(ledger.holding(aoi), Holding::default());
    }

    #[test]
    fn partial_refunds_take_the_pro_rata_share() {
        let mut ledger = ShareLedger::new();
        let ren = ShareHolderId(2);
        let p = price(50_000);
        ledger
            .record(ren, &ShareRequest::Subscribe { units: units(3) }, p)
            .unwrap();
        ledger
            .record(
                ren,
                &ShareRequest::Payment {
                    amount: yen(100_000),
                },
                p,
            )
            .unwrap();
        let line = ledger
            .record(
                ren,
                &ShareRequest::Refund {
                    units: units(1),
                    amount: None,
                },
                p,
            )
            .unwrap();
        assert_eq!(
            line.entry.delta,
            ShareDelta {
                units: -1,
                subscribed: -50_000,
                paid: -33_333
            }
        );
        let holding = ledger.holding(ren);
        assert!(holding.is_valid());
        assert_eq!(
            holding,
            Holding {
                units: 2,
                subscribed: 100_000,
                paid: 66_667
            }
        );
    }

    #[test]
    fn reversals_cancel_exactly_once() {
        let mut ledger = ShareLedger::new();
        let mei = ShareHolderId(3);
        let p = price(50_000);
        let subscription = ledger
            .record(mei, &ShareRequest::Subscribe { units: units(1) }, p)
            .unwrap();
        let payment = ledger
            .record(
                mei,
                &ShareRequest::Payment {
                    amount: yen(50_000),
                },
                p,
            )
            .unwrap();
        // The subscription cannot go while the payment stands.
        assert_eq!(
            ledger.record(
                mei,
                &ShareRequest::Reversal {
                    entry: subscription.id
                },
                p
            ),
            Err(ShareRefusal::ReversalBreaksBalance)
        );
        let reversal = ledger
            .record(mei, &ShareRequest::Reversal { entry: payment.id }, p)
            .unwrap();
        assert_eq!(reversal.entry.delta, payment.entry.delta.negated());
        assert_eq!(reversal.entry.reverses, Some(payment.id));
        assert_eq!(
            ledger.record(mei, &ShareRequest::Reversal { entry: payment.id }, p),
            Err(ShareRefusal::AlreadyReversed)
        );
        assert_eq!(
            ledger.record(mei, &ShareRequest::Reversal { entry: reversal.id }, p),
            Err(ShareRefusal::ReversalOfReversal)
        );
        assert_eq!(
            ledger.record(
                mei,
                &ShareRequest::Reversal {
                    entry: ShareEntryId(99)
                },
                p
            ),
            Err(ShareRefusal::UnknownEntry)
        );
        assert_eq!(
            ledger.holding(mei),
            Holding {
                units: 1,
                subscribed: 50_000,
                paid: 0
            }
        );
    }

    #[derive(Debug, Clone)]
    enum Op {
        Subscribe(i64, i64),
        Pay(i64, i64),
        Refund(i64, i64, Option<i64>),
        Reverse(i64),
        Price(i64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0..5i64, 1..20i64).prop_map(|(h, n)| Op::Subscribe(h, n)),
            4 => (0..5i64, 1..200_000i64).prop_map(|(h, a)| Op::Pay(h, a)),
            3 => (0..5i64, 1..20i64, proptest::option::of(0..300_000i64)).prop_map(|(h, n, a)| Op::Refund(h, n, a)),
            3 => (1..60i64).prop_map(Op::Reverse),
            1 => (1..100_000i64).prop_map(Op::Price),
        ]
    }

    proptest! {
        #[test]
        fn ledger_invariants(ops in proptest::collection::vec(op(), 0..150)) {
            let mut ledger = ShareLedger::new();
            let mut unit_price = price(50_000);
            for op in ops {
                let before = ledger.holdings();
                let (holder, request) = match op {
                    Op::Subscribe(h, n) => (h, ShareRequest::Subscribe { units: units(n) }),
                    Op::Pay(h, a) => (h, ShareRequest::Payment { amount: yen(a) }),
                    Op::Refund(h, n, a) => (h, ShareRequest::Refund { units: units(n), amount: a.map(yen) }),
                    Op::Reverse(id) => (0, ShareRequest::Reversal { entry: ShareEntryId(id) }),
                    Op::Price(p) => { unit_price = price(p); continue; }
                };
                let result = ledger.record(ShareHolderId(holder), &request, unit_price);
                let after = ledger.holdings();
                match result {
                    Ok(line) => {
                        // The line's delta is exactly the change in its holder's balances.
                        let was = before.get(&line.holder).copied().unwrap_or_default();
                        prop_assert_eq!(after[&line.holder], was.after(line.entry.delta));
                        if let Some(reversed) = line.entry.reverses {
                            let original = ledger.lines.iter().find(|l| l.id == reversed).unwrap();
                            // A reversal exactly cancels its entry.
                            prop_assert_eq!(Holding::of([original.entry.delta, line.entry.delta]), Holding::default());
                            prop_assert_eq!(original.holder, line.holder);
                        }
                    }
                    Err(_) => prop_assert_eq!(&before, &after, "a refused entry changes nothing"),
                }
                // Every holding stays valid: never below zero units or paid,
                // never more paid than subscribed.
                for holding in after.values() {
                    prop_assert!(holding.is_valid(), "{:?}", holding);
                }
                // Balances are the sum of the entries, and the totals the sum
                // of the balances.
                let summed = after.values().fold(Holding::default(), |t, h| t.plus(*h));
                prop_assert_eq!(summed, ledger.totals());
                let by_fold = Holding::of(ledger.lines.iter().map(|l| l.entry.delta));
                prop_assert_eq!(by_fold, ledger.totals());
                // One reversal per entry at most.
                let mut reversed: Vec<i64> = ledger.lines.iter().filter_map(|l| l.entry.reverses.map(|r| r.0)).collect();
                let count = reversed.len();
                reversed.sort_unstable();
                reversed.dedup();
                prop_assert_eq!(count, reversed.len());
            }
        }

        #[test]
        fn a_full_refund_always_empties_the_holding(subscriptions in proptest::collection::vec((1..50i64, 1..100_000i64), 1..6), pay_share in 0..=100i64) {
            let mut ledger = ShareLedger::new();
            let holder = ShareHolderId(1);
            for (n, p) in &subscriptions {
                ledger.record(holder, &ShareRequest::Subscribe { units: units(*n) }, price(*p)).unwrap();
            }
            let pay = ledger.holding(holder).subscribed * pay_share / 100;
            if pay > 0 {
                ledger.record(holder, &ShareRequest::Payment { amount: yen(pay) }, None).unwrap();
            }
            let held = ledger.holding(holder).units;
            ledger.record(holder, &ShareRequest::Refund { units: units(held), amount: None }, None).unwrap();
            prop_assert_eq!(ledger.holding(holder), Holding::default());
        }
    }
}
