//! Why an entity is blocked: the path tree from it up to listed parties.
//!
//! A derived status is only actionable with its reasons: a compliance officer must be
//! able to show which listed person, on which list, owns what through whom. An
//! [`Explanation`] is built from a [`Derivation`] alone (it needs no graph), so it can
//! be produced wherever the derivation was stored. Each blocked owner is expanded once:
//! a second mention (a diamond, or a cycle back to an entity already on the path) is a
//! `see_above` reference, so the tree stays as large as the data and terminates on
//! cycles; and the tree is cut at [`MAX_DEPTH`] levels (`deeper`), so that a chain of
//! thousands cannot exhaust the stack.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;

use crate::compute::{Derivation, OwnerStatus, Rule, Stake};
use crate::graph::{Provenance, RelationKind};
use crate::share::Share;

/// Why an entity is blocked, to the listed parties at the end of every path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub entity_id: String,
    pub entity_name: String,
    pub rule: Rule,
    pub aggregate_percent: f64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub aggregate_at_least: bool,
    pub also_listed: bool,
    pub path: Vec<PathStep>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// One blocked owner's stake (or control relation) in the entity above it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathStep {
    pub owner_id: String,
    pub owner_name: String,
    pub relation: RelationKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// A band of shares: its bounds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_range: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    pub provenance: Provenance,
    #[serde(flatten)]
    pub status: StepStatus,
}

/// Why the owner of a step counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum StepStatus {
    /// Listed: the end of this path.
    Listed {
        lists: Vec<String>,
        programs: Vec<String>,
    },
    /// Blocked by a rule itself, for the reasons in `path`.
    Derived {
        rule: Rule,
        aggregate_percent: f64,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        aggregate_at_least: bool,
        path: Vec<PathStep>,
    },
    /// Blocked by a rule, explained earlier in this tree.
    SeeAbove { rule: Rule },
    /// Blocked by a rule; the path goes on deeper than an explanation shows
    /// ([`MAX_DEPTH`]): explain this owner to follow it.
    Deeper { rule: Rule },
}

/// The most levels of owners an explanation shows. Real chains are a few levels deep;
/// the cap keeps a pathological chain of thousands from exhausting the stack when the
/// tree is built, printed or serialised (all of which recurse).
pub const MAX_DEPTH: usize = 64;

impl Derivation {
    /// The path tree of an entity's derived status, if it has one.
    pub fn explain(&self, entity_id: &str) -> Option<Explanation> {
        let status = self.get(entity_id)?;
        let mut expanded = HashSet::new();
        expanded.insert(entity_id.to_string());
        Some(Explanation {
            entity_id: status.entity_id.clone(),
            entity_name: status.entity_name.clone(),
            rule: status.rule,
            aggregate_percent: status.aggregate_percent,
            aggregate_at_least: status.aggregate_at_least,
            also_listed: status.also_listed,
            path: self.steps(&status.owners, &mut expanded, 1),
            warnings: status.warnings.clone(),
        })
    }

    fn steps(
        &self,
        owners: &[Stake],
        expanded: &mut HashSet<String>,
        depth: usize,
    ) -> Vec<PathStep> {
        owners
            .iter()
            .filter_map(|stake| {
                let status = match &stake.owner_status {
                    OwnerStatus::Listed { lists, programs } => StepStatus::Listed {
                        lists: lists.clone(),
                        programs: programs.clone(),
                    },
                    OwnerStatus::Derived { rule } if depth >= MAX_DEPTH => {
                        StepStatus::Deeper { rule: *rule }
                    }
                    OwnerStatus::Derived { rule } => match self.get(&stake.owner_id) {
                        Some(owner) if expanded.insert(stake.owner_id.clone()) => {
                            StepStatus::Derived {
                                rule: *rule,
                                aggregate_percent: owner.aggregate_percent,
                                aggregate_at_least: owner.aggregate_at_least,
                                path: self.steps(&owner.owners, expanded, depth + 1),
                            }
                        }
                        _ => StepStatus::SeeAbove { rule: *rule },
                    },
                    // A doubtful owner makes leads, never a blocked entity's path.
                    OwnerStatus::Candidate { .. } => return None,
                };
                Some(PathStep {
                    owner_id: stake.owner_id.clone(),
                    owner_name: stake.owner_name.clone(),
                    relation: stake.relation,
                    percent: stake.percent,
                    percent_range: stake.percent_range,
                    start_date: stake.start_date.clone(),
                    end_date: stake.end_date.clone(),
                    provenance: stake.provenance.clone(),
                    status,
                })
            })
            .collect()
    }
}

