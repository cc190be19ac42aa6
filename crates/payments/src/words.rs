//! Words of free text with their byte offsets, read in Latin: the common ground of
//! the exact look-ups the screening layer runs over text (sanctioned places, IMO
//! numbers, BICs).
//!
//! Why a word splitter of its own rather than substring search: every one of these
//! look-ups must respect word boundaries ("Krymsk" is not "Krym", "SABRRUMM" inside a
//! longer reference is not a BIC), and the analyst must be shown the exact bytes
//! that fired. Reading each word through `redline_names::tokens` makes Cyrillic,
//! diacritics, full-width letters and look-alike letters compare like plain Latin,
//! the same way the matching engine reads names.

pub(crate) use redline_names::Word;

/// Words: runs of letters, digits and combining marks, with apostrophes inside a word
/// kept (`People's`). Hyphens, commas, dots, slashes and spaces separate words.
pub(crate) fn words(text: &str) -> Vec<Word<'_>> {
    redline_names::words_of(text, redline_names::is_apostrophe)
}

/// A Latin token of the text and the word it came from (a Han word gives one token
/// per syllable, all with the word's span).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// The text's words read as lower-case ASCII Latin tokens.
pub(crate) fn latin_tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for w in words(text) {
        push_word_tokens(w, &mut out);
    }
    out
}

fn push_word_tokens(w: Word<'_>, out: &mut Vec<Token>) {
    if w.text.is_ascii() {
        // Fast path for the usual case (SWIFT text is ASCII): lower-case, drop the
        // inner apostrophes exactly as `redline_names::tokens` does.
        let t: String = w
            .text
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !t.is_empty() {
            out.push(Token {
                text: t,
                start: w.start,
                end: w.end,
            });
        }
        return;
    }
    for t in redline_names::tokens(w.text) {
        out.push(Token {
            text: t,
            start: w.start,
            end: w.end,
        });
    }
}

/// The IMO check: the first six digits weighted 7 down to 2, summed, mod 10, equal
/// the seventh. Ships' IMO numbers always pass it; most other 7-digit numbers fail.
pub(crate) fn imo_check_digit_ok(digits: &str) -> bool {
    let b = digits.as_bytes();
    if b.len() != 7 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..6]
        .iter()
        .zip((2..=7).rev())
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    sum % 10 == u32::from(b[6] - b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_at_punctuation_and_keep_offsets() {
        let text = "PAY Donetsk People's Republic, UA-43; Крым/Krymsk";
        let w: Vec<&str> = words(text).iter().map(|w| w.text).collect();
        assert_eq!(
            w,
            ["PAY", "Donetsk", "People's", "Republic", "UA", "43", "Крым", "Krymsk"]
        );
        for word in words(text) {
            assert_eq!(&text[word.start..word.end], word.text);
        }
    }

    #[test]
    fn tokens_are_latin_whatever_the_script() {
        let t: Vec<String> = latin_tokens("Крым, SEVASTOPOL’s Kırım")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(t, ["krym", "sevastopols", "kirim"]);
    }

    #[test]
    fn imo_check_digits() {
        // Real IMO numbers (from the SDN list).
        assert!(imo_check_digit_ok("9187629"));
        assert!(imo_check_digit_ok("7406784"));
        assert!(!imo_check_digit_ok("9187620"));
        assert!(!imo_check_digit_ok("918762"));
        assert!(!imo_check_digit_ok("91876x9"));
    }
}
