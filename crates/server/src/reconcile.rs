//! The OpenRefine Reconciliation API (version 0.2, what OpenRefine 3.x speaks), so a
//! data team reconciles a spreadsheet of counterparties against the lists in use.
//!
//! - `GET /reconcile/{dataset}`: the service manifest (name, identifier and schema
//!   spaces, default types from the FtM schemas, view into the UI's entity page,
//!   preview, suggest and extend services);
//! - `GET` with `queries=` or `POST` (form-encoded `queries=` as OpenRefine sends it,
//!   or a JSON body): each query (`query`, `type`, `limit`, `properties`) answered with
//!   candidates `id`, `name`, `score`, `match`, `type`;
//! - `extend=`: programmes, countries, birth dates and more for reconciled ids;
//! - `suggest/entity`, `suggest/type`, `suggest/property`, `extend/propose`, `preview`.
//!
//! Candidates come from screening (so a birth date, country or number given as a
//! property counts as it does in `screen`), down to [`FLOOR`] so that a person can
//! choose; `match` is set only when the best candidate reaches the alert threshold
//! and no other does — OpenRefine matches those without asking, so an ambiguous row
//! must never be one of them. OpenRefine cannot send headers: on these routes the key
//! may also come as `?api_key=` (never logged: the request log records the route
//! pattern only).

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use redline_matching::{Match, Options, QueryFields, SearchQuery, DEFAULT_THRESHOLD};
use redline_model::{ftm, Entity, SourceId};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::state::{AppState, Snapshot};
use crate::yente::dataset_sources;

/// Candidates below this score are not offered.
pub const FLOOR: f64 = 0.5;
const DEFAULT_LIMIT: usize = 5;
const MAX_LIMIT: usize = 50;
const MAX_QUERIES: usize = 1000;

/// The FtM schemas a row can be reconciled as.
const TYPES: [&str; 6] = [
    "Person",
    "Company",
    "Organization",
    "LegalEntity",
    "Vessel",
    "Airplane",
];

