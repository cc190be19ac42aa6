//! The OFAC parser against the real published files in `testdata/ofac/`.

use redline_model::{IdKind, NameKind, Schema, SourceId};
use redline_sources::{parse, InputFile, SourceError};

fn data(path: &str) -> Vec<u8> {
    redline_testdata::bytes(path)
}

fn parse_sdn(path: &str) -> redline_sources::ParsedList {
    let bytes = data(path);
    parse(
        SourceId::OfacSdn,
        &[InputFile {
            name: path,
            bytes: &bytes,
        }],
    )
    .expect(path)
}

#[test]
fn reads_every_record_of_the_may_2024_list() {
    let list = parse_sdn("ofac/sdn-2024-05-03.csv");
    assert_eq!(list.entities.len(), 14_965);
    assert_eq!(list.report.records, 14_965);
    let putin = list.entity("ofac-sdn:35096").unwrap();
    assert_eq!(putin.caption(), "PUTIN, Vladimir Vladimirovich");
    assert_eq!(putin.schema, Schema::Person);
    assert_eq!(putin.birth_dates[0].date.to_string(), "1952-10-07");
    assert_eq!(putin.nationalities, ["ru"]);
    assert_eq!(putin.programs, ["RUSSIA-EO14024"]);
    // Remarks are kept verbatim.
    assert!(putin
        .remarks
        .as_deref()
        .unwrap()
        .starts_with("DOB 07 Oct 1952; POB Leningrad"));
    let vessels = list
        .entities
        .iter()
        .filter(|e| e.schema == Schema::Vessel)
        .count();
    assert!(vessels > 500, "{vessels} vessels");
    let imo = list
        .entities
        .iter()
        .flat_map(|e| &e.identifiers)
        .filter(|i| i.kind == IdKind::Imo)
        .count();
    assert!(imo > 500, "{imo} IMO numbers");
    let han = list
        .entities
        .iter()
        .flat_map(|e| &e.names)
        .filter(|n| n.kind == NameKind::OriginalScript)
        .count();
    assert!(han >= 12, "{han} Han names from Chinese Commercial Codes");
    // Remarks are read, not warned about: only the few labelled clauses whose value
    // cannot be read (`DOB circa 1979-1982`) are warnings, each with its line.
    assert!(
        list.report.warnings.len() < 100,
        "{:?}",
        list.report.warnings
    );
    assert!(list
        .report
        .warnings
        .iter()
        .all(|w| w.location.contains(".csv:")));
    // Role clauses are positions, and links where they name a listed organisation.
    assert!(
        list.report.properties["position"] > 1_500,
        "{:?}",
        list.report.properties
    );
    let director = list
        .entities
        .iter()
        .find(|e| {
            e.properties.get("position").is_some_and(|p| {
                p.iter()
                    .any(|p| p == "Director of PALESTINE LIBERATION FRONT - ABU ABBAS FACTION")
            })
        })
        .expect("the PLF director");
    let front = director
        .links
        .iter()
        .find(|l| l.role.as_deref() == Some("Director"))
        .and_then(|l| l.target_id.as_deref())
        .and_then(|id| list.entity(id))
        .expect("a link to the listed front");
    assert_eq!(
        front.caption(),
        "PALESTINE LIBERATION FRONT - ABU ABBAS FACTION"
    );
    // What no rule recognises is kept verbatim, and no role clause is left there.
    for e in &list.entities {
        for remark in e.properties.get("remark").into_iter().flatten() {
            assert_eq!(
                redline_sources::remark_roles::read(remark),
                None,
                "{remark}"
            );
        }
    }
    // OFAC keeps its weak aliases in the remarks: `BNC` for BANCO NACIONAL DE CUBA.
    let bnc = list.entity("ofac-sdn:306").unwrap();
    assert!(bnc
        .names
        .iter()
        .any(|n| n.text == "BNC" && n.kind == NameKind::WeakAlias));
}

#[test]
fn merges_alt_and_add_files() {
    let names = [
        "ofac/set-2021-07-07/sdn.csv",
        "ofac/set-2021-07-07/alt.csv",
        "ofac/set-2021-07-07/add.csv",
    ];
    let bytes: Vec<Vec<u8>> = names.iter().map(|n| data(n)).collect();
    let files: Vec<InputFile> = names
        .iter()
        .zip(&bytes)
        .map(|(name, b)| InputFile { name, bytes: b })
        .collect();
    let list = parse(SourceId::OfacSdn, &files).unwrap();
    assert_eq!(list.entities.len(), 8_976);
    let bnc = list
        .entities
        .iter()
        .find(|e| e.id == "ofac-sdn:306")
        .unwrap();
    assert!(bnc.names.iter().any(|n| n.text == "NATIONAL BANK OF CUBA"));
    assert!(bnc
        .addresses
        .iter()
        .any(|a| a.city.as_deref() == Some("Zurich CH-8022")));
    assert_eq!(list.report.records, 8_976 + 11_910 + 13_837);
}

#[test]
fn a_broken_quote_names_the_line() {
    let mut bytes = data("ofac/sdn-2024-05-03.csv");
    // Drop the closing quote of the name on the third line.
    let text = String::from_utf8(bytes.clone()).unwrap();
    let pos = text.find("\"BANCO NACIONAL DE CUBA\"").unwrap() + "\"BANCO NACIONAL DE CUBA".len();
    bytes.remove(pos);
    let err = parse(
        SourceId::OfacSdn,
        &[InputFile {
            name: "sdn.csv",
            bytes: &bytes,
        }],
    )
    .unwrap_err();
    match &err {
        SourceError::Malformed { file, line, .. } => {
            assert_eq!(file, "sdn.csv");
            assert_eq!(*line, 3, "{err}");
        }
        other => panic!("unexpected error {other}"),
    }
}

#[test]
fn garbage_is_rejected() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let err = parse(
        SourceId::OfacSdn,
        &[InputFile {
            name: "sdn.csv",
            bytes: &garbage,
        }],
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("sdn.csv:"), "{err}");
    let truncated = &data("ofac/sdn-2024-05-03.csv")[..100_000];
    // A cut in the middle of a record leaves a short last row.
    let err = parse(
        SourceId::OfacSdn,
        &[InputFile {
            name: "sdn.csv",
            bytes: truncated,
        }],
    )
    .unwrap_err();
    assert!(err.to_string().contains("sdn.csv:"), "{err}");
}
