//! OpenSanctions data in the FollowTheMoney (FtM) entity format.
//!
//! # The format
//!
//! OpenSanctions publishes its consolidated data as FtM entities, one JSON object per
//! line:
//!
//! ```text
//! {"id": "NK-…", "schema": "Company", "caption": "LLC CST",
//!  "properties": {"name": ["LLC CST", "Zala Aero Group"], "innCode": ["1841015504"]},
//!  "datasets": ["ua_nsdc_sanctions"], "referents": ["ofac-…"], "target": true, …}
//! ```
//!
//! Every property holds a list of values and has no order of preference. FtM
//! distinguishes *things* (`Person`, `Company`, `Vessel`, …: the parties a screening
//! matches against) from *intervals*: `Sanction`, `Ownership`, `Directorship`,
//! `Family` and the like are entities of their own that point to things by id
//! (`{"schema": "Ownership", "properties": {"owner": ["A"], "asset": ["B"],
//! "percentage": ["51"]}}`). Addresses may likewise be separate `Address` entities
//! referenced through `addressEntity`. Some exports ("nested" JSON) embed the
//! referenced entity objects in the property lists instead of giving their ids; both
//! shapes are read here.
//!
//! # Why intervals become links
//!
//! Redline screens *parties*, so only things become [`Entity`] values. An interval on
//! its own cannot match a query, but what it says matters to an analyst looking at a
//! hit: who owns the hit and by how much, who directs it, under which programmes it is
//! sanctioned. So:
//!
//! * a `Sanction` is folded into the entity it targets (programmes, listing date,
//!   authority, reason…);
//! * an `Ownership` becomes a [`Link`] on *both* parties — `Owns` on the owner and
//!   `OwnedBy` on the asset — because a screening hit on either side must show the
//!   other (sanctions ownership rules work in both directions: the 50 % rule asks who
//!   owns an asset);
//! * other relationships (`Directorship`, `Family`, …) become a [`Link`] with
//!   [`Relation::Other`] on their first party;
//! * `Passport`/`Identification`/`CryptoWallet` become identifiers of their holder.
//!
//! A link whose other party is not in the loaded files is still kept (its id is
//! stable and can be looked up elsewhere) and reported as a warning. Schemas that
//! cannot be mapped are reported with their `file:line`; nothing is dropped silently.
//!
//! Several files are read as one graph: an entity seen twice (same id, or an id listed
//! in another entity's `referents`, i.e. an id OpenSanctions has since merged) is
//! merged into one.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use redline_model::{countries, ftm};
use redline_model::{
    push_unique, Address, DateValue, Entity, IdKind, Identifier, Link, Name, NameKind, PartialDate,
    Relation, Schema, SourceId,
};
use serde_json::{Map, Value};

use crate::{decode_utf8, InputFile, ParseReport, ParsedList, SourceError};

const SOURCE: SourceId = SourceId::OpenSanctions;

