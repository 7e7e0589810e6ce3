//! The self-check questionnaire: its sections, items and allowed answers,
//! and the validation of answers against it.
//!
//! Item and option ids are stable: they are the API's vocabulary and the
//! keys under which answers are stored. Labels live in the web layer's
//! translation files under `sc-item-<id>` and `sc-option-<set>-<value>`.

use std::collections::BTreeMap;

use crate::region::Prefecture;

/// The five activities a person's waking time is shared between.
pub const ACTIVITIES: [&str; 5] = ["family", "work", "learning", "community", "personal"];

/// The life-career actions asked about: the eleven the report names first,
/// then six more so that there are seventeen, as in its survey.
pub const LIFE_CAREER_ACTIONS: [&str; 17] = [
    "job_change",
    "independence",
    "side_job",
    "occupation_change",
    "future_learning",
    "new_network",
    "career_plan",
    "long_leave",
    "new_hobby",
    "local_activity",
    "civic_activity",
    "relocation",
    "qualification",
    "academic_study",
    "shorter_hours",
    "probono",
    "internal_transfer",
];

/// The report's "career challenges": changing jobs, going independent,
/// changing occupation.
pub const CAREER_CHALLENGES: [&str; 3] = ["job_change", "independence", "occupation_change"];

/// The report's "career preparation": learning for the future, a side job,
/// a new network, a career plan.
pub const CAREER_PREPARATION: [&str; 4] =
    ["future_learning", "side_job", "new_network", "career_plan"];

/// Where a person stands with one life-career action.
pub const ACTION_STANDINGS: [&str; 5] = ["none", "doing", "want", "want_unreachable", "gave_up"];

/// The organisation types of the report's figure 2-6 that can support a
/// person's career.
pub const SUPPORT_SOURCES: [&str; 14] = [
    "employer",
    "union",
    "leisure_community",
    "industry_association",
    "adult_school",
    "hr_service",
    "alma_mater",
    "local_group",
    "political_group",
    "civic_group",
    "religious_group",
    "hobby_circle",
    "government_desk",
    "other",
];

/// Kinds of public scheme a person may know of or rely on.
pub const SCHEME_KINDS: [&str; 8] = [
    "unemployment_benefit",
    "training_benefit",
    "job_seeker_support",
    "vocational_training",
    "job_counselling",
    "career_consulting",
    "scholarship",
    "relocation_support",
];

/// Occupational fields offered for matching communities by occupation.
pub const OCCUPATIONS: [&str; 14] = [
    "care",
    "healthcare",
    "it",
    "manufacturing",
    "sales",
    "office",
    "education",
    "public_service",
    "creative",
    "construction",
    "logistics",
    "hospitality",
    "finance",
    "other",
];

/// The three career-adaptability factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Factor {
    /// Confidence about one's future (未来自信).
    FutureConfidence,
    /// Curiosity (好奇心).
    Curiosity,
    /// Self-determination (自己決定).
    SelfDetermination,
}

impl Factor {
    /// All three, in display order.
    pub const ALL: [Factor; 3] = [
        Factor::FutureConfidence,
        Factor::Curiosity,
        Factor::SelfDetermination,
    ];

    /// The stable id used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Factor::FutureConfidence => "future_confidence",
            Factor::Curiosity => "curiosity",
            Factor::SelfDetermination => "self_determination",
        }
    }
}

/// The adaptability items: id, factor, and whether agreeing means *less*
/// of the factor (reverse-keyed). Each factor has four, one reversed.
pub const ADAPTABILITY_ITEMS: [(&str, Factor, bool); 12] = [
    ("fc1", Factor::FutureConfidence, false),
    ("fc2", Factor::FutureConfidence, false),
    ("fc3", Factor::FutureConfidence, false),
    ("fc4", Factor::FutureConfidence, true),
    ("cu1", Factor::Curiosity, false),
    ("cu2", Factor::Curiosity, false),
    ("cu3", Factor::Curiosity, true),
    ("cu4", Factor::Curiosity, false),
    ("sd1", Factor::SelfDetermination, false),
    ("sd2", Factor::SelfDetermination, false),
    ("sd3", Factor::SelfDetermination, false),
    ("sd4", Factor::SelfDetermination, true),
];

