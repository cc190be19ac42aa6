//! The HM Treasury OFSI Consolidated List parser, against the real published files
//! and small workbooks built here for the cases the real files do not contain.

use std::sync::OnceLock;

use redline_model::{Entity, IdKind, NameKind, Relation, Schema};
use redline_sources::{uk_hmt, InputFile, ParsedList, SourceError};

const FILE_2025: &str = "uk_ofsi/ConList-2025-04-14.xlsx";
const FILE_2023: &str = "uk_ofsi/ConList-2023-06-05.xlsx";

fn read(path: &str) -> Vec<u8> {
    redline_testdata::bytes(path)
}

fn parse_bytes(name: &str, bytes: &[u8]) -> Result<ParsedList, SourceError> {
    uk_hmt::parse(InputFile { name, bytes })
}

/// Each real file is parsed once and shared by the tests.
fn list_2025() -> &'static ParsedList {
    static LIST: OnceLock<ParsedList> = OnceLock::new();
    LIST.get_or_init(|| {
        parse_bytes("ConList-2025-04-14.xlsx", &read(FILE_2025)).expect("2025 list parses")
    })
}

fn list_2023() -> &'static ParsedList {
    static LIST: OnceLock<ParsedList> = OnceLock::new();
    LIST.get_or_init(|| {
        parse_bytes("ConList-2023-06-05.xlsx", &read(FILE_2023)).expect("2023 list parses")
    })
}

fn entity<'a>(list: &'a ParsedList, id: &str) -> &'a Entity {
    list.entity(id).unwrap_or_else(|| panic!("{id} not found"))
}

fn names_of(entity: &Entity, kind: NameKind) -> Vec<&str> {
    entity.names_of(kind).collect()
}

fn identifiers_of(list: &ParsedList, kind: IdKind) -> usize {
    list.entities
        .iter()
        .flat_map(|e| &e.identifiers)
        .filter(|i| i.kind == kind)
        .count()
}

fn count_schema(list: &ParsedList, schema: Schema) -> usize {
    list.entities.iter().filter(|e| e.schema == schema).count()
}

#[test]
fn the_2025_list_has_one_entity_per_group() {
    let list = list_2025();
    assert_eq!(list.published.as_deref(), Some("2025-04-14"));
    assert_eq!(list.report.records, 18_798);
    assert_eq!(list.entities.len(), 4_688);
    assert_eq!(list.report.entities, 4_688);
    assert_eq!(count_schema(list, Schema::Person), 3_663);
    assert_eq!(count_schema(list, Schema::Organization), 1_010);
    assert_eq!(count_schema(list, Schema::Vessel), 15);
    assert!(list.entities.iter().all(|e| e.id.starts_with("uk-hmt:")));
    assert!(list.entities.iter().all(|e| !e.names.is_empty()));
    assert!(list.entities.iter().all(|e| !e.programs.is_empty()));
    assert!(list.entities.iter().all(|e| e.listed_on.is_some()));
    // Cross-checked with openpyxl: distinct names per group (each text kept once,
    // under its strongest kind, plus the distinct non-Latin names), passports and
    // national identification numbers.
    assert_eq!(list.report.names, 15_966);
    assert_eq!(identifiers_of(list, IdKind::Passport), 651);
    assert_eq!(identifiers_of(list, IdKind::NationalId), 376);
    assert_eq!(identifiers_of(list, IdKind::Imo), 15);
    // 4,688 groups but 4,690 primary names: two groups have two differently written
    // primary names, two have none (only "Primary name variation" rows).
    let primaries: usize = list
        .entities
        .iter()
        .map(|e| names_of(e, NameKind::Primary).len())
        .sum();
    assert_eq!(primaries, 4_690);
    // Every warning names the file and row it comes from.
    for warning in &list.report.warnings {
        assert!(
            warning.location.starts_with("ConList-2025-04-14.xlsx:row "),
            "{warning}"
        );
    }
}

