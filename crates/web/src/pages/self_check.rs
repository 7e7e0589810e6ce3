//! The career self-check: the introduction, the five question pages, the
//! result with its pictures and recommendations, and the history.
//!
//! Answers are saved after every page. A visitor's draft lives under a
//! random cookie token (only its hash is stored) and is handed to their
//! new account when they sign up or log in.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use tsunagari_app::{AppError, Claimed, Finished, SelfCheckReport};
use tsunagari_domain::selfcheck::questionnaire::{
    self, ACTIVITIES, Factor, ItemType, LIKERT_MAX, LIKERT_MIN, SUPPORT_SOURCES,
};
use tsunagari_domain::selfcheck::scoring::SUPPORT_KINDS;
use tsunagari_domain::selfcheck::{
    Answer, AnswerProblem, Answers, FirstStep, Reason, Section, Target, national,
};
use tsunagari_domain::{Account, Locale, SecretToken};
use tsunagari_store::DraftOwner;

use super::communities::{kind_label, prefecture_name};
use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::charts;
use crate::context::{RequestContext, RequireUser};
use crate::error::{Failure, FormErrors};
use crate::state::AppState;

/// The cookie holding a visitor's draft token.
pub const DRAFT_COOKIE: &str = "tsunagari_selfcheck";

/// Whose draft this request works on; a new visitor gets a token to set.
fn draft_owner(ctx: &RequestContext, jar: &CookieJar) -> (DraftOwner, Option<Cookie<'static>>) {
    if let Some(user) = &ctx.user {
        return (DraftOwner::User(user.account.id), None);
    }
    if let Some(token) = jar
        .get(DRAFT_COOKIE)
        .and_then(|c| SecretToken::from_presented(c.value()))
    {
        return (DraftOwner::Visitor(token.hash()), None);
    }
    let token = SecretToken::generate();
    let mut cookie = ctx.cookie(DRAFT_COOKIE, token.expose().to_owned());
    cookie.set_max_age(time::Duration::days(tsunagari_app::VISITOR_DRAFT_DAYS));
    (DraftOwner::Visitor(token.hash()), Some(cookie))
}

/// After sign-up or login: hands a visitor's self-check to the account.
/// Returns where to go and the cookie removal when there was one.
pub async fn claim_visitor_draft(
    state: &AppState,
    ctx: &RequestContext,
    jar: &CookieJar,
    account: &Account,
) -> Option<(String, Cookie<'static>)> {
    let token = jar
        .get(DRAFT_COOKIE)
        .and_then(|c| SecretToken::from_presented(c.value()))?;
    let claimed = match state.self_checks.claim(&token.hash(), account).await {
        Ok(claimed) => claimed,
        Err(error) => {
            // The account exists and the person is signed in; a lost draft
            // must not turn that into an error page.
            tracing::warn!(%error, "could not hand a self-check draft to a new session");
            None
        }
    };
    let to = match claimed {
        Some(Claimed::Result(id)) => format!("/self-check/results/{id}"),
        Some(Claimed::Draft) => "/self-check".to_owned(),
        None => return None,
    };
    let mut gone = ctx.cookie(DRAFT_COOKIE, String::new());
    gone.make_removal();
    Some((to, gone))
}

// ---------------------------------------------------------------- intro

/// The introduction.
#[derive(Template, WebTemplate)]
#[template(path = "self_check/intro.html")]
pub struct IntroPage {
    ctx: RequestContext,
    resume: Option<&'static str>,
    has_history: bool,
    isolation: u8,
    gave_up: u8,
}

/// `GET /self-check`.
pub async fn intro(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
) -> Result<IntroPage, Failure> {
    let (owner, fresh) = draft_owner(&ctx, &jar);
    let resume = if fresh.is_some() {
        None
    } else {
        let answers = state.self_checks.draft(&owner).await?;
        if answers.is_empty() {
            None
        } else {
            Some(questionnaire::first_unfinished(&answers).map_or("preview", Section::as_str))
        }
    };
    let has_history = match &ctx.user {
        Some(user) => !state.self_checks.results(&user.account).await?.is_empty(),
        None => false,
    };
    Ok(IntroPage {
        ctx,
        resume,
        has_history,
        isolation: national::CAREER_ISOLATION_PERCENT,
        gave_up: national::GAVE_UP_CAREER_MOVE_PERCENT,
    })
}

