//! The candidate index: from a query token to the list names that may contain it.
//!
//! Screening must not compare a query with every list name (100k names, 20k queries a
//! second), yet no single misspelt token may make the true entity unreachable. Each
//! distinct list token is entered in a [`Dictionary`] under these keys:
//! - the token itself (exact and transliterated matches);
//! - its [`consonant_key`] (vowel drops, doubled letters, romanisation variants);
//! - its [`abjad_key`], the letters Arabic script writes, which only a query in that
//!   script looks up (`Dictionary::lookup_arabic`: `mruan` → `marwan`);
//! - its one-character deletions, SymSpell style: two tokens within one edit of each
//!   other (substitution, insertion, deletion or transposition) share a deletion, so
//!   typos and OCR errors are found by a handful of hash look-ups, not a scan;
//! - its transcription key (consonant classes, no vowels), which only a word read back
//!   from a transcription by sound looks up (`Dictionary::lookup_by_sound`:
//!   `mironofu` → `milonov`), and, for a company word, its meaning, which only a word
//!   written in another script looks up (`Dictionary::offer_translations`: `завод` →
//!   `plant`).
//!
//! Adjacent list tokens are also entered joined (`al dibiski` → `aldibiski`,
//! `jin ping` → `jinping`), so spacing differences cost nothing; a query token the
//! lists do not know is split into the fewest list tokens that spell it
//! (`Dictionary::segment`: `abdalqadir`, `cmv`), for longer runs. The tokens kept in
//! string order complete a fragment cut off by a fixed-length field
//! (`Dictionary::completions`: `inzhteplo` → `inzhteploprogress`). Postings map each
//! dictionary token to the names that contain it; token weights are inverse document
//! frequencies over all list names, so `mohammed`, `ivanov` or `company` weigh less
//! than a rare surname.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::OnceLock;

use redline_model::{Entity, NameKind, Schema, SourceId};
use redline_names::transcription::{listed_keys, sound_similarity, transcription_key};
use rustc_hash::FxHasher;
use serde::{Deserialize, Serialize};

use crate::analyze::{analyze, TokenRole};
use crate::phonetics::{
    abjad_key, consonant_key, ocr_variants, press_variants, token_similarity, How,
};

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub(crate) type FxSet<K> = std::collections::HashSet<K, BuildHasherDefault<FxHasher>>;

pub(crate) type TokenId = u32;

/// A word in this many times more organisation names than persons' names is no
/// person's name part ([`Dictionary::person_name_uses`]).
const ORG_WORD_OVER_PERSON_WORD: u32 = 10;
/// Tokens shorter than this are not entered under their deletions (their deletions
/// would be one letter, matching everything).
const MIN_DELETE_LEN: usize = 3;
/// The most list tokens a cut-off fragment is completed to.
const MAX_COMPLETIONS: usize = 32;
/// Shorter query tokens are not split into list tokens run together.
const MIN_SEGMENTED_LEN: usize = 3;
/// The longest piece looked for when splitting a run-together token.
const MAX_PIECE_LEN: usize = 24;
/// Deletion buckets larger than this are not followed at query time.
const MAX_DELETE_BUCKET: usize = 256;
/// At most this many tokens sharing a consonant key are compared.
const MAX_KEY_BUCKET: usize = 128;
/// The shortest [`abjad_key`] that finds list tokens.
const MIN_ABJAD_KEY_LEN: usize = 2;
/// How alike a token romanised from Arabic script is to a list token of the same
/// [`abjad_key`]: as alike as a token written without its vowels (`Mhmd`).
const ABJAD_SIMILARITY: f32 = 0.9;
const SHORT_ABJAD_SIMILARITY: f32 = 0.85;
/// The shortest [`transcription_key`] that finds list tokens: two consonant classes
/// (`KN`, `PTN`'s first two) are too many names.
const MIN_SOUND_KEY_LEN: usize = 3;
/// The most a token read back from a transcription and a list token of the same
/// [`transcription_key`] count as alike ([`sound_similarity`]): never the same
/// spelling.
const MAX_SOUND_SIMILARITY: f32 = 0.97;
const MAX_JOINED_SOUND_SIMILARITY: f32 = 0.9;
/// How alike a company word and a list word of the same meaning in another language
/// are (`завод` and `PLANT`): the same thing, not the same word.
const TRANSLATION_SIMILARITY: f32 = 0.95;
/// What a list token written as a query token's press form (`Wladimir` →
/// `vladimir`) scores: near an exact match, for it is the same name spelt by another
/// orthography, yet below one.
const PRESS_FORM_SIMILARITY: f32 = 0.95;

