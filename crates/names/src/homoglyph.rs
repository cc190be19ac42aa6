//! Homoglyph tables: Cyrillic and Greek letters that look like Latin letters.
//!
//! Evasion (and sloppy data entry) mixes look-alike letters from other scripts
//! into Latin names: `Vlаdimir Рutin` with a Cyrillic `а` and `Р` renders like
//! the real name but shares no bytes with it. The reverse also happens: a
//! Latin `y` or `p` typed into a Russian word. These tables come from the
//! Unicode confusables data (UTS #39) shipped in the `unicode-security`
//! crate: a Cyrillic or Greek letter is a homoglyph of a Latin letter when its
//! UTS #39 skeleton is exactly that one ASCII letter. Skeletons fold `I` and
//! `l` together, so an upper-case source whose skeleton is `l` (`І`, `Ι`, `Ӏ`)
//! is read as `i`.
//!
//! The reverse direction (Latin letter inside a Cyrillic or Greek word) is
//! limited to the classic, unambiguous look-alikes (`a c e o p x y` and
//! `A B C E H K M O P T X Y` for Cyrillic, capitals and `o` for Greek), taken
//! from the same data.

use std::sync::OnceLock;
use unicode_security::skeleton;

/// Which foreign script a reverse (Latin → foreign) mapping targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Foreign {
    Cyrillic,
    Greek,
}

struct Tables {
    /// Cyrillic/Greek letter → lower-case ASCII Latin letter, sorted by key.
    to_latin: Vec<(char, char)>,
    /// ASCII Latin letter (as typed, with case) → Cyrillic letter.
    latin_to_cyrillic: [Option<char>; 128],
    /// ASCII Latin letter (as typed, with case) → Greek letter.
    latin_to_greek: [Option<char>; 128],
}

/// Latin letters that may be read as Cyrillic inside a Cyrillic word.
const CYRILLIC_REVERSE: &str = "aceopxyABCEHKMOPTXY";
/// Latin letters that may be read as Greek inside a Greek word.
const GREEK_REVERSE: &str = "oABEHIKMNOPTXYZ";

const RANGES: [(u32, u32, Foreign); 5] = [
    (0x0370, 0x03FF, Foreign::Greek),
    (0x1F00, 0x1FFF, Foreign::Greek),
    (0x0400, 0x052F, Foreign::Cyrillic),
    (0x1C80, 0x1C8F, Foreign::Cyrillic),
    (0xA640, 0xA69F, Foreign::Cyrillic),
];

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(build)
}

fn build() -> Tables {
    let mut to_latin = Vec::new();
    let mut latin_to_cyrillic = [None; 128];
    let mut latin_to_greek = [None; 128];
    let mut buf = [0u8; 4];
    for &(lo, hi, script) in &RANGES {
        for c in (lo..=hi).filter_map(char::from_u32) {
            if !c.is_alphabetic() {
                continue;
            }
            let mut sk = skeleton(c.encode_utf8(&mut buf));
            let (Some(proto), None) = (sk.next(), sk.next()) else {
                continue;
            };
            if !proto.is_ascii_alphabetic() {
                continue;
            }
            let target = if proto == 'l' && c.is_uppercase() {
                'i'
            } else {
                proto.to_ascii_lowercase()
            };
            to_latin.push((c, target));
            let (allowed, reverse) = match script {
                Foreign::Cyrillic => (CYRILLIC_REVERSE, &mut latin_to_cyrillic),
                Foreign::Greek => (GREEK_REVERSE, &mut latin_to_greek),
            };
            // The skeleton keeps the visual case (Cyrillic `В` -> `B`).
            let key = if proto == 'l' && c.is_uppercase() {
                'I'
            } else {
                proto
            };
            if allowed.contains(key) {
                // Ranges are walked in code point order: the basic alphabet
                // (lowest code points) wins.
                reverse[key as usize].get_or_insert(c);
            }
        }
    }
    to_latin.sort_unstable();
    Tables {
        to_latin,
        latin_to_cyrillic,
        latin_to_greek,
    }
}

/// The lower-case Latin letter that the Cyrillic/Greek letter `c` looks like.
pub(crate) fn to_latin(c: char) -> Option<char> {
    let table = &tables().to_latin;
    table
        .binary_search_by_key(&c, |&(k, _)| k)
        .ok()
        .map(|i| table[i].1)
}

/// The Cyrillic or Greek letter that the ASCII Latin letter `c` stands for
/// inside a word of that script.
pub(crate) fn from_latin(c: char, script: Foreign) -> Option<char> {
    if !c.is_ascii() {
        return None;
    }
    let t = tables();
    let table = match script {
        Foreign::Cyrillic => &t.latin_to_cyrillic,
        Foreign::Greek => &t.latin_to_greek,
    };
    table[c as usize]
}

pub(crate) fn warm_up() {
    tables();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_look_alikes() {
        for (cyr, lat) in [
            ('а', 'a'),
            ('А', 'a'),
            ('Р', 'p'),
            ('р', 'p'),
            ('С', 'c'),
            ('е', 'e'),
            ('о', 'o'),
            ('В', 'b'),
            ('Н', 'h'),
            ('К', 'k'),
            ('М', 'm'),
            ('Т', 't'),
            ('Х', 'x'),
            ('у', 'y'),
            ('І', 'i'),
            ('і', 'i'),
            ('ј', 'j'),
        ] {
            assert_eq!(to_latin(cyr), Some(lat), "{cyr}");
        }
        // Genuinely Cyrillic shapes have no Latin twin.
        for c in ['ж', 'л', 'ф', 'ц', 'я', 'д', 'и'] {
            assert_eq!(to_latin(c), None, "{c}");
        }
    }

    #[test]
    fn greek_look_alikes() {
        assert_eq!(to_latin('Α'), Some('a'));
        assert_eq!(to_latin('ο'), Some('o'));
        assert_eq!(to_latin('Ι'), Some('i'));
        assert_eq!(to_latin('λ'), None);
    }

    #[test]
    fn reverse_look_alikes() {
        assert_eq!(from_latin('y', Foreign::Cyrillic), Some('у'));
        assert_eq!(from_latin('p', Foreign::Cyrillic), Some('р'));
        assert_eq!(from_latin('B', Foreign::Cyrillic), Some('В'));
        assert_eq!(from_latin('H', Foreign::Cyrillic), Some('Н'));
        assert_eq!(from_latin('b', Foreign::Cyrillic), None);
        assert_eq!(from_latin('n', Foreign::Cyrillic), None);
        assert_eq!(from_latin('o', Foreign::Greek), Some('ο'));
        assert_eq!(from_latin('A', Foreign::Greek), Some('Α'));
    }
}
