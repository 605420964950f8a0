//! The `pesan` server: configuration, the axum application and start-up.
//!
//! [`app`] builds the whole HTTP application from an [`AppState`], with no
//! port and no global, so integration tests drive it with `oneshot` exactly
//! as the binary serves it.

// A page's view type nests inside the layout's (typed children, see
// `app::components::sync_view`); server rendering's async `resolve` of the
// deepest page goes past rustc's default query depth of 128.
#![recursion_limit = "256"]

pub mod api;
pub mod auth;
mod body_guard;
pub mod cli;
pub mod config;
pub mod export;
pub mod extract;
mod health;
mod knowledge_upload;
pub mod listen;
pub mod live;
pub mod lively_demo;
pub mod nlu;
mod panics;
mod rpc_status;
pub mod security;
pub mod startup;
mod upload_slots;
pub mod whatsapp;

use app::{shell, App};
use axum::extract::FromRef;
use axum::routing::{get, post};
use axum::{Extension, Router};
use booking::Services;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::{Arc, OnceLock};

/// The state of the HTTP application: the services every handler and
/// server function shares, and Leptos's options for rendering pages.
#[derive(Clone, Debug)]
pub struct AppState {
    pub services: Services,
    pub leptos_options: LeptosOptions,
    /// The knowledge base (uploads, search).
    pub knowledge: knowledge::Knowledge,
    /// Wakes the indexer after an upload.
    pub wake_indexer: Arc<tokio::sync::Notify>,
    /// Uploads received at once (see `api::knowledge::CONCURRENT_UPLOADS`).
    pub uploads: Arc<upload_slots::UploadSlots>,
    /// The bot's knowledge base and agent (the simulator's turns use them
    /// as the worker's do).
    pub assist: bot::Assist,
    /// Seals WhatsApp access tokens staff paste into the settings page;
    /// `None` without a secret key.
    pub token_sealer: Option<app::api::ssr::settings::TokenSealer>,
}

impl AppState {
    /// The state with a full-text knowledge base over the services' store;
    /// see [`AppState::with_knowledge`] for one with vectors.
    pub fn new(services: Services, leptos_options: LeptosOptions) -> AppState {
        let knowledge = knowledge::Knowledge::full_text_only(services.store.clone());
        AppState {
            services,
            leptos_options,
            assist: bot::Assist::with_knowledge(knowledge.clone()),
            knowledge,
            wake_indexer: Arc::default(),
            uploads: upload_slots::UploadSlots::new(api::knowledge_uploads_at_once()),
            token_sealer: None,
        }
    }

    /// The same, sealing tokens pasted into the settings page with `key`.
    pub fn with_secret_key(mut self, key: ::whatsapp::seal::SecretKey) -> AppState {
        self.token_sealer = Some(app::api::ssr::settings::TokenSealer(Arc::new(
            move |token: &str, phone_number_id: &str| {
                (
                    key.seal(token, &cli::token_context(phone_number_id)),
                    ::whatsapp::seal::hint(token),
                )
            },
        )));
        self
    }

    /// The same with this knowledge base.
    pub fn with_knowledge(mut self, knowledge: knowledge::Knowledge) -> AppState {
        self.assist.knowledge = Some(knowledge.clone());
        self.knowledge = knowledge;
        self
    }

    /// The same with these bot helpers (the agent).
    pub fn with_assist(mut self, assist: bot::Assist) -> AppState {
        self.assist = assist;
        self
    }
}

