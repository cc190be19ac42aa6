//! Greek → Latin, ELOT 743 (the Greek passport standard), simplified.
//!
//! Greek names appear on EU and UK lists in their ELOT 743 form
//! (`Tsipras`, `Mitsotakis`). The rules kept here: letter-by-letter mapping
//! (`η`/`ι`/`υ` → `i`/`i`/`y`, `θ` `th`, `χ` `ch`, `ψ` `ps`, `ω` `o`), `ου` →
//! `ou`, `αυ`/`ευ`/`ηυ` → `av`/`ev`/`iv` before vowels and voiced consonants
//! and `af`/`ef`/`if` before voiceless ones or at the end of a word, `γ`
//! before `γ`/`ξ`/`χ` → `n`, and word-initial `μπ` → `b`. Where ELOT writes the
//! letters (`ντ` → `nt`, `γκ` → `gk`) but the sound is `d`/`g`, as in every
//! foreign name written in Greek (`Βλαντίμιρ` = Vladimir), the sound is kept:
//! word-initial `ντ`/`γκ` → `d`/`g`, medial → `nd`/`ng`. Accents are
//! dropped; a diaeresis (`ϋ`) blocks the diphthong rules.

/// The Latin spelling of the Greek letter at `chars[i]`.
pub(crate) fn letter(chars: &[char], i: usize) -> &'static str {
    let (c, diaeresis) = base(chars[i]);
    let prev = i.checked_sub(1).map(|j| base(chars[j]).0);
    let next = chars.get(i + 1).map(|&n| base(n).0);
    match c {
        'α' => "a",
        'β' | 'ϐ' => "v",
        'γ' => {
            if next == Some('κ') && word_start(chars, i) {
                ""
            } else if matches!(next, Some('γ' | 'ξ' | 'χ' | 'κ')) {
                "n"
            } else {
                "g"
            }
        }
        'δ' => "d",
        'ε' | 'ϵ' => "e",
        'ζ' => "z",
        'η' | 'ι' => "i",
        'θ' | 'ϑ' => "th",
        'κ' | 'ϰ' => {
            if prev == Some('γ') {
                "g"
            } else {
                "k"
            }
        }
        'λ' => "l",
        'μ' => {
            if next == Some('π') && word_start(chars, i) {
                "b"
            } else {
                "m"
            }
        }
        'ν' => {
            if next == Some('τ') && word_start(chars, i) {
                ""
            } else {
                "n"
            }
        }
        'ξ' => "x",
        'ο' => "o",
        'π' => {
            if prev == Some('μ') && word_start(chars, i - 1) {
                ""
            } else {
                "p"
            }
        }
        'ρ' | 'ϱ' => "r",
        'σ' | 'ς' | 'ϲ' => "s",
        'τ' => {
            if prev == Some('ν') {
                "d"
            } else {
                "t"
            }
        }
        'υ' => {
            if diaeresis {
                "y"
            } else {
                match prev {
                    Some('α' | 'ε' | 'η') => match next {
                        Some(n) if !voiceless_or_end(n) => "v",
                        _ => "f",
                    },
                    Some('ο') => "u",
                    _ => "y",
                }
            }
        }
        'φ' | 'ϕ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        'ω' => "o",
        _ => deunicode::deunicode_char(c).unwrap_or(""),
    }
}

