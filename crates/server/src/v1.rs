//! Redline's own API under `/v1`: screening, entities, list versions, reload.
//!
//! `POST /v1/screen` takes the same fields as a line of `redline screen --input` and
//! answers with the same match objects as `redline screen --json`, so a query moves
//! between the command line and the service unchanged.

use axum::extract::{Path, State};
use axum::Json;
use redline_matching::{
    check_request, check_threshold, Options, QueryFields, DEFAULT_THRESHOLD, QUERY_FIELDS,
};
use redline_model::SourceId;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{from_value, ApiError};
use crate::state::AppState;

/// Options shared by a single query and a batch.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScreenOptions {
    #[serde(default)]
    pub threshold: Option<f64>,
    #[serde(default)]
    pub limit: Option<usize>,
    /// Restrict to these sources (empty: all).
    #[serde(default)]
    pub sources: Vec<SourceId>,
    /// Screen without raising alerts (a what-if).
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchRequest {
    queries: Vec<QueryFields>,
    #[serde(default)]
    threshold: Option<f64>,
    #[serde(default)]
    limit: Option<usize>,
    #[serde(default)]
    sources: Vec<SourceId>,
    #[serde(default)]
    dry_run: bool,
}

/// The option fields of a single-query body, beside [`QUERY_FIELDS`].
const OPTION_FIELDS: [&str; 4] = ["threshold", "limit", "sources", "dry_run"];

/// Refuses a query object with a field Redline does not read (`birthdate`,
/// `colour`): silently ignored, it would look like a screening that used it.
fn known_fields(query: &serde_json::Map<String, Value>, at: &str) -> Result<(), ApiError> {
    match query
        .keys()
        .find(|k| !QUERY_FIELDS.contains(&k.as_str()) && !OPTION_FIELDS.contains(&k.as_str()))
    {
        Some(k) => Err(ApiError::bad_request(format!(
            "{at}{k}: unknown field; a query has {}",
            QUERY_FIELDS.join(", ")
        ))),
        None => Ok(()),
    }
}

/// Most matches one query may ask for.
const MAX_LIMIT: usize = 100;

impl ScreenOptions {
    fn resolve(&self) -> Result<Options, ApiError> {
        let threshold = check_threshold(self.threshold.unwrap_or(DEFAULT_THRESHOLD))
            .map_err(|e| ApiError::bad_request(e.to_string()))?;
        let limit = self.limit.unwrap_or(10);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(format!(
                "limit: {limit} is outside 1..={MAX_LIMIT}"
            )));
        }
        Ok(Options { threshold, limit })
    }
}

/// Splits a single-query body into its query fields and options.
fn single_request(body: Value) -> Result<(QueryFields, ScreenOptions), ApiError> {
    let Value::Object(map) = body else {
        return Err(ApiError::bad_request("the body must be a JSON object"));
    };
    known_fields(&map, "")?;
    let mut query = serde_json::Map::new();
    let mut options = serde_json::Map::new();
    for (k, v) in map {
        let target = if OPTION_FIELDS.contains(&k.as_str()) {
            &mut options
        } else {
            &mut query
        };
        target.insert(k, v);
    }
    let query = from_value(Value::Object(query))?;
    let options = from_value(Value::Object(options))?;
    Ok((query, options))
}

