//! Whole trades screened against the real OFAC SDN list (2024-05-03), the built-in CHPL
//! and the shipped route policy: the decisions a compliance officer expects.

use std::sync::OnceLock;

use redline_goods::{
    screen_trade, Action, GoodsList, MatchedBy, Reason, RoutePolicy, Scope, Trade, TradeDecision,
    What,
};
use redline_matching::Index;
use redline_model::SourceId;
use redline_sources::{parse, InputFile};

const SDN: &str = "ofac/sdn-2024-05-03.csv";

/// The OFAC SDN list of 2024-05-03, indexed once for all tests (as the matching
/// crate's tests build theirs).
fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let bytes = redline_testdata::bytes(SDN);
        let list = parse(
            SourceId::OfacSdn,
            &[InputFile {
                name: SDN,
                bytes: &bytes,
            }],
        )
        .unwrap_or_else(|e| panic!("{SDN}: {e}"));
        Index::build(list.entities, vec!["ofac-sdn@2024-05-03".into()])
    })
}

fn screen(json: &str) -> TradeDecision {
    let trade: Trade = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    screen_trade(
        &trade,
        index(),
        GoodsList::builtin(),
        RoutePolicy::builtin(),
    )
}

fn reasons(d: &TradeDecision, what: What) -> Vec<&Reason> {
    d.reasons.iter().filter(|r| r.what == what).collect()
}

fn show(d: &TradeDecision) -> String {
    serde_json::to_string_pretty(d).unwrap_or_default()
}

const CLEAN_PARTIES: &str = r#"[
    {"role": "seller", "name": "Pearl River Components Ltd", "country": "Hong Kong"},
    {"role": "buyer", "name": "Maasvlakte Electronics B.V.", "country": "NL"}]"#;

#[test]
fn chips_through_almaty_to_moscow_are_held() {
    let d = screen(&format!(
        r#"{{"parties": {CLEAN_PARTIES},
            "goods": [{{"hs_code": "8542.31.0000", "description": "STM32F407 microcontrollers", "quantity": 5000}}],
            "route": {{"origin": "Shenzhen", "transit": ["Almaty"], "destination": "Moscow"}}}}"#
    ));
    assert_eq!(d.decision, Action::Hold, "{}", show(&d));
    // The first reason explains the decision: the Tier 1 item on a route to Russia.
    let first = &d.reasons[0];
    assert_eq!(first.what, What::ListedGoods, "{}", show(&d));
    assert_eq!(first.action, Action::Hold);
    assert_eq!(first.scope, Scope::Goods);
    assert_eq!(first.field, "goods[0].hs_code");
    assert_eq!(first.hs_code.as_deref(), Some("8542.31"));
    assert_eq!(first.tier.as_deref(), Some("Tier 1"));
    assert_eq!(first.list.as_deref(), Some("chpl-2024-02-23"));
    assert_eq!(
        first.version.as_deref(),
        Some(GoodsList::builtin().version())
    );
    assert_eq!(first.row, Some(2));
    assert_eq!(
        first.matched_by,
        [MatchedBy::HsCode, MatchedBy::Description]
    );
    assert!(first.detail.contains("Moscow (RU)"), "{}", first.detail);
    let high = reasons(&d, What::HighRiskPlace);
    assert_eq!(high.len(), 1);
    assert_eq!(high[0].field, "route.destination");
    assert_eq!(high[0].country.as_deref(), Some("RU"));
    let hubs = reasons(&d, What::TransshipmentHub);
    assert_eq!(hubs.len(), 2, "{}", show(&d));
    assert!(reasons(&d, What::ListedParty).is_empty());
    assert!(
        reasons(&d, What::PossibleListedParty).is_empty(),
        "{}",
        show(&d)
    );
    // Versions of everything the decision rests on.
    assert!(d.goods_list_version.starts_with("chpl-2024-02-23@"));
    assert!(d.route_policy_version.starts_with("redline-route-default@"));
    assert!(d.taxonomy_version.starts_with("redline-chpl-taxonomy@"));
    assert_eq!(d.list_versions, ["ofac-sdn@2024-05-03"]);
    assert_eq!(d.route.len(), 3);
    assert_eq!(d.route[1].place.country.as_deref(), Some("KZ"));
}

