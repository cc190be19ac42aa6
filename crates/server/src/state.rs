//! What every request shares: the matching index of the active list versions (the
//! *snapshot*), the store, the key cache, metrics and the admission limit.
//!
//! The snapshot sits behind an atomic pointer (`arc-swap`). A request takes its own
//! reference when it starts and screens against that to the end, so a reload never
//! changes the lists under a request in flight, and readers never wait on a lock
//! while a new index is built.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use arc_swap::ArcSwapOption;
use redline_matching::Index;
use redline_store::{
    AlertStore, ApiKey, AuditStore, DecisionStore, KeyStore, ListStore, ListVersion, OwnershipStore,
};
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::auth::KeyCache;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::ServeConfig;

/// A store the service can use: list versions, API keys, decisions, alerts, the
/// audit trail.
pub trait Backend:
    ListStore + KeyStore + DecisionStore + AlertStore + AuditStore + OwnershipStore + Send
{
}
impl<T: ListStore + KeyStore + DecisionStore + AlertStore + AuditStore + OwnershipStore + Send>
    Backend for T
{
}

/// The index built from the active version of every list, and those versions.
pub struct Snapshot {
    pub index: Index,
    /// Exact-identifier tables (BIC, LEI, IMO) for payment screening, built with the index.
    pub lookups: redline_payments::ListLookups,
    /// Ownership-derived blocks (OFAC 50%, EU/UK) over these lists and the stored
    /// ownership files; `None` if the ownership data could not be read.
    pub ownership: Option<crate::ownership::OwnershipView>,
    pub versions: Vec<ListVersion>,
    pub loaded_at: SystemTime,
}

impl Snapshot {
    /// Builds the index over the entities of `versions`, and the ownership view over
    /// them and the operator's ownership files.
    pub fn build(
        entities: Vec<redline_model::Entity>,
        versions: Vec<ListVersion>,
        ownership_files: &[redline_store::OwnershipFile],
    ) -> Snapshot {
        let ownership = match crate::ownership::derive(
            &entities,
            &versions,
            ownership_files,
            redline_ownership::AsOf::Latest,
        ) {
            Ok(view) => Some(view),
            Err(e) => {
                tracing::error!(error = %e, "ownership data unreadable: screening without derived blocks");
                None
            }
        };
        let mut entities = entities;
        if let Some(view) = &ownership {
            let operator = view.operator_entities(&entities);
            entities.extend(operator);
        }
        let ids = versions.iter().map(|v| v.id.clone()).collect();
        let index = Index::build(entities, ids);
        Snapshot {
            lookups: redline_payments::ListLookups::build(&index),
            ownership,
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
}

/// What a reload did.
#[derive(Debug, Clone, Serialize)]
pub struct ReloadOutcome {
    /// Whether the active versions changed (and a new index is serving).
    pub changed: bool,
    pub previous: Vec<String>,
    pub list_versions: Vec<String>,
}

/// An analyst signed in to the web UI (`/ui`): the API key it signed in with, kept
/// in memory only, so a restart signs everyone out.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub key: ApiKey,
    /// The SHA-256 of the key's secret, to check on each request that the key has not
    /// been revoked since sign-in (the secret itself is never kept).
    pub key_hash: String,
    pub expires: Instant,
    /// The token every state-changing form must echo back (CSRF).
    pub csrf: String,
    /// A message for the next page shown (a decision taken or refused).
    pub flash: Option<String>,
}

pub(crate) struct Inner {
    pub config: ServeConfig,
    snapshot: ArcSwapOption<Snapshot>,
    store: Arc<Mutex<Box<dyn Backend>>>,
    pub keys: KeyCache,
    pub metrics: Metrics,
    pub admission: Arc<Semaphore>,
    pub pool: crate::pool::ScreeningPool,
    /// The payment policy and its TOML text (kept with every decision).
    pub payment_policy: Arc<(redline_payments::Policy, String)>,
    /// The goods list and route policy trades are screened with.
    pub trade_lists: Arc<(redline_goods::GoodsList, redline_goods::RoutePolicy)>,
    reloading: tokio::sync::Mutex<()>,
    /// Web UI sessions by their random token (the cookie's value).
    pub sessions: Mutex<HashMap<String, Session>>,
}

/// The service's shared state; cheap to clone.
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

impl AppState {
    /// A service over `store`. No list is served until [`AppState::reload`] has run.
    pub fn new(config: ServeConfig, store: Box<dyn Backend>) -> AppState {
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
            store: Arc::new(Mutex::new(store)),
            metrics: Metrics::new(),
            reloading: tokio::sync::Mutex::new(()),
            sessions: Mutex::new(HashMap::new()),
        }))
    }

    /// Screens payments with this policy (`text` is its TOML, recorded with decisions)
    /// instead of the built-in default. Call before serving.
    /// Screens trades with this goods list and route policy instead of the built-in
    /// CHPL and route policy. Call before serving.
    pub fn with_trade_lists(
        self,
        goods: redline_goods::GoodsList,
        routes: redline_goods::RoutePolicy,
    ) -> AppState {
        let mut inner = match Arc::try_unwrap(self.0) {
            Ok(inner) => inner,
            Err(shared) => return AppState(shared),
        };
        inner.trade_lists = Arc::new((goods, routes));
        AppState(Arc::new(inner))
    }

    pub fn with_payment_policy(self, policy: redline_payments::Policy, text: String) -> AppState {
        let mut inner = match Arc::try_unwrap(self.0) {
            Ok(inner) => inner,
            Err(shared) => return AppState(shared),
        };
        inner.payment_policy = Arc::new((policy, text));
        AppState(Arc::new(inner))
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

    /// Runs `f` with the store on a blocking thread: SQLite calls must not stall the
    /// async workers.
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Backend) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let store = self.0.store.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = store
                .lock()
                .map_err(|_| ApiError::internal("the store lock is poisoned"))?;
            Ok(f(guard.as_mut()))
        })
        .await
        .map_err(|e| ApiError::internal(format!("store task failed: {e}")))?
    }

    /// Serves the store's active list versions: builds a new index if they changed
    /// (or `force`) and swaps it in atomically. On any failure the old snapshot keeps
    /// serving. Reloads run one at a time.
    pub async fn reload(&self, force: bool) -> Result<ReloadOutcome, ApiError> {
        let _one_at_a_time = self.0.reloading.lock().await;
        let previous: Vec<String> = self
            .snapshot()
            .map(|s| s.version_ids().to_vec())
            .unwrap_or_default();
        let known: Vec<String> = self
            .snapshot()
            .map(|s| {
                let files = s
                    .ownership
                    .as_ref()
                    .map(|o| o.files.clone())
                    .unwrap_or_default();
                s.version_ids().iter().cloned().chain(files).collect()
            })
            .unwrap_or_default();
        // The store is held only while entities are read; the index is built without
        // it, so key look-ups are not held up by a reload.
        let fetched = self
            .with_store(move |store| {
                // What the snapshot reflects: list versions and ownership files.
                let mut active: Vec<String> =
                    store.active_versions()?.into_iter().map(|v| v.id).collect();
                active.extend(store.ownership_files()?.into_iter().map(|f| f.id));
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
                let snapshot = tokio::task::spawn_blocking(move || {
                    Snapshot::build(entities, versions, &files)
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
