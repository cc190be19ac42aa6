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

//! - Every word is in the analyst's language (English, Chinese, Russian; `i18n`).
//!   Messages that come from the engine or the store (a review rule's refusal, a list's
//!   own text) are shown as they are written, inside a translated sentence.

mod evidence;
pub(crate) mod i18n;
pub(crate) mod pages;

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use redline_store::{ApiKey, AuditQuery, Role};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::alerts::QueueParams;
use crate::auth::{secret_hash, Caller};
use crate::review::DecideError;
use crate::state::{AppState, Session};
use i18n::{Lang, Tr, LANG_COOKIE};
use pages::{Flash, Frame};

/// How long a sign-in lasts: one working day.
const SESSION_TTL: Duration = Duration::from_secs(8 * 60 * 60);
const COOKIE: &str = "redline_session";
const STYLE: &str = include_str!("assets/style.css");
/// Look-up results per page.
const SEARCH_PAGE: usize = 20;
/// Audit entries per page.
const AUDIT_PAGE: usize = 50;
/// The most rows one CSV export holds: a spreadsheet's worth, and a bound on the work
/// one click starts.
const EXPORT_LIMIT: usize = 100_000;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/ui", get(|| async { Redirect::to("/ui/alerts") }))
        .route("/ui/", get(|| async { Redirect::to("/ui/alerts") }))
        .route("/ui/assets/style.css", get(style))
        .route("/ui/lang", get(switch_language))
        .route("/ui/login", get(login_form).post(login))
        .route("/ui/logout", post(logout))
        .route("/ui/alerts", get(queue))
        .route("/ui/alerts/export.csv", get(export_queue))
        .route("/ui/alerts/assign", post(assign_many))
        .route("/ui/alerts/{id}", get(detail))
        .route("/ui/alerts/{id}/report", get(report))
        .route("/ui/alerts/{id}/decide", post(decide))
        .route("/ui/alerts/{id}/assign", post(assign_one))
        .route("/ui/alerts/{id}/notes", post(add_note))
        .route("/ui/screen", get(screen_form).post(screen))
        .route("/ui/search", get(search))
        .route("/ui/entities/{id}", get(entity))
        .route("/ui/lists", get(lists))
        .route("/ui/audit", get(audit))
        .route("/ui/audit/export.csv", get(export_audit))
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

/// The headers every UI answer gets: no caching of case data, no framing, a content
/// policy that allows only our own stylesheet and forms.
fn secure(response: &mut Response) {
    let h = response.headers_mut();
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
}

/// An HTML response with the headers every page gets.
fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    secure(&mut response);
    response
}

/// A CSV download named `file`.
fn csv_download(file: &str, bytes: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    secure(&mut response);
    response
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE)
}

/// The analyst's language: the switch's cookie, else the browser's, else English.
fn language(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(|tag| Lang::from_tag(&tag))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::negotiate)
        })
        .unwrap_or_default()
}

/// A page of the UI signed out (the sign-in page), in the browser's language.
fn signed_out_frame<'a>(headers: &HeaderMap, here: &'a str) -> Frame<'a> {
    Frame {
        tr: Tr::new(language(headers)),
        viewer: None,
        here,
    }
}

/// A signed-in request: its session token and a copy of the session.
struct Signed {
    token: String,
    session: Session,
    /// The stale lists in use, for the banner every page carries.
    stale_lists: Vec<redline_store::Age>,
    tr: Tr,
    /// The page's own address, for the language switch to come back to.
    here: String,
}

impl Signed {
    fn frame(&self) -> Frame<'_> {
        Frame {
            tr: self.tr,
            viewer: Some(pages::Viewer {
                key: &self.session.key,
                csrf: &self.session.csrf,
                stale_lists: &self.stale_lists,
            }),
            here: &self.here,
        }
    }

    fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    /// A page for this analyst; the key is put on the response so the request log
    /// names it, as it does for API calls.
    fn page(&self, status: StatusCode, title: &str, flash: Option<&Flash>, body: &str) -> Response {
        let mut response = html(status, pages::layout(&self.frame(), title, flash, body));
        response
            .extensions_mut()
            .insert(Caller(self.session.key.clone()));
        response
    }

    /// A page that says what went wrong: `title` and `message` are catalogue keys;
    /// `detail` (the engine's or the store's own words) follows the message.
    fn problem(&self, status: StatusCode, title: &str, message: &str, detail: &str) -> Response {
        let mut text = self.t(message);
        if !detail.is_empty() {
            text = format!("{text} {detail}");
        }
        let title = self.t(title);
        self.page(
            status,
            &title,
            None,
            &pages::problem(&self.tr, &title, &text),
        )
    }

    /// A query string that cannot be read (a field given twice, a number that is
    /// none): refused, never read as no filter at all.
    fn refused_query(&self, e: QueryRejection) -> Response {
        self.problem(
            StatusCode::BAD_REQUEST,
            "refused-title",
            "err-filters",
            &e.body_text(),
        )
    }

    fn refused_csrf(&self) -> Response {
        self.problem(StatusCode::FORBIDDEN, "refused-title", "err-csrf", "")
    }

    fn store_failed(&self, e: impl std::fmt::Display) -> Response {
        self.problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "err-store-title",
            "err-store",
            &e.to_string(),
        )
    }

    fn no_alert(&self, id: &str) -> Response {
        self.problem(
            StatusCode::NOT_FOUND,
            "err-no-alert-title",
            "err-no-alert",
            id,
        )
    }

    fn no_lists(&self) -> Response {
        self.problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "err-no-lists-title",
            "err-no-lists",
            "",
        )
    }

    fn busy(&self) -> Response {
        self.problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "err-busy-title",
            "err-busy",
            "",
        )
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn now() -> String {
    crate::rfc3339(SystemTime::now())
}

