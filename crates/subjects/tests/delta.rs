//! Delta rescreening on the real OFAC update of 23 February 2024 (the Russia action:
//! hundreds of new designations), against a subject base that contains variations of
//! some of the new designees, some previously listed names and ordinary customers.

use std::collections::{BTreeMap, BTreeSet};

use redline_matching::{Index, Options};
use redline_model::{Entity, SourceId};
use redline_sources::{parse, InputFile};
use redline_subjects::delta::{rescreen, KnownMatch, ListChange};
use redline_subjects::generate::generate;
use redline_subjects::Subject;

fn sdn(date: &str) -> Vec<Entity> {
    let path = format!("ofac/sdn-{date}.csv");
    let bytes = redline_testdata::bytes(&path);
    parse(
        SourceId::OfacSdn,
        &[InputFile {
            name: &path,
            bytes: &bytes,
        }],
    )
    .unwrap()
    .entities
}

fn screen_all(index: &Index, subjects: &[Subject], options: &Options) -> Vec<KnownMatch> {
    subjects
        .iter()
        .flat_map(|s| {
            let q = s.to_query(&[]).unwrap();
            index.screen(&q, options).into_iter().map(|m| KnownMatch {
                subject_id: s.id.clone(),
                entity_id: m.entity_id,
                score: m.score,
            })
        })
        .collect()
}

#[test]
fn the_23_february_2024_update_alerts_exactly_the_new_designees() {
    let old = sdn("2024-02-20");
    let new = sdn("2024-02-23");
    let old_json: BTreeMap<&str, String> = old
        .iter()
        .map(|e| (e.id.as_str(), serde_json::to_string(e).unwrap()))
        .collect();
    let new_ids: BTreeSet<&str> = new.iter().map(|e| e.id.as_str()).collect();
    let added: Vec<Entity> = new
        .iter()
        .filter(|e| !old_json.contains_key(e.id.as_str()))
        .cloned()
        .collect();
    let changed: Vec<Entity> = new
        .iter()
        .filter(|e| {
            old_json
                .get(e.id.as_str())
                .is_some_and(|j| *j != serde_json::to_string(e).unwrap())
        })
        .cloned()
        .collect();
    let removed: Vec<String> = old
        .iter()
        .filter(|e| !new_ids.contains(e.id.as_str()))
        .map(|e| e.id.clone())
        .collect();
    assert!(
        added.len() > 500,
        "the Russia action added {} entries",
        added.len()
    );

    // Subjects: variations of 40 new designees, of 40 long-listed (unchanged) names,
    // and 400 ordinary customers.
    let designees: Vec<&Entity> = added.iter().step_by(added.len() / 40).take(40).collect();
    let unchanged: Vec<&Entity> = old
        .iter()
        .filter(|e| !changed.iter().any(|c| c.id == e.id) && new_ids.contains(e.id.as_str()))
        .step_by(200)
        .take(40)
        .collect();
    let mut subjects = Vec::new();
    let mut derived_from = BTreeMap::new();
    for (i, g) in generate(40, 1.0, &designees, 1).into_iter().enumerate() {
        derived_from.insert(format!("new-{i}"), g.listed_as.unwrap());
        subjects.push(Subject {
            id: format!("new-{i}"),
            ..g.subject
        });
    }
    for (i, g) in generate(40, 1.0, &unchanged, 2).into_iter().enumerate() {
        subjects.push(Subject {
            id: format!("old-{i}"),
            ..g.subject
        });
    }
    subjects.extend(generate(400, 0.0, &[], 3).into_iter().map(|g| g.subject));

    let options = Options::default();
    let old_index = Index::build(old.clone(), vec!["ofac-sdn@2024-02-20".into()]);
    let known = screen_all(&old_index, &subjects, &options);
    let new_index = Index::build(new.clone(), vec!["ofac-sdn@2024-02-23".into()]);

    let (report, _current) = rescreen(
        ListChange {
            full: &new_index,
            added: added.clone(),
            changed: changed.clone(),
            removed: removed.clone(),
        },
        &subjects,
        &known,
        &options,
    );

    // What a full rescreen would report as new on touched entries.
    let touched: BTreeSet<&str> = added
        .iter()
        .chain(&changed)
        .map(|e| e.id.as_str())
        .collect();
    let known_pairs: BTreeSet<(&str, &str)> = known
        .iter()
        .map(|k| (k.subject_id.as_str(), k.entity_id.as_str()))
        .collect();
    let full = screen_all(
        &new_index,
        &subjects,
        &Options {
            limit: 50,
            ..options
        },
    );
    let expected: BTreeSet<(String, String)> = full
        .iter()
        .filter(|m| touched.contains(m.entity_id.as_str()))
        .filter(|m| !known_pairs.contains(&(m.subject_id.as_str(), m.entity_id.as_str())))
        .map(|m| (m.subject_id.clone(), m.entity_id.clone()))
        .collect();
    let got: BTreeSet<(String, String)> = report
        .new
        .iter()
        .map(|m| (m.subject_id.clone(), m.entity_id.clone()))
        .collect();
    assert_eq!(got, expected, "delta and full rescreen agree");

    // Those are the designee variations, and nothing from the unchanged names.
    let found: BTreeSet<&str> = got.iter().map(|(s, _)| s.as_str()).collect();
    let designees_found = (0..40)
        .filter(|i| found.contains(format!("new-{i}").as_str()))
        .count();
    assert!(
        designees_found >= 36,
        "{designees_found} of 40 new designees alerted: {got:?}"
    );
    assert!(!found.iter().any(|s| s.starts_with("old-")), "{got:?}");
    // Each designee variation is alerted on its designee (and at most on others too).
    for (subject, entity) in &derived_from {
        if found.contains(subject.as_str()) {
            assert!(
                got.contains(&(subject.clone(), entity.clone())),
                "{subject} → {entity}: {got:?}"
            );
        }
    }
    // The delta index spared most subjects a full screening.
    assert!(
        report.rescreened < subjects.len() / 2,
        "{} of {}",
        report.rescreened,
        subjects.len()
    );
    assert!(report.changed.is_empty() || report.changed.iter().all(|m| m.previous_score.is_some()));
}
