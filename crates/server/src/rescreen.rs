//! Delta rescreening of the stored customer base after a list update, run once across
//! every process that shares the store.
//!
//! Stored matches reflect one set of list versions (`screened_versions`). When other
//! versions become active, only the entries that were added, changed or removed are
//! screened against the subjects (see `redline_subjects::delta`), and an alert is
//! raised per subject with a new or changed match. Several replicas notice the same
//! list load; the `rescreen` lease lets one of them do the work, and whoever comes
//! after finds the matches already current and does nothing.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use redline_matching::{Index, Options};
use redline_store::{Store, StoreError, SubjectMatch};
use redline_subjects::delta::{self, DeltaReport, KnownMatch, ListChange};
use redline_subjects::Subject;
use serde_json::json;

/// The lease's name.
pub const LEASE: &str = "rescreen";
/// How long a rescreen may hold the lease; a holder killed mid-run stops blocking
/// others after this long. Ten times the 1M-subject rescreen measured in the README.
pub const LEASE_TTL: Duration = Duration::from_secs(600);

/// What a rescreen did.
pub struct Rescreened {
    pub report: DeltaReport,
    pub elapsed: Duration,
}

/// What [`rescreen_once`] found.
pub enum Outcome {
    /// No subjects are stored.
    NoSubjects,
    /// Another process holds the lease: it is doing the work.
    HeldElsewhere,
    /// The stored matches already reflect the active versions (another process did
    /// the work, or nothing changed).
    UpToDate,
    Done(Rescreened),
}

/// The source part of a version id (`ofac-sdn@2024-02-23-…` → `ofac-sdn`).
fn source_of(version: &str) -> &str {
    version.split('@').next().unwrap_or(version)
}

fn stored_subjects(store: &dyn Store) -> redline_store::Result<Vec<Subject>> {
    store
        .subjects()?
        .into_iter()
        .map(|(id, body)| {
            serde_json::from_str(&body)
                .map_err(|e| StoreError::Corrupt(format!("stored subject {id} is damaged: {e}")))
        })
        .collect()
}

/// Rescreens under the lease, as `holder`; see [`rescreen`].
pub fn rescreen_once(
    store: &mut dyn Store,
    holder: &str,
    since: Option<&str>,
    options: &Options,
    now_unix: i64,
    at: &str,
) -> redline_store::Result<Outcome> {
    if store.subject_count()? == 0 {
        return Ok(Outcome::NoSubjects);
    }
    if since.is_none() && is_current(store)? {
        return Ok(Outcome::UpToDate);
    }
    if !store.take_lease(LEASE, holder, now_unix, LEASE_TTL.as_secs() as i64)? {
        return Ok(Outcome::HeldElsewhere);
    }
    // Checked again under the lease: the last holder may have finished just now.
    let result = is_current(store).and_then(|current| match since.is_none() && current {
        true => Ok(None),
        false => rescreen(store, since, options, at),
    });
    // Released on failure too: the next attempt must not wait out the lease.
    let released = store.release_lease(LEASE, holder);
    let done = result?;
    released?;
    Ok(done.map_or(Outcome::UpToDate, Outcome::Done))
}

/// Whether the stored matches reflect exactly the active list versions.
fn is_current(store: &dyn Store) -> redline_store::Result<bool> {
    let active: Vec<String> = store.active_versions()?.into_iter().map(|v| v.id).collect();
    Ok(store.screened_versions()? == active)
}

