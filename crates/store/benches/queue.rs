//! The review queue with 100,000 alerts in a real SQLite store: how long a reviewer
//! waits for a page of the open queue (first and last), a filtered and counted page,
//! and a page of the audit trail, with the indexes of schema 13.
//!
//! `cargo bench -p redline-store --bench queue`. Filling the store takes a while
//! (one transaction of 100,000 alerts and audit entries); it is done once.

use criterion::{criterion_group, criterion_main, Criterion};
use redline_store::{
    AlertQuery, AlertSort, AlertStore, AuditQuery, AuditStore, NewAlert, SqliteStore, Store,
};
use serde_json::json;

const ALERTS: i64 = 100_000;

fn filled(dir: &std::path::Path) -> SqliteStore {
    let mut store = SqliteStore::open(&dir.join("queue.db")).expect("a store");
    redline_store::atomically(&mut store as &mut dyn Store, |s| {
        for i in 1..=ALERTS {
            let source = ["us-ofac-sdn", "un-sc", "gb-hmt", "eu-fsf"][(i % 4) as usize];
            let program = ["RUSSIA-EO14024", "DPRK", "IRAN", "SDGT"][(i % 7 % 4) as usize];
            let at = format!(
                "2026-{:02}-{:02}T{:02}:{:02}:00Z",
                1 + (i / 10_000) % 12,
                1 + (i / 400) % 28,
                (i / 60) % 24,
                i % 60
            );
            let (id, _) = s.raise_alert(&NewAlert {
                kind: ["name", "payment", "subject", "trade"][(i % 4) as usize].into(),
                subject_key: format!("subject-{i}"),
                subject: json!({"name": format!("Customer {i}")}),
                matches: json!([{"entity_id": format!("{source}:{i}"), "source": source,
                    "caption": format!("LISTED PARTY {i}"),
                    "programs": [program],
                    "score": 0.6 + (i % 40) as f64 / 100.0}]),
                list_versions: vec!["un-sc@2026-02-27-74b6750d91fe".into()],
                decision_id: None,
                at: at.clone(),
                origin: None,
            })?;
            s.append_audit(&at, "alert.raise", "batch", &json!({"alert_id": id}))?;
        }
        Ok(())
    })
    .expect("filled");
    store
}

fn queue(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = filled(dir.path());
    let page = |q: AlertQuery| {
        let p = store
            .alert_page(&AlertQuery { limit: 100, ..q })
            .expect("a page");
        assert!(p.total > 0);
        p
    };
    let open = || AlertQuery {
        status: Some("open".into()),
        ..AlertQuery::default()
    };
    c.bench_function(
        "queue: open, oldest first, first page of 100 (100k alerts)",
        |b| b.iter(|| page(open())),
    );
    c.bench_function("queue: open, last page (offset 99,900)", |b| {
        b.iter(|| {
            page(AlertQuery {
                offset: 99_900,
                ..open()
            })
        })
    });
    c.bench_function("queue: list + programme + score band, by score", |b| {
        b.iter(|| {
            page(AlertQuery {
                source: Some("un-sc".into()),
                program: Some("DPRK".into()),
                min_score: Some(0.9),
                sort: AlertSort::Score,
                ..open()
            })
        })
    });
    c.bench_function("queue: nobody's, raised before March, newest first", |b| {
        b.iter(|| {
            page(AlertQuery {
                assignee: Some(String::new()),
                raised_before: Some("2026-03-01T00:00:00Z".into()),
                sort: AlertSort::Newest,
                ..open()
            })
        })
    });
    c.bench_function("audit: one alert's entries (100k entries)", |b| {
        b.iter(|| {
            store
                .audit_page(&AuditQuery {
                    alert_id: Some(54_321),
                    limit: 50,
                    ..AuditQuery::default()
                })
                .expect("a page")
        })
    });
    c.bench_function("audit: newest page of one action", |b| {
        b.iter(|| {
            store
                .audit_page(&AuditQuery {
                    action: Some("alert.raise".into()),
                    limit: 50,
                    ..AuditQuery::default()
                })
                .expect("a page")
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = queue
}
criterion_main!(benches);