/// Parses one or more FtM JSON-lines files into one list.
///
/// A line that is not a JSON object with an `id` and a `schema` fails the whole load
/// (naming the file and line), so a truncated download never replaces a good list.
pub fn parse_files(files: &[InputFile<'_>]) -> Result<ParsedList, SourceError> {
    let mut graph = Graph::default();
    let mut report = ParseReport::default();
    for file in files {
        let text = decode_utf8(file)?;
        for (index, line) in text.lines().enumerate() {
            let line_no = index as u64 + 1;
            // A byte-order mark would make the first line invalid JSON.
            let line = line.trim_start_matches('\u{feff}').trim();
            if line.is_empty() {
                continue;
            }
            report.records += 1;
            let value: Value = serde_json::from_str(line).map_err(|e| {
                SourceError::at(file.name, line_no, format!("not a JSON entity: {e}"))
            })?;
            let location = format!("{}:{}", file.name, line_no);
            graph
                .add(value, &location, None, &mut report)
                .map_err(|message| SourceError::at(file.name, line_no, message))?;
        }
    }
    graph.merge_referents(&mut report);
    let entities = Builder::new(&graph, &mut report).build();
    // FtM lines carry no publication date of the file as a whole.
    Ok(ParsedList::new(SOURCE, None, entities, report))
}

/// Reads one FtM entity object, with the entities nested in it (a `Sanction`, an
/// `Address`, a `Passport`), as the party it describes: for callers that get entities
/// one at a time — a compare request, a file of pairs. `location` names where it came
/// from in warnings and errors. An object that is not a party (an interval, an
/// address) or not an FtM entity is an error naming the problem.
pub fn parse_entity(value: Value, location: &str) -> Result<(Entity, ParseReport), String> {
    let mut graph = Graph::default();
    let mut report = ParseReport::default();
    let id = graph.add(value, location, None, &mut report)?;
    let entities = Builder::new(&graph, &mut report).build();
    let wanted = SOURCE.entity_id(&id);
    match entities.into_iter().find(|e| e.id == wanted) {
        Some(entity) => Ok((entity, report)),
        None => Err(format!(
            "entity {id} is not a party Redline screens (a person, company, organisation, vessel or aircraft)"
        )),
    }
}

/// One FtM entity as read (possibly merged from several lines or files).
#[derive(Debug, Clone)]
struct Record {
    id: String,
    schema: String,
    caption: Option<String>,
    /// Property values in the file's order, without duplicates. Nested entity
    /// objects are replaced by their ids.
    props: BTreeMap<String, Vec<String>>,
    datasets: Vec<String>,
    referents: Vec<String>,
    first_seen: Option<String>,
    last_seen: Option<String>,
    last_change: Option<String>,
    target: bool,
    /// `file:line` where the entity was first seen.
    location: String,
    /// Set when this record was merged into another one (it was that one's referent).
    merged_into: Option<usize>,
}

impl Record {
    fn values(&self, prop: &str) -> &[String] {
        self.props.get(prop).map(Vec::as_slice).unwrap_or(&[])
    }

    fn first(&self, prop: &str) -> Option<&str> {
        self.values(prop).first().map(String::as_str)
    }

    /// A display name for a record that is not a screened party.
    fn label(&self) -> Option<String> {
        self.first("name")
            .map(str::to_string)
            .or_else(|| self.caption.clone())
    }

    fn merge(&mut self, other: Record, report: &mut ParseReport) {
        if self.schema != other.schema {
            match more_specific(&self.schema, &other.schema) {
                Some(schema) => self.schema = schema.to_string(),
                None => report.warn(
                    &other.location,
                    format!(
                        "entity {} is a {} here but a {} at {}; kept as {}",
                        self.id, other.schema, self.schema, self.location, self.schema
                    ),
                ),
            }
        }
        if self.caption.is_none() {
            self.caption = other.caption;
        }
        for (prop, values) in other.props {
            let mine = self.props.entry(prop).or_default();
            for value in values {
                push_unique(mine, value);
            }
        }
        for d in other.datasets {
            push_unique(&mut self.datasets, d);
        }
        for r in other.referents {
            push_unique(&mut self.referents, r);
        }
        self.first_seen = pick(self.first_seen.take(), other.first_seen, Ordering::Less);
        self.last_seen = pick(self.last_seen.take(), other.last_seen, Ordering::Greater);
        self.last_change = pick(
            self.last_change.take(),
            other.last_change,
            Ordering::Greater,
        );
        self.target |= other.target;
    }
}

/// Of two optional timestamps, the one that compares as `want` to the other.
fn pick(a: Option<String>, b: Option<String>, want: Ordering) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.cmp(&a) == want { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// When the same id carries two schemas, FtM keeps the more specific one
/// (`LegalEntity` + `Company` is a `Company`); anything else is a conflict.
fn more_specific<'s>(a: &'s str, b: &'s str) -> Option<&'s str> {
    fn extends(child: &str, parent: &str) -> bool {
        matches!(
            (child, parent),
            (
                "Person" | "Organization" | "Company" | "PublicBody",
                "LegalEntity"
            ) | ("Company" | "PublicBody", "Organization")
                | (_, "Thing")
        )
    }
    if extends(a, b) {
        Some(a)
    } else if extends(b, a) {
        Some(b)
    } else {
        None
    }
}

/// All records of all files, by id.
#[derive(Default)]
struct Graph {
    records: Vec<Record>,
    index: HashMap<String, usize>,
    /// Former ids (`referents`) of loaded entities → the record carrying them.
    aliases: HashMap<String, usize>,
}

impl Graph {
    /// Reads one entity object (and the entities nested in it); returns its id.
    fn add(
        &mut self,
        value: Value,
        location: &str,
        parent: Option<&str>,
        report: &mut ParseReport,
    ) -> Result<String, String> {
        let Value::Object(mut object) = value else {
            return Err("not a JSON object".to_string());
        };
        let id = take_string(&mut object, "id").ok_or("entity has no \"id\"")?;
        let schema = take_string(&mut object, "schema")
            .ok_or_else(|| format!("entity {id} has no \"schema\""))?;
        let mut props = BTreeMap::new();
        match object.remove("properties") {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                for (prop, value) in map {
                    let mut values = Vec::new();
                    self.collect(value, &id, location, &mut values, report)
                        .map_err(|e| format!("entity {id}, property {prop}: {e}"))?;
                    if !values.is_empty() {
                        props.insert(prop, values);
                    }
                }
            }
            Some(_) => return Err(format!("entity {id}: \"properties\" is not an object")),
        }
        if let Some(parent) = parent {
            fill_back_reference(&schema, &mut props, parent);
        }
        let record = Record {
            caption: take_string(&mut object, "caption"),
            datasets: string_list(object.get("datasets")),
            referents: string_list(object.get("referents")),
            first_seen: take_string(&mut object, "first_seen"),
            last_seen: take_string(&mut object, "last_seen"),
            last_change: take_string(&mut object, "last_change"),
            target: object
                .get("target")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            id: id.clone(),
            schema,
            props,
            location: location.to_string(),
            merged_into: None,
        };
        match self.index.get(&id) {
            Some(&at) => self.records[at].merge(record, report),
            None => {
                self.index.insert(id.clone(), self.records.len());
                self.records.push(record);
            }
        }
        Ok(id)
    }

    /// Flattens one property value: strings as they are, nested entities by id.
    fn collect(
        &mut self,
        value: Value,
        owner: &str,
        location: &str,
        out: &mut Vec<String>,
        report: &mut ParseReport,
    ) -> Result<(), String> {
        match value {
            Value::String(s) => push_value(out, &s),
            Value::Array(items) => {
                for item in items {
                    self.collect(item, owner, location, out, report)?;
                }
            }
            nested @ Value::Object(_) => {
                let id = self.add(nested, location, Some(owner), report)?;
                push_value(out, &id);
            }
            // FtM values are strings, but other tools write numbers (percentages).
            Value::Number(n) => push_value(out, &n.to_string()),
            Value::Bool(b) => push_value(out, &b.to_string()),
            Value::Null => {}
        }
        Ok(())
    }

    /// Merges entities that another entity lists among its `referents` (ids
    /// OpenSanctions has since merged), so two list versions in one load do not
    /// produce the same party twice; other referents become aliases of their id.
    fn merge_referents(&mut self, report: &mut ParseReport) {
        for at in 0..self.records.len() {
            if self.records[at].merged_into.is_some() {
                continue;
            }
            let referents = self.records[at].referents.clone();
            for referent in referents {
                match self.index.get(&referent).copied() {
                    Some(other) if other != at && self.records[other].merged_into.is_none() => {
                        let record = self.records[other].clone();
                        self.records[other].merged_into = Some(at);
                        self.records[at].merge(record, report);
                    }
                    Some(_) => {}
                    None => {
                        self.aliases.entry(referent).or_insert(at);
                    }
                }
            }
        }
    }

    /// The record an id (or former id) refers to.
    fn resolve(&self, id: &str) -> Option<&Record> {
        let mut at = self
            .index
            .get(id)
            .or_else(|| self.aliases.get(id))
            .copied()?;
        // Bounded: a merge chain cannot be longer than the number of records.
        for _ in 0..self.records.len() {
            match self.records[at].merged_into {
                Some(next) => at = next,
                None => return Some(&self.records[at]),
            }
        }
        None
    }

    fn live(&self) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(|r| r.merged_into.is_none())
    }
}

