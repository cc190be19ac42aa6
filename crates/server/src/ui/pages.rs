//! The web UI's HTML, written as plain strings: no template engine, so nothing to
//! vendor or build. Every value that comes from a request, a list or the store passes
//! through [`escape`] (or a marker of `evidence`, which escapes too) before it reaches
//! a page; the only unescaped text is this file's own markup. Every word a page says
//! comes from the message catalogues (`i18n`) through the page's [`Tr`].

use std::fmt::Write;

use redline_model::Entity;
use redline_store::{AlertActionRecord, AlertRecord, ApiKey, AuditEntry, Verification};
use serde_json::Value;

use super::evidence::{self, Paired, Side};
use super::i18n::{Lang, Tr};

/// Text for HTML element content and double- or single-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A path segment for a link (entity ids hold `:`; anything else unusual is encoded).
pub fn url_segment(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.:~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A query string of the non-empty pairs.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    let kept: Vec<&(&str, String)> = pairs.iter().filter(|(_, v)| !v.is_empty()).collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

/// A review status in the page's language, in its colour.
fn status_badge(tr: &Tr, status: &str) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        escape(status),
        escape(&status_name(tr, status))
    )
}

pub fn status_name(tr: &Tr, status: &str) -> String {
    tr.t(&format!("status-{}", status.replace('_', "-")))
}

fn kind_name(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("kind-{kind}"))
}

/// A short time: the date and minutes of an RFC 3339 instant, in UTC.
pub fn when(at: &str) -> String {
    match (at.get(..10), at.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t}"),
        _ => at.to_string(),
    }
}

/// What a page is rendered for: the signed-in key and its CSRF token (for the
/// sign-out form in the header).
pub struct Viewer<'a> {
    pub key: &'a ApiKey,
    pub csrf: &'a str,
    /// Stale lists in use: a banner on every page.
    pub stale_lists: &'a [redline_store::Age],
}

/// Where a page is shown: in which language, to whom, at which address (the
/// language switch comes back to it).
pub struct Frame<'a> {
    pub tr: Tr,
    pub viewer: Option<Viewer<'a>>,
    pub here: &'a str,
}

/// A one-shot message for the next page; refusals are shown as errors.
pub enum Flash {
    Done(String),
    Refused(String),
}

impl Flash {
    /// As kept in the session: a refusal starts with `!`.
    pub fn stored(&self) -> String {
        match self {
            Flash::Done(m) => m.clone(),
            Flash::Refused(m) => format!("!{m}"),
        }
    }

    pub fn from_stored(s: &str) -> Flash {
        match s.strip_prefix('!') {
            Some(m) => Flash::Refused(m.to_string()),
            None => Flash::Done(s.to_string()),
        }
    }
}

/// The page frame: header with navigation, the language switch and sign-out, then
/// `body`.
pub fn layout(frame: &Frame, title: &str, flash: Option<&Flash>, body: &str) -> String {
    let tr = &frame.tr;
    let mut out = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · Redline</title><link rel=\"stylesheet\" href=\"/ui/assets/style.css\"></head><body>\
         <header><span class=\"brand\">Redline</span>",
        tr.lang.tag(),
        escape(title)
    );
    if let Some(v) = &frame.viewer {
        let _ = write!(
            out,
            "<a href=\"/ui/alerts\">{}</a><a href=\"/ui/screen\">{}</a><a href=\"/ui/search\">{}</a><a href=\"/ui/lists\">{}</a><a href=\"/ui/audit\">{}</a>",
            escape(&tr.t("nav-queue")),
            escape(&tr.t("nav-screen")),
            escape(&tr.t("nav-search")),
            escape(&tr.t("nav-lists")),
            escape(&tr.t("nav-audit")),
        );
        let _ = write!(
            out,
            "<span class=\"who\">{}</span>",
            escape(&tr.f(
                "who",
                &[
                    ("label", v.key.label.clone().into()),
                    ("key", v.key.id.clone().into()),
                    ("role", v.key.role.as_str().into())
                ]
            ))
        );
    }
    out.push_str("<nav class=\"langs\" id=\"langs\">");
    for lang in Lang::ALL {
        if lang == tr.lang {
            let _ = write!(out, "<b lang=\"{}\">{}</b>", lang.tag(), lang.own_name());
        } else {
            let _ = write!(
                out,
                "<a lang=\"{0}\" id=\"lang-{0}\" href=\"/ui/lang?{1}\">{2}</a>",
                lang.tag(),
                escape(&query_string(&[
                    ("to", lang.tag().to_string()),
                    ("back", frame.here.to_string())
                ])),
                lang.own_name()
            );
        }
    }
    out.push_str("</nav>");
    if let Some(v) = &frame.viewer {
        let _ = write!(
            out,
            "<form method=\"post\" action=\"/ui/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <button type=\"submit\" id=\"logout\">{}</button></form>",
            escape(v.csrf),
            escape(&tr.t("sign-out"))
        );
    }
    out.push_str("</header><main>");
    if let Some(v) = frame.viewer.as_ref().filter(|v| !v.stale_lists.is_empty()) {
        let _ = write!(
            out,
            "<div class=\"flash error\" id=\"stale-lists\"><b>{}</b>: {}<ul>",
            escape(&tr.t("stale-title")),
            escape(&tr.t("stale-text"))
        );
        for age in v.stale_lists {
            let line = tr.f(
                "stale-line",
                &[
                    ("version", age.version.clone().into()),
                    ("datedby", tr.term("dated", age.dated_by).into()),
                    ("dated", age.dated.clone().into()),
                    ("days", age.age_days.into()),
                    ("after", i64::from(age.stale_after_days).into()),
                    ("source", age.source.as_str().into()),
                ],
            );
            let _ = write!(out, "<li>{}</li>", escape(&line));
        }
        out.push_str("</ul></div>");
    }
    match flash {
        Some(Flash::Done(m)) => {
            let _ = write!(out, "<div class=\"flash\" id=\"flash\">{}</div>", escape(m));
        }
        Some(Flash::Refused(m)) => {
            let _ = write!(
                out,
                "<div class=\"flash error\" id=\"flash\">{}</div>",
                escape(&tr.f("refused", &[("reason", m.clone().into())]))
            );
        }
        None => {}
    }
    out.push_str(body);
    out.push_str("</main></body></html>");
    out
}

pub fn login(frame: &Frame, error: Option<&str>) -> String {
    let tr = &frame.tr;
    let mut body = format!(
        "<div class=\"login card\"><h1>{}</h1>",
        escape(&tr.t("login-title"))
    );
    if let Some(e) = error {
        let _ = write!(
            body,
            "<p class=\"flash error\" id=\"login-error\">{}</p>",
            escape(e)
        );
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/ui/login\">\
         <label for=\"key\">{}</label>\
         <p><input type=\"password\" id=\"key\" name=\"key\" autocomplete=\"off\" required autofocus></p>\
         <p><button type=\"submit\" id=\"sign-in\">{}</button></p></form></div>",
        escape(&tr.t("login-key")),
        escape(&tr.t("login-submit"))
    );
    layout(frame, &tr.t("login-title"), None, &body)
}

/// What the queue shows of a subject: the screened name, a payment's message id, or
/// the subject key.
pub fn subject_summary(alert: &AlertRecord) -> String {
    let s = &alert.alert.subject;
    for field in ["name", "message_id", "reference"] {
        if let Some(v) = s[field].as_str().filter(|v| !v.is_empty()) {
            return v.to_string();
        }
    }
    alert.alert.subject_key.clone()
}

/// The first match still in force (not suppressed): its caption and score.
pub fn top_match(alert: &AlertRecord) -> (String, Option<f64>) {
    let matches = alert.alert.matches.as_array();
    let top = matches
        .into_iter()
        .flatten()
        .find(|m| m["suppressed"] != Value::Bool(true));
    match top {
        Some(m) => {
            let caption = m["caption"]
                .as_str()
                .or(m["reason"].as_str())
                .unwrap_or("")
                .to_string();
            (caption, m["score"].as_f64())
        }
        None => (String::new(), None),
    }
}

/// Whole days from `created_at` to `now` (both RFC 3339).
pub fn age_days(created_at: &str, now: &str) -> Option<i64> {
    use redline_model::date::day_number;
    Some(day_number(now)? - day_number(created_at)?)
}

