//! Registry identifiers: the numbers Russian and Chinese registries give companies,
//! entrepreneurs, persons and banks, each with the check its registry defines.
//!
//! Why they get their own module: a name says who a party *might* be; an INN, OGRN or
//! Unified Social Credit Code says who it *is*, within its registry. The lists publish
//! them (the 2024 SDN carries thousands of Russian Tax IDs and registration numbers),
//! rouble payments carry them by rule (SWIFT-RUR: `INN…KPP…` in fields 50K/59), and
//! their check digits let a screener tell a typing error from a different party. So
//! both sides — the list parsers' identifiers and the values read from a payment — are
//! recognised here by the same rules, and a value that fails its check is a
//! [`Problem`] to report, never a number to compare or drop.
//!
//! The schemes and their checks:
//! - **INN** (ИНН, taxpayer number): 10 digits for an organisation (one check digit),
//!   12 for a person or sole trader (two), weighted sums mod 11 mod 10.
//! - **OGRN** (ОГРН, state registration of a legal entity): 13 digits, the last the
//!   first twelve mod 11 mod 10; **OGRNIP** (sole trader): 15 digits, mod 13 mod 10.
//! - **KPP** (КПП, reason-for-registration code): 9 characters, no check digit —
//!   four digits (tax office), two digits or capital letters (reason), three digits.
//! - **BIK** (БИК, Russian bank identifier): 9 digits beginning `04`.
//! - **USCC** (统一社会信用代码, China): 18 characters from a 31-character alphabet
//!   (no I, O, Z, S, V), the last a weighted check mod 31 (GB 32100-2015).

use crate::{IdKind, Identifier};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A registry numbering scheme with a defined shape (and check, where it has one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    Inn,
    Kpp,
    Ogrn,
    Ogrnip,
    Uscc,
    Bik,
}

/// Why a value is not a valid identifier of its scheme.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("{scheme} must be {expected}, found {found} characters")]
    Length {
        scheme: Scheme,
        expected: &'static str,
        found: usize,
    },
    #[error("{scheme} has a character its scheme does not use: {found:?}")]
    Character { scheme: Scheme, found: char },
    #[error("{scheme} must begin with {expected}")]
    Prefix {
        scheme: Scheme,
        expected: &'static str,
    },
    #[error("{scheme} check digit is {found}, the number's digits give {expected}")]
    CheckDigit {
        scheme: Scheme,
        expected: char,
        found: char,
    },
}

impl Scheme {
    pub const ALL: [Scheme; 6] = [
        Scheme::Inn,
        Scheme::Kpp,
        Scheme::Ogrn,
        Scheme::Ogrnip,
        Scheme::Uscc,
        Scheme::Bik,
    ];

