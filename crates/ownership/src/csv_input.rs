//! Operator ownership files: `owner,owned,percent,relation,source,as_of`.
//!
//! Lists say little about ownership; the operator's own research (registers, due
//! diligence, data vendors) says more, so it is read from a plain CSV an analyst can
//! keep in a spreadsheet. The header must be exactly the six columns, so a file with
//! columns swapped is refused instead of read with owners and assets reversed. The
//! whole file is read before anything is added: a file broken half way (a bad quote,
//! a short row, bytes that are not UTF-8) is an error naming the line and adds nothing.
//! A readable row with bad content (an owner that names nobody, a percentage of 150)
//! is a [`DataIssue`] naming `file:line`.
//!
//! `as_of` is when the operator knew the row to hold. It is kept as provenance, not
//! used as a validity period: a row is a current stake until the operator removes it.

use std::collections::HashSet;

use crate::graph::NO_SHARE;
use crate::graph::{CsvRow, Edge, Origin, OwnershipGraph, PartyId, PartyOrigin, RelationKind};
use crate::issue::{DataIssue, IssueKind, OwnershipError};
use crate::resolve::{Resolution, Resolver};
use crate::share::{Day, Period, Share};

/// The header an operator file must have.
pub const CSV_HEADER: &str = "owner,owned,percent,relation,source,as_of";

struct Row {
    line: u32,
    fields: [String; 6],
}

impl OwnershipGraph {
    /// Adds the stakes of an operator CSV file; returns the problems of its rows.
    pub fn add_csv(
        &mut self,
        file: &str,
        bytes: &[u8],
        resolver: &Resolver,
    ) -> Result<Vec<DataIssue>, OwnershipError> {
        let rows = read_rows(file, bytes)?;
        let mut issues = Vec::new();
        let mut known: HashSet<_> = self
            .edges
            .iter()
            .map(|e| (e.owner, e.asset, e.share, e.period, e.relation))
            .collect();
        let file_at = self.files.len() as u32;
        self.files.push(file.into());
        for row in rows {
            let location = format!("{file}:{}", row.line);
            let [owner, owned, percent, relation, source, as_of] = &row.fields;
            let Some(relation_kind) = RelationKind::parse(relation) else {
                issues.push(DataIssue::new(
                    IssueKind::UnknownRelation,
                    &location,
                    format!(
                        "relation {relation:?} is not one of ownership, director, \
                         board_majority, shareholder_agreement, acting_on_behalf, \
                         owned_or_controlled, control; row not used"
                    ),
                    Vec::new(),
                ));
                continue;
            };
            let owner = self.csv_party(owner, "owner", &location, resolver, &mut issues);
            let asset = self.csv_party(owned, "owned", &location, resolver, &mut issues);
            let (Some(owner), Some(asset)) = (owner, asset) else {
                continue;
            };
            let parties = vec![
                self.party_id_str(owner.0).to_string(),
                self.party_id_str(asset.0).to_string(),
            ];
            let percent = percent.trim();
            let share = if percent.is_empty() {
                NO_SHARE
            } else if relation_kind.is_control() {
                issues.push(DataIssue::new(
                    IssueKind::PercentOnControl,
                    &location,
                    format!(
                        "percent {percent:?} on a {relation_kind} relation; control carries \
                         no share, so the percent is not used (state a shareholding on a \
                         row of its own)"
                    ),
                    parties.clone(),
                ));
                NO_SHARE
            } else {
                match Share::parse(percent) {
                    Ok((share, rounded)) => {
                        if rounded {
                            issues.push(DataIssue::new(
                                IssueKind::RoundedPercent,
                                &location,
                                format!("percent {percent:?} rounded to {share}"),
                                parties.clone(),
                            ));
                        }
                        share.micros()
                    }
                    Err(why) => {
                        issues.push(DataIssue::new(
                            IssueKind::InvalidPercent,
                            &location,
                            format!(
                                "percent {percent:?} is {why}; kept as a stake of unknown share"
                            ),
                            parties.clone(),
                        ));
                        NO_SHARE
                    }
                }
            };
            let as_of = as_of.trim();
            if !as_of.is_empty() && Day::parse(as_of).is_none() {
                issues.push(DataIssue::new(
                    IssueKind::InvalidDate,
                    &location,
                    format!("as_of {as_of:?} is not a YYYY-MM-DD date; kept as written"),
                    parties.clone(),
                ));
            }
            let edge = Edge {
                owner: owner.0,
                asset: asset.0,
                share,
                period: Period::ALWAYS,
                relation: relation_kind,
            };
            if !known.insert((edge.owner, edge.asset, share, edge.period, relation_kind)) {
                issues.push(DataIssue::new(
                    IssueKind::DuplicateStake,
                    &location,
                    format!(
                        "{} → {}: the same {relation_kind} stake is already loaded; not \
                         counted twice",
                        parties[0], parties[1]
                    ),
                    parties,
                ));
                continue;
            }
            let row_at = self.csv_rows.len() as u32;
            let text = |s: &str| (!s.trim().is_empty()).then(|| s.trim().into());
            self.csv_rows.push(CsvRow {
                source: text(source),
                as_of: text(as_of),
            });
            self.push(
                edge,
                Origin::Csv {
                    file: file_at,
                    line: row.line,
                    row: row_at,
                },
            );
        }
        Ok(issues)
    }

