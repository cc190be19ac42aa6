//! `redline screen`: one name from the command line, or a JSON-lines batch.

use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use redline_matching::{Index, Match, Options, Query, QueryFields};
use redline_model::SourceId;
use redline_store::ListStore;
use serde_json::json;

/// The matching index over the active version of every list: loaded from its
/// snapshot when there is one, else built (and its snapshot written).
pub fn load_index(store: &dyn ListStore) -> Result<Index> {
    let build = || -> Result<Index> {
        let (entities, versions) = store.active_entities()?;
        Ok(Index::build(
            entities,
            versions.into_iter().map(|v| v.id).collect(),
        ))
    };
    let Some(cache) = crate::context::index_cache() else {
        return build();
    };
    let ids: Vec<String> = store.active_versions()?.into_iter().map(|v| v.id).collect();
    let kind = redline_server::IndexKind::Lists;
    if let Some((index, _)) = cache.load(kind, &ids) {
        return Ok(index);
    }
    let index = build()?;
    cache.save_or_warn(kind, &index, "");
    Ok(index)
}

/// What an answer says besides the matches: the alert it raised, the suppressions
/// (remembered false positives) that hid matches, by entity id, and the stale lists
/// it screened against.
#[derive(Debug, Default)]
pub struct Notes {
    pub alert_id: Option<i64>,
    pub suppressions: std::collections::BTreeMap<String, serde_json::Value>,
    pub stale_lists: Vec<redline_store::Age>,
}

impl Notes {
    /// Adds what raising the alert found.
    pub fn raised(&mut self, raised: &redline_server::review::Raised) {
        self.alert_id = raised.alert_id;
        self.suppressions = raised
            .matches
            .iter()
            .filter(|m| m["suppressed"] == serde_json::Value::Bool(true))
            .filter_map(|m| {
                Some((
                    m["entity_id"].as_str()?.to_string(),
                    m["suppression"].clone(),
                ))
            })
            .collect();
    }
}

/// Stale lists as warning lines on the CLI: a line each for a few, one line for many
/// (the nine bundled lists of a fresh install are all old), so that the warning is
/// read rather than scrolled past.
pub fn stale_warnings(ages: &[redline_store::Age]) -> Vec<String> {
    if ages.len() <= MAX_STALE_LINES {
        return (ages.iter())
            .map(|age| format!("warning: stale list: {}", age.describe()))
            .collect();
    }
    let each: Vec<String> = (ages.iter())
        .map(|a| format!("{} {} days", a.source.as_str(), a.age_days))
        .collect();
    vec![format!(
        "warning: {} stale lists ({}): run `redline lists update`; `redline lists status` gives each one's dates",
        ages.len(),
        each.join(", ")
    )]
}

/// Stale lists named a line each up to this many.
const MAX_STALE_LINES: usize = 3;

/// Prints matches; `ownership` adds to each match on an entity blocked by ownership
/// its `derived` rule and path; `notes` marks the suppressed ones and names the alert.
/// A match's first lines: score, entity, schema, caption and programmes, and the
/// name that matched when it is not the caption.
pub fn print_headline(m: &Match) {
    println!(
        "{:.3}  {:<18} {:<13} {}  [{}]",
        m.score,
        m.entity_id,
        m.schema.as_str(),
        m.caption,
        m.programs.join(", ")
    );
    let by_address = m
        .explanation
        .adjustments
        .iter()
        .any(|a| a.feature == "address");
    if by_address {
        println!("       address {:?}", m.name);
    } else if m.name != m.caption {
        println!(
            "       matched {} {:?}",
            m.explanation.name_kind.as_str(),
            m.name
        );
    }
    for l in &m.listings {
        let score = l.score.map(|s| format!("{s:.3}")).unwrap_or_default();
        println!(
            "       also listed: {:<5} {:<18} {}  [{}]  ({})",
            score,
            l.entity_id,
            l.caption,
            l.programs.join(", "),
            l.same_party
        );
    }
}

