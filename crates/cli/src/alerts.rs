//! `redline alerts …`: the review queue from the command line, under the same rules
//! as the API and the web UI.

use anyhow::{bail, Result};
use redline_alerts::Action;
use redline_store::Store;
use serde_json::json;

use crate::context;

pub fn list(
    store: &dyn Store,
    status: &str,
    kind: Option<&str>,
    limit: usize,
    json_out: bool,
) -> Result<()> {
    let status = (status != "all").then_some(status);
    let alerts = store.alerts(status, kind, limit)?;
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "alerts": alerts }))?
        );
        return Ok(());
    }
    for a in &alerts {
        let matches = a.alert.matches.as_array().map_or(0, Vec::len);
        let top = a.alert.matches.get(0);
        println!(
            "{:>6}  {:<15} {:<8} {:<10} {:<20} {} match(es); {}",
            a.id,
            a.status,
            a.assignee.as_deref().unwrap_or("-"),
            a.alert.kind,
            a.alert.subject_key.chars().take(20).collect::<String>(),
            matches,
            top.and_then(|m| m["caption"].as_str().or(m["reason"].as_str()))
                .unwrap_or("")
        );
    }
    println!("{} alert(s)", alerts.len());
    Ok(())
}

pub fn show(store: &dyn Store, id: i64) -> Result<()> {
    let Some(alert) = store.alert(id)? else {
        bail!("no alert {id}")
    };
    let actions = store.alert_actions(id)?;
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({"alert": alert, "actions": actions}))?
    );
    Ok(())
}

pub fn decide(
    store: &mut dyn Store,
    id: i64,
    action: &str,
    reason: &str,
    actor: &str,
) -> Result<()> {
    let action: Action = action.parse().map_err(anyhow::Error::msg)?;
    let index = crate::screen::load_index(store)?;
    let status = redline_server::review::decide(
        store,
        &index,
        id,
        action,
        actor,
        reason,
        &context::now_rfc3339(),
    )?;
    println!("alert {id} is now {status}");
    Ok(())
}

pub fn assign(store: &mut dyn Store, id: i64, to: Option<&str>, actor: &str) -> Result<()> {
    redline_server::review::assign(store, id, to, actor, &context::now_rfc3339())?;
    println!(
        "alert {id} {}",
        to.map_or_else(
            || "is back in the queue".to_string(),
            |t| format!("is assigned to {t}")
        )
    );
    Ok(())
}
