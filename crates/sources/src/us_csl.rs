//! The US Consolidated Screening List (trade.gov `consolidated.csv`).
//!
//! One CSV of 29 columns gathers thirteen lists of three departments: Commerce's
//! export controls (BIS Entity List, Military End-User, Unverified, Denied Persons),
//! State's (ITAR debarred, nonproliferation sanctions) and Treasury's — the SDN and
//! the non-SDN lists (Sectoral Sanctions Identifications, Menu-Based Sanctions, CAPTA,
//! Foreign Sanctions Evaders, Palestinian Legislative Council, Chinese
//! Military-Industrial Complex companies). The Russian military-industrial base that
//! EO 14114 reaches is on the Entity List and the MEU list as much as on the SDN.
//!
//! The SDN rows are left out: `ofac-sdn` reads OFAC's own publication, with its
//! aliases, remarks and links, and loading both would list every SDN party twice.
//! The load report counts them. Every other row becomes one entity whose programmes
//! begin with its list's code (`EL`, `MEU`, `SSI` …), so a match says which list.
//!
//! Fields: names (`name`, `alt_names` split on `; `), `type` (empty for Commerce and
//! State lists: a person on the Denied Persons and ITAR lists unless the name reads
//! as a company, an organisation elsewhere), addresses (`; `-separated, each ending
//! in its country code), dates and places of birth, nationalities and citizenships,
//! `ids` (`[country, ]value, type` entries read with OFAC's identifier labels, since
//! Treasury writes both), `remarks` (OFAC's grammar), `start_date` (listing date),
//! and the list's own terms (`license_requirement`, `license_policy`,
//! `federal_register_notice`, `title`) as properties.

use redline_model::{
    countries, push_unique, Address, DateValue, Entity, Name, NameKind, Schema, SourceId,
};

use crate::{decode_utf8, ofac_sdn, InputFile, ParseReport, ParsedList, SourceError};

const SOURCE: SourceId = SourceId::UsCsl;

/// The columns Redline reads; the file has these among its 29.
const COLUMNS: [&str; 15] = [
    "_id",
    "source",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "start_date",
    "remarks",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "ids",
];

/// Words that make an untyped name a company's.
const COMPANY_WORDS: &[&str] = &[
    "LTD",
    "LIMITED",
    "LLC",
    "INC",
    "CORP",
    "CORPORATION",
    "COMPANY",
    "CO",
    "GMBH",
    "SA",
    "AG",
    "JSC",
    "OJSC",
    "CJSC",
    "OOO",
    "PJSC",
    "PLC",
    "BV",
    "SRL",
    "LLP",
    "GROUP",
    "TRADING",
    "INDUSTRIES",
    "INDUSTRY",
    "TECHNOLOGY",
    "TECHNOLOGIES",
    "ENTERPRISE",
    "ENTERPRISES",
    "INSTITUTE",
    "UNIVERSITY",
    "BUREAU",
    "PLANT",
    "FACTORY",
    "BANK",
    "ACADEMY",
    "CENTER",
    "CENTRE",
    "LABORATORY",
    "SHIPPING",
    "INTERNATIONAL",
    "ELECTRONICS",
    "SYSTEMS",
    "SERVICES",
    "AEROSPACE",
    "HOLDING",
    "HOLDINGS",
    "FIRM",
];

/// The list a row belongs to, by the code in parentheses of its `source` column
/// (`Entity List (EL) - Bureau of Industry and Security` → `EL`).
fn list_code(source: &str) -> Option<&str> {
    let open = source.find('(')?;
    let close = open + source[open..].find(')')?;
    Some(source[open + 1..close].trim())
}

/// Whether the list is the SDN, which `ofac-sdn` reads from OFAC itself.
fn is_sdn(code: &str) -> bool {
    code == "SDN"
}

/// Lists of people (debarred and denied persons) more than of companies.
fn lists_people(code: &str) -> bool {
    matches!(code, "DPL" | "DTC")
}

fn schema_of(kind: &str, code: &str, name: &str) -> Schema {
    match kind.trim() {
        "Individual" => Schema::Person,
        "Entity" => Schema::Organization,
        "Vessel" => Schema::Vessel,
        "Aircraft" => Schema::Aircraft,
        _ => {
            let company = name
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| COMPANY_WORDS.contains(&w.to_ascii_uppercase().as_str()));
            if lists_people(code) && !company {
                Schema::Person
            } else {
                Schema::Organization
            }
        }
    }
}

fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value.split("; ").map(str::trim).filter(|v| !v.is_empty())
}

