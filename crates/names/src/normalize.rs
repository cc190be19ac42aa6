//! Unicode cleaning: the first step for every name.
//!
//! Two strings that render identically on screen can differ in bytes:
//! composed vs decomposed accents, fullwidth or mathematical letters,
//! ligatures, zero-width and bidi control characters pasted from web pages or
//! PDFs, non-breaking and ideographic spaces, soft hyphens, and letters from
//! another script that look like Latin ones. [`normalize`] removes all of that
//! variation while keeping the text in its own script, so the result is still
//! meaningful for a native-script comparison and is the input of
//! transliteration.

use crate::homoglyph::{self, Foreign};
use crate::script::{classify, CharClass};
use unicode_normalization::UnicodeNormalization;

/// Cleans a name: NFKC, invisible characters removed, spaces unified,
/// lower-cased, homoglyphs resolved.
///
/// In detail:
/// * format characters (general category Cf: zero-width space/joiner/non-
///   joiner, word joiner, BOM, soft hyphen, bidi marks and embeddings …),
///   other default-ignorable code points (variation selectors, Hangul
///   fillers, combining grapheme joiner), control characters and the Arabic
///   tatweel are removed;
/// * every Unicode space or line break becomes `' '`; runs of spaces collapse
///   to one and the result is trimmed;
/// * NFKC folds fullwidth, mathematical, ligature and other compatibility
///   forms (`ＡＢＣ`, `𝐀`, `ﬁ`); a spacing acute `´` is read as an apostrophe
///   and other spacing diacritics (`¨ ¯ ¸ ˘ ˙ ˚ ˛ ˜ ˝`) are dropped, because
///   NFKC would turn them into a space plus a combining mark;
/// * full Unicode lower-casing;
/// * homoglyphs, decided per whitespace-separated word: Cyrillic and Greek
///   letters that look like Latin ones (UTS #39 confusables) become those
///   Latin letters when the word is mostly Latin, or when the whole text is
///   mostly Latin and every foreign letter of the word has a Latin twin (and
///   either the word has a Latin letter or the text has no genuinely foreign
///   letter). Conversely, classic Latin look-alikes inside a mostly Cyrillic
///   (Greek) word become Cyrillic (Greek). A genuinely Cyrillic name is left
///   alone for transliteration.
///
/// ```
/// use redline_names::normalize;
/// assert_eq!(normalize("  Vlаdimir\u{200B} Рutin "), "vladimir putin"); // Cyrillic а, Р
/// assert_eq!(normalize("Владимир Путин"), "владимир путин");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        normalize_ascii(text, &mut out);
    } else {
        let cleaned: String = text.chars().filter_map(pre_clean).nfkc().collect();
        emit_words(&cleaned, &mut out);
    }
    out
}

/// Fast path: ASCII text only needs lower-casing and space clean-up.
fn normalize_ascii(text: &str, out: &mut String) {
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = true;
        } else if !c.is_ascii_control() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c.to_ascii_lowercase());
        }
    }
}

/// Character clean-up applied before NFKC.
fn pre_clean(c: char) -> Option<char> {
    if c.is_whitespace() {
        return Some(' ');
    }
    if is_invisible(c) {
        return None;
    }
    match c {
        '\u{00B4}' => Some('\''),
        '\u{00A8}' | '\u{00AF}' | '\u{00B8}' | '\u{02D8}'..='\u{02DD}' => None,
        _ => Some(c),
    }
}

/// Characters that render as nothing: general category Cf (Unicode 16),
/// the other default-ignorable code points, C0/C1 controls, and the Arabic
/// tatweel (a pure stretching glyph).
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0x0000..=0x001F
        | 0x007F..=0x009F
        | 0x00AD
        | 0x034F
        | 0x0600..=0x0605
        | 0x061C
        | 0x0640
        | 0x06DD
        | 0x070F
        | 0x0890..=0x0891
        | 0x08E2
        | 0x115F..=0x1160
        | 0x17B4..=0x17B5
        | 0x180B..=0x180F
        | 0x200B..=0x200F
        | 0x202A..=0x202E
        | 0x2060..=0x206F
        | 0x3164
        | 0xFE00..=0xFE0F
        | 0xFEFF
        | 0xFFA0
        | 0xFFF0..=0xFFFB
        | 0x110BD
        | 0x110CD
        | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Letter counts of a word or text, by script family.
#[derive(Default, Clone, Copy)]
struct Counts {
    latin: usize,
    cyrillic: usize,
    greek: usize,
    /// Cyrillic/Greek letters without a Latin look-alike.
    foreign_distinct: usize,
    other: usize,
}

