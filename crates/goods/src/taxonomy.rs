//! From words to HS codes: the goods taxonomy and the description matcher.
//!
//! Why: an invoice line says "STM32F103 microcontrollers", "Подшипники шариковые" or
//! "钽电容" far more often than it carries a correct HS code — and mis-declaring the code
//! is a known way of slipping controlled goods past screening. The taxonomy
//! (`data/taxonomy.toml`, written from the HS 2022 heading texts) maps terms in English,
//! Russian and Chinese to HS codes, so a description can be screened on its own and
//! checked against the declared code.
//!
//! # The taxonomy file
//! Groups of terms, each with the HS codes it points to (`hs = ["8542.31"]`; a 4-digit
//! heading means "somewhere in this heading"). Terms come in three strengths:
//! - strong (`en`, `ru`, `zh`): words that name the goods specifically
//!   ("microcontroller", "шарикоподшипник", "钽电容");
//! - weak (`weak_en`, `weak_ru`, `weak_zh`): words that point to the goods but are
//!   ambiguous ("bearing", "processor", "антенна");
//! - part-number prefixes (`part_prefixes`): manufacturer part numbers
//!   (`stm32`, `atmega`, `xc7`) that name a product family.
//!
//! Beside the groups: `[generic]` words ("parts", "equipment", "electronic",
//! "оборудование", "配件") may appear inside a term but can never *be* one — loading
//! fails if a term has only generic words, so "electronic parts" can never raise a
//! tier-1 hit; `[stopwords]` are ignored on both sides ("parts *for* drones");
//! `[exclude]` phrases name goods outside the lists whose words overlap listed terms
//! ("memory card", "food processor", "potato chips", "IC卡", "bearing housing").
//!
//! # Matching
//! Text and terms are normalised alike (module `text`): case-folded, `ё` → `е`,
//! punctuation removed, Russian endings and English plurals stripped, Chinese as single
//! characters. Then:
//! - a term matches *as a phrase* when its keys appear adjacent and in order; the
//!   concatenation is compared, so `micro-controller`, `micro controller` and
//!   `microcontroller` are one term, and a Chinese term is a substring of the text;
//! - a Latin or Cyrillic term of several words also matches *scattered*: all its words
//!   within a window of its length plus two, in any order — customs and invoice style
//!   inverts and interleaves ("Capacitors, tantalum, 10uF", "Подшипники шариковые
//!   радиальные");
//! - a match inside a longer match is dropped ("bearing" inside "ball bearing", "chip"
//!   inside "chip capacitor") — unless the longer one is weak and the inner one strong —
//!   and a match inside an exclude phrase is dropped ("memory"
//!   inside "memory card"). Exclude phrases match in order only: a "server rack" is
//!   furniture, a "rack server" a computer.
//!
//! Confidence per term: strong phrase of several words (or of three or more Chinese
//! characters) 0.9; strong single word 0.85; strong scattered 0.8; part number 0.8; weak
//! 0.5 (scattered 0.45). Several distinct terms for one code combine as independent
//! evidence, `1 − Π(1 − cᵢ)`, capped at 0.97 — so two weak terms ("processor" + "chip")
//! reach 0.75 and a description never reaches certainty. Groups marked `fallback` (the
//! "n.e.c." subheadings such as `8542.39`, other integrated circuits) only stand when no
//! other code in the same heading was found; otherwise their evidence strengthens the
//! more specific code ("microcontroller IC" → `8542.31`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{version_id, GoodsError};
use crate::hs::{format_digits, HsCode};
use crate::text::{units, Unit, UnitKind};

/// The built-in taxonomy (`data/taxonomy.toml`).
pub const TAXONOMY_TOML: &str = include_str!("../data/taxonomy.toml");

const STRONG_PHRASE: f64 = 0.9;
const STRONG_WORD: f64 = 0.85;
const STRONG_SCATTERED: f64 = 0.8;
const PART_NUMBER: f64 = 0.8;
const WEAK: f64 = 0.5;
const WEAK_SCATTERED: f64 = 0.45;
const MAX_CONFIDENCE: f64 = 0.97;
/// Extra units a scattered match may span beyond the term's own word count.
const SCATTER_SLACK: usize = 2;
/// Occurrences of one key considered when placing a scattered match (bounds the work
/// on long texts that repeat a word).
const MAX_POSITIONS: usize = 8;

