//! `cargo bench -p redline-matching`: single-query latency and index build time against
//! the bundled lists (OFAC SDN 2024-05-03 + UN). `redline bench` reports the same
//! figures plus batch throughput and memory from the binary.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use redline_matching::{Index, Options, Query};
use redline_model::{Entity, SourceId};
use redline_sources::{parse, InputFile};

fn entities() -> Vec<Entity> {
    let mut out = Vec::new();
    for (source, path) in [
        (SourceId::OfacSdn, "ofac/sdn-2024-05-03.csv"),
        (SourceId::UnSc, "un/consolidated-2026-02-27.xml"),
    ] {
        let full = format!("{}/../../../shared/data/{path}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&full).expect(&full);
        out.extend(
            parse(
                source,
                &[InputFile {
                    name: path,
                    bytes: &bytes,
                }],
            )
            .expect(path)
            .entities,
        );
    }
    out
}

fn bench(c: &mut Criterion) {
    let entities = entities();
    c.bench_function("index build (SDN + UN)", |b| {
        b.iter(|| Index::build(black_box(entities.clone()), vec![]))
    });
    let index = Index::build(entities, vec![]);
    let options = Options::default();
    for (label, name) in [
        ("listed, exact", "PUTIN, Vladimir Vladimirovich"),
        ("listed, French press form", "Vladimir Poutine"),
        ("listed, Cyrillic", "Владимир Путин"),
        ("listed, typo", "RAMIREZ LENIS, Jhon Jaifo"),
        ("not listed, common name", "James Wilson"),
        ("not listed, Arabic script", "حسین موسوی"),
    ] {
        let query = Query {
            name: name.into(),
            ..Query::default()
        };
        c.bench_function(&format!("screen: {label}"), |b| {
            b.iter(|| index.screen(black_box(&query), &options))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
