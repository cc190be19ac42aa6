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
    json_out: bool,
) -> Result<u8> {
    let (policy, policy_text) = load_policy(policy_path)?;
    let snapshot = context::load_snapshot(store)?;
    let mut worst = 0u8;
    for file in files {
        let (answer, input) = match std::fs::read(file) {
            Ok(bytes) => (
                redline_server::payments::decide(&bytes, Some(&snapshot), &policy).0,
                bytes,
            ),
            Err(e) => {
                worst = 3;
                eprintln!("error: cannot read {}: {e}", file.display());
                continue;
            }
        };
        let (id, alert) = redline_server::payments::record(
            store,
            Some(&snapshot.index),
            &input,
            &answer,
            &policy,
            &policy_text,
            "cli",
            &context::now_rfc3339(),
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