/// The path and query of a request, as the language switch's way back.
fn here(uri: &Uri) -> String {
    uri.path_and_query()
        .map_or_else(|| "/ui/alerts".to_string(), |pq| pq.as_str().to_string())
}

/// The session behind the request's cookie, if it is live and its key still valid.
async fn signed_in(state: &AppState, headers: &HeaderMap, uri: &Uri) -> Option<Signed> {
    let token = cookie_token(headers)?;
    let token_hash = secret_hash(&token);
    let lookup = token_hash.clone();
    let now_secs = unix_now();
    let record = state
        .with_store(move |store| store.session(&lookup, now_secs))
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
                .map(|s| s.stale_lists(&state.config().freshness, &now(), &[]))
                .unwrap_or_default(),
            tr: Tr::new(language(headers)),
            here: here(uri),
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
async fn take_flash(state: &AppState, token: &str) -> Option<Flash> {
    let token_hash = secret_hash(token);
    state
        .with_store(move |store| store.flash(&token_hash, None))
        .await
        .ok()?
        .ok()?
        .map(|s| Flash::from_stored(&s))
}

async fn set_flash(state: &AppState, token: &str, message: Flash) {
    let token_hash = secret_hash(token);
    let stored = message.stored();
    let kept = state
        .with_store(move |store| store.flash(&token_hash, Some(&stored)))
        .await;
    if !matches!(kept, Ok(Ok(_))) {
        tracing::warn!("ui: the message for the next page could not be kept");
    }
}

/// Keeps `flash` for the next page and sends the analyst to `to`.
async fn back_to(state: &AppState, signed: &Signed, to: &str, flash: Flash) -> Response {
    set_flash(state, &signed.token, flash).await;
    let mut response = Redirect::to(to).into_response();
    response
        .extensions_mut()
        .insert(Caller(signed.session.key.clone()));
    response
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

/// Reviewer key ids with their labels (`alice (k1a2b3)`), as the store lists them.
async fn key_labels(state: &AppState) -> HashMap<String, String> {
    let keys = state.with_store(|store| store.keys()).await;
    match keys {
        Ok(Ok(keys)) => keys
            .into_iter()
            .map(|k| {
                let shown = if k.label.is_empty() {
                    k.id.clone()
                } else {
                    format!("{} ({})", k.label, k.id)
                };
                (k.id, shown)
            })
            .collect(),
        _ => HashMap::new(),
    }
}

fn label_of(labels: &HashMap<String, String>) -> impl Fn(&str) -> String + '_ {
    |id: &str| labels.get(id).cloned().unwrap_or_else(|| id.to_string())
}

#[derive(Debug, Deserialize)]
struct LangParams {
    #[serde(default)]
    to: String,
    #[serde(default)]
    back: String,
}

/// `/ui/lang?to=zh-CN&back=/ui/alerts`: keeps the analyst's language for a year and
/// goes back to the page. Only a path of the UI is a way back (no open redirect).
async fn switch_language(params: Result<Query<LangParams>, QueryRejection>) -> Response {
    let params = params.map(|Query(p)| p).ok();
    let lang = params.as_ref().and_then(|p| Lang::from_tag(&p.to));
    let back = params
        .map(|p| p.back)
        .filter(|b| b.starts_with("/ui") && !b.starts_with("//") && !b.contains(['\r', '\n']))
        .unwrap_or_else(|| "/ui/alerts".to_string());
    let mut response = Redirect::to(&back).into_response();
    if let Some(lang) = lang {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/ui; Max-Age=31536000; SameSite=Lax",
            lang.tag()
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    response
}

async fn login_form(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    if signed_in(&state, &headers, &uri).await.is_some() {
        return Redirect::to("/ui/alerts").into_response();
    }
    html(
        StatusCode::OK,
        pages::login(&signed_out_frame(&headers, "/ui/login"), None),
    )
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    #[serde(default)]
    key: String,
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let frame = signed_out_frame(&headers, "/ui/login");
    let refuse =
        |status: StatusCode, key: &str| html(status, pages::login(&frame, Some(&frame.tr.t(key))));
    let Ok(Form(form)) = form else {
        return refuse(StatusCode::BAD_REQUEST, "login-err-unreadable");
    };
    let secret = form.key.trim().to_string();
    if secret.is_empty() {
        return refuse(StatusCode::UNAUTHORIZED, "login-err-empty");
    }
    let hash = secret_hash(&secret);
    let found = match crate::auth::verify_hash(&state, hash.clone()).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e.message, "ui sign-in: cannot check the key");
            return refuse(StatusCode::INTERNAL_SERVER_ERROR, "login-err-unchecked");
        }
    };
    let key: ApiKey = match found {
        Some(k) if k.role.allows(Role::Review) => k,
        Some(k) => {
            tracing::warn!(key = %k.id, role = %k.role, "ui sign-in refused: role too low");
            return refuse(StatusCode::FORBIDDEN, "login-err-role");
        }
        None => {
            tracing::warn!("ui sign-in refused: unknown or revoked key");
            return refuse(StatusCode::UNAUTHORIZED, "login-err-invalid");
        }
    };
    let (Ok(token), Ok(csrf)) = (random_token(), random_token()) else {
        return refuse(StatusCode::INTERNAL_SERVER_ERROR, "login-err-random");
    };
    // Expired sessions go at each sign-in, so the table stays as small as the number
    // of analysts signed in.
    let now_secs = unix_now();
    let record = redline_store::SessionRecord {
        token_sha256: secret_hash(&token),
        key_sha256: hash,
        csrf,
        expires_at: now_secs + SESSION_TTL.as_secs() as i64,
        flash: None,
    };
    if !matches!(
        state
            .with_store(move |store| store.put_session(&record, now_secs))
            .await,
        Ok(Ok(()))
    ) {
        return refuse(StatusCode::INTERNAL_SERVER_ERROR, "login-err-sessions");
    }
    // Sign-ins are in the audit trail: who worked the queue, and from when.
    let at = now();
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
    uri: Uri,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers, &uri).await else {
        return to_login();
    };
    let csrf = form.map(|Form(f)| f.csrf).unwrap_or_default();
    if !same_token(&csrf, &signed.session.csrf) {
        return signed.refused_csrf();
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

/// The ids of the lists in use, for the queue's list filter.
fn loaded_sources(state: &AppState) -> Vec<String> {
    state
        .snapshot()
        .map(|s| {
            s.versions
                .iter()
                .map(|v| v.source.as_str().to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn queue(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    params: Result<Query<QueueParams>, QueryRejection>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers, &uri).await else {
        return to_login();
    };
    let params = match params {
        Ok(Query(p)) => p,
        Err(e) => return signed.refused_query(e),
    };
    let query = match params.to_query(100, "open") {
        Ok(q) => q,
        Err(e) => {
            // The filters as typed stay on the page, with what was wrong.
            let sources = loaded_sources(&state);
            let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
            let now = now();
            let view = pages::QueueView {
                params: &params,
                alerts: &[],
                total: 0,
                offset: 0,
                limit: 100,
                sources: &sources,
                now: &now,
                csrf: &signed.session.csrf,
                me: &signed.session.key.id,
            };
            return signed.page(
                StatusCode::BAD_REQUEST,
                &signed.t("queue-title"),
                Some(&Flash::Refused(e)),
                &pages::queue(&signed.tr, &view),
            );
        }
    };
    let (offset, limit) = (query.offset, query.limit);
    let page = state
        .with_store(move |store| store.alert_page(&query))
        .await;
    let page = match page {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => return signed.store_failed(e),
        Err(e) => return signed.store_failed(e.message),
    };
    let sources = loaded_sources(&state);
    let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
    let now = now();
    let view = pages::QueueView {
        params: &params,
        alerts: &page.alerts,
        total: page.total,
        offset,
        limit,
        sources: &sources,
        now: &now,
        csrf: &signed.session.csrf,
        me: &signed.session.key.id,
    };
    signed.page(
        StatusCode::OK,
        &signed.t("queue-title"),
        take_flash(&state, &signed.token).await.as_ref(),
        &pages::queue(&signed.tr, &view),
    )
}

/// `/ui/alerts/export.csv?<the queue's filters>`: every alert the filters hold (up to
/// [`EXPORT_LIMIT`]), in the queue's order. The export is in the audit trail.
async fn export_queue(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    params: Result<Query<QueueParams>, QueryRejection>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers, &uri).await else {
        return to_login();
    };
    let params = match params {
        Ok(Query(p)) => p,
        Err(e) => return signed.refused_query(e),
    };
    let mut query = match params.to_query(100, "open") {
        Ok(q) => q,
        Err(e) => {
            return signed.problem(StatusCode::BAD_REQUEST, "refused-title", "err-filters", &e)
        }
    };
    let filters = serde_json::to_value(&params).unwrap_or(Value::Null);
    let tr = signed.tr;
    export_csv(
        &state,
        &signed,
        "alerts",
        filters,
        move |store, offset| {
            query.offset = offset;
            query.limit = redline_store::MAX_PAGE;
            Ok(store.alert_page(&query)?.alerts)
        },
        |alerts| pages::queue_csv(&tr, alerts, &now()),
    )
    .await
}

/// Reads every row an export asks for, a page at a time (up to [`EXPORT_LIMIT`]),
/// records the export in the audit trail (`what`, its filters, how many rows) and
/// answers the CSV `render` writes of them.
async fn export_csv<T: Send + 'static>(
    state: &AppState,
    signed: &Signed,
    what: &'static str,
    filters: Value,
    mut page: impl FnMut(&dyn redline_store::Store, usize) -> redline_store::Result<Vec<T>>
        + Send
        + 'static,
    render: impl FnOnce(&[T]) -> Result<Vec<u8>, csv::Error>,
) -> Response {
    let actor = signed.session.key.id.clone();
    let read = state
        .with_store(move |store| -> redline_store::Result<Vec<T>> {
            let mut all = Vec::new();
            while all.len() < EXPORT_LIMIT {
                let rows = page(&*store, all.len())?;
                let n = rows.len();
                all.extend(rows);
                if n < redline_store::MAX_PAGE {
                    break;
                }
            }
            all.truncate(EXPORT_LIMIT);
            store.append_audit(
                &now(),
                "ui.export",
                &actor,
                &json!({"what": what, "filters": filters, "rows": all.len()}),
            )?;
            Ok(all)
        })
        .await;
    let rows = match read {
        Ok(Ok(rows)) => rows,
        Ok(Err(e)) => return signed.store_failed(e),
        Err(e) => return signed.store_failed(e.message),
    };
    match render(&rows) {
        Ok(bytes) => csv_download(&format!("redline-{what}.csv"), bytes),
        Err(e) => signed.store_failed(e),
    }
}

/// The ids, assignee and way back of the queue's bulk-assign form. Repeated `id`
/// fields are why this is read by hand rather than by `Form`.
fn read_bulk_form(body: &[u8]) -> Option<(String, Vec<i64>, String, String)> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    let mut csrf = String::new();
    let mut ids = Vec::new();
    let mut assignee = String::new();
    let mut back = String::new();
    for (k, v) in pairs {
        match k.as_str() {
            "csrf" => csrf = v,
            "id" => ids.push(v.parse().ok()?),
            "assignee" => assignee = v,
            "back" => back = v,
            _ => {}
        }
    }
    Some((csrf, ids, assignee, back))
}

/// `POST /ui/alerts/assign`: gives every selected open alert to one reviewer (or,
/// with no name, back to the queue), each one audited as a single assignment is.
async fn assign_many(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let Some(signed) = signed_in(&state, &headers, &uri).await else {
        return to_login();
    };
    let Some((csrf, ids, assignee, back)) = read_bulk_form(&body) else {
        return signed.problem(StatusCode::BAD_REQUEST, "refused-title", "err-form", "");
    };
    if !same_token(&csrf, &signed.session.csrf) {
        return signed.refused_csrf();
    }
    let back = Some(back)
        .filter(|b| b.starts_with("/ui/alerts") && !b.contains(['\r', '\n']))
        .unwrap_or_else(|| "/ui/alerts".to_string());
    if ids.is_empty() {
        return back_to(
            &state,
            &signed,
            &back,
            Flash::Refused(signed.t("bulk-none")),
        )
        .await;
    }
    let assignee = assignee.trim().to_string();
    let to = (!assignee.is_empty()).then(|| assignee.clone());
    let actor = signed.session.key.id.clone();
    let at = now();
    let count = ids.len();
    let outcome = state
        .with_store(move |store| {
            ids.iter()
                .filter_map(|&id| {
                    crate::review::assign(store, id, to.as_deref(), &actor, &at)
                        .err()
                        .map(|e| format!("{id}: {}", describe(e)))
                })
                .collect::<Vec<_>>()
        })
        .await;
    let flash = match outcome {
        Ok(failed) if failed.is_empty() => Flash::Done(if assignee.is_empty() {
            signed.tr.f("bulk-returned", &[("count", count.into())])
        } else {
            signed.tr.f(
                "bulk-done",
                &[
                    ("count", count.into()),
                    ("assignee", assignee.clone().into()),
                ],
            )
        }),
        Ok(failed) => Flash::Refused(signed.tr.f(
            "bulk-failed",
            &[
                ("failed", failed.len().into()),
                ("count", count.into()),
                ("errors", failed.join("; ").into()),
            ],
        )),
        Err(e) => Flash::Refused(e.message),
    };
    back_to(&state, &signed, &back, flash).await
}

/// A review step's refusal in the engine's words.
fn describe(e: DecideError) -> String {
    match e {
        DecideError::NotFound(id) => format!("no alert {id}"),
        DecideError::Rule(e) => e.to_string(),
        DecideError::Store(e) => e.to_string(),
    }
}

/// Everything an alert page shows, read in one visit to the store: the alert, its
/// history, the decision behind a payment or trade alert, and reviewers' labels.
struct AlertRead {
    alert: redline_store::AlertRecord,
    actions: Vec<redline_store::AlertActionRecord>,
    decision_input: Option<Vec<u8>>,
}

async fn read_alert(state: &AppState, signed: &Signed, id: &str) -> Result<AlertRead, Response> {
    let Ok(id) = id.parse::<i64>() else {
        return Err(signed.no_alert(id));
    };
    let found = state
        .with_store(move |store| -> redline_store::Result<_> {
            let Some(alert) = store.alert(id)? else {
                return Ok(None);
            };
            let actions = store.alert_actions(id)?;
            let decision_input = match alert.alert.decision_id {
                Some(d) if matches!(alert.alert.kind.as_str(), "payment" | "trade") => {
                    store.decision(d)?.map(|d| d.decision.input)
                }
                _ => None,
            };
            Ok(Some(AlertRead {
                alert,
                actions,
                decision_input,
            }))
        })
        .await;
    match found {
        Ok(Ok(Some(read))) => Ok(read),
        Ok(Ok(None)) => Err(signed.no_alert(&id.to_string())),
        Ok(Err(e)) => Err(signed.store_failed(e)),
        Err(e) => Err(signed.store_failed(e.message)),
    }
}

/// A payment's or trade's message as the page shows it, read back from the bytes its
/// decision keeps.
fn message_summary(tr: &Tr, kind: &str, input: &[u8]) -> Option<String> {
    match kind {
        "payment" => redline_payments::parse(input)
            .ok()
            .map(|p| evidence::payment_summary(tr, &p)),
        "trade" => serde_json::from_slice::<redline_goods::trade::Trade>(input)
            .ok()
            .map(|t| evidence::trade_summary(tr, &t)),
        _ => None,
    }
}

/// Renders the alert page or its report from what [`read_alert`] found.
async fn render_alert(
    state: &AppState,
    signed: &Signed,
    read: &AlertRead,
    render: impl FnOnce(&pages::AlertView) -> String,
) -> String {
    let labels = key_labels(state).await;
    let labels = label_of(&labels);
    // List entries as the lists in use now describe them.
    let snapshot = state.snapshot();
    let entities = |entity_id: &str| -> Option<redline_model::Entity> {
        snapshot.as_ref()?.index.entity(entity_id).cloned()
    };
    let message = read
        .decision_input
        .as_deref()
        .and_then(|input| message_summary(&signed.tr, &read.alert.alert.kind, input));
    let view = pages::AlertView {
        alert: &read.alert,
        actions: &read.actions,
        entities: &entities,
        message,
        second_review_from: state.config().second_review_from,
        labels: &labels,
    };
    render(&view)
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers, &uri).await else {
        return to_login();
    };
    let read = match read_alert(&state, &signed, &id).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let (csrf, me) = (&signed.session.csrf, &signed.session.key.id);
    let body = render_alert(&state, &signed, &read, |v| {
        pages::detail(&signed.tr, v, csrf, me)
    })
    .await;
    signed.page(
        StatusCode::OK,
        &signed.tr.f("alert-title", &[("id", read.alert.id.into())]),
        take_flash(&state, &signed.token).await.as_ref(),
        &body,
    )
}

