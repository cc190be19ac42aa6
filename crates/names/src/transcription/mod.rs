//! Names as other languages write them, read back to the Latin spelling the lists use.
//!
//! A bank in Tokyo, Seoul, Shanghai or Tel Aviv keeps a Russian or Venezuelan
//! name the way its own language writes it — by sound: `ウラジーミル・プーチン`,
//! `블라디미르 푸틴`, `弗拉基米尔·普京`, `ולדימיר פוטין`. Transliterating those letters
//! one by one ([`crate::to_latin`]) gives `urajimiru puchin` or `fu la ji mi er pu
//! jing`, far from `VLADIMIR PUTIN`. [`foreign_reading`] reads such a name word by
//! word, in this order:
//!
//! 1. **the person-name dictionary** ([`dictionary_spellings`]): Wikidata's given and
//!    family names with their spellings in every script, through rigour — the
//!    conventional transcriptions no rule gives back (`弗拉基米尔` = Vladimir);
//! 2. **the script's transcription rules**: katakana ([`read_kana`]), hangul
//!    ([`read_hangul`]), Hebrew ([`read_hebrew`]), Chinese characters used for their
//!    sound ([`read_han_sounds`]), and for every other script its letter-by-letter
//!    reading ([`crate::to_latin`]).
//!
//! A reading by rules is close to the original spelling but not the same: the
//! vowels a language adds or leaves out (`mironofu`, `mlnv`), `r` for `l`, `p` for
//! `f`, `ch` for `t`. [`transcription_key`] folds exactly those differences away;
//! the matching engine looks list tokens up by that key for words read by rules,
//! scores them by [`sound_similarity`], and says in its explanation which reading
//! produced a match.
//!
//! Two more readings of a whole name: a Korean name in Chinese characters read the
//! Korean way ([`korean_reading_of_han`]: `金正恩` → 김정은), and a name written twice,
//! in Latin letters and in another script, split into its two parts
//! ([`script_parts`]).

mod dictionary;
mod han_korean;
mod hangul;
mod hebrew;
mod kana;

pub use dictionary::{dictionary_spellings, latin_names};
pub use han_korean::korean_reading_of_han;
pub use hangul::read_hangul;
pub use hebrew::read_hebrew;
pub use kana::read_kana;

use crate::script::{classify, CharClass};
use serde::Serialize;

/// How a word was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadingKind {
    /// A given or family name found in the person-name dictionary.
    PersonNameDictionary,
    /// Katakana or hiragana, by the loanword conventions.
    Katakana,
    /// Hangul, as a transcribed foreign name.
    Hangul,
    /// Hebrew, with its vowel letters.
    Hebrew,
    /// Chinese characters read for their sound (foreign-name transcription).
    ChineseTranscription,
    /// A Korean name in Chinese characters (hanja), read the Korean way.
    KoreanReadingOfHan,
    /// A script that writes a foreign name by its own sounds (Tamil, the scripts of
    /// South-East Asia, Tibetan, Ethiopic), letter by letter: one letter for voiced
    /// and unvoiced (`விளாதிமிர்`, Vladimir in Tamil), so the reading is compared by
    /// sound.
    SyllabaryLetters,
    /// Any other script, letter by letter.
    Letters,
}

impl ReadingKind {
    /// Whether the reading approximates the original spelling, so that list tokens
    /// are also looked up by [`transcription_key`]. A dictionary spelling is the
    /// original spelling; a script that writes every vowel and consonant
    /// (Georgian, Armenian, Greek, the Indic scripts) reads letter by letter close
    /// enough for the ordinary look-ups, and its vowels are worth keeping. Arabic
    /// script, which leaves short vowels out, has its own look-up by the letters it
    /// writes (the matcher's abjad key); a key blind to vowels on top of that would
    /// make `ظفری` (Zafari) `SAFARI`.
    pub fn by_sound(self) -> bool {
        !matches!(
            self,
            ReadingKind::PersonNameDictionary
                | ReadingKind::Letters
                | ReadingKind::KoreanReadingOfHan
        )
    }

