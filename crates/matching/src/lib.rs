//! Redline's name-matching engine.
//!
//! Given a [`Query`] — a name and optionally schema, birth date, country and
//! identifiers — [`Index::screen`] returns the list entities that may be the same
//! party, each with a score in [0, 1] and an [`Explanation`] an analyst can read.
//!
//! The pipeline:
//! 1. [`analyze`]: the name is romanised into tokens whatever its script, legal forms
//!    are set apart as canonical forms, titles and generic words are marked.
//! 2. [`index`]: each query token (and each adjacent pair, joined) is looked up in the
//!    token dictionary — exactly, by consonant key, by one-edit deletions, by press
//!    form and OCR variants — giving similar list tokens. Their postings give
//!    candidate names, ranked by the weight they share with the query.
//! 3. `score`: the best candidates are aligned token by token with the query (tokens
//!    the index did not pair, and a cut-off last token, are compared directly); the
//!    name score combines how much of the query the list name explains and how much
//!    of the list name the query covers, both weighted by token rarity. Birth date,
//!    country, identifiers, legal form and schema then raise or lower it.
//!
//! One score scale serves every schema. [`DEFAULT_THRESHOLD`] is the alert threshold.

pub mod analyze;
pub mod compare;
mod context;
mod identity;
pub mod index;
pub mod phonetics;
mod request;
mod score;
pub mod search;
pub mod snapshot;
pub mod text;

pub use compare::{compare, Comparison};
pub use index::Index;
pub use phonetics::How;
pub use request::{
    check_request, check_sources, check_threshold, QueryError, QueryFields, MAX_NAME_CHARS,
    QUERY_FIELDS,
};
pub use score::{
    Adjustment, ContextToken, Explanation, ListWord, ListWordRole, Listing, Match, Params,
    TokenMatch,
};
pub use search::{SearchQuery, SearchResults};
pub use snapshot::SnapshotError;
pub use text::TextMatch;

use redline_model::{PartialDate, Schema, SourceId};

/// Matches scoring at or above this raise an alert.
///
/// Chosen on the public benchmark (`redline eval`, `examples/tune.rs`): at 0.84 a
/// full-name match with a typo, a transliteration variant or a missing middle name
/// passes, while a name sharing only some of its tokens with a list name (another
/// person's surname, a swapped-in given name) does not.
pub const DEFAULT_THRESHOLD: f64 = 0.84;

/// What to screen.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub name: String,
    pub schema: Option<Schema>,
    pub birth_date: Option<PartialDate>,
    /// ISO 3166-1 alpha-2, lower case.
    pub country: Option<String>,
    /// Identifier values (passport, IMO, BIC, INN, …), any formatting.
    pub identifiers: Vec<String>,
    /// Restrict to these sources (empty: all).
    pub sources: Vec<SourceId>,
}

/// How many matches and from which score.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub threshold: f64,
    pub limit: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threshold: DEFAULT_THRESHOLD,
            limit: 10,
        }
    }
}

impl Options {
    /// Every match at or above `threshold`: what a batch run or an alert must carry.
    /// A common name with an initial (`A. Ali`) can be a dozen list entries, and an
    /// alert that silently keeps the first ten hides the others from the analyst.
    pub fn every_match(threshold: f64) -> Options {
        Options {
            threshold,
            limit: usize::MAX,
        }
    }
}