/// `/ui/alerts/{id}/report`: the alert's whole evidence and history on one printable
/// page. Printing it is in the audit trail, as an export is.
async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers, &uri).await else {
        return to_login();
    };
    let read = match read_alert(&state, &signed, &id).await {
        Ok(r) => r,
        Err(response) => return response,
    };
    let at = now();
    let by = signed.session.key.id.clone();
    let (audit_at, audit_by, alert_id) = (at.clone(), by.clone(), read.alert.id);
    if let Ok(Err(e)) = state
        .with_store(move |store| {
            store.append_audit(
                &audit_at,
                "ui.export",
                &audit_by,
                &json!({"what": "alert_report", "alert_id": alert_id}),
            )
        })
        .await
    {
        return signed.store_failed(e);
    }
    let body = render_alert(&state, &signed, &read, |v| {
        pages::report(&signed.tr, v, &at, &by)
    })
    .await;
    let mut response = html(StatusCode::OK, body);
    response
        .extensions_mut()
        .insert(Caller(signed.session.key.clone()));
    response
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

/// A form that carries the session's CSRF token.
trait Posted {
    fn csrf(&self) -> &str;
}

impl Posted for DecideForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl Posted for AssignForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl Posted for NoteForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A form posted to an alert's page: the analyst, the alert's id and the form — or
/// the answer that says why not (signed out, an unreadable form, a wrong CSRF token,
/// an id that is no number).
async fn alert_form<F: Posted>(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    id: &str,
    form: Result<Form<F>, FormRejection>,
) -> Result<(Signed, i64, F), Box<Response>> {
    let Some(signed) = signed_in(state, headers, uri).await else {
        return Err(Box::new(to_login()));
    };
    let Ok(Form(form)) = form else {
        return Err(Box::new(signed.problem(
            StatusCode::BAD_REQUEST,
            "refused-title",
            "err-form",
            "",
        )));
    };
    if !same_token(form.csrf(), &signed.session.csrf) {
        return Err(Box::new(signed.refused_csrf()));
    }
    match id.parse::<i64>() {
        Ok(id) => Ok((signed, id, form)),
        Err(_) => Err(Box::new(signed.no_alert(id))),
    }
}

