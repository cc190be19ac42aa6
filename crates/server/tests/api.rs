//! The service, for real: each test starts the server on a loopback port over a
//! SQLite store holding real lists, and talks HTTP to it.

mod common;

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use common::{config, load, start, un_server, Server, SDN, UN};
use redline_model::SourceId;
use redline_server::ServeConfig;
use redline_store::{KeyStore, Role, SqliteStore};
use serde_json::{json, Value};

/// The server over both bundled lists, shared by the tests that only read.
fn full() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        start(config(), |store| {
            load(store, SourceId::OfacSdn, SDN, |_| {});
            load(store, SourceId::UnSc, UN, |_| {});
        })
    })
}

struct Reply {
    status: u16,
    headers: std::collections::HashMap<String, String>,
    body: Value,
    text: String,
}

fn call(method: &str, url: &str, auth: Option<&str>, body: Option<&[u8]>) -> Reply {
    call_with(method, url, auth, body, &[])
}

fn call_with(
    method: &str,
    url: &str,
    auth: Option<&str>,
    body: Option<&[u8]>,
    headers: &[(&str, &str)],
) -> Reply {
    let mut req = ureq::request(method, url).timeout(Duration::from_secs(120));
    if let Some(a) = auth {
        req = req.set("Authorization", a);
    }
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let res = match body {
        Some(b) => req.set("Content-Type", "application/json").send_bytes(b),
        None => req.call(),
    };
    let res = match res {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {url}: {e}"),
    };
    let status = res.status();
    let headers = res
        .headers_names()
        .into_iter()
        .map(|h| {
            let v = res.header(&h).unwrap_or_default().to_string();
            (h, v)
        })
        .collect();
    let text = res.into_string().unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
        text,
    }
}

fn bearer(server: &Server, role: Role) -> String {
    format!("Bearer {}", server.keys[&role])
}

