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
//! A false positive is remembered as a *disposition* (a suppression) on (subject, list
//! entity) with a hash of the subject's data and of the entity's list content. It
//! suppresses the same match later only while both hashes are unchanged: an updated
//! customer record or an amended list entry reopens it. Remembering a false positive
//! on a *strong* match — a score at or above the configured bar, or any match on a
//! listed person or vessel under a sanctions programme — takes two reviewers too: the
//! first decision only records an approval (`pending_false_positive`, still in the
//! queue) and suppresses nothing until a different reviewer confirms it. A
//! suppression can be revoked; from then on the match alerts again.

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
    /// A false positive on a strong match has one approval and waits for a second
    /// reviewer before it is remembered.
    PendingFalsePositive,
    TrueMatch,
    FalsePositive,
    Released,
    Blocked,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Open,
        Status::Escalated,
        Status::PendingRelease,
        Status::PendingFalsePositive,
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
            Status::PendingFalsePositive => "pending_false_positive",
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
            Status::Open
                | Status::Escalated
                | Status::PendingRelease
                | Status::PendingFalsePositive
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
        "four-eyes rule: {reviewer} approved this {what} already; a second reviewer must complete it"
    )]
    SameReviewer {
        reviewer: String,
        /// `release` or `false positive`.
        what: &'static str,
    },
    #[error("{action:?} is not possible while the alert is {status}")]
    NotNow { action: Action, status: Status },
}

/// A past action on an alert, as far as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastAction {
    pub actor: String,
    pub to: Status,
}

/// What the rules need to know of an alert besides its status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stakes {
    /// The alert holds a payment, whose release needs two reviewers.
    pub held_payment: bool,
    /// A match is strong (see [`is_strong_match`]): remembering it as a false
    /// positive needs two reviewers.
    pub strong_match: bool,
}

/// Whether remembering a false positive on this match needs a second reviewer: its
/// score is at or above `second_review_from`, or it is a person or vessel listed under
/// a sanctions programme (a wrongly suppressed listed person or ship is the costliest
/// mistake a screening system makes).
pub fn is_strong_match(score: f64, schema: &str, programs: usize, second_review_from: f64) -> bool {
    score >= second_review_from || (matches!(schema, "Person" | "Vessel") && programs > 0)
}

/// The status an action leads to, or why it cannot be taken. `history` is the
/// alert's past actions, oldest first.
pub fn apply(
    status: Status,
    stakes: Stakes,
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
    // The second step of a four-eyes decision: never by the reviewer of the first.
    let second_of = |first: Status, what: &'static str| match first_approver(history, first) {
        Some(approver) if approver == actor => Err(ReviewError::SameReviewer {
            reviewer: actor.to_string(),
            what,
        }),
        _ => Ok(()),
    };
    Ok(match (status, action) {
        (Status::PendingRelease, Action::Escalate | Action::FalsePositive)
        | (Status::PendingFalsePositive, Action::Release) => {
            return Err(ReviewError::NotNow { action, status })
        }
        (_, Action::Escalate) => Status::Escalated,
        (_, Action::TrueMatch) => Status::TrueMatch,
        (_, Action::Block) => Status::Blocked,
        (Status::PendingFalsePositive, Action::FalsePositive) => {
            second_of(Status::PendingFalsePositive, "false positive")?;
            Status::FalsePositive
        }
        (_, Action::FalsePositive) if stakes.strong_match => Status::PendingFalsePositive,
        (_, Action::FalsePositive) => Status::FalsePositive,
        (Status::PendingRelease, Action::Release) => {
            second_of(Status::PendingRelease, "release")?;
            Status::Released
        }
        (_, Action::Release) if stakes.held_payment => Status::PendingRelease,
        (_, Action::Release) => Status::Released,
    })
}

/// Who approved a decision that took two reviewers: the actor of the last step to
/// `pending` before it (None if there was none).
pub fn first_approver(history: &[PastAction], pending: Status) -> Option<&str> {
    history
        .iter()
        .rev()
        .find(|a| a.to == pending)
        .map(|a| a.actor.as_str())
}

/// The hash a disposition keeps of a subject's data or an entity's list content:
/// SHA-256 of its canonical JSON (object keys sorted, as `serde_json::Value` keeps them).
pub fn content_hash(value: &serde_json::Value) -> String {
    hex::encode(Sha256::digest(value.to_string().as_bytes()))
}

