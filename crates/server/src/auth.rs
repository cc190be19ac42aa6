//! API keys on every route but the health checks.
//!
//! A client sends `Authorization: Bearer <key>` (or `ApiKey <key>`, as yente clients
//! do). The key's SHA-256 is looked up in the store; verified keys (and unknown ones)
//! are remembered for `key_cache_secs`, so the store is not asked on every request and
//! a revoked key stops working within that time. No key: 401; a key whose role is too
//! low for the route: 403.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use redline_store::{ApiKey, Role};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// A new key: its record and the secret, which is shown once and never stored.
pub fn mint_key(role: Role, label: &str, created_at: &str) -> Result<(ApiKey, String), String> {
    let mut random = [0u8; 24];
    getrandom::fill(&mut random).map_err(|e| format!("no randomness from the system: {e}"))?;
    let secret = format!("rl_{}", hex::encode(random));
    let key = ApiKey {
        // The id is a prefix of the secret: enough to recognise a key in a list,
        // far too little to use it.
        id: secret[..11].to_string(),
        role,
        label: label.to_string(),
        created_at: created_at.to_string(),
        revoked_at: None,
    };
    Ok((key, secret))
}

/// What is stored for a secret.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The authenticated caller, put in the request's extensions for handlers and logs.
#[derive(Debug, Clone)]
pub struct Caller(pub ApiKey);

/// Verified keys by secret hash, with when they were checked.
pub struct KeyCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Option<ApiKey>, Instant)>>,
}

/// Entries kept at most; a flood of random keys must not grow memory without bound.
const KEY_CACHE_MAX: usize = 10_000;

impl KeyCache {
    pub fn new(ttl: Duration) -> KeyCache {
        KeyCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, hash: &str) -> Option<Option<ApiKey>> {
        let entries = self.entries.lock().ok()?;
        let (key, at) = entries.get(hash)?;
        (at.elapsed() < self.ttl).then(|| key.clone())
    }

    fn put(&self, hash: String, key: Option<ApiKey>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= KEY_CACHE_MAX {
                entries.clear();
            }
            entries.insert(hash, (key, Instant::now()));
        }
    }
}

/// The key in an `Authorization` header: `Bearer <key>` or `ApiKey <key>`; on the
/// reconciliation routes also `?api_key=<key>`, for OpenRefine cannot send headers
/// (the request log records route patterns, never query strings).
fn presented_key(req: &Request) -> Option<&str> {
    let from_header = || {
        let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, key) = value.trim().split_once(' ')?;
        let scheme_ok =
            scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("apikey");
        (scheme_ok && !key.trim().is_empty()).then(|| key.trim())
    };
    let from_query = || {
        if !req.uri().path().starts_with("/reconcile/") {
            return None;
        }
        req.uri()
            .query()?
            .split('&')
            .find_map(|pair| pair.strip_prefix("api_key="))
            .filter(|k| !k.is_empty())
    };
    from_header().or_else(from_query)
}

async fn verify(state: &AppState, secret: &str) -> Result<Option<ApiKey>, ApiError> {
    verify_hash(state, secret_hash(secret)).await
}

/// The key with this secret hash, if valid: from the cache, else from the store. The
/// API and the web UI's sign-in and session checks all go through here, so a revoked
/// key stops working everywhere within `key_cache_secs`.
pub(crate) async fn verify_hash(
    state: &AppState,
    hash: String,
) -> Result<Option<ApiKey>, ApiError> {
    if let Some(known) = state.0.keys.get(&hash) {
        return Ok(known);
    }
    let lookup = hash.clone();
    let found = state
        .with_store(move |store| store.find_key(&lookup))
        .await?
        .map_err(|e| ApiError::internal(format!("cannot check the API key: {e}")))?;
    state.0.keys.put(hash, found.clone());
    Ok(found)
}

/// Middleware: lets the request through only with a key of at least `role`.
pub async fn require_role(
    State((state, role)): State<(AppState, Role)>,
    mut req: Request,
    next: Next,
) -> Response {
    let Some(secret) = presented_key(&req) else {
        return unauthorized("an API key is required: send Authorization: Bearer <key>");
    };
    let key = match verify(&state, secret).await {
        Ok(Some(key)) => key,
        Ok(None) => return unauthorized("the API key is not valid (unknown or revoked)"),
        Err(e) => return e.into_response(),
    };
    if !key.role.allows(role) {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "this route needs the {role} role; key {} has the {} role",
                key.id, key.role
            ),
        )
        .into_response();
    }
    req.extensions_mut().insert(Caller(key.clone()));
    let mut response = next.run(req).await;
    // On the response too, so the request log (outside this layer) can name the key.
    response.extensions_mut().insert(Caller(key));
    response
}

fn unauthorized(message: &str) -> Response {
    let mut response =
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer"),
    );
    response
}
