//! HM Treasury OFSI Consolidated List, official XLSX edition (`ConList.xlsx`).
//!
//! # The format
//!
//! The workbook has one worksheet. Its first row reads `Last Updated | dd/mm/yyyy`,
//! the publication date; the second row is the header (`Name 6`, `Name 1` … `Name 5`,
//! `Title`, `Name Non-Latin Script`, `DOB`, `Nationality`, `Passport Number`,
//! `Address 1` … `Address 6`, `Other Information`, `Group Type`, `Alias Type`,
//! `Alias Quality`, `Regime`, `Listed On`, `Last Updated`, `Group ID`, …). Columns are
//! found by their header name, never by position, so editions that add, drop or
//! reorder columns still parse; columns this parser does not know are kept as
//! properties rather than dropped.
//!
//! # Why rows are grouped
//!
//! The sheet is a flat export of a relational list: a designated party is a *group*
//! (`Group ID`) and every row is one of its names (`Alias Type`: `Primary name`,
//! `Primary name variation`, `AKA`, `FKA`). Worse, the export multiplies names by
//! the party's other repeated facts, so a person with 3 names, 2 dates of birth and
//! 2 addresses fills 12 rows that repeat everything else. A row is therefore not a
//! list entry: the parser folds all rows of a Group ID into one [`Entity`], adding
//! each distinct name once and merging every repeated fact without duplicates. Each
//! distinct cell value is interpreted once per group, so a bad date of birth is
//! reported once (at the first row holding it), not once per name.
//!
//! # Cell conventions
//!
//! - Names: `Name 1`…`Name 5` are given and middle names, `Name 6` the surname (or an
//!   organisation's or ship's whole name); the text is built in that reading order.
//! - Several values in one cell are numbered: `(1) Russia (2) Ukraine`. Town and
//!   country of birth, passport numbers and their details are paired by number.
//! - Dates are `dd/mm/yyyy` with `00` for an unknown day or month; a cell may also be
//!   a real Excel date or number, which is converted.
//! - `Other Information` is free text with tagged parts — `(UK Sanctions List Ref):`,
//!   `(Gender):`, `(IMO number):`, `(Flag of ship):`, `(Business Reg No):` … It is kept
//!   verbatim as remarks, and the tags this parser knows are also read into fields.
//!   Ships have no dedicated columns in the 2023–2025 editions: their IMO number,
//!   flag, owner and type live in these tags.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use calamine::Data;
use redline_model::countries;
use redline_model::{
    push_unique, Address, DateValue, Entity, IdKind, Identifier, Link, Name, NameKind, Relation,
    Schema, SourceId,
};

use crate::{InputFile, ParseReport, ParsedList, SourceError};

const SOURCE: SourceId = SourceId::UkHmt;

/// How far down the sheet the header row is looked for (it is row 2 in every edition).
const HEADER_SEARCH_ROWS: usize = 10;

/// The columns without which rows cannot be turned into entities at all.
const REQUIRED_COLUMNS: [&str; 3] = ["Group ID", "Name 6", "Group Type"];

/// The headers this parser interprets, in lower case; any other column is kept as a
/// property named after its header.
const KNOWN_COLUMNS: &[&str] = &[
    "group id",
    "name 6",
    "group type",
    "name 1",
    "name 2",
    "name 3",
    "name 4",
    "name 5",
    "title",
    "name non-latin script",
    "non-latin script type",
    "non-latin script language",
    "dob",
    "town of birth",
    "country of birth",
    "nationality",
    "passport number",
    "passport details",
    "national identification number",
    "national identification details",
    "position",
    "address 1",
    "address 2",
    "address 3",
    "address 4",
    "address 5",
    "address 6",
    "post/zip code",
    "country",
    "other information",
    "alias type",
    "alias quality",
    "regime",
    "listed on",
    "uk sanctions list date designated",
    "last updated",
];

/// Parses `ConList.xlsx` into one entity per Group ID.
pub fn parse(file: InputFile<'_>) -> Result<ParsedList, SourceError> {
    let sheet = crate::xlsx::first_sheet(
        &file,
        "the OFSI Consolidated List in its XLSX edition (ConList.xlsx)",
    )?;
    let rows: Vec<&[Data]> = sheet.rows().collect();
    // Sheet row number (1-based, as Excel shows it) of `rows[0]`: the used range may
    // start below row 1, and warnings must name the row a user sees in Excel.
    let first_row = sheet.start().map_or(1, |(row, _)| row as usize + 1);
    let (header_index, columns) = find_header(&file, &rows)?;

    let mut report = ParseReport::default();
    let published = published_date(&rows[..header_index]);
    if published.is_none() {
        report.warn(
            format!("{}:row {first_row}", file.name),
            "no \"Last Updated\" publication date above the header row",
        );
    }

    let mut groups: Vec<Group> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (offset, cells) in rows.iter().enumerate().skip(header_index + 1) {
        if cells.iter().all(is_blank) {
            continue;
        }
        report.records += 1;
        let location = format!("{}:row {}", file.name, first_row + offset);
        let row = Row { cells };
        row.warn_cell_errors(&columns, &location, &mut report);

        let Some(group_id) = row.text(Some(columns.group_id)) else {
            report.warn(
                location,
                format!(
                    "row has no Group ID; its name {:?} is not attached to any entity",
                    row.latin_name(&columns)
                ),
            );
            continue;
        };
        let index = match by_id.get(group_id.as_ref()) {
            Some(&index) => index,
            None => {
                let schema = row_schema(&row, &columns, &location, &mut report);
                groups.push(Group::new(&group_id, schema));
                by_id.insert(group_id.into_owned(), groups.len() - 1);
                groups.len() - 1
            }
        };
        groups[index].add_row(&row, &columns, &location, &mut report);
    }

    let entities: Vec<Entity> = groups.into_iter().map(Group::finish).collect();
    Ok(ParsedList::new(SOURCE, published, entities, report))
}

