//! Look-up: ranked candidates for what an analyst types, not alerts.
//!
//! Screening answers "does this party alert?" and says nothing below its threshold,
//! rightly: `maduro` alone is no screening hit. An analyst looking something up —
//! `maduro`, `banco cuba`, `Rosnef`, `普京`, `IMO 9187629` — wants every plausible
//! entity ranked, with why. Search runs the screening pipeline (the same readings of
//! every script, the same scorer and explanations) without a threshold, and adds what
//! a look-up needs:
//! - the last word may be cut short while typing (`Rosnef`): it also stands for each
//!   list word it begins, scored a little below the whole word;
//! - a query with digits is also an identifier look-up (the whole of it and each
//!   token with digits), so a passport, IMO or registration number finds its entity
//!   whatever the name;
//! - a query is also looked up among the entities' addresses (`Tverskaya 12`,
//!   `Avenida Francisco de Miranda`): an entity whose address holds most of its words
//!   ranks, below the name matches of the same strength ([`ADDRESS_WEIGHT`]);
//! - filters (schema, list, country) apply to the ranked whole before paging, and
//!   facets count what the filtered whole holds.
//!
//! Results are ranked by a look-up score, not the alert score: how much of what was
//! typed the entity's name explains, first and steeply (an exact `maduro` before a
//! fuzzy `mauro`), then how much of the name that covers (`MADURO MOROS, Nicolas`
//! before a name that merely contains the word among many). A weak alias counts a
//! little less than a name; an identifier that is the entity's own ranks it at its
//! screening score (0.95 or more).

use std::collections::{BTreeMap, HashMap};

use redline_model::{countries, NameKind, Schema, SourceId};
use serde::Serialize;

use crate::analyze::analyze;
use crate::{Index, Match, Options, Query, QueryError, QueryFields};

/// How many entities are ranked before filters and paging: a look-up that matches
/// more is too vague to page through, and says so (`total` is then a lower bound).
pub const MAX_RANKED: usize = 200;
/// A cut-off word shorter than this stands for too many words to help.
const MIN_PREFIX_LEN: usize = 4;
/// Completions of a cut-off word screened at most.
const MAX_PREFIX_COMPLETIONS: usize = 8;
/// An address holding all of the query's words scores this: below any name that
/// explains the whole query (at least 0.6, see `lookup_score`), so that a word that is
/// both a name and a street (`MARGARITA`) finds the name first.
pub const ADDRESS_WEIGHT: f64 = 0.55;
/// A one-word address look-up only for a word in at most this many entities'
/// addresses (`Moscow` alone would list every Moscow company).
const MAX_ONE_WORD_ADDRESS_USES: usize = 25;
/// Below this a candidate shares nothing worth showing.
const MIN_SCORE: f64 = 0.05;

/// What to look up.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    pub schema: Option<Schema>,
    /// ISO 3166-1 alpha-2, lower case: keep entities linked to any of them.
    pub countries: Vec<String>,
    /// Keep entities of these lists (empty: all).
    pub sources: Vec<SourceId>,
}

impl SearchQuery {
    /// A look-up from the fields of a screening query (a `screen --input` line, a
    /// `/v1/screen` body), with the same checks — a name, not too long, a known
    /// schema — and each country a filter: one Redline does not know is an error,
    /// for filtering on it would hide every result. Birth dates and identifiers
    /// given as fields are not filters; write an identifier in the text.
    pub fn from_fields(
        fields: &QueryFields,
        countries: &[String],
        sources: &[SourceId],
    ) -> Result<SearchQuery, QueryError> {
        let query = fields.to_query(sources)?;
        let countries = fields
            .country
            .iter()
            .chain(countries)
            .filter(|c| !c.trim().is_empty())
            .map(|c| countries::to_code(c).ok_or_else(|| QueryError::Country(c.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SearchQuery {
            text: query.name,
            schema: query.schema,
            countries,
            sources: query.sources,
        })
    }
}

/// Counts of the filtered results by facet value.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub countries: BTreeMap<String, usize>,
    pub schemas: BTreeMap<String, usize>,
    pub sources: BTreeMap<String, usize>,
}

/// One page of ranked results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Entities that matched the filters (at most [`MAX_RANKED`]).
    pub total: usize,
    /// `total` reached [`MAX_RANKED`]: more may exist.
    pub more: bool,
    /// The requested page, best first.
    pub hits: Vec<Match>,
    pub facets: Facets,
}

