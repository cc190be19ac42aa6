//! Country names in any language → ISO 3166-1 alpha-2.
//!
//! Lists and customer records name countries every way there is: `RU`, `RUS`,
//! `Russia`, `Russian Federation`, `Россия`, `Korea, North`. The territory table from
//! OpenSanctions' rigour (`data/territories.jsonl`, MIT, see `data/LICENSE-rigour`)
//! carries names in many languages; it is compiled into the binary and indexed once.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

const TERRITORIES: &str = include_str!("../data/territories.jsonl");

#[derive(Deserialize)]
struct Territory {
    code: String,
    name: String,
    #[serde(default)]
    full_name: Option<String>,
    #[serde(default)]
    alpha3: Option<String>,
    #[serde(default)]
    other_codes: Vec<String>,
    #[serde(default)]
    names_strong: Vec<String>,
    #[serde(default)]
    names_weak: Vec<String>,
}

struct Table {
    by_key: HashMap<String, String>,
    names: HashMap<String, String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_key = HashMap::new();
        let mut names = HashMap::new();
        let mut weak = Vec::new();
        for line in TERRITORIES.lines().filter(|l| !l.trim().is_empty()) {
            // The table is compiled in; a line that does not parse is a build defect
            // that the unit tests catch, so it is skipped rather than aborting a screen.
            let Ok(t) = serde_json::from_str::<Territory>(line) else {
                continue;
            };
            let code = t.code.to_ascii_lowercase();
            names.insert(code.clone(), t.name.clone());
            let strong = [Some(&t.name), t.full_name.as_ref()]
                .into_iter()
                .flatten()
                .chain(&t.names_strong);
            for n in strong {
                by_key.entry(fold(n)).or_insert_with(|| code.clone());
            }
            if let Some(a3) = &t.alpha3 {
                by_key.insert(a3.to_ascii_lowercase(), code.clone());
            }
            for other in &t.other_codes {
                by_key
                    .entry(other.to_ascii_lowercase())
                    .or_insert_with(|| code.clone());
            }
            for n in &t.names_weak {
                weak.push((fold(n), code.clone()));
            }
            by_key.insert(code.clone(), code);
        }
        // Weak names (other languages, historic forms) never override a strong one.
        for (key, code) in weak {
            by_key.entry(key).or_insert(code);
        }
        Table { by_key, names }
    })
}

/// Lower-cases, strips diacritics and punctuation: the key countries are looked up by.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

/// Maps a country code (alpha-2, alpha-3) or a name in any language to a lower-case
/// ISO 3166-1 alpha-2 code (`"Russian Federation"` → `"ru"`, `"Korea, North"` → `"kp"`).
pub fn to_code(name: &str) -> Option<String> {
    // Historic entities (`suhh`, the Soviet Union) have no alpha-2 code: not a country now.
    lookup(name).filter(|c| c.len() == 2)
}

/// Whether some country name (as [`is_country_words`] takes it) ends with `word`.
pub fn may_end_country_words(word: &str) -> bool {
    static LAST: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    LAST.get_or_init(|| {
        table()
            .by_key
            .keys()
            .map(String::as_str)
            .chain(ADJECTIVES.iter().map(|(a, _)| *a))
            .filter_map(|k| k.rsplit(' ').next())
            .map(str::to_string)
            .collect()
    })
    .contains(word)
}

/// Whether `words` — lower-case ASCII letters and digits, single spaces between words,
/// as a name's tokens are — name a country (`russia`, `russian federation`,
/// `north korea`, `russian`), without the folding and allocation of [`to_code`]: the
/// check a matcher makes on every word at the edge of a query.
pub fn is_country_words(words: &str) -> bool {
    let t = table();
    t.by_key.get(words).is_some_and(|code| code.len() == 2) || adjective_code(words).is_some()
}

fn lookup(name: &str) -> Option<String> {
    let key = fold(name);
    if key.is_empty() {
        return None;
    }
    let t = table();
    if let Some(code) = t.by_key.get(&key) {
        return Some(code.clone());
    }
    // "Korea, North" / "Congo, Democratic Republic of the": lists invert names.
    if let Some((head, tail)) = name.split_once(',') {
        let swapped = fold(&format!("{} {}", tail.trim(), head.trim()));
        if let Some(code) = t.by_key.get(&swapped) {
            return Some(code.clone());
        }
        let swapped = swapped.trim_end_matches(" of the").trim_end_matches(" of");
        let swapped = format!("{} of {}", swapped, fold(head));
        if let Some(code) = t.by_key.get(&fold(&swapped)) {
            return Some(code.clone());
        }
    }
    adjective_code(&key).map(str::to_string)
}

/// Nationality adjectives the lists use in remarks, with their country.
const ADJECTIVES: &[(&str, &str)] = &[
    ("russian", "ru"),
    ("iranian", "ir"),
    ("syrian", "sy"),
    ("north korean", "kp"),
    ("chinese", "cn"),
    ("belarusian", "by"),
    ("ukrainian", "ua"),
    ("american", "us"),
    ("british", "gb"),
    ("palestinian", "ps"),
    ("occupied palestinian territories", "ps"),
];

fn adjective_code(key: &str) -> Option<&'static str> {
    ADJECTIVES
        .iter()
        .find(|(a, _)| *a == key)
        .map(|(_, code)| *code)
}

/// The English short name of a code, for display.
pub fn name_of(code: &str) -> Option<&'static str> {
    table()
        .names
        .get(&code.to_ascii_lowercase())
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::to_code;

    #[test]
    fn maps_names_in_any_language() {
        assert_eq!(to_code("Russia").as_deref(), Some("ru"));
        assert_eq!(to_code("Russian Federation").as_deref(), Some("ru"));
        assert_eq!(to_code("Россия").as_deref(), Some("ru"));
        assert_eq!(to_code("RU").as_deref(), Some("ru"));
        assert_eq!(to_code("rus").as_deref(), Some("ru"));
        assert_eq!(to_code("Korea, North").as_deref(), Some("kp"));
        assert_eq!(to_code("Iran").as_deref(), Some("ir"));
        assert_eq!(to_code("Deutschland").as_deref(), Some("de"));
        assert_eq!(to_code("中国").as_deref(), Some("cn"));
        assert_eq!(to_code("Atlantis"), None);
    }
}
