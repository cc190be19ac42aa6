//! Parsers for the published lists, one module per source.
//!
//! Each parser reads the publisher's own file format from bytes (the caller does the
//! I/O) into [`redline_model::Entity`] values and a [`ParseReport`] that counts what it
//! read and names, with its location, everything it could not interpret. A file that
//! is structurally broken — truncated XML, a broken CSV quote, bytes that are not text —
//! is an error ([`SourceError`]) naming the file and line, so a bad download never
//! replaces a good list version. Problems inside an otherwise sound record (an
//! unknown remark clause) are kept as warnings and the record is kept, with its
//! remarks verbatim: nothing is dropped silently.

pub mod au_dfat;
pub mod ca_sema;
pub mod eu_fsf;
pub mod jp_meti;
pub mod jp_mof;
pub mod ofac_sdn;
pub mod opensanctions;
pub mod remark_roles;
pub mod uk_hmt;
pub mod un_sc;
pub mod us_csl;
mod xlsx;

use redline_model::{Entity, SourceId};
use serde::Serialize;

/// A whole list file as parsed.
#[derive(Debug, Clone)]
pub struct ParsedList {
    pub source: SourceId,
    /// The publication date the file itself states, `YYYY-MM-DD`, if any.
    pub published: Option<String>,
    pub entities: Vec<Entity>,
    pub report: ParseReport,
}

impl ParsedList {
    /// A parsed list, its report counting what the entities hold.
    pub fn new(
        source: SourceId,
        published: Option<String>,
        entities: Vec<Entity>,
        mut report: ParseReport,
    ) -> ParsedList {
        report.count(&entities);
        ParsedList {
            source,
            published,
            entities,
            report,
        }
    }

    /// The entity with this id (`<source>:<native id>`), if the file has it.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }
}

/// What a parser read, and what it could not interpret.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ParseReport {
    pub records: usize,
    pub entities: usize,
    pub names: usize,
    /// Names by kind: `primary`, `strong_alias`, `weak_alias`, `original_script` …
    pub names_by_kind: std::collections::BTreeMap<&'static str, usize>,
    pub identifiers: usize,
    pub addresses: usize,
    pub links: usize,
    /// Values of the properties read, by key: `position`, `title`, `note`, `remark` …
    pub properties: std::collections::BTreeMap<String, usize>,
    /// Rows read but not loaded because another source reads them from their
    /// publisher (the SDN rows of the US Consolidated Screening List).
    pub left_to_other_sources: usize,
    /// Rows a publisher keeps to record a delisting (Japan MOF's `削除`): read, not
    /// loaded.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub delisted: usize,
    pub warnings: Vec<Problem>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl ParseReport {
    /// Fills the counts from the parsed entities.
    pub fn count(&mut self, entities: &[Entity]) {
        self.entities = entities.len();
        self.names = entities.iter().map(|e| e.names.len()).sum();
        self.names_by_kind.clear();
        self.properties.clear();
        for e in entities {
            for n in &e.names {
                *self.names_by_kind.entry(n.kind.as_str()).or_default() += 1;
            }
            for (key, values) in &e.properties {
                *self.properties.entry(key.clone()).or_default() += values.len();
            }
        }
        self.identifiers = entities.iter().map(|e| e.identifiers.len()).sum();
        self.addresses = entities.iter().map(|e| e.addresses.len()).sum();
        self.links = entities.iter().map(|e| e.links.len()).sum();
    }

    /// What was read, one line: names by kind, identifiers, addresses, links, and the
    /// properties read from remarks.
    pub fn summary(&self) -> String {
        let kinds: Vec<String> = self
            .names_by_kind
            .iter()
            .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
            .collect();
        let properties: Vec<String> = self
            .properties
            .iter()
            .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
            .collect();
        format!(
            "names: {}; {} identifiers, {} addresses, {} links; properties: {}{}",
            kinds.join(", "),
            self.identifiers,
            self.addresses,
            self.links,
            if properties.is_empty() {
                "none".to_string()
            } else {
                properties.join(", ")
            },
            if self.left_to_other_sources > 0 {
                format!(
                    "; {} rows left to the source that publishes them",
                    self.left_to_other_sources
                )
            } else {
                String::new()
            } + &if self.delisted > 0 {
                format!("; {} delisting rows not loaded", self.delisted)
            } else {
                String::new()
            }
        )
    }

    pub fn warn(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Problem {
            location: location.into(),
            message: message.into(),
        });
    }
}

