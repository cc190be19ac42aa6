//! The analyst web UI, for real: a server on a loopback port over a SQLite store
//! holding the UN list, driven over HTTP as a browser would (cookie, forms, 303s).

mod common;

use std::sync::OnceLock;

use common::{config, load, start, Reply, Server, UN};
use redline_model::SourceId;
use redline_store::OwnershipStore;
use redline_store::Role;
use serde_json::{json, Value};

/// An operator's ownership file over the UN list: a listed person's 60 % holding,
/// and a 25–50 % band in another company.
const OWNERSHIP: &str = "owner,owned,percent\n\
                         Eric BADEGE,Kivu Minerals Ltd,60\n\
                         Eric BADEGE,Goma Transit Ltd,25-50\n";

/// One server over the UN list (and [`OWNERSHIP`]) for every test here (each uses
/// its own subjects).
fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        start(config(), |store| {
            load(store, SourceId::UnSc, UN, |_| {});
            store
                .add_ownership_file(
                    "stakes.csv",
                    OWNERSHIP.as_bytes(),
                    "",
                    "2026-11-27T00:00:00Z",
                )
                .unwrap();
        })
    })
}

/// One request, redirects not followed (the tests check them), `cookie` sent as is.
fn request(method: &str, url: &str, cookie: Option<&str>, form: Option<&[(&str, &str)]>) -> Reply {
    let headers: Vec<(&str, &str)> = cookie.map(|c| ("Cookie", c)).into_iter().collect();
    common::http(method, url, &headers, form)
}

fn get(path: &str, cookie: Option<&str>) -> Reply {
    request("GET", &format!("{}{path}", server().base), cookie, None)
}

