//! The career self-check: saving answers page by page, scoring a finished
//! check, recommending from what is on this server, and the person's
//! history. Answers are private: every read is scoped to their owner.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::Duration;
use serde_json::{Map, Value};
use tsunagari_domain::public_scheme::PublicScheme;
use tsunagari_domain::selfcheck::questionnaire::{self, Factor};
use tsunagari_domain::selfcheck::{
    Answer, AnswerProblem, Answers, CommunityCandidate, EventCandidate, FirstStep, Recommendation,
    Scores, Section, recommend, score,
};
use tsunagari_domain::time::now;
use tsunagari_domain::{Account, Locale, Timestamp, TokenHash};
use tsunagari_store::{CommunityFilter, DraftOwner, SelfCheckRecord, SelfCheckSummary, Store};

use crate::{AppError, Field, FieldErrors, FieldProblem};

/// Visitors' unfinished answers are kept this long after their last save.
pub const VISITOR_DRAFT_DAYS: i64 = 7;

/// At most this many public schemes are suggested.
const MAX_SCHEMES: usize = 4;

/// How many communities and events are weighed for recommendations.
const CANDIDATES: i64 = 200;

/// Self-check use cases.
#[derive(Clone)]
pub struct SelfChecks {
    store: Arc<dyn Store>,
    schemes: crate::PublicSchemes,
}

/// A scored self-check with its recommendations.
#[derive(Debug, Clone)]
pub struct SelfCheckReport {
    /// The saved result's id and time; `None` for a visitor's unsaved check.
    pub saved: Option<(i64, Timestamp)>,
    /// The answers.
    pub answers: Answers,
    /// What they score.
    pub scores: Scores,
    /// Up to five suggestions, best first.
    pub recommendations: Vec<Recommendation>,
    /// One small thing to do this week.
    pub first_step: FirstStep,
    /// Public schemes that fit what the person wants or gave up.
    pub public_schemes: Vec<PublicScheme>,
}

/// What finishing the last page led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    /// Saved as this result (signed in).
    Saved(i64),
    /// Complete and kept as a visitor's draft until they sign up.
    Preview,
}

/// What happened to a visitor's answers when they signed up or in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claimed {
    /// A complete check, saved as this result.
    Result(i64),
    /// An unfinished check, now the person's own draft.
    Draft,
}

impl SelfChecks {
    /// Self-checks over `store`.
    pub fn new(store: Arc<dyn Store>) -> SelfChecks {
        SelfChecks {
            schemes: crate::PublicSchemes::new(store.clone()),
            store,
        }
    }

    /// The saved answers of a draft (empty when there is none).
    pub async fn draft(&self, owner: &DraftOwner) -> Result<Answers, AppError> {
        match self.store.self_check_draft(owner).await? {
            Some(draft) => Ok(decode_stored(&draft.answers_json)),
            None => Ok(Answers::new()),
        }
    }

    /// Checks one page's answers and saves them into the draft, replacing
    /// that page's earlier answers. On error nothing is saved.
    pub async fn save_section(
        &self,
        owner: &DraftOwner,
        section: Section,
        submitted: Answers,
    ) -> Result<Answers, AppError> {
        let items = questionnaire::items();
        let mut merged = self.draft(owner).await?;
        merged.retain(|id, _| items.iter().any(|i| i.id == id && i.section != section));
        merged.extend(submitted);
        questionnaire::validate(&merged, &[section]).map_err(invalid)?;
        let when = now();
        self.store
            .save_self_check_draft(owner, &encode(&merged), when)
            .await?;
        if matches!(owner, DraftOwner::Visitor(_)) {
            self.store
                .purge_visitor_drafts(when - Duration::days(VISITOR_DRAFT_DAYS))
                .await?;
        }
        Ok(merged)
    }

