//! Queries as people write them — a JSON line, an HTTP request body, command-line
//! flags — turned into a [`Query`], with an error that names the field it cannot read.
//!
//! One definition serves the CLI batch format and the HTTP API, so a line that screens
//! in a batch file screens the same way when posted to the service. So does the rule
//! that a request the index cannot honour — a threshold outside (0, 1], a list that is
//! not loaded, a name too long to be one — is refused rather than answered "no
//! match" ([`check_request`]).

use redline_model::{countries, PartialDate, Schema, SourceId};
use serde::{Deserialize, Serialize};

use crate::{Index, Options, Query};

/// The longest name screened, in characters: longer text is a document (screen it
/// with `text screen` / `Index::find_in_text`), not a name.
pub const MAX_NAME_CHARS: usize = 500;

/// The fields [`QueryFields`] reads; Redline's own API refuses any other.
pub const QUERY_FIELDS: [&str; 6] = [
    "id",
    "name",
    "schema",
    "birth_date",
    "country",
    "identifiers",
];

/// The fields of a query. Unknown fields (a benchmark's `expected`, `class`) are ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QueryFields {
    /// The caller's own id, echoed back with the result.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub id: serde_json::Value,
    pub name: String,
    /// `person`, `organization`, `vessel` or `aircraft` (FtM names such as `Company` too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// An ISO code or a country name in any language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Identifier values (passport, IMO, BIC, INN, …), any formatting.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<String>,
}

/// A field of a query that cannot be understood, or a request that cannot be honoured.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error("name: empty")]
    EmptyName,
    #[error("schema {0:?}: expected person, organization, vessel or aircraft")]
    Schema(String),
    #[error("birth_date {0:?}: expected YYYY, YYYY-MM or YYYY-MM-DD")]
    BirthDate(String),
    #[error("name: {0} characters, over the {MAX_NAME_CHARS} a name may have (screen documents as text)")]
    NameTooLong(usize),
    #[error("threshold: {0} is outside (0, 1]")]
    Threshold(f64),
    #[error("country {0:?}: neither an ISO code nor a country name Redline knows; a filter on it would hide every result")]
    Country(String),
    #[error("sources: {0} has no active list version; load one with `redline lists load --source {0} FILE` (or `lists update`)")]
    SourceNotLoaded(SourceId),
}

/// Refuses what `index` cannot answer as asked: a threshold outside (0, 1] (0 would
/// match everything, above 1 nothing, and either would look like an answer), or a
/// source the query is restricted to that has no active version (screening against a
/// list that is not there is not a clean result).
pub fn check_request(index: &Index, query: &Query, options: &Options) -> Result<(), QueryError> {
    check_threshold(options.threshold)?;
    check_sources(index, &query.sources)
}

/// Refuses a restriction to a list with no active version in `index`: a look-up or
/// screening in a list that is not there would answer "nothing", which is not so.
pub fn check_sources(index: &Index, sources: &[SourceId]) -> Result<(), QueryError> {
    for source in sources {
        let prefix = format!("{}@", source.as_str());
        if !index.versions().iter().any(|v| v.starts_with(&prefix)) {
            return Err(QueryError::SourceNotLoaded(*source));
        }
    }
    Ok(())
}

/// A threshold in (0, 1].
pub fn check_threshold(threshold: f64) -> Result<f64, QueryError> {
    if threshold > 0.0 && threshold <= 1.0 {
        Ok(threshold)
    } else {
        Err(QueryError::Threshold(threshold))
    }
}

impl QueryFields {
    pub fn new(name: impl Into<String>) -> QueryFields {
        QueryFields {
            name: name.into(),
            ..QueryFields::default()
        }
    }

    /// The query to screen, restricted to `sources` (empty: all).
    pub fn to_query(&self, sources: &[SourceId]) -> Result<Query, QueryError> {
        if self.name.trim().is_empty() {
            return Err(QueryError::EmptyName);
        }
        let chars = self.name.chars().count();
        if chars > MAX_NAME_CHARS {
            return Err(QueryError::NameTooLong(chars));
        }
        let schema = match non_empty(&self.schema) {
            None => None,
            Some(s) => Some(Schema::parse(s).ok_or_else(|| QueryError::Schema(s.to_string()))?),
        };
        let birth_date = match non_empty(&self.birth_date) {
            None => None,
            Some(d) => Some(
                PartialDate::parse_iso(d).ok_or_else(|| QueryError::BirthDate(d.to_string()))?,
            ),
        };
        // An unknown country name is not an error: the query is screened without it.
        let country = non_empty(&self.country).and_then(countries::to_code);
        Ok(Query {
            name: self.name.clone(),
            schema,
            birth_date,
            country,
            identifiers: self
                .identifiers
                .iter()
                .filter(|i| !i.trim().is_empty())
                .cloned()
                .collect(),
            sources: sources.to_vec(),
        })
    }
}

impl QueryFields {
    /// What was given but could not be used, said beside the answer: a country that
    /// is neither an ISO code nor a country name Redline knows (the query is screened
    /// without it).
    pub fn warnings(&self) -> Vec<String> {
        match non_empty(&self.country) {
            Some(c) if countries::to_code(c).is_none() => vec![format!(
                "country {c:?} is neither an ISO code nor a known country name: screened without a country"
            )],
            _ => Vec::new(),
        }
    }
}

fn non_empty(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_become_a_query_or_name_the_bad_field() {
        let fields: QueryFields = serde_json::from_str(
            r#"{"id": 7, "name": "Vladimir Putin", "schema": "Person", "birth_date": "1952-10",
                "country": "Russia", "identifiers": ["", "AB 123"], "expected": []}"#,
        )
        .unwrap();
        let q = fields.to_query(&[SourceId::UnSc]).unwrap();
        assert_eq!(q.schema, Some(Schema::Person));
        assert_eq!(q.birth_date.unwrap().to_string(), "1952-10");
        assert_eq!(q.country.as_deref(), Some("ru"));
        assert_eq!(q.identifiers, vec!["AB 123"]);
        assert_eq!(q.sources, vec![SourceId::UnSc]);

        let mut bad = QueryFields::new("x");
        bad.birth_date = Some("10/1952".into());
        assert_eq!(
            bad.to_query(&[]).unwrap_err().to_string(),
            "birth_date \"10/1952\": expected YYYY, YYYY-MM or YYYY-MM-DD"
        );
        bad.birth_date = None;
        bad.schema = Some("planet".into());
        assert!(matches!(bad.to_query(&[]), Err(QueryError::Schema(_))));
        assert!(matches!(
            QueryFields::new("  ").to_query(&[]),
            Err(QueryError::EmptyName)
        ));
        assert_eq!(
            QueryFields::new("x".repeat(501)).to_query(&[]).unwrap_err(),
            QueryError::NameTooLong(501)
        );
        let mut unknown = QueryFields::new("x");
        unknown.country = Some("XX".into());
        assert_eq!(unknown.warnings().len(), 1);
        unknown.country = Some("Россия".into());
        assert!(unknown.warnings().is_empty());
    }

    #[test]
    fn thresholds_outside_zero_to_one_are_refused() {
        assert_eq!(check_threshold(0.84), Ok(0.84));
        assert_eq!(check_threshold(1.0), Ok(1.0));
        for bad in [0.0, -0.1, 2.0, f64::NAN] {
            assert!(check_threshold(bad).is_err(), "{bad}");
        }
    }
}
