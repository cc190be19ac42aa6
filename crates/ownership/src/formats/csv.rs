//! The operator's CSV: one stake per row, parties by list id, number or name.
//!
//! Lists say little about ownership; the operator's own research (registers, due
//! diligence, data vendors) says more, and lives in spreadsheets. Columns are found by
//! name (any order, any case, `_` or space), or by a mapping from the file's own
//! headings (`owner=Shareholder,owned=Company`, as `batch screen --map` reads customer
//! files). A heading that is neither a field nor mapped is refused with the list of
//! fields: a misspelt `percnt` silently ignored would turn every stake into one of
//! unknown share.
//!
//! | field | |
//! |---|---|
//! | `owner`, `owned` | a list id (`ofac-sdn:16669`), `local:<id>`, a registration number, or a name in any script |
//! | `percent` | `50`, `49.9%`, a band `25-50`; empty: not stated |
//! | `relation` | `ownership` (default), `director`, `board_majority`, `shareholder_agreement`, `acting_on_behalf`, `owned_or_controlled`, `control`, `consolidation` |
//! | `start_date`, `end_date` | when the stake held; `--as-of` counts it only then |
//! | `owner_number`, `owned_number` | registration numbers (INN, OGRN, company number, LEI) |
//! | `owner_country`, `owned_country`, `owner_birth_date`, `owner_type` | what name matching may use (`person` or `company`) |
//! | `source`, `as_of` | where and when the operator learnt it: provenance only |

use std::collections::BTreeMap;

use redline_model::SourceId;

use super::malformed;
use crate::graph::RelationKind;
use crate::issue::{DataIssue, IssueKind, OwnershipError};
use crate::record::{Number, ParsedFile, PartyKind, PartyRecord, StakeRecord, StatedShare};
use crate::resolve::LOCAL_PREFIX;
use crate::share::Share;

/// The header of the smallest operator file.
pub const CSV_HEADER: &str = "owner,owned,percent,relation,source,as_of";

/// Every field a column can feed.
pub const FIELDS: [&str; 14] = [
    "owner",
    "owned",
    "percent",
    "relation",
    "source",
    "as_of",
    "start_date",
    "end_date",
    "owner_number",
    "owned_number",
    "owner_country",
    "owned_country",
    "owner_birth_date",
    "owner_type",
];

/// Parses `field=Heading,field=Heading`.
pub fn parse_map(spec: &str) -> Result<BTreeMap<String, &'static str>, String> {
    let mut map = BTreeMap::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (field, heading) = part
            .split_once('=')
            .ok_or_else(|| format!("--map {part:?}: expected field=Column Heading"))?;
        let field = FIELDS.iter().find(|f| **f == field.trim()).ok_or_else(|| {
            format!(
                "--map {part:?}: unknown field {:?}; fields are {}",
                field.trim(),
                FIELDS.join(", ")
            )
        })?;
        map.insert(squash(heading), *field);
    }
    Ok(map)
}

