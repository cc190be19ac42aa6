//! The PostgreSQL store: one database that several stateless Redline replicas share.
//!
//! The tables mirror the SQLite store's, and so does every query's meaning; what
//! differs is how concurrent writers from different processes are kept apart:
//!
//! - **One audit chain.** Appending reads the chain's head and writes after it, so
//!   appends are serialised by a transaction-scoped advisory lock ([`WRITE_LOCK`]).
//!   Raising an alert (look for the open alert of a subject, then update or insert)
//!   and moving an alert's status take the same lock, so two replicas screening one
//!   subject at once never open two alerts. The lock is taken by the first such write
//!   and held to commit; reads before it run in parallel.
//! - **List versions** are saved and activated under their own advisory lock, and the
//!   transaction sends `NOTIFY redline_lists` ([`LISTS_CHANNEL`]); PostgreSQL delivers
//!   it at commit, so a replica that hears it reads a committed version.
//!   [`ListChanges`] listens for it.
//! - **Migrations** run under a session advisory lock, so replicas started together
//!   migrate once.
//!
//! Everything runs in transactions; a replica killed mid-write leaves nothing behind
//! (PostgreSQL rolls back the dead connection's transaction and frees its locks).
//! The `postgres` crate is the blocking client over `tokio-postgres`; callers run it
//! on blocking threads, as they do SQLite.

use std::cell::{RefCell, RefMut};
use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, NoTls, Row};
use redline_model::{Entity, SourceId};

use crate::alerts::{AlertActionRecord, AlertRecord, AlertStore, DispositionRecord, NewAlert};
use crate::audit::{
    head_json, next_entry, parse_head, verify, AuditEntry, AuditStore, Verification,
};
use crate::decisions::{DecisionStore, NewDecision, StoredDecision};
use crate::keys::{ApiKey, KeyStore, Role};
use crate::leases::{LeaseStore, RELEASE_LEASE_SQL, TAKE_LEASE_SQL};
use crate::ownership::{OwnershipFile, OwnershipStore};
use crate::queue::{alert_page_sql, audit_page_sql, Dialect, PageSql, SqlValue};
use crate::rows::{
    check_moved, decode_entity, finish_alert, finish_decision, finish_key, finish_version,
    not_revocable, origin_json, INSERT_ACTION_SQL, INSERT_SUPPRESSION_SQL, OPEN_STATUSES,
    REVOKE_SUPPRESSION_SQL, SUPERSEDE_SQL, SUPPRESSION_COLUMNS,
};
use crate::sessions::{
    SessionRecord, SessionStore, DELETE_SESSION_SQL, GET_FLASH_SQL, GET_SESSION_SQL,
    PRUNE_SESSIONS_SQL, PUT_SESSION_SQL, SET_FLASH_SQL,
};
use crate::subjects::{SubjectMatch, SubjectStore};
use crate::{
    chain_problem, content_hash, entity_json, sha256_hex, version_id, Counts, ListStore,
    ListVersion, NewVersion, Result, Store, StoreError, ORPHAN_CHECKS,
};
use crate::{AlertFacets, AlertPage, AlertQuery, AuditPage, AuditQuery};

/// The channel list loads and ownership-file loads are announced on.
pub const LISTS_CHANNEL: &str = "redline_lists";

/// The schema version this code writes; the same number as the SQLite store's, so
/// "schema 10" means the same tables on both backends.
const SCHEMA_VERSION: i64 = 13;

/// Advisory lock keys: fixed, arbitrary numbers no other application is likely to use.
const MIGRATION_LOCK: i64 = 7_340_421_001;
/// Serialises audit appends and alert writes across every replica.
const WRITE_LOCK: i64 = 7_340_421_002;
/// Serialises list version saves and activations.
const LISTS_LOCK: i64 = 7_340_421_003;

/// Rows per statement when writing subjects and matches in bulk.
const CHUNK: usize = 10_000;

