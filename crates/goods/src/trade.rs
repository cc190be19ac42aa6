//! Trade screening: parties, goods, route and vessel of one transaction → PASS, HOLD or
//! BLOCK, with every reason and the versions it was decided against.
//!
//! # How the decision is made
//! Every finding becomes a [`Reason`] with an action; the trade's decision is the most
//! severe action of any reason (BLOCK > HOLD > PASS). PASS reasons are information for
//! the file. The actions below are those of the shipped route policy
//! (`data/route-policy.toml`); an institution can change each one.
//!
//! **Parties and vessel.** Each party is screened by name (with its schema, country and
//! identifiers) against the sanctions lists with the matching engine's alert threshold
//! (0.84); the vessel by name (schema vessel) and IMO number.
//! - score at or above the block threshold (0.97), or the vessel's IMO number is the
//!   listed vessel's → `listed_party`, **BLOCK**: dealing with a listed person is
//!   prohibited whatever the goods;
//! - score from 0.84 to the block threshold → `possible_listed_party`, **HOLD**: an
//!   analyst decides whether it is the same party. This includes a listed person written
//!   without all their names — "Vladimir Putin" scores 0.92 against "PUTIN, Vladimir
//!   Vladimirovich" — because two words also fit other people: "Sergei Ivanov" matches
//!   two different listed persons at 0.90. Date of birth, country or an identifier
//!   settles it, and lifts a true match above the block threshold;
//! - a party without a name → **HOLD** (it cannot be screened);
//! - a party whose country is high-risk (Russia, Belarus, …) → **HOLD**, like a route
//!   touching that country.
//!
//! **Goods.** Each goods line is checked by its declared HS code (6, 8 or 10 digits,
//! against the goods list's HS-6 codes) and by its description (English, Russian,
//! Chinese; see [`crate::taxonomy`]). A description hit counts from confidence 0.7;
//! weaker hits are reported as possible items (PASS). A line whose code is not an HS
//! code, or which has neither code nor description, is **HOLD**: it cannot be checked.
//! For each listed item on a line, by code or description:
//! 1. the route or a party touches a high-risk place → **HOLD** (`listed goods on a
//!    route touching Russia`) — with a listed party the party reason makes it BLOCK;
//! 2. else the destination is missing or unknown and the goods pass a transshipment hub
//!    (an "elevated" country after the origin: Kazakhstan, Armenia, UAE, Hong Kong …) →
//!    **HOLD**;
//! 3. else the destination is missing or unknown → **HOLD**;
//! 4. else a priority-tier item (CHPL Tier 1 or 2) goes to a hub in another country
//!    than the origin (chips from Germany to Almaty) → **HOLD**;
//! 5. else → **PASS**, with the item reported (a CHPL item shipped Shenzhen → Rotterdam
//!    between clean parties is lawful trade).
//!
//! **Route.** Origin, transit points and destination are resolved to countries (codes,
//! names in any language, or the policy's city table). A high-risk place anywhere on
//! the route → **HOLD** whatever the goods (EU, UK and US measures restrict most goods
//! to Russia and Belarus). Hubs are reported (PASS). A place that resolves to no country
//! is reported: **HOLD** when the trade carries listed goods (the route cannot be shown
//! to avoid Russia), PASS otherwise.
//!
//! Reasons are ordered most severe first, then party, vessel, goods, route, then by
//! position: the same trade screened against the same versions gives the same output.

use redline_matching::{Index, Match, Options, Query, DEFAULT_THRESHOLD};
use redline_model::{normalize_identifier, IdKind, Schema};
use serde::{Deserialize, Deserializer, Serialize};

use crate::hs::{HsCode, Nomenclature};
use crate::list::{GoodsHit, GoodsList, MatchedBy};
use crate::route::{Action, Place, Risk, RoutePolicy};
use crate::taxonomy::{MatchedTerm, Taxonomy};

/// One trade transaction, as JSON:
/// `{"parties": [...], "goods": [{"hs_code", "description", "quantity", "value"}],
///   "route": {"origin", "transit": [...], "destination"}, "vessel": {"name", "imo"}}`.
/// Missing fields are empty; unknown fields are ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trade {
    #[serde(default)]
    pub parties: Vec<TradeParty>,
    #[serde(default)]
    pub goods: Vec<GoodsLine>,
    #[serde(default)]
    pub route: Route,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vessel: Option<Vessel>,
}

