//! SWIFT MT fields → [`Payment`]: one field table for every supported type.
//!
//! The party fields (50a–59a) mean the same in MT101, 103, 202, 205, 900, 910…, and
//! their *option letter* decides the layout (A = BIC, D/K = name and address lines,
//! F = numbered lines…), so parsing goes by tag number and option rather than by
//! message type. Only the sequences that reuse tags get type-specific handling:
//! MT202COV/205COV sequence B (the underlying customer transfer) and MT101's
//! repeating transaction sequence B, whose fields get `seqB/` and `seqB[n]/` paths.
//!
//! Paths: a field is `:59F:` (with a `[n]` suffix only when the same tag repeats in
//! the same sequence, e.g. MT950 `:61:[3]`); one line of it is `:59F: line 2`, counting
//! the value's non-blank lines from 1 (line 1 follows the tag). Block-1/2 parties are
//! `block1` / `block2`. Multi-line free text is one entry with lines joined by a space.

use crate::mt::{self, Field};
use crate::{
    ids, Amount, CountrySource, Format, FreeText, FreeTextKind, Party, PartyKind, Payment,
    PaymentError, Role, Value,
};
use redline_model::registry::Scheme;
use std::collections::HashMap;

/// Message types handled (block 2 type, before any COV suffix).
const SUPPORTED: [&str; 15] = [
    "101", "103", "200", "202", "205", "900", "910", "940", "950", "192", "196", "199", "292",
    "296", "299",
];

pub(crate) fn parse(text: &str) -> Result<Payment, PaymentError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let blocks = mt::blocks(body)?;
    let header = mt::header(body, &blocks)?;
    if !SUPPORTED.contains(&header.mt.as_str()) {
        return Err(PaymentError::Unsupported {
            message_type: format!("MT{}", header.mt),
        });
    }
    let cov = matches!(header.mt.as_str(), "202" | "205")
        && header.validation_flag.as_deref() == Some("COV");
    let message_type = format!("MT{}{}", header.mt, if cov { "COV" } else { "" });

    let block4 = blocks.iter().find(|b| b.id == "4").ok_or_else(|| {
        PaymentError::malformed(
            ids::line_of(body.as_bytes(), body.len()),
            "block 4",
            "missing block 4 (text block)",
        )
    })?;
    let fields = mt::fields(body, block4)?;
    let paths = field_paths(&fields, &header.mt, cov);

    let mut parties = header_parties(&header);
    let mut free_text = Vec::new();
    let mut amounts = Vec::new();
    let mut message_id = None;
    let statement = matches!(header.mt.as_str(), "900" | "910" | "940" | "950");

    for (field, path) in fields.iter().zip(&paths) {
        let (number, option) = field.number_and_option();
        if field.tag == "20" && message_id.is_none() {
            message_id = field.lines.first().map(|(_, l)| l.to_string());
        }
        if let Some(role) = party_role(number, option) {
            parties.push(party(field, path, role, &mut free_text)?);
            continue;
        }
        if statement && number == "25" {
            parties.push(statement_account(field, path));
            continue;
        }
        if let Some(a) = amount(field, path)? {
            amounts.push(a);
        }
        if field.tag == "72" {
            parties.extend(instructing_institutions(field, path));
        }
        if field.tag == "61" {
            // Statement line: line 1 is coded; further lines are supplementary
            // details, which in practice carry counterparty names ("FAVOUR …").
            let details: Vec<&str> = field.lines.iter().skip(1).map(|(_, l)| *l).collect();
            if !details.is_empty() {
                free_text.push(FreeText {
                    kind: FreeTextKind::AdditionalInfo,
                    path: path.clone(),
                    text: details.join(" "),
                });
            }
        }
        if let Some(kind) = free_text_kind(field.tag) {
            free_text.push(FreeText {
                kind,
                path: path.clone(),
                text: field.joined(),
            });
        }
    }

    Ok(Payment {
        format: Format::SwiftMt,
        message_type,
        message_id,
        sha256: crate::sha256_hex(text.as_bytes()),
        parties,
        free_text,
        amounts,
    })
}

