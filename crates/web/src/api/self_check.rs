//! Self-check endpoints: the questionnaire a client builds its form from,
//! submitting answers, and a person's saved results. Results are private:
//! only their owner's token reads or deletes them.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tsunagari_app::{SelfCheckReport, answers_from_json, answers_to_json};
use tsunagari_domain::selfcheck::questionnaire::{
    self, ACTIVITIES, Factor, ItemType, LIKERT_MAX, LIKERT_MIN,
};
use tsunagari_domain::selfcheck::{FirstStep, Section, Target, national};
use tsunagari_store::SelfCheckRecord;
use utoipa::ToSchema;

use super::{ApiJson, ApiUser, MaybeApiUser};
use crate::context::RequestContext;
use crate::error::{ErrorEnvelope, Failure};
use crate::pages::self_check::{item_label, option_label, reason_text};
use crate::state::AppState;

/// One allowed value of a choice item.
#[derive(Serialize, ToSchema)]
pub struct OptionView {
    /// The value to send.
    pub value: String,
    /// Its label in the request's language.
    pub label: String,
}

/// One question.
#[derive(Serialize, ToSchema)]
pub struct ItemView {
    /// Stable id: the key of its answer.
    pub id: String,
    /// The page it belongs to.
    pub section: String,
    /// `single`, `multi`, `likert` or `allocation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The question in the request's language.
    pub label: String,
    /// Whether a submission must answer it.
    pub required: bool,
    /// Allowed values (`single` and `multi`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<OptionView>>,
    /// Lowest value (`likert`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Highest value (`likert`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// The activity keys whose shares must sum to 100 (`allocation`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keys: Option<Vec<String>>,
}

/// One page of the questionnaire.
#[derive(Serialize, ToSchema)]
pub struct SectionView {
    /// Id.
    pub id: String,
    /// Title in the request's language.
    pub title: String,
}

/// The questionnaire.
#[derive(Serialize, ToSchema)]
pub struct QuestionnaireView {
    /// Pages in order.
    pub sections: Vec<SectionView>,
    /// Items in order.
    pub items: Vec<ItemView>,
}

/// The three adaptability sub-scores, 0–100.
#[derive(Serialize, ToSchema)]
pub struct AdaptabilityView {
    /// Confidence about the future.
    pub future_confidence: u8,
    /// Curiosity.
    pub curiosity: u8,
    /// Self-determination.
    pub self_determination: u8,
}

/// Wished and actual share of one activity.
#[derive(Serialize, ToSchema)]
pub struct AllocationView {
    /// Activity key.
    pub activity: String,
    /// Wished share.
    pub wished: i64,
    /// Actual share.
    pub actual: i64,
    /// Wished minus actual.
    pub gap: i64,
}

/// Where the national figures come from.
#[derive(Serialize, ToSchema)]
pub struct SourceView {
    /// The report.
    pub report: String,
    /// The survey.
    pub survey: String,
    /// When it ran (ISO 8601 interval).
    pub fielded: String,
    /// Respondents.
    pub sample_size: u32,
}

/// The national figures a result is compared with.
#[derive(Serialize, ToSchema)]
pub struct NationalView {
    /// Percent with no mutual-support tie outside the employer.
    pub career_isolation_percent: u8,
    /// Percent who gave up a career challenge or preparation.
    pub gave_up_career_move_percent: u8,
    /// Percent (about) satisfied with their time allocation.
    pub satisfied_with_allocation_percent: u8,
    /// Source.
    pub source: SourceView,
}

/// A suggestion from this server.
#[derive(Serialize, ToSchema)]
pub struct RecommendationView {
    /// `community` or `event`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Community or event id.
    pub id: i64,
    /// Name or title.
    pub title: String,
    /// Why it was suggested, in the request's language.
    pub reason: String,
    /// Start of an event (RFC 3339).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub starts_at: Option<tsunagari_domain::Timestamp>,
}

/// The one small step for this week.
#[derive(Serialize, ToSchema)]
pub struct FirstStepView {
    /// `event`, `community` or `public_help`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The event or community, when there is one.
    pub id: Option<i64>,
    /// Its title.
    pub title: Option<String>,
}

/// A public scheme suggested with a result.
#[derive(Serialize, ToSchema)]
pub struct SchemeLinkView {
    /// Its slug (see `GET /api/v1/public-schemes/{slug}`).
    pub slug: String,
    /// Its name in the request's language.
    pub name: String,
    /// Its official page.
    pub url: String,
}

