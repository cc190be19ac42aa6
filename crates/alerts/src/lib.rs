//! How alerts are worked: the review rules, apart from where alerts are stored.
//!
//! An alert is raised when a screening finds matches. An analyst decides it — a true
//! match, a false positive, blocked, released — always with a reason; it can be
//! escalated first. Releasing a *held payment* takes two people: the first release
//! only records an approval (`pending_release`), and a second reviewer — never the
//! same one — completes it. The rules are pure functions of the alert and the action,
//! so the CLI, the API and the web UI cannot apply them differently, and none of them
//! can skip the second pair of eyes.
//!
//! A false positive is remembered as a *disposition* on (subject, list entity) with a
//! hash of the subject's data and of the entity's list content. It suppresses the same
//! match later only while both hashes are unchanged: an updated customer record or an
//! amended list entry reopens it.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Where an alert is in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Escalated,
    /// A held payment's release has one approval and waits for a second reviewer.
    PendingRelease,
    TrueMatch,
    FalsePositive,
    Released,
    Blocked,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Open,
        Status::Escalated,
        Status::PendingRelease,
        Status::TrueMatch,
        Status::FalsePositive,
        Status::Released,
        Status::Blocked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Escalated => "escalated",
            Status::PendingRelease => "pending_release",
            Status::TrueMatch => "true_match",
            Status::FalsePositive => "false_positive",
            Status::Released => "released",
            Status::Blocked => "blocked",
        }
    }

    /// Still in the queue: somebody has to act.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Open | Status::Escalated | Status::PendingRelease
        )
    }
}

impl std::str::FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Status, String> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim())
            .ok_or_else(|| format!("unknown status {s:?}"))
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a reviewer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Escalate,
    TrueMatch,
    FalsePositive,
    Release,
    Block,
}

impl std::str::FromStr for Action {
    type Err = String;
    fn from_str(s: &str) -> Result<Action, String> {
        Ok(match s.trim() {
            "escalate" => Action::Escalate,
            "true_match" => Action::TrueMatch,
            "false_positive" => Action::FalsePositive,
            "release" => Action::Release,
            "block" => Action::Block,
            other => {
                return Err(format!(
                    "unknown action {other:?}: expected escalate, true_match, false_positive, release or block"
                ))
            }
        })
    }
}

/// Why an action is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("a decision needs a reason")]
    NoReason,
    #[error("alert is {0}: it is closed")]
    Closed(Status),
    #[error(
        "four-eyes rule: {0} approved this release already; a second reviewer must complete it"
    )]
    SameReviewer(String),
    #[error("{action:?} is not possible while the alert is {status}")]
    NotNow { action: Action, status: Status },
}

/// A past action on an alert, as far as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastAction {
    pub actor: String,
    pub to: Status,
}

/// The status an action leads to, or why it cannot be taken. `held_payment`: the
/// alert holds a payment, whose release needs two reviewers. `history` is the alert's
/// past actions, oldest first.
pub fn apply(
    status: Status,
    held_payment: bool,
    history: &[PastAction],
    action: Action,
    actor: &str,
    reason: &str,
) -> Result<Status, ReviewError> {
    if reason.trim().is_empty() {
        return Err(ReviewError::NoReason);
    }
    if !status.is_open() {
        return Err(ReviewError::Closed(status));
    }
    Ok(match (status, action) {
        (Status::PendingRelease, Action::Escalate) => {
            return Err(ReviewError::NotNow { action, status })
        }
        (_, Action::Escalate) => Status::Escalated,
        (_, Action::TrueMatch) => Status::TrueMatch,
        (_, Action::FalsePositive) if status == Status::PendingRelease => {
            return Err(ReviewError::NotNow { action, status })
        }
        (_, Action::FalsePositive) => Status::FalsePositive,
        (_, Action::Block) => Status::Blocked,
        (Status::PendingRelease, Action::Release) => {
            let approver = history
                .iter()
                .rev()
                .find(|a| a.to == Status::PendingRelease)
                .map(|a| a.actor.as_str())
                .unwrap_or_default();
            if approver == actor {
                return Err(ReviewError::SameReviewer(actor.to_string()));
            }
            Status::Released
        }
        (_, Action::Release) if held_payment => Status::PendingRelease,
        (_, Action::Release) => Status::Released,
    })
}

