//! The OpenAPI document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::search;
use super::{
    accounts, communities, counselling, events, fund, notifications, organisations, petitions,
    public_schemes, self_check, threads, tools,
};
use super::{opinions, shares};
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
        shares::register, shares::entries, shares::record, shares::set_price,
        opinions::list, opinions::submit, opinions::show, opinions::respond,
        counselling::create, counselling::list, counselling::show, counselling::write,
        counselling::assign, counselling::close, counselling::figures,
        petitions::create, petitions::show, petitions::sign, petitions::withdraw,
        fund::show, fund::payouts, fund::contribute, fund::claim, fund::show_claim, fund::decide, fund::withdraw, fund::settings,
        organisations::list, organisations::show, organisations::claim,
        search::search,
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
        shares::HoldingView, shares::TotalsView, shares::MemberHoldingView, shares::ShareRegisterView, shares::ShareEntryView,
        shares::ShareEntryList, shares::ShareEntryInput, shares::UnitPriceInput, shares::UnitPriceView,
        opinions::OpinionView, opinions::FiguresView, opinions::OpinionList, opinions::OpinionInput, opinions::ResponseView,
        opinions::OpinionDetail, opinions::ResponseInput,
        counselling::CounsellingRequestView, counselling::CounsellingMessageView, counselling::CounsellingRequestList,
        counselling::CounsellingRequestDetail, counselling::CounsellingRequestInput, counselling::CounsellingMessageInput,
        counselling::AssignInput, counselling::CloseInput, counselling::ResponseFiguresView,
        petitions::PetitionView, petitions::MilestoneView, petitions::PetitionUpdateView, petitions::PetitionInput,
        petitions::SignatureInput, petitions::SignatureView,
        fund::FundView, fund::PayoutView, fund::PayoutPageView, fund::ContributionInput, fund::ContributionView, fund::ClaimInput, fund::ClaimView,
        fund::DecisionInput, fund::DecisionView, fund::DecisionResultView, fund::FundSettingsInput,
        organisations::OrganisationView, organisations::OrganisationList, organisations::ClaimInput, organisations::ClaimView,
        search::SearchResultView, search::SearchResults)),
    modifiers(&BearerAuth),
    tags((name = "accounts", description = "Sign-up, tokens, the signed-in account"), (name = "communities", description = "Communities of the six kinds and their members"),
        (name = "notifications", description = "In-app notifications"),
        (name = "threads", description = "Threads and replies inside a community"),
        (name = "events", description = "Events of communities: RSVP, waitlist, iCalendar"),
        (name = "self-check", description = "The private career self-check: questionnaire, results, recommendations"),
        (name = "public-help", description = "The public-help directory (公助): public career schemes in Japanese and English"),
        (name = "shares", description = "The worker co-op's share register (出資の記録): units, payments, refunds on an append-only ledger"),
        (name = "opinions", description = "The opinion box (意見の反映): opinions and the organisers' recorded responses"),
        (name = "counselling", description = "Career-counselling requests to a union's counsellors, with a private thread"),
        (name = "petitions", description = "A union's petitions: signatures (once per person), milestones, updates"),
        (name = "fund", description = "A union's solidarity fund (連帯基金): double-entry ledger, claims decided by a committee or by a secret ballot of the members; amounts in whole yen"),
        (name = "organisations", description = "The directory of real organisations (unclaimed listings) and claims on them"),
        (name = "search", description = "Full-text search in Japanese and English over communities, events, threads, replies and public schemes")),
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
    let mut doc = ApiDoc::openapi();
    doc.merge(super::ballots::BallotApiDoc::openapi());
    doc
}

/// `GET /api/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(build())
}
