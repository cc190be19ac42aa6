//! Stored subjects (customers, counterparties) and their current matches, so a list
//! update can be screened against them without rereading the customer files.
//!
//! Subjects are kept as JSON bodies under their own ids; matches as (subject, entity,
//! score) rows; `screened_versions` records which list versions the matches reflect,
//! so the next delta rescreen knows what changed since.

use crate::Result;

/// A remembered match.
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectMatch {
    pub subject_id: String,
    pub entity_id: String,
    pub score: f64,
}

pub trait SubjectStore {
    /// Inserts or replaces subjects (id, JSON body); returns how many were written.
    fn put_subjects(&mut self, subjects: &[(String, String)]) -> Result<usize>;
    /// Every subject (id, JSON body), in id order.
    fn subjects(&self) -> Result<Vec<(String, String)>>;
    fn subject_count(&self) -> Result<usize>;
    fn subject_matches(&self) -> Result<Vec<SubjectMatch>>;
    /// In one transaction: drops the matches of `subjects` (all their matches) and of
    /// `entities` (for every subject), adds `matches`, and records the list versions
    /// the matches now reflect.
    fn update_matches(
        &mut self,
        subjects: &[String],
        entities: &[String],
        matches: &[SubjectMatch],
        screened_versions: &[String],
    ) -> Result<()>;
    /// The list versions the stored matches reflect (empty before any screening).
    fn screened_versions(&self) -> Result<Vec<String>>;
}
