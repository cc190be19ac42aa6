//! The review queue and the audit trail as a reviewer pages through them: filters,
//! sort orders, a page and the total behind it.
//!
//! Why the filters read columns and not the stored JSON: a queue of 100,000 alerts is
//! filtered and counted on every page view, so an alert's top score, its lists and its
//! programmes are kept beside it when it is raised ([`AlertFacets`]), in one index
//! that holds the columns the filters and orders read (`alerts_queue`; in SQLite with
//! the lists and programmes too, in PostgreSQL without them, whose b-tree rows are
//! limited to about 2.7 kB), instead of being dug out of each alert's matches at
//! query time. A page is counted and chosen on that index; only the page's own rows
//! are read whole. Both backends build
//! their `WHERE` clause here ([`alert_filter`], [`audit_filter`]), so SQLite and
//! PostgreSQL answer a filter the same way ([`Dialect`]: only the placeholder style and the
//! name of the substring test differ; no `LIKE`, whose case rules differ between them).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{AlertRecord, AuditEntry};

/// The most alerts or audit entries one page of the API or the UI holds. The store
/// itself answers any limit a caller asks for (a batch job reads every alert); the
/// edges clamp to this.
pub const MAX_PAGE: usize = 1000;

/// The order of a queue page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertSort {
    /// Oldest first: the alerts nearest their deadline lead (the open queue's order).
    #[default]
    Oldest,
    Newest,
    /// Highest top score first.
    Score,
    /// Most recently changed first.
    Updated,
}

impl AlertSort {
    pub const ALL: [AlertSort; 4] = [
        AlertSort::Oldest,
        AlertSort::Newest,
        AlertSort::Score,
        AlertSort::Updated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertSort::Oldest => "oldest",
            AlertSort::Newest => "newest",
            AlertSort::Score => "score",
            AlertSort::Updated => "updated",
        }
    }

    fn order_by(self) -> &'static str {
        match self {
            AlertSort::Oldest => "id ASC",
            AlertSort::Newest => "id DESC",
            // Alerts without a live match (all suppressed) sort last in both backends.
            AlertSort::Score => "COALESCE(top_score, -1) DESC, id ASC",
            AlertSort::Updated => "updated_at DESC, id DESC",
        }
    }
}

impl std::str::FromStr for AlertSort {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        AlertSort::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("unknown sort {s:?}: one of oldest, newest, score, updated"))
    }
}

/// Which alerts a queue page shows. Every field left `None` filters nothing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AlertQuery {
    /// A review status; `open` means every status still in the queue.
    pub status: Option<String>,
    /// `name`, `subject`, `payment`, `trade`.
    pub kind: Option<String>,
    /// A list id (`us-ofac-sdn`): alerts with a match on that list.
    pub source: Option<String>,
    /// A programme as the list writes it (`RUSSIA-EO14024`).
    pub program: Option<String>,
    /// The top live match scores at least this.
    pub min_score: Option<f64>,
    /// The top live match scores at most this.
    pub max_score: Option<f64>,
    /// The reviewer working it; the empty string means nobody.
    pub assignee: Option<String>,
    /// Raised at or before this instant (RFC 3339): the queue's age filter.
    pub raised_before: Option<String>,
    pub sort: AlertSort,
    pub offset: usize,
    /// At least 1; not clamped here (see [`MAX_PAGE`]).
    pub limit: usize,
}

/// One page of the queue and how many alerts the filters hold in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertPage {
    pub alerts: Vec<AlertRecord>,
    pub total: u64,
}

/// What the queue filters read of an alert, kept beside it when it is raised.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlertFacets {
    /// The best score among the matches not suppressed.
    pub top_score: Option<f64>,
    /// The lists of its matches, as `|us-ofac-sdn|un-sc|`: the substring `|id|` finds one.
    pub sources: String,
    /// The programmes of its matches, written the same way.
    pub programs: String,
}

