//! OFAC Specially Designated Nationals list, legacy CSV edition.
//!
//! `sdn.csv` has twelve columns (`ent_num, SDN_Name, SDN_Type, Program, Title,
//! Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks`), `-0- ` for an
//! empty field, CRLF line ends and a trailing Ctrl-Z (0x1A) byte. Most of what matters
//! for screening lives in the free-text `Remarks` column, a `; `-separated sequence of
//! clauses such as `DOB 07 Oct 1952`, `alt. Passport G23851362 (China)`,
//! `a.k.a. 'BNC'` or `Linked To: CEC LIMITED.`: [`parse_remarks`] reads that grammar.
//! `alt.csv` (aliases), `add.csv` (addresses) and `sdn_comments.csv` (remarks that
//! overflowed) are merged when given.
//!
//! A clause the grammar does not know is kept (in `properties["remark"]`, and the
//! remarks stay verbatim) and reported as a warning, never dropped.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use redline_model::{
    countries, push_unique, Address, DateValue, Entity, IdKind, Identifier, Link, Name, NameKind,
    Relation, Schema, SourceId,
};

use crate::{decode_utf8, InputFile, ParseReport, ParsedList, SourceError};

const NULL: &str = "-0-";

/// Which file of OFAC's publication a file is, by its name: `comments`
/// (`sdn_comments.csv`), `alt` (aliases), `add` (addresses) or `sdn`.
pub fn file_kind(name: &str) -> &'static str {
    let base = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    if base.contains("comments") {
        "comments"
    } else if base.starts_with("alt") {
        "alt"
    } else if base.starts_with("add") {
        "add"
    } else {
        "sdn"
    }
}

/// The files of OFAC's publication, by [`file_kind`], and what each brings.
pub const PUBLICATION: [(&str, &str); 4] = [
    ("sdn", "SDN.CSV: primary names and remarks"),
    ("alt", "ALT.CSV: OFAC's aliases (a.k.a., f.k.a., n.k.a.)"),
    ("add", "ADD.CSV: addresses"),
    ("comments", "SDN_COMMENTS.CSV: remarks too long for SDN.CSV"),
];

/// The kinds of the publication's files missing from a set of file names.
pub fn missing_files<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let present: Vec<&str> = names.into_iter().map(file_kind).collect();
    PUBLICATION
        .iter()
        .map(|(kind, _)| *kind)
        .filter(|kind| !present.contains(kind))
        .collect()
}

