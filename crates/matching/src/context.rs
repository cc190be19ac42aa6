//! Words around the name in a query: which of its tokens stand beside the name rather
//! than in it.
//!
//! Real name fields carry more than a name: `BANCO NACIONAL DE CUBA HAVANA`, `Ivanov
//! Petr (Director)`, `c/o Tosong Technology Trading Corporation`, `… Str. 1, Moscow`.
//! An unmatched query word normally weighs at least as much as a rare name part,
//! because a word the list name lacks is evidence of another party; these words are
//! not, so a query's tokens are marked [`TokenRole::Context`] where they are:
//!
//! - **at the name's edge**: a run of such words at the end of the query (places,
//!   offices, organisation roles, address fragments and numbers) or at its start
//!   (care-of markers and offices). A place word between two name parts (`Maria
//!   Jordan Lopez`) is a name part;
//! - **of a known kind**: a phrase of [`redline_names::context`] (offices, roles,
//!   address and street words, place words, cities), a country in any language
//!   ([`redline_model::countries::is_country_words`]), or a place the loaded lists themselves name (birth
//!   places, address cities and regions: `Qatif-Bab Shamal`, `Pec`), so the villages
//!   and districts of the listed are known without a gazetteer of every village;
//! - **not a name word**: a one-word place that a listed person's name uses
//!   (`Vladimir`, `Jordan`, `Orlova`) or that organisation names use as a generic word
//!   (`Federal`, `Global`) is left a name part;
//! - **beside a name**: at least one name token is always left;
//! - **in an alphabet**: a query in Han, kana, Hangul or an Indic script is romanised a
//!   syllable a token, and no syllable is taken for a place.
//!
//! The scorer then charges each unmatched context word little, and all of them
//! together no more than a stray initial (see `score.rs`); a context word that does
//! match a list token is a match like any other.

use redline_model::Entity;
use redline_names::context::{context_at, ContextKind};

use crate::analyze::{AnalyzedName, TokenRole, FUNCTION_WORDS};
use crate::index::FxSet;

/// The longest place phrase, in tokens, looked for.
const MAX_PLACE_TOKENS: usize = 4;
/// A country or list place must have this many letters: two-letter codes (`US`, `IR`)
/// are as often initials.
const MIN_PLACE_LETTERS: usize = 3;
/// A street's own name is at most this many words (`ul. Bolshaya Ordynka 12`).
const MAX_STREET_NAME_TOKENS: usize = 2;

/// The places the loaded lists name, as token phrases (`qatif bab shamal`, `pec`):
/// recomputed with every index, so the same list versions know the same places.
#[derive(Default, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct ListPlaces {
    phrases: FxSet<String>,
    /// The last token of each phrase.
    last_words: FxSet<String>,
}

impl ListPlaces {
    pub(crate) fn add_entity(&mut self, entity: &Entity) {
        let fields = entity.birth_places.iter().chain(
            entity
                .addresses
                .iter()
                .flat_map(|a| [&a.city, &a.region, &a.country])
                .flatten(),
        );
        for field in fields {
            for part in field.split([',', ';', '/', '(', ')']) {
                let tokens = redline_names::tokens(part);
                if (1..=MAX_PLACE_TOKENS).contains(&tokens.len()) {
                    if let Some(last) = tokens.last() {
                        self.last_words.insert(last.clone());
                    }
                    self.phrases.insert(tokens.join(" "));
                }
            }
        }
    }

    fn contains(&self, phrase: &str) -> bool {
        self.phrases.contains(phrase)
    }

    /// Is this one word a place the lists name (`pec`, `homs`)?
    pub(crate) fn is_place_word(&self, word: &str) -> bool {
        self.phrases.contains(word)
    }

    fn may_end_phrase(&self, word: &str) -> bool {
        self.last_words.contains(word)
    }
}

