//! `GET /search/{dataset}`: look-up in yente's shape.
//!
//! A yente client's search call, sent unchanged, gets yente's answer: `results` (each
//! an entity as `/entities/{id}` gives it, plus its look-up `score` and the
//! `explanation` of the tokens that met), `total`, `limit`, `offset` and `facets`.
//! The ranking is Redline's look-up (`Index::search`): every script, prefixes while
//! typing, identifiers; `fuzzy` is accepted and always on.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::Json;
use redline_matching::{QueryFields, SearchQuery};
use redline_model::{countries, ftm, SourceId};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::state::AppState;
use crate::yente::{dataset_sources, entity_response, number};

const DEFAULT_LIMIT: usize = 10;
const MAX_LIMIT: usize = 500;
const FACETS: [&str; 3] = ["countries", "topics", "datasets"];

/// The query string (yente repeats keys for lists: `countries=ru&countries=by`).
struct SearchParams {
    q: String,
    schema: Option<String>,
    countries: Vec<String>,
    topics: Vec<String>,
    datasets: Vec<String>,
    exclude_dataset: Vec<String>,
    limit: usize,
    offset: usize,
    facets: Vec<String>,
}

impl SearchParams {
    fn parse(pairs: Vec<(String, String)>) -> Result<SearchParams, ApiError> {
        let mut p = SearchParams {
            q: String::new(),
            schema: None,
            countries: Vec::new(),
            topics: Vec::new(),
            datasets: Vec::new(),
            exclude_dataset: Vec::new(),
            limit: DEFAULT_LIMIT,
            offset: 0,
            facets: Vec::new(),
        };
        for (key, value) in pairs {
            match key.as_str() {
                "q" => p.q = value,
                "schema" => p.schema = Some(value),
                "countries" => p.countries.push(value),
                "topics" => p.topics.push(value),
                "datasets" => p.datasets.push(value),
                "exclude_dataset" => p.exclude_dataset.push(value),
                "limit" => p.limit = number(&key, &value)?,
                "offset" => p.offset = number(&key, &value)?,
                "facets" => p.facets.push(value),
                "fuzzy" | "simple" | "filter" | "include_dataset" | "changed_since" | "sort"
                | "target" => {}
                _ => {}
            }
        }
        if p.q.trim().is_empty() {
            return Err(ApiError::bad_request(
                "q: empty; give a name, part of one or an identifier to look up",
            ));
        }
        if !(1..=MAX_LIMIT).contains(&p.limit) {
            return Err(ApiError::bad_request(format!(
                "limit: {} is outside 1..={MAX_LIMIT}",
                p.limit
            )));
        }
        if let Some(f) = p.facets.iter().find(|f| !FACETS.contains(&f.as_str())) {
            return Err(ApiError::bad_request(format!(
                "facets: {f:?} is unknown; accepted: {}",
                FACETS.join(", ")
            )));
        }
        if p.facets.is_empty() {
            p.facets = FACETS.iter().map(|f| f.to_string()).collect();
        }
        Ok(p)
    }

    /// The lists to look in: the path's dataset, narrowed by `datasets`.
    fn sources(&self, dataset: &str) -> Result<Vec<SourceId>, ApiError> {
        let unknown = |d: &str| {
            ApiError::not_found(format!(
                "dataset {d:?} is unknown; use default, sanctions, or one of: {}",
                SourceId::ALL
                    .map(|s| format!("{} ({})", s.as_str(), ftm::dataset_name(s)))
                    .join(", ")
            ))
        };
        let mut sources = dataset_sources(dataset).ok_or_else(|| unknown(dataset))?;
        if self.datasets.is_empty() && self.exclude_dataset.is_empty() {
            // Empty: every list in use.
            return Ok(sources);
        }
        if sources.is_empty() {
            sources = SourceId::ALL.to_vec();
        }
        if !self.datasets.is_empty() {
            let named = self
                .datasets
                .iter()
                .map(|d| dataset_sources(d).ok_or_else(|| unknown(d)))
                .collect::<Result<Vec<_>, _>>()?
                .concat();
            // `default` among them names every list.
            if !named.is_empty() {
                sources.retain(|s| named.contains(s));
            }
        }
        for d in &self.exclude_dataset {
            let excluded = dataset_sources(d).ok_or_else(|| unknown(d))?;
            sources.retain(|s| !excluded.contains(s));
        }
        Ok(sources)
    }
}

