//! `redline subjects …`: the stored customer base — import, delta rescreen after a
//! list update, and a synthetic generator for benchmarks.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use redline_matching::Options;
use redline_store::{ListStore, SqliteStore, SubjectMatch, SubjectStore};
use redline_subjects::delta::{self, DeltaReport, KnownMatch, ListChange};
use redline_subjects::input::{self, ColumnMap};
use redline_subjects::Subject;
use serde_json::json;

use crate::screen::load_index;

/// The source part of a version id (`ofac-sdn@2024-02-23-…` → `ofac-sdn`).
fn source_of(version: &str) -> &str {
    version.split('@').next().unwrap_or(version)
}

fn stored_subjects(store: &SqliteStore) -> Result<Vec<Subject>> {
    store
        .subjects()?
        .into_iter()
        .map(|(id, body)| {
            serde_json::from_str(&body).with_context(|| format!("stored subject {id} is damaged"))
        })
        .collect()
}

/// Screens stored subjects against what changed since the versions their matches
/// reflect (or since `since`, a version id or prefix). Returns `None` when there are
/// no subjects.
pub fn rescreen(
    store: &mut SqliteStore,
    since: Option<&str>,
    options: &Options,
) -> Result<Option<DeltaReport>> {
    if store.subject_count()? == 0 {
        return Ok(None);
    }
    let started = Instant::now();
    let mut screened = store.screened_versions()?;
    if let Some(since) = since {
        let v = store.version(since)?;
        screened.retain(|s| source_of(s) != v.source.as_str());
        screened.push(v.id);
    }
    let active = store.active_versions()?;
    let mut added = Vec::new();
    let mut changed = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    for v in &active {
        let old = screened.iter().find(|s| source_of(s) == v.source.as_str());
        if old == Some(&v.id) {
            continue;
        }
        let new_entities = store.entities(&v.id)?;
        let old_entities = match old {
            Some(id) => store.entities(id)?,
            None => Vec::new(),
        };
        let d = redline_store::diff(&old_entities, &new_entities);
        let added_ids: BTreeSet<&str> = d.added.iter().map(String::as_str).collect();
        let changed_ids: BTreeSet<&str> = d.changed.iter().map(|c| c.entity_id.as_str()).collect();
        for e in new_entities {
            if added_ids.contains(e.id.as_str()) {
                added.push(e);
            } else if changed_ids.contains(e.id.as_str()) {
                changed.push(e);
            }
        }
        removed.extend(d.removed);
    }
    // A source screened before and no longer active: all its entries are gone.
    for s in &screened {
        if !active.iter().any(|v| v.source.as_str() == source_of(s)) {
            removed.extend(store.entities(s)?.into_iter().map(|e| e.id));
        }
    }
    let active_ids: Vec<String> = active.iter().map(|v| v.id.clone()).collect();
    if added.is_empty() && changed.is_empty() && removed.is_empty() {
        store.update_matches(&[], &[], &[], &active_ids)?;
        return Ok(Some(DeltaReport {
            subjects: store.subject_count()?,
            ..DeltaReport::default()
        }));
    }
    let index = load_index(store)?;
    let subjects = stored_subjects(store)?;
    let known: Vec<KnownMatch> = store
        .subject_matches()?
        .into_iter()
        .map(|m| KnownMatch {
            subject_id: m.subject_id,
            entity_id: m.entity_id,
            score: m.score,
        })
        .collect();
    let touched: Vec<String> = added
        .iter()
        .chain(&changed)
        .map(|e| e.id.clone())
        .chain(removed.iter().cloned())
        .collect();
    let (report, current) = delta::rescreen(
        ListChange {
            full: &index,
            added,
            changed,
            removed,
        },
        &subjects,
        &known,
        options,
    );
    let current: Vec<SubjectMatch> = current
        .into_iter()
        .map(|m| SubjectMatch {
            subject_id: m.subject_id,
            entity_id: m.entity_id,
            score: m.score,
        })
        .collect();
    store.update_matches(&[], &touched, &current, &active_ids)?;
    raise_subject_alerts(store, &index, &subjects, &report)?;
    eprintln!(
        "rescreened {} subjects against {} added, {} changed, {} removed list entries ({} screened in full) in {:.1} s: {} new, {} changed, {} removed matches",
        report.subjects,
        report.added_entities,
        report.changed_entities,
        report.removed_entities,
        report.rescreened,
        started.elapsed().as_secs_f64(),
        report.new.len(),
        report.changed.len(),
        report.removed.len()
    );
    Ok(Some(report))
}

pub fn print_report(report: Option<&DeltaReport>, json_out: bool) -> Result<()> {
    let empty = DeltaReport::default();
    let report = report.unwrap_or(&empty);
    if json_out {
        println!("{}", serde_json::to_string_pretty(report)?);
        return Ok(());
    }
    for (label, list) in [
        ("new", &report.new),
        ("changed", &report.changed),
        ("removed", &report.removed),
    ] {
        for m in list {
            println!(
                "{label:<8} {:<14} {:<18} {:.3}  {}{}",
                m.subject_id,
                m.entity_id,
                m.score,
                m.caption,
                m.reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            );
        }
    }
    println!(
        "{} new, {} changed, {} removed matches over {} subjects",
        report.new.len(),
        report.changed.len(),
        report.removed.len(),
        report.subjects
    );
    Ok(())
}

