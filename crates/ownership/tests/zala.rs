//! The real OpenSanctions cluster around ZALA Aero (LLC CST), parsed by
//! `redline-sources`: what its ownership data derives, and why.
//!
//! What the fixture says (read from `zala-entities.ftm.json`): LLC CST is held today by
//! Alexander ZAKHAROV (51 %, since 2015-11-25) and JSC Kalashnikov Concern (49 %, since
//! 2016-03-29; plus a "subsidiary of" Ownership without a share). The register also
//! keeps Zakharov's superseded CST records (50 % to 2023-03-02, 48 % to 2023-12-21, all
//! dated from 2015-11-25), Transkomplekt's 2 % and Svetlana Zakharova's 1 %. Zakharov
//! held, at various times, 75 % of LLC SPS (2020-01-10 to 2022-11-22), 100 % of LLC RTC
//! (2022-04-22 to 2023-10-22), 100 % of LLC CST-Perm (`ru-inn-5920040846`, 2013-06-06 to
//! 2019-08-02), 100 % of Aeroscan (March 2024), and stakes of unstated size in JSC Zala
//! Aero, Izhtelecom and Unmanned Systems. He has been executive director of the
//! Association of Unmanned Systems since 2005-07-11.
//!
//! Listed, by FtM topic `sanction`: 13 of the 17 parties. For the OFAC policy only those
//! in the `us_ofac_sdn` dataset count (9); for EU/UK those under an `EU-` programme (6).

use redline_model::{Entity, SourceId};
use redline_ownership::{
    compute, AsOf, DataIssue, Day, Derivation, IssueKind, LeadKind, ListedSet, OwnerStatus,
    OwnershipGraph, Policy, RelationKind, Rule, StepStatus,
};
use redline_sources::{parse, InputFile};

const ZALA: &str = "opensanctions/zala-entities.ftm.json";

const CST: &str = "opensanctions:NK-abdzbEBkqyT29GyREbiURZ";
const ZAKHAROV: &str = "opensanctions:NK-aU5ybkbRFJucf8YMwsJvDw";
const KALASHNIKOV: &str = "opensanctions:NK-nR5AXM9AVPq4pQaSPSaVam";
const SVETLANA: &str = "opensanctions:NK-DQ98GPMgdVH8DSZd8g9Xtc";
const TRANSKOMPLEKT: &str = "opensanctions:NK-DSxJ9ZzHxBBMyEMnnTBhai";
const SPS: &str = "opensanctions:NK-9Xa4Kg7Y7nfccE7VcZt6Q6";
const RTC: &str = "opensanctions:NK-ERScv7cLkkvZ3ejz7xiToj";
const CST_PERM: &str = "opensanctions:ru-inn-5920040846";
const ZALA_AERO_JSC: &str = "opensanctions:NK-cPks3aTbes8k4aCerfBAzN";
const ASSOCIATION: &str = "opensanctions:NK-SiYwWfxwLVrVeFswsvAvsm";
const ABASHKIN: &str = "opensanctions:NK-mCEmxFfuhfdjpC8gsxH74o";

fn entities() -> Vec<Entity> {
    let bytes = redline_testdata::bytes(ZALA);
    let list = parse(
        SourceId::OpenSanctions,
        &[InputFile {
            name: "zala-entities.ftm.json",
            bytes: &bytes,
        }],
    )
    .expect("fixture parses");
    list.entities
}

fn graph() -> (OwnershipGraph, Vec<Entity>) {
    let entities = entities();
    let (graph, issues) = OwnershipGraph::from_entities(&entities);
    assert_eq!(issues, Vec::<DataIssue>::new(), "every link resolves");
    (graph, entities)
}

fn all_listed(entities: &[Entity]) -> ListedSet {
    ListedSet::from_entities(entities, "opensanctions@fixture")
}

fn ofac_listed(entities: &[Entity]) -> ListedSet {
    let mut set = all_listed(entities);
    set.retain(|p| p.datasets.iter().any(|d| d == "us_ofac_sdn"));
    set
}

fn eu_listed(entities: &[Entity]) -> ListedSet {
    let mut set = all_listed(entities);
    set.retain(|p| p.programs.iter().any(|p| p.starts_with("EU-")));
    set
}

