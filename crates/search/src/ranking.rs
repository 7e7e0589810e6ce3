//! The ranking: relevance (BM25) times what tsunagari favours — more
//! members, recent activity, events still to come — and the collector that
//! keeps the best few under that product.
//!
//! Multiplying every match's score by its factor means reading three fast
//! fields per match, which on a broad query is a third of the work. Each
//! segment knows the largest factor any of its documents can have, so once
//! a page's worth of results is in hand, a match whose relevance times that
//! ceiling cannot beat the weakest of them is skipped unread.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// The multiplier of the ranking for one document: `ends_at` (0 for
/// documents that are not events), its community's `members`, its last
/// activity `active_at` (0 when unknown), all as of `now` (seconds).
pub(crate) fn ranking_factor(ends_at: i64, members: u64, active_at: i64, now: i64) -> Score {
    let mut factor = 1.0 + MEMBERS_WEIGHT * (1.0 + members as f32).ln();
    if active_at > 0 {
        let days = ((now - active_at).max(0) as f32) / 86_400.0;
        factor *= 1.0 + ACTIVITY_WEIGHT * (-days / 30.0).exp();
    }
    if ends_at > 0 {
        factor *= if ends_at >= now {
            UPCOMING_EVENT
        } else {
            PAST_EVENT
        };
    }
    factor
}

const MEMBERS_WEIGHT: f32 = 0.15;
const ACTIVITY_WEIGHT: f32 = 0.3;
const UPCOMING_EVENT: f32 = 1.5;
const PAST_EVENT: f32 = 0.5;

/// The largest factor a document can have given the largest values of the
/// three fields in its segment, with a margin for rounding.
fn factor_ceiling(max_ends_at: i64, max_members: u64, max_active_at: i64) -> Score {
    let mut ceiling = 1.0 + MEMBERS_WEIGHT * (1.0 + max_members as f32).ln();
    if max_active_at > 0 {
        ceiling *= 1.0 + ACTIVITY_WEIGHT;
    }
    if max_ends_at > 0 {
        ceiling *= UPCOMING_EVENT;
    }
    ceiling * 1.000_01
}

/// The best `limit` documents after the first `offset`, by relevance times
/// ranking factor, best first; ties go to the earlier document, as with
/// tantivy's `TopDocs`.
pub(crate) struct RankedTop {
    pub offset: usize,
    pub limit: usize,
    /// Seconds since the epoch that "upcoming" and "recent" are judged by.
    pub now: i64,
}

/// One kept document.
#[derive(Clone, Copy, Debug)]
struct Ranked {
    score: Score,
    address: DocAddress,
}

/// Higher scores first, then earlier addresses.
fn better(a: &Ranked, b: &Ranked) -> Ordering {
    b.score
        .partial_cmp(&a.score)
        .unwrap_or(Ordering::Equal)
        .then_with(|| a.address.cmp(&b.address))
}

/// In the heap the greatest element is the weakest kept document, so that
/// it is the one replaced.
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        better(self, other)
    }
}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}

type Values<T> = Option<Arc<dyn ColumnValues<T>>>;

/// The factors' fast fields of one segment.
pub(crate) struct SegmentRanked {
    segment: SegmentOrdinal,
    keep: usize,
    now: i64,
    ceiling: Score,
    ends_at: Values<i64>,
    members: Values<u64>,
    active_at: Values<i64>,
    kept: BinaryHeap<Ranked>,
}

impl SegmentRanked {
    fn factor(&self, doc: DocId) -> Score {
        let ends = self.ends_at.as_ref().map_or(0, |c| c.get_val(doc));
        let members = self.members.as_ref().map_or(0, |c| c.get_val(doc));
        let active = self.active_at.as_ref().map_or(0, |c| c.get_val(doc));
        ranking_factor(ends, members, active, self.now)
    }
}

