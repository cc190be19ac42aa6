//! `redline payment screen`: payment messages to PASS / HOLD / BLOCK, each decision
//! recorded for replay. Exit code: 0 PASS, 1 HOLD, 2 BLOCK, 3 a message could not be
//! screened (it is answered and recorded as HOLD: never passed).

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use redline_payments::{Policy, DEFAULT_POLICY_TOML};
use redline_store::Store;
use serde_json::Value;

use crate::context;

/// The policy to screen with: a TOML file, a shipped profile by name
/// (`default`, `russia-evidence`), or the built-in default. A file of that name wins
/// over the profile.
pub fn load_policy(path: Option<&Path>) -> Result<(Policy, String)> {
    let profile = path
        .filter(|p| !p.exists())
        .and_then(Path::to_str)
        .and_then(Policy::named);
    if let Some(profile) = profile {
        return Ok(profile);
    }
    match path {
        None => Ok((Policy::default_policy(), DEFAULT_POLICY_TOML.to_string())),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            let policy =
                Policy::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            Ok((policy, text))
        }
    }
}

/// Screens each file; returns the process exit code.
pub fn screen(
    store: &mut dyn Store,
    files: &[PathBuf],
    policy_path: Option<&Path>,
    freshness: &redline_store::FreshnessPolicy,
    json_out: bool,
) -> Result<u8> {
    let (policy, policy_text) = load_policy(policy_path)?;
    let snapshot = context::load_snapshot(store)?;
    let mut worst = 0u8;
    for file in files {
        let at = context::now_rfc3339();
        let (mut answer, input) = match std::fs::read(file) {
            Ok(bytes) => (
                redline_server::payments::decide(&bytes, Some(&snapshot), &policy, &at).0,
                bytes,
            ),
            Err(e) => {
                worst = 3;
                eprintln!("error: cannot read {}: {e}", file.display());
                continue;
            }
        };
        snapshot.note_stale_lists(&mut answer, freshness, &at);
        let (id, alert) = redline_server::payments::record(
            store,
            Some(&snapshot.index),
            &input,
            &answer,
            &policy,
            &policy_text,
            "cli",
            &at,
        )?;
        let code = match (answer.get("error"), answer["decision"].as_str()) {
            (Some(_), _) => 3,
            (None, Some("BLOCK")) => 2,
            (None, Some("HOLD")) => 1,
            _ => 0,
        };
        worst = worst.max(code);
        print_decision(file, id, alert, &answer, json_out)?;
    }
    Ok(worst)
}

