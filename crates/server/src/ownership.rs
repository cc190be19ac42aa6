//! Ownership as screening uses it: the OFAC 50% rule and the EU/UK test computed
//! over the lists in use and the operator's ownership files, and attached to matches
//! — a match on an entity that is blocked by ownership says so, with the path.

use redline_model::Entity;
use redline_ownership::{
    compute, AsOf, DataIssue, Derivation, ListedParty, ListedSet, OwnershipGraph, Policy, Resolver,
};
use redline_store::{ListVersion, OwnershipFile};
use serde_json::{json, Value};

/// Both derivations over one graph, and what they were computed from.
pub struct OwnershipView {
    pub ofac: Derivation,
    pub eu_uk: Derivation,
    /// Ownership file ids the graph includes.
    pub files: Vec<String>,
    /// Problems in the data (over 100%, cycles, unresolved parties).
    pub issues: Vec<DataIssue>,
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
    let resolver = Resolver::new(entities);
    for f in files {
        let found = graph
            .add_csv(&f.name, &f.bytes, &resolver)
            .map_err(|e| format!("{} ({}): {e}", f.name, f.id))?;
        issues.extend(found);
    }
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
    })
}

impl OwnershipView {
    /// Entities for the parties blocked by ownership that no list carries (an
    /// operator file's `local:` companies), so that screening their names finds them —
    /// with the `derived` block attached like any other match.
    pub fn operator_entities(&self, listed: &[Entity]) -> Vec<Entity> {
        let mut out: Vec<Entity> = Vec::new();
        for d in [&self.ofac, &self.eu_uk] {
            for status in &d.derived {
                let known = listed.iter().any(|e| e.id == status.entity_id)
                    || out.iter().any(|e| e.id == status.entity_id);
                if known || status.entity_name.trim().is_empty() {
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
        for m in matches.as_array_mut().into_iter().flatten() {
            if let Some(d) = m["entity_id"].as_str().and_then(|id| self.derived(id)) {
                m["derived"] = d;
            }
        }
    }
}
