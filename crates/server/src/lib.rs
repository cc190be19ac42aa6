//! Redline's screening service.
//!
//! [`router`] builds the HTTP API over an [`AppState`]; [`serve`] runs it until a
//! shutdown signal, letting requests in flight finish. The binary (`redline serve`)
//! decides where the store lives, how configuration is read and how logs are written.
//!
//! Every request passes, outermost first:
//! 1. `observe` — gives the request an id (or keeps the caller's `x-request-id`),
//!    echoes it in the response, logs the request and counts it in the metrics;
//! 2. the body limit (`max_body_bytes`, 413 beyond it);
//! 3. on screening routes, `admit` — refuses at once with 503 when `max_in_flight`
//!    requests are already admitted, and answers 503 when one runs past the timeout;
//!    the matching itself runs on the screening pool ([`pool`]), whose queue is
//!    bounded by `max_queued` (503 beyond it);
//! 4. `auth::require_role` — 401 without a valid key, 403 with too low a role.
//!
//! The analyst web UI under `/ui` ([`ui`]) skips 3 and 4: it is not screening, and
//! it authenticates by a session cookie opened with a review key, not by a header.

mod alerts;
pub mod auth;
mod compare;
mod config;
pub mod error;
pub mod index_cache;
pub mod lists;
mod metrics;
mod openapi;
pub mod ownership;
pub mod payments;
pub mod pool;
mod reconcile;
pub mod rescreen;
pub mod review;
mod search;
mod state;
pub mod trade;
mod ui;
mod v1;
pub use v1::add_identifier_problems;
mod yente;

pub use config::ServeConfig;
pub use error::ApiError;
pub use index_cache::{IndexCache, IndexKind};
pub use state::{AppState, ReloadOutcome, Screening, Snapshot};

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use redline_store::Role;
use serde_json::json;

/// RFC 3339, UTC.
pub fn rfc3339(t: SystemTime) -> String {
    redline_model::date::rfc3339(t)
}

/// One route: method, path pattern, the role it needs (`None`: open), and a summary
/// for the OpenAPI document, which is built from this table. The integration tests
/// call every route in it, with and without a key, so table and router agree.
pub(crate) struct RouteDoc {
    pub method: &'static str,
    pub path: &'static str,
    pub role: Option<Role>,
    pub summary: &'static str,
    pub tag: &'static str,
}