impl AlertFacets {
    /// The facets of an alert's matches (name matches and payment or trade hits).
    pub fn of(matches: &Value) -> AlertFacets {
        let mut sources = std::collections::BTreeSet::new();
        let mut programs = std::collections::BTreeSet::new();
        let mut top_score: Option<f64> = None;
        for m in matches.as_array().into_iter().flatten() {
            // A hit of a payment names its entity only; its list is the id's prefix.
            let source = m["source"].as_str().or_else(|| {
                m["entity_id"]
                    .as_str()
                    .and_then(|id| id.split_once(':').map(|(s, _)| s))
            });
            sources.extend(source.map(str::to_string));
            let listed = std::iter::once(m).chain(m["listings"].as_array().into_iter().flatten());
            for l in listed {
                sources.extend(l["source"].as_str().map(str::to_string));
                programs.extend(
                    l["programs"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_string),
                );
            }
            if m["suppressed"] != Value::Bool(true) {
                if let Some(s) = m["score"].as_f64() {
                    top_score = Some(top_score.map_or(s, |t: f64| t.max(s)));
                }
            }
        }
        let joined = |set: std::collections::BTreeSet<String>| {
            if set.is_empty() {
                String::new()
            } else {
                let items: Vec<String> = set.into_iter().map(|s| s.replace('|', "/")).collect();
                format!("|{}|", items.join("|"))
            }
        };
        AlertFacets {
            top_score,
            sources: joined(sources),
            programs: joined(programs),
        }
    }
}

/// A value bound to a placeholder of a built clause.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SqlValue {
    Text(String),
    Real(f64),
    Int(i64),
}

/// A `WHERE` clause (without the keyword) and the values of its placeholders, in order.
pub(crate) struct Filter {
    pub clause: String,
    pub values: Vec<SqlValue>,
}

/// What differs between the backends' SQL for a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    fn placeholder(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("?{n}"),
            Dialect::Postgres => format!("${n}"),
        }
    }

    /// Whether `column` holds the bound text `needle`, exactly and case-sensitively
    /// in both backends.
    fn contains(self, column: &str, needle: &str) -> String {
        match self {
            Dialect::Sqlite => format!("instr({column}, {needle}) > 0"),
            Dialect::Postgres => format!("strpos({column}, {needle}) > 0"),
        }
    }
}

/// A page's SQL: the count of what the filter holds, the page's rows, and the values
/// they bind (the count binds the first `filter_len`; the page all of them).
pub(crate) struct PageSql {
    pub count: String,
    pub page: String,
    pub values: Vec<SqlValue>,
    pub filter_len: usize,
}

impl Filter {
    /// The count of `table` under this filter, and the page `rows` writes from the
    /// clause and the placeholders of its LIMIT and OFFSET.
    fn page(
        self,
        dialect: Dialect,
        table: &str,
        limit: usize,
        offset: usize,
        rows: impl FnOnce(&str, &str, &str) -> String,
    ) -> PageSql {
        let count = format!("SELECT COUNT(*) FROM {table} WHERE {}", self.clause);
        let filter_len = self.values.len();
        let mut values = self.values;
        let mut bind = |n: usize| {
            values.push(SqlValue::Int(i64::try_from(n).unwrap_or(i64::MAX)));
            dialect.placeholder(values.len())
        };
        let (limit, offset) = (bind(limit.max(1)), bind(offset));
        PageSql {
            count,
            page: rows(&self.clause, &limit, &offset),
            values,
            filter_len,
        }
    }
}

/// Builds clauses with the backend's placeholders (`?1` or `$1`).
struct Builder {
    dialect: Dialect,
    parts: Vec<String>,
    values: Vec<SqlValue>,
}

impl Builder {
    fn new(dialect: Dialect) -> Builder {
        Builder {
            dialect,
            parts: Vec::new(),
            values: Vec::new(),
        }
    }

    fn bind(&mut self, value: SqlValue) -> String {
        self.values.push(value);
        self.dialect.placeholder(self.values.len())
    }

    fn add(&mut self, part: String) {
        self.parts.push(part);
    }

    fn finish(self) -> Filter {
        Filter {
            clause: if self.parts.is_empty() {
                "1 = 1".to_string()
            } else {
                self.parts.join(" AND ")
            },
            values: self.values,
        }
    }
}

