//! Operator ownership CSV files: resolution by id, identifier and exact name, and every
//! problem reported with its file and line.

use redline_model::Entity;
use redline_model::{IdKind, Identifier, Name, NameKind, Schema, SourceId};
use redline_ownership::{
    compute, AsOf, DataIssue, IssueKind, LeadKind, ListedParty, ListedSet, OwnerStatus,
    OwnershipError, OwnershipGraph, Policy, Provenance, RelationKind, Resolver, Rule,
};
use redline_ownership::{Format, Identified};

fn entity(source: SourceId, id: &str, schema: Schema, name: &str, inn: Option<&str>) -> Entity {
    let mut e = Entity::new(source, id, schema);
    e.add_name(Name::new(name, NameKind::Primary));
    if let Some(inn) = inn {
        e.identifiers.push(Identifier {
            kind: IdKind::TaxId,
            value: inn.to_string(),
            country: Some("ru".into()),
            note: None,
        });
    }
    e
}

fn entities() -> Vec<Entity> {
    use Schema::{Organization, Person};
    use SourceId::{OfacSdn, OpenSanctions};
    vec![
        entity(
            OfacSdn,
            "100",
            Organization,
            "VOLGA HOLDING LLC",
            Some("1027700000001"),
        ),
        entity(OfacSdn, "200", Person, "Ivan PETROV", None),
        entity(
            OpenSanctions,
            "NK-A",
            Organization,
            "Neva Trading",
            Some("77 0123 4567"),
        ),
        entity(OpenSanctions, "NK-B", Organization, "NEVA TRADING", None),
        entity(OpenSanctions, "NK-C", Organization, "Ural Logistics", None),
    ]
}

fn listed() -> ListedSet {
    let mut set = ListedSet::new();
    set.insert(ListedParty::new(
        "ofac-sdn:100",
        "ofac-sdn@2024-06-01",
        vec!["RUSSIA-EO14024".into()],
    ));
    set.insert(ListedParty::new(
        "ofac-sdn:200",
        "ofac-sdn@2024-06-01",
        vec!["RUSSIA-EO14024".into()],
    ));
    set
}

const FILE: &str = "\
owner,owned,percent,relation,source,as_of
ofac-sdn:100,7701234567,30,ownership,Orbis,2024-05-01
Ivan  Petrov,opensanctions:NK-A,20.5,ownership,registry extract,2024-05-01
ofac-sdn:999,opensanctions:NK-C,60,ownership,,
ofac-sdn:100,Neva Trading,10,ownership,,
ofac-sdn:100,local:kama-sub,150,ownership,,
ivan petrov,opensanctions:NK-C,,director,due diligence,2024-01-15
ofac-sdn:100,opensanctions:NK-C,10,control,,
ofac-sdn:100,7701234567,30,ownership,Orbis,2024-05-01
opensanctions:NK-A,local:ural-sub,55,shareholding,,yesterday
ofac-sdn:100,opensanctions:NK-C,5,board seat,,
";

fn loaded() -> (OwnershipGraph, Vec<DataIssue>) {
    let entities = entities();
    let (mut graph, issues) = OwnershipGraph::from_entities(&entities);
    assert!(issues.is_empty());
    let resolver = Resolver::new(&entities);
    let issues = graph
        .add_csv("owners.csv", FILE.as_bytes(), &resolver)
        .expect("a readable file");
    (graph, issues)
}

#[test]
fn every_row_problem_names_file_and_line() {
    let (_, issues) = loaded();
    let found: Vec<(IssueKind, &str)> = issues
        .iter()
        .map(|i| (i.kind, i.location.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (IssueKind::UnresolvedParty, "owners.csv:4"),
            (IssueKind::AmbiguousParty, "owners.csv:5"),
            (IssueKind::InvalidPercent, "owners.csv:6"),
            (IssueKind::PercentOnControl, "owners.csv:8"),
            (IssueKind::DuplicateStake, "owners.csv:9"),
            (IssueKind::InvalidDate, "owners.csv:10"),
            (IssueKind::UnknownRelation, "owners.csv:11"),
        ]
    );
    assert_eq!(
        issues[0].message,
        "owner \"ofac-sdn:999\": no entity has the id ofac-sdn:999; row not used"
    );
    assert_eq!(
        issues[1].message,
        "owned \"Neva Trading\": the exact name of 2 entities (opensanctions:NK-A, \
         opensanctions:NK-B); name one by its id; row not used"
    );
    assert_eq!(
        issues[1].entities,
        ["opensanctions:NK-A", "opensanctions:NK-B"]
    );
    assert!(issues[2].message.contains("\"150\" is outside 0..=100"));
}

