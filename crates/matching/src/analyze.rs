//! Turning a name into what the index and the scorer compare.
//!
//! A name becomes romanised tokens ([`redline_names::tokens`]); legal forms
//! (`LLC`, `ООО`, `有限公司`) are taken out of the token sequence and kept apart as
//! canonical forms, because they say what kind of company it is, not which one;
//! titles, honorifics and generational suffixes (`Sheikh`, `Prof.`, `Jr.`) are
//! marked ignorable; generic descriptors (`company`, `trading`, `group`) are kept
//! but marked so they weigh little and can never carry a match alone.

use redline_names::{legal_form_spans, script_of, Script};

/// What a token is, for weighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRole {
    /// Part of the name proper.
    Name,
    /// A generic descriptor such as `company`, `trading`, `bank`.
    Generic,
    /// A title, honorific or suffix: it may be missing on either side at no cost.
    Ignorable,
}

#[derive(Debug, Clone)]
pub struct AnalyzedName {
    pub tokens: Vec<String>,
    pub roles: Vec<TokenRole>,
    /// Canonical legal forms found in the name.
    pub legal_forms: Vec<String>,
    /// The name was written in a non-Latin script.
    pub non_latin: bool,
}

const GENERATIONAL: [&str; 6] = ["jr", "sr", "junior", "senior", "iii", "iv"];

pub fn analyze(text: &str) -> AnalyzedName {
    let tokens = redline_names::tokens(text);
    let non_latin = !matches!(script_of(text), Script::Latin | Script::None);
    let spans = legal_form_spans(&tokens);
    let mut legal_forms = Vec::new();
    let mut keep = vec![true; tokens.len()];
    for span in &spans {
        // A legal form that is the whole name is the name (e.g. an entity called "AO").
        if span.end - span.start == tokens.len() {
            continue;
        }
        legal_forms.push(span.generic.unwrap_or(span.canonical).to_string());
        for k in keep.iter_mut().take(span.end).skip(span.start) {
            *k = false;
        }
    }
    let mut out_tokens = Vec::with_capacity(tokens.len());
    let mut roles = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.into_iter().enumerate() {
        if !keep[i] {
            continue;
        }
        let role = if redline_names::is_person_prefix(&t) || GENERATIONAL.contains(&t.as_str()) {
            TokenRole::Ignorable
        } else if redline_names::symbol_of(&t).is_some() {
            TokenRole::Generic
        } else {
            TokenRole::Name
        };
        out_tokens.push(t);
        roles.push(role);
    }
    AnalyzedName {
        tokens: out_tokens,
        roles,
        legal_forms,
        non_latin,
    }
}