async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    form: Result<Form<DecideForm>, FormRejection>,
) -> Response {
    let (signed, id, form) = match alert_form(&state, &headers, &uri, &id, form).await {
        Ok(posted) => posted,
        Err(response) => return *response,
    };
    let back = format!("/ui/alerts/{id}");
    let action: redline_alerts::Action = match form.action.parse() {
        Ok(a) => a,
        Err(e) => return back_to(&state, &signed, &back, Flash::Refused(e)).await,
    };
    let snapshot = match state.ready_snapshot() {
        Ok(s) => s,
        Err(e) => return back_to(&state, &signed, &back, Flash::Refused(e.message)).await,
    };
    // The reviewer is the signed-in key, never anything the form says.
    let actor = signed.session.key.id.clone();
    let outcome = crate::alerts::decide_now(&state, snapshot, id, action, actor, form.reason).await;
    let flash = match outcome {
        Ok(Ok(status)) => Flash::Done(signed.tr.f(
            "decided",
            &[
                ("id", id.into()),
                (
                    "status",
                    pages::status_name(&signed.tr, status.as_str()).into(),
                ),
            ],
        )),
        Ok(Err(DecideError::NotFound(_))) => return signed.no_alert(&id.to_string()),
        Ok(Err(e)) => Flash::Refused(describe(e)),
        Err(e) => Flash::Refused(e.message),
    };
    back_to(&state, &signed, &back, flash).await
}

