//! The UN Security Council Consolidated List (`consolidated.xml`).
//!
//! # Format
//!
//! One XML document, root `CONSOLIDATED_LIST` (attribute `dateGenerated`, an
//! ISO timestamp), holding `INDIVIDUALS/INDIVIDUAL` and `ENTITIES/ENTITY` records.
//! A record is a flat list of child elements:
//!
//! * `DATAID` — the stable numeric id (entity id `un-sc:<DATAID>`);
//! * `FIRST_NAME` … `FOURTH_NAME` — the name in parts (entities use `FIRST_NAME`
//!   only), `NAME_ORIGINAL_SCRIPT` — the name in Arabic, Cyrillic, Hangul, …;
//! * `INDIVIDUAL_ALIAS` / `ENTITY_ALIAS` — `QUALITY` (`Good`/`Low` for people,
//!   `a.k.a.`/`f.k.a.` for entities) and `ALIAS_NAME`; people's aliases sometimes
//!   carry their own `DATE_OF_BIRTH`, `CITY_OF_BIRTH`, `COUNTRY_OF_BIRTH` and `NOTE`;
//! * `INDIVIDUAL_DATE_OF_BIRTH` — `TYPE_OF_DATE` `EXACT` (`DATE` or `YEAR`),
//!   `APPROXIMATELY` (`YEAR`), `BETWEEN` (`FROM_YEAR`/`TO_YEAR`), any of them with
//!   a free-text `NOTE` that sometimes *is* the date (`Nov. 1973`);
//! * `INDIVIDUAL_PLACE_OF_BIRTH`, `INDIVIDUAL_ADDRESS`, `ENTITY_ADDRESS` — `STREET`,
//!   `CITY`, `STATE_PROVINCE`, `ZIP_CODE`, `COUNTRY`, `NOTE`;
//! * `INDIVIDUAL_DOCUMENT` — `TYPE_OF_DOCUMENT`, an optional finer `TYPE_OF_DOCUMENT2`,
//!   `NUMBER`, `ISSUING_COUNTRY` / `COUNTRY_OF_ISSUE`, `DATE_OF_ISSUE`,
//!   `CITY_OF_ISSUE`, `NOTE`;
//! * `NATIONALITY`, `DESIGNATION`, `TITLE`, `LIST_TYPE`, `LAST_DAY_UPDATED` — lists of
//!   `VALUE` elements; `UN_LIST_TYPE` (the sanctions regime), `REFERENCE_NUMBER`,
//!   `LISTED_ON`, `GENDER`, `COMMENTS1` (the remarks).
//!
//! Countries are English names (`Iran (Islamic Republic of)`), never codes. Empty
//! placeholder elements (`<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>`)
//! are common and mean "nothing", not "something unreadable".
//!
//! The file is typed in by hand and it shows: several aliases in one `ALIAS_NAME`
//! separated by `;`, an original-script form in parentheses after a Latin one,
//! passport numbers written as prose (`CAR diplomatic passport no. D00000898`),
//! a birth month in the date's `NOTE`. The parser untangles those forms where the
//! data has them and keeps the list's own text next to what it derived.
//!
//! # Reading
//!
//! The file is read with quick-xml's streaming [`Reader`]; each record is collected
//! into a small element tree (`Node`) when its end tag arrives and interpreted
//! at once, so memory holds one record's tree plus the entities. Structural damage
//! (bad syntax, mismatched or missing end tags, a file cut short) is a
//! [`SourceError::Malformed`] with the line; a well-formed file that is not the UN
//! list, or holds no records, is [`SourceError::Invalid`].

use std::collections::HashSet;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use redline_model::countries;
use redline_model::{
    push_unique, Address, DateValue, Entity, IdKind, Identifier, Name, NameKind, PartialDate,
    Schema, SourceId,
};

use crate::{decode_utf8, line_at, InputFile, ParseReport, ParsedList, SourceError};

const ROOT: &str = "CONSOLIDATED_LIST";

/// Parses one UN consolidated list XML file.
pub fn parse(file: InputFile<'_>) -> Result<ParsedList, SourceError> {
    let text = decode_utf8(&file)?;
    // A byte-order mark is legal before the XML declaration but is not markup.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = ListReader::new(file.name, text);
    parser.run()?;

    let ListReader {
        published,
        root_seen,
        entities,
        report,
        ..
    } = parser;
    if !root_seen {
        return Err(SourceError::invalid(
            file.name,
            format!("no <{ROOT}> root element: this is not the UN consolidated list"),
        ));
    }
    if report.records == 0 {
        return Err(SourceError::invalid(
            file.name,
            "the list holds no INDIVIDUAL or ENTITY records",
        ));
    }
    Ok(ParsedList::new(SourceId::UnSc, published, entities, report))
}

/// One element of a record: its name, its own text, its child elements.
#[derive(Debug, Default)]
struct Node {
    name: String,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn named(name: String) -> Self {
        Node {
            name,
            ..Node::default()
        }
    }

    fn all<'n>(&'n self, name: &'n str) -> impl Iterator<Item = &'n Node> + 'n {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The element's text with whitespace runs collapsed, `None` if blank.
    fn value(&self) -> Option<String> {
        clean(&self.text)
    }

    /// The collapsed text of the first non-blank child `name`.
    fn text_of(&self, name: &str) -> Option<String> {
        self.all(name).find_map(Node::value)
    }

    /// The non-blank `VALUE` children (`NATIONALITY`, `DESIGNATION`, …).
    fn values(&self) -> impl Iterator<Item = String> + '_ {
        self.all("VALUE").filter_map(Node::value)
    }

    fn is_blank(&self) -> bool {
        self.text.trim().is_empty() && self.children.iter().all(Node::is_blank)
    }

    /// The element's content on one line, for keeping what could not be interpreted.
    fn flat_text(&self) -> String {
        let mut parts: Vec<String> = self.value().into_iter().collect();
        for child in self.children.iter().filter(|c| !c.is_blank()) {
            let inner = child.flat_text();
            if child.name == "VALUE" {
                parts.push(inner);
            } else {
                parts.push(format!("{}: {inner}", child.name));
            }
        }
        parts.join("; ")
    }
}

/// Collapses whitespace runs (the file wraps long values with newlines and
/// indentation) and returns `None` for blank text.
fn clean(s: &str) -> Option<String> {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// The streaming reader's state.
struct ListReader<'a> {
    file: &'a str,
    text: &'a str,
    /// Names of the open elements and the byte offset of each start tag.
    open: Vec<(String, u64)>,
    /// The record subtree under construction; empty outside records.
    building: Vec<Node>,
    root_seen: bool,
    root_closed: bool,
    published: Option<String>,
    entities: Vec<Entity>,
    /// Entity ids read so far.
    ids: HashSet<String>,
    report: ParseReport,
}

impl<'a> ListReader<'a> {
    fn new(file: &'a str, text: &'a str) -> Self {
        ListReader {
            file,
            text,
            open: Vec::new(),
            building: Vec::new(),
            root_seen: false,
            root_closed: false,
            published: None,
            entities: Vec::new(),
            ids: HashSet::new(),
            report: ParseReport::default(),
        }
    }

