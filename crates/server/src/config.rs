//! The service's settings. The binary fills them from flags, environment and an
//! optional TOML file; the library only reads them.

use std::net::SocketAddr;
use std::time::Duration;

use serde::Deserialize;

/// How the service runs. Every field has a default, so a TOML file may set any subset.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServeConfig {
    /// Where to listen.
    pub addr: SocketAddr,
    /// Largest request body accepted, in bytes (larger: 413).
    pub max_body_bytes: usize,
    /// Largest list file accepted by `POST /v1/lists/{source}`, in bytes.
    pub max_list_bytes: usize,
    /// A request that takes longer is answered 503 `timeout`.
    pub request_timeout_ms: u64,
    /// Requests on screening routes admitted at once (counting from before their body
    /// is read, so slow uploads hold a slot too); more are refused at once with 503
    /// `overloaded` and `Retry-After`.
    pub max_in_flight: usize,
    /// Screening jobs (a query or a batch) waiting for or running on the screening
    /// threads; more are refused at once with 503 `overloaded`. This bounds the queue,
    /// and so the wait: at ~60 µs a query on 2 threads, 128 jobs wait at most ~4 ms.
    pub max_queued: usize,
    /// Threads that run the matching engine (0: one per core). HTTP is handled on
    /// separate async threads, so the queue in front of the engine is explicit.
    pub screening_threads: usize,
    /// Most queries in one batch (`/v1/screen` `queries`, `/match` `queries`).
    pub max_batch: usize,
    /// How often to look for a newly activated list version in the store (0: never;
    /// `POST /v1/lists/reload` always works).
    pub watch_interval_secs: u64,
    /// How long a verified API key is trusted before the store is asked again, so a
    /// revoked key stops working within this time.
    pub key_cache_secs: u64,
    /// Connections to the store. Concurrent requests' store calls (key look-ups,
    /// decisions, alerts, audit entries) run in parallel up to this number; audit
    /// appends are serialised by the store itself either way.
    pub store_connections: usize,
    /// The score from which remembering a false positive needs a second reviewer
    /// (listed persons and vessels under a programme need one at any score).
    pub second_review_from: f64,
    /// When a list counts as stale, and the hard limit past which the service is not
    /// ready (`[freshness]`).
    pub freshness: redline_store::FreshnessPolicy,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 2 << 20,
            max_list_bytes: 512 << 20,
            request_timeout_ms: 10_000,
            max_in_flight: 512,
            max_queued: 128,
            screening_threads: 0,
            max_batch: 1000,
            watch_interval_secs: 30,
            key_cache_secs: 30,
            store_connections: 4,
            second_review_from: crate::review::SECOND_REVIEW_FROM,
            freshness: redline_store::FreshnessPolicy::default(),
        }
    }
}

impl ServeConfig {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.request_timeout_ms)
    }

    /// Reads a TOML file's text; unknown keys are an error (a typo must not pass silently).
    pub fn from_toml(text: &str) -> Result<ServeConfig, String> {
        let config: ServeConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        config.check()?;
        Ok(config)
    }

    /// Refuses settings no service should run with, naming the setting.
    pub fn check(&self) -> Result<(), String> {
        if !(self.second_review_from > 0.0 && self.second_review_from <= 1.0) {
            return Err(format!(
                "second_review_from: {} is outside (0, 1]",
                self.second_review_from
            ));
        }
        self.freshness.check()
    }
}
