//! Scores and the plain-words diagnosis of a completed self-check.

use std::collections::BTreeMap;

use super::questionnaire::{
    ACTIVITIES, ADAPTABILITY_ITEMS, Answer, Answers, CAREER_CHALLENGES, CAREER_PREPARATION, Factor,
    LIFE_CAREER_ACTIONS, LIKERT_MAX, LIKERT_MIN, SUPPORT_SOURCES,
};
use crate::region::Prefecture;

/// The three kinds of support asked about, as item ids.
pub const SUPPORT_KINDS: [&str; 3] = ["support_consult", "support_challenge", "support_options"];

/// Sources that are not mutual support outside the employer: the employer
/// itself, and government desks, which are public help.
const NOT_MUTUAL: [&str; 2] = ["employer", "government_desk"];

/// One activity's wished and actual share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityGap {
    /// Activity key (see `ACTIVITIES`).
    pub activity: &'static str,
    /// Wished share, 0–100.
    pub wished: i64,
    /// Actual share, 0–100.
    pub actual: i64,
}

impl ActivityGap {
    /// Wished minus actual: positive means the person wants more of it.
    pub fn gap(&self) -> i64 {
        self.wished - self.actual
    }
}

/// What the self-check finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scores {
    /// Kinds of organisation outside the employer that support the person.
    pub mutual_support_ties: u32,
    /// Whether a career challenge or preparation was given up.
    pub gave_up_career_move: bool,
    /// Actions given up or thought out of reach.
    pub given_up: Vec<&'static str>,
    /// Actions wanted now (reachable or not).
    pub wanted: Vec<&'static str>,
    /// Sub-scores 0–100 per factor.
    pub adaptability: BTreeMap<Factor, u8>,
    /// Wished and actual shares per activity.
    pub allocation: Vec<ActivityGap>,
    /// Satisfaction with the current allocation, 1–5.
    pub satisfaction: i64,
    /// The sources ticked per support kind.
    pub support: BTreeMap<&'static str, Vec<&'static str>>,
    /// Whether the person has "base" relations (can be themselves, rely on).
    pub has_base_relations: bool,
    /// Whether the person has "quest" relations (a shared goal).
    pub has_quest_relations: bool,
    /// Occupation field, if given.
    pub occupation: Option<String>,
    /// Home prefecture, if given.
    pub home_prefecture: Option<Prefecture>,
    /// Prefecture of residence, if given.
    pub current_prefecture: Option<Prefecture>,
    /// "online", "in_person" or "either", if given.
    pub preferred_format: Option<String>,
}

impl Scores {
    /// No mutual-support tie outside the employer.
    pub fn career_isolation(&self) -> bool {
        self.mutual_support_ties == 0
    }

    /// Share of waking time the person would move between activities to
    /// reach their wish (half the sum of absolute gaps), 0–100.
    pub fn allocation_shift(&self) -> i64 {
        self.allocation.iter().map(|g| g.gap().abs()).sum::<i64>() / 2
    }

    /// Satisfied with the allocation (4 or 5 on the scale).
    pub fn satisfied_with_allocation(&self) -> bool {
        self.satisfaction >= 4
    }

    /// The activity the person most wants more of, if any.
    pub fn most_wanted_activity(&self) -> Option<&ActivityGap> {
        self.allocation
            .iter()
            .rev() // ties go to the activity listed first
            .filter(|g| g.gap() > 0)
            .max_by_key(|g| g.gap())
    }

    /// Whether the action is wanted or was given up: something the person
    /// would like to do.
    pub fn wishes(&self, action: &str) -> bool {
        self.wanted.contains(&action) || self.given_up.contains(&action)
    }

    /// The gap for one activity.
    pub fn gap_of(&self, activity: &str) -> i64 {
        self.allocation
            .iter()
            .find(|g| g.activity == activity)
            .map_or(0, ActivityGap::gap)
    }
}

/// Why scores could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the self-check is not complete")]
pub struct Incomplete;

