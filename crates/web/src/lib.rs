//! The HTTP face of tsunagari: server-rendered HTML pages (askama
//! templates, Fluent translations, no JavaScript needed), the JSON API with
//! its OpenAPI document, health and metrics endpoints.
//!
//! Handlers are thin: they parse a request, call a use case from
//! `tsunagari-app`, and render the result. Everything that turns a failure
//! into a status code and a message lives in `error.rs`. Cross-cutting
//! concerns are middleware, applied in this order (outermost first):
//! tracing and metrics, security headers, timeout, the request context
//! (session, language, CSRF cookie, error rendering), CSRF verification.
//!
//! This crate must not contain business rules or SQL.
#![deny(missing_docs)]

pub mod api;
mod assets;
pub mod atom;
mod charts;
pub mod config;
pub mod context;
mod csrf;
pub mod csv;
pub mod error;
pub mod i18n;
pub mod ical;
pub mod markdown;
pub mod metrics;
pub mod pages;
mod security;
pub mod state;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tsunagari_app::Ballots;
use tsunagari_app::{
    Accounts, AppError, Communities, CommunityTools, Counselling, Events, Feeds, Fund, Home,
    Notifications, Organisations, Petitions, PublicSchemes, Search, SelfChecks, SiteOperators,
    Threads,
};
use tsunagari_app::{Opinions, Shares};
use tsunagari_store::{Backend, Store};

pub use config::ServerConfig;
use error::Failure;
use state::AppState;

/// Failure to start the server.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The address could not be bound (in use, not permitted, not local).
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address asked for.
        address: SocketAddr,
        /// Why.
        source: io::Error,
    },
    /// The search index could not be opened or built.
    #[error("cannot open the search index: {0}")]
    Search(AppError),
}

