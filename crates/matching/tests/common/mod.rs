//! The bundled lists (OFAC SDN 2024-05-03 and the UN list), parsed from the shared
//! data set: what the engine tests, the criterion bench and the tuning example run on.

use redline_model::{Entity, SourceId};
use redline_sources::{parse, InputFile};

pub fn shared(path: &str) -> String {
    format!("{}/../../../shared/{path}", env!("CARGO_MANIFEST_DIR"))
}

pub fn bundled_entities() -> Vec<Entity> {
    let mut entities = Vec::new();
    for (source, path) in [
        (SourceId::OfacSdn, "data/ofac/sdn-2024-05-03.csv"),
        (SourceId::UnSc, "data/un/consolidated-2026-02-27.xml"),
    ] {
        let full = shared(path);
        let bytes = std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
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
