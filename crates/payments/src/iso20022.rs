//! ISO 20022 (pacs.008/009/004/002, pain.001, camt.052/053/054, with or without a
//! head.001 AppHdr and envelope) → [`Payment`].
//!
//! One generic walk serves every family: parties are recognised by element name
//! (`Dbtr`, `CdtrAgt`, `IntrmyAgt2`, `Acct/Ownr`, …) wherever they sit, because the
//! families reuse the same building blocks at different depths — a pacs.009 COV nests
//! a whole customer transfer in `UndrlygCstmrCdtTrf`, camt puts parties under
//! `RltdPties`, pacs.004 under `RtrChain` with a `Pty`/`Agt` wrapper. Per-family code
//! would drift apart; name rules do not, and the path tells screening which place a
//! party came from.
//!
//! Paths drop envelope wrappers and start at `AppHdr` or `Document`, use local names
//! (prefixes differ between senders), and give every element the schema lets repeat
//! a 1-based index even when it occurs once (`CdtTrfTxInf[1]`), so a party's path does
//! not change when a second transaction is added.

use crate::xml::{self, Element};
use crate::{
    ids, Amount, CountrySource, Format, FreeText, FreeTextKind, Party, PartyKind, Payment,
    PaymentError, Role, Value,
};
use redline_model::registry::{self, Scheme};
use std::collections::HashMap;

/// Message families whose parties and free text we know how to find.
const SUPPORTED_FAMILIES: [&str; 8] = [
    "pacs.008", "pacs.009", "pacs.004", "pacs.002", "pain.001", "camt.052", "camt.053", "camt.054",
];

#[derive(Default)]
struct Out {
    parties: Vec<Party>,
    free_text: Vec<FreeText>,
    amounts: Vec<Amount>,
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Payment, PaymentError> {
    if xml::declares_dtd(bytes) {
        return Err(PaymentError::Doctype);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        PaymentError::malformed(
            ids::line_of(bytes, e.valid_up_to()),
            "document",
            "invalid UTF-8 (only UTF-8 XML is accepted)",
        )
    })?;
    let root = xml::parse(text)?;
    let app_hdr = find(&root, "AppHdr");
    let document = find(&root, "Document").ok_or_else(|| PaymentError::Unsupported {
        message_type: match &root.namespace {
            Some(ns) => format!("<{}> in {ns}", root.name),
            None => format!("<{}> without an ISO 20022 Document", root.name),
        },
    })?;
    let message_type = message_type(document, app_hdr)?;

    let mut out = Out::default();
    if let Some(hdr) = app_hdr {
        walk(hdr, "AppHdr", &mut out, 0);
    }
    walk(document, "Document", &mut out, 0);

    let message_id = document
        .children
        .iter()
        .find_map(|msg| msg.descend(&["GrpHdr", "MsgId"]))
        .or_else(|| app_hdr.and_then(|h| h.child("BizMsgIdr")))
        .map(|e| e.value().to_string())
        .filter(|s| !s.is_empty());

    Ok(Payment {
        format: Format::Iso20022,
        message_type,
        message_id,
        sha256: crate::sha256_hex(bytes),
        parties: out.parties,
        free_text: out.free_text,
        amounts: out.amounts,
    })
}

/// The element itself or the first one of that name within three levels: envelopes
/// (`Envelope`, `RequestPayload`, `DataPDU/Body`…) differ, their contents do not.
fn find<'a>(root: &'a Element, name: &str) -> Option<&'a Element> {
    fn search<'a>(el: &'a Element, name: &str, depth: usize) -> Option<&'a Element> {
        if el.name == name {
            return Some(el);
        }
        if depth == 0 {
            return None;
        }
        el.children.iter().find_map(|c| search(c, name, depth - 1))
    }
    search(root, name, 3)
}