/// A party to the trade: seller, buyer, consignee, end user, freight forwarder, bank …
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TradeParty {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub name: String,
    /// ISO code or country name in any language (or a city the policy knows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// `person`, `organization` (`company`, `entity`), `vessel`, `aircraft`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Registration numbers, tax ids, BICs, IMO numbers … any formatting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifiers: Option<Vec<String>>,
}

/// One line of goods.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GoodsLine {
    /// The declared HS code in any usual format (a JSON number is accepted).
    #[serde(
        default,
        deserialize_with = "string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub hs_code: Option<String>,
    #[serde(default)]
    pub description: String,
    /// As given (number, text or object); kept for the record, not screened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

/// Where the goods go: countries, cities or ports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub transit: Vec<String>,
    #[serde(default)]
    pub destination: String,
}

/// The carrying vessel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vessel {
    #[serde(default)]
    pub name: String,
    /// IMO number, with or without the `IMO` prefix (a JSON number is accepted).
    #[serde(
        default,
        deserialize_with = "string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub imo: Option<String>,
}

/// Accepts `"8542.31"`, `854231` or `null`.
fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Number(serde_json::Number),
    }
    Ok(match Option::<Raw>::deserialize(d)? {
        None => None,
        Some(Raw::Text(s)) => Some(s),
        Some(Raw::Number(n)) => Some(n.to_string()),
    })
}

/// Which part of the trade a reason is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Party,
    Vessel,
    Goods,
    Route,
}

/// What a reason found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    /// A party or vessel is the listed party (score ≥ block threshold, or its IMO).
    ListedParty,
    /// A party or vessel may be a listed party.
    PossibleListedParty,
    /// A party without a name.
    UnscreenableParty,
    /// A schema that is not person, organization, vessel or aircraft (screened without).
    UnknownSchema,
    /// A party located in a high-risk country.
    PartyInHighRiskCountry,
    /// A party country that resolves to no country.
    UnresolvedCountry,
    /// An IMO number whose check digit is wrong.
    InvalidImo,
    /// A goods-list item, by declared code and/or description.
    ListedGoods,
    /// Description evidence too weak to count as a listed item.
    PossibleListedGoods,
    /// A declared HS code that is not an HS code.
    InvalidHsCode,
    /// A declared HS code whose first six digits are not an HS 2022 subheading.
    UnknownHsCode,
    /// A goods line with neither code nor description.
    MissingGoodsData,
    /// A high-risk place on the route.
    HighRiskPlace,
    /// A transshipment hub on the route.
    TransshipmentHub,
    /// A route element that resolves to no country.
    UnresolvedPlace,
    /// A missing origin or destination.
    MissingPlace,
}

/// One finding, with its evidence and what it does to the trade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub scope: Scope,
    /// Position in `parties`, `goods` or `route.transit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// The input field (`parties[1].name`, `goods[0].hs_code`, `route.transit[0]`).
    pub field: String,
    pub what: What,
    /// One sentence for the analyst.
    pub detail: String,
    pub action: Action,
    /// The list the evidence comes from (goods list name, or sanctions source).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// That list's version id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Line of the listing row in the goods list file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hs_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matched_by: Vec<MatchedBy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<MatchedTerm>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// ISO alpha-2 of the place or party (upper case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// What an export-control listing requires of the exporter (the Entity List's
    /// licence requirement and policy; METI's End User List's WMD concerns).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub export_control: Option<String>,
}

impl Reason {
    fn new(
        scope: Scope,
        index: Option<usize>,
        field: String,
        what: What,
        action: Action,
    ) -> Reason {
        Reason {
            scope,
            index,
            field,
            what,
            detail: String::new(),
            action,
            list: None,
            version: None,
            row: None,
            hs_code: None,
            tier: None,
            matched_by: Vec::new(),
            confidence: None,
            terms: Vec::new(),
            entity_id: None,
            entity_name: None,
            score: None,
            country: None,
            export_control: None,
        }
    }

    fn detail(mut self, detail: String) -> Reason {
        self.detail = detail;
        self
    }
}

/// A route element, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoutePoint {
    pub field: String,
    #[serde(flatten)]
    pub place: Place,
}

/// What was found on one goods line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoodsLineResult {
    pub index: usize,
    /// The HS 2022 text of the declared code (subheading, else heading, else chapter).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hs_description: Option<String>,
    /// Listed items by declared code, then by description (all confidences).
    pub hits: Vec<GoodsHit>,
}

