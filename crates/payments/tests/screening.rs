//! Screening real payment messages (`testdata/payments`) against the real lists
//! (OFAC SDN 2024-05-03 and the UN consolidated list), with listed parties swapped
//! into real messages by editing their text — never by building structs — so the
//! parsers' field paths are exercised end to end.

mod common;

use redline_matching::Index;
use redline_payments::{
    parse, screen_bytes, screen_payment, Decision, Hit, ListLookups, Policy, ScreenError, Verdict,
};
use std::path::PathBuf;
use std::sync::OnceLock;

struct Lists {
    index: Index,
    lookups: ListLookups,
    policy: Policy,
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let index = Index::build(common::bundled_entities(), common::versions());
        let lookups = ListLookups::build(&index);
        Lists {
            index,
            lookups,
            policy: Policy::default_policy(),
        }
    })
}

fn screen(bytes: &[u8]) -> Decision {
    let l = lists();
    screen_bytes(bytes, Some(&l.index), &l.lookups, &l.policy)
        .unwrap_or_else(|e| panic!("not screened: {e}"))
}

fn sample(rel: &str) -> String {
    redline_testdata::text(&format!("payments/{rel}"))
}

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    redline_testdata::files(&format!("payments/{dir}"), ext)
}

/// Replaces exactly one occurrence of `from`, so an edit can never silently miss.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

fn hits_at<'a>(d: &'a Decision, field: &str) -> Vec<&'a Hit> {
    d.hits.iter().filter(|h| h.field == field).collect()
}

