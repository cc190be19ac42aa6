//! One party, one result: the listings of a party across the bundled lists are
//! grouped on evidence that names it, and kept apart where anything says two.

use std::sync::OnceLock;

use redline_matching::{Index, Options, Query};
use redline_model::{DateValue, Entity, Name, NameKind, PartialDate, Schema, SourceId};

mod common;

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| Index::build(common::every_bundled_entity(), vec!["test".into()]))
}

/// The listings of the party listed as `id`, itself included.
fn party(id: &str) -> Vec<String> {
    let mut ids: Vec<String> = std::iter::once(id.to_string())
        .chain(index().other_listings(id).into_iter().map(|l| l.entity_id))
        .collect();
    ids.sort();
    ids
}

/// Asserts that each of `listings` is a listing of `of`'s party.
fn assert_in_party(of: &str, listings: &[&str]) {
    let group = party(of);
    for listing in listings {
        assert!(group.contains(&listing.to_string()), "{listing}: {group:?}");
    }
}

fn evidence(of: &str, listing: &str) -> String {
    index()
        .other_listings(of)
        .into_iter()
        .find(|l| l.entity_id == listing)
        .map(|l| l.same_party)
        .unwrap_or_else(|| {
            panic!(
                "{listing} is not a listing of {of}'s party: {:?}",
                party(of)
            )
        })
}

#[test]
fn a_party_on_many_lists_is_one_result_with_every_listing() {
    let matches = index().screen(
        &Query {
            name: "ROSNEFT".into(),
            ..Query::default()
        },
        &Options::default(),
    );
    let first = &matches[0];
    for listing in ["au-dfat:7544", "ca-sema:russia-3-2", "us-csl:17022"] {
        assert!(first.is_party_of(listing), "{listing}: {first:?}");
    }
    // No second result names the same party.
    for m in &matches[1..] {
        assert!(!m.is_party_of("au-dfat:7544"), "{m:?}");
    }
    // The decision's sentence names each other list with its programmes.
    let sentence = first.other_listings_sentence();
    assert!(sentence.contains("us-csl [SSI"), "{sentence}");

    // Asked of one list, the answer names that list's listings only.
    let csl_only = index().screen(
        &Query {
            name: "ROSNEFT".into(),
            sources: vec![SourceId::UsCsl],
            ..Query::default()
        },
        &Options::default(),
    );
    assert!(csl_only
        .iter()
        .flat_map(|m| &m.listings)
        .all(|l| l.source == SourceId::UsCsl));
}

#[test]
fn listings_are_joined_by_what_names_the_party() {
    // A publisher's own reference, quoted by the others.
    assert_eq!(
        evidence("un-sc:113458", "uk-hmt:6965"),
        "same UN reference QDE004"
    );
    assert_eq!(
        evidence("ofac-sdn:18715", "us-csl:18715"),
        "same OFAC entity number 18715"
    );
    // A number that identifies the party.
    assert!(evidence("un-sc:110408", "ofac-sdn:10481").starts_with("same passport number"));
    // The same whole name, word order and legal form aside.
    assert!(party("uk-hmt:14196").contains(&"ofac-sdn:35096".to_string()));
    // A person's name as two romanisations write it, with the birth year both give:
    // `MIKHAILOV, Sergei Petrovich` (OFAC) and `Sergey Patrovich MIKHAILOV` (UK).
    assert!(
        evidence("ofac-sdn:36831", "uk-hmt:14914").starts_with("same name as it sounds"),
        "{:?}",
        party("ofac-sdn:36831")
    );
    // Hassan Dahir AWEYS, whose name nine listings carry: OFAC's two, the UN's,
    // the UK's, Australia's and Japan's.
    assert_in_party(
        "un-sc:111944",
        &[
            "ofac-sdn:11744",
            "ofac-sdn:7006",
            "jp-mof:2-268",
            "au-dfat:1141",
        ],
    );
    // `GADDAFI, Mutassim` (OFAC) and `MUTASSIM QADHAFI` (UN), both born 1975.
    assert_in_party("ofac-sdn:12609", &["un-sc:690775"]);
    // Sberbank of Moscow on five lists, by name, registration number and OFAC's number.
    assert_in_party(
        "au-dfat:6771",
        &[
            "ca-sema:russia-2-6",
            "jp-mof:30-8",
            "uk-hmt:15076",
            "ofac-sdn:17018",
        ],
    );
}

#[test]
fn listings_that_are_two_parties_stay_apart() {
    let apart = |a: &str, b: &str| {
        let group = party(a);
        assert!(!group.contains(&b.to_string()), "{a} and {b}: {group:?}");
    };
    // One list entering two companies of one name under two legal forms.
    apart("ofac-sdn:11318", "ofac-sdn:11319");
    // Two men of one name, born 31 Jan 1953 and 19 Apr 1952.
    apart("ofac-sdn:16688", "ofac-sdn:36799");
    // JSC Sberbank of Almaty is not Sberbank of Moscow.
    apart("au-dfat:6771", "us-csl:18715");
    // The Bank of Russia is not Bank Rossiya, whatever an alias says.
    apart("au-dfat:6686", "au-dfat:2780");
    // The IRGC is not its Qods Force.
    apart("ofac-sdn:10391", "ofac-sdn:10465");
}

#[test]
fn the_same_lists_give_the_same_groups() {
    let again = Index::build(common::every_bundled_entity(), vec!["test".into()]);
    for id in [
        "au-dfat:6771",
        "un-sc:113458",
        "ofac-sdn:35096",
        "us-csl:17022",
    ] {
        let mut other: Vec<String> = std::iter::once(id.to_string())
            .chain(again.other_listings(id).into_iter().map(|l| l.entity_id))
            .collect();
        other.sort();
        assert_eq!(party(id), other, "{id}");
    }
}

#[test]
fn a_name_alike_in_sound_joins_two_persons_only_with_the_birth_year_both_give() {
    let person = |source: SourceId, id: &str, name: &str, born: Option<i32>| {
        let mut e = Entity::new(source, id, Schema::Person);
        e.names.push(Name::new(name, NameKind::Primary));
        e.birth_dates
            .extend(born.map(|y| DateValue::exact(PartialDate::year(y), &y.to_string())));
        e
    };
    let joined = |ofac_born: Option<i32>, un_born: Option<i32>| {
        let index = Index::build(
            vec![
                person(SourceId::OfacSdn, "1", "GADDAFI, Mutassim", ofac_born),
                person(SourceId::UnSc, "2", "MUTASSIM QADHAFI", un_born),
            ],
            vec!["test".into()],
        );
        !index.other_listings("ofac-sdn:1").is_empty()
    };
    assert!(joined(Some(1975), Some(1975)));
    assert!(joined(Some(1975), Some(1976)));
    // Without a birth year on one side, a name alike in sound is only a resemblance.
    assert!(!joined(Some(1975), None));
    assert!(!joined(None, None));
    // Born years apart, they are two people.
    assert!(!joined(Some(1975), Some(1980)));
}