/// Imports subjects from a file, screening them against the lists in use.
pub fn import(
    store: &mut SqliteStore,
    path: &Path,
    map: &ColumnMap,
    options: &Options,
    json_out: bool,
) -> Result<()> {
    let started = Instant::now();
    // Stored matches must all reflect one set of versions: catch up first.
    let active: Vec<String> = store.active_versions()?.into_iter().map(|v| v.id).collect();
    if store.subject_count()? > 0 && store.screened_versions()? != active {
        rescreen(store, None, options)?;
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path.display().to_string();
    let file = input::read(&name, &bytes, map)?;
    let mut subjects = Vec::new();
    let mut errors = Vec::new();
    for (_, row) in file.rows {
        match row {
            Ok(s) => match s.to_query(&[]) {
                Ok(_) => subjects.push(s),
                Err(e) => errors.push(json!({"line": null, "id": s.id, "error": e.to_string()})),
            },
            Err(e) => errors.push(json!({"line": e.line, "error": e.message})),
        }
    }
    let index = load_index(store)?;
    let matches: Vec<SubjectMatch> = subjects
        .par_iter()
        .flat_map_iter(|s| {
            let q = s.to_query(&[]).ok();
            q.into_iter()
                .flat_map(|q| index.screen(&q, options))
                .map(|m| SubjectMatch {
                    subject_id: s.id.clone(),
                    entity_id: m.entity_id,
                    score: m.score,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let rows: Vec<(String, String)> = subjects
        .iter()
        .map(|s| Ok((s.id.clone(), serde_json::to_string(s)?)))
        .collect::<Result<_>>()?;
    store.put_subjects(&rows)?;
    let ids: Vec<String> = subjects.iter().map(|s| s.id.clone()).collect();
    store.update_matches(&ids, &[], &matches, &active)?;
    let alerted: BTreeSet<&str> = matches.iter().map(|m| m.subject_id.as_str()).collect();
    let summary = json!({
        "file": name,
        "imported": subjects.len(),
        "errors": errors,
        "subjects_with_matches": alerted.len(),
        "matches": matches.len(),
        "list_versions": active,
        "stored_subjects": store.subject_count()?,
    });
    if json_out {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        for e in &errors {
            eprintln!(
                "{name}: line {}: {}",
                e["line"],
                e["error"].as_str().unwrap_or_default()
            );
        }
        println!(
            "imported {} subjects from {name} in {:.1} s ({} rows with errors); {} have matches; {} subjects stored",
            subjects.len(),
            started.elapsed().as_secs_f64(),
            errors.len(),
            alerted.len(),
            summary["stored_subjects"]
        );
    }
    Ok(())
}

/// Writes a synthetic customer file.
pub fn generate(
    store: &SqliteStore,
    count: usize,
    listed_share: f64,
    seed: u64,
    out: &Path,
) -> Result<()> {
    let (entities, _) = store.active_entities()?;
    let listed: Vec<&redline_model::Entity> = entities.iter().collect();
    let generated = redline_subjects::generate::generate(count, listed_share, &listed, seed);
    let listed_count = generated.iter().filter(|g| g.listed_as.is_some()).count();
    let file =
        std::fs::File::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    redline_subjects::generate::to_csv(
        generated.into_iter().map(|g| g.subject),
        std::io::BufWriter::new(file),
    )?;
    eprintln!(
        "wrote {count} subjects to {} ({listed_count} are variations of listed names; seed {seed})",
        out.display()
    );
    Ok(())
}

/// An alert per subject with new or changed matches, with every current match of the
/// subject on the touched entries.
fn raise_subject_alerts(
    store: &mut SqliteStore,
    index: &redline_matching::Index,
    subjects: &[Subject],
    report: &DeltaReport,
) -> Result<()> {
    let mut by_subject: std::collections::BTreeMap<&str, Vec<serde_json::Value>> =
        Default::default();
    for m in report.new.iter().chain(&report.changed) {
        by_subject
            .entry(m.subject_id.as_str())
            .or_default()
            .push(json!({
                "entity_id": m.entity_id,
                "caption": m.caption,
                "score": m.score,
                "previous_score": m.previous_score,
            }));
    }
    let at = crate::context::now_rfc3339();
    for (subject_id, matches) in by_subject {
        let Some(subject) = subjects.iter().find(|s| s.id == subject_id) else {
            continue;
        };
        let body = serde_json::to_value(subject)?;
        redline_server::review::raise(
            store, index, "subject", subject_id, &body, &matches, None, "rescreen", &at,
        )?;
    }
    Ok(())
}
