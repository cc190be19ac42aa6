//! The analyst web UI under `/ui`: the alert queue, an alert's subject against its
//! list entries, the decision form, look-up of list entities, list entities, list
//! versions and the audit trail.
//!
//! Why it looks like this:
//! - Server-rendered HTML with one embedded stylesheet and no JavaScript: banks run
//!   the service air-gapped, so there is no CDN and no front-end build to ship.
//! - Analysts sign in with an API key of the review (or admin) role, checked exactly
//!   by the JSON API's own look-up (`auth::verify_hash`). A sign-in opens a
//!   session kept in the store (`SessionStore`: any replica serves the next page, a
//!   restart signs nobody out) behind an `HttpOnly`, `SameSite=Strict` cookie scoped
//!   to `/ui`; neither the key's secret nor the cookie's token is stored, only their
//!   hashes. The key is checked again on every page, so revoking it ends its sessions
//!   (within the key cache's `key_cache_secs`, as for the API).
//! - Decisions go through [`crate::review::decide`] with the session's key id as the
//!   reviewer — never a form field — so the four-eyes rule means two keys, as in the API.
//! - Every state-changing form carries the session's CSRF token, compared in
//!   constant time; a wrong or missing token is refused with 403.
//! - These routes sit outside the API-key layer and the screening admission layer,
//!   and outside the OpenAPI route table, which documents the JSON API only.

pub(crate) mod pages;

use std::time::{Duration, SystemTime};

use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use redline_store::{ApiKey, Role};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::{secret_hash, Caller};
use crate::review::DecideError;
use crate::state::{AppState, Session};

/// How long a sign-in lasts: one working day.
const SESSION_TTL: Duration = Duration::from_secs(8 * 60 * 60);
const COOKIE: &str = "redline_session";
const STYLE: &str = include_str!("assets/style.css");
/// Alerts the queue shows at most.
const QUEUE_LIMIT: usize = 200;
/// Look-up results per page.
const SEARCH_PAGE: usize = 20;
/// Audit entries shown.
const AUDIT_TAIL: i64 = 50;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui", get(|| async { Redirect::to("/ui/alerts") }))
        .route("/ui/", get(|| async { Redirect::to("/ui/alerts") }))
        .route("/ui/assets/style.css", get(style))
        .route("/ui/login", get(login_form).post(login))
        .route("/ui/logout", post(logout))
        .route("/ui/alerts", get(queue))
        .route("/ui/alerts/{id}", get(detail))
        .route("/ui/alerts/{id}/decide", post(decide))
        .route("/ui/search", get(search))
        .route("/ui/entities/{id}", get(entity))
        .route("/ui/lists", get(lists))
        .route("/ui/audit", get(audit))
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

/// An HTML response with the headers every page gets: no caching of case data, no
/// framing, and a content policy that allows only our own stylesheet and forms.
fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// A signed-in request: its session token and a copy of the session.
struct Signed {
    token: String,
    session: Session,
    /// The stale lists in use, for the banner every page carries.
    stale_lists: Vec<String>,
}

impl Signed {
    fn viewer(&self) -> pages::Viewer<'_> {
        pages::Viewer {
            key: &self.session.key,
            csrf: &self.session.csrf,
            stale_lists: &self.stale_lists,
        }
    }

    /// A page for this analyst; the key is put on the response so the request log
    /// names it, as it does for API calls.
    fn page(&self, status: StatusCode, title: &str, flash: Option<&str>, body: &str) -> Response {
        let mut response = html(
            status,
            pages::layout(title, Some(&self.viewer()), flash, body),
        );
        response
            .extensions_mut()
            .insert(Caller(self.session.key.clone()));
        response
    }

    fn problem(&self, status: StatusCode, title: &str, message: &str) -> Response {
        self.page(status, title, None, &pages::problem(title, message))
    }
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The session behind the request's cookie, if it is live and its key still valid.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> Option<Signed> {
    let token = cookie_token(headers)?;
    let token_hash = secret_hash(&token);
    let lookup = token_hash.clone();
    let now = unix_now();
    let record = state
        .with_store(move |store| store.session(&lookup, now))
        .await
        .ok()?
        .ok()??;
    // Revoked since sign-in (or demoted below review): the session ends now.
    let current = crate::auth::verify_hash(state, record.key_sha256)
        .await
        .ok()
        .flatten();
    match current {
        Some(key) if key.role.allows(Role::Review) => Some(Signed {
            token,
            session: Session {
                key,
                csrf: record.csrf,
            },
            stale_lists: state
                .snapshot()
                .map(|s| {
                    let now = crate::rfc3339(SystemTime::now());
                    s.stale_lists(&state.config().freshness, &now, &[])
                        .iter()
                        .map(redline_store::Age::describe)
                        .collect()
                })
                .unwrap_or_default(),
        }),
        _ => {
            let _ = state
                .with_store(move |store| store.delete_session(&token_hash))
                .await;
            None
        }
    }
}

