//! SWIFT MT (FIN) grammar: the blocks `{1:…}{2:…}{3:{…}}{4:\r\n…\r\n-}{5:{…}}` and the
//! `:TAG:` fields of block 4. Structure only; what fields mean is `mt_extract`.
//!
//! Written by hand because the grammar is tiny and regular, and a hand parser can say
//! exactly which block, line and field is wrong — an operator refusing a message needs
//! that, and a generic parser's "unexpected token" is no help. Line numbers are
//! 1-based in the whole input (so they match an editor), CRLF and LF are both
//! accepted, and nothing here allocates per character.

use crate::ids::line_of;
use crate::PaymentError;

/// A top-level block: its identifier ("1"…"5", "S") and raw content.
#[derive(Debug)]
pub(crate) struct Block<'a> {
    pub id: &'a str,
    pub content: &'a str,
    /// Byte offset of `content` in the input.
    pub offset: usize,
}

/// A block-4 field: tag ("59F") and its non-blank value lines, trimmed, each with
/// its line number in the input.
#[derive(Debug)]
pub(crate) struct Field<'a> {
    pub tag: &'a str,
    pub lines: Vec<(usize, &'a str)>,
}

impl Field<'_> {
    /// Tag number ("59") and option letter ('F'), if any.
    pub fn number_and_option(&self) -> (&str, Option<char>) {
        let (n, opt) = self.tag.split_at(2);
        (n, opt.chars().next())
    }

    /// The value with lines joined by one space.
    pub fn joined(&self) -> String {
        let lines: Vec<&str> = self.lines.iter().map(|(_, l)| *l).collect();
        lines.join(" ")
    }

    pub fn first_line(&self) -> usize {
        self.lines.first().map_or(0, |(n, _)| *n)
    }
}

/// What blocks 1–3 say.
#[derive(Debug)]
pub(crate) struct Header {
    /// "103", "202", …
    pub mt: String,
    /// `true` for output (`{2:O…}`): the sender is in block 2, the receiver in block 1.
    pub output: bool,
    /// Logical terminal of block 1 (12 characters).
    pub block1_lt: Option<String>,
    /// Logical terminal in block 2: the receiver (input) or the MIR's sender (output).
    pub block2_lt: Option<String>,
    /// Block 3 field 119 (validation flag: "COV", "STP", "REMIT").
    pub validation_flag: Option<String>,
}

/// Splits the input into its top-level blocks.
pub(crate) fn blocks(text: &str) -> Result<Vec<Block<'_>>, PaymentError> {
    let bytes = text.as_bytes();
    let at = |offset: usize| line_of(bytes, offset);
    let mut out: Vec<Block> = Vec::new();
    let mut i = 0;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        match bytes[i] {
            b'{' => {}
            b'}' => {
                return Err(PaymentError::malformed(
                    at(i),
                    "top level",
                    "unbalanced '}'",
                ))
            }
            _ => {
                return Err(PaymentError::malformed(
                    at(i),
                    "top level",
                    "text outside blocks (a block starts with '{')",
                ))
            }
        }
        let open = i;
        let Some(colon) = bytes[open + 1..].iter().take(3).position(|&b| b == b':') else {
            return Err(PaymentError::malformed(
                at(open),
                "top level",
                "block without an identifier (expected e.g. '{4:')",
            ));
        };
        let id = &text[open + 1..open + 1 + colon];
        let location = format!("block {id}");
        if !matches!(id, "1" | "2" | "3" | "4" | "5" | "S") {
            return Err(PaymentError::malformed(
                at(open),
                location,
                format!("unknown block '{id}'"),
            ));
        }
        if out.iter().any(|b| b.id == id) {
            return Err(PaymentError::malformed(
                at(open),
                location,
                format!("block {id} appears twice"),
            ));
        }
        let start = open + 2 + colon;
        let (content_end, next) = if id == "4" {
            block4_end(text, start).ok_or_else(|| {
                // Point at the last line with text, where the terminator should follow.
                PaymentError::malformed(
                    at(text.trim_end().len()),
                    "block 4",
                    "block 4 is not terminated by a '-}' line",
                )
            })?
        } else {
            let end = closing_brace(bytes, start, matches!(id, "3" | "5" | "S"))
                .map_err(|(pos, msg)| PaymentError::malformed(at(pos), location.as_str(), msg))?;
            (end, end + 1)
        };
        out.push(Block {
            id,
            content: &text[start..content_end],
            offset: start,
        });
        i = next;
    }
    Ok(out)
}

