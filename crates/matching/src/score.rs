//! Scoring: aligning a query with a list name, then weighing the other evidence.
//!
//! The name score answers two questions, each weighted by token rarity:
//! - **query coverage** — how much of the query does the list name explain? A query
//!   token that matches nothing (`AGUIRRE` swapped into someone else's name) is strong
//!   evidence of a different person, so it weighs fully;
//! - **list coverage** — how much of the list name does the query cover? Customer
//!   records routinely omit middle names and patronymics, so this weighs less.
//!
//! With `u = 1 − list coverage`, `name score = query coverage × (1 − 0.3·u −
//! 0.5·max(0, u − 0.45))` (see [`Params`]), so a full match scores 1, a missing
//! patronymic about 0.9 and half a name below the threshold. A person named by every
//! principal part of the list name (the first surname and first given name of
//! `SURNAMES, Given names`) is named as people who know the person write it, and the
//! secondary parts left out — a second surname or given name, a patronymic — weigh
//! half their rarity: `Tarek Saab` for `SAAB HALABI, Tarek William`. Both names having tokens
//! the other lacks (`Andrey` against `Car`) costs a further 8%. A name whose matched
//! part is only generic words or legal forms is capped below any threshold:
//! `Trading Company LLC` never matches by itself. A name cut off by a fixed-length
//! field matches its list name by prefix, and the lost tail is not held against it.
//! Birth date, country, identifiers, legal form and schema then adjust the score, each
//! adjustment listed in the explanation.

use redline_model::{DateValue, NameKind, PartialDate, Schema};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;

use crate::analyze::{analyze, AnalyzedName, TokenRole};
use crate::index::{initial_bit, FxMap, FxSet, Index, IndexedName, TokenId};
use crate::phonetics::{consonant_key, token_similarity, How};
use crate::{Options, Query};
use redline_names::is_patronymic;
use redline_names::transcription::{ForeignReading, ReadingKind, WordReading};

/// How many candidate names get a full alignment.
const CANDIDATES: usize = 32;
/// Candidates must share at least this fraction of the best candidate's weight.
const MIN_CANDIDATE_SHARE: f32 = 0.3;
/// Tokens in more names than this are not followed during candidate generation
/// when the query has rarer tokens (their postings would swamp the ranking).
const FREQUENT_POSTINGS: usize = 2_000;
/// The shortest fixed-length name field in common use (a NACHA company name; SWIFT
/// MT allows 35 characters a line, card and ACH records 22): a shorter query was not
/// cut off by one, so its last token is an initial or a word, never a fragment.
const MIN_FIELD_LENGTH: usize = 16;
/// A cut-off last token must keep at least this many letters to be completed from the
/// lists' tokens.
const MIN_FRAGMENT_LEN: usize = 5;

/// How alike a fragment of `kept` letters is to the `full`-letter token it begins.
fn prefix_similarity(kept: usize, full: usize) -> f32 {
    0.8 + 0.15 * kept as f32 / full as f32
}

/// Words that join the parts of a name and never end one (`… AND BROTHERS`, `… FOR
/// MILITARY-TECHNICAL COOPERATION`): a name ending in one was cut off. Name particles
/// (`DE`, `VON`, `BIN`, `ABD`) are not among them: customer records also carry them
/// stray, at the end of a name of someone else.
const CONNECTIVES: &[&str] = &["and", "of", "for", "the", "et", "und"];
/// What a query initial adds to a candidate name with a name part of that initial.
const INITIAL_CANDIDATE_WEIGHT: f32 = 1.0;
/// The matched weight below which a match is only generic words: capped.
const MIN_INFORMATIVE_WEIGHT: f32 = 2.0;
const GENERIC_FACTOR: f32 = 0.3;
const LEGAL_FORM_FACTOR: f32 = 0.15;
/// The most birth date, country, identifier and legal form can add together.
const MAX_BONUS: f64 = 0.05 + 0.02 + 0.05 + 0.02;
/// The most a weak alias (a list's low-quality a.k.a., often a nickname such as
/// `PACHO`) scores on its name alone: below the alert threshold, so that, as OFAC's
/// guidance says, it supports a match but never makes one alone. An exact birth date
/// (+0.05) or one of the entity's identifiers lifts it over.
const WEAK_ALIAS_ALONE: f32 = 0.80;
/// What a former name (f.k.a.) is worth against a current one.
const FORMER_NAME_FACTOR: f32 = 0.97;

/// A name's score as its kind lets it count.
fn weighed_by_kind(kind: NameKind, score: f32) -> f32 {
    match kind {
        NameKind::WeakAlias => (score * FORMER_NAME_FACTOR).min(WEAK_ALIAS_ALONE),
        NameKind::FormerName => score * FORMER_NAME_FACTOR,
        _ => score,
    }
}
/// How alike a query token of three letters or more must be to a list title or
/// suffix to be taken for it, misspelt.
const MIN_MISSPELT_TITLE_SIMILARITY: f32 = 0.85;
/// The most a patronymic the list name lacks weighs (see `patronymic_added`).
const ADDED_PATRONYMIC_WEIGHT: f32 = 1.0;
/// A word in at most this many list names, of [`MIN_UNIQUE_WORD_LEN`] letters or
/// more and in no person's name, is as good as the party's own (see `Core`).
const UNIQUE_WORD_USES: u32 = 3;
const MIN_UNIQUE_WORD_LEN: usize = 5;
/// What the one identifying word left beside such a word weighs, of its rarity.
const UNCOVERED_BESIDE_UNIQUE_WORD: f32 = 0.5;
/// How alike a query word must be to a core word of an organisation's name to cover it:
/// a spelling variant, not a neighbouring word.
const MIN_CORE_SIMILARITY: f32 = 0.95;
/// A person's name part in at most this many listed persons' names, of
/// [`MIN_UNIQUE_WORD_LEN`] letters or more, is rare enough that, written alone with
/// the person's full birth date, it names that person (`Prokopenko`, born
/// 1973-09-28): the score is lifted to [`RARE_NAME_WITH_BIRTH_DATE_FLOOR`].
const RARE_PERSON_NAME_USES: u32 = 2;
const RARE_NAME_WITH_BIRTH_DATE_FLOOR: f64 = 0.85;
/// A core word this common in listed persons' names (`IVANOV`, `ALI`) does not
/// identify an organisation alone.
const COMMON_PERSON_NAME_USES: u32 = 3;
/// What an unmatched word around the name costs (see [`crate::context`]): a tenth of a
/// rare name part or less, so that `Vladimir Putin Moscow` is still Putin, while a word
/// that looks like another name (`Vladimir Putin Smith`) costs in full.
const CONTEXT_WORD_WEIGHT: f32 = 0.3;
/// All the words around a name together cost at most what a stray initial does.
const CONTEXT_WEIGHT_CAP: f32 = 1.0;
/// Share of the query the index must already explain before the remaining tokens
/// are compared pair by pair.
const MIN_EXPLAINED_FOR_FALLBACK: f32 = 0.35;

/// The scorer's tunable constants. The defaults were chosen on the public benchmark
/// (`redline eval bench/*.jsonl`); `cargo run --release -p redline-matching
/// --example tune` re-runs the search.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Params {
    /// How much an uncovered part of the list name costs: a query that leaves a share
    /// `u` of the list name's weight uncovered loses `weight × u^power` of its score.
    /// A missing middle name or patronymic costs little; two common tokens of a long
    /// name cost enough to stay below the threshold.
    pub list_coverage_weight: f32,
    pub list_coverage_power: f32,
    /// An unmatched query name token weighs at least this much: a common given name
    /// swapped into someone else's name is still evidence of a different party.
    pub unmatched_floor: f32,
    /// The floor for an unmatched generic word (`GLOBAL` where the list says `GROUP`).
    pub unmatched_generic_floor: f32,
    /// Applied when both names have name tokens the other lacks (`Andrey` vs `Car`).
    pub conflict_factor: f32,
    /// How much of a list token a query initial covers (`A.` for `Abbasi`).
    pub initial_credit: f32,
    /// Weight factor of a generic list word the query does not cover.
    pub uncovered_generic_factor: f32,
    /// Weight factor of a generic or descriptive list word the query does not cover,
    /// where the query covers every identifying word of the name (see
    /// `Index::core_covered`): as little as a legal form's, for beside the name's
    /// core such words say what kind of organisation it is, as a legal form does.
    pub uncovered_descriptive_factor: f32,
    /// Past this uncovered share the cost grows faster (`steep_weight` per unit): a
    /// query covering less than about half of a list name is another name.
    pub steep_from: f32,
    pub steep_weight: f32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            list_coverage_weight: 0.3,
            list_coverage_power: 1.0,
            unmatched_floor: 4.0,
            unmatched_generic_floor: 3.0,
            conflict_factor: 0.92,
            initial_credit: 0.6,
            uncovered_generic_factor: 1.0,
            uncovered_descriptive_factor: LEGAL_FORM_FACTOR,
            steep_from: 0.45,
            steep_weight: 0.5,
        }
    }
}

/// One screening result.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    pub entity_id: String,
    pub score: f64,
    pub schema: Schema,
    /// The list name that matched.
    pub name: String,
    /// The entity's primary name.
    pub caption: String,
    pub programs: Vec<String>,
    pub source: redline_model::SourceId,
    pub explanation: Explanation,
    /// The same party's other listings, on other lists or this one (see
    /// [`crate::identity`]): the result is the party, and these are where else it is
    /// listed, each with what it shares with the others and its own score where the
    /// query matched it too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub listings: Vec<Listing>,
}

impl Match {
    /// Whether this result is the listing `entity_id` or carries it among its party's
    /// other listings.
    pub fn is_party_of(&self, entity_id: &str) -> bool {
        self.entity_id == entity_id || self.listings.iter().any(|l| l.entity_id == entity_id)
    }

    /// The party's other listings for a decision's reason, each list once with its
    /// programmes: `; the same party is also listed on uk-hmt [Russia], au-dfat
    /// [Autonomous (Russia)]`. Empty when it has none.
    pub fn other_listings_sentence(&self) -> String {
        let mut lists: Vec<(redline_model::SourceId, Vec<&str>)> = Vec::new();
        for l in &self.listings {
            let at = match lists.iter().position(|(s, _)| *s == l.source) {
                Some(at) => at,
                None => {
                    lists.push((l.source, Vec::new()));
                    lists.len() - 1
                }
            };
            for p in &l.programs {
                if !lists[at].1.contains(&p.as_str()) {
                    lists[at].1.push(p);
                }
            }
        }
        if lists.is_empty() {
            return String::new();
        }
        let each: Vec<String> = (lists.iter())
            .map(|(source, programs)| match programs.as_slice() {
                [] => source.as_str().to_string(),
                p => format!("{} [{}]", source.as_str(), p.join(", ")),
            })
            .collect();
        format!("; the same party is also listed on {}", each.join(", "))
    }
}

/// Another listing of a match's party.
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    pub entity_id: String,
    pub source: redline_model::SourceId,
    pub caption: String,
    pub programs: Vec<String>,
    /// The query's score against this listing, where it reached the threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// What it shares with the party's other listings: `same name: ROSNEFT OIL
    /// COMPANY`, `same imo number 9187629`.
    pub same_party: String,
}

/// Why a match scored as it did.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// Which list name matched: primary, strong_alias, weak_alias, original_script.
    pub name_kind: NameKind,
    pub name_score: f64,
    pub query_coverage: f64,
    pub list_coverage: f64,
    pub tokens: Vec<TokenMatch>,
    pub unmatched_query_tokens: Vec<String>,
    pub unmatched_list_tokens: Vec<String>,
    /// Each list-name word with its share of the name's weight as counted, and what it
    /// was weighed as (`ROSTEC`: identifying 0.75; `STATE`, `CORPORATION`: generic).
    pub list_words: Vec<ListWord>,
    /// Query words taken for words around the name, not part of it (`Moscow`:
    /// place), which cost little.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context_tokens: Vec<ContextToken>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub query_legal_forms: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub list_legal_forms: Vec<String>,
    /// Evidence beyond the name, each with its effect on the score.
    pub adjustments: Vec<Adjustment>,
    /// When the match came from reading a name written in another language back to
    /// Latin spellings: each foreign word, its spellings and how it was read
    /// (`ウラジーミル`: person-name dictionary, `vladimir`; `プーチン`: katakana
    /// reading, `puchin`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<WordReading>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TokenMatch {
    pub query: String,
    pub list: String,
    pub how: How,
    pub similarity: f64,
}

