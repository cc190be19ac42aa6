//! Queries as people write them — a JSON line, an HTTP request body, command-line
//! flags — turned into a [`Query`], with an error that names the field it cannot read.
//!
//! One definition serves the CLI batch format and the HTTP API, so a line that screens
//! in a batch file screens the same way when posted to the service.

use redline_model::{countries, PartialDate, Schema, SourceId};
use serde::{Deserialize, Serialize};

use crate::Query;

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

/// A field of a query that cannot be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("name: empty")]
    EmptyName,
    #[error("schema {0:?}: expected person, organization, vessel or aircraft")]
    Schema(String),
    #[error("birth_date {0:?}: expected YYYY, YYYY-MM or YYYY-MM-DD")]
    BirthDate(String),
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
    }
}
