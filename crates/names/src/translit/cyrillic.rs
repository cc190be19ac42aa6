//! Cyrillic → Latin with one canonical scheme.
//!
//! OFAC, the UN and the UK write Russian names in a BGN/PCGN-like form
//! without diacritics or apostrophes (`KHODORKOVSKIY`, `SHCHERBAKOV`). Using
//! one scheme of that kind for every Cyrillic name puts list entries and
//! queries in the same space; other schemes are produced on demand by
//! [`crate::cyrillic_romanizations`].
//!
//! Choices: `е`/`ё`/`э` are always `e` (never the BGN `ye` after vowels or at
//! the start of a word: lists write both `EVGENIY` and `YEVGENIY`, and the
//! fuzzy matcher absorbs the difference); `й` and `ы` are `y`; `ъ` and `ь`
//! are dropped. Ukrainian `г` stays `g` (lists mostly carry the Russian-form
//! spelling of Ukrainian names), `і` `i`, `ї` `yi`, `є` `ye`, `ґ` `g`;
//! Belarusian `ў` `u`. Serbian and Macedonian letters follow the Serbian
//! Latin alphabet with its diacritics stripped (`ђ` `d`, `ћ` `c`, `џ` `dz`,
//! `љ` `lj`); Kazakh and other Turkic letters drop their modifications
//! (`қ` `k`, `ә` `a`, `ү` `u`). Other letters with diacritics fall back to
//! their base letter, then to `deunicode`.

/// The Latin spelling of one lower-case Cyrillic letter (`""` when dropped).
pub(crate) fn letter(c: char) -> &'static str {
    if let Some(s) = table(c) {
        return s;
    }
    // Letters with a diacritic (ӧ, ӑ, ҙ …): try the base letter.
    let mut base = None;
    unicode_normalization::char::decompose_canonical(c, |d| {
        base.get_or_insert(d);
    });
    if let Some(s) = base.filter(|&b| b != c).and_then(table) {
        return s;
    }
    deunicode::deunicode_char(c).unwrap_or("")
}

fn table(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' | 'ы' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' | 'ӏ' => "",
        'ю' => "yu",
        'я' => "ya",
        // Ukrainian, Belarusian.
        'і' => "i",
        'ї' => "yi",
        'є' => "ye",
        'ґ' => "g",
        'ў' => "u",
        // Serbian, Macedonian.
        'ђ' => "d",
        'ј' => "j",
        'љ' => "lj",
        'њ' => "nj",
        'ћ' => "c",
        'џ' | 'ѕ' => "dz",
        'ѓ' => "g",
        'ќ' => "k",
        // Kazakh, Kyrgyz, Tajik, Uzbek, Tatar, Bashkir, Azerbaijani.
        'ә' => "a",
        'ғ' | 'ҝ' => "g",
        'қ' | 'ҡ' => "k",
        'ң' => "n",
        'ө' => "o",
        'ұ' | 'ү' => "u",
        'һ' | 'ҳ' => "h",
        'ҷ' | 'ҹ' | 'ӂ' => "j",
        'ҙ' => "z",
        'ҫ' => "s",
        // Pre-1918 Russian.
        'ѣ' => "e",
        'ѳ' => "f",
        'ѵ' => "i",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_alphabet() {
        let alphabet = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";
        let latin: String = alphabet.chars().map(letter).collect();
        assert_eq!(latin, "abvgdeezhziyklmnoprstufkhtschshshchyeyuya");
    }

    #[test]
    fn diacritic_fallback() {
        assert_eq!(letter('ӧ'), "o");
        assert_eq!(letter('ӑ'), "a");
        assert_eq!(letter('ӣ'), "i");
    }
}
