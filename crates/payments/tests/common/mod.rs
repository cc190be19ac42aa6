//! The bundled lists (OFAC SDN 2024-05-03 and the UN list), parsed from the
//! repository's `testdata/` exactly as the matching engine's tests do: what the screening tests and
//! the pacs.008 bench run on.

use redline_model::{Entity, SourceId};
use redline_sources::{parse, InputFile};

/// The list version ids the index reports (as the store would name them).
pub fn versions() -> Vec<String> {
    vec![
        "ofac-sdn@2024-05-03".to_string(),
        "un-sc@2026-02-27".to_string(),
    ]
}

pub fn bundled_entities() -> Vec<Entity> {
    let mut entities = Vec::new();
    for (source, path) in [
        (SourceId::OfacSdn, "ofac/sdn-2024-05-03.csv"),
        (SourceId::UnSc, "un/consolidated-2026-02-27.xml"),
    ] {
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
