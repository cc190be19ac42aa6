//! The embedded SQLite store: one file, no server.
//!
//! Tables: `entity_bodies` holds each distinct entity JSON once (keyed by its SHA-256),
//! `version_entities` says which bodies make up a version, `versions` holds the version
//! metadata and which version of each source is active.

use std::path::Path;

use redline_model::{Entity, SourceId};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, TransactionBehavior};

use crate::leases::{LeaseStore, RELEASE_LEASE_SQL, TAKE_LEASE_SQL};
use crate::sessions::{
    SessionRecord, SessionStore, DELETE_SESSION_SQL, GET_FLASH_SQL, GET_SESSION_SQL,
    PRUNE_SESSIONS_SQL, PUT_SESSION_SQL, SET_FLASH_SQL,
};

use crate::alerts::{AlertActionRecord, AlertRecord, AlertStore, DispositionRecord, NewAlert};
use crate::audit::{
    head_json, next_entry, parse_head, verify, AuditEntry, AuditStore, Verification,
};
use crate::decisions::{DecisionStore, NewDecision, StoredDecision};
use crate::keys::{ApiKey, KeyStore, Role};
use crate::ownership::{OwnershipFile, OwnershipStore};
use crate::queue::{alert_page_sql, audit_page_sql, Dialect, PageSql, SqlValue};
use crate::rows::{
    check_moved, decode_entity, finish_alert, finish_decision, finish_key, finish_version,
    not_revocable, origin_json, AlertRow, INSERT_ACTION_SQL, INSERT_SUPPRESSION_SQL, OPEN_STATUSES,
    REVOKE_SUPPRESSION_SQL, SUPERSEDE_SQL, SUPPRESSION_COLUMNS,
};
use crate::subjects::{SubjectMatch, SubjectStore};
use crate::{
    chain_problem, content_hash, entity_json, sha256_hex, version_id, Counts, ListStore,
    ListVersion, NewVersion, Result, Store, StoreError, ORPHAN_CHECKS,
};
use crate::{AlertFacets, AlertPage, AlertQuery, AuditPage, AuditQuery};

const SCHEMA_VERSION: i64 = 13;

pub struct SqliteStore {
    conn: Connection,
}

/// A built clause's value as SQLite binds it.
struct SqlParam(SqlValue);

impl rusqlite::ToSql for SqlParam {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(match &self.0 {
            SqlValue::Text(t) => t.to_sql()?,
            SqlValue::Real(r) => r.to_sql()?,
            SqlValue::Int(i) => i.to_sql()?,
        })
    }
}

impl SqliteStore {
    /// A page's rows, read by `read`, and the total its filter holds.
    fn page<T>(
        &self,
        sql: PageSql,
        read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<(Vec<T>, u64)> {
        let values: Vec<SqlParam> = sql.values.into_iter().map(SqlParam).collect();
        let total: i64 = self.conn.query_row(
            &sql.count,
            params_from_iter(&values[..sql.filter_len]),
            |r| r.get(0),
        )?;
        let mut stmt = self.conn.prepare(&sql.page)?;
        let rows = stmt
            .query_map(params_from_iter(&values), read)?
            .collect::<rusqlite::Result<_>>()?;
        Ok((rows, total as u64))
    }

    /// Opens (and creates or migrates) the store at `path`.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        let conn = Connection::open(path)?;
        Self::init(conn)
    }