/// Screens stored subjects against what changed since the versions their matches
/// reflect (or since `since`, a version id or prefix), records the matches and raises
/// alerts. Returns `None` when there are no subjects.
pub fn rescreen(
    store: &mut dyn Store,
    since: Option<&str>,
    options: &Options,
    at: &str,
) -> redline_store::Result<Option<Rescreened>> {
    if store.subject_count()? == 0 {
        return Ok(None);
    }
    let started = Instant::now();
    let mut screened = store.screened_versions()?;
    if let Some(since) = since {
        let v = store.version(since)?;
        screened.retain(|s| source_of(s) != v.source.as_str());
        screened.push(v.id);
    }
    let active = store.active_versions()?;
    let mut added = Vec::new();
    let mut changed = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    for v in &active {
        let old = screened.iter().find(|s| source_of(s) == v.source.as_str());
        if old == Some(&v.id) {
            continue;
        }
        let new_entities = store.entities(&v.id)?;
        let old_entities = match old {
            Some(id) => store.entities(id)?,
            None => Vec::new(),
        };
        let d = redline_store::diff(&old_entities, &new_entities);
        let added_ids: BTreeSet<&str> = d.added.iter().map(String::as_str).collect();
        let changed_ids: BTreeSet<&str> = d.changed.iter().map(|c| c.entity_id.as_str()).collect();
        for e in new_entities {
            if added_ids.contains(e.id.as_str()) {
                added.push(e);
            } else if changed_ids.contains(e.id.as_str()) {
                changed.push(e);
            }
        }
        removed.extend(d.removed);
    }
    // A source screened before and no longer active: all its entries are gone.
    for s in &screened {
        if !active.iter().any(|v| v.source.as_str() == source_of(s)) {
            removed.extend(store.entities(s)?.into_iter().map(|e| e.id));
        }
    }
    let active_ids: Vec<String> = active.iter().map(|v| v.id.clone()).collect();
    if added.is_empty() && changed.is_empty() && removed.is_empty() {
        store.update_matches(&[], &[], &[], &active_ids)?;
        return Ok(Some(Rescreened {
            report: DeltaReport {
                subjects: store.subject_count()?,
                ..DeltaReport::default()
            },
            elapsed: started.elapsed(),
        }));
    }
    let (entities, versions) = store.active_entities()?;
    let index = Index::build(entities, versions.into_iter().map(|v| v.id).collect());
    let subjects = stored_subjects(store)?;
    let known: Vec<KnownMatch> = store
        .subject_matches()?
        .into_iter()
        .map(|m| KnownMatch {
            subject_id: m.subject_id,
            entity_id: m.entity_id,
            score: m.score,
        })
        .collect();
    let touched: Vec<String> = added
        .iter()
        .chain(&changed)
        .map(|e| e.id.clone())
        .chain(removed.iter().cloned())
        .collect();
    let (report, current) = delta::rescreen(
        ListChange {
            full: &index,
            added,
            changed,
            removed,
        },
        &subjects,
        &known,
        options,
    );
    let current: Vec<SubjectMatch> = current
        .into_iter()
        .map(|m| SubjectMatch {
            subject_id: m.subject_id,
            entity_id: m.entity_id,
            score: m.score,
        })
        .collect();
    store.update_matches(&[], &touched, &current, &active_ids)?;
    raise_subject_alerts(store, &index, &subjects, &report, options.threshold, at)?;
    Ok(Some(Rescreened {
        report,
        elapsed: started.elapsed(),
    }))
}

/// An alert per subject with new or changed matches, with every current match of the
/// subject on the touched entries.
fn raise_subject_alerts(
    store: &mut dyn Store,
    index: &Index,
    subjects: &[Subject],
    report: &DeltaReport,
    threshold: f64,
    at: &str,
) -> redline_store::Result<()> {
    let mut by_subject: std::collections::BTreeMap<&str, Vec<serde_json::Value>> =
        Default::default();
    for m in report.new.iter().chain(&report.changed) {
        by_subject
            .entry(m.subject_id.as_str())
            .or_default()
            .push(json!({
                "entity_id": m.entity_id,
                "caption": m.caption,
                "score": m.score,
                "previous_score": m.previous_score,
            }));
    }
    let subjects: std::collections::HashMap<&str, &Subject> =
        subjects.iter().map(|s| (s.id.as_str(), s)).collect();
    for (subject_id, matches) in by_subject {
        let Some(subject) = subjects.get(subject_id) else {
            continue;
        };
        let body = serde_json::to_value(subject)
            .map_err(|e| StoreError::Invalid(format!("subject {subject_id}: {e}")))?;
        crate::review::raise(
            store,
            index,
            &crate::review::Raising {
                kind: "subject",
                subject_key: subject_id,
                subject: &body,
                matches: &matches,
                decision_id: None,
                origin: redline_store::AlertOrigin {
                    via: "rescreen".into(),
                    by: "rescreen".into(),
                    threshold: Some(threshold),
                },
                at,
            },
        )?;
    }
    Ok(())
}