    /// How an explanation names the reading.
    pub fn label(self) -> &'static str {
        match self {
            ReadingKind::PersonNameDictionary => "person-name dictionary",
            ReadingKind::Katakana => "katakana reading",
            ReadingKind::Hangul => "hangul reading",
            ReadingKind::Hebrew => "Hebrew reading",
            ReadingKind::ChineseTranscription => "Chinese transcription",
            ReadingKind::KoreanReadingOfHan => "Korean reading of Han",
            ReadingKind::SyllabaryLetters => "letter-by-letter reading, by sound",
            ReadingKind::Letters => "letter-by-letter reading",
        }
    }
}

/// One word of a foreign name and how it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordReading {
    /// The word as written.
    pub written: String,
    /// Its Latin spellings, lower-case ASCII (letters; the Korean reading of a whole
    /// name has its syllables apart); the first stands for the word
    /// in [`ForeignReading::text`].
    pub spellings: Vec<String>,
    pub by: ReadingKind,
    /// Whether the first spelling may also meet list spellings near it, not only
    /// the same: a reading by rules always; a dictionary word if its first spelling
    /// has five letters or more (shorter ones have too many neighbours) and it is not
    /// in Arabic script, whose own look-up already meets the spellings near its
    /// letters and where a near spelling is often another name (`محمدی` Mohammadi,
    /// one letter from Mohammad).
    #[serde(skip)]
    pub loose: bool,
}

/// A dictionary spelling shorter than this is taken only where the lists write it
/// exactly (see [`WordReading::loose`]).
const MIN_LOOSE_DICTIONARY_SPELLING: usize = 5;

/// A name read word by word into Latin spellings (see [`foreign_reading`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignReading {
    /// One token per word: each foreign word's first spelling, Latin words as
    /// [`crate::to_latin`] writes them.
    pub text: String,
    /// The foreign words, in order.
    pub words: Vec<WordReading>,
}

/// At most this many spellings per word.
const MAX_SPELLINGS: usize = 8;

/// Reads the words of `text` written in scripts other than Latin (see the module
/// documentation). `None` when there is nothing to read: a Latin name, or one in
/// Cyrillic, Greek or Arabic script with no word in the dictionary, which
/// [`crate::to_latin`] and [`crate::word_readings`] already read.
///
/// ```
/// use redline_names::transcription::{foreign_reading, ReadingKind};
/// let r = foreign_reading("ウラジーミル・プーチン").unwrap();
/// assert_eq!(r.text, "uladzimir puchin");
/// assert!(r.words[0].spellings.contains(&"vladimir".to_string()));
/// assert_eq!(r.words[0].by, ReadingKind::PersonNameDictionary);
/// assert_eq!(r.words[1].by, ReadingKind::Katakana);
/// assert!(foreign_reading("Vladimir Putin").is_none());
/// ```
pub fn foreign_reading(text: &str) -> Option<ForeignReading> {
    if text.is_ascii() {
        return None;
    }
    let norm = crate::normalize(text);
    // A Chinese or Korean word of one or two characters or syllables is a surname
    // or given name of those languages, read well one by one by `to_latin`, unless
    // the name's parts are separated by a foreign name's dot (`弗拉基米尔·普京`).
    // Reading such a word as a transcription would give every common Chinese or
    // Korean given name the spellings of its other languages (`성훈` as `song hun`),
    // and with them the listed persons who share one syllable.
    let transcription_dots = norm.contains(['·', '・', '•', '‧', '=']);
    // Japanese writes its own words in kanji beside a katakana name (`バリー将軍`,
    // General Barry; `ヤンタール造船所`, Yantar shipyard): those are no transcription.
    let japanese = norm.chars().any(kana::is_kana);
    let mut tokens: Vec<String> = Vec::new();
    let mut words: Vec<WordReading> = Vec::new();
    let mut worth_reading = false;
    let written = norm
        .split(|c: char| !is_word_char(c))
        .flat_map(script_runs)
        .filter(|w| !w.is_empty());
    for word in written {
        let Some(class) = word
            .chars()
            .map(classify)
            .find(|c| !matches!(c, CharClass::Mark | CharClass::NonLetter))
        else {
            tokens.extend(crate::tokens(word));
            continue;
        };
        if class == CharClass::Latin {
            tokens.extend(crate::tokens(word));
            continue;
        }
        let east_asian = matches!(class, CharClass::Han | CharClass::Hangul);
        let short = !transcription_dots && word.chars().count() <= 2;
        if east_asian && short || class == CharClass::Han && japanese {
            tokens.extend(crate::tokens(word));
            continue;
        }
        let reading = read_word(word, class, transcription_dots);
        let Some(first) = reading.spellings.first() else {
            tokens.extend(crate::tokens(word));
            continue;
        };
        worth_reading |= reading.by == ReadingKind::PersonNameDictionary
            || !matches!(
                class,
                CharClass::Cyrillic | CharClass::Greek | CharClass::Arabic
            );
        tokens.push(first.clone());
        words.push(reading);
    }
    (worth_reading && !words.is_empty()).then(|| ForeignReading {
        text: tokens.join(" "),
        words,
    })
}