/// The queue filter's choices: every review status, and all of them.
pub fn statuses() -> Vec<&'static str> {
    std::iter::once("open")
        .chain(
            redline_alerts::Status::ALL
                .iter()
                .skip(1)
                .map(|s| s.as_str()),
        )
        .chain(["all"])
        .collect()
}

/// A `<select>`: each option's value and label, the chosen value selected.
fn select(name: &str, options: &[(String, String)], chosen: &str) -> String {
    let mut out = format!("<select name=\"{0}\" id=\"{0}\">", escape(name));
    for (value, label) in options {
        let _ = write!(
            out,
            "<option value=\"{}\"{}>{}</option>",
            escape(value),
            if value == chosen { " selected" } else { "" },
            escape(label)
        );
    }
    out.push_str("</select>");
    out
}

/// The queue as asked: its filters (as the query string carried them), one page of
/// alerts and the total behind it.
pub struct QueueView<'a> {
    pub params: &'a crate::alerts::QueueParams,
    pub alerts: &'a [AlertRecord],
    pub total: u64,
    pub offset: usize,
    pub limit: usize,
    /// The lists in use, for the list filter.
    pub sources: &'a [&'a str],
    pub now: &'a str,
    pub csrf: &'a str,
    /// The signed-in key, offered as the assignee.
    pub me: &'a str,
}

impl QueueView<'_> {
    /// This queue's query string with a different offset (`None`: without paging,
    /// as the export takes it).
    fn link(&self, offset: Option<usize>) -> String {
        let p = self.params;
        let get = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut pairs = vec![
            ("status", get(&p.status)),
            ("kind", get(&p.kind)),
            ("source", get(&p.source)),
            ("program", get(&p.program)),
            ("min_score", get(&p.min_score)),
            ("max_score", get(&p.max_score)),
            ("assignee", get(&p.assignee)),
            ("older_than_days", get(&p.older_than_days)),
            ("sort", get(&p.sort)),
            ("limit", get(&p.limit)),
        ];
        if let Some(o) = offset {
            pairs.push(("offset", o.to_string()));
        }
        query_string(&pairs)
    }
}

pub fn queue(tr: &Tr, q: &QueueView) -> String {
    let p = q.params;
    let value = |v: &Option<String>| escape(v.as_deref().unwrap_or(""));
    let mut out = format!(
        "<h1>{}</h1><form class=\"filters\" method=\"get\" action=\"/ui/alerts\" id=\"filters\">",
        escape(&tr.t("queue-title"))
    );
    let statuses: Vec<(String, String)> = statuses()
        .into_iter()
        .map(|s| (s.to_string(), status_name(tr, s)))
        .collect();
    let any = (String::new(), tr.t("any"));
    let kinds: Vec<(String, String)> = std::iter::once(any.clone())
        .chain(
            crate::alerts::KINDS
                .iter()
                .map(|k| (k.to_string(), kind_name(tr, k))),
        )
        .collect();
    let lists: Vec<(String, String)> = std::iter::once(any.clone())
        .chain(q.sources.iter().map(|s| (s.to_string(), s.to_string())))
        .collect();
    let sorts: Vec<(String, String)> = std::iter::once((String::new(), tr.t("sort-default")))
        .chain(redline_store::AlertSort::ALL.iter().map(|s| {
            (
                s.as_str().to_string(),
                tr.t(&format!("sort-{}", s.as_str())),
            )
        }))
        .collect();
    let sizes: Vec<(String, String)> = ["", "50", "200", "500"]
        .iter()
        .map(|s| {
            let label = if s.is_empty() { "100" } else { s };
            (s.to_string(), label.to_string())
        })
        .collect();
    let _ = write!(
        out,
        "<div><label for=\"status\">{}</label>{}</div><div><label for=\"kind\">{}</label>{}</div>\
         <div><label for=\"source\">{}</label>{}</div>\
         <div><label for=\"program\">{}</label><input type=\"text\" name=\"program\" id=\"program\" size=\"12\" value=\"{}\"></div>\
         <div><label for=\"min_score\">{}</label><input type=\"text\" name=\"min_score\" id=\"min_score\" size=\"4\" value=\"{}\" placeholder=\"0.00\"></div>\
         <div><label for=\"max_score\">{}</label><input type=\"text\" name=\"max_score\" id=\"max_score\" size=\"4\" value=\"{}\" placeholder=\"1.00\"></div>\
         <div><label for=\"assignee\">{}</label><input type=\"text\" name=\"assignee\" id=\"assignee\" size=\"10\" value=\"{}\" title=\"{}\"></div>\
         <div><label for=\"older_than_days\">{}</label><input type=\"text\" name=\"older_than_days\" id=\"older_than_days\" size=\"4\" value=\"{}\"></div>\
         <div><label for=\"sort\">{}</label>{}</div><div><label for=\"limit\">{}</label>{}</div>\
         <div><button type=\"submit\" id=\"filter\">{}</button> <a href=\"/ui/alerts\">{}</a></div></form>",
        escape(&tr.t("f-status")),
        select("status", &statuses, p.status.as_deref().unwrap_or("open")),
        escape(&tr.t("f-kind")),
        select("kind", &kinds, p.kind.as_deref().unwrap_or("")),
        escape(&tr.t("f-list")),
        select("source", &lists, p.source.as_deref().unwrap_or("")),
        escape(&tr.t("f-program")),
        value(&p.program),
        escape(&tr.t("f-min-score")),
        value(&p.min_score),
        escape(&tr.t("f-max-score")),
        value(&p.max_score),
        escape(&tr.t("f-assignee")),
        value(&p.assignee),
        escape(&tr.t("f-assignee-hint")),
        escape(&tr.t("f-older")),
        value(&p.older_than_days),
        escape(&tr.t("f-sort")),
        select("sort", &sorts, p.sort.as_deref().unwrap_or("")),
        escape(&tr.t("f-per-page")),
        select("limit", &sizes, p.limit.as_deref().unwrap_or("")),
        escape(&tr.t("f-submit")),
        escape(&tr.t("f-clear")),
    );
    let shown_to = q.offset.saturating_add(q.alerts.len());
    let _ = write!(
        out,
        "<p class=\"summary\"><span id=\"total\" data-total=\"{}\">{}</span>{} · <a id=\"export\" href=\"/ui/alerts/export.csv?{}\">{}</a></p>",
        q.total,
        escape(&evidence::count(tr, "queue-total", q.total)),
        if q.alerts.is_empty() {
            String::new()
        } else {
            format!(
                " · {}",
                escape(&tr.f(
                    "queue-showing",
                    &[
                        ("from", q.offset.saturating_add(1).into()),
                        ("to", shown_to.into()),
                        ("total", q.total.into())
                    ]
                ))
            )
        },
        escape(&q.link(None)),
        escape(&tr.t("queue-export")),
    );
    if q.alerts.is_empty() {
        let _ = write!(out, "<p id=\"empty\">{}</p>", escape(&tr.t("queue-empty")));
        // A page past the end (its last alerts were just assigned away): the way back.
        if q.total > 0 {
            let _ = write!(
                out,
                "<nav class=\"pages\"><a id=\"first\" href=\"/ui/alerts?{}\">{}</a></nav>",
                escape(&q.link(Some(0))),
                escape(&tr.t("page-first")),
            );
        }
        return out;
    }
    let _ = write!(
        out,
        "<form method=\"post\" action=\"/ui/alerts/assign\" id=\"bulk\" class=\"filters\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"back\" value=\"{}\">\
         <div><label for=\"bulk-assignee\">{}</label><input type=\"text\" name=\"assignee\" id=\"bulk-assignee\" value=\"{}\"></div>\
         <div><button type=\"submit\" id=\"bulk-assign\">{}</button></div><p class=\"hint\">{}</p></form>",
        escape(q.csrf),
        escape(&format!("/ui/alerts?{}", q.link(Some(q.offset)))),
        escape(&tr.t("bulk-assignee")),
        escape(q.me),
        escape(&tr.t("bulk-submit")),
        escape(&tr.t("bulk-hint")),
    );
    out.push_str(&table_open(
        tr,
        "id=\"queue\"",
        &[
            "",
            "col-id",
            "col-kind",
            "col-subject",
            "col-top-match",
            "col-score",
            "col-status",
            "col-assignee",
            "col-age",
            "col-raised",
        ],
    ));
    for a in q.alerts {
        let (caption, score) = top_match(a);
        let age = age_days(&a.created_at, q.now)
            .map(|d| tr.f("age-days", &[("days", d.into())]))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr data-alert=\"{id}\"><td><input type=\"checkbox\" form=\"bulk\" name=\"id\" value=\"{id}\" aria-label=\"{id}\"></td>\
             <td><a href=\"/ui/alerts/{id}\" id=\"alert-{id}\">{id}</a></td><td>{}</td>\
             <td><a href=\"/ui/alerts/{id}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"age\">{}</td><td>{}</td></tr>",
            escape(&kind_name(tr, &a.alert.kind)),
            escape(&subject_summary(a)),
            escape(&caption),
            score.map(|s| format!("{s:.2}")).unwrap_or_default(),
            status_badge(tr, &a.status),
            escape(a.assignee.as_deref().unwrap_or("—")),
            escape(&age),
            escape(&when(&a.created_at)),
            id = a.id,
        );
    }
    out.push_str("</tbody></table><nav class=\"pages\" id=\"pages\">");
    let last_offset = if q.total == 0 {
        0
    } else {
        ((q.total as usize - 1) / q.limit) * q.limit
    };
    if q.offset > 0 {
        let _ = write!(
            out,
            "<a id=\"first\" href=\"/ui/alerts?{}\">{}</a><a id=\"previous\" href=\"/ui/alerts?{}\">{}</a>",
            escape(&q.link(Some(0))),
            escape(&tr.t("page-first")),
            escape(&q.link(Some(q.offset.saturating_sub(q.limit)))),
            escape(&tr.t("page-previous")),
        );
    }
    if (shown_to as u64) < q.total {
        let _ = write!(
            out,
            "<a id=\"next\" href=\"/ui/alerts?{}\">{}</a><a id=\"last\" href=\"/ui/alerts?{}\">{}</a>",
            escape(&q.link(Some(shown_to))),
            escape(&tr.t("page-next")),
            escape(&q.link(Some(last_offset))),
            escape(&tr.t("page-last")),
        );
    }
    out.push_str("</nav>");
    out
}

