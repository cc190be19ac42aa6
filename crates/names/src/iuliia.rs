//! Every real-world romanisation of a Cyrillic name.
//!
//! One Russian name has many official Latin spellings: `Юрий` is `Yuriy`
//! (BGN/PCGN, the US and UK government standard), `Iurii` (ICAO Doc 9303,
//! Russian passports since 2013, and GOST R 52535.1, passports 2006-2010),
//! `Jurij` (ISO/R 9, UNGEGN), `Yury` (Wikipedia), `Iourii` (MVD 310, French
//! passports style) … A query typed from a passport must still find the
//! listed name. [`cyrillic_romanizations`] produces the distinct spellings
//! under the schemes shipped by the `iuliia` project (MIT), whose JSON files
//! are compiled in from `data/iuliia/`.
//!
//! Ukrainian is read too, by its BGN/PCGN (1965) and national (2010) systems, in
//! the same JSON form (`data/ukrainian/`, written from the published standards).
//!
//! Each schema is a letter `mapping` plus context rules, applied as `iuliia`
//! does: a word longer than two letters whose last two letters are in
//! `ending_mapping` has them replaced; every other letter is looked up first
//! in `prev_mapping` (keyed by previous letter + letter, the previous letter
//! being empty at the start of a word), then in `next_mapping` (letter + next
//! letter), then in `mapping`. Letters a schema does not know (Ukrainian `ї`,
//! Serbian `ђ` …) take the crate's canonical spelling. Results are folded to
//! lower-case ASCII (diacritics, tie bars, primes and apostrophes removed).

use crate::normalize::normalize;
use crate::translit::{cyrillic_letter, transliterate};
use serde::Deserialize;
use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// A compiled-in schema: its name and its JSON, under `data/iuliia/` unless given.
macro_rules! schema {
    ($name:literal) => {
        schema!($name, concat!("iuliia/", $name))
    };
    ($name:literal, $file:expr) => {
        ($name, include_str!(concat!("../data/", $file, ".json")))
    };
}

/// The compiled-in schemas, in the order their spellings are reported: the
/// official ones for personal names first, then those of libraries, maps, banks,
/// the Moscow metro and what people type in chats (`telegram`), which a
/// company's spelt-out legal form meets in payments as often.
const SOURCES: [(&str, &str); 29] = [
    schema!("bgn_pcgn"),
    schema!("icao_doc_9303"),
    schema!("gost_52535"),
    schema!("mvd_782"),
    schema!("mvd_310"),
    schema!("mvd_310_fr"),
    schema!("wikipedia"),
    schema!("iso_9_1968"),
    schema!("ungegn_1987"),
    schema!("ala_lc"),
    // Ukrainian, which iuliia does not cover: a Ukrainian record reads `г` as `h`,
    // `и` as `y` (`Сергій` is `Serhiy`, `Serhii`, never the Russian `Sergiy`).
    schema!("ukrainian_bgn_pcgn", "ukrainian/bgn_pcgn_ukrainian"),
    schema!("ukrainian_kmu_2010", "ukrainian/kmu_2010"),
    schema!("bgn_pcgn_alt"),
    schema!("ala_lc_alt"),
    schema!("yandex_maps"),
    schema!("yandex_money"),
    schema!("mosmetro"),
    schema!("telegram"),
    schema!("scientific"),
    schema!("gost_779"),
    schema!("gost_779_alt"),
    schema!("gost_16876"),
    schema!("gost_16876_alt"),
    schema!("gost_52290"),
    schema!("gost_7034"),
    schema!("iso_9_1954"),
    schema!("iso_9_1968_alt"),
    schema!("bs_2979"),
    schema!("bs_2979_alt"),
];

#[derive(Deserialize)]
struct RawSchema {
    mapping: HashMap<String, String>,
    prev_mapping: Option<HashMap<String, String>>,
    next_mapping: Option<HashMap<String, String>>,
    ending_mapping: Option<HashMap<String, String>>,
}

/// A parsed schema with character-keyed rules.
struct Schema {
    // Looked up for every letter of every Cyrillic word the tables and the lists
    // romanise under each of the schemas: a fast hash, not SipHash.
    mapping: FxHashMap<char, String>,
    prev: FxHashMap<(Option<char>, char), String>,
    next: FxHashMap<(char, Option<char>), String>,
    ending: FxHashMap<(char, char), String>,
}

/// Why a compiled-in schema failed to load (only seen in tests).
#[derive(Debug)]
#[allow(dead_code)] // Fields are read through Debug in test failures.
enum SchemaError {
    Json(serde_json::Error),
    Key(String),
}