/// The language a term was written in (reported with each matched term).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ru,
    Zh,
}

/// How strongly a term names its goods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Strong,
    Weak,
    PartNumber,
}

/// A taxonomy term found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchedTerm {
    /// The term as the taxonomy writes it (for a part number: the prefix).
    pub term: String,
    pub lang: Lang,
    /// The words of the text that matched, normalised.
    pub text: String,
    pub strength: Strength,
    /// True when the words were found apart or out of order rather than as a phrase.
    pub scattered: bool,
    pub confidence: f64,
}

/// An HS code a text points to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// `8542.31`, or a heading such as `8486`.
    pub hs_code: String,
    #[serde(skip)]
    pub(crate) digits: String,
    pub confidence: f64,
    pub terms: Vec<MatchedTerm>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Strong,
    Weak,
    Exclude,
}

#[derive(Debug, Clone)]
struct Term {
    text: String,
    lang: Lang,
    kind: Kind,
    /// Index into `groups` (unused for excludes).
    group: usize,
    keys: Vec<String>,
    /// Han characters in the term: matched as a substring only, never scattered.
    han: usize,
}

#[derive(Debug, Clone)]
struct Group {
    /// HS digits (4 or 6).
    codes: Vec<String>,
    fallback: bool,
}

/// A loaded, validated taxonomy. Build it once and share it.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    name: String,
    version: String,
    groups: Vec<Group>,
    terms: Vec<Term>,
    /// Concatenated keys → terms, for phrase matching.
    by_concat: HashMap<String, Vec<usize>>,
    /// Each key of a multi-word Latin/Cyrillic term → terms, for scattered matching.
    by_key: HashMap<String, Vec<usize>>,
    /// Sorted keys of Latin/Cyrillic terms (not excludes) → term, to refuse a term that
    /// would match the same words as another.
    by_sorted: HashMap<Vec<String>, usize>,
    /// (prefix, group, lang).
    prefixes: Vec<(String, usize)>,
    stopwords: HashSet<String>,
    /// Most units any term spans.
    max_units: usize,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Langs {
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    ru: Vec<String>,
    #[serde(default)]
    zh: Vec<String>,
}

impl Langs {
    fn all(&self) -> impl Iterator<Item = (Lang, &String)> {
        self.en
            .iter()
            .map(|t| (Lang::En, t))
            .chain(self.ru.iter().map(|t| (Lang::Ru, t)))
            .chain(self.zh.iter().map(|t| (Lang::Zh, t)))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    hs: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    about: String,
    #[serde(default)]
    fallback: bool,
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    ru: Vec<String>,
    #[serde(default)]
    zh: Vec<String>,
    #[serde(default)]
    weak_en: Vec<String>,
    #[serde(default)]
    weak_ru: Vec<String>,
    #[serde(default)]
    weak_zh: Vec<String>,
    #[serde(default)]
    part_prefixes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    name: String,
    #[serde(default)]
    generic: Langs,
    #[serde(default)]
    stopwords: Langs,
    #[serde(default)]
    exclude: Langs,
    #[serde(default, rename = "group")]
    groups: Vec<RawGroup>,
}

const WHAT: &str = "taxonomy";

/// A term's units, keys and Han count under the taxonomy's stopwords.
fn term_units(text: &str, stopwords: &HashSet<String>) -> Vec<Unit> {
    units(text, &|w: &str| stopwords.contains(w))
}

impl Taxonomy {
    /// The built-in taxonomy (parsed once, on first use).
    pub fn builtin() -> &'static Taxonomy {
        static TAXONOMY: OnceLock<Taxonomy> = OnceLock::new();
        TAXONOMY.get_or_init(|| {
            // Compiled in and checked by this crate's tests; failing here would mean
            // the crate itself was built broken, not that any input was bad.
            Taxonomy::from_toml(TAXONOMY_TOML).expect("the built-in taxonomy is valid")
        })
    }