#[derive(Debug, Deserialize)]
struct AssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    assignee: String,
}

/// `POST /ui/alerts/{id}/assign`: gives the alert to a reviewer, or back to the queue.
async fn assign_one(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    form: Result<Form<AssignForm>, FormRejection>,
) -> Response {
    let (signed, id, form) = match alert_form(&state, &headers, &uri, &id, form).await {
        Ok(posted) => posted,
        Err(response) => return *response,
    };
    let assignee = form.assignee.trim().to_string();
    let to = (!assignee.is_empty()).then(|| assignee.clone());
    let actor = signed.session.key.id.clone();
    let at = now();
    let outcome = state
        .with_store(move |store| crate::review::assign(store, id, to.as_deref(), &actor, &at))
        .await;
    let flash = match outcome {
        Ok(Ok(())) if assignee.is_empty() => {
            Flash::Done(signed.tr.f("assigned-none", &[("id", id.into())]))
        }
        Ok(Ok(())) => Flash::Done(signed.tr.f(
            "assigned",
            &[("id", id.into()), ("assignee", assignee.into())],
        )),
        Ok(Err(e)) => Flash::Refused(describe(e)),
        Err(e) => Flash::Refused(e.message),
    };
    back_to(&state, &signed, &format!("/ui/alerts/{id}"), flash).await
}

