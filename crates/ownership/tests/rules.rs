//! The OFAC 50 percent rule (FAQ 398, 401) and the EU/UK owned-or-controlled test on
//! small hand-built graphs, one legal point per test.

use redline_model::{Entity, Link, Name, NameKind, Relation, Schema, SourceId};
use redline_ownership::{
    compute, AsOf, Day, Derivation, IssueKind, LeadKind, ListedParty, ListedSet, OwnerStatus,
    OwnershipGraph, Period, Policy, RelationKind, Rule, Share, StepStatus,
};

/// A graph from `(owner, asset, percent)`; a negative percent is a stake of unknown share.
fn graph(stakes: &[(&str, &str, f64)]) -> OwnershipGraph {
    let mut g = OwnershipGraph::new();
    for &(owner, asset, percent) in stakes {
        let o = g.add_party(owner, &format!("{owner} name"));
        let a = g.add_party(asset, &format!("{asset} name"));
        let share = (percent >= 0.0).then(|| Share::from_percent(percent).expect("valid share"));
        g.add_stake(o, a, RelationKind::Ownership, share, Period::ALWAYS)
            .expect("stake");
    }
    g
}

fn listed(parties: &[(&str, &str, &str)]) -> ListedSet {
    let mut set = ListedSet::new();
    for &(id, list, program) in parties {
        set.insert(ListedParty::new(id, list, vec![program.to_string()]));
    }
    set
}

fn ofac(g: &OwnershipGraph, l: &ListedSet) -> Derivation {
    compute(g, l, Policy::Ofac50, AsOf::Latest)
}

fn derived_ids(d: &Derivation) -> Vec<(&str, Rule, f64)> {
    d.derived
        .iter()
        .filter(|s| !s.also_listed)
        .map(|s| (s.entity_id.as_str(), s.rule, s.aggregate_percent))
        .collect()
}

#[test]
fn faq_398_direct_fifty_percent() {
    let g = graph(&[("X", "A", 50.0)]);
    let d = ofac(&g, &listed(&[("X", "ofac-sdn", "RUSSIA-EO14024")]));
    assert_eq!(derived_ids(&d), [("A", Rule::Ofac50, 50.0)]);
    let a = d.get("A").expect("A derived");
    assert_eq!(a.owners.len(), 1);
    assert_eq!(a.owners[0].owner_id, "X");
    assert_eq!(a.owners[0].percent, Some(50.0));
    assert_eq!(
        a.owners[0].owner_status,
        OwnerStatus::Listed {
            lists: vec!["ofac-sdn".into()],
            programs: vec!["RUSSIA-EO14024".into()]
        }
    );
    assert!(d.issues.is_empty());
}

#[test]
fn faq_398_two_listed_persons_aggregate() {
    let g = graph(&[("X", "A", 25.0), ("Y", "A", 25.0), ("Z", "A", 50.0)]);
    let d = ofac(
        &g,
        &listed(&[("X", "ofac-sdn", "SDGT"), ("Y", "ofac-sdn", "SDGT")]),
    );
    assert_eq!(derived_ids(&d), [("A", Rule::Ofac50, 50.0)]);
    let owners: Vec<&str> = d.get("A").map_or(Vec::new(), |a| {
        a.owners.iter().map(|s| s.owner_id.as_str()).collect()
    });
    assert_eq!(
        owners,
        ["X", "Y"],
        "the unlisted 50% holder is not a blocked owner"
    );
}

#[test]
fn faq_398_stakes_aggregate_across_programmes_and_lists() {
    let g = graph(&[("X", "A", 30.0), ("Y", "A", 20.0)]);
    let l = listed(&[
        ("X", "ofac-sdn@2024-05-01-ab12", "UKRAINE-EO13662"),
        ("Y", "ofac-non-sdn@2024-05-01-cd34", "IRAN"),
    ]);
    let d = ofac(&g, &l);
    assert_eq!(derived_ids(&d), [("A", Rule::Ofac50, 50.0)]);
    let explanation = d.explain("A").expect("explained");
    let programs: Vec<_> = explanation
        .path
        .iter()
        .map(|step| match &step.status {
            StepStatus::Listed { lists, programs } => (lists[0].as_str(), programs[0].as_str()),
            other => panic!("expected listed owners, got {other:?}"),
        })
        .collect();
    assert_eq!(
        programs,
        [
            ("ofac-sdn@2024-05-01-ab12", "UKRAINE-EO13662"),
            ("ofac-non-sdn@2024-05-01-cd34", "IRAN")
        ]
    );
}