    fn run(&mut self) -> Result<(), SourceError> {
        let mut reader = Reader::from_str(self.text);
        // Both are quick-xml defaults; set explicitly because the truncation and
        // damage checks below rely on them: `</B>` closing `<A>` is an error, and so
        // is an end tag without a start tag.
        reader.config_mut().check_end_names = true;
        reader.config_mut().allow_unmatched_ends = false;
        loop {
            let at = reader.buffer_position();
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    return Err(self.malformed(reader.error_position(), &e.to_string()));
                }
            };
            match event {
                Event::Start(e) => self.start(&e, at)?,
                Event::Empty(e) => {
                    self.start(&e, at)?;
                    self.end(at)?;
                }
                Event::End(_) => self.end(at)?,
                Event::Text(t) => {
                    let text = t
                        .unescape()
                        .map_err(|e| self.malformed(at, &e.to_string()))?;
                    self.text(&text);
                }
                Event::CData(c) => {
                    let text = c.decode().map_err(|e| self.malformed(at, &e.to_string()))?;
                    self.text(&text);
                }
                Event::Eof => break,
                // Declaration, comments, processing instructions, DOCTYPE: no data.
                _ => {}
            }
        }
        crate::refuse_unclosed(self.file, self.text, &self.open)
    }

    fn start(&mut self, e: &BytesStart<'_>, at: u64) -> Result<(), SourceError> {
        let name = std::str::from_utf8(e.name().as_ref())
            .map_err(|err| self.malformed(at, &err.to_string()))?
            .to_string();
        match self.open.len() {
            0 => {
                if self.root_closed {
                    return Err(self.malformed(at, "a second root element after the list"));
                }
                if name != ROOT {
                    return Err(SourceError::invalid(
                        self.file,
                        format!(
                            "root element is <{name}>, expected <{ROOT}>: \
                             this is not the UN consolidated list"
                        ),
                    ));
                }
                self.root_seen = true;
                self.read_published(e, at)?;
            }
            1 => {}
            _ => self.building.push(Node::named(name.clone())),
        }
        self.open.push((name, at));
        Ok(())
    }

    fn end(&mut self, at: u64) -> Result<(), SourceError> {
        // quick-xml has already checked that the end tag matches the open element.
        let Some((name, _)) = self.open.pop() else {
            return Err(self.malformed(at, "end tag without a start tag"));
        };
        match self.open.len() {
            0 => self.root_closed = true,
            1 => {}
            _ => {
                let Some(node) = self.building.pop() else {
                    return Err(self.malformed(at, &format!("</{name}> outside any record")));
                };
                match self.building.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => self.finish_top(node),
                }
            }
        }
        Ok(())
    }

    fn text(&mut self, text: &str) {
        match self.building.last_mut() {
            Some(node) => node.text.push_str(text),
            None if !text.trim().is_empty() => {
                let path = self.path();
                self.report
                    .warn(path, format!("text outside any record ignored: {text:?}"));
            }
            None => {}
        }
    }

    /// A child of `INDIVIDUALS` / `ENTITIES` (or of an unexpected container) is complete.
    fn finish_top(&mut self, node: Node) {
        let container = self.open.last().map(|(n, _)| n.as_str()).unwrap_or("");
        let schema = match (container, node.name.as_str()) {
            ("INDIVIDUALS", "INDIVIDUAL") => Some(Schema::Person),
            ("ENTITIES", "ENTITY") => Some(Schema::Organization),
            _ => None,
        };
        match schema {
            Some(schema) => {
                self.report.records += 1;
                let container = container.to_string();
                let Some(entity) = read_record(&node, schema, &container, &mut self.report) else {
                    return;
                };
                if self.ids.insert(entity.id.clone()) {
                    self.entities.push(entity);
                } else {
                    // Two entities with one id would collide wherever ids are keys.
                    let dataid = node.text_of("DATAID").unwrap_or_default();
                    let location = format!("{container}/{}[DATAID={dataid}]", node.name);
                    self.report.warn(
                        location,
                        format!(
                            "duplicate DATAID: second record ({}) skipped, the first kept",
                            entity.caption()
                        ),
                    );
                }
            }
            None if node.is_blank() => {}
            None => {
                let location = format!("{container}/{}", node.name);
                self.report.warn(
                    location,
                    format!(
                        "unexpected element ignored (not an INDIVIDUAL or ENTITY record): {}",
                        node.flat_text()
                    ),
                );
            }
        }
    }

    fn read_published(&mut self, e: &BytesStart<'_>, at: u64) -> Result<(), SourceError> {
        let attr = e
            .try_get_attribute("dateGenerated")
            .map_err(|err| self.malformed(at, &err.to_string()))?;
        let Some(attr) = attr else {
            self.report.warn(
                format!("{ROOT}/@dateGenerated"),
                "no dateGenerated attribute: publication date unknown",
            );
            return Ok(());
        };
        let value = attr
            .unescape_value()
            .map_err(|err| self.malformed(at, &err.to_string()))?;
        match iso_date(&value) {
            Some(date) => self.published = Some(date.to_string()),
            None => self.report.warn(
                format!("{ROOT}/@dateGenerated"),
                format!("publication date not understood: {value:?}"),
            ),
        }
        Ok(())
    }

    fn path(&self) -> String {
        self.open
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join("/")
    }

    fn malformed(&self, offset: u64, message: &str) -> SourceError {
        SourceError::at(
            self.file,
            line_at(self.text, offset),
            format!("malformed XML: {message}"),
        )
    }
}

/// Interprets one `INDIVIDUAL` or `ENTITY`.
fn read_record(
    node: &Node,
    schema: Schema,
    container: &str,
    report: &mut ParseReport,
) -> Option<Entity> {
    let Some(dataid) = node.text_of("DATAID") else {
        // Without DATAID there is no stable id to give the entity; an id made up
        // here would change between list versions and break every stored decision.
        let location = format!("{container}/{}", node.name);
        let what = node
            .text_of("REFERENCE_NUMBER")
            .or_else(|| node.text_of("FIRST_NAME"))
            .unwrap_or_else(|| "(no name)".into());
        report.warn(location, format!("record without DATAID skipped: {what}"));
        return None;
    };
    let path = format!("{container}/{}[DATAID={dataid}]", node.name);
    let mut r = Record {
        entity: Entity::new(SourceId::UnSc, &dataid, schema),
        path,
        report,
    };
    r.read(node);
    if r.entity.names.is_empty() {
        let path = r.path.clone();
        r.report
            .warn(path, "record has no name; kept so that it is not lost");
    }
    Some(r.entity)
}

/// An entity being filled from its record, with the report for warnings.
struct Record<'r> {
    entity: Entity,
    path: String,
    report: &'r mut ParseReport,
}

