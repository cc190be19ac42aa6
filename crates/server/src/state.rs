//! What every request shares: the matching index of the active list versions (the
//! *snapshot*), the store, the key cache, metrics and the admission limit.
//!
//! The snapshot sits behind an atomic pointer (`arc-swap`). A request takes its own
//! reference when it starts and screens against that to the end, so a reload never
//! changes the lists under a request in flight, and readers never wait on a lock
//! while a new index is built.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use arc_swap::ArcSwapOption;
use redline_matching::Index;
use redline_store::{ApiKey, ListVersion, Store};
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::auth::KeyCache;
use crate::error::ApiError;
use crate::index_cache::{IndexCache, IndexKind};
use crate::metrics::Metrics;
use crate::ServeConfig;

/// The index built from the active version of every list, and those versions.
pub struct Snapshot {
    pub index: Index,
    /// Exact-identifier tables (BIC, LEI, IMO) for payment screening, built with the index.
    pub lookups: redline_payments::ListLookups,
    /// Ownership-derived blocks (OFAC 50%, EU/UK) over these lists and the stored
    /// ownership files; `None` if the ownership data could not be read.
    pub ownership: Option<crate::ownership::OwnershipView>,
    /// Why the ownership data could not be read, if it could not: the service logs
    /// it and screens on; the CLI refuses to screen without it.
    pub ownership_error: Option<String>,
    pub versions: Vec<ListVersion>,
    pub loaded_at: SystemTime,
}

impl Snapshot {
    /// The snapshot of the store's active list versions and ownership files: what
    /// the service, the CLI and (for the versions a decision recorded) an audit
    /// replay screen against.
    pub fn load_active(
        store: &dyn Store,
        cache: Option<&IndexCache>,
    ) -> redline_store::Result<Snapshot> {
        let (entities, versions) = store.active_entities()?;
        Ok(Snapshot::build_cached(
            entities,
            versions,
            &store.ownership_files()?,
            cache,
        ))
    }

    /// The snapshot a decision was made against, from the ids it recorded: list
    /// version ids and `ownership@…` file ids.
    pub fn load_recorded(store: &dyn Store, ids: &[String]) -> redline_store::Result<Snapshot> {
        let files: Vec<redline_store::OwnershipFile> = store
            .ownership_files()?
            .into_iter()
            .filter(|f| ids.contains(&f.id))
            .collect();
        let mut entities = Vec::new();
        let mut versions = Vec::new();
        for id in ids {
            if files.iter().any(|f| &f.id == id) {
                continue;
            }
            if id.starts_with("ownership@") {
                return Err(redline_store::StoreError::Invalid(format!(
                    "ownership file {id} is not in the store"
                )));
            }
            let version = store.version(id)?;
            entities.extend(store.entities(&version.id)?);
            versions.push(version);
        }
        Ok(Snapshot::build(entities, versions, &files))
    }

    /// Builds the index over the entities of `versions`, and the ownership view over
    /// them and the operator's ownership files. The index names both the list
    /// versions and the ownership files (`ownership@…`): every decision made on it
    /// records all the data it depended on.
    pub fn build(
        entities: Vec<redline_model::Entity>,
        versions: Vec<ListVersion>,
        ownership_files: &[redline_store::OwnershipFile],
    ) -> Snapshot {
        Snapshot::build_cached(entities, versions, ownership_files, None)
    }