#[test]
fn the_2023_list_parses_with_the_same_code() {
    let list = list_2023();
    assert_eq!(list.published.as_deref(), Some("2023-06-05"));
    assert_eq!(list.report.records, 16_823);
    assert_eq!(list.entities.len(), 3_993);
    assert_eq!(count_schema(list, Schema::Person), 3_231);
    assert_eq!(count_schema(list, Schema::Organization), 747);
    assert_eq!(count_schema(list, Schema::Vessel), 15);
    assert_eq!(list.report.names, 13_768);
    assert_eq!(identifiers_of(list, IdKind::Passport), 595);
    assert_eq!(identifiers_of(list, IdKind::NationalId), 276);
}

#[test]
fn a_russian_individual_with_aliases_and_original_script_names() {
    // Group 13300: one primary name, strong and low-quality aliases, each also in
    // Cyrillic, spread over 10 rows (5 names × 2 address countries).
    let chataev = entity(list_2025(), "uk-hmt:13300");
    assert_eq!(chataev.schema, Schema::Person);
    assert_eq!(chataev.caption(), "AKHMED RAJAPOVICH CHATAEV");
    assert_eq!(
        names_of(chataev, NameKind::Primary),
        ["AKHMED RAJAPOVICH CHATAEV"]
    );
    let mut strong = names_of(chataev, NameKind::StrongAlias);
    strong.sort_unstable();
    assert_eq!(strong, ["Akhmad SHISHANI", "David MAYER", "Elmir SENE"]);
    assert_eq!(names_of(chataev, NameKind::WeakAlias), ["ODNORUKIY"]);
    let weak = chataev
        .names
        .iter()
        .find(|n| n.kind == NameKind::WeakAlias)
        .expect("weak alias");
    assert_eq!(weak.note.as_deref(), Some("AKA, Low quality"));
    let original = names_of(chataev, NameKind::OriginalScript);
    assert!(original.contains(&"Ахмед Ражапович Чатаев"), "{original:?}");
    assert_eq!(original.len(), 5);

    assert_eq!(chataev.birth_dates.len(), 1);
    assert_eq!(chataev.birth_dates[0].date.to_string(), "1980-07-04");
    assert_eq!(chataev.birth_dates[0].precision(), "day");
    assert_eq!(chataev.nationalities, ["ru"]);
    assert_eq!(
        chataev.birth_places,
        ["Vedeno Village, Vedenskiy District, Republic of Chechnya, Russia"]
    );
    assert!(chataev
        .identifiers
        .iter()
        .any(|i| i.kind == IdKind::Passport && i.value == "9600133195"));
    // Rows repeat for two countries of address; each is kept once.
    assert_eq!(chataev.countries, ["iq", "sy"]);
    // Designated by the UK on 02/10/2015, listed on 09/10/2015: the earliest is kept.
    assert_eq!(chataev.listed_on.as_deref(), Some("2015-10-02"));
    assert_eq!(chataev.programs, ["ISIL (Da'esh) and Al-Qaida"]);
    assert_eq!(chataev.gender, None);
    assert_eq!(chataev.properties["un_ref"], ["QDi.365"]);
    assert_eq!(chataev.properties["uk_sanctions_list_ref"], ["AQD0127"]);
    assert_eq!(chataev.properties["last_updated"], ["2020-12-31"]);
    let remarks = chataev.remarks.as_deref().unwrap_or("");
    assert!(remarks.starts_with("(UK Sanctions List Ref):AQD0127. (UN Ref):QDi.365."));
}

