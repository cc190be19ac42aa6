//! Arabic script → a rough common Latin form.
//!
//! Arabic and Persian write no short vowels, and list romanisations of the
//! same name vary widely (`Mohammed`, `Muhammad`, `Mohamad`). Rather than
//! guess vowels, the canonical form is the consonant skeleton plus the long
//! vowels the script does write: `ا`/`آ`/`أ` `a`, `إ` `i`, `و` `u`
//! (`w` at the start of a word), `ي`/`ی` `i` (`y` at the start of a word),
//! `ة`/`ى` `a`; harakat and tatweel are dropped; `ال` comes out as `al`.
//! `ع` is `a` unless it follows a vowel or precedes an alef (`علي` `ali`,
//! `إسماعيل` `ismail`, `عاشور` `ashur`).
//! `محمد` gives `mhmd`, which the fuzzy matcher compares with `muhammad`.

/// The Latin spelling of the Arabic-script letter at `chars[i]`.
/// `last_out` is the last character written so far.
pub(crate) fn letter(chars: &[char], i: usize, last_out: Option<char>) -> &'static str {
    let c = chars[i];
    let initial = prev_letter(chars, i).is_none();
    match c {
        'ء' => "",
        'ا' | 'آ' | 'أ' | 'ٱ' | 'ى' | 'ة' | 'ۃ' => "a",
        'إ' | 'ئ' => "i",
        'ؤ' => "u",
        'ب' => "b",
        'ت' | 'ط' | 'ٹ' => "t",
        'ث' => "th",
        'ج' => "j",
        'ح' | 'ه' | 'ھ' | 'ہ' => "h",
        'خ' => "kh",
        'د' | 'ض' | 'ڈ' => "d",
        'ذ' => "dh",
        'ر' | 'ڑ' | 'ڕ' => "r",
        'ز' | 'ظ' => "z",
        'س' | 'ص' => "s",
        'ش' => "sh",
        'ع' => {
            let after_vowel = !initial && matches!(last_out, Some('a' | 'e' | 'i' | 'o' | 'u'));
            let before_alef = matches!(next_letter(chars, i), Some('ا' | 'آ' | 'أ' | 'ى'));
            if after_vowel || before_alef {
                ""
            } else {
                "a"
            }
        }
        'غ' => "gh",
        'ف' => "f",
        'ڤ' => "v",
        'ق' => "q",
        'ك' | 'ک' => "k",
        'گ' => "g",
        'ل' | 'ڵ' => "l",
        'م' => "m",
        'ن' | 'ں' => "n",
        'و' => {
            if initial {
                "w"
            } else {
                "u"
            }
        }
        'ۆ' => "o",
        'ي' | 'ی' => {
            if initial {
                "y"
            } else {
                "i"
            }
        }
        'ے' | 'ۓ' | 'ێ' | 'ە' => "e",
        'پ' => "p",
        'چ' => "ch",
        'ژ' => "zh",
        _ => deunicode::deunicode_char(c).unwrap_or(""),
    }
}

/// How a name in Arabic script reads in Persian, Urdu or Pashto, where the letters
/// Arabic says `th`, `dh`, `d` (emphatic) and `z` (emphatic) are `s` and `z`
/// (`ضیا` is `Zia`, `فضل` `Fazal`, `ثناء` `Sana`), if the word has one of them.
/// Lower-case ASCII, one string per word as [`crate::tokens`] would give it.
///
/// ```
/// assert_eq!(redline_names::arabic_persian_reading("ضیا").as_deref(), Some("zia"));
/// assert_eq!(redline_names::arabic_persian_reading("محمد"), None);
/// ```
pub fn arabic_persian_reading(word: &str) -> Option<String> {
    if !word.chars().any(|c| matches!(c, 'ث' | 'ذ' | 'ض' | 'ظ')) {
        return None;
    }
    let persian: String = word
        .chars()
        .map(|c| match c {
            'ث' => 'س',
            'ذ' | 'ض' | 'ظ' => 'ز',
            c => c,
        })
        .collect();
    Some(crate::tokens(&persian).concat())
}

/// How an Arabic-script word reads if it writes a foreign name: Arabic has no `p`
/// and no `v` and writes them `ب` and `ف` (`بوتين` Putin, `فلاديمير` Vladimir), so each
/// of the two may stand for the letter it lacks. The readings with every `ب` a `p`,
/// every `ف` a `v`, and both; none for a word that writes Persian's own `پ` or `ڤ`
/// (it has them, so its `ب` is `b`), or has neither letter.
///
/// ```
/// let r = redline_names::arabic_foreign_readings("بوتين");
/// assert!(r.contains(&"putin".to_string()));
/// assert!(redline_names::arabic_foreign_readings("پوتین").is_empty());
/// ```
pub fn arabic_foreign_readings(word: &str) -> Vec<String> {
    if word.chars().any(|c| matches!(c, 'پ' | 'ڤ' | 'ۋ')) {
        return Vec::new();
    }
    let (b, f) = (word.contains('ب'), word.contains('ف'));
    let swaps: &[(bool, bool)] = match (b, f) {
        (false, false) => return Vec::new(),
        (true, false) => &[(true, false)],
        (false, true) => &[(false, true)],
        (true, true) => &[(true, false), (false, true), (true, true)],
    };
    swaps
        .iter()
        .map(|&(p, v)| {
            let foreign: String = word
                .chars()
                .map(|c| match c {
                    'ب' if p => 'پ',
                    'ف' if v => 'ڤ',
                    c => c,
                })
                .collect();
            crate::tokens(&foreign).concat()
        })
        .collect()
}

/// The next letter of the same word, skipping combining marks.
fn next_letter(chars: &[char], i: usize) -> Option<char> {
    chars
        .get(i + 1..)?
        .iter()
        .find(|&&c| !unicode_normalization::char::is_combining_mark(c))
        .copied()
        .filter(|c| c.is_alphabetic())
}

/// The previous letter of the same word, skipping combining marks.
fn prev_letter(chars: &[char], i: usize) -> Option<char> {
    chars[..i]
        .iter()
        .rev()
        .find(|&&c| !unicode_normalization::char::is_combining_mark(c))
        .copied()
        .filter(|c| c.is_alphabetic())
}
