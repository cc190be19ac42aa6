//! `/v1/alerts`: the review queue over HTTP. The reviewer is always the caller's API
//! key — never a name in the request body — so the four-eyes rule cannot be met by
//! one key claiming to be two people.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use redline_alerts::Action;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::{ApiError, JsonBody};
use crate::review::DecideError;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct ListParams {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    limit: Option<usize>,
}

/// `GET /v1/alerts?status=open&kind=payment&limit=100`.
pub async fn list(
    State(state): State<AppState>,
    Query(p): Query<ListParams>,
) -> Result<Json<Value>, ApiError> {
    if let Some(s) = p.status.as_deref().filter(|s| *s != "open") {
        s.parse::<redline_alerts::Status>()
            .map_err(|e| ApiError::bad_request(format!("status: {e}")))?;
    }
    let limit = p.limit.unwrap_or(100).clamp(1, 1000);
    let alerts = state
        .with_store(move |store| store.alerts(p.status.as_deref(), p.kind.as_deref(), limit))
        .await?
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(Json(json!({ "alerts": alerts })))
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
fn refused(id: i64, e: DecideError) -> ApiError {
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
