//! Identifier helpers shared by both formats: BIC and IBAN shape checks, the
//! country each carries, country hints in unstructured address lines, and byte
//! offset → line number.
//!
//! They live in one place so that "country from BIC" or "country from IBAN" means
//! exactly the same thing whether the payment arrived as ISO 20022 or as MT; the
//! screening layer can then treat a [`crate::CountrySource`] uniformly. Checks are
//! shape-only (plus the IBAN mod-97 checksum where a value is merely *suspected* to
//! be an IBAN): there is no registry look-up in a parser.

use redline_model::countries;
use redline_model::registry::Scheme;

/// A BIC (ISO 9362) by shape: 8 or 11 alphanumerics, country letters at 5–6.
pub(crate) fn is_bic(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() == 8 || b.len() == 11)
        && b.iter().all(u8::is_ascii_alphanumeric)
        && b[..4].iter().all(u8::is_ascii_alphabetic)
        && b[4..6].iter().all(u8::is_ascii_alphabetic)
}

/// The ISO country code inside a BIC (characters 5–6), upper-case.
pub(crate) fn bic_country(bic: &str) -> Option<String> {
    let bic = bic.trim();
    is_bic(bic).then(|| bic[4..6].to_ascii_uppercase())
}

/// The country of an IBAN (its first two letters), upper-case.
///
/// `verify` asks for the mod-97 checksum too: an ISO `<IBAN>` element is an IBAN by
/// declaration (samples carry test IBANs with bad checksums), whereas an MT account
/// line is only an IBAN if it proves to be one.
pub(crate) fn iban_country(s: &str, verify: bool) -> Option<String> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let b = compact.as_bytes();
    let shaped = (15..=34).contains(&b.len())
        && b[..2].iter().all(u8::is_ascii_alphabetic)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_alphanumeric);
    if !shaped || (verify && !iban_checksum_ok(&compact)) {
        return None;
    }
    Some(compact[..2].to_ascii_uppercase())
}

fn iban_checksum_ok(iban: &str) -> bool {
    let (head, tail) = iban.split_at(4);
    let mut rem: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let Some(d) = c.to_digit(36) else {
            return false;
        };
        // Letters expand to two digits (A = 10); fold digit by digit to stay in u32.
        let digits = if d >= 10 {
            vec![d / 10, d % 10]
        } else {
            vec![d]
        };
        for d in digits {
            rem = (rem * 10 + d) % 97;
        }
    }
    rem == 1
}

/// A structured country field (`<Ctry>`, MT `3/CC/...`): a code or name the shared
/// country table knows ("UK" → GB), else a two-letter code as sent. Upper-case.
pub(crate) fn country_code(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some(code) = countries::to_code(s) {
        return Some(code.to_ascii_uppercase());
    }
    (s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic())).then(|| s.to_ascii_uppercase())
}

/// Words that must not name a country on their own at the end of a line: "ISLAND" is
/// Iceland in several languages but a generic word in English addresses.
const NOT_ALONE: [&str; 1] = ["island"];

/// Words that make the following word part of a longer place name ("NEW JERSEY",
/// "PAPUA NEW GUINEA", "EQUATORIAL GUINEA"), so the last word alone proves nothing.
const QUALIFIERS: [&str; 7] = [
    "new",
    "equatorial",
    "papua",
    "north",
    "south",
    "east",
    "west",
];

/// A country named in an unstructured address line ("SRI LANKA", "Berlin, Germany",
/// "PORT MORESBY PAPUA NEW GUINEA", a line that is just "GB").
///
/// Deliberately narrow, because a false country is worse than none: a bare code only
/// counts when it is the whole line ("CA" after a comma is usually California);
/// otherwise the text after the last comma, or the last three, two or one words
/// (longest first) must be a country name of four or more letters. The shared table
/// also knows some cities ("TEHRAN" → IR), which is what screening wants here.
pub(crate) fn country_in_text(line: &str) -> Option<String> {
    let t = line.trim();
    if t.is_empty() {
        return None;
    }
    let wordish = |s: &str| {
        s.chars().count() >= 4 && s.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '.')
    };
    let lookup = |s: &str| countries::to_code(s).map(|c| c.to_ascii_uppercase());
    if t.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '.') {
        if let Some(code) = lookup(t) {
            return Some(code);
        }
    }
    if let Some((_, tail)) = t.rsplit_once(',') {
        if let Some(code) = Some(tail.trim()).filter(|s| wordish(s)).and_then(lookup) {
            return Some(code);
        }
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    for n in (1..=3.min(words.len())).rev() {
        let start = words.len() - n;
        let candidate = words[start..].join(" ");
        let lower = candidate.to_lowercase();
        let qualified = start > 0 && QUALIFIERS.contains(&words[start - 1].to_lowercase().as_str());
        if n == 1 && (NOT_ALONE.contains(&lower.as_str()) || qualified) {
            continue;
        }
        if let Some(code) = Some(candidate.as_str())
            .filter(|s| wordish(s))
            .and_then(lookup)
        {
            return Some(code);
        }
    }
    None
}

