//! Beneficial Ownership Data Standard statements (BODS 0.4, and 0.3's shape).
//!
//! A BODS file is a list of statements: entities and persons, and relationships in
//! which an interested party holds interests in a subject. In 0.4 each statement
//! carries `recordType` (`entity`, `person`, `relationship`) and `recordDetails`, and
//! relationships point at `recordId`s; in 0.3 `statementType` says the kind and
//! relationships point at statement ids (`describedByEntityStatement`). Both are read
//! into the same records. A file is a JSON array or JSON lines; either way each
//! statement is located by the line it starts on.
//!
//! Interests map to the rules as the standard defines them: `shareholding` is
//! ownership with its share (`exact`, or `minimum`/`maximum` as a band); `votingRights`
//! over half, `appointmentOfBoard`, `otherInfluenceOrControl`,
//! `controlViaCompanyRulesOrArticles` and rights granted by contract are control;
//! `boardMember`, `boardChair` and `seniorManagingOfficial` are directorships. Other
//! interests (a trustee's, a beneficiary's, an unpublished one) are reported unused.

use std::collections::HashMap;

use serde_json::Value;

use super::{malformed, not_a_stake};
use crate::graph::RelationKind;
use crate::issue::OwnershipError;
use crate::record::{Number, ParsedFile, PartyKind, PartyRecord, StakeRecord, StatedShare};
use crate::share::Share;

/// Reads BODS statements.
pub fn read(file: &str, bytes: &[u8]) -> Result<ParsedFile, OwnershipError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut parsed = ParsedFile::default();
    let statements = statements(file, bytes, &mut parsed)?;
    let mut parties: HashMap<String, PartyRecord> = HashMap::new();
    for (_, statement) in &statements {
        if let Some((ids, party)) = party_of(statement) {
            for id in ids {
                parties.insert(id, party.clone());
            }
        }
    }
    for (line, statement) in &statements {
        let line = *line;
        let kind = record_type(statement);
        if kind != Some("relationship") {
            if kind.is_none() {
                parsed.issues.push(malformed(
                    file,
                    line,
                    "a statement with neither recordType nor statementType",
                ));
            }
            continue;
        }
        let details = details(statement);
        let subject = reference(&details["subject"]);
        let party = reference(&details["interestedParty"]);
        let (Some(subject), Some(party)) = (subject, party) else {
            parsed.issues.push(not_a_stake(
                file,
                line,
                "a relationship whose subject or interested party is unspecified; no party \
                 to screen",
            ));
            continue;
        };
        let (Some(owned), Some(owner)) =
            (parties.get(&subject).cloned(), parties.get(&party).cloned())
        else {
            parsed.issues.push(malformed(
                file,
                line,
                format!("relationship between {party} and {subject}: a statement it refers to is not in the file"),
            ));
            continue;
        };
        let (owner, owned) = (parsed.party(owner), parsed.party(owned));
        let interests = details["interests"].as_array().cloned().unwrap_or_default();
        let location = format!("{file}:{line}");
        let mut unused = Vec::new();
        for interest in &interests {
            let kind = interest["type"].as_str().unwrap_or("");
            let share = share(&interest["share"]);
            let Some(relation) = relation(kind, share) else {
                unused.push(kind.to_string());
                continue;
            };
            let period = crate::graph::period_or_report(
                interest["startDate"].as_str(),
                interest["endDate"].as_str(),
                &location,
                "",
                &mut parsed.issues,
            );
            let stake = StakeRecord {
                line: u32::try_from(line).unwrap_or(u32::MAX),
                owner,
                owned,
                relation,
                share: if relation == RelationKind::Ownership {
                    share
                } else {
                    StatedShare::Unknown
                },
                stated: Some(parsed.text(&describe(kind, &interest["share"]))),
                period,
                source: Some(parsed.text("BODS")),
                as_of: statement["statementDate"].as_str().map(|d| parsed.text(d)),
            };
            parsed.stakes.push(stake);
        }
        if !unused.is_empty() || interests.is_empty() {
            parsed.issues.push(not_a_stake(
                file,
                line,
                format!(
                    "interest of {party} in {subject}: {} neither ownership nor control under \
                     these rules; not used",
                    if unused.is_empty() {
                        "none stated".to_string()
                    } else {
                        unused.join(", ")
                    }
                ),
            ));
        }
    }
    Ok(parsed)
}