fn print_decision(
    file: &Path,
    id: i64,
    alert: Option<i64>,
    answer: &Value,
    json_out: bool,
) -> Result<()> {
    if json_out {
        let mut out = answer.clone();
        out["file"] = Value::String(file.display().to_string());
        out["decision_id"] = Value::from(id);
        if let Some(alert) = alert {
            out["alert_id"] = Value::from(alert);
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "{}: {} ({}, decision {id}{})",
        file.display(),
        answer["decision"].as_str().unwrap_or("HOLD"),
        answer["message_type"].as_str().unwrap_or("not screened"),
        alert.map(|a| format!(", alert {a}")).unwrap_or_default(),
    );
    if let Some(e) = answer.get("error").and_then(Value::as_str) {
        println!("  {e}");
    }
    for age in answer["stale_lists"].as_array().into_iter().flatten() {
        println!(
            "  warning: stale list {} ({} days old, stale after {} days)",
            age["version"].as_str().unwrap_or_default(),
            age["age_days"],
            age["stale_after_days"]
        );
    }
    for hit in answer["hits"].as_array().into_iter().flatten() {
        println!(
            "  {:<5} {:<9} {}  {}",
            hit["action"].as_str().unwrap_or(""),
            hit["kind"].as_str().unwrap_or(""),
            hit["field"].as_str().unwrap_or(""),
            hit["reason"].as_str().unwrap_or("")
        );
    }
    Ok(())
}

/// `redline payment measure`: the Russia corpus screened under both shipped
/// policies; returns 1 when a linked payment passes under either.
pub fn measure(
    store: &dyn Store,
    unlisted_path: &Path,
    per_class: usize,
    write: Option<&Path>,
    json_out: bool,
) -> Result<u8> {
    use redline_payments::corpus::{russia_corpus, CLASSES};
    use redline_payments::{screen_bytes, Verdict};

    let text = std::fs::read_to_string(unlisted_path)
        .with_context(|| format!("cannot read {}", unlisted_path.display()))?;
    let (mut unlisted, mut payers) = (Vec::new(), Vec::new());
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let row: Value = serde_json::from_str(line)
            .with_context(|| format!("{}: line {}", unlisted_path.display(), n + 1))?;
        let (Some(name), Some(class)) = (row["name"].as_str(), row["class"].as_str()) else {
            anyhow::bail!(
                "{}: line {}: a row needs \"name\" and \"class\"",
                unlisted_path.display(),
                n + 1
            );
        };
        if class.starts_with("ru_") {
            unlisted.push(name.to_string());
        } else if class == "en_US" {
            payers.push(name.to_string());
        }
    }
    let snapshot = context::load_snapshot(store)?;
    let corpus = russia_corpus(&snapshot.lookups, &unlisted, &payers, per_class)
        .map_err(|e| anyhow::anyhow!("{}: {e}", unlisted_path.display()))?;
    let policies: Vec<Policy> = Policy::NAMED
        .iter()
        .filter_map(|n| Policy::named(n).map(|p| p.0))
        .collect();

    if let Some(dir) = write {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut labels = String::new();
        for m in &corpus {
            std::fs::write(dir.join(&m.file), &m.text)
                .with_context(|| format!("cannot write {}", dir.join(&m.file).display()))?;
            labels.push_str(&serde_json::to_string(&serde_json::json!({
                "file": m.file, "class": m.class, "linked": m.linked, "why": m.why,
            }))?);
            labels.push('\n');
        }
        std::fs::write(dir.join("labels.jsonl"), labels)?;
    }

    // held[class][policy], passed linked (file, policy).
    let mut held = vec![vec![0usize; policies.len()]; CLASSES.len()];
    let mut linked_passed = Vec::new();
    for m in &corpus {
        let row = CLASSES.iter().position(|(c, _)| *c == m.class).unwrap_or(0);
        for (k, policy) in policies.iter().enumerate() {
            let d = screen_bytes(
                m.text.as_bytes(),
                Some(&snapshot.index),
                &snapshot.lookups,
                policy,
            )
            .map_err(|e| anyhow::anyhow!("{}: {e}", m.file))?;
            if d.decision > Verdict::Pass {
                held[row][k] += 1;
            } else if m.linked {
                linked_passed.push(format!("{} under {}", m.file, policy.name()));
            }
        }
    }
    let total = corpus.len();
    let linked_total = corpus.iter().filter(|m| m.linked).count();
    let summary: Vec<Value> = policies
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let held_all: usize = held.iter().map(|r| r[k]).sum();
            let held_linked: usize = CLASSES
                .iter()
                .zip(&held)
                .filter(|((_, linked), _)| *linked)
                .map(|(_, r)| r[k])
                .sum();
            serde_json::json!({
                "policy": p.version(),
                "held": held_all,
                "hold_rate": held_all as f64 / total.max(1) as f64,
                "held_linked": held_linked,
                "held_unlinked": held_all - held_linked,
                "linked_share_of_held": held_linked as f64 / held_all.max(1) as f64,
            })
        })
        .collect();
    if json_out {
        let classes: Vec<Value> = CLASSES
            .iter()
            .zip(&held)
            .map(|((c, linked), r)| {
                let by: serde_json::Map<String, Value> = policies
                    .iter()
                    .zip(r)
                    .map(|(p, n)| (p.name().to_string(), serde_json::json!(n)))
                    .collect();
                serde_json::json!({"class": c, "linked": linked, "messages": per_class, "held": by})
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "messages": total, "linked": linked_total,
                "list_versions": snapshot.index.versions(),
                "classes": classes, "policies": summary, "linked_passed": linked_passed,
            }))?
        );
    } else {
        println!(
            "{total} payments to Russian parties ({linked_total} linked), {per_class} per class; lists {}",
            snapshot.index.versions().join(", ")
        );
        print!("{:<24} {:>6}", "class", "linked");
        for p in &policies {
            print!(" {:>22}", format!("held: {}", p.name()));
        }
        println!();
        for ((c, linked), r) in CLASSES.iter().zip(&held) {
            print!("{c:<24} {:>6}", if *linked { "yes" } else { "no" });
            for n in r {
                print!(" {:>22}", format!("{n}/{per_class}"));
            }
            println!();
        }
        for s in &summary {
            println!(
                "{}: holds {} of {total} ({:.1}%), {} linked and {} not; linked share of held {:.1}%",
                s["policy"].as_str().unwrap_or_default(),
                s["held"],
                100.0 * s["hold_rate"].as_f64().unwrap_or_default(),
                s["held_linked"],
                s["held_unlinked"],
                100.0 * s["linked_share_of_held"].as_f64().unwrap_or_default(),
            );
        }
        for p in &linked_passed {
            println!("LINKED PAYMENT PASSED: {p}");
        }
    }
    Ok(u8::from(!linked_passed.is_empty()))
}