#[test]
fn faq_401_indirect_aggregation_through_blocked_entities() {
    // X owns 50% of A and 50% of B; A and B each own 25% of C.
    let g = graph(&[
        ("X", "A", 50.0),
        ("X", "B", 50.0),
        ("A", "C", 25.0),
        ("B", "C", 25.0),
    ]);
    let d = ofac(&g, &listed(&[("X", "ofac-sdn", "SDGT")]));
    assert_eq!(
        derived_ids(&d),
        [
            ("A", Rule::Ofac50, 50.0),
            ("B", Rule::Ofac50, 50.0),
            ("C", Rule::Ofac50, 50.0)
        ]
    );
    let c = d.get("C").expect("C derived");
    assert!(c
        .owners
        .iter()
        .all(|s| s.owner_status == OwnerStatus::Derived { rule: Rule::Ofac50 }));

    let explanation = d.explain("C").expect("explained");
    assert_eq!(explanation.path.len(), 2);
    for step in &explanation.path {
        let StepStatus::Derived { path, .. } = &step.status else {
            panic!("A and B are derived: {step:?}");
        };
        assert_eq!(path.len(), 1);
        assert_eq!(path[0].owner_id, "X");
        assert!(matches!(path[0].status, StepStatus::Listed { .. }));
    }
    let json = serde_json::to_value(&explanation).expect("serialises");
    assert_eq!(json["rule"], "ofac-50");
    assert_eq!(json["aggregate_percent"], 50.0);
    assert_eq!(json["path"][0]["owner_id"], "A");
    assert_eq!(json["path"][0]["status"], "derived");
    assert_eq!(json["path"][0]["path"][0]["status"], "listed");
    assert_eq!(json["path"][0]["path"][0]["programs"][0], "SDGT");

    let text = explanation.to_string();
    assert!(
        text.starts_with("C name (C) is blocked under ofac-50: 50% owned in aggregate"),
        "{text}"
    );
    assert!(
        text.contains("  - 25% owned by A name (A), blocked under ofac-50"),
        "{text}"
    );
    assert!(
        text.contains("    - 50% owned by X name (X), listed on ofac-sdn under SDGT"),
        "{text}"
    );
}

#[test]
fn just_under_fifty_percent_is_not_blocked_and_sums_are_exact() {
    let g = graph(&[("X", "A", 49.9), ("X", "B", 49.9), ("Y", "B", 0.1)]);
    let d = ofac(&g, &listed(&[("X", "l", "p"), ("Y", "l", "p")]));
    // 49.9 + 0.1 is exactly 50, whatever f64 makes of it.
    assert_eq!(derived_ids(&d), [("B", Rule::Ofac50, 50.0)]);
    assert!(d.get("A").is_none());
}

#[test]
fn chain_counts_whole_stakes_not_multiplied_shares() {
    // Multiplied down the chain X's interest in C would be 0.5 × 0.6 × 0.5 = 15%.
    let g = graph(&[("X", "A", 50.0), ("A", "B", 60.0), ("B", "C", 50.0)]);
    let d = ofac(&g, &listed(&[("X", "l", "p")]));
    assert_eq!(
        derived_ids(&d),
        [
            ("A", Rule::Ofac50, 50.0),
            ("B", Rule::Ofac50, 60.0),
            ("C", Rule::Ofac50, 50.0)
        ]
    );
    let explanation = d.explain("C").expect("explained");
    let StepStatus::Derived { path, .. } = &explanation.path[0].status else {
        panic!("B is derived");
    };
    assert_eq!(path[0].owner_id, "A");
    assert_eq!(path[0].percent, Some(60.0), "A's whole stake in B counts");
}

#[test]
fn cycle_terminates_is_reported_and_cannot_block_itself() {
    let g = graph(&[("A", "B", 60.0), ("B", "A", 60.0), ("X", "A", 10.0)]);
    let d = ofac(&g, &listed(&[("X", "l", "p")]));
    assert!(d.derived.is_empty(), "a cycle does not block itself");
    let cycles: Vec<_> = d
        .issues
        .iter()
        .filter(|i| i.kind == IssueKind::Cycle)
        .collect();
    assert_eq!(cycles.len(), 1);
    assert_eq!(cycles[0].entities, ["A", "B"]);
    assert!(cycles[0]
        .message
        .contains("ownership cycle among 2 entities"));
}

#[test]
fn cycle_with_a_blocked_entry_propagates_once() {
    // X → A 50%; A → B 60%; B → A 30% closes the cycle.
    let g = graph(&[
        ("X", "A", 50.0),
        ("A", "B", 60.0),
        ("B", "A", 30.0),
        ("B", "C", 50.0),
    ]);
    let d = ofac(&g, &listed(&[("X", "l", "p")]));
    assert_eq!(
        derived_ids(&d),
        [
            ("A", Rule::Ofac50, 80.0),
            ("B", Rule::Ofac50, 60.0),
            ("C", Rule::Ofac50, 50.0)
        ],
        "each stake counted once: A has 50 + 30, not more"
    );
    assert_eq!(d.stats.cycles, 1);
    let a = d.get("A").expect("A");
    assert_eq!(a.warnings, ["part of an ownership cycle of 2 entities"]);
    // The explanation of A reaches B, whose owner A is not expanded again.
    let explanation = d.explain("A").expect("explained");
    let b = explanation
        .path
        .iter()
        .find(|s| s.owner_id == "B")
        .expect("B owns A");
    let StepStatus::Derived { path, .. } = &b.status else {
        panic!("B derived");
    };
    assert_eq!(path[0].owner_id, "A");
    assert_eq!(path[0].status, StepStatus::SeeAbove { rule: Rule::Ofac50 });
}

