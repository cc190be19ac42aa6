//! The parsers against the real sample messages in `testdata/payments` (see
//! `testdata/MANIFEST.md` for origin and licences), plus the hostile and broken inputs a screening front end meets.

use redline_payments::{
    parse, parse_iso20022, parse_mt, parse_with_limit, CountrySource, Format, FreeTextKind, Party,
    PartyKind, Payment, PaymentError, Role, DEFAULT_MAX_BYTES,
};
use std::path::PathBuf;

fn sample(rel: &str) -> Vec<u8> {
    redline_testdata::bytes(&format!("payments/{rel}"))
}

fn files(dir: &str) -> Vec<PathBuf> {
    redline_testdata::files(&format!("payments/{dir}"), "")
}

fn parsed(rel: &str) -> Payment {
    parse(&sample(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn by_path<'a>(p: &'a Payment, path: &str) -> &'a Party {
    p.parties
        .iter()
        .find(|x| x.path == path)
        .unwrap_or_else(|| panic!("no party at {path}; have {:?}", paths(p)))
}

fn paths(p: &Payment) -> Vec<&str> {
    p.parties.iter().map(|x| x.path.as_str()).collect()
}

fn name(p: &Party) -> Option<&str> {
    p.name.as_ref().map(|v| v.text.as_str())
}

fn malformed_line(result: Result<Payment, PaymentError>) -> (usize, String, String) {
    match result {
        Err(PaymentError::Malformed {
            line,
            location,
            message,
        }) => (line, location, message),
        other => panic!("expected Malformed, got {other:?}"),
    }
}

// ---------------------------------------------------------------- every sample

/// The family a file name promises ("…_pacs.009.cov-AtoB.xml" → "pacs.009").
fn iso_family(file: &str) -> &'static str {
    const BY_NAME: [(&str, &str); 6] = [
        ("FI_camt_053", "camt.053"),
        ("FI_camt_054", "camt.054"),
        ("International_payment", "pain.001"),
        ("gistfile1", "pain.001"),
        ("sepa_payment", "pain.001"),
        ("statement_1", "camt.053"),
    ];
    const FAMILIES: [&str; 7] = [
        "pacs.008", "pacs.009", "pacs.004", "pacs.002", "pain.001", "camt.053", "camt.054",
    ];
    FAMILIES
        .into_iter()
        .find(|f| file.contains(f))
        .or_else(|| {
            BY_NAME
                .iter()
                .find(|(n, _)| file.starts_with(n))
                .map(|(_, f)| *f)
        })
        .unwrap_or_else(|| panic!("no family known for {file}"))
}

#[test]
fn every_iso_sample_parses_with_its_message_type() {
    let mut count = 0;
    for dir in ["iso20022/cbprplus", "iso20022/misc"] {
        for path in files(dir) {
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&path).unwrap();
            let p = parse(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(p.format, Format::Iso20022, "{file}");
            let family = iso_family(&file);
            assert!(
                p.message_type.starts_with(&format!("{family}.001.")),
                "{file}: {}",
                p.message_type
            );
            assert_eq!(p.sha256.len(), 64);
            assert!(p.message_id.is_some(), "{file}: no message id");
            assert!(!p.parties.is_empty(), "{file}: no parties");
            assert_eq!(parse_iso20022(&bytes).as_ref(), Ok(&p), "{file}");
            count += 1;
        }
    }
    assert_eq!(count, 55 + 9);
    let swiss = parsed("iso20022/misc/musterfile_pain.001_Nov2020.xml");
    assert_eq!(swiss.message_type, "pain.001.001.03.ch.02");
}

