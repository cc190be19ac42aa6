//! Screening a parsed payment against the lists, and the decision that comes out.
//!
//! Why it is built this way:
//! - Every value is screened where it sits and every hit keeps that field path: the
//!   analyst must see that the *creditor agent's BIC* hit, not just "SBERBANK".
//! - Each kind of evidence has the check that suits it: party names go through the
//!   fuzzy name matcher with the party's kind and country as hints; BICs, LEIs, IMO
//!   numbers and other identifiers are compared exactly (a BIC is either the listed
//!   one or not); free text is searched for listed names, places and numbers;
//!   countries and regions come from the policy, not the lists.
//! - What a hit *means* (HOLD or BLOCK) is the [`Policy`]'s, never the matcher's;
//!   the verdict is the most severe hit, so one BLOCK anywhere blocks the payment.
//! - The result is a pure function of (payment, index, policy): hits are sorted by a
//!   stable key and every input version is recorded, so a decision can be replayed
//!   and compared byte for byte.
//! - Fail closed: [`screen_bytes`] turns unparseable input and missing lists into
//!   errors; there is no path from bad input to PASS.

use redline_matching::{Explanation, Index, Match, Options, Query};
use redline_model::registry::{schemes_of_listed, Scheme};
use redline_model::{normalize_identifier, IdKind, Schema, SourceId};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use crate::ids::registry_codes;
use crate::words::{imo_check_digit_ok, words};
use crate::{parse, CountrySource, Party, PartyKind, Payment, PaymentError, Policy};

/// What happens to the payment. Ordered by severity: `Pass < Hold < Block`.
/// Serialises as `"PASS"`, `"HOLD"`, `"BLOCK"`; the policy file writes the lower-case
/// forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Verdict {
    #[serde(rename = "PASS", alias = "pass")]
    Pass,
    #[serde(rename = "HOLD", alias = "hold")]
    Hold,
    #[serde(rename = "BLOCK", alias = "block")]
    Block,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Hold => "HOLD",
            Verdict::Block => "BLOCK",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The screening result of one payment message.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub decision: Verdict,
    pub message_type: String,
    pub message_id: Option<String>,
    pub message_sha256: String,
    /// The list versions of the index screened against.
    pub list_versions: Vec<String>,
    /// [`Policy::version`].
    pub policy_version: String,
    /// Sorted by field path, kind, entity id, position.
    pub hits: Vec<Hit>,
    pub screened: Screened,
    /// What was checked besides names: registry numbers and their checks, how each
    /// party was identified, the SWIFT-RUR readings, and whether a country hold was
    /// released on evidence.
    pub evidence: Evidence,
}

/// The evidence a decision rests on, for the auditor who asks why it passed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evidence {
    /// Every registry number read from the message, checked.
    pub identifiers: Vec<CheckedId>,
    /// Every party and bank, and what identifies it (if anything).
    pub parties: Vec<PartyEvidence>,
    /// Names of a rouble payment read back from SWIFT-RUR into Cyrillic and screened
    /// that way too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<Reading>,
    /// Russian currency-operation codes (`(VO10100)` in field 70).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub currency_operation_codes: Vec<FieldValue>,
    /// Set under a policy with an `[evidence]` section when a country hold was
    /// considered for release.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<Release>,
}

/// A registry number as read, and what its check and the lists said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckedId {
    pub field: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub scheme: Scheme,
    /// As sent.
    pub value: String,
    pub valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// Entity ids that carry this number for the same registry.
    pub listed: Vec<String>,
}

/// One party or bank and what identifies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyEvidence {
    pub role: String,
    pub field: String,
    /// `INN 9102070194`, `BIC RZBMRUMM`, `name (best list score 0.41)`; None: not
    /// identified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identified_by: Option<String>,
    /// Under an evidence policy, why the party counts as not identified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_identified: Option<String>,
}

/// A name read in another way than as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reading {
    pub field: String,
    pub written: String,
    pub read_as: String,
    pub scheme: &'static str,
}

/// A value and the field it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldValue {
    pub field: String,
    pub value: String,
}

/// Whether the country holds of an evidence policy were released, and why (not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Release {
    /// The policy's evidence countries the payment touches.
    pub countries: Vec<String>,
    pub released: bool,
    /// What stood in the way; empty when released.
    pub missing: Vec<String>,
    /// The lists checked (versions), as the release relied on them.
    pub lists_checked: Vec<String>,
}
/// How much of the message was looked at: a PASS over nothing is visible as such.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Screened {
    pub parties: usize,
    /// Party names screened by name.
    pub names: usize,
    pub bics: usize,
    pub free_text: usize,
    /// Country references checked against the policy.
    pub countries: usize,
    /// Registry numbers (INN, OGRN, KPP, USCC, BIK) checked.
    #[serde(default)]
    pub registry_ids: usize,
}

/// One reason for holding or blocking.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Where the value sits in the message (`…/CdtTrfTxInf[1]/Cdtr/Nm`, `:70:`).
    pub field: String,
    /// The value that hit: the party name, the BIC, the words of the free text.
    pub value: String,
    /// The role of the party the field belongs to, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// `name`, `bic`, `lei`, `identifier`, `free_text`, `imo`, `country`, `region`.
    pub kind: &'static str,
    pub action: Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// A sentence for the analyst.
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
    /// Byte offsets of `value` in the free-text field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
}

/// Why a message could not be screened. Never a reason to pass it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScreenError {
    /// The message could not be parsed; the inner error names the line and element
    /// or MT field.
    #[error("message not screened: {0}")]
    Parse(#[from] PaymentError),
    #[error("message not screened: no sanctions lists are loaded")]
    NoLists,
}

/// A listed identifier and its entity.
#[derive(Debug, Clone)]
struct Listed {
    /// Normalised as listed (`SABRRUMM`, `9187629`).
    value: String,
    entity_id: String,
    caption: String,
    source: SourceId,
    programs: Vec<String>,
    kind: IdKind,
    /// The list's own label (`Tax ID No.`), when it gives one.
    note: Option<String>,
    schema: Schema,
}