/// Block 4 ends at a line that starts with "-}". Returns (content end, next offset).
fn block4_end(text: &str, start: usize) -> Option<(usize, usize)> {
    let body = &text[start..];
    if body.starts_with("-}") {
        return Some((start, start + 2));
    }
    body.match_indices("\n-}")
        .next()
        .map(|(k, _)| (start + k + 1, start + k + 3))
}

/// Index of the brace closing a block; only blocks 3, 5 and S may nest `{tag:value}`.
fn closing_brace(bytes: &[u8], start: usize, nested: bool) -> Result<usize, (usize, String)> {
    let mut depth = 1usize;
    for (k, &b) in bytes.iter().enumerate().skip(start) {
        match b {
            b'{' if !nested || depth > 1 => {
                return Err((
                    k,
                    "unbalanced braces: '{' inside a block that cannot nest".into(),
                ))
            }
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Ok(k);
                }
            }
            _ => {}
        }
    }
    Err((
        start.saturating_sub(1),
        "unbalanced braces: block is not closed by '}'".into(),
    ))
}

/// Reads blocks 1, 2 and 3.
pub(crate) fn header(text: &str, blocks: &[Block]) -> Result<Header, PaymentError> {
    let at = |offset: usize| line_of(text.as_bytes(), offset);
    let b2 = blocks.iter().find(|b| b.id == "2").ok_or_else(|| {
        PaymentError::malformed(1, "block 2", "missing block 2 (application header)")
    })?;
    let c2 = b2.content.trim();
    let output = match c2.as_bytes().first() {
        Some(b'O') => true,
        Some(b'I') => false,
        _ => {
            return Err(PaymentError::malformed(
                at(b2.offset),
                "block 2",
                "block 2 must start with 'I' (input) or 'O' (output)",
            ))
        }
    };
    let mt = c2
        .get(1..4)
        .filter(|t| t.bytes().all(|b| b.is_ascii_digit()));
    let Some(mt) = mt else {
        return Err(PaymentError::malformed(
            at(b2.offset),
            "block 2",
            "block 2 without a message type (expected e.g. 'I103' or 'O103')",
        ));
    };
    // Output: O + type + input time (4) + MIR date (6) + MIR logical terminal (12) …
    // Input: I + type + receiver's logical terminal (12) + priority …
    let lt_at = if output { 14 } else { 4 };
    let block2_lt = c2
        .get(lt_at..lt_at + 12)
        .filter(|lt| is_lt(lt))
        .map(str::to_string);

    let block1_lt = match blocks.iter().find(|b| b.id == "1") {
        None => None,
        Some(b1) => {
            let c1 = b1.content.trim();
            // "F01" + LT + session + sequence; one sample omits "F01", so fall back to
            // an LT at the start rather than refuse a message that is otherwise fine.
            let with_app_id = c1.get(0..3).is_some_and(|p| {
                p.starts_with(['F', 'A', 'L']) && p[1..].bytes().all(|b| b.is_ascii_digit())
            });
            let lt_start = if with_app_id { 3 } else { 0 };
            let lt = c1.get(lt_start..lt_start + 12).filter(|lt| is_lt(lt));
            let Some(lt) = lt else {
                return Err(PaymentError::malformed(
                    at(b1.offset),
                    "block 1",
                    "block 1 without a 12-character logical terminal address",
                ));
            };
            Some(lt.to_string())
        }
    };

    let validation_flag = blocks.iter().find(|b| b.id == "3").and_then(|b3| {
        b3.content
            .split('{')
            .filter_map(|f| f.trim_end_matches('}').split_once(':'))
            .find(|(tag, _)| *tag == "119")
            .map(|(_, v)| v.trim().to_string())
    });

    Ok(Header {
        mt: mt.to_string(),
        output,
        block1_lt,
        block2_lt,
        validation_flag,
    })
}

