//! Payment screening as the service and the CLI both do it: screen the raw message,
//! record the decision with its input, list versions and policy version, and append it
//! to the audit trail — so every decision can be replayed to the same result.
//!
//! Fail closed: a message that cannot be parsed, or arrives while no list is loaded,
//! is recorded and answered as `HOLD` with the error; it is never `PASS`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use redline_matching::Index;
use redline_payments::{screen_bytes, Decision, ListLookups, Policy, ScreenError};
use redline_store::{ListVersion, NewDecision, Store};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::state::{AppState, Snapshot};

/// Screens a message against a snapshot (none: no lists loaded) and answers it as
/// it is recorded: hits on parties blocked by ownership carry the rule and path, and
/// the policy's `[lists]` rule holds a payment screened against a list too old at
/// `at`, the decision's time. The service, the CLI and `audit replay` (with the
/// recorded time) all decide through this, so a replay compares like with like. Also
/// says whether the answer is "no lists".
pub fn decide(
    input: &[u8],
    snapshot: Option<&Snapshot>,
    policy: &Policy,
    at: &str,
) -> (Value, bool) {
    let empty = ListLookups::default();
    let (index, lookups) = match snapshot {
        Some(s) => (Some(&s.index), &s.lookups),
        None => (None, &empty),
    };
    let versions = index.map(|i| i.versions().to_vec()).unwrap_or_default();
    let result = screen_bytes(input, index, lookups, policy);
    let no_lists = matches!(result, Err(ScreenError::NoLists));
    let mut answer = answer(&result, policy, &versions);
    if let Some(view) = snapshot.and_then(|s| s.ownership.as_ref()) {
        view.annotate(&mut answer["hits"]);
    }
    if let Some(s) = snapshot {
        hold_on_old_lists(&mut answer, &s.versions, policy, at);
    }
    (answer, no_lists)
}

/// Whether a replayed decision is the recorded one: the same body, apart from the
/// operator's stale-list note (see [`Snapshot::note_stale_lists`]).
pub fn same_decision(recorded: &Value, replayed: &Value) -> bool {
    let without = |v: &Value| {
        let mut v = v.clone();
        if let Some(map) = v.as_object_mut() {
            map.remove("stale_lists");
        }
        v
    };
    without(recorded) == without(replayed)
}

/// The policy's `[lists]` rule: a required list older than `hold_after_days` at the
/// decision's time, or not loaded at all, holds the payment (a hit each, saying which
/// list and how old). A screening against last year's list is not a clean answer.
fn hold_on_old_lists(answer: &mut Value, versions: &[ListVersion], policy: &Policy, at: &str) {
    let rules = policy.lists();
    let Some(limit) = rules.hold_after_days else {
        return;
    };
    let required = |v: &ListVersion| {
        rules.required.is_empty() || rules.required.iter().any(|r| r == v.source.as_str())
    };
    let mut hits: Vec<Value> = versions
        .iter()
        .filter(|v| required(v))
        .filter_map(|v| {
            let (dated, dated_by, days) = redline_store::freshness::age_days(v, at);
            (days > i64::from(limit)).then(|| {
                json!({
                    "field": "lists",
                    "value": v.id,
                    "kind": "stale_list",
                    "action": "HOLD",
                    "reason": format!(
                        "list {} ({dated_by} {dated}) is {days} days old at the decision, past the policy's {limit} days: held until the list is updated",
                        v.id
                    ),
                })
            })
        })
        .collect();
    for source in &rules.required {
        if !versions.iter().any(|v| v.source.as_str() == source) {
            hits.push(json!({
                "field": "lists",
                "value": source,
                "kind": "stale_list",
                "action": "HOLD",
                "reason": format!("required list {source} is not loaded: held until it is"),
            }));
        }
    }
    if hits.is_empty() {
        return;
    }
    if answer["decision"] == "PASS" {
        answer["decision"] = json!("HOLD");
    }
    match answer["hits"].as_array_mut() {
        Some(existing) => existing.extend(hits),
        None => answer["hits"] = Value::Array(hits),
    }
}

/// The JSON answer for a screened (or unscreenable) message, before recording.
pub fn answer(
    result: &Result<Decision, ScreenError>,
    policy: &Policy,
    versions: &[String],
) -> Value {
    match result {
        Ok(decision) => json!(decision),
        Err(e) => json!({
            // Fail closed: what could not be screened is held for a person to look at.
            "decision": "HOLD",
            "error": e.to_string(),
            "list_versions": versions,
            "policy_version": policy.version(),
            "hits": [],
        }),
    }
}

/// Records a payment decision and its audit entry, and raises an alert for a payment
/// that is not `PASS`, all in one transaction; returns the decision id and the alert
/// id.
#[allow(clippy::too_many_arguments)]
pub fn record(
    store: &mut dyn Store,
    index: Option<&Index>,
    input: &[u8],
    answer: &Value,
    policy: &Policy,
    policy_text: &str,
    actor: &str,
    at: &str,
) -> redline_store::Result<(i64, Option<i64>)> {
    redline_store::atomically(store, |store| {
        record_in(store, index, input, answer, policy, policy_text, actor, at)
    })
}

