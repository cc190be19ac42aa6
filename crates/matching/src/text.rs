//! Listed names inside free text: remittance information, field 70/72 narratives,
//! unstructured addresses, a news article or a contract.
//!
//! Screening every window of words as a name would cost a full screening per window
//! and flag whatever short list name happens to be a common word. Instead the text's
//! words are looked up in the index's token dictionary (the same exact, phonetic and
//! one-edit keys a name query uses), and only words that are *rare* in the lists seed
//! candidates: `bank`, `company`, `trading` or `mohammed` alone never do. A list name
//! becomes a candidate where the text holds enough of its distinctive tokens close
//! together; the shortest run of words covering them is then screened as a name, with
//! the full scorer and its explanation. So a hit is always a name-level match with a
//! score, never a lone word, and its position in the text is reported.

use serde::Serialize;

use crate::analyze::{analyze, TokenRole};
use crate::index::{FxMap, TokenId};
use crate::phonetics::How;
use crate::{Index, Match, Options, Query};

/// A listed party named in a text.
#[derive(Debug, Clone, Serialize)]
pub struct TextMatch {
    /// Byte offsets of the matched words in the text (UTF-8), end exclusive.
    pub start: usize,
    pub end: usize,
    /// The matched words as they stand in the text.
    pub text: String,
    #[serde(flatten)]
    pub matched: Match,
}

use redline_names::Word;

/// Words, with apostrophes, hyphens and dots inside a word kept (`O'Neil`,
/// `RADIO-ELECTRONIC`, `U.S`): a hyphenated name is one name part, as list names write it.
fn words(text: &str) -> Vec<Word<'_>> {
    redline_names::words_of(text, |c| {
        redline_names::is_apostrophe(c) || matches!(c, '-' | '.')
    })
}

/// Dictionary tokens at least this similar to a text token seed candidates.
const SEED_SIMILARITY: f32 = 0.85;
/// Tokens carried by more list names than this never seed (they are common words or
/// common given names); they still count once a candidate is scored.
const MAX_SEED_DOC_FREQ: u32 = 400;
/// A one-token list name is found in text only if its token is at least this long:
/// short single-word names (vessel `SUN`, alias `ALI`) are ordinary words.
const MIN_SINGLE_TOKEN_LEN: usize = 6;
/// Words between two tokens of one name, at most.
const MAX_GAP: usize = 2;
/// Running text has no "this is a name" prior, so a match must rest on at least one
/// distinctive token: one carried by at most this many list names, at least
/// [`MIN_ANCHOR_LEN`] letters long and matched with [`MIN_ANCHOR_SIMILARITY`]. Given
/// names, patronymics, generic words and legal forms (`Vladimir Vladimirovich`,
/// `companies AS`) never anchor a match on their own.
const MAX_ANCHOR_DOC_FREQ: u32 = 60;
const MIN_ANCHOR_LEN: usize = 4;
const MIN_ANCHOR_SIMILARITY: f64 = 0.9;