#[test]
fn every_mt_sample_parses_with_its_message_type() {
    let all = files("swift_mt");
    assert_eq!(all.len(), 50);
    for path in all {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let expected = file.split('_').next().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let p = parse_mt(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(p.format, Format::SwiftMt);
        assert_eq!(p.message_type, expected, "{file}");
        assert!(p.message_id.is_some(), "{file}: no field 20");
        let roles: Vec<&Role> = p.parties.iter().map(|x| &x.role).collect();
        assert!(
            roles.contains(&&Role::Sender) && roles.contains(&&Role::Receiver),
            "{file}"
        );
        assert_eq!(parse(text.as_bytes()).as_ref(), Ok(&p), "{file}");
    }
}

#[test]
fn customer_transfers_name_both_ends() {
    let named = |x: &Party| name(x).is_some() || x.bic.is_some();
    let check = |file: &str, p: &Payment, debtor: Role, creditor: Role| {
        // Parties of the customer transfer itself, not the header or a COV copy.
        assert!(
            p.parties.iter().any(|x| x.role == debtor && named(x)),
            "{file}: no named {debtor}"
        );
        assert!(
            p.parties.iter().any(|x| x.role == creditor && named(x)),
            "{file}: no named {creditor}"
        );
    };
    let mut seen = 0;
    for path in files("iso20022/cbprplus") {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if file.contains("pacs.008") {
            let p = parse(&std::fs::read(&path).unwrap()).unwrap();
            check(&file, &p, Role::Debtor, Role::Creditor);
            seen += 1;
        }
    }
    for path in files("swift_mt") {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if file.starts_with("MT103") {
            let p = parse(&std::fs::read(&path).unwrap()).unwrap();
            check(&file, &p, Role::OrderingCustomer, Role::BeneficiaryCustomer);
            seen += 1;
        }
    }
    assert_eq!(seen, 19 + 14);
}

// ---------------------------------------------------------------- spot checks

#[test]
fn mt103_option_f_and_a_parties() {
    let p = parsed("swift_mt/MT103_c_53_5_mt_mx_finMessage_535_A_B.fin");
    assert_eq!(p.message_type, "MT103");
    assert_eq!(p.message_id.as_deref(), Some("pacs8bizmsgidr01"));
    assert_eq!(
        p.sha256,
        "47b17cd75a4b953de9822d1dd9198b8832d82b0399e3b64743fc294439006586"
    );

    let sender = by_path(&p, "block2");
    assert_eq!(sender.role, Role::Sender);
    assert_eq!(sender.bic.as_ref().unwrap().text, "WPACAU2SXXX");
    assert_eq!(
        by_path(&p, "block1").bic.as_ref().unwrap().text,
        "DBSSSGSGXXX"
    );

    let ben = by_path(&p, ":59F:");
    assert_eq!(ben.role, Role::BeneficiaryCustomer);
    let ben_name = ben.name.as_ref().unwrap();
    assert_eq!(
        (ben_name.path.as_str(), ben_name.text.as_str()),
        (":59F: line 2", "Agoda Company")
    );
    assert_eq!(ben.account.as_ref().unwrap().text, "985412687");
    let sg = &ben.countries[0];
    assert_eq!(
        (sg.code.as_str(), sg.from, sg.path.as_str()),
        ("SG", CountrySource::Address, ":59F: line 4")
    );
    let addr: Vec<&str> = ben.address.iter().map(|v| v.text.as_str()).collect();
    assert_eq!(addr, ["30 Cecil Street", "SG/Singapore"]);

    let ord = by_path(&p, ":50F:");
    assert_eq!(
        (ord.role.clone(), name(ord)),
        (Role::OrderingCustomer, Some("Australian Submarine"))
    );

    let inst = by_path(&p, ":52A:");
    assert_eq!(inst.role, Role::OrderingInstitution);
    assert_eq!(inst.kind, PartyKind::FinancialInstitution);
    assert_eq!(inst.bic.as_ref().unwrap().text, "WPACAU2S");
    assert_eq!(inst.countries[0].code, "AU");
    assert_eq!(inst.countries[0].from, CountrySource::Bic);

    assert_eq!(p.amounts.len(), 1);
    let a = &p.amounts[0];
    assert_eq!(
        (a.path.as_str(), a.currency.as_str(), a.value.as_str()),
        (":32A:", "SGD", "500000")
    );
    let remittance = p
        .free_text
        .iter()
        .find(|t| t.kind == FreeTextKind::Remittance)
        .unwrap();
    assert_eq!(
        (remittance.path.as_str(), remittance.text.as_str()),
        (":70:", "/ROC/E2E04044506271305")
    );
    let lines: Vec<&str> = p
        .free_text
        .iter()
        .filter(|t| t.kind == FreeTextKind::AddressLine)
        .map(|t| t.path.as_str())
        .collect();
    assert_eq!(
        lines,
        [
            ":50F: line 3",
            ":50F: line 4",
            ":59F: line 3",
            ":59F: line 4"
        ]
    );
}

#[test]
fn mt103_option_k_with_country_in_text() {
    let p = parsed("swift_mt/MT103_custom_mt_mx_a_2014.fin");
    let ord = by_path(&p, ":50K:");
    assert_eq!(name(ord), Some("RASA ENGINEERING SERVICES (PVT) L"));
    assert_eq!(ord.account.as_ref().unwrap().path, ":50K: line 1");
    let lk = &ord.countries[0];
    assert_eq!(
        (lk.code.as_str(), lk.from, lk.path.as_str()),
        ("LK", CountrySource::Text, ":50K: line 5")
    );
    // Input message: block 1 is the sender.
    assert_eq!(by_path(&p, "block1").role, Role::Sender);
    assert_eq!(
        by_path(&p, "block2").bic.as_ref().unwrap().text,
        "MHCBJPJTXXX"
    );
    let inst = by_path(&p, ":52A:");
    assert_eq!(inst.account.as_ref().unwrap().text, "CGC BRANHC");
    assert_eq!(inst.bic.as_ref().unwrap().path, ":52A: line 2");
}

#[test]
fn mt202cov_sequence_b_parties() {
    let p = parsed("swift_mt/MT202COV_c_29_2_2_mt_mx_finMessage_2922_A_B.fin");
    assert_eq!(p.message_type, "MT202COV");
    let ord = by_path(&p, "seqB/:50F:");
    assert_eq!(
        (ord.role.clone(), name(ord)),
        (Role::OrderingCustomer, Some("Debtor Co"))
    );
    assert_eq!(ord.account.as_ref().unwrap().text, "25698745");
    assert_eq!(ord.countries[0].code, "GB");
    let ben = by_path(&p, "seqB/:59F:");
    assert_eq!(
        (ben.role.clone(), name(ben)),
        (Role::BeneficiaryCustomer, Some("Ardent Finance"))
    );
    assert_eq!(ben.countries[0].code, "RO");
    // 52A and 57A occur in both sequences; the prefix tells them apart.
    assert_eq!(
        by_path(&p, ":57A:").bic.as_ref().unwrap().text,
        "RZBRROBUXXX"
    );
    assert_eq!(
        by_path(&p, "seqB/:57A:").bic.as_ref().unwrap().text,
        "GEBABEBBXXX"
    );
    assert_eq!(by_path(&p, ":58A:").role, Role::BeneficiaryInstitution);
    let ins = by_path(&p, ":72: line 1");
    assert_eq!(ins.role, Role::Other("instructing_institution".into()));
    assert_eq!(ins.bic.as_ref().unwrap().text, "INGBROBUXXX");

    let cov205 = parsed("swift_mt/MT205COV_p_4_3_2_mt_mx_finMessage_p_4_3_2_A_B.fin");
    assert_eq!(cov205.message_type, "MT205COV");
    assert_eq!(
        name(by_path(&cov205, "seqB/:59F:")),
        Some("Spanish Investor")
    );
    assert_eq!(
        by_path(&cov205, ":58A:").account.as_ref().unwrap().text,
        "BOFSGB2L"
    );
}

#[test]
fn mt940_field_86_and_statement_lines() {
    // No sample carries :86:, so one is added to a real MT940 after its :61: line.
    let real = String::from_utf8(sample(
        "swift_mt/MT940_c_53_1_1_mt_mx_finMessage_5311_mt940_B_D.fin",
    ))
    .unwrap();
    let text = real.replace(
        ":61:221020D45250,NTRFNONREF\r\n",
        ":61:221020D45250,NTRFNONREF\r\n:86:/PURP/GDDS/BENM/Ardent Finance\r\nBucharest RO\r\n",
    );
    assert_ne!(text, real, "sample changed");
    let p = parse_mt(&text).unwrap();
    assert_eq!(p.message_type, "MT940");
    let info = p
        .free_text
        .iter()
        .find(|t| t.kind == FreeTextKind::AdditionalInfo)
        .unwrap();
    assert_eq!(info.path, ":86:");
    assert_eq!(info.text, "/PURP/GDDS/BENM/Ardent Finance Bucharest RO");
    let owner = by_path(&p, ":25:");
    assert_eq!(owner.role, Role::AccountOwner);
    assert_eq!(owner.account.as_ref().unwrap().text, "25698745");

    // MT950 statement lines: supplementary details on the second line carry names.
    let p = parsed("swift_mt/MT950_c_53_1_1_mt_mx_finMessage_5311_mt950_A_B.fin");
    let details: Vec<(&str, &str)> = p
        .free_text
        .iter()
        .map(|t| (t.path.as_str(), t.text.as_str()))
        .collect();
    assert_eq!(
        details,
        [
            (":61:[4]", "FAVOUR K. DESMID"),
            (":61:[8]", "FAVOUR H.F. JANSSEN"),
            (":61:[9]", "ORDER ROTTERDAM"),
        ]
    );
}

#[test]
fn mt_narratives_and_regulatory_reporting() {
    let p = parsed("swift_mt/MT199_p_2_5_2_mt_mx_finMessage_p_2_5_2_B_A.fin");
    let n = &p.free_text[0];
    assert_eq!((n.kind, n.path.as_str()), (FreeTextKind::Narrative, ":79:"));
    assert!(
        n.text.starts_with("/REJT/99 /AC04/ /MREF/pc003bzmsgidr01"),
        "{}",
        n.text
    );

    let p = parsed("swift_mt/MT101_pn_01_1_1_mt_mx_finMessage_00111_mt101_A_B.fin");
    let reg = p
        .free_text
        .iter()
        .find(|t| t.kind == FreeTextKind::RegulatoryReporting)
        .unwrap();
    assert_eq!(reg.path, "seqB[1]/:77B:");
    assert_eq!(
        reg.text,
        "/BENEFRES/US //34 BRENTWOOD ROAD //SEAFORD, NEW YORK 11246"
    );
    assert_eq!(by_path(&p, "seqB[1]/:57C:").other_ids[0].text, "CP999");
    assert_eq!(
        name(by_path(&p, "seqB[1]/:59F:")),
        Some("SOFTEASE PC GRAPHICS")
    );
}

#[test]
fn pacs008_creditor_and_paths() {
    let p = parsed("iso20022/cbprplus/cbprplus_c.53.5_pacs.008_AtoB.xml");
    assert_eq!(p.message_type, "pacs.008.001.08");
    assert_eq!(p.message_id.as_deref(), Some("pacs8bizmsgidr01"));
    assert_eq!(
        p.sha256,
        "6765198854bb7c401341ab49807cffdc6eef43e3e5fc0f9fefb0270bc74627ee"
    );
    let tx = "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]";
    let cdtr = by_path(&p, &format!("{tx}/Cdtr"));
    assert_eq!(cdtr.role, Role::Creditor);
    let n = cdtr.name.as_ref().unwrap();
    assert_eq!(
        (n.path.as_str(), n.text.as_str()),
        (format!("{tx}/Cdtr/Nm").as_str(), "Agoda Company")
    );
    let acct = cdtr.account.as_ref().unwrap();
    assert_eq!(
        (acct.path.as_str(), acct.text.as_str()),
        (format!("{tx}/CdtrAcct/Id/Othr/Id").as_str(), "985412687")
    );
    let sg = &cdtr.countries[0];
    assert_eq!(
        (sg.code.as_str(), sg.from, sg.path.as_str()),
        (
            "SG",
            CountrySource::Address,
            format!("{tx}/Cdtr/PstlAdr/Ctry").as_str()
        )
    );
    assert_eq!(cdtr.address[1].path, format!("{tx}/Cdtr/PstlAdr/TwnNm"));

    let fr = by_path(&p, "AppHdr/Fr");
    assert_eq!(
        (fr.role.clone(), fr.kind),
        (Role::Sender, PartyKind::FinancialInstitution)
    );
    let bic = fr.bic.as_ref().unwrap();
    assert_eq!(
        (bic.path.as_str(), bic.text.as_str()),
        ("AppHdr/Fr/FIId/FinInstnId/BICFI", "WPACAU2S")
    );
    assert_eq!(by_path(&p, "AppHdr/To").role, Role::Receiver);
    assert_eq!(
        by_path(&p, &format!("{tx}/IntrmyAgt1")).role,
        Role::IntermediaryAgent
    );
    assert_eq!(
        by_path(&p, &format!("{tx}/InstgAgt")).role,
        Role::InstructingAgent
    );

    let a = &p.amounts[0];
    assert_eq!(
        (a.path.as_str(), a.currency.as_str(), a.value.as_str()),
        (format!("{tx}/IntrBkSttlmAmt").as_str(), "SGD", "500000")
    );
    // Serialises for the audit trail; roles as snake_case strings.
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["parties"][0]["role"], "sender");
    assert_eq!(json["format"], "iso20022");
}