pub(crate) const ROUTES: [RouteDoc; 34] = [
    RouteDoc {
        method: "get",
        path: "/v1/alerts",
        role: Some(Role::Review),
        summary: "A page of the alert queue and its total (status=open|all|escalated|…, kind, source, program, min_score, max_score, assignee (- for nobody), older_than_days, sort=oldest|newest|score|updated, offset, limit)",
        tag: "review",
    },
    RouteDoc {
        method: "get",
        path: "/v1/alerts/{id}",
        role: Some(Role::Review),
        summary: "An alert with its matches and review history",
        tag: "review",
    },
    RouteDoc {
        method: "post",
        path: "/v1/alerts/{id}/assign",
        role: Some(Role::Review),
        summary: "Give an open alert to a reviewer (null: back to the queue)",
        tag: "review",
    },
    RouteDoc {
        method: "post",
        path: "/v1/alerts/{id}/notes",
        role: Some(Role::Review),
        summary: "Add a case note to an alert: kept in its history and the audit trail",
        tag: "review",
    },
    RouteDoc {
        method: "post",
        path: "/v1/alerts/{id}/decide",
        role: Some(Role::Review),
        summary: "Decide an alert: escalate, true_match, false_positive (on a strong match: two reviewers), release (a held payment: two reviewers), block",
        tag: "review",
    },
    RouteDoc {
        method: "get",
        path: "/v1/suppressions",
        role: Some(Role::Review),
        summary: "Remembered false positives in force, newest first (all=true: revoked ones too; limit)",
        tag: "review",
    },
    RouteDoc {
        method: "post",
        path: "/v1/suppressions/{id}/revoke",
        role: Some(Role::Review),
        summary: "Revoke a suppression, with a reason: the match alerts again",
        tag: "review",
    },
    RouteDoc {
        method: "post",
        path: "/v1/screen",
        role: Some(Role::Screen),
        summary: "Screen one query or a batch",
        tag: "screening",
    },
    RouteDoc {
        method: "post",
        path: "/v1/trade/screen",
        role: Some(Role::Screen),
        summary: "Screen a trade: parties, goods (CHPL by HS code and description), route and vessel",
        tag: "screening",
    },
    RouteDoc {
        method: "post",
        path: "/v1/payments/screen",
        role: Some(Role::Screen),
        summary: "Screen a payment message (ISO 20022 XML or SWIFT MT): PASS, HOLD or BLOCK",
        tag: "screening",
    },
    RouteDoc {
        method: "post",
        path: "/v1/compare",
        role: Some(Role::Screen),
        summary: "Compare two records (FollowTheMoney entities): score, same-party decision and why",
        tag: "screening",
    },
    RouteDoc {
        method: "post",
        path: "/match/{dataset}",
        role: Some(Role::Screen),
        summary: "yente-compatible query-by-example matching",
        tag: "yente",
    },
    RouteDoc {
        method: "get",
        path: "/v1/entities/{id}",
        role: Some(Role::Screen),
        summary: "A list entity as Redline stores it",
        tag: "lists",
    },
    RouteDoc {
        method: "get",
        path: "/v1/ownership",
        role: Some(Role::Screen),
        summary: "Entities blocked by ownership under a rule (?policy=ofac|eu-uk), with leads",
        tag: "ownership",
    },
    RouteDoc {
        method: "get",
        path: "/v1/ownership/{id}",
        role: Some(Role::Screen),
        summary: "One party's derived status and path under each rule, and its leads",
        tag: "ownership",
    },
    RouteDoc {
        method: "get",
        path: "/entities/{id}",
        role: Some(Role::Screen),
        summary: "A list entity in yente's shape",
        tag: "yente",
    },
    RouteDoc {
        method: "get",
        path: "/search/{dataset}",
        role: Some(Role::Screen),
        summary: "yente-compatible look-up: ranked entities for a name, part of one or an identifier (q, schema, countries, topics, datasets, limit, offset, facets), each with its score and the tokens that met",
        tag: "yente",
    },
    RouteDoc {
        method: "get",
        path: "/reconcile/{dataset}",
        role: Some(Role::Screen),
        summary: "OpenRefine reconciliation (0.2): the service manifest, or answers to queries= / extend= (api_key= accepted on these routes)",
        tag: "yente",
    },
    RouteDoc {
        method: "post",
        path: "/reconcile/{dataset}",
        role: Some(Role::Screen),
        summary: "OpenRefine reconciliation: form-encoded queries= or extend= (or a JSON body): candidates with id, name, score, match, type",
        tag: "yente",
    },
    RouteDoc {
        method: "get",
        path: "/reconcile/{dataset}/suggest/entity",
        role: Some(Role::Screen),
        summary: "OpenRefine suggest: entities for what is typed (prefix=)",
        tag: "yente",
    },
    RouteDoc {
        method: "get",
        path: "/reconcile/{dataset}/suggest/type",
        role: Some(Role::Screen),
        summary: "OpenRefine suggest: the types (FtM schemas) of this service",
        tag: "yente",
    },
    RouteDoc {
        method: "get",
        path: "/reconcile/{dataset}/suggest/property",
        role: Some(Role::Screen),
        summary: "OpenRefine suggest: the properties a query may carry or extend adds",
        tag: "yente",
    },
    RouteDoc {
        method: "get",
        path: "/reconcile/{dataset}/extend/propose",
        role: Some(Role::Screen),
        summary: "OpenRefine data extension: the properties proposed for a type",
        tag: "yente",
    },
    RouteDoc {
        method: "get",
        path: "/reconcile/{dataset}/preview",
        role: Some(Role::Screen),
        summary: "OpenRefine preview: a small HTML card for an entity (id=)",
        tag: "yente",
    },
    RouteDoc {
        method: "get",
        path: "/algorithms",
        role: Some(Role::Screen),
        summary: "The scoring method in yente's shape: its name, version, features and default threshold",
        tag: "yente",
    },
    RouteDoc {
        method: "get",
        path: "/catalog",
        role: Some(Role::Screen),
        summary: "Each loaded list in yente's shape: version, publication date, entity count, when loaded, whether stale",
        tag: "yente",
    },
    RouteDoc {
        method: "get",
        path: "/v1/lists",
        role: Some(Role::Screen),
        summary: "List versions in use",
        tag: "lists",
    },
    RouteDoc {
        method: "post",
        path: "/v1/lists/reload",
        role: Some(Role::Admin),
        summary: "Serve the store's active list versions now",
        tag: "lists",
    },
    RouteDoc {
        method: "post",
        path: "/v1/lists/{source}",
        role: Some(Role::Admin),
        summary: "Load a list file (the body) as the new active version of a source, on every replica",
        tag: "lists",
    },
    RouteDoc {
        method: "get",
        path: "/healthz",
        role: None,
        summary: "The process is alive",
        tag: "operations",
    },
    RouteDoc {
        method: "get",
        path: "/readyz",
        role: None,
        summary: "A list version is loaded and screening works",
        tag: "operations",
    },
    RouteDoc {
        method: "get",
        path: "/metrics",
        role: Some(Role::Screen),
        summary: "Prometheus metrics",
        tag: "operations",
    },
    RouteDoc {
        method: "get",
        path: "/openapi.json",
        role: Some(Role::Screen),
        summary: "This API's OpenAPI 3 document",
        tag: "operations",
    },
    RouteDoc {
        method: "get",
        path: "/",
        role: None,
        summary: "Service name, version and links",
        tag: "operations",
    },
];