/// Schema migrations, in order: (version reached, SQL). Version 9 is the whole schema
/// as the SQLite store has it at 9; later ones are the SQLite store's later steps.
const MIGRATIONS: &[(i64, &str)] = &[
    (
        9,
        "CREATE TABLE versions (
         id TEXT PRIMARY KEY,
         seq BIGINT NOT NULL UNIQUE,
         source TEXT NOT NULL,
         published TEXT,
         loaded_at TEXT NOT NULL,
         files TEXT NOT NULL,
         file_hash TEXT NOT NULL,
         content_hash TEXT NOT NULL,
         counts TEXT NOT NULL,
         warnings BIGINT NOT NULL,
         active BOOLEAN NOT NULL DEFAULT FALSE
     );
     CREATE UNIQUE INDEX one_active_per_source ON versions(source) WHERE active;
     CREATE TABLE entity_bodies (
         hash TEXT PRIMARY KEY,
         body TEXT NOT NULL
     );
     CREATE TABLE version_entities (
         version_id TEXT NOT NULL REFERENCES versions(id),
         entity_id TEXT NOT NULL,
         hash TEXT NOT NULL REFERENCES entity_bodies(hash),
         PRIMARY KEY (version_id, entity_id)
     );
     CREATE TABLE api_keys (
         id TEXT PRIMARY KEY,
         secret_sha256 TEXT NOT NULL UNIQUE,
         role TEXT NOT NULL,
         label TEXT NOT NULL,
         created_at TEXT NOT NULL,
         revoked_at TEXT
     );
     CREATE TABLE decisions (
         id BIGSERIAL PRIMARY KEY,
         kind TEXT NOT NULL,
         created_at TEXT NOT NULL,
         input BYTEA NOT NULL,
         input_sha256 TEXT NOT NULL,
         list_versions TEXT NOT NULL,
         policy_version TEXT,
         verdict TEXT NOT NULL,
         body TEXT NOT NULL
     );
     CREATE INDEX decisions_by_input ON decisions(input_sha256);
     CREATE TABLE policies (
         version TEXT PRIMARY KEY,
         text TEXT NOT NULL
     );
     CREATE TABLE subjects (
         id TEXT PRIMARY KEY,
         body TEXT NOT NULL
     );
     CREATE TABLE subject_matches (
         subject_id TEXT NOT NULL,
         entity_id TEXT NOT NULL,
         score DOUBLE PRECISION NOT NULL,
         PRIMARY KEY (subject_id, entity_id)
     );
     CREATE INDEX subject_matches_by_entity ON subject_matches(entity_id);
     CREATE TABLE settings (
         key TEXT PRIMARY KEY,
         value TEXT NOT NULL
     );
     CREATE TABLE audit_log (
         seq BIGINT PRIMARY KEY,
         at TEXT NOT NULL,
         action TEXT NOT NULL,
         actor TEXT NOT NULL,
         body TEXT NOT NULL,
         prev_hash TEXT NOT NULL,
         hash TEXT NOT NULL
     );
     CREATE TABLE alerts (
         id BIGSERIAL PRIMARY KEY,
         kind TEXT NOT NULL,
         subject_key TEXT NOT NULL,
         subject TEXT NOT NULL,
         matches TEXT NOT NULL,
         list_versions TEXT NOT NULL,
         decision_id BIGINT,
         status TEXT NOT NULL,
         created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL,
         assignee TEXT
     );
     CREATE INDEX alerts_by_subject ON alerts(kind, subject_key);
     CREATE INDEX alerts_by_status ON alerts(status);
     CREATE TABLE alert_actions (
         id BIGSERIAL PRIMARY KEY,
         alert_id BIGINT NOT NULL REFERENCES alerts(id),
         at TEXT NOT NULL,
         actor TEXT NOT NULL,
         action TEXT NOT NULL,
         from_status TEXT NOT NULL,
         to_status TEXT NOT NULL,
         reason TEXT NOT NULL
     );
     CREATE TABLE dispositions (
         subject_key TEXT NOT NULL,
         entity_id TEXT NOT NULL,
         subject_hash TEXT NOT NULL,
         entity_hash TEXT NOT NULL,
         alert_id BIGINT NOT NULL,
         actor TEXT NOT NULL,
         at TEXT NOT NULL,
         PRIMARY KEY (subject_key, entity_id)
     );
     CREATE TABLE ownership_files (
         id TEXT PRIMARY KEY,
         seq BIGINT NOT NULL,
         name TEXT NOT NULL,
         loaded_at TEXT NOT NULL,
         bytes BYTEA NOT NULL
     );
     CREATE TABLE leases (
         name TEXT PRIMARY KEY,
         holder TEXT NOT NULL,
         expires_at BIGINT NOT NULL
     );",
    ),
    (
        10,
        "CREATE TABLE ui_sessions (
             token_sha256 TEXT PRIMARY KEY,
             key_sha256 TEXT NOT NULL,
             csrf TEXT NOT NULL,
             expires_at BIGINT NOT NULL,
             flash TEXT
         );",
    ),
    (
        11,
        "ALTER TABLE alerts ADD COLUMN origin TEXT;
         CREATE TABLE suppressions (
             id BIGSERIAL PRIMARY KEY,
             subject_key TEXT NOT NULL,
             entity_id TEXT NOT NULL,
             subject_hash TEXT NOT NULL,
             entity_hash TEXT NOT NULL,
             alert_id BIGINT NOT NULL,
             actor TEXT NOT NULL,
             second_actor TEXT,
             at TEXT NOT NULL,
             revoked_at TEXT,
             revoked_by TEXT
         );
         CREATE INDEX suppressions_by_subject ON suppressions(subject_key);
         INSERT INTO suppressions (subject_key, entity_id, subject_hash, entity_hash, alert_id, actor, at)
             SELECT subject_key, entity_id, subject_hash, entity_hash, alert_id, actor, at FROM dispositions;
         DROP TABLE dispositions;",
    ),
    (
        12,
        "ALTER TABLE ownership_files ADD COLUMN options TEXT NOT NULL DEFAULT '';",
    ),
    (
        // The queue's filter columns (filled for older alerts by `backfill_facets`)
        // and the indexes that page the queue and the audit trail. Unlike SQLite's,
        // the queue index leaves out the lists and programmes: a b-tree row is
        // limited to about 2.7 kB, and an alert on many lists must still be written.
        13,
        "ALTER TABLE alerts ADD COLUMN top_score DOUBLE PRECISION;
         ALTER TABLE alerts ADD COLUMN sources TEXT NOT NULL DEFAULT '';
         ALTER TABLE alerts ADD COLUMN programs TEXT NOT NULL DEFAULT '';
         CREATE INDEX alerts_queue ON alerts(status, id, kind, top_score, assignee, created_at, updated_at);
         CREATE INDEX audit_by_action ON audit_log(action, seq);
         CREATE INDEX audit_by_actor ON audit_log(actor, seq);",
    ),
];

/// Fills the queue's filter columns of alerts raised before schema 13.
fn backfill_facets(tx: &mut postgres::Transaction<'_>) -> Result<()> {
    let rows = tx.query("SELECT id, matches FROM alerts", &[])?;
    for row in rows {
        let id: i64 = row.try_get(0)?;
        let matches: String = row.try_get(1)?;
        let matches: serde_json::Value = serde_json::from_str(&matches)
            .map_err(|e| StoreError::Corrupt(format!("alert {id}: matches: {e}")))?;
        let f = AlertFacets::of(&matches);
        tx.execute(
            "UPDATE alerts SET top_score = $2, sources = $3, programs = $4 WHERE id = $1",
            &[&id, &f.top_score, &f.sources, &f.programs],
        )?;
    }
    Ok(())
}