#[test]
fn every_route_needs_the_right_key() {
    let s = full();
    let screen = bearer(s, Role::Screen);
    let doc = call(
        "GET",
        &format!("{}/openapi.json", s.base),
        Some(&screen),
        None,
    );
    assert_eq!(doc.status, 200);
    let paths = doc.body["paths"].as_object().unwrap();
    let mut checked = 0;
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            let url = format!(
                "{}{}",
                s.base,
                path.replace("{dataset}", "default")
                    .replace("{id}", "ofac-sdn:35096")
                    .replace("{source}", "un-sc")
            );
            let body: Option<&[u8]> = (method == "post").then_some(b"{}");
            let role = op["x-required-role"].as_str();
            let method = &method.to_uppercase();
            let open = call(method, &url, None, body);
            match role {
                None => assert_eq!(open.status, 200, "{method} {path} is open"),
                Some(role) => {
                    assert_eq!(open.status, 401, "{method} {path} without a key");
                    assert_eq!(open.body["error"]["code"], "unauthorized");
                    assert_eq!(
                        open.headers.get("www-authenticate").map(String::as_str),
                        Some("Bearer")
                    );
                    let bad = call(method, &url, Some("Bearer rl_not_a_key"), body);
                    assert_eq!(bad.status, 401, "{method} {path} with a wrong key");
                    let role: Role = role.parse().unwrap();
                    for r in Role::ALL {
                        let got = call(method, &url, Some(&bearer(s, r)), body);
                        if r.allows(role) {
                            assert!(
                                got.status != 401
                                    && got.status != 403
                                    && got.status != 404
                                    && got.status != 405,
                                "{method} {path} as {r}: {} {}",
                                got.status,
                                got.text
                            );
                        } else {
                            assert_eq!(got.status, 403, "{method} {path} as {r}");
                            assert_eq!(got.body["error"]["code"], "forbidden");
                        }
                    }
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 34, "every documented route was called");
    // yente clients send `ApiKey <key>`.
    let k = format!("ApiKey {}", s.keys[&Role::Screen]);
    assert_eq!(
        call("GET", &format!("{}/v1/lists", s.base), Some(&k), None).status,
        200
    );
}

#[test]
fn screening_one_name_and_a_batch() {
    let s = full();
    let key = bearer(s, Role::Screen);
    let url = format!("{}/v1/screen", s.base);
    let one = call(
        "POST",
        &url,
        Some(&key),
        Some(br#"{"name": "Vladimir Poutine", "id": "p-1"}"#),
    );
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(one.body["matches"][0]["entity_id"], "ofac-sdn:35096");
    assert_eq!(one.body["id"], "p-1");
    let versions = one.body["list_versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert!(versions[0]
        .as_str()
        .unwrap()
        .starts_with("ofac-sdn@2024-05-03-"));
    assert!(one.body["matches"][0]["explanation"]["tokens"].is_array());

    let batch = json!({"queries": [
        {"id": 1, "name": "Владимир Путин", "schema": "person"},
        {"id": 2, "name": "Jonathan Q. Nobody-Atall"},
        {"id": 3, "name": "ROTENBERG Arkadiy", "birth_date": "1951-12-15"},
    ], "limit": 3});
    let got = call("POST", &url, Some(&key), Some(batch.to_string().as_bytes()));
    assert_eq!(got.status, 200, "{}", got.text);
    let results = got.body["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["id"], 1);
    assert_eq!(results[0]["matches"][0]["entity_id"], "ofac-sdn:35096");
    assert_eq!(results[1]["matches"].as_array().unwrap().len(), 0);
    assert_eq!(results[2]["matches"][0]["entity_id"], "ofac-sdn:16669");

    // Restricting sources is honoured.
    let un_only = call(
        "POST",
        &url,
        Some(&key),
        Some(br#"{"name": "Vladimir Putin", "sources": ["un-sc"]}"#),
    );
    assert_eq!(un_only.status, 200);
    assert!(un_only.body["matches"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["source"] == "un-sc"));
}

#[test]
fn a_what_if_raises_no_alert_and_an_unknown_country_is_said() {
    let s = full();
    let key = bearer(s, Role::Screen);
    let url = format!("{}/v1/screen", s.base);
    let ask = |body: Value| call("POST", &url, Some(&key), Some(body.to_string().as_bytes()));
    let dry = ask(json!({"name": "Arkady Rotenberg", "dry_run": true, "country": "XX"}));
    assert_eq!(dry.status, 200, "{}", dry.text);
    assert_eq!(dry.body["matches"][0]["entity_id"], "ofac-sdn:16669");
    assert!(dry.body.get("alert_id").is_none(), "{}", dry.text);
    assert!(
        dry.body["warnings"][0].as_str().unwrap().contains("\"XX\""),
        "{}",
        dry.text
    );
    let batch = ask(
        json!({"queries": [{"name": "Arkady Rotenberg", "country": "Atlantis"}], "dry_run": true}),
    );
    assert!(batch.body["results"][0].get("alert_id").is_none());
    assert_eq!(
        batch.body["results"][0]["warnings"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The same query for real raises one.
    let real = ask(json!({"name": "Arkady Rotenberg"}));
    assert!(real.body["alert_id"].as_i64().is_some(), "{}", real.text);
}

#[test]
fn bad_requests_get_clear_errors_and_the_server_keeps_serving() {
    let s = full();
    let key = bearer(s, Role::Screen);
    let url = format!("{}/v1/screen", s.base);
    let long_name = json!({"name": "x".repeat(10_000)}).to_string();
    let cases: [(&[u8], u16, &str, &str); 13] = [
        // What cannot be honoured is refused, never answered "no match".
        (
            br#"{"name": "Vladimir Putin", "threshold": 2}"#,
            400,
            "invalid_request",
            "threshold: 2 is outside (0, 1]",
        ),
        (
            br#"{"name": "Vladimir Putin", "threshold": 0}"#,
            400,
            "invalid_request",
            "threshold",
        ),
        (
            br#"{"name": "Vladimir Putin", "sources": ["uk-hmt"]}"#,
            400,
            "invalid_request",
            "uk-hmt has no active list version",
        ),
        (
            br#"{"queries": [{"name": "a"}], "sources": ["uk-hmt"]}"#,
            400,
            "invalid_request",
            "uk-hmt",
        ),
        (
            br#"{"name": "Vladimir Putin", "birthdate": "1952-10-07"}"#,
            400,
            "invalid_request",
            "birthdate: unknown field",
        ),
        (
            long_name.as_bytes(),
            400,
            "invalid_request",
            "10000 characters",
        ),
        (
            b"{\"name\": \"x\"",
            400,
            "invalid_json",
            "EOF while parsing",
        ),
        (b"", 400, "invalid_json", "empty"),
        (b"[1, 2]", 400, "invalid_request", "JSON object"),
        (
            br#"{"name": "x", "birth_date": "12/1951"}"#,
            400,
            "invalid_request",
            "birth_date",
        ),
        (
            br#"{"name": "x", "limit": 0}"#,
            400,
            "invalid_request",
            "limit",
        ),
        (
            br#"{"queries": [{"name": "a"}, {"name": "b", "schema": "planet"}]}"#,
            400,
            "invalid_request",
            "queries[1].schema",
        ),
        (
            br#"{"queries": [{"name": "a"}], "treshold": 0.5}"#,
            400,
            "invalid_request",
            "treshold",
        ),
    ];
    for (body, status, code, needle) in cases {
        let got = call("POST", &url, Some(&key), Some(body));
        assert_eq!(
            got.status,
            status,
            "{}: {}",
            String::from_utf8_lossy(body),
            got.text
        );
        assert_eq!(got.body["error"]["code"], code, "{}", got.text);
        let message = got.body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(needle),
            "{message:?} should name {needle:?}"
        );
    }
    // Larger than max_body_bytes (2 MiB): refused on the declared length, at once.
    let mut conn = stalled_request(s, &key, 3 << 20, b"{\"name\": \"aaaa");
    let reply = read_reply(&mut conn);
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    assert!(reply.contains("body_too_large"), "{reply}");
    // More queries than max_batch.
    let many = json!({"queries": vec![json!({"name": "a"}); 1001]});
    let got = call("POST", &url, Some(&key), Some(many.to_string().as_bytes()));
    assert_eq!(got.status, 413);
    assert_eq!(got.body["error"]["code"], "batch_too_large");
    // Unknown routes and methods answer in the same format.
    let got = call("GET", &format!("{}/v2/nothing", s.base), Some(&key), None);
    assert_eq!(
        (got.status, got.body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let got = call("GET", &url, Some(&key), None);
    assert_eq!(
        (got.status, got.body["error"]["code"].as_str()),
        (405, Some("method_not_allowed"))
    );
    let got = call(
        "GET",
        &format!("{}/v1/entities/ofac-sdn:0", s.base),
        Some(&key),
        None,
    );
    assert_eq!(got.status, 404);
    // And the server still screens.
    let ok = call(
        "POST",
        &url,
        Some(&key),
        Some(br#"{"name": "Vladimir Poutine"}"#),
    );
    assert_eq!(ok.status, 200);
}

#[test]
fn yente_documentation_example_finds_rotenberg() {
    let s = full();
    let key = format!("ApiKey {}", s.keys[&Role::Screen]);
    let body = json!({
        "queries": {
            "q1": {
                "schema": "Person",
                "properties": {
                    "name": ["Arkadiii Romanovich Rotenberg", "Ротенберг Аркадий"],
                    "birthDate": ["1951"],
                    "nationality": ["Russia"]
                }
            }
        }
    });
    let got = call(
        "POST",
        &format!("{}/match/default?algorithm=logic-v1", s.base),
        Some(&key),
        Some(body.to_string().as_bytes()),
    );
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(
        got.headers.get("x-batch-size").map(String::as_str),
        Some("1")
    );
    let q1 = &got.body["responses"]["q1"];
    assert_eq!(q1["status"], 200);
    let top = &q1["results"][0];
    assert_eq!(top["id"], "ofac-sdn:16669");
    assert_eq!(top["caption"], "ROTENBERG, Arkady Romanovich");
    assert_eq!(top["schema"], "Person");
    assert_eq!(top["match"], true);
    assert_eq!(top["datasets"], json!(["us_ofac_sdn"]));
    assert!(top["score"].as_f64().unwrap() >= 0.84);
    assert!(top["features"]["name_score"].as_f64().unwrap() > 0.8);
    assert!(top["properties"]["name"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n == "ROTENBERG, Arkady Romanovich"));
    assert_eq!(q1["total"]["relation"], "eq");
    assert_eq!(q1["query"]["schema"], "Person");
    assert_eq!(got.body["limit"], 5);
    assert!(got.body["matcher"]["name_score"]["description"].is_string());

    // Dataset by OpenSanctions name; a dataset without him; an unknown one.
    let on = |dataset: &str| {
        call(
            "POST",
            &format!("{}/match/{dataset}", s.base),
            Some(&key),
            Some(body.to_string().as_bytes()),
        )
    };
    assert_eq!(
        on("us_ofac_sdn").body["responses"]["q1"]["results"][0]["id"],
        "ofac-sdn:16669"
    );
    assert!(on("un-sc").body["responses"]["q1"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["id"] != "ofac-sdn:16669"));
    let unknown = on("peps");
    assert_eq!(unknown.status, 404);
    assert!(unknown.body["detail"].as_str().unwrap().contains("peps"));
    let bad = call(
        "POST",
        &format!("{}/match/default?algorithm=magic", s.base),
        Some(&key),
        Some(body.to_string().as_bytes()),
    );
    assert_eq!(bad.status, 400);
    let excluded = call(
        "POST",
        &format!("{}/match/default?exclude_entity_ids=ofac-sdn:16669", s.base),
        Some(&key),
        Some(body.to_string().as_bytes()),
    );
    assert!(excluded.body["responses"]["q1"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["id"] != "ofac-sdn:16669"));

    // The entity, yente-style and Redline-style.
    let e = call(
        "GET",
        &format!("{}/entities/ofac-sdn:16669", s.base),
        Some(&key),
        None,
    );
    assert_eq!(e.status, 200);
    assert_eq!(e.body["schema"], "Person");
    assert!(e.body["properties"]["birthDate"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d == "1951-12-15"));
    let e = call(
        "GET",
        &format!("{}/v1/entities/ofac-sdn:16669", s.base),
        Some(&key),
        None,
    );
    assert_eq!(e.body["entity"]["id"], "ofac-sdn:16669");
    assert!(e.body["list_version"]
        .as_str()
        .unwrap()
        .starts_with("ofac-sdn@"));
}

#[test]
fn operations_routes_describe_the_service() {
    let s = full();
    let key = bearer(s, Role::Screen);
    let ready = call("GET", &format!("{}/readyz", s.base), None, None);
    assert_eq!(ready.status, 200);
    assert_eq!(ready.body["list_versions"].as_array().unwrap().len(), 2);
    let lists = call("GET", &format!("{}/v1/lists", s.base), Some(&key), None);
    assert_eq!(
        lists.body["list_versions"][0]["counts"]["entities"]
            .as_u64()
            .map(|n| n > 10_000),
        Some(true)
    );
    // A request id is made up, or the caller's is kept.
    let r = call_with(
        "GET",
        &format!("{}/healthz", s.base),
        None,
        None,
        &[("x-request-id", "abc-123")],
    );
    assert_eq!(
        r.headers.get("x-request-id").map(String::as_str),
        Some("abc-123")
    );
    let r = call("GET", &format!("{}/healthz", s.base), None, None);
    assert!(!r.headers["x-request-id"].is_empty());

    call(
        "POST",
        &format!("{}/v1/screen", s.base),
        Some(&key),
        Some(br#"{"name": "Vladimir Poutine"}"#),
    );
    let m = call("GET", &format!("{}/metrics", s.base), Some(&key), None);
    assert_eq!(m.status, 200);
    for needle in [
        "redline_http_requests_total{route=\"/v1/screen\",method=\"POST\",status=\"200\"}",
        "redline_http_request_duration_seconds_count{route=\"/v1/screen\"}",
        "redline_screenings_total{kind=\"name\"}",
        "redline_alerts_total{kind=\"name\"}",
        "redline_list_version_age_seconds{source=\"ofac-sdn\"",
        "redline_list_entities{source=\"un-sc\"",
        "redline_shed_requests_total",
    ] {
        assert!(
            m.text.contains(needle),
            "metrics lack {needle}:\n{}",
            &m.text[..m.text.len().min(3000)]
        );
    }
    // Raw paths never become labels.
    assert!(!m.text.contains("ofac-sdn:35096"));
}

#[test]
fn a_reload_during_traffic_switches_versions_without_failing_a_request() {
    let s = Arc::new(un_server(config()));
    let before = call("GET", &format!("{}/readyz", s.base), None, None).body["list_versions"][0]
        .as_str()
        .unwrap()
        .to_string();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let (s, stop) = (s.clone(), stop.clone());
            std::thread::spawn(move || {
                let key = bearer(&s, Role::Screen);
                let mut seen = Vec::new();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let r = call(
                        "POST",
                        &format!("{}/v1/screen", s.base),
                        Some(&key),
                        Some(br#"{"name": "Kim Jong Un"}"#),
                    );
                    assert_eq!(r.status, 200, "{}", r.text);
                    let v = r.body["list_versions"].as_array().unwrap();
                    assert_eq!(v.len(), 1);
                    seen.push(v[0].as_str().unwrap().to_string());
                }
                seen
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    // Another process loads a new version (one entry dropped) into the same store…
    let mut other = SqliteStore::open(&s.db).unwrap();
    let after = load(&mut other, SourceId::UnSc, UN, |e| {
        e.pop();
    });
    assert_ne!(after, before);
    // …and an admin tells the service.
    let admin = bearer(&s, Role::Admin);
    let r = call(
        "POST",
        &format!("{}/v1/lists/reload", s.base),
        Some(&admin),
        Some(b""),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["changed"], true);
    assert_eq!(r.body["list_versions"], json!([after]));
    assert_eq!(r.body["previous"], json!([before]));
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let seen: Vec<String> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert!(seen.iter().all(|v| *v == before || *v == after));
    assert!(
        seen.contains(&before) && seen.contains(&after),
        "traffic saw both versions"
    );
    // A second reload with nothing new changes nothing.
    let r = call(
        "POST",
        &format!("{}/v1/lists/reload", s.base),
        Some(&admin),
        Some(b""),
    );
    assert_eq!(r.body["changed"], false);

    // A reload that fails (a corrupt entity body in the store) leaves the old index serving.
    let conn = rusqlite::Connection::open(&s.db).unwrap();
    conn.execute_batch(
        "INSERT INTO entity_bodies (hash, body) VALUES ('broken', '{not json');
         UPDATE versions SET active = 0 WHERE source = 'un-sc';
         INSERT INTO versions (id, seq, source, published, loaded_at, files, file_hash, content_hash, counts, warnings, active)
             SELECT 'un-sc@broken', MAX(seq) + 1, 'un-sc', NULL, '2026-11-27T00:00:00Z', '[]', 'x', 'x', counts, 0, 1 FROM versions;
         INSERT INTO version_entities (version_id, entity_id, hash) VALUES ('un-sc@broken', 'un-sc:x', 'broken');",
    )
    .unwrap();
    let r = call(
        "POST",
        &format!("{}/v1/lists/reload", s.base),
        Some(&admin),
        Some(b""),
    );
    assert_eq!(r.status, 500, "{}", r.text);
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("still serving the old lists"));
    let ready = call("GET", &format!("{}/readyz", s.base), None, None);
    assert_eq!(ready.body["list_versions"], json!([after]));
    let key = bearer(&s, Role::Screen);
    assert_eq!(
        call(
            "POST",
            &format!("{}/v1/screen", s.base),
            Some(&key),
            Some(br#"{"name": "Kim Jong Un"}"#)
        )
        .status,
        200
    );
}

/// A request whose headers promise a body that never fully arrives: it holds its
/// screening slot until the connection closes or the timeout fires.
fn stalled_request(s: &Server, auth: &str, declared: usize, prefix: &[u8]) -> std::net::TcpStream {
    use std::io::Write;
    let addr = s.base.trim_start_matches("http://");
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    write!(
        conn,
        "POST /v1/screen HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\n\r\n"
    )
    .unwrap();
    conn.write_all(prefix).unwrap();
    conn.flush().unwrap();
    conn
}

fn read_reply(conn: &mut std::net::TcpStream) -> String {
    use std::io::Read;
    conn.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut buf = vec![0u8; 8192];
    let n = conn.read(&mut buf).unwrap();
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[test]
fn overload_is_refused_at_once_and_slow_requests_time_out() {
    // One screening at a time: while a request holds the slot, the next is shed.
    let s = un_server(ServeConfig {
        max_in_flight: 1,
        ..config()
    });
    let key = bearer(&s, Role::Screen);
    let url = format!("{}/v1/screen", s.base);
    let holder = stalled_request(&s, &key, 100, b"{\"name\": ");
    std::thread::sleep(Duration::from_millis(200));
    let started = std::time::Instant::now();
    let shed = call(
        "POST",
        &url,
        Some(&key),
        Some(br#"{"name": "Kim Jong Un"}"#),
    );
    assert_eq!(shed.status, 503, "{}", shed.text);
    assert_eq!(shed.body["error"]["code"], "overloaded");
    assert_eq!(
        shed.headers.get("retry-after").map(String::as_str),
        Some("1")
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "shed at once, not queued"
    );
    // Health, readiness and reads are not screening: they still answer.
    assert_eq!(
        call("GET", &format!("{}/readyz", s.base), None, None).status,
        200
    );
    assert_eq!(
        call("GET", &format!("{}/v1/lists", s.base), Some(&key), None).status,
        200
    );
    // The slot comes back when the stalled client goes away.
    drop(holder);
    let mut ok = 0;
    for _ in 0..50 {
        if call(
            "POST",
            &url,
            Some(&key),
            Some(br#"{"name": "Kim Jong Un"}"#),
        )
        .status
            == 200
        {
            ok += 1;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(ok, 1, "the slot was released");

    // A request that does not finish within request_timeout_ms gets 503 `timeout`.
    let t = un_server(ServeConfig {
        request_timeout_ms: 300,
        ..config()
    });
    let key = bearer(&t, Role::Screen);
    let mut slow = stalled_request(&t, &key, 100, b"{\"name\": ");
    let reply = read_reply(&mut slow);
    assert!(reply.starts_with("HTTP/1.1 503"), "{reply}");
    assert!(reply.contains("\"timeout\""), "{reply}");
    let m = call("GET", &format!("{}/metrics", t.base), Some(&key), None);
    assert!(
        m.text.contains("redline_timed_out_requests_total 1"),
        "{}",
        m.text
    );
}

#[test]
fn revoked_keys_stop_working() {
    let s = un_server(ServeConfig {
        key_cache_secs: 0,
        ..config()
    });
    let key = bearer(&s, Role::Review);
    let url = format!("{}/v1/lists", s.base);
    assert_eq!(call("GET", &url, Some(&key), None).status, 200);
    let mut store = SqliteStore::open(&s.db).unwrap();
    let id = store
        .keys()
        .unwrap()
        .into_iter()
        .find(|k| k.role == Role::Review && k.label == "test")
        .unwrap()
        .id;
    store.revoke_key(&id, "2026-11-27T01:00:00Z").unwrap();
    assert_eq!(call("GET", &url, Some(&key), None).status, 401);
}

#[test]
fn payments_are_screened_recorded_and_never_passed_when_unreadable() {
    let s = full();
    let key = bearer(s, Role::Screen);
    let url = format!("{}/v1/payments/screen", s.base);
    let sample =
        redline_testdata::bytes("payments/iso20022/cbprplus/cbprplus_p.2.1.1_pacs.008-AtoB.xml");
    let clean = call("POST", &url, Some(&key), Some(&sample));
    assert_eq!(clean.status, 200, "{}", clean.text);
    assert_eq!(clean.body["decision"], "PASS");
    assert!(clean.body["decision_id"].as_i64().unwrap() > 0);
    assert!(clean.body["policy_version"]
        .as_str()
        .unwrap()
        .starts_with("redline-default@"));
    assert_eq!(clean.body["list_versions"].as_array().unwrap().len(), 2);

    // The creditor agent's BIC replaced by Sberbank's listed BIC.
    let text = String::from_utf8(sample.clone()).unwrap();
    let bic_at = text.find("<CdtrAgt>").unwrap();
    let start = bic_at + text[bic_at..].find("<BICFI>").unwrap() + "<BICFI>".len();
    let end = start + text[start..].find("</BICFI>").unwrap();
    let listed = format!("{}SABRRUMMXXX{}", &text[..start], &text[end..]);
    let blocked = call("POST", &url, Some(&key), Some(listed.as_bytes()));
    assert_eq!(blocked.body["decision"], "BLOCK", "{}", blocked.text);
    let hit = &blocked.body["hits"][0];
    assert!(
        hit["field"]
            .as_str()
            .unwrap()
            .ends_with("CdtrAgt/FinInstnId/BICFI"),
        "{hit}"
    );

    // Unreadable: held with the error, status 422, and recorded like any decision.
    let truncated = &sample[..sample.len() / 2];
    let held = call("POST", &url, Some(&key), Some(truncated));
    assert_eq!(held.status, 422, "{}", held.text);
    assert_eq!(held.body["decision"], "HOLD");
    assert!(
        held.body["error"].as_str().unwrap().contains("line"),
        "{}",
        held.text
    );
    assert!(held.body["decision_id"].as_i64().is_some());
    let dtd = call("POST", &url, Some(&key), Some(b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"));
    assert_eq!(
        (dtd.status, dtd.body["decision"].as_str()),
        (422, Some("HOLD"))
    );

    let m = call("GET", &format!("{}/metrics", s.base), Some(&key), None);
    assert!(
        m.text
            .contains("redline_screenings_total{kind=\"payment\"}"),
        "{}",
        m.text
    );
}

#[test]
fn registry_numbers_in_a_query_are_compared_and_bad_ones_reported() {
    let s = full();
    let key = bearer(s, Role::Screen);
    let url = format!("{}/v1/screen", s.base);
    let ask = |inn: &str| {
        let body = json!({"name": "OOO ROMASHKA", "schema": "Organization", "identifiers": [inn]});
        call("POST", &url, Some(&key), Some(body.to_string().as_bytes()))
    };
    // SMP BANK's Tax ID as OFAC publishes it, written with its label.
    let listed = ask("ИНН 7750005482");
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(
        listed.body["matches"][0]["entity_id"], "ofac-sdn:16829",
        "{}",
        listed.text
    );
    assert!(listed.body.get("identifier_problems").is_none());
    let mistyped = ask("INN 7750005483");
    assert_eq!(mistyped.body["matches"].as_array().unwrap().len(), 0);
    assert_eq!(
        mistyped.body["identifier_problems"][0],
        "identifier \"INN 7750005483\" is not a valid INN: INN check digit is 3, the number's digits give 2"
    );
}

#[test]
fn a_payment_is_screened_under_a_shipped_profile_by_name() {
    let s = full();
    let key = bearer(s, Role::Screen);
    let url = format!("{}/v1/payments/screen", s.base);
    // The creditor agent's BIC replaced by an unlisted Russian bank's (RZBMRUMM).
    let text = String::from_utf8(redline_testdata::bytes(
        "payments/iso20022/cbprplus/cbprplus_p.2.1.1_pacs.008-AtoB.xml",
    ))
    .unwrap();
    let agent = text.find("<CdtrAgt>").unwrap();
    let start = agent + text[agent..].find("<BICFI>").unwrap() + "<BICFI>".len();
    let end = start + text[start..].find("</BICFI>").unwrap();
    let russian = format!("{}RZBMRUMMXXX{}", &text[..start], &text[end..]);

    let default = call("POST", &url, Some(&key), Some(russian.as_bytes()));
    assert_eq!(default.body["decision"], "HOLD", "{}", default.text);
    let evidence = call(
        "POST",
        &format!("{url}?policy=russia-evidence"),
        Some(&key),
        Some(russian.as_bytes()),
    );
    assert_eq!(evidence.status, 200, "{}", evidence.text);
    assert_eq!(evidence.body["decision"], "PASS", "{}", evidence.text);
    assert!(evidence.body["policy_version"]
        .as_str()
        .unwrap()
        .starts_with("redline-russia-evidence@"));
    assert_eq!(evidence.body["evidence"]["release"]["released"], true);
    assert!(evidence.body.get("alert_id").is_none());

    let unknown = call(
        "POST",
        &format!("{url}?policy=lenient"),
        Some(&key),
        Some(russian.as_bytes()),
    );
    assert_eq!(unknown.status, 400, "{}", unknown.text);
    assert!(unknown.text.contains("russia-evidence"), "{}", unknown.text);
}

#[test]
fn releasing_a_held_payment_takes_two_different_reviewers_through_the_api() {
    let s = un_server(config());
    let screen = bearer(&s, Role::Screen);
    let sample =
        redline_testdata::bytes("payments/iso20022/cbprplus/cbprplus_p.2.1.1_pacs.008-AtoB.xml");
    // A creditor in Iran: the policy blocks it, and an alert is raised.
    let text = String::from_utf8(sample).unwrap();
    let at = text.find("<Cdtr>").unwrap();
    let ctry = at + text[at..].find("<Ctry>").unwrap() + "<Ctry>".len();
    let iranian = format!("{}IR{}", &text[..ctry], &text[ctry + 2..]);
    let held = call(
        "POST",
        &format!("{}/v1/payments/screen", s.base),
        Some(&screen),
        Some(iranian.as_bytes()),
    );
    assert_eq!(held.body["decision"], "BLOCK", "{}", held.text);
    let alert = held.body["alert_id"].as_i64().expect("an alert is raised");

    let reviewer = bearer(&s, Role::Review);
    let decide = |key: &str, action: &str| {
        let body = json!({"action": action, "reason": "checked with the customer"}).to_string();
        call(
            "POST",
            &format!("{}/v1/alerts/{alert}/decide", s.base),
            Some(key),
            Some(body.as_bytes()),
        )
    };
    // A screening key may not decide.
    assert_eq!(decide(&screen, "release").status, 403);
    // Taken by a reviewer first: the queue shows who works it.
    let body = json!({"assignee": "alice"}).to_string();
    let taken = call(
        "POST",
        &format!("{}/v1/alerts/{alert}/assign", s.base),
        Some(&reviewer),
        Some(body.as_bytes()),
    );
    assert_eq!(taken.status, 200, "{}", taken.text);
    let shown = call(
        "GET",
        &format!("{}/v1/alerts/{alert}", s.base),
        Some(&reviewer),
        None,
    );
    assert_eq!(shown.body["alert"]["assignee"], "alice");
    let first = decide(&reviewer, "release");
    assert_eq!(
        (first.status, first.body["status"].as_str()),
        (200, Some("pending_release")),
        "{}",
        first.text
    );
    // The same key cannot be the second pair of eyes, whatever it claims.
    let again = decide(&reviewer, "release");
    assert_eq!(
        (again.status, again.body["error"]["code"].as_str()),
        (409, Some("review_rule")),
        "{}",
        again.text
    );
    assert!(again.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("four-eyes"));
    let second = decide(&s.second_reviewer, "release");
    assert_eq!(
        (second.status, second.body["status"].as_str()),
        (200, Some("released")),
        "{}",
        second.text
    );
    // Closed now; the history shows both reviewers.
    assert_eq!(decide(&s.second_reviewer, "block").status, 409);
    let shown = call(
        "GET",
        &format!("{}/v1/alerts/{alert}", s.base),
        Some(&reviewer),
        None,
    );
    let actors: Vec<&str> = shown.body["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == "release")
        .map(|a| a["actor"].as_str().unwrap())
        .collect();
    assert_eq!(actors.len(), 2);
    assert_ne!(actors[0], actors[1]);
    let queue = call(
        "GET",
        &format!("{}/v1/alerts?status=open", s.base),
        Some(&reviewer),
        None,
    );
    assert!(queue.body["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["id"] != alert));
}

#[test]
fn a_false_positive_on_a_listed_person_takes_two_reviewers_and_a_suppression_is_said() {
    let s = un_server(config());
    let screen_key = bearer(&s, Role::Screen);
    let reviewer = bearer(&s, Role::Review);
    let screen = || {
        let body = json!({"id": "api-fp-1", "name": "Eric Badege"}).to_string();
        call(
            "POST",
            &format!("{}/v1/screen", s.base),
            Some(&screen_key),
            Some(body.as_bytes()),
        )
    };
    let first = screen();
    let alert = first.body["alert_id"].as_i64().expect("an alert");
    let shown = call(
        "GET",
        &format!("{}/v1/alerts/{alert}", s.base),
        Some(&reviewer),
        None,
    );
    assert_eq!(
        shown.body["alert"]["origin"]["via"], "api",
        "{}",
        shown.text
    );
    assert_eq!(
        shown.body["alert"]["origin"]["threshold"],
        redline_matching::DEFAULT_THRESHOLD,
        "{}",
        shown.text
    );
    let decide = |key: &str| {
        let body =
            json!({"action": "false_positive", "reason": "born in another year"}).to_string();
        call(
            "POST",
            &format!("{}/v1/alerts/{alert}/decide", s.base),
            Some(key),
            Some(body.as_bytes()),
        )
    };
    assert_eq!(decide(&reviewer).body["status"], "pending_false_positive");
    assert_eq!(
        screen().body["alert_id"],
        alert,
        "still alerting until a second reviewer"
    );
    assert_eq!(decide(&reviewer).status, 409, "not the same key twice");
    assert_eq!(decide(&s.second_reviewer).body["status"], "false_positive");

    let hidden = screen();
    assert!(hidden.body.get("alert_id").is_none(), "{}", hidden.text);
    let m = &hidden.body["matches"][0];
    assert_eq!(m["suppressed"], true, "{}", hidden.text);
    assert_eq!(
        m["suppression"]["approved_by"].as_array().map(Vec::len),
        Some(2)
    );
    let listed = call(
        "GET",
        &format!("{}/v1/suppressions", s.base),
        Some(&reviewer),
        None,
    );
    assert_eq!(listed.status, 200, "{}", listed.text);
    let id = m["suppression"]["id"].as_i64().unwrap();
    assert!(listed.body["suppressions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == id));
    let revoke = |key: &str, reason: &str| {
        let body = json!({"reason": reason}).to_string();
        call(
            "POST",
            &format!("{}/v1/suppressions/{id}/revoke", s.base),
            Some(key),
            Some(body.as_bytes()),
        )
    };
    assert_eq!(revoke(&screen_key, "x").status, 403);
    assert_eq!(revoke(&reviewer, " ").status, 400, "a reason is required");
    assert_eq!(
        revoke(&reviewer, "the customer's record was wrong").status,
        200
    );
    assert_eq!(revoke(&reviewer, "again").status, 404, "already revoked");
    let back = screen();
    assert!(
        back.body["alert_id"].as_i64().is_some_and(|a| a != alert),
        "{}",
        back.text
    );
}

#[test]
fn stale_lists_are_named_in_answers_and_past_a_hard_limit_the_service_is_not_ready() {
    // The UN file in the repository is from February 2026: past the UN's 14 days.
    let s = un_server(config());
    let key = bearer(&s, Role::Screen);
    let body = json!({"name": "Eric Badege", "dry_run": true}).to_string();
    let answer = call(
        "POST",
        &format!("{}/v1/screen", s.base),
        Some(&key),
        Some(body.as_bytes()),
    );
    let stale = &answer.body["stale_lists"][0];
    assert_eq!(stale["source"], "un-sc", "{}", answer.text);
    assert_eq!(stale["dated_by"], "published");
    assert!(stale["age_days"].as_i64().unwrap() > 14);
    let ready = call("GET", &format!("{}/readyz", s.base), None, None);
    assert_eq!(
        ready.status, 200,
        "no hard limit by default: {}",
        ready.text
    );
    assert_eq!(ready.body["stale_lists"][0]["source"], "un-sc");

    let mut strict = config();
    strict.freshness.hard_limit_days = Some(60);
    let s = un_server(strict);
    let ready = call("GET", &format!("{}/readyz", s.base), None, None);
    assert_eq!(
        (ready.status, ready.body["error"]["code"].as_str()),
        (503, Some("lists_too_old")),
        "{}",
        ready.text
    );
    assert!(
        ready.text.contains("lists update --source un-sc"),
        "{}",
        ready.text
    );
}

#[test]
fn trades_are_screened_and_recorded() {
    let s = un_server(config());
    let key = bearer(&s, Role::Screen);
    let trade = json!({
        "parties": [{"role": "buyer", "name": "Steppe Trade LLP", "country": "KZ"}],
        "goods": [{"hs_code": "8542.31", "description": "microcontrollers"}],
        "route": {"origin": "Shenzhen", "transit": ["Almaty"], "destination": "Moscow"}
    });
    let got = call(
        "POST",
        &format!("{}/v1/trade/screen", s.base),
        Some(&key),
        Some(trade.to_string().as_bytes()),
    );
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.body["decision"], "HOLD");
    assert!(got.body["decision_id"].as_i64().is_some() && got.body["alert_id"].as_i64().is_some());
    assert!(got.body["goods_list_version"]
        .as_str()
        .unwrap()
        .starts_with("chpl-2024-02-23@"));
    let bad = call(
        "POST",
        &format!("{}/v1/trade/screen", s.base),
        Some(&key),
        Some(br#"{"goods": 5}"#),
    );
    assert_eq!(bad.status, 400, "{}", bad.text);
    assert!(bad.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("goods"));
}

#[test]
fn matches_on_entities_blocked_by_ownership_say_so_on_both_apis() {
    let s = start(config(), |store| {
        load(
            store,
            SourceId::OpenSanctions,
            "opensanctions/zala-entities.ftm.json",
            |_| {},
        );
    });
    let key = bearer(&s, Role::Screen);
    let cst = "opensanctions:NK-abdzbEBkqyT29GyREbiURZ";
    let ours = call(
        "POST",
        &format!("{}/v1/screen", s.base),
        Some(&key),
        Some(br#"{"name": "LLC CST"}"#),
    );
    let hit = ours.body["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["entity_id"] == cst)
        .cloned();
    assert_eq!(hit.unwrap()["derived"]["rule"], "ofac-50", "{}", ours.text);
    let body =
        json!({"queries": {"q": {"schema": "Company", "properties": {"name": ["LLC CST"]}}}});
    let yente = call(
        "POST",
        &format!("{}/match/default", s.base),
        Some(&key),
        Some(body.to_string().as_bytes()),
    );
    let result = yente.body["responses"]["q"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == cst)
        .cloned();
    let derived = &result.unwrap()["derived"];
    assert_eq!(derived["rule"], "ofac-50", "{}", yente.text);
    assert_eq!(derived["aggregate_percent"], 100.0);

    // A payment to it and a trade with it: the hit names the rule, in the recorded
    // decision too.
    let sample =
        redline_testdata::bytes("payments/iso20022/cbprplus/cbprplus_p.2.1.1_pacs.008-AtoB.xml");
    let message =
        String::from_utf8(sample)
            .unwrap()
            .replacen("<Nm>Evli</Nm>", "<Nm>LLC CST</Nm>", 1);
    let paid = call(
        "POST",
        &format!("{}/v1/payments/screen", s.base),
        Some(&key),
        Some(message.as_bytes()),
    );
    assert_ne!(paid.body["decision"], "PASS", "{}", paid.text);
    let hit = paid.body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["entity_id"] == cst)
        .cloned()
        .unwrap_or_else(|| panic!("{}", paid.text));
    assert_eq!(hit["derived"]["rule"], "ofac-50", "{}", paid.text);
    let trade = json!({
        "parties": [{"role": "buyer", "name": "LLC CST", "country": "RU"}],
        "goods": [{"hs_code": "8542.31", "description": "microcontrollers"}],
    });
    let traded = call(
        "POST",
        &format!("{}/v1/trade/screen", s.base),
        Some(&key),
        Some(trade.to_string().as_bytes()),
    );
    let reason = traded.body["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["entity_id"] == cst)
        .cloned()
        .unwrap_or_else(|| panic!("{}", traded.text));
    assert_eq!(reason["derived"]["rule"], "ofac-50", "{}", traded.text);
}

#[test]
fn a_list_file_posted_by_an_admin_becomes_the_active_version() {
    let s = un_server(config());
    let admin = bearer(&s, Role::Admin);
    let url = format!(
        "{}/v1/lists/ofac-sdn?published=2024-02-20&file=sdn-2024-02-20.csv",
        s.base
    );
    let sdn = redline_testdata::bytes("ofac/sdn-2024-02-20.csv");
    let loaded = call("POST", &url, Some(&admin), Some(&sdn));
    assert_eq!(loaded.status, 200, "{}", loaded.text);
    let version = loaded.body["version"]["id"].as_str().unwrap().to_string();
    assert!(
        version.starts_with("ofac-sdn@2024-02-20-"),
        "{}",
        loaded.text
    );
    assert_eq!(loaded.body["created"], true);
    // Served at once: the reply's versions and the lists route say so.
    let lists = call("GET", &format!("{}/v1/lists", s.base), Some(&admin), None);
    assert!(lists.text.contains(&version), "{}", lists.text);
    // Garbage, a bad date or an unknown source change nothing, and say why.
    let bad = call("POST", &url, Some(&admin), Some(b"not,a,list\n1,2,3\n"));
    assert_eq!(bad.status, 400, "{}", bad.text);
    assert!(bad.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("version is unchanged"));
    for (path, needle) in [
        ("/v1/lists/ofac-sdn?published=2024-02-30", "calendar date"),
        ("/v1/lists/ofac-sdn?publishd=2024-02-20", "published"),
        ("/v1/lists/nowhere", "unknown source"),
    ] {
        let refused = call(
            "POST",
            &format!("{}{path}", s.base),
            Some(&admin),
            Some(&sdn),
        );
        assert_eq!(refused.status, 400, "{path}: {}", refused.text);
        assert!(refused.text.contains(needle), "{path}: {}", refused.text);
    }
    let after = call("GET", &format!("{}/v1/lists", s.base), Some(&admin), None);
    assert!(after.text.contains(&version), "{}", after.text);
}

/// `POST /v1/compare` answers a pair of FtM records from the public Pairs sample
/// with a score, a decision and the names that met; `/algorithms` and `/catalog`
/// answer in yente's shapes, the catalog naming each list's version and staleness.
#[test]
fn records_are_compared_and_the_catalog_and_algorithms_are_described() {
    let s = full();
    let screen = bearer(s, Role::Screen);
    let pairs = std::fs::read_to_string(redline_testdata::bench("pairs.jsonl")).unwrap();
    let pair = |id: &str| -> Value {
        pairs
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .find(|p| p["id"] == id)
            .unwrap()
    };
    let url = format!("{}/v1/compare", s.base);
    let post = |body: &Value| {
        call(
            "POST",
            &url,
            Some(&screen),
            Some(body.to_string().as_bytes()),
        )
    };
    // Judged the same party by people, and by the engine.
    let positive = pair("pp-0001");
    assert_eq!(positive["judgement"], "positive");
    let got = post(&json!({"left": positive["left"], "right": positive["right"]}));
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.body["same"], true, "{}", got.text);
    assert!(got.body["score"].as_f64().unwrap() >= 0.84);
    assert!(got.body["list_versions"][0]
        .as_str()
        .unwrap()
        .starts_with("ofac-sdn@"));
    assert!(got.body["explanation"]["matched_name"].is_string());
    // Two people of one name and different national ids.
    let two = pair("pp-0119");
    let got = post(&json!({"left": two["left"], "right": two["right"]}));
    assert_eq!(got.body["same"], false, "{}", got.text);
    // A raised threshold is honoured; a bad one, a stray field or a non-party refused.
    let strict =
        post(&json!({"left": positive["left"], "right": positive["right"], "threshold": 1.0}));
    assert_eq!(strict.status, 200);
    for (body, says) in [
        (
            json!({"left": positive["left"], "right": positive["right"], "threshold": 2}),
            "threshold",
        ),
        (
            json!({"left": positive["left"], "right": positive["right"], "colour": 1}),
            "colour",
        ),
        (
            json!({"left": positive["left"], "right": {"id": "s1", "schema": "Sanction", "properties": {}}}),
            "right",
        ),
    ] {
        let got = post(&body);
        assert_eq!(got.status, 400, "{body}: {}", got.text);
        assert!(got.text.contains(says), "{says}: {}", got.text);
    }

    let algorithms = call(
        "GET",
        &format!("{}/algorithms", s.base),
        Some(&screen),
        None,
    );
    assert_eq!(algorithms.status, 200);
    assert_eq!(algorithms.body["default"], "redline");
    let names: Vec<&str> = algorithms.body["algorithms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"redline") && names.contains(&"logic-v1"));

    let catalog = call("GET", &format!("{}/catalog", s.base), Some(&screen), None);
    assert_eq!(catalog.status, 200);
    let ofac = catalog.body["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "us_ofac_sdn")
        .unwrap();
    assert!(ofac["version"].as_str().unwrap().starts_with("ofac-sdn@"));
    assert!(ofac["entity_count"].as_u64().unwrap() > 10_000);
    // The 2024 OFAC file is long past any freshness setting.
    assert_eq!(ofac["stale"], true);
    assert!(catalog.body["outdated"]
        .as_array()
        .unwrap()
        .contains(&json!("us_ofac_sdn")));
    let default = catalog.body["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "default")
        .unwrap();
    assert_eq!(default["children"].as_array().unwrap().len(), 2);
}

/// `GET /search/{dataset}` answers a yente client's look-up in yente's shape: a
/// surname, a prefix being typed, a name in Cyrillic and an IMO number each find
/// their entity first or among the first few, filters and paging apply, and every
/// result says its score and the tokens that met.
#[test]
fn a_look_up_finds_parties_by_part_of_their_name_in_yentes_shape() {
    let s = full();
    let screen = bearer(s, Role::Screen);
    let search = |query: &str| {
        let got = call(
            "GET",
            &format!("{}/search/default?{query}", s.base),
            Some(&screen),
            None,
        );
        assert_eq!(got.status, 200, "{query}: {}", got.text);
        got.body
    };
    let ids = |body: &Value| -> Vec<String> {
        body["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    let maduro = search("q=maduro");
    assert!(
        ids(&maduro)[..5].contains(&"ofac-sdn:22790".to_string()),
        "{maduro}"
    );
    let first = &maduro["results"][0];
    assert!(first["score"].as_f64().unwrap() > 0.0);
    assert!(
        first["explanation"]["tokens"][0]["query"] == "maduro",
        "{first}"
    );
    assert!(first["caption"].is_string() && first["properties"].is_object());
    assert_eq!(maduro["total"]["relation"], "eq");
    let countries = maduro["facets"]["countries"]["values"].as_array().unwrap();
    assert!(countries.iter().any(|c| c["name"] == "ve"
        && c["label"] == "Venezuela"
        && c["count"].as_u64().unwrap() >= 2));
    assert!(maduro["facets"]["datasets"]["values"][0]["name"].is_string());

    assert_eq!(ids(&search("q=Rosnef"))[0], "ofac-sdn:18299");
    assert_eq!(ids(&search("q=IMO%209187629"))[0], "ofac-sdn:15036");
    let rotenberg = search("q=%D0%A0%D0%BE%D1%82%D0%B5%D0%BD%D0%B1%D0%B5%D1%80%D0%B3");
    assert!(rotenberg["results"][0]["caption"]
        .as_str()
        .unwrap()
        .starts_with("ROTENBERG"));

    // Filters: a country, a list, a schema; paging by offset.
    let venezuelans = search("q=maduro&countries=ve&limit=50");
    assert!(venezuelans["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["properties"].to_string().contains("\"ve\"")));
    let un_only = search("q=khamis&datasets=un_sc_sanctions&limit=50");
    assert!(
        ids(&un_only).iter().all(|id| id.starts_with("un-sc:")),
        "{un_only}"
    );
    let orgs = search("q=maduro&schema=Company&limit=50");
    assert!(orgs["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["schema"] == "Organization"));
    let second = search("q=maduro&limit=1&offset=1");
    assert_eq!(ids(&second), ids(&maduro)[1..2].to_vec());
    assert_eq!(second["total"], maduro["total"]);
    assert!(search("q=maduro&topics=crime.fin")["results"]
        .as_array()
        .unwrap()
        .is_empty());

    for (query, says) in [
        ("q=", "q:"),
        ("q=maduro&limit=0", "limit"),
        ("q=maduro&countries=Atlantis", "Atlantis"),
        ("q=maduro&facets=colour", "colour"),
    ] {
        let got = call(
            "GET",
            &format!("{}/search/default?{query}", s.base),
            Some(&screen),
            None,
        );
        assert_eq!(got.status, 400, "{query}: {}", got.text);
        assert!(got.text.contains(says), "{query}: {}", got.text);
    }
    let unknown = call(
        "GET",
        &format!("{}/search/nowhere?q=maduro", s.base),
        Some(&screen),
        None,
    );
    assert_eq!(unknown.status, 404);
    // A list that is not loaded is not "nothing found".
    for path in [
        "/search/gb_hmt_sanctions?q=maduro",
        "/search/default?q=maduro&datasets=uk-hmt",
        "/reconcile/uk-hmt?queries=%7B%7D",
    ] {
        let got = call("GET", &format!("{}{path}", s.base), Some(&screen), None);
        assert_eq!(got.status, 400, "{path}: {}", got.text);
        assert!(got.text.contains("no active list version"), "{}", got.text);
    }
}

/// The OpenRefine Reconciliation API 0.2, called the way OpenRefine 3.x calls it: the
/// key in the URL (it cannot send headers), the manifest, batched `queries=` as a
/// form-encoded body and in the query string, a JSON body, data extension, suggest,
/// property proposals and preview — shaped as the specification's examples.
#[test]
fn openrefine_reconciles_a_spreadsheet_against_the_lists() {
    let s = full();
    let key = &s.keys[&Role::Screen];
    let base = format!("{}/reconcile/default", s.base);
    let get = |path: &str| {
        let sep = if path.contains('?') { '&' } else { '?' };
        call(
            "GET",
            &format!("{base}{path}{sep}api_key={key}"),
            None,
            None,
        )
    };
    let form = |field: &str, value: &Value| -> Value {
        let res = ureq::post(&format!("{base}?api_key={key}"))
            .timeout(Duration::from_secs(60))
            .send_form(&[(field, &value.to_string())]);
        let res = match res {
            Ok(r) => r,
            Err(ureq::Error::Status(code, r)) => panic!("{code}: {}", r.into_string().unwrap()),
            Err(e) => panic!("{e}"),
        };
        serde_json::from_str(&res.into_string().unwrap()).unwrap()
    };

    let manifest = get("");
    assert_eq!(manifest.status, 200, "{}", manifest.text);
    let m = &manifest.body;
    assert!(m["versions"].as_array().unwrap().contains(&json!("0.2")));
    assert!(m["identifierSpace"]
        .as_str()
        .unwrap()
        .ends_with("/entities/"));
    assert!(m["defaultTypes"]
        .as_array()
        .unwrap()
        .contains(&json!({"id": "Person", "name": "Person"})));
    assert!(m["view"]["url"]
        .as_str()
        .unwrap()
        .ends_with("/ui/entities/{{id}}"));
    assert_eq!(
        m["suggest"]["entity"]["service_path"],
        "/reconcile/default/suggest/entity"
    );
    assert!(m["preview"]["url"].as_str().unwrap().contains("{{id}}"));

    let queries = json!({
        "q0": {"query": "Vladimir Putin", "type": "Person",
               "properties": [{"pid": "birthDate", "v": "1952-10-07"}, {"pid": "country", "v": "Russia"}]},
        "q1": {"query": "BANCO NACIONAL DE CUBA", "type": "Company", "limit": 3},
        "q2": {"query": "Zzyzx Qwertyuiop"},
    });
    let answers = form("queries", &queries);
    let q0 = &answers["q0"]["result"][0];
    assert_eq!(q0["id"], "ofac-sdn:35096", "{answers}");
    assert_eq!(q0["match"], true);
    assert_eq!(q0["type"][0]["id"], "Person");
    assert!(q0["score"].as_f64().unwrap() >= 0.84);
    assert_eq!(answers["q1"]["result"][0]["id"], "ofac-sdn:306");
    assert!(answers["q1"]["result"].as_array().unwrap().len() <= 3);
    assert_eq!(answers["q2"]["result"], json!([]));
    // The same in the query string, and as a JSON body.
    let encoded = serde_urlencoded::to_string([("queries", queries.to_string())]).unwrap();
    let by_get = get(&format!("?{encoded}"));
    assert_eq!(by_get.body["q0"]["result"][0]["id"], "ofac-sdn:35096");
    let by_json = call(
        "POST",
        &format!("{base}?api_key={key}"),
        None,
        Some(json!({"queries": queries}).to_string().as_bytes()),
    );
    assert_eq!(
        by_json.body["q1"]["result"][0]["id"], "ofac-sdn:306",
        "{}",
        by_json.text
    );

    let extended = form(
        "extend",
        &json!({"ids": ["ofac-sdn:35096", "ofac-sdn:0"], "properties": [{"id": "programs"}, {"id": "birthDate"}]}),
    );
    assert_eq!(extended["meta"][0]["id"], "programs");
    let row = &extended["rows"]["ofac-sdn:35096"];
    assert_eq!(row["programs"][0]["str"], "RUSSIA-EO14024", "{extended}");
    assert!(row["birthDate"][0]["str"]
        .as_str()
        .unwrap()
        .contains("1952"));
    assert_eq!(extended["rows"]["ofac-sdn:0"]["programs"], json!([]));

    let suggested = get("/suggest/entity?prefix=Rosnef");
    assert_eq!(
        suggested.body["result"][0]["id"], "ofac-sdn:18299",
        "{}",
        suggested.text
    );
    assert_eq!(
        get("/suggest/type?prefix=pe").body["result"][0]["id"],
        "Person"
    );
    assert_eq!(
        get("/suggest/property?prefix=birth").body["result"][0]["id"],
        "birthDate"
    );
    let proposed = get("/extend/propose?type=Person");
    assert!(proposed.body["properties"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == "programs"));
    let preview = get("/preview?id=ofac-sdn:35096");
    assert_eq!(preview.status, 200);
    assert!(
        preview.text.contains("PUTIN, Vladimir Vladimirovich"),
        "{}",
        preview.text
    );
    let jsonp = get("/suggest/type?prefix=ve&callback=cb1");
    assert!(jsonp.text.starts_with("cb1({"), "{}", jsonp.text);

    // Refused: a property the service does not know, queries that are not JSON, no key.
    let bad = call(
        "POST",
        &format!("{base}?api_key={key}"),
        None,
        Some(json!({"queries": {"q0": {"query": "x", "properties": [{"pid": "colour", "v": "red"}]}}}).to_string().as_bytes()),
    );
    assert_eq!(bad.status, 400);
    assert!(bad.text.contains("colour"), "{}", bad.text);
    assert_eq!(get("?queries=%7Bnot").status, 400);
    assert_eq!(call("GET", &base, None, None).status, 401);
    assert_eq!(
        call("GET", &format!("{base}?api_key=rl_wrong"), None, None).status,
        401
    );
    // The key in the URL is for OpenRefine's routes only.
    assert_eq!(
        call(
            "GET",
            &format!("{}/v1/lists?api_key={key}", s.base),
            None,
            None
        )
        .status,
        401
    );
}

#[test]
fn a_party_on_two_lists_is_one_result_on_both_apis() {
    let s = full();
    // QASEM SOLEIMANI: OFAC's `SOLEIMANI, Qasem` and the UN's entry carry one passport.
    let key = format!("ApiKey {}", s.keys[&Role::Screen]);
    let body = json!({"queries": {"q": {"schema": "Person", "properties": {"name": ["Qasem Soleimani"]}}}});
    let got = call(
        "POST",
        &format!("{}/match/default", s.base),
        Some(&key),
        Some(body.to_string().as_bytes()),
    );
    assert_eq!(got.status, 200, "{}", got.text);
    let results = got.body["responses"]["q"]["results"]
        .as_array()
        .unwrap()
        .clone();
    let party = results
        .iter()
        .find(|r| r["id"] == "ofac-sdn:10481" || r["id"] == "un-sc:110408")
        .unwrap_or_else(|| panic!("{results:?}"));
    let other = if party["id"] == "ofac-sdn:10481" {
        "un-sc:110408"
    } else {
        "ofac-sdn:10481"
    };
    assert!(
        party["referents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == other),
        "{party}"
    );
    let datasets = party["datasets"].to_string();
    assert!(
        datasets.contains("us_ofac_sdn") && datasets.contains("un_sc_sanctions"),
        "{party}"
    );
    assert!(
        results.iter().filter(|r| r["id"] == other).count() == 0,
        "the other listing is no second result: {results:?}"
    );
    assert!(party["listings"][0]["same_party"]
        .as_str()
        .unwrap()
        .starts_with("same passport number"));

    // Redline's own API says the same.
    let v1 = call(
        "POST",
        &format!("{}/v1/screen", s.base),
        Some(&bearer(s, Role::Screen)),
        Some(br#"{"name": "Qasem Soleimani"}"#),
    );
    assert_eq!(v1.status, 200, "{}", v1.text);
    let first = &v1.body["matches"][0];
    let mut ids = vec![first["entity_id"].clone()];
    ids.extend(
        first["listings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["entity_id"].clone()),
    );
    for id in ["ofac-sdn:10481", "un-sc:110408"] {
        assert!(ids.iter().any(|i| i == id), "{id}: {first}");
    }
}

/// The ownership routes answer what the CLI derives, from the same files; data that
/// cannot be read is an error, never "nothing is blocked".
#[test]
fn ownership_routes_show_derived_blocks_paths_and_leads() {
    let faq =
        std::fs::read(redline_testdata::repo_root().join("fixtures/ownership/faq401-cyrillic.csv"))
            .unwrap();
    let s = start(config(), |store| {
        load(store, SourceId::OfacSdn, common::SDN, |_| {});
        redline_store::OwnershipStore::add_ownership_file(
            store,
            "faq401-cyrillic.csv",
            &faq,
            "",
            "2026-11-27T00:00:00Z",
        )
        .unwrap();
    });
    let key = bearer(&s, Role::Screen);
    let all = call(
        "GET",
        &format!("{}/v1/ownership?policy=ofac", s.base),
        Some(&key),
        None,
    );
    assert_eq!(all.status, 200, "{}", all.text);
    let ids: Vec<&str> = all.body["derived"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["entity_id"].as_str())
        .collect();
    for company in ["company a llc", "company b ltd", "company c ltd"] {
        assert!(
            ids.contains(&format!("local:name:{company}").as_str()),
            "{ids:?}"
        );
    }
    assert_eq!(all.body["files"][0]["format"], "csv");
    let one = call(
        "GET",
        &format!("{}/v1/ownership/local:name:company%20c%20ltd", s.base),
        Some(&key),
        None,
    );
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(one.body["ofac"]["rule"], "ofac-50");
    let path = &one.body["ofac"]["path"];
    // Company A's 25 %, then the listed owner's own 25 %, found by his Cyrillic name.
    assert_eq!(
        path[0]["owner_id"], "local:name:company a llc",
        "{}",
        one.text
    );
    assert_eq!(path[1]["owner_id"], "ofac-sdn:16669", "{}", one.text);
    assert_eq!(
        path[1]["provenance"]["owner_identified"]["by"],
        "name_match"
    );
    let bad = call(
        "GET",
        &format!("{}/v1/ownership?policy=mine", s.base),
        Some(&key),
        None,
    );
    assert_eq!(bad.status, 400);
    let none = call(
        "GET",
        &format!("{}/v1/ownership/local:name:nobody", s.base),
        Some(&key),
        None,
    );
    assert_eq!(none.status, 404);

    let broken = start(config(), |store| {
        load(store, SourceId::OfacSdn, common::SDN, |_| {});
        redline_store::OwnershipStore::add_ownership_file(
            store,
            "stakes.csv",
            b"owner,owned,percnt\nX,Y,50\n",
            "",
            "2026-11-27T00:00:00Z",
        )
        .unwrap();
    });
    let key = bearer(&broken, Role::Screen);
    let refused = call(
        "GET",
        &format!("{}/v1/ownership", broken.base),
        Some(&key),
        None,
    );
    assert_eq!(refused.status, 503, "{}", refused.text);
    assert_eq!(refused.body["error"]["code"], "ownership_unreadable");
}
