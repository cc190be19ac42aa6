//! Australia's Consolidated List (DFAT, `regulation8_consolidated.xlsx`).
//!
//! One sheet, one row per name: `Reference` numbers a party (`2`) and its other
//! names (`2a`, `2b`); `Name Type` says which a row is (`Primary Name`, `aka`, `fka`,
//! `Original Script`); the party's facts are repeated on each of its rows: `Type`
//! (`Individual`, `Entity`, `Vessel`), `Date of Birth` and `Place of Birth` and
//! `Citizenship` (several written `a) … b) …`), `Address`, `Additional Information`,
//! `Listing Information`, `Committees` (the regime: `1988 (Taliban)`, `Russia`) and
//! `Control Date` (the last change; the newest dates the version). `NA` is no value.

use redline_model::{countries, push_unique, DateValue, Entity, Name, NameKind, Schema, SourceId};

use crate::xlsx::{cell_text, date_text, first_sheet, is_blank};
use crate::{InputFile, ParseReport, ParsedList, SourceError};

const SOURCE: SourceId = SourceId::AuDfat;

const HEADERS: [&str; 12] = [
    "Reference",
    "Name of Individual or Entity",
    "Type",
    "Name Type",
    "Date of Birth",
    "Place of Birth",
    "Citizenship",
    "Address",
    "Additional Information",
    "Listing Information",
    "Committees",
    "Control Date",
];

/// Splits DFAT's enumerations, `a) Mullah b) Haji`, into their items.
fn items(text: &str) -> Vec<&str> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    for i in 1..bytes.len().saturating_sub(1) {
        let marker = bytes[i].is_ascii_lowercase() && bytes[i + 1] == b')' && bytes[i - 1] == b' ';
        if marker {
            starts.push(i);
        }
    }
    if text.len() > 1 && bytes[0].is_ascii_lowercase() && bytes[1] == b')' {
        starts[0] = 0;
    }
    let mut out = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(text.len());
        let item = text[s..end].trim();
        let item = match item.as_bytes() {
            [b, b')', ..] if b.is_ascii_lowercase() => item[2..].trim(),
            _ => item,
        };
        if !item.is_empty() {
            out.push(item);
        }
    }
    out
}

fn present(text: Option<&str>) -> Option<&str> {
    text.map(str::trim)
        .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("NA"))
}

/// DFAT's year ranges (`1955- 1958`, `Between 1958 and 1963`) as the model reads
/// ranges (`1955 to 1958`); anything else unchanged.
fn year_range(text: &str) -> String {
    let years: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .collect();
    let words_only = text
        .split(|c: char| c.is_ascii_digit() || c == '-' || c.is_whitespace())
        .all(|w| {
            w.is_empty() || matches!(w.to_ascii_lowercase().as_str(), "between" | "and" | "to")
        });
    match years.as_slice() {
        [from, to] if words_only => format!("{from} to {to}"),
        _ => text.to_string(),
    }
}

/// The party a reference belongs to: its leading digits (`12b` → `12`).
fn party_of(reference: &str) -> &str {
    let end = reference
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(reference.len());
    &reference[..end]
}

/// Parses the Consolidated List workbook.
pub fn parse(file: InputFile<'_>) -> Result<ParsedList, SourceError> {
    let sheet = first_sheet(
        &file,
        "DFAT's Consolidated List (regulation8_consolidated.xlsx)",
    )?;
    let rows: Vec<&[calamine::Data]> = sheet.rows().collect();
    let header = rows
        .iter()
        .position(|r| r.iter().filter_map(cell_text).any(|t| t == HEADERS[0]))
        .ok_or_else(|| {
            SourceError::invalid(
                file.name,
                "no \"Reference\" header row: not DFAT's Consolidated List",
            )
        })?;
    let mut at = [0usize; HEADERS.len()];
    for (slot, name) in at.iter_mut().zip(HEADERS) {
        *slot = rows[header]
            .iter()
            .position(|c| cell_text(c).as_deref() == Some(name))
            .ok_or_else(|| {
                SourceError::invalid(file.name, format!("no {name:?} column in the header row"))
            })?;
    }
    let first_row = sheet.start().map_or(1, |(row, _)| row as usize + 1);
    let mut report = ParseReport::default();
    let mut entities: Vec<Entity> = Vec::new();
    let mut by_party: std::collections::HashMap<String, usize> = Default::default();
    let mut published: Option<String> = None;
    for (offset, cells) in rows.iter().enumerate().skip(header + 1) {
        if cells.iter().all(is_blank) {
            continue;
        }
        report.records += 1;
        let location = format!("{}:row {}", file.name, first_row + offset);
        let get = |column: usize| cells.get(at[column]).and_then(cell_text);
        let (Some(reference), Some(name)) = (get(0), get(1)) else {
            report.warn(location, "a row with no reference or no name");
            continue;
        };
        let party = party_of(&reference).to_string();
        if party.is_empty() {
            report.warn(
                &location,
                format!("reference {reference:?} numbers no party"),
            );
            continue;
        }
        let kind = match get(3).as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("primary name") => NameKind::Primary,
            Some("original script") => NameKind::OriginalScript,
            Some("fka") | Some("formerly known as") => NameKind::FormerName,
            _ => NameKind::StrongAlias,
        };
        let i = match by_party.get(&party) {
            Some(&i) => i,
            None => {
                let schema = match get(2).as_deref() {
                    Some("Individual") => Schema::Person,
                    Some("Vessel") => Schema::Vessel,
                    _ => Schema::Organization,
                };
                by_party.insert(party.clone(), entities.len());
                entities.push(Entity::new(SOURCE, &party, schema));
                entities.len() - 1
            }
        };
        let entity = &mut entities[i];
        entity.add_name(Name::new(name.as_ref(), kind));
        if kind != NameKind::Primary {
            continue;
        }
        read_facts(entity, &get, &location, &mut report);
        if let Some(date) = get(11).and_then(|d| date_text(&d)) {
            if published.as_deref() < Some(date.as_str()) {
                published = Some(date);
            }
        }
    }
    if entities.is_empty() {
        return Err(SourceError::invalid(file.name, "the sheet lists no party"));
    }
    Ok(ParsedList::new(SOURCE, published, entities, report))
}

