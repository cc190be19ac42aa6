//! Which entities are blocked by ownership (OFAC) or owned or controlled (EU/UK).
//!
//! # The rules
//!
//! OFAC (FAQ 398, 401): an entity is blocked when blocked persons own 50 % or more of
//! it in aggregate, directly or indirectly. "Indirectly" means through entities that
//! are themselves blocked, and a blocked entity's *whole* stake counts — shares are
//! not multiplied down a chain (X owns 50 % of A, A owns 60 % of B: B is blocked by
//! A's 60 %, not 30 %). Only stated shares count; a stake without one, and any control
//! relation, is a [`Lead`] for an analyst, never a percentage.
//!
//! EU/UK: the same 50 %-or-more aggregation, plus control: a listed or blocked person
//! who is a director, holds a board majority, controls through a shareholder
//! agreement, has the entity act on its behalf, or is named by OFAC's "Owned or
//! Controlled By", makes the entity controlled (`eu-uk-control`). A controlled entity
//! is then treated like an owned one for its own holdings, because its assets are the
//! listed person's to dispose of.
//!
//! # Why a worklist
//!
//! Blocked status is the least fixed point of "listed, or 50 %+ owned by blocked
//! parties". It is computed by a worklist: the listed parties start it; when a party
//! is taken off the list its stakes are added, once, to its assets' blocked
//! aggregate, and an asset whose aggregate crosses 50 % (or, for EU/UK, that it
//! controls) joins the list. Every party joins at most once, so every stake is added
//! at most once — nothing is counted twice — and the work is linear in the stakes.
//! Ownership cycles (A owns B owns A) cannot make the loop run forever, and cannot
//! block themselves: only stakes of parties already blocked are ever added. Because
//! the fixed point is unique, the order the list is worked in does not change which
//! parties are blocked, and the output is sorted, so results are deterministic.
//!
//! Cycles (strongly connected components of the in-force ownership stakes, found with
//! Tarjan's algorithm) and entities whose stakes sum to over 100 % are reported as
//! [`DataIssue`]s, and marked on the derived statuses they touch; the computation
//! still uses the data as stated.

use rayon::prelude::*;
use serde::Serialize;

use crate::graph::{OwnershipGraph, Provenance, RelationKind, NO_SHARE};
use crate::issue::{sort_issues, DataIssue, IssueKind};
use crate::listed::{ListedParty, ListedSet};
use crate::share::{fmt_percent, micros_to_percent, AsOf, Share};

/// Which test to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Policy {
    /// OFAC's 50 percent rule: stated shares only.
    #[serde(rename = "ofac-50")]
    Ofac50,
    /// The EU/UK owned-or-controlled test: 50 % or more, or control.
    #[serde(rename = "eu-uk")]
    EuUk,
}

/// Why an entity is blocked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Rule {
    #[serde(rename = "ofac-50")]
    Ofac50,
    #[serde(rename = "eu-uk-50")]
    EuUk50,
    #[serde(rename = "eu-uk-control")]
    EuUkControl,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Ofac50 => "ofac-50",
            Rule::EuUk50 => "eu-uk-50",
            Rule::EuUkControl => "eu-uk-control",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an owner counts: it is listed, or it is itself blocked by a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum OwnerStatus {
    Listed {
        lists: Vec<String>,
        programs: Vec<String>,
    },
    Derived {
        rule: Rule,
    },
    /// Not listed, but its name is close to a list entry's: a lead until reviewed.
    Candidate {
        entity_id: String,
        entity_name: String,
        score: f64,
        lists: Vec<String>,
    },
}

/// One stake or control relation of a blocked owner in an entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stake {
    pub owner_id: String,
    pub owner_name: String,
    pub relation: RelationKind,
    /// The stated share; absent for control relations and unstated shares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// A band of shares (a register's "more than 50 % to 75 %"): its bounds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_range: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    pub owner_status: OwnerStatus,
    pub provenance: Provenance,
}

/// An entity blocked by ownership or control under the policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DerivedStatus {
    pub entity_id: String,
    pub entity_name: String,
    pub rule: Rule,
    /// The sum of the blocked owners' stated shares (may exceed 100 on bad data); with
    /// bands, the sum of their lower bounds.
    pub aggregate_percent: f64,
    /// Bands count in the aggregate: the blocked owners hold at least this much.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub aggregate_at_least: bool,
    /// The entity is listed itself as well.
    pub also_listed: bool,
    /// The stakes (and, for EU/UK, control relations) of blocked owners, sorted.
    pub owners: Vec<Stake>,
    /// Data problems that touch this entity (over 100 %, part of a cycle).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// What a lead is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadKind {
    /// A blocked party owns part of the entity, share not stated.
    UnknownShare,
    /// A blocked party controls the entity (OFAC policy: control is not ownership).
    Control,
    /// Blocked parties hold bands of shares whose upper bounds reach 50 % while their
    /// lower bounds do not (a register's "more than 25 % up to 50 %").
    ShareBand,
    /// An owner that is on no list, but whose name is close to a listed party's
    /// (below the confident bar): if it is that party, the rule may apply.
    DoubtfulOwner,
}

