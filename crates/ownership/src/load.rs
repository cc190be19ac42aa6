//! Adding ownership files to a graph: read each in its format, name every party once
//! across all of them, then add the stakes.
//!
//! Files are read together because they inform each other: GLEIF's LEI records name
//! the LEIs of its relationship records, a PSC line's corporate owner is another
//! line's company, and a company one CSV row names with its number another names
//! without. The whole of every file is read before anything is added; a file that
//! cannot be its format at all is an error naming it and adds nothing, while each row
//! that cannot be used is a [`DataIssue`] naming `file:line` (see
//! [`IssueKind::refuses_row`]).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::formats::{self, ReadOptions};
use crate::graph::{Edge, FileRow, Origin, OwnershipGraph, PartyId, PartyOrigin, NO_SHARE};
use crate::issue::{DataIssue, IssueKind, OwnershipError};
use crate::parties::{name_parties, MatchBar, NameMatcher, Named};
use crate::record::{Format, PartyRecord, StatedShare};
use crate::resolve::Resolver;

/// One file to add.
#[derive(Debug, Clone, Copy)]
pub struct FileInput<'a> {
    /// The name messages and provenance use (a path, or the stored file's name).
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub options: &'a ReadOptions,
}

/// What one file gave.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub file: String,
    pub format: Format,
    /// Stakes added from the file.
    pub stakes: usize,
    /// Rows refused (see [`IssueKind::refuses_row`]).
    pub refused: usize,
    /// Every issue of the file: refused rows, rows that are not stakes, warnings.
    pub issues: Vec<DataIssue>,
}

impl FileReport {
    /// Whether rows were refused: the file was loaded partially.
    pub fn is_partial(&self) -> bool {
        self.refused > 0
    }
}

