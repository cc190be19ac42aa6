//! Alerts as the service and the CLI raise and decide them: the review rules of
//! `redline-alerts` applied to the store, with every step in the audit trail.

use redline_alerts::{
    apply, content_hash, first_approver, is_strong_match, suppresses, Action, PastAction, Stakes,
    Status,
};
use redline_matching::Index;
use redline_store::{AlertActionRecord, AlertOrigin, DispositionRecord, NewAlert, Store};
use serde_json::{json, Value};

/// The score from which a match's false positive needs a second reviewer, unless the
/// operator sets another (`review.second_review_from`, `--second-review-from`).
pub const SECOND_REVIEW_FROM: f64 = 0.90;

/// What a screening hands over to raise an alert.
pub struct Raising<'a> {
    /// `name`, `subject`, `payment`, `trade`.
    pub kind: &'a str,
    pub subject_key: &'a str,
    pub subject: &'a Value,
    pub matches: &'a [Value],
    pub decision_id: Option<i64>,
    /// Who raised it and at which threshold; `origin.by` is the audit entry's actor.
    pub origin: AlertOrigin,
    pub at: &'a str,
}

/// What raising found: the alert (None if there were no matches or every one is
/// suppressed), and the matches with those a suppression covers marked
/// `"suppressed": true` and described under `"suppression"` — what the caller answers.
#[derive(Debug, Clone, Default)]
pub struct Raised {
    pub alert_id: Option<i64>,
    pub matches: Vec<Value>,
}

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
/// are, no alert is raised and the suppression is audited. The alert and its audit
/// entry are written in one transaction.
pub fn raise(
    store: &mut dyn Store,
    index: &Index,
    raising: &Raising<'_>,
) -> redline_store::Result<Raised> {
    if raising.matches.is_empty() {
        return Ok(Raised::default());
    }
    let Raising {
        kind,
        subject_key,
        subject,
        decision_id,
        at,
        ..
    } = *raising;
    let actor = raising.origin.by.as_str();
    // Most screenings repeat one already alerted (repeat payments to one beneficiary,
    // a re-run batch): reads answer them, with no transaction and no lock. What is
    // read here is read again inside the transaction before anything is written.
    let settle_now = |store: &dyn Store| settle(store, index, raising);
    if let Settled::Alerted(id, annotated) = settle_now(&*store)? {
        return Ok(Raised {
            alert_id: Some(id),
            matches: annotated,
        });
    }
    redline_store::atomically(store, |store| {
        // Two replicas screening the same new subject at once: the second waits here,
        // then finds the first one's alert unchanged and writes nothing.
        store.lock_alerts()?;
        let (annotated, live) = match settle_now(&*store)? {
            Settled::Alerted(id, annotated) => {
                return Ok(Raised {
                    alert_id: Some(id),
                    matches: annotated,
                })
            }
            Settled::Suppressed(annotated) => {
                store.append_audit(
                        at,
                        "alert.suppressed",
                        actor,
                        &json!({"kind": kind, "subject_key": subject_key, "matches": annotated, "reason": "every match is a remembered false positive on unchanged data"}),
                    )?;
                return Ok(Raised {
                    alert_id: None,
                    matches: annotated,
                });
            }
            Settled::ToWrite { annotated, live } => (annotated, live),
        };
        let (id, created) = store.raise_alert(&NewAlert {
            kind: kind.to_string(),
            subject_key: subject_key.to_string(),
            subject: subject.clone(),
            matches: Value::Array(annotated.clone()),
            list_versions: index.versions().to_vec(),
            decision_id,
            at: at.to_string(),
            origin: Some(raising.origin.clone()),
        })?;
        store.append_audit(
            at,
            if created { "alert.raise" } else { "alert.update" },
            actor,
            &json!({"alert_id": id, "kind": kind, "subject_key": subject_key, "matches": live, "decision_id": decision_id, "origin": raising.origin}),
        )?;
        Ok(Raised {
            alert_id: Some(id),
            matches: annotated,
        })
    })
}

