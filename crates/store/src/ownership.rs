//! Ownership files the operator loads (its own CSV, UK PSC snapshots, GLEIF Level 2,
//! BODS), kept immutable under a content hash like list versions, so a derived block
//! can always be traced to the exact file it came from — with the options it is read
//! with (format, column map), which are part of what it says.

use crate::Result;

/// A stored ownership file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnershipFile {
    /// `ownership@<first 12 hex digits of the SHA-256>` of the bytes (and of the read
    /// options, when there are any).
    pub id: String,
    pub name: String,
    pub loaded_at: String,
    pub bytes: Vec<u8>,
    /// How the file is read (`format=uk-psc;map=…`); empty: detected from the content.
    pub options: String,
}

/// The id of a file read with `options`: the same bytes read another way are another
/// file. Without options it is the hash of the bytes alone, as before options existed.
pub(crate) fn file_id(bytes: &[u8], options: &str) -> String {
    let hash = if options.is_empty() {
        crate::sha256_hex(bytes)
    } else {
        let mut all = bytes.to_vec();
        all.extend_from_slice(b"\n\0options:");
        all.extend_from_slice(options.as_bytes());
        crate::sha256_hex(&all)
    };
    format!("ownership@{}", &hash[..12])
}

pub trait OwnershipStore {
    /// Stores a file (identical content: the existing id, `false`).
    fn add_ownership_file(
        &mut self,
        name: &str,
        bytes: &[u8],
        options: &str,
        loaded_at: &str,
    ) -> Result<(String, bool)>;
    /// Every stored file, oldest first: together they are the operator's ownership data.
    fn ownership_files(&self) -> Result<Vec<OwnershipFile>>;
    /// The ids of [`OwnershipStore::ownership_files`], in the same order, without
    /// reading the files: what an index snapshot is keyed by.
    fn ownership_file_ids(&self) -> Result<Vec<String>>;
}
