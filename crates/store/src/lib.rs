//! The versioned list store.
//!
//! Every load of a list becomes an immutable [`ListVersion`], identified by the hash of
//! its content, so a decision made months ago can be replayed against exactly the list
//! it saw. Loading and activating a version is one transaction: a load that fails part
//! way leaves the previously active version in place.
//!
//! Callers talk to the [`Store`] trait (one trait per kind of record, gathered in
//! one). Two backends implement it: [`SqliteStore`], the embedded default (one file,
//! one node), and [`PgStore`], PostgreSQL, which several stateless replicas share.
//! [`open`] picks one from a location: a file path or a `postgres://` URL.
//! Entity bodies are stored once per distinct content hash, so consecutive versions of
//! a list that differ in a few hundred entries cost a few hundred rows, not a copy.
//!
//! Both backends run the same numbered schema migrations when opened and refuse a
//! database whose schema is newer than the code. Writes that belong together (a
//! decision, its alert and their audit entries) go through [`atomically`]: a process
//! killed half way leaves none of them.

mod alerts;
mod audit;
mod decisions;
mod diff;
pub mod freshness;
mod keys;
mod leases;
mod ownership;
mod postgres;
mod queue;
mod rows;
mod sessions;
mod sqlite;
mod subjects;
#[doc(hidden)]
pub mod testing;

pub use alerts::{
    AlertActionRecord, AlertOrigin, AlertRecord, AlertStore, DispositionRecord, NewAlert,
};
pub use audit::{entry_hash, AuditEntry, AuditStore, Verification, GENESIS};
pub use decisions::{DecisionStore, NewDecision, StoredDecision};
pub use diff::{diff, ChangedEntity, ListDiff};
pub use freshness::{Age, FreshnessPolicy};
pub use keys::{ApiKey, KeyStore, Role};
pub use leases::LeaseStore;
pub use ownership::{OwnershipFile, OwnershipStore};
pub use postgres::{ListChanges, PgStore, LISTS_CHANNEL};
pub use queue::{AlertFacets, AlertPage, AlertQuery, AlertSort, AuditPage, AuditQuery, MAX_PAGE};
pub use sessions::{SessionRecord, SessionStore};
pub use sqlite::SqliteStore;
pub use subjects::{SubjectMatch, SubjectStore};

use redline_model::{Entity, Schema, SourceId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a load adds to the store.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub source: SourceId,
    /// The publication date the file states, `YYYY-MM-DD`, if any.
    pub published: Option<String>,
    /// When the load ran (RFC 3339, UTC); supplied by the caller.
    pub loaded_at: String,
    /// The files read, as named by the caller.
    pub files: Vec<String>,
    /// SHA-256 over the input files' bytes.
    pub file_hash: String,
    /// Warnings the parser reported.
    pub warnings: usize,
}

/// Entity, name, identifier and link counts of a version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub entities: usize,
    pub persons: usize,
    pub organizations: usize,
    pub vessels: usize,
    pub aircraft: usize,
    pub names: usize,
    pub identifiers: usize,
    pub links: usize,
}

impl Counts {
    pub fn of(entities: &[Entity]) -> Counts {
        let mut c = Counts {
            entities: entities.len(),
            ..Counts::default()
        };
        for e in entities {
            match e.schema {
                Schema::Person => c.persons += 1,
                Schema::Organization => c.organizations += 1,
                Schema::Vessel => c.vessels += 1,
                Schema::Aircraft => c.aircraft += 1,
            }
            c.names += e.names.len();
            c.identifiers += e.identifiers.len();
            c.links += e.links.len();
        }
        c
    }
}

