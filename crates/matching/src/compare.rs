//! Pairwise comparison: are two records the same party?
//!
//! Entity-resolution work and OpenSanctions Pairs-style judgements ask of two full
//! records what screening asks of a query and a list: the same scorer answers, so a
//! comparison means what an alert means. Each record is screened against an index of
//! the other alone, built with the word statistics of the loaded lists
//! ([`Index::build_against`]) — in an index of one entity every word would be as rare
//! as any other, and a shared `Mohammed` as telling as a shared `Zawahiri`.
//!
//! Every name of one record is tried against the other, with each of its birth dates,
//! its countries and all its identifiers as evidence; the comparison keeps the best
//! score over both directions (a record with many aliases often names the other only
//! in one of them), and says which names met and why.
//!
//! One piece of evidence exists only between two full records: both carry a number of
//! a kind a party keeps for life (a national id, a tax or registration number, an
//! LEI, an IMO number) and no number agrees. Two `Muhammad Naveed` with different
//! national ids are two people; a screening query rarely carries such a number, so
//! the scorer alone only nudges, and the comparison lowers the score by
//! [`IDENTIFIER_CONFLICT`].

use redline_model::{Entity, IdKind, Identifier, PartialDate};

use serde::Serialize;

use crate::{Adjustment, Explanation, Index, Match, Options, Query};

/// So that a record with hundreds of names (some FtM records carry every
/// transliteration there is) costs milliseconds, not seconds.
const MAX_NAMES: usize = 40;
/// Birth dates tried per record.
const MAX_BIRTH_DATES: usize = 4;
/// What two different lifelong numbers take off the score: a full-name match with
/// nothing else (about 0.97) falls well below the default threshold.
pub const IDENTIFIER_CONFLICT: f64 = 0.3;
/// A number written inside a longer one (`E-491591` in `ID card E-491591`) is the
/// same number from this many characters on.
const MIN_CONTAINED_NUMBER: usize = 6;

/// The answer for one pair.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The best score over both directions, in [0, 1].
    pub score: f64,
    /// The score reaches the threshold: the same party.
    pub same: bool,
    /// Why: the names that met best and the scorer's account of them; `None` when
    /// no name of one record shares anything with the other's.
    pub explanation: Option<Evidence>,
}

/// The best-matching names of a pair and how they were scored.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// Whose name was the query: `left` or `right`.
    pub query_side: &'static str,
    pub query_name: String,
    /// The other record's name it met.
    pub matched_name: String,
    #[serde(flatten)]
    pub detail: Explanation,
}

/// Compares two records with the lists in `reference` as the measure of how common
/// each word is, deciding "same" at `threshold`.
pub fn compare(left: &Entity, right: &Entity, reference: &Index, threshold: f64) -> Comparison {
    let one_way = |query: &Entity, other: &Entity| {
        let index = Index::build_against(vec![other.clone()], reference);
        best_of(query, other, &index)
    };
    let forward = one_way(left, right);
    let backward = one_way(right, left);
    let (query_side, (query_name, best)) = match (&forward.1, &backward.1) {
        (_, None) => ("left", forward),
        (None, Some(_)) => ("right", backward),
        (Some(f), Some(b)) if f.score >= b.score => ("left", forward),
        _ => ("right", backward),
    };
    let Some(mut best) = best else {
        return Comparison {
            score: 0.0,
            same: false,
            explanation: None,
        };
    };
    if let Some(detail) = identifier_conflict(left, right) {
        let delta = -IDENTIFIER_CONFLICT.min(best.score);
        best.score = ((best.score + delta) * 1000.0).round() / 1000.0;
        best.explanation.adjustments.push(Adjustment {
            feature: "identifier_conflict",
            delta,
            detail,
        });
    }
    Comparison {
        score: best.score,
        same: best.score >= threshold,
        explanation: Some(Evidence {
            query_side,
            query_name,
            matched_name: best.name,
            detail: best.explanation,
        }),
    }
}

/// The best match of any of `query`'s names, with its evidence, in `index` (which
/// holds `other` alone).
fn best_of(query: &Entity, other: &Entity, index: &Index) -> (String, Option<Match>) {
    let options = Options {
        threshold: 0.0,
        limit: 1,
    };
    let mut names: Vec<&str> = Vec::new();
    for name in &query.names {
        if !names.contains(&name.text.as_str()) && names.len() < MAX_NAMES {
            names.push(&name.text);
        }
    }
    let birth_dates: Vec<Option<PartialDate>> = if query.birth_dates.is_empty() {
        vec![None]
    } else {
        query
            .birth_dates
            .iter()
            .take(MAX_BIRTH_DATES)
            .map(|d| Some(d.date))
            .collect()
    };
    let identifiers: Vec<String> = (identifying(query).into_iter())
        .map(|i| i.value.clone())
        .collect();
    let country = shared_or_first_country(query, other);
    let mut best: (String, Option<Match>) = (String::new(), None);
    for name in names {
        for &birth_date in &birth_dates {
            let q = Query {
                name: name.to_string(),
                schema: None,
                birth_date,
                country: country.clone(),
                identifiers: identifiers.clone(),
                sources: Vec::new(),
            };
            let Some(m) = index.screen(&q, &options).into_iter().next() else {
                continue;
            };
            if best.1.as_ref().is_none_or(|b| m.score > b.score) {
                best = (name.to_string(), Some(m));
            }
        }
    }
    best
}