/// Opens the bytes as an XLSX workbook and reads its first worksheet.
/// Column indexes, found by header name.
#[derive(Debug)]
struct Columns {
    group_id: usize,
    name6: usize,
    group_type: usize,
    /// `Name 1` … `Name 5`, in that order (those present).
    given_names: Vec<usize>,
    title: Option<usize>,
    non_latin: Option<usize>,
    script_type: Option<usize>,
    script_language: Option<usize>,
    dob: Option<usize>,
    town_of_birth: Option<usize>,
    country_of_birth: Option<usize>,
    nationality: Option<usize>,
    passport_number: Option<usize>,
    passport_details: Option<usize>,
    national_id: Option<usize>,
    national_id_details: Option<usize>,
    position: Option<usize>,
    /// `Address 1` … `Address 6`, in that order (those present).
    address_lines: Vec<usize>,
    postcode: Option<usize>,
    country: Option<usize>,
    other_information: Option<usize>,
    alias_type: Option<usize>,
    alias_quality: Option<usize>,
    regime: Option<usize>,
    listed_on: Option<usize>,
    designated: Option<usize>,
    last_updated: Option<usize>,
    /// Columns this parser does not know: (index, header, property key).
    extra: Vec<(usize, String, String)>,
    /// Header text by index, for messages.
    headers: Vec<String>,
}

impl Columns {
    /// Reads a header row; `Err` lists the required columns it lacks.
    fn from_header(cells: &[Data]) -> Result<Columns, Vec<&'static str>> {
        let headers: Vec<String> = cells
            .iter()
            .map(|c| {
                cell_text(c)
                    .map(|t| collapse_spaces(&t))
                    .unwrap_or_default()
            })
            .collect();
        let find = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let many = |prefix: &str, n: usize| -> Vec<usize> {
            (1..=n)
                .filter_map(|i| find(&format!("{prefix} {i}")))
                .collect()
        };
        let missing: Vec<&'static str> = REQUIRED_COLUMNS
            .into_iter()
            .filter(|name| find(name).is_none())
            .collect();
        let (Some(group_id), Some(name6), Some(group_type)) =
            (find("Group ID"), find("Name 6"), find("Group Type"))
        else {
            return Err(missing);
        };
        let extra = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.is_empty() && !KNOWN_COLUMNS.contains(&h.to_lowercase().as_str()))
            .map(|(i, h)| (i, h.clone(), property_key(h)))
            .collect();
        Ok(Columns {
            group_id,
            name6,
            group_type,
            given_names: many("Name", 5),
            title: find("Title"),
            non_latin: find("Name Non-Latin Script"),
            script_type: find("Non-Latin Script Type"),
            script_language: find("Non-Latin Script Language"),
            dob: find("DOB"),
            town_of_birth: find("Town of Birth"),
            country_of_birth: find("Country of Birth"),
            nationality: find("Nationality"),
            passport_number: find("Passport Number"),
            passport_details: find("Passport Details"),
            national_id: find("National Identification Number"),
            national_id_details: find("National Identification Details"),
            position: find("Position"),
            address_lines: many("Address", 6),
            postcode: find("Post/Zip Code"),
            country: find("Country"),
            other_information: find("Other Information"),
            alias_type: find("Alias Type"),
            alias_quality: find("Alias Quality"),
            regime: find("Regime"),
            listed_on: find("Listed On"),
            designated: find("UK Sanctions List Date Designated"),
            last_updated: find("Last Updated"),
            extra,
            headers,
        })
    }

    fn header(&self, index: usize) -> &str {
        self.headers.get(index).map_or("?", String::as_str)
    }
}

/// Finds the header row near the top of the sheet; a sheet without the columns that
/// identify the list is not the OFSI list, so it is an error naming what is missing.
fn find_header(file: &InputFile<'_>, rows: &[&[Data]]) -> Result<(usize, Columns), SourceError> {
    let mut fewest_missing: Option<Vec<&'static str>> = None;
    for (index, cells) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        match Columns::from_header(cells) {
            Ok(columns) => return Ok((index, columns)),
            Err(missing) => {
                let fewer = match &fewest_missing {
                    Some(best) => missing.len() < best.len(),
                    None => true,
                };
                if fewer {
                    fewest_missing = Some(missing);
                }
            }
        }
    }
    let missing = fewest_missing.unwrap_or_else(|| REQUIRED_COLUMNS.to_vec());
    Err(SourceError::invalid(
        file.name,
        format!(
            "missing column(s) {} in the first {HEADER_SEARCH_ROWS} rows of the first worksheet; \
             this is not the OFSI Consolidated List (expected a header with {})",
            missing.join(", "),
            REQUIRED_COLUMNS.join(", ")
        ),
    ))
}

/// The `Last Updated dd/mm/yyyy` line above the header, as `YYYY-MM-DD`.
fn published_date(rows_above_header: &[&[Data]]) -> Option<String> {
    rows_above_header.iter().find_map(|cells| {
        let texts: Vec<Cow<'_, str>> = cells.iter().filter_map(cell_text).collect();
        texts.iter().enumerate().find_map(|(i, text)| {
            let lower = text.to_ascii_lowercase();
            let rest = lower.strip_prefix("last updated")?;
            // The date is either in the same cell ("Last Updated 14/04/2025") or the next.
            let date = if rest.trim().is_empty() {
                texts.get(i + 1)?.as_ref()
            } else {
                &text["last updated".len()..]
            };
            full_date(date.trim_start_matches(':'))
        })
    })
}

