//! Entities blocked by ownership: the OFAC 50 percent rule and, as a separate policy,
//! the EU/UK "owned or controlled" test, each with the path that explains it.
//!
//! A sanctions list names the parties it targets, not everything they own; OFAC
//! (FAQ 398, 401) and the EU and UK extend the restrictions to entities owned 50 % or
//! more, in aggregate, by listed persons — and, for the EU and UK, to those they
//! control. This crate computes those derived statuses from the ownership and control
//! relations in list entities and in ownership files (the operator's CSV, UK PSC
//! snapshots, GLEIF Level 2, BODS), and explains each one down to
//! the listed parties, so that screening can attach it to a match.
//!
//! ```text
//!  Entity links ───────────────┐          ListedSet (caller: which lists count)
//!  CSV · UK PSC · GLEIF · BODS ─┤
//!   formats::read → StakeRecord │
//!   parties: list id · number · ▼
//!   exact name · NameMatcher ► OwnershipGraph ──► compute(policy, as_of) ──► Derivation
//!                              (+ DataIssues)     worklist fixed point   derived · leads · issues
//!                                                                        └► explain(id) → path tree
//! ```
//!
//! The name matcher is the caller's (the screening engine); this crate defines what it
//! is asked ([`NameMatcher`]) so that it needs no index of its own.
//!
//! Like the other library crates it does no I/O: it takes entities and bytes and returns
//! values. Problems in the data are returned as [`DataIssue`]s next to the result, never
//! repaired silently; see [`issue`].

mod compute;
mod explain;
pub mod formats;
mod graph;
pub mod issue;
mod listed;
mod load;
pub mod parties;
pub mod record;
mod resolve;
mod share;
pub mod synthetic;

pub use compute::{
    compute, Derivation, DerivationStats, DerivedStatus, Lead, LeadKind, OwnerStatus, Policy, Rule,
    Stake,
};
pub use explain::{Explanation, PathStep, StepStatus, MAX_DEPTH};
pub use formats::csv::CSV_HEADER;
pub use formats::ReadOptions;
pub use graph::{GraphStats, OwnershipGraph, PartyId, Provenance, RelationKind};
pub use issue::{DataIssue, IssueKind, OwnershipError};
pub use listed::{ListedParty, ListedSet};
pub use load::{FileInput, FileReport};
pub use parties::{Candidate, Identified, MatchBar, NameMatcher, NameQuery};
pub use record::{Format, PartyKind};
pub use resolve::{normalize_name, Resolution, Resolver, LOCAL_PREFIX};
pub use share::{AsOf, Day, Period, Share, ShareError};