/// A CSV cell that a spreadsheet will not run: text that begins like a formula
/// (`=`, `+`, `-`, `@`, a tab or a carriage return) — a customer's name can — is
/// written after an apostrophe, which spreadsheets read as "this is text".
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The queue as CSV: one row per alert, the columns a reviewer's spreadsheet needs.
pub fn queue_csv(tr: &Tr, alerts: &[AlertRecord], now: &str) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        tr.t("col-id"),
        tr.t("col-kind"),
        tr.t("col-subject"),
        tr.t("col-top-match"),
        tr.t("col-score"),
        tr.t("col-status"),
        tr.t("col-assignee"),
        tr.t("col-age"),
        tr.t("col-raised"),
        tr.t("col-updated"),
        tr.t("d-list-versions"),
    ])?;
    for a in alerts {
        let (caption, score) = top_match(a);
        w.write_record([
            a.id.to_string(),
            a.alert.kind.clone(),
            cell(&subject_summary(a)),
            cell(&caption),
            score.map(|s| format!("{s:.3}")).unwrap_or_default(),
            a.status.clone(),
            cell(&a.assignee.clone().unwrap_or_default()),
            age_days(&a.created_at, now)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            a.created_at.clone(),
            a.updated_at.clone(),
            a.alert.list_versions.join(" "),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Which suppression hid a match, who approved it and when.
fn suppression_note(tr: &Tr, s: &Value) -> String {
    let approvers: Vec<&str> = s["approved_by"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    tr.f(
        "d-suppression-detail",
        &[
            ("id", s["id"].to_string().into()),
            ("by", approvers.join(", ").into()),
            ("at", when(s["at"].as_str().unwrap_or("")).into()),
        ],
    )
}

/// A table of text cells (escaped here) under a header row; nothing for no rows.
fn text_table(
    tr: &Tr,
    class: &str,
    headers: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> String {
    let mut body = String::new();
    for row in rows {
        body.push_str("<tr>");
        for cell in row {
            let _ = write!(body, "<td>{}</td>", escape(&cell));
        }
        body.push_str("</tr>");
    }
    if body.is_empty() {
        return body;
    }
    format!(
        "{}{body}</tbody></table>",
        table_open(tr, &format!("class=\"{class}\""), headers)
    )
}

fn term(tr: &Tr, prefix: &str, value: &str) -> String {
    tr.term(prefix, value)
}

/// A table's opening and header row: `attributes` as written (`id="queue"`), each
/// header a catalogue key (or `#`, or empty).
pub fn table_open(tr: &Tr, attributes: &str, headers: &[&str]) -> String {
    let mut out = format!("<table {attributes}><thead><tr>");
    for h in headers {
        let shown = if h.starts_with(|c: char| c.is_ascii_lowercase()) {
            tr.t(h)
        } else {
            h.to_string()
        };
        let _ = write!(out, "<th>{}</th>", escape(&shown));
    }
    out.push_str("</tr></thead><tbody>");
    out
}

fn name_match(tr: &Tr, subject: &Value, m: &Value, entity: Option<&Entity>) -> String {
    let explanation = &m["explanation"];
    let query_words = Paired::of(explanation, Side::Query);
    let list_words = Paired::of(explanation, Side::List);
    let suppressed = m["suppressed"] == Value::Bool(true);
    let entity_id = m["entity_id"].as_str().unwrap_or("");
    let mut out = format!(
        "<div class=\"card match{}\"><p>{} <a href=\"/ui/entities/{}\">{}</a> · {} <b>{}</b> · {}{}</p><div class=\"side\">",
        if suppressed { " suppressed" } else { "" },
        escape(m["source"].as_str().unwrap_or("")),
        url_segment(entity_id),
        escape(entity_id),
        escape(&tr.t("d-score")),
        m["score"].as_f64().map(|s| format!("{s:.3}")).unwrap_or_default(),
        escape(&evidence::name_kind(tr, explanation["name_kind"].as_str().unwrap_or(""))),
        if suppressed {
            format!(
                " · <span class=\"badge suppressed\">{}</span>",
                escape(&tr.f(
                    "d-suppressed",
                    &[("detail", suppression_note(tr, &m["suppression"]).into())]
                ))
            )
        } else {
            String::new()
        },
    );
    let _ = write!(
        out,
        "<div><h3>{}</h3><p class=\"name query-name\">{}</p>{}</div>",
        escape(&tr.t("d-query")),
        query_words.mark(subject["name"].as_str().unwrap_or("")),
        evidence::query_facts(tr, subject)
    );
    let list_name = m["name"].as_str().unwrap_or("");
    let _ = write!(
        out,
        "<div><h3>{}</h3><p class=\"name list-name\">{}</p><p>{}</p>",
        escape(&tr.t("d-list-entry")),
        list_words.mark(list_name),
        escape(m["caption"].as_str().unwrap_or(""))
    );
    match entity {
        Some(e) => {
            out.push_str(&evidence::entity_facts(tr, e));
            out.push_str(&evidence::names_table(
                tr,
                e,
                Some((list_name, &list_words)),
            ));
        }
        None => {
            let _ = write!(out, "<p>{}</p>", escape(&tr.t("d-entity-gone")));
        }
    }
    out.push_str("</div></div>");
    let two_places = |v: &Value| v.as_f64().map(|s| format!("{s:.2}")).unwrap_or_default();
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let readings = explanation["readings"].as_array();
    if readings.is_some_and(|r| !r.is_empty()) {
        let words: Vec<String> = readings
            .into_iter()
            .flatten()
            .map(|r| {
                format!(
                    "<b>{}</b> → {} ({})",
                    escape(r["written"].as_str().unwrap_or("")),
                    escape(r["spellings"][0].as_str().unwrap_or("")),
                    escape(&term(tr, "reading", r["by"].as_str().unwrap_or("")))
                )
            })
            .collect();
        let _ = write!(
            out,
            "<p class=\"readings\">{} {}</p>",
            escape(&tr.t("d-readings")),
            words.join(", ")
        );
    }
    out.push_str(&text_table(
        tr,
        "tokens",
        &["tok-query", "tok-list", "tok-how", "tok-similarity"],
        explanation["tokens"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| {
                vec![
                    text(&t["query"]),
                    text(&t["list"]),
                    term(tr, "how", t["how"].as_str().unwrap_or("")),
                    two_places(&t["similarity"]),
                ]
            }),
    ));
    let around = explanation["context_tokens"].as_array();
    if around.is_some_and(|a| !a.is_empty()) {
        let words: Vec<String> = around
            .into_iter()
            .flatten()
            .map(|c| {
                format!(
                    "<b>{}</b> ({})",
                    escape(c["token"].as_str().unwrap_or("")),
                    escape(&term(tr, "context", c["taken_as"].as_str().unwrap_or("")))
                )
            })
            .collect();
        let _ = write!(
            out,
            "<p class=\"around\">{} {}</p>",
            escape(&tr.t("d-context")),
            words.join(", ")
        );
    }
    out.push_str(&text_table(
        tr,
        "list-words",
        &["lw-word", "lw-share", "lw-role", "lw-matched"],
        explanation["list_words"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|w| {
                vec![
                    text(&w["token"]),
                    two_places(&w["share"]),
                    term(tr, "weight", w["weighed_as"].as_str().unwrap_or("")),
                    tr.t(if w["matched"] == Value::Bool(true) {
                        "yes"
                    } else {
                        "no"
                    }),
                ]
            }),
    ));
    let adjustments = explanation["adjustments"].as_array();
    if adjustments.is_some_and(|a| !a.is_empty()) {
        let _ = write!(
            out,
            "<h4>{}</h4><ul class=\"plain adjustments\">",
            escape(&tr.t("d-adjustments"))
        );
        for a in adjustments.into_iter().flatten() {
            let _ = write!(
                out,
                "<li>{} {:+.3}: {}</li>",
                escape(&term(tr, "feature", a["feature"].as_str().unwrap_or(""))),
                a["delta"].as_f64().unwrap_or(0.0),
                escape(a["detail"].as_str().unwrap_or(""))
            );
        }
        out.push_str("</ul>");
    }
    if let Some(listings) = m["listings"].as_array() {
        out.push_str(&listings_table(tr, listings));
    }
    out.push_str("</div>");
    out
}

/// The party's other listings (as the matcher's `listings` writes them), each with
/// what it shares with the others; nothing when the lists name it once.
fn listings_table(tr: &Tr, listings: &[Value]) -> String {
    if listings.is_empty() {
        return String::new();
    }
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    format!(
        "<h3>{}</h3>{}",
        escape(&tr.t("d-also-listed")),
        text_table(
            tr,
            "listings",
            &[
                "col-list",
                "col-entry",
                "col-name",
                "col-programmes",
                "col-score",
                "col-same-party",
            ],
            listings.iter().map(|l| {
                vec![
                    text(&l["source"]),
                    text(&l["entity_id"]),
                    text(&l["caption"]),
                    l["programs"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", "),
                    l["score"]
                        .as_f64()
                        .map(|s| format!("{s:.3}"))
                        .unwrap_or_default(),
                    text(&l["same_party"]),
                ]
            }),
        )
    )
}

fn hits_table(tr: &Tr, matches: &[Value]) -> String {
    let mut out = table_open(
        tr,
        "id=\"hits\"",
        &[
            "col-field",
            "col-value",
            "col-kind",
            "col-reason",
            "d-list-entry",
            "col-action",
        ],
    );
    for h in matches {
        let suppressed = h["suppressed"] == Value::Bool(true);
        let words = Paired::of(&h["explanation"], Side::Query);
        let entity = match h["entity_id"].as_str() {
            Some(id) => format!(
                "<a href=\"/ui/entities/{}\">{}</a>{}",
                url_segment(id),
                escape(h["caption"].as_str().unwrap_or(id)),
                h["score"]
                    .as_f64()
                    .map(|s| format!(" ({s:.2})"))
                    .unwrap_or_default()
            ),
            None => String::new(),
        };
        let role = h["role"]
            .as_str()
            .map(|r| format!("<br><small>{}</small>", escape(&evidence::role(tr, r))))
            .unwrap_or_default();
        let value = match &h["value"] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        let action = h["action"].as_str().unwrap_or("");
        let _ = write!(
            out,
            "<tr{}><td><code class=\"field\">{}</code>{role}</td><td>{}</td><td>{}</td><td>{}{}</td><td>{entity}</td><td><span class=\"badge {}\">{}</span></td></tr>",
            if suppressed { " class=\"suppressed\"" } else { "" },
            escape(h["field"].as_str().unwrap_or("")),
            words.mark(&value),
            escape(&term(tr, "hit", h["kind"].as_str().unwrap_or(""))),
            escape(h["reason"].as_str().unwrap_or("")),
            if suppressed {
                format!(
                    " <span class=\"badge suppressed\">{}</span>",
                    escape(&tr.t("suppressed"))
                )
            } else {
                String::new()
            },
            escape(action),
            escape(action),
        );
    }
    out.push_str("</tbody></table>");
    out
}

pub const ACTIONS: [&str; 5] = [
    "escalate",
    "true_match",
    "false_positive",
    "release",
    "block",
];

/// Everything an alert page (and its printable report) shows.
pub struct AlertView<'a> {
    pub alert: &'a AlertRecord,
    pub actions: &'a [AlertActionRecord],
    /// The list entries of its matches, as the lists in use describe them.
    pub entities: &'a dyn Fn(&str) -> Option<Entity>,
    /// A payment's or trade's message, read back from its decision.
    pub message: Option<String>,
    /// The score from which a false positive takes two reviewers.
    pub second_review_from: f64,
    /// Reviewer key ids with their labels.
    pub labels: &'a dyn Fn(&str) -> String,
}

/// The alert's facts, its subject against its matches, and its history.
fn alert_evidence(tr: &Tr, v: &AlertView) -> String {
    let alert = v.alert;
    let a = &alert.alert;
    let origin = a.origin.as_ref().map_or_else(
        || tr.t("d-not-recorded"),
        |o| {
            let mut s = tr.f(
                "d-origin",
                &[
                    ("via", o.via.clone().into()),
                    ("by", (v.labels)(&o.by).into()),
                ],
            );
            if let Some(t) = o.threshold {
                s.push_str(&tr.f("d-threshold", &[("threshold", format!("{t}").into())]));
            }
            s
        },
    );
    let mut out = format!(
        "<dl class=\"facts\"><dt>{}</dt><dd><code>{}</code></dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd id=\"origin\">{}</dd>\
         <dt>{}</dt><dd>{}</dd><dt>{}</dt><dd id=\"assignee-now\">{}</dd><dt>{}</dt><dd>{}</dd></dl>",
        escape(&tr.t("d-subject-key")),
        escape(&a.subject_key),
        escape(&tr.t("d-raised")),
        escape(&when(&alert.created_at)),
        escape(&tr.t("d-raised-by")),
        escape(&origin),
        escape(&tr.t("d-updated")),
        escape(&when(&alert.updated_at)),
        escape(&tr.t("d-assignee")),
        escape(&alert.assignee.as_deref().map_or_else(|| tr.t("d-nobody"), |k| (v.labels)(k))),
        escape(&tr.t("d-list-versions")),
        a.list_versions
            .iter()
            .map(|l| format!("<code>{}</code>", escape(l)))
            .collect::<Vec<_>>()
            .join(" "),
    );
    let matches: Vec<Value> = a.matches.as_array().cloned().unwrap_or_default();
    if matches!(a.kind.as_str(), "payment" | "trade") {
        let _ = write!(
            out,
            "<h2>{}</h2><div class=\"card\"><p>{}: {}</p>{}</div><h2>{}</h2>{}",
            escape(&tr.t(if a.kind == "payment" {
                "d-payment"
            } else {
                "d-trade"
            })),
            escape(&tr.t("d-decision")),
            escape(a.subject["decision"].as_str().unwrap_or("")),
            v.message
                .clone()
                .unwrap_or_else(|| format!("<p>{}</p>", escape(&tr.t("d-message-gone")))),
            escape(&tr.t("d-hits")),
            hits_table(tr, &matches)
        );
    } else {
        let _ = write!(out, "<h2>{}</h2>", escape(&tr.t("d-matches")));
        for m in &matches {
            let entity = m["entity_id"].as_str().and_then(|id| (v.entities)(id));
            out.push_str(&name_match(tr, &a.subject, m, entity.as_ref()));
        }
    }
    let _ = write!(out, "<h2>{}</h2>", escape(&tr.t("d-history")));
    if v.actions.is_empty() {
        let _ = write!(out, "<p>{}</p>", escape(&tr.t("d-no-history")));
    } else {
        out.push_str(&table_open(
            tr,
            "id=\"history\"",
            &[
                "col-at",
                "col-reviewer",
                "col-action",
                "col-status",
                "col-reason-note",
            ],
        ));
        for r in v.actions {
            let status = if r.from_status == r.to_status {
                status_name(tr, &r.to_status)
            } else {
                format!(
                    "{} → {}",
                    status_name(tr, &r.from_status),
                    status_name(tr, &r.to_status)
                )
            };
            let _ = write!(
                out,
                "<tr class=\"action-{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"reason\">{}</td></tr>",
                escape(&r.action),
                escape(&when(&r.at)),
                escape(&(v.labels)(&r.actor)),
                escape(&term(tr, "action", &r.action)),
                escape(&status),
                escape(&r.reason)
            );
        }
        out.push_str("</tbody></table>");
    }
    out
}

/// What the four-eyes rule asks next of this alert, if anything.
fn four_eyes(tr: &Tr, v: &AlertView, status: redline_alerts::Status) -> Option<String> {
    use redline_alerts::Status;
    let first = || {
        v.actions
            .iter()
            .rev()
            .find(|a| a.to_status == status.as_str())
            .map(|a| (v.labels)(&a.actor))
            .unwrap_or_default()
    };
    match status {
        Status::PendingRelease => Some(tr.f("hint-pending-release", &[("first", first().into())])),
        Status::PendingFalsePositive => {
            Some(tr.f("hint-pending-false-positive", &[("first", first().into())]))
        }
        _ if v.alert.alert.kind == "payment" => Some(tr.t("hint-payment")),
        _ => {
            let (_, top) = top_match(v.alert);
            top.filter(|s| *s >= v.second_review_from).map(|s| {
                tr.f(
                    "hint-strong-match",
                    &[
                        ("score", format!("{s:.2}").into()),
                        ("bar", format!("{:.2}", v.second_review_from).into()),
                    ],
                )
            })
        }
    }
}

/// The alert page: facts, evidence, history, and the forms to assign, note and
/// decide.
pub fn detail(tr: &Tr, v: &AlertView, csrf: &str, me: &str) -> String {
    let alert = v.alert;
    let mut out = format!(
        "<h1>{} <small>{}</small> {}</h1><p class=\"actions\"><a id=\"report\" href=\"/ui/alerts/{}/report\">{}</a> · <a href=\"/ui/alerts\">{}</a></p>",
        escape(&tr.f("alert-title", &[("id", alert.id.into())])),
        escape(&kind_name(tr, &alert.alert.kind)),
        status_badge(tr, &alert.status),
        alert.id,
        escape(&tr.t("d-report")),
        escape(&tr.t("d-back")),
    );
    out.push_str(&alert_evidence(tr, v));
    let _ = write!(
        out,
        "<h2>{}</h2><form class=\"card\" method=\"post\" action=\"/ui/alerts/{}/notes\" id=\"note-form\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\"><p><label for=\"note\">{}</label><textarea id=\"note\" name=\"text\" required maxlength=\"{}\"></textarea></p>\
         <p><button type=\"submit\" id=\"add-note\">{}</button></p></form>",
        escape(&tr.t("note-title")),
        alert.id,
        escape(csrf),
        escape(&tr.t("note-label")),
        crate::review::NOTE_MAX_CHARS,
        escape(&tr.t("note-submit")),
    );
    let status = alert.status.parse::<redline_alerts::Status>().ok();
    match status.filter(|s| s.is_open()) {
        Some(status) => {
            let _ = write!(
                out,
                "<h2>{}</h2><form class=\"card filters\" method=\"post\" action=\"/ui/alerts/{}/assign\" id=\"assign-form\">\
                 <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
                 <div><label for=\"assign-to\">{}</label><input type=\"text\" name=\"assignee\" id=\"assign-to\" value=\"{}\"></div>\
                 <div><button type=\"submit\" id=\"assign\">{}</button></div><p class=\"hint\">{}</p></form>",
                escape(&tr.t("assign-title")),
                alert.id,
                escape(csrf),
                escape(&tr.t("assign-to")),
                escape(alert.assignee.as_deref().unwrap_or(me)),
                escape(&tr.t("assign-submit")),
                escape(&tr.t("assign-hint")),
            );
            let actions: Vec<(String, String)> = std::iter::once((String::new(), String::new()))
                .chain(
                    ACTIONS
                        .iter()
                        .map(|a| (a.to_string(), term(tr, "action", a))),
                )
                .collect();
            let _ = write!(
                out,
                "<h2>{}</h2><form class=\"card\" method=\"post\" action=\"/ui/alerts/{}/decide\" id=\"decide\">\
                 <input type=\"hidden\" name=\"csrf\" value=\"{}\">{}<p><label for=\"action\">{}</label>{}</p>\
                 <p><label for=\"reason\">{}</label><textarea id=\"reason\" name=\"reason\" required></textarea></p>\
                 <p><button type=\"submit\" id=\"submit-decision\">{}</button></p></form>",
                escape(&tr.t("decide-title")),
                alert.id,
                escape(csrf),
                four_eyes(tr, v, status)
                    .map(|h| format!("<p class=\"flash\" id=\"four-eyes\">{}</p>", escape(&h)))
                    .unwrap_or_default(),
                escape(&tr.t("decide-action")),
                select("action", &actions, ""),
                escape(&tr.t("decide-reason")),
                escape(&tr.t("decide-submit")),
            );
        }
        None => {
            let _ = write!(out, "<p id=\"closed\">{}</p>", escape(&tr.t("d-closed")));
        }
    }
    out
}

/// The printable report of an alert: its full evidence and history on one page,
/// with no navigation and a print stylesheet.
pub fn report(tr: &Tr, v: &AlertView, printed_at: &str, printed_by: &str) -> String {
    let alert = v.alert;
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <link rel=\"stylesheet\" href=\"/ui/assets/style.css\"></head><body class=\"report\"><main>\
         <h1>{} <small>{}</small> {}</h1><p class=\"hint\">{}</p>{}</main></body></html>",
        tr.lang.tag(),
        escape(&tr.f("report-title", &[("id", alert.id.into())])),
        escape(&tr.f("report-title", &[("id", alert.id.into())])),
        escape(&kind_name(tr, &alert.alert.kind)),
        status_badge(tr, &alert.status),
        escape(&tr.f(
            "report-printed",
            &[("at", when(printed_at).into()), ("by", printed_by.into())]
        )),
        alert_evidence(tr, v),
    )
}

/// What the screening form was filled with.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ScreenForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub schema: String,
    /// `on` when the analyst asked for an alert.
    #[serde(default)]
    pub raise: String,
}

/// The types of party a screening or look-up can be narrowed to, and "any".
fn schema_options(tr: &Tr) -> Vec<(String, String)> {
    std::iter::once((String::new(), tr.t("any")))
        .chain(
            ["person", "organization", "vessel", "aircraft"]
                .iter()
                .map(|s| (s.to_string(), tr.t(&format!("schema-{s}")))),
        )
        .collect()
}

/// The screening form, and for a screening its answer.
pub fn screen(tr: &Tr, form: &ScreenForm, csrf: &str, answer: Option<&Value>) -> String {
    let schemas = schema_options(tr);
    let mut out = format!(
        "<h1>{}</h1><form class=\"filters card\" method=\"post\" action=\"/ui/screen\" id=\"screen-form\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <div><label for=\"name\">{}</label><input type=\"text\" name=\"name\" id=\"name\" size=\"32\" value=\"{}\" required autofocus></div>\
         <div><label for=\"birth_date\">{}</label><input type=\"text\" name=\"birth_date\" id=\"birth_date\" size=\"10\" value=\"{}\" placeholder=\"1952-10-07\"></div>\
         <div><label for=\"country\">{}</label><input type=\"text\" name=\"country\" id=\"country\" size=\"6\" value=\"{}\" placeholder=\"RU\"></div>\
         <div><label for=\"schema\">{}</label>{}</div>\
         <div><label><input type=\"checkbox\" name=\"raise\" id=\"raise\"{}> {}</label></div>\
         <div><button type=\"submit\" id=\"screen\">{}</button></div></form><p class=\"hint\">{}</p>",
        escape(&tr.t("screen-title")),
        escape(csrf),
        escape(&tr.t("screen-name")),
        escape(&form.name),
        escape(&tr.t("screen-birth-date")),
        escape(&form.birth_date),
        escape(&tr.t("screen-country")),
        escape(&form.country),
        escape(&tr.t("f-schema")),
        select("schema", &schemas, &form.schema),
        if form.raise == "on" { " checked" } else { "" },
        escape(&tr.t("screen-raise")),
        escape(&tr.t("screen-submit")),
        escape(&tr.t("screen-hint")),
    );
    let Some(answer) = answer else {
        return out;
    };
    let versions: Vec<String> = answer["list_versions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|v| format!("<code>{}</code>", escape(v)))
        .collect();
    let _ = write!(
        out,
        "<p id=\"screened\">{} {}</p>",
        escape(&tr.t("screen-against")),
        versions.join(" ")
    );
    for w in answer["warnings"].as_array().into_iter().flatten() {
        let _ = write!(
            out,
            "<p class=\"flash error\">{}</p>",
            escape(w.as_str().unwrap_or(""))
        );
    }
    if let Some(id) = answer["alert_id"].as_i64() {
        let _ = write!(
            out,
            "<p class=\"flash\" id=\"raised\"><a href=\"/ui/alerts/{id}\">{}</a></p>",
            escape(&tr.f("screen-raised", &[("id", id.into())]))
        );
    }
    let matches = answer["matches"].as_array().cloned().unwrap_or_default();
    if matches.is_empty() {
        let _ = write!(
            out,
            "<p id=\"no-match\">{}</p>",
            escape(&tr.t("screen-no-match"))
        );
        return out;
    }
    out.push_str(&table_open(
        tr,
        "id=\"results\"",
        &[
            "col-score",
            "col-entry",
            "col-matched-name",
            "col-list",
            "col-programmes",
            "col-your-words",
        ],
    ));
    for m in &matches {
        let explanation = &m["explanation"];
        let list_words = Paired::of(explanation, Side::List);
        let query_words = Paired::of(explanation, Side::Query);
        let id = m["entity_id"].as_str().unwrap_or("");
        let _ = write!(
            out,
            "<tr><td>{}</td><td><a class=\"result\" href=\"/ui/entities/{}\">{}</a><br><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            m["score"].as_f64().map(|s| format!("{s:.2}")).unwrap_or_default(),
            url_segment(id),
            list_words.mark(m["caption"].as_str().unwrap_or(id)),
            escape(id),
            list_words.mark(m["name"].as_str().unwrap_or("")),
            escape(m["source"].as_str().unwrap_or("")),
            escape(
                &m["programs"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            query_words.mark(&form.name),
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// What the search form was filled with, and the lists that can be chosen.
pub struct SearchForm<'a> {
    pub q: &'a str,
    pub schema: &'a str,
    pub country: &'a str,
    pub source: &'a str,
    pub sources: &'a [&'a str],
}

impl SearchForm<'_> {
    /// A link to this search with one field changed (a facet), at `page`.
    fn link(&self, change: (&str, &str), page: usize) -> String {
        let field = |name: &str, own: &str| {
            if change.0 == name {
                change.1.to_string()
            } else {
                own.to_string()
            }
        };
        let page = if page == 0 {
            String::new()
        } else {
            page.to_string()
        };
        format!(
            "/ui/search?{}",
            query_string(&[
                ("q", self.q.to_string()),
                ("schema", field("schema", self.schema)),
                ("country", field("country", self.country)),
                ("source", field("source", self.source)),
                ("page", page),
            ])
        )
    }
}

/// One facet's values as links that narrow the search, most common first.
fn facet_links(
    tr: &Tr,
    out: &mut String,
    form: &SearchForm,
    title: &str,
    field: &str,
    counts: &std::collections::BTreeMap<String, usize>,
) {
    let _ = write!(out, "<div><b>{}</b>: ", escape(&tr.t(title)));
    let mut sorted: Vec<(&String, &usize)> = counts.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (value, count) in sorted.into_iter().take(12) {
        let shown = match field {
            "country" => tr.country(value),
            "schema" => tr.t(&format!("schema-{}", value.to_lowercase())),
            _ => value.clone(),
        };
        let _ = write!(
            out,
            "<a class=\"facet\" href=\"{}\">{} ({count})</a> ",
            escape(&form.link((field, &value.to_lowercase()), 0)),
            escape(&shown)
        );
    }
    out.push_str("</div>");
}

/// The look-up page: the form, and for a query its ranked results (matched words
/// marked on both sides), facets that narrow it and paging.
pub fn search(
    tr: &Tr,
    form: &SearchForm,
    results: Option<&redline_matching::SearchResults>,
    page: usize,
    per_page: usize,
) -> String {
    let sources: Vec<(String, String)> = std::iter::once((String::new(), tr.t("any")))
        .chain(form.sources.iter().map(|s| (s.to_string(), s.to_string())))
        .collect();
    let schemas = schema_options(tr);
    let mut out = format!(
        "<h1>{}</h1><form class=\"filters\" method=\"get\" action=\"/ui/search\" id=\"search-form\">\
         <div><label for=\"q\">{}</label><input type=\"search\" name=\"q\" id=\"q\" value=\"{}\" autofocus></div>\
         <div><label for=\"schema\">{}</label>{}</div><div><label for=\"source\">{}</label>{}</div>\
         <div><label for=\"country\">{}</label><input name=\"country\" id=\"country\" size=\"6\" value=\"{}\"></div>\
         <div><button type=\"submit\" id=\"search\">{}</button></div></form>\
         <p class=\"hint\">{}</p>",
        escape(&tr.t("search-title")),
        escape(&tr.t("search-q")),
        escape(form.q),
        escape(&tr.t("f-schema")),
        select("schema", &schemas, form.schema),
        escape(&tr.t("f-list")),
        select("source", &sources, form.source),
        escape(&tr.t("screen-country")),
        escape(form.country),
        escape(&tr.t("search-submit")),
        escape(&tr.t("search-hint")),
    );
    let Some(results) = results else {
        return out;
    };
    if results.hits.is_empty() {
        let _ = write!(
            out,
            "<p id=\"empty\">{}</p>",
            escape(&tr.f("search-nothing", &[("q", form.q.into())]))
        );
        return out;
    }
    out.push_str("<div class=\"facets\" id=\"facets\">");
    facet_links(
        tr,
        &mut out,
        form,
        "facet-lists",
        "source",
        &results.facets.sources,
    );
    facet_links(
        tr,
        &mut out,
        form,
        "facet-types",
        "schema",
        &results.facets.schemas,
    );
    facet_links(
        tr,
        &mut out,
        form,
        "facet-countries",
        "country",
        &results.facets.countries,
    );
    out.push_str("</div>");
    let _ = write!(
        out,
        "<p id=\"total\">{}{}</p>{}",
        escape(&evidence::count(tr, "search-total", results.total as u64)),
        if results.more {
            escape(&tr.t("search-more"))
        } else {
            String::new()
        },
        table_open(
            tr,
            "id=\"results\"",
            &[
                "col-score",
                "col-entry",
                "col-matched-name",
                "f-schema",
                "col-list",
                "col-programmes",
                "col-your-words",
            ],
        ),
    );
    for m in &results.hits {
        let explanation = serde_json::to_value(&m.explanation).unwrap_or(Value::Null);
        let list_words = Paired::of(&explanation, Side::List);
        // A word cut short while typing met the list as the word it begins.
        let query_words = Paired::of(&explanation, Side::Query).with_prefixes_of(form.q);
        let _ = write!(
            out,
            "<tr><td>{:.2}</td><td><a class=\"result\" href=\"/ui/entities/{}\">{}</a><br><code>{}</code></td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            m.score,
            url_segment(&m.entity_id),
            list_words.mark(&m.caption),
            escape(&m.entity_id),
            list_words.mark(&m.name),
            escape(&tr.t(&format!("schema-{}", m.schema.as_str().to_lowercase()))),
            escape(m.source.as_str()),
            escape(&m.programs.join(", ")),
            query_words.mark(form.q),
        );
    }
    out.push_str("</tbody></table><nav class=\"pages\">");
    if page > 0 {
        let _ = write!(
            out,
            "<a id=\"previous\" href=\"{}\">{}</a> ",
            escape(&form.link(("", ""), page - 1)),
            escape(&tr.t("page-previous"))
        );
    }
    if results.total
        > page
            .saturating_mul(per_page)
            .saturating_add(results.hits.len())
    {
        let _ = write!(
            out,
            "<a id=\"next\" href=\"{}\">{}</a>",
            escape(&form.link(("", ""), page.saturating_add(1))),
            escape(&tr.t("page-next"))
        );
    }
    out.push_str("</nav>");
    out
}

/// How an entity differs from the same entry in the list's previous version.
pub struct EntityHistory {
    /// The version that first held the entry as it is now, if the store says.
    pub since: Option<String>,
    /// Fields changed against the version before, with their values there.
    pub changes: Vec<(String, String, String)>,
}

pub fn entity(
    tr: &Tr,
    entity: &Entity,
    version: Option<&str>,
    listings: &[Value],
    history: Option<&EntityHistory>,
    ownership: Option<&Value>,
) -> String {
    let caption = entity
        .names
        .first()
        .map(|n| n.text.as_str())
        .unwrap_or(&entity.id);
    let mut out = format!(
        "<h1>{}</h1><p><code>{}</code> · {} <code>{}</code></p><div class=\"card\">{}</div><h2>{}</h2>{}",
        escape(caption),
        escape(&entity.id),
        escape(&tr.t("d-list-version")),
        escape(version.unwrap_or("—")),
        evidence::entity_facts(tr, entity),
        escape(&tr.t("field-names")),
        evidence::names_table(tr, entity, None),
    );
    out.push_str(&listings_table(tr, listings));
    if let Some(h) = history {
        let _ = write!(out, "<h2>{}</h2>", escape(&tr.t("entity-history")));
        if h.changes.is_empty() {
            let _ = write!(
                out,
                "<p id=\"entity-unchanged\">{}</p>",
                escape(&match &h.since {
                    Some(v) => tr.f("entity-unchanged-since", &[("version", v.clone().into())]),
                    None => tr.t("entity-new"),
                })
            );
        } else {
            out.push_str(&text_table(
                tr,
                "changes",
                &["col-field", "entity-before", "entity-now"],
                h.changes
                    .iter()
                    .map(|(f, before, now)| vec![f.clone(), before.clone(), now.clone()]),
            ));
        }
    }
    out.push_str(
        &ownership
            .map(|o| ownership_section(tr, o))
            .unwrap_or_default(),
    );
    out
}

/// A party only the ownership data knows (an unlisted company of an ownership file).
pub fn ownership_party(tr: &Tr, id: &str, ownership: &Value) -> String {
    format!(
        "<h1><code>{}</code></h1><p>{}</p>{}",
        escape(id),
        escape(&tr.t("ownership-unlisted")),
        ownership_section(tr, ownership)
    )
}

/// A JSON value as readable text: strings bare, lists joined.
fn plain(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

/// Derived blocking under each rule, with its path, and the leads on the party: what
/// `GET /v1/ownership/{id}` answers, as a page.
fn ownership_section(tr: &Tr, about: &Value) -> String {
    let mut out = format!("<h2>{}</h2>", escape(&tr.t("ownership-title")));
    let mut blocked = false;
    for (key, label) in [("ofac", "ownership-ofac"), ("eu_uk", "ownership-eu-uk")] {
        let status = &about[key];
        if status.is_null() {
            continue;
        }
        blocked = true;
        let _ = write!(
            out,
            "<div class=\"card\" id=\"ownership-{key}\"><p class=\"bad\">{}: {}</p><pre class=\"mono\">{}</pre></div>",
            escape(&tr.t(label)),
            escape(&plain(&status["rule"])),
            escape(&plain(&status["text"]))
        );
    }
    let leads = about["leads"].as_array().cloned().unwrap_or_default();
    if !blocked && leads.is_empty() {
        let _ = write!(
            out,
            "<p id=\"ownership-none\">{}</p>",
            escape(&tr.t("ownership-none"))
        );
        return out;
    }
    if !leads.is_empty() {
        let _ = write!(
            out,
            "<h3>{}</h3>{}",
            escape(&tr.t("ownership-leads")),
            table_open(
                tr,
                "id=\"ownership-leads\"",
                &[
                    "col-entry",
                    "ownership-lead",
                    "ownership-owner",
                    "ownership-share",
                    "ownership-from",
                ],
            ),
        );
        for lead in &leads {
            let stake = &lead["stake"];
            let status = &stake["owner_status"];
            let owner = match status["status"].as_str() {
                Some("candidate") => tr.f(
                    "ownership-candidate",
                    &[
                        ("owner", plain(&stake["owner_name"]).into()),
                        ("entity", plain(&status["entity_name"]).into()),
                        ("id", plain(&status["entity_id"]).into()),
                        (
                            "score",
                            format!("{:.2}", status["score"].as_f64().unwrap_or(0.0)).into(),
                        ),
                    ],
                ),
                _ => format!(
                    "{} ({})",
                    plain(&stake["owner_name"]),
                    plain(&stake["owner_id"])
                ),
            };
            let percent = |v: &Value| v.as_f64().map(|p| format!("{p}%"));
            let share = match (percent(&stake["percent"]), &stake["percent_range"]) {
                (Some(p), _) => p,
                (None, Value::Array(r)) if r.len() == 2 => tr.f(
                    "date-range",
                    &[
                        ("from", percent(&r[0]).unwrap_or_default().into()),
                        ("to", percent(&r[1]).unwrap_or_default().into()),
                    ],
                ),
                _ => plain(&stake["relation"]),
            };
            let from = &stake["provenance"];
            let _ = write!(
                out,
                "<tr><td>{} <code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}:{} {}</td></tr>",
                escape(&plain(&lead["entity_name"])),
                escape(&plain(&lead["entity_id"])),
                escape(&term(tr, "lead", &plain(&lead["kind"]))),
                escape(&owner),
                escape(&share),
                escape(&plain(&from["file"])),
                escape(&plain(&from["line"])),
                escape(&plain(&from["stated"]))
            );
        }
        out.push_str("</tbody></table>");
    }
    out
}

pub fn lists(tr: &Tr, versions: &Value, entities: usize, names: usize, built_at: &str) -> String {
    let mut out = format!(
        "<h1>{}</h1><p>{}</p>{}",
        escape(&tr.t("lists-title")),
        escape(&tr.f(
            "lists-index",
            &[
                ("entities", entities.into()),
                ("names", names.into()),
                ("at", when(built_at).into())
            ]
        )),
        table_open(
            tr,
            "id=\"lists\"",
            &[
                "lists-version",
                "col-list",
                "lists-published",
                "lists-loaded",
                "lists-counts",
                "lists-warnings",
            ],
        ),
    );
    for v in versions.as_array().into_iter().flatten() {
        let counts = v["counts"]
            .as_object()
            .map(|c| {
                c.iter()
                    .map(|(k, n)| format!("{} {n}", term(tr, "count", k)))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&plain(&v["id"])),
            escape(&plain(&v["source"])),
            escape(&plain(&v["published"])),
            escape(&when(&plain(&v["loaded_at"]))),
            escape(&counts),
            escape(&plain(&v["warnings"]))
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// The audit page as asked: its filters, one page of entries and the total.
pub struct AuditView<'a> {
    pub params: &'a [(&'a str, String)],
    pub entries: &'a [AuditEntry],
    pub total: u64,
    pub offset: usize,
    pub limit: usize,
    /// The chain's check, when the analyst asked for it.
    pub verification: Option<&'a Verification>,
    pub labels: &'a dyn Fn(&str) -> String,
}

/// The audit actions a reviewer filters by most, first those of the review itself.
pub const AUDIT_ACTIONS: [&str; 10] = [
    "alert.",
    "alert.decide",
    "alert.note",
    "alert.assign",
    "alert.raise",
    "suppression.revoke",
    "ui.login",
    "lists.load",
    "screening.payment",
    "screening.trade",
];

/// One audit entry's body as a sentence where its action is known.
fn audit_summary(tr: &Tr, e: &AuditEntry) -> String {
    let body: Value = serde_json::from_str(&e.body).unwrap_or(Value::Null);
    let s = |k: &str| plain(&body[k]);
    let summary = match e.action.as_str() {
        "alert.decide" => tr.f(
            "audit-decide",
            &[
                ("alert", s("alert_id").into()),
                ("action", term(tr, "action", &s("action")).into()),
                ("from", status_name(tr, &s("from")).into()),
                ("to", status_name(tr, &s("to")).into()),
                ("reason", s("reason").into()),
            ],
        ),
        "alert.note" => tr.f(
            "audit-note",
            &[("alert", s("alert_id").into()), ("text", s("text").into())],
        ),
        "alert.assign" => match body["assignee"].as_str() {
            Some(a) => tr.f(
                "audit-assign",
                &[("alert", s("alert_id").into()), ("assignee", a.into())],
            ),
            None => tr.f("audit-unassign", &[("alert", s("alert_id").into())]),
        },
        "alert.raise" | "alert.update" => tr.f(
            "audit-raise",
            &[
                ("alert", s("alert_id").into()),
                ("kind", kind_name(tr, &s("kind")).into()),
                (
                    "matches",
                    body["matches"].as_array().map_or(0, Vec::len).into(),
                ),
            ],
        ),
        _ => return e.body.clone(),
    };
    summary
}

pub fn audit(tr: &Tr, v: &AuditView) -> String {
    let get = |name: &str| {
        v.params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, val)| val.clone())
            .unwrap_or_default()
    };
    let link = |offset: Option<usize>, extra: Option<(&str, &str)>| {
        let mut pairs: Vec<(&str, String)> = v.params.to_vec();
        if let Some(o) = offset {
            pairs.push(("offset", o.to_string()));
        }
        if let Some((k, val)) = extra {
            pairs.push((k, val.to_string()));
        }
        query_string(&pairs)
    };
    let mut out = format!("<h1>{}</h1>", escape(&tr.t("audit-title")));
    match v.verification {
        Some(ver) if ver.intact => {
            let _ = write!(
                out,
                "<p class=\"ok\" id=\"audit-status\">{}</p>",
                escape(&tr.f("audit-intact", &[("entries", ver.entries.into())]))
            );
        }
        Some(ver) => {
            let _ = write!(
                out,
                "<p class=\"bad\" id=\"audit-status\">{}</p>",
                escape(
                    &tr.f(
                        "audit-broken",
                        &[
                            (
                                "seq",
                                ver.first_broken
                                    .map(|s| s.to_string())
                                    .unwrap_or_default()
                                    .into()
                            ),
                            ("problem", ver.problem.clone().unwrap_or_default().into())
                        ]
                    )
                )
            );
        }
        None => {
            let _ = write!(
                out,
                "<p><a id=\"verify\" href=\"/ui/audit?{}\">{}</a></p>",
                escape(&link(Some(v.offset), Some(("verify", "1")))),
                escape(&tr.t("audit-verify"))
            );
        }
    }
    let actions: Vec<(String, String)> = std::iter::once((String::new(), tr.t("any")))
        .chain(AUDIT_ACTIONS.iter().map(|a| {
            let label = if a.ends_with('.') {
                tr.t("audit-all-alert-actions")
            } else {
                a.to_string()
            };
            (a.to_string(), label)
        }))
        .collect();
    let action_now = get("action");
    let mut action_select = select("action", &actions, &action_now);
    if !action_now.is_empty() && !AUDIT_ACTIONS.contains(&action_now.as_str()) {
        // An action typed into the address: kept as asked.
        action_select = action_select.replace(
            "</select>",
            &format!(
                "<option value=\"{0}\" selected>{0}</option></select>",
                escape(&action_now)
            ),
        );
    }
    let _ = write!(
        out,
        "<form class=\"filters\" method=\"get\" action=\"/ui/audit\" id=\"audit-filters\">\
         <div><label for=\"alert\">{}</label><input type=\"text\" name=\"alert\" id=\"alert\" size=\"6\" value=\"{}\"></div>\
         <div><label for=\"actor\">{}</label><input type=\"text\" name=\"actor\" id=\"actor\" size=\"14\" value=\"{}\"></div>\
         <div><label for=\"action\">{}</label>{}</div>\
         <div><label for=\"from\">{}</label><input type=\"text\" name=\"from\" id=\"from\" size=\"10\" value=\"{}\" placeholder=\"2026-01-31\"></div>\
         <div><label for=\"to\">{}</label><input type=\"text\" name=\"to\" id=\"to\" size=\"10\" value=\"{}\" placeholder=\"2026-12-31\"></div>\
         <div><button type=\"submit\" id=\"audit-filter\">{}</button> <a href=\"/ui/audit\">{}</a></div></form>",
        escape(&tr.t("audit-alert")),
        escape(&get("alert")),
        escape(&tr.t("audit-actor")),
        escape(&get("actor")),
        escape(&tr.t("col-action")),
        action_select,
        escape(&tr.t("audit-from")),
        escape(&get("from")),
        escape(&tr.t("audit-to")),
        escape(&get("to")),
        escape(&tr.t("f-submit")),
        escape(&tr.t("f-clear")),
    );
    let _ = write!(
        out,
        "<p class=\"summary\"><span id=\"audit-total\" data-total=\"{}\">{}</span> · <a id=\"audit-export\" href=\"/ui/audit/export.csv?{}\">{}</a></p>",
        v.total,
        escape(&evidence::count(tr, "audit-total", v.total)),
        escape(&link(None, None)),
        escape(&tr.t("audit-export")),
    );
    out.push_str(&table_open(
        tr,
        "id=\"audit\"",
        &[
            "#",
            "col-at",
            "col-action",
            "audit-actor",
            "audit-details",
            "audit-hash",
        ],
    ));
    for e in v.entries {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"details\">{}</td><td><code>{}</code></td></tr>",
            e.seq,
            escape(&when(&e.at)),
            escape(&e.action),
            escape(&(v.labels)(&e.actor)),
            escape(&audit_summary(tr, e)),
            escape(e.hash.get(..12).unwrap_or(&e.hash))
        );
    }
    out.push_str("</tbody></table><nav class=\"pages\">");
    if v.offset > 0 {
        let _ = write!(
            out,
            "<a id=\"audit-newer\" href=\"/ui/audit?{}\">{}</a>",
            escape(&link(Some(v.offset.saturating_sub(v.limit)), None)),
            escape(&tr.t("page-previous"))
        );
    }
    let next = v.offset.saturating_add(v.entries.len());
    if (next as u64) < v.total {
        let _ = write!(
            out,
            "<a id=\"audit-older\" href=\"/ui/audit?{}\">{}</a>",
            escape(&link(Some(next), None)),
            escape(&tr.t("page-next"))
        );
    }
    out.push_str("</nav>");
    out
}

/// The audit entries as CSV, with the reviewers' labels and the summary beside the
/// body as stored (which the hash covers).
pub fn audit_csv(
    tr: &Tr,
    entries: &[AuditEntry],
    labels: &dyn Fn(&str) -> String,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "seq".to_string(),
        tr.t("col-at"),
        tr.t("col-action"),
        tr.t("audit-actor"),
        tr.t("audit-actor-label"),
        tr.t("audit-details"),
        "body".to_string(),
        "hash".to_string(),
    ])?;
    for e in entries {
        w.write_record([
            e.seq.to_string(),
            e.at.clone(),
            e.action.clone(),
            cell(&e.actor),
            cell(&labels(&e.actor)),
            cell(&audit_summary(tr, e)),
            cell(&e.body),
            e.hash.clone(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

pub fn problem(tr: &Tr, title: &str, message: &str) -> String {
    format!(
        "<h1>{}</h1><p class=\"flash error\">{}</p><p><a href=\"/ui/alerts\">{}</a></p>",
        escape(title),
        escape(message),
        escape(&tr.t("d-back"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_every_html_special_character() {
        assert_eq!(
            escape(r#"<script>alert("x&y")</script>'"#),
            "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&#39;"
        );
        assert_eq!(escape("Müller, Ан"), "Müller, Ан");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn url_segments_keep_entity_ids_readable_and_encode_the_rest() {
        assert_eq!(url_segment("un-sc:CDi.001"), "un-sc:CDi.001");
        assert_eq!(url_segment("a/b c\"<"), "a%2Fb%20c%22%3C");
    }

    #[test]
    fn ages_count_whole_days_across_months_and_years() {
        assert_eq!(
            age_days("2026-12-01T10:00:00Z", "2026-12-07T09:00:00Z"),
            Some(6)
        );
        assert_eq!(
            age_days("2025-12-31T00:00:00Z", "2026-03-01T00:00:00Z"),
            Some(60)
        );
        assert_eq!(age_days("garbage", "2026-03-01T00:00:00Z"), None);
    }

    #[test]
    fn a_csv_cell_never_starts_a_formula() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("Vladimir Putin"), "Vladimir Putin");
    }

    #[test]
    fn a_refusal_survives_the_session_store() {
        assert!(matches!(
            Flash::from_stored(&Flash::Refused("no".into()).stored()),
            Flash::Refused(m) if m == "no"
        ));
        assert!(matches!(
            Flash::from_stored("Alert 3 is now open."),
            Flash::Done(_)
        ));
    }
}
