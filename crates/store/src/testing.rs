//! Test support: a fresh PostgreSQL database per test, dropped afterwards.
//!
//! Tests that need PostgreSQL read the server from `REDLINE_TEST_DATABASE_URL` (a URL
//! whose role may create databases; `.ci/run` starts a Debian PostgreSQL and sets
//! it). Without it they are skipped with a notice — except under CI (`CI` set),
//! where a missing database is a failure, so the PostgreSQL half of the suite can
//! never silently not run.

use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::{Client, NoTls};

/// The variable naming the test server.
pub const TEST_DATABASE_URL: &str = "REDLINE_TEST_DATABASE_URL";

/// A database created for one test and dropped (with any open connections) when
/// this goes out of scope.
pub struct TempDatabase {
    admin_url: String,
    name: String,
    /// The new database's URL.
    pub url: String,
}

impl TempDatabase {
    /// A new empty database, or `None` when no test server is configured.
    pub fn create() -> Option<TempDatabase> {
        let admin_url = match std::env::var(TEST_DATABASE_URL) {
            Ok(url) if !url.trim().is_empty() => url,
            _ => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "{TEST_DATABASE_URL} is not set: CI must run the PostgreSQL tests"
                );
                eprintln!("skipped: set {TEST_DATABASE_URL} to run the PostgreSQL tests");
                return None;
            }
        };
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "redline_test_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = Client::connect(&admin_url, NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to {TEST_DATABASE_URL}: {e}"));
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("cannot create a test database: {e}"));
        let url = with_database(&admin_url, &name);
        Some(TempDatabase {
            admin_url,
            name,
            url,
        })
    }

    /// Runs SQL on the database directly, behind Redline's back.
    pub fn execute(&self, sql: &str) {
        let mut c = Client::connect(&self.url, NoTls).expect("connect to the test database");
        c.batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {}", crate::postgres::describe(&e)));
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = Client::connect(&self.admin_url, NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// `url` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    format!("{base}/{name}{query}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_names_are_replaced() {
        assert_eq!(
            super::with_database("postgres://u:p@h:5432/redline", "t1"),
            "postgres://u:p@h:5432/t1"
        );
        assert_eq!(
            super::with_database("postgres://u@h?sslmode=disable", "t1"),
            "postgres://u@h/t1?sslmode=disable"
        );
    }
}
