//! Which listings are one party: the same company, person or vessel on several lists
//! (Rosneft on OFAC's sectoral list, the Entity List, the UK, Australian, Canadian and
//! Japanese lists), or listed twice on one (the Entity List enters Huawei once per
//! address).
//!
//! A bank screening against many lists must see one result with every listing, not
//! five alerts for one company — and must never see two parties made one. So
//! listings are joined only on evidence that names a party, never on a resemblance:
//! - a publisher's own reference to the party that both quote: the UN's reference
//!   number (`QDi.001`) as the UN, EU and UK lists give it, OFAC's entity number as
//!   the SDN list and Treasury's other lists in the CSL give it;
//! - a number that identifies a party (IMO, registration, tax, national id, LEI,
//!   passport; [`redline_model::IdKind::identifies_party`]) carried by both, or
//! - a whole name written the same once romanised, legal forms and word order set
//!   aside (`PUTIN, Vladimir Vladimirovich` and `Vladimir Vladimirovich PUTIN`;
//!   `OPEN JOINT-STOCK COMPANY ROSNEFT OIL COMPANY` and `Rosneft Oil Company`), of
//!   two name words or more — one, for an organisation, if it is a long word the
//!   lists use as a name (`ROSNEFT`), or
//! - a person's whole name that sounds the same once each word is reduced to its
//!   consonants by class ([`redline_names::transcription::transcription_key`]:
//!   `GADDAFI, Mutassim` and `MUTASSIM QADHAFI`, as two romanisations of one Arabic
//!   name write it), with a birth year that both listings give and that agrees —
//!
//! and only when nothing else says they are two: the same schema, no lifelong numbers
//! that disagree, persons' birth years at most a year apart, their exact birth days
//! the same where both give one, and their nationalities shared where both give
//! them; organisations in a common country where both say where they are; and not
//! two entries that one list (one of the CSL's lists) keeps under two names — the
//! publisher's own word that they are two. A name or number that many listings share is no
//! evidence ([`MAX_SHARED`]), and no group grows past [`MAX_GROUP`], so a common name
//! cannot chain strangers together. Everything is decided at index build from the
//! list versions alone, so the same versions give the same groups.
//!
//! Screening keeps the best-scoring listing of a group as the result and carries the
//! others in [`crate::Match::listings`], each with the evidence that joined it and its
//! own score where the query matched it too.

use redline_model::{Entity, NameKind, Schema, SourceId};

use crate::analyze::TokenRole;
use crate::index::{Dictionary, FxMap, IndexedEntity, IndexedName, TokenId};
use crate::{Index, Listing, Match};

/// A name or number carried by more listings than this is shared by different
/// parties (a common name, a group's shared registration) and joins none. One party
/// can carry its name on nine lists and twice on some (the UN and Australia enter
/// Hassan Dahir AWEYS once per regime, OFAC twice): nine listings of one name are
/// not yet a common name.
const MAX_SHARED: usize = 16;
/// The most listings one group holds: the lists that publish a party, and a few
/// entries of one list for it.
const MAX_GROUP: usize = 16;
/// A one-word name joins organisations only if it is at least this long: `ROSNEFT`,
/// not `ALFA`.
const MIN_ONE_WORD_NAME: usize = 5;
/// A person's name joins by its sound only with at least this many consonant classes
/// in its key (`GADDAFI, Mutassim`: `KTP MTSM`): `ALI, Omar` sounds like too many.
const MIN_SOUND_KEY: usize = 6;

/// The groups of listings taken for one party.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Identities {
    /// For each entity in a group of two or more: its group in `groups`.
    group_of: FxMap<u32, u32>,
    /// Each group's entities, in index order.
    groups: Vec<Vec<u32>>,
    /// Why each grouped entity is taken for its group's party: the evidence of the
    /// link that brought it in, or that it brought in.
    evidence: FxMap<u32, String>,
}