    /// An in-memory store, for tests and one-off runs.
    pub fn open_in_memory() -> Result<SqliteStore> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<SqliteStore> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::Invalid(format!(
                "the store has schema version {version}, newer than this Redline ({SCHEMA_VERSION}); upgrade Redline"
            )));
        }
        if version < 1 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS versions (
                     id TEXT PRIMARY KEY,
                     seq INTEGER NOT NULL UNIQUE,
                     source TEXT NOT NULL,
                     published TEXT,
                     loaded_at TEXT NOT NULL,
                     files TEXT NOT NULL,
                     file_hash TEXT NOT NULL,
                     content_hash TEXT NOT NULL,
                     counts TEXT NOT NULL,
                     warnings INTEGER NOT NULL,
                     active INTEGER NOT NULL DEFAULT 0
                 );
                 CREATE UNIQUE INDEX IF NOT EXISTS one_active_per_source
                     ON versions(source) WHERE active = 1;
                 CREATE TABLE IF NOT EXISTS entity_bodies (
                     hash TEXT PRIMARY KEY,
                     body TEXT NOT NULL
                 );
                 CREATE TABLE IF NOT EXISTS version_entities (
                     version_id TEXT NOT NULL REFERENCES versions(id),
                     entity_id TEXT NOT NULL,
                     hash TEXT NOT NULL REFERENCES entity_bodies(hash),
                     PRIMARY KEY (version_id, entity_id)
                 );
                 PRAGMA user_version = 1;
                 COMMIT;",
            )?;
        }
        if version < 2 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS api_keys (
                     id TEXT PRIMARY KEY,
                     secret_sha256 TEXT NOT NULL UNIQUE,
                     role TEXT NOT NULL,
                     label TEXT NOT NULL,
                     created_at TEXT NOT NULL,
                     revoked_at TEXT
                 );
                 PRAGMA user_version = 2;
                 COMMIT;",
            )?;
        }
        if version < 3 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS decisions (
                     id INTEGER PRIMARY KEY AUTOINCREMENT,
                     kind TEXT NOT NULL,
                     created_at TEXT NOT NULL,
                     input BLOB NOT NULL,
                     input_sha256 TEXT NOT NULL,
                     list_versions TEXT NOT NULL,
                     policy_version TEXT,
                     verdict TEXT NOT NULL,
                     body TEXT NOT NULL
                 );
                 CREATE INDEX IF NOT EXISTS decisions_by_input ON decisions(input_sha256);
                 CREATE TABLE IF NOT EXISTS policies (
                     version TEXT PRIMARY KEY,
                     text TEXT NOT NULL
                 );
                 PRAGMA user_version = 3;
                 COMMIT;",
            )?;
        }
        if version < 4 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS subjects (
                     id TEXT PRIMARY KEY,
                     body TEXT NOT NULL
                 );
                 CREATE TABLE IF NOT EXISTS subject_matches (
                     subject_id TEXT NOT NULL,
                     entity_id TEXT NOT NULL,
                     score REAL NOT NULL,
                     PRIMARY KEY (subject_id, entity_id)
                 );
                 CREATE INDEX IF NOT EXISTS subject_matches_by_entity ON subject_matches(entity_id);
                 CREATE TABLE IF NOT EXISTS settings (
                     key TEXT PRIMARY KEY,
                     value TEXT NOT NULL
                 );
                 PRAGMA user_version = 4;
                 COMMIT;",
            )?;
        }
        if version < 5 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS audit_log (
                     seq INTEGER PRIMARY KEY,
                     at TEXT NOT NULL,
                     action TEXT NOT NULL,
                     actor TEXT NOT NULL,
                     body TEXT NOT NULL,
                     prev_hash TEXT NOT NULL,
                     hash TEXT NOT NULL
                 );
                 PRAGMA user_version = 5;
                 COMMIT;",
            )?;
        }
        if version < 6 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS alerts (
                     id INTEGER PRIMARY KEY AUTOINCREMENT,
                     kind TEXT NOT NULL,
                     subject_key TEXT NOT NULL,
                     subject TEXT NOT NULL,
                     matches TEXT NOT NULL,
                     list_versions TEXT NOT NULL,
                     decision_id INTEGER,
                     status TEXT NOT NULL,
                     created_at TEXT NOT NULL,
                     updated_at TEXT NOT NULL
                 );
                 CREATE INDEX IF NOT EXISTS alerts_by_subject ON alerts(kind, subject_key);
                 CREATE INDEX IF NOT EXISTS alerts_by_status ON alerts(status);
                 CREATE TABLE IF NOT EXISTS alert_actions (
                     id INTEGER PRIMARY KEY AUTOINCREMENT,
                     alert_id INTEGER NOT NULL REFERENCES alerts(id),
                     at TEXT NOT NULL,
                     actor TEXT NOT NULL,
                     action TEXT NOT NULL,
                     from_status TEXT NOT NULL,
                     to_status TEXT NOT NULL,
                     reason TEXT NOT NULL
                 );
                 CREATE TABLE IF NOT EXISTS dispositions (
                     subject_key TEXT NOT NULL,
                     entity_id TEXT NOT NULL,
                     subject_hash TEXT NOT NULL,
                     entity_hash TEXT NOT NULL,
                     alert_id INTEGER NOT NULL,
                     actor TEXT NOT NULL,
                     at TEXT NOT NULL,
                     PRIMARY KEY (subject_key, entity_id)
                 );
                 PRAGMA user_version = 6;
                 COMMIT;",
            )?;
        }
        if version < 7 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS ownership_files (
                     id TEXT PRIMARY KEY,
                     seq INTEGER NOT NULL,
                     name TEXT NOT NULL,
                     loaded_at TEXT NOT NULL,
                     bytes BLOB NOT NULL
                 );
                 PRAGMA user_version = 7;
                 COMMIT;",
            )?;
        }
        if version < 8 {
            conn.execute_batch(
                "BEGIN;
                 ALTER TABLE alerts ADD COLUMN assignee TEXT;
                 PRAGMA user_version = 8;
                 COMMIT;",
            )?;
        }
        if version < 9 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS leases (
                     name TEXT PRIMARY KEY,
                     holder TEXT NOT NULL,
                     expires_at INTEGER NOT NULL
                 );
                 PRAGMA user_version = 9;
                 COMMIT;",
            )?;
        }
        if version < 10 {
            conn.execute_batch(
                "BEGIN;
                 CREATE TABLE IF NOT EXISTS ui_sessions (
                     token_sha256 TEXT PRIMARY KEY,
                     key_sha256 TEXT NOT NULL,
                     csrf TEXT NOT NULL,
                     expires_at INTEGER NOT NULL,
                     flash TEXT
                 );
                 PRAGMA user_version = 10;
                 COMMIT;",
            )?;
        }
        if version < 11 {
            // Suppressions get an id, a second approver and a revocation; the
            // dispositions kept so far carry over in force, one approver each.
            conn.execute_batch(
                "BEGIN;
                 ALTER TABLE alerts ADD COLUMN origin TEXT;
                 CREATE TABLE IF NOT EXISTS suppressions (
                     id INTEGER PRIMARY KEY AUTOINCREMENT,
                     subject_key TEXT NOT NULL,
                     entity_id TEXT NOT NULL,
                     subject_hash TEXT NOT NULL,
                     entity_hash TEXT NOT NULL,
                     alert_id INTEGER NOT NULL,
                     actor TEXT NOT NULL,
                     second_actor TEXT,
                     at TEXT NOT NULL,
                     revoked_at TEXT,
                     revoked_by TEXT
                 );
                 CREATE INDEX IF NOT EXISTS suppressions_by_subject ON suppressions(subject_key);
                 INSERT INTO suppressions (subject_key, entity_id, subject_hash, entity_hash, alert_id, actor, at)
                     SELECT subject_key, entity_id, subject_hash, entity_hash, alert_id, actor, at FROM dispositions;
                 DROP TABLE dispositions;
                 PRAGMA user_version = 11;
                 COMMIT;",
            )?;
        }
        if version < 12 {
            // How an ownership file is read (its format, a column map) is part of it.
            conn.execute_batch(
                "BEGIN;
                 ALTER TABLE ownership_files ADD COLUMN options TEXT NOT NULL DEFAULT '';
                 PRAGMA user_version = 12;
                 COMMIT;",
            )?;
        }
        if version < 13 {
            // The queue's filters read columns kept beside each alert, and the queue
            // and the audit trail are paged through indexes (see `queue`).
            conn.execute_batch(
                "BEGIN;
                 ALTER TABLE alerts ADD COLUMN top_score REAL;
                 ALTER TABLE alerts ADD COLUMN sources TEXT NOT NULL DEFAULT '';
                 ALTER TABLE alerts ADD COLUMN programs TEXT NOT NULL DEFAULT '';
                 CREATE INDEX IF NOT EXISTS alerts_queue ON alerts(status, id, kind, top_score, assignee, created_at, updated_at, sources, programs);
                 CREATE INDEX IF NOT EXISTS audit_by_action ON audit_log(action, seq);
                 CREATE INDEX IF NOT EXISTS audit_by_actor ON audit_log(actor, seq);",
            )?;
            let backfilled = (|| -> Result<()> {
                let rows: Vec<(i64, String)> = conn
                    .prepare("SELECT id, matches FROM alerts")?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                let mut update = conn.prepare(
                    "UPDATE alerts SET top_score = ?2, sources = ?3, programs = ?4 WHERE id = ?1",
                )?;
                for (id, matches) in rows {
                    let matches: serde_json::Value = serde_json::from_str(&matches)
                        .map_err(|e| StoreError::Corrupt(format!("alert {id}: matches: {e}")))?;
                    let f = AlertFacets::of(&matches);
                    update.execute(params![id, f.top_score, f.sources, f.programs])?;
                }
                Ok(())
            })();
            if let Err(e) = backfilled {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e);
            }
            conn.execute_batch("PRAGMA user_version = 13; COMMIT;")?;
        }
        Ok(SqliteStore { conn })
    }

    /// Runs `f` in a transaction of its own, or in a savepoint inside the caller's
    /// (see [`Store::run_atomically`]). IMMEDIATE: the write lock is taken at the
    /// start, so two connections never both read a head (the audit chain's, an open
    /// alert) and then both write after it.
    fn write<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if self.conn.is_autocommit() {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        } else {
            let sp = self.conn.savepoint()?;
            let out = f(&sp)?;
            sp.commit()?;
            Ok(out)
        }
    }

    fn read_version(row: &rusqlite::Row<'_>) -> rusqlite::Result<(ListVersion, String, String)> {
        let source: String = row.get("source")?;
        let files: String = row.get("files")?;
        let counts: String = row.get("counts")?;
        let source = source
            .parse::<SourceId>()
            .unwrap_or(SourceId::OpenSanctions);
        Ok((
            ListVersion {
                id: row.get("id")?,
                source,
                published: row.get("published")?,
                loaded_at: row.get("loaded_at")?,
                files: Vec::new(),
                file_hash: row.get("file_hash")?,
                content_hash: row.get("content_hash")?,
                counts: Counts::default(),
                warnings: row.get::<_, i64>("warnings")? as usize,
                active: row.get::<_, i64>("active")? == 1,
            },
            files,
            counts,
        ))
    }
}

