//! `redline ownership …`: ownership files (the operator's CSV, UK PSC, GLEIF Level 2,
//! BODS), and the entities blocked by ownership under the OFAC 50% rule or the EU/UK
//! test, with their paths and leads.

use std::path::Path;

use anyhow::{bail, Context as _, Result};
use redline_ownership::{AsOf, Day, Format, Lead, OwnerStatus, Provenance, ReadOptions};
use redline_server::ownership::{derive, OwnershipView};
use redline_store::{OwnershipFile, Store};
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

/// How `ownership load` was asked to read a file.
pub struct LoadArgs<'a> {
    pub path: &'a Path,
    pub format: Option<&'a str>,
    pub map: Option<&'a str>,
    pub accept_partial: bool,
    pub json: bool,
}

/// Reads an ownership file, names its parties against the active lists, and stores
/// it. A file that cannot be its format is not stored; one with refused rows is
/// stored with its good rows and the command exits 1 (partial) unless
/// `--accept-partial`. Returns the exit code.
pub fn load(store: &mut dyn Store, args: &LoadArgs<'_>) -> Result<u8> {
    let bytes =
        std::fs::read(args.path).with_context(|| format!("cannot read {}", args.path.display()))?;
    let name = args.path.display().to_string();
    let format = match args.format {
        None => None,
        Some(f) => Some(Format::parse(f).with_context(|| {
            format!(
                "--format {f:?}: expected one of {}",
                Format::ALL.map(Format::as_str).join(", ")
            )
        })?),
    };
    let options = ReadOptions {
        format,
        map: args.map.unwrap_or("").to_string(),
    };
    let (entities, versions) = store.active_entities()?;
    let candidate = OwnershipFile {
        id: String::new(),
        name: name.clone(),
        loaded_at: String::new(),
        bytes,
        options: options.to_text(),
    };
    // One pass over the stored files and the new one: it checks the new file and
    // gives what it changes; nothing is stored if the file cannot be read.
    let mut files = store.ownership_files()?;
    let stored = files
        .iter()
        .position(|f| f.bytes == candidate.bytes && f.options == candidate.options);
    let new_at = match stored {
        Some(at) => at,
        None => {
            files.push(candidate);
            files.len() - 1
        }
    };
    let v = derive(&entities, &versions, &files, AsOf::Latest)
        .map_err(|e| anyhow::anyhow!("not loaded: {e}"))?;
    let report = v
        .reports
        .get(new_at)
        .cloned()
        .context("no report for the file")?;
    let new = &files[new_at];
    let (id, created) =
        store.add_ownership_file(&name, &new.bytes, &new.options, &context::now_rfc3339())?;
    redline_store::AuditStore::append_audit(
        store,
        &context::now_rfc3339(),
        "ownership.load",
        "cli",
        &json!({
            "file": name, "id": id, "created": created, "format": report.format,
            "stakes": report.stakes, "refused": report.refused, "issues": report.issues.len(),
        }),
    )?;
    // A lead both policies raise (a doubtful owner, a band) is shown once.
    let mut leads: Vec<&Lead> = Vec::new();
    for lead in v.ofac.leads.iter().chain(&v.eu_uk.leads) {
        if from_file(&lead.stake.provenance, &name) && !leads.contains(&lead) {
            leads.push(lead);
        }
    }
    let partial = report.is_partial() && !args.accept_partial;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "id": id,
                "created": created,
                "format": report.format,
                "stakes": report.stakes,
                "refused": report.refused,
                "partial": report.is_partial(),
                "issues": report.issues,
                "leads": leads,
                "derived_ofac": v.ofac.derived.len(),
                "derived_eu_uk": v.eu_uk.derived.len(),
            }))?
        );
    } else {
        println!(
            "{} {id} from {name} ({}): {} stakes; {} rows refused",
            if created {
                "loaded"
            } else {
                "already stored as"
            },
            report.format,
            report.stakes,
            report.refused,
        );
        for issue in &report.issues {
            println!("  {issue}");
        }
        for lead in &leads {
            println!("  lead: {}", lead_line(lead));
        }
        println!(
            "{} entities blocked by ownership (OFAC 50%), {} under the EU/UK test",
            v.ofac.derived.len(),
            v.eu_uk.derived.len()
        );
        if report.is_partial() {
            println!(
                "partial: {} rows refused{}",
                report.refused,
                if args.accept_partial {
                    " (accepted: --accept-partial)"
                } else {
                    "; the good rows are stored (exit 1; --accept-partial accepts)"
                }
            );
        }
    }
    Ok(u8::from(partial))
}

fn from_file(provenance: &Provenance, name: &str) -> bool {
    matches!(provenance, Provenance::File { file, .. } if file == name)
}

