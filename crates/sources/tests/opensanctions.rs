//! OpenSanctions FtM parser, against the real exports in `testdata/opensanctions`
//! and small hand-written lines for the shapes those files do not contain.

use std::collections::BTreeMap;

use redline_model::{Entity, IdKind, NameKind, Relation, Schema};
use redline_sources::opensanctions::parse_files;
use redline_sources::{InputFile, ParsedList, SourceError};

const ZALA: &str = "opensanctions/zala-entities.ftm.json";
const T1: &str = "opensanctions/t1-entities.ftm.json";

/// LLC CST, trading as ZALA AERO GROUP.
const ZALA_AERO_GROUP: &str = "opensanctions:NK-abdzbEBkqyT29GyREbiURZ";
/// JSC Zala Aero, its 2024 successor.
const ZALA_AERO_JSC: &str = "opensanctions:NK-cPks3aTbes8k4aCerfBAzN";
const ZAKHAROV: &str = "opensanctions:NK-aU5ybkbRFJucf8YMwsJvDw";
const KALASHNIKOV: &str = "opensanctions:NK-nR5AXM9AVPq4pQaSPSaVam";
const TRANSKOMPLEKT: &str = "opensanctions:NK-DSxJ9ZzHxBBMyEMnnTBhai";
const SVETLANA: &str = "opensanctions:NK-DQ98GPMgdVH8DSZd8g9Xtc";

fn read(path: &str) -> Vec<u8> {
    redline_testdata::bytes(path)
}

fn parse_one(name: &str, bytes: &[u8]) -> Result<ParsedList, SourceError> {
    parse_files(&[InputFile { name, bytes }])
}

fn zala() -> ParsedList {
    parse_one("zala-entities.ftm.json", &read(ZALA)).expect("zala file parses")
}

fn entity<'a>(list: &'a ParsedList, id: &str) -> &'a Entity {
    list.entity(id).unwrap_or_else(|| panic!("{id} not loaded"))
}

fn by_schema(list: &ParsedList) -> BTreeMap<Schema, usize> {
    let mut counts = BTreeMap::new();
    for e in &list.entities {
        *counts.entry(e.schema).or_default() += 1;
    }
    counts
}

fn names_of(e: &Entity, kind: NameKind) -> Vec<&str> {
    e.names_of(kind).collect()
}

#[test]
fn zala_file_counts_things_only() {
    let list = zala();
    assert_eq!(list.report.records, 91);
    // 6 Person + 11 Company; the 74 Sanction, Ownership, Address, Family,
    // Directorship and Passport lines are folded into them.
    assert_eq!(
        by_schema(&list),
        BTreeMap::from([(Schema::Person, 6), (Schema::Organization, 11)])
    );
    assert_eq!(list.report.entities, 17);
    assert_eq!(
        list.report.links,
        list.entities.iter().map(|e| e.links.len()).sum::<usize>()
    );
    // 14 ownerships on both sides, 3 directorships and 4 family links on one side.
    assert_eq!(list.report.links, 14 * 2 + 3 + 4);
    assert!(list
        .entities
        .iter()
        .all(|e| e.id.starts_with("opensanctions:")));
    assert!(list
        .report
        .warnings
        .iter()
        .all(|w| w.location.starts_with("zala-entities.ftm.json:")));
}

#[test]
fn t1_file_counts_things_only() {
    let list = parse_one("t1-entities.ftm.json", &read(T1)).expect("t1 parses");
    // The last line has no newline at the end: it is still read.
    assert_eq!(list.report.records, 7);
    assert_eq!(
        by_schema(&list),
        BTreeMap::from([(Schema::Person, 4), (Schema::Organization, 2)])
    );
}

