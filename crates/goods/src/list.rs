//! Goods lists: which HS codes an export-control regime names, at which tier.
//!
//! Why a list type rather than a constant table: the Common High Priority List is
//! revised, and operators screen against other lists of the same shape (the EU's Annex
//! XXIII or Annex IV goods, a bank's own list of sensitive codes). A list is loaded from
//! CSV bytes with the columns `hs_code,description,tier_or_category,source` (other
//! columns are ignored), identified by `<name>@<first 12 hex of the SHA-256 of the
//! bytes>`, and every hit carries the list, that version and the line of the row that
//! listed the code — the provenance a compliance officer needs to check a hit against
//! the published list. The CHPL of 2024-02-23 is built in (`data/chpl_2024-02-23.csv`)
//! so the binary works offline.
//!
//! How a declared code is compared with a listed one: both are reduced to digits. A
//! listed code ending in `00` at six digits (`8548.00`, `8534.00`) is an HS heading
//! without subdivision, so it stands for the whole heading (`8548`): a declaration under
//! an older nomenclature (`8548.90` in HS 2017) or a national line (`8548.00.9000`)
//! still matches. Likewise a listed 8- or 10-digit national line ending in `00` pairs
//! stands for its shorter parent. A declared code matches a listed code when the
//! declared digits begin with the listed digits; a declared code needs at least six
//! digits (see [`crate::hs`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::error::{version_id, GoodsError};
use crate::hs::{format_digits, HsCode, HsCodeError};
use crate::taxonomy::{Candidate, MatchedTerm, Taxonomy};

/// The built-in CHPL (BIS, version of 2024-02-23; see `data/README.md`).
pub const CHPL_CSV: &str = include_str!("../data/chpl_2024-02-23.csv");
/// The built-in list's name (its version is this name plus the content hash).
pub const CHPL_NAME: &str = "chpl-2024-02-23";
const CHPL_FILE: &str = "chpl_2024-02-23.csv";

/// One listed code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedItem {
    /// As the list writes it (`8542.31`).
    pub hs_code: String,
    /// The digits a declared code must begin with (`854231`; `8548` for `8548.00`).
    pub prefix: String,
    pub description: String,
    /// `Tier 1` … `Tier 4.B` for the CHPL; any category text for other lists.
    pub tier: String,
    pub source: String,
    /// Line of the row in the list file (the header is line 1).
    pub row: u64,
}

/// How precisely a declared code meets the listed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeLevel {
    /// The list names a whole heading (4 digits, or `xxxx.00`).
    Heading,
    /// The list names an HS-6 subheading.
    Subheading,
    /// The list names a national tariff line (more than 6 digits).
    National,
}

/// What found a hit: the declared HS code or the goods description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    HsCode,
    Description,
}

/// A listed item found for a goods line, with its provenance and evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoodsHit {
    /// The listed code, as the list writes it.
    pub hs_code: String,
    pub tier: String,
    /// The list's description of the listed code.
    pub description: String,
    /// List name and version id (`chpl-2024-02-23@…`).
    pub list: String,
    pub version: String,
    /// Line of the listing row in the list file.
    pub row: u64,
    pub matched_by: MatchedBy,
    /// 1.0 for a declared code; the description matcher's confidence otherwise.
    pub confidence: f64,
    /// The declared code (code hits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_code: Option<String>,
    /// How precise the listing is (code hits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<CodeLevel>,
    /// The HS code the description points to (description hits), e.g. `8542.31`, or a
    /// heading such as `8486` when the words name a whole heading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidate: Option<String>,
    /// The words that matched (description hits).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<MatchedTerm>,
}

/// One version of a goods list.
#[derive(Debug, Clone)]
pub struct GoodsList {
    name: String,
    version: String,
    file: String,
    items: Vec<ListedItem>,
}

