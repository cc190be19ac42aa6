//! The ownership and control graph: parties and the stakes between them.
//!
//! Built once from list entities (and operator CSV files), then computed on many
//! times with different listed sets, policies and dates, so it is laid out for the
//! computation: parties are numbered `u32`s, every stake is one fixed-size [`Edge`] in
//! one `Vec` (no allocation per stake), and where a stake came from is kept beside it
//! in a parallel `Vec` that is only read when a result is explained. Dates stay on the
//! edges rather than being applied at load time, so one graph answers "as of" any day.
//!
//! # Reading entities
//!
//! An FtM `Ownership` is a link on both its parties (`Owns` on the owner, `OwnedBy` on
//! the asset), so the two links of one record are one stake: they are merged when every
//! field agrees (owner, asset, share, period, role). Merging is not a repair of the data
//! but the undoing of the parser's double view, and it is what keeps a stake from
//! counting twice. OFAC's "Owned or Controlled By:" is a relation without a share and
//! becomes a control edge from the named owner; an FtM `Directorship` (a
//! `Relation::Other("directorship")` link on the director) becomes a director edge.
//! Other links (`LinkedTo`, family, associates) are not ownership or control and are
//! only counted.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use redline_model::{Entity, Relation};
use serde::Serialize;

use crate::issue::{DataIssue, IssueKind, OwnershipError};
use crate::parties::{Candidate, Identified};
use crate::record::Format;
use crate::resolve::{Resolution, Resolver};
use crate::share::{Period, Share};

/// A party's number in one graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartyId(pub(crate) u32);

/// What ties an owner or controller to an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// A shareholding, with or without a stated share.
    Ownership,
    /// The owner side directs the entity (FtM `Directorship`, CSV `director`).
    Director,
    /// The power to appoint or remove a majority of the board.
    BoardMajority,
    /// Control through a shareholder agreement.
    ShareholderAgreement,
    /// The entity acts on behalf of, or at the direction of, the owner side.
    ActingOnBehalf,
    /// OFAC "Owned or Controlled By:": ownership or control, share unknown.
    OwnedOrControlledBy,
    /// Control stated without detail.
    Control,
    /// Accounting consolidation (GLEIF Level 2): the parent controls the child, as a
    /// majority would.
    Consolidation,
}

impl RelationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Ownership => "ownership",
            RelationKind::Director => "director",
            RelationKind::BoardMajority => "board_majority",
            RelationKind::ShareholderAgreement => "shareholder_agreement",
            RelationKind::ActingOnBehalf => "acting_on_behalf",
            RelationKind::OwnedOrControlledBy => "owned_or_controlled_by",
            RelationKind::Control => "control",
            RelationKind::Consolidation => "consolidation",
        }
    }

    /// Everything but a shareholding is a control relation: it never carries a share.
    pub fn is_control(self) -> bool {
        self != RelationKind::Ownership
    }

    /// Reads the CSV `relation` column (case and `-`/space insensitive).
    pub fn parse(text: &str) -> Option<RelationKind> {
        let word: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '-' | ' ' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        Some(match word.as_str() {
            "ownership" | "owns" | "owner" | "shareholder" | "shareholding" => {
                RelationKind::Ownership
            }
            "director" | "directorship" => RelationKind::Director,
            "board_majority" | "majority_of_board" => RelationKind::BoardMajority,
            "shareholder_agreement" => RelationKind::ShareholderAgreement,
            "acting_on_behalf" | "acting_on_behalf_of" => RelationKind::ActingOnBehalf,
            "owned_or_controlled" | "owned_or_controlled_by" => RelationKind::OwnedOrControlledBy,
            "control" | "controls" => RelationKind::Control,
            "consolidation" | "consolidated_by" => RelationKind::Consolidation,
            _ => return None,
        })
    }
}

impl fmt::Display for RelationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// No stated share.
pub(crate) const NO_SHARE: u32 = u32::MAX;

/// One stake: `owner` owns (or controls) `asset`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edge {
    pub owner: u32,
    pub asset: u32,
    /// Millionths of a percent, or [`NO_SHARE`]; for a band, its lower bound.
    pub share: u32,
    /// The upper bound of a band (registers publish bands such as "more than 25 % up
    /// to 50 %"); equal to `share` for a stated share and for [`NO_SHARE`].
    pub share_max: u32,
    pub period: Period,
    pub relation: RelationKind,
}