fn on(day: &str) -> AsOf {
    AsOf::On(Day::parse(day).expect("a day"))
}

/// (entity, rule, aggregate, also listed)
fn summary(d: &Derivation) -> Vec<(&str, Rule, f64, bool)> {
    d.derived
        .iter()
        .map(|s| {
            (
                s.entity_id.as_str(),
                s.rule,
                s.aggregate_percent,
                s.also_listed,
            )
        })
        .collect()
}

#[test]
fn graph_reads_every_ownership_once_and_directorships_as_control() {
    let (graph, entities) = graph();
    let stats = graph.stats();
    assert_eq!(stats.parties, 17);
    // 14 Ownership records (each seen from both sides, counted once) + 3 directorships.
    assert_eq!(stats.stakes, 17);
    // Four family links: not ownership, not control.
    assert_eq!(stats.other_links, 4);
    assert_eq!(all_listed(&entities).len(), 13);
    assert!(
        !all_listed(&entities).contains(ASSOCIATION),
        "topic sanction.linked only"
    );
    assert_eq!(ofac_listed(&entities).len(), 9);
    assert_eq!(eu_listed(&entities).len(), 6);
}

#[test]
fn ofac_today_cst_is_held_entirely_by_blocked_persons() {
    let (graph, entities) = graph();
    let d = compute(
        &graph,
        &ofac_listed(&entities),
        Policy::Ofac50,
        AsOf::Latest,
    );
    assert_eq!(summary(&d), [(CST, Rule::Ofac50, 100.0, true)]);
    let owners: Vec<_> = d.derived[0]
        .owners
        .iter()
        .map(|s| (s.owner_id.as_str(), s.percent, s.start_date.as_deref()))
        .collect();
    assert_eq!(
        owners,
        [
            (ZAKHAROV, Some(51.0), Some("2015-11-25")),
            (KALASHNIKOV, Some(49.0), Some("2016-03-29"))
        ]
    );
    // Directing an association is control, which OFAC's rule does not count: a lead.
    assert_eq!(d.leads.len(), 1);
    assert_eq!(d.leads[0].entity_id, ASSOCIATION);
    assert_eq!(d.leads[0].kind, LeadKind::Control);
    assert_eq!(d.leads[0].stake.relation, RelationKind::Director);
    assert!(d.issues.is_empty(), "{:?}", d.issues);
}

#[test]
fn ofac_mid_2022_blocks_zakharovs_subsidiaries_and_reports_the_overlapping_records() {
    let (graph, entities) = graph();
    let d = compute(
        &graph,
        &ofac_listed(&entities),
        Policy::Ofac50,
        on("2022-06-01"),
    );
    assert_eq!(
        summary(&d),
        [
            (SPS, Rule::Ofac50, 75.0, false),
            (RTC, Rule::Ofac50, 100.0, false),
            // 51 + 50 + 48 (Zakharov's three overlapping records) + 49 + 1.
            (CST, Rule::Ofac50, 199.0, true),
        ]
    );
    let cst = d.get(CST).expect("CST");
    assert_eq!(
        cst.warnings,
        ["the stakes in force in this entity sum to 201% (over 100%)"]
    );
    // Transkomplekt is listed in Ukraine only: its 2% is in force but not blocked here.
    assert!(cst.owners.iter().all(|s| s.owner_id != TRANSKOMPLEKT));
    assert!(cst.owners.iter().any(|s| s.owner_id == SVETLANA));

    let over: Vec<_> = d
        .issues
        .iter()
        .filter(|i| i.kind == IssueKind::OverHundredPercent)
        .collect();
    assert_eq!(over.len(), 1);
    assert_eq!(over[0].location, CST);
    assert_eq!(
        over[0].entities,
        [SVETLANA, TRANSKOMPLEKT, ZAKHAROV, CST, KALASHNIKOV]
    );
    for part in [
        "sum to 201%",
        "48% by Alexander Vyacheslavovich ZAKHAROV",
        "50% by Alexander Vyacheslavovich ZAKHAROV",
        "51% by Alexander Vyacheslavovich ZAKHAROV",
        "2% by Акціонерне товариство \"ТрансКомплектХолдинг\"",
    ] {
        assert!(
            over[0].message.contains(part),
            "{part}: {}",
            over[0].message
        );
    }

    // RTC is listed in Ukraine, not by OFAC: derived from Zakharov's 100%.
    let explanation = d.explain(RTC).expect("explained");
    assert!(!explanation.also_listed);
    assert_eq!(explanation.path.len(), 1);
    let step = &explanation.path[0];
    assert_eq!(step.owner_id, ZAKHAROV);
    assert_eq!(step.percent, Some(100.0));
    assert_eq!(step.start_date.as_deref(), Some("2022-04-22"));
    assert_eq!(step.end_date.as_deref(), Some("2023-10-22"));
    let StepStatus::Listed { programs, .. } = &step.status else {
        panic!("Zakharov is listed: {step:?}");
    };
    assert!(programs.contains(&"US-RUSHAR".to_string()));
    let json = serde_json::to_value(&explanation).expect("json");
    assert_eq!(json["rule"], "ofac-50");
    assert_eq!(json["aggregate_percent"], 100.0);
    assert_eq!(json["path"][0]["owner_id"], ZAKHAROV);
    assert_eq!(json["path"][0]["status"], "listed");
    assert_eq!(json["path"][0]["provenance"]["kind"], "link");
    assert!(explanation.to_string().contains(
        "- 100% owned by Alexander Vyacheslavovich ZAKHAROV (opensanctions:NK-aU5ybkbRFJucf8YMwsJvDw) \
         [2022-04-22 to 2023-10-22], listed on opensanctions@fixture under EU-UKR, GB-RUS"
    ));
}