    /// [`Snapshot::build`], with the index read from `cache` when a snapshot of it is
    /// there, and written to it when not. The ownership view is derived either way
    /// (the service reports on it); its blocks ride in the snapshot for
    /// [`Screening`]. Without usable ownership data nothing is cached.
    pub fn build_cached(
        entities: Vec<redline_model::Entity>,
        versions: Vec<ListVersion>,
        ownership_files: &[redline_store::OwnershipFile],
        cache: Option<&IndexCache>,
    ) -> Snapshot {
        let (ownership, ownership_error) = match crate::ownership::derive(
            &entities,
            &versions,
            ownership_files,
            redline_ownership::AsOf::Latest,
        ) {
            Ok(view) => (Some(view), None),
            Err(e) => {
                tracing::error!(error = %e, "ownership data unreadable: screening without derived blocks");
                (None, Some(e))
            }
        };
        let mut entities = entities;
        if let Some(view) = &ownership {
            let operator = view.operator_entities(&entities);
            entities.extend(operator);
        }
        let ids: Vec<String> = versions
            .iter()
            .map(|v| v.id.clone())
            .chain(ownership.iter().flat_map(|o| o.files.clone()))
            .collect();
        let index = match (cache, &ownership) {
            (Some(cache), Some(view)) => match cache.load(IndexKind::Screening, &ids) {
                Some((index, _)) => {
                    // Read to derive the ownership view: not decoded again.
                    index.adopt_entities(entities);
                    index
                }
                None => {
                    let index = Index::build(entities, ids);
                    let blocks = serde_json::to_string(&view.blocks()).unwrap_or_default();
                    cache.save_or_warn(IndexKind::Screening, &index, &blocks);
                    index
                }
            },
            _ => Index::build(entities, ids),
        };
        Snapshot {
            lookups: redline_payments::ListLookups::build(&index),
            ownership,
            ownership_error,
            index,
            versions,
            loaded_at: SystemTime::now(),
        }
    }

    pub fn version_ids(&self) -> &[String] {
        self.index.versions()
    }

    /// The version a source's entities come from.
    pub fn version_of(&self, source: redline_model::SourceId) -> Option<&ListVersion> {
        self.versions.iter().find(|v| v.source == source)
    }

    /// The stale lists among those a screening of `sources` (empty: all) used, at
    /// `now`: what every answer names.
    pub fn stale_lists(
        &self,
        freshness: &redline_store::FreshnessPolicy,
        now: &str,
        sources: &[redline_model::SourceId],
    ) -> Vec<redline_store::Age> {
        freshness.stale_among(&self.versions, now, sources)
    }

    /// Names the stale lists (by the operator's freshness settings) in a payment or
    /// trade decision. Kept in the recorded body for the auditor, but left out when a
    /// replay compares: it depends on the settings of the day, not on the message,
    /// lists and policy.
    pub fn note_stale_lists(
        &self,
        answer: &mut serde_json::Value,
        freshness: &redline_store::FreshnessPolicy,
        at: &str,
    ) {
        answer["stale_lists"] = serde_json::json!(self.stale_lists(freshness, at, &[]));
    }
}

/// What a one-off screening (`redline screen`) needs: the index of the active list
/// versions and ownership files, and the blocks ownership derives. From the index
/// snapshot when there is one — no entity is read from the store and no graph is
/// built — and otherwise from a full [`Snapshot`], whose index is then written.
pub struct Screening {
    pub index: Index,
    pub blocks: crate::ownership::DerivedBlocks,
    pub versions: Vec<ListVersion>,
}

impl Screening {
    /// The screening of the store's active data. Unusable ownership data is an
    /// error: a screening that silently missed an ownership block would pass what it
    /// should hold.
    pub fn load(store: &dyn Store, cache: &IndexCache) -> Result<Screening, ScreeningError> {
        let versions = store.active_versions()?;
        let ids: Vec<String> = (versions.iter().map(|v| v.id.clone()))
            .chain(store.ownership_file_ids()?)
            .collect();
        if let Some((index, attachment)) = cache.load(IndexKind::Screening, &ids) {
            match serde_json::from_str(&attachment) {
                Ok(blocks) => {
                    return Ok(Screening {
                        index,
                        blocks,
                        versions,
                    })
                }
                // Written by this engine yet unreadable: built again below.
                Err(error) => {
                    tracing::warn!(%error, "index snapshot's ownership blocks unreadable: rebuilding");
                    cache.discard(IndexKind::Screening, &ids);
                }
            }
        }
        let snapshot = Snapshot::load_active(store, Some(cache))?;
        match (snapshot.ownership, snapshot.ownership_error) {
            (Some(view), None) => Ok(Screening {
                blocks: view.blocks(),
                index: snapshot.index,
                versions: snapshot.versions,
            }),
            (_, error) => Err(ScreeningError::Ownership(error.unwrap_or_default())),
        }
    }
}

