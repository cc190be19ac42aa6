//! `/v1/alerts`: the review queue over HTTP. The reviewer is always the caller's API
//! key — never a name in the request body — so the four-eyes rule cannot be met by
//! one key claiming to be two people.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use redline_alerts::Action;
use redline_store::{AlertQuery, AlertSort};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::{ApiError, JsonBody};
use crate::review::DecideError;
use crate::state::AppState;

/// The queue's filters, sort and page as a query string carries them: what
/// `GET /v1/alerts` and the UI's queue (and its CSV export) share.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
pub struct QueueParams {
    /// A review status, `open` (every status still in the queue) or `all`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    /// A list id: alerts with a match on it.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub program: Option<String>,
    #[serde(default)]
    pub min_score: Option<String>,
    #[serde(default)]
    pub max_score: Option<String>,
    /// A reviewer, or `-` for alerts nobody has taken.
    #[serde(default)]
    pub assignee: Option<String>,
    /// Raised at least this many days ago.
    #[serde(default)]
    pub older_than_days: Option<String>,
    /// `oldest` (the open queue's default), `newest` (the default otherwise),
    /// `score`, `updated`.
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub offset: Option<String>,
    #[serde(default)]
    pub limit: Option<String>,
}

/// A query-string field left empty (as an HTML form sends it) is no filter.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn number<T: std::str::FromStr>(field: &str, v: &Option<String>) -> Result<Option<T>, String> {
    given(v)
        .map(|s| {
            s.parse::<T>()
                .map_err(|_| format!("{field}: {s:?} is not a number"))
        })
        .transpose()
}

impl QueueParams {
    /// The store query, every value checked: a filter that cannot be read is refused,
    /// never dropped (a reviewer must not think a filtered queue is the whole one).
    /// Without a status, `default_status`: the API answers every status (as it always
    /// has), the UI's queue the open ones.
    pub fn to_query(
        &self,
        default_limit: usize,
        default_status: &str,
    ) -> Result<AlertQuery, String> {
        let status = given(&self.status).unwrap_or(default_status).to_string();
        if !matches!(status.as_str(), "open" | "all") {
            status
                .parse::<redline_alerts::Status>()
                .map_err(|e| format!("status: {e}"))?;
        }
        if let Some(kind) = given(&self.kind) {
            if !KINDS.contains(&kind) {
                return Err(format!("kind: {kind:?} is not one of {}", KINDS.join(", ")));
            }
        }
        let score = |field: &str, v: &Option<String>| -> Result<Option<f64>, String> {
            let s: Option<f64> = number(field, v)?;
            match s {
                Some(x) if !(0.0..=1.0).contains(&x) => {
                    Err(format!("{field}: {x} is outside 0 to 1"))
                }
                other => Ok(other),
            }
        };
        let sort = match given(&self.sort) {
            Some(s) => s.parse::<AlertSort>().map_err(|e| format!("sort: {e}"))?,
            None if status == "open" => AlertSort::Oldest,
            None => AlertSort::Newest,
        };
        let older: Option<u64> = number("older_than_days", &self.older_than_days)?;
        let limit: Option<usize> = number("limit", &self.limit)?;
        Ok(AlertQuery {
            status: Some(status),
            kind: given(&self.kind).map(str::to_string),
            source: given(&self.source).map(str::to_string),
            program: given(&self.program).map(str::to_string),
            min_score: score("min_score", &self.min_score)?,
            max_score: score("max_score", &self.max_score)?,
            assignee: given(&self.assignee).map(|a| {
                if a == "-" {
                    String::new()
                } else {
                    a.to_string()
                }
            }),
            raised_before: older.map(|days| {
                let cutoff = std::time::SystemTime::now()
                    .checked_sub(std::time::Duration::from_secs(days.saturating_mul(86_400)))
                    .unwrap_or(std::time::SystemTime::UNIX_EPOCH);
                crate::rfc3339(cutoff)
            }),
            sort,
            offset: number::<usize>("offset", &self.offset)?
                .filter(|o| *o <= MAX_OFFSET)
                .map_or_else(
                    || match given(&self.offset) {
                        Some(o) => Err(format!("offset: {o} is beyond {MAX_OFFSET}")),
                        None => Ok(0),
                    },
                    Ok,
                )?,
            limit: limit
                .unwrap_or(default_limit)
                .clamp(1, redline_store::MAX_PAGE),
        })
    }
}

/// The furthest a page may start: far beyond any queue, and far from overflowing.
const MAX_OFFSET: usize = 1 << 40;

/// The kinds of alert a screening raises.
pub const KINDS: [&str; 4] = ["name", "subject", "payment", "trade"];