impl Counts {
    fn add(&mut self, c: char) {
        match classify(c) {
            CharClass::Latin => self.latin += 1,
            class @ (CharClass::Cyrillic | CharClass::Greek) => {
                if class == CharClass::Cyrillic {
                    self.cyrillic += 1;
                } else {
                    self.greek += 1;
                }
                if homoglyph::to_latin(c).is_none() {
                    self.foreign_distinct += 1;
                }
            }
            CharClass::Mark | CharClass::NonLetter => {}
            _ => self.other += 1,
        }
    }

    fn of(s: &str) -> Self {
        let mut counts = Self::default();
        s.chars().for_each(|c| counts.add(c));
        counts
    }

    fn foreign(&self) -> usize {
        self.cyrillic + self.greek
    }
}

/// How look-alike letters of one word are resolved.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Keep,
    ToLatin,
    ToForeign(Foreign),
}

/// The mode a word gets from its own letters: mostly Latin → Latin; mostly
/// Cyrillic (Greek) with only look-alike Latin letters → Cyrillic (Greek).
fn word_majority_mode(word: &str, counts: &Counts) -> Mode {
    let foreign = counts.foreign();
    if foreign > 0 && counts.latin > foreign + counts.other {
        return Mode::ToLatin;
    }
    if counts.latin > 0 {
        let script = if counts.cyrillic > counts.latin + counts.greek + counts.other {
            Foreign::Cyrillic
        } else if counts.greek > counts.latin + counts.cyrillic + counts.other {
            Foreign::Greek
        } else {
            return Mode::Keep;
        };
        // Only when every Latin letter of the word has a twin.
        let all_mapped = word
            .chars()
            .all(|c| !c.is_ascii_alphabetic() || homoglyph::from_latin(c, script).is_some());
        if all_mapped {
            return Mode::ToForeign(script);
        }
    }
    Mode::Keep
}

/// The letter counts of a word after its majority mode is applied.
fn resolved(counts: &Counts, mode: Mode) -> Counts {
    let mut c = *counts;
    match mode {
        Mode::Keep => {}
        Mode::ToLatin => {
            c.latin += c.foreign() - c.foreign_distinct;
            c.cyrillic = c.foreign_distinct;
            c.greek = 0;
        }
        Mode::ToForeign(Foreign::Cyrillic) => {
            c.cyrillic += c.latin;
            c.latin = 0;
        }
        Mode::ToForeign(Foreign::Greek) => {
            c.greek += c.latin;
            c.latin = 0;
        }
    }
    c
}

/// The text-level rule for a word its own letters leave undecided: in a
/// mostly Latin text, a word whose foreign letters all have Latin twins is
/// Latin if it has a Latin letter or the text has no genuinely foreign
/// letter at all.
fn text_mode(word: &Counts, text: &Counts) -> Mode {
    let text_latin = text.latin > text.foreign() + text.other;
    if word.foreign() > 0
        && text_latin
        && word.foreign_distinct == 0
        && (word.latin > 0 || text.foreign_distinct == 0)
    {
        Mode::ToLatin
    } else {
        Mode::Keep
    }
}

/// Splits on spaces, resolves homoglyphs per word and lower-cases.
///
/// Two stages keep the result stable under repeated normalisation: word
/// majorities are resolved first, and the text-level rule then sees the
/// letter counts as they will be after that.
fn emit_words(cleaned: &str, out: &mut String) {
    let words = cleaned.split(char::is_whitespace).filter(|w| !w.is_empty());
    let raw = Counts::of(cleaned);
    if raw.foreign() == 0 || (raw.latin == 0 && raw.other == 0) {
        for word in words {
            if !out.is_empty() {
                out.push(' ');
            }
            push_lower(out, word.chars());
        }
        return;
    }
    let mut plan: Vec<(&str, Counts, Mode)> = words
        .map(|w| {
            let counts = Counts::of(w);
            (w, counts, word_majority_mode(w, &counts))
        })
        .collect();
    let mut text = Counts::default();
    for (_, counts, mode) in &plan {
        let c = resolved(counts, *mode);
        text.latin += c.latin;
        text.cyrillic += c.cyrillic;
        text.greek += c.greek;
        text.foreign_distinct += c.foreign_distinct;
        text.other += c.other;
    }
    for (_, counts, mode) in &mut plan {
        if *mode == Mode::Keep {
            *mode = text_mode(counts, &text);
        }
    }
    for (word, _, mode) in plan {
        if !out.is_empty() {
            out.push(' ');
        }
        match mode {
            Mode::Keep => push_lower(out, word.chars()),
            Mode::ToLatin => push_lower(
                out,
                word.chars().map(|c| match classify(c) {
                    CharClass::Cyrillic | CharClass::Greek => homoglyph::to_latin(c).unwrap_or(c),
                    _ => c,
                }),
            ),
            Mode::ToForeign(script) => push_lower(
                out,
                word.chars()
                    .map(|c| homoglyph::from_latin(c, script).unwrap_or(c)),
            ),
        }
    }
}

