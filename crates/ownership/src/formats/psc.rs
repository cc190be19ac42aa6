//! UK Companies House persons with significant control: the snapshot's JSON lines.
//!
//! Each line is one PSC of one company: `{"company_number": …, "data": {"kind": …,
//! "name": …, "natures_of_control": […], …}}`. The company is known by its number
//! only (the register's key, so it needs no name); the PSC is a person (name, month
//! and year of birth, nationality), a corporate entity or legal person (name and,
//! for UK companies, a registration number that is another line's company), or a
//! super-secure PSC whose details are withheld.
//!
//! Natures of control come as bands, not numbers: `ownership-of-shares-50-to-75-percent`
//! is "more than 50 % and less than 75 %", so it counts as 50 % or more;
//! `25-to-50` ("more than 25 %, not more than 50 %") may be exactly 50 % and can only
//! be a lead. Voting rights over half, the right to appoint or remove a board majority,
//! and significant influence or control are control relations (the EU/UK test). The
//! `-as-trust` and `-as-firm` variants count like the plain ones: the trust or firm is
//! the PSC's vehicle. Statements ("no registrable person"), exemptions and the
//! snapshot's closing `totals` line carry no stake and are reported as such.

use serde::Deserialize;

use super::{json_lines, malformed, not_a_stake};
use crate::graph::RelationKind;
use crate::issue::{DataIssue, OwnershipError};
use crate::record::{Number, ParsedFile, PartyKind, PartyRecord, StakeRecord, StatedShare};
use crate::share::Share;

/// The scheme of UK company numbers (org-id.guide).
pub const COMPANY_SCHEME: &str = "GB-COH";

#[derive(Deserialize)]
struct Line {
    company_number: Option<String>,
    data: Option<Data>,
}

#[derive(Deserialize)]
struct Data {
    kind: Option<String>,
    name: Option<String>,
    name_elements: Option<NameElements>,
    date_of_birth: Option<BirthDate>,
    nationality: Option<String>,
    country_of_residence: Option<String>,
    #[serde(default)]
    natures_of_control: Vec<String>,
    identification: Option<Identification>,
    notified_on: Option<String>,
    ceased_on: Option<String>,
    statement: Option<String>,
}

#[derive(Deserialize)]
struct NameElements {
    forename: Option<String>,
    middle_name: Option<String>,
    surname: Option<String>,
}

#[derive(Deserialize)]
struct BirthDate {
    year: Option<u32>,
    month: Option<u32>,
}

#[derive(Deserialize)]
struct Identification {
    registration_number: Option<String>,
    country_registered: Option<String>,
    place_registered: Option<String>,
}

/// Reads a PSC snapshot (or any file of its lines).
pub fn read(file: &str, bytes: &[u8]) -> Result<ParsedFile, OwnershipError> {
    let mut parsed = ParsedFile::default();
    let mut lines = 0;
    for (line, text) in json_lines(bytes) {
        lines += 1;
        let record: Line = match serde_json::from_slice(text) {
            Ok(record) => record,
            Err(e) => {
                parsed
                    .issues
                    .push(malformed(file, line, format!("not a PSC JSON line: {e}")));
                continue;
            }
        };
        read_line(file, line, record, &mut parsed);
    }
    if lines == 0 {
        return Err(OwnershipError::Malformed {
            file: file.to_string(),
            line: 1,
            message: "no PSC lines".to_string(),
        });
    }
    Ok(parsed)
}

fn read_line(file: &str, line: u64, record: Line, parsed: &mut ParsedFile) {
    let (Some(number), Some(data)) = (record.company_number, record.data) else {
        parsed.issues.push(malformed(
            file,
            line,
            "no company_number or data (a PSC line has both)",
        ));
        return;
    };
    let kind = data.kind.clone().unwrap_or_default();
    if number == "totals" || kind.starts_with("totals") {
        return;
    }
    let owner_kind = match kind.as_str() {
        "individual-person-with-significant-control" | "individual-beneficial-owner" => {
            PartyKind::Person
        }
        "corporate-entity-person-with-significant-control"
        | "legal-person-person-with-significant-control"
        | "corporate-entity-beneficial-owner"
        | "legal-person-beneficial-owner" => PartyKind::Organization,
        "super-secure-person-with-significant-control" | "super-secure-beneficial-owner" => {
            parsed.issues.push(not_a_stake(
                file,
                line,
                format!(
                    "company {number}: a super-secure PSC (details withheld by the \
                     register); no party to screen"
                ),
            ));
            return;
        }
        other => {
            let what = data.statement.as_deref().unwrap_or(other);
            parsed.issues.push(not_a_stake(
                file,
                line,
                format!("company {number}: {what} is a statement, not a PSC; no stake"),
            ));
            return;
        }
    };
    let Some(name) = psc_name(&data) else {
        parsed.issues.push(malformed(
            file,
            line,
            format!("company {number}: the PSC has no name"),
        ));
        return;
    };
    let mut owner = PartyRecord {
        name: Some(name),
        kind: owner_kind,
        ..PartyRecord::default()
    };
    if let Some(birth) = &data.date_of_birth {
        owner.birth_date = match (birth.year, birth.month) {
            (Some(y), Some(m)) => Some(format!("{y:04}-{m:02}")),
            (Some(y), None) => Some(format!("{y:04}")),
            _ => None,
        };
    }
    owner.country = data
        .nationality
        .clone()
        .or_else(|| data.country_of_residence.clone());
    if let Some(id) = &data.identification {
        if let Some(reg) = id
            .registration_number
            .as_deref()
            .filter(|r| !r.trim().is_empty())
        {
            let uk = [&id.place_registered, &id.country_registered]
                .into_iter()
                .flatten()
                .any(|p| is_uk_register(p));
            owner
                .numbers
                .push(Number::new(if uk { COMPANY_SCHEME } else { "" }, reg));
        }
        owner.country = owner
            .country
            .take()
            .or_else(|| id.country_registered.clone());
    }
    let owned = parsed.party(PartyRecord {
        numbers: vec![Number::new(COMPANY_SCHEME, &number)],
        kind: PartyKind::Organization,
        registered: true,
        ..PartyRecord::default()
    });
    let owner = parsed.party(owner);
    let source = parsed.text("UK PSC register");
    let location = format!("{file}:{line}");
    let period = crate::graph::period_or_report(
        data.notified_on.as_deref(),
        data.ceased_on.as_deref(),
        &location,
        "",
        &mut parsed.issues,
    );
    let mut seen: Vec<(RelationKind, StatedShare)> = Vec::new();
    let mut unused: Vec<&str> = Vec::new();
    for nature in &data.natures_of_control {
        let Some((relation, share)) = nature_of_control(nature) else {
            unused.push(nature);
            continue;
        };
        if seen.contains(&(relation, share)) {
            continue;
        }
        seen.push((relation, share));
        let stated = parsed.text(nature);
        parsed.stakes.push(StakeRecord {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            owner,
            owned,
            relation,
            share,
            stated: Some(stated),
            period,
            source: Some(source.clone()),
            as_of: None,
        });
    }
    if !unused.is_empty() {
        let issue: DataIssue = not_a_stake(
            file,
            line,
            format!(
                "company {number}: {} neither ownership of 25 % or more nor control under \
                 these rules; not used",
                unused.join(", ")
            ),
        );
        parsed.issues.push(issue);
    }
}

