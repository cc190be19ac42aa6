//! `redline compare`: are two records the same party?
//!
//! Reads pairs of FollowTheMoney entities, one pair per JSON line
//! (`{"id", "left", "right", "judgement"}`, as the OpenSanctions Pairs files write
//! them), and answers each with the engine's score, its same-party decision at the
//! threshold, and the explanation of the best-matching names. When the pairs carry a
//! human `judgement` (`positive`: the same party, `negative`: not), precision, recall
//! and F1 are printed per schema and overall.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::{bail, Context as _, Result};
use rayon::prelude::*;
use redline_matching::{compare, Comparison, Index};
use redline_model::Entity;
use serde::Serialize;
use serde_json::{json, Value};

/// One pair as read.
struct Pair {
    id: String,
    left: Entity,
    right: Entity,
    /// `Some(true)` for a positive judgement, `Some(false)` for a negative one.
    judgement: Option<bool>,
}

/// Precision, recall and F1 of the same-party decisions against the judgements.
#[derive(Default, Serialize, Clone, Copy)]
pub struct Scores {
    pub pairs: usize,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub true_negatives: usize,
}

impl Scores {
    fn add(&mut self, same: bool, judged_same: bool) {
        self.pairs += 1;
        match (same, judged_same) {
            (true, true) => self.true_positives += 1,
            (true, false) => self.false_positives += 1,
            (false, true) => self.false_negatives += 1,
            (false, false) => self.true_negatives += 1,
        }
    }

    fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn to_json(self) -> Value {
        json!({
            "pairs": self.pairs,
            "precision": round(self.precision()),
            "recall": round(self.recall()),
            "f1": round(self.f1()),
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
            "true_negatives": self.true_negatives,
        })
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn round(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

/// Compares every pair of `input`; writes one result line per pair to `output` (or
/// standard output) and, when the pairs are judged, the scores to the terminal.
pub fn run(
    index: &Index,
    input: &Path,
    output: Option<&Path>,
    threshold: f64,
    json: bool,
) -> Result<()> {
    let pairs = read_pairs(input)?;
    let results: Vec<(Comparison, Value)> = pairs
        .par_iter()
        .map(|pair| {
            let comparison = compare(&pair.left, &pair.right, index, threshold);
            let line = result_line(pair, &comparison);
            (comparison, line)
        })
        .collect();
    let mut out: Box<dyn Write> = match output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    for (_, line) in &results {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    drop(out);

    let mut overall = Scores::default();
    let mut by_schema: BTreeMap<String, Scores> = BTreeMap::new();
    for (pair, (comparison, _)) in pairs.iter().zip(&results) {
        let Some(judged_same) = pair.judgement else {
            continue;
        };
        overall.add(comparison.same, judged_same);
        by_schema
            .entry(schema_label(pair))
            .or_default()
            .add(comparison.same, judged_same);
    }
    if overall.pairs == 0 {
        return Ok(());
    }
    // The result lines may be on standard output: the scores go where a person reads.
    let mut summary: Box<dyn Write> = match output {
        Some(_) => Box::new(std::io::stdout().lock()),
        None => Box::new(std::io::stderr().lock()),
    };
    if json {
        let schemas: serde_json::Map<String, Value> = by_schema
            .iter()
            .map(|(k, v)| (k.clone(), v.to_json()))
            .collect();
        let summary_json = json!({
            "threshold": threshold,
            "lists": index.versions(),
            "overall": overall.to_json(),
            "by_schema": schemas,
        });
        writeln!(summary, "{summary_json}")?;
    } else {
        writeln!(
            summary,
            "{:<26} {:>6} {:>9} {:>7} {:>7}",
            "schema", "pairs", "precision", "recall", "F1"
        )?;
        for (label, s) in by_schema.iter().chain([(&"overall".to_string(), &overall)]) {
            writeln!(
                summary,
                "{:<26} {:>6} {:>9.4} {:>7.4} {:>7.4}",
                label,
                s.pairs,
                s.precision(),
                s.recall(),
                s.f1()
            )?;
        }
        writeln!(
            summary,
            "threshold {threshold}; word statistics from {}",
            index.versions().join(", ")
        )?;
    }
    Ok(())
}

/// `Person`, or `Company/Organization` for a pair of two schemas.
fn schema_label(pair: &Pair) -> String {
    let (a, b) = (pair.left.schema.as_str(), pair.right.schema.as_str());
    if a == b {
        a.to_string()
    } else {
        let mut both = [a, b];
        both.sort_unstable();
        both.join("/")
    }
}

fn result_line(pair: &Pair, comparison: &Comparison) -> Value {
    let mut line = json!({
        "id": pair.id,
        "score": comparison.score,
        "same": comparison.same,
    });
    if let Some(judged_same) = pair.judgement {
        line["judgement"] = json!(if judged_same { "positive" } else { "negative" });
    }
    line["explanation"] = json!(comparison.explanation);
    line
}

fn read_pairs(path: &Path) -> Result<Vec<Pair>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut pairs = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line_no = n + 1;
        let line = line.with_context(|| format!("{}:{line_no}: cannot read", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let at = |what: String| format!("{}:{line_no}: {what}", path.display());
        let mut value: Value = serde_json::from_str(&line)
            .map_err(|e| anyhow::anyhow!(at(format!("not JSON: {e}"))))?;
        let id = match value.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => format!("line-{line_no}"),
        };
        let judgement = match value.get("judgement").and_then(Value::as_str) {
            None | Some("unsure") | Some("no_judgement") => None,
            Some("positive") => Some(true),
            Some("negative") => Some(false),
            Some(other) => bail!(at(format!(
                "judgement {other:?} is none of positive, negative, unsure"
            ))),
        };
        let mut side = |name: &str| -> Result<Entity> {
            let entity = value
                .get_mut(name)
                .map(Value::take)
                .ok_or_else(|| anyhow::anyhow!(at(format!("no \"{name}\" entity"))))?;
            redline_sources::opensanctions::parse_entity(entity, &at(name.to_string()))
                .map(|(e, _)| e)
                .map_err(|e| anyhow::anyhow!(at(format!("{name}: {e}"))))
        };
        let left = side("left")?;
        let right = side("right")?;
        pairs.push(Pair {
            id,
            left,
            right,
            judgement,
        });
    }
    if pairs.is_empty() {
        bail!("{}: no pairs", path.display());
    }
    Ok(pairs)
}