impl Edge {
    /// The stated share, when it is one number (not a band, not unknown).
    pub fn share(&self) -> Option<Share> {
        (self.share != NO_SHARE && self.share == self.share_max)
            .then(|| Share::from_micros(self.share))?
    }

    /// The band's bounds when the share is a band.
    pub fn band(&self) -> Option<(Share, Share)> {
        (self.share != NO_SHARE && self.share != self.share_max).then(|| {
            Some((
                Share::from_micros(self.share)?,
                Share::from_micros(self.share_max)?,
            ))
        })?
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartyOrigin {
    /// One of the entities the graph was built from.
    Entity,
    /// Named by an entity's link but not among the entities.
    External,
    /// On no list; introduced by a file (`local:…`).
    Local,
    /// Added through [`OwnershipGraph::add_party`].
    Added,
}

#[derive(Debug, Clone)]
pub(crate) struct Party {
    pub id: Box<str>,
    pub name: Box<str>,
    pub origin: PartyOrigin,
}

/// Which entity link a stake was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkWord {
    Owns,
    OwnedBy,
    OwnedOrControlledBy,
    Directorship,
}

impl LinkWord {
    fn as_str(self) -> &'static str {
        match self {
            LinkWord::Owns => "owns",
            LinkWord::OwnedBy => "owned_by",
            LinkWord::OwnedOrControlledBy => "owned_or_controlled_by",
            LinkWord::Directorship => "directorship",
        }
    }
}

pub(crate) const NO_TEXT: u32 = u32::MAX;

/// Where a stake came from, compactly (strings live in side tables).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Origin {
    Link {
        holder: u32,
        word: LinkWord,
        role: u32,
    },
    File {
        file: u32,
        line: u32,
        row: u32,
    },
    Added,
}

/// What a file row says beyond the stake itself, for its provenance.
#[derive(Debug, Clone)]
pub(crate) struct FileRow {
    pub format: Format,
    pub stated: Option<Arc<str>>,
    pub source: Option<Arc<str>>,
    pub as_of: Option<Arc<str>>,
    /// Indices into [`OwnershipGraph::identities`].
    pub owner: u32,
    pub owned: u32,
}

/// Where a stake came from, for output.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Provenance {
    /// A link of a list entity.
    Link {
        entity_id: String,
        link: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    /// A row of an ownership file (operator CSV, PSC, GLEIF, BODS).
    File {
        file: String,
        line: u32,
        format: Format,
        /// The share or nature of control in the file's words.
        #[serde(skip_serializing_if = "Option::is_none")]
        stated: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        as_of: Option<String>,
        /// How the owner and the owned party were identified.
        owner_identified: Identified,
        owned_identified: Identified,
    },
    /// Added through [`OwnershipGraph::add_stake`].
    Added,
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Provenance::Link {
                entity_id,
                link,
                role,
            } => {
                write!(f, "{link} link of {entity_id}")?;
                if let Some(role) = role {
                    write!(f, " ({role:?})")?;
                }
                Ok(())
            }
            Provenance::File {
                file,
                line,
                format,
                stated,
                source,
                as_of,
                owner_identified,
                owned_identified,
            } => {
                write!(f, "{file}:{line} ({format})")?;
                if let Some(stated) = stated {
                    write!(f, ", {stated}")?;
                }
                write!(f, "; owner {owner_identified}, owned {owned_identified}")?;
                if let Some(source) = source {
                    write!(f, ", source {source}")?;
                }
                if let Some(as_of) = as_of {
                    write!(f, ", as of {as_of}")?;
                }
                Ok(())
            }
            Provenance::Added => f.write_str("added by the caller"),
        }
    }
}

/// Counts of what was read, for the caller's report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct GraphStats {
    pub parties: usize,
    pub stakes: usize,
    /// Parties named by a link but not among the entities.
    pub external_parties: usize,
    /// Parties on no list, introduced by files (`local:…`).
    pub local_parties: usize,
    /// Unlisted parties whose name is close to a list entry's (leads for review).
    pub doubtful_parties: usize,
    /// Entity links that are neither ownership nor control (linked to, family, …).
    pub other_links: usize,
}