/// Why a [`Screening`] could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScreeningError {
    #[error(transparent)]
    Store(#[from] redline_store::StoreError),
    #[error("the stored ownership data cannot be used: {0}")]
    Ownership(String),
}

/// What a reload did.
#[derive(Debug, Clone, Serialize)]
pub struct ReloadOutcome {
    /// Whether the active versions changed (and a new index is serving).
    pub changed: bool,
    pub previous: Vec<String>,
    pub list_versions: Vec<String>,
}

/// An analyst signed in to the web UI (`/ui`), as a request sees it: the session is
/// kept in the store (any replica can serve the next page), the key is the one its
/// hash finds now (revoked: no session).
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub key: ApiKey,
    /// The token every state-changing form must echo back (CSRF).
    pub csrf: String,
}

pub(crate) struct Inner {
    pub config: ServeConfig,
    snapshot: ArcSwapOption<Snapshot>,
    stores: Arc<StorePool>,
    /// Wakes the list watcher at once when another process announces a list load.
    pub(crate) list_changed: Arc<tokio::sync::Notify>,
    /// Announcements of list loads (PostgreSQL LISTEN), taken by the watcher thread.
    pub(crate) list_changes: Mutex<Option<redline_store::ListChanges>>,
    /// Who this process is, for leases: `<host>:<pid>:<random>`.
    pub holder: String,
    pub keys: KeyCache,
    pub metrics: Metrics,
    pub admission: Arc<Semaphore>,
    pub pool: crate::pool::ScreeningPool,
    /// The payment policy and its TOML text (kept with every decision).
    pub payment_policy: Arc<(redline_payments::Policy, String)>,
    /// The goods list and route policy trades are screened with.
    pub trade_lists: Arc<(redline_goods::GoodsList, redline_goods::RoutePolicy)>,
    /// Where index snapshots are read and written (none: the index is built on
    /// every reload).
    index_cache: Option<IndexCache>,
    reloading: tokio::sync::Mutex<()>,
}

/// The service's shared state; cheap to clone.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

impl AppState {
    /// A service over `store`. No list is served until [`AppState::reload`] has run.
    pub fn new(config: ServeConfig, store: Box<dyn Store>) -> AppState {
        AppState::with_stores(config, vec![store])
    }

    /// A service over several connections to one store, used in turns: store calls
    /// (key look-ups, alert and audit writes) from concurrent requests run in parallel
    /// up to their number.
    pub fn with_stores(config: ServeConfig, stores: Vec<Box<dyn Store>>) -> AppState {
        AppState(Arc::new(Inner {
            keys: KeyCache::new(std::time::Duration::from_secs(config.key_cache_secs)),
            admission: Arc::new(Semaphore::new(config.max_in_flight.max(1))),
            pool: crate::pool::ScreeningPool::new(config.screening_threads, config.max_queued),
            trade_lists: Arc::new((
                redline_goods::GoodsList::builtin().clone(),
                redline_goods::RoutePolicy::builtin().clone(),
            )),
            payment_policy: Arc::new((
                redline_payments::Policy::default_policy(),
                redline_payments::DEFAULT_POLICY_TOML.to_string(),
            )),
            config,
            snapshot: ArcSwapOption::empty(),
            stores: Arc::new(StorePool::new(stores)),
            list_changed: Arc::new(tokio::sync::Notify::new()),
            list_changes: Mutex::new(None),
            holder: process_holder(),
            metrics: Metrics::new(),
            index_cache: None,
            reloading: tokio::sync::Mutex::new(()),
        }))
    }

    /// Changes a setting of a service that is not serving yet (`self` not shared);
    /// on one already shared, nothing changes.
    fn configured(self, set: impl FnOnce(&mut Inner)) -> AppState {
        match Arc::try_unwrap(self.0) {
            Ok(mut inner) => {
                set(&mut inner);
                AppState(Arc::new(inner))
            }
            Err(shared) => AppState(shared),
        }
    }

    /// Reads and writes index snapshots in `cache`: a restart or a replica on the
    /// same machine loads the index instead of building it. Call before serving.
    pub fn with_index_cache(self, cache: IndexCache) -> AppState {
        self.configured(|inner| inner.index_cache = Some(cache))
    }