impl Index {
    /// Every list entity named in `text`, with the position of its name, best first.
    /// `options.threshold` is the score a name must reach; `options.limit` caps the
    /// number of matches.
    pub fn find_in_text(&self, text: &str, options: &Options) -> Vec<TextMatch> {
        let words = words(text);
        // For each word: the list tokens it may be (its own tokens looked up).
        let mut lookup: FxMap<TokenId, (f32, How)> = FxMap::default();
        // name → (word position, list token) pairs.
        let mut hits: FxMap<u32, Vec<(usize, TokenId)>> = FxMap::default();
        for (pos, word) in words.iter().enumerate() {
            for token in analyze(word.text).tokens {
                if token.chars().count() < 2 {
                    continue;
                }
                self.dict.lookup(&token, &mut lookup);
                for (&list_token, &(sim, _)) in &lookup {
                    let t = list_token as usize;
                    if sim < SEED_SIMILARITY || self.dict.doc_freq[t] > MAX_SEED_DOC_FREQ {
                        continue;
                    }
                    for &name in &self.dict.postings[t] {
                        hits.entry(name).or_default().push((pos, list_token));
                    }
                }
            }
        }
        // Candidate spans: for each name, the closest run of words holding enough of
        // its distinctive tokens.
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for (name_idx, mut found) in hits {
            let name = &self.names[name_idx as usize];
            let distinct_in_name = {
                let mut t = name.tokens.clone();
                t.sort_unstable();
                t.dedup();
                t.len()
            };
            found.sort_unstable();
            found.dedup();
            for (first, last, distinct_words) in clusters(&found) {
                let enough = if distinct_in_name == 1 {
                    words[first].text.chars().count() >= MIN_SINGLE_TOKEN_LEN
                } else {
                    distinct_words >= 2
                };
                if enough {
                    spans.push((first, last));
                }
            }
        }
        spans.sort_unstable();
        spans.dedup();
        // In text written in upper and lower case, names are capitalised: a word in
        // lower case (`companies`, `parents`) does not anchor a match. All-caps text
        // (SWIFT fields) carries no such signal.
        let mixed_case =
            text.chars().any(char::is_lowercase) && text.chars().any(char::is_uppercase);
        let mut best: FxMap<String, TextMatch> = FxMap::default();
        for (first, last) in spans {
            let (start, end) = (words[first].start, words[last].end);
            let span_text = &text[start..end];
            let query = Query {
                name: span_text.to_string(),
                ..Query::default()
            };
            // One short word is an ordinary word, whatever list name it equals once
            // titles are set aside (`Mullah Radio` → `radio`).
            if first == last && words[first].text.chars().count() < MIN_SINGLE_TOKEN_LEN {
                continue;
            }
            // The words that could anchor a match (see `anchored`).
            let anchor_words: Vec<String> = words[first..=last]
                .iter()
                .filter(|w| !mixed_case || starts_upper_or_caseless(w.text))
                .flat_map(|w| analyze(w.text).tokens)
                .collect();
            for m in self.screen(&query, options) {
                if !self.anchored(&m, first == last, &anchor_words) {
                    continue;
                }
                let better = best
                    .get(&m.entity_id)
                    .is_none_or(|b| m.score > b.matched.score);
                if better {
                    best.insert(
                        m.entity_id.clone(),
                        TextMatch {
                            start,
                            end,
                            text: span_text.to_string(),
                            matched: m,
                        },
                    );
                }
            }
        }
        let mut out: Vec<TextMatch> = best.into_values().collect();
        // Words already explained by a better match inside a longer name are not a
        // second party: `Vladimir Vladimirovich` within `PUTIN, Vladimir Vladimirovich`.
        let explained: Vec<(usize, usize, f64)> = out
            .iter()
            .map(|m| (m.start, m.end, m.matched.score))
            .collect();
        out.retain(|m| {
            !explained.iter().any(|&(s, e, score)| {
                s <= m.start
                    && m.end <= e
                    && (e - s) > (m.end - m.start)
                    && score >= m.matched.score
            })
        });
        out.sort_by(|a, b| {
            b.matched
                .score
                .total_cmp(&a.matched.score)
                .then(a.start.cmp(&b.start))
                .then_with(|| a.matched.entity_id.cmp(&b.matched.entity_id))
        });
        out.truncate(options.limit);
        out
    }
}

impl Index {
    /// Whether a match found in text rests on a distinctive token (see
    /// [`MAX_ANCHOR_DOC_FREQ`]) of one of `anchor_words`; a one-word span must equal its
    /// list token outright, since an ordinary word one letter from a name (`parents` /
    /// `BARENTS`) is common.
    fn anchored(&self, m: &Match, single_word: bool, anchor_words: &[String]) -> bool {
        m.explanation.tokens.iter().any(|t| {
            if !anchor_words.contains(&t.query) {
                return false;
            }
            let doc_freq = self
                .dict
                .get(&t.list)
                .map_or(u32::MAX, |id| self.dict.doc_freq[id as usize]);
            let strong = if single_word {
                t.how == How::Exact
            } else {
                t.similarity >= MIN_ANCHOR_SIMILARITY
            };
            strong
                && doc_freq <= MAX_ANCHOR_DOC_FREQ
                && t.list.chars().count() >= MIN_ANCHOR_LEN
                // A rare generic word (`companies`) or legal form is still not a name.
                && analyze(&t.list).roles.first() == Some(&TokenRole::Name)
        })
    }
}

/// Whether a word starts with a capital, or is written in a script without case.
fn starts_upper_or_caseless(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || !(c.is_lowercase() || c.is_uppercase()))
}

/// Runs of hits whose words are at most [`MAX_GAP`] words apart: (first word, last
/// word, distinct words in the run). Words, not list tokens, are counted: one word
/// close to two list tokens (`radio` ~ `radio`, `radia`) is still one word of evidence.
fn clusters(found: &[(usize, TokenId)]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < found.len() {
        let mut j = i;
        while j + 1 < found.len() && found[j + 1].0 <= found[j].0 + MAX_GAP + 1 {
            j += 1;
        }
        let mut positions: Vec<usize> = found[i..=j].iter().map(|h| h.0).collect();
        positions.dedup();
        out.push((found[i].0, found[j].0, positions.len()));
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn words_keep_their_byte_offsets() {
        let text = "PAY O'NEIL, via JSC «RADIO-ELECTRONIC» Путин 习近平.";
        let w: Vec<(&str, usize)> = words(text).iter().map(|w| (w.text, w.start)).collect();
        assert_eq!(
            w,
            vec![
                ("PAY", 0),
                ("O'NEIL", 4),
                ("via", 12),
                ("JSC", 16),
                ("RADIO-ELECTRONIC", 22),
                ("Путин", 41),
                ("习近平", 52),
            ]
        );
        for word in words(text) {
            assert_eq!(&text[word.start..word.end], word.text);
        }
    }
}