    /// Loads and validates a taxonomy document (see the module documentation).
    pub fn from_toml(text: &str) -> Result<Taxonomy, GoodsError> {
        let raw: RawTaxonomy = toml::from_str(text).map_err(|e| GoodsError::Toml {
            what: WHAT.into(),
            message: e.to_string(),
        })?;
        let name = raw.name.trim().to_string();
        if name.is_empty() {
            return Err(GoodsError::invalid(WHAT, "name", "empty"));
        }
        let stopwords: HashSet<String> = raw
            .stopwords
            .all()
            .map(|(_, w)| redline_names::normalize(w))
            .collect();
        let none = HashSet::new();
        // Generic words as keys (Latin/Cyrillic) and as whole strings (Han).
        let mut generic_keys: HashSet<String> = HashSet::new();
        let mut generic_han: Vec<String> = Vec::new();
        for (_, word) in raw.generic.all() {
            let us = term_units(word, &none);
            if us.iter().any(|u| u.kind == UnitKind::Han) {
                generic_han.push(us.iter().map(|u| u.key.as_str()).collect());
            } else {
                generic_keys.extend(us.into_iter().map(|u| u.key));
            }
        }
        let mut taxonomy = Taxonomy {
            version: version_id(&name, text.as_bytes()),
            name,
            groups: Vec::new(),
            terms: Vec::new(),
            by_concat: HashMap::new(),
            by_key: HashMap::new(),
            by_sorted: HashMap::new(),
            prefixes: Vec::new(),
            stopwords,
            max_units: 1,
        };
        for (lang, phrase) in raw.exclude.all() {
            taxonomy.add_term(phrase, lang, Kind::Exclude, usize::MAX, "exclude")?;
        }
        for (g, group) in raw.groups.iter().enumerate() {
            let key = format!("group[{}] ({})", g + 1, group.hs.join(", "));
            if group.hs.is_empty() {
                return Err(GoodsError::invalid(WHAT, key, "no hs codes"));
            }
            let mut codes = Vec::new();
            for code in &group.hs {
                let parsed = HsCode::parse_with_min(code, 4)
                    .map_err(|e| GoodsError::invalid(WHAT, &key, format!("hs: {e}")))?;
                if parsed.digits.len() != 4 && parsed.digits.len() != 6 {
                    return Err(GoodsError::invalid(
                        WHAT,
                        &key,
                        format!("hs {code:?}: use a 4-digit heading or a 6-digit subheading"),
                    ));
                }
                codes.push(parsed.digits);
            }
            taxonomy.groups.push(Group {
                codes,
                fallback: group.fallback,
            });
            let lists = [
                (Lang::En, Kind::Strong, &group.en),
                (Lang::Ru, Kind::Strong, &group.ru),
                (Lang::Zh, Kind::Strong, &group.zh),
                (Lang::En, Kind::Weak, &group.weak_en),
                (Lang::Ru, Kind::Weak, &group.weak_ru),
                (Lang::Zh, Kind::Weak, &group.weak_zh),
            ];
            let mut count = 0;
            for (lang, kind, terms) in lists {
                for term in terms {
                    let keys = taxonomy.add_term(term, lang, kind, g, &key)?;
                    let han = taxonomy.terms.last().map_or(0, |t| t.han);
                    let generic_only = if han > 0 {
                        segments_into(&keys.concat(), &generic_han)
                    } else {
                        keys.iter().all(|k| generic_keys.contains(k))
                    };
                    if generic_only {
                        return Err(GoodsError::invalid(
                            WHAT,
                            &key,
                            format!("term {term:?} has only generic words"),
                        ));
                    }
                    count += 1;
                }
            }
            for prefix in &group.part_prefixes {
                let p = redline_names::normalize(prefix);
                if p.len() < 3 || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(GoodsError::invalid(
                        WHAT,
                        &key,
                        format!("part prefix {prefix:?}: use at least 3 ASCII letters or digits"),
                    ));
                }
                taxonomy.prefixes.push((p, g));
                count += 1;
            }
            if count == 0 {
                return Err(GoodsError::invalid(WHAT, key, "no terms"));
            }
        }
        Ok(taxonomy)
    }

    /// Adds one term; returns its keys.
    fn add_term(
        &mut self,
        text: &str,
        lang: Lang,
        kind: Kind,
        group: usize,
        key: &str,
    ) -> Result<Vec<String>, GoodsError> {
        let us = term_units(text, &self.stopwords);
        if us.is_empty() {
            return Err(GoodsError::invalid(
                WHAT,
                key,
                format!("term {text:?} has no letters, digits or Han characters besides stopwords"),
            ));
        }
        let keys: Vec<String> = us.iter().map(|u| u.key.clone()).collect();
        let han = us.iter().filter(|u| u.kind == UnitKind::Han).count();
        // Two terms that match the same words would count the same evidence twice:
        // same keys run together, or (Latin/Cyrillic) the same words in another order.
        let concat = keys.concat();
        let mut sorted = keys.clone();
        sorted.sort();
        let duplicate = self
            .by_concat
            .get(&concat)
            .and_then(|ids| ids.first().copied())
            .or_else(|| {
                let scattered = han == 0 && kind != Kind::Exclude;
                scattered
                    .then(|| self.by_sorted.get(&sorted).copied())
                    .flatten()
            });
        if let Some(other) = duplicate {
            let other = &self.terms[other];
            let what = if other.kind == Kind::Exclude {
                "the exclude phrase"
            } else {
                "the term"
            };
            return Err(GoodsError::invalid(
                WHAT,
                key,
                format!(
                    "term {text:?} matches the same words as {what} {:?}",
                    other.text
                ),
            ));
        }
        let id = self.terms.len();
        self.by_concat.entry(concat).or_default().push(id);
        // Exclude phrases match in order only: "server rack" is furniture, a "rack
        // server" a computer.
        if han == 0 && kind != Kind::Exclude {
            self.by_sorted.insert(sorted, id);
        }
        if han == 0 && keys.len() > 1 && kind != Kind::Exclude {
            let mut distinct = keys.clone();
            distinct.sort();
            distinct.dedup();
            for k in distinct {
                self.by_key.entry(k).or_default().push(id);
            }
        }
        self.max_units = self.max_units.max(keys.len() + 1);
        self.terms.push(Term {
            text: text.trim().to_string(),
            lang,
            kind,
            group,
            keys: keys.clone(),
            han,
        });
        Ok(keys)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// `<name>@<first 12 hex of the SHA-256 of the TOML text>`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Every HS code (4 or 6 digits) some group points to, sorted.
    pub fn codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self
            .groups
            .iter()
            .flat_map(|g| g.codes.iter().cloned())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// The HS codes a text points to, most confident first (then by code).
    pub fn candidates(&self, text: &str) -> Vec<Candidate> {
        let units = units(text, &|w: &str| self.stopwords.contains(w));
        if units.is_empty() {
            return Vec::new();
        }
        let mut found = self.raw_matches(&units);
        // A fixed order, so that equal evidence always resolves the same way.
        found.sort_by(|a, b| {
            a.units
                .cmp(&b.units)
                .then(a.source.cmp(&b.source))
                .then(a.scattered.cmp(&b.scattered))
        });
        let found = self.resolve(found);
        self.combine(&units, found)
    }

    /// Every phrase, scattered and part-number match, before overlaps are resolved.
    fn raw_matches(&self, units: &[Unit]) -> Vec<Found> {
        let mut found: Vec<Found> = Vec::new();
        // Phrases: concatenated keys of each window.
        for i in 0..units.len() {
            let mut concat = String::new();
            for (j, unit) in units.iter().enumerate().skip(i).take(self.max_units) {
                concat.push_str(&unit.key);
                if let Some(ids) = self.by_concat.get(&concat) {
                    for &term in ids {
                        found.push(Found {
                            source: Source::Term(term),
                            units: (i..=j).collect(),
                            scattered: false,
                        });
                    }
                }
            }
        }
        // Scattered words of multi-word terms.
        let mut positions: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            if u.kind == UnitKind::Word {
                positions.entry(u.key.as_str()).or_default().push(i);
            }
        }
        let mut tried: HashSet<usize> = HashSet::new();
        for key in positions.keys() {
            for &term in self.by_key.get(*key).into_iter().flatten() {
                if !tried.insert(term) {
                    continue;
                }
                let t = &self.terms[term];
                let Some(lists) = t
                    .keys
                    .iter()
                    .map(|k| positions.get(k.as_str()))
                    .collect::<Option<Vec<_>>>()
                else {
                    continue;
                };
                let Some(chosen) = place(&lists, t.keys.len() + SCATTER_SLACK) else {
                    continue;
                };
                let already = found
                    .iter()
                    .any(|f| f.source == Source::Term(term) && f.units == chosen);
                if !already {
                    found.push(Found {
                        source: Source::Term(term),
                        units: chosen,
                        scattered: true,
                    });
                }
            }
        }
        // Part numbers.
        for (i, u) in units.iter().enumerate() {
            if u.kind != UnitKind::Word
                || !u.surface.bytes().all(|b| b.is_ascii_alphanumeric())
                || !u.surface.bytes().any(|b| b.is_ascii_digit())
            {
                continue;
            }
            for (p, (prefix, _)) in self.prefixes.iter().enumerate() {
                if u.surface.len() > prefix.len() && u.surface.starts_with(prefix.as_str()) {
                    found.push(Found {
                        source: Source::Prefix(p),
                        units: vec![i],
                        scattered: false,
                    });
                }
            }
        }
        found
    }

    /// Drops matches inside longer matches, then term matches inside exclude phrases.
    fn resolve(&self, found: Vec<Found>) -> Vec<Found> {
        let contains =
            |outer: &[usize], inner: &[usize]| inner.iter().all(|u| outer.binary_search(u).is_ok());
        // A weak phrase never hides a strong term inside it ("вертикально-фрезерный
        // станок" is weak, the "фрезерный станок" in it strong).
        let hides = |outer: &Found, inner: &Found| {
            outer.units.len() > inner.units.len()
                && contains(&outer.units, &inner.units)
                && !(self.kind(outer.source) == Kind::Weak
                    && self.kind(inner.source) == Kind::Strong)
        };
        let kept: Vec<&Found> = found
            .iter()
            .filter(|m| !found.iter().any(|o| hides(o, m)))
            .collect();
        let excludes: Vec<&Found> = kept
            .iter()
            .copied()
            .filter(|m| self.kind(m.source) == Kind::Exclude)
            .collect();
        kept.into_iter()
            .filter(|m| self.kind(m.source) != Kind::Exclude)
            .filter(|m| !excludes.iter().any(|e| contains(&e.units, &m.units)))
            .cloned()
            .collect()
    }

    fn kind(&self, source: Source) -> Kind {
        match source {
            Source::Term(t) => self.terms[t].kind,
            Source::Prefix(_) => Kind::Strong,
        }
    }

    /// Groups matches into candidate codes with their confidence.
    fn combine(&self, units: &[Unit], found: Vec<Found>) -> Vec<Candidate> {
        // code → (term identity → best evidence), and whether any evidence is specific.
        struct Acc {
            evidence: BTreeMap<(u8, usize), MatchedTerm>,
            specific: bool,
        }
        let mut by_code: BTreeMap<String, Acc> = BTreeMap::new();
        for f in &found {
            let (group, matched, identity) = match f.source {
                Source::Term(t) => {
                    let term = &self.terms[t];
                    let confidence = match (term.kind, f.scattered) {
                        (Kind::Weak, false) => WEAK,
                        (Kind::Weak, true) => WEAK_SCATTERED,
                        (_, true) => STRONG_SCATTERED,
                        (_, false) => {
                            let phrase = if term.han > 0 {
                                term.han >= 3
                            } else {
                                term.keys.len() > 1
                            };
                            if phrase {
                                STRONG_PHRASE
                            } else {
                                STRONG_WORD
                            }
                        }
                    };
                    let strength = if term.kind == Kind::Weak {
                        Strength::Weak
                    } else {
                        Strength::Strong
                    };
                    let matched = MatchedTerm {
                        term: term.text.clone(),
                        lang: term.lang,
                        text: surface(units, &f.units),
                        strength,
                        scattered: f.scattered,
                        confidence,
                    };
                    (term.group, matched, (0u8, t))
                }
                Source::Prefix(p) => {
                    let (prefix, group) = &self.prefixes[p];
                    let matched = MatchedTerm {
                        term: prefix.clone(),
                        lang: Lang::En,
                        text: surface(units, &f.units),
                        strength: Strength::PartNumber,
                        scattered: false,
                        confidence: PART_NUMBER,
                    };
                    (*group, matched, (1u8, p))
                }
            };
            let Some(g) = self.groups.get(group) else {
                continue;
            };
            for code in &g.codes {
                let acc = by_code.entry(code.clone()).or_insert_with(|| Acc {
                    evidence: BTreeMap::new(),
                    specific: false,
                });
                acc.specific |= !g.fallback;
                let better = acc
                    .evidence
                    .get(&identity)
                    .is_none_or(|m| matched.confidence > m.confidence);
                if better {
                    acc.evidence.insert(identity, matched.clone());
                }
            }
        }
        // Fallback-only codes fold into specific codes of the same heading.
        let fallback: Vec<String> = by_code
            .iter()
            .filter(|(_, acc)| !acc.specific)
            .map(|(code, _)| code.clone())
            .collect();
        for code in fallback {
            let heading = &code[..4];
            let targets: Vec<String> = by_code
                .iter()
                .filter(|(c, acc)| acc.specific && c.starts_with(heading))
                .map(|(c, _)| c.clone())
                .collect();
            if targets.is_empty() {
                continue;
            }
            if let Some(acc) = by_code.remove(&code) {
                for target in targets {
                    if let Some(t) = by_code.get_mut(&target) {
                        for (identity, m) in &acc.evidence {
                            t.evidence.entry(*identity).or_insert_with(|| m.clone());
                        }
                    }
                }
            }
        }
        let mut candidates: Vec<Candidate> = by_code
            .into_iter()
            .map(|(digits, acc)| {
                let mut terms: Vec<MatchedTerm> = acc.evidence.into_values().collect();
                terms.sort_by(|a, b| {
                    b.confidence
                        .total_cmp(&a.confidence)
                        .then_with(|| a.term.cmp(&b.term))
                });
                let miss: f64 = terms.iter().map(|m| 1.0 - m.confidence).product();
                let confidence = round3((1.0 - miss).min(MAX_CONFIDENCE));
                Candidate {
                    hs_code: format_digits(&digits),
                    digits,
                    confidence,
                    terms,
                }
            })
            .collect();
        candidates.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then_with(|| a.digits.cmp(&b.digits))
        });
        candidates
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The normalised words of the given units, for display (Han characters unspaced).
fn surface(units: &[Unit], which: &[usize]) -> String {
    let mut out = String::new();
    let mut previous: Option<&Unit> = None;
    for &i in which {
        let u = &units[i];
        if let Some(p) = previous {
            if !(p.kind == UnitKind::Han && u.kind == UnitKind::Han) {
                out.push(' ');
            }
        }
        out.push_str(&u.surface);
        previous = Some(u);
    }
    out
}