/// The statements with the line each starts on.
fn statements(
    file: &str,
    bytes: &[u8],
    parsed: &mut ParsedFile,
) -> Result<Vec<(u64, Value)>, OwnershipError> {
    let starts_array = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    if starts_array {
        let all: Vec<Value> =
            serde_json::from_slice(bytes).map_err(|e| OwnershipError::Malformed {
                file: file.to_string(),
                line: e.line() as u64,
                message: format!("not a JSON array of BODS statements: {e}"),
            })?;
        let lines = element_lines(bytes);
        return Ok(all
            .into_iter()
            .enumerate()
            .map(|(at, v)| (lines.get(at).copied().unwrap_or(0), v))
            .collect());
    }
    let mut out = Vec::new();
    for (line, text) in super::json_lines(bytes) {
        match serde_json::from_slice::<Value>(text) {
            Ok(value) => out.push((line, value)),
            Err(e) => {
                parsed
                    .issues
                    .push(malformed(file, line, format!("not a JSON statement: {e}")))
            }
        }
    }
    Ok(out)
}

/// The line each element of a top-level JSON array starts on.
fn element_lines(bytes: &[u8]) -> Vec<u64> {
    let (mut line, mut depth, mut in_string, mut escaped) = (1u64, 0u32, false, false);
    let mut out = Vec::new();
    for &b in bytes {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                if depth == 1 {
                    out.push(line);
                }
                depth += 1;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

fn record_type(statement: &Value) -> Option<&str> {
    if let Some(kind) = statement["recordType"].as_str() {
        return Some(kind);
    }
    match statement["statementType"].as_str()? {
        "entityStatement" => Some("entity"),
        "personStatement" => Some("person"),
        "ownershipOrControlStatement" => Some("relationship"),
        _ => None,
    }
}

/// 0.4 keeps the details under `recordDetails`; 0.3 on the statement itself.
fn details(statement: &Value) -> &Value {
    match &statement["recordDetails"] {
        Value::Null => statement,
        details => details,
    }
}

/// A relationship's reference to a party: 0.4 a record id, 0.3 a statement id.
fn reference(value: &Value) -> Option<String> {
    if let Some(id) = value.as_str() {
        return Some(id.to_string());
    }
    ["describedByEntityStatement", "describedByPersonStatement"]
        .iter()
        .find_map(|k| value[*k].as_str().map(str::to_string))
}

/// An entity or person statement as a party, with the ids relationships use for it.
fn party_of(statement: &Value) -> Option<(Vec<String>, PartyRecord)> {
    let kind = record_type(statement)?;
    let details = details(statement);
    let ids: Vec<String> = ["recordId", "statementId"]
        .iter()
        .filter_map(|k| statement[*k].as_str().map(str::to_string))
        .collect();
    let mut party = PartyRecord::default();
    match kind {
        "entity" => {
            party.kind = PartyKind::Organization;
            party.name = details["name"].as_str().map(str::to_string);
            party.country = details["jurisdiction"]["code"]
                .as_str()
                .or(details["incorporatedInJurisdiction"]["code"].as_str())
                .map(str::to_string);
            for id in details["identifiers"].as_array().into_iter().flatten() {
                if let Some(value) = id["id"].as_str() {
                    let scheme = id["scheme"].as_str().unwrap_or("");
                    party.numbers.push(Number::new(scheme, value));
                }
            }
            // An identifier from a register names the entity like the register's key.
            party.registered = !party.numbers.is_empty();
        }
        "person" => {
            party.kind = PartyKind::Person;
            let names = details["names"].as_array().cloned().unwrap_or_default();
            let name = names
                .iter()
                .find(|n| n["type"].as_str() == Some("individual"))
                .or(names.first());
            party.name = name.and_then(|n| {
                n["fullName"].as_str().map(str::to_string).or_else(|| {
                    let parts: Vec<&str> = ["givenName", "familyName"]
                        .iter()
                        .filter_map(|k| n[*k].as_str())
                        .collect();
                    (!parts.is_empty()).then(|| parts.join(" "))
                })
            });
            party.birth_date = details["birthDate"].as_str().map(str::to_string);
            party.country = details["nationalities"][0]["code"]
                .as_str()
                .map(str::to_string);
        }
        _ => return None,
    }
    Some((ids, party))
}

fn share(value: &Value) -> StatedShare {
    let read = |key: &str| {
        value[key]
            .as_f64()
            .and_then(|p| Share::from_percent(p).ok())
    };
    match (read("exact"), read("minimum"), read("maximum")) {
        (Some(exact), _, _) => StatedShare::Exact(exact),
        (None, Some(low), Some(high)) if low <= high => StatedShare::Band(low, high),
        (None, Some(low), None) => StatedShare::Band(low, Share::FULL),
        (None, None, Some(high)) => StatedShare::Band(Share::from_micros(0).unwrap_or(high), high),
        _ => StatedShare::Unknown,
    }
}

fn relation(kind: &str, share: StatedShare) -> Option<RelationKind> {
    Some(match kind {
        "shareholding" => RelationKind::Ownership,
        "votingRights" => {
            let low = match share {
                StatedShare::Exact(s) | StatedShare::Band(s, _) => s,
                StatedShare::Unknown => return None,
            };
            // More than half of the votes controls the company.
            if low < Share::HALF {
                return None;
            }
            RelationKind::Control
        }
        "appointmentOfBoard" => RelationKind::BoardMajority,
        "otherInfluenceOrControl"
        | "controlViaCompanyRulesOrArticles"
        | "rightsGrantedByContract"
        | "controlByLegalFramework" => RelationKind::Control,
        "boardMember" | "boardChair" | "seniorManagingOfficial" => RelationKind::Director,
        _ => return None,
    })
}

fn describe(kind: &str, share: &Value) -> String {
    match share {
        Value::Object(_) => format!("{kind} {share}"),
        _ => kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_located_by_the_line_they_start_on() {
        let text = b"[\n  {\"a\": \"}\"},\n  {\n \"b\": [1]\n  }\n]";
        assert_eq!(element_lines(text), vec![2, 3]);
    }

    #[test]
    fn reads_a_shareholding_between_a_person_and_an_entity() {
        let text = br#"[
{"statementId":"s1","recordId":"e1","recordType":"entity","recordDetails":{"entityType":{"type":"registeredEntity"},"name":"CHRINON LTD","jurisdiction":{"name":"United Kingdom","code":"GB"},"identifiers":[{"id":"07444723","scheme":"GB-COH"}]}},
{"statementId":"s2","recordId":"p1","recordType":"person","recordDetails":{"personType":"knownPerson","names":[{"type":"individual","fullName":"Christopher Taggart"}],"birthDate":"1964-04"}},
{"statementId":"s3","recordId":"r1","recordType":"relationship","recordDetails":{"subject":"e1","interestedParty":"p1","interests":[{"type":"shareholding","share":{"minimum":50,"maximum":75,"exclusiveMinimum":true},"startDate":"2016-04-06"},{"type":"appointmentOfBoard"}]}}
]"#;
        let parsed = read("b.json", text).expect("reads");
        assert_eq!(parsed.stakes.len(), 2, "{:?}", parsed.issues);
        let stake = &parsed.stakes[0];
        assert_eq!(stake.line, 4);
        let (owner, owned) = parsed.parties_of(stake);
        assert_eq!(owner.name.as_deref(), Some("Christopher Taggart"));
        assert_eq!(owned.numbers[0].scheme, "GB-COH");
        assert_eq!(
            stake.share,
            StatedShare::Band(Share::HALF, Share::from_percent(75.0).unwrap())
        );
        assert_eq!(parsed.stakes[1].relation, RelationKind::BoardMajority);
    }
}
