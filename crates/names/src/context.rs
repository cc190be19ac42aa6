//! Words around a name: what payment lines, customer files and trade documents write
//! beside a party's name without it being part of the name.
//!
//! A beneficiary line reads `BANCO NACIONAL DE CUBA HAVANA`, a customer file `Ivanov
//! Petr (Director)`, a trade document `c/o ... Trading Co, Dubai`, a core-banking export
//! `Vladimir Putin Moscow`. Each extra word lowers a name score until a listed party
//! slips through; the matcher needs to know which words are of this kind so that they
//! cost little where they stand at the edge of a name. This module knows the words;
//! deciding where they stand is the matcher's.
//!
//! [`context_at`] finds the longest phrase at a position that is a title or office
//! (`director general`, `Президент`), the state or part of an organisation (`head
//! office`, `in liquidation`), an address fragment (`po box`, `building`), a word of a
//! street (`ul`, `street`), a place word (`province`, `village`) or a care-of marker
//! (`c/o`, `attn`); or the name of a city. Data: `data/context_words.yml` (written
//! for Redline) and `data/places/cities.txt`: the world's cities of 15,000 people or
//! more with the Latin spellings of the larger ones (GeoNames, CC BY 4.0, see
//! `data/README.md`). Countries are the model crate's territories; places the loaded
//! lists name are the index's.

use crate::phrase::PhraseTable;
use crate::rigour;
use rustc_hash::FxHashSet as HashSet;
use std::sync::OnceLock;

static WORDS: &str = include_str!("../data/context_words.yml");
static CITIES: &str = include_str!("../data/places/cities.txt");

/// What a word around a name says about the party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ContextKind {
    /// A place: a city, a country, or a word of a place name (`province`).
    Place,
    /// A title, office or position (`President`, `Director General`, `CEO`).
    Office,
    /// The state or part of an organisation (`Branch`, `Head Office`, `in liquidation`).
    OrgRole,
    /// An address fragment (`PO Box`, `Building`, `Apt`).
    Address,
    /// A word that begins or ends a street name (`ul.`, `Street`): the street's own
    /// name beside it is address too.
    Street,
    /// A care-of or for-account-of marker (`c/o`, `attn`, `FAO`).
    CareOf,
}

impl ContextKind {
    /// How an explanation names what the word was taken for.
    pub fn as_str(self) -> &'static str {
        match self {
            ContextKind::Place => "place",
            ContextKind::Office => "title or office",
            ContextKind::OrgRole => "organisation role",
            ContextKind::Address | ContextKind::Street => "address",
            ContextKind::CareOf => "care-of marker",
        }
    }
}

const SECTIONS: [(&str, ContextKind); 6] = [
    ("office", ContextKind::Office),
    ("org_role", ContextKind::OrgRole),
    ("address", ContextKind::Address),
    ("street", ContextKind::Street),
    ("place", ContextKind::Place),
    ("care_of", ContextKind::CareOf),
];

struct Tables {
    words: PhraseTable<ContextKind>,
    cities: PhraseTable<()>,
    /// The last token of every phrase of each table.
    last_words: HashSet<String>,
    last_city_words: HashSet<String>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(build)
}

fn build() -> Tables {
    let root = rigour::parse("context_words.yml", WORDS);
    let mut words = PhraseTable::default();
    for (section, kind) in SECTIONS {
        rigour::add_phrases(&mut words, rigour::strings(root.get(section)), kind);
    }
    let mut cities = PhraseTable::default();
    let mut last_city_words = HashSet::default();
    for line in CITIES.lines().filter(|l| !l.starts_with('#')) {
        let tokens = city_tokens(line);
        if let Some(last) = tokens.last() {
            last_city_words.insert(last.clone());
        }
        cities.entry(tokens, || ());
    }
    let mut last_words = HashSet::default();
    for (phrase, _) in words.iter() {
        if let Some(last) = phrase.last() {
            last_words.insert(last.clone());
        }
    }
    Tables {
        words,
        cities,
        last_words,
        last_city_words,
    }
}