fn to_login() -> Response {
    Redirect::to("/ui/login").into_response()
}

/// Takes the one-shot message stored for the session's next page.
async fn take_flash(state: &AppState, token: &str) -> Option<String> {
    let token_hash = secret_hash(token);
    state
        .with_store(move |store| store.flash(&token_hash, None))
        .await
        .ok()?
        .ok()?
}

async fn set_flash(state: &AppState, token: &str, message: String) {
    let token_hash = secret_hash(token);
    let stored = state
        .with_store(move |store| store.flash(&token_hash, Some(&message)))
        .await;
    if !matches!(stored, Ok(Ok(_))) {
        tracing::warn!("ui: the message for the next page could not be kept");
    }
}

/// Compares without an early exit, so the time taken says nothing about how much of
/// a guessed token was right.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn random_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(hex::encode(bytes))
}

async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if signed_in(&state, &headers).await.is_some() {
        return Redirect::to("/ui/alerts").into_response();
    }
    html(StatusCode::OK, pages::login(None))
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    #[serde(default)]
    key: String,
}

async fn login(
    State(state): State<AppState>,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return html(
            StatusCode::BAD_REQUEST,
            pages::login(Some("The sign-in form could not be read.")),
        );
    };
    let secret = form.key.trim().to_string();
    if secret.is_empty() {
        return html(
            StatusCode::UNAUTHORIZED,
            pages::login(Some("Enter an API key.")),
        );
    }
    let hash = secret_hash(&secret);
    let found = match crate::auth::verify_hash(&state, hash.clone()).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e.message, "ui sign-in: cannot check the key");
            return html(
                StatusCode::INTERNAL_SERVER_ERROR,
                pages::login(Some("The key could not be checked; try again.")),
            );
        }
    };
    let key: ApiKey = match found {
        Some(k) if k.role.allows(Role::Review) => k,
        Some(k) => {
            tracing::warn!(key = %k.id, role = %k.role, "ui sign-in refused: role too low");
            return html(
                StatusCode::FORBIDDEN,
                pages::login(Some(
                    "This key may not review alerts: the review or admin role is needed.",
                )),
            );
        }
        None => {
            tracing::warn!("ui sign-in refused: unknown or revoked key");
            return html(
                StatusCode::UNAUTHORIZED,
                pages::login(Some("This API key is not valid (unknown or revoked).")),
            );
        }
    };
    let (Ok(token), Ok(csrf)) = (random_token(), random_token()) else {
        return html(
            StatusCode::INTERNAL_SERVER_ERROR,
            pages::login(Some("No randomness from the system; cannot sign in.")),
        );
    };
    // Expired sessions go at each sign-in, so the table stays as small as the number
    // of analysts signed in.
    let now = unix_now();
    let record = redline_store::SessionRecord {
        token_sha256: secret_hash(&token),
        key_sha256: hash,
        csrf,
        expires_at: now + SESSION_TTL.as_secs() as i64,
        flash: None,
    };
    if !matches!(
        state
            .with_store(move |store| store.put_session(&record, now))
            .await,
        Ok(Ok(()))
    ) {
        return html(
            StatusCode::INTERNAL_SERVER_ERROR,
            pages::login(Some("Sessions are unavailable; cannot sign in.")),
        );
    }
    // Sign-ins are in the audit trail: who worked the queue, and from when.
    let at = crate::rfc3339(SystemTime::now());
    let actor = key.id.clone();
    if let Ok(Err(e)) = state
        .with_store(move |store| store.append_audit(&at, "ui.login", &actor, &json!({})))
        .await
    {
        tracing::warn!(error = %e, "ui sign-in: not audited");
    }
    let mut response = Redirect::to("/ui/alerts").into_response();
    let cookie = format!(
        "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/ui; Max-Age={}",
        SESSION_TTL.as_secs()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response.extensions_mut().insert(Caller(key));
    response
}