/// From the Document namespace (authoritative), else AppHdr/MsgDefIdr.
fn message_type(document: &Element, app_hdr: Option<&Element>) -> Result<String, PaymentError> {
    let from_ns = document
        .namespace
        .as_deref()
        .map(|ns| (ns, message_id_in(ns)));
    let found = match from_ns {
        Some((_, Some(id))) => id,
        Some((ns, None)) => {
            return Err(PaymentError::Unsupported {
                message_type: ns.to_string(),
            })
        }
        None => app_hdr
            .and_then(|h| h.child("MsgDefIdr"))
            .and_then(|e| message_id_in(e.value()))
            .ok_or_else(|| PaymentError::Unsupported {
                message_type: "Document without namespace or MsgDefIdr".to_string(),
            })?,
    };
    if SUPPORTED_FAMILIES.iter().any(|f| found.starts_with(f)) {
        Ok(found)
    } else {
        Err(PaymentError::Unsupported {
            message_type: found,
        })
    }
}

/// "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08" → "pacs.008.001.08";
/// "http://www.six-interbank-clearing.com/de/pain.001.001.03.ch.02.xsd" →
/// "pain.001.001.03.ch.02".
fn message_id_in(s: &str) -> Option<String> {
    let last = s.trim().rsplit([':', '/']).next()?;
    let last = last.strip_suffix(".xsd").unwrap_or(last);
    let parts: Vec<&str> = last.split('.').collect();
    let ok = parts.len() >= 4
        && parts[0].len() == 4
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && [3, 3, 2]
            .iter()
            .zip(&parts[1..4])
            .all(|(&n, p)| p.len() == n && p.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| last.to_string())
}

/// Elements the schemas let repeat under this parent: they always get an index.
fn repeatable(parent: &str, name: &str) -> bool {
    match name {
        "CdtTrfTxInf" | "TxInf" | "TxInfAndSts" | "OrgnlGrpInfAndSts" | "OrgnlPmtInfAndSts"
        | "PmtInf" | "Stmt" | "Ntfctn" | "Rpt" | "Ntry" | "NtryDtls" | "TxDtls" | "Btch"
        | "Bal" | "AdrLine" | "Ustrd" | "Strd" | "RfrdDocInf" | "RltdRmtInf" | "InstrForNxtAgt"
        | "InstrForCdtrAgt" | "RgltryRptg" | "Dtls" | "Inf" | "ChrgsInf" | "StsRsnInf"
        | "RtrRsnInf" | "Rcrd" => true,
        "Othr" => matches!(parent, "OrgId" | "PrvtId"),
        "AddtlInf" => matches!(parent, "StsRsnInf" | "RtrRsnInf" | "RtrInf"),
        _ => false,
    }
}

/// Paths of an element's children, in order.
fn child_paths(el: &Element, path: &str) -> Vec<String> {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    el.children
        .iter()
        .map(|c| {
            if !repeatable(&el.name, &c.name) {
                return format!("{path}/{}", c.name);
            }
            let n = match seen.iter_mut().find(|(name, _)| *name == c.name) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    seen.push((&c.name, 1));
                    1
                }
            };
            format!("{path}/{}[{n}]", c.name)
        })
        .collect()
}