/// A date written to the day (`dd/mm/yyyy`, or an Excel date) as `YYYY-MM-DD`.
fn full_date(text: &str) -> Option<String> {
    let value = DateValue::parse(text)?;
    (value.end.is_none() && value.date.day.is_some()).then(|| value.date.to_string())
}

/// One worksheet row.
struct Row<'a> {
    cells: &'a [Data],
}

impl<'a> Row<'a> {
    /// The cell's text, trimmed; `None` when the column is absent or the cell empty.
    fn text(&self, column: Option<usize>) -> Option<Cow<'a, str>> {
        self.cells.get(column?).and_then(cell_text)
    }

    /// `Name 1` … `Name 5` then `Name 6`: given names before the surname, as read.
    fn latin_name(&self, columns: &Columns) -> String {
        let parts: Vec<Cow<'_, str>> = columns
            .given_names
            .iter()
            .chain(std::iter::once(&columns.name6))
            .filter_map(|&c| self.text(Some(c)))
            .collect();
        collapse_spaces(&parts.join(" "))
    }

    /// A formula error (`#N/A`, `#REF!`) in a published list is a defect of the file;
    /// the cell is read as empty, which the report must say.
    fn warn_cell_errors(&self, columns: &Columns, location: &str, report: &mut ParseReport) {
        for (index, cell) in self.cells.iter().enumerate() {
            if let Data::Error(error) = cell {
                report.warn(
                    location,
                    format!(
                        "column {:?} holds the spreadsheet error {error}; read as empty",
                        columns.header(index)
                    ),
                );
            }
        }
    }
}

/// The schema of a new group, from its first row's `Group Type`.
fn row_schema(
    row: &Row<'_>,
    columns: &Columns,
    location: &str,
    report: &mut ParseReport,
) -> Schema {
    let group_type = row.text(Some(columns.group_type));
    match group_type.as_deref().and_then(Schema::parse) {
        Some(schema) => schema,
        None => {
            // Keeping the entry matters more than its kind: an unknown type is read as
            // an organisation (the broadest kind) and reported.
            report.warn(
                location,
                format!(
                    "unknown Group Type {:?}; entity read as an organisation",
                    group_type.as_deref().unwrap_or("")
                ),
            );
            Schema::Organization
        }
    }
}

/// The entity being assembled from the rows of one Group ID.
struct Group {
    entity: Entity,
    /// (field, value) pairs already interpreted: the export repeats each fact on
    /// every row of the group, and each needs reading (and reporting) only once.
    seen: HashSet<(&'static str, String)>,
}

impl Group {
    fn new(group_id: &str, schema: Schema) -> Self {
        Group {
            entity: Entity::new(SOURCE, group_id, schema),
            seen: HashSet::new(),
        }
    }

    /// True the first time this group meets `value` in `field`.
    fn first_time(&mut self, field: &'static str, value: &str) -> bool {
        self.seen.insert((field, value.to_string()))
    }

    fn add_row(
        &mut self,
        row: &Row<'_>,
        columns: &Columns,
        location: &str,
        report: &mut ParseReport,
    ) {
        self.check_group_type(row, columns, location, report);
        self.add_names(row, columns, location, report);

        for (column, key) in [(columns.title, "title"), (columns.position, "position")] {
            if let Some(text) = row.text(column) {
                if self.first_time(key, &text) {
                    for item in split_numbered(&text).into_iter().flatten() {
                        self.entity.add_property(key, item);
                    }
                }
            }
        }
        if let Some(text) = row.text(columns.dob) {
            if self.first_time("dob", &text) {
                self.add_birth_dates(&text, location, report);
            }
        }
        let town = row.text(columns.town_of_birth);
        let country = row.text(columns.country_of_birth);
        if town.is_some() || country.is_some() {
            let town = town.as_deref().unwrap_or("");
            let country = country.as_deref().unwrap_or("");
            if self.first_time("birth_place", &format!("{town}\u{1f}{country}")) {
                for place in birth_places(town, country) {
                    push_unique(&mut self.entity.birth_places, place);
                }
            }
        }
        if let Some(text) = row.text(columns.nationality) {
            if self.first_time("nationality", &text) {
                self.add_nationalities(&text, location, report);
            }
        }
        self.add_documents(row, columns);
        self.add_address(row, columns, location, report);
        if let Some(text) = row.text(columns.other_information) {
            if self.first_time("other_information", &text) {
                self.add_other_information(&text, location, report);
            }
        }
        if let Some(regime) = row.text(columns.regime) {
            push_unique(&mut self.entity.programs, regime);
        }
        for column in [columns.listed_on, columns.designated] {
            self.add_listing_date(row, column, location, report);
        }
        if let Some(text) = row.text(columns.last_updated) {
            if self.first_time("last_updated", &text) {
                let value = full_date(&text).unwrap_or_else(|| text.to_string());
                self.entity.add_property("last_updated", value);
            }
        }
        for (index, header, key) in &columns.extra {
            if let Some(text) = row.text(Some(*index)) {
                self.add_extra(header, key, &text);
            }
        }
    }