impl Identities {
    /// The other listings of `entity`'s party, in index order.
    pub fn others(&self, entity: u32) -> impl Iterator<Item = u32> + '_ {
        let group = self
            .group_of
            .get(&entity)
            .map(|&g| &self.groups[g as usize]);
        group
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&e| e != entity)
    }

    pub fn group(&self, entity: u32) -> Option<u32> {
        self.group_of.get(&entity).copied()
    }

    pub fn evidence(&self, entity: u32) -> &str {
        self.evidence.get(&entity).map_or("", String::as_str)
    }

    /// How many parties are listed more than once, and how many listings they have.
    pub fn counts(&self) -> (usize, usize) {
        (self.groups.len(), self.groups.iter().map(Vec::len).sum())
    }

    /// Finds the groups among `entities`.
    pub fn build(entities: &[IndexedEntity], names: &[IndexedName], dict: &Dictionary) -> Self {
        let captions: Vec<Vec<TokenId>> = (entities.iter())
            .map(|e| {
                let primary = e
                    .names
                    .clone()
                    .find(|&n| names[n as usize].kind == NameKind::Primary);
                // Every word, legal forms too: `NAFTIRAN INTERTRADE CO. (NICO)
                // LIMITED` and `… SARL` are two companies OFAC lists apart.
                let mut words = primary
                    .map(|n| names[n as usize].tokens.clone())
                    .unwrap_or_default();
                words.sort_unstable();
                words
            })
            .collect();
        let apart = |x: u32, y: u32| {
            let (a, b) = (entities[x as usize].entity(), entities[y as usize].entity());
            // A list that enters two parties under two names means two parties,
            // whatever an alias of one or a third list's entry shares with both;
            // under one name written alike, it lists one party twice (the Entity
            // List once per address, MOF once per regime).
            (same_list(a, b) && captions[x as usize] != captions[y as usize]) || two_parties(a, b)
        };
        let mut sets = Sets::new(entities.len());
        for (reference, members) in shared_references(entities) {
            sets.join_all(&members, &apart, |_| format!("same {reference}"));
        }
        for (key, members) in shared_numbers(entities) {
            sets.join_all(&members, &apart, |e| {
                let id = (entities[e as usize].entity().identifiers.iter())
                    .find(|i| i.normalized_value() == key);
                match id {
                    Some(i) => format!(
                        "same {} number {}",
                        i.kind.label().replace('_', " "),
                        i.value
                    ),
                    None => format!("same number {key}"),
                }
            });
        }
        let name_key = |name: &IndexedName, schema: Schema| same_name_key(name, schema, dict);
        for (key, members) in shared_name_keys(entities, names, name_key) {
            sets.join_all(&members, &apart, |e| {
                let written = written_with(&entities[e as usize], names, name_key, &key);
                format!("same name: {written}")
            });
        }
        // A person's name written differently by two lists' romanisations
        // (`GADDAFI, Mutassim` and `MUTASSIM QADHAFI`) is evidence only with the
        // birth year both give.
        let apart_or_unborn = |x: u32, y: u32| {
            apart(x, y)
                || !born_together(entities[x as usize].entity(), entities[y as usize].entity())
        };
        let sound_key = |name: &IndexedName, schema: Schema| sound_name_key(name, schema, dict);
        for (key, members) in shared_name_keys(entities, names, sound_key) {
            sets.join_all(&members, &apart_or_unborn, |e| {
                let written = written_with(&entities[e as usize], names, sound_key, &key);
                format!("same name as it sounds: {written}, birth years within a year")
            });
        }
        sets.into_identities()
    }
}

/// The properties that quote a publisher's reference to a party, and whose numbering
/// it is. A list's own reference is read from its own field (`un-sc`'s
/// `reference_number`, OFAC's entity number is its id).
const REFERENCES: [(&str, &str); 3] = [
    ("un_reference", "UN reference"),
    ("un_ref", "UN reference"),
    ("ofac_entity_number", "OFAC entity number"),
];

/// The publishers' references each listing quotes, as `UN reference QDI001`.
fn references(entity: &Entity) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |numbering: &str, value: &str| {
        let value = redline_model::normalize_identifier(value);
        if !value.is_empty() {
            out.push(format!("{numbering} {value}"));
        }
    };
    for (key, numbering) in REFERENCES {
        for value in entity.properties.get(key).into_iter().flatten() {
            add(numbering, value);
        }
    }
    match entity.source {
        SourceId::UnSc => {
            for value in entity
                .properties
                .get("reference_number")
                .into_iter()
                .flatten()
            {
                add("UN reference", value);
            }
        }
        SourceId::OfacSdn => {
            let native = entity.id.split_once(':').map_or("", |(_, n)| n);
            add("OFAC entity number", native);
        }
        _ => {}
    }
    out
}

/// The publishers' references quoted by two listings or more, in their order.
fn shared_references(entities: &[IndexedEntity]) -> Vec<(String, Vec<u32>)> {
    let mut by_reference: FxMap<String, Vec<u32>> = FxMap::default();
    for (e, entity) in entities.iter().enumerate() {
        for reference in references(entity.entity()) {
            let members = by_reference.entry(reference).or_default();
            if members.last() != Some(&(e as u32)) {
                members.push(e as u32);
            }
        }
    }
    let mut shared: Vec<(String, Vec<u32>)> = by_reference
        .into_iter()
        .filter(|(_, members)| (2..=MAX_SHARED).contains(&members.len()))
        .collect();
    shared.sort();
    shared
}

