//! Dates as lists write them: full, month-only, year-only, circa, ranges.
//!
//! A list's "DOB circa 1960" and "DOB 1955 to 1958" are evidence of a different
//! strength than "DOB 07 Oct 1952"; [`DateValue`] keeps the precision so the scorer
//! can tell an exact match from a same-year one from a contradiction.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A date known to the day, the month or only the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PartialDate {
    pub year: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// Parses ISO forms `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (a time part is ignored).
    pub fn parse_iso(s: &str) -> Option<PartialDate> {
        let s = s.trim();
        let s = s.split('T').next().unwrap_or(s);
        let mut parts = s.split('-');
        let year = parse_year(parts.next()?)?;
        let month = match parts.next() {
            Some(m) => Some(parse_range(m, 1, 12)?),
            None => None,
        };
        let day = match parts.next() {
            Some(d) if month.is_some() => Some(parse_range(d, 1, 31)?),
            Some(_) => return None,
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    pub fn precision(&self) -> &'static str {
        match (self.month, self.day) {
            (Some(_), Some(_)) => "day",
            (Some(_), None) => "month",
            _ => "year",
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

fn parse_year(s: &str) -> Option<i32> {
    let s = s.trim();
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s.parse().ok()?;
    (1000..=2999).contains(&y).then_some(y)
}

fn parse_range(s: &str, lo: u8, hi: u8) -> Option<u8> {
    let s = s.trim();
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: u8 = s.parse().ok()?;
    (lo..=hi).contains(&v).then_some(v)
}

fn month_from_name(s: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = s.trim().trim_end_matches('.').to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u8 + 1)
}

/// A date as a list states it: one date or a range, possibly approximate, with the
/// list's text kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateValue {
    pub date: PartialDate,
    /// Last date of a range ("1955 to 1958").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    /// The list says "circa" / "approximately".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub circa: bool,
    /// The text as the list wrote it.
    pub raw: String,
}

impl DateValue {
    pub fn exact(date: PartialDate, raw: &str) -> Self {
        DateValue {
            date,
            end: None,
            circa: false,
            raw: raw.trim().to_string(),
        }
    }

    /// Parses the date notations found in sanctions lists:
    /// `07 Oct 1952`, `Oct 1952`, `1952`, `circa 1960`, `1955 to 1958`, `1955 - 1958`,
    /// `1952-10-07`, `07/10/1952` and `00/00/1964` (day-first; zeros mean unknown).
    pub fn parse(raw: &str) -> Option<DateValue> {
        let text = raw.trim().trim_end_matches(['.', ';', ',']).trim();
        if text.is_empty() {
            return None;
        }
        let lower = text.to_ascii_lowercase();
        for prefix in ["circa", "approximately", "approx.", "approx", "ca.", "c."] {
            if let Some(rest) = lower.strip_prefix(prefix) {
                let mut value = DateValue::parse(&text[text.len() - rest.len()..])?;
                value.circa = true;
                value.raw = raw.trim().to_string();
                return Some(value);
            }
        }
        for sep in [" to ", " - ", " – ", "–"] {
            if let Some(pos) = lower.find(sep) {
                let start = parse_single(&text[..pos])?;
                let end = parse_single(&text[pos + sep.len()..])?;
                return Some(DateValue {
                    date: start,
                    end: Some(end),
                    circa: false,
                    raw: raw.trim().to_string(),
                });
            }
        }
        parse_single(text).map(|d| DateValue::exact(d, raw))
    }

    /// `day`, `month`, `year`, `circa` or `range`.
    pub fn precision(&self) -> &'static str {
        if self.end.is_some() {
            "range"
        } else if self.circa {
            "circa"
        } else {
            self.date.precision()
        }
    }

    /// The range of years this value covers (circa widens it by one year each way).
    pub fn year_span(&self) -> (i32, i32) {
        let end = self.end.map(|e| e.year).unwrap_or(self.date.year);
        if self.circa {
            (self.date.year - 1, end + 1)
        } else {
            (self.date.year, end)
        }
    }
}

impl fmt::Display for DateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.circa {
            f.write_str("circa ")?;
        }
        write!(f, "{}", self.date)?;
        if let Some(end) = self.end {
            write!(f, " to {end}")?;
        }
        Ok(())
    }
}

