//! GLEIF Level 2: who consolidates whom, between legal entities known by their LEI.
//!
//! The relationship records (RR-CDF golden copy CSV) say that a child
//! (`Relationship.StartNode.NodeID`) `IS_DIRECTLY_CONSOLIDATED_BY` or
//! `IS_ULTIMATELY_CONSOLIDATED_BY` a parent (`EndNode`). Accounting consolidation means
//! the parent controls the child (IFRS 10 / US GAAP: a controlling, normally majority,
//! interest), so it is read as majority control — a `consolidation` relation, which the
//! EU/UK test counts as control and the OFAC rule, which counts shares only, shows as a
//! lead; when a quantifier states the percentage held, that share is a stake of its
//! own. A branch (`IS_INTERNATIONAL_BRANCH_OF`) is part of its head office and is read
//! as control; fund management and feeder relations are not ownership and are
//! reported as unused.
//!
//! The records carry LEIs only; the entities' names are in the LEI records (LEI-CDF
//! golden copy CSV), loaded as a file of their own ([`read_names`]), so that the
//! parents can be looked up on the lists by name as well as by LEI.

use std::collections::HashMap;

use super::{malformed, not_a_stake};
use crate::graph::RelationKind;
use crate::issue::OwnershipError;
use crate::record::{Number, ParsedFile, PartyKind, PartyRecord, StakeRecord, StatedShare};
use crate::share::Share;

/// The scheme of LEIs.
pub const LEI_SCHEME: &str = "LEI";

struct Columns(HashMap<String, usize>);

impl Columns {
    fn read(
        file: &str,
        reader: &mut csv::Reader<&[u8]>,
        needed: &[&str],
    ) -> Result<Columns, OwnershipError> {
        let header = reader.headers().map_err(|e| OwnershipError::Malformed {
            file: file.to_string(),
            line: 1,
            message: e.to_string(),
        })?;
        let columns = Columns(
            header
                .iter()
                .enumerate()
                .map(|(at, h)| (h.trim().to_string(), at))
                .collect(),
        );
        for name in needed {
            if !columns.0.contains_key(*name) {
                return Err(OwnershipError::Malformed {
                    file: file.to_string(),
                    line: 1,
                    message: format!("no {name} column"),
                });
            }
        }
        Ok(columns)
    }

    fn get<'r>(&self, record: &'r csv::StringRecord, name: &str) -> Option<&'r str> {
        self.0
            .get(name)
            .and_then(|&at| record.get(at))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }
}

/// The records as text; one that is not UTF-8 is reported and skipped.
fn string_records(
    file: &str,
    reader: &mut csv::Reader<&[u8]>,
    issues: &mut Vec<crate::issue::DataIssue>,
) -> Vec<(u64, csv::StringRecord)> {
    let mut records = Vec::new();
    for (line, record) in super::csv_records(file, reader, issues) {
        match csv::StringRecord::from_byte_record(record) {
            Ok(record) => records.push((line, record)),
            Err(_) => issues.push(malformed(file, line, "not UTF-8 text")),
        }
    }
    records
}

fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes)
}

const START: &str = "Relationship.StartNode.NodeID";
const END: &str = "Relationship.EndNode.NodeID";
const TYPE: &str = "Relationship.RelationshipType";

/// Reads relationship records.
pub fn read_relationships(file: &str, bytes: &[u8]) -> Result<ParsedFile, OwnershipError> {
    let mut reader = reader(bytes);
    let columns = Columns::read(file, &mut reader, &[START, END, TYPE])?;
    let mut parsed = ParsedFile::default();
    for (line, record) in string_records(file, &mut reader, &mut parsed.issues) {
        let get = |name: &str| columns.get(&record, name);
        let (Some(child), Some(parent), Some(kind)) = (get(START), get(END), get(TYPE)) else {
            parsed.issues.push(malformed(
                file,
                line,
                "a start node, end node or type is empty",
            ));
            continue;
        };
        let relation = match kind {
            "IS_DIRECTLY_CONSOLIDATED_BY" | "IS_ULTIMATELY_CONSOLIDATED_BY" => {
                RelationKind::Consolidation
            }
            "IS_INTERNATIONAL_BRANCH_OF" => RelationKind::Control,
            other => {
                parsed.issues.push(not_a_stake(
                    file,
                    line,
                    format!("{child} {other} {parent}: not ownership or control; not used"),
                ));
                continue;
            }
        };
        if let Some(status @ ("ANNULLED" | "DUPLICATE")) = get("Registration.RegistrationStatus") {
            parsed.issues.push(not_a_stake(
                file,
                line,
                format!("{child} → {parent}: registration {status}; not used"),
            ));
            continue;
        }
        let location = format!("{file}:{line}");
        let (start, end) = relationship_period(&columns, &record);
        let mut period =
            crate::graph::period_or_report(start, end, &location, "", &mut parsed.issues);
        if get("Relationship.RelationshipStatus") == Some("INACTIVE") && !period.has_end() {
            // Inactive without an end date: it held once, and does not now.
            let Some(updated) = get("Registration.LastUpdateDate") else {
                parsed.issues.push(not_a_stake(
                    file,
                    line,
                    format!("{child} → {parent}: INACTIVE with no end date; not used"),
                ));
                continue;
            };
            period = crate::graph::period_or_report(
                start,
                updated.get(..10),
                &location,
                "",
                &mut parsed.issues,
            );
        }
        let node = |lei: &str| PartyRecord {
            numbers: vec![Number::new(LEI_SCHEME, lei)],
            kind: PartyKind::Organization,
            registered: true,
            ..PartyRecord::default()
        };
        let mut stake = StakeRecord {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            owner: parsed.party(node(parent)),
            owned: parsed.party(node(child)),
            relation,
            share: StatedShare::Unknown,
            stated: Some(parsed.text(kind)),
            period,
            source: Some(parsed.text("GLEIF Level 2")),
            as_of: get("Registration.LastUpdateDate").map(|d| parsed.text(d)),
        };
        if let Some(share) = quantified_share(&columns, &record) {
            let mut held = stake.clone();
            held.relation = RelationKind::Ownership;
            held.share = StatedShare::Exact(share);
            held.stated = Some(parsed.text(&format!("{kind}, {share} held")));
            parsed.stakes.push(held);
        }
        stake.period = period;
        parsed.stakes.push(stake);
    }
    Ok(parsed)
}

