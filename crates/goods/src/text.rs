//! Goods text as the description matcher sees it: normalised units with comparable keys.
//!
//! Why not the name pipeline of `redline-names`: names are romanised so that `Путин`
//! and `Putin` compare, but goods words must keep their language — Russian case endings
//! are stripped from Cyrillic words, and Chinese has no spaces, so every Han character
//! is its own unit and a Chinese term is a run of characters (a substring match).
//!
//! Steps, identical for taxonomy terms and for the screened text:
//! 1. `redline_names::normalize`: NFKC (fullwidth letters and digits), invisible
//!    characters removed, lower case, Latin/Cyrillic look-alike letters resolved per
//!    word (`МСU` typed with a Cyrillic `М` and `С` reads `mcu`).
//! 2. `ё` → `е` (Russian writes both); traditional Han characters → simplified
//!    (Unihan `kSimplifiedVariant`, `data/han_simplified.tsv`), so `軸承` is `轴承`.
//! 3. Units: a run of letters and digits is a word (an apostrophe inside a word is
//!    dropped); each Han character is a unit; everything else separates. So
//!    `ball-bearing`, `ball bearing` and `BALL/BEARING` give the same two words.
//! 4. Keys: a Cyrillic word loses its common noun/adjective endings (`подшипников` →
//!    `подшипник`); an all-letter Latin word loses its plural (`capacitors` →
//!    `capacitor`, `batteries` → `battery`, `switches` → `switch`); words mixing letters
//!    and digits (`stm32f103`, `ddr4`) and Han characters are kept as they are.

use std::collections::HashMap;
use std::sync::OnceLock;

const HAN_SIMPLIFIED: &str = include_str!("../data/han_simplified.tsv");

/// What kind of unit a key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnitKind {
    Word,
    Han,
}

/// One unit of normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    /// The comparison key (stem for words, the character for Han).
    pub key: String,
    /// The normalised surface form, for showing what matched.
    pub surface: String,
    pub kind: UnitKind,
}

fn han_table() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        HAN_SIMPLIFIED
            .lines()
            .filter_map(|line| {
                let (t, s) = line.split_once('\t')?;
                let (mut t, mut s) = (t.chars(), s.chars());
                let pair = (t.next()?, s.next()?);
                (t.next().is_none() && s.next().is_none()).then_some(pair)
            })
            .collect()
    })
}

/// Whether `c` is a Han (CJK ideograph) character.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF | 0x30000..=0x3134F)
}

fn is_cyrillic(c: char) -> bool {
    matches!(c as u32, 0x0400..=0x052F)
}