/// A name written twice, in Latin letters and in another script (`ムアタシム・カダフィ
/// （Mutassim Qadhafi）`, `جمال حسين حسن زينيه Hussein Hassan Zeiniye`): its Latin
/// words and its other words, each a name of its own, so that each can be screened
/// alone rather than diluted by the other. `None` unless both have two name words
/// or more: a name with a legal form or a firm's words (`אבו עראר and Sons`) or one
/// foreign word is one name.
///
/// ```
/// use redline_names::transcription::script_parts;
/// let parts = script_parts("ムアタシム・カダフィ（Mutassim Qadhafi）").unwrap();
/// assert_eq!(parts, ["Mutassim Qadhafi".to_string(), "ムアタシム カダフィ".to_string()]);
/// assert!(script_parts("ბაქრაძე PLC").is_none());
/// ```
pub fn script_parts(text: &str) -> Option<[String; 2]> {
    if text.is_ascii() {
        return None;
    }
    let mut latin: Vec<&str> = Vec::new();
    let mut other: Vec<&str> = Vec::new();
    for word in text
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
    {
        match word
            .chars()
            .map(classify)
            .find(|c| !matches!(c, CharClass::Mark | CharClass::NonLetter))
        {
            Some(CharClass::Latin) => latin.push(word),
            Some(_) => other.push(word),
            None => {}
        }
    }
    let [latin, other] = [latin.join(" "), other.join(" ")];
    (name_words(&latin) >= 2 && name_words(&other) >= 2).then_some([latin, other])
}

/// How many words of `text` may be name words: not a legal form, a word that
/// describes an organisation (`Group`, `Sons`) or a connective.
fn name_words(text: &str) -> usize {
    let tokens = crate::tokens(text);
    let mut descriptive = vec![false; tokens.len()];
    let spans = crate::legal_form_spans(&tokens)
        .into_iter()
        .map(|s| (s.start, s.end))
        .chain(
            crate::company_words::company_word_spans(&tokens)
                .into_iter()
                .map(|s| (s.start, s.end)),
        );
    for (start, end) in spans {
        descriptive[start..end].iter_mut().for_each(|d| *d = true);
    }
    tokens
        .iter()
        .zip(descriptive)
        .filter(|(t, d)| !d && !CONNECTIVES.contains(&t.as_str()))
        .count()
}

/// Words that join the names of a firm (`Smith and Sons`).
const CONNECTIVES: [&str; 6] = ["and", "und", "et", "y", "the", "of"];

/// A word split where it passes between kana and Chinese characters: Japanese
/// writes a foreign name in katakana and the word for what it is in kanji, in one
/// run (`ヤンタール造船所`, Yantar shipyard).
fn script_runs(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut last_kana: Option<bool> = None;
    for (i, c) in word.char_indices() {
        let kana = kana::is_kana(c);
        if !kana && classify(c) != CharClass::Han {
            continue;
        }
        if last_kana.is_some_and(|k| k != kana) {
            out.push(&word[start..i]);
            start = i;
        }
        last_kana = Some(kana);
    }
    out.push(&word[start..]);
    out
}

/// Letters, combining marks and the apostrophe-like marks that modify a letter
/// (the Hebrew geresh); everything else — spaces, `·` `・` `=` `-`, brackets —
/// separates words.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(classify(c), CharClass::Mark)
        || matches!(c, '\'' | '׳' | '’' | 'ʼ' | '`')
}

