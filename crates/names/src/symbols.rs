//! Generic descriptors in names (`company`/`компания`/`شركة` → `co`).
//!
//! Organisation names are padded with generic words (company, group,
//! holding, bank, trading, international …) written in the name's own
//! language: `Компания Ромашка`, `Romashka Company`, `شركة رومashka`. These
//! words should match each other across languages and weigh less than the
//! distinctive part of the name. [`symbol_of`] maps such a token to a
//! language-independent symbol, [`symbol_spans`] finds multi-token ones
//! (`gong si` for `公司`, `joint venture`).
//!
//! Data: rigour's `symbols.yml` (MIT, `data/LICENSE-rigour`): the
//! `org_symbols` and `org_domains` groups for organisations, the
//! `person_symbols` group (`jr`, `bin`, `abu`, `haji`, `sheikh` …) for
//! person names via [`person_symbol_of`]. Each alias is tokenised with
//! [`crate::tokens`] (so `компания` is found as `kompaniya`). The symbol is
//! the group's key in the file (`co`, `bank`, `holding`). A token that
//! belongs to several groups reports the first one in file order from
//! [`symbol_of`] and all of them from [`symbols_of`]. The nickname and
//! name-part groups of the file are not used.

use crate::phrase::PhraseTable;
use crate::rigour;
use serde_yaml_ng::Value;
use std::sync::OnceLock;

static DATA: &str = include_str!("../data/symbols.yml");

/// A multi-token descriptor found by [`symbol_spans`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SymbolSpan {
    /// Index of the first token.
    pub start: usize,
    /// Index one past the last token.
    pub end: usize,
    /// The symbol (rigour group key, e.g. `co`).
    pub symbol: &'static str,
}

struct Symbols {
    /// Group keys; phrase values index into this.
    keys: Vec<String>,
    org: PhraseTable<Vec<usize>>,
    person: PhraseTable<Vec<usize>>,
    /// Person group key → its phrases (for [`crate::stopwords`]).
    person_groups: Vec<(usize, Vec<Vec<String>>)>,
}

fn data() -> &'static Symbols {
    static SYMBOLS: OnceLock<Symbols> = OnceLock::new();
    SYMBOLS.get_or_init(build)
}

fn build() -> Symbols {
    let root = rigour::parse("symbols.yml", DATA);
    let mut keys = Vec::new();
    let mut org = PhraseTable::default();
    let mut person = PhraseTable::default();
    let mut person_groups = Vec::new();
    for (section, is_person) in [
        ("org_symbols", false),
        ("org_domains", false),
        ("person_symbols", true),
    ] {
        let Some(groups) = root.get(section).and_then(Value::as_mapping) else {
            continue;
        };
        for (key, aliases) in groups {
            let Some(key) = rigour::scalar(key) else {
                continue;
            };
            let index = keys.len();
            keys.push(key);
            let table = if is_person { &mut person } else { &mut org };
            let mut phrases = Vec::new();
            for alias in rigour::strings(Some(aliases)) {
                for variant in rigour::phrase_variants(&alias) {
                    if let Some(list) = table.entry(variant.clone(), Vec::new) {
                        if !list.contains(&index) {
                            list.push(index);
                        }
                    }
                    phrases.push(variant);
                }
            }
            if is_person {
                person_groups.push((index, phrases));
            }
        }
    }
    Symbols {
        keys,
        org,
        person,
        person_groups,
    }
}

/// Looks up a single token or a raw word: an already tokenised token is
/// used as is, anything else is tokenised first (so `Компания` and `公司`
/// work too).
pub(crate) fn lookup<'a, V>(table: &'a PhraseTable<V>, token: &str) -> Option<&'a V> {
    if !token.is_empty()
        && token
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        table.get(&[token])
    } else {
        table.get(&crate::tokens(token))
    }
}