impl ListStore for SqliteStore {
    fn save_version(
        &mut self,
        new: NewVersion,
        entities: &[Entity],
    ) -> Result<(ListVersion, bool)> {
        if entities.is_empty() {
            return Err(StoreError::Invalid(format!(
                "refusing to store an empty version of {}",
                new.source
            )));
        }
        let hash = content_hash(entities);
        let id = version_id(&new, &hash);
        let (id, created) = self.write(|tx| {
        let existing: Option<String> = tx
            .query_row(
                "SELECT id FROM versions WHERE source = ?1 AND content_hash = ?2",
                params![new.source.as_str(), hash],
                |r| r.get(0),
            )
            .optional()?;
        let created = existing.is_none();
        let id = match existing {
            Some(existing) => existing,
            None => {
                let counts = Counts::of(entities);
                let seq: i64 =
                    tx.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM versions", [], |r| {
                        r.get(0)
                    })?;
                tx.execute(
                    "INSERT INTO versions (id, seq, source, published, loaded_at, files, file_hash,
                                           content_hash, counts, warnings, active)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0)",
                    params![
                        id,
                        seq,
                        new.source.as_str(),
                        new.published,
                        new.loaded_at,
                        serde_json::to_string(&new.files).unwrap_or_default(),
                        new.file_hash,
                        hash,
                        serde_json::to_string(&counts).unwrap_or_default(),
                        new.warnings as i64,
                    ],
                )?;
                let mut body_stmt =
                    tx.prepare("INSERT OR IGNORE INTO entity_bodies (hash, body) VALUES (?1, ?2)")?;
                let mut member_stmt = tx.prepare(
                    "INSERT INTO version_entities (version_id, entity_id, hash) VALUES (?1, ?2, ?3)",
                )?;
                for e in entities {
                    let body = entity_json(e);
                    let body_hash = sha256_hex(body.as_bytes());
                    body_stmt.execute(params![body_hash, body])?;
                    member_stmt
                        .execute(params![id, e.id, body_hash])
                        .map_err(|err| {
                            StoreError::Invalid(format!("entity {} appears twice: {err}", e.id))
                        })?;
                }
                id
            }
        };
        tx.execute(
            "UPDATE versions SET active = 0 WHERE source = ?1 AND active = 1",
            params![new.source.as_str()],
        )?;
        tx.execute("UPDATE versions SET active = 1 WHERE id = ?1", params![id])?;
        Ok((id, created))
        })?;
        Ok((self.version(&id)?, created))
    }

    fn versions(&self) -> Result<Vec<ListVersion>> {
        let mut stmt = self.conn.prepare("SELECT * FROM versions ORDER BY seq")?;
        let rows = stmt.query_map([], Self::read_version)?;
        rows.map(|r| finish_version(r?)).collect()
    }

    fn activate(&mut self, id: &str) -> Result<ListVersion> {
        let version = self.version(id)?;
        self.write(|tx| {
            tx.execute(
                "UPDATE versions SET active = 0 WHERE source = ?1 AND active = 1",
                params![version.source.as_str()],
            )?;
            tx.execute(
                "UPDATE versions SET active = 1 WHERE id = ?1",
                params![version.id],
            )?;
            Ok(())
        })?;
        self.version(&version.id)
    }

    fn entities(&self, version_id: &str) -> Result<Vec<Entity>> {
        let version = self.version(version_id)?;
        let mut stmt = self.conn.prepare(
            "SELECT b.body FROM version_entities v JOIN entity_bodies b ON b.hash = v.hash
             WHERE v.version_id = ?1 ORDER BY v.entity_id",
        )?;
        let rows = stmt.query_map(params![version.id], |r| r.get::<_, String>(0))?;
        rows.map(|body| decode_entity(&version.id, &body?))
            .collect()
    }

    fn entity(&self, version_id: &str, entity_id: &str) -> Result<Option<Entity>> {
        let version = self.version(version_id)?;
        let body: Option<String> = self
            .conn
            .query_row(
                "SELECT b.body FROM version_entities v JOIN entity_bodies b ON b.hash = v.hash
                 WHERE v.version_id = ?1 AND v.entity_id = ?2",
                params![version.id, entity_id],
                |r| r.get(0),
            )
            .optional()?;
        body.map(|b| decode_entity(&version.id, &b)).transpose()
    }
}