/// A column's values, 0 where a document has none. The index writes all
/// three fields for every document, so the column is read directly; the
/// wrapper for missing values is only the fallback.
fn values<T>(column: tantivy::Result<tantivy::columnar::Column<T>>) -> Values<T>
where
    T: tantivy::columnar::MonotonicallyMappableToU64
        + PartialOrd
        + Default
        + Copy
        + Send
        + Sync
        + std::fmt::Debug
        + 'static,
{
    let column = column.ok()?;
    Some(match column.index {
        tantivy::columnar::ColumnIndex::Full => column.values,
        _ => column.first_or_default_col(T::default()),
    })
}

impl Collector for RankedTop {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentRanked;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentRanked> {
        let fast = reader.fast_fields();
        let ends_at = values(fast.i64("ends_at"));
        let members = values(fast.u64("members"));
        let active_at = values(fast.i64("active_at"));
        let ceiling = factor_ceiling(
            ends_at.as_ref().map_or(0, |c| c.max_value()),
            members.as_ref().map_or(0, |c| c.max_value()),
            active_at.as_ref().map_or(0, |c| c.max_value()),
        );
        Ok(SegmentRanked {
            segment,
            keep: self.offset + self.limit,
            now: self.now,
            ceiling,
            ends_at,
            members,
            active_at,
            kept: BinaryHeap::with_capacity(self.offset + self.limit + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        segments: Vec<Vec<(Score, DocAddress)>>,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let mut all: Vec<Ranked> = segments
            .into_iter()
            .flatten()
            .map(|(score, address)| Ranked { score, address })
            .collect();
        all.sort_by(better);
        Ok(all
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .map(|r| (r.score, r.address))
            .collect())
    }
}

impl SegmentCollector for SegmentRanked {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, relevance: Score) {
        if self.keep == 0 {
            return;
        }
        let full = self.kept.len() == self.keep;
        if full {
            let weakest = self.kept.peek().map_or(0.0, |r| r.score);
            // Even the largest factor would not lift it past the weakest
            // kept document (a tie goes to the earlier one, kept already).
            if relevance * self.ceiling <= weakest {
                return;
            }
        }
        let candidate = Ranked {
            score: relevance * self.factor(doc),
            address: DocAddress::new(self.segment, doc),
        };
        if !full {
            self.kept.push(candidate);
        } else if self
            .kept
            .peek()
            .is_some_and(|weakest| better(&candidate, weakest) == Ordering::Less)
        {
            self.kept.pop();
            self.kept.push(candidate);
        }
    }

    fn harvest(self) -> Vec<(Score, DocAddress)> {
        self.kept
            .into_iter()
            .map(|r| (r.score, r.address))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranking_favours_members_activity_and_upcoming_events() {
        let now = 1_800_000_000;
        assert!(ranking_factor(0, 50, 0, now) > ranking_factor(0, 2, 0, now));
        assert!(
            ranking_factor(0, 0, now - 86_400, now) > ranking_factor(0, 0, now - 400 * 86_400, now)
        );
        assert!(ranking_factor(now + 3600, 0, 0, now) > ranking_factor(now - 3600, 0, 0, now));
    }

    #[test]
    fn no_document_exceeds_its_segments_ceiling() {
        let now = 1_800_000_000;
        let ceiling = factor_ceiling(now + 10, 5_000, now);
        for members in [0, 1, 9, 500, 5_000] {
            for active in [0, now - 400 * 86_400, now - 86_400, now, now + 60] {
                for ends in [0, now - 1, now, now + 10] {
                    let factor = ranking_factor(ends, members, active, now);
                    assert!(
                        factor <= ceiling,
                        "{ends} {members} {active}: {factor} > {ceiling}"
                    );
                }
            }
        }
        // Without events or activity in the segment the ceiling is lower,
        // and still holds.
        let plain = factor_ceiling(0, 5_000, 0);
        assert!(plain < ceiling);
        assert!(ranking_factor(0, 5_000, 0, now) <= plain);
    }
}