    /// A group is one party, so all its rows must agree on what kind of party it is.
    fn check_group_type(
        &mut self,
        row: &Row<'_>,
        columns: &Columns,
        location: &str,
        report: &mut ParseReport,
    ) {
        let Some(text) = row.text(Some(columns.group_type)) else {
            return;
        };
        if Schema::parse(&text) != Some(self.entity.schema) && self.first_time("group_type", &text)
        {
            report.warn(
                location,
                format!(
                    "Group Type {text:?} differs from the group's earlier rows; {} kept as {}",
                    self.entity.id, self.entity.schema
                ),
            );
        }
    }

    fn add_names(
        &mut self,
        row: &Row<'_>,
        columns: &Columns,
        location: &str,
        report: &mut ParseReport,
    ) {
        let latin = row.latin_name(columns);
        if latin.is_empty() {
            if row.text(columns.non_latin).is_none() {
                report.warn(location, "row has no name in Name 1 … Name 6");
            }
        } else {
            let alias_type = row.text(columns.alias_type);
            let quality = row.text(columns.alias_quality);
            let kind = match alias_type.as_deref() {
                Some(alias_type) => name_kind(alias_type, quality.as_deref()),
                // An edition without alias types: the group's first name is its main one.
                None if self.entity.names.is_empty() => NameKind::Primary,
                None => NameKind::StrongAlias,
            };
            if let Some(alias_type) = alias_type.as_deref() {
                if !is_known_alias_type(alias_type) && self.first_time("alias_type", alias_type) {
                    report.warn(
                        location,
                        format!("unknown Alias Type {alias_type:?}; name read as an alias"),
                    );
                }
            }
            let mut name = Name::new(latin, kind);
            if let Some(note) = join_present(&[alias_type.as_deref(), quality.as_deref()]) {
                name = name.with_note(note);
            }
            self.entity.add_name(name);
        }

        if let Some(text) = row.text(columns.non_latin) {
            let script = row.text(columns.script_type);
            let language = row.text(columns.script_language);
            // "Chinese, Chinese" says nothing more than "Chinese".
            let language = language.filter(|l| Some(l) != script.as_ref());
            let mut name = Name::new(collapse_spaces(&text), NameKind::OriginalScript);
            if let Some(note) = join_present(&[script.as_deref(), language.as_deref()]) {
                name = name.with_note(note);
            }
            self.entity.add_name(name);
        }
    }

    fn add_birth_dates(&mut self, text: &str, location: &str, report: &mut ParseReport) {
        for item in split_numbered(text).into_iter().flatten() {
            match DateValue::parse(item) {
                Some(date) => {
                    if !self.entity.birth_dates.contains(&date) {
                        self.entity.birth_dates.push(date);
                    }
                }
                None => report.warn(
                    location,
                    format!("unreadable DOB {item:?} of {}; not used", self.entity.id),
                ),
            }
        }
    }

    fn add_nationalities(&mut self, text: &str, location: &str, report: &mut ParseReport) {
        for item in split_numbered(text).into_iter().flatten() {
            match country_codes(item) {
                Some(codes) => {
                    for code in codes {
                        push_unique(&mut self.entity.nationalities, code);
                    }
                }
                None => report.warn(
                    location,
                    format!(
                        "unknown nationality {item:?} of {}; not used",
                        self.entity.id
                    ),
                ),
            }
        }
    }

    /// Passports and national identification numbers, each with its details as note.
    fn add_documents(&mut self, row: &Row<'_>, columns: &Columns) {
        let documents = [
            (
                IdKind::Passport,
                columns.passport_number,
                columns.passport_details,
                "passport",
            ),
            (
                IdKind::NationalId,
                columns.national_id,
                columns.national_id_details,
                "national_id",
            ),
        ];
        for (kind, number_column, details_column, field) in documents {
            let Some(numbers) = row.text(number_column) else {
                continue;
            };
            let details = row.text(details_column);
            let details = details.as_deref().unwrap_or("");
            if !self.first_time(field, &format!("{numbers}\u{1f}{details}")) {
                continue;
            }
            for (number, note) in pair_details(&numbers, details) {
                // A note that is just a country ("Syria", "Russian") names the issuer.
                let country = note.and_then(countries::to_code);
                self.add_identifier(Identifier {
                    kind: kind.clone(),
                    value: number.to_string(),
                    country,
                    note: note.map(str::to_string),
                });
            }
        }
    }

    fn add_address(
        &mut self,
        row: &Row<'_>,
        columns: &Columns,
        location: &str,
        report: &mut ParseReport,
    ) {
        let lines: Vec<Cow<'_, str>> = columns
            .address_lines
            .iter()
            .filter_map(|&c| row.text(Some(c)))
            .collect();
        let postcode = row.text(columns.postcode);
        let country = row.text(columns.country);
        if lines.is_empty() && postcode.is_none() && country.is_none() {
            return;
        }
        let key = format!(
            "{}\u{1f}{postcode:?}\u{1f}{country:?}",
            lines.join("\u{1f}")
        );
        if !self.first_time("address", &key) {
            return;
        }
        let code = country.as_deref().and_then(|name| {
            let code = country_code(name);
            if code.is_none() {
                report.warn(
                    location,
                    format!(
                        "unknown address country {name:?} of {}; kept as text",
                        self.entity.id
                    ),
                );
            }
            code
        });
        if lines.is_empty() && postcode.is_none() {
            // A bare country is where the party lives or operates, not an address.
            if let Some(code) = code {
                push_unique(&mut self.entity.countries, code);
            }
            return;
        }
        let full = lines
            .iter()
            .map(|l| l.as_ref())
            .chain(postcode.as_deref())
            .chain(country.as_deref())
            .collect::<Vec<&str>>()
            .join(", ");
        let address = Address {
            full: collapse_spaces(&full),
            postal_code: postcode.map(Cow::into_owned),
            country: code,
            ..Address::default()
        };
        if !self.entity.addresses.contains(&address) {
            self.entity.addresses.push(address);
        }
    }

