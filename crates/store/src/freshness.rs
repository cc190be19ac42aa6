//! How old each list version is, and when that is too old.
//!
//! A list is only as good as its last update: OFAC designates several times a week,
//! so a copy a month old misses parties a regulator expects to be stopped. A
//! screening against a stale copy is still an answer, but not a clean one: every
//! answer names the stale lists (`stale_lists`), `lists status` marks them, the web
//! UI shows a banner, and past an operator's hard limit the service reports itself
//! not ready. A version's age counts from the publication date its file states, or
//! from when it was loaded if the file states none.
//!
//! Pure: the caller says what "now" is — the wall clock for a screening, the recorded
//! decision time for a replayed payment — so the same input gives the same answer.

use std::collections::BTreeMap;

use redline_model::date::day_number;
use redline_model::SourceId;
use serde::{Deserialize, Serialize};

use crate::ListVersion;

/// Days after which a publisher's list counts as stale unless the operator says
/// otherwise. OFAC, OFSI and the EU publish changes several times a week, OpenSanctions
/// builds daily and trade.gov rebuilds the Consolidated Screening List daily: a week.
/// The UN Security Council list changes a few times a month (its file is regenerated
/// daily): two weeks.
pub fn default_stale_after_days(source: SourceId) -> u32 {
    match source {
        SourceId::OfacSdn
        | SourceId::UkHmt
        | SourceId::EuFsf
        | SourceId::OpenSanctions
        | SourceId::UsCsl => 7,
        // DFAT and Canada change their lists when the UN does and for their own
        // regimes: as the UN.
        SourceId::UnSc | SourceId::AuDfat | SourceId::CaSema | SourceId::JpMof => 14,
        // METI revises its End User List a few times a year.
        SourceId::JpMeti => 120,
        // The operator's own parties are not a publication: never stale.
        SourceId::Operator => u32::MAX,
    }
}

/// The operator's freshness settings (`[freshness]` in the service's TOML).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FreshnessPolicy {
    /// Days after which a source's list is stale, by source id; sources not named
    /// keep their publisher's default.
    pub stale_after_days: BTreeMap<String, u32>,
    /// Past this many days, a list is too old to screen against: the service reports
    /// itself not ready (`/readyz` 503). None: no hard limit (the default, so that the
    /// embedded snapshot of a fresh install still serves, loudly marked stale).
    pub hard_limit_days: Option<u32>,
}

impl FreshnessPolicy {
    /// Refuses unknown sources and zero days, naming the key.
    pub fn check(&self) -> Result<(), String> {
        for (source, days) in &self.stale_after_days {
            if source.parse::<SourceId>().is_err() {
                return Err(format!(
                    "freshness.stale_after_days.{source}: not a list source Redline reads"
                ));
            }
            if *days == 0 {
                return Err(format!(
                    "freshness.stale_after_days.{source}: must be at least 1 day"
                ));
            }
        }
        if self.hard_limit_days == Some(0) {
            return Err("freshness.hard_limit_days: must be at least 1 day".into());
        }
        Ok(())
    }

    pub fn stale_after(&self, source: SourceId) -> u32 {
        self.stale_after_days
            .get(source.as_str())
            .copied()
            .unwrap_or_else(|| default_stale_after_days(source))
    }

    /// How old `version` is at `now` (RFC 3339 or `YYYY-MM-DD`), and what that means.
    pub fn age(&self, version: &ListVersion, now: &str) -> Age {
        let (dated, dated_by, age_days) = age_days(version, now);
        let stale_after_days = self.stale_after(version.source);
        Age {
            version: version.id.clone(),
            source: version.source,
            dated,
            dated_by,
            age_days,
            stale_after_days,
            stale: age_days > i64::from(stale_after_days),
            past_hard_limit: self
                .hard_limit_days
                .is_some_and(|limit| age_days > i64::from(limit)),
        }
    }

    /// The stale ones among `versions` at `now`, oldest first.
    pub fn stale(&self, versions: &[ListVersion], now: &str) -> Vec<Age> {
        let mut stale: Vec<Age> = versions
            .iter()
            .map(|v| self.age(v, now))
            .filter(|a| a.stale)
            .collect();
        stale.sort_by(|a, b| b.age_days.cmp(&a.age_days).then(a.version.cmp(&b.version)));
        stale
    }