fn read_key(row: &rusqlite::Row<'_>) -> rusqlite::Result<(ApiKey, String)> {
    let role: String = row.get("role")?;
    Ok((
        ApiKey {
            id: row.get("id")?,
            // An unknown role is reported below, not silently widened or narrowed.
            role: Role::Screen,
            label: row.get("label")?,
            created_at: row.get("created_at")?,
            revoked_at: row.get("revoked_at")?,
        },
        role,
    ))
}

impl KeyStore for SqliteStore {
    fn create_key(&mut self, key: &ApiKey, secret_sha256: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO api_keys (id, secret_sha256, role, label, created_at, revoked_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                key.id,
                secret_sha256,
                key.role.as_str(),
                key.label,
                key.created_at,
                key.revoked_at
            ],
        )?;
        Ok(())
    }

    fn find_key(&self, secret_sha256: &str) -> Result<Option<ApiKey>> {
        self.conn
            .query_row(
                "SELECT * FROM api_keys WHERE secret_sha256 = ?1 AND revoked_at IS NULL",
                [secret_sha256],
                read_key,
            )
            .optional()?
            .map(finish_key)
            .transpose()
    }

    fn keys(&self) -> Result<Vec<ApiKey>> {
        let mut stmt = self
            .conn
            .prepare("SELECT * FROM api_keys ORDER BY created_at, id")?;
        let rows = stmt.query_map([], read_key)?;
        rows.map(|r| finish_key(r?)).collect()
    }

    fn revoke_key(&mut self, id: &str, at: &str) -> Result<ApiKey> {
        let changed = self.conn.execute(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
            params![id, at],
        )?;
        if changed == 0 {
            return Err(StoreError::Invalid(format!("no API key with id {id:?}")));
        }
        let row = self
            .conn
            .query_row("SELECT * FROM api_keys WHERE id = ?1", [id], read_key)?;
        finish_key(row)
    }
}

