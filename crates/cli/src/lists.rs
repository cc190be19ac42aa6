//! `redline lists …`: load, inspect, compare and update list versions.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};
use redline_model::SourceId;
use redline_sources::InputFile;
use redline_store::{diff, ListStore, ListVersion, Store};
use serde_json::json;

use crate::context;

/// The publishers' official download addresses, overridable with `--url SOURCE=URL`.
pub const DEFAULT_URLS: [(SourceId, &str); 7] = [
    (
        SourceId::OfacSdn,
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV",
    ),
    (
        SourceId::UnSc,
        "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
    ),
    (
        SourceId::UkHmt,
        "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.xlsx",
    ),
    (
        SourceId::EuFsf,
        "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
    ),
    (
        SourceId::AuDfat,
        "https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx",
    ),
    (
        SourceId::CaSema,
        "https://www.international.gc.ca/world-monde/assets/office_docs/international_relations-relations_internationales/sanctions/sema-lmes.xml",
    ),
    (
        SourceId::UsCsl,
        "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
    ),
];

/// `lists load`: parse the files and store them as the new active version.
pub fn load(
    location: &redline_store::Location,
    source: SourceId,
    paths: &[PathBuf],
    published: Option<String>,
    json_out: bool,
) -> Result<()> {
    if let Some(date) = &published {
        // The date becomes part of the immutable version id: check it before anything.
        if !redline_server::lists::is_iso_date(date) {
            bail!("--published {date:?}: expected a calendar date YYYY-MM-DD");
        }
    }
    let contents: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| read_list_file(p).map(|b| (p.display().to_string(), b)))
        .collect::<Result<_>>()?;
    let files: Vec<InputFile> = contents
        .iter()
        .map(|(name, bytes)| InputFile { name, bytes })
        .collect();
    // The store is opened before parsing so the bundled default is in place first:
    // a first-ever `lists load` of a broken file must still leave a working store.
    let mut store = context::open_store_with_lists(location)?;
    let guard = Guard {
        published,
        modified: None,
        min_share: None,
    };
    load_files(
        store.as_mut(),
        source,
        &files,
        guard,
        Report::json_if(json_out),
    )?;
    // Said of what was loaded: a file that fails to load has only its error.
    warn_if_aliases_missing(source, &files);
    Ok(())
}

/// A list file's bytes as its publisher wrote them: a file named `*.gz` (an archived
/// copy) is decompressed, so it loads as the same version as the plain file.
pub fn read_list_file(path: &std::path::Path) -> Result<Vec<u8>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if path.extension() != Some(std::ffi::OsStr::new("gz")) {
        return Ok(bytes);
    }
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(bytes.as_slice())
        .read_to_end(&mut plain)
        .with_context(|| format!("{}: not a readable gzip file", path.display()))?;
    Ok(plain)
}

/// A downloaded list smaller than this share of the active version is held back: no
/// sanctions list loses half its entries between two publications, but a truncated
/// download, a maintenance page or a wrong file can still parse.
pub const MIN_SHARE_OF_ACTIVE: f64 = 0.5;

/// What a load is dated by and checked against.
pub struct Guard {
    /// The operator's date for the version.
    pub published: Option<String>,
    /// The day the publisher's server last modified the files.
    pub modified: Option<String>,
    /// Hold the load back if it has fewer entities than this share of the active
    /// version's (`lists update`; `None` for a file the operator chose).
    pub min_share: Option<f64>,
}

/// How a load tells what it did: text or JSON on stdout for the CLI, the log for a
/// server's scheduled update (whose stdout is for its address).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Report {
    Text,
    Json,
    Log,
}

impl Report {
    pub fn json_if(json_out: bool) -> Report {
        if json_out {
            Report::Json
        } else {
            Report::Text
        }
    }
}