/// The numbers that identify a party carried by two listings or more (but no more
/// than [`MAX_SHARED`]), in the order of the number.
fn shared_numbers(entities: &[IndexedEntity]) -> Vec<(String, Vec<u32>)> {
    let mut by_number: FxMap<&str, Vec<u32>> = FxMap::default();
    for (e, entity) in entities.iter().enumerate() {
        for number in &entity.identifiers {
            by_number.entry(number).or_default().push(e as u32);
        }
    }
    let mut shared: Vec<(String, Vec<u32>)> = by_number
        .into_iter()
        .filter(|(_, members)| (2..=MAX_SHARED).contains(&members.len()))
        .map(|(k, members)| (k.to_string(), members))
        .collect();
    shared.sort();
    shared
}

/// The keys (`key` of each name, where it has one) carried by two listings or more
/// (but no more than [`MAX_SHARED`]), in the order of their first listing.
fn shared_name_keys<K: std::hash::Hash + Ord>(
    entities: &[IndexedEntity],
    names: &[IndexedName],
    key: impl Fn(&IndexedName, Schema) -> Option<K>,
) -> Vec<(K, Vec<u32>)> {
    let mut by_key: FxMap<K, Vec<u32>> = FxMap::default();
    for (e, entity) in entities.iter().enumerate() {
        for n in entity.names.clone() {
            if let Some(key) = key(&names[n as usize], entity.schema) {
                let members = by_key.entry(key).or_default();
                if members.last() != Some(&(e as u32)) {
                    members.push(e as u32);
                }
            }
        }
    }
    let mut shared: Vec<(K, Vec<u32>)> = by_key
        .into_iter()
        .filter(|(_, members)| (2..=MAX_SHARED).contains(&members.len()))
        .collect();
    shared.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    shared
}

/// The name of `entity` as its list writes it that has `wanted` for its `key`.
fn written_with<'a, K: PartialEq>(
    entity: &'a IndexedEntity,
    names: &[IndexedName],
    key: impl Fn(&IndexedName, Schema) -> Option<K>,
    wanted: &K,
) -> &'a str {
    let found = entity.names.clone().find_map(|n| {
        let name = &names[n as usize];
        (key(name, entity.schema).as_ref() == Some(wanted))
            .then(|| entity.entity().names[name.name as usize].text.as_str())
    });
    found.unwrap_or_default()
}

/// A person's name as it sounds: each name word by its
/// [`redline_names::transcription::transcription_key`] (the consonants, by class), in
/// sorted order, name particles left out. `None` for what is too slight to identify
/// a person: a weak alias, fewer than two name words, or fewer than
/// [`MIN_SOUND_KEY`] consonant classes in all.
fn sound_name_key(name: &IndexedName, schema: Schema, dict: &Dictionary) -> Option<String> {
    if schema != Schema::Person || name.kind == NameKind::WeakAlias {
        return None;
    }
    let mut words: Vec<String> = (name.tokens.iter().zip(&name.roles))
        .filter(|(_, role)| **role == TokenRole::Name)
        .map(|(&t, _)| dict.strings[t as usize].as_str())
        .filter(|w| !crate::score::is_name_particle(w))
        .map(redline_names::transcription::transcription_key)
        .filter(|k| !k.is_empty())
        .collect();
    let classes: usize = words.iter().map(String::len).sum();
    if words.len() < 2 || classes < MIN_SOUND_KEY {
        return None;
    }
    words.sort_unstable();
    Some(words.join(" "))
}

/// Whether two persons' listings both give a birth year, and years at most a year
/// apart: what a name alike in sound needs beside it to name one person.
fn born_together(a: &Entity, b: &Entity) -> bool {
    let years = |e: &Entity| -> Vec<(i32, i32)> {
        (e.birth_dates.iter())
            .map(|d| (d.date.year, d.end.map_or(d.date.year, |end| end.year)))
            .collect()
    };
    let (ya, yb) = (years(a), years(b));
    ya.iter()
        .any(|&(a0, a1)| yb.iter().any(|&(b0, b1)| a0 <= b1 + 1 && b0 <= a1 + 1))
}