/// The first text after every text that begins with `prefix` (`alert.` → `alert/`):
/// `prefix <= x < bound` is "x begins with prefix", on an index, in both backends.
fn prefix_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// The `WHERE` clause of a queue page.
pub(crate) fn alert_filter(q: &AlertQuery, dialect: Dialect) -> Filter {
    let mut b = Builder::new(dialect);
    match q.status.as_deref() {
        None | Some("all") | Some("") => {}
        Some("open") => b.add(format!("status IN {}", crate::rows::OPEN_STATUSES)),
        Some(s) => {
            let p = b.bind(SqlValue::Text(s.to_string()));
            b.add(format!("status = {p}"));
        }
    }
    if let Some(kind) = q.kind.as_deref().filter(|k| !k.is_empty()) {
        let p = b.bind(SqlValue::Text(kind.to_string()));
        b.add(format!("kind = {p}"));
    }
    for (column, value) in [("sources", &q.source), ("programs", &q.program)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            let p = b.bind(SqlValue::Text(format!("|{}|", v.replace('|', "/"))));
            b.add(dialect.contains(column, &p));
        }
    }
    if let Some(min) = q.min_score {
        let p = b.bind(SqlValue::Real(min));
        b.add(format!("top_score >= {p}"));
    }
    if let Some(max) = q.max_score {
        let p = b.bind(SqlValue::Real(max));
        b.add(format!("top_score <= {p}"));
    }
    match q.assignee.as_deref() {
        None => {}
        Some("") => b.add("assignee IS NULL".to_string()),
        Some(a) => {
            let p = b.bind(SqlValue::Text(a.to_string()));
            b.add(format!("assignee = {p}"));
        }
    }
    if let Some(before) = q.raised_before.as_deref() {
        let p = b.bind(SqlValue::Text(before.to_string()));
        b.add(format!("created_at <= {p}"));
    }
    b.finish()
}

/// The `SELECT` of a queue page after its filter: order, then the page's window.
pub(crate) fn alert_page_sql(q: &AlertQuery, dialect: Dialect) -> PageSql {
    // The page's ids are found on the queue index alone (every filtered and sorted
    // column is in it), and only those rows are read whole: in SQLite an alert's
    // status sits after its JSON, so a scan of the table to skip 99,900 alerts would
    // read every one of them.
    let order = q.sort.order_by();
    alert_filter(q, dialect).page(dialect, "alerts", q.limit, q.offset, |clause, limit, offset| {
        format!(
            "SELECT * FROM alerts WHERE id IN (SELECT id FROM alerts WHERE {clause} ORDER BY {order} LIMIT {limit} OFFSET {offset}) ORDER BY {order}"
        )
    })
}

/// Which audit entries a page of the trail shows, newest first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Entries about this alert (its `alert_id`).
    pub alert_id: Option<i64>,
    /// An API key id or user name, exactly.
    pub actor: Option<String>,
    /// An action (`alert.decide`), or a prefix ending in `.` (`alert.`).
    pub action: Option<String>,
    /// At or after this instant (RFC 3339, or a date: its first second).
    pub from: Option<String>,
    /// Before this instant (RFC 3339, or a date: the whole day is included).
    pub to: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

/// One page of the audit trail, newest first, and how many entries match in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: u64,
}