/// A registry number written after its label (`INN773407989940`, `KPP 770101001`,
/// `/INN/7734…`, `ИНН: 7734…`, `OGRN 1097711000078`, `USCC 9111…`), with where the
/// label starts and the value ends in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LabelledCode<'t> {
    pub scheme: Scheme,
    pub value: &'t str,
    pub start: usize,
    pub end: usize,
}

/// Labels longest first, so `OGRNIP` is not read as `OGRN` + `IP…`.
const REGISTRY_LABELS: [(&str, Scheme); 11] = [
    ("ОГРНИП", Scheme::Ogrnip),
    ("OGRNIP", Scheme::Ogrnip),
    ("ОГРН", Scheme::Ogrn),
    ("OGRN", Scheme::Ogrn),
    ("USCC", Scheme::Uscc),
    ("ИНН", Scheme::Inn),
    ("INN", Scheme::Inn),
    ("КПП", Scheme::Kpp),
    ("KPP", Scheme::Kpp),
    ("БИК", Scheme::Bik),
    ("BIK", Scheme::Bik),
];

/// Every labelled registry number in `text`. A label counts only at the start of a
/// word and only when a digit follows it (after `:`, `/`, `.`, `№` or spaces), so
/// `INNOVATION` or `Inn Road` are words, not codes. The value is the run of digits
/// (letters too for KPP and USCC, whose schemes use them), kept whole even when
/// too long: the check reports a wrong length rather than a silently cut number.
pub(crate) fn registry_codes(text: &str) -> Vec<LabelledCode<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut last_end = None;
    while at < text.len() {
        let rest = &text[at..];
        // A label starts a word, or directly follows the previous code's value.
        let boundary = last_end == Some(at)
            || text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
        let label = boundary
            .then(|| {
                REGISTRY_LABELS
                    .iter()
                    .find_map(|(l, scheme)| label_len(rest, l).map(|len| (len, scheme)))
            })
            .flatten();
        let Some((label_bytes, scheme)) = label else {
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let after = &rest[label_bytes..];
        let value_at = after
            .find(|c: char| !matches!(c, ' ' | ':' | '/' | '.' | '№' | '#' | '-'))
            .unwrap_or(after.len());
        let value_text = &after[value_at..];
        if !value_text.starts_with(|c: char| c.is_ascii_digit()) {
            at += label_bytes;
            continue;
        }
        let letters = matches!(scheme, Scheme::Kpp | Scheme::Uscc);
        let mut len = value_text
            .find(|c: char| !(c.is_ascii_digit() || (letters && c.is_ascii_alphabetic())))
            .unwrap_or(value_text.len());
        // `INN7707083893KPP773601001` written without a separator: the letters of the
        // next label end a KPP or USCC value.
        if letters {
            if let Some(next) = REGISTRY_LABELS
                .iter()
                .filter_map(|(l, _)| value_text[..len].to_uppercase().find(l))
                .min()
            {
                len = next;
            }
        }
        let value = &value_text[..len];
        let start = at;
        let end = at + label_bytes + value_at + len;
        out.push(LabelledCode {
            scheme: *scheme,
            value,
            start,
            end,
        });
        at = end;
        last_end = Some(end);
    }
    out
}

/// The length in bytes of `label` (upper case) at the start of `text`, compared
/// without regard to case; None when `text` does not start with it. Runs at every
/// word of every free-text field, so it allocates nothing.
fn label_len(text: &str, label: &str) -> Option<usize> {
    let mut chars = text.char_indices();
    for l in label.chars() {
        let (_, c) = chars.next()?;
        if c != l && !c.to_uppercase().eq(std::iter::once(l)) {
            return None;
        }
    }
    Some(chars.next().map_or(text.len(), |(i, _)| i))
}

/// A party line that begins with registry numbers (SWIFT-RUR field 59 line 2,
/// `INN773407989940.KPP770101001`): the codes, and any text after them on the same
/// line (a name written after the codes). None when the line does not begin with a
/// labelled code.
pub(crate) fn codes_line(line: &str) -> Option<(Vec<LabelledCode<'_>>, &str)> {
    let codes = registry_codes(line);
    let lead = line.len() - line.trim_start_matches(['/', ' ']).len();
    let first = codes.first()?;
    if first.start != lead {
        return None;
    }
    // Codes must follow one another, separated only by punctuation.
    let mut last_end = 0;
    let mut joined = Vec::new();
    for c in codes {
        if !line[last_end..c.start]
            .chars()
            .all(|ch| matches!(ch, ' ' | '.' | ',' | ';' | '/'))
        {
            break;
        }
        last_end = c.end;
        joined.push(c);
    }
    let rest = line[last_end..].trim_matches(|c: char| matches!(c, ' ' | '.' | ',' | ';' | '/'));
    Some((joined, rest))
}