    /// Screens trades with this goods list and route policy instead of the built-in
    /// CHPL and route policy. Call before serving.
    pub fn with_trade_lists(
        self,
        goods: redline_goods::GoodsList,
        routes: redline_goods::RoutePolicy,
    ) -> AppState {
        self.configured(|inner| inner.trade_lists = Arc::new((goods, routes)))
    }

    /// Screens payments with this policy (`text` is its TOML, recorded with decisions)
    /// instead of the built-in default. Call before serving.
    pub fn with_payment_policy(self, policy: redline_payments::Policy, text: String) -> AppState {
        self.configured(|inner| inner.payment_policy = Arc::new((policy, text)))
    }

    pub fn config(&self) -> &ServeConfig {
        &self.0.config
    }

    /// The snapshot serving now, if any list is loaded.
    pub fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.0.snapshot.load_full()
    }

    /// The snapshot, or 503 `not_ready` when no list version is loaded.
    pub fn ready_snapshot(&self) -> Result<Arc<Snapshot>, ApiError> {
        self.snapshot().ok_or_else(|| {
            ApiError::unavailable(
                "not_ready",
                "no list version is loaded; load a list and reload",
            )
        })
    }

    /// Runs a matching job on the screening pool (503 `overloaded` if its queue is full).
    pub async fn screen_job<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let result = self.0.pool.run(job).await;
        if result.is_err() {
            self.0.metrics.shed.inc();
        }
        result
    }

    /// Wakes the list watcher whenever another process announces a list load
    /// (PostgreSQL NOTIFY), instead of waiting for its next poll. Call before serving.
    pub fn with_list_changes(self, changes: redline_store::ListChanges) -> AppState {
        if let Ok(mut slot) = self.0.list_changes.lock() {
            *slot = Some(changes);
        }
        self
    }

    /// Runs `f` with a free store connection on a blocking thread: database calls
    /// must not stall the async workers.
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let pool = self.0.stores.clone();
        let permit = pool
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::internal("the store pool is closed"))?;
        tokio::task::spawn_blocking(move || {
            let mut lease = pool.take(permit)?;
            Ok(f(lease.store()))
        })
        .await
        .map_err(|e| ApiError::internal(format!("store task failed: {e}")))?
    }

    /// Rescreens the stored customer base against what the lists changed, unless
    /// another replica holds the rescreen lease (it is doing the work). Failures are
    /// logged: the matches stay as they were and the next list change tries again.
    pub async fn rescreen_subjects(&self) {
        let holder = self.0.holder.clone();
        let outcome = self
            .with_store(move |store| {
                let now = std::time::SystemTime::now();
                let unix = now
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64);
                crate::rescreen::rescreen_once(
                    store,
                    &holder,
                    None,
                    &redline_matching::Options::default(),
                    unix,
                    &crate::rfc3339(now),
                )
            })
            .await;
        match outcome {
            Ok(Ok(crate::rescreen::Outcome::Done(done))) => {
                let r = &done.report;
                tracing::info!(
                    subjects = r.subjects,
                    rescreened = r.rescreened,
                    new = r.new.len(),
                    changed = r.changed.len(),
                    removed = r.removed.len(),
                    seconds = done.elapsed.as_secs_f64(),
                    "stored subjects rescreened"
                );
            }
            Ok(Ok(crate::rescreen::Outcome::HeldElsewhere)) => {
                tracing::info!("stored subjects: another replica holds the rescreen lease")
            }
            Ok(Ok(crate::rescreen::Outcome::UpToDate)) => {
                tracing::info!("stored subjects: already screened against these lists")
            }
            Ok(Ok(crate::rescreen::Outcome::NoSubjects)) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "rescreen of stored subjects failed"),
            Err(e) => tracing::error!(error = %e, "rescreen of stored subjects failed"),
        }
    }

    /// Serves the store's active list versions: builds a new index (or loads its
    /// snapshot) if they changed (or `force`) and swaps it in atomically. On any failure the old snapshot keeps
    /// serving. Reloads run one at a time.
    pub async fn reload(&self, force: bool) -> Result<ReloadOutcome, ApiError> {
        let _one_at_a_time = self.0.reloading.lock().await;
        let previous: Vec<String> = self
            .snapshot()
            .map(|s| s.version_ids().to_vec())
            .unwrap_or_default();
        // The snapshot names the list versions and then the ownership files it was
        // built from, in the store's order.
        let known = previous.clone();
        // The store is held only while entities are read; the index is built without
        // it, so key look-ups are not held up by a reload.
        let fetched = self
            .with_store(move |store| {
                // What the snapshot reflects: list versions and ownership files.
                let mut active: Vec<String> =
                    store.active_versions()?.into_iter().map(|v| v.id).collect();
                active.extend(store.ownership_file_ids()?);
                if !force && !active.is_empty() && active == known {
                    return Ok(None);
                }
                let (entities, versions) = store.active_entities()?;
                Ok(Some((entities, versions, store.ownership_files()?)))
            })
            .await?
            .map_err(|e: redline_store::StoreError| {
                ApiError::internal(format!("reload failed, still serving the old lists: {e}"))
            })?;
        let changed = match fetched {
            None => false,
            Some((_, versions, _)) if versions.is_empty() => {
                return Err(ApiError::unavailable(
                    "not_ready",
                    "the store has no active list version",
                ))
            }
            Some((entities, versions, files)) => {
                let cache = self.0.index_cache.clone();
                let snapshot = tokio::task::spawn_blocking(move || {
                    Snapshot::build_cached(entities, versions, &files, cache.as_ref())
                })
                .await
                .map_err(|e| ApiError::internal(format!("index build failed: {e}")))?;
                let changed = snapshot.version_ids() != previous.as_slice();
                self.0.snapshot.store(Some(Arc::new(snapshot)));
                self.0.metrics.reloads.inc();
                changed
            }
        };
        let list_versions = self
            .snapshot()
            .map(|s| s.version_ids().to_vec())
            .unwrap_or_default();
        if changed {
            tracing::info!(?previous, ?list_versions, "list versions reloaded");
        }
        Ok(ReloadOutcome {
            changed,
            previous,
            list_versions,
        })
    }
}

