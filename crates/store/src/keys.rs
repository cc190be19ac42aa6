//! API keys: who may call the service, and with which role.
//!
//! Only a key's SHA-256 is stored. Keys are long random strings (not passwords a person
//! chooses), so a fast hash is enough: nothing can be guessed from it, and checking a key
//! on every request costs one hash and one look-up. Keys are never deleted, only revoked,
//! so the audit trail can always say which key made a request.

use serde::{Deserialize, Serialize};

use crate::Result;

/// What a key may do. Roles are ordered: `admin` may do everything `review` may, and
/// `review` everything `screen` may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Screen names, payments and trades.
    Screen,
    /// Also review alerts and read decisions.
    Review,
    /// Also reload lists and manage the service.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Screen, Role::Review, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Screen => "screen",
            Role::Review => "review",
            Role::Admin => "admin",
        }
    }

    /// Whether a key with this role may do what `needed` allows.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown role {s:?}: expected screen, review or admin"))
    }
}

/// A stored key, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    /// A short public id (the key's first characters), for listing and revoking.
    pub id: String,
    pub role: Role,
    pub label: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// Where API keys live.
pub trait KeyStore {
    /// Stores a new key by the SHA-256 (hex) of its secret.
    fn create_key(&mut self, key: &ApiKey, secret_sha256: &str) -> Result<()>;
    /// The key with this secret hash, if it exists and is not revoked.
    fn find_key(&self, secret_sha256: &str) -> Result<Option<ApiKey>>;
    /// Every key, revoked ones included, oldest first.
    fn keys(&self) -> Result<Vec<ApiKey>>;
    /// Revokes a key by its id; returns it, or an error if there is no such key.
    fn revoke_key(&mut self, id: &str, at: &str) -> Result<ApiKey>;
}
