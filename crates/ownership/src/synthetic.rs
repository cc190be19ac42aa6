//! A synthetic ownership graph of realistic shape, for benchmarks.
//!
//! Real registers at scale are not redistributable, so the benchmark needs a generator
//! whose graph stresses the computation the way real data does: many small corporate
//! groups (a root held by a few persons, subsidiaries held mostly by a parent and
//! partly by others), some long chains of majority stakes (where blocking travels
//! far), cross-holdings between groups that close cycles, stakes that have ended,
//! directorships, stakes without a share, and about 1 % of parties listed. Shares
//! never exceed 100 % in one entity (each entity's remaining room is tracked), so the
//! benchmark measures the computation, not a flood of data issues.
//!
//! The generator is seeded and self-contained (SplitMix64), so the same configuration
//! always gives the same graph.

use crate::graph::{Edge, Origin, OwnershipGraph, RelationKind, NO_SHARE};
use crate::listed::{ListedParty, ListedSet};
use crate::share::{Period, Share};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct SyntheticConfig {
    pub parties: usize,
    /// Stakes to generate (ownership and control), approximately met from below.
    pub stakes: usize,
    /// Listed parties per thousand.
    pub listed_per_mille: u64,
    pub seed: u64,
}

impl Default for SyntheticConfig {
    fn default() -> Self {
        SyntheticConfig {
            parties: 600_000,
            stakes: 1_000_000,
            listed_per_mille: 10,
            seed: 0x5EED_0F0A_C0DE,
        }
    }
}

/// A generated graph and its listed parties.
pub struct Synthetic {
    pub graph: OwnershipGraph,
    pub listed: ListedSet,
}

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
}

const PERCENT: u32 = Share::SCALE;

struct Builder {
    graph: OwnershipGraph,
    rng: SplitMix,
    /// Share still unallocated in each party, in millionths.
    room: Vec<u32>,
    ended: Period,
}

impl Builder {
    fn stake(&mut self, owner: u32, asset: u32, share: u32) {
        let share = share.min(self.room[asset as usize]);
        if share == 0 {
            return;
        }
        self.room[asset as usize] -= share;
        // A tenth of stakes have ended: registers keep them, the computation must not
        // count them as of today.
        let period = if self.rng.chance(100) {
            self.ended
        } else {
            Period::ALWAYS
        };
        // A few stakes have no stated share.
        let share = if self.rng.chance(20) { NO_SHARE } else { share };
        self.push(owner, asset, share, RelationKind::Ownership, period);
    }

    fn push(&mut self, owner: u32, asset: u32, share: u32, relation: RelationKind, period: Period) {
        self.graph.push(
            Edge {
                owner,
                asset,
                share,
                share_max: share,
                period,
                relation,
            },
            Origin::Added,
        );
    }
}

