//! Reading list entities: which links are stakes, and the problems reported on the way;
//! and graphs far larger or deeper than real ones.

use redline_model::{Entity, Link, Name, NameKind, Relation, Schema, SourceId};
use redline_ownership::synthetic::{generate, SyntheticConfig};
use redline_ownership::{
    compute, AsOf, IssueKind, LeadKind, ListedParty, ListedSet, OwnershipGraph, Period, Policy,
    RelationKind, Rule, Share, StepStatus, MAX_DEPTH,
};

fn entity(source: SourceId, id: &str, name: &str) -> Entity {
    let mut e = Entity::new(source, id, Schema::Organization);
    e.add_name(Name::new(name, NameKind::Primary));
    e
}

fn link(relation: Relation, id: Option<&str>, name: Option<&str>, percent: Option<f64>) -> Link {
    Link {
        relation,
        target_id: id.map(str::to_string),
        target_name: name.map(str::to_string),
        percentage: percent,
        start_date: None,
        end_date: None,
        role: None,
    }
}

#[test]
fn link_problems_are_reported_with_entity_and_link() {
    let mut front = entity(SourceId::OfacSdn, "1", "FRONT COMPANY LTD");
    let parent = entity(SourceId::OfacSdn, "2", "PARENT GROUP");
    let mut other = entity(SourceId::OfacSdn, "3", "OTHER LTD");
    // Resolved by its exact name, as the OFAC parser leaves names it could not tie.
    front.links.push(link(
        Relation::OwnedOrControlledBy,
        None,
        Some("Parent  Group"),
        None,
    ));
    front.links.push(link(
        Relation::OwnedOrControlledBy,
        None,
        Some("NOBODY KNOWN"),
        None,
    ));
    front
        .links
        .push(link(Relation::LinkedTo, Some("ofac-sdn:2"), None, None));
    other.links.push(link(
        Relation::OwnedBy,
        Some("ofac-sdn:2"),
        None,
        Some(120.0),
    ));
    other.links.push(link(
        Relation::OwnedBy,
        Some("ofac-sdn:77"),
        Some("Gone Holding"),
        Some(10.0),
    ));
    let mut dated = link(Relation::OwnedBy, Some("ofac-sdn:2"), None, Some(5.0));
    dated.start_date = Some("2019-13-45".into());
    dated.end_date = Some("2020-01-01".into());
    other.links.push(dated);
    let duplicate = entity(SourceId::OfacSdn, "3", "OTHER LTD again");

    let (graph, issues) = OwnershipGraph::from_entities(&[front, parent, other, duplicate]);
    let found: Vec<(IssueKind, &str)> = issues
        .iter()
        .map(|i| (i.kind, i.location.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (IssueKind::DuplicateEntity, "ofac-sdn:3"),
            (IssueKind::UnresolvedParty, "ofac-sdn:1 link 2"),
            (IssueKind::InvalidPercent, "ofac-sdn:3 link 1"),
            (IssueKind::ExternalParty, "ofac-sdn:3 link 2"),
            (IssueKind::InvalidDate, "ofac-sdn:3 link 3"),
        ]
    );
    assert!(issues[4].message.contains("\"2019-13-45\" is not a date"));
    let stats = graph.stats();
    assert_eq!(
        stats.parties, 4,
        "three entities and the external ofac-sdn:77"
    );
    assert_eq!(stats.external_parties, 1);
    assert_eq!(stats.stakes, 4);
    assert_eq!(stats.other_links, 1);

    let mut listed = ListedSet::new();
    listed.insert(ListedParty::new(
        "ofac-sdn:2",
        "ofac-sdn",
        vec!["SDGT".into()],
    ));
    let d = compute(&graph, &listed, Policy::Ofac50, AsOf::Latest);
    assert!(d.derived.is_empty());
    let leads: Vec<_> = d
        .leads
        .iter()
        .map(|l| (l.entity_id.as_str(), l.kind, l.stake.relation))
        .collect();
    assert_eq!(
        leads,
        [
            (
                "ofac-sdn:1",
                LeadKind::Control,
                RelationKind::OwnedOrControlledBy
            ),
            // The 120% stake is kept, with an unknown share, as a lead.
            (
                "ofac-sdn:3",
                LeadKind::UnknownShare,
                RelationKind::Ownership
            ),
        ]
    );
}

#[test]
fn a_chain_of_ten_thousand_is_computed_and_explained_within_bounds() {
    let mut graph = OwnershipGraph::new();
    let mut previous = graph.add_party("X", "Listed");
    for at in 0..10_000 {
        let next = graph.add_party(&format!("C{at:05}"), "Link in a chain");
        graph
            .add_stake(
                previous,
                next,
                RelationKind::Ownership,
                Share::from_percent(50.0).ok(),
                Period::ALWAYS,
            )
            .expect("stake");
        previous = next;
    }
    let mut listed = ListedSet::new();
    listed.insert(ListedParty::new("X", "l", vec![]));
    let d = compute(&graph, &listed, Policy::Ofac50, AsOf::Latest);
    assert_eq!(d.stats.derived, 10_000);
    let explanation = d.explain("C09999").expect("explained");
    let mut depth = 1;
    let mut steps = &explanation.path;
    while let StepStatus::Derived { path, .. } = &steps[0].status {
        depth += 1;
        steps = path;
    }
    assert_eq!(depth, MAX_DEPTH);
    assert_eq!(steps[0].status, StepStatus::Deeper { rule: Rule::Ofac50 });
    assert!(serde_json::to_string(&explanation).is_ok());
    assert!(explanation
        .to_string()
        .contains("the path goes deeper: explain C09935"));
}

#[test]
fn synthetic_graph_is_deterministic_and_consistent() {
    let config = SyntheticConfig {
        parties: 6_000,
        stakes: 10_000,
        ..SyntheticConfig::default()
    };
    let one = generate(&config);
    let two = generate(&config);
    assert_eq!(one.graph.stats().stakes, 10_000);
    let a = compute(&one.graph, &one.listed, Policy::EuUk, AsOf::Latest);
    let b = compute(&two.graph, &two.listed, Policy::EuUk, AsOf::Latest);
    assert_eq!(
        serde_json::to_string(&a).expect("json"),
        serde_json::to_string(&b).expect("json")
    );
    assert!(a.stats.derived > 0 && a.stats.cycles > 0);
    assert_eq!(a.stats.over_hundred_percent, 0);
    // Every derived status adds up: its blocked owners' stated shares are its aggregate.
    for status in &a.derived {
        let sum: f64 = status.owners.iter().filter_map(|s| s.percent).sum();
        assert!((sum - status.aggregate_percent).abs() < 1e-6, "{status:?}");
        match status.rule {
            Rule::EuUk50 => assert!(status.aggregate_percent >= 50.0),
            Rule::EuUkControl => assert!(status.owners.iter().any(|s| s.relation.is_control())),
            Rule::Ofac50 => unreachable!("EU/UK policy"),
        }
    }
}
