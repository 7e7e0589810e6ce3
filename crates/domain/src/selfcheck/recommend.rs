//! Recommendations: which communities and events on this server fit a
//! person's self-check, each with the reason it was chosen, and one first
//! small step for this week.

use chrono::Duration;

use super::scoring::Scores;
use crate::community::CommunityKind;
use crate::region::Prefecture;
use crate::{Locale, Timestamp};

/// A community that could be recommended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityCandidate {
    /// Its id.
    pub id: i64,
    /// Its kind.
    pub kind: CommunityKind,
    /// Its name.
    pub name: String,
    /// Occupation and industry tags.
    pub tags: Vec<String>,
    /// Its prefecture.
    pub prefecture: Option<Prefecture>,
    /// Active members.
    pub member_count: i64,
}

/// An upcoming event that could be recommended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCandidate {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// The community holding it.
    pub community: CommunityCandidate,
    /// Whether it can be joined online.
    pub online: bool,
    /// Where it takes place in person.
    pub prefecture: Option<Prefecture>,
    /// When it starts.
    pub starts_at: Timestamp,
    /// Whether every place is taken (registering joins the waitlist).
    pub full: bool,
}

/// Why something was suggested; the web layer words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Its tags match the person's occupation (the occupation id).
    Occupation(String),
    /// A regional network of the person's home prefecture.
    HomeRegion(Prefecture),
    /// It is where the person lives.
    NearYou(Prefecture),
    /// A community of this kind helps with an action the person wants or
    /// gave up (the action id).
    Wish(&'static str),
    /// The person wants more time for this activity (the activity key).
    MoreTime(&'static str),
    /// The person has no tie outside their employer; any place is a start.
    Isolation,
    /// An event soon, online.
    SoonOnline,
}

/// What is recommended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A community.
    Community {
        /// Its id.
        id: i64,
        /// Its name.
        name: String,
        /// Its kind.
        kind: CommunityKind,
    },
    /// An event.
    Event {
        /// Its id.
        id: i64,
        /// Its title.
        title: String,
        /// When it starts.
        starts_at: Timestamp,
        /// Whether it is online.
        online: bool,
    },
}

/// One recommendation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    /// What.
    pub target: Target,
    /// Why (the strongest reason).
    pub reason: Reason,
    /// How well it fits; higher first.
    pub score: i32,
}

/// The one small thing to do this week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstStep {
    /// Register for this event.
    Event {
        /// Its id.
        id: i64,
        /// Its title.
        title: String,
        /// When it starts.
        starts_at: Timestamp,
    },
    /// Join this community.
    Community {
        /// Its id.
        id: i64,
        /// Its name.
        name: String,
    },
    /// Nothing on the server fits yet: look at public help.
    PublicHelp,
}

/// At most this many recommendations.
pub const MAX_RECOMMENDATIONS: usize = 5;
/// At most this many of them events, so communities are not crowded out.
const MAX_EVENTS: usize = 3;

/// Words that mark a community's tags or name as belonging to an
/// occupational field (compared in lower case).
pub fn occupation_keywords(occupation: &str) -> &'static [&'static str] {
    match occupation {
        "care" => &["介護", "福祉", "ケア", "care", "welfare"],
        "healthcare" => &["医療", "看護", "薬剤", "health", "nurs", "medical"],
        "it" => &[
            "it",
            "エンジニア",
            "プログラ",
            "開発",
            "software",
            "engineer",
            "developer",
        ],
        "manufacturing" => &["製造", "ものづくり", "工場", "manufactur"],
        "sales" => &["営業", "販売", "小売", "sales", "retail"],
        "office" => &["事務", "経理", "人事", "総務", "hr", "office", "accounting"],
        "education" => &[
            "教育",
            "教員",
            "保育",
            "学校",
            "teach",
            "educat",
            "childcare",
        ],
        "public_service" => &["公務", "行政", "自治体", "public sector", "government"],
        "creative" => &[
            "デザイン",
            "クリエイ",
            "編集",
            "design",
            "creative",
            "media",
        ],
        "construction" => &["建設", "建築", "施工", "construct"],
        "logistics" => &["物流", "運輸", "ドライバー", "logistic", "transport"],
        "hospitality" => &["飲食", "観光", "ホテル", "接客", "hospitality", "tourism"],
        "finance" => &["金融", "銀行", "保険", "financ", "bank", "insurance"],
        _ => &[],
    }
}

