//! An index read back from its snapshot answers exactly as the index it was written
//! from, on every list the binary bundles; a damaged snapshot is refused, never
//! half read.

use std::sync::OnceLock;

use redline_matching::{Index, Options, Query, SearchQuery, SnapshotError};

mod common;

fn built() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        Index::build(
            common::every_bundled_entity(),
            vec!["ofac-sdn@test".into(), "un-sc@test".into()],
        )
    })
}

fn snapshot() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| built().to_snapshot("{\"blocks\":[]}"))
}

/// The public benchmark's queries: every class of name variation, in every script.
fn benchmark_queries() -> Vec<Query> {
    let mut queries = Vec::new();
    for file in ["ssb-all", "multilingual", "short-names", "negatives-global"] {
        let path = format!("{}/../../bench/{file}.jsonl", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect(&path);
        for line in text.lines().step_by(7).take(400) {
            let fields: redline_matching::QueryFields = serde_json::from_str(line).expect(line);
            queries.push(fields.to_query(&[]).expect(line));
        }
    }
    queries
}

#[test]
fn a_read_snapshot_screens_as_the_built_index() {
    let (read, attachment) = Index::from_snapshot(snapshot()).expect("own snapshot reads");
    assert_eq!(attachment, "{\"blocks\":[]}");
    assert_eq!(read.versions(), built().versions());
    assert_eq!(read.entity_count(), built().entity_count());
    assert_eq!(read.name_count(), built().name_count());
    assert_eq!(
        read.parties_listed_more_than_once(),
        built().parties_listed_more_than_once()
    );
    let options = Options::every_match(0.7);
    let queries = benchmark_queries();
    assert!(queries.len() > 1000, "{}", queries.len());
    let mut matched = 0;
    for query in &queries {
        let (a, b) = (
            built().screen(query, &options),
            read.screen(query, &options),
        );
        matched += usize::from(!a.is_empty());
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            serde_json::to_value(&b).unwrap(),
            "{}",
            query.name
        );
    }
    assert!(matched > 500, "{matched}");
    // Look-ups and entities too.
    let search = SearchQuery {
        text: "rosneft".into(),
        ..SearchQuery::default()
    };
    assert_eq!(
        serde_json::to_value(built().search(&search, 10, 0)).unwrap(),
        serde_json::to_value(read.search(&search, 10, 0)).unwrap()
    );
    let putin = built().entity("ofac-sdn:35096");
    assert!(putin.is_some());
    assert_eq!(read.entity("ofac-sdn:35096"), putin);
    // A read index writes a snapshot of its own (entities still encoded included).
    let (again, _) = Index::from_snapshot(&read.to_snapshot("")).expect("second snapshot reads");
    for entity in built().entities().step_by(97) {
        assert_eq!(again.entity(&entity.id), Some(entity));
    }
    assert_eq!(again.entity_count(), built().entity_count());
}

#[test]
fn a_damaged_snapshot_is_refused() {
    let good = snapshot();
    let mut flipped = good.to_vec();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    assert_eq!(
        Index::from_snapshot(&flipped).err(),
        Some(SnapshotError::Checksum)
    );
    let cut = &good[..good.len() - 1];
    assert!(matches!(
        Index::from_snapshot(cut),
        Err(SnapshotError::Truncated { .. })
    ));
    assert_eq!(
        Index::from_snapshot(b"PK\x03\x04 not an index").err(),
        Some(SnapshotError::NotASnapshot)
    );
    assert_eq!(
        Index::from_snapshot(&[]).err(),
        Some(SnapshotError::NotASnapshot)
    );
    let mut other = good.to_vec();
    other[8..32].copy_from_slice(b"000000000000000000000000");
    assert!(matches!(
        Index::from_snapshot(&other),
        Err(SnapshotError::OtherEngine { .. })
    ));
}