#[test]
fn pacs009_cov_underlying_parties_have_their_own_paths() {
    let p = parsed("iso20022/cbprplus/cbprplus_p.2.3.1.b_pacs.009.cov-AtoB.xml");
    assert!(p.message_type.starts_with("pacs.009."));
    let tx = "Document/FICdtTrf/CdtTrfTxInf[1]";
    let fi_debtor = by_path(&p, &format!("{tx}/Dbtr"));
    assert_eq!(fi_debtor.kind, PartyKind::FinancialInstitution);
    assert_eq!(fi_debtor.bic.as_ref().unwrap().text, "CLYDGB2S");
    let customer = by_path(&p, &format!("{tx}/UndrlygCstmrCdtTrf/Dbtr"));
    assert_eq!(
        (customer.role.clone(), name(customer)),
        (Role::Debtor, Some("A Debiter"))
    );
    let cdtr = by_path(&p, &format!("{tx}/UndrlygCstmrCdtTrf/Cdtr"));
    assert_eq!(name(cdtr), Some("B Creditor Co"));
    assert_eq!(cdtr.countries[0].code, "ES");
}

#[test]
fn pacs004_return_chain_party_wrapper() {
    let p = parsed("iso20022/cbprplus/cbprplus_p.2.1.2_pacs.004-BtoA.xml");
    let chain = "Document/PmtRtr/TxInf[1]/RtrChain";
    let cdtr = by_path(&p, &format!("{chain}/Cdtr"));
    let n = cdtr.name.as_ref().unwrap();
    assert_eq!(
        (n.path.as_str(), n.text.as_str()),
        (format!("{chain}/Cdtr/Pty/Nm").as_str(), "GB Engineering")
    );
    let dbtr = by_path(&p, &format!("{chain}/Dbtr"));
    assert_eq!(dbtr.kind, PartyKind::FinancialInstitution);
    assert_eq!(
        dbtr.bic.as_ref().unwrap().path,
        format!("{chain}/Dbtr/Agt/FinInstnId/BICFI")
    );
    assert_eq!(
        by_path(&p, "AppHdr/Rltd/Fr").role,
        Role::Other("related_sender".into())
    );
}

