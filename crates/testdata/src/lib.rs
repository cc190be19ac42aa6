//! The real published files Redline's tests read: lists, payment messages and schemas
//! in the repository's `testdata/` folder, and the public name-screening benchmark in
//! `bench/`.
//!
//! Why a crate: tests in every crate read the same files, and a clone of the
//! repository alone must pass them, so the files travel with the code and one helper
//! knows where they are. Text files over 100 kB are kept gzip-compressed
//! (`testdata/ofac/sdn-2024-02-20.csv.gz`); a test still asks for the publisher's
//! name (`ofac/sdn-2024-02-20.csv`) and gets a path to the plain file, because much of
//! what is tested (`redline lists load FILE`, a parser given a file name) takes a path.
//! A compressed file is expanded once into the system temporary folder under a name
//! derived from the compressed bytes' SHA-256, through a temporary file and a rename,
//! so concurrent tests never read half a file and a changed fixture never meets a
//! stale copy.
//!
//! `testdata/MANIFEST.md` gives each file's origin, licence and SHA-256; this crate's
//! own test checks every file against it.
//!
//! A missing or unreadable fixture is a broken checkout, not a condition a test can
//! handle: these functions panic with the path they looked for.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;
use sha2::{Digest, Sha256};

/// The repository's root folder (where `testdata/` and `bench/` live).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root of redline-testdata's manifest exists")
}

/// The `testdata/` folder.
pub fn testdata_dir() -> PathBuf {
    repo_root().join("testdata")
}

/// A plain, readable path to the published file `rel` (relative to `testdata/`, as the
/// publisher names it: `un/consolidated-2026-02-27.xml`), or to a folder of files.
/// A file stored compressed is expanded on first use.
pub fn path(rel: &str) -> PathBuf {
    let plain = testdata_dir().join(rel);
    if plain.exists() {
        return plain;
    }
    let compressed = testdata_dir().join(format!("{rel}.gz"));
    if compressed.exists() {
        return expanded(&compressed, rel);
    }
    panic!(
        "test data file {rel} is missing: neither {} nor {} exists (see testdata/MANIFEST.md)",
        plain.display(),
        compressed.display()
    );
}

/// The bytes of the published file `rel`.
pub fn bytes(rel: &str) -> Vec<u8> {
    let p = path(rel);
    fs::read(&p).unwrap_or_else(|e| panic!("test data file {}: {e}", p.display()))
}

/// The text of the published file `rel` (which must be UTF-8).
pub fn text(rel: &str) -> String {
    let p = path(rel);
    fs::read_to_string(&p).unwrap_or_else(|e| panic!("test data file {}: {e}", p.display()))
}

/// The files of the folder `rel` whose names end in `.ext` (every file when `ext` is
/// empty), sorted by name so that a test's order never depends on the file system.
pub fn files(rel: &str, ext: &str) -> Vec<PathBuf> {
    let dir = path(rel);
    let mut out: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("test data folder {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("test data folder {}: {e}", dir.display()))
                .path()
        })
        .filter(|p| p.is_file())
        .filter(|p| ext.is_empty() || p.extension().is_some_and(|x| x == ext))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no .{ext} files in {}", dir.display());
    out
}

/// The path of a public benchmark file (`ssb-persons.jsonl`) in `bench/`.
pub fn bench(rel: &str) -> PathBuf {
    let p = repo_root().join("bench").join(rel);
    assert!(p.exists(), "benchmark file {} is missing", p.display());
    p
}

/// The expanded copy of `compressed`, made once per distinct content.
fn expanded(compressed: &Path, rel: &str) -> PathBuf {
    let gz = fs::read(compressed)
        .unwrap_or_else(|e| panic!("test data file {}: {e}", compressed.display()));
    let key = hex::encode(&Sha256::digest(&gz)[..8]);
    let name = Path::new(rel)
        .file_name()
        .unwrap_or_else(|| panic!("test data path {rel} names no file"));
    let dir = std::env::temp_dir().join("redline-testdata").join(key);
    let out = dir.join(name);
    if out.exists() {
        return out;
    }
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut plain = Vec::new();
    GzDecoder::new(gz.as_slice())
        .read_to_end(&mut plain)
        .unwrap_or_else(|e| panic!("test data file {} is not gzip: {e}", compressed.display()));
    // A unique temporary name per process and thread: two tests expanding the same file
    // at once each write their own and the last rename wins with identical bytes.
    let tmp = dir.join(format!(
        ".{}.{}.{:?}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        std::thread::current().id()
    ));
    let mut file = fs::File::create(&tmp).unwrap_or_else(|e| panic!("{}: {e}", tmp.display()));
    file.write_all(&plain)
        .and_then(|()| file.sync_all())
        .unwrap_or_else(|e| panic!("{}: {e}", tmp.display()));
    fs::rename(&tmp, &out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    out
}
