//! Loading helpers for the compiled-in rigour YAML data.
//!
//! The rigour files (`data/*.yml`, MIT, from opensanctions/rigour) are parsed
//! once at first use. Their phrases are written in many scripts and with
//! punctuation (`L.L.C.`, `Co., Ltd.`, `ООО`, `有限公司`); each is turned into
//! token sequences with the crate's own [`crate::tokens`], so a phrase matches
//! exactly the tokens a name containing it produces.

use serde_yaml_ng::Value;

/// Parses a compiled-in YAML document. Panics only on broken compiled-in
/// data, which the unit tests of each user rule out.
pub(crate) fn parse(name: &str, src: &str) -> Value {
    serde_yaml_ng::from_str(src)
        .unwrap_or_else(|e| panic!("compiled-in rigour data {name} does not parse: {e}"))
}

/// A YAML scalar as text (numbers and booleans included).
pub(crate) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The scalar items of a YAML sequence.
pub(crate) fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_sequence)
        .map(|items| items.iter().filter_map(scalar).collect())
        .unwrap_or_default()
}

/// The token sequences a phrase is matched as: its tokens, and, if
/// different, the tokens of the phrase with dots removed (`L.L.C.` matches
/// both `l l c` and `llc`; `Co., Ltd.` gives `co ltd`). A Cyrillic phrase is
/// matched under every romanisation in use as well, for a Russian company's
/// legal form reaches a payment spelt out in whatever scheme its clerk knew
/// (`Obshchestvo s ogranichennoy otvetstvennostyu`, `… ogranichennoi
/// otvetstvennostiu`). An abbreviation keeps its one canonical spelling: its
/// other romanisations are short letter runs that are words or initials in other
/// names (`yet` from `ЕТ`, `hk` from `ХК`).
pub(crate) fn phrase_variants(phrase: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::with_capacity(2);
    let dotless = phrase.contains('.').then(|| phrase.replace('.', ""));
    for text in std::iter::once(phrase).chain(dotless.as_deref()) {
        for (k, spelling) in crate::cyrillic_romanizations(text).into_iter().enumerate() {
            let tokens: Vec<String> = spelling.split(' ').map(str::to_string).collect();
            let abbreviation = matches!(tokens.as_slice(), [one] if one.len() < MIN_ROMANISED_WORD);
            if (k == 0 || !abbreviation) && !out.contains(&tokens) {
                out.push(tokens);
            }
        }
    }
    out
}

/// Enters every phrase, under each of its variants ([`phrase_variants`]), with `value`;
/// a variant already in the table keeps its first value.
pub(crate) fn add_phrases<V: Copy>(
    table: &mut crate::phrase::PhraseTable<V>,
    phrases: impl IntoIterator<Item = String>,
    value: V,
) {
    for phrase in phrases {
        for variant in phrase_variants(&phrase) {
            table.entry(variant, || value);
        }
    }
}

/// A one-word phrase shorter than this is an abbreviation (see [`phrase_variants`]).
const MIN_ROMANISED_WORD: usize = 6;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants() {
        assert_eq!(
            phrase_variants("L.L.C."),
            [vec!["l", "l", "c"], vec!["llc"]]
        );
        assert_eq!(phrase_variants("Co., Ltd."), [vec!["co", "ltd"]]);
        assert_eq!(phrase_variants("ООО"), [vec!["ooo"]]);
        assert!(phrase_variants("...").is_empty());
    }
}
