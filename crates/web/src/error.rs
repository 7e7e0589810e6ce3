//! The one place where failures become HTTP responses.
//!
//! Handlers and extractors return a `Failure`: a status, a stable code and a
//! message key, not yet translated, since an extractor's rejection cannot
//! see the request's language. `render_failures` (a middleware that can)
//! turns it into a localized HTML error page or the JSON error envelope
//! `{"error": {"code", "message", "fields"}}` for `/api` paths. Faults are
//! logged with their cause and shown as an opaque 500: nobody sees a stack
//! trace or a database message.

use std::collections::BTreeMap;

use askama::Template;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use tsunagari_app::{AppError, Denial, Field, FieldErrors, FieldProblem};
use tsunagari_domain::ballot::{BallotFieldError, OutcomeFieldError};
use tsunagari_domain::community::CommunityFieldError;
use tsunagari_domain::counselling::CounsellingFieldError;
use tsunagari_domain::directory::ProfileFieldError;
use tsunagari_domain::event::EventFieldError;
use tsunagari_domain::fund::{AmountError, FundFieldError};
use tsunagari_domain::opinion::OpinionFieldError;
use tsunagari_domain::organisation::ClaimTextError;
use tsunagari_domain::petition::PetitionFieldError;
use tsunagari_domain::search::SearchFieldError;
use tsunagari_domain::selfcheck::AnswerProblem;
use tsunagari_domain::share::{ShareFieldError, ShareRefusal};
use tsunagari_domain::thread::PostFieldError;
use tsunagari_domain::{DisplayNameError, EmailError, PasswordRejection};

use crate::context::RequestContext;
use crate::i18n::Tr;

/// A failed request, rendered later in the request's language.
#[derive(Debug, Clone)]
pub struct Failure {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code for the API.
    pub code: &'static str,
    /// Fluent key of the message.
    pub message_key: &'static str,
    /// Arguments of the message.
    pub args: Vec<(&'static str, String)>,
    /// Per-field problems: field name and Fluent key.
    pub fields: Vec<(&'static str, &'static str)>,
    /// Seconds for a `Retry-After` header.
    pub retry_after: Option<u64>,
}

impl Failure {
    fn new(status: StatusCode, code: &'static str, message_key: &'static str) -> Failure {
        Failure {
            status,
            code,
            message_key,
            args: Vec::new(),
            fields: Vec::new(),
            retry_after: None,
        }
    }

    /// 404.
    pub fn not_found() -> Failure {
        Failure::new(StatusCode::NOT_FOUND, "not_found", "api-error-not-found")
    }

    /// 500; log the cause before calling.
    pub fn internal() -> Failure {
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "api-error-internal",
        )
    }