#[derive(Debug, Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers).await else {
        return to_login();
    };
    let csrf = form.map(|Form(f)| f.csrf).unwrap_or_default();
    if !same_token(&csrf, &signed.session.csrf) {
        return signed.problem(
            StatusCode::FORBIDDEN,
            "Refused",
            "The form's security token does not match your session. Reload the page and try again.",
        );
    }
    let token_hash = secret_hash(&signed.token);
    if !matches!(
        state
            .with_store(move |store| store.delete_session(&token_hash))
            .await,
        Ok(Ok(()))
    ) {
        tracing::warn!("ui sign-out: the session could not be deleted; it expires on its own");
    }
    let mut response = to_login();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "redline_session=; HttpOnly; SameSite=Strict; Path=/ui; Max-Age=0",
        ),
    );
    response
}

#[derive(Debug, Deserialize)]
struct QueueParams {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    kind: Option<String>,
}

async fn queue(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<QueueParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers).await else {
        return to_login();
    };
    let params = params.map(|Query(p)| p).unwrap_or(QueueParams {
        status: None,
        kind: None,
    });
    // Only known filter values reach the store; anything else is the default.
    let status = params
        .status
        .filter(|s| pages::statuses().contains(&s.as_str()))
        .unwrap_or_else(|| "open".to_string());
    let kind = params
        .kind
        .filter(|k| pages::KINDS.contains(&k.as_str()))
        .unwrap_or_default();
    let (s, k) = (status.clone(), kind.clone());
    let alerts = state
        .with_store(move |store| {
            store.alerts(
                (s != "all").then_some(s.as_str()),
                (!k.is_empty()).then_some(k.as_str()),
                QUEUE_LIMIT,
            )
        })
        .await;
    match alerts {
        Ok(Ok(alerts)) => signed.page(
            StatusCode::OK,
            "Alert queue",
            take_flash(&state, &signed.token).await.as_deref(),
            &pages::queue(&alerts, &status, &kind),
        ),
        Ok(Err(e)) => signed.problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The queue could not be read",
            &e.to_string(),
        ),
        Err(e) => signed.problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The queue could not be read",
            &e.message,
        ),
    }
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers).await else {
        return to_login();
    };
    let Ok(id) = id.parse::<i64>() else {
        return signed.problem(
            StatusCode::NOT_FOUND,
            "No such alert",
            "Alert ids are numbers.",
        );
    };
    let found = state
        .with_store(move |store| -> redline_store::Result<_> {
            let Some(alert) = store.alert(id)? else {
                return Ok(None);
            };
            Ok(Some((alert, store.alert_actions(id)?)))
        })
        .await;
    let (alert, actions) = match found {
        Ok(Ok(Some(found))) => found,
        Ok(Ok(None)) => {
            return signed.problem(
                StatusCode::NOT_FOUND,
                "No such alert",
                &format!("There is no alert {id}."),
            )
        }
        Ok(Err(e)) => {
            return signed.problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The alert could not be read",
                &e.to_string(),
            )
        }
        Err(e) => {
            return signed.problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The alert could not be read",
                &e.message,
            )
        }
    };
    // List entries as the lists in use now describe them.
    let snapshot = state.snapshot();
    let lookup = |entity_id: &str| -> Option<Value> {
        let entity = snapshot.as_ref()?.index.entity(entity_id)?;
        serde_json::to_value(entity).ok()
    };
    let body = pages::detail(&alert, &actions, &lookup, &signed.session.csrf);
    signed.page(
        StatusCode::OK,
        &format!("Alert {id}"),
        take_flash(&state, &signed.token).await.as_deref(),
        &body,
    )
}