pub fn load_files(
    store: &mut dyn Store,
    source: SourceId,
    files: &[InputFile<'_>],
    guard: Guard,
    out: Report,
) -> Result<()> {
    let Guard {
        published,
        modified,
        min_share,
    } = guard;
    let mut parsed = redline_sources::parse(source, files)
        .with_context(|| format!("not loaded: the active {source} version is unchanged"))?;
    if let Some(share) = min_share {
        let active = store
            .versions()?
            .into_iter()
            .find(|v| v.source == source && v.active);
        if let Some(active) = active {
            let (new, old) = (parsed.entities.len(), active.counts.entities);
            if (new as f64) < share * old as f64 {
                bail!(
                    "held back, not activated: the new {source} file holds {new} entities, under {:.0}% of the {old} in the active version {}; \
                     a download cut short or a wrong file can still parse. If the list really shrank, load the file with `redline lists load` \
                     or rerun with --accept-shrink",
                    share * 100.0,
                    active.id
                );
            }
        }
    }
    // The operator's date wins; then the file's own; then the day the publisher's
    // server last modified it.
    if published.is_some() {
        parsed.published = published;
    } else if parsed.published.is_none() {
        parsed.published = modified;
    }
    let report = parsed.report.clone();
    let (version, created) = context::save(store, &parsed, files)
        .with_context(|| format!("not loaded: the active {source} version is unchanged"))?;
    match out {
        Report::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&json!({
                    "version": version,
                    "created": created,
                    "report": report,
                }))?
            );
            return Ok(());
        }
        Report::Log => {
            tracing::info!(
                version = %version.id,
                created,
                entities = version.counts.entities,
                warnings = report.warnings.len(),
                "list loaded"
            );
            return Ok(());
        }
        Report::Text => {}
    }
    println!(
        "{} {} ({} entities: {} persons, {} organizations, {} vessels, {} aircraft; {} names, {} identifiers, {} links)",
        if created { "loaded" } else { "re-activated existing version" },
        version.id,
        version.counts.entities,
        version.counts.persons,
        version.counts.organizations,
        version.counts.vessels,
        version.counts.aircraft,
        version.counts.names,
        version.counts.identifiers,
        version.counts.links,
    );
    println!(
        "read {} records from {} file(s): {}",
        report.records,
        files.len(),
        report.summary()
    );
    if !report.warnings.is_empty() {
        println!(
            "{} warnings (kept: records are never dropped); first ones:",
            report.warnings.len()
        );
        for w in report.warnings.iter().take(10) {
            println!("  {w}");
        }
        println!("  (all of them: `lists load --json`)");
    }
    Ok(())
}

fn version_json(v: &ListVersion) -> serde_json::Value {
    json!({
        "version": v.id,
        "source": v.source,
        "published": v.published,
        "loaded_at": v.loaded_at,
        "active": v.active,
        "entities": v.counts.entities,
        "counts": v.counts,
        "files": v.files,
        "file_hash": v.file_hash,
        "content_hash": v.content_hash,
        "warnings": v.warnings,
    })
}

fn print_versions(versions: &[ListVersion], json_out: bool) -> Result<()> {
    if json_out {
        let list: Vec<_> = versions.iter().map(version_json).collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    if versions.is_empty() {
        println!("no list versions");
    }
    for v in versions {
        println!(
            "{:<14} {:<42} {}  published {:<10}  loaded {}  {:>6} entities ({} persons, {} organizations, {} vessels, {} aircraft)  {:>6} names  {:>6} identifiers",
            v.source.as_str(),
            v.id,
            if v.active { "active" } else { "      " },
            v.published.as_deref().unwrap_or("-"),
            v.loaded_at,
            v.counts.entities,
            v.counts.persons,
            v.counts.organizations,
            v.counts.vessels,
            v.counts.aircraft,
            v.counts.names,
            v.counts.identifiers,
        );
    }
    Ok(())
}

/// What an OFAC version lacks of the publication, each said with what it brings.
fn ofac_missing(v: &ListVersion) -> Vec<&'static str> {
    let missing = redline_sources::ofac_sdn::missing_files(v.files.iter().map(String::as_str));
    redline_sources::ofac_sdn::PUBLICATION
        .iter()
        .filter(|(kind, _)| missing.contains(kind))
        .map(|(_, what)| *what)
        .collect()
}