impl Record<'_> {
    fn warn(&mut self, element: &str, message: impl Into<String>) {
        self.report
            .warn(format!("{}/{element}", self.path), message.into());
    }

    fn read(&mut self, node: &Node) {
        // Elements read once per record; a second one would otherwise be ignored.
        const SINGLE: [&str; 10] = [
            "DATAID",
            "FIRST_NAME",
            "SECOND_NAME",
            "THIRD_NAME",
            "FOURTH_NAME",
            "REFERENCE_NUMBER",
            "LISTED_ON",
            "GENDER",
            "COMMENTS1",
            "VERSIONNUM",
        ];
        self.read_primary_name(node);
        let mut seen: Vec<&str> = Vec::new();
        for child in &node.children {
            let name = child.name.as_str();
            if SINGLE.contains(&name) && !child.is_blank() {
                if seen.contains(&name) {
                    let key = name.to_lowercase();
                    self.entity.add_property(&key, child.flat_text());
                    self.warn(
                        name,
                        format!("repeated element kept verbatim in properties[{key:?}]"),
                    );
                    continue;
                }
                seen.push(name);
            }
            match name {
                // Read above, or used for the id.
                "DATAID" | "FIRST_NAME" | "SECOND_NAME" | "THIRD_NAME" | "FOURTH_NAME" => {}
                // Always empty in the published file: sorting aids for the UN's own site.
                "SORT_KEY" | "SORT_KEY_LAST_MOD" => {}
                "VERSIONNUM" => self.property("version", child.value()),
                "NAME_ORIGINAL_SCRIPT" => {
                    if let Some(name) = child.value() {
                        self.entity
                            .add_name(Name::new(name, NameKind::OriginalScript));
                    }
                }
                "INDIVIDUAL_ALIAS" | "ENTITY_ALIAS" => self.read_alias(child),
                "UN_LIST_TYPE" => {
                    if let Some(program) = child.value() {
                        push_unique(&mut self.entity.programs, program);
                    }
                }
                "REFERENCE_NUMBER" => self.property("reference_number", child.value()),
                "LISTED_ON" => self.read_listed_on(child),
                "GENDER" => {
                    if let Some(gender) = child.value() {
                        self.entity.gender = Some(gender.to_lowercase());
                    }
                }
                "COMMENTS1" => {
                    // Verbatim apart from the surrounding whitespace of the XML layout.
                    let remarks = child.text.trim();
                    if !remarks.is_empty() {
                        self.entity.remarks = Some(remarks.to_string());
                    }
                }
                "NATIONALITY" => self.read_nationality(child),
                "DESIGNATION" => self.values("position", child),
                "TITLE" => self.values("title", child),
                "LIST_TYPE" => self.values("list_type", child),
                "LAST_DAY_UPDATED" => self.values("last_updated", child),
                "SUBMITTED_BY" => self.values("submitted_by", child),
                "INDIVIDUAL_ADDRESS" | "ENTITY_ADDRESS" => self.read_address(child),
                "INDIVIDUAL_DATE_OF_BIRTH" => self.read_birth_date(child),
                "INDIVIDUAL_PLACE_OF_BIRTH" => self.read_birth_place(child),
                "INDIVIDUAL_DOCUMENT" => self.read_document(child),
                _ => self.keep_unknown(child),
            }
        }
    }

    fn property(&mut self, key: &str, value: Option<String>) {
        if let Some(value) = value {
            self.entity.add_property(key, value);
        }
    }

    /// A `<X><VALUE>…</VALUE>…</X>` list kept as a property.
    fn values(&mut self, key: &str, node: &Node) {
        for value in node.values() {
            self.entity.add_property(key, value);
        }
        self.check_children(node, &["VALUE"]);
    }

    /// An element this parser does not know: kept as a property and reported, so that
    /// a change of the format shows up instead of silently losing data.
    fn keep_unknown(&mut self, node: &Node) {
        if node.is_blank() {
            return;
        }
        let key = node.name.to_lowercase();
        let text = node.flat_text();
        self.entity.add_property(&key, text);
        self.warn(
            &node.name,
            format!("unknown element kept verbatim in properties[{key:?}]"),
        );
    }

    /// Reports children of `node` outside `known`, and repeats of a known child
    /// other than `VALUE` (only the first is read), keeping their text.
    fn check_children(&mut self, node: &Node, known: &[&str]) {
        let mut seen: Vec<&str> = Vec::new();
        for child in node.children.iter().filter(|c| !c.is_blank()) {
            let name = child.name.as_str();
            let is_known = known.contains(&name);
            if is_known && (name == "VALUE" || !seen.contains(&name)) {
                seen.push(name);
                continue;
            }
            let element = format!("{}/{name}", node.name);
            let key = format!("{}_{name}", node.name).to_lowercase();
            self.entity.add_property(&key, child.flat_text());
            let what = if is_known { "repeated" } else { "unknown" };
            self.warn(
                &element,
                format!("{what} element kept verbatim in properties[{key:?}]"),
            );
        }
    }

    fn read_primary_name(&mut self, node: &Node) {
        let parts: Vec<String> = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
            .iter()
            .filter_map(|part| node.text_of(part))
            // A lower-case "na" stands for "not available" (FOURTH_NAME of one Taliban
            // listing); the Korean surname Na is written in capitals like all names.
            .filter(|part| !matches!(part.as_str(), "na" | "n/a"))
            .collect();
        if parts.is_empty() {
            self.warn("FIRST_NAME", "no primary name");
            return;
        }
        // One entity is listed under two names in one FIRST_NAME
        // ("COMPAGNIE AERIENNE DES GRANDS LACS (CAGL) ; GREAT LAKES BUSINESS COMPANY
        // (GLBC)"): both are its names, the first is the caption.
        for name in split_top_level(&parts.join(" "), ';') {
            let name = trim_name(&name);
            if !name.is_empty() {
                self.entity.add_name(Name::new(name, NameKind::Primary));
            }
        }
    }

    fn read_alias(&mut self, node: &Node) {
        self.check_children(
            node,
            &[
                "QUALITY",
                "ALIAS_NAME",
                "NOTE",
                "DATE_OF_BIRTH",
                "CITY_OF_BIRTH",
                "COUNTRY_OF_BIRTH",
            ],
        );
        let element = node.name.clone();
        let quality = node.text_of("QUALITY");
        let Some(text) = node.text_of("ALIAS_NAME") else {
            if let Some(quality) = quality {
                self.warn(
                    &element,
                    format!("alias of quality {quality:?} has no name"),
                );
            }
            return;
        };
        let kind = match quality.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("good" | "a.k.a." | "n.k.a.") => NameKind::StrongAlias,
            // The list marks uncertain transliterations and nicknames "Low".
            Some("low") => NameKind::WeakAlias,
            Some("f.k.a.") => NameKind::FormerName,
            other => {
                let quality = other.map_or("no quality".into(), |q| format!("quality {q:?}"));
                self.warn(
                    &element,
                    format!("alias {text:?} has {quality}; read as a strong alias"),
                );
                NameKind::StrongAlias
            }
        };
        let split = split_alias(&text);
        for name in &split.names {
            let mut name = Name::new(name.clone(), kind);
            if let Some(quality) = &quality {
                name = name.with_note(quality.clone());
            }
            self.entity.add_name(name);
        }
        for annotation in split.annotations {
            self.entity
                .add_property("alias_note", format!("{text}: {annotation}"));
        }
        if split.names.is_empty() {
            self.warn(&element, format!("alias text holds no name: {text:?}"));
            self.entity.add_property("alias_note", text.clone());
        }
        if let Some(note) = node.text_of("NOTE") {
            self.entity
                .add_property("alias_note", format!("{text}: {note}"));
        }
        // Some aliases are whole alternative identities with their own birth data;
        // they are facts about the person whichever name they were used under.
        if let Some(date) = node.text_of("DATE_OF_BIRTH") {
            match parse_free_date(&date) {
                Some(value) => self.add_birth_date(value),
                None => {
                    self.warn(
                        &format!("{element}/DATE_OF_BIRTH"),
                        format!("birth date of alias {text:?} not understood: {date:?}"),
                    );
                    self.entity
                        .add_property("birth_date_text", format!("{date} (as {text})"));
                }
            }
        }
        let place = join_place(&[
            node.text_of("CITY_OF_BIRTH"),
            node.text_of("COUNTRY_OF_BIRTH"),
        ]);
        if let Some(place) = place {
            push_unique(&mut self.entity.birth_places, place);
        }
    }

    fn read_listed_on(&mut self, node: &Node) {
        let Some(text) = node.value() else { return };
        // Some values carry a time-zone suffix: `2015-04-07-04:00`.
        match iso_date(&text) {
            Some(date) => self.entity.listed_on = Some(date.to_string()),
            None => {
                self.warn(
                    "LISTED_ON",
                    format!("listing date not understood: {text:?}"),
                );
                self.entity.add_property("listed_on_text", text);
            }
        }
    }

    fn read_nationality(&mut self, node: &Node) {
        self.check_children(node, &["VALUE"]);
        for value in node.values() {
            match country_code(&value) {
                Some(code) => {
                    // An entity's "nationality" is where it is registered or operates.
                    let list = match self.entity.schema {
                        Schema::Person => &mut self.entity.nationalities,
                        _ => &mut self.entity.countries,
                    };
                    push_unique(list, code);
                }
                None => {
                    self.warn(
                        "NATIONALITY/VALUE",
                        format!("nationality not recognised as a country: {value:?}"),
                    );
                    self.entity.add_property("nationality_text", value);
                }
            }
        }
    }

    fn read_address(&mut self, node: &Node) {
        let known = [
            "STREET",
            "CITY",
            "STATE_PROVINCE",
            "ZIP_CODE",
            "COUNTRY",
            "NOTE",
        ];
        self.check_children(node, &known);
        let street = node.text_of("STREET");
        let city = node.text_of("CITY");
        let region = node.text_of("STATE_PROVINCE");
        let postal_code = node.text_of("ZIP_CODE");
        let country_name = node.text_of("COUNTRY");
        let note = node.text_of("NOTE");
        let parts = [
            street.clone(),
            city.clone(),
            region.clone(),
            postal_code.clone(),
            country_name.clone(),
        ];
        // The note qualifies the address ("as of June 2016", "previous address") or,
        // when it is alone, is the address ("Branch Office 8: Chaman, …").
        let Some(full) = with_note(join_place(&parts), note) else {
            return;
        };
        let country = match &country_name {
            Some(name) => {
                let code = country_code(name);
                if code.is_none() {
                    self.warn(
                        &format!("{}/COUNTRY", node.name),
                        format!("address country not recognised: {name:?}"),
                    );
                }
                code
            }
            None => None,
        };
        let address = Address {
            full,
            street,
            city,
            region,
            postal_code,
            country,
        };
        if !self.entity.addresses.contains(&address) {
            self.entity.addresses.push(address);
        }
    }

    fn read_birth_place(&mut self, node: &Node) {
        let known = ["STREET", "CITY", "STATE_PROVINCE", "COUNTRY", "NOTE"];
        self.check_children(node, &known);
        let parts = [
            node.text_of("STREET"),
            node.text_of("CITY"),
            node.text_of("STATE_PROVINCE"),
            node.text_of("COUNTRY"),
        ];
        if let Some(place) = with_note(join_place(&parts), node.text_of("NOTE")) {
            push_unique(&mut self.entity.birth_places, place);
        }
    }

    fn add_birth_date(&mut self, value: DateValue) {
        let same =
            |d: &DateValue| d.date == value.date && d.end == value.end && d.circa == value.circa;
        if !self.entity.birth_dates.iter().any(same) {
            self.entity.birth_dates.push(value);
        }
    }

    fn read_birth_date(&mut self, node: &Node) {
        const ELEMENT: &str = "INDIVIDUAL_DATE_OF_BIRTH";
        let known = [
            "TYPE_OF_DATE",
            "DATE",
            "YEAR",
            "FROM_YEAR",
            "TO_YEAR",
            "NOTE",
        ];
        self.check_children(node, &known);
        let stated = StatedDate {
            kind: node.text_of("TYPE_OF_DATE").map(|k| k.to_ascii_uppercase()),
            date: node.text_of("DATE"),
            year: node.text_of("YEAR"),
            from: node.text_of("FROM_YEAR"),
            to: node.text_of("TO_YEAR"),
            note: node.text_of("NOTE"),
        };
        if let Some(kind) = &stated.kind {
            if !["EXACT", "APPROXIMATELY", "BETWEEN"].contains(&kind.as_str()) {
                self.warn(
                    &format!("{ELEMENT}/TYPE_OF_DATE"),
                    format!("unknown TYPE_OF_DATE {kind:?}; the date is read from its parts"),
                );
            }
        }
        match stated.interpret() {
            Interpreted::Nothing => {}
            Interpreted::Date { value, warning } => {
                if let Some(warning) = warning {
                    self.warn(ELEMENT, warning);
                }
                self.add_birth_date(value);
            }
            Interpreted::Unreadable(raw) => {
                self.warn(
                    ELEMENT,
                    format!("birth date not understood, kept in properties: {raw:?}"),
                );
                self.entity.add_property("birth_date_text", raw);
            }
        }
    }

    fn read_document(&mut self, node: &Node) {
        const ELEMENT: &str = "INDIVIDUAL_DOCUMENT";
        let known = [
            "TYPE_OF_DOCUMENT",
            "TYPE_OF_DOCUMENT2",
            "NUMBER",
            "ISSUING_COUNTRY",
            "COUNTRY_OF_ISSUE",
            "DATE_OF_ISSUE",
            "CITY_OF_ISSUE",
            "NOTE",
        ];
        self.check_children(node, &known);
        if node.is_blank() {
            return;
        }
        let type1 = node.text_of("TYPE_OF_DOCUMENT");
        let type2 = node.text_of("TYPE_OF_DOCUMENT2");
        let number = node.text_of("NUMBER");
        let note = node.text_of("NOTE");
        let issued_on = node.text_of("DATE_OF_ISSUE");
        let city_of_issue = node.text_of("CITY_OF_ISSUE");
        let country_of_issue = node.text_of("COUNTRY_OF_ISSUE");
        let issuing_country = node.text_of("ISSUING_COUNTRY");

        // The number is in NUMBER, often wrapped in prose; without NUMBER the list
        // sometimes puts it in the finer type ("… (tazkira) number 545167") or the note.
        let value = match &number {
            Some(n) => Some(extract_number(n).unwrap_or_else(|| n.clone())),
            None => type2
                .as_deref()
                .and_then(extract_number)
                .or_else(|| note.as_deref().and_then(extract_number)),
        };

        let mut kind = document_kind(type1.as_deref(), type2.as_deref());
        // Italian fiscal codes are filed under the generic "National Identification
        // Number" with the real kind in the number's prose or the note.
        let says_tax = [&number, &note].into_iter().flatten().any(|t| {
            let t = t.to_lowercase();
            t.contains("fiscal") || t.contains("tax")
        });
        if kind == IdKind::NationalId && says_tax {
            kind = IdKind::TaxId;
        }

        let mut notes: Vec<String> = Vec::new();
        if let Some(t2) = &type2 {
            if type1.as_deref() != Some(t2.as_str()) {
                notes.push(t2.clone());
            }
        }
        if let (Some(n), Some(v)) = (&number, &value) {
            if n != v {
                notes.push(format!("number as listed: {n}"));
            }
        }
        let place = join_place(&[city_of_issue, country_of_issue.clone()]);
        match (&issued_on, place) {
            (Some(date), Some(place)) => notes.push(format!("issued {date} in {place}")),
            (Some(date), None) => notes.push(format!("issued {date}")),
            (None, Some(place)) => notes.push(format!("issued in {place}")),
            (None, None) => {}
        }
        notes.extend(note.clone());

        let Some(value) = value else {
            let label = type1.or(type2).unwrap_or_else(|| "document".into());
            let text = std::iter::once(label)
                .chain(notes)
                .collect::<Vec<_>>()
                .join("; ");
            self.warn(
                ELEMENT,
                format!("document without a number, kept in properties: {text:?}"),
            );
            self.entity.add_property("document_text", text);
            return;
        };

        let country = match issuing_country.or(country_of_issue) {
            Some(name) => {
                let code = country_code(&name);
                if code.is_none() {
                    self.warn(ELEMENT, format!("issuing country not recognised: {name:?}"));
                }
                code
            }
            None => None,
        };
        let identifier = Identifier {
            kind,
            value,
            country,
            note: (!notes.is_empty()).then(|| notes.join("; ")),
        };
        // The list repeats a document under a French and a Spanish type name.
        let normalized = identifier.normalized_value();
        let duplicate = self.entity.identifiers.iter().any(|i| {
            i.kind == identifier.kind
                && i.country == identifier.country
                && i.normalized_value() == normalized
        });
        if !duplicate {
            self.entity.identifiers.push(identifier);
        }
    }
}

