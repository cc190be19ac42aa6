//! Where the binary keeps its state, and the bundled list snapshot.
//!
//! The store is PostgreSQL when `--database-url` / `REDLINE_DATABASE_URL` names one
//! (replicas sharing a database); otherwise an SQLite file under `--data-dir` /
//! `REDLINE_DATA`, by default the platform data directory (`~/.local/share/redline`
//! on Linux). On first use, when the store has no
//! active list at all, the bundled list files compiled into the binary (OFAC SDN, UN,
//! UK OFSI, the US CSL, an EU extract, Australia, Canada, Japan's MOF and METI) are
//! loaded, so a fresh clone screens without network access or set-up.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};
use redline_model::SourceId;
use redline_sources::{InputFile, ParsedList};
use redline_store::{ListVersion, Location, Store};

/// A published list file compiled into the binary: the source it is read as, the
/// name it is loaded under, its publication date where the file does not say, and
/// its bytes (gzip-compressed when the name in `testdata/` ends in `.gz`).
struct Bundled {
    source: SourceId,
    name: &'static str,
    published: Option<&'static str>,
    bytes: &'static [u8],
    gzip: bool,
}

const fn is_gzip_name(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() > 3 && b[b.len() - 3] == b'.' && b[b.len() - 2] == b'g' && b[b.len() - 1] == b'z'
}

macro_rules! bundled {
    ($source:expr, $name:literal, $published:expr, $path:literal) => {
        Bundled {
            source: $source,
            name: $name,
            published: $published,
            bytes: include_bytes!(concat!("../../../testdata/", $path)),
            gzip: is_gzip_name($path),
        }
    };
}

/// Every list whose published file travels with the repository: the same real
/// files the tests read (`testdata/`, where `MANIFEST.md` gives each one's origin,
/// licence and SHA-256), so that each is kept once.
const BUNDLED: [Bundled; 9] = [
    bundled!(
        SourceId::OfacSdn,
        "bundled/ofac-sdn-2024-05-03.csv",
        Some("2024-05-03"),
        "ofac/sdn-2024-05-03.csv.gz"
    ),
    bundled!(
        SourceId::UnSc,
        "bundled/un-sc-2026-02-27.xml",
        None,
        "un/consolidated-2026-02-27.xml.gz"
    ),
    bundled!(
        SourceId::UkHmt,
        "bundled/ConList-2025-04-14.xlsx",
        Some("2025-04-14"),
        "uk_ofsi/ConList-2025-04-14.xlsx"
    ),
    bundled!(
        SourceId::UsCsl,
        "bundled/us-csl-consolidated-2022-05.csv",
        None,
        "us_csl/consolidated-2022-05.csv.gz"
    ),
    bundled!(
        SourceId::EuFsf,
        "bundled/eu-fsf-sample-2020-04-15.xml",
        None,
        "eu_fsf/fsf-sample-2020-04-15.xml"
    ),
    bundled!(
        SourceId::AuDfat,
        "bundled/regulation8_consolidated-2024-11-11.xlsx",
        None,
        "au_dfat/regulation8_consolidated-2024-11-11.xlsx"
    ),
    bundled!(
        SourceId::CaSema,
        "bundled/sema-lmes-2020-04.xml",
        Some("2020-04-15"),
        "ca_sema/sema-lmes-2020-04.xml.gz"
    ),
    bundled!(
        SourceId::JpMof,
        "bundled/shisantouketsu-2026-03-05.xlsx",
        None,
        "jp_mof/shisantouketsu-2026-03-05.xlsx"
    ),
    bundled!(
        SourceId::JpMeti,
        "bundled/end-user-list-2025-09-29.xlsx",
        Some("2025-09-29"),
        "jp_meti/end-user-list-2025-09-29.xlsx"
    ),
];

/// Where the store lives: the database URL if one is given, else the data directory's
/// `redline.db`.
pub fn store_location(data_dir: Option<PathBuf>, database_url: Option<&str>) -> Result<Location> {
    match database_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => Ok(Location::parse(url)),
        None => Ok(Location::Sqlite(
            self::data_dir(data_dir)?.join("redline.db"),
        )),
    }
}

fn data_dir(flag: Option<PathBuf>) -> Result<PathBuf> {
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

pub fn open_store(location: &Location) -> Result<Box<dyn Store>> {
    redline_store::open(location)
        .with_context(|| format!("cannot open the store {}", location.redacted()))
}

/// Opens the store, loading the bundled lists if no list was ever loaded.
///
/// `REDLINE_BUNDLED` narrows which bundled lists a new store gets (`ofac-sdn,un-sc`;
/// `none` for none): a bank that does not answer to Japan's lists leaves them out.
/// The choice holds for the store's life: once it has a list, nothing is added.
pub fn open_store_with_lists(location: &Location) -> Result<Box<dyn Store>> {
    let wanted = bundled_sources()?;
    let mut store = open_store(location)?;
    let fresh = store.versions()?.is_empty();
    let missing: Vec<&Bundled> = (BUNDLED.iter())
        .filter(|_| fresh)
        .filter(|b| wanted.as_ref().is_none_or(|w| w.contains(&b.source)))
        .collect();
    for file in missing {
        let mut bytes = Vec::new();
        if file.gzip {
            flate2::read::GzDecoder::new(file.bytes)
                .read_to_end(&mut bytes)
                .with_context(|| format!("bundled file {} is damaged", file.name))?;
        } else {
            bytes = file.bytes.to_vec();
        }
        let files = [InputFile {
            name: file.name,
            bytes: &bytes,
        }];
        let mut parsed = redline_sources::parse(file.source, &files)?;
        if parsed.published.is_none() {
            parsed.published = file.published.map(str::to_string);
        }
        save(store.as_mut(), &parsed, &files)?;
    }
    Ok(store)
}

/// The bundled lists `REDLINE_BUNDLED` asks for; `None` when it is not set (all).
fn bundled_sources() -> Result<Option<Vec<SourceId>>> {
    let Ok(value) = std::env::var("REDLINE_BUNDLED") else {
        return Ok(None);
    };
    if value.trim() == "none" {
        return Ok(Some(Vec::new()));
    }
    let mut sources = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let source: SourceId = part
            .parse()
            .map_err(|e| anyhow::anyhow!("REDLINE_BUNDLED={value:?}: {e}"))?;
        if !BUNDLED.iter().any(|b| b.source == source) {
            bail!("REDLINE_BUNDLED={value:?}: {source} is not bundled");
        }
        sources.push(source);
    }
    Ok(Some(sources))
}