/// Parties and the stakes between them.
#[derive(Debug, Clone, Default)]
pub struct OwnershipGraph {
    pub(crate) parties: Vec<Party>,
    index: HashMap<Box<str>, u32>,
    pub(crate) edges: Vec<Edge>,
    /// Parallel to `edges`.
    pub(crate) origins: Vec<Origin>,
    pub(crate) texts: Vec<Box<str>>,
    text_index: HashMap<Box<str>, u32>,
    pub(crate) files: Vec<Box<str>>,
    pub(crate) file_rows: Vec<FileRow>,
    /// How the parties of file rows were identified, once per party and file.
    pub(crate) identities: Vec<Identified>,
    /// Unlisted parties a name match says may be a list entity.
    pub(crate) candidates: HashMap<u32, Candidate>,
    /// A list entity a name match linked → the same party's other listings: the
    /// party is listed when any of them is (a match may land on the listing of a
    /// list that does not block, such as the CSL's, of a party OFAC lists).
    pub(crate) same_party: HashMap<u32, Vec<u32>>,
    other_links: usize,
}

impl OwnershipGraph {
    pub fn new() -> Self {
        OwnershipGraph::default()
    }

    /// Reads the ownership and control links of list entities. Every entity becomes a
    /// party, linked or not, so that a CSV file can name any of them later.
    pub fn from_entities(entities: &[Entity]) -> (OwnershipGraph, Vec<DataIssue>) {
        let mut graph = OwnershipGraph::new();
        let mut issues = Vec::new();
        let mut holders = Vec::with_capacity(entities.len());
        for entity in entities {
            if graph.index.contains_key(entity.id.as_str()) {
                issues.push(DataIssue::new(
                    IssueKind::DuplicateEntity,
                    entity.id.clone(),
                    format!(
                        "entity {} appears more than once; its first occurrence is used",
                        entity.id
                    ),
                    vec![entity.id.clone()],
                ));
                holders.push(None);
                continue;
            }
            let id = graph.insert_party(&entity.id, entity.caption(), PartyOrigin::Entity);
            holders.push(Some(id));
        }
        let resolver = Resolver::new(entities);
        let mut seen = HashSet::new();
        let mut externals = HashSet::new();
        for (entity, holder) in entities.iter().zip(holders) {
            let Some(holder) = holder else { continue };
            for (at, link) in entity.links.iter().enumerate() {
                let (word, relation) = match &link.relation {
                    Relation::Owns => (LinkWord::Owns, RelationKind::Ownership),
                    Relation::OwnedBy => (LinkWord::OwnedBy, RelationKind::Ownership),
                    Relation::OwnedOrControlledBy => (
                        LinkWord::OwnedOrControlledBy,
                        RelationKind::OwnedOrControlledBy,
                    ),
                    Relation::Other(kind) if kind == "directorship" => {
                        (LinkWord::Directorship, RelationKind::Director)
                    }
                    Relation::LinkedTo | Relation::Other(_) => {
                        graph.other_links += 1;
                        continue;
                    }
                };
                let location = format!("{} link {}", entity.id, at + 1);
                let Some(target) = graph.link_target(
                    entity,
                    link,
                    &location,
                    &resolver,
                    &mut externals,
                    &mut issues,
                ) else {
                    continue;
                };
                let (owner, asset) = match word {
                    LinkWord::Owns | LinkWord::Directorship => (holder, target),
                    LinkWord::OwnedBy | LinkWord::OwnedOrControlledBy => (target, holder),
                };
                let share = match link.percentage {
                    None => NO_SHARE,
                    Some(_) if relation.is_control() => {
                        issues.push(DataIssue::new(
                            IssueKind::PercentOnControl,
                            &location,
                            format!(
                                "{} link of {} gives a percentage; a control relation carries \
                                 no share, so it is not used",
                                word.as_str(),
                                entity.id
                            ),
                            vec![entity.id.clone()],
                        ));
                        NO_SHARE
                    }
                    Some(p) => match Share::from_percent(p) {
                        Ok(share) => share.micros(),
                        Err(why) => {
                            issues.push(DataIssue::new(
                                IssueKind::InvalidPercent,
                                &location,
                                format!(
                                    "percentage {p} of {} ({why}); kept as a stake of unknown share",
                                    entity.id
                                ),
                                vec![entity.id.clone()],
                            ));
                            NO_SHARE
                        }
                    },
                };
                let period = period_or_report(
                    link.start_date.as_deref(),
                    link.end_date.as_deref(),
                    &location,
                    &entity.id,
                    &mut issues,
                );
                let role = graph.intern(link.role.as_deref());
                let edge = Edge {
                    owner: owner.0,
                    asset: asset.0,
                    share,
                    share_max: share,
                    period,
                    relation,
                };
                // The `Owns` and `OwnedBy` halves of one FtM Ownership are one stake.
                if !seen.insert((edge.owner, edge.asset, share, period, relation, role)) {
                    continue;
                }
                graph.push(
                    edge,
                    Origin::Link {
                        holder: holder.0,
                        word,
                        role,
                    },
                );
            }
        }
        (graph, issues)
    }

