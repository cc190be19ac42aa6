//! A yente-compatible surface: `POST /match/{dataset}` and `GET /entities/{id}`, with
//! yente's request and response shapes, so a client written for OpenSanctions' yente
//! switches to Redline by changing its base URL.
//!
//! Scores come from Redline's engine whatever `algorithm` names (yente's algorithm
//! names are accepted so clients need not change); `threshold` defaults to Redline's
//! alert threshold, and `features` carries the engine's explanation as numbers.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::Json;
use redline_matching::{Match, Options, QueryFields, DEFAULT_THRESHOLD};
use redline_model::{ftm, Entity, SourceId};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::{ApiError, JsonBody};
use crate::state::{AppState, Snapshot};

/// yente's default number of results per query, and its maximum.
const DEFAULT_LIMIT: usize = 5;
const MAX_LIMIT: usize = 500;
/// Names of one example screened at most (an entity with hundreds of aliases must not
/// turn one query into hundreds).
const MAX_NAMES: usize = 20;

/// yente's algorithm names, all answered by Redline's engine.
const ALGORITHMS: [&str; 8] = [
    "redline",
    "best",
    "default",
    "logic-v1",
    "logic-v2",
    "name-based",
    "name-qualified",
    "regression-v1",
];

#[derive(Debug, Deserialize)]
pub struct MatchRequest {
    queries: BTreeMap<String, Option<EntityExample>>,
    /// yente's scoring weights and configuration: accepted, not used.
    #[serde(default)]
    #[allow(dead_code)]
    weights: Value,
    #[serde(default)]
    #[allow(dead_code)]
    config: Value,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct EntityExample {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    schema: String,
    #[serde(default)]
    properties: BTreeMap<String, Value>,
}

/// The sources a dataset name covers: Redline's source ids, OpenSanctions' dataset
/// names for the same lists, and the collections `default` and `sanctions`.
pub(crate) fn dataset_sources(dataset: &str) -> Option<Vec<SourceId>> {
    if matches!(dataset, "default" | "sanctions" | "all") {
        return Some(Vec::new());
    }
    SourceId::ALL
        .into_iter()
        .find(|s| s.as_str() == dataset || ftm::dataset_name(*s) == dataset)
        .map(|s| vec![s])
}

/// The query string: yente repeats keys for lists (`exclude_schema=A&exclude_schema=B`).
struct MatchParams {
    limit: usize,
    threshold: f64,
    cutoff: f64,
    algorithm: String,
    include_dataset: Vec<String>,
    exclude_dataset: Vec<String>,
    exclude_schema: Vec<String>,
    exclude_entity_ids: Vec<String>,
    topics: Vec<String>,
}

pub(crate) fn number<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, ApiError> {
    value
        .parse()
        .map_err(|_| ApiError::bad_request(format!("{key}: {value:?} is not a number")))
}

impl MatchParams {
    fn parse(pairs: Vec<(String, String)>) -> Result<MatchParams, ApiError> {
        let mut p = MatchParams {
            limit: DEFAULT_LIMIT,
            threshold: DEFAULT_THRESHOLD,
            cutoff: f64::NAN,
            algorithm: "redline".to_string(),
            include_dataset: Vec::new(),
            exclude_dataset: Vec::new(),
            exclude_schema: Vec::new(),
            exclude_entity_ids: Vec::new(),
            topics: Vec::new(),
        };
        for (key, value) in pairs {
            match key.as_str() {
                "limit" => p.limit = number(&key, &value)?,
                "threshold" => p.threshold = number(&key, &value)?,
                "cutoff" => p.cutoff = number(&key, &value)?,
                "algorithm" => p.algorithm = value,
                "include_dataset" => p.include_dataset.push(value),
                "exclude_dataset" => p.exclude_dataset.push(value),
                "exclude_schema" => p.exclude_schema.push(value),
                "exclude_entity_ids" => p.exclude_entity_ids.push(value),
                "topics" => p.topics.push(value),
                "changed_since" => {
                    return Err(ApiError::bad_request(
                        "changed_since: not supported; Redline screens whole list versions",
                    ))
                }
                _ => {}
            }
        }
        if !(1..=MAX_LIMIT).contains(&p.limit) {
            return Err(ApiError::bad_request(format!(
                "limit: {} is outside 1..={MAX_LIMIT}",
                p.limit
            )));
        }
        if p.cutoff.is_nan() {
            p.cutoff = p.threshold;
        }
        for (key, v) in [("threshold", p.threshold), ("cutoff", p.cutoff)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(ApiError::bad_request(format!(
                    "{key}: {v} is outside 0..=1"
                )));
            }
        }
        // As in yente: nothing below the threshold is hidden by a higher cutoff.
        p.cutoff = p.cutoff.min(p.threshold);
        if !ALGORITHMS.contains(&p.algorithm.as_str()) {
            return Err(ApiError::bad_request(format!(
                "algorithm: {:?} is unknown; accepted: {}",
                p.algorithm,
                ALGORITHMS.join(", ")
            )));
        }
        Ok(p)
    }

