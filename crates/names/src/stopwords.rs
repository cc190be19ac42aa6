//! Titles, honorifics and other name stopwords.
//!
//! Person names on lists and in payments come with titles and honorifics
//! (`Mr`, `Dr.`, `His Excellency`, `General`, `Sheikh`, `Hajji`) that are not
//! part of the name and must neither add to nor subtract from a match. This
//! module recognises them, and a few other rigour stopword lists.
//!
//! Data: rigour's `stopwords.yml` (MIT, `data/LICENSE-rigour`):
//! `PERSON_NAME_PREFIXES` (titles; rigour's comment: each also matches with a
//! trailing dot, which tokenisation gives for free), `ORG_NAME_PREFIXES`
//! (`the`, `le`, `la`), `GENERIC_PERSON_NAMES` (`abu omar`, `muhammad` …:
//! names too common to identify anyone alone) and `NAME_SPLIT_PHRASES`
//! (`also known as`, `f/k/a` …). Person prefixes additionally include the
//! `haji`, `sheikh`, `dr` and `prof` groups of rigour's `symbols.yml`
//! (`hajji`, `shaykh`, `doktor` …). Rigour leaves `Sheikh` out of its prefix
//! list because it is also a given name: callers should drop a prefix only
//! when a name remains after it (which [`person_prefix_len`] guarantees).

use crate::phrase::PhraseTable;
use crate::rigour;
use crate::symbols;
use std::sync::OnceLock;

static DATA: &str = include_str!("../data/stopwords.yml");

/// Groups of `symbols.yml` `person_symbols` that are titles.
const TITLE_GROUPS: [&str; 4] = ["haji", "sheikh", "dr", "prof"];

struct Stopwords {
    person_prefixes: PhraseTable<()>,
    org_prefixes: PhraseTable<()>,
    generic_person_names: PhraseTable<()>,
    split_phrases: PhraseTable<()>,
}

fn data() -> &'static Stopwords {
    static STOPWORDS: OnceLock<Stopwords> = OnceLock::new();
    STOPWORDS.get_or_init(build)
}

fn table_of(root: &serde_yaml_ng::Value, key: &str) -> PhraseTable<()> {
    let mut table = PhraseTable::default();
    rigour::add_phrases(&mut table, rigour::strings(root.get(key)), ());
    table
}

fn build() -> Stopwords {
    let root = rigour::parse("stopwords.yml", DATA);
    let mut person_prefixes = table_of(&root, "PERSON_NAME_PREFIXES");
    for group in TITLE_GROUPS {
        for phrase in symbols::person_group(group) {
            person_prefixes.entry(phrase.clone(), || ());
        }
    }
    Stopwords {
        person_prefixes,
        org_prefixes: table_of(&root, "ORG_NAME_PREFIXES"),
        generic_person_names: table_of(&root, "GENERIC_PERSON_NAMES"),
        split_phrases: table_of(&root, "NAME_SPLIT_PHRASES"),
    }
}

/// Is this token (or raw word) a person title or honorific on its own
/// (`mr`, `dr`, `general`, `sheikh`, `hajji`, `excellency`)?
///
/// Multi-token titles (`his excellency`, `lieutenant general`) are found by
/// [`person_prefix_len`].
///
/// ```
/// use redline_names::is_person_prefix;
/// assert!(is_person_prefix("mr"));
/// assert!(is_person_prefix("Dr."));
/// assert!(!is_person_prefix("vladimir"));
/// ```
pub fn is_person_prefix(token: &str) -> bool {
    symbols::lookup(&data().person_prefixes, token).is_some()
}

/// The number of leading tokens that are person titles, matched longest
/// first and repeatedly (`his excellency general abdel fattah` → 3), but
/// never the whole name: at least one token is always left.
pub fn person_prefix_len<T: AsRef<str>>(tokens: &[T]) -> usize {
    let table = &data().person_prefixes;
    let mut i = 0;
    while let Some((len, ())) = table.longest_at(tokens, i) {
        if i + len >= tokens.len() {
            break;
        }
        i += len;
    }
    i
}

/// Is this token an organisation-name prefix (`the`, `le`, `la`)?
pub fn is_org_prefix(token: &str) -> bool {
    symbols::lookup(&data().org_prefixes, token).is_some()
}

/// Is the whole token sequence a name too generic to identify anyone alone
/// (`abu omar`, `muhammad`, `abdul rahman`)?
pub fn is_generic_person_name<T: AsRef<str>>(tokens: &[T]) -> bool {
    data().generic_person_names.get(tokens).is_some()
}

/// Spans `(start, end)` of phrases that join several names in one string
/// (`also known as`, `formerly`, `f/k/a`, `dba`): split there.
pub fn name_split_spans<T: AsRef<str>>(tokens: &[T]) -> Vec<(usize, usize)> {
    data()
        .split_phrases
        .spans(tokens)
        .into_iter()
        .map(|(start, end, _)| (start, end))
        .collect()
}

pub(crate) fn warm_up() {
    data();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens;

    #[test]
    fn data_parses() {
        let root = rigour::parse("stopwords.yml", DATA);
        for key in [
            "PERSON_NAME_PREFIXES",
            "ORG_NAME_PREFIXES",
            "GENERIC_PERSON_NAMES",
            "NAME_SPLIT_PHRASES",
        ] {
            assert!(!rigour::strings(root.get(key)).is_empty(), "{key}");
        }
    }

    #[test]
    fn titles() {
        for t in [
            "mr",
            "Mr.",
            "mrs",
            "dr",
            "doctor",
            "prof",
            "general",
            "colonel",
            "sheikh",
            "shaikh",
            "hajji",
            "haji",
            "sir",
            "excellency",
            "ambassador",
        ] {
            assert!(is_person_prefix(t), "{t}");
        }
        for t in ["vladimir", "putin", "major", "king", "lieutenant", ""] {
            assert!(!is_person_prefix(t), "{t}");
        }
    }

    #[test]
    fn prefix_runs() {
        assert_eq!(
            person_prefix_len(&tokens("His Excellency General Abdel Fattah")),
            3
        );
        assert_eq!(person_prefix_len(&tokens("Mr. Dr. John Smith")), 2);
        assert_eq!(person_prefix_len(&tokens("Lieutenant General Ivanov")), 2);
        assert_eq!(person_prefix_len(&tokens("Sheikh Tamim")), 1);
        // Never the whole name.
        assert_eq!(person_prefix_len(&tokens("Sheikh")), 0);
        assert_eq!(person_prefix_len(&tokens("Vladimir Putin")), 0);
        assert_eq!(person_prefix_len::<String>(&[]), 0);
    }

    #[test]
    fn other_lists() {
        assert!(is_org_prefix("the"));
        assert!(!is_org_prefix("bank"));
        assert!(is_generic_person_name(&tokens("Abu Omar")));
        assert!(is_generic_person_name(&tokens("Muhammad")));
        assert!(!is_generic_person_name(&tokens("Muhammad Ali")));
        let toks = tokens("Rosneft also known as Rosneft Oil Company");
        assert_eq!(name_split_spans(&toks), [(1, 4)]);
    }
}
