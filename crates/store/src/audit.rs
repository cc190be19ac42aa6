//! The audit trail: an append-only log of every screening decision, review action,
//! list load and configuration change, each entry hash-chained to the one before.
//!
//! Entry `n` stores `hash_n = SHA-256(hash_{n-1} ‖ n ‖ at ‖ action ‖ actor ‖ body)`.
//! Editing any stored field of any entry changes its hash and breaks every link after
//! it; deleting an entry leaves a gap in the sequence; deleting the newest entries is
//! caught because the chain's head (sequence and hash) is also kept apart from the
//! log. [`verify`] walks the chain and names the first entry that does not hold.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Result;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// RFC 3339, UTC.
    pub at: String,
    /// `screening.payment`, `alert.decide`, `lists.load`, `keys.create`, …
    pub action: String,
    /// Who: an API key id, a user name, or `cli`.
    pub actor: String,
    /// The details, as canonical JSON text.
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash that links entry `seq` to `prev_hash`.
pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    at: &str,
    action: &str,
    actor: &str,
    body: &str,
) -> String {
    let mut h = Sha256::new();
    // Lengths before each field: no two different entries hash the same bytes.
    for part in [prev_hash, &seq.to_string(), at, action, actor, body] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The entry that follows `last` (the chain's newest `(seq, hash)`, if any): what
/// every backend appends, with the chain's head read under its write lock.
pub(crate) fn next_entry(
    last: Option<(i64, String)>,
    at: &str,
    action: &str,
    actor: &str,
    body: String,
) -> AuditEntry {
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let hash = entry_hash(&prev_hash, seq, at, action, actor, &body);
    AuditEntry {
        seq,
        at: at.to_string(),
        action: action.to_string(),
        actor: actor.to_string(),
        body,
        prev_hash,
        hash,
    }
}

/// The chain's head as kept apart from the log (`settings.audit_head`).
pub(crate) fn head_json(entry: &AuditEntry) -> String {
    serde_json::json!({"seq": entry.seq, "hash": entry.hash}).to_string()
}

/// Reads a head written by [`head_json`].
pub(crate) fn parse_head(text: Option<String>) -> Option<(i64, String)> {
    let v: serde_json::Value = serde_json::from_str(&text?).ok()?;
    Some((v["seq"].as_i64()?, v["hash"].as_str()?.to_string()))
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub entries: i64,
    pub intact: bool,
    /// The first entry that does not hold, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_broken: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Checks a chain read in sequence order against the head recorded apart from it.
pub fn verify(entries: &[AuditEntry], head: Option<(i64, String)>) -> Verification {
    let broken = |seq: i64, problem: String, n: usize| Verification {
        entries: n as i64,
        intact: false,
        first_broken: Some(seq),
        problem: Some(problem),
    };
    let mut prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if e.seq != expected_seq {
            return broken(
                expected_seq,
                format!(
                    "entry {expected_seq} is missing (the next stored entry is {})",
                    e.seq
                ),
                entries.len(),
            );
        }
        if e.prev_hash != prev {
            return broken(
                e.seq,
                format!("entry {} does not link to entry {}", e.seq, e.seq - 1),
                entries.len(),
            );
        }
        let recomputed = entry_hash(&e.prev_hash, e.seq, &e.at, &e.action, &e.actor, &e.body);
        if recomputed != e.hash {
            return broken(
                e.seq,
                format!(
                    "entry {} was altered: its content no longer matches its hash",
                    e.seq
                ),
                entries.len(),
            );
        }
        prev = e.hash.clone();
    }
    let last = entries.last().map(|e| (e.seq, e.hash.clone()));
    match (head, last) {
        (Some((seq, hash)), Some((last_seq, last_hash))) if seq != last_seq || hash != last_hash => broken(
            last_seq.min(seq) + 1,
            format!("the log ends at entry {last_seq} but entry {seq} was written: entries were removed from the end"),
            entries.len(),
        ),
        (Some((seq, _)), None) => broken(1, format!("the log is empty but {seq} entries were written"), 0),
        _ => Verification {
            entries: entries.len() as i64,
            intact: true,
            first_broken: None,
            problem: None,
        },
    }
}

pub trait AuditStore {
    /// Appends an entry (the store computes sequence and hash); returns it.
    fn append_audit(
        &mut self,
        at: &str,
        action: &str,
        actor: &str,
        body: &serde_json::Value,
    ) -> Result<AuditEntry>;
    /// Entries in sequence order, from `from` (inclusive), at most `limit`.
    fn audit_entries(&self, from: i64, limit: i64) -> Result<Vec<AuditEntry>>;
    /// One page of the entries `query` selects, newest first, with their total.
    fn audit_page(&self, query: &crate::AuditQuery) -> Result<crate::AuditPage>;
    /// Walks the whole chain.
    fn verify_audit(&self) -> Result<Verification>;
}