/// Marks the words around the name in a query (see the module doc). `person_uses`
/// tells in how many listed persons' names a token stands.
pub(crate) fn mark(
    text: &str,
    name: &mut AnalyzedName,
    places: &ListPlaces,
    person_uses: impl Fn(&str) -> u32,
) {
    let n = name.tokens.len();
    // Han, kana, Hangul and the Indic and South-East Asian scripts are romanised a
    // syllable a token: `玉美 李` is `yu mei li`, whose `mei` is no place.
    if n < 2 || text.chars().any(redline_names::romanised_by_syllable) {
        return;
    }
    // Most names have no words around them: a query that neither ends nor begins
    // the way such words do is left as it is, at the cost of a few look-ups.
    // A last word that listed persons' names use (`Smith`, `Jackson`, which are towns
    // too) ends a place only as part of a longer name, which is rare enough to leave.
    let ends = |token: &str| {
        house_number(token)
            || token.len() == 1
            || FUNCTION_WORDS.contains(&token)
            || redline_names::context::may_end_phrase(token)
            || person_uses(token) == 0
                && (redline_names::context::may_end_city(token)
                    || places.may_end_phrase(token)
                    || redline_model::countries::may_end_country_words(token))
            || person_uses(token) < COUNTRY_AS_NAME_USES
                && redline_model::countries::is_country_words(token)
    };
    let last = &name.tokens[n - 1];
    let city_of_words = |k: usize| n > k && redline_names::context::is_city(&name.tokens[n - k..]);
    let may_end = ends(last)
        || last.contains("ks") && ends(&last.replace("ks", "x"))
        || city_of_words(2)
        || city_of_words(3);
    let may_begin = name.tokens[0].len() == 1
        || context_at(&name.tokens, 0)
            .is_some_and(|(_, k)| matches!(k, ContextKind::CareOf | ContextKind::Office));
    if !may_end && !may_begin {
        return;
    }
    let Classified {
        mut kinds,
        in_phrase,
    } = classify(&name.tokens, &name.roles, places, &person_uses);
    // A word hyphenated to a name part is part of that name (`ISIS-WEST`).
    for i in 1..n {
        if name.hyphen_after.get(i - 1) == Some(&true) && kinds[i - 1].is_none() {
            kinds[i] = None;
        }
    }
    // A legal-form abbreviation inside a place's name (`SAD` of `Novi Sad`) is the place's.
    let open = |i: usize| match name.roles[i] {
        TokenRole::Name | TokenRole::Generic => true,
        TokenRole::LegalForm => in_phrase[i],
        _ => false,
    };
    let joiner =
        |i: usize| name.tokens[i].len() == 1 || FUNCTION_WORDS.contains(&name.tokens[i].as_str());
    // The run at the end: places, offices, roles, addresses, and the joiners between.
    let mut end_run = n;
    while end_run > 0 && open(end_run - 1) && (kinds[end_run - 1].is_some() || joiner(end_run - 1))
    {
        end_run -= 1;
    }
    while end_run < n && kinds[end_run].is_none() {
        end_run += 1;
    }
    // The run at the start: care-of markers and offices (`c/o`, `President`), which
    // begin it (`F. GENERAL TRADING` begins with an initial, not an office).
    let leading =
        |k: Option<ContextKind>| matches!(k, Some(ContextKind::CareOf | ContextKind::Office));
    let mut start_run = 0;
    if leading(kinds[0]) {
        while start_run < end_run
            && open(start_run)
            && (leading(kinds[start_run]) || joiner(start_run))
        {
            start_run += 1;
        }
    }
    while start_run > 0 && kinds[start_run - 1].is_none() {
        start_run -= 1;
    }
    // A name is always left beside the words around it.
    let name_left =
        (start_run..end_run).any(|i| matches!(name.roles[i], TokenRole::Name | TokenRole::Generic));
    if !name_left {
        return;
    }
    let marked: Vec<(usize, ContextKind)> = (0..start_run)
        .chain(end_run..n)
        .filter(|&i| open(i))
        .filter_map(|i| Some((i, kinds[i].or_else(|| nearest_kind(&kinds, i))?)))
        .collect();
    for (i, kind) in marked {
        name.roles[i] = TokenRole::Context(kind);
    }
    name.context_set_apart = end_run < n && name.set_apart.get(end_run) == Some(&true);
}

/// A number as addresses write them: digits, perhaps with one letter (`12`, `1124`,
/// `12a`); `924TH` and `2ND` are names' ordinals.
fn house_number(token: &str) -> bool {
    let letters = token.bytes().filter(u8::is_ascii_alphabetic).count();
    token.bytes().next().is_some_and(|b| b.is_ascii_digit()) && letters <= 1
}

/// A one-word country that this many listed persons' names use is a name there
/// (`Jordan`, `Chad`); a city or village needs only one (`Orlova`, `Vladimir`).
const COUNTRY_AS_NAME_USES: u32 = 3;

struct Classified {
    /// What each token is, if it stands in a phrase around names.
    kinds: Vec<Option<ContextKind>>,
    /// The token is in a phrase of several tokens.
    in_phrase: Vec<bool>,
}

