//! Naming the parties of ownership files: a list entity, a registry number, or a name
//! the matching engine finds on the lists.
//!
//! A register names an owner the way it knows it — `ROTENBERG Arkady Romanovich`,
//! `Ротенберг Аркадий Романович`, a company number — and the rules need to know
//! whether that owner is listed. Each party a file writes is named, in this order:
//!
//! 1. an id written as such: a list id (`ofac-sdn:16669`, which must exist) or an
//!    operator id (`local:…`);
//! 2. a number a list entity carries (INN, OGRN, LEI, IMO …);
//! 3. a name exactly one list entity carries;
//! 4. for an owner (or a party whose exact name several list entries carry), the
//!    matching engine ([`NameMatcher`]), given the name with the birth date,
//!    country and numbers the file has: a match at or above the confident bar links
//!    the list entity (with its score, for the explanation); one between the review
//!    floor and that bar leaves the party unlisted but makes its stakes *leads* with
//!    the candidate — never silently blocked, never silently dropped;
//! 5. otherwise the party is unlisted, and gets a stable local id from its number
//!    (`local:no:<number>`) or, without one, from its normalised name
//!    (`local:name:<name>`, with the birth date for a person): so the same company
//!    written twice is one party, and two companies of one name but different numbers
//!    are two. A name written elsewhere with exactly one number joins that number's
//!    party.
//!
//! A number that no list carries, no register published as its own key, and no row
//! names is refused: a mistyped number must not become a party nobody can screen.
//!
//! Each distinct party (name, kind, birth date, country, numbers) is named once, in
//! parallel and in name order, so a register of a million lines costs one query per
//! distinct owner.

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::issue::IssueKind;
use crate::record::{Number, PartyKind, PartyRecord};
use crate::resolve::{normalize_name, Resolution, Resolver, LOCAL_PREFIX};

/// What the matching engine is asked about a party.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NameQuery {
    pub name: String,
    pub kind: PartyKind,
    pub birth_date: Option<String>,
    pub country: Option<String>,
    /// Identifier values the file gives (normalised).
    pub numbers: Vec<String>,
}

/// The best list entry for a name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub entity_id: String,
    pub entity_name: String,
    /// The list name that matched.
    pub matched_name: String,
    pub score: f64,
    /// The same party's other listings (on other lists): whichever of them counts
    /// as listed makes the party listed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub listings: Vec<String>,
}

/// Finds list entities by name: the matching engine, supplied by the caller so that
/// this crate needs no index.
pub trait NameMatcher: Sync {
    /// The best-scoring list entity at or above `floor`, if any.
    fn best(&self, query: &NameQuery, floor: f64) -> Option<Candidate>;
}

/// Where a name match links a party, and where it only makes a lead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchBar {
    /// At or above: the party is the list entity (the screening alert threshold).
    pub confident: f64,
    /// At or above, below `confident`: a lead for review.
    pub review_floor: f64,
}

/// How a party of a file was identified, for the explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Identified {
    /// Written as a list id.
    ListId,
    /// Written as an operator id (`local:…`).
    LocalId,
    /// A list entity carries this number.
    Identifier { number: String },
    /// Exactly one list entity carries this name.
    ExactName,
    /// The matching engine found the list entity.
    NameMatch { score: f64, matched_name: String },
    /// Not listed; known by its registry number.
    RegistryNumber { number: String },
    /// Not listed; known by its name.
    Name,
}

impl std::fmt::Display for Identified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Identified::ListId => f.write_str("by list id"),
            Identified::LocalId => f.write_str("by operator id"),
            Identified::Identifier { number } => write!(f, "by number {number} on the list"),
            Identified::ExactName => f.write_str("by exact list name"),
            Identified::NameMatch {
                score,
                matched_name,
            } => write!(f, "by name match {score:.2} with {matched_name:?}"),
            Identified::RegistryNumber { number } => {
                write!(f, "unlisted, by registry number {number}")
            }
            Identified::Name => f.write_str("unlisted, by name"),
        }
    }
}

/// A named party, or why it could not be named.
#[derive(Debug, Clone)]
pub(crate) enum Named {
    Party {
        id: String,
        /// The same party's other listings (a name match's party).
        listings: Vec<String>,
        /// The name to show; empty for a list entity (the graph has its caption).
        name: String,
        local: bool,
        identified: Identified,
        /// A doubtful name match: the party stays unlisted, its stakes are leads.
        candidate: Option<Box<Candidate>>,
    },
    Refused {
        /// What the file wrote, for the message.
        written: String,
        kind: IssueKind,
        reason: String,
        entities: Vec<String>,
    },
}

