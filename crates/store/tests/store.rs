//! The store suite, run against both backends: SQLite on a real database file and
//! PostgreSQL on a fresh database of a real server (`REDLINE_TEST_DATABASE_URL`; see
//! `redline_store::testing`). Every test is written once, against `dyn Store`.

use redline_model::{Entity, Name, NameKind, Schema, SourceId};
use redline_store::testing::TempDatabase;
use redline_store::{Location, NewVersion, Store};

/// A database on one backend that tests can open (again and again: each open is a
/// new connection) and tamper with behind the store's back.
trait Fixture: Sync {
    fn location(&self) -> Location;
    fn open(&self) -> Box<dyn Store> {
        redline_store::open(&self.location()).unwrap()
    }
    /// Runs SQL directly, with foreign keys not enforced (to plant orphans).
    fn tamper(&self, sql: &str);
    /// SQL that sets the recorded schema version, as a later Redline would.
    fn schema_version_sql(&self, version: i64) -> String;
}

struct SqliteFixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

impl SqliteFixture {
    fn new() -> SqliteFixture {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("redline.db");
        SqliteFixture { _dir: dir, path }
    }
}

impl Fixture for SqliteFixture {
    fn location(&self) -> Location {
        Location::Sqlite(self.path.clone())
    }
    fn schema_version_sql(&self, version: i64) -> String {
        format!("PRAGMA user_version = {version}")
    }
    fn tamper(&self, sql: &str) {
        let conn = rusqlite::Connection::open(&self.path).unwrap();
        conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"))
            .unwrap();
    }
}

struct PgFixture(TempDatabase);

impl Fixture for PgFixture {
    fn location(&self) -> Location {
        Location::Postgres(self.0.url.clone())
    }
    fn schema_version_sql(&self, version: i64) -> String {
        format!("UPDATE redline_schema SET version = {version}")
    }
    fn tamper(&self, sql: &str) {
        self.0.execute(&format!(
            "ALTER TABLE version_entities DROP CONSTRAINT IF EXISTS version_entities_hash_fkey;
             ALTER TABLE alert_actions DROP CONSTRAINT IF EXISTS alert_actions_alert_id_fkey;
             {sql}"
        ));
    }
}

/// Writes each test once and runs it on both backends: `sqlite::name` and
/// `postgres::name`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name(&super::SqliteFixture::new());
            })*
        }
        mod postgres {
            $(#[test]
            fn $name() {
                if let Some(db) = super::TempDatabase::create() {
                    super::$name(&super::PgFixture(db));
                }
            })*
        }
    };
}

on_both_backends!(
    versions_are_immutable_and_one_is_active,
    a_failed_save_changes_nothing,
    api_keys_are_found_by_hash_and_stop_working_when_revoked,
    decisions_and_policies_are_kept_for_replay,
    subjects_and_their_matches_update_in_one_step,
    the_audit_chain_names_the_first_edited_or_deleted_entry,
    store_check_names_orphans_and_a_broken_chain,
    a_newer_schema_is_refused,
    a_failed_transaction_leaves_nothing,
    concurrent_writers_keep_one_chain_and_one_alert_per_subject,
    a_lease_has_one_holder_until_it_expires,
    alerts_move_once_and_keep_their_history,
    ui_sessions_are_shared_and_expire,
    the_queue_pages_filters_and_counts,
    the_audit_trail_pages_and_filters,
);

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

