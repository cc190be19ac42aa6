//! `redline subjects …`: the stored customer base — import, delta rescreen after a
//! list update, and a synthetic generator for benchmarks.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use rayon::prelude::*;
use redline_matching::Options;
use redline_server::rescreen;
use redline_store::{Store, SubjectMatch};
use redline_subjects::delta::DeltaReport;
use redline_subjects::input::{self, ColumnMap};
use serde_json::json;

use crate::screen::load_index;

/// Rescreens the stored subjects under the cross-process lease (a replica may be
/// doing it already), printing what it did on stderr.
pub fn rescreen(
    store: &mut dyn Store,
    since: Option<&str>,
    options: &Options,
) -> Result<Option<DeltaReport>> {
    let now = std::time::SystemTime::now();
    let unix = now
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let holder = format!("cli:{}", std::process::id());
    let at = crate::context::now_rfc3339();
    match rescreen::rescreen_once(store, &holder, since, options, unix, &at)? {
        rescreen::Outcome::NoSubjects => Ok(None),
        rescreen::Outcome::UpToDate => Ok(Some(DeltaReport {
            subjects: store.subject_count()?,
            ..DeltaReport::default()
        })),
        rescreen::Outcome::HeldElsewhere => {
            bail!("another process (a replica) is rescreening the stored subjects now; try again when it is done")
        }
        rescreen::Outcome::Done(done) => {
            let report = done.report;
            eprintln!(
                "rescreened {} subjects against {} added, {} changed, {} removed list entries ({} screened in full) in {:.1} s: {} new, {} changed, {} removed matches",
                report.subjects,
                report.added_entities,
                report.changed_entities,
                report.removed_entities,
                report.rescreened,
                done.elapsed.as_secs_f64(),
                report.new.len(),
                report.changed.len(),
                report.removed.len()
            );
            Ok(Some(report))
        }
    }
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
    store: &mut dyn Store,
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
    store: &dyn Store,
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
