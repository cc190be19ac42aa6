//! The bundled lists (OFAC SDN 2024-05-03 and the UN list), parsed from the
//! repository's `testdata/`: what the engine tests, the criterion bench and the tuning example run on.

use redline_model::{Entity, SourceId};
use redline_sources::{parse, InputFile};

#[allow(dead_code)] // each test target uses what it needs
pub fn bundled_entities() -> Vec<Entity> {
    entities_of(&[
        (SourceId::OfacSdn, "ofac/sdn-2024-05-03.csv"),
        (SourceId::UnSc, "un/consolidated-2026-02-27.xml"),
    ])
}

/// Every list the binary bundles.
#[allow(dead_code)] // each test target uses what it needs
pub fn every_bundled_entity() -> Vec<Entity> {
    entities_of(&[
        (SourceId::OfacSdn, "ofac/sdn-2024-05-03.csv"),
        (SourceId::UnSc, "un/consolidated-2026-02-27.xml"),
        (SourceId::UkHmt, "uk_ofsi/ConList-2025-04-14.xlsx"),
        (SourceId::UsCsl, "us_csl/consolidated-2022-05.csv"),
        (SourceId::EuFsf, "eu_fsf/fsf-sample-2020-04-15.xml"),
        (
            SourceId::AuDfat,
            "au_dfat/regulation8_consolidated-2024-11-11.xlsx",
        ),
        (SourceId::CaSema, "ca_sema/sema-lmes-2020-04.xml"),
        (SourceId::JpMof, "jp_mof/shisantouketsu-2026-03-05.xlsx"),
        (SourceId::JpMeti, "jp_meti/end-user-list-2025-09-29.xlsx"),
    ])
}

fn entities_of(files: &[(SourceId, &str)]) -> Vec<Entity> {
    let mut entities = Vec::new();
    for &(source, path) in files {
        let bytes = redline_testdata::bytes(path);
        let list = parse(
            source,
            &[InputFile {
                name: path,
                bytes: &bytes,
            }],
        )
        .unwrap_or_else(|e| panic!("{path}: {e}"));
        entities.extend(list.entities);
    }
    entities
}