// ---------------------------------------------------------------- pages

/// One choice of a question.
pub struct OptionView {
    value: String,
    label: String,
    checked: bool,
}

/// One activity input of an allocation.
pub struct ShareView {
    name: String,
    label: String,
    value: String,
}

/// One question as rendered.
pub struct QuestionView {
    id: &'static str,
    label: String,
    /// `radio`, `select`, `likert`, `checkbox` or `allocation`.
    control: &'static str,
    options: Vec<OptionView>,
    shares: Vec<ShareView>,
    required: bool,
}

/// A question page.
#[derive(Template, WebTemplate)]
#[template(path = "self_check/section.html")]
pub struct SectionPage {
    ctx: RequestContext,
    section: &'static str,
    number: usize,
    total: usize,
    progress: String,
    heading: String,
    lead: String,
    previous: Option<&'static str>,
    last: bool,
    questions: Vec<QuestionView>,
    errors: FormErrors,
}

/// Raw field values by name, as a form shows them.
type RawValues = BTreeMap<String, Vec<String>>;

fn raw_from_answers(answers: &Answers) -> RawValues {
    let mut raw = RawValues::new();
    for (id, answer) in answers {
        match answer {
            Answer::Choice(v) => {
                raw.insert(id.clone(), vec![v.clone()]);
            }
            Answer::Number(n) => {
                raw.insert(id.clone(), vec![n.to_string()]);
            }
            Answer::Choices(vs) => {
                raw.insert(id.clone(), vs.clone());
            }
            Answer::Shares(shares) => {
                for (k, v) in shares {
                    raw.insert(format!("{id}.{k}"), vec![v.to_string()]);
                }
            }
        }
    }
    raw
}

/// The label of one allowed value of a choice item.
pub(crate) fn option_label(ctx: &RequestContext, set: &str, value: &str) -> String {
    if set == "prefecture" {
        return tsunagari_domain::region::Prefecture::parse(value)
            .map(|p| prefecture_name(p, ctx.tr.locale()))
            .unwrap_or_else(|| value.to_owned());
    }
    ctx.t(&format!("sc-option-{set}-{value}"))
}

/// The question text of an item.
pub(crate) fn item_label(ctx: &RequestContext, id: &str, section: Section) -> String {
    if section == Section::Actions {
        ctx.t(&format!("sc-action-{id}"))
    } else {
        ctx.t(&format!("sc-item-{id}"))
    }
}

fn questions(ctx: &RequestContext, section: Section, raw: &RawValues) -> Vec<QuestionView> {
    let first = |id: &str| raw.get(id).and_then(|v| v.first()).cloned();
    questionnaire::items()
        .iter()
        .filter(|i| i.section == section)
        .map(|item| {
            let chosen = raw.get(item.id).cloned().unwrap_or_default();
            let options_of = |set: &str, options: &[&'static str]| {
                options
                    .iter()
                    .map(|v| OptionView {
                        value: (*v).to_owned(),
                        label: option_label(ctx, set, v),
                        checked: chosen.iter().any(|c| c == v),
                    })
                    .collect::<Vec<_>>()
            };
            let (control, options, shares) = match &item.kind {
                ItemType::Single { set, options } if *set == "prefecture" => {
                    ("select", options_of(set, options), Vec::new())
                }
                ItemType::Single { set, options } => {
                    ("radio", options_of(set, options), Vec::new())
                }
                ItemType::Multi { set, options } => {
                    ("checkbox", options_of(set, options), Vec::new())
                }
                ItemType::Likert => {
                    let options = (LIKERT_MIN..=LIKERT_MAX)
                        .map(|n| OptionView {
                            value: n.to_string(),
                            label: ctx.t(&format!("sc-likert-{n}")),
                            checked: first(item.id).as_deref() == Some(n.to_string().as_str()),
                        })
                        .collect();
                    ("likert", options, Vec::new())
                }
                ItemType::Allocation => {
                    let shares = ACTIVITIES
                        .iter()
                        .map(|a| {
                            let name = format!("{}.{a}", item.id);
                            ShareView {
                                value: first(&name).unwrap_or_default(),
                                label: ctx.t(&format!("sc-activity-{a}")),
                                name,
                            }
                        })
                        .collect();
                    ("allocation", Vec::new(), shares)
                }
            };
            QuestionView {
                id: item.id,
                label: item_label(ctx, item.id, section),
                control,
                options,
                shares,
                required: item.required,
            }
        })
        .collect()
}

