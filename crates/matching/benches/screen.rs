//! `cargo bench -p redline-matching`: single-query latency and index build time against
//! the bundled lists (OFAC SDN 2024-05-03 + UN). `redline bench` reports the same
//! figures plus batch throughput and memory from the binary.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use redline_matching::{Index, Options, Query};

#[path = "../tests/common/mod.rs"]
mod common;

fn bench(c: &mut Criterion) {
    let entities = common::bundled_entities();
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