    /// 401 for the API.
    pub fn unauthorized() -> Failure {
        Failure::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "api-error-unauthorized",
        )
    }

    /// 403 for a form whose CSRF token did not match.
    pub fn csrf() -> Failure {
        Failure::new(StatusCode::FORBIDDEN, "csrf", "error-csrf-body")
    }

    /// 400 for a JSON body that could not be read.
    pub fn bad_json() -> Failure {
        Failure::new(StatusCode::BAD_REQUEST, "bad_json", "api-error-bad-json")
    }

    /// 400 for a body that could not be read.
    pub fn bad_request() -> Failure {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "error-bad-request-body",
        )
    }
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Failure {
        match error {
            AppError::Invalid(errors) => Failure {
                fields: field_message_keys(&errors),
                ..Failure::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid",
                    "api-error-invalid",
                )
            },
            AppError::EmailTaken => Failure {
                fields: vec![(Field::Email.name(), "error-email-taken")],
                ..Failure::new(StatusCode::CONFLICT, "email_taken", "api-error-email-taken")
            },
            AppError::BadCredentials => Failure::new(
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "api-error-bad-credentials",
            ),
            AppError::Throttled { retry_after_secs } => Failure {
                args: vec![("seconds", retry_after_secs.to_string())],
                retry_after: Some(retry_after_secs),
                ..Failure::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_attempts",
                    "api-error-throttled",
                )
            },
            AppError::NotFound => Failure::not_found(),
            AppError::Forbidden(denial) => {
                let (code, key) = denial_code_and_key(denial);
                let status = match denial {
                    Denial::AlreadyMember
                    | Denial::AlreadyReported
                    | Denial::AlreadyRegistered
                    | Denial::NotRegistered
                    | Denial::NotConfirmed
                    | Denial::BallotNotOpen
                    | Denial::BallotClosed
                    | Denial::ReminderTooSoon
                    | Denial::BallotStillOpen
                    | Denial::BallotWithdrawn
                    | Denial::BallotAlreadyOpen
                    | Denial::ListingClaimed
                    | Denial::ClaimPending
                    | Denial::ClaimDecided => StatusCode::CONFLICT,
                    Denial::ToolOff => StatusCode::NOT_FOUND,
                    Denial::OpinionDailyLimit => StatusCode::TOO_MANY_REQUESTS,
                    Denial::CounsellingClosed
                    | Denial::AlreadySigned
                    | Denial::NotSigned
                    | Denial::PetitionClosed
                    | Denial::AlreadyDecided
                    | Denial::ClaimSettled
                    | Denial::ClaimantGone
                    | Denial::DecidedByBallot
                    | Denial::WouldOverdraw => StatusCode::CONFLICT,
                    _ => StatusCode::FORBIDDEN,
                };
                let args = match denial {
                    Denial::OpinionDailyLimit => vec![(
                        "count",
                        tsunagari_domain::opinion::MAX_OPINIONS_PER_DAY.to_string(),
                    )],
                    _ => Vec::new(),
                };
                Failure {
                    args,
                    ..Failure::new(status, code, key)
                }
            }
            AppError::Store(error) => {
                tracing::error!(%error, "store failure");
                Failure::internal()
            }
            AppError::Search(error) => {
                tracing::error!(%error, "search index failure");
                Failure::internal()
            }
        }
    }
}

