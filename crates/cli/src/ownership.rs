//! `redline ownership …`: operator ownership files, and the entities blocked by
//! ownership under the OFAC 50% rule or the EU/UK test, with their paths.

use std::path::Path;

use anyhow::{bail, Context as _, Result};
use redline_ownership::{AsOf, Day, OwnershipGraph, Resolver};
use redline_server::ownership::{derive, OwnershipView};
use redline_store::Store;
use serde_json::json;

use crate::context;

fn as_of(date: Option<&str>) -> Result<AsOf> {
    match date {
        None => Ok(AsOf::Latest),
        Some(d) => Day::parse(d)
            .map(AsOf::On)
            .with_context(|| format!("--as-of {d:?}: expected YYYY-MM-DD")),
    }
}

fn view(store: &dyn Store, date: Option<&str>) -> Result<OwnershipView> {
    let (entities, versions) = store.active_entities()?;
    let files = store.ownership_files()?;
    derive(&entities, &versions, &files, as_of(date)?).map_err(anyhow::Error::msg)
}

/// Checks and stores an ownership CSV; a file that cannot be read is not stored.
pub fn load(store: &mut dyn Store, path: &Path, json_out: bool) -> Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path.display().to_string();
    let (entities, _) = store.active_entities()?;
    let (mut graph, _) = OwnershipGraph::from_entities(&entities);
    let issues = graph
        .add_csv(&name, &bytes, &Resolver::new(&entities))
        .map_err(|e| anyhow::anyhow!("not loaded: {e}"))?;
    let (id, created) = store.add_ownership_file(&name, &bytes, &context::now_rfc3339())?;
    redline_store::AuditStore::append_audit(
        store,
        &context::now_rfc3339(),
        "ownership.load",
        "cli",
        &json!({"file": name, "id": id, "created": created, "issues": issues.len()}),
    )?;
    let v = view(store, None)?;
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "id": id,
                "created": created,
                "issues": issues,
                "derived_ofac": v.ofac.derived.len(),
                "derived_eu_uk": v.eu_uk.derived.len(),
            }))?
        );
    } else {
        println!(
            "{} {id} from {name}: {} entities blocked by ownership (OFAC 50%), {} under the EU/UK test",
            if created { "loaded" } else { "already stored as" },
            v.ofac.derived.len(),
            v.eu_uk.derived.len()
        );
        for issue in &issues {
            println!("  {issue}");
        }
    }
    Ok(())
}

fn pick<'a>(v: &'a OwnershipView, policy: &str) -> Result<&'a redline_ownership::Derivation> {
    match policy {
        "ofac" | "ofac-50" => Ok(&v.ofac),
        "eu-uk" | "eu" | "uk" => Ok(&v.eu_uk),
        other => bail!("--policy {other:?}: expected ofac or eu-uk"),
    }
}

pub fn derived(store: &dyn Store, policy: &str, date: Option<&str>, json_out: bool) -> Result<()> {
    let v = view(store, date)?;
    let d = pick(&v, policy)?;
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "policy": policy,
                "derived": d.derived,
                "leads": d.leads,
                "issues": v.issues,
                "ownership_files": v.files,
            }))?
        );
        return Ok(());
    }
    for s in &d.derived {
        println!(
            "{:<40} {:<14} {:>7.2}%  {}{}",
            s.entity_id,
            s.rule,
            s.aggregate_percent,
            s.entity_name,
            if s.also_listed { " (also listed)" } else { "" }
        );
    }
    for issue in &v.issues {
        println!("data issue: {issue}");
    }
    println!("{} entities blocked by ownership", d.derived.len());
    Ok(())
}

pub fn explain(
    store: &dyn Store,
    entity: &str,
    policy: &str,
    date: Option<&str>,
    json_out: bool,
) -> Result<()> {
    let v = view(store, date)?;
    let d = pick(&v, policy)?;
    let Some(e) = d.explain(entity) else {
        bail!(
            "{entity} is not blocked by ownership under the {policy} rule (as of {})",
            as_of(date)?
        );
    };
    if json_out {
        println!("{}", serde_json::to_string_pretty(&e)?);
    } else {
        println!("{e}");
    }
    Ok(())
}
