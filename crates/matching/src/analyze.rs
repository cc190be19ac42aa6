//! Turning a name into what the index and the scorer compare.
//!
//! A name becomes romanised tokens ([`redline_names::tokens`]); legal forms
//! (`LLC`, `ООО`, `有限公司`) are taken out of the token sequence and kept apart as
//! canonical forms, because they say what kind of company it is, not which one;
//! titles, honorifics and generational suffixes (`Sheikh`, `Prof.`, `Jr.`) are
//! marked ignorable; generic descriptors (`company`, `trading`, `group`) are kept
//! but marked so they weigh little and can never carry a match alone.

use redline_names::context::ContextKind;
use redline_names::{legal_form_spans, script_of, Script};

/// What a token is, for weighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TokenRole {
    /// Part of the name proper.
    Name,
    /// A generic descriptor such as `company`, `trading`, `bank`.
    Generic,
    /// A title, honorific or suffix: it may be missing on either side at no cost.
    Ignorable,
    /// Part of a legal form (`limited`, `liability`, `ooo`): compared as a whole form.
    LegalForm,
    /// A word written around a query's name, at its edge: a place, an office, an
    /// address, a care-of marker (see [`crate::context`]). Unmatched, it costs little.
    Context(ContextKind),
}

#[derive(Debug, Clone)]
pub struct AnalyzedName {
    pub tokens: Vec<String>,
    pub roles: Vec<TokenRole>,
    /// Canonical legal forms found in the name (their tokens have role `LegalForm`).
    pub legal_forms: Vec<String>,
    /// The name was written in a non-Latin script.
    pub non_latin: bool,
    /// The name was written in Arabic script, which leaves out short vowels.
    pub arabic: bool,
    /// `hyphen_after[k]`: token `k` and the next one are one hyphenated name
    /// (`ABBASI-DAVANI`), which an initial may stand for as a whole.
    pub hyphen_after: Vec<bool>,
    /// `initials[k]`: the letter token `k` begins with as written, before the
    /// respelling below (`Xhemajli` is compared as `kshemajli`, yet `X.` is its
    /// initial).
    pub initials: Vec<char>,
    /// `set_apart[k]`: punctuation stands between token `k - 1` and token `k`.
    pub set_apart: Vec<bool>,
    /// The words around a query's name (see [`crate::context`]) are set apart from
    /// it by punctuation.
    pub context_set_apart: bool,
    /// The first token after the name's one comma, where it has exactly one: how
    /// the lists write a person `SURNAMES, Given names` (`BRITO RODRIGUEZ, Jose
    /// Dionisio`).
    pub comma_at: Option<usize>,
}

/// Titles, ranks and suffixes that customer records add to names, beyond the
/// honorifics in rigour's person-name prefixes.
const TITLES: &[&str] = &[
    "gen", "general", "col", "colonel", "maj", "major", "capt", "captain", "lt", "sgt", "brig",
    "adm", "admiral", "eng", "engr", "ing", "prof", "dr", "sayyid", "sayed", "seyed", "sheikh",
    "shaikh", "shaykh", "haji", "hajji", "mullah", "maulana", "mawlawi", "imam", "hon", "rev",
];

/// What a vessel's name is written after (`MV SCF PRIMORYE`, `M/T …`, `MS …`):
/// motor vessel, motor tanker, motor ship (rigour's object-name prefixes, and the
/// shipping usage beside them). Like a title, ignorable only before the name.
const VESSEL_PREFIXES: &[&str] = &["mv", "mt", "ms"];

/// Words that join the parts of a name in the languages of the lists.
pub(crate) const FUNCTION_WORDS: &[&str] = &[
    "and", "of", "for", "the", "in", "de", "del", "des", "du", "la", "le", "et", "und", "y", "e",
    "da", "di", "do", "dos", "das",
];

/// Generational and degree suffixes, ignorable at the end of a name.
const SUFFIXES: &[&str] = &[
    "jr", "sr", "junior", "senior", "ii", "iii", "iv", "esq", "phd",
];