/// The `COUNT` and `SELECT` of an audit page, and their values.
pub(crate) fn audit_page_sql(q: &AuditQuery, dialect: Dialect) -> PageSql {
    let mut b = Builder::new(dialect);
    if let Some(id) = q.alert_id {
        // Bodies are canonical JSON (no spaces), so the key and value read as written.
        let one = b.bind(SqlValue::Text(format!("\"alert_id\":{id},")));
        let last = b.bind(SqlValue::Text(format!("\"alert_id\":{id}}}")));
        b.add(format!(
            "({} OR {})",
            dialect.contains("body", &one),
            dialect.contains("body", &last)
        ));
    }
    if let Some(actor) = q.actor.as_deref().filter(|a| !a.is_empty()) {
        let p = b.bind(SqlValue::Text(actor.to_string()));
        b.add(format!("actor = {p}"));
    }
    if let Some(action) = q.action.as_deref().filter(|a| !a.is_empty()) {
        if action.ends_with('.') {
            let from = b.bind(SqlValue::Text(action.to_string()));
            b.add(format!("action >= {from}"));
            if let Some(bound) = prefix_bound(action) {
                let to = b.bind(SqlValue::Text(bound));
                b.add(format!("action < {to}"));
            }
        } else {
            let p = b.bind(SqlValue::Text(action.to_string()));
            b.add(format!("action = {p}"));
        }
    }
    if let Some(from) = q.from.as_deref().filter(|f| !f.is_empty()) {
        let p = b.bind(SqlValue::Text(from.to_string()));
        b.add(format!("at >= {p}"));
    }
    if let Some(to) = q.to.as_deref().filter(|t| !t.is_empty()) {
        // A bare date takes in its whole day: `2026-12-07` < `2026-12-07T…` < `2026-12-07~`.
        let bound = if to.len() == 10 {
            format!("{to}~")
        } else {
            to.to_string()
        };
        let p = b.bind(SqlValue::Text(bound));
        b.add(format!("at < {p}"));
    }
    b.finish()
        .page(dialect, "audit_log", q.limit, q.offset, |clause, limit, offset| {
            format!(
                "SELECT * FROM audit_log WHERE {clause} ORDER BY seq DESC LIMIT {limit} OFFSET {offset}"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn facets_take_lists_programmes_and_the_best_live_score() {
        let matches = json!([
            {"entity_id": "us-ofac-sdn:1", "source": "us-ofac-sdn", "score": 0.8,
             "programs": ["RUSSIA-EO14024"], "listings": [
                {"entity_id": "gb-hmt:9", "source": "gb-hmt", "programs": ["Russia"]}]},
            {"entity_id": "un-sc:2", "source": "un-sc", "score": 0.95, "suppressed": true},
            {"field": ":59:", "entity_id": "eu-fsf:7", "score": 0.7}
        ]);
        let f = AlertFacets::of(&matches);
        assert_eq!(f.top_score, Some(0.8));
        assert_eq!(f.sources, "|eu-fsf|gb-hmt|un-sc|us-ofac-sdn|");
        assert_eq!(f.programs, "|RUSSIA-EO14024|Russia|");
        assert_eq!(AlertFacets::of(&json!([])), AlertFacets::default());
    }

    #[test]
    fn filters_bind_every_value_and_match_literally() {
        let q = AlertQuery {
            status: Some("open".into()),
            program: Some("50%_RULE".into()),
            assignee: Some(String::new()),
            min_score: Some(0.9),
            sort: AlertSort::Score,
            limit: 100,
            offset: 900,
            ..AlertQuery::default()
        };
        let PageSql {
            count,
            page,
            values,
            filter_len,
        } = alert_page_sql(&q, Dialect::Postgres);
        assert_eq!(filter_len, 2);
        assert!(count.contains("strpos(programs, $1) > 0"), "{count}");
        assert!(count.contains("assignee IS NULL") && count.contains("top_score >= $2"));
        assert!(page.contains("ORDER BY COALESCE(top_score, -1) DESC, id ASC LIMIT $3 OFFSET $4)"));
        assert_eq!(
            values,
            vec![
                SqlValue::Text("|50%_RULE|".into()),
                SqlValue::Real(0.9),
                SqlValue::Int(100),
                SqlValue::Int(900)
            ]
        );
    }

    #[test]
    fn an_audit_day_takes_in_the_whole_day() {
        let q = AuditQuery {
            to: Some("2026-12-07".into()),
            action: Some("alert.".into()),
            limit: 50,
            ..AuditQuery::default()
        };
        let PageSql { page, values, .. } = audit_page_sql(&q, Dialect::Sqlite);
        assert!(page.contains("action >= ?1 AND action < ?2") && page.contains("at < ?3"));
        assert_eq!(values[0], SqlValue::Text("alert.".into()));
        assert_eq!(values[1], SqlValue::Text("alert/".into()));
        assert_eq!(values[2], SqlValue::Text("2026-12-07~".into()));
    }
}