impl FromRef<AppState> for knowledge::Knowledge {
    fn from_ref(state: &AppState) -> Self {
        state.knowledge.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Services {
    fn from_ref(state: &AppState) -> Self {
        state.services.clone()
    }
}
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Options of the HTTP application that are not part of [`AppState`].
#[derive(Debug, Clone, Default)]
pub struct HttpOptions {
    /// Served over HTTPS: mark the session cookie `Secure` and send
    /// `Strict-Transport-Security`.
    pub cookie_secure: bool,
    /// Behind a reverse proxy: take the client's address from the last
    /// entry of `X-Forwarded-For` (see [`auth::client_address`]).
    pub trust_forwarded_for: bool,
    /// Requests per API key on `/api/v1`.
    pub api_limit: api::limits::RateLimit,
    /// The webhook's secrets.
    pub whatsapp: crate::whatsapp::WhatsappSettings,
}

/// The longest a request may take before it is answered 408: a slow client
/// or a stuck query cannot hold a connection and its memory for ever.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The dashboard's page routes, worked out once per process.
///
/// Leptos finds them by running the app with resource loading switched off
/// through a process-wide flag, and a resource first polled on another
/// thread meanwhile waits for ever (leptos issue 4773): its page never
/// answers. The server builds its router once, before it serves, but the
/// tests build one per test while other tests render pages, and a page
/// test hung CI that way. Every router after the first reuses the list.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole HTTP application: health, sign-in, server functions, pages and
/// static files, behind the session gate.
pub fn app(state: AppState, options: HttpOptions) -> Router {
    app_with_logins(state, options, Arc::new(auth::Logins::default()))
}

/// [`app`] with the given sign-in throttle and password-check bound, so a
/// test can look at them.
pub fn app_with_logins(state: AppState, options: HttpOptions, logins: Arc<auth::Logins>) -> Router {
    let routes = page_routes();
    let leptos_options = state.leptos_options.clone();
    let policy = security::Policy::new(options.clone());
    let watching = policy.watching;
    // Server functions and pages reach the services through Leptos's
    // context; pages also get the content security policy's nonce.
    let services = state.services.clone();
    let assist = state.assist.clone();
    let sealer = state.token_sealer.clone();
    let wake = Arc::clone(&state.wake_indexer);
    let bell = app::api::ssr::knowledge::IndexerBell(Arc::new(move || wake.notify_one()));
    let context = move || {
        provide_context(services.clone());
        provide_context(assist.clone());
        if let Some(sealer) = &sealer {
            provide_context(sealer.clone());
        }
        provide_context(bell.clone());
        security::page_policy(watching);
    };
    // Meta's webhook is machine to machine: no session, no browser policy,
    // and its raw bytes are what the signature covers, so it skips the
    // dashboard's middleware (a third of its time to answer) and has its
    // own body limit.
    let webhooks = Router::new()
        .route(
            "/webhooks/whatsapp",
            get(crate::whatsapp::webhook::verify).post(crate::whatsapp::webhook::receive),
        )
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::whatsapp::webhook::MAX_BODY_BYTES,
        ))
        .layer(Extension(options.whatsapp.clone()));
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/language", get(auth::language))
        .route("/auth/invite", post(auth::accept_invite))
        .route(live::EVENTS_PATH, get(live::events))
        .route(export::EXPORT_PATH, get(export::bookings_csv))
        .route(
            knowledge_upload::UPLOAD_PATH,
            post(knowledge_upload::upload).layer(axum::extract::DefaultBodyLimit::max(
                api::upload_body_limit(&state),
            )),
        )
        .nest("/api/v1", api::router(state.clone(), options.api_limit))
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(leptos_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(axum::middleware::from_fn(rpc_status::rpc_status))
        // After the session gate: a signed-out visitor's body for a private
        // path is never read.
        .layer(axum::middleware::from_fn(body_guard::guard))
        .layer(axum::middleware::from_fn_with_state(
            state.services.clone(),
            auth::session_gate,
        ))
        .layer(Extension(logins))
        .layer(Extension(live::Listeners::default()))
        .layer(Extension(options))
        .layer(axum::middleware::from_fn_with_state(
            policy,
            security::guard,
        ))
        .merge(webhooks)
        .layer(TimeoutLayer::with_status_code(
            http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        // The path only: a query string can carry a secret (the webhook's
        // verify token) and has no place in logs.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &axum::extract::Request| {
                // An invite link's path is its secret.
                let path = request.uri().path();
                let path = if path.starts_with("/invite/") {
                    "/invite/…"
                } else {
                    path
                };
                tracing::debug_span!("request", method = %request.method(), path = %path)
            }),
        )
        .layer(panics::layer())
        .with_state(state)
}
