//! Shares as exact fixed-point numbers, and the periods a stake is in force.
//!
//! The 50 % rule is a threshold test on a sum: 49.9 % is not blocked, 25 % + 25 % is.
//! Summing `f64` percentages would make that test depend on rounding (0.1 + 0.2 is not
//! 0.3), so a share is kept as an integer number of millionths of a percent and sums
//! are integer sums: the threshold comparison is exact. Text is parsed as a decimal
//! without going through `f64`, so `49.9` is exactly 49 900 000 millionths.
//!
//! Dates are kept as `YYYYMMDD` integers so the hot loop compares two `u32`s. A partial
//! date widens the period: a stake that started in "2015" is taken as in force from
//! the first day of 2015, one that ended in "2023-03" until the last day of March,
//! because the data does not say when within that year or month.

use std::fmt;

use redline_model::PartialDate;
use serde::{Serialize, Serializer};

/// A share of an entity, in millionths of a percent (100 % = 100 000 000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(u32);

/// Why a percentage could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// Not a decimal number (`abc`, `1e2`, `NaN`).
    Unparsable,
    /// A number, but outside 0..=100.
    OutOfRange,
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ShareError::Unparsable => "not a decimal percentage",
            ShareError::OutOfRange => "outside 0..=100",
        })
    }
}

impl Share {
    /// Millionths of a percent per percent.
    pub const SCALE: u32 = 1_000_000;
    /// 100 %.
    pub const FULL: Share = Share(100 * Share::SCALE);
    /// 50 %: the threshold of both rules ("50 percent or more").
    pub const HALF: Share = Share(50 * Share::SCALE);

    /// A share from millionths of a percent; `None` above 100 %.
    pub fn from_micros(micros: u32) -> Option<Share> {
        (micros <= Share::FULL.0).then_some(Share(micros))
    }

    /// A share from a percentage as a float (what `Link::percentage` holds), rounded
    /// to the nearest millionth of a percent: the parsers produce `f64` from decimal
    /// text, and rounding recovers that text's exact value (`49.9` → 49 900 000).
    pub fn from_percent(percent: f64) -> Result<Share, ShareError> {
        if !percent.is_finite() {
            return Err(ShareError::Unparsable);
        }
        if !(0.0..=100.0).contains(&percent) {
            return Err(ShareError::OutOfRange);
        }
        // In range, so the product fits a u32 (at most 1e8).
        Ok(Share((percent * f64::from(Share::SCALE)).round() as u32))
    }

    /// Reads `50`, `50%`, `25.5`, `25,5` exactly. Returns the share and whether it had
    /// to be rounded (more than six decimals), which callers report.
    pub fn parse(text: &str) -> Result<(Share, bool), ShareError> {
        let text = text.trim();
        let text = text.strip_suffix('%').unwrap_or(text).trim();
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        // A comma is a decimal separator only when there is no point (European style);
        // `1,000.5` is not a percentage anyone writes.
        let sep = if text.contains('.') { '.' } else { ',' };
        let (int, frac) = match text.split_once(sep) {
            Some((i, f)) => (i, f),
            None => (text, ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
            return Err(ShareError::Unparsable);
        }
        let int_value: u64 = if int.is_empty() {
            0
        } else if int.trim_start_matches('0').len() > 3 {
            return Err(ShareError::OutOfRange);
        } else {
            int.parse().map_err(|_| ShareError::Unparsable)?
        };
        let frac_nonzero = frac.bytes().any(|b| b != b'0');
        if negative && (int_value > 0 || frac_nonzero) {
            return Err(ShareError::OutOfRange);
        }
        if int_value > 100 || (int_value == 100 && frac_nonzero) {
            return Err(ShareError::OutOfRange);
        }
        let mut micros = int_value * u64::from(Share::SCALE);
        let mut scale = u64::from(Share::SCALE) / 10;
        for b in frac.bytes().take(6) {
            micros += u64::from(b - b'0') * scale;
            scale /= 10;
        }
        let rounded = frac.len() > 6 && frac.bytes().skip(6).any(|b| b != b'0');
        if frac.len() > 6 && frac.as_bytes()[6] >= b'5' {
            micros += 1;
        }
        // Checked above: at most 100, so at most 1e8 (+1 from rounding below 100).
        let micros = u32::try_from(micros).map_err(|_| ShareError::OutOfRange)?;
        Share::from_micros(micros)
            .map(|s| (s, rounded))
            .ok_or(ShareError::OutOfRange)
    }

    pub fn micros(self) -> u32 {
        self.0
    }

    /// The share as a percentage, for output.
    pub fn percent(self) -> f64 {
        f64::from(self.0) / f64::from(Share::SCALE)
    }
}

/// A sum of millionths as a percentage, for output.
pub(crate) fn micros_to_percent(micros: u64) -> f64 {
    micros as f64 / f64::from(Share::SCALE)
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", fmt_percent(u64::from(self.0)))
    }
}