/// The hash a disposition keeps of a subject's data or an entity's list content:
/// SHA-256 of its canonical JSON (object keys sorted, as `serde_json::Value` keeps them).
pub fn content_hash(value: &serde_json::Value) -> String {
    hex::encode(Sha256::digest(value.to_string().as_bytes()))
}

/// A remembered false positive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disposition {
    pub subject_key: String,
    pub entity_id: String,
    pub subject_hash: String,
    pub entity_hash: String,
    pub alert_id: i64,
    pub actor: String,
    pub at: String,
}

/// Whether a disposition still suppresses a match: both sides unchanged.
pub fn suppresses(d: &Disposition, subject_hash: &str, entity_hash: &str) -> bool {
    d.subject_hash == subject_hash && d.entity_hash == entity_hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_payment_needs_two_different_reviewers_to_release() {
        let first = apply(
            Status::Open,
            true,
            &[],
            Action::Release,
            "alice",
            "known customer",
        )
        .unwrap();
        assert_eq!(first, Status::PendingRelease);
        let history = [PastAction {
            actor: "alice".into(),
            to: Status::PendingRelease,
        }];
        assert_eq!(
            apply(first, true, &history, Action::Release, "alice", "again"),
            Err(ReviewError::SameReviewer("alice".into()))
        );
        assert_eq!(
            apply(first, true, &history, Action::Release, "bob", "agreed"),
            Ok(Status::Released)
        );
        // The second reviewer may also refuse.
        assert_eq!(
            apply(first, true, &history, Action::Block, "bob", "no"),
            Ok(Status::Blocked)
        );
        // A name alert (not a held payment) is released by one reviewer.
        assert_eq!(
            apply(Status::Open, false, &[], Action::Release, "alice", "ok"),
            Ok(Status::Released)
        );
    }

    #[test]
    fn reasons_are_required_and_closed_alerts_stay_closed() {
        assert_eq!(
            apply(Status::Open, false, &[], Action::FalsePositive, "a", " "),
            Err(ReviewError::NoReason)
        );
        assert_eq!(
            apply(
                Status::FalsePositive,
                false,
                &[],
                Action::TrueMatch,
                "a",
                "x"
            ),
            Err(ReviewError::Closed(Status::FalsePositive))
        );
        assert_eq!(
            apply(Status::Open, false, &[], Action::Escalate, "a", "x"),
            Ok(Status::Escalated)
        );
        assert_eq!(
            apply(Status::Escalated, false, &[], Action::TrueMatch, "b", "x"),
            Ok(Status::TrueMatch)
        );
        assert!("pending_release".parse::<Status>().is_ok());
        assert!("approve".parse::<Action>().is_err());
    }

    #[test]
    fn a_disposition_holds_only_while_both_sides_are_unchanged() {
        let subject = serde_json::json!({"name": "John Smith", "country": "US"});
        let entity = serde_json::json!({"id": "ofac-sdn:1", "names": ["SMITH, John"]});
        let d = Disposition {
            subject_key: "c1".into(),
            entity_id: "ofac-sdn:1".into(),
            subject_hash: content_hash(&subject),
            entity_hash: content_hash(&entity),
            alert_id: 1,
            actor: "alice".into(),
            at: "2026-11-27T00:00:00Z".into(),
        };
        assert!(suppresses(
            &d,
            &content_hash(&subject),
            &content_hash(&entity)
        ));
        let moved = serde_json::json!({"name": "John Smith", "country": "RU"});
        assert!(!suppresses(
            &d,
            &content_hash(&moved),
            &content_hash(&entity)
        ));
        let amended =
            serde_json::json!({"id": "ofac-sdn:1", "names": ["SMITH, John", "SMITT, Jon"]});
        assert!(!suppresses(
            &d,
            &content_hash(&subject),
            &content_hash(&amended)
        ));
    }
}
