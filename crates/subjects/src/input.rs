//! Reading subject files as banks export them.
//!
//! Core-banking and CRM exports differ in everything but content: comma, semicolon,
//! tab or pipe delimiters; UTF-8 with or without a byte-order mark, UTF-16 from Excel,
//! Windows-1252 from older systems; column names in the bank's own words. The file's
//! encoding and delimiter are detected, columns are mapped (`--map name=Full Name,…`
//! or by recognised header names), and each row becomes a [`Subject`] or an error that
//! names its line — the rest of the file is unaffected.

use std::collections::BTreeMap;

use redline_model::DateValue;

use crate::Subject;

/// A problem with the file as a whole.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

/// A problem with one row; the run goes on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// 1-based line in the file where the row starts.
    pub line: u64,
    pub message: String,
}

/// Redline's subject fields: a query's ([`redline_matching::QUERY_FIELDS`]).
pub use redline_matching::QUERY_FIELDS as FIELDS;

/// Header names recognised without a mapping, per field (compared case- and
/// punctuation-insensitively).
const KNOWN_HEADERS: [(&str, &[&str]); 6] = [
    (
        "id",
        &[
            "id",
            "customer id",
            "customerid",
            "client id",
            "subject id",
            "cif",
            "account id",
            "ref",
            "reference",
        ],
    ),
    (
        "name",
        &[
            "name",
            "full name",
            "fullname",
            "customer name",
            "client name",
            "party name",
            "legal name",
            "entity name",
        ],
    ),
    (
        "schema",
        &[
            "schema",
            "type",
            "party type",
            "customer type",
            "entity type",
        ],
    ),
    (
        "birth_date",
        &[
            "birth_date",
            "birth date",
            "date of birth",
            "dob",
            "birthdate",
            "incorporation date",
        ],
    ),
    (
        "country",
        &[
            "country",
            "nationality",
            "citizenship",
            "country of residence",
            "residence country",
            "jurisdiction",
        ],
    ),
    (
        "identifiers",
        &[
            "identifiers",
            "identifier",
            "passport",
            "passport number",
            "national id",
            "tax id",
            "registration number",
            "lei",
            "bic",
            "inn",
        ],
    ),
];

/// Which column feeds which field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    /// field → header names (several columns may feed `identifiers`).
    pub fields: BTreeMap<String, Vec<String>>,
}

impl ColumnMap {
    /// Parses `name=Full Name,birth_date=DOB,identifiers=Passport,identifiers=Tax ID`.
    pub fn parse(spec: &str) -> Result<ColumnMap, String> {
        let mut map = ColumnMap::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, header) = part
                .split_once('=')
                .ok_or_else(|| format!("--map {part:?}: expected field=Column Header"))?;
            let field = field.trim();
            if !FIELDS.contains(&field) {
                return Err(format!(
                    "--map {part:?}: unknown field {field:?}; fields are {}",
                    FIELDS.join(", ")
                ));
            }
            map.fields
                .entry(field.to_string())
                .or_default()
                .push(header.trim().to_string());
        }
        Ok(map)
    }
}

fn squash(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Decodes a file's bytes: BOM first (UTF-8, UTF-16), then UTF-8, else Windows-1252
/// (which decodes any byte, so the file is read rather than refused; the encoding used
/// is reported).
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), encoding.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "windows-1252")
        }
    }
}

/// The delimiter of a CSV text: the candidate that splits the header line (outside
/// quotes) into the most fields, and as many in the next lines.
pub fn sniff_delimiter(text: &str) -> u8 {
    let count = |line: &str, d: char| {
        let mut quoted = false;
        line.chars()
            .filter(|&c| {
                if c == '"' {
                    quoted = !quoted;
                }
                !quoted && c == d
            })
            .count()
    };
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(5)
        .collect();
    let Some(header) = lines.first() else {
        return b',';
    };
    [',', ';', '\t', '|']
        .into_iter()
        .map(|d| {
            let n = count(header, d);
            // A delimiter that does not give the same count on most next lines is prose
            // (a short row here and there is the file's problem, not the delimiter's).
            let same = lines[1..].iter().filter(|l| count(l, d) == n).count();
            let consistent = 2 * same >= lines.len() - 1;
            (n * usize::from(consistent), d)
        })
        .max_by_key(|&(n, d)| (n, d == ','))
        .map(|(_, d)| d as u8)
        .unwrap_or(b',')
}

/// One row of a file: its 1-based line, and the subject or why it is not one.
pub type Row = (u64, Result<Subject, RowError>);

/// A subject file read into rows.
pub struct SubjectFile {
    pub encoding: &'static str,
    pub delimiter: Option<u8>,
    /// Each row: its 1-based line, and the subject or why it is not one.
    pub rows: Vec<Row>,
}

