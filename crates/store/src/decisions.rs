//! Screening decisions, kept with everything needed to replay them: the exact input
//! bytes, the list versions and the policy version they were made against, and the
//! policy text itself. Versions are immutable in the store, so an auditor can rebuild
//! the same index months later and get the same answer.

use serde::{Deserialize, Serialize};

use crate::Result;

/// A decision to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDecision {
    /// What was screened: `payment`, `name`, `trade`, …
    pub kind: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// The input exactly as received.
    pub input: Vec<u8>,
    pub input_sha256: String,
    pub list_versions: Vec<String>,
    pub policy_version: Option<String>,
    /// `PASS`, `HOLD`, `BLOCK`.
    pub verdict: String,
    /// The full decision as returned to the caller.
    pub body: serde_json::Value,
}

/// A recorded decision with its id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDecision {
    pub id: i64,
    #[serde(flatten)]
    pub decision: NewDecision,
}

pub trait DecisionStore {
    /// Records a decision; returns its id. Decisions are never updated.
    fn record_decision(&mut self, decision: &NewDecision) -> Result<i64>;
    fn decision(&self, id: i64) -> Result<Option<StoredDecision>>;
    /// Keeps a policy's text under its version (idempotent).
    fn save_policy(&mut self, version: &str, text: &str) -> Result<()>;
    fn policy(&self, version: &str) -> Result<Option<String>>;
}