/// A PostgreSQL error with the server's own message, which `postgres::Error`'s
/// display leaves out ("db error").
pub(crate) fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = format!("{} ({})", db.message(), db.code().code());
            if let Some(detail) = db.detail() {
                s.push_str(": ");
                s.push_str(detail);
            }
            s
        }
        // "error connecting to server" alone does not say why: add the cause
        // ("Connection refused", a DNS failure, a timeout).
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

/// A connection URL with its password replaced by `***`.
pub(crate) fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let Some(at) = rest.rfind('@') else {
        return url.to_string();
    };
    match rest[..at].find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end + 3],
            &rest[..colon],
            &rest[at..]
        ),
        None => url.to_string(),
    }
}

fn connect(url: &str) -> Result<Client> {
    Client::connect(url, NoTls).map_err(|e| {
        StoreError::Invalid(format!(
            "cannot connect to PostgreSQL at {}: {}",
            redact(url),
            describe(&e)
        ))
    })
}

pub struct PgStore {
    client: RefCell<Client>,
    url: String,
    /// How many [`PgStore::write`] / [`Store::run_atomically`] calls are open: inner
    /// ones use savepoints.
    depth: u32,
}

impl PgStore {
    /// A page's rows, read by `read`, and the total its filter holds.
    fn page<T>(&self, sql: PageSql, read: impl Fn(&Row) -> Result<T>) -> Result<(Vec<T>, u64)> {
        let mut c = self.client()?;
        let total: i64 = c
            .query_one(&sql.count, &pg_params(&sql.values[..sql.filter_len]))?
            .try_get(0)?;
        let rows = c
            .query(&sql.page, &pg_params(&sql.values))?
            .iter()
            .map(read)
            .collect::<Result<Vec<_>>>()?;
        Ok((rows, total as u64))
    }

    /// Connects, and creates or migrates the schema (refusing a newer one).
    pub fn connect(url: &str) -> Result<PgStore> {
        let mut client = connect(url)?;
        migrate(&mut client)?;
        Ok(PgStore {
            client: RefCell::new(client),
            url: url.to_string(),
            depth: 0,
        })
    }

    /// The connection, re-established if the server dropped it (a restart, a
    /// failover): the next request after an outage works without restarting Redline.
    fn client(&self) -> Result<RefMut<'_, Client>> {
        let mut client = self.client.borrow_mut();
        if client.is_closed() && self.depth == 0 {
            *client = connect(&self.url)?;
        }
        Ok(client)
    }

    /// Runs `f` in a transaction of its own, or in a savepoint inside an open one.
    fn write<T>(&mut self, f: impl FnOnce(&mut Client) -> Result<T>) -> Result<T> {
        let nested = self.depth > 0;
        if !nested {
            drop(self.client()?);
        }
        let client = self.client.get_mut();
        client.batch_execute(if nested {
            "SAVEPOINT redline_write"
        } else {
            "BEGIN"
        })?;
        self.depth += 1;
        let out = f(client);
        self.depth -= 1;
        let end = match (out.is_ok(), nested) {
            (true, true) => "RELEASE SAVEPOINT redline_write",
            (true, false) => "COMMIT",
            (false, true) => "ROLLBACK TO SAVEPOINT redline_write; RELEASE SAVEPOINT redline_write",
            (false, false) => "ROLLBACK",
        };
        match out {
            Ok(v) => {
                client.batch_execute(end)?;
                Ok(v)
            }
            Err(e) => {
                // The error that made us roll back is the one worth reporting.
                let _ = client.batch_execute(end);
                Err(e)
            }
        }
    }
}

/// Brings the schema to [`SCHEMA_VERSION`], one migration per transaction, under a
/// session lock so replicas started at once do not race.
fn migrate(client: &mut Client) -> Result<()> {
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])?;
    let result = (|| -> Result<()> {
        // Checked rather than CREATE IF NOT EXISTS, whose notice every start would log.
        let exists: bool = client
            .query_one("SELECT to_regclass('redline_schema') IS NOT NULL", &[])?
            .try_get(0)?;
        if !exists {
            client.batch_execute("CREATE TABLE redline_schema (version BIGINT NOT NULL)")?;
        }
        let current: i64 = client
            .query_opt("SELECT version FROM redline_schema", &[])?
            .map_or(0, |r| r.get(0));
        if current > SCHEMA_VERSION {
            return Err(StoreError::Invalid(format!(
                "the store has schema version {current}, newer than this Redline ({SCHEMA_VERSION}); upgrade Redline"
            )));
        }
        for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
            let mut tx = client.transaction()?;
            tx.batch_execute(sql)?;
            if *version == 13 {
                backfill_facets(&mut tx)?;
            }
            tx.execute("DELETE FROM redline_schema", &[])?;
            tx.execute(
                "INSERT INTO redline_schema (version) VALUES ($1)",
                &[version],
            )?;
            tx.commit()?;
        }
        Ok(())
    })();
    client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])?;
    result
}

/// A built clause's values as the driver binds them.
fn pg_params(values: &[SqlValue]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    values
        .iter()
        .map(|v| -> &(dyn postgres::types::ToSql + Sync) {
            match v {
                SqlValue::Text(t) => t,
                SqlValue::Real(r) => r,
                SqlValue::Int(i) => i,
            }
        })
        .collect()
}

fn lock(client: &mut Client, key: i64) -> Result<()> {
    client.execute("SELECT pg_advisory_xact_lock($1)", &[&key])?;
    Ok(())
}

fn read_version(row: &Row) -> Result<ListVersion> {
    let source: String = row.try_get("source")?;
    finish_version((
        ListVersion {
            id: row.try_get("id")?,
            source: source
                .parse::<SourceId>()
                .unwrap_or(SourceId::OpenSanctions),
            published: row.try_get("published")?,
            loaded_at: row.try_get("loaded_at")?,
            files: Vec::new(),
            file_hash: row.try_get("file_hash")?,
            content_hash: row.try_get("content_hash")?,
            counts: Counts::default(),
            warnings: row.try_get::<_, i64>("warnings")? as usize,
            active: row.try_get("active")?,
        },
        row.try_get("files")?,
        row.try_get("counts")?,
    ))
}

