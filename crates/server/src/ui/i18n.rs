//! The UI's languages: English, Simplified Chinese and Russian.
//!
//! Every label, message and error a page shows comes from a message catalogue, one
//! Fluent file per language (`i18n/en.ftl`, `i18n/zh-CN.ftl`, `i18n/ru.ftl`), compiled
//! into the binary so an air-gapped service ships them with nothing to install.
//! Fluent (Mozilla's `fluent-bundle`) is used rather than a key-value table because
//! Russian counts in three plural forms (`1 оповещение`, `2 оповещения`,
//! `5 оповещений`) and Fluent applies CLDR's plural rules per language.
//!
//! The language is the one the analyst chose with the switch on every page (kept in
//! a cookie), else the first supported one of the browser's `Accept-Language`, else
//! English. A message missing from a catalogue falls back to English; a unit test
//! keeps the three catalogues' keys the same.
//!
//! Country names come from Debian's iso-codes translations (`i18n/countries.tsv`).
//!
//! To add a language: copy `en.ftl` to `<tag>.ftl` and translate every message, add
//! a column to `countries.tsv`, and add the language to [`Lang`].

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The cookie that keeps the analyst's choice.
pub const LANG_COOKIE: &str = "redline_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Zh, Lang::Ru];

    /// The BCP 47 tag: the catalogue's name, `<html lang>` and the cookie's value.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
            Lang::Ru => "ru",
        }
    }

    /// The language's own name, for the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
            Lang::Ru => "Русский",
        }
    }

    fn catalogue(self) -> &'static str {
        match self {
            Lang::En => include_str!("i18n/en.ftl"),
            Lang::Zh => include_str!("i18n/zh-CN.ftl"),
            Lang::Ru => include_str!("i18n/ru.ftl"),
        }
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Zh => 1,
            Lang::Ru => 2,
        }
    }

    /// A language tag as a browser or the cookie writes it (`zh`, `zh-Hans-CN`,
    /// `ru-RU`, `en-GB`), if it is one of ours. Traditional Chinese is not offered:
    /// the catalogue is Simplified.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            "zh" if !(tag.contains("hant") || tag.ends_with("-tw") || tag.ends_with("-hk")) => {
                Some(Lang::Zh)
            }
            _ => None,
        }
    }

    /// The best of ours for an `Accept-Language` header, by its q-values.
    pub fn negotiate(accept_language: &str) -> Option<Lang> {
        let mut ranked: Vec<(f32, usize, Lang)> = accept_language
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let lang = Lang::from_tag(pieces.next()?)?;
                let q = pieces
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, i, lang))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.first().map(|r| r.2)
    }
}

struct Catalogues {
    bundles: Vec<FluentBundle<FluentResource>>,
    /// Country names by lower-case ISO code: `[en, zh-CN, ru]`.
    countries: HashMap<String, [String; 3]>,
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let resource = match FluentResource::try_new(lang.catalogue().to_string()) {
        Ok(r) => r,
        // The catalogues are compiled in and parsed by a unit test: this is a bug.
        Err((r, errors)) => {
            tracing::error!(lang = lang.tag(), ?errors, "ui catalogue does not parse");
            r
        }
    };
    let id = lang.tag().parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // Bidi isolation marks would land inside HTML attributes and CSV cells.
    b.set_use_isolating(false);
    if let Err(errors) = b.add_resource(resource) {
        tracing::error!(
            lang = lang.tag(),
            ?errors,
            "ui catalogue has duplicate messages"
        );
    }
    b
}

fn catalogues() -> &'static Catalogues {
    static CATALOGUES: OnceLock<Catalogues> = OnceLock::new();
    CATALOGUES.get_or_init(|| {
        let mut countries = HashMap::new();
        for line in include_str!("i18n/countries.tsv").lines() {
            if line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if let [code, en, zh, ru] = cols[..] {
                countries.insert(
                    code.to_string(),
                    [en.to_string(), zh.to_string(), ru.to_string()],
                );
            }
        }
        Catalogues {
            bundles: Lang::ALL.into_iter().map(bundle).collect(),
            countries,
        }
    })
}