/// Parses `sdn.csv`, with `alt.csv`, `add.csv` and `sdn_comments.csv` when given
/// (recognised by file name, [`file_kind`]).
pub fn parse_files(files: &[InputFile<'_>]) -> Result<ParsedList, SourceError> {
    let kind_of = |f: &InputFile<'_>| file_kind(f.name);
    let sdn: Vec<_> = files.iter().filter(|f| kind_of(f) == "sdn").collect();
    let [sdn] = sdn.as_slice() else {
        return Err(SourceError::invalid(
            files[0].name,
            format!(
                "expected exactly one sdn.csv among the OFAC files, found {}",
                sdn.len()
            ),
        ));
    };
    let mut report = ParseReport::default();
    let mut entities = parse_sdn(sdn, &mut report)?;
    let index: HashMap<String, usize> = entities
        .iter()
        .enumerate()
        .map(|(i, e)| (native_id(e).to_string(), i))
        .collect();
    for file in files.iter().filter(|f| kind_of(f) != "sdn") {
        for (line, row) in read_rows(file, None)? {
            report.records += 1;
            let ent_num = field(&row, 0).unwrap_or_default();
            let Some(&i) = index.get(&ent_num) else {
                report.warn(
                    format!("{}:{line}", file.name),
                    format!("row refers to ent_num {ent_num:?}, which is not in sdn.csv"),
                );
                continue;
            };
            let entity = &mut entities[i];
            match kind_of(file) {
                "alt" => merge_alias(entity, &row, file.name, line, &mut report),
                "add" => merge_address(entity, &row),
                _ => {
                    if let Some(extra) = field(&row, 1) {
                        let location = format!("{}:{line}", file.name);
                        parse_remarks(entity, &extra, &location, &mut report);
                        let remarks = entity.remarks.get_or_insert_with(String::new);
                        remarks.push_str(&extra);
                    }
                }
            }
        }
    }
    resolve_links(&mut entities);
    Ok(ParsedList::new(SourceId::OfacSdn, None, entities, report))
}

fn native_id(entity: &Entity) -> &str {
    entity
        .id
        .split_once(':')
        .map(|(_, n)| n)
        .unwrap_or(&entity.id)
}

/// Reads an OFAC CSV file into `(line, fields)` rows, checking its structure.
///
/// OFAC fields never contain line breaks, so a field that does is the sign of an
/// unbalanced quote: the file is rejected naming the line where the field began.
fn read_rows(
    file: &InputFile<'_>,
    expect_fields: Option<usize>,
) -> Result<Vec<(u64, Vec<String>)>, SourceError> {
    let text = decode_utf8(file)?;
    // OFAC ends its files with a DOS end-of-file byte (Ctrl-Z).
    let text = text.trim_end_matches(['\u{1a}', '\r', '\n', ' ']);
    // The csv reader counts lines by LF and reports a CRLF record one line early;
    // plain LF line ends make its positions the file's own line numbers.
    let text = text.replace("\r\n", "\n");
    if text.is_empty() {
        return Err(SourceError::invalid(file.name, "the file is empty"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| crate::broken_csv(file.name, &e))?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.iter().any(|f| f.contains('\n')) {
            return Err(SourceError::at(
                file.name,
                line,
                "a quoted field runs across lines: unbalanced quote",
            ));
        }
        if let Some(n) = expect_fields {
            if record.len() != n {
                return Err(SourceError::at(
                    file.name,
                    line,
                    format!("expected {n} fields, found {}", record.len()),
                ));
            }
        }
        rows.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(rows)
}

/// A field with OFAC's `-0-` null marker and padding removed.
fn field(row: &[String], i: usize) -> Option<String> {
    let v = row.get(i)?.trim();
    (!v.is_empty() && v != NULL).then(|| v.to_string())
}

fn parse_sdn(file: &InputFile<'_>, report: &mut ParseReport) -> Result<Vec<Entity>, SourceError> {
    let rows = read_rows(file, Some(12))?;
    let mut entities = Vec::with_capacity(rows.len());
    for (line, row) in rows {
        report.records += 1;
        let location = format!("{}:{line}", file.name);
        let ent_num = field(&row, 0).unwrap_or_default();
        if ent_num.is_empty() || !ent_num.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SourceError::at(
                file.name,
                line,
                format!("ent_num {ent_num:?} is not a number: is this an OFAC sdn.csv?"),
            ));
        }
        let schema = match field(&row, 2).as_deref() {
            None => Schema::Organization,
            Some("individual") => Schema::Person,
            Some("vessel") => Schema::Vessel,
            Some("aircraft") => Schema::Aircraft,
            Some(other) => {
                return Err(SourceError::at(
                    file.name,
                    line,
                    format!("unknown SDN_Type {other:?}"),
                ))
            }
        };
        let mut entity = Entity::new(SourceId::OfacSdn, &ent_num, schema);
        let Some(name) = field(&row, 1) else {
            return Err(SourceError::at(file.name, line, "SDN_Name is empty"));
        };
        entity.add_name(Name::new(name, NameKind::Primary));
        if let Some(programs) = field(&row, 3) {
            for p in programs.split("] [") {
                let p = p.trim_matches(['[', ']', ' ']);
                if !p.is_empty() {
                    push_unique(&mut entity.programs, p);
                }
            }
        }
        if let Some(title) = field(&row, 4) {
            entity.add_property("title", title);
        }
        if let Some(call_sign) = field(&row, 5) {
            entity.identifiers.push(Identifier {
                kind: IdKind::CallSign,
                value: call_sign,
                country: None,
                note: None,
            });
        }
        for (i, key) in [
            (6, "vessel_type"),
            (7, "tonnage"),
            (8, "gross_registered_tonnage"),
        ] {
            if let Some(v) = field(&row, i) {
                entity.add_property(key, v);
            }
        }
        if let Some(flag) = field(&row, 9) {
            if let Some(code) = countries::to_code(&flag) {
                push_unique(&mut entity.countries, code);
            }
            entity.add_property("vessel_flag", flag);
        }
        if let Some(owner) = field(&row, 10) {
            entity.add_property("vessel_owner", owner);
        }
        if let Some(remarks) = field(&row, 11) {
            parse_remarks(&mut entity, &remarks, &location, report);
            entity.remarks = Some(remarks);
        }
        entities.push(entity);
    }
    Ok(entities)
}

fn merge_alias(
    entity: &mut Entity,
    row: &[String],
    file: &str,
    line: u64,
    report: &mut ParseReport,
) {
    let Some(name) = field(row, 3) else {
        report.warn(format!("{file}:{line}"), "alias row without a name");
        return;
    };
    let alt_type = field(row, 2).unwrap_or_else(|| "aka".into());
    let kind = alias_kind(&alt_type, field(row, 4).as_deref());
    entity.add_name(Name::new(name, kind).with_note(alt_type));
}

/// ALT.CSV's `aka` and `nka` are strong aliases (OFAC keeps its weak ones in
/// SDN.CSV's remarks), `fka` a former name; anything OFAC marks as weak is weak.
fn alias_kind(alt_type: &str, remarks: Option<&str>) -> NameKind {
    let weak_remark = remarks.is_some_and(|r| r.to_ascii_lowercase().contains("weak"));
    match alt_type
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase()
        .as_str()
    {
        _ if weak_remark => NameKind::WeakAlias,
        "fka" | "f.k.a" => NameKind::FormerName,
        _ => NameKind::StrongAlias,
    }
}

fn merge_address(entity: &mut Entity, row: &[String]) {
    let street = field(row, 2);
    let city = field(row, 3);
    let country_text = field(row, 4);
    let parts: Vec<&str> = [&street, &city, &country_text]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if parts.is_empty() {
        return;
    }
    let country = country_text.as_deref().and_then(countries::to_code);
    if let Some(code) = &country {
        push_unique(&mut entity.countries, code.clone());
    }
    entity.addresses.push(Address {
        full: parts.join(", "),
        street,
        city,
        country,
        ..Address::default()
    });
}

/// Splits remarks into clauses on `;`, keeping `;` inside a quoted alias.
fn clauses(remarks: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_alias_quote = false;
    let bytes = remarks.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            // An alias quote opens right after `a.k.a. ` and closes before `;`/`.`/end.
            b'\'' if !in_alias_quote && remarks[start..i].trim().ends_with("k.a.") => {
                in_alias_quote = true
            }
            b'\''
                if in_alias_quote && matches!(bytes.get(i + 1), None | Some(b';') | Some(b'.')) =>
            {
                in_alias_quote = false
            }
            b';' if !in_alias_quote => {
                out.push(remarks[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(remarks[start..].trim());
    out.retain(|c| !c.is_empty());
    out
}

/// Labels of identifier clauses, longest first so `Passport` does not shadow
/// `Diplomatic Passport`.
fn id_labels() -> &'static [(&'static str, IdKind)] {
    static LABELS: OnceLock<Vec<(&'static str, IdKind)>> = OnceLock::new();
    LABELS.get_or_init(|| {
        let other = |s: &str| IdKind::Other(s.to_string());
        let mut v = vec![
            ("Passport", IdKind::Passport),
            ("Diplomatic Passport", IdKind::Passport),
            ("National ID No.", IdKind::NationalId),
            ("National Foreign ID Number", IdKind::NationalId),
            ("Personal ID Card", IdKind::NationalId),
            ("Identification Number", IdKind::NationalId),
            ("Cedula No.", IdKind::NationalId),
            ("C.U.R.P.", IdKind::NationalId),
            ("D.N.I.", IdKind::NationalId),
            ("SSN", IdKind::NationalId),
            ("Italian Fiscal Code", IdKind::TaxId),
            ("Tax ID No.", IdKind::TaxId),
            ("R.F.C.", IdKind::TaxId),
            ("RFC", IdKind::TaxId),
            ("NIT #", IdKind::TaxId),
            ("RUC #", IdKind::TaxId),
            ("RUC", IdKind::TaxId),
            ("V.A.T. Number", IdKind::TaxId),
            ("VAT Number", IdKind::TaxId),
            ("C.U.I.T.", IdKind::TaxId),
            ("C.U.I.", IdKind::TaxId),
            ("Registration Number", IdKind::Registration),
            ("Registration ID", IdKind::Registration),
            ("Business Registration Number", IdKind::Registration),
            ("Business Registration Document #", IdKind::Registration),
            ("Business Number", IdKind::Registration),
            ("Company Number", IdKind::Registration),
            ("UK Company Number", IdKind::Registration),
            ("Commercial Registry Number", IdKind::Registration),
            ("Chamber of Commerce Number", IdKind::Registration),
            ("Istanbul Chamber of Comm. No.", IdKind::Registration),
            ("Unified Social Credit Code (USCC)", IdKind::Registration),
            // OFAC's other spelling of the same code.
            (
                "United Social Credit Code Certificate (USCCC)",
                IdKind::Registration,
            ),
            ("Certificate of Incorporation Number", IdKind::Registration),
            (
                "Dubai Chamber of Commerce Membership No.",
                IdKind::Registration,
            ),
            ("Vessel Registration Identification", IdKind::Imo),
            ("Economic Register Number (CBLS)", IdKind::Registration),
            ("Enterprise Number", IdKind::Registration),
            ("Central Registration System Number", IdKind::Registration),
            ("Folio Mercantil No.", IdKind::Registration),
            ("Matricula Mercantil No", IdKind::Registration),
            ("Public Registration Number", IdKind::Registration),
            ("Government Gazette Number", IdKind::Registration),
            ("Trade License No.", IdKind::Registration),
            ("C.R. No.", IdKind::Registration),
            ("License", IdKind::Registration),
            ("Vessel Registration Identification IMO", IdKind::Imo),
            ("Identification Number IMO", IdKind::Imo),
            ("IMO", IdKind::Imo),
            ("MMSI", IdKind::Mmsi),
            ("SWIFT/BIC", IdKind::Bic),
            ("Legal Entity Number", IdKind::Lei),
            (
                "Aircraft Manufacturer's Serial Number (MSN)",
                IdKind::AircraftSerial,
            ),
            ("Aircraft Tail Number", IdKind::AircraftRegistration),
            ("Birth Certificate Number", other("birth_certificate")),
            ("Driver's License No.", other("drivers_license")),
            ("Electoral Registry No.", other("electoral_registry")),
            ("Credencial electoral", other("electoral_registry")),
            ("I.F.E.", other("electoral_registry")),
            ("Residency Number", other("residency_number")),
            (
                "Cartilla de Servicio Militar Nacional",
                other("military_service_card"),
            ),
            ("Permit Number", other("permit_number")),
            ("BIK (RU)", other("bik")),
            ("Stateless Person ID Card", IdKind::NationalId),
            ("Refugee ID Card", IdKind::NationalId),
            ("Kenyan ID No.", IdKind::NationalId),
            ("Turkish Identification Number", IdKind::NationalId),
            (
                "Afghan Money Service Provider License Number",
                IdKind::Registration,
            ),
            ("Company Number IMO", other("imo_company_number")),
            ("Digital Currency Address -", IdKind::CryptoAddress),
        ];
        v.sort_by_key(|(label, _)| std::cmp::Reverse(label.len()));
        v
    })
}

/// Labels of facts kept as properties: `(label, property key)`.
const PROPERTY_LABELS: &[(&str, &str)] = &[
    ("Website", "website"),
    ("Email Address", "email"),
    ("Phone Number", "phone"),
    ("Telephone", "phone"),
    ("Fax", "fax"),
    ("Organization Established Date", "established"),
    ("Organization Type:", "organization_type"),
    ("Target Type", "target_type"),
    ("Secondary sanctions risk:", "secondary_sanctions_risk"),
    (
        "Additional Sanctions Information -",
        "additional_sanctions_information",
    ),
    ("Executive Order", "executive_order_information"),
    ("Effective Date", "directive_effective_date"),
    ("Listing Date", "directive_listing_date"),
    ("Transactions Prohibited For", "transactions_prohibited"),
    ("CAATSA Section", "caatsa_section"),
    ("Former Vessel Flag", "former_vessel_flag"),
    ("Nationality of Registration", "registration_country"),
    ("Other Vessel Type", "vessel_type"),
    ("Vessel Type", "vessel_type"),
    ("Vessel Year of Build", "vessel_year_of_build"),
    ("Aircraft Model", "aircraft_model"),
    ("Aircraft Operator", "aircraft_operator"),
    ("Aircraft Manufacture Date", "aircraft_manufacture_date"),
    (
        "Aircraft Construction Number",
        "aircraft_construction_number",
    ),
    ("Aircraft Mode S Transponder Code", "aircraft_mode_s"),
    (
        "Previous Aircraft Tail Number",
        "aircraft_previous_tail_number",
    ),
    ("Gender", "gender"),
    ("Title", "title"),
];

/// Strips `label` from the start of `clause` at a word boundary.
fn strip_label<'a>(clause: &'a str, label: &str) -> Option<&'a str> {
    let rest = clause.strip_prefix(label)?;
    if label.ends_with([':', '-', '.', '#', ')']) || rest.is_empty() || rest.starts_with([' ', ':'])
    {
        Some(rest.trim_start_matches(':').trim())
    } else {
        None
    }
}

/// Splits `G23851362 (China) issued 2010` into value, country and note.
fn value_country_note(rest: &str) -> (String, Option<String>, Option<String>) {
    if let Some(open) = rest.find(" (") {
        if let Some(close_rel) = rest[open..].find(')') {
            let inside = &rest[open + 2..open + close_rel];
            if let Some(code) = countries::to_code(inside) {
                let value = rest[..open].trim().to_string();
                let note = rest[open + close_rel + 1..].trim();
                let note = (!note.is_empty()).then(|| note.trim_end_matches('.').to_string());
                return (value, Some(code), note);
            }
        }
    }
    (rest.trim().to_string(), None, None)
}

/// Reads the remarks grammar into the entity. Labelled clauses (`DOB`, `Passport`,
/// `Linked To:` …) fill their fields; unlabelled ones are read for positions,
/// relatives, offices and notes (`remark_roles`); anything else is kept verbatim as a
/// `remark`. Only a labelled clause whose value cannot be read is a warning.
pub fn parse_remarks(entity: &mut Entity, remarks: &str, location: &str, report: &mut ParseReport) {
    for raw in clauses(remarks) {
        let clause = raw.trim_end_matches('.').trim();
        let clause = clause
            .strip_prefix("alt. ")
            .or_else(|| clause.strip_prefix("Alt. "))
            .unwrap_or(clause)
            .trim();
        match parse_clause(entity, clause, raw) {
            Clause::Read => {}
            Clause::Unlabelled if crate::remark_roles::apply(entity, clause) => {}
            Clause::Unlabelled => entity.add_property("remark", raw.trim_end_matches('.')),
            Clause::Malformed => {
                entity.add_property("remark", raw.trim_end_matches('.'));
                report.warn(
                    location,
                    format!("remark clause with an unreadable value: {raw:?}"),
                );
            }
        }
    }
}

/// How a remark clause was read.
enum Clause {
    Read,
    /// A known label with a value that cannot be read (a date that is no date, a
    /// country that is no country).
    Malformed,
    /// No label Redline knows.
    Unlabelled,
}

impl From<bool> for Clause {
    fn from(read: bool) -> Clause {
        if read {
            Clause::Read
        } else {
            Clause::Malformed
        }
    }
}

fn parse_clause(entity: &mut Entity, clause: &str, raw: &str) -> Clause {
    // OFAC writes its weak aliases here, in the remarks, and its strong ones in
    // ALT.CSV: a remark's a.k.a. (`BNC`, `PACHO`) is a weak alias.
    for (prefix, default_kind) in [
        ("a.k.a.", NameKind::WeakAlias),
        ("n.k.a.", NameKind::WeakAlias),
        ("f.k.a.", NameKind::FormerName),
    ] {
        if let Some(rest) = clause.strip_prefix(prefix) {
            // The clause keeps its closing quote; `trim_end_matches('.')` above only ate
            // the sentence's full stop.
            let name = rest.trim().trim_matches('\'').trim();
            if name.is_empty() {
                return Clause::Malformed;
            }
            entity.add_name(Name::new(name, default_kind).with_note(prefix));
            return Clause::Read;
        }
    }
    if let Some(rest) = strip_label(clause, "DOB") {
        return match DateValue::parse(rest) {
            Some(d) => {
                if !entity.birth_dates.contains(&d) {
                    entity.birth_dates.push(d);
                }
                Clause::Read
            }
            None => Clause::Malformed,
        };
    }
    if let Some(rest) = strip_label(clause, "POB") {
        push_unique(&mut entity.birth_places, rest);
        return Clause::Read;
    }
    for (label, list) in [("nationality", 0), ("citizen", 1)] {
        if let Some(rest) = strip_label(clause, label) {
            let Some(code) = countries::to_code(rest) else {
                return Clause::Malformed;
            };
            let target = if list == 0 {
                &mut entity.nationalities
            } else {
                &mut entity.citizenships
            };
            push_unique(target, code);
            return Clause::Read;
        }
    }
    if let Some(rest) = strip_label(clause, "Gender") {
        entity.gender = Some(rest.to_ascii_lowercase());
        return Clause::Read;
    }
    for label in ["Linked To:", "Owned or Controlled By:"] {
        if let Some(rest) = strip_label(clause, label) {
            let relation = if label.starts_with("Linked") {
                Relation::LinkedTo
            } else {
                Relation::OwnedOrControlledBy
            };
            entity.links.push(Link {
                relation,
                target_id: None,
                target_name: Some(rest.to_string()),
                percentage: None,
                start_date: None,
                end_date: None,
                role: None,
            });
            return Clause::Read;
        }
    }
    if let Some(rest) = strip_label(clause, "Chinese Commercial Code") {
        return match decode_ccc(rest) {
            Some(han) => {
                entity.add_name(Name::new(han, NameKind::OriginalScript).with_note(clause));
                Clause::Read
            }
            None => Clause::Malformed,
        };
    }
    for (label, kind) in id_labels() {
        if let Some(rest) = strip_label(clause, label) {
            if rest.is_empty() {
                continue;
            }
            let (mut value, country, mut note) = value_country_note(rest);
            if *kind == IdKind::CryptoAddress {
                // `Digital Currency Address - XBT 1AbC…`: the currency is the note.
                if let Some((currency, address)) = value.split_once(' ') {
                    note = Some(currency.to_string());
                    value = address.trim().to_string();
                }
            } else if note.is_none() && !label.ends_with(')') && label.contains('(') {
                note = Some(label.to_string());
            }
            let note = note.or_else(|| Some(label.trim_end_matches([' ', '-']).to_string()));
            if let Some(code) = &country {
                if matches!(kind, IdKind::Registration | IdKind::TaxId) {
                    push_unique(&mut entity.countries, code.clone());
                }
            }
            entity.identifiers.push(Identifier {
                kind: kind.clone(),
                value,
                country,
                note,
            });
            return Clause::Read;
        }
    }
    for (label, key) in PROPERTY_LABELS {
        if let Some(rest) = strip_label(clause, label) {
            let value = if rest.is_empty() { raw } else { rest };
            let value = if label.ends_with(['-', ':']) || *key == "executive_order_information" {
                clause
            } else {
                value
            };
            if *key == "gender" {
                entity.gender = Some(value.to_ascii_lowercase());
            } else {
                entity.add_property(key, value.trim_end_matches('.'));
            }
            return Clause::Read;
        }
    }
    Clause::Unlabelled
}

fn telegraph_table() -> &'static HashMap<&'static str, char> {
    static TABLE: OnceLock<HashMap<&'static str, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../data/mainland_telegraph.tsv")
            .lines()
            .filter_map(|l| {
                let (code, han) = l.split_once('\t')?;
                Some((code.trim(), han.trim().chars().next()?))
            })
            .collect()
    })
}