fn take_string(object: &mut Map<String, Value>, key: &str) -> Option<String> {
    match object.remove(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(Value::Array(items)) = value {
        for item in items.iter().filter_map(Value::as_str) {
            push_value(&mut out, item);
        }
    }
    out
}

fn push_value(out: &mut Vec<String>, value: &str) {
    let value = value.trim();
    if !value.is_empty() {
        push_unique(out, value);
    }
}

/// The properties of an interval schema that point to things.
fn endpoints(schema: &str) -> Option<&'static [&'static str]> {
    Some(match schema {
        "Ownership" => &["owner", "asset"],
        "Sanction" => &["entity"],
        "Passport" | "Identification" | "CryptoWallet" => &["holder"],
        "Directorship" => &["director", "organization"],
        "Family" => &["person", "relative"],
        "Associate" => &["person", "associate"],
        "UnknownLink" => &["subject", "object"],
        "Membership" => &["member", "organization"],
        "Representation" => &["agent", "client"],
        "Employment" => &["employee", "employer"],
        "Succession" => &["predecessor", "successor"],
        _ => return None,
    })
}

/// In nested exports an interval embedded in a thing (a person's `ownershipOwner`)
/// may leave out the side that points back to that thing: it is implied by where the
/// object sits. When exactly one endpoint is missing, it is the parent.
fn fill_back_reference(schema: &str, props: &mut BTreeMap<String, Vec<String>>, parent: &str) {
    let Some(ends) = endpoints(schema) else {
        return;
    };
    let mut missing = ends
        .iter()
        // Empty lists are never stored, so a missing key is a missing endpoint.
        .filter(|p| !props.contains_key(**p));
    if let (Some(prop), None) = (missing.next(), missing.next()) {
        props.insert((*prop).to_string(), vec![parent.to_string()]);
    }
}

