//! Operator-supplied ownership files (`owner,owned,percent,relation,source,as_of`),
//! kept immutable under a content hash like list versions, so a derived block can
//! always be traced to the exact file it came from.

use crate::Result;

/// A stored ownership file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnershipFile {
    /// `ownership@<first 12 hex digits of the SHA-256>`.
    pub id: String,
    pub name: String,
    pub loaded_at: String,
    pub bytes: Vec<u8>,
}

pub trait OwnershipStore {
    /// Stores a file (identical content: the existing id, `false`).
    fn add_ownership_file(
        &mut self,
        name: &str,
        bytes: &[u8],
        loaded_at: &str,
    ) -> Result<(String, bool)>;
    /// Every stored file, oldest first: together they are the operator's ownership data.
    fn ownership_files(&self) -> Result<Vec<OwnershipFile>>;
}
