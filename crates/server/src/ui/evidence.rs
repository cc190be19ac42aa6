//! Evidence as a reviewer reads it: dates as dates, identifiers with their kind and
//! country, countries by name in the page's language, names with their script and
//! type, a payment's amounts and parties, a trade's goods and route — and the words
//! of both names that the match paired, marked in any script.
//!
//! Why marking needs more than comparing words: the explanation pairs the engine's
//! tokens (lower-case Latin), while the page shows the names as written. A query
//! `普京` or `Владимир Путин` is marked by reading each written word to Latin the way
//! the engine does (`redline_names::tokens`) and by the explanation's own readings of
//! foreign words; a list name `KIM Jong Un` whose token is `jongun` is marked by
//! joining neighbouring words; a spelling the engine paired by similarity
//! (`Burxanovna` ~ `burkhanovna`) by the same kind of closeness.
//!
//! Everything returned is HTML with every outside value escaped (see `pages`).

use std::collections::HashSet;
use std::fmt::Write;

use redline_model::{DateValue, Entity, Identifier, PartialDate};
use serde_json::Value;

use super::i18n::{Arg, Tr};
use super::pages::{self, escape};

/// A date as written in ISO order, as precise as the list gives it.
pub fn partial_date(d: &PartialDate) -> String {
    match (d.month, d.day) {
        (Some(m), Some(day)) => format!("{:04}-{m:02}-{day:02}", d.year),
        (Some(m), None) => format!("{:04}-{m:02}", d.year),
        _ => format!("{:04}", d.year),
    }
}

/// A list's date: exact, a range, or circa.
pub fn date(tr: &Tr, d: &DateValue) -> String {
    let start = partial_date(&d.date);
    let shown = match &d.end {
        Some(end) => tr.f(
            "date-range",
            &[("from", start.into()), ("to", partial_date(end).into())],
        ),
        None => start,
    };
    if d.circa {
        tr.f("date-circa", &[("date", shown.into())])
    } else {
        shown
    }
}

/// A date written by a caller (`1952-10-07`, `07 Oct 1952`): read as the lists' dates
/// are, shown as it was written when it cannot be read.
pub fn written_date(tr: &Tr, raw: &str) -> String {
    DateValue::parse(raw).map_or_else(|| raw.to_string(), |d| date(tr, &d))
}

/// The label of an identifier kind (`passport` → Passport).
pub fn id_kind(tr: &Tr, label: &str) -> String {
    tr.term("idkind", label)
}

/// `Passport 12345 (issued 2010) · Russian Federation`.
pub fn identifier(tr: &Tr, id: &Identifier) -> String {
    let mut out = format!("{} {}", id_kind(tr, id.kind.label()), id.value);
    if let Some(note) = id.note.as_deref().filter(|n| !n.is_empty()) {
        let _ = write!(out, " ({note})");
    }
    if let Some(c) = &id.country {
        let _ = write!(out, " · {}", tr.country(c));
    }
    out
}

