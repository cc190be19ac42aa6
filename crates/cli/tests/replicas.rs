//! Three `redline serve` replicas sharing one real PostgreSQL database
//! (`REDLINE_TEST_DATABASE_URL`; skipped without it, required under CI).
//!
//! What it pins down:
//!
//! * a list file loaded through one replica (`POST /v1/lists/ofac-sdn`) becomes the
//!   active version on all three within seconds (LISTEN/NOTIFY), and the stored
//!   customer base is rescreened against it once, not once per replica;
//! * an analyst signed in to the web UI through one replica is signed in on another;
//! * 10,000 screening requests spread over the replicas while one of them is killed
//!   with SIGKILL and restarted: every request is answered (a client retries on
//!   another replica, as behind a load balancer), every request that matched has
//!   exactly one alert, no request that did not match has one, and the audit chain
//!   written by all of them verifies; `redline store check` finds nothing wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use redline_store::testing::TempDatabase;
use redline_store::Location;
use serde_json::{json, Value};

const REQUESTS: usize = 10_000;
const CLIENTS: usize = 8;

/// `redline` against the shared database.
fn redline(url: &str, dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_redline"));
    cmd.arg("--database-url")
        .arg(url)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("REDLINE_DATA")
        .env_remove("REDLINE_DATABASE_URL")
        .env("RUST_LOG", "info")
        // The replicas share one index snapshot directory, as on one machine.
        .env("REDLINE_INDEX_CACHE", dir.join("index"))
        // Written against the bundled OFAC and UN lists.
        .env("REDLINE_BUNDLED", "ofac-sdn,un-sc");
    for var in ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"] {
        cmd.env_remove(var);
    }
    cmd
}

