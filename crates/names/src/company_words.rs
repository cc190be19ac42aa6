//! Words that describe an organisation rather than identify it: its sector (`aerospace`,
//! `shipbuilding`), its kind (`design bureau`, `scientific production association`), its
//! ownership (`state`, `federal unitary enterprise`), in the languages the lists' names
//! come from (`завод`, `научно-производственное`, `صنایع`, `工厂`).
//!
//! Lists write the Russian and Iranian military-industrial base the long way (`JOINT
//! STOCK COMPANY AEROSPACE DEFENSE CONCERN ALMAZ-ANTEY`); people write it the short way
//! (`Almaz-Antey`). A matcher that knows which words only describe can let the words
//! that identify carry the name. Each word belongs to a group of one meaning, keyed by
//! its English form (`plant` for `zavod`, `завод`, `factory`, `works`), so the groups
//! can also say that two names use the same description in two languages.
//!
//! Data: `data/company_words.yml`, written for Redline (see its header). rigour's
//! generic descriptors ([`crate::symbols`]) and legal forms ([`crate::org_types`]) are
//! separate and complementary.

use crate::phrase::PhraseTable;
use crate::rigour;
use std::sync::OnceLock;

static DATA: &str = include_str!("../data/company_words.yml");

fn table() -> &'static PhraseTable<&'static str> {
    static TABLE: OnceLock<PhraseTable<&'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let root = rigour::parse("company_words.yml", DATA);
        let mut table = PhraseTable::default();
        for (key, items) in root.as_mapping().into_iter().flatten() {
            let Some(key) = rigour::scalar(key) else {
                continue;
            };
            let key: &'static str = Box::leak(key.into_boxed_str());
            let items = std::iter::once(key.to_string()).chain(rigour::strings(Some(items)));
            rigour::add_phrases(&mut table, items, key);
        }
        table
    })
}

/// A descriptive phrase found in a name's tokens: `tokens[start..end]` means `meaning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompanyWordSpan {
    pub start: usize,
    pub end: usize,
    /// The group's English key (`plant`, `research`, `state`).
    pub meaning: &'static str,
}

/// The descriptive phrases of a name's tokens (as [`crate::tokens`] makes them),
/// leftmost-longest.
///
/// ```
/// use redline_names::company_words::company_word_spans;
/// let tokens = redline_names::tokens("Aerospace Defense Concern Almaz-Antey");
/// let meanings: Vec<_> = company_word_spans(&tokens).iter().map(|s| s.meaning).collect();
/// assert_eq!(meanings, ["aerospace", "defense", "concern"]);
/// ```
pub fn company_word_spans<T: AsRef<str>>(tokens: &[T]) -> Vec<CompanyWordSpan> {
    table()
        .spans(tokens)
        .into_iter()
        .map(|(start, end, &meaning)| CompanyWordSpan {
            start,
            end,
            meaning,
        })
        .collect()
}

/// The meaning of one word if it is a company word, as written or, failing that, as
/// a Russian or Ukrainian case form of one (`kholdinga` → `kholding`, `zavoda` →
/// `zavod`, `upravlyayushchey` → `upravlyayushchaya`): company names put their
/// descriptive words in the genitive (`управляющая компания холдинга`).
///
/// ```
/// use redline_names::company_words::meaning_of_word;
/// assert_eq!(meaning_of_word("завод"), Some("plant"));
/// assert_eq!(meaning_of_word("kholdinga"), Some("holding"));
/// assert_eq!(meaning_of_word("integral"), None);
/// ```
pub fn meaning_of_word(word: &str) -> Option<&'static str> {
    let own = meaning_as_written;
    if let Some(meaning) = own(word) {
        return Some(meaning);
    }
    let word = crate::to_latin(word);
    if let Some(meaning) = own(&word) {
        return Some(meaning);
    }
    // Case endings of nouns and adjectives (as `to_latin` spells them), and the
    // nominative endings the glossary lists instead.
    const CASE_ENDINGS: [&str; 27] = [
        "yushchey", "ogo", "ego", "omu", "emu", "ykh", "ikh", "ami", "yami", "akh", "yakh", "iyu",
        "iey", "iem", "ii", "oy", "ey", "ym", "im", "om", "em", "u", "yu", "a", "e", "i", "y",
    ];
    const NOMINATIVES: [&str; 7] = ["", "yy", "iy", "aya", "oe", "iya", "yushchaya"];
    CASE_ENDINGS
        .iter()
        .filter_map(|ending| word.strip_suffix(ending).filter(|s| s.len() >= 4))
        .find_map(|stem| {
            NOMINATIVES
                .iter()
                .find_map(|ending| own(&format!("{stem}{ending}")))
        })
}

/// The meaning of one word if it is, as written, a company word (a list token:
/// `plant`, `zavod`); see [`meaning_of_word`] for other forms.
pub fn meaning_as_written(word: &str) -> Option<&'static str> {
    table()
        .spans(&[word])
        .iter()
        .find(|(start, end, _)| (*start, *end) == (0, 1))
        .map(|(_, _, &meaning)| meaning)
}

/// Builds the table now rather than on first use.
pub fn warm_up() {
    table();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meanings(text: &str) -> Vec<&'static str> {
        company_word_spans(&crate::tokens(text))
            .iter()
            .map(|s| s.meaning)
            .collect()
    }

    #[test]
    fn company_words_in_english_and_russian() {
        assert_eq!(meanings("Minsk Automobile Plant"), ["automobile", "plant"]);
        assert_eq!(
            meanings("Минский автомобильный завод"),
            ["automobile", "plant"]
        );
        assert_eq!(
            meanings("Научно-производственное объединение Ангстрем"),
            ["production", "association"]
        );
        // Romanised as the lists write it, and in other romanisations.
        // `научно-производственное` is one phrase, however it is spelt.
        assert_eq!(
            meanings("NAUCHNO PROIZVODSTVENNOE OBEDINENIE"),
            ["production", "association"]
        );
        assert_eq!(
            meanings("Kumertau Aviation Production Enterprise"),
            ["aviation", "production", "enterprise"]
        );
        assert!(meanings("Rostec").is_empty());
    }

    #[test]
    fn russian_case_forms_of_company_words_have_their_meaning() {
        // `управляющая компания холдинга «Интеграл»`: holding in the genitive.
        assert_eq!(meaning_of_word("холдинга"), Some("holding"));
        assert_eq!(meaning_of_word("завода"), Some("plant"));
        assert_eq!(meaning_of_word("корпорации"), Some("corporation"));
        // A tractor plant is not an automobile plant.
        assert_eq!(meaning_of_word("тракторный"), Some("tractor"));
        assert_eq!(meaning_of_word("Интеграл"), None);
    }
}