    /// Whether a result may be returned at all.
    fn admits(&self, entity: &Entity) -> bool {
        let dataset = ftm::dataset_name(entity.source);
        let source = entity.source.as_str();
        let named = |list: &[String]| list.iter().any(|d| d == dataset || d == source);
        (self.include_dataset.is_empty() || named(&self.include_dataset))
            && !named(&self.exclude_dataset)
            && !self
                .exclude_schema
                .iter()
                .any(|s| ftm::schema_from_ftm(s) == Some(entity.schema))
            && !self.exclude_entity_ids.contains(&entity.id)
            // Every list entry Redline holds is a sanctions entry.
            && (self.topics.is_empty() || self.topics.iter().any(|t| t.starts_with("sanction")))
    }
}

/// Property values as strings, whether the client sent a string or a list.
fn values(props: &BTreeMap<String, Value>, key: &str) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match props.get(key) {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// The Redline queries one example stands for: one per name, sharing the rest.
fn example_queries(
    key: &str,
    example: &EntityExample,
    sources: &[SourceId],
) -> Result<Vec<redline_matching::Query>, ApiError> {
    let props = &example.properties;
    let schema = ftm::schema_from_ftm(&example.schema);
    if schema.is_none() && !matches!(example.schema.as_str(), "Thing" | "LegalEntity") {
        return Err(ApiError::bad_request(format!(
            "queries.{key}.schema: {:?} is not a schema Redline screens (Person, Company, Organization, LegalEntity, Vessel, Airplane)",
            example.schema
        )));
    }
    let mut names: Vec<String> = ["name", "alias", "previousName", "weakAlias"]
        .iter()
        .flat_map(|k| values(props, k))
        .collect();
    if names.is_empty() {
        let parts: Vec<String> = [
            "firstName",
            "secondName",
            "middleName",
            "fatherName",
            "lastName",
        ]
        .iter()
        .filter_map(|k| values(props, k).into_iter().next())
        .collect();
        if !parts.is_empty() {
            names.push(parts.join(" "));
        }
    }
    names.dedup();
    names.truncate(MAX_NAMES);
    if names.is_empty() {
        return Err(ApiError::bad_request(format!(
            "queries.{key}.properties: no name (name, alias, firstName/lastName); Redline screens by name"
        )));
    }
    // FtM dates may carry a time (`1951-12-21T00:00:00`); the date part is what counts.
    let birth_date = values(props, "birthDate")
        .into_iter()
        .chain(values(props, "incorporationDate"))
        .map(|d| {
            d.get(..10)
                .filter(|_| d.len() > 10)
                .unwrap_or(&d)
                .to_string()
        })
        .find(|d| redline_model::PartialDate::parse_iso(d).is_some());
    let country = [
        "nationality",
        "citizenship",
        "country",
        "jurisdiction",
        "mainCountry",
    ]
    .iter()
    .flat_map(|k| values(props, k))
    .find(|c| redline_model::countries::to_code(c).is_some());
    let identifiers: Vec<String> = ftm::IDENTIFIER_PROPERTIES
        .iter()
        .flat_map(|k| values(props, k))
        .collect();
    names
        .into_iter()
        .map(|name| {
            QueryFields {
                id: Value::Null,
                name,
                schema: schema.map(|s| s.as_str().to_string()),
                birth_date: birth_date.clone(),
                country: country.clone(),
                identifiers: identifiers.clone(),
            }
            .to_query(sources)
            .map_err(|e| ApiError::bad_request(format!("queries.{key}: {e}")))
        })
        .collect()
}

/// An entity as yente returns it.
pub(crate) fn entity_response(entity: &Entity) -> serde_json::Map<String, Value> {
    let mut out = serde_json::Map::new();
    out.insert("id".into(), json!(entity.id));
    out.insert("caption".into(), json!(entity.caption()));
    out.insert("schema".into(), json!(ftm::schema_to_ftm(entity.schema)));
    out.insert("properties".into(), json!(ftm::properties(entity)));
    out.insert("datasets".into(), json!([ftm::dataset_name(entity.source)]));
    out.insert("referents".into(), json!([]));
    out.insert("target".into(), json!(true));
    out.insert("first_seen".into(), Value::Null);
    out.insert("last_seen".into(), Value::Null);
    out.insert("last_change".into(), Value::Null);
    out
}

/// The engine's explanation as yente-style numeric features.
fn features(m: &Match) -> BTreeMap<String, f64> {
    let e = &m.explanation;
    let mut f = BTreeMap::from([
        ("name_score".to_string(), e.name_score),
        ("query_coverage".to_string(), e.query_coverage),
        ("list_coverage".to_string(), e.list_coverage),
    ]);
    for a in &e.adjustments {
        *f.entry(a.feature.to_string()).or_default() += a.delta;
    }
    f
}

fn feature_docs() -> Value {
    let doc = |description: &str, coefficient: f64| json!({"description": description, "coefficient": coefficient, "url": "https://github.com/redline-screening/redline/blob/main/ARCHITECTURE.md"});
    json!({
        "name_score": doc("Score of the best-matching list name against the query name, after transliteration and token alignment", 1.0),
        "query_coverage": doc("Share of the query name (rarity-weighted) explained by the list name", 0.0),
        "list_coverage": doc("Share of the list name (rarity-weighted) covered by the query", 0.0),
        "birth_date": doc("Adjustment for agreeing or conflicting birth dates", 1.0),
        "country": doc("Adjustment for agreeing or conflicting countries", 1.0),
        "identifier": doc("Adjustment for an identifier found on the list entry", 1.0),
        "legal_form": doc("Adjustment for agreeing or conflicting legal forms", 1.0),
        "weak_alias": doc("Penalty for matching only a weak (low-quality) alias", 1.0),
        "generic_only": doc("Score capped at 0.5 when only generic or descriptive words, initials or legal forms match", 1.0),
        "rare_name_birth_date": doc("Score lifted to 0.85 when one name part, rare among listed persons, comes with the person's exact birth date", 1.0),
    })
}

fn screen_example(
    snapshot: &Snapshot,
    queries: &[redline_matching::Query],
    params: &MatchParams,
) -> (usize, Vec<Match>) {
    // Ask each name for more than the limit: filters may drop some results.
    let options = Options {
        threshold: params.cutoff,
        limit: (params.limit * 3).max(20),
    };
    let mut best: BTreeMap<String, Match> = BTreeMap::new();
    for q in queries {
        for m in snapshot.index.screen(q, &options) {
            let admitted = snapshot
                .index
                .entity(&m.entity_id)
                .is_some_and(|e| params.admits(e));
            if !admitted {
                continue;
            }
            match best.get(&m.entity_id) {
                Some(b) if b.score >= m.score => {}
                _ => {
                    best.insert(m.entity_id.clone(), m);
                }
            }
        }
    }
    let mut all: Vec<Match> = best.into_values().collect();
    all.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.entity_id.cmp(&b.entity_id))
    });
    let total = all.len();
    all.truncate(params.limit);
    (total, all)
}