/// The FtM schemas read into something other than an entity.
fn is_folded(schema: &str) -> bool {
    schema == "Address" || endpoints(schema).is_some()
}

/// Name properties in order of strength: the first time a text is seen fixes its kind.
const ALIAS_PROPS: [(&str, NameKind, Option<&str>); 5] = [
    ("name", NameKind::StrongAlias, None),
    ("alias", NameKind::StrongAlias, None),
    ("weakAlias", NameKind::WeakAlias, None),
    ("previousName", NameKind::FormerName, Some("previous name")),
    ("abbreviation", NameKind::WeakAlias, Some("abbreviation")),
];

/// Person name parts, in the order they are joined when an entity has no `name`.
const NAME_PARTS: [&str; 5] = [
    "firstName",
    "secondName",
    "middleName",
    "fatherName",
    "lastName",
];

/// FtM property name → Redline property key (`sourceUrl` → `source_url`).
fn snake_case(prop: &str) -> String {
    let mut out = String::with_capacity(prop.len() + 4);
    for c in prop.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Reads `50`, `50%`, `25.5`, `25,5`. Anything else, or outside 0–100, is not a share.
fn parse_percentage(text: &str) -> Option<f64> {
    let text = text.trim().trim_end_matches('%').trim();
    let text = if text.contains(',') && !text.contains('.') {
        text.replace(',', ".")
    } else {
        text.to_string()
    };
    let value: f64 = text.parse().ok()?;
    (value.is_finite() && (0.0..=100.0).contains(&value)).then_some(value)
}

/// The earliest (or latest) of some ISO dates; values that are not dates are skipped.
fn extreme_date<'v>(values: impl Iterator<Item = &'v String>, want: Ordering) -> Option<String> {
    values
        .filter_map(|v| PartialDate::parse_iso(v).map(|d| (d, v)))
        .reduce(|a, b| if b.0.cmp(&a.0) == want { b } else { a })
        .map(|(_, raw)| raw.clone())
}

/// The other party of a link, as far as the loaded files know it.
struct Party {
    /// `opensanctions:<id>` (the current id when the file gave a former one).
    id: String,
    name: Option<String>,
    /// Index into the built entities, when it is a screened party.
    entity: Option<usize>,
    loaded: bool,
}

/// Turns the graph into entities.
struct Builder<'g, 'r> {
    graph: &'g Graph,
    report: &'r mut ParseReport,
    entities: Vec<Entity>,
    /// Record id → index into `entities`.
    entity_of: HashMap<&'g str, usize>,
}

impl<'g, 'r> Builder<'g, 'r> {
    fn new(graph: &'g Graph, report: &'r mut ParseReport) -> Self {
        Builder {
            graph,
            report,
            entities: Vec::new(),
            entity_of: HashMap::new(),
        }
    }