impl ListStore for PgStore {
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
        let mut seen = HashSet::new();
        if let Some(twice) = entities.iter().find(|e| !seen.insert(e.id.as_str())) {
            return Err(StoreError::Invalid(format!(
                "entity {} appears twice",
                twice.id
            )));
        }
        let hash = content_hash(entities);
        let id = version_id(&new, &hash);
        let source = new.source.as_str();
        let (id, created) = self.write(|c| {
            lock(c, LISTS_LOCK)?;
            let existing: Option<String> = c
                .query_opt(
                    "SELECT id FROM versions WHERE source = $1 AND content_hash = $2",
                    &[&source, &hash],
                )?
                .map(|r| r.get(0));
            let created = existing.is_none();
            let id = match existing {
                Some(existing) => existing,
                None => {
                    let counts = serde_json::to_string(&Counts::of(entities)).unwrap_or_default();
                    let files = serde_json::to_string(&new.files).unwrap_or_default();
                    c.execute(
                        "INSERT INTO versions (id, seq, source, published, loaded_at, files,
                                               file_hash, content_hash, counts, warnings, active)
                         VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM versions), $2, $3,
                                 $4, $5, $6, $7, $8, $9, FALSE)",
                        &[
                            &id,
                            &source,
                            &new.published,
                            &new.loaded_at,
                            &files,
                            &new.file_hash,
                            &hash,
                            &counts,
                            &(new.warnings as i64),
                        ],
                    )?;
                    let bodies: Vec<String> = entities.iter().map(entity_json).collect();
                    let hashes: Vec<String> =
                        bodies.iter().map(|b| sha256_hex(b.as_bytes())).collect();
                    let ids: Vec<&str> = entities.iter().map(|e| e.id.as_str()).collect();
                    // One statement per table, not one round trip per entity.
                    c.execute(
                        "INSERT INTO entity_bodies (hash, body)
                         SELECT * FROM UNNEST($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
                        &[&hashes, &bodies],
                    )?;
                    c.execute(
                        "INSERT INTO version_entities (version_id, entity_id, hash)
                         SELECT $1, * FROM UNNEST($2::text[], $3::text[])",
                        &[&id, &ids, &hashes],
                    )?;
                    id
                }
            };
            activate_in(c, source, &id)?;
            Ok((id, created))
        })?;
        Ok((self.version(&id)?, created))
    }

    fn versions(&self) -> Result<Vec<ListVersion>> {
        self.client()?
            .query("SELECT * FROM versions ORDER BY seq", &[])?
            .iter()
            .map(read_version)
            .collect()
    }

    fn activate(&mut self, id: &str) -> Result<ListVersion> {
        let version = self.version(id)?;
        self.write(|c| {
            lock(c, LISTS_LOCK)?;
            activate_in(c, version.source.as_str(), &version.id)
        })?;
        self.version(&version.id)
    }

    fn entities(&self, version_id: &str) -> Result<Vec<Entity>> {
        let version = self.version(version_id)?;
        self.client()?
            .query(
                "SELECT b.body FROM version_entities v JOIN entity_bodies b ON b.hash = v.hash
                 WHERE v.version_id = $1 ORDER BY v.entity_id",
                &[&version.id],
            )?
            .iter()
            .map(|r| decode_entity(&version.id, r.try_get(0)?))
            .collect()
    }

    fn entity(&self, version_id: &str, entity_id: &str) -> Result<Option<Entity>> {
        let version = self.version(version_id)?;
        let row = self.client()?.query_opt(
            "SELECT b.body FROM version_entities v JOIN entity_bodies b ON b.hash = v.hash
             WHERE v.version_id = $1 AND v.entity_id = $2",
            &[&version.id, &entity_id],
        )?;
        row.map(|r| decode_entity(&version.id, r.try_get(0)?))
            .transpose()
    }
}

/// Makes `id` the active version of `source` and announces it (delivered at commit).
fn activate_in(c: &mut Client, source: &str, id: &str) -> Result<()> {
    c.execute(
        "UPDATE versions SET active = FALSE WHERE source = $1 AND active",
        &[&source],
    )?;
    c.execute("UPDATE versions SET active = TRUE WHERE id = $1", &[&id])?;
    c.execute("SELECT pg_notify($1, $2)", &[&LISTS_CHANNEL, &id])?;
    Ok(())
}

fn read_key(row: &Row) -> Result<ApiKey> {
    finish_key((
        ApiKey {
            id: row.try_get("id")?,
            role: Role::Screen,
            label: row.try_get("label")?,
            created_at: row.try_get("created_at")?,
            revoked_at: row.try_get("revoked_at")?,
        },
        row.try_get("role")?,
    ))
}

impl KeyStore for PgStore {
    fn create_key(&mut self, key: &ApiKey, secret_sha256: &str) -> Result<()> {
        self.client()?.execute(
            "INSERT INTO api_keys (id, secret_sha256, role, label, created_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &key.id,
                &secret_sha256,
                &key.role.as_str(),
                &key.label,
                &key.created_at,
                &key.revoked_at,
            ],
        )?;
        Ok(())
    }

    fn find_key(&self, secret_sha256: &str) -> Result<Option<ApiKey>> {
        self.client()?
            .query_opt(
                "SELECT * FROM api_keys WHERE secret_sha256 = $1 AND revoked_at IS NULL",
                &[&secret_sha256],
            )?
            .as_ref()
            .map(read_key)
            .transpose()
    }

    fn keys(&self) -> Result<Vec<ApiKey>> {
        self.client()?
            .query("SELECT * FROM api_keys ORDER BY created_at, id", &[])?
            .iter()
            .map(read_key)
            .collect()
    }

    fn revoke_key(&mut self, id: &str, at: &str) -> Result<ApiKey> {
        let row = self.client()?.query_opt(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *",
            &[&id, &at],
        )?;
        match row {
            Some(row) => read_key(&row),
            None => Err(StoreError::Invalid(format!("no API key with id {id:?}"))),
        }
    }
}