#[test]
fn csv_stakes_derive_with_their_provenance() {
    let (graph, _) = loaded();
    let stats = graph.stats();
    assert_eq!(stats.local_parties, 2);
    // Lines 2, 3, 6, 7, 8, 10 are loaded; 4, 5 (unresolved), 9 (duplicate), 11 are not.
    assert_eq!(stats.stakes, 6);

    let d = compute(&graph, &listed(), Policy::Ofac50, AsOf::Latest);
    let derived: Vec<_> = d
        .derived
        .iter()
        .map(|s| (s.entity_id.as_str(), s.rule, s.aggregate_percent))
        .collect();
    assert_eq!(
        derived,
        [
            ("local:ural-sub", Rule::Ofac50, 55.0),
            ("opensanctions:NK-A", Rule::Ofac50, 50.5),
        ]
    );
    let neva = d.get("opensanctions:NK-A").expect("derived");
    assert_eq!(
        neva.owners[1].provenance,
        Provenance::File {
            file: "owners.csv".into(),
            line: 3,
            format: Format::Csv,
            stated: None,
            source: Some("registry extract".into()),
            as_of: Some("2024-05-01".into()),
            owner_identified: Identified::ExactName,
            owned_identified: Identified::ListId,
        }
    );
    let ural = d.get("local:ural-sub").expect("derived");
    assert_eq!(
        ural.owners[0].owner_status,
        OwnerStatus::Derived { rule: Rule::Ofac50 }
    );
    let text = d.explain("local:ural-sub").expect("explained").to_string();
    assert!(text.contains("- 30% owned by VOLGA HOLDING LLC (ofac-sdn:100), listed on ofac-sdn@2024-06-01 under RUSSIA-EO14024; from owners.csv:2 (csv); owner by list id, owned by number 7701234567 on the list, source Orbis, as of 2024-05-01"), "{text}");

    // The 150% row is a stake of unknown share; the director and control rows are
    // control: all leads under OFAC, none a percentage.
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
                "local:kama-sub",
                LeadKind::UnknownShare,
                RelationKind::Ownership,
                None
            ),
            (
                "opensanctions:NK-C",
                LeadKind::Control,
                RelationKind::Control,
                None
            ),
            (
                "opensanctions:NK-C",
                LeadKind::Control,
                RelationKind::Director,
                None
            ),
        ]
    );

    let eu = compute(&graph, &listed(), Policy::EuUk, AsOf::Latest);
    let ural = eu.get("opensanctions:NK-C").expect("controlled");
    assert_eq!(ural.rule, Rule::EuUkControl);
    assert_eq!(ural.owners.len(), 2);
}

#[test]
fn columns_are_found_by_name_and_bad_rows_are_reported_not_fatal() {
    let entities = entities();
    let resolver = Resolver::new(&entities);
    let (mut graph, _) = OwnershipGraph::from_entities(&entities);

    // Columns in another order are read by their names.
    let swapped = "owned,owner,percent\nofac-sdn:100,ofac-sdn:200,60\n";
    let issues = graph
        .add_csv("swapped.csv", swapped.as_bytes(), &resolver)
        .expect("columns by name");
    assert!(issues.is_empty(), "{issues:?}");
    let d = compute(&graph, &listed(), Policy::Ofac50, AsOf::Latest);
    assert_eq!(
        d.get("ofac-sdn:100").expect("owned by 200").owners[0].owner_id,
        "ofac-sdn:200"
    );

    // A heading that is no field is refused, naming it.
    let misspelt = "owner,owned,percnt\nofac-sdn:100,opensanctions:NK-A,60\n";
    let err = graph
        .add_csv("misspelt.csv", misspelt.as_bytes(), &resolver)
        .expect_err("unknown column");
    assert!(matches!(err, OwnershipError::Header { .. }));
    assert!(
        err.to_string()
            .starts_with("misspelt.csv:1: column \"percnt\" is not an ownership field"),
        "{err}"
    );

    let mut graph = OwnershipGraph::from_entities(&entities).0;
    let short = "owner,owned,percent,relation,source,as_of\n\
                 ofac-sdn:100,opensanctions:NK-A,60,ownership,,\n\
                 ofac-sdn:100,opensanctions:NK-C,60\n";
    let issues = graph
        .add_csv("short.csv", short.as_bytes(), &resolver)
        .expect("the good rows load");
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].kind, IssueKind::MalformedRow);
    assert_eq!(
        issues[0].to_string(),
        "short.csv:3: 3 fields where the header has 6; row not used"
    );
    assert_eq!(graph.stats().stakes, 1, "the good row is added");

    let mut graph = OwnershipGraph::from_entities(&entities).0;
    let latin1 = b"owner,owned,percent,relation,source,as_of\nofac-sdn:100,opensanctions:NK-A,60,ownership,Soci\xe9t\xe9,\n";
    let issues = graph
        .add_csv("latin1.csv", latin1, &resolver)
        .expect("reported per row");
    assert_eq!(
        issues[0].to_string(),
        "latin1.csv:2: not UTF-8 text (save the file as UTF-8); row not used"
    );
    assert_eq!(graph.stats().stakes, 0);

    // A spreadsheet's byte-order mark is not part of the header.
    let bom = "\u{feff}owner,owned,percent,relation,source,as_of\nofac-sdn:100,opensanctions:NK-A,60,ownership,,\n";
    let issues = graph
        .add_csv("bom.csv", bom.as_bytes(), &resolver)
        .expect("readable");
    assert!(issues.is_empty());
    assert_eq!(graph.stats().stakes, 1);
}