#[derive(Debug, Deserialize)]
struct DecideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<DecideForm>, FormRejection>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers).await else {
        return to_login();
    };
    let Ok(Form(form)) = form else {
        return signed.problem(
            StatusCode::BAD_REQUEST,
            "Refused",
            "The decision form could not be read.",
        );
    };
    if !same_token(&form.csrf, &signed.session.csrf) {
        return signed.problem(
            StatusCode::FORBIDDEN,
            "Refused",
            "The form's security token does not match your session. Reload the page and try again.",
        );
    }
    let Ok(id) = id.parse::<i64>() else {
        return signed.problem(
            StatusCode::NOT_FOUND,
            "No such alert",
            "Alert ids are numbers.",
        );
    };
    let back = format!("/ui/alerts/{id}");
    let action: redline_alerts::Action = match form.action.parse() {
        Ok(a) => a,
        Err(e) => {
            set_flash(&state, &signed.token, format!("Refused: action: {e}")).await;
            return Redirect::to(&back).into_response();
        }
    };
    let snapshot = match state.ready_snapshot() {
        Ok(s) => s,
        Err(e) => {
            set_flash(&state, &signed.token, format!("Refused: {}", e.message)).await;
            return Redirect::to(&back).into_response();
        }
    };
    // The reviewer is the signed-in key, never anything the form says.
    let actor = signed.session.key.id.clone();
    let outcome = crate::alerts::decide_now(&state, snapshot, id, action, actor, form.reason).await;
    let message = match outcome {
        Ok(Ok(status)) => format!("Alert {id} is now {}.", status.as_str().replace('_', " ")),
        Ok(Err(DecideError::NotFound(_))) => {
            return signed.problem(
                StatusCode::NOT_FOUND,
                "No such alert",
                &format!("There is no alert {id}."),
            )
        }
        Ok(Err(DecideError::Rule(e))) => format!("Refused: {e}"),
        Ok(Err(DecideError::Store(e))) => format!("Refused: {e}"),
        Err(e) => format!("Refused: {}", e.message),
    };
    set_flash(&state, &signed.token, message).await;
    let mut response = Redirect::to(&back).into_response();
    response
        .extensions_mut()
        .insert(Caller(signed.session.key.clone()));
    response
}

#[derive(Deserialize, Default)]
struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    schema: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    page: usize,
}

/// `/ui/search`: look a party up (the engine's `search`, as `redline search` and
/// `/search/{dataset}` do), with filters from the facets and paging; each result links
/// to its entity page. A look-up raises nothing.
async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<SearchParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers).await else {
        return to_login();
    };
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let Some(snapshot) = state.snapshot() else {
        return signed.problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "No lists loaded",
            "No list version is loaded.",
        );
    };
    let loaded: Vec<&str> = snapshot
        .versions
        .iter()
        .map(|v| v.source.as_str())
        .collect();
    let form = pages::SearchForm {
        q: &params.q,
        schema: &params.schema,
        country: &params.country,
        source: &params.source,
        sources: &loaded,
    };
    if params.q.trim().is_empty() {
        return signed.page(
            StatusCode::OK,
            "Search",
            None,
            &pages::search(&form, None, 0, SEARCH_PAGE),
        );
    }
    let sources: Vec<redline_model::SourceId> = redline_model::SourceId::ALL
        .into_iter()
        .filter(|s| s.as_str() == params.source)
        .collect();
    let fields = redline_matching::QueryFields {
        schema: (!params.schema.is_empty()).then(|| params.schema.clone()),
        ..redline_matching::QueryFields::new(params.q.clone())
    };
    let countries: Vec<String> = (!params.country.is_empty())
        .then(|| params.country.clone())
        .into_iter()
        .collect();
    let unknown_source = !params.source.is_empty() && sources.is_empty();
    let checked = if unknown_source {
        Err(format!("list {:?} is not one Redline reads", params.source))
    } else {
        redline_matching::check_sources(&snapshot.index, &sources)
            .and_then(|()| {
                redline_matching::SearchQuery::from_fields(&fields, &countries, &sources)
            })
            .map_err(|e| e.to_string())
    };
    let query = match checked {
        Ok(q) => q,
        Err(e) => {
            return signed.page(
                StatusCode::BAD_REQUEST,
                "Search",
                Some(&format!("Refused: {e}")),
                &pages::search(&form, None, 0, SEARCH_PAGE),
            )
        }
    };
    let offset = params.page.min(redline_matching::search::MAX_RANKED) * SEARCH_PAGE;
    let engine = snapshot.clone();
    let results = match state
        .screen_job(move || engine.index.search(&query, SEARCH_PAGE, offset))
        .await
    {
        Ok(r) => r,
        Err(_) => {
            return signed.problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "Busy",
                "The screening service is overloaded; try again in a moment.",
            )
        }
    };
    let title = format!("Search: {}", params.q);
    signed.page(
        StatusCode::OK,
        &title,
        None,
        &pages::search(&form, Some(&results), params.page, SEARCH_PAGE),
    )
}