#[test]
fn the_same_goods_to_rotterdam_between_clean_parties_pass() {
    let d = screen(&format!(
        r#"{{"parties": {CLEAN_PARTIES},
            "goods": [{{"hs_code": "8542.31.0000", "description": "STM32F407 microcontrollers"}}],
            "route": {{"origin": "Shenzhen", "transit": [], "destination": "Rotterdam"}}}}"#
    ));
    assert_eq!(d.decision, Action::Pass, "{}", show(&d));
    // The CHPL item is still reported, for the file.
    let goods = reasons(&d, What::ListedGoods);
    assert_eq!(goods.len(), 1);
    assert_eq!(goods[0].action, Action::Pass);
    assert_eq!(goods[0].row, Some(2));
    assert!(
        goods[0].detail.contains("touch no high-risk place"),
        "{}",
        goods[0].detail
    );
}

#[test]
fn a_listed_party_blocks_the_trade() {
    let d = screen(
        r#"{"parties": [{"role": "seller", "name": "SINNO ELECTRONICS CO., LIMITED", "country": "HK"},
                        {"role": "buyer", "name": "Maasvlakte Electronics B.V.", "country": "NL"}],
            "goods": [{"hs_code": "8542.31", "description": "microcontrollers"}],
            "route": {"origin": "Hong Kong", "destination": "Rotterdam"}}"#,
    );
    assert_eq!(d.decision, Action::Block, "{}", show(&d));
    let first = &d.reasons[0];
    assert_eq!(first.what, What::ListedParty);
    assert_eq!(first.scope, Scope::Party);
    assert_eq!(first.index, Some(0));
    assert_eq!(first.field, "parties[0].name");
    assert_eq!(first.entity_id.as_deref(), Some("ofac-sdn:38641"));
    assert_eq!(first.list.as_deref(), Some("ofac-sdn"));
    assert_eq!(first.version.as_deref(), Some("ofac-sdn@2024-05-03"));
    assert!(first.score.unwrap_or_default() >= 0.97);
    assert!(first.detail.contains("RUSSIA-EO14024"), "{}", first.detail);
}

#[test]
fn a_listed_party_on_a_russian_route_blocks() {
    let d = screen(
        r#"{"parties": [{"role": "consignee", "name": "Joint Stock Company Trading House Rosel", "country": "Russia"}],
            "goods": [{"hs_code": "8517.62.0000", "description": "routers"}],
            "route": {"origin": "Istanbul", "destination": "Novorossiysk"}}"#,
    );
    assert_eq!(d.decision, Action::Block, "{}", show(&d));
    assert!(!reasons(&d, What::ListedParty).is_empty());
    // The goods reason says HOLD on its own; the party makes it BLOCK.
    let goods = reasons(&d, What::ListedGoods);
    assert_eq!(goods[0].action, Action::Hold);
    assert_eq!(goods[0].tier.as_deref(), Some("Tier 2"));
    assert_eq!(reasons(&d, What::PartyInHighRiskCountry).len(), 1);
}

#[test]
fn a_listed_vessel_is_found_by_its_imo_number_under_a_new_name() {
    let d = screen(
        r#"{"parties": [],
            "goods": [{"description": "Office chairs"}],
            "route": {"origin": "Busan", "destination": "Rotterdam"},
            "vessel": {"name": "OCEAN HARMONY", "imo": "IMO 9256858"}}"#,
    );
    assert_eq!(d.decision, Action::Block, "{}", show(&d));
    let first = &d.reasons[0];
    assert_eq!(first.scope, Scope::Vessel);
    assert_eq!(first.what, What::ListedParty);
    assert_eq!(first.field, "vessel.imo");
    assert!(first.detail.contains("IMO 9256858"), "{}", first.detail);
    // By name alone, too.
    let d = screen(
        r#"{"goods": [{"description": "Office chairs"}],
            "route": {"origin": "Busan", "destination": "Rotterdam"},
            "vessel": {"name": "BALTIC LEADER"}}"#,
    );
    assert_ne!(d.decision, Action::Pass, "{}", show(&d));
}

