//! The Consolidated Screening List parser against the real full file of May 2022 in
//! `testdata/us_csl/`.

use redline_model::{IdKind, Schema, SourceId};
use redline_sources::{parse, InputFile, SourceError};

fn csl() -> redline_sources::ParsedList {
    let path = "us_csl/consolidated-2022-05.csv";
    let bytes = redline_testdata::bytes(path);
    parse(
        SourceId::UsCsl,
        &[InputFile {
            name: path,
            bytes: &bytes,
        }],
    )
    .expect(path)
}

#[test]
fn reads_every_list_but_the_sdn_which_ofac_sdn_reads() {
    let list = csl();
    assert_eq!(list.report.records, 14_160);
    assert_eq!(list.report.left_to_other_sources, 10_026, "the SDN rows");
    assert!(
        list.report.warnings.len() < 20,
        "{:?}",
        list.report.warnings
    );
    assert_eq!(
        list.published.as_deref(),
        Some("2022-04-21"),
        "the newest listing"
    );
    let on = |code: &str| {
        list.entities
            .iter()
            .filter(|e| e.programs.iter().any(|p| p == code))
            .count()
    };
    // The export-control lists a third-country bank must also answer for.
    assert_eq!(on("EL"), 2_001);
    assert_eq!(on("MEU"), 71);
    assert_eq!(on("DPL"), 462);
    assert!(on("SSI") > 250, "{}", on("SSI"));
    // The Russian military-industrial base: on the Entity List, not the SDN of 2022.
    let uec = list
        .entities
        .iter()
        .find(|e| e.caption() == "United Engine Corporation")
        .expect("United Engine Corporation");
    assert_eq!(uec.programs, ["EL"]);
    assert_eq!(uec.schema, Schema::Organization);
    assert!(uec.properties["license_policy"][0].starts_with("Policy of denial"));
    // A Treasury party on two non-SDN lists is one entity on both.
    let vtb = list.entity("us-csl:18725").expect("BANCO VTB AFRICA SA");
    assert!(
        vtb.programs.iter().any(|p| p == "SSI"),
        "{:?}",
        vtb.programs
    );
    assert!(
        vtb.programs.iter().any(|p| p == "CAP"),
        "{:?}",
        vtb.programs
    );
    assert!(vtb.programs.iter().any(|p| p == "RUSSIA-EO14024"));
    // Treasury's identifiers read with OFAC's labels: an SSI company's tax number.
    let zavod = list
        .entities
        .iter()
        .find(|e| e.caption() == "90 EKSPERIMENTALNY ZAVOD OAO")
        .unwrap();
    assert!(zavod
        .identifiers
        .iter()
        .any(|i| i.kind == IdKind::TaxId && i.value == "5030056754"));
    assert_eq!(zavod.countries, ["ru"]);
    // Untyped rows of the Denied Persons List are people unless named as a company.
    let denied = list
        .entities
        .iter()
        .find(|e| e.caption() == "ABDIEL PADRON MADRID")
        .unwrap();
    assert_eq!(denied.schema, Schema::Person);
}

#[test]
fn a_file_that_is_not_the_csl_is_refused_by_name() {
    let bytes = b"ent_num,SDN_Name\n1,X\n".to_vec();
    let err = parse(
        SourceId::UsCsl,
        &[InputFile {
            name: "sdn.csv",
            bytes: &bytes,
        }],
    )
    .unwrap_err();
    assert!(
        matches!(err, SourceError::Malformed { line: 1, .. }),
        "{err}"
    );
    assert!(err
        .to_string()
        .contains("not the Consolidated Screening List"));
}