#[test]
fn putin_with_a_name_variation() {
    let putin = entity(list_2025(), "uk-hmt:14196");
    assert_eq!(putin.caption(), "Vladimir Vladimirovich PUTIN");
    assert_eq!(putin.names[0].kind, NameKind::Primary);
    assert_eq!(names_of(putin, NameKind::StrongAlias), ["Vladimir PUTIN"]);
    assert_eq!(
        names_of(putin, NameKind::OriginalScript),
        ["Владимир Владимирович Путин"]
    );
    assert_eq!(putin.birth_dates[0].date.to_string(), "1952-10-07");
    assert_eq!(putin.gender.as_deref(), Some("male"));
    assert_eq!(putin.nationalities, ["ru"]);
    assert_eq!(
        putin.properties["position"],
        ["President of the Russian Federation"]
    );
    assert_eq!(putin.addresses.len(), 1);
    assert_eq!(putin.addresses[0].full, "Moscow, Russia");
    assert_eq!(putin.addresses[0].country.as_deref(), Some("ru"));
}

#[test]
fn numbered_nationalities_and_passports_are_paired() {
    let abramovich = entity(list_2025(), "uk-hmt:14212");
    assert_eq!(abramovich.nationalities, ["ru", "il", "pt"]);
    let passports: Vec<(&str, Option<&str>, Option<&str>)> = abramovich
        .identifiers
        .iter()
        .filter(|i| i.kind == IdKind::Passport)
        .map(|i| (i.value.as_str(), i.country.as_deref(), i.note.as_deref()))
        .collect();
    assert_eq!(
        passports,
        [
            ("CB982788", Some("pt"), Some("Portugal")),
            ("24132276", Some("il"), Some("Israel"))
        ]
    );
}

#[test]
fn ships_carry_imo_numbers_and_flags() {
    let list = list_2025();
    let ships: Vec<&Entity> = list
        .entities
        .iter()
        .filter(|e| e.schema == Schema::Vessel)
        .collect();
    assert_eq!(ships.len(), 15);
    for ship in &ships {
        let imo: Vec<&str> = ship
            .identifiers
            .iter()
            .filter(|i| i.kind == IdKind::Imo)
            .map(|i| i.value.as_str())
            .collect();
        assert_eq!(imo.len(), 1, "{}: {imo:?}", ship.id);
        assert_eq!(imo[0].len(), 7);
        assert!(ship.properties.contains_key("vessel_flag"), "{}", ship.id);
    }
    // Group 13651, the tanker AKTIVA (ex SAM JONG 2), DPRK-flagged.
    let aktiva = entity(list, "uk-hmt:13651");
    assert!(aktiva
        .identifiers
        .iter()
        .any(|i| i.kind == IdKind::Imo && i.value == "7408873"));
    assert_eq!(aktiva.properties["vessel_flag"], ["North Korea"]);
    assert_eq!(aktiva.properties["vessel_type"], ["Oil tanker"]);
    assert!(aktiva.countries.contains(&"kp".to_string()));
    // "Listed as asset of Korea Samjong Shipping (OFSI ID: 13635 …)".
    assert_eq!(aktiva.links.len(), 1);
    assert_eq!(aktiva.links[0].relation, Relation::OwnedBy);
    assert_eq!(aktiva.links[0].target_id.as_deref(), Some("uk-hmt:13635"));
    // Every ship's owner is itself on the list.
    for ship in &ships {
        for link in &ship.links {
            let target = link.target_id.as_deref().unwrap_or("");
            let owner = entity(list, target);
            assert_eq!(owner.schema, Schema::Organization, "{target}");
        }
    }
}

#[test]
fn names_are_unique_per_kind() {
    for list in [list_2025(), list_2023()] {
        for e in &list.entities {
            for (i, a) in e.names.iter().enumerate() {
                assert!(
                    !e.names[i + 1..]
                        .iter()
                        .any(|b| b.text == a.text && b.kind == a.kind),
                    "{}: {:?} twice",
                    e.id,
                    a.text
                );
            }
        }
    }
}

#[test]
fn truncated_workbook_is_an_error() {
    let bytes = read(FILE_2025);
    let err = parse_bytes("ConList.xlsx", &bytes[..bytes.len() / 2]).unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with("ConList.xlsx: "), "{message}");
    assert!(message.contains("not a valid XLSX workbook"), "{message}");
}

