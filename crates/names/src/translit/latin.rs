//! Latin letters with diacritics → plain ASCII.
//!
//! `José`/`Jose`, `Müller`/`Muller`, `Łukasz`/`Lukasz`: lists and payment
//! systems drop diacritics inconsistently (SWIFT's character set has none),
//! so every accented Latin letter is reduced to its base letter. Letters that
//! are not a base letter plus a mark are spelled out (`ß` `ss`, `æ` `ae`,
//! `œ` `oe`, `ø` `o`, `ł` `l`, `đ`/`ð` `d`, `þ` `th`, `ı` `i`, `ə` `a`).
//! German `ü` → `u` (not `ue`) follows how SWIFT messages and most lists
//! fold it; the fuzzy matcher handles `mueller`.

/// The ASCII spelling of one lower-case non-ASCII Latin letter.
pub(crate) fn letter(c: char) -> &'static str {
    if let Some(s) = special(c) {
        return s;
    }
    let mut base = None;
    unicode_normalization::char::decompose_canonical(c, |d| {
        base.get_or_insert(d);
    });
    if let Some(b) = base.filter(|&b| b != c) {
        if b.is_ascii_alphabetic() {
            return ascii_letter(b);
        }
        if let Some(s) = special(b) {
            return s;
        }
    }
    deunicode::deunicode_char(c).unwrap_or("")
}

fn special(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' | 'ɨ' | 'ɪ' => "i",
        'ə' | 'ɐ' | 'ɑ' => "a",
        'ǝ' | 'ɛ' => "e",
        'ŋ' => "ng",
        'ħ' => "h",
        'ŧ' => "t",
        'ĸ' => "k",
        'ſ' => "s",
        'ƒ' => "f",
        'ȷ' => "j",
        'ɔ' => "o",
        'ʒ' => "zh",
        _ => return None,
    })
}

/// A static one-letter string for an ASCII letter.
fn ascii_letter(b: char) -> &'static str {
    const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz";
    (b.to_ascii_lowercase() as usize)
        .checked_sub('a' as usize)
        .and_then(|i| LETTERS.get(i..=i))
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_stripped() {
        for (c, s) in [
            ('é', "e"),
            ('ü', "u"),
            ('ñ', "n"),
            ('ç', "c"),
            ('ǿ', "o"),
            ('ş', "s"),
            ('ğ', "g"),
            ('ễ', "e"),
            ('ß', "ss"),
            ('ı', "i"),
            ('ɏ', "y"),
        ] {
            assert_eq!(letter(c), s, "{c}");
        }
    }
}