/// The outcome of screening one trade.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TradeDecision {
    pub decision: Action,
    pub reasons: Vec<Reason>,
    pub goods_list_version: String,
    pub taxonomy_version: String,
    pub route_policy_version: String,
    /// The sanctions list versions the parties and vessel were screened against.
    pub list_versions: Vec<String>,
    pub route: Vec<RoutePoint>,
    pub goods: Vec<GoodsLineResult>,
}

/// Screens a trade with the built-in taxonomy (see the module documentation).
pub fn screen_trade(
    trade: &Trade,
    index: &Index,
    goods: &GoodsList,
    policy: &RoutePolicy,
) -> TradeDecision {
    screen_trade_with(trade, index, goods, Taxonomy::builtin(), policy)
}

/// [`screen_trade`] with another taxonomy.
pub fn screen_trade_with(
    trade: &Trade,
    index: &Index,
    goods: &GoodsList,
    taxonomy: &Taxonomy,
    policy: &RoutePolicy,
) -> TradeDecision {
    let mut reasons = Vec::new();
    let mut high: Vec<(String, String)> = Vec::new();
    screen_parties(trade, index, policy, &mut reasons, &mut high);
    if let Some(vessel) = &trade.vessel {
        screen_vessel(vessel, index, policy, &mut reasons);
    }
    let lines = screen_goods(trade, goods, taxonomy, policy, &mut reasons);
    let has_listed = lines.iter().any(|l| !l.items.is_empty());
    let route = resolve_route(&trade.route, policy);
    route_reasons(&route, policy, has_listed, &mut reasons, &mut high);
    goods_reasons(&lines, &route, &high, policy, &mut reasons);

    reasons.sort_by(|a, b| {
        b.action
            .cmp(&a.action)
            .then(a.scope.cmp(&b.scope))
            .then(a.index.cmp(&b.index))
            .then_with(|| a.field.cmp(&b.field))
            .then(a.what.cmp(&b.what))
            .then_with(|| a.row.cmp(&b.row))
            .then_with(|| a.detail.cmp(&b.detail))
    });
    TradeDecision {
        decision: reasons
            .iter()
            .map(|r| r.action)
            .max()
            .unwrap_or(Action::Pass),
        reasons,
        goods_list_version: goods.version().to_string(),
        taxonomy_version: taxonomy.version().to_string(),
        route_policy_version: policy.version().to_string(),
        list_versions: index.versions().to_vec(),
        route: route.points,
        goods: lines.into_iter().map(|l| l.result).collect(),
    }
}

fn role_of(party: &TradeParty) -> &str {
    let role = party.role.trim();
    if role.is_empty() {
        "party"
    } else {
        role
    }
}

fn screen_parties(
    trade: &Trade,
    index: &Index,
    policy: &RoutePolicy,
    reasons: &mut Vec<Reason>,
    high: &mut Vec<(String, String)>,
) {
    let actions = policy.actions();
    for (i, party) in trade.parties.iter().enumerate() {
        let role = role_of(party);
        let mut country = None;
        if let Some(text) = party.country.as_deref().filter(|c| !c.trim().is_empty()) {
            let place = policy.resolve(text);
            let field = format!("parties[{i}].country");
            match &place.country {
                None => reasons.push(
                    Reason::new(Scope::Party, Some(i), field, What::UnresolvedCountry, Action::Pass)
                        .detail(format!(
                            "{role} country {text:?} is not a known country or city; screened without it"
                        )),
                ),
                Some(code) if place.risk == Risk::High => {
                    high.push((field.clone(), place.label()));
                    let mut r = Reason::new(
                        Scope::Party,
                        Some(i),
                        field,
                        What::PartyInHighRiskCountry,
                        actions.high_risk_route,
                    )
                    .detail(format!(
                        "{role} {:?} is located in {}, a high-risk country for Russia/Belarus export controls",
                        party.name.trim(),
                        place.label()
                    ));
                    r.country = Some(code.clone());
                    reasons.push(r);
                }
                Some(_) => {}
            }
            country = place.country.map(|c| c.to_ascii_lowercase());
        }
        if party.name.trim().is_empty() {
            reasons.push(
                Reason::new(
                    Scope::Party,
                    Some(i),
                    format!("parties[{i}].name"),
                    What::UnscreenableParty,
                    actions.unscreenable_party,
                )
                .detail(format!("{role} has no name and cannot be screened")),
            );
            continue;
        }
        let schema = match party
            .schema
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => {
                let parsed = Schema::parse(s);
                if parsed.is_none() {
                    reasons.push(
                        Reason::new(
                            Scope::Party,
                            Some(i),
                            format!("parties[{i}].schema"),
                            What::UnknownSchema,
                            Action::Pass,
                        )
                        .detail(format!(
                            "schema {s:?} is not person, organization, vessel or aircraft; screened without it"
                        )),
                    );
                }
                parsed
            }
        };
        let query = Query {
            name: party.name.clone(),
            schema,
            birth_date: None,
            country,
            identifiers: party
                .identifiers
                .iter()
                .flatten()
                .filter(|v| !v.trim().is_empty())
                .cloned()
                .collect(),
            sources: Vec::new(),
        };
        let what = format!("{role} {:?}", party.name.trim());
        for m in index.screen(&query, &screen_options()) {
            let listed = m.score >= policy.thresholds().party_block;
            reasons.push(match_reason(
                Scope::Party,
                Some(i),
                format!("parties[{i}].name"),
                &what,
                &m,
                listed,
                None,
                index,
                policy,
            ));
        }
    }
}