impl DecisionStore for SqliteStore {
    fn record_decision(&mut self, d: &NewDecision) -> Result<i64> {
        let versions = serde_json::to_string(&d.list_versions)
            .map_err(|e| StoreError::Invalid(format!("list versions: {e}")))?;
        self.conn.execute(
            "INSERT INTO decisions (kind, created_at, input, input_sha256, list_versions,
                 policy_version, verdict, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                d.kind,
                d.created_at,
                d.input,
                d.input_sha256,
                versions,
                d.policy_version,
                d.verdict,
                d.body.to_string()
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    fn decision(&self, id: i64) -> Result<Option<StoredDecision>> {
        let row = self
            .conn
            .query_row(
                "SELECT kind, created_at, input, input_sha256, list_versions, policy_version,
                        verdict, body
                 FROM decisions WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                    ))
                },
            )
            .optional()?;
        row.map(|row| finish_decision(id, row)).transpose()
    }

    fn save_policy(&mut self, version: &str, text: &str) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO policies (version, text) VALUES (?1, ?2)",
            params![version, text],
        )?;
        Ok(())
    }

    fn policy(&self, version: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT text FROM policies WHERE version = ?1",
                [version],
                |r| r.get(0),
            )
            .optional()?)
    }
}

impl SubjectStore for SqliteStore {
    fn put_subjects(&mut self, subjects: &[(String, String)]) -> Result<usize> {
        self.write(|tx| {
            let mut put =
                tx.prepare("INSERT OR REPLACE INTO subjects (id, body) VALUES (?1, ?2)")?;
            for (id, body) in subjects {
                put.execute(params![id, body])?;
            }
            Ok(subjects.len())
        })
    }