/// Scores complete, validated answers.
pub fn score(answers: &Answers) -> Result<Scores, Incomplete> {
    if !super::questionnaire::is_complete(answers) {
        return Err(Incomplete);
    }
    let choice = |id: &str| match answers.get(id) {
        Some(Answer::Choice(value)) => Some(value.as_str()),
        _ => None,
    };
    let choices = |id: &str| -> Vec<&'static str> {
        match answers.get(id) {
            Some(Answer::Choices(values)) => SUPPORT_SOURCES
                .into_iter()
                .filter(|s| values.iter().any(|v| v == s))
                .collect(),
            _ => Vec::new(),
        }
    };
    let number = |id: &str| match answers.get(id) {
        Some(Answer::Number(n)) => *n,
        _ => LIKERT_MIN,
    };
    let share = |id: &str, activity: &str| match answers.get(id) {
        Some(Answer::Shares(shares)) => shares.get(activity).copied().unwrap_or(0),
        _ => 0,
    };

    let standing = |action: &str| choice(action).unwrap_or("none");
    let given_up: Vec<&'static str> = LIFE_CAREER_ACTIONS
        .into_iter()
        .filter(|a| matches!(standing(a), "gave_up" | "want_unreachable"))
        .collect();
    let wanted: Vec<&'static str> = LIFE_CAREER_ACTIONS
        .into_iter()
        .filter(|a| matches!(standing(a), "want" | "want_unreachable"))
        .collect();
    let gave_up_career_move = CAREER_CHALLENGES
        .iter()
        .chain(CAREER_PREPARATION.iter())
        .any(|a| given_up.contains(a));

    let support: BTreeMap<&'static str, Vec<&'static str>> =
        SUPPORT_KINDS.into_iter().map(|k| (k, choices(k))).collect();
    let mutual_support_ties = SUPPORT_SOURCES
        .into_iter()
        .filter(|s| !NOT_MUTUAL.contains(s))
        .filter(|s| support.values().any(|ticked| ticked.contains(s)))
        .count() as u32;

    let adaptability = Factor::ALL
        .into_iter()
        .map(|factor| {
            let values: Vec<i64> = ADAPTABILITY_ITEMS
                .iter()
                .filter(|(_, f, _)| *f == factor)
                .map(|(id, _, reversed)| {
                    let n = number(id);
                    if *reversed {
                        LIKERT_MAX + LIKERT_MIN - n
                    } else {
                        n
                    }
                })
                .collect();
            (factor, sub_score(&values))
        })
        .collect();

    let allocation = ACTIVITIES
        .into_iter()
        .map(|activity| ActivityGap {
            activity,
            wished: share("allocation_wished", activity),
            actual: share("allocation_actual", activity),
        })
        .collect();
    let prefecture = |id: &str| choice(id).and_then(Prefecture::parse);

    Ok(Scores {
        mutual_support_ties,
        gave_up_career_move,
        given_up,
        wanted,
        adaptability,
        allocation,
        satisfaction: number("allocation_satisfaction"),
        support,
        has_base_relations: choice("relation_base") == Some("yes"),
        has_quest_relations: choice("relation_quest") == Some("yes"),
        occupation: choice("occupation").map(str::to_owned),
        home_prefecture: prefecture("home_prefecture"),
        current_prefecture: prefecture("current_prefecture"),
        preferred_format: choice("preferred_format").map(str::to_owned),
    })
}