/// The party role an element plays, judged by its name and its parent's.
fn party_role(name: &str, parent: &str) -> Option<Role> {
    let other = |s: &str| Some(Role::Other(s.to_string()));
    match (parent, name) {
        ("AppHdr", "Fr") => Some(Role::Sender),
        ("AppHdr", "To") => Some(Role::Receiver),
        ("Rltd", "Fr") => other("related_sender"),
        ("Rltd", "To") => other("related_receiver"),
        ("Acct", "Ownr") => Some(Role::AccountOwner),
        ("Acct", "Svcr") => Some(Role::AccountServicer),
        ("ChrgsInf", "Agt") => other("charges_agent"),
        ("Strd", "Invcee") => other("invoicee"),
        ("Strd", "Invcr") => other("invoicer"),
        (_, "Dbtr") => Some(Role::Debtor),
        (_, "Cdtr") => Some(Role::Creditor),
        (_, "UltmtDbtr") => Some(Role::UltimateDebtor),
        (_, "UltmtCdtr") => Some(Role::UltimateCreditor),
        (_, "InitgPty") => Some(Role::InitiatingParty),
        (_, "DbtrAgt") => Some(Role::DebtorAgent),
        (_, "CdtrAgt") => Some(Role::CreditorAgent),
        (_, "IntrmyAgt1" | "IntrmyAgt2" | "IntrmyAgt3") => Some(Role::IntermediaryAgent),
        (_, "InstgAgt") => Some(Role::InstructingAgent),
        (_, "InstdAgt") => Some(Role::InstructedAgent),
        (_, "PrvsInstgAgt1" | "PrvsInstgAgt2" | "PrvsInstgAgt3") => {
            Some(Role::PreviousInstructingAgent)
        }
        (_, "InstgRmbrsmntAgt") => Some(Role::SendersCorrespondent),
        (_, "InstdRmbrsmntAgt") => Some(Role::ReceiversCorrespondent),
        (_, "ThrdRmbrsmntAgt") => Some(Role::ThirdReimbursementInstitution),
        (_, "MsgRcpt") => other("message_recipient"),
        (_, "FwdgAgt") => other("forwarding_agent"),
        (_, "Orgtr") => other("originator"),
        (_, "TradgPty") => other("trading_party"),
        (_, "DlvrgAgt") => other("delivering_agent"),
        (_, "RcvgAgt") => other("receiving_agent"),
        (_, "IssgAgt") => other("issuing_agent"),
        (_, "Authrty") => other("regulatory_authority"),
        _ => None,
    }
}

fn free_text_kind(parent: &str, name: &str) -> Option<FreeTextKind> {
    Some(match (parent, name) {
        ("RmtInf", "Ustrd") | ("Strd", "AddtlRmtInf") => FreeTextKind::Remittance,
        ("InstrForNxtAgt" | "InstrForCdtrAgt", "InstrInf") => FreeTextKind::InstructionForNextAgent,
        ("Dtls", "Inf") => FreeTextKind::RegulatoryReporting,
        ("Purp", "Cd" | "Prtry") => FreeTextKind::Purpose,
        (_, "AddtlNtryInf" | "AddtlTxInf" | "AddtlInf") => FreeTextKind::AdditionalInfo,
        ("PstlAdr", "AdrLine") => FreeTextKind::AddressLine,
        // Account names ("Acct/Nm", "DbtrAcct/Nm") are often the holder's name.
        (p, "Nm") if p.ends_with("Acct") => FreeTextKind::AdditionalInfo,
        _ => return None,
    })
}

fn amount(parent: &str, el: &Element, path: &str) -> Option<Amount> {
    let wanted = match el.name.as_str() {
        "IntrBkSttlmAmt" | "InstdAmt" | "RtrdIntrBkSttlmAmt" | "RtrdInstdAmt" => true,
        "Amt" => matches!(parent, "Ntry" | "TxDtls" | "TxAmt" | "InstdAmt" | "EqvtAmt"),
        _ => false,
    };
    let currency = el.attribute("Ccy")?;
    (wanted && el.is_leaf()).then(|| Amount {
        path: path.to_string(),
        currency: currency.trim().to_string(),
        value: el.value().to_string(),
    })
}

