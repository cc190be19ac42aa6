//! Script classification of characters and texts.
//!
//! A name can arrive in any script, or in a mix of them (a Latin name with a
//! few Cyrillic look-alike letters, a Chinese name followed by its pinyin).
//! The engine uses [`script_of`] to decide which comparisons make sense (for
//! example, whether to expand Cyrillic romanisation variants); the crate
//! itself uses [`classify`] to route every character to the right
//! transliteration table and to decide whether look-alike letters are
//! homoglyphs.

use unicode_normalization::UnicodeNormalization;
use unicode_script::{Script as Ucd, UnicodeScript};

/// The dominant script of the letters of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Latin letters (including accented and fullwidth forms).
    Latin,
    /// Cyrillic (Russian, Ukrainian, Serbian, Kazakh …).
    Cyrillic,
    /// Greek.
    Greek,
    /// Arabic script (Arabic, Persian, Urdu, Pashto …).
    Arabic,
    /// Han ideographs (Chinese characters, also Japanese kanji).
    Han,
    /// Any other script (Hangul, kana, Hebrew, Devanagari, Georgian …).
    Other,
    /// No script has more than half of the letters.
    Mixed,
    /// The text has no letters at all.
    None,
}

/// The per-character class used for routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CharClass {
    Latin,
    Cyrillic,
    Greek,
    Arabic,
    Han,
    Hangul,
    /// A letter of any other script.
    OtherLetter,
    /// A combining mark (diacritic, Arabic harakat …).
    Mark,
    /// Digits, punctuation, symbols, spaces.
    NonLetter,
}

/// Classifies one character.
pub(crate) fn classify(c: char) -> CharClass {
    if c.is_ascii() {
        return if c.is_ascii_alphabetic() {
            CharClass::Latin
        } else {
            CharClass::NonLetter
        };
    }
    if unicode_normalization::char::is_combining_mark(c) {
        return CharClass::Mark;
    }
    if !c.is_alphabetic() {
        return CharClass::NonLetter;
    }
    match c.script() {
        Ucd::Latin => CharClass::Latin,
        Ucd::Cyrillic => CharClass::Cyrillic,
        Ucd::Greek => CharClass::Greek,
        Ucd::Arabic => CharClass::Arabic,
        Ucd::Han => CharClass::Han,
        Ucd::Hangul => CharClass::Hangul,
        _ => CharClass::OtherLetter,
    }
}

/// Is `c` a letter of a script whose romanisation makes a token of each syllable (Han,
/// kana, Hangul, the Indic and South-East Asian scripts): `玉美 李` is `yu mei li`, so
/// a token of such a name is a syllable, not a word.
///
/// ```
/// assert!(redline_names::romanised_by_syllable('李'));
/// assert!(!redline_names::romanised_by_syllable('Д'));
/// ```
pub fn romanised_by_syllable(c: char) -> bool {
    matches!(c as u32,
        0x0900..=0x109F       // Indic, Sinhala, Thai, Lao, Tibetan, Myanmar
        | 0x1100..=0x11FF     // Hangul jamo
        | 0x1780..=0x17FF     // Khmer
        | 0x3040..=0x9FFF     // kana, CJK
        | 0xAC00..=0xD7AF     // Hangul syllables
        | 0xF900..=0xFAFF     // CJK compatibility ideographs
        | 0x20000..=0x3FFFF) // CJK extensions
}

/// Returns the dominant script of the letters in `text`.
///
/// Letters are counted after NFKC (so fullwidth and mathematical letters count
/// as Latin); digits, punctuation and combining marks are ignored. The script
/// with more than half of the letters wins; otherwise the result is
/// [`Script::Mixed`], and [`Script::None`] when there are no letters.
/// A Latin name with a few Cyrillic homoglyphs (`Vlаdimir Рutin`) is
/// therefore still [`Script::Latin`].
///
/// ```
/// use redline_names::{script_of, Script};
/// assert_eq!(script_of("Владимир Путин"), Script::Cyrillic);
/// assert_eq!(script_of("习近平"), Script::Han);
/// assert_eq!(script_of("1234 -"), Script::None);
/// ```
pub fn script_of(text: &str) -> Script {
    // Latin, Cyrillic, Greek, Arabic, Han, Other.
    let mut counts = [0usize; 6];
    if text.is_ascii() {
        counts[0] = text.bytes().filter(u8::is_ascii_alphabetic).count();
    } else {
        for c in text.nfkc() {
            let slot = match classify(c) {
                CharClass::Latin => 0,
                CharClass::Cyrillic => 1,
                CharClass::Greek => 2,
                CharClass::Arabic => 3,
                CharClass::Han => 4,
                CharClass::Hangul | CharClass::OtherLetter => 5,
                CharClass::Mark | CharClass::NonLetter => continue,
            };
            counts[slot] += 1;
        }
    }
    let total: usize = counts.iter().sum();
    if total == 0 {
        return Script::None;
    }
    let (best, &count) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(_, n)| *n)
        .unwrap_or((0, &0));
    if count * 2 <= total {
        return Script::Mixed;
    }
    match best {
        0 => Script::Latin,
        1 => Script::Cyrillic,
        2 => Script::Greek,
        3 => Script::Arabic,
        4 => Script::Han,
        _ => Script::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_of_real_names() {
        assert_eq!(script_of("Vladimir Putin"), Script::Latin);
        assert_eq!(script_of("José Müller"), Script::Latin);
        assert_eq!(script_of("Владимир Путин"), Script::Cyrillic);
        assert_eq!(script_of("Vlаdimir Рutin"), Script::Latin);
        assert_eq!(script_of("Αλέξης Τσίπρας"), Script::Greek);
        assert_eq!(script_of("محمد بن سلمان"), Script::Arabic);
        assert_eq!(script_of("مُحَمَّد"), Script::Arabic);
        assert_eq!(script_of("習近平"), Script::Han);
        assert_eq!(script_of("김정은"), Script::Other);
        assert_eq!(script_of("ＶＬＡＤＩＭＩＲ"), Script::Latin);
        assert_eq!(script_of("Путин Putin"), Script::Mixed);
        assert_eq!(script_of(""), Script::None);
        assert_eq!(script_of("1234 -"), Script::None);
    }

    #[test]
    fn classify_routes() {
        assert_eq!(classify('a'), CharClass::Latin);
        assert_eq!(classify('é'), CharClass::Latin);
        assert_eq!(classify('ж'), CharClass::Cyrillic);
        assert_eq!(classify('λ'), CharClass::Greek);
        assert_eq!(classify('م'), CharClass::Arabic);
        assert_eq!(classify('\u{064E}'), CharClass::Mark);
        assert_eq!(classify('平'), CharClass::Han);
        assert_eq!(classify('김'), CharClass::Hangul);
        assert_eq!(classify('א'), CharClass::OtherLetter);
        assert_eq!(classify('5'), CharClass::NonLetter);
        assert_eq!(classify('«'), CharClass::NonLetter);
    }
}