    /// The stale ones at `now` among `versions` that a screening of `sources`
    /// (empty: every source) used: what every answer names.
    pub fn stale_among(
        &self,
        versions: &[ListVersion],
        now: &str,
        sources: &[SourceId],
    ) -> Vec<Age> {
        let used: Vec<ListVersion> = versions
            .iter()
            .filter(|v| sources.is_empty() || sources.contains(&v.source))
            .cloned()
            .collect();
        self.stale(&used, now)
    }
}

/// How many days old `version` is at `now`, counted from its publication date (or
/// its load when it states none): the date counted from, which of the two it is, and
/// the days. An undatable version counts as old as can be, never as fresh.
pub fn age_days(version: &ListVersion, now: &str) -> (String, &'static str, i64) {
    let (dated, dated_by) = match &version.published {
        Some(p) if day_number(p).is_some() => (p.clone(), "published"),
        _ => (
            version.loaded_at.get(..10).unwrap_or_default().to_string(),
            "loaded",
        ),
    };
    let days = match (day_number(now), day_number(&dated)) {
        (Some(now), Some(then)) => (now - then).max(0),
        _ => i64::MAX,
    };
    (dated, dated_by, days)
}

/// A list version's age at some moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Age {
    pub version: String,
    pub source: SourceId,
    /// The date the age counts from, `YYYY-MM-DD`.
    pub dated: String,
    /// `published` (the file's own date) or `loaded` (it stated none).
    pub dated_by: &'static str,
    pub age_days: i64,
    pub stale_after_days: u32,
    pub stale: bool,
    /// Older than the operator's hard limit.
    pub past_hard_limit: bool,
}

impl Age {
    /// One line for a person: which list, how old, and what to do.
    pub fn describe(&self) -> String {
        format!(
            "{} ({} {}) is {} days old, stale after {} days: run `redline lists update --source {}`",
            self.version,
            self.dated_by,
            self.dated,
            self.age_days,
            self.stale_after_days,
            self.source.as_str()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(source: SourceId, published: Option<&str>, loaded_at: &str) -> ListVersion {
        ListVersion {
            id: format!("{}@x", source.as_str()),
            source,
            published: published.map(str::to_string),
            loaded_at: loaded_at.into(),
            files: vec![],
            file_hash: String::new(),
            content_hash: String::new(),
            counts: Default::default(),
            warnings: 0,
            active: true,
        }
    }

    #[test]
    fn age_counts_from_publication_and_defaults_differ_by_publisher() {
        let policy = FreshnessPolicy::default();
        let ofac = version(
            SourceId::OfacSdn,
            Some("2024-05-03"),
            "2026-12-07T05:00:00Z",
        );
        let age = policy.age(&ofac, "2026-12-07T05:26:36Z");
        assert_eq!((age.age_days, age.dated_by), (948, "published"));
        assert!(age.stale && !age.past_hard_limit);
        assert!(age.describe().contains("948 days old, stale after 7 days"));
        // No publication date: counted from the load.
        let un = version(SourceId::UnSc, None, "2026-11-30T10:00:00Z");
        let age = policy.age(&un, "2026-12-07");
        assert_eq!(
            (age.age_days, age.dated_by, age.stale),
            (7, "loaded", false)
        );
        assert_eq!(policy.stale(&[ofac.clone(), un], "2026-12-07").len(), 1);
        // The operator's settings win, and a hard limit can be set.
        let strict = FreshnessPolicy {
            stale_after_days: [("ofac-sdn".to_string(), 1000)].into(),
            hard_limit_days: Some(900),
        };
        let age = strict.age(&ofac, "2026-12-07");
        assert!(!age.stale && age.past_hard_limit);
    }

    #[test]
    fn bad_settings_are_named() {
        let typo = FreshnessPolicy {
            stale_after_days: [("ofac".to_string(), 7)].into(),
            hard_limit_days: None,
        };
        assert!(typo.check().unwrap_err().contains("stale_after_days.ofac"));
        let zero = FreshnessPolicy {
            stale_after_days: BTreeMap::new(),
            hard_limit_days: Some(0),
        };
        assert!(zero.check().unwrap_err().contains("hard_limit_days"));
    }
}
