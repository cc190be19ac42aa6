//! Review rules against a real store and real list entries: remembered false
//! positives, and what reopens them.

use redline_alerts::Action;
use redline_matching::{Index, Options, Query};
use redline_model::{Entity, Name, NameKind, SourceId};
use redline_server::review::{decide, raise, revoke_suppression, Raised, Raising, Review};
use redline_sources::{parse, InputFile};
use redline_store::{AlertOrigin, AlertStore, AuditStore, SqliteStore};
use serde_json::{json, Value};

const AT: &str = "2026-11-27T00:00:00Z";

fn raise_name(
    store: &mut SqliteStore,
    index: &Index,
    subject: &Value,
    matches: &[Value],
) -> Raised {
    raise(
        store,
        index,
        &Raising {
            kind: "name",
            subject_key: "cust-7",
            subject,
            matches,
            decision_id: None,
            origin: AlertOrigin {
                via: "api".into(),
                by: "rl_screener".into(),
                threshold: Some(0.7),
            },
            at: AT,
        },
    )
    .unwrap()
}

fn review<'a>(action: Action, actor: &'a str, reason: &'a str) -> Review<'a> {
    Review {
        action,
        actor,
        reason,
        at: AT,
        second_review_from: redline_server::review::SECOND_REVIEW_FROM,
    }
}

/// A false positive on a listed person: by one reviewer, approved by a second.
fn two_reviewers_clear(store: &mut SqliteStore, index: &Index, alert: i64) {
    let status = decide(
        store,
        index,
        alert,
        review(Action::FalsePositive, "alice", "not him"),
    )
    .unwrap();
    assert_eq!(status, redline_alerts::Status::PendingFalsePositive);
    let status = decide(
        store,
        index,
        alert,
        review(Action::FalsePositive, "bob", "agreed"),
    )
    .unwrap();
    assert_eq!(status, redline_alerts::Status::FalsePositive);
}

fn un() -> Vec<Entity> {
    let path = "un/consolidated-2026-02-27.xml";
    let bytes = redline_testdata::bytes(path);
    parse(
        SourceId::UnSc,
        &[InputFile {
            name: path,
            bytes: &bytes,
        }],
    )
    .unwrap()
    .entities
}

#[test]
fn a_false_positive_stays_suppressed_until_the_list_entry_or_the_subject_changes() {
    let entities = un();
    let index = Index::build(entities.clone(), vec!["un-sc@a".into()]);
    let subject = json!({"id": "cust-7", "name": "Abdul Rahman Yasin"});
    let screen = |index: &Index| {
        let q = Query {
            name: "Abdul Rahman Yasin".into(),
            ..Query::default()
        };
        index
            .screen(&q, &Options::default())
            .into_iter()
            .map(|m| serde_json::to_value(m).unwrap())
            .collect::<Vec<_>>()
    };
    let matches = screen(&index);
    assert!(!matches.is_empty(), "the name matches a UN entry");
    let entity_id = matches[0]["entity_id"].as_str().unwrap().to_string();
    let mut store = SqliteStore::open_in_memory().unwrap();

    let first = raise_name(&mut store, &index, &subject, &matches)
        .alert_id
        .unwrap();
    let raised = store.alert(first).unwrap().unwrap();
    assert_eq!(
        raised
            .alert
            .origin
            .as_ref()
            .map(|o| (o.via.as_str(), o.threshold)),
        Some(("api", Some(0.7))),
        "the alert says who raised it and at which threshold"
    );
    assert!(
        decide(
            &mut store,
            &index,
            first,
            review(Action::FalsePositive, "alice", "")
        )
        .is_err(),
        "a reason is required"
    );
    // A listed person: one reviewer's false positive suppresses nothing yet.
    decide(
        &mut store,
        &index,
        first,
        review(Action::FalsePositive, "alice", "different date of birth"),
    )
    .unwrap();
    assert_eq!(
        store.alerts(Some("open"), None, 10).unwrap().len(),
        1,
        "still in the queue"
    );
    let again = raise_name(&mut store, &index, &subject, &matches);
    assert_eq!(
        again.alert_id,
        Some(first),
        "the next screening keeps the alert open"
    );
    assert!(again.matches.iter().all(|m| m.get("suppressed").is_none()));
    let refused = decide(
        &mut store,
        &index,
        first,
        review(Action::FalsePositive, "alice", "me again"),
    );
    assert!(refused.unwrap_err().to_string().contains("second reviewer"));
    decide(
        &mut store,
        &index,
        first,
        review(Action::FalsePositive, "bob", "agreed: born 1960"),
    )
    .unwrap();
    assert!(
        store.alerts(Some("open"), None, 10).unwrap().is_empty(),
        "it left the queue"
    );

    // The same screening again: suppressed, no alert, but audited; the answer says
    // which suppression hid the match and who approved it.
    let suppressed = raise_name(&mut store, &index, &subject, &matches);
    assert_eq!(suppressed.alert_id, None);
    let hidden = suppressed
        .matches
        .iter()
        .find(|m| m["entity_id"] == entity_id.as_str())
        .unwrap();
    assert_eq!(hidden["suppressed"], true);
    assert_eq!(
        hidden["suppression"]["approved_by"],
        json!(["alice", "bob"])
    );
    assert_eq!(hidden["suppression"]["alert_id"], first);
    let audit = store.audit_entries(1, 100).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "alert.suppressed" && e.body.contains(&entity_id)));

    // Revoked: the match alerts again.
    let suppression_id = hidden["suppression"]["id"].as_i64().unwrap();
    assert!(
        revoke_suppression(&mut store, suppression_id, "carol", " ", AT).is_err(),
        "a reason is required"
    );
    revoke_suppression(
        &mut store,
        suppression_id,
        "carol",
        "customer moved to Iraq",
        AT,
    )
    .unwrap();
    let reraised = raise_name(&mut store, &index, &subject, &matches);
    let reopened_by_revocation = reraised.alert_id.unwrap();
    assert!(reopened_by_revocation != first);
    two_reviewers_clear(&mut store, &index, reopened_by_revocation);
    assert_eq!(
        raise_name(&mut store, &index, &subject, &matches).alert_id,
        None
    );

    // The customer's record changes: the match is looked at again.
    let moved = json!({"id": "cust-7", "name": "Abdul Rahman Yasin", "country": "IQ"});
    let reopened = raise_name(&mut store, &index, &moved, &matches).alert_id;
    assert!(reopened.is_some_and(|id| id != reopened_by_revocation));
    two_reviewers_clear(&mut store, &index, reopened.unwrap());
    assert_eq!(
        raise_name(&mut store, &index, &moved, &matches).alert_id,
        None
    );

    // The list entry changes (a new alias in a new list version): reopened too.
    let mut amended = entities.clone();
    let e = amended.iter_mut().find(|e| e.id == entity_id).unwrap();
    e.names
        .push(Name::new("ABU RAHMAN AL-IRAQI", NameKind::WeakAlias));
    let new_index = Index::build(amended, vec!["un-sc@b".into()]);
    let matches = screen(&new_index);
    let again = raise_name(&mut store, &new_index, &moved, &matches).alert_id;
    assert!(
        again.is_some(),
        "an amended list entry reopens the false positive"
    );
    let alert = store.alert(again.unwrap()).unwrap().unwrap();
    assert!(alert
        .alert
        .matches
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["entity_id"] == entity_id.as_str() && m.get("suppressed").is_none()));
    assert!(store.verify_audit().unwrap().intact);
}