/// Names every party (`parties` are distinct; `owns[i]`: party `i` owns or controls
/// something), in parallel.
///
/// Only parties that own or control something are looked up by the matching engine
/// by a loose name: whether an owner is listed decides what it blocks, while a
/// company that is only owned is blocked or not by its owners — and, if it is listed
/// itself, screening finds it by its own name. A generic name that is only owned
/// (`Company B Ltd`) so never becomes a list entity by a loose match.
pub(crate) fn name_parties(
    parties: &[PartyRecord],
    owns: &[bool],
    names: &[(Number, String, Option<String>)],
    resolver: &Resolver,
    matcher: Option<(&dyn NameMatcher, MatchBar)>,
) -> Vec<Named> {
    let context = Context::new(parties, names);
    // In name order: neighbouring names share words, so the engine's look-ups of one
    // stay in cache for the next (a third faster on a register of a million lines).
    let mut order: Vec<u32> = (0..parties.len() as u32).collect();
    order.sort_by(|&a, &b| parties[a as usize].name.cmp(&parties[b as usize].name));
    let mut named: Vec<(u32, Named)> = order
        .into_par_iter()
        .map(|at| {
            let named = context.name(&parties[at as usize], owns[at as usize], resolver, matcher);
            (at, named)
        })
        .collect();
    // `order` is a permutation: sorted back, the i-th answer is party i's.
    named.par_sort_unstable_by_key(|(at, _)| *at);
    named.into_iter().map(|(_, named)| named).collect()
}

/// What all the files say about numbers and names together.
struct Context {
    /// Number key → the names (and country) rows and records give it, first first.
    number_names: HashMap<String, Vec<(String, Option<String>)>>,
    /// Normalised name → the number keys it is written with.
    name_numbers: HashMap<String, BTreeSet<String>>,
}

impl Context {
    fn new(records: &[PartyRecord], names: &[(Number, String, Option<String>)]) -> Context {
        let mut number_names: HashMap<String, Vec<(String, Option<String>)>> = HashMap::new();
        let mut name_numbers: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut add = |number: &Number, name: &str, country: &Option<String>| {
            let names = number_names.entry(number.key()).or_default();
            if !names.iter().any(|(n, _)| n == name) {
                names.push((name.to_string(), country.clone()));
            }
        };
        for (number, name, country) in names {
            add(number, name, country);
        }
        for record in records {
            let Some(name) = &record.name else { continue };
            for number in &record.numbers {
                add(number, name, &record.country);
                name_numbers
                    .entry(normalize_name(name))
                    .or_default()
                    .insert(number.key());
            }
        }
        Context {
            number_names,
            name_numbers,
        }
    }