/// `GET /search/{dataset}`.
pub async fn search(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let params = SearchParams::parse(pairs)?;
    let sources = params.sources(&dataset)?;
    let snapshot = state.ready_snapshot()?;
    // The lists named (by the path or `datasets`) must be there: a look-up in a list
    // that is not loaded would answer "nothing found".
    let mut named = dataset_sources(&dataset).unwrap_or_default();
    for d in &params.datasets {
        named.extend(dataset_sources(d).unwrap_or_default());
    }
    redline_matching::check_sources(&snapshot.index, &named)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let fields = QueryFields {
        schema: params.schema.clone(),
        ..QueryFields::new(params.q.clone())
    };
    let query = SearchQuery::from_fields(&fields, &params.countries, &sources)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    // Every entry Redline holds is on a sanctions list: any other topic finds none.
    let no_topic =
        !params.topics.is_empty() && !params.topics.iter().any(|t| t.starts_with("sanction"));
    let engine = snapshot.clone();
    let (limit, offset) = (params.limit, params.offset);
    let results = state
        .screen_job(move || engine.index.search(&query, limit, offset))
        .await?;
    let (hits, total) = if no_topic {
        (Vec::new(), 0)
    } else {
        (results.hits, results.total)
    };
    let entries: Vec<Value> = hits
        .iter()
        .filter_map(|m| {
            let entity = snapshot.index.entity(&m.entity_id)?;
            let mut out = entity_response(entity);
            out.insert("score".into(), json!(m.score));
            out.insert("explanation".into(), json!(m.explanation));
            Some(Value::Object(out))
        })
        .collect();
    let facets = if no_topic {
        json!({})
    } else {
        facets(&params.facets, &results.facets)
    };
    Ok(Json(json!({
        "results": entries,
        "total": {"value": total, "relation": if results.more && !no_topic { "gte" } else { "eq" }},
        "limit": params.limit,
        "offset": params.offset,
        "facets": facets,
        "list_versions": snapshot.version_ids(),
    })))
}

/// yente's facets: `{name: {label, values: [{name, label, count}]}}`, most common first.
fn facets(wanted: &[String], counts: &redline_matching::search::Facets) -> Value {
    let values = |counts: &BTreeMap<String, usize>, label: &dyn Fn(&str) -> String| {
        let mut v: Vec<(&String, &usize)> = counts.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        v.into_iter()
            .map(|(name, count)| json!({"name": name, "label": label(name), "count": count}))
            .collect::<Vec<_>>()
    };
    let total: usize = counts.schemas.values().sum();
    let mut out = serde_json::Map::new();
    for facet in wanted {
        let (label, values) = match facet.as_str() {
            "countries" => (
                "Countries",
                values(&counts.countries, &|c| {
                    countries::name_of(c).unwrap_or(c).to_string()
                }),
            ),
            "datasets" => {
                let by_dataset: BTreeMap<String, usize> = counts
                    .sources
                    .iter()
                    .filter_map(|(s, n)| {
                        let source = SourceId::ALL.into_iter().find(|x| x.as_str() == s)?;
                        Some((ftm::dataset_name(source).to_string(), *n))
                    })
                    .collect();
                (
                    "Data sources",
                    values(&by_dataset, &|d| {
                        SourceId::ALL
                            .into_iter()
                            .find(|s| ftm::dataset_name(*s) == d)
                            .map_or(d.to_string(), |s| s.title().to_string())
                    }),
                )
            }
            _ => (
                "Topics",
                values(&BTreeMap::from([("sanction".to_string(), total)]), &|_| {
                    "Sanctioned entity".to_string()
                }),
            ),
        };
        out.insert(facet.clone(), json!({"label": label, "values": values}));
    }
    Value::Object(out)
}