fn read_word(word: &str, class: CharClass, transcription_dots: bool) -> WordReading {
    let by_rule = rule_reading(word, class, transcription_dots);
    let mut found = dictionary_spellings(word);
    if !found.is_empty() {
        // The spelling nearest the word's own letters first: it alone is also looked
        // up among near spellings (`василев` → `vasilev`, not `wassilew`).
        if let Some((own, _)) = &by_rule {
            let nearest = (0..found.len()).max_by(|&i, &j| {
                let (a, b) = (
                    sound_similarity(own, &found[i]),
                    sound_similarity(own, &found[j]),
                );
                // Ties to the commoner (earlier) spelling.
                a.total_cmp(&b).then(j.cmp(&i))
            });
            if let Some(i) = nearest {
                found[..=i].rotate_right(1);
            }
        }
        let loose = class != CharClass::Arabic && found[0].len() >= MIN_LOOSE_DICTIONARY_SPELLING;
        return WordReading {
            written: word.to_string(),
            spellings: found,
            by: ReadingKind::PersonNameDictionary,
            loose,
        };
    }
    let Some((reading, by)) = by_rule else {
        return WordReading {
            written: word.to_string(),
            spellings: Vec::new(),
            by: ReadingKind::Letters,
            loose: true,
        };
    };
    let mut spellings = vec![reading];
    for variant in sound_variants(&spellings[0], by) {
        if !spellings.contains(&variant) {
            spellings.push(variant);
        }
    }
    spellings.retain(|s| !s.is_empty());
    spellings.truncate(MAX_SPELLINGS);
    WordReading {
        written: word.to_string(),
        spellings,
        by,
        loose: true,
    }
}

/// A word's reading by its script's rules, if it has one: Chinese characters
/// without a foreign name's dots are a Chinese or Japanese name or word
/// (`七喜科技有限公司`), read by `to_latin` alone.
fn rule_reading(
    word: &str,
    class: CharClass,
    transcription_dots: bool,
) -> Option<(String, ReadingKind)> {
    let first = word.chars().find(|c| c.is_alphabetic()).unwrap_or(' ');
    Some(if kana::is_kana(first) {
        (read_kana(word), ReadingKind::Katakana)
    } else if hangul::is_hangul_syllable(first) {
        (read_hangul(word), ReadingKind::Hangul)
    } else if ('\u{05D0}'..='\u{05EA}').contains(&first) {
        (read_hebrew(word), ReadingKind::Hebrew)
    } else if class == CharClass::Han {
        if !transcription_dots {
            return None;
        }
        (read_han_sounds(word), ReadingKind::ChineseTranscription)
    } else {
        let letters = crate::to_latin(word)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let by = if reads_foreign_names_by_sound(first) {
            ReadingKind::SyllabaryLetters
        } else {
            ReadingKind::Letters
        };
        (letters, by)
    })
}

/// Whether `c` is of a script that writes foreign names by its own sounds rather
/// than letter for letter — Tamil (one letter for `t` and `d`), the scripts of
/// South-East Asia, Tibetan and Ethiopic. Devanagari and the other scripts of North
/// India write voicing and vowels as Latin does, and are compared letter by letter.
fn reads_foreign_names_by_sound(c: char) -> bool {
    use unicode_script::{Script, UnicodeScript};
    matches!(
        c.script(),
        Script::Tamil
            | Script::Thai
            | Script::Lao
            | Script::Khmer
            | Script::Myanmar
            | Script::Tibetan
            | Script::Ethiopic
    )
}