#[test]
fn garbage_and_csv_are_errors() {
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    let err = parse_bytes("ConList.xlsx", &garbage).unwrap_err();
    assert!(
        err.to_string().contains("not a valid XLSX workbook"),
        "{err}"
    );

    let csv = b"Last Updated,14/04/2025\nName 6,Name 1,Group Type,Group ID\nPUTIN,Vladimir,Individual,14196\n";
    let err = parse_bytes("ConList.csv", csv).unwrap_err();
    assert!(
        err.to_string().contains("not a valid XLSX workbook"),
        "{err}"
    );

    let err = parse_bytes("empty.xlsx", b"").unwrap_err();
    assert!(
        err.to_string().contains("not a valid XLSX workbook"),
        "{err}"
    );
}

#[test]
fn a_workbook_without_the_list_columns_is_an_error() {
    let bytes = xlsx(&[
        vec![Cell::S("Last Updated"), Cell::S("14/04/2025")],
        vec![Cell::S("Name 6"), Cell::S("Name 1"), Cell::S("Group Type")],
        vec![Cell::S("PUTIN"), Cell::S("Vladimir"), Cell::S("Individual")],
    ]);
    let err = parse_bytes("other.xlsx", &bytes).unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with("other.xlsx: "), "{message}");
    assert!(message.contains("missing column(s) Group ID"), "{message}");
    assert!(
        !message.contains("missing column(s) Group ID, Name 6"),
        "{message}"
    );

    let bytes = xlsx(&[vec![Cell::S("Hello"), Cell::S("World")]]);
    let err = parse_bytes("other.xlsx", &bytes).unwrap_err();
    assert!(
        err.to_string()
            .contains("missing column(s) Group ID, Name 6, Group Type"),
        "{err}"
    );
}

#[test]
fn a_small_workbook_with_every_cell_kind() {
    use Cell::{Empty as E, N, S};
    // Columns reordered and some absent: found by name, not by position. A column
    // this parser does not know ("Hull identification number (HIN)") becomes a property.
    let header = [
        "Group ID",
        "Group Type",
        "Name 1",
        "Name 6",
        "Alias Type",
        "Alias Quality",
        "DOB",
        "Nationality",
        "Other Information",
        "Listed On",
        "Hull identification number (HIN)",
    ];
    let bytes = xlsx(&[
        vec![S("Last Updated"), S("01/02/2024")],
        header.iter().map(|h| S(h)).collect(),
        vec![
            N(900.0),
            S("Individual"),
            S("Ivan"),
            S("PETROV"),
            S("Primary name"),
            E,
            S("00/00/1960"),
            S("(1) Russia. (2) Ukraine"),
            S("(Gender):Male"),
            S("01/03/2022"),
        ],
        vec![
            N(900.0),
            S("Individual"),
            S("Ivan"),
            S("PETROFF"),
            S("AKA"),
            S("Good quality"),
            S("31/02/19x0"),
            S("(1) Russia. (2) Ukraine"),
            S("(Gender):Male"),
            S("01/03/2022"),
        ],
        vec![E, S("Individual"), S("Orphan"), S("NOGROUP"), S("AKA")],
        vec![
            N(901.0),
            S("Ship"),
            E,
            S("SEA STAR"),
            S("Primary name"),
            E,
            E,
            E,
            S("Tanker, IMO 9123456, flagged in Panama."),
            S("02/03/2022"),
            S("HIN-42"),
        ],
    ]);
    let list = parse_bytes("small.xlsx", &bytes).expect("small workbook parses");
    assert_eq!(list.published.as_deref(), Some("2024-02-01"));
    assert_eq!(list.report.records, 4);
    assert_eq!(list.entities.len(), 2);

    let petrov = &list.entities[0];
    assert_eq!(petrov.id, "uk-hmt:900");
    assert_eq!(petrov.schema, Schema::Person);
    assert_eq!(names_of(petrov, NameKind::Primary), ["Ivan PETROV"]);
    assert_eq!(names_of(petrov, NameKind::StrongAlias), ["Ivan PETROFF"]);
    assert_eq!(petrov.birth_dates.len(), 1);
    assert_eq!(petrov.birth_dates[0].precision(), "year");
    assert_eq!(petrov.nationalities, ["ru", "ua"]);
    assert_eq!(petrov.listed_on.as_deref(), Some("2022-03-01"));

    let ship = &list.entities[1];
    assert_eq!(ship.id, "uk-hmt:901");
    assert_eq!(ship.schema, Schema::Vessel);
    assert!(ship
        .identifiers
        .iter()
        .any(|i| i.kind == IdKind::Imo && i.value == "9123456"));
    assert_eq!(
        ship.properties["hull_identification_number_hin"],
        ["HIN-42"]
    );

    let warnings: Vec<String> = list.report.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("small.xlsx:row 4: ") && w.contains("31/02/19x0")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.starts_with("small.xlsx:row 5: ")
            && w.contains("no Group ID")
            && w.contains("Orphan NOGROUP")),
        "{warnings:?}"
    );
    assert_eq!(warnings.len(), 2, "{warnings:?}");
}