impl Index {
    /// Ranked candidates for `query`, whatever their score: `limit` of them from
    /// `offset`, with the total and facets of the filtered whole.
    pub fn search(&self, query: &SearchQuery, limit: usize, offset: usize) -> SearchResults {
        let options = Options {
            threshold: MIN_SCORE,
            limit: MAX_RANKED,
        };
        let identifiers = identifier_fragments(&query.text);
        let base = Query {
            name: query.text.clone(),
            schema: query.schema,
            birth_date: None,
            country: None,
            identifiers,
            sources: query.sources.clone(),
        };
        let mut best: HashMap<String, Match> = HashMap::new();
        let mut keep = |m: Match| match best.get(&m.entity_id) {
            Some(b) if b.score >= m.score => {}
            _ => {
                best.insert(m.entity_id.clone(), m);
            }
        };
        for mut m in self.screen(&base, &options) {
            m.score = lookup_score(&m);
            keep(m);
        }
        for m in self.address_matches(query) {
            keep(m);
        }
        for (completed, share) in self.completed_queries(&query.text) {
            let q = Query {
                name: completed,
                ..base.clone()
            };
            for mut m in self.screen(&q, &options) {
                // A word the analyst did not finish is a little less sure than one
                // they did.
                m.score = round(lookup_score(&m) * (0.9 + 0.1 * share));
                keep(m);
            }
        }
        let mut ranked: Vec<Match> = best
            .into_values()
            .filter(|m| self.in_countries(m, &query.countries))
            .collect();
        ranked.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.entity_id.cmp(&b.entity_id))
        });
        ranked.truncate(MAX_RANKED);
        let facets = self.facets(&ranked);
        let total = ranked.len();
        SearchResults {
            total,
            more: total == MAX_RANKED,
            hits: ranked.into_iter().skip(offset).take(limit).collect(),
            facets,
        }
    }

    /// The query with its last word completed to each list word it begins, and how
    /// much of that word was typed. None when the last word is short or already a
    /// list word on its own.
    fn completed_queries(&self, text: &str) -> Vec<(String, f64)> {
        let analyzed = analyze(text);
        let Some(last) = analyzed.tokens.last() else {
            return Vec::new();
        };
        if last.chars().count() < MIN_PREFIX_LEN
            || self
                .dict
                .get(last)
                .is_some_and(|id| self.dict.doc_freq[id as usize] > 0)
        {
            return Vec::new();
        }
        let head = &analyzed.tokens[..analyzed.tokens.len() - 1];
        self.dict
            .completions(last)
            .take(MAX_PREFIX_COMPLETIONS)
            .map(|id| {
                let word = &self.dict.strings[id as usize];
                let share = last.len() as f64 / word.len() as f64;
                let mut words: Vec<&str> = head.iter().map(String::as_str).collect();
                words.push(word);
                (words.join(" "), share)
            })
            .collect()
    }

    /// Entities whose addresses hold most of the query's words.
    fn address_matches(&self, query: &SearchQuery) -> Vec<Match> {
        let words = self.addresses.get_or_init(|| AddressWords::of(self));
        let wanted = address_words(&query.text);
        if wanted.is_empty() {
            return Vec::new();
        }
        if wanted.len() == 1
            && words
                .postings
                .get(&wanted[0])
                .is_none_or(|p| p.len() > MAX_ONE_WORD_ADDRESS_USES)
        {
            return Vec::new();
        }
        let mut found: HashMap<u32, Vec<&str>> = HashMap::new();
        for word in &wanted {
            for &e in words.postings.get(word).into_iter().flatten() {
                found.entry(e).or_default().push(word);
            }
        }
        let needed = (wanted.len() * 3).div_ceil(4).max(1);
        found
            .into_iter()
            .filter(|(_, met)| met.len() >= needed)
            .filter_map(|(e, met)| {
                let entity = &self.entities[e as usize];
                if query.schema.is_some_and(|s| s != entity.schema)
                    || !query.sources.is_empty() && !query.sources.contains(&entity.source)
                {
                    return None;
                }
                let entity = entity.entity();
                let address = entity
                    .addresses
                    .iter()
                    .map(|a| a.full.clone())
                    .max_by_key(|full| {
                        let own = address_words(full);
                        met.iter().filter(|w| own.iter().any(|o| o == *w)).count()
                    })
                    .unwrap_or_default();
                let share = met.len() as f64 / wanted.len() as f64;
                Some(address_match(entity, address, &met, share))
            })
            .collect()
    }

    fn in_countries(&self, m: &Match, countries: &[String]) -> bool {
        countries.is_empty()
            || self
                .entity(&m.entity_id)
                .is_some_and(|e| e.all_countries().any(|c| countries.iter().any(|w| w == c)))
    }

    fn facets(&self, ranked: &[Match]) -> Facets {
        let mut facets = Facets::default();
        for m in ranked {
            *facets
                .schemas
                .entry(m.schema.as_str().to_string())
                .or_default() += 1;
            *facets
                .sources
                .entry(m.source.as_str().to_string())
                .or_default() += 1;
            if let Some(e) = self.entity(&m.entity_id) {
                let mut countries: Vec<&str> = e.all_countries().collect();
                countries.sort_unstable();
                countries.dedup();
                for c in countries {
                    *facets.countries.entry(c.to_string()).or_default() += 1;
                }
            }
        }
        facets
    }
}

