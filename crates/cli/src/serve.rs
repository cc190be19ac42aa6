//! `redline serve` and `redline keys`: the screening service and its API keys.
//!
//! Settings come from, in order of precedence: flags, `REDLINE_*` environment
//! variables, the TOML file given with `--config`, and the defaults of
//! [`redline_server::ServeConfig`].

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use redline_server::{AppState, ServeConfig};
use redline_store::Role;
use serde_json::json;

use crate::context;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0: any free port, printed at start).
    #[arg(long, env = "REDLINE_ADDR")]
    addr: Option<SocketAddr>,
    /// Screening requests admitted at once (incl. reading their body); more get 503.
    #[arg(long, env = "REDLINE_MAX_IN_FLIGHT")]
    max_in_flight: Option<usize>,
    /// Screening jobs queued for the matching threads at most; more get 503.
    #[arg(long, env = "REDLINE_MAX_QUEUED")]
    max_queued: Option<usize>,
    /// Threads running the matching engine (default: one per core).
    #[arg(long, env = "REDLINE_SCREENING_THREADS")]
    screening_threads: Option<usize>,
    /// Largest request body, in bytes.
    #[arg(long, env = "REDLINE_MAX_BODY_BYTES")]
    max_body_bytes: Option<usize>,
    /// Per-request timeout, in milliseconds.
    #[arg(long, env = "REDLINE_REQUEST_TIMEOUT_MS")]
    request_timeout_ms: Option<u64>,
    /// Seconds between checks for a newly activated list version (0: never).
    #[arg(long, env = "REDLINE_WATCH_INTERVAL_SECS")]
    watch_interval_secs: Option<u64>,
    /// Connections to the store, used in turns by concurrent requests.
    #[arg(long, env = "REDLINE_STORE_CONNECTIONS")]
    store_connections: Option<usize>,
    /// Async threads handling HTTP (default: one per core).
    #[arg(long, env = "REDLINE_WORKERS")]
    workers: Option<usize>,
    /// Payment screening policy: a TOML file, or a shipped profile (`default`,
    /// `russia-evidence`); default: the built-in policy.
    #[arg(long, env = "REDLINE_PAYMENT_POLICY")]
    payment_policy: Option<PathBuf>,
    /// Goods list for trade screening, in the CHPL's CSV shape (default: the built-in CHPL).
    #[arg(long, env = "REDLINE_GOODS_LIST")]
    goods_list: Option<PathBuf>,
    /// Route policy TOML for trade screening (default: the built-in policy).
    #[arg(long, env = "REDLINE_ROUTE_POLICY")]
    route_policy: Option<PathBuf>,
    /// Run `lists update` every this many seconds (0 or absent: never). Replicas take
    /// turns: one holds the update lease while it downloads and loads, and every
    /// replica reloads when the new versions are active.
    #[arg(long, env = "REDLINE_UPDATE_EVERY_SECS")]
    update_every_secs: Option<u64>,
    /// Sources the scheduled update fetches (default: every source with a URL).
    #[arg(
        long = "update-source",
        value_delimiter = ',',
        env = "REDLINE_UPDATE_SOURCES"
    )]
    update_sources: Vec<redline_model::SourceId>,
    /// A download URL for the scheduled update, `SOURCE=URL` (as `lists update --url`).
    #[arg(long = "update-url")]
    update_urls: Vec<String>,
    /// Log format: text or json.
    #[arg(long, env = "REDLINE_LOG_FORMAT", default_value = "text")]
    log_format: String,
}

impl ServeArgs {
    fn config(&self, file: Option<&Path>) -> Result<ServeConfig> {
        let mut config = context::settings(file)?;
        if let Some(v) = self.addr {
            config.addr = v;
        }
        if let Some(v) = self.max_in_flight {
            config.max_in_flight = v;
        }
        if let Some(v) = self.max_queued {
            config.max_queued = v;
        }
        if let Some(v) = self.screening_threads {
            config.screening_threads = v;
        }
        if let Some(v) = self.max_body_bytes {
            config.max_body_bytes = v;
        }
        if let Some(v) = self.request_timeout_ms {
            config.request_timeout_ms = v;
        }
        if let Some(v) = self.watch_interval_secs {
            config.watch_interval_secs = v;
        }
        if let Some(v) = self.store_connections {
            config.store_connections = v;
        }
        Ok(config)
    }
}

