//! The analyst web UI in a real headless Chromium, driven over the W3C WebDriver
//! protocol (plain HTTP + JSON to `chromedriver`, no WebDriver crate): a held payment
//! is opened from the queue and cleared as a false positive through the forms, as an
//! analyst would. Screenshots of each step go to `target/tmp/ui-screenshots/` for CI to
//! keep.
//!
//! Needs `/usr/bin/chromedriver` and `/usr/bin/chromium` (Debian `chromium-driver`,
//! `chromium`). Without them the test fails, unless `REDLINE_SKIP_BROWSER=1`.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{config, load, start as start_with, un_server, Server, UN};
use redline_model::SourceId;
use redline_store::Role;
use redline_store::{AlertStore, NewAlert};
use serde_json::{json, Value};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const PACS008: &str = "payments/iso20022/cbprplus/cbprplus_p.2.1.1_pacs.008-AtoB.xml";
/// The W3C key under which an element reference comes back.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The service over the UN list, one key per role.
fn start() -> Server {
    un_server(config())
}

struct Browser {
    driver: Child,
    base: String,
    session: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// One WebDriver command; its `value`, or a panic naming the command and the error.
fn webdriver(method: &str, url: &str, body: Option<Value>) -> Value {
    let req = ureq::request(method, url).timeout(Duration::from_secs(60));
    let res = match body {
        Some(b) => req
            .set("Content-Type", "application/json")
            .send_string(&b.to_string()),
        None => req.call(),
    };
    let text = match res {
        Ok(r) => r.into_string().unwrap_or_default(),
        Err(ureq::Error::Status(code, r)) => {
            panic!(
                "WebDriver {method} {url}: {code} {}",
                r.into_string().unwrap_or_default()
            )
        }
        Err(e) => panic!("WebDriver {method} {url}: {e}"),
    };
    let v: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("WebDriver {method} {url}: not JSON ({e}): {text}"));
    v["value"].clone()
}