/// Whether a remembered false positive still suppresses a match: the subject's data
/// and the entity's list content both hash as they did when it was decided.
pub fn suppresses(kept: [&str; 2], subject_hash: &str, entity_hash: &str) -> bool {
    kept == [subject_hash, entity_hash]
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAYMENT: Stakes = Stakes {
        held_payment: true,
        strong_match: false,
    };
    const NAME: Stakes = Stakes {
        held_payment: false,
        strong_match: false,
    };
    const STRONG: Stakes = Stakes {
        held_payment: false,
        strong_match: true,
    };

    #[test]
    fn a_held_payment_needs_two_different_reviewers_to_release() {
        let first = apply(
            Status::Open,
            PAYMENT,
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
            apply(first, PAYMENT, &history, Action::Release, "alice", "again"),
            Err(ReviewError::SameReviewer {
                reviewer: "alice".into(),
                what: "release"
            })
        );
        assert_eq!(
            apply(first, PAYMENT, &history, Action::Release, "bob", "agreed"),
            Ok(Status::Released)
        );
        // The second reviewer may also refuse.
        assert_eq!(
            apply(first, PAYMENT, &history, Action::Block, "bob", "no"),
            Ok(Status::Blocked)
        );
        // A name alert (not a held payment) is released by one reviewer.
        assert_eq!(
            apply(Status::Open, NAME, &[], Action::Release, "alice", "ok"),
            Ok(Status::Released)
        );
    }

    #[test]
    fn reasons_are_required_and_closed_alerts_stay_closed() {
        assert_eq!(
            apply(Status::Open, NAME, &[], Action::FalsePositive, "a", " "),
            Err(ReviewError::NoReason)
        );
        assert_eq!(
            apply(
                Status::FalsePositive,
                NAME,
                &[],
                Action::TrueMatch,
                "a",
                "x"
            ),
            Err(ReviewError::Closed(Status::FalsePositive))
        );
        assert_eq!(
            apply(Status::Open, NAME, &[], Action::Escalate, "a", "x"),
            Ok(Status::Escalated)
        );
        assert_eq!(
            apply(Status::Escalated, NAME, &[], Action::TrueMatch, "b", "x"),
            Ok(Status::TrueMatch)
        );
        assert!("pending_release".parse::<Status>().is_ok());
        assert!("approve".parse::<Action>().is_err());
    }

    #[test]
    fn a_false_positive_on_a_strong_match_needs_a_second_reviewer() {
        // A listed person under a programme is strong at any score; an organisation
        // only from the configured score.
        assert!(is_strong_match(0.71, "Person", 1, 0.9));
        assert!(is_strong_match(0.71, "Vessel", 2, 0.9));
        assert!(!is_strong_match(0.71, "Organization", 3, 0.9));
        assert!(is_strong_match(0.93, "Organization", 0, 0.9));
        assert!(!is_strong_match(0.80, "Person", 0, 0.9));

        let first = apply(
            Status::Open,
            STRONG,
            &[],
            Action::FalsePositive,
            "alice",
            "other person",
        );
        assert_eq!(first, Ok(Status::PendingFalsePositive));
        assert!(Status::PendingFalsePositive.is_open());
        let history = [PastAction {
            actor: "alice".into(),
            to: Status::PendingFalsePositive,
        }];
        assert_eq!(
            apply(
                Status::PendingFalsePositive,
                STRONG,
                &history,
                Action::FalsePositive,
                "alice",
                "sure"
            ),
            Err(ReviewError::SameReviewer {
                reviewer: "alice".into(),
                what: "false positive"
            })
        );
        assert_eq!(
            apply(
                Status::PendingFalsePositive,
                STRONG,
                &history,
                Action::FalsePositive,
                "bob",
                "agreed"
            ),
            Ok(Status::FalsePositive)
        );
        // The second reviewer may disagree instead.
        assert_eq!(
            apply(
                Status::PendingFalsePositive,
                STRONG,
                &history,
                Action::TrueMatch,
                "bob",
                "it is him"
            ),
            Ok(Status::TrueMatch)
        );
        assert_eq!(
            apply(
                Status::PendingFalsePositive,
                STRONG,
                &history,
                Action::Release,
                "bob",
                "x"
            ),
            Err(ReviewError::NotNow {
                action: Action::Release,
                status: Status::PendingFalsePositive
            })
        );
        assert_eq!(
            first_approver(&history, Status::PendingFalsePositive),
            Some("alice")
        );
        // A weak match is remembered on one reviewer's word.
        assert_eq!(
            apply(
                Status::Open,
                NAME,
                &[],
                Action::FalsePositive,
                "alice",
                "other person"
            ),
            Ok(Status::FalsePositive)
        );
    }

    #[test]
    fn a_disposition_holds_only_while_both_sides_are_unchanged() {
        let subject = serde_json::json!({"name": "John Smith", "country": "US"});
        let entity = serde_json::json!({"id": "ofac-sdn:1", "names": ["SMITH, John"]});
        let kept = [content_hash(&subject), content_hash(&entity)];
        let kept = [kept[0].as_str(), kept[1].as_str()];
        assert!(suppresses(
            kept,
            &content_hash(&subject),
            &content_hash(&entity)
        ));
        let moved = serde_json::json!({"name": "John Smith", "country": "RU"});
        assert!(!suppresses(
            kept,
            &content_hash(&moved),
            &content_hash(&entity)
        ));
        let amended =
            serde_json::json!({"id": "ofac-sdn:1", "names": ["SMITH, John", "SMITT, Jon"]});
        assert!(!suppresses(
            kept,
            &content_hash(&subject),
            &content_hash(&amended)
        ));
    }
}
