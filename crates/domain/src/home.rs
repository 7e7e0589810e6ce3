//! The signed-in home page's rules: which communities to suggest to
//! someone who has not taken the self-check (from what their member
//! profiles say, else the most popular), and what "this week" means for
//! events near them.
//!
//! With a self-check, suggestions come from `selfcheck::recommend`; these
//! rules only fill the gap before it, from the occupation and region a
//! person wrote in the communities they already belong to.

use chrono::Duration;

use crate::region::Prefecture;
use crate::selfcheck::questionnaire::OCCUPATIONS;
use crate::selfcheck::recommend::occupation_keywords;
use crate::selfcheck::{CommunityCandidate, Reason};
use crate::{Locale, Timestamp};

/// How far ahead "events this week" look, in days.
pub const NEARBY_DAYS: i64 = 7;

/// The window of "events near you or online this week": from `now` to
/// seven days later.
pub fn this_week(now: Timestamp) -> (Timestamp, Timestamp) {
    (now, now + Duration::days(NEARBY_DAYS))
}

/// Why a community is suggested on the home page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suggestion {
    /// A reason the self-check's recommendation gave, or the same kind of
    /// reason read from a profile (occupation, region).
    Fit(Reason),
    /// One of its tags appears in the person's occupation as written.
    Tag(String),
    /// Nothing is known about the person yet: one of the largest.
    Popular,
}

/// What a person's member profiles say about them: occupations as they
/// wrote them and where they live, most recently saved first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileHints {
    /// Occupations, free text.
    pub occupations: Vec<String>,
    /// Prefectures of residence.
    pub prefectures: Vec<Prefecture>,
}

impl ProfileHints {
    /// Whether the profiles say anything to go on.
    pub fn is_empty(&self) -> bool {
        self.occupations.iter().all(|o| o.trim().is_empty()) && self.prefectures.is_empty()
    }

    /// The prefecture to look for nearby events in: the latest saved.
    pub fn prefecture(&self) -> Option<Prefecture> {
        self.prefectures.first().copied()
    }
}

/// The self-check's occupation fields a free-text occupation belongs to,
/// by the same keywords the recommendations use (介護福祉士 → care).
pub fn occupation_ids(text: &str) -> Vec<&'static str> {
    let text = text.to_lowercase();
    if text.trim().is_empty() {
        return Vec::new();
    }
    OCCUPATIONS
        .into_iter()
        .filter(|id| occupation_keywords(id).iter().any(|k| text.contains(k)))
        .collect()
}

/// Suggests up to `limit` communities from profile hints: those whose tags
/// or name fit the person's occupation field (4 points), whose tag appears
/// in the occupation as written (3), or in the prefecture where they live
/// (2; 3 for regional alumni); communities in the reader's language
/// break ties, then size. Communities that fit nothing are left out.
pub fn suggest_from_profile(
    hints: &ProfileHints,
    candidates: &[CommunityCandidate],
    reader: Locale,
    limit: usize,
) -> Vec<(CommunityCandidate, Suggestion)> {
    let fields: Vec<&'static str> = hints
        .occupations
        .iter()
        .flat_map(|o| occupation_ids(o))
        .collect();
    let written: Vec<String> = hints.occupations.iter().map(|o| o.to_lowercase()).collect();
    let mut scored: Vec<(i32, bool, &CommunityCandidate, Suggestion)> = candidates
        .iter()
        .filter_map(|c| {
            let haystack: Vec<String> = c
                .tags
                .iter()
                .map(|t| t.to_lowercase())
                .chain(std::iter::once(c.name.to_lowercase()))
                .collect();
            let mut best: Option<(i32, Suggestion)> = None;
            let mut total = 0;
            let mut add = |points: i32, why: Suggestion| {
                total += points;
                if best.as_ref().is_none_or(|(p, _)| points > *p) {
                    best = Some((points, why));
                }
            };
            if let Some(field) = fields.iter().find(|field| {
                occupation_keywords(field)
                    .iter()
                    .any(|k| haystack.iter().any(|h| h.contains(k)))
            }) {
                add(4, Suggestion::Fit(Reason::Occupation((*field).to_owned())));
            }
            if let Some(tag) = c.tags.iter().find(|tag| {
                let tag = tag.to_lowercase();
                tag.chars().count() >= 2 && written.iter().any(|w| w.contains(&tag))
            }) {
                add(3, Suggestion::Tag(tag.clone()));
            }
            if let Some(p) = c.prefecture.filter(|p| hints.prefectures.contains(p)) {
                let points = if c.kind == crate::community::CommunityKind::RegionalAlumni {
                    3
                } else {
                    2
                };
                add(points, Suggestion::Fit(Reason::NearYou(p)));
            }
            best.map(|(_, why)| (total, in_language(&c.name, reader), c, why))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(b.2.member_count.cmp(&a.2.member_count))
            .then(a.2.id.cmp(&b.2.id))
    });
    scored
        .into_iter()
        .take(limit)
        .map(|(_, _, c, why)| (c.clone(), why))
        .collect()
}

