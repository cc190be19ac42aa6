//! Japan's asset-freeze list (Ministry of Finance, 外為法に基づく資産凍結等の措置,
//! `shisantouketsu*.xlsx`).
//!
//! # The format
//!
//! One workbook, one sheet per regime after an index sheet (`一覧`): `29.ロシア連邦(個人)`
//! (Russia, persons), `28.ロシア連邦(団体(特定銀行を除く))` (Russia, organisations),
//! `15.北朝鮮(決議1718号等；個人)` (DPRK), `3.テロリスト等 (1)` … A sheet opens with a
//! title and notes, then a header row in Japanese whose columns differ from sheet to
//! sheet; every sheet has `告示日付` (notice date), `告示番号` (notice number),
//! `日本語表記` (the name in Japanese, katakana for foreign names) and `英語表記` (the
//! English name). Others, where present: `別名` / `別称` (aliases, katakana and
//! English, enumerated `(a)…(b)…`), `旧称` (former names), `称号`, `役職`, `肩書等`
//! (titles, offices), `生年月日` (birth date: an Excel date, or `1941年8月20日…`,
//! `1970年`), `出生地`, `国籍`, `旅券番号`, `ID番号`, `住所`/`所在地`, `その他の情報`.
//!
//! A row whose notice date says `削除` (deleted) is a delisting kept for the record:
//! skipped, and counted. Sheets whose name says `【解除】` (regime lifted) hold no
//! measure in force: skipped.
//!
//! # Into the model
//!
//! A party is a sheet's notice number (`jp-mof:29-1`; numbers restart per sheet),
//! its regime the sheet's name without its number. The English name is the primary
//! name and the Japanese one its original-script name, so a katakana query meets the
//! list as MOF writes it. A sheet that says persons (`個人`) or organisations
//! (`団体`, `銀行`) gives the schema; a mixed sheet gives Person to a row with a birth
//! date. The version is dated by the newest notice or revision date in the file.

use calamine::Data;
use redline_model::{
    countries, push_unique, DateValue, Entity, IdKind, Identifier, Name, NameKind, PartialDate,
    Schema, SourceId,
};

use crate::xlsx::{all_sheets, cell_text, date_text, is_blank};
use crate::{InputFile, ParseReport, ParsedList, SourceError};

const SOURCE: SourceId = SourceId::JpMof;

/// What a column holds, by the words of its header.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    NoticeDate,
    NoticeNumber,
    Japanese,
    English,
    Alias,
    FormerName,
    Title,
    BirthDate,
    BirthPlace,
    Nationality,
    Passport,
    IdNumber,
    Address,
    Other,
}

/// Header words, tried in order (`別称・旧称` is an alias column that also holds
/// former names; `旧称` alone is former names).
const HEADERS: [(&str, Column); 17] = [
    ("告示日付", Column::NoticeDate),
    ("告示番号", Column::NoticeNumber),
    ("日本語表記", Column::Japanese),
    ("英語表記", Column::English),
    ("別", Column::Alias),
    ("旧称", Column::FormerName),
    ("称号", Column::Title),
    ("役職", Column::Title),
    ("肩書", Column::Title),
    ("生年月日", Column::BirthDate),
    ("出生地", Column::BirthPlace),
    ("国籍", Column::Nationality),
    ("旅券番号", Column::Passport),
    ("ID番号", Column::IdNumber),
    ("住所", Column::Address),
    ("所在地", Column::Address),
    ("その他", Column::Other),
];

fn column_of(header: &str) -> Option<Column> {
    HEADERS
        .iter()
        .find(|(words, _)| header.contains(words))
        .map(|(_, c)| *c)
}

/// Values that say there is none.
fn present(text: &str) -> Option<&str> {
    let t = text.trim();
    (!t.is_empty() && !matches!(t, "不明" | "なし" | "-" | "－" | "―")).then_some(t)
}