/// `POST /match/{dataset}`.
pub async fn match_entities(
    State(state): State<AppState>,
    caller: Option<axum::Extension<crate::auth::Caller>>,
    Path(dataset): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
    JsonBody(request): JsonBody<MatchRequest>,
) -> Result<(HeaderMap, Json<Value>), ApiError> {
    let sources = dataset_sources(&dataset).ok_or_else(|| {
        ApiError::not_found(format!(
            "dataset {dataset:?} is unknown; use default, sanctions, or one of: {}",
            SourceId::ALL
                .map(|s| format!("{} ({})", s.as_str(), ftm::dataset_name(s)))
                .join(", ")
        ))
    })?;
    let params = MatchParams::parse(pairs)?;
    let snapshot = state.ready_snapshot()?;
    let max = state.config().max_batch;
    if request.queries.len() > max {
        return Err(ApiError::bad_request(format!(
            "Too many queries in one batch (limit: {max})"
        )));
    }
    let mut prepared = Vec::new();
    for (key, example) in &request.queries {
        if let Some(example) = example {
            prepared.push((
                key.clone(),
                example.clone(),
                example_queries(key, example, &sources)?,
            ));
        }
    }
    if prepared.is_empty() {
        return Err(ApiError::bad_request("No queries provided."));
    }
    let threshold = params.threshold;
    let limit = params.limit;
    let versions = snapshot.version_ids().to_vec();
    let work_snapshot = snapshot.clone();
    let run = move || {
        prepared
            .into_iter()
            .map(|(key, example, queries)| {
                let (total, matches) = screen_example(&work_snapshot, &queries, &params);
                (key, example, total, matches)
            })
            .collect::<Vec<_>>()
    };
    let answered = state.screen_job(run).await?;
    let mut responses = serde_json::Map::new();
    let mut hits = 0;
    for (key, example, total, matches) in &answered {
        hits += u64::from(matches.iter().any(|m| m.score >= threshold));
        let results: Vec<Value> = matches
            .iter()
            .filter_map(|m| {
                let entity = snapshot.index.entity(&m.entity_id)?;
                let mut r = entity_response(entity);
                r.insert("score".into(), json!(m.score));
                r.insert("match".into(), json!(m.score >= threshold));
                r.insert("features".into(), json!(features(m)));
                r.insert("explanation".into(), json!(m.explanation));
                // yente's merged entity: the party's other listings are its
                // referents, their lists among its datasets.
                if !m.listings.is_empty() {
                    let mut datasets = vec![ftm::dataset_name(m.source)];
                    for l in &m.listings {
                        let name = ftm::dataset_name(l.source);
                        if !datasets.contains(&name) {
                            datasets.push(name);
                        }
                    }
                    r.insert("datasets".into(), json!(datasets));
                    let referents: Vec<&str> =
                        m.listings.iter().map(|l| l.entity_id.as_str()).collect();
                    r.insert("referents".into(), json!(referents));
                    r.insert("listings".into(), json!(m.listings));
                }
                if let Some(d) = snapshot
                    .ownership
                    .as_ref()
                    .and_then(|o| o.derived(&m.entity_id))
                {
                    r.insert("derived".into(), d);
                }
                r.insert(
                    "list_version".into(),
                    json!(snapshot.version_of(entity.source).map(|v| v.id.as_str())),
                );
                Some(Value::Object(r))
            })
            .collect();
        responses.insert(
            key.clone(),
            json!({
                "status": 200,
                "results": results,
                "total": {"value": total, "relation": "eq"},
                "query": example,
            }),
        );
    }
    state
        .0
        .metrics
        .screened("match", answered.len() as u64, hits);
    // Results at or above the threshold are alerts, like any other screening's matches;
    // the example (with its id, if the client gave one) is the subject.
    let to_alert: Vec<(String, Value, Vec<Value>)> = answered
        .iter()
        .filter_map(|(_, example, _, matches)| {
            let matched: Vec<Value> = matches
                .iter()
                .filter(|m| m.score >= threshold)
                .filter_map(|m| serde_json::to_value(m).ok())
                .collect();
            if matched.is_empty() {
                return None;
            }
            let subject = serde_json::to_value(example).ok()?;
            let key = example
                .id
                .clone()
                .unwrap_or_else(|| redline_alerts::content_hash(&subject));
            Some((key, subject, matched))
        })
        .collect();
    if !to_alert.is_empty() {
        let actor = caller.map_or_else(|| "-".to_string(), |c| c.0 .0.id.clone());
        let at = crate::rfc3339(std::time::SystemTime::now());
        let alert_snapshot = snapshot.clone();
        state
            .with_store(move |store| {
                to_alert.iter().try_for_each(|(key, subject, matched)| {
                    crate::review::raise(
                        store,
                        &alert_snapshot.index,
                        &crate::review::Raising {
                            kind: "name",
                            subject_key: key,
                            subject,
                            matches: matched,
                            decision_id: None,
                            origin: redline_store::AlertOrigin {
                                via: "match".into(),
                                by: actor.clone(),
                                threshold: Some(threshold),
                            },
                            at: &at,
                        },
                    )
                    .map(|_| ())
                })
            })
            .await?
            .map_err(|e| ApiError::internal(format!("the alert could not be recorded: {e}")))?;
    }
    let mut headers = HeaderMap::new();
    headers.insert("x-batch-size", HeaderValue::from(answered.len()));
    Ok((
        headers,
        Json(json!({
            "responses": responses,
            "matcher": feature_docs(),
            "limit": limit,
            "list_versions": versions,
            "stale_lists": crate::v1::stale_lists(&state, &snapshot, &[]),
        })),
    ))
}