/// The `limit` largest communities, for someone nothing is known about;
/// those in the reader's language first among equals.
pub fn popular(
    candidates: &[CommunityCandidate],
    reader: Locale,
    limit: usize,
) -> Vec<(CommunityCandidate, Suggestion)> {
    let mut sorted: Vec<&CommunityCandidate> = candidates.iter().collect();
    sorted.sort_by(|a, b| {
        b.member_count
            .cmp(&a.member_count)
            .then(in_language(&b.name, reader).cmp(&in_language(&a.name, reader)))
            .then(a.id.cmp(&b.id))
    });
    sorted
        .into_iter()
        .take(limit)
        .map(|c| (c.clone(), Suggestion::Popular))
        .collect()
}

/// Whether a name looks written in the reader's language (kana or kanji
/// for Japanese, mostly Latin letters for English).
fn in_language(name: &str, reader: Locale) -> bool {
    let (latin, other) = name
        .chars()
        .filter(|c| c.is_alphabetic())
        .fold((0, 0), |(l, o), c| {
            if c.is_ascii_alphabetic() {
                (l + 1, o)
            } else {
                (l, o + 1)
            }
        });
    match reader {
        Locale::Ja => other > 0,
        Locale::En => latin > other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::community::CommunityKind;
    use proptest::prelude::*;

    fn candidate(
        id: i64,
        name: &str,
        tags: &[&str],
        prefecture: Option<&str>,
    ) -> CommunityCandidate {
        CommunityCandidate {
            id,
            kind: CommunityKind::Professional,
            name: name.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            prefecture: prefecture.and_then(Prefecture::parse),
            member_count: id,
        }
    }

    #[test]
    fn free_text_occupations_map_to_fields() {
        assert_eq!(occupation_ids("介護福祉士"), ["care"]);
        assert_eq!(occupation_ids("Software engineer"), ["it"]);
        assert!(occupation_ids("  ").is_empty());
        assert!(occupation_ids("宇宙飛行士").is_empty());
    }

    #[test]
    fn profiles_lead_to_fitting_communities() {
        let candidates = vec![
            candidate(1, "みらい介護カフェ", &["介護", "対話"], None),
            candidate(2, "UXリサーチ勉強会", &["UX", "デザイン"], None),
            candidate(3, "新潟で働く会", &["地域"], Some("15")),
            candidate(4, "読書会", &["本"], None),
        ];
        let hints = ProfileHints {
            occupations: vec!["介護福祉士".into(), "UXデザイナー".into()],
            prefectures: vec![Prefecture::parse("15").unwrap()],
        };
        let picks = suggest_from_profile(&hints, &candidates, Locale::Ja, 10);
        let ids: Vec<i64> = picks.iter().map(|(c, _)| c.id).collect();
        // Care fits the field of 介護福祉士 (4); UX is written in the
        // other occupation (3); Niigata is where the person lives (2).
        assert_eq!(ids, [1, 2, 3]);
        assert_eq!(
            picks[0].1,
            Suggestion::Fit(Reason::Occupation("care".into()))
        );
        assert_eq!(picks[1].1, Suggestion::Tag("UX".into()));
        assert_eq!(
            picks[2].1,
            Suggestion::Fit(Reason::NearYou(Prefecture::parse("15").unwrap()))
        );
        assert!(
            suggest_from_profile(&ProfileHints::default(), &candidates, Locale::Ja, 10).is_empty()
        );
    }

    #[test]
    fn one_letter_tags_do_not_match_by_accident() {
        let candidates = vec![candidate(1, "X", &["a"], None)];
        let hints = ProfileHints {
            occupations: vec!["data analyst".into()],
            prefectures: vec![],
        };
        assert!(suggest_from_profile(&hints, &candidates, Locale::En, 10).is_empty());
    }

    #[test]
    fn popular_means_largest() {
        let candidates = vec![
            candidate(5, "五", &[], None),
            candidate(9, "九", &[], None),
            candidate(7, "七", &[], None),
        ];
        let ids: Vec<i64> = popular(&candidates, Locale::Ja, 2)
            .into_iter()
            .map(|(c, _)| c.id)
            .collect();
        assert_eq!(ids, [9, 7]);
    }

    #[test]
    fn this_week_is_seven_days() {
        let now = crate::time::now();
        let (from, to) = this_week(now);
        assert_eq!(from, now);
        assert_eq!(to - from, Duration::days(7));
    }

    proptest! {
        #[test]
        fn suggestions_are_bounded_distinct_and_fitting(
            limit in 0..6usize,
            tags in proptest::collection::vec(proptest::sample::select(vec!["介護", "UX", "IT", "本", "地域"]), 0..12),
            occupation in proptest::sample::select(vec!["介護職", "UXデザイナー", "エンジニア", "", "営業"]),
        ) {
            let candidates: Vec<CommunityCandidate> = tags
                .iter()
                .enumerate()
                .map(|(i, t)| candidate(i as i64, &format!("会{i}"), &[t], None))
                .collect();
            let hints = ProfileHints { occupations: vec![occupation.to_owned()], prefectures: vec![] };
            let picks = suggest_from_profile(&hints, &candidates, Locale::Ja, limit);
            prop_assert!(picks.len() <= limit);
            let mut ids: Vec<i64> = picks.iter().map(|(c, _)| c.id).collect();
            ids.sort();
            ids.dedup();
            prop_assert_eq!(ids.len(), picks.len());
            // Every suggestion has a reason from the profile, never "popular".
            prop_assert!(picks.iter().all(|(_, why)| *why != Suggestion::Popular));
            prop_assert!(popular(&candidates, Locale::Ja, limit).len() <= limit);
        }
    }
}
