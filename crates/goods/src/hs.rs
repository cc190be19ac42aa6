//! Harmonized System codes as traders write them, and the HS 2022 nomenclature.
//!
//! Why this module: export-control lists name goods by HS-6 subheading (`8542.31`),
//! but invoices, customs declarations and payment narratives carry national tariff
//! lines of 8 or 10 digits (`8542.31.0000`, `85423190`, `8542 31 00`). A declared code
//! is reduced to its digits once, here, so every comparison downstream is a plain
//! prefix test. A value that is not an HS code (letters, too few digits) is an error
//! naming what is wrong — never a silent "not listed", which would let a typo or a
//! deliberately vague declaration pass unscreened.
//!
//! The nomenclature (`data/hs2022_harmonized-system.csv`, ODC-PDDL, from UN Comtrade
//! via datasets/harmonized-system) gives the official text of any chapter, heading or
//! subheading, so a reason can say what a declared code means.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

/// The HS 2022 nomenclature CSV (`section,hscode,description,parent,level`).
pub const HS2022_CSV: &str = include_str!("../data/hs2022_harmonized-system.csv");

/// Fewest digits a *declared* code may have: the HS-6 subheading is the most precise
/// level that is the same in every country, and the level export-control lists use.
pub const MIN_DECLARED_DIGITS: usize = 6;
/// Most digits accepted: national tariff lines are 8 (EU CN, India), 9 (Japan) or 10
/// (US HTS, EU TARIC, China, Russia's TN VED); 12 leaves room for statistical suffixes.
pub const MAX_DIGITS: usize = 12;

/// A value that is not a usable HS code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HsCodeError {
    #[error("empty: no HS code given")]
    Empty,
    #[error("{code:?}: {found:?} is not a digit (an HS code is digits, optionally grouped with dots, spaces or hyphens)")]
    NotDigit { code: String, found: char },
    #[error("{code:?}: {digits} digits is too short; at least {min} are needed")]
    TooShort {
        code: String,
        digits: usize,
        min: usize,
    },
    #[error("{code:?}: {digits} digits is too long; HS codes with national extensions have at most {max}")]
    TooLong {
        code: String,
        digits: usize,
        max: usize,
    },
}

/// An HS code reduced to its digits, with the text it was written as.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct HsCode {
    /// As written by the trader or the list.
    pub written: String,
    /// Digits only: `8542.31.0000` → `8542310000`.
    pub digits: String,
}

impl HsCode {
    /// Reads a *declared* code (invoice, declaration): at least 6 digits.
    ///
    /// Dots, spaces (any Unicode space) and hyphens between digits are ignored;
    /// fullwidth digits (`８５４２`) count as digits. Anything else is an error.
    /// ```
    /// use redline_goods::HsCode;
    /// assert_eq!(HsCode::parse("8542.31.0000").unwrap().digits, "8542310000");
    /// assert_eq!(HsCode::parse("8542 31").unwrap().digits, "854231");
    /// assert!(HsCode::parse("8542").is_err());
    /// assert!(HsCode::parse("85A231").is_err());
    /// ```
    pub fn parse(code: &str) -> Result<HsCode, HsCodeError> {
        HsCode::parse_with_min(code, MIN_DECLARED_DIGITS)
    }

    /// Reads a code with at least `min` digits (a goods list may list a 4-digit heading).
    pub(crate) fn parse_with_min(code: &str, min: usize) -> Result<HsCode, HsCodeError> {
        let written = code.trim();
        if written.is_empty() {
            return Err(HsCodeError::Empty);
        }
        let mut digits = String::with_capacity(written.len());
        for c in written.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else if ('０'..='９').contains(&c) {
                // Fullwidth digits from CJK input methods.
                let value = c as u32 - '０' as u32;
                digits.push(char::from(b'0' + value as u8));
            } else if matches!(c, '.' | '．' | '-' | '‐' | '‑' | '–') || c.is_whitespace() {
                continue;
            } else {
                return Err(HsCodeError::NotDigit {
                    code: written.to_string(),
                    found: c,
                });
            }
        }
        if digits.is_empty() {
            return Err(HsCodeError::Empty);
        }
        if digits.len() < min {
            return Err(HsCodeError::TooShort {
                code: written.to_string(),
                digits: digits.len(),
                min,
            });
        }
        if digits.len() > MAX_DIGITS {
            return Err(HsCodeError::TooLong {
                code: written.to_string(),
                digits: digits.len(),
                max: MAX_DIGITS,
            });
        }
        Ok(HsCode {
            written: written.to_string(),
            digits,
        })
    }

    /// The first six digits (the international subheading).
    pub fn hs6(&self) -> &str {
        &self.digits[..self.digits.len().min(6)]
    }
}