pub fn parse(file: InputFile<'_>) -> Result<ParsedList, SourceError> {
    let sheets = all_sheets(&file, "Japan MOF's asset-freeze list (shisantouketsu.xlsx)")?;
    let mut report = ParseReport::default();
    let mut entities = Vec::new();
    let mut published: Option<String> = None;
    let mut read_sheets = 0;
    for (name, range) in &sheets {
        let Some((number, regime)) = sheet_regime(name) else {
            continue;
        };
        if name.contains("【解除】") {
            report.warn(
                format!("{}:{name}", file.name),
                "regime lifted (【解除】): sheet skipped",
            );
            continue;
        }
        let rows: Vec<&[Data]> = range.rows().collect();
        let Some(header) = rows.iter().position(|r| {
            let texts: Vec<String> = r
                .iter()
                .filter_map(cell_text)
                .map(|t| t.into_owned())
                .collect();
            texts.iter().any(|t| t.contains("告示番号"))
                && texts.iter().any(|t| t.contains("英語表記"))
        }) else {
            return Err(SourceError::invalid(
                file.name,
                format!("sheet {name:?} has no header row with 告示番号 and 英語表記: not MOF's asset-freeze list"),
            ));
        };
        read_sheets += 1;
        let columns: Vec<Option<Column>> = rows[header]
            .iter()
            .map(|c| cell_text(c).and_then(|t| column_of(&t)))
            .collect();
        let first_row = range.start().map_or(1, |(row, _)| row as usize + 1);
        let person_sheet = name.contains("個人");
        let organisation_sheet = name.contains("団体") || name.contains("銀行");
        for (offset, cells) in rows.iter().enumerate().skip(header + 1) {
            if cells.iter().all(is_blank) {
                continue;
            }
            let location = format!("{}:{name}:row {}", file.name, first_row + offset);
            let values = |want: Column| -> Vec<String> {
                columns
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c == Some(want))
                    .filter_map(|(i, _)| cells.get(i).and_then(cell_text))
                    .map(|t| t.into_owned())
                    .collect()
            };
            let first = |want: Column| values(want).into_iter().next();
            let (Some(notice), Some(english)) =
                (first(Column::NoticeNumber), first(Column::English))
            else {
                // A deleted entry keeps only its date and number; notes have neither.
                if first(Column::NoticeDate).is_some_and(|d| d.contains("削除")) {
                    report.records += 1;
                    report.delisted += 1;
                }
                continue;
            };
            report.records += 1;
            let dates = first(Column::NoticeDate).unwrap_or_default();
            if dates.contains("削除") {
                report.delisted += 1;
                continue;
            }
            let notice = notice_number(&notice);
            if notice.is_empty() {
                report.warn(&location, "a row with no notice number");
                continue;
            }
            let birth_dates: Vec<DateValue> = values(Column::BirthDate)
                .iter()
                .flat_map(|b| birth_dates(b))
                .collect();
            let schema = if person_sheet || !organisation_sheet && !birth_dates.is_empty() {
                Schema::Person
            } else {
                Schema::Organization
            };
            let mut entity = Entity::new(SOURCE, &format!("{number}-{notice}"), schema);
            // `ABD EL KADER …\n(original script: عبد القادر …)`.
            let mut lines = english.lines().map(str::trim).filter(|l| !l.is_empty());
            entity.add_name(Name::new(
                lines.next().unwrap_or_default(),
                NameKind::Primary,
            ));
            for line in lines {
                let inner = line.trim_start_matches('(').trim_end_matches(')');
                match inner.split_once(':') {
                    Some((label, name)) if label.trim().eq_ignore_ascii_case("original script") => {
                        entity.add_name(Name::new(name.trim(), NameKind::OriginalScript))
                    }
                    _ => entity.add_name(Name::new(inner.trim(), NameKind::StrongAlias)),
                }
            }
            if let Some(japanese) = first(Column::Japanese).as_deref().and_then(present) {
                entity.add_name(Name::new(japanese, NameKind::OriginalScript));
            }
            for (column, kind) in [
                (Column::Alias, NameKind::StrongAlias),
                (Column::FormerName, NameKind::FormerName),
            ] {
                for cell in values(column) {
                    for alias in items(&cell).into_iter().filter_map(without_description) {
                        let kind = if kind == NameKind::StrongAlias && is_japanese(alias) {
                            NameKind::OriginalScript
                        } else {
                            kind
                        };
                        entity.add_name(Name::new(alias, kind));
                    }
                }
            }
            if birth_dates.is_empty() {
                for b in values(Column::BirthDate)
                    .into_iter()
                    .filter(|b| present(b).is_some())
                {
                    report.warn(&location, format!("unreadable birth date {b:?}"));
                    entity.add_property("birth_date_text", b);
                }
            }
            entity.birth_dates = birth_dates;
            for place in values(Column::BirthPlace) {
                if let Some(p) = present(&place) {
                    push_unique(&mut entity.birth_places, p.to_string());
                }
            }
            for cell in values(Column::Nationality) {
                for n in items(&cell) {
                    match countries::to_code(n) {
                        Some(code) => push_unique(&mut entity.nationalities, code),
                        None => entity.add_property("nationality_text", n),
                    }
                }
            }
            for (column, kind) in [
                (Column::Passport, IdKind::Passport),
                (Column::IdNumber, IdKind::NationalId),
            ] {
                for cell in values(column) {
                    for value in items(&cell) {
                        entity.identifiers.push(Identifier {
                            kind: kind.clone(),
                            value: value.to_string(),
                            country: None,
                            note: None,
                        });
                    }
                }
            }
            for cell in values(Column::Address) {
                for a in items(&cell) {
                    crate::add_written_address(&mut entity, a);
                }
            }
            for title in values(Column::Title) {
                entity.add_property("position", title);
            }
            for other in values(Column::Other) {
                entity.remarks = Some(other);
            }
            entity.programs.push(regime.to_string());
            entity.add_property("notice_dates", dates.clone());
            let listed = notice_dates(&dates);
            entity.listed_on = listed.first().cloned();
            if let Some(newest) = listed.iter().max() {
                if published.as_deref() < Some(newest.as_str()) {
                    published = Some(newest.clone());
                }
            }
            entities.push(entity);
        }
    }
    if read_sheets == 0 || entities.is_empty() {
        return Err(SourceError::invalid(
            file.name,
            "no regime sheet with parties: not MOF's asset-freeze list",
        ));
    }
    Ok(ParsedList::new(SOURCE, published, entities, report))
}

