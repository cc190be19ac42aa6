//! Given and family names across scripts, from Wikidata through rigour.
//!
//! Transcription is irregular where it matters most: Chinese writes Vladimir
//! `弗拉基米尔` by convention, not by any rule that would give back `vladimir`;
//! Japanese writes `ウラジーミル`. rigour's person-name corpus (Wikidata given and
//! family names, each with its spellings in every script) knows 155,000 such
//! names; `data/person_names.txt.gz` keeps the groups that have both a Latin and
//! another spelling (`data/gen_person_names.py`). A word found there reads as the
//! Latin spellings of its groups.
//!
//! The file is decompressed at first use (about 7 MB of text, kept as one string)
//! and indexed by a sorted array of (form, group) entries: a binary search per
//! word, no per-form allocation.

use crate::script::{classify, CharClass};
use std::io::Read;
use std::sync::OnceLock;

static DATA: &[u8] = include_bytes!("../../data/person_names.txt.gz");

/// At most this many Latin spellings per word, from at most this many groups: a
/// form that belongs to many groups (`李`) says little, and each spelling costs a
/// dictionary lookup.
const MAX_SPELLINGS: usize = 10;
const MAX_GROUPS: usize = 6;

struct Corpus {
    text: String,
    /// Byte offset of each group's line in `text`.
    groups: Vec<u32>,
    /// (form start, form length, group), sorted by form.
    forms: Vec<(u32, u32, u32)>,
}

impl Corpus {
    fn form(&self, &(start, len, _): &(u32, u32, u32)) -> &str {
        &self.text[start as usize..(start + len) as usize]
    }

    fn line(&self, group: u32) -> &str {
        let start = self.groups[group as usize] as usize;
        let rest = &self.text[start..];
        rest.split('\n').next().unwrap_or("")
    }
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut text = String::new();
        // Compiled-in data; a unit test reads it whole.
        flate2::read::GzDecoder::new(DATA)
            .read_to_string(&mut text)
            .expect("compiled-in person_names.txt.gz decompresses");
        index(text)
    })
}

fn index(text: String) -> Corpus {
    let mut groups = Vec::new();
    let mut forms = Vec::new();
    let mut offset = 0usize;
    for line in text.split('\n') {
        let group = groups.len() as u32;
        if !line.is_empty() {
            groups.push(offset as u32);
            let mut start = offset;
            for form in line.split(", ") {
                if !is_latin(form) {
                    forms.push((start as u32, form.len() as u32, group));
                }
                start += form.len() + 2;
            }
        }
        offset += line.len() + 1;
    }
    let mut corpus = Corpus {
        text,
        groups,
        forms,
    };
    let mut forms = std::mem::take(&mut corpus.forms);
    forms.sort_unstable_by(|a, b| corpus.form(a).cmp(corpus.form(b)));
    corpus.forms = forms;
    corpus
}

fn is_latin(form: &str) -> bool {
    form.chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| classify(c) == CharClass::Latin)
}

/// The first plain-ASCII Latin spelling of every name group: a population of
/// given and family names from many languages (Wikidata), for generating realistic
/// names in benchmarks.
pub fn latin_names() -> Vec<&'static str> {
    let corpus = corpus();
    (0..corpus.groups.len() as u32)
        .filter_map(|group| {
            corpus
                .line(group)
                .split(", ")
                .find(|f| f.len() >= 2 && f.bytes().all(|b| b.is_ascii_lowercase()))
        })
        .collect()
}

/// The Latin spellings (lower-case ASCII letters, as [`crate::to_latin`] writes
/// them) of the name groups a non-Latin `word` belongs to; empty if none.
///
/// ```
/// let v = redline_names::transcription::dictionary_spellings("ウラジーミル");
/// assert!(v.contains(&"vladimir".to_string()));
/// ```
pub fn dictionary_spellings(word: &str) -> Vec<String> {
    let corpus = corpus();
    let word = word.to_lowercase();
    let first = corpus
        .forms
        .partition_point(|entry| corpus.form(entry) < word.as_str());
    // Each spelling with the number of the word's groups that have it: the
    // spelling most of them share comes first (`владимир` is in several groups,
    // all of which write `vladimir`).
    let mut counted: Vec<(String, usize)> = Vec::new();
    for entry in corpus.forms[first..]
        .iter()
        .take_while(|entry| corpus.form(entry) == word)
        .take(MAX_GROUPS)
    {
        for form in corpus.line(entry.2).split(", ").filter(|f| is_latin(f)) {
            // Most forms are plain lower-case ASCII already.
            let letters = |s: &str| s.chars().filter(char::is_ascii_alphabetic).collect();
            let spelling: String = if form.is_ascii() {
                letters(form)
            } else {
                letters(&crate::to_latin(form))
            };
            if spelling.len() < 2 {
                continue;
            }
            match counted.iter_mut().find(|(s, _)| *s == spelling) {
                Some((_, n)) => *n += 1,
                None => counted.push((spelling, 1)),
            }
        }
    }
    counted.sort_by_key(|c| std::cmp::Reverse(c.1));
    counted
        .into_iter()
        .take(MAX_SPELLINGS)
        .map(|(s, _)| s)
        .collect()
}

pub(crate) fn warm_up() {
    corpus();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_corpus_is_indexed() {
        let corpus = corpus();
        assert!(corpus.groups.len() > 150_000, "{}", corpus.groups.len());
        assert!(corpus.forms.len() > 390_000, "{}", corpus.forms.len());
    }

    #[test]
    fn names_in_other_scripts_read_as_their_latin_spellings() {
        // Maduro in Japanese, Chinese and Korean, as Wikidata writes them.
        for written in ["マドゥロ", "马杜罗", "마두로"] {
            assert!(
                dictionary_spellings(written).contains(&"maduro".to_string()),
                "{written}: {:?}",
                dictionary_spellings(written)
            );
        }
        assert!(dictionary_spellings("弗拉基米尔").contains(&"vladimir".to_string()));
        assert!(dictionary_spellings("ולדימיר").contains(&"vladimir".to_string()));
        assert!(dictionary_spellings("Putin").is_empty());
    }
}