    /// After the last page: saves the result of a signed-in person, or
    /// keeps a visitor's complete answers for the preview. An incomplete
    /// draft is refused with the problems of its first unfinished page.
    pub async fn finish(
        &self,
        owner: &DraftOwner,
        account: Option<&Account>,
    ) -> Result<Finished, AppError> {
        let answers = self.draft(owner).await?;
        let scores = score_or_invalid(&answers)?;
        match account {
            Some(account) => {
                let record = self.save(account, &answers, &scores, Some(owner)).await?;
                Ok(Finished::Saved(record.id))
            }
            None => Ok(Finished::Preview),
        }
    }

    /// Scores a whole submission (the API). Signed-in people's results are
    /// saved; a visitor's are scored and returned but not kept.
    pub async fn submit(
        &self,
        account: Option<&Account>,
        answers: Answers,
        reader: Locale,
    ) -> Result<SelfCheckReport, AppError> {
        let scores = score_or_invalid(&answers)?;
        let saved = match account {
            Some(account) => {
                let record = self.save(account, &answers, &scores, None).await?;
                Some((record.id, record.created_at))
            }
            None => None,
        };
        self.report(account, saved, answers, scores, reader).await
    }

    /// The report for a visitor's complete draft.
    pub async fn preview(
        &self,
        owner: &DraftOwner,
        reader: Locale,
    ) -> Result<SelfCheckReport, AppError> {
        let answers = self.draft(owner).await?;
        let scores = score(&answers).map_err(|_| AppError::NotFound)?;
        self.report(None, None, answers, scores, reader).await
    }

    /// A person's results, newest first.
    pub async fn results(&self, account: &Account) -> Result<Vec<SelfCheckRecord>, AppError> {
        Ok(self.store.self_check_results(account.id).await?)
    }