/// A regime sheet's number and regime (`29.ロシア連邦(個人)` → 29, `ロシア連邦(個人)`);
/// `None` for the index sheet.
fn sheet_regime(name: &str) -> Option<(u32, &str)> {
    let (number, regime) = name.trim().split_once('.')?;
    let number = number.trim().parse().ok()?;
    Some((number, regime.trim()))
}

/// `1(*186)` → `1`, `*186` → `186`: the number, without the marks and
/// cross-references that say the party is listed under another regime too.
fn notice_number(text: &str) -> String {
    text.trim()
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// The notice and revision dates of a row (`2002.4.20\n2008.12.19改訂`), ISO.
fn notice_dates(text: &str) -> Vec<String> {
    if let Some(iso) = text
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|_| date_text(text.trim()))
    {
        return vec![iso];
    }
    text.lines()
        .filter_map(|line| {
            let digits: Vec<u32> = line
                .split(|c: char| !c.is_ascii_digit())
                .filter(|p| !p.is_empty())
                .filter_map(|p| p.parse().ok())
                .collect();
            match digits.as_slice() {
                [y, m, d, ..]
                    if (1990..2100).contains(y) && (1..=12).contains(m) && (1..=31).contains(d) =>
                {
                    Some(format!("{y:04}-{m:02}-{d:02}"))
                }
                _ => None,
            }
        })
        .collect()
}

/// Birth dates as MOF writes them: an Excel date, `1941年8月20日…生`, `1970年生`,
/// several enumerated; the English restatement on the next line is not read twice.
fn birth_dates(text: &str) -> Vec<DateValue> {
    let t = text.trim();
    if t.chars().all(|c| c.is_ascii_digit()) {
        // A year typed as a number, or an Excel date left as its serial.
        let year = t.parse::<i32>().ok().filter(|y| (1850..2100).contains(y));
        let date = match year {
            Some(year) => Some(PartialDate {
                year,
                month: None,
                day: None,
            }),
            None => date_text(t).and_then(|iso| PartialDate::parse_iso(&iso)),
        };
        return date
            .map(|d| DateValue::exact(d, text))
            .into_iter()
            .collect();
    }
    if let Some(d) = PartialDate::parse_iso(t) {
        // A cell formatted as a date.
        return vec![DateValue::exact(d, text)];
    }
    let mut out = Vec::new();
    // `1966/2/2`, year first.
    for piece in text.split(|c: char| !(c.is_ascii_digit() || c == '/')) {
        let parts: Vec<&str> = piece.split('/').collect();
        if let [y, m, d] = parts.as_slice() {
            if let Some(date) = PartialDate::parse_iso(&format!("{y}-{m:0>2}-{d:0>2}")) {
                out.push(DateValue::exact(date, text));
            }
        }
    }
    let mut rest = text;
    while let Some(at) = rest.find('年') {
        let before = rest[..at].trim_end();
        let year: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after = &rest[at + '年'.len_utf8()..];
        let number = |s: &str, unit: char| -> Option<(u8, usize)> {
            let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
            let n = digits.parse().ok()?;
            s[digits.len()..]
                .starts_with(unit)
                .then_some((n, digits.len() + unit.len_utf8()))
        };
        if let Ok(year) = year.parse::<i32>() {
            if (1850..2100).contains(&year) {
                let month = number(after, '月');
                let day = month.and_then(|(_, used)| number(&after[used..], '日'));
                let date = PartialDate {
                    year,
                    month: month.map(|m| m.0).filter(|m| (1..=12).contains(m)),
                    day: day.map(|d| d.0).filter(|d| (1..=31).contains(d)),
                };
                if !out.iter().any(|d: &DateValue| d.date == date) {
                    out.push(DateValue::exact(date, text));
                }
            }
        }
        rest = after;
    }
    out
}

