//! Delta rescreening: when a list version changes, find which stored subjects match
//! the entries it added or changed, without rescreening every subject in full.
//!
//! The added and changed entries (a few hundred, even on a big designation day) are
//! built into a small *delta index*. Each subject is screened against it with a
//! margin below the alert threshold — cheap, since almost every subject shares no
//! token with so few names. Only the subjects it flags are then screened against the
//! full index of the new version, and only their matches on added or changed entries
//! are kept. The full index decides the scores, so a delta rescreen reports exactly
//! what a full rescreen would for those entries; the small index only decides who is
//! worth asking (its token weights come from few names, hence the margin).

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use redline_matching::{Index, Options};
use redline_model::Entity;
use serde::{Deserialize, Serialize};

use crate::Subject;

/// How far below the alert threshold the delta index still flags a subject.
const CANDIDATE_MARGIN: f64 = 0.2;

/// A match remembered from an earlier screening.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KnownMatch {
    pub subject_id: String,
    pub entity_id: String,
    pub score: f64,
}

/// A match the rescreen reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeltaMatch {
    pub subject_id: String,
    pub entity_id: String,
    /// The score now (for a removed match: the last known score).
    pub score: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_score: Option<f64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
    /// Why a match is reported as removed: the entry left the list, or no longer matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The outcome of a delta rescreen.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeltaReport {
    /// Matches on added or changed entries that no earlier screening had.
    pub new: Vec<DeltaMatch>,
    /// Matches on changed entries whose score changed.
    pub changed: Vec<DeltaMatch>,
    /// Earlier matches whose entry was removed, or changed so that it no longer matches.
    pub removed: Vec<DeltaMatch>,
    pub subjects: usize,
    /// Subjects the delta index flagged and the full index rescreened.
    pub rescreened: usize,
    pub added_entities: usize,
    pub changed_entities: usize,
    pub removed_entities: usize,
}

/// What changed between two list versions.
pub struct ListChange<'a> {
    /// The new version's index (all lists in use).
    pub full: &'a Index,
    /// Entries the new version added.
    pub added: Vec<Entity>,
    /// Entries present in both versions whose content changed.
    pub changed: Vec<Entity>,
    /// Ids of entries the new version no longer has.
    pub removed: Vec<String>,
}

/// Rescreens `subjects` against what `change` added or changed. `known` are the
/// subjects' matches from their last screening; every subject's current matches on
/// touched entries are returned in `current` for the caller to store.
pub fn rescreen(
    change: ListChange<'_>,
    subjects: &[Subject],
    known: &[KnownMatch],
    options: &Options,
) -> (DeltaReport, Vec<KnownMatch>) {
    let added_ids: BTreeSet<String> = change.added.iter().map(|e| e.id.clone()).collect();
    let changed_ids: BTreeSet<String> = change.changed.iter().map(|e| e.id.clone()).collect();
    let removed_ids: BTreeSet<&str> = change.removed.iter().map(String::as_str).collect();
    let mut report = DeltaReport {
        subjects: subjects.len(),
        added_entities: added_ids.len(),
        changed_entities: changed_ids.len(),
        removed_entities: removed_ids.len(),
        ..DeltaReport::default()
    };
    let touched = |id: &str| added_ids.contains(id) || changed_ids.contains(id);
    let delta_entities: Vec<Entity> = change.added.into_iter().chain(change.changed).collect();
    let mut current: Vec<KnownMatch> = Vec::new();
    if !delta_entities.is_empty() {
        let delta = Index::build(delta_entities, change.full.versions().to_vec());
        let loose = Options {
            threshold: (options.threshold - CANDIDATE_MARGIN).max(0.0),
            limit: options.limit.max(10),
        };
        let per_subject: Vec<(bool, Vec<KnownMatch>)> = subjects
            .par_iter()
            .map(|subject| {
                let Ok(query) = subject.to_query(&[]) else {
                    return (false, Vec::new());
                };
                if delta.screen(&query, &loose).is_empty() {
                    return (false, Vec::new());
                }
                // Enough room for every touched entry among the full index's results.
                let wide = Options {
                    threshold: options.threshold,
                    limit: options.limit.max(50),
                };
                let matches = change
                    .full
                    .screen(&query, &wide)
                    .into_iter()
                    .filter(|m| touched(&m.entity_id))
                    .map(|m| KnownMatch {
                        subject_id: subject.id.clone(),
                        entity_id: m.entity_id,
                        score: m.score,
                    })
                    .collect();
                (true, matches)
            })
            .collect();
        report.rescreened = per_subject.iter().filter(|(asked, _)| *asked).count();
        current = per_subject.into_iter().flat_map(|(_, m)| m).collect();
    }
    let before: BTreeMap<(&str, &str), f64> = known
        .iter()
        .map(|k| ((k.subject_id.as_str(), k.entity_id.as_str()), k.score))
        .collect();
    let now: BTreeMap<(&str, &str), f64> = current
        .iter()
        .map(|k| ((k.subject_id.as_str(), k.entity_id.as_str()), k.score))
        .collect();
    let caption = |id: &str| {
        change
            .full
            .entity(id)
            .map(|e| e.caption().to_string())
            .unwrap_or_default()
    };
    for (&(subject, entity), &score) in &now {
        let entry = |previous_score| DeltaMatch {
            subject_id: subject.to_string(),
            entity_id: entity.to_string(),
            score,
            previous_score,
            caption: caption(entity),
            reason: None,
        };
        match before.get(&(subject, entity)) {
            None => report.new.push(entry(None)),
            Some(&old) if (old - score).abs() > 1e-9 => report.changed.push(entry(Some(old))),
            Some(_) => {}
        }
    }
    for (&(subject, entity), &score) in &before {
        let reason = if removed_ids.contains(entity) {
            "the entry was removed from the list"
        } else if touched(entity) && !now.contains_key(&(subject, entity)) {
            "the entry changed and no longer matches"
        } else {
            continue;
        };
        report.removed.push(DeltaMatch {
            subject_id: subject.to_string(),
            entity_id: entity.to_string(),
            score,
            previous_score: Some(score),
            caption: String::new(),
            reason: Some(reason.to_string()),
        });
    }
    (report, current)
}