/// A percentage as the data wrote it (`49.9`, not `49.900000000000006`).
fn percent_text(percent: f64) -> String {
    match Share::from_percent(percent) {
        Ok(share) => share.to_string(),
        // Aggregates over 100 % (bad data) are not shares; print them plainly.
        Err(_) => format!("{percent}%"),
    }
}

fn describe(rule: Rule, aggregate: f64, at_least: bool) -> String {
    match rule {
        Rule::EuUkControl => format!("controlled under {rule}"),
        _ => format!(
            "blocked under {rule}: {}{} owned in aggregate by blocked persons",
            if at_least { "at least " } else { "" },
            percent_text(aggregate)
        ),
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}) is {}",
            self.entity_name,
            self.entity_id,
            describe(self.rule, self.aggregate_percent, self.aggregate_at_least)
        )?;
        if self.also_listed {
            f.write_str(" (and is listed itself)")?;
        }
        writeln!(f)?;
        for warning in &self.warnings {
            writeln!(f, "  warning: {warning}")?;
        }
        write_steps(f, &self.path, 1)
    }
}

fn write_steps(f: &mut fmt::Formatter<'_>, steps: &[PathStep], depth: usize) -> fmt::Result {
    let indent = "  ".repeat(depth);
    for step in steps {
        let what = match (step.relation, step.percent, step.percent_range) {
            (RelationKind::Ownership, Some(p), _) => format!("{} owned by", percent_text(p)),
            (RelationKind::Ownership, None, Some([low, high])) => {
                format!("{} to {} owned by", percent_text(low), percent_text(high))
            }
            (RelationKind::Ownership, None, None) => "owned (share not stated) by".to_string(),
            (RelationKind::Consolidation, _, _) => {
                "consolidated (accounting consolidation: majority control) by".to_string()
            }
            (relation, _, _) => format!("{relation}:"),
        };
        write!(
            f,
            "{indent}- {what} {} ({})",
            step.owner_name, step.owner_id
        )?;
        match (&step.start_date, &step.end_date) {
            (None, None) => {}
            (start, end) => write!(
                f,
                " [{} to {}]",
                start.as_deref().unwrap_or("?"),
                end.as_deref().unwrap_or("open")
            )?,
        }
        match &step.status {
            StepStatus::Listed { lists, programs } => {
                write!(f, ", listed on {}", lists.join(", "))?;
                if !programs.is_empty() {
                    write!(f, " under {}", programs.join(", "))?;
                }
                writeln!(f, "; from {}", step.provenance)?;
            }
            StepStatus::Derived {
                rule,
                aggregate_percent,
                aggregate_at_least,
                path,
            } => {
                writeln!(
                    f,
                    ", {}; from {}",
                    describe(*rule, *aggregate_percent, *aggregate_at_least),
                    step.provenance
                )?;
                write_steps(f, path, depth + 1)?;
            }
            StepStatus::SeeAbove { rule } => {
                writeln!(
                    f,
                    ", {} (see above); from {}",
                    short(*rule),
                    step.provenance
                )?;
            }
            StepStatus::Deeper { rule } => {
                writeln!(
                    f,
                    ", {} (the path goes deeper: explain {}); from {}",
                    short(*rule),
                    step.owner_id,
                    step.provenance
                )?;
            }
        }
    }
    Ok(())
}

fn short(rule: Rule) -> String {
    match rule {
        Rule::EuUkControl => format!("controlled under {rule}"),
        _ => format!("blocked under {rule}"),
    }
}