/// The ways a foreign name written in Greek letters reads in the Latin script it
/// came from (lower-case ASCII, most likely first). Greek spells foreign sounds with
/// letter pairs — `μπ` b, `ντ` d, `γκ` g, `τζ` j, `ου` u, `γι` before a vowel y —
/// and has one letter, `χ`, for both `kh` and `h`, one pair, `τσ`, for both `ts` and
/// `ch` (`Σετσιν`, Sechin): `Σαχμπάζ Χαν` is `Shahbaz Khan`,
/// `Μπαχμανγιάρ` `Bahmanyar`. Used for matching beside the ELOT reading that Greek
/// names take.
///
/// ```
/// let v = redline_names::greek_foreign_readings("Χαν");
/// assert!(v.contains(&"khan".to_string()) && v.contains(&"han".to_string()));
/// assert_eq!(redline_names::greek_foreign_readings("Μπαχμανγιάρ")[0], "bakhmanyar");
/// ```
pub fn greek_foreign_readings(word: &str) -> Vec<String> {
    let letters: Vec<char> = word
        .chars()
        .map(|c| base(c).0.to_lowercase().next().unwrap_or(c))
        .collect();
    // One pass, with `χ` and `τσ` left as markers, then each of their readings.
    const CHI: &str = "\u{1}";
    const TAU_SIGMA: &str = "\u{2}";
    let mut latin = String::with_capacity(letters.len() + 4);
    let mut i = 0;
    while i < letters.len() {
        let next = letters.get(i + 1).copied();
        let vowel_next = letters
            .get(i + 2)
            .is_some_and(|c| matches!(c, 'α' | 'ε' | 'η' | 'ι' | 'ο' | 'υ' | 'ω'));
        let pair = match (letters[i], next) {
            ('μ', Some('π')) => Some("b"),
            ('ν', Some('τ')) => Some("d"),
            ('γ', Some('κ')) => Some("g"),
            ('γ', Some('γ')) => Some("ng"),
            ('τ', Some('ζ')) => Some("j"),
            ('τ', Some('σ')) => Some(TAU_SIGMA),
            ('ο', Some('υ')) => Some("u"),
            ('α', Some('ι')) => Some("e"),
            ('ε', Some('ι')) | ('ο', Some('ι')) => Some("i"),
            ('γ', Some('ι')) if vowel_next => Some("y"),
            _ => None,
        };
        if let Some(p) = pair {
            latin.push_str(p);
            i += 2;
            continue;
        }
        latin.push_str(match letters[i] {
            'α' => "a",
            'β' => "v",
            'γ' => "g",
            'δ' => "d",
            'ε' => "e",
            'ζ' => "z",
            'η' | 'ι' | 'υ' => "i",
            'θ' => "th",
            'κ' => "k",
            'λ' => "l",
            'μ' => "m",
            'ν' => "n",
            'ξ' => "ks",
            'ο' | 'ω' => "o",
            'π' => "p",
            'ρ' => "r",
            'σ' | 'ς' => "s",
            'τ' => "t",
            'φ' => "f",
            'χ' => CHI,
            'ψ' => "ps",
            _ => "",
        });
        if letters[i].is_ascii_alphanumeric() {
            latin.push(letters[i]);
        }
        i += 1;
    }
    let mut out: Vec<String> = Vec::new();
    for (chi, tau_sigma) in [("kh", "ts"), ("h", "ts"), ("kh", "ch"), ("h", "ch")] {
        let reading = latin.replace(CHI, chi).replace(TAU_SIGMA, tau_sigma);
        if !reading.is_empty() && !out.contains(&reading) {
            out.push(reading);
        }
    }
    out
}

/// After `αυ`/`ευ`/`ηυ`: is the next character a voiceless consonant or not a
/// Greek letter at all (end of word)?
fn voiceless_or_end(c: char) -> bool {
    matches!(c, 'θ' | 'κ' | 'ξ' | 'π' | 'σ' | 'ς' | 'τ' | 'φ' | 'χ' | 'ψ') || !is_greek_letter(c)
}

fn is_greek_letter(c: char) -> bool {
    matches!(c, '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}') && c.is_alphabetic()
}

fn word_start(chars: &[char], i: usize) -> bool {
    i == 0 || !chars[i - 1].is_alphabetic()
}

/// The base letter (accents removed) and whether it carried a diaeresis.
fn base(c: char) -> (char, bool) {
    let mut first = None;
    let mut diaeresis = false;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if first.is_none() {
            first = Some(d);
        } else if d == '\u{0308}' {
            diaeresis = true;
        }
    });
    (first.unwrap_or(c), diaeresis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn greek(s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        (0..chars.len()).map(|i| letter(&chars, i)).collect()
    }

    #[test]
    fn nt_and_gk_sound_as_d_and_g() {
        assert_eq!(greek("βλαντίμιρ"), "vlandimir");
        assert_eq!(greek("ντίνος"), "dinos");
        assert_eq!(greek("γκρέκο"), "greko");
        assert_eq!(greek("αγκάθι"), "angathi");
    }

    #[test]
    fn diphthongs() {
        assert_eq!(greek("αυτος"), "aftos");
        assert_eq!(greek("ευα"), "eva");
        assert_eq!(greek("ευ"), "ef");
        assert_eq!(greek("ουρανος"), "ouranos");
        assert_eq!(greek("ταϋγετος"), "taygetos");
        assert_eq!(greek("αγγελος"), "angelos");
    }
}