/// The party's facts, read once from its primary name's row.
fn read_facts<'c>(
    entity: &mut Entity,
    get: &dyn Fn(usize) -> Option<std::borrow::Cow<'c, str>>,
    location: &str,
    report: &mut ParseReport,
) {
    if let Some(dates) = get(4) {
        // Alternatives are also written `X or Y`, `X; Y` and `X >> Y`.
        let alternatives = items(present(Some(&dates)).unwrap_or_default())
            .into_iter()
            .flat_map(|i| {
                i.split([';'])
                    .flat_map(|p| p.split(" or "))
                    .flat_map(|p| p.split(">>"))
            })
            .map(|i| i.trim().trim_end_matches(','))
            .filter(|i| !i.is_empty())
            .collect::<Vec<_>>();
        for item in alternatives {
            let plain = item
                .trim_start_matches("Approximately")
                .trim_start_matches("approximately")
                .trim();
            match DateValue::parse(&year_range(plain)) {
                Some(mut d) => {
                    d.circa |= plain.len() != item.len();
                    entity.birth_dates.push(d);
                }
                None => {
                    entity.add_property("birth_date_text", item);
                    report.warn(location, format!("unreadable date of birth {item:?}"));
                }
            }
        }
    }
    if let Some(places) = get(5) {
        for place in items(present(Some(&places)).unwrap_or_default()) {
            push_unique(&mut entity.birth_places, place.to_string());
        }
    }
    if let Some(citizenship) = get(6) {
        for c in items(present(Some(&citizenship)).unwrap_or_default()) {
            match countries::to_code(c) {
                Some(code) => push_unique(&mut entity.citizenships, code),
                None => entity.add_property("citizenship_text", c),
            }
        }
    }
    if let Some(address) = get(7) {
        for a in items(present(Some(&address)).unwrap_or_default()) {
            crate::add_written_address(entity, a);
        }
    }
    for (column, key) in [(8, "additional_information"), (9, "listing_information")] {
        if let Some(text) = get(column) {
            if let Some(text) = present(Some(&text)) {
                entity.add_property(key, text);
            }
        }
    }
    if let Some(committees) = get(10) {
        for c in items(present(Some(&committees)).unwrap_or_default()) {
            push_unique(&mut entity.programs, c.to_string());
        }
    }
    if let Some(date) = get(11).and_then(|d| date_text(&d)) {
        entity.add_property("control_date", date);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerations_and_references() {
        assert_eq!(
            items("a) Approximately 1955- 1958 b) Approximately 1945-1950"),
            ["Approximately 1955- 1958", "Approximately 1945-1950"]
        );
        assert_eq!(items("Afghanistan"), ["Afghanistan"]);
        assert_eq!(
            items("Title: a) Mullah b) Haji."),
            ["Title:", "Mullah", "Haji."]
        );
        assert_eq!(year_range("1955- 1958"), "1955 to 1958");
        assert_eq!(year_range("Between 1958 and 1963"), "1958 to 1963");
        assert_eq!(year_range("12 Mar 1960"), "12 Mar 1960");
        assert!(DateValue::parse(&year_range("Between 1963 to 1968")).is_some());
        assert_eq!(party_of("12b"), "12");
        assert_eq!(party_of("7"), "7");
    }
}
