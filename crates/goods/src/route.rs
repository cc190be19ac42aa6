//! Route risk: which countries, regions and cities make a trade route risky, and what
//! each finding does to a trade decision.
//!
//! Why a policy file and not constants: which countries count as transshipment hubs,
//! whether a tier-1 item shipped to one of them is held, and how strong a name match
//! must be to block are an institution's own risk decisions, and they change with
//! regulators' alerts. They live in one TOML document with a reviewed default
//! (`data/route-policy.toml`, sources cited line by line), loaded strictly (an unknown
//! key is an error, so a typo never switches a rule off) and identified by
//! `<name>@<first 12 hex of the SHA-256 of the text>`, which every decision records.
//!
//! # Places
//! A route element or a party's country is resolved to a country in this order:
//! 1. the policy's `[[regions]]` (occupied regions of Ukraine: a region's own risk
//!    applies even though its ISO country is `UA`);
//! 2. a country code or name in any language (`redline_model::countries::to_code`:
//!    `RU`, `RUS`, `Russia`, `Россия`, `俄罗斯`);
//! 3. the policy's `[cities]` table (Shenzhen, Almaty, Moscow, Rotterdam …), spellings
//!    compared after romanisation, so `Москва`, `Moskva` and `MOSCOW` are one key and
//!    `深圳` reads as `shenzhen`;
//! 4. the same after dropping "port of", "city", "г.", "город", "市", "港";
//! 5. for "City, Country" (also `/`, `;`, parentheses): each part, the last part that is
//!    a country giving the country; a region or city part counts only when it lies in
//!    that country ("Moscow, Idaho, USA" is in the United States).
//!
//! An element that resolves to no country stays in the decision as unresolved — it is
//! reported, never silently ignored.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use redline_model::countries;
use serde::{Deserialize, Serialize};

use crate::error::{version_id, GoodsError};

/// The shipped default route policy.
pub const ROUTE_POLICY_TOML: &str = include_str!("../data/route-policy.toml");

const WHAT: &str = "route policy";

/// What a finding does to a trade: PASS (informational), HOLD (an analyst reviews
/// before the trade proceeds) or BLOCK (the trade must not proceed). Ordered by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Action {
    #[serde(alias = "pass")]
    Pass,
    #[serde(alias = "hold")]
    Hold,
    #[serde(alias = "block")]
    Block,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Pass => "PASS",
            Action::Hold => "HOLD",
            Action::Block => "BLOCK",
        }
    }
}

/// How risky a place is for Russia/Belarus export controls. Ordered by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    None,
    /// A transshipment hub named in the FinCEN/BIS alerts.
    Elevated,
    /// Russia, Belarus, occupied regions of Ukraine (and what else the policy says).
    High,
}

/// How a place was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResolvedBy {
    Region,
    Country,
    City,
}

/// A route element or a party country, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    /// As given.
    pub text: String,
    /// ISO 3166-1 alpha-2, upper case; `None` when unresolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_name: Option<String>,
    /// The policy region it lies in (e.g. `Crimea`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The policy city it names (its first spelling).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    pub risk: Risk,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<ResolvedBy>,
}

impl Place {
    pub fn is_resolved(&self) -> bool {
        self.country.is_some()
    }

    /// "Moscow (RU)", "Crimea region (UA)", "Kazakhstan (KZ)", or the text as given.
    pub fn label(&self) -> String {
        let name = self
            .city
            .clone()
            .or_else(|| self.region.clone())
            .or_else(|| self.country_name.clone())
            .unwrap_or_else(|| self.text.clone());
        match &self.country {
            Some(c) => format!("{name} ({c})"),
            None => name,
        }
    }
}

/// Score thresholds (`[thresholds]`).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// A party or vessel matching a list entry at or above this is listed (BLOCK);
    /// between the matching engine's alert threshold and this it is a possible match.
    #[serde(default = "default_party_block")]
    pub party_block: f64,
    /// A description hit at or above this confidence counts as a listed item; below
    /// it is reported as a possible item only.
    #[serde(default = "default_description")]
    pub description: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            party_block: default_party_block(),
            description: default_description(),
        }
    }
}

fn default_party_block() -> f64 {
    0.97
}
fn default_description() -> f64 {
    0.7
}

