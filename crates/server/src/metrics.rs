//! Prometheus metrics, served at `GET /metrics` in the text exposition format.
//!
//! Request counts and latency histograms are labelled by route *pattern*
//! (`/v1/entities/{id}`), never by the raw path, so a scan of ids cannot blow up the
//! number of series. List gauges are recomputed at each scrape from the snapshot
//! serving then, so they always describe the lists actually in use.

use std::sync::atomic::AtomicU64;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::state::Snapshot;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: String,
    pub method: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabels {
    pub kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ListLabels {
    pub source: String,
    pub version: String,
}

type Seconds = Gauge<f64, AtomicU64>;

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    pub screenings: Family<KindLabels, Counter>,
    pub alerts: Family<KindLabels, Counter>,
    pub shed: Counter,
    pub timeouts: Counter,
    pub reloads: Counter,
    list_age: Family<ListLabels, Seconds>,
    list_entities: Family<ListLabels, Gauge>,
    snapshot_loaded: Seconds,
    screening_queued: Gauge,
}

fn latency_histogram() -> Histogram {
    // 50 µs to ~1.6 s: inline screening lives at the low end, batches at the top.
    Histogram::new(exponential_buckets(0.000_05, 2.0, 16))
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("redline");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        let screenings = Family::<KindLabels, Counter>::default();
        let alerts = Family::<KindLabels, Counter>::default();
        let shed = Counter::default();
        let timeouts = Counter::default();
        let reloads = Counter::default();
        let list_age = Family::<ListLabels, Seconds>::default();
        let list_entities = Family::<ListLabels, Gauge>::default();
        let snapshot_loaded = Seconds::default();
        let screening_queued = Gauge::default();
        registry.register(
            "http_requests",
            "HTTP requests by route pattern, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route pattern",
            latency.clone(),
        );
        registry.register(
            "screenings",
            "Queries screened (names, payments, …)",
            screenings.clone(),
        );
        registry.register(
            "alerts",
            "Screenings with at least one match at or above the threshold",
            alerts.clone(),
        );
        registry.register(
            "shed_requests",
            "Requests refused with 503 because max_in_flight or max_queued was reached",
            shed.clone(),
        );
        registry.register(
            "timed_out_requests",
            "Requests answered 503 after request_timeout_ms",
            timeouts.clone(),
        );
        registry.register(
            "list_reloads",
            "Index rebuilds from the store",
            reloads.clone(),
        );
        registry.register(
            "list_version_age_seconds",
            "Age of each list version in use: now minus its publication date (or load time)",
            list_age.clone(),
        );
        registry.register(
            "list_entities",
            "Entities in each list version in use",
            list_entities.clone(),
        );
        registry.register(
            "index_loaded_timestamp_seconds",
            "When the index serving now was built (Unix time)",
            snapshot_loaded.clone(),
        );
        registry.register(
            "screening_queued",
            "Screening jobs waiting for or running on the screening threads",
            screening_queued.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            screenings,
            alerts,
            shed,
            timeouts,
            reloads,
            list_age,
            list_entities,
            snapshot_loaded,
            screening_queued,
        }
    }

    /// Counts a finished request.
    pub fn observe(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_string(),
                method: method.to_string(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_string(),
            })
            .observe(elapsed.as_secs_f64());
    }

    /// Counts `n` screenings of one kind, `hits` of which matched.
    pub fn screened(&self, kind: &str, n: u64, hits: u64) {
        let labels = KindLabels {
            kind: kind.to_string(),
        };
        self.screenings.get_or_create(&labels).inc_by(n);
        if hits > 0 {
            self.alerts.get_or_create(&labels).inc_by(hits);
        }
    }

    /// The text exposition, with the list gauges set from `snapshot`.
    pub fn render(&self, snapshot: Option<&Snapshot>, queued: usize) -> String {
        self.screening_queued.set(queued as i64);
        self.list_age.clear();
        self.list_entities.clear();
        if let Some(snapshot) = snapshot {
            let now = unix_seconds(SystemTime::now());
            for v in &snapshot.versions {
                let labels = ListLabels {
                    source: v.source.to_string(),
                    version: v.id.clone(),
                };
                let since = v
                    .published
                    .as_deref()
                    .or(Some(v.loaded_at.as_str()))
                    .and_then(timestamp_seconds);
                if let Some(since) = since {
                    self.list_age.get_or_create(&labels).set(now - since);
                }
                self.list_entities
                    .get_or_create(&labels)
                    .set(v.counts.entities as i64);
            }
            self.snapshot_loaded.set(unix_seconds(snapshot.loaded_at));
        }
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

fn unix_seconds(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS…` (UTC) as Unix seconds.
fn timestamp_seconds(text: &str) -> Option<f64> {
    let date = text.get(..10)?;
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let mut secs = days * 86_400;
    if let Some(time) = text.get(11..19) {
        let mut hms = time.split(':').map(|p| p.parse::<i64>().ok());
        if let (Some(Some(h)), Some(Some(m)), Some(Some(s))) = (hms.next(), hms.next(), hms.next())
        {
            secs += h * 3600 + m * 60 + s;
        }
    }
    Some(secs as f64)
}

#[cfg(test)]
mod tests {
    use super::timestamp_seconds;

    #[test]
    fn dates_and_times_become_unix_seconds() {
        assert_eq!(timestamp_seconds("1970-01-01"), Some(0.0));
        assert_eq!(timestamp_seconds("2024-02-23"), Some(1_708_646_400.0));
        assert_eq!(
            timestamp_seconds("2024-02-23T01:02:03Z"),
            Some(1_708_650_123.0)
        );
        assert_eq!(timestamp_seconds("2024-13-01"), None);
        assert_eq!(timestamp_seconds("soon"), None);
    }
}