fn is_lt(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A logical terminal's BIC: 8 characters + branch, dropping the terminal code
/// ("DBSSSGSGXXXX" → "DBSSSGSGXXX").
pub(crate) fn lt_bic(lt: &str) -> String {
    format!("{}{}", &lt[..8], &lt[9..12])
}

/// Splits block 4 into fields.
pub(crate) fn fields<'a>(
    text: &'a str,
    block4: &Block<'a>,
) -> Result<Vec<Field<'a>>, PaymentError> {
    let first_line = line_of(text.as_bytes(), block4.offset);
    let mut fields: Vec<Field> = Vec::new();
    for (k, raw) in block4.content.split('\n').enumerate() {
        let line_no = first_line + k;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some((tag, rest)) = split_tag(line) {
            let mut lines = Vec::new();
            if !rest.trim().is_empty() {
                lines.push((line_no, rest.trim()));
            }
            fields.push(Field { tag, lines });
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        match fields.last_mut() {
            Some(f) => f.lines.push((line_no, line.trim())),
            None => {
                return Err(PaymentError::malformed(
                    line_no,
                    "block 4",
                    format!("text before the first field: {:?}", truncate(line)),
                ))
            }
        }
    }
    if fields.is_empty() {
        return Err(PaymentError::malformed(
            first_line,
            "block 4",
            "block 4 has no fields",
        ));
    }
    if let Some(empty) = fields.iter().find(|f| f.lines.is_empty()) {
        let line = tag_line(text, block4, empty.tag).unwrap_or(first_line);
        return Err(PaymentError::malformed(
            line,
            format!("block 4, field :{}:", empty.tag),
            format!("field :{}: has an empty value", empty.tag),
        ));
    }
    Ok(fields)
}

/// ":59F:rest" → ("59F", "rest"): two digits and an optional upper-case letter.
fn split_tag(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    if b.len() < 4 || b[0] != b':' || !b[1].is_ascii_digit() || !b[2].is_ascii_digit() {
        return None;
    }
    match (b[3], b.get(4)) {
        (b':', _) => Some((&line[1..3], &line[4..])),
        (l, Some(b':')) if l.is_ascii_uppercase() => Some((&line[1..4], &line[5..])),
        _ => None,
    }
}