    fn subjects(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, body FROM subjects ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn subject_count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM subjects", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    fn subject_matches(&self) -> Result<Vec<SubjectMatch>> {
        let mut stmt = self.conn.prepare(
            "SELECT subject_id, entity_id, score FROM subject_matches ORDER BY subject_id, entity_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(SubjectMatch {
                subject_id: r.get(0)?,
                entity_id: r.get(1)?,
                score: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn update_matches(
        &mut self,
        subjects: &[String],
        entities: &[String],
        matches: &[SubjectMatch],
        screened_versions: &[String],
    ) -> Result<()> {
        let versions = serde_json::to_string(screened_versions)
            .map_err(|e| StoreError::Invalid(format!("versions: {e}")))?;
        self.write(|tx| {
            let mut by_subject = tx.prepare("DELETE FROM subject_matches WHERE subject_id = ?1")?;
            for s in subjects {
                by_subject.execute([s])?;
            }
            let mut by_entity = tx.prepare("DELETE FROM subject_matches WHERE entity_id = ?1")?;
            for e in entities {
                by_entity.execute([e])?;
            }
            let mut add = tx.prepare(
                "INSERT OR REPLACE INTO subject_matches (subject_id, entity_id, score) VALUES (?1, ?2, ?3)",
            )?;
            for m in matches {
                add.execute(params![m.subject_id, m.entity_id, m.score])?;
            }
            tx.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('screened_versions', ?1)",
                [versions],
            )?;
            Ok(())
        })
    }

    fn screened_versions(&self) -> Result<Vec<String>> {
        let value: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'screened_versions'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        match value {
            None => Ok(Vec::new()),
            Some(v) => serde_json::from_str(&v)
                .map_err(|e| StoreError::Corrupt(format!("screened versions: {e}"))),
        }
    }
}

fn read_audit(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get("seq")?,
        at: r.get("at")?,
        action: r.get("action")?,
        actor: r.get("actor")?,
        body: r.get("body")?,
        prev_hash: r.get("prev_hash")?,
        hash: r.get("hash")?,
    })
}

impl AuditStore for SqliteStore {
    fn append_audit(
        &mut self,
        at: &str,
        action: &str,
        actor: &str,
        body: &serde_json::Value,
    ) -> Result<AuditEntry> {
        // Under the write lock: two writers never both read the same head and fork
        // the chain.
        self.write(|tx| {
            let last: Option<(i64, String)> = tx
                .query_row(
                    "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let e = next_entry(last, at, action, actor, body.to_string());
            tx.execute(
                "INSERT INTO audit_log (seq, at, action, actor, body, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![e.seq, e.at, e.action, e.actor, e.body, e.prev_hash, e.hash],
            )?;
            tx.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('audit_head', ?1)",
                [head_json(&e)],
            )?;
            Ok(e)
        })
    }

    fn audit_entries(&self, from: i64, limit: i64) -> Result<Vec<AuditEntry>> {
        let mut stmt = self
            .conn
            .prepare("SELECT * FROM audit_log WHERE seq >= ?1 ORDER BY seq LIMIT ?2")?;
        let rows = stmt.query_map(params![from, limit], read_audit)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn audit_page(&self, query: &AuditQuery) -> Result<AuditPage> {
        let (entries, total) = self.page(audit_page_sql(query, Dialect::Sqlite), read_audit)?;
        Ok(AuditPage { entries, total })
    }

    fn verify_audit(&self) -> Result<Verification> {
        let mut stmt = self.conn.prepare("SELECT * FROM audit_log ORDER BY seq")?;
        let entries: Vec<AuditEntry> = stmt
            .query_map([], read_audit)?
            .collect::<rusqlite::Result<_>>()?;
        let head: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'audit_head'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(verify(&entries, parse_head(head)))
    }
}

fn read_alert(r: &rusqlite::Row<'_>) -> rusqlite::Result<AlertRow> {
    Ok((
        AlertRecord {
            id: r.get("id")?,
            alert: NewAlert {
                kind: r.get("kind")?,
                subject_key: r.get("subject_key")?,
                subject: serde_json::Value::Null,
                matches: serde_json::Value::Null,
                list_versions: Vec::new(),
                decision_id: r.get("decision_id")?,
                at: r.get("updated_at")?,
                origin: None,
            },
            status: r.get("status")?,
            assignee: r.get("assignee")?,
            created_at: r.get("created_at")?,
            updated_at: r.get("updated_at")?,
        },
        r.get("subject")?,
        r.get("matches")?,
        r.get("list_versions")?,
        r.get("origin")?,
    ))
}

impl AlertStore for SqliteStore {
    fn raise_alert(&mut self, alert: &NewAlert) -> Result<(i64, bool)> {
        let versions = serde_json::to_string(&alert.list_versions)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let origin = origin_json(alert)?;
        let f = AlertFacets::of(&alert.matches);
        self.write(|tx| {
        let open: Option<i64> = tx
            .query_row(
                &format!(
                    "SELECT id FROM alerts WHERE kind = ?1 AND subject_key = ?2 AND status IN {OPEN_STATUSES} ORDER BY id DESC LIMIT 1"
                ),
                params![alert.kind, alert.subject_key],
                |r| r.get(0),
            )
            .optional()?;
        let result = match open {
            Some(id) => {
                tx.execute(
                    "UPDATE alerts SET subject = ?2, matches = ?3, list_versions = ?4, decision_id = COALESCE(?5, decision_id), updated_at = ?6, origin = COALESCE(?7, origin), top_score = ?8, sources = ?9, programs = ?10 WHERE id = ?1",
                    params![id, alert.subject.to_string(), alert.matches.to_string(), versions, alert.decision_id, alert.at, origin, f.top_score, f.sources, f.programs],
                )?;
                (id, false)
            }
            None => {
                tx.execute(
                    "INSERT INTO alerts (kind, subject_key, subject, matches, list_versions, decision_id, status, created_at, updated_at, origin, top_score, sources, programs)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?7, ?8, ?9, ?10, ?11)",
                    params![alert.kind, alert.subject_key, alert.subject.to_string(), alert.matches.to_string(), versions, alert.decision_id, alert.at, origin, f.top_score, f.sources, f.programs],
                )?;
                (tx.last_insert_rowid(), true)
            }
        };
        Ok(result)
        })
    }

