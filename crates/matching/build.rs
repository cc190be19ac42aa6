//! Fingerprints the matching engine: a hash of the source and data of this crate and
//! of the crates whose code decides a screening's result (`redline-names`,
//! `redline-model`, and the ownership derivation — `redline-ownership` and the
//! server's `ownership.rs` — whose blocked parties a screening snapshot holds), and
//! of the workspace's `Cargo.lock`. An index snapshot is keyed by it, so a snapshot
//! written by one build of the engine is never read by another, even between two
//! builds that carry the same version number.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let here = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let crates = here.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut hasher = Sha256::new();
    hasher.update(std::env::var("CARGO_PKG_VERSION").unwrap_or_default());
    // The ownership derivation too: the parties it blocks and their blocks are part
    // of the screening index a snapshot holds.
    for name in [
        "matching",
        "names",
        "model",
        "ownership",
        "server/src/ownership.rs",
    ] {
        let root = crates.join(name);
        let mut paths = Vec::new();
        if root.is_file() {
            println!("cargo:rerun-if-changed={}", root.display());
            paths.push(root.clone());
        } else {
            for part in ["src", "data", "build.rs", "Cargo.toml"] {
                println!("cargo:rerun-if-changed={}", root.join(part).display());
            }
            files(&root.join("src"), &mut paths);
            files(&root.join("data"), &mut paths);
            paths.push(root.join("Cargo.toml"));
        }
        paths.sort();
        for path in paths {
            let relative = path.strip_prefix(&crates).unwrap_or(&path);
            hasher.update(relative.to_string_lossy().as_bytes());
            hasher.update(std::fs::read(&path).unwrap_or_default());
        }
    }
    // The dependencies' versions too: a new normalisation crate can change a reading.
    let lock = crates
        .parent()
        .map(|w| w.join("Cargo.lock"))
        .unwrap_or_default();
    println!("cargo:rerun-if-changed={}", lock.display());
    hasher.update(std::fs::read(&lock).unwrap_or_default());
    let digest = hasher.finalize();
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=REDLINE_ENGINE_FINGERPRINT={hex}");
}