fn section_page(
    ctx: RequestContext,
    section: Section,
    raw: &RawValues,
    errors: FormErrors,
) -> SectionPage {
    let id = section.as_str();
    SectionPage {
        questions: questions(&ctx, section, raw),
        progress: ctx.tr.t_args(
            "sc-progress",
            &[
                ("number", section.number().to_string()),
                ("total", Section::ALL.len().to_string()),
            ],
        ),
        heading: ctx.t(&format!("sc-section-{id}")),
        lead: ctx.t(&format!("sc-section-{id}-lead")),
        section: id,
        number: section.number(),
        total: Section::ALL.len(),
        previous: section.previous().map(Section::as_str),
        last: section.next().is_none(),
        errors,
        ctx,
    }
}

fn section_of(id: &str) -> Result<Section, Failure> {
    Section::parse(id).ok_or_else(|| AppError::NotFound.into())
}

/// `GET /self-check/{section}`.
pub async fn show_section(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    Path(section): Path<String>,
) -> Result<SectionPage, Failure> {
    let section = section_of(&section)?;
    let (owner, fresh) = draft_owner(&ctx, &jar);
    let answers = if fresh.is_some() {
        Answers::new()
    } else {
        state.self_checks.draft(&owner).await?
    };
    Ok(section_page(
        ctx,
        section,
        &raw_from_answers(&answers),
        FormErrors::default(),
    ))
}

/// Reads one page's form into answers. Values that cannot even be read
/// (a Likert answer that is not a number) are reported as not allowed.
fn parse_section(
    section: Section,
    pairs: &[(String, String)],
) -> (Answers, RawValues, Vec<&'static str>) {
    let mut raw = RawValues::new();
    for (name, value) in pairs {
        if name != crate::csrf::FIELD && !value.trim().is_empty() {
            raw.entry(name.clone())
                .or_default()
                .push(value.trim().to_owned());
        }
    }
    let mut answers = Answers::new();
    let mut unreadable = Vec::new();
    for item in questionnaire::items()
        .iter()
        .filter(|i| i.section == section)
    {
        let values = raw.get(item.id);
        match &item.kind {
            ItemType::Single { .. } => {
                if let Some(v) = values.and_then(|v| v.first()) {
                    answers.insert(item.id.into(), Answer::Choice(v.clone()));
                }
            }
            ItemType::Multi { .. } => {
                let chosen = values.cloned().unwrap_or_default();
                answers.insert(item.id.into(), Answer::Choices(chosen));
            }
            ItemType::Likert => {
                if let Some(v) = values.and_then(|v| v.first()) {
                    match v.parse::<i64>() {
                        Ok(n) => {
                            answers.insert(item.id.into(), Answer::Number(n));
                        }
                        Err(_) => unreadable.push(item.id),
                    }
                }
            }
            ItemType::Allocation => {
                let fields: Vec<(&str, Option<&String>)> = ACTIVITIES
                    .iter()
                    .map(|a| {
                        (
                            *a,
                            raw.get(&format!("{}.{a}", item.id)).and_then(|v| v.first()),
                        )
                    })
                    .collect();
                if fields.iter().all(|(_, v)| v.is_none()) {
                    continue;
                }
                // A blank activity is a zero share.
                let parsed: Option<BTreeMap<String, i64>> = fields
                    .iter()
                    .map(|(a, v)| {
                        let n = match v {
                            None => Some(0),
                            Some(text) => normalise_digits(text).parse::<i64>().ok(),
                        };
                        n.map(|n| ((*a).to_owned(), n))
                    })
                    .collect();
                match parsed {
                    Some(shares) => {
                        answers.insert(item.id.into(), Answer::Shares(shares));
                    }
                    None => unreadable.push(item.id),
                }
            }
        }
    }
    (answers, raw, unreadable)
}