/// A list-name word's weight in the match (see [`Explanation::list_words`]).
#[derive(Debug, Clone, Serialize)]
pub struct ListWord {
    pub token: String,
    /// Its share of the list name's weight, as the coverage counted it.
    pub share: f64,
    pub weighed_as: ListWordRole,
    pub matched: bool,
}

/// What a list-name word was weighed as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListWordRole {
    /// A word that identifies the party: its weight is its rarity in the lists.
    Identifying,
    /// A person's second given name or surname, or patronymic, that the query
    /// leaves out while naming the person by every principal part: it weighs half
    /// its rarity (see `IndexedName::secondary`).
    Secondary,
    /// A company word, a word frequent across the lists' organisation names, or a
    /// place: it describes the organisation (see `Index::core_covered`).
    Descriptive,
    /// A generic descriptor (`company`, `group`, `trading`).
    Generic,
    LegalForm,
    /// A title or suffix, which weighs nothing.
    Title,
}

impl ListWordRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ListWordRole::Identifying => "identifying",
            ListWordRole::Secondary => "secondary name part",
            ListWordRole::Descriptive => "descriptive",
            ListWordRole::Generic => "generic",
            ListWordRole::LegalForm => "legal form",
            ListWordRole::Title => "title",
        }
    }
}

/// A query word taken for a word around the name.
#[derive(Debug, Clone, Serialize)]
pub struct ContextToken {
    pub token: String,
    /// `place`, `title or office`, `organisation role`, `address`, `care-of marker`.
    pub taken_as: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Adjustment {
    /// `birth_date`, `country`, `identifier`, `legal_form`, `weak_alias`, `generic_only`.
    pub feature: &'static str,
    pub delta: f64,
    pub detail: String,
}

/// Dictionary tokens similar to a query token, with similarity and how.
type Similar = FxMap<TokenId, (f32, How)>;

/// Working memory for aligning one query's candidates, reused from one candidate to
/// the next: the hot path allocates once per query, not once per candidate.
#[derive(Default)]
struct Scratch {
    /// Pairwise token comparisons: the same query token meets the same list token (a
    /// common given name) in many candidate names.
    compared: FxMap<(usize, TokenId), Option<(f32, How)>>,
    edges: Vec<Edge>,
    late: Vec<(f32, usize, usize, How)>,
    used_q: Vec<bool>,
    used_n: Vec<bool>,
}

/// A possible pairing of query tokens `i..i + il` with list tokens `j..j + jl`.
#[derive(Clone, Copy)]
struct Edge {
    sim: f32,
    i: usize,
    il: usize,
    j: usize,
    jl: usize,
    how: How,
    /// How many of the pair's neighbours are alike too: where a name repeats a token
    /// (`AL-FAWAZ, Khalid Abd al-Rahman`), the query's `al` of `Abd al-Rahman` pairs
    /// with the list's `al` between `abd` and `rahman`, leaving `al-Fawaz` whole for
    /// an initial.
    context: u8,
}

impl Edge {
    fn new(sim: f32, i: usize, il: usize, j: usize, jl: usize, how: How) -> Edge {
        Edge {
            sim,
            i,
            il,
            j,
            jl,
            how,
            context: 0,
        }
    }
}

/// Distinct query tokens whose look-ups each thread keeps.
const LOOKUP_CACHE_ENTRIES: usize = 50_000;

/// A query prepared for matching: its tokens and what each is similar to.
struct Prepared {
    name: AnalyzedName,
    /// Per query token: similar dictionary tokens.
    singles: Vec<Rc<Similar>>,
    /// Per adjacent pair of query tokens, joined.
    joins: Vec<Rc<Similar>>,
    weights: Vec<f32>,
    /// Consonant keys of the tokens.
    keys: Vec<String>,
    /// The query is long enough to have been cut off by a fixed-length field.
    may_be_cut: bool,
    /// …and it ends where no name does: after a connective or a separator.
    ends_open: bool,
    /// Each piece of a query token the lists do not know that is list tokens run
    /// together (`ABDALQADIR`, `TALEEMULQURANWALHADITH`), with the token's position:
    /// the names containing the pieces become candidates.
    pieces: Vec<(usize, Rc<Similar>)>,
    /// The list tokens a possibly cut-off last token (`INZHTEPLO`) begins.
    completions: Rc<Similar>,
    /// `run_together[i]`: query token `i` is such a token.
    run_together: Vec<bool>,
    /// The name is written in Chinese characters or hangul, one syllable a token:
    /// which near spellings of a syllable stand for it (see [`Syllables`]).
    syllables: Option<Syllables>,
}

/// What a listed person's name syllable missing from a query written a syllable a
/// character costs: enough to take a full-name score below the threshold.
const MISSING_SYLLABLE_COST: f64 = 0.1;

/// A name written a syllable a character is compared syllable by syllable: `林` is
/// `lin`, never the `lian` of another character one letter away, and `英` `ying`
/// not `ling` — the edit distance that forgives a typo in a Latin name joins two
/// different syllables, and two-syllable names share one syllable with thousands of
/// listed names. Hangul's romanisations write a syllable several ways (`gim`, `KIM`;
/// `yeong`, `YONG`, `young`), which [`korean_romanisation_fold`] brings together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syllables {
    Han,
    Hangul,
}

impl Syllables {
    fn of(text: &str) -> Option<Syllables> {
        let han =
            |c: char| matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF);
        let hangul = |c: char| matches!(c as u32, 0xAC00..=0xD7AF | 0x1100..=0x11FF);
        if text.chars().any(hangul) {
            Some(Syllables::Hangul)
        } else if text.chars().any(han) {
            Some(Syllables::Han)
        } else {
            None
        }
    }

    /// Whether list token `listed`, found for query syllable `query` as `how` says
    /// with similarity `sim`, may stand for it, and how alike they are then: a
    /// Korean syllable the other romanisation system writes (`bag` for `PAK`) is
    /// that syllable, as alike as [`KOREAN_ROMANISATION_SIMILARITY`].
    fn admit(self, query: &str, listed: &str, (sim, how): (f32, How)) -> Option<(f32, How)> {
        match (self, how) {
            (_, How::EditDistance | How::Phonetic) if self == Syllables::Hangul => {
                (korean_romanisation_fold(query) == korean_romanisation_fold(listed))
                    .then_some((sim.max(KOREAN_ROMANISATION_SIMILARITY), How::Phonetic))
            }
            // A syllable is whole: `li` is not the beginning of `LIAN`.
            (_, How::EditDistance | How::Phonetic | How::Prefix | How::Initial) => None,
            _ => Some((sim, how)),
        }
    }
}

/// How alike a Korean syllable is to its spelling in another romanisation system.
const KOREAN_ROMANISATION_SIMILARITY: f32 = 0.95;

/// A Korean syllable's romanisation with what the systems write differently folded
/// away: the Revised Romanisation's `g d b j` are McCune–Reischauer's `k t p ch`
/// (`gim` is `KIM`, `bak` is `PAK`), `eo` and `eu` its `o` and `u`, and an initial
/// `r` or `n` as either half of the peninsula writes it.
fn korean_romanisation_fold(syllable: &str) -> String {
    let voiced = [("g", "k"), ("d", "t"), ("b", "p"), ("j", "ch")];
    let mut out = syllable.to_string();
    // The South's initial-sound rule drops an `r` or `n` before `i` or `y` and
    // writes another initial `r` as `n` (`ryong` is `yong`, `ri` is `i`, `ro`
    // is `no`); the North keeps them.
    if let Some(rest) = out.strip_prefix(['r', 'l', 'n']) {
        out = if rest.starts_with(['i', 'y']) {
            rest.to_string()
        } else {
            format!("n{rest}")
        };
    }
    // A transliteration writes `ㅊ` as `c` (`coe`), the romanisations as `ch`.
    if out.starts_with('c') && !out.starts_with("ch") {
        out.insert(1, 'h');
    }
    for (rr, mr) in voiced {
        if out.starts_with(rr) {
            out.replace_range(..rr.len(), mr);
            break;
        }
    }
    // …and a final `g b d` their `k p t` (`bag`, `PAK`); a final `ng` is a nasal.
    if !out.ends_with("ng") {
        for (rr, mr) in [('g', 'k'), ('b', 'p'), ('d', 't')] {
            if out.len() > 1 && out.ends_with(rr) {
                out.pop();
                out.push(mr);
                break;
            }
        }
    }
    // The vowels as the systems and common spellings write them: `eo`, `ŏ`, `ou`
    // (`yeong`, `yong`, `young`), `eu` and `oo` (`u`), `oe` and `oi` (`choe`, `choi`),
    // `ee` (`lee`); `ung` after a consonant is how `성` is often spelt (`sung`).
    let mut out = out
        .replace("eo", "o")
        .replace("ou", "o")
        .replace("eu", "u")
        .replace("oo", "u")
        .replace("oi", "oe")
        .replace("ee", "i");
    if out.len() > 3 && out.ends_with("ung") && !out.ends_with("yung") {
        out.replace_range(out.len() - 3.., "ong");
    }
    out
}

fn syllables_admit(
    syllables: Option<Syllables>,
    query: &str,
    listed: &str,
    similarity: (f32, How),
) -> Option<(f32, How)> {
    match syllables {
        Some(s) => s.admit(query, listed, similarity),
        None => Some(similarity),
    }
}

/// How much of the identifying words of an organisation's list name a query covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Core {
    /// Not all of them, or the name is a person's.
    None,
    /// Every one: its descriptive words may be left out (`ROSTEC`).
    Whole,
    /// Not all, but among those covered a word the lists hold for this party alone
    /// (`QEMAT` of `QEMAT AL NAJAH GENERAL TRADING`, `LEVSHA` of `GUN MAKING COMPANY
    /// LEVSHA T LLC`): the identifying words left share half the weight one of them
    /// would have.
    ByUniqueWord { left: u8 },
    /// A person's principal name parts, all of them (see `IndexedName::secondary`):
    /// the further given names, surnames and patronymic the query leaves out weigh
    /// [`SECONDARY_PART_FACTOR`] of their rarity.
    Principal,
}

/// What a person's secondary name part (a second given name or surname, a
/// patronymic) weighs uncovered, of its rarity, where the query names the person by
/// every principal part: records name `BRITO RODRIGUEZ, Jose Dionisio` as `Jose
/// Brito` and `VASILIEV, Vladimir Abdualievich` as `Vladimir Vasiliev`, as people
/// who know them do.
const SECONDARY_PART_FACTOR: f32 = 0.5;
/// Words that join or introduce the parts of a person's name rather than name the
/// person: Arabic articles and kinship words, the Romance, Dutch and German
/// particles. They never lead a part of the name (see `IndexedName::secondary`).
const NAME_PARTICLES: &[&str] = &[
    "al", "el", "ad", "ar", "as", "at", "an", "ash", "az", "ul", "abd", "abu", "bin", "ibn",
    "bint", "ben", "de", "del", "della", "da", "di", "do", "dos", "das", "du", "la", "le", "van",
    "von", "der", "den", "y", "e",
];

/// Whether a token is a name particle (see [`NAME_PARTICLES`]), or a lone letter.
pub(crate) fn is_name_particle(token: &str) -> bool {
    token.len() <= 1 || NAME_PARTICLES.contains(&token)
}

/// A person is named by at least this many principal parts for the secondary ones to
/// weigh less: a surname and a given name.
const MIN_PRINCIPAL_PARTS: usize = 2;
/// How alike a word read from another script must be to a principal name part to
/// stand for it there (a Latin word, [`MIN_CORE_SIMILARITY`]).
const MIN_PRINCIPAL_READING_SIMILARITY: f32 = 0.88;
/// One principal part covered must be in at most this many listed persons' names.
const RARE_PRINCIPAL_USES: u32 = 10;

