//! Review rules against a real store and real list entries: remembered false
//! positives, and what reopens them.

use redline_alerts::Action;
use redline_matching::{Index, Options, Query};
use redline_model::{Entity, Name, NameKind, SourceId};
use redline_server::review::{decide, raise};
use redline_sources::{parse, InputFile};
use redline_store::{AlertStore, AuditStore, SqliteStore};
use serde_json::json;

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
    let at = "2026-11-27T00:00:00Z";

    let first = raise(
        &mut store, &index, "name", "cust-7", &subject, &matches, None, "api", at,
    )
    .unwrap()
    .unwrap();
    assert!(
        decide(
            &mut store,
            &index,
            first,
            Action::FalsePositive,
            "alice",
            "",
            at
        )
        .is_err(),
        "a reason is required"
    );
    decide(
        &mut store,
        &index,
        first,
        Action::FalsePositive,
        "alice",
        "different date of birth",
        at,
    )
    .unwrap();
    assert!(
        store.alerts(Some("open"), None, 10).unwrap().is_empty(),
        "it left the queue"
    );

    // The same screening again: suppressed, no alert, but audited.
    assert_eq!(
        raise(&mut store, &index, "name", "cust-7", &subject, &matches, None, "api", at).unwrap(),
        None
    );
    let audit = store.audit_entries(1, 100).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "alert.suppressed" && e.body.contains(&entity_id)));

    // The customer's record changes: the match is looked at again.
    let moved = json!({"id": "cust-7", "name": "Abdul Rahman Yasin", "country": "IQ"});
    let reopened = raise(
        &mut store, &index, "name", "cust-7", &moved, &matches, None, "api", at,
    )
    .unwrap();
    assert!(reopened.is_some_and(|id| id != first));
    decide(
        &mut store,
        &index,
        reopened.unwrap(),
        Action::FalsePositive,
        "alice",
        "still not him",
        at,
    )
    .unwrap();
    assert_eq!(
        raise(&mut store, &index, "name", "cust-7", &moved, &matches, None, "api", at).unwrap(),
        None
    );

    // The list entry changes (a new alias in a new list version): reopened too.
    let mut amended = entities.clone();
    let e = amended.iter_mut().find(|e| e.id == entity_id).unwrap();
    e.names
        .push(Name::new("ABU RAHMAN AL-IRAQI", NameKind::WeakAlias));
    let new_index = Index::build(amended, vec!["un-sc@b".into()]);
    let matches = screen(&new_index);
    let again = raise(
        &mut store, &new_index, "name", "cust-7", &moved, &matches, None, "api", at,
    )
    .unwrap();
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
