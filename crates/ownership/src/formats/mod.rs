//! Readers, one per ownership format, each turning a file's rows into
//! [`StakeRecord`](crate::record::StakeRecord)s.
//!
//! A reader refuses a whole file only when it cannot be the format at all (a CSV
//! without `owner` and `owned` columns, a PSC file with no JSON line). A single row it
//! cannot read — a broken JSON line, a short CSV row, a percentage of 150 — is a
//! [`DataIssue`](crate::DataIssue) naming `file:line`, and the other rows are read:
//! registers are large and a bad line must not hide the good ones. Which issues refuse
//! a row is said by [`IssueKind::refuses_row`](crate::IssueKind::refuses_row).

pub mod bods;
pub mod csv;
pub mod gleif;
pub mod psc;

use crate::issue::{DataIssue, IssueKind, OwnershipError};
use crate::record::{Format, ParsedFile};

/// Options a file is read with, stored beside it so every later read is the same.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The format; `None`: detected from the content.
    pub format: Option<Format>,
    /// CSV column mapping (`owner=Shareholder,owned=Company`); empty: by name.
    pub map: String,
}

impl ReadOptions {
    /// The stored form: `format=csv;map=owner=Shareholder,owned=Company`.
    pub fn to_text(&self) -> String {
        let mut parts = Vec::new();
        if let Some(format) = self.format {
            parts.push(format!("format={format}"));
        }
        if !self.map.trim().is_empty() {
            parts.push(format!("map={}", self.map.trim()));
        }
        parts.join(";")
    }

    pub fn from_text(text: &str) -> Result<ReadOptions, String> {
        let mut options = ReadOptions::default();
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            match part.split_once('=') {
                Some(("format", value)) => {
                    options.format = Some(
                        Format::parse(value).ok_or_else(|| format!("unknown format {value:?}"))?,
                    );
                }
                Some(("map", value)) => options.map = value.to_string(),
                _ => return Err(format!("unknown read option {part:?}")),
            }
        }
        Ok(options)
    }
}

/// Reads a file in its format (given, or detected).
pub fn read(
    file: &str,
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<(Format, ParsedFile), OwnershipError> {
    let format = match options.format.or_else(|| Format::detect(bytes)) {
        Some(format) => format,
        None => {
            return Err(OwnershipError::Malformed {
                file: file.to_string(),
                line: 1,
                message: "JSON that is neither a PSC snapshot (company_number) nor BODS \
                          statements (recordType); give --format"
                    .to_string(),
            })
        }
    };
    let parsed = match format {
        Format::Csv => csv::read(file, bytes, &options.map)?,
        Format::UkPsc => psc::read(file, bytes)?,
        Format::GleifRr => gleif::read_relationships(file, bytes)?,
        Format::GleifLei => gleif::read_names(file, bytes)?,
        Format::Bods => bods::read(file, bytes)?,
    };
    Ok((format, parsed))
}

/// A row that cannot be read: refused, with its line.
pub(crate) fn malformed(file: &str, line: u64, message: impl Into<String>) -> DataIssue {
    DataIssue::new(
        IssueKind::MalformedRow,
        format!("{file}:{line}"),
        format!("{}; row not used", message.into()),
        Vec::new(),
    )
}

/// A row that is read but states no stake the rules use: reported, not refused.
pub(crate) fn not_a_stake(file: &str, line: u64, message: impl Into<String>) -> DataIssue {
    DataIssue::new(
        IssueKind::NotAStake,
        format!("{file}:{line}"),
        message.into(),
        Vec::new(),
    )
}

/// Splits JSON lines, skipping blank ones; yields (line number, text).
pub(crate) fn json_lines(bytes: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(at, line)| (at as u64 + 1, line.strip_suffix(b"\r").unwrap_or(line)))
        .filter(|(_, line)| line.iter().any(|b| !b.is_ascii_whitespace()))
}

/// The readable records of a CSV, each with its line; a record the reader cannot
/// split is reported as malformed and skipped.
pub(crate) fn csv_records(
    file: &str,
    reader: &mut ::csv::Reader<&[u8]>,
    issues: &mut Vec<DataIssue>,
) -> Vec<(u64, ::csv::ByteRecord)> {
    let mut records = Vec::new();
    for record in reader.byte_records() {
        match record {
            Ok(record) => records.push((record.position().map_or(0, |p| p.line()), record)),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                issues.push(malformed(file, line, e.to_string()));
            }
        }
    }
    records
}