#[test]
fn self_ownership_is_a_reported_cycle() {
    let g = graph(&[("A", "A", 10.0)]);
    let d = ofac(&g, &ListedSet::new());
    assert_eq!(d.issues.len(), 1);
    assert_eq!(d.issues[0].kind, IssueKind::Cycle);
    assert!(d.issues[0].message.contains("owns part of itself"));
}

#[test]
fn stakes_over_one_hundred_percent_are_reported_and_not_fixed() {
    let g = graph(&[("X", "A", 60.0), ("Y", "A", 30.0), ("Z", "A", 20.5)]);
    let d = ofac(&g, &listed(&[("X", "l", "p")]));
    let issue = d
        .issues
        .iter()
        .find(|i| i.kind == IssueKind::OverHundredPercent)
        .expect("reported");
    assert_eq!(issue.location, "A");
    assert_eq!(issue.entities, ["A", "X", "Y", "Z"]);
    assert!(
        issue
            .message
            .starts_with("stakes in A name (A) in force (latest) sum to 110.5%: "),
        "{}",
        issue.message
    );
    assert!(issue
        .message
        .contains("60% by X name (X; added by the caller)"));
    assert!(issue.message.contains("20.5% by Z name"));
    let a = d.get("A").expect("still computed on the data as stated");
    assert_eq!(a.aggregate_percent, 60.0);
    assert_eq!(
        a.warnings,
        ["the stakes in force in this entity sum to 110.5% (over 100%)"]
    );
}

fn person(id: &str, name: &str) -> Entity {
    let mut e = Entity::new(SourceId::OpenSanctions, id, Schema::Person);
    e.add_name(Name::new(name, NameKind::Primary));
    e
}

fn company(id: &str, name: &str) -> Entity {
    let mut e = Entity::new(SourceId::OpenSanctions, id, Schema::Organization);
    e.add_name(Name::new(name, NameKind::Primary));
    e
}

fn link(relation: Relation, target: &str, percentage: Option<f64>) -> Link {
    Link {
        relation,
        target_id: Some(format!("opensanctions:{target}")),
        target_name: None,
        percentage,
        start_date: None,
        end_date: None,
        role: None,
    }
}

#[test]
fn owns_and_owned_by_halves_of_one_ownership_count_once() {
    let mut x = person("X", "Xavier");
    let mut a = company("A", "Alpha");
    x.links.push(link(Relation::Owns, "A", Some(30.0)));
    a.links.push(link(Relation::OwnedBy, "X", Some(30.0)));
    x.links.push(link(Relation::Owns, "A", Some(25.0)));
    let (g, issues) = OwnershipGraph::from_entities(&[x, a]);
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(g.stats().stakes, 2, "30% seen from both sides is one stake");
    let d = ofac(&g, &listed(&[("opensanctions:X", "l", "p")]));
    assert_eq!(
        derived_ids(&d),
        [("opensanctions:A", Rule::Ofac50, 55.0)],
        "30 + 25, not 30 + 30 + 25"
    );
}

#[test]
fn owned_or_controlled_by_is_never_a_percentage() {
    let x = company("X", "Listed Holding");
    let mut a = company("A", "Alpha");
    let mut b = company("B", "Beta");
    a.links.push(link(Relation::OwnedOrControlledBy, "X", None));
    // FtM Ownership without a percentage: also not 50%.
    b.links.push(link(Relation::OwnedBy, "X", None));
    let (g, _) = OwnershipGraph::from_entities(&[x, a, b]);
    let l = listed(&[("opensanctions:X", "ofac-sdn", "SDGT")]);

    let d = ofac(&g, &l);
    assert!(d.derived.is_empty(), "{:?}", d.derived);
    let leads: Vec<_> = d
        .leads
        .iter()
        .map(|l| {
            (
                l.entity_id.as_str(),
                l.kind,
                l.stake.relation,
                l.stake.percent,
            )
        })
        .collect();
    assert_eq!(
        leads,
        [
            (
                "opensanctions:A",
                LeadKind::Control,
                RelationKind::OwnedOrControlledBy,
                None
            ),
            (
                "opensanctions:B",
                LeadKind::UnknownShare,
                RelationKind::Ownership,
                None
            )
        ]
    );

    let eu = compute(&g, &l, Policy::EuUk, AsOf::Latest);
    assert_eq!(
        derived_ids(&eu),
        [("opensanctions:A", Rule::EuUkControl, 0.0)],
        "EU/UK: controlled; the unknown share stays a lead"
    );
    assert_eq!(eu.leads.len(), 1);
    assert_eq!(eu.leads[0].kind, LeadKind::UnknownShare);
}