/// A list of countries by name.
pub fn countries(tr: &Tr, codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| tr.country(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The script a name is written in, as the page's language names it.
pub fn script(tr: &Tr, text: &str) -> String {
    use redline_names::Script;
    let key = match redline_names::script_of(text) {
        Script::Latin => "script-latin",
        Script::Cyrillic => "script-cyrillic",
        Script::Greek => "script-greek",
        Script::Arabic => "script-arabic",
        Script::Han => "script-han",
        Script::Mixed => "script-mixed",
        Script::None => "script-none",
        Script::Other => {
            let first = text.chars().find(|c| c.is_alphabetic()).unwrap_or(' ');
            match first as u32 {
                0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => "script-hangul",
                0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => "script-kana",
                0x0590..=0x05FF => "script-hebrew",
                0x10A0..=0x10FF => "script-georgian",
                0x0530..=0x058F => "script-armenian",
                0x0900..=0x097F => "script-devanagari",
                0x0E00..=0x0E7F => "script-thai",
                _ => "script-other",
            }
        }
    };
    tr.t(key)
}

/// The kind of a list name (primary, alias …).
pub fn name_kind(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("namekind-{}", kind.replace('_', "-")))
}

/// An entity's facts a reviewer compares, formatted, as a definition list. Names are
/// the table of [`names_table`].
pub fn entity_facts(tr: &Tr, e: &Entity) -> String {
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut push = |key: &str, value: String| {
        if !value.is_empty() {
            rows.push((tr.t(key), escape(&value)));
        }
    };
    push(
        "field-schema",
        tr.t(&format!("schema-{}", e.schema.as_str().to_lowercase())),
    );
    push("field-source", e.source.as_str().to_string());
    push(
        "field-birth-dates",
        e.birth_dates
            .iter()
            .map(|d| date(tr, d))
            .collect::<Vec<_>>()
            .join("; "),
    );
    push("field-birth-places", e.birth_places.join("; "));
    push("field-nationalities", countries(tr, &e.nationalities));
    push("field-citizenships", countries(tr, &e.citizenships));
    push("field-countries", countries(tr, &e.countries));
    push("field-gender", e.gender.clone().unwrap_or_default());
    push("field-programs", e.programs.join(", "));
    push("field-listed-on", e.listed_on.clone().unwrap_or_default());
    let mut out = String::from("<dl class=\"facts\">");
    for (k, v) in rows {
        let _ = write!(out, "<dt>{}</dt><dd>{v}</dd>", escape(&k));
    }
    let lists: [(&str, Vec<String>); 3] = [
        (
            "field-identifiers",
            e.identifiers.iter().map(|i| identifier(tr, i)).collect(),
        ),
        (
            "field-addresses",
            e.addresses
                .iter()
                .map(|a| {
                    let mut text = a.full.clone();
                    if let Some(c) = &a.country {
                        if !text.to_lowercase().contains(&tr.country(c).to_lowercase()) {
                            let _ = write!(text, " · {}", tr.country(c));
                        }
                    }
                    text
                })
                .collect(),
        ),
        (
            "field-links",
            e.links
                .iter()
                .map(|l| {
                    format!(
                        "{}: {}{}",
                        match &l.relation {
                            redline_model::Relation::Other(r) => r.clone(),
                            r => serde_json::to_value(r)
                                .ok()
                                .and_then(|v| v.as_str().map(|r| r.replace('_', " ")))
                                .unwrap_or_default(),
                        },
                        l.target_name.clone().unwrap_or_default(),
                        l.target_id
                            .as_ref()
                            .map(|id| format!(" ({id})"))
                            .unwrap_or_default()
                    )
                })
                .collect(),
        ),
    ];
    for (key, items) in lists {
        if items.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<dt>{}</dt><dd><ul class=\"plain\">",
            escape(&tr.t(key))
        );
        for item in items {
            let _ = write!(out, "<li>{}</li>", escape(&item));
        }
        out.push_str("</ul></dd>");
    }
    for (key, values) in &e.properties {
        let _ = write!(
            out,
            "<dt>{}</dt><dd>{}</dd>",
            escape(&key.replace('_', " ")),
            escape(&values.join("; "))
        );
    }
    if let Some(r) = e.remarks.as_deref().filter(|r| !r.is_empty()) {
        let _ = write!(
            out,
            "<dt>{}</dt><dd>{}</dd>",
            escape(&tr.t("field-remarks")),
            escape(r)
        );
    }
    out.push_str("</dl>");
    out
}

