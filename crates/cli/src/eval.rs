//! `redline eval`: matching quality on benchmark files, per class of variation.
//!
//! Benchmark lines carry `expected` (the list entities the query denotes; empty for a
//! person who is not listed) and `class`. Recall is the share of positive queries whose
//! expected entity is among the alerts; the false-positive rate is the share of
//! negative queries with any alert; top-1 is the share of positives whose best alert
//! is an expected entity.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use redline_matching::{Index, Options, QueryFields};
use redline_model::SourceId;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Case {
    #[serde(flatten)]
    query: QueryFields,
    #[serde(default)]
    expected: Vec<String>,
    #[serde(default)]
    class: Option<String>,
    #[serde(default)]
    family: Option<String>,
}

#[derive(Default, Serialize, Clone)]
pub struct Tally {
    pub cases: usize,
    pub positives: usize,
    pub found: usize,
    pub top1: usize,
    pub negatives: usize,
    pub false_positives: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.cases += other.cases;
        self.positives += other.positives;
        self.found += other.found;
        self.top1 += other.top1;
        self.negatives += other.negatives;
        self.false_positives += other.false_positives;
    }
    fn recall(&self) -> Option<f64> {
        (self.positives > 0).then(|| self.found as f64 / self.positives as f64)
    }
    fn top1_rate(&self) -> Option<f64> {
        (self.positives > 0).then(|| self.top1 as f64 / self.positives as f64)
    }
    fn fp_rate(&self) -> Option<f64> {
        (self.negatives > 0).then(|| self.false_positives as f64 / self.negatives as f64)
    }
}

#[derive(Serialize)]
struct FileReport {
    file: String,
    overall: serde_json::Value,
    classes: BTreeMap<String, serde_json::Value>,
    queries_per_second: f64,
    misses: Vec<serde_json::Value>,
}

fn summary(t: &Tally) -> serde_json::Value {
    serde_json::json!({
        "cases": t.cases,
        "recall": t.recall(),
        "top1": t.top1_rate(),
        "false_positive_rate": t.fp_rate(),
        "positives": t.positives,
        "found": t.found,
        "negatives": t.negatives,
        "false_positives": t.false_positives,
    })
}

fn fmt(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.4}")).unwrap_or_else(|| "-".into())
}

pub fn run(
    index: &Index,
    files: &[PathBuf],
    sources: &[SourceId],
    options: &Options,
    json_out: bool,
    show_misses: usize,
) -> Result<()> {
    let mut reports = Vec::new();
    for path in files {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut cases = Vec::new();
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("{}:{}", path.display(), i + 1))?;
            if line.trim().is_empty() {
                continue;
            }
            let case: Case = serde_json::from_str(&line)
                .with_context(|| format!("{}:{}: not a benchmark case", path.display(), i + 1))?;
            cases.push(case);
        }
        let start = Instant::now();
        let outcomes: Vec<(String, Tally, Option<serde_json::Value>)> = cases
            .par_iter()
            .map(|case| {
                let query = case.query.to_query(sources);
                let matches = query.map(|q| index.screen(&q, options)).unwrap_or_default();
                let mut t = Tally {
                    cases: 1,
                    ..Tally::default()
                };
                let mut miss = None;
                if case.expected.is_empty() {
                    t.negatives = 1;
                    if !matches.is_empty() {
                        t.false_positives = 1;
                        miss = Some(serde_json::json!({"kind": "false_positive", "name": case.query.name, "class": case.class, "alert": matches[0].entity_id, "alert_name": matches[0].name, "score": matches[0].score}));
                    }
                } else {
                    t.positives = 1;
                    let hit = matches
                        .iter()
                        .any(|m| case.expected.iter().any(|id| m.is_party_of(id)));
                    t.found = usize::from(hit);
                    t.top1 = usize::from(
                        matches
                            .first()
                            .is_some_and(|m| case.expected.iter().any(|id| m.is_party_of(id))),
                    );
                    if !hit {
                        miss = Some(serde_json::json!({"kind": "missed", "name": case.query.name, "class": case.class, "expected": case.expected, "best": matches.first().map(|m| (&m.entity_id, m.score))}));
                    }
                }
                let class = match (&case.family, &case.class) {
                    (Some(f), Some(c)) => format!("{f}/{c}"),
                    (None, Some(c)) => c.clone(),
                    _ => "unclassified".into(),
                };
                (class, t, miss)
            })
            .collect();
        let elapsed = start.elapsed().as_secs_f64();
        let mut overall = Tally::default();
        let mut classes: BTreeMap<String, Tally> = BTreeMap::new();
        let mut misses = Vec::new();
        for (class, t, miss) in outcomes {
            overall.add(&t);
            classes.entry(class).or_default().add(&t);
            if let Some(m) = miss {
                if misses.len() < show_misses {
                    misses.push(m);
                }
            }
        }
        let qps = cases.len() as f64 / elapsed.max(1e-9);
        if !json_out {
            println!(
                "{}  ({} cases, {:.0} queries/s)",
                path.display(),
                cases.len(),
                qps
            );
            println!(
                "  overall: recall {}  top-1 {}  false-positive rate {}",
                fmt(overall.recall()),
                fmt(overall.top1_rate()),
                fmt(overall.fp_rate())
            );
            for (class, t) in &classes {
                println!(
                    "  {:<34} {:>6} cases  recall {:>6}  top-1 {:>6}  FP rate {:>6}",
                    class,
                    t.cases,
                    fmt(t.recall()),
                    fmt(t.top1_rate()),
                    fmt(t.fp_rate())
                );
            }
            for m in &misses {
                println!("    {m}");
            }
        }
        reports.push(FileReport {
            file: path.display().to_string(),
            overall: summary(&overall),
            classes: classes
                .iter()
                .map(|(c, t)| (c.clone(), summary(t)))
                .collect(),
            queries_per_second: qps,
            misses,
        });
    }
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "threshold": options.threshold,
                "list_versions": index.versions(),
                "files": reports,
            }))?
        );
    }
    Ok(())
}