fn init_logging(format: &str) -> Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        "json" => builder.json().init(),
        "text" => builder.init(),
        other => bail!("--log-format {other:?}: expected text or json"),
    }
    Ok(())
}

/// Warnings (or what `RUST_LOG` asks for) on stderr, one plain line each, for the
/// commands other than `serve`.
pub fn init_warnings() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .try_init();
}

pub fn serve(
    location: &redline_store::Location,
    config_file: Option<&Path>,
    args: ServeArgs,
) -> Result<()> {
    let config = args.config(config_file)?;
    init_logging(&args.log_format)?;
    let store = context::open_store_with_lists(location)?;
    if store.keys()?.iter().all(|k| k.revoked_at.is_some()) {
        tracing::warn!(
            "no API keys: every route but /healthz and /readyz will answer 401; create one with `redline keys create --role admin`"
        );
    }
    // Every store connection is opened (and later closed) outside the async runtime:
    // the PostgreSQL client blocks on a runtime of its own, which tokio forbids on
    // its async threads. Store calls run on blocking threads (`with_store`).
    let (policy, policy_text) = crate::payment::load_policy(args.payment_policy.as_deref())?;
    let (goods, routes) =
        crate::trade::lists(args.goods_list.as_deref(), args.route_policy.as_deref())?;
    // The first connection (opened above, which loaded the bundled lists if the store
    // had none) and the rest of the pool.
    let mut stores = vec![store];
    for _ in 1..config.store_connections.max(1) {
        stores.push(context::open_store(location)?);
    }
    let addr = config.addr;
    let mut state = AppState::with_stores(config, stores)
        .with_payment_policy(policy, policy_text)
        .with_trade_lists(goods, routes);
    if let Some(cache) = context::index_cache() {
        state = state.with_index_cache(cache.clone());
    }
    if let redline_store::Location::Postgres(url) = location {
        // Other replicas' list loads are announced: reload at once.
        state = state.with_list_changes(redline_store::ListChanges::listen(url)?);
    }
    if let Some(every) = args.update_every_secs.filter(|&s| s > 0) {
        let schedule = UpdateSchedule {
            every: Duration::from_secs(every),
            sources: args.update_sources.clone(),
            urls: args.update_urls.clone(),
        };
        schedule.check()?;
        schedule.start(location.clone());
    }
    // The last reference to the state (and its connections) is dropped here, after
    // the runtime is gone.
    let keep = state.clone();
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    if let Some(n) = args.workers {
        runtime.worker_threads(n.max(1));
    }
    let runtime = runtime.build().context("cannot start the async runtime")?;
    let served = runtime.block_on(async move {
        let loaded = state
            .reload(true)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let bound = listener.local_addr()?;
        // On stdout, for scripts and tests that start the server on port 0.
        println!("redline: listening on http://{bound}");
        tracing::info!(%bound, list_versions = ?loaded.list_versions, "serving");
        redline_server::serve(listener, state, shutdown_signal())
            .await
            .context("the server stopped with an error")?;
        tracing::info!("stopped: requests in flight completed");
        Ok(())
    });
    drop(runtime);
    drop(keep);
    served
}

/// `lists update` on a schedule, in a thread of its own: downloads and parsing block,
/// and must not hold up requests. Each run takes the update lease first, so of
/// several replicas one updates and the others find the new versions when their
/// watcher reloads (which also rescreens the stored subjects). A failed run changes
/// nothing — `lists update` activates only complete, plausible files — and is logged;
/// the next run tries again.
struct UpdateSchedule {
    every: Duration,
    sources: Vec<redline_model::SourceId>,
    urls: Vec<String>,
}