/// Other spellings a transcription may stand for, where the language merges two
/// sounds the key keeps apart: Japanese and Chinese write `ti`/`di` as `chi`/`ji`
/// (`プーチン` Putin, `ウラジーミル` Vladimir, `弗拉基米尔`), Chinese `ga`/`gi` as
/// `jia`/`ji`, Hebrew the `s` of Arabic names `ts`, Japanese begins `Vl-` with `ウ`
/// (`ウラジーミル`) and writes `hu` as `fu`.
fn sound_variants(reading: &str, by: ReadingKind) -> Vec<String> {
    let mut out = Vec::new();
    if matches!(
        by,
        ReadingKind::Katakana | ReadingKind::ChineseTranscription
    ) {
        let softened = reading.replace("chi", "ti").replace("ji", "di");
        if softened != reading {
            out.push(softened);
        }
    }
    // Hebrew writes the emphatic `s` of Arabic names (`ص`) with its `צ` (`ts`):
    // `צאלח` is Salih.
    if by == ReadingKind::Hebrew && reading.contains("ts") {
        out.push(reading.replace("ts", "s"));
    }
    // Chinese writes `ga`/`ka` and `gi`/`ki` with the characters read `jia` and
    // `ji` (`加塞米` Qasemi, `基辅` Kyiv): pinyin's `j` before `i` is a `g` there.
    if by == ReadingKind::ChineseTranscription && reading.contains("ji") {
        out.push(reading.replace("jia", "ga").replace("ji", "gi"));
    }
    if by == ReadingKind::Katakana {
        let b = reading.as_bytes();
        if b.len() > 2 && b[0] == b'u' && !is_vowel(b[1]) {
            out.push(format!("v{}", &reading[1..]));
        }
        // `フ` is also how Japanese writes `h` and `kh` before `u` (`アフンド`
        // Akhund, `バルフーム` Barhum).
        let base: Vec<String> = std::iter::once(reading.to_string())
            .chain(out.iter().cloned())
            .collect();
        for spelling in base.iter().filter(|s| s.contains('f')) {
            out.push(spelling.replace('f', "h"));
        }
    }
    out
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// The reading of Chinese characters used for their sound, as Chinese writes
/// foreign names (the Xinhua conventions): the pinyin of each character, joined,
/// with the syllables that stand for a lone consonant reduced to it (`斯` `si` → `s`,
/// `特` `te` → `t`, `克` `ke` → `k`, `德` `de` → `d`, `格` `ge` → `g`, `尔` `er` → `r`,
/// `兹` `zi` → `z`) and the vowels written `uo`, `ao`, `ei`, `ou` as plain `o`/`e`.
///
/// ```
/// use redline_names::transcription::read_han_sounds;
/// assert_eq!(read_han_sounds("特雷维尼奥"), "tlewenio");
/// assert_eq!(read_han_sounds("拉米雷斯"), "lamiles");
/// ```
pub fn read_han_sounds(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(chars.len() * 3);
    for (i, _) in chars.iter().enumerate() {
        let Some(syllable) = crate::translit::pinyin_at(&chars, i) else {
            continue;
        };
        let consonant = match syllable {
            "si" => Some("s"),
            "te" => Some("t"),
            "ke" => Some("k"),
            "de" => Some("d"),
            "ge" => Some("g"),
            "er" if i > 0 => Some("r"),
            "zi" => Some("z"),
            "ci" => Some("ts"),
            _ => None,
        };
        if let Some(c) = consonant {
            out.push_str(c);
            continue;
        }
        let folded = syllable
            .replace("uo", "o")
            .replace("ao", "o")
            .replace("ou", "o")
            .replace("ei", "e")
            .replace('x', "s")
            .replace('q', "ch");
        out.push_str(&folded);
    }
    out
}

/// A key that two spellings of one name share across transcriptions: the
/// consonants, each folded into its class — labials `p b f v w`, dentals `t d th
/// dh`, sibilants and affricates `s z c ch sh zh j ts`, velars `k g q c gh`,
/// liquids `r l`, `m`, `n` — with vowels, `h`, `kh` and `y` dropped and a repeated class
/// written once. `putin` and `puchin`'s variant `putin`, `milonov` and `milonop`,
/// `ramirez` and `lamiles` share their keys.
///
/// ```
/// use redline_names::transcription::transcription_key;
/// assert_eq!(transcription_key("milonov"), transcription_key("mironofu"));
/// assert_eq!(transcription_key("ramirez"), transcription_key("lamiles"));
/// assert_ne!(transcription_key("putin"), transcription_key("petrov"));
/// ```
pub fn transcription_key(token: &str) -> String {
    key_with(token, None)
}

/// The keys a listed spelling is found under: its [`transcription_key`], and, when
/// it writes `kh`, the key with `kh` as `k` too — Russian `х` and Arabic `خ` are `h`
/// to Japanese, Korean and Chinese (`アフンド` Akhund) but `k` to Hebrew (`זכארובה`
/// Zakharova).
///
/// ```
/// use redline_names::transcription::{listed_keys, transcription_key};
/// assert!(listed_keys("zakharova").contains(&transcription_key("zkaroba")));
/// assert!(listed_keys("akhund").contains(&transcription_key("ahundo")));
/// ```
pub fn listed_keys(token: &str) -> Vec<String> {
    let mut keys = vec![transcription_key(token)];
    if token.contains("kh") {
        keys.push(key_with(token, Some('K')));
    }
    keys
}

/// The key, with `kh` read as class `kh` (none: as `h`).
fn key_with(token: &str, kh: Option<char>) -> String {
    let b = token.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let (mut classes, used) = class_at(b, i);
        if b[i] == b'k' && used == 2 {
            classes = [kh, None];
        }
        for class in classes.iter().flatten() {
            if !out.ends_with(*class) {
                out.push(*class);
            }
        }
        i += used;
    }
    out
}