/// The line of a field's tag, for errors about fields that have no value lines.
fn tag_line(text: &str, block4: &Block, tag: &str) -> Option<usize> {
    let needle = format!(":{tag}:");
    let first = line_of(text.as_bytes(), block4.offset);
    block4
        .content
        .split('\n')
        .position(|l| l.starts_with(&needle))
        .map(|k| first + k)
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MT103: &str = "{1:F01DBSSSGSGXXXX0000000000}{2:O1030905200805WPACAU2SXXXX00000000002008050905N}{3:{119:STP}{121:174c245f}}{4:\r\n:20:REF1\r\n:59F:/985412687\r\n1/Agoda Company\r\n-}{5:{CHK:ABC}}";

    fn malformed(text: &str) -> (usize, String, String) {
        let result = blocks(text).and_then(|b| {
            header(text, &b)?;
            let b4 = b.iter().find(|b| b.id == "4").expect("test has block 4");
            fields(text, b4).map(|_| ())
        });
        match result {
            Err(PaymentError::Malformed {
                line,
                location,
                message,
            }) => (line, location, message),
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn splits_blocks_and_fields() {
        let b = blocks(MT103).unwrap();
        let ids: Vec<_> = b.iter().map(|b| b.id).collect();
        assert_eq!(ids, ["1", "2", "3", "4", "5"]);
        let h = header(MT103, &b).unwrap();
        assert_eq!((h.mt.as_str(), h.output), ("103", true));
        assert_eq!(
            h.block1_lt.as_deref().map(lt_bic).as_deref(),
            Some("DBSSSGSGXXX")
        );
        assert_eq!(h.block2_lt.as_deref(), Some("WPACAU2SXXXX"));
        assert_eq!(h.validation_flag.as_deref(), Some("STP"));
        let f = fields(MT103, &b[3]).unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].tag, "59F");
        assert_eq!(f[1].lines, [(3, "/985412687"), (4, "1/Agoda Company")]);
        assert_eq!(f[1].number_and_option(), ("59", Some('F')));
    }

    #[test]
    fn lf_line_ends_and_input_direction() {
        let text = "{1:F01AABSLKLXAXXX0000000000}{2:I103HANYUS33XXXXN}{4:\n:20:X\n:70:A\nB\n-}\n";
        let b = blocks(text).unwrap();
        let h = header(text, &b).unwrap();
        assert!(!h.output);
        assert_eq!(h.block2_lt.as_deref(), Some("HANYUS33XXXX"));
        let f = fields(text, &b[2]).unwrap();
        assert_eq!(f[1].joined(), "A B");
    }

    #[test]
    fn tags() {
        assert_eq!(split_tag(":20:X"), Some(("20", "X")));
        assert_eq!(split_tag(":59F:"), Some(("59F", "")));
        assert_eq!(split_tag(":5F:x"), None);
        assert_eq!(split_tag(":59f:x"), None);
        assert_eq!(split_tag("1/NAME"), None);
    }

    #[test]
    fn structural_errors_name_block_and_line() {
        let h = "{1:F01AABSLKLXAXXX0000000000}{2:I103HANYUS33XXXXN}";
        let (line, loc, msg) = malformed(&format!("{h}{{4:\r\n:20:X\r\n:59:NAME\r\n"));
        assert_eq!((line, loc.as_str()), (3, "block 4"));
        assert!(msg.contains("-}"), "{msg}");

        let (line, loc, msg) = malformed(&format!("{h}{{4:\r\ngarbage\r\n:20:X\r\n-}}"));
        assert_eq!((line, loc.as_str()), (2, "block 4"));
        assert!(msg.contains("before the first field"), "{msg}");

        let (line, loc, msg) = malformed(&format!("{h}{{4:\r\n:20:X\r\n:59:\r\n-}}"));
        assert_eq!((line, loc.as_str()), (3, "block 4, field :59:"));
        assert!(msg.contains("empty"), "{msg}");

        let (_, loc, _) =
            malformed("{1:F01AABSLKLXAXXX0000000000{2:I103HANYUS33XXXXN}{4:\n:20:X\n-}");
        assert_eq!(loc, "block 1");
        let (_, loc, msg) = malformed("{1:F01AABSLKLXAXXX0000000000}{7:x}");
        assert_eq!(
            (loc.as_str(), msg.as_str()),
            ("block 7", "unknown block '7'")
        );
        let (_, loc, _) = malformed("{1:F01AABSLKLXAXXX0000000000}{2:I}{4:\n:20:X\n-}");
        assert_eq!(loc, "block 2");
        let (_, _, msg) = malformed("{1:F01AABSLKLXAXXX0000000000}{2:I103HANYUS33XXXXN}}");
        assert_eq!(msg, "unbalanced '}'");
        let (_, loc, _) = malformed("{1:F01AABSLKLXAXXX0000000000}{2:I103HANYUS33XXXXN}{3:{108:A}");
        assert_eq!(loc, "block 3");
        let (_, loc, _) = malformed("{1:F01AABSLKLXAXXX0000000000}{4:\n:20:X\n-}");
        assert_eq!(loc, "block 2");
    }
}