#[test]
#[ignore = "timing; run with --release -- --ignored --nocapture"]
fn parses_the_lists_quickly() {
    for (name, path) in [
        ("ConList-2025-04-14.xlsx", FILE_2025),
        ("ConList-2023-06-05.xlsx", FILE_2023),
    ] {
        let bytes = read(path);
        let start = std::time::Instant::now();
        let list = parse_bytes(name, &bytes).expect("parses");
        let elapsed = start.elapsed();
        let r = &list.report;
        eprintln!(
            "{name}: {} rows, {} entities, {} names, {} identifiers, {} links, {} warnings in {elapsed:?}",
            r.records,
            r.entities,
            r.names,
            r.identifiers,
            r.links,
            r.warnings.len()
        );
        for warning in &r.warnings {
            eprintln!("  {warning}");
        }
        assert!(elapsed.as_secs_f64() < 1.0, "{elapsed:?}");
    }
}

// --- A minimal XLSX writer: stored (uncompressed) zip entries and inline strings. ---

enum Cell<'a> {
    S(&'a str),
    N(f64),
    Empty,
}

fn xlsx(rows: &[Vec<Cell<'_>>]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column_letters(c), r + 1);
            match cell {
                Cell::S(s) => sheet.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t>{}</t></is></c>"#,
                    escape(s)
                )),
                Cell::N(n) => sheet.push_str(&format!(r#"<c r="{at}"><v>{n}</v></c>"#)),
                Cell::Empty => {}
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");

    let files: [(&str, String); 5] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    zip_stored(&files)
}

fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip archive of uncompressed entries (method 0), enough for calamine.
fn zip_stored(files: &[(&str, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, content) in files {
        let data = content.as_bytes();
        let crc = crc32(data);
        let offset = out.len() as u32;
        let size = data.len() as u32;
        let name_len = name.len() as u16;

        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes()); // version needed
        out.extend_from_slice(&0u16.to_le_bytes()); // flags
        out.extend_from_slice(&0u16.to_le_bytes()); // method: stored
        out.extend_from_slice(&0u32.to_le_bytes()); // time, date
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra length
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        central.extend_from_slice(&20u16.to_le_bytes()); // version needed
        central.extend_from_slice(&0u16.to_le_bytes()); // flags
        central.extend_from_slice(&0u16.to_le_bytes()); // method
        central.extend_from_slice(&0u32.to_le_bytes()); // time, date
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&name_len.to_le_bytes());
        central.extend_from_slice(&[0; 8]); // extra and comment lengths, disk, internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let central_offset = out.len() as u32;
    let central_size = central.len() as u32;
    out.extend_from_slice(&central);
    let count = files.len() as u16;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // disk numbers
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    out
}