/// A scored self-check.
#[derive(Serialize, ToSchema)]
pub struct ResultView {
    /// Id of the saved result; null when a visitor's result was not kept.
    pub id: Option<i64>,
    /// When it was saved.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub created_at: Option<tsunagari_domain::Timestamp>,
    /// Kinds of organisation outside the employer that support the person.
    pub mutual_support_ties: u32,
    /// True when `mutual_support_ties` is 0.
    pub career_isolation: bool,
    /// Gave up (or finds out of reach) a career challenge or preparation.
    pub gave_up_career_move: bool,
    /// Life-career actions given up or out of reach.
    pub given_up_actions: Vec<String>,
    /// Life-career actions wanted now.
    pub wanted_actions: Vec<String>,
    /// Sub-scores.
    pub adaptability: AdaptabilityView,
    /// Shares per activity.
    pub allocation: Vec<AllocationView>,
    /// Share of time that would move to reach the wish, 0–100.
    pub allocation_shift: i64,
    /// Satisfied with the allocation (4 or 5).
    pub satisfied_with_allocation: bool,
    /// National figures with their source.
    pub national: NationalView,
    /// Up to five suggestions, best first.
    pub recommendations: Vec<RecommendationView>,
    /// One small step.
    pub first_step: FirstStepView,
    /// Public schemes that fit what the person wants or gave up.
    pub public_schemes: Vec<SchemeLinkView>,
    /// The answers as submitted.
    #[schema(value_type = Object)]
    pub answers: Map<String, Value>,
}

/// A saved result in a list.
#[derive(Serialize, ToSchema)]
pub struct ResultSummaryView {
    /// Id.
    pub id: i64,
    /// When it was taken.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: tsunagari_domain::Timestamp,
    /// Ties outside the employer.
    pub mutual_support_ties: u32,
    /// True when there are none.
    pub career_isolation: bool,
    /// Gave up a career move.
    pub gave_up_career_move: bool,
    /// Sub-scores.
    pub adaptability: AdaptabilityView,
}

/// A person's results, newest first.
#[derive(Serialize, ToSchema)]
pub struct ResultList {
    /// Results.
    pub results: Vec<ResultSummaryView>,
}

/// A submission.
#[derive(Deserialize, ToSchema)]
pub struct Submission {
    /// Answers by item id: a string for `single`, an integer for `likert`,
    /// a list of strings for `multi`, an object of the five activity keys
    /// summing to 100 for `allocation`.
    #[schema(value_type = Object)]
    pub answers: Map<String, Value>,
}

/// The questionnaire: every item with its type and allowed values.
#[utoipa::path(get, path = "/api/v1/self-check/questionnaire", tag = "self-check",
    responses((status = 200, description = "The questionnaire, labels in the language of Accept-Language", body = QuestionnaireView)))]
pub async fn questionnaire(ctx: RequestContext) -> Json<QuestionnaireView> {
    let sections = Section::ALL
        .iter()
        .map(|s| SectionView {
            id: s.as_str().to_owned(),
            title: ctx.t(&format!("sc-section-{}", s.as_str())),
        })
        .collect();
    let items = questionnaire::items()
        .iter()
        .map(|item| {
            let label = item_label(&ctx, item.id, item.section);
            let options = match &item.kind {
                ItemType::Single { set, options } | ItemType::Multi { set, options } => Some(
                    options
                        .iter()
                        .map(|v| OptionView {
                            value: (*v).to_owned(),
                            label: option_label(&ctx, set, v),
                        })
                        .collect(),
                ),
                _ => None,
            };
            let likert = matches!(item.kind, ItemType::Likert);
            ItemView {
                id: item.id.to_owned(),
                section: item.section.as_str().to_owned(),
                kind: item.kind.as_str().to_owned(),
                label,
                required: item.required,
                options,
                min: likert.then_some(LIKERT_MIN),
                max: likert.then_some(LIKERT_MAX),
                keys: matches!(item.kind, ItemType::Allocation)
                    .then(|| ACTIVITIES.iter().map(|a| (*a).to_owned()).collect()),
            }
        })
        .collect();
    Json(QuestionnaireView { sections, items })
}

fn adaptability(f: u8, c: u8, s: u8) -> AdaptabilityView {
    AdaptabilityView {
        future_confidence: f,
        curiosity: c,
        self_determination: s,
    }
}