#[derive(Debug, Deserialize)]
struct NoteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
}

/// `POST /ui/alerts/{id}/notes`: a case note, kept in the history and the audit trail.
async fn add_note(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    form: Result<Form<NoteForm>, FormRejection>,
) -> Response {
    let (signed, id, form) = match alert_form(&state, &headers, &uri, &id, form).await {
        Ok(posted) => posted,
        Err(response) => return *response,
    };
    let back = format!("/ui/alerts/{id}");
    if let Err(e) = crate::review::note_text(&form.text) {
        return back_to(&state, &signed, &back, Flash::Refused(e)).await;
    }
    let actor = signed.session.key.id.clone();
    let at = now();
    let outcome = state
        .with_store(move |store| crate::review::note(store, id, &form.text, &actor, &at))
        .await;
    let flash = match outcome {
        Ok(Ok(())) => Flash::Done(signed.tr.f("noted", &[("id", id.into())])),
        Ok(Err(DecideError::NotFound(_))) => return signed.no_alert(&id.to_string()),
        Ok(Err(e)) => Flash::Refused(describe(e)),
        Err(e) => Flash::Refused(e.message),
    };
    back_to(&state, &signed, &back, flash).await
}

async fn screen_form(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let Some(signed) = signed_in(&state, &headers, &uri).await else {
        return to_login();
    };
    let body = pages::screen(
        &signed.tr,
        &pages::ScreenForm::default(),
        &signed.session.csrf,
        None,
    );
    signed.page(StatusCode::OK, &signed.t("screen-title"), None, &body)
}