impl GoodsList {
    /// The built-in Common High Priority List of 2024-02-23.
    pub fn builtin() -> &'static GoodsList {
        static LIST: OnceLock<GoodsList> = OnceLock::new();
        LIST.get_or_init(|| {
            // The file is compiled in and checked by this crate's tests; failing here
            // would mean the crate itself was built broken, not that any input was bad.
            GoodsList::from_csv(CHPL_NAME, CHPL_FILE, CHPL_CSV.as_bytes())
                .expect("the built-in CHPL parses")
        })
    }

    /// Reads a goods list: CSV with a header naming `hs_code`, `description`,
    /// `tier_or_category` and `source` (any order; other columns ignored; a UTF-8 BOM is
    /// allowed). `name` names the list in every hit and in its version id; `file` names
    /// the file in errors. Every row needs a valid code (4 to 12 digits) and a tier or
    /// category; a code listed twice is an error naming both lines.
    pub fn from_csv(name: &str, file: &str, bytes: &[u8]) -> Result<GoodsList, GoodsError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(GoodsError::file(file, "the list needs a name"));
        }
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(body);
        let headers = reader
            .byte_headers()
            .map_err(|e| csv_error(file, body, &e))?
            .clone();
        let column = |wanted: &str| -> Result<usize, GoodsError> {
            headers
                .iter()
                .position(|h| String::from_utf8_lossy(h).trim().eq_ignore_ascii_case(wanted))
                .ok_or_else(|| {
                    GoodsError::line(
                        file,
                        1,
                        format!(
                            "header has no column {wanted:?} (expected hs_code,description,tier_or_category,source)"
                        ),
                    )
                })
        };
        let (c_code, c_desc, c_tier, c_source) = (
            column("hs_code")?,
            column("description")?,
            column("tier_or_category")?,
            column("source")?,
        );
        let mut items: Vec<ListedItem> = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        for record in reader.byte_records() {
            let record = record.map_err(|e| csv_error(file, body, &e))?;
            // The line is counted from the byte offset: the csv crate's own line count
            // is off by one on CRLF files (the built-in list is CRLF).
            let line = record.position().map_or(0, |p| line_at(body, p.byte()));
            let field = |i: usize, label: &str| -> Result<String, GoodsError> {
                let raw = record.get(i).unwrap_or_default();
                std::str::from_utf8(raw)
                    .map(|s| s.trim().to_string())
                    .map_err(|_| GoodsError::line(file, line, format!("{label}: not UTF-8")))
            };
            if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            let written = field(c_code, "hs_code")?;
            let code = HsCode::parse_with_min(&written, 4)
                .map_err(|e| GoodsError::line(file, line, format!("hs_code: {e}")))?;
            let tier = field(c_tier, "tier_or_category")?;
            if tier.is_empty() {
                return Err(GoodsError::line(file, line, "tier_or_category: empty"));
            }
            let prefix = listing_prefix(&code.digits);
            if let Some(first) = seen.insert(prefix.clone(), line) {
                return Err(GoodsError::line(
                    file,
                    line,
                    format!(
                        "hs_code {written:?} is already listed on line {first} (as {})",
                        format_digits(&prefix)
                    ),
                ));
            }
            items.push(ListedItem {
                hs_code: written,
                prefix,
                description: field(c_desc, "description")?,
                tier,
                source: field(c_source, "source")?,
                row: line,
            });
        }
        if items.is_empty() {
            return Err(GoodsError::file(file, "no rows after the header"));
        }
        Ok(GoodsList {
            name: name.to_string(),
            version: version_id(name, bytes),
            file: file.to_string(),
            items,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// `<name>@<first 12 hex of the SHA-256 of the CSV bytes>`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The file name the list was read from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The listed items, in file order.
    pub fn items(&self) -> &[ListedItem] {
        &self.items
    }

    /// The listed items a declared code falls under, most precise listing first.
    /// An empty vector means the code is valid and not listed; an invalid code is an
    /// error (see [`HsCode::parse`]).
    pub fn match_code(&self, declared: &str) -> Result<Vec<GoodsHit>, HsCodeError> {
        let code = HsCode::parse(declared)?;
        let mut hits: Vec<(&ListedItem, CodeLevel)> = self
            .items
            .iter()
            .filter(|item| code.digits.starts_with(&item.prefix))
            .map(|item| {
                let level = match item.prefix.len() {
                    0..=4 => CodeLevel::Heading,
                    5..=6 => CodeLevel::Subheading,
                    _ => CodeLevel::National,
                };
                (item, level)
            })
            .collect();
        hits.sort_by(|a, b| {
            b.0.prefix
                .len()
                .cmp(&a.0.prefix.len())
                .then(a.0.row.cmp(&b.0.row))
        });
        Ok(hits
            .into_iter()
            .map(|(item, level)| GoodsHit {
                declared_code: Some(code.written.clone()),
                level: Some(level),
                ..self.hit(item, MatchedBy::HsCode, 1.0)
            })
            .collect())
    }

    /// The listed items a goods description (or any free text: a payment's remittance
    /// information, an invoice line) names, using the built-in taxonomy.
    pub fn screen_description(&self, text: &str) -> Vec<GoodsHit> {
        self.screen_description_with(Taxonomy::builtin(), text)
    }

    /// [`GoodsList::screen_description`] with another taxonomy.
    ///
    /// Each taxonomy candidate (an HS code with a confidence) becomes a hit on every
    /// listed item it falls under or that falls under it (a candidate heading `8486`
    /// meets the listed `8486.10`, `8486.20` and `8486.40`). Hits are ordered by
    /// confidence, then list row; a listed item found by several candidates is reported
    /// once, with the strongest.
    pub fn screen_description_with(&self, taxonomy: &Taxonomy, text: &str) -> Vec<GoodsHit> {
        let candidates = taxonomy.candidates(text);
        self.hits_for_candidates(&candidates)
    }

    pub(crate) fn hits_for_candidates(&self, candidates: &[Candidate]) -> Vec<GoodsHit> {
        let mut best: HashMap<u64, GoodsHit> = HashMap::new();
        for candidate in candidates {
            for item in self.items.iter().filter(|item| {
                candidate.digits.starts_with(&item.prefix)
                    || item.prefix.starts_with(&candidate.digits)
            }) {
                let better = best
                    .get(&item.row)
                    .is_none_or(|h| candidate.confidence > h.confidence);
                if better {
                    best.insert(
                        item.row,
                        GoodsHit {
                            candidate: Some(candidate.hs_code.clone()),
                            terms: candidate.terms.clone(),
                            ..self.hit(item, MatchedBy::Description, candidate.confidence)
                        },
                    );
                }
            }
        }
        let mut hits: Vec<GoodsHit> = best.into_values().collect();
        hits.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(a.row.cmp(&b.row))
        });
        hits
    }

    fn hit(&self, item: &ListedItem, matched_by: MatchedBy, confidence: f64) -> GoodsHit {
        GoodsHit {
            hs_code: item.hs_code.clone(),
            tier: item.tier.clone(),
            description: item.description.clone(),
            list: self.name.clone(),
            version: self.version.clone(),
            row: item.row,
            matched_by,
            confidence,
            declared_code: None,
            level: None,
            candidate: None,
            terms: Vec::new(),
        }
    }
}