/// Reads a CSV or JSON-lines file (by name: `.jsonl`/`.ndjson`/`.json` are JSON lines).
pub fn read(file: &str, bytes: &[u8], map: &ColumnMap) -> Result<SubjectFile, InputError> {
    let (text, encoding) = decode(bytes);
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") || lower.ends_with(".json") {
        return Ok(SubjectFile {
            encoding,
            delimiter: None,
            rows: read_jsonl(&text),
        });
    }
    let delimiter = sniff_delimiter(&text);
    let rows = read_csv(file, &text, delimiter, map)?;
    Ok(SubjectFile {
        encoding,
        delimiter: Some(delimiter),
        rows,
    })
}

fn read_jsonl(text: &str) -> Vec<Row> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let line_no = i as u64 + 1;
            let row = serde_json::from_str::<serde_json::Value>(line)
                .map_err(|e| e.to_string())
                .and_then(|v| subject_from_json(&v, line_no))
                .map_err(|message| RowError {
                    line: line_no,
                    message,
                });
            (line_no, row)
        })
        .collect()
}

fn subject_from_json(v: &serde_json::Value, line: u64) -> Result<Subject, String> {
    let text = |k: &str| -> Option<String> {
        match v.get(k)? {
            serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let identifiers = match v.get("identifiers") {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::String(s)) => split_identifiers(s),
        _ => Vec::new(),
    };
    finish(
        text("id").unwrap_or_else(|| format!("row-{line}")),
        text("name"),
        text("schema"),
        text("birth_date"),
        text("country"),
        identifiers,
    )
}

fn split_identifiers(s: &str) -> Vec<String> {
    s.split([';', '|'])
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(str::to_string)
        .collect()
}

/// Validates and normalises one record's fields.
fn finish(
    id: String,
    name: Option<String>,
    schema: Option<String>,
    birth_date: Option<String>,
    country: Option<String>,
    identifiers: Vec<String>,
) -> Result<Subject, String> {
    let name = name.ok_or("no name")?;
    if let Some(s) = &schema {
        if redline_model::Schema::parse(s).is_none() {
            return Err(format!(
                "schema {s:?}: expected person, organization, vessel or aircraft"
            ));
        }
    }
    let birth_date = match birth_date {
        None => None,
        Some(raw) => Some(
            DateValue::parse(&raw)
                .map(|d| d.date.to_string())
                .ok_or_else(|| format!("birth_date {raw:?}: not a date"))?,
        ),
    };
    Ok(Subject {
        id,
        name,
        schema,
        birth_date,
        country,
        identifiers,
    })
}

fn read_csv(
    file: &str,
    text: &str,
    delimiter: u8,
    map: &ColumnMap,
) -> Result<Vec<Row>, InputError> {
    // The csv crate counts a CRLF ending as no new line when it reports positions;
    // with LF endings its line numbers are the file's.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| InputError::File {
            file: file.to_string(),
            message: format!("cannot read the header line: {e}"),
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let columns = resolve_columns(file, &headers, map)?;
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let (line, result) = match record {
            Err(e) => {
                let line = e.position().map_or(n as u64 + 2, |p| p.line());
                (line, Err(format!("not a CSV row: {e}")))
            }
            Ok(record) => {
                let line = record.position().map_or(n as u64 + 2, |p| p.line());
                let get = |field: &str| -> Option<String> {
                    columns
                        .get(field)?
                        .iter()
                        .filter_map(|&c| record.get(c))
                        .map(str::trim)
                        .find(|v| !v.is_empty())
                        .map(str::to_string)
                };
                let identifiers: Vec<String> = columns
                    .get("identifiers")
                    .map(|cols| {
                        cols.iter()
                            .filter_map(|&c| record.get(c))
                            .flat_map(split_identifiers)
                            .collect()
                    })
                    .unwrap_or_default();
                let id = get("id").unwrap_or_else(|| format!("row-{line}"));
                let result = if record.len() != headers.len() {
                    Err(format!(
                        "{} fields where the header has {}",
                        record.len(),
                        headers.len()
                    ))
                } else {
                    finish(
                        id,
                        get("name"),
                        get("schema"),
                        get("birth_date"),
                        get("country"),
                        identifiers,
                    )
                };
                (line, result)
            }
        };
        rows.push((line, result.map_err(|message| RowError { line, message })));
    }
    Ok(rows)
}

