//! `POST /v1/compare`: are two records the same party?
//!
//! Two FollowTheMoney-shaped entities in, the engine's score, its same-party decision
//! at the threshold and the explanation out (see `redline_matching::compare`). The
//! loaded lists serve only as the measure of how common each word is, so the answer
//! names their versions: the same pair and versions give the same answer.

use axum::extract::State;
use axum::Json;
use redline_matching::{check_threshold, DEFAULT_THRESHOLD};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiError, JsonBody};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    left: Value,
    right: Value,
    #[serde(default)]
    threshold: Option<f64>,
}

pub async fn compare(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<CompareRequest>,
) -> Result<Json<Value>, ApiError> {
    let snapshot = state.ready_snapshot()?;
    let threshold = check_threshold(request.threshold.unwrap_or(DEFAULT_THRESHOLD))
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let read = |value: Value, side: &str| {
        redline_sources::opensanctions::parse_entity(value, side)
            .map(|(entity, _)| entity)
            .map_err(|e| ApiError::bad_request(format!("{side}: {e}")))
    };
    let left = read(request.left, "left")?;
    let right = read(request.right, "right")?;
    let engine = snapshot.clone();
    let comparison = state
        .screen_job(move || redline_matching::compare(&left, &right, &engine.index, threshold))
        .await?;
    Ok(Json(json!({
        "score": comparison.score,
        "same": comparison.same,
        "threshold": threshold,
        "list_versions": snapshot.version_ids(),
        "explanation": comparison.explanation,
    })))
}