impl From<JsonRejection> for Failure {
    fn from(rejection: JsonRejection) -> Failure {
        let status = match rejection {
            JsonRejection::JsonDataError(_) => StatusCode::UNPROCESSABLE_ENTITY,
            JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::BAD_REQUEST,
        };
        Failure {
            args: vec![("detail", rejection.body_text())],
            ..Failure::new(status, "bad_json", "api-error-bad-json")
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED && self.code == "unauthorized" {
            response
                .headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response.extensions_mut().insert(self);
        response
    }
}

/// The API code and Fluent key of a denial.
pub fn denial_code_and_key(denial: Denial) -> (&'static str, &'static str) {
    match denial {
        Denial::NotMember => ("not_member", "denied-not-member"),
        Denial::NotOrganiser => ("not_organiser", "denied-not-organiser"),
        Denial::NotOwner => ("not_owner", "denied-not-owner"),
        Denial::OwnerMustTransfer => ("owner_must_transfer", "denied-owner-must-transfer"),
        Denial::OwnerIsProtected => ("owner_protected", "denied-owner-protected"),
        Denial::PeerOrganiser => ("peer_organiser", "denied-peer-organiser"),
        Denial::Banned => ("banned", "denied-banned"),
        Denial::NotParentMember => ("not_parent_member", "denied-not-parent-member"),
        Denial::AlreadyMember => ("already_member", "denied-already-member"),
        Denial::MembersOnly => ("members_only", "denied-members-only"),
        Denial::OwnsCommunities => ("owns_communities", "denied-owns-communities"),
        Denial::NotAuthor => ("not_author", "denied-not-author"),
        Denial::PostClosed => ("post_closed", "denied-post-closed"),
        Denial::AlreadyReported => ("already_reported", "denied-already-reported"),
        Denial::AlreadyRegistered => ("already_registered", "denied-already-registered"),
        Denial::NotRegistered => ("not_registered", "denied-not-registered"),
        Denial::NotConfirmed => ("not_confirmed", "denied-not-confirmed"),
        Denial::EventOver => ("event_over", "denied-event-over"),
        Denial::ToolOff => ("tool_off", "denied-tool-off"),
        Denial::BallotNotOpen => ("ballot_not_open", "ballot-denied-not-open"),
        Denial::BallotClosed => ("ballot_closed", "ballot-denied-closed"),
        Denial::NotElector => ("not_elector", "ballot-denied-not-elector"),
        Denial::ResultsHidden => ("results_hidden", "ballot-denied-results-hidden"),
        Denial::ReminderTooSoon => ("reminder_too_soon", "ballot-denied-reminder-too-soon"),
        Denial::BallotStillOpen => ("ballot_still_open", "ballot-denied-still-open"),
        Denial::BallotWithdrawn => ("ballot_withdrawn", "ballot-denied-withdrawn"),
        Denial::OpinionDailyLimit => ("opinion_daily_limit", "opinion-denied-daily-limit"),
        Denial::BallotAlreadyOpen => ("ballot_already_open", "ballot-denied-already-open"),
        Denial::NotCounsellor => ("not_counsellor", "counselling-denied-not-counsellor"),
        Denial::CounsellingClosed => ("counselling_closed", "counselling-denied-closed"),
        Denial::AlreadySigned => ("already_signed", "petition-denied-already-signed"),
        Denial::NotSigned => ("not_signed", "petition-denied-not-signed"),
        Denial::PetitionClosed => ("petition_closed", "petition-denied-closed"),
        Denial::OwnClaim => ("own_claim", "fund-denied-own-claim"),
        Denial::NotDecider => ("not_decider", "fund-denied-not-decider"),
        Denial::AlreadyDecided => ("already_decided", "fund-denied-already-decided"),
        Denial::ClaimSettled => ("claim_settled", "fund-denied-settled"),
        Denial::ClaimantGone => ("claimant_gone", "fund-denied-claimant-gone"),
        Denial::WouldOverdraw => ("would_overdraw", "fund-denied-would-overdraw"),
        Denial::DecidedByBallot => ("decided_by_ballot", "fund-denied-by-ballot"),
        Denial::NotOperator => ("not_operator", "discovery-denied-not-operator"),
        Denial::ListingClaimed => ("listing_claimed", "discovery-denied-listing-claimed"),
        Denial::ClaimPending => ("claim_pending", "discovery-denied-claim-pending"),
        Denial::ClaimDecided => ("claim_decided", "discovery-denied-claim-decided"),
    }
}

/// The Fluent key that explains a field problem.
pub fn field_problem_key(problem: FieldProblem) -> &'static str {
    match problem {
        FieldProblem::Email(EmailError::Empty) => "error-email-empty",
        FieldProblem::Email(EmailError::TooLong) => "error-email-too-long",
        FieldProblem::Email(EmailError::Malformed) => "error-email-malformed",
        FieldProblem::EmailTaken => "error-email-taken",
        FieldProblem::DisplayName(DisplayNameError::Empty) => "error-display-name-empty",
        FieldProblem::DisplayName(DisplayNameError::TooLong) => "error-display-name-too-long",
        FieldProblem::DisplayName(DisplayNameError::ControlCharacters) => {
            "error-display-name-control"
        }
        FieldProblem::Password(PasswordRejection::TooShort) => "error-password-too-short",
        FieldProblem::Password(PasswordRejection::TooLong) => "error-password-too-long",
        FieldProblem::Password(PasswordRejection::Common) => "error-password-common",
        FieldProblem::Password(PasswordRejection::Personal) => "error-password-personal",
        FieldProblem::WrongPassword => "error-password-wrong",
        FieldProblem::Mismatch => "error-password-mismatch",
        FieldProblem::UnknownLocale => "error-locale-unknown",
        FieldProblem::UnknownTimeZone => "error-time-zone-unknown",
        FieldProblem::Required => "error-confirmation-required",
        FieldProblem::Parent => "error-parent",
        FieldProblem::Role => "error-role",
        FieldProblem::VolunteerRole => "error-volunteer-role",
        FieldProblem::RoleNameTaken => "error-volunteer-role-taken",
        FieldProblem::Profile(error) => match error {
            ProfileFieldError::Occupation => "error-profile-occupation",
            ProfileFieldError::Prefecture => "error-community-prefecture",
            ProfileFieldError::Bio => "error-profile-bio",
            ProfileFieldError::Visibility => "error-profile-visibility",
        },
        FieldProblem::Post(error) => match error {
            PostFieldError::Title => "error-thread-title",
            PostFieldError::Body => "error-post-body",
            PostFieldError::Reason => "error-post-reason",
        },
        FieldProblem::CapacityBelowConfirmed => "error-event-capacity-below-confirmed",
        FieldProblem::Answer(problem) => match problem {
            AnswerProblem::Missing => "sc-error-missing",
            AnswerProblem::NotAllowed => "sc-error-not-allowed",
            AnswerProblem::NotHundred => "sc-error-not-hundred",
            AnswerProblem::UnknownItem => "sc-error-unknown-item",
        },
        FieldProblem::UnknownCategory => "error-scheme-category",
        FieldProblem::UnknownPrefecture => "error-prefecture-unknown",
        FieldProblem::UnknownAction => "error-scheme-action",
        FieldProblem::Event(error) => match error {
            EventFieldError::Title => "error-event-title",
            EventFieldError::Description => "error-event-description",
            EventFieldError::StartsAt => "error-event-starts-at",
            EventFieldError::EndsAt => "error-event-ends-at",
            EventFieldError::TimeZone => "error-time-zone-unknown",
            EventFieldError::OnlineUrl => "error-event-online-url",
            EventFieldError::Venue => "error-event-venue",
            EventFieldError::Prefecture => "error-event-prefecture",
            EventFieldError::Capacity => "error-event-capacity",
            EventFieldError::Format => "error-event-format",
        },
        FieldProblem::Counselling(error) => match error {
            CounsellingFieldError::Category => "counselling-error-category",
            CounsellingFieldError::Topic => "counselling-error-topic",
            CounsellingFieldError::Channel => "counselling-error-channel",
            CounsellingFieldError::Contact => "counselling-error-contact",
            CounsellingFieldError::PreferredTimes => "counselling-error-preferred-times",
            CounsellingFieldError::Message => "counselling-error-message",
            CounsellingFieldError::Summary => "counselling-error-summary",
        },
        FieldProblem::Petition(error) => match error {
            PetitionFieldError::Title => "petition-error-title",
            PetitionFieldError::Demand => "petition-error-demand",
            PetitionFieldError::Target => "petition-error-target",
            PetitionFieldError::Goal => "petition-error-goal",
            PetitionFieldError::Deadline => "petition-error-deadline",
            PetitionFieldError::Audience => "petition-error-audience",
            PetitionFieldError::Update => "petition-error-update",
        },
        FieldProblem::Fund(error) => match error {
            FundFieldError::Amount(AmountError::NotWholeYen) => "fund-error-amount-whole",
            FundFieldError::Amount(AmountError::NotPositive) => "fund-error-amount-positive",
            FundFieldError::Amount(AmountError::TooLarge) => "fund-error-amount-too-large",
            FundFieldError::Reason => "fund-error-reason",
            FundFieldError::Note => "fund-error-note",
            FundFieldError::ApprovalsNeeded => "fund-error-approvals-needed",
            FundFieldError::BallotDays => "fund-error-ballot-days",
            FundFieldError::BallotQuorum => "fund-error-ballot-quorum",
            FundFieldError::BallotsOff => "fund-error-ballots-off",
        },
        FieldProblem::NotActiveMember => "counselling-error-not-active-member",
        FieldProblem::DecisionMethod => "fund-error-method",
        FieldProblem::ClaimMessage(error) => match error {
            ClaimTextError::Empty => "discovery-error-message-empty",
            ClaimTextError::TooLong => "discovery-error-message-too-long",
            ClaimTextError::ControlCharacters => "discovery-error-message-control",
        },
        FieldProblem::DeclineReason(error) => match error {
            ClaimTextError::Empty => "discovery-error-reason-empty",
            ClaimTextError::TooLong => "discovery-error-reason-too-long",
            ClaimTextError::ControlCharacters => "discovery-error-reason-control",
        },
        FieldProblem::Search(error) => match error {
            SearchFieldError::Query => "error-search-query",
            SearchFieldError::DocType => "error-search-type",
            SearchFieldError::Kind => "error-search-kind",
            SearchFieldError::Prefecture => "error-search-prefecture",
            SearchFieldError::Tag => "error-search-tag",
            SearchFieldError::Online => "error-search-online",
            SearchFieldError::From => "error-search-from",
            SearchFieldError::To => "error-search-to",
            SearchFieldError::Page => "error-search-page",
        },
        FieldProblem::Community(error) => match error {
            CommunityFieldError::Name => "error-community-name",
            CommunityFieldError::Description => "error-community-description",
            CommunityFieldError::Tags => "error-community-tags",
            CommunityFieldError::Prefecture => "error-community-prefecture",
            CommunityFieldError::Municipality => "error-community-municipality",
            CommunityFieldError::JoinQuestion => "error-community-join-question",
            CommunityFieldError::CompanyName => "error-community-company",
            CommunityFieldError::Kind => "error-community-kind",
            CommunityFieldError::Visibility => "error-community-visibility",
            CommunityFieldError::Membership => "error-community-membership",
        },
        FieldProblem::Share(error) => match error {
            ShareFieldError::Member => "share-error-member",
            ShareFieldError::Kind => "share-error-kind",
            ShareFieldError::Units => "share-error-units",
            ShareFieldError::UnitsNotApplicable => "share-error-units-not-applicable",
            ShareFieldError::Amount => "share-error-amount",
            ShareFieldError::AmountNotApplicable => "share-error-amount-not-applicable",
            ShareFieldError::Reverses => "share-error-reverses",
            ShareFieldError::ReversesNotApplicable => "share-error-reverses-not-applicable",
            ShareFieldError::Note => "share-error-note",
            ShareFieldError::UnitPrice => "share-error-unit-price",
        },
        FieldProblem::ShareRefused(refusal) => match refusal {
            ShareRefusal::NoUnitPrice => "share-refused-no-unit-price",
            ShareRefusal::NotAMember => "share-refused-not-a-member",
            ShareRefusal::NotAHolder => "share-refused-not-a-holder",
            ShareRefusal::MoreUnitsThanHeld => "share-refused-more-units-than-held",
            ShareRefusal::RefundMoreThanPaid => "share-refused-refund-more-than-paid",
            ShareRefusal::RefundTooSmall => "share-refused-refund-too-small",
            ShareRefusal::PaymentExceedsOutstanding => "share-refused-payment-exceeds-outstanding",
            ShareRefusal::UnknownEntry => "share-refused-unknown-entry",
            ShareRefusal::AlreadyReversed => "share-refused-already-reversed",
            ShareRefusal::ReversalOfReversal => "share-refused-reversal-of-reversal",
            ShareRefusal::EntryOfAnotherMember => "share-refused-entry-of-another-member",
            ShareRefusal::ReversalBreaksBalance => "share-refused-reversal-breaks-balance",
            ShareRefusal::TooLarge => "share-refused-too-large",
        },
        FieldProblem::Opinion(error) => match error {
            OpinionFieldError::Title => "opinion-error-title",
            OpinionFieldError::Body => "opinion-error-body",
            OpinionFieldError::Reason => "opinion-error-reason",
            OpinionFieldError::Status => "opinion-error-status",
        },
        FieldProblem::Ballot(error) => match error {
            BallotFieldError::Title => "ballot-error-title",
            BallotFieldError::Body => "ballot-error-body",
            BallotFieldError::Kind => "ballot-error-kind",
            BallotFieldError::Options => "ballot-error-options",
            BallotFieldError::OpensAt => "ballot-error-opens-at",
            BallotFieldError::ClosesAt => "ballot-error-closes-at",
            BallotFieldError::TimeZone => "error-time-zone-unknown",
            BallotFieldError::Quorum => "ballot-error-quorum",
            BallotFieldError::Threshold => "ballot-error-threshold",
        },
        FieldProblem::UnknownOption => "ballot-error-option",
        FieldProblem::BallotOutcome(error) => match error {
            OutcomeFieldError::Outcome => "ballot-error-outcome",
            OutcomeFieldError::Action => "ballot-error-follow-up",
            OutcomeFieldError::DueOn => "ballot-error-due-on",
            OutcomeFieldError::WithdrawalReason => "ballot-error-withdrawal-reason",
        },
    }
}

fn field_message_keys(errors: &FieldErrors) -> Vec<(&'static str, &'static str)> {
    errors
        .iter()
        .map(|(field, problem)| (field.name(), field_problem_key(*problem)))
        .collect()
}

/// Translated field problems for a form: field name → message.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(BTreeMap<&'static str, String>);

impl FormErrors {
    /// Translates the field problems of a failure.
    pub fn from_failure(tr: &Tr, failure: &Failure) -> FormErrors {
        let mut map = BTreeMap::new();
        for (field, key) in &failure.fields {
            map.entry(*field).or_insert_with(|| tr.t(key));
        }
        FormErrors(map)
    }

