//! The EU consolidated financial sanctions list (Financial Sanctions Files, XML 1.1:
//! `<export xmlns="http://eu.europa.ec/fpi/fsd/export">`).
//!
//! Every fact is an attribute of an element inside `sanctionEntity` (logical id, EU
//! reference number, designation date, UN reference): `subjectType` (`person` or
//! `enterprise`), `nameAlias` (`wholeName`, with the name in parts, a `function`
//! that is the person's position, and `strong="false"` for a weak alias),
//! `citizenship`, `birthdate` (full date or year, `circa`, city and country),
//! `identification` (number, type code, country), `address`, `regulation` (its
//! `programme` is the regime, `RUS`, `PRK` …) and `remark` text. The root's
//! `generationDate` dates the version.
//!
//! The EU writes no country as `00` (`UNKNOWN`): such a country is left out, not
//! guessed. A file cut off inside an element, or whose root is not `export`, is
//! refused naming the line.

use quick_xml::events::{BytesStart, Event};
use redline_model::{
    countries, push_unique, Address, DateValue, Entity, IdKind, Identifier, Name, NameKind,
    PartialDate, Schema, SourceId,
};

use crate::{line_at, InputFile, ParseReport, ParsedList, SourceError};

const SOURCE: SourceId = SourceId::EuFsf;
const ROOT: &str = "export";

/// An element's attributes, unescaped; absent and empty are the same.
struct Attributes(Vec<(String, String)>);

impl Attributes {
    fn of(e: &BytesStart<'_>) -> Result<Attributes, String> {
        let mut out = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| err.to_string())?;
            let key = String::from_utf8_lossy(a.key.as_ref()).to_string();
            let value = a.unescape_value().map_err(|err| err.to_string())?;
            out.push((key, value.trim().to_string()));
        }
        Ok(Attributes(out))
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// A country code the EU gives (`00` is its "unknown"), lower case.
    fn country(&self) -> Option<String> {
        self.get("countryIso2Code")
            .filter(|c| countries::name_of(c).is_some())
            .map(str::to_ascii_lowercase)
    }
}

