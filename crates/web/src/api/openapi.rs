//! The OpenAPI document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    accounts, communities, events, notifications, organisations, public_schemes, self_check,
    threads, tools,
};
use crate::error::{ErrorBody, ErrorEnvelope};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "tsunagari API",
        description = "JSON API of tsunagari, a platform for career mutual support. Errors share one envelope: `{\"error\": {\"code\", \"message\", \"fields\"}}`; messages follow `Accept-Language` (ja or en).",
    ),
    paths(
        accounts::create, accounts::create_token, accounts::me, accounts::export, accounts::delete_me,
        communities::list, communities::create, communities::show, communities::update, communities::join, communities::leave,
        notifications::list,
        threads::list, threads::create, threads::show, threads::update, threads::delete, threads::reply, threads::update_reply, threads::delete_reply,
        events::list, events::create, events::show, events::rsvp, events::cancel, events::ics,
        events::set_capacity, events::attendance, events::mine,
        self_check::questionnaire, self_check::submit, self_check::list, self_check::show, self_check::delete,
        public_schemes::list, public_schemes::show,
        tools::switch,
        organisations::list, organisations::show, organisations::claim,
    ),
    components(schemas(ErrorEnvelope, ErrorBody, accounts::CreateAccount, accounts::AccountView, accounts::CreateToken, accounts::TokenCreated,
        communities::CommunityView, communities::CommunityList, communities::CommunityInput, communities::JoinInput, communities::JoinResult,
        notifications::NotificationView, notifications::NotificationList,
        threads::ThreadSummaryView, threads::ThreadList, threads::ThreadDetail, threads::ReplyView, threads::ThreadInput, threads::ThreadPatch, threads::ReplyInput,
        events::EventView, events::EventList, events::EventInput, events::RsvpResult,
        events::CapacityInput, events::CapacityResult, events::AttendanceInput,
        self_check::QuestionnaireView, self_check::SectionView, self_check::ItemView, self_check::OptionView, self_check::Submission,
        self_check::ResultView, self_check::ResultList, self_check::ResultSummaryView, self_check::AdaptabilityView, self_check::AllocationView,
        self_check::NationalView, self_check::SourceView, self_check::RecommendationView, self_check::FirstStepView, self_check::SchemeLinkView,
        public_schemes::PublicSchemeView, public_schemes::PublicSchemeList, public_schemes::BilingualView,
        tools::ToolSwitch, tools::ToolList,
        organisations::OrganisationView, organisations::OrganisationList, organisations::ClaimInput, organisations::ClaimView)),
    modifiers(&BearerAuth),
    tags((name = "accounts", description = "Sign-up, tokens, the signed-in account"), (name = "communities", description = "Communities of the six kinds and their members"),
        (name = "notifications", description = "In-app notifications"),
        (name = "threads", description = "Threads and replies inside a community"),
        (name = "events", description = "Events of communities: RSVP, waitlist, iCalendar"),
        (name = "self-check", description = "The private career self-check: questionnaire, results, recommendations"),
        (name = "public-help", description = "The public-help directory (公助): public career schemes in Japanese and English"),
        (name = "organisations", description = "The directory of real organisations (unclaimed listings) and claims on them")),
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The document as a value, for tests and tools.
pub fn build() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `GET /api/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(build())
}