    /// A refusal that names no field (a limit, say), shown on `field` so
    /// that the form's summary and that field carry it.
    pub fn refusal_on(tr: &Tr, failure: &Failure, field: &'static str) -> FormErrors {
        let mut map = BTreeMap::new();
        map.insert(field, tr.t_args(failure.message_key, &failure.args));
        FormErrors(map)
    }

    /// A form-level problem with no field.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for a field.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    /// All messages with their field, for the summary at the top of a form.
    pub fn all(&self) -> Vec<(&'static str, &str)> {
        self.0
            .iter()
            .map(|(field, message)| (*field, message.as_str()))
            .collect()
    }
}

/// JSON error envelope.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorEnvelope {
    /// The error.
    pub error: ErrorBody,
}

/// Body of the JSON error envelope.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable code: `invalid`, `email_taken`, `bad_credentials`,
    /// `too_many_attempts`, `unauthorized`, `not_found`, `bad_json`, `internal`.
    pub code: String,
    /// Human-readable message in the request's language.
    pub message: String,
    /// Messages per field, when input was invalid.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Vec<String>>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: &'a RequestContext,
    title: String,
    message: String,
}

/// Renders the `Failure` a handler, extractor or middleware left in a
/// response; other responses pass through. Called by the context
/// middleware, which knows the request's language.
pub fn render(ctx: Option<&RequestContext>, is_api: bool, mut response: Response) -> Response {
    let Some(failure) = response.extensions_mut().remove::<Failure>() else {
        return response;
    };
    let tr = ctx.map_or(Tr::new(Default::default()), |c| c.tr);
    let args: Vec<(&str, String)> = failure.args.iter().map(|(k, v)| (*k, v.clone())).collect();
    let message = tr.t_args(failure.message_key, &args);
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(CONTENT_TYPE);
    let body = match ctx {
        Some(ctx) if !is_api => {
            let title_key = match failure.status {
                StatusCode::NOT_FOUND => "error-not-found-title",
                StatusCode::FORBIDDEN if failure.code == "csrf" => "error-csrf-title",
                StatusCode::FORBIDDEN | StatusCode::CONFLICT => "error-forbidden-title",
                StatusCode::UNAUTHORIZED => "error-unauthorized-title",
                StatusCode::TOO_MANY_REQUESTS => "error-too-many-requests-title",
                status if status.is_server_error() => "error-internal-title",
                _ => "error-bad-request-title",
            };
            let message = match failure.status {
                StatusCode::NOT_FOUND => tr.t("error-not-found-body"),
                status if status.is_server_error() => tr.t("error-internal-body"),
                _ => message,
            };
            let page = ErrorPage {
                ctx,
                title: tr.t(title_key),
                message,
            };
            match page.render() {
                Ok(html) => Html(html).into_response(),
                Err(error) => {
                    tracing::error!(%error, "error page failed to render");
                    tr.t("error-internal-body").into_response()
                }
            }
        }
        _ => {
            let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (field, key) in &failure.fields {
                fields
                    .entry((*field).to_owned())
                    .or_default()
                    .push(tr.t(key));
            }
            Json(ErrorEnvelope {
                error: ErrorBody {
                    code: failure.code.to_owned(),
                    message,
                    fields,
                },
            })
            .into_response()
        }
    };
    let (body_parts, body) = body.into_parts();
    parts.headers.extend(body_parts.headers);
    Response::from_parts(parts, body)
}