/// The service's store connections. A permit says a connection is free; the
/// connection itself is taken from the list on the blocking thread that uses it.
struct StorePool {
    free: Mutex<Vec<Box<dyn Store>>>,
    permits: Arc<Semaphore>,
}

impl StorePool {
    fn new(stores: Vec<Box<dyn Store>>) -> StorePool {
        StorePool {
            permits: Arc::new(Semaphore::new(stores.len())),
            free: Mutex::new(stores),
        }
    }

    fn take(&self, permit: tokio::sync::OwnedSemaphorePermit) -> Result<PooledStore<'_>, ApiError> {
        let store = self
            .free
            .lock()
            .map_err(|_| ApiError::internal("the store pool lock is poisoned"))?
            .pop()
            .ok_or_else(|| ApiError::internal("no free store connection"))?;
        Ok(PooledStore {
            pool: self,
            store: Some(store),
            permit: Some(permit),
        })
    }
}

/// A connection out of the pool; it goes back when dropped — unless its user
/// panicked, which may have left it inside a transaction: then it is closed and the
/// pool is one smaller.
struct PooledStore<'a> {
    pool: &'a StorePool,
    store: Option<Box<dyn Store>>,
    permit: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl PooledStore<'_> {
    fn store(&mut self) -> &mut dyn Store {
        // Set from construction until drop.
        self.store
            .as_deref_mut()
            .expect("a pooled store is present until dropped")
    }
}

impl Drop for PooledStore<'_> {
    fn drop(&mut self) {
        let (Some(store), Some(permit)) = (self.store.take(), self.permit.take()) else {
            return;
        };
        if std::thread::panicking() {
            tracing::error!("a store call panicked: its connection is closed");
            permit.forget();
            return;
        }
        if let Ok(mut free) = self.pool.free.lock() {
            free.push(store);
        }
        drop(permit);
    }
}

/// An id for this process that other replicas can tell apart: host, pid and a
/// random part (pids repeat across containers).
fn process_holder() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "host".into());
    let mut random = [0u8; 4];
    let _ = getrandom::fill(&mut random);
    format!("{host}:{}:{}", std::process::id(), hex::encode(random))
}
