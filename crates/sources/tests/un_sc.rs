//! The UN Security Council parser against the real consolidated list of 2026-02-27.

use std::collections::HashSet;
use std::sync::OnceLock;

use redline_model::{DateValue, Entity, IdKind, NameKind, PartialDate, Schema};
use redline_sources::{un_sc, InputFile, ParsedList, SourceError};

fn bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| redline_testdata::bytes("un/consolidated-2026-02-27.xml"))
}

fn parsed() -> &'static ParsedList {
    static PARSED: OnceLock<ParsedList> = OnceLock::new();
    PARSED.get_or_init(|| {
        un_sc::parse(InputFile {
            name: "consolidated.xml",
            bytes: bytes(),
        })
        .expect("the real list parses")
    })
}

fn entity(id: &str) -> &'static Entity {
    parsed()
        .entity(id)
        .unwrap_or_else(|| panic!("{id} not found"))
}

fn names(e: &Entity, kind: NameKind) -> Vec<&str> {
    e.names_of(kind).collect()
}

fn dates(e: &Entity) -> Vec<String> {
    e.birth_dates.iter().map(DateValue::to_string).collect()
}

#[test]
fn counts_every_record() {
    let list = parsed();
    assert_eq!(list.published.as_deref(), Some("2026-02-27"));
    let people = list
        .entities
        .iter()
        .filter(|e| e.schema == Schema::Person)
        .count();
    let orgs = list
        .entities
        .iter()
        .filter(|e| e.schema == Schema::Organization)
        .count();
    assert_eq!((people, orgs), (730, 273));
    assert_eq!(list.report.records, 1003);
    assert_eq!(list.report.entities, 1003);
    assert_eq!(
        list.report.names,
        list.entities.iter().map(|e| e.names.len()).sum::<usize>()
    );
    assert_eq!(
        list.report.identifiers,
        list.entities
            .iter()
            .map(|e| e.identifiers.len())
            .sum::<usize>()
    );
    eprintln!(
        "un-sc: {} entities, {} names, {} identifiers, {} warnings",
        list.report.entities,
        list.report.names,
        list.report.identifiers,
        list.report.warnings.len()
    );
    let ids: HashSet<&str> = list.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 1003, "ids are unique");
    for e in &list.entities {
        assert!(e.id.starts_with("un-sc:"), "{}", e.id);
        assert_eq!(e.names[0].kind, NameKind::Primary, "{}", e.id);
        assert_eq!(e.programs.len(), 1, "{}", e.id);
        assert!(e.listed_on.is_some(), "{}", e.id);
        assert!(e.properties.contains_key("reference_number"), "{}", e.id);
        // Merged aliases are split: no name keeps the list's separator.
        for n in &e.names {
            assert!(!n.text.contains(';'), "{}: {:?}", e.id, n.text);
            assert_eq!(n.text.trim(), n.text, "{}", e.id);
        }
        // Country fields hold alpha-2 codes only.
        for code in e.all_countries() {
            assert!(code.len() == 2, "{}: {code}", e.id);
        }
    }
}