    /// The party a link points to: its id if given (a party of its own if unknown),
    /// else its name if exactly one entity carries it.
    fn link_target(
        &mut self,
        entity: &Entity,
        link: &redline_model::Link,
        location: &str,
        resolver: &Resolver,
        externals: &mut HashSet<u32>,
        issues: &mut Vec<DataIssue>,
    ) -> Option<PartyId> {
        if let Some(id) = link.target_id.as_deref() {
            if let Some(&known) = self.index.get(id) {
                return Some(PartyId(known));
            }
            let name = link.target_name.as_deref().unwrap_or("");
            let party = self.insert_party(id, name, PartyOrigin::External);
            if externals.insert(party.0) {
                issues.push(DataIssue::new(
                    IssueKind::ExternalParty,
                    location,
                    format!(
                        "{} links to {id}, which is not among the entities; kept as a party \
                         known only by its id",
                        entity.id
                    ),
                    vec![entity.id.clone(), id.to_string()],
                ));
            }
            return Some(party);
        }
        let Some(name) = link.target_name.as_deref() else {
            issues.push(DataIssue::new(
                IssueKind::UnresolvedParty,
                location,
                format!(
                    "{} has a link with neither id nor name; not used",
                    entity.id
                ),
                vec![entity.id.clone()],
            ));
            return None;
        };
        match resolver.resolve_name(name) {
            Resolution::Entity(id) => self.index.get(id.as_str()).map(|&p| PartyId(p)),
            Resolution::Ambiguous { candidates, .. } => {
                let mut entities = candidates.clone();
                entities.push(entity.id.clone());
                issues.push(DataIssue::new(
                    IssueKind::AmbiguousParty,
                    location,
                    format!(
                        "{} links to {name:?}, a name {} entities carry ({}); not used",
                        entity.id,
                        candidates.len(),
                        candidates.join(", ")
                    ),
                    entities,
                ));
                None
            }
            Resolution::Local(_) | Resolution::Unknown(_) => {
                issues.push(DataIssue::new(
                    IssueKind::UnresolvedParty,
                    location,
                    format!(
                        "{} links to {name:?}, which names no entity; not used",
                        entity.id
                    ),
                    vec![entity.id.clone()],
                ));
                None
            }
        }
    }

    /// Adds a party, or returns the one with this id (keeping its name).
    pub fn add_party(&mut self, id: &str, name: &str) -> PartyId {
        self.insert_party(id, name, PartyOrigin::Added)
    }

    pub(crate) fn insert_party(&mut self, id: &str, name: &str, origin: PartyOrigin) -> PartyId {
        if let Some(&at) = self.index.get(id) {
            return PartyId(at);
        }
        // Graphs beyond 4 billion parties are out of scope; ids are u32 for compactness.
        let at = self.parties.len() as u32;
        self.parties.push(Party {
            id: id.into(),
            name: name.into(),
            origin,
        });
        self.index.insert(id.into(), at);
        PartyId(at)
    }

