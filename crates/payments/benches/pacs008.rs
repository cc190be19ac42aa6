//! `cargo bench -p redline-payments --bench pacs008`: parse + screen of the real
//! CBPR+ pacs.008 samples, cycled, against the full bundled index (OFAC SDN
//! 2024-05-03 + UN), with the shipped policy.
//!
//! Two workloads, because the matching engine caches token look-ups per thread:
//! - `samples, cycled`: the shared samples as they are. Their names recur, as the
//!   regular counterparties of a real payment flow do, so look-ups are cached.
//! - `fresh creditor names`: each message gets a creditor name never screened
//!   before in the run (synthetic given name + surname + company word), the worst
//!   case for the cache.
//!
//! Besides criterion's mean, a plain timing loop prints p50 / p99 / max per message
//! for both, since the target is a tail latency (p99 ≤ 2 ms) as well as a mean.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use redline_matching::Index;
use redline_payments::{screen_bytes, ListLookups, Policy, Verdict};
use std::time::{Duration, Instant};

#[path = "../tests/common/mod.rs"]
mod common;

fn samples() -> Vec<Vec<u8>> {
    let files: Vec<_> = redline_testdata::files("payments/iso20022/cbprplus", "xml")
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("pacs.008"))
        .collect();
    assert!(!files.is_empty(), "no pacs.008 samples");
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// Each sample with its creditor's name replaced by a name made from `n`.
fn with_fresh_creditor(samples: &[Vec<u8>], n: usize) -> Vec<u8> {
    const GIVEN: [&str; 16] = [
        "Anna", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hiroshi", "Ines", "Jonas",
        "Kateryna", "Lars", "Mateo", "Nadia", "Oskar", "Priya",
    ];
    const FAMILY: [&str; 16] = [
        "Albrecht",
        "Bianchi",
        "Castellanos",
        "Dubois",
        "Eriksen",
        "Fontaine",
        "Gallagher",
        "Haddad",
        "Ivanova",
        "Jankowski",
        "Kowalczyk",
        "Lindqvist",
        "Moreau",
        "Novak",
        "Okafor",
        "Petrov",
    ];
    const TRADE: [&str; 8] = [
        "Logistics",
        "Textiles",
        "Dental",
        "Farms",
        "Software",
        "Bakery",
        "Optics",
        "Marine",
    ];
    let xml = String::from_utf8(samples[n % samples.len()].clone()).unwrap();
    let name = format!(
        "{} {} {} {}",
        GIVEN[n % 16],
        FAMILY[(n / 16) % 16],
        TRADE[(n / 256) % 8],
        n
    );
    let Some(cdtr) = xml.find("<Cdtr>") else {
        return xml.into_bytes();
    };
    let Some(rel) = xml[cdtr..].find("<Nm>") else {
        return xml.into_bytes();
    };
    let start = cdtr + rel + "<Nm>".len();
    let end = start + xml[start..].find("</Nm>").unwrap();
    format!("{}{name}{}", &xml[..start], &xml[end..]).into_bytes()
}

fn percentiles(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    let total: Duration = times.iter().sum();
    let mean = total / times.len() as u32;
    println!(
        "{label}: {} messages, mean {:.0} µs ({:.0} msg/s), p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
        times.len(),
        mean.as_secs_f64() * 1e6,
        1.0 / mean.as_secs_f64(),
        at(0.50).as_secs_f64() * 1e6,
        at(0.99).as_secs_f64() * 1e6,
        times[times.len() - 1].as_secs_f64() * 1e6,
    );
}

fn bench(c: &mut Criterion) {
    let index = Index::build(common::bundled_entities(), common::versions());
    let lookups = ListLookups::build(&index);
    let policy = Policy::default_policy();
    let samples = samples();
    let screen = |bytes: &[u8]| {
        let d = screen_bytes(bytes, Some(&index), &lookups, &policy).expect("sample screens");
        assert_eq!(d.decision, Verdict::Pass);
        d
    };

    let fresh: Vec<Vec<u8>> = (0..4_000)
        .map(|n| with_fresh_creditor(&samples, n))
        .collect();
    // Tail latencies first, on a cold per-thread cache for the fresh names.
    let timed = |messages: &mut dyn Iterator<Item = &Vec<u8>>| {
        messages
            .map(|m| {
                let t = Instant::now();
                black_box(screen(m));
                t.elapsed()
            })
            .collect::<Vec<_>>()
    };
    percentiles(
        "fresh creditor names (first sight)",
        timed(&mut fresh.iter()),
    );
    percentiles(
        "samples, cycled",
        timed(&mut samples.iter().cycle().take(4_000)),
    );

    let mut group = c.benchmark_group("pacs.008 parse + screen");
    // Parsing alone, for the split between parser and screening.
    let mut cycle = samples.iter().cycle();
    group.bench_function("parse only, cycled", |b| {
        b.iter(|| black_box(redline_payments::parse(cycle.next().unwrap()).unwrap()))
    });
    let mut cycle = samples.iter().cycle();
    group.bench_function("samples, cycled", |b| {
        b.iter(|| black_box(screen(cycle.next().unwrap())))
    });
    let mut n = 4_000usize;
    group.bench_function("fresh creditor names", |b| {
        b.iter_batched(
            || {
                n += 1;
                with_fresh_creditor(&samples, n)
            },
            |m| black_box(screen(&m)),
            criterion::BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