/// What each finding does (`[actions]`); see `data/route-policy.toml` for each rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actions {
    #[serde(default = "block")]
    pub listed_party: Action,
    #[serde(default = "hold")]
    pub possible_listed_party: Action,
    #[serde(default = "hold")]
    pub unscreenable_party: Action,
    #[serde(default = "hold")]
    pub high_risk_route: Action,
    #[serde(default = "hold")]
    pub listed_goods_high_risk_route: Action,
    #[serde(default = "hold")]
    pub listed_goods_hub_unknown_destination: Action,
    #[serde(default = "hold")]
    pub listed_goods_unknown_destination: Action,
    #[serde(default = "hold")]
    pub priority_goods_to_hub: Action,
    #[serde(default = "pass")]
    pub listed_goods_clean_route: Action,
    #[serde(default = "hold")]
    pub unresolved_place_with_listed_goods: Action,
    #[serde(default = "hold")]
    pub goods_data_issue: Action,
}

impl Default for Actions {
    fn default() -> Self {
        Actions {
            listed_party: Action::Block,
            possible_listed_party: Action::Hold,
            unscreenable_party: Action::Hold,
            high_risk_route: Action::Hold,
            listed_goods_high_risk_route: Action::Hold,
            listed_goods_hub_unknown_destination: Action::Hold,
            listed_goods_unknown_destination: Action::Hold,
            priority_goods_to_hub: Action::Hold,
            listed_goods_clean_route: Action::Pass,
            unresolved_place_with_listed_goods: Action::Hold,
            goods_data_issue: Action::Hold,
        }
    }
}

fn block() -> Action {
    Action::Block
}
fn hold() -> Action {
    Action::Hold
}
fn pass() -> Action {
    Action::Pass
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    name: String,
    country: String,
    risk: Risk,
    spellings: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    name: String,
    #[serde(default)]
    priority_tiers: Vec<String>,
    #[serde(default)]
    thresholds: Thresholds,
    #[serde(default)]
    actions: Actions,
    #[serde(default)]
    countries: BTreeMap<String, Risk>,
    #[serde(default)]
    regions: Vec<RawRegion>,
    #[serde(default)]
    cities: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone)]
struct Region {
    name: String,
    country: String,
    risk: Risk,
}

/// A loaded, validated route policy. Build it once and share it.
#[derive(Debug, Clone)]
pub struct RoutePolicy {
    name: String,
    version: String,
    priority_tiers: Vec<String>,
    thresholds: Thresholds,
    actions: Actions,
    countries: BTreeMap<String, Risk>,
    regions: Vec<Region>,
    /// Place key → region index.
    region_keys: HashMap<String, usize>,
    /// Place key → (city name, country).
    city_keys: HashMap<String, (String, String)>,
}

/// The comparison key of a place name: romanised tokens joined (`St. Petersburg` →
/// `stpetersburg`, `Москва` → `moskva`, `深圳` → `shenzhen`).
fn place_key(text: &str) -> String {
    redline_names::tokens(text).concat()
}

fn iso(code: &str) -> Option<String> {
    let upper = code.trim().to_ascii_uppercase();
    let known = upper.len() == 2
        && upper.bytes().all(|b| b.is_ascii_alphabetic())
        && countries::name_of(&upper).is_some();
    known.then_some(upper)
}