    fn csv_party(
        &mut self,
        value: &str,
        column: &str,
        location: &str,
        resolver: &Resolver,
        issues: &mut Vec<DataIssue>,
    ) -> Option<PartyId> {
        match resolver.resolve(value) {
            Resolution::Entity(id) => match self.party(&id) {
                Some(party) => Some(party),
                None => {
                    issues.push(DataIssue::new(
                        IssueKind::UnresolvedParty,
                        location,
                        format!(
                            "{column} {value:?} is entity {id}, which this graph was not \
                             built from; row not used"
                        ),
                        vec![id],
                    ));
                    None
                }
            },
            Resolution::Local(id) => {
                let name = id[crate::resolve::LOCAL_PREFIX.len()..].trim().to_string();
                Some(self.insert_party(&id, &name, PartyOrigin::Local))
            }
            Resolution::Ambiguous { by, candidates } => {
                issues.push(DataIssue::new(
                    IssueKind::AmbiguousParty,
                    location,
                    format!(
                        "{column} {value:?} is the {by} of {} entities ({}); name one by \
                         its id; row not used",
                        candidates.len(),
                        candidates.join(", ")
                    ),
                    candidates,
                ));
                None
            }
            Resolution::Unknown(why) => {
                issues.push(DataIssue::new(
                    IssueKind::UnresolvedParty,
                    location,
                    format!("{column} cannot be resolved: {why}; row not used"),
                    Vec::new(),
                ));
                None
            }
        }
    }
}

/// Reads every row, or fails naming the first line that is not a six-column CSV row.
fn read_rows(file: &str, bytes: &[u8]) -> Result<Vec<Row>, OwnershipError> {
    // Spreadsheets save UTF-8 with a byte-order mark; it is not part of the header.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header = reader
        .byte_headers()
        .map_err(|e| csv_error(file, &e))?
        .clone();
    let found = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect::<Vec<_>>()
        .join(",");
    if found != CSV_HEADER {
        return Err(OwnershipError::Header {
            file: file.to_string(),
            expected: CSV_HEADER,
            found,
        });
    }
    let mut rows = Vec::new();
    for record in reader.byte_records() {
        let record = record.map_err(|e| csv_error(file, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        let mut fields: [String; 6] = Default::default();
        for (slot, field) in fields.iter_mut().zip(record.iter()) {
            *slot = std::str::from_utf8(field)
                .map_err(|_| OwnershipError::Malformed {
                    file: file.to_string(),
                    line,
                    message: "not UTF-8 text".to_string(),
                })?
                .to_string();
        }
        rows.push(Row {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            fields,
        });
    }
    Ok(rows)
}

fn csv_error(file: &str, error: &csv::Error) -> OwnershipError {
    let line = error.position().map_or(0, |p| p.line());
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        _ => error.to_string(),
    };
    OwnershipError::Malformed {
        file: file.to_string(),
        line,
        message,
    }
}