/// Full-width digits (common with Japanese input methods) read as ASCII.
fn normalise_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// `POST /self-check/{section}`: saves the page and moves on.
pub async fn save_section(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
    Path(section): Path<String>,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> Result<Response, Failure> {
    let section = section_of(&section)?;
    let (owner, fresh) = draft_owner(&ctx, &jar);
    let cookies: Vec<Cookie<'static>> = fresh.into_iter().collect();
    let (answers, raw, unreadable) = parse_section(section, &pairs);
    let saved = if unreadable.is_empty() {
        state
            .self_checks
            .save_section(&owner, section, answers)
            .await
    } else {
        let mut errors = tsunagari_app::FieldErrors::default();
        for id in unreadable {
            errors.add(
                tsunagari_app::Field::Answer(id),
                tsunagari_app::FieldProblem::Answer(AnswerProblem::NotAllowed),
            );
        }
        Err(AppError::Invalid(errors))
    };
    match saved {
        Ok(_) => {}
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let errors = FormErrors::from_failure(&ctx.tr, &failure);
            let page = section_page(ctx, section, &raw, errors);
            let mut response = (failure.status, page).into_response();
            for cookie in cookies {
                response.headers_mut().append(
                    axum::http::header::SET_COOKIE,
                    crate::context::set_cookie(&cookie),
                );
            }
            return Ok(response);
        }
        Err(other) => return Err(other.into()),
    }
    if let Some(next) = section.next() {
        return Ok(redirect_with_notice(
            &ctx,
            &format!("/self-check/{}", next.as_str()),
            None,
            cookies,
        ));
    }
    let account = ctx.user.as_ref().map(|u| &u.account);
    match state.self_checks.finish(&owner, account).await {
        Ok(Finished::Saved(id)) => Ok(redirect_with_notice(
            &ctx,
            &format!("/self-check/results/{id}"),
            Some("sc-saved"),
            cookies,
        )),
        Ok(Finished::Preview) => Ok(redirect_with_notice(
            &ctx,
            "/self-check/preview",
            None,
            cookies,
        )),
        // An earlier page is unfinished (the draft expired, or pages were
        // skipped): go back to it.
        Err(AppError::Invalid(_)) => {
            let answers = state.self_checks.draft(&owner).await?;
            let back = questionnaire::first_unfinished(&answers).unwrap_or(Section::About);
            Ok(redirect_with_notice(
                &ctx,
                &format!("/self-check/{}", back.as_str()),
                Some("sc-unfinished"),
                cookies,
            ))
        }
        Err(other) => Err(other.into()),
    }
}

// ---------------------------------------------------------------- result

/// One recommendation as shown.
pub struct RecommendationView {
    kind: &'static str,
    title: String,
    href: String,
    reason: String,
    /// Where the one-click button posts (join or register).
    action: String,
    action_label: String,
    when: Option<String>,
}

/// The first small step.
pub struct FirstStepView {
    text: String,
    href: String,
    action: Option<(String, String)>,
}

/// One diagnosis statement.
pub struct FindingView {
    heading: String,
    yours: String,
    national: String,
}

/// A result page (saved, or a visitor's preview).
#[derive(Template, WebTemplate)]
#[template(path = "self_check/result.html")]
pub struct ResultPage {
    ctx: RequestContext,
    saved: Option<(i64, String)>,
    findings: Vec<FindingView>,
    gap_chart: String,
    adaptability_chart: String,
    support_chart: String,
    recommendations: Vec<RecommendationView>,
    first_step: FirstStepView,
    source: String,
    relations: String,
    /// Public schemes: slug, name, who it is for.
    schemes: Vec<(String, String, String)>,
}

fn percent(ctx: &RequestContext, key: &str, value: u8) -> String {
    ctx.t1(key, "percent", value)
}