/// Generates a graph (see the module doc).
pub fn generate(config: &SyntheticConfig) -> Synthetic {
    let parties = config.parties.max(10);
    let mut graph = OwnershipGraph::new();
    for at in 0..parties {
        graph.add_party(&format!("syn:{at}"), &format!("Synthetic party {at}"));
    }
    let ended = match Period::parse(Some("2010-01-01"), Some("2020-12-31")) {
        Ok(period) => period,
        Err(_) => Period::ALWAYS,
    };
    let mut b = Builder {
        graph,
        rng: SplitMix(config.seed),
        room: vec![Share::FULL.micros(); parties],
        ended,
    };
    // The first fifth are persons: they own, nobody owns them.
    let persons = (parties / 5) as u64;
    let n = parties as u64;
    let random_person = |rng: &mut SplitMix| rng.range(0, persons - 1) as u32;

    let mut next = persons;
    while next < n {
        let chain = b.rng.chance(20);
        let size = if chain {
            b.rng.range(20, 60)
        } else {
            b.rng.range(1, 16)
        }
        .min(n - next);
        let root = next as u32;
        // The root: held by one to three persons, leaving room for cross-holdings.
        for _ in 0..b.rng.range(1, 3) {
            let share = b.rng.range(10, 60) as u32 * PERCENT;
            let owner = random_person(&mut b.rng);
            b.stake(
                owner,
                root,
                share.min(b.room[root as usize].saturating_sub(10 * PERCENT)),
            );
        }
        for member in 1..size {
            let asset = (next + member) as u32;
            let parent = if chain {
                asset - 1
            } else {
                (next + b.rng.range(0, member - 1)) as u32
            };
            // Mostly majority stakes; some minority ones that only aggregate.
            let share = if b.rng.chance(700) {
                b.rng.range(50_000, 100_000) as u32 * (PERCENT / 1000)
            } else {
                b.rng.range(5_000, 49_900) as u32 * (PERCENT / 1000)
            };
            b.stake(parent, asset, share);
            if b.rng.chance(20) {
                let director = random_person(&mut b.rng);
                b.push(
                    director,
                    asset,
                    NO_SHARE,
                    RelationKind::Director,
                    Period::ALWAYS,
                );
            }
        }
        // A cross-holding back to the root closes a cycle in one group in a hundred.
        if size > 1 && b.rng.chance(10) {
            let last = (next + size - 1) as u32;
            b.stake(last, root, 5 * PERCENT);
        }
        next += size;
    }
    // Minority holders until the stake count is reached: persons and other companies,
    // which ties groups together and closes some cycles.
    let mut attempts = 0usize;
    while b.graph.edges.len() < config.stakes && attempts < config.stakes * 4 {
        attempts += 1;
        let asset = b.rng.range(persons, n - 1) as u32;
        let room = b.room[asset as usize];
        if room < PERCENT {
            continue;
        }
        let owner = if b.rng.chance(700) {
            random_person(&mut b.rng)
        } else {
            b.rng.range(persons, n - 1) as u32
        };
        if owner == asset {
            continue;
        }
        let most = u64::from(room.min(30 * PERCENT) / (PERCENT / 100));
        let share = b.rng.range(100, most.max(100)) as u32 * (PERCENT / 100);
        b.stake(owner, asset, share);
    }

    let mut listed = ListedSet::new();
    for at in 0..n {
        if b.rng.chance(config.listed_per_mille) {
            let program = format!("SYN-{}", b.rng.range(1, 5));
            listed.insert(ListedParty::new(
                format!("syn:{at}"),
                "synthetic@1",
                vec![program],
            ));
        }
    }
    Synthetic {
        graph: b.graph,
        listed,
    }
}