fn result_view(ctx: &RequestContext, report: &SelfCheckReport) -> ResultView {
    let s = &report.scores;
    ResultView {
        id: report.saved.map(|(id, _)| id),
        created_at: report.saved.map(|(_, at)| at),
        mutual_support_ties: s.mutual_support_ties,
        career_isolation: s.career_isolation(),
        gave_up_career_move: s.gave_up_career_move,
        given_up_actions: s.given_up.iter().map(|a| (*a).to_owned()).collect(),
        wanted_actions: s.wanted.iter().map(|a| (*a).to_owned()).collect(),
        adaptability: adaptability(
            s.adaptability[&Factor::FutureConfidence],
            s.adaptability[&Factor::Curiosity],
            s.adaptability[&Factor::SelfDetermination],
        ),
        allocation: s
            .allocation
            .iter()
            .map(|g| AllocationView {
                activity: g.activity.to_owned(),
                wished: g.wished,
                actual: g.actual,
                gap: g.gap(),
            })
            .collect(),
        allocation_shift: s.allocation_shift(),
        satisfied_with_allocation: s.satisfied_with_allocation(),
        national: NationalView {
            career_isolation_percent: national::CAREER_ISOLATION_PERCENT,
            gave_up_career_move_percent: national::GAVE_UP_CAREER_MOVE_PERCENT,
            satisfied_with_allocation_percent: national::SATISFIED_WITH_ALLOCATION_PERCENT,
            source: SourceView {
                report: national::SOURCE.report.to_owned(),
                survey: national::SOURCE.survey.to_owned(),
                fielded: national::SOURCE.fielded.to_owned(),
                sample_size: national::SOURCE.sample_size,
            },
        },
        recommendations: report
            .recommendations
            .iter()
            .map(|r| {
                let (kind, id, title, starts_at) = match &r.target {
                    Target::Community { id, name, .. } => ("community", *id, name.clone(), None),
                    Target::Event {
                        id,
                        title,
                        starts_at,
                        ..
                    } => ("event", *id, title.clone(), Some(*starts_at)),
                };
                RecommendationView {
                    kind: kind.to_owned(),
                    id,
                    title,
                    reason: reason_text(ctx, &r.reason),
                    starts_at,
                }
            })
            .collect(),
        first_step: match &report.first_step {
            FirstStep::Event { id, title, .. } => FirstStepView {
                kind: "event".into(),
                id: Some(*id),
                title: Some(title.clone()),
            },
            FirstStep::Community { id, name } => FirstStepView {
                kind: "community".into(),
                id: Some(*id),
                title: Some(name.clone()),
            },
            FirstStep::PublicHelp => FirstStepView {
                kind: "public_help".into(),
                id: None,
                title: None,
            },
        },
        public_schemes: report
            .public_schemes
            .iter()
            .map(|scheme| SchemeLinkView {
                slug: scheme.slug.clone(),
                name: scheme.name.get(ctx.tr.locale()).to_owned(),
                url: scheme.url.clone(),
            })
            .collect(),
        answers: answers_to_json(&report.answers),
    }
}

/// Score a self-check. With a token the result is saved (201); without,
/// it is scored and returned but not kept (200).
#[utoipa::path(post, path = "/api/v1/self-check/results", tag = "self-check", request_body = Submission,
    responses((status = 201, description = "Scored and saved", body = ResultView), (status = 200, description = "Scored for a visitor, not saved", body = ResultView),
        (status = 401, description = "Invalid token", body = ErrorEnvelope), (status = 422, description = "Invalid answers, by item id", body = ErrorEnvelope)))]
pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    MaybeApiUser(account): MaybeApiUser,
    ApiJson(submission): ApiJson<Submission>,
) -> Result<Response, Failure> {
    let answers = answers_from_json(&submission.answers)?;
    let report = state
        .self_checks
        .submit(account.as_ref(), answers, ctx.tr.locale())
        .await?;
    let status = if report.saved.is_some() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(result_view(&ctx, &report))).into_response())
}

fn summary_view(record: &SelfCheckRecord) -> ResultSummaryView {
    let s = &record.summary;
    ResultSummaryView {
        id: record.id,
        created_at: record.created_at,
        mutual_support_ties: s.mutual_support_ties,
        career_isolation: s.mutual_support_ties == 0,
        gave_up_career_move: s.gave_up_career_move,
        adaptability: adaptability(s.future_confidence, s.curiosity, s.self_determination),
    }
}

/// The caller's saved results, newest first.
#[utoipa::path(get, path = "/api/v1/self-check/results", tag = "self-check", security(("bearer" = [])),
    responses((status = 200, description = "Results", body = ResultList), (status = 401, description = "No token", body = ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
) -> Result<Json<ResultList>, Failure> {
    let records = state.self_checks.results(&account).await?;
    Ok(Json(ResultList {
        results: records.iter().map(summary_view).collect(),
    }))
}

/// One of the caller's results, with fresh recommendations.
#[utoipa::path(get, path = "/api/v1/self-check/results/{id}", tag = "self-check", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Result id")),
    responses((status = 200, description = "The result", body = ResultView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 404, description = "No such result of yours", body = ErrorEnvelope)))]
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ResultView>, Failure> {
    let report = state
        .self_checks
        .result(&account, id, ctx.tr.locale())
        .await?;
    Ok(Json(result_view(&ctx, &report)))
}

/// Delete one of the caller's results.
#[utoipa::path(delete, path = "/api/v1/self-check/results/{id}", tag = "self-check", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Result id")),
    responses((status = 204, description = "Deleted"), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 404, description = "No such result of yours", body = ErrorEnvelope)))]
pub async fn delete(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, Failure> {
    state.self_checks.delete(&account, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
