//! Legal forms of organisations (`LLC`, `ООО`, `GmbH`, `有限公司` …).
//!
//! The same company is listed as `Promtekhnologiya OOO`, `ООО
//! «Промтехнология»` and `Promtekhnologiya LLC`; a Chinese one as
//! `北京华为技术有限公司` or `Huawei Technologies Co., Ltd.`. Legal forms carry
//! little identifying weight but a lot of spelling variation, so the engine
//! needs to find them, set them aside and compare them by meaning rather than
//! by spelling. [`legal_form_spans`] finds them in a token sequence and gives
//! each one a canonical form.
//!
//! Data: rigour's `org_types.yml` (MIT, `data/LICENSE-rigour`). Every entry
//! has aliases plus optional `display`, `compare` and `generic` values. The
//! display and compare values are matched as aliases too; each alias (and,
//! when it has dots, its dot-less spelling: `L.L.C.` → `l l c` and `llc`) is
//! tokenised with [`crate::tokens`], so Cyrillic and Han aliases match after
//! transliteration (`有限公司` → `you xian gong si`).
//!
//! Canonical form: rigour's `compare`/`display` values do not unify
//! equivalents across languages (`LLC` vs `OOO`, `PJSC` vs the `AO` that
//! `ПАО` compares as), so the span's `canonical` is the entry's `generic`
//! class when it has one (`llc`, `jsc`, `lp`, `gp`, `llp`, `coop`, `ngo`,
//! `soe`, `sp`, `fin`, `rel`, `mil`, `jv`), and otherwise its compare form.
//! Hence `LLC`, `OOO`, `ООО`, `ТОВ`, `GmbH`, `Ltd`, `有限公司` all have
//! canonical `llc`, and `JSC`, `PJSC`, `ПАО`, `AO`, `PLC` all `jsc`. The finer
//! per-entry form (`compare`, else `display`, tokenised and dot-less: `ooo`,
//! `gmbh`, `pjsc`, `ao`) is kept in `form` for tie-breaking.
//!
//! When two entries claim the same alias, display/compare values win over
//! plain aliases, then file order. A few aliases the data lacks are added
//! (see `SUPPLEMENT`): `有限责任公司`/`有限責任公司` (LLC) and `Co., Ltd.`,
//! `Co. Limited`, `Company Limited` (Ltd).
//!
//! A few one-token aliases that collide with common words after
//! transliteration are left out (see `AMBIGUOUS`: `of` from `ОФ`, `no` from
//! `НО`, `in`, `is`, `yu` …). Other short aliases (`ao`, `sa`, `ag`, `lc`,
//! `ll`, `lt` …) are also initials or, in names that came from Han script,
//! pinyin syllables (`ao` 奥, `na` 娜, `ou` 欧): whether a match is really a
//! legal form (typically at the start or end of an organisation name, and
//! for Han-script names only multi-token matches such as `you xian gong si`)
//! is for the engine to decide.

use crate::phrase::PhraseTable;
use crate::rigour;
use serde_yaml_ng::Value;
use std::sync::OnceLock;

static DATA: &str = include_str!("../data/org_types.yml");

/// Aliases missing from the rigour data: (display of the target entry, alias).
const SUPPLEMENT: &[(&str, &str)] = &[
    ("LLC", "有限责任公司"),
    ("LLC", "有限責任公司"),
    ("Ltd", "Co., Ltd."),
    ("Ltd", "Co. Limited"),
    ("Ltd", "Company Limited"),
];

/// One-token aliases that are left out because, after transliteration, they
/// are common words (`of` from `ОФ`, `no` from `НО`, `in`, `is`, `at`) or
/// frequent pinyin syllables (`yu` from Korean `(유)`, `ju` from `㈜`, `da`).
const AMBIGUOUS: &[&str] = &[
    "at", "da", "de", "ed", "et", "go", "ii", "im", "in", "is", "ju", "la", "le", "no", "of", "pa",
    "yu",
];

/// A legal form found in a token sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LegalFormSpan {
    /// Index of the first token of the legal form.
    pub start: usize,
    /// Index one past the last token.
    pub end: usize,
    /// Canonical form: the lower-case `generic` class (`llc`, `jsc` …) when
    /// the data has one, else the entry's compare form. Equal canonicals
    /// mean "the same kind of legal form".
    pub canonical: &'static str,
    /// The lower-case rigour `generic` class, if the entry has one.
    pub generic: Option<&'static str>,
    /// The entry's own compare form (`ooo`, `gmbh`, `pjsc`, `ao` …):
    /// finer than `canonical`.
    pub form: &'static str,
}