/// The matches, those a suppression in force still covers marked `suppressed` and
/// described (its id, who approved it and when), and how many are not.
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
        let in_force = remembered.iter().rev().find(|d| {
            d.entity_id == entity_id
                && entity_hash(index, entity_id).is_some_and(|eh| {
                    suppresses([&d.subject_hash, &d.entity_hash], &subject_hash, &eh)
                })
        });
        match in_force {
            Some(d) => {
                m["suppressed"] = json!(true);
                m["suppression"] = suppression_summary(d);
            }
            None => live += 1,
        }
        annotated.push(m);
    }
    Ok((annotated, live))
}

/// How an answer describes the suppression that hid a match.
pub fn suppression_summary(d: &DispositionRecord) -> Value {
    json!({
        "id": d.id,
        "alert_id": d.alert_id,
        "approved_by": d.approved_by(),
        "at": d.at,
    })
}

/// Where a screening's matches stand against what is stored.
enum Settled {
    /// Every match is a remembered false positive on unchanged data (the matches, so
    /// marked).
    Suppressed(Vec<Value>),
    /// The subject's open alert already says all of it: same subject, lists, matches
    /// (and decision, if any); with the matches as annotated.
    Alerted(i64, Vec<Value>),
    /// An alert to raise or update, with the matches as annotated and how many are
    /// not suppressed.
    ToWrite { annotated: Vec<Value>, live: usize },
}

fn settle(
    store: &dyn Store,
    index: &Index,
    raising: &Raising<'_>,
) -> redline_store::Result<Settled> {
    let (annotated, live) = annotate(
        store,
        index,
        raising.subject_key,
        raising.subject,
        raising.matches,
    )?;
    if live == 0 {
        return Ok(Settled::Suppressed(annotated));
    }
    if let Some(open) = store.open_alert(raising.kind, raising.subject_key)? {
        let unchanged = open.alert.subject == *raising.subject
            && open.alert.list_versions == index.versions()
            && open.alert.matches.as_array() == Some(&annotated)
            && (raising.decision_id.is_none() || open.alert.decision_id == raising.decision_id);
        if unchanged {
            return Ok(Settled::Alerted(open.id, annotated));
        }
    }
    Ok(Settled::ToWrite { annotated, live })
}

/// A reviewer's step on an alert.
#[derive(Debug, Clone, Copy)]
pub struct Review<'a> {
    pub action: Action,
    /// The reviewer: an API key's id (API, web UI, and the CLI when reviewers are
    /// configured), never a name the request states.
    pub actor: &'a str,
    pub reason: &'a str,
    pub at: &'a str,
    /// The score from which a false positive needs a second reviewer.
    pub second_review_from: f64,
}

/// Takes a review action on an alert under the review rules; returns the new status.
/// The status change, any remembered disposition and the audit entry land together.
pub fn decide(
    store: &mut dyn Store,
    index: &Index,
    alert_id: i64,
    review: Review<'_>,
) -> Result<Status, DecideError> {
    in_one_transaction(store, |store| decide_in(store, index, alert_id, review))
}

/// Whether any match still in force on the alert is strong (see
/// [`redline_alerts::is_strong_match`]), judged on the list entry as the index has it
/// (payment hits carry no schema or programmes). A hit on no list entry (a country, a
/// goods code) is not a match; a hit on an entry by number (no name score) counts as
/// a full one.
fn has_strong_match(index: &Index, matches: &Value, second_review_from: f64) -> bool {
    matches.as_array().into_iter().flatten().any(|m| {
        let Some(entity_id) = m["entity_id"].as_str() else {
            return false;
        };
        let (schema, programs) = match index.entity(entity_id) {
            Some(e) => (e.schema.as_str(), e.programs.len()),
            None => (
                m["schema"].as_str().unwrap_or_default(),
                m["programs"].as_array().map_or(0, Vec::len),
            ),
        };
        m["suppressed"] != Value::Bool(true)
            && is_strong_match(
                m["score"].as_f64().unwrap_or(1.0),
                schema,
                programs,
                second_review_from,
            )
    })
}