impl Schema {
    fn parse(json: &str) -> Result<Self, SchemaError> {
        let raw: RawSchema = serde_json::from_str(json).map_err(SchemaError::Json)?;
        let mut mapping = FxHashMap::default();
        for (k, v) in raw.mapping {
            match chars_of(&k).as_slice() {
                [c] => mapping.insert(*c, v),
                _ => return Err(SchemaError::Key(k)),
            };
        }
        let mut prev = FxHashMap::default();
        for (k, v) in raw.prev_mapping.unwrap_or_default() {
            match chars_of(&k).as_slice() {
                [c] => prev.insert((None, *c), v),
                [p, c] => prev.insert((Some(*p), *c), v),
                _ => return Err(SchemaError::Key(k)),
            };
        }
        let mut next = FxHashMap::default();
        for (k, v) in raw.next_mapping.unwrap_or_default() {
            match chars_of(&k).as_slice() {
                [c] => next.insert((*c, None), v),
                [c, n] => next.insert((*c, Some(*n)), v),
                _ => return Err(SchemaError::Key(k)),
            };
        }
        let mut ending = FxHashMap::default();
        for (k, v) in raw.ending_mapping.unwrap_or_default() {
            match chars_of(&k).as_slice() {
                [a, b] => ending.insert((*a, *b), v),
                _ => return Err(SchemaError::Key(k)),
            };
        }
        Ok(Self {
            mapping,
            prev,
            next,
            ending,
        })
    }

    /// Romanises one word of lower-case letters, appending folded ASCII.
    fn word(&self, word: &[char], out: &mut String) {
        let n = word.len();
        let ending = if n > 2 {
            self.ending.get(&(word[n - 2], word[n - 1]))
        } else {
            None
        };
        match ending {
            Some(tail) => {
                self.letters(&word[..n - 2], out);
                fold_into(tail, out);
            }
            None => self.letters(word, out),
        }
    }

    fn letters(&self, word: &[char], out: &mut String) {
        for (i, &c) in word.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| word[j]);
            let next = word.get(i + 1).copied();
            let s = self
                .prev
                .get(&(prev, c))
                .or_else(|| self.next.get(&(c, next)))
                .or_else(|| self.mapping.get(&c));
            match s {
                Some(s) => fold_into(s, out),
                None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
                None => fold_into(cyrillic_letter(c), out),
            }
        }
    }
}

fn chars_of(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// Appends the ASCII letters of `s` (diacritics stripped) in lower case.
fn fold_into(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() {
            unicode_normalization::char::decompose_canonical(c, |d| {
                if d.is_ascii_alphabetic() {
                    out.push(d.to_ascii_lowercase());
                }
            });
        }
    }
}

fn schemas() -> &'static [Schema] {
    static SCHEMAS: OnceLock<Vec<Schema>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(name, json)| {
                Schema::parse(json)
                    .unwrap_or_else(|e| panic!("compiled-in iuliia schema {name}: {e:?}"))
            })
            .collect()
    })
}