/// Parses an FSF XML 1.1 export.
pub fn parse(file: InputFile<'_>) -> Result<ParsedList, SourceError> {
    let (text, mut reader) = crate::xml_reader(&file)?;
    let malformed = |at: u64, message: &str| SourceError::at(file.name, line_at(text, at), message);
    let mut report = ParseReport::default();
    let mut entities = Entities::default();
    let mut published = None;
    let mut open: Vec<(String, u64)> = Vec::new();
    let mut in_remark = false;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| malformed(reader.error_position(), &e.to_string()))?;
        let (element, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            Event::End(_) => {
                open.pop();
                in_remark = false;
                continue;
            }
            Event::Text(t) if in_remark => {
                let remark = t.unescape().map_err(|e| malformed(at, &e.to_string()))?;
                if let Some(entity) = entities.current() {
                    let remark = remark.trim();
                    if !remark.is_empty() {
                        entity.add_property("remark", remark);
                    }
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let Some(e) = element else { continue };
        let name = String::from_utf8_lossy(e.local_name().as_ref()).to_string();
        let attrs = Attributes::of(e).map_err(|m| malformed(at, &m))?;
        if open.is_empty() {
            if name != ROOT {
                return Err(SourceError::invalid(
                    file.name,
                    format!("root element is <{name}>, expected <{ROOT}>: this is not the EU Financial Sanctions Files export"),
                ));
            }
            published = attrs
                .get("generationDate")
                .and_then(|d| d.get(..10))
                .map(str::to_string);
        }
        let location = format!("{}:{}", file.name, line_at(text, at));
        read_element(&name, &attrs, &mut entities, &mut report, &location);
        in_remark = name == "remark";
        if !empty {
            open.push((name, at));
        }
    }
    crate::refuse_unclosed(file.name, text, &open)?;
    let entities = entities.list;
    if entities.is_empty() {
        return Err(SourceError::invalid(
            file.name,
            "no <sanctionEntity>: not an EU Financial Sanctions Files export, or an empty one",
        ));
    }
    Ok(ParsedList::new(SOURCE, published, entities, report))
}

/// The entities read so far, and the one the elements being read belong to. The EU
/// may give one logical id twice (a record restated): its facts join one entity.
#[derive(Default)]
struct Entities {
    list: Vec<Entity>,
    by_id: std::collections::HashMap<String, usize>,
    current: Option<usize>,
}

impl Entities {
    fn current(&mut self) -> Option<&mut Entity> {
        self.list.get_mut(self.current?)
    }
}

/// Keeps what one element says on the entity it belongs to.
fn read_element(
    name: &str,
    attrs: &Attributes,
    entities: &mut Entities,
    report: &mut ParseReport,
    location: &str,
) {
    if name == "sanctionEntity" {
        report.records += 1;
        let id = attrs.get("logicalId").unwrap_or_default();
        if let Some(&i) = entities.by_id.get(id) {
            entities.current = Some(i);
            return;
        }
        entities.by_id.insert(id.to_string(), entities.list.len());
        // The schema is fixed by `subjectType`, which follows; a person until then.
        let mut entity = Entity::new(SOURCE, id, Schema::Person);
        entity.listed_on = attrs.get("designationDate").map(str::to_string);
        if let Some(reference) = attrs.get("euReferenceNumber") {
            entity.add_property("eu_reference_number", reference);
        }
        if let Some(un) = attrs.get("unitedNationId") {
            entity.add_property("un_reference", un);
        }
        entities.current = Some(entities.list.len());
        entities.list.push(entity);
        return;
    }
    let Some(entity) = entities.current() else {
        return;
    };
    match name {
        "subjectType" => {
            entity.schema = match attrs.get("code") {
                Some("person") => Schema::Person,
                _ => Schema::Organization,
            }
        }
        "regulation" => {
            if let Some(programme) = attrs.get("programme") {
                push_unique(&mut entity.programs, programme.to_string());
            }
        }
        "nameAlias" => {
            let Some(whole) = attrs.get("wholeName") else {
                report.warn(location, "a nameAlias with no wholeName");
                return;
            };
            let kind = if entity.names.is_empty() {
                NameKind::Primary
            } else if attrs.get("strong") == Some("false") {
                NameKind::WeakAlias
            } else {
                NameKind::StrongAlias
            };
            let mut name = Name::new(whole, kind);
            if let Some(language) = attrs.get("nameLanguage") {
                name = name.with_note(language);
            }
            entity.add_name(name);
            if let Some(function) = attrs.get("function") {
                entity.add_property("position", function);
            }
            if let Some(title) = attrs.get("title") {
                entity.add_property("title", title);
            }
        }
        "citizenship" => {
            if let Some(c) = attrs.country() {
                push_unique(&mut entity.citizenships, c);
            }
        }
        "birthdate" => {
            let date = attrs
                .get("birthdate")
                .and_then(DateValue::parse)
                .or_else(|| {
                    let year = attrs.get("year")?.parse().ok()?;
                    Some(DateValue::exact(
                        PartialDate::year(year),
                        attrs.get("year")?,
                    ))
                });
            match date {
                Some(mut d) => {
                    d.circa = attrs.get("circa") == Some("true");
                    if !entity.birth_dates.contains(&d) {
                        entity.birth_dates.push(d);
                    }
                }
                None if attrs.get("city").is_none() => {
                    report.warn(location, "a birthdate with neither a date nor a year")
                }
                None => {}
            }
            if let Some(city) = attrs.get("city").or(attrs.get("place")) {
                push_unique(&mut entity.birth_places, city.to_string());
            }
        }
        "identification" => {
            let Some(number) = attrs.get("number") else {
                return;
            };
            let kind = match attrs.get("identificationTypeCode") {
                Some("passport") => IdKind::Passport,
                Some("id") => IdKind::NationalId,
                Some("tax") | Some("fiscalcode") => IdKind::TaxId,
                Some("regnumber") => IdKind::Registration,
                Some("swiftbic") => IdKind::Bic,
                Some("imo") => IdKind::Imo,
                Some(other) => IdKind::Other(other.to_string()),
                None => IdKind::Other("identification".into()),
            };
            entity.identifiers.push(Identifier {
                kind,
                value: number.to_string(),
                country: attrs.country(),
                note: attrs
                    .get("identificationTypeDescription")
                    .map(str::to_string),
            });
        }
        "address" => {
            let parts: Vec<&str> = ["street", "poBox", "place", "city", "zipCode", "region"]
                .iter()
                .filter_map(|k| attrs.get(k))
                .chain(attrs.get("countryDescription"))
                .collect();
            let country = attrs.country();
            if let Some(c) = &country {
                push_unique(&mut entity.countries, c.clone());
            }
            entity.addresses.push(Address {
                full: parts.join(", "),
                street: attrs.get("street").map(str::to_string),
                city: attrs.get("city").map(str::to_string),
                region: attrs.get("region").map(str::to_string),
                postal_code: attrs.get("zipCode").map(str::to_string),
                country,
            });
        }
        _ => {}
    }
}
