//! Ownership as screening uses it: the OFAC 50% rule and the EU/UK test computed
//! over the lists in use and the operator's ownership files, and attached to matches
//! — a match on an entity that is blocked by ownership says so, with the path.
//!
//! The owners that files name are found on the lists by the screening engine itself
//! ([`IndexMatcher`]): the same normalisation, scripts and scoring as a screening, so
//! `Ротенберг Аркадий Романович` in a register is the listed ROTENBERG. A match at the
//! alert threshold links the list entity; one at or above [`REVIEW_FLOOR`] makes a lead.

use std::sync::OnceLock;

use axum::extract::{Path, Query, State};
use axum::Json;
use redline_matching::{Index, Options, QueryFields, DEFAULT_THRESHOLD};
use redline_model::Entity;
use redline_ownership::Lead;
use redline_ownership::{
    compute, AsOf, Candidate, DataIssue, Derivation, FileInput, FileReport, ListedParty, ListedSet,
    MatchBar, NameMatcher, NameQuery, OwnershipGraph, PartyKind, Policy, ReadOptions, Resolver,
};
use redline_store::{ListVersion, OwnershipFile};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::AppState;

/// The score from which a name in an ownership file that does not reach the alert
/// threshold is still shown as a lead: where a screening result would be worth a look.
pub const REVIEW_FLOOR: f64 = 0.70;

/// What the matching engine must score for a file's party to be the list entity, and
/// for it to be a lead.
pub const MATCH_BAR: MatchBar = MatchBar {
    confident: DEFAULT_THRESHOLD,
    review_floor: REVIEW_FLOOR,
};

/// The screening index as the ownership crate's [`NameMatcher`]; built on first use,
/// so that files whose parties are all named by id, number or exact name cost none,
/// and over the entities whose listing makes a party listed only (not the CSL's or
/// METI's export-control entries): an owner found only there would block nothing, and
/// the smaller index answers a register's million owners faster.
pub struct IndexMatcher<'a> {
    entities: &'a [Entity],
    index: OnceLock<Index>,
}

impl<'a> IndexMatcher<'a> {
    pub fn new(entities: &'a [Entity]) -> IndexMatcher<'a> {
        IndexMatcher {
            entities,
            index: OnceLock::new(),
        }
    }
}

impl NameMatcher for IndexMatcher<'_> {
    fn best(&self, query: &NameQuery, floor: f64) -> Option<Candidate> {
        let index = self.index.get_or_init(|| {
            let listing: Vec<Entity> = self
                .entities
                .iter()
                .filter(|e| ListedParty::from_entity(e, "").is_some())
                .cloned()
                .collect();
            Index::build(listing, Vec::new())
        });
        let mut fields = QueryFields::new(query.name.clone());
        fields.schema = match query.kind {
            PartyKind::Person => Some("person".to_string()),
            PartyKind::Organization => Some("organization".to_string()),
            PartyKind::Unknown => None,
        };
        fields.birth_date = query.birth_date.clone();
        fields.country = query.country.clone();
        fields.identifiers = query.numbers.clone();
        // A field the engine cannot read (a birth date in another form) is left out
        // rather than losing the name.
        let screened = fields.to_query(&[]).or_else(|_| {
            fields.birth_date = None;
            fields.to_query(&[])
        });
        let screened = screened.ok()?;
        let options = Options {
            threshold: floor,
            limit: 1,
        };
        index
            .screen(&screened, &options)
            .into_iter()
            .next()
            .map(|m| Candidate {
                listings: m.listings.iter().map(|l| l.entity_id.clone()).collect(),
                entity_id: m.entity_id,
                entity_name: m.caption,
                matched_name: m.name,
                score: m.score,
            })
    }
}

/// Reads every stored file's read options; a stored option that cannot be read is an
/// error naming the file.
fn inputs(files: &[OwnershipFile]) -> Result<Vec<(ReadOptions, &OwnershipFile)>, String> {
    files
        .iter()
        .map(|f| {
            ReadOptions::from_text(&f.options)
                .map(|o| (o, f))
                .map_err(|e| format!("{} ({}): {e}", f.name, f.id))
        })
        .collect()
}

/// Both derivations over one graph, and what they were computed from.
pub struct OwnershipView {
    pub ofac: Derivation,
    pub eu_uk: Derivation,
    /// Ownership file ids the graph includes.
    pub files: Vec<String>,
    /// Problems in the data (over 100%, cycles, unresolved parties).
    pub issues: Vec<DataIssue>,
    /// What each file gave: its format, stakes, refused rows and issues.
    pub reports: Vec<FileReport>,
}