/// Splits text into units (see the module documentation). Words in `stopwords` (as
/// normalised surface forms) are left out.
pub(crate) fn units(text: &str, stopwords: &dyn Fn(&str) -> bool) -> Vec<Unit> {
    let normalized = redline_names::normalize(text);
    let han = han_table();
    let mut out = Vec::new();
    let mut word = String::new();
    let mut chars = normalized.chars().peekable();
    let flush = |word: &mut String, out: &mut Vec<Unit>| {
        if !word.is_empty() {
            let surface = std::mem::take(word);
            if !stopwords(&surface) {
                out.push(Unit {
                    key: stem(&surface),
                    surface,
                    kind: UnitKind::Word,
                });
            }
        }
    };
    while let Some(c) = chars.next() {
        let c = match c {
            'ё' => 'е',
            c => *han.get(&c).unwrap_or(&c),
        };
        if is_han(c) {
            flush(&mut word, &mut out);
            out.push(Unit {
                key: c.to_string(),
                surface: c.to_string(),
                kind: UnitKind::Han,
            });
        } else if c.is_alphanumeric() {
            word.push(c);
        } else if redline_names::is_apostrophe(c)
            && !word.is_empty()
            && chars
                .peek()
                .is_some_and(|n| n.is_alphanumeric() && !is_han(*n))
        {
            // Inside a word: "Hall's" → "halls".
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The comparison key of one normalised word.
pub(crate) fn stem(word: &str) -> String {
    if word.chars().any(is_cyrillic) {
        if word.chars().all(|c| is_cyrillic(c) || c.is_ascii_digit()) {
            return stem_russian(word);
        }
        return word.to_string();
    }
    if word.chars().all(|c| c.is_ascii_lowercase()) {
        return stem_english(word);
    }
    word.to_string()
}

/// English plural → singular, applied until nothing changes so that `lenses` and
/// `lens` (and `glasses`/`glass`) meet. A plural ending is only removed when at least
/// three letters remain, so acronyms keep their letters (`ups` is not `up`, `gps` is
/// not `gp`); words ending in `ss` or `is`, and words of five or more letters ending in
/// `us`, are left alone (`glass`, `chassis`, `status`) — but `mcus`, `cpus` are plurals.
fn stem_english(word: &str) -> String {
    let mut w = word.to_string();
    loop {
        let next = if w.len() > 4 && w.ends_with("ies") {
            format!("{}y", &w[..w.len() - 3])
        } else if w.len() > 4
            && w.ends_with("es")
            && ["s", "x", "z", "ch", "sh"]
                .iter()
                .any(|e| w[..w.len() - 2].ends_with(e))
        {
            w[..w.len() - 2].to_string()
        } else if w.len() > 3
            && w.ends_with('s')
            && !w.ends_with("ss")
            && !w.ends_with("is")
            && !(w.ends_with("us") && w.len() >= 5)
        {
            w[..w.len() - 1].to_string()
        } else {
            return w;
        };
        if next == w {
            return w;
        }
        w = next;
    }
}

/// Russian noun and adjective endings, longest first.
/// (`-ия`/`-ии`/`-ией` are not endings here: `радиостанция`, `радиостанции` and
/// `радиостанцией` all keep `радиостанци`.)
/// `-ем` is not an ending either: it would cut the genitive plural `микросхем` to
/// `микросх` (the rarer instrumental `усилителем` is left unstemmed instead).
const RU_ENDINGS: [&str; 42] = [
    "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ая", "яя", "ое", "ее", "ые", "ие",
    "ый", "ий", "ой", "ей", "ых", "их", "ым", "им", "ом", "ую", "юю", "ов", "ев", "ах", "ях", "ам",
    "ям", "ью", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й",
];

/// A simple Russian stemmer: strips the longest common ending that leaves at least
/// three letters, then a stem-final `и` (so `-ия`, `-ии`, `-ие`, `-ий` nouns meet:
/// `радиостанция`/`радиостанции`, `оборудование`/`оборудования`), then drops the
/// fleeting vowel of `-ок`/`-ек` stems of five or more letters (`станок`/`станка`/
/// `станки` all give `станк`). It is deliberately crude —
/// it only has to map the case and number forms of one word onto one key, the same way
/// for the taxonomy term and the screened text.
fn stem_russian(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut end = chars.len();
    for ending in RU_ENDINGS {
        let n = ending.chars().count();
        if chars.len() >= n + 3 && chars[chars.len() - n..].iter().copied().eq(ending.chars()) {
            end = chars.len() - n;
            break;
        }
    }
    let mut stem: Vec<char> = chars[..end].to_vec();
    if stem.len() > 4 && stem.last() == Some(&'и') {
        stem.pop();
    }
    let len = stem.len();
    if len >= 5 && stem[len - 1] == 'к' && matches!(stem[len - 2], 'о' | 'е') {
        let before = stem[len - 3];
        if !"аеиоуыэюяё".contains(before) {
            stem.remove(len - 2);
        }
    }
    stem.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        units(text, &|_| false).into_iter().map(|u| u.key).collect()
    }

    #[test]
    fn russian_forms_share_a_key() {
        for (a, b) in [
            ("шарикоподшипники", "шарикоподшипников"),
            ("шарикоподшипник", "шарикоподшипника"),
            ("микросхема", "микросхемы"),
            ("микросхем", "микросхемой"),
            ("конденсаторы", "конденсаторов"),
            ("танталовые", "танталовый"),
            ("станок", "станки"),
            ("станков", "станка"),
            ("память", "памяти"),
            ("усилитель", "усилителей"),
            ("радиостанция", "радиостанции"),
            ("Ёмкость", "емкости"),
            ("оборудование", "оборудования"),
            ("кремний", "кремния"),
        ] {
            assert_eq!(keys(a), keys(b), "{a} / {b}");
        }
        // Short words keep their letters.
        assert_eq!(keys("ОЗУ ЧПУ БПЛА"), ["озу", "чпу", "бпл"]);
    }

    #[test]
    fn english_plurals_share_a_key() {
        for (a, b) in [
            ("capacitors", "capacitor"),
            ("batteries", "battery"),
            ("switches", "switch"),
            ("lenses", "lens"),
            ("glasses", "glass"),
            ("PCBs", "pcb"),
            ("MCUs", "mcu"),
            ("devices", "device"),
            ("boxes", "box"),
        ] {
            assert_eq!(keys(a), keys(b), "{a} / {b}");
        }
        assert_eq!(
            keys("bus chassis UPS GPS ICs"),
            ["bus", "chassis", "ups", "gps", "ics"]
        );
    }

    #[test]
    fn units_split_words_han_and_punctuation() {
        assert_eq!(
            keys("Ball-Bearing, 6204-2RS"),
            ["ball", "bearing", "6204", "2rs"]
        );
        assert_eq!(keys("STM32微控制器"), ["stm32", "微", "控", "制", "器"]);
        // Traditional characters become simplified; spaces between Han characters vanish.
        assert_eq!(keys("軸 承"), ["轴", "承"]);
        // Cyrillic look-alikes in a Latin word are read as Latin.
        assert_eq!(keys("Мicrocontroller"), ["microcontroller"]);
        assert_eq!(keys("Hall's sensor"), ["hall", "sensor"]);
    }
}