/// A relation of a blocked party to an entity that is not blocked, which the rule
/// cannot decide on: for an analyst to look at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lead {
    pub entity_id: String,
    pub entity_name: String,
    pub kind: LeadKind,
    pub stake: Stake,
}

/// Counts for the caller's report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DerivationStats {
    pub parties: usize,
    pub stakes: usize,
    pub stakes_in_force: usize,
    /// Listed parties that are in the graph.
    pub listed: usize,
    pub derived: usize,
    /// Derived entities that are not listed themselves.
    pub derived_not_listed: usize,
    pub leads: usize,
    pub cycles: usize,
    pub over_hundred_percent: usize,
}

/// The result of one computation.
#[derive(Debug, Clone, Serialize)]
pub struct Derivation {
    pub policy: Policy,
    pub as_of: AsOf,
    /// Sorted by entity id.
    pub derived: Vec<DerivedStatus>,
    /// Sorted by entity id, then owner.
    pub leads: Vec<Lead>,
    /// Problems found while computing (over 100 %, cycles); problems found while
    /// reading are returned by the graph's constructors.
    pub issues: Vec<DataIssue>,
    pub stats: DerivationStats,
}

impl Derivation {
    /// The derived status of an entity, if it has one.
    pub fn get(&self, entity_id: &str) -> Option<&DerivedStatus> {
        self.derived
            .binary_search_by(|d| d.entity_id.as_str().cmp(entity_id))
            .ok()
            .map(|at| &self.derived[at])
    }
}

const FREE: u8 = 0;
const LISTED: u8 = 1;
const DERIVED: u8 = 2;
/// An arc that is a control relation, not a share.
const CONTROL_ARC: u32 = u32::MAX;

/// Compressed adjacency: the items of party `v` are `items[offsets[v]..offsets[v+1]]`.
struct Csr<T> {
    offsets: Vec<u32>,
    items: Vec<T>,
}

impl<T: Copy + Default> Csr<T> {
    /// Groups `(key, item)` pairs by key with a counting sort: linear, and stable, so
    /// the items keep the input order within each key.
    fn build(n: usize, pairs: impl Iterator<Item = (u32, T)> + Clone) -> Csr<T> {
        let mut offsets = vec![0u32; n + 1];
        for (key, _) in pairs.clone() {
            offsets[key as usize + 1] += 1;
        }
        for v in 0..n {
            offsets[v + 1] += offsets[v];
        }
        let mut items = vec![T::default(); offsets[n] as usize];
        let mut cursor = offsets.clone();
        for (key, item) in pairs {
            let slot = &mut cursor[key as usize];
            items[*slot as usize] = item;
            *slot += 1;
        }
        Csr { offsets, items }
    }