#[test]
fn pain001_debtor_iban_and_agent_details() {
    let p = parsed("iso20022/misc/International_payment_RUB_naujas_1.xml");
    assert_eq!(p.message_type, "pain.001.001.03");
    let info = "Document/CstmrCdtTrfInitn/PmtInf[1]";
    let dbtr = by_path(&p, &format!("{info}/Dbtr"));
    assert_eq!(
        (name(dbtr), dbtr.kind),
        (Some("IMONE X"), PartyKind::Organisation)
    );
    let iban = dbtr.account.as_ref().unwrap();
    assert_eq!(
        (iban.path.as_str(), iban.text.as_str()),
        (
            format!("{info}/DbtrAcct/Id/IBAN").as_str(),
            "LT007180000000000000"
        )
    );
    let lt = &dbtr.countries[0];
    assert_eq!((lt.code.as_str(), lt.from), ("LT", CountrySource::Iban));
    assert_eq!(
        dbtr.other_ids[0].path,
        format!("{info}/Dbtr/Id/OrgId/Othr[1]/Id")
    );

    let agent = by_path(&p, &format!("{info}/CdtTrfTxInf[1]/CdtrAgt"));
    assert_eq!(name(agent), Some("UNICREDIT BANK AO"));
    assert_eq!(agent.other_ids[0].text, "044525593");
    assert_eq!(agent.account.as_ref().unwrap().text, "10000000000000000001");
    let sources: Vec<(&str, CountrySource)> = agent
        .countries
        .iter()
        .map(|c| (c.code.as_str(), c.from))
        .collect();
    assert_eq!(
        sources,
        [("RU", CountrySource::Address), ("RU", CountrySource::Text)]
    );
    let amount = &p.amounts[0];
    assert_eq!(
        (amount.currency.as_str(), amount.value.as_str()),
        ("RUB", "1000.00")
    );

    let swiss = parsed("iso20022/misc/musterfile_pain.001_Nov2020.xml");
    let contact = swiss
        .free_text
        .iter()
        .find(|t| t.path.ends_with("CtctDtls/Nm"))
        .unwrap();
    assert_eq!(contact.text, "PostFinance");
}