/// The lease a scheduled update holds while it runs.
const UPDATE_LEASE: &str = "lists-update";

impl UpdateSchedule {
    /// Refuses, before serving, what would fail on every run: a malformed `--update-url`.
    fn check(&self) -> Result<()> {
        for u in &self.urls {
            crate::lists::url_override(u).context("--update-url")?;
        }
        Ok(())
    }

    fn start(self, location: redline_store::Location) {
        let holder = format!("{}:{}", context::login_name(), std::process::id());
        std::thread::spawn(move || loop {
            std::thread::sleep(self.every);
            match self.run_once(&location, &holder) {
                Ok(true) => tracing::info!("scheduled list update done"),
                Ok(false) => {
                    tracing::info!("scheduled list update: another replica holds the lease")
                }
                Err(e) => {
                    tracing::error!(error = %format!("{e:#}"), "scheduled list update failed; active versions unchanged")
                }
            }
        });
    }

    /// One update under the lease; `false` when another process holds it.
    fn run_once(&self, location: &redline_store::Location, holder: &str) -> Result<bool> {
        let mut store = context::open_store(location)?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        // Held at most one period: a holder killed mid-run blocks the next run only.
        let ttl = self.every.as_secs().max(60) as i64;
        if !store.take_lease(UPDATE_LEASE, holder, now, ttl)? {
            return Ok(false);
        }
        let result = crate::lists::update(
            store.as_mut(),
            &self.sources,
            &self.urls,
            false,
            crate::lists::Report::Log,
        );
        let released = store.release_lease(UPDATE_LEASE, holder);
        result?;
        released?;
        Ok(true)
    }
}

/// SIGTERM (what orchestrators send) or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown requested: finishing requests in flight");
}

#[derive(clap::Subcommand)]
pub enum KeysCommand {
    /// Create a key and print it (once: only its hash is stored).
    Create {
        /// screen, review or admin.
        #[arg(long)]
        role: Role,
        /// Who or what the key is for.
        #[arg(long, default_value = "")]
        label: String,
        #[arg(long)]
        json: bool,
    },
    /// Every key (without secrets), revoked ones included.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key by its id; the service stops accepting it within key_cache_secs.
    Revoke { id: String },
}

pub fn keys(location: &redline_store::Location, command: KeysCommand) -> Result<()> {
    let mut store = context::open_store(location)?;
    match command {
        KeysCommand::Create { role, label, json } => {
            let (key, secret) =
                redline_server::auth::mint_key(role, &label, &context::now_rfc3339())
                    .map_err(|e| anyhow::anyhow!(e))?;
            store.create_key(&key, &redline_server::auth::secret_hash(&secret))?;
            redline_store::AuditStore::append_audit(
                store.as_mut(),
                &context::now_rfc3339(),
                "keys.create",
                "cli",
                &json!({"id": key.id, "role": key.role, "label": key.label}),
            )?;
            if json {
                println!(
                    "{}",
                    json!({"id": key.id, "role": key.role, "label": key.label, "key": secret})
                );
            } else {
                println!("{secret}");
                eprintln!(
                    "created key {} with role {} — store it now: it is not shown again",
                    key.id, key.role
                );
            }
        }
        KeysCommand::List { json } => {
            let keys = store.keys()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&keys)?);
            } else {
                for k in keys {
                    println!(
                        "{}  {:<6}  created {}  {}{}",
                        k.id,
                        k.role,
                        k.created_at,
                        k.label,
                        k.revoked_at
                            .map(|r| format!("  (revoked {r})"))
                            .unwrap_or_default()
                    );
                }
            }
        }
        KeysCommand::Revoke { id } => {
            let key = store.revoke_key(&id, &context::now_rfc3339())?;
            redline_store::AuditStore::append_audit(
                store.as_mut(),
                &context::now_rfc3339(),
                "keys.revoke",
                "cli",
                &json!({"id": key.id, "role": key.role}),
            )?;
            println!("revoked {} ({})", key.id, key.role);
        }
    }
    Ok(())
}