/// `GET /entities/{id}`: yente's entity shape.
pub async fn entity(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let snapshot = state.ready_snapshot()?;
    let entity = snapshot
        .index
        .entity(&id)
        .ok_or_else(|| ApiError::not_found(format!("no entity {id:?} in the lists in use")))?;
    Ok(Json(Value::Object(entity_response(entity))))
}

/// `GET /algorithms`: yente's list of scoring methods. Redline has one; every name
/// yente clients send (`logic-v1`, `best`, …) is answered by it, so each is listed
/// with the same features, and `default` and `best` name Redline's own.
pub async fn algorithms() -> Json<Value> {
    let description = format!(
        "Redline {}: names aligned token by token across scripts and transliterations, weighted by how rare each word is in the loaded lists; birth date, country, identifiers, legal form and schema raise or lower the score. Alert threshold {DEFAULT_THRESHOLD}.",
        env!("CARGO_PKG_VERSION")
    );
    let algorithms: Vec<Value> = ALGORITHMS
        .iter()
        .map(|name| {
            json!({
                "name": name,
                "description": if *name == "redline" {
                    description.clone()
                } else {
                    format!("Accepted for yente clients; answered by Redline's engine. {description}")
                },
                "features": feature_docs(),
                "docs": feature_docs(),
                "version": env!("CARGO_PKG_VERSION"),
                "default_threshold": DEFAULT_THRESHOLD,
            })
        })
        .collect();
    Json(json!({
        "algorithms": algorithms,
        "default": "redline",
        "best": "redline",
    }))
}

