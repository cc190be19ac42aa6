//! The SQLite store on a real database file.

use redline_model::{Entity, Name, NameKind, Schema, SourceId};
use redline_store::{ListStore, NewVersion, SqliteStore};

fn person(id: &str, name: &str) -> Entity {
    let mut e = Entity::new(SourceId::UnSc, id, Schema::Person);
    e.add_name(Name::new(name, NameKind::Primary));
    e
}

fn new_version(loaded_at: &str) -> NewVersion {
    NewVersion {
        source: SourceId::UnSc,
        published: None,
        loaded_at: loaded_at.into(),
        files: vec!["un.xml".into()],
        file_hash: "00".into(),
        warnings: 0,
    }
}

#[test]
fn versions_are_immutable_and_one_is_active() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redline.db");
    let mut store = SqliteStore::open(&path).unwrap();
    let v1_entities = vec![person("1", "A"), person("2", "B")];
    let (v1, created) = store
        .save_version(new_version("2026-01-01T00:00:00Z"), &v1_entities)
        .unwrap();
    assert!(created);
    assert!(v1.id.starts_with("un-sc@2026-01-01-"));
    assert_eq!(v1.counts.entities, 2);
    let (v2, _) = store
        .save_version(
            new_version("2026-01-02T00:00:00Z"),
            &[person("1", "A"), person("3", "C")],
        )
        .unwrap();
    drop(store);

    // Reopened from disk, both versions are there and only the newest is active.
    let mut store = SqliteStore::open(&path).unwrap();
    let versions = store.versions().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(store.active_versions().unwrap(), vec![v2.clone()]);
    assert_eq!(store.entities(&v1.id).unwrap(), v1_entities);
    assert_eq!(
        store.entity(&v2.id, "un-sc:3").unwrap().unwrap().caption(),
        "C"
    );
    // Loading the same content again re-activates the existing version.
    let (again, created) = store
        .save_version(new_version("2026-01-03T00:00:00Z"), &v1_entities)
        .unwrap();
    assert!(!created);
    assert_eq!(again.id, v1.id);
    assert!(again.active);
    assert_eq!(store.versions().unwrap().len(), 2);
    // Prefixes resolve.
    assert_eq!(store.version(&v2.id[..20]).unwrap().id, v2.id);
}

#[test]
fn a_failed_save_changes_nothing() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let (v1, _) = store
        .save_version(new_version("2026-01-01T00:00:00Z"), &[person("1", "A")])
        .unwrap();
    // Two entities with one id violate the version's key half way through the insert.
    let err = store
        .save_version(
            new_version("2026-01-02T00:00:00Z"),
            &[person("2", "B"), person("2", "B2")],
        )
        .unwrap_err();
    assert!(err.to_string().contains("appears twice"), "{err}");
    assert_eq!(store.versions().unwrap().len(), 1);
    assert_eq!(store.active_versions().unwrap()[0].id, v1.id);
}

#[test]
fn api_keys_are_found_by_hash_and_stop_working_when_revoked() {
    use redline_store::{ApiKey, KeyStore, Role};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redline.db");
    let mut store = SqliteStore::open(&path).unwrap();
    let key = ApiKey {
        id: "rl_abcd1234".into(),
        role: Role::Review,
        label: "analysts".into(),
        created_at: "2026-01-01T00:00:00Z".into(),
        revoked_at: None,
    };
    store.create_key(&key, "hash-1").unwrap();
    // The same id or secret twice is refused.
    assert!(store.create_key(&key, "hash-2").is_err());
    assert_eq!(store.find_key("hash-1").unwrap(), Some(key.clone()));
    assert_eq!(store.find_key("hash-x").unwrap(), None);
    drop(store);

    // Keys survive a reopen; revoking keeps the row but stops the key.
    let mut store = SqliteStore::open(&path).unwrap();
    let revoked = store
        .revoke_key("rl_abcd1234", "2026-02-01T00:00:00Z")
        .unwrap();
    assert_eq!(revoked.revoked_at.as_deref(), Some("2026-02-01T00:00:00Z"));
    assert_eq!(store.find_key("hash-1").unwrap(), None);
    assert_eq!(store.keys().unwrap().len(), 1);
    assert!(store.revoke_key("nope", "2026-02-01T00:00:00Z").is_err());

    assert!(Role::Admin.allows(Role::Screen));
    assert!(!Role::Screen.allows(Role::Review));
    assert_eq!("ADMIN".parse::<Role>().unwrap(), Role::Admin);
    assert!("root".parse::<Role>().is_err());
}