/// A lead in one line: the entity, why, and the owner.
pub fn lead_line(lead: &Lead) -> String {
    let owner = match &lead.stake.owner_status {
        OwnerStatus::Candidate {
            entity_id,
            entity_name,
            score,
            ..
        } => format!(
            "{} ({}) may be {entity_name} ({entity_id}, name match {score:.2})",
            lead.stake.owner_name, lead.stake.owner_id
        ),
        _ => format!("{} ({})", lead.stake.owner_name, lead.stake.owner_id),
    };
    let share = match (lead.stake.percent, lead.stake.percent_range) {
        (Some(p), _) => format!(" {p}%"),
        (None, Some([low, high])) => format!(" {low}% to {high}%"),
        _ => String::new(),
    };
    format!(
        "{} ({}): {:?}, {}{share} by {owner}; from {}",
        lead.entity_name, lead.entity_id, lead.kind, lead.stake.relation, lead.stake.provenance
    )
}

fn pick<'a>(v: &'a OwnershipView, policy: &str) -> Result<&'a redline_ownership::Derivation> {
    v.derivation(policy)
        .with_context(|| format!("--policy {policy:?}: expected ofac or eu-uk"))
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
    for lead in &d.leads {
        println!("lead: {}", lead_line(lead));
    }
    for issue in &v.issues {
        println!("data issue: {issue}");
    }
    println!(
        "{} entities blocked by ownership, {} leads",
        d.derived.len(),
        d.leads.len()
    );
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

/// `redline ownership bench --psc-lines N`: generates a PSC snapshot of N lines (see
/// `redline_ownership::synthetic::psc_snapshot`) and times what loading it costs —
/// reading every line, naming every owner against the active lists with the matching
/// engine, building the graph and computing both rules — with the process's peak
/// memory. Storing the file is not timed (a write of its bytes).
///
/// Owners' names are drawn from `names`: `population` (Wikidata given and family
/// names of many languages, as a register's owners are) or `listed` (the words of
/// listed persons' names recombined: every word is on the lists, the matching
/// engine's worst case).
pub fn bench(
    store: &dyn Store,
    lines: usize,
    names: &str,
    write: Option<&Path>,
    json_out: bool,
) -> Result<()> {
    let (entities, versions) = store.active_entities()?;
    let people: Vec<String> = entities
        .iter()
        .filter(|e| e.schema == redline_model::Schema::Person)
        .map(|e| match e.caption().split_once(',') {
            Some((last, first)) => format!("{} {}", first.trim(), last.trim()),
            None => e.caption().to_string(),
        })
        .filter(|n| n.split_whitespace().count() >= 2)
        .collect();
    let words: Vec<&str> = match names {
        "population" => redline_names::transcription::latin_names(),
        "listed" => people.iter().flat_map(|p| p.split_whitespace()).collect(),
        other => bail!("--names {other:?}: expected population or listed"),
    };
    let bytes =
        redline_ownership::synthetic::psc_snapshot(lines, &words, &people, 0x5EED_0F0A_C0DE);
    if let Some(path) = write {
        std::fs::write(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let file = OwnershipFile {
        id: "ownership@bench".to_string(),
        name: "psc-bench.jsonl".to_string(),
        loaded_at: String::new(),
        options: "format=uk-psc".to_string(),
        bytes,
    };
    let started = std::time::Instant::now();
    let v = derive(
        &entities,
        &versions,
        std::slice::from_ref(&file),
        AsOf::Latest,
    )
    .map_err(anyhow::Error::msg)?;
    let seconds = started.elapsed().as_secs_f64();
    let report = v.reports.first().context("no report")?;
    let peak_mib = crate::bench::memory_kib("VmHWM:").map(|k| k / 1024);
    let figures = json!({
        "lines": lines,
        "names": names,
        "file_mib": file.bytes.len() / (1 << 20),
        "stakes": report.stakes,
        "refused": report.refused,
        "not_stakes": report.issues.iter().filter(|i| !i.kind.refuses_row()).count(),
        "derived_ofac": v.ofac.derived.len(),
        "derived_eu_uk": v.eu_uk.derived.len(),
        "leads_ofac": v.ofac.leads.len(),
        "seconds": seconds,
        "lines_per_second": lines as f64 / seconds,
        "peak_rss_mib": peak_mib,
        "threads": rayon::current_num_threads(),
    });
    if json_out {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!(
            "{lines} PSC lines ({} MiB): {} stakes, {} entities blocked by ownership (OFAC 50%), \
             {} under the EU/UK test, {} leads (OFAC)",
            figures["file_mib"],
            report.stakes,
            v.ofac.derived.len(),
            v.eu_uk.derived.len(),
            v.ofac.leads.len()
        );
        println!(
            "loaded in {seconds:.1} s ({:.0} lines/s) on {} threads; peak memory {} MiB",
            lines as f64 / seconds,
            rayon::current_num_threads(),
            peak_mib.map_or("?".to_string(), |m| m.to_string())
        );
    }
    Ok(())
}