/// The Likert scale's ends.
pub const LIKERT_MIN: i64 = 1;
/// The Likert scale's top.
pub const LIKERT_MAX: i64 = 5;

/// The pages of the questionnaire, in order; progress is saved after each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// Occupation and regions, used only for recommendations.
    About,
    /// The seventeen life-career actions.
    Actions,
    /// Wished and actual time allocation.
    Time,
    /// Career adaptability.
    Adaptability,
    /// Who supports the person, and public schemes.
    Support,
}

impl Section {
    /// All sections in order.
    pub const ALL: [Section; 5] = [
        Section::About,
        Section::Actions,
        Section::Time,
        Section::Adaptability,
        Section::Support,
    ];

    /// The stable id, used in addresses.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::About => "about",
            Section::Actions => "actions",
            Section::Time => "time",
            Section::Adaptability => "adaptability",
            Section::Support => "support",
        }
    }

    /// The section with this id.
    pub fn parse(id: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.as_str() == id)
    }

    /// The section after this one.
    pub fn next(self) -> Option<Section> {
        let index = Section::ALL.iter().position(|s| *s == self)?;
        Section::ALL.get(index + 1).copied()
    }

    /// The section before this one.
    pub fn previous(self) -> Option<Section> {
        let index = Section::ALL.iter().position(|s| *s == self)?;
        index.checked_sub(1).map(|i| Section::ALL[i])
    }

    /// Its position, from 1.
    pub fn number(self) -> usize {
        Section::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }
}

/// What kind of answer an item takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemType {
    /// One of the options.
    Single {
        /// The option set's name (for labels).
        set: &'static str,
        /// Allowed values.
        options: Vec<&'static str>,
    },
    /// Any number of the options.
    Multi {
        /// The option set's name (for labels).
        set: &'static str,
        /// Allowed values.
        options: Vec<&'static str>,
    },
    /// An integer on the Likert scale.
    Likert,
    /// Shares of the five activities summing to 100.
    Allocation,
}

impl ItemType {
    /// The API's name of the type.
    pub fn as_str(&self) -> &'static str {
        match self {
            ItemType::Single { .. } => "single",
            ItemType::Multi { .. } => "multi",
            ItemType::Likert => "likert",
            ItemType::Allocation => "allocation",
        }
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Stable id.
    pub id: &'static str,
    /// The page it is on.
    pub section: Section,
    /// Its answer type.
    pub kind: ItemType,
    /// Whether a submission must answer it.
    pub required: bool,
}

/// The whole questionnaire, in order; built once, as every page, check
/// and API call reads it.
pub fn items() -> &'static [Item] {
    static ITEMS: std::sync::LazyLock<Vec<Item>> = std::sync::LazyLock::new(build_items);
    &ITEMS
}