/// The brief's screening options: the engine's alert threshold, five matches.
fn screen_options() -> Options {
    Options {
        threshold: DEFAULT_THRESHOLD,
        limit: 5,
    }
}

#[allow(clippy::too_many_arguments)]
fn match_reason(
    scope: Scope,
    index_in_trade: Option<usize>,
    field: String,
    what: &str,
    m: &Match,
    listed: bool,
    by_identifier: Option<&str>,
    index: &Index,
    policy: &RoutePolicy,
) -> Reason {
    let actions = policy.actions();
    let (kind, action) = if listed {
        (What::ListedParty, actions.listed_party)
    } else {
        (What::PossibleListedParty, actions.possible_listed_party)
    };
    let programs = if m.programs.is_empty() {
        String::new()
    } else {
        format!(", programs {}", m.programs.join(", "))
    };
    let how = match by_identifier {
        Some(id) => format!("; {id} is the listed entity's own"),
        None => String::new(),
    };
    let verdict = if listed {
        "listed party"
    } else {
        "possible match, review"
    };
    let source = m.source.as_str();
    let mut r = Reason::new(scope, index_in_trade, field, kind, action).detail(format!(
        "{what} matches {} entry {} {:?} (score {:.2}{programs}{how}): {verdict}",
        m.source.title(),
        m.entity_id,
        m.caption,
        m.score
    ));
    r.list = Some(source.to_string());
    r.version = index
        .versions()
        .iter()
        .find(|v| v.starts_with(&format!("{source}@")))
        .cloned();
    r.entity_id = Some(m.entity_id.clone());
    r.entity_name = Some(m.caption.clone());
    r.score = Some((m.score * 1000.0).round() / 1000.0);
    r.detail.push_str(&m.other_listings_sentence());
    // The party's export-control listings, whichever of its listings the name met.
    let mut controls: Vec<String> = Vec::new();
    let listings = std::iter::once(m.entity_id.as_str())
        .chain(m.listings.iter().map(|l| l.entity_id.as_str()));
    for terms in listings.filter_map(|id| index.entity(id).and_then(export_control)) {
        if !controls.contains(&terms) {
            controls.push(terms);
        }
    }
    if !controls.is_empty() {
        let terms = controls.join("; ");
        r.detail.push_str(&format!("; export control: {terms}"));
        r.export_control = Some(terms);
    }
    r
}

/// What an export-control listing asks of an exporter, in the list's own words: the
/// Entity List's licence requirement and licence review policy (from the CSL), or the
/// weapons concerns METI's End User List names. An asset-freeze listing has none:
/// its consequence is the freeze itself.
fn export_control(entity: &redline_model::Entity) -> Option<String> {
    let first = |key: &str| {
        entity
            .properties
            .get(key)
            .and_then(|v| v.first())
            .map(|s| s.trim().trim_end_matches('.').to_string())
            .filter(|s| !s.is_empty())
    };
    let mut terms = Vec::new();
    if let Some(requirement) = first("license_requirement") {
        terms.push(format!("licence required: {requirement}"));
    }
    if let Some(policy) = first("license_policy") {
        terms.push(format!("licence review policy: {policy}"));
    }
    if let Some(concern) = first("wmd_concern") {
        let weapons = if first("conventional_weapons").is_some() {
            " and conventional weapons"
        } else {
            ""
        };
        terms.push(format!(
            "METI End User List, concern {concern} (B biological, C chemical, M missile, N nuclear){weapons}: exports need an end-use check under Japan's catch-all controls"
        ));
    }
    (!terms.is_empty()).then(|| terms.join("; "))
}

