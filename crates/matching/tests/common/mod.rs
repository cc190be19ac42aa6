//! The bundled lists (OFAC SDN 2024-05-03 and the UN list), parsed from the
//! repository's `testdata/`: what the engine tests, the criterion bench and the tuning example run on.

use redline_model::{Entity, SourceId};
use redline_sources::{parse, InputFile};

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