/// What each token is, if it stands in a phrase around names: leftmost-longest
/// phrases of offices, roles, addresses, places and care-of markers, countries, list
/// places and numbers; then the street names that street words bring with them.
///
/// A token is looked up as the matcher spells it and as written where the two differ
/// (`boks`, `meksico` are `box`, `mexico`: see [`crate::analyze`]'s `x`).
fn classify(
    tokens: &[String],
    roles: &[TokenRole],
    places: &ListPlaces,
    person_uses: &impl Fn(&str) -> u32,
) -> Classified {
    let n = tokens.len();
    let written: Vec<String> = if tokens.iter().any(|t| t.contains("ks")) {
        tokens.iter().map(|t| t.replace("ks", "x")).collect()
    } else {
        Vec::new()
    };
    let spellings: Vec<&[String]> = if written.is_empty() {
        vec![tokens]
    } else {
        vec![tokens, &written]
    };
    // A one-word place that is a name part or a word of organisation names
    // (`Vladimir`, `Federal`, `Global`) names the party, not where it is.
    let name_word = |word: &str, uses: u32| {
        person_uses(word) >= uses || redline_names::symbol_of(word).is_some()
    };
    let mut kinds: Vec<Option<ContextKind>> = vec![None; n];
    let mut in_phrase = vec![false; n];
    let mut phrase = String::new();
    let mut numbers = Vec::new();
    let mut i = 0;
    while i < n {
        let mut best: Option<(usize, ContextKind)> = None;
        for words in &spellings {
            let found = context_at(words, i).filter(|&(len, kind)| {
                !(kind == ContextKind::Place && len == 1 && name_word(&words[i], 1))
            });
            if found.is_some_and(|(len, _)| best.is_none_or(|(l, _)| len > l)) {
                best = found;
            }
            for len in (1..=MAX_PLACE_TOKENS.min(n - i)).rev() {
                if best.is_some_and(|(l, _)| l >= len) {
                    break;
                }
                phrase.clear();
                for (k, word) in words[i..i + len].iter().enumerate() {
                    if k > 0 {
                        phrase.push(' ');
                    }
                    phrase.push_str(word);
                }
                let letters = phrase.bytes().filter(u8::is_ascii_alphabetic).count();
                if letters < MIN_PLACE_LETTERS {
                    continue;
                }
                let place = places.contains(&phrase) && !(len == 1 && name_word(&phrase, 1));
                let country = !place
                    && redline_model::countries::is_country_words(&phrase)
                    && !(len == 1 && name_word(&phrase, COUNTRY_AS_NAME_USES));
                if place || country {
                    best = Some((len, ContextKind::Place));
                    break;
                }
            }
        }
        if best.is_none() && house_number(&tokens[i]) {
            numbers.push(i);
            best = Some((1, ContextKind::Address));
        }
        match best {
            Some((len, kind)) => {
                kinds[i..i + len].iter_mut().for_each(|k| *k = Some(kind));
                in_phrase[i..i + len].iter_mut().for_each(|p| *p = len > 1);
                i += len;
            }
            None => i += 1,
        }
    }
    // `ul. Tverskaya 12`: a street word takes the street's name after it; `Tverskaya
    // St. 12`: the name before it. Only where a house number follows, which is what
    // tells an address from a name with a word like `St` or `Pr` in it.
    let number = |j: usize| tokens.get(j).is_some_and(|t| house_number(t));
    let streets: Vec<usize> = (0..n)
        .filter(|&s| kinds[s] == Some(ContextKind::Street))
        .collect();
    for s in streets {
        let street_name = (s + 1..n)
            .take_while(|&j| kinds[j].is_none())
            .take(MAX_STREET_NAME_TOKENS + 1)
            .count();
        if (1..=MAX_STREET_NAME_TOKENS).contains(&street_name) && number(s + 1 + street_name) {
            (s + 1..s + 1 + street_name).for_each(|j| kinds[j] = Some(ContextKind::Address));
        } else if s >= 2
            && kinds[s - 1].is_none()
            && number(s + 1)
            && matches!(roles[s - 2], TokenRole::Name | TokenRole::Generic)
            && kinds[s - 2].is_none()
        {
            // …with a name before it: `RADIOPRIBORSNAB, Str. 1` is a name and a
            // building number (Russian `стр.`), not a street.
            kinds[s - 1] = Some(ContextKind::Address);
        }
    }
    // A number is part of an address beside address words, an office or a place (`Str.
    // 1`, `Office 301`, `PO Box 1124, Damascus`); alone after a name it is the name's (`SAM JONG 1`, `MNS
    // 371`).
    let supported: Vec<bool> = numbers
        .iter()
        .map(|&i| {
            let beside = |j: usize| {
                !numbers.contains(&j)
                    && matches!(
                        kinds.get(j).copied().flatten(),
                        Some(
                            ContextKind::Address
                                | ContextKind::Street
                                | ContextKind::Place
                                | ContextKind::OrgRole
                        )
                    )
            };
            i > 0 && beside(i - 1) || beside(i + 1)
        })
        .collect();
    for (&i, supported) in numbers.iter().zip(supported) {
        if !supported {
            kinds[i] = None;
        }
    }
    Classified { kinds, in_phrase }
}

/// The kind of the nearest classified token: what a joiner inside a run belongs to.
fn nearest_kind(kinds: &[Option<ContextKind>], i: usize) -> Option<ContextKind> {
    (1..kinds.len())
        .flat_map(|d| [i.checked_add(d), i.checked_sub(d)])
        .flatten()
        .find_map(|j| kinds.get(j).copied().flatten())
}