/// The whole API.
pub fn router(state: AppState) -> Router {
    let guarded = |role: Role, screening: bool, routes: Router<AppState>| {
        let routes = routes.route_layer(from_fn_with_state(
            (state.clone(), role),
            auth::require_role,
        ));
        if screening {
            // Admission runs before auth, so an overloaded service sheds without
            // touching the key store.
            routes.route_layer(from_fn_with_state(state.clone(), admit))
        } else {
            routes
        }
    };
    let screening = Router::new()
        .route("/v1/screen", post(v1::screen))
        .route("/v1/payments/screen", post(payments::screen_route))
        .route("/v1/trade/screen", post(trade::screen_route))
        .route("/v1/compare", post(compare::compare))
        .route("/match/{dataset}", post(yente::match_entities))
        .route("/search/{dataset}", get(search::search))
        .route(
            "/reconcile/{dataset}",
            get(reconcile::get).post(reconcile::post),
        )
        .route(
            "/reconcile/{dataset}/suggest/entity",
            get(reconcile::suggest_entity),
        )
        .route(
            "/reconcile/{dataset}/suggest/type",
            get(reconcile::suggest_type),
        )
        .route(
            "/reconcile/{dataset}/suggest/property",
            get(reconcile::suggest_property),
        )
        .route(
            "/reconcile/{dataset}/extend/propose",
            get(reconcile::propose),
        )
        .route("/reconcile/{dataset}/preview", get(reconcile::preview));
    let reading = Router::new()
        .route("/v1/entities/{id}", get(v1::entity))
        .route("/v1/ownership", get(ownership::derived_route))
        .route("/v1/ownership/{id}", get(ownership::entity_route))
        .route("/entities/{id}", get(yente::entity))
        .route("/v1/lists", get(v1::lists))
        .route("/algorithms", get(yente::algorithms))
        .route("/catalog", get(yente::catalog))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi));
    let review = Router::new()
        .route("/v1/alerts", get(alerts::list))
        .route("/v1/alerts/{id}", get(alerts::show))
        .route("/v1/alerts/{id}/decide", post(alerts::decide))
        .route("/v1/alerts/{id}/assign", post(alerts::assign))
        .route("/v1/alerts/{id}/notes", post(alerts::note))
        .route("/v1/suppressions", get(alerts::suppressions))
        .route(
            "/v1/suppressions/{id}/revoke",
            post(alerts::revoke_suppression),
        );
    let admin = Router::new()
        .route("/v1/lists/reload", post(v1::reload))
        .route(
            "/v1/lists/{source}",
            post(lists::load).layer(DefaultBodyLimit::max(state.config().max_list_bytes)),
        );
    let open = Router::new()
        .route("/", get(index))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz));
    Router::new()
        .merge(guarded(Role::Screen, true, screening))
        .merge(guarded(Role::Screen, false, reading))
        .merge(guarded(Role::Review, false, review))
        .merge(guarded(Role::Admin, false, admin))
        .merge(open)
        // Not in ROUTES: the OpenAPI document describes the JSON API only.
        .merge(ui::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(state.config().max_body_bytes))
        .layer(from_fn_with_state(state.clone(), refuse_declared_oversize))
        .layer(from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// Serves until `shutdown` completes, then stops accepting and lets requests in
/// flight finish. Also starts the list watcher: it reloads when another process
/// announces a list load (see [`AppState::with_list_changes`]) and polls the store
/// every `watch_interval_secs` (0: no polling) in case an announcement was missed.
/// After a reload that changed the lists it rescreens the stored customer base, once
/// across replicas (see [`rescreen`]).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let announcements = state
        .0
        .list_changes
        .lock()
        .ok()
        .and_then(|mut slot| slot.take());
    let listening = announcements.is_some();
    if let Some(mut changes) = announcements {
        // The PostgreSQL client blocks: it waits on a thread of its own, and wakes
        // the watcher task.
        let wake = state.0.list_changed.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match changes.wait(std::time::Duration::from_secs(1)) {
                    Ok(true) => wake.notify_one(),
                    Ok(false) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "list announcements: connection lost; retrying (polling continues)");
                        std::thread::sleep(std::time::Duration::from_secs(1));
                    }
                }
            }
        });
    }
    let interval = state.config().watch_interval_secs;
    let watcher = (interval > 0 || listening).then(|| {
        let state = state.clone();
        tokio::spawn(async move {
            let period = std::time::Duration::from_secs(interval.max(1));
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await;
            loop {
                tokio::select! {
                    _ = tick.tick(), if interval > 0 => {}
                    _ = state.0.list_changed.notified() => {}
                }
                match state.reload(false).await {
                    Ok(outcome) if outcome.changed => state.rescreen_subjects().await,
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "list watcher: reload failed; the old lists keep serving")
                    }
                }
            }
        })
    });
    let result = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await;
    stop.store(true, Ordering::Relaxed);
    if let Some(w) = watcher {
        w.abort();
    }
    result
}