/// How much a community of each kind helps with each life-career action.
fn kind_fit(kind: CommunityKind, action: &str) -> i32 {
    use CommunityKind::*;
    match (kind, action) {
        (Professional, "future_learning" | "qualification") => 3,
        (Professional, "academic_study" | "new_network" | "occupation_change" | "career_plan") => 2,
        (Professional, "job_change") => 1,
        (CorporateAlumni, "job_change" | "new_network") => 2,
        (CorporateAlumni, "independence" | "side_job") => 1,
        (RegionalAlumni, "relocation") => 3,
        (RegionalAlumni, "local_activity") => 2,
        (RegionalAlumni, "new_network") => 1,
        (Npo, "probono" | "civic_activity") => 3,
        (Npo, "side_job") => 2,
        (Npo, "job_change") => 1,
        (WorkerCoop, "independence") => 3,
        (WorkerCoop, "local_activity" | "side_job") => 2,
        (WorkerCoop, "shorter_hours") => 1,
        (Union, "shorter_hours" | "long_leave") => 3,
        (Union, "internal_transfer" | "job_change") => 2,
        (Union, "career_plan") => 1,
        _ => 0,
    }
}

/// Whether a community seems to be run in the reader's language, judged
/// by the script of its name: Japanese readers fit names with kana or
/// kanji, English readers names written mostly in Latin letters. It only
/// breaks ties between places that fit for another reason.
fn in_language(c: &CommunityCandidate, reader: Locale) -> bool {
    let letters = c.name.chars().filter(|ch| ch.is_alphabetic());
    let (latin, other) = letters.fold((0, 0), |(latin, other), ch| {
        if ch.is_ascii_alphabetic() {
            (latin + 1, other)
        } else {
            (latin, other + 1)
        }
    });
    match reader {
        Locale::Ja => other > 0,
        Locale::En => latin > other,
    }
}

/// A scored reason list for one community; the best reason first.
fn community_fit(scores: &Scores, c: &CommunityCandidate) -> (i32, Option<Reason>) {
    let mut best: Option<(i32, Reason)> = None;
    let mut total = 0;
    let mut add = |points: i32, reason: Reason| {
        total += points;
        if best.as_ref().is_none_or(|(p, _)| points > *p) {
            best = Some((points, reason));
        }
    };

    if let Some(occupation) = &scores.occupation {
        let keywords = occupation_keywords(occupation);
        let haystack: Vec<String> = c
            .tags
            .iter()
            .map(|t| t.to_lowercase())
            .chain(std::iter::once(c.name.to_lowercase()))
            .collect();
        if keywords
            .iter()
            .any(|k| haystack.iter().any(|h| h.contains(k)))
        {
            add(4, Reason::Occupation(occupation.clone()));
        }
    }
    if let Some(prefecture) = c.prefecture {
        let home = Some(prefecture) == scores.home_prefecture;
        let lives_there = Some(prefecture) == scores.current_prefecture;
        match c.kind {
            CommunityKind::RegionalAlumni if home => add(5, Reason::HomeRegion(prefecture)),
            CommunityKind::RegionalAlumni if lives_there => add(3, Reason::NearYou(prefecture)),
            _ if lives_there => add(1, Reason::NearYou(prefecture)),
            _ => {}
        }
    }
    for action in super::questionnaire::LIFE_CAREER_ACTIONS {
        if !scores.wishes(action) {
            continue;
        }
        let fit = kind_fit(c.kind, action);
        if fit > 0 {
            // What was given up weighs more: that is where help is missing.
            let bonus = i32::from(scores.given_up.contains(&action));
            add(fit + bonus, Reason::Wish(action));
        }
    }
    let learning_kind = c.kind == CommunityKind::Professional;
    let community_kind = matches!(
        c.kind,
        CommunityKind::RegionalAlumni | CommunityKind::Npo | CommunityKind::WorkerCoop
    );
    if learning_kind && scores.gap_of("learning") >= 5 {
        add(1, Reason::MoreTime("learning"));
    }
    if community_kind && scores.gap_of("community") >= 5 {
        add(1, Reason::MoreTime("community"));
    }
    if scores.career_isolation() {
        add(1, Reason::Isolation);
    }
    (total, best.map(|(_, reason)| reason))
}

