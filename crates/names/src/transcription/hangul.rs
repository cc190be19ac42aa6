//! Hangul read back into the Latin name it transcribes.
//!
//! Korean writes foreign names in hangul by sound, adding the vowel `ㅡ` (`eu`)
//! after consonants that end a syllable in the original: `블라디미르 푸틴` is
//! Vladimir Putin (`beul-la-di-mi-reu pu-tin`), `밀로노프` Mironov/Milonov. The
//! reading spells each syllable's jamo (Revised Romanisation, with `ㄹ` as `l`
//! at the end of a syllable and `r` before a vowel) but drops that epenthetic
//! `eu` and writes a doubled `ㄹㄹ` once (`블라` `bla`), so that the result is close
//! to the original spelling; `p` for `f`, `b` for `v` and `r` for `l` are left to
//! the transcription key. Korean names of Korean persons (`김정은`) are read by the
//! one-word-per-syllable romanisation of [`crate::to_latin`], not here.

const INITIALS: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
    "h",
];
const VOWELS: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "eu", "ui", "i",
];
const FINALS: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];
/// Index of `ㅡ` among the vowels, and of `ㄹ` among initials and finals.
const EU: usize = 18;
const RIEUL_INITIAL: usize = 5;
const RIEUL_FINAL: usize = 8;

/// The reading of a run of hangul syllables as a transcribed foreign name; other
/// characters are dropped. Lower-case ASCII.
///
/// ```
/// use redline_names::transcription::read_hangul;
/// assert_eq!(read_hangul("블라디미르"), "bladimir");
/// assert_eq!(read_hangul("푸틴"), "putin");
/// ```
pub fn read_hangul(word: &str) -> String {
    let syllables: Vec<(usize, usize, usize)> = word.chars().filter_map(jamo).collect();
    let mut out = String::with_capacity(syllables.len() * 3);
    for (i, &(initial, vowel, last)) in syllables.iter().enumerate() {
        let after_rieul = i > 0 && syllables[i - 1].2 == RIEUL_FINAL;
        if !(initial == RIEUL_INITIAL && after_rieul) {
            out.push_str(INITIALS[initial]);
        }
        // `ㅡ` after a consonant is the vowel Korean adds, unless it is the whole
        // syllable's sound (`으`).
        if vowel != EU || initial == 11 {
            out.push_str(VOWELS[vowel]);
        }
        out.push_str(FINALS[last]);
    }
    out
}

/// Whether `c` is a precomposed hangul syllable.
pub(crate) fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Initial, vowel and final jamo indices of a precomposed syllable.
fn jamo(c: char) -> Option<(usize, usize, usize)> {
    if !is_hangul_syllable(c) {
        return None;
    }
    let s = c as usize - 0xAC00;
    Some((s / (21 * 28), (s % (21 * 28)) / 28, s % 28))
}

#[cfg(test)]
mod tests {
    use super::read_hangul;

    #[test]
    fn foreign_names_in_hangul_read_close_to_their_spelling() {
        // Real Wikidata labels of listed persons (multilingual benchmark).
        assert_eq!(read_hangul("비탈리"), "bitali");
        assert_eq!(read_hangul("밀로노프"), "milonop");
        assert_eq!(read_hangul("카다피"), "kadapi");
        assert_eq!(read_hangul("압둘"), "apdul");
        assert_eq!(read_hangul("카디르"), "kadir");
        assert_eq!(read_hangul("로드리게스"), "rodriges");
        assert_eq!(read_hangul("빈센트"), "binsent");
    }
}