/// Exact-identifier tables derived from an [`Index`]: BICs by their first 8
/// characters, LEIs, IMO numbers and other identifiers. Build once per index (it
/// walks every entity) and pass it to every [`screen_payment`] call on that index.
#[derive(Debug, Clone, Default)]
pub struct ListLookups {
    versions: Vec<String>,
    entity_count: usize,
    bics: HashMap<String, Vec<Listed>>,
    leis: HashMap<String, Vec<Listed>>,
    imos: HashMap<String, Vec<Listed>>,
    other: HashMap<String, Vec<Listed>>,
    /// Registry numbers that pass their check, by scheme and value as the registry
    /// writes it.
    registry: HashMap<(Scheme, String), Vec<Listed>>,
}

/// Other identifiers shorter than this are not compared: short numbers recur by
/// chance across countries and registries.
const MIN_OTHER_ID_LEN: usize = 6;

impl ListLookups {
    pub fn build(index: &Index) -> ListLookups {
        let mut out = ListLookups {
            versions: index.versions().to_vec(),
            entity_count: index.entity_count(),
            ..ListLookups::default()
        };
        for e in index.entities() {
            for id in &e.identifiers {
                let value = id.normalized_value();
                let (table, key) = match &id.kind {
                    IdKind::Bic if is_bic(&value) => (&mut out.bics, value[..8].to_string()),
                    IdKind::Bic => continue,
                    IdKind::Lei => (&mut out.leis, value.clone()),
                    IdKind::Imo => {
                        let digits = value.trim_start_matches("IMO").to_string();
                        (&mut out.imos, digits)
                    }
                    _ if value.len() >= MIN_OTHER_ID_LEN => (&mut out.other, value.clone()),
                    _ => continue,
                };
                let listed = Listed {
                    value: if id.kind == IdKind::Imo {
                        key.clone()
                    } else {
                        value
                    },
                    entity_id: e.id.clone(),
                    caption: e.caption().to_string(),
                    source: e.source,
                    programs: e.programs.clone(),
                    kind: id.kind.clone(),
                    note: id.note.clone(),
                    schema: e.schema,
                };
                for (scheme, number) in schemes_of_listed(id) {
                    let mut listed = listed.clone();
                    listed.value = number.clone();
                    out.registry
                        .entry((scheme, number))
                        .or_default()
                        .push(listed);
                }
                table.entry(key).or_default().push(listed);
            }
        }
        out
    }

    /// Whether these tables were built from `index` (same list versions and size).
    pub fn is_for(&self, index: &Index) -> bool {
        self.entity_count == index.entity_count() && self.versions == index.versions()
    }

    pub fn bic_count(&self) -> usize {
        self.bics.values().map(Vec::len).sum()
    }

    /// Whether a list carries this BIC's institution (its first 8 characters).
    pub fn bic_is_listed(&self, bic: &str) -> bool {
        bic.get(..8).is_some_and(|b| self.bics.contains_key(b))
    }

    /// Whether a list carries this registry number (as its registry writes it).
    pub fn registry_is_listed(&self, scheme: Scheme, number: &str) -> bool {
        self.registry.contains_key(&(scheme, number.to_string()))
    }

    /// Listed entities of `schema` with a number of `scheme`: one number each (the
    /// smallest), sorted by entity id.
    pub(crate) fn listed_registry(
        &self,
        scheme: Scheme,
        schema: Schema,
    ) -> Vec<crate::corpus::ListedNumber> {
        let mut by_entity: std::collections::BTreeMap<&str, (&str, &str)> = Default::default();
        for ((s, number), listed) in &self.registry {
            for l in listed.iter().filter(|l| *s == scheme && l.schema == schema) {
                let slot = by_entity
                    .entry(&l.entity_id)
                    .or_insert((number, &l.caption));
                if number.as_str() < slot.0 {
                    slot.0 = number;
                }
            }
        }
        by_entity
            .into_iter()
            .map(|(id, (number, caption))| crate::corpus::ListedNumber {
                entity_id: id.to_string(),
                caption: caption.to_string(),
                number: number.to_string(),
            })
            .collect()
    }

    /// Listed institutions' 8-character BICs in one country, with an entity each,
    /// sorted by BIC.
    pub(crate) fn listed_bics_of_country(&self, country: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .bics
            .iter()
            .filter(|(bic, _)| bic.get(4..6) == Some(country))
            .filter_map(|(bic, listed)| {
                let first = listed.iter().map(|l| &l.entity_id).min()?;
                Some((bic.clone(), first.clone()))
            })
            .collect();
        out.sort();
        out
    }
}

/// 8 or 11 letters and digits, letters in the first six: the shape of a BIC.
fn is_bic(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() == 8 || b.len() == 11)
        && b.iter().all(u8::is_ascii_alphanumeric)
        && b[..6].iter().all(u8::is_ascii_alphabetic)
}

/// Parses and screens a raw message. Errors when the message cannot be parsed or
/// no lists are loaded: the caller reports the error and never passes the payment.
pub fn screen_bytes(
    bytes: &[u8],
    index: Option<&Index>,
    lookups: &ListLookups,
    policy: &Policy,
) -> Result<Decision, ScreenError> {
    let index = index
        .filter(|i| i.entity_count() > 0)
        .ok_or(ScreenError::NoLists)?;
    let payment = parse(bytes)?;
    Ok(screen_payment(&payment, index, lookups, policy))
}