    fn build(mut self) -> Vec<Entity> {
        let graph = self.graph;
        // Things first, so that intervals find both their parties whatever the order.
        for record in graph.live() {
            let schema = match ftm::schema_from_ftm(&record.schema) {
                Some(schema) => schema,
                None if is_folded(&record.schema) => continue,
                None => match Schema::parse(&record.schema) {
                    Some(schema) => {
                        self.report.warn(
                            &record.location,
                            format!(
                                "unknown schema {} of {}: read as {schema}",
                                record.schema, record.id
                            ),
                        );
                        schema
                    }
                    None => {
                        self.report.warn(
                            &record.location,
                            format!(
                                "schema {} is not supported: entity {} ({}) not loaded",
                                record.schema,
                                record.id,
                                record.label().unwrap_or_default()
                            ),
                        );
                        continue;
                    }
                },
            };
            let entity = self.thing(record, schema);
            self.entity_of.insert(&record.id, self.entities.len());
            self.entities.push(entity);
        }
        for record in graph.live() {
            match record.schema.as_str() {
                "Sanction" => self.sanction(record),
                "Ownership" => self.relation(record, Relation::Owns, Some(Relation::OwnedBy)),
                "Passport" => self.identification(record, "number", IdKind::Passport),
                "Identification" => self.identification(
                    record,
                    "number",
                    IdKind::Other("identification".to_string()),
                ),
                "CryptoWallet" => self.identification(record, "publicKey", IdKind::CryptoAddress),
                schema if endpoints(schema).is_some() => {
                    let relation = Relation::Other(schema.to_ascii_lowercase());
                    self.relation(record, relation, None);
                }
                _ => {}
            }
        }
        self.entities
    }

    fn warn(&mut self, record: &Record, message: String) {
        self.report.warn(&record.location, message);
    }

    /// A country code; FtM writes lower-case alpha-2 already, but older exports and
    /// other tools write names. A code Redline does not know (FtM has some for
    /// territories such as `suhh`) is kept as written, with a warning.
    fn country(&mut self, record: &Record, value: &str) -> String {
        countries::to_code(value).unwrap_or_else(|| {
            self.warn(
                record,
                format!(
                    "{}: unknown country code {value:?} kept as written",
                    record.id
                ),
            );
            value.to_ascii_lowercase()
        })
    }