/// What a name must be written as for two listings to share it: its name words and
/// descriptors in sorted order, legal forms and titles left out. `None` for a name
/// too slight to identify a party: a weak alias, a person's name of one word, an
/// organisation's of one short word or of one company word, a name of descriptors
/// only.
fn same_name_key(name: &IndexedName, schema: Schema, dict: &Dictionary) -> Option<Vec<TokenId>> {
    if name.kind == NameKind::WeakAlias {
        return None;
    }
    let (key, name_words) = name_words(name);
    let enough = match (schema, key.as_slice()) {
        (_, []) => false,
        (Schema::Person, _) => name_words >= 2,
        (_, [one]) => {
            let word = &dict.strings[*one as usize];
            name_words == 1
                && word.chars().count() >= MIN_ONE_WORD_NAME
                && redline_names::company_words::meaning_as_written(word).is_none()
        }
        _ => name_words >= 1,
    };
    enough.then_some(key)
}

/// A name's name words and descriptors in sorted order, legal forms and titles left
/// out, and how many of them are name words.
fn name_words(name: &IndexedName) -> (Vec<TokenId>, usize) {
    let mut key: Vec<TokenId> = Vec::with_capacity(name.tokens.len());
    let mut name_words = 0;
    for (&t, role) in name.tokens.iter().zip(&name.roles) {
        match role {
            TokenRole::Name => {
                name_words += 1;
                key.push(t);
            }
            TokenRole::Generic => key.push(t),
            TokenRole::LegalForm | TokenRole::Ignorable | TokenRole::Context(_) => {}
        }
    }
    key.sort_unstable();
    (key, name_words)
}

/// Disjoint sets of listings, each kept with its members so that a join can check
/// every pair it would make.
struct Sets {
    parent: Vec<u32>,
    members: FxMap<u32, Vec<u32>>,
    evidence: FxMap<u32, String>,
}

impl Sets {
    fn new(n: usize) -> Self {
        Sets {
            parent: (0..n as u32).collect(),
            members: FxMap::default(),
            evidence: FxMap::default(),
        }
    }

    fn root(&mut self, mut e: u32) -> u32 {
        while self.parent[e as usize] != e {
            let up = self.parent[self.parent[e as usize] as usize];
            self.parent[e as usize] = up;
            e = up;
        }
        e
    }

    fn members(&self, root: u32) -> Vec<u32> {
        self.members
            .get(&root)
            .cloned()
            .unwrap_or_else(|| vec![root])
    }

    /// Joins each of `listings` to the group of the first before it that nothing
    /// keeps it apart from (`Sberbank` of Moscow on three lists joins the others of
    /// Moscow, not the JSC Sberbank of Almaty that shares the name); `why` says, for
    /// a listing, what it shares.
    fn join_all(
        &mut self,
        listings: &[u32],
        apart: &impl Fn(u32, u32) -> bool,
        why: impl Fn(u32) -> String,
    ) {
        for (i, &other) in listings.iter().enumerate().skip(1) {
            for &anchor in &listings[..i] {
                if self.join(anchor, other, apart) {
                    for e in [anchor, other] {
                        self.evidence.entry(e).or_insert_with(|| why(e));
                    }
                    break;
                }
            }
        }
    }

    /// Joins the groups of `a` and `b` unless that would make a group too large or
    /// put two listings together that are two parties; whether they are one now.
    fn join(&mut self, a: u32, b: u32, apart: &impl Fn(u32, u32) -> bool) -> bool {
        let (a, b) = (self.root(a), self.root(b));
        if a == b {
            return true;
        }
        let (ma, mb) = (self.members(a), self.members(b));
        if ma.len() + mb.len() > MAX_GROUP || ma.iter().any(|&x| mb.iter().any(|&y| apart(x, y))) {
            return false;
        }
        let (keep, gone) = if a < b { (a, b) } else { (b, a) };
        self.parent[gone as usize] = keep;
        let mut joined = ma;
        joined.extend(mb);
        joined.sort_unstable();
        self.members.remove(&gone);
        self.members.insert(keep, joined);
        true
    }

    fn into_identities(self) -> Identities {
        let mut roots: Vec<(u32, Vec<u32>)> = self.members.into_iter().collect();
        roots.sort_unstable();
        let mut identities = Identities {
            evidence: self.evidence,
            ..Identities::default()
        };
        for (_, members) in roots {
            let group = identities.groups.len() as u32;
            for &m in &members {
                identities.group_of.insert(m, group);
            }
            identities.groups.push(members);
        }
        identities
    }
}

/// Whether two listings are entries of one publisher's list. The CSL consolidates
/// a dozen lists, each entry's own list first among its programmes: its Entity List
/// and sectoral (SSI) entries for Rosneft are two lists' entries, not two parties.
fn same_list(a: &Entity, b: &Entity) -> bool {
    a.source == b.source
        && (a.source != SourceId::UsCsl || a.programs.first() == b.programs.first())
}

