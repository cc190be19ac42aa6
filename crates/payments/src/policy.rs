//! The screening policy: what a hit means for a payment (PASS, HOLD or BLOCK).
//!
//! Why a policy file and not constants: the matching engine says *how similar* a
//! name is to a list entry; whether a 0.9 match on a creditor stops the payment, and
//! which countries and occupied regions are embargoed, are a bank's own risk
//! decisions that change with regulation. They live in one TOML document, shipped
//! with a reviewed default (`data/policy.toml`, documented line by line), loaded
//! strictly (an unknown key is an error, so a typo never switches a rule off), and
//! identified by a content hash that every decision records for the audit trail.

use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use crate::words::latin_tokens;
use crate::{CountrySource, Verdict};

/// The shipped default policy, for a bank to review.
pub const DEFAULT_POLICY_TOML: &str = include_str!("../data/policy.toml");

/// The `[evidence]` section of the `russia-evidence` profile.
const RUSSIA_EVIDENCE_TOML: &str = include_str!("../data/russia-evidence.toml");

/// The `russia-evidence` profile: the default policy under its own name, with the
/// evidence section added, so both profiles share every other rule.
fn russia_evidence_toml() -> String {
    let default = DEFAULT_POLICY_TOML.replacen(
        "name = \"redline-default\"",
        "name = \"redline-russia-evidence\"",
        1,
    );
    format!("{default}\n{RUSSIA_EVIDENCE_TOML}")
}

fn check_evidence(
    mut e: EvidenceRules,
    countries: &BTreeMap<String, Verdict>,
    hold_threshold: f64,
) -> Result<EvidenceRules, PolicyError> {
    for code in &mut e.countries {
        *code = code.trim().to_ascii_uppercase();
        if !countries.contains_key(code.as_str()) {
            return Err(invalid(
                format!("evidence.countries.{code}"),
                "not in [countries]: only a country the policy holds can be released",
            ));
        }
    }
    if !(0.0..=hold_threshold).contains(&e.name_clear_below) {
        return Err(invalid(
            "evidence.name_clear_below",
            format!(
                "{} is not between 0 and hold_threshold {hold_threshold}",
                e.name_clear_below
            ),
        ));
    }
    for source in &e.required_sources {
        if source.parse::<redline_model::SourceId>().is_err() {
            return Err(invalid(
                format!("evidence.required_sources.{source}"),
                "not a list source Redline reads",
            ));
        }
    }
    Ok(e)
}

/// A policy that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Not valid TOML, a value of the wrong type, or an unknown key; the message
    /// names the key and the line.
    #[error("policy: {0}")]
    Toml(String),
    /// A value that parses but makes no sense.
    #[error("policy: {key}: {message}")]
    Invalid { key: String, message: String },
}

fn invalid(key: impl Into<String>, message: impl Into<String>) -> PolicyError {
    PolicyError::Invalid {
        key: key.into(),
        message: message.into(),
    }
}

/// Rules for parties and their identifiers (`[parties]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyRules {
    /// Screen agents' names (as organisations) besides their BICs.
    #[serde(default = "yes")]
    pub screen_agent_names: bool,
    #[serde(default = "block")]
    pub listed_bic: Verdict,
    #[serde(default = "block")]
    pub listed_lei: Verdict,
    #[serde(default = "block")]
    pub listed_branch_sibling: Verdict,
    #[serde(default = "hold")]
    pub listed_identifier: Verdict,
    /// A registry number (INN, OGRN, OGRNIP, USCC, BIK) that passes its registry's
    /// check and equals one a list gives for the same registry.
    #[serde(default = "block")]
    pub listed_registry_id: Verdict,
    /// A labelled registry number that fails its registry's check (length, characters
    /// or check digit): a typing error or a forged number, never silently dropped.
    #[serde(default = "hold")]
    pub invalid_registry_id: Verdict,
}

impl Default for PartyRules {
    fn default() -> Self {
        PartyRules {
            screen_agent_names: true,
            listed_bic: Verdict::Block,
            listed_lei: Verdict::Block,
            listed_branch_sibling: Verdict::Block,
            listed_identifier: Verdict::Hold,
            listed_registry_id: Verdict::Block,
            invalid_registry_id: Verdict::Hold,
        }
    }
}