/// Visits `el`'s children: parties are extracted whole (with their sibling account),
/// everything else is checked for free text and amounts and descended into.
fn walk(el: &Element, path: &str, out: &mut Out, depth: usize) {
    if depth > xml::MAX_DEPTH {
        return;
    }
    let paths = child_paths(el, path);
    // First child of each name, for sibling look-ups in O(1): a flat element may have
    // tens of thousands of children in a 1 MiB message.
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (k, c) in el.children.iter().enumerate() {
        first.entry(c.name.as_str()).or_insert(k);
    }
    let sibling = |name: &str| {
        first
            .get(name)
            .map(|&k| (&el.children[k], paths[k].as_str()))
    };
    for (child, cpath) in el.children.iter().zip(&paths) {
        if let Some(role) = party_role(&child.name, &el.name).filter(|_| !child.is_leaf()) {
            let account = if role == Role::AccountOwner {
                Some((el, path))
            } else {
                sibling(&format!("{}Acct", child.name))
            };
            let p = party(child, cpath, role, account, out, depth);
            out.parties.push(p);
            continue;
        }
        if child.name == "Acct" && child.child("Ownr").is_none() && child.child("Id").is_some() {
            // The message names the account but not its owner: keep the account (and
            // its IBAN country) screenable as an owner without a name.
            let mut owner = Party::new(Role::AccountOwner, cpath.clone(), PartyKind::Unknown);
            attach_account(&mut owner, child, cpath);
            out.parties.push(owner);
        }
        if let Some(base) = child.name.strip_suffix("Acct") {
            let role = party_role(base, &el.name);
            if let (Some(role), None) = (role, sibling(base)) {
                // A party account without its party (e.g. CdtrAcct but no Cdtr).
                let kind = if base.ends_with("Agt") {
                    PartyKind::FinancialInstitution
                } else {
                    PartyKind::Unknown
                };
                let mut p = Party::new(role, cpath.clone(), kind);
                attach_account(&mut p, child, cpath);
                out.parties.push(p);
            }
        }
        if child.is_leaf() {
            if let Some(kind) = free_text_kind(&el.name, &child.name) {
                push_text(out, kind, cpath, child);
            }
            if let Some(a) = amount(&el.name, child, cpath) {
                out.amounts.push(a);
            }
        } else {
            walk(child, cpath, out, depth + 1);
        }
    }
}

fn push_text(out: &mut Out, kind: FreeTextKind, path: &str, el: &Element) {
    let text = el.value();
    if !text.is_empty() {
        out.free_text.push(FreeText {
            kind,
            path: path.to_string(),
            text: text.to_string(),
        });
    }
}

fn party(
    el: &Element,
    path: &str,
    role: Role,
    account: Option<(&Element, &str)>,
    out: &mut Out,
    depth: usize,
) -> Party {
    // Party40Choice (pacs.004 RtrChain, camt.053 v8+ RltdPties): Dbtr/Pty or Dbtr/Agt.
    let (content, content_path, wrapped_agent) = match (el.child("Pty"), el.child("Agt")) {
        (Some(pty), _) => (pty, format!("{path}/Pty"), false),
        (None, Some(agt)) => (agt, format!("{path}/Agt"), true),
        _ => (el, path.to_string(), false),
    };
    let kind = if wrapped_agent
        || el.name.ends_with("Agt")
        || content.has_descendant("FinInstnId")
        || content.has_descendant("FIId")
    {
        PartyKind::FinancialInstitution
    } else if content.has_descendant("PrvtId") {
        PartyKind::Person
    } else if content.has_descendant("OrgId") {
        PartyKind::Organisation
    } else {
        PartyKind::Unknown
    };
    let mut p = Party::new(role, path, kind);
    collect(content, &content_path, true, &mut p, out, depth + 1);
    if let Some((acct, acct_path)) = account {
        attach_account(&mut p, acct, acct_path);
    }
    p
}

