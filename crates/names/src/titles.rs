//! Titles and offices written around a person's name, in the languages and scripts
//! users write them: `总统 普京`, `プーチン大統領`, `푸틴 대통령`, `الرئيس فلاديمير
//! بوتين`, `Президент Владимир Путин`, `ڈاکٹر عبدالقدیر خان`.
//!
//! Titles in Latin letters (`Mr`, `Dr.`, `General`, `Presidente`) are found word by
//! word after romanisation, by [`crate::stopwords`] and [`crate::context`]; a title
//! in another script often is not: `总统`
//! romanises to two syllables, `大統領` runs into the name it follows, `الرئيس`
//! carries the article. [`without_titles`] sets such titles aside at either end of
//! the name as written, from the phrases of `data/titles.yml` (Redline's own list,
//! one entry per meaning). A name is never reduced to nothing, and the caller
//! screens the name as written beside it: a company called `President Hotel` is
//! still that.

use std::sync::OnceLock;

use crate::script::{classify, CharClass};

static DATA: &str = include_str!("../data/titles.yml");

/// A title set aside, as written, and what it means (`president`, `doctor`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    pub written: String,
    pub meaning: &'static str,
}

/// A name without the titles around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithoutTitles {
    /// The name, normalised ([`crate::normalize`]), without its titles.
    pub name: String,
    pub titles: Vec<Title>,
}

struct Form {
    /// Normalised, as [`crate::normalize`] writes it.
    text: String,
    meaning: String,
    /// Written in a script without spaces between words (Chinese characters, kana,
    /// hangul): also found run together with the name.
    spaceless: bool,
}

fn forms() -> &'static [Form] {
    static FORMS: OnceLock<Vec<Form>> = OnceLock::new();
    FORMS.get_or_init(|| {
        let root = crate::rigour::parse("titles.yml", DATA);
        let mut forms = Vec::new();
        for (meaning, phrases) in root.as_mapping().into_iter().flatten() {
            let Some(meaning) = meaning.as_str() else {
                continue;
            };
            for phrase in crate::rigour::strings(Some(phrases)) {
                let text = crate::normalize(&phrase);
                let spaceless = text.chars().all(|c| {
                    matches!(classify(c), CharClass::Han | CharClass::Hangul) || is_kana(c)
                });
                forms.push(Form {
                    text,
                    meaning: meaning.to_string(),
                    spaceless,
                });
            }
        }
        // Longest first: `رئيس الوزراء` before `الرئيس`, `prime minister` before
        // `minister`.
        forms.sort_by_key(|f| std::cmp::Reverse(f.text.chars().count()));
        forms
    })
}

fn is_kana(c: char) -> bool {
    ('\u{3040}'..='\u{30FF}').contains(&c)
}

/// What separates a title from the name: spaces, punctuation, a foreign name's dot.
fn is_separator(c: char) -> bool {
    !c.is_alphanumeric() && !matches!(classify(c), CharClass::Mark) && c != '\''
}

/// `text` without the titles at either end, if it has any and a name remains.
///
/// ```
/// use redline_names::titles::without_titles;
/// let w = without_titles("プーチン大統領").unwrap();
/// assert_eq!(w.name, "プーチン");
/// assert_eq!(w.titles[0].meaning, "president");
/// assert_eq!(without_titles("الرئيس فلاديمير بوتين").unwrap().name, "فلاديمير بوتين");
/// assert!(without_titles("Vladimir Putin").is_none());
/// // Never the whole name.
/// assert!(without_titles("President").is_none());
/// ```
pub fn without_titles(text: &str) -> Option<WithoutTitles> {
    // Titles in plain Latin letters are rigour's prefixes and the context words'
    // offices, taken word by word (see `data/titles.yml`).
    if text.is_ascii() {
        return None;
    }
    let normalised = crate::normalize(text);
    let mut rest: &str = normalised.trim_matches(is_separator);
    let mut titles = Vec::new();
    'strip: loop {
        for form in forms() {
            let f = form.text.as_str();
            // The title at the start (what follows it must be a separator) or at
            // the end (what precedes it), unless the script runs words together.
            let at_start = (rest.strip_prefix(f))
                .filter(|after| form.spaceless || after.starts_with(is_separator));
            let at_end = (rest.strip_suffix(f))
                .filter(|before| form.spaceless || before.ends_with(is_separator));
            for left in [at_start, at_end].into_iter().flatten() {
                let left = left.trim_matches(is_separator);
                if left.chars().any(char::is_alphabetic) {
                    titles.push(Title {
                        written: f.to_string(),
                        meaning: form.meaning.as_str(),
                    });
                    rest = left;
                    continue 'strip;
                }
            }
        }
        break;
    }
    (!titles.is_empty()).then(|| WithoutTitles {
        name: rest.to_string(),
        titles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_in_many_languages_are_set_aside_at_either_end() {
        for (written, name, meaning) in [
            ("总统 弗拉基米尔·普京", "弗拉基米尔·普京", "president"),
            ("普京总统", "普京", "president"),
            ("푸틴 대통령", "푸틴", "president"),
            ("Президент Владимир Путин", "владимир путин", "president"),
            ("ڈاکٹر عبدالقدیر خان", "عبدالقدیر خان", "doctor"),
            (
                "ギブリール・アブドゥル・カリーム・バリー将軍",
                "ギブリール・アブドゥル・カリーム・バリー",
                "general",
            ),
            ("გენერალი ჰტუნ აუნგ", "ჰტუნ აუნგ", "general"),
        ] {
            let w = without_titles(written).unwrap_or_else(|| panic!("{written}"));
            assert_eq!(w.name, name, "{written}");
            assert_eq!(w.titles[0].meaning, meaning, "{written}");
        }
    }

    #[test]
    fn words_that_only_begin_like_a_title_stay() {
        // `Presidential`, `Generalov`, `Drozdov` are not titles; a name of a title
        // alone stays a name.
        for text in [
            "Presidential Guard",
            "Generalov Sergei",
            "Drozdov Ivan",
            "General",
        ] {
            assert!(without_titles(text).is_none(), "{text}");
        }
    }
}
