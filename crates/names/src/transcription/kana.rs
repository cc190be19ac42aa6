//! Katakana (and hiragana) read back into the Latin name they transcribe.
//!
//! Japanese writes foreign names in katakana by sound: `ウラジーミル・プーチン` is
//! Vladimir Putin, `ミロノフ` Mironov, `カダフィ` Qadhafi. The reading is Hepburn,
//! with the conventions of loanwords: a consonant kana before a small vowel kana
//! is that consonant with that vowel (`ティ` `ti`, `ファ` `fa`, `ヴィ` `vi`,
//! `ウィ` `wi`, `シェ` `she`), small `ャュョ` palatalise (`ジャ` `ja`, `ニャ`
//! `nya`), `ッ` doubles the next consonant, `ン` is `m` before `b`, `p`, `m`, the
//! long-vowel mark `ー` is dropped
//! (lists write `Putin`, not `Puutin`) and so is `ヽヾ` repetition. What this
//! cannot undo — the vowels Japanese adds after consonants (`ミロノフ` `mironofu`),
//! `r` for `l`, `h`/`f` for `v` — is left to the transcription key
//! ([`super::transcription_key`]), which does not look at vowels and merges
//! those consonants.

/// The Hepburn reading of a run of kana (hiragana is read as katakana); other
/// characters are dropped. Lower-case ASCII.
///
/// ```
/// use redline_names::transcription::read_kana;
/// assert_eq!(read_kana("プーチン"), "puchin");
/// assert_eq!(read_kana("ヴィターリー"), "vitari");
/// assert_eq!(read_kana("カッザーフィー"), "kazzafi");
/// ```
pub fn read_kana(word: &str) -> String {
    let kana: Vec<char> = word.chars().map(to_katakana).collect();
    let mut out = String::with_capacity(kana.len() * 2);
    let mut double_next = false;
    let mut i = 0;
    while i < kana.len() {
        let c = kana[i];
        let next = kana.get(i + 1).copied();
        let (syllable, used) = match (syllable_of(c), next.and_then(small_vowel)) {
            (Some((consonant, _)), Some(vowel))
                if !consonant.is_empty() || c == 'ウ' || c == 'イ' =>
            {
                (joined(consonant_before_small(c, consonant), vowel), 2)
            }
            (Some((consonant, vowel)), _) => match next.and_then(small_glide) {
                Some(glide) if vowel == "i" && !consonant.is_empty() => {
                    (palatalised(consonant, glide), 2)
                }
                _ => (joined(consonant, vowel), 1),
            },
            (None, _) => {
                match c {
                    'ッ' => double_next = true,
                    // `m` before a labial, as Hepburn writes it (`カンパニー` kampani).
                    'ン' if next
                        .and_then(syllable_of)
                        .is_some_and(|(c, _)| matches!(c, "b" | "p" | "m")) =>
                    {
                        out.push('m')
                    }
                    'ン' => out.push('n'),
                    // Long-vowel mark, iteration marks, separators, other scripts.
                    _ => {}
                }
                i += 1;
                continue;
            }
        };
        if double_next {
            // `ッチ` is `tchi`, as Hepburn writes it.
            if syllable.starts_with("ch") {
                out.push('t');
            } else if let Some(first) = syllable.chars().next().filter(|c| !is_vowel(*c)) {
                out.push(first);
            }
            double_next = false;
        }
        out.push_str(&syllable);
        i += used;
    }
    out
}

/// Whether `c` is a kana letter (katakana, hiragana, the long-vowel mark).
pub(crate) fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | 'ー' | '\u{31F0}'..='\u{31FF}')
}