/// Sequence prefixes, then `[n]` for tags that repeat within a sequence.
fn field_paths(fields: &[Field], mt: &str, cov: bool) -> Vec<String> {
    let mut in_seq_b = false;
    let mut transaction = 0usize;
    let prefixes: Vec<String> = fields
        .iter()
        .map(|f| {
            if cov {
                // Sequence B (underlying customer credit transfer) opens with 50a.
                in_seq_b |= f.tag.starts_with("50");
                return if in_seq_b {
                    "seqB/".into()
                } else {
                    String::new()
                };
            }
            if mt == "101" {
                // Each transaction (sequence B) opens with field 21.
                if f.tag == "21" {
                    transaction += 1;
                }
                return if transaction > 0 {
                    format!("seqB[{transaction}]/")
                } else {
                    String::new()
                };
            }
            String::new()
        })
        .collect();
    // Counted in two passes over a map: a 1 MiB message can hold ~10^5 fields.
    let mut totals: HashMap<(&str, &str), usize> = HashMap::new();
    for (prefix, f) in prefixes.iter().zip(fields) {
        *totals.entry((prefix, f.tag)).or_default() += 1;
    }
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    prefixes
        .iter()
        .zip(fields)
        .map(|(prefix, f)| {
            let key = (prefix.as_str(), f.tag);
            let base = format!("{prefix}:{}:", f.tag);
            if totals.get(&key).copied().unwrap_or(0) > 1 {
                let n = seen.entry(key).or_default();
                *n += 1;
                format!("{base}[{n}]")
            } else {
                base
            }
        })
        .collect()
}

fn line_path(field_path: &str, n: usize) -> String {
    format!("{field_path} line {n}")
}

fn header_parties(h: &mt::Header) -> Vec<Party> {
    // Output messages carry the sender in block 2 (MIR) and the receiver in block 1;
    // input messages the other way round.
    let (sender, receiver) = if h.output {
        ((&h.block2_lt, "block2"), (&h.block1_lt, "block1"))
    } else {
        ((&h.block1_lt, "block1"), (&h.block2_lt, "block2"))
    };
    [(Role::Sender, sender), (Role::Receiver, receiver)]
        .into_iter()
        .filter_map(|(role, (lt, path))| {
            let lt = lt.as_deref()?;
            let mut p = Party::new(role, path, PartyKind::FinancialInstitution);
            p.add_bic(Value::new(path, mt::lt_bic(lt)));
            Some(p)
        })
        .collect()
}

fn party_role(number: &str, option: Option<char>) -> Option<Role> {
    Some(match number {
        // MT101 50C/50L: the instructing party, not the ordering customer.
        "50" if matches!(option, Some('C' | 'L')) => Role::InitiatingParty,
        "50" => Role::OrderingCustomer,
        "51" => Role::Other("sending_institution".to_string()),
        "52" => Role::OrderingInstitution,
        "53" => Role::SendersCorrespondent,
        "54" => Role::ReceiversCorrespondent,
        "55" => Role::ThirdReimbursementInstitution,
        "56" => Role::IntermediaryInstitution,
        "57" => Role::AccountWithInstitution,
        "58" => Role::BeneficiaryInstitution,
        "59" => Role::BeneficiaryCustomer,
        _ => return None,
    })
}

fn free_text_kind(tag: &str) -> Option<FreeTextKind> {
    Some(match tag {
        "70" | "77T" => FreeTextKind::Remittance,
        "72" => FreeTextKind::SenderToReceiverInfo,
        "77B" => FreeTextKind::RegulatoryReporting,
        "75" | "76" | "77A" | "79" => FreeTextKind::Narrative,
        "86" => FreeTextKind::AdditionalInfo,
        "26T" => FreeTextKind::Purpose,
        "23E" => FreeTextKind::InstructionForNextAgent,
        _ => return None,
    })
}