#[test]
fn camt_statements_owners_and_related_parties() {
    let p = parsed("iso20022/misc/FI_camt_053_sample.xml");
    let owner = by_path(&p, "Document/BkToCstmrStmt/Stmt[1]/Acct/Ownr");
    assert_eq!(owner.role, Role::AccountOwner);
    assert_eq!(name(owner), Some("BANK ACCOUNT OWNER"));
    assert_eq!(owner.account.as_ref().unwrap().text, "FI7433010001222090");
    // "UK" in <Ctry> (not an ISO code) is read as GB.
    let payer = p
        .parties
        .iter()
        .find(|x| name(x) == Some("PAYERS NAME2"))
        .unwrap();
    assert!(payer.path.ends_with("/RltdPties/Dbtr"), "{}", payer.path);
    assert_eq!(payer.countries[0].code, "GB");

    let p =
        parsed("iso20022/misc/camt.053_P_CH2909000000250094239_1110092698_0_2020112503071366.xml");
    let entry = p.free_text.iter().find(|t| {
        t.kind == FreeTextKind::AdditionalInfo && t.path.ends_with("Ntry[1]/AddtlNtryInf")
    });
    assert!(entry.unwrap().text.starts_with("GUTSCHRIFT"));
}

// ---------------------------------------------------------------- hostile and broken input