fn to_katakana(c: char) -> char {
    match c {
        '\u{3041}'..='\u{3096}' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
        _ => c,
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

fn joined(consonant: &str, vowel: &str) -> String {
    let mut s = String::with_capacity(consonant.len() + vowel.len());
    s.push_str(consonant);
    s.push_str(vowel);
    s
}

/// The consonant a kana stands for before a small vowel: `テ` + `ィ` is `ti`,
/// `ウ` + `ィ` `wi`, `イ` + `ェ` `ye`; the `sh`/`ch`/`j` of the i-column stays.
fn consonant_before_small(c: char, consonant: &'static str) -> &'static str {
    match c {
        'ウ' => "w",
        'イ' => "y",
        'ツ' => "ts",
        'フ' => "f",
        _ => consonant,
    }
}

/// `キ` + `ャ` is `kya`, `シ` + `ャ` `sha`, `ジ` + `ョ` `jo`.
fn palatalised(consonant: &str, glide: &str) -> String {
    if matches!(consonant, "sh" | "ch" | "j") {
        joined(consonant, &glide[1..])
    } else {
        joined(consonant, glide)
    }
}

fn small_vowel(c: char) -> Option<&'static str> {
    Some(match c {
        'ァ' => "a",
        'ィ' => "i",
        'ゥ' => "u",
        'ェ' => "e",
        'ォ' => "o",
        _ => return None,
    })
}

fn small_glide(c: char) -> Option<&'static str> {
    Some(match c {
        'ャ' => "ya",
        'ュ' => "yu",
        'ョ' => "yo",
        _ => return None,
    })
}

/// Consonant and vowel of a full-size katakana letter, Hepburn.
fn syllable_of(c: char) -> Option<(&'static str, &'static str)> {
    const VOWELS: [&str; 5] = ["a", "i", "u", "e", "o"];
    let row = |consonant: &'static str, column: usize| Some((consonant, VOWELS[column]));
    match c {
        'ア' | 'ァ' => row("", 0),
        'イ' | 'ィ' | 'ヰ' => row("", 1),
        'ウ' | 'ゥ' => row("", 2),
        'エ' | 'ェ' | 'ヱ' => row("", 3),
        'オ' | 'ォ' | 'ヲ' => row("", 4),
        'カ' | 'ヵ' => row("k", 0),
        'キ' => row("k", 1),
        'ク' => row("k", 2),
        'ケ' | 'ヶ' => row("k", 3),
        'コ' => row("k", 4),
        'ガ' => row("g", 0),
        'ギ' => row("g", 1),
        'グ' => row("g", 2),
        'ゲ' => row("g", 3),
        'ゴ' => row("g", 4),
        'サ' => row("s", 0),
        'シ' => row("sh", 1),
        'ス' => row("s", 2),
        'セ' => row("s", 3),
        'ソ' => row("s", 4),
        'ザ' => row("z", 0),
        'ジ' | 'ヂ' => row("j", 1),
        'ズ' | 'ヅ' => row("z", 2),
        'ゼ' => row("z", 3),
        'ゾ' => row("z", 4),
        'タ' => row("t", 0),
        'チ' => row("ch", 1),
        'ツ' => row("ts", 2),
        'テ' => row("t", 3),
        'ト' => row("t", 4),
        'ダ' => row("d", 0),
        'デ' => row("d", 3),
        'ド' => row("d", 4),
        'ナ' => row("n", 0),
        'ニ' => row("n", 1),
        'ヌ' => row("n", 2),
        'ネ' => row("n", 3),
        'ノ' => row("n", 4),
        'ハ' => row("h", 0),
        'ヒ' => row("h", 1),
        'フ' => row("f", 2),
        'ヘ' => row("h", 3),
        'ホ' => row("h", 4),
        'バ' => row("b", 0),
        'ビ' => row("b", 1),
        'ブ' => row("b", 2),
        'ベ' => row("b", 3),
        'ボ' => row("b", 4),
        'パ' => row("p", 0),
        'ピ' => row("p", 1),
        'プ' => row("p", 2),
        'ペ' => row("p", 3),
        'ポ' => row("p", 4),
        'マ' => row("m", 0),
        'ミ' => row("m", 1),
        'ム' => row("m", 2),
        'メ' => row("m", 3),
        'モ' => row("m", 4),
        'ヤ' | 'ャ' => row("y", 0),
        'ユ' | 'ュ' => row("y", 2),
        'ヨ' | 'ョ' => row("y", 4),
        'ラ' | 'ㇻ' => row("r", 0),
        'リ' | 'ㇼ' => row("r", 1),
        'ル' | 'ㇽ' => row("r", 2),
        'レ' | 'ㇾ' => row("r", 3),
        'ロ' | 'ㇿ' => row("r", 4),
        'ワ' | 'ヮ' => row("w", 0),
        'ヴ' => row("v", 2),
        'ヷ' => row("v", 0),
        'ヸ' => row("v", 1),
        'ヹ' => row("v", 3),
        'ヺ' => row("v", 4),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::read_kana;

    #[test]
    fn loanword_kana_read_as_their_latin_sounds() {
        // Real Wikidata labels of listed persons (multilingual benchmark).
        assert_eq!(read_kana("ウラジーミル"), "urajimiru");
        assert_eq!(read_kana("ヴィタリー"), "vitari");
        assert_eq!(read_kana("ミロノフ"), "mironofu");
        assert_eq!(read_kana("ジャマール"), "jamaru");
        assert_eq!(read_kana("シチョーゴレフ"), "shichogorefu");
        assert_eq!(read_kana("ティクリーティー"), "tikuriti");
        assert_eq!(read_kana("ウィー"), "wi");
        assert_eq!(read_kana("バッシャール"), "bassharu");
        assert_eq!(read_kana("クズネツォフ"), "kuzunetsofu");
        assert_eq!(read_kana("ハンマド"), "hammado");
        assert_eq!(read_kana("カンパニー"), "kampani");
        assert_eq!(read_kana("アッチム"), "atchimu");
        // Hiragana reads the same.
        assert_eq!(read_kana("ぷーちん"), "puchin");
    }
}
