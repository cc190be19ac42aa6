//! `cargo bench -p redline-matching`: single-query latency and index build time against
//! the bundled lists (OFAC SDN 2024-05-03 + UN). `redline bench` reports the same
//! figures plus batch throughput and memory from the binary. A query repeated here
//! finds its token look-ups in the per-thread cache, as the recurring names of a
//! running service do.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use redline_matching::{Index, Options, Query};

#[path = "../tests/common/mod.rs"]
mod common;

fn bench(c: &mut Criterion) {
    let entities = common::bundled_entities();
    // A build takes about half a second: ten samples are enough.
    let mut build = c.benchmark_group("index");
    build.sample_size(10);
    build.bench_function("build (SDN + UN)", |b| {
        b.iter(|| Index::build(black_box(entities.clone()), vec![]))
    });
    build.finish();
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