#[test]
fn control_relations_block_only_under_eu_uk() {
    let mut g = OwnershipGraph::new();
    let x = g.add_party("X", "Listed Person");
    let a = g.add_party("A", "Alpha");
    let b = g.add_party("B", "Beta");
    let c = g.add_party("C", "Gamma");
    g.add_stake(x, a, RelationKind::Director, None, Period::ALWAYS)
        .expect("stake");
    g.add_stake(x, c, RelationKind::ActingOnBehalf, None, Period::ALWAYS)
        .expect("stake");
    // A controlled entity's own majority stake carries the block on under EU/UK.
    g.add_stake(
        a,
        b,
        RelationKind::Ownership,
        Share::from_percent(60.0).ok(),
        Period::ALWAYS,
    )
    .expect("stake");
    assert!(
        g.add_stake(
            x,
            b,
            RelationKind::Director,
            Share::from_percent(10.0).ok(),
            Period::ALWAYS
        )
        .is_err(),
        "a control relation carries no share"
    );
    let l = listed(&[("X", "eu-fsf", "EU-UKR")]);

    let d = ofac(&g, &l);
    assert!(d.derived.is_empty());
    assert_eq!(d.leads.len(), 2);
    assert!(d.leads.iter().all(|l| l.kind == LeadKind::Control));

    let eu = compute(&g, &l, Policy::EuUk, AsOf::Latest);
    assert_eq!(
        derived_ids(&eu),
        [
            ("A", Rule::EuUkControl, 0.0),
            ("B", Rule::EuUk50, 60.0),
            ("C", Rule::EuUkControl, 0.0)
        ]
    );
    let text = eu.explain("B").expect("explained").to_string();
    assert!(
        text.contains("- 60% owned by Alpha (A), controlled under eu-uk-control"),
        "{text}"
    );
    assert!(
        text.contains("    - director: Listed Person (X), listed on eu-fsf under EU-UKR"),
        "{text}"
    );
}

#[test]
fn as_of_selects_the_stakes_in_force() {
    let mut g = OwnershipGraph::new();
    let x = g.add_party("X", "X");
    let a = g.add_party("A", "A");
    let period = Period::parse(Some("2019-01-01"), Some("2022-06-30")).expect("period");
    g.add_stake(
        x,
        a,
        RelationKind::Ownership,
        Share::from_percent(75.0).ok(),
        period,
    )
    .expect("stake");
    let l = listed(&[("X", "l", "p")]);
    let on = |day: &str| AsOf::On(Day::parse(day).expect("day"));
    assert!(compute(&g, &l, Policy::Ofac50, AsOf::Latest)
        .derived
        .is_empty());
    assert!(compute(&g, &l, Policy::Ofac50, on("2018-12-31"))
        .derived
        .is_empty());
    assert!(compute(&g, &l, Policy::Ofac50, on("2023-01-01"))
        .derived
        .is_empty());
    let d = compute(&g, &l, Policy::Ofac50, on("2022-06-30"));
    assert_eq!(derived_ids(&d), [("A", Rule::Ofac50, 75.0)]);
    assert_eq!(
        d.derived[0].owners[0].start_date.as_deref(),
        Some("2019-01-01")
    );
    let json = serde_json::to_value(&d).expect("serialises");
    assert_eq!(json["as_of"], "2022-06-30");
    assert_eq!(json["policy"], "ofac-50");
}

#[test]
fn listed_entities_owned_by_listed_parties_are_marked_also_listed() {
    let g = graph(&[("X", "A", 100.0)]);
    let d = ofac(&g, &listed(&[("X", "l", "p"), ("A", "l", "p")]));
    assert_eq!(d.derived.len(), 1);
    assert!(d.derived[0].also_listed);
    assert_eq!(d.stats.derived_not_listed, 0);
}

#[test]
fn output_does_not_depend_on_input_order() {
    let stakes = [
        ("X", "A", 50.0),
        ("X", "B", 50.0),
        ("A", "C", 25.0),
        ("B", "C", 25.0),
        ("C", "D", -1.0),
        ("D", "A", 10.0),
    ];
    let mut reversed = stakes;
    reversed.reverse();
    let l = listed(&[("X", "l", "p")]);
    let one = serde_json::to_string(&ofac(&graph(&stakes), &l)).expect("json");
    let two = serde_json::to_string(&ofac(&graph(&reversed), &l)).expect("json");
    assert_eq!(one, two);
}