#[test]
fn zala_aero_names() {
    let list = zala();
    let cst = entity(&list, ZALA_AERO_GROUP);
    assert_eq!(cst.schema, Schema::Organization);
    // The caption OpenSanctions displays is the primary name.
    assert_eq!(cst.caption(), "LLC CST");
    assert_eq!(names_of(cst, NameKind::Primary), ["LLC CST"]);
    let strong = names_of(cst, NameKind::StrongAlias);
    for name in [
        "Zala Aero",
        "Zala Aero Group",
        "LLC CST (Zala Aero Group)",
        "ZALA AERO GROUP—Unmanned Systems",
        "ЗАЛА АЭРО",
        "ザラ・アエロ・グループ",
    ] {
        assert!(strong.contains(&name), "{name} missing from {strong:?}");
    }
    // `weakAlias` values that are not also strong names stay weak.
    let weak = names_of(cst, NameKind::WeakAlias);
    assert!(weak.contains(&"TsST LLC"));
    assert!(weak.contains(&"ZALA"));
    // "Limited Liability Company CST" is both an alias and a weak alias: kept once, strong.
    assert_eq!(
        cst.names
            .iter()
            .filter(|n| n.text == "Limited Liability Company CST")
            .map(|n| n.kind)
            .collect::<Vec<_>>(),
        [NameKind::StrongAlias]
    );
    // No text twice.
    let mut texts: Vec<&str> = cst.names.iter().map(|n| n.text.as_str()).collect();
    texts.sort_unstable();
    let total = texts.len();
    texts.dedup();
    assert_eq!(texts.len(), total);

    let jsc = entity(&list, ZALA_AERO_JSC);
    assert_eq!(jsc.caption(), "Акціонерне товариство \"Зала Аеро\"");
    assert!(names_of(jsc, NameKind::StrongAlias).contains(&"ZALA AERO JSC"));
    let jsc_strong = names_of(jsc, NameKind::StrongAlias);
    assert!(jsc_strong.contains(&"Aktsionerne tovarystvo \"Zala Aero\""));
}

/// A link as (target id, percentage, start date, end date).
type LinkRow<'a> = (&'a str, Option<f64>, Option<&'a str>, Option<&'a str>);

#[test]
fn zala_aero_ownership_links_as_the_file_states() {
    let list = zala();
    let cst = entity(&list, ZALA_AERO_GROUP);
    let mut owners: Vec<LinkRow> = cst
        .links
        .iter()
        .filter(|l| l.relation == Relation::OwnedBy)
        .map(|l| {
            (
                l.target_id.as_deref().unwrap_or(""),
                l.percentage,
                l.start_date.as_deref(),
                l.end_date.as_deref(),
            )
        })
        .collect();
    owners.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    assert_eq!(
        owners,
        [
            (SVETLANA, Some(1.0), Some("2022-01-17"), Some("2023-03-02")),
            (
                TRANSKOMPLEKT,
                Some(2.0),
                Some("2019-05-24"),
                Some("2023-12-21")
            ),
            (ZAKHAROV, Some(48.0), Some("2015-11-25"), Some("2023-12-21")),
            (ZAKHAROV, Some(50.0), Some("2015-11-25"), Some("2023-03-02")),
            (ZAKHAROV, Some(51.0), Some("2015-11-25"), None),
            // "subsidiary of", no percentage in the file: none invented.
            (KALASHNIKOV, None, None, None),
            (KALASHNIKOV, Some(49.0), Some("2016-03-29"), None),
        ]
    );
    let kalashnikov_link = cst
        .links
        .iter()
        .find(|l| l.target_id.as_deref() == Some(KALASHNIKOV))
        .expect("Kalashnikov link");
    assert_eq!(
        kalashnikov_link.target_name.as_deref(),
        Some("JSC Kalashnikov Concern")
    );

    // The same ownerships, seen from the owner.
    let zakharov = entity(&list, ZAKHAROV);
    let mut shares: Vec<f64> = zakharov
        .links
        .iter()
        .filter(|l| l.relation == Relation::Owns && l.target_id.as_deref() == Some(ZALA_AERO_GROUP))
        .filter_map(|l| l.percentage)
        .collect();
    shares.sort_by(f64::total_cmp);
    assert_eq!(shares, [48.0, 50.0, 51.0]);
    assert!(zakharov
        .links
        .iter()
        .filter(|l| l.relation == Relation::Owns)
        .all(|l| l.target_name.is_some()));

    // JSC Zala Aero: owned by Zakharov, share not stated.
    let jsc = entity(&list, ZALA_AERO_JSC);
    let owned_by: Vec<_> = jsc
        .links
        .iter()
        .filter(|l| l.relation == Relation::OwnedBy)
        .collect();
    assert_eq!(owned_by.len(), 1);
    assert_eq!(owned_by[0].target_id.as_deref(), Some(ZAKHAROV));
    assert_eq!(
        owned_by[0].target_name.as_deref(),
        Some("Alexander Vyacheslavovich ZAKHAROV")
    );
    assert_eq!(owned_by[0].percentage, None);
    assert_eq!(owned_by[0].start_date.as_deref(), Some("2024-03-22"));
    assert_eq!(owned_by[0].end_date.as_deref(), Some("2024-06-24"));
}