/// `50`, `49.9`, `33.333333`: as many decimals as the value has, no float noise.
pub(crate) fn fmt_percent(micros: u64) -> String {
    let scale = u64::from(Share::SCALE);
    let (int, frac) = (micros / scale, micros % scale);
    if frac == 0 {
        int.to_string()
    } else {
        let frac = format!("{frac:06}");
        format!("{int}.{}", frac.trim_end_matches('0'))
    }
}

impl Serialize for Share {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.percent())
    }
}

/// `YYYYMMDD` as an integer; 0 and `u32::MAX` are the open ends.
pub(crate) const OPEN_START: u32 = 0;
pub(crate) const OPEN_END: u32 = u32::MAX;

/// When a stake is in force: from `start` to `end`, both inclusive, either open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl Default for Period {
    fn default() -> Self {
        Period::ALWAYS
    }
}

impl Period {
    /// No start, no end: in force whatever the date.
    pub const ALWAYS: Period = Period {
        start: OPEN_START,
        end: OPEN_END,
    };

    /// From ISO dates as the data writes them (`2015`, `2015-11`, `2015-11-25`); an
    /// empty or absent value is an open end. The error names the value that is not a
    /// date, for the caller to report.
    pub fn parse(start: Option<&str>, end: Option<&str>) -> Result<Period, String> {
        let read = |value: Option<&str>, is_end: bool| -> Result<Option<u32>, String> {
            match value.map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => date_key(v, is_end)
                    .map(Some)
                    .ok_or_else(|| format!("{v:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")),
            }
        };
        Ok(Period {
            start: read(start, false)?.unwrap_or(OPEN_START),
            end: read(end, true)?.unwrap_or(OPEN_END),
        })
    }

    pub fn has_end(&self) -> bool {
        self.end != OPEN_END
    }

    /// The start as the data gave it (to its precision), if any.
    pub fn start_text(&self) -> Option<String> {
        (self.start != OPEN_START).then(|| key_text(self.start))
    }

    pub fn end_text(&self) -> Option<String> {
        (self.end != OPEN_END).then(|| key_text(self.end))
    }

    pub(crate) fn in_force(&self, as_of: AsOf) -> bool {
        match as_of {
            AsOf::Latest => self.end == OPEN_END,
            AsOf::On(day) => self.start <= day.0 && day.0 <= self.end,
        }
    }
}

/// A date as a `YYYYMMDD` key; missing parts are the earliest (start) or latest (end)
/// they could be.
fn date_key(text: &str, is_end: bool) -> Option<u32> {
    let date = PartialDate::parse_iso(text)?;
    let year = u32::try_from(date.year).ok().filter(|y| *y <= 9999)?;
    let fill = if is_end { 99 } else { 0 };
    let month = date.month.map_or(fill, u32::from);
    let day = date.day.map_or(fill, u32::from);
    Some(year * 10_000 + month * 100 + day)
}

/// A key back to the ISO text at its original precision (`20150000` → `2015`).
fn key_text(key: u32) -> String {
    let (year, month, day) = (key / 10_000, key / 100 % 100, key % 100);
    let part = |v: u32| v != 0 && v != 99;
    match (part(month), part(day)) {
        (true, true) => format!("{year:04}-{month:02}-{day:02}"),
        (true, false) => format!("{year:04}-{month:02}"),
        _ => format!("{year:04}"),
    }
}