impl Browser {
    fn launch() -> Option<Browser> {
        if !std::path::Path::new(CHROMEDRIVER).exists() {
            if std::env::var("REDLINE_SKIP_BROWSER").as_deref() == Ok("1") {
                eprintln!("skipping the browser test: {CHROMEDRIVER} is missing and REDLINE_SKIP_BROWSER=1");
                return None;
            }
            panic!(
                "{CHROMEDRIVER} is missing: install Debian's chromium and chromium-driver \
                 (apt-get install -y chromium chromium-driver), or set REDLINE_SKIP_BROWSER=1 to skip this test"
            );
        }
        // A free port: bind, read it, release it for chromedriver.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"));
        let base = format!("http://127.0.0.1:{port}");
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = ureq::get(&format!("{}/status", browser.base))
                .call()
                .ok()
                .and_then(|r| r.into_string().ok())
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let created = webdriver(
            "POST",
            &format!("{}/session", browser.base),
            Some(json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": CHROMIUM,
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                             "--window-size=1280,900", "--disable-dev-shm-usage"],
                },
            }}})),
        );
        browser.session = created["sessionId"]
            .as_str()
            .expect("a WebDriver session id")
            .to_string();
        Some(browser)
    }

    fn url(&self, rest: &str) -> String {
        format!("{}/session/{}{rest}", self.base, self.session)
    }

    fn go(&self, url: &str) {
        webdriver("POST", &self.url("/url"), Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let found = webdriver(
            "POST",
            &self.url("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        found[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let el = self.find(css);
        webdriver(
            "POST",
            &self.url(&format!("/element/{el}/click")),
            Some(json!({})),
        );
    }

    fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css);
        webdriver(
            "POST",
            &self.url(&format!("/element/{el}/value")),
            Some(json!({ "text": text })),
        );
    }

    fn source(&self) -> String {
        webdriver("GET", &self.url("/source"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The page source once it contains `text`: a click that submits a form returns
    /// before the next page has loaded, and a busy machine can take a while.
    fn source_with(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let page = self.source();
            if page.contains(text) || Instant::now() > deadline {
                return page;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn current_url(&self) -> String {
        webdriver("GET", &self.url("/url"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        let png = webdriver("GET", &self.url("/screenshot"), None);
        let bytes = base64_decode(png.as_str().unwrap_or_default());
        assert!(bytes.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

fn screenshot_dir() -> PathBuf {
    // Under the build's own target folder, wherever CARGO_TARGET_DIR puts it.
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ui-screenshots")
}

/// Standard base64 (WebDriver screenshots); a few lines instead of a dependency.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn base64_decodes_padded_and_unpadded_text() {
    assert_eq!(base64_decode("aGVsbG8="), b"hello");
    assert_eq!(base64_decode("aGk"), b"hi");
}

#[test]
fn an_analyst_clears_a_held_payment_in_a_real_browser() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let s = start();

    // A payment to a creditor in Iran: the policy stops it and raises an alert.
    let text = redline_testdata::text(PACS008);
    let at = text.find("<Cdtr>").unwrap();
    let ctry = at + text[at..].find("<Ctry>").unwrap() + "<Ctry>".len();
    let iranian = format!("{}IR{}", &text[..ctry], &text[ctry + 2..]);
    let held = ureq::post(&format!("{}/v1/payments/screen", s.base))
        .set(
            "Authorization",
            &format!("Bearer {}", s.keys[&Role::Screen]),
        )
        .send_string(&iranian);
    let held = match held {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r.into_string().unwrap(),
        Err(e) => panic!("payment screening: {e}"),
    };
    let held: Value = serde_json::from_str(&held).unwrap();
    assert_ne!(held["decision"], "PASS", "{held}");
    let alert = held["alert_id"].as_i64().expect("an alert is raised");

    // Any UI page sends a stranger to the sign-in form.
    browser.go(&format!("{}/ui/alerts", s.base));
    assert!(browser.current_url().ends_with("/ui/login"));
    browser.type_into("#key", &s.keys[&Role::Review]);
    browser.screenshot("01-login");
    browser.click("#sign-in");

    let queue = browser.source_with(&format!("id=\"alert-{alert}\""));
    assert!(browser.current_url().ends_with("/ui/alerts"));
    let link = format!("#alert-{alert}");
    assert!(queue.contains(&format!("id=\"alert-{alert}\"")), "{queue}");
    browser.screenshot("02-queue");

    browser.click(&link);
    let detail = browser.source_with("id=\"hits\"");
    assert!(browser
        .current_url()
        .ends_with(&format!("/ui/alerts/{alert}")));
    assert!(detail.contains("id=\"hits\""), "{detail}");
    assert!(detail.contains("country"), "{detail}");
    browser.screenshot("03-detail");

    browser.click("#action option[value=\"false_positive\"]");
    browser.type_into(
        "#reason",
        "Creditor confirmed as a domestic customer; test data",
    );
    browser.click("#submit-decision");
    let after = browser.source_with("is now false positive");
    assert!(after.contains("is now false positive"), "{after}");
    assert!(after.contains("Creditor confirmed as a domestic customer"));
    browser.screenshot("04-decided");

    browser.click("header a[href=\"/ui/alerts\"]");
    let queue = browser.source_with("</html>");
    assert!(!queue.contains(&format!("id=\"alert-{alert}\"")), "{queue}");
    let last = browser.screenshot("05-queue-after");
    eprintln!("screenshots: {}", last.parent().unwrap().display());
}

/// Search → entity in a real browser: the analyst types part of a name into the
/// search page, sees the ranked result with the words that met marked, and opens the
/// entity.
#[test]
fn an_analyst_looks_a_party_up_and_opens_it_in_a_real_browser() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let s = start();
    browser.go(&format!("{}/ui/search", s.base));
    assert!(browser.current_url().ends_with("/ui/login"));
    browser.type_into("#key", &s.keys[&Role::Review]);
    browser.click("#sign-in");
    browser.source_with("Alert queue");
    browser.click("header a[href=\"/ui/search\"]");
    browser.source_with("id=\"search-form\"");
    browser.type_into("#q", "Badeg");
    browser.click("#search");
    let results = browser.source_with("id=\"results\"");
    assert!(results.contains("<mark>BADEGE</mark>"), "{results}");
    browser.screenshot("06-search");
    browser.click("#results a.result");
    let entity = browser.source_with("List version");
    assert!(
        browser.current_url().contains("/ui/entities/un-sc:"),
        "{}",
        browser.current_url()
    );
    assert!(entity.contains("BADEGE"), "{entity}");
    browser.screenshot("07-entity");
}

/// The workbench in a real browser: a queue of more alerts than one page holds is
/// paged, the language is switched to Chinese (and stays so on the next page), a name
/// is screened from the form, and a note is added to an alert and shown in its
/// history. The screenshots of the queue and the alert are the README's.
#[test]
fn an_analyst_pages_switches_language_screens_and_notes_in_a_real_browser() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let s = start_with(config(), |store| {
        load(store, SourceId::UnSc, UN, |_| {});
        // 150 older alerts, so the queue has a second page.
        for i in 1..=150u64 {
            store
                .raise_alert(&NewAlert {
                    kind: if i % 3 == 0 { "payment" } else { "name" }.into(),
                    subject_key: format!("seed-{i}"),
                    subject: json!({"name": format!("Customer {i}")}),
                    matches: json!([{"entity_id": format!("un-sc:{i}"), "source": "un-sc",
                        "caption": format!("LISTED PARTY {i}"), "programs": ["DRC"],
                        "score": 0.7 + (i % 30) as f64 / 100.0}]),
                    list_versions: vec![],
                    decision_id: None,
                    at: format!("2026-11-{:02}T09:{:02}:00Z", 1 + i / 10, i % 60),
                    origin: None,
                })
                .unwrap();
        }
    });
    // A real alert on a name written in katakana.
    let screened = ureq::post(&format!("{}/v1/screen", s.base))
        .set(
            "Authorization",
            &format!("Bearer {}", s.keys[&Role::Screen]),
        )
        .set("Content-Type", "application/json")
        .send_string(
            &json!({"id": "cust-ja-7", "name": "ムアタシム・カダフィ", "country": "LY"})
                .to_string(),
        )
        .unwrap()
        .into_string()
        .unwrap();
    let alert = serde_json::from_str::<Value>(&screened).unwrap()["alert_id"]
        .as_i64()
        .expect("an alert");

    browser.go(&format!("{}/ui/alerts", s.base));
    browser.type_into("#key", &s.keys[&Role::Review]);
    browser.click("#sign-in");
    let first = browser.source_with("id=\"next\"");
    assert!(first.contains("data-total=\"151\""), "{first}");
    assert!(first.contains("id=\"alert-1\""), "oldest first: {first}");
    browser.screenshot("08-queue");
    browser.click("#next");
    let second = browser.source_with(&format!("id=\"alert-{alert}\""));
    assert!(second.contains("id=\"previous\""), "{second}");
    assert!(!second.contains("id=\"alert-1\""));

    // The switch: Chinese now, and on the pages after.
    browser.click("#lang-zh-CN");
    let zh = browser.source_with("lang=\"zh-CN\"><head>");
    assert!(zh.contains("<html lang=\"zh-CN\""), "{zh}");
    assert!(
        browser.current_url().contains("offset=100"),
        "back to the same page"
    );
    browser.screenshot("09-queue-zh");
    browser.click("header a[href=\"/ui/screen\"]");
    let form = browser.source_with("id=\"screen-form\"");
    assert!(form.contains("<html lang=\"zh-CN\""));
    browser.type_into("#name", "Эрик Бадеге");
    browser.click("#screen");
    let results = browser.source_with("id=\"results\"");
    assert!(results.contains("<mark>Эрик</mark>"), "{results}");
    assert!(!results.contains("id=\"raised\""), "no alert unless asked");
    browser.screenshot("10-screen-zh");
    browser.click("#lang-en");
    browser.source_with("<html lang=\"en\"");

    // A note on the katakana alert, kept in its history.
    browser.go(&format!("{}/ui/alerts/{alert}", s.base));
    let page = browser.source_with("id=\"note-form\"");
    assert!(page.contains("<mark>カダフィ</mark>"), "{page}");
    let note = "Customer file: born 1976 in Tripoli; passport copy requested.";
    browser.type_into("#note", note);
    browser.click("#add-note");
    let after = browser.source_with("class=\"action-note\"");
    assert!(after.contains(note), "{after}");
    browser.screenshot("11-alert");
}