    fn of(&self, v: usize) -> &[T] {
        &self.items[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }
}

/// Computes the derived statuses of every party of `graph` under `policy`, counting
/// the stakes in force `as_of`.
pub fn compute(
    graph: &OwnershipGraph,
    listed: &ListedSet,
    policy: Policy,
    as_of: AsOf,
) -> Derivation {
    let n = graph.parties.len();
    let edges = &graph.edges;

    let mut listed_at: Vec<Option<&ListedParty>> = vec![None; n];
    for party in listed.iter() {
        if let Some(p) = graph.party(&party.id) {
            listed_at[p.0 as usize] = Some(party);
        }
    }
    // Sorted, so that which listing stands for the party does not depend on hashing.
    let mut same_party: Vec<(&u32, &Vec<u32>)> = graph.same_party.iter().collect();
    same_party.sort();
    for (&party, others) in same_party {
        if listed_at[party as usize].is_none() {
            listed_at[party as usize] = others.iter().find_map(|&o| listed_at[o as usize]);
        }
    }

    let live: Vec<u32> = (0..edges.len() as u32)
        .into_par_iter()
        .filter(|&at| edges[at as usize].period.in_force(as_of))
        .collect();

    // The arcs that can block: stated shares, and control under EU/UK.
    let propagating = live.iter().filter_map(|&at| {
        let e = &edges[at as usize];
        match e.relation {
            RelationKind::Ownership if e.share != NO_SHARE => {
                Some((e.owner, (e.asset, e.share, e.share_max)))
            }
            RelationKind::Ownership => None,
            _ if policy == Policy::EuUk => Some((e.owner, (e.asset, CONTROL_ARC, CONTROL_ARC))),
            _ => None,
        }
    });
    let out = Csr::build(n, propagating);

    let mut state = vec![FREE; n];
    let mut aggregate = vec![0u64; n];
    // The sum of the upper bounds: where it reaches 50 % and `aggregate` does not,
    // bands leave the rule undecided.
    let mut upper = vec![0u64; n];
    let mut banded = vec![false; n];
    let mut controlled = vec![false; n];
    let mut queue: Vec<u32> = Vec::new();
    for (v, at) in listed_at.iter().enumerate() {
        if at.is_some() {
            state[v] = LISTED;
            queue.push(v as u32);
        }
    }
    let listed_count = queue.len();
    let half = u64::from(Share::HALF.micros());
    let mut head = 0;
    while let Some(&v) = queue.get(head) {
        head += 1;
        for &(asset, share, share_max) in out.of(v as usize) {
            let a = asset as usize;
            if share == CONTROL_ARC {
                controlled[a] = true;
            } else {
                aggregate[a] += u64::from(share);
                upper[a] += u64::from(share_max);
                banded[a] |= share != share_max;
            }
            if state[a] == FREE && (controlled[a] || aggregate[a] >= half) {
                state[a] = DERIVED;
                queue.push(asset);
            }
        }
    }

    let rule_of = |v: usize| -> Option<Rule> {
        if state[v] == FREE {
            return None;
        }
        match policy {
            Policy::Ofac50 => (aggregate[v] >= half).then_some(Rule::Ofac50),
            Policy::EuUk if aggregate[v] >= half => Some(Rule::EuUk50),
            Policy::EuUk => controlled[v].then_some(Rule::EuUkControl),
        }
    };
    let rules: Vec<Option<Rule>> = (0..n).into_par_iter().map(rule_of).collect();

    let incoming = Csr::build(n, live.iter().map(|&at| (edges[at as usize].asset, at)));
    let owning = Csr::build(
        n,
        live.iter().filter_map(|&at| {
            let e = &edges[at as usize];
            (e.relation == RelationKind::Ownership).then_some((e.owner, e.asset))
        }),
    );

    let mut issues = Vec::new();
    let cycles = cycles(n, &owning);
    let mut cycle_size = vec![0u32; n];
    for cycle in &cycles {
        for &v in cycle {
            cycle_size[v as usize] = cycle.len() as u32;
        }
        issues.push(cycle_issue(graph, cycle));
    }

    let totals: Vec<u64> = (0..n)
        .into_par_iter()
        .map(|v| {
            incoming
                .of(v)
                .iter()
                .map(|&at| &edges[at as usize])
                .filter(|e| e.relation == RelationKind::Ownership && e.share != NO_SHARE)
                .map(|e| u64::from(e.share))
                .sum()
        })
        .collect();
    let full = u64::from(Share::FULL.micros());
    let over: Vec<usize> = (0..n).filter(|&v| totals[v] > full).collect();
    for &v in &over {
        issues.push(over_hundred_issue(graph, &incoming, v, totals[v], as_of));
    }
    sort_issues(&mut issues);

    let owner_status = |u: usize| -> Option<OwnerStatus> {
        match (listed_at[u], rules[u]) {
            (Some(party), _) => Some(OwnerStatus::Listed {
                lists: party.lists.clone(),
                programs: party.programs.clone(),
            }),
            (None, Some(rule)) if state[u] == DERIVED => Some(OwnerStatus::Derived { rule }),
            _ => None,
        }
    };
    let stake = |at: u32, status: OwnerStatus| -> Stake {
        let e = &edges[at as usize];
        Stake {
            owner_id: graph.party_id_str(e.owner).to_string(),
            owner_name: graph.party_name(e.owner).to_string(),
            relation: e.relation,
            percent: e.share().map(Share::percent),
            percent_range: e.band().map(|(low, high)| [low.percent(), high.percent()]),
            start_date: e.period.start_text(),
            end_date: e.period.end_text(),
            owner_status: status,
            provenance: graph.provenance(at as usize),
        }
    };

    let blocked_nodes: Vec<usize> = (0..n).filter(|&v| rules[v].is_some()).collect();
    let mut derived: Vec<DerivedStatus> = blocked_nodes
        .par_iter()
        .filter_map(|&v| {
            let rule = rules[v]?;
            let mut owners: Vec<Stake> = incoming
                .of(v)
                .iter()
                .filter(|&&at| {
                    let e = &edges[at as usize];
                    state[e.owner as usize] != FREE
                        && match e.relation {
                            RelationKind::Ownership => e.share != NO_SHARE,
                            _ => policy == Policy::EuUk,
                        }
                })
                .filter_map(|&at| {
                    let owner = edges[at as usize].owner as usize;
                    owner_status(owner).map(|status| stake(at, status))
                })
                .collect();
            sort_stakes(&mut owners);
            let mut warnings = Vec::new();
            if totals[v] > full {
                warnings.push(format!(
                    "the stakes in force in this entity sum to {}% (over 100%)",
                    fmt_percent(totals[v])
                ));
            }
            if cycle_size[v] > 0 {
                warnings.push(format!(
                    "part of an ownership cycle of {} entities",
                    cycle_size[v]
                ));
            }
            Some(DerivedStatus {
                entity_id: graph.party_id_str(v as u32).to_string(),
                entity_name: graph.party_name(v as u32).to_string(),
                rule,
                aggregate_percent: micros_to_percent(aggregate[v]),
                aggregate_at_least: banded[v],
                also_listed: state[v] == LISTED,
                owners,
                warnings,
            })
        })
        .collect();
    derived.par_sort_by(|a, b| a.entity_id.cmp(&b.entity_id));

    // A doubtful owner counts as a lead when the party it may be counts here.
    let candidate_of = |owner: u32| -> Option<(&crate::parties::Candidate, &ListedParty)> {
        let candidate = graph.candidates.get(&owner)?;
        let listed = std::iter::once(&candidate.entity_id)
            .chain(&candidate.listings)
            .filter_map(|id| graph.party(id))
            .find_map(|p| listed_at[p.0 as usize])?;
        Some((candidate, listed))
    };
    let lead_edges: Vec<(u32, LeadKind)> = live
        .iter()
        .filter_map(|&at| {
            let e = &edges[at as usize];
            if state[e.asset as usize] != FREE {
                return None;
            }
            if state[e.owner as usize] == FREE {
                return candidate_of(e.owner).map(|_| (at, LeadKind::DoubtfulOwner));
            }
            match e.relation {
                RelationKind::Ownership if e.share == NO_SHARE => {
                    Some((at, LeadKind::UnknownShare))
                }
                RelationKind::Ownership
                    if e.share != e.share_max && upper[e.asset as usize] >= half =>
                {
                    Some((at, LeadKind::ShareBand))
                }
                RelationKind::Ownership => None,
                // Under EU/UK a blocked controller would have blocked the asset.
                _ => Some((at, LeadKind::Control)),
            }
        })
        .collect();
    let mut leads: Vec<Lead> = lead_edges
        .par_iter()
        .filter_map(|&(at, kind)| {
            let e = &edges[at as usize];
            let status = match kind {
                LeadKind::DoubtfulOwner => {
                    let (candidate, party) = candidate_of(e.owner)?;
                    OwnerStatus::Candidate {
                        entity_id: candidate.entity_id.clone(),
                        entity_name: candidate.entity_name.clone(),
                        score: candidate.score,
                        lists: party.lists.clone(),
                    }
                }
                _ => owner_status(e.owner as usize)?,
            };
            Some(Lead {
                entity_id: graph.party_id_str(e.asset).to_string(),
                entity_name: graph.party_name(e.asset).to_string(),
                kind,
                stake: stake(at, status),
            })
        })
        .collect();
    leads.par_sort_by(|a, b| {
        (&a.entity_id, &a.stake.owner_id, a.kind, a.stake.relation)
            .cmp(&(&b.entity_id, &b.stake.owner_id, b.kind, b.stake.relation))
            .then_with(|| stake_order(&a.stake, &b.stake))
    });

    let stats = DerivationStats {
        parties: n,
        stakes: edges.len(),
        stakes_in_force: live.len(),
        listed: listed_count,
        derived: derived.len(),
        derived_not_listed: derived.iter().filter(|d| !d.also_listed).count(),
        leads: leads.len(),
        cycles: cycles.len(),
        over_hundred_percent: over.len(),
    };
    Derivation {
        policy,
        as_of,
        derived,
        leads,
        issues,
        stats,
    }
}

fn stake_order(a: &Stake, b: &Stake) -> std::cmp::Ordering {
    (&a.owner_id, a.relation, &a.start_date, &a.end_date)
        .cmp(&(&b.owner_id, b.relation, &b.start_date, &b.end_date))
        .then_with(|| {
            a.percent
                .unwrap_or(-1.0)
                .total_cmp(&b.percent.unwrap_or(-1.0))
        })
}

fn sort_stakes(stakes: &mut [Stake]) {
    stakes.sort_by(stake_order);
}

/// The strongly connected components with more than one party, or one party that
/// owns itself, by an iterative Tarjan (no recursion: chains can be long).
fn cycles(n: usize, adjacency: &Csr<u32>) -> Vec<Vec<u32>> {
    const UNSEEN: u32 = u32::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut calls: Vec<(u32, u32)> = Vec::new();
    let mut counter = 0u32;
    let mut found = Vec::new();
    for root in 0..n {
        // A party without stakes out or in cannot be on a cycle.
        if index[root] != UNSEEN || adjacency.of(root).is_empty() {
            continue;
        }
        index[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root as u32);
        on_stack[root] = true;
        calls.push((root as u32, adjacency.offsets[root]));
        while let Some(top) = calls.last_mut() {
            let (v, next) = *top;
            let vu = v as usize;
            if next < adjacency.offsets[vu + 1] {
                top.1 += 1;
                let w = adjacency.items[next as usize] as usize;
                if index[w] == UNSEEN {
                    index[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w as u32);
                    on_stack[w] = true;
                    calls.push((w as u32, adjacency.offsets[w]));
                } else if on_stack[w] {
                    low[vu] = low[vu].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                let p = parent as usize;
                low[p] = low[p].min(low[vu]);
            }
            if low[vu] == index[vu] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 || adjacency.of(vu).contains(&v) {
                    found.push(component);
                }
            }
        }
    }
    found
}

fn cycle_issue(graph: &OwnershipGraph, cycle: &[u32]) -> DataIssue {
    let mut members: Vec<(&str, &str)> = cycle
        .iter()
        .map(|&v| (graph.party_id_str(v), graph.party_name(v)))
        .collect();
    members.sort();
    const SHOWN: usize = 10;
    let mut listing: Vec<String> = members
        .iter()
        .take(SHOWN)
        .map(|(id, name)| format!("{name} ({id})"))
        .collect();
    if members.len() > SHOWN {
        listing.push(format!("and {} more", members.len() - SHOWN));
    }
    let message = if members.len() == 1 {
        format!("{} owns part of itself", listing[0])
    } else {
        format!(
            "ownership cycle among {} entities: {}",
            members.len(),
            listing.join(", ")
        )
    };
    DataIssue::new(
        IssueKind::Cycle,
        members[0].0,
        message,
        members.iter().map(|(id, _)| id.to_string()).collect(),
    )
}

fn over_hundred_issue(
    graph: &OwnershipGraph,
    incoming: &Csr<u32>,
    v: usize,
    total: u64,
    as_of: AsOf,
) -> DataIssue {
    let mut entities = vec![graph.party_id_str(v as u32).to_string()];
    let mut stakes: Vec<(String, String)> = incoming
        .of(v)
        .iter()
        .filter_map(|&at| {
            let e = &graph.edges[at as usize];
            let share = e.share()?;
            (e.relation == RelationKind::Ownership).then_some(())?;
            let id = graph.party_id_str(e.owner);
            entities.push(id.to_string());
            let period = match (e.period.start_text(), e.period.end_text()) {
                (None, None) => String::new(),
                (start, end) => format!(
                    ", {} to {}",
                    start.as_deref().unwrap_or("?"),
                    end.as_deref().unwrap_or("open")
                ),
            };
            Some((
                id.to_string(),
                format!(
                    "{share} by {} ({id}{period}; {})",
                    graph.party_name(e.owner),
                    graph.provenance(at as usize)
                ),
            ))
        })
        .collect();
    stakes.sort();
    DataIssue::new(
        IssueKind::OverHundredPercent,
        graph.party_id_str(v as u32),
        format!(
            "stakes in {} ({}) in force ({as_of}) sum to {}%: {}",
            graph.party_name(v as u32),
            graph.party_id_str(v as u32),
            fmt_percent(total),
            stakes
                .into_iter()
                .map(|(_, text)| text)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        entities,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tarjan_finds_each_cycle_once_and_no_acyclic_part() {
        // 0 → 1 → 2 → 0, then on to 3 → 4, 4 owns itself; 5 ⇄ 6.
        let pairs = [
            (0, 1),
            (1, 2),
            (2, 0),
            (2, 3),
            (3, 4),
            (4, 4),
            (5, 6),
            (6, 5),
        ];
        let csr = Csr::build(7, pairs.iter().copied());
        let mut found = cycles(7, &csr);
        for cycle in &mut found {
            cycle.sort();
        }
        found.sort();
        assert_eq!(found, vec![vec![0, 1, 2], vec![4], vec![5, 6]]);
    }
}
