//! Where the binary keeps its state, and the bundled list snapshot.
//!
//! The store lives under `--data-dir` / `REDLINE_DATA`, by default the platform data
//! directory (`~/.local/share/redline` on Linux). On first use, when the store has no
//! active list at all, the bundled OFAC and UN files compiled into the binary are
//! loaded, so a fresh clone screens without network access or set-up.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use redline_model::SourceId;
use redline_sources::{InputFile, ParsedList};
use redline_store::{ListStore, ListVersion, NewVersion, SqliteStore};

const BUNDLED_SDN: &[u8] = include_bytes!("../../../data/bundled/ofac-sdn-2024-05-03.csv.gz");
const BUNDLED_UN: &[u8] = include_bytes!("../../../data/bundled/un-sc-2026-02-27.xml.gz");

/// The bundled files: source, file name, publication date, gzip bytes.
const BUNDLED: [(SourceId, &str, Option<&str>, &[u8]); 2] = [
    (
        SourceId::OfacSdn,
        "bundled/ofac-sdn-2024-05-03.csv",
        Some("2024-05-03"),
        BUNDLED_SDN,
    ),
    (
        SourceId::UnSc,
        "bundled/un-sc-2026-02-27.xml",
        None,
        BUNDLED_UN,
    ),
];

pub fn data_dir(flag: Option<PathBuf>) -> Result<PathBuf> {
    let dir = match flag {
        Some(dir) => dir,
        None => dirs::data_dir()
            .map(|d| d.join("redline"))
            .context("no platform data directory: pass --data-dir or set REDLINE_DATA")?,
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    Ok(dir)
}

pub fn open_store(dir: &Path) -> Result<SqliteStore> {
    let path = dir.join("redline.db");
    SqliteStore::open(&path).with_context(|| format!("cannot open the store {}", path.display()))
}

/// Opens the store, loading the bundled lists if no list was ever loaded.
pub fn open_store_with_lists(dir: &Path) -> Result<SqliteStore> {
    let mut store = open_store(dir)?;
    if store.versions()?.is_empty() {
        for (source, name, published, gz) in BUNDLED {
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(gz)
                .read_to_end(&mut bytes)
                .with_context(|| format!("bundled file {name} is damaged"))?;
            let files = [InputFile {
                name,
                bytes: &bytes,
            }];
            let mut parsed = redline_sources::parse(source, &files)?;
            if parsed.published.is_none() {
                parsed.published = published.map(str::to_string);
            }
            save(&mut store, parsed, &files)?;
        }
    }
    Ok(store)
}

/// Stores a parsed list as a new active version.
pub fn save(
    store: &mut SqliteStore,
    parsed: ParsedList,
    files: &[InputFile<'_>],
) -> Result<(ListVersion, bool)> {
    if parsed.entities.is_empty() {
        bail!(
            "{}: no entities in the file(s); not loading an empty list",
            files[0].name
        );
    }
    let mut hasher_input = Vec::new();
    for f in files {
        hasher_input.extend_from_slice(redline_store::sha256_hex(f.bytes).as_bytes());
    }
    let new = NewVersion {
        source: parsed.source,
        published: parsed.published.clone(),
        loaded_at: now_rfc3339(),
        files: files.iter().map(|f| f.name.to_string()).collect(),
        file_hash: redline_store::sha256_hex(&hasher_input),
        warnings: parsed.report.warnings.len(),
    };
    let (version, created) = store.save_version(new, &parsed.entities)?;
    redline_store::AuditStore::append_audit(
        store,
        &now_rfc3339(),
        "lists.load",
        "cli",
        &serde_json::json!({
            "version": version.id,
            "created": created,
            "files": version.files,
            "entities": version.counts.entities,
            "content_hash": version.content_hash,
        }),
    )?;
    Ok((version, created))
}

/// The current time, RFC 3339 in UTC.
pub fn now_rfc3339() -> String {
    redline_model::date::rfc3339(std::time::SystemTime::now())
}