#[test]
fn priority_items_to_a_hub_are_held_lower_tiers_pass() {
    let to_almaty = |goods: &str| {
        screen(&format!(
            r#"{{"parties": {CLEAN_PARTIES}, "goods": [{goods}],
                "route": {{"origin": "Hamburg", "destination": "Almaty, Kazakhstan"}}}}"#
        ))
    };
    let chips = to_almaty(r#"{"hs_code": "854232", "description": "DDR4 memory"}"#);
    assert_eq!(chips.decision, Action::Hold, "{}", show(&chips));
    assert!(
        chips.reasons[0].detail.contains("transshipment hub"),
        "{}",
        show(&chips)
    );
    let bearings = to_almaty(r#"{"hs_code": "8482.10", "description": "ball bearings"}"#);
    assert_eq!(bearings.decision, Action::Pass, "{}", show(&bearings));
    assert_eq!(
        reasons(&bearings, What::ListedGoods)[0].tier.as_deref(),
        Some("Tier 3.B")
    );
    // Domestic Chinese trade of Tier 1 items is not a hub shipment.
    let domestic = screen(
        r#"{"goods": [{"hs_code": "8542.31"}], "route": {"origin": "Shenzhen", "destination": "Shanghai"}}"#,
    );
    assert_eq!(domestic.decision, Action::Pass, "{}", show(&domestic));
}

#[test]
fn hubs_with_an_unknown_destination_are_held() {
    let d = screen(&format!(
        r#"{{"parties": {CLEAN_PARTIES},
            "goods": [{{"description": "Подшипники шариковые радиальные"}}],
            "route": {{"origin": "Shanghai", "transit": ["Dubai"], "destination": ""}}}}"#
    ));
    assert_eq!(d.decision, Action::Hold, "{}", show(&d));
    assert!(d.reasons[0].detail.contains("Dubai"), "{}", show(&d));
    assert_eq!(d.reasons[0].matched_by, [MatchedBy::Description]);
    assert_eq!(
        reasons(&d, What::MissingPlace)[0].field,
        "route.destination"
    );
}

#[test]
fn unresolved_places_are_reported_never_ignored() {
    let with_chpl = screen(&format!(
        r#"{{"parties": {CLEAN_PARTIES}, "goods": [{{"hs_code": "8532.21"}}],
            "route": {{"origin": "Shenzhen", "transit": ["Xanadu Free Zone"], "destination": "Rotterdam"}}}}"#
    ));
    assert_eq!(with_chpl.decision, Action::Hold, "{}", show(&with_chpl));
    let r = reasons(&with_chpl, What::UnresolvedPlace);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].field, "route.transit[0]");
    assert_eq!(r[0].index, Some(0));
    assert_eq!(r[0].action, Action::Hold);
    let without = screen(&format!(
        r#"{{"parties": {CLEAN_PARTIES}, "goods": [{{"description": "cotton t-shirts"}}],
            "route": {{"origin": "Shenzhen", "transit": ["Xanadu Free Zone"], "destination": "Rotterdam"}}}}"#
    ));
    assert_eq!(without.decision, Action::Pass, "{}", show(&without));
    assert_eq!(
        reasons(&without, What::UnresolvedPlace)[0].action,
        Action::Pass
    );
}