impl DecisionStore for PgStore {
    fn record_decision(&mut self, d: &NewDecision) -> Result<i64> {
        let versions = serde_json::to_string(&d.list_versions)
            .map_err(|e| StoreError::Invalid(format!("list versions: {e}")))?;
        let row = self.client()?.query_one(
            "INSERT INTO decisions (kind, created_at, input, input_sha256, list_versions,
                 policy_version, verdict, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            &[
                &d.kind,
                &d.created_at,
                &d.input,
                &d.input_sha256,
                &versions,
                &d.policy_version,
                &d.verdict,
                &d.body.to_string(),
            ],
        )?;
        Ok(row.try_get(0)?)
    }

    fn decision(&self, id: i64) -> Result<Option<StoredDecision>> {
        let row = self.client()?.query_opt(
            "SELECT kind, created_at, input, input_sha256, list_versions, policy_version,
                    verdict, body
             FROM decisions WHERE id = $1",
            &[&id],
        )?;
        let Some(r) = row else {
            return Ok(None);
        };
        let columns = (
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
            r.try_get(5)?,
            r.try_get(6)?,
            r.try_get(7)?,
        );
        finish_decision(id, columns).map(Some)
    }

    fn save_policy(&mut self, version: &str, text: &str) -> Result<()> {
        self.client()?.execute(
            "INSERT INTO policies (version, text) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&version, &text],
        )?;
        Ok(())
    }

    fn policy(&self, version: &str) -> Result<Option<String>> {
        Ok(self
            .client()?
            .query_opt("SELECT text FROM policies WHERE version = $1", &[&version])?
            .map(|r| r.get(0)))
    }
}

impl SubjectStore for PgStore {
    fn put_subjects(&mut self, subjects: &[(String, String)]) -> Result<usize> {
        // One row per id, the last given winning, as the SQLite store's
        // INSERT OR REPLACE does (PostgreSQL refuses to update a row twice in one
        // statement).
        let latest: BTreeMap<&str, &str> = subjects
            .iter()
            .map(|(id, body)| (id.as_str(), body.as_str()))
            .collect();
        let rows: Vec<(&str, &str)> = latest.into_iter().collect();
        self.write(|c| {
            for chunk in rows.chunks(CHUNK) {
                let ids: Vec<&str> = chunk.iter().map(|r| r.0).collect();
                let bodies: Vec<&str> = chunk.iter().map(|r| r.1).collect();
                c.execute(
                    "INSERT INTO subjects (id, body) SELECT * FROM UNNEST($1::text[], $2::text[])
                     ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                    &[&ids, &bodies],
                )?;
            }
            Ok(())
        })?;
        Ok(subjects.len())
    }

    fn subjects(&self) -> Result<Vec<(String, String)>> {
        self.client()?
            .query("SELECT id, body FROM subjects ORDER BY id", &[])?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    fn subject_count(&self) -> Result<usize> {
        let n: i64 = self
            .client()?
            .query_one("SELECT COUNT(*) FROM subjects", &[])?
            .try_get(0)?;
        Ok(n as usize)
    }

    fn subject_matches(&self) -> Result<Vec<SubjectMatch>> {
        self.client()?
            .query(
                "SELECT subject_id, entity_id, score FROM subject_matches ORDER BY subject_id, entity_id",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(SubjectMatch {
                    subject_id: r.try_get(0)?,
                    entity_id: r.try_get(1)?,
                    score: r.try_get(2)?,
                })
            })
            .collect()
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
        let latest: BTreeMap<(&str, &str), f64> = matches
            .iter()
            .map(|m| ((m.subject_id.as_str(), m.entity_id.as_str()), m.score))
            .collect();
        let rows: Vec<((&str, &str), f64)> = latest.into_iter().collect();
        self.write(|c| {
            for chunk in subjects.chunks(CHUNK) {
                c.execute(
                    "DELETE FROM subject_matches WHERE subject_id = ANY($1)",
                    &[&chunk],
                )?;
            }
            for chunk in entities.chunks(CHUNK) {
                c.execute(
                    "DELETE FROM subject_matches WHERE entity_id = ANY($1)",
                    &[&chunk],
                )?;
            }
            for chunk in rows.chunks(CHUNK) {
                let s: Vec<&str> = chunk.iter().map(|r| r.0 .0).collect();
                let e: Vec<&str> = chunk.iter().map(|r| r.0 .1).collect();
                let score: Vec<f64> = chunk.iter().map(|r| r.1).collect();
                c.execute(
                    "INSERT INTO subject_matches (subject_id, entity_id, score)
                     SELECT * FROM UNNEST($1::text[], $2::text[], $3::float8[])
                     ON CONFLICT (subject_id, entity_id) DO UPDATE SET score = excluded.score",
                    &[&s, &e, &score],
                )?;
            }
            put_setting(c, "screened_versions", &versions)
        })
    }

    fn screened_versions(&self) -> Result<Vec<String>> {
        match get_setting(&mut *self.client()?, "screened_versions")? {
            None => Ok(Vec::new()),
            Some(v) => serde_json::from_str(&v)
                .map_err(|e| StoreError::Corrupt(format!("screened versions: {e}"))),
        }
    }
}

fn put_setting(c: &mut Client, key: &str, value: &str) -> Result<()> {
    c.execute(
        "INSERT INTO settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&key, &value],
    )?;
    Ok(())
}

fn get_setting(c: &mut Client, key: &str) -> Result<Option<String>> {
    Ok(
        c.query_opt("SELECT value FROM settings WHERE key = $1", &[&key])?
            .map(|r| r.get(0)),
    )
}

fn read_audit(r: &Row) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        action: r.try_get("action")?,
        actor: r.try_get("actor")?,
        body: r.try_get("body")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