impl RoutePolicy {
    /// The shipped default (`crates/goods/data/route-policy.toml`).
    pub fn builtin() -> &'static RoutePolicy {
        static POLICY: OnceLock<RoutePolicy> = OnceLock::new();
        POLICY.get_or_init(|| {
            // Compiled in and checked by this crate's tests; failing here would mean
            // the crate itself was built broken, not that any input was bad.
            RoutePolicy::from_toml(ROUTE_POLICY_TOML).expect("the shipped route policy is valid")
        })
    }

    /// Loads and validates a route policy document.
    pub fn from_toml(text: &str) -> Result<RoutePolicy, GoodsError> {
        let raw: RawPolicy = toml::from_str(text).map_err(|e| GoodsError::Toml {
            what: WHAT.into(),
            message: e.to_string(),
        })?;
        let name = raw.name.trim().to_string();
        if name.is_empty() {
            return Err(GoodsError::invalid(WHAT, "name", "empty"));
        }
        for (key, v) in [
            ("thresholds.party_block", raw.thresholds.party_block),
            ("thresholds.description", raw.thresholds.description),
        ] {
            if !(v > 0.0 && v <= 1.0) {
                return Err(GoodsError::invalid(
                    WHAT,
                    key,
                    format!("{v} is not in (0, 1]"),
                ));
            }
        }
        if raw.thresholds.party_block < redline_matching::DEFAULT_THRESHOLD {
            return Err(GoodsError::invalid(
                WHAT,
                "thresholds.party_block",
                format!(
                    "{} is below the matching engine's alert threshold {}",
                    raw.thresholds.party_block,
                    redline_matching::DEFAULT_THRESHOLD
                ),
            ));
        }
        let mut country_risk = BTreeMap::new();
        for (code, risk) in raw.countries {
            let upper = iso(&code).ok_or_else(|| {
                GoodsError::invalid(
                    WHAT,
                    format!("countries.{code}"),
                    "not an ISO 3166-1 alpha-2 code",
                )
            })?;
            if country_risk.insert(upper, risk).is_some() {
                return Err(GoodsError::invalid(
                    WHAT,
                    format!("countries.{code}"),
                    "given twice",
                ));
            }
        }
        let mut regions = Vec::new();
        let mut region_keys = HashMap::new();
        for (i, r) in raw.regions.into_iter().enumerate() {
            let key = format!("regions[{}] ({})", i + 1, r.name);
            let country = iso(&r.country).ok_or_else(|| {
                GoodsError::invalid(
                    WHAT,
                    &key,
                    format!("country {:?} is not an ISO 3166-1 alpha-2 code", r.country),
                )
            })?;
            if r.spellings.is_empty() {
                return Err(GoodsError::invalid(WHAT, key, "no spellings"));
            }
            for s in &r.spellings {
                let k = place_key(s);
                if k.is_empty() {
                    return Err(GoodsError::invalid(
                        WHAT,
                        &key,
                        format!("spelling {s:?} has no letters or digits"),
                    ));
                }
                if let Some(other) = region_keys.insert(k, i) {
                    if other != i {
                        return Err(GoodsError::invalid(
                            WHAT,
                            &key,
                            format!("spelling {s:?} also names regions[{}]", other + 1),
                        ));
                    }
                }
            }
            regions.push(Region {
                name: r.name,
                country,
                risk: r.risk,
            });
        }
        let mut city_keys: HashMap<String, (String, String)> = HashMap::new();
        for (code, spellings) in raw.cities {
            let country = iso(&code).ok_or_else(|| {
                GoodsError::invalid(
                    WHAT,
                    format!("cities.{code}"),
                    "not an ISO 3166-1 alpha-2 code",
                )
            })?;
            // A table row is `"Moscow|Москва|Moskva"`: the first spelling names the city.
            for entry in spellings {
                let mut names = entry.split('|').map(str::trim).filter(|s| !s.is_empty());
                let Some(city) = names.next() else {
                    return Err(GoodsError::invalid(
                        WHAT,
                        format!("cities.{code}"),
                        "empty entry",
                    ));
                };
                for s in std::iter::once(city).chain(names) {
                    let k = place_key(s);
                    if k.is_empty() {
                        return Err(GoodsError::invalid(
                            WHAT,
                            format!("cities.{code}"),
                            format!("spelling {s:?} has no letters or digits"),
                        ));
                    }
                    if region_keys.contains_key(&k) {
                        return Err(GoodsError::invalid(
                            WHAT,
                            format!("cities.{code}"),
                            format!("{s:?} is also a region spelling"),
                        ));
                    }
                    if let Some((other, c)) = city_keys.get(&k) {
                        if c != &country || other != city {
                            return Err(GoodsError::invalid(
                                WHAT,
                                format!("cities.{code}"),
                                format!("{s:?} also names {other} ({c})"),
                            ));
                        }
                    }
                    city_keys.insert(k, (city.to_string(), country.clone()));
                }
            }
        }
        Ok(RoutePolicy {
            version: version_id(&name, text.as_bytes()),
            name,
            priority_tiers: raw
                .priority_tiers
                .iter()
                .map(|t| t.trim().to_lowercase())
                .collect(),
            thresholds: raw.thresholds,
            actions: raw.actions,
            countries: country_risk,
            regions,
            region_keys,
            city_keys,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// `<name>@<first 12 hex of the SHA-256 of the TOML text>`.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    pub fn actions(&self) -> &Actions {
        &self.actions
    }

    /// Whether a goods-list tier or category is a priority one (`Tier 1`, `Tier 2` in
    /// the default), compared case-insensitively.
    pub fn is_priority_tier(&self, tier: &str) -> bool {
        let t = tier.trim().to_lowercase();
        self.priority_tiers.iter().any(|p| p == &t)
    }

    /// The risk of a country (ISO alpha-2, any case).
    pub fn country_risk(&self, code: &str) -> Risk {
        self.countries
            .get(&code.trim().to_ascii_uppercase())
            .copied()
            .unwrap_or(Risk::None)
    }

    /// Resolves a route element or a country field (see the module documentation).
    pub fn resolve(&self, text: &str) -> Place {
        let trimmed = text.trim();
        let mut place = Place {
            text: text.to_string(),
            country: None,
            country_name: None,
            region: None,
            city: None,
            risk: Risk::None,
            resolved_by: None,
        };
        if trimmed.is_empty() {
            return place;
        }
        let found = self.resolve_one(trimmed).or_else(|| {
            let parts: Vec<&str> = trimmed
                .split([',', '(', ')', '/', ';', '|'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            if parts.len() < 2 {
                return None;
            }
            let resolved: Vec<Found> = parts.iter().filter_map(|p| self.resolve_one(p)).collect();
            let country = resolved
                .iter()
                .rev()
                .find(|f| f.by == ResolvedBy::Country)
                .map(|f| f.country.clone());
            match country {
                Some(country) => {
                    let specific = resolved
                        .iter()
                        .find(|f| f.by != ResolvedBy::Country && f.country == country);
                    specific.cloned().or_else(|| {
                        resolved
                            .iter()
                            .rev()
                            .find(|f| f.by == ResolvedBy::Country)
                            .cloned()
                    })
                }
                None => resolved.into_iter().next(),
            }
        });
        if let Some(f) = found {
            place.risk = self.country_risk(&f.country);
            if let Some(r) = f.region {
                let region = &self.regions[r];
                place.risk = place.risk.max(region.risk);
                place.region = Some(region.name.clone());
            }
            place.country_name = countries::name_of(&f.country).map(str::to_string);
            place.city = f.city;
            place.resolved_by = Some(f.by);
            place.country = Some(f.country);
        }
        place
    }

    fn resolve_one(&self, text: &str) -> Option<Found> {
        self.lookup(text).or_else(|| {
            let stripped = strip_affixes(text);
            (stripped != text.trim())
                .then(|| self.lookup(&stripped))
                .flatten()
        })
    }

    fn lookup(&self, text: &str) -> Option<Found> {
        let key = place_key(text);
        if key.is_empty() {
            return None;
        }
        if let Some(&r) = self.region_keys.get(&key) {
            return Some(Found {
                country: self.regions[r].country.clone(),
                region: Some(r),
                city: None,
                by: ResolvedBy::Region,
            });
        }
        if let Some(code) = countries::to_code(text) {
            return Some(Found {
                country: code.to_ascii_uppercase(),
                region: None,
                city: None,
                by: ResolvedBy::Country,
            });
        }
        self.city_keys.get(&key).map(|(city, country)| Found {
            country: country.clone(),
            region: None,
            city: Some(city.clone()),
            by: ResolvedBy::City,
        })
    }
}

#[derive(Debug, Clone)]
struct Found {
    country: String,
    region: Option<usize>,
    city: Option<String>,
    by: ResolvedBy,
}

/// Drops words that qualify a place without naming it: "Port of Rotterdam", "Dubai
/// port", "Mexico City", "г. Москва", "город Минск", "深圳市", "上海港".
fn strip_affixes(text: &str) -> String {
    let mut s = text.trim().to_string();
    let lower = s.to_lowercase();
    for prefix in [
        "port of ",
        "city of ",
        "г. ",
        "г.",
        "город ",
        "гор. ",
        "порт ",
    ] {
        if lower.starts_with(prefix) {
            // Case folding keeps these letters' byte lengths; `get` guards the rest.
            if let Some(rest) = s.get(prefix.len()..) {
                s = rest.trim().to_string();
            }
            break;
        }
    }
    let lower = s.to_lowercase();
    for suffix in [" port", " city", " seaport", " airport", "市", "港"] {
        if lower.ends_with(suffix) && s.len() > suffix.len() {
            if let Some(rest) = s.get(..s.len() - suffix.len()) {
                s = rest.trim().to_string();
            }
            break;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(text: &str) -> (Option<String>, Risk) {
        let p = RoutePolicy::builtin().resolve(text);
        (p.country, p.risk)
    }

    #[test]
    fn the_default_policy_loads_and_is_versioned() {
        let p = RoutePolicy::builtin();
        assert_eq!(p.name(), "redline-route-default");
        assert!(p.version().starts_with("redline-route-default@"));
        assert_eq!(p.country_risk("ru"), Risk::High);
        assert_eq!(p.country_risk("BY"), Risk::High);
        assert_eq!(p.country_risk("KZ"), Risk::Elevated);
        assert_eq!(p.country_risk("NL"), Risk::None);
        assert!(p.is_priority_tier("tier 1"));
        assert!(!p.is_priority_tier("Tier 3.A"));
    }

    #[test]
    fn places_resolve_by_country_city_and_region() {
        let some = |c: &str| Some(c.to_string());
        assert_eq!(resolve("Moscow"), (some("RU"), Risk::High));
        assert_eq!(resolve("Москва"), (some("RU"), Risk::High));
        assert_eq!(resolve("St. Petersburg"), (some("RU"), Risk::High));
        assert_eq!(resolve("Санкт-Петербург"), (some("RU"), Risk::High));
        assert_eq!(resolve("Minsk"), (some("BY"), Risk::High));
        assert_eq!(resolve("Almaty"), (some("KZ"), Risk::Elevated));
        assert_eq!(resolve("Shenzhen"), (some("CN"), Risk::Elevated));
        assert_eq!(resolve("深圳市"), (some("CN"), Risk::Elevated));
        assert_eq!(resolve("Hong Kong"), (some("HK"), Risk::Elevated));
        assert_eq!(resolve("Rotterdam"), (some("NL"), Risk::None));
        assert_eq!(resolve("Port of Rotterdam"), (some("NL"), Risk::None));
        assert_eq!(resolve("Russian Federation"), (some("RU"), Risk::High));
        assert_eq!(resolve("rus"), (some("RU"), Risk::High));
        assert_eq!(resolve("Sevastopol"), (some("UA"), Risk::High));
        assert_eq!(resolve("Kyiv"), (some("UA"), Risk::None));
        assert_eq!(resolve("Almaty, Kazakhstan"), (some("KZ"), Risk::Elevated));
        assert_eq!(resolve("Moscow, Idaho, USA"), (some("US"), Risk::None));
        assert_eq!(resolve("Simferopol (Crimea)"), (some("UA"), Risk::High));
        assert_eq!(resolve("Atlantis"), (None, Risk::None));
        assert_eq!(resolve(""), (None, Risk::None));
        let p = RoutePolicy::builtin().resolve("Sevastopol, Ukraine");
        assert_eq!(p.region.as_deref(), Some("Sevastopol"));
        assert_eq!(p.label(), "Sevastopol (UA)");
    }

    #[test]
    fn bad_policies_name_the_key() {
        let err = RoutePolicy::from_toml("name = \"x\"\n[countries]\nXX = \"high\"\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "route policy: countries.XX: not an ISO 3166-1 alpha-2 code"
        );
        let err = RoutePolicy::from_toml("name = \"x\"\n[actions]\nlisted_party = \"stop\"\n")
            .unwrap_err();
        assert!(err.to_string().contains("stop"), "{err}");
        let err =
            RoutePolicy::from_toml("name = \"x\"\n[thresholds]\nparty_blok = 0.9\n").unwrap_err();
        assert!(err.to_string().contains("party_blok"), "{err}");
        let err = RoutePolicy::from_toml(
            "name = \"x\"\n[cities]\nRU = [\"Moscow\"]\nUS = [\"Moscow\"]\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("also names Moscow"), "{err}");
        let a = RoutePolicy::from_toml("name = \"bank\"\n").unwrap();
        let b = RoutePolicy::from_toml("name = \"bank\"\n\n").unwrap();
        assert_ne!(a.version(), b.version());
        assert_eq!(a.actions(), &Actions::default());
    }
}
