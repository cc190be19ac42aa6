//! `redline screen`: one name from the command line, or a JSON-lines batch.

use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use redline_matching::{Index, Match, Options, Query};
use redline_model::{countries, PartialDate, Schema, SourceId};
use redline_store::ListStore;
use serde::Deserialize;
use serde_json::json;

/// The entities of the active version of every list, and those versions' ids.
pub fn active_entities(store: &dyn ListStore) -> Result<(Vec<redline_model::Entity>, Vec<String>)> {
    let mut entities = Vec::new();
    let mut versions = Vec::new();
    for v in store.active_versions()? {
        entities.extend(store.entities(&v.id)?);
        versions.push(v.id);
    }
    Ok((entities, versions))
}

/// Builds the matching index over the active version of every list.
pub fn load_index(store: &dyn ListStore) -> Result<Index> {
    let (entities, versions) = active_entities(store)?;
    Ok(Index::build(entities, versions))
}

/// One line of a batch file. Unknown fields (the benchmark's `expected`, `class`) are ignored.
#[derive(Debug, Deserialize)]
pub struct QueryLine {
    #[serde(default)]
    pub id: serde_json::Value,
    pub name: String,
    #[serde(default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub birth_date: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub identifiers: Vec<String>,
}

/// Turns the user's fields into a query, rejecting what cannot be understood.
pub fn build_query(
    name: &str,
    schema: Option<&str>,
    birth_date: Option<&str>,
    country: Option<&str>,
    identifiers: Vec<String>,
    sources: &[SourceId],
) -> Result<Query> {
    let schema = match schema.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(Schema::parse(s).with_context(|| {
            format!("schema {s:?}: expected person, organization, vessel or aircraft")
        })?),
    };
    let birth_date =
        match birth_date.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(d) => Some(PartialDate::parse_iso(d).with_context(|| {
                format!("birth date {d:?}: expected YYYY, YYYY-MM or YYYY-MM-DD")
            })?),
        };
    // An unknown country name is not an error: the query is screened without it.
    let country = country
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(countries::to_code);
    Ok(Query {
        name: name.to_string(),
        schema,
        birth_date,
        country,
        identifiers,
        sources: sources.to_vec(),
    })
}

pub fn query_from_line(line: &QueryLine, sources: &[SourceId]) -> Result<Query> {
    build_query(
        &line.name,
        line.schema.as_deref(),
        line.birth_date.as_deref(),
        line.country.as_deref(),
        line.identifiers.clone(),
        sources,
    )
}

pub fn print_matches(
    query: &Query,
    matches: &[Match],
    index: &Index,
    json_out: bool,
) -> Result<()> {
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "query": query.name,
                "list_versions": index.versions(),
                "matches": matches,
            }))?
        );
        return Ok(());
    }
    if matches.is_empty() {
        println!(
            "no match for {:?} (lists: {})",
            query.name,
            index.versions().join(", ")
        );
        return Ok(());
    }
    for m in matches {
        println!(
            "{:.3}  {:<18} {:<13} {}  [{}]",
            m.score,
            m.entity_id,
            m.schema.as_str(),
            m.caption,
            m.programs.join(", ")
        );
        let e = &m.explanation;
        if m.name != m.caption {
            println!("       matched {} {:?}", e.name_kind.as_str(), m.name);
        }
        let tokens: Vec<String> = e
            .tokens
            .iter()
            .map(|t| format!("{}→{} ({:?} {:.2})", t.query, t.list, t.how, t.similarity))
            .collect();
        println!("       tokens: {}", tokens.join(", "));
        if !e.unmatched_query_tokens.is_empty() || !e.unmatched_list_tokens.is_empty() {
            println!(
                "       unmatched: query [{}], list [{}]",
                e.unmatched_query_tokens.join(" "),
                e.unmatched_list_tokens.join(" ")
            );
        }
        for a in &e.adjustments {
            println!("       {:+.2} {}: {}", a.delta, a.feature, a.detail);
        }
    }
    println!("lists: {}", index.versions().join(", "));
    Ok(())
}

/// Screens a JSON-lines file on all cores, writing one result line per input line in
/// input order. A line that cannot be read gets an `error` and the run goes on.
pub fn run_batch(
    index: &Index,
    input: &Path,
    output: &Path,
    sources: &[SourceId],
    options: &Options,
) -> Result<(usize, usize)> {
    let file =
        std::fs::File::open(input).with_context(|| format!("cannot open {}", input.display()))?;
    let lines: Vec<String> = std::io::BufReader::new(file)
        .lines()
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("cannot read {}", input.display()))?;
    let results: Vec<(String, bool)> = lines
        .par_iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| screen_line(index, line, i + 1, sources, options))
        .collect();
    let out = std::fs::File::create(output)
        .with_context(|| format!("cannot create {}", output.display()))?;
    let mut out = BufWriter::new(out);
    let mut errors = 0;
    for (line, ok) in &results {
        writeln!(out, "{line}")?;
        errors += usize::from(!ok);
    }
    out.flush()?;
    Ok((results.len(), errors))
}

fn screen_line(
    index: &Index,
    line: &str,
    number: usize,
    sources: &[SourceId],
    options: &Options,
) -> (String, bool) {
    let parsed: Result<QueryLine, _> = serde_json::from_str(line);
    // A line that is not a query may still carry its id: echo it with the error.
    let id = match &parsed {
        Ok(q) => q.id.clone(),
        Err(_) => serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .and_then(|v| v.get("id").cloned())
            .unwrap_or(serde_json::Value::Null),
    };
    let result = parsed
        .map_err(|e| anyhow::anyhow!("line {number}: {e}"))
        .and_then(|q| {
            query_from_line(&q, sources).map_err(|e| anyhow::anyhow!("line {number}: {e:#}"))
        });
    match result {
        Ok(query) => {
            let matches = index.screen(&query, options);
            (json!({"id": id, "matches": matches}).to_string(), true)
        }
        Err(e) => (json!({"id": id, "error": e.to_string()}).to_string(), false),
    }
}
