//! A measured set of payments to Russian parties, to show what a policy holds.
//!
//! The question a bank in a third country asks is not "does Redline hold payments
//! to Russia?" — holding all of them is easy — but "which does it hold, and does it
//! let any linked one through?". This corpus answers it with MT103 messages built
//! the way rouble (SWIFT-RUR) and yuan payments to Russia are written, from the
//! loaded lists' own parties and from companies on no list, each labelled *linked*
//! or not and by how:
//!
//! | class | linked | beneficiary |
//! |---|---|---|
//! | `listed_name_and_inn` | yes | a listed Russian organisation, its list name and INN |
//! | `listed_inn_other_name` | yes | a listed organisation's INN under another (front) name |
//! | `listed_name_no_inn` | yes | a listed organisation by name only (a yuan payment) |
//! | `listed_bank` | yes | an unlisted company whose bank is a listed Russian bank (BIC) |
//! | `chpl_goods` | yes | an unlisted company paid for goods on the Common High Priority List |
//! | `unlisted_rouble` | no | an unlisted company with a valid INN and KPP, roubles |
//! | `unlisted_yuan` | no | the same, paid in yuan by a Chinese company with its USCC |
//! | `unlisted_no_inn` | no | an unlisted company without its INN (evidence incomplete) |
//! | `unlisted_bad_inn` | no | an unlisted company with a mistyped INN |
//!
//! Unlisted companies are the caller's names (Russian company names on no list,
//! e.g. the public benchmark's `negatives-orgs`), written in SWIFT-RUR; their INNs
//! and the payers' USCCs are made to pass their registries' checks and checked to be
//! on no list. Everything is chosen in a fixed order, so the corpus — and the rates
//! measured on it — are the same for the same lists and names.

use redline_model::registry::{Scheme, USCC_ALPHABET};
use redline_model::Schema;
use redline_names::cyrillic_to_swift_rur;
use std::collections::BTreeSet;

use crate::screen::ListLookups;

/// One generated message and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusMessage {
    /// `listed_name_and_inn-003.fin`
    pub file: String,
    pub class: &'static str,
    pub linked: bool,
    /// The list entry or fact that makes it linked, or why it is not.
    pub why: String,
    pub text: String,
}

/// The classes, in the order of the table above, with whether each is linked.
pub const CLASSES: [(&str, bool); 9] = [
    ("listed_name_and_inn", true),
    ("listed_inn_other_name", true),
    ("listed_name_no_inn", true),
    ("listed_bank", true),
    ("chpl_goods", true),
    ("unlisted_rouble", false),
    ("unlisted_yuan", false),
    ("unlisted_no_inn", false),
    ("unlisted_bad_inn", false),
];

/// Russian banks on none of the bundled lists, by BIC, and the one BIK known for
/// the first (Raiffeisenbank AO); BICs found listed are skipped when building.
const UNLISTED_BANKS: [(&str, &str, Option<&str>); 4] = [
    ("RZBMRUMM", "AO RAIFFEISENBANK", Some("044525700")),
    ("ICBKRUMM", "AO ICBC BANK", None),
    ("BKCHRUMM", "AO BANK OF CHINA", None),
    ("CITIRUMX", "AO CITIBANK", None),
];

/// Why a corpus cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorpusError {
    #[error("{0}")]
    Short(String),
}