/// How well a screening match answers a look-up (see the module doc).
fn lookup_score(m: &Match) -> f64 {
    let e = &m.explanation;
    let mut score = e.query_coverage.powi(3) * (0.6 + 0.4 * e.list_coverage);
    score *= match e.name_kind {
        NameKind::WeakAlias => 0.9,
        NameKind::FormerName => 0.97,
        _ => 1.0,
    };
    let adjusted = |feature: &str| {
        e.adjustments
            .iter()
            .any(|a| a.feature == feature && a.delta >= 0.0)
    };
    if adjusted("generic_only") {
        score = score.min(0.5);
    }
    if adjusted("identifier") {
        score = score.max(m.score);
    }
    round(score.clamp(0.0, 1.0))
}

/// The parts of a look-up that may be an identifier: the whole text and each word
/// with a digit in it (`IMO 9187629` → `IMO 9187629`, `9187629`).
fn identifier_fragments(text: &str) -> Vec<String> {
    if !text.chars().any(|c| c.is_ascii_digit()) {
        return Vec::new();
    }
    let mut out = vec![text.trim().to_string()];
    out.extend(
        text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
            .map(str::to_string),
    );
    out.dedup();
    out
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The words of the entities' addresses, each with the entities whose addresses hold it.
#[derive(Default)]
pub struct AddressWords {
    postings: HashMap<String, Vec<u32>>,
}

impl AddressWords {
    fn of(index: &Index) -> AddressWords {
        let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
        for (e, indexed) in index.entities.iter().enumerate() {
            let mut own: Vec<String> = indexed
                .entity()
                .addresses
                .iter()
                .flat_map(|a| address_words(&a.full))
                .collect();
            own.sort_unstable();
            own.dedup();
            for word in own {
                postings.entry(word).or_default().push(e as u32);
            }
        }
        AddressWords { postings }
    }
}

/// An address's words as look-ups compare them: in Latin letters, lower case, of two
/// characters or more (house numbers included).
fn address_words(text: &str) -> Vec<String> {
    redline_names::to_latin(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(str::to_lowercase)
        .collect()
}

/// A look-up result found by address: the address stands where a name would, and the
/// explanation says so.
fn address_match(
    entity: &redline_model::Entity,
    address: String,
    met: &[&str],
    share: f64,
) -> Match {
    let tokens = met
        .iter()
        .map(|w| crate::TokenMatch {
            query: w.to_string(),
            list: w.to_string(),
            how: crate::How::Exact,
            similarity: 1.0,
        })
        .collect();
    Match {
        entity_id: entity.id.clone(),
        score: round(ADDRESS_WEIGHT * share),
        schema: entity.schema,
        name: address.clone(),
        caption: entity.caption().to_string(),
        programs: entity.programs.clone(),
        source: entity.source,
        listings: Vec::new(),
        explanation: crate::Explanation {
            name_kind: NameKind::Primary,
            name_score: 0.0,
            query_coverage: share,
            list_coverage: 0.0,
            tokens,
            unmatched_query_tokens: Vec::new(),
            unmatched_list_tokens: Vec::new(),
            list_words: Vec::new(),
            context_tokens: Vec::new(),
            query_legal_forms: Vec::new(),
            list_legal_forms: Vec::new(),
            adjustments: vec![crate::Adjustment {
                feature: "address",
                delta: 0.0,
                detail: format!("the look-up's words are in the entity's address: {address}"),
            }],
            readings: Vec::new(),
        },
    }
}
