//! The analyst's workbench at scale, for real: servers on loopback ports over SQLite
//! stores — one holding the UN list and 1,000 open alerts (no test here raises more,
//! so its totals stay exact), one holding the OFAC SDN list for screenings — driven
//! over HTTP as a browser and an integrator would — the queue paged, filtered, sorted and
//! exported, alerts assigned in bulk, a note kept in the history and the audit trail,
//! evidence shown readably, and every page in English, Chinese and Russian.

mod common;

use std::sync::OnceLock;
use std::time::Duration;

use common::{config, load, start, Reply, Server, SDN, UN};
use redline_model::SourceId;
use redline_store::{AlertStore, NewAlert, Role};
use serde_json::{json, Value};

/// Alerts raised before the server starts, one a day back from 2026-01-01.
const ALERTS: i64 = 1000;

/// The server whose queue holds exactly [`ALERTS`] alerts.
fn queue_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        start(config(), |store| {
            load(store, SourceId::UnSc, UN, |_| {});
            for i in 1..=ALERTS {
                let (source, program) = if i % 4 == 0 {
                    ("un-sc", "DRC")
                } else {
                    ("us-ofac-sdn", "RUSSIA-EO14024")
                };
                // Alert 1 is the oldest: raised first, 1,000 hours before the last.
                let at = redline_model::date::rfc3339(
                    std::time::UNIX_EPOCH + Duration::from_secs(1_735_689_600 + i as u64 * 3600),
                );
                store
                    .raise_alert(&NewAlert {
                        kind: if i % 2 == 0 { "payment" } else { "name" }.into(),
                        subject_key: format!("wb-{i}"),
                        subject: json!({"name": format!("Party {i}")}),
                        matches: json!([{
                            "entity_id": format!("{source}:{i}"), "source": source,
                            "caption": format!("LISTED {i}"), "programs": [program],
                            "score": 0.6 + (i % 40) as f64 / 100.0
                        }]),
                        list_versions: vec![],
                        decision_id: None,
                        at,
                        origin: None,
                    })
                    .unwrap();
            }
        })
    })
}

/// The server over the OFAC SDN list, where screenings raise alerts.
fn sdn_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        start(config(), |store| {
            load(store, SourceId::OfacSdn, SDN, |_| {});
        })
    })
}

fn request(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    form: Option<&[(&str, &str)]>,
) -> Reply {
    common::http(method, &format!("{}{path}", server.base), headers, form)
}

/// A signed-in analyst on one server.
struct Analyst {
    server: &'static Server,
    cookie: String,
}

impl Analyst {
    fn get(&self, path: &str) -> Reply {
        request(self.server, "GET", path, &[("Cookie", &self.cookie)], None)
    }

    fn get_in(&self, path: &str, language: &str) -> Reply {
        request(
            self.server,
            "GET",
            path,
            &[("Cookie", &self.cookie), ("Accept-Language", language)],
            None,
        )
    }

    fn post(&self, path: &str, form: &[(&str, &str)]) -> Reply {
        request(
            self.server,
            "POST",
            path,
            &[("Cookie", &self.cookie)],
            Some(form),
        )
    }
}