    fn thing(&mut self, record: &'g Record, schema: Schema) -> Entity {
        let mut entity = Entity::new(SOURCE, &record.id, schema);
        self.names(&mut entity, record);
        let mut structured = Vec::new();
        let mut plain = Vec::new();
        let mut missing = Vec::new();
        let mut notes = Vec::new();
        for (prop, values) in &record.props {
            match prop.as_str() {
                // Read by `names`; the parts are also kept as properties below.
                "name" | "alias" | "weakAlias" | "previousName" | "abbreviation" => {}
                "birthDate" => {
                    for value in values {
                        match DateValue::parse(value) {
                            Some(date) if !entity.birth_dates.contains(&date) => {
                                entity.birth_dates.push(date)
                            }
                            Some(_) => {}
                            None => {
                                self.warn(
                                    record,
                                    format!("{}: birth date {value:?} not understood", record.id),
                                );
                                entity.add_property("birth_date", value);
                            }
                        }
                    }
                }
                "birthPlace" => {
                    for value in values {
                        push_unique(&mut entity.birth_places, value);
                    }
                }
                "nationality" | "citizenship" | "country" | "jurisdiction" | "mainCountry" => {
                    for value in values {
                        let code = self.country(record, value);
                        let list = match prop.as_str() {
                            "nationality" => &mut entity.nationalities,
                            "citizenship" => &mut entity.citizenships,
                            _ => &mut entity.countries,
                        };
                        push_unique(list, code);
                    }
                }
                // Countries that are facts about the entity, not ties to a country.
                "flag" | "birthCountry" => {
                    let key = if prop == "flag" {
                        "vessel_flag"
                    } else {
                        "birth_country"
                    };
                    for value in values {
                        let code = self.country(record, value);
                        entity.add_property(key, code);
                    }
                }
                "gender" => {
                    entity.gender = values.first().cloned();
                    for other in values.iter().skip(1) {
                        entity.add_property("gender", other);
                    }
                }
                "notes" => notes.extend(values.iter().map(String::as_str)),
                "programId" => {
                    for value in values {
                        push_unique(&mut entity.programs, value);
                    }
                }
                "address" => plain.extend(values.iter().map(String::as_str)),
                "addressEntity" => {
                    for value in values {
                        match self.graph.resolve(value) {
                            Some(address) if address.schema == "Address" => {
                                structured.extend(self.address(address))
                            }
                            Some(other) => self.warn(
                                record,
                                format!(
                                    "{}: addressEntity {value} is a {}, not an Address",
                                    record.id, other.schema
                                ),
                            ),
                            None => missing.push(value.as_str()),
                        }
                    }
                }
                // The key other sources use for a founding date.
                "incorporationDate" => {
                    for value in values {
                        entity.add_property("established", value);
                    }
                }
                _ => {
                    if let Some(kind) = ftm::identifier_kind(prop, schema) {
                        for value in values {
                            add_identifier(
                                &mut entity,
                                Identifier {
                                    kind: kind.clone(),
                                    value: value.clone(),
                                    country: None,
                                    note: Some(prop.clone()),
                                },
                            );
                        }
                        continue;
                    }
                    let key = snake_case(prop);
                    for value in values {
                        // References to other entities (reverse properties of nested
                        // exports) are read from those entities, as links.
                        if self.graph.resolve(value).is_none() {
                            entity.add_property(&key, value);
                        }
                    }
                }
            }
        }
        // Structured addresses first: a plain `address` that repeats one adds nothing.
        for address in structured {
            add_address(&mut entity, address);
        }
        for full in plain {
            add_address(
                &mut entity,
                Address {
                    full: full.to_string(),
                    ..Address::default()
                },
            );
        }
        if !missing.is_empty() {
            self.warn(
                record,
                format!(
                    "{}: {} addressEntity reference(s) not in the loaded files: {}",
                    record.id,
                    missing.len(),
                    missing.join(", ")
                ),
            );
        }
        if !notes.is_empty() {
            entity.remarks = Some(notes.join("\n"));
        }
        for dataset in &record.datasets {
            entity.add_property("datasets", dataset);
        }
        // Former ids, often another list's own (`ofac-…`, `gb-hmt-…`): they tie the
        // entity to the same party in the other sources.
        for referent in &record.referents {
            entity.add_property("referents", referent);
        }
        for (key, value) in [
            ("first_seen", &record.first_seen),
            ("last_seen", &record.last_seen),
            ("last_change", &record.last_change),
        ] {
            if let Some(value) = value {
                entity.add_property(key, value);
            }
        }
        // OpenSanctions' own flag: `true` for a listed party, `false` for one that is
        // only related to listed parties (a shareholder found in a company register).
        entity.add_property("target", record.target.to_string());
        entity
    }

    fn names(&mut self, entity: &mut Entity, record: &Record) {
        let names = record.values("name");
        // FtM names have no order; the caption is the one OpenSanctions displays, so it
        // is the best primary name when it is one of them.
        let primary = record
            .caption
            .as_ref()
            .filter(|c| names.contains(*c))
            .or_else(|| names.first())
            .cloned()
            .or_else(|| {
                let parts: Vec<&str> = NAME_PARTS.iter().filter_map(|p| record.first(p)).collect();
                (!parts.is_empty()).then(|| parts.join(" "))
            })
            // Without a name the caption is FtM's own fallback, unless it is the
            // schema's label (`Company`), which names nothing.
            .or_else(|| record.caption.clone().filter(|c| *c != record.schema));
        match primary {
            Some(text) => add_name_once(entity, Name::new(text, NameKind::Primary)),
            None => self.warn(record, format!("{}: entity has no name", record.id)),
        }
        for (prop, kind, note) in ALIAS_PROPS {
            for text in record.values(prop) {
                let name = Name::new(text.as_str(), kind);
                add_name_once(
                    entity,
                    match note {
                        Some(note) => name.with_note(note),
                        None => name,
                    },
                );
            }
        }
    }