pub(crate) fn reason_text(ctx: &RequestContext, reason: &Reason) -> String {
    let locale = ctx.tr.locale();
    match reason {
        Reason::Occupation(occupation) => ctx.t1(
            "sc-reason-occupation",
            "occupation",
            ctx.t(&format!("sc-option-occupation-{occupation}")),
        ),
        Reason::HomeRegion(p) => ctx.t1(
            "sc-reason-home-region",
            "prefecture",
            prefecture_name(*p, locale),
        ),
        Reason::NearYou(p) => ctx.t1(
            "sc-reason-near-you",
            "prefecture",
            prefecture_name(*p, locale),
        ),
        Reason::Wish(action) => ctx.t1(
            "sc-reason-wish",
            "action",
            ctx.t(&format!("sc-action-{action}")),
        ),
        Reason::MoreTime(activity) => ctx.t1(
            "sc-reason-more-time",
            "activity",
            ctx.t(&format!("sc-activity-{activity}")),
        ),
        Reason::Isolation => ctx.t("sc-reason-isolation"),
        Reason::SoonOnline => ctx.t("sc-reason-soon-online"),
    }
}

fn result_page(ctx: RequestContext, report: &SelfCheckReport) -> ResultPage {
    let s = &report.scores;
    let locale = ctx.tr.locale();
    let zone = reader_zone(&ctx);

    let ties = ctx.t_count("sc-finding-ties", "count", i64::from(s.mutual_support_ties));
    let ties_note = if s.career_isolation() {
        ctx.t("sc-finding-isolated")
    } else {
        ctx.t("sc-finding-connected")
    };
    let gave_up = if s.gave_up_career_move {
        ctx.t("sc-finding-gave-up-yes")
    } else {
        ctx.t("sc-finding-gave-up-no")
    };
    let allocation = match s.most_wanted_activity() {
        Some(top) => ctx.tr.t_args(
            "sc-finding-allocation",
            &[
                ("shift", s.allocation_shift().to_string()),
                ("activity", ctx.t(&format!("sc-activity-{}", top.activity))),
            ],
        ),
        None => ctx.t("sc-finding-allocation-none"),
    };
    let satisfaction = if s.satisfied_with_allocation() {
        ctx.t("sc-finding-satisfied")
    } else {
        ctx.t("sc-finding-not-satisfied")
    };
    let findings = vec![
        FindingView {
            heading: ctx.t("sc-finding-ties-heading"),
            yours: format!("{ties} {ties_note}"),
            national: percent(
                &ctx,
                "sc-national-isolation",
                national::CAREER_ISOLATION_PERCENT,
            ),
        },
        FindingView {
            heading: ctx.t("sc-finding-gave-up-heading"),
            yours: gave_up,
            national: percent(
                &ctx,
                "sc-national-gave-up",
                national::GAVE_UP_CAREER_MOVE_PERCENT,
            ),
        },
        FindingView {
            heading: ctx.t("sc-finding-allocation-heading"),
            yours: format!("{allocation} {satisfaction}"),
            national: percent(
                &ctx,
                "sc-national-satisfied",
                national::SATISFIED_WITH_ALLOCATION_PERCENT,
            ),
        },
    ];

    let rows: Vec<charts::GapRow> = s
        .allocation
        .iter()
        .map(|g| charts::GapRow {
            label: ctx.t(&format!("sc-activity-{}", g.activity)),
            wished: g.wished,
            actual: g.actual,
        })
        .collect();
    let gap_desc = rows
        .iter()
        .map(|r| {
            ctx.tr.t_args(
                "sc-chart-gap-row",
                &[
                    ("activity", r.label.clone()),
                    ("wished", r.wished.to_string()),
                    ("actual", r.actual.to_string()),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let gap_chart = charts::allocation_gap(
        &rows,
        &charts::GapLabels {
            title: ctx.t("sc-chart-gap-title"),
            desc: gap_desc,
            wished: ctx.t("sc-chart-wished"),
            actual: ctx.t("sc-chart-actual"),
        },
    );

    let factors: Vec<(String, u8)> = Factor::ALL
        .iter()
        .map(|f| {
            (
                ctx.t(&format!("sc-factor-{}", f.as_str())),
                s.adaptability[f],
            )
        })
        .collect();
    let factor_desc = factors
        .iter()
        .map(|(label, value)| format!("{label}: {value}"))
        .collect::<Vec<_>>()
        .join(", ");
    let adaptability_chart = charts::score_bars(
        "adaptability-chart",
        &factors,
        &ctx.t("sc-chart-adaptability-title"),
        &factor_desc,
    );

    let support_rows: Vec<charts::SupportRow> = SUPPORT_SOURCES
        .iter()
        .map(|source| {
            let ticked =
                SUPPORT_KINDS.map(|k| s.support.get(k).is_some_and(|v| v.contains(source)));
            let national = [0, 1, 2].map(|k| national::support_share(source, k).unwrap_or(0));
            charts::SupportRow {
                label: ctx.t(&format!("sc-option-source-{source}")),
                ticked,
                national,
            }
        })
        .collect();
    let columns = SUPPORT_KINDS.map(|k| ctx.t(&format!("sc-chart-support-{k}")));
    let support_desc = {
        let yours: Vec<String> = support_rows
            .iter()
            .filter(|r| r.ticked.iter().any(|t| *t))
            .map(|r| r.label.clone())
            .collect();
        if yours.is_empty() {
            ctx.t("sc-chart-support-none")
        } else {
            ctx.t1("sc-chart-support-some", "sources", yours.join(", "))
        }
    };
    let support_chart = charts::support_grid(
        &support_rows,
        &columns,
        &ctx.t("sc-chart-support-title"),
        &support_desc,
    );

    let signed_in = ctx.user.is_some();
    let recommendations = report
        .recommendations
        .iter()
        .map(|r| match &r.target {
            Target::Community { id, name, kind } => RecommendationView {
                kind: "community",
                title: name.clone(),
                href: format!("/communities/{id}"),
                reason: format!(
                    "{} · {}",
                    kind_label(&ctx, *kind),
                    reason_text(&ctx, &r.reason)
                ),
                action: format!("/communities/{id}/join"),
                action_label: ctx.t("sc-button-join"),
                when: None,
            },
            Target::Event {
                id,
                title,
                starts_at,
                online,
            } => RecommendationView {
                kind: "event",
                title: title.clone(),
                href: format!("/events/{id}"),
                reason: reason_text(&ctx, &r.reason),
                action: format!("/events/{id}/rsvp"),
                action_label: ctx.t("sc-button-rsvp"),
                when: Some(format!(
                    "{}{}",
                    format_time(*starts_at, zone, locale),
                    if *online {
                        format!(" · {}", ctx.t("sc-online"))
                    } else {
                        String::new()
                    }
                )),
            },
        })
        .collect();

    let first_step = match &report.first_step {
        FirstStep::Event {
            id,
            title,
            starts_at,
        } => FirstStepView {
            text: ctx.tr.t_args(
                "sc-step-event",
                &[
                    ("title", title.clone()),
                    ("time", format_time(*starts_at, zone, locale)),
                ],
            ),
            href: format!("/events/{id}"),
            action: signed_in.then(|| (format!("/events/{id}/rsvp"), ctx.t("sc-button-rsvp"))),
        },
        FirstStep::Community { id, name } => FirstStepView {
            text: ctx.t1("sc-step-community", "name", name.clone()),
            href: format!("/communities/{id}"),
            action: signed_in.then(|| (format!("/communities/{id}/join"), ctx.t("sc-button-join"))),
        },
        FirstStep::PublicHelp => FirstStepView {
            text: ctx.t("sc-step-public-help"),
            href: "/public-help".to_owned(),
            action: None,
        },
    };

    let source = ctx.tr.t_args(
        "sc-source",
        &[
            ("report", national::SOURCE.report.to_owned()),
            ("survey", national::SOURCE.survey.to_owned()),
            ("dates", national::SOURCE.fielded.to_owned()),
            ("n", national::SOURCE.sample_size.to_string()),
        ],
    );
    let relations = match (s.has_base_relations, s.has_quest_relations) {
        (true, true) => ctx.t("sc-relations-both"),
        (true, false) => ctx.t("sc-relations-base"),
        (false, true) => ctx.t("sc-relations-quest"),
        (false, false) => ctx.t("sc-relations-none"),
    };
    let schemes = report
        .public_schemes
        .iter()
        .map(|scheme| {
            (
                scheme.slug.clone(),
                scheme.name.get(locale).to_owned(),
                scheme.audience.get(locale).to_owned(),
            )
        })
        .collect();
    ResultPage {
        schemes,
        saved: report
            .saved
            .map(|(id, at)| (id, format_time(at, zone, locale))),
        findings,
        gap_chart,
        adaptability_chart,
        support_chart,
        recommendations,
        first_step,
        source,
        relations,
        ctx,
    }
}

/// `GET /self-check/preview`: a visitor's finished check, not yet saved.
pub async fn preview(
    State(state): State<AppState>,
    ctx: RequestContext,
    jar: CookieJar,
) -> Result<Response, Failure> {
    if ctx.user.is_some() {
        // Signed in meanwhile: their draft (if any) is theirs to finish.
        return Ok(Redirect::to("/self-check").into_response());
    }
    let (owner, fresh) = draft_owner(&ctx, &jar);
    if fresh.is_some() {
        return Ok(Redirect::to("/self-check").into_response());
    }
    match state.self_checks.preview(&owner, ctx.tr.locale()).await {
        Ok(report) => Ok(result_page(ctx, &report).into_response()),
        Err(AppError::NotFound) => Ok(Redirect::to("/self-check").into_response()),
        Err(other) => Err(other.into()),
    }
}

/// `GET /self-check/results/{id}`.
pub async fn result(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<ResultPage, Failure> {
    let report = state
        .self_checks
        .result(&user.account, id, ctx.tr.locale())
        .await?;
    Ok(result_page(ctx, &report))
}

/// `POST /self-check/results/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    state.self_checks.delete(&user.account, id).await?;
    Ok(redirect_with_notice(
        &ctx,
        "/self-check/history",
        Some("sc-deleted"),
        Vec::new(),
    ))
}

// ---------------------------------------------------------------- history

/// One past result.
pub struct HistoryEntry {
    id: i64,
    when: String,
    ties: String,
    scores: String,
}

/// The history page.
#[derive(Template, WebTemplate)]
#[template(path = "self_check/history.html")]
pub struct HistoryPage {
    ctx: RequestContext,
    entries: Vec<HistoryEntry>,
    chart: Option<String>,
}

/// `GET /self-check/history`.
pub async fn history(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
) -> Result<HistoryPage, Failure> {
    let records = state.self_checks.results(&user.account).await?;
    let zone = reader_zone(&ctx);
    let locale = ctx.tr.locale();
    let label = |f: Factor| ctx.t(&format!("sc-factor-{}", f.as_str()));
    let entries = records
        .iter()
        .map(|r| HistoryEntry {
            id: r.id,
            when: format_time(r.created_at, zone, locale),
            ties: ctx.t_count(
                "sc-finding-ties",
                "count",
                i64::from(r.summary.mutual_support_ties),
            ),
            scores: format!(
                "{} {} · {} {} · {} {}",
                label(Factor::FutureConfidence),
                r.summary.future_confidence,
                label(Factor::Curiosity),
                r.summary.curiosity,
                label(Factor::SelfDetermination),
                r.summary.self_determination
            ),
        })
        .collect();
    let chart = (records.len() >= 2).then(|| {
        let oldest_first: Vec<_> = records.iter().rev().collect();
        let dates: Vec<String> = oldest_first
            .iter()
            .map(|r| short_date(r.created_at.with_timezone(&zone.tz()).date_naive(), locale))
            .collect();
        let series = vec![
            charts::Series {
                label: label(Factor::FutureConfidence),
                values: oldest_first
                    .iter()
                    .map(|r| r.summary.future_confidence)
                    .collect(),
            },
            charts::Series {
                label: label(Factor::Curiosity),
                values: oldest_first.iter().map(|r| r.summary.curiosity).collect(),
            },
            charts::Series {
                label: label(Factor::SelfDetermination),
                values: oldest_first
                    .iter()
                    .map(|r| r.summary.self_determination)
                    .collect(),
            },
        ];
        let desc = series
            .iter()
            .map(|s| {
                format!(
                    "{}: {}",
                    s.label,
                    s.values
                        .iter()
                        .map(u8::to_string)
                        .collect::<Vec<_>>()
                        .join(" → ")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        charts::history_lines(&dates, &series, &ctx.t("sc-history-chart-title"), &desc)
    });
    Ok(HistoryPage {
        ctx,
        entries,
        chart,
    })
}

fn short_date(date: chrono::NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::Ja => date.format("%-m/%-d").to_string(),
        Locale::En => date.format("%-d %b").to_string(),
    }
}