fn push_lower(out: &mut String, chars: impl Iterator<Item = char>) {
    for c in chars {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

pub(crate) fn warm_up() {
    homoglyph::warm_up();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_fast_path() {
        assert_eq!(normalize("  Vladimir\t\tPUTIN \n"), "vladimir putin");
        assert_eq!(normalize("A\u{7}B"), "ab");
        assert_eq!(normalize(""), "");
    }

    #[test]
    fn invisible_characters_removed() {
        for s in [
            "Vla\u{200B}dimir Putin",
            "Vla\u{200C}dimir Putin",
            "Vla\u{200D}dimir Putin",
            "Vla\u{2060}dimir Putin",
            "\u{FEFF}Vladimir Putin",
            "Vla\u{00AD}dimir Putin",
            "\u{200E}Vladimir\u{200F} Putin",
            "\u{202B}Vladimir Putin\u{202C}",
            "\u{2067}Vladimir\u{2069} Putin",
            "Vladimir\u{E0041} Putin",
            "Vladimir\u{FE0F} Putin",
        ] {
            assert_eq!(normalize(s), "vladimir putin", "{s:?}");
        }
    }

    #[test]
    fn spaces_unified() {
        for s in [
            "Vladimir\u{00A0}Putin",
            "Vladimir\u{2003}Putin",
            "Vladimir\u{3000}Putin",
            "Vladimir\u{202F}Putin",
            "Vladimir\u{2028}Putin",
            "Vladimir \u{00A0} \u{2009}Putin",
        ] {
            assert_eq!(normalize(s), "vladimir putin", "{s:?}");
        }
    }

    #[test]
    fn nfkc_and_case() {
        assert_eq!(normalize("ＶＬＡＤＩＭＩＲ"), "vladimir");
        assert_eq!(normalize("𝐏𝐮𝐭𝐢𝐧"), "putin");
        assert_eq!(normalize("ﬁnance"), "finance");
        assert_eq!(normalize("Jose\u{0301}"), "josé");
        assert_eq!(normalize("MÜLLER"), "müller");
        assert_eq!(normalize("STRAẞE"), "straße");
        assert_eq!(normalize("O´Brien"), "o'brien");
        assert_eq!(normalize("ОДИССЕЙ"), "одиссей");
    }

    #[test]
    fn homoglyphs_in_latin_names() {
        // Cyrillic а and Р inside Latin words.
        assert_eq!(normalize("Vlаdimir Рutin"), "vladimir putin");
        // Greek ο and Α.
        assert_eq!(normalize("Rοsneft ΑG"), "rosneft ag");
        // A word entirely of Cyrillic look-alikes in a Latin text.
        assert_eq!(normalize("SAMSUNG ЕХРО"), "samsung expo");
        // A tie inside the word, decided by the Latin text.
        assert_eq!(normalize("ВАNК Rossii"), "bank rossii");
    }

    #[test]
    fn genuine_cyrillic_is_kept() {
        assert_eq!(normalize("Владимир Путин"), "владимир путин");
        assert_eq!(normalize("ООО «Ромашка»"), "ооо «ромашка»");
        // Cyrillic word without Latin twins in a Latin text stays Cyrillic.
        assert_eq!(normalize("Gazprom Нефть"), "gazprom нефть");
        // Look-alike-only word next to a genuinely Cyrillic word: not mapped.
        assert_eq!(normalize("АО Газпром"), "ао газпром");
        // Stable under repetition when word majorities tip the text balance.
        let once = normalize("习 Рutin ООО");
        assert_eq!(normalize(&once), once);
    }

    #[test]
    fn latin_look_alikes_in_cyrillic_words() {
        // Latin y and p inside Russian words.
        assert_eq!(normalize("Пyтин Владимиp"), "путин владимир");
        // A Latin letter without a Cyrillic twin: left alone.
        assert_eq!(normalize("Пyтинz"), "пyтинz");
    }
}
