//! `redline search`: look a party up, ranked, without raising anything.
//!
//! One query prints a ranked page (score, entity, the tokens that met); `--input`
//! reads JSON lines as `screen --input` does and writes one line per query with its
//! ranked `matches`. When the lines carry `expected` entities (a look-up benchmark),
//! the share found first and among the first five is printed per class — how the
//! look-up figures in the README are measured.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use redline_matching::{Index, Match, QueryFields, SearchQuery, SearchResults};
use redline_model::SourceId;
use serde::Deserialize;
use serde_json::{json, Value};

/// Ranks beyond which a batch line's expected entity counts as not found.
const TOP: usize = 5;

/// One ranked page, as text or JSON.
pub fn print(
    index: &Index,
    query: &SearchQuery,
    results: &SearchResults,
    json_out: bool,
) -> Result<()> {
    if json_out {
        let out = json!({
            "query": query.text,
            "list_versions": index.versions(),
            "total": results.total,
            "more": results.more,
            "matches": results.hits,
            "facets": results.facets,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if results.hits.is_empty() {
        println!(
            "nothing found for {:?} (lists: {})",
            query.text,
            index.versions().join(", ")
        );
        return Ok(());
    }
    for m in &results.hits {
        crate::screen::print_headline(m);
        println!("       tokens: {}", tokens(m));
    }
    println!(
        "{} of {}{} results (lists: {})",
        results.hits.len(),
        results.total,
        if results.more { "+" } else { "" },
        index.versions().join(", ")
    );
    Ok(())
}

/// `query→list` for each token pair that met.
fn tokens(m: &Match) -> String {
    m.explanation
        .tokens
        .iter()
        .map(|t| format!("{}→{}", t.query, t.list))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Deserialize)]
struct Line {
    #[serde(flatten)]
    fields: QueryFields,
    #[serde(default)]
    expected: Vec<String>,
    #[serde(default)]
    class: Option<String>,
}

/// A judged line's class and the rank its expected entity was found at.
type Judged = (String, Option<usize>);

/// Rank of each expected entity found, per class.
#[derive(Default, Clone, Copy)]
struct Tally {
    cases: usize,
    first: usize,
    top: usize,
}

/// Searches every line of `input`, writing one result line each to `output`.
pub fn run_batch(
    index: &Index,
    input: &Path,
    output: &Path,
    sources: &[SourceId],
    limit: usize,
) -> Result<()> {
    let file =
        std::fs::File::open(input).with_context(|| format!("cannot open {}", input.display()))?;
    let lines: Vec<(usize, String)> = std::io::BufReader::new(file)
        .lines()
        .enumerate()
        .map(|(n, l)| l.map(|l| (n + 1, l)))
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot read {}", input.display()))?;
    let answered: Vec<(Value, Option<Judged>)> = lines
        .par_iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| answer(index, l, *n, input, sources, limit))
        .collect();
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(output)
            .with_context(|| format!("cannot create {}", output.display()))?,
    );
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut errors = 0;
    for (line, judged) in &answered {
        writeln!(out, "{line}")?;
        errors += usize::from(line.get("error").is_some());
        if let Some((class, rank)) = judged {
            for key in [class.as_str(), "overall"] {
                let t = tallies.entry(key.to_string()).or_default();
                t.cases += 1;
                t.first += usize::from(*rank == Some(0));
                t.top += usize::from(rank.is_some_and(|r| r < TOP));
            }
        }
    }
    out.flush()?;
    println!(
        "{} queries searched, {errors} refused (lists: {})",
        answered.len(),
        index.versions().join(", ")
    );
    if !tallies.is_empty() {
        println!(
            "{:<28} {:>6} {:>7} {:>7}",
            "class", "cases", "first", "top-5"
        );
        let overall = tallies.remove("overall").unwrap_or_default();
        let overall_label = "overall".to_string();
        for (class, t) in tallies.iter().chain([(&overall_label, &overall)]) {
            println!(
                "{:<28} {:>6} {:>7.4} {:>7.4}",
                class,
                t.cases,
                t.first as f64 / t.cases as f64,
                t.top as f64 / t.cases as f64
            );
        }
    }
    Ok(())
}

/// One line's answer, and for a judged line its class and the rank its expected
/// entity was found at.
fn answer(
    index: &Index,
    line: &str,
    line_no: usize,
    input: &Path,
    sources: &[SourceId],
    limit: usize,
) -> (Value, Option<Judged>) {
    let refused = |message: String| {
        (
            json!({"line": line_no, "error": format!("{}:{line_no}: {message}", input.display())}),
            None,
        )
    };
    let parsed: Line = match serde_json::from_str(line) {
        Ok(l) => l,
        Err(e) => return refused(format!("not a query: {e}")),
    };
    let query = match SearchQuery::from_fields(&parsed.fields, &[], sources) {
        Ok(q) => q,
        Err(e) => return refused(e.to_string()),
    };
    let results = index.search(&query, limit, 0);
    let rank = results
        .hits
        .iter()
        .position(|m| parsed.expected.contains(&m.entity_id));
    let mut out = json!({
        "query": query.text,
        "total": results.total,
        "matches": results.hits,
    });
    if !parsed.fields.id.is_null() {
        out["id"] = parsed.fields.id.clone();
    }
    let judged = (!parsed.expected.is_empty()).then(|| {
        (
            parsed.class.clone().unwrap_or_else(|| "-".to_string()),
            rank,
        )
    });
    (out, judged)
}