/// Screens a parsed payment. Same payment, index and policy: the same decision.
///
/// `lookups` should come from [`ListLookups::build`] on this `index`; if it does
/// not (a reload swapped the index), fresh tables are built for this call, so a
/// stale table can slow screening down but never make it wrong.
pub fn screen_payment(
    payment: &Payment,
    index: &Index,
    lookups: &ListLookups,
    policy: &Policy,
) -> Decision {
    let lookups = if lookups.is_for(index) {
        Cow::Borrowed(lookups)
    } else {
        Cow::Owned(ListLookups::build(index))
    };
    let mut s = Screening {
        index,
        lookups: &lookups,
        policy,
        hits: Vec::new(),
        screened: Screened::default(),
        evidence: Evidence::default(),
        rouble: payment.amounts.iter().any(|a| a.currency == "RUB"),
        beneficiary_countries: beneficiary_countries(payment),
        name_cache: HashMap::new(),
        text_cache: HashMap::new(),
    };
    for party in &payment.parties {
        s.party(party);
    }
    for ft in &payment.free_text {
        if ft.kind == crate::FreeTextKind::Remittance || ft.path.starts_with(":70:") {
            s.currency_operation_codes(&ft.path, &ft.text);
        }
    }
    // Address fields are screened for places along with the free text; an address
    // line is both, so each (path, text) is searched once.
    let mut place_fields: BTreeSet<(&str, &str, Option<&str>)> = BTreeSet::new();
    for party in &payment.parties {
        for v in &party.address {
            place_fields.insert((&v.path, &v.text, Some(party.role.as_str())));
        }
    }
    for ft in &payment.free_text {
        let role = owner_role(payment, &ft.path);
        s.free_text(&ft.path, &ft.text, role);
        place_fields.insert((&ft.path, &ft.text, role));
    }
    s.goods(payment);
    let mut regions_done: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (path, text, role) in place_fields {
        if regions_done.insert((path, text)) {
            s.regions(path, text, role);
        }
    }

    s.release(payment);
    let mut hits = s.hits;
    hits.sort_by(|a, b| {
        (&a.field, a.kind, &a.entity_id, a.start, &a.value).cmp(&(
            &b.field,
            b.kind,
            &b.entity_id,
            b.start,
            &b.value,
        ))
    });
    hits.dedup_by(|a, b| {
        a.field == b.field
            && a.kind == b.kind
            && a.entity_id == b.entity_id
            && a.start == b.start
            && a.value == b.value
    });
    Decision {
        decision: hits.iter().map(|h| h.action).max().unwrap_or(Verdict::Pass),
        message_type: payment.message_type.clone(),
        message_id: payment.message_id.clone(),
        message_sha256: payment.sha256.clone(),
        list_versions: index.versions().to_vec(),
        policy_version: policy.version().to_string(),
        hits,
        screened: s.screened,
        evidence: s.evidence,
    }
}

/// The country whose currency this is, for the currencies whose payments follow a
/// national format (roubles: SWIFT-RUR; Belarusian roubles).
fn currency_country(currency: &str) -> Option<&'static str> {
    match currency {
        "RUB" => Some("RU"),
        "BYN" => Some("BY"),
        _ => None,
    }
}

/// The party is paid: creditor, ultimate creditor, beneficiary customer.
fn is_payee(role: &crate::Role) -> bool {
    use crate::Role::*;
    matches!(role, Creditor | UltimateCreditor | BeneficiaryCustomer)
}

/// Where the payee's bank is (its BIC's country; Russia for a `//RU` BIK), and the
/// country of a national-format currency: where a payee that states no country of
/// its own is taken to be.
fn beneficiary_countries(payment: &Payment) -> BTreeSet<String> {
    use crate::Role::*;
    let mut out: BTreeSet<String> = payment
        .amounts
        .iter()
        .filter_map(|a| currency_country(&a.currency))
        .map(str::to_string)
        .collect();
    for p in &payment.parties {
        if !matches!(
            p.role,
            CreditorAgent | AccountWithInstitution | BeneficiaryInstitution
        ) {
            continue;
        }
        out.extend(
            p.countries
                .iter()
                .filter(|c| c.from == CountrySource::Bic)
                .map(|c| c.code.clone()),
        );
        if p.registry_ids.iter().any(|r| r.scheme == Scheme::Bik) {
            out.insert(Scheme::Bik.country().to_ascii_uppercase());
        }
    }
    out
}

/// The role of the party whose path is the longest prefix of `path` (an address line
/// `…/Cdtr/PstlAdr/AdrLine[1]` or `:59: line 2` belongs to the creditor).
fn owner_role<'a>(payment: &'a Payment, path: &str) -> Option<&'a str> {
    payment
        .parties
        .iter()
        .filter(|p| {
            path.strip_prefix(p.path.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', ' ']))
        })
        .max_by_key(|p| p.path.len())
        .map(|p| p.role.as_str())
}

type NameKey = (String, Option<Schema>, Option<String>, Vec<String>);

struct Screening<'a> {
    index: &'a Index,
    lookups: &'a ListLookups,
    policy: &'a Policy,
    hits: Vec<Hit>,
    screened: Screened,
    evidence: Evidence,
    /// A rouble payment: names are SWIFT-RUR transliterations, read back too.
    rouble: bool,
    /// Where the payee is taken to be when the message gives it no country of its
    /// own: where its bank is, and the country of a national-format currency.
    beneficiary_countries: BTreeSet<String>,
    /// The same name often recurs in one message (debtor and ultimate debtor, the
    /// AppHdr and the document): screened once.
    name_cache: HashMap<NameKey, Vec<Match>>,
    text_cache: HashMap<String, Vec<redline_matching::TextMatch>>,
}

/// Goods descriptions at or above this confidence count (the goods matcher's own bar:
/// a lone weak word such as "bearing" stays below it).
const GOODS_MIN_CONFIDENCE: f64 = 0.7;