/// A city name's tokens. The file holds names in Latin letters: most are plain ASCII
/// words, which need no transliteration (the costly part of [`crate::tokens`] for
/// 100,000 names); the rest go through it.
fn city_tokens(name: &str) -> Vec<String> {
    let plain = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-');
    if plain {
        name.split([' ', '-'])
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect()
    } else {
        crate::tokens(name)
    }
}

/// The longest context phrase beginning at `tokens[start]` (tokens as
/// [`crate::tokens`] makes them), with what it is; a city's name is a place.
///
/// ```
/// use redline_names::context::{context_at, ContextKind};
/// let tokens = redline_names::tokens("Petrov Director General");
/// assert_eq!(context_at(&tokens, 1), Some((2, ContextKind::Office)));
/// let tokens = redline_names::tokens("Banco Nacional de Cuba Havana");
/// assert_eq!(context_at(&tokens, 4), Some((1, ContextKind::Place)));
/// assert_eq!(context_at(&tokens, 0), None);
/// ```
pub fn context_at<T: AsRef<str>>(tokens: &[T], start: usize) -> Option<(usize, ContextKind)> {
    let t = tables();
    let word = t.words.longest_at(tokens, start).map(|(n, k)| (n, *k));
    let city = t
        .cities
        .longest_at(tokens, start)
        .map(|(n, ())| (n, ContextKind::Place));
    match (word, city) {
        (Some(w), Some(c)) if c.0 > w.0 => Some(c),
        (Some(w), _) => Some(w),
        (None, c) => c,
    }
}

/// Can a context phrase (not a city's name) end with this token? With
/// [`may_end_city`], a cheap first test for whether a query ends in words around its
/// name at all.
pub fn may_end_phrase(token: &str) -> bool {
    tables().last_words.contains(token)
}

/// Can a city's name end with this token?
pub fn may_end_city(token: &str) -> bool {
    tables().last_city_words.contains(token)
}

/// Is this token sequence exactly the name of a city?
pub fn is_city<T: AsRef<str>>(tokens: &[T]) -> bool {
    tables().cities.get(tokens).is_some()
}

/// Builds the tables now rather than on the first query that needs them.
pub fn warm_up() {
    tables();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(text: &str) -> Option<(usize, ContextKind)> {
        context_at(&crate::tokens(text), 0)
    }

    #[test]
    fn every_section_is_read() {
        assert_eq!(kind_of("Head Office"), Some((2, ContextKind::OrgRole)));
        assert_eq!(kind_of("in liquidation"), Some((2, ContextKind::OrgRole)));
        assert_eq!(kind_of("PO Box 1124"), Some((2, ContextKind::Address)));
        assert_eq!(kind_of("ul. Tverskaya"), Some((1, ContextKind::Street)));
        assert_eq!(kind_of("c/o"), Some((2, ContextKind::CareOf)));
        assert_eq!(kind_of("Province"), Some((1, ContextKind::Place)));
        assert_eq!(kind_of("Managing Director"), Some((2, ContextKind::Office)));
    }

    #[test]
    fn offices_in_other_languages_and_scripts() {
        for word in [
            "Präsident",
            "Presidente",
            "Президент",
            "总统",
            "대통령",
            "الرئيس",
            "נשיא",
        ] {
            assert_eq!(
                kind_of(word).map(|(_, k)| k),
                Some(ContextKind::Office),
                "{word}"
            );
        }
        // Cyrillic words are found under other romanisations too.
        assert_eq!(
            kind_of("Generalnyy direktor").map(|(_, k)| k),
            Some(ContextKind::Office)
        );
    }

    #[test]
    fn cities_by_their_names_and_exonyms() {
        for city in [
            "Moscow",
            "Moskau",
            "Havana",
            "Damascus",
            "Tehran",
            "Novi Sad",
            "Pyongyang",
        ] {
            assert!(is_city(&crate::tokens(city)), "{city}");
        }
        // The longest phrase wins over a context word it begins with.
        assert_eq!(kind_of("St. Petersburg"), Some((2, ContextKind::Place)));
        assert!(!is_city(&crate::tokens("Vladimir Putin")));
    }
}
