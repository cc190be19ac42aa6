//! Japan's End User List (Ministry of Economy, Trade and Industry, `end_user_list.xlsx`):
//! foreign companies and organisations of concern for weapons of mass destruction,
//! an export-control list — exports to them need care (catch-all controls), where an
//! asset-freeze list forbids dealing.
//!
//! # The format
//!
//! One sheet (`ユーザーリスト`), one row per party under a bilingual header: `No.`,
//! `国名、地域名 / Country or Region` (Japanese, then English on the next line),
//! `企業名､組織名 / Company or Organization` (the English name, sometimes its own name
//! in parentheses on the next line: `Air Koryo\n(高麗航空)`), `別名 / Also Known As`
//! (one per line, each after `・`), `懸念区分 / Type of WMD` (Japanese, then the
//! codes `B,C,M,N`: biological, chemical, missile, nuclear) and `通常兵器 /
//! Conventional Weapons` (`CW` when listed for them too).
//!
//! # Into the model
//!
//! An organisation per number (`jp-meti:299`), its country among its countries, the
//! concerns as properties, and `METI-EUL` as its programme. The workbook states no
//! date: a version is dated by its load, or by `--published`.

use calamine::Data;
use redline_model::{countries, push_unique, Entity, Name, NameKind, Schema, SourceId};

use crate::xlsx::{cell_text, first_sheet, is_blank};
use crate::{InputFile, ParseReport, ParsedList, SourceError};

const SOURCE: SourceId = SourceId::JpMeti;
/// The programme every entry carries.
pub const PROGRAM: &str = "METI-EUL";

/// Columns by a word of their bilingual header.
const HEADERS: [&str; 6] = [
    "No.",
    "Country or Region",
    "Company or Organization",
    "Also Known As",
    "Type of WMD",
    "Conventional Weapons",
];

pub fn parse(file: InputFile<'_>) -> Result<ParsedList, SourceError> {
    let sheet = first_sheet(&file, "Japan METI's End User List (xlsx)")?;
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let text = |cell: &Data| cell_text(cell).map(|t| t.into_owned()).unwrap_or_default();
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| text(c).contains(HEADERS[2])))
        .ok_or_else(|| {
            SourceError::invalid(
                file.name,
                "no \"Company or Organization\" header: not METI's End User List",
            )
        })?;
    let mut at = [usize::MAX; HEADERS.len()];
    for (slot, words) in at.iter_mut().zip(HEADERS) {
        *slot = rows[header]
            .iter()
            .position(|c| text(c).contains(words))
            .ok_or_else(|| {
                SourceError::invalid(file.name, format!("no {words:?} column in the header row"))
            })?;
    }
    let first_row = sheet.start().map_or(1, |(row, _)| row as usize + 1);
    let mut report = ParseReport::default();
    let mut entities = Vec::new();
    for (offset, cells) in rows.iter().enumerate().skip(header + 1) {
        if cells.iter().all(is_blank) {
            continue;
        }
        report.records += 1;
        let location = format!("{}:row {}", file.name, first_row + offset);
        let get = |column: usize| cells.get(at[column]).map(text).unwrap_or_default();
        let (number, name) = (get(0), get(2));
        let mut lines = name.lines().map(str::trim).filter(|l| !l.is_empty());
        let Some(primary) = lines.next().filter(|_| !number.trim().is_empty()) else {
            report.warn(&location, "a row with no number or no name");
            continue;
        };
        let mut entity = Entity::new(SOURCE, number.trim(), Schema::Organization);
        entity.add_name(Name::new(primary, NameKind::Primary));
        for own in lines {
            let own = own
                .trim_start_matches(['(', '（'])
                .trim_end_matches([')', '）']);
            entity.add_name(Name::new(own.trim(), kind_of(own)));
        }
        for alias in get(3).lines() {
            let alias = alias.trim().trim_start_matches('・').trim();
            if !alias.is_empty() {
                entity.add_name(Name::new(alias, kind_of(alias)));
            }
        }
        let country = get(1);
        let code = country
            .lines()
            .rev()
            .chain(country.lines())
            .find_map(|l| countries::to_code(l.trim()));
        match code {
            Some(code) => push_unique(&mut entity.countries, code),
            None if !country.trim().is_empty() => {
                entity.add_property("country_text", country.trim());
                report.warn(&location, format!("unknown country {:?}", country.trim()));
            }
            None => {}
        }
        // The codes are on the cell's last line: `生物、化学\nB,C`.
        if let Some(codes) = get(4)
            .lines()
            .last()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            entity.add_property("wmd_concern", codes);
        }
        if !get(5).trim().is_empty() {
            entity.add_property("conventional_weapons", "CW");
        }
        entity.programs.push(PROGRAM.to_string());
        entities.push(entity);
    }
    if entities.is_empty() {
        return Err(SourceError::invalid(file.name, "the sheet lists no party"));
    }
    Ok(ParsedList::new(SOURCE, None, entities, report))
}

/// A name in Latin letters (accents included) is an alias; one in another script the
/// party's own name as written there.
fn kind_of(name: &str) -> NameKind {
    if name
        .chars()
        .any(|c| c.is_alphabetic() && u32::from(c) > 0x24F)
    {
        NameKind::OriginalScript
    } else {
        NameKind::StrongAlias
    }
}