impl Screening<'_> {
    /// Export-controlled goods (the Common High Priority List) named in remittance or
    /// purpose text. On their own they are information; with a party in Russia,
    /// Belarus or a transshipment hub (the route policy's countries) they hold the
    /// payment: that combination is what the FinCEN/BIS alerts describe.
    fn goods(&mut self, payment: &Payment) {
        let routes = redline_goods::RoutePolicy::builtin();
        let risky: Vec<&str> = payment
            .parties
            .iter()
            .flat_map(|p| &p.countries)
            .map(|c| c.code.as_str())
            .filter(|code| routes.country_risk(code) != redline_goods::Risk::None)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for ft in &payment.free_text {
            if !matches!(
                ft.kind,
                crate::FreeTextKind::Remittance
                    | crate::FreeTextKind::Purpose
                    | crate::FreeTextKind::Narrative
                    | crate::FreeTextKind::SenderToReceiverInfo
                    | crate::FreeTextKind::AdditionalInfo
            ) {
                continue;
            }
            for g in redline_goods::screen_description(&ft.text) {
                if g.confidence < GOODS_MIN_CONFIDENCE {
                    continue;
                }
                let terms: Vec<&str> = g.terms.iter().map(|t| t.text.as_str()).collect();
                let action = if risky.is_empty() {
                    Verdict::Pass
                } else {
                    Verdict::Hold
                };
                let context = if risky.is_empty() {
                    "no party is in Russia, Belarus or a transshipment hub".to_string()
                } else {
                    format!("the payment involves {}", risky.join(", "))
                };
                self.hits.push(Hit {
                    field: ft.path.clone(),
                    value: terms.join(", "),
                    role: None,
                    kind: "goods",
                    action,
                    entity_id: None,
                    caption: Some(format!("{} {} ({})", g.list, g.hs_code, g.tier)),
                    score: Some(g.confidence),
                    reason: format!(
                        "the text names export-controlled goods: HS {} ({}, {}; {} row {}); {context}",
                        g.hs_code, g.tier, g.description, g.version, g.row
                    ),
                    explanation: None,
                    start: None,
                    end: None,
                });
            }
        }
    }

    fn options(&self) -> Options {
        Options {
            threshold: self.policy.hold_threshold(),
            limit: self.policy.max_matches_per_field(),
        }
    }

    /// Options for party names: under an evidence policy the matcher also reports
    /// candidates down to `name_clear_below`, so a name can be shown to be clear.
    fn name_options(&self) -> Options {
        let mut options = self.options();
        if let Some(e) = self.policy.evidence() {
            options.threshold = options.threshold.min(e.name_clear_below);
        }
        options
    }

    /// The party's registry numbers: each checked, compared with the lists' numbers
    /// for the same registry, and recorded. Returns what identifies the party.
    fn registry_ids(&mut self, party: &Party) -> Option<String> {
        let role = party.role.as_str();
        let mut identified = None;
        for r in &party.registry_ids {
            self.screened.registry_ids += 1;
            let found = self.registry_number(&r.path, &r.text, r.scheme, Some(role), None);
            if found && r.scheme != Scheme::Kpp && identified.is_none() {
                identified = Some(format!("{} {}", r.scheme, r.text.trim()));
            }
        }
        identified
    }

    /// Checks one registry number and looks it up; true when it passes its check.
    /// `span`: its place in a free-text field.
    fn registry_number(
        &mut self,
        path: &str,
        text: &str,
        scheme: Scheme,
        role: Option<&str>,
        span: Option<(usize, usize)>,
    ) -> bool {
        let checked = scheme.check(text);
        let mut record = CheckedId {
            field: path.to_string(),
            role: role.map(str::to_string),
            scheme,
            value: text.to_string(),
            valid: checked.is_ok(),
            problem: checked.as_ref().err().map(ToString::to_string),
            listed: Vec::new(),
        };
        match checked {
            Err(problem) => {
                // The lists have typos too: a number that fails its check but is
                // written exactly as a list writes it is still that list's number.
                let norm = normalize_identifier(text);
                for l in self.lookups.other.get(&norm).cloned().unwrap_or_default() {
                    record.listed.push(l.entity_id.clone());
                    let action = self.policy.parties().listed_identifier;
                    self.push_listed(path, text, role, "identifier", action, &l, span);
                }
                let action = self.policy.parties().invalid_registry_id;
                if action != Verdict::Pass {
                    self.hits.push(Hit {
                        field: path.to_string(),
                        value: text.to_string(),
                        role: role.map(str::to_string),
                        kind: "registry_id_invalid",
                        action,
                        entity_id: None,
                        caption: None,
                        score: None,
                        reason: format!(
                            "{} {scheme} {text} is not a valid {scheme}: {problem}",
                            field_or_role(role, span)
                        ),
                        explanation: None,
                        start: span.map(|s| s.0),
                        end: span.map(|s| s.1),
                    });
                }
            }
            // A KPP is shared by every company registered at one tax office for one
            // reason: it identifies nobody and is never compared.
            Ok(_) if scheme == Scheme::Kpp => {}
            Ok(number) => {
                let listed = self
                    .lookups
                    .registry
                    .get(&(scheme, number.clone()))
                    .cloned()
                    .unwrap_or_default();
                for l in &listed {
                    record.listed.push(l.entity_id.clone());
                    let action = self.policy.parties().listed_registry_id;
                    if action == Verdict::Pass {
                        continue;
                    }
                    let label = l.note.as_deref().unwrap_or(l.kind.label());
                    self.hits.push(Hit {
                        field: path.to_string(),
                        value: text.to_string(),
                        role: role.map(str::to_string),
                        kind: "registry_id",
                        action,
                        entity_id: Some(l.entity_id.clone()),
                        caption: Some(l.caption.clone()),
                        score: None,
                        reason: format!(
                            "{} {scheme} {number} = {label} of {} ({}), a valid {scheme} of the same registry",
                            field_or_role(role, span),
                            entry(l.source, &l.caption, &l.programs),
                            l.entity_id
                        ),
                        explanation: None,
                        start: span.map(|s| s.0),
                        end: span.map(|s| s.1),
                    });
                }
            }
        }
        let valid = record.valid;
        self.evidence.identifiers.push(record);
        valid
    }

    /// `(VO10100)`: the currency-operation code Russian currency control requires in
    /// the remittance information of rouble payments, kept in the evidence.
    fn currency_operation_codes(&mut self, path: &str, text: &str) {
        let upper = text.to_ascii_uppercase();
        let mut from = 0;
        while let Some(at) = upper[from..].find("VO") {
            let start = from + at;
            from = start + 2;
            let opened = upper[..start].ends_with(['(', '{']);
            let code = upper.get(start + 2..start + 7);
            let closed = upper[start + 2..]
                .chars()
                .nth(5)
                .is_some_and(|c| c == ')' || c == '}');
            if opened && closed && code.is_some_and(|c| c.bytes().all(|b| b.is_ascii_digit())) {
                self.evidence.currency_operation_codes.push(FieldValue {
                    field: path.to_string(),
                    value: format!("VO{}", code.unwrap_or_default()),
                });
            }
        }
    }

    /// What identifies a party: a registry number, a BIC or LEI, or (when the
    /// evidence policy allows and the party is not located in an evidence country) a
    /// name no list entry comes close to.
    fn record_party(&mut self, party: &Party, by_id: Option<String>, best_name: Option<f64>) {
        let by_code = by_id
            .or_else(|| {
                party
                    .bic
                    .as_ref()
                    .filter(|b| is_bic(&normalize_identifier(&b.text)))
                    .map(|b| format!("BIC {}", b.text.trim()))
            })
            .or_else(|| party.lei.as_ref().map(|l| format!("LEI {}", l.text.trim())));
        let (identified_by, not_identified) = match (by_code, self.policy.evidence()) {
            (Some(code), _) => (Some(code), None),
            (None, None) => (None, None),
            (None, Some(rules)) => {
                let clear = rules.name_clear_below;
                let required_in = self
                    .located_in(party)
                    .into_iter()
                    .find(|c| rules.countries.contains(c));
                match (best_name, required_in) {
                    (_, Some(country)) => (
                        None,
                        Some(format!(
                            "no registry number (INN, OGRN, OGRNIP, USCC), BIC or LEI, which a party in {country} must carry"
                        )),
                    ),
                    (None, None) => (None, Some("no name, registry number, BIC or LEI".into())),
                    (Some(best), None) if best < clear => (
                        Some(format!("name clear of the lists (best score {best:.2} < {clear:.2})")),
                        None,
                    ),
                    (Some(best), None) => (
                        None,
                        Some(format!(
                            "no registry number, BIC or LEI, and its name scores {best:.2} against a list entry (below {clear:.2} is clear)"
                        )),
                    ),
                }
            }
        };
        self.evidence.parties.push(PartyEvidence {
            role: party.role.as_str().to_string(),
            field: party.path.clone(),
            identified_by,
            not_identified,
        });
    }

    /// Where a customer is: its own countries (address, residence, IBAN, address
    /// text); a payee that gives none is where its bank is and, in a rouble
    /// payment, in Russia. Banks are where their BIC says.
    fn located_in(&self, party: &Party) -> Vec<String> {
        let own: Vec<String> = party
            .countries
            .iter()
            .filter(|c| c.from != CountrySource::CountryOfBirth)
            .filter(|c| {
                party.kind == PartyKind::FinancialInstitution || c.from != CountrySource::Bic
            })
            .map(|c| c.code.clone())
            .collect();
        if !own.is_empty() || !is_payee(&party.role) {
            return own;
        }
        self.beneficiary_countries.iter().cloned().collect()
    }

    /// Under an `[evidence]` policy: releases the holds on its countries when every
    /// party is identified and nothing else stops the payment; otherwise says on
    /// each such hit what is missing.
    fn release(&mut self, _payment: &Payment) {
        let Some(rules) = self.policy.evidence() else {
            return;
        };
        let is_candidate = |h: &Hit| {
            h.kind == "country" && h.action == Verdict::Hold && rules.countries.contains(&h.value)
        };
        let countries: BTreeSet<String> = self
            .hits
            .iter()
            .filter(|h| is_candidate(h))
            .map(|h| h.value.clone())
            .collect();
        if countries.is_empty() {
            return;
        }
        let mut missing: Vec<String> = Vec::new();
        for source in &rules.required_sources {
            let loaded = self
                .index
                .versions()
                .iter()
                .any(|v| v.split('@').next() == Some(source.as_str()));
            if !loaded {
                missing.push(format!("list {source} is not loaded"));
            }
        }
        for h in self
            .hits
            .iter()
            .filter(|h| !is_candidate(h) && h.action > Verdict::Pass)
        {
            let what = h.entity_id.as_deref().or(h.caption.as_deref());
            missing.push(match what {
                Some(w) => format!("{} {} hit at {} ({w})", h.action, h.kind, h.field),
                None => format!("{} {} hit at {} ({})", h.action, h.kind, h.field, h.value),
            });
        }
        for p in &self.evidence.parties {
            if p.identified_by.is_none() {
                let why = p
                    .not_identified
                    .as_deref()
                    .unwrap_or("nothing identifies it");
                missing.push(format!(
                    "{} ({}) is not identified: {why}",
                    words_of(&p.role),
                    p.field
                ));
            }
        }
        let released = missing.is_empty();
        for h in self.hits.iter_mut().filter(|h| is_candidate(h)) {
            if released {
                h.action = Verdict::Pass;
                h.reason = format!(
                    "{}; released on evidence: every party identified, none listed, nothing else held",
                    h.reason.replacen(" is held ", " would be held ", 1)
                );
            } else {
                h.reason.push_str(&format!(
                    "; not released on evidence: {}",
                    missing.join("; ")
                ));
            }
        }
        self.evidence.release = Some(Release {
            countries: countries.into_iter().collect(),
            released,
            missing,
            lists_checked: self.index.versions().to_vec(),
        });
    }

    fn party(&mut self, party: &Party) {
        self.screened.parties += 1;
        let role = party.role.as_str();
        let ids: Vec<&crate::Value> = party
            .bic
            .iter()
            .chain(&party.lei)
            .chain(&party.account)
            .chain(&party.other_ids)
            .collect();
        let first_hit = self.hits.len();
        for v in &ids {
            let norm = normalize_identifier(&v.text);
            let is_account = party.account.as_ref() == Some(*v);
            if is_bic(&norm) && !is_account && party.lei.as_ref() != Some(*v) {
                self.screened.bics += 1;
                self.bic(&v.path, &v.text, &norm, Some(role), None);
            }
            // A second LEI lands among the other ids: every id is tried as an LEI.
            for l in self.lookups.leis.get(&norm).cloned().unwrap_or_default() {
                let action = self.policy.parties().listed_lei;
                self.push_listed(&v.path, &v.text, Some(role), "lei", action, &l, None);
            }
            // Tax, registration, passport… numbers equal to one a list carries.
            if norm.len() >= MIN_OTHER_ID_LEN {
                for l in self.lookups.other.get(&norm).cloned().unwrap_or_default() {
                    let action = self.policy.parties().listed_identifier;
                    self.push_listed(&v.path, &v.text, Some(role), "identifier", action, &l, None);
                }
            }
        }
        let registry = self.registry_ids(party);
        // Names after identifiers: a name hit that only an identifier lifted is
        // dropped when the identifier itself already hit (see `party_name`).
        let mut best_name = None;
        if let Some(name) = &party.name {
            let agent = party.kind == PartyKind::FinancialInstitution;
            if !agent || self.policy.parties().screen_agent_names {
                let by_id: BTreeSet<String> = self.hits[first_hit..]
                    .iter()
                    .filter_map(|h| h.entity_id.clone())
                    .collect();
                best_name = self.party_name(party, name, &by_id);
            }
        }
        self.record_party(party, registry, best_name);
        for c in &party.countries {
            self.screened.countries += 1;
            let Some(action) = self.policy.country_action(&c.code, c.from) else {
                continue;
            };
            if action == Verdict::Pass {
                continue;
            }
            let country = redline_model::countries::name_of(&c.code).unwrap_or(&c.code);
            let from = source_words(c.from);
            self.hits.push(Hit {
                field: c.path.clone(),
                value: c.code.clone(),
                role: Some(role.to_string()),
                kind: "country",
                action,
                entity_id: None,
                caption: None,
                score: None,
                reason: format!(
                    "{} country {} ({country}, from {from}) is {} under the policy",
                    words_of(role),
                    c.code,
                    action_word(action),
                ),
                explanation: None,
                start: None,
                end: None,
            });
        }
    }

    /// Screens a party's name (and, in a rouble payment, its SWIFT-RUR reading).
    /// `by_id`: entities this party's identifiers already hit. Returns the best
    /// score any list entry reached on the name alone (0 when none came near).
    fn party_name(
        &mut self,
        party: &Party,
        name: &crate::Value,
        by_id: &BTreeSet<String>,
    ) -> Option<f64> {
        if name.text.trim().is_empty() {
            return None;
        }
        self.screened.names += 1;
        let schema = match party.kind {
            PartyKind::Person => Some(Schema::Person),
            PartyKind::Organisation | PartyKind::FinancialInstitution => Some(Schema::Organization),
            PartyKind::Unknown => None,
        };
        // The country the party declares for itself: a structured address country,
        // else its country of residence. BIC and IBAN countries say where the bank
        // is, not the party.
        let country = [CountrySource::Address, CountrySource::CountryOfResidence]
            .iter()
            .find_map(|src| party.countries.iter().find(|c| c.from == *src))
            .map(|c| c.code.to_ascii_lowercase());
        let identifiers: Vec<String> = party
            .bic
            .iter()
            .chain(&party.lei)
            .chain(&party.other_ids)
            .map(|v| v.text.clone())
            .chain(party.registry_ids.iter().map(|r| r.text.clone()))
            .collect();
        let mut readings = vec![(name.text.clone(), None)];
        if self.rouble {
            if let Some(cyrillic) = swift_rur_reading(&name.text) {
                self.evidence.readings.push(Reading {
                    field: name.path.clone(),
                    written: name.text.clone(),
                    read_as: cyrillic.clone(),
                    scheme: "SWIFT-RUR",
                });
                readings.push((cyrillic.clone(), Some(cyrillic)));
            }
        }
        // Each entity once, from the reading that scores it highest.
        let mut matches: Vec<(Match, Option<String>)> = Vec::new();
        for (text, reading) in readings {
            for m in self.name_matches(text, schema, country.clone(), identifiers.clone()) {
                match matches.iter_mut().find(|(k, _)| k.entity_id == m.entity_id) {
                    Some(kept) if kept.0.score >= m.score => {}
                    Some(kept) => *kept = (m, reading.clone()),
                    None => matches.push((m, reading.clone())),
                }
            }
        }
        matches.sort_by(|a, b| {
            b.0.score
                .total_cmp(&a.0.score)
                .then(a.0.entity_id.cmp(&b.0.entity_id))
        });
        let role = party.role.as_str();
        let hold = self.policy.hold_threshold();
        let mut best: f64 = 0.0;
        for (m, reading) in matches {
            // The engine lifts any entity whose identifier the query carries to 0.95,
            // whatever the name. Such a hit is about the identifier, not the name:
            // reported once, by the exact identifier check, or here as an identifier
            // hit when that check could not see it.
            let name_alone = name_only_score(&m);
            best = best.max(name_alone);
            let lifted_by_id = name_alone < m.score;
            let (kind, action) = if name_alone >= hold {
                let action = if m.score >= self.policy.block_threshold() {
                    Verdict::Block
                } else {
                    Verdict::Hold
                };
                ("name", action)
            } else if lifted_by_id && m.score >= hold && !by_id.contains(&m.entity_id) {
                ("identifier", self.policy.parties().listed_identifier)
            } else {
                // Below the hold threshold: seen only to show how clear the name is.
                continue;
            };
            if action == Verdict::Pass {
                continue;
            }
            let read_as = reading
                .map(|r| format!(", read as SWIFT-RUR \"{r}\""))
                .unwrap_or_default();
            let reason = if kind == "name" {
                format!(
                    "{} name{read_as} matches {}{} (score {:.2}){}",
                    words_of(role),
                    entry(m.source, &m.caption, &m.programs),
                    via_alias(&m),
                    m.score,
                    m.other_listings_sentence()
                )
            } else {
                format!(
                    "{} carries an identifier of {}, although its name does not match (name score {:.2})",
                    words_of(role),
                    entry(m.source, &m.caption, &m.programs),
                    name_alone
                )
            };
            self.hits.push(Hit {
                field: name.path.clone(),
                value: name.text.clone(),
                role: Some(role.to_string()),
                kind,
                action,
                entity_id: Some(m.entity_id.clone()),
                caption: Some(m.caption.clone()),
                score: Some(m.score),
                reason,
                explanation: Some(m.explanation),
                start: None,
                end: None,
            });
        }
        Some(best)
    }

    /// The engine's matches for one reading of a party name, cached per message.
    fn name_matches(
        &mut self,
        name: String,
        schema: Option<Schema>,
        country: Option<String>,
        identifiers: Vec<String>,
    ) -> Vec<Match> {
        let options = self.name_options();
        let index = self.index;
        self.name_cache
            .entry((name, schema, country, identifiers))
            .or_insert_with_key(|(n, schema, country, ids)| {
                index.screen(
                    &Query {
                        name: n.clone(),
                        schema: *schema,
                        birth_date: None,
                        country: country.clone(),
                        identifiers: ids.clone(),
                        sources: Vec::new(),
                    },
                    &options,
                )
            })
            .clone()
    }

    /// A BIC against the listed ones: the listed BIC8 (or BIC11 `…XXX`) covers every
    /// branch of the institution; a listed branch BIC11 matches itself exactly, and
    /// its siblings (same BIC8, another branch or the head office) take the policy's
    /// `listed_branch_sibling` action.
    fn bic(
        &mut self,
        path: &str,
        text: &str,
        norm: &str,
        role: Option<&str>,
        span: Option<(usize, usize)>,
    ) {
        let Some(listed) = self.lookups.bics.get(&norm[..8]) else {
            return;
        };
        let listed = listed.clone();
        for l in &listed {
            let whole_institution = l.value.len() == 8 || l.value.ends_with("XXX");
            let action = if span.is_some() {
                self.policy.free_text().listed_bic_in_text
            } else if whole_institution || l.value == norm {
                self.policy.parties().listed_bic
            } else {
                self.policy.parties().listed_branch_sibling
            };
            self.push_listed(path, text, role, "bic", action, l, span);
        }
    }

    /// A value equal to a listed identifier. `span` is its place in a free-text
    /// field (None: a party's own identifier field).
    #[allow(clippy::too_many_arguments)]
    fn push_listed(
        &mut self,
        path: &str,
        text: &str,
        role: Option<&str>,
        kind: &'static str,
        action: Verdict,
        l: &Listed,
        span: Option<(usize, usize)>,
    ) {
        if action == Verdict::Pass {
            return;
        }
        let what = match kind {
            "bic" => "BIC",
            "lei" => "LEI",
            "imo" => "IMO number",
            _ => l.kind.label(),
        };
        let listed_as = if normalize_identifier(text) == l.value {
            String::new()
        } else {
            format!(" (listed as {})", l.value)
        };
        let of = entry(l.source, &l.caption, &l.programs);
        let reason = match (span, role) {
            (None, Some(r)) => format!(
                "{} {what} {text}{listed_as} is an identifier of {of}",
                words_of(r)
            ),
            _ => format!(
                "{} mentions {what} {text}{listed_as}, an identifier of {of}",
                field_words(role)
            ),
        };
        self.hits.push(Hit {
            field: path.to_string(),
            value: text.to_string(),
            role: role.map(str::to_string),
            kind,
            action,
            entity_id: Some(l.entity_id.clone()),
            caption: Some(l.caption.clone()),
            score: None,
            reason,
            explanation: None,
            start: span.map(|s| s.0),
            end: span.map(|s| s.1),
        });
    }

    /// The text as written and, in a rouble payment, its SWIFT-RUR reading in
    /// Cyrillic when that says something the Latin does not.
    fn readings<'t>(&self, text: &'t str) -> Vec<(Cow<'t, str>, bool)> {
        let mut out = vec![(Cow::Borrowed(text), false)];
        if self.rouble {
            if let Some(cyrillic) = swift_rur_reading(text) {
                out.push((Cow::Owned(cyrillic), true));
            }
        }
        out
    }

    fn free_text(&mut self, path: &str, text: &str, role: Option<&str>) {
        if text.trim().is_empty() {
            return;
        }
        self.screened.free_text += 1;
        let options = self.options();
        let index = self.index;
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for (reading, decoded) in self.readings(text) {
            let found = self
                .text_cache
                .entry(reading.to_string())
                .or_insert_with(|| index.find_in_text(&reading, &options))
                .clone();
            for tm in found {
                // A reading adds only parties the written text did not name; the written
                // text reports each place it names one.
                let known = !seen.insert(tm.matched.entity_id.clone()) && decoded;
                if misses_a_number(&tm.matched) || known {
                    continue;
                }
                let m = tm.matched;
                let read_as = if decoded { " (read as SWIFT-RUR)" } else { "" };
                self.hits.push(Hit {
                    field: path.to_string(),
                    value: tm.text.clone(),
                    role: role.map(str::to_string),
                    kind: "free_text",
                    // A name in a narrative may be mentioned rather than paid: review.
                    action: Verdict::Hold,
                    entity_id: Some(m.entity_id.clone()),
                    caption: Some(m.caption.clone()),
                    score: Some(m.score),
                    reason: format!(
                        "{} mentions \"{}\"{read_as}, matching {}{} (score {:.2})",
                        field_words(role),
                        tm.text,
                        entry(m.source, &m.caption, &m.programs),
                        via_alias(&m),
                        m.score
                    ),
                    explanation: Some(m.explanation),
                    // Offsets are the written text's; a reading's are not.
                    start: (!decoded).then_some(tm.start),
                    end: (!decoded).then_some(tm.end),
                });
            }
        }
        self.numbers_in_text(path, text, role);
    }

    /// IMO numbers, BICs and labelled registry numbers (`INN 7734…`, `ОГРН …`)
    /// written in the text, compared exactly.
    fn numbers_in_text(&mut self, path: &str, text: &str, role: Option<&str>) {
        for code in registry_codes(text) {
            self.screened.registry_ids += 1;
            let span = Some((code.start, code.end));
            self.registry_number(path, code.value, code.scheme, role, span);
        }
        let ws = words(text);
        for (i, w) in ws.iter().enumerate() {
            let upper = w.text.to_ascii_uppercase();
            // "IMO9187629", "IMO 9187629", "IMO No. 9187629", "IMO: 9187629".
            let (digits, prefixed) = if let Some(d) = upper.strip_prefix("IMO") {
                (d, true)
            } else {
                let before = |k: usize| {
                    i.checked_sub(k)
                        .map(|j| ws[j].text.to_ascii_uppercase())
                        .unwrap_or_default()
                };
                let prefixed = before(1) == "IMO"
                    || (matches!(before(1).as_str(), "NO" | "NR" | "NUMBER") && before(2) == "IMO");
                (upper.as_str(), prefixed)
            };
            if imo_check_digit_ok(digits) {
                let listed = self.lookups.imos.get(digits).cloned().unwrap_or_default();
                for l in &listed {
                    let action = if prefixed {
                        self.policy.free_text().imo_with_prefix
                    } else {
                        self.policy.free_text().imo_bare
                    };
                    let span = Some((w.start, w.end));
                    self.push_listed(path, w.text, role, "imo", action, l, span);
                }
            }
            let norm = normalize_identifier(w.text);
            if is_bic(&norm) {
                self.bic(path, w.text, &norm, role, Some((w.start, w.end)));
            }
        }
    }

    fn regions(&mut self, path: &str, text: &str, role: Option<&str>) {
        let mut seen: BTreeSet<usize> = BTreeSet::new();
        for (reading, decoded) in self.readings(text) {
            for m in self.policy.find_regions(&reading) {
                let region = &self.policy.regions()[m.region];
                // A reading adds only regions the written text did not name.
                let known = !seen.insert(m.region) && decoded;
                if region.action == Verdict::Pass || known {
                    continue;
                }
                let value = &reading[m.start..m.end];
                let read_as = if decoded { " (read as SWIFT-RUR)" } else { "" };
                self.hits.push(Hit {
                    field: path.to_string(),
                    value: value.to_string(),
                    role: role.map(str::to_string),
                    kind: "region",
                    action: region.action,
                    entity_id: None,
                    caption: Some(region.name.clone()),
                    score: None,
                    reason: format!(
                        "{} names \"{value}\"{read_as}: {} is {} under the policy",
                        field_words(role),
                        region.name,
                        action_word(region.action)
                    ),
                    explanation: None,
                    start: (!decoded).then_some(m.start),
                    end: (!decoded).then_some(m.end),
                });
            }
        }
    }
}