/// An immutable, content-hashed version of one list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListVersion {
    /// `<source>@<date>-<first 12 hex digits of the content hash>`.
    pub id: String,
    pub source: SourceId,
    pub published: Option<String>,
    pub loaded_at: String,
    pub files: Vec<String>,
    pub file_hash: String,
    /// SHA-256 over the entities' canonical JSON, in id order.
    pub content_hash: String,
    pub counts: Counts,
    pub warnings: usize,
    /// Whether this is the version screening uses for its source.
    pub active: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("PostgreSQL error: {}", postgres::describe(.0))]
    Postgres(#[from] ::postgres::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("no list version {0:?}")]
    UnknownVersion(String),
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Where list versions live. Implementations must make [`ListStore::save_version`]
/// atomic: either the version is stored and active, or nothing changed.
pub trait ListStore {
    /// Stores the entities as a new version of their source and makes it active. If a
    /// version with the same content already exists it is re-activated instead, and
    /// `false` is returned with it.
    fn save_version(&mut self, new: NewVersion, entities: &[Entity])
        -> Result<(ListVersion, bool)>;
    /// Every version, oldest first.
    fn versions(&self) -> Result<Vec<ListVersion>>;
    /// The active version of each source that has one.
    fn active_versions(&self) -> Result<Vec<ListVersion>> {
        Ok(self.versions()?.into_iter().filter(|v| v.active).collect())
    }
    /// Finds a version by its id or an unambiguous prefix of it.
    fn version(&self, id: &str) -> Result<ListVersion> {
        let versions = self.versions()?;
        if let Some(v) = versions.iter().find(|v| v.id == id) {
            return Ok(v.clone());
        }
        let mut matching: Vec<ListVersion> = versions
            .into_iter()
            .filter(|v| v.id.starts_with(id))
            .collect();
        match matching.len() {
            1 => Ok(matching.remove(0)),
            0 => Err(StoreError::UnknownVersion(id.to_string())),
            _ => Err(StoreError::Invalid(format!(
                "{id:?} is a prefix of several versions ({}); give more of the id",
                matching
                    .iter()
                    .map(|v| v.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
    /// Makes an existing version the active one of its source.
    fn activate(&mut self, id: &str) -> Result<ListVersion>;
    /// All entities of a version, in id order.
    fn entities(&self, version_id: &str) -> Result<Vec<Entity>>;
    /// One entity of a version.
    fn entity(&self, version_id: &str, entity_id: &str) -> Result<Option<Entity>>;
    /// The entities of the active version of every list, and those versions: what a
    /// matching index is built from.
    fn active_entities(&self) -> Result<(Vec<Entity>, Vec<ListVersion>)> {
        let mut entities = Vec::new();
        let versions = self.active_versions()?;
        for v in &versions {
            entities.extend(self.entities(&v.id)?);
        }
        Ok((entities, versions))
    }
}

/// Canonical JSON of an entity: what content hashes are computed over.
pub fn entity_json(entity: &Entity) -> String {
    // Serialising our own types cannot fail (no maps with non-string keys).
    serde_json::to_string(entity).unwrap_or_default()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The content hash of a list: SHA-256 over its entities' canonical JSON in id order.
pub fn content_hash(entities: &[Entity]) -> String {
    let mut sorted: Vec<&Entity> = entities.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let mut hasher = Sha256::new();
    for e in sorted {
        hasher.update(entity_json(e).as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(hasher.finalize())
}

/// The id a version with this content gets.
pub fn version_id(new: &NewVersion, content_hash: &str) -> String {
    let date = new
        .published
        .clone()
        .unwrap_or_else(|| new.loaded_at.chars().take(10).collect());
    format!("{}@{}-{}", new.source, date, &content_hash[..12])
}

/// Every kind of record Redline keeps, in one store: what the CLI and the service
/// hold. Both backends implement it the same way; the store tests run against both.
pub trait Store:
    ListStore
    + KeyStore
    + DecisionStore
    + AlertStore
    + AuditStore
    + OwnershipStore
    + SubjectStore
    + LeaseStore
    + SessionStore
    + Send
{
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// The schema version the database is at (migrations run when it is opened).
    fn schema_version(&self) -> Result<i64>;
    /// Integrity problems, each named: the database's own checks where it has them,
    /// rows that point at rows that are not there, and the audit chain. Empty: all
    /// is well.
    fn check(&self) -> Result<Vec<String>>;
    /// Runs `f` as one transaction: every write in it lands, or none does (a process
    /// killed half way leaves nothing). Inside an outer call it simply runs `f`. Use
    /// [`atomically`], which takes any closure.
    fn run_atomically(&mut self, f: &mut dyn FnMut(&mut dyn Store) -> Result<()>) -> Result<()>;
    /// Inside [`atomically`]: waits until no other transaction is writing alerts or
    /// the audit trail, and keeps them waiting until this one ends — so what it reads
    /// next (is there an open alert for this subject?) stays true for the writes that
    /// follow. Alert and audit writes take it themselves; call it first to make a
    /// check-then-write safe across processes.
    fn lock_alerts(&mut self) -> Result<()>;
}

/// Runs `f` against `store` in one transaction (see [`Store::run_atomically`]).
pub fn atomically<T>(
    store: &mut dyn Store,
    f: impl FnOnce(&mut dyn Store) -> Result<T>,
) -> Result<T> {
    let mut f = Some(f);
    let mut out = None;
    store.run_atomically(&mut |s| {
        let f = f
            .take()
            .ok_or_else(|| StoreError::Invalid("a transaction body ran twice".into()))?;
        out = Some(f(s)?);
        Ok(())
    })?;
    out.ok_or_else(|| StoreError::Invalid("a transaction body did not run".into()))
}

/// Where a store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite database file.
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL connection URL (`postgres://user:password@host:port/database`).
    Postgres(String),
}

impl Location {
    /// Reads a `--database-url`: `postgres://` or `postgresql://` URLs are PostgreSQL;
    /// `sqlite://PATH`, `sqlite:PATH` or a bare path are SQLite files.
    pub fn parse(url: &str) -> Location {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Location::Postgres(url.to_string());
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        Location::Sqlite(path.into())
    }

    /// The location with any password replaced by `***`, for logs and messages.
    pub fn redacted(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => postgres::redact(url),
        }
    }
}

/// Opens (creating and migrating as needed) the store at `location`.
pub fn open(location: &Location) -> Result<Box<dyn Store>> {
    Ok(match location {
        Location::Sqlite(path) => Box::new(SqliteStore::open(path)?),
        Location::Postgres(url) => Box::new(PgStore::connect(url)?),
    })
}

/// The integrity queries both backends run: each counts rows that point at rows that
/// are not there. Plain SQL that SQLite and PostgreSQL read alike.
pub(crate) const ORPHAN_CHECKS: [(&str, &str); 6] = [
    (
        "version entities without a stored body",
        "SELECT COUNT(*) FROM version_entities ve LEFT JOIN entity_bodies b ON b.hash = ve.hash WHERE b.hash IS NULL",
    ),
    (
        "versions with no entities",
        "SELECT COUNT(*) FROM versions v WHERE NOT EXISTS (SELECT 1 FROM version_entities ve WHERE ve.version_id = v.id)",
    ),
    (
        "alerts pointing at a missing decision",
        "SELECT COUNT(*) FROM alerts a WHERE a.decision_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.id = a.decision_id)",
    ),
    (
        "alert actions of a missing alert",
        "SELECT COUNT(*) FROM alert_actions x WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.id = x.alert_id)",
    ),
    (
        "subject matches of a missing subject",
        "SELECT COUNT(*) FROM subject_matches m WHERE NOT EXISTS (SELECT 1 FROM subjects s WHERE s.id = m.subject_id)",
    ),
    (
        "decisions whose policy text is missing",
        "SELECT COUNT(*) FROM decisions d WHERE d.kind = 'payment' AND d.policy_version IS NOT NULL AND NOT EXISTS (SELECT 1 FROM policies p WHERE p.version = d.policy_version)",
    ),
];

/// A broken audit chain as a check problem.
pub(crate) fn chain_problem(chain: Verification) -> Option<String> {
    (!chain.intact).then(|| {
        format!(
            "audit trail broken at entry {}: {}",
            chain.first_broken.unwrap_or(0),
            chain.problem.unwrap_or_default()
        )
    })
}