/// Ranks the candidates (the person's own communities and registrations
/// already left out by the caller) and picks the first small step.
pub fn recommend(
    scores: &Scores,
    communities: &[CommunityCandidate],
    events: &[EventCandidate],
    now: Timestamp,
    reader: Locale,
) -> (Vec<Recommendation>, FirstStep) {
    let mut community_picks: Vec<(Recommendation, i64)> = communities
        .iter()
        .filter_map(|c| {
            let (score, reason) = community_fit(scores, c);
            let score = score + i32::from(in_language(c, reader));
            let reason = reason?;
            Some((
                Recommendation {
                    target: Target::Community {
                        id: c.id,
                        name: c.name.clone(),
                        kind: c.kind,
                    },
                    reason,
                    score,
                },
                c.member_count,
            ))
        })
        .collect();
    community_picks.sort_by(|(a, a_members), (b, b_members)| {
        b.score.cmp(&a.score).then(b_members.cmp(a_members))
    });

    let soon = now + Duration::days(14);
    let mut event_picks: Vec<(Recommendation, Timestamp, bool)> = events
        .iter()
        .filter(|e| e.starts_at > now)
        .filter_map(|e| {
            let (mut score, reason) = community_fit(scores, &e.community);
            score += i32::from(in_language(&e.community, reader));
            let format = scores.preferred_format.as_deref();
            if e.online && matches!(format, Some("online") | Some("either") | None) {
                score += 1;
            }
            let local = e.prefecture.is_some() && e.prefecture == scores.current_prefecture;
            if local && matches!(format, Some("in_person") | Some("either")) {
                score += 2;
            }
            if e.starts_at <= soon {
                score += 1;
            }
            if e.full {
                score -= 2;
            }
            let reason = match reason {
                Some(reason) => reason,
                None if e.online && e.starts_at <= soon => Reason::SoonOnline,
                None => return None,
            };
            Some((
                Recommendation {
                    target: Target::Event {
                        id: e.id,
                        title: e.title.clone(),
                        starts_at: e.starts_at,
                        online: e.online,
                    },
                    reason,
                    score,
                },
                e.starts_at,
                e.full,
            ))
        })
        .filter(|(r, _, _)| r.score > 0)
        .collect();
    event_picks.sort_by(|(a, a_start, _), (b, b_start, _)| {
        b.score.cmp(&a.score).then(a_start.cmp(b_start))
    });
    // One event per community, so one busy community does not fill the list.
    let mut seen = std::collections::HashSet::new();
    event_picks.retain(|(r, _, _)| match &r.target {
        Target::Event { id, .. } => events
            .iter()
            .find(|e| e.id == *id)
            .is_some_and(|e| seen.insert(e.community.id)),
        Target::Community { .. } => true,
    });

    let first_step = first_step(&event_picks, &community_picks, now);

    let mut picks: Vec<Recommendation> = community_picks
        .into_iter()
        .map(|(r, _)| r)
        .chain(event_picks.into_iter().take(MAX_EVENTS).map(|(r, _, _)| r))
        .filter(|r| r.score > 0)
        .collect();
    // Stable: communities before events at equal scores.
    picks.sort_by_key(|r| std::cmp::Reverse(r.score));
    picks.truncate(MAX_RECOMMENDATIONS);
    (picks, first_step)
}