/// Properties a query may carry, and what they become in a screening query.
const QUERY_PROPERTIES: [(&str, &str); 13] = [
    ("birthDate", "Birth date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("country", "Country (ISO code or name)"),
    ("nationality", "Nationality"),
    ("jurisdiction", "Jurisdiction"),
    ("idNumber", "Identification number"),
    ("passportNumber", "Passport number"),
    ("registrationNumber", "Registration number"),
    ("taxNumber", "Tax number"),
    ("innCode", "INN"),
    ("ogrnCode", "OGRN"),
    ("leiCode", "LEI"),
    ("swiftBic", "BIC"),
    ("imoNumber", "IMO number"),
];

/// Properties `extend` can add to a reconciled row.
const EXTEND_PROPERTIES: [(&str, &str); 7] = [
    ("programs", "Programmes"),
    ("countries", "Countries"),
    ("birthDate", "Birth dates"),
    ("datasets", "Lists"),
    ("listedOn", "Listed on"),
    ("aliases", "Other names"),
    ("identifiers", "Identifiers"),
];

/// Both the query string and a form body: OpenRefine sends `queries` or `extend` as
/// JSON text in either.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    queries: Option<String>,
    extend: Option<String>,
    callback: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReconQuery {
    query: String,
    #[serde(default, rename = "type")]
    kind: Option<Value>,
    #[serde(default)]
    limit: Option<usize>,
    #[serde(default)]
    properties: Vec<PropertyValue>,
    /// OpenRefine's `should`/`all`/`any`: accepted; a type always restricts here.
    #[serde(default)]
    #[allow(dead_code)]
    type_strict: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PropertyValue {
    pid: String,
    v: Value,
}

#[derive(Debug, Deserialize)]
struct ExtendRequest {
    ids: Vec<String>,
    properties: Vec<ExtendProperty>,
}

#[derive(Debug, Deserialize)]
struct ExtendProperty {
    id: String,
}

/// `GET /reconcile/{dataset}`: the manifest, or answers when `queries`/`extend` is given.
pub async fn get(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Result<Response, ApiError> {
    let sources = sources(&dataset)?;
    if params.queries.is_none() && params.extend.is_none() {
        let manifest = manifest(&base_url(&headers), &dataset);
        return Ok(Json(manifest).into_response());
    }
    answer(&state, &sources, params).await
}

/// `POST /reconcile/{dataset}`: form-encoded `queries=`/`extend=` (OpenRefine), or a
/// JSON body `{"queries": {...}}`, `{"extend": {...}}` or the queries object itself.
pub async fn post(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let sources = sources(&dataset)?;
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let params = if json_body {
        let value: Value = crate::error::parse_json(&body)?;
        match (value.get("queries"), value.get("extend")) {
            (Some(q), _) => Params {
                queries: Some(q.to_string()),
                ..Params::default()
            },
            (None, Some(e)) => Params {
                extend: Some(e.to_string()),
                ..Params::default()
            },
            (None, None) => Params {
                queries: Some(value.to_string()),
                ..Params::default()
            },
        }
    } else {
        serde_urlencoded::from_bytes(&body)
            .map_err(|e| ApiError::bad_request(format!("form body: {e}")))?
    };
    if params.queries.is_none() && params.extend.is_none() {
        return Err(ApiError::bad_request(
            "expected queries= or extend= (JSON), as OpenRefine sends them",
        ));
    }
    answer(&state, &sources, params).await
}

async fn answer(
    state: &AppState,
    sources: &[SourceId],
    params: Params,
) -> Result<Response, ApiError> {
    let snapshot = state.ready_snapshot()?;
    redline_matching::check_sources(&snapshot.index, sources)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let callback = params.callback.clone();
    let body = if let Some(text) = params.queries {
        let queries: BTreeMap<String, ReconQuery> = serde_json::from_str(&text)
            .map_err(|e| ApiError::bad_request(format!("queries: {e}")))?;
        if queries.len() > MAX_QUERIES {
            return Err(ApiError::bad_request(format!(
                "queries: {} in one request; at most {MAX_QUERIES}",
                queries.len()
            )));
        }
        let prepared = queries
            .into_iter()
            .map(|(key, q)| prepare(&key, q, sources).map(|p| (key, p)))
            .collect::<Result<Vec<_>, _>>()?;
        let engine = snapshot.clone();
        let answers = state
            .screen_job(move || {
                prepared
                    .into_iter()
                    .map(|(key, (query, limit))| {
                        let options = Options {
                            threshold: FLOOR,
                            limit,
                        };
                        let matches = engine.index.screen(&query, &options);
                        (key, json!({"result": candidates(&matches)}))
                    })
                    .collect::<serde_json::Map<String, Value>>()
            })
            .await?;
        Value::Object(answers)
    } else {
        let text = params.extend.unwrap_or_default();
        let request: ExtendRequest = serde_json::from_str(&text)
            .map_err(|e| ApiError::bad_request(format!("extend: {e}")))?;
        extend(&snapshot, &request)?
    };
    Ok(jsonp(body, callback.as_deref()))
}

/// A JSON answer, or JSONP when OpenRefine's older clients ask with `callback=`.
fn jsonp(body: Value, callback: Option<&str>) -> Response {
    match callback.filter(|c| {
        !c.is_empty()
            && c.len() <= 64
            && c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
    }) {
        Some(cb) => (
            [(header::CONTENT_TYPE, "application/javascript")],
            format!("{cb}({body});"),
        )
            .into_response(),
        None => Json(body).into_response(),
    }
}

fn sources(dataset: &str) -> Result<Vec<SourceId>, ApiError> {
    dataset_sources(dataset).ok_or_else(|| {
        ApiError::not_found(format!(
            "dataset {dataset:?} is unknown; use default, sanctions, or a list name"
        ))
    })
}

/// A reconciliation query as a screening query, and how many candidates it wants.
fn prepare(
    key: &str,
    q: ReconQuery,
    sources: &[SourceId],
) -> Result<(redline_matching::Query, usize), ApiError> {
    let at = |what: String| ApiError::bad_request(format!("queries.{key}.{what}"));
    let kind = match &q.kind {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(items)) => items.first().and_then(Value::as_str).map(str::to_string),
        Some(other) => return Err(at(format!("type: {other} is not a type name"))),
    };
    if let Some(t) = &kind {
        if !TYPES.contains(&t.as_str()) && t != "Thing" {
            return Err(at(format!(
                "type: {t:?} is not a type of this service ({})",
                TYPES.join(", ")
            )));
        }
    }
    let mut fields = QueryFields::new(q.query.clone());
    fields.schema = kind.filter(|t| !matches!(t.as_str(), "LegalEntity" | "Thing"));
    for p in &q.properties {
        let values = property_values(&p.v);
        match p.pid.as_str() {
            "birthDate" => fields.birth_date = values.into_iter().next(),
            "country" | "nationality" | "jurisdiction" => {
                fields.country = fields.country.take().or(values.into_iter().next())
            }
            pid if QUERY_PROPERTIES.iter().any(|(id, _)| *id == pid) => {
                fields.identifiers.extend(values)
            }
            other => {
                return Err(at(format!(
                    "properties: {other:?} is not a property of this service ({})",
                    QUERY_PROPERTIES.map(|(id, _)| id).join(", ")
                )))
            }
        }
    }
    let query = fields.to_query(sources).map_err(|e| at(e.to_string()))?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    Ok((query, limit))
}

/// A property value as OpenRefine sends it: a string, a number, a list, or an
/// object with an `id` (a reconciled cell).
fn property_values(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.trim().to_string()],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(items) => items.iter().flat_map(property_values).collect(),
        Value::Object(o) => o
            .get("id")
            .or_else(|| o.get("name"))
            .map(property_values)
            .unwrap_or_default(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// Candidates, best first; only an unambiguous best one at the alert threshold is a
/// `match`.
fn candidates(matches: &[Match]) -> Vec<Value> {
    let above = matches
        .iter()
        .filter(|m| m.score >= DEFAULT_THRESHOLD)
        .count();
    matches
        .iter()
        .enumerate()
        .map(|(i, m)| {
            json!({
                "id": m.entity_id,
                "name": m.caption,
                "score": m.score,
                "match": i == 0 && above == 1,
                "type": [{"id": ftm::schema_to_ftm(m.schema), "name": ftm::schema_to_ftm(m.schema)}],
                "description": description(m.source, &m.programs),
            })
        })
        .collect()
}

fn description(source: SourceId, programs: &[String]) -> String {
    if programs.is_empty() {
        source.title().to_string()
    } else {
        format!("{} · {}", source.title(), programs.join(", "))
    }
}

fn extend(snapshot: &Snapshot, request: &ExtendRequest) -> Result<Value, ApiError> {
    let mut meta = Vec::new();
    for p in &request.properties {
        let Some((id, name)) = EXTEND_PROPERTIES.iter().find(|(id, _)| *id == p.id) else {
            return Err(ApiError::bad_request(format!(
                "extend.properties: {:?} is not a property this service extends with ({})",
                p.id,
                EXTEND_PROPERTIES.map(|(id, _)| id).join(", ")
            )));
        };
        meta.push(json!({"id": id, "name": name}));
    }
    let mut rows = serde_json::Map::new();
    for id in &request.ids {
        let mut row = serde_json::Map::new();
        let entity = snapshot.index.entity(id);
        for p in &request.properties {
            let values = entity.map(|e| extended(e, &p.id)).unwrap_or_default();
            let cells: Vec<Value> = values.into_iter().map(|v| json!({"str": v})).collect();
            row.insert(p.id.clone(), json!(cells));
        }
        rows.insert(id.clone(), Value::Object(row));
    }
    Ok(json!({"meta": meta, "rows": rows}))
}

fn extended(e: &Entity, property: &str) -> Vec<String> {
    match property {
        "programs" => e.programs.clone(),
        "countries" => {
            let mut c: Vec<String> = e.all_countries().map(str::to_string).collect();
            c.sort();
            c.dedup();
            c
        }
        "birthDate" => e.birth_dates.iter().map(|d| d.raw.clone()).collect(),
        "datasets" => vec![ftm::dataset_name(e.source).to_string()],
        "listedOn" => e.listed_on.iter().cloned().collect(),
        "aliases" => e
            .names
            .iter()
            .map(|n| n.text.clone())
            .filter(|n| n != e.caption())
            .collect(),
        "identifiers" => e
            .identifiers
            .iter()
            .map(|i| format!("{}: {}", i.kind.label(), i.value))
            .collect(),
        _ => Vec::new(),
    }
}

/// Where this service is reached, from the request's `Host` (and the proxy's
/// `X-Forwarded-Proto`): the manifest's URLs must point back at it.
fn base_url(headers: &HeaderMap) -> String {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let host = header("host").unwrap_or("localhost");
    let scheme = header("x-forwarded-proto").unwrap_or("http");
    format!("{scheme}://{host}")
}

fn manifest(base: &str, dataset: &str) -> Value {
    let service = |path: &str| json!({"service_url": base, "service_path": format!("/reconcile/{dataset}{path}")});
    json!({
        "versions": ["0.1", "0.2"],
        "name": format!("Redline ({dataset})"),
        "identifierSpace": format!("{base}/entities/"),
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/",
        "defaultTypes": TYPES.map(|t| json!({"id": t, "name": t})),
        "view": {"url": format!("{base}/ui/entities/{{{{id}}}}")},
        "preview": {
            "url": format!("{base}/reconcile/{dataset}/preview?id={{{{id}}}}"),
            "width": 420,
            "height": 160,
        },
        "suggest": {
            "entity": service("/suggest/entity"),
            "type": service("/suggest/type"),
            "property": service("/suggest/property"),
        },
        "extend": {
            "propose_properties": service("/extend/propose"),
            "property_settings": [],
        },
    })
}

#[derive(Debug, Deserialize)]
pub struct SuggestParams {
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    callback: Option<String>,
}

/// `GET /reconcile/{dataset}/suggest/entity?prefix=`: what is being typed in a cell,
/// looked up as `search` does.
pub async fn suggest_entity(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    Query(params): Query<SuggestParams>,
) -> Result<Response, ApiError> {
    let sources = sources(&dataset)?;
    let snapshot = state.ready_snapshot()?;
    let result = if params.prefix.trim().is_empty() {
        Vec::new()
    } else {
        let query = SearchQuery {
            text: params.prefix.clone(),
            sources,
            ..SearchQuery::default()
        };
        let engine = snapshot.clone();
        let found = state
            .screen_job(move || engine.index.search(&query, 10, 0))
            .await?;
        found
            .hits
            .iter()
            .map(|m| json!({"id": m.entity_id, "name": m.caption, "description": description(m.source, &m.programs)}))
            .collect()
    };
    Ok(suggestion(&params, result))
}

/// `GET /reconcile/{dataset}/suggest/type?prefix=`.
pub async fn suggest_type(
    Path(dataset): Path<String>,
    Query(params): Query<SuggestParams>,
) -> Result<Response, ApiError> {
    sources(&dataset)?;
    let result = TYPES
        .iter()
        .filter(|t| starts_with(t, &params.prefix))
        .map(|t| json!({"id": t, "name": t}))
        .collect();
    Ok(suggestion(&params, result))
}

/// `GET /reconcile/{dataset}/suggest/property?prefix=`: the properties a query may
/// carry and those `extend` adds.
pub async fn suggest_property(
    Path(dataset): Path<String>,
    Query(params): Query<SuggestParams>,
) -> Result<Response, ApiError> {
    sources(&dataset)?;
    let mut seen = Vec::new();
    let result = QUERY_PROPERTIES
        .iter()
        .chain(EXTEND_PROPERTIES.iter())
        .filter(|(id, name)| starts_with(id, &params.prefix) || starts_with(name, &params.prefix))
        .filter(|(id, _)| {
            let new = !seen.contains(id);
            seen.push(*id);
            new
        })
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    Ok(suggestion(&params, result))
}

fn starts_with(text: &str, prefix: &str) -> bool {
    text.to_lowercase()
        .starts_with(&prefix.trim().to_lowercase())
}

fn suggestion(params: &SuggestParams, result: Vec<Value>) -> Response {
    jsonp(
        json!({"code": "/api/status/ok", "status": "200 OK", "prefix": params.prefix, "result": result}),
        params.callback.as_deref(),
    )
}

#[derive(Debug, Deserialize)]
pub struct ProposeParams {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    callback: Option<String>,
}

/// `GET /reconcile/{dataset}/extend/propose?type=`.
pub async fn propose(
    Path(dataset): Path<String>,
    Query(params): Query<ProposeParams>,
) -> Result<Response, ApiError> {
    sources(&dataset)?;
    let kind = params.kind.unwrap_or_else(|| "LegalEntity".to_string());
    let properties: Vec<Value> = EXTEND_PROPERTIES
        .iter()
        .filter(|(id, _)| kind == "Person" || *id != "birthDate")
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    Ok(jsonp(
        json!({"type": kind, "properties": properties}),
        params.callback.as_deref(),
    ))
}

#[derive(Debug, Deserialize)]
pub struct PreviewParams {
    id: String,
}

/// `GET /reconcile/{dataset}/preview?id=`: a small HTML card for OpenRefine's hover.
pub async fn preview(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    Query(params): Query<PreviewParams>,
) -> Result<Response, ApiError> {
    sources(&dataset)?;
    let snapshot = state.ready_snapshot()?;
    let entity = snapshot.index.entity(&params.id).ok_or_else(|| {
        ApiError::not_found(format!("no entity {:?} in the lists in use", params.id))
    })?;
    let escape = crate::ui::pages::escape;
    let version = snapshot
        .version_of(entity.source)
        .map(|v| v.id.clone())
        .unwrap_or_default();
    let html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif;font-size:13px\"><strong>{}</strong> · {}<br>{}<br><small>{} · {}</small></body></html>",
        escape(entity.caption()),
        escape(ftm::schema_to_ftm(entity.schema)),
        escape(&entity.programs.join(", ")),
        escape(&entity.id),
        escape(&version),
    );
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response())
}