/// Query token range, list token range, similarity, how.
type AlignedPair = (std::ops::Range<usize>, std::ops::Range<usize>, f32, How);

struct Alignment {
    query_coverage: f32,
    list_coverage: f32,
    informative: f32,
    /// Both names have name tokens the other lacks: one says `Andrey` where the
    /// other says `Car`, a word of its own where the other has only a legal form, or
    /// a legal form of its own (`LIMITED` against `B.V.`) where the other has a word
    /// more. Worse than either side merely being shorter.
    conflict: bool,
    pairs: Vec<AlignedPair>,
    /// Query and list legal-form tokens matched as one legal form.
    legal_form_pair: Option<(Vec<usize>, Vec<usize>)>,
    /// The query's legal form is of the list's kind but written as another form
    /// (`LIMITED` for `B.V.`) or with words the list lacks.
    form_of_its_own: bool,
    unmatched_query: Vec<usize>,
    unmatched_list: Vec<usize>,
    /// The unmatched query tokens taken for words around the list name, which cost
    /// little (a subset of `unmatched_query`).
    context_words: Vec<usize>,
    /// How much of an organisation's identifying words the query covers (see
    /// `Index::core_covered`).
    core_covered: Core,
    /// List tokens from here on were cut off the query by a field, not left out.
    excused_from: usize,
}

impl Alignment {
    fn name_score(&self, p: &Params) -> f32 {
        let uncovered = (1.0 - self.list_coverage).max(0.0);
        let steep = (uncovered - p.steep_from).max(0.0) * p.steep_weight;
        let mut score = self.query_coverage
            * (1.0 - p.list_coverage_weight * uncovered.powf(p.list_coverage_power) - steep);
        if self.conflict {
            score *= p.conflict_factor;
        }
        if self.informative < MIN_INFORMATIVE_WEIGHT {
            score.min(0.5)
        } else {
            score
        }
    }
}

/// How well the other part of a name written in two scripts must name an entity for
/// one part's match to count (see [`Index::screen`]), and among how many matches.
const PART_SUPPORT: f64 = 0.5;
const PART_SUPPORT_LIMIT: usize = 50;

/// How a query token's similar list tokens are looked up (see [`Dictionary`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    Plain = 0,
    /// Romanised from Arabic script: also by the letters that script writes.
    Arabic = 1,
    /// Read back from a transcription: also by its transcription key.
    Sound = 2,
}

/// The tokens of the words of `text` written in a script other than Latin.
fn foreign_script_tokens(text: &str) -> FxSet<String> {
    if text.is_ascii() {
        return FxSet::default();
    }
    text.split_whitespace()
        .filter(|w| {
            !matches!(
                redline_names::script_of(w),
                redline_names::Script::Latin | redline_names::Script::None
            )
        })
        .flat_map(redline_names::tokens)
        .collect()
}

/// Adds `more` to `matches`, each entity keeping its better score.
fn merge_matches(matches: &mut Vec<Match>, more: Vec<Match>, limit: usize) {
    if more.is_empty() {
        return;
    }
    for m in more {
        match matches.iter_mut().find(|x| x.entity_id == m.entity_id) {
            Some(x) if x.score >= m.score => {}
            Some(x) => *x = m,
            None => matches.push(m),
        }
    }
    sort_matches(matches);
    matches.truncate(limit);
}

/// For each one-token Cyrillic, Greek or Arabic-script word of `text`: its canonical
/// token (as [`analyze`] makes it) and its other readings
/// ([`redline_names::word_readings`]), so that `Ткачёв`
/// meets the list's `TKACHYOV` and `Егор` its `YEGOR` (BGN/PCGN, which the one
/// canonical spelling, `tkachev`, `egor`, only approaches), a foreign name in Greek
/// letters its Latin original (`Χαν`, `chan` by ELOT, is `KHAN`), and a Persian or
/// Urdu name its own reading (`ضیا`, `dia` in Arabic, is `ZIA`).
fn script_respellings(text: &str) -> FxMap<String, Vec<String>> {
    let mut out = FxMap::default();
    if text.is_ascii() {
        return out;
    }
    for word in text.split(|c: char| !c.is_alphanumeric() && !redline_names::is_apostrophe(c)) {
        let readings = redline_names::word_readings(word);
        if readings.is_empty() {
            continue;
        }
        let analyzed = analyze(word);
        let [canonical] = analyzed.tokens.as_slice() else {
            continue;
        };
        let spellings: Vec<String> = readings
            .into_iter()
            .filter(|s| !s.contains(' '))
            // As `analyze` spells them: `x` is `ks`.
            .map(|s| if s.len() > 1 { s.replace('x', "ks") } else { s })
            .filter(|s| s != canonical)
            .collect();
        if !spellings.is_empty() {
            out.insert(canonical.clone(), spellings);
        }
    }
    out
}

/// Running sums of an alignment: matched and total query weight, matched list
/// weight, and the matched weight of distinctive (non-generic) list tokens.
#[derive(Default)]
struct Coverage {
    q_num: f32,
    q_den: f32,
    n_num: f32,
    informative: f32,
}

impl Coverage {
    /// List tokens of weight `w_list` explain a query part with similarity `sim`;
    /// `distinctive` is the weight of those list tokens that are name parts.
    fn matched(&mut self, sim: f32, w_list: f32, distinctive: f32) {
        self.q_num += sim * w_list;
        self.q_den += w_list;
        self.n_num += sim * w_list;
        self.informative += sim * distinctive;
    }
}

fn role_factor(role: TokenRole) -> f32 {
    match role {
        TokenRole::Name => 1.0,
        TokenRole::Generic => GENERIC_FACTOR,
        TokenRole::Ignorable => 0.0,
        TokenRole::LegalForm => LEGAL_FORM_FACTOR,
        TokenRole::Context(_) => GENERIC_FACTOR,
    }
}

impl Index {
    /// Screens one query against the index: the name as written, and each other
    /// reading of it there is — its Latin letters if it disguises them, its reading
    /// back to Latin spellings if written as another language writes it, its Korean
    /// reading if a Korean name in Chinese characters, each part of a name written in
    /// two scripts. Each entity keeps its best score.
    /// The listings of one party are one result (see [`crate::identity`]).
    pub fn screen(&self, query: &Query, options: &Options) -> Vec<Match> {
        // A party listed five times takes five places before grouping.
        let wider = Options {
            limit: options.limit.saturating_mul(4),
            ..*options
        };
        self.group_listings(
            self.screen_each(query, &wider),
            &query.sources,
            options.limit,
        )
    }

    /// [`Index::screen`], each listing its own result. A name with a title or office
    /// around it in another language (`总统 普京`, `الرئيس …`) is also screened
    /// without it, and a match found so says which title was set aside.
    fn screen_each(&self, query: &Query, options: &Options) -> Vec<Match> {
        let mut matches = self.screen_as_written(query, options);
        if let Some(without) = redline_names::titles::without_titles(&query.name) {
            let bare = Query {
                name: without.name,
                ..query.clone()
            };
            let mut more = self.screen_as_written(&bare, options);
            let said: Vec<String> = (without.titles.iter())
                .map(|t| format!("{} ({})", t.written, t.meaning.replace('_', " ")))
                .collect();
            for m in &mut more {
                m.explanation.adjustments.push(Adjustment {
                    feature: "title",
                    delta: 0.0,
                    detail: format!("set aside the title {}", said.join(", ")),
                });
            }
            merge_matches(&mut matches, more, options.limit);
        }
        matches
    }

    /// The name as written, in each of its readings.
    fn screen_as_written(&self, query: &Query, options: &Options) -> Vec<Match> {
        let mut matches = self.screen_text(&query.name, query, options);
        let others = [
            self.screen_lookalike(query, options),
            self.screen_foreign_reading(query, options),
            self.screen_korean_reading(query, options),
            self.screen_script_parts(query, options),
        ];
        for more in others {
            merge_matches(&mut matches, more, options.limit);
        }
        matches
    }

    /// A name disguised with look-alike letters from other scripts, in its Latin
    /// reading.
    fn screen_lookalike(&self, query: &Query, options: &Options) -> Vec<Match> {
        redline_names::latin_lookalike(&query.name)
            .map(|latin| self.screen_text(&latin, query, options))
            .unwrap_or_default()
    }

    /// A name as another language writes it (`ウラジーミル・プーチン`), in its reading
    /// back to Latin spellings.
    fn screen_foreign_reading(&self, query: &Query, options: &Options) -> Vec<Match> {
        redline_names::transcription::foreign_reading(&query.name)
            .map(|reading| self.screen_reading(&reading, query, options))
            .unwrap_or_default()
    }

    /// A Korean name in Chinese characters (`金正恩`), in its hangul reading.
    fn screen_korean_reading(&self, query: &Query, options: &Options) -> Vec<Match> {
        let Some(hangul) = redline_names::transcription::korean_reading_of_han(&query.name) else {
            return Vec::new();
        };
        let reading = WordReading {
            written: query.name.trim().to_string(),
            spellings: vec![redline_names::to_latin(&hangul)],
            by: ReadingKind::KoreanReadingOfHan,
            loose: false,
        };
        let mut matches = self.screen_text(&hangul, query, options);
        for m in &mut matches {
            m.explanation.readings = vec![reading.clone()];
        }
        matches
    }

    /// A name written twice, in Latin letters and in another script, part by part: a
    /// part alone that reaches the threshold counts if the other part names the same
    /// entity too, if less well (`ムアタシム・カダフィ（Mutassim Qadhafi）`); it does not
    /// if the other part is someone else entirely (`שטיינברג-אזברגה, DR Congo` is no
    /// `OIL OF DR CONGO`).
    fn screen_script_parts(&self, query: &Query, options: &Options) -> Vec<Match> {
        let Some(parts) = redline_names::transcription::script_parts(&query.name) else {
            return Vec::new();
        };
        let support = Options {
            threshold: PART_SUPPORT,
            limit: options.limit.max(PART_SUPPORT_LIMIT),
        };
        let [a, b] = parts.map(|part| {
            let alone = Query {
                name: part,
                ..query.clone()
            };
            self.screen_each(&alone, &support)
        });
        let supported = |m: &&Match, other: &[Match]| {
            m.score >= options.threshold && other.iter().any(|o| o.entity_id == m.entity_id)
        };
        (a.iter().filter(|m| supported(m, &b)))
            .chain(b.iter().filter(|m| supported(m, &a)))
            .cloned()
            .collect()
    }

    /// Screens a name's [`ForeignReading`]: each foreign word is its spellings, and a
    /// word read by sound also meets the list tokens of its transcription key. Every
    /// match says how the words were read.
    fn screen_reading(
        &self,
        reading: &ForeignReading,
        query: &Query,
        options: &Options,
    ) -> Vec<Match> {
        // A word read by sound is its spellings, each looked up as any query token is
        // and by its transcription key. A dictionary word is its spellings taken only
        // where the lists write them exactly, and the first of them also looked up
        // as any query token if the reading says it may be (`WordReading::loose`):
        // ten spellings each let through to near neighbours would make `محمدی`
        // (Mohammadi) every listed `MUHAMMAD`, and `רוט` (`rot`) `RIIT`.
        let mut respellings: FxMap<String, Vec<String>> = FxMap::default();
        let mut exact: FxMap<String, (bool, Vec<String>)> = FxMap::default();
        let mut by_sound: FxSet<String> = FxSet::default();
        for word in &reading.words {
            // As `analyze` spells them: `x` is `ks`.
            let mut spellings = word.spellings.iter().map(|s| {
                if s.len() > 1 {
                    s.replace('x', "ks")
                } else {
                    s.clone()
                }
            });
            let Some(first) = spellings.next() else {
                continue;
            };
            let rest: Vec<String> = spellings.filter(|s| *s != first).collect();
            if word.by.by_sound() {
                respellings.entry(first.clone()).or_default().extend(rest);
                by_sound.insert(first);
            } else {
                exact.insert(first, (word.loose, rest));
            }
        }
        let mut prepared = self.prepare_with(&reading.text, &respellings, &by_sound);
        // Read from another script, whatever letters the reading is in, and so
        // written whole (see `prepare_with`).
        prepared.name.non_latin = true;
        prepared.may_be_cut = false;
        prepared.ends_open = false;
        prepared.completions = Rc::default();
        for (i, token) in prepared.name.tokens.iter().enumerate() {
            let Some((fuzzy, spellings)) = exact.get(token) else {
                continue;
            };
            let mut merged = if *fuzzy {
                (*prepared.singles[i]).clone()
            } else {
                Similar::default()
            };
            let ids = std::iter::once(token)
                .chain(spellings)
                .filter_map(|s| self.dict.get(s));
            for id in ids {
                merged.insert(id, (1.0, How::Transliteration));
            }
            prepared.singles[i] = Rc::new(merged);
        }
        let mut matches = self.screen_prepared(&prepared, query, options);
        for m in &mut matches {
            m.explanation.readings = reading.words.clone();
        }
        matches
    }

