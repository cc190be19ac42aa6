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

/// How a reviewer is named on the command line (see [`context::reviewer`]).
pub struct Reviewer<'a> {
    pub key: Option<&'a str>,
    pub actor: Option<&'a str>,
}

pub fn decide(
    store: &mut dyn Store,
    id: i64,
    action: &str,
    reason: &str,
    reviewer: Reviewer<'_>,
    second_review_from: f64,
) -> Result<()> {
    let action: Action = action.parse().map_err(anyhow::Error::msg)?;
    let second_review_from = redline_matching::check_threshold(second_review_from)
        .map_err(|e| anyhow::anyhow!("--second-review-from: {e}"))?;
    let actor = context::reviewer(store, reviewer.key, reviewer.actor)?;
    let index = crate::screen::load_index(store)?;
    let at = context::now_rfc3339();
    let status = redline_server::review::decide(
        store,
        &index,
        id,
        redline_server::review::Review {
            action,
            actor: &actor,
            reason,
            at: &at,
            second_review_from,
        },
    )?;
    println!("alert {id} is now {status} (by {actor})");
    if status == redline_alerts::Status::PendingFalsePositive {
        println!(
            "a false positive on a strong match is remembered only once a second reviewer confirms it: until then the alert stays open"
        );
    }
    Ok(())
}

pub fn assign(
    store: &mut dyn Store,
    id: i64,
    to: Option<&str>,
    reviewer: Reviewer<'_>,
) -> Result<()> {
    let actor = context::reviewer(store, reviewer.key, reviewer.actor)?;
    redline_server::review::assign(store, id, to, &actor, &context::now_rfc3339())?;
    println!(
        "alert {id} {}",
        to.map_or_else(
            || "is back in the queue".to_string(),
            |t| format!("is assigned to {t}")
        )
    );
    Ok(())
}

/// The remembered false positives, newest first.
pub fn suppressions(store: &dyn Store, all: bool, limit: usize, json_out: bool) -> Result<()> {
    let found = store.suppressions(all, limit)?;
    if json_out {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "suppressions": found }))?
        );
        return Ok(());
    }
    for d in &found {
        println!(
            "{:>6}  {:<18} alert {:<6} approved by {} at {}{}  subject {}",
            d.id,
            d.entity_id,
            d.alert_id,
            d.approved_by().join(" and "),
            d.at,
            d.revoked_at
                .as_deref()
                .map(|r| format!(
                    " (revoked {r} by {})",
                    d.revoked_by.as_deref().unwrap_or("?")
                ))
                .unwrap_or_default(),
            d.subject_key.chars().take(24).collect::<String>()
        );
    }
    println!("{} suppression(s)", found.len());
    Ok(())
}

pub fn revoke_suppression(
    store: &mut dyn Store,
    id: i64,
    reason: &str,
    reviewer: Reviewer<'_>,
) -> Result<()> {
    let actor = context::reviewer(store, reviewer.key, reviewer.actor)?;
    let revoked = redline_server::review::revoke_suppression(
        store,
        id,
        &actor,
        reason,
        &context::now_rfc3339(),
    )?;
    println!(
        "suppression {id} revoked: {} alerts again for subject {}",
        revoked.entity_id, revoked.subject_key
    );
    Ok(())
}