/// The consonant classes (at most two: `x` is `K` `S`) of the sound at `b[i]`, and
/// how many bytes it takes.
fn class_at(b: &[u8], i: usize) -> ([Option<char>; 2], usize) {
    let next = b.get(i + 1).copied();
    let one = |class: char, used: usize| ([Some(class), None], used);
    match b[i] {
        b'p' | b'b' | b'f' | b'v' | b'w' => one('P', 1),
        b't' | b'd' if next == Some(b'h') => one('T', 2),
        b't' | b'd' if matches!(next, Some(b's' | b'z')) => one('S', 2),
        b't' | b'd' => one('T', 1),
        b'c' | b's' | b'z' if next == Some(b'h') => one('S', 2),
        b'c' if matches!(next, Some(b'e' | b'i' | b'y')) => one('S', 1),
        // `kh` is an `h` to Japanese, Hebrew and Chinese (`アフンド` Akhund).
        b'k' if next == Some(b'h') => ([None, None], 2),
        b'c' | b'k' | b'g' | b'q' => one('K', if next == Some(b'h') { 2 } else { 1 }),
        b's' | b'z' | b'j' => one('S', 1),
        b'x' => ([Some('K'), Some('S')], 1),
        b'l' | b'r' => one('R', 1),
        b'm' => one('M', 1),
        b'n' => one('N', if next == Some(b'g') { 2 } else { 1 }),
        _ => ([None, None], 1),
    }
}

/// The one consonant class of a sound ([`sounds`]), if it has one.
fn sound_class(sound: &str) -> Option<char> {
    let b = sound.as_bytes();
    match class_at(b, 0) {
        ([Some(class), None], used) if used == b.len() => Some(class),
        _ => None,
    }
}

/// How alike a reading by sound and a list spelling are, in (0, 1]: one minus the
/// cheapest way to turn one into the other, per sound. Vowels come and go cheaply
/// (the vowels a transcription adds or leaves out: `mironofu`, `mlnv`), a vowel
/// for another costs little, a consonant for another of its
/// [`transcription_key`] class a little more (`r`/`l` least, then `f`/`v`,
/// `p`/`b`, `k`/`g`, `s`/`z`, `t`/`d`), anything else as much as a whole sound.
/// Digraphs (`sh`, `ch`, `kh`, `ts` …) are one sound.
///
/// ```
/// use redline_names::transcription::sound_similarity;
/// assert!(sound_similarity("mironofu", "milonov") > 0.9);
/// assert!(sound_similarity("grigoriani", "krakern") < 0.9);
/// ```
pub fn sound_similarity(a: &str, b: &str) -> f32 {
    let a = sounds(a);
    let b = sounds(b);
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 0.0;
    }
    // Edit distance over sounds, two rows.
    let mut prev: Vec<f32> = Vec::with_capacity(b.len() + 1);
    prev.push(0.0);
    for (j, s) in b.iter().enumerate() {
        prev.push(prev[j] + indel(s));
    }
    let mut cur = vec![0.0f32; b.len() + 1];
    for x in &a {
        cur[0] = prev[0] + indel(x);
        for (j, y) in b.iter().enumerate() {
            let substitute = prev[j] + substitution(x, y);
            let delete = prev[j + 1] + indel(x);
            let insert = cur[j] + indel(y);
            cur[j + 1] = substitute.min(delete).min(insert);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (1.0 - prev[b.len()] / longest as f32).max(0.0)
}

/// The sounds of a lower-case ASCII spelling: digraphs as one.
fn sounds(s: &str) -> Vec<&str> {
    const DIGRAPHS: [&str; 10] = ["sh", "ch", "zh", "kh", "gh", "th", "dh", "ts", "ph", "ng"];
    let mut out: Vec<&str> = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let two = s.get(i..i + 2).filter(|d| DIGRAPHS.contains(d));
        let len = two.map_or(1, str::len);
        let sound = &s[i..i + len];
        // A doubled letter is one sound (`gaddafi`, `カッザーフィー` `kazzafi`).
        if out.last() != Some(&sound) {
            out.push(sound);
        }
        i += len;
    }
    out
}