impl AuditStore for PgStore {
    fn append_audit(
        &mut self,
        at: &str,
        action: &str,
        actor: &str,
        body: &serde_json::Value,
    ) -> Result<AuditEntry> {
        self.write(|c| {
            // Every replica appends under this lock: one head, one chain.
            lock(c, WRITE_LOCK)?;
            let last: Option<(i64, String)> = c
                .query_opt(
                    "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                    &[],
                )?
                .map(|r| (r.get(0), r.get(1)));
            let e = next_entry(last, at, action, actor, body.to_string());
            c.execute(
                "INSERT INTO audit_log (seq, at, action, actor, body, prev_hash, hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &e.seq,
                    &e.at,
                    &e.action,
                    &e.actor,
                    &e.body,
                    &e.prev_hash,
                    &e.hash,
                ],
            )?;
            put_setting(c, "audit_head", &head_json(&e))?;
            Ok(e)
        })
    }

    fn audit_entries(&self, from: i64, limit: i64) -> Result<Vec<AuditEntry>> {
        self.client()?
            .query(
                "SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
                &[&from, &limit],
            )?
            .iter()
            .map(read_audit)
            .collect()
    }

    fn audit_page(&self, query: &AuditQuery) -> Result<AuditPage> {
        let (entries, total) = self.page(audit_page_sql(query, Dialect::Postgres), read_audit)?;
        Ok(AuditPage { entries, total })
    }

    fn verify_audit(&self) -> Result<Verification> {
        let mut c = self.client()?;
        // One snapshot for the log and its head: an append committing meanwhile
        // must not look like a truncated chain.
        let mut tx = c
            .build_transaction()
            .read_only(true)
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .start()?;
        let entries: Vec<AuditEntry> = tx
            .query("SELECT * FROM audit_log ORDER BY seq", &[])?
            .iter()
            .map(read_audit)
            .collect::<Result<_>>()?;
        let head: Option<String> = tx
            .query_opt("SELECT value FROM settings WHERE key = 'audit_head'", &[])?
            .map(|r| r.get(0));
        tx.commit()?;
        Ok(verify(&entries, parse_head(head)))
    }
}

fn read_alert(r: &Row) -> Result<AlertRecord> {
    finish_alert((
        AlertRecord {
            id: r.try_get("id")?,
            alert: NewAlert {
                kind: r.try_get("kind")?,
                subject_key: r.try_get("subject_key")?,
                subject: serde_json::Value::Null,
                matches: serde_json::Value::Null,
                list_versions: Vec::new(),
                decision_id: r.try_get("decision_id")?,
                at: r.try_get("updated_at")?,
                origin: None,
            },
            status: r.try_get("status")?,
            assignee: r.try_get("assignee")?,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        },
        r.try_get("subject")?,
        r.try_get("matches")?,
        r.try_get("list_versions")?,
        r.try_get("origin")?,
    ))
}

