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
/// both `l l c` and `llc`; `Co., Ltd.` gives `co ltd`).
pub(crate) fn phrase_variants(phrase: &str) -> Vec<Vec<String>> {
    let mut out = Vec::with_capacity(2);
    let plain = crate::tokens(phrase);
    if !plain.is_empty() {
        out.push(plain);
    }
    if phrase.contains('.') {
        let dotless = crate::tokens(&phrase.replace('.', ""));
        if !dotless.is_empty() && !out.contains(&dotless) {
            out.push(dotless);
        }
    }
    out
}

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
