//! Name normalisation and cross-script transliteration for sanctions screening.
//!
//! Sanctions lists and payment messages write the same person or company in
//! many ways: in Cyrillic, Arabic or Han script, in several Latin
//! romanisations, with invisible characters, look-alike letters from other
//! scripts, diacritics, titles and legal-form suffixes. This crate turns any
//! of those into comparable lower-case ASCII Latin tokens so that the
//! matching engine can compare like with like:
//!
//! * [`normalize`] — Unicode cleaning (NFKC, invisible characters, spaces,
//!   lower-casing, homoglyphs).
//! * [`to_latin`] — [`normalize`] then transliterate every letter into ASCII
//!   Latin with one canonical scheme per script.
//! * [`tokens`] — [`to_latin`] split into word tokens.
//! * [`script_of`] — the dominant script of a text.
//! * [`cyrillic_romanizations`] — every spelling a Cyrillic name gets under the
//!   real-world romanisation standards (passports, BGN/PCGN, ISO 9 …).
//! * [`word_readings`] — the other Latin spellings of one word, by its script:
//!   the three below.
//! * [`arabic_foreign_readings`] — how an Arabic-script word reads if it writes a
//!   foreign name (`ب` for `p`, `ف` for `v`: `بوتين` → `putin`).
//! * [`arabic_persian_reading`] — how an Arabic-script name reads in Persian or
//!   Urdu (`ضیا` → `zia`, where Arabic says `dia`).
//! * [`greek_foreign_readings`] — how a foreign name written in Greek letters
//!   reads in Latin (`Χαν` → `khan`, `han`), beside the ELOT reading of Greek names.
//! * [`is_patronymic`] — whether a token is an East Slavic patronymic
//!   (`Vladimirovich`, `Fedorovych`), which records carry and lists often omit.
//! * [`org_types`], [`symbols`], [`stopwords`] — legal forms, generic
//!   organisation descriptors and person-name titles, from the rigour data.
//! * [`company_words`] — words that describe an organisation (its sector, kind and
//!   ownership) rather than identify it, grouped by meaning across languages.
//! * [`titles`] — titles and offices around a person's name in other scripts and
//!   languages (`总统`, `大統領`, `الرئيس`, `Президент`), set aside before matching.
//! * [`context`] — words written around a name (offices, branches, addresses,
//!   care-of markers, cities), which a matcher discounts at a name's edge.
//!
//! All data is compiled in; tables are built lazily on first use (call
//! [`warm_up`] at start-up to pay that cost, a few tens of milliseconds, up
//! front). Nothing here does I/O.
//!
//! # Choices the matching engine must know
//!
//! * Russian is romanised with one BGN/PCGN-like scheme without diacritics or
//!   apostrophes (`е` is always `e`, never `ye`; `ь`/`ъ` are dropped; Ukrainian
//!   `г` stays `g`). Spelling variants (`yevgeniy`, `evgenii`, …) are left to
//!   the fuzzy matcher or to [`cyrillic_romanizations`].
//! * Han text becomes one token per character (one pinyin syllable each,
//!   without tones): `习近平` → `xi jin ping`. Hangul likewise becomes one
//!   token per syllable block. Latin-script list entries usually write such
//!   names as `XI Jinping`, so the engine should also try joining adjacent
//!   tokens.
//! * Legal forms are reported by [`org_types::legal_form_spans`] with a
//!   `canonical` that is the rigour `generic` class (`llc`, `jsc`, …) when the
//!   data has one, so `LLC`, `OOO`, `ООО`, `Ltd`, `有限公司` all share the
//!   canonical `llc`; the finer per-entry form is in `form`.

mod homoglyph;
mod iuliia;
mod normalize;
mod patronymic;
mod phrase;
mod rigour;
mod script;
mod swift_rur;
mod translit;
mod words;

pub mod company_words;
pub mod context;
pub mod org_types;
pub mod stopwords;
pub mod symbols;
pub mod titles;
pub mod transcription;

pub use iuliia::cyrillic_romanizations;
pub use normalize::normalize;
pub use org_types::{legal_form_spans, LegalFormSpan};
pub use patronymic::{is_patronymic, patronymic_of, Patronymic};
pub use script::{romanised_by_syllable, script_of, Script};
pub use stopwords::is_person_prefix;
pub use swift_rur::{cyrillic_to_swift_rur, swift_rur_to_cyrillic};
pub use symbols::symbol_of;
pub use translit::{
    arabic_foreign_readings, arabic_persian_reading, greek_foreign_readings, to_latin,
    word_readings,
};
pub use words::{words_of, Word};

/// Splits a name into lower-case ASCII word tokens.
///
/// Runs [`to_latin`] and splits on every character that is not an ASCII
/// letter or digit. Apostrophe-like characters (`'`, `` ` ``, `’`, `ʼ`, `ʹ`,
/// `”`, the middle dot `·` …) *inside* a word are removed rather than splitting it, so `O'Brien`
/// gives `obrien` and a BGN/PCGN `Ob”yedineniye` gives `obyedineniye`.
/// Hyphenated parts become separate tokens (`Rimsky-Korsakov` → `rimsky`,
/// `korsakov`); empty tokens are dropped.
///
/// ```
/// assert_eq!(redline_names::tokens("O'Brien, Seán"), ["obrien", "sean"]);
/// assert_eq!(redline_names::tokens("习近平"), ["xi", "jin", "ping"]);
/// ```
pub fn tokens(text: &str) -> Vec<String> {
    split_tokens(&to_latin(text))
}