/// `POST /v1/screen`: one query, or `{"queries": [...]}` of up to `max_batch`.
pub async fn screen(
    State(state): State<AppState>,
    caller: Option<axum::Extension<crate::auth::Caller>>,
    crate::error::JsonBody(body): crate::error::JsonBody<Value>,
) -> Result<Json<Value>, ApiError> {
    let snapshot = state.ready_snapshot()?;
    let actor = caller.map_or_else(|| "-".to_string(), |c| c.0 .0.id.clone());
    if body.get("queries").is_none() {
        let (fields, options) = single_request(body)?;
        let origin = name_origin(&actor, "api");
        return Ok(Json(
            screen_one(&state, snapshot, fields, &options, origin).await?,
        ));
    }
    if let Some(queries) = body.get("queries").and_then(Value::as_array) {
        for (i, q) in queries.iter().enumerate() {
            if let Some(map) = q.as_object() {
                known_fields(map, &format!("queries[{i}]."))?;
            }
        }
    }
    let batch: BatchRequest = from_value(body)?;
    let max = state.config().max_batch;
    if batch.queries.len() > max {
        return Err(ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
            format!(
                "queries: {} queries; at most {max} per request",
                batch.queries.len()
            ),
        ));
    }
    let options = ScreenOptions {
        threshold: batch.threshold,
        limit: batch.limit,
        sources: batch.sources,
        dry_run: batch.dry_run,
    };
    let opts = options.resolve()?;
    check_request(
        &snapshot.index,
        &redline_matching::Query {
            sources: options.sources.clone(),
            ..Default::default()
        },
        &opts,
    )
    .map_err(|e| ApiError::bad_request(e.to_string()))?;
    // A batch is all or nothing: one unreadable query rejects it, naming the query.
    let queries = batch
        .queries
        .iter()
        .enumerate()
        .map(|(i, q)| {
            q.to_query(&options.sources)
                .map_err(|e| ApiError::bad_request(format!("queries[{i}].{e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let fields_list = batch.queries;
    let ids: Vec<Value> = fields_list.iter().map(|q| q.id.clone()).collect();
    let query_ids: Vec<Vec<String>> = queries.iter().map(|q| q.identifiers.clone()).collect();
    let engine = snapshot.clone();
    let screened = state
        .screen_job(move || {
            queries
                .into_iter()
                .map(|q| {
                    let m = engine.index.screen(&q, &opts);
                    (q.name, m)
                })
                .collect::<Vec<_>>()
        })
        .await?;
    let hits = screened.iter().filter(|(_, m)| !m.is_empty()).count() as u64;
    state
        .0
        .metrics
        .screened("name", screened.len() as u64, hits);
    let mut results: Vec<Value> = screened
        .into_iter()
        .zip(ids)
        .zip(&query_ids)
        .map(|(((name, matches), id), identifiers)| {
            let mut r = json!({"id": id, "query": name, "matches": matches});
            add_identifier_problems(&mut r, identifiers);
            r
        })
        .collect();
    if let Some(view) = &snapshot.ownership {
        for r in &mut results {
            view.annotate(&mut r["matches"]);
        }
    }
    for (r, f) in results.iter_mut().zip(&fields_list) {
        add_warnings(r, f);
    }
    if !options.dry_run {
        let answers = fields_list
            .iter()
            .cloned()
            .zip(results.iter_mut())
            .collect();
        let mut origin = name_origin(&actor, "api");
        origin.threshold = Some(opts.threshold);
        raise_name_alerts(&state, &snapshot, origin, answers).await?;
    }
    Ok(Json(json!({
        "list_versions": snapshot.version_ids(),
        "stale_lists": stale_lists(&state, &snapshot, &options.sources),
        "results": results,
    })))
}

/// The stale lists among those a screening used, as every answer names them.
pub fn stale_lists(
    state: &AppState,
    snapshot: &crate::state::Snapshot,
    sources: &[redline_model::SourceId],
) -> Value {
    let now = crate::rfc3339(std::time::SystemTime::now());
    json!(snapshot.stale_lists(&state.config().freshness, &now, sources))
}

/// Who raises alerts of a screening and by which way in (`api`, `ui`); the threshold
/// is filled in once the options are read.
pub(crate) fn name_origin(actor: &str, via: &str) -> redline_store::AlertOrigin {
    redline_store::AlertOrigin {
        via: via.into(),
        by: actor.to_string(),
        threshold: None,
    }
}

/// Screens one query, as `POST /v1/screen` answers it, raising an alert for its
/// matches unless `options.dry_run`: the API and the UI's screening form both come
/// here.
pub(crate) async fn screen_one(
    state: &AppState,
    snapshot: std::sync::Arc<crate::state::Snapshot>,
    fields: QueryFields,
    options: &ScreenOptions,
    mut origin: redline_store::AlertOrigin,
) -> Result<Value, ApiError> {
    let opts = options.resolve()?;
    let query = fields
        .to_query(&options.sources)
        .and_then(|q| check_request(&snapshot.index, &q, &opts).map(|()| q))
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let engine = snapshot.clone();
    let (query, matches) = state
        .screen_job(move || {
            let matches = engine.index.screen(&query, &opts);
            (query, matches)
        })
        .await?;
    state
        .0
        .metrics
        .screened("name", 1, u64::from(!matches.is_empty()));
    let mut out = json!({
        "query": query.name,
        "list_versions": snapshot.version_ids(),
        "stale_lists": stale_lists(state, &snapshot, &query.sources),
        "matches": matches,
    });
    add_identifier_problems(&mut out, &query.identifiers);
    add_warnings(&mut out, &fields);
    if let Some(view) = &snapshot.ownership {
        view.annotate(&mut out["matches"]);
    }
    if !options.dry_run {
        origin.threshold = Some(opts.threshold);
        raise_name_alerts(state, &snapshot, origin, vec![(fields.clone(), &mut out)]).await?;
    }
    if !fields.id.is_null() {
        out["id"] = fields.id;
    }
    Ok(out)
}

/// What a query gave that could not be used (an unknown country), said beside the
/// matches.
fn add_warnings(out: &mut Value, fields: &QueryFields) {
    let warnings = fields.warnings();
    if !warnings.is_empty() {
        out["warnings"] = json!(warnings);
    }
}

/// Labelled registry numbers that fail their check (`INN 7750005483`), said beside
/// the matches: the number could not be compared, and the caller must know.
pub fn add_identifier_problems(out: &mut Value, identifiers: &[String]) {
    let problems = redline_model::registry::problems(identifiers);
    if !problems.is_empty() {
        out["identifier_problems"] = json!(problems);
    }
}

/// `GET /v1/entities/{id}`: the entity as Redline stores it, and its list version.
pub async fn entity(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let snapshot = state.ready_snapshot()?;
    let entity = snapshot
        .index
        .entity(&id)
        .ok_or_else(|| ApiError::not_found(format!("no entity {id:?} in the lists in use")))?;
    Ok(Json(json!({
        "entity": entity,
        "list_version": snapshot.version_of(entity.source).map(|v| v.id.as_str()),
    })))
}

/// `GET /v1/lists`: the versions in use, with their counts.
pub async fn lists(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let snapshot = state.ready_snapshot()?;
    Ok(Json(json!({
        "list_versions": snapshot.versions,
        "index": {
            "entities": snapshot.index.entity_count(),
            "names": snapshot.index.name_count(),
            "parties_listed_more_than_once": snapshot.index.parties_listed_more_than_once().0,
            "built_at": crate::rfc3339(snapshot.loaded_at),
        },
    })))
}

/// `POST /v1/lists/reload`: serve the store's active versions now.
pub async fn reload(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let outcome = state.reload(false).await?;
    Ok(Json(json!(outcome)))
}

/// Raises (or updates) an alert for every query that matched, keyed by the caller's
/// id for the query or, without one, by the hash of its fields. Each answer's matches
/// are replaced by those raising returns, so a suppressed match says so.
async fn raise_name_alerts(
    state: &AppState,
    snapshot: &std::sync::Arc<crate::state::Snapshot>,
    origin: redline_store::AlertOrigin,
    answers: Vec<(QueryFields, &mut Value)>,
) -> Result<(), ApiError> {
    if answers
        .iter()
        .all(|(_, a)| a["matches"].as_array().is_none_or(Vec::is_empty))
    {
        return Ok(());
    }
    let snapshot = snapshot.clone();
    let at = crate::rfc3339(std::time::SystemTime::now());
    let screened: Vec<(QueryFields, Vec<Value>)> = answers
        .iter()
        .map(|(f, a)| {
            (
                f.clone(),
                a["matches"].as_array().cloned().unwrap_or_default(),
            )
        })
        .collect();
    let raised = state
        .with_store(move |store| {
            screened
                .iter()
                .map(|(fields, matches)| {
                    let subject = serde_json::to_value(fields).unwrap_or(Value::Null);
                    let key = match &fields.id {
                        Value::Null => redline_alerts::content_hash(&subject),
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    crate::review::raise(
                        store,
                        &snapshot.index,
                        &crate::review::Raising {
                            kind: "name",
                            subject_key: &key,
                            subject: &subject,
                            matches,
                            decision_id: None,
                            origin: origin.clone(),
                            at: &at,
                        },
                    )
                })
                .collect::<redline_store::Result<Vec<_>>>()
        })
        .await?
        .map_err(|e| ApiError::internal(format!("the alert could not be recorded: {e}")))?;
    for ((_, answer), raised) in answers.into_iter().zip(raised) {
        if raised.matches.is_empty() {
            continue;
        }
        answer["matches"] = Value::Array(raised.matches);
        if let Some(id) = raised.alert_id {
            answer["alert_id"] = json!(id);
        }
    }
    Ok(())
}