/// Whether `s` is entirely a concatenation of `words`.
fn segments_into(s: &str, words: &[String]) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let mut reachable = vec![false; chars.len() + 1];
    reachable[0] = true;
    for i in 0..chars.len() {
        if !reachable[i] {
            continue;
        }
        for w in words {
            let wc: Vec<char> = w.chars().collect();
            if !wc.is_empty() && chars[i..].starts_with(&wc) {
                reachable[i + wc.len()] = true;
            }
        }
    }
    reachable[chars.len()]
}

/// One occurrence per key, all distinct, spanning at most `max_span` units; the
/// tightest such placement, as sorted unit indices.
fn place(lists: &[&Vec<usize>], max_span: usize) -> Option<Vec<usize>> {
    fn go(
        lists: &[&Vec<usize>],
        chosen: &mut Vec<usize>,
        max_span: usize,
        best: &mut Option<(usize, Vec<usize>)>,
    ) {
        if chosen.len() == lists.len() {
            let (lo, hi) = span(chosen);
            let width = hi - lo + 1;
            if width <= max_span && best.as_ref().is_none_or(|(w, _)| width < *w) {
                let mut sorted = chosen.clone();
                sorted.sort_unstable();
                *best = Some((width, sorted));
            }
            return;
        }
        for &p in lists[chosen.len()].iter().take(MAX_POSITIONS) {
            if chosen.contains(&p) {
                continue;
            }
            chosen.push(p);
            let (lo, hi) = span(chosen);
            if hi - lo < max_span {
                go(lists, chosen, max_span, best);
            }
            chosen.pop();
        }
    }
    fn span(v: &[usize]) -> (usize, usize) {
        let lo = v.iter().copied().min().unwrap_or(0);
        let hi = v.iter().copied().max().unwrap_or(0);
        (lo, hi)
    }
    let mut best = None;
    go(lists, &mut Vec::new(), max_span, &mut best);
    best.map(|(_, v)| v)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Term(usize),
    Prefix(usize),
}