#[test]
fn truncated_pacs008_is_malformed_never_ok() {
    let bytes = sample("iso20022/cbprplus/cbprplus_p.2.1.2_pacs.008-AtoB.xml");
    let total_lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    let end = bytes
        .windows(11)
        .rposition(|w| w == b"</Envelope>")
        .unwrap();
    let mut cuts: Vec<usize> = [10, 25, 40, 50, 60, 75, 90, 99]
        .iter()
        .map(|pct| bytes.len() * pct / 100)
        .collect();
    cuts.extend((1..end).step_by(37));
    for cut in cuts.into_iter().filter(|&c| c < end) {
        let (line, _, message) = malformed_line(parse(&bytes[..cut]));
        assert!((1..=total_lines).contains(&line), "cut {cut}: line {line}");
        assert!(!message.is_empty());
    }
    // At 60% the document is cut inside the transaction: the error names the open path.
    let cut = bytes.len() * 60 / 100;
    let (line, location, message) = malformed_line(parse(&bytes[..cut]));
    let expected_line = bytes[..cut].iter().filter(|&&b| b == b'\n').count() + 1;
    assert_eq!(line, expected_line);
    assert!(
        location.starts_with("Envelope/Document/FIToFICstmrCdtTrf/CdtTrfTxInf"),
        "{location}"
    );
    assert!(
        message.starts_with("unexpected end of document inside <") || message.contains("syntax"),
        "{message}"
    );
}