/// When a country's hold is released on evidence (`[evidence]`): the payment touches
/// one of `countries`, and every party in it is identified and found on no list.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRules {
    /// Upper-case ISO alpha-2 codes whose country hits may be released.
    pub countries: Vec<String>,
    /// A party without a registry number, BIC or LEI is identified by its name only
    /// when no list entry scores this high against it, and never when it is located
    /// in one of `countries` (there a registry number is required).
    #[serde(default = "default_name_clear_below")]
    pub name_clear_below: f64,
    /// Lists that must be loaded for a release (`ofac-sdn`, `un-sc`, …): evidence
    /// from lists that are not there is no evidence.
    #[serde(default)]
    pub required_sources: Vec<String>,
}

fn default_name_clear_below() -> f64 {
    0.7
}

/// Rules for exact look-ups in free text (`[free_text]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeTextRules {
    #[serde(default = "block")]
    pub imo_with_prefix: Verdict,
    #[serde(default = "hold")]
    pub imo_bare: Verdict,
    #[serde(default = "hold")]
    pub listed_bic_in_text: Verdict,
}

impl Default for FreeTextRules {
    fn default() -> Self {
        FreeTextRules {
            imo_with_prefix: Verdict::Block,
            imo_bare: Verdict::Hold,
            listed_bic_in_text: Verdict::Hold,
        }
    }
}

/// The most a country from each source may do (`[country_sources]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountrySourceCaps {
    #[serde(default = "block")]
    pub address: Verdict,
    #[serde(default = "block")]
    pub country_of_residence: Verdict,
    #[serde(default = "block")]
    pub bic: Verdict,
    #[serde(default = "block")]
    pub iban: Verdict,
    #[serde(default = "hold")]
    pub text: Verdict,
    #[serde(default = "hold")]
    pub country_of_birth: Verdict,
}

impl Default for CountrySourceCaps {
    fn default() -> Self {
        CountrySourceCaps {
            address: Verdict::Block,
            country_of_residence: Verdict::Block,
            bic: Verdict::Block,
            iban: Verdict::Block,
            text: Verdict::Hold,
            country_of_birth: Verdict::Hold,
        }
    }
}

impl CountrySourceCaps {
    pub fn cap(&self, source: CountrySource) -> Verdict {
        match source {
            CountrySource::Address => self.address,
            CountrySource::CountryOfResidence => self.country_of_residence,
            CountrySource::Bic => self.bic,
            CountrySource::Iban => self.iban,
            CountrySource::Text => self.text,
            CountrySource::CountryOfBirth => self.country_of_birth,
        }
    }
}

/// A sanctioned place and the spellings that name it (`[[regions]]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub name: String,
    pub action: Verdict,
    pub spellings: Vec<String>,
}

/// A region named in a text: which one, and the byte span of the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionMatch {
    /// Position in [`Policy::regions`].
    pub region: usize,
    pub start: usize,
    pub end: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    name: String,
    #[serde(default = "default_hold_threshold")]
    hold_threshold: f64,
    #[serde(default = "default_block_threshold")]
    block_threshold: f64,
    #[serde(default = "default_max_matches")]
    max_matches_per_field: usize,
    #[serde(default)]
    parties: PartyRules,
    #[serde(default)]
    free_text: FreeTextRules,
    #[serde(default)]
    countries: BTreeMap<String, Verdict>,
    #[serde(default)]
    country_sources: CountrySourceCaps,
    #[serde(default)]
    regions: Vec<Region>,
    #[serde(default)]
    evidence: Option<EvidenceRules>,
    #[serde(default)]
    lists: ListRules,
}

/// What the lists a payment is screened against must be (`[lists]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListRules {
    /// Hold a payment while a required list is older than this many days (from its
    /// publication date, or its load if it states none) at the decision's time. None:
    /// old lists are named in the decision (`stale_lists`) but hold nothing.
    #[serde(default)]
    pub hold_after_days: Option<u32>,
    /// The lists this applies to, by source id; a required list that is not loaded
    /// holds the payment too. Empty: every list the decision used.
    #[serde(default)]
    pub required: Vec<String>,
}

fn check_lists(rules: ListRules) -> Result<ListRules, PolicyError> {
    if rules.hold_after_days == Some(0) {
        return Err(invalid("lists.hold_after_days", "must be at least 1 day"));
    }
    for source in &rules.required {
        if source.parse::<redline_model::SourceId>().is_err() {
            return Err(invalid(
                format!("lists.required.{source}"),
                "not a list source Redline reads",
            ));
        }
    }
    Ok(rules)
}

fn yes() -> bool {
    true
}
fn block() -> Verdict {
    Verdict::Block
}
fn hold() -> Verdict {
    Verdict::Hold
}
fn default_hold_threshold() -> f64 {
    redline_matching::DEFAULT_THRESHOLD
}
fn default_block_threshold() -> f64 {
    0.97
}
fn default_max_matches() -> usize {
    10
}