/// `GET /catalog`: yente's data catalog. Each loaded list is a dataset with its
/// version, and `default` the collection of them all; beside yente's fields, each
/// says when it was published and loaded, its entity count, its age and whether it is
/// stale by the operator's freshness settings (`outdated` lists the stale ones).
pub async fn catalog(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let snapshot = state.ready_snapshot()?;
    let now = crate::rfc3339(std::time::SystemTime::now());
    let freshness = &state.config().freshness;
    let mut datasets = Vec::new();
    let (mut current, mut outdated) = (Vec::new(), Vec::new());
    for version in &snapshot.versions {
        let age = freshness.age(version, &now);
        let name = ftm::dataset_name(version.source);
        if age.stale {
            outdated.push(name);
        } else {
            current.push(name);
        }
        datasets.push(json!({
            "name": name,
            "title": version.source.title(),
            "load": true,
            "version": version.id,
            "index_version": version.id,
            "index_current": !age.stale,
            "children": [],
            "source": version.source.as_str(),
            "published": version.published,
            "loaded_at": version.loaded_at,
            "entity_count": version.counts.entities,
            "age_days": age.age_days,
            "stale_after_days": age.stale_after_days,
            "stale": age.stale,
        }));
    }
    let children: Vec<&str> = snapshot
        .versions
        .iter()
        .map(|v| ftm::dataset_name(v.source))
        .collect();
    datasets.push(json!({
        "name": "default",
        "title": "All lists in use",
        "load": true,
        "version": snapshot.version_ids().join(","),
        "index_current": outdated.is_empty(),
        "children": children,
        "entity_count": snapshot.index.entity_count(),
    }));
    Ok(Json(json!({
        "datasets": datasets,
        "current": current,
        "outdated": outdated,
        "index_stale": !outdated.is_empty(),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use redline_model::Schema;

    #[test]
    fn datasets_map_to_sources() {
        assert_eq!(dataset_sources("default"), Some(vec![]));
        assert_eq!(
            dataset_sources("us_ofac_sdn"),
            Some(vec![SourceId::OfacSdn])
        );
        assert_eq!(dataset_sources("un-sc"), Some(vec![SourceId::UnSc]));
        assert_eq!(dataset_sources("peps"), None);
    }

    #[test]
    fn an_example_becomes_one_query_per_name() {
        let example: EntityExample = serde_json::from_value(json!({
            "schema": "Person",
            "properties": {
                "name": ["Arkadiii Romanovich Rotenberg", "Ротенберг Аркадий"],
                "birthDate": ["1951"],
                "nationality": ["Russia"],
                "passportNumber": "AB123",
            }
        }))
        .unwrap();
        let queries = example_queries("q1", &example, &[]).unwrap();
        assert_eq!(queries.len(), 2);
        assert_eq!(queries[1].name, "Ротенберг Аркадий");
        assert_eq!(queries[0].schema, Some(Schema::Person));
        assert_eq!(queries[0].birth_date.unwrap().to_string(), "1951");
        assert_eq!(queries[0].country.as_deref(), Some("ru"));
        assert_eq!(queries[0].identifiers, vec!["AB123"]);

        let nameless: EntityExample = serde_json::from_value(
            json!({"schema": "Person", "properties": {"birthDate": "1951"}}),
        )
        .unwrap();
        let err = example_queries("q2", &nameless, &[]).unwrap_err();
        assert!(
            err.message.starts_with("queries.q2.properties: no name"),
            "{err}"
        );
        let parts: EntityExample = serde_json::from_value(
            json!({"schema": "Person", "properties": {"firstName": "Arkady", "lastName": ["Rotenberg"]}}),
        )
        .unwrap();
        assert_eq!(
            example_queries("q3", &parts, &[]).unwrap()[0].name,
            "Arkady Rotenberg"
        );
    }

    #[test]
    fn params_follow_yente() {
        let p = |q: &[(&str, &str)]| {
            MatchParams::parse(
                q.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        };
        let d = p(&[]).unwrap();
        assert_eq!(
            (d.limit, d.threshold, d.cutoff),
            (5, DEFAULT_THRESHOLD, DEFAULT_THRESHOLD)
        );
        let c = p(&[
            ("threshold", "0.9"),
            ("cutoff", "0.95"),
            ("algorithm", "logic-v1"),
        ])
        .unwrap();
        assert_eq!(c.cutoff, 0.9);
        assert!(p(&[("algorithm", "magic")]).is_err());
        assert!(p(&[("limit", "0")]).is_err());
        assert!(p(&[("threshold", "abc")]).is_err());
        let multi = p(&[("exclude_schema", "Vessel"), ("exclude_schema", "Airplane")]).unwrap();
        assert_eq!(multi.exclude_schema.len(), 2);
    }
}