/// A match's score without identifier evidence: the name score with the other
/// adjustments (country, legal form, birth date) applied, as the engine sums them.
fn name_only_score(m: &Match) -> f64 {
    let delta: f64 = m
        .explanation
        .adjustments
        .iter()
        .filter(|a| a.feature != "weak_alias" && a.feature != "identifier")
        .map(|a| a.delta)
        .sum();
    let with_id = m
        .explanation
        .adjustments
        .iter()
        .any(|a| a.feature == "identifier" && a.delta > 0.0);
    if with_id {
        (m.explanation.name_score + delta).clamp(0.0, 1.0)
    } else {
        m.score
    }
}

/// A name written in SWIFT-RUR, read back into Cyrillic — when that reading says
/// something the Latin does not (`CMRBANK` → `ЦМРБАНК`, read `tsmrbank`); None for
/// names whose reading romanises back to themselves.
fn swift_rur_reading(name: &str) -> Option<String> {
    let cyrillic = redline_names::swift_rur_to_cyrillic(name)?;
    (redline_names::to_latin(&cyrillic) != redline_names::to_latin(name)).then_some(cyrillic)
}

/// Whether a list name's number went unmatched (`MAIN STREET 1095` found as "Main
/// Street"). A number in a name is what tells it from ordinary words — a street, a
/// vessel `SEA 1` — so a mention in free text without it names something else.
/// Party names are left to the scorer, which weighs every token.
fn misses_a_number(m: &Match) -> bool {
    m.explanation
        .unmatched_list_tokens
        .iter()
        .any(|t| t.bytes().any(|b| b.is_ascii_digit()))
}