pub fn print_matches(
    query: &Query,
    matches: &[Match],
    index: &Index,
    blocks: &redline_server::ownership::DerivedBlocks,
    notes: &Notes,
    json_out: bool,
) -> Result<()> {
    let mut listed = serde_json::to_value(matches)?;
    blocks.annotate(&mut listed);
    for m in listed.as_array_mut().into_iter().flatten() {
        let entity_id = m["entity_id"].as_str().unwrap_or_default().to_string();
        if let Some(suppression) = notes.suppressions.get(&entity_id) {
            m["suppressed"] = json!(true);
            m["suppression"] = suppression.clone();
        }
    }
    if json_out {
        let mut out = json!({
            "query": query.name,
            "list_versions": index.versions(),
            "matches": listed,
        });
        if let Some(id) = notes.alert_id {
            out["alert_id"] = json!(id);
        }
        out["stale_lists"] = json!(notes.stale_lists);
        redline_server::add_identifier_problems(&mut out, &query.identifiers);
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    for problem in redline_model::registry::problems(&query.identifiers) {
        println!("warning: {problem}");
    }
    for line in stale_warnings(&notes.stale_lists) {
        println!("{line}");
    }
    if matches.is_empty() {
        println!(
            "no match for {:?} (lists: {}){}",
            query.name,
            index.versions().join(", "),
            if notes.stale_lists.is_empty() {
                String::new()
            } else {
                format!(
                    " — not a clean result: {} of these lists stale",
                    notes.stale_lists.len()
                )
            }
        );
        return Ok(());
    }
    for m in matches {
        print_headline(m);
        let e = &m.explanation;
        if !e.readings.is_empty() {
            let read: Vec<String> = e
                .readings
                .iter()
                .map(|r| {
                    let spelling = r.spellings.first().map_or("", String::as_str);
                    format!("{} → {spelling} ({})", r.written, r.by.label())
                })
                .collect();
            println!("       read as: {}", read.join(", "));
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
        if !e.context_tokens.is_empty() {
            let around: Vec<String> = e
                .context_tokens
                .iter()
                .map(|c| format!("{} ({}, weighs little)", c.token, c.taken_as))
                .collect();
            println!("       around the name: {}", around.join(", "));
        }
        let weights: Vec<String> = e
            .list_words
            .iter()
            .filter(|w| w.share > 0.0)
            .map(|w| {
                let missing = if w.matched { "" } else { ", not in the query" };
                format!(
                    "{} {:.2} {}{missing}",
                    w.token,
                    w.share,
                    w.weighed_as.as_str()
                )
            })
            .collect();
        println!("       list-name weights: {}", weights.join("; "));
        for a in &e.adjustments {
            println!("       {:+.2} {}: {}", a.delta, a.feature, a.detail);
        }
        if let Some(s) = notes.suppressions.get(&m.entity_id) {
            println!(
                "       suppressed: a remembered false positive (suppression {}, alert {}, approved by {} at {}); no alert",
                s["id"],
                s["alert_id"],
                s["approved_by"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(" and "))
                    .unwrap_or_default(),
                s["at"].as_str().unwrap_or_default()
            );
        }
        if let Some(d) = blocks.derived(&m.entity_id) {
            println!(
                "       blocked by ownership: {} at {}% (redline ownership explain {})",
                d["rule"].as_str().unwrap_or(""),
                d["aggregate_percent"],
                m.entity_id
            );
        }
    }
    if let Some(id) = notes.alert_id {
        println!("alert {id} (redline alerts show {id})");
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
    let parsed: Result<QueryFields, _> = serde_json::from_str(line);
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
            q.to_query(sources)
                .map_err(|e| anyhow::anyhow!("line {number}: {e}"))
        });
    match result {
        Ok(query) => {
            let matches = index.screen(&query, options);
            let mut out = json!({"id": id, "matches": matches});
            redline_server::add_identifier_problems(&mut out, &query.identifiers);
            (out.to_string(), true)
        }
        Err(e) => (json!({"id": id, "error": e.to_string()}).to_string(), false),
    }
}
