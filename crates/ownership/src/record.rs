//! One shape for every ownership format: a stake between two parties as a file wrote it.
//!
//! Registers publish ownership in their own shapes — a UK PSC snapshot line, a GLEIF
//! relationship record, a BODS relationship statement, an analyst's CSV row — but what
//! the rules need from each is the same: who (a name, numbers, a birth date, a
//! country), in whom, how (a share, a band of shares, or control), since and until when,
//! and where it was read. Each format's reader turns its rows into [`StakeRecord`]s and
//! nothing more; naming the parties (list entity, registry number, name match) is done
//! once for every format in [`crate::parties`], so that a company written in a PSC
//! file and in a CSV is the same party, found on the lists the same way.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::graph::RelationKind;
use crate::issue::DataIssue;
use crate::share::{Period, Share};

/// The formats an ownership file can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// The operator's CSV: `owner,owned,percent,…`, names and numbers allowed.
    Csv,
    /// UK Companies House persons-with-significant-control snapshot (JSON lines).
    UkPsc,
    /// GLEIF Level 2 relationship records (RR-CDF golden copy CSV).
    GleifRr,
    /// GLEIF Level 1 LEI records (LEI-CDF golden copy CSV): the names of LEIs.
    GleifLei,
    /// Beneficial Ownership Data Standard 0.4 statements (JSON array or lines).
    Bods,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Csv,
        Format::UkPsc,
        Format::GleifRr,
        Format::GleifLei,
        Format::Bods,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::UkPsc => "uk-psc",
            Format::GleifRr => "gleif-rr",
            Format::GleifLei => "gleif-lei",
            Format::Bods => "bods",
        }
    }

    pub fn parse(text: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// The format of a file from its first bytes: JSON with `company_number` is a PSC
    /// snapshot, JSON with BODS record or statement types is BODS, a CSV whose header
    /// names GLEIF's relationship or LEI columns is GLEIF, any other CSV the operator's.
    /// `None` for JSON that is neither (never guessed as a CSV).
    pub fn detect(bytes: &[u8]) -> Option<Format> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let head = &bytes[..bytes.len().min(4096)];
        let head = String::from_utf8_lossy(head);
        let text = head.trim_start();
        if text.starts_with('{') || text.starts_with('[') {
            if text.contains("\"recordType\"") || text.contains("\"statementType\"") {
                return Some(Format::Bods);
            }
            if text.contains("\"company_number\"") {
                return Some(Format::UkPsc);
            }
            return None;
        }
        let header = text.lines().next().unwrap_or("");
        if header.contains("Relationship.StartNode.NodeID") {
            Some(Format::GleifRr)
        } else if header.contains("Entity.LegalName") {
            Some(Format::GleifLei)
        } else {
            Some(Format::Csv)
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a party is a person, an organisation, or not said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    Person,
    Organization,
    #[default]
    Unknown,
}

/// A registration or identifier number, with the scheme the file gave it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Number {
    /// `GB-COH`, `LEI`, `RU-INN` … as the file says; empty when it does not.
    pub scheme: String,
    pub value: String,
}

impl Number {
    pub fn new(scheme: &str, value: &str) -> Number {
        Number {
            scheme: scheme.trim().to_ascii_uppercase(),
            value: value.trim().to_string(),
        }
    }

    /// The value as identifiers compare (letters and digits, upper case).
    pub fn key(&self) -> String {
        redline_model::normalize_identifier(&self.value)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scheme.is_empty() {
            f.write_str(&self.value)
        } else {
            write!(f, "{} {}", self.scheme, self.value)
        }
    }
}

/// A party as a file wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PartyRecord {
    pub name: Option<String>,
    pub numbers: Vec<Number>,
    /// A list id (`ofac-sdn:123`) or an operator id (`local:…`) written as such.
    pub id: Option<String>,
    pub kind: PartyKind,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// A country code or name.
    pub country: Option<String>,
    /// The number is the key of the register that publishes this party's own record
    /// (a PSC line's `company_number`, a GLEIF node's LEI): it names the party even
    /// without a name. A number an analyst typed must be known somewhere.
    pub registered: bool,
}

