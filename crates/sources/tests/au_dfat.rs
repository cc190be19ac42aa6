//! The DFAT parser against Australia's real Consolidated List of November 2024 in
//! `testdata/au_dfat/`.

use redline_model::{NameKind, Schema, SourceId};
use redline_sources::{parse, InputFile};

#[test]
fn reads_every_party_with_its_names_births_and_regime() {
    let path = "au_dfat/regulation8_consolidated-2024-11-11.xlsx";
    let bytes = redline_testdata::bytes(path);
    let list = parse(
        SourceId::AuDfat,
        &[InputFile {
            name: path,
            bytes: &bytes,
        }],
    )
    .unwrap();
    assert_eq!(list.report.records, 9_553, "one row per name");
    assert_eq!(list.entities.len(), 3_062, "one party per reference number");
    assert_eq!(
        list.published.as_deref(),
        Some("2024-11-11"),
        "the newest control date"
    );
    // Dates DFAT writes in free form that fit no reading are kept as text and said.
    assert!(
        list.report.warnings.len() < 60,
        "{}",
        list.report.warnings.len()
    );
    let akhund = list.entity("au-dfat:2").unwrap();
    assert_eq!(akhund.caption(), "MOHAMMAD HASSAN AKHUND");
    assert_eq!(akhund.schema, Schema::Person);
    assert_eq!(akhund.programs, ["1988 (Taliban)"]);
    assert!(akhund
        .names
        .iter()
        .any(|n| n.kind == NameKind::OriginalScript && n.text == "محمد حسن أخوند"));
    // `a) Approximately 1955- 1958 b) Approximately 1945-1950`: two approximate ranges.
    assert_eq!(akhund.birth_dates.len(), 2);
    assert!(akhund
        .birth_dates
        .iter()
        .all(|d| d.circa && d.end.is_some()));
    assert_eq!(akhund.citizenships, ["af"]);
    // The Russian military-industrial base under Australia's autonomous regime.
    let uec = list
        .entities
        .iter()
        .find(|e| e.caption() == "Joint Stock Company United Engine Corporation")
        .unwrap();
    assert_eq!(uec.schema, Schema::Organization);
    assert_eq!(uec.programs, ["Autonomous (Russia)"]);
}