/// Parses `consolidated.csv`.
pub fn parse(file: InputFile<'_>) -> Result<ParsedList, SourceError> {
    let text = decode_utf8(&file)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| SourceError::at(file.name, 1, format!("broken CSV header: {e}")))?
        .clone();
    let mut at = [0usize; COLUMNS.len()];
    for (slot, column) in at.iter_mut().zip(COLUMNS) {
        *slot = headers.iter().position(|h| h == column).ok_or_else(|| {
            SourceError::at(
                file.name,
                1,
                format!("no {column:?} column: not the Consolidated Screening List's CSV"),
            )
        })?;
    }
    let mut report = ParseReport::default();
    let mut entities: Vec<Entity> = Vec::new();
    // Treasury repeats a party on each of its lists (SSI and CAPTA, …) under one _id:
    // one entity, on every list it is on.
    let mut by_id: std::collections::HashMap<String, usize> = Default::default();
    let mut sdn_rows = 0;
    for record in reader.records() {
        let record = record.map_err(|e| crate::broken_csv(file.name, &e))?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        report.records += 1;
        let get = |column: usize| record.get(at[column]).unwrap_or("").trim();
        let location = format!("{}:{line}", file.name);
        let Some(code) = list_code(get(1)) else {
            report.warn(&location, format!("source {:?} names no list code", get(1)));
            continue;
        };
        if is_sdn(code) {
            sdn_rows += 1;
            continue;
        }
        let name = get(4);
        if name.is_empty() || get(0).is_empty() {
            report.warn(&location, "a row with no name or no _id: not a party");
            continue;
        }
        if let Some(&i) = by_id.get(get(0)) {
            let entity = &mut entities[i];
            for program in std::iter::once(code).chain(split_list(get(3))) {
                push_unique(&mut entity.programs, program.to_string());
            }
            continue;
        }
        by_id.insert(get(0).to_string(), entities.len());
        let mut entity = Entity::new(SOURCE, get(0), schema_of(get(2), code, name));
        // Treasury's lists number a party as OFAC does: the same number is the same
        // party as on the SDN list (see `redline_matching`'s identity of listings).
        if get(1).ends_with("Treasury Department") && get(0).bytes().all(|b| b.is_ascii_digit()) {
            entity.add_property("ofac_entity_number", get(0));
        }
        entity.add_name(Name::new(name, NameKind::Primary));
        for alias in split_list(get(9)) {
            // `Open Joint Stock Company 140 Repair Plant; and JSC 140 Repair Plant`
            let alias = alias.strip_prefix("and ").unwrap_or(alias);
            entity.add_name(Name::new(alias, NameKind::StrongAlias));
        }
        for program in std::iter::once(code).chain(split_list(get(3))) {
            push_unique(&mut entity.programs, program.to_string());
        }
        entity.listed_on = Some(get(7).to_string()).filter(|d| !d.is_empty());
        for address in split_list(get(6)) {
            let country = address
                .rsplit(", ")
                .next()
                .filter(|c| c.len() == 2 && countries::name_of(c).is_some())
                .map(str::to_ascii_lowercase);
            if let Some(c) = &country {
                if !entity.countries.contains(c) {
                    entity.countries.push(c.clone());
                }
            }
            entity.addresses.push(Address {
                full: address.to_string(),
                street: None,
                city: None,
                region: None,
                postal_code: None,
                country,
            });
        }
        for (column, codes) in [
            (10, &mut entity.citizenships),
            (12, &mut entity.nationalities),
        ] {
            for c in split_list(get(column)) {
                let code = countries::to_code(c).unwrap_or_else(|| c.to_ascii_lowercase());
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        }
        for date in split_list(get(11)) {
            match DateValue::parse(date) {
                Some(d) => entity.birth_dates.push(d),
                None => report.warn(&location, format!("unreadable date of birth {date:?}")),
            }
        }
        entity
            .birth_places
            .extend(split_list(get(13)).map(str::to_string));
        if !get(5).is_empty() {
            entity.add_property("position", get(5));
        }
        read_ids(&mut entity, get(14), &location, &mut report);
        if !get(8).is_empty() {
            ofac_sdn::parse_remarks(&mut entity, get(8), &location, &mut report);
            entity.remarks = Some(get(8).to_string());
        }
        for column in [
            "license_requirement",
            "license_policy",
            "federal_register_notice",
        ] {
            if let Some(value) = headers
                .iter()
                .position(|h| h == column)
                .and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
            {
                entity.add_property(column, value);
            }
        }
        entities.push(entity);
    }
    if report.records == 0 {
        return Err(SourceError::invalid(
            file.name,
            "no rows: the file is empty",
        ));
    }
    report.left_to_other_sources = sdn_rows;
    let published = entities.iter().filter_map(|e| e.listed_on.clone()).max();
    Ok(ParsedList::new(SOURCE, published, entities, report))
}

/// Reads `ids`: `[country, ]value, type` entries separated by `; `, each as OFAC's
/// remark grammar reads `type value (Country)`.
fn read_ids(entity: &mut Entity, ids: &str, location: &str, report: &mut ParseReport) {
    for entry in split_list(ids) {
        let parts: Vec<&str> = entry.split(", ").collect();
        let (country, value, kind) = match parts.as_slice() {
            [c, value, kind] if c.len() == 2 && countries::name_of(c).is_some() => {
                (countries::name_of(c), *value, *kind)
            }
            [value, kind] => (None, *value, *kind),
            // Directive texts carry commas of their own: kept as written.
            _ => (None, entry, ""),
        };
        let clause = match (kind.is_empty(), country) {
            (true, _) => entry.to_string(),
            (false, Some(country)) => format!("{kind} {value} ({country})"),
            (false, None) => format!("{kind} {value}"),
        };
        ofac_sdn::parse_remarks(entity, &clause, location, report);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_codes_and_untyped_schemas() {
        assert_eq!(
            list_code("Entity List (EL) - Bureau of Industry and Security"),
            Some("EL")
        );
        assert_eq!(
            list_code("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department"),
            Some("NS-MBS List")
        );
        assert_eq!(schema_of("", "DPL", "ABDIEL PADRON MADRID"), Schema::Person);
        assert_eq!(
            schema_of("", "DPL", "ACME TRADING LTD."),
            Schema::Organization
        );
        assert_eq!(
            schema_of("", "EL", "140 Repair Plant JSC"),
            Schema::Organization
        );
        assert_eq!(schema_of("Individual", "EL", "X"), Schema::Person);
    }
}