impl PartyRecord {
    /// What the file wrote, for messages.
    pub fn written(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(id) = &self.id {
            parts.push(id.clone());
        }
        if let Some(name) = &self.name {
            parts.push(name.clone());
        }
        parts.extend(self.numbers.iter().map(Number::to_string));
        parts.join(", ")
    }
}

/// A share as stated: one number, a band, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatedShare {
    Unknown,
    Exact(Share),
    /// Lower and upper bound. Whether a bound is itself included does not change a
    /// "50 % or more" test on the lower bound, so it is not kept; the upper bound is
    /// kept as published ("up to 50 %" can be exactly 50 %).
    Band(Share, Share),
}

/// One stake read from a file. Parties are indices into the file's
/// [`ParsedFile::parties`]: a register names the same owner in thousands of rows, and
/// is read, named and added once per party, not once per row.
#[derive(Debug, Clone)]
pub struct StakeRecord {
    /// The line of the file the stake was read from (1-based).
    pub line: u32,
    pub owner: u32,
    pub owned: u32,
    pub relation: RelationKind,
    pub share: StatedShare,
    /// The share or nature of control in the file's own words
    /// (`ownership-of-shares-50-to-75-percent`, `IS_DIRECTLY_CONSOLIDATED_BY`).
    pub stated: Option<Arc<str>>,
    pub period: Period,
    pub source: Option<Arc<str>>,
    pub as_of: Option<Arc<str>>,
}

/// What a reader got from one file.
#[derive(Debug, Default)]
pub struct ParsedFile {
    /// Every distinct party the file writes.
    pub parties: Vec<PartyRecord>,
    party_index: HashMap<PartyRecord, u32>,
    /// Texts many rows repeat (a source, a nature of control), kept once.
    texts: HashMap<Box<str>, Arc<str>>,
    pub stakes: Vec<StakeRecord>,
    /// Names of numbered parties given apart from any stake (GLEIF LEI records, BODS
    /// entity statements), with their country.
    pub names: Vec<(Number, String, Option<String>)>,
    /// Rows not used, and rows used with a warning, each with its line.
    pub issues: Vec<DataIssue>,
}

impl ParsedFile {
    /// The index of a party, added if new.
    pub fn party(&mut self, record: PartyRecord) -> u32 {
        if let Some(&at) = self.party_index.get(&record) {
            return at;
        }
        let at = self.parties.len() as u32;
        self.party_index.insert(record.clone(), at);
        self.parties.push(record);
        at
    }

    /// A text, shared with the rows that repeat it.
    pub fn text(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.texts.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(text);
        self.texts.insert(text.into(), shared.clone());
        shared
    }

    /// Takes the parties out, dropping the look-up tables reading needed.
    pub(crate) fn take_parties(&mut self) -> Vec<PartyRecord> {
        self.party_index = HashMap::new();
        self.texts = HashMap::new();
        std::mem::take(&mut self.parties)
    }

    /// The parties of a stake (for tests and messages).
    pub fn parties_of(&self, stake: &StakeRecord) -> (&PartyRecord, &PartyRecord) {
        (
            &self.parties[stake.owner as usize],
            &self.parties[stake.owned as usize],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format_from_its_first_bytes() {
        let psc = br#"{"company_number":"01234567","data":{"kind":"individual-person-with-significant-control"}}"#;
        assert_eq!(Format::detect(psc), Some(Format::UkPsc));
        let bods = br#"[{"statementId":"a","recordType":"entity"}]"#;
        assert_eq!(Format::detect(bods), Some(Format::Bods));
        let rr = b"\"Relationship.StartNode.NodeID\",\"Relationship.EndNode.NodeID\"\n";
        assert_eq!(Format::detect(rr), Some(Format::GleifRr));
        let lei = b"\"LEI\",\"Entity.LegalName\"\n";
        assert_eq!(Format::detect(lei), Some(Format::GleifLei));
        assert_eq!(Format::detect(b"owner,owned,percent\n"), Some(Format::Csv));
        assert_eq!(Format::detect(br#"{"name":"x"}"#), None);
    }
}