/// Decodes `1728 4320` (Chinese Commercial Code, four digits a character) to `张磊`.
pub fn decode_ccc(codes: &str) -> Option<String> {
    let table = telegraph_table();
    let mut out = String::new();
    for code in codes.split_whitespace() {
        if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push(*table.get(code)?);
    }
    (!out.is_empty()).then_some(out)
}

/// Fills `target_id` of links (`Linked To`, `Owned or Controlled By`, a position, a
/// relative) whose target name is the primary name of exactly one entry in the same
/// file.
fn resolve_links(entities: &mut [Entity]) {
    let mut by_name: BTreeMap<String, Option<String>> = BTreeMap::new();
    for e in entities.iter() {
        for n in e.names.iter().filter(|n| n.kind == NameKind::Primary) {
            by_name
                .entry(n.text.to_uppercase())
                .and_modify(|v| *v = None)
                .or_insert_with(|| Some(e.id.clone()));
        }
    }
    for e in entities.iter_mut() {
        for link in &mut e.links {
            if let Some(name) = &link.target_name {
                if let Some(Some(id)) = by_name.get(&name.to_uppercase()) {
                    link.target_id = Some(id.clone());
                }
            }
        }
        // A position held in a listed organisation is a link; one held elsewhere
        // (`Minister of Defense`) is said by the `position` property alone.
        e.links
            .retain(|l| !crate::remark_roles::is_position_link(l) || l.target_id.is_some());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remarks(text: &str) -> (Entity, ParseReport) {
        let mut e = Entity::new(SourceId::OfacSdn, "1", Schema::Person);
        let mut r = ParseReport::default();
        parse_remarks(&mut e, text, "t:1", &mut r);
        (e, r)
    }

    #[test]
    fn reads_person_remarks() {
        let (e, r) = remarks(
            "DOB 03 Jan 1976; POB Shanghai, China; citizen China; Passport G23851362 (China); \
             alt. Passport W76048374 (China); National ID No. 320202197601030513 (China); \
             Chinese Commercial Code 1728 4320; Linked To: CEC LIMITED.",
        );
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!(e.birth_dates[0].date.to_string(), "1976-01-03");
        assert_eq!(e.birth_places, ["Shanghai, China"]);
        assert_eq!(e.citizenships, ["cn"]);
        assert_eq!(e.identifiers.len(), 3);
        assert_eq!(e.identifiers[1].value, "W76048374");
        assert_eq!(e.identifiers[1].country.as_deref(), Some("cn"));
        assert_eq!(e.identifiers[2].kind, IdKind::NationalId);
        assert_eq!(e.names[0].text, "张磊");
        assert_eq!(e.names[0].kind, NameKind::OriginalScript);
        assert_eq!(e.links[0].target_name.as_deref(), Some("CEC LIMITED"));
    }

    #[test]
    fn reads_aliases_and_identifiers() {
        let (e, r) = remarks(
            "SWIFT/BIC HAVIGB2L; Website www.havanaintbank.co.uk; a.k.a. 'BNC'; \
             f.k.a. 'ANA I'; Vessel Registration Identification IMO 7406784; \
             Digital Currency Address - XBT 12jVCWW1ZhTLA5yVnroEJswqKwsfiZKsax; \
             Tax ID No. 7735096460 (Russia); DOB circa 1960; Gender Male; Something odd; \
             nationality Atlantis.",
        );
        // Free text is kept, not warned about; a label with an unreadable value is.
        assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
        assert!(r.warnings[0].message.contains("nationality Atlantis"));
        assert_eq!(
            e.properties["remark"],
            ["Something odd", "nationality Atlantis"]
        );
        let kinds: Vec<_> = e.identifiers.iter().map(|i| i.kind.label()).collect();
        assert_eq!(kinds, ["bic", "imo", "crypto_address", "tax_id"]);
        assert_eq!(e.identifiers[2].note.as_deref(), Some("XBT"));
        assert_eq!(e.identifiers[3].country.as_deref(), Some("ru"));
        // A remark's a.k.a. is one of OFAC's weak aliases; its f.k.a. a former name.
        assert_eq!(e.names[0].text, "BNC");
        assert_eq!(e.names[0].kind, NameKind::WeakAlias);
        assert_eq!(e.names[1].kind, NameKind::FormerName);
        assert!(e.birth_dates[0].circa);
        assert_eq!(e.gender.as_deref(), Some("male"));
    }

    #[test]
    fn role_clauses_become_positions_and_links_to_listed_entries() {
        let csv = "1,\"PALESTINE LIBERATION FRONT - ABU ABBAS FACTION\",-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\r\n\
                   2,\"ZAYDAN, Muhammad\",\"individual\",\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,\"Director of PALESTINE LIBERATION FRONT - ABU ABBAS FACTION; Minister of Defense; daughter of Slobodan Milosevic.\"\r\n";
        let parsed = parse_files(&[InputFile {
            name: "sdn.csv",
            bytes: csv.as_bytes(),
        }])
        .unwrap();
        let person = parsed.entity("ofac-sdn:2").unwrap();
        assert!(
            parsed.report.warnings.is_empty(),
            "{:?}",
            parsed.report.warnings
        );
        assert_eq!(
            person.properties["position"],
            [
                "Director of PALESTINE LIBERATION FRONT - ABU ABBAS FACTION",
                "Minister of Defense"
            ]
        );
        let roles: Vec<_> = person
            .links
            .iter()
            .map(|l| (l.role.as_deref(), l.target_id.as_deref()))
            .collect();
        // The directorship leads to the listed front; the ministry is a position only;
        // the relative is a link by name.
        assert_eq!(
            roles,
            [
                (Some("Director"), Some("ofac-sdn:1")),
                (Some("daughter"), None)
            ]
        );
    }

    #[test]
    fn keeps_semicolons_inside_alias_quotes() {
        assert_eq!(
            clauses("a.k.a. 'A; B'; DOB 1960."),
            vec!["a.k.a. 'A; B'", "DOB 1960."]
        );
    }

    #[test]
    fn decodes_chinese_commercial_code() {
        assert_eq!(decode_ccc("1728 3444 2052").as_deref(), Some("张济成"));
        assert_eq!(decode_ccc("17x8"), None);
    }
}