/// `creditor_agent` → `creditor agent`.
fn words_of(role: &str) -> String {
    role.replace('_', " ")
}

/// `beneficiary customer` for a party's own field, `free text` / `… field` for a
/// number found in text.
fn field_or_role(role: Option<&str>, span: Option<(usize, usize)>) -> String {
    match (span, role) {
        (None, Some(r)) => words_of(r),
        _ => field_words(role),
    }
}

fn field_words(role: Option<&str>) -> String {
    match role {
        Some(r) => format!("{} field", words_of(r)),
        None => "free text".to_string(),
    }
}

fn action_word(action: Verdict) -> &'static str {
    match action {
        Verdict::Block => "blocked",
        Verdict::Hold => "held for review",
        Verdict::Pass => "allowed",
    }
}

fn source_label(source: SourceId) -> &'static str {
    match source {
        SourceId::OfacSdn => "OFAC SDN",
        SourceId::UnSc => "UN Security Council",
        SourceId::UkHmt => "UK OFSI",
        SourceId::OpenSanctions => "OpenSanctions",
        SourceId::UsCsl => "US Consolidated Screening List",
        SourceId::EuFsf => "EU consolidated list",
        SourceId::AuDfat => "Australia DFAT Consolidated List",
        SourceId::CaSema => "Canada SEMA list",
        SourceId::JpMof => "Japan MOF asset-freeze list",
        SourceId::JpMeti => "Japan METI End User List",
        SourceId::Operator => "operator ownership data",
    }
}