/// A page's translator: messages in one language.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// The message `key` (plain text, not yet HTML-escaped).
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with its arguments: strings, or numbers (which choose plural
    /// forms).
    pub fn f(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            let v: FluentValue = match value {
                Arg::Text(s) => FluentValue::from(s.clone()),
                Arg::Number(n) => FluentValue::from(*n),
            };
            fluent.set(*name, v);
        }
        self.format(key, Some(&fluent))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        self.lookup(key, args).unwrap_or_else(|| {
            tracing::warn!(key, "ui message missing from every catalogue");
            key.to_string()
        })
    }

    /// The message in this language, else in English, else none.
    fn lookup(&self, key: &str, args: Option<&FluentArgs>) -> Option<String> {
        let all = catalogues();
        [self.lang, Lang::En].into_iter().find_map(|lang| {
            let bundle = &all.bundles[lang.index()];
            let pattern = bundle.get_message(key)?.value()?;
            let mut errors = Vec::new();
            Some(
                bundle
                    .format_pattern(pattern, args, &mut errors)
                    .into_owned(),
            )
        })
    }

    /// A term of the engine's vocabulary (`edit_distance`, `passport`, `debtor`) under
    /// `prefix` in the catalogue, or as the engine wrote it (underscores as spaces)
    /// where the catalogue has no word for it.
    pub fn term(&self, prefix: &str, value: &str) -> String {
        let key = format!("{prefix}-{}", value.replace(['_', ' '], "-"));
        self.lookup(&key, None)
            .unwrap_or_else(|| value.replace('_', " "))
    }

    /// A country's name in this language (`ru` → `Russian Federation`, `俄罗斯`,
    /// `Российская Федерация`); a code that is no ISO country in capitals, and a place
    /// written out (`Almaty`) as written.
    pub fn country(&self, code: &str) -> String {
        let lower = code.trim().to_ascii_lowercase();
        match catalogues().countries.get(&lower) {
            Some(names) => names[self.lang.index()].clone(),
            None => redline_model::countries::name_of(&lower)
                .map(str::to_string)
                .unwrap_or_else(|| {
                    if code.trim().len() <= 3 {
                        code.trim().to_ascii_uppercase()
                    } else {
                        code.trim().to_string()
                    }
                }),
        }
    }
}

/// A message argument.
pub enum Arg {
    Text(String),
    Number(f64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Number(n as f64)
    }
}

impl From<u64> for Arg {
    fn from(n: u64) -> Arg {
        Arg::Number(n as f64)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Number(n as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(lang: Lang) -> BTreeSet<String> {
        let resource = FluentResource::try_new(lang.catalogue().to_string())
            .unwrap_or_else(|(_, e)| panic!("{} does not parse: {e:?}", lang.tag()));
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_catalogue_parses_and_has_every_message() {
        let english = keys(Lang::En);
        assert!(english.len() > 100, "{}", english.len());
        for lang in [Lang::Zh, Lang::Ru] {
            let other = keys(lang);
            let missing: Vec<_> = english.difference(&other).collect();
            let extra: Vec<_> = other.difference(&english).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}: missing {missing:?}, not in English {extra:?}",
                lang.tag()
            );
        }
    }

    /// Every catalogue key the UI's code names literally is in the catalogues (keys
    /// built from a value, like `status-…`, fall back to the value when missing).
    #[test]
    fn every_key_the_pages_name_is_in_the_catalogue() {
        let english = keys(Lang::En);
        let sources = [
            include_str!("mod.rs"),
            include_str!("pages.rs"),
            include_str!("evidence.rs"),
        ];
        let mut missing = BTreeSet::new();
        for source in sources {
            for literal in source.split('"').skip(1).step_by(2) {
                let looks_like_key = literal.contains('-')
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && literal.starts_with(|c: char| c.is_ascii_lowercase())
                    && !literal.ends_with('-')
                    // HTTP header values, not messages.
                    && !["no-store", "no-referrer"].contains(&literal);
                if looks_like_key && !english.contains(literal) {
                    missing.insert(literal.to_string());
                }
            }
        }
        assert!(missing.is_empty(), "not in en.ftl: {missing:?}");
    }

    #[test]
    fn the_browser_language_is_negotiated_by_quality() {
        assert_eq!(Lang::negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Some(Lang::Zh));
        assert_eq!(Lang::negotiate("de-DE, ru;q=0.5, en;q=0.4"), Some(Lang::Ru));
        assert_eq!(Lang::negotiate("en;q=0.2, ru;q=0.9"), Some(Lang::Ru));
        assert_eq!(
            Lang::negotiate("zh-TW"),
            None,
            "the catalogue is Simplified"
        );
        assert_eq!(Lang::negotiate("fr, de"), None);
        assert_eq!(Lang::negotiate(""), None);
    }

    #[test]
    fn russian_counts_in_its_own_plural_forms() {
        let ru = Tr::new(Lang::Ru);
        let one = ru.f("queue-total", &[("count", 1usize.into())]);
        let few = ru.f("queue-total", &[("count", 3usize.into())]);
        let many = ru.f("queue-total", &[("count", 5usize.into())]);
        assert!(
            one != few && few != many && one != many,
            "{one} / {few} / {many}"
        );
    }

    #[test]
    fn countries_are_named_in_the_page_language() {
        assert_eq!(Tr::new(Lang::Zh).country("RU"), "俄罗斯");
        assert_eq!(Tr::new(Lang::Ru).country("cn"), "Китай");
        assert_eq!(Tr::new(Lang::En).country("ir"), "Iran");
        assert_eq!(Tr::new(Lang::En).country("qz"), "QZ");
        assert_eq!(Tr::new(Lang::En).country("Almaty"), "Almaty");
    }
}