fn build_items() -> Vec<Item> {
    let single = |id, section, set, options: &[&'static str], required| Item {
        id,
        section,
        kind: ItemType::Single {
            set,
            options: options.to_vec(),
        },
        required,
    };
    let multi = |id, section, set, options: &[&'static str]| Item {
        id,
        section,
        kind: ItemType::Multi {
            set,
            options: options.to_vec(),
        },
        required: false,
    };
    let prefectures: Vec<&'static str> = Prefecture::all().map(|p| p.code()).collect();
    let mut items = vec![
        single(
            "occupation",
            Section::About,
            "occupation",
            &OCCUPATIONS,
            false,
        ),
        single(
            "home_prefecture",
            Section::About,
            "prefecture",
            &prefectures,
            false,
        ),
        single(
            "current_prefecture",
            Section::About,
            "prefecture",
            &prefectures,
            false,
        ),
        single(
            "preferred_format",
            Section::About,
            "format",
            &["online", "in_person", "either"],
            false,
        ),
    ];
    for action in LIFE_CAREER_ACTIONS {
        items.push(single(
            action,
            Section::Actions,
            "standing",
            &ACTION_STANDINGS,
            true,
        ));
    }
    for id in ["allocation_wished", "allocation_actual"] {
        items.push(Item {
            id,
            section: Section::Time,
            kind: ItemType::Allocation,
            required: true,
        });
    }
    items.push(Item {
        id: "allocation_satisfaction",
        section: Section::Time,
        kind: ItemType::Likert,
        required: true,
    });
    for (id, _, _) in ADAPTABILITY_ITEMS {
        items.push(Item {
            id,
            section: Section::Adaptability,
            kind: ItemType::Likert,
            required: true,
        });
    }
    for id in ["support_consult", "support_challenge", "support_options"] {
        items.push(multi(id, Section::Support, "source", &SUPPORT_SOURCES));
    }
    for id in ["schemes_known", "schemes_rely"] {
        items.push(multi(id, Section::Support, "scheme", &SCHEME_KINDS));
    }
    for id in ["relation_base", "relation_quest"] {
        items.push(single(
            id,
            Section::Support,
            "relation",
            &["yes", "no", "unsure"],
            true,
        ));
    }
    items
}

/// An answer as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A chosen option.
    Choice(String),
    /// A number (Likert).
    Number(i64),
    /// Chosen options.
    Choices(Vec<String>),
    /// Shares per activity.
    Shares(BTreeMap<String, i64>),
}

/// Answers by item id.
pub type Answers = BTreeMap<String, Answer>;

/// Why an answer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AnswerProblem {
    /// A required item has no answer.
    #[error("an answer is required")]
    Missing,
    /// The answer is not one of the allowed values or of the wrong type.
    #[error("not one of the allowed values")]
    NotAllowed,
    /// An allocation does not add up to 100.
    #[error("the shares must add up to 100")]
    NotHundred,
    /// No such item.
    #[error("no such item")]
    UnknownItem,
}

/// Problems by item id.
pub type AnswerProblems = BTreeMap<String, AnswerProblem>;

