//! The one error type of the crate's loaders (goods lists, taxonomy, route policy).
//!
//! Every loader either returns a complete, validated value or an error that says where
//! the problem is — file and line for a CSV goods list, the key for a TOML document — so
//! an operator who supplies a list or a policy can fix it without reading the code. A
//! broken file never yields a half-loaded list.

/// A goods list, taxonomy or route policy that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GoodsError {
    /// A CSV record that cannot be read; `line` is the 1-based line in the file.
    #[error("{file}: line {line}: {message}")]
    Line {
        file: String,
        line: u64,
        message: String,
    },
    /// A problem with the file as a whole (no header, no rows, not UTF-8 at the start).
    #[error("{file}: {message}")]
    File { file: String, message: String },
    /// Not valid TOML, a value of the wrong type or an unknown key; the message names
    /// the key and the line.
    #[error("{what}: {message}")]
    Toml { what: String, message: String },
    /// A TOML value that parses but makes no sense.
    #[error("{what}: {key}: {message}")]
    Invalid {
        what: String,
        key: String,
        message: String,
    },
}

impl GoodsError {
    pub(crate) fn line(file: &str, line: u64, message: impl Into<String>) -> GoodsError {
        GoodsError::Line {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }

    pub(crate) fn file(file: &str, message: impl Into<String>) -> GoodsError {
        GoodsError::File {
            file: file.to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn invalid(
        what: &str,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> GoodsError {
        GoodsError::Invalid {
            what: what.to_string(),
            key: key.into(),
            message: message.into(),
        }
    }
}

/// `<name>@<first 12 hex digits of the SHA-256 of the bytes>`: the version id every
/// decision records, so "same input + same version = same result" can be checked.
pub(crate) fn version_id(name: &str, bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("{name}@{}", &hex::encode(Sha256::digest(bytes))[..12])
}