fn post(path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Reply {
    request(
        "POST",
        &format!("{}{path}", server().base),
        cookie,
        Some(form),
    )
}

/// Signs in through the form; returns the `Cookie` header value to send.
fn sign_in(role: Role) -> String {
    let r = post("/ui/login", None, &[("key", &server().keys[&role])]);
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(r.location.as_deref(), Some("/ui/alerts"));
    let cookie = r.set_cookie.expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/ui"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    cookie
        .split(';')
        .next()
        .expect("name=value")
        .trim()
        .to_string()
}

/// A JSON API answer's text, asked with a screening key.
fn api_text(path: &str) -> String {
    ureq::get(&format!("{}{path}", server().base))
        .set(
            "Authorization",
            &format!("Bearer {}", server().keys[&Role::Screen]),
        )
        .call()
        .unwrap()
        .into_string()
        .unwrap()
}

/// The CSRF token of a page's forms.
fn csrf(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

/// Screens through the JSON API as a screening client would; returns the alert id.
fn screen(body: Value) -> i64 {
    let res = ureq::post(&format!("{}/v1/screen", server().base))
        .set(
            "Authorization",
            &format!("Bearer {}", server().keys[&Role::Screen]),
        )
        .set("Content-Type", "application/json")
        .send_string(&body.to_string())
        .unwrap()
        .into_string()
        .unwrap();
    let res: Value = serde_json::from_str(&res).unwrap();
    res["alert_id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no alert: {res}"))
}

fn in_queue(cookie: &str, alert: i64) -> bool {
    let q = get("/ui/alerts?status=open", Some(cookie));
    assert_eq!(q.status, 200, "{}", q.text);
    q.text.contains(&format!("href=\"/ui/alerts/{alert}\""))
}

#[test]
fn a_reviewer_signs_in_reviews_and_clears_a_name_alert() {
    let alert = screen(json!({"id": "ui-cust-1", "name": "Eric Badege"}));
    let cookie = sign_in(Role::Review);

    let queue = get("/ui/alerts", Some(&cookie));
    assert_eq!(queue.status, 200);
    assert!(in_queue(&cookie, alert), "{}", queue.text);
    assert!(queue.text.contains("Eric Badege"));
    let names = get("/ui/alerts?status=open&kind=name", Some(&cookie));
    assert!(names.text.contains(&format!("/ui/alerts/{alert}")));
    let payments = get("/ui/alerts?status=open&kind=payment", Some(&cookie));
    assert!(!payments.text.contains(&format!("/ui/alerts/{alert}\"")));

    let detail = get(&format!("/ui/alerts/{alert}"), Some(&cookie));
    assert_eq!(detail.status, 200, "{}", detail.text);
    // The UN file in the repository is months old: every page says so.
    assert!(
        detail.text.contains("id=\"stale-lists\""),
        "{}",
        detail.text
    );
    assert!(detail.text.contains("un-sc@2026-02-27"), "{}", detail.text);
    assert!(
        detail.text.contains("<mark>Badege</mark>"),
        "{}",
        detail.text
    );
    assert!(
        detail.text.contains("<mark>BADEGE</mark>"),
        "{}",
        detail.text
    );
    assert!(detail.text.contains("/ui/entities/"));
    // Who raised it, and at which threshold.
    assert!(
        detail.text.contains("<dd id=\"origin\">api (test (rl_"),
        "{}",
        detail.text
    );
    assert!(detail.text.contains(", threshold 0."), "{}", detail.text);
    let token = csrf(&detail.text);
    let decide = format!("/ui/alerts/{alert}/decide");

    // A forged form (wrong or no token) changes nothing.
    let forged = post(
        &decide,
        Some(&cookie),
        &[
            ("csrf", "0000"),
            ("action", "false_positive"),
            ("reason", "x"),
        ],
    );
    assert_eq!(forged.status, 403, "{}", forged.text);
    let missing = post(
        &decide,
        Some(&cookie),
        &[("action", "false_positive"), ("reason", "x")],
    );
    assert_eq!(missing.status, 403);
    assert!(in_queue(&cookie, alert));

    // A rule error (no reason) is shown on the alert's page.
    let no_reason = post(
        &decide,
        Some(&cookie),
        &[
            ("csrf", &token),
            ("action", "false_positive"),
            ("reason", " "),
        ],
    );
    assert_eq!(no_reason.status, 303);
    let shown = get(&format!("/ui/alerts/{alert}"), Some(&cookie));
    assert!(
        shown.text.contains("Refused: a decision needs a reason"),
        "{}",
        shown.text
    );
    assert!(in_queue(&cookie, alert));

    let decided = post(
        &decide,
        Some(&cookie),
        &[
            ("csrf", &token),
            ("action", "false_positive"),
            ("reason", "different date of birth"),
            // The reviewer is the session's key; a form field cannot change it.
            ("actor", "someone-else"),
        ],
    );
    assert_eq!(decided.status, 303, "{}", decided.text);
    assert_eq!(
        decided.location.as_deref(),
        Some(decide.trim_end_matches("/decide"))
    );
    let after = get(&format!("/ui/alerts/{alert}"), Some(&cookie));
    // A listed person: the false positive waits for a second reviewer, in the queue.
    assert!(
        after.text.contains("is now pending false positive"),
        "{}",
        after.text
    );
    assert!(after.text.contains("different date of birth"));
    assert!(!after.text.contains("someone-else"));
    assert!(in_queue(&cookie, alert));
    let again = post(
        &decide,
        Some(&cookie),
        &[
            ("csrf", &csrf(&after.text)),
            ("action", "false_positive"),
            ("reason", "me again"),
        ],
    );
    assert_eq!(again.status, 303);
    let refused = get(&format!("/ui/alerts/{alert}"), Some(&cookie));
    assert!(refused.text.contains("second reviewer"), "{}", refused.text);
    assert!(in_queue(&cookie, alert));
    let second = sign_in(Role::Admin);
    let page = get(&format!("/ui/alerts/{alert}"), Some(&second));
    let confirmed = post(
        &decide,
        Some(&second),
        &[
            ("csrf", &csrf(&page.text)),
            ("action", "false_positive"),
            ("reason", "agreed: other date of birth"),
        ],
    );
    assert_eq!(confirmed.status, 303, "{}", confirmed.text);
    let after = get(&format!("/ui/alerts/{alert}"), Some(&second));
    assert!(
        after.text.contains("is now false positive"),
        "{}",
        after.text
    );
    assert!(!in_queue(&cookie, alert));
    let closed = get("/ui/alerts?status=false_positive", Some(&cookie));
    assert!(closed.text.contains(&format!("/ui/alerts/{alert}")));

    // The decision is in the audit trail, which still verifies.
    let audit = get("/ui/audit?verify=1", Some(&cookie));
    assert!(audit.text.contains("Intact"), "{}", audit.text);
    assert!(audit.text.contains("alert.decide"));
    assert!(audit.text.contains("ui.login"));
}

#[test]
fn without_a_session_every_page_sends_you_to_sign_in() {
    for path in [
        "/ui/alerts",
        "/ui/alerts/1",
        "/ui/entities/un-sc:CDi.001",
        "/ui/search?q=badege",
        "/ui/lists",
        "/ui/audit",
    ] {
        for cookie in [None, Some("redline_session=forged")] {
            let r = get(path, cookie);
            assert_eq!(r.status, 303, "{path}");
            assert_eq!(r.location.as_deref(), Some("/ui/login"), "{path}");
        }
    }
    let r = post(
        "/ui/alerts/1/decide",
        None,
        &[("csrf", "x"), ("action", "block"), ("reason", "x")],
    );
    assert_eq!((r.status, r.location.as_deref()), (303, Some("/ui/login")));
    let form = get("/ui/login", None);
    assert_eq!(form.status, 200);
    assert!(form.text.contains("name=\"key\""));
    // The UI is not part of the JSON API's document.
    let doc = api_text("/openapi.json");
    assert!(!doc.contains("/ui/"));
}

#[test]
fn only_review_and_admin_keys_may_sign_in() {
    let screen = post("/ui/login", None, &[("key", &server().keys[&Role::Screen])]);
    assert_eq!(screen.status, 403, "{}", screen.text);
    assert!(screen.set_cookie.is_none());
    assert!(screen.text.contains("review or admin role"));
    let unknown = post("/ui/login", None, &[("key", "rl_not_a_key")]);
    assert_eq!(unknown.status, 401);
    assert!(unknown.set_cookie.is_none());
    let admin = sign_in(Role::Admin);
    assert_eq!(get("/ui/lists", Some(&admin)).status, 200);
}

#[test]
fn everything_shown_is_escaped() {
    let alert = screen(json!({
        "id": "<script>alert('id')</script>",
        "name": "Eric Badege <script>alert(1)</script>",
        "threshold": 0.3,
    }));
    let cookie = sign_in(Role::Review);
    for page in ["/ui/alerts".to_string(), format!("/ui/alerts/{alert}")] {
        let r = get(&page, Some(&cookie));
        assert_eq!(r.status, 200);
        assert!(!r.text.contains("<script>"), "{page}: {}", r.text);
        assert!(r.text.contains("&lt;script&gt;"), "{page}");
    }
}

#[test]
fn lists_entities_and_the_audit_trail_are_shown_and_sign_out_ends_the_session() {
    let cookie = sign_in(Role::Review);
    let lists = get("/ui/lists", Some(&cookie));
    assert!(
        lists.text.contains("un_sc@") || lists.text.contains("un-sc@"),
        "{}",
        lists.text
    );
    // The entity a match links to.
    let alert = screen(json!({"id": "ui-cust-entity", "name": "Eric Badege"}));
    let detail = get(&format!("/ui/alerts/{alert}"), Some(&cookie)).text;
    let at = detail.find("href=\"/ui/entities/").expect("an entity link") + 6;
    let link = &detail[at..at + detail[at..].find('"').unwrap()];
    let entity = get(link, Some(&cookie));
    assert_eq!(entity.status, 200, "{}", entity.text);
    assert!(entity.text.contains("BADEGE"), "{}", entity.text);
    assert_eq!(get("/ui/entities/nope", Some(&cookie)).status, 404);
    assert_eq!(get("/ui/alerts/999999", Some(&cookie)).status, 404);
    let audit = get("/ui/audit", Some(&cookie));
    assert!(audit.text.contains("id=\"verify\""), "{}", audit.text);
    let verified = get("/ui/audit?verify=1", Some(&cookie));
    assert!(verified.text.contains("id=\"audit-status\""));

    let page = get("/ui/alerts", Some(&cookie));
    assert_eq!(
        post("/ui/logout", Some(&cookie), &[("csrf", "bad")]).status,
        403
    );
    let out = post("/ui/logout", Some(&cookie), &[("csrf", &csrf(&page.text))]);
    assert_eq!(
        (out.status, out.location.as_deref()),
        (303, Some("/ui/login"))
    );
    assert_eq!(get("/ui/alerts", Some(&cookie)).status, 303);
}

#[test]
fn an_alert_on_a_name_in_another_language_shows_how_it_was_read() {
    // MUTASSIM QADHAFI (UN) as Japanese Wikipedia writes him.
    let alert = screen(json!({"id": "ui-cust-ja", "name": "ムアタシム・カダフィ"}));
    let cookie = sign_in(Role::Review);
    let detail = get(&format!("/ui/alerts/{alert}"), Some(&cookie));
    assert_eq!(detail.status, 200, "{}", detail.text);
    assert!(detail.text.contains("read as"), "{}", detail.text);
    assert!(
        detail
            .text
            .contains("<b>カダフィ</b> → kadafi (katakana reading)"),
        "{}",
        detail.text
    );
}

/// The search page looks a party up as `redline search` does: ranked results with
/// the words that met marked, facets that narrow, pages, and a link to each entity.
#[test]
fn a_reviewer_looks_a_party_up_narrows_it_and_opens_the_entity() {
    let cookie = sign_in(Role::Review);
    let empty = get("/ui/search", Some(&cookie));
    assert_eq!(empty.status, 200);
    assert!(empty.text.contains("id=\"search-form\""));
    assert!(
        empty.text.contains("href=\"/ui/search\""),
        "the header links to it"
    );

    let found = get("/ui/search?q=Badeg", Some(&cookie));
    assert_eq!(found.status, 200);
    assert!(found.text.contains("<mark>BADEGE</mark>"), "{}", found.text);
    assert!(
        found.text.contains("<mark>Badeg</mark>"),
        "what was typed is marked too"
    );
    let at =
        found.text.find("class=\"result\" href=\"").unwrap() + "class=\"result\" href=\"".len();
    let link = &found.text[at..at + found.text[at..].find('"').unwrap()];
    assert!(link.starts_with("/ui/entities/un-sc:"), "{link}");
    let entity = get(link, Some(&cookie));
    assert_eq!(entity.status, 200);
    assert!(entity.text.contains("BADEGE"), "{}", entity.text);

    // Facets narrow; pages page; filters the engine cannot honour are refused.
    let many = get("/ui/search?q=mohammed", Some(&cookie));
    assert!(many.text.contains("id=\"facets\""));
    assert!(many.text.contains("id=\"next\""), "{}", many.text);
    assert!(many
        .text
        .contains("class=\"facet\" href=\"/ui/search?q=mohammed&amp;country="));
    let second = get("/ui/search?q=mohammed&page=1", Some(&cookie));
    assert!(second.text.contains("id=\"previous\""));
    let afghans = get("/ui/search?q=mohammed&country=af", Some(&cookie));
    assert!(afghans.text.contains("Afghanistan ("), "{}", afghans.text);
    let refused = get("/ui/search?q=mohammed&country=Atlantis", Some(&cookie));
    assert_eq!(refused.status, 400);
    assert!(refused.text.contains("Refused") && refused.text.contains("Atlantis"));
    let unloaded = get("/ui/search?q=mohammed&source=uk-hmt", Some(&cookie));
    assert_eq!(unloaded.status, 400);
    assert!(
        unloaded.text.contains("no active list version"),
        "{}",
        unloaded.text
    );
    let hostile = get(
        "/ui/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        Some(&cookie),
    );
    assert!(!hostile.text.contains("<script>"), "{}", hostile.text);
    assert!(hostile.text.contains("&lt;script&gt;"));
}

/// The entity page of a company blocked by ownership shows the rule and the path to
/// the listed owner; that of a company with a band that may reach 50 % shows the lead.
#[test]
fn an_entity_page_shows_blocking_by_ownership_and_leads() {
    let cookie = sign_in(Role::Review);
    let page = get(
        "/ui/entities/local:name:kivu%20minerals%20ltd",
        Some(&cookie),
    );
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("id=\"ownership-ofac\""), "{}", page.text);
    assert!(
        page.text.contains("60% owned by") && page.text.contains("BADEGE"),
        "{}",
        page.text
    );
    let lead = get(
        "/ui/entities/local:name:goma%20transit%20ltd",
        Some(&cookie),
    );
    assert_eq!(lead.status, 200, "{}", lead.text);
    assert!(
        lead.text.contains("id=\"ownership-leads\""),
        "{}",
        lead.text
    );
    assert!(
        lead.text.contains("share band") && lead.text.contains("25% to 50%"),
        "{}",
        lead.text
    );
    // The API answers the same for the same party.
    let api: Value =
        serde_json::from_str(&api_text("/v1/ownership/local:name:goma%20transit%20ltd")).unwrap();
    assert!(api["ofac"].is_null(), "{api}");
    assert_eq!(api["leads"][0]["kind"], "share_band", "{api}");
}