/// A problem with its location: `file:line`, `file:line:column` or an XML path.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    pub location: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// A file that cannot be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{file}:{line}: {message}")]
    Malformed {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

impl SourceError {
    pub fn at(file: &str, line: u64, message: impl Into<String>) -> Self {
        SourceError::Malformed {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }

    pub fn invalid(file: &str, message: impl Into<String>) -> Self {
        SourceError::Invalid {
            file: file.to_string(),
            message: message.into(),
        }
    }
}

/// One input file: its name (for messages) and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct InputFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// Parses the files of one source. OFAC accepts `sdn.csv` with optional `alt.csv` and
/// `add.csv` (recognised by name); the other sources take one file each, and several
/// OpenSanctions files are merged.
pub fn parse(source: SourceId, files: &[InputFile<'_>]) -> Result<ParsedList, SourceError> {
    if files.is_empty() {
        return Err(SourceError::invalid(source.as_str(), "no input file given"));
    }
    match source {
        SourceId::OfacSdn => ofac_sdn::parse_files(files),
        SourceId::UnSc => one_file(source, files).and_then(un_sc::parse),
        SourceId::UkHmt => one_file(source, files).and_then(uk_hmt::parse),
        SourceId::OpenSanctions => opensanctions::parse_files(files),
        SourceId::UsCsl => one_file(source, files).and_then(us_csl::parse),
        SourceId::EuFsf => one_file(source, files).and_then(eu_fsf::parse),
        SourceId::AuDfat => one_file(source, files).and_then(au_dfat::parse),
        SourceId::CaSema => one_file(source, files).and_then(ca_sema::parse),
        SourceId::JpMof => one_file(source, files).and_then(jp_mof::parse),
        SourceId::JpMeti => one_file(source, files).and_then(jp_meti::parse),
        SourceId::Operator => Err(SourceError::Invalid {
            file: files.first().map_or_else(String::new, |f| f.name.to_string()),
            message: "operator parties come from ownership files (redline ownership load), not list files"
                .to_string(),
        }),
    }
}

fn one_file<'a>(source: SourceId, files: &[InputFile<'a>]) -> Result<InputFile<'a>, SourceError> {
    match files {
        [one] => Ok(*one),
        _ => Err(SourceError::invalid(
            files[0].name,
            format!(
                "source {source} takes exactly one file, {} given",
                files.len()
            ),
        )),
    }
}

/// Decodes bytes as UTF-8, or fails naming the line of the first invalid byte.
/// A CSV reader's error as a load error naming the file and the line.
/// An address the list writes as one text (`12 Neglinnaya Str., Moscow, Russian
/// Federation`): kept whole, its country read from its last part where that names
/// one, and that country counted among the entity's.
pub(crate) fn add_written_address(entity: &mut redline_model::Entity, full: &str) {
    let country = full
        .rsplit([',', '、'])
        .next()
        .and_then(|c| redline_model::countries::to_code(c.trim()));
    if let Some(c) = &country {
        redline_model::push_unique(&mut entity.countries, c.clone());
    }
    entity.addresses.push(redline_model::Address {
        full: full.to_string(),
        street: None,
        city: None,
        region: None,
        postal_code: None,
        country,
    });
}

pub(crate) fn broken_csv(file: &str, e: &csv::Error) -> SourceError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    SourceError::at(file, line, format!("broken CSV: {e}"))
}

/// The line of a byte offset in a text (1-based), for errors in XML files.
pub(crate) fn line_at(text: &str, offset: u64) -> u64 {
    let end = usize::try_from(offset).map_or(text.len(), |o| o.min(text.len()));
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 1
}

/// An XML file's text (a byte-order mark dropped) and a strict reader over it: an end
/// tag that closes another element, or closes none, is an error.
pub(crate) fn xml_reader<'a>(
    file: &InputFile<'a>,
) -> Result<(&'a str, quick_xml::Reader<&'a [u8]>), SourceError> {
    let text = decode_utf8(file)?;
    // A byte-order mark is legal before the XML declaration but is not markup.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    reader.config_mut().allow_unmatched_ends = false;
    Ok((text, reader))
}

/// quick-xml reports the end of input whether or not every element was closed: a
/// download cut short would parse as a shorter list. `open` is the elements still
/// open (name, offset); any one left is a truncated file.
pub(crate) fn refuse_unclosed(
    file: &str,
    text: &str,
    open: &[(String, u64)],
) -> Result<(), SourceError> {
    match open.last() {
        None => Ok(()),
        Some((name, opened)) => Err(SourceError::at(
            file,
            line_at(text, text.len() as u64),
            format!(
                "file ends inside <{name}> (opened on line {}): truncated or incomplete file",
                line_at(text, *opened)
            ),
        )),
    }
}

pub(crate) fn decode_utf8<'a>(file: &InputFile<'a>) -> Result<&'a str, SourceError> {
    std::str::from_utf8(file.bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = file.bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        SourceError::at(
            file.name,
            line,
            format!("not UTF-8 text (invalid byte at offset {at}); is this the right file?"),
        )
    })
}