fn decide_in(
    store: &mut dyn Store,
    index: &Index,
    alert_id: i64,
    review: Review<'_>,
) -> Result<Status, DecideError> {
    let Review {
        action,
        actor,
        reason,
        at,
        second_review_from,
    } = review;
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
    let stakes = Stakes {
        // Every payment alert is a held (or blocked) payment: releasing it takes two.
        held_payment: alert.alert.kind == "payment",
        strong_match: has_strong_match(index, &alert.alert.matches, second_review_from),
    };
    let to = apply(status, stakes, &history, action, actor, reason)?;
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
    let mut suppressions = Vec::new();
    if to == Status::FalsePositive {
        // Confirming a pending false positive: the first reviewer decided it, this one
        // approved it.
        let (first, second) = match first_approver(&history, Status::PendingFalsePositive) {
            Some(first) if status == Status::PendingFalsePositive => {
                (first.to_string(), Some(actor.to_string()))
            }
            _ => (actor.to_string(), None),
        };
        let subject_hash = content_hash(&alert.alert.subject);
        for m in alert.alert.matches.as_array().into_iter().flatten() {
            let Some(entity_id) = m["entity_id"].as_str() else {
                continue;
            };
            let Some(entity_hash) = entity_hash(index, entity_id) else {
                continue;
            };
            let id = store.put_disposition(&DispositionRecord {
                id: 0,
                subject_key: alert.alert.subject_key.clone(),
                entity_id: entity_id.to_string(),
                subject_hash: subject_hash.clone(),
                entity_hash,
                alert_id,
                actor: first.clone(),
                second_actor: second.clone(),
                at: at.to_string(),
                revoked_at: None,
                revoked_by: None,
            })?;
            suppressions.push(json!({"id": id, "entity_id": entity_id}));
        }
    }
    store.append_audit(
        at,
        "alert.decide",
        actor,
        &json!({"alert_id": alert_id, "action": action_name, "from": status, "to": to, "reason": reason, "suppressions": suppressions}),
    )?;
    Ok(to)
}

/// Revokes a suppression: the match it hid alerts again at the next screening. The
/// revocation and its audit entry land together.
pub fn revoke_suppression(
    store: &mut dyn Store,
    id: i64,
    actor: &str,
    reason: &str,
    at: &str,
) -> Result<DispositionRecord, DecideError> {
    if reason.trim().is_empty() {
        return Err(redline_alerts::ReviewError::NoReason.into());
    }
    in_one_transaction(store, |store| {
        let revoked = store.revoke_suppression(id, actor, at)?;
        store.append_audit(
            at,
            "suppression.revoke",
            actor,
            &json!({"suppression_id": id, "subject_key": revoked.subject_key, "entity_id": revoked.entity_id, "alert_id": revoked.alert_id, "reason": reason}),
        )?;
        Ok(revoked)
    })
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

/// The longest case note kept: a page of text, not a file.
pub const NOTE_MAX_CHARS: usize = 10_000;

/// A note's text, trimmed, or why it cannot be kept.
pub fn note_text(text: &str) -> Result<&str, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("a note needs text".into());
    }
    if text.chars().count() > NOTE_MAX_CHARS {
        return Err(format!("a note holds at most {NOTE_MAX_CHARS} characters"));
    }
    Ok(text)
}

/// Adds a case note to an alert, open or closed: kept in its history (status
/// unchanged) and in the audit trail, in one transaction.
pub fn note(
    store: &mut dyn Store,
    alert_id: i64,
    text: &str,
    actor: &str,
    at: &str,
) -> Result<(), DecideError> {
    let text =
        note_text(text).map_err(|e| DecideError::Store(redline_store::StoreError::Invalid(e)))?;
    in_one_transaction(store, |store| {
        let alert = store
            .alert(alert_id)?
            .ok_or(DecideError::NotFound(alert_id))?;
        store.record_alert_action(
            alert_id,
            &AlertActionRecord {
                at: at.to_string(),
                actor: actor.to_string(),
                action: "note".into(),
                from_status: alert.status.clone(),
                to_status: alert.status.clone(),
                reason: text.to_string(),
            },
        )?;
        store.append_audit(
            at,
            "alert.note",
            actor,
            &json!({"alert_id": alert_id, "text": text}),
        )?;
        Ok(())
    })
}
