//! Recomputing derived statuses on a synthetic 1,000,000-stake graph.
//!
//! The graph is generated once (outside the timing); each iteration is one whole
//! `compute`: in-force filtering, adjacency, the worklist fixed point, cycle and
//! over-100 % checks, and building the sorted, explained-ready output. That is what a
//! list update costs, so it is what is measured.

use criterion::{criterion_group, criterion_main, Criterion};
use redline_ownership::synthetic::{generate, SyntheticConfig};
use redline_ownership::{compute, AsOf, Policy};

fn recompute(c: &mut Criterion) {
    let synthetic = generate(&SyntheticConfig::default());
    let stats = synthetic.graph.stats();
    eprintln!(
        "synthetic graph: {} parties, {} stakes, {} listed",
        stats.parties,
        stats.stakes,
        synthetic.listed.len()
    );
    let mut group = c.benchmark_group("recompute_1m_stakes");
    group.sample_size(10);
    for (name, policy) in [("ofac_50", Policy::Ofac50), ("eu_uk", Policy::EuUk)] {
        group.bench_function(name, |b| {
            b.iter(|| compute(&synthetic.graph, &synthetic.listed, policy, AsOf::Latest))
        });
    }
    group.finish();
}

criterion_group!(benches, recompute);
criterion_main!(benches);