fn first_step(
    events: &[(Recommendation, Timestamp, bool)],
    communities: &[(Recommendation, i64)],
    now: Timestamp,
) -> FirstStep {
    let event_within = |days: i64| {
        events
            .iter()
            .filter(|(_, start, full)| !full && *start <= now + Duration::days(days))
            .min_by_key(|(_, start, _)| *start)
    };
    if let Some((
        Recommendation {
            target:
                Target::Event {
                    id,
                    title,
                    starts_at,
                    ..
                },
            ..
        },
        _,
        _,
    )) = event_within(7).or_else(|| event_within(30))
    {
        return FirstStep::Event {
            id: *id,
            title: title.clone(),
            starts_at: *starts_at,
        };
    }
    match communities.first() {
        Some((
            Recommendation {
                target: Target::Community { id, name, .. },
                ..
            },
            _,
        )) => FirstStep::Community {
            id: *id,
            name: name.clone(),
        },
        _ => FirstStep::PublicHelp,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::super::questionnaire::Answer;
    use super::super::scoring::score;
    use super::*;

    fn now() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0).unwrap()
    }

    fn scores_with(changes: &[(&str, &str)]) -> Scores {
        let mut answers = super::super::scoring::tests::complete(3);
        for (id, value) in changes {
            answers.insert((*id).into(), Answer::Choice((*value).into()));
        }
        score(&answers).unwrap()
    }

    fn community(
        id: i64,
        kind: CommunityKind,
        name: &str,
        tags: &[&str],
        pref: Option<&str>,
    ) -> CommunityCandidate {
        CommunityCandidate {
            id,
            kind,
            name: name.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            prefecture: pref.and_then(Prefecture::parse),
            member_count: 10,
        }
    }

    fn ids(recommendations: &[Recommendation]) -> Vec<i64> {
        recommendations
            .iter()
            .map(|r| match r.target {
                Target::Community { id, .. } | Target::Event { id, .. } => id,
            })
            .collect()
    }

    fn catalogue() -> Vec<CommunityCandidate> {
        vec![
            community(
                1,
                CommunityKind::Professional,
                "介護のみらい対話カフェ",
                &["介護", "福祉"],
                Some("13"),
            ),
            community(
                2,
                CommunityKind::RegionalAlumni,
                "にいがた つながる会",
                &["Uターン"],
                Some("15"),
            ),
            community(3, CommunityKind::Npo, "まちの学び舎", &["教育"], Some("27")),
            community(
                4,
                CommunityKind::WorkerCoop,
                "はんしん協同ワーク",
                &[],
                Some("28"),
            ),
            community(5, CommunityKind::Union, "みんなのユニオン", &[], None),
            community(
                6,
                CommunityKind::CorporateAlumni,
                "元ヤマブキ商事の会",
                &[],
                None,
            ),
        ]
    }

    #[test]
    fn giving_up_learning_points_to_professional_communities_of_the_occupation() {
        let scores = scores_with(&[("future_learning", "gave_up"), ("occupation", "care")]);
        let (recs, step) = recommend(&scores, &catalogue(), &[], now(), Locale::Ja);
        assert_eq!(ids(&recs)[0], 1);
        assert_eq!(recs[0].reason, Reason::Occupation("care".into()));
        assert_eq!(
            step,
            FirstStep::Community {
                id: 1,
                name: "介護のみらい対話カフェ".into()
            }
        );
    }

    #[test]
    fn wanting_to_go_home_points_to_that_regions_alumni() {
        let scores = scores_with(&[
            ("relocation", "want"),
            ("home_prefecture", "15"),
            ("current_prefecture", "13"),
        ]);
        let (recs, _) = recommend(&scores, &catalogue(), &[], now(), Locale::Ja);
        assert_eq!(ids(&recs)[0], 2);
        assert_eq!(
            recs[0].reason,
            Reason::HomeRegion(Prefecture::parse("15").unwrap())
        );
    }

    #[test]
    fn a_side_job_wish_points_to_npos_and_coops() {
        let scores = scores_with(&[("side_job", "want_unreachable")]);
        let (recs, _) = recommend(&scores, &catalogue(), &[], now(), Locale::Ja);
        let top: Vec<i64> = ids(&recs).into_iter().take(2).collect();
        assert!(top.contains(&3) && top.contains(&4), "{recs:?}");
        assert_eq!(recs[0].reason, Reason::Wish("side_job"));
    }

    #[test]
    fn nothing_is_suggested_without_a_reason() {
        // Supported outside work, no wishes, no gaps that matter.
        let mut answers = super::super::scoring::tests::complete(3);
        answers.insert(
            "support_consult".into(),
            Answer::Choices(vec!["union".into()]),
        );
        let balanced = Answer::Shares(
            super::super::questionnaire::ACTIVITIES
                .iter()
                .map(|a| (a.to_string(), 20))
                .collect(),
        );
        answers.insert("allocation_wished".into(), balanced.clone());
        answers.insert("allocation_actual".into(), balanced);
        let scores = score(&answers).unwrap();
        let (recs, step) = recommend(&scores, &catalogue(), &[], now(), Locale::Ja);
        assert!(recs.is_empty(), "{recs:?}");
        assert_eq!(step, FirstStep::PublicHelp);
    }

    #[test]
    fn isolation_alone_still_suggests_somewhere_to_start() {
        let scores = scores_with(&[]);
        assert!(scores.career_isolation());
        let (recs, _) = recommend(&scores, &catalogue(), &[], now(), Locale::Ja);
        assert_eq!(recs.len(), MAX_RECOMMENDATIONS);
        assert!(recs.iter().any(|r| r.reason == Reason::Isolation));
    }

    #[test]
    fn the_readers_language_breaks_ties() {
        let scores = scores_with(&[("new_network", "want")]);
        let tied = vec![
            community(
                7,
                CommunityKind::CorporateAlumni,
                "元ヤマブキ商事の会",
                &[],
                None,
            ),
            community(
                8,
                CommunityKind::CorporateAlumni,
                "Yamabuki Alumni Circle",
                &[],
                None,
            ),
        ];
        let (ja, _) = recommend(&scores, &tied, &[], now(), Locale::Ja);
        assert_eq!(ids(&ja)[0], 7);
        let (en, _) = recommend(&scores, &tied, &[], now(), Locale::En);
        assert_eq!(ids(&en)[0], 8);
        assert_eq!(ja.len(), 2, "language never excludes a place");
    }

    #[test]
    fn the_first_step_is_an_event_this_week_that_has_room() {
        let scores = scores_with(&[("future_learning", "want"), ("occupation", "care")]);
        let cafe = catalogue().remove(0);
        let event = |id, days, full| EventCandidate {
            id,
            title: format!("対話会 {id}"),
            community: cafe.clone(),
            online: true,
            prefecture: None,
            starts_at: now() + Duration::days(days),
            full,
        };
        let events = vec![
            event(10, 20, false),
            event(11, 2, true),
            event(12, 4, false),
            event(13, -1, false),
        ];
        let (recs, step) = recommend(&scores, &catalogue(), &events, now(), Locale::Ja);
        assert_eq!(
            step,
            FirstStep::Event {
                id: 12,
                title: "対話会 12".into(),
                starts_at: now() + Duration::days(4)
            }
        );
        assert!(!ids(&recs).contains(&13), "past events are never suggested");
        assert!(recs.len() <= MAX_RECOMMENDATIONS);
        let events_listed = recs
            .iter()
            .filter(|r| matches!(r.target, Target::Event { .. }))
            .count();
        assert_eq!(events_listed, 1, "one event per community: {recs:?}");
        // Only a later event: it is still this month's step.
        let (_, step) = recommend(&scores, &catalogue(), &events[..1], now(), Locale::Ja);
        assert!(matches!(step, FirstStep::Event { id: 10, .. }));
    }
}
