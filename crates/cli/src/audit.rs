//! `redline audit …`: prove the audit trail intact, export it, replay a decision.

use anyhow::{bail, Context as _, Result};
use redline_payments::Policy;
use redline_store::Store;
use serde_json::json;

/// Exit code 0 when the chain holds, 1 (with the first broken entry) when not.
pub fn verify(store: &dyn Store, json_out: bool) -> Result<u8> {
    let v = store.verify_audit()?;
    if json_out {
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else if v.intact {
        println!(
            "audit trail intact: {} entries, each linked to the one before",
            v.entries
        );
    } else {
        println!(
            "audit trail BROKEN at entry {}: {}",
            v.first_broken.unwrap_or(0),
            v.problem.as_deref().unwrap_or("")
        );
    }
    Ok(if v.intact { 0 } else { 1 })
}

pub fn export(store: &dyn Store, from: i64) -> Result<()> {
    let mut at = from.max(1);
    loop {
        let page = store.audit_entries(at, 10_000)?;
        let Some(last) = page.last() else { break };
        at = last.seq + 1;
        for e in &page {
            println!("{}", serde_json::to_string(e)?);
        }
    }
    Ok(())
}

/// Re-screens a recorded decision's input against the list versions and policy it
/// recorded; exit code 0 when the result is the same, 1 when it differs.
pub fn replay(store: &dyn Store, id: i64, json_out: bool) -> Result<u8> {
    let Some(stored) = store.decision(id)? else {
        bail!("no decision {id}");
    };
    let d = &stored.decision;
    if d.kind != "payment" {
        bail!(
            "decision {id} is a {} decision; replay covers payment decisions",
            d.kind
        );
    }
    let snapshot = redline_server::Snapshot::load_recorded(store, &d.list_versions)
        .with_context(|| format!("decision {id} used {}", d.list_versions.join(", ")))?;
    let policy_version = d.policy_version.clone().unwrap_or_default();
    let text = store
        .policy(&policy_version)?
        .with_context(|| format!("policy {policy_version} is not in the store"))?;
    let policy = Policy::from_toml(&text).map_err(|e| anyhow::anyhow!("{policy_version}: {e}"))?;
    // A decision made with no list loaded is replayed with none.
    let snapshot = (!d.list_versions.is_empty()).then_some(&snapshot);
    // Decided again at the recorded time: a list's age is what it was then.
    let (again, _) = redline_server::payments::decide(&d.input, snapshot, &policy, &d.created_at);
    let same = redline_server::payments::same_decision(&d.body, &again);
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "decision_id": id,
                "same": same,
                "recorded": d.body,
                "replayed": again,
            }))?
        );
    } else if same {
        println!(
            "decision {id} replayed: {} again, identical ({} hits; lists {}; policy {policy_version})",
            d.verdict,
            again["hits"].as_array().map_or(0, Vec::len),
            d.list_versions.join(", ")
        );
    } else {
        println!(
            "decision {id} replayed DIFFERENTLY: recorded {}, now {}",
            d.verdict,
            again["decision"].as_str().unwrap_or("?")
        );
    }
    Ok(if same { 0 } else { 1 })
}