    fn alert(&self, id: i64) -> Result<Option<AlertRecord>> {
        self.conn
            .query_row("SELECT * FROM alerts WHERE id = ?1", [id], read_alert)
            .optional()?
            .map(finish_alert)
            .transpose()
    }

    fn open_alert(&self, kind: &str, subject_key: &str) -> Result<Option<AlertRecord>> {
        self.conn
            .query_row(
                &format!(
                    "SELECT * FROM alerts WHERE kind = ?1 AND subject_key = ?2 AND status IN {OPEN_STATUSES} ORDER BY id DESC LIMIT 1"
                ),
                params![kind, subject_key],
                read_alert,
            )
            .optional()?
            .map(finish_alert)
            .transpose()
    }

    fn alert_page(&self, query: &AlertQuery) -> Result<AlertPage> {
        let (rows, total) = self.page(alert_page_sql(query, Dialect::Sqlite), read_alert)?;
        let alerts = rows.into_iter().map(finish_alert).collect::<Result<_>>()?;
        Ok(AlertPage { alerts, total })
    }

    fn alert_actions(&self, id: i64) -> Result<Vec<AlertActionRecord>> {
        let mut stmt = self.conn.prepare(
            "SELECT at, actor, action, from_status, to_status, reason FROM alert_actions WHERE alert_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(AlertActionRecord {
                at: r.get(0)?,
                actor: r.get(1)?,
                action: r.get(2)?,
                from_status: r.get(3)?,
                to_status: r.get(4)?,
                reason: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn record_alert_action(&mut self, id: i64, a: &AlertActionRecord) -> Result<()> {
        self.write(|tx| {
            let moved = tx.execute(
                "UPDATE alerts SET status = ?3, updated_at = ?4 WHERE id = ?1 AND status = ?2",
                params![id, a.from_status, a.to_status, a.at],
            )?;
            insert_action(tx, id, a, moved)
        })
    }

    fn assign_alert(
        &mut self,
        id: i64,
        assignee: Option<&str>,
        a: &AlertActionRecord,
    ) -> Result<()> {
        self.write(|tx| {
            let moved = tx.execute(
                "UPDATE alerts SET assignee = ?3, updated_at = ?4 WHERE id = ?1 AND status = ?2",
                params![id, a.from_status, assignee, a.at],
            )?;
            insert_action(tx, id, a, moved)
        })
    }

    fn put_disposition(&mut self, d: &DispositionRecord) -> Result<i64> {
        self.write(|tx| {
            tx.execute(
                SUPERSEDE_SQL,
                params![d.at, d.actor, d.subject_key, d.entity_id],
            )?;
            tx.execute(
                INSERT_SUPPRESSION_SQL,
                params![
                    d.subject_key,
                    d.entity_id,
                    d.subject_hash,
                    d.entity_hash,
                    d.alert_id,
                    d.actor,
                    d.second_actor,
                    d.at
                ],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    fn dispositions(&self, subject_key: &str) -> Result<Vec<DispositionRecord>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SUPPRESSION_COLUMNS} FROM suppressions
             WHERE subject_key = ?1 AND revoked_at IS NULL ORDER BY entity_id"
        ))?;
        let rows = stmt.query_map([subject_key], read_suppression)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn suppressions(&self, include_revoked: bool, limit: usize) -> Result<Vec<DispositionRecord>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SUPPRESSION_COLUMNS} FROM suppressions
             WHERE ?1 OR revoked_at IS NULL ORDER BY id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![include_revoked, limit as i64], read_suppression)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn revoke_suppression(&mut self, id: i64, by: &str, at: &str) -> Result<DispositionRecord> {
        self.write(|tx| {
            if tx.execute(REVOKE_SUPPRESSION_SQL, params![at, by, id])? == 0 {
                return Err(not_revocable(id));
            }
            Ok(tx.query_row(
                &format!("SELECT {SUPPRESSION_COLUMNS} FROM suppressions WHERE id = ?1"),
                [id],
                read_suppression,
            )?)
        })
    }
}

fn read_suppression(r: &rusqlite::Row<'_>) -> rusqlite::Result<DispositionRecord> {
    Ok(DispositionRecord {
        id: r.get(0)?,
        subject_key: r.get(1)?,
        entity_id: r.get(2)?,
        subject_hash: r.get(3)?,
        entity_hash: r.get(4)?,
        alert_id: r.get(5)?,
        actor: r.get(6)?,
        second_actor: r.get(7)?,
        at: r.get(8)?,
        revoked_at: r.get(9)?,
        revoked_by: r.get(10)?,
    })
}

fn insert_action(tx: &Connection, id: i64, a: &AlertActionRecord, moved: usize) -> Result<()> {
    check_moved(id, &a.from_status, moved as u64)?;
    tx.execute(
        INSERT_ACTION_SQL,
        params![
            id,
            a.at,
            a.actor,
            a.action,
            a.from_status,
            a.to_status,
            a.reason
        ],
    )?;
    Ok(())
}

impl OwnershipStore for SqliteStore {
    fn add_ownership_file(
        &mut self,
        name: &str,
        bytes: &[u8],
        options: &str,
        loaded_at: &str,
    ) -> Result<(String, bool)> {
        let id = crate::ownership::file_id(bytes, options);
        let added = self.conn.execute(
            "INSERT OR IGNORE INTO ownership_files (id, seq, name, loaded_at, bytes, options)
             VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM ownership_files), ?2, ?3, ?4, ?5)",
            params![id, name, loaded_at, bytes, options],
        )?;
        Ok((id, added == 1))
    }