/// A bound, ready-to-run server.
pub struct App {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl App {
    /// Binds the listener and assembles the routes. Binding here, not in
    /// `run`, lets callers learn the port (tests bind port 0) and report a
    /// port in use before anything else starts.
    pub async fn build(config: ServerConfig, store: Arc<dyn Store>) -> Result<App, StartError> {
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|source| StartError::Bind {
                address: config.bind,
                source,
            })?;
        let search = Search::open(store.clone(), &config.search)
            .await
            .map_err(StartError::Search)?;
        let state = AppState {
            communities: Communities::new(store.clone()),
            notifications: Notifications::new(store.clone()),
            threads: Threads::new(store.clone()),
            events: Events::new(store.clone()),
            self_checks: SelfChecks::new(store.clone()),
            public_schemes: PublicSchemes::new(store.clone()),
            tools: CommunityTools::new(store.clone()),
            shares: Shares::new(store.clone()),
            opinions: Opinions::new(store.clone()),
            ballots: Ballots::new(store.clone(), config.ballot_secret.clone()),
            counselling: Counselling::new(store.clone()),
            petitions: Petitions::new(store.clone()),
            fund: Fund::new(store.clone(), config.ballot_secret.clone()),
            organisations: Organisations::new(store.clone()),
            operators: SiteOperators::new(store.clone()),
            home: Home::new(store.clone()),
            feeds: Feeds::new(store.clone()),
            accounts: Accounts::new(store),
            config: Arc::new(config),
            metrics: Arc::default(),
            search,
        };
        Ok(App {
            listener,
            router: router(state.clone()),
            state,
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` completes, then stops accepting and lets
    /// requests in flight finish.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> io::Result<()> {
        let cleanup = tokio::spawn(delete_expired_sessions_periodically(
            self.state.accounts.clone(),
        ));
        let ballot_work = tokio::spawn(run_ballot_work_periodically(
            self.state.ballots.clone(),
            self.state.fund.clone(),
        ));
        let indexer = tokio::spawn(self.state.search.clone().run());
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let result = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await;
        cleanup.abort();
        ballot_work.abort();
        indexer.abort();
        // Wait until the indexer is gone: it holds the index's write lock,
        // which a server started next in this process must be able to take.
        let _ = indexer.await;
        result
    }
}

/// Ended sessions are refused on sight; this removes the rows. Safe on
/// several servers at once: deleting twice deletes nothing the second time.
async fn delete_expired_sessions_periodically(accounts: Accounts) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        match accounts.delete_expired_sessions().await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "expired sessions removed"),
            Err(error) => tracing::warn!(%error, "removing expired sessions failed"),
        }
    }
}

/// Ballots open, close and send their reminder on time even when nobody
/// looks at them. Every step is idempotent and serialised in the database,
/// so all servers run this loop. After the ballots, the fund claims whose
/// ballot is final are settled (and claims waiting for money retried).
async fn run_ballot_work_periodically(ballots: Ballots, fund: Fund) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    loop {
        every.tick().await;
        match ballots.run_due_work(tsunagari_domain::time::now()).await {
            Ok(done) if done == Default::default() => {}
            Ok(done) => tracing::info!(
                electorates = done.electorates,
                finalised = done.finalised,
                reminded = done.reminded,
                "ballot work done"
            ),
            Err(error) => tracing::warn!(%error, "ballot work failed"),
        }
        match fund
            .settle_ballot_claims(tsunagari_domain::time::now())
            .await
        {
            Ok(0) => {}
            Ok(settled) => tracing::info!(settled, "fund claims settled by ballot"),
            Err(error) => tracing::warn!(%error, "settling fund claims by ballot failed"),
        }
    }
}

/// All routes with their middleware.
pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(pages::home::show))
        .route(
            "/signup",
            get(pages::accounts::show_signup).post(pages::accounts::signup),
        )
        .route(
            "/login",
            get(pages::accounts::show_login).post(pages::accounts::login),
        )
        .route("/logout", post(pages::accounts::logout))
        .route("/language", post(pages::language::switch))
        .route("/settings", get(pages::settings::show))
        .route("/settings/profile", post(pages::settings::save_profile))
        .route("/settings/password", post(pages::settings::change_password))
        .route(
            "/settings/sessions/{id}/end",
            post(pages::settings::end_session),
        )
        .route(
            "/settings/tokens/{id}/revoke",
            post(pages::settings::revoke_token),
        )
        .route("/settings/export", get(pages::settings::export))
        .route(
            "/settings/delete",
            get(pages::settings::show_delete).post(pages::settings::delete),
        )
        .route(
            "/communities",
            get(pages::communities::index).post(pages::communities::create),
        )
        .route("/communities/new", get(pages::communities::new_form))
        .route("/communities/{id}", get(pages::communities::show))
        .route(
            "/communities/{id}/edit",
            get(pages::communities::edit_form).post(pages::communities::update),
        )
        .route(
            "/communities/{id}/join",
            get(pages::communities::back_to_community).post(pages::communities::join),
        )
        .route(
            "/communities/{id}/leave",
            get(pages::communities::back_to_community).post(pages::communities::leave),
        )
        .route("/communities/{id}/members", get(pages::directory::members))
        .route(
            "/communities/{id}/profile",
            get(pages::directory::profile_form).post(pages::directory::save_profile),
        )
        .route(
            "/communities/{id}/roles",
            post(pages::directory::create_role),
        )
        .route(
            "/communities/{id}/roles/{role_id}",
            post(pages::directory::act_on_role),
        )
        .route(
            "/communities/{id}/members/{user_id}",
            post(pages::communities::act_on_member),
        )
        .route(
            "/communities/{id}/transfer",
            post(pages::communities::transfer),
        )
        .route("/notifications", get(pages::notifications::index))
        .route("/notifications/read", post(pages::notifications::read_all))
        .route("/notifications/{id}/open", post(pages::notifications::open))
        .route("/communities/{id}/threads", post(pages::threads::create))
        .route(
            "/communities/{id}/threads/new",
            get(pages::threads::new_form),
        )
        .route("/communities/{id}/reports", get(pages::threads::reports))
        .route("/communities/{id}/audit", get(pages::threads::audit))
        .route("/threads/{id}", get(pages::threads::show))
        .route(
            "/threads/{id}/edit",
            get(pages::threads::edit_form).post(pages::threads::update),
        )
        .route("/threads/{id}/delete", post(pages::threads::delete))
        .route("/threads/{id}/replies", post(pages::threads::reply))
        .route("/threads/{id}/report", post(pages::threads::report_thread))
        .route(
            "/threads/{id}/moderate",
            post(pages::threads::moderate_thread),
        )
        .route(
            "/replies/{id}/edit",
            get(pages::threads::edit_reply_form).post(pages::threads::update_reply),
        )
        .route("/replies/{id}/delete", post(pages::threads::delete_reply))
        .route("/replies/{id}/report", post(pages::threads::report_reply))
        .route(
            "/replies/{id}/moderate",
            post(pages::threads::moderate_reply),
        )
        .route("/communities/{id}/events", post(pages::events::create))
        .route("/communities/{id}/events/new", get(pages::events::new_form))
        .route("/events", get(pages::events::mine))
        .route("/events/feed", post(pages::events::reset_feed))
        .route("/events/{id}", get(pages::events::show))
        .route(
            "/events/{id}/edit",
            get(pages::events::edit_form).post(pages::events::update),
        )
        .route("/events/{id}/event.ics", get(pages::events::ics))
        .route("/events/{id}/rsvp", post(pages::events::rsvp))
        .route("/events/{id}/cancel", post(pages::events::cancel))
        .route("/events/{id}/capacity", post(pages::events::capacity))
        .route("/events/{id}/attendance", post(pages::events::attendance))
        .route("/calendar/{key}", get(pages::events::feed))
        .route("/self-check", get(pages::self_check::intro))
        .route("/self-check/preview", get(pages::self_check::preview))
        .route("/self-check/history", get(pages::self_check::history))
        .route("/self-check/results/{id}", get(pages::self_check::result))
        .route(
            "/self-check/results/{id}/delete",
            post(pages::self_check::delete),
        )
        .route(
            "/self-check/{section}",
            get(pages::self_check::show_section).post(pages::self_check::save_section),
        )
        .route("/public-help", get(pages::public_help::index))
        .route("/public-help/{slug}", get(pages::public_help::show))
        .route("/communities/{id}/tools", get(pages::tools::settings))
        .route("/communities/{id}/tools/{tool}", post(pages::tools::switch))
        .route("/communities/{id}/shares", get(pages::shares::show))
        .route(
            "/communities/{id}/shares/entries",
            get(pages::shares::back_to_register).post(pages::shares::record),
        )
        .route(
            "/communities/{id}/shares/price",
            get(pages::shares::back_to_register).post(pages::shares::set_price),
        )
        .route(
            "/communities/{id}/shares.csv",
            get(pages::shares::csv_export),
        )
        .route(
            "/communities/{id}/opinions",
            get(pages::opinions::index).post(pages::opinions::submit),
        )
        .route("/opinions/{id}", get(pages::opinions::show))
        .route(
            "/opinions/{id}/responses",
            get(pages::opinions::back_to_opinion).post(pages::opinions::respond),
        )
        .route(
            "/communities/{id}/counselling",
            get(pages::counselling::index).post(pages::counselling::ask),
        )
        .route(
            "/communities/{id}/counsellors",
            post(pages::counselling::add_counsellor),
        )
        .route(
            "/communities/{id}/counsellors/{user_id}/remove",
            post(pages::counselling::remove_counsellor),
        )
        .route("/counselling/{id}", get(pages::counselling::show))
        .route(
            "/counselling/{id}/messages",
            post(pages::counselling::write),
        )
        .route("/counselling/{id}/assign", post(pages::counselling::assign))
        .route("/counselling/{id}/close", post(pages::counselling::close))
        .route(
            "/communities/{id}/petitions",
            get(pages::petitions::index).post(pages::petitions::create),
        )
        .route(
            "/communities/{id}/petitions/new",
            get(pages::petitions::new_form),
        )
        .route("/petitions/{id}", get(pages::petitions::show))
        .route("/petitions/{id}/sign", post(pages::petitions::sign))
        .route("/petitions/{id}/withdraw", post(pages::petitions::withdraw))
        .route(
            "/petitions/{id}/updates",
            post(pages::petitions::post_update),
        )
        .route("/communities/{id}/fund", get(pages::fund::index))
        .route("/communities/{id}/fund/payouts", get(pages::fund::payouts))
        .route(
            "/communities/{id}/fund/contributions",
            post(pages::fund::contribute),
        )
        .route(
            "/communities/{id}/fund/settings",
            post(pages::fund::settings),
        )
        .route(
            "/communities/{id}/fund/claims/new",
            get(pages::fund::claim_form),
        )
        .route("/communities/{id}/fund/claims", post(pages::fund::claim))
        .route("/fund/claims/{id}", get(pages::fund::show_claim))
        .route("/fund/claims/{id}/decisions", post(pages::fund::decide))
        .route("/fund/claims/{id}/withdraw", post(pages::fund::withdraw))
        .route("/organisations", get(pages::organisations::index))
        .route("/organisations/{slug}", get(pages::organisations::show))
        .route(
            "/organisations/{slug}/claims",
            get(pages::organisations::back_to_listing).post(pages::organisations::claim),
        )
        .route("/admin/claims", get(pages::admin::claims))
        .route("/admin/claims/{id}/approve", post(pages::admin::approve))
        .route("/admin/claims/{id}/decline", post(pages::admin::decline))
        .route("/communities/{id}/feed.atom", get(pages::feeds::community))
        .route("/events/feed.atom", get(pages::feeds::events))
        .route("/search", get(pages::search::index));
    let operations = Router::new()
        .route("/healthz", get(health))
        .route("/metrics", get(metrics::handler))
        .route("/static/style.css", get(assets::style))
        .route("/static/favicon.svg", get(assets::favicon))
        .route("/static/self-check.js", get(assets::self_check_script))
        .route("/static/kinds/{file}", get(assets::kind));
    let timeout = state.config.request_timeout;
    pages
        .merge(api::routes())
        .merge(operations)
        .merge(pages::ballots::routes())
        .fallback(|| async { Failure::not_found() })
        .layer(from_fn(csrf::verify))
        .layer(from_fn_with_state(state.clone(), context::load_context))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(CompressionLayer::new())
        .layer(from_fn_with_state(state.clone(), security::headers))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
        .layer(from_fn_with_state(
            state.clone(),
            pages::search::catch_up_after_writes,
        ))
        .with_state(state)
}

/// `GET /healthz`: 200 when the database answers, 503 when not.
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let store = state.accounts.store();
    let database = match store.backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    match store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ok", "database": database })),
        ),
        Err(error) => {
            tracing::warn!(%error, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": database })),
            )
        }
    }
}