/// The relationship period among the record's periods (accounting and filing periods
/// say when the parent's accounts covered the child, not when it held it).
fn relationship_period<'r>(
    columns: &Columns,
    record: &'r csv::StringRecord,
) -> (Option<&'r str>, Option<&'r str>) {
    for n in 1..=5 {
        let kind = columns.get(record, &format!("Relationship.Period.{n}.periodType"));
        if kind == Some("RELATIONSHIP_PERIOD") {
            // Dates are written as timestamps (`2019-01-01T00:00:00Z`); the day is kept.
            let day = |field: &str| {
                columns
                    .get(record, &format!("Relationship.Period.{n}.{field}"))
                    .map(|d| d.get(..10).unwrap_or(d))
            };
            return (day("startDate"), day("endDate"));
        }
    }
    (None, None)
}

fn quantified_share(columns: &Columns, record: &csv::StringRecord) -> Option<Share> {
    (1..=5).find_map(|n| {
        let units = columns.get(
            record,
            &format!("Relationship.Quantifiers.{n}.QuantifierUnits"),
        )?;
        if units != "PERCENTAGE" {
            return None;
        }
        let amount = columns.get(
            record,
            &format!("Relationship.Quantifiers.{n}.QuantifierAmount"),
        )?;
        Share::parse(amount).ok().map(|(share, _)| share)
    })
}

/// Reads LEI records: each LEI's legal name and country.
pub fn read_names(file: &str, bytes: &[u8]) -> Result<ParsedFile, OwnershipError> {
    let mut reader = reader(bytes);
    let columns = Columns::read(file, &mut reader, &["LEI", "Entity.LegalName"])?;
    let mut parsed = ParsedFile::default();
    for (line, record) in string_records(file, &mut reader, &mut parsed.issues) {
        let (Some(lei), Some(name)) = (
            columns.get(&record, "LEI"),
            columns.get(&record, "Entity.LegalName"),
        ) else {
            parsed.issues.push(malformed(
                file,
                line,
                "an LEI record without LEI or legal name",
            ));
            continue;
        };
        let country = columns
            .get(&record, "Entity.LegalAddress.Country")
            .or_else(|| columns.get(&record, "Entity.LegalJurisdiction"))
            .map(str::to_string);
        let lei = Number::new(LEI_SCHEME, lei);
        parsed
            .names
            .push((lei.clone(), name.to_string(), country.clone()));
        // The legal name is in the entity's own script; the other names (English,
        // transliterated) are what a list written in English can be matched on.
        for n in 1..=5 {
            for column in [
                format!("Entity.OtherEntityNames.OtherEntityName.{n}"),
                format!("Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.{n}"),
            ] {
                if let Some(other) = columns.get(&record, &column) {
                    parsed
                        .names
                        .push((lei.clone(), other.to_string(), country.clone()));
                }
            }
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consolidation_with_a_quantifier_is_control_and_a_stake() {
        let text = "Relationship.StartNode.NodeID,Relationship.EndNode.NodeID,Relationship.RelationshipType,Relationship.RelationshipStatus,Relationship.Period.1.startDate,Relationship.Period.1.endDate,Relationship.Period.1.periodType,Relationship.Quantifiers.1.MeasurementMethod,Relationship.Quantifiers.1.QuantifierAmount,Relationship.Quantifiers.1.QuantifierUnits\n\
CHILD0000000000000001,PARENT000000000000001,IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,2019-01-01T00:00:00Z,,RELATIONSHIP_PERIOD,ACCOUNTING_CONSOLIDATION,60.00,PERCENTAGE\n\
CHILD0000000000000002,PARENT000000000000001,IS_FUND-MANAGED_BY,ACTIVE,,,,,,\n";
        let parsed = read_relationships("rr.csv", text.as_bytes()).expect("reads");
        assert_eq!(parsed.stakes.len(), 2);
        assert_eq!(parsed.stakes[0].relation, RelationKind::Ownership);
        assert_eq!(parsed.stakes[1].relation, RelationKind::Consolidation);
        assert_eq!(
            parsed.parties_of(&parsed.stakes[1]).0.numbers[0].value,
            "PARENT000000000000001"
        );
        assert_eq!(parsed.issues.len(), 1, "{:?}", parsed.issues);
    }
}