/// 1-based line number of a byte offset.
pub(crate) fn line_of(bytes: &[u8], offset: usize) -> usize {
    let end = offset.min(bytes.len());
    1 + bytes[..end].iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(Scheme, &str)> {
        registry_codes(text)
            .into_iter()
            .map(|c| (c.scheme, c.value))
            .collect()
    }

    #[test]
    fn registry_numbers_after_their_labels() {
        assert_eq!(
            codes("INN773407989940.KPP770101001"),
            [(Scheme::Inn, "773407989940"), (Scheme::Kpp, "770101001")]
        );
        assert_eq!(
            codes("/INN/7750005482/KPP/7701AB001"),
            [(Scheme::Inn, "7750005482"), (Scheme::Kpp, "7701AB001")]
        );
        assert_eq!(
            codes("INN7707083893KPP773601001"),
            [(Scheme::Inn, "7707083893"), (Scheme::Kpp, "773601001")]
        );
        assert_eq!(
            codes("оплата по счету 12, ИНН: 9102070194, ОГРН 1149102099652"),
            [(Scheme::Inn, "9102070194"), (Scheme::Ogrn, "1149102099652")]
        );
        assert_eq!(
            codes("OGRNIP 304500116000157"),
            [(Scheme::Ogrnip, "304500116000157")]
        );
        // Words, not codes.
        assert!(codes("INNOVATION CAPITAL, 1 INN ROAD, KINNOCK 12").is_empty());
    }

    #[test]
    fn a_codes_line_and_the_name_after_it() {
        let (c, rest) = codes_line("INN773407989940.KPP770101001").unwrap();
        assert_eq!((c.len(), rest), (2, ""));
        let (c, rest) = codes_line("INN 7750005482 SMP BANK").unwrap();
        assert_eq!((c[0].value, rest), ("7750005482", "SMP BANK"));
        assert!(codes_line("OOO ROMASHKA INN 7750005482").is_none());
    }

    #[test]
    fn bic_shape_and_country() {
        assert_eq!(bic_country("WPACAU2S").as_deref(), Some("AU"));
        assert_eq!(bic_country("MYMBGB2LXXX").as_deref(), Some("GB"));
        assert_eq!(bic_country("JKKILKOKSIKF"), None);
        assert_eq!(bic_country("BILL PROCEEDS"), None);
        assert!(!is_bic("1234GB2L"));
    }

    #[test]
    fn iban_country_with_and_without_checksum() {
        assert_eq!(
            iban_country("CH5109000000250092291", true).as_deref(),
            Some("CH")
        );
        assert_eq!(
            iban_country("GB29 NWBK 6016 1331 9268 19", true).as_deref(),
            Some("GB")
        );
        // Test IBAN from a sample: right shape, wrong checksum.
        assert_eq!(iban_country("LT007180000000000000", true), None);
        assert_eq!(
            iban_country("LT007180000000000000", false).as_deref(),
            Some("LT")
        );
        assert_eq!(iban_country("100811000148", false), None);
        assert_eq!(iban_country("LK123456", false), None);
    }

    #[test]
    fn countries_in_address_lines() {
        assert_eq!(country_in_text("SRI LANKA").as_deref(), Some("LK"));
        assert_eq!(country_in_text("GB").as_deref(), Some("GB"));
        assert_eq!(country_in_text("Russia").as_deref(), Some("RU"));
        assert_eq!(
            country_in_text("10115 Berlin, Germany").as_deref(),
            Some("DE")
        );
        assert_eq!(country_in_text("LOS ANGELES, CA"), None);
        assert_eq!(country_in_text("GALLE RD COLOMBO 03 SL"), None);
        assert_eq!(country_in_text("NO 852-60"), None);
        assert_eq!(country_in_text("Mark Lane 55"), None);
        assert_eq!(country_in_text("EC3R7NE London"), None);
        assert_eq!(
            country_in_text("PORT MORESBY PAPUA NEW GUINEA").as_deref(),
            Some("PG")
        );
        assert_eq!(country_in_text("NEWARK, NEW JERSEY"), None);
        assert_eq!(country_in_text("1 MAIN ST RHODE ISLAND"), None);
    }

    #[test]
    fn structured_country_codes() {
        assert_eq!(country_code("sg").as_deref(), Some("SG"));
        assert_eq!(country_code("Singapore").as_deref(), Some("SG"));
        assert_eq!(country_code("UK").as_deref(), Some("GB"));
        assert_eq!(country_code("Atlantis"), None);
    }

    #[test]
    fn lines_from_offsets() {
        let text = b"a\nb\r\nc";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 2), 2);
        assert_eq!(line_of(text, 5), 3);
        assert_eq!(line_of(text, 99), 3);
    }
}