/// Builds the graph from the entities' links and the files, and computes both rules
/// as of `as_of`. A file that cannot be read at all is an error naming it.
pub fn derive(
    entities: &[Entity],
    versions: &[ListVersion],
    files: &[OwnershipFile],
    as_of: AsOf,
) -> Result<OwnershipView, String> {
    let (mut graph, mut issues) = OwnershipGraph::from_entities(entities);
    let reports = add_files(&mut graph, entities, files)?;
    issues.extend(reports.iter().flat_map(|r| r.issues.iter().cloned()));
    let mut listed = ListedSet::new();
    for e in entities {
        let version = versions
            .iter()
            .find(|v| v.source == e.source)
            .map_or(e.source.as_str(), |v| v.id.as_str());
        if let Some(party) = ListedParty::from_entity(e, version) {
            listed.insert(party);
        }
    }
    let ofac = compute(&graph, &listed, Policy::Ofac50, as_of);
    let eu_uk = compute(&graph, &listed, Policy::EuUk, as_of);
    issues.extend(ofac.issues.iter().cloned());
    Ok(OwnershipView {
        ofac,
        eu_uk,
        files: files.iter().map(|f| f.id.clone()).collect(),
        issues,
        reports,
    })
}

/// Adds stored files to a graph built from `entities`, naming their parties with the
/// screening engine over the same entities.
pub fn add_files(
    graph: &mut OwnershipGraph,
    entities: &[Entity],
    files: &[OwnershipFile],
) -> Result<Vec<FileReport>, String> {
    if files.is_empty() {
        // Naming parties needs a resolver and a matcher over every entity: not
        // built when no file has parties to name.
        return Ok(Vec::new());
    }
    let inputs = inputs(files)?;
    let inputs: Vec<FileInput<'_>> = inputs
        .iter()
        .map(|(options, f)| FileInput {
            name: &f.name,
            bytes: &f.bytes,
            options,
        })
        .collect();
    let resolver = Resolver::new(entities);
    let matcher = IndexMatcher::new(entities);
    graph
        .add_files(&inputs, &resolver, Some((&matcher, MATCH_BAR)))
        .map_err(|e| {
            let id = files
                .iter()
                .find(|f| e.to_string().starts_with(&f.name))
                .map_or("", |f| f.id.as_str());
            format!("{e} ({id})")
        })
}

impl OwnershipView {
    /// Entities for the parties blocked by ownership that no list carries (an
    /// operator file's `local:` companies), so that screening their names finds them —
    /// with the `derived` block attached like any other match.
    pub fn operator_entities(&self, listed: &[Entity]) -> Vec<Entity> {
        let mut out: Vec<Entity> = Vec::new();
        let mut known: std::collections::HashSet<&str> =
            listed.iter().map(|e| e.id.as_str()).collect();
        for d in [&self.ofac, &self.eu_uk] {
            for status in &d.derived {
                if status.entity_name.trim().is_empty() || !known.insert(status.entity_id.as_str())
                {
                    continue;
                }
                let mut e = Entity::new(
                    redline_model::SourceId::Operator,
                    &status.entity_id,
                    redline_model::Schema::Organization,
                );
                e.id = status.entity_id.clone();
                e.add_name(redline_model::Name::new(
                    status.entity_name.clone(),
                    redline_model::NameKind::Primary,
                ));
                e.programs = vec![format!("{} (ownership)", status.rule)];
                out.push(e);
            }
        }
        out
    }

    /// The `derived` object for a matched entity, if either rule blocks it: the OFAC
    /// 50% result if it applies, else the EU/UK one; the other in `other_rules`.
    pub fn derived(&self, entity_id: &str) -> Option<Value> {
        let mut out = Vec::new();
        for d in [&self.ofac, &self.eu_uk] {
            if let (Some(status), Some(explanation)) = (d.get(entity_id), d.explain(entity_id)) {
                out.push(json!({
                    "rule": status.rule,
                    "aggregate_percent": status.aggregate_percent,
                    "also_listed": status.also_listed,
                    "path": explanation.path,
                    "ownership_files": self.files,
                }));
            }
        }
        // The OFAC result comes first; the EU/UK result, when it also applies, rides along.
        let mut first = (!out.is_empty()).then(|| out.remove(0))?;
        if !out.is_empty() {
            first["other_rules"] = Value::Array(out);
        }
        Some(first)
    }

    /// Adds `derived` to every match (JSON objects with `entity_id`) it applies to.
    pub fn annotate(&self, matches: &mut Value) {
        annotate(matches, |id| self.derived(id));
    }

    /// Every derived status as screening reports it, by entity id.
    pub fn blocks(&self) -> DerivedBlocks {
        let ids: std::collections::BTreeSet<&str> = (self.ofac.derived.iter())
            .chain(&self.eu_uk.derived)
            .map(|d| d.entity_id.as_str())
            .collect();
        DerivedBlocks(
            ids.into_iter()
                .filter_map(|id| Some((id.to_string(), self.derived(id)?)))
                .collect(),
        )
    }
}

/// What a screening reports of the ownership view: each blocked entity's `derived`
/// annotation ([`OwnershipView::derived`]), by entity id. Kept in the index snapshot,
/// so that a one-name screening needs neither the lists' entities nor the graph.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DerivedBlocks(std::collections::BTreeMap<String, Value>);