fn keys_of(data: &'static Symbols, indices: Option<&Vec<usize>>) -> Vec<&'static str> {
    indices
        .into_iter()
        .flatten()
        .filter_map(|&i| data.keys.get(i).map(String::as_str))
        .collect()
}

/// The organisation symbol of a token (`company`, `kompaniya`, `co` → `co`;
/// `bank`, `банк` → `bank`), or `None` if it is not a generic descriptor.
///
/// ```
/// use redline_names::symbols::symbol_of;
/// assert_eq!(symbol_of("company"), Some("co"));
/// assert_eq!(symbol_of("компания"), Some("co"));
/// assert_eq!(symbol_of("putin"), None);
/// ```
pub fn symbol_of(token: &str) -> Option<&'static str> {
    symbols_of(token).first().copied()
}

/// Every organisation symbol of a token, in file order (most tokens have at
/// most one).
pub fn symbols_of(token: &str) -> Vec<&'static str> {
    let data = data();
    keys_of(data, lookup(&data.org, token))
}

/// Organisation descriptors in a token sequence, including multi-token ones
/// (`gong si`, `joint venture`): leftmost-longest, non-overlapping; each
/// reports its first symbol.
pub fn symbol_spans<T: AsRef<str>>(tokens: &[T]) -> Vec<SymbolSpan> {
    let data = data();
    data.org
        .spans(tokens)
        .into_iter()
        .filter_map(|(start, end, indices)| {
            let symbol = data.keys.get(*indices.first()?)?;
            Some(SymbolSpan { start, end, symbol })
        })
        .collect()
}

/// The person-name symbol of a token (`junior` → `jr`, `ibn` → `bin`,
/// `hajji` → `haji`, `shaykh` → `sheikh`), or `None`.
pub fn person_symbol_of(token: &str) -> Option<&'static str> {
    let data = data();
    keys_of(data, lookup(&data.person, token)).first().copied()
}

/// The tokenised phrases of a `person_symbols` group (used by
/// [`crate::stopwords`]).
pub(crate) fn person_group(key: &str) -> &'static [Vec<String>] {
    let data = data();
    data.person_groups
        .iter()
        .find(|(i, _)| data.keys.get(*i).is_some_and(|k| k == key))
        .map_or(&[], |(_, phrases)| phrases.as_slice())
}

pub(crate) fn warm_up() {
    data();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens;

    #[test]
    fn data_parses() {
        let root = rigour::parse("symbols.yml", DATA);
        for section in ["org_symbols", "org_domains", "person_symbols"] {
            let n = root
                .get(section)
                .and_then(Value::as_mapping)
                .map_or(0, serde_yaml_ng::Mapping::len);
            assert!(n > 10, "{section}: {n}");
        }
        assert!(data().keys.len() > 200);
    }

    #[test]
    fn organisation_symbols() {
        for t in [
            "company",
            "co",
            "corporation",
            "kompaniya",
            "компания",
            "شركة",
            "gongsi",
        ] {
            assert_eq!(symbol_of(t), Some("co"), "{t}");
        }
        // A homoglyph alias in the data (Cyrillic с) is normalised like names.
        assert_eq!(symbol_of("сompany"), Some("co"));
        assert_eq!(symbol_of("holding"), Some("holding"));
        assert_eq!(symbol_of("bank"), Some("bank"));
        assert_eq!(symbol_of("group"), Some("grp"));
        assert_eq!(symbol_of("putin"), None);
        assert_eq!(symbol_of(""), None);
        assert!(symbols_of("company").contains(&"co"));
    }

    #[test]
    fn multi_token_symbols() {
        let toks = tokens("北京华为技术公司");
        let spans = symbol_spans(&toks);
        let last = spans.last().copied();
        assert_eq!(last.map(|s| (s.start, s.end, s.symbol)), Some((6, 8, "co")));
        assert_eq!(symbol_of("公司"), Some("co"));
    }

    #[test]
    fn person_symbols() {
        assert_eq!(person_symbol_of("hajji"), Some("haji"));
        assert_eq!(person_symbol_of("shaykh"), Some("sheikh"));
        assert_eq!(person_symbol_of("ibn"), Some("bin"));
        assert_eq!(person_symbol_of("junior"), Some("jr"));
        assert!(!person_group("sheikh").is_empty());
        assert!(person_group("no-such-group").is_empty());
    }
}