/// Writes HS digits the usual way: `854231` → `8542.31`, `8542310000` → `8542.31.0000`,
/// `8548` → `8548`.
pub fn format_digits(digits: &str) -> String {
    match digits.len() {
        0..=4 => digits.to_string(),
        5..=6 => format!("{}.{}", &digits[..4], &digits[4..]),
        _ => format!("{}.{}.{}", &digits[..4], &digits[4..6], &digits[6..]),
    }
}

/// One line of the nomenclature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HsEntry {
    /// Digits: 2 (chapter), 4 (heading) or 6 (subheading).
    pub code: String,
    pub level: u8,
    pub section: String,
    pub description: String,
}

/// The HS 2022 nomenclature, indexed by code.
#[derive(Debug)]
pub struct Nomenclature {
    entries: HashMap<String, HsEntry>,
}

impl Nomenclature {
    /// The built-in HS 2022 nomenclature (parsed once, on first use).
    pub fn builtin() -> &'static Nomenclature {
        static HS: OnceLock<Nomenclature> = OnceLock::new();
        HS.get_or_init(|| Nomenclature::parse(HS2022_CSV))
    }

    /// Parses `section,hscode,description,parent,level`. Rows that do not have that
    /// shape (the `TOTAL` root has no code) are skipped: the file is compiled in and
    /// its shape is checked by this crate's tests.
    fn parse(text: &str) -> Nomenclature {
        let mut entries = HashMap::new();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        for record in reader.records().flatten() {
            let (Some(section), Some(code), Some(description), Some(level)) =
                (record.get(0), record.get(1), record.get(2), record.get(4))
            else {
                continue;
            };
            let Ok(level) = level.trim().parse::<u8>() else {
                continue;
            };
            if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            entries.insert(
                code.to_string(),
                HsEntry {
                    code: code.to_string(),
                    level,
                    section: section.to_string(),
                    description: description.to_string(),
                },
            );
        }
        Nomenclature { entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry for exactly these digits (2, 4 or 6), if the nomenclature has it.
    pub fn entry(&self, digits: &str) -> Option<&HsEntry> {
        self.entries.get(digits)
    }

    /// The most precise entry for a code in any format: its subheading, else its
    /// heading, else its chapter. `None` when the code is not an HS code at all.
    pub fn describe(&self, code: &str) -> Option<&HsEntry> {
        let parsed = HsCode::parse_with_min(code, 2).ok()?;
        [6, 4, 2]
            .into_iter()
            .filter(|&n| parsed.digits.len() >= n)
            .find_map(|n| self.entries.get(&parsed.digits[..n]))
    }

    /// Whether the first six digits of `digits` are an HS 2022 subheading.
    pub fn has_subheading(&self, digits: &str) -> bool {
        digits.len() >= 6 && self.entries.contains_key(&digits[..6])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_in_every_usual_format() {
        for written in [
            "8542.31",
            "854231",
            "8542 31",
            "8542.31.00",
            "8542.31.0000",
            " 8542-31-00 ",
            "８５４２．３１",
            "8542\u{a0}31\u{a0}00",
        ] {
            let code = HsCode::parse(written).unwrap();
            assert_eq!(code.hs6(), "854231", "{written}");
        }
    }

    #[test]
    fn bad_codes_say_what_is_wrong() {
        assert_eq!(HsCode::parse("  "), Err(HsCodeError::Empty));
        assert_eq!(HsCode::parse(".."), Err(HsCodeError::Empty));
        let err = HsCode::parse("8542.3I").unwrap_err();
        assert!(
            matches!(err, HsCodeError::NotDigit { found: 'I', .. }),
            "{err}"
        );
        let err = HsCode::parse("8542").unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"8542\": 4 digits is too short; at least 6 are needed"
        );
        assert!(matches!(
            HsCode::parse("8542310000123"),
            Err(HsCodeError::TooLong { digits: 13, .. })
        ));
    }

    #[test]
    fn the_nomenclature_describes_any_level() {
        let hs = Nomenclature::builtin();
        assert!(hs.len() > 6_800, "{}", hs.len());
        assert_eq!(
            hs.describe("8542.32.0010").unwrap().description,
            "Electronic integrated circuits; memories"
        );
        assert_eq!(hs.describe("8548").unwrap().level, 4);
        assert_eq!(hs.describe("85").unwrap().level, 2);
        assert!(hs.has_subheading("8548000000"));
        assert!(!hs.has_subheading("854291"));
        assert!(hs.describe("chips").is_none());
        assert_eq!(format_digits("854231"), "8542.31");
        assert_eq!(format_digits("8542310000"), "8542.31.0000");
    }
}