impl OwnershipGraph {
    /// Adds the stakes of ownership files; `matcher` names parties by the matching
    /// engine (without it, names must be exact).
    pub fn add_files(
        &mut self,
        files: &[FileInput<'_>],
        resolver: &Resolver,
        matcher: Option<(&dyn NameMatcher, MatchBar)>,
    ) -> Result<Vec<FileReport>, OwnershipError> {
        let mut read = Vec::with_capacity(files.len());
        for file in files {
            read.push(formats::read(file.name, file.bytes, file.options)?);
        }
        let names: Vec<_> = read
            .iter()
            .flat_map(|(_, parsed)| parsed.names.iter().cloned())
            .collect();
        // Every file's parties in one table: the same company in two files is one.
        // (Kept once: the map owns each record until it is moved into the table.) One
        // file's parties are that table already.
        let mut index: HashMap<PartyRecord, u32> = HashMap::new();
        let mut global: Vec<Vec<u32>> = Vec::with_capacity(read.len());
        let single = match read.as_mut_slice() {
            [(_, parsed)] => Some(parsed.take_parties()),
            _ => None,
        };
        for (_, parsed) in read.iter_mut().filter(|_| single.is_none()) {
            let local = parsed.take_parties();
            global.push(
                local
                    .into_iter()
                    .map(|record| {
                        let next = index.len() as u32;
                        *index.entry(record).or_insert(next)
                    })
                    .collect(),
            );
        }
        let parties: Vec<PartyRecord> = match single {
            Some(parties) => {
                global.push((0..parties.len() as u32).collect());
                parties
            }
            None => {
                let mut slots: Vec<(u32, PartyRecord)> =
                    index.into_iter().map(|(record, at)| (at, record)).collect();
                slots.sort_unstable_by_key(|(at, _)| *at);
                slots.into_iter().map(|(_, record)| record).collect()
            }
        };
        let mut owns = vec![false; parties.len()];
        for ((_, parsed), global) in read.iter().zip(&global) {
            for stake in &parsed.stakes {
                owns[global[stake.owner as usize] as usize] = true;
            }
        }
        let mut named = name_parties(&parties, &owns, &names, resolver, matcher);
        // Named, the records are no longer needed: a register's million parties are
        // not kept twice while the graph is built.
        drop(parties);

        let mut known: HashSet<_> = self
            .edges
            .iter()
            .map(|e| (e.owner, e.asset, e.share, e.share_max, e.period, e.relation))
            .collect();
        // Each party's node and identification, made at its first stake.
        let mut nodes: Vec<Option<(PartyId, u32)>> = vec![None; named.len()];
        let mut reports = Vec::with_capacity(files.len());
        for ((file, (format, parsed)), global) in files.iter().zip(read).zip(global) {
            let file_at = self.files.len() as u32;
            self.files.push(file.name.into());
            let mut issues = parsed.issues;
            let mut added = 0;
            for stake in parsed.stakes {
                let location = || format!("{}:{}", file.name, stake.line);
                let mut node = |at: u32, side: &str, issues: &mut Vec<DataIssue>| {
                    let at = global[at as usize] as usize;
                    if let Some(node) = nodes[at] {
                        return Some(node);
                    }
                    let made = self.file_party(&mut named[at], side, &location(), issues)?;
                    nodes[at] = Some(made);
                    Some(made)
                };
                let owner = node(stake.owner, "owner", &mut issues);
                let owned = node(stake.owned, "owned", &mut issues);
                let (Some((owner, owner_by)), Some((asset, owned_by))) = (owner, owned) else {
                    continue;
                };
                let (share, share_max) = match stake.share {
                    StatedShare::Unknown => (NO_SHARE, NO_SHARE),
                    StatedShare::Exact(s) => (s.micros(), s.micros()),
                    StatedShare::Band(low, high) => (low.micros(), high.micros()),
                };
                let edge = Edge {
                    owner: owner.0,
                    asset: asset.0,
                    share,
                    share_max,
                    period: stake.period,
                    relation: stake.relation,
                };
                if !known.insert((
                    owner.0,
                    asset.0,
                    share,
                    share_max,
                    stake.period,
                    stake.relation,
                )) {
                    issues.push(DataIssue::new(
                        IssueKind::DuplicateStake,
                        location(),
                        format!(
                            "{} → {}: the same {} stake is already loaded; not counted twice",
                            self.party_id_str(owner.0),
                            self.party_id_str(asset.0),
                            stake.relation
                        ),
                        vec![
                            self.party_id_str(owner.0).to_string(),
                            self.party_id_str(asset.0).to_string(),
                        ],
                    ));
                    continue;
                }
                let row = self.file_rows.len() as u32;
                self.file_rows.push(FileRow {
                    format,
                    stated: stake.stated,
                    source: stake.source,
                    as_of: stake.as_of,
                    owner: owner_by,
                    owned: owned_by,
                });
                self.push(
                    edge,
                    Origin::File {
                        file: file_at,
                        line: stake.line,
                        row,
                    },
                );
                added += 1;
            }
            // In the file's order: by line, then as found.
            issues.sort_by_key(|i| line_of(&i.location));
            reports.push(FileReport {
                file: file.name.to_string(),
                format,
                stakes: added,
                refused: issues.iter().filter(|i| i.kind.refuses_row()).count(),
                issues,
            });
        }
        Ok(reports)
    }

    /// Adds the stakes of one operator CSV file (exact names only); returns its issues.
    pub fn add_csv(
        &mut self,
        file: &str,
        bytes: &[u8],
        resolver: &Resolver,
    ) -> Result<Vec<DataIssue>, OwnershipError> {
        let options = ReadOptions {
            format: Some(Format::Csv),
            map: String::new(),
        };
        let input = FileInput {
            name: file,
            bytes,
            options: &options,
        };
        let mut reports = self.add_files(&[input], resolver, None)?;
        Ok(reports.pop().map(|r| r.issues).unwrap_or_default())
    }

    /// The node of a named party, with the index of its identification; `None` (and
    /// an issue) when it was refused.
    /// Takes the party's strings out of `named` (each party is made once).
    fn file_party(
        &mut self,
        named: &mut Named,
        side: &str,
        location: &str,
        issues: &mut Vec<DataIssue>,
    ) -> Option<(PartyId, u32)> {
        match named {
            Named::Party {
                id,
                listings,
                name,
                local,
                identified,
                candidate,
            } => {
                // A name match may land on a listing that does not block (the CSL's) of
                // a party a sanctions list carries: the path names the blocking one.
                let (id, name) = (std::mem::take(id), std::mem::take(name));
                let id = std::iter::once(&id)
                    .chain(listings.iter())
                    .find(|l| {
                        l.split_once(':')
                            .and_then(|(source, _)| source.parse().ok())
                            .is_some_and(crate::listed::source_lists_parties)
                    })
                    .unwrap_or(&id);
                let party = if *local {
                    self.insert_party(id, &name, PartyOrigin::Local)
                } else if let Some(party) = self.party(id) {
                    party
                } else {
                    issues.push(DataIssue::new(
                        IssueKind::UnresolvedParty,
                        location,
                        format!(
                            "{side} is entity {id}, which this graph was not built from; row \
                             not used"
                        ),
                        vec![id.clone()],
                    ));
                    return None;
                };
                let others: Vec<u32> = listings
                    .iter()
                    .filter_map(|l| self.party(l))
                    .map(|p| p.0)
                    .filter(|&p| p != party.0)
                    .collect();
                if !others.is_empty() {
                    let same = self.same_party.entry(party.0).or_default();
                    for other in others {
                        if !same.contains(&other) {
                            same.push(other);
                        }
                    }
                }
                if let Some(candidate) = candidate.take() {
                    self.candidates.entry(party.0).or_insert(*candidate);
                }
                let identified_at = self.identities.len() as u32;
                self.identities.push(std::mem::replace(
                    identified,
                    crate::parties::Identified::Name,
                ));
                Some((party, identified_at))
            }
            Named::Refused {
                written,
                kind,
                reason,
                entities,
            } => {
                issues.push(DataIssue::new(
                    *kind,
                    location,
                    format!("{side} {written:?}: {reason}; row not used"),
                    entities.clone(),
                ));
                None
            }
        }
    }
}

/// The line of a `file:line` location (0 when it has none).
fn line_of(location: &str) -> u64 {
    location
        .rsplit_once(':')
        .and_then(|(_, line)| line.parse().ok())
        .unwrap_or(0)
}