/// `POST /ui/screen`: screens one name as `POST /v1/screen` does — an alert only
/// when the analyst ticked the box, raised in the analyst's name (`via` `ui`).
async fn screen(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<pages::ScreenForm>, FormRejection>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers, &uri).await else {
        return to_login();
    };
    let Ok(Form(form)) = form else {
        return signed.problem(StatusCode::BAD_REQUEST, "refused-title", "err-form", "");
    };
    if !same_token(&form.csrf, &signed.session.csrf) {
        return signed.refused_csrf();
    }
    let title = signed.t("screen-title");
    let refuse = |status: StatusCode, reason: String| {
        signed.page(
            status,
            &title,
            Some(&Flash::Refused(reason)),
            &pages::screen(&signed.tr, &form, &signed.session.csrf, None),
        )
    };
    let snapshot = match state.ready_snapshot() {
        Ok(s) => s,
        Err(e) => return refuse(e.status, e.message),
    };
    let given = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let fields = redline_matching::QueryFields {
        schema: given(&form.schema),
        birth_date: given(&form.birth_date),
        country: given(&form.country),
        ..redline_matching::QueryFields::new(form.name.trim().to_string())
    };
    let options = crate::v1::ScreenOptions {
        dry_run: form.raise != "on",
        ..crate::v1::ScreenOptions::default()
    };
    let origin = crate::v1::name_origin(&signed.session.key.id, "ui");
    match crate::v1::screen_one(&state, snapshot, fields, &options, origin).await {
        Ok(answer) => signed.page(
            StatusCode::OK,
            &title,
            None,
            &pages::screen(&signed.tr, &form, &signed.session.csrf, Some(&answer)),
        ),
        Err(e) => refuse(e.status, e.message),
    }
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
    uri: Uri,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers, &uri).await else {
        return to_login();
    };
    let params = match params {
        Ok(Query(p)) => p,
        Err(e) => return signed.refused_query(e),
    };
    let Some(snapshot) = state.snapshot() else {
        return signed.no_lists();
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
    let title = signed.t("search-title");
    if params.q.trim().is_empty() {
        return signed.page(
            StatusCode::OK,
            &title,
            None,
            &pages::search(&signed.tr, &form, None, 0, SEARCH_PAGE),
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
                &title,
                Some(&Flash::Refused(e)),
                &pages::search(&signed.tr, &form, None, 0, SEARCH_PAGE),
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
        Err(_) => return signed.busy(),
    };
    signed.page(
        StatusCode::OK,
        &format!("{title}: {}", params.q),
        None,
        &pages::search(&signed.tr, &form, Some(&results), params.page, SEARCH_PAGE),
    )
}

/// How many earlier versions of a list the entity page looks back through.
const HISTORY_DEPTH: usize = 20;

/// How the entity differs from the same entry in its list's earlier versions: the
/// fields changed against the version before, or since when it is unchanged.
fn entity_history(
    store: &dyn redline_store::Store,
    entity: &redline_model::Entity,
    current_version: &str,
) -> redline_store::Result<pages::EntityHistory> {
    // Oldest first from the store: newest first here.
    let versions: Vec<redline_store::ListVersion> = store
        .versions()?
        .into_iter()
        .filter(|v| v.source == entity.source)
        .collect();
    let now = serde_json::to_value(entity).unwrap_or(Value::Null);
    let older = versions
        .iter()
        .rev()
        .skip_while(|v| v.id != current_version)
        .skip(1)
        .take(HISTORY_DEPTH);
    let mut since = Some(current_version.to_string());
    for v in older {
        let Some(before) = store.entity(&v.id, &entity.id)? else {
            // Not in this earlier version: listed since the one after it.
            return Ok(pages::EntityHistory {
                since,
                changes: Vec::new(),
            });
        };
        let before = serde_json::to_value(&before).unwrap_or(Value::Null);
        if before == now {
            since = Some(v.id.clone());
            continue;
        }
        let mut changes = Vec::new();
        if let (Value::Object(b), Value::Object(n)) = (&before, &now) {
            let keys: std::collections::BTreeSet<&String> = b.keys().chain(n.keys()).collect();
            for k in keys {
                let (old, new) = (b.get(k), n.get(k));
                if old != new {
                    let show = |v: Option<&Value>| v.map(|v| v.to_string()).unwrap_or_default();
                    changes.push((format!("{k} ({})", v.id), show(old), show(new)));
                }
            }
        }
        return Ok(pages::EntityHistory { since, changes });
    }
    Ok(pages::EntityHistory {
        since,
        changes: Vec::new(),
    })
}

async fn entity(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers, &uri).await else {
        return to_login();
    };
    let Some(snapshot) = state.snapshot() else {
        return signed.no_lists();
    };
    let about = snapshot.ownership.as_ref().map(|v| v.about(&id));
    let Some(entity) = snapshot.index.entity(&id).cloned() else {
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
                &pages::ownership_party(&signed.tr, &id, about),
            );
        }
        return signed.problem(
            StatusCode::NOT_FOUND,
            "err-no-entity-title",
            "err-no-entity",
            &id,
        );
    };
    let version = snapshot.version_of(entity.source).map(|v| v.id.clone());
    let history = match version.clone() {
        Some(v) => {
            let e = entity.clone();
            state
                .with_store(move |store| entity_history(store, &e, &v))
                .await
                .ok()
                .and_then(Result::ok)
        }
        None => None,
    };
    let listings: Vec<Value> = snapshot
        .index
        .other_listings(&id)
        .iter()
        .filter_map(|l| serde_json::to_value(l).ok())
        .collect();
    signed.page(
        StatusCode::OK,
        &id,
        None,
        &pages::entity(
            &signed.tr,
            &entity,
            version.as_deref(),
            &listings,
            history.as_ref(),
            about.as_ref(),
        ),
    )
}

async fn lists(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let Some(signed) = signed_in(&state, &headers, &uri).await else {
        return to_login();
    };
    let Some(snapshot) = state.snapshot() else {
        return signed.no_lists();
    };
    let versions = serde_json::to_value(&snapshot.versions).unwrap_or(Value::Null);
    let body = pages::lists(
        &signed.tr,
        &versions,
        snapshot.index.entity_count(),
        snapshot.index.name_count(),
        &crate::rfc3339(snapshot.loaded_at),
    );
    signed.page(StatusCode::OK, &signed.t("lists-title"), None, &body)
}