    /// Keeps the text verbatim as remarks and reads the tagged facts it carries.
    fn add_other_information(&mut self, text: &str, location: &str, report: &mut ParseReport) {
        match &mut self.entity.remarks {
            Some(remarks) => {
                remarks.push('\n');
                remarks.push_str(text);
            }
            None => self.entity.remarks = Some(text.to_string()),
        }
        let mut imo_tagged = false;
        for (tag, value) in tagged_values(text) {
            match tag {
                Tag::FirstWord(key) => {
                    if let Some(word) = value.split_whitespace().next() {
                        self.entity.add_property(key, trim_item(word));
                    }
                }
                Tag::Items(key) => {
                    for item in split_numbered(value).into_iter().flatten() {
                        self.entity.add_property(key, item);
                    }
                }
                Tag::Gender => {
                    let gender = trim_item(value).to_lowercase();
                    if !gender.is_empty() {
                        self.entity.gender = Some(gender);
                    }
                }
                Tag::Registration => {
                    for item in split_numbered(value).into_iter().flatten() {
                        for (kind, number) in registration_numbers(item) {
                            self.add_identifier(Identifier {
                                kind,
                                value: number.to_string(),
                                country: None,
                                note: Some(item.to_string()),
                            });
                        }
                    }
                }
                Tag::Imo => {
                    imo_tagged = true;
                    self.add_imo_numbers(value, "IMO number");
                }
                Tag::Flag => {
                    let flag = trim_item(value);
                    if flag.is_empty() {
                        continue;
                    }
                    self.entity.add_property("vessel_flag", flag);
                    // A ship's flag is the country it is registered in.
                    match country_code(flag) {
                        Some(code) => push_unique(&mut self.entity.countries, code),
                        None => report.warn(
                            location,
                            format!("unknown flag {flag:?} of {}; kept as text", self.entity.id),
                        ),
                    }
                }
                Tag::RemarksOnly => {}
            }
        }
        for link in ofsi_references(text) {
            if !self.entity.links.contains(&link) {
                self.entity.links.push(link);
            }
        }
        if self.entity.schema == Schema::Vessel && !imo_tagged {
            // Ships listed without the tag may still name their IMO number in the text.
            for (pos, _) in text.match_indices("IMO") {
                let after: String = text[pos + 3..].chars().take(20).collect();
                self.add_imo_numbers(&after, "Other Information");
            }
        }
    }

    /// IMO numbers are 7 digits; any 7-digit run in `text` is taken as one.
    fn add_imo_numbers(&mut self, text: &str, note: &str) {
        let numbers: Vec<&str> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|run| run.len() == 7)
            .collect();
        for number in numbers {
            self.add_identifier(Identifier {
                kind: IdKind::Imo,
                value: number.to_string(),
                country: None,
                note: Some(note.to_string()),
            });
        }
    }

    /// `Listed On` and `UK Sanctions List Date Designated`: the entity keeps the earliest.
    fn add_listing_date(
        &mut self,
        row: &Row<'_>,
        column: Option<usize>,
        location: &str,
        report: &mut ParseReport,
    ) {
        let Some(text) = row.text(column) else {
            return;
        };
        if !self.first_time("listed_on", &text) {
            return;
        }
        match full_date(&text) {
            Some(date) => {
                let earlier = match &self.entity.listed_on {
                    Some(current) => date < *current,
                    None => true,
                };
                if earlier {
                    self.entity.listed_on = Some(date);
                }
            }
            None => report.warn(
                location,
                format!(
                    "unreadable listing date {text:?} of {}; not used",
                    self.entity.id
                ),
            ),
        }
    }

    /// A column of a newer edition: ship details, mostly. IMO columns become identifiers.
    fn add_extra(&mut self, header: &str, key: &str, text: &str) {
        if !self.first_time("extra", &format!("{key}\u{1f}{text}")) {
            return;
        }
        if header.to_ascii_lowercase().contains("imo") {
            self.add_imo_numbers(text, header);
        }
        for item in split_numbered(text).into_iter().flatten() {
            self.entity.add_property(key, item);
        }
    }

    fn add_identifier(&mut self, identifier: Identifier) {
        let known = self
            .entity
            .identifiers
            .iter()
            .any(|i| i.kind == identifier.kind && i.value == identifier.value);
        if !known {
            self.entity.identifiers.push(identifier);
        }
    }

    /// Tidies the names: the main name first, and a text listed under several kinds
    /// (e.g. both `Primary name` and `AKA`) kept only under the strongest.
    fn finish(self) -> Entity {
        let mut entity = self.entity;
        let mut strongest: HashMap<&str, NameKind> = HashMap::new();
        for name in entity
            .names
            .iter()
            .filter(|n| n.kind != NameKind::OriginalScript)
        {
            strongest
                .entry(name.text.as_str())
                .and_modify(|k| *k = (*k).min(name.kind))
                .or_insert(name.kind);
        }
        let keep: Vec<bool> = entity
            .names
            .iter()
            .map(|n| {
                n.kind == NameKind::OriginalScript
                    || strongest.get(n.text.as_str()) == Some(&n.kind)
            })
            .collect();
        let mut keep = keep.into_iter();
        entity.names.retain(|_| keep.next().unwrap_or(true));
        // Stable: the list's order is kept within each kind.
        entity.names.sort_by_key(|n| n.kind != NameKind::Primary);
        entity
    }
}