    fn ownership_files(&self) -> Result<Vec<OwnershipFile>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, loaded_at, bytes, options FROM ownership_files ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(OwnershipFile {
                id: r.get(0)?,
                name: r.get(1)?,
                loaded_at: r.get(2)?,
                bytes: r.get(3)?,
                options: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn ownership_file_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM ownership_files ORDER BY seq")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl LeaseStore for SqliteStore {
    fn take_lease(&mut self, name: &str, holder: &str, now: i64, ttl_secs: i64) -> Result<bool> {
        let changed = self
            .conn
            .execute(TAKE_LEASE_SQL, params![name, holder, now + ttl_secs, now])?;
        Ok(changed == 1)
    }

    fn release_lease(&mut self, name: &str, holder: &str) -> Result<()> {
        self.conn
            .execute(RELEASE_LEASE_SQL, params![name, holder])?;
        Ok(())
    }
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// SQLite's own page check, then the orphan checks and the audit chain.
    fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let integrity: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if integrity != "ok" {
            problems.push(format!("database file: {integrity}"));
        }
        for (what, sql) in ORPHAN_CHECKS {
            let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            if n > 0 {
                problems.push(format!("{what}: {n}"));
            }
        }
        problems.extend(chain_problem(self.verify_audit()?));
        Ok(problems)
    }

    /// A transaction here holds SQLite's write lock from its start (IMMEDIATE).
    fn lock_alerts(&mut self) -> Result<()> {
        Ok(())
    }

    fn run_atomically(&mut self, f: &mut dyn FnMut(&mut dyn Store) -> Result<()>) -> Result<()> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match f(self) {
            Ok(()) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(())
            }
            Err(e) => {
                // The error that made us roll back is the one worth reporting.
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }
}

impl SessionStore for SqliteStore {
    fn put_session(&mut self, s: &SessionRecord, now: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(PRUNE_SESSIONS_SQL, [now])?;
            tx.execute(
                PUT_SESSION_SQL,
                params![s.token_sha256, s.key_sha256, s.csrf, s.expires_at, s.flash],
            )?;
            Ok(())
        })
    }

    fn session(&self, token_sha256: &str, now: i64) -> Result<Option<SessionRecord>> {
        Ok(self
            .conn
            .query_row(GET_SESSION_SQL, params![token_sha256, now], |r| {
                Ok(SessionRecord {
                    token_sha256: r.get(0)?,
                    key_sha256: r.get(1)?,
                    csrf: r.get(2)?,
                    expires_at: r.get(3)?,
                    flash: r.get(4)?,
                })
            })
            .optional()?)
    }

    fn delete_session(&mut self, token_sha256: &str) -> Result<()> {
        self.conn.execute(DELETE_SESSION_SQL, [token_sha256])?;
        Ok(())
    }

    fn flash(&mut self, token_sha256: &str, message: Option<&str>) -> Result<Option<String>> {
        self.write(|tx| {
            let old: Option<String> = tx
                .query_row(GET_FLASH_SQL, [token_sha256], |r| r.get(0))
                .optional()?
                .flatten();
            tx.execute(SET_FLASH_SQL, params![message, token_sha256])?;
            Ok(old)
        })
    }
}