    /// One of a person's results with fresh recommendations.
    pub async fn result(
        &self,
        account: &Account,
        id: i64,
        reader: Locale,
    ) -> Result<SelfCheckReport, AppError> {
        let record = self
            .store
            .self_check_result(account.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let answers = decode_stored(&record.answers_json);
        let scores = score(&answers).map_err(|_| {
            AppError::Store(tsunagari_store::StoreError::Corrupt(format!(
                "self-check result {id}: incomplete answers"
            )))
        })?;
        self.report(
            Some(account),
            Some((record.id, record.created_at)),
            answers,
            scores,
            reader,
        )
        .await
    }

    /// Deletes one of a person's results.
    pub async fn delete(&self, account: &Account, id: i64) -> Result<(), AppError> {
        if self.store.delete_self_check_result(account.id, id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Moves a visitor's answers to the person who just signed up or in: a
    /// complete check becomes their result, an unfinished one their draft
    /// (replacing an older draft of theirs).
    pub async fn claim(
        &self,
        visitor: &TokenHash,
        account: &Account,
    ) -> Result<Option<Claimed>, AppError> {
        let owner = DraftOwner::Visitor(visitor.clone());
        let Some(draft) = self.store.self_check_draft(&owner).await? else {
            return Ok(None);
        };
        let answers = decode_stored(&draft.answers_json);
        if let Ok(scores) = score(&answers) {
            let record = self.save(account, &answers, &scores, Some(&owner)).await?;
            return Ok(Some(Claimed::Result(record.id)));
        }
        self.store
            .save_self_check_draft(&DraftOwner::User(account.id), &encode(&answers), now())
            .await?;
        self.store.delete_self_check_draft(&owner).await?;
        Ok(Some(Claimed::Draft))
    }

    /// Saves a scored check as the person's result, removing `draft`.
    async fn save(
        &self,
        account: &Account,
        answers: &Answers,
        scores: &Scores,
        draft: Option<&DraftOwner>,
    ) -> Result<SelfCheckRecord, AppError> {
        Ok(self
            .store
            .create_self_check_result(account.id, &encode(answers), &summary(scores), draft, now())
            .await?)
    }

    async fn report(
        &self,
        account: Option<&Account>,
        saved: Option<(i64, Timestamp)>,
        answers: Answers,
        scores: Scores,
        reader: Locale,
    ) -> Result<SelfCheckReport, AppError> {
        let at = now();
        let listings = self
            .store
            .list_communities(&CommunityFilter {
                limit: CANDIDATES,
                ..Default::default()
            })
            .await?;
        let (joined, registered): (HashSet<i64>, HashSet<i64>) = match account {
            Some(account) => (
                self.store
                    .communities_of(account.id)
                    .await?
                    .iter()
                    .map(|(l, _)| l.community.id.0)
                    .collect(),
                self.store
                    .events_of(account.id, at)
                    .await?
                    .iter()
                    .map(|(l, _)| l.event.id.0)
                    .collect(),
            ),
            None => Default::default(),
        };
        let candidates: BTreeMap<i64, CommunityCandidate> = listings
            .iter()
            .map(|l| (l.community.id.0, community_candidate(l)))
            .collect();
        let events: Vec<EventCandidate> = self
            .store
            .upcoming_public_events(at, CANDIDATES)
            .await?
            .into_iter()
            .filter(|l| !registered.contains(&l.event.id.0))
            .filter_map(|l| {
                let community = candidates.get(&l.event.community_id.0)?.clone();
                let d = &l.event.details;
                Some(EventCandidate {
                    id: l.event.id.0,
                    title: d.title.clone(),
                    community,
                    online: d.online,
                    prefecture: d.prefecture,
                    starts_at: d.starts_at,
                    full: d.capacity.is_some_and(|c| l.confirmed >= i64::from(c)),
                })
            })
            .collect();
        let communities: Vec<CommunityCandidate> = candidates
            .into_values()
            .filter(|c| !joined.contains(&c.id))
            .collect();
        let (recommendations, first_step) = recommend(&scores, &communities, &events, at, reader);
        // Local schemes of the home prefecture matter to someone who wants
        // to move back; otherwise those where the person lives.
        let region = if scores.wishes("relocation") {
            scores.home_prefecture.or(scores.current_prefecture)
        } else {
            scores.current_prefecture
        };
        let wishes: Vec<String> = questionnaire::LIFE_CAREER_ACTIONS
            .iter()
            .filter(|a| scores.wishes(a))
            .map(|a| (*a).to_owned())
            .collect();
        let public_schemes = if wishes.is_empty() {
            Vec::new()
        } else {
            self.schemes
                .for_actions(&wishes, region, MAX_SCHEMES)
                .await?
        };
        Ok(SelfCheckReport {
            saved,
            answers,
            scores,
            recommendations,
            first_step,
            public_schemes,
        })
    }
}

/// A listed community as the recommendations weigh it.
pub(crate) fn community_candidate(
    listing: &tsunagari_store::CommunityListing,
) -> CommunityCandidate {
    let c = &listing.community;
    CommunityCandidate {
        id: c.id.0,
        kind: c.kind,
        name: c.profile.name.clone(),
        tags: c.profile.tags.clone(),
        prefecture: c.profile.prefecture,
        member_count: listing.member_count,
    }
}

/// The scores of a saved result (`None` if its stored answers no longer
/// make a complete check), for pages that recommend from it.
pub(crate) fn scores_of(record: &SelfCheckRecord) -> Option<Scores> {
    score(&decode_stored(&record.answers_json)).ok()
}

/// Scores answers that must be complete; what is missing or not allowed
/// comes back as field errors.
fn score_or_invalid(answers: &Answers) -> Result<Scores, AppError> {
    questionnaire::validate(answers, &Section::ALL).map_err(invalid)?;
    score(answers).map_err(|_| AppError::NotFound)
}

fn invalid(problems: questionnaire::AnswerProblems) -> AppError {
    let items = questionnaire::items();
    let mut errors = FieldErrors::default();
    for (id, problem) in problems {
        let field = items
            .iter()
            .find(|i| i.id == id)
            .map_or(Field::Answers, |i| Field::Answer(i.id));
        errors.add(field, FieldProblem::Answer(problem));
    }
    AppError::Invalid(errors)
}

/// The figures kept with a result.
pub fn summary(scores: &Scores) -> SelfCheckSummary {
    SelfCheckSummary {
        mutual_support_ties: scores.mutual_support_ties,
        gave_up_career_move: scores.gave_up_career_move,
        future_confidence: scores.adaptability[&Factor::FutureConfidence],
        curiosity: scores.adaptability[&Factor::Curiosity],
        self_determination: scores.adaptability[&Factor::SelfDetermination],
        allocation_shift: scores.allocation_shift().clamp(0, 100) as u8,
    }
}

/// Answers as JSON: a string per choice, a number per Likert answer, a
/// list per multiple choice and an object per allocation.
pub fn answers_to_json(answers: &Answers) -> Map<String, Value> {
    answers
        .iter()
        .map(|(id, answer)| {
            let value = match answer {
                Answer::Choice(v) => Value::from(v.clone()),
                Answer::Number(n) => Value::from(*n),
                Answer::Choices(vs) => Value::from(vs.clone()),
                Answer::Shares(shares) => Value::Object(
                    shares
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::from(*v)))
                        .collect(),
                ),
            };
            (id.clone(), value)
        })
        .collect()
}

/// Reads JSON answers; a value of the wrong shape is reported against its
/// item (as not allowed) rather than failing the whole request.
pub fn answers_from_json(json: &Map<String, Value>) -> Result<Answers, AppError> {
    let mut answers = Answers::new();
    let mut problems = questionnaire::AnswerProblems::new();
    for (id, value) in json {
        let answer = match value {
            Value::String(s) => Some(Answer::Choice(s.clone())),
            Value::Number(n) => n.as_i64().map(Answer::Number),
            Value::Array(values) => values
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(Answer::Choices),
            Value::Object(shares) => shares
                .iter()
                .map(|(k, v)| v.as_i64().map(|n| (k.clone(), n)))
                .collect::<Option<BTreeMap<_, _>>>()
                .map(Answer::Shares),
            _ => None,
        };
        match answer {
            Some(answer) => {
                answers.insert(id.clone(), answer);
            }
            None => {
                problems.insert(id.clone(), AnswerProblem::NotAllowed);
            }
        }
    }
    if problems.is_empty() {
        Ok(answers)
    } else {
        Err(invalid(problems))
    }
}

fn encode(answers: &Answers) -> String {
    Value::Object(answers_to_json(answers)).to_string()
}

/// Stored answers were validated when saved; anything unreadable (an item
/// since removed from the questionnaire) is dropped rather than failing.
fn decode_stored(text: &str) -> Answers {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
        return Answers::new();
    };
    let known = questionnaire::items();
    let readable: Map<String, Value> = map
        .into_iter()
        .filter(|(id, _)| known.iter().any(|i| i.id == id))
        .collect();
    answers_from_json(&readable).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_survive_the_json_round_trip() {
        let mut answers = Answers::new();
        answers.insert("occupation".into(), Answer::Choice("care".into()));
        answers.insert("fc1".into(), Answer::Number(4));
        answers.insert(
            "support_consult".into(),
            Answer::Choices(vec!["union".into(), "alma_mater".into()]),
        );
        let shares: BTreeMap<String, i64> = questionnaire::ACTIVITIES
            .iter()
            .map(|a| (a.to_string(), 20))
            .collect();
        answers.insert("allocation_wished".into(), Answer::Shares(shares));
        assert_eq!(decode_stored(&encode(&answers)), answers);
    }

    #[test]
    fn misshapen_json_is_reported_against_its_item() {
        let json: Map<String, Value> =
            serde_json::from_str(r#"{"fc1": true, "occupation": "care"}"#).unwrap();
        match answers_from_json(&json) {
            Err(AppError::Invalid(errors)) => {
                assert_eq!(
                    errors.get(Field::Answer("fc1")),
                    Some(FieldProblem::Answer(AnswerProblem::NotAllowed))
                );
                assert_eq!(errors.iter().count(), 1);
            }
            other => panic!("{other:?}"),
        }
    }
}
