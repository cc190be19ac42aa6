//! Alerts, the actions taken on them, and remembered dispositions. The review rules
//! themselves live in `redline-alerts`; this is where their results are kept.

use serde::{Deserialize, Serialize};

use crate::queue::{AlertPage, AlertQuery, AlertSort};
use crate::Result;

/// An alert to raise: a screening that found matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAlert {
    /// `payment`, `name`, `subject`, `trade`.
    pub kind: String,
    /// What was screened, as a stable key: a message hash, a subject id, a query hash.
    pub subject_key: String,
    pub subject: serde_json::Value,
    /// The matches (with explanations), as screened.
    pub matches: serde_json::Value,
    pub list_versions: Vec<String>,
    pub decision_id: Option<i64>,
    pub at: String,
    /// Who raised it and at which threshold (None for alerts stored before this was
    /// recorded).
    #[serde(default)]
    pub origin: Option<AlertOrigin>,
}

/// Who raised an alert and how: an auditor asks why a name alerted at 0.57.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertOrigin {
    /// The way in: `cli`, `batch`, `api` (`/v1/screen`), `match` (yente's `/match`),
    /// `payment`, `trade`, `rescreen`.
    pub via: String,
    /// Who called: the API key's id, or for the CLI the login name.
    pub by: String,
    /// The alert threshold the screening used (None where a policy decides, as for
    /// payments and trades).
    pub threshold: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRecord {
    pub id: i64,
    #[serde(flatten)]
    pub alert: NewAlert,
    pub status: String,
    /// Who is working the alert, if anyone took or was given it.
    #[serde(default)]
    pub assignee: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertActionRecord {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub reason: String,
}

/// A remembered false positive — a suppression (see `redline_alerts`): while in force
/// and while both hashes hold, the same match no longer alerts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispositionRecord {
    /// The suppression's id (0 before it is stored).
    #[serde(default)]
    pub id: i64,
    pub subject_key: String,
    pub entity_id: String,
    pub subject_hash: String,
    pub entity_hash: String,
    pub alert_id: i64,
    /// Who decided the false positive (the first reviewer, if it took two).
    pub actor: String,
    /// Who confirmed it, when it took two reviewers.
    #[serde(default)]
    pub second_actor: Option<String>,
    pub at: String,
    #[serde(default)]
    pub revoked_at: Option<String>,
    #[serde(default)]
    pub revoked_by: Option<String>,
}

impl DispositionRecord {
    /// Everyone who approved it, in order.
    pub fn approved_by(&self) -> Vec<&str> {
        std::iter::once(self.actor.as_str())
            .chain(self.second_actor.as_deref())
            .collect()
    }
}

pub trait AlertStore {
    /// Raises an alert, or updates the open alert of the same kind and subject;
    /// returns its id and whether it is new.
    fn raise_alert(&mut self, alert: &NewAlert) -> Result<(i64, bool)>;
    fn alert(&self, id: i64) -> Result<Option<AlertRecord>>;
    /// The open alert (open, escalated, pending release) of this kind and subject.
    fn open_alert(&self, kind: &str, subject_key: &str) -> Result<Option<AlertRecord>>;
    /// Newest first; `status` `open` means every status still in the queue.
    fn alerts(
        &self,
        status: Option<&str>,
        kind: Option<&str>,
        limit: usize,
    ) -> Result<Vec<AlertRecord>> {
        let page = self.alert_page(&AlertQuery {
            status: status.map(str::to_string),
            kind: kind.map(str::to_string),
            sort: AlertSort::Newest,
            limit,
            ..AlertQuery::default()
        })?;
        Ok(page.alerts)
    }
    /// One page of the queue under `query`'s filters and order, with the total.
    fn alert_page(&self, query: &AlertQuery) -> Result<AlertPage>;
    fn alert_actions(&self, id: i64) -> Result<Vec<AlertActionRecord>>;
    /// Records an action and moves the alert from `action.from_status` to
    /// `action.to_status` — only if it still is in `from_status` (a concurrent
    /// decision wins once, never twice).
    fn record_alert_action(&mut self, id: i64, action: &AlertActionRecord) -> Result<()>;
    /// Gives an open alert to `assignee` (None: back to the queue), recording `action`
    /// (whose from/to status is the alert's current status).
    fn assign_alert(
        &mut self,
        id: i64,
        assignee: Option<&str>,
        action: &AlertActionRecord,
    ) -> Result<()>;
    /// Remembers a false positive, replacing (revoking) one in force for the same
    /// subject and entity; returns its id.
    fn put_disposition(&mut self, d: &DispositionRecord) -> Result<i64>;
    /// The suppressions in force for a subject, one per list entity.
    fn dispositions(&self, subject_key: &str) -> Result<Vec<DispositionRecord>>;
    /// Newest first; revoked ones too if `include_revoked`.
    fn suppressions(&self, include_revoked: bool, limit: usize) -> Result<Vec<DispositionRecord>>;
    /// Ends a suppression in force; the match alerts again from then on. Refused for an
    /// unknown or already revoked id.
    fn revoke_suppression(&mut self, id: i64, by: &str, at: &str) -> Result<DispositionRecord>;
}
