//! Searches the scorer's [`Params`] on the public benchmark and prints, per setting,
//! how far each quality bar of the matching issue is from being met.
//!
//! `cargo run --release -p redline-matching --example tune [-- quick]`
//!
//! The index is built once over the bundled lists (OFAC SDN 2024-05-03 and UN); each
//! setting re-screens every benchmark query on all cores.

use std::collections::BTreeMap;

use rayon::prelude::*;
use redline_matching::{Index, Options, Params, Query};
use redline_model::{countries, PartialDate, Schema};

#[path = "../tests/common/mod.rs"]
mod common;

struct Case {
    query: Query,
    expected: Vec<String>,
    class: String,
}

fn load_cases(file: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(redline_testdata::bench(file)).expect(file);
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("benchmark line");
            let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
            Case {
                query: Query {
                    name: s("name").unwrap_or_default(),
                    schema: s("schema").and_then(|x| Schema::parse(&x)),
                    birth_date: s("birth_date").and_then(|x| PartialDate::parse_iso(&x)),
                    country: s("country").and_then(|x| countries::to_code(&x)),
                    ..Query::default()
                },
                expected: v["expected"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
                class: s("class").unwrap_or_default(),
            }
        })
        .collect()
}

/// (positives, found, negatives, false positives) per class.
type Tally = BTreeMap<String, [usize; 4]>;

fn run(index: &Index, cases: &[Case], threshold: f64) -> Tally {
    let options = Options::every_match(threshold);
    let results: Vec<(String, [usize; 4])> = cases
        .par_iter()
        .map(|c| {
            let m = index.screen(&c.query, &options);
            let t = if c.expected.is_empty() {
                [0, 0, 1, usize::from(!m.is_empty())]
            } else {
                [
                    1,
                    usize::from(m.iter().any(|x| c.expected.contains(&x.entity_id))),
                    0,
                    0,
                ]
            };
            (c.class.clone(), t)
        })
        .collect();
    let mut tally = Tally::new();
    for (class, t) in results {
        let e = tally.entry(class).or_default();
        for k in 0..4 {
            e[k] += t[k];
        }
    }
    tally
}

fn class_bar(class: &str) -> f64 {
    match class {
        "homoglyph" | "invisible_char" => 1.0,
        "ocr" | "typo" | "transpose" | "truncate" => 0.85,
        "cyrillic_person" => 0.95,
        "cyrillic_org" => 0.85,
        "han_from_ccc" => 0.90,
        "pos_untreated" => 0.99,
        _ => 0.95,
    }
}

/// Sum of shortfalls below the bars (0 when all hold), and a one-line summary.
fn judge(file: &str, tally: &Tally) -> (f64, String) {
    let mut short = 0.0;
    let (mut pos, mut found, mut neg, mut fp) = (0, 0, 0, 0);
    let mut worst = Vec::new();
    for (class, [p, f, n, x]) in tally {
        pos += p;
        found += f;
        neg += n;
        fp += x;
        if *p > 0 {
            let r = *f as f64 / *p as f64;
            let bar = class_bar(class);
            if r < bar {
                short += bar - r;
                worst.push(format!("{class} {r:.3}"));
            }
        }
    }
    let recall = found as f64 / pos.max(1) as f64;
    let fp_rate = fp as f64 / neg.max(1) as f64;
    if file.starts_with("ssb") {
        short += (0.97 - recall).max(0.0) + (fp_rate - 0.03).max(0.0) * 3.0;
    }
    if file.starts_with("negatives") {
        short += (fp_rate - 0.002).max(0.0) * 10.0;
    }
    (
        short,
        format!(
            "{file}: recall {recall:.4} fp {fp_rate:.4} {}",
            worst.join(", ")
        ),
    )
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    let mut index = Index::build(common::bundled_entities(), vec![]);
    let files = [
        "ssb-persons.jsonl",
        "ssb-all.jsonl",
        "xscript.jsonl",
        "un-positives.jsonl",
        "negatives-global.jsonl",
        "negatives-us.jsonl",
    ];
    let cases: Vec<(&str, Vec<Case>)> = files.iter().map(|f| (*f, load_cases(f))).collect();
    let base = Params::default();
    let mut grid = vec![base];
    if !quick {
        for w in [0.3, 0.35, 0.4] {
            for generic in [1.0, 1.5, 2.0, 2.5] {
                grid.push(Params {
                    list_coverage_weight: w,
                    uncovered_generic_factor: generic,
                    ..base
                });
            }
        }
    }
    let thresholds: &[f64] = if quick { &[0.80] } else { &[0.84, 0.85] };
    let mut results = Vec::new();
    for params in grid {
        index.set_params(params);
        for &threshold in thresholds {
            let mut total = 0.0;
            let mut lines = Vec::new();
            for (file, cs) in &cases {
                let (short, line) = judge(file, &run(&index, cs, threshold));
                total += short;
                lines.push(line);
            }
            println!("{total:.4}  t={threshold} {params:?}");
            results.push((total, threshold, params, lines));
        }
    }
    results.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!("\nbest settings:");
    for (total, threshold, params, lines) in results.iter().take(3) {
        println!("{total:.4}  t={threshold} {params:?}");
        for l in lines {
            println!("    {l}");
        }
    }
}