#[test]
fn reads_a_known_individual() {
    let e = entity("un-sc:111806");
    assert_eq!(e.schema, Schema::Person);
    assert_eq!(e.caption(), "SAMI BEN KHAMIS BEN SALEH ELSSEID");
    assert_eq!(
        names(e, NameKind::OriginalScript),
        ["سامي بن خميس بن صالح الصيد"]
    );
    assert_eq!(names(e, NameKind::StrongAlias), ["Omar El Mouhajer"]);
    assert_eq!(names(e, NameKind::WeakAlias), ["Saber"]);
    let saber = e.names.iter().find(|n| n.text == "Saber").unwrap();
    assert_eq!(saber.note.as_deref(), Some("Low"));
    assert_eq!(dates(e), ["1968-02-10"]);
    assert_eq!(e.birth_places, ["Menzel Jemil, Bizerte, Tunisia"]);
    assert_eq!(e.nationalities, ["tn"]);
    assert_eq!(e.programs, ["Al-Qaida"]);
    assert_eq!(e.listed_on.as_deref(), Some("2002-04-24"));
    assert_eq!(e.properties["reference_number"], ["QDi.064"]);
    assert!(e
        .remarks
        .as_deref()
        .unwrap()
        .starts_with("Mother’s name is Beya Al-Saidani."));

    let passport = e
        .identifiers
        .iter()
        .find(|i| i.kind == IdKind::Passport)
        .unwrap();
    assert_eq!(passport.value, "K929139");
    assert_eq!(passport.country.as_deref(), Some("tn"));
    assert_eq!(
        passport.note.as_deref(),
        Some("issued 1995-02-14; expired on 13 Feb. 2000")
    );
    // The note names the generic "National Identification Number" a fiscal code.
    assert!(e
        .identifiers
        .iter()
        .any(|i| i.kind == IdKind::TaxId && i.value == "SSDSBN68B10Z352F"));
    assert_eq!(e.addresses[0].country.as_deref(), Some("tn"));
}

#[test]
fn birth_date_ranges_and_approximations() {
    // BETWEEN 1973 and 1974.
    let taganda = entity("un-sc:6908021");
    assert_eq!(taganda.birth_dates.len(), 1);
    let d = &taganda.birth_dates[0];
    assert_eq!(d.date, PartialDate::year(1973));
    assert_eq!(d.end, Some(PartialDate::year(1974)));
    assert!(!d.circa);
    assert_eq!(d.raw, "between 1973 and 1974");

    // BETWEEN with a NOTE "Approximately": a circa range, twice.
    let akhund = entity("un-sc:110577");
    assert_eq!(dates(akhund), ["circa 1955 to 1958", "circa 1945 to 1950"]);
    assert_eq!(akhund.birth_dates[0].year_span(), (1954, 1959));

    // APPROXIMATELY with YEAR.
    let approx = entity("un-sc:6908006");
    assert!(approx
        .birth_dates
        .iter()
        .any(|d| d.circa && d.date.year == 1966));
}

#[test]
fn several_birth_dates() {
    // Joseph Kony: ten dates, some only a year, some a month from the note.
    let kony = entity("un-sc:6908538");
    assert_eq!(kony.caption(), "JOSEPH KONY");
    assert_eq!(
        dates(kony),
        [
            "1959",
            "1960",
            "1961",
            "1963",
            "1964-09-18",
            "1965",
            "1961-08",
            "1961-07",
            "1961-01-01",
            "1963-04"
        ]
    );
    assert_eq!(kony.birth_dates[6].raw, "August 1961");
    assert_eq!(kony.nationalities, ["ug"]);
    assert_eq!(kony.birth_places.len(), 3);
}

#[test]
fn reads_an_entitys_aliases() {
    let nusra = entity("un-sc:6908429");
    assert_eq!(nusra.schema, Schema::Organization);
    assert_eq!(
        nusra.caption(),
        "AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT"
    );
    assert_eq!(
        names(nusra, NameKind::OriginalScript),
        ["جبهة النصرة لأهل الشام"]
    );
    let strong = names(nusra, NameKind::StrongAlias);
    // One ALIAS_NAME holds "Hay’at Tahrir al-Sham (HTS) (هيئة تحرير الشام (original
    // script); Hay’at Tahrir al-Sham; …)": each name comes out on its own.
    for alias in [
        "Hay’at Tahrir al-Sham (HTS)",
        "هيئة تحرير الشام",
        "Hayat Tahrir al-Sham",
        "Assembly for the Liberation of Syria",
        "جبهة النصرة",
        "Jabhat al-Nusrah",
        "Al-Nusra Front",
        "Jabhat Fateh Al-Sham",
        "Ansar al-Mujahideen Network",
    ] {
        assert!(strong.contains(&alias), "{alias} missing from {strong:?}");
    }
    assert!(nusra
        .names
        .iter()
        .filter(|n| n.kind == NameKind::StrongAlias)
        .all(|n| n.note.as_deref() == Some("a.k.a.")));

    // One FIRST_NAME holds two names separated by ";": both are primary.
    let cagl = entity("un-sc:6908026");
    assert_eq!(
        names(cagl, NameKind::Primary),
        [
            "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)",
            "GREAT LAKES BUSINESS COMPANY (GLBC)"
        ]
    );

    // Former names ("f.k.a.") are a kind of their own.
    let adf = entity("un-sc:6908402");
    assert_eq!(adf.caption(), "ADF");
    assert_eq!(
        names(adf, NameKind::StrongAlias),
        ["Allied Democratic Forces"]
    );
    assert_eq!(
        names(adf, NameKind::FormerName),
        [
            "Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda",
            "ADF/NALU",
            "NALU"
        ]
    );
}

