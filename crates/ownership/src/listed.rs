//! Who is listed, on which list and under which programmes.
//!
//! Which lists count is a legal question the library does not answer: under the OFAC
//! rule only persons blocked by OFAC count, under the EU regulation those listed by
//! the EU. So the caller builds the [`ListedSet`] — from its active list versions, a
//! filter on OpenSanctions datasets, or by hand — and the computation treats every
//! party in it alike: stakes of persons listed under different programmes or on
//! different lists aggregate. Each party carries its lists and programmes so that an
//! explanation can say where an owner is listed.
//!
//! [`ListedParty::from_entity`] is the default reading of Redline entities: an entry
//! of an official sanctions list (OFAC SDN, UN, UK, EU) is listed by being on it; the US
//! Consolidated Screening List's entries are not (export controls and non-SDN
//! sanctions restrict dealings with the party named, they do not block what it owns);
//! an OpenSanctions
//! entity is listed when its FtM `topics` contain `sanction` exactly. OpenSanctions'
//! `target` flag is not enough (it is also set on entities merely linked to sanctions,
//! topic `sanction.linked`), and programmes alone are not either (a `Sanction` may be
//! an export-control or debarment entry without topic `sanction`).

use std::collections::HashMap;

use redline_model::{push_unique, Entity, SourceId};
use serde::Serialize;

/// A listed party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedParty {
    /// The entity id (`ofac-sdn:16669`, `opensanctions:NK-…`).
    pub id: String,
    /// The lists it is on, as the caller names them (a list version id, a source).
    pub lists: Vec<String>,
    pub programs: Vec<String>,
    /// OpenSanctions datasets the entity appears in, when it comes from there.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub datasets: Vec<String>,
}

/// Whether being on this source's list is being listed in the sense of the rules
/// (OpenSanctions: depending on the entity's topics).
pub fn source_lists_parties(source: SourceId) -> bool {
    !matches!(
        source,
        SourceId::Operator | SourceId::UsCsl | SourceId::JpMeti
    )
}

impl ListedParty {
    pub fn new(id: impl Into<String>, list: impl Into<String>, programs: Vec<String>) -> Self {
        ListedParty {
            id: id.into(),
            lists: vec![list.into()],
            programs,
            datasets: Vec::new(),
        }
    }

    /// The default reading (see the module doc); `list` names the list version.
    pub fn from_entity(entity: &Entity, list: &str) -> Option<ListedParty> {
        let datasets = match entity.source {
            SourceId::OfacSdn
            | SourceId::UnSc
            | SourceId::UkHmt
            | SourceId::EuFsf
            | SourceId::AuDfat
            | SourceId::CaSema
            | SourceId::JpMof => Vec::new(),
            // Operator parties are screened because of ownership, not listed; the
            // export-control lists (the CSL's, METI's End User List) restrict
            // dealings with the party itself only.
            SourceId::Operator | SourceId::UsCsl | SourceId::JpMeti => return None,
            SourceId::OpenSanctions => {
                let topics = entity.properties.get("topics")?;
                if !topics.iter().any(|t| t == "sanction") {
                    return None;
                }
                let mut datasets = entity
                    .properties
                    .get("datasets")
                    .cloned()
                    .unwrap_or_default();
                datasets.sort();
                datasets
            }
        };
        let mut programs = entity.programs.clone();
        programs.sort();
        Some(ListedParty {
            id: entity.id.clone(),
            lists: vec![list.to_string()],
            programs,
            datasets,
        })
    }
}

/// The listed parties a computation starts from.
#[derive(Debug, Clone, Default)]
pub struct ListedSet {
    parties: HashMap<String, ListedParty>,
}

impl ListedSet {
    pub fn new() -> Self {
        ListedSet::default()
    }

    /// The entities listed by [`ListedParty::from_entity`].
    pub fn from_entities(entities: &[Entity], list: &str) -> Self {
        let mut set = ListedSet::new();
        for party in entities
            .iter()
            .filter_map(|e| ListedParty::from_entity(e, list))
        {
            set.insert(party);
        }
        set
    }

    /// Adds a party; the same id again merges its lists, programmes and datasets.
    pub fn insert(&mut self, party: ListedParty) {
        match self.parties.get_mut(&party.id) {
            Some(known) => {
                for (mine, theirs) in [
                    (&mut known.lists, party.lists),
                    (&mut known.programs, party.programs),
                    (&mut known.datasets, party.datasets),
                ] {
                    for value in theirs {
                        push_unique(mine, value);
                    }
                    mine.sort();
                }
            }
            None => {
                self.parties.insert(party.id.clone(), party);
            }
        }
    }

    /// Keeps only the parties `keep` accepts (e.g. those on an OFAC list).
    pub fn retain(&mut self, mut keep: impl FnMut(&ListedParty) -> bool) {
        self.parties.retain(|_, p| keep(p));
    }

    pub fn get(&self, id: &str) -> Option<&ListedParty> {
        self.parties.get(id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.parties.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.parties.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parties.is_empty()
    }

    /// The parties, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &ListedParty> {
        self.parties.values()
    }
}