struct Form {
    canonical: String,
    generic: Option<String>,
    form: String,
}

struct OrgTypes {
    forms: Vec<Form>,
    table: PhraseTable<usize>,
}

fn data() -> &'static OrgTypes {
    static DATA_TABLE: OnceLock<OrgTypes> = OnceLock::new();
    DATA_TABLE.get_or_init(build)
}

fn field(item: &Value, key: &str) -> Option<String> {
    item.get(key)
        .and_then(rigour::scalar)
        .filter(|s| !s.trim().is_empty())
}

fn compact(s: &str) -> String {
    crate::tokens(&s.replace('.', "")).join(" ")
}

fn build() -> OrgTypes {
    let root = rigour::parse("org_types.yml", DATA);
    let items = root
        .get("types")
        .and_then(Value::as_sequence)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut forms = Vec::with_capacity(items.len());
    // (display, compare, aliases) per form.
    let mut phrases = Vec::with_capacity(items.len());
    for item in items {
        let display = field(item, "display");
        let compare = field(item, "compare");
        let generic = field(item, "generic")
            .map(|g| compact(&g))
            .filter(|g| !g.is_empty());
        let aliases = rigour::strings(item.get("aliases"));
        let form = [&compare, &display]
            .into_iter()
            .flatten()
            .chain(generic.as_ref())
            .chain(aliases.first())
            .map(|s| compact(s))
            .find(|s| !s.is_empty());
        let Some(form) = form else { continue };
        forms.push(Form {
            canonical: generic.clone().unwrap_or_else(|| form.clone()),
            generic,
            form,
        });
        phrases.push((display, compare, aliases));
    }

    let mut table = PhraseTable::default();
    let mut add = |phrase: &str, i: usize| {
        for variant in rigour::phrase_variants(phrase) {
            if let [single] = variant.as_slice() {
                if AMBIGUOUS.contains(&single.as_str()) {
                    continue;
                }
            }
            table.entry(variant, || i);
        }
    };
    for (i, (display, compare, _)) in phrases.iter().enumerate() {
        for phrase in [display, compare].into_iter().flatten() {
            add(phrase, i);
        }
    }
    for (i, (_, _, aliases)) in phrases.iter().enumerate() {
        for alias in aliases {
            add(alias, i);
        }
    }
    for (display, alias) in SUPPLEMENT {
        let target = phrases
            .iter()
            .position(|(d, _, _)| d.as_deref() == Some(*display));
        if let Some(i) = target {
            add(alias, i);
        }
    }
    OrgTypes { forms, table }
}

fn span(data: &'static OrgTypes, start: usize, end: usize, index: usize) -> Option<LegalFormSpan> {
    let form = data.forms.get(index)?;
    Some(LegalFormSpan {
        start,
        end,
        canonical: &form.canonical,
        generic: form.generic.as_deref(),
        form: &form.form,
    })
}

/// Finds the legal forms in a token sequence (as produced by
/// [`crate::tokens`]).
///
/// Scans left to right and takes the longest alias starting at each
/// position; matches do not overlap. Tokens must be lower-case ASCII as
/// [`crate::tokens`] makes them.
///
/// ```
/// use redline_names::{org_types::legal_form_spans, tokens};
/// let spans = legal_form_spans(&tokens("ООО «Промтехнология»"));
/// assert_eq!((spans[0].start, spans[0].end, spans[0].canonical), (0, 1, "llc"));
/// let spans = legal_form_spans(&tokens("北京华为技术有限公司"));
/// assert_eq!((spans[0].start, spans[0].end, spans[0].canonical), (6, 10, "llc"));
/// ```
pub fn legal_form_spans<T: AsRef<str>>(tokens: &[T]) -> Vec<LegalFormSpan> {
    let data = data();
    data.table
        .spans(tokens)
        .into_iter()
        .filter_map(|(start, end, &index)| span(data, start, end, index))
        .collect()
}

/// The canonical form of a phrase that is, as a whole, a legal form
/// (`"Limited Liability Company"` → `llc`, `"ПАО"` → `jsc`); `None` if it is
/// not one.
pub fn canonical_of(phrase: &str) -> Option<&'static str> {
    let data = data();
    let index = *data.table.get(&crate::tokens(phrase))?;
    data.forms.get(index).map(|f| f.canonical.as_str())
}