    fn screen_text(&self, text: &str, query: &Query, options: &Options) -> Vec<Match> {
        self.screen_prepared(&self.prepare(text), query, options)
    }

    fn screen_prepared(&self, prepared: &Prepared, query: &Query, options: &Options) -> Vec<Match> {
        let mut scratch = Scratch::default();
        let mut best: FxMap<u32, (f32, u32, Alignment)> = FxMap::default();
        for name_idx in self.candidates(prepared, query) {
            let name = &self.names[name_idx as usize];
            let alignment = self.align(prepared, name, &mut scratch);
            let score = weighed_by_kind(name.kind, alignment.name_score(&self.params));
            let better = best.get(&name.entity).is_none_or(|(s, _, _)| score > *s);
            if better {
                best.insert(name.entity, (score, name_idx, alignment));
            }
        }
        // Identifier hits count even when the name differs entirely.
        let mut id_hits: Vec<u32> = query
            .identifiers
            .iter()
            .flat_map(|v| self.lookup_identifier(v).iter().copied())
            .collect();
        id_hits.sort_unstable();
        id_hits.dedup();
        for &e in &id_hits {
            if best.contains_key(&e) {
                continue;
            }
            // Scored on its best-matching name.
            let scored = self.entities[e as usize].names.clone().map(|n| {
                let name = &self.names[n as usize];
                let alignment = self.align(prepared, name, &mut scratch);
                let score = weighed_by_kind(name.kind, alignment.name_score(&self.params));
                (score, n, alignment)
            });
            if let Some(best_name) = scored.max_by(|a, b| a.0.total_cmp(&b.0)) {
                best.insert(e, best_name);
            }
        }
        let mut matches: Vec<Match> = best
            .into_iter()
            .filter(|(e, _)| self.admissible(*e, query))
            // Building an explanation costs more than scoring: skip names that no
            // evidence beyond the name could lift to the threshold.
            .filter(|(e, (name_score, _, _))| {
                f64::from(*name_score) + MAX_BONUS >= options.threshold
                    || id_hits.binary_search(e).is_ok()
            })
            .filter_map(|(e, (name_score, name_idx, alignment))| {
                let m = self.finish(query, prepared, e, name_idx, name_score, alignment);
                (m.score >= options.threshold).then_some(m)
            })
            .collect();
        sort_matches(&mut matches);
        matches.truncate(options.limit);
        matches
    }

    fn admissible(&self, entity: u32, query: &Query) -> bool {
        if !query.sources.is_empty() && !query.sources.contains(&self.source_of(entity)) {
            return false;
        }
        match query.schema {
            None => true,
            Some(s) => s == self.schema_of(entity),
        }
    }

    fn prepare(&self, text: &str) -> Prepared {
        self.prepare_with(text, &script_respellings(text), &FxSet::default())
    }

    /// [`Index::prepare`] with each token's other spellings given (`respellings`),
    /// and the tokens read back from a transcription by sound (`by_sound`).
    fn prepare_with(
        &self,
        text: &str,
        respellings: &FxMap<String, Vec<String>>,
        by_sound: &FxSet<String>,
    ) -> Prepared {
        let mut name = analyze(text);
        crate::context::mark(text, &mut name, &self.places, |t| {
            self.dict.person_name_uses(t)
        });
        let plain = if name.arabic {
            Lookup::Arabic
        } else {
            Lookup::Plain
        };
        // A word written in another script is in another language: a company word
        // (`завод`, `холдинга`) meets the lists' words of the same meaning (`PLANT`,
        // `HOLDING`) and weighs as they do. In Latin letters a word is in the lists'
        // language or near it, and is compared as written: a `GROUP` is not the
        // `COMPANY` of a `LIMITED LIABILITY COMPANY`.
        let translated = foreign_script_tokens(text);
        let singles: Vec<_> = name
            .tokens
            .iter()
            .map(|t| {
                let lookup = if by_sound.contains(t) {
                    Lookup::Sound
                } else {
                    plain
                };
                let own = self.similar_tokens(t, lookup);
                let mut similar = match respellings.get(t) {
                    None => own,
                    Some(spellings) => Rc::new(self.similar_to_any(&own, spellings, lookup)),
                };
                if translated.contains(t) {
                    let mut with = (*similar).clone();
                    self.dict.offer_translations(t, &mut with);
                    if with.len() != similar.len() {
                        similar = Rc::new(with);
                    }
                }
                similar
            })
            .collect();
        let syllables = Syllables::of(text);
        // What a syllable-written name admits of each look-up (see `Syllables`).
        let admitted = |similar: Rc<Similar>, query: &str| -> Rc<Similar> {
            let Some(s) = syllables else {
                return similar;
            };
            let admit = |(id, found): (&TokenId, &(f32, How))| {
                s.admit(query, &self.dict.strings[*id as usize], *found)
            };
            if similar.iter().all(|entry| admit(entry) == Some(*entry.1)) {
                return similar;
            }
            let kept = similar
                .iter()
                .filter_map(|entry| Some((*entry.0, admit(entry)?)));
            Rc::new(kept.collect())
        };
        let singles: Vec<Rc<Similar>> = (singles.into_iter().zip(&name.tokens))
            .map(|(similar, query)| admitted(similar, query))
            .collect();
        let joins = name
            .tokens
            .windows(2)
            .map(|w| {
                let joined = format!("{}{}", w[0], w[1]);
                admitted(self.similar_tokens(&joined, plain), &joined)
            })
            .collect();
        let unknown = self.dict.unknown_weight();
        let weights = name
            .tokens
            .iter()
            .zip(&name.roles)
            .map(|(t, r)| {
                let w = self
                    .dict
                    .get(t)
                    .map(|id| self.dict.weight[id as usize])
                    .unwrap_or(unknown);
                let w = if translated.contains(t) {
                    self.dict.meaning_weight(t).map_or(w, |m| w.min(m))
                } else {
                    w
                };
                w * role_factor(*r)
            })
            .collect();
        let keys = name.tokens.iter().map(|t| consonant_key(t)).collect();
        // The fixed-length fields that cut names off (SWIFT MT, NACHA, card records)
        // carry Latin letters only: a name in another script was written whole.
        let may_be_cut = !name.non_latin && text.trim().chars().count() >= MIN_FIELD_LENGTH;
        let mut pieces = Vec::new();
        let mut run_together = vec![false; name.tokens.len()];
        for (i, token) in name.tokens.iter().enumerate() {
            if !matches!(name.roles[i], TokenRole::Name | TokenRole::Generic) {
                continue;
            }
            if let Some(segments) = self.dict.segment(token) {
                run_together[i] = true;
                for id in segments {
                    if self.dict.strings[id as usize].len() > 1 {
                        let only: Similar = [(id, (1.0, How::Exact))].into_iter().collect();
                        pieces.push((i, Rc::new(only)));
                    }
                }
            }
        }
        let ends_open = may_be_cut
            && !name.tokens.is_empty()
            && (text.trim_end().ends_with([',', '-', '&', '/'])
                || name
                    .tokens
                    .last()
                    .is_some_and(|t| CONNECTIVES.contains(&t.as_str())));
        let mut completions = Similar::default();
        if let (true, Some(fragment)) = (may_be_cut, name.tokens.last()) {
            if fragment.len() >= MIN_FRAGMENT_LEN && name.roles.last() == Some(&TokenRole::Name) {
                completions.extend(self.dict.completions(fragment).map(|id| {
                    let full = self.dict.strings[id as usize].len();
                    (id, (prefix_similarity(fragment.len(), full), How::Prefix))
                }));
            }
        }
        Prepared {
            syllables,
            pieces,
            completions: Rc::new(completions),
            run_together,
            may_be_cut,
            ends_open,
            name,
            singles,
            joins,
            weights,
            keys,
        }
    }

