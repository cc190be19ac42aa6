//! Subjects: the customers and counterparties a bank screens — read from the files
//! banks really have, kept with their last screening, and rescreened when lists change.
//!
//! - [`input`] reads CSV (any delimiter, quoted fields, BOM, UTF-8 or Windows-1252)
//!   and JSON lines, mapping the bank's column names to Redline's fields; a bad row
//!   is an error naming its line, never the end of the run.
//! - [`delta`] screens subjects against only the list entries a new version added or
//!   changed, with the same scores a full screening would give.
//! - [`generate`] writes realistic synthetic customer files for benchmarks.

pub mod delta;
pub mod generate;
pub mod input;

use redline_matching::{Query, QueryError, QueryFields};
use redline_model::SourceId;
use serde::{Deserialize, Serialize};

/// A customer or counterparty record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// The bank's own id (or `row-<n>` when the file has none).
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// ISO form (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<String>,
}

impl Subject {
    pub fn fields(&self) -> QueryFields {
        QueryFields {
            id: serde_json::Value::String(self.id.clone()),
            name: self.name.clone(),
            schema: self.schema.clone(),
            birth_date: self.birth_date.clone(),
            country: self.country.clone(),
            identifiers: self.identifiers.clone(),
        }
    }

    pub fn to_query(&self, sources: &[SourceId]) -> Result<Query, QueryError> {
        self.fields().to_query(sources)
    }
}