/// Request ids: a per-process random prefix and a counter, unique across replicas.
fn next_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static PREFIX: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let prefix = PREFIX.get_or_init(|| {
        let mut b = [0u8; 4];
        let _ = getrandom::fill(&mut b);
        hex::encode(b)
    });
    format!("{prefix}-{:x}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A caller's request id is kept if it is short and printable, so ids can be traced
/// across systems; anything else is replaced.
fn caller_request_id(req: &Request) -> Option<String> {
    let v = req.headers().get("x-request-id")?.to_str().ok()?;
    let ok = !v.is_empty()
        && v.len() <= 64
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    ok.then(|| v.to_string())
}

async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = caller_request_id(&req).unwrap_or_else(next_request_id);
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().as_str().to_string();
    let mut response = next.run(req).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    state.0.metrics.observe(&route, &method, status, elapsed);
    let key = response
        .extensions()
        .get::<auth::Caller>()
        .map(|c| c.0.id.as_str())
        .unwrap_or("-");
    tracing::info!(
        request_id = %id,
        method = %method,
        route = %route,
        status,
        micros = elapsed.as_micros() as u64,
        key = %key,
        "request"
    );
    response
}

/// A body whose declared `Content-Length` is over the limit is refused before a byte
/// of it is read (the body limit alone would read up to the limit first). Bodies sent
/// without a length are cut off by the limit as they stream in.
async fn refuse_declared_oversize(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let limit = if lists::is_load_path(req.uri().path()) {
        state.config().max_list_bytes
    } else {
        state.config().max_body_bytes
    };
    if declared.is_some_and(|n| n > limit as u64) {
        return error::body_too_large().into_response();
    }
    next.run(req).await
}

/// Admission control and the timeout for screening routes.
async fn admit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Ok(_permit) = state.0.admission.clone().try_acquire_owned() else {
        state.0.metrics.shed.inc();
        return ApiError::unavailable(
            "overloaded",
            "too many screenings in flight; retry after the Retry-After delay",
        )
        .into_response();
    };
    match tokio::time::timeout(state.config().request_timeout(), next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            state.0.metrics.timeouts.inc();
            ApiError::unavailable("timeout", "the request took longer than request_timeout_ms")
                .into_response()
        }
    }
}

async fn index(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(json!({
        "service": "redline",
        "version": env!("CARGO_PKG_VERSION"),
        "list_versions": state.snapshot().map(|s| s.version_ids().to_vec()).unwrap_or_default(),
        "openapi": "/openapi.json",
    }))
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// Ready when a list is loaded and none is past the operator's hard age limit
/// (`freshness.hard_limit_days`); stale lists are named either way.
async fn readyz(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let snapshot = state.ready_snapshot()?;
    let now = rfc3339(std::time::SystemTime::now());
    let stale = snapshot.stale_lists(&state.config().freshness, &now, &[]);
    let too_old: Vec<String> = stale
        .iter()
        .filter(|a| a.past_hard_limit)
        .map(redline_store::Age::describe)
        .collect();
    if !too_old.is_empty() {
        return Err(ApiError::unavailable(
            "lists_too_old",
            format!(
                "past the hard limit of {} days: {}",
                state.config().freshness.hard_limit_days.unwrap_or_default(),
                too_old.join("; ")
            ),
        ));
    }
    Ok(Json(json!({
        "status": "ready",
        "list_versions": snapshot.version_ids(),
        "stale_lists": stale,
        "entities": snapshot.index.entity_count(),
    })))
}

async fn metrics(State(state): State<AppState>) -> Response {
    let body = state
        .0
        .metrics
        .render(state.snapshot().as_deref(), state.0.pool.queued());
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

async fn openapi() -> Json<serde_json::Value> {
    Json(openapi::document())
}

async fn not_found(req: Request) -> ApiError {
    ApiError::not_found(format!("no route {} {}", req.method(), req.uri().path()))
}

async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{} is not allowed on {}", req.method(), req.uri().path()),
    )
}