    /// The dictionary tokens similar to `unit` (looked up as `lookup` says), through
    /// a per-thread cache: in a batch the same tokens (`mohammad`, `ali`, `vladimir`)
    /// come back again and again, and the answer depends only on the token, how it
    /// was read and the index.
    fn similar_tokens(&self, unit: &str, lookup: Lookup) -> Rc<Similar> {
        // One map per kind of look-up, so that a hit costs no allocation.
        type Cache = [FxMap<String, Rc<Similar>>; 3];
        thread_local! {
            static CACHE: RefCell<(u64, Cache)> = RefCell::new((0, Default::default()));
        }
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.0 != self.id {
                *cache = (self.id, Default::default());
            }
            let cache = &mut cache.1[lookup as usize];
            if let Some(hit) = cache.get(unit) {
                return Rc::clone(hit);
            }
            let mut map = FxMap::default();
            match lookup {
                Lookup::Plain => self.dict.lookup(unit, &mut map),
                Lookup::Arabic => self.dict.lookup_arabic(unit, &mut map),
                Lookup::Sound => self.dict.lookup_by_sound(unit, &mut map),
            }
            let map = Rc::new(map);
            if cache.len() >= LOOKUP_CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(unit.to_string(), Rc::clone(&map));
            map
        })
    }

    /// `own` merged with what the other readings of the same word (see
    /// [`script_respellings`]) are similar to; a list token that is one of them is an
    /// exact transliteration.
    fn similar_to_any(&self, own: &Similar, spellings: &[String], lookup: Lookup) -> Similar {
        let mut merged = own.clone();
        for spelling in spellings {
            for (&id, &(sim, how)) in self.similar_tokens(spelling, lookup).iter() {
                let how = if how == How::Exact {
                    How::Transliteration
                } else {
                    how
                };
                let e = merged.entry(id).or_insert((sim, how));
                if sim > e.0 {
                    *e = (sim, how);
                }
            }
        }
        merged
    }

    /// Candidate names, ranked by the rarity-weighted similarity they share with
    /// the query.
    fn candidates(&self, q: &Prepared, query: &Query) -> Vec<u32> {
        let n = q.name.tokens.len();
        // Each unit: what it is similar to, the query tokens it spans, and the weight
        // no list spelling of it may exceed (a list spelling rarer than the query's own
        // known token — `mahamed` for `mohammed` — is no better evidence than that token).
        let units: Vec<(&Similar, usize, usize, f32)> = (q.singles.iter().enumerate())
            .map(|(i, m)| (&**m, i, i, q.weights[i]))
            .chain((q.joins.iter().enumerate()).map(|(i, m)| (&**m, i, i + 1, f32::INFINITY)))
            .chain(q.pieces.iter().map(|(i, m)| (&**m, *i, *i, f32::INFINITY)))
            .chain((n > 0).then(|| (&*q.completions, n - 1, n - 1, f32::INFINITY)))
            .collect();
        // An initial is no rare token: the names behind `O.` are not a short list.
        let has_rare = units.iter().any(|&(m, first, last, _)| {
            (first != last || q.name.tokens[first].len() > 1)
                && m.keys()
                    .any(|&t| self.dict.postings[t as usize].len() <= FREQUENT_POSTINGS)
        });
        // A query initial (`O. Mohammed`) has no posting list of its own, yet among
        // the many names sharing a common token it tells `OMAR, Mohammed` from the rest.
        let initial_bits = |long: bool| {
            (0..n)
                .filter(|&i| (q.name.tokens[i].len() > 1) == long)
                .filter(|&i| q.name.roles[i] == TokenRole::Name)
                .filter_map(|i| initial_bit(q.name.initials[i]))
                .fold(0u32, |bits, b| bits | b)
        };
        let initials = initial_bits(false);
        // What each unit's list tokens add to a name that holds them; an initial is
        // credited below, by letter, wherever it stands, and an initial run into the
        // next name (`O Mohammed` → `omohammed`) is no spelling of it.
        let contributions: Vec<Vec<(u32, f32)>> = units
            .iter()
            .map(|&(map, first, last, cap)| {
                if (first..=last).any(|i| q.name.tokens[i].len() == 1) {
                    return Vec::new();
                }
                // Legal forms, titles and generic words must not crowd out the names
                // that share the query's distinctive tokens.
                let factor = role_factor(q.name.roles[first]).max(role_factor(q.name.roles[last]));
                map.iter()
                    .filter(|(&tid, _)| {
                        !(has_rare && self.dict.postings[tid as usize].len() > FREQUENT_POSTINGS)
                    })
                    .map(|(&tid, &(sim, _))| {
                        (
                            tid,
                            sim * sim * (factor * self.dict.weight[tid as usize]).min(cap),
                        )
                    })
                    .collect()
            })
            .collect();
        // Bound first: the units are taken heaviest first, and once what the units
        // still to come (and the initials) could add to a name is less than
        // `MIN_CANDIDATE_SHARE` of the best name so far, a name not yet met can no
        // longer become a candidate — the rest only add to the names already met,
        // looked up in the (long) postings rather than collected from them. The
        // candidates are the same as when every posting is collected.
        let most = |u: usize| contributions[u].iter().map(|c| c.1).fold(0.0f32, f32::max);
        let mut order: Vec<usize> = (0..units.len()).collect();
        order.sort_by(|&a, &b| most(b).total_cmp(&most(a)));
        // What the units from each place in `order` on could still add, summed from
        // the back (no running subtraction to round below the true sum), with a
        // margin for the rounding of the sums the names accumulate.
        let mut still_to_come = vec![INITIAL_CANDIDATE_WEIGHT * initials.count_ones() as f32];
        for &u in order.iter().rev() {
            let later = still_to_come[still_to_come.len() - 1];
            still_to_come.push(later + most(u));
        }
        still_to_come.reverse();
        let mut best = 0.0f32;
        let mut acc: FxMap<u32, (f32, u32, f32)> =
            FxMap::with_capacity_and_hasher(1024, Default::default());
        let add = |e: &mut (f32, u32, f32), unit: u32, contribution: f32| {
            if e.1 != unit {
                e.0 += contribution;
                e.1 = unit;
                e.2 = contribution;
            } else if contribution > e.2 {
                e.0 += contribution - e.2;
                e.2 = contribution;
            }
            e.0
        };
        for (place, &unit) in order.iter().enumerate() {
            let open = still_to_come[place] * (1.0 + 1e-4) >= MIN_CANDIDATE_SHARE * best;
            for &(tid, contribution) in &contributions[unit] {
                let postings = &self.dict.postings[tid as usize];
                let unit = unit as u32;
                if !open && postings.len() > 4 * acc.len() {
                    // Postings are sorted: each name met so far is looked up.
                    for (name, e) in acc.iter_mut() {
                        if postings.binary_search(name).is_ok() {
                            best = best.max(add(e, unit, contribution));
                        }
                    }
                    continue;
                }
                for &name in postings {
                    if !open {
                        if let Some(e) = acc.get_mut(&name) {
                            best = best.max(add(e, unit, contribution));
                        }
                        continue;
                    }
                    if !query.sources.is_empty() {
                        let e = self.names[name as usize].entity;
                        if !query.sources.contains(&self.source_of(e)) {
                            continue;
                        }
                    }
                    let e = acc.entry(name).or_insert((0.0, u32::MAX, 0.0));
                    best = best.max(add(e, unit, contribution));
                }
            }
        }
        if initials != 0 {
            // An initial whose letter also begins one of the query's full names
            // needs a second name part of that letter.
            let shared_with_names = initials & initial_bits(true);
            for (&name, e) in acc.iter_mut() {
                let [once, twice] = self.names[name as usize].initial_letters;
                let credited = (initials & !shared_with_names & once) | (shared_with_names & twice);
                e.0 += INITIAL_CANDIDATE_WEIGHT * credited.count_ones() as f32;
            }
        }
        // Names sharing far less weight with the query than the best candidate cannot
        // score near it: they are not aligned at all.
        let best = acc.values().map(|v| v.0).fold(0.0f32, f32::max);
        let mut ranked: Vec<(u32, f32)> = acc
            .into_iter()
            .filter(|(_, (s, _, _))| *s >= MIN_CANDIDATE_SHARE * best)
            .map(|(n, (s, _, _))| (n, s))
            .collect();
        let k = CANDIDATES.min(ranked.len());
        if k == 0 {
            return Vec::new();
        }
        // Among names sharing as much, the shorter leave less of themselves uncovered.
        let len = |n: u32| self.names[n as usize].tokens.len();
        let order = |a: &(u32, f32), b: &(u32, f32)| {
            b.1.total_cmp(&a.1)
                .then(len(a.0).cmp(&len(b.0)))
                .then(a.0.cmp(&b.0))
        };
        ranked.select_nth_unstable_by(k - 1, order);
        ranked.truncate(k);
        // In that order, not the hash map's: of an entity's names that align equally
        // well, the first aligned is kept, and it must not depend on how the
        // candidates were collected.
        ranked.sort_unstable_by(order);
        ranked.into_iter().map(|(n, _)| n).collect()
    }

    fn align(&self, q: &Prepared, name: &IndexedName, scratch: &mut Scratch) -> Alignment {
        let Scratch {
            compared,
            edges,
            late,
            used_q,
            used_n,
        } = scratch;
        edges.clear();
        late.clear();
        used_q.clear();
        used_q.resize(q.name.tokens.len(), false);
        used_n.clear();
        used_n.resize(name.tokens.len(), false);
        let nq = q.name.tokens.len();
        let nt = name.tokens.len();
        // A title or suffix of the list weighs nothing: a short name part that only
        // resembles it (`LI` for the `II` of `SARA II`) would vanish with it rather
        // than count as the query's own. A longer one close to it is the title
        // misspelt (`ZEYED` for `SEYED`).
        let lost_in_title = |i: usize, j: usize, sim: f32| {
            name.roles[j] == TokenRole::Ignorable
                && q.name.roles[i] == TokenRole::Name
                && sim < 1.0
                && (q.name.tokens[i].len() < 3 || sim < MIN_MISSPELT_TITLE_SIMILARITY)
        };
        for i in 0..nq {
            let qt = &q.name.tokens[i];
            for (j, &tid) in name.tokens.iter().enumerate() {
                if let Some(&(s, h)) = q.singles[i].get(&tid) {
                    if !lost_in_title(i, j, s) {
                        edges.push(Edge::new(s, i, 1, j, 1, h));
                    }
                } else if matches!(name.roles[j], TokenRole::Name | TokenRole::Generic)
                    && matches!(q.name.roles[i], TokenRole::Name | TokenRole::Generic)
                {
                    // The `S` and `A` of a legal form (`JAN S.A.`) are no initials.
                    let lt = &self.dict.strings[tid as usize];
                    // A syllable written in one letter (`이`, `i`) is no initial.
                    let initial = q.syllables.is_none()
                        && ((qt.len() == 1 && qt.starts_with(name.initials[j]))
                            || (lt.len() == 1 && lt.starts_with(q.name.initials[i])));
                    if initial {
                        // An initial stands for a whole hyphenated name (`K.` for
                        // `KARADZIC-JOVICEVIC`).
                        let span = if qt.len() == 1
                            && name.hyphen_after.get(j) == Some(&true)
                            && j + 1 < nt
                        {
                            2
                        } else {
                            1
                        };
                        edges.push(Edge::new(0.8, i, 1, j, span, How::Initial));
                    }
                }
            }
            for (j, &tid) in name.joined.iter().enumerate() {
                if let Some(&(s, h)) = q.singles[i].get(&tid) {
                    // On the consonant key a list token of vowels alone (`MAX AI` for
                    // `MKS`) leaves no trace: that is a dropped token, not a join.
                    let traced = |k: usize| {
                        self.dict.strings[name.tokens[k] as usize]
                            .bytes()
                            .any(|b| !b"aeiou".contains(&b))
                    };
                    if h != How::Phonetic || traced(j) && traced(j + 1) {
                        edges.push(Edge::new(s, i, 1, j, 2, h));
                    }
                }
            }
        }
        // A last token cut off by a field (`INZHTEPLO`) stands for the list token it
        // begins: as a prefix, so that what follows that token is excused.
        if let Some(last) = nq.checked_sub(1) {
            for (j, tid) in name.tokens.iter().enumerate() {
                if let Some(&(s, h)) = q.completions.get(tid) {
                    edges.push(Edge::new(s, last, 1, j, 1, h));
                }
            }
        }
        // A token the lists do not know may be several list tokens run together
        // (`ABDALQADIR` for `ABD-AL-QADIR`, `CMV` for `C.M.V.`).
        for i in (0..nq).filter(|&i| q.run_together[i]) {
            let qt = q.name.tokens[i].as_bytes();
            for j in 0..nt {
                let mut at = 0;
                let mut k = j;
                while k < nt {
                    let lt = self.dict.strings[name.tokens[k] as usize].as_bytes();
                    if !qt[at..].starts_with(lt) {
                        break;
                    }
                    at += lt.len();
                    k += 1;
                    if at == qt.len() {
                        if k - j >= 2 {
                            edges.push(Edge::new(1.0, i, 1, j, k - j, How::Exact));
                        }
                        break;
                    }
                }
            }
        }
        for (i, map) in q.joins.iter().enumerate() {
            for (j, &tid) in name.tokens.iter().enumerate() {
                if let Some(&(s, h)) = map.get(&tid) {
                    edges.push(Edge::new(s, i, 2, j, 1, h));
                }
            }
            // The same letters split elsewhere (`ALM-ANSOORI` for `AL-MANSOORI`): two
            // tokens for two. Pairs that already match token by token need no join.
            for (j, &tid) in name.joined.iter().enumerate() {
                if let Some(&(s, h)) = map.get(&tid) {
                    let same = |a: usize, b: usize| {
                        q.singles[a]
                            .get(&name.tokens[b])
                            .is_some_and(|m| m.0 == 1.0)
                    };
                    if !(same(i, j) && same(i + 1, j + 1)) {
                        edges.push(Edge::new(s, i, 2, j, 2, h));
                    }
                }
            }
        }
        for e in edges.iter_mut() {
            let before =
                e.i > 0 && e.j > 0 && q.singles[e.i - 1].contains_key(&name.tokens[e.j - 1]);
            let after = e.i + e.il < nq
                && e.j + e.jl < nt
                && q.singles[e.i + e.il].contains_key(&name.tokens[e.j + e.jl]);
            e.context = u8::from(before) + u8::from(after);
        }
        // Best pairs first; among equals, the one covering more tokens, then the one
        // in a like context.
        edges.sort_by(|a, b| {
            b.sim
                .total_cmp(&a.sim)
                .then((b.il + b.jl).cmp(&(a.il + a.jl)))
                .then(b.context.cmp(&a.context))
        });
        let list_weight =
            |j: usize| self.dict.weight[name.tokens[j] as usize] * role_factor(name.roles[j]);
        let mut c = Coverage::default();
        let mut pairs = Vec::new();
        for &Edge {
            sim,
            i,
            il,
            j,
            jl,
            how,
            ..
        } in edges.iter()
        {
            if used_q[i..i + il].iter().any(|&u| u) || used_n[j..j + jl].iter().any(|&u| u) {
                continue;
            }
            used_q[i..i + il].iter_mut().for_each(|u| *u = true);
            used_n[j..j + jl].iter_mut().for_each(|u| *u = true);
            // Weighed by the list tokens it explains: a misspelt query token is as
            // informative as the token it stands for, not as rare as a typo looks.
            let w_list: f32 = (j..j + jl).map(list_weight).sum();
            if how == How::Initial && q.name.tokens[i].len() == 1 {
                // A query initial says little: it counts lightly for the query and
                // covers only part of the list token, though in the right place it
                // carries part of the token's identity.
                let w = w_list.min(1.0);
                c.q_num += sim * w;
                c.q_den += w;
                c.n_num += self.params.initial_credit * w_list;
                c.informative += self.params.initial_credit * w_list;
            } else if how == How::Initial {
                // The list has only an initial: the query's full token is barely
                // explained by it.
                let w = q.weights[i].max(self.params.unmatched_floor);
                c.q_num += 0.5 * w;
                c.q_den += w;
                c.n_num += w_list;
            } else {
                let distinctive: f32 = (j..j + jl)
                    .filter(|&k| name.roles[k] == TokenRole::Name)
                    .map(|k| self.dict.weight[name.tokens[k] as usize])
                    .sum();
                c.matched(sim, w_list, distinctive);
            }
            pairs.push((i..i + il, j..j + jl, sim, how));
        }
        // Pairs the index did not propose (two edits apart, a cut-off last token) are
        // compared directly: only the few tokens left unmatched on both sides.
        // Only worth it when the index already explains a good part of the query.
        // A word around the name (see `context`) counts here as the name part it may
        // be, and is never paired this loosely: `Mar` after `TUN` may be a town, but
        // it is no prefix of `MARKU`.
        let around = |i: usize| matches!(q.name.roles[i], TokenRole::Context(_));
        let unexplained: f32 = (0..nq)
            .filter(|&i| !used_q[i])
            .map(|i| {
                let factor = if around(i) {
                    1.0
                } else {
                    role_factor(q.name.roles[i])
                };
                q.weights[i].max(self.params.unmatched_floor * factor)
            })
            .sum();
        let explained_share = c.q_num / (c.q_den + unexplained).max(f32::EPSILON);
        let fallback =
            |i: usize| !used_q[i] && !around(i) && explained_share >= MIN_EXPLAINED_FOR_FALLBACK;
        for i in (0..nq).filter(|&i| fallback(i)) {
            let qt = &q.name.tokens[i];
            let qkey = &q.keys[i];
            for j in (0..nt).filter(|&j| !used_n[j]) {
                let tid = name.tokens[j] as usize;
                let lt = &self.dict.strings[tid];
                let similarity = *compared
                    .entry((i, tid as TokenId))
                    .or_insert_with(|| token_similarity(qt, lt, qkey, &self.dict.keys[tid]));
                let similarity =
                    similarity.and_then(|found| syllables_admit(q.syllables, qt, lt, found));
                if let Some((sim, how)) = similarity.filter(|&(sim, _)| !lost_in_title(i, j, sim)) {
                    late.push((sim, i, j, how));
                } else if i + 1 == nq
                    && q.syllables.is_none()
                    && qt.len() >= 2
                    && lt.len() > qt.len()
                    && lt.starts_with(qt.as_str())
                {
                    late.push((prefix_similarity(qt.len(), lt.len()), i, j, How::Prefix));
                }
            }
        }
        late.sort_by(|a, b| b.0.total_cmp(&a.0));
        for &(sim, i, j, how) in late.iter() {
            if used_q[i] || used_n[j] {
                continue;
            }
            used_q[i] = true;
            used_n[j] = true;
            let distinctive = if name.roles[j] == TokenRole::Name && how != How::Prefix {
                self.dict.weight[name.tokens[j] as usize]
            } else {
                0.0
            };
            c.matched(sim, list_weight(j), distinctive);
            pairs.push((i..i + 1, j..j + 1, sim, how));
        }
        // The same legal form written differently (`ООО` / `Limited Liability Company`)
        // matches as a whole.
        let same_form = q
            .name
            .legal_forms
            .iter()
            .any(|f| name.legal_forms.contains(f));
        let mut legal_form_pair = None;
        if same_form {
            let qs: Vec<usize> = (0..nq)
                .filter(|&i| !used_q[i] && q.name.roles[i] == TokenRole::LegalForm)
                .collect();
            let ls: Vec<usize> = (0..nt)
                .filter(|&j| !used_n[j] && name.roles[j] == TokenRole::LegalForm)
                .collect();
            for &i in &qs {
                used_q[i] = true;
                c.q_num += q.weights[i];
                c.q_den += q.weights[i];
            }
            for &j in &ls {
                used_n[j] = true;
                c.n_num += list_weight(j);
            }
            if !qs.is_empty() || !ls.is_empty() {
                legal_form_pair = Some((qs, ls));
            }
        }
        // A name cut off by a legacy fixed-length field ends in a fragment (`… Fati`,
        // `… CORPS R`, `… JOINT S`) of a list token, and everything after that token
        // is missing: the fragment matches as a prefix and the lost tail is excused.
        let mut excused_from = nt;
        if q.ends_open {
            // The query stops where no name does (`SAMIR HERZALLAH AND`, `SALAZAR
            // BALLESTEROS,`): a field cut it after a whole word, so what the list
            // name has after the last token matched was lost, not left out.
            let last = nq - 1;
            if CONNECTIVES.contains(&q.name.tokens[last].as_str()) {
                used_q[last] = true;
            }
            if let Some(end) = pairs.iter().map(|p| p.1.end).max() {
                excused_from = end;
            }
        } else if nq >= 1 && q.may_be_cut {
            let last = nq - 1;
            let last_pair = pairs.iter().find(|p| p.0.contains(&last));
            let after = pairs
                .iter()
                .filter(|p| !p.0.contains(&last))
                .map(|p| p.1.end)
                .max()
                .unwrap_or(0);
            // The fragment begins the (first) list token it was paired with.
            let is_cut = |nr: &std::ops::Range<usize>| {
                let fragment = &q.name.tokens[last];
                let lt = &self.dict.strings[name.tokens[nr.start] as usize];
                lt.len() > fragment.len() && lt.starts_with(fragment.as_str())
            };
            match last_pair {
                Some((_, nr, _, How::Prefix | How::Initial)) => excused_from = nr.end,
                // `REVOLUTIONAR` found `REVOLUTIONARY` one edit away: it is a cut too.
                Some((_, nr, _, _)) if is_cut(nr) => excused_from = nr.end,
                None => {
                    let fragment = &q.name.tokens[last];
                    let cut = (after..nt).find(|&j| {
                        !used_n[j]
                            && self.dict.strings[name.tokens[j] as usize].len() > fragment.len()
                            && self.dict.strings[name.tokens[j] as usize]
                                .starts_with(fragment.as_str())
                    });
                    if let Some(j) = cut {
                        used_q[last] = true;
                        used_n[j] = true;
                        // A fragment carries the share of the token it keeps.
                        let kept = fragment.len() as f32
                            / self.dict.strings[name.tokens[j] as usize].len() as f32;
                        let w = list_weight(j) * kept;
                        let distinctive = if name.roles[j] == TokenRole::Name {
                            w
                        } else {
                            0.0
                        };
                        c.matched(0.85, w, distinctive);
                        pairs.push((last..last + 1, j..j + 1, 0.85, How::Prefix));
                        excused_from = j + 1;
                    }
                }
                _ => {}
            }
        }
        let unmatched_query: Vec<usize> = (0..nq).filter(|&i| !used_q[i]).collect();
        // An organisation's name that repeats a word (`BYELORUSSIAN STEEL WORKS …
        // HOLDING BYELORUSSIAN METALLURGICAL COMPANY`) has it covered by one query word.
        if !name.descriptive.is_empty() {
            for (j, used) in used_n.iter_mut().enumerate() {
                if *used {
                    continue;
                }
                let twin = pairs
                    .iter()
                    .find(|p| p.1.clone().any(|k| name.tokens[k] == name.tokens[j]));
                if let Some(&(_, _, sim, _)) = twin {
                    *used = true;
                    c.n_num += sim * list_weight(j);
                }
            }
        }
        let unmatched_list: Vec<usize> = (0..nt).filter(|&j| !used_n[j]).collect();
        let uncovered_list = |roles: &[TokenRole]| {
            unmatched_list
                .iter()
                .any(|&j| j < excused_from && roles.contains(&name.roles[j]))
        };
        // A patronymic where a person's list name has none (`Viktor Vladimirovich
        // Medvedchuk` against `MEDVEDCHUK, Viktor`) is what records add and lists
        // leave out: when the list name is a given name and a surname and the query
        // matches both, it weighs no more than a stray initial. A name of one part or
        // of three (`ABD-AL-QADIR`) is not the shape of a Slavic name without its
        // patronymic, and a company has none.
        let patronymic_added = self.schema_of(name.entity) == Schema::Person
            && name.roles.iter().filter(|&&r| r == TokenRole::Name).count() == 2
            && !uncovered_list(&[TokenRole::Name, TokenRole::Generic])
            && !name
                .tokens
                .iter()
                .any(|&t| is_patronymic(&self.dict.strings[t as usize]));
        // How much of an organisation's identifying words the query covers. A name
        // written with a legal form is written in full (`KING LIMITED` is not `KING
        // TRADE B.V.`); the short form people use has none.
        let core_covered = if q.name.legal_forms.is_empty() {
            self.core_covered(q, name, &pairs, used_n, excused_from)
        } else {
            Core::None
        };
        // The words around the name (`Moscow`, `Head Office`, `c/o`) each cost a
        // little and all together no more than a stray initial (see `context_words`).
        let context_words = if unmatched_query
            .iter()
            .any(|&i| matches!(q.name.roles[i], TokenRole::Context(_)))
        {
            self.context_words(
                q,
                name,
                &pairs,
                &unmatched_query,
                &unmatched_list,
                excused_from,
                core_covered,
            )
        } else {
            Vec::new()
        };
        let is_context = |i: usize| context_words.contains(&i);
        c.q_den += (context_words.len() as f32 * CONTEXT_WORD_WEIGHT).min(CONTEXT_WEIGHT_CAP);
        c.q_den += unmatched_query
            .iter()
            .filter(|&&i| !is_context(i))
            .map(|&i| match q.name.roles[i] {
                // A stray initial says little either way; a one-letter syllable is
                // a name part like any other (`이`, the surname Lee).
                _ if q.name.tokens[i].len() == 1 && q.syllables.is_none() => q.weights[i].min(1.0),
                TokenRole::Name if patronymic_added && is_patronymic(&q.name.tokens[i]) => {
                    q.weights[i].min(ADDED_PATRONYMIC_WEIGHT)
                }
                TokenRole::Name | TokenRole::Context(_) => {
                    q.weights[i].max(self.params.unmatched_floor)
                }
                TokenRole::Generic => q.weights[i].max(self.params.unmatched_generic_floor),
                _ => q.weights[i],
            })
            .sum::<f32>();
        // What the query leaves uncovered of the list name (see `list_word`).
        let n_den: f32 = (0..nt)
            .filter(|&j| j < excused_from || used_n[j])
            .map(|j| self.list_word(name, j, used_n[j], core_covered).0)
            .sum();
        // A whole word of the query's own where the list has a legal form (`… TICARET
        // LIMITED RAMIREZ` against `… TICARET LIMITED SIRKETI`, `ARDIS-BEARINGS
        // ORGANIZATION` against `ARDIS-BEARINGS LLC`) differs as much as a name part
        // does; a short one may be the legal form mistyped (`RZC`, `S.Z.`).
        let form_left_alone =
            matches!(&legal_form_pair, Some((qs, ls)) if qs.is_empty() && !ls.is_empty());
        let word_for_form = unmatched_query.iter().any(|&i| {
            matches!(q.name.roles[i], TokenRole::Name | TokenRole::Generic)
                && q.name.tokens[i].len() >= 4
        }) && (form_left_alone || uncovered_list(&[TokenRole::LegalForm]));
        // The same kind of legal form written as another form (`KING LIMITED` against
        // `KING TRADE B.V.`, `IRISL LIMITED` against `IRISL EUROPE GMBH`), or form
        // words the list name lacks (`AL-ANSAR CHARITY LLC` against `AL-ANSAR CHARITY
        // ASSOCIATION`), is another company: with a word of the list left uncovered,
        // the names differ on both sides. An initial (`J` for `JOINT`) or a record in
        // another script, which writes the form in its own language, says nothing.
        let form_of_its_own = !q.name.non_latin
            && !name.non_latin
            && match legal_form_pair.as_ref().map(|(qs, _)| qs.as_slice()) {
                None | Some([]) => false,
                Some([i]) => q.name.tokens[*i].len() > 1,
                Some(_) => true,
            };
        let conflict = word_for_form
            || form_of_its_own && uncovered_list(&[TokenRole::Name, TokenRole::Generic])
            || unmatched_query.iter().any(|&i| match q.name.roles[i] {
                TokenRole::Name | TokenRole::Generic => true,
                TokenRole::Context(_) => !context_words.contains(&i),
                _ => false,
            }) && uncovered_list(&[TokenRole::Name, TokenRole::Generic]);
        // An organisation named by words of its own is never found by its
        // descriptive words alone (`PUBLICLY TRADED COMPANY` is not `KAMAZ PUBLICLY
        // TRADED COMPANY`): the match is as uninformative as one on legal forms.
        let identifying = |j: usize| self.identifies(name, j);
        let descriptive_only = !name.descriptive.is_empty()
            && (0..nt).any(identifying)
            && !(0..nt).any(|j| used_n[j] && identifying(j));
        Alignment {
            conflict,
            query_coverage: if c.q_den > 0.0 {
                c.q_num / c.q_den
            } else {
                0.0
            },
            list_coverage: if n_den > 0.0 { c.n_num / n_den } else { 1.0 },
            informative: if descriptive_only { 0.0 } else { c.informative },
            pairs,
            legal_form_pair,
            form_of_its_own,
            unmatched_query,
            unmatched_list,
            context_words,
            core_covered,
            excused_from,
        }
    }

    /// The unmatched query words taken for words around the list name: those marked
    /// [`TokenRole::Context`] where they stand around the whole list name, less only
    /// what records leave out anyway (its legal form, a title, a person's patronymic,
    /// an organisation's descriptive words beside its core where punctuation sets the
    /// words around apart: `ROSTEC, Moscow`; without it, `IRAN TRANSFO SAMARA` for
    /// `IRAN TRANSFO CO.` is another name as much as a place added). Where a name part
    /// of the list is missing, a word in its place is a name part of another party's
    /// (`SECHIN Igor EKO` for `SECHIN, Igor Ivanovich` is as like `… Moscow` as a name
    /// can be, but `GONZALEZ MEDINA Jaime ARTA` is not `… Jaime Andres`).
    #[allow(clippy::too_many_arguments)]
    fn context_words(
        &self,
        q: &Prepared,
        name: &IndexedName,
        pairs: &[AlignedPair],
        unmatched_query: &[usize],
        unmatched_list: &[usize],
        excused_from: usize,
        core_covered: Core,
    ) -> Vec<usize> {
        // A word with the initial of the patronymic it stands beside may be that
        // patronymic garbled (`SARANOVA Yuliya Vina` for `… Vladimirovna`).
        let person = self.schema_of(name.entity) == Schema::Person;
        let list_token = |j: usize| self.dict.strings[name.tokens[j] as usize].as_str();
        let mut missing_patronymics = Vec::new();
        let around_whole_name = unmatched_list.iter().all(|&j| {
            if j >= excused_from
                || matches!(name.roles[j], TokenRole::LegalForm | TokenRole::Ignorable)
                || core_covered == Core::Whole
                    && !self.identifies(name, j)
                    && q.name.context_set_apart
            {
                true
            } else if person && is_patronymic(list_token(j)) {
                missing_patronymics.push(list_token(j).as_bytes()[0]);
                true
            } else {
                false
            }
        });
        // A person is named by two parts at least: one given name beside a city
        // (`Artur Maia`) is no more than that given name.
        let name_parts_matched = pairs
            .iter()
            .filter(|(qr, _, _, how)| {
                *how != How::Initial && qr.clone().any(|i| q.name.roles[i] == TokenRole::Name)
            })
            .count();
        let is_context = |i: usize| {
            around_whole_name
                && (name_parts_matched >= 2 || !person)
                && matches!(q.name.roles[i], TokenRole::Context(_))
                && !missing_patronymics.contains(&q.name.tokens[i].as_bytes()[0])
        };
        unmatched_query
            .iter()
            .copied()
            .filter(|&i| is_context(i))
            .collect()
    }

    /// Does the query cover every identifying word of this organisation's, vessel's or
    /// aircraft's list name — every name word that is not descriptive (a company word,
    /// a word frequent across the lists, a place)? `ROSTEC` covers `STATE CORPORATION
    /// ROSTEC`; `Almaz-Antey` covers `JOINT STOCK COMPANY AEROSPACE DEFENSE CONCERN
    /// ALMAZ-ANTEY`. The words covered must identify on their own: two of them, or one
    /// that is not also a listed person's name (an org named `IVANOV AND PARTNERS`
    /// is not found by `Ivanov` alone). A core word must be matched well
    /// ([`MIN_CORE_SIMILARITY`]): `Millet` is not the `MELLAT` of `BANK MELLAT`. A name
    /// of descriptive words only has no core.
    fn core_covered(
        &self,
        q: &Prepared,
        name: &IndexedName,
        pairs: &[AlignedPair],
        used_n: &[bool],
        excused_from: usize,
    ) -> Core {
        if !name.secondary.is_empty() {
            // A Latin spelling near a Latin list name is often another name
            // (`Orellana`, `ARELLANO`); a reading from another script is near by
            // nature.
            let min_similarity = if q.name.non_latin {
                MIN_PRINCIPAL_READING_SIMILARITY
            } else {
                MIN_CORE_SIMILARITY
            };
            return self.principal_covered(name, pairs, used_n, excused_from, min_similarity);
        }
        if name.descriptive.is_empty() {
            return Core::None;
        }
        let core = || (0..name.tokens.len()).filter(|&j| self.identifies(name, j));
        let mut covered = 0;
        let mut distinctive = false;
        let mut unique = false;
        let mut left = 0;
        let similarity = |j: usize| {
            pairs
                .iter()
                .find(|p| p.1.contains(&j))
                // A repeated word covered elsewhere (see `align`) as well as there.
                .or_else(|| {
                    pairs
                        .iter()
                        .find(|p| p.1.clone().any(|k| name.tokens[k] == name.tokens[j]))
                })
                .map_or(0.0, |p| p.2)
        };
        for j in core() {
            if used_n[j] && similarity(j) < MIN_CORE_SIMILARITY {
                return Core::None;
            } else if used_n[j] {
                let t = name.tokens[j] as usize;
                covered += 1;
                distinctive |= self.dict.person_doc_freq[t] < COMMON_PERSON_NAME_USES;
                unique |= self.dict.doc_freq[t] <= UNIQUE_WORD_USES
                    && self.dict.person_doc_freq[t] == 0
                    && self.dict.strings[t].len() >= MIN_UNIQUE_WORD_LEN;
            } else if j < excused_from {
                left += 1;
            }
        }
        match left {
            0 if covered >= 2 || covered == 1 && distinctive => Core::Whole,
            0 => Core::None,
            n if unique => Core::ByUniqueWord {
                left: u8::try_from(n).unwrap_or(u8::MAX),
            },
            _ => Core::None,
        }
    }

    /// Does name token `j` of an organisation identify it: a name part that is not
    /// descriptive (see `index::descriptive_tokens`)?
    /// [`Core::Principal`] when a person's list name has secondary parts and the
    /// query covers every principal one, at least [`MIN_PRINCIPAL_PARTS`] of them,
    /// each as itself or a close spelling (`min_similarity`), and one of them a name few listed persons bear
    /// ([`RARE_PRINCIPAL_USES`]): `Ahmad Mohamed` does not name `AHMAD, Muhammad
    /// Yunis` by the parts everyone shares.
    fn principal_covered(
        &self,
        name: &IndexedName,
        pairs: &[AlignedPair],
        used_n: &[bool],
        excused_from: usize,
        min_similarity: f32,
    ) -> Core {
        if !name.secondary.contains(&true) {
            return Core::None;
        }
        let mut covered = 0;
        let mut rare = false;
        for (j, &used) in used_n.iter().enumerate() {
            let t = name.tokens[j] as usize;
            let principal = name.roles[j] == TokenRole::Name
                && !name.secondary[j]
                && !is_name_particle(&self.dict.strings[t]);
            if !principal {
                continue;
            }
            if !used {
                if j < excused_from {
                    return Core::None;
                }
                continue;
            }
            let similarity = pairs.iter().find(|p| p.1.contains(&j)).map_or(0.0, |p| p.2);
            if similarity < min_similarity {
                return Core::None;
            }
            covered += 1;
            rare |= self.dict.person_doc_freq[t] <= RARE_PRINCIPAL_USES;
        }
        if covered >= MIN_PRINCIPAL_PARTS && rare {
            Core::Principal
        } else {
            Core::None
        }
    }

    fn identifies(&self, name: &IndexedName, j: usize) -> bool {
        name.roles[j] == TokenRole::Name && !name.descriptive.get(j).copied().unwrap_or(false)
    }

    /// What list token `j` weighs in the list name's coverage, and why. One model
    /// serves both sides of a short name: a word the list has and the query lacks
    /// costs by how much it identifies the party. Covered, a word weighs its rarity
    /// (generic words and legal forms less). Uncovered, a generic or descriptive word
    /// beside a covered core weighs little (`STATE CORPORATION` of `STATE CORPORATION
    /// ROSTEC`); without the core, a generic word the list has and the query lacks
    /// (`KING TRADE` vs `KING`) counts more than it does as a match.
    #[inline]
    fn list_word(
        &self,
        name: &IndexedName,
        j: usize,
        covered: bool,
        core: Core,
    ) -> (f32, ListWordRole) {
        let idf = self.dict.weight[name.tokens[j] as usize];
        let role = match name.roles[j] {
            TokenRole::Name if !name.descriptive.is_empty() && !self.identifies(name, j) => {
                ListWordRole::Descriptive
            }
            TokenRole::Name
                if !covered && core == Core::Principal && name.secondary.get(j) == Some(&true) =>
            {
                ListWordRole::Secondary
            }
            TokenRole::Name | TokenRole::Context(_) => ListWordRole::Identifying,
            TokenRole::Generic => ListWordRole::Generic,
            TokenRole::LegalForm => ListWordRole::LegalForm,
            TokenRole::Ignorable => ListWordRole::Title,
        };
        let weight = match role {
            _ if covered => idf * role_factor(name.roles[j]),
            ListWordRole::Descriptive | ListWordRole::Generic
                if matches!(core, Core::Whole | Core::ByUniqueWord { .. }) =>
            {
                idf * self.params.uncovered_descriptive_factor
            }
            ListWordRole::Secondary => idf * SECONDARY_PART_FACTOR,
            ListWordRole::Identifying => match core {
                Core::ByUniqueWord { left } => idf * UNCOVERED_BESIDE_UNIQUE_WORD / f32::from(left),
                _ => idf * role_factor(name.roles[j]),
            },
            ListWordRole::Generic => idf * self.params.uncovered_generic_factor,
            _ => idf * role_factor(name.roles[j]),
        };
        (weight, role)
    }

    /// A person found by one name part alone stays below the alert threshold —
    /// unless that part is rare among listed persons' names, matched as itself, and
    /// the query gives the person's full birth date, day included, as the list does.
    /// Then the floor to lift the score to; else 0.
    fn rare_name_with_birth_date(
        &self,
        query: &Query,
        q: &Prepared,
        name: &IndexedName,
        alignment: &Alignment,
    ) -> f64 {
        let Some(born) = query.birth_date else {
            return 0.0;
        };
        let entity = self.entities[name.entity as usize].entity();
        let name_parts = q
            .name
            .roles
            .iter()
            .filter(|r| **r == TokenRole::Name)
            .count();
        let [(_, list, similarity, _)] = alignment.pairs.as_slice() else {
            return 0.0;
        };
        let rare = list.len() == 1 && {
            let t = name.tokens[list.start] as usize;
            self.dict.person_doc_freq[t] <= RARE_PERSON_NAME_USES
                && self.dict.strings[t].len() >= MIN_UNIQUE_WORD_LEN
        };
        let same_day = born.day.is_some()
            && entity
                .birth_dates
                .iter()
                .any(|d| d.end.is_none() && !d.circa && d.date.day.is_some() && d.date == born);
        let applies = entity.schema == Schema::Person
            && name_parts == 1
            && alignment.query_coverage >= 1.0
            && *similarity >= MIN_CORE_SIMILARITY
            && rare
            && same_day;
        if applies {
            RARE_NAME_WITH_BIRTH_DATE_FLOOR
        } else {
            0.0
        }
    }

    fn finish(
        &self,
        query: &Query,
        q: &Prepared,
        entity: u32,
        name_idx: u32,
        name_score: f32,
        alignment: Alignment,
    ) -> Match {
        let indexed = &self.entities[entity as usize];
        let e = indexed.entity();
        let name = &self.names[name_idx as usize];
        let mut adjustments = Vec::new();
        let as_aligned = alignment.name_score(&self.params);
        match name.kind {
            NameKind::WeakAlias => adjustments.push(Adjustment {
                feature: "weak_alias",
                delta: f64::from(name_score - as_aligned),
                detail: format!(
                    "matched a weak alias (the list rates it low quality): alone it scores at most {WEAK_ALIAS_ALONE}, below the alert threshold; a matching birth date or identifier can lift it"
                ),
            }),
            NameKind::FormerName => adjustments.push(Adjustment {
                feature: "former_name",
                delta: f64::from(name_score - as_aligned),
                detail: "matched a former name (f.k.a.)".into(),
            }),
            _ => {}
        }
        if alignment.informative < MIN_INFORMATIVE_WEIGHT {
            adjustments.push(Adjustment {
                feature: "generic_only",
                delta: 0.0,
                detail: "only generic or descriptive words, initials or legal forms matched: score capped at 0.5"
                    .into(),
            });
        }
        if let Some(qd) = query.birth_date {
            if let Some(adj) = birth_date_adjustment(qd, &e.birth_dates) {
                adjustments.push(adj);
            }
        }
        if let Some(qc) = &query.country {
            if !indexed.countries.is_empty() {
                let hit = indexed.countries.iter().any(|c| c == qc);
                adjustments.push(Adjustment {
                    feature: "country",
                    delta: if hit { 0.02 } else { -0.05 },
                    detail: if hit {
                        format!("{qc} is among the entity's countries")
                    } else {
                        format!(
                            "{qc} is not among the entity's countries ({})",
                            indexed.countries.join(", ")
                        )
                    },
                });
            }
        }
        let mut identifier_floor = 0.0;
        if !query.identifiers.is_empty() {
            let hit = query
                .identifiers
                .iter()
                .map(|v| redline_model::registry::comparable(v))
                .find(|v| indexed.identifiers.contains(v));
            match hit {
                Some(v) => {
                    identifier_floor = 0.95;
                    adjustments.push(Adjustment {
                        feature: "identifier",
                        delta: 0.05,
                        detail: format!("identifier {v} is the entity's own"),
                    });
                }
                None if !indexed.identifiers.is_empty() => adjustments.push(Adjustment {
                    feature: "identifier",
                    delta: -0.05,
                    detail: "none of the query's identifiers is among the entity's".into(),
                }),
                None => {}
            }
        }
        // Only an unmistakable legal form says "company": two letters (`AG`, `SA`)
        // are as often a name particle, and a form word the alignment paired with a
        // name part (`SAK` for `SAM`) was read as a name. A company is neither a
        // person nor a vessel or an aircraft (`CHONGBONG LTD.` is not the vessel
        // `CHONG BONG`; its owner is listed as an organisation of its own).
        let company_form = (0..q.name.tokens.len())
            .filter(|&i| q.name.roles[i] == TokenRole::LegalForm)
            .filter(|&i| !alignment.pairs.iter().any(|(qr, ..)| qr.contains(&i)))
            .map(|i| q.name.tokens[i].len())
            .sum::<usize>()
            >= 3;
        if company_form && e.schema != Schema::Organization {
            adjustments.push(Adjustment {
                feature: "legal_form",
                delta: -0.2,
                detail: format!(
                    "the query names a company ({}), the entity is a {}",
                    q.name.legal_forms.join("/"),
                    e.schema.as_str().to_lowercase()
                ),
            });
        }
        if !q.name.legal_forms.is_empty() && !name.legal_forms.is_empty() {
            let same = q
                .name
                .legal_forms
                .iter()
                .any(|f| name.legal_forms.contains(f));
            // Only the same form says "the same company" a little more; the same kind
            // written as another jurisdiction's form (`LIMITED`, `B.V.`) says nothing.
            let (delta, how) = match (same, alignment.form_of_its_own) {
                (true, false) => (0.02, "the same"),
                (true, true) => (0.0, "the same kind, written as another form"),
                (false, _) => (-0.05, "different"),
            };
            adjustments.push(Adjustment {
                feature: "legal_form",
                delta,
                detail: format!(
                    "legal form {} vs {}: {how}",
                    q.name.legal_forms.join("/"),
                    name.legal_forms.join("/")
                ),
            });
        }
        // A Chinese or Korean name is two or three syllables, each a name part: a
        // listed person's syllable the query lacks (`浩 李` for `Hao Li CHEN`, `瑜 李`
        // for `LI, Cheng Yu`) makes another person, not a name with its middle name
        // left out.
        let missing_syllables = q.syllables.is_some()
            && e.schema == Schema::Person
            && alignment
                .unmatched_list
                .iter()
                .any(|&j| name.roles[j] == TokenRole::Name);
        if missing_syllables {
            adjustments.push(Adjustment {
                feature: "syllable_missing",
                delta: -MISSING_SYLLABLE_COST,
                detail: "a syllable of the listed person's name is not in the query, which writes its name a syllable a character".into(),
            });
        }
        let rare_name_floor = self.rare_name_with_birth_date(query, q, name, &alignment);
        if rare_name_floor > 0.0 {
            adjustments.push(Adjustment {
                feature: "rare_name_birth_date",
                delta: 0.0,
                detail: format!(
                    "one name part, rare among listed persons, with the exact birth date: score at least {RARE_NAME_WITH_BIRTH_DATE_FLOOR}"
                ),
            });
        }
        let delta: f64 = adjustments
            .iter()
            // Already in the name score.
            .filter(|a| !matches!(a.feature, "weak_alias" | "former_name"))
            .map(|a| a.delta)
            .sum();
        let score = ((f64::from(name_score) + delta)
            .max(identifier_floor)
            .max(rare_name_floor))
        .clamp(0.0, 1.0);
        let score = (score * 1000.0).round() / 1000.0;
        let tokens = alignment
            .pairs
            .iter()
            .map(|(qr, nr, sim, how)| TokenMatch {
                query: q.name.tokens[qr.clone()].join(" "),
                list: nr
                    .clone()
                    .map(|j| self.dict.strings[name.tokens[j] as usize].as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                how: if *how == How::Exact && (name.non_latin || q.name.non_latin) {
                    How::Transliteration
                } else {
                    *how
                },
                similarity: (f64::from(*sim) * 1000.0).round() / 1000.0,
            })
            .chain(alignment.legal_form_pair.iter().map(|(qs, ls)| {
                TokenMatch {
                    query: qs
                        .iter()
                        .map(|&i| q.name.tokens[i].as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    list: ls
                        .iter()
                        .map(|&j| self.dict.strings[name.tokens[j] as usize].as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    how: How::LegalForm,
                    similarity: 1.0,
                }
            }))
            .collect();
        let round = |x: f32| (f64::from(x) * 1000.0).round() / 1000.0;
        Match {
            entity_id: e.id.clone(),
            score,
            schema: e.schema,
            name: e.names[name.name as usize].text.clone(),
            caption: e.caption().to_string(),
            programs: e.programs.clone(),
            source: e.source,
            listings: Vec::new(),
            explanation: Explanation {
                name_kind: name.kind,
                name_score: round(name_score),
                query_coverage: round(alignment.query_coverage),
                list_coverage: round(alignment.list_coverage),
                tokens,
                unmatched_query_tokens: alignment
                    .unmatched_query
                    .iter()
                    .filter(|i| !alignment.context_words.contains(i))
                    .map(|&i| q.name.tokens[i].clone())
                    .collect(),
                list_words: {
                    let counted: Vec<(usize, f32, ListWordRole)> = (0..name.tokens.len())
                        .filter(|&j| {
                            j < alignment.excused_from || !alignment.unmatched_list.contains(&j)
                        })
                        .map(|j| {
                            let covered = !alignment.unmatched_list.contains(&j);
                            let (w, role) =
                                self.list_word(name, j, covered, alignment.core_covered);
                            (j, w, role)
                        })
                        .collect();
                    let total: f32 = counted.iter().map(|c| c.1).sum::<f32>().max(f32::EPSILON);
                    counted
                        .into_iter()
                        .map(|(j, w, role)| ListWord {
                            token: self.dict.strings[name.tokens[j] as usize].clone(),
                            share: round(w / total),
                            weighed_as: role,
                            matched: !alignment.unmatched_list.contains(&j),
                        })
                        .collect()
                },
                context_tokens: alignment
                    .context_words
                    .iter()
                    .filter_map(|&i| match q.name.roles[i] {
                        TokenRole::Context(kind) => Some(ContextToken {
                            token: q.name.tokens[i].clone(),
                            taken_as: kind.as_str(),
                        }),
                        _ => None,
                    })
                    .collect(),
                unmatched_list_tokens: alignment
                    .unmatched_list
                    .iter()
                    .map(|&j| self.dict.strings[name.tokens[j] as usize].clone())
                    .collect(),
                query_legal_forms: q.name.legal_forms.clone(),
                list_legal_forms: name.legal_forms.clone(),
                adjustments,
                readings: Vec::new(),
            },
        }
    }
}

/// Best first; equal scores in entity-id order, so results are reproducible.
fn sort_matches(matches: &mut [Match]) {
    matches.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.entity_id.cmp(&b.entity_id))
    });
}