#[derive(Default, Serialize, Deserialize)]
pub(crate) struct Dictionary {
    pub strings: Vec<String>,
    pub keys: Vec<String>,
    by_string: FxMap<String, TokenId>,
    by_key: FxMap<String, Vec<TokenId>>,
    /// Tokens by [`abjad_key`]: how a name romanised from Arabic script finds the
    /// list's spellings of it.
    by_abjad_key: FxMap<String, Vec<TokenId>>,
    /// Tokens by [`transcription_key`]: how a name read back from a transcription
    /// (`mironofu`, `milonop`) finds the list's spelling of it (`MILONOV`).
    by_sound_key: FxMap<String, Vec<TokenId>>,
    /// List tokens by the meaning of the company word they are (`plant`: `plant`,
    /// `factory`, `works`, `zavod` …): how a company word in another language
    /// (`завод`, `kholdinga`) meets the list's word for the same thing.
    by_meaning: FxMap<String, Vec<TokenId>>,
    /// Whether a token is entered under its transcription key: a list token, or two
    /// name words joined (`bong nam` → `bongnam`, which katakana writes as one word,
    /// `ボンナム`), but not a word joined with a letter or a legal form (`avical s`).
    soundable: Vec<bool>,
    pub(crate) deletes: DeletionTable,
    /// Names containing each token (joined tokens included).
    pub postings: Vec<Vec<u32>>,
    /// Number of names whose own tokens include this one (not counting joins).
    pub doc_freq: Vec<u32>,
    /// Of those, the names of persons: a token the lists use in people's names
    /// (`vladimir`, `jordan`) is a name part wherever it stands, even where it is
    /// also a place.
    pub person_doc_freq: Vec<u32>,
    /// …and of organisations, vessels and aircraft: a word in many of those
    /// (`aviation`, `scientific`, `moscow`) describes, it does not identify.
    pub org_doc_freq: Vec<u32>,
    pub weight: Vec<f32>,
    /// The number of names the weights are computed over (the index's own, plus its
    /// reference's when built against one).
    name_count: usize,
    /// Token ids in the order of their strings, for prefix look-ups.
    sorted: Vec<TokenId>,
}

/// Token ids by the hash of a token or of one of its one-character deletions, as
/// sorted arrays rather than a map of vectors. The lists' 116,000 tokens make 1.3
/// million deletion buckets: as a `HashMap<u64, Vec<_>>` that is 1.3 million
/// allocations to build, to free and to read back from an index snapshot, where
/// these four arrays are copied in one pass each. A look-up reads the directory
/// entry of the key's top 16 bits, then binary-searches the few dozen keys under it.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct DeletionTable {
    /// The distinct keys ([`DeletionTable::key`] of the hashes), sorted.
    #[serde(with = "crate::snapshot::raw")]
    keys: Vec<u64>,
    /// Bucket `k`'s ids are `ids[starts[k]..starts[k + 1]]`, in token id order.
    #[serde(with = "crate::snapshot::raw")]
    starts: Vec<u32>,
    #[serde(with = "crate::snapshot::raw")]
    ids: Vec<TokenId>,
    /// `directory[b]`: the first key whose top 16 bits are at least `b`.
    #[serde(with = "crate::snapshot::raw")]
    directory: Vec<u32>,
}

impl DeletionTable {
    const DIRECTORY_BITS: u32 = 16;

