//! Declared HS codes against goods lists: every CHPL code in every usual format,
//! invalid codes as errors, operator lists loaded from CSV bytes, and malformed lists
//! rejected with the file and line.

use redline_goods::{
    CodeLevel, GoodsError, GoodsList, HsCode, HsCodeError, MatchedBy, Nomenclature,
};

/// The formats a declared code arrives in, built from the HS-6 digits.
fn formats(d: &str) -> Vec<String> {
    let (h, s) = (&d[..4], &d[4..6]);
    vec![
        d.to_string(),
        format!("{h}.{s}"),
        format!("{h} {s}"),
        format!("{h}.{s}.00"),
        format!("{h}.{s}.90"),
        format!("{h}{s}00"),
        format!("{h}.{s}.0000"),
        format!("{h}{s}0000"),
        format!("{h}{s}9010"),
        format!("{h} {s} 00 00"),
        format!(" {h}.{s}.00.10 "),
        format!("{h}-{s}-00"),
    ]
}

#[test]
fn every_chpl_code_is_found_in_every_format() {
    let list = GoodsList::builtin();
    assert_eq!(list.items().len(), 50);
    for item in list.items() {
        let digits: String = item.hs_code.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(digits.len(), 6, "{}", item.hs_code);
        let mut declared = formats(&digits);
        declared.push(item.hs_code.clone());
        for code in declared {
            let hits = list
                .match_code(&code)
                .unwrap_or_else(|e| panic!("{code:?}: {e}"));
            assert_eq!(hits.len(), 1, "{code:?}: {hits:?}");
            let hit = &hits[0];
            assert_eq!(hit.hs_code, item.hs_code, "{code:?}");
            assert_eq!(hit.tier, item.tier);
            assert_eq!(hit.row, item.row);
            assert_eq!(hit.list, "chpl-2024-02-23");
            assert_eq!(hit.version, list.version());
            assert_eq!(hit.matched_by, MatchedBy::HsCode);
            assert_eq!(hit.confidence, 1.0);
            assert_eq!(hit.declared_code.as_deref(), Some(code.trim()));
        }
    }
}

#[test]
fn rows_are_the_lines_of_the_list_file() {
    let list = GoodsList::builtin();
    let text = redline_goods::list::CHPL_CSV;
    let lines: Vec<&str> = text.lines().collect();
    for item in list.items() {
        let line = lines[(item.row - 1) as usize];
        assert!(line.starts_with(&format!("{},", item.hs_code)), "{line}");
    }
    assert_eq!(list.items()[0].row, 2);
    assert_eq!(list.items()[49].row, 51);
}

#[test]
fn undivided_headings_match_the_whole_heading() {
    let list = GoodsList::builtin();
    // 8548.00 and 8534.00 are headings without subheadings: any code under them
    // matches, including HS 2017's 8548.90 and national lines.
    for code in [
        "8548.00",
        "8548.00.0000",
        "8548.90",
        "85489000",
        "8548 10 90",
    ] {
        let hits = list.match_code(code).unwrap();
        assert_eq!(hits.len(), 1, "{code}");
        assert_eq!(hits[0].hs_code, "8548.00");
        assert_eq!(hits[0].tier, "Tier 2");
        assert_eq!(hits[0].level, Some(CodeLevel::Heading));
    }
    assert_eq!(list.match_code("8534.00.10").unwrap()[0].hs_code, "8534.00");
    let sub = list.match_code("8542.31.0000").unwrap();
    assert_eq!(sub[0].level, Some(CodeLevel::Subheading));
}

#[test]
fn codes_not_on_the_list_are_valid_misses() {
    let list = GoodsList::builtin();
    for code in [
        "8473.30",
        "6109.10.0010",
        "0302.11",
        "8542.90",
        "8541.41.00",
        "9030.31",
        "8482.40",
    ] {
        assert_eq!(list.match_code(code).unwrap(), Vec::new(), "{code}");
    }
}

#[test]
fn invalid_codes_are_errors_that_say_why() {
    let list = GoodsList::builtin();
    let err = list.match_code("85A2.31").unwrap_err();
    assert_eq!(
        err,
        HsCodeError::NotDigit {
            code: "85A2.31".into(),
            found: 'A'
        }
    );
    assert!(err.to_string().contains("'A' is not a digit"), "{err}");
    assert!(matches!(
        list.match_code("8542"),
        Err(HsCodeError::TooShort { digits: 4, .. })
    ));
    assert!(matches!(
        list.match_code("85.42"),
        Err(HsCodeError::TooShort { .. })
    ));
    assert!(matches!(list.match_code("   "), Err(HsCodeError::Empty)));
    assert!(matches!(
        list.match_code("chips"),
        Err(HsCodeError::NotDigit { found: 'c', .. })
    ));
    assert!(matches!(
        list.match_code("8542.31.0000.0000"),
        Err(HsCodeError::TooLong { digits: 14, .. })
    ));
    // Letters are refused even as a prefix: the field must hold the code only.
    assert!(matches!(
        HsCode::parse("HS 8542.31"),
        Err(HsCodeError::NotDigit { found: 'H', .. })
    ));
}