/// A UK PSC snapshot of `lines` lines, shaped like the register's: about seven in ten
/// PSCs are persons (name, title, month and year of birth, nationality), the rest
/// corporate PSCs that are companies of the same file (so groups chain), with the
/// register's natures of control, some ceased holdings, statements and super-secure
/// PSCs. A person's given and family names are drawn from `population` (single
/// names); one line in two hundred names a person of `listed` (`Given Family`) as
/// written, so that some owners are found on the lists.
pub fn psc_snapshot(lines: usize, population: &[&str], listed: &[String], seed: u64) -> Vec<u8> {
    use std::fmt::Write;
    const NATURES: [&str; 6] = [
        "ownership-of-shares-25-to-50-percent",
        "ownership-of-shares-50-to-75-percent",
        "ownership-of-shares-75-to-100-percent",
        "voting-rights-75-to-100-percent",
        "right-to-appoint-and-remove-directors",
        "significant-influence-or-control",
    ];
    const TITLES: [&str; 4] = ["Mr", "Mrs", "Ms", "Dr"];
    const WORDS: [&str; 12] = [
        "NORTHERN", "ATLAS", "MERIDIAN", "KESTREL", "HARBOUR", "SUMMIT", "VECTOR", "BALTIC",
        "CEDAR", "ORION", "TRIDENT", "ALDER",
    ];
    const KINDS: [&str; 6] = [
        "HOLDINGS",
        "TRADING",
        "LOGISTICS",
        "PROPERTIES",
        "SERVICES",
        "INVESTMENTS",
    ];
    let mut rng = SplitMix(seed);
    let capital = |name: &str| {
        let mut chars = name.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    };
    let pick = |rng: &mut SplitMix, from: &[&'static str]| {
        from[rng.range(0, from.len() as u64 - 1) as usize]
    };
    let companies = (lines as u64 * 6 / 10).max(1);
    let mut out = String::with_capacity(lines * 420);
    for line in 0..lines as u64 {
        let company = rng.range(1, companies);
        let _ = write!(
            out,
            "{{\"company_number\":\"{:08}\",\"data\":{{",
            10_000_000 + company
        );
        let roll = rng.range(0, 999);
        if roll < 10 {
            let _ = write!(
                out,
                "\"kind\":\"persons-with-significant-control-statement\",\"statement\":\"no-individual-or-entity-with-signficant-control\",\"notified_on\":\"2016-06-30\"}}}}"
            );
        } else if roll < 13 {
            out.push_str("\"kind\":\"super-secure-person-with-significant-control\"}}");
        } else {
            let natures: Vec<&str> = (0..rng.range(1, 3))
                .map(|_| pick(&mut rng, &NATURES))
                .collect();
            let natures = natures
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(",");
            let _ = write!(
                out,
                "\"etag\":\"{:016x}{:016x}\",\"natures_of_control\":[{natures}],\"notified_on\":\"20{:02}-{:02}-{:02}\",",
                rng.next(),
                rng.next(),
                rng.range(16, 24),
                rng.range(1, 12),
                rng.range(1, 28)
            );
            if rng.chance(80) {
                let _ = write!(
                    out,
                    "\"ceased_on\":\"2025-{:02}-{:02}\",",
                    rng.range(1, 12),
                    rng.range(1, 28)
                );
            }
            if roll < 300 {
                let parent = rng.range(1, companies);
                let _ = write!(
                    out,
                    "\"kind\":\"corporate-entity-person-with-significant-control\",\"name\":\"{} {} LIMITED\",\"identification\":{{\"country_registered\":\"England\",\"legal_authority\":\"Companies Act 2006\",\"legal_form\":\"Private Limited Company\",\"place_registered\":\"Companies House\",\"registration_number\":\"{:08}\"}}}}}}",
                    pick(&mut rng, &WORDS),
                    pick(&mut rng, &KINDS),
                    10_000_000 + parent
                );
            } else {
                let (first, last) = if !listed.is_empty() && line % 200 == 0 {
                    let whole = &listed[rng.range(0, listed.len() as u64 - 1) as usize];
                    let (first, last) = whole.rsplit_once(' ').unwrap_or(("", whole));
                    (first.to_string(), last.to_string())
                } else if population.is_empty() {
                    ("John".to_string(), format!("Smith{line}"))
                } else {
                    let mut draw =
                        || capital(population[rng.range(0, population.len() as u64 - 1) as usize]);
                    (draw(), draw())
                };
                let name = format!("{} {first} {last}", pick(&mut rng, &TITLES));
                let _ = write!(
                    out,
                    "\"kind\":\"individual-person-with-significant-control\",\"name\":{},\"name_elements\":{{\"forename\":{},\"surname\":{}}},\"date_of_birth\":{{\"month\":{},\"year\":{}}},\"nationality\":\"British\",\"country_of_residence\":\"England\"}}}}",
                    serde_json::to_string(&name).unwrap_or_default(),
                    serde_json::to_string(&first).unwrap_or_default(),
                    serde_json::to_string(&last).unwrap_or_default(),
                    rng.range(1, 12),
                    rng.range(1940, 2000)
                );
            }
        }
        out.push('\n');
    }
    out.into_bytes()
}
