//! Words of running text with their byte spans: what free-text screening (listed
//! names in a remittance, sanctioned places, IMO numbers) looks at, and what it shows
//! an analyst — the exact bytes that fired.

/// A word of the text: `text[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

/// Runs of letters, digits and combining marks. A character for which `joins` holds
/// stays inside a word when a letter or digit follows it (an apostrophe in `O'Neil`;
/// a hyphen in `RADIO-ELECTRONIC` for callers that read hyphenated names as one);
/// everything else separates words.
pub fn words_of(text: &str, joins: impl Fn(char) -> bool) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner =
            start.is_some() && joins(c) && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        let mark = start.is_some() && is_combining_mark(c);
        if c.is_alphanumeric() || inner || mark {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(Word {
                start: s,
                end: i,
                text: &text[s..i],
            });
        }
    }
    if let Some(s) = start {
        out.push(Word {
            start: s,
            end: text.len(),
            text: &text[s..],
        });
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x064B..=0x065F)
}
