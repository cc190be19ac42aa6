//! Prints the wall time of generating and recomputing the synthetic benchmark graph:
//! `cargo run --release -p redline-ownership --example recompute_wall [stakes]`.
//!
//! Criterion gives the statistics; this gives one plain figure per phase, with the
//! sizes of the result, for a quick check on a machine.

use std::time::Instant;

use redline_ownership::synthetic::{generate, SyntheticConfig};
use redline_ownership::{compute, AsOf, PathStep, Policy, StepStatus};

/// Levels of owners down to the deepest listed party.
fn depth(path: &[PathStep]) -> usize {
    path.iter()
        .map(|step| match &step.status {
            StepStatus::Derived { path, .. } => 1 + depth(path),
            _ => 1,
        })
        .max()
        .unwrap_or(0)
}

fn main() {
    let mut config = SyntheticConfig::default();
    if let Some(stakes) = std::env::args().nth(1).and_then(|a| a.parse().ok()) {
        config.stakes = stakes;
        config.parties = stakes * 3 / 5;
    }
    let started = Instant::now();
    let synthetic = generate(&config);
    let stats = synthetic.graph.stats();
    println!(
        "generated {} parties, {} stakes, {} listed in {:.2?}",
        stats.parties,
        stats.stakes,
        synthetic.listed.len(),
        started.elapsed()
    );
    for policy in [Policy::Ofac50, Policy::EuUk] {
        let started = Instant::now();
        let derivation = compute(&synthetic.graph, &synthetic.listed, policy, AsOf::Latest);
        let took = started.elapsed();
        let s = derivation.stats;
        println!(
            "{policy:?}: recomputed in {took:.2?}: {} stakes in force, {} derived ({} not \
             listed), {} leads, {} cycles, {} over 100%",
            s.stakes_in_force,
            s.derived,
            s.derived_not_listed,
            s.leads,
            s.cycles,
            s.over_hundred_percent
        );
        let started = Instant::now();
        let deepest = derivation
            .derived
            .iter()
            .filter_map(|d| derivation.explain(&d.entity_id))
            .max_by_key(|e| (depth(&e.path), e.entity_id.clone()));
        let took = started.elapsed();
        if let Some(explanation) = deepest {
            println!(
                "  explained all {} in {took:.2?}; the deepest, {}, is {} levels deep",
                derivation.derived.len(),
                explanation.entity_id,
                depth(&explanation.path)
            );
        }
    }
}
