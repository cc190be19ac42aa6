//! The EU Financial Sanctions Files parser against the real extract in
//! `testdata/eu_fsf/` (7 entities as the EU publishes them).

use redline_model::{IdKind, NameKind, Schema, SourceId};
use redline_sources::{parse, InputFile, SourceError};

const PATH: &str = "eu_fsf/fsf-sample-2020-04-15.xml";

fn parse_bytes(bytes: &[u8]) -> Result<redline_sources::ParsedList, SourceError> {
    parse(SourceId::EuFsf, &[InputFile { name: PATH, bytes }])
}

#[test]
fn reads_names_births_identifications_and_regimes() {
    let list = parse_bytes(&redline_testdata::bytes(PATH)).unwrap();
    // Seven records, one of them restated under the same logical id: six parties.
    assert_eq!(list.report.records, 7);
    assert_eq!(list.entities.len(), 6);
    assert!(
        list.report.warnings.is_empty(),
        "{:?}",
        list.report.warnings
    );
    assert_eq!(list.published.as_deref(), Some("2020-04-15"));
    let zeid = list.entity("eu-fsf:5295").unwrap();
    assert_eq!(zeid.schema, Schema::Person);
    assert_eq!(zeid.caption(), "Abid Hammadou");
    let aliases: Vec<&str> = zeid
        .names
        .iter()
        .filter(|n| n.kind == NameKind::StrongAlias)
        .map(|n| n.text.as_str())
        .collect();
    assert!(aliases.contains(&"Abdelhamid Abou Zeid"), "{aliases:?}");
    assert_eq!(zeid.citizenships, ["dz"]);
    assert_eq!(zeid.programs, ["TAQA"]);
    assert_eq!(zeid.listed_on.as_deref(), Some("2008-07-03"));
    assert_eq!(zeid.birth_dates[0].date.to_string(), "1965-12-12");
    assert!(zeid.birth_dates[1].circa);
    assert!(zeid.properties["remark"][0].contains("Mother's name is Benarouba Bachira"));
    // A position is the nameAlias's `function`.
    let han = list
        .entities
        .iter()
        .find(|e| e.caption() == "Yu-ro Han")
        .unwrap();
    assert_eq!(
        han.properties["position"],
        ["Director of Korea Ryongaksan General Trading Corporation"]
    );
    assert_eq!(han.programs, ["PRK"]);
    // The EU's country `00` (UNKNOWN) is no country.
    let passports: Vec<_> = list
        .entities
        .iter()
        .flat_map(|e| &e.identifiers)
        .filter(|i| i.kind == IdKind::Passport)
        .collect();
    assert!(passports
        .iter()
        .any(|i| i.value == "488555" && i.country.is_none()));
    assert!(passports
        .iter()
        .any(|i| i.value == "L191609" && i.country.as_deref() == Some("tn")));
}

#[test]
fn a_cut_off_file_and_another_document_are_refused() {
    let bytes = redline_testdata::bytes(PATH);
    // Cut mid-tag: a syntax error naming the line.
    let err = parse_bytes(&bytes[..bytes.len() / 2]).unwrap_err();
    assert!(
        matches!(err, SourceError::Malformed { line, .. } if line > 1),
        "{err}"
    );
    // Cut after a whole entity: the open elements say it is incomplete.
    let text = String::from_utf8(bytes).unwrap();
    let end = text[..text.len() / 2].rfind("</sanctionEntity>").unwrap() + 17;
    let err = parse_bytes(&text.as_bytes()[..end]).unwrap_err();
    assert!(err.to_string().contains("truncated"), "{err}");
    let other = parse_bytes(b"<CONSOLIDATED_LIST></CONSOLIDATED_LIST>").unwrap_err();
    assert!(other.to_string().contains("expected <export>"), "{other}");
}
