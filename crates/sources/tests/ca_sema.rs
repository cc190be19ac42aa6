//! The SEMA parser against Canada's real consolidated list (April 2020) in
//! `testdata/ca_sema/`.

use redline_model::{Schema, SourceId};
use redline_sources::{parse, InputFile};

const PATH: &str = "ca_sema/sema-lmes-2020-04.xml";

fn parse_bytes(bytes: &[u8]) -> Result<redline_sources::ParsedList, redline_sources::SourceError> {
    parse(SourceId::CaSema, &[InputFile { name: PATH, bytes }])
}

#[test]
fn reads_every_record_with_its_regulation() {
    let list = parse_bytes(&redline_testdata::bytes(PATH)).unwrap();
    assert_eq!(list.report.records, 1_369);
    assert_eq!(list.entities.len(), 1_369);
    assert!(
        list.report.warnings.is_empty(),
        "{:?}",
        list.report.warnings
    );
    let persons = list
        .entities
        .iter()
        .filter(|e| e.schema == Schema::Person)
        .count();
    assert_eq!(persons, 985, "GivenName/LastName records");
    let air_bagan = list.entity("ca-sema:burma-1-1").unwrap();
    assert_eq!(air_bagan.caption(), "Air Bagan");
    assert_eq!(air_bagan.names.len(), 3, "two aliases");
    assert_eq!(air_bagan.programs, ["Burma"]);
    let than_shwe = list
        .entities
        .iter()
        .find(|e| e.caption() == "Than Shwe")
        .unwrap();
    assert_eq!(than_shwe.birth_dates[0].date.to_string(), "1933-02-02");
    let russia = list
        .entities
        .iter()
        .filter(|e| e.programs.iter().any(|p| p == "Russia"))
        .count();
    assert_eq!(russia, 197);
}

#[test]
fn a_cut_off_file_is_refused() {
    let bytes = redline_testdata::bytes(PATH);
    let text = String::from_utf8(bytes).unwrap();
    let end = text[..text.len() / 2].rfind("</record>").unwrap() + 9;
    let err = parse_bytes(&text.as_bytes()[..end]).unwrap_err();
    assert!(err.to_string().contains("truncated"), "{err}");
}