impl DerivedBlocks {
    pub fn derived(&self, entity_id: &str) -> Option<&Value> {
        self.0.get(entity_id)
    }

    /// Adds `derived` to every match (JSON objects with `entity_id`) it applies to.
    pub fn annotate(&self, matches: &mut Value) {
        annotate(matches, |id| self.derived(id).cloned());
    }
}

fn annotate(matches: &mut Value, derived: impl Fn(&str) -> Option<Value>) {
    for m in matches.as_array_mut().into_iter().flatten() {
        if let Some(d) = m["entity_id"].as_str().and_then(&derived) {
            m["derived"] = d;
        }
    }
}

impl OwnershipView {
    /// The derivation under a policy as users name it (`ofac`, `ofac-50`, `eu-uk`,
    /// `eu`, `uk`); `None` for another word.
    pub fn derivation(&self, policy: &str) -> Option<&Derivation> {
        match policy {
            "ofac" | "ofac-50" => Some(&self.ofac),
            "eu-uk" | "eu" | "uk" => Some(&self.eu_uk),
            _ => None,
        }
    }

    /// Whether the view says anything about a party: blocked, or the subject or owner
    /// of a lead.
    pub fn knows(&self, id: &str) -> bool {
        [&self.ofac, &self.eu_uk].iter().any(|d| {
            d.get(id).is_some()
                || d.leads
                    .iter()
                    .any(|l| l.entity_id == id || l.stake.owner_id == id)
        })
    }

    /// The leads on a party (as the entity, or as the owner), each once across both
    /// rules.
    pub fn leads_about(&self, id: &str) -> Vec<&Lead> {
        let mut leads: Vec<&Lead> = Vec::new();
        for lead in self.ofac.leads.iter().chain(&self.eu_uk.leads) {
            if (lead.entity_id == id || lead.stake.owner_id == id) && !leads.contains(&lead) {
                leads.push(lead);
            }
        }
        leads
    }

    /// Everything the view says about one party: under each rule its derived status
    /// with the path (also as text), and the leads on it — what the API and the UI's
    /// entity page show alike.
    pub fn about(&self, id: &str) -> Value {
        let rule = |d: &Derivation| {
            d.explain(id).map(|e| {
                json!({
                    "rule": e.rule,
                    "aggregate_percent": e.aggregate_percent,
                    "aggregate_at_least": e.aggregate_at_least,
                    "also_listed": e.also_listed,
                    "path": e.path,
                    "warnings": e.warnings,
                    "text": e.to_string(),
                })
            })
        };
        json!({
            "entity_id": id,
            "ofac": rule(&self.ofac),
            "eu_uk": rule(&self.eu_uk),
            "leads": self.leads_about(id),
            "ownership_files": self.files,
        })
    }
}

/// `?policy=ofac|eu-uk` of the ownership routes.
#[derive(Debug, serde::Deserialize)]
pub struct PolicyParam {
    #[serde(default)]
    policy: Option<String>,
}

fn view_of(snapshot: &crate::state::Snapshot) -> Result<&OwnershipView, ApiError> {
    snapshot.ownership.as_ref().ok_or_else(|| {
        // Fail closed: unreadable ownership data is not "nothing is blocked".
        ApiError::unavailable(
            "ownership_unreadable",
            format!(
                "ownership data cannot be read: {}",
                snapshot
                    .ownership_error
                    .as_deref()
                    .unwrap_or("unknown error")
            ),
        )
    })
}

/// `GET /v1/ownership?policy=ofac|eu-uk`: every entity blocked by ownership under the
/// rule, with the leads, the data issues and the files it was computed from.
pub async fn derived_route(
    State(state): State<AppState>,
    Query(param): Query<PolicyParam>,
) -> Result<Json<Value>, ApiError> {
    let snapshot = state.ready_snapshot()?;
    let view = view_of(&snapshot)?;
    let policy = param.policy.as_deref().unwrap_or("ofac");
    let derivation = view.derivation(policy).ok_or_else(|| {
        ApiError::bad_request(format!("policy {policy:?}: expected ofac or eu-uk"))
    })?;
    Ok(Json(json!({
        "policy": derivation.policy,
        "as_of": derivation.as_of,
        "derived": derivation.derived,
        "leads": derivation.leads,
        "issues": view.issues,
        "ownership_files": view.files,
        "files": view.reports.iter().map(|r| json!({
            "file": r.file, "format": r.format, "stakes": r.stakes, "refused": r.refused,
        })).collect::<Vec<_>>(),
    })))
}

/// `GET /v1/ownership/{id}`: one party's derived status under each rule, with its
/// path, and the leads on it.
pub async fn entity_route(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let snapshot = state.ready_snapshot()?;
    let view = view_of(&snapshot)?;
    if snapshot.index.entity(&id).is_none() && !view.knows(&id) {
        return Err(ApiError::not_found(format!(
            "no entity {id:?} in the lists in use or the ownership data"
        )));
    }
    Ok(Json(view.about(&id)))
}
