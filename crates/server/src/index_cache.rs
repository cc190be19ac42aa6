//! Index snapshots on disk: the matching index of a set of list versions, built once
//! and loaded by every later `screen`, `serve`, `batch` or `search` on the machine.
//!
//! A snapshot lives in `<dir>/index/<key>.idx`, where the key is a hash of the
//! engine's fingerprint ([`redline_matching::snapshot::ENGINE`]) and of the ids of
//! everything the index was built from: the list versions and ownership files, in
//! order. A new list version or ownership file, or another build of the engine,
//! gives another key, so a stale snapshot is never found, only left behind (the
//! oldest are removed, keeping [`KEEP`]). A file that does not read back — cut
//! short, damaged — is logged, removed and rebuilt. Files are
//! written to a temporary name, flushed to disk and renamed into place, so a reader
//! sees a whole snapshot or none.
//!
//! Besides the index a snapshot carries an attachment: bytes the caller derived from
//! the same inputs (the server keeps the ownership-derived blocks there, so that a
//! one-name screening needs neither the entities nor the ownership graph).

use std::io::Write;
use std::path::{Path, PathBuf};

use redline_matching::Index;
use sha2::{Digest, Sha256};

/// Snapshots kept in the directory: the current one and a few before it, for a
/// replica or a CLI that still screens against the previous versions.
pub const KEEP: usize = 4;

/// A temporary file older than this was left by a writer that died: removed.
const STALE_TEMPORARY: std::time::Duration = std::time::Duration::from_secs(3600);

/// A directory of index snapshots.
#[derive(Debug, Clone)]
pub struct IndexCache {
    dir: PathBuf,
}

/// Which index a snapshot holds: over the same list versions, the screening index
/// also holds the parties ownership blocks that no list carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    /// The lists' entities alone (`redline eval`, `search`, `compare`, `text`).
    Lists,
    /// The lists' entities and the ownership-blocked parties, with the ownership
    /// blocks attached: what `screen`, `serve`, payments and trades use.
    Screening,
}

impl IndexKind {
    fn as_str(self) -> &'static str {
        match self {
            IndexKind::Lists => "lists",
            IndexKind::Screening => "screening",
        }
    }
}

impl IndexCache {
    /// Snapshots in `dir`.
    pub fn new(dir: PathBuf) -> IndexCache {
        IndexCache { dir }
    }

    /// Snapshots under `<data_dir>/index/`.
    pub fn in_data_dir(data_dir: &Path) -> IndexCache {
        IndexCache {
            dir: data_dir.join("index"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of an index of `kind` over `ids` (list version and ownership file
    /// ids).
    pub fn key(kind: IndexKind, ids: &[String]) -> String {
        let mut hasher = Sha256::new();
        hasher.update(redline_matching::snapshot::ENGINE);
        hasher.update(b"\n");
        hasher.update(kind.as_str());
        for id in ids {
            hasher.update(b"\n");
            hasher.update(id.as_bytes());
        }
        hasher.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Where the snapshot of an index of `kind` over `ids` is kept.
    pub fn path(&self, kind: IndexKind, ids: &[String]) -> PathBuf {
        self.dir.join(format!("{}.idx", IndexCache::key(kind, ids)))
    }

    /// The stored index over `ids` and its attachment, if a whole snapshot of this
    /// engine is there. One that does not read back is removed (and logged).
    pub fn load(&self, kind: IndexKind, ids: &[String]) -> Option<(Index, String)> {
        let path = self.path(kind, ids);
        let file = std::fs::File::open(&path).ok()?;
        // SAFETY: a snapshot file is never written in place — it is written under a
        // temporary name and renamed, and removing it leaves a mapping intact — so
        // the mapped bytes do not change while the index reads them. The checksum
        // is verified over the mapping before anything in it is used.
        let bytes = match unsafe { memmap2::Mmap::map(&file) } {
            Ok(map) => map,
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "cannot map the index snapshot: rebuilding");
                return None;
            }
        };
        match Index::from_shared_snapshot(std::sync::Arc::new(bytes)) {
            Ok((index, attachment)) if index.versions() == ids => Some((index, attachment)),
            Ok(_) => {
                tracing::warn!(path = %path.display(), "index snapshot of other versions under this key: rebuilding");
                let _ = std::fs::remove_file(&path);
                None
            }
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "index snapshot unusable: rebuilding");
                let _ = std::fs::remove_file(&path);
                None
            }
        }
    }

    /// Writes the snapshot of `index` with `attachment`: to a temporary file, synced,
    /// then renamed into place. Older snapshots beyond [`KEEP`] are removed.
    pub fn save(
        &self,
        kind: IndexKind,
        index: &Index,
        attachment: &str,
    ) -> std::io::Result<PathBuf> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path(kind, index.versions());
        // A name no other writer uses (processes in containers sharing the directory
        // may all be pid 1), created only if absent: a file renamed into place is
        // never written again.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let temporary = self.dir.join(format!(
            ".{}.{}.{nanos}.tmp",
            IndexCache::key(kind, index.versions()),
            std::process::id()
        ));
        let written = (|| {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temporary)?;
            file.write_all(&index.to_snapshot(attachment))?;
            file.sync_all()?;
            std::fs::rename(&temporary, &path)?;
            // The rename itself is durable once the directory is synced.
            std::fs::File::open(&self.dir)?.sync_all()
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temporary);
            return Err(e);
        }
        self.prune(&path);
        Ok(path)
    }

    /// [`IndexCache::save`], with a failure logged rather than returned: the index
    /// is still used, and built again next time.
    pub fn save_or_warn(&self, kind: IndexKind, index: &Index, attachment: &str) {
        if let Err(error) = self.save(kind, index, attachment) {
            tracing::warn!(dir = %self.dir.display(), %error, "cannot write the index snapshot");
        }
    }

    /// Removes all but the [`KEEP`] newest snapshots (`current` always stays), and
    /// temporary files a writer killed mid-write left over an hour ago.
    fn prune(&self, current: &Path) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = std::time::SystemTime::now();
        let mut snapshots: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
        for path in entries.flatten().map(|e| e.path()) {
            let Some(modified) = std::fs::metadata(&path).and_then(|m| m.modified()).ok() else {
                continue;
            };
            match path.extension().and_then(|x| x.to_str()) {
                Some("idx") if path != current => snapshots.push((modified, path)),
                Some("tmp") => {
                    let age = now.duration_since(modified).unwrap_or_default();
                    if age > STALE_TEMPORARY {
                        let _ = std::fs::remove_file(path);
                    }
                }
                _ => {}
            }
        }
        snapshots.sort_by_key(|s| std::cmp::Reverse(s.0));
        for (_, old) in snapshots.into_iter().skip(KEEP - 1) {
            let _ = std::fs::remove_file(old);
        }
    }

    /// Removes the snapshot of an index of `kind` over `ids`, as unusable.
    pub fn discard(&self, kind: IndexKind, ids: &[String]) {
        let _ = std::fs::remove_file(self.path(kind, ids));
    }
}