/// A full calendar day, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(u32);

impl Day {
    /// Reads `YYYY-MM-DD`; a partial date is refused because "in force on 2023" is
    /// not one answer.
    pub fn parse(text: &str) -> Option<Day> {
        let date = PartialDate::parse_iso(text)?;
        date.day?;
        date_key(text, false).map(Day)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&key_text(self.0))
    }
}

/// Which stakes count: the data's present state, or those in force on a day.
///
/// The library never reads the clock, so the same input gives the same result; the
/// caller passes today's date when that is what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AsOf {
    /// Stakes without an end date. Registers close a stake by giving it an end date
    /// and keep the old record, so the records without one are the present holdings.
    Latest,
    /// Stakes whose period (start and end inclusive, open ends open) contains the day.
    On(Day),
}

impl fmt::Display for AsOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AsOf::Latest => f.write_str("latest"),
            AsOf::On(day) => day.fmt(f),
        }
    }
}

impl Serialize for AsOf {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimals_exactly() {
        assert_eq!(Share::parse("49.9"), Ok((Share(49_900_000), false)));
        assert_eq!(Share::parse("50%"), Ok((Share::HALF, false)));
        assert_eq!(Share::parse(" 25,5 "), Ok((Share(25_500_000), false)));
        assert_eq!(Share::parse(".5"), Ok((Share(500_000), false)));
        assert_eq!(Share::parse("100.000"), Ok((Share::FULL, false)));
        assert_eq!(Share::parse("-0"), Ok((Share(0), false)));
        assert_eq!(
            Share::parse("33.3333333"),
            Ok((Share(33_333_333), true)),
            "seventh decimal rounds and is flagged"
        );
        assert_eq!(Share::parse("49.99999995"), Ok((Share(50_000_000), true)));
    }

    #[test]
    fn refuses_what_is_not_a_percentage() {
        for bad in ["", "abc", "1e2", "NaN", "5.5.5", "%", "1,000.5"] {
            assert_eq!(Share::parse(bad), Err(ShareError::Unparsable), "{bad}");
        }
        for out in ["100.0001", "101", "-5", "1000000000000"] {
            assert_eq!(Share::parse(out), Err(ShareError::OutOfRange), "{out}");
        }
        assert_eq!(Share::from_percent(f64::NAN), Err(ShareError::Unparsable));
        assert_eq!(Share::from_percent(120.0), Err(ShareError::OutOfRange));
        assert_eq!(Share::from_percent(49.9), Ok(Share(49_900_000)));
    }

    #[test]
    fn float_noise_does_not_reach_the_threshold() {
        // 0.1 + 0.2 != 0.3 in f64; here the sum is exact.
        let sum: u32 = ["49.9", "0.1"]
            .iter()
            .map(|t| Share::parse(t).map(|(s, _)| s.micros()).unwrap_or(0))
            .sum();
        assert_eq!(sum, Share::HALF.micros());
        assert_eq!(fmt_percent(49_900_000), "49.9");
        assert_eq!(fmt_percent(100_000_000), "100");
    }

    #[test]
    fn periods_widen_partial_dates() {
        let p = Period::parse(Some("2015"), Some("2023-03")).expect("dates");
        assert_eq!(p.start_text().as_deref(), Some("2015"));
        assert_eq!(p.end_text().as_deref(), Some("2023-03"));
        let on = |d: &str| AsOf::On(Day::parse(d).expect("day"));
        assert!(p.in_force(on("2015-01-01")));
        assert!(p.in_force(on("2023-03-31")));
        assert!(!p.in_force(on("2023-04-01")));
        assert!(!p.in_force(AsOf::Latest));
        assert!(Period::ALWAYS.in_force(AsOf::Latest));
        assert!(Period::parse(Some("yesterday"), None).is_err());
        assert!(Day::parse("2023").is_none());
    }
}
