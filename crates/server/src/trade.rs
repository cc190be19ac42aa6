//! Trade screening as the service and the CLI both do it: parties, goods (CHPL by HS
//! code and description) and route into one decision, recorded with its input and
//! versions, with an alert when it is not `PASS`.

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use redline_goods::{screen_trade, GoodsList, RoutePolicy, Trade};
use redline_matching::Index;
use redline_store::{NewDecision, Store};
use serde_json::{json, Value};

use crate::error::{parse_json, ApiError};
use crate::state::{AppState, Snapshot};

/// Screens a parsed trade against `index` with the built-in goods list and route policy.
pub fn screen(trade: &Trade, index: &Index) -> Value {
    screen_with(trade, index, GoodsList::builtin(), RoutePolicy::builtin())
}

/// Screens with an operator's goods list (e.g. EU Annex XXIII in the CHPL's CSV shape)
/// and route policy.
pub fn screen_with(trade: &Trade, index: &Index, goods: &GoodsList, routes: &RoutePolicy) -> Value {
    json!(screen_trade(trade, index, goods, routes))
}

/// Screens a trade against a snapshot and answers it as it is recorded: reasons on
/// parties blocked by ownership carry the rule and path. The service and the CLI
/// both decide through this.
pub fn decide(
    trade: &Trade,
    snapshot: &Snapshot,
    goods: &GoodsList,
    routes: &RoutePolicy,
) -> Value {
    let mut answer = screen_with(trade, &snapshot.index, goods, routes);
    if let Some(view) = &snapshot.ownership {
        view.annotate(&mut answer["reasons"]);
    }
    answer
}

/// Records a trade decision (and its alert when not `PASS`), all in one transaction;
/// returns the ids.
pub fn record(
    store: &mut dyn Store,
    index: &Index,
    input: &[u8],
    answer: &Value,
    actor: &str,
    at: &str,
) -> redline_store::Result<(i64, Option<i64>)> {
    redline_store::atomically(store, |store| {
        record_in(store, index, input, answer, actor, at)
    })
}

fn record_in(
    store: &mut dyn Store,
    index: &Index,
    input: &[u8],
    answer: &Value,
    actor: &str,
    at: &str,
) -> redline_store::Result<(i64, Option<i64>)> {
    let verdict = answer["decision"].as_str().unwrap_or("HOLD").to_string();
    let input_sha256 = redline_store::sha256_hex(input);
    let policy_version = format!(
        "{} + {}",
        answer["route_policy_version"].as_str().unwrap_or(""),
        answer["goods_list_version"].as_str().unwrap_or("")
    );
    let id = store.record_decision(&NewDecision {
        kind: "trade".into(),
        created_at: at.to_string(),
        input: input.to_vec(),
        input_sha256: input_sha256.clone(),
        list_versions: index.versions().to_vec(),
        policy_version: Some(policy_version),
        verdict: verdict.clone(),
        body: answer.clone(),
    })?;
    store.append_audit(
        at,
        "screening.trade",
        actor,
        &json!({"decision_id": id, "decision": verdict, "input_sha256": input_sha256}),
    )?;
    if verdict == "PASS" {
        return Ok((id, None));
    }
    let reasons: Vec<Value> = answer["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["action"].as_str() != Some("PASS"))
        .cloned()
        .collect();
    let subject = json!({"input_sha256": input_sha256, "decision": verdict, "decision_id": id});
    let raised = crate::review::raise(
        store,
        index,
        &crate::review::Raising {
            kind: "trade",
            subject_key: &input_sha256,
            subject: &subject,
            matches: &reasons,
            decision_id: Some(id),
            origin: redline_store::AlertOrigin {
                via: "trade".into(),
                by: actor.to_string(),
                threshold: None,
            },
            at,
        },
    )?;
    Ok((id, raised.alert_id))
}

/// `POST /v1/trade/screen`: a trade transaction as JSON.
pub async fn screen_route(
    State(state): State<AppState>,
    caller: Option<axum::Extension<crate::auth::Caller>>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let body = body.map_err(crate::error::body_error)?;
    let trade: Trade = parse_json(&body)?;
    let snapshot = state.ready_snapshot()?;
    let engine = snapshot.clone();
    let engine_lists = state.0.trade_lists.clone();
    let mut answer = state
        .screen_job(move || decide(&trade, &engine, &engine_lists.0, &engine_lists.1))
        .await?;
    let actor = caller.map_or_else(|| "-".to_string(), |c| c.0 .0.id.clone());
    let at = crate::rfc3339(std::time::SystemTime::now());
    snapshot.note_stale_lists(&mut answer, &state.config().freshness, &at);
    let input = body.to_vec();
    let to_record = answer.clone();
    let (id, alert) = state
        .with_store(move |store| record(store, &snapshot.index, &input, &to_record, &actor, &at))
        .await?
        .map_err(|e| ApiError::internal(format!("the decision could not be recorded: {e}")))?;
    answer["decision_id"] = json!(id);
    if let Some(alert) = alert {
        answer["alert_id"] = json!(alert);
    }
    state
        .0
        .metrics
        .screened("trade", 1, u64::from(answer["decision"] != "PASS"));
    Ok(Json(answer))
}