/// `parts` that are present, joined with ", ", repeated neighbours once
/// (`al-Awja, near Tikrit` is both STREET and CITY in one record).
fn join_place(parts: &[Option<String>]) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for part in parts.iter().flatten() {
        if out.last() != Some(&part.as_str()) {
            out.push(part);
        }
    }
    (!out.is_empty()).then(|| out.join(", "))
}

fn with_note(place: Option<String>, note: Option<String>) -> Option<String> {
    match (place, note) {
        (Some(place), Some(note)) if note.starts_with('(') && note.ends_with(')') => {
            Some(format!("{place} {note}"))
        }
        (Some(place), Some(note)) => Some(format!("{place} ({note})")),
        (place, note) => place.or(note),
    }
}

/// A country name from the list as an ISO 3166-1 alpha-2 code.
fn country_code(name: &str) -> Option<String> {
    let key = name.trim().to_ascii_lowercase();
    // "na" is "not available" here, not Namibia.
    if matches!(
        key.as_str(),
        "na" | "n/a" | "n.a." | "unknown" | "none" | "stateless"
    ) {
        return None;
    }
    // The territory table also knows historic states by their ISO 3166-3 codes
    // ("former Soviet Union" → `suhh`); the model's country fields are alpha-2 only.
    countries::to_code(name).filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_lowercase()))
}

/// An ISO date, possibly with a time (`T…`) or a time-zone suffix (`2015-04-07-04:00`).
fn iso_date(text: &str) -> Option<PartialDate> {
    let text = text.trim();
    PartialDate::parse_iso(text).or_else(|| {
        let head = text.get(..10)?;
        let date = PartialDate::parse_iso(head)?;
        date.day.is_some().then_some(date)
    })
}

/// A date written in words (`Nov. 1973`, `Between Aug. and Sep. 1977`).
fn parse_free_date(text: &str) -> Option<DateValue> {
    let lower = text.to_lowercase();
    // A date in another calendar must not be read as a Gregorian one
    // (`24/06/1402 (Hijri Calendar)` would otherwise be the year 1402).
    if lower.contains("hijri") || lower.contains("calendar") {
        return None;
    }
    if let Some(value) = iso_date(text).map(|d| DateValue::exact(d, text)) {
        return Some(value);
    }
    DateValue::parse(text).or_else(|| parse_between(text))
}

/// `Between Aug. and Sep. 1977`: a range whose first bound may borrow the year of
/// the second.
fn parse_between(text: &str) -> Option<DateValue> {
    let lower = text.to_lowercase();
    let rest = lower.strip_prefix("between ")?;
    let split = rest.find(" and ")?;
    let offset = text.len() - rest.len();
    let left = text.get(offset..offset + split)?.trim();
    let right = text.get(offset + split + " and ".len()..)?.trim();
    let end = DateValue::parse(right)?;
    let start = DateValue::parse(left)
        .or_else(|| DateValue::parse(&format!("{left} {}", end.date.year)))?;
    Some(DateValue {
        date: start.date,
        end: Some(end.end.unwrap_or(end.date)),
        circa: false,
        raw: text.trim().to_string(),
    })
}