fn entry(source: SourceId, caption: &str, programs: &[String]) -> String {
    if programs.is_empty() {
        format!("{} entry {caption}", source_label(source))
    } else {
        format!(
            "{} entry {caption} [{}]",
            source_label(source),
            programs.join(", ")
        )
    }
}

/// ` via alias "…"` when the matched list name is not the caption.
fn via_alias(m: &Match) -> String {
    if m.name == m.caption {
        String::new()
    } else {
        format!(
            " via {} \"{}\"",
            m.explanation.name_kind.as_str().replace('_', " "),
            m.name
        )
    }
}

/// Where a country was read from, in words.
fn source_words(source: crate::CountrySource) -> &'static str {
    use crate::CountrySource::*;
    match source {
        Address => "address",
        CountryOfResidence => "country of residence",
        Bic => "BIC",
        Iban => "IBAN",
        Text => "address text",
        CountryOfBirth => "country of birth",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_order_and_serialise() {
        assert!(Verdict::Pass < Verdict::Hold && Verdict::Hold < Verdict::Block);
        assert_eq!(
            serde_json::to_string(&[Verdict::Pass, Verdict::Hold, Verdict::Block]).unwrap(),
            r#"["PASS","HOLD","BLOCK"]"#
        );
        let back: Vec<Verdict> = serde_json::from_str(r#"["BLOCK","hold"]"#).unwrap();
        assert_eq!(back, [Verdict::Block, Verdict::Hold]);
    }

    #[test]
    fn bic_shapes() {
        assert!(is_bic("SABRRUMM"));
        assert!(is_bic("SABRRUMM012"));
        assert!(!is_bic("SABRRUM"));
        assert!(!is_bic("1ABRRUMM"));
    }
}