/// The active versions with their age: `STALE` past the freshness policy, and for
/// OFAC which of the publication's files a version lacks.
pub fn status(
    store: &dyn ListStore,
    freshness: &redline_store::FreshnessPolicy,
    json_out: bool,
) -> Result<()> {
    let versions = store.active_versions()?;
    let now = crate::context::now_rfc3339();
    let ages: Vec<redline_store::Age> = versions.iter().map(|v| freshness.age(v, &now)).collect();
    if json_out {
        let list: Vec<_> = versions
            .iter()
            .zip(&ages)
            .map(|(v, age)| {
                let mut out = version_json(v);
                out["age_days"] = json!(age.age_days);
                out["stale_after_days"] = json!(age.stale_after_days);
                out["stale"] = json!(age.stale);
                out["past_hard_limit"] = json!(age.past_hard_limit);
                if v.source == SourceId::OfacSdn {
                    out["missing_files"] = json!(ofac_missing(v));
                }
                out
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    print_versions(&versions, false)?;
    for v in versions.iter().filter(|v| v.source == SourceId::OfacSdn) {
        let missing = ofac_missing(v);
        if !missing.is_empty() {
            println!(
                "{:<14} built from {} without {}: run `redline lists update --source ofac-sdn`, which fetches the whole publication",
                v.source.as_str(),
                v.files.join(", "),
                missing.join(", ")
            );
        }
    }
    for age in &ages {
        println!(
            "{:<14} {} days old ({} {}), stale after {} days{}",
            age.source.as_str(),
            age.age_days,
            age.dated_by,
            age.dated,
            age.stale_after_days,
            match (age.stale, age.past_hard_limit) {
                (_, true) => "  STALE, past the hard limit: run `redline lists update`",
                (true, false) => "  STALE: run `redline lists update`",
                _ => "",
            }
        );
    }
    Ok(())
}

pub fn history(store: &dyn ListStore, json_out: bool) -> Result<()> {
    print_versions(&store.versions()?, json_out)
}

pub fn diff_versions(store: &dyn ListStore, a: &str, b: &str, json_out: bool) -> Result<()> {
    let (va, vb) = (store.version(a)?, store.version(b)?);
    if va.source != vb.source {
        bail!("{} and {} are versions of different lists", va.id, vb.id);
    }
    let (ea, eb) = (store.entities(&va.id)?, store.entities(&vb.id)?);
    let d = diff(&ea, &eb);
    if json_out {
        let mut value = serde_json::to_value(&d)?;
        value["from"] = json!(va.id);
        value["to"] = json!(vb.id);
        println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    let caption = |entities: &[redline_model::Entity], id: &str| {
        entities
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .map(|i| entities[i].caption().to_string())
            .unwrap_or_default()
    };
    println!("{} → {}", va.id, vb.id);
    println!(
        "{} added, {} removed, {} changed",
        d.added.len(),
        d.removed.len(),
        d.changed.len()
    );
    for id in &d.added {
        println!("+ {id}  {}", caption(&eb, id));
    }
    for id in &d.removed {
        println!("- {id}  {}", caption(&ea, id));
    }
    for c in &d.changed {
        println!(
            "~ {}  {}  [{}]",
            c.entity_id,
            caption(&eb, &c.entity_id),
            c.fields.join(", ")
        );
    }
    Ok(())
}

/// `lists update`: download each source from its publisher and load it.
pub fn update(
    store: &mut dyn Store,
    sources: &[SourceId],
    overrides: &[String],
    accept_shrink: bool,
    out: Report,
) -> Result<()> {
    let mut urls: BTreeMap<SourceId, String> = DEFAULT_URLS
        .iter()
        .map(|(s, u)| (*s, u.to_string()))
        .collect();
    let mut overridden = Vec::new();
    for o in overrides {
        let (source, url) = url_override(o).context("--url")?;
        urls.insert(source, url.to_string());
        overridden.push(source);
    }
    // `--url un-sc=…` alone means "update un-sc from there", not every source.
    let wanted: Vec<SourceId> = if !sources.is_empty() {
        sources.to_vec()
    } else if !overridden.is_empty() {
        overridden
    } else {
        urls.keys().copied().collect()
    };
    let mut failures = Vec::new();
    for source in wanted {
        let Some(url) = urls.get(&source) else {
            failures.push(format!(
                "{source}: no download URL configured (use --url {source}=URL)"
            ));
            continue;
        };
        let result = publication_urls(source, url)
            .iter()
            .map(|u| download(u))
            .collect::<Result<Vec<_>>>()
            .and_then(|downloaded| {
                let modified = one_publication(&downloaded)?;
                let files: Vec<InputFile> = downloaded
                    .iter()
                    .map(|d| InputFile {
                        name: &d.name,
                        bytes: &d.bytes,
                    })
                    .collect();
                let guard = Guard {
                    published: None,
                    modified,
                    min_share: (!accept_shrink).then_some(MIN_SHARE_OF_ACTIVE),
                };
                load_files(store, source, &files, guard, out)
            });
        if let Err(e) = result {
            failures.push(format!("{source} from {url}: {e:#}"));
        }
    }
    if !failures.is_empty() {
        bail!(
            "update failed for {} source(s); their active versions are unchanged:\n  {}",
            failures.len(),
            failures.join("\n  ")
        );
    }
    Ok(())
}

/// A download address given as `SOURCE=URL` (`--url`, `--update-url`).
pub fn url_override(o: &str) -> Result<(SourceId, &str)> {
    let (source, url) = o
        .split_once('=')
        .with_context(|| format!("{o:?}: expected SOURCE=URL"))?;
    let source: SourceId = source.parse().map_err(|e| anyhow::anyhow!("{o:?}: {e}"))?;
    if url.trim().is_empty() {
        bail!("{o:?}: no URL");
    }
    Ok((source, url))
}

/// The files OFAC publishes beside `SDN.CSV`: every alias (`ALT.CSV`), every address
/// (`ADD.CSV`) and the remarks too long for `SDN.CSV` (`SDN_COMMENTS.CSV`). SDN.CSV
/// alone carries about a fifth of OFAC's names.
const OFAC_COMPANIONS: [&str; 3] = ["ALT.CSV", "ADD.CSV", "SDN_COMMENTS.CSV"];

/// What one update of `source` downloads: its URL and, for OFAC, the files of the same
/// publication from the same folder (in the case the URL writes its own file name), so
/// a mirror or a test server serves the set as it is.
fn publication_urls(source: SourceId, url: &str) -> Vec<String> {
    let mut urls = vec![url.to_string()];
    if source == SourceId::OfacSdn {
        if let Some((folder, file)) = url.rsplit_once('/') {
            let lower = !file.bytes().any(|b| b.is_ascii_uppercase());
            urls.extend(OFAC_COMPANIONS.iter().map(|c| {
                let name = if lower {
                    c.to_ascii_lowercase()
                } else {
                    c.to_string()
                };
                format!("{folder}/{name}")
            }));
        }
    }
    urls
}

/// A load of OFAC's `sdn.csv` without `alt.csv` is real but holds a fraction of the
/// names OFAC publishes: said, never silent.
fn warn_if_aliases_missing(source: SourceId, files: &[InputFile<'_>]) {
    let missing = redline_sources::ofac_sdn::missing_files(files.iter().map(|f| f.name));
    if source == SourceId::OfacSdn && missing.contains(&"alt") {
        eprintln!(
            "warning: no alt.csv among the files: OFAC's aliases (a.k.a., f.k.a., n.k.a.) are missing from this version, \
             so names OFAC lists in ALT.CSV will not match; load sdn.csv with alt.csv, add.csv and sdn_comments.csv, \
             or run `redline lists update`, which fetches the whole publication"
        );
    }
}

/// A downloaded file: its name, bytes, and the day the server says it was last
/// modified (`Last-Modified`), if it says.
struct Downloaded {
    name: String,
    bytes: Vec<u8>,
    modified: Option<String>,
}

fn download(url: &str) -> Result<Downloaded> {
    let response = ureq::get(url)
        .timeout(std::time::Duration::from_secs(120))
        .call()
        .with_context(|| format!("download of {url} failed"))?;
    let modified = response
        .header("Last-Modified")
        .and_then(redline_model::date::http_date_day);
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut response.into_reader(), &mut bytes)
        .with_context(|| format!("download of {url} was cut off"))?;
    Ok(Downloaded {
        name: url.rsplit('/').next().unwrap_or(url).to_string(),
        bytes,
        modified,
    })
}

/// Refuses files of different publications in one version: OFAC's CSVs state no date,
/// so the day the server last modified each one stands for it, and files more than a
/// day apart are not one publication (one of them was fetched mid-update, or a
/// mirror is half-synchronised). Returns that day, which dates the version when its
/// files state none.
fn one_publication(files: &[Downloaded]) -> Result<Option<String>> {
    let dated: Vec<(&str, &str, i64)> = files
        .iter()
        .filter_map(|f| {
            let day = f.modified.as_deref()?;
            Some((f.name.as_str(), day, redline_model::date::day_number(day)?))
        })
        .collect();
    let (Some(oldest), Some(newest)) = (
        dated.iter().min_by_key(|d| d.2),
        dated.iter().max_by_key(|d| d.2),
    ) else {
        return Ok(None);
    };
    if newest.2 - oldest.2 > 1 {
        bail!(
            "the files are not one publication: {} was last modified {}, {} on {}; not mixed into one version (try again when the publisher's files agree)",
            oldest.0,
            oldest.1,
            newest.0,
            newest.1
        );
    }
    Ok(Some(newest.1.to_string()))
}