#[allow(clippy::too_many_arguments)]
fn record_in(
    store: &mut dyn Store,
    index: Option<&Index>,
    input: &[u8],
    answer: &Value,
    policy: &Policy,
    policy_text: &str,
    actor: &str,
    at: &str,
) -> redline_store::Result<(i64, Option<i64>)> {
    store.save_policy(policy.version(), policy_text)?;
    let versions: Vec<String> = answer["list_versions"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let verdict = answer["decision"].as_str().unwrap_or("HOLD").to_string();
    let input_sha256 = redline_store::sha256_hex(input);
    let id = store.record_decision(&NewDecision {
        kind: "payment".into(),
        created_at: at.to_string(),
        input: input.to_vec(),
        input_sha256: input_sha256.clone(),
        list_versions: versions.clone(),
        policy_version: Some(policy.version().to_string()),
        verdict: verdict.clone(),
        body: answer.clone(),
    })?;
    store.append_audit(
        at,
        "screening.payment",
        actor,
        &json!({
            "decision_id": id,
            "decision": verdict,
            "message_sha256": input_sha256,
            "list_versions": versions,
            "policy_version": policy.version(),
            "hits": answer["hits"].as_array().map_or(0, Vec::len),
            "error": answer.get("error"),
        }),
    )?;
    if verdict == "PASS" {
        return Ok((id, None));
    }
    // The alert lists every hit; an unscreenable message is an alert with its error.
    let mut hits: Vec<Value> = answer["hits"].as_array().cloned().unwrap_or_default();
    if let Some(error) = answer.get("error") {
        hits.push(json!({"kind": "error", "reason": error, "action": "HOLD"}));
    }
    let subject = json!({
        "message_type": answer.get("message_type"),
        "message_id": answer.get("message_id"),
        "message_sha256": input_sha256,
        "decision": verdict,
        "decision_id": id,
    });
    let empty;
    let index = match index {
        Some(index) => index,
        None => {
            empty = Index::build(Vec::new(), Vec::new());
            &empty
        }
    };
    let raised = crate::review::raise(
        store,
        index,
        &crate::review::Raising {
            kind: "payment",
            subject_key: &input_sha256,
            subject: &subject,
            matches: &hits,
            decision_id: Some(id),
            origin: redline_store::AlertOrigin {
                via: "payment".into(),
                by: actor.to_string(),
                threshold: None,
            },
            at,
        },
    )?;
    Ok((id, raised.alert_id))
}

/// `?policy=`: screen under a shipped profile instead of the server's policy.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ScreenParams {
    policy: Option<String>,
}

/// The policy a request asks for: the server's own (by default or by its name), or
/// a shipped profile by name; any other name is refused, never ignored.
fn requested_policy(
    state: &AppState,
    name: Option<&str>,
) -> Result<std::sync::Arc<(Policy, String)>, ApiError> {
    let configured = state.0.payment_policy.clone();
    match name {
        None => Ok(configured),
        Some(n) if n == configured.0.name() => Ok(configured),
        Some(n) => Policy::named(n).map(std::sync::Arc::new).ok_or_else(|| {
            ApiError::bad_request(format!(
                "policy {n:?} is not known: use {}, or the server's policy {:?}",
                Policy::NAMED.join(" or "),
                configured.0.name()
            ))
        }),
    }
}

/// `POST /v1/payments/screen`: the raw ISO 20022 XML or SWIFT MT message as the body.
pub async fn screen_route(
    State(state): State<AppState>,
    caller: Option<axum::Extension<crate::auth::Caller>>,
    params: axum::extract::Query<ScreenParams>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = body.map_err(crate::error::body_error)?;
    let snapshot = state.snapshot();
    let policy = requested_policy(&state, params.policy.as_deref())?;
    let input = body.to_vec();
    let job_input = input.clone();
    let job_policy = policy.clone();
    let at = crate::rfc3339(std::time::SystemTime::now());
    let job_at = at.clone();
    let job_snapshot = snapshot.clone();
    let (mut answer, no_lists) = state
        .screen_job(move || decide(&job_input, job_snapshot.as_deref(), &job_policy.0, &job_at))
        .await?;
    if let Some(s) = &snapshot {
        s.note_stale_lists(&mut answer, &state.config().freshness, &at);
    }
    let actor = caller
        .map(|c| c.0 .0.id.clone())
        .unwrap_or_else(|| "-".into());
    let to_record = answer.clone();
    let snapshot = state.snapshot();
    let (id, alert) = state
        .with_store(move |store| {
            let index = snapshot.as_ref().map(|s| &s.index);
            record(
                store, index, &input, &to_record, &policy.0, &policy.1, &actor, &at,
            )
        })
        .await?
        .map_err(|e| ApiError::internal(format!("the decision could not be recorded: {e}")))?;
    answer["decision_id"] = json!(id);
    if let Some(alert) = alert {
        answer["alert_id"] = json!(alert);
    }
    let verdict = answer["decision"].as_str().unwrap_or("HOLD");
    state
        .0
        .metrics
        .screened("payment", 1, u64::from(verdict != "PASS"));
    let status = if no_lists {
        StatusCode::SERVICE_UNAVAILABLE
    } else if answer.get("error").is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Json(answer)))
}
