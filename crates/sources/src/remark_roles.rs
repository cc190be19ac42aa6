//! What a list's free-text remarks say about a party besides its identity: the
//! positions it holds (`Director of PALESTINE LIBERATION FRONT - ABU ABBAS FACTION`,
//! `Minister of Defense`, `Brigadier General`), its family (`daughter of Slobodan
//! Milosevic`), where its offices are (`all offices worldwide`) and notes on its
//! status (`ICTY indictee in custody`).
//!
//! OFAC writes these as remark clauses with no label. They are read, not warned
//! about: a position is kept as the entity's `position` property, and when it names
//! the organisation it is held in, or the relative, that name becomes a link with its
//! role (resolved to a list entry when the list carries one). What none of the rules
//! recognises is kept verbatim as a `remark` — information, not a fault.

use redline_model::{Entity, Link, Relation};

/// Words that make a clause a position: titles, offices, ranks and memberships.
/// Matched case-insensitively against the clause's words.
const POSITION_WORDS: &[&str] = &[
    "adviser",
    "advisor",
    "agent",
    "ambassador",
    "amir",
    "assistant",
    "attache",
    "attorney",
    "auditor",
    "board",
    "brigadier",
    "captain",
    "ceo",
    "cfo",
    "chairman",
    "chairperson",
    "chairwoman",
    "chancellor",
    "chief",
    "colonel",
    "commandant",
    "commander",
    "commissioner",
    "consul",
    "coordinator",
    "councillor",
    "counselor",
    "cto",
    "dean",
    "delegate",
    "deputy",
    "director",
    "emir",
    "employee",
    "envoy",
    "executive",
    "financier",
    "founder",
    "general",
    "governor",
    "head",
    "inspector",
    "judge",
    "leader",
    "lieutenant",
    "magistrate",
    "major",
    "manager",
    "marshal",
    "mayor",
    "member",
    "minister",
    "official",
    "officer",
    "operative",
    "owner",
    "partner",
    "premier",
    "president",
    "principal",
    "prosecutor",
    "rector",
    "representative",
    "associate",
    "ideologue",
    "secretary",
    "senator",
    "shareholder",
    "speaker",
    "spokesman",
    "spokesperson",
    "superintendent",
    "treasurer",
    "vice",
    "vice-chairman",
    "vice-chairperson",
    "vice-president",
    "constituent",
    "admiral",
    "sergeant",
    "comptroller",
    "controller",
    "administrator",
    "trustee",
    "editor",
    "deputy-head",
];

/// Prefixes a position or family word may carry: `ex-President`, `sub-commander`,
/// `co-founder`, `half-brother`.
const WORD_PREFIXES: &[&str] = &["ex-", "sub-", "co-", "half-", "vice-", "deputy-", "step-"];

/// Honorifics and religious or military titles written alone (`Haji`, `Maulana`,
/// `Lt. Col`): kept as the entity's `title`.
const HONORIFICS: &[&str] = &[
    "doctor",
    "dr",
    "haji",
    "hajji",
    "maulana",
    "maulawi",
    "mawlawi",
    "mullah",
    "mulla",
    "shaykh",
    "sheikh",
    "shaikh",
    "ustad",
    "ustadh",
    "hojjatoleslam",
    "ayatollah",
    "imam",
    "qari",
    "mufti",
    "sayyid",
    "sayed",
    "lt. col",
    "lt col",
    "engineer",
];

/// Family words: `daughter of X` links the entity to X with this role.
const FAMILY_WORDS: &[&str] = &[
    "wife",
    "husband",
    "spouse",
    "daughter",
    "son",
    "brother",
    "sister",
    "father",
    "mother",
    "nephew",
    "niece",
    "cousin",
    "uncle",
    "aunt",
    "grandson",
    "granddaughter",
    "son-in-law",
    "daughter-in-law",
    "brother-in-law",
    "sister-in-law",
    "father-in-law",
    "mother-in-law",
    "stepson",
    "stepdaughter",
    "relative",
];

/// Notes on a party's status or on the listing, by how they start.
const NOTE_STARTS: &[&str] = &[
    "for more information",
    "icty indictee",
    "currently",
    "arrested",
    "ifca determination",
    "in custody",
    "deceased",
    "died",
    "released",
    "extradited",
    "convicted",
    "sentenced",
    "ethnicity",
    "tribe",
    "operations in",
    "also operations in",
    "named in unscr",
    "founded by",
    "imprisoned",
    "incarcerated",
    "detained",
    "fugitive",
    "at large",
];

/// What a remark clause with no label says, if the rules recognise it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remark {
    /// A position, with the organisation (or office) it is held in when the clause
    /// names one after `of`, `for`, `to`, `at` or `in`.
    Position {
        text: String,
        role: String,
        held_in: Option<String>,
    },
    /// A relative: the role (`daughter`) and the relative's name as written.
    Family { role: String, relative: String },
    /// Where the party is: `all offices worldwide`.
    Offices(String),
    /// A note on the party's status or the listing.
    Note(String),
    /// An honorific or title written alone.
    Title(String),
}

/// A word as the word lists hold it: lower case, no surrounding punctuation, no
/// `ex-`/`sub-`/`co-`/`half-` prefix.
fn bare(word: &str) -> String {
    let lower = word.to_lowercase();
    let trimmed = lower.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
    let unprefixed = WORD_PREFIXES
        .iter()
        .find_map(|p| trimmed.strip_prefix(p))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(trimmed);
    unprefixed.to_string()
}

