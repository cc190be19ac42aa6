//! Web UI sessions, kept in the store so that whichever replica the load balancer
//! picks can serve an analyst's next page, and a restart signs nobody out.
//!
//! A session is found by the SHA-256 of its cookie token: the token itself, like an
//! API key's secret, is never stored. The key it was opened with is checked again on
//! every page (by its hash), so revoking the key ends the session.

use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub token_sha256: String,
    /// The SHA-256 of the API key the analyst signed in with.
    pub key_sha256: String,
    /// The token every state-changing form must echo back.
    pub csrf: String,
    /// Unix seconds after which the session is over.
    pub expires_at: i64,
    /// A one-shot message for the next page.
    pub flash: Option<String>,
}

pub trait SessionStore {
    /// Stores a new session; expired ones (before `now`) are dropped on the way.
    fn put_session(&mut self, session: &SessionRecord, now: i64) -> Result<()>;
    /// The session with this token hash, if it has not expired by `now`.
    fn session(&self, token_sha256: &str, now: i64) -> Result<Option<SessionRecord>>;
    fn delete_session(&mut self, token_sha256: &str) -> Result<()>;
    /// Sets the one-shot message (`Some`), or takes it (`None`: returns and clears it).
    fn flash(&mut self, token_sha256: &str, message: Option<&str>) -> Result<Option<String>>;
}

pub(crate) const PUT_SESSION_SQL: &str =
    "INSERT INTO ui_sessions (token_sha256, key_sha256, csrf, expires_at, flash)
     VALUES ($1, $2, $3, $4, $5)";
pub(crate) const PRUNE_SESSIONS_SQL: &str = "DELETE FROM ui_sessions WHERE expires_at <= $1";
pub(crate) const GET_SESSION_SQL: &str =
    "SELECT token_sha256, key_sha256, csrf, expires_at, flash FROM ui_sessions
     WHERE token_sha256 = $1 AND expires_at > $2";
pub(crate) const DELETE_SESSION_SQL: &str = "DELETE FROM ui_sessions WHERE token_sha256 = $1";
pub(crate) const GET_FLASH_SQL: &str = "SELECT flash FROM ui_sessions WHERE token_sha256 = $1";
// SQL shared by both backends numbers its parameters in order of first appearance:
// SQLite reads `$N` as a name and binds by that order, PostgreSQL by the number.
pub(crate) const SET_FLASH_SQL: &str = "UPDATE ui_sessions SET flash = $1 WHERE token_sha256 = $2";