/// Checks `answers` against the items of `sections`: every required item of
/// those sections answered, every answer allowed. Answers to items outside
/// the questionnaire are refused; answers to items of other sections are
/// left alone (they are checked when their page is).
pub fn validate(answers: &Answers, sections: &[Section]) -> Result<(), AnswerProblems> {
    let all = items();
    let mut problems = AnswerProblems::new();
    for id in answers.keys() {
        if !all.iter().any(|item| item.id == id) {
            problems.insert(id.clone(), AnswerProblem::UnknownItem);
        }
    }
    for item in all.iter().filter(|i| sections.contains(&i.section)) {
        match answers.get(item.id) {
            None if item.required => {
                problems.insert(item.id.into(), AnswerProblem::Missing);
            }
            None => {}
            Some(answer) => {
                if let Err(problem) = check(&item.kind, answer) {
                    problems.insert(item.id.into(), problem);
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn check(kind: &ItemType, answer: &Answer) -> Result<(), AnswerProblem> {
    match (kind, answer) {
        (ItemType::Single { options, .. }, Answer::Choice(value))
            if options.contains(&value.as_str()) =>
        {
            Ok(())
        }
        (ItemType::Multi { options, .. }, Answer::Choices(values))
            if values.iter().all(|v| options.contains(&v.as_str())) =>
        {
            let mut unique = values.clone();
            unique.sort();
            unique.dedup();
            if unique.len() == values.len() {
                Ok(())
            } else {
                Err(AnswerProblem::NotAllowed)
            }
        }
        (ItemType::Likert, Answer::Number(n)) if (LIKERT_MIN..=LIKERT_MAX).contains(n) => Ok(()),
        (ItemType::Allocation, Answer::Shares(shares)) => {
            let keys_ok = shares.len() == ACTIVITIES.len()
                && ACTIVITIES.iter().all(|a| shares.contains_key(*a))
                && shares.values().all(|v| (0..=100).contains(v));
            if !keys_ok {
                Err(AnswerProblem::NotAllowed)
            } else if shares.values().sum::<i64>() != 100 {
                Err(AnswerProblem::NotHundred)
            } else {
                Ok(())
            }
        }
        _ => Err(AnswerProblem::NotAllowed),
    }
}

/// Whether every section's required items are answered validly.
pub fn is_complete(answers: &Answers) -> bool {
    validate(answers, &Section::ALL).is_ok()
}

/// The first section with a missing or invalid answer.
pub fn first_unfinished(answers: &Answers) -> Option<Section> {
    Section::ALL
        .into_iter()
        .find(|s| validate(answers, &[*s]).is_err())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(values: [i64; 5]) -> Answer {
        Answer::Shares(
            ACTIVITIES
                .iter()
                .zip(values)
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    #[test]
    fn the_questionnaire_has_seventeen_actions_and_balanced_factors() {
        let all = items();
        assert_eq!(
            all.iter().filter(|i| i.section == Section::Actions).count(),
            17
        );
        for factor in Factor::ALL {
            let of: Vec<_> = ADAPTABILITY_ITEMS
                .iter()
                .filter(|(_, f, _)| *f == factor)
                .collect();
            assert!((3..=5).contains(&of.len()), "{factor:?}");
            assert!(of.iter().any(|(_, _, reversed)| *reversed), "{factor:?}");
        }
        let mut ids: Vec<_> = all.iter().map(|i| i.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "item ids are unique");
    }

    #[test]
    fn allocations_must_sum_to_one_hundred_over_the_five_activities() {
        let kind = ItemType::Allocation;
        assert_eq!(check(&kind, &shares([20, 40, 10, 10, 20])), Ok(()));
        assert_eq!(
            check(&kind, &shares([20, 40, 10, 10, 19])),
            Err(AnswerProblem::NotHundred)
        );
        assert_eq!(
            check(&kind, &shares([120, -20, 0, 0, 0])),
            Err(AnswerProblem::NotAllowed)
        );
        let mut missing = BTreeMap::new();
        missing.insert("work".to_string(), 100);
        assert_eq!(
            check(&kind, &Answer::Shares(missing)),
            Err(AnswerProblem::NotAllowed)
        );
    }

    #[test]
    fn a_page_is_checked_alone_and_unknown_items_are_refused() {
        let mut answers = Answers::new();
        answers.insert("occupation".into(), Answer::Choice("care".into()));
        assert_eq!(validate(&answers, &[Section::About]), Ok(()));
        let problems = validate(&answers, &[Section::Time]).unwrap_err();
        assert_eq!(
            problems.get("allocation_wished"),
            Some(&AnswerProblem::Missing)
        );
        answers.insert("fc1".into(), Answer::Number(6));
        answers.insert("nonsense".into(), Answer::Number(1));
        let problems = validate(&answers, &[Section::Adaptability]).unwrap_err();
        assert_eq!(problems.get("fc1"), Some(&AnswerProblem::NotAllowed));
        assert_eq!(problems.get("nonsense"), Some(&AnswerProblem::UnknownItem));
        answers.insert(
            "support_consult".into(),
            Answer::Choices(vec!["union".into(), "union".into()]),
        );
        let problems = validate(&answers, &[Section::Support]).unwrap_err();
        assert_eq!(
            problems.get("support_consult"),
            Some(&AnswerProblem::NotAllowed),
            "a choice counts once"
        );
    }

    #[test]
    fn sections_walk_in_order() {
        assert_eq!(Section::About.next(), Some(Section::Actions));
        assert_eq!(Section::Support.next(), None);
        assert_eq!(Section::About.previous(), None);
        assert_eq!(Section::parse("time"), Some(Section::Time));
        assert_eq!(Section::Support.number(), 5);
        assert_eq!(first_unfinished(&Answers::new()), Some(Section::Actions));
    }
}