/// Seven digits whose last is the IMO check digit.
fn imo_digits(imo: &str) -> Option<String> {
    let digits: String = imo.chars().filter(char::is_ascii_digit).collect();
    let rest: String = imo
        .chars()
        .filter(|c| c.is_alphanumeric() && !c.is_ascii_digit())
        .collect();
    if digits.len() != 7 || !(rest.is_empty() || rest.eq_ignore_ascii_case("imo")) {
        return None;
    }
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = d[..6].iter().zip((2..=7).rev()).map(|(a, w)| a * w).sum();
    (sum % 10 == d[6]).then_some(digits)
}

fn screen_vessel(vessel: &Vessel, index: &Index, policy: &RoutePolicy, reasons: &mut Vec<Reason>) {
    let imo = vessel
        .imo
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let valid_imo = imo.and_then(imo_digits);
    if let (Some(given), None) = (imo, &valid_imo) {
        reasons.push(
            Reason::new(
                Scope::Vessel,
                None,
                "vessel.imo".into(),
                What::InvalidImo,
                Action::Pass,
            )
            .detail(format!(
                "IMO {given:?} is not 7 digits with a valid check digit; screened as given"
            )),
        );
    }
    let name = vessel.name.trim();
    if name.is_empty() && imo.is_none() {
        reasons.push(
            Reason::new(
                Scope::Vessel,
                None,
                "vessel.name".into(),
                What::UnscreenableParty,
                policy.actions().unscreenable_party,
            )
            .detail("the vessel has neither name nor IMO number and cannot be screened".into()),
        );
        return;
    }
    let mut identifiers = Vec::new();
    if let Some(given) = imo {
        identifiers.push(given.to_string());
        let digits: String = given.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            identifiers.push(format!("IMO {digits}"));
            identifiers.push(digits);
        }
    }
    let query = Query {
        name: if name.is_empty() {
            imo.map(|i| format!("IMO {i}")).unwrap_or_default()
        } else {
            name.to_string()
        },
        schema: Some(Schema::Vessel),
        birth_date: None,
        country: None,
        identifiers,
        sources: Vec::new(),
    };
    let what = format!(
        "vessel {:?}",
        if name.is_empty() {
            query.name.as_str()
        } else {
            name
        }
    );
    for m in index.screen(&query, &screen_options()) {
        // An IMO number is unique to a hull: the listed vessel's own number is a
        // match whatever the name now painted on it.
        let imo_hit = valid_imo.as_deref().filter(|digits| {
            index.entity(&m.entity_id).is_some_and(|e| {
                e.identifiers.iter().any(|id| {
                    id.kind == IdKind::Imo
                        && normalize_identifier(&id.value).trim_start_matches("IMO") == *digits
                })
            })
        });
        let listed = m.score >= policy.thresholds().party_block || imo_hit.is_some();
        let field = if imo_hit.is_some() {
            "vessel.imo"
        } else {
            "vessel.name"
        };
        reasons.push(match_reason(
            Scope::Vessel,
            None,
            field.into(),
            &what,
            &m,
            listed,
            imo_hit.map(|d| format!("IMO {d}")).as_deref(),
            index,
            policy,
        ));
    }
}

/// A listed item found on a goods line, with the evidence for it.
struct LineItem {
    /// The first evidence found (its listing fields name the item).
    hit: GoodsHit,
    code_hit: Option<GoodsHit>,
    description_hit: Option<GoodsHit>,
}

struct Line {
    index: usize,
    declared: Option<String>,
    /// True when the declared code is valid and no listed item falls under it.
    code_not_listed: bool,
    items: Vec<LineItem>,
    result: GoodsLineResult,
}

