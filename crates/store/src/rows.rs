//! Turning stored rows back into records, the same for both backends: each backend
//! reads its columns into plain values, and these decode the JSON columns and name
//! the record when one is damaged.

use redline_model::Entity;

use crate::alerts::AlertRecord;
use crate::decisions::{NewDecision, StoredDecision};
use crate::keys::ApiKey;
use crate::{ListVersion, Result, StoreError};

/// Records an alert action (both backends; parameters in order of first use).
pub(crate) const INSERT_ACTION_SQL: &str =
    "INSERT INTO alert_actions (alert_id, at, actor, action, from_status, to_status, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Refuses an alert action whose status update moved no row: the alert is no longer
/// in the status the reviewer saw (a concurrent decision wins once, never twice).
pub(crate) fn check_moved(id: i64, from_status: &str, moved: u64) -> Result<()> {
    if moved == 0 {
        return Err(StoreError::Invalid(format!(
            "alert {id} is no longer {from_status}: somebody decided it meanwhile"
        )));
    }
    Ok(())
}

/// The statuses an alert is still in the review queue with.
pub(crate) const OPEN_STATUSES: &str =
    "('open', 'escalated', 'pending_release', 'pending_false_positive')";

/// A suppression's columns, in the order the readers expect.
pub(crate) const SUPPRESSION_COLUMNS: &str = "id, subject_key, entity_id, subject_hash, entity_hash, alert_id, actor, second_actor, at, revoked_at, revoked_by";

/// Ends the suppression in force for a subject and entity (both backends; SQLite
/// binds `$n` in order of first use, so they are numbered in that order).
pub(crate) const SUPERSEDE_SQL: &str = "UPDATE suppressions SET revoked_at = $1, revoked_by = $2
     WHERE subject_key = $3 AND entity_id = $4 AND revoked_at IS NULL";

/// Stores a suppression (both backends).
pub(crate) const INSERT_SUPPRESSION_SQL: &str = "INSERT INTO suppressions (subject_key, entity_id, subject_hash, entity_hash, alert_id, actor, second_actor, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Revokes a suppression in force (both backends).
pub(crate) const REVOKE_SUPPRESSION_SQL: &str =
    "UPDATE suppressions SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL";

pub(crate) fn not_revocable(id: i64) -> StoreError {
    StoreError::Invalid(format!(
        "suppression {id}: no such suppression in force (unknown or already revoked)"
    ))
}

/// An alert's origin as its JSON column keeps it.
pub(crate) fn origin_json(alert: &crate::NewAlert) -> Result<Option<String>> {
    alert
        .origin
        .as_ref()
        .map(|o| serde_json::to_string(o).map_err(|e| StoreError::Invalid(e.to_string())))
        .transpose()
}

pub(crate) fn finish_version(
    (mut v, files, counts): (ListVersion, String, String),
) -> Result<ListVersion> {
    v.files = serde_json::from_str(&files)
        .map_err(|e| StoreError::Corrupt(format!("version {}: files: {e}", v.id)))?;
    v.counts = serde_json::from_str(&counts)
        .map_err(|e| StoreError::Corrupt(format!("version {}: counts: {e}", v.id)))?;
    Ok(v)
}

pub(crate) fn decode_entity(version: &str, body: &str) -> Result<Entity> {
    serde_json::from_str(body)
        .map_err(|e| StoreError::Corrupt(format!("version {version}: entity body: {e}")))
}

pub(crate) fn finish_key((mut key, role): (ApiKey, String)) -> Result<ApiKey> {
    key.role = role
        .parse()
        .map_err(|e| StoreError::Corrupt(format!("API key {}: {e}", key.id)))?;
    Ok(key)
}

/// An alert's plain columns, and its JSON ones: subject, matches, list versions,
/// origin.
pub(crate) type AlertRow = (AlertRecord, String, String, String, Option<String>);

pub(crate) fn finish_alert(
    (mut a, subject, matches, versions, origin): AlertRow,
) -> Result<AlertRecord> {
    let corrupt = |what: &str, e: serde_json::Error| {
        StoreError::Corrupt(format!("alert {}: {what}: {e}", a.id))
    };
    a.alert.subject = serde_json::from_str(&subject).map_err(|e| corrupt("subject", e))?;
    a.alert.matches = serde_json::from_str(&matches).map_err(|e| corrupt("matches", e))?;
    a.alert.list_versions =
        serde_json::from_str(&versions).map_err(|e| corrupt("list versions", e))?;
    a.alert.origin = origin
        .map(|o| serde_json::from_str(&o).map_err(|e| corrupt("origin", e)))
        .transpose()?;
    Ok(a)
}

/// A decision's columns: kind, created_at, input, input_sha256, list_versions (JSON),
/// policy_version, verdict, body (JSON).
pub(crate) type DecisionRow = (
    String,
    String,
    Vec<u8>,
    String,
    String,
    Option<String>,
    String,
    String,
);

pub(crate) fn finish_decision(id: i64, row: DecisionRow) -> Result<StoredDecision> {
    let (kind, created_at, input, input_sha256, versions, policy_version, verdict, body) = row;
    let corrupt = |what: &str, e: serde_json::Error| {
        StoreError::Corrupt(format!("decision {id}: {what}: {e}"))
    };
    Ok(StoredDecision {
        id,
        decision: NewDecision {
            kind,
            created_at,
            input,
            input_sha256,
            list_versions: serde_json::from_str(&versions)
                .map_err(|e| corrupt("list versions", e))?,
            policy_version,
            verdict,
            body: serde_json::from_str(&body).map_err(|e| corrupt("body", e))?,
        },
    })
}
