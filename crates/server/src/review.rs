//! Alerts as the service and the CLI raise and decide them: the review rules of
//! `redline-alerts` applied to the store, with every step in the audit trail.

use redline_alerts::{apply, content_hash, suppresses, Action, Disposition, PastAction, Status};
use redline_matching::Index;
use redline_store::{AlertActionRecord, DispositionRecord, NewAlert, Store};
use serde_json::{json, Value};

/// Why a decision was not taken.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error("no alert {0}")]
    NotFound(i64),
    #[error(transparent)]
    Rule(#[from] redline_alerts::ReviewError),
    #[error(transparent)]
    Store(#[from] redline_store::StoreError),
}

/// The content hash of a list entity, as dispositions remember it.
pub fn entity_hash(index: &Index, entity_id: &str) -> Option<String> {
    let entity = index.entity(entity_id)?;
    serde_json::to_value(entity).ok().map(|v| content_hash(&v))
}

/// Runs a review step in one transaction: a store error rolls all of it back; a
/// refusal by the review rules (which comes before any write) is returned as it is.
fn in_one_transaction<T>(
    store: &mut dyn Store,
    f: impl FnOnce(&mut dyn Store) -> Result<T, DecideError>,
) -> Result<T, DecideError> {
    redline_store::atomically(store, |s| match f(s) {
        Err(DecideError::Store(e)) => Err(e),
        other => Ok(other),
    })?
}

/// Raises (or updates) an alert for a screening's matches. Matches a remembered
/// false positive still covers are marked `suppressed` and kept in the record; if all
/// are, no alert is raised and the suppression is audited. Returns the alert id. The
/// alert and its audit entry are written in one transaction.
#[allow(clippy::too_many_arguments)]
pub fn raise(
    store: &mut dyn Store,
    index: &Index,
    kind: &str,
    subject_key: &str,
    subject: &Value,
    matches: &[Value],
    decision_id: Option<i64>,
    actor: &str,
    at: &str,
) -> redline_store::Result<Option<i64>> {
    if matches.is_empty() {
        return Ok(None);
    }
    // Most screenings repeat one already alerted (repeat payments to one beneficiary,
    // a re-run batch): reads answer them, with no transaction and no lock. What is
    // read here is read again inside the transaction before anything is written.
    let settle_now = |store: &dyn Store| {
        settle(
            store,
            index,
            kind,
            subject_key,
            subject,
            matches,
            decision_id,
        )
    };
    if let Settled::Alerted(id) = settle_now(&*store)? {
        return Ok(Some(id));
    }
    redline_store::atomically(store, |store| {
        // Two replicas screening the same new subject at once: the second waits here,
        // then finds the first one's alert unchanged and writes nothing.
        store.lock_alerts()?;
        let (annotated, live) = match settle_now(&*store)? {
            Settled::Alerted(id) => return Ok(Some(id)),
            Settled::Suppressed(annotated) => {
                store.append_audit(
                        at,
                        "alert.suppressed",
                        actor,
                        &json!({"kind": kind, "subject_key": subject_key, "matches": annotated, "reason": "every match is a remembered false positive on unchanged data"}),
                    )?;
                return Ok(None);
            }
            Settled::ToWrite { annotated, live } => (annotated, live),
        };
        let (id, created) = store.raise_alert(&NewAlert {
            kind: kind.to_string(),
            subject_key: subject_key.to_string(),
            subject: subject.clone(),
            matches: Value::Array(annotated),
            list_versions: index.versions().to_vec(),
            decision_id,
            at: at.to_string(),
        })?;
        store.append_audit(
            at,
            if created { "alert.raise" } else { "alert.update" },
            actor,
            &json!({"alert_id": id, "kind": kind, "subject_key": subject_key, "matches": live, "decision_id": decision_id}),
        )?;
        Ok(Some(id))
    })
}

/// The matches, those a remembered false positive still covers marked `suppressed`,
/// and how many are not.
fn annotate(
    store: &dyn Store,
    index: &Index,
    subject_key: &str,
    subject: &Value,
    matches: &[Value],
) -> redline_store::Result<(Vec<Value>, usize)> {
    let subject_hash = content_hash(subject);
    let remembered = store.dispositions(subject_key)?;
    let mut annotated = Vec::with_capacity(matches.len());
    let mut live = 0;
    for m in matches {
        let mut m = m.clone();
        let entity_id = m["entity_id"].as_str().unwrap_or_default();
        let suppressed = remembered
            .iter()
            .find(|d| d.entity_id == entity_id)
            .is_some_and(|d| {
                entity_hash(index, entity_id).is_some_and(|eh| {
                    suppresses(
                        &Disposition {
                            subject_key: d.subject_key.clone(),
                            entity_id: d.entity_id.clone(),
                            subject_hash: d.subject_hash.clone(),
                            entity_hash: d.entity_hash.clone(),
                            alert_id: d.alert_id,
                            actor: d.actor.clone(),
                            at: d.at.clone(),
                        },
                        &subject_hash,
                        &eh,
                    )
                })
            });
        if suppressed {
            m["suppressed"] = json!(true);
        } else {
            live += 1;
        }
        annotated.push(m);
    }
    Ok((annotated, live))
}

/// Where a screening's matches stand against what is stored.
enum Settled {
    /// Every match is a remembered false positive on unchanged data (the matches, so
    /// marked).
    Suppressed(Vec<Value>),
    /// The subject's open alert already says all of it: same subject, lists, matches
    /// (and decision, if any).
    Alerted(i64),
    /// An alert to raise or update, with the matches as annotated and how many are
    /// not suppressed.
    ToWrite { annotated: Vec<Value>, live: usize },
}

fn settle(
    store: &dyn Store,
    index: &Index,
    kind: &str,
    subject_key: &str,
    subject: &Value,
    matches: &[Value],
    decision_id: Option<i64>,
) -> redline_store::Result<Settled> {
    let (annotated, live) = annotate(store, index, subject_key, subject, matches)?;
    if live == 0 {
        return Ok(Settled::Suppressed(annotated));
    }
    if let Some(open) = store.open_alert(kind, subject_key)? {
        let unchanged = open.alert.subject == *subject
            && open.alert.list_versions == index.versions()
            && open.alert.matches.as_array() == Some(&annotated)
            && (decision_id.is_none() || open.alert.decision_id == decision_id);
        if unchanged {
            return Ok(Settled::Alerted(open.id));
        }
    }
    Ok(Settled::ToWrite { annotated, live })
}

/// Takes a review action on an alert under the review rules; returns the new status.
/// The status change, any remembered disposition and the audit entry land together.
pub fn decide(
    store: &mut dyn Store,
    index: &Index,
    alert_id: i64,
    action: Action,
    actor: &str,
    reason: &str,
    at: &str,
) -> Result<Status, DecideError> {
    in_one_transaction(store, |store| {
        decide_in(store, index, alert_id, action, actor, reason, at)
    })
}

fn decide_in(
    store: &mut dyn Store,
    index: &Index,
    alert_id: i64,
    action: Action,
    actor: &str,
    reason: &str,
    at: &str,
) -> Result<Status, DecideError> {
    let alert = store
        .alert(alert_id)?
        .ok_or(DecideError::NotFound(alert_id))?;
    let status: Status = alert.status.parse().map_err(|e: String| {
        redline_store::StoreError::Corrupt(format!("alert {alert_id}: {e}"))
    })?;
    let history: Vec<PastAction> = store
        .alert_actions(alert_id)?
        .into_iter()
        .filter_map(|a| {
            Some(PastAction {
                actor: a.actor,
                to: a.to_status.parse().ok()?,
            })
        })
        .collect();
    // Every payment alert is a held (or blocked) payment: releasing it takes two people.
    let held_payment = alert.alert.kind == "payment";
    let to = apply(status, held_payment, &history, action, actor, reason)?;
    let action_name = serde_json::to_value(action)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    store.record_alert_action(
        alert_id,
        &AlertActionRecord {
            at: at.to_string(),
            actor: actor.to_string(),
            action: action_name.clone(),
            from_status: status.as_str().to_string(),
            to_status: to.as_str().to_string(),
            reason: reason.to_string(),
        },
    )?;
    if to == Status::FalsePositive {
        let subject_hash = content_hash(&alert.alert.subject);
        for m in alert.alert.matches.as_array().into_iter().flatten() {
            let Some(entity_id) = m["entity_id"].as_str() else {
                continue;
            };
            let Some(entity_hash) = entity_hash(index, entity_id) else {
                continue;
            };
            store.put_disposition(&DispositionRecord {
                subject_key: alert.alert.subject_key.clone(),
                entity_id: entity_id.to_string(),
                subject_hash: subject_hash.clone(),
                entity_hash,
                alert_id,
                actor: actor.to_string(),
                at: at.to_string(),
            })?;
        }
    }
    store.append_audit(
        at,
        "alert.decide",
        actor,
        &json!({"alert_id": alert_id, "action": action_name, "from": status, "to": to, "reason": reason}),
    )?;
    Ok(to)
}

/// Gives an open alert to a reviewer (or back to the queue with `None`).
pub fn assign(
    store: &mut dyn Store,
    alert_id: i64,
    assignee: Option<&str>,
    actor: &str,
    at: &str,
) -> Result<(), DecideError> {
    in_one_transaction(store, |store| {
        assign_in(store, alert_id, assignee, actor, at)
    })
}

fn assign_in(
    store: &mut dyn Store,
    alert_id: i64,
    assignee: Option<&str>,
    actor: &str,
    at: &str,
) -> Result<(), DecideError> {
    let alert = store
        .alert(alert_id)?
        .ok_or(DecideError::NotFound(alert_id))?;
    let status: Status = alert.status.parse().map_err(|e: String| {
        redline_store::StoreError::Corrupt(format!("alert {alert_id}: {e}"))
    })?;
    if !status.is_open() {
        return Err(redline_alerts::ReviewError::Closed(status).into());
    }
    store.assign_alert(
        alert_id,
        assignee,
        &AlertActionRecord {
            at: at.to_string(),
            actor: actor.to_string(),
            action: "assign".into(),
            from_status: status.as_str().to_string(),
            to_status: status.as_str().to_string(),
            reason: assignee.map_or_else(
                || "back to the queue".to_string(),
                |a| format!("assigned to {a}"),
            ),
        },
    )?;
    store.append_audit(
        at,
        "alert.assign",
        actor,
        &json!({"alert_id": alert_id, "assignee": assignee}),
    )?;
    Ok(())
}