fn screen_goods(
    trade: &Trade,
    goods: &GoodsList,
    taxonomy: &Taxonomy,
    policy: &RoutePolicy,
    reasons: &mut Vec<Reason>,
) -> Vec<Line> {
    let hs = Nomenclature::builtin();
    let threshold = policy.thresholds().description;
    let data_issue = policy.actions().goods_data_issue;
    let mut lines = Vec::new();
    for (i, line) in trade.goods.iter().enumerate() {
        let declared = line
            .hs_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let description = line.description.trim();
        let mut code_hits = Vec::new();
        let mut hs_description = None;
        let mut code_not_listed = false;
        if let Some(code) = declared {
            match goods.match_code(code) {
                Ok(hits) => {
                    code_not_listed = hits.is_empty();
                    code_hits = hits;
                    hs_description = hs.describe(code).map(|e| e.description.clone());
                    let unknown = HsCode::parse(code)
                        .map(|c| !hs.has_subheading(&c.digits))
                        .unwrap_or(false);
                    if unknown {
                        reasons.push(
                            Reason::new(
                                Scope::Goods,
                                Some(i),
                                format!("goods[{i}].hs_code"),
                                What::UnknownHsCode,
                                Action::Pass,
                            )
                            .detail(format!(
                                "HS code {code:?}: its first six digits are not an HS 2022 subheading (older nomenclature or a typo?)"
                            )),
                        );
                    }
                }
                Err(e) => reasons.push(
                    Reason::new(
                        Scope::Goods,
                        Some(i),
                        format!("goods[{i}].hs_code"),
                        What::InvalidHsCode,
                        data_issue,
                    )
                    .detail(format!(
                        "goods[{i}].hs_code {e}; the line is screened by its description only"
                    )),
                ),
            }
        }
        if declared.is_none() && description.is_empty() {
            reasons.push(
                Reason::new(
                    Scope::Goods,
                    Some(i),
                    format!("goods[{i}]"),
                    What::MissingGoodsData,
                    data_issue,
                )
                .detail(format!(
                    "goods[{i}] has neither HS code nor description: the goods cannot be checked"
                )),
            );
        }
        let description_hits = if description.is_empty() {
            Vec::new()
        } else {
            goods.screen_description_with(taxonomy, description)
        };
        let mut items: Vec<LineItem> = Vec::new();
        for hit in &code_hits {
            items.push(LineItem {
                hit: hit.clone(),
                code_hit: Some(hit.clone()),
                description_hit: None,
            });
        }
        let mut possible: Vec<&GoodsHit> = Vec::new();
        for hit in &description_hits {
            if hit.confidence < threshold {
                if !items.iter().any(|it| it.hit.row == hit.row) {
                    possible.push(hit);
                }
                continue;
            }
            match items.iter_mut().find(|it| it.hit.row == hit.row) {
                Some(item) => item.description_hit = Some(hit.clone()),
                None => items.push(LineItem {
                    hit: hit.clone(),
                    code_hit: None,
                    description_hit: Some(hit.clone()),
                }),
            }
        }
        if !possible.is_empty() {
            let listing: Vec<String> = possible
                .iter()
                .map(|h| {
                    let words: Vec<&str> = h.terms.iter().map(|t| t.text.as_str()).collect();
                    format!(
                        "{} ({}, {:.2}, \"{}\")",
                        h.hs_code,
                        h.tier,
                        h.confidence,
                        words.join("\", \"")
                    )
                })
                .collect();
            let mut r = Reason::new(
                Scope::Goods,
                Some(i),
                format!("goods[{i}].description"),
                What::PossibleListedGoods,
                Action::Pass,
            )
            .detail(format!(
                "description may describe {} — evidence below the {threshold} threshold; check the goods",
                listing.join("; ")
            ));
            r.list = Some(goods.name().to_string());
            r.version = Some(goods.version().to_string());
            r.confidence = possible.iter().map(|h| h.confidence).reduce(f64::max);
            reasons.push(r);
        }
        let mut hits = code_hits;
        hits.extend(description_hits);
        lines.push(Line {
            index: i,
            declared: declared.map(str::to_string),
            code_not_listed,
            items,
            result: GoodsLineResult {
                index: i,
                hs_description,
                hits,
            },
        });
    }
    lines
}

struct ResolvedRoute {
    points: Vec<RoutePoint>,
    /// Index in `points` of the origin and destination, when given.
    origin: Option<usize>,
    destination: Option<usize>,
}

fn resolve_route(route: &Route, policy: &RoutePolicy) -> ResolvedRoute {
    let mut points = Vec::new();
    let mut origin = None;
    let mut destination = None;
    if !route.origin.trim().is_empty() {
        origin = Some(points.len());
        points.push(RoutePoint {
            field: "route.origin".into(),
            place: policy.resolve(&route.origin),
        });
    }
    for (k, t) in route.transit.iter().enumerate() {
        if t.trim().is_empty() {
            continue;
        }
        points.push(RoutePoint {
            field: format!("route.transit[{k}]"),
            place: policy.resolve(t),
        });
    }
    if !route.destination.trim().is_empty() {
        destination = Some(points.len());
        points.push(RoutePoint {
            field: "route.destination".into(),
            place: policy.resolve(&route.destination),
        });
    }
    ResolvedRoute {
        points,
        origin,
        destination,
    }
}