fn is_known_alias_type(alias_type: &str) -> bool {
    let lower = alias_type.to_ascii_lowercase();
    [
        "primary name",
        "primary name variation",
        "aka",
        "fka",
        "prime alias",
    ]
    .contains(&lower.as_str())
}

/// Maps `Alias Type` and `Alias Quality` to how much the matcher may trust the name.
fn name_kind(alias_type: &str, quality: Option<&str>) -> NameKind {
    let alias_type = alias_type.to_ascii_lowercase();
    let low_quality = quality.is_some_and(|q| {
        let q = q.to_ascii_lowercase();
        q.contains("low") || q.contains("weak")
    });
    match alias_type.as_str() {
        "primary name" => NameKind::Primary,
        "fka" => NameKind::FormerName,
        // AKA, primary name variation, prime alias: strong unless the list doubts it.
        _ if low_quality => NameKind::WeakAlias,
        _ => NameKind::StrongAlias,
    }
}

/// Town and country of birth, paired by their numbers when both are numbered:
/// `(1) Tall'Afar (2) Mosul` with `(1) Iraq (2) Iraq`.
fn birth_places(town: &str, country: &str) -> Vec<String> {
    let towns = split_numbered(town);
    let countries = split_numbered(country);
    let place = |t: Option<&str>, c: Option<&str>| join_present(&[t, c]);
    let places: Vec<Option<String>> = if towns.len() == countries.len() {
        towns
            .iter()
            .zip(&countries)
            .map(|(t, c)| place(*t, *c))
            .collect()
    } else if countries.len() == 1 {
        towns.iter().map(|t| place(*t, countries[0])).collect()
    } else if towns.len() == 1 {
        countries.iter().map(|c| place(towns[0], *c)).collect()
    } else {
        // Numbered differently: nothing tells which town lies in which country.
        towns
            .iter()
            .chain(&countries)
            .map(|p| place(*p, None))
            .collect()
    };
    places.into_iter().flatten().collect()
}

/// Pairs numbered document numbers with their numbered details; details that are not
/// numbered the same way apply to every number.
fn pair_details<'t>(numbers: &'t str, details: &'t str) -> Vec<(&'t str, Option<&'t str>)> {
    let numbers = split_numbered(numbers);
    let notes = split_numbered(details);
    let paired = notes.len() == numbers.len();
    let whole = Some(details.trim()).filter(|d| !d.is_empty());
    numbers
        .iter()
        .enumerate()
        .filter_map(|(i, number)| {
            let note = if paired { notes[i] } else { whole };
            number.map(|n| (n, note))
        })
        .collect()
}

/// The list's numbered enumerations, `(1) A (2) B (3) -`, as items; a placeholder
/// item (`-`, empty) is `None` so that numbered columns stay aligned for pairing.
/// Text that does not start with `(1)` is one item. Only the next expected number
/// splits, so `(2012-2013)` or `(EU-designated)` inside an item do not.
fn split_numbered(text: &str) -> Vec<Option<&str>> {
    let text = text.trim();
    let Some(mut rest) = text.strip_prefix("(1)") else {
        return vec![non_placeholder(text)];
    };
    let mut items = Vec::new();
    let mut next = 2;
    loop {
        let marker = format!("({next})");
        match rest.find(&marker) {
            Some(pos) => {
                items.push(non_placeholder(&rest[..pos]));
                rest = &rest[pos + marker.len()..];
                next += 1;
            }
            None => {
                items.push(non_placeholder(rest));
                return items;
            }
        }
    }
}

fn non_placeholder(item: &str) -> Option<&str> {
    let item = trim_item(item);
    (!item.is_empty() && item != "-").then_some(item)
}

/// Trims spaces and the separators the list leaves after items (`Russia.`, `GHR0086.`).
fn trim_item(item: &str) -> &str {
    item.trim().trim_end_matches(['.', ',', ';']).trim()
}

/// Country names only this list uses (or misspells), checked after the shared table.
const LIST_COUNTRY_NAMES: &[(&str, &str)] = &[
    ("occupied palestinian territories", "ps"),
    ("repubic of moldova", "md"),
];

/// Maps a country as the list writes it to an alpha-2 code.
fn country_code(name: &str) -> Option<String> {
    let name = trim_item(name);
    countries::to_code(name)
        .or_else(|| {
            // "Iraq (previous address)": a qualifier after the name.
            let (head, _) = name.split_once('(')?;
            countries::to_code(head)
        })
        .or_else(|| {
            LIST_COUNTRY_NAMES
                .iter()
                .find(|(list_name, _)| list_name.eq_ignore_ascii_case(name))
                .map(|(_, code)| (*code).to_string())
        })
}