    /// The names a record is known by: its own, or those its number is given (a
    /// GLEIF legal name in its own script, and its other and transliterated names).
    fn names_of<'a>(&'a self, record: &'a PartyRecord) -> Vec<(&'a str, Option<&'a str>)> {
        if let Some(name) = &record.name {
            return vec![(name, record.country.as_deref())];
        }
        record
            .numbers
            .iter()
            .find_map(|n| self.number_names.get(&n.key()))
            .map(|names| {
                names
                    .iter()
                    .map(|(name, country)| (name.as_str(), country.as_deref()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The first number a list entity carries (or several do), with what it names.
    fn by_number<'r>(
        &self,
        record: &'r PartyRecord,
        resolver: &Resolver,
    ) -> Option<(&'r Number, Resolution)> {
        record
            .numbers
            .iter()
            .find_map(|n| match resolver.resolve_identifier(&n.key()) {
                Resolution::Unknown(_) => None,
                found => Some((n, found)),
            })
    }

    /// Names one party; `owns`: it owns or controls something in the files.
    fn name(
        &self,
        record: &PartyRecord,
        owns: bool,
        resolver: &Resolver,
        matcher: Option<(&dyn NameMatcher, MatchBar)>,
    ) -> Named {
        let refused = |kind: IssueKind, reason: String, entities: Vec<String>| Named::Refused {
            written: record.written(),
            kind,
            reason,
            entities,
        };
        let listed = |id: String, identified: Identified| Named::Party {
            id,
            listings: Vec::new(),
            name: String::new(),
            local: false,
            identified,
            candidate: None,
        };
        if let Some(id) = &record.id {
            return match resolver.resolve(id) {
                Resolution::Entity(id) => listed(id, Identified::ListId),
                Resolution::Local(id) => Named::Party {
                    listings: Vec::new(),
                    name: id[LOCAL_PREFIX.len()..].trim().to_string(),
                    id,
                    local: true,
                    identified: Identified::LocalId,
                    candidate: None,
                },
                Resolution::Ambiguous { candidates, .. } => refused(
                    IssueKind::AmbiguousParty,
                    format!("{id:?} fits {} entities", candidates.len()),
                    candidates,
                ),
                Resolution::Unknown(why) => refused(IssueKind::UnresolvedParty, why, Vec::new()),
            };
        }
        match self.by_number(record, resolver) {
            Some((number, Resolution::Entity(id))) => {
                let number = number.to_string();
                return listed(id, Identified::Identifier { number });
            }
            Some((number, Resolution::Ambiguous { candidates, .. })) => {
                return refused(
                    IssueKind::AmbiguousParty,
                    format!(
                        "number {number} is carried by {} list entities ({})",
                        candidates.len(),
                        candidates.join(", ")
                    ),
                    candidates,
                )
            }
            _ => {}
        }
        let names = self.names_of(record);
        let known_name = names.first().copied();
        let mut ambiguous = None;
        for (name, _) in &names {
            match resolver.resolve_name(name) {
                Resolution::Entity(id) => return listed(id, Identified::ExactName),
                Resolution::Ambiguous { candidates, .. } => {
                    ambiguous.get_or_insert(candidates);
                }
                _ => {}
            }
        }
        // A company that is only owned is matched only when its name is exactly that of
        // several list entries (one party on several lists, most often): then it is on
        // the lists for certain, and the engine says which entry.
        let matcher = matcher.filter(|_| owns || ambiguous.is_some());
        let bar = matcher.map(|(_, bar)| bar);
        let mut candidate = None;
        if known_name.is_some() {
            // The best match over every name the party is known by; ties go to the
            // smaller entity id, so the answer does not depend on the order of names.
            let best = names
                .iter()
                .filter_map(|&(name, country)| {
                    let (matcher, bar) = matcher?;
                    let query = NameQuery {
                        name: name.to_string(),
                        kind: record.kind,
                        birth_date: record.birth_date.clone(),
                        country: country.map(str::to_string),
                        numbers: record.numbers.iter().map(Number::key).collect(),
                    };
                    matcher.best(&query, bar.review_floor)
                })
                .max_by(|a, b| {
                    a.score
                        .total_cmp(&b.score)
                        .then_with(|| b.entity_id.cmp(&a.entity_id))
                });
            if let (Some(best), Some(bar)) = (best, bar) {
                if best.score >= bar.confident {
                    return Named::Party {
                        id: best.entity_id.clone(),
                        listings: best.listings,
                        name: String::new(),
                        local: false,
                        identified: Identified::NameMatch {
                            score: best.score,
                            matched_name: best.matched_name,
                        },
                        candidate: None,
                    };
                }
                candidate = Some(Box::new(best));
            } else if let (Some(candidates), None) = (ambiguous, bar) {
                return refused(
                    IssueKind::AmbiguousParty,
                    format!(
                        "the exact name of {} entities ({}); name one by its id",
                        candidates.len(),
                        candidates.join(", ")
                    ),
                    candidates,
                );
            }
        }
        // Unlisted: by number, or by name.
        let shown = |number: &Number| match known_name {
            Some((name, _)) => name.to_string(),
            None => number.to_string(),
        };
        if let Some(number) = record.numbers.first() {
            if !(record.registered || known_name.is_some()) {
                return refused(
                    IssueKind::UnknownNumber,
                    format!(
                        "number {number} is not known: no list entity carries it, no register \
                         published it and no row names it; give the party's name"
                    ),
                    Vec::new(),
                );
            }
            return Named::Party {
                id: format!("{LOCAL_PREFIX}no:{}", number.key()),
                listings: Vec::new(),
                name: shown(number),
                local: true,
                identified: Identified::RegistryNumber {
                    number: number.to_string(),
                },
                candidate,
            };
        }
        let Some((name, _)) = known_name else {
            return refused(
                IssueKind::UnresolvedParty,
                "the party has neither id, number nor name".to_string(),
                Vec::new(),
            );
        };
        let key = normalize_name(name);
        match self
            .name_numbers
            .get(&key)
            .map(|n| n.iter().collect::<Vec<_>>())
        {
            Some(numbers) if numbers.len() == 1 => Named::Party {
                id: format!("{LOCAL_PREFIX}no:{}", numbers[0]),
                listings: Vec::new(),
                name: name.to_string(),
                local: true,
                identified: Identified::Name,
                candidate,
            },
            Some(numbers) if numbers.len() > 1 => refused(
                IssueKind::AmbiguousParty,
                format!(
                    "{name:?} is written with {} different numbers ({}); give the number",
                    numbers.len(),
                    numbers
                        .iter()
                        .map(|n| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Vec::new(),
            ),
            _ => {
                let id = match (&record.birth_date, record.kind) {
                    (Some(born), PartyKind::Person) => format!("{LOCAL_PREFIX}name:{key}|{born}"),
                    _ => format!("{LOCAL_PREFIX}name:{key}"),
                };
                Named::Party {
                    id,
                    listings: Vec::new(),
                    name: name.to_string(),
                    local: true,
                    identified: Identified::Name,
                    candidate,
                }
            }
        }
    }
}