impl AlertStore for PgStore {
    fn raise_alert(&mut self, alert: &NewAlert) -> Result<(i64, bool)> {
        let versions = serde_json::to_string(&alert.list_versions)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let subject = alert.subject.to_string();
        let matches = alert.matches.to_string();
        let origin = origin_json(alert)?;
        let f = AlertFacets::of(&alert.matches);
        self.write(|c| {
            // Two replicas screening the same subject at once must not both find no
            // open alert and both insert one.
            lock(c, WRITE_LOCK)?;
            let open: Option<i64> = c
                .query_opt(
                    &format!(
                        "SELECT id FROM alerts WHERE kind = $1 AND subject_key = $2 AND status IN {OPEN_STATUSES} ORDER BY id DESC LIMIT 1"
                    ),
                    &[&alert.kind, &alert.subject_key],
                )?
                .map(|r| r.get(0));
            Ok(match open {
                Some(id) => {
                    c.execute(
                        "UPDATE alerts SET subject = $2, matches = $3, list_versions = $4, decision_id = COALESCE($5, decision_id), updated_at = $6, origin = COALESCE($7, origin), top_score = $8, sources = $9, programs = $10 WHERE id = $1",
                        &[&id, &subject, &matches, &versions, &alert.decision_id, &alert.at, &origin, &f.top_score, &f.sources, &f.programs],
                    )?;
                    (id, false)
                }
                None => {
                    let row = c.query_one(
                        "INSERT INTO alerts (kind, subject_key, subject, matches, list_versions, decision_id, status, created_at, updated_at, origin, top_score, sources, programs)
                         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $7, $8, $9, $10, $11) RETURNING id",
                        &[&alert.kind, &alert.subject_key, &subject, &matches, &versions, &alert.decision_id, &alert.at, &origin, &f.top_score, &f.sources, &f.programs],
                    )?;
                    (row.try_get(0)?, true)
                }
            })
        })
    }

    fn alert(&self, id: i64) -> Result<Option<AlertRecord>> {
        self.client()?
            .query_opt("SELECT * FROM alerts WHERE id = $1", &[&id])?
            .as_ref()
            .map(read_alert)
            .transpose()
    }

    fn open_alert(&self, kind: &str, subject_key: &str) -> Result<Option<AlertRecord>> {
        self.client()?
            .query_opt(
                &format!(
                    "SELECT * FROM alerts WHERE kind = $1 AND subject_key = $2 AND status IN {OPEN_STATUSES} ORDER BY id DESC LIMIT 1"
                ),
                &[&kind, &subject_key],
            )?
            .as_ref()
            .map(read_alert)
            .transpose()
    }

    fn alert_page(&self, query: &AlertQuery) -> Result<AlertPage> {
        let (alerts, total) = self.page(alert_page_sql(query, Dialect::Postgres), read_alert)?;
        Ok(AlertPage { alerts, total })
    }

    fn alert_actions(&self, id: i64) -> Result<Vec<AlertActionRecord>> {
        self.client()?
            .query(
                "SELECT at, actor, action, from_status, to_status, reason FROM alert_actions WHERE alert_id = $1 ORDER BY id",
                &[&id],
            )?
            .iter()
            .map(|r| {
                Ok(AlertActionRecord {
                    at: r.try_get(0)?,
                    actor: r.try_get(1)?,
                    action: r.try_get(2)?,
                    from_status: r.try_get(3)?,
                    to_status: r.try_get(4)?,
                    reason: r.try_get(5)?,
                })
            })
            .collect()
    }

    fn record_alert_action(&mut self, id: i64, a: &AlertActionRecord) -> Result<()> {
        self.write(|c| {
            lock(c, WRITE_LOCK)?;
            let moved = c.execute(
                "UPDATE alerts SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2",
                &[&id, &a.from_status, &a.to_status, &a.at],
            )?;
            insert_action(c, id, a, moved)
        })
    }

    fn assign_alert(
        &mut self,
        id: i64,
        assignee: Option<&str>,
        a: &AlertActionRecord,
    ) -> Result<()> {
        self.write(|c| {
            lock(c, WRITE_LOCK)?;
            let moved = c.execute(
                "UPDATE alerts SET assignee = $3, updated_at = $4 WHERE id = $1 AND status = $2",
                &[&id, &a.from_status, &assignee, &a.at],
            )?;
            insert_action(c, id, a, moved)
        })
    }

    fn put_disposition(&mut self, d: &DispositionRecord) -> Result<i64> {
        self.write(|c| {
            c.execute(
                SUPERSEDE_SQL,
                &[&d.at, &d.actor, &d.subject_key, &d.entity_id],
            )?;
            let row = c.query_one(
                &format!("{INSERT_SUPPRESSION_SQL} RETURNING id"),
                &[
                    &d.subject_key,
                    &d.entity_id,
                    &d.subject_hash,
                    &d.entity_hash,
                    &d.alert_id,
                    &d.actor,
                    &d.second_actor,
                    &d.at,
                ],
            )?;
            Ok(row.try_get(0)?)
        })
    }

    fn dispositions(&self, subject_key: &str) -> Result<Vec<DispositionRecord>> {
        self.client()?
            .query(
                &format!(
                    "SELECT {SUPPRESSION_COLUMNS} FROM suppressions
                     WHERE subject_key = $1 AND revoked_at IS NULL ORDER BY entity_id"
                ),
                &[&subject_key],
            )?
            .iter()
            .map(read_suppression)
            .collect()
    }

    fn suppressions(&self, include_revoked: bool, limit: usize) -> Result<Vec<DispositionRecord>> {
        let limit = limit as i64;
        self.client()?
            .query(
                &format!(
                    "SELECT {SUPPRESSION_COLUMNS} FROM suppressions
                     WHERE $1 OR revoked_at IS NULL ORDER BY id DESC LIMIT $2"
                ),
                &[&include_revoked, &limit],
            )?
            .iter()
            .map(read_suppression)
            .collect()
    }

    fn revoke_suppression(&mut self, id: i64, by: &str, at: &str) -> Result<DispositionRecord> {
        self.write(|c| {
            if c.execute(REVOKE_SUPPRESSION_SQL, &[&at, &by, &id])? == 0 {
                return Err(not_revocable(id));
            }
            let row = c.query_one(
                &format!("SELECT {SUPPRESSION_COLUMNS} FROM suppressions WHERE id = $1"),
                &[&id],
            )?;
            read_suppression(&row)
        })
    }
}

fn read_suppression(r: &Row) -> Result<DispositionRecord> {
    Ok(DispositionRecord {
        id: r.try_get(0)?,
        subject_key: r.try_get(1)?,
        entity_id: r.try_get(2)?,
        subject_hash: r.try_get(3)?,
        entity_hash: r.try_get(4)?,
        alert_id: r.try_get(5)?,
        actor: r.try_get(6)?,
        second_actor: r.try_get(7)?,
        at: r.try_get(8)?,
        revoked_at: r.try_get(9)?,
        revoked_by: r.try_get(10)?,
    })
}

fn insert_action(c: &mut Client, id: i64, a: &AlertActionRecord, moved: u64) -> Result<()> {
    check_moved(id, &a.from_status, moved)?;
    c.execute(
        INSERT_ACTION_SQL,
        &[
            &id,
            &a.at,
            &a.actor,
            &a.action,
            &a.from_status,
            &a.to_status,
            &a.reason,
        ],
    )?;
    Ok(())
}

impl OwnershipStore for PgStore {
    fn add_ownership_file(
        &mut self,
        name: &str,
        bytes: &[u8],
        options: &str,
        loaded_at: &str,
    ) -> Result<(String, bool)> {
        let id = crate::ownership::file_id(bytes, options);
        let added = self.write(|c| {
            lock(c, LISTS_LOCK)?;
            let added = c.execute(
                "INSERT INTO ownership_files (id, seq, name, loaded_at, bytes, options)
                 VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM ownership_files), $2, $3, $4, $5)
                 ON CONFLICT (id) DO NOTHING",
                &[&id, &name, &loaded_at, &bytes, &options],
            )?;
            // Ownership files change what is blocked: replicas reload as for a list.
            c.execute("SELECT pg_notify($1, $2)", &[&LISTS_CHANNEL, &id])?;
            Ok(added)
        })?;
        Ok((id, added == 1))
    }

    fn ownership_files(&self) -> Result<Vec<OwnershipFile>> {
        self.client()?
            .query(
                "SELECT id, name, loaded_at, bytes, options FROM ownership_files ORDER BY seq",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(OwnershipFile {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    loaded_at: r.try_get(2)?,
                    bytes: r.try_get(3)?,
                    options: r.try_get(4)?,
                })
            })
            .collect()
    }

    fn ownership_file_ids(&self) -> Result<Vec<String>> {
        self.client()?
            .query("SELECT id FROM ownership_files ORDER BY seq", &[])?
            .iter()
            .map(|r| Ok(r.try_get(0)?))
            .collect()
    }
}