pub fn analyze(text: &str) -> AnalyzedName {
    // `x` is written `ks` by every Cyrillic romanisation (Alexander / Aleksandr,
    // Maxim / Maksim): one spelling on both sides makes them one token.
    let script = script_of(text);
    let arabic = script == Script::Arabic;
    let mut raw_tokens = redline_names::tokens(text);
    let (mut hyphen_after, mut set_apart, comma_at) = hyphenation(text, &raw_tokens);
    if arabic {
        split_article_compounds(&mut raw_tokens, &mut hyphen_after, &mut set_apart);
    }
    let initials = raw_tokens
        .iter()
        .map(|t| t.chars().next().unwrap_or(' '))
        .collect();
    let tokens: Vec<String> = raw_tokens
        .into_iter()
        .map(|t| {
            // A lone `x` is an initial, not a sound.
            if t.contains('x') && t.len() > 1 {
                t.replace('x', "ks")
            } else {
                t
            }
        })
        .collect();
    let non_latin = !matches!(script, Script::Latin | Script::None);
    let spans = legal_form_spans(&tokens);
    let mut legal_forms = Vec::new();
    let mut in_legal_form = vec![false; tokens.len()];
    let form_at_end = spans.iter().any(|s| s.end == tokens.len() && s.start > 0);
    for span in &spans {
        // A legal form that is the whole name is the name (e.g. an entity called "AO").
        if span.end - span.start == tokens.len() {
            continue;
        }
        // A short abbreviation (`RS`, `SA`, `SAD`) is a legal form only where legal
        // forms stand, at either end of the name; in the middle it is a name part
        // (`BARRERA RS, Alfonso`, `Sa'd`).
        let letters = tokens[span.start..span.end]
            .iter()
            .map(String::len)
            .sum::<usize>();
        let short = letters <= 2 || (span.end - span.start == 1 && letters <= 3);
        if short && span.start != 0 && span.end != tokens.len() {
            continue;
        }
        // A name carries its legal form at one end: with one at the end, a short
        // abbreviation in front is the name's own (`BM SYSTEMS EAD`).
        if short && span.start == 0 && form_at_end {
            continue;
        }
        legal_forms.push(span.generic.unwrap_or(span.canonical).to_string());
        for flag in in_legal_form.iter_mut().take(span.end).skip(span.start) {
            *flag = true;
        }
    }
    let mut roles: Vec<TokenRole> = tokens
        .iter()
        .zip(&in_legal_form)
        .map(|(t, &legal)| {
            if legal {
                TokenRole::LegalForm
            } else if TITLES.contains(&t.as_str())
                || VESSEL_PREFIXES.contains(&t.as_str())
                || redline_names::is_person_prefix(t)
            {
                // Decided below by position: a title only leads a name.
                TokenRole::Ignorable
            } else if redline_names::symbol_of(t).is_some() {
                TokenRole::Generic
            } else {
                TokenRole::Name
            }
        })
        .collect();
    // Titles count as titles only before the name (`Gen. RAMIREZ`), suffixes only
    // after it (`… Jr.`); elsewhere the same word is a name part (`AL-QADRI SEYED`).
    let first_name_part = roles.iter().position(|r| *r != TokenRole::Ignorable);
    let last = tokens.len().saturating_sub(1);
    for (i, role) in roles.iter_mut().enumerate() {
        let leading = first_name_part.is_none_or(|f| i < f);
        let suffix = i > 0 && i == last && SUFFIXES.contains(&tokens[i].as_str());
        if suffix {
            *role = TokenRole::Ignorable;
        } else if *role == TokenRole::Ignorable && !leading {
            *role = TokenRole::Name;
        }
    }
    // A name made only of descriptive words ("Marine Industries Organization") is
    // those words: they are its name, not decoration around one.
    // A title or suffix around them stays one (`Hajji MARINE INDUSTRIES
    // ORGANIZATION`); a name of titles alone is those titles. Function words do not
    // make the rest decoration: `FEDERAL SERVICE FOR MILITARY-TECHNICAL COOPERATION`
    // is named by its descriptive words as much as without its `FOR`.
    let names_something = roles
        .iter()
        .zip(&tokens)
        .any(|(r, t)| *r == TokenRole::Name && !FUNCTION_WORDS.contains(&t.as_str()));
    if !names_something {
        let promoted = if roles.contains(&TokenRole::Generic) {
            TokenRole::Generic
        } else {
            TokenRole::Ignorable
        };
        for r in roles.iter_mut().filter(|r| **r == promoted) {
            *r = TokenRole::Name;
        }
    }
    legal_forms.sort();
    legal_forms.dedup();
    AnalyzedName {
        tokens,
        roles,
        legal_forms,
        non_latin,
        arabic,
        hyphen_after,
        initials,
        set_apart,
        context_set_apart: false,
        comma_at: if arabic { None } else { comma_at },
    }
}

/// Arabic writes `عبد` and `أبو` run into the name with its article that they begin
/// (`عبدالحميد` → `abdalhmid`, `أبواليزيد` → `abualyzid`); the lists mostly write them
/// apart (`ABD-AL-HAMID`, `ABOU EL YAZID`). Such a token becomes two, hyphenated as
/// the lists have them; the join of the two still meets a list's `ABDULHAMID`.
fn split_article_compounds(
    tokens: &mut Vec<String>,
    hyphen_after: &mut Vec<bool>,
    set_apart: &mut Vec<bool>,
) {
    let mut k = 0;
    while k < tokens.len() {
        let token = &tokens[k];
        let split = ["abd", "abu"]
            .into_iter()
            .find(|p| token.starts_with(p) && token[p.len()..].starts_with("al"))
            .map(str::len)
            .filter(|&at| token.len() >= at + 4);
        if let Some(at) = split {
            let rest = tokens[k].split_off(at);
            tokens.insert(k + 1, rest);
            hyphen_after.insert(k, true);
            set_apart.insert(k + 1, false);
            k += 1;
        }
        k += 1;
    }
}

/// Which tokens are joined to the next by a hyphen in the romanised text, and which
/// are set apart from the one before by punctuation (`… ROSTEC, Moscow`, `… - Str. 1`,
/// `(President)`), and the first token after the one comma, if exactly one stands
/// between tokens.
fn hyphenation(text: &str, tokens: &[String]) -> (Vec<bool>, Vec<bool>, Option<usize>) {
    let latin: String = redline_names::to_latin(text)
        .chars()
        .filter(|&c| !redline_names::is_apostrophe(c))
        .collect();
    let mut out = vec![false; tokens.len()];
    let mut set_apart = vec![false; tokens.len()];
    let mut commas = Vec::new();
    let mut cursor = 0;
    for (k, t) in tokens.iter().enumerate() {
        let Some(pos) = latin[cursor..].find(t.as_str()) else {
            break;
        };
        let gap = &latin[cursor..cursor + pos];
        set_apart[k] = k > 0
            && gap
                .chars()
                .any(|c| matches!(c, ',' | ';' | '(' | ')' | '/' | '-' | '–' | '—' | '|'));
        if k > 0 && gap.contains(',') {
            commas.push(k);
        }
        let end = cursor + pos + t.len();
        out[k] = latin[end..].starts_with('-');
        cursor = end;
    }
    let comma_at = match (commas.as_slice(), latin[cursor..].contains(',')) {
        ([k], false) => Some(*k),
        _ => None,
    };
    (out, set_apart, comma_at)
}