#[test]
fn goods_off_the_list_pass_unless_the_route_says_otherwise() {
    let clean = screen(&format!(
        r#"{{"parties": {CLEAN_PARTIES}, "goods": [{{"hs_code": "6109.10", "description": "Cotton T-shirts"}}],
            "route": {{"origin": "Shenzhen", "destination": "Rotterdam"}}}}"#
    ));
    assert_eq!(clean.decision, Action::Pass, "{}", show(&clean));
    assert!(
        clean.reasons.iter().all(|r| r.scope != Scope::Goods),
        "{}",
        show(&clean)
    );
    let russia = screen(&format!(
        r#"{{"parties": {CLEAN_PARTIES}, "goods": [{{"hs_code": "6109.10", "description": "Cotton T-shirts"}}],
            "route": {{"origin": "Shenzhen", "destination": "Санкт-Петербург"}}}}"#
    ));
    assert_eq!(russia.decision, Action::Hold, "{}", show(&russia));
    assert_eq!(russia.reasons[0].what, What::HighRiskPlace);
    let crimea = screen(
        r#"{"goods": [{"description": "Fresh apples"}], "route": {"origin": "Mersin", "destination": "Sevastopol"}}"#,
    );
    assert_eq!(crimea.decision, Action::Hold, "{}", show(&crimea));
    assert!(
        crimea.reasons[0].detail.contains("Sevastopol"),
        "{}",
        show(&crimea)
    );
}

#[test]
fn a_party_in_russia_holds_the_trade() {
    let d = screen(
        r#"{"parties": [{"role": "end user", "name": "Ivanov Precision Works", "country": "Россия"}],
            "goods": [{"description": "CNC lathe"}],
            "route": {"origin": "Hamburg", "destination": "Tallinn"}}"#,
    );
    assert_eq!(d.decision, Action::Hold, "{}", show(&d));
    let r = reasons(&d, What::ListedGoods);
    assert!(
        r[0].detail.contains("parties[0].country"),
        "{}",
        r[0].detail
    );
}

#[test]
fn bad_goods_data_is_held_and_names_the_field() {
    let d = screen(&format!(
        r#"{{"parties": {CLEAN_PARTIES},
            "goods": [{{"hs_code": "85A2.31", "description": "office chairs"}}, {{"hs_code": "", "description": ""}}],
            "route": {{"origin": "Shenzhen", "destination": "Rotterdam"}}}}"#
    ));
    assert_eq!(d.decision, Action::Hold, "{}", show(&d));
    let invalid = reasons(&d, What::InvalidHsCode);
    assert_eq!(invalid[0].field, "goods[0].hs_code");
    assert!(
        invalid[0].detail.contains("'A' is not a digit"),
        "{}",
        invalid[0].detail
    );
    assert_eq!(reasons(&d, What::MissingGoodsData)[0].field, "goods[1]");
}

#[test]
fn a_misdeclared_code_is_caught_by_the_description() {
    let d = screen(&format!(
        r#"{{"parties": {CLEAN_PARTIES},
            "goods": [{{"hs_code": "8473.30.2000", "description": "FPGA chips XC7A35T"}}],
            "route": {{"origin": "Shenzhen", "transit": ["Bishkek"], "destination": "Moscow"}}}}"#
    ));
    assert_eq!(d.decision, Action::Hold);
    let r = reasons(&d, What::ListedGoods);
    assert_eq!(r[0].field, "goods[0].description");
    assert_eq!(r[0].tier.as_deref(), Some("Tier 1"));
    assert!(
        r[0].detail.contains("check the classification"),
        "{}",
        r[0].detail
    );
    assert!(d.goods[0].hs_description.is_some());
}

#[test]
fn decisions_are_deterministic_and_serialise() {
    let json = format!(
        r#"{{"parties": {CLEAN_PARTIES},
            "goods": [{{"hs_code": "8542.31", "description": "MCU"}}, {{"description": "钽电容 贴片电容"}}],
            "route": {{"origin": "深圳", "transit": ["Ташкент", "Almaty"], "destination": "Minsk"}},
            "vessel": {{"name": "", "imo": 1234568}}}}"#
    );
    let a = serde_json::to_string(&screen(&json)).unwrap();
    let b = serde_json::to_string(&screen(&json)).unwrap();
    assert_eq!(a, b);
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["decision"], "HOLD");
    assert_eq!(v["reasons"][0]["action"], "HOLD");
    assert!(v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["what"] == "invalid_imo"));
    assert_eq!(v["route"][0]["country"], "CN");
    assert_eq!(v["route"][1]["country"], "UZ");
    assert_eq!(v["route"][3]["country"], "BY");
}

