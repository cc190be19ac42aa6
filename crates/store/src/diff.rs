//! What changed between two versions of a list: entities added, removed, and changed
//! with the fields that changed. Delta rescreening and the analyst's "what is new
//! today" both start here.

use std::collections::BTreeMap;

use redline_model::Entity;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ListDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<ChangedEntity>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedEntity {
    pub entity_id: String,
    /// Top-level fields of the entity model whose values differ (`names`, `programs`, …).
    pub fields: Vec<String>,
}

/// Compares two versions' entities by id, field by field.
pub fn diff(old: &[Entity], new: &[Entity]) -> ListDiff {
    let old: BTreeMap<&str, &Entity> = old.iter().map(|e| (e.id.as_str(), e)).collect();
    let new: BTreeMap<&str, &Entity> = new.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut out = ListDiff::default();
    for (id, a) in &old {
        match new.get(id) {
            None => out.removed.push(id.to_string()),
            Some(b) if a != b => out.changed.push(ChangedEntity {
                entity_id: id.to_string(),
                fields: changed_fields(a, b),
            }),
            Some(_) => {}
        }
    }
    out.added = new
        .keys()
        .filter(|id| !old.contains_key(*id))
        .map(|id| id.to_string())
        .collect();
    out
}

fn changed_fields(a: &Entity, b: &Entity) -> Vec<String> {
    let as_map = |e: &Entity| match serde_json::to_value(e) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (a, b) = (as_map(a), as_map(b));
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use redline_model::{Name, NameKind, Schema, SourceId};

    fn person(id: &str, name: &str) -> Entity {
        let mut e = Entity::new(SourceId::OfacSdn, id, Schema::Person);
        e.add_name(Name::new(name, NameKind::Primary));
        e
    }

    #[test]
    fn reports_added_removed_and_changed_fields() {
        let old = vec![person("1", "A"), person("2", "B")];
        let mut changed = person("2", "B");
        changed.programs.push("RUSSIA-EO14024".into());
        let new = vec![changed, person("3", "C")];
        let d = diff(&old, &new);
        assert_eq!(d.added, ["ofac-sdn:3"]);
        assert_eq!(d.removed, ["ofac-sdn:1"]);
        assert_eq!(d.changed[0].entity_id, "ofac-sdn:2");
        assert_eq!(d.changed[0].fields, ["programs"]);
    }
}