/// Splits already transliterated text into tokens (see [`tokens`]).
fn split_tokens(latin: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = latin.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() {
            current.push(c.to_ascii_lowercase());
        } else if is_apostrophe(c)
            && !current.is_empty()
            && chars.peek().is_some_and(char::is_ascii_alphanumeric)
        {
            // Inside a word: O'Brien -> obrien.
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Apostrophe-like characters that are removed inside a word by [`tokens`]:
/// apostrophes, backtick and acute, modifier letters used for them, and the
/// primes/quotes romanisation schemes use for the Cyrillic soft and hard signs.
pub fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`'
            | '"'
            | '\u{00B4}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201B}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{2032}'
            | '\u{2033}'
            | '\u{02B9}'
            | '\u{02BA}'
            | '\u{02BB}'
            | '\u{02BC}'
            | '\u{02BD}'
            // The middle dot BGN/PCGN writes between letters that are not a digraph
            // (`otvet·stvennost’yu`: т·с, not ц) and Catalan between `l·l`.
            | '\u{00B7}'
    )
}

/// Builds every lazily initialised table now (confusables, Han readings,
/// romanisation schemas, legal forms, symbols, stopwords).
///
/// Optional: each table is otherwise built on first use. Call it once at
/// start-up so the first query does not pay the set-up cost.
pub fn warm_up() {
    normalize::warm_up();
    translit::warm_up();
    iuliia::warm_up();
    org_types::warm_up();
    symbols::warm_up();
    stopwords::warm_up();
    context::warm_up();
    company_words::warm_up();
    transcription::warm_up();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_and_apostrophes() {
        assert_eq!(tokens("O'Brien"), ["obrien"]);
        assert_eq!(tokens("O’Brien"), ["obrien"]);
        assert_eq!(tokens("O`Brien"), ["obrien"]);
        assert_eq!(tokens("O´Brien"), ["obrien"]);
        assert_eq!(tokens("Ob”yedineniye"), ["obyedineniye"]);
        assert_eq!(tokens("'quoted' name"), ["quoted", "name"]);
        assert_eq!(tokens("Rimsky-Korsakov"), ["rimsky", "korsakov"]);
        assert_eq!(tokens("  AL-QAIDA;  "), ["al", "qaida"]);
        assert_eq!(tokens("A320 Co., Ltd."), ["a320", "co", "ltd"]);
        assert!(tokens("").is_empty());
        assert!(tokens(" -- ,, ").is_empty());
    }

    #[test]
    fn tokens_of_russian_names() {
        assert_eq!(
            tokens("Путин Владимир Владимирович"),
            ["putin", "vladimir", "vladimirovich"]
        );
        assert_eq!(tokens("ООО «Промтехнология»"), ["ooo", "promtekhnologiya"]);
    }

    #[test]
    fn warm_up_builds_everything() {
        warm_up();
    }
}

/// The Latin reading of a text that mixes Latin letters with Cyrillic or Greek ones.
///
/// [`normalize`] resolves look-alike letters word by word, by each word's majority
/// script, which is right for ordinary text. A text that mixes scripts inside its
/// words (`ТАJIDЕЕN, Каѕѕіm`: Cyrillic Т, А, Е, К, ѕ, і beside Latin J, I, D, N, m)
/// is the mark of a disguised Latin name; this gives the reading with every
/// Cyrillic/Greek look-alike mapped to its Latin letter, so the caller can screen
/// both readings. `None` when no word mixes Latin with Cyrillic or Greek.
pub fn latin_lookalike(text: &str) -> Option<String> {
    let mixed = text.split(|c: char| !c.is_alphanumeric()).any(|word| {
        let latin = word.chars().any(|c| c.is_ascii_alphabetic());
        let foreign = word.chars().any(|c| {
            !c.is_ascii()
                && (homoglyph::to_latin(c).is_some()
                    || c.to_lowercase().any(|l| homoglyph::to_latin(l).is_some()))
        });
        latin && foreign
    });
    if !mixed {
        return None;
    }
    Some(
        text.chars()
            // Upper-case forms first: `Т` looks like `T` although `т` does not look like `t`.
            .flat_map(|c| match homoglyph::to_latin(c) {
                Some(l) => vec![l],
                None => c
                    .to_lowercase()
                    .map(|l| homoglyph::to_latin(l).unwrap_or(l))
                    .collect(),
            })
            .flat_map(char::to_lowercase)
            .collect(),
    )
}

#[cfg(test)]
mod lookalike_tests {
    use super::latin_lookalike;

    #[test]
    fn reads_disguised_latin_names() {
        // Cyrillic Т А Е К ѕ і mixed into a Latin name from the OFAC list.
        assert_eq!(
            latin_lookalike("ТАJIDЕЕN, Каѕѕіm").as_deref(),
            Some("tajideen, kassim")
        );
        assert_eq!(latin_lookalike("Владимир Путин"), None);
        assert_eq!(latin_lookalike("Vladimir Putin"), None);
    }
}
