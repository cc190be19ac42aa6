//! Every file in `testdata/` is the one `testdata/MANIFEST.md` describes: listed there,
//! with the SHA-256 of its original bytes (after decompression where stored as `.gz`).

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

/// `original path → sha256`, from the Files table of the manifest.
fn manifest() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(redline_testdata::testdata_dir().join("MANIFEST.md"))
        .expect("testdata/MANIFEST.md");
    let files = text
        .split("## Files")
        .nth(1)
        .expect("MANIFEST.md has a Files section");
    files
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let path = cells[1].trim_matches('`').to_string();
            let sha = cells[cells.len() - 2].trim_matches('`').to_string();
            (path, sha)
        })
        .collect()
}

fn stored_files(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            stored_files(&p, out);
        } else {
            let rel = p
                .strip_prefix(redline_testdata::testdata_dir())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel != "MANIFEST.md" {
                out.push(rel.strip_suffix(".gz").unwrap_or(&rel).to_string());
            }
        }
    }
}

#[test]
fn every_stored_file_is_listed_with_its_checksum() {
    let listed = manifest();
    assert!(listed.len() > 100, "{} rows", listed.len());
    let mut stored = Vec::new();
    stored_files(&redline_testdata::testdata_dir(), &mut stored);
    stored.sort();
    let unlisted: Vec<&String> = stored.iter().filter(|p| !listed.contains_key(*p)).collect();
    assert!(unlisted.is_empty(), "not in MANIFEST.md: {unlisted:?}");
    let missing: Vec<&String> = listed.keys().filter(|p| !stored.contains(p)).collect();
    assert!(missing.is_empty(), "listed but not stored: {missing:?}");
    for (rel, sha) in &listed {
        let actual = hex::encode(Sha256::digest(redline_testdata::bytes(rel)));
        assert_eq!(&actual, sha, "{rel}: content differs from MANIFEST.md");
    }
}

#[test]
fn a_compressed_file_reads_as_the_publishers_file() {
    let sdn = redline_testdata::text("ofac/sdn-2024-02-20.csv");
    assert!(
        sdn.starts_with("36,\"AEROCARIBBEAN AIRLINES\""),
        "{}",
        &sdn[..40]
    );
    // OFAC ends its file with a Ctrl-Z byte, which the copy keeps.
    assert!(sdn.ends_with('\u{1a}'));
    // Asked again, the same expanded copy answers.
    assert_eq!(
        redline_testdata::path("ofac/sdn-2024-02-20.csv"),
        redline_testdata::path("ofac/sdn-2024-02-20.csv")
    );
}

#[test]
fn a_folder_lists_its_files_in_order() {
    let mt = redline_testdata::files("payments/swift_mt", "fin");
    assert_eq!(mt.len(), 50);
    assert!(mt.windows(2).all(|w| w[0] < w[1]));
    assert!(redline_testdata::bench("ssb-persons.jsonl").is_file());
}