/// `GET /v1/alerts?status=open&kind=payment&sort=oldest&offset=900&limit=100`: a page
/// of the queue and the `total` its filters hold. Without `status`, every status,
/// newest first, as before paging existed.
pub async fn list(
    State(state): State<AppState>,
    Query(p): Query<QueueParams>,
) -> Result<Json<Value>, ApiError> {
    let query = p.to_query(100, "all").map_err(ApiError::bad_request)?;
    let (offset, limit) = (query.offset, query.limit);
    let page = state
        .with_store(move |store| store.alert_page(&query))
        .await?
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(Json(
        json!({ "alerts": page.alerts, "total": page.total, "offset": offset, "limit": limit }),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    text: String,
}

/// `POST /v1/alerts/{id}/notes` `{"text": "…"}`: a case note, kept in the alert's
/// history and the audit trail; it changes no status.
pub async fn note(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<NoteBody>,
) -> Result<Json<Value>, ApiError> {
    crate::review::note_text(&body.text).map_err(ApiError::bad_request)?;
    let actor = caller.0.id.clone();
    let at = crate::rfc3339(std::time::SystemTime::now());
    let outcome = state
        .with_store(move |store| crate::review::note(store, id, &body.text, &actor, &at))
        .await?;
    outcome.map_err(|e| refused(id, e))?;
    Ok(Json(json!({"alert_id": id, "noted": true})))
}

/// `GET /v1/alerts/{id}`: the alert with its review history.
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let found = state
        .with_store(move |store| -> redline_store::Result<Option<Value>> {
            let Some(alert) = store.alert(id)? else {
                return Ok(None);
            };
            let actions = store.alert_actions(id)?;
            Ok(Some(json!({"alert": alert, "actions": actions})))
        })
        .await?
        .map_err(|e| ApiError::internal(e.to_string()))?;
    found
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no alert {id}")))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideBody {
    action: String,
    reason: String,
}

/// `POST /v1/alerts/{id}/decide` `{"action": "false_positive", "reason": "…"}`.
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<DecideBody>,
) -> Result<Json<Value>, ApiError> {
    let action: Action = body
        .action
        .parse()
        .map_err(|e: String| ApiError::bad_request(format!("action: {e}")))?;
    let snapshot = state.ready_snapshot()?;
    let outcome = decide_now(
        &state,
        snapshot,
        id,
        action,
        caller.0.id.clone(),
        body.reason,
    )
    .await?;
    let status = outcome.map_err(|e| refused(id, e))?;
    Ok(Json(json!({"alert_id": id, "status": status})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    /// The reviewer to give the alert to; null gives it back to the queue.
    assignee: Option<String>,
}

/// `POST /v1/alerts/{id}/assign` `{"assignee": "alice"}`.
pub async fn assign(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<AssignBody>,
) -> Result<Json<Value>, ApiError> {
    let actor = caller.0.id.clone();
    let at = crate::rfc3339(std::time::SystemTime::now());
    let assignee = body.assignee.filter(|a| !a.trim().is_empty());
    let to = assignee.clone();
    let outcome = state
        .with_store(move |store| crate::review::assign(store, id, to.as_deref(), &actor, &at))
        .await?;
    outcome.map_err(|e| refused(id, e))?;
    Ok(Json(json!({"alert_id": id, "assignee": assignee})))
}

/// Takes a review step now, as `actor` (the authenticated key), under the service's
/// second-review bar: the API and the web UI both decide through here.
pub(crate) async fn decide_now(
    state: &AppState,
    snapshot: std::sync::Arc<crate::state::Snapshot>,
    id: i64,
    action: Action,
    actor: String,
    reason: String,
) -> Result<Result<redline_alerts::Status, DecideError>, ApiError> {
    let at = crate::rfc3339(std::time::SystemTime::now());
    let second_review_from = state.config().second_review_from;
    state
        .with_store(move |store| {
            let review = crate::review::Review {
                action,
                actor: &actor,
                reason: &reason,
                at: &at,
                second_review_from,
            };
            crate::review::decide(store, &snapshot.index, id, review)
        })
        .await
}

/// A review step the rules or the store refused, as the API answers it.
pub(crate) fn refused(id: i64, e: DecideError) -> ApiError {
    match e {
        DecideError::NotFound(_) => ApiError::not_found(format!("no alert {id}")),
        DecideError::Rule(e) => ApiError::new(StatusCode::CONFLICT, "review_rule", e.to_string()),
        DecideError::Store(e) => ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string()),
    }
}

#[derive(Debug, Deserialize)]
pub struct SuppressionParams {
    /// Revoked suppressions too.
    #[serde(default)]
    all: bool,
    #[serde(default)]
    limit: Option<usize>,
}

/// `GET /v1/suppressions?all=true&limit=100`: remembered false positives, newest first.
pub async fn suppressions(
    State(state): State<AppState>,
    Query(p): Query<SuppressionParams>,
) -> Result<Json<Value>, ApiError> {
    let limit = p.limit.unwrap_or(100).clamp(1, 1000);
    let found = state
        .with_store(move |store| store.suppressions(p.all, limit))
        .await?
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let described: Vec<Value> = found
        .iter()
        .map(|d| {
            let mut v = json!(d);
            v["approved_by"] = json!(d.approved_by());
            v
        })
        .collect();
    Ok(Json(json!({ "suppressions": described })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokeBody {
    reason: String,
}

/// `POST /v1/suppressions/{id}/revoke` `{"reason": "…"}`: the match alerts again.
pub async fn revoke_suppression(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Extension(caller): Extension<Caller>,
    JsonBody(body): JsonBody<RevokeBody>,
) -> Result<Json<Value>, ApiError> {
    let actor = caller.0.id.clone();
    let at = crate::rfc3339(std::time::SystemTime::now());
    let outcome = state
        .with_store(move |store| {
            crate::review::revoke_suppression(store, id, &actor, &body.reason, &at)
        })
        .await?;
    let revoked = outcome.map_err(|e| match e {
        DecideError::Rule(e) => ApiError::bad_request(e.to_string()),
        DecideError::Store(e @ redline_store::StoreError::Invalid(_)) => {
            ApiError::not_found(e.to_string())
        }
        DecideError::Store(e) => ApiError::internal(e.to_string()),
        DecideError::NotFound(_) => ApiError::not_found(format!("no suppression {id}")),
    })?;
    Ok(Json(json!({ "revoked": revoked })))
}