    fn address(&mut self, record: &Record) -> Vec<Address> {
        let first = |prop| record.first(prop).map(str::to_string);
        let country = record.first("country").map(|c| self.country(record, c));
        let base = Address {
            full: String::new(),
            street: first("street"),
            city: first("city"),
            region: first("region"),
            postal_code: first("postalCode"),
            country,
        };
        let mut fulls: Vec<String> = record.values("full").to_vec();
        if fulls.is_empty() {
            let parts: Vec<&str> = ["street", "postOfficeBox", "city", "postalCode", "region"]
                .iter()
                .filter_map(|p| record.first(p))
                .collect();
            match record.caption.clone().filter(|c| c != "Address") {
                Some(caption) => fulls.push(caption),
                None if !parts.is_empty() => fulls.push(parts.join(", ")),
                None => {}
            }
        }
        fulls
            .into_iter()
            .map(|full| Address {
                full,
                ..base.clone()
            })
            .collect()
    }

    /// The party an interval points to.
    fn party(&self, id: &str) -> Party {
        match self.graph.resolve(id) {
            Some(record) => {
                let entity = self.entity_of.get(record.id.as_str()).copied();
                Party {
                    id: SOURCE.entity_id(&record.id),
                    name: match entity {
                        Some(at) => {
                            Some(self.entities[at].caption().to_string()).filter(|c| !c.is_empty())
                        }
                        None => record.label(),
                    },
                    entity,
                    loaded: true,
                }
            }
            None => Party {
                id: SOURCE.entity_id(id),
                name: None,
                entity: None,
                loaded: false,
            },
        }
    }

    /// A sanction: its programmes, date and details go onto the sanctioned entity.
    fn sanction(&mut self, record: &Record) {
        let targets = record.values("entity");
        if targets.is_empty() {
            self.warn(
                record,
                format!("Sanction {} names no entity; not kept", record.id),
            );
        }
        let codes = record.values("programId");
        // The programme code when there is one; else the programme as the list names it.
        let programs = if codes.is_empty() {
            record.values("program")
        } else {
            codes
        };
        let listed = extreme_date(
            record
                .values("startDate")
                .iter()
                .chain(record.values("listingDate")),
            Ordering::Less,
        )
        .and_then(|raw| PartialDate::parse_iso(&raw));
        for target in targets {
            let party = self.party(target);
            let Some(at) = party.entity else {
                let why = if party.loaded {
                    "is not a screened party"
                } else {
                    "is not in the loaded files"
                };
                self.warn(
                    record,
                    format!("Sanction {}: entity {target} {why}; not kept", record.id),
                );
                continue;
            };
            let entity = &mut self.entities[at];
            for program in programs {
                push_unique(&mut entity.programs, program);
            }
            if let Some(date) = listed {
                match entity.listed_on.as_deref().and_then(PartialDate::parse_iso) {
                    Some(current) if current <= date => {}
                    _ => entity.listed_on = Some(date.to_string()),
                }
            }
            for (prop, values) in &record.props {
                if prop == "entity" {
                    continue;
                }
                let key = format!("sanction_{}", snake_case(prop));
                for value in values {
                    entity.add_property(&key, value);
                }
            }
        }
    }

