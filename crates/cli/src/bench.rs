//! `redline bench`: index build time, snapshot size and read time, single-query
//! latency and batch throughput against the active lists (or an FtM file's parties,
//! see [`crate::scale`]), and the process's memory.
//!
//! Queries come from `--queries FILE.jsonl` (benchmark format) or, by default, are
//! derived from the lists themselves: list names re-ordered and lower-cased (hits) and
//! the same names with their tokens shuffled across entries (mostly misses), so the
//! figures cover both the matching and the non-matching path. Look-ups (`search`) are
//! timed on the first word of each query, alternately whole and cut to five letters
//! as while typing.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use rayon::prelude::*;
use redline_matching::{Index, Options, Query, QueryFields, SearchQuery};

/// Look-ups timed (each costs more than a screening).
const LOOKUPS: usize = 1000;
use redline_model::Entity;
use serde_json::json;

fn derived_queries(entities: &[Entity], count: usize) -> Vec<Query> {
    let captions: Vec<&str> = entities.iter().map(|e| e.caption()).collect();
    let step = (captions.len() / count.max(1)).max(1);
    let mut out = Vec::with_capacity(count);
    for (k, i) in (0..captions.len()).step_by(step).take(count).enumerate() {
        let name = if k % 2 == 0 {
            // "LAST, First" → "first last"
            match captions[i].split_once(',') {
                Some((last, first)) => format!("{} {}", first.trim(), last.trim()).to_lowercase(),
                None => captions[i].to_lowercase(),
            }
        } else {
            let other = captions[(i * 7919 + 13) % captions.len()];
            let a = captions[i].split_whitespace().next().unwrap_or("");
            let b = other.split_whitespace().last().unwrap_or("");
            format!("{a} {b}")
        };
        out.push(Query {
            name,
            ..Query::default()
        });
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

pub fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Measures the index over `entities` (read in `read_seconds`).
pub fn run(
    entities: Vec<Entity>,
    versions: Vec<String>,
    read_seconds: f64,
    queries_file: Option<&Path>,
    count: usize,
    json_out: bool,
) -> Result<()> {
    let entity_count = entities.len();
    let derived = if queries_file.is_none() {
        derived_queries(&entities, count)
    } else {
        Vec::new()
    };
    let build_start = Instant::now();
    let index = Index::build(entities, versions);
    let build = build_start.elapsed().as_secs_f64();
    let queries: Vec<Query> = match queries_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)?;
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .filter_map(|l| serde_json::from_str::<QueryFields>(l).ok())
                .filter_map(|q| q.to_query(&[]).ok())
                .take(count)
                .collect()
        }
        None => derived,
    };
    let options = Options::default();
    // Warm-up: first touches of lazily built tables are not what a running service sees.
    for q in queries.iter().take(200) {
        index.screen(q, &options);
    }
    let mut latencies: Vec<f64> = queries
        .iter()
        .map(|q| {
            let t = Instant::now();
            std::hint::black_box(index.screen(q, &options));
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    let lookups: Vec<SearchQuery> = queries
        .iter()
        .take(LOOKUPS)
        .enumerate()
        .filter_map(|(k, q)| {
            let word = q.name.split_whitespace().next()?;
            let text = if k % 2 == 1 && word.chars().count() > 5 {
                word.chars().take(5).collect()
            } else {
                word.to_string()
            };
            Some(SearchQuery {
                text,
                ..SearchQuery::default()
            })
        })
        .collect();
    let mut lookup_ms: Vec<f64> = lookups
        .iter()
        .map(|q| {
            let t = Instant::now();
            std::hint::black_box(index.search(q, 10, 0));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    lookup_ms.sort_by(f64::total_cmp);
    let rounds = 5;
    let batch_start = Instant::now();
    let alerts: usize = (0..rounds)
        .map(|_| {
            queries
                .par_iter()
                .map(|q| usize::from(!index.screen(q, &options).is_empty()))
                .sum::<usize>()
        })
        .sum();
    let batch_secs = batch_start.elapsed().as_secs_f64();
    let throughput = (queries.len() * rounds) as f64 / batch_secs.max(1e-9);
    // Memory before the snapshot is measured: its bytes and the index read back from
    // them are not the index's.
    let peak = memory_kib("VmHWM:").map(|k| k as f64 / 1024.0);
    let resident = memory_kib("VmRSS:").map(|k| k as f64 / 1024.0);
    let write_start = Instant::now();
    let snapshot = index.to_snapshot("");
    let snapshot_write = write_start.elapsed().as_secs_f64();
    let read_start = Instant::now();
    let read_back = Index::from_snapshot(&snapshot).map(|(read, _)| read.entity_count());
    let snapshot_read = read_start.elapsed().as_secs_f64();
    if read_back.as_ref().ok() != Some(&index.entity_count()) {
        anyhow::bail!("the index snapshot does not read back: {read_back:?}");
    }
    let snapshot_mib = snapshot.len() as f64 / (1024.0 * 1024.0);
    drop(snapshot);
    let report = json!({
        "list_versions": index.versions(),
        "entities": entity_count,
        "names": index.name_count(),
        "parties_listed_more_than_once": index.parties_listed_more_than_once().0,
        "queries": queries.len(),
        "read_seconds": read_seconds,
        "index_build_seconds": build,
        "snapshot_mib": snapshot_mib,
        "snapshot_write_seconds": snapshot_write,
        "snapshot_read_seconds": snapshot_read,
        "single_query_us": {"p50": percentile(&latencies, 0.5), "p99": percentile(&latencies, 0.99), "max": latencies.last()},
        "lookup_ms": {"count": lookups.len(), "p50": percentile(&lookup_ms, 0.5), "p99": percentile(&lookup_ms, 0.99)},
        "batch_queries_per_second": throughput,
        "batch_threads": rayon::current_num_threads(),
        "alert_share": alerts as f64 / (queries.len() * rounds).max(1) as f64,
        "peak_resident_mib": peak,
        "resident_mib": resident,
    });
    if json_out {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("lists: {}", index.versions().join(", "));
        let (parties, listings) = index.parties_listed_more_than_once();
        println!(
            "entities {entity_count}, names {}; {parties} parties listed more than once, in {listings} listings",
            index.name_count()
        );
        println!("read: {read_seconds:.3} s; index build: {build:.3} s");
        println!(
            "snapshot: {snapshot_mib:.1} MiB, written in {snapshot_write:.3} s, read in {snapshot_read:.3} s"
        );
        println!(
            "single query ({} queries, one thread): p50 {:.1} µs, p99 {:.1} µs",
            queries.len(),
            percentile(&latencies, 0.5),
            percentile(&latencies, 0.99)
        );
        println!(
            "look-up ({} one-word and prefix searches, one thread): p50 {:.2} ms, p99 {:.2} ms",
            lookups.len(),
            percentile(&lookup_ms, 0.5),
            percentile(&lookup_ms, 0.99)
        );
        println!(
            "batch ({} threads): {:.0} queries/s",
            rayon::current_num_threads(),
            throughput
        );
        if let (Some(peak), Some(resident)) = (peak, resident) {
            println!("resident memory: {resident:.0} MiB (peak {peak:.0} MiB)");
        }
    }
    Ok(())
}
