//! Data problems and errors.
//!
//! Ownership data is messy — registers keep superseded records, operators mistype ids —
//! and a wrong fix is worse than none: a stake silently dropped can unblock an entity,
//! one silently invented can block an innocent one. So problems inside otherwise
//! readable data become [`DataIssue`]s that travel with the result, each naming where
//! it was found (`file:line`, or the entity and link) and which entities it concerns,
//! and the computation uses the data as stated. Only a file that cannot be read as its
//! format at all is an [`OwnershipError`].

use std::fmt;

use serde::Serialize;

/// What kind of problem a [`DataIssue`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    /// The in-force stakes in one entity sum to more than 100 %.
    OverHundredPercent,
    /// Entities that own each other, directly or through others.
    Cycle,
    /// An owner or asset that names no known party; the stake is not used.
    UnresolvedParty,
    /// A name or identifier that fits several parties; the stake is not used.
    AmbiguousParty,
    /// A link to an id not among the given entities; kept as a party known by id only.
    ExternalParty,
    /// A percentage that is not a number in 0..=100; the stake is kept with an
    /// unknown share, so it still shows as a lead.
    InvalidPercent,
    /// A percentage with more than six decimals, rounded to six.
    RoundedPercent,
    /// A date that is not ISO; the period is taken as open at that end.
    InvalidDate,
    /// A CSV relation this library does not know; the row is not used.
    UnknownRelation,
    /// A percentage given on a control relation; the row is not used.
    PercentOnControl,
    /// A stake stated again with the same parties, relation, share and period; the
    /// repetition is not counted twice.
    DuplicateStake,
    /// Two entities with the same id; the first is kept.
    DuplicateEntity,
    /// A row that cannot be read (broken JSON, a short CSV row, bytes that are not
    /// UTF-8, a required field missing); the row is not used.
    MalformedRow,
    /// A number that no list carries, no register published and no row names; the
    /// row is not used.
    UnknownNumber,
    /// A row that states no stake these rules use (a PSC statement, a fund manager, a
    /// trustee's interest); reported, not refused.
    NotAStake,
}

impl IssueKind {
    /// Whether the row the issue is about was refused (not used because it is wrong),
    /// as opposed to used with a warning or not a stake at all. A file with refused
    /// rows was loaded partially.
    pub fn refuses_row(self) -> bool {
        matches!(
            self,
            IssueKind::UnresolvedParty
                | IssueKind::AmbiguousParty
                | IssueKind::UnknownRelation
                | IssueKind::MalformedRow
                | IssueKind::UnknownNumber
        )
    }
}

/// A problem found in the data, with where it was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataIssue {
    pub kind: IssueKind,
    /// `file:line`, `<entity id> link <n>`, or the entity id for computed checks.
    pub location: String,
    pub message: String,
    /// The entity ids the problem concerns, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<String>,
}

impl DataIssue {
    pub(crate) fn new(
        kind: IssueKind,
        location: impl Into<String>,
        message: impl Into<String>,
        mut entities: Vec<String>,
    ) -> Self {
        entities.sort();
        entities.dedup();
        DataIssue {
            kind,
            location: location.into(),
            message: message.into(),
            entities,
        }
    }
}

impl fmt::Display for DataIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Sorts issues so that the same input always reports them in the same order.
pub(crate) fn sort_issues(issues: &mut [DataIssue]) {
    issues
        .sort_by(|a, b| (a.kind, &a.location, &a.message).cmp(&(b.kind, &b.location, &b.message)));
}

/// Input that cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum OwnershipError {
    #[error(
        "{file}:1: column {found:?} is not an ownership field ({fields}); name it as one, \
         map it with --map field=<heading>, or remove it"
    )]
    Header {
        file: String,
        found: String,
        fields: String,
    },
    #[error("{file}:{line}: {message}")]
    Malformed {
        file: String,
        line: u64,
        message: String,
    },
    #[error("a percentage on a {relation} relation: control relations carry no share")]
    ShareOnControl { relation: &'static str },
    #[error("unknown party index {0}")]
    UnknownParty(u32),
}