async fn entity(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers).await else {
        return to_login();
    };
    let Some(snapshot) = state.snapshot() else {
        return signed.problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "No lists loaded",
            "No list version is loaded.",
        );
    };
    let about = snapshot.ownership.as_ref().map(|v| v.about(&id));
    let Some(entity) = snapshot.index.entity(&id) else {
        if let Some(about) = snapshot
            .ownership
            .as_ref()
            .filter(|v| v.knows(&id))
            .and(about.as_ref())
        {
            return signed.page(
                StatusCode::OK,
                &id,
                None,
                &pages::ownership_party(&id, about),
            );
        }
        return signed.problem(
            StatusCode::NOT_FOUND,
            "No such entity",
            &format!("There is no entity {id:?} in the lists in use."),
        );
    };
    let version = snapshot.version_of(entity.source).map(|v| v.id.as_str());
    let value = serde_json::to_value(entity).unwrap_or(Value::Null);
    signed.page(
        StatusCode::OK,
        &id,
        None,
        &pages::entity(&value, version, about.as_ref()),
    )
}

async fn lists(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(signed) = signed_in(&state, &headers).await else {
        return to_login();
    };
    let Some(snapshot) = state.snapshot() else {
        return signed.problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "No lists loaded",
            "No list version is loaded.",
        );
    };
    let versions = serde_json::to_value(&snapshot.versions).unwrap_or(Value::Null);
    let body = pages::lists(
        &versions,
        snapshot.index.entity_count(),
        snapshot.index.name_count(),
        &crate::rfc3339(snapshot.loaded_at),
    );
    signed.page(StatusCode::OK, "Lists", None, &body)
}

async fn audit(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(signed) = signed_in(&state, &headers).await else {
        return to_login();
    };
    let read = state
        .with_store(|store| -> redline_store::Result<_> {
            let verification = store.verify_audit()?;
            let from = (verification.entries - AUDIT_TAIL + 1).max(1);
            let entries = store.audit_entries(from, AUDIT_TAIL)?;
            Ok((verification, entries))
        })
        .await;
    match read {
        Ok(Ok((verification, entries))) => signed.page(
            StatusCode::OK,
            "Audit trail",
            None,
            &pages::audit(&verification, &entries),
        ),
        Ok(Err(e)) => signed.problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The audit trail could not be read",
            &e.to_string(),
        ),
        Err(e) => signed.problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The audit trail could not be read",
            &e.message,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; redline_session=abc ; b=2"),
        );
        assert_eq!(cookie_token(&h).as_deref(), Some("abc"));
        h.insert(header::COOKIE, HeaderValue::from_static("redline_session="));
        assert_eq!(cookie_token(&h), None);
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
        assert!(!same_token("", "a"));
    }
}