    /// Adds one stake. A share on a control relation is refused: control carries none.
    pub fn add_stake(
        &mut self,
        owner: PartyId,
        asset: PartyId,
        relation: RelationKind,
        share: Option<Share>,
        period: Period,
    ) -> Result<(), OwnershipError> {
        for party in [owner, asset] {
            if party.0 as usize >= self.parties.len() {
                return Err(OwnershipError::UnknownParty(party.0));
            }
        }
        if relation.is_control() && share.is_some() {
            return Err(OwnershipError::ShareOnControl {
                relation: relation.as_str(),
            });
        }
        let share = share.map_or(NO_SHARE, Share::micros);
        self.push(
            Edge {
                owner: owner.0,
                asset: asset.0,
                share,
                share_max: share,
                period,
                relation,
            },
            Origin::Added,
        );
        Ok(())
    }

    pub(crate) fn push(&mut self, edge: Edge, origin: Origin) {
        self.edges.push(edge);
        self.origins.push(origin);
    }

    pub(crate) fn intern(&mut self, text: Option<&str>) -> u32 {
        let Some(text) = text else { return NO_TEXT };
        if let Some(&at) = self.text_index.get(text) {
            return at;
        }
        let at = self.texts.len() as u32;
        self.texts.push(text.into());
        self.text_index.insert(text.into(), at);
        at
    }

    /// The party with this id.
    pub fn party(&self, id: &str) -> Option<PartyId> {
        self.index.get(id).map(|&at| PartyId(at))
    }

    /// A party's id and name.
    pub fn party_info(&self, party: PartyId) -> Option<(&str, &str)> {
        self.parties
            .get(party.0 as usize)
            .map(|p| (&*p.id, &*p.name))
    }

    pub fn stats(&self) -> GraphStats {
        GraphStats {
            parties: self.parties.len(),
            stakes: self.edges.len(),
            external_parties: self.count(PartyOrigin::External),
            local_parties: self.count(PartyOrigin::Local),
            doubtful_parties: self.candidates.len(),
            other_links: self.other_links,
        }
    }

    fn count(&self, origin: PartyOrigin) -> usize {
        self.parties.iter().filter(|p| p.origin == origin).count()
    }

    pub(crate) fn party_id_str(&self, at: u32) -> &str {
        &self.parties[at as usize].id
    }

    pub(crate) fn party_name(&self, at: u32) -> &str {
        &self.parties[at as usize].name
    }

    /// The provenance of edge `at`, as output.
    pub(crate) fn provenance(&self, at: usize) -> Provenance {
        match self.origins[at] {
            Origin::Link { holder, word, role } => Provenance::Link {
                entity_id: self.party_id_str(holder).to_string(),
                link: word.as_str(),
                role: self.text(role),
            },
            Origin::File { file, line, row } => {
                let row = &self.file_rows[row as usize];
                let text = |t: &Option<Arc<str>>| t.as_deref().map(str::to_string);
                Provenance::File {
                    file: self.files[file as usize].to_string(),
                    line,
                    format: row.format,
                    stated: text(&row.stated),
                    source: text(&row.source),
                    as_of: text(&row.as_of),
                    owner_identified: self.identities[row.owner as usize].clone(),
                    owned_identified: self.identities[row.owned as usize].clone(),
                }
            }
            Origin::Added => Provenance::Added,
        }
    }

    fn text(&self, at: u32) -> Option<String> {
        self.texts.get(at as usize).map(|t| t.to_string())
    }
}

/// Reads a period; a side that is not a date is reported and left open, the other kept.
pub(crate) fn period_or_report(
    start: Option<&str>,
    end: Option<&str>,
    location: &str,
    entity: &str,
    issues: &mut Vec<DataIssue>,
) -> Period {
    match Period::parse(start, end) {
        Ok(period) => period,
        Err(_) => {
            let mut period = Period::ALWAYS;
            for (value, is_end) in [(start, false), (end, true)] {
                let parsed = if is_end {
                    Period::parse(None, value).map(|p| period.end = p.end)
                } else {
                    Period::parse(value, None).map(|p| period.start = p.start)
                };
                if let Err(why) = parsed {
                    issues.push(DataIssue::new(
                        IssueKind::InvalidDate,
                        location,
                        format!(
                            "{} date {why}; the stake is taken as open at that end",
                            if is_end { "end" } else { "start" }
                        ),
                        if entity.is_empty() {
                            Vec::new()
                        } else {
                            vec![entity.to_string()]
                        },
                    ));
                }
            }
            period
        }
    }
}
