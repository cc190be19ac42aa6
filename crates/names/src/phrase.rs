//! Longest-match lookup of token sequences.
//!
//! Legal forms, organisation descriptors and titles are phrases of one or
//! more tokens (`limited liability company`, `you xian gong si`, `his
//! excellency`). After tokenisation they are found by a left-to-right,
//! longest-first scan over the name's tokens, indexed by first token. The index is
//! an `FxHashMap`: every token of every name screened is looked up in several such
//! tables, and the keys are short words, not attacker-chosen at a scale that SipHash's
//! flooding resistance would pay for.

use rustc_hash::FxHashMap as HashMap;

/// Phrases sharing a first token, longest first, with their values.
type Phrases<V> = Vec<(Box<[String]>, V)>;

/// A phrase table mapping token sequences to values.
pub(crate) struct PhraseTable<V> {
    /// First token → phrases starting with it, longest first.
    by_first: HashMap<String, Phrases<V>>,
}

impl<V> Default for PhraseTable<V> {
    fn default() -> Self {
        Self {
            by_first: HashMap::default(),
        }
    }
}

impl<V> PhraseTable<V> {
    /// The value stored for `phrase`, inserting `make()` if it is new.
    /// Returns `None` for an empty phrase.
    pub(crate) fn entry(
        &mut self,
        phrase: Vec<String>,
        make: impl FnOnce() -> V,
    ) -> Option<&mut V> {
        let first = phrase.first()?.clone();
        let list = self.by_first.entry(first).or_default();
        let pos = match list.iter().position(|(p, _)| **p == *phrase) {
            Some(pos) => pos,
            None => {
                // Keep longest first; equal lengths keep insertion order.
                let at = list.partition_point(|(p, _)| p.len() >= phrase.len());
                list.insert(at, (phrase.into_boxed_slice(), make()));
                at
            }
        };
        list.get_mut(pos).map(|(_, v)| v)
    }

    /// The longest phrase starting at `tokens[start]`: its length and value.
    pub(crate) fn longest_at<T: AsRef<str>>(
        &self,
        tokens: &[T],
        start: usize,
    ) -> Option<(usize, &V)> {
        let rest = tokens.get(start..)?;
        let list = self.by_first.get(rest.first()?.as_ref())?;
        list.iter().find_map(|(phrase, v)| {
            let matches =
                phrase.len() <= rest.len() && phrase.iter().zip(rest).all(|(p, t)| p == t.as_ref());
            matches.then_some((phrase.len(), v))
        })
    }

    /// The value of a phrase of exactly these tokens.
    pub(crate) fn get<T: AsRef<str>>(&self, tokens: &[T]) -> Option<&V> {
        let list = self.by_first.get(tokens.first()?.as_ref())?;
        list.iter()
            .find(|(phrase, _)| {
                phrase.len() == tokens.len()
                    && phrase.iter().zip(tokens).all(|(p, t)| p == t.as_ref())
            })
            .map(|(_, v)| v)
    }

    /// Non-overlapping leftmost-longest matches: `(start, end, value)`.
    pub(crate) fn spans<T: AsRef<str>>(&self, tokens: &[T]) -> Vec<(usize, usize, &V)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match self.longest_at(tokens, i) {
                Some((len, v)) => {
                    out.push((i, i + len, v));
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }

    /// Every phrase in the table.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&[String], &V)> {
        self.by_first.values().flatten().map(|(p, v)| (&**p, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn longest_match_wins() {
        let mut t = PhraseTable::default();
        t.entry(phrase("you xian"), || 1);
        t.entry(phrase("you xian gong si"), || 2);
        t.entry(phrase("gong si"), || 3);
        // First insertion wins on duplicates.
        assert_eq!(t.entry(phrase("gong si"), || 4).copied(), Some(3));
        let toks = phrase("hua wei you xian gong si gong si");
        let spans: Vec<_> = t
            .spans(&toks)
            .into_iter()
            .map(|(s, e, v)| (s, e, *v))
            .collect();
        assert_eq!(spans, [(2, 6, 2), (6, 8, 3)]);
        assert_eq!(t.get(&phrase("you xian")), Some(&1));
        assert_eq!(t.get(&phrase("you")), None);
        assert!(t.entry(Vec::new(), || 0).is_none());
    }
}