/// The parts of an `INDIVIDUAL_DATE_OF_BIRTH`.
struct StatedDate {
    kind: Option<String>,
    date: Option<String>,
    year: Option<String>,
    from: Option<String>,
    to: Option<String>,
    note: Option<String>,
}

enum Interpreted {
    /// An empty placeholder element.
    Nothing,
    Date {
        value: DateValue,
        warning: Option<String>,
    },
    /// Present but not a date this parser can read; the readable text.
    Unreadable(String),
}

impl StatedDate {
    fn interpret(&self) -> Interpreted {
        let note = self.note.as_deref();
        let note_circa = note.is_some_and(|n| {
            let n = n.trim_end_matches('.').to_lowercase();
            matches!(
                n.as_str(),
                "approximately" | "approx" | "circa" | "about" | "c"
            )
        });
        let circa = self.kind.as_deref() == Some("APPROXIMATELY") || note_circa;
        let mut warning = None;
        // What the element states, in words, and the date read from it.
        let (stated, value, note_in_stated): (String, Option<DateValue>, bool) =
            if let Some(date) = &self.date {
                let value = iso_date(date)
                    .map(|d| DateValue::exact(d, date))
                    .or_else(|| parse_free_date(date));
                (date.clone(), value, false)
            } else if self.from.is_some() || self.to.is_some() {
                let from = self.from.as_deref().and_then(PartialDate::parse_iso);
                let to = self.to.as_deref().and_then(PartialDate::parse_iso);
                let stated = format!(
                    "between {} and {}",
                    self.from.as_deref().unwrap_or("?"),
                    self.to.as_deref().unwrap_or("?")
                );
                let value = match (from, to) {
                    (Some(from), Some(to)) => Some(DateValue {
                        date: from.min(to),
                        end: Some(from.max(to)),
                        circa: false,
                        raw: String::new(),
                    }),
                    (Some(one), None) | (None, Some(one)) => {
                        warning = Some(format!("range with one bound read as {one}: {stated}"));
                        Some(DateValue::exact(one, ""))
                    }
                    (None, None) => None,
                };
                (stated, value, false)
            } else if let Some(year) = &self.year {
                // A NOTE of "Sep." next to YEAR 1958 means September 1958.
                let refined = note
                    .filter(|_| !note_circa)
                    .map(|n| format!("{n} {year}"))
                    .and_then(|t| DateValue::parse(&t).map(|v| (t, v)))
                    .filter(|(_, v)| v.end.is_none() && !v.circa);
                match refined {
                    Some((text, value)) => (text, Some(value), true),
                    None => {
                        let value = PartialDate::parse_iso(year).map(|d| DateValue::exact(d, year));
                        (year.clone(), value, false)
                    }
                }
            } else if let Some(note) = note.filter(|_| !note_circa) {
                (note.to_string(), parse_free_date(note), true)
            } else {
                return Interpreted::Nothing;
            };
        let mut raw = if self.kind.as_deref() == Some("APPROXIMATELY") {
            format!("approximately {stated}")
        } else {
            stated
        };
        if let (Some(note), false) = (note, note_in_stated) {
            raw = format!("{raw} ({note})");
        }
        match value {
            Some(mut value) => {
                value.circa = value.circa || circa;
                value.raw = raw;
                Interpreted::Date { value, warning }
            }
            None => Interpreted::Unreadable(raw),
        }
    }
}

/// The names in one `ALIAS_NAME`, and the remarks that were mixed into it.
#[derive(Debug, Default, PartialEq)]
struct SplitAlias {
    names: Vec<String>,
    annotations: Vec<String>,
}

/// Untangles an `ALIAS_NAME`. The list puts several spellings in one element
/// (`Azim Adhajani; Azim Agha-Jani`), an original-script name with its
/// transliterations (`حسن غول (Hassan Ghul; Hassan Gul)`), an enumeration left over
/// from another format (`… Sabet b) M. Javad …`) and remarks (`(birth name)`,
/// `, born 1 Jan. 1953 …`). Names in parentheses that are ordinary parts of a name
/// (`(HTS)`, `(Butaev)`, `Leader (Hong Kong) International`) stay as they are.
fn split_alias(text: &str) -> SplitAlias {
    let mut out = SplitAlias::default();
    let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(pos) = text.find(", born ") {
        out.annotations.push(text[pos + 2..].to_string());
        text.truncate(pos);
    }
    let mut pieces: Vec<String> = Vec::new();
    let trimmed = trim_name(&text);
    match final_group(trimmed) {
        // `HEAD (A; B; C)`: one name before the parentheses, a list inside.
        Some((head, inner)) if contains_top_level(inner, ';') => {
            pieces.push(head.to_string());
            pieces.extend(split_top_level(inner, ';'));
        }
        _ => pieces.extend(split_top_level(trimmed, ';')),
    }
    for piece in pieces.iter().flat_map(|p| split_enumeration(p)) {
        let piece = trim_name(&piece);
        match final_group(piece) {
            Some((head, inner)) => {
                let inner = inner.trim();
                let lower = inner.to_lowercase();
                if let Some(original) = lower
                    .strip_prefix("original script")
                    .map(|rest| &inner[inner.len() - rest.len()..])
                {
                    // `X (original script)` or `X (original script: Y)`.
                    out.push_name(head);
                    out.push_name(original.trim_start_matches([':', ' ']));
                } else if different_scripts(head, inner) {
                    out.push_name(head);
                    out.push_name(inner);
                } else if inner.chars().next().is_some_and(char::is_lowercase) {
                    // `(birth name)`, `(previously listed as)`: a remark, not a name.
                    out.push_name(head);
                    out.annotations.push(inner.to_string());
                } else {
                    out.push_name(piece);
                }
            }
            None => out.push_name(piece),
        }
    }
    out
}

impl SplitAlias {
    fn push_name(&mut self, name: &str) {
        let mut name = trim_name(name);
        // `Ansar al-Mujahideen Network - sub-unit name`: a lower-case tail after a
        // dash describes the name; names themselves are capitalised.
        if let Some((head, tail)) = name.rsplit_once(" - ") {
            let described =
                tail.chars().any(char::is_lowercase) && !tail.chars().any(char::is_uppercase);
            if described && !head.trim().is_empty() {
                self.annotations.push(tail.trim().to_string());
                name = trim_name(head);
            }
        }
        if !name.is_empty() && !self.names.iter().any(|n| n == name) {
            self.names.push(name.to_string());
        }
    }
}

/// Strips separators, quotes and unbalanced parentheses left at the ends of a name.
fn trim_name(s: &str) -> &str {
    let mut s = s.trim();
    loop {
        let before = s;
        s = s.trim_matches(|c: char| c.is_whitespace() || c == ',' || c == ';');
        if s.starts_with(')') {
            s = &s[1..];
        }
        if s.ends_with('(') {
            s = &s[..s.len() - 1];
        }
        if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
            s = &s[1..s.len() - 1];
        }
        if s == before {
            return s;
        }
    }
}

