//! Naming a party in operator data: by entity id, registration number or exact name.
//!
//! An operator's spreadsheet names companies the way their analysts know them: a list
//! id (`ofac-sdn:16669`), a registration or tax number, or the name. A wrong match
//! here blocks or clears the wrong company, so resolution is deliberately exact — no
//! fuzzy names, which are the matching engine's job and come with a score — and an
//! answer that fits more than one entity is an error for the operator to fix, never a
//! guess. Names compare after case folding and whitespace collapsing only; weak aliases
//! and former names are left out because another party may carry them today.
//!
//! Parties that are on no list (an unlisted subsidiary the operator knows of) are
//! written `local:<anything>` and become parties of their own; any other value must
//! resolve, so a typo in a list id is reported rather than creating a phantom party.

use std::collections::{HashMap, HashSet};

use redline_model::{normalize_identifier, Entity, NameKind, SourceId};

/// The prefix of operator-defined parties.
pub const LOCAL_PREFIX: &str = "local:";

/// What a value names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// One entity, by id.
    Entity(String),
    /// An operator-defined party (`local:…`).
    Local(String),
    /// Several entities carry this identifier or name (`by` says which).
    Ambiguous {
        by: &'static str,
        candidates: Vec<String>,
    },
    /// Nothing; the reason says what was tried.
    Unknown(String),
}

/// Looks values up among a set of entities.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    ids: HashSet<String>,
    by_identifier: HashMap<String, Vec<u32>>,
    by_name: HashMap<String, Vec<u32>>,
    entity_ids: Vec<String>,
}

/// Case-folded, whitespace-collapsed: the only normalisation exact name matching uses.
pub fn normalize_name(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Resolver {
    pub fn new(entities: &[Entity]) -> Resolver {
        let mut resolver = Resolver::default();
        for (at, entity) in entities.iter().enumerate() {
            let at = at as u32;
            resolver.ids.insert(entity.id.clone());
            resolver.entity_ids.push(entity.id.clone());
            for identifier in &entity.identifiers {
                let value = identifier.normalized_value();
                if !value.is_empty() {
                    push_once(resolver.by_identifier.entry(value).or_default(), at);
                }
            }
            let caption = entity.caption();
            let names = entity
                .names
                .iter()
                .filter(|n| n.kind != NameKind::WeakAlias)
                .map(|n| n.text.as_str())
                .chain(std::iter::once(caption));
            for name in names {
                let key = normalize_name(name);
                if !key.is_empty() {
                    push_once(resolver.by_name.entry(key).or_default(), at);
                }
            }
        }
        resolver
    }

    /// Resolves an entity id, `local:` id, identifier or exact name, in that order.
    pub fn resolve(&self, value: &str) -> Resolution {
        let value = value.trim();
        if value.is_empty() {
            return Resolution::Unknown("empty".to_string());
        }
        if let Some(rest) = value.strip_prefix(LOCAL_PREFIX) {
            return if rest.trim().is_empty() {
                Resolution::Unknown("`local:` needs an id after it".to_string())
            } else {
                Resolution::Local(value.to_string())
            };
        }
        if self.ids.contains(value) {
            return Resolution::Entity(value.to_string());
        }
        // A list id that is not loaded is a wrong id, not a name to look up.
        if let Some((prefix, _)) = value.split_once(':') {
            if prefix.parse::<SourceId>().is_ok() {
                return Resolution::Unknown(format!("no entity has the id {value}"));
            }
        }
        let identifier = normalize_identifier(value);
        if let Some(found) = self.by_identifier.get(&identifier) {
            return self.answer(found, "identifier");
        }
        match self.resolve_name(value) {
            Resolution::Unknown(_) => Resolution::Unknown(format!(
                "{value:?} is no entity id, identifier or exact name"
            )),
            other => other,
        }
    }

    /// Resolves an identifier already normalised ([`redline_model::normalize_identifier`]).
    pub fn resolve_identifier(&self, key: &str) -> Resolution {
        match self.by_identifier.get(key) {
            Some(found) => self.answer(found, "identifier"),
            None => Resolution::Unknown(format!("no entity carries the number {key}")),
        }
    }

    /// Resolves an exact (normalised) name only.
    pub fn resolve_name(&self, name: &str) -> Resolution {
        match self.by_name.get(&normalize_name(name)) {
            Some(found) => self.answer(found, "name"),
            None => Resolution::Unknown(format!("no entity is named {name:?}")),
        }
    }

    fn answer(&self, found: &[u32], by: &'static str) -> Resolution {
        let mut ids: Vec<String> = found
            .iter()
            .map(|&at| self.entity_ids[at as usize].clone())
            .collect();
        ids.sort();
        ids.dedup();
        if ids.len() == 1 {
            Resolution::Entity(ids.remove(0))
        } else {
            Resolution::Ambiguous {
                by,
                candidates: ids,
            }
        }
    }
}

fn push_once(list: &mut Vec<u32>, at: u32) {
    if list.last() != Some(&at) {
        list.push(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use redline_model::{IdKind, Identifier, Name, Schema};

    fn company(id: &str, name: &str, reg: Option<&str>) -> Entity {
        let mut e = Entity::new(SourceId::OfacSdn, id, Schema::Organization);
        e.add_name(Name::new(name, NameKind::Primary));
        if let Some(reg) = reg {
            e.identifiers.push(Identifier {
                kind: IdKind::Registration,
                value: reg.to_string(),
                country: None,
                note: None,
            });
        }
        e
    }

    #[test]
    fn resolves_by_id_identifier_and_exact_name() {
        let entities = [
            company("1", "Acme Trading LLC", Some("77-123 456")),
            company("2", "Acme  trading llc", None),
            company("3", "Borealis Shipping", None),
        ];
        let r = Resolver::new(&entities);
        assert_eq!(
            r.resolve("ofac-sdn:3"),
            Resolution::Entity("ofac-sdn:3".into())
        );
        assert_eq!(
            r.resolve("77123456"),
            Resolution::Entity("ofac-sdn:1".into())
        );
        assert_eq!(
            r.resolve("borealis   SHIPPING"),
            Resolution::Entity("ofac-sdn:3".into())
        );
        assert!(matches!(
            r.resolve("ACME TRADING LLC"),
            Resolution::Ambiguous { by: "name", .. }
        ));
        assert!(matches!(r.resolve("ofac-sdn:99"), Resolution::Unknown(_)));
        assert!(matches!(r.resolve("Borealis Ship"), Resolution::Unknown(_)));
        assert_eq!(
            r.resolve("local:acme-sub"),
            Resolution::Local("local:acme-sub".into())
        );
    }
}