#[test]
fn reports_what_it_cannot_read() {
    let report = &parsed().report;
    let at = |location: &str| report.warnings.iter().any(|w| w.location == location);
    // "na" as a nationality is "not available", not Namibia.
    assert!(at(
        "INDIVIDUALS/INDIVIDUAL[DATAID=690784]/NATIONALITY/VALUE"
    ));
    assert_eq!(
        entity("un-sc:690784").properties["nationality_text"],
        ["na"]
    );
    // A Hijri date is not read as the year 1402.
    assert!(at(
        "INDIVIDUALS/INDIVIDUAL[DATAID=2962519]/INDIVIDUAL_DATE_OF_BIRTH"
    ));
    assert!(entity("un-sc:2962519")
        .birth_dates
        .iter()
        .all(|d| d.date.year > 1900));
    for w in &report.warnings {
        assert!(
            w.location.starts_with("INDIVIDUALS/INDIVIDUAL[DATAID="),
            "{w}"
        );
    }
    assert!(report.warnings.len() < 20, "{:#?}", report.warnings);
}

fn expect_malformed(bytes: &[u8]) -> (u64, String) {
    match un_sc::parse(InputFile {
        name: "cut.xml",
        bytes,
    }) {
        Err(SourceError::Malformed {
            file,
            line,
            message,
        }) => {
            assert_eq!(file, "cut.xml");
            (line, message)
        }
        Err(other) => panic!("expected Malformed, got {other}"),
        Ok(list) => panic!(
            "a damaged file parsed into {} entities",
            list.entities.len()
        ),
    }
}

#[test]
fn truncated_file_is_an_error_with_its_line() {
    let full = bytes();
    let half = &full[..full.len() / 2];
    let lines = half.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let (line, _) = expect_malformed(half);
    assert!(line > 1 && line <= lines, "line {line} of {lines}");

    // Cut on a character boundary the XML reader itself must notice the open elements.
    let text = std::str::from_utf8(full).unwrap();
    let mut cut = text.len() / 2;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let (line, message) = expect_malformed(&full[..cut]);
    assert_eq!(line, lines);
    assert!(message.contains("truncated"), "{message}");

    // Only the closing root tag missing: still not a complete list.
    let end = text.rfind("</CONSOLIDATED_LIST>").unwrap();
    let (_, message) = expect_malformed(&full[..end]);
    assert!(message.contains("<CONSOLIDATED_LIST>"), "{message}");
}

#[test]
fn garbage_is_an_error() {
    let garbage: Vec<u8> = (0u32..4096)
        .map(|i| [0xFF, 0xFE, 0x00, 0x3C, 0x9A][(i * 7 % 5) as usize] ^ (i as u8))
        .collect();
    assert!(un_sc::parse(InputFile {
        name: "garbage.bin",
        bytes: &garbage,
    })
    .is_err());
    let (line, _) = expect_malformed(&[0xFF, 0xFE, 0x3C, 0x00, 0x41, 0x00]);
    assert_eq!(line, 1);
    // Valid text that is not XML at all.
    assert!(matches!(
        un_sc::parse(InputFile {
            name: "sdn.csv",
            bytes: b"36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\n",
        }),
        Err(SourceError::Invalid { .. })
    ));
}