#[test]
fn other_relationships_are_links_on_the_first_party() {
    let list = zala();
    let zakharov = entity(&list, ZAKHAROV);
    let directs: Vec<_> = zakharov
        .links
        .iter()
        .filter(|l| l.relation == Relation::Other("directorship".into()))
        .map(|l| l.target_name.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(directs.len(), 2);
    assert!(directs.contains(&"LLC CST"));
    // Family links point from the relative named in `person` to the one in `relative`.
    let nikita = entity(&list, "opensanctions:NK-JseaPJctnK9o8wrmz8xmoT");
    let family: Vec<_> = nikita
        .links
        .iter()
        .filter(|l| l.relation == Relation::Other("family".into()))
        .collect();
    assert_eq!(family.len(), 1);
    assert_eq!(family[0].target_id.as_deref(), Some(ZAKHAROV));
}

#[test]
fn person_with_birth_date_and_nationality() {
    let list = zala();
    let maria = entity(&list, "opensanctions:NK-2Tbri3s6GgNtAwsSXh4qpL");
    assert_eq!(maria.schema, Schema::Person);
    assert_eq!(maria.caption(), "Maria Aleksandrovna Osetrova");
    assert_eq!(maria.birth_dates.len(), 1);
    assert_eq!(maria.birth_dates[0].date.to_string(), "1988-01-07");
    assert_eq!(maria.birth_dates[0].precision(), "day");
    assert_eq!(maria.nationalities, ["ru"]);
    assert_eq!(maria.citizenships, ["ru"]);
    assert_eq!(maria.gender.as_deref(), Some("female"));
    assert!(maria.birth_places.contains(&"Izhevsk".to_string()));
    // `previousName` is a former name with its note.
    let previous = maria
        .names
        .iter()
        .find(|n| n.text == "Maria Aleksandrovna Zakharova")
        .expect("previous name");
    assert_eq!(previous.kind, NameKind::FormerName);
    assert_eq!(previous.note.as_deref(), Some("previous name"));
    assert!(maria
        .identifiers
        .iter()
        .any(|i| i.kind == IdKind::TaxId && i.value == "183116181362"));
    assert!(maria
        .remarks
        .as_deref()
        .unwrap_or("")
        .contains("The Director Disqualification Sanction was imposed on 09/04/2025."));

    let t1 = parse_one("t1-entities.ftm.json", &read(T1)).expect("t1 parses");
    let kuzmenko = entity(&t1, "opensanctions:NK-2Ka3UvopqbpZmVDFjWd4LA");
    assert_eq!(kuzmenko.birth_dates[0].date.to_string(), "1971-01-22");
    assert_eq!(kuzmenko.nationalities, ["ru"]);
    assert_eq!(
        kuzmenko.properties["position"],
        ["General Director of JSC 163 Armor Repair Plant"]
    );
    assert_eq!(kuzmenko.properties["datasets"], ["eu_fsf"]);
}

#[test]
fn sanctions_are_folded_into_their_target() {
    let list = zala();
    let cst = entity(&list, ZALA_AERO_GROUP);
    for program in ["EU-UKR", "GB-RUS", "AU-RUSSIA", "US-BIS-EL", "NZ-RSA2022"] {
        assert!(cst.programs.iter().any(|p| p == program), "{program}");
    }
    // A sanction without a programme code contributes its programme name.
    assert!(cst.programs.iter().any(|p| p == "Reciprocal"));
    // The earliest start or listing date of its 28 sanctions (Ukraine, 556/2021).
    assert_eq!(cst.listed_on.as_deref(), Some("2021-10-30"));
    let authorities = &cst.properties["sanction_authority"];
    assert!(authorities.iter().any(|a| a == "Ministry of Finance"));
    assert!(authorities.iter().any(|a| a == "Global Affairs Canada"));
    assert!(cst.properties["sanction_program"]
        .iter()
        .any(|p| p == "The Russia (Sanctions) (EU Exit) Regulations 2019"));
    assert!(!cst.properties.contains_key("sanction_entity"));

    let zakharov = entity(&list, ZAKHAROV);
    assert_eq!(zakharov.listed_on.as_deref(), Some("2023-07-01"));
    assert!(zakharov.programs.iter().any(|p| p == "SECO-UKRAINE"));
}

#[test]
fn addresses_and_identifiers() {
    let list = zala();
    let cst = entity(&list, ZALA_AERO_GROUP);
    // An `addressEntity` found in the file keeps its parts.
    let structured = cst
        .addresses
        .iter()
        .find(|a| a.full == "130 Vorovskogo St., Izhevsk, 436063")
        .expect("address entity resolved");
    assert_eq!(structured.city.as_deref(), Some("Izhevsk"));
    assert_eq!(structured.postal_code.as_deref(), Some("436063"));
    assert_eq!(structured.country.as_deref(), Some("ru"));
    // The plain `address` repeating it in capitals is not added again.
    assert!(!cst
        .addresses
        .iter()
        .any(|a| a.full == "130 VOROVSKOGO ST., IZHEVSK, 436063"));
    let kinds = |value: &str| -> Vec<&IdKind> {
        cst.identifiers
            .iter()
            .filter(|i| i.value == value)
            .map(|i| &i.kind)
            .collect()
    };
    assert_eq!(kinds("1101841007938"), [&IdKind::Registration]);
    assert!(kinds("1841015504").contains(&&IdKind::TaxId));
    assert_eq!(kinds("771501001"), [&IdKind::Other("kppCode".into())]);
    assert_eq!(cst.countries, ["ru"]);
    assert!(cst.properties["website"].contains(&"https://zala-aero.com/".to_string()));
    assert_eq!(cst.properties["established"], ["2010-12-24"]);
}

#[test]
fn files_are_merged() {
    let zala = read(ZALA);
    let t1 = read(T1);
    let list = parse_files(&[
        InputFile {
            name: "zala-entities.ftm.json",
            bytes: &zala,
        },
        InputFile {
            name: "t1-entities.ftm.json",
            bytes: &t1,
        },
    ])
    .expect("both parse");
    assert_eq!(list.report.records, 98);
    assert_eq!(
        by_schema(&list),
        BTreeMap::from([(Schema::Person, 10), (Schema::Organization, 13)])
    );

    // The same id in two files is one entity with the properties of both.
    let a = br#"{"id": "x1", "schema": "Person", "properties": {"name": ["Ivan PETROV"], "birthDate": ["1970"]}, "datasets": ["a"]}"#;
    let b = br#"{"id": "x1", "schema": "Person", "properties": {"name": ["Ivan Petrov"], "nationality": ["ru"]}, "datasets": ["b"]}"#;
    let list = parse_files(&[
        InputFile {
            name: "a.json",
            bytes: a,
        },
        InputFile {
            name: "b.json",
            bytes: b,
        },
    ])
    .expect("parses");
    assert_eq!(list.entities.len(), 1);
    let e = &list.entities[0];
    assert_eq!(e.caption(), "Ivan PETROV");
    assert_eq!(names_of(e, NameKind::StrongAlias), ["Ivan Petrov"]);
    assert_eq!(e.birth_dates[0].precision(), "year");
    assert_eq!(e.nationalities, ["ru"]);
    assert_eq!(e.properties["datasets"], ["a", "b"]);
}

#[test]
fn broken_json_line_fails_naming_the_line() {
    let zala = read(ZALA);
    let first = zala.split(|&b| b == b'\n').next().expect("a line");
    let mut bytes = first.to_vec();
    bytes.extend_from_slice(b"\n\n{\"id\": \"x\", \"schema\": \"Person\", \"properties\": {\n");
    let err = parse_one("broken.json", &bytes).expect_err("broken JSON is an error");
    match &err {
        SourceError::Malformed { file, line, .. } => {
            assert_eq!(file, "broken.json");
            assert_eq!(*line, 3);
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert!(err.to_string().starts_with("broken.json:3:"), "{err}");
}

#[test]
fn entity_without_id_or_schema_fails() {
    let err = parse_one("a.json", br#"{"schema": "Person", "properties": {}}"#).expect_err("no id");
    assert!(err.to_string().contains("a.json:1:") && err.to_string().contains("id"));
    let err =
        parse_one("a.json", b"\n{\"id\": \"p1\", \"properties\": {}}").expect_err("no schema");
    assert!(err.to_string().starts_with("a.json:2:") && err.to_string().contains("schema"));
    let err = parse_one("a.json", b"[1, 2]").expect_err("not an object");
    assert!(err.to_string().starts_with("a.json:1:"));
}

#[test]
fn non_utf8_bytes_fail() {
    let mut bytes = br#"{"id": "p1", "schema": "Person", "properties": {"name": ["A"]}}"#.to_vec();
    bytes.extend_from_slice(
        b"\n{\"id\": \"p2\", \"schema\": \"Person\", \"properties\": {\"name\": [\"\xff\xfe\"]}}\n",
    );
    let err = parse_one("latin1.json", &bytes).expect_err("not UTF-8");
    match err {
        SourceError::Malformed { line, message, .. } => {
            assert_eq!(line, 2);
            assert!(message.contains("UTF-8"), "{message}");
        }
        other => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn nested_entities_are_read_like_ids() {
    // The "nested" export shape: the ownership sits inside its owner and leaves out
    // the `owner` property; the asset and the address are embedded objects.
    let line = r#"{"id": "p1", "schema": "Person", "caption": "Ivan Petrov",
        "properties": {"name": ["Ivan Petrov"],
          "addressEntity": [{"id": "a1", "schema": "Address", "properties": {"full": ["1 Main St, Riga"], "city": ["Riga"], "country": ["lv"]}}],
          "ownershipOwner": [{"id": "o1", "schema": "Ownership", "properties": {
              "percentage": ["25,5%"],
              "asset": [{"id": "c1", "schema": "Company", "properties": {"name": ["Petrov Trading LLC"]}}]}}],
          "sanctions": [{"id": "s1", "schema": "Sanction", "properties": {"program": ["Some programme"], "listingDate": ["2022-03-15"]}}]}}"#
        .replace('\n', " ");
    let list = parse_one("nested.json", line.as_bytes()).expect("parses");
    assert_eq!(list.report.records, 1);
    assert_eq!(list.entities.len(), 2);
    let person = entity(&list, "opensanctions:p1");
    assert_eq!(person.links.len(), 1);
    assert_eq!(person.links[0].relation, Relation::Owns);
    assert_eq!(
        person.links[0].target_id.as_deref(),
        Some("opensanctions:c1")
    );
    assert_eq!(
        person.links[0].target_name.as_deref(),
        Some("Petrov Trading LLC")
    );
    assert_eq!(person.links[0].percentage, Some(25.5));
    assert_eq!(person.addresses.len(), 1);
    assert_eq!(person.addresses[0].city.as_deref(), Some("Riga"));
    assert_eq!(person.programs, ["Some programme"]);
    assert_eq!(person.listed_on.as_deref(), Some("2022-03-15"));
    // The embedded objects are not kept as property values.
    assert!(!person.properties.contains_key("ownership_owner"));
    assert!(!person.properties.contains_key("sanctions"));
    let company = entity(&list, "opensanctions:c1");
    assert_eq!(company.links[0].relation, Relation::OwnedBy);
    assert_eq!(
        company.links[0].target_id.as_deref(),
        Some("opensanctions:p1")
    );
    assert!(
        list.report.warnings.is_empty(),
        "{:?}",
        list.report.warnings
    );
}

#[test]
fn missing_party_unknown_schema_and_odd_percentages_are_reported() {
    let text = [
        r#"{"id": "c1", "schema": "Company", "properties": {"name": ["Alpha LLC"]}}"#,
        "",
        r#"{"id": "o1", "schema": "Ownership", "properties": {"owner": ["c1"], "asset": ["elsewhere"], "percentage": ["50%"]}}"#,
        r#"{"id": "o2", "schema": "Ownership", "properties": {"owner": ["c1"], "asset": ["c2"], "percentage": ["about half"]}}"#,
        r#"{"id": "c2", "schema": "Company", "properties": {"name": ["Beta LLC"]}}"#,
        r#"{"id": "v1", "schema": "BankAccount", "properties": {"accountNumber": ["123"]}}"#,
        r#"{"id": "v2", "schema": "Vessel", "properties": {"name": ["SEA STAR"], "imoNumber": ["IMO 9123456"], "flag": ["pa"]}}"#,
    ]
    .join("\n");
    let list = parse_one("odd.json", text.as_bytes()).expect("parses");
    assert_eq!(list.report.records, 6);
    assert_eq!(
        by_schema(&list),
        BTreeMap::from([(Schema::Organization, 2), (Schema::Vessel, 1)])
    );
    let alpha = entity(&list, "opensanctions:c1");
    let outside = alpha
        .links
        .iter()
        .find(|l| l.target_id.as_deref() == Some("opensanctions:elsewhere"))
        .expect("link to a party outside the files is kept");
    assert_eq!(outside.relation, Relation::Owns);
    assert_eq!(outside.target_name, None);
    assert_eq!(outside.percentage, Some(50.0));
    // A percentage that is not a number is not guessed; the link stays.
    let beta = alpha
        .links
        .iter()
        .find(|l| l.target_id.as_deref() == Some("opensanctions:c2"))
        .expect("link to Beta");
    assert_eq!(beta.percentage, None);
    assert_eq!(beta.target_name.as_deref(), Some("Beta LLC"));

    let warned = |location: &str, needle: &str| {
        list.report
            .warnings
            .iter()
            .any(|w| w.location == location && w.message.contains(needle))
    };
    assert!(
        warned("odd.json:3", "elsewhere"),
        "{:?}",
        list.report.warnings
    );
    assert!(
        warned("odd.json:4", "about half"),
        "{:?}",
        list.report.warnings
    );
    assert!(
        warned("odd.json:6", "BankAccount"),
        "{:?}",
        list.report.warnings
    );

    let vessel = entity(&list, "opensanctions:v2");
    assert_eq!(vessel.identifiers[0].kind, IdKind::Imo);
    assert_eq!(vessel.identifiers[0].normalized_value(), "IMO9123456");
    assert_eq!(vessel.properties["vessel_flag"], ["pa"]);
}