fn is_vowel_sound(s: &str) -> bool {
    matches!(s, "a" | "e" | "i" | "o" | "u" | "y")
}

fn indel(s: &str) -> f32 {
    if is_vowel_sound(s) {
        0.15
    } else if s == "h" || s == "kh" {
        0.25
    } else {
        0.7
    }
}

fn substitution(x: &str, y: &str) -> f32 {
    if x == y {
        return 0.0;
    }
    if is_vowel_sound(x) && is_vowel_sound(y) {
        return 0.1;
    }
    let pair = |p: &str, q: &str| (x == p && y == q) || (x == q && y == p);
    if pair("r", "l") || pair("w", "v") || pair("kh", "h") || pair("kh", "k") || pair("ng", "n") {
        return 0.1;
    }
    if pair("f", "v") || pair("b", "v") || pair("s", "z") || pair("ph", "f") {
        return 0.15;
    }
    match sound_class(x) {
        Some(class) if sound_class(y) == Some(class) => 0.25,
        _ => 1.0,
    }
}

pub(crate) fn warm_up() {
    dictionary::warm_up();
    han_korean::warm_up();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(text: &str) -> String {
        foreign_reading(text).map(|r| r.text).unwrap_or_default()
    }

    #[test]
    fn foreign_names_read_word_by_word() {
        // Real Wikidata labels of listed persons (multilingual benchmark).
        assert_eq!(reading("ヴィターリー・ミロノフ"), "vitari mironofu");
        assert_eq!(reading("비탈리 밀로노프"), "vitali milonop");
        assert_eq!(reading("ויטלי מילונוב"), "vitali milonov");
        assert_eq!(
            reading("马里奥·拉米雷斯·特雷维尼奥"),
            "mario ramirez trevino"
        );
        // The dictionary spelling nearest the characters' sounds stands first.
        assert_eq!(reading("弗拉基米尔·普京"), "vladzimir pujing");
        // Two Chinese characters without a foreign name's dot are a Chinese name.
        assert_eq!(reading("普京"), "");
        assert_eq!(reading("成 朱"), "");
        // Hebrew `צ` is the `s` of an Arabic name (`צאלח`, Salih).
        let salih = foreign_reading("חסן צאלח").unwrap();
        assert!(
            salih.words[1].spellings.iter().any(|s| s == "salh"),
            "{salih:?}"
        );
        // `加` jia writes `ga`/`ka` (QASEMI, Rostam).
        let qasemi = foreign_reading("羅斯塔姆·加塞米").unwrap();
        assert!(qasemi.words[1]
            .spellings
            .iter()
            .any(|s| s.starts_with("ga")));
        // Latin words in a mixed name stay as they are.
        assert_eq!(
            reading("ムアタシム・カダフィ（Mutassim Qadhafi）"),
            "muatashimu kadafi mutassim qadhafi"
        );
    }

    #[test]
    fn cyrillic_greek_and_arabic_are_read_only_through_the_dictionary() {
        assert!(foreign_reading("Путин").is_none());
        let r = foreign_reading("Владимир Путин").unwrap();
        assert_eq!(r.words[0].by, ReadingKind::PersonNameDictionary);
        assert_eq!(r.words[1].by, ReadingKind::Letters);
    }

    #[test]
    fn transcription_keys_merge_what_transcriptions_cannot_tell_apart() {
        let key = transcription_key;
        assert_eq!(key("putin"), "PTN");
        assert_eq!(key("puchin"), "PSN");
        assert_eq!(key("kuznetsov"), key("kuzunetsofu"));
        assert_eq!(key("akhund"), key("ahundo"));
        assert_eq!(key("vladimir"), key("bladimir"));
        assert_eq!(key("trevino"), key("tlewenio"));
    }
}