    /// The hash mixed so that its top bits are uniform (an odd multiplier is a
    /// bijection: distinct hashes stay distinct).
    fn key(hash: u64) -> u64 {
        hash.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    fn build(pairs: Vec<(u64, TokenId)>) -> DeletionTable {
        let mut pairs: Vec<(u64, TokenId)> = pairs
            .into_iter()
            .map(|(hash, id)| (DeletionTable::key(hash), id))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut table = DeletionTable {
            ids: pairs.iter().map(|&(_, id)| id).collect(),
            ..DeletionTable::default()
        };
        for (at, &(key, _)) in pairs.iter().enumerate() {
            if table.keys.last() != Some(&key) {
                table.keys.push(key);
                table.starts.push(at as u32);
            }
        }
        table.starts.push(pairs.len() as u32);
        let buckets = 1usize << DeletionTable::DIRECTORY_BITS;
        table.directory = (0..=buckets)
            .map(|b| {
                table.keys.partition_point(|&k| {
                    ((k >> (64 - DeletionTable::DIRECTORY_BITS)) as usize) < b
                }) as u32
            })
            .collect();
        table
    }

    fn get(&self, hash: u64) -> &[TokenId] {
        let key = DeletionTable::key(hash);
        let b = (key >> (64 - DeletionTable::DIRECTORY_BITS)) as usize;
        let (Some(&from), Some(&to)) = (self.directory.get(b), self.directory.get(b + 1)) else {
            return &[];
        };
        let Some(under) = self.keys.get(from as usize..to as usize) else {
            return &[];
        };
        let Ok(k) = under.binary_search(&key) else {
            return &[];
        };
        let k = from as usize + k;
        match (self.starts.get(k), self.starts.get(k + 1)) {
            (Some(&start), Some(&end)) => self.ids.get(start as usize..end as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

fn hash_bytes(bytes: impl Iterator<Item = u8>) -> u64 {
    let mut h = FxHasher::default();
    for b in bytes {
        b.hash(&mut h);
    }
    h.finish()
}

/// Calls `f` with the hash of `token` and of each of its one-character deletions.
fn for_each_deletion_hash(token: &str, mut f: impl FnMut(u64)) {
    let b = token.as_bytes();
    f(hash_bytes(b.iter().copied()));
    for skip in 0..b.len() {
        // Deleting either of two equal neighbours gives the same string: hash once.
        if skip > 0 && b[skip] == b[skip - 1] {
            continue;
        }
        f(hash_bytes(
            b.iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| *c),
        ));
    }
}

impl Dictionary {
    pub fn intern(&mut self, token: &str) -> TokenId {
        if let Some(&id) = self.by_string.get(token) {
            return id;
        }
        let id = self.strings.len() as TokenId;
        self.strings.push(token.to_string());
        self.keys.push(consonant_key(token));
        self.by_string.insert(token.to_string(), id);
        self.postings.push(Vec::new());
        self.doc_freq.push(0);
        self.person_doc_freq.push(0);
        self.org_doc_freq.push(0);
        self.soundable.push(false);
        id
    }

    pub fn get(&self, token: &str) -> Option<TokenId> {
        self.by_string.get(token).copied()
    }

    /// In how many listed persons' names `token` stands as a name part: none for a
    /// word that stands in many times more organisation names than persons' — the
    /// `Moscow` of `Kirill I of Moscow`, one alias among thousands of Moscow
    /// companies, is a place, not a name part.
    pub fn person_name_uses(&self, token: &str) -> u32 {
        self.get(token).map_or(0, |id| {
            let persons = self.person_doc_freq[id as usize];
            let organisations = self.org_doc_freq[id as usize];
            if organisations >= ORG_WORD_OVER_PERSON_WORD * persons {
                0
            } else {
                persons
            }
        })
    }

    fn finish(&mut self, name_count: usize) {
        self.name_count = name_count;
        let mut deletions: Vec<(u64, TokenId)> = Vec::new();
        for (id, token) in self.strings.iter().enumerate() {
            let key = &self.keys[id];
            if key.len() >= 2 {
                self.by_key
                    .entry(key.clone())
                    .or_default()
                    .push(id as TokenId);
            }
            let abjad = abjad_key(token);
            if abjad.len() >= MIN_ABJAD_KEY_LEN {
                self.by_abjad_key
                    .entry(abjad)
                    .or_default()
                    .push(id as TokenId);
            }
            if self.doc_freq[id] > 0 {
                let meaning = redline_names::company_words::meaning_as_written(token);
                if let Some(meaning) = meaning.filter(|m| translatable(m, token)) {
                    self.by_meaning
                        .entry(meaning.to_string())
                        .or_default()
                        .push(id as TokenId);
                }
            }
            if self.doc_freq[id] > 0 || self.soundable[id] {
                for sound in listed_keys(token) {
                    if sound.len() >= MIN_SOUND_KEY_LEN {
                        self.by_sound_key
                            .entry(sound)
                            .or_default()
                            .push(id as TokenId);
                    }
                }
            }
            if token.len() >= MIN_DELETE_LEN {
                for_each_deletion_hash(token, |h| deletions.push((h, id as TokenId)));
            }
        }
        self.deletes = DeletionTable::build(deletions);
        // The most common spellings first, should a bucket be cut.
        for ids in self
            .by_abjad_key
            .values_mut()
            .chain(self.by_sound_key.values_mut())
        {
            ids.sort_by_key(|&id| std::cmp::Reverse(self.doc_freq[id as usize]));
        }
        let n = name_count.max(1) as f32;
        self.weight = self.doc_freq.iter().map(|&df| idf(n, df)).collect();
        let mut sorted: Vec<TokenId> = (0..self.strings.len() as TokenId).collect();
        sorted.sort_unstable_by(|&a, &b| self.strings[a as usize].cmp(&self.strings[b as usize]));
        self.sorted = sorted;
        for p in &mut self.postings {
            p.sort_unstable();
            p.dedup();
        }
    }

    /// For a token the lists do not know, the fewest list tokens that run together
    /// spell it (`abdalqadir` → `abdal` `qadir`, `cmv` → `c` `m` `v`): names
    /// written without their spaces, hyphens or dots. `None` for a known token or
    /// one no list tokens spell.
    pub fn segment(&self, token: &str) -> Option<Vec<TokenId>> {
        let own = |piece: &str| self.get(piece).filter(|&id| self.doc_freq[id as usize] > 0);
        if token.len() < MIN_SEGMENTED_LEN || own(token).is_some() {
            return None;
        }
        let n = token.len();
        // best[e]: the fewest pieces spelling token[..e], with the last piece's start.
        let mut best: Vec<Option<(u32, usize, TokenId)>> = vec![None; n + 1];
        best[0] = Some((0, 0, 0));
        for end in (1..=n).filter(|&e| token.is_char_boundary(e)) {
            for start in end.saturating_sub(MAX_PIECE_LEN)..end {
                let Some((count, _, _)) = best[start] else {
                    continue;
                };
                if !token.is_char_boundary(start) {
                    continue;
                }
                if let Some(id) = own(&token[start..end]) {
                    if best[end].is_none_or(|(c, _, _)| count + 1 < c) {
                        best[end] = Some((count + 1, start, id));
                    }
                }
            }
        }
        let (count, _, _) = best[n]?;
        if count < 2 {
            return None;
        }
        let mut pieces = Vec::with_capacity(count as usize);
        let mut end = n;
        while end > 0 {
            let (_, start, id) = best[end]?;
            pieces.push(id);
            end = start;
        }
        pieces.reverse();
        Some(pieces)
    }

    /// The list tokens, longer than `fragment`, that begin with it (`inzhteplo` →
    /// `inzhteploprogress`): what a name cut off by a fixed-length field may have
    /// said. At most [`MAX_COMPLETIONS`]; none when more begin with it, for then the
    /// fragment tells little.
    pub fn completions<'a>(&'a self, fragment: &'a str) -> impl Iterator<Item = TokenId> + 'a {
        let start = self
            .sorted
            .partition_point(|&id| self.strings[id as usize].as_str() < fragment);
        let matching = self.sorted[start..]
            .iter()
            .take_while(move |&&id| self.strings[id as usize].starts_with(fragment))
            .filter(move |&&id| {
                self.doc_freq[id as usize] > 0 && self.strings[id as usize].len() > fragment.len()
            });
        let few = matching.clone().nth(MAX_COMPLETIONS).is_none();
        matching.copied().filter(move |_| few)
    }

    /// The weight of a token never seen in the lists: as rare as it gets.
    pub fn unknown_weight(&self) -> f32 {
        idf(self.name_count.max(1) as f32, 0)
    }

    /// Adds `reference`'s counts of this dictionary's own tokens to its counts, so
    /// that a small index weighs words as the lists do: in a two-entity index every
    /// word would otherwise be equally rare, and `mohammed` as telling as `zawahiri`.
    fn count_as(&mut self, reference: &Dictionary) {
        for (id, token) in self.strings.iter().enumerate() {
            if self.doc_freq[id] == 0 {
                continue;
            }
            if let Some(r) = reference.get(token) {
                let r = r as usize;
                self.doc_freq[id] += reference.doc_freq[r];
                self.person_doc_freq[id] += reference.person_doc_freq[r];
                self.org_doc_freq[id] += reference.org_doc_freq[r];
            }
        }
    }

    /// Every dictionary token similar to `unit`, with similarity and how.
    pub fn lookup(&self, unit: &str, out: &mut FxMap<TokenId, (f32, How)>) {
        out.clear();
        if let Some(id) = self.get(unit) {
            offer(out, id, 1.0, How::Exact);
        }
        let press = press_variants(unit);
        for variant in &press {
            if let Some(id) = self.get(variant) {
                offer(out, id, PRESS_FORM_SIMILARITY, How::Phonetic);
            }
        }
        for variant in ocr_variants(unit) {
            if let Some(id) = self.get(&variant) {
                offer(out, id, 0.9, How::EditDistance);
            }
        }
        // Only the unit's own neighbours: a press form's neighbours would stretch a
        // respelling (`Chen` → `shen`) to names it is not (`Shein`).
        self.offer_near(unit, &press, out);
    }

    /// Offers the list's words of the same meaning as company word `unit`
    /// (`zavod` → `plant`, `factory`, `works`, `zavod`), as translations.
    pub fn offer_translations(&self, unit: &str, out: &mut FxMap<TokenId, (f32, How)>) {
        if let Some(ids) =
            translatable_meaning(unit).and_then(|meaning| self.by_meaning.get(meaning))
        {
            for &id in ids {
                offer(out, id, TRANSLATION_SIMILARITY, How::Translation);
            }
        }
    }

    /// The weight of a company word as its meaning weighs in the lists: the lightest
    /// of the list's words for it (`завод` weighs as `plant`, not as a word the lists
    /// never use); `None` for a word that is no company word.
    pub fn meaning_weight(&self, token: &str) -> Option<f32> {
        let meaning = translatable_meaning(token)?;
        self.by_meaning
            .get(meaning)?
            .iter()
            .map(|&id| self.weight[id as usize])
            .min_by(f32::total_cmp)
    }

    /// [`Dictionary::lookup`] for a token romanised from Arabic script, which wrote
    /// no short vowels: the list tokens of the same [`abjad_key`] are similar too,
    /// and so are those of the token without its article (`alsnuar` for `SINWAR`)
    /// and with the article's `l` taken by the sun letter after it, as the lists
    /// write it (`nsir` + `aldin` for `NASIRUDDIN`, `abdalrhmn` for `ABDURREHMAN`).
    pub fn lookup_arabic(&self, unit: &str, out: &mut FxMap<TokenId, (f32, How)>) {
        self.lookup(unit, out);
        let bare = unit
            .strip_prefix("al")
            .filter(|rest| rest.len() >= MIN_DELETE_LEN);
        let assimilated = assimilate_article(unit);
        for form in std::iter::once(unit)
            .chain(bare)
            .chain(assimilated.as_deref())
        {
            let key = abjad_key(form);
            if key.len() < MIN_ABJAD_KEY_LEN {
                continue;
            }
            let Some(ids) = self.by_abjad_key.get(&key) else {
                continue;
            };
            // Two letters leave many names alike: `ks` is `QUSAY`, `QAIS` and `KISS`.
            let sim = if key.len() > MIN_ABJAD_KEY_LEN {
                ABJAD_SIMILARITY
            } else {
                SHORT_ABJAD_SIMILARITY
            };
            for &id in ids.iter().take(MAX_KEY_BUCKET) {
                offer(out, id, sim, How::Phonetic);
            }
        }
    }

    /// [`Dictionary::lookup`] for a token read back from a transcription by sound
    /// (see [`redline_names::transcription`]): the list tokens of the same
    /// [`transcription_key`] are similar too — the same consonants up to what the
    /// transcribing language cannot tell apart — as alike as their
    /// [`sound_similarity`] says.
    pub fn lookup_by_sound(&self, unit: &str, out: &mut FxMap<TokenId, (f32, How)>) {
        self.lookup(unit, out);
        let key = transcription_key(unit);
        if key.len() < MIN_SOUND_KEY_LEN {
            return;
        }
        let Some(ids) = self.by_sound_key.get(&key) else {
            return;
        };
        for &id in ids.iter().take(MAX_KEY_BUCKET) {
            // Two list words read as one (`bong nam` for `ボンナム`) are less sure than
            // one: more pairs than words share a key.
            let cap = if self.doc_freq[id as usize] > 0 {
                MAX_SOUND_SIMILARITY
            } else {
                MAX_JOINED_SOUND_SIMILARITY
            };
            let sim = sound_similarity(unit, &self.strings[id as usize]).min(cap);
            offer(out, id, sim, How::Phonetic);
        }
    }

    /// Offers the dictionary tokens near `unit`: one edit away or on its consonant key.
    /// Each is compared with the unit and with its press forms, whichever is closer:
    /// a press form that is not itself listed can still be nearer a listed spelling
    /// than the unit is (`Jewgeni` → `yevgeni`, one letter from `yevgeniy`).
    fn offer_near(&self, unit: &str, press: &[String], out: &mut FxMap<TokenId, (f32, How)>) {
        let key = consonant_key(unit);
        let press: Vec<(&str, String)> = press
            .iter()
            .map(|p| (p.as_str(), consonant_key(p)))
            .collect();
        // A token reached through several keys is compared once.
        let mut compared: FxMap<TokenId, ()> = FxMap::default();
        let mut compare = |out: &mut FxMap<TokenId, (f32, How)>, id: TokenId| {
            if out.contains_key(&id) || compared.insert(id, ()).is_some() {
                return;
            }
            let (list, list_key) = (&self.strings[id as usize], &self.keys[id as usize]);
            let own = token_similarity(unit, list, &key, list_key);
            let respelt = press
                .iter()
                .filter_map(|(p, p_key)| token_similarity(p, list, p_key, list_key))
                .map(|(sim, how)| (sim.min(PRESS_FORM_SIMILARITY), how))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((sim, how)) = own
                .into_iter()
                .chain(respelt)
                .max_by(|a, b| a.0.total_cmp(&b.0))
            {
                offer(out, id, sim, how);
            }
        };
        if unit.len() >= MIN_DELETE_LEN {
            for_each_deletion_hash(unit, |h| {
                // A huge bucket is a short, common letter pattern: its tokens are
                // reached through the exact and consonant keys if at all.
                let ids = self.deletes.get(h);
                if ids.len() <= MAX_DELETE_BUCKET {
                    for &id in ids {
                        compare(out, id);
                    }
                }
            });
        }
        if key.len() >= 2 {
            if let Some(ids) = self.by_key.get(&key) {
                for &id in ids.iter().take(MAX_KEY_BUCKET) {
                    compare(out, id);
                }
            }
        }
    }
}

/// The meaning of a company word that may be matched by meaning: not a word of a
/// glossary bag (`services_es`: one language's company vocabulary, many meanings),
/// nor a word that is a legal form by itself, which legal forms compare.
fn translatable_meaning(token: &str) -> Option<&'static str> {
    redline_names::company_words::meaning_of_word(token).filter(|m| translatable(m, token))
}

fn translatable(meaning: &str, token: &str) -> bool {
    !meaning.contains('_') && redline_names::legal_form_spans(&[token]).is_empty()
}

/// `unit` with the `l` of each Arabic article before a sun letter dropped (`alr` →
/// `ar`), if it has one.
fn assimilate_article(unit: &str) -> Option<String> {
    const SUN_LETTERS: &[u8] = b"tdrzsn";
    let b = unit.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut changed = false;
    for (i, &c) in b.iter().enumerate() {
        let article_l = c == b'l'
            && i > 0
            && b[i - 1] == b'a'
            && b.get(i + 1).is_some_and(|n| SUN_LETTERS.contains(n));
        if article_l {
            changed = true;
        } else {
            out.push(c);
        }
    }
    changed.then(|| String::from_utf8(out).unwrap_or_default())
}

/// Records that `id` is similar (`sim`, `how`), keeping the best of several routes.
fn offer(out: &mut FxMap<TokenId, (f32, How)>, id: TokenId, sim: f32, how: How) {
    let e = out.entry(id).or_insert((0.0, how));
    if sim > e.0 {
        *e = (sim, how);
    }
}

fn idf(n: f32, df: u32) -> f32 {
    ((n + 1.0) / (df as f32 + 0.5)).ln().max(0.5)
}

/// One list name as indexed.
#[derive(Serialize, Deserialize)]
pub(crate) struct IndexedName {
    pub entity: u32,
    /// Position of the name in `Entity::names`.
    pub name: u32,
    pub kind: NameKind,
    pub tokens: Vec<TokenId>,
    pub roles: Vec<TokenRole>,
    /// `joined[j]` is `tokens[j] + tokens[j + 1]`.
    pub joined: Vec<TokenId>,
    pub legal_forms: Vec<String>,
    pub non_latin: bool,
    pub hyphen_after: Vec<bool>,
    /// Each token's initial as written (see `AnalyzedName::initials`).
    pub initials: Vec<char>,
    /// Bit `k` of `initial_letters[0]` is set when a name part begins with the `k`-th
    /// Latin letter, of `[1]` when two do: how candidate generation credits a query
    /// initial without a posting list per letter (`A. Ali` needs a second `a…` name
    /// part beside `ali`).
    pub initial_letters: [u32; 2],
    /// `descriptive[j]`: name token `j` of an organisation, vessel or aircraft
    /// describes it rather than identifies it (see [`descriptive_tokens`]). Empty for
    /// a person's name.
    pub descriptive: Vec<bool>,
    /// `secondary[j]`: name part `j` of a person is one that records leave out while
    /// naming the person by the others (see [`secondary_parts`]). Empty for an
    /// organisation's name, all `false` for a person's without such parts.
    pub secondary: Vec<bool>,
}

/// Which parts of a person's list name records leave out while naming the person by
/// the rest: a patronymic anywhere, and in a name the list writes `SURNAMES, Given
/// names`, every surname after the first and every given name after the first. The
/// Spanish and Portuguese second surname, a second given name and the East Slavic
/// patronymic are what people who know the person drop: `BRITO RODRIGUEZ, Jose
/// Dionisio` is `Jose Brito`, `SAAB HALABI, Tarek William` is `Tarek Saab`. Name
/// particles (`AL`, `EL`, `ABD`, `DE`) lead no part, and a hyphenated surname is
/// one part (`ABBASI-DAVANI`). A name with no comma has no
/// order to read and only its patronymics are secondary.
pub(crate) fn secondary_parts(
    tokens: &[String],
    roles: &[TokenRole],
    hyphen_after: &[bool],
    comma_at: Option<usize>,
) -> Vec<bool> {
    let mut secondary: Vec<bool> = tokens
        .iter()
        .map(|t| redline_names::is_patronymic(t))
        .collect();
    if let Some(k) = comma_at {
        for part in [0..k, k..tokens.len()] {
            let mut led = false;
            for j in part {
                if roles[j] != TokenRole::Name || crate::score::is_name_particle(&tokens[j]) {
                    continue;
                }
                // A hyphenated surname is one (`ABBASI-DAVANI`).
                let hyphenated =
                    j > 0 && hyphen_after[j - 1] && !crate::score::is_name_particle(&tokens[j - 1]);
                secondary[j] |= led && !hyphenated;
                led = true;
            }
        }
    }
    secondary
}

/// A word in this many organisation, vessel and aircraft names of the loaded lists is
/// a description wherever it stands (about the 400 most frequent of the SDN's 9,000
/// such words: `aviation`, `scientific`, `islamic`).
const FREQUENT_ORG_WORD: u32 = 20;
/// A place in this many is one that many listed companies are named after (`MOSCOW`,
/// `TEHRAN`): it describes where they are. A place in fewer (`KUMERTAU`, `ABADAN`)
/// is what the few are known by.
const FREQUENT_ORG_PLACE: u32 = 5;

/// Which name tokens of an organisation, vessel or aircraft describe it rather than
/// identify it: its company words in any language
/// ([`redline_names::company_words`], looked up as written: `eksperimental` is
/// `experimental`), words frequent across the lists' organisation names (measured
/// here, so each list version weighs its own words), and places many listed companies
/// share (`MOSCOW` of `MOSCOW INDUSTRIAL BANK`). Generic words and legal forms have
/// roles of their own. What is left — `ROSTEC`, `ALMAZ-ANTEY`, `KUMERTAU` — identifies.
fn descriptive_tokens(
    name: &IndexedName,
    dict: &Dictionary,
    places: &crate::context::ListPlaces,
) -> Vec<bool> {
    let strings: Vec<&str> = name
        .tokens
        .iter()
        .map(|&t| dict.strings[t as usize].as_str())
        .collect();
    let mut out = vec![false; strings.len()];
    let mut spans = redline_names::company_words::company_word_spans(&strings);
    if strings.iter().any(|s| s.contains("ks")) {
        let written: Vec<String> = strings.iter().map(|s| s.replace("ks", "x")).collect();
        spans.extend(redline_names::company_words::company_word_spans(&written));
    }
    for span in spans {
        out[span.start..span.end].iter_mut().for_each(|d| *d = true);
    }
    for (j, &t) in name.tokens.iter().enumerate() {
        let word = strings[j];
        let uses = dict.org_doc_freq[t as usize];
        let place = || {
            places.is_place_word(word)
                || redline_names::context::is_city(&[word])
                || word.len() >= 3 && redline_model::countries::is_country_words(word)
        };
        // A lone letter is no identity either: the `T` of `GUN MAKING COMPANY LEVSHA
        // T`, the initials of the person a plant is named after.
        out[j] |=
            word.len() == 1 || uses >= FREQUENT_ORG_WORD || uses >= FREQUENT_ORG_PLACE && place();
    }
    out
}

/// The bit of [`IndexedName::initial_letters`] for `c`, if it is a Latin letter.
pub(crate) fn initial_bit(c: char) -> Option<u32> {
    c.is_ascii_lowercase().then(|| 1 << (c as u32 - 'a' as u32))
}

/// Per-entity facts the scorer compares, precomputed.
pub(crate) struct IndexedEntity {
    /// The entity itself: set when the index is built, and decoded from `encoded`
    /// at its first use when the index was read from a snapshot — a one-name
    /// screening reads a few dozen of the lists' entities, not all of them.
    entity: OnceLock<Entity>,
    /// Where the entity's JSON is, in an index read from a snapshot.
    pub(crate) encoded: Option<crate::snapshot::Encoded>,
    pub source: SourceId,
    pub schema: Schema,
    /// Its names in `Index::names` (an entity's names are contiguous).
    pub names: std::ops::Range<u32>,
    pub countries: Vec<String>,
    pub identifiers: Vec<String>,
}

impl IndexedEntity {
    pub(crate) fn new(
        entity: Entity,
        names: std::ops::Range<u32>,
        countries: Vec<String>,
        identifiers: Vec<String>,
    ) -> IndexedEntity {
        IndexedEntity {
            source: entity.source,
            schema: entity.schema,
            entity: OnceLock::from(entity),
            encoded: None,
            names,
            countries,
            identifiers,
        }
    }

    /// An entity of a snapshot, decoded when first asked for.
    pub(crate) fn encoded(
        encoded: crate::snapshot::Encoded,
        source: SourceId,
        schema: Schema,
        names: std::ops::Range<u32>,
        countries: Vec<String>,
        identifiers: Vec<String>,
    ) -> IndexedEntity {
        IndexedEntity {
            entity: OnceLock::new(),
            encoded: Some(encoded),
            source,
            schema,
            names,
            countries,
            identifiers,
        }
    }

    pub(crate) fn entity(&self) -> &Entity {
        self.entity.get_or_init(|| {
            // Only an entity read from a snapshot is not set; its JSON was written by
            // `serde_json` from an entity of this very model (the snapshot is keyed
            // by the engine's fingerprint) and read back under a checksum: failing
            // here is a bug in this crate, not bad input.
            let json = self.encoded.as_ref().map_or(&b""[..], |e| e.json());
            serde_json::from_slice(json)
                .expect("an index snapshot's entity decodes: checked when the snapshot was read")
        })
    }
}

/// The searchable form of a set of list versions.
pub struct Index {
    pub(crate) entities: Vec<IndexedEntity>,
    pub(crate) names: Vec<IndexedName>,
    pub(crate) dict: Dictionary,
    pub(crate) by_identifier: FxMap<String, Vec<u32>>,
    pub(crate) by_id: FxMap<String, u32>,
    /// The places the lists name: words a query may carry around a name.
    pub(crate) places: crate::context::ListPlaces,
    pub(crate) versions: Vec<String>,
    pub(crate) params: crate::score::Params,
    /// Distinguishes indexes in per-thread caches.
    pub(crate) id: u64,
    /// Which listings are one party (see [`crate::identity`]).
    pub(crate) identities: crate::identity::Identities,
    /// The words of every entity's addresses, for look-up (`search`); built at the
    /// first look-up, for screening never reads it.
    pub(crate) addresses: std::sync::OnceLock<crate::search::AddressWords>,
}

impl Index {
    /// Builds the index over the given entities. `versions` are the list version ids
    /// they come from; every match reports them.
    pub fn build(entities: Vec<Entity>, versions: Vec<String>) -> Index {
        Index::build_with(entities, versions, None)
    }

    /// Builds an index over a few entities that weighs words and knows places as
    /// `reference` (the loaded lists) does: how two records are compared with the
    /// same judgement as a screening against the lists (see [`Index::compare`]).
    pub fn build_against(entities: Vec<Entity>, reference: &Index) -> Index {
        Index::build_with(entities, reference.versions.clone(), Some(reference))
    }

    fn build_with(
        entities: Vec<Entity>,
        versions: Vec<String>,
        reference: Option<&Index>,
    ) -> Index {
        // Analysing names (transliteration, legal forms) is the costly part and
        // independent per entity, so it runs on all cores.
        use rayon::prelude::*;
        let analyzed: Vec<Vec<(u32, NameKind, crate::analyze::AnalyzedName)>> = entities
            .par_iter()
            .map(|e| {
                e.names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (i as u32, n.kind, analyze(&n.text)))
                    .filter(|(_, _, a)| !a.tokens.is_empty())
                    .collect()
            })
            .collect();
        let mut dict = Dictionary::default();
        let mut names = Vec::new();
        let mut by_identifier: FxMap<String, Vec<u32>> = FxMap::default();
        let mut by_id = FxMap::default();
        let mut indexed_entities = Vec::with_capacity(entities.len());
        let mut places = reference.map(|r| r.places.clone()).unwrap_or_default();
        for (ei, (entity, entity_names)) in entities.into_iter().zip(analyzed).enumerate() {
            let ei = ei as u32;
            by_id.insert(entity.id.clone(), ei);
            let first_name = names.len() as u32;
            for (name_pos, kind, a) in entity_names {
                let name_idx = names.len() as u32;
                let tokens: Vec<TokenId> = a.tokens.iter().map(|t| dict.intern(t)).collect();
                let mut seen = tokens.clone();
                seen.sort_unstable();
                seen.dedup();
                for &t in &seen {
                    dict.doc_freq[t as usize] += 1;
                    if entity.schema == Schema::Person {
                        dict.person_doc_freq[t as usize] += 1;
                    } else {
                        dict.org_doc_freq[t as usize] += 1;
                    }
                    dict.postings[t as usize].push(name_idx);
                }
                let joined: Vec<TokenId> = (a.tokens.windows(2).zip(a.roles.windows(2)))
                    .map(|(w, roles)| {
                        let id = dict.intern(&format!("{}{}", w[0], w[1]));
                        dict.postings[id as usize].push(name_idx);
                        let words = w.iter().all(|t| t.len() > 1)
                            && roles.iter().all(|r| *r == TokenRole::Name);
                        dict.soundable[id as usize] |= words;
                        id
                    })
                    .collect();
                let initial_letters = a
                    .initials
                    .iter()
                    .zip(&a.roles)
                    .filter(|(_, r)| matches!(r, TokenRole::Name | TokenRole::Generic))
                    .filter_map(|(&c, _)| initial_bit(c))
                    .fold([0, 0], |[once, twice], b| [once | b, twice | (once & b)]);
                let secondary = if entity.schema == Schema::Person {
                    secondary_parts(&a.tokens, &a.roles, &a.hyphen_after, a.comma_at)
                } else {
                    Vec::new()
                };
                names.push(IndexedName {
                    entity: ei,
                    name: name_pos,
                    kind,
                    tokens,
                    roles: a.roles,
                    joined,
                    legal_forms: a.legal_forms,
                    non_latin: a.non_latin,
                    hyphen_after: a.hyphen_after,
                    initials: a.initials,
                    initial_letters,
                    descriptive: Vec::new(),
                    secondary,
                });
            }
            let mut identifiers: Vec<String> = entity
                .identifiers
                .iter()
                .filter(|i| i.kind.identifies_party())
                .map(|i| i.normalized_value())
                .filter(|v| v.len() >= 5)
                .collect();
            identifiers.sort();
            identifiers.dedup();
            for id in &identifiers {
                by_identifier.entry(id.clone()).or_default().push(ei);
            }
            places.add_entity(&entity);
            let mut countries: Vec<String> = entity.all_countries().map(str::to_string).collect();
            countries.sort();
            countries.dedup();
            indexed_entities.push(IndexedEntity::new(
                entity,
                first_name..names.len() as u32,
                countries,
                identifiers,
            ));
        }
        let mut name_count = names.len();
        if let Some(reference) = reference {
            dict.count_as(&reference.dict);
            name_count += reference.names.len();
        }
        dict.finish(name_count);
        for name in &mut names {
            if indexed_entities[name.entity as usize].schema != Schema::Person {
                name.descriptive = descriptive_tokens(name, &dict, &places);
            }
        }
        let identities = crate::identity::Identities::build(&indexed_entities, &names, &dict);
        Index::from_tables(
            indexed_entities,
            names,
            dict,
            by_identifier,
            by_id,
            places,
            versions,
            identities,
        )
    }

    /// An index over built tables: fresh from [`Index::build`] or read from a
    /// snapshot ([`crate::snapshot`]).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_tables(
        entities: Vec<IndexedEntity>,
        names: Vec<IndexedName>,
        dict: Dictionary,
        by_identifier: FxMap<String, Vec<u32>>,
        by_id: FxMap<String, u32>,
        places: crate::context::ListPlaces,
        versions: Vec<String>,
        identities: crate::identity::Identities,
    ) -> Index {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Index {
            identities,
            entities,
            names,
            dict,
            by_identifier,
            by_id,
            places,
            versions,
            params: crate::score::Params::default(),
            addresses: std::sync::OnceLock::new(),
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// Replaces the scorer's constants (for tuning; the defaults are documented).
    pub fn set_params(&mut self, params: crate::score::Params) {
        self.params = params;
    }

    pub fn params(&self) -> &crate::score::Params {
        &self.params
    }

    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// How many parties the lists name more than once (see [`crate::identity`]), and
    /// in how many listings.
    pub fn parties_listed_more_than_once(&self) -> (usize, usize) {
        self.identities.counts()
    }

    pub fn versions(&self) -> &[String] {
        &self.versions
    }

    /// Every entity in the index, in build order: for callers that derive their own
    /// look-ups from the lists (exact BIC tables, vessel IMO numbers).
    pub fn entities(&self) -> impl Iterator<Item = &Entity> {
        self.entities.iter().map(IndexedEntity::entity)
    }

    /// Gives an index read from a snapshot the entities it was built from, already
    /// decoded by the caller (who read them to derive something else), so that none
    /// is decoded again from the snapshot. An entity the index does not hold, or one
    /// already decoded, is left as it is; the caller vouches that these are the
    /// entities of the index's versions (the snapshot's key says so).
    pub fn adopt_entities(&self, entities: Vec<Entity>) {
        for entity in entities {
            let Some(indexed) = self
                .by_id
                .get(&entity.id)
                .map(|&i| &self.entities[i as usize])
            else {
                continue;
            };
            // Indexed names point to their place in the entity's names: an entity
            // without those places is not the one indexed, and is left to decode
            // from the snapshot.
            let places = (indexed.names.start..indexed.names.end)
                .filter_map(|n| self.names.get(n as usize))
                .all(|n| (n.name as usize) < entity.names.len());
            if places && entity.schema == indexed.schema {
                let _ = indexed.entity.set(entity);
            }
        }
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.by_id
            .get(id)
            .map(|&i| self.entities[i as usize].entity())
    }

    pub(crate) fn source_of(&self, entity: u32) -> SourceId {
        self.entities[entity as usize].source
    }

    pub(crate) fn schema_of(&self, entity: u32) -> Schema {
        self.entities[entity as usize].schema
    }

    pub(crate) fn lookup_identifier(&self, value: &str) -> &[u32] {
        self.by_identifier
            .get(&redline_model::registry::comparable(value))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}