#[test]
fn ofac_2018_blocks_cst_perm_and_2024_leaves_zala_aero_jsc_a_lead() {
    let (graph, entities) = graph();
    let listed = ofac_listed(&entities);
    let d = compute(&graph, &listed, Policy::Ofac50, on("2018-01-01"));
    assert_eq!(
        summary(&d),
        [
            (CST, Rule::Ofac50, 198.0, true),
            (CST_PERM, Rule::Ofac50, 100.0, false)
        ]
    );

    // JSC Zala Aero (listed in Ukraine only): Zakharov's stake has no stated share.
    let d = compute(&graph, &listed, Policy::Ofac50, on("2024-04-01"));
    assert_eq!(summary(&d), [(CST, Rule::Ofac50, 100.0, true)]);
    let lead = d
        .leads
        .iter()
        .find(|l| l.entity_id == ZALA_AERO_JSC)
        .expect("a lead");
    assert_eq!(lead.kind, LeadKind::UnknownShare);
    assert_eq!(lead.stake.owner_id, ZAKHAROV);
    assert_eq!(lead.stake.percent, None);
}

#[test]
fn eu_uk_today_adds_the_association_zakharov_directs() {
    let (graph, entities) = graph();
    let d = compute(&graph, &eu_listed(&entities), Policy::EuUk, AsOf::Latest);
    assert_eq!(
        summary(&d),
        [
            (ASSOCIATION, Rule::EuUkControl, 0.0, false),
            (CST, Rule::EuUk50, 100.0, true)
        ]
    );
    let association = d.get(ASSOCIATION).expect("controlled");
    assert_eq!(association.owners.len(), 1);
    let director = &association.owners[0];
    assert_eq!(director.owner_id, ZAKHAROV);
    assert_eq!(director.relation, RelationKind::Director);
    assert_eq!(director.percent, None);
    assert!(matches!(director.owner_status, OwnerStatus::Listed { .. }));
    let text = d.explain(ASSOCIATION).expect("explained").to_string();
    assert!(text.contains("is controlled under eu-uk-control"), "{text}");
    assert!(text.contains("(\"Исполнительный директор\")"), "{text}");

    // With every sanctioned party (Ukraine's lists too), Abashkin's directorship of CST
    // shows among its controllers.
    let d = compute(&graph, &all_listed(&entities), Policy::EuUk, AsOf::Latest);
    let cst = d.get(CST).expect("CST");
    assert!(cst
        .owners
        .iter()
        .any(|s| s.owner_id == ABASHKIN && s.relation == RelationKind::Director));
}