impl LeaseStore for PgStore {
    fn take_lease(&mut self, name: &str, holder: &str, now: i64, ttl_secs: i64) -> Result<bool> {
        let changed = self
            .client()?
            .execute(TAKE_LEASE_SQL, &[&name, &holder, &(now + ttl_secs), &now])?;
        Ok(changed == 1)
    }

    fn release_lease(&mut self, name: &str, holder: &str) -> Result<()> {
        self.client()?
            .execute(RELEASE_LEASE_SQL, &[&name, &holder])?;
        Ok(())
    }
}

impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn schema_version(&self) -> Result<i64> {
        Ok(self
            .client()?
            .query_opt("SELECT version FROM redline_schema", &[])?
            .map_or(0, |r| r.get(0)))
    }

    /// The orphan checks, one active version per source, and the audit chain.
    fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        {
            let mut c = self.client()?;
            for (what, sql) in ORPHAN_CHECKS {
                let n: i64 = c.query_one(sql, &[])?.try_get(0)?;
                if n > 0 {
                    problems.push(format!("{what}: {n}"));
                }
            }
        }
        problems.extend(chain_problem(self.verify_audit()?));
        Ok(problems)
    }

    /// Locks are taken as the writes inside need them (the write lock by the first
    /// alert or audit write) and held to the end, so reads before them run in
    /// parallel across replicas. No lock order can cycle: the write lock is never
    /// taken while another writer could be waiting for a row this transaction holds
    /// (alert rows are written only under it; a list load takes the lists lock, then
    /// the write lock, as nothing else does the other way round); and PostgreSQL
    /// would end a cycle with an error, rolled back like any other.
    fn lock_alerts(&mut self) -> Result<()> {
        if self.depth == 0 {
            return Err(StoreError::Invalid(
                "lock_alerts outside a transaction would hold nothing".into(),
            ));
        }
        lock(self.client.get_mut(), WRITE_LOCK)
    }

    fn run_atomically(&mut self, f: &mut dyn FnMut(&mut dyn Store) -> Result<()>) -> Result<()> {
        if self.depth > 0 {
            return f(self);
        }
        drop(self.client()?);
        self.client.get_mut().batch_execute("BEGIN")?;
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        let client = self.client.get_mut();
        match out {
            Ok(()) => {
                client.batch_execute("COMMIT")?;
                Ok(())
            }
            Err(e) => {
                let _ = client.batch_execute("ROLLBACK");
                Err(e)
            }
        }
    }
}

/// How long [`ListChanges::wait`] listens on after an announcement for more of the
/// same burst (a load of every source at once).
const ANNOUNCEMENT_SETTLE: Duration = Duration::from_millis(50);

/// Waits for list loads announced on [`LISTS_CHANNEL`] (by any replica or CLI
/// sharing the database), on a connection of its own.
pub struct ListChanges {
    client: Client,
    url: String,
}

impl ListChanges {
    pub fn listen(url: &str) -> Result<ListChanges> {
        let mut client = connect(url)?;
        client.batch_execute(&format!("LISTEN {LISTS_CHANNEL}"))?;
        Ok(ListChanges {
            client,
            url: url.to_string(),
        })
    }

    /// Waits up to `timeout` for an announcement; `true` if one (or several) came. A
    /// lost connection is an error; the next call reconnects.
    pub fn wait(&mut self, timeout: Duration) -> Result<bool> {
        if self.client.is_closed() {
            *self = ListChanges::listen(&self.url)?;
        }
        let mut notes = self.client.notifications();
        if notes.timeout_iter(timeout).next()?.is_none() {
            return Ok(false);
        }
        // Several loads at once need one reload, not several: what arrives within a
        // short settling time of the last announcement is part of the same burst.
        while notes.timeout_iter(ANNOUNCEMENT_SETTLE).next()?.is_some() {}
        Ok(true)
    }
}

impl SessionStore for PgStore {
    fn put_session(&mut self, s: &SessionRecord, now: i64) -> Result<()> {
        self.write(|c| {
            c.execute(PRUNE_SESSIONS_SQL, &[&now])?;
            c.execute(
                PUT_SESSION_SQL,
                &[
                    &s.token_sha256,
                    &s.key_sha256,
                    &s.csrf,
                    &s.expires_at,
                    &s.flash,
                ],
            )?;
            Ok(())
        })
    }

    fn session(&self, token_sha256: &str, now: i64) -> Result<Option<SessionRecord>> {
        self.client()?
            .query_opt(GET_SESSION_SQL, &[&token_sha256, &now])?
            .map(|r| {
                Ok(SessionRecord {
                    token_sha256: r.try_get(0)?,
                    key_sha256: r.try_get(1)?,
                    csrf: r.try_get(2)?,
                    expires_at: r.try_get(3)?,
                    flash: r.try_get(4)?,
                })
            })
            .transpose()
    }

    fn delete_session(&mut self, token_sha256: &str) -> Result<()> {
        self.client()?
            .execute(DELETE_SESSION_SQL, &[&token_sha256])?;
        Ok(())
    }

    fn flash(&mut self, token_sha256: &str, message: Option<&str>) -> Result<Option<String>> {
        self.write(|c| {
            // FOR UPDATE: two pages loading at once show the message once.
            let old: Option<String> = c
                .query_opt(&format!("{GET_FLASH_SQL} FOR UPDATE"), &[&token_sha256])?
                .and_then(|r| r.get(0));
            c.execute(SET_FLASH_SQL, &[&message, &token_sha256])?;
            Ok(old)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            redact("postgres://redline:s3cret@db:5432/redline"),
            "postgres://redline:***@db:5432/redline"
        );
        assert_eq!(redact("postgres://db/redline"), "postgres://db/redline");
        assert_eq!(
            redact("postgresql://u@localhost/x"),
            "postgresql://u@localhost/x"
        );
    }
}
