//! Reading the lists published as Excel workbooks (OFSI, DFAT, Japan MOF): the first
//! sheet or every sheet, and a cell as the text a person sees in it.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};

use crate::{InputFile, SourceError};

/// The first worksheet of an XLSX file; `expected` names the publication for the
/// error when the file is no workbook.
pub(crate) fn first_sheet(
    file: &InputFile<'_>,
    expected: &str,
) -> Result<Range<Data>, SourceError> {
    let mut workbook = Xlsx::new(Cursor::new(file.bytes)).map_err(|e| {
        SourceError::invalid(
            file.name,
            format!("not a valid XLSX workbook ({e}); expected {expected}"),
        )
    })?;
    let sheet = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| SourceError::invalid(file.name, "the XLSX workbook has no worksheet"))?;
    workbook.worksheet_range(&sheet).map_err(|e| {
        SourceError::invalid(
            file.name,
            format!("not a valid XLSX workbook: worksheet {sheet:?} cannot be read ({e})"),
        )
    })
}

/// Every worksheet of an XLSX file, by name, in the workbook's order.
pub(crate) fn all_sheets(
    file: &InputFile<'_>,
    expected: &str,
) -> Result<Vec<(String, Range<Data>)>, SourceError> {
    let mut workbook = Xlsx::new(Cursor::new(file.bytes)).map_err(|e| {
        SourceError::invalid(
            file.name,
            format!("not a valid XLSX workbook ({e}); expected {expected}"),
        )
    })?;
    workbook
        .sheet_names()
        .into_iter()
        .map(|sheet| {
            let range = workbook.worksheet_range(&sheet).map_err(|e| {
                SourceError::invalid(
                    file.name,
                    format!("not a valid XLSX workbook: worksheet {sheet:?} cannot be read ({e})"),
                )
            })?;
            Ok((sheet, range))
        })
        .collect()
}

/// A cell as text: strings trimmed, whole numbers without a decimal point, Excel
/// dates as `YYYY-MM-DD`. Empty cells and formula errors are `None`.
pub(crate) fn cell_text(cell: &Data) -> Option<Cow<'_, str>> {
    let text: Cow<'_, str> = match cell {
        Data::String(s) => Cow::Borrowed(s.trim()),
        // Ids and numbers typed into Excel arrive as floats: 15672.0 is "15672".
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
            Cow::Owned(format!("{}", *f as i64))
        }
        Data::Float(f) => Cow::Owned(f.to_string()),
        Data::Int(i) => Cow::Owned(i.to_string()),
        Data::Bool(b) => Cow::Owned(b.to_string()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (year, month, day, ..) = dt.to_ymd_hms_milli();
            Cow::Owned(format!("{year:04}-{month:02}-{day:02}"))
        }
        Data::DateTime(dt) => Cow::Owned(dt.as_f64().to_string()),
        // A date with a time: only the date is meaningful in the list.
        Data::DateTimeIso(s) => Cow::Borrowed(s.split('T').next().unwrap_or(s).trim()),
        Data::DurationIso(s) => Cow::Borrowed(s.trim()),
        Data::Error(_) | Data::Empty => return None,
    };
    (!text.is_empty()).then_some(text)
}

pub(crate) fn is_blank(cell: &Data) -> bool {
    cell_text(cell).is_none()
}

/// A date cell as `YYYY-MM-DD`: an Excel date, or a bare serial number of days since
/// 1899-12-30 when the publisher did not format the cell as a date (DFAT's `41988`).
pub(crate) fn date_text(text: &str) -> Option<String> {
    if redline_model::date::day_number(text).is_some() {
        return Some(text.get(..10)?.to_string());
    }
    let serial: i64 = text.parse().ok().filter(|s| (1..2_958_466).contains(s))?;
    // 25,569 is 1970-01-01's serial; birth dates come before it.
    Some(redline_model::date::iso_of_day(serial - 25_569))
}