/// One party field, laid out by its option letter.
fn party(
    field: &Field,
    path: &str,
    role: Role,
    texts: &mut Vec<FreeText>,
) -> Result<Party, PaymentError> {
    let (number, option) = field.number_and_option();
    let kind = if matches!(number, "50" | "59") {
        PartyKind::Unknown
    } else {
        PartyKind::FinancialInstitution
    };
    let mut p = Party::new(role, path, kind);
    let lines: Vec<(String, &str)> = field
        .lines
        .iter()
        .enumerate()
        .map(|(k, (_, l))| (line_path(path, k + 1), *l))
        .collect();
    // 50C (MT101 instructing party) is a BIC like option A; 56C/57C are accounts.
    let layout = match (number, option) {
        ("50", Some('C')) => 'A',
        (_, Some(o)) => o,
        (_, None) => 'K',
    };
    match layout {
        'A' | 'G' => {
            let rest = identifier_line(&mut p, &lines);
            let Some((bic_path, bic)) = rest.first() else {
                return Err(PaymentError::malformed(
                    field.first_line(),
                    format!("block 4, field :{}:", field.tag),
                    format!("field :{}: has no BIC line", field.tag),
                ));
            };
            p.add_bic(Value::new(bic_path.as_str(), *bic));
        }
        'C' => {
            identifier_line(&mut p, &lines);
        }
        'L' => p
            .other_ids
            .extend(lines.iter().map(|(lp, l)| Value::new(lp.as_str(), *l))),
        'F' => option_f(&mut p, &lines, texts),
        'B' => {
            let rest = identifier_line(&mut p, &lines);
            address_lines(&mut p, rest, texts);
        }
        // D, H, K and no letter: [/account] then name, then address lines. SWIFT-RUR
        // puts the INN and KPP on a line of their own before the name.
        _ => {
            let mut rest = identifier_line(&mut p, &lines);
            let mut name_on_codes_line = None;
            while let Some((lp, l)) = rest.first() {
                let Some((codes, after)) = ids::codes_line(l) else {
                    break;
                };
                for c in codes {
                    p.add_registry_id(lp, c.scheme, c.value);
                }
                rest = &rest[1..];
                if !after.is_empty() {
                    name_on_codes_line = Some(Value::new(lp.as_str(), after));
                    break;
                }
            }
            if let Some(name) = name_on_codes_line {
                p.name = Some(name);
                address_lines(&mut p, rest, texts);
            } else if let Some((name_path, name)) = rest.first() {
                p.name = Some(Value::new(name_path.as_str(), *name));
                address_lines(&mut p, &rest[1..], texts);
            }
        }
    }
    Ok(p)
}