#[test]
fn the_nomenclature_names_any_declared_code() {
    let hs = Nomenclature::builtin();
    assert_eq!(
        hs.describe("8526.91.0000").map(|e| e.description.as_str()),
        Some("Radio navigational aid apparatus")
    );
    assert_eq!(hs.describe("8482").map(|e| e.level), Some(4));
    // Chapter 77 is reserved for future use.
    assert!(hs.describe("7799.99").is_none());
}

const EU_LIKE: &str = "hs_code,description,tier_or_category,source,note\n\
8806,Unmanned aircraft,Annex VII,EU Regulation 833/2014 (test copy),x\n\
8471 30 00,Portable automatic data processing machines,Annex XXIII,EU (test copy),\n\
8517.13,Smartphones,Annex XXIII,EU (test copy),\n";

#[test]
fn operator_lists_load_from_csv_bytes() {
    let list = GoodsList::from_csv("eu-annex-test", "annex.csv", EU_LIKE.as_bytes()).unwrap();
    assert_eq!(list.name(), "eu-annex-test");
    assert!(list.version().starts_with("eu-annex-test@"));
    assert_eq!(list.version().len(), "eu-annex-test@".len() + 12);
    assert_eq!(list.items().len(), 3);
    let drone = list.match_code("8806.22.1000").unwrap();
    assert_eq!(drone[0].tier, "Annex VII");
    assert_eq!(drone[0].row, 2);
    assert_eq!(drone[0].level, Some(CodeLevel::Heading));
    // A listed 8-digit line ending in 00 stands for its HS-6 parent.
    assert_eq!(list.match_code("8471.30.9000").unwrap()[0].row, 3);
    assert!(list.match_code("8471.41").unwrap().is_empty());
    // Description screening works against any list: "drone" points to 8806.
    let hits = list.screen_description("FPV drone with camera");
    assert_eq!(hits[0].hs_code, "8806");
    // The same bytes give the same version; other bytes another.
    let again = GoodsList::from_csv("eu-annex-test", "copy.csv", EU_LIKE.as_bytes()).unwrap();
    assert_eq!(again.version(), list.version());
    let changed = EU_LIKE.replace("Annex VII", "Annex VII bis");
    let other = GoodsList::from_csv("eu-annex-test", "annex.csv", changed.as_bytes()).unwrap();
    assert_ne!(other.version(), list.version());
    // A BOM and CRLF line ends are fine.
    let bom = format!("\u{feff}{}", EU_LIKE.replace('\n', "\r\n"));
    let crlf = GoodsList::from_csv("eu", "bom.csv", bom.as_bytes()).unwrap();
    assert_eq!(crlf.items()[2].row, 4);
}

fn load_error(text: &str) -> String {
    GoodsList::from_csv("t", "goods.csv", text.as_bytes())
        .unwrap_err()
        .to_string()
}

#[test]
fn malformed_lists_name_the_file_and_line() {
    let header = "hs_code,description,tier_or_category,source\n";
    assert_eq!(
        load_error(&format!("{header}8542.31,ICs,Tier 1,x\n85X2.32,Memories,Tier 1,x\n")),
        "goods.csv: line 3: hs_code: \"85X2.32\": 'X' is not a digit (an HS code is digits, optionally grouped with dots, spaces or hyphens)"
    );
    assert_eq!(
        load_error(&format!(
            "{header}8542.31,ICs,Tier 1,x\n8542.32,Memories,Tier 1\n"
        )),
        "goods.csv: line 3: 3 fields where the header has 4"
    );
    assert_eq!(
        load_error(&format!("{header}8542.31,ICs,,x\n")),
        "goods.csv: line 2: tier_or_category: empty"
    );
    assert_eq!(
        load_error(&format!(
            "{header}8542.31,ICs,Tier 1,x\n8542,Heading,Tier 1,x\n854231,Again,Tier 2,x\n"
        )),
        "goods.csv: line 4: hs_code \"854231\" is already listed on line 2 (as 8542.31)"
    );
    assert_eq!(
        load_error(&format!("{header}854,Too short,Tier 1,x\n")),
        "goods.csv: line 2: hs_code: \"854\": 3 digits is too short; at least 4 are needed"
    );
    assert_eq!(
        load_error("code,description,tier,source\n8542.31,x,Tier 1,x\n"),
        "goods.csv: line 1: header has no column \"hs_code\" (expected hs_code,description,tier_or_category,source)"
    );
    assert_eq!(load_error(header), "goods.csv: no rows after the header");
    let mut bytes = format!("{header}8542.31,ICs,Tier 1,x\n8542.32,").into_bytes();
    bytes.extend_from_slice(b"Mem\xff,Tier 1,x\n");
    let err = GoodsList::from_csv("t", "goods.csv", &bytes).unwrap_err();
    assert!(matches!(&err, GoodsError::Line { line: 3, .. }), "{err}");
    assert!(GoodsList::from_csv(" ", "goods.csv", header.as_bytes()).is_err());
}