/// A country both records name (it supports the match), else the query's first (its
/// absence from the other's counts against it), else none.
fn shared_or_first_country(query: &Entity, other: &Entity) -> Option<String> {
    let theirs: Vec<&str> = other.all_countries().collect();
    let mut mine = query.all_countries();
    let first = mine.next()?;
    std::iter::once(first)
        .chain(mine)
        .find(|c| theirs.contains(c))
        .or(Some(first))
        .map(str::to_string)
}

/// Kinds of number a party keeps for life: two of them that differ are two parties.
/// A passport is renewed, a call sign or tail mark reassigned, and the `Other` kinds
/// (a KPP, a branch code) are shared by many.
fn lifelong(kind: &IdKind) -> bool {
    matches!(
        kind,
        IdKind::NationalId
            | IdKind::TaxId
            | IdKind::Registration
            | IdKind::Lei
            | IdKind::Imo
            | IdKind::Bic
    )
}

/// Two numbers name the same thing: equal once reduced to letters and digits and
/// stripped of leading zeros, or one written inside the other; two BICs of the same
/// institution (its first four letters; the rest are country, place and branch).
fn same_number(a: &Identifier, b: &Identifier) -> bool {
    let clean = |i: &Identifier| {
        let v = redline_model::registry::comparable(&i.value);
        v.trim_start_matches('0').to_string()
    };
    let (x, y) = (clean(a), clean(b));
    if x.is_empty() || y.is_empty() {
        return false;
    }
    if a.kind == IdKind::Bic && b.kind == IdKind::Bic {
        return x.len() >= 4 && y.len() >= 4 && x[..4] == y[..4];
    }
    let (short, long) = if x.len() <= y.len() {
        (&x, &y)
    } else {
        (&y, &x)
    };
    short == long || short.len() >= MIN_CONTAINED_NUMBER && long.contains(short.as_str())
}

/// Why the two records are two parties by their numbers, if they are: a lifelong
/// kind both carry (issued by the same country, where they say) with no number in
/// common, and no number of any kind agreeing.
pub(crate) fn identifier_conflict(left: &Entity, right: &Entity) -> Option<String> {
    let (mine, theirs) = (identifying(left), identifying(right));
    let agree = mine
        .iter()
        .any(|a| theirs.iter().any(|b| same_number(a, b)));
    if agree {
        return None;
    }
    let comparable = |a: &Identifier, b: &Identifier| {
        a.kind == b.kind
            && match (&a.country, &b.country) {
                (Some(x), Some(y)) => x == y,
                _ => true,
            }
    };
    let a = mine
        .iter()
        .find(|a| lifelong(&a.kind) && theirs.iter().any(|b| comparable(a, b)))?;
    let theirs: Vec<&str> = theirs
        .iter()
        .filter(|b| comparable(a, b))
        .map(|b| b.value.as_str())
        .collect();
    Some(format!(
        "both carry a {} number and none agrees: {} vs {}",
        a.kind.label().replace('_', " "),
        a.value,
        theirs.join(", ")
    ))
}

/// The numbers of a record that name it alone (see [`IdKind::identifies_party`]).
fn identifying(entity: &Entity) -> Vec<&Identifier> {
    (entity.identifiers.iter())
        .filter(|i| i.kind.identifies_party())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(kind: IdKind, value: &str) -> Identifier {
        Identifier {
            kind,
            value: value.into(),
            country: None,
            note: None,
        }
    }

    #[test]
    fn numbers_agree_as_registries_write_them() {
        // Leading zeros, a label around the number, one institution's BICs.
        assert!(same_number(
            &id(IdKind::NationalId, "0042587662"),
            &id(IdKind::NationalId, "42587662")
        ));
        assert!(same_number(
            &id(IdKind::NationalId, "ID card E-491591"),
            &id(IdKind::NationalId, "E-491591")
        ));
        assert!(same_number(
            &id(IdKind::Bic, "COMMAEAD"),
            &id(IdKind::Bic, "COMMCNSH")
        ));
        assert!(!same_number(
            &id(IdKind::NationalId, "3410238243417"),
            &id(IdKind::NationalId, "3740135235651")
        ));
        // Too short to be found inside another number by chance.
        assert!(!same_number(
            &id(IdKind::Registration, "410"),
            &id(IdKind::Registration, "5007126410")
        ));
    }

    #[test]
    fn a_shared_kpp_is_no_agreement_and_two_inns_are_a_conflict() {
        let company = |inn: &str| {
            let mut e = Entity::new(
                redline_model::SourceId::OpenSanctions,
                inn,
                redline_model::Schema::Organization,
            );
            e.identifiers = vec![
                id(IdKind::TaxId, inn),
                id(IdKind::Other("kppCode".into()), "500701001"),
            ];
            e
        };
        let conflict = identifier_conflict(&company("5007126410"), &company("5007126428"));
        assert!(conflict.is_some_and(|d| d.contains("tax id")));
        assert!(identifier_conflict(&company("5007126410"), &company("5007126410")).is_none());
    }
}