/// Whether anything says two listings are two parties: another schema, lifelong
/// numbers that disagree, organisations in no common country, persons born on two
/// different exact days or years apart, or of no common nationality.
fn two_parties(a: &Entity, b: &Entity) -> bool {
    if a.schema != b.schema || crate::compare::identifier_conflict(a, b).is_some() {
        return true;
    }
    if a.schema != Schema::Person {
        // Where both say where they are, they must share a country: Sberbank in
        // Moscow is not the JSC Sberbank of Almaty.
        let (ca, cb): (Vec<&str>, Vec<&str>) =
            (a.all_countries().collect(), b.all_countries().collect());
        return !ca.is_empty() && !cb.is_empty() && !ca.iter().any(|c| cb.contains(c));
    }
    // Two exact birth dates that differ are two people (`IVANOV, Sergei Borisovich`,
    // 31 Jan 1953, is not `IVANOV, Sergey Borisovich`, 19 Apr 1952); a day and month
    // read the other way round are the same date.
    let exact = |e: &Entity| -> Vec<(i32, u8, u8)> {
        (e.birth_dates.iter())
            .filter(|d| d.end.is_none())
            .filter_map(|d| Some((d.date.year, d.date.month?, d.date.day?)))
            .collect()
    };
    let (ea, eb) = (exact(a), exact(b));
    let same_day = |&(y, m, d): &(i32, u8, u8)| {
        eb.iter()
            .any(|&(y2, m2, d2)| y == y2 && ((m, d) == (m2, d2) || (m, d) == (d2, m2)))
    };
    if !ea.is_empty() && !eb.is_empty() && !ea.iter().any(same_day) {
        return true;
    }
    let born_apart = !a.birth_dates.is_empty() && !b.birth_dates.is_empty() && !born_together(a, b);
    let nations = |e: &Entity| -> Vec<String> {
        let mut n: Vec<String> = (e.nationalities.iter())
            .chain(&e.citizenships)
            .cloned()
            .collect();
        n.sort();
        n.dedup();
        n
    };
    let (na, nb) = (nations(a), nations(b));
    let other_nations = !na.is_empty() && !nb.is_empty() && !na.iter().any(|n| nb.contains(n));
    born_apart || other_nations
}

impl Index {
    /// Folds `matches` (best first) so that each party is one result: its best
    /// listing, carrying the others — those the query matched, with their scores, and
    /// those it did not — in [`Match::listings`]. Keeps the first `limit` parties.
    /// Only listings on `sources` are shown (all when empty): a screening asked of
    /// some lists answers from those.
    pub(crate) fn group_listings(
        &self,
        matches: Vec<Match>,
        sources: &[SourceId],
        limit: usize,
    ) -> Vec<Match> {
        let mut out: Vec<Match> = Vec::with_capacity(matches.len().min(limit));
        let mut party_at: FxMap<u32, usize> = FxMap::default();
        for m in matches {
            let entity = self.by_id.get(&m.entity_id).copied();
            let group = entity.and_then(|e| Some((e, self.identities.group(e)?)));
            match group {
                Some((e, g)) => match party_at.get(&g) {
                    Some(&at) => {
                        let listing = self.listing(e, Some(m.score));
                        out[at].listings.push(listing);
                    }
                    None => {
                        party_at.insert(g, out.len());
                        out.push(m);
                    }
                },
                None => out.push(m),
            }
        }
        out.truncate(limit);
        for m in &mut out {
            let Some(&e) = self.by_id.get(&m.entity_id) else {
                continue;
            };
            for other in self.identities.others(e) {
                if !sources.is_empty() && !sources.contains(&self.source_of(other)) {
                    continue;
                }
                let id = &self.entities[other as usize].entity().id;
                if !m.listings.iter().any(|l| &l.entity_id == id) {
                    m.listings.push(self.listing(other, None));
                }
            }
        }
        out
    }

    /// The other listings of the party listed as `entity_id` (none if the lists name
    /// it once), each with what it shares with the others.
    pub fn other_listings(&self, entity_id: &str) -> Vec<Listing> {
        let Some(&e) = self.by_id.get(entity_id) else {
            return Vec::new();
        };
        (self.identities.others(e))
            .map(|other| self.listing(other, None))
            .collect()
    }

    fn listing(&self, entity: u32, score: Option<f64>) -> Listing {
        let e = self.entities[entity as usize].entity();
        Listing {
            entity_id: e.id.clone(),
            source: e.source,
            caption: e.caption().to_string(),
            programs: e.programs.clone(),
            score,
            same_party: self.identities.evidence(entity).to_string(),
        }
    }
}