/// The worked example in the crate README is what the code answers.
#[test]
fn the_readme_worked_example_is_true() {
    let readme = include_str!("../README.md");
    let example = readme
        .split("### Worked example")
        .nth(1)
        .and_then(|rest| rest.split("```json").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("the README has a JSON example");
    let d = screen(example);
    assert_eq!(d.decision, Action::Hold);
    assert!(readme.contains("Redline answers **`HOLD`**"));
    assert_eq!(d.reasons.len(), 4, "{}", show(&d));
    for r in &d.reasons {
        let row = format!(
            "| {} | {}, `{}` | `{}` | `{}` |",
            r.action.as_str(),
            serde_json::to_value(r.scope).unwrap().as_str().unwrap(),
            r.field,
            serde_json::to_value(r.what).unwrap().as_str().unwrap(),
            r.detail
        );
        assert!(readme.contains(&row), "README lacks:\n{row}");
    }
    assert!(readme.contains(&format!("`{}`", d.goods_list_version)));
    // The two variants the README describes.
    let rotterdam = screen(
        &example
            .replace(r#"["Almaty"]"#, "[]")
            .replace("Moscow", "Rotterdam"),
    );
    assert_eq!(rotterdam.decision, Action::Pass, "{}", show(&rotterdam));
    assert!(readme.contains(
        rotterdam.reasons[0]
            .detail
            .split(" of chpl")
            .next()
            .unwrap_or_default()
    ));
    assert!(readme
        .contains("the route and parties\ntouch no high-risk place: reported for information"));
    let almaty = screen(
        &example
            .replace(r#"["Almaty"]"#, "[]")
            .replace("Moscow", "Almaty")
            .replace("Shenzhen", "Hamburg"),
    );
    assert_eq!(almaty.decision, Action::Hold, "{}", show(&almaty));
    assert!(almaty.reasons[0].detail.contains(
        "a Tier 1 item goes to Almaty (KZ), a transshipment hub: confirm the end user and end use"
    ));
    assert!(readme.contains(
        "`a Tier 1 item goes to Almaty (KZ), a transshipment\nhub: confirm the end user and end use`"
    ));
}

/// A buyer on the BIS Entity List (from the real Consolidated Screening List of May
/// 2022) with chips under the CHPL: the trade stops, and the reason says what the
/// Entity List requires — a licence for all items subject to the EAR, reviewed under a
/// policy of denial.
#[test]
fn an_entity_list_buyer_names_the_licence_requirement() {
    const CSL: &str = "us_csl/consolidated-2022-05.csv";
    let bytes = redline_testdata::bytes(CSL);
    let list = parse(
        SourceId::UsCsl,
        &[InputFile {
            name: CSL,
            bytes: &bytes,
        }],
    )
    .unwrap();
    let index = Index::build(list.entities, vec!["us-csl@2022-04-21".into()]);
    let trade: Trade = serde_json::from_str(
        r#"{"parties": [
              {"role": "seller", "name": "Pearl River Components Ltd", "country": "Hong Kong"},
              {"role": "buyer", "name": "140 Repair Plant JSC", "country": "Belarus"}],
            "goods": [{"hs_code": "8542.31", "description": "microcontrollers", "quantity": 500}],
            "route": {"origin": "CN", "destination": "BY"}}"#,
    )
    .unwrap();
    let d = screen_trade(&trade, &index, GoodsList::builtin(), RoutePolicy::builtin());
    let party = reasons(&d, What::ListedParty);
    assert_eq!(party.len(), 1, "{}", show(&d));
    let terms = party[0].export_control.as_deref().unwrap();
    assert!(
        terms.contains("For all items subject to the EAR"),
        "{terms}"
    );
    assert!(terms.contains("Policy of denial"), "{terms}");
    assert!(party[0].detail.contains("export control: licence required"));
    assert_eq!(d.decision, Action::Block, "{}", show(&d));
}