/// Consumes an optional leading party-identifier line ("/account", "/C/account",
/// "//clearing code") and returns the remaining lines.
fn identifier_line<'l>(p: &mut Party, lines: &'l [(String, &'l str)]) -> &'l [(String, &'l str)] {
    match lines.first() {
        Some((lp, l)) if l.starts_with('/') => {
            add_identifier(p, lp, l);
            &lines[1..]
        }
        _ => lines,
    }
}

fn add_identifier(p: &mut Party, path: &str, line: &str) {
    if let Some(code) = line.strip_prefix("//") {
        // Clearing system code (//FW…, //SC…, //CP…), not an account. `//RU` is the
        // Russian BIK, in rouble payments followed by the bank's correspondent
        // account (`//RU044525225.30101810400000000225`).
        let code = code.trim();
        if let Some(bik) = code
            .strip_prefix("RU")
            .and_then(|c| c.get(..9))
            .filter(|b| b.bytes().all(|d| d.is_ascii_digit()))
        {
            p.add_registry_id(path, Scheme::Bik, bik);
            let account = code[2 + 9..].trim_start_matches(['.', '/', ' ']);
            if !account.is_empty() {
                p.other_ids.push(Value::new(path, account));
            }
            return;
        }
        p.other_ids.push(Value::new(path, code));
        return;
    }
    // `/INN/7734…/KPP/…`: registry numbers, not an account.
    if let Some((codes, _)) = ids::codes_line(line) {
        for c in codes {
            p.add_registry_id(path, c.scheme, c.value);
        }
        return;
    }
    let rest = &line[1..];
    // "/C/123" and "/D/123" carry a debit/credit mark before the account.
    let account = match rest.as_bytes() {
        [b'C' | b'D', b'/', ..] => &rest[2..],
        _ => rest,
    };
    if !account.trim().is_empty() {
        p.add_account(Value::new(path, account.trim()), true);
    }
}

fn address_lines(p: &mut Party, lines: &[(String, &str)], texts: &mut Vec<FreeText>) {
    for (lp, l) in lines {
        push_address(p, lp, l, texts);
        if let Some(code) = ids::country_in_text(l) {
            p.add_country(code, CountrySource::Text, lp);
        }
    }
}

fn push_address(p: &mut Party, path: &str, text: &str, texts: &mut Vec<FreeText>) {
    p.address.push(Value::new(path, text));
    texts.push(FreeText {
        kind: FreeTextKind::AddressLine,
        path: path.to_string(),
        text: text.to_string(),
    });
}

/// Option F (50F/59F): an optional identifier line, then numbered lines
/// `1/` name, `2/` address, `3/CC/town`, `4/` birth date, `5/CC/place of birth`,
/// `6/` customer id, `7/CC/national id`, `8/` continuation of 6/7. Lines without a
/// number (seen in the wild) continue the previous one.
fn option_f(p: &mut Party, lines: &[(String, &str)], texts: &mut Vec<FreeText>) {
    let mut rest = lines;
    if let Some((lp, l)) = lines.first() {
        if l.starts_with('/') {
            add_identifier(p, lp, l);
            rest = &lines[1..];
        } else if is_coded_identifier(l) {
            // "CCPT/GB/123456", "NIDN/…", "CUST/…": 50F party identifier by code. A
            // tax id of Russia or China is that registry's number.
            match coded_registry_id(l) {
                Some((scheme, value)) => p.add_registry_id(lp, scheme, value),
                None => p.other_ids.push(Value::new(lp.as_str(), *l)),
            }
            rest = &lines[1..];
        }
    }
    let mut name_parts: Vec<&str> = Vec::new();
    let mut name_path: Option<&str> = None;
    let mut previous = '1';
    let mut seen_town = false;
    for (lp, l) in rest {
        let (number, content) = match l.as_bytes() {
            [n @ b'1'..=b'8', b'/', ..] => (char::from(*n), l[2..].trim()),
            _ => (previous, *l),
        };
        previous = number;
        match number {
            '1' => {
                name_path.get_or_insert(lp.as_str());
                name_parts.push(content);
            }
            '2' => push_address(p, lp, content, texts),
            '3' => {
                if !seen_town {
                    if let Some(code) = content.split('/').next().and_then(ids::country_code) {
                        p.add_country(code, CountrySource::Address, lp);
                    }
                    seen_town = true;
                }
                push_address(p, lp, content, texts);
            }
            '5' => {
                if let Some(code) = content.split('/').next().and_then(ids::country_code) {
                    p.add_country(code, CountrySource::CountryOfBirth, lp);
                }
                p.other_ids.push(Value::new(lp.as_str(), content));
            }
            _ => p.other_ids.push(Value::new(lp.as_str(), content)),
        }
        if matches!(number, '4' | '5' | '7') {
            // Birth date, place of birth, national identity number: a natural person.
            p.kind = PartyKind::Person;
        }
    }
    if let Some(path) = name_path {
        p.name = Some(Value::new(path, name_parts.join(" ")));
    }
}

/// `TXID/RU/7750005482` (an INN), `TXID/CN/9111…` (a USCC).
fn coded_registry_id(line: &str) -> Option<(Scheme, &str)> {
    let value = line.strip_prefix("TXID/")?;
    let (country, value) = value.split_once('/')?;
    match country {
        "RU" => Some((Scheme::Inn, value.trim())),
        "CN" => Some((Scheme::Uscc, value.trim())),
        _ => None,
    }
}

fn is_coded_identifier(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() > 8
        && b[..4].iter().all(u8::is_ascii_uppercase)
        && b[4] == b'/'
        && b[5..7].iter().all(u8::is_ascii_alphabetic)
        && b[7] == b'/'
}

/// Field 25/25P of statements and advices: the account, its owner unnamed.
fn statement_account(field: &Field, path: &str) -> Party {
    let mut p = Party::new(Role::AccountOwner, path, PartyKind::Unknown);
    let mut lines = field.lines.iter().enumerate();
    if let Some((k, (_, l))) = lines.next() {
        let account = l.strip_prefix('/').unwrap_or(l).trim();
        p.add_account(Value::new(line_path(path, k + 1), account), true);
    }
    // 25P: the owner's BIC follows the account.
    for (k, (_, l)) in lines {
        p.add_bic(Value::new(line_path(path, k + 1), *l));
    }
    p
}

/// Field 72 `/INS/` lines naming an instructing institution by BIC.
fn instructing_institutions(field: &Field, path: &str) -> Vec<Party> {
    field
        .lines
        .iter()
        .enumerate()
        .filter_map(|(k, (_, l))| {
            let bic = l.strip_prefix("/INS/")?.trim();
            ids::is_bic(bic).then(|| {
                let lp = line_path(path, k + 1);
                let mut p = Party::new(
                    Role::Other("instructing_institution".to_string()),
                    lp.as_str(),
                    PartyKind::FinancialInstitution,
                );
                p.add_bic(Value::new(lp, bic));
                p
            })
        })
        .collect()
}

/// 32A (date, currency, amount), 32B and 33B (currency, amount).
fn amount(field: &Field, path: &str) -> Result<Option<Amount>, PaymentError> {
    let skip = match field.tag {
        "32A" => 6,
        "32B" | "33B" => 0,
        _ => return Ok(None),
    };
    let value = field.lines.first().map_or("", |(_, l)| *l);
    let ccy = value
        .get(skip..skip + 3)
        .filter(|c| c.bytes().all(|b| b.is_ascii_alphabetic()));
    let amount = value.get(skip + 3..).unwrap_or("").trim();
    match ccy {
        Some(ccy) if !amount.is_empty() => Ok(Some(Amount {
            path: path.to_string(),
            currency: ccy.to_string(),
            value: normalise_amount(amount),
        })),
        _ => Err(PaymentError::malformed(
            field.first_line(),
            format!("block 4, field :{}:", field.tag),
            format!("field :{}: needs a currency and an amount", field.tag),
        )),
    }
}

/// MT decimal comma → point; a bare trailing comma ("500000,") goes.
fn normalise_amount(s: &str) -> String {
    let s = s.strip_suffix(',').unwrap_or(s);
    s.replace(',', ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "{1:F01CNORGB22XXXX0000000000}{2:O9401700221020RBOSGB2LXXXX00000000002210201700N}";

    fn mt(head: &str, body: &str) -> Payment {
        let text = format!("{head}{{4:\r\n{}\r\n-}}", body.replace('\n', "\r\n"));
        parse(&text).unwrap()
    }

    #[test]
    fn statement_with_field_86() {
        let p = mt(
            HEAD,
            ":20:STMT1\n:25:GB29NWBK60161331926819\n:28C:1/1\n:60F:C221020EUR1,\n\
             :61:221020D5,NTRFREF//BANKREF\nFAVOUR IVAN PETROV\n:86:PAYMENT TO ACME LTD\nINVOICE 42\n\
             :61:221020C7,NTRFREF2\n:86:SECOND\n:62F:C221020EUR3,",
        );
        assert_eq!(p.message_type, "MT940");
        let owner = p
            .parties
            .iter()
            .find(|p| p.role == Role::AccountOwner)
            .unwrap();
        assert_eq!(owner.path, ":25:");
        assert_eq!(owner.countries[0].code, "GB");
        let texts: Vec<_> = p
            .free_text
            .iter()
            .map(|t| (t.kind, t.path.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                (
                    FreeTextKind::AdditionalInfo,
                    ":61:[1]",
                    "FAVOUR IVAN PETROV"
                ),
                (
                    FreeTextKind::AdditionalInfo,
                    ":86:[1]",
                    "PAYMENT TO ACME LTD INVOICE 42"
                ),
                (FreeTextKind::AdditionalInfo, ":86:[2]", "SECOND"),
            ]
        );
    }

    #[test]
    fn option_f_person_and_identifier_codes() {
        let head = "{1:F01AABSLKLXAXXX0000000000}{2:I103HANYUS33XXXXN}";
        let p = mt(
            head,
            ":20:R\n:32A:250922USD1234,5\n:50F:CCPT/IR/A1234567\n1/SMITH\n1/JOHN\n2/1 MAIN ST\n3/IR/TEHRAN\n\
             4/19700102\n5/SY/DAMASCUS\n7/IR/123\n:59:/DE89370400440532013000\nACME LTD\nBERLIN\nGERMANY",
        );
        assert_eq!(p.amounts[0].value, "1234.5");
        let o = &p.parties[2];
        assert_eq!(o.role, Role::OrderingCustomer);
        assert_eq!(o.kind, PartyKind::Person);
        let name = o.name.as_ref().unwrap();
        assert_eq!(
            (name.path.as_str(), name.text.as_str()),
            (":50F: line 2", "SMITH JOHN")
        );
        let countries: Vec<_> = o
            .countries
            .iter()
            .map(|c| (c.code.as_str(), c.from))
            .collect();
        assert_eq!(
            countries,
            [
                ("IR", CountrySource::Address),
                ("SY", CountrySource::CountryOfBirth)
            ]
        );
        let ids: Vec<_> = o.other_ids.iter().map(|v| v.text.as_str()).collect();
        assert_eq!(
            ids,
            ["CCPT/IR/A1234567", "19700102", "SY/DAMASCUS", "IR/123"]
        );
        let b = &p.parties[3];
        assert_eq!(b.name.as_ref().unwrap().text, "ACME LTD");
        assert_eq!(b.account.as_ref().unwrap().path, ":59: line 1");
        let countries: Vec<_> = b
            .countries
            .iter()
            .map(|c| (c.code.as_str(), c.from, c.path.as_str()))
            .collect();
        assert_eq!(
            countries,
            [
                ("DE", CountrySource::Iban, ":59: line 1"),
                ("DE", CountrySource::Text, ":59: line 4")
            ]
        );
    }

    #[test]
    fn identifier_lines_and_options() {
        let head = "{1:F01AABSLKLXAXXX0000000000}{2:I202HANYUS33XXXXN}";
        let p = mt(
            head,
            ":20:R\n:21:X\n:32A:250922USD1,\n:53B:/C/123\nLONDON\n:56C://FW021000089\n\
             :57D:/D/998\nBANK OF X\nPO BOX 1\n:58A:/77\nABCDLKLXXXX\n:72:/INS/CITIUS33\n//MORE",
        );
        let find = |r: Role| p.parties.iter().find(|p| p.role == r).unwrap();
        let corr = find(Role::SendersCorrespondent);
        assert_eq!(corr.account.as_ref().unwrap().text, "123");
        assert_eq!(corr.address[0].text, "LONDON");
        assert_eq!(
            find(Role::IntermediaryInstitution).other_ids[0].text,
            "FW021000089"
        );
        let awi = find(Role::AccountWithInstitution);
        assert_eq!(awi.name.as_ref().unwrap().text, "BANK OF X");
        assert_eq!(awi.account.as_ref().unwrap().text, "998");
        let ben = find(Role::BeneficiaryInstitution);
        assert_eq!(ben.bic.as_ref().unwrap().path, ":58A: line 2");
        assert_eq!(ben.countries[0].code, "LK");
        let ins = find(Role::Other("instructing_institution".into()));
        assert_eq!(ins.path, ":72: line 1");
        assert_eq!(p.free_text.last().unwrap().text, "/INS/CITIUS33 //MORE");
    }

    #[test]
    fn swift_rur_beneficiary_lines() {
        let p = mt(
            "{2:I103RZBMRUMMXXXXN}",
            ":20:R1\n:32A:250922RUB100,\n:57D://RU044525700.30101810200000000700\nAO RAIFFEISENBANK\n\
             :59:/40702810400000000002\nINN773407989940.KPP770101001\nOOO ROMASHKA\nMOSCOW\n\
             :50K:/INN/7750005482\nSMP BANK\n",
        );
        fn find_in(p: &Payment, role: Role) -> &Party {
            p.parties.iter().find(|x| x.role == role).unwrap()
        }
        let find = |role: Role| find_in(&p, role);
        let ids = |party: &Party| -> Vec<(Scheme, String, String)> {
            party
                .registry_ids
                .iter()
                .map(|r| (r.scheme, r.text.clone(), r.path.clone()))
                .collect()
        };
        let ben = find(Role::BeneficiaryCustomer);
        assert_eq!(
            ids(ben),
            [
                (Scheme::Inn, "773407989940".into(), ":59: line 2".into()),
                (Scheme::Kpp, "770101001".into(), ":59: line 2".into())
            ]
        );
        assert_eq!(ben.name.as_ref().unwrap().text, "OOO ROMASHKA");
        assert_eq!(ben.account.as_ref().unwrap().text, "40702810400000000002");
        assert_eq!(ben.address[0].text, "MOSCOW");
        let bank = find(Role::AccountWithInstitution);
        assert_eq!(
            ids(bank),
            [(Scheme::Bik, "044525700".into(), ":57D: line 1".into())]
        );
        assert_eq!(bank.other_ids[0].text, "30101810200000000700");
        assert_eq!(bank.name.as_ref().unwrap().text, "AO RAIFFEISENBANK");
        let payer = find(Role::OrderingCustomer);
        assert_eq!(ids(payer)[0].1, "7750005482");
        assert!(payer.account.is_none());
        assert_eq!(payer.name.as_ref().unwrap().text, "SMP BANK");
        let p = mt(
            "{2:I103RZBMRUMMXXXXN}",
            ":20:R1\n:32A:250922RUB100,\n:50F:TXID/RU/773407989940\n1/PROKOPENKO IVAN\n:59:/1\nX\n",
        );
        let payer = find_in(&p, Role::OrderingCustomer);
        assert_eq!(
            ids(payer),
            [(Scheme::Inn, "773407989940".into(), ":50F: line 1".into())]
        );
    }

    #[test]
    fn mt101_transactions_are_numbered() {
        let head = "{1:F01AABSLKLXAXXX0000000000}{2:I101HANYUS33XXXXN}";
        let p = mt(
            head,
            ":20:R\n:28D:1/1\n:50C:ABCDLKLX\n:30:250922\n:21:T1\n:32B:USD1,\n:59:A\n:21:T2\n:32B:USD2,\n:59:B",
        );
        let paths: Vec<_> = p.parties.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            ["block1", "block2", ":50C:", "seqB[1]/:59:", "seqB[2]/:59:"]
        );
        assert_eq!(p.parties[2].role, Role::InitiatingParty);
        assert_eq!(p.amounts[1].path, "seqB[2]/:32B:");
    }

    #[test]
    fn field_errors_and_unsupported_types() {
        let head = "{1:F01AABSLKLXAXXX0000000000}{2:I103HANYUS33XXXXN}";
        let text = format!("{head}{{4:\r\n:20:R\r\n:52A:/123\r\n-}}");
        match parse(&text) {
            Err(PaymentError::Malformed { line, location, .. }) => {
                assert_eq!((line, location.as_str()), (3, "block 4, field :52A:"))
            }
            other => panic!("{other:?}"),
        }
        let text = format!("{head}{{4:\r\n:20:R\r\n:32A:2509\r\n-}}");
        assert!(matches!(
            parse(&text),
            Err(PaymentError::Malformed { line: 3, .. })
        ));
        let text = "{1:F01AABSLKLXAXXX0000000000}{2:I999HANYUS33XXXXN}{4:\r\n:20:R\r\n:79:X\r\n-}";
        assert_eq!(
            parse(text),
            Err(PaymentError::Unsupported {
                message_type: "MT999".into()
            })
        );
    }
}
