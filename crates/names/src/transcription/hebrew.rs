//! Hebrew read back into the Latin name it transcribes.
//!
//! Hebrew writes consonants and, for foreign names, some vowels with the letters
//! `ו` (v, o, u) and `י` (y, i); `א` and `ע` carry vowels; a geresh marks sounds
//! Hebrew lacks (`ג׳` j, `ח׳` kh, `צ׳` ch, `ז׳` zh). `ולדימיר פוטין` is Vladimir
//! Putin, `מילונוב` Milonov. The reading takes `ו` and `י` at the start of a word
//! or doubled as consonants and elsewhere as vowels, a final `ה` as a vowel, and
//! `ב` as `v` at the end of a word (`-ov`) and `פ` as `f` after the first letter (the dagesh that would tell
//! is not written in names); the short vowels Hebrew does not write are left to the
//! transcription key, which does not look at vowels.

/// The reading of a Hebrew word as a transcribed name; other characters are
/// dropped. Lower-case ASCII.
///
/// ```
/// use redline_names::transcription::read_hebrew;
/// assert_eq!(read_hebrew("מילונוב"), "milonov");
/// assert_eq!(read_hebrew("ג'מאל"), "jmal");
/// ```
pub fn read_hebrew(word: &str) -> String {
    let letters: Vec<char> = word.chars().filter(|c| is_hebrew_letter(*c)).collect();
    let geresh_after: Vec<bool> = {
        // A geresh (׳ or an apostrophe) modifies the letter before it.
        let chars: Vec<char> = word.chars().collect();
        let mut marks = Vec::with_capacity(letters.len());
        for (i, c) in chars.iter().enumerate() {
            if is_hebrew_letter(*c) {
                marks.push(matches!(chars.get(i + 1), Some('\'' | '׳' | '’' | '`')));
            }
        }
        marks
    };
    let mut out = String::with_capacity(letters.len() * 2);
    let last = letters.len().saturating_sub(1);
    let mut i = 0;
    while i < letters.len() {
        let c = letters[i];
        let geresh = geresh_after[i];
        let doubled = letters.get(i + 1) == Some(&c);
        let sound = match c {
            'ו' if i == 0 || doubled => "v",
            'ו' => "o",
            'י' if i == 0 || doubled => "y",
            'י' => "i",
            'ה' if i == last && i > 0 => "a",
            'ב' if i == last && i > 0 => "v",
            'פ' if i == 0 => "p",
            'פ' | 'ף' => "f",
            _ => letter(c, geresh),
        };
        out.push_str(sound);
        i += if doubled && matches!(c, 'ו' | 'י') {
            2
        } else {
            1
        };
    }
    out
}

fn is_hebrew_letter(c: char) -> bool {
    ('\u{05D0}'..='\u{05EA}').contains(&c)
}

fn letter(c: char, geresh: bool) -> &'static str {
    match (c, geresh) {
        ('א' | 'ע', false) => "a",
        ('ע', true) => "gh",
        ('א', true) => "a",
        ('ב', _) => "b",
        ('ג', false) => "g",
        ('ג', true) => "j",
        ('ד', false) => "d",
        ('ד', true) => "dh",
        ('ה', _) => "h",
        ('ז', false) => "z",
        ('ז', true) => "zh",
        ('ח', false) => "h",
        ('ח', true) => "kh",
        ('ט', false) => "t",
        ('ט', true) => "z",
        ('כ' | 'ך', _) => "k",
        ('ל', _) => "l",
        ('מ' | 'ם', _) => "m",
        ('נ' | 'ן', _) => "n",
        ('ס', _) => "s",
        ('צ' | 'ץ', false) => "ts",
        ('צ' | 'ץ', true) => "ch",
        ('ק', _) => "k",
        ('ר', _) => "r",
        ('ש', _) => "sh",
        ('ת', false) => "t",
        ('ת', true) => "th",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::read_hebrew;

    #[test]
    fn hebrew_names_read_with_their_vowel_letters() {
        // Real Wikidata labels of listed persons (multilingual benchmark).
        assert_eq!(read_hebrew("ויטלי"), "vitli");
        assert_eq!(read_hebrew("אח'ונד"), "akhond");
        assert_eq!(read_hebrew("מריה"), "mria");
        assert_eq!(read_hebrew("זכארובה"), "zkaroba");
        assert_eq!(read_hebrew("עבד"), "abd");
        assert_eq!(read_hebrew("שצ'גולב"), "shchgolv");
    }
}