fn parse_single(text: &str) -> Option<PartialDate> {
    let text = text.trim();
    if let Some(d) = PartialDate::parse_iso(text) {
        return Some(d);
    }
    // Day first with slashes (`07/10/1952`, lists and most of the world) or dots
    // (`07.10.1952`, German, Russian and other European records).
    let separator = ['/', '.']
        .into_iter()
        .find(|&sep| text.contains(sep) && text.chars().all(|c| c.is_ascii_digit() || c == sep));
    if let Some(sep) = separator {
        let parts: Vec<&str> = text.split(sep).map(str::trim).collect();
        return match parts.as_slice() {
            [d, m, y] => {
                let year = parse_year(y)?;
                let month = parse_range(m, 0, 12)?;
                let day = parse_range(d, 0, 31)?;
                Some(match (month, day) {
                    (0, _) => PartialDate::year(year),
                    (m, 0) => PartialDate {
                        year,
                        month: Some(m),
                        day: None,
                    },
                    (m, d) => PartialDate {
                        year,
                        month: Some(m),
                        day: Some(d),
                    },
                })
            }
            [m, y] => Some(PartialDate {
                year: parse_year(y)?,
                month: Some(parse_range(m, 1, 12)?),
                day: None,
            }),
            _ => None,
        };
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [d, m, y] => Some(PartialDate {
            year: parse_year(y)?,
            month: Some(month_from_name(m)?),
            day: Some(parse_range(d, 1, 31)?),
        }),
        [m, y] => Some(PartialDate {
            year: parse_year(y)?,
            month: Some(month_from_name(m)?),
            day: None,
        }),
        [y] => Some(PartialDate::year(parse_year(y)?)),
        _ => None,
    }
}

/// The day number (days since 1970-01-01) of a date written `YYYY-MM-DD`, or of the
/// date part of an RFC 3339 time; None if it is neither.
pub fn day_number(text: &str) -> Option<i64> {
    let date = text.get(..10)?;
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days-from-civil (Howard Hinnant's algorithm), the inverse of the one below.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The day of an HTTP date (`Last-Modified: Fri, 03 May 2024 14:02:11 GMT`, RFC 9110's
/// IMF-fixdate), as `YYYY-MM-DD`.
pub fn http_date_day(text: &str) -> Option<String> {
    let mut words = text.split_whitespace().skip(1);
    let (day, month, year) = (words.next()?, words.next()?, words.next()?);
    let month = month_from_name(month)?;
    let (day, year): (u8, i32) = (day.parse().ok()?, year.parse().ok()?);
    let iso = format!("{year:04}-{month:02}-{day:02}");
    day_number(&iso).map(|_| iso)
}

/// A point in time as RFC 3339 in UTC, second precision (`2026-11-27T23:15:38Z`),
/// without a date-time dependency: load times and decision times are written this way.
pub fn rfc3339(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        iso_of_day(days),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The day `days` after 1970-01-01 (before it, if negative) as `YYYY-MM-DD`: the
/// inverse of [`day_number`].
pub fn iso_of_day(days: i64) -> String {
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_list_notations() {
        let d = DateValue::parse("07 Oct 1952").unwrap();
        assert_eq!(d.date.to_string(), "1952-10-07");
        assert_eq!(d.precision(), "day");
        assert_eq!(DateValue::parse("Oct 1952").unwrap().precision(), "month");
        assert_eq!(DateValue::parse("1952").unwrap().precision(), "year");
        let c = DateValue::parse("circa 1960").unwrap();
        assert!(c.circa);
        assert_eq!(c.year_span(), (1959, 1961));
        let r = DateValue::parse("1955 to 1958").unwrap();
        assert_eq!(r.precision(), "range");
        assert_eq!(r.year_span(), (1955, 1958));
        assert_eq!(
            DateValue::parse("00/00/1964").unwrap().date,
            PartialDate::year(1964)
        );
        assert_eq!(
            DateValue::parse("25/12/1970").unwrap().date.to_string(),
            "1970-12-25"
        );
        assert_eq!(
            DateValue::parse("1970-12-25").unwrap().date.to_string(),
            "1970-12-25"
        );
        assert!(DateValue::parse("unknown").is_none());
        assert!(DateValue::parse("1952-13-01").is_none());
    }

    #[test]
    fn day_numbers_count_from_the_epoch_and_invert_rfc3339() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2024-05-03"), Some(19_846));
        assert_eq!(day_number("2026-12-07T05:26:36Z"), Some(20_794));
        assert_eq!(
            day_number("2024-02-29").map(|d| d + 1),
            day_number("2024-03-01")
        );
        for secs in [0_u64, 951_782_400, 1_714_694_400, 1_796_000_000] {
            let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
            assert_eq!(day_number(&rfc3339(t)), Some(secs as i64 / 86_400));
        }
        assert_eq!(day_number("2024-13-01"), None);
        assert_eq!(
            http_date_day("Fri, 03 May 2024 14:02:11 GMT").as_deref(),
            Some("2024-05-03")
        );
        assert_eq!(http_date_day("yesterday"), None);
        assert_eq!(day_number("May 2024"), None);
    }

    #[test]
    fn rfc3339_is_utc_seconds() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_822_214);
        assert_eq!(super::rfc3339(t), "2026-11-27T23:30:14Z");
        assert_eq!(
            super::rfc3339(std::time::UNIX_EPOCH),
            "1970-01-01T00:00:00Z"
        );
    }
}