fn squash(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Reads an operator CSV.
pub fn read(file: &str, bytes: &[u8], map: &str) -> Result<ParsedFile, OwnershipError> {
    let malformed_file = |line: u64, message: String| OwnershipError::Malformed {
        file: file.to_string(),
        line,
        message,
    };
    let map = parse_map(map).map_err(|m| malformed_file(1, m))?;
    // Spreadsheets save UTF-8 with a byte-order mark; it is not part of the header.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let header = reader
        .byte_headers()
        .map_err(|e| malformed_file(1, e.to_string()))?
        .clone();
    let mut columns: Vec<&'static str> = Vec::new();
    for heading in header.iter() {
        let heading = String::from_utf8_lossy(heading);
        let key = squash(&heading);
        let field = map
            .get(&key)
            .copied()
            .or_else(|| FIELDS.iter().find(|f| **f == key).copied());
        match field {
            Some(field) if columns.contains(&field) => {
                return Err(malformed_file(
                    1,
                    format!("two columns feed {field:?} (the second is {heading:?})"),
                ))
            }
            Some(field) => columns.push(field),
            None => {
                return Err(OwnershipError::Header {
                    file: file.to_string(),
                    found: heading.into_owned(),
                    fields: FIELDS.join(", "),
                })
            }
        }
    }
    for needed in ["owner", "owned"] {
        if !columns.contains(&needed) {
            return Err(malformed_file(
                1,
                format!(
                    "no {needed:?} column (header: {}); name it so or map it with --map \
                     {needed}=<heading>",
                    String::from_utf8_lossy(header.as_slice())
                ),
            ));
        }
    }
    let mut parsed = ParsedFile::default();
    let mut read_issues = Vec::new();
    let records = super::csv_records(file, &mut reader, &mut read_issues);
    parsed.issues = read_issues;
    for (line, record) in records {
        if record.len() != columns.len() {
            parsed.issues.push(malformed(
                file,
                line,
                format!(
                    "{} fields where the header has {}",
                    record.len(),
                    columns.len()
                ),
            ));
            continue;
        }
        let mut row: BTreeMap<&str, &str> = BTreeMap::new();
        let mut utf8 = true;
        for (field, value) in columns.iter().zip(record.iter()) {
            match std::str::from_utf8(value) {
                Ok(text) => {
                    row.insert(field, text.trim());
                }
                Err(_) => utf8 = false,
            }
        }
        if !utf8 {
            parsed.issues.push(malformed(
                file,
                line,
                "not UTF-8 text (save the file as UTF-8)",
            ));
            continue;
        }
        stake(file, line, &row, &mut parsed);
    }
    Ok(parsed)
}

fn stake(file: &str, line: u64, row: &BTreeMap<&str, &str>, parsed: &mut ParsedFile) {
    let issues = &mut parsed.issues;
    let get = |field: &str| row.get(field).copied().filter(|v| !v.is_empty());
    let location = format!("{file}:{line}");
    let relation_text = get("relation").unwrap_or("ownership");
    let Some(relation) = RelationKind::parse(relation_text) else {
        issues.push(DataIssue::new(
            IssueKind::UnknownRelation,
            &location,
            format!(
                "relation {relation_text:?} is not one of ownership, director, \
                 board_majority, shareholder_agreement, acting_on_behalf, \
                 owned_or_controlled, control, consolidation; row not used"
            ),
            Vec::new(),
        ));
        return;
    };
    let mut owner = party(get("owner").unwrap_or(""));
    let mut owned = party(get("owned").unwrap_or(""));
    for (side, party) in [("owner", &mut owner), ("owned", &mut owned)] {
        if let Some(number) = get(&format!("{side}_number")) {
            party.numbers.push(Number::new("", number));
        }
        party.country = get(&format!("{side}_country")).map(str::to_string);
    }
    owner.birth_date = get("owner_birth_date").map(str::to_string);
    if let Some(kind) = get("owner_type") {
        owner.kind = party_kind(kind);
    }
    for (side, party) in [("owner", &owner), ("owned", &owned)] {
        if party.id.is_none() && party.name.is_none() && party.numbers.is_empty() {
            issues.push(malformed(file, line, format!("{side} is empty")));
            return;
        }
    }
    let share = match get("percent") {
        None => StatedShare::Unknown,
        Some(percent) if relation.is_control() => {
            issues.push(DataIssue::new(
                IssueKind::PercentOnControl,
                &location,
                format!(
                    "percent {percent:?} on a {relation} relation; control carries no share, \
                     so the percent is not used (state a shareholding on a row of its own)"
                ),
                Vec::new(),
            ));
            StatedShare::Unknown
        }
        Some(percent) => read_share(percent, &location, issues),
    };
    let (start, end) = (get("start_date"), get("end_date"));
    let period = crate::graph::period_or_report(start, end, &location, "", issues);
    if let Some(as_of) = get("as_of") {
        if crate::share::Day::parse(as_of).is_none() {
            issues.push(DataIssue::new(
                IssueKind::InvalidDate,
                &location,
                format!("as_of {as_of:?} is not a YYYY-MM-DD date; kept as written"),
                Vec::new(),
            ));
        }
    }
    let stake = StakeRecord {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        owner: parsed.party(owner),
        owned: parsed.party(owned),
        relation,
        share,
        // The share is shown from the stake itself; a CSV's own words add nothing.
        stated: None,
        period,
        source: get("source").map(|s| parsed.text(s)),
        as_of: get("as_of").map(|s| parsed.text(s)),
    };
    parsed.stakes.push(stake);
}

/// A percentage or a band `low-high`; a value that is neither is reported and kept as
/// a stake of unknown share, so that it still shows as a lead.
fn read_share(percent: &str, location: &str, issues: &mut Vec<DataIssue>) -> StatedShare {
    let one = |text: &str, issues: &mut Vec<DataIssue>| match Share::parse(text) {
        Ok((share, rounded)) => {
            if rounded {
                issues.push(DataIssue::new(
                    IssueKind::RoundedPercent,
                    location,
                    format!("percent {text:?} rounded to {share}"),
                    Vec::new(),
                ));
            }
            Ok(share)
        }
        Err(why) => Err(why),
    };
    let band = percent
        .split_once(['-', '–'])
        .filter(|(low, _)| !low.trim().is_empty());
    let read = match band {
        Some((low, high)) => one(low, issues).and_then(|low| {
            one(high, issues).and_then(|high| {
                if low <= high {
                    Ok(StatedShare::Band(low, high))
                } else {
                    Err(crate::share::ShareError::OutOfRange)
                }
            })
        }),
        None => one(percent, issues).map(StatedShare::Exact),
    };
    read.unwrap_or_else(|why| {
        issues.push(DataIssue::new(
            IssueKind::InvalidPercent,
            location,
            format!("percent {percent:?} is {why}; kept as a stake of unknown share"),
            Vec::new(),
        ));
        StatedShare::Unknown
    })
}

fn party_kind(text: &str) -> PartyKind {
    match text.trim().to_ascii_lowercase().as_str() {
        "person" | "individual" | "natural person" => PartyKind::Person,
        "company" | "organization" | "organisation" | "entity" | "legal person" => {
            PartyKind::Organization
        }
        _ => PartyKind::Unknown,
    }
}

/// A cell naming a party: an id, a number, or a name.
pub(crate) fn party(cell: &str) -> PartyRecord {
    let cell = cell.trim();
    let mut party = PartyRecord::default();
    if cell.is_empty() {
        return party;
    }
    let is_id = cell.starts_with(LOCAL_PREFIX)
        || cell
            .split_once(':')
            .is_some_and(|(prefix, _)| prefix.parse::<SourceId>().is_ok());
    if is_id {
        party.id = Some(cell.to_string());
    } else if looks_like_number(cell) {
        party.numbers.push(Number::new("", cell));
    } else {
        party.name = Some(cell.to_string());
    }
    party
}

/// A registration number rather than a name: letters, digits and separators only,
/// at least five digits, and digits at least half of the letters and digits
/// (`7701234567`, `01234567`, `SC123456`, an LEI `5493001KJTIIGC8Y1R12`).
pub(crate) fn looks_like_number(text: &str) -> bool {
    let mut digits = 0;
    let mut letters = 0;
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits += 1;
        } else if c.is_ascii_alphabetic() {
            letters += 1;
        } else if !matches!(c, ' ' | '-' | '/' | '.') {
            return false;
        }
    }
    digits >= 5 && digits >= letters
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_an_id_a_number_or_a_name() {
        assert_eq!(
            party("ofac-sdn:16669").id.as_deref(),
            Some("ofac-sdn:16669")
        );
        assert_eq!(party("local:acme").id.as_deref(), Some("local:acme"));
        assert_eq!(party("7701234567").numbers[0].value, "7701234567");
        assert_eq!(party("5493001KJTIIGC8Y1R12").numbers.len(), 1);
        assert_eq!(
            party("Company A LLC").name.as_deref(),
            Some("Company A LLC")
        );
        assert_eq!(
            party("ООО «Ромашка»").name.as_deref(),
            Some("ООО «Ромашка»")
        );
        assert!(party("Plant No. 12345").name.is_some());
    }

    #[test]
    fn columns_by_name_in_any_order_or_by_map() {
        let text = "Company,Shareholder,Pct\nA LLC,X,50\n";
        let parsed = read(
            "f.csv",
            text.as_bytes(),
            "owned=Company,owner=Shareholder,percent=Pct",
        )
        .expect("mapped");
        assert_eq!(parsed.stakes.len(), 1);
        assert_eq!(
            parsed.parties_of(&parsed.stakes[0]).0.name.as_deref(),
            Some("X")
        );
        assert_eq!(parsed.stakes[0].share, StatedShare::Exact(Share::HALF));
        let refused = read("f.csv", text.as_bytes(), "").expect_err("unmapped heading");
        assert!(refused.to_string().contains("Company"), "{refused}");
        let parsed = read("f.csv", b"percent,Owned,OWNER\n25-50,B,A\n", "").expect("any order");
        assert!(matches!(parsed.stakes[0].share, StatedShare::Band(_, _)));
    }
}