/// Stores a parsed list as a new active version, audited as loaded by the CLI.
pub fn save(
    store: &mut dyn Store,
    parsed: &ParsedList,
    files: &[InputFile<'_>],
) -> Result<(ListVersion, bool)> {
    Ok(redline_server::lists::save(
        store,
        parsed,
        files,
        "cli",
        &now_rfc3339(),
    )?)
}

/// Where this run keeps index snapshots (see [`set_index_cache`]).
static INDEX_CACHE: std::sync::OnceLock<Option<redline_server::IndexCache>> =
    std::sync::OnceLock::new();

/// Chooses where index snapshots are kept: `flag` (`--index-cache`, a directory or
/// `off`), else `index/` beside an SQLite store, else the platform cache directory.
pub fn set_index_cache(location: &Location, flag: Option<&str>) {
    use redline_server::IndexCache;
    let cache = match flag.map(str::trim) {
        Some("off") => None,
        Some(dir) if !dir.is_empty() => Some(IndexCache::new(PathBuf::from(dir))),
        _ => match location {
            Location::Sqlite(db) => db.parent().map(IndexCache::in_data_dir),
            Location::Postgres(_) => {
                dirs::cache_dir().map(|d| IndexCache::in_data_dir(&d.join("redline")))
            }
        },
    };
    let _ = INDEX_CACHE.set(cache);
}

/// Where index snapshots are kept, unless switched off.
pub fn index_cache() -> Option<&'static redline_server::IndexCache> {
    INDEX_CACHE.get().and_then(Option::as_ref)
}

/// What screening runs against: the active list versions, the operator's ownership
/// files, and the parties those block — exactly as `redline serve` builds it.
/// Unreadable ownership data is an error here: a screening that silently missed an
/// ownership block would pass what it should hold.
pub fn load_snapshot(store: &dyn Store) -> Result<redline_server::Snapshot> {
    let snapshot = redline_server::Snapshot::load_active(store, index_cache())?;
    if let Some(e) = &snapshot.ownership_error {
        bail!("the stored ownership data cannot be used: {e}");
    }
    Ok(snapshot)
}

/// The current time, RFC 3339 in UTC.
pub fn now_rfc3339() -> String {
    redline_model::date::rfc3339(std::time::SystemTime::now())
}

/// Who runs the CLI, as alerts it raises record it: the login name.
pub fn login_name() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "cli".to_string())
}

/// Who takes a review step from the CLI. Once reviewers are configured (any key with
/// the review or admin role in force), the reviewer is the key presented (`--key` or
/// `REDLINE_KEY`), exactly as on the API, so one person cannot approve and complete a
/// four-eyes decision under two typed names; without reviewers (one analyst on an
/// embedded install) it is `--actor` or the login name.
pub fn reviewer(store: &dyn Store, key: Option<&str>, actor: Option<&str>) -> Result<String> {
    let configured = store
        .keys()?
        .iter()
        .any(|k| k.revoked_at.is_none() && k.role.allows(redline_store::Role::Review));
    match key.map(str::trim).filter(|k| !k.is_empty()) {
        Some(secret) => {
            let hash = redline_server::auth::secret_hash(secret);
            let Some(found) = store.find_key(&hash)? else {
                bail!("the key given with --key / REDLINE_KEY is not valid (unknown or revoked)");
            };
            if !found.role.allows(redline_store::Role::Review) {
                bail!(
                    "key {} has the {} role; reviewing alerts needs the review role",
                    found.id,
                    found.role
                );
            }
            if actor.is_some() {
                bail!("--actor cannot be combined with --key: the key names the reviewer");
            }
            Ok(found.id)
        }
        None if configured => bail!(
            "reviewers are configured (redline keys list): review with your key, --key or REDLINE_KEY; a typed --actor is not accepted"
        ),
        None => Ok(actor.map_or_else(login_name, str::to_string)),
    }
}

/// The installation's settings: the TOML file `--config` / `REDLINE_CONFIG` names (the
/// one `serve` runs with), or the defaults. The CLI reads the same file, so `lists
/// status` and `screen` call a list stale exactly when the service does.
pub fn settings(file: Option<&std::path::Path>) -> Result<redline_server::ServeConfig> {
    match file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            redline_server::ServeConfig::from_toml(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
        }
        None => Ok(redline_server::ServeConfig::default()),
    }
}