/// Gathers a party's values from its subtree. `principal` marks the levels whose
/// `Nm` is the party's own name (the party element, `FinInstnId`, AppHdr `OrgId`);
/// any other `Nm` (branch, contact person) is kept as free text so it is still
/// screened.
fn collect(el: &Element, path: &str, principal: bool, p: &mut Party, out: &mut Out, depth: usize) {
    if depth > xml::MAX_DEPTH {
        return;
    }
    let paths = child_paths(el, path);
    for (c, cpath) in el.children.iter().zip(&paths) {
        let text = c.value();
        if c.is_leaf() {
            if text.is_empty() {
                continue;
            }
            let value = Value::new(cpath.as_str(), text);
            match c.name.as_str() {
                "Nm" if principal && p.name.is_none() => p.name = Some(value),
                "Nm" => push_text(out, FreeTextKind::AdditionalInfo, cpath, c),
                "BICFI" | "BIC" | "AnyBIC" | "BICOrBEI" => p.add_bic(value),
                "LEI" if p.lei.is_none() => p.lei = Some(value),
                "CtryOfRes" => add_country(p, text, CountrySource::CountryOfResidence, cpath),
                "CtryOfBirth" => add_country(p, text, CountrySource::CountryOfBirth, cpath),
                "Id" if el.name == "Othr" => match registry_scheme(el, text) {
                    Some(scheme) => p.add_registry_id(cpath, scheme, text),
                    None => p.other_ids.push(value),
                },
                "TaxId" => match registry::by_shape(text) {
                    Some(scheme) => p.add_registry_id(cpath, scheme, text),
                    None => p.other_ids.push(value),
                },
                "Id" if el.name == "BrnchId" => p.other_ids.push(value),
                "LEI" | "MmbId" | "RegnId" | "BirthDt" | "CityOfBirth" | "PrvcOfBirth" | "BEI"
                | "IBEI" | "EANGLN" | "USCHU" | "DUNS" | "BkPtyId" | "TaxIdNb" | "PrtryId" => {
                    p.other_ids.push(value)
                }
                _ => {}
            }
            continue;
        }
        match c.name.as_str() {
            "PstlAdr" => address(c, cpath, p, out),
            // Contact details: only the contact's name is worth screening.
            "CtctDtls" => {
                if let Some(nm) = c.child("Nm") {
                    push_text(
                        out,
                        FreeTextKind::AdditionalInfo,
                        &format!("{cpath}/Nm"),
                        nm,
                    );
                }
            }
            name => {
                let principal = principal && matches!(name, "FinInstnId" | "FIId" | "OrgId");
                collect(c, cpath, principal, p, out, depth + 1);
            }
        }
    }
}

/// The registry an `Othr/Id` belongs to, by its scheme name: a proprietary name that
/// is a registry's label (`<Prtry>INN</Prtry>`, `ОГРН`), or the tax-id code `TXID`
/// for a value shaped as one of the registries' numbers.
fn registry_scheme(othr: &Element, value: &str) -> Option<Scheme> {
    let scheme_name = othr.child("SchmeNm")?;
    if let Some(prtry) = scheme_name.child("Prtry") {
        return Scheme::from_label(prtry.value());
    }
    let code = scheme_name.child("Cd")?.value();
    (code == "TXID")
        .then(|| registry::by_shape(value))
        .flatten()
}

fn address(adr: &Element, path: &str, p: &mut Party, out: &mut Out) {
    for (part, ppath) in adr.children.iter().zip(child_paths(adr, path)) {
        let text = part.value();
        if !part.is_leaf() || text.is_empty() || part.name == "AdrTp" {
            continue;
        }
        match part.name.as_str() {
            "Ctry" => add_country(p, text, CountrySource::Address, &ppath),
            "AdrLine" => {
                push_text(out, FreeTextKind::AddressLine, &ppath, part);
                if let Some(code) = ids::country_in_text(text) {
                    p.add_country(code, CountrySource::Text, &ppath);
                }
            }
            _ => {}
        }
        p.address.push(Value::new(ppath, text));
    }
}

fn add_country(p: &mut Party, text: &str, from: CountrySource, path: &str) {
    if let Some(code) = ids::country_code(text) {
        p.add_country(code, from, path);
    }
}