/// `HEAD (INNER)` where the parenthesised group ends the text: `(head, inner)`.
fn final_group(s: &str) -> Option<(&str, &str)> {
    let body = s.strip_suffix(')')?;
    let mut depth = 0usize;
    for (i, c) in body.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => {
                let head = body[..i].trim();
                return (!head.is_empty()).then_some((head, &body[i + 1..]));
            }
            '(' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn contains_top_level(s: &str, sep: char) -> bool {
    split_top_level(s, sep).len() > 1
}

/// Splits on `sep` outside parentheses.
fn split_top_level(s: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if c == sep && depth == 0 => {
                parts.push(s[start..i].to_string());
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(s[start..].to_string());
    parts
}

/// Splits `A b) B` (a stray list enumeration) into `A` and `B`.
fn split_enumeration(s: &str) -> Vec<String> {
    let bytes = s.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 3 < bytes.len() {
        if bytes[i] == b' '
            && bytes[i + 1].is_ascii_lowercase()
            && bytes[i + 2] == b')'
            && bytes[i + 3] == b' '
        {
            parts.push(s[start..i].to_string());
            start = i + 4;
            i += 4;
        } else {
            i += 1;
        }
    }
    parts.push(s[start..].to_string());
    parts
}

/// One text in Latin letters only and the other in another script only.
fn different_scripts(a: &str, b: &str) -> bool {
    fn scripts(s: &str) -> (bool, bool) {
        let latin = s.chars().any(|c| c.is_alphabetic() && (c as u32) < 0x0250);
        let other = s.chars().any(|c| c.is_alphabetic() && (c as u32) >= 0x0370);
        (latin, other)
    }
    let (a_latin, a_other) = scripts(a);
    let (b_latin, b_other) = scripts(b);
    (a_latin && !a_other && b_other && !b_latin) || (a_other && !a_latin && b_latin && !b_other)
}

/// The document kind from `TYPE_OF_DOCUMENT` and the finer `TYPE_OF_DOCUMENT2`.
/// The finer type decides when it is a real label (`Birth certificate` under the
/// generic `National Identification Number`); `number:` and the like are not.
fn document_kind(type1: Option<&str>, type2: Option<&str>) -> IdKind {
    let classify = |text: &str| classify_document(&text.to_lowercase());
    if let Some(t2) = type2 {
        let label = document_label(t2);
        if !label.is_empty() {
            return classify(t2).unwrap_or(IdKind::Other(label));
        }
    }
    match type1.map(|t1| (t1, document_label(t1))) {
        Some((t1, label)) if !label.is_empty() => classify(t1).unwrap_or(IdKind::Other(label)),
        _ => IdKind::Other("document".into()),
    }
}

/// A type text reduced to its label: lower case, without a number written into it
/// and without trailing `number` / `no.` / `:`.
fn document_label(text: &str) -> String {
    let head = match text.find(|c: char| c.is_ascii_digit()) {
        Some(pos) => &text[..pos],
        None => text,
    };
    let mut words: Vec<String> = head.split_whitespace().map(|w| w.to_lowercase()).collect();
    while let Some(last) = words.last() {
        let bare = last.trim_end_matches([':', '.', ',']);
        if bare.is_empty() || is_number_marker(bare) {
            words.pop();
        } else {
            break;
        }
    }
    words
        .join(" ")
        .trim_end_matches([':', '.', ','])
        .to_string()
}

fn classify_document(label: &str) -> Option<IdKind> {
    let has = |words: &[&str]| words.iter().any(|w| label.contains(w));
    if has(&[
        "passport",
        "passeport",
        "pasaporte",
        "laissez-passer",
        "travel document",
    ]) {
        Some(IdKind::Passport)
    } else if has(&["tax", "fiscal"]) {
        Some(IdKind::TaxId)
    } else if has(&[
        "national identi",
        "identity card",
        "identification card",
        "identity number",
        "identity document",
        "identification number",
        "national id",
        "national number",
        "civil identification",
        "personal identification",
        "tazkira",
        "social security",
        "personalausweis",
    ]) {
        Some(IdKind::NationalId)
    } else {
        None
    }
}

fn is_number_marker(word: &str) -> bool {
    matches!(
        word.trim_end_matches([':', '.']).to_lowercase().as_str(),
        "number" | "no" | "nr" | "num" | "n°" | "#"
    )
}

/// The identifier in a text such as `CAR diplomatic passport no. D00000898`,
/// `Russian passport number 8208 No. 555627`, `R00012098, South Sudan` or
/// `381110042 (Expired 25 Jan. 2016)`: the trailing run of tokens that hold digits,
/// with the one- or two-letter series prefix some numbers have (`OB 0243318`).
/// Identifiers compare on their letters and digits, so prose left around a number
/// would make it unmatchable.
fn extract_number(text: &str) -> Option<String> {
    // Parenthesised remarks are never the number.
    let mut plain = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    // What follows "issued", "expires", "under name" or a comma is about the document.
    let lower = plain.to_lowercase();
    let cut = ["issued", "under name", "expire", "valid until", ","]
        .iter()
        .filter_map(|w| lower.find(w))
        .min()
        .unwrap_or(plain.len());
    let head = plain.get(..cut)?;
    let tokens: Vec<&str> = head
        .split_whitespace()
        .map(|t| t.trim_end_matches([':', ';', '.']))
        .filter(|t| !t.is_empty() && !is_number_marker(t))
        .collect();
    let has_digit = |t: &str| t.chars().any(|c| c.is_ascii_digit());
    let series = |t: &str| {
        let letters = t.trim_end_matches('-');
        (1..=2).contains(&letters.len()) && letters.chars().all(|c| c.is_ascii_uppercase())
    };
    let mut start = tokens.len();
    while start > 0 && has_digit(tokens[start - 1]) {
        start -= 1;
    }
    if start == tokens.len() {
        return None;
    }
    if start > 0 && series(tokens[start - 1]) {
        start -= 1;
    }
    Some(tokens[start..].join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:09.554Z\">\n{body}\n\
             </CONSOLIDATED_LIST>\n"
        )
    }

    fn individual(inner: &str) -> String {
        list(&format!(
            "<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>\
             <FIRST_NAME>JOHN</FIRST_NAME><SECOND_NAME>DOE</SECOND_NAME>\
             {inner}</INDIVIDUAL></INDIVIDUALS><ENTITIES/>"
        ))
    }

    fn run(xml: &str) -> Result<ParsedList, SourceError> {
        parse(InputFile {
            name: "test.xml",
            bytes: xml.as_bytes(),
        })
    }

    fn one(xml: &str) -> (Entity, ParseReport) {
        let parsed = run(xml).expect("parses");
        assert_eq!(parsed.entities.len(), 1, "{:?}", parsed.report);
        let entity = parsed.entities.into_iter().next().expect("one entity");
        (entity, parsed.report)
    }

    fn names_of(e: &Entity) -> Vec<&str> {
        e.names.iter().map(|n| n.text.as_str()).collect()
    }

    fn dob(inner: &str) -> (Vec<DateValue>, ParseReport, Entity) {
        let (e, report) = one(&individual(&format!(
            "<INDIVIDUAL_DATE_OF_BIRTH>{inner}</INDIVIDUAL_DATE_OF_BIRTH>"
        )));
        (e.birth_dates.clone(), report, e)
    }

    #[test]
    fn reads_a_minimal_record() {
        let parsed = run(&individual(
            "<UN_LIST_TYPE>DPRK</UN_LIST_TYPE>\
             <LISTED_ON>2015-04-07-04:00</LISTED_ON><GENDER>Male</GENDER>",
        ))
        .unwrap();
        assert_eq!(parsed.published.as_deref(), Some("2026-02-27"));
        assert_eq!(parsed.report.records, 1);
        let e = &parsed.entities[0];
        assert_eq!(e.id, "un-sc:1");
        assert_eq!(e.schema, Schema::Person);
        assert_eq!(e.caption(), "JOHN DOE");
        assert_eq!(e.programs, ["DPRK"]);
        assert_eq!(e.listed_on.as_deref(), Some("2015-04-07"));
        assert_eq!(e.gender.as_deref(), Some("male"));
        assert!(
            parsed.report.warnings.is_empty(),
            "{:?}",
            parsed.report.warnings
        );
    }

    #[test]
    fn birth_date_forms() {
        let (d, _, _) = dob("<TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1978-04-28</DATE>");
        assert_eq!(d[0].date.to_string(), "1978-04-28");
        assert_eq!(d[0].raw, "1978-04-28");

        let (d, _, _) = dob("<TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1966</YEAR>");
        assert!(d[0].circa);
        assert_eq!(d[0].raw, "approximately 1966");

        let (d, _, _) = dob(
            "<TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1955</FROM_YEAR>\
             <TO_YEAR>1958</TO_YEAR><NOTE>Approximately</NOTE>",
        );
        assert_eq!(d[0].year_span(), (1954, 1959));
        assert_eq!(d[0].end, Some(PartialDate::year(1958)));
        assert!(d[0].circa);
        assert_eq!(d[0].raw, "between 1955 and 1958 (Approximately)");

        // The month is in the note.
        let (d, _, _) = dob("<TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1958</YEAR><NOTE>Sep.</NOTE>");
        assert_eq!(d[0].date.to_string(), "1958-09");
        let (d, _, _) = dob("<TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Nov. 1973 </NOTE>");
        assert_eq!(d[0].date.to_string(), "1973-11");
        let (d, _, _) =
            dob("<TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>Between Aug. and Sep. 1977</NOTE>");
        assert_eq!(d[0].date.to_string(), "1977-08");
        assert_eq!(d[0].end.map(|e| e.to_string()).as_deref(), Some("1977-09"));

        // A remark about an exact date stays with it.
        let (d, _, _) = dob("<TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1979-03-03</DATE>\
             <NOTE>from false passport</NOTE>");
        assert_eq!(d[0].raw, "1979-03-03 (from false passport)");

        // Placeholders are nothing; unreadable text is reported and kept.
        let (d, report, _) = dob("<TYPE_OF_DATE/>");
        assert!(d.is_empty() && report.warnings.is_empty());
        let (d, report, e) =
            dob("<TYPE_OF_DATE>EXACT</TYPE_OF_DATE><NOTE>24/06/1402 (Hijri Calendar)</NOTE>");
        assert!(d.is_empty());
        assert_eq!(
            report.warnings[0].location,
            "INDIVIDUALS/INDIVIDUAL[DATAID=1]/INDIVIDUAL_DATE_OF_BIRTH"
        );
        assert_eq!(
            e.properties["birth_date_text"],
            ["24/06/1402 (Hijri Calendar)"]
        );
        let (_, _, e) =
            dob("<TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><NOTE>30-35 years old</NOTE>");
        assert_eq!(
            e.properties["birth_date_text"],
            ["approximately 30-35 years old"]
        );
    }

    #[test]
    fn aliases_are_split_where_the_list_merges_them() {
        let split = split_alias("Azim Adhajani; Azim Agha-Jani");
        assert_eq!(split.names, ["Azim Adhajani", "Azim Agha-Jani"]);
        let split = split_alias("حسن غول (Hassan Ghul; Hassan Gul; Hasan Gul)");
        assert_eq!(
            split.names,
            ["حسن غول", "Hassan Ghul", "Hassan Gul", "Hasan Gul"]
        );
        let split = split_alias(
            "Hay’at Tahrir al-Sham (HTS) (هيئة تحرير الشام (original script); Hayat Tahrir al-Sham)",
        );
        assert_eq!(
            split.names,
            [
                "Hay’at Tahrir al-Sham (HTS)",
                "هيئة تحرير الشام",
                "Hayat Tahrir al-Sham"
            ]
        );
        let split = split_alias("Mohammed Sabet; Mohammad Sabet b) M. Javad Kareemi Sabet");
        assert_eq!(
            split.names,
            ["Mohammed Sabet", "Mohammad Sabet", "M. Javad Kareemi Sabet"]
        );
        let split = split_alias("Amir Khazmat (original script: Амир Хазмат)");
        assert_eq!(split.names, ["Amir Khazmat", "Амир Хазмат"]);
        let split =
            split_alias("شبكة أنصار المجاهدين (Ansar al-Mujahideen Network - sub-unit name)");
        assert_eq!(
            split.names,
            ["شبكة أنصار المجاهدين", "Ansar al-Mujahideen Network"]
        );
        assert_eq!(split.annotations, ["sub-unit name"]);
        let split = split_alias("Jin Tiesan (金铁三)");
        assert_eq!(split.names, ["Jin Tiesan", "金铁三"]);
        let split = split_alias("Encep Nurjaman (birth name)");
        assert_eq!(split.names, ["Encep Nurjaman"]);
        assert_eq!(split.annotations, ["birth name"]);
        let split = split_alias("Safia Farkash Al-Hadad, born 1 Jan. 1953 (Oman passport)");
        assert_eq!(split.names, ["Safia Farkash Al-Hadad"]);
        for whole in [
            "Lord’s Resistance Movement (LRM)",
            "Lom-ali Butayev (Butaev)",
            "Leader (Hong Kong) International Trading Limited",
            "MAKENGA, Colonel SULTANI",
            "Islamic State of Iraq and the Levant - Greater Sahara (ISIL-GS)",
            "華信船務(香港)有限公司",
        ] {
            assert_eq!(split_alias(whole).names, [whole]);
        }
        assert_eq!(
            split_alias(") Abdelrahman Mouhamad Zafir al Dabissi Juhan").names,
            ["Abdelrahman Mouhamad Zafir al Dabissi Juhan"]
        );
        assert_eq!(split_alias("\"HASSAN, Sheikh\"").names, ["HASSAN, Sheikh"]);
    }

    #[test]
    fn alias_quality_and_blank_aliases() {
        let (e, report) = one(&individual(
            "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Johnny D</ALIAS_NAME></INDIVIDUAL_ALIAS>\
             <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>JD; J. D.</ALIAS_NAME></INDIVIDUAL_ALIAS>\
             <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>\
             <NAME_ORIGINAL_SCRIPT>Джон До</NAME_ORIGINAL_SCRIPT>",
        ));
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        let names: Vec<_> = e
            .names
            .iter()
            .map(|n| (n.text.as_str(), n.kind, n.note.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("JOHN DOE", NameKind::Primary, None),
                ("Johnny D", NameKind::StrongAlias, Some("Good")),
                ("JD", NameKind::WeakAlias, Some("Low")),
                ("J. D.", NameKind::WeakAlias, Some("Low")),
                ("Джон До", NameKind::OriginalScript, None),
            ]
        );
    }

    #[test]
    fn documents() {
        let (e, report) = one(&individual(
            "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>\
             <NUMBER>CAR diplomatic passport no. D00000898</NUMBER>\
             <ISSUING_COUNTRY>Central African Republic</ISSUING_COUNTRY>\
             <DATE_OF_ISSUE>2013-06-11</DATE_OF_ISSUE><NOTE>expires 2018</NOTE></INDIVIDUAL_DOCUMENT>\
             <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>\
             <TYPE_OF_DOCUMENT2>Birth certificate</TYPE_OF_DOCUMENT2><NUMBER>42</NUMBER></INDIVIDUAL_DOCUMENT>\
             <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>\
             <TYPE_OF_DOCUMENT2>Afghan national identification card (tazkira) number 545167</TYPE_OF_DOCUMENT2>\
             <NOTE>issued in 1974</NOTE></INDIVIDUAL_DOCUMENT>\
             <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Numéro de passeport</TYPE_OF_DOCUMENT>\
             <NUMBER>381420754</NUMBER></INDIVIDUAL_DOCUMENT>\
             <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Número de pasaporte</TYPE_OF_DOCUMENT>\
             <NUMBER>381420754</NUMBER></INDIVIDUAL_DOCUMENT>\
             <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>\
             <NOTE>issued in 1993, under name X</NOTE></INDIVIDUAL_DOCUMENT>\
             <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>\
             <NOTE>Italian Fiscal Code: DAOMMD74T11Z352Z</NOTE></INDIVIDUAL_DOCUMENT>\
             <INDIVIDUAL_DOCUMENT/>",
        ));
        let ids: Vec<_> = e
            .identifiers
            .iter()
            .map(|i| (i.kind.clone(), i.value.as_str(), i.country.as_deref()))
            .collect();
        assert_eq!(
            ids,
            [
                (IdKind::Passport, "D00000898", Some("cf")),
                (IdKind::Other("birth certificate".into()), "42", None),
                (IdKind::NationalId, "545167", None),
                (IdKind::Passport, "381420754", None),
                (IdKind::TaxId, "DAOMMD74T11Z352Z", None),
            ]
        );
        assert_eq!(
            e.identifiers[0].note.as_deref(),
            Some("number as listed: CAR diplomatic passport no. D00000898; issued 2013-06-11; expires 2018")
        );
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        assert_eq!(
            e.properties["document_text"],
            ["Passport; issued in 1993, under name X"]
        );
    }

    #[test]
    fn numbers_are_taken_out_of_prose() {
        let cases = [
            ("OB 0243318", "OB 0243318"),
            ("96 03 464086", "96 03 464086"),
            ("Russian passport number 8208 No. 555627", "8208 555627"),
            ("381110042 (Expired 25 Jan. 2016)", "381110042"),
            ("R00012098, South Sudan", "R00012098"),
            ("Diplomatic Passport: Z30321794", "Z30321794"),
            ("Social Security Number 423-31-3021 (US)", "423-31-3021"),
            (
                "German travel document (“Reiseausweis”) A 0139243",
                "A 0139243",
            ),
            ("Moroccan national identity card DE- 473900", "DE- 473900"),
            ("Libya B/002210", "B/002210"),
            ("SSN 156-92-9858 (United States of America)", "156-92-9858"),
            ("04643632 issued on 18 Jun. 1999", "04643632"),
        ];
        for (text, expected) in cases {
            assert_eq!(extract_number(text).as_deref(), Some(expected), "{text}");
        }
        assert_eq!(extract_number("issued in 1993, under name X"), None);
        assert_eq!(extract_number("Ayno Maina, Kandahar Province"), None);
    }

    #[test]
    fn nationality_address_and_place_of_birth() {
        let (e, report) = one(&individual(
            "<NATIONALITY><VALUE>Iran (Islamic Republic of)</VALUE><VALUE>na</VALUE><VALUE/></NATIONALITY>\
             <INDIVIDUAL_ADDRESS><CITY>Kinshasa</CITY><COUNTRY>Democratic Republic of the Congo</COUNTRY>\
             <NOTE>as of June 2016</NOTE></INDIVIDUAL_ADDRESS>\
             <INDIVIDUAL_ADDRESS><COUNTRY/></INDIVIDUAL_ADDRESS>\
             <INDIVIDUAL_PLACE_OF_BIRTH><CITY>Goma</CITY><STATE_PROVINCE>North Kivu</STATE_PROVINCE>\
             <COUNTRY>Democratic Republic of the Congo</COUNTRY></INDIVIDUAL_PLACE_OF_BIRTH>",
        ));
        assert_eq!(e.nationalities, ["ir"]);
        assert_eq!(e.properties["nationality_text"], ["na"]);
        assert_eq!(report.warnings.len(), 1);
        assert_eq!(
            report.warnings[0].location,
            "INDIVIDUALS/INDIVIDUAL[DATAID=1]/NATIONALITY/VALUE"
        );
        assert_eq!(e.addresses.len(), 1);
        let a = &e.addresses[0];
        assert_eq!(
            a.full,
            "Kinshasa, Democratic Republic of the Congo (as of June 2016)"
        );
        assert_eq!(a.city.as_deref(), Some("Kinshasa"));
        assert_eq!(a.country.as_deref(), Some("cd"));
        assert_eq!(
            e.birth_places,
            ["Goma, North Kivu, Democratic Republic of the Congo"]
        );
    }

    #[test]
    fn placeholders_are_not_data() {
        let (e, report) = one(&list(
            "<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>FAIZULLAH</FIRST_NAME>\
             <SECOND_NAME>KHAN</SECOND_NAME><FOURTH_NAME>na</FOURTH_NAME>\
             <NATIONALITY><VALUE>former Soviet Union</VALUE></NATIONALITY></INDIVIDUAL></INDIVIDUALS>",
        ));
        assert_eq!(e.caption(), "FAIZULLAH KHAN");
        // A historic state has no alpha-2 code: reported, text kept.
        assert!(e.nationalities.is_empty());
        assert_eq!(e.properties["nationality_text"], ["former Soviet Union"]);
        assert_eq!(report.warnings.len(), 1);
    }

    #[test]
    fn unknown_elements_are_kept_and_reported() {
        let (e, report) = one(&individual(
            "<COMMENTS2>second comment</COMMENTS2>\
             <SUBMITTED_BY><VALUE>France</VALUE></SUBMITTED_BY>",
        ));
        assert_eq!(e.properties["comments2"], ["second comment"]);
        assert_eq!(e.properties["submitted_by"], ["France"]);
        assert_eq!(report.warnings.len(), 1);
        assert_eq!(
            report.warnings[0].location,
            "INDIVIDUALS/INDIVIDUAL[DATAID=1]/COMMENTS2"
        );
    }

    #[test]
    fn entities_and_escapes() {
        let parsed = run(&list(
            "<INDIVIDUALS/><ENTITIES><ENTITY><DATAID>7</DATAID>\
             <FIRST_NAME>A &amp; B TRADING</FIRST_NAME>\
             <ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME><![CDATA[A&B]]></ALIAS_NAME></ENTITY_ALIAS>\
             <ENTITY_ADDRESS><NOTE>Branch Office 8: Chaman, Pakistan</NOTE></ENTITY_ADDRESS>\
             </ENTITY></ENTITIES>",
        ))
        .unwrap();
        let e = &parsed.entities[0];
        assert_eq!(e.schema, Schema::Organization);
        assert_eq!(e.caption(), "A & B TRADING");
        assert_eq!(e.names[1].text, "A&B");
        assert_eq!(e.names[1].kind, NameKind::FormerName);
        assert_eq!(e.addresses[0].full, "Branch Office 8: Chaman, Pakistan");
        assert_eq!(e.addresses[0].country, None);

        let (e, _) = one(&list(
            "<ENTITIES><ENTITY><DATAID>8</DATAID>\
             <FIRST_NAME>GREAT LAKES (CAGL) ; GREAT LAKES BUSINESS (GLBC)</FIRST_NAME>\
             </ENTITY></ENTITIES>",
        ));
        assert_eq!(
            names_of(&e),
            ["GREAT LAKES (CAGL)", "GREAT LAKES BUSINESS (GLBC)"]
        );
        assert!(e.names.iter().all(|n| n.kind == NameKind::Primary));
    }

    #[test]
    fn repeated_elements_and_ids() {
        let parsed = run(&list(
            "<INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>X</FIRST_NAME>\
             <GENDER>Male</GENDER><GENDER>Female</GENDER>\
             <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>\
             <NUMBER>A1</NUMBER><NUMBER>B2</NUMBER></INDIVIDUAL_DOCUMENT></INDIVIDUAL>\
             <INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>Y</FIRST_NAME></INDIVIDUAL></INDIVIDUALS>",
        ))
        .unwrap();
        assert_eq!(parsed.report.records, 2);
        assert_eq!(parsed.entities.len(), 1);
        let e = &parsed.entities[0];
        assert_eq!(e.caption(), "X");
        assert_eq!(e.gender.as_deref(), Some("male"));
        assert_eq!(e.properties["gender"], ["Female"]);
        assert_eq!(e.identifiers[0].value, "A1");
        assert_eq!(e.properties["individual_document_number"], ["B2"]);
        let locations: Vec<&str> = parsed
            .report
            .warnings
            .iter()
            .map(|w| w.location.as_str())
            .collect();
        assert_eq!(
            locations,
            [
                "INDIVIDUALS/INDIVIDUAL[DATAID=1]/GENDER",
                "INDIVIDUALS/INDIVIDUAL[DATAID=1]/INDIVIDUAL_DOCUMENT/NUMBER",
                "INDIVIDUALS/INDIVIDUAL[DATAID=1]",
            ]
        );
    }

    #[test]
    fn record_without_dataid_is_reported() {
        let parsed = run(&list(
            "<INDIVIDUALS><INDIVIDUAL><FIRST_NAME>X</FIRST_NAME></INDIVIDUAL>\
             <INDIVIDUAL><DATAID>2</DATAID><FIRST_NAME>Y</FIRST_NAME></INDIVIDUAL></INDIVIDUALS>",
        ))
        .unwrap();
        assert_eq!(parsed.report.records, 2);
        assert_eq!(parsed.entities.len(), 1);
        assert_eq!(parsed.report.warnings.len(), 1);
        assert!(parsed.report.warnings[0].message.contains("without DATAID"));
    }

    fn malformed_line(xml: &str) -> u64 {
        match run(xml) {
            Err(SourceError::Malformed { line, .. }) => line,
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn structural_errors() {
        let good = individual("");
        // Cut inside a tag, inside text, and right after a start tag.
        for cut in [
            good.len() / 2,
            good.find("JOHN").unwrap() + 2,
            good.len() - 5,
        ] {
            malformed_line(&good[..cut]);
        }
        // Mismatched end tag on line 3.
        let xml = "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL></ENTITY>\n</INDIVIDUALS></CONSOLIDATED_LIST>";
        assert_eq!(malformed_line(xml), 3);
        // Undefined entity.
        malformed_line(&individual("<COMMENTS1>&nbsp;</COMMENTS1>"));
        // Truncation is reported at the end, naming the open element.
        let cut = "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL>\n<DATAID>1</DATAID>\n";
        match run(cut) {
            Err(SourceError::Malformed { line, message, .. }) => {
                assert_eq!(line, 5);
                assert!(
                    message.contains("<INDIVIDUAL> (opened on line 3)"),
                    "{message}"
                );
            }
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn not_the_un_list() {
        for xml in [
            "<?xml version=\"1.0\"?><sdnList></sdnList>",
            "just text",
            "",
            &list("<INDIVIDUALS/><ENTITIES/>"),
        ] {
            assert!(
                matches!(run(xml), Err(SourceError::Invalid { .. })),
                "{xml:?}"
            );
        }
        assert!(matches!(
            parse(InputFile {
                name: "x",
                bytes: &[0xFF, 0xFE, 0x00, 0x3C]
            }),
            Err(SourceError::Malformed { line: 1, .. })
        ));
    }
}