#[derive(Debug, Clone)]
struct Found {
    source: Source,
    /// Sorted unit indices.
    units: Vec<usize>,
    scattered: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
name = "t"
[generic]
en = ["parts", "electronic", "equipment"]
zh = ["配件", "电子"]
[stopwords]
en = ["for", "of"]
[exclude]
en = ["memory card"]
zh = ["IC卡"]
[[group]]
hs = ["8542.32"]
en = ["memory chip", "flash memory"]
weak_en = ["memory"]
[[group]]
hs = ["8542.39"]
fallback = true
en = ["integrated circuit", "IC"]
zh = ["集成电路"]
[[group]]
hs = ["8542.31"]
en = ["microcontroller"]
part_prefixes = ["stm32"]
[[group]]
hs = ["8807.30"]
en = ["drone parts"]
zh = ["无人机配件"]
"#;

    fn codes(t: &Taxonomy, text: &str) -> Vec<(String, f64)> {
        t.candidates(text)
            .into_iter()
            .map(|c| (c.hs_code, c.confidence))
            .collect()
    }

    #[test]
    fn phrases_scattered_words_and_part_numbers() {
        let t = Taxonomy::from_toml(SMALL).unwrap();
        assert_eq!(codes(&t, "Flash-Memory"), [("8542.32".into(), 0.9)]);
        // Two overlapping strong terms are independent evidence.
        assert_eq!(codes(&t, "Flash-Memory chips"), [("8542.32".into(), 0.97)]);
        assert_eq!(codes(&t, "flashmemory"), [("8542.32".into(), 0.9)]);
        // Stopwords vanish, so "parts for drones" is "drones parts" scattered.
        assert_eq!(codes(&t, "Parts for drones"), [("8807.30".into(), 0.8)]);
        assert_eq!(codes(&t, "drone-parts"), [("8807.30".into(), 0.9)]);
        assert_eq!(codes(&t, "drones: spare parts"), [("8807.30".into(), 0.8)]);
        assert_eq!(codes(&t, "无人机配件一批"), [("8807.30".into(), 0.9)]);
        assert_eq!(codes(&t, "STM32F103C8T6"), [("8542.31".into(), 0.8)]);
        assert_eq!(codes(&t, "STM32"), Vec::<(String, f64)>::new());
        // The fallback IC evidence strengthens the specific code.
        let c = t.candidates("microcontroller IC");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].hs_code, "8542.31");
        assert!(c[0].confidence > 0.95, "{c:?}");
        assert_eq!(codes(&t, "集成电路"), [("8542.39".into(), 0.9)]);
    }

    #[test]
    fn excludes_and_longer_matches_win() {
        let t = Taxonomy::from_toml(SMALL).unwrap();
        assert!(t.candidates("SD memory card 64GB").is_empty());
        assert!(t.candidates("IC卡").is_empty());
        assert_eq!(codes(&t, "memory"), [("8542.32".into(), 0.5)]);
        let c = t.candidates("memory chip");
        assert_eq!(c[0].terms.len(), 1, "{c:?}");
    }

    #[test]
    fn the_builtin_taxonomy_loads() {
        let t = Taxonomy::from_toml(TAXONOMY_TOML).unwrap_or_else(|e| panic!("{e}"));
        assert!(t.version().starts_with("redline-chpl-taxonomy@"));
        assert!(t.terms.len() > 1000, "{}", t.terms.len());
    }

    #[test]
    fn generic_only_terms_are_refused() {
        let bad = SMALL.replace("\"drone parts\"", "\"electronic parts\"");
        let err = Taxonomy::from_toml(&bad).unwrap_err();
        assert!(err.to_string().contains("only generic words"), "{err}");
        let bad = SMALL.replace("\"无人机配件\"", "\"电子配件\"");
        assert!(Taxonomy::from_toml(&bad).is_err());
        let bad = SMALL.replace("\"memory chip\",", "\"memory card\",");
        assert!(Taxonomy::from_toml(&bad)
            .unwrap_err()
            .to_string()
            .contains("exclude"));
        let bad = SMALL.replace("fallback = true", "fallbak = true");
        assert!(Taxonomy::from_toml(&bad)
            .unwrap_err()
            .to_string()
            .contains("fallbak"));
    }
}