#[test]
fn decisions_and_policies_are_kept_for_replay() {
    use redline_store::{DecisionStore, NewDecision};
    let mut store = SqliteStore::open_in_memory().unwrap();
    let d = NewDecision {
        kind: "payment".into(),
        created_at: "2026-11-27T00:00:00Z".into(),
        input: b"{1:F01...}".to_vec(),
        input_sha256: "abc".into(),
        list_versions: vec!["ofac-sdn@2024-05-03-901f2e2731dc".into()],
        policy_version: Some("default@0123456789ab".into()),
        verdict: "HOLD".into(),
        body: serde_json::json!({"decision": "HOLD", "hits": [1, 2]}),
    };
    let a = store.record_decision(&d).unwrap();
    let b = store.record_decision(&d).unwrap();
    assert_ne!(a, b, "every decision is its own record");
    let back = store.decision(a).unwrap().unwrap();
    assert_eq!(back.decision, d);
    assert!(store.decision(999).unwrap().is_none());
    store
        .save_policy("default@0123456789ab", "hold_threshold = 0.84")
        .unwrap();
    store
        .save_policy("default@0123456789ab", "hold_threshold = 0.84")
        .unwrap();
    assert_eq!(
        store.policy("default@0123456789ab").unwrap().as_deref(),
        Some("hold_threshold = 0.84")
    );
    assert_eq!(store.policy("other").unwrap(), None);
}

#[test]
fn subjects_and_their_matches_update_in_one_step() {
    use redline_store::{SubjectMatch, SubjectStore};
    let mut store = SqliteStore::open_in_memory().unwrap();
    store
        .put_subjects(&[
            ("s1".into(), "{\"name\":\"A\"}".into()),
            ("s2".into(), "{\"name\":\"B\"}".into()),
        ])
        .unwrap();
    assert_eq!(store.subject_count().unwrap(), 2);
    let m = |s: &str, e: &str, score| SubjectMatch {
        subject_id: s.into(),
        entity_id: e.into(),
        score,
    };
    store
        .update_matches(
            &[],
            &[],
            &[m("s1", "e1", 0.9), m("s2", "e2", 0.95)],
            &["v1".into()],
        )
        .unwrap();
    // A rescreen touching e2 replaces its matches and records the new versions.
    store
        .update_matches(&[], &["e2".into()], &[m("s1", "e2", 0.88)], &["v2".into()])
        .unwrap();
    assert_eq!(
        store.subject_matches().unwrap(),
        vec![m("s1", "e1", 0.9), m("s1", "e2", 0.88)]
    );
    assert_eq!(store.screened_versions().unwrap(), vec!["v2"]);
    // Re-importing s1 drops all its matches.
    store
        .update_matches(&["s1".into()], &[], &[], &["v2".into()])
        .unwrap();
    assert!(store.subject_matches().unwrap().is_empty());
}

#[test]
fn the_audit_chain_names_the_first_edited_or_deleted_entry() {
    use redline_store::AuditStore;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redline.db");
    let mut store = SqliteStore::open(&path).unwrap();
    for i in 1..=5 {
        let e = store
            .append_audit(
                "2026-11-27T00:00:00Z",
                "screening.payment",
                "cli",
                &serde_json::json!({"n": i}),
            )
            .unwrap();
        assert_eq!(e.seq, i);
    }
    assert!(store.verify_audit().unwrap().intact);
    let conn = rusqlite::Connection::open(&path).unwrap();
    // Editing one row's body is found at that row.
    conn.execute("UPDATE audit_log SET body = '{\"n\":99}' WHERE seq = 3", [])
        .unwrap();
    let v = store.verify_audit().unwrap();
    assert_eq!((v.intact, v.first_broken), (false, Some(3)), "{v:?}");
    assert!(v.problem.unwrap().contains("altered"));
    conn.execute("UPDATE audit_log SET body = '{\"n\":3}' WHERE seq = 3", [])
        .unwrap();
    assert!(
        store.verify_audit().unwrap().intact,
        "restored exactly, it holds again"
    );
    // Deleting a row in the middle, or the newest, is found too.
    conn.execute("DELETE FROM audit_log WHERE seq = 5", [])
        .unwrap();
    let v = store.verify_audit().unwrap();
    assert!(!v.intact && v.problem.unwrap().contains("removed from the end"));
    conn.execute("DELETE FROM audit_log WHERE seq = 2", [])
        .unwrap();
    let v = store.verify_audit().unwrap();
    assert_eq!(v.first_broken, Some(2));
}

#[test]
fn store_check_names_orphans_and_a_broken_chain() {
    use redline_store::AuditStore;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("redline.db");
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 8);
    store
        .save_version(new_version("2026-01-01T00:00:00Z"), &[person("1", "A")])
        .unwrap();
    store
        .append_audit(
            "2026-01-01T00:00:00Z",
            "lists.load",
            "cli",
            &serde_json::json!({}),
        )
        .unwrap();
    assert!(store.check().unwrap().is_empty());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DELETE FROM entity_bodies;
         INSERT INTO subject_matches (subject_id, entity_id, score) VALUES ('ghost', 'e', 0.9);
         UPDATE audit_log SET actor = 'mallory' WHERE seq = 1;",
    )
    .unwrap();
    let problems = store.check().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("version entities without a stored body: 1")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("subject matches of a missing subject: 1")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("audit trail broken at entry 1")),
        "{problems:?}"
    );
}