fn ok(url: &str, dir: &Path, args: &[&str]) -> String {
    let out = redline(url, dir, args).output().expect("run redline");
    assert!(
        out.status.success(),
        "redline {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A running replica: its address and everything it logged.
struct Replica {
    child: Child,
    base: String,
    log: Arc<Mutex<String>>,
}

fn start_replica(url: &str, dir: &Path) -> Replica {
    let mut child = redline(
        url,
        dir,
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--watch-interval-secs",
            "5",
            "--screening-threads",
            "1",
            "--workers",
            "1",
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("start redline serve");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout
        .read_line(&mut first)
        .expect("read the listening line");
    let base = first
        .trim()
        .strip_prefix("redline: listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_string();
    // Logs are drained all the time: a full pipe would stall the replica.
    let log = Arc::new(Mutex::new(String::new()));
    let mut stderr = child.stderr.take().expect("stderr");
    let sink = log.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = stderr.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    std::thread::spawn(move || {
        let mut sink = String::new();
        let _ = stdout.read_to_string(&mut sink);
    });
    Replica { child, base, log }
}

fn get(base: &str, path: &str, key: &str) -> Result<Value, String> {
    let reply = ureq::get(&format!("{base}{path}"))
        .set("Authorization", &format!("Bearer {key}"))
        .timeout(Duration::from_secs(30))
        .call()
        .map_err(|e| e.to_string())?;
    serde_json::from_str(&reply.into_string().map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())
}

fn ofac_version(base: &str, key: &str) -> Option<String> {
    let lists = get(base, "/v1/lists", key).ok()?;
    lists["list_versions"]
        .as_array()?
        .iter()
        .find(|v| v["source"] == "ofac-sdn")
        .and_then(|v| v["id"].as_str().map(str::to_string))
}

#[test]
fn three_replicas_share_lists_alerts_and_one_audit_chain() {
    let Some(db) = TempDatabase::create() else {
        return;
    };
    let url = db.url.clone();
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();

    // The database: migrated, keys, the bundled lists, then OFAC as of 20 Feb 2024
    // and a customer base screened against it.
    assert!(ok(&url, dir, &["migrate"]).contains("(postgres) is at schema version"));
    let key_of = |role: &str| -> String {
        let created: Value = serde_json::from_str(&ok(
            &url,
            dir,
            &["keys", "create", "--role", role, "--json"],
        ))
        .unwrap();
        created["key"].as_str().unwrap().to_string()
    };
    let admin = key_of("admin");
    let screen = key_of("screen");
    let sdn = |date: &str| {
        redline_testdata::path(&format!("ofac/sdn-{date}.csv"))
            .to_string_lossy()
            .into_owned()
    };
    ok(
        &url,
        dir,
        &[
            "lists",
            "load",
            "--source",
            "ofac-sdn",
            &sdn("2024-02-20"),
            "--published",
            "2024-02-20",
        ],
    );
    let customers = dir.join("customers.csv");
    std::fs::write(
        &customers,
        "id,name,country\n\
         c1,Timur Nailevich Shagivaleev,RU\n\
         c2,Ilya Voronkov,RU\n\
         c3,Alabuga Machinery LLC,RU\n\
         c4,Maria Gonzalez Fernandez,ES\n",
    )
    .unwrap();
    ok(
        &url,
        dir,
        &["subjects", "import", customers.to_str().unwrap()],
    );

    let replicas: Vec<Replica> = (0..3).map(|_| start_replica(&url, dir)).collect();
    let bases: Vec<String> = replicas.iter().map(|r| r.base.clone()).collect();
    let before = ofac_version(&bases[1], &screen).expect("replica 2 serves OFAC");
    assert!(before.starts_with("ofac-sdn@2024-02-20-"), "{before}");

    // A list load through replica 1 is active on all three within seconds.
    let body = std::fs::read(sdn("2024-02-23")).unwrap();
    let loaded = ureq::post(&format!(
        "{}/v1/lists/ofac-sdn?published=2024-02-23&file=sdn-2024-02-23.csv",
        bases[0]
    ))
    .set("Authorization", &format!("Bearer {admin}"))
    .timeout(Duration::from_secs(120))
    .send_bytes(&body)
    .expect("load through replica 1");
    let loaded: Value = serde_json::from_str(&loaded.into_string().unwrap()).unwrap();
    let new_version = loaded["version"]["id"].as_str().unwrap().to_string();
    assert!(new_version.starts_with("ofac-sdn@2024-02-23-"), "{loaded}");
    let started = Instant::now();
    for base in &bases {
        loop {
            if ofac_version(base, &screen).as_deref() == Some(new_version.as_str()) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{base} still serves the old OFAC version"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    eprintln!(
        "all three replicas serve {new_version} {:.2} s after the load",
        started.elapsed().as_secs_f64()
    );

    // The customer base was rescreened once, by one replica: the new designations'
    // customers have one alert each.
    let store = || redline_store::open(&Location::Postgres(url.clone())).unwrap();
    let started = Instant::now();
    let subject_alerts = loop {
        let alerts = store().alerts(None, Some("subject"), 100).unwrap();
        if alerts.len() >= 3 || started.elapsed() > Duration::from_secs(30) {
            break alerts;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let alerted: BTreeSet<String> = subject_alerts
        .iter()
        .map(|a| a.alert.subject_key.clone())
        .collect();
    assert_eq!(
        alerted,
        BTreeSet::from(["c1".to_string(), "c2".to_string(), "c3".to_string()]),
        "{subject_alerts:?}"
    );
    assert_eq!(subject_alerts.len(), 3, "one alert per customer");
    // Give the other replicas' watchers time to try, then count who rescreened.
    std::thread::sleep(Duration::from_secs(2));
    let rescreens: usize = replicas
        .iter()
        .map(|r| {
            r.log
                .lock()
                .unwrap()
                .matches("stored subjects rescreened")
                .count()
        })
        .sum();
    assert_eq!(rescreens, 1, "the rescreen ran once across the replicas");

    // An analyst signed in through replica 1 carries on through replica 3: the
    // session is in the database, not in a replica's memory.
    let no_redirects = ureq::AgentBuilder::new().redirects(0).build();
    let signed_in = no_redirects
        .post(&format!("{}/ui/login", bases[0]))
        .send_form(&[("key", admin.as_str())])
        .expect("sign in through replica 1");
    assert_eq!(signed_in.status(), 303);
    let cookie = signed_in
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();
    let queue = no_redirects
        .get(&format!("{}/ui/alerts", bases[2]))
        .set("Cookie", &cookie)
        .call()
        .expect("the queue through replica 3");
    assert_eq!(queue.status(), 200);
    let page = queue.into_string().unwrap();
    assert!(
        page.contains("Alert queue") && page.contains("Alabuga"),
        "{page}"
    );

    // 10,000 requests over the three replicas; replica 2 is killed at 3,000 and
    // restarted.
    let listed = [
        "Vladimir Poutine",
        "Timur Shagivaleev",
        "Arkady Rotenberg",
        "Kim Jong Un",
        "Alabuga Machinery",
    ];
    let bases = Arc::new(RwLock::new(bases));
    let next = Arc::new(AtomicUsize::new(0));
    let retries = Arc::new(AtomicUsize::new(0));
    let answers: Arc<Mutex<BTreeMap<String, bool>>> = Arc::default();
    let replicas = Arc::new(Mutex::new(replicas));
    let killer = {
        let next = next.clone();
        let replicas = replicas.clone();
        let bases = bases.clone();
        let url = url.clone();
        let dir = dir.to_path_buf();
        std::thread::spawn(move || {
            while next.load(Ordering::Relaxed) < 3_000 {
                std::thread::sleep(Duration::from_millis(5));
            }
            let mut replicas = replicas.lock().unwrap();
            let victim = &mut replicas[1];
            victim.child.kill().expect("SIGKILL replica 2");
            victim.child.wait().unwrap();
            eprintln!(
                "replica 2 killed at request {}",
                next.load(Ordering::Relaxed)
            );
            std::thread::sleep(Duration::from_millis(500));
            let restarted = start_replica(&url, &dir);
            bases.write().unwrap()[1] = restarted.base.clone();
            replicas[1] = restarted;
            eprintln!(
                "replica 2 restarted at request {}",
                next.load(Ordering::Relaxed)
            );
        })
    };
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (next, retries, answers, bases) = (
                next.clone(),
                retries.clone(),
                answers.clone(),
                bases.clone(),
            );
            let screen = screen.clone();
            std::thread::spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= REQUESTS {
                    break;
                }
                let id = format!("req-{i}");
                let name = if i % 5 == 0 {
                    listed[(i / 5) % listed.len()].to_string()
                } else {
                    format!("Ordinary Client {i}")
                };
                let body = json!({"id": id, "name": name}).to_string();
                // Round robin, and on a failure the next replica: what a load
                // balancer with health checks does.
                let mut attempt = 0;
                let reply = loop {
                    let base = bases.read().unwrap()[(i + attempt) % 3].clone();
                    let sent = ureq::post(&format!("{base}/v1/screen"))
                        .set("Authorization", &format!("Bearer {screen}"))
                        .timeout(Duration::from_secs(30))
                        .send_string(&body);
                    match sent
                        .map_err(|e| e.to_string())
                        .and_then(|r| r.into_string().map_err(|e| e.to_string()))
                    {
                        Ok(text) => break serde_json::from_str::<Value>(&text).unwrap(),
                        Err(e) => {
                            attempt += 1;
                            retries.fetch_add(1, Ordering::Relaxed);
                            assert!(attempt < 50, "request {id} failed everywhere: {e}");
                            std::thread::sleep(Duration::from_millis(20));
                        }
                    }
                };
                assert!(reply["matches"].is_array(), "{id}: {reply}");
                let matched = reply["matches"].as_array().is_some_and(|m| !m.is_empty());
                answers.lock().unwrap().insert(id, matched);
            })
        })
        .collect();
    for c in clients {
        c.join().expect("client thread");
    }
    killer.join().expect("killer thread");
    let elapsed = started.elapsed();
    let answers = answers.lock().unwrap().clone();
    assert_eq!(answers.len(), REQUESTS, "every request was answered");
    eprintln!(
        "{REQUESTS} requests in {:.1} s ({:.0}/s) over 3 replicas, {} retried after the kill",
        elapsed.as_secs_f64(),
        REQUESTS as f64 / elapsed.as_secs_f64(),
        retries.load(Ordering::Relaxed)
    );

    // Exactly one alert per matching request, none for the others.
    let alerts = store().alerts(None, Some("name"), 100_000).unwrap();
    let mut per_request: BTreeMap<String, usize> = BTreeMap::new();
    for a in &alerts {
        *per_request.entry(a.alert.subject_key.clone()).or_default() += 1;
    }
    let matching: BTreeSet<&String> = answers
        .iter()
        .filter(|(_, m)| **m)
        .map(|(id, _)| id)
        .collect();
    assert!(matching.len() >= REQUESTS / 5, "{} matched", matching.len());
    assert!(
        per_request.values().all(|&n| n == 1),
        "a request with two alerts: {:?}",
        per_request
            .iter()
            .filter(|(_, n)| **n > 1)
            .take(5)
            .collect::<Vec<_>>()
    );
    let alerted: BTreeSet<&String> = per_request.keys().collect();
    assert_eq!(
        alerted, matching,
        "alerts are exactly the matching requests"
    );

    // One audit chain, intact, and a clean store.
    let chain = store().verify_audit().unwrap();
    assert!(chain.intact, "{chain:?}");
    assert!(chain.entries as usize >= matching.len(), "{chain:?}");
    let check = redline(&url, dir, &["store", "check"]).output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    for r in replicas.lock().unwrap().iter_mut() {
        let _ = r.child.kill();
        let _ = r.child.wait();
    }
}