/// Romanises `norm` (normalised text) with one schema: words are runs of
/// letters and digits (apostrophes inside are skipped), joined by one space.
fn romanize(schema: &Schema, norm: &str) -> String {
    let mut out = String::with_capacity(norm.len() * 2);
    let mut word: Vec<char> = Vec::new();
    let flush = |word: &mut Vec<char>, out: &mut String| {
        if word.is_empty() {
            return;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        schema.word(word, out);
        word.clear();
    };
    for c in norm.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else if crate::is_apostrophe(c) && !word.is_empty() {
            continue;
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The distinct lower-case ASCII romanisations of a Cyrillic name.
///
/// The first element is the crate's canonical form (the tokens of
/// [`crate::to_latin`] joined by single spaces); then follow the spellings
/// under BGN/PCGN, ICAO Doc 9303, GOST R 52535.1, MVD 782-2000, MVD 310-1997
/// (English and French), Wikipedia, ISO/R 9:1968, UNGEGN 1987, ALA-LC, the
/// Ukrainian BGN/PCGN and national (2010) systems, and the other
/// compiled-in schemas (diacritics stripped), duplicates removed. Words are
/// separated by single spaces; hyphens and other punctuation become word
/// breaks. Text without Cyrillic letters yields only the canonical form;
/// text without letters or digits yields an empty vector.
///
/// ```
/// let v = redline_names::cyrillic_romanizations("Юрий");
/// for s in ["yuriy", "iurii", "yury", "iourii", "jurij"] {
///     assert!(v.iter().any(|x| x == s), "{s} missing from {v:?}");
/// }
/// ```
pub fn cyrillic_romanizations(word: &str) -> Vec<String> {
    let norm = normalize(word);
    let mut out: Vec<String> = Vec::new();
    let canonical = crate::split_tokens(&transliterate(&norm)).join(" ");
    if !canonical.is_empty() {
        out.push(canonical);
    }
    if !norm.chars().any(|c| matches!(c, '\u{0400}'..='\u{052F}')) {
        return out;
    }
    for schema in schemas() {
        let s = romanize(schema, &norm);
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

pub(crate) fn warm_up() {
    schemas();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_schemas_parse() {
        for (name, json) in SOURCES {
            let s = Schema::parse(json).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            // Russian and Ukrainian both have 33 letters.
            assert_eq!(s.mapping.len(), 33, "{name}");
        }
        assert_eq!(schemas().len(), SOURCES.len());
    }

    fn with(name: &str, text: &str) -> String {
        let i = SOURCES.iter().position(|(n, _)| *n == name).unwrap();
        romanize(&schemas()[i], &normalize(text))
    }

    #[test]
    fn schema_rules_follow_iuliia_samples() {
        // Samples from the schema files (folded to ASCII).
        assert_eq!(with("bgn_pcgn", "Елизово"), "yelizovo");
        assert_eq!(with("bgn_pcgn", "Чапаевск"), "chapayevsk");
        assert_eq!(with("bgn_pcgn", "Вяртсиля"), "vyartsilya");
        assert_eq!(with("bgn_pcgn", "Тыайа"), "tyaya");
        assert_eq!(with("wikipedia", "Подъярский"), "podyarsky");
        assert_eq!(with("wikipedia", "Ельцин"), "yeltsin");
        assert_eq!(with("wikipedia", "Ильинский"), "ilyinsky");
        assert_eq!(
            with("icao_doc_9303", "Юлия Щербакова"),
            "iuliia shcherbakova"
        );
        assert_eq!(with("mvd_310_fr", "Путин"), "poutine");
        assert_eq!(with("mvd_310_fr", "Александр"), "alexandr");
        assert_eq!(with("mvd_782", "Артём Пьеха"), "artyem pyekha");
        assert_eq!(with("ala_lc", "Юрий"), "iurii");
        assert_eq!(with("iso_9_1968", "Жуков Щука"), "zukov scuka");
    }

    #[test]
    fn ukrainian_names_by_ukrainian_systems() {
        // ARBUZOV, Serhiy and ZAKHARCHENKO, Vitaliy Yuriyovych (OFAC SDN, BGN/PCGN);
        // the 2010 national system writes the passport forms Serhii, Yurii, Yevhen.
        assert_eq!(with("ukrainian_bgn_pcgn", "Сергій"), "serhiy");
        assert_eq!(with("ukrainian_bgn_pcgn", "Юрійович"), "yuriyovych");
        assert_eq!(with("ukrainian_kmu_2010", "Сергій"), "serhii");
        assert_eq!(with("ukrainian_kmu_2010", "Юрій"), "yurii");
        assert_eq!(with("ukrainian_kmu_2010", "Євген"), "yevhen");
        assert_eq!(with("ukrainian_kmu_2010", "Згурський"), "zghurskyi");
        assert!(cyrillic_romanizations("Олександр").contains(&"oleksandr".to_string()));
    }

    #[test]
    fn yuriy() {
        let v = cyrillic_romanizations("Юрий");
        assert_eq!(v[0], "yuriy");
        for s in ["iurii", "yury", "iourii", "jurij"] {
            assert!(v.contains(&s.to_string()), "{s} not in {v:?}");
        }
        // Distinct, lower-case ASCII.
        for (i, s) in v.iter().enumerate() {
            assert!(s.bytes().all(|b| b.is_ascii_lowercase()), "{s}");
            assert!(!v[..i].contains(s));
        }
    }

    #[test]
    fn full_names_and_non_cyrillic() {
        let v = cyrillic_romanizations("Евгений Пригожин");
        for s in [
            "evgeniy prigozhin",
            "yevgeniy prigozhin",
            "evgenii prigozhin",
            "yevgeny prigozhin",
            "evguenii prigojine",
        ] {
            assert!(v.contains(&s.to_string()), "{s} not in {v:?}");
        }
        assert_eq!(cyrillic_romanizations("Йошкар-Ола")[0], "yoshkar ola");
        assert_eq!(cyrillic_romanizations("Vladimir Putin"), ["vladimir putin"]);
        assert!(cyrillic_romanizations(" - ").is_empty());
        // Ukrainian letters unknown to the Russian schemas fall back.
        let v = cyrillic_romanizations("Київ");
        assert!(
            v.iter().all(|s| s.starts_with('k') && s.len() >= 4),
            "{v:?}"
        );
    }
}