/// Reads one clause (its closing full stop removed).
pub fn read(clause: &str) -> Option<Remark> {
    let clause = clause.trim().trim_end_matches('.').trim();
    if clause.is_empty() || clause.len() > 200 {
        return None;
    }
    let lower = clause.to_lowercase();
    if NOTE_STARTS.iter().any(|s| lower.starts_with(s)) {
        return Some(Remark::Note(clause.to_string()));
    }
    if [
        "offices worldwide",
        "locations worldwide",
        "branches worldwide",
        "other locations",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return Some(Remark::Offices(clause.to_string()));
    }
    if HONORIFICS.contains(&lower.as_str()) {
        return Some(Remark::Title(clause.to_string()));
    }
    let (head, tail) = split_role(clause);
    let head_lower = head.to_lowercase();
    let head_words: Vec<&str> = head_lower.split_whitespace().collect();
    if let (Some(tail), [word]) = (tail, head_words.as_slice()) {
        if FAMILY_WORDS.contains(word) {
            return Some(Remark::Family {
                role: word.to_string(),
                relative: tail.to_string(),
            });
        }
    }
    // A position names an office, not an identifier: no digits in its title.
    let is_position = head_words.iter().any(|w| {
        POSITION_WORDS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
    }) && !head.chars().any(|c| c.is_ascii_digit())
        && head_words.len() <= 12;
    is_position.then(|| Remark::Position {
        text: clause.to_string(),
        role: head
            .trim_start_matches("Former ")
            .trim_start_matches("former ")
            .to_string(),
        held_in: tail.map(str::to_string),
    })
}

/// Splits `Director of PALESTINE LIBERATION FRONT` into the role and what it is held
/// in, at the first `of`/`for`/`to`/`at`/`in` after a position word; the whole clause
/// is the role when there is none.
fn split_role(clause: &str) -> (&str, Option<&str>) {
    let mut seen_position = false;
    let mut at = 0;
    for word in clause.split(' ') {
        let bare = bare(word);
        if seen_position && matches!(bare.as_str(), "of" | "for" | "to" | "at" | "in") {
            let tail = clause[at + word.len()..].trim();
            if !tail.is_empty() {
                return (clause[..at].trim(), Some(tail));
            }
        }
        if POSITION_WORDS.contains(&bare.as_str()) || FAMILY_WORDS.contains(&bare.as_str()) {
            seen_position = true;
        }
        at += word.len() + 1;
    }
    (clause, None)
}

/// Keeps what a clause says on the entity; false if the rules do not recognise it.
pub fn apply(entity: &mut Entity, clause: &str) -> bool {
    match read(clause) {
        Some(Remark::Position {
            text,
            role,
            held_in,
        }) => {
            entity.add_property("position", text);
            if let Some(org) = held_in {
                entity.links.push(role_link("position", role, org));
            }
            true
        }
        Some(Remark::Family { role, relative }) => {
            entity.links.push(role_link("family", role, relative));
            true
        }
        Some(Remark::Offices(text)) => {
            entity.add_property("address_note", text);
            true
        }
        Some(Remark::Note(text)) => {
            entity.add_property("note", text);
            true
        }
        Some(Remark::Title(text)) => {
            entity.add_property("title", text);
            true
        }
        None => false,
    }
}

fn role_link(relation: &str, role: String, target: String) -> Link {
    Link {
        relation: Relation::Other(relation.to_string()),
        target_id: None,
        target_name: Some(target),
        percentage: None,
        start_date: None,
        end_date: None,
        role: Some(role),
    }
}

/// Whether a link was read from a role clause (a position or a relative): such a link
/// is kept only when it leads to a list entry; otherwise the position property (or,
/// for a relative, the link's name) says it.
pub fn is_position_link(link: &Link) -> bool {
    matches!(&link.relation, Relation::Other(r) if r == "position")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(clause: &str) -> (String, Option<String>) {
        match read(clause) {
            Some(Remark::Position { role, held_in, .. }) => (role, held_in),
            other => panic!("{clause}: {other:?}"),
        }
    }

    #[test]
    fn role_clauses_are_positions_with_what_they_are_held_in() {
        assert_eq!(
            position("Director of PALESTINE LIBERATION FRONT - ABU ABBAS FACTION."),
            (
                "Director".into(),
                Some("PALESTINE LIBERATION FRONT - ABU ABBAS FACTION".into())
            )
        );
        assert_eq!(
            position("Secretary General of Hizballah"),
            ("Secretary General".into(), Some("Hizballah".into()))
        );
        assert_eq!(
            position("Former Minister of Interior."),
            ("Minister".into(), Some("Interior".into()))
        );
        assert_eq!(
            position("Brigadier General"),
            ("Brigadier General".into(), None)
        );
        assert_eq!(
            position("Scientific Studies and Research Center Brigadier General").1,
            None
        );
        assert_eq!(
            position("Korea Ryonbong General Corporation Representative in Ji'an, China").1,
            Some("Ji'an, China".into())
        );
        assert_eq!(
            position("Member of the Upper House of Parliament").1,
            Some("the Upper House of Parliament".into())
        );
    }

    #[test]
    fn relatives_offices_and_notes_are_told_apart() {
        assert_eq!(
            read("daughter of Slobodan Milosevic."),
            Some(Remark::Family {
                role: "daughter".into(),
                relative: "Slobodan Milosevic".into()
            })
        );
        assert!(matches!(
            read("all offices worldwide"),
            Some(Remark::Offices(_))
        ));
        assert!(matches!(
            read("ICTY indictee in custody."),
            Some(Remark::Note(_))
        ));
        // Identifiers and free text are not positions.
        assert_eq!(read("Registration Number 1027700070518"), None);
        assert_eq!(read("Dubai Chamber of Commerce Membership No. 42988"), None);
        assert_eq!(read("Port of Spain"), None);
    }
}
