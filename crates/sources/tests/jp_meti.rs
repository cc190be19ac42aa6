//! The METI End User List parser against the real September 2025 revision in
//! `testdata/jp_meti/`.

use redline_model::{NameKind, Schema, SourceId};
use redline_sources::{parse, InputFile};

#[test]
fn reads_every_party_with_its_aliases_country_and_concerns() {
    let path = "jp_meti/end-user-list-2025-09-29.xlsx";
    let bytes = redline_testdata::bytes(path);
    let list = parse(
        SourceId::JpMeti,
        &[InputFile {
            name: path,
            bytes: &bytes,
        }],
    )
    .unwrap();
    assert_eq!(list.entities.len(), 835);
    assert!(
        list.report.warnings.is_empty(),
        "{:?}",
        list.report.warnings
    );
    assert!(list.published.is_none(), "the workbook states no date");

    let qaida = list.entity("jp-meti:1").unwrap();
    assert_eq!(qaida.caption(), "Al Qa'ida/Islamic Army");
    assert_eq!(qaida.schema, Schema::Organization);
    assert_eq!(qaida.countries, ["af"]);
    assert!(qaida.names.iter().any(|n| n.text == "The Base"));
    assert_eq!(qaida.properties["wmd_concern"], ["B,C,M,N"]);
    assert_eq!(qaida.properties["conventional_weapons"], ["CW"]);
    assert_eq!(qaida.programs, ["METI-EUL"]);

    // A name in its own script beside the English one.
    let koryo = list.entity("jp-meti:300").unwrap();
    assert_eq!(koryo.caption(), "Air Koryo");
    assert!(koryo
        .names
        .iter()
        .any(|n| n.kind == NameKind::OriginalScript && n.text == "高麗航空"));
    assert_eq!(koryo.countries, ["kp"]);
}