#[test]
fn doctype_and_entities_are_refused() {
    let xxe = br#"<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf><GrpHdr><MsgId>&x;</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>"#;
    assert_eq!(parse(xxe), Err(PaymentError::Doctype));
    assert_eq!(parse_iso20022(xxe), Err(PaymentError::Doctype));

    let lol = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><Nm>&lol3;</Nm></Document>"#;
    assert_eq!(parse(lol), Err(PaymentError::Doctype));

    // A DOCTYPE spliced into a real sample, after its licence comment.
    let real = sample("iso20022/cbprplus/cbprplus_c.53.5_pacs.008_AtoB.xml");
    let mut spliced =
        b"<?xml version=\"1.0\"?><!DOCTYPE Envelope SYSTEM \"http://evil/x.dtd\">".to_vec();
    spliced.extend_from_slice(&real[real.iter().position(|&b| b == b'\n').unwrap()..]);
    assert_eq!(parse(&spliced), Err(PaymentError::Doctype));

    // Without a DTD an undeclared entity is an error, not an expansion.
    let text = String::from_utf8(real)
        .unwrap()
        .replace("Agoda Company", "Agoda &evil; Company");
    let (line, location, message) = malformed_line(parse(text.as_bytes()));
    assert_eq!(line, 100);
    assert!(location.ends_with("Cdtr/Nm"), "{location}");
    assert!(message.contains("evil"), "{message}");
}

#[test]
fn broken_mt103_names_the_line() {
    let real =
        String::from_utf8(sample("swift_mt/MT103_c_53_5_mt_mx_finMessage_535_A_B.fin")).unwrap();
    let unterminated = real.trim_end().strip_suffix("-}").unwrap();
    let (line, location, message) = malformed_line(parse(unterminated.as_bytes()));
    assert_eq!((line, location.as_str()), (17, "block 4"));
    assert!(message.contains("'-}'"), "{message}");

    let garbage = real.replace("{4:\r\n", "{4:\r\nHELLO WORLD\r\n");
    let (line, location, message) = malformed_line(parse(garbage.as_bytes()));
    assert_eq!((line, location.as_str()), (2, "block 4"));
    assert!(message.contains("before the first field"), "{message}");

    let empty_field = real.replace(
        ":59F:/985412687\r\n1/Agoda Company\r\n2/30 Cecil Street\r\n3/SG/Singapore",
        ":59F:",
    );
    let (line, location, _) = malformed_line(parse(empty_field.as_bytes()));
    assert_eq!((line, location.as_str()), (12, "block 4, field :59F:"));

    let unbalanced = real.replacen("0000000000}{2:", "0000000000{2:", 1);
    let (line, location, _) = malformed_line(parse(unbalanced.as_bytes()));
    assert_eq!((line, location.as_str()), (1, "block 1"));

    // Every cut before the terminator fails; none panics.
    let end = real.find("\r\n-}").unwrap();
    for cut in (1..end).filter(|c| real.is_char_boundary(*c)) {
        assert!(parse_mt(&real[..cut]).is_err(), "cut at {cut} parsed");
    }
}