/// One nationality item, which may itself list several countries
/// (`Estonia, Russia`, `Germany. Russia`); all must be known.
fn country_codes(item: &str) -> Option<Vec<String>> {
    if let Some(code) = country_code(item) {
        return Some(vec![code]);
    }
    let parts: Vec<&str> = item
        .split([',', '.', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return None;
    }
    parts.into_iter().map(country_code).collect()
}

/// Other entries of the list named by their Group ID: ships say "Listed as asset of
/// Korea Samjong Shipping (OFSI ID: 13635, …)", which makes the ship owned by 13635.
fn ofsi_references(text: &str) -> Vec<Link> {
    const MARKER: &str = "OFSI ID:";
    text.match_indices(MARKER)
        .filter_map(|(pos, _)| {
            let after = text[pos + MARKER.len()..].trim_start();
            let end = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            let group_id = &after[..end];
            if group_id.is_empty() {
                return None;
            }
            let before = &text[..pos];
            let sentence = &before[before.rfind(". ").map_or(0, |p| p + 2)..];
            // The list's own words for the relation, where it has them.
            let (relation, role) = if sentence.contains("asset of") {
                (Relation::OwnedBy, Some("asset of".to_string()))
            } else {
                (Relation::LinkedTo, None)
            };
            Some(Link {
                relation,
                target_id: Some(SOURCE.entity_id(group_id)),
                target_name: None,
                percentage: None,
                start_date: None,
                end_date: None,
                role,
            })
        })
        .collect()
}

/// What a tag in `Other Information` is read into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    /// The value's first word, as a property (`GHR0086. (UK Statement …`).
    FirstWord(&'static str),
    /// Each numbered item of the value, as a property.
    Items(&'static str),
    Gender,
    Registration,
    Imo,
    Flag,
    /// Known, so that it ends the previous tag's value, but only kept in the remarks.
    RemarksOnly,
}

/// The tags seen in `Other Information` (2023–2025 editions).
const TAGS: &[(&str, Tag)] = &[
    (
        "UK Sanctions List Ref",
        Tag::FirstWord("uk_sanctions_list_ref"),
    ),
    ("UN Ref", Tag::FirstWord("un_ref")),
    ("UK Statement of Reasons", Tag::RemarksOnly),
    ("Gender", Tag::Gender),
    ("Phone number", Tag::Items("phone")),
    ("Tel", Tag::Items("phone")),
    ("Fax", Tag::Items("fax")),
    ("Website", Tag::Items("website")),
    ("Email address", Tag::Items("email")),
    ("Type of entity", Tag::Items("legal_form")),
    ("Business Reg No", Tag::Registration),
    ("Parent company", Tag::Items("parent_company")),
    ("Subsidiaries", Tag::Items("subsidiaries")),
    ("IMO number", Tag::Imo),
    ("Current owners", Tag::Items("vessel_owner")),
    ("Flag of ship", Tag::Flag),
    ("Previous flags", Tag::Items("vessel_previous_flags")),
    ("Type of ship", Tag::Items("vessel_type")),
    ("Tonnage of ship", Tag::Items("vessel_tonnage")),
    ("Length of ship", Tag::Items("vessel_length")),
    ("Year built", Tag::Items("vessel_build_year")),
];

/// Splits `Other Information` at its known `(Tag):` markers. Unknown parenthesised
/// text followed by a colon (`(2022):` in a statement) is not a marker, so only the
/// known tags split; each value runs to the next known tag.
fn tagged_values(text: &str) -> Vec<(Tag, &str)> {
    let mut marks: Vec<(usize, usize, Tag)> = Vec::new();
    for &(name, tag) in TAGS {
        let marker = format!("({name}):");
        marks.extend(
            text.match_indices(&marker)
                .map(|(pos, _)| (pos, pos + marker.len(), tag)),
        );
    }
    marks.sort_by_key(|&(start, _, _)| start);
    marks
        .iter()
        .enumerate()
        .map(|(i, &(_, value_start, tag))| {
            let end = marks.get(i + 1).map_or(text.len(), |&(start, _, _)| start);
            (tag, text[value_start..end].trim())
        })
        .collect()
}

/// Registration and tax numbers in a `Business Reg No` item such as
/// `Russia INN - 7805060301`, `1117746568829 (Russia). Tax ID No. 7735579027 (Russia)`
/// or `SWIFT/BIN KHJBSDKH / 5040942458`: every token with at least 5 digits that is
/// not a date (`dated 27/07/1992`) is a number; the words before it say whether it
/// is a tax number or an LEI.
fn registration_numbers(item: &str) -> Vec<(IdKind, &str)> {
    let mut found = Vec::new();
    let mut label_start = 0;
    let mut offset = 0;
    for token in item.split_whitespace() {
        let start = item[offset..].find(token).map_or(offset, |p| offset + p);
        offset = start + token.len();
        let number = token.trim_matches(|c: char| !c.is_alphanumeric());
        let digits = number.chars().filter(char::is_ascii_digit).count();
        let clean = number
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '-');
        if digits < 5 || !clean || DateValue::parse(number).is_some() {
            continue;
        }
        let label = item[label_start..start].to_ascii_lowercase();
        let words: Vec<&str> = label.split(|c: char| !c.is_ascii_alphanumeric()).collect();
        let kind = if label.contains("legal entity") || words.contains(&"lei") {
            IdKind::Lei
        } else if words
            .iter()
            .any(|w| matches!(*w, "inn" | "tin" | "tax" | "taxpayer" | "unp"))
        {
            IdKind::TaxId
        } else {
            IdKind::Registration
        };
        found.push((kind, number));
        label_start = offset;
    }
    found
}

use crate::xlsx::{cell_text, is_blank};

/// Joins the present, non-empty parts with `, `.
fn join_present(parts: &[Option<&str>]) -> Option<String> {
    let present: Vec<&str> = parts
        .iter()
        .flatten()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    (!present.is_empty()).then(|| present.join(", "))
}

/// Collapses runs of whitespace (`COMPANY  "BELARUSKALI"`) to one space.
fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A header as a property key: `Current owner/operator(s)` → `current_owner_operator_s`.
fn property_key(header: &str) -> String {
    let mut key = String::with_capacity(header.len());
    for c in header.chars() {
        if c.is_alphanumeric() {
            key.extend(c.to_lowercase());
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn splits_numbered_items_keeping_placeholders() {
        assert_eq!(split_numbered("Russia"), vec![Some("Russia")]);
        assert_eq!(
            split_numbered("(1) Russia. (2) Ukraine"),
            vec![Some("Russia"), Some("Ukraine")]
        );
        assert_eq!(
            split_numbered("(1) Tunis (2) - (3) -"),
            vec![Some("Tunis"), None, None]
        );
        assert_eq!(
            split_numbered("(1) Governor of Ilam (2012-2013) (2) Spokesman"),
            vec![Some("Governor of Ilam (2012-2013)"), Some("Spokesman")]
        );
    }

    #[test]
    fn pairs_birth_places_and_documents() {
        assert_eq!(
            birth_places("(1) Al-Owja (2) Baghdad", "(1) Iraq (2) Iraq"),
            vec!["Al-Owja, Iraq", "Baghdad, Iraq"]
        );
        assert_eq!(
            birth_places("(1) Tripoli (2) Tunis", "Libya"),
            vec!["Tripoli, Libya", "Tunis, Libya"]
        );
        assert_eq!(birth_places("", "Russia"), vec!["Russia"]);
        assert_eq!(
            pair_details(
                "(1) 223611 (2) C00146605",
                "(1) Libya number (2) British passport number"
            ),
            vec![
                ("223611", Some("Libya number")),
                ("C00146605", Some("British passport number"))
            ]
        );
        assert_eq!(
            pair_details("(1) A1 (2) B2", "Issued in Jordan"),
            vec![
                ("A1", Some("Issued in Jordan")),
                ("B2", Some("Issued in Jordan"))
            ]
        );
    }

    #[test]
    fn reads_tagged_other_information() {
        let text = "(UK Sanctions List Ref):DPR0100. Pursuant to resolution 2371 (2017). \
                    (IMO number):7408873 (Current owners):Korea Samjong Shipping \
                    (Flag of ship):North Korea (Year built):1975";
        let tags = tagged_values(text);
        assert_eq!(tags[0].0, Tag::FirstWord("uk_sanctions_list_ref"));
        assert!(tags[0].1.starts_with("DPR0100."));
        assert_eq!(tags[1], (Tag::Imo, "7408873"));
        assert_eq!(
            tags[2],
            (Tag::Items("vessel_owner"), "Korea Samjong Shipping")
        );
        assert_eq!(tags[3], (Tag::Flag, "North Korea"));
        assert_eq!(tags[4], (Tag::Items("vessel_build_year"), "1975"));
    }

    #[test]
    fn finds_registration_numbers() {
        assert_eq!(
            registration_numbers("1117746568829 (Russia). Tax ID No. 7735579027 (Russia)"),
            vec![
                (IdKind::Registration, "1117746568829"),
                (IdKind::TaxId, "7735579027")
            ]
        );
        assert_eq!(
            registration_numbers("SWIFT/BIN KHJBSDKH / 5040942458"),
            vec![(IdKind::Registration, "5040942458")]
        );
        assert_eq!(
            registration_numbers("Russia INN - 7805060301"),
            vec![(IdKind::TaxId, "7805060301")]
        );
        assert_eq!(
            registration_numbers("1067746244026 dated 27/07/1992. Tax ID: 7705713236"),
            vec![
                (IdKind::Registration, "1067746244026"),
                (IdKind::TaxId, "7705713236")
            ]
        );
        assert_eq!(
            registration_numbers("Legal Entity Number 2534006SJ05GGKETEY75 (Russia)"),
            vec![(IdKind::Lei, "2534006SJ05GGKETEY75")]
        );
    }

    #[test]
    fn reads_references_to_other_entries() {
        let links = ofsi_references(
            "Oil tanker. Listed as asset of Korea Samjong Shipping (OFSI ID: 13635, UN Ref KPe.064)",
        );
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].relation, Relation::OwnedBy);
        assert_eq!(links[0].target_id.as_deref(), Some("uk-hmt:13635"));
        assert!(ofsi_references("OFSI ID: none").is_empty());
    }

    #[test]
    fn maps_alias_types() {
        assert_eq!(name_kind("Primary name", None), NameKind::Primary);
        assert_eq!(
            name_kind("AKA", Some("Good quality")),
            NameKind::StrongAlias
        );
        assert_eq!(name_kind("AKA", Some("Low quality")), NameKind::WeakAlias);
        assert_eq!(
            name_kind("Primary name variation", None),
            NameKind::StrongAlias
        );
        assert_eq!(name_kind("FKA", None), NameKind::FormerName);
    }

    #[test]
    fn converts_cells() {
        assert_eq!(cell_text(&Data::Float(15672.0)).as_deref(), Some("15672"));
        assert_eq!(cell_text(&Data::Int(1964)).as_deref(), Some("1964"));
        assert_eq!(cell_text(&Data::String("  ".into())), None);
        // 45761 is 2025-04-14 in Excel's 1900 date system.
        let date = ExcelDateTime::new(45761.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(
            cell_text(&Data::DateTime(date)).as_deref(),
            Some("2025-04-14")
        );
        assert_eq!(
            cell_text(&Data::DateTimeIso("2025-04-14T00:00:00".into())).as_deref(),
            Some("2025-04-14")
        );
    }

    #[test]
    fn maps_countries_with_qualifiers() {
        assert_eq!(
            country_code("Iraq (previous address)").as_deref(),
            Some("iq")
        );
        assert_eq!(
            country_code("Occupied Palestinian Territories").as_deref(),
            Some("ps")
        );
        assert_eq!(
            country_codes("Estonia, Russia"),
            Some(vec!["ee".to_string(), "ru".to_string()])
        );
        assert_eq!(
            property_key("Current owner/operator(s)"),
            "current_owner_operator_s"
        );
    }
}