    /// The label payments and registries write: `INN`, `OGRN`, `USCC` …
    pub fn label(self) -> &'static str {
        match self {
            Scheme::Inn => "INN",
            Scheme::Kpp => "KPP",
            Scheme::Ogrn => "OGRN",
            Scheme::Ogrnip => "OGRNIP",
            Scheme::Uscc => "USCC",
            Scheme::Bik => "BIK",
        }
    }

    /// The registry's country, ISO 3166-1 alpha-2 lower case.
    pub fn country(self) -> &'static str {
        match self {
            Scheme::Uscc => "cn",
            _ => "ru",
        }
    }

    /// The scheme a label names, in Latin or the registry's own script (`INN`, `ИНН`,
    /// `OGRN`, `ОГРН`, `USCC`, `统一社会信用代码` …); case and surrounding punctuation
    /// are ignored.
    pub fn from_label(label: &str) -> Option<Scheme> {
        let label: String = label
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_uppercase)
            .collect();
        Some(match label.as_str() {
            "INN" | "ИНН" => Scheme::Inn,
            "KPP" | "КПП" => Scheme::Kpp,
            "OGRN" | "ОГРН" | "PSRN" => Scheme::Ogrn,
            "OGRNIP" | "ОГРНИП" | "PSRNSP" => Scheme::Ogrnip,
            "USCC" | "统一社会信用代码" | "統一社會信用代碼" | "USCI" => {
                Scheme::Uscc
            }
            "BIK" | "БИК" => Scheme::Bik,
            _ => return None,
        })
    }

    /// Checks `value` (spaces, dashes and dots ignored; letters upper-cased) and
    /// returns it as its registry writes it.
    pub fn check(self, value: &str) -> Result<String, Problem> {
        let v: String = value
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '\u{a0}'))
            .flat_map(char::to_uppercase)
            .collect();
        let len = v.chars().count();
        let length = |expected| {
            Err(Problem::Length {
                scheme: self,
                expected,
                found: len,
            })
        };
        let shape_ok = match self {
            Scheme::Inn => matches!(len, 10 | 12),
            Scheme::Kpp => len == 9,
            Scheme::Ogrn => len == 13,
            Scheme::Ogrnip => len == 15,
            Scheme::Uscc => len == 18,
            Scheme::Bik => len == 9,
        };
        if !shape_ok {
            return length(match self {
                Scheme::Inn => "10 digits (organisation) or 12 (person)",
                Scheme::Kpp | Scheme::Bik => "9 characters",
                Scheme::Ogrn => "13 digits",
                Scheme::Ogrnip => "15 digits",
                Scheme::Uscc => "18 characters",
            });
        }
        if let Some(bad) = v.chars().enumerate().find_map(|(i, c)| {
            let ok = match self {
                Scheme::Uscc => USCC_ALPHABET.contains(c),
                Scheme::Kpp if (4..6).contains(&i) => c.is_ascii_digit() || c.is_ascii_uppercase(),
                _ => c.is_ascii_digit(),
            };
            (!ok).then_some(c)
        }) {
            return Err(Problem::Character {
                scheme: self,
                found: bad,
            });
        }
        let digits: Vec<u64> = v.bytes().map(|b| u64::from(b.wrapping_sub(b'0'))).collect();
        let check = |expected: u64, at: usize| -> Result<(), Problem> {
            if digits[at] == expected {
                Ok(())
            } else {
                Err(Problem::CheckDigit {
                    scheme: self,
                    expected: digit_char(expected),
                    found: char::from(v.as_bytes()[at]),
                })
            }
        };
        match self {
            Scheme::Inn if len == 10 => check(weighted(&digits, &INN10) % 11 % 10, 9)?,
            Scheme::Inn => {
                check(weighted(&digits, &INN12_1) % 11 % 10, 10)?;
                check(weighted(&digits, &INN12_2) % 11 % 10, 11)?;
            }
            Scheme::Ogrn => check(number(&digits[..12]) % 11 % 10, 12)?,
            Scheme::Ogrnip => check(number(&digits[..14]) % 13 % 10, 14)?,
            Scheme::Bik if !v.starts_with("04") => {
                return Err(Problem::Prefix {
                    scheme: self,
                    expected: "04",
                })
            }
            Scheme::Uscc => {
                let codes: Vec<usize> = v
                    .chars()
                    .map(|c| USCC_ALPHABET.find(c).unwrap_or(0))
                    .collect();
                let sum: usize = codes[..17]
                    .iter()
                    .zip(USCC_WEIGHTS)
                    .map(|(c, w)| c * w)
                    .sum();
                let expected = (31 - sum % 31) % 31;
                if codes[17] != expected {
                    return Err(Problem::CheckDigit {
                        scheme: self,
                        expected: USCC_ALPHABET.as_bytes()[expected] as char,
                        found: v.chars().last().unwrap_or(' '),
                    });
                }
            }
            Scheme::Kpp | Scheme::Bik => {}
        }
        Ok(v)
    }

    /// Whether a listed identifier of this kind and country can be this scheme's
    /// number: a payment's INN is compared with the lists' Russian tax ids, not with a
    /// passport that happens to have ten digits.
    pub fn may_be(self, kind: &IdKind, country: Option<&str>) -> bool {
        let country_ok = country.is_none_or(|c| c.eq_ignore_ascii_case(self.country()));
        let kind_ok = match (self, kind) {
            (Scheme::Inn, IdKind::TaxId) => true,
            (Scheme::Ogrn | Scheme::Ogrnip | Scheme::Uscc, IdKind::Registration) => true,
            // OFAC and the UK write some Russian registry numbers under other labels
            // ("Government Gazette Number" is the OKPO code, "Tax ID" sometimes holds
            // an OGRN); the check digit still has to hold.
            (Scheme::Uscc, IdKind::TaxId) | (Scheme::Ogrn, IdKind::TaxId) => true,
            (_, IdKind::Other(prop)) => Scheme::from_ftm_property(prop) == Some(self),
            _ => false,
        };
        country_ok && kind_ok
    }

    /// The FollowTheMoney property that holds this scheme's numbers, where it has
    /// its own (`innCode`, `ogrnCode`, `kppCode` …), or the label a list parser keeps
    /// for it (`bik`, OFAC's `BIK (RU)`).
    fn from_ftm_property(prop: &str) -> Option<Scheme> {
        Some(match prop {
            "innCode" => Scheme::Inn,
            "kppCode" => Scheme::Kpp,
            "ogrnCode" => Scheme::Ogrn,
            "ogrnipCode" => Scheme::Ogrnip,
            "uscCode" => Scheme::Uscc,
            "bikCode" | "bik" => Scheme::Bik,
            _ => return None,
        })
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The registry schemes a listed identifier is a valid number of: kind and country
/// must allow the scheme and the value must pass its check (a 10-digit Russian
/// `Tax ID No.` is an INN only if its check digit holds).
pub fn schemes_of_listed(id: &Identifier) -> Vec<(Scheme, String)> {
    Scheme::ALL
        .into_iter()
        .filter(|s| s.may_be(&id.kind, id.country.as_deref()))
        .filter_map(|s| s.check(&id.value).ok().map(|v| (s, v)))
        .collect()
}

/// The scheme a value is a valid number of by its shape and check alone (a tax id
/// sent without saying whose registry): 10 or 12 digits passing the INN check, 13 the
/// OGRN check, 15 the OGRNIP check, 18 characters the USCC check. None when no
/// scheme's check holds, so a foreign tax number is left as it is.
pub fn by_shape(value: &str) -> Option<Scheme> {
    [Scheme::Inn, Scheme::Ogrn, Scheme::Ogrnip, Scheme::Uscc]
        .into_iter()
        .find(|s| s.check(value).is_ok())
}

/// A value written with its registry's label (`INN 7750005482`, `ИНН:7750005482`,
/// `OGRN-1097711000078`): the scheme and the number after the label. None when
/// the value does not begin with a label followed by a digit.
pub fn read_labelled(value: &str) -> Option<(Scheme, &str)> {
    let value = value.trim();
    let label_end = value
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(value.len(), |(i, _)| i);
    let scheme = Scheme::from_label(&value[..label_end])?;
    let number = value[label_end..].trim_start_matches([' ', ':', '/', '.', '-', '#', '№']);
    number
        .starts_with(|c: char| c.is_ascii_digit())
        .then_some((scheme, number))
}

/// How a query's identifier is compared with the lists' (which list the number
/// alone): a labelled registry number without its label, then as
/// [`crate::normalize_identifier`].
pub fn comparable(value: &str) -> String {
    match read_labelled(value) {
        Some((_, number)) => crate::normalize_identifier(number),
        None => crate::normalize_identifier(value),
    }
}

/// What is wrong with the labelled registry numbers among `identifiers`, one
/// sentence each (`identifier "INN 7750005483": INN check digit is 3, …`): reported
/// beside the matches, never dropped in silence.
pub fn problems(identifiers: &[String]) -> Vec<String> {
    identifiers
        .iter()
        .filter_map(|v| {
            let (scheme, number) = read_labelled(v)?;
            let problem = scheme.check(number).err()?;
            Some(format!(
                "identifier {v:?} is not a valid {scheme}: {problem}"
            ))
        })
        .collect()
}

const INN10: [u64; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_1: [u64; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_2: [u64; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
/// The 31 characters a USCC is written in (no I, O, Z, S, V), in check-value order.
pub const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn weighted(digits: &[u64], weights: &[u64]) -> u64 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum()
}

fn number(digits: &[u64]) -> u64 {
    digits.iter().fold(0, |n, d| n * 10 + d)
}

fn digit_char(d: u64) -> char {
    char::from_digit(d as u32, 10).unwrap_or('?')
}

#[cfg(test)]
mod tests {
    use super::*;

    // Every value below is as the OFAC SDN list of 2024-05-03 publishes it.
    #[test]
    fn listed_russian_numbers_pass_their_checks() {
        // PROKOPENKO, Ivan Pavlovitch (person, 12 digits); SMP BANK; KRYMTETS, AO.
        for inn in ["773407989940", "7750005482", "9102070194"] {
            assert_eq!(Scheme::Inn.check(inn).as_deref(), Ok(inn));
        }
        // SMP BANK, TSMRBANK OOO, and an OGRN written with spaces.
        for ogrn in ["1097711000078", "1157700005759", "1027800000084"] {
            assert_eq!(Scheme::Ogrn.check(ogrn).as_deref(), Ok(ogrn));
        }
        assert_eq!(
            Scheme::Ogrn.check("1 0977 1100 0078").as_deref(),
            Ok("1097711000078")
        );
        assert_eq!(Scheme::Bik.check("044525059").as_deref(), Ok("044525059"));
        assert_eq!(Scheme::Kpp.check("770101001").as_deref(), Ok("770101001"));
        assert_eq!(Scheme::Kpp.check("7701AB001").as_deref(), Ok("7701AB001"));
    }

    #[test]
    fn listed_chinese_credit_codes_pass_their_check() {
        for uscc in [
            "9113100033607322XK",
            "91110117663725176G",
            "91222401MA0Y31E659",
            "91310115MA1K4DLAXM",
        ] {
            assert_eq!(Scheme::Uscc.check(uscc).as_deref(), Ok(uscc));
        }
        assert!(matches!(
            Scheme::Uscc.check("91110117663725176H"),
            Err(Problem::CheckDigit { expected: 'G', .. })
        ));
        assert!(matches!(
            Scheme::Uscc.check("9111011766372517IG"),
            Err(Problem::Character { found: 'I', .. })
        ));
    }

    #[test]
    fn a_mistyped_number_names_its_problem() {
        let err = Scheme::Inn.check("773407989941").unwrap_err();
        assert_eq!(
            err,
            Problem::CheckDigit {
                scheme: Scheme::Inn,
                expected: '0',
                found: '1'
            }
        );
        assert_eq!(
            err.to_string(),
            "INN check digit is 1, the number's digits give 0"
        );
        assert!(matches!(
            Scheme::Inn.check("77340798994"),
            Err(Problem::Length { found: 11, .. })
        ));
        assert!(matches!(
            Scheme::Ogrn.check("1097711000079"),
            Err(Problem::CheckDigit { .. })
        ));
        assert!(Scheme::Bik.check("123456789").is_err());
    }

    #[test]
    fn a_tax_id_without_its_registry_is_recognised_by_its_check() {
        assert_eq!(by_shape("7750005482"), Some(Scheme::Inn));
        assert_eq!(by_shape("1097711000078"), Some(Scheme::Ogrn));
        assert_eq!(by_shape("91110117663725176G"), Some(Scheme::Uscc));
        assert_eq!(by_shape("7750005483"), None);
        assert_eq!(by_shape("DE123456789"), None);
    }

    #[test]
    fn labelled_query_identifiers() {
        assert_eq!(
            read_labelled("INN 7750005482"),
            Some((Scheme::Inn, "7750005482"))
        );
        assert_eq!(
            read_labelled("ОГРН: 1097711000078"),
            Some((Scheme::Ogrn, "1097711000078"))
        );
        assert_eq!(read_labelled("INNOVATE 12"), None);
        assert_eq!(read_labelled("7750005482"), None);
        assert_eq!(comparable("ИНН 7750005482"), "7750005482");
        assert_eq!(comparable("SABR RU MM"), "SABRRUMM");
        assert_eq!(
            problems(&["INN 7750005483".into(), "7750005483".into(), "INN 7750005482".into()]),
            ["identifier \"INN 7750005483\" is not a valid INN: INN check digit is 3, the number's digits give 2"]
        );
    }

    #[test]
    fn labels_in_latin_and_cyrillic() {
        assert_eq!(Scheme::from_label("ИНН"), Some(Scheme::Inn));
        assert_eq!(Scheme::from_label("inn:"), Some(Scheme::Inn));
        assert_eq!(Scheme::from_label("ОГРН"), Some(Scheme::Ogrn));
        assert_eq!(Scheme::from_label("统一社会信用代码"), Some(Scheme::Uscc));
        assert_eq!(Scheme::from_label("IBAN"), None);
    }

    #[test]
    fn listed_identifiers_are_recognised_by_kind_country_and_check() {
        let id = |kind: IdKind, value: &str, country: Option<&str>| Identifier {
            kind,
            value: value.to_string(),
            country: country.map(str::to_string),
            note: None,
        };
        assert_eq!(
            schemes_of_listed(&id(IdKind::TaxId, "773407989940", Some("ru"))),
            [(Scheme::Inn, "773407989940".to_string())]
        );
        assert_eq!(
            schemes_of_listed(&id(IdKind::Registration, "1097711000078", Some("ru"))),
            [(Scheme::Ogrn, "1097711000078".to_string())]
        );
        // A passport is never an INN, and a Kazakh tax id is not a Russian one.
        assert!(schemes_of_listed(&id(IdKind::Passport, "7750005482", Some("ru"))).is_empty());
        assert!(schemes_of_listed(&id(IdKind::TaxId, "7750005482", Some("kz"))).is_empty());
        assert_eq!(
            schemes_of_listed(&id(IdKind::Other("innCode".into()), "7750005482", None)),
            [(Scheme::Inn, "7750005482".to_string())]
        );
    }
}