/// The mean of Likert values mapped onto 0–100 (1 → 0, 5 → 100), rounded.
pub fn sub_score(values: &[i64]) -> u8 {
    if values.is_empty() {
        return 0;
    }
    let sum: i64 = values.iter().map(|v| v - LIKERT_MIN).sum();
    let range = (LIKERT_MAX - LIKERT_MIN) * values.len() as i64;
    ((sum * 100 + range / 2) / range) as u8
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::questionnaire::{LIFE_CAREER_ACTIONS, SUPPORT_SOURCES};
    use super::*;

    /// A complete set of answers: nobody supports them, nothing given up,
    /// every Likert item at `likert`.
    pub(crate) fn complete(likert: i64) -> Answers {
        let mut answers = Answers::new();
        for action in LIFE_CAREER_ACTIONS {
            answers.insert(action.into(), Answer::Choice("none".into()));
        }
        let shares = |values: [i64; 5]| {
            Answer::Shares(
                ACTIVITIES
                    .iter()
                    .zip(values)
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            )
        };
        answers.insert("allocation_wished".into(), shares([30, 30, 15, 10, 15]));
        answers.insert("allocation_actual".into(), shares([20, 60, 5, 0, 15]));
        answers.insert("allocation_satisfaction".into(), Answer::Number(2));
        for (id, _, _) in ADAPTABILITY_ITEMS {
            answers.insert(id.into(), Answer::Number(likert));
        }
        answers.insert("relation_base".into(), Answer::Choice("yes".into()));
        answers.insert("relation_quest".into(), Answer::Choice("no".into()));
        answers
    }

    #[test]
    fn incomplete_answers_are_not_scored() {
        let mut answers = complete(3);
        answers.remove("fc1");
        assert_eq!(score(&answers), Err(Incomplete));
    }

    #[test]
    fn reverse_keyed_items_count_the_other_way() {
        // Everything at 5: three items per factor score 5, the reversed one 1.
        let scores = score(&complete(5)).unwrap();
        for factor in Factor::ALL {
            assert_eq!(scores.adaptability[&factor], 75, "{factor:?}");
        }
        // Agreeing with all but the reversed item gives the top score.
        let mut answers = complete(5);
        for (id, _, reversed) in ADAPTABILITY_ITEMS {
            if reversed {
                answers.insert(id.into(), Answer::Number(1));
            }
        }
        let scores = score(&answers).unwrap();
        assert!(scores.adaptability.values().all(|s| *s == 100));
        // All at 1 with the reversed item at 5 is the floor.
        let mut answers = complete(1);
        for (id, _, reversed) in ADAPTABILITY_ITEMS {
            if reversed {
                answers.insert(id.into(), Answer::Number(5));
            }
        }
        assert!(
            score(&answers)
                .unwrap()
                .adaptability
                .values()
                .all(|s| *s == 0)
        );
    }

    #[test]
    fn sub_scores_round_to_the_nearest_point() {
        assert_eq!(sub_score(&[1, 1, 1, 1]), 0);
        assert_eq!(sub_score(&[5, 5, 5, 5]), 100);
        assert_eq!(sub_score(&[3, 3, 3, 3]), 50);
        // (1+1+2+2)/16 = 37.5 → 38
        assert_eq!(sub_score(&[2, 2, 3, 3]), 38);
        assert_eq!(sub_score(&[]), 0);
    }

    #[test]
    fn ties_count_kinds_of_organisation_outside_the_employer() {
        let mut answers = complete(3);
        let scores = score(&answers).unwrap();
        assert_eq!(scores.mutual_support_ties, 0);
        assert!(scores.career_isolation());

        // The employer and government desks are not mutual support.
        answers.insert(
            "support_consult".into(),
            Answer::Choices(vec!["employer".into(), "government_desk".into()]),
        );
        assert!(score(&answers).unwrap().career_isolation());

        // The same union in two kinds of support is one tie.
        answers.insert(
            "support_challenge".into(),
            Answer::Choices(vec!["union".into(), "alma_mater".into()]),
        );
        answers.insert(
            "support_options".into(),
            Answer::Choices(vec!["union".into()]),
        );
        let scores = score(&answers).unwrap();
        assert_eq!(scores.mutual_support_ties, 2);
        assert!(!scores.career_isolation());
        assert_eq!(scores.support["support_options"], vec!["union"]);
        assert!(SUPPORT_SOURCES.len() - NOT_MUTUAL.len() == 12);
    }

    #[test]
    fn giving_up_counts_only_career_challenges_and_preparation() {
        let mut answers = complete(3);
        answers.insert("long_leave".into(), Answer::Choice("gave_up".into()));
        let scores = score(&answers).unwrap();
        assert!(!scores.gave_up_career_move, "long leave is neither");
        assert_eq!(scores.given_up, vec!["long_leave"]);

        answers.insert(
            "future_learning".into(),
            Answer::Choice("want_unreachable".into()),
        );
        let scores = score(&answers).unwrap();
        assert!(scores.gave_up_career_move, "thinking it unreachable counts");
        assert!(scores.wishes("future_learning"));
        assert_eq!(scores.wanted, vec!["future_learning"]);

        answers.insert("future_learning".into(), Answer::Choice("want".into()));
        answers.insert("long_leave".into(), Answer::Choice("doing".into()));
        let scores = score(&answers).unwrap();
        assert!(
            !scores.gave_up_career_move,
            "a reachable wish is not given up"
        );
        assert!(scores.given_up.is_empty());
    }

    #[test]
    fn the_allocation_gap_is_what_would_move() {
        let scores = score(&complete(3)).unwrap();
        // Wished 30/30/15/10/15 vs actual 20/60/5/0/15: 10+30+10+10+0 = 60 → 30.
        assert_eq!(scores.allocation_shift(), 30);
        assert_eq!(scores.gap_of("work"), -30);
        let top = scores.most_wanted_activity().unwrap();
        assert_eq!((top.activity, top.gap()), ("family", 10));
        assert!(!scores.satisfied_with_allocation());
        assert!(scores.has_base_relations && !scores.has_quest_relations);
    }
}