    /// An ownership or other relationship: a link on the first party (and, given
    /// `reverse`, one back on the second).
    fn relation(&mut self, record: &Record, relation: Relation, reverse: Option<Relation>) {
        let Some(&[from_prop, to_prop]) = endpoints(&record.schema) else {
            return;
        };
        let percentage = if record.schema == "Ownership" {
            self.percentage(record)
        } else {
            None
        };
        let start_date = extreme_date(record.values("startDate").iter(), Ordering::Less);
        let end_date = extreme_date(record.values("endDate").iter(), Ordering::Greater);
        // FtM words the role differently per schema; the first present is kept verbatim.
        let role = ["role", "relationship", "ownershipType"]
            .iter()
            .find_map(|p| record.values(p).first().map(|v| v.to_string()));
        let (froms, tos) = (record.values(from_prop), record.values(to_prop));
        if froms.is_empty() || tos.is_empty() {
            self.warn(
                record,
                format!(
                    "{} {} lacks its {}; not kept",
                    record.schema,
                    record.id,
                    if froms.is_empty() { from_prop } else { to_prop }
                ),
            );
            return;
        }
        for from in froms {
            for to in tos {
                let (a, b) = (self.party(from), self.party(to));
                let mut kept = false;
                if let Some(at) = a.entity {
                    push_link(
                        &mut self.entities[at],
                        Link {
                            relation: relation.clone(),
                            target_id: Some(b.id.clone()),
                            target_name: b.name.clone(),
                            percentage,
                            start_date: start_date.clone(),
                            end_date: end_date.clone(),
                            role: role.clone(),
                        },
                    );
                    kept = true;
                }
                if let (Some(reverse), Some(at)) = (&reverse, b.entity) {
                    push_link(
                        &mut self.entities[at],
                        Link {
                            relation: reverse.clone(),
                            target_id: Some(a.id.clone()),
                            target_name: a.name.clone(),
                            percentage,
                            start_date: start_date.clone(),
                            end_date: end_date.clone(),
                            role: role.clone(),
                        },
                    );
                    kept = true;
                }
                for (party, prop, value) in [(&a, from_prop, from), (&b, to_prop, to)] {
                    if !party.loaded {
                        self.warn(
                            record,
                            format!(
                                "{} {}: {prop} {value} is not in the loaded files{}",
                                record.schema,
                                record.id,
                                if kept {
                                    "; link kept without its name"
                                } else {
                                    ""
                                }
                            ),
                        );
                    }
                }
                if !kept {
                    self.warn(
                        record,
                        format!(
                            "{} {} ({from} → {to}): no screened party to attach it to; not kept",
                            record.schema, record.id
                        ),
                    );
                }
            }
        }
    }

    /// The share an ownership states, never invented: absent stays `None`.
    fn percentage(&mut self, record: &Record) -> Option<f64> {
        let values = record.values("percentage");
        let first = values.first()?;
        let parsed = parse_percentage(first);
        if parsed.is_none() {
            self.warn(
                record,
                format!(
                    "Ownership {}: percentage {first:?} not understood; link kept without it",
                    record.id
                ),
            );
        }
        if values.len() > 1 {
            self.warn(
                record,
                format!(
                    "Ownership {}: several percentages {values:?}; the first is kept",
                    record.id
                ),
            );
        }
        parsed
    }

    /// A passport, identification or crypto wallet: an identifier of its holder.
    fn identification(&mut self, record: &Record, number_prop: &str, kind: IdKind) {
        let numbers = record.values(number_prop);
        if numbers.is_empty() {
            self.warn(
                record,
                format!(
                    "{} {} has no {number_prop}; nothing to add to its holder",
                    record.schema, record.id
                ),
            );
            return;
        }
        let country = record.first("country").map(|c| self.country(record, c));
        let note = record
            .first("type")
            .or_else(|| record.first("currency"))
            .unwrap_or(&record.schema)
            .to_string();
        for holder in record.values("holder") {
            let party = self.party(holder);
            let Some(at) = party.entity else {
                self.warn(
                    record,
                    format!(
                        "{} {}: holder {holder} is not a loaded party; not kept",
                        record.schema, record.id
                    ),
                );
                continue;
            };
            for number in numbers {
                add_identifier(
                    &mut self.entities[at],
                    Identifier {
                        kind: kind.clone(),
                        value: number.clone(),
                        country: country.clone(),
                        note: Some(note.clone()),
                    },
                );
            }
        }
    }
}

/// Adds a name unless the text is already there: names are read strongest first, so
/// the first kind seen is the one kept (FtM often repeats a `name` under `alias`).
fn add_name_once(entity: &mut Entity, name: Name) {
    if !entity.names.iter().any(|n| n.text == name.text) {
        entity.add_name(name);
    }
}

fn add_identifier(entity: &mut Entity, identifier: Identifier) {
    let value = identifier.normalized_value();
    if !value.is_empty()
        && !entity
            .identifiers
            .iter()
            .any(|i| i.kind == identifier.kind && i.normalized_value() == value)
    {
        entity.identifiers.push(identifier);
    }
}

/// Adds an address unless the same text (ignoring case and spacing) is there.
fn add_address(entity: &mut Entity, address: Address) {
    fn key(text: &str) -> String {
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    }
    let new = key(&address.full);
    if !new.is_empty() && !entity.addresses.iter().any(|a| key(&a.full) == new) {
        entity.addresses.push(address);
    }
}

fn push_link(entity: &mut Entity, link: Link) {
    if !entity.links.contains(&link) {
        entity.links.push(link);
    }
}