/// The digits a declared code must begin with for a listed code: trailing `00` pairs
/// beyond the 4-digit heading mean "no further subdivision", so they are dropped
/// (`854800` → `8548`, `84713000` → `847130`).
fn listing_prefix(digits: &str) -> String {
    let mut prefix = digits;
    while prefix.len() > 4 && prefix.len().is_multiple_of(2) && prefix.ends_with("00") {
        prefix = &prefix[..prefix.len() - 2];
    }
    prefix.to_string()
}

/// The 1-based line of the record starting at byte `offset` of `body`. With CRLF
/// line ends the csv crate starts a record at the `\n` after the previous `\r`, so line
/// breaks at the offset are skipped first.
fn line_at(body: &[u8], offset: u64) -> u64 {
    let mut end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(body.len());
    while end < body.len() && matches!(body[end], b'\r' | b'\n') {
        end += 1;
    }
    body[..end].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

fn csv_error(file: &str, body: &[u8], e: &csv::Error) -> GoodsError {
    let line = e.position().map_or(0, |p| line_at(body, p.byte()));
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "not UTF-8".to_string(),
        _ => e.to_string(),
    };
    if line == 0 {
        GoodsError::file(file, message)
    } else {
        GoodsError::line(file, line, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_prefixes_drop_undivided_levels() {
        assert_eq!(listing_prefix("854231"), "854231");
        assert_eq!(listing_prefix("854800"), "8548");
        assert_eq!(listing_prefix("8548"), "8548");
        assert_eq!(listing_prefix("84713000"), "847130");
        assert_eq!(listing_prefix("8471300000"), "847130");
        assert_eq!(listing_prefix("8471301000"), "84713010");
        // An odd-length national line keeps its digits.
        assert_eq!(listing_prefix("847130100"), "847130100");
    }

    #[test]
    fn the_builtin_list_has_the_fifty_chpl_codes() {
        let list = GoodsList::builtin();
        assert_eq!(list.items().len(), 50);
        assert!(list.version().starts_with("chpl-2024-02-23@"));
        assert_eq!(list.version().len(), "chpl-2024-02-23@".len() + 12);
        let tiers: std::collections::BTreeMap<&str, usize> =
            list.items().iter().fold(Default::default(), |mut m, i| {
                *m.entry(i.tier.as_str()).or_default() += 1;
                m
            });
        assert_eq!(
            tiers.into_iter().collect::<Vec<_>>(),
            [
                ("Tier 1", 4),
                ("Tier 2", 5),
                ("Tier 3.A", 16),
                ("Tier 3.B", 9),
                ("Tier 4.A", 11),
                ("Tier 4.B", 5)
            ]
        );
        assert_eq!(list.items()[0].row, 2);
    }
}
