//! The web UI's HTML, written as plain strings: no template engine, so nothing to
//! vendor or build. Every value that comes from a request, a list or the store passes
//! through [`escape`] (or [`highlight`], which escapes too) before it reaches a page;
//! the only unescaped text is this file's own markup.

use std::collections::HashSet;
use std::fmt::Write;

use redline_store::{AlertActionRecord, AlertRecord, ApiKey, AuditEntry, Verification};
use serde_json::Value;

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

/// The comparable form of a word, close to the matcher's tokens (lower case, letters
/// and digits only), so a token of the explanation can be found in the displayed name.
fn token_of(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `text`, escaped, with every word whose token is in `tokens` wrapped in `<mark>`.
pub fn highlight(text: &str, tokens: &HashSet<String>) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        if tokens.contains(&token_of(word)) {
            let _ = write!(out, "<mark>{}</mark>", escape(word));
        } else {
            out.push_str(&escape(word));
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push_str(&escape(c.encode_utf8(&mut [0; 4])));
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The query-side and list-side tokens an explanation paired.
pub fn matched_tokens(explanation: &Value) -> (HashSet<String>, HashSet<String>) {
    let mut query = HashSet::new();
    let mut list = HashSet::new();
    for t in explanation["tokens"].as_array().into_iter().flatten() {
        if let Some(q) = t["query"].as_str() {
            query.insert(token_of(q));
        }
        if let Some(l) = t["list"].as_str() {
            list.insert(token_of(l));
        }
    }
    (query, list)
}

/// A JSON value as readable text: strings bare, lists joined, objects as `key: value`.
pub fn plain(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join("; "),
        Value::Object(map) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{k}: {}", plain(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// A JSON object as a definition list, every key and value escaped.
pub fn fields(value: &Value, skip: &[&str]) -> String {
    let mut out = String::from("<dl>");
    if let Value::Object(map) = value {
        for (k, v) in map {
            if skip.contains(&k.as_str()) || v.is_null() {
                continue;
            }
            let shown = match v {
                Value::Array(items) if items.len() > 1 => {
                    let mut list = String::from("<ul class=\"plain\">");
                    for item in items {
                        let _ = write!(list, "<li>{}</li>", escape(&plain(item)));
                    }
                    list.push_str("</ul>");
                    list
                }
                v => escape(&plain(v)),
            };
            let _ = write!(out, "<dt>{}</dt><dd>{shown}</dd>", escape(k));
        }
    }
    out.push_str("</dl>");
    out
}

fn badge(text: &str) -> String {
    format!(
        "<span class=\"badge {}\">{}</span>",
        escape(text),
        escape(&text.replace('_', " "))
    )
}

/// What a page is rendered for: the signed-in key and its CSRF token (for the
/// sign-out form in the header).
pub struct Viewer<'a> {
    pub key: &'a ApiKey,
    pub csrf: &'a str,
    /// Stale lists in use, each described: a banner on every page.
    pub stale_lists: &'a [String],
}

/// The page frame: header with navigation and sign-out, then `body`.
pub fn layout(title: &str, viewer: Option<&Viewer>, flash: Option<&str>, body: &str) -> String {
    let mut out = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · Redline</title><link rel=\"stylesheet\" href=\"/ui/assets/style.css\"></head><body>\
         <header><span class=\"brand\">Redline</span>",
        escape(title)
    );
    if let Some(v) = viewer {
        let _ = write!(
            out,
            "<a href=\"/ui/alerts\">Alert queue</a><a href=\"/ui/search\">Search</a><a href=\"/ui/lists\">Lists</a><a href=\"/ui/audit\">Audit trail</a>\
             <span class=\"who\">key <code>{}</code> ({})</span>\
             <form method=\"post\" action=\"/ui/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <button type=\"submit\" id=\"logout\">Sign out</button></form>",
            escape(&v.key.id),
            escape(v.key.role.as_str()),
            escape(v.csrf)
        );
    }
    out.push_str("</header><main>");
    if let Some(v) = viewer.filter(|v| !v.stale_lists.is_empty()) {
        out.push_str("<div class=\"flash error\" id=\"stale-lists\"><b>Stale lists</b>: screening answers rest on old data.<ul>");
        for s in v.stale_lists {
            let _ = write!(out, "<li>{}</li>", escape(s));
        }
        out.push_str("</ul></div>");
    }
    if let Some(f) = flash {
        let class = if f.starts_with("Refused") {
            "flash error"
        } else {
            "flash"
        };
        let _ = write!(
            out,
            "<div class=\"{class}\" id=\"flash\">{}</div>",
            escape(f)
        );
    }
    out.push_str(body);
    out.push_str("</main></body></html>");
    out
}

pub fn login(error: Option<&str>) -> String {
    let mut body = String::from("<div class=\"login card\"><h1>Sign in</h1>");
    if let Some(e) = error {
        let _ = write!(
            body,
            "<p class=\"flash error\" id=\"login-error\">{}</p>",
            escape(e)
        );
    }
    body.push_str(
        "<form method=\"post\" action=\"/ui/login\">\
         <label for=\"key\">API key (review or admin role)</label>\
         <p><input type=\"password\" id=\"key\" name=\"key\" autocomplete=\"off\" required autofocus></p>\
         <p><button type=\"submit\" id=\"sign-in\">Sign in</button></p></form></div>",
    );
    layout("Sign in", None, None, &body)
}

/// What the queue shows of a subject: the screened name, a payment's message id, or
/// the subject key.
fn subject_summary(alert: &AlertRecord) -> String {
    let s = &alert.alert.subject;
    for field in ["name", "message_id", "reference"] {
        if let Some(v) = s[field].as_str().filter(|v| !v.is_empty()) {
            return v.to_string();
        }
    }
    alert.alert.subject_key.clone()
}

/// The first match still in force (not suppressed): its caption and score.
fn top_match(alert: &AlertRecord) -> (String, Option<f64>) {
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

/// The queue filter's choices: every review status, and all of them.
pub fn statuses() -> Vec<&'static str> {
    redline_alerts::Status::ALL
        .iter()
        .map(|s| s.as_str())
        .chain(["all"])
        .collect()
}
pub const KINDS: [&str; 5] = ["", "name", "subject", "payment", "trade"];

fn select(name: &str, options: &[&str], chosen: &str) -> String {
    let mut out = format!("<select name=\"{0}\" id=\"{0}\">", escape(name));
    for o in options {
        let label = if o.is_empty() { "any" } else { o };
        let _ = write!(
            out,
            "<option value=\"{}\"{}>{}</option>",
            escape(o),
            if *o == chosen { " selected" } else { "" },
            escape(&label.replace('_', " "))
        );
    }
    out.push_str("</select>");
    out
}

pub fn queue(alerts: &[AlertRecord], status: &str, kind: &str) -> String {
    let mut out = String::from(
        "<h1>Alert queue</h1><form class=\"filters\" method=\"get\" action=\"/ui/alerts\">",
    );
    let _ = write!(
        out,
        "<div><label for=\"status\">Status</label>{}</div><div><label for=\"kind\">Kind</label>{}</div>\
         <div><button type=\"submit\">Filter</button></div></form>",
        select("status", &statuses(), status),
        select("kind", &KINDS, kind)
    );
    if alerts.is_empty() {
        out.push_str("<p id=\"empty\">No alerts match these filters.</p>");
        return out;
    }
    out.push_str(
        "<table id=\"queue\"><thead><tr><th>#</th><th>Kind</th><th>Subject</th><th>Top match</th>\
         <th>Score</th><th>Status</th><th>Updated</th></tr></thead><tbody>",
    );
    for a in alerts {
        let (caption, score) = top_match(a);
        let _ = write!(
            out,
            "<tr data-alert=\"{id}\"><td><a href=\"/ui/alerts/{id}\" id=\"alert-{id}\">{id}</a></td><td>{}</td>\
             <td><a href=\"/ui/alerts/{id}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&a.alert.kind),
            escape(&subject_summary(a)),
            escape(&caption),
            score.map(|s| format!("{s:.2}")).unwrap_or_default(),
            badge(&a.status),
            escape(&a.updated_at),
            id = a.id,
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// The entity fields an analyst compares against the query.
const COMPARED: [&str; 8] = [
    "names",
    "birth_dates",
    "nationalities",
    "citizenships",
    "countries",
    "programs",
    "identifiers",
    "listed_on",
];

/// Which suppression hid a match, who approved it and when.
fn suppression_note(s: &Value) -> String {
    let approvers: Vec<&str> = s["approved_by"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    format!(
        "suppression {}, approved by {} at {}",
        s["id"],
        approvers.join(" and "),
        s["at"].as_str().unwrap_or("")
    )
}

fn name_match(subject: &Value, m: &Value, entity: Option<&Value>) -> String {
    let (query_tokens, list_tokens) = matched_tokens(&m["explanation"]);
    let suppressed = m["suppressed"] == Value::Bool(true);
    let entity_id = m["entity_id"].as_str().unwrap_or("");
    let mut out = format!(
        "<div class=\"card{}\"><p>{} <a href=\"/ui/entities/{}\">{}</a> · score <b>{}</b> · {}{}</p><div class=\"side\">",
        if suppressed { " suppressed" } else { "" },
        escape(m["source"].as_str().unwrap_or("")),
        url_segment(entity_id),
        escape(entity_id),
        m["score"].as_f64().map(|s| format!("{s:.3}")).unwrap_or_default(),
        escape(&m["explanation"]["name_kind"].as_str().unwrap_or("").replace('_', " ")),
        if suppressed {
            format!(
                " · <span class=\"badge suppressed\">suppressed: a remembered false positive on unchanged data ({})</span>",
                escape(&suppression_note(&m["suppression"]))
            )
        } else {
            String::new()
        },
    );
    let _ = write!(
        out,
        "<div><h3>Query</h3><p class=\"name query-name\">{}</p>{}</div>",
        highlight(subject["name"].as_str().unwrap_or(""), &query_tokens),
        fields(subject, &["name"])
    );
    let _ = write!(
        out,
        "<div><h3>List entry</h3><p class=\"name list-name\">{}</p><p>{}</p>",
        highlight(m["name"].as_str().unwrap_or(""), &list_tokens),
        escape(m["caption"].as_str().unwrap_or(""))
    );
    match entity {
        Some(e) => {
            let mut shown = serde_json::Map::new();
            for f in COMPARED {
                if let Some(v) = e.get(f) {
                    let v = if f == "names" {
                        // Names with their kind, so aliases are told from the primary name.
                        Value::Array(
                            v.as_array()
                                .into_iter()
                                .flatten()
                                .map(|n| {
                                    Value::String(format!(
                                        "{} ({})",
                                        n["text"].as_str().unwrap_or(""),
                                        n["kind"].as_str().unwrap_or("").replace('_', " ")
                                    ))
                                })
                                .collect(),
                        )
                    } else {
                        v.clone()
                    };
                    shown.insert(f.to_string(), v);
                }
            }
            out.push_str(&fields(&Value::Object(shown), &[]));
        }
        None => out.push_str("<p>This entity is not in the lists in use now.</p>"),
    }
    out.push_str("</div></div>");
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let two_places = |v: &Value| v.as_f64().map(|s| format!("{s:.2}")).unwrap_or_default();
    let tokens = m["explanation"]["tokens"].as_array();
    let readings = m["explanation"]["readings"].as_array();
    if readings.is_some_and(|r| !r.is_empty()) {
        out.push_str("<p class=\"readings\">The name as another language writes it, read as: ");
        let words: Vec<String> = readings
            .into_iter()
            .flatten()
            .map(|r| {
                format!(
                    "<b>{}</b> → {} ({})",
                    escape(r["written"].as_str().unwrap_or("")),
                    escape(r["spellings"][0].as_str().unwrap_or("")),
                    escape(&r["by"].as_str().unwrap_or("").replace('_', " "))
                )
            })
            .collect();
        out.push_str(&words.join(", "));
        out.push_str("</p>");
    }
    out.push_str(&text_table(
        "tokens",
        &["Query token", "List token", "How", "Similarity"],
        tokens.into_iter().flatten().map(|t| {
            vec![
                text(&t["query"]),
                text(&t["list"]),
                plain(&t["how"]),
                two_places(&t["similarity"]),
            ]
        }),
    ));
    let around = m["explanation"]["context_tokens"].as_array();
    if around.is_some_and(|a| !a.is_empty()) {
        out.push_str("<p class=\"around\">Words around the name, which weigh little: ");
        let words: Vec<String> = around
            .into_iter()
            .flatten()
            .map(|c| {
                format!(
                    "<b>{}</b> ({})",
                    escape(c["token"].as_str().unwrap_or("")),
                    escape(c["taken_as"].as_str().unwrap_or(""))
                )
            })
            .collect();
        out.push_str(&words.join(", "));
        out.push_str("</p>");
    }
    let list_words = m["explanation"]["list_words"].as_array();
    out.push_str(&text_table(
        "list-words",
        &[
            "List-name word",
            "Share of the name's weight",
            "Weighed as",
            "In the query",
        ],
        list_words.into_iter().flatten().map(|w| {
            let matched = if w["matched"] == Value::Bool(true) {
                "yes"
            } else {
                "no"
            };
            vec![
                text(&w["token"]),
                two_places(&w["share"]),
                plain(&w["weighed_as"]).replace('_', " "),
                matched.to_string(),
            ]
        }),
    ));
    let adjustments = m["explanation"]["adjustments"].as_array();
    if adjustments.is_some_and(|a| !a.is_empty()) {
        out.push_str("<ul class=\"plain adjustments\">");
        for a in adjustments.into_iter().flatten() {
            let _ = write!(
                out,
                "<li>{} {:+.3}: {}</li>",
                escape(a["feature"].as_str().unwrap_or("")),
                a["delta"].as_f64().unwrap_or(0.0),
                escape(a["detail"].as_str().unwrap_or(""))
            );
        }
        out.push_str("</ul>");
    }
    let listings = m["listings"].as_array().filter(|l| !l.is_empty());
    if let Some(listings) = listings {
        out.push_str("<h3>Also listed as</h3>");
        out.push_str(&text_table(
            "listings",
            &[
                "list",
                "entry",
                "name",
                "programmes",
                "score",
                "the same party by",
            ],
            listings.iter().map(|l| {
                vec![
                    plain(&l["source"]),
                    plain(&l["entity_id"]),
                    plain(&l["caption"]),
                    plain(&l["programs"]),
                    l["score"]
                        .as_f64()
                        .map(|s| format!("{s:.3}"))
                        .unwrap_or_default(),
                    plain(&l["same_party"]),
                ]
            }),
        ));
    }
    out.push_str("</div>");
    out
}

/// A table of text cells (escaped here) under a header row; nothing for no rows.
fn text_table(class: &str, headers: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
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
    let head: String = headers
        .iter()
        .map(|h| format!("<th>{}</th>", escape(h)))
        .collect();
    format!("<table class=\"{class}\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
}

fn hits_table(matches: &[Value]) -> String {
    let mut out = String::from(
        "<table id=\"hits\"><thead><tr><th>Field</th><th>Value</th><th>Kind</th><th>Reason</th>\
         <th>List entry</th><th>Action</th></tr></thead><tbody>",
    );
    for h in matches {
        let suppressed = h["suppressed"] == Value::Bool(true);
        let (query_tokens, _) = matched_tokens(&h["explanation"]);
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
        let _ = write!(
            out,
            "<tr{}><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}{}</td><td>{entity}</td><td>{}</td></tr>",
            if suppressed { " class=\"suppressed\"" } else { "" },
            escape(h["field"].as_str().unwrap_or("")),
            highlight(&plain(&h["value"]), &query_tokens),
            escape(&plain(&h["kind"])),
            escape(&plain(&h["reason"])),
            if suppressed { " <span class=\"badge suppressed\">suppressed</span>" } else { "" },
            badge(&plain(&h["action"])),
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

/// The alert detail: subject against matches, history, and the decision form.
pub fn detail(
    alert: &AlertRecord,
    actions: &[AlertActionRecord],
    entities: &dyn Fn(&str) -> Option<Value>,
    csrf: &str,
) -> String {
    let a = &alert.alert;
    let mut out = format!(
        "<h1>Alert {} <small>{}</small> {}</h1><dl><dt>Subject key</dt><dd><code>{}</code></dd>\
         <dt>Raised</dt><dd>{}</dd><dt>Raised by</dt><dd id=\"origin\">{}</dd><dt>Updated</dt><dd>{}</dd><dt>List versions</dt><dd>{}</dd></dl>",
        alert.id,
        escape(&a.kind),
        badge(&alert.status),
        escape(&a.subject_key),
        escape(&alert.created_at),
        escape(&a.origin.as_ref().map_or_else(
            || "not recorded".to_string(),
            |o| format!(
                "{} ({}){}",
                o.via,
                o.by,
                o.threshold
                    .map(|t| format!(", threshold {t}"))
                    .unwrap_or_default()
            )
        )),
        escape(&alert.updated_at),
        escape(&a.list_versions.join(", ")),
    );
    let matches: Vec<Value> = a.matches.as_array().cloned().unwrap_or_default();
    if matches!(a.kind.as_str(), "payment" | "trade") {
        let _ = write!(
            out,
            "<h2>Subject</h2><div class=\"card\">{}</div><h2>Hits</h2>{}",
            fields(&a.subject, &[]),
            hits_table(&matches)
        );
    } else {
        out.push_str("<h2>Matches</h2>");
        for m in &matches {
            let entity = m["entity_id"].as_str().and_then(entities);
            out.push_str(&name_match(&a.subject, m, entity.as_ref()));
        }
    }
    out.push_str("<h2>Review history</h2>");
    if actions.is_empty() {
        out.push_str("<p>No action yet.</p>");
    } else {
        out.push_str("<table id=\"history\"><thead><tr><th>At</th><th>Reviewer key</th><th>Action</th><th>Status</th><th>Reason</th></tr></thead><tbody>");
        for r in actions {
            let _ = write!(
                out,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
                escape(&r.at),
                escape(&r.actor),
                escape(&r.action),
                escape(&r.from_status),
                escape(&r.to_status),
                escape(&r.reason)
            );
        }
        out.push_str("</tbody></table>");
    }
    let open = alert
        .status
        .parse::<redline_alerts::Status>()
        .is_ok_and(|s| s.is_open());
    if open {
        let _ = write!(
            out,
            "<h2>Decision</h2><form class=\"card\" method=\"post\" action=\"/ui/alerts/{}/decide\" id=\"decide\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\"><p><label for=\"action\">Action</label>{}</p>\
             <p><label for=\"reason\">Reason (required)</label><textarea id=\"reason\" name=\"reason\" required></textarea></p>\
             <p><button type=\"submit\" id=\"submit-decision\">Record decision</button></p></form>",
            alert.id,
            escape(csrf),
            select("action", &ACTIONS, "")
        );
    } else {
        out.push_str("<p>This alert is closed.</p>");
    }
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
        let params = [
            ("q", self.q.to_string()),
            ("schema", field("schema", self.schema)),
            ("country", field("country", self.country)),
            ("source", field("source", self.source)),
            ("page", page.to_string()),
        ];
        let kept: Vec<&(&str, String)> = params
            .iter()
            .filter(|(_, v)| !v.is_empty() && v != "0")
            .collect();
        format!(
            "/ui/search?{}",
            serde_urlencoded::to_string(kept).unwrap_or_default()
        )
    }
}

const SCHEMAS: [&str; 5] = ["", "person", "organization", "vessel", "aircraft"];

/// One facet's values as links that narrow the search, most common first.
fn facet_links(
    out: &mut String,
    form: &SearchForm,
    title: &str,
    field: &str,
    counts: &std::collections::BTreeMap<String, usize>,
) {
    let _ = write!(out, "<div><b>{}</b>: ", escape(title));
    let mut sorted: Vec<(&String, &usize)> = counts.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (value, count) in sorted.into_iter().take(12) {
        let shown = if field == "country" {
            redline_model::countries::name_of(value).unwrap_or(value)
        } else {
            value.as_str()
        };
        let _ = write!(
            out,
            "<a class=\"facet\" href=\"{}\">{} ({count})</a> ",
            escape(&form.link((field, &value.to_lowercase()), 0)),
            escape(shown)
        );
    }
    out.push_str("</div>");
}

/// The look-up page: the form, and for a query its ranked results (matched words
/// marked on both sides), facets that narrow it and paging.
pub fn search(
    form: &SearchForm,
    results: Option<&redline_matching::SearchResults>,
    page: usize,
    per_page: usize,
) -> String {
    let mut sources = vec![""];
    sources.extend(form.sources.iter().copied());
    let mut out = format!(
        "<h1>Search the lists</h1><form class=\"filters\" method=\"get\" action=\"/ui/search\" id=\"search-form\">\
         <div><label for=\"q\">Name, part of one, or a number</label><input type=\"search\" name=\"q\" id=\"q\" value=\"{}\" autofocus></div>\
         <div><label for=\"schema\">Type</label>{}</div><div><label for=\"source\">List</label>{}</div>\
         <div><label for=\"country\">Country</label><input name=\"country\" id=\"country\" size=\"6\" value=\"{}\"></div>\
         <div><button type=\"submit\" id=\"search\">Search</button></div></form>\
         <p class=\"hint\">A look-up raises no alert: results are ranked by how much of what you typed each name explains.</p>",
        escape(form.q),
        select("schema", &SCHEMAS, form.schema),
        select("source", &sources, form.source),
        escape(form.country)
    );
    let Some(results) = results else {
        return out;
    };
    if results.hits.is_empty() {
        let _ = write!(
            out,
            "<p id=\"empty\">Nothing found for <b>{}</b> with these filters.</p>",
            escape(form.q)
        );
        return out;
    }
    out.push_str("<div class=\"facets\" id=\"facets\">");
    facet_links(&mut out, form, "Lists", "source", &results.facets.sources);
    facet_links(&mut out, form, "Types", "schema", &results.facets.schemas);
    facet_links(
        &mut out,
        form,
        "Countries",
        "country",
        &results.facets.countries,
    );
    out.push_str("</div>");
    let _ = write!(
        out,
        "<p id=\"total\">{} result{}{}</p><table id=\"results\"><thead><tr><th>Score</th><th>Entity</th>\
         <th>Matched name</th><th>Type</th><th>List</th><th>Programmes</th><th>Your words</th></tr></thead><tbody>",
        results.total,
        if results.total == 1 { "" } else { "s" },
        if results.more { " (or more: narrow the search)" } else { "" }
    );
    for m in &results.hits {
        let explanation = serde_json::to_value(&m.explanation).unwrap_or(Value::Null);
        let (mut query_tokens, list_tokens) = matched_tokens(&explanation);
        // A word cut short while typing met the list as the word it begins.
        let typed: Vec<String> = form.q.split_whitespace().map(token_of).collect();
        for word in typed {
            if !word.is_empty() && query_tokens.iter().any(|t| t.starts_with(&word)) {
                query_tokens.insert(word);
            }
        }
        let _ = write!(
            out,
            "<tr><td>{:.2}</td><td><a class=\"result\" href=\"/ui/entities/{}\">{}</a><br><code>{}</code></td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            m.score,
            url_segment(&m.entity_id),
            highlight(&m.caption, &list_tokens),
            escape(&m.entity_id),
            highlight(&m.name, &list_tokens),
            escape(m.schema.as_str()),
            escape(m.source.as_str()),
            escape(&m.programs.join(", ")),
            highlight(form.q, &query_tokens),
        );
    }
    out.push_str("</tbody></table><nav class=\"pages\">");
    if page > 0 {
        let _ = write!(
            out,
            "<a id=\"previous\" href=\"{}\">Previous</a> ",
            escape(&form.link(("", ""), page - 1))
        );
    }
    if results.total > page * per_page + results.hits.len() {
        let _ = write!(
            out,
            "<a id=\"next\" href=\"{}\">Next</a>",
            escape(&form.link(("", ""), page + 1))
        );
    }
    out.push_str("</nav>");
    out
}

pub fn entity(entity: &Value, version: Option<&str>, ownership: Option<&Value>) -> String {
    let id = entity["id"].as_str().unwrap_or("");
    let caption = entity["names"][0]["text"].as_str().unwrap_or(id);
    format!(
        "<h1>{}</h1><p><code>{}</code> · list version <code>{}</code></p><div class=\"card\">{}</div>{}",
        escape(caption),
        escape(id),
        escape(version.unwrap_or("unknown")),
        fields(entity, &[]),
        ownership.map(ownership_section).unwrap_or_default()
    )
}

/// A party only the ownership data knows (an unlisted company of an ownership file).
pub fn ownership_party(id: &str, ownership: &Value) -> String {
    format!(
        "<h1><code>{}</code></h1><p>On no list; known from the ownership files.</p>{}",
        escape(id),
        ownership_section(ownership)
    )
}

/// Derived blocking under each rule, with its path, and the leads on the party: what
/// `GET /v1/ownership/{id}` answers, as a page.
fn ownership_section(about: &Value) -> String {
    let mut out = String::from("<h2>Ownership</h2>");
    let mut blocked = false;
    for (key, label) in [
        ("ofac", "OFAC 50% rule"),
        ("eu_uk", "EU/UK owned or controlled"),
    ] {
        let status = &about[key];
        if status.is_null() {
            continue;
        }
        blocked = true;
        let _ = write!(
            out,
            "<div class=\"card\" id=\"ownership-{key}\"><p class=\"bad\">{}: {}</p><pre class=\"mono\">{}</pre></div>",
            escape(label),
            escape(&plain(&status["rule"])),
            escape(&plain(&status["text"]))
        );
    }
    let leads = about["leads"].as_array().cloned().unwrap_or_default();
    if !blocked && leads.is_empty() {
        out.push_str(
            "<p id=\"ownership-none\">Not blocked by ownership under either rule; no leads.</p>",
        );
        return out;
    }
    if !leads.is_empty() {
        out.push_str(
            "<h3>Leads for review</h3><table id=\"ownership-leads\"><thead><tr><th>Entity</th>\
             <th>Lead</th><th>Owner</th><th>Share</th><th>From</th></tr></thead><tbody>",
        );
        for lead in &leads {
            let stake = &lead["stake"];
            let status = &stake["owner_status"];
            let owner = match status["status"].as_str() {
                Some("candidate") => format!(
                    "{} — may be {} ({}, name match {:.2})",
                    plain(&stake["owner_name"]),
                    plain(&status["entity_name"]),
                    plain(&status["entity_id"]),
                    status["score"].as_f64().unwrap_or(0.0)
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
                (None, Value::Array(r)) if r.len() == 2 => format!(
                    "{} to {}",
                    percent(&r[0]).unwrap_or_default(),
                    percent(&r[1]).unwrap_or_default()
                ),
                _ => plain(&stake["relation"]),
            };
            let from = &stake["provenance"];
            let _ = write!(
                out,
                "<tr><td>{} <code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}:{} {}</td></tr>",
                escape(&plain(&lead["entity_name"])),
                escape(&plain(&lead["entity_id"])),
                escape(&plain(&lead["kind"]).replace('_', " ")),
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

pub fn lists(versions: &Value, entities: usize, names: usize, built_at: &str) -> String {
    let mut out = format!(
        "<h1>Lists in use</h1><p>Index: {entities} entities, {names} names, built {}.</p>\
         <table id=\"lists\"><thead><tr><th>Version</th><th>Source</th><th>Published</th><th>Loaded</th>\
         <th>Counts</th><th>Warnings</th></tr></thead><tbody>",
        escape(built_at)
    );
    for v in versions.as_array().into_iter().flatten() {
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&plain(&v["id"])),
            escape(&plain(&v["source"])),
            escape(&plain(&v["published"])),
            escape(&plain(&v["loaded_at"])),
            escape(&plain(&v["counts"])),
            escape(&plain(&v["warnings"]))
        );
    }
    out.push_str("</tbody></table>");
    out
}

pub fn audit(verification: &Verification, entries: &[AuditEntry]) -> String {
    let mut out = String::from("<h1>Audit trail</h1>");
    if verification.intact {
        let _ = write!(
            out,
            "<p class=\"ok\" id=\"audit-status\">Intact: {} entries, every hash link holds.</p>",
            verification.entries
        );
    } else {
        let _ = write!(
            out,
            "<p class=\"bad\" id=\"audit-status\">BROKEN at entry {}: {}</p>",
            verification
                .first_broken
                .map(|s| s.to_string())
                .unwrap_or_default(),
            escape(verification.problem.as_deref().unwrap_or(""))
        );
    }
    let _ = write!(
        out,
        "<h2>The last {} entries, newest first</h2><table id=\"audit\"><thead><tr><th>#</th><th>At</th><th>Action</th>\
         <th>Actor</th><th>Details</th><th>Hash</th></tr></thead><tbody>",
        entries.len()
    );
    for e in entries.iter().rev() {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td class=\"mono\">{}</td><td><code>{}</code></td></tr>",
            e.seq,
            escape(&e.at),
            escape(&e.action),
            escape(&e.actor),
            escape(&e.body),
            escape(e.hash.get(..12).unwrap_or(&e.hash))
        );
    }
    out.push_str("</tbody></table>");
    out
}

pub fn problem(title: &str, message: &str) -> String {
    format!(
        "<h1>{}</h1><p class=\"flash error\">{}</p><p><a href=\"/ui/alerts\">Back to the queue</a></p>",
        escape(title),
        escape(message)
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
    fn highlight_marks_matched_words_and_escapes_the_rest() {
        let tokens: HashSet<String> = ["badege".to_string()].into_iter().collect();
        assert_eq!(
            highlight("Eric BADEGE <b>", &tokens),
            "Eric <mark>BADEGE</mark> &lt;b&gt;"
        );
        // A token that looks like markup is still escaped inside the mark.
        let tokens: HashSet<String> = ["script".to_string()].into_iter().collect();
        assert_eq!(
            highlight("<script>", &tokens),
            "&lt;<mark>script</mark>&gt;"
        );
    }

    #[test]
    fn url_segments_keep_entity_ids_readable_and_encode_the_rest() {
        assert_eq!(url_segment("un-sc:CDi.001"), "un-sc:CDi.001");
        assert_eq!(url_segment("a/b c\"<"), "a%2Fb%20c%22%3C");
    }
}
