//! Canada's Special Economic Measures Act consolidated list (`sema-lmes.xml`).
//!
//! `<data-set>` of `<record>`s, each a party with no id of its own: `Country` (the
//! regulation, in English and French: `Russia / Russie`, or a thematic one such as the
//! Justice for Victims of Corrupt Foreign Officials Regulations), `Schedule` and `Item`
//! (its place in the regulation's schedule), and either `Entity` or `GivenName` and
//! `LastName`, with `Aliases` (comma-separated), `DateOfBirth` and `Title`. The
//! regulation, schedule and item together identify a party; the regulation's English
//! name is its programme.

use quick_xml::events::Event;
use redline_model::{countries, push_unique, DateValue, Entity, Name, NameKind, Schema, SourceId};

use crate::{line_at, InputFile, ParseReport, ParsedList, SourceError};

const SOURCE: SourceId = SourceId::CaSema;
const ROOT: &str = "data-set";

/// One record's fields as read.
#[derive(Default)]
struct Record {
    fields: Vec<(String, String)>,
    line: u64,
}

impl Record {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }
}

/// Parses `sema-lmes.xml`.
pub fn parse(file: InputFile<'_>) -> Result<ParsedList, SourceError> {
    let (text, mut reader) = crate::xml_reader(&file)?;
    let malformed = |at: u64, message: &str| SourceError::at(file.name, line_at(text, at), message);
    let mut report = ParseReport::default();
    let mut entities: Vec<Entity> = Vec::new();
    let mut open: Vec<(String, u64)> = Vec::new();
    let mut record: Option<Record> = None;
    loop {
        let at = reader.buffer_position();
        match reader
            .read_event()
            .map_err(|e| malformed(reader.error_position(), &e.to_string()))?
        {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).to_string();
                if open.is_empty() && name != ROOT {
                    return Err(SourceError::invalid(
                        file.name,
                        format!("root element is <{name}>, expected <{ROOT}>: this is not Canada's SEMA list"),
                    ));
                }
                if name == "record" {
                    record = Some(Record {
                        line: line_at(text, at),
                        ..Record::default()
                    });
                }
                open.push((name, at));
            }
            Event::Text(t) => {
                let value = t.unescape().map_err(|e| malformed(at, &e.to_string()))?;
                if let (Some(r), Some((field, _))) = (record.as_mut(), open.last()) {
                    r.fields.push((field.clone(), value.trim().to_string()));
                }
            }
            Event::End(_) => {
                if let Some((name, _)) = open.pop() {
                    if name == "record" {
                        if let Some(r) = record.take() {
                            report.records += 1;
                            read_record(&r, &mut entities, &mut report, file.name);
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    crate::refuse_unclosed(file.name, text, &open)?;
    if entities.is_empty() {
        return Err(SourceError::invalid(
            file.name,
            "no <record>: not Canada's SEMA list, or an empty one",
        ));
    }
    Ok(ParsedList::new(SOURCE, None, entities, report))
}

/// The regulation's English name: `Russia / Russie` → `Russia`.
fn regulation(country: &str) -> &str {
    country.split(" / ").next().unwrap_or(country).trim()
}

fn read_record(r: &Record, entities: &mut Vec<Entity>, report: &mut ParseReport, file: &str) {
    let location = format!("{file}:{}", r.line);
    let Some(country) = r.get("Country") else {
        report.warn(location, "a record with no Country (regulation)");
        return;
    };
    let programme = regulation(country);
    let (schema, name) = match (r.get("Entity"), r.get("GivenName"), r.get("LastName")) {
        (Some(entity), ..) => (Schema::Organization, entity.to_string()),
        (None, given, Some(last)) => (
            Schema::Person,
            given.map_or_else(|| last.to_string(), |g| format!("{g} {last}")),
        ),
        (None, Some(given), None) => (Schema::Person, given.to_string()),
        (None, None, None) => {
            report.warn(
                location,
                "a record with neither an Entity nor a person's name",
            );
            return;
        }
    };
    let id = format!(
        "{}-{}-{}",
        programme
            .to_ascii_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-"),
        r.get("Schedule").unwrap_or("0"),
        r.get("Item").unwrap_or("0")
    );
    let mut entity = Entity::new(SOURCE, &id, schema);
    entity.add_name(Name::new(&name, NameKind::Primary));
    for alias in r.get("Aliases").into_iter().flat_map(|a| a.split(", ")) {
        let alias = alias.trim();
        if !alias.is_empty() {
            entity.add_name(Name::new(alias, NameKind::StrongAlias));
        }
    }
    push_unique(&mut entity.programs, programme.to_string());
    if let Some(code) = countries::to_code(programme) {
        push_unique(&mut entity.countries, code);
    }
    // Alternatives are written `1972-08-10 or 1972-08-11`.
    for dob in r
        .get("DateOfBirth")
        .into_iter()
        .flat_map(|d| d.split(" or "))
    {
        match DateValue::parse(dob) {
            Some(d) => entity.birth_dates.push(d),
            None => report.warn(&location, format!("unreadable date of birth {dob:?}")),
        }
    }
    if let Some(title) = r.get("Title") {
        entity.add_property("title", title);
    }
    if entities.iter().any(|e| e.id == entity.id) {
        report.warn(
            location,
            format!("{} listed twice in its schedule: kept once", entity.id),
        );
        return;
    }
    entities.push(entity);
}