fn transit_index(field: &str) -> Option<usize> {
    field
        .strip_prefix("route.transit[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

fn route_reasons(
    route: &ResolvedRoute,
    policy: &RoutePolicy,
    has_listed: bool,
    reasons: &mut Vec<Reason>,
    high: &mut Vec<(String, String)>,
) {
    let actions = policy.actions();
    for (given, field) in [
        (route.origin, "route.origin"),
        (route.destination, "route.destination"),
    ] {
        if given.is_none() {
            reasons.push(
                Reason::new(
                    Scope::Route,
                    None,
                    field.into(),
                    What::MissingPlace,
                    Action::Pass,
                )
                .detail(format!("{field} is not given")),
            );
        }
    }
    for point in &route.points {
        let place = &point.place;
        let index = transit_index(&point.field);
        let r = match (&place.country, place.risk) {
            (None, _) => {
                let action = if has_listed {
                    actions.unresolved_place_with_listed_goods
                } else {
                    Action::Pass
                };
                let why = if has_listed {
                    "the route cannot be shown to avoid high-risk places while it carries listed goods"
                } else {
                    "reported for the record"
                };
                Reason::new(
                    Scope::Route,
                    index,
                    point.field.clone(),
                    What::UnresolvedPlace,
                    action,
                )
                .detail(format!(
                    "{} {:?} resolves to no country: {why}",
                    point.field, place.text
                ))
            }
            (Some(_), Risk::High) => {
                high.push((point.field.clone(), place.label()));
                Reason::new(
                    Scope::Route,
                    index,
                    point.field.clone(),
                    What::HighRiskPlace,
                    actions.high_risk_route,
                )
                .detail(format!(
                    "{} {:?} is {}: high-risk for Russia/Belarus export controls",
                    point.field,
                    place.text,
                    describe_place(place)
                ))
            }
            (Some(_), Risk::Elevated) => Reason::new(
                Scope::Route,
                index,
                point.field.clone(),
                What::TransshipmentHub,
                Action::Pass,
            )
            .detail(format!(
                "{} {:?} is {}: a transshipment hub named in FinCEN/BIS alerts",
                point.field,
                place.text,
                describe_place(place)
            )),
            (Some(_), Risk::None) => continue,
        };
        let mut r = r;
        r.country = place.country.clone();
        reasons.push(r);
    }
}

fn describe_place(place: &Place) -> String {
    let country = match (&place.country_name, &place.country) {
        (Some(n), Some(c)) => format!("{n} ({c})"),
        (None, Some(c)) => c.clone(),
        _ => "unknown".into(),
    };
    match (&place.region, &place.city) {
        (Some(region), _) => format!("in {region}, {country}"),
        (None, Some(city)) => format!("{city}, {country}"),
        (None, None) => country,
    }
}

fn goods_reasons(
    lines: &[Line],
    route: &ResolvedRoute,
    high: &[(String, String)],
    policy: &RoutePolicy,
    reasons: &mut Vec<Reason>,
) {
    let actions = policy.actions();
    let destination = route.destination.map(|d| &route.points[d].place);
    let origin_country = route
        .origin
        .and_then(|o| route.points[o].place.country.clone());
    let dest_unknown = destination.is_none_or(|d| !d.is_resolved());
    let hubs: Vec<&RoutePoint> = route
        .points
        .iter()
        .enumerate()
        .filter(|(k, p)| Some(*k) != route.origin && p.place.risk == Risk::Elevated)
        .map(|(_, p)| p)
        .collect();
    for line in lines {
        for item in &line.items {
            let hit = &item.hit;
            let priority = policy.is_priority_tier(&hit.tier);
            let (action, why) = if !high.is_empty() {
                let places: Vec<String> = high.iter().map(|(f, l)| format!("{l} [{f}]")).collect();
                (
                    actions.listed_goods_high_risk_route,
                    format!("the trade touches {}", places.join(", ")),
                )
            } else if dest_unknown && !hubs.is_empty() {
                let via: Vec<String> = hubs
                    .iter()
                    .map(|p| format!("{} [{}]", p.place.label(), p.field))
                    .collect();
                (
                    actions.listed_goods_hub_unknown_destination,
                    format!(
                        "it passes the transshipment hub {} and its final destination is {}",
                        via.join(", "),
                        if destination.is_none() {
                            "not given"
                        } else {
                            "unknown"
                        }
                    ),
                )
            } else if dest_unknown {
                (
                    actions.listed_goods_unknown_destination,
                    format!(
                        "its destination is {}",
                        if destination.is_none() {
                            "not given"
                        } else {
                            "unknown"
                        }
                    ),
                )
            } else if let Some(d) = destination
                .filter(|d| priority && d.risk == Risk::Elevated && d.country != origin_country)
            {
                (
                    actions.priority_goods_to_hub,
                    format!(
                        "a {} item goes to {}, a transshipment hub: confirm the end user and end use",
                        hit.tier,
                        d.label()
                    ),
                )
            } else {
                (
                    actions.listed_goods_clean_route,
                    "the route and parties touch no high-risk place".to_string(),
                )
            };
            reasons.push(listed_goods_reason(line, item, action, &why));
        }
    }
}

fn listed_goods_reason(line: &Line, item: &LineItem, action: Action, why: &str) -> Reason {
    let i = line.index;
    let hit = &item.hit;
    let mut evidence = Vec::new();
    let mut matched_by = Vec::new();
    let mut terms = Vec::new();
    if let Some(c) = &item.code_hit {
        matched_by.push(MatchedBy::HsCode);
        evidence.push(format!(
            "declared HS code {} falls under it",
            c.declared_code.as_deref().unwrap_or_default()
        ));
    }
    if let Some(d) = &item.description_hit {
        matched_by.push(MatchedBy::Description);
        let words: Vec<String> = d.terms.iter().map(|t| format!("\"{}\"", t.text)).collect();
        let mut text = format!(
            "the description names it ({}; confidence {:.2})",
            words.join(", "),
            d.confidence
        );
        if line.code_not_listed {
            text.push_str(&format!(
                " although the declared code {} is not listed — check the classification",
                line.declared.as_deref().unwrap_or_default()
            ));
        }
        evidence.push(text);
        terms = d.terms.clone();
    }
    let field = if item.code_hit.is_some() {
        format!("goods[{i}].hs_code")
    } else {
        format!("goods[{i}].description")
    };
    let verdict = match action {
        Action::Pass => "reported for information",
        Action::Hold => "hold for review",
        Action::Block => "block",
    };
    let mut r =
        Reason::new(Scope::Goods, Some(i), field, What::ListedGoods, action).detail(format!(
            "goods[{i}] is {} {} of {} (row {}): {}; {why}: {verdict}",
            hit.hs_code,
            hit.tier,
            hit.list,
            hit.row,
            evidence.join("; ")
        ));
    r.list = Some(hit.list.clone());
    r.version = Some(hit.version.clone());
    r.row = Some(hit.row);
    r.hs_code = Some(hit.hs_code.clone());
    r.tier = Some(hit.tier.clone());
    r.matched_by = matched_by;
    r.confidence = Some(
        [&item.code_hit, &item.description_hit]
            .into_iter()
            .flatten()
            .map(|h| h.confidence)
            .fold(0.0, f64::max),
    );
    r.terms = terms;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imo_numbers_are_checked() {
        assert_eq!(imo_digits("IMO 9220639").as_deref(), Some("9220639"));
        assert_eq!(imo_digits("9256858").as_deref(), Some("9256858"));
        assert_eq!(imo_digits("9220638"), None);
        assert_eq!(imo_digits("ABC 9220639"), None);
        assert_eq!(imo_digits("92206"), None);
    }

    #[test]
    fn trades_deserialize_from_the_documented_json() {
        let t: Trade = serde_json::from_str(
            r#"{"parties": [{"role": "buyer", "name": "X", "country": "KZ", "identifiers": ["1"]}],
                "goods": [{"hs_code": 854231, "description": "MCU", "quantity": "100 pcs", "value": 12.5},
                          {"description": "chairs"}],
                "route": {"origin": "Shenzhen", "transit": ["Almaty"], "destination": "Moscow"},
                "vessel": {"name": "LINDA", "imo": 9256858}, "extra": true}"#,
        )
        .unwrap();
        assert_eq!(t.goods[0].hs_code.as_deref(), Some("854231"));
        assert_eq!(t.goods[1].hs_code, None);
        assert_eq!(t.vessel.unwrap().imo.as_deref(), Some("9256858"));
        assert_eq!(t.route.transit, ["Almaty"]);
        let empty: Trade = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, Trade::default());
    }
}