fn versions_are_immutable_and_one_is_active(f: &dyn Fixture) {
    let mut store = f.open();
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

    // Reopened, both versions are there and only the newest is active.
    let mut store = f.open();
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

fn a_failed_save_changes_nothing(f: &dyn Fixture) {
    let mut store = f.open();
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

fn api_keys_are_found_by_hash_and_stop_working_when_revoked(f: &dyn Fixture) {
    use redline_store::{ApiKey, Role};
    let mut store = f.open();
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
    let mut store = f.open();
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

fn decisions_and_policies_are_kept_for_replay(f: &dyn Fixture) {
    use redline_store::NewDecision;
    let mut store = f.open();
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

fn subjects_and_their_matches_update_in_one_step(f: &dyn Fixture) {
    use redline_store::SubjectMatch;
    let mut store = f.open();
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

fn the_audit_chain_names_the_first_edited_or_deleted_entry(f: &dyn Fixture) {
    let mut store = f.open();
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
    // Editing one row's body is found at that row.
    f.tamper("UPDATE audit_log SET body = '{\"n\":99}' WHERE seq = 3");
    let v = store.verify_audit().unwrap();
    assert_eq!((v.intact, v.first_broken), (false, Some(3)), "{v:?}");
    assert!(v.problem.unwrap().contains("altered"));
    f.tamper("UPDATE audit_log SET body = '{\"n\":3}' WHERE seq = 3");
    assert!(
        store.verify_audit().unwrap().intact,
        "restored exactly, it holds again"
    );
    // Deleting a row in the middle, or the newest, is found too.
    f.tamper("DELETE FROM audit_log WHERE seq = 5");
    let v = store.verify_audit().unwrap();
    assert!(!v.intact && v.problem.unwrap().contains("removed from the end"));
    f.tamper("DELETE FROM audit_log WHERE seq = 2");
    let v = store.verify_audit().unwrap();
    assert_eq!(v.first_broken, Some(2));
}

fn store_check_names_orphans_and_a_broken_chain(f: &dyn Fixture) {
    let mut store = f.open();
    assert_eq!(store.schema_version().unwrap(), 13);
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
    f.tamper(
        "DELETE FROM entity_bodies;
         INSERT INTO subject_matches (subject_id, entity_id, score) VALUES ('ghost', 'e', 0.9);
         UPDATE audit_log SET actor = 'mallory' WHERE seq = 1;",
    );
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

fn a_newer_schema_is_refused(f: &dyn Fixture) {
    drop(f.open());
    f.tamper(&f.schema_version_sql(99));
    let err = match redline_store::open(&f.location()) {
        Ok(_) => panic!("a newer schema was opened"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("newer than this Redline"), "{err}");
}

fn a_failed_transaction_leaves_nothing(f: &dyn Fixture) {
    use redline_store::{NewAlert, NewDecision, StoreError};
    let mut store = f.open();
    let decision = NewDecision {
        kind: "payment".into(),
        created_at: "2026-11-28T00:00:00Z".into(),
        input: b"<Document/>".to_vec(),
        input_sha256: "abc".into(),
        list_versions: vec![],
        policy_version: None,
        verdict: "HOLD".into(),
        body: serde_json::json!({}),
    };
    let alert = |decision_id| NewAlert {
        kind: "payment".into(),
        subject_key: "abc".into(),
        subject: serde_json::json!({}),
        matches: serde_json::json!([]),
        list_versions: vec![],
        decision_id: Some(decision_id),
        at: "2026-11-28T00:00:00Z".into(),
        origin: None,
    };
    // A decision, its alert and its audit entry, then a failure: none of them stays.
    let err = redline_store::atomically(store.as_mut(), |s| {
        let id = s.record_decision(&decision)?;
        s.raise_alert(&alert(id))?;
        s.append_audit(
            "2026-11-28T00:00:00Z",
            "screening.payment",
            "cli",
            &serde_json::json!({"decision_id": id}),
        )?;
        Err::<(), _>(StoreError::Invalid("the process died here".into()))
    })
    .unwrap_err();
    assert!(err.to_string().contains("died here"));
    assert!(store.alerts(None, None, 10).unwrap().is_empty());
    assert_eq!(store.verify_audit().unwrap().entries, 0);
    // The same writes without a failure all land, and nested transactions join the
    // outer one.
    let id = redline_store::atomically(store.as_mut(), |s| {
        let id = s.record_decision(&decision)?;
        redline_store::atomically(s, |s| s.raise_alert(&alert(id)))?;
        s.append_audit(
            "2026-11-28T00:00:00Z",
            "screening.payment",
            "cli",
            &serde_json::json!({"decision_id": id}),
        )?;
        Ok(id)
    })
    .unwrap();
    assert!(store.decision(id).unwrap().is_some());
    assert_eq!(store.alerts(None, None, 10).unwrap().len(), 1);
    assert!(store.verify_audit().unwrap().intact);
    assert!(store.check().unwrap().is_empty());
}

/// Four connections (four replicas, as far as the database can tell) append to the
/// audit trail and raise alerts on the same subjects at once.
fn concurrent_writers_keep_one_chain_and_one_alert_per_subject(f: &dyn Fixture) {
    use redline_store::NewAlert;
    const WRITERS: usize = 4;
    const EACH: usize = 40;
    drop(f.open());
    std::thread::scope(|scope| {
        for w in 0..WRITERS {
            scope.spawn(move || {
                let mut store = f.open();
                for i in 0..EACH {
                    let subject_key = format!("subject-{}", i % 10);
                    redline_store::atomically(store.as_mut(), |s| {
                        let (id, _) = s.raise_alert(&NewAlert {
                            kind: "name".into(),
                            subject_key: subject_key.clone(),
                            subject: serde_json::json!({"writer": w}),
                            matches: serde_json::json!([{"entity_id": "un-sc:1"}]),
                            list_versions: vec![],
                            decision_id: None,
                            at: "2026-11-28T00:00:00Z".into(),
                            origin: None,
                        })?;
                        s.append_audit(
                            "2026-11-28T00:00:00Z",
                            "alert.raise",
                            &format!("writer-{w}"),
                            &serde_json::json!({"alert": id}),
                        )
                    })
                    .unwrap();
                }
            });
        }
    });
    let store = f.open();
    let chain = store.verify_audit().unwrap();
    assert!(chain.intact, "{chain:?}");
    assert_eq!(chain.entries, (WRITERS * EACH) as i64);
    let alerts = store.alerts(None, None, 1000).unwrap();
    assert_eq!(alerts.len(), 10, "one open alert per subject");
}

fn a_lease_has_one_holder_until_it_expires(f: &dyn Fixture) {
    let mut a = f.open();
    let mut b = f.open();
    assert!(a.take_lease("rescreen", "replica-a", 1_000, 60).unwrap());
    assert!(!b.take_lease("rescreen", "replica-b", 1_010, 60).unwrap());
    // The holder renews; the other still waits.
    assert!(a.take_lease("rescreen", "replica-a", 1_050, 60).unwrap());
    assert!(!b.take_lease("rescreen", "replica-b", 1_100, 60).unwrap());
    // A holder that died stops blocking once its lease runs out.
    assert!(b.take_lease("rescreen", "replica-b", 1_110, 60).unwrap());
    assert!(!a.take_lease("rescreen", "replica-a", 1_120, 60).unwrap());
    // Releasing is only the holder's to do.
    a.release_lease("rescreen", "replica-a").unwrap();
    assert!(!a.take_lease("rescreen", "replica-a", 1_130, 60).unwrap());
    b.release_lease("rescreen", "replica-b").unwrap();
    assert!(a.take_lease("rescreen", "replica-a", 1_140, 60).unwrap());
}

fn alerts_move_once_and_keep_their_history(f: &dyn Fixture) {
    use redline_store::{AlertActionRecord, DispositionRecord, NewAlert};
    let mut store = f.open();
    let new = NewAlert {
        kind: "name".into(),
        subject_key: "q1".into(),
        subject: serde_json::json!({"name": "Ivan Petrov"}),
        matches: serde_json::json!([{"entity_id": "un-sc:1", "score": 0.9}]),
        list_versions: vec!["un-sc@2026-01-01-000000000000".into()],
        decision_id: None,
        at: "2026-11-28T00:00:00Z".into(),
        origin: Some(redline_store::AlertOrigin {
            via: "api".into(),
            by: "rl_screener".into(),
            threshold: Some(0.57),
        }),
    };
    let (id, created) = store.raise_alert(&new).unwrap();
    assert!(created);
    assert_eq!(store.raise_alert(&new).unwrap(), (id, false));
    let action = |from: &str, to: &str| AlertActionRecord {
        at: "2026-11-28T01:00:00Z".into(),
        actor: "rl_reviewer".into(),
        action: "close".into(),
        from_status: from.into(),
        to_status: to.into(),
        reason: "different person".into(),
    };
    store
        .assign_alert(id, Some("alice"), &action("open", "open"))
        .unwrap();
    store
        .record_alert_action(id, &action("open", "closed_false_positive"))
        .unwrap();
    // A second decision from a stale view is refused, not applied twice.
    assert!(store
        .record_alert_action(id, &action("open", "closed_false_positive"))
        .is_err());
    let back = store.alert(id).unwrap().unwrap();
    assert_eq!(back.status, "closed_false_positive");
    assert_eq!(back.assignee.as_deref(), Some("alice"));
    assert_eq!(back.alert.matches, new.matches);
    assert_eq!(
        back.alert.origin, new.origin,
        "who raised it, at which threshold"
    );
    assert_eq!(store.alert_actions(id).unwrap().len(), 2);
    assert!(store.open_alert("name", "q1").unwrap().is_none());
    assert_eq!(store.alerts(Some("open"), None, 10).unwrap().len(), 0);
    assert_eq!(
        store
            .alerts(Some("closed_false_positive"), Some("name"), 10)
            .unwrap()
            .len(),
        1
    );
    // A closed alert does not absorb the next screening: a new one opens.
    let (next, created) = store.raise_alert(&new).unwrap();
    assert!(created && next != id);
    let d = DispositionRecord {
        id: 0,
        subject_key: "q1".into(),
        entity_id: "un-sc:1".into(),
        subject_hash: "s".into(),
        entity_hash: "e".into(),
        alert_id: id,
        actor: "rl_reviewer".into(),
        second_actor: Some("rl_second".into()),
        at: "2026-11-28T01:00:00Z".into(),
        revoked_at: None,
        revoked_by: None,
    };
    let first = store.put_disposition(&d).unwrap();
    // The same pair again replaces it: one in force, the older one kept as revoked.
    let second = store.put_disposition(&d).unwrap();
    assert_ne!(first, second);
    assert_eq!(
        store.dispositions("q1").unwrap(),
        vec![DispositionRecord {
            id: second,
            ..d.clone()
        }]
    );
    assert!(store.dispositions("q2").unwrap().is_empty());
    assert_eq!(store.suppressions(false, 10).unwrap().len(), 1);
    let history = store.suppressions(true, 10).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].revoked_by.as_deref(), Some("rl_reviewer"));
    assert_eq!(history[0].approved_by(), ["rl_reviewer", "rl_second"]);
    let revoked = store
        .revoke_suppression(second, "rl_admin", "2026-11-29T00:00:00Z")
        .unwrap();
    assert_eq!(revoked.revoked_by.as_deref(), Some("rl_admin"));
    assert!(store.dispositions("q1").unwrap().is_empty());
    let again = store.revoke_suppression(second, "rl_admin", "2026-11-29T00:00:00Z");
    assert!(again.unwrap_err().to_string().contains("already revoked"));
    // Ownership files are kept once per content.
    let (oid, added) = store
        .add_ownership_file("o.csv", b"owner,owned,percent", "", "2026-11-28T00:00:00Z")
        .unwrap();
    assert!(added);
    assert_eq!(
        store
            .add_ownership_file(
                "again.csv",
                b"owner,owned,percent",
                "",
                "2026-11-28T00:00:00Z"
            )
            .unwrap(),
        (oid.clone(), false)
    );
    assert_eq!(store.ownership_files().unwrap().len(), 1);
    // The same bytes read with other options are another file, and keep them.
    let (mapped, added) = store
        .add_ownership_file(
            "o.csv",
            b"owner,owned,percent",
            "format=csv",
            "2026-11-28T00:00:00Z",
        )
        .unwrap();
    assert!(added && mapped != oid);
    let files = store.ownership_files().unwrap();
    assert_eq!(files[1].options, "format=csv");
    assert_eq!(files[0].options, "");
}

/// A list load on one connection is announced to listeners on others (PostgreSQL
/// only: SQLite serves one node, whose watcher polls).
#[test]
fn postgres_list_loads_are_announced() {
    let Some(db) = TempDatabase::create() else {
        return;
    };
    let f = PgFixture(db);
    let mut store = f.open();
    let mut changes = redline_store::ListChanges::listen(&f.0.url).unwrap();
    let quiet = std::time::Duration::from_millis(200);
    assert!(!changes.wait(quiet).unwrap(), "nothing loaded yet");
    store
        .save_version(new_version("2026-01-01T00:00:00Z"), &[person("1", "A")])
        .unwrap();
    store
        .save_version(new_version("2026-01-02T00:00:00Z"), &[person("2", "B")])
        .unwrap();
    assert!(changes.wait(std::time::Duration::from_secs(10)).unwrap());
    // The listener drains a burst: two loads wake it once, or, should the second
    // notice reach this connection late on a busy machine, twice — never more.
    let mut late = 0;
    while changes.wait(quiet).unwrap() {
        late += 1;
        assert!(late <= 1, "two loads woke the listener {} times", late + 1);
    }
    // A failed load announces nothing (the notice is sent only at commit).
    assert!(store
        .save_version(
            new_version("2026-01-03T00:00:00Z"),
            &[person("3", "C"), person("3", "C")]
        )
        .is_err());
    assert!(!changes.wait(quiet).unwrap());
}

/// A session opened through one connection (replica) is found through another, its
/// one-shot message shows once, and it ends at its expiry or when deleted.
fn ui_sessions_are_shared_and_expire(f: &dyn Fixture) {
    use redline_store::SessionRecord;
    let mut a = f.open();
    let mut b = f.open();
    let session = |token: &str, expires_at| SessionRecord {
        token_sha256: token.into(),
        key_sha256: "key-hash".into(),
        csrf: "csrf-token".into(),
        expires_at,
        flash: None,
    };
    a.put_session(&session("t1", 2_000), 1_000).unwrap();
    a.put_session(&session("t2", 1_500), 1_000).unwrap();
    assert_eq!(b.session("t1", 1_100).unwrap(), Some(session("t1", 2_000)));
    assert_eq!(b.session("nope", 1_100).unwrap(), None);
    b.flash("t1", Some("Alert 7 closed")).unwrap();
    assert_eq!(
        a.flash("t1", None).unwrap().as_deref(),
        Some("Alert 7 closed")
    );
    assert_eq!(a.flash("t1", None).unwrap(), None, "shown once");
    // Expired: not found, and dropped at the next sign-in.
    assert_eq!(b.session("t2", 1_600).unwrap(), None);
    a.put_session(&session("t3", 3_000), 1_600).unwrap();
    f.tamper("UPDATE ui_sessions SET expires_at = 9999 WHERE token_sha256 = 't2'");
    assert_eq!(
        b.session("t2", 1_600).unwrap(),
        None,
        "pruned, not just hidden"
    );
    b.delete_session("t1").unwrap();
    assert_eq!(a.session("t1", 1_100).unwrap(), None);
}

/// 1,000 open alerts: a page deep in the queue, the total behind it, and each filter
/// and sort order answered by the store (the same SQL on both backends).
fn the_queue_pages_filters_and_counts(f: &dyn Fixture) {
    use redline_store::{AlertQuery, AlertSort, NewAlert};
    let mut store = f.open();
    redline_store::atomically(store.as_mut(), |s| {
        for i in 1..=1000i64 {
            let (source, program) = if i % 10 == 0 {
                ("un-sc", "DPRK")
            } else {
                ("us-ofac-sdn", "RUSSIA-EO14024")
            };
            s.raise_alert(&NewAlert {
                kind: if i % 2 == 0 { "payment" } else { "name" }.into(),
                subject_key: format!("subject-{i}"),
                subject: serde_json::json!({"name": format!("Name {i}")}),
                matches: serde_json::json!([{
                    "entity_id": format!("{source}:{i}"), "source": source,
                    "programs": [program], "score": 0.5 + (i % 50) as f64 / 100.0
                }]),
                list_versions: vec![],
                decision_id: None,
                at: format!(
                    "2026-{:02}-{:02}T00:00:00Z",
                    1 + (i - 1) / 100,
                    1 + (i - 1) % 28
                ),
                origin: None,
            })?;
        }
        Ok(())
    })
    .unwrap();
    let page = |q: AlertQuery| store.alert_page(&AlertQuery { limit: 100, ..q }).unwrap();
    let deep = page(AlertQuery {
        status: Some("open".into()),
        offset: 900,
        ..AlertQuery::default()
    });
    assert_eq!(deep.total, 1000);
    assert_eq!(deep.alerts.len(), 100);
    assert_eq!(deep.alerts[0].id, 901, "oldest first by default");
    let first = page(AlertQuery::default());
    assert_eq!(first.alerts[0].id, 1);
    let newest = page(AlertQuery {
        sort: AlertSort::Newest,
        ..AlertQuery::default()
    });
    assert_eq!(newest.alerts[0].id, 1000);
    let un = page(AlertQuery {
        source: Some("un-sc".into()),
        ..AlertQuery::default()
    });
    assert_eq!(un.total, 100);
    assert!(un.alerts.iter().all(|a| a.id % 10 == 0));
    let dprk_payments = page(AlertQuery {
        program: Some("DPRK".into()),
        kind: Some("payment".into()),
        ..AlertQuery::default()
    });
    assert_eq!(dprk_payments.total, 100);
    let high = page(AlertQuery {
        min_score: Some(0.95),
        sort: AlertSort::Score,
        ..AlertQuery::default()
    });
    assert_eq!(high.total, 100, "scores 0.95 to 0.99: 5 in every 50");
    assert!((high.alerts[0].alert.matches[0]["score"].as_f64().unwrap() - 0.99).abs() < 1e-9);
    let band = page(AlertQuery {
        min_score: Some(0.5),
        max_score: Some(0.6),
        ..AlertQuery::default()
    });
    assert_eq!(band.total, 220, "both bounds are in the band");
    let old = page(AlertQuery {
        raised_before: Some("2026-01-31T23:59:59Z".into()),
        ..AlertQuery::default()
    });
    assert_eq!(old.total, 100);
    // Assignment is a filter too: one alert given to alice, the rest nobody's.
    store
        .assign_alert(
            7,
            Some("alice"),
            &redline_store::AlertActionRecord {
                at: "2026-12-01T00:00:00Z".into(),
                actor: "k1".into(),
                action: "assign".into(),
                from_status: "open".into(),
                to_status: "open".into(),
                reason: "assigned to alice".into(),
            },
        )
        .unwrap();
    let page = |q: AlertQuery| store.alert_page(&AlertQuery { limit: 100, ..q }).unwrap();
    let alice = page(AlertQuery {
        assignee: Some("alice".into()),
        ..AlertQuery::default()
    });
    assert_eq!((alice.total, alice.alerts[0].id), (1, 7));
    let nobody = page(AlertQuery {
        assignee: Some(String::new()),
        ..AlertQuery::default()
    });
    assert_eq!(nobody.total, 999);
    let updated = page(AlertQuery {
        sort: AlertSort::Updated,
        ..AlertQuery::default()
    });
    assert_eq!(updated.alerts[0].id, 7, "the alert changed last leads");
    // A filter value is matched literally, never as a pattern.
    let pattern = page(AlertQuery {
        program: Some("%".into()),
        ..AlertQuery::default()
    });
    assert_eq!(pattern.total, 0);
}

fn the_audit_trail_pages_and_filters(f: &dyn Fixture) {
    use redline_store::AuditQuery;
    let mut store = f.open();
    for i in 1..=30i64 {
        let (action, actor) = match i % 3 {
            0 => ("alert.decide", "reviewer-1"),
            1 => ("alert.raise", "batch"),
            _ => ("lists.load", "cli"),
        };
        store
            .append_audit(
                &format!("2026-12-{:02}T10:00:00Z", i),
                action,
                actor,
                &serde_json::json!({"alert_id": i % 5, "z": 1}),
            )
            .unwrap();
    }
    let page = |q: AuditQuery| store.audit_page(&AuditQuery { limit: 10, ..q }).unwrap();
    let all = page(AuditQuery::default());
    assert_eq!(all.total, 30);
    assert_eq!(all.entries[0].seq, 30, "newest first");
    let second = page(AuditQuery {
        offset: 10,
        ..AuditQuery::default()
    });
    assert_eq!(second.entries[0].seq, 20);
    let decided = page(AuditQuery {
        action: Some("alert.decide".into()),
        actor: Some("reviewer-1".into()),
        ..AuditQuery::default()
    });
    assert_eq!(decided.total, 10);
    let alerts = page(AuditQuery {
        action: Some("alert.".into()),
        ..AuditQuery::default()
    });
    assert_eq!(alerts.total, 20);
    let about_3 = page(AuditQuery {
        alert_id: Some(3),
        ..AuditQuery::default()
    });
    assert_eq!(about_3.total, 6);
    assert!(about_3
        .entries
        .iter()
        .all(|e| e.body.contains("\"alert_id\":3")));
    let days = page(AuditQuery {
        from: Some("2026-12-05".into()),
        to: Some("2026-12-07".into()),
        ..AuditQuery::default()
    });
    assert_eq!(days.total, 3, "the 5th, 6th and the whole of the 7th");
}