#[derive(Debug, Deserialize, Default)]
struct AuditParams {
    #[serde(default)]
    alert: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    offset: String,
    #[serde(default)]
    verify: String,
}

impl AuditParams {
    /// The store's query, or what in the filters cannot be read.
    fn to_query(&self, limit: usize) -> Result<AuditQuery, String> {
        let given = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let alert_id = given(&self.alert)
            .map(|a| {
                a.trim_start_matches('#')
                    .parse::<i64>()
                    .map_err(|_| format!("alert: {a:?} is not an alert number"))
            })
            .transpose()?;
        // The trail's instants are RFC 3339 in UTC (`2026-12-07T10:00:00Z`) and compare
        // as text: a bound is a date or such an instant, nothing else.
        let shape = |v: &str| -> bool {
            let pattern: &[u8] = if v.len() == 10 {
                b"DDDD-DD-DD"
            } else {
                b"DDDD-DD-DDTDD:DD:DDZ"
            };
            v.len() == pattern.len()
                && v.bytes().zip(pattern).all(|(b, &p)| match p {
                    b'D' => b.is_ascii_digit(),
                    p => b == p,
                })
        };
        for (field, value) in [("from", &self.from), ("to", &self.to)] {
            if let Some(v) = given(value) {
                if !shape(&v) {
                    return Err(format!(
                        "{field}: {v:?} is not a date (YYYY-MM-DD) or a UTC instant (YYYY-MM-DDTHH:MM:SSZ)"
                    ));
                }
            }
        }
        Ok(AuditQuery {
            alert_id,
            actor: given(&self.actor),
            action: given(&self.action),
            from: given(&self.from),
            to: given(&self.to),
            offset: given(&self.offset)
                .map(|o| {
                    o.parse::<usize>()
                        .map_err(|_| format!("offset: {o:?} is not a number"))
                })
                .transpose()?
                .unwrap_or(0),
            limit,
        })
    }

    /// The filters as a query string carries them (no paging, no verification).
    fn filters(&self) -> Vec<(&'static str, String)> {
        vec![
            ("alert", self.alert.clone()),
            ("actor", self.actor.clone()),
            ("action", self.action.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
        ]
    }
}

/// `/ui/audit`: the trail newest first, filtered by alert, actor, action and dates,
/// paged; the chain is verified when the analyst asks (`verify=1`), since walking a
/// long chain on every page view would make the page slow for everyone.
async fn audit(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    params: Result<Query<AuditParams>, QueryRejection>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers, &uri).await else {
        return to_login();
    };
    let params = match params {
        Ok(Query(p)) => p,
        Err(e) => return signed.refused_query(e),
    };
    let title = signed.t("audit-title");
    let filters = params.filters();
    let labels = key_labels(&state).await;
    let label = label_of(&labels);
    let query = match params.to_query(AUDIT_PAGE) {
        Ok(q) => q,
        Err(e) => {
            let view = pages::AuditView {
                params: &filters,
                entries: &[],
                total: 0,
                offset: 0,
                limit: AUDIT_PAGE,
                verification: None,
                labels: &label,
            };
            return signed.page(
                StatusCode::BAD_REQUEST,
                &title,
                Some(&Flash::Refused(e)),
                &pages::audit(&signed.tr, &view),
            );
        }
    };
    let verify = params.verify == "1";
    let offset = query.offset;
    let read = state
        .with_store(move |store| -> redline_store::Result<_> {
            let verification = if verify {
                Some(store.verify_audit()?)
            } else {
                None
            };
            Ok((verification, store.audit_page(&query)?))
        })
        .await;
    let (verification, page) = match read {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return signed.store_failed(e),
        Err(e) => return signed.store_failed(e.message),
    };
    let view = pages::AuditView {
        params: &filters,
        entries: &page.entries,
        total: page.total,
        offset,
        limit: AUDIT_PAGE,
        verification: verification.as_ref(),
        labels: &label,
    };
    signed.page(
        StatusCode::OK,
        &title,
        None,
        &pages::audit(&signed.tr, &view),
    )
}

/// `/ui/audit/export.csv?<the page's filters>`: every entry they select (up to
/// [`EXPORT_LIMIT`]), newest first.
async fn export_audit(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    params: Result<Query<AuditParams>, QueryRejection>,
) -> Response {
    let Some(signed) = signed_in(&state, &headers, &uri).await else {
        return to_login();
    };
    let params = match params {
        Ok(Query(p)) => p,
        Err(e) => return signed.refused_query(e),
    };
    let mut query = match params.to_query(redline_store::MAX_PAGE) {
        Ok(q) => q,
        Err(e) => {
            return signed.problem(StatusCode::BAD_REQUEST, "refused-title", "err-filters", &e)
        }
    };
    let labels = key_labels(&state).await;
    let filters = json!(params
        .filters()
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect::<HashMap<_, _>>());
    let tr = signed.tr;
    export_csv(
        &state,
        &signed,
        "audit",
        filters,
        move |store, offset| {
            query.offset = offset;
            Ok(store.audit_page(&query)?.entries)
        },
        |entries| pages::audit_csv(&tr, entries, &label_of(&labels)),
    )
    .await
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
