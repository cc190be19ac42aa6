//! The Japan MOF parser against the Ministry of Finance's real asset-freeze workbook
//! of March 2026 in `testdata/jp_mof/`.

use redline_model::{NameKind, Schema, SourceId};
use redline_sources::{parse, InputFile};

#[test]
fn reads_every_regime_sheet_with_katakana_and_english_names() {
    let path = "jp_mof/shisantouketsu-2026-03-05.xlsx";
    let bytes = redline_testdata::bytes(path);
    let list = parse(
        SourceId::JpMof,
        &[InputFile {
            name: path,
            bytes: &bytes,
        }],
    )
    .unwrap();
    assert_eq!(list.entities.len(), 2_861, "every party in force");
    let mut ids: Vec<&str> = list.entities.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        list.entities.len(),
        "one party per sheet and notice number"
    );
    assert_eq!(
        list.report.delisted, 598,
        "delistings (削除) read, not loaded"
    );
    assert_eq!(
        list.published.as_deref(),
        Some("2025-11-25"),
        "the newest notice date"
    );
    assert!(
        list.report.warnings.len() < 60,
        "{} {:?}",
        list.report.warnings.len(),
        &list.report.warnings[..10]
    );

    // Russia, persons, notice 1: the English name first, the katakana beside it.
    let putin = list.entity("jp-mof:29-1").unwrap();
    assert_eq!(putin.caption(), "Vladimir Putin");
    assert_eq!(putin.schema, Schema::Person);
    assert_eq!(putin.programs, ["ロシア連邦(個人)"]);
    assert!(putin
        .names
        .iter()
        .any(|n| n.kind == NameKind::OriginalScript && n.text == "ウラジーミル・プーチン"));
    assert_eq!(putin.birth_dates[0].date.to_string(), "1952-10-07");
    assert_eq!(putin.listed_on.as_deref(), Some("2022-03-01"));

    // Russia, organisations: addresses, no birth date.
    let bank = list.entity("jp-mof:28-1").unwrap();
    assert_eq!(bank.caption(), "Central Bank of the Russian Federation");
    assert_eq!(bank.schema, Schema::Organization);
    assert!(bank.addresses[0].full.contains("Neglinnaya"));

    // Enumerated aliases in both scripts, and `1(*186)` numbered as 1.
    let trust = list.entity("jp-mof:3-1").unwrap();
    assert_eq!(trust.caption(), "AL RASHID TRUST");
    assert!(trust
        .names
        .iter()
        .any(|n| n.text == "Al Amin Welfare Trust"));
    assert!(trust
        .names
        .iter()
        .any(|n| n.kind == NameKind::OriginalScript && n.text == "アル・アミン福祉信託"));

    // A birth date written in Japanese.
    let milosevic = list.entity("jp-mof:1-1").unwrap();
    assert_eq!(milosevic.birth_dates[0].date.to_string(), "1941-08-20");
}

#[test]
fn a_workbook_that_is_not_the_list_is_refused() {
    let bytes = redline_testdata::bytes("au_dfat/regulation8_consolidated-2024-11-11.xlsx");
    let err = parse(
        SourceId::JpMof,
        &[InputFile {
            name: "dfat.xlsx",
            bytes: &bytes,
        }],
    )
    .unwrap_err();
    assert!(err.to_string().contains("dfat.xlsx"), "{err}");
    assert!(err.to_string().contains("MOF"), "{err}");
}