fn summary(d: &Decision) -> String {
    d.hits
        .iter()
        .map(|h| {
            format!(
                "  {} {} {} {}: {}",
                h.action, h.kind, h.field, h.value, h.reason
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ------------------------------------------------------------------ every sample

/// Samples whose verdict is not PASS for a real reason, with the (kind, value,
/// entity) of every hit allowed to explain it. Everything else must PASS.
fn expected_not_pass(file: &str) -> Option<(Verdict, Vec<(&'static str, &'static str)>)> {
    // A pain.001 paying via a Russian creditor agent (`<Ctry>RU</Ctry>`, address line
    // "Russia"): the shipped policy holds Russia for review (EO 14114). Its clearing
    // code (RUCBC BIK 044525593) is the BIK the SDN list gives for JOINT STOCK
    // COMPANY ALFA-BANK (ofac-sdn:34682), although the agent is named "UNICREDIT BANK
    // AO": a listed bank's identifier, rightly held.
    (file == "International_payment_RUB_naujas_1.xml").then(|| {
        (
            Verdict::Hold,
            vec![("country", "RU"), ("identifier", "044525593")],
        )
    })
}

#[test]
fn every_sample_message_is_screened_and_clean_ones_pass() {
    let mut all: Vec<PathBuf> = Vec::new();
    for dir in ["iso20022/cbprplus", "iso20022/misc"] {
        all.extend(files(dir, "xml"));
    }
    all.extend(files("swift_mt", "fin"));
    assert_eq!(all.len(), 55 + 9 + 50);
    let mut failures = Vec::new();
    for path in &all {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let d = screen(&bytes);
        assert!(d.screened.parties > 0, "{file}: nothing screened");
        match expected_not_pass(&file) {
            Some((verdict, allowed)) => {
                let explained = d
                    .hits
                    .iter()
                    .all(|h| h.action == verdict && allowed.contains(&(h.kind, h.value.as_str())));
                if d.decision != verdict || !explained {
                    failures.push(format!("{file}: {}\n{}", d.decision, summary(&d)));
                }
            }
            None if d.decision != Verdict::Pass => {
                failures.push(format!("{file}: {}\n{}", d.decision, summary(&d)))
            }
            None => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ------------------------------------------------- a listed bank swapped into a pacs.008

const PACS008: &str = "iso20022/cbprplus/cbprplus_p.2.1.1_pacs.008-AtoB.xml";
const CDTR_NM: &str = "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Cdtr/Nm";
const CDTR_AGT_BIC: &str = "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/CdtrAgt/FinInstnId/BICFI";

/// The creditor's name element of the sample, as sent.
fn creditor_name_element(xml: &str) -> String {
    let cdtr = xml.find("<Cdtr>").expect("sample has a creditor");
    let start = cdtr + xml[cdtr..].find("<Nm>").unwrap();
    let end = start + xml[start..].find("</Nm>").unwrap() + "</Nm>".len();
    xml[start..end].to_string()
}

#[test]
fn the_sample_pacs008_passes_as_sent() {
    let d = screen(sample(PACS008).as_bytes());
    assert_eq!(d.decision, Verdict::Pass, "{}", summary(&d));
    assert!(
        d.screened.names >= 2 && d.screened.bics >= 3,
        "{:?}",
        d.screened
    );
}

#[test]
fn listed_russian_bank_as_creditor_in_latin_is_stopped() {
    let xml = sample(PACS008);
    let edited = replace_once(
        &xml,
        &creditor_name_element(&xml),
        "<Nm>PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA</Nm>",
    );
    let d = screen(edited.as_bytes());
    assert_eq!(d.decision, Verdict::Block, "{}", summary(&d));
    let hit = hits_at(&d, CDTR_NM)
        .into_iter()
        .find(|h| h.entity_id.as_deref() == Some("ofac-sdn:17018"))
        .unwrap_or_else(|| panic!("no hit on the creditor name:\n{}", summary(&d)));
    assert_eq!((hit.kind, hit.action), ("name", Verdict::Block));
    assert_eq!(hit.role.as_deref(), Some("creditor"));
    assert!(
        hit.reason.starts_with(
            "creditor name matches OFAC SDN entry PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA"
        ),
        "{}",
        hit.reason
    );
    assert!(hit.explanation.is_some());

    // The short form a payer would type: a strong match, held for review.
    let edited = replace_once(
        &xml,
        &creditor_name_element(&xml),
        "<Nm>Sberbank of Russia</Nm>",
    );
    let d = screen(edited.as_bytes());
    assert!(d.decision >= Verdict::Hold, "{}", summary(&d));
    assert!(
        hits_at(&d, CDTR_NM)
            .iter()
            .any(|h| h.entity_id.as_deref() == Some("ofac-sdn:17018") && h.action >= Verdict::Hold),
        "{}",
        summary(&d)
    );
}

#[test]
fn listed_russian_bank_as_creditor_in_cyrillic_is_stopped() {
    // The lists carry no Cyrillic name for Sberbank: the name is matched through its
    // romanisation ("PAO Sberbank", "Sberbank Rossii").
    let xml = sample(PACS008);
    for (name, entity) in [
        ("ПАО Сбербанк России", "ofac-sdn:17018"),
        // Without "of Russia" the name is that of a listed subsidiary, "JOINT STOCK
        // COMPANY SBERBANK" (Kazakhstan): still a listed party.
        ("ПАО Сбербанк", "ofac-sdn:18715"),
    ] {
        let edited = replace_once(
            &xml,
            &creditor_name_element(&xml),
            &format!("<Nm>{name}</Nm>"),
        );
        let d = screen(edited.as_bytes());
        assert!(d.decision >= Verdict::Hold, "{name}: {}", summary(&d));
        let hit = hits_at(&d, CDTR_NM)
            .into_iter()
            .find(|h| h.entity_id.as_deref() == Some(entity))
            .unwrap_or_else(|| panic!("{name}: no hit on {entity}:\n{}", summary(&d)));
        assert_eq!(hit.value, name);
        assert!(hit.score.unwrap() >= lists().policy.hold_threshold());
    }
}

#[test]
fn listed_bic_in_the_creditor_agent_blocks_whatever_the_branch() {
    let xml = sample(PACS008);
    let agent_bic = {
        let agt = xml.find("<CdtrAgt>").unwrap();
        let s = agt + xml[agt..].find("<BICFI>").unwrap();
        let e = s + xml[s..].find("</BICFI>").unwrap() + "</BICFI>".len();
        xml[s..e].to_string()
    };
    assert_eq!(
        xml.matches(&agent_bic).count(),
        1,
        "{agent_bic} used elsewhere"
    );
    // The SDN entry lists SABRRUMM (BIC8): it covers the head office and every branch.
    for bic in ["SABRRUMM", "SABRRUMMXXX", "SABRRUMM012"] {
        let edited = replace_once(&xml, &agent_bic, &format!("<BICFI>{bic}</BICFI>"));
        let d = screen(edited.as_bytes());
        assert_eq!(d.decision, Verdict::Block, "{bic}: {}", summary(&d));
        let hit = hits_at(&d, CDTR_AGT_BIC)
            .into_iter()
            .find(|h| h.kind == "bic")
            .unwrap_or_else(|| panic!("{bic}: no BIC hit:\n{}", summary(&d)));
        assert_eq!(hit.entity_id.as_deref(), Some("ofac-sdn:17018"));
        assert_eq!(hit.action, Verdict::Block);
        assert_eq!(hit.role.as_deref(), Some("creditor_agent"));
        assert!(hit.reason.contains("SABRRUMM"), "{}", hit.reason);
        // The BIC's country is Russia: a policy review on top, never instead.
        assert!(hits_at(&d, CDTR_AGT_BIC)
            .iter()
            .any(|h| h.kind == "country" && h.value == "RU" && h.action == Verdict::Hold));
    }
    // Same first 4 letters, another institution: nothing listed.
    let edited = replace_once(&xml, &agent_bic, "<BICFI>SABRGB2L</BICFI>");
    let d = screen(edited.as_bytes());
    assert!(hits_at(&d, CDTR_AGT_BIC).is_empty(), "{}", summary(&d));
}

#[test]
fn listed_branch_bic_lei_and_their_siblings() {
    let l = lists();
    let xml = sample(PACS008);
    let agt = xml.find("<CdtrAgt>").unwrap();
    let s = agt + xml[agt..].find("<BICFI>").unwrap();
    let e = s + xml[s..].find("</BICFI>").unwrap() + "</BICFI>".len();
    let agent_bic = &xml[s..e];
    let with_bic = |bic: &str| format!("{}<BICFI>{bic}</BICFI>{}", &xml[..s], &xml[e..]);
    // SDN lists SOVCOMBANK (ofac-sdn:34737) under its branch BIC SOMRRUM1KST.
    let hold_siblings = Policy::from_toml(&redline_payments::DEFAULT_POLICY_TOML.replace(
        "listed_branch_sibling = \"block\"",
        "listed_branch_sibling = \"hold\"",
    ))
    .unwrap();
    for (bic, default, lenient) in [
        ("SOMRRUM1KST", Verdict::Block, Verdict::Block),
        ("SOMRRUM1XXX", Verdict::Block, Verdict::Hold),
        ("SOMRRUM1", Verdict::Block, Verdict::Hold),
    ] {
        for (policy, want) in [(&l.policy, default), (&hold_siblings, lenient)] {
            let d =
                screen_bytes(with_bic(bic).as_bytes(), Some(&l.index), &l.lookups, policy).unwrap();
            let hit = hits_at(&d, CDTR_AGT_BIC)
                .into_iter()
                .find(|h| h.kind == "bic")
                .unwrap_or_else(|| panic!("{bic}: no BIC hit:\n{}", summary(&d)));
            assert_eq!(hit.entity_id.as_deref(), Some("ofac-sdn:34737"));
            assert_eq!(hit.action, want, "{bic} under {}", policy.version());
        }
    }
    // An LEI of a listed bank (VTB, ofac-sdn:17013) next to an unlisted BIC.
    let edited = format!(
        "{}{agent_bic}<LEI>253400V1H6ART1UQ0N98</LEI>{}",
        &xml[..s],
        &xml[e..]
    );
    let d = screen(edited.as_bytes());
    assert_eq!(d.decision, Verdict::Block, "{}", summary(&d));
    let lei_path = CDTR_AGT_BIC.replace("BICFI", "LEI");
    let hit = &hits_at(&d, &lei_path)[0];
    assert_eq!(
        (hit.kind, hit.entity_id.as_deref()),
        ("lei", Some("ofac-sdn:17013"))
    );
}

#[test]
fn imo_numbers_in_text_are_checked_exactly() {
    let mt = sample("swift_mt/MT103_p_2_1_1_mt_mx_finMessage_p_2_1_1_C_D.fin");
    let with_70 = |text: &str| {
        replace_once(
            &mt,
            ":70:/ROC/pacs008EndToEndId-001",
            &format!(":70:{text}"),
        )
    };
    // 9187629 is the IMO number of a vessel on the SDN list (ofac-sdn:15036).
    for (text, want) in [
        ("FREIGHT MV X IMO 9187629", Verdict::Block),
        ("FREIGHT MV X IMO NO. 9187629", Verdict::Block),
        ("FREIGHT IMO9187629", Verdict::Block),
        ("INVOICE 9187629", Verdict::Hold),
        // One digit off: the check digit fails, and it is not listed anyway.
        ("FREIGHT MV X IMO 9187620", Verdict::Pass),
    ] {
        let d = screen(with_70(text).as_bytes());
        assert_eq!(d.decision, want, "{text}: {}", summary(&d));
        if want != Verdict::Pass {
            let hit = &hits_at(&d, ":70:")[0];
            assert_eq!(
                (hit.kind, hit.entity_id.as_deref()),
                ("imo", Some("ofac-sdn:15036"))
            );
            assert_eq!(&text[hit.start.unwrap()..hit.end.unwrap()], hit.value);
        }
    }
}

// ------------------------------------------------------------------ MT103 field 70

#[test]
fn mt103_narrative_naming_a_listed_company_is_held() {
    let mt = sample("swift_mt/MT103_p_2_1_1_mt_mx_finMessage_p_2_1_1_C_D.fin");
    let edited = replace_once(
        &mt,
        ":70:/ROC/pacs008EndToEndId-001",
        ":70:PAYMENT FOR SPARE PARTS VIA JSC CONCERN RADIO ELECTRONIC TECHNOLOGIES",
    );
    let d = screen(edited.as_bytes());
    assert_eq!(d.decision, Verdict::Hold, "{}", summary(&d));
    let hit = hits_at(&d, ":70:")
        .into_iter()
        .find(|h| h.entity_id.as_deref() == Some("ofac-sdn:16868"))
        .unwrap_or_else(|| panic!("no hit on :70::\n{}", summary(&d)));
    assert_eq!((hit.kind, hit.action), ("free_text", Verdict::Hold));
    let text = "PAYMENT FOR SPARE PARTS VIA JSC CONCERN RADIO ELECTRONIC TECHNOLOGIES";
    let (s, e) = (hit.start.unwrap(), hit.end.unwrap());
    assert_eq!(&text[s..e], hit.value);
    assert!(hit.value.contains("RADIO ELECTRONIC TECHNOLOGIES"));
}

// ------------------------------------------------------------------ fail closed

#[test]
fn broken_input_is_an_error_never_a_decision() {
    let l = lists();
    let xml = sample(PACS008);
    let truncated = &xml.as_bytes()[..xml.len() * 2 / 3];
    let mt = sample("swift_mt/MT103_p_2_1_1_mt_mx_finMessage_p_2_1_1_C_D.fin");
    let broken_block4 = mt.replace("\n-}", "\n");
    let with_dtd = xml.replacen(
        "<Envelope",
        "<!DOCTYPE Envelope [<!ENTITY x \"SBERBANK\">]>\n<Envelope",
        1,
    );
    for (what, bytes) in [
        ("truncated pacs.008", truncated),
        ("MT103 without the end of block 4", broken_block4.as_bytes()),
        ("XML with a DTD", with_dtd.as_bytes()),
        ("empty", b"".as_slice()),
    ] {
        match screen_bytes(bytes, Some(&l.index), &l.lookups, &l.policy) {
            Err(ScreenError::Parse(e)) => {
                let msg = ScreenError::Parse(e).to_string();
                assert!(msg.starts_with("message not screened: "), "{what}: {msg}");
            }
            other => panic!("{what}: expected a parse error, got {other:?}"),
        }
    }
    // A parse error says where.
    let err = screen_bytes(truncated, Some(&l.index), &l.lookups, &l.policy).unwrap_err();
    assert!(err.to_string().contains("line "), "{err}");
    // No lists: refused, even for a perfectly good message.
    let empty = Index::build(Vec::new(), Vec::new());
    for index in [None, Some(&empty)] {
        assert_eq!(
            screen_bytes(xml.as_bytes(), index, &l.lookups, &l.policy).unwrap_err(),
            ScreenError::NoLists
        );
    }
}

// ------------------------------------------------------------------ places and countries

#[test]
fn sanctioned_places_and_countries_follow_the_policy() {
    let xml = sample(PACS008);
    let cdtr = xml.find("<Cdtr>").unwrap();
    let town = {
        let s = cdtr + xml[cdtr..].find("<TwnNm>").unwrap();
        let e = s + xml[s..].find("</TwnNm>").unwrap() + "</TwnNm>".len();
        xml[s..e].to_string()
    };
    let ctry = {
        let s = cdtr + xml[cdtr..].find("<Ctry>").unwrap();
        let e = s + xml[s..].find("</Ctry>").unwrap() + "</Ctry>".len();
        xml[s..e].to_string()
    };
    let town_path = "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Cdtr/PstlAdr/TwnNm";
    let ctry_path = "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Cdtr/PstlAdr/Ctry";

    // A creditor in Sevastopol: the region's action on the town field.
    let before = &xml[..cdtr];
    let after = xml[cdtr..].replacen(&town, "<TwnNm>Севастополь</TwnNm>", 1);
    let d = screen(format!("{before}{after}").as_bytes());
    assert_eq!(d.decision, Verdict::Block, "{}", summary(&d));
    let hit = &hits_at(&d, town_path)[0];
    assert_eq!((hit.kind, hit.action), ("region", Verdict::Block));
    assert_eq!(hit.caption.as_deref(), Some("Sevastopol"));
    assert_eq!(hit.role.as_deref(), Some("creditor"));

    // A creditor country of Iran: blocked by the country table.
    let after = xml[cdtr..].replacen(&ctry, "<Ctry>IR</Ctry>", 1);
    let d = screen(format!("{before}{after}").as_bytes());
    assert_eq!(d.decision, Verdict::Block, "{}", summary(&d));
    let hit = &hits_at(&d, ctry_path)[0];
    assert_eq!(
        (hit.kind, hit.value.as_str(), hit.action),
        ("country", "IR", Verdict::Block)
    );

    // Remittance information mentioning Crimea.
    let mt = sample("swift_mt/MT103_p_2_1_1_mt_mx_finMessage_p_2_1_1_C_D.fin");
    let edited = replace_once(
        &mt,
        ":70:/ROC/pacs008EndToEndId-001",
        ":70:INVOICE 42 GRAIN SHIPMENT EX KERCH\nPORT, REPUBLIC OF CRIMEA",
    );
    let d = screen(edited.as_bytes());
    assert_eq!(d.decision, Verdict::Block, "{}", summary(&d));
    let region_hits: Vec<&Hit> = hits_at(&d, ":70:")
        .into_iter()
        .filter(|h| h.kind == "region")
        .collect();
    assert_eq!(region_hits.len(), 1, "one hit per region and field");
    assert_eq!(region_hits[0].value, "KERCH");

    // "Donetsk" inside unrelated words, "Krymsk" (a Russian town outside Crimea):
    // nothing fires.
    let edited = replace_once(
        &mt,
        ":70:/ROC/pacs008EndToEndId-001",
        ":70:FEES MACDONETSKY LLP, KRYMSKAYA ST 4\nDONETSKIYSTRASSE 12",
    );
    let d = screen(edited.as_bytes());
    assert_eq!(d.decision, Verdict::Pass, "{}", summary(&d));
}

// ------------------------------------------------------------------ determinism

#[test]
fn the_same_message_gives_the_same_decision() {
    let l = lists();
    let xml = sample(PACS008);
    let edited = replace_once(
        &xml,
        &creditor_name_element(&xml),
        "<Nm>PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA</Nm>",
    );
    let first = serde_json::to_string(&screen(edited.as_bytes())).unwrap();
    let second = serde_json::to_string(&screen(edited.as_bytes())).unwrap();
    assert_eq!(first, second);
    // A parsed payment screened directly gives the same decision as from bytes.
    let payment = parse(edited.as_bytes()).unwrap();
    let direct = screen_payment(&payment, &l.index, &l.lookups, &l.policy);
    assert_eq!(serde_json::to_string(&direct).unwrap(), first);
    // Stale look-up tables (from another index) are rebuilt, not trusted.
    let other = Index::build(Vec::new(), vec!["other@1".into()]);
    let stale = ListLookups::build(&other);
    let with_stale = screen_payment(&payment, &l.index, &stale, &l.policy);
    assert_eq!(serde_json::to_string(&with_stale).unwrap(), first);
    let json: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(json["decision"], "BLOCK");
    assert_eq!(json["policy_version"], l.policy.version());
    assert_eq!(json["list_versions"][0], "ofac-sdn@2024-05-03");
}

#[test]
fn export_controlled_goods_in_remittance_hold_a_payment_through_a_transshipment_hub() {
    let original = sample("swift_mt/MT103_c_53_5_mt_mx_finMessage_535_A_B.fin");
    let with_goods = original.replace(
        ":70:/ROC/E2E04044506271305",
        ":70:INVOICE 77 MICROCONTROLLERS STM32F407 AND BALL BEARINGS",
    );
    // Beneficiary in Singapore: the goods are reported, the payment passes.
    let d = screen(with_goods.as_bytes());
    let goods: Vec<_> = d.hits.iter().filter(|h| h.kind == "goods").collect();
    assert!(
        goods
            .iter()
            .any(|h| h.caption.as_deref().is_some_and(|c| c.contains("8542.31"))),
        "{:#?}",
        d.hits
    );
    assert_eq!(d.decision, Verdict::Pass, "{:#?}", d.hits);
    // The same goods to a beneficiary in Kyrgyzstan: held, on field 70.
    let via_hub = with_goods.replace("3/SG/Singapore", "3/KG/Bishkek");
    let d = screen(via_hub.as_bytes());
    assert_eq!(d.decision, Verdict::Hold, "{:#?}", d.hits);
    let hit = d
        .hits
        .iter()
        .find(|h| h.kind == "goods" && h.action == Verdict::Hold)
        .unwrap();
    assert_eq!(hit.field, ":70:");
    assert!(hit.reason.contains("KG"), "{}", hit.reason);
}

#[test]
fn a_beneficiary_name_line_that_carries_its_city_is_still_the_listed_party() {
    // Core-banking exports often glue the city to the name on the name line.
    let mt = sample("swift_mt/MT103_c_53_5_mt_mx_finMessage_535_A_B.fin");
    let edited = replace_once(&mt, "1/Agoda Company", "1/BANCO NACIONAL DE CUBA HAVANA");
    let d = screen(edited.as_bytes());
    assert_ne!(d.decision, Verdict::Pass, "{}", summary(&d));
    let hit = d
        .hits
        .iter()
        .find(|h| h.entity_id.as_deref() == Some("ofac-sdn:306"))
        .unwrap_or_else(|| panic!("no hit on BANCO NACIONAL DE CUBA: {}", summary(&d)));
    let explanation = hit.explanation.as_ref().expect("a name hit is explained");
    assert!(
        explanation
            .context_tokens
            .iter()
            .any(|c| c.token == "havana" && c.taken_as == "place"),
        "{:?}",
        explanation.context_tokens
    );
}

// ------------------------------------------- rouble payments decided on evidence

/// A real MT103 sample turned into a rouble payment to a Russian bank as SWIFT-RUR
/// writes one: receiver RZBMRUMM, amount in RUB, the beneficiary's bank by BIK and
/// correspondent account in 57D, the beneficiary's account, `INN…KPP…` line, name
/// and town in 59, the currency-operation code in 70. `inn_line` and `name` are the
/// beneficiary's.
fn rouble_mt103(inn_line: &str, name: &str) -> String {
    // The sample has CRLF line ends; the edits below are written with LF.
    let mt = sample("swift_mt/MT103_custom_mt_mx_fin3.fin").replace("\r\n", "\n");
    let mt = replace_once(&mt, "I103HANYUS33XXXXN", "I103RZBMRUMMXXXXN");
    let mt = replace_once(&mt, ":32A:250922USD100,", ":32A:250922RUB100000,");
    let mt = replace_once(&mt, ":33B:USD100,", ":33B:RUB100000,");
    let mt = replace_once(
        &mt,
        ":57A:ICBKCNBJZJP",
        ":57D://RU044525700.30101810200000000700\nAO RAIFFEISENBANK\nMOSCOW",
    );
    let mt = replace_once(
        &mt,
        ":59:/15236859635\nZHEJIANG LANXI SHANYE\nZHEJIANG LANXI SHANYE\nZHEJIANG LANXI SHANYE",
        &format!(":59:/40702810400000000002\n{inn_line}\n{name}\nMOSCOW"),
    );
    let mt = replace_once(&mt, ":70:IMPORT OF GOOD", ":70:(VO10100) IMPORT OF GOOD");
    // The sample's 72 names an institution by a code that is no BIC: as an
    // unidentified party it would rightly keep any evidence policy from releasing.
    replace_once(
        &mt,
        ":72:/INS/NHMJKIIIIJMKIOLLPOUJI\n/INS/NHMJKIIIIJMKIOLLPOUJI\n/REC/HELLO",
        ":72:/REC/HELLO",
    )
}

fn evidence_policy() -> Policy {
    Policy::named("russia-evidence").expect("shipped profile").0
}

fn screen_with(bytes: &[u8], policy: &Policy) -> Decision {
    let l = lists();
    screen_bytes(bytes, Some(&l.index), &l.lookups, policy)
        .unwrap_or_else(|e| panic!("not screened: {e}"))
}

/// A valid INN (check digit computed by the registry's rule) carried by no list.
const UNLISTED_INN: &str = "5024008128";

#[test]
fn a_listed_inn_in_a_rouble_beneficiary_stops_the_payment_under_every_policy() {
    for (inn, entity) in [
        // PROKOPENKO, Ivan Pavlovitch: "Tax ID No. 773407989940 (Russia)".
        ("773407989940", "ofac-sdn:15892"),
        // SMP BANK: "Tax ID No. 7750005482 (Russia)".
        ("7750005482", "ofac-sdn:16829"),
    ] {
        let mt = rouble_mt103(&format!("INN{inn}.KPP770101001"), "OOO ROMASHKA");
        for policy in [Policy::default_policy(), evidence_policy()] {
            let d = screen_with(mt.as_bytes(), &policy);
            assert!(d.decision > Verdict::Pass, "{}", summary(&d));
            let hit = d
                .hits
                .iter()
                .find(|h| h.kind == "registry_id")
                .unwrap_or_else(|| panic!("no INN hit:\n{}", summary(&d)));
            assert_eq!(hit.entity_id.as_deref(), Some(entity));
            assert_eq!(hit.field, ":59: line 2");
            assert!(
                hit.reason.starts_with(&format!(
                    "beneficiary customer INN {inn} = Tax ID No. of OFAC SDN"
                )),
                "{}",
                hit.reason
            );
            assert!(hit.reason.contains(entity), "{}", hit.reason);
        }
    }
}

#[test]
fn an_identified_unlisted_beneficiary_is_held_by_default_and_passed_on_evidence() {
    let mt = rouble_mt103(&format!("INN{UNLISTED_INN}.KPP770101001"), "OOO ROMASHKA");
    let d = screen(mt.as_bytes());
    assert_eq!(d.decision, Verdict::Hold, "{}", summary(&d));
    assert!(
        d.hits.iter().all(|h| h.kind == "country"),
        "{}",
        summary(&d)
    );
    assert!(d.evidence.release.is_none());

    let d = screen_with(mt.as_bytes(), &evidence_policy());
    assert_eq!(d.decision, Verdict::Pass, "{}", summary(&d));
    assert!(d.policy_version.starts_with("redline-russia-evidence@"));
    let release = d.evidence.release.as_ref().expect("release considered");
    assert!(release.released && release.missing.is_empty());
    assert_eq!(release.countries, ["RU"]);
    assert_eq!(release.lists_checked, common::versions());
    // The evidence an auditor reads: the INN and KPP checked, each party identified.
    let checked: Vec<(&str, &str, bool)> = d
        .evidence
        .identifiers
        .iter()
        .map(|c| (c.field.as_str(), c.value.as_str(), c.valid))
        .collect();
    assert_eq!(
        checked,
        [
            (":57D: line 1", "044525700", true),
            (":59: line 2", UNLISTED_INN, true),
            (":59: line 2", "770101001", true),
        ]
    );
    let identified = |role: &str| {
        d.evidence
            .parties
            .iter()
            .find(|p| p.role == role)
            .and_then(|p| p.identified_by.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        identified("beneficiary_customer"),
        format!("INN {UNLISTED_INN}")
    );
    assert_eq!(identified("account_with_institution"), "BIK 044525700");
    assert_eq!(identified("receiver"), "BIC RZBMRUMMXXX");
    // The Sri Lankan payer carries no number: its name is clear of the lists.
    assert!(
        identified("ordering_customer").starts_with("name clear of the lists"),
        "{}",
        identified("ordering_customer")
    );
    assert_eq!(d.evidence.currency_operation_codes[0].value, "VO10100");
    let country = &d.hits[0];
    assert_eq!((country.kind, country.action), ("country", Verdict::Pass));
    assert!(
        country.reason.contains("released on evidence"),
        "{}",
        country.reason
    );
}

#[test]
fn a_beneficiary_without_a_registry_number_or_with_a_bad_one_is_not_passed() {
    // No INN line: a Russian beneficiary must carry its registry number.
    let mt = rouble_mt103("OOO ROMASHKA", "MOSCOW");
    let d = screen_with(mt.as_bytes(), &evidence_policy());
    assert_eq!(d.decision, Verdict::Hold, "{}", summary(&d));
    let release = d.evidence.release.as_ref().unwrap();
    assert!(!release.released);
    assert!(
        release
            .missing
            .iter()
            .any(|m| m.starts_with("beneficiary customer (:59:) is not identified")),
        "{:?}",
        release.missing
    );

    // A mistyped check digit: named, held, and never read as identifying anyone.
    let bad = "5024008129";
    let mt = rouble_mt103(&format!("INN{bad}.KPP770101001"), "OOO ROMASHKA");
    for policy in [Policy::default_policy(), evidence_policy()] {
        let d = screen_with(mt.as_bytes(), &policy);
        assert_eq!(d.decision, Verdict::Hold, "{}", summary(&d));
        let hit = d
            .hits
            .iter()
            .find(|h| h.kind == "registry_id_invalid")
            .unwrap_or_else(|| panic!("bad INN not reported:\n{}", summary(&d)));
        assert_eq!(hit.value, bad);
        assert_eq!(
            hit.reason,
            "beneficiary customer INN 5024008129 is not a valid INN: INN check digit is 9, the number's digits give 8"
        );
    }
}

#[test]
fn swift_rur_names_find_the_listed_companies() {
    for (written, entity, caption) in [
        ("CMRBANK, OOO", "ofac-sdn:22488", "TSMRBANK, OOO"),
        ("KRYMTEC, AO", "ofac-sdn:25118", "KRYMTETS, AO"),
    ] {
        let mt = rouble_mt103(&format!("INN{UNLISTED_INN}"), written);
        let d = screen_with(mt.as_bytes(), &evidence_policy());
        let hit = hits_at(&d, ":59: line 3")
            .into_iter()
            .find(|h| h.entity_id.as_deref() == Some(entity))
            .unwrap_or_else(|| panic!("{written}: no hit on {caption}:\n{}", summary(&d)));
        assert!(hit.action >= Verdict::Hold && hit.kind == "name");
        assert!(hit.reason.contains("read as SWIFT-RUR"), "{}", hit.reason);
        assert!(d.evidence.readings.iter().any(|r| r.written == written));
        assert!(d.decision >= Verdict::Hold);

        // Outside a rouble payment the Latin is read as it is, and finds nothing.
        let usd = mt.replace("RUB100000,", "USD100,");
        let d = screen(usd.as_bytes());
        assert!(d.evidence.readings.is_empty());
        assert!(hits_at(&d, ":59: line 3").is_empty(), "{}", summary(&d));
    }
}

#[test]
fn registry_numbers_in_iso20022_and_free_text_are_checked() {
    // pacs.008 creditor identified as ISO 20022 writes it: OrgId/Othr with a
    // proprietary scheme name; and KRYMTETS, AO's INN written into remittance text.
    let xml = sample(PACS008);
    let name = creditor_name_element(&xml);
    let edited = replace_once(
        &xml,
        &name,
        &format!(
            "{name}<Id><OrgId><Othr><Id>7750005482</Id><SchmeNm><Prtry>INN</Prtry></SchmeNm></Othr></OrgId></Id>"
        ),
    );
    let d = screen(edited.as_bytes());
    let hit = d
        .hits
        .iter()
        .find(|h| h.kind == "registry_id")
        .unwrap_or_else(|| panic!("no INN hit:\n{}", summary(&d)));
    assert_eq!(hit.entity_id.as_deref(), Some("ofac-sdn:16829"));
    assert!(
        hit.field.ends_with("/Cdtr/Id/OrgId/Othr[1]/Id"),
        "{}",
        hit.field
    );

    let mt = rouble_mt103(&format!("INN{UNLISTED_INN}"), "OOO ROMASHKA");
    let mt = replace_once(
        &mt,
        "INV NO :14255639",
        "INV NO :14255639 FOR ИНН 9102070194",
    );
    let d = screen_with(mt.as_bytes(), &evidence_policy());
    let hit = d
        .hits
        .iter()
        .find(|h| h.kind == "registry_id")
        .unwrap_or_else(|| panic!("no INN hit in text:\n{}", summary(&d)));
    assert_eq!(hit.entity_id.as_deref(), Some("ofac-sdn:25118"));
    assert_eq!(hit.field, ":70:");
    assert_eq!(hit.value, "9102070194");
    assert!(hit.start.is_some());
    assert_eq!(d.decision, Verdict::Block);
}

#[test]
fn an_evidence_policy_needs_its_lists_loaded() {
    let toml = format!(
        "{}\n[evidence]\ncountries = [\"RU\"]\nrequired_sources = [\"uk-hmt\"]\n",
        redline_payments::DEFAULT_POLICY_TOML
    );
    let policy = Policy::from_toml(&toml).unwrap();
    let mt = rouble_mt103(&format!("INN{UNLISTED_INN}"), "OOO ROMASHKA");
    let d = screen_with(mt.as_bytes(), &policy);
    assert_eq!(d.decision, Verdict::Hold, "{}", summary(&d));
    let release = d.evidence.release.as_ref().unwrap();
    assert_eq!(release.missing, ["list uk-hmt is not loaded"]);
}

#[test]
fn the_lists_registry_numbers_are_recognised_by_their_checks() {
    use redline_model::registry::{schemes_of_listed, Scheme};
    use redline_model::IdKind;
    let mut recognised: std::collections::BTreeMap<Scheme, usize> = Default::default();
    let (mut russian_tax_ids, mut failing) = (0, Vec::new());
    for e in common::bundled_entities() {
        for id in &e.identifiers {
            let schemes = schemes_of_listed(id);
            if id.country.as_deref() == Some("ru") && id.kind == IdKind::TaxId {
                russian_tax_ids += 1;
                if schemes.is_empty() {
                    failing.push(id.value.clone());
                }
            }
            for (scheme, _) in schemes {
                *recognised.entry(scheme).or_default() += 1;
            }
        }
    }
    // The 2024-05-03 SDN: 2,583 Russian "Tax ID No." values; all but a few dozen
    // (KPPs and OKPO codes under the Tax ID label, OFAC's typos such as
    // "7704863782e") pass the INN check.
    assert_eq!(russian_tax_ids, 2583);
    assert!(failing.len() <= 30, "{failing:?}");
    assert!(failing.contains(&"7704863782e".to_string()));
    assert!(recognised[&Scheme::Inn] >= 2550, "{recognised:?}");
    assert!(recognised[&Scheme::Ogrn] >= 2100, "{recognised:?}");
    assert!(recognised[&Scheme::Uscc] >= 80, "{recognised:?}");
    assert!(recognised[&Scheme::Bik] >= 20, "{recognised:?}");
}

#[test]
fn on_the_russia_corpus_no_linked_payment_passes_and_identified_unlisted_ones_do() {
    use redline_payments::corpus::{russia_corpus, CLASSES};
    let (mut unlisted, mut payers) = (Vec::new(), Vec::new());
    let path = redline_testdata::bench("negatives-orgs.jsonl");
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let name = row["name"].as_str().unwrap().to_string();
        match row["class"].as_str().unwrap() {
            c if c.starts_with("ru_") => unlisted.push(name),
            "en_US" => payers.push(name),
            _ => {}
        }
    }
    let l = lists();
    let corpus = russia_corpus(&l.lookups, &unlisted, &payers, 12).unwrap();
    assert_eq!(corpus.len(), 12 * CLASSES.len());
    let evidence = evidence_policy();
    let mut passed_on_evidence = std::collections::BTreeMap::<&str, usize>::new();
    for m in &corpus {
        let default = screen(m.text.as_bytes());
        assert!(
            default.decision > Verdict::Pass,
            "{}: {}",
            m.file,
            summary(&default)
        );
        let d = screen_with(m.text.as_bytes(), &evidence);
        if d.decision == Verdict::Pass {
            assert!(!m.linked, "{} ({}) passed:\n{}", m.file, m.why, summary(&d));
            *passed_on_evidence.entry(m.class).or_default() += 1;
        }
    }
    // The unlisted payees with a valid INN pass (but for the odd payer whose name
    // comes near a list entry); without an INN or with a mistyped one they do not.
    assert!(
        passed_on_evidence["unlisted_rouble"] >= 10,
        "{passed_on_evidence:?}"
    );
    assert!(
        passed_on_evidence["unlisted_yuan"] >= 10,
        "{passed_on_evidence:?}"
    );
    assert!(!passed_on_evidence.contains_key("unlisted_no_inn"));
    assert!(!passed_on_evidence.contains_key("unlisted_bad_inn"));
}

#[test]
fn swift_rur_places_are_read_as_the_policy_spells_them() {
    // Ялта (Crimea) and Херсон as SWIFT-RUR writes them: IALTA, HERSON. Neither is a
    // spelling the policy lists in Latin; both are, in Cyrillic.
    let mt = rouble_mt103(
        &format!("INN{UNLISTED_INN}"),
        "OOO ROMASHKA\nG. IALTA, UL. LENINA 1\nHERSONSKAIA OBL.",
    );
    let d = screen_with(mt.as_bytes(), &evidence_policy());
    assert_eq!(d.decision, Verdict::Block, "{}", summary(&d));
    let regions: Vec<(&str, &str, Verdict)> = d
        .hits
        .iter()
        .filter(|h| h.kind == "region")
        .map(|h| {
            (
                h.field.as_str(),
                h.caption.as_deref().unwrap_or(""),
                h.action,
            )
        })
        .collect();
    assert_eq!(
        regions,
        [
            (":59: line 4", "Crimea", Verdict::Block),
            (":59: line 5", "Kherson (occupied region)", Verdict::Hold)
        ]
    );
    assert!(d
        .hits
        .iter()
        .any(|h| h.reason.contains("\"ЯЛТА\" (read as SWIFT-RUR)")));
}

#[test]
fn a_creditor_listed_on_two_lists_is_one_hit_naming_both() {
    // QASEM SOLEIMANI: OFAC and the UN list him, with one passport number.
    let xml = sample(PACS008);
    let edited = replace_once(
        &xml,
        &creditor_name_element(&xml),
        "<Nm>Qasem Soleimani</Nm>",
    );
    let d = screen(edited.as_bytes());
    assert_eq!(d.decision, Verdict::Block, "{}", summary(&d));
    let hits: Vec<&Hit> = hits_at(&d, CDTR_NM)
        .into_iter()
        .filter(|h| {
            matches!(
                h.entity_id.as_deref(),
                Some("ofac-sdn:10481" | "un-sc:110408")
            )
        })
        .collect();
    assert_eq!(hits.len(), 1, "one hit for one party:\n{}", summary(&d));
    let reason = &hits[0].reason;
    assert!(
        reason.contains("the same party is also listed on"),
        "{reason}"
    );
    assert!(
        reason.contains("un-sc") || reason.contains("ofac-sdn"),
        "{reason}"
    );
}