/// A loaded, validated policy. Build it once and share it: region spellings are
/// compiled into a look-up table at load time.
#[derive(Debug, Clone)]
pub struct Policy {
    name: String,
    version: String,
    hold_threshold: f64,
    block_threshold: f64,
    max_matches_per_field: usize,
    parties: PartyRules,
    free_text: FreeTextRules,
    /// Upper-case ISO alpha-2 → action.
    countries: BTreeMap<String, Verdict>,
    country_sources: CountrySourceCaps,
    regions: Vec<Region>,
    evidence: Option<EvidenceRules>,
    lists: ListRules,
    /// Each spelling as Latin tokens, by its first token: (region, tokens).
    spellings: HashMap<String, Vec<(usize, Vec<String>)>>,
}

impl Policy {
    /// The shipped default (`crates/payments/data/policy.toml`).
    pub fn default_policy() -> Policy {
        // The shipped file is checked by this crate's tests; failing here would mean
        // the crate itself was built broken, not that any input was bad.
        Policy::from_toml(DEFAULT_POLICY_TOML).expect("the shipped default policy is valid")
    }

    /// Loads and validates a policy document.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let raw: RawPolicy = toml::from_str(text).map_err(|e| PolicyError::Toml(e.to_string()))?;
        let name = raw.name.trim().to_string();
        if name.is_empty() {
            return Err(invalid("name", "empty"));
        }
        for (key, v) in [
            ("hold_threshold", raw.hold_threshold),
            ("block_threshold", raw.block_threshold),
        ] {
            if !(v > 0.0 && v <= 1.0) {
                return Err(invalid(key, format!("{v} is not in (0, 1]")));
            }
        }
        if raw.block_threshold < raw.hold_threshold {
            return Err(invalid(
                "block_threshold",
                format!(
                    "{} is below hold_threshold {}",
                    raw.block_threshold, raw.hold_threshold
                ),
            ));
        }
        if raw.max_matches_per_field == 0 {
            return Err(invalid("max_matches_per_field", "must be at least 1"));
        }
        let mut countries = BTreeMap::new();
        for (code, action) in raw.countries {
            let upper = code.trim().to_ascii_uppercase();
            let known = upper.len() == 2
                && upper.bytes().all(|b| b.is_ascii_alphabetic())
                && redline_model::countries::name_of(&upper).is_some();
            if !known {
                return Err(invalid(
                    format!("countries.{code}"),
                    "not an ISO 3166-1 alpha-2 code",
                ));
            }
            if countries.insert(upper, action).is_some() {
                return Err(invalid(format!("countries.{code}"), "given twice"));
            }
        }
        let evidence = raw
            .evidence
            .map(|e| check_evidence(e, &countries, raw.hold_threshold))
            .transpose()?;
        let mut spellings: HashMap<String, Vec<(usize, Vec<String>)>> = HashMap::new();
        for (i, region) in raw.regions.iter().enumerate() {
            let key = format!("regions[{}] ({})", i + 1, region.name);
            if region.spellings.is_empty() {
                return Err(invalid(key, "no spellings"));
            }
            for s in &region.spellings {
                let tokens: Vec<String> = latin_tokens(s).into_iter().map(|t| t.text).collect();
                let Some(first) = tokens.first() else {
                    return Err(invalid(
                        key,
                        format!("spelling {s:?} has no letters or digits"),
                    ));
                };
                spellings
                    .entry(first.clone())
                    .or_default()
                    .push((i, tokens));
            }
        }
        Ok(Policy {
            version: format!(
                "{name}@{}",
                &hex::encode(Sha256::digest(text.as_bytes()))[..12]
            ),
            name,
            hold_threshold: raw.hold_threshold,
            block_threshold: raw.block_threshold,
            max_matches_per_field: raw.max_matches_per_field,
            parties: raw.parties,
            free_text: raw.free_text,
            countries,
            country_sources: raw.country_sources,
            regions: raw.regions,
            evidence,
            lists: check_lists(raw.lists)?,
            spellings,
        })
    }

    /// A shipped policy by name: `default` (every payment touching Russia or Belarus
    /// is held) or `russia-evidence` (the same rules, with those holds released when
    /// every party is identified and none is listed). Returns the policy and the
    /// text it was loaded from, which decisions record.
    pub fn named(name: &str) -> Option<(Policy, String)> {
        static DEFAULT: OnceLock<(Policy, String)> = OnceLock::new();
        static RUSSIA: OnceLock<(Policy, String)> = OnceLock::new();
        let (cell, text): (_, fn() -> String) = match name {
            "default" | "redline-default" => (&DEFAULT, || DEFAULT_POLICY_TOML.to_string()),
            "russia-evidence" | "redline-russia-evidence" => (&RUSSIA, russia_evidence_toml),
            _ => return None,
        };
        let shipped = cell.get_or_init(|| {
            let text = text();
            let policy = Policy::from_toml(&text).expect("the shipped policies are valid");
            (policy, text)
        });
        Some(shipped.clone())
    }

    /// The names [`Policy::named`] knows.
    pub const NAMED: [&'static str; 2] = ["default", "russia-evidence"];

    pub fn evidence(&self) -> Option<&EvidenceRules> {
        self.evidence.as_ref()
    }

    pub fn lists(&self) -> &ListRules {
        &self.lists
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// `<name>@<first 12 hex of the SHA-256 of the TOML text>`.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn hold_threshold(&self) -> f64 {
        self.hold_threshold
    }

    pub fn block_threshold(&self) -> f64 {
        self.block_threshold
    }

    pub fn max_matches_per_field(&self) -> usize {
        self.max_matches_per_field
    }

    pub fn parties(&self) -> &PartyRules {
        &self.parties
    }

    pub fn free_text(&self) -> &FreeTextRules {
        &self.free_text
    }

    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The action for a country (any case), capped by what its source may do;
    /// `None` when the policy says nothing about it.
    pub fn country_action(&self, code: &str, source: CountrySource) -> Option<Verdict> {
        let action = *self.countries.get(&code.trim().to_ascii_uppercase())?;
        Some(action.min(self.country_sources.cap(source)))
    }

    /// The policy's regions named in `text`, each once (its first mention), in text
    /// order. Whole words only; a match inside a longer match of another spelling
    /// ("Donetsk" in "Donetsk People's Republic") is dropped.
    pub fn find_regions(&self, text: &str) -> Vec<RegionMatch> {
        if self.spellings.is_empty() {
            return Vec::new();
        }
        let tokens = latin_tokens(text);
        let mut found: Vec<RegionMatch> = Vec::new();
        for i in 0..tokens.len() {
            let Some(candidates) = self.spellings.get(&tokens[i].text) else {
                continue;
            };
            for (region, spelling) in candidates {
                let end = i + spelling.len();
                let equal = end <= tokens.len()
                    && tokens[i..end]
                        .iter()
                        .zip(spelling)
                        .all(|(t, s)| &t.text == s);
                if equal {
                    found.push(RegionMatch {
                        region: *region,
                        start: tokens[i].start,
                        end: tokens[end - 1].end,
                    });
                }
            }
        }
        let longest_first = |a: &RegionMatch, b: &RegionMatch| {
            a.start
                .cmp(&b.start)
                .then((b.end - b.start).cmp(&(a.end - a.start)))
                .then(a.region.cmp(&b.region))
        };
        found.sort_by(longest_first);
        let mut kept: Vec<RegionMatch> = Vec::new();
        for m in &found {
            let inside_longer = found.iter().any(|o| {
                o.start <= m.start && m.end <= o.end && (o.end - o.start) > (m.end - m.start)
            });
            let seen = kept.iter().any(|k| k.region == m.region);
            if !inside_longer && !seen {
                kept.push(m.clone());
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_loads_and_is_versioned() {
        let p = Policy::default_policy();
        assert_eq!(p.name(), "redline-default");
        assert!(p.version().starts_with("redline-default@"));
        assert_eq!(p.version().len(), "redline-default@".len() + 12);
        assert_eq!(p.hold_threshold(), redline_matching::DEFAULT_THRESHOLD);
        assert_eq!(p.block_threshold(), 0.97);
        assert_eq!(
            p.country_action("ir", CountrySource::Address),
            Some(Verdict::Block)
        );
        assert_eq!(
            p.country_action("IR", CountrySource::Text),
            Some(Verdict::Hold)
        );
        assert_eq!(
            p.country_action("RU", CountrySource::Bic),
            Some(Verdict::Hold)
        );
        assert_eq!(p.country_action("DE", CountrySource::Address), None);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors_naming_the_key() {
        let err = Policy::from_toml("name = \"x\"\nhold_treshold = 0.8\n").unwrap_err();
        assert!(err.to_string().contains("hold_treshold"), "{err}");
        let err = Policy::from_toml("name = \"x\"\n[parties]\nscreen_agents = true\n").unwrap_err();
        assert!(err.to_string().contains("screen_agents"), "{err}");
        let err = Policy::from_toml(
            "name = \"x\"\n[[regions]]\nname = \"r\"\naction = \"hold\"\nspelling = []\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("spelling"), "{err}");
        let err = Policy::from_toml("name = \"x\"\n[countries]\nXX = \"block\"\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "policy: countries.XX: not an ISO 3166-1 alpha-2 code"
        );
        let err = Policy::from_toml("name = \"x\"\n[countries]\nIR = \"stop\"\n").unwrap_err();
        assert!(err.to_string().contains("stop"), "{err}");
        let err = Policy::from_toml("name = \"x\"\nblock_threshold = 0.5\n").unwrap_err();
        assert!(err.to_string().contains("block_threshold"), "{err}");
    }

    #[test]
    fn the_shipped_profiles_share_their_rules_and_differ_in_evidence() {
        let (default, default_text) = Policy::named("default").unwrap();
        let (russia, russia_text) = Policy::named("russia-evidence").unwrap();
        assert_eq!(default_text, DEFAULT_POLICY_TOML);
        assert!(default.evidence().is_none());
        assert_eq!(russia.name(), "redline-russia-evidence");
        assert!(russia.version().starts_with("redline-russia-evidence@"));
        assert_eq!(russia.regions(), default.regions());
        assert_eq!(russia.parties(), default.parties());
        let e = russia.evidence().unwrap();
        assert_eq!(e.countries, ["RU", "BY"]);
        assert_eq!(e.required_sources, ["ofac-sdn", "un-sc"]);
        assert!(russia_text.ends_with(RUSSIA_EVIDENCE_TOML));
        assert!(Policy::named("lenient").is_none());
    }

    #[test]
    fn evidence_rules_are_checked() {
        let with = |section: &str| {
            Policy::from_toml(&format!(
                "name = \"x\"\n[countries]\nRU = \"hold\"\n[evidence]\n{section}\n"
            ))
        };
        assert!(with("countries = [\"ru\"]").is_ok());
        assert_eq!(
            with("countries = [\"CN\"]").unwrap_err().to_string(),
            "policy: evidence.countries.CN: not in [countries]: only a country the policy holds can be released"
        );
        assert!(with("countries = [\"RU\"]\nname_clear_below = 0.9")
            .unwrap_err()
            .to_string()
            .contains("name_clear_below"));
        assert!(with("countries = [\"RU\"]\nrequired_sources = [\"bis\"]")
            .unwrap_err()
            .to_string()
            .contains("evidence.required_sources.bis"));
        assert!(with("countries = [\"RU\"]\nrelease = true")
            .unwrap_err()
            .to_string()
            .contains("release"));
    }

    #[test]
    fn version_follows_the_text() {
        let a = Policy::from_toml("name = \"bank\"\n").unwrap();
        let b = Policy::from_toml("name = \"bank\"\nhold_threshold = 0.84\n").unwrap();
        assert!(a.version().starts_with("bank@"));
        assert_ne!(a.version(), b.version());
        assert_eq!(a.hold_threshold(), b.hold_threshold());
    }

    fn names(p: &Policy, text: &str) -> Vec<(String, String)> {
        p.find_regions(text)
            .into_iter()
            .map(|m| {
                (
                    p.regions()[m.region].name.clone(),
                    text[m.start..m.end].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn regions_match_whole_words_in_any_script() {
        let p = Policy::default_policy();
        assert_eq!(
            names(&p, "Delivery to Simferopol, KRYM"),
            [("Crimea".to_string(), "Simferopol".to_string())]
        );
        assert_eq!(names(&p, "ул. Ленина 1, Севастополь")[0].1, "Севастополь");
        assert_eq!(names(&p, "г. Донецьк")[0].0, "Donetsk (city or oblast)");
        assert_eq!(
            names(&p, "goods for the Donetsk People's Republic"),
            [(
                "so-called Donetsk People's Republic".to_string(),
                "Donetsk People's Republic".to_string()
            )]
        );
        assert_eq!(names(&p, "CtrySubDvsn UA-43")[0].0, "Crimea");
        // Substrings and longer words never fire.
        assert!(names(&p, "Krymsk, Krasnodar Krai").is_empty());
        assert!(names(&p, "MACDONETSKY HOLDINGS; DONETSKIYSTRASSE 4").is_empty());
        assert!(names(&p, "UA43 Kryms").is_empty());
    }
}
