//! Loading a list: storing a parsed file as the new active version of its source,
//! with its audit entry — for the CLI (`redline lists load`) and for
//! `POST /v1/lists/{source}`, which loads a file through any replica.
//!
//! A load becomes active in the store in one transaction; the replicas serving it
//! switch when they hear of it (PostgreSQL NOTIFY) or at their next poll.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::Json;
use redline_model::SourceId;
use redline_sources::{InputFile, ParsedList};
use redline_store::{ListVersion, NewVersion, Store, StoreError};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::AppState;

/// Stores a parsed list as the new active version of its source and audits the
/// load, in one transaction. An empty list is refused: a broken feed must never
/// replace a good version with nothing.
pub fn save(
    store: &mut dyn Store,
    parsed: &ParsedList,
    files: &[InputFile<'_>],
    actor: &str,
    at: &str,
) -> redline_store::Result<(ListVersion, bool)> {
    let first = files.first().map_or("(no file)", |f| f.name);
    if parsed.entities.is_empty() {
        return Err(StoreError::Invalid(format!(
            "{first}: no entities in the file(s); not loading an empty list"
        )));
    }
    let mut hasher_input = Vec::new();
    for f in files {
        hasher_input.extend_from_slice(redline_store::sha256_hex(f.bytes).as_bytes());
    }
    let new = NewVersion {
        source: parsed.source,
        published: parsed.published.clone(),
        loaded_at: at.to_string(),
        files: files.iter().map(|f| f.name.to_string()).collect(),
        file_hash: redline_store::sha256_hex(&hasher_input),
        warnings: parsed.report.warnings.len(),
    };
    redline_store::atomically(store, |store| {
        let (version, created) = store.save_version(new, &parsed.entities)?;
        store.append_audit(
            at,
            "lists.load",
            actor,
            &json!({
                "version": version.id,
                "created": created,
                "files": version.files,
                "entities": version.counts.entities,
                "content_hash": version.content_hash,
            }),
        )?;
        Ok((version, created))
    })
}

/// Whether a request path is a list load (`/v1/lists/{source}`, not `reload`): list
/// files are larger than any screening request, and get their own body limit.
pub fn is_load_path(path: &str) -> bool {
    path.strip_prefix("/v1/lists/")
        .is_some_and(|rest| !rest.is_empty() && rest != "reload" && !rest.contains('/'))
}

/// Whether `s` is a real calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadParams {
    /// The publication date, `YYYY-MM-DD`, when the file does not state it.
    published: Option<String>,
    /// The file's name, as recorded with the version (default: `upload`).
    file: Option<String>,
}

/// `POST /v1/lists/{source}`: the body is one list file in its publisher's format
/// (OFAC SDN CSV, UN XML, UK OFSI XLSX, OpenSanctions JSON lines). It becomes the
/// active version of `source`; this replica serves it at once, the others when they
/// hear of it, and stored subjects are rescreened once.
pub async fn load(
    State(state): State<AppState>,
    Path(source): Path<String>,
    params: Result<Query<LoadParams>, axum::extract::rejection::QueryRejection>,
    caller: Option<axum::Extension<crate::auth::Caller>>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(params) = params.map_err(|e| {
        ApiError::bad_request(format!("{e}: expected published=YYYY-MM-DD and file=NAME"))
    })?;
    let body = body.map_err(crate::error::body_error)?;
    let source: SourceId = source.parse().map_err(ApiError::bad_request)?;
    if let Some(date) = &params.published {
        if !is_iso_date(date) {
            return Err(ApiError::bad_request(format!(
                "published {date:?}: expected a calendar date YYYY-MM-DD"
            )));
        }
    }
    let name = params.file.unwrap_or_else(|| "upload".into());
    let actor = caller.map_or_else(|| "-".to_string(), |c| c.0 .0.id.clone());
    let at = crate::rfc3339(std::time::SystemTime::now());
    // Parsing a national list takes a second or two: not on the async threads.
    let parse_name = name.clone();
    let parsed = tokio::task::spawn_blocking(move || {
        let files = [InputFile {
            name: &parse_name,
            bytes: &body,
        }];
        redline_sources::parse(source, &files).map(|parsed| (parsed, body))
    })
    .await
    .map_err(|e| ApiError::internal(format!("parse task failed: {e}")))?
    .map_err(|e| {
        ApiError::bad_request(format!(
            "not loaded, the active {source} version is unchanged: {e}"
        ))
    })?;
    let (mut parsed, bytes) = parsed;
    if params.published.is_some() {
        parsed.published = params.published;
    }
    let report = parsed.report.clone();
    let (version, created) = state
        .with_store(move |store| {
            let files = [InputFile {
                name: &name,
                bytes: &bytes,
            }];
            save(store, &parsed, &files, &actor, &at)
        })
        .await?
        .map_err(|e| {
            let message = format!("not loaded, the active {source} version is unchanged: {e}");
            match e {
                // The file's content (empty, an entity twice): the caller's to fix.
                StoreError::Invalid(_) => ApiError::bad_request(message),
                _ => ApiError::internal(message),
            }
        })?;
    let reload = state.reload(false).await?;
    if reload.changed {
        let state = state.clone();
        tokio::spawn(async move { state.rescreen_subjects().await });
    }
    Ok(Json(json!({
        "version": version,
        "created": created,
        "warnings": report.warnings.len(),
        "list_versions": reload.list_versions,
    })))
}