/// Builds `per_class` messages of every class from the lists behind `lookups` and
/// the unlisted Russian company names `unlisted` (Cyrillic or Latin), with the
/// payers' names `payers` (Latin company names on no list).
pub fn russia_corpus(
    lookups: &ListLookups,
    unlisted: &[String],
    payers: &[String],
    per_class: usize,
) -> Result<Vec<CorpusMessage>, CorpusError> {
    let listed_orgs = lookups.listed_registry(Scheme::Inn, Schema::Organization);
    // By name alone, a name must fit the 35 characters of an MT name line: a cut
    // name is a different test (and the INN classes carry the long ones).
    let short_named: Vec<&ListedNumber> = listed_orgs
        .iter()
        .filter(|l| l.caption.chars().count() <= 35)
        .collect();
    let listed_banks = lookups.listed_bics_of_country("RU");
    let banks: Vec<_> = UNLISTED_BANKS
        .iter()
        .filter(|(bic, _, _)| !lookups.bic_is_listed(bic))
        .collect();
    let need = |what: &str, have: usize| {
        if have == 0 {
            Err(CorpusError::Short(format!(
                "no {what}: load the lists and pass unlisted names"
            )))
        } else {
            Ok(())
        }
    };
    need("listed Russian organisation with an INN", listed_orgs.len())?;
    need("listed Russian bank BIC", listed_banks.len())?;
    need("unlisted Russian bank", banks.len())?;
    need("unlisted company name", unlisted.len())?;
    need("payer name", payers.len())?;

    let mut inns = InnMaker::new(lookups);
    let mut out = Vec::new();
    for (class, linked) in CLASSES {
        for i in 0..per_class {
            // Spread the picks over each pool so neighbours in the list are not all
            // taken; `stride` is coprime with nothing in particular, just large.
            let pick = |len: usize, salt: usize| (i * 7919 + salt * 104_729) % len;
            let listed = if class == "listed_name_no_inn" {
                short_named[pick(short_named.len(), 1)]
            } else {
                &listed_orgs[pick(listed_orgs.len(), 1)]
            };
            // A Russian company name as SWIFT-RUR writes it.
            let name = cyrillic_to_swift_rur(&unlisted[pick(unlisted.len(), 2)]);
            let payer = &payers[pick(payers.len(), 3)];
            let bank = banks[pick(banks.len(), 4)];
            let mut m = Message {
                currency: "RUB",
                payer: payer.clone(),
                payer_uscc: None,
                sender: "HSBKKZKX",
                bank_bic: bank.0.to_string(),
                bank_name: bank.1.to_string(),
                bank_bik: bank.2.map(str::to_string),
                beneficiary: name.clone(),
                inn_line: None,
                remittance: "(VO10100) PAYMENT FOR GOODS UNDER CONTRACT".to_string(),
            };
            let why;
            match class {
                "listed_name_and_inn" | "listed_inn_other_name" | "listed_name_no_inn" => {
                    if class != "listed_inn_other_name" {
                        m.beneficiary = listed.caption.clone();
                    }
                    if class != "listed_name_no_inn" {
                        m.inn_line = Some(format!("INN{}", listed.number));
                    } else {
                        m.yuan(&mut inns);
                    }
                    why = format!(
                        "{} ({}), INN {}",
                        listed.caption, listed.entity_id, listed.number
                    );
                }
                "listed_bank" => {
                    let (bic, entity) = &listed_banks[pick(listed_banks.len(), 5)];
                    m.bank_bic = bic.clone();
                    m.bank_name = "BANK".to_string();
                    m.bank_bik = None;
                    m.inn_line = Some(format!("INN{}.KPP770101001", inns.next()));
                    why = format!("beneficiary's bank {bic} ({entity})");
                }
                "chpl_goods" => {
                    m.inn_line = Some(format!("INN{}.KPP770101001", inns.next()));
                    m.remittance =
                        "(VO10100) INTEGRATED CIRCUITS MICROCONTROLLERS HS 854231".into();
                    why = "integrated circuits, HS 8542.31: CHPL tier 1".to_string();
                }
                "unlisted_rouble" => {
                    m.inn_line = Some(format!("INN{}.KPP770101001", inns.next()));
                    why = "on no list; valid INN".to_string();
                }
                "unlisted_yuan" => {
                    m.inn_line = Some(format!("INN{}", inns.next()));
                    m.yuan(&mut inns);
                    why = "on no list; valid INN; payer's USCC".to_string();
                }
                "unlisted_no_inn" => {
                    m.yuan(&mut inns);
                    why = "on no list; no INN given".to_string();
                }
                _ => {
                    let inn = inns.next();
                    let last = inn.as_bytes()[9] - b'0';
                    let wrong = format!("{}{}", &inn[..9], (last + 1) % 10);
                    m.inn_line = Some(format!("INN{wrong}"));
                    why = format!("on no list; INN mistyped ({wrong} for {inn})");
                }
            }
            out.push(CorpusMessage {
                file: format!("{class}-{i:03}.fin"),
                class,
                linked,
                why,
                text: m.mt103(&format!("{}{i:03}", &class[..3].to_ascii_uppercase())),
            });
        }
    }
    Ok(out)
}