/// The items of an enumerated cell (`(a)X(b)Y`, `（ａ）…`, one per line, `；`): each
/// trimmed, without its marker.
/// An alias without the description the sheet sometimes writes after it (`Mansour
/// Thaer, born 21 March 1974 in Baghdad, Iraq`): a birth is no part of a name, and
/// its place would make `Baghdad` a listed person's name word. `None` when nothing
/// is left.
fn without_description(alias: &str) -> Option<&str> {
    let lower = alias.to_ascii_lowercase();
    let cut = [", born ", " born ", "(born "]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
        .unwrap_or(alias.len());
    let name = alias[..cut].trim_end_matches([',', ' ', '(']).trim();
    (!name.is_empty()).then_some(name)
}

fn items(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.split(['\n', '；', ';']) {
        let mut start = 0;
        let mut pieces = Vec::new();
        let bytes: Vec<(usize, char)> = line.char_indices().collect();
        let mut k = 0;
        while k < bytes.len() {
            let (i, c) = bytes[k];
            let open = c == '(' || c == '（';
            let marker = open
                && bytes
                    .get(k + 1)
                    .is_some_and(|(_, l)| l.is_ascii_lowercase() || ('ａ'..='ｚ').contains(l))
                && bytes
                    .get(k + 2)
                    .is_some_and(|(_, close)| *close == ')' || *close == '）');
            if marker {
                pieces.push(&line[start..i]);
                start = bytes.get(k + 3).map_or(line.len(), |(j, _)| *j);
                k += 3;
                continue;
            }
            k += 1;
        }
        pieces.push(&line[start..]);
        for p in pieces {
            let mut p = p.trim().trim_start_matches(['(', '（']).trim();
            // `(a.k.a.: (a)Al Wafa …`: the label is no name.
            for label in ["a.k.a.:", "f.k.a.:", "original script:"] {
                let head = p.get(..label.len());
                if head.is_some_and(|h| h.eq_ignore_ascii_case(label)) {
                    p = p[label.len()..].trim();
                }
            }
            let p = p.trim_end_matches([')', '）', ',', '、']).trim();
            if let Some(p) = present(p) {
                out.push(p);
            }
        }
    }
    out
}

/// Written in Japanese (kana or kanji), not Latin letters.
fn is_japanese(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{3040}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF66}'..='\u{FF9F}')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_as_mof_writes_them() {
        assert_eq!(notice_number("1(*186)"), "1");
        assert_eq!(notice_number("*186"), "186");
        assert_eq!(
            without_description("Mansour Thaer, born 21 March 1974 in Baghdad, Iraq"),
            Some("Mansour Thaer")
        );
        assert_eq!(without_description("Al Wafa"), Some("Al Wafa"));
        assert_eq!(
            items(" (a.k.a.: (a)Al Wafa (b)Al Wafa Organization)"),
            ["Al Wafa", "Al Wafa Organization"]
        );
        assert_eq!(
            notice_dates("2002.4.20\n200812.19改訂\n2024.3.22改訂"),
            ["2002-04-20", "2024-03-22"]
        );
        let dates =
            birth_dates("1941年8月20日セルビア共和国ポジャレヴァッツ生\nBorn on 20 August 1941");
        assert_eq!(dates.len(), 1);
        assert_eq!(
            dates[0].date,
            PartialDate {
                year: 1941,
                month: Some(8),
                day: Some(20)
            }
        );
        assert_eq!(birth_dates("1970年生\nBorn 1970")[0].date.month, None);
        assert_eq!(
            birth_dates("19274")[0].date,
            PartialDate::parse_iso("1952-10-07").unwrap()
        );
        assert_eq!(
            items("(a)アル・ラシード信託(b)ウレマ援助組織\n(a)Al-Rasheed Trust (b) Aid Organization of the Ulema)"),
            ["アル・ラシード信託", "ウレマ援助組織", "Al-Rasheed Trust", "Aid Organization of the Ulema"]
        );
        assert_eq!(
            items("ユン・ホチン\nYun Ho-chin"),
            ["ユン・ホチン", "Yun Ho-chin"]
        );
        assert!(items("不明").is_empty());
        assert_eq!(
            sheet_regime("29.ロシア連邦(個人)"),
            Some((29, "ロシア連邦(個人)"))
        );
        assert_eq!(sheet_regime("一覧"), None);
    }
}