pub(crate) fn warm_up() {
    data();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens;

    fn only_span(name: &str) -> LegalFormSpan {
        let spans = legal_form_spans(&tokens(name));
        assert_eq!(spans.len(), 1, "{name}: {spans:?}");
        spans[0]
    }

    #[test]
    fn data_parses() {
        let root = rigour::parse("org_types.yml", DATA);
        let n = root
            .get("types")
            .and_then(Value::as_sequence)
            .map_or(0, Vec::len);
        assert!(n > 400, "{n}");
        let d = data();
        assert!(d.forms.len() > 400);
        assert!(d.table.iter().count() > 1500);
        for (display, _) in SUPPLEMENT {
            assert!(
                d.forms.iter().any(|f| f.form == compact(display)),
                "supplement target {display} missing"
            );
        }
    }

    #[test]
    fn llc_equals_ooo() {
        let ooo = legal_form_spans(&tokens("ООО «Промтехнология»"));
        assert_eq!(tokens("ООО «Промтехнология»"), ["ooo", "promtekhnologiya"]);
        assert_eq!(ooo.len(), 1);
        assert_eq!((ooo[0].start, ooo[0].end), (0, 1));
        assert_eq!(ooo[0].form, "ooo");
        for name in [
            "Promtekhnologiya LLC",
            "Promtekhnologiya L.L.C.",
            "Promtekhnologiya Limited Liability Company",
            "Promtekhnologiya OOO",
            "Obshchestvo s ogranichennoy otvetstvennostyu Promtekhnologiya",
            "Общество с ограниченной ответственностью Промтехнология",
            "ТОВ Промтехнологія",
            "Promtekhnologiya GmbH",
            "Promtekhnologiya Ltd",
        ] {
            let s = only_span(name);
            assert_eq!(s.canonical, ooo[0].canonical, "{name}");
            assert_eq!(s.canonical, "llc", "{name}");
            assert_eq!(s.generic, Some("llc"), "{name}");
        }
        assert_eq!(only_span("Promtekhnologiya LLC").form, "llc");
    }

    #[test]
    fn jsc_family() {
        assert_eq!(canonical_of("ПАО"), canonical_of("PJSC"));
        assert_eq!(canonical_of("PJSC"), Some("jsc"));
        for phrase in [
            "АО",
            "AO",
            "JSC",
            "Joint Stock Company",
            "Публичное акционерное общество",
            "Public Joint-Stock Company",
        ] {
            assert_eq!(canonical_of(phrase), Some("jsc"), "{phrase}");
        }
        let s = only_span("ПАО Сбербанк");
        assert_eq!((s.start, s.end, s.canonical), (0, 1, "jsc"));
        let s = only_span("Sberbank of Russia PJSC");
        assert_eq!((s.start, s.end, s.canonical), (3, 4, "jsc"));
    }

    #[test]
    fn russian_forms_spelt_out_in_any_romanisation() {
        // How the full `Общество с ограниченной ответственностью` and `Акционерное
        // общество` reach payments: BGN/PCGN (with its `·` and `’`), ICAO passports,
        // Yandex, GOST 7.79 with diacritics.
        for phrase in [
            "Obshchestvo s ogranichennoy otvet·stvennost’yu",
            "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTIU",
            "Obschestvo s ogranichennoy otvetstvennostyu",
            "Obŝestvo s ograničennoj otvetstvennostʹû",
        ] {
            assert_eq!(canonical_of(phrase), Some("llc"), "{phrase}");
        }
        for phrase in [
            "Aktsionernoye obshchestvo",
            "Aktsionernoe obshchestvo",
            "Publichnoye aktsionernoye obshchestvo",
        ] {
            assert_eq!(canonical_of(phrase), Some("jsc"), "{phrase}");
        }
        // Abbreviations keep their one spelling: `ХК` is not `hk` (Hong Kong).
        assert_eq!(canonical_of("HK"), None);
    }

    #[test]
    fn chinese_forms() {
        let s = only_span("Huawei Technologies Co., Ltd.");
        assert_eq!((s.start, s.end, s.canonical), (2, 4, "llc"));
        let s = only_span("北京华为技术有限公司");
        assert_eq!((s.start, s.end, s.canonical), (6, 10, "llc"));
        let s = only_span("中国石油天然气股份有限公司");
        assert_eq!(s.canonical, "jsc");
        assert_eq!(s.end - s.start, 6);
        assert_eq!(canonical_of("有限责任公司"), Some("llc"));
        assert_eq!(canonical_of("有限公司"), Some("llc"));
    }

    #[test]
    fn no_false_spans_in_plain_names() {
        assert!(legal_form_spans(&tokens("Vladimir Putin")).is_empty());
        assert!(legal_form_spans(&tokens("Bank of Russia")).is_empty());
        assert!(legal_form_spans(&tokens("Investment in Energy")).is_empty());
        assert!(legal_form_spans::<String>(&[]).is_empty());
        assert_eq!(canonical_of("Putin"), None);
    }
}