fn sign_in(server: &'static Server) -> Analyst {
    let r = request(
        server,
        "POST",
        "/ui/login",
        &[],
        Some(&[("key", &server.keys[&Role::Review])]),
    );
    assert_eq!(r.status, 303, "{}", r.text);
    let cookie = r
        .set_cookie
        .expect("a session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    Analyst { server, cookie }
}

fn csrf(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

fn api(server: &Server, method: &str, path: &str, role: Role, body: Option<Value>) -> Value {
    let auth = format!("Bearer {}", server.keys[&role]);
    let req = ureq::request(method, &format!("{}{path}", server.base)).set("Authorization", &auth);
    let res = match body {
        Some(b) => req
            .set("Content-Type", "application/json")
            .send_string(&b.to_string()),
        None => req.call(),
    };
    let text = match res {
        Ok(r) => r.into_string().unwrap(),
        Err(ureq::Error::Status(code, r)) => {
            panic!("{method} {path}: {code} {}", r.into_string().unwrap())
        }
        Err(e) => panic!("{method} {path}: {e}"),
    };
    serde_json::from_str(&text).unwrap()
}

/// The alert ids of a queue page, in the order shown.
fn ids_on(page: &str) -> Vec<i64> {
    page.split("<tr data-alert=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect()
}

/// The href of the link with `id`, unescaped.
fn link(page: &str, id: &str) -> String {
    let at = page
        .find(&format!("id=\"{id}\" href=\""))
        .unwrap_or_else(|| panic!("no link {id}: {page}"))
        + id.len()
        + 12;
    page[at..at + page[at..].find('"').unwrap()].replace("&amp;", "&")
}

/// A message of a catalogue as the repository holds it.
fn message(lang: &str, key: &str) -> String {
    let path = redline_testdata::repo_root().join(format!("crates/server/src/ui/i18n/{lang}.ftl"));
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("{key} not in {}", path.display()))
        .to_string()
}

#[test]
fn the_api_pages_the_queue_with_its_total() {
    let server = queue_server();
    let page = api(
        server,
        "GET",
        "/v1/alerts?limit=100&offset=900",
        Role::Review,
        None,
    );
    assert_eq!(page["total"], ALERTS);
    let alerts = page["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 100);
    assert_eq!(
        alerts[0]["id"], 100,
        "without a status: every status, newest first"
    );
    let open = api(
        server,
        "GET",
        "/v1/alerts?status=open&limit=100&offset=900",
        Role::Review,
        None,
    );
    assert_eq!(open["total"], ALERTS);
    assert_eq!(
        open["alerts"][0]["id"], 901,
        "the open queue is oldest first"
    );
    // UN alerts (every fourth, all payments) scoring 0.90 or more: 0.92 and 0.96.
    let un = api(
        server,
        "GET",
        "/v1/alerts?source=un-sc&kind=payment&min_score=0.9&sort=score",
        Role::Review,
        None,
    );
    assert_eq!(un["total"], 50, "{un}");
    assert!((un["alerts"][0]["matches"][0]["score"].as_f64().unwrap() - 0.96).abs() < 1e-9);
    // A filter that cannot be read is refused, never dropped.
    let bad = ureq::get(&format!("{}/v1/alerts?min_score=high", server.base))
        .set(
            "Authorization",
            &format!("Bearer {}", server.keys[&Role::Review]),
        )
        .call();
    match bad {
        Err(ureq::Error::Status(400, r)) => {
            assert!(r.into_string().unwrap().contains("min_score"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_queue_reaches_the_oldest_alert_and_sorts_filters_and_exports() {
    let analyst = sign_in(queue_server());
    let first = analyst.get("/ui/alerts");
    assert_eq!(first.status, 200, "{}", first.text);
    assert!(first.text.contains("data-total=\"1000\""), "{}", first.text);
    assert_eq!(ids_on(&first.text)[0], 1, "oldest first: alert 1 leads");
    assert_eq!(ids_on(&first.text).len(), 100);
    // Through the pages to the last one, then back to the first.
    let last = analyst.get(&link(&first.text, "last"));
    assert_eq!(ids_on(&last.text), (901..=1000).collect::<Vec<_>>());
    assert!(!last.text.contains("id=\"next\""));
    let second = analyst.get(&link(&first.text, "next"));
    assert_eq!(ids_on(&second.text)[0], 101);
    let back = analyst.get(&link(&second.text, "first"));
    assert_eq!(ids_on(&back.text)[0], 1);
    // Other orders and filters.
    let newest = analyst.get("/ui/alerts?sort=newest");
    assert_eq!(ids_on(&newest.text)[0], 1000);
    let un = analyst.get("/ui/alerts?source=un-sc&limit=50");
    assert!(un.text.contains("data-total=\"250\""), "{}", un.text);
    assert!(ids_on(&un.text).iter().all(|id| id % 4 == 0));
    let old = analyst.get("/ui/alerts?older_than_days=30&program=DRC");
    assert!(
        old.text.contains("data-total=\"250\""),
        "all raised in early 2025"
    );
    let refused = analyst.get("/ui/alerts?max_score=2");
    assert_eq!(refused.status, 400);
    assert!(refused.text.contains("max_score"), "{}", refused.text);
    // A filter given twice cannot be read: refused, never taken for no filter.
    let twice = analyst.get("/ui/alerts?source=un-sc&source=us-ofac-sdn");
    assert_eq!(twice.status, 400, "{}", twice.text);
    assert_eq!(
        analyst
            .get("/ui/alerts/export.csv?kind=name&kind=trade")
            .status,
        400
    );
    assert_eq!(analyst.get("/ui/alerts?offset=9999999999999").status, 400);
    // Scores up to 1 include the perfect matches; a page past the end leads back.
    let top = analyst.get("/ui/alerts?min_score=0.99&max_score=1");
    assert!(top.text.contains("data-total=\"25\""), "{}", top.text);
    let past = analyst.get("/ui/alerts?offset=5000");
    assert!(past.text.contains("id=\"first\""), "{}", past.text);
    // The age column counts days since raising.
    assert!(first.text.contains("class=\"age\">"), "{}", first.text);
    // The export holds every alert the filters hold, not only the page.
    let csv = analyst.get(&link(&un.text, "export"));
    assert_eq!(csv.status, 200);
    assert!(csv.content_type.starts_with("text/csv"));
    let mut rows = csv::Reader::from_reader(csv.text.as_bytes());
    let ids: Vec<i64> = rows
        .records()
        .map(|r| r.unwrap()[0].parse().unwrap())
        .collect();
    assert_eq!(ids.len(), 250);
    assert!(ids.iter().all(|id| id % 4 == 0));
    let audit = analyst.get("/ui/audit?action=ui.export");
    assert!(audit.text.contains("ui.export"), "{}", audit.text);
}

#[test]
fn alerts_are_assigned_in_bulk_and_filtered_by_assignee() {
    let server = queue_server();
    let analyst = sign_in(server);
    let queue = analyst.get("/ui/alerts?sort=newest&limit=50");
    let token = csrf(&queue.text);
    let r = analyst.post(
        "/ui/alerts/assign",
        &[
            ("csrf", &token),
            ("back", "/ui/alerts?sort=newest"),
            ("assignee", "amina"),
            ("id", "997"),
            ("id", "998"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(r.location.as_deref(), Some("/ui/alerts?sort=newest"));
    let after = analyst.get("/ui/alerts?sort=newest");
    assert!(after.text.contains("id=\"flash\""), "{}", after.text);
    let mine = analyst.get("/ui/alerts?assignee=amina");
    assert_eq!(ids_on(&mine.text), vec![997, 998]);
    // 998 is a payment alert: the other 499 payments are nobody's.
    let nobody = api(
        server,
        "GET",
        "/v1/alerts?assignee=-&kind=payment",
        Role::Review,
        None,
    );
    assert_eq!(nobody["total"], 499, "{}", nobody["total"]);
    // Without the session's token nothing is assigned.
    let forged = analyst.post(
        "/ui/alerts/assign",
        &[("csrf", "forged"), ("assignee", "mallory"), ("id", "1")],
    );
    assert_eq!(forged.status, 403);
    assert!(analyst
        .get("/ui/alerts?assignee=mallory")
        .text
        .contains("data-total=\"0\""));
}

#[test]
fn pages_speak_the_browsers_language_and_the_switch_persists() {
    let server = queue_server();
    let analyst = sign_in(server);
    let zh = analyst.get_in("/ui/alerts", "zh-CN,zh;q=0.9,en;q=0.5");
    assert!(zh.text.contains("<html lang=\"zh-CN\""), "{}", zh.text);
    assert!(zh
        .text
        .contains(&format!("<th>{}</th>", message("zh-CN", "col-subject"))));
    assert!(zh.text.contains(&message("zh-CN", "queue-title")));
    let ru = analyst.get_in("/ui/alerts", "ru-RU,ru;q=0.9");
    assert!(ru.text.contains("<html lang=\"ru\""));
    assert!(ru
        .text
        .contains(&format!("<th>{}</th>", message("ru", "col-status"))));
    // Russian counts in its own plural form: 1000 takes the genitive plural.
    assert!(ru.text.contains("1000 оповещений"), "{}", ru.text);
    // The switch keeps the choice in a cookie and goes back to the page.
    let switch = analyst.get("/ui/lang?to=ru&back=/ui/alerts?sort=newest");
    assert_eq!(switch.status, 303);
    assert_eq!(switch.location.as_deref(), Some("/ui/alerts?sort=newest"));
    let lang = switch.set_cookie.expect("a language cookie");
    assert!(lang.starts_with("redline_lang=ru;"), "{lang}");
    let both = format!("{}; redline_lang=ru", analyst.cookie);
    let chosen = request(
        server,
        "GET",
        "/ui/alerts",
        &[("Cookie", &both), ("Accept-Language", "zh-CN")],
        None,
    );
    assert!(chosen.text.contains("<html lang=\"ru\""), "the switch wins");
    // The way back is a page of the UI, never another site.
    let away = analyst.get("/ui/lang?to=zh-CN&back=//evil.example/ui");
    assert_eq!(away.location.as_deref(), Some("/ui/alerts"));
    // The sign-in page too.
    let login = request(
        server,
        "GET",
        "/ui/login",
        &[("Accept-Language", "zh")],
        None,
    );
    assert!(login.text.contains(&message("zh-CN", "login-title")));
}

#[test]
fn an_alert_shows_readable_evidence_and_keeps_a_note_in_its_history_and_the_audit_trail() {
    let server = sdn_server();
    let answer = api(
        server,
        "POST",
        "/v1/screen",
        Role::Screen,
        Some(json!({"id": "wb-putin", "name": "Vladimir Poutine"})),
    );
    let id = answer["alert_id"].as_i64().expect("an alert");
    let analyst = sign_in(server);
    let page = analyst.get(&format!("/ui/alerts/{id}"));
    assert_eq!(page.status, 200, "{}", page.text);
    // Both words marked on the query side, the birth date shown as a date.
    assert!(
        page.text
            .contains("<mark>Vladimir</mark> <mark>Poutine</mark>"),
        "{}",
        page.text
    );
    assert!(page.text.contains("1952-10-07"), "{}", page.text);
    for raw in ["day:", "month:", "year:", "birth_dates", "kind: passport"] {
        assert!(!page.text.contains(raw), "{raw} shown raw: {}", page.text);
    }
    assert!(page.text.contains("Russian Federation"), "{}", page.text);
    // The four-eyes rule says what it asks on a strong match.
    assert!(page.text.contains("id=\"four-eyes\""));
    // A note: in the history and in the audit trail, under the alert's filter.
    let token = csrf(&page.text);
    let note = "Customer file checked: same birth date, escalating to the MLRO.";
    let r = analyst.post(
        &format!("/ui/alerts/{id}/notes"),
        &[("csrf", &token), ("text", note)],
    );
    assert_eq!(r.status, 303, "{}", r.text);
    let after = analyst.get(&format!("/ui/alerts/{id}"));
    assert!(
        after.text.contains("class=\"action-note\""),
        "{}",
        after.text
    );
    assert!(after.text.contains(note));
    let audit = analyst.get(&format!("/ui/audit?alert={id}&action=alert.note"));
    assert!(audit.text.contains("data-total=\"1\""), "{}", audit.text);
    assert!(audit.text.contains(note));
    // The JSON API has the note in the alert's history.
    let shown = api(
        server,
        "GET",
        &format!("/v1/alerts/{id}"),
        Role::Review,
        None,
    );
    assert!(shown["actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["action"] == "note" && a["reason"] == note));
    let empty = analyst.post(
        &format!("/ui/alerts/{id}/notes"),
        &[("csrf", &token), ("text", "   ")],
    );
    assert_eq!(empty.status, 303);
    assert!(analyst
        .get(&format!("/ui/alerts/{id}"))
        .text
        .contains("a note needs text"));
    // The printable report holds the evidence and the note, and no forms.
    let report = analyst.get(&format!("/ui/alerts/{id}/report"));
    assert!(report.text.contains(note) && report.text.contains("1952-10-07"));
    assert!(
        !report.text.contains("id=\"decide\""),
        "no forms in a report"
    );
    // In Chinese, the country is named in Chinese.
    let zh = analyst.get_in(&format!("/ui/alerts/{id}"), "zh-CN");
    assert!(zh.text.contains("俄罗斯"), "{}", zh.text);
}

#[test]
fn a_name_is_screened_from_the_ui_without_an_alert_unless_asked() {
    let server = sdn_server();
    let analyst = sign_in(server);
    let form = analyst.get("/ui/screen");
    assert_eq!(form.status, 200);
    let token = csrf(&form.text);
    let r = analyst.post(
        "/ui/screen",
        &[
            ("csrf", &token),
            ("name", "弗拉基米尔·普京"),
            ("birth_date", "1952-10-07"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains("id=\"results\""), "{}", r.text);
    assert!(r.text.contains("/ui/entities/"), "{}", r.text);
    assert!(r.text.contains("<mark>普京</mark>"), "{}", r.text);
    assert!(
        !r.text.contains("id=\"raised\""),
        "a look-up raises nothing"
    );
    let raised = analyst.post(
        "/ui/screen",
        &[
            ("csrf", &token),
            ("name", "Vladimir Putin"),
            ("raise", "on"),
        ],
    );
    assert!(raised.text.contains("id=\"raised\""), "{}", raised.text);
    let forged = analyst.post("/ui/screen", &[("csrf", "x"), ("name", "Putin")]);
    assert_eq!(forged.status, 403);
}

#[test]
fn the_audit_trail_is_filtered_paged_and_exported_with_reviewers_labels() {
    let analyst = sign_in(queue_server());
    let page = analyst.get("/ui/audit?action=ui.login");
    assert_eq!(page.status, 200, "{}", page.text);
    // Reviewers by their key's label, not only its id.
    assert!(page.text.contains("test (rl_"), "{}", page.text);
    let bad = analyst.get("/ui/audit?from=yesterday");
    assert_eq!(bad.status, 400);
    assert!(bad.text.contains("from"));
    assert_eq!(analyst.get("/ui/audit?to=2026-12-07junk").status, 400);
    assert_eq!(analyst.get("/ui/audit?action=a&action=b").status, 400);
    let instant = analyst.get("/ui/audit?from=2020-01-01T00:00:00Z&action=ui.login");
    assert_eq!(instant.status, 200, "{}", instant.text);
    let csv = analyst.get("/ui/audit/export.csv?action=ui.login");
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(csv.text.lines().count() >= 2, "{}", csv.text);
    let verified = analyst.get("/ui/audit?verify=1");
    assert!(
        verified.text.contains("class=\"ok\" id=\"audit-status\""),
        "{}",
        verified.text
    );
}

#[test]
fn an_entity_page_says_what_changed_since_the_list_version_before() {
    // Two versions of the UN list: in the newer one, Eric Badege has a new alias.
    let server = start(config(), |store| {
        load(store, SourceId::UnSc, UN, |_| {});
        load(store, SourceId::UnSc, UN, |entities| {
            let badege = entities
                .iter_mut()
                .find(|e| e.id == "un-sc:6907993")
                .expect("Eric Badege is on the UN list");
            badege.names.push(redline_model::Name::new(
                "Eric Badege Kabila",
                redline_model::NameKind::WeakAlias,
            ));
        });
    });
    let server: &'static Server = Box::leak(Box::new(server));
    let analyst = sign_in(server);
    let page = analyst.get("/ui/entities/un-sc:6907993");
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Across list versions"), "{}", page.text);
    assert!(page.text.contains("class=\"changes\""), "{}", page.text);
    assert!(page.text.contains("Eric Badege Kabila"));
    // Every name with its type and script.
    assert!(page.text.contains("weak alias") && page.text.contains("Latin"));
    // An entry the edit did not touch is unchanged since the older version.
    let other = analyst.get("/ui/entities/un-sc:690775");
    assert!(
        other.text.contains("id=\"entity-unchanged\""),
        "{}",
        other.text
    );
}

#[test]
fn payment_and_trade_alerts_show_the_message_and_the_goods() {
    let server = sdn_server();
    let auth = format!("Bearer {}", server.keys[&Role::Screen]);
    // A pacs.008 to a creditor in Iran: held, with the message read back on the page.
    let text =
        redline_testdata::text("payments/iso20022/cbprplus/cbprplus_p.2.1.1_pacs.008-AtoB.xml");
    let at = text.find("<Cdtr>").unwrap();
    let ctry = at + text[at..].find("<Ctry>").unwrap() + "<Ctry>".len();
    let iranian = format!("{}IR{}", &text[..ctry], &text[ctry + 2..]);
    let held = match ureq::post(&format!("{}/v1/payments/screen", server.base))
        .set("Authorization", &auth)
        .send_string(&iranian)
    {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r.into_string().unwrap(),
        Err(e) => panic!("{e}"),
    };
    let held: Value = serde_json::from_str(&held).unwrap();
    let payment_alert = held["alert_id"].as_i64().expect("a payment alert");
    let trade = api(
        server,
        "POST",
        "/v1/trade/screen",
        Role::Screen,
        Some(json!({
            "parties": [{"role": "buyer", "name": "Steppe Trade LLP", "country": "KZ"}],
            "goods": [{"hs_code": "8542.31", "description": "microcontrollers", "quantity": "5000 pcs"}],
            "route": {"origin": "CN", "transit": ["KZ"], "destination": "RU"}
        })),
    );
    let trade_alert = trade["alert_id"].as_i64().expect("a trade alert");
    let analyst = sign_in(server);
    let page = analyst.get(&format!("/ui/alerts/{payment_alert}"));
    assert!(page.text.contains("id=\"payment-amount\""), "{}", page.text);
    assert!(page.text.contains("id=\"payment-parties\""));
    assert!(
        page.text.contains("creditor"),
        "the roles are named: {}",
        page.text
    );
    assert!(page.text.contains("Iran"), "{}", page.text);
    assert!(page.text.contains("<code class=\"field\">"));
    let page = analyst.get(&format!("/ui/alerts/{trade_alert}"));
    assert!(page.text.contains("id=\"trade-goods\""), "{}", page.text);
    assert!(page.text.contains("8542.31") && page.text.contains("microcontrollers"));
    assert!(
        page.text
            .contains("China → Kazakhstan → Russian Federation"),
        "{}",
        page.text
    );
}