/// field → column indexes, from the mapping or the recognised header names.
fn resolve_columns(
    file: &str,
    headers: &[String],
    map: &ColumnMap,
) -> Result<BTreeMap<String, Vec<usize>>, InputError> {
    let find = |wanted: &str| headers.iter().position(|h| squash(h) == squash(wanted));
    let mut columns: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (field, wanted) in &map.fields {
        for w in wanted {
            let col = find(w).ok_or_else(|| InputError::File {
                file: file.to_string(),
                message: format!(
                    "--map {field}={w}: no column {w:?}; the columns are {}",
                    headers.join(", ")
                ),
            })?;
            columns.entry(field.clone()).or_default().push(col);
        }
    }
    for (field, known) in KNOWN_HEADERS {
        if columns.contains_key(field) {
            continue;
        }
        let found: Vec<usize> = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| known.contains(&squash(h).as_str()))
            .map(|(i, _)| i)
            .collect();
        if !found.is_empty() {
            // Several columns only make sense for identifiers.
            let found = if field == "identifiers" {
                found
            } else {
                found[..1].to_vec()
            };
            columns.insert(field.to_string(), found);
        }
    }
    if !columns.contains_key("name") {
        return Err(InputError::File {
            file: file.to_string(),
            message: format!(
                "no name column: map one with --map name=<column>; the columns are {}",
                headers.join(", ")
            ),
        });
    }
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(file: &SubjectFile) -> Vec<Result<String, u64>> {
        file.rows
            .iter()
            .map(|(_, r)| r.as_ref().map(|s| s.name.clone()).map_err(|e| e.line))
            .collect()
    }

    #[test]
    fn semicolons_bom_windows_1252_and_mapping() {
        let mut bytes = b"Kunde Nr;Vollst\xe4ndiger Name;Geburtsdatum;Land\r\n".to_vec();
        bytes.extend_from_slice(b"17;\"M\xfcller; Hans\";07.10.1952;DE\r\n");
        bytes.extend_from_slice(b"18;Jos\xe9 Garc\xeda;not a date;ES\r\n");
        let map = ColumnMap::parse(
            "id=Kunde Nr,name=Vollständiger Name,birth_date=Geburtsdatum,country=Land",
        )
        .unwrap();
        let file = read("kunden.csv", &bytes, &map).unwrap();
        assert_eq!(file.encoding, "windows-1252");
        assert_eq!(file.delimiter, Some(b';'));
        assert_eq!(
            names(&file),
            vec![Ok("Müller; Hans".into()), Err(3)],
            "{:?}",
            file.rows
        );
        let Ok(first) = &file.rows[0].1 else { panic!() };
        assert_eq!(
            (first.id.as_str(), first.country.as_deref()),
            ("17", Some("DE"))
        );
        assert!(
            matches!(&file.rows[1].1, Err(e) if e.message.contains("birth_date \"not a date\""))
        );
    }

    #[test]
    fn recognised_headers_utf8_bom_tabs_and_bad_rows() {
        let text = "\u{feff}Customer ID\tFull Name\tDOB\tPassport\tTax ID\n\
                    c1\tВладимир Путин\t1952-10-07\t 123 \tRU-9\n\
                    c2\t\t\t\t\n\
                    c3\tJohn Smith\t1970\n";
        let file = read("export.tsv", text.as_bytes(), &ColumnMap::default()).unwrap();
        assert_eq!((file.encoding, file.delimiter), ("UTF-8", Some(b'\t')));
        assert_eq!(
            names(&file),
            vec![Ok("Владимир Путин".into()), Err(3), Err(4)]
        );
        let Ok(s) = &file.rows[0].1 else { panic!() };
        assert_eq!(s.birth_date.as_deref(), Some("1952-10-07"));
        assert_eq!(s.identifiers, vec!["123", "RU-9"]);
    }

    #[test]
    fn unknown_mapping_and_missing_name_column_name_the_columns() {
        let e = read("a.csv", b"a,b\n1,2\n", &ColumnMap::default())
            .err()
            .unwrap();
        assert!(e.to_string().contains("no name column"), "{e}");
        let map = ColumnMap::parse("name=Nom").unwrap();
        let e = read("a.csv", b"a,b\n1,2\n", &map).err().unwrap();
        assert!(
            e.to_string()
                .contains("no column \"Nom\"; the columns are a, b"),
            "{e}"
        );
        assert!(ColumnMap::parse("nom=X").is_err());
    }

    #[test]
    fn json_lines_with_line_numbers() {
        let text = "{\"id\": \"a\", \"name\": \"X Y\", \"identifiers\": [\"P1\"]}\n\n{\"name\": 5}\nnot json\n";
        let file = read("s.jsonl", text.as_bytes(), &ColumnMap::default()).unwrap();
        assert_eq!(names(&file), vec![Ok("X Y".into()), Ok("5".into()), Err(4)]);
    }
}