#[test]
fn size_limit_and_empty_input() {
    let bytes = sample("swift_mt/MT103_c_53_5_mt_mx_finMessage_535_A_B.fin");
    assert_eq!(
        parse_with_limit(&bytes, 100),
        Err(PaymentError::TooLarge {
            size: bytes.len(),
            limit: 100
        })
    );
    let mut huge = b"<Document>".to_vec();
    huge.resize(DEFAULT_MAX_BYTES + 1, b' ');
    assert_eq!(
        parse(&huge),
        Err(PaymentError::TooLarge {
            size: DEFAULT_MAX_BYTES + 1,
            limit: DEFAULT_MAX_BYTES
        })
    );
    assert_eq!(parse(b""), Err(PaymentError::Empty));
    assert_eq!(parse_iso20022(b"\n\n"), Err(PaymentError::Empty));
}

#[test]
fn non_payment_input_is_refused() {
    for junk in [
        &b"Lorem ipsum dolor sit amet"[..],
        b"\x00\x01\x02\xff\xfe binary",
        b"{\"json\": true}",
        b"<html><body>not a payment</body></html>",
        b"<<<>>>",
        b"{{{{",
    ] {
        match parse(junk) {
            Err(PaymentError::Unsupported { .. } | PaymentError::Malformed { .. }) => {}
            other => panic!("{:?}: {other:?}", String::from_utf8_lossy(junk)),
        }
    }
    let real = String::from_utf8(sample(
        "iso20022/cbprplus/cbprplus_c.53.5_pacs.008_AtoB.xml",
    ))
    .unwrap();
    let camt029 = real.replace("pacs.008.001.08\">", "camt.029.001.09\">");
    assert_eq!(
        parse(camt029.as_bytes()),
        Err(PaymentError::Unsupported {
            message_type: "camt.029.001.09".into()
        })
    );
    let foo = real.replace(
        "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\">",
        "urn:foo\">",
    );
    assert_eq!(
        parse(foo.as_bytes()),
        Err(PaymentError::Unsupported {
            message_type: "urn:foo".into()
        })
    );
    let mt999 = String::from_utf8(sample(
        "swift_mt/MT199_p_2_5_2_mt_mx_finMessage_p_2_5_2_B_A.fin",
    ))
    .unwrap()
    .replace("{2:O199", "{2:O999");
    assert_eq!(
        parse(mt999.as_bytes()),
        Err(PaymentError::Unsupported {
            message_type: "MT999".into()
        })
    );
}

#[test]
fn truncated_samples_never_panic() {
    // Coarse fuzzing over every sample: cuts anywhere must give Ok or an error.
    for dir in ["iso20022/cbprplus", "iso20022/misc", "swift_mt"] {
        for path in files(dir) {
            let bytes = std::fs::read(&path).unwrap();
            for cut in (0..bytes.len()).step_by(211) {
                let _ = parse(&bytes[..cut]);
            }
        }
    }
}

#[test]
fn inputs_near_the_limit_parse_in_linear_time() {
    // Flat repetition is where a careless sibling look-up or path index goes quadratic.
    let tx = "<CdtTrfTxInf><Dbtr><Nm>D</Nm></Dbtr><DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct><RmtInf><Ustrd>x</Ustrd></RmtInf></CdtTrfTxInf>";
    let n = (DEFAULT_MAX_BYTES - 400) / tx.len();
    let xml = format!(
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08\"><FIToFICstmrCdtTrf>{}</FIToFICstmrCdtTrf></Document>",
        tx.repeat(n)
    );
    let p = parse(xml.as_bytes()).unwrap();
    assert_eq!(p.parties.len(), n);
    assert_eq!(
        p.parties[n - 1].path,
        format!("Document/FIToFICstmrCdtTrf/CdtTrfTxInf[{n}]/Dbtr")
    );

    let head = "{1:F01CNORGB22XXXX0000000000}{2:O9401700221020RBOSGB2LXXXX00000000002210201700N}{4:\r\n:20:S\r\n";
    let m = (DEFAULT_MAX_BYTES - 200) / 10;
    let mt = format!("{head}{}-}}", ":86:ABCD\r\n".repeat(m));
    let p = parse(mt.as_bytes()).unwrap();
    assert_eq!(p.free_text.len(), m);
    assert_eq!(p.free_text[m - 1].path, format!(":86:[{m}]"));
}