/// Every name of an entity with its type and script; `matched` names the one a match
/// used, its paired words marked.
pub fn names_table(tr: &Tr, e: &Entity, matched: Option<(&str, &Paired)>) -> String {
    let mut out = pages::table_open(
        tr,
        "class=\"names\"",
        &["col-name", "col-name-type", "col-script"],
    );
    for n in &e.names {
        let text = match matched {
            Some((name, paired)) if name == n.text => paired.mark(&n.text),
            _ => escape(&n.text),
        };
        let note = n
            .note
            .as_deref()
            .map(|note| format!(" <small>({})</small>", escape(note)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td class=\"name-cell\">{text}{note}</td><td>{}</td><td>{}</td></tr>",
            escape(&name_kind(tr, n.kind.as_str())),
            escape(&script(tr, &n.text))
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// What a screening was asked, formatted (the name is shown apart).
pub fn query_facts(tr: &Tr, subject: &Value) -> String {
    let mut out = String::from("<dl class=\"facts\">");
    let row = |out: &mut String, key: &str, value: String| {
        if !value.is_empty() {
            let _ = write!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                escape(&tr.t(key)),
                escape(&value)
            );
        }
    };
    if let Some(s) = subject["schema"].as_str() {
        row(
            &mut out,
            "field-schema",
            tr.t(&format!("schema-{}", s.to_lowercase())),
        );
    }
    if let Some(d) = subject["birth_date"].as_str() {
        row(&mut out, "field-birth-dates", written_date(tr, d));
    }
    if let Some(c) = subject["country"].as_str() {
        row(&mut out, "field-countries", tr.country(c));
    }
    let ids: Vec<String> = subject["identifiers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    row(&mut out, "field-identifiers", ids.join("; "));
    match &subject["id"] {
        Value::Null => {}
        Value::String(s) => row(&mut out, "field-reference", s.clone()),
        other => row(&mut out, "field-reference", other.to_string()),
    }
    out.push_str("</dl>");
    out
}

/// A payment message as the alert's decision stored it: amounts and every party with
/// the field it sits in.
pub fn payment_summary(tr: &Tr, payment: &redline_payments::Payment) -> String {
    let mut out = format!(
        "<dl class=\"facts\" id=\"payment\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>",
        escape(&tr.t("pay-type")),
        escape(&payment.message_type),
        escape(&tr.t("pay-message-id")),
        escape(payment.message_id.as_deref().unwrap_or("—")),
    );
    let amounts: Vec<String> = payment
        .amounts
        .iter()
        .map(|a| format!("{} {}", a.value, a.currency))
        .collect();
    let _ = write!(
        out,
        "<dt>{}</dt><dd id=\"payment-amount\">{}</dd></dl>",
        escape(&tr.t("pay-amount")),
        escape(&amounts.join("; "))
    );
    out.push_str(&pages::table_open(
        tr,
        "id=\"payment-parties\"",
        &[
            "pay-role",
            "col-name",
            "pay-bic-account",
            "field-countries",
            "col-field",
        ],
    ));
    for p in &payment.parties {
        let name = p.name.as_ref().map(|v| v.text.as_str()).unwrap_or("");
        let address: Vec<&str> = p.address.iter().map(|v| v.text.as_str()).collect();
        let ids: Vec<&str> = [&p.bic, &p.lei, &p.account]
            .into_iter()
            .flatten()
            .map(|v| v.text.as_str())
            .collect();
        let mut codes: Vec<String> = p.countries.iter().map(|c| c.code.clone()).collect();
        codes.dedup();
        let _ = write!(
            out,
            "<tr><td>{}</td><td><b>{}</b>{}</td><td><code>{}</code></td><td>{}</td><td><code class=\"field\">{}</code></td></tr>",
            escape(&role(tr, p.role.as_str())),
            escape(name),
            if address.is_empty() {
                String::new()
            } else {
                format!("<br><small>{}</small>", escape(&address.join(", ")))
            },
            escape(&ids.join(" · ")),
            escape(&countries(tr, &codes)),
            escape(&p.path)
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// A party's role in a message or trade.
pub fn role(tr: &Tr, role: &str) -> String {
    tr.term("role", role)
}

/// A trade as its decision stored it: parties, goods and route.
pub fn trade_summary(tr: &Tr, trade: &redline_goods::trade::Trade) -> String {
    let route: Vec<String> = std::iter::once(&trade.route.origin)
        .chain(&trade.route.transit)
        .chain(std::iter::once(&trade.route.destination))
        .filter(|c| !c.is_empty())
        .map(|c| tr.country(c))
        .collect();
    let mut out = format!(
        "<dl class=\"facts\" id=\"trade\"><dt>{}</dt><dd id=\"trade-route\">{}</dd>",
        escape(&tr.t("trade-route")),
        escape(&route.join(" → "))
    );
    if let Some(v) = &trade.vessel {
        let _ = write!(
            out,
            "<dt>{}</dt><dd>{}{}</dd>",
            escape(&tr.t("trade-vessel")),
            escape(&v.name),
            v.imo
                .as_ref()
                .map(|i| format!(" (IMO {})", escape(i)))
                .unwrap_or_default()
        );
    }
    out.push_str("</dl>");
    out.push_str(&pages::table_open(
        tr,
        "id=\"trade-goods\"",
        &[
            "trade-hs",
            "trade-description",
            "trade-quantity",
            "trade-value",
        ],
    ));
    let plain = |v: &Option<Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    for g in &trade.goods {
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(g.hs_code.as_deref().unwrap_or("")),
            escape(&g.description),
            escape(&plain(&g.quantity)),
            escape(&plain(&g.value))
        );
    }
    out.push_str("</tbody></table>");
    out.push_str(&pages::table_open(
        tr,
        "id=\"trade-parties\"",
        &["pay-role", "col-name", "field-countries"],
    ));
    for p in &trade.parties {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&role(tr, &p.role)),
            escape(&p.name),
            escape(
                &p.country
                    .as_deref()
                    .map(|c| tr.country(c))
                    .unwrap_or_default()
            )
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// Which side of a match a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Query,
    List,
}

/// The comparable form of a written word: lower case, letters and digits only.
fn word_key(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The tokens an explanation paired on one side, and the foreign words it read.
pub struct Paired {
    tokens: HashSet<String>,
    /// Words of the query as written that a reading turned into a paired spelling.
    read_words: Vec<String>,
}

impl Paired {
    pub fn of(explanation: &Value, side: Side) -> Paired {
        let field = match side {
            Side::Query => "query",
            Side::List => "list",
        };
        let tokens: HashSet<String> = explanation["tokens"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t[field].as_str())
            .map(word_key)
            .filter(|t| !t.is_empty())
            .collect();
        let read_words = if side == Side::Query {
            explanation["readings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|r| {
                    r["spellings"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .any(|s| {
                            let s = word_key(s);
                            tokens.contains(&s) || tokens.iter().any(|t| s.contains(t.as_str()))
                        })
                })
                .filter_map(|r| r["written"].as_str().map(str::to_string))
                .filter(|w| !w.is_empty())
                .collect()
        } else {
            Vec::new()
        };
        Paired { tokens, read_words }
    }

    /// Also marks words the caller typed that begin a paired token (a word cut short
    /// while typing in a search).
    pub fn with_prefixes_of(mut self, typed: &str) -> Paired {
        let extra: Vec<String> = typed
            .split_whitespace()
            .map(word_key)
            .filter(|w| !w.is_empty() && self.tokens.iter().any(|t| t.starts_with(w.as_str())))
            .collect();
        self.tokens.extend(extra);
        self
    }

    fn close(&self, key: &str) -> bool {
        key.chars().count() >= 4
            && self
                .tokens
                .iter()
                .any(|t| t.len() >= 4 && strsim::jaro_winkler(key, t) >= 0.9)
    }

    /// `text`, escaped, with the words the match paired inside `<mark>`.
    pub fn mark(&self, text: &str) -> String {
        let words = redline_names::words_of(text, |c| matches!(c, '\'' | '’'));
        let latin: Vec<Vec<String>> = words
            .iter()
            .map(|w| redline_names::tokens(w.text))
            .collect();
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let key = word_key(w.text);
            let joined = latin[i].concat();
            if self.tokens.contains(&key)
                || self.tokens.contains(&joined)
                || latin[i].iter().any(|t| self.tokens.contains(t))
            {
                spans.push((w.start, w.end));
                continue;
            }
            // A token the engine joined from neighbouring words (`Jong Un` → `jongun`),
            // tried before closeness: `jong` alone is close to `jongun` too.
            let mut run = joined.clone();
            let mut joined_run = false;
            for j in i + 1..words.len().min(i + 4) {
                run.push_str(&latin[j].concat());
                if self.tokens.contains(&run) {
                    spans.push((w.start, words[j].end));
                    joined_run = true;
                    break;
                }
            }
            if !joined_run
                && (self.close(&key)
                    || (!joined.is_empty() && joined != key && self.close(&joined)))
            {
                spans.push((w.start, w.end));
            }
        }
        for written in &self.read_words {
            for (at, _) in text.match_indices(written.as_str()) {
                spans.push((at, at + written.len()));
            }
        }
        render_marked(text, spans)
    }
}

/// `text` escaped, the byte ranges of `spans` (merged where they touch) in `<mark>`.
fn render_marked(text: &str, mut spans: Vec<(usize, usize)>) -> String {
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let mut out = String::new();
    let mut at = 0;
    for (s, e) in merged {
        if s < at || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        out.push_str(&escape(&text[at..s]));
        let _ = write!(out, "<mark>{}</mark>", escape(&text[s..e]));
        at = e;
    }
    out.push_str(&escape(&text[at..]));
    out
}

/// A count in the page's language (`1 alert`, `3 оповещения`).
pub fn count(tr: &Tr, key: &str, n: u64) -> String {
    tr.f(key, &[("count", Arg::from(n))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(side_tokens: &[(&str, &str)]) -> Value {
        json!({"tokens": side_tokens.iter().map(|(q, l)| json!({"query": q, "list": l})).collect::<Vec<_>>()})
    }

    #[test]
    fn words_are_marked_in_any_script_and_across_word_breaks() {
        let e = pairs(&[("vladimir", "vladimir"), ("putin", "putin")]);
        let q = Paired::of(&e, Side::Query);
        assert_eq!(
            q.mark("Владимир Путин"),
            "<mark>Владимир</mark> <mark>Путин</mark>"
        );
        assert_eq!(
            q.mark("Vladimir Poutine <b>"),
            "<mark>Vladimir</mark> <mark>Poutine</mark> &lt;b&gt;",
            "a spelling the engine paired by closeness"
        );
        let kim = pairs(&[("kim", "kim"), ("jongun", "jongun")]);
        assert_eq!(
            Paired::of(&kim, Side::List).mark("KIM Jong Un"),
            "<mark>KIM</mark> <mark>Jong Un</mark>"
        );
    }

    #[test]
    fn a_foreign_word_is_marked_by_its_reading() {
        let e = json!({
            "tokens": [{"query": "putin", "list": "putin"}],
            "readings": [{"written": "普京", "spellings": ["putin"], "by": "dictionary"}]
        });
        assert_eq!(
            Paired::of(&e, Side::Query).mark("弗拉基米尔·普京"),
            "弗拉基米尔·<mark>普京</mark>"
        );
    }

    #[test]
    fn dates_read_as_dates() {
        let tr = Tr::default();
        let d = DateValue::parse("07 Oct 1952").unwrap();
        assert_eq!(date(&tr, &d), "1952-10-07");
        assert_eq!(
            date(&tr, &DateValue::parse("circa 1960").unwrap()),
            "circa 1960"
        );
        assert_eq!(
            date(&tr, &DateValue::parse("1955 to 1958").unwrap()),
            "1955 to 1958"
        );
    }
}