/// Compares a query birth date with the list's: exact, same year, close, or contradicting.
fn birth_date_adjustment(query: PartialDate, list: &[DateValue]) -> Option<Adjustment> {
    if list.is_empty() {
        return None;
    }
    let exact = list.iter().any(|d| {
        d.end.is_none()
            && !d.circa
            && d.date.year == query.year
            && d.date.month.is_some()
            && d.date.month == query.month
            && (d.date.day.is_none() || d.date.day == query.day)
            && query.month.is_some()
    });
    if exact {
        return Some(Adjustment {
            feature: "birth_date",
            delta: 0.05,
            detail: format!("birth date {query} matches the list"),
        });
    }
    let listed = list
        .iter()
        .map(|d| d.raw.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    // Where both sides give the day, the year's slack for approximate dates does
    // not apply: another day in another year is another person's birthday, unless
    // it is the same date with day and month read the other way round.
    let full = |d: &DateValue| d.end.is_none() && !d.circa && d.date.day.is_some();
    if let (Some(month), Some(day)) = (query.month, query.day) {
        if list.iter().all(full) {
            let swapped = list.iter().any(|d| {
                d.date.year == query.year && d.date.month == Some(day) && d.date.day == Some(month)
            });
            let same_year = list.iter().any(|d| d.date.year == query.year);
            if !swapped && !same_year {
                return Some(Adjustment {
                    feature: "birth_date",
                    delta: BIRTH_DATE_CONTRADICTS,
                    detail: format!("birth date {query} contradicts the list ({listed})"),
                });
            }
        }
    }
    let within = |slack: i32| {
        list.iter().any(|d| {
            let (lo, hi) = d.year_span();
            query.year >= lo - slack && query.year <= hi + slack
        })
    };
    Some(if within(0) {
        Adjustment {
            feature: "birth_date",
            delta: 0.02,
            detail: format!("birth year {} matches the list ({listed})", query.year),
        }
    } else if within(1) {
        Adjustment {
            feature: "birth_date",
            delta: 0.0,
            detail: format!(
                "birth year {} is within a year of the list ({listed})",
                query.year
            ),
        }
    } else {
        Adjustment {
            feature: "birth_date",
            delta: BIRTH_DATE_CONTRADICTS,
            detail: format!("birth date {query} contradicts the list ({listed})"),
        }
    })
}

/// What a birth date that contradicts every one the list gives costs.
const BIRTH_DATE_CONTRADICTS: f64 = -0.15;