fn is_uk_register(place: &str) -> bool {
    let place = place.to_ascii_lowercase();
    [
        "companies house",
        "england",
        "wales",
        "scotland",
        "northern ireland",
        "united kingdom",
    ]
    .iter()
    .any(|p| place.contains(p))
}

/// The PSC's name: `name`, or its elements joined when the name is missing. A title
/// (`Mr`, `Mrs`, `Dr`) is part of `name` in the register and is left to matching.
fn psc_name(data: &Data) -> Option<String> {
    if let Some(name) = data.name.as_deref().filter(|n| !n.trim().is_empty()) {
        return Some(name.trim().to_string());
    }
    let e = data.name_elements.as_ref()?;
    let parts: Vec<&str> = [&e.forename, &e.middle_name, &e.surname]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// What one nature of control means for the rules.
fn nature_of_control(nature: &str) -> Option<(RelationKind, StatedShare)> {
    let band = |low: u32, high: u32| {
        StatedShare::Band(
            Share::from_micros(low * Share::SCALE).unwrap_or(Share::HALF),
            Share::from_micros(high * Share::SCALE).unwrap_or(Share::FULL),
        )
    };
    let base = nature
        .split("-as-")
        .next()
        .unwrap_or(nature)
        .trim_end_matches("-percent");
    if let Some(range) = base
        .strip_prefix("ownership-of-shares-")
        .or_else(|| base.strip_prefix("right-to-share-surplus-assets-"))
    {
        let (low, high) = range.split_once("-to-")?;
        let (low, high) = (low.parse().ok()?, high.parse().ok()?);
        return Some((RelationKind::Ownership, band(low, high)));
    }
    if let Some(range) = base.strip_prefix("voting-rights-") {
        let (low, _) = range.split_once("-to-")?;
        let low: u32 = low.parse().ok()?;
        // More than half of the votes controls the company; 25–50 % does not.
        return (low >= 50).then_some((RelationKind::Control, StatedShare::Unknown));
    }
    if base.starts_with("right-to-appoint-and-remove-") {
        return Some((RelationKind::BoardMajority, StatedShare::Unknown));
    }
    if base.starts_with("significant-influence-or-control") {
        return Some((RelationKind::Control, StatedShare::Unknown));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natures_of_control_are_bands_or_control() {
        let half = Share::HALF;
        assert!(matches!(
            nature_of_control("ownership-of-shares-50-to-75-percent"),
            Some((RelationKind::Ownership, StatedShare::Band(low, _))) if low == half
        ));
        assert!(matches!(
            nature_of_control("ownership-of-shares-75-to-100-percent-as-trust"),
            Some((RelationKind::Ownership, StatedShare::Band(_, high))) if high == Share::FULL
        ));
        assert!(matches!(
            nature_of_control("ownership-of-shares-25-to-50-percent"),
            Some((RelationKind::Ownership, StatedShare::Band(_, high))) if high == half
        ));
        assert_eq!(
            nature_of_control("right-to-appoint-and-remove-directors-as-firm"),
            Some((RelationKind::BoardMajority, StatedShare::Unknown))
        );
        assert_eq!(
            nature_of_control("voting-rights-75-to-100-percent"),
            Some((RelationKind::Control, StatedShare::Unknown))
        );
        assert_eq!(nature_of_control("voting-rights-25-to-50-percent"), None);
        assert_eq!(
            nature_of_control("significant-influence-or-control"),
            Some((RelationKind::Control, StatedShare::Unknown))
        );
    }
}