/// A listed organisation's registry number, with its entity.
pub(crate) struct ListedNumber {
    pub entity_id: String,
    pub caption: String,
    pub number: String,
}

struct Message {
    currency: &'static str,
    payer: String,
    payer_uscc: Option<String>,
    /// The sending bank's 8-character BIC.
    sender: &'static str,
    bank_bic: String,
    bank_name: String,
    bank_bik: Option<String>,
    beneficiary: String,
    inn_line: Option<String>,
    remittance: String,
}

impl Message {
    /// A yuan payment from a Chinese company: ICBC as the sender, the payer's USCC.
    fn yuan(&mut self, inns: &mut InnMaker) {
        self.currency = "CNY";
        self.sender = "ICBKCNBJ";
        self.payer_uscc = Some(inns.uscc());
        self.remittance = "PAYMENT FOR GOODS UNDER CONTRACT".to_string();
    }

    fn mt103(&self, reference: &str) -> String {
        let mut payer = String::new();
        if let Some(uscc) = &self.payer_uscc {
            payer.push_str(&format!("USCC{uscc}\n"));
        }
        payer.push_str(&clip(&self.payer));
        let bank = match &self.bank_bik {
            Some(bik) => format!(
                ":57D://RU{bik}.30101810200000000700\n{}\nMOSCOW",
                self.bank_name
            ),
            None => format!(":57A:{}XXX", self.bank_bic),
        };
        let inn = self
            .inn_line
            .as_ref()
            .map(|l| format!("{l}\n"))
            .unwrap_or_default();
        format!(
            "{{1:F01{sender}AXXX0000000000}}{{2:I103{receiver}XXXXN}}{{4:\n\
             :20:{reference}\n:23B:CRED\n:32A:260115{ccy}100000,\n\
             :50K:/00112233445566\n{payer}\n:52A:{sender}XXX\n{bank}\n\
             :59:/40702810400000000002\n{inn}{beneficiary}\nMOSCOW\n\
             :70:{remittance}\n:71A:OUR\n-}}\n",
            sender = self.sender,
            receiver = self.bank_bic,
            ccy = self.currency,
            beneficiary = clip(&self.beneficiary),
            remittance = clip(&self.remittance),
        )
    }
}

/// A name line as MT allows: at most 35 characters.
fn clip(text: &str) -> String {
    text.chars().take(35).collect()
}

/// Valid INNs (10 digits, organisations) and USCCs on no list, in a fixed sequence.
struct InnMaker<'l> {
    lookups: &'l ListLookups,
    next: u64,
    used: BTreeSet<String>,
}

impl<'l> InnMaker<'l> {
    fn new(lookups: &'l ListLookups) -> Self {
        InnMaker {
            lookups,
            next: 770_100_000,
            used: BTreeSet::new(),
        }
    }

    /// The next INN (Moscow tax offices' prefix 77) that passes its check and that
    /// no list carries.
    fn next(&mut self) -> String {
        self.fresh(Scheme::Inn, |n| n.to_string(), "0123456789")
    }

    /// The next USCC (a Beijing company's prefix) that passes its check and that no
    /// list carries.
    fn uscc(&mut self) -> String {
        let body = |n: u64| format!("91110000{:09}", n % 1_000_000_000);
        self.fresh(Scheme::Uscc, body, USCC_ALPHABET)
    }

    /// The next number of `scheme`: a body from the sequence, completed by the one
    /// check character of `alphabet` that makes it valid, unlisted and unused.
    fn fresh(&mut self, scheme: Scheme, body: impl Fn(u64) -> String, alphabet: &str) -> String {
        loop {
            self.next += 7;
            let body = body(self.next);
            let number = alphabet
                .chars()
                .map(|c| format!("{body}{c}"))
                .find(|c| scheme.check(c).is_ok());
            if let Some(number) = number {
                if !self.lookups.registry_is_listed(scheme, &number)
                    && self.used.insert(number.clone())
                {
                    return number;
                }
            }
        }
    }
}
