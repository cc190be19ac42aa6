//! Leases: work that must run once across every process sharing a store — the delta
//! rescreen of the customer base after a list update — is done by whoever holds its
//! lease. A lease expires on its own, so a holder killed mid-run does not block the
//! work forever; the next process to try takes it over.

use crate::Result;

pub trait LeaseStore {
    /// Takes the lease `name` for `holder` until `now + ttl_secs` (Unix seconds) if
    /// nobody holds it, it has expired, or `holder` already holds it (renewal).
    /// Returns whether `holder` holds it now.
    fn take_lease(&mut self, name: &str, holder: &str, now: i64, ttl_secs: i64) -> Result<bool>;
    /// Gives the lease back, if `holder` still holds it.
    fn release_lease(&mut self, name: &str, holder: &str) -> Result<()>;
}

/// The upsert both backends use: it writes a row only when the lease is free,
/// expired or already the holder's, so "rows changed = 1" means "taken".
pub(crate) const TAKE_LEASE_SQL: &str =
    "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.expires_at <= $4 OR leases.holder = excluded.holder";

pub(crate) const RELEASE_LEASE_SQL: &str = "DELETE FROM leases WHERE name = $1 AND holder = $2";