/// An account element (`DbtrAcct`, `Acct`): `Id/IBAN`, else `Id/Othr/Id`.
fn attach_account(p: &mut Party, acct: &Element, path: &str) {
    let Some(id) = acct.child("Id") else {
        return;
    };
    if let Some(iban) = id.child("IBAN").filter(|e| !e.value().is_empty()) {
        p.add_account(Value::new(format!("{path}/Id/IBAN"), iban.value()), false);
    } else if let Some(other) = id
        .descend(&["Othr", "Id"])
        .filter(|e| !e.value().is_empty())
    {
        p.add_account(
            Value::new(format!("{path}/Id/Othr/Id"), other.value()),
            false,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(ns: &str, body: &str) -> String {
        format!(r#"<?xml version="1.0"?><Document xmlns="{ns}">{body}</Document>"#)
    }

    #[test]
    fn message_ids_from_namespaces() {
        let id = |s| message_id_in(s);
        assert_eq!(
            id("urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08").as_deref(),
            Some("pacs.008.001.08")
        );
        assert_eq!(
            id("http://www.six-interbank-clearing.com/de/pain.001.001.03.ch.02.xsd").as_deref(),
            Some("pain.001.001.03.ch.02")
        );
        assert_eq!(id("urn:foo"), None);
        assert_eq!(id("urn:iso:std:iso:20022:tech:xsd:pacs.8.1.8"), None);
    }

    #[test]
    fn party_with_sibling_account_and_private_id() {
        let xml = doc(
            "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08",
            "<FIToFICstmrCdtTrf><GrpHdr><MsgId>M1</MsgId></GrpHdr><CdtTrfTxInf>\
             <Dbtr><Nm>Ivan Petrov</Nm><PstlAdr><AdrLine>Tverskaya 1</AdrLine><AdrLine>Moscow, Russia</AdrLine></PstlAdr>\
             <Id><PrvtId><DtAndPlcOfBirth><BirthDt>1970-01-02</BirthDt><CtryOfBirth>BY</CtryOfBirth></DtAndPlcOfBirth>\
             <Othr><Id>P123</Id></Othr></PrvtId></Id><CtryOfRes>RU</CtryOfRes>\
             <CtctDtls><Nm>Olga</Nm></CtctDtls></Dbtr>\
             <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>\
             <RgltryRptg><Dtls><Inf>export licence 7</Inf></Dtls></RgltryRptg>\
             <Purp><Cd>GDDS</Cd></Purp>\
             <RmtInf><Ustrd>first</Ustrd><Ustrd>second</Ustrd></RmtInf></CdtTrfTxInf></FIToFICstmrCdtTrf>",
        );
        let p = parse(xml.as_bytes()).unwrap();
        assert_eq!(p.message_id.as_deref(), Some("M1"));
        let base = "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]";
        let d = &p.parties[0];
        assert_eq!((d.role.clone(), d.kind), (Role::Debtor, PartyKind::Person));
        assert_eq!(d.path, format!("{base}/Dbtr"));
        assert_eq!(d.name.as_ref().unwrap().text, "Ivan Petrov");
        assert_eq!(d.address[1].path, format!("{base}/Dbtr/PstlAdr/AdrLine[2]"));
        let acct = d.account.as_ref().unwrap();
        assert_eq!(acct.path, format!("{base}/DbtrAcct/Id/IBAN"));
        let countries: Vec<_> = d
            .countries
            .iter()
            .map(|c| (c.code.as_str(), c.from))
            .collect();
        assert_eq!(
            countries,
            [
                ("RU", CountrySource::Text),
                ("BY", CountrySource::CountryOfBirth),
                ("RU", CountrySource::CountryOfResidence),
                ("DE", CountrySource::Iban)
            ]
        );
        let ids: Vec<_> = d.other_ids.iter().map(|v| v.path.as_str()).collect();
        assert_eq!(
            ids,
            [
                format!("{base}/Dbtr/Id/PrvtId/DtAndPlcOfBirth/BirthDt"),
                format!("{base}/Dbtr/Id/PrvtId/Othr[1]/Id")
            ]
        );
        let texts: Vec<_> = p
            .free_text
            .iter()
            .map(|t| (t.kind, t.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                (FreeTextKind::AddressLine, "Tverskaya 1"),
                (FreeTextKind::AddressLine, "Moscow, Russia"),
                (FreeTextKind::AdditionalInfo, "Olga"),
                (FreeTextKind::RegulatoryReporting, "export licence 7"),
                (FreeTextKind::Purpose, "GDDS"),
                (FreeTextKind::Remittance, "first"),
                (FreeTextKind::Remittance, "second"),
            ]
        );
        assert_eq!(p.free_text[6].path, format!("{base}/RmtInf/Ustrd[2]"));
    }

    #[test]
    fn wrapped_parties_and_account_owners() {
        let xml = doc(
            "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
            "<BkToCstmrStmt><Stmt><Acct><Id><IBAN>CH5109000000250092291</IBAN></Id>\
             <Svcr><FinInstnId><BICFI>POFICHBEXXX</BICFI><Nm>PostFinance</Nm></FinInstnId><BrnchId><Nm>Bern</Nm></BrnchId></Svcr></Acct>\
             <Ntry><Amt Ccy=\"CHF\">5.00</Amt><NtryDtls><TxDtls><RltdPties><Dbtr><Pty><Nm>Acme AG</Nm><Id><OrgId><LEI>529900T8BM49AURSDO55</LEI></OrgId></Id></Pty></Dbtr>\
             <DbtrAcct><Id><Othr><Id>123</Id></Othr></Id><Nm>Acme payroll</Nm></DbtrAcct></RltdPties></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt>",
        );
        let p = parse(xml.as_bytes()).unwrap();
        let roles: Vec<_> = p
            .parties
            .iter()
            .map(|p| (p.role.to_string(), p.path.as_str()))
            .collect();
        assert_eq!(
            roles,
            [
                (
                    "account_owner".to_string(),
                    "Document/BkToCstmrStmt/Stmt[1]/Acct"
                ),
                (
                    "account_servicer".to_string(),
                    "Document/BkToCstmrStmt/Stmt[1]/Acct/Svcr"
                ),
                (
                    "debtor".to_string(),
                    "Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/NtryDtls[1]/TxDtls[1]/RltdPties/Dbtr"
                ),
            ]
        );
        assert_eq!(p.parties[0].countries[0].code, "CH");
        let svcr = &p.parties[1];
        assert_eq!(svcr.kind, PartyKind::FinancialInstitution);
        assert_eq!(svcr.name.as_ref().unwrap().text, "PostFinance");
        assert_eq!(svcr.countries[0].code, "CH");
        let dbtr = &p.parties[2];
        assert_eq!(dbtr.kind, PartyKind::Organisation);
        assert!(dbtr
            .name
            .as_ref()
            .unwrap()
            .path
            .ends_with("RltdPties/Dbtr/Pty/Nm"));
        assert_eq!(dbtr.lei.as_ref().unwrap().text, "529900T8BM49AURSDO55");
        assert_eq!(dbtr.account.as_ref().unwrap().text, "123");
        let texts: Vec<_> = p.free_text.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["Bern", "Acme payroll"]);
        assert_eq!(p.amounts[0].currency, "CHF");
    }

    #[test]
    fn unsupported_documents() {
        let camt029 = doc(
            "urn:iso:std:iso:20022:tech:xsd:camt.029.001.09",
            "<RsltnOfInvstgtn/>",
        );
        assert_eq!(
            parse(camt029.as_bytes()),
            Err(PaymentError::Unsupported {
                message_type: "camt.029.001.09".into()
            })
        );
        assert!(matches!(
            parse(b"<html><body>hi</body></html>"),
            Err(PaymentError::Unsupported { .. })
        ));
        // No namespace: AppHdr/MsgDefIdr decides.
        let xml = "<RequestPayload><AppHdr><MsgDefIdr>pacs.002.001.10</MsgDefIdr></AppHdr>\
                   <Document><FIToFIPmtStsRpt/></Document></RequestPayload>";
        assert_eq!(
            parse(xml.as_bytes()).unwrap().message_type,
            "pacs.002.001.10"
        );
    }
}
