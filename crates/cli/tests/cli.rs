//! End-to-end tests of the `redline` binary: a fresh data directory per test, and the
//! real published list files in the repository's `testdata/`.
//! What they pin down:
//!
//! * `screen` finds a listed person across scripts and reports the list versions it
//!   used; a batch file gets one result line per input line, in order, and a malformed
//!   line gets an error line without stopping the run;
//! * a fresh store starts with the bundled OFAC and UN snapshot;
//! * each source's real file loads with the counts the file holds;
//! * `lists diff` between two real OFAC publications finds the real designations;
//! * a broken file (truncated, bad CSV quote, garbage bytes) fails naming the file and
//!   line and leaves the active versions as they were; loading a file twice re-activates
//!   the version it made the first time;
//! * `lists update` downloads (from a server on 127.0.0.1, never the internet);
//! * piping the output into a reader that goes away (`| head`) does not panic.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{json, Value};

/// A plain path to the published file `rel` of `testdata/` (expanded if stored
/// compressed), for the binary to read as a user's file.
fn fixture(rel: &str) -> PathBuf {
    redline_testdata::path(rel)
}

fn text(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

/// The `redline` binary with its own fresh data directory.
struct Redline {
    dir: tempfile::TempDir,
    /// `REDLINE_BUNDLED`: the bundled lists a new store gets (`None`: all).
    bundled: Option<&'static str>,
}

impl Redline {
    /// A store with the bundled OFAC and UN lists only (`REDLINE_BUNDLED`), which most
    /// tests are written against.
    fn new() -> Redline {
        Redline {
            dir: tempfile::tempdir().expect("temporary directory"),
            bundled: Some("ofac-sdn,un-sc"),
        }
    }

    /// A store with every bundled list, as a fresh install has.
    fn with_every_bundled_list() -> Redline {
        Redline {
            bundled: None,
            ..Redline::new()
        }
    }

    /// A scratch file in the test's temporary directory (next to, not inside, the store).
    fn scratch(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write scratch file");
        path
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_redline"));
        cmd.arg("--data-dir")
            .arg(self.dir.path().join("store"))
            .args(args)
            .env_remove("REDLINE_DATA")
            .env("RUST_BACKTRACE", "0");
        match self.bundled {
            Some(sources) => cmd.env("REDLINE_BUNDLED", sources),
            None => cmd.env_remove("REDLINE_BUNDLED"),
        };
        // Nothing here may leave the machine: no proxy may capture the loopback calls.
        for var in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"] {
            cmd.env_remove(var);
        }
        for var in ["all_proxy", "ALL_PROXY"] {
            cmd.env_remove(var);
        }
        cmd
    }

    /// Starts `redline serve` on a free loopback port with `args`; the child, the
    /// address it printed, and its stdout (kept open while the server runs).
    fn serve(&self, args: &[&str], stderr: Stdio) -> (std::process::Child, String, impl BufRead) {
        let mut all = vec!["serve", "--addr", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let mut server = self
            .command(&all)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start redline serve");
        let mut stdout = BufReader::new(server.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        let base = first
            .trim()
            .strip_prefix("redline: listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_string();
        (server, base, stdout)
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run redline")
    }

    /// Runs a command that must succeed; returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let (stdout, stderr) = outputs(&out);
        assert!(
            out.status.success(),
            "redline {args:?} failed ({}):\nstdout: {stdout}\nstderr: {stderr}",
            out.status
        );
        stdout
    }

    /// Runs a command that must fail cleanly (exit code 1, no panic); returns its stderr.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let (stdout, stderr) = outputs(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "redline {args:?} should fail with exit code 1:\nstdout: {stdout}\nstderr: {stderr}"
        );
        assert!(
            !stderr.contains("panicked"),
            "redline {args:?} panicked: {stderr}"
        );
        assert!(stderr.starts_with("error: "), "unexpected stderr: {stderr}");
        stderr
    }

    /// `lists load --json` of the published file `rel` of `testdata/` as `source`.
    fn load_json(&self, source: &str, rel: &str) -> Value {
        let file = fixture(rel);
        self.json(&["lists", "load", "--source", source, text(&file), "--json"])
    }

    fn json(&self, args: &[&str]) -> Value {
        let stdout = self.ok(args);
        serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("redline {args:?}: not JSON ({e}): {stdout}"))
    }

    fn status(&self) -> Vec<Value> {
        array(self.json(&["lists", "status", "--json"]))
    }

    fn history(&self) -> Vec<Value> {
        array(self.json(&["lists", "history", "--json"]))
    }

    /// source → id of its active version.
    fn active(&self) -> BTreeMap<String, String> {
        self.status()
            .iter()
            .map(|v| (str_field(v, "source"), str_field(v, "version")))
            .collect()
    }
}

fn outputs(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn array(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        other => panic!("expected a JSON array, got {other}"),
    }
}

fn str_field(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no string {key:?} in {v}"))
        .to_string()
}

fn count(v: &Value, key: &str) -> u64 {
    v["counts"][key]
        .as_u64()
        .unwrap_or_else(|| panic!("no count {key:?} in {v}"))
}

fn version_of<'a>(versions: &'a [Value], source: &str) -> &'a Value {
    let mut matching = versions.iter().filter(|v| v["source"] == source);
    let v = matching
        .next()
        .unwrap_or_else(|| panic!("no {source} version in {versions:?}"));
    assert!(matching.next().is_none(), "two {source} versions listed");
    v
}

/// The line number an error message gives right after the file name (`file:LINE:`).
fn line_after(stderr: &str, file: &Path) -> u64 {
    let prefix = format!("{}:", file.display());
    let at = stderr
        .find(&prefix)
        .unwrap_or_else(|| panic!("stderr does not name {}: {stderr}", file.display()));
    let digits: String = stderr[at + prefix.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no line number after {prefix} in: {stderr}"))
}

/// Deterministic bytes that are neither UTF-8 text nor any archive format.
fn garbage(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut bytes = vec![0xFF, 0xFE, 0x00, 0x9C];
    while bytes.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.push((state >> 24) as u8);
    }
    bytes
}

#[test]
fn fresh_store_holds_the_bundled_snapshot() {
    let redline = Redline::with_every_bundled_list();
    let status = redline.status();
    // Every bundled file, with its date and the entity count read from it.
    let expected = [
        ("ofac-sdn", "2024-05-03", 14_965),
        ("un-sc", "2026-02-27", 1_003),
        ("uk-hmt", "2025-04-14", 4_688),
        ("us-csl", "2022-04-21", 4_087),
        ("eu-fsf", "2020-04-15", 6),
        ("au-dfat", "2024-11-11", 3_062),
        ("ca-sema", "2020-04-15", 1_369),
        ("jp-mof", "2025-11-25", 2_861),
        ("jp-meti", "2025-09-29", 835),
    ];
    assert_eq!(status.len(), expected.len(), "{status:?}");
    for (source, published, entities) in expected {
        let v = version_of(&status, source);
        assert_eq!(v["active"], true, "{source}");
        assert_eq!(v["published"], published, "{source}");
        assert_eq!(count(v, "entities"), entities, "{source}");
        assert!(count(v, "names") >= entities, "{source}");
        assert!(str_field(v, "version").starts_with(&format!("{source}@{published}-")));
    }
    let ofac = version_of(&status, "ofac-sdn");
    assert!(count(ofac, "identifiers") > 0);
    let un = version_of(&status, "un-sc");
    assert_eq!(count(un, "persons"), 730);
    assert_eq!(count(un, "organizations"), 273);
    // Opening the store again does not load the snapshot a second time.
    assert_eq!(redline.history().len(), expected.len());

    // Nine old lists make one warning line, not nine.
    let text = redline.ok(&["screen", "Kim Jong Un"]);
    let warnings: Vec<&str> = text.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{text}");
    assert!(
        warnings[0].starts_with("warning: 9 stale lists ("),
        "{text}"
    );
    // The Entity List names Huawei, with its licence terms on the entity.
    let huawei = redline.json(&["screen", "Huawei Technologies Co., Ltd.", "--json"]);
    let first = &huawei["matches"][0];
    assert!(
        str_field(first, "entity_id").starts_with("us-csl:"),
        "{first}"
    );
    assert_eq!(first["programs"][0], "EL", "{first}");
    // Rosneft is one result: the party, with every listing of it.
    let rosneft = redline.json(&["screen", "ROSNEFT", "--json"]);
    let party = &rosneft["matches"][0];
    let listings = array(party["listings"].clone());
    for l in &listings {
        assert!(!str_field(l, "same_party").is_empty(), "{l}");
    }
    let mut lists: Vec<&str> = std::iter::once(party["source"].as_str().unwrap())
        .chain(listings.iter().map(|l| l["source"].as_str().unwrap()))
        .collect();
    lists.sort_unstable();
    lists.dedup();
    for list in ["au-dfat", "ca-sema", "us-csl"] {
        assert!(lists.contains(&list), "{list} in {party}");
    }
    let others = array(rosneft["matches"].clone());
    assert!(
        others[1..]
            .iter()
            .all(|m| !str_field(m, "caption").eq_ignore_ascii_case("rosneft")),
        "no second result for the same party: {others:?}"
    );
    // Japan's list, by its katakana name.
    let putin = redline.json(&["screen", "ウラジーミル・プーチン", "--json"]);
    let found = array(putin["matches"].clone()).iter().any(|m| {
        m["entity_id"] == "jp-mof:29-1"
            || array(m["listings"].clone())
                .iter()
                .any(|l| l["entity_id"] == "jp-mof:29-1")
    });
    assert!(found, "{putin}");

    // REDLINE_BUNDLED chooses; a list that is not bundled is refused by name.
    let narrow = Redline::new();
    assert_eq!(narrow.status().len(), 2);
    let wrong = Redline {
        bundled: Some("ofac-sdn,eu-consolidated"),
        ..Redline::new()
    };
    let stderr = wrong.fails(&["lists", "status"]);
    assert!(stderr.contains("REDLINE_BUNDLED"), "{stderr}");
}

#[test]
fn what_cannot_be_checked_is_refused_and_a_what_if_raises_no_alert() {
    let redline = Redline::new();
    for (args, needle) in [
        (
            vec!["screen", "Vladimir Putin", "--threshold", "2"],
            "threshold: 2 is outside (0, 1]",
        ),
        (
            vec!["screen", "Vladimir Putin", "--source", "uk-hmt"],
            "uk-hmt has no active list version; load one with `redline lists load --source uk-hmt FILE`",
        ),
        (vec!["text", "screen", "README.md", "--threshold", "0"], "threshold"),
    ] {
        let out = redline.run(&args);
        assert!(!out.status.success(), "{args:?} must fail");
        let (_, stderr) = outputs(&out);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
    let alerts = |r: &Redline| {
        r.json(&["alerts", "list", "--kind", "name", "--json"])["alerts"]
            .as_array()
            .map_or(0, Vec::len)
    };
    let before = alerts(&redline);
    let dry = redline.run(&["screen", "Arkady Rotenberg", "--dry-run", "--country", "XX"]);
    assert!(dry.status.success());
    let (stdout, stderr) = outputs(&dry);
    assert!(stdout.contains("ofac-sdn:16669"), "{stdout}");
    assert!(stderr.contains("warning: country \"XX\""), "{stderr}");
    assert_eq!(alerts(&redline), before, "a what-if raises no alert");
    redline.ok(&["screen", "Arkady Rotenberg"]);
    assert_eq!(alerts(&redline), before + 1);
}

#[test]
fn four_eyes_holds_on_the_command_line_with_reviewer_keys() {
    let redline = Redline::new();
    // One reviewer, no keys: a listed person's false positive waits for a second.
    let kim = redline.json(&["screen", "김정은", "--json"]);
    let alert = kim["alert_id"].as_i64().expect("an alert").to_string();
    assert!(
        kim["matches"][0]["caption"]
            .as_str()
            .unwrap()
            .contains("KIM"),
        "{kim}"
    );
    let key = |label: &str| {
        let made = redline.json(&[
            "keys", "create", "--role", "review", "--label", label, "--json",
        ]);
        (str_field(&made, "key"), str_field(&made, "id"))
    };
    let (alice, alice_id) = key("alice");
    let (bob, bob_id) = key("bob");
    let decide = |who: &[&str], action: &str, id: &str| {
        let mut args = vec![
            "alerts",
            "decide",
            id,
            "--action",
            action,
            "--reason",
            "other person",
        ];
        args.extend_from_slice(who);
        redline.run(&args)
    };
    // Reviewers are configured: a typed name is not an identity.
    let typed = decide(&["--actor", "alice"], "false_positive", &alert);
    assert!(!typed.status.success());
    assert!(
        outputs(&typed).1.contains("review with your key"),
        "{}",
        outputs(&typed).1
    );
    let bad = decide(&["--key", "rl_not_a_key"], "false_positive", &alert);
    assert!(outputs(&bad).1.contains("not valid"), "{}", outputs(&bad).1);

    let first = decide(&["--key", &alice], "false_positive", &alert);
    assert!(first.status.success(), "{}", outputs(&first).1);
    assert!(
        outputs(&first).0.contains("pending_false_positive"),
        "{}",
        outputs(&first).0
    );
    // Until a second reviewer approves, the next screening keeps the alert open.
    let again = redline.json(&["screen", "김정은", "--json"]);
    assert_eq!(
        again["alert_id"].as_i64().map(|a| a.to_string()),
        Some(alert.clone())
    );
    assert!(again["matches"][0].get("suppressed").is_none(), "{again}");
    let open = redline.json(&["alerts", "list", "--json"]);
    assert!(array(open["alerts"].clone()).iter().any(|a| a["id"]
        .as_i64()
        .map(|i| i.to_string())
        .as_deref()
        == Some(alert.as_str())));
    let same = decide(&["--key", &alice], "false_positive", &alert);
    assert!(
        outputs(&same).1.contains("second reviewer"),
        "{}",
        outputs(&same).1
    );
    let second = decide(&["--key", &bob], "false_positive", &alert);
    assert!(second.status.success(), "{}", outputs(&second).1);

    // Now suppressed: said in the answer, with who approved it; no alert.
    let hidden = redline.json(&["screen", "김정은", "--json"]);
    assert!(hidden.get("alert_id").is_none(), "{hidden}");
    let m = &hidden["matches"][0];
    assert_eq!(m["suppressed"], true, "{hidden}");
    assert_eq!(
        m["suppression"]["approved_by"],
        serde_json::json!([alice_id, bob_id])
    );
    assert!(redline
        .ok(&["screen", "김정은"])
        .contains("suppressed: a remembered false positive"));
    let listed = redline.json(&["alerts", "suppressions", "--json"]);
    let suppression = listed["suppressions"][0]["id"].to_string();
    assert_eq!(
        listed["suppressions"].as_array().unwrap().len(),
        1,
        "{listed}"
    );
    redline.ok(&[
        "alerts",
        "revoke-suppression",
        &suppression,
        "--reason",
        "new facts",
        "--key",
        &bob,
    ]);
    let back = redline.json(&["screen", "김정은", "--json"]);
    assert!(
        back["alert_id"].as_i64().is_some(),
        "revoked: it alerts again: {back}"
    );
    assert!(
        redline.json(&["alerts", "suppressions", "--json"])["suppressions"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // A held payment: one key cannot both approve and complete its release.
    let clean = fixture("payments/swift_mt/MT103_c_53_5_mt_mx_finMessage_535_A_B.fin");
    let held = redline.scratch(
        "mt103-kret.fin",
        std::fs::read_to_string(&clean)
            .unwrap()
            .replace(
                ":70:/ROC/E2E04044506271305",
                ":70:PAYMENT FOR SPARE PARTS VIA JSC CONCERN RADIO ELECTRONIC TECHNOLOGIES",
            )
            .as_bytes(),
    );
    let out = redline.run(&["payment", "screen", text(&held), "--json"]);
    let decision: Value = serde_json::from_str(&outputs(&out).0).unwrap();
    let payment_alert = decision["alert_id"].as_i64().expect("an alert").to_string();
    let approve = decide(&["--key", &alice], "release", &payment_alert);
    assert!(
        outputs(&approve).0.contains("pending_release"),
        "{}",
        outputs(&approve).0
    );
    let complete = decide(&["--key", &alice], "release", &payment_alert);
    assert!(!complete.status.success());
    assert!(
        outputs(&complete).1.contains("second reviewer"),
        "{}",
        outputs(&complete).1
    );
    let done = decide(&["--key", &bob], "release", &payment_alert);
    assert!(
        outputs(&done).0.contains("is now released"),
        "{}",
        outputs(&done).0
    );
    let shown = redline.json(&["alerts", "show", &payment_alert]);
    assert_eq!(shown["alert"]["origin"]["via"], "payment", "{shown}");
}

#[test]
fn stale_lists_are_loud_and_a_policy_can_hold_payments_on_them() {
    let redline = Redline::new();
    // The bundled OFAC snapshot is from May 2024: stale, with its age.
    let status = redline.status();
    let ofac = version_of(&status, "ofac-sdn");
    assert_eq!(ofac["stale"], true, "{ofac}");
    assert!(ofac["age_days"].as_i64().unwrap() > 900, "{ofac}");
    assert_eq!(ofac["stale_after_days"], 7);
    let shown = redline.ok(&["lists", "status"]);
    assert!(shown.contains("STALE"), "{shown}");
    let screened = redline.ok(&["screen", "Vladimir Putin", "--dry-run"]);
    assert!(
        screened.contains("warning: stale list: ofac-sdn@2024-05-03"),
        "{screened}"
    );
    let nothing = redline.ok(&["screen", "Nobody Xyzzy Plugh", "--dry-run"]);
    assert!(nothing.contains("not a clean result"), "{nothing}");
    let json = redline.json(&["screen", "Vladimir Putin", "--dry-run", "--json"]);
    assert!(
        array(json["stale_lists"].clone())
            .iter()
            .any(|a| a["source"] == "ofac-sdn"),
        "{json}"
    );
    // The operator's settings (the same file `serve --config` reads) decide.
    let relaxed = redline.scratch(
        "relaxed.toml",
        b"[freshness]\nstale_after_days = { ofac-sdn = 100000, un-sc = 100000 }\n",
    );
    let calm = redline.ok(&[
        "--config",
        text(&relaxed),
        "screen",
        "Vladimir Putin",
        "--dry-run",
    ]);
    assert!(!calm.contains("stale list"), "{calm}");
    let typo = redline.scratch(
        "typo.toml",
        b"[freshness]\nstale_after_days = { ofac = 7 }\n",
    );
    let err = redline.fails(&["--config", text(&typo), "lists", "status"]);
    assert!(err.contains("stale_after_days.ofac"), "{err}");

    // A payment policy that holds on lists older than 30 days: a clean payment is held,
    // the hit says which list and how old, and the replay gives the same decision.
    let policy = redline.scratch(
        "policy.toml",
        format!(
            "{}\n[lists]\nhold_after_days = 30\nrequired = [\"ofac-sdn\"]\n",
            redline_payments::DEFAULT_POLICY_TOML
        )
        .as_bytes(),
    );
    let clean = fixture("payments/swift_mt/MT103_c_53_5_mt_mx_finMessage_535_A_B.fin");
    let passed = redline.run(&["payment", "screen", text(&clean), "--json"]);
    assert_eq!(passed.status.code(), Some(0), "{}", outputs(&passed).0);
    let held = redline.run(&[
        "payment",
        "screen",
        text(&clean),
        "--policy",
        text(&policy),
        "--json",
    ]);
    assert_eq!(held.status.code(), Some(1), "{}", outputs(&held).0);
    let decision: Value = serde_json::from_str(&outputs(&held).0).unwrap();
    let hit = array(decision["hits"].clone())
        .into_iter()
        .find(|h| h["kind"] == "stale_list")
        .expect("a stale-list hit");
    assert!(
        hit["reason"]
            .as_str()
            .unwrap()
            .contains("past the policy's 30 days"),
        "{hit}"
    );
    assert!(!array(decision["stale_lists"].clone()).is_empty());
    let id = decision["decision_id"].as_i64().unwrap().to_string();
    let replay = redline.ok(&["audit", "replay", &id]);
    assert!(replay.contains("identical"), "{replay}");
}

/// Counts what the OpenSanctions parser should make of an FtM file: one entity per
/// *thing* (persons, organizations, vessels, aircraft); intervals such as `Sanction`
/// or `Ownership`, and `Address`/`Passport` records, are folded into those.
fn ftm_things(path: &Path) -> (u64, u64, u64) {
    let (mut lines, mut persons, mut organizations) = (0, 0, 0);
    for line in std::fs::read_to_string(path).unwrap().lines() {
        if line.trim().is_empty() {
            continue;
        }
        lines += 1;
        let entity: Value = serde_json::from_str(line).unwrap();
        match entity["schema"].as_str().unwrap() {
            "Person" => persons += 1,
            "Company" | "Organization" | "LegalEntity" | "PublicBody" => organizations += 1,
            "Vessel" | "Airplane" => panic!("update this test: the file now has vessels"),
            _ => {}
        }
    }
    (lines, persons, organizations)
}

/// Every list source `lists load` reads.
const SOURCES: [&str; 10] = [
    "ofac-sdn",
    "un-sc",
    "uk-hmt",
    "opensanctions",
    "us-csl",
    "eu-fsf",
    "au-dfat",
    "ca-sema",
    "jp-mof",
    "jp-meti",
];

#[test]
fn loads_uk_and_opensanctions_and_rejects_garbage_for_every_source() {
    let redline = Redline::new();
    let bundled = redline.active();

    let uk = redline.load_json("uk-hmt", "uk_ofsi/ConList-2025-04-14.xlsx");
    assert_eq!(uk["created"], true);
    assert_eq!(count(&uk["version"], "entities"), 4_688);
    assert_eq!(count(&uk["version"], "persons"), 3_663);
    assert_eq!(count(&uk["version"], "organizations"), 1_010);
    assert_eq!(count(&uk["version"], "vessels"), 15);
    assert_eq!(uk["report"]["records"], 18_798, "rows of the sheet");
    assert_eq!(uk["version"]["published"], "2025-04-14");
    let uk_id = str_field(&uk["version"], "id");

    let os_file = fixture("opensanctions/zala-entities.ftm.json");
    let (records, persons, organizations) = ftm_things(&os_file);
    assert_eq!((records, persons, organizations), (91, 6, 11));
    let os = redline.json(&[
        "lists",
        "load",
        "--source",
        "opensanctions",
        text(&os_file),
        "--json",
    ]);
    assert_eq!(os["created"], true);
    assert_eq!(os["report"]["records"], records);
    assert_eq!(os["report"]["entities"], persons + organizations);
    assert_eq!(count(&os["version"], "entities"), 17);
    assert_eq!(count(&os["version"], "persons"), persons);
    assert_eq!(count(&os["version"], "organizations"), organizations);
    assert!(
        count(&os["version"], "links") > 0,
        "ownerships become links"
    );
    let os_id = str_field(&os["version"], "id");

    // The US Consolidated Screening List: export controls and Treasury's non-SDN
    // lists; its SDN rows are left to ofac-sdn.
    let csl = redline.load_json("us-csl", "us_csl/consolidated-2022-05.csv");
    assert_eq!(csl["report"]["records"], 14_160);
    assert_eq!(csl["report"]["left_to_other_sources"], 10_026);
    assert_eq!(csl["version"]["published"], "2022-04-21");
    let csl_id = str_field(&csl["version"], "id");
    let uec = redline.json(&["screen", "United Engine Corporation", "--dry-run", "--json"]);
    let top = &uec["matches"][0];
    assert!(
        top["entity_id"].as_str().unwrap().starts_with("us-csl:"),
        "{uec}"
    );
    assert_eq!(top["programs"], serde_json::json!(["EL"]), "{uec}");

    // The EU's consolidated list, from its Financial Sanctions Files XML.
    let eu = redline.load_json("eu-fsf", "eu_fsf/fsf-sample-2020-04-15.xml");
    assert_eq!(count(&eu["version"], "entities"), 6);
    assert_eq!(eu["version"]["published"], "2020-04-15");
    let eu_id = str_field(&eu["version"], "id");
    let zeid = redline.json(&[
        "screen",
        "Abdelhamid Abou Zeid",
        "--source",
        "eu-fsf",
        "--dry-run",
        "--json",
    ]);
    assert_eq!(zeid["matches"][0]["entity_id"], "eu-fsf:5295", "{zeid}");

    // Australia's Consolidated List.
    let au = redline.load_json(
        "au-dfat",
        "au_dfat/regulation8_consolidated-2024-11-11.xlsx",
    );
    assert_eq!(count(&au["version"], "entities"), 3_062);
    let au_id = str_field(&au["version"], "id");

    // Canada's SEMA list.
    let ca = redline.load_json("ca-sema", "ca_sema/sema-lmes-2020-04.xml");
    assert_eq!(count(&ca["version"], "entities"), 1_369);
    let ca_id = str_field(&ca["version"], "id");

    // Japan's asset-freeze list: a katakana name finds its entry as MOF writes it.
    let jp = redline.load_json("jp-mof", "jp_mof/shisantouketsu-2026-03-05.xlsx");
    assert_eq!(count(&jp["version"], "entities"), 2_861);
    let jp_id = str_field(&jp["version"], "id");
    let lavrov = redline.json(&[
        "screen",
        "セルゲイ・ラヴロフ",
        "--source",
        "jp-mof",
        "--dry-run",
        "--json",
    ]);
    assert_eq!(lavrov["matches"][0]["entity_id"], "jp-mof:29-2", "{lavrov}");

    // Japan's End User List.
    let meti = redline.load_json("jp-meti", "jp_meti/end-user-list-2025-09-29.xlsx");
    assert_eq!(count(&meti["version"], "entities"), 835);
    let meti_id = str_field(&meti["version"], "id");

    let status = redline.status();
    assert_eq!(status.len(), 10, "{status:?}");
    let active = redline.active();
    let expected: BTreeMap<String, String> = [
        ("ofac-sdn".to_string(), bundled["ofac-sdn"].clone()),
        ("un-sc".to_string(), bundled["un-sc"].clone()),
        ("uk-hmt".to_string(), uk_id),
        ("opensanctions".to_string(), os_id),
        ("us-csl".to_string(), csl_id),
        ("eu-fsf".to_string(), eu_id),
        ("au-dfat".to_string(), au_id),
        ("ca-sema".to_string(), ca_id),
        ("jp-mof".to_string(), jp_id),
        ("jp-meti".to_string(), meti_id),
    ]
    .into();
    assert_eq!(active, expected);
    assert_eq!(version_of(&status, "uk-hmt")["entities"], 4_688);
    assert_eq!(version_of(&status, "opensanctions")["entities"], 17);

    // Garbage in place of each source's file: a clear error naming the file and the
    // list, and nothing changes.
    let junk = redline.scratch("download.bin", &garbage(64 * 1024));
    for source in SOURCES {
        let stderr = redline.fails(&["lists", "load", "--source", source, text(&junk)]);
        assert!(
            stderr.contains(&format!("{}:", junk.display())),
            "{source}: the error does not name the file: {stderr}"
        );
        assert!(
            stderr.contains(&format!("the active {source} version is unchanged")),
            "{source}: {stderr}"
        );
        let expected_reason = if matches!(source, "uk-hmt" | "au-dfat" | "jp-mof" | "jp-meti") {
            "not a valid XLSX workbook"
        } else {
            "not UTF-8"
        };
        assert!(stderr.contains(expected_reason), "{source}: {stderr}");
    }
    // An empty file (a download that came back empty) likewise.
    let empty = redline.scratch("empty.csv", b"");
    for source in SOURCES {
        let stderr = redline.fails(&["lists", "load", "--source", source, text(&empty)]);
        assert!(
            stderr.contains(&format!("{}", empty.display())),
            "{source}: the error does not name the file: {stderr}"
        );
        assert!(
            stderr.contains(&format!("the active {source} version is unchanged")),
            "{source}: {stderr}"
        );
    }
    assert_eq!(redline.active(), expected);
    assert_eq!(redline.history().len(), 10);
}

#[test]
fn diff_of_two_ofac_publications_and_atomic_reloads() {
    let redline = Redline::new();
    let feb20 = fixture("ofac/sdn-2024-02-20.csv");
    let feb23 = fixture("ofac/sdn-2024-02-23.csv");
    let load = |file: &Path, published: &str| {
        redline.ok(&[
            "lists",
            "load",
            "--source",
            "ofac-sdn",
            text(file),
            "--published",
            published,
        ])
    };
    assert!(load(&feb20, "2024-02-20").starts_with("loaded ofac-sdn@2024-02-20-"));
    assert!(load(&feb23, "2024-02-23").starts_with("loaded ofac-sdn@2024-02-23-"));

    let history = redline.history();
    assert_eq!(history.len(), 4, "bundled OFAC + UN, then two loads");
    let id_published = |date: &str| {
        let v = history
            .iter()
            .find(|v| v["source"] == "ofac-sdn" && v["published"] == date)
            .unwrap_or_else(|| panic!("no OFAC version published {date}: {history:?}"));
        (
            str_field(v, "version"),
            v["active"] == true,
            v["entities"].clone(),
        )
    };
    let (id20, active20, entities20) = id_published("2024-02-20");
    let (id23, active23, entities23) = id_published("2024-02-23");
    assert_eq!((active20, active23), (false, true));
    assert_eq!((entities20, entities23), (13_931.into(), 14_484.into()));

    let diff = redline.json(&["lists", "diff", &id20, &id23, "--json"]);
    assert_eq!(diff["from"], id20.as_str());
    assert_eq!(diff["to"], id23.as_str());
    let added = diff["added"].as_array().unwrap();
    assert_eq!(added.len(), 553);
    assert_eq!(diff["removed"].as_array().unwrap().len(), 0);
    // 23 Feb 2024: OFAC designates NSPK, the operator of Russia's Mir card system.
    assert!(added.iter().any(|id| id == "ofac-sdn:37809"));

    let diff_text = redline.ok(&["lists", "diff", &id20, &id23]);
    assert!(diff_text.contains("553 added, 0 removed"), "{diff_text}");
    assert!(
        diff_text.contains("+ ofac-sdn:37809  NATIONAL PAYMENT CARD SYSTEM JOINT STOCK COMPANY"),
        "{diff_text}"
    );

    // A copy of the 23 Feb file with the closing quote of one name removed.
    let bytes = std::fs::read(&feb23).unwrap();
    let name = b"\"NATIONAL PAYMENT CARD SYSTEM JOINT STOCK COMPANY\"";
    let at = bytes
        .windows(name.len())
        .position(|w| w == name)
        .expect("NSPK in the 23 Feb file");
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let mut broken = bytes.clone();
    broken.remove(at + name.len() - 1);
    let broken = redline.scratch("sdn-broken-quote.csv", &broken);
    let stderr = redline.fails(&["lists", "load", "--source", "ofac-sdn", text(&broken)]);
    assert_eq!(line_after(&stderr, &broken), line, "{stderr}");
    assert!(stderr.contains("the active ofac-sdn version is unchanged"));
    assert_eq!(redline.active()["ofac-sdn"], id23);

    // An archived copy (`*.gz`, as the repository keeps it) is the same publication:
    // it re-activates the version the plain file made. A damaged archive fails by name.
    let archived = redline_testdata::testdata_dir().join("ofac/sdn-2024-02-20.csv.gz");
    let reloaded = load(&archived, "2024-02-20");
    assert!(
        reloaded.starts_with(&format!("re-activated existing version {id20}")),
        "{reloaded}"
    );
    assert_eq!(redline.active()["ofac-sdn"], id20);
    let gz = std::fs::read(&archived).unwrap();
    let damaged = redline.scratch("sdn-damaged.csv.gz", &gz[..gz.len() / 2]);
    let stderr = redline.fails(&["lists", "load", "--source", "ofac-sdn", text(&damaged)]);
    assert!(
        stderr.contains("sdn-damaged.csv.gz: not a readable gzip file"),
        "{stderr}"
    );
    assert_eq!(redline.active()["ofac-sdn"], id20);
    load(&feb23, "2024-02-23");
    assert_eq!(redline.active()["ofac-sdn"], id23);

    // The output of a command piped into a reader that goes away (`| head -1`): the
    // command must end quietly, not panic with "failed printing to stdout". `text
    // screen --json` of the first 500 lines of a list names hundreds of parties, each
    // with its explanation (about 150 kB), far more than a pipe buffers, so the write
    // to the closed pipe is certain to happen.
    let head: String = std::fs::read_to_string(&feb23)
        .unwrap()
        .lines()
        .take(500)
        .collect::<Vec<_>>()
        .join("\n");
    let document = redline.scratch("listed-names.txt", head.as_bytes());
    let mut child = redline
        .command(&["text", "screen", text(&document), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first.trim(), "{");
    // The reader is dropped here: the pipe is closed.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{}", out.status);
    }
    // Nothing changed.
    assert_eq!(redline.active()["ofac-sdn"], id23);

    // Loading the 20 Feb file again re-activates its version; no new one is made.
    let reload = load(&feb20, "2024-02-20");
    assert!(
        reload.starts_with(&format!("re-activated existing version {id20} ")),
        "{reload}"
    );
    let after = redline.history();
    assert_eq!(after.len(), 4, "{after:?}");
    assert_eq!(
        after
            .iter()
            .filter(|v| v["version"] == id20.as_str())
            .count(),
        1
    );
    assert_eq!(redline.active()["ofac-sdn"], id20);
}

#[test]
fn truncated_un_xml_leaves_the_active_version() {
    let redline = Redline::new();
    let before = redline.active();
    let un_id = before["un-sc"].clone();

    let bytes = std::fs::read(fixture("un/consolidated-2026-02-27.xml")).unwrap();
    let truncated = redline.scratch("consolidated-truncated.xml", &bytes[..bytes.len() / 2]);
    let stderr = redline.fails(&["lists", "load", "--source", "un-sc", text(&truncated)]);
    let line = line_after(&stderr, &truncated);
    let lines_kept = bytes[..bytes.len() / 2]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64;
    assert!(
        line > 1 && line <= lines_kept + 1,
        "line {line} is not in the truncated file: {stderr}"
    );
    assert!(
        stderr.contains("the active un-sc version is unchanged"),
        "{stderr}"
    );

    // The publication date becomes part of the version id: it must be a real date.
    let real = fixture("un/consolidated-2026-02-27.xml");
    for bad in ["2026-02-30", "27/02/2026", "yesterday", "2026-2-27"] {
        let stderr = redline.fails(&[
            "lists",
            "load",
            "--source",
            "un-sc",
            text(&real),
            "--published",
            bad,
        ]);
        assert!(stderr.contains("--published"), "{bad}: {stderr}");
    }

    assert_eq!(redline.active(), before);
    assert_eq!(redline.active()["un-sc"], un_id);
    assert_eq!(redline.history().len(), 2);
}

/// A one-connection-at-a-time HTTP/1.1 server on 127.0.0.1 that serves `body` at
/// `/consolidated.xml` and 404 elsewhere, and stops after `requests` requests. The
/// handle returns the paths it was asked for.
fn serve_un_list(body: Vec<u8>, requests: usize) -> (u16, JoinHandle<Vec<String>>) {
    serve_files(
        vec![("/consolidated.xml".to_string(), body, None)],
        requests,
    )
}

/// As [`serve_un_list`], for any files by path, each with a `Last-Modified` date if
/// given.
type Served = (String, Vec<u8>, Option<String>);

fn serve_files(files: Vec<Served>, requests: usize) -> (u16, JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut paths = Vec::new();
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            loop {
                let mut header = String::new();
                match reader.read_line(&mut header) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if header == "\r\n" || header == "\n" => break,
                    Ok(_) => {}
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("").to_string();
            let served = files.iter().find(|(p, ..)| *p == path);
            let (status, content_type, content): (&str, &str, &[u8]) = match served {
                Some((_, body, _)) => ("200 OK", "application/octet-stream", body),
                None => ("404 Not Found", "text/plain", b"not found\n"),
            };
            let modified = served
                .and_then(|(_, _, m)| m.as_deref())
                .map(|m| format!("Last-Modified: {m}\r\n"))
                .unwrap_or_default();
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{modified}Connection: close\r\n\r\n",
                content.len()
            );
            let _ = stream
                .write_all(head.as_bytes())
                .and_then(|()| stream.write_all(content))
                .and_then(|()| stream.flush());
            paths.push(path);
        }
        paths
    });
    (port, handle)
}

#[test]
fn an_ofac_update_fetches_the_whole_publication_and_a_load_without_aliases_says_so() {
    let redline = Redline::new();
    // Without OFAC's alias file the bundled snapshot does not know this alias.
    assert!(redline
        .ok(&["screen", "NATIONAL BANK OF CUBA", "--dry-run"])
        .contains("no match for"));
    let set = |name: &str| redline_testdata::bytes(&format!("ofac/set-2021-07-07/{name}"));
    let dated = |alt_modified: &str| -> Vec<Served> {
        ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"]
            .iter()
            .map(|n| {
                let modified = if *n == "alt.csv" {
                    alt_modified
                } else {
                    "Wed, 07 Jul 2021 09:12:44 GMT"
                };
                (format!("/exports/{n}"), set(n), Some(modified.to_string()))
            })
            .collect()
    };
    // A mirror caught half-way: ALT.CSV from another publication is never mixed in.
    let (port, _) = serve_files(dated("Mon, 21 Jun 2021 18:00:00 GMT"), 4);
    let url = format!("ofac-sdn=http://127.0.0.1:{port}/exports/sdn.csv");
    let before = redline.active();
    let err = redline.fails(&["lists", "update", "--source", "ofac-sdn", "--url", &url]);
    assert!(err.contains("not one publication"), "{err}");
    assert_eq!(redline.active(), before, "the active version is unchanged");
    let (port, server) = serve_files(dated("Wed, 07 Jul 2021 09:13:02 GMT"), 4);
    let url = format!("ofac-sdn=http://127.0.0.1:{port}/exports/sdn.csv");
    redline.ok(&["lists", "update", "--source", "ofac-sdn", "--url", &url]);
    assert_eq!(
        server.join().expect("server thread"),
        [
            "/exports/sdn.csv",
            "/exports/alt.csv",
            "/exports/add.csv",
            "/exports/sdn_comments.csv"
        ]
    );
    // Dated by the publisher's server, since the CSVs state no date.
    assert_eq!(
        version_of(&redline.status(), "ofac-sdn")["published"],
        "2021-07-07"
    );
    let found = redline.ok(&["screen", "NATIONAL BANK OF CUBA", "--dry-run"]);
    assert!(found.contains("ofac-sdn:306"), "{found}");
    assert!(
        found.contains("matched strong_alias \"NATIONAL BANK OF CUBA\""),
        "{found}"
    );

    // sdn.csv alone loads, and says what it lacks.
    let sdn_alone = fixture("ofac/set-2021-07-07/sdn.csv");
    let out = redline.run(&["lists", "load", "--source", "ofac-sdn", text(&sdn_alone)]);
    assert!(out.status.success());
    let (_, stderr) = outputs(&out);
    assert!(
        stderr.contains("warning: no alt.csv among the files"),
        "{stderr}"
    );
}

#[test]
fn update_downloads_from_a_local_server() {
    let redline = Redline::new();
    let before = redline.active();
    let bytes = std::fs::read(fixture("un/consolidated-2026-02-27.xml")).unwrap();
    let (port, server) = serve_un_list(bytes, 2);

    let url = format!("un-sc=http://127.0.0.1:{port}/consolidated.xml");
    let stdout = redline.ok(&["lists", "update", "--source", "un-sc", "--url", &url]);
    // The download is the bundled snapshot's file: the same content, so the same version.
    assert!(
        stdout.starts_with(&format!(
            "re-activated existing version {} ",
            before["un-sc"]
        )),
        "{stdout}"
    );
    assert!(stdout.contains("(1003 entities"), "{stdout}");
    assert_eq!(redline.active(), before);

    let missing = format!("un-sc=http://127.0.0.1:{port}/missing.xml");
    let stderr = redline.fails(&["lists", "update", "--source", "un-sc", "--url", &missing]);
    assert!(stderr.contains("update failed for 1 source(s)"), "{stderr}");
    assert!(
        stderr.contains(&format!("un-sc from http://127.0.0.1:{port}/missing.xml")),
        "{stderr}"
    );
    assert!(stderr.contains("404"), "{stderr}");
    assert_eq!(redline.active(), before);
    assert_eq!(redline.history().len(), 2);

    assert_eq!(
        server.join().expect("server thread"),
        ["/consolidated.xml", "/missing.xml"]
    );
}

#[test]
fn screen_reports_matches_with_their_list_versions() {
    let redline = Redline::new();
    let result = redline.json(&["screen", "Владимир Путин", "--json"]);
    let versions = array(result["list_versions"].clone());
    assert_eq!(versions.len(), 2, "{result}");
    let top = &result["matches"][0];
    assert_eq!(str_field(top, "entity_id"), "ofac-sdn:35096");
    assert_eq!(str_field(top, "caption"), "PUTIN, Vladimir Vladimirovich");
    assert!(top["score"].as_f64().unwrap() >= 0.8);
    assert!(top["explanation"]["tokens"]
        .as_array()
        .is_some_and(|t| !t.is_empty()));
    // The text form names the entity and the versions too.
    let text = redline.ok(&["screen", "Vladimir Poutine"]);
    assert!(
        text.contains("ofac-sdn:35096") && text.contains("lists: ofac-sdn@2024-05-03-"),
        "{text}"
    );
    // Bad input is refused with a message naming the field.
    let err = redline.fails(&["screen", "Vladimir Putin", "--birth-date", "07/10/1952"]);
    assert!(
        err.contains("birth_date") && err.contains("07/10/1952"),
        "{err}"
    );
}

/// The index snapshots in the store's `index/` directory.
fn snapshots(redline: &Redline) -> Vec<PathBuf> {
    let dir = redline.dir.path().join("store").join("index");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.retain(|p| p.extension().is_some_and(|x| x == "idx"));
    found.sort();
    found
}

#[test]
fn screen_loads_the_index_snapshot_and_rebuilds_a_damaged_one() {
    let redline = Redline::new();
    let matches = |out: &Value| out["matches"].clone();
    let first = redline.json(&["screen", "Vladimir Poutine", "--json"]);
    let written = snapshots(&redline);
    assert_eq!(written.len(), 1, "one snapshot after the first screening");
    let path = &written[0];
    let whole = std::fs::read(path).unwrap();
    let built_at = std::fs::metadata(path).unwrap().modified().unwrap();

    // The second screening reads the snapshot (it is not written again) and answers
    // the same.
    std::thread::sleep(Duration::from_millis(20));
    let second = redline.json(&["screen", "Vladimir Poutine", "--json"]);
    assert_eq!(matches(&second), matches(&first));
    assert_eq!(
        std::fs::metadata(path).unwrap().modified().unwrap(),
        built_at,
        "a usable snapshot is read, not rewritten"
    );

    // A damaged snapshot (one byte changed) and a cut-short one are detected,
    // reported, removed and rebuilt: the answer does not change.
    let mut damaged = whole.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x5a;
    for (what, bytes) in [
        ("damaged", damaged),
        ("cut short", whole[..whole.len() / 3].to_vec()),
    ] {
        std::fs::write(path, &bytes).unwrap();
        let out = redline.run(&["screen", "Vladimir Poutine", "--json"]);
        let (stdout, stderr) = outputs(&out);
        assert!(out.status.success(), "{what}: {stderr}");
        assert!(
            stderr.contains("index snapshot unusable"),
            "{what}: {stderr}"
        );
        let screened: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(matches(&screened), matches(&first), "{what}");
        let rebuilt = std::fs::read(path).unwrap();
        assert_ne!(rebuilt, bytes, "{what}: the snapshot is written again");
        let again = redline.run(&["screen", "Vladimir Poutine", "--json"]);
        assert!(
            !outputs(&again).1.contains("unusable"),
            "{what}: the rebuilt snapshot reads back"
        );
    }
    // No temporary file is left behind.
    let dir = path.parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A new list version is another index: a snapshot of its own, and the answer
    // names the new version.
    redline.load_json("ofac-sdn", "ofac/sdn-2024-02-23.csv.gz");
    let newer = redline.json(&["screen", "Vladimir Poutine", "--json"]);
    let ofac = |out: &Value| {
        array(out["list_versions"].clone())
            .into_iter()
            .find(|v| v.as_str().is_some_and(|v| v.starts_with("ofac-sdn@")))
    };
    assert!(
        ofac(&newer).is_some() && ofac(&newer) != ofac(&first),
        "{newer}"
    );
    assert_eq!(snapshots(&redline).len(), 2);

    // Switched off, nothing is written and the answer is the same.
    let off = Redline::new();
    let uncached = off.json(&[
        "--index-cache",
        "off",
        "screen",
        "Vladimir Poutine",
        "--json",
    ]);
    assert_eq!(matches(&uncached), matches(&first));
    assert!(snapshots(&off).is_empty());
}

#[test]
fn bench_scale_measures_synthesised_parties_read_as_ftm() {
    let redline = Redline::new();
    let keep = redline.dir.path().join("scale");
    let reports = array(redline.json(&[
        "bench",
        "--scale",
        "300,1k",
        "--count",
        "40",
        "--keep",
        text(&keep),
        "--json",
    ]));
    assert_eq!(reports.len(), 2);
    for (report, parties) in reports.iter().zip([300, 1000]) {
        assert_eq!(report["entities"], parties, "{report}");
        assert!(report["names"].as_u64().unwrap() >= parties, "{report}");
        assert!(report["snapshot_mib"].as_f64().unwrap() > 0.0, "{report}");
        assert!(
            report["single_query_us"]["p50"].as_f64().unwrap() > 0.0,
            "{report}"
        );
    }
    // The synthesised file is FtM that `lists load` reads: past the first pass
    // through the lists, names are recombined, not copied.
    let file = keep.join("synthetic-1000.ftm.json");
    let lines: Vec<Value> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1000);
    let names: std::collections::HashSet<&str> = lines
        .iter()
        .filter_map(|l| l["properties"]["name"][0].as_str())
        .collect();
    assert!(names.len() > 900, "{} distinct names", names.len());
    let loaded = redline.json(&[
        "lists",
        "load",
        "--source",
        "opensanctions",
        text(&file),
        "--no-rescreen",
        "--json",
    ]);
    assert_eq!(loaded["report"]["entities"], 1000, "{loaded}");
    assert_eq!(loaded["report"]["warnings"], json!([]), "{loaded}");
}

#[test]
fn eval_measures_recall_per_class_against_the_sources_asked() {
    let redline = Redline::new();
    // A UN person in the UN's own Arabic script: the UN record answers for it, and
    // against the SDN alone it must be found through its Latin spelling there.
    let cases = redline.scratch(
        "cases.jsonl",
        "{\"id\": \"1\", \"name\": \"قصي صدام حسين التكريتي\", \"expected\": [\"un-sc:6908049\"], \"class\": \"arabic\"}\n\
         {\"id\": \"2\", \"name\": \"قصي صدام حسين التكريتي\", \"expected\": [\"ofac-sdn:7844\"], \"class\": \"arabic_sdn\"}\n"
            .as_bytes(),
    );
    let all = redline.ok(&["eval", text(&cases)]);
    assert!(
        all.contains("arabic ") && all.contains("recall 1.0000"),
        "{all}"
    );
    let sdn = redline.ok(&["eval", "--source", "ofac-sdn", text(&cases)]);
    let class_line = |out: &str, class: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(class) && l.contains("cases"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        class_line(&sdn, "arabic ").contains("recall 0.0000"),
        "{sdn}"
    );
    assert!(
        class_line(&sdn, "arabic_sdn").contains("recall 1.0000"),
        "{sdn}"
    );
}

#[test]
fn batch_screening_keeps_order_and_reports_bad_lines() {
    let redline = Redline::new();
    let input = redline.scratch(
        "queries.jsonl",
        concat!(
            r#"{"id": "a", "name": "PUTIN, Vladimir Vladimirovich", "birth_date": "1952-10-07", "class": "ignored"}"#,
            "\n",
            r#"{"id": "b", "name": "Jane Q. Nobody"}"#,
            "\n",
            r#"{"id": "c", "nom": "missing name field"}"#,
            "\n",
            "not json at all\n",
            r#"{"id": 5, "name": "ZHANG, Lei", "schema": "person", "country": "China"}"#,
            "\n"
        )
        .as_bytes(),
    );
    let output = redline.dir.path().join("results.jsonl");
    redline.ok(&["screen", "--input", text(&input), "--output", text(&output)]);
    let lines: Vec<Value> = std::fs::read_to_string(&output)
        .expect("results written")
        .lines()
        .map(|l| serde_json::from_str(l).expect("result line is JSON"))
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["matches"][0]["entity_id"], "ofac-sdn:35096");
    assert_eq!(lines[1]["id"], "b");
    assert_eq!(lines[1]["matches"].as_array().map(Vec::len), Some(0));
    assert_eq!(lines[2]["id"], "c");
    assert!(
        lines[2]["error"]
            .as_str()
            .is_some_and(|e| e.contains("line 3")),
        "{}",
        lines[2]
    );
    assert!(
        lines[3]["error"]
            .as_str()
            .is_some_and(|e| e.contains("line 4")),
        "{}",
        lines[3]
    );
    assert_eq!(lines[4]["id"], 5);
    assert_eq!(lines[4]["matches"][0]["entity_id"], "ofac-sdn:16318");
}

#[test]
fn serve_with_keys_and_finish_requests_in_flight_on_sigterm() {
    let redline = Redline::new();
    // Keys: printed once, listed without the secret, revocable.
    let created = redline.json(&[
        "keys", "create", "--role", "screen", "--label", "ops", "--json",
    ]);
    let key = str_field(&created, "key");
    let listed = array(redline.json(&["keys", "list", "--json"]));
    assert_eq!(listed.len(), 1);
    assert_eq!(str_field(&listed[0], "role"), "screen");
    assert!(
        !listed[0].to_string().contains(&key),
        "the secret is never listed"
    );
    let spare = str_field(
        &redline.json(&["keys", "create", "--role", "admin", "--json"]),
        "id",
    );
    assert!(redline.ok(&["keys", "revoke", &spare]).contains("revoked"));
    let bad_role = redline.run(&["keys", "create", "--role", "root"]);
    assert_eq!(bad_role.status.code(), Some(2), "a usage error");
    assert!(outputs(&bad_role).1.contains("unknown role \"root\""));

    let (mut server, base, _stdout) =
        redline.serve(&["--watch-interval-secs", "0"], Stdio::piped());
    let auth = format!("Bearer {key}");
    // The reply as JSON, or the failure as text.
    let screen = move |body: String| -> Result<Value, String> {
        let reply = ureq::post(&format!("{base}/v1/screen"))
            .set("Authorization", &auth)
            .timeout(Duration::from_secs(300))
            .send_string(&body)
            .map_err(|e| e.to_string())?;
        serde_json::from_str(&reply.into_string().map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())
    };
    let one = screen(r#"{"name": "Vladimir Poutine"}"#.into()).unwrap();
    assert_eq!(one["matches"][0]["entity_id"], "ofac-sdn:35096");

    // A batch is in flight when SIGTERM arrives: it completes, then the server exits 0.
    let names = [
        "Vladimir Poutine",
        "Arkady Rotenberg",
        "Kim Jong Un",
        "Gennady Timchenko",
    ];
    let batch: Vec<Value> = (0..1000)
        .map(|i| serde_json::json!({"id": i, "name": names[i % names.len()]}))
        .collect();
    let body = serde_json::json!({ "queries": batch }).to_string();
    // Several batches at once, so that some are still being screened when the signal
    // comes however fast this build screens.
    let in_flight: Vec<_> = (0..8)
        .map(|_| {
            let (screen, body) = (screen.clone(), body.clone());
            std::thread::spawn(move || screen(body))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    for batch in in_flight {
        let finished = batch
            .join()
            .unwrap()
            .expect("the batch in flight completed");
        assert_eq!(array(finished["results"].clone()).len(), 1000);
    }
    let status = server.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut server.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "exit {status}: {stderr}");
    assert!(stderr.contains("requests in flight completed"), "{stderr}");
    // The batch was answered after the signal: it really was in flight.
    let after_signal = stderr
        .split("shutdown requested")
        .nth(1)
        .unwrap_or_else(|| panic!("no shutdown log: {stderr}"));
    assert!(after_signal.contains("/v1/screen"), "{stderr}");
}

#[test]
fn text_screen_finds_listed_parties_in_a_document_with_positions() {
    let redline = Redline::new();
    let doc = redline.scratch(
        "article.txt",
        "Geneva, 3 March.\nTalks stalled after Vladimir Poutine refused to meet the envoy.\n\
         Payment for spare parts via JSC Concern Radio Electronic Technologies was blocked.\n\
         The parents of the pupils compared notes at the internal meeting.\n"
            .as_bytes(),
    );
    let out = redline.json(&["text", "screen", text(&doc), "--json"]);
    let matches = array(out["matches"].clone());
    let ids: Vec<String> = matches.iter().map(|m| str_field(m, "entity_id")).collect();
    assert_eq!(ids, vec!["ofac-sdn:16868", "ofac-sdn:35096"], "{out:#}");
    let putin = &matches[1];
    assert_eq!(str_field(putin, "text"), "Vladimir Poutine");
    let number = |key: &str| putin[key].as_u64().unwrap() as usize;
    assert_eq!((number("line"), number("column")), (2, 21));
    let body = std::fs::read_to_string(&doc).unwrap();
    let (start, end) = (number("start"), number("end"));
    assert_eq!(&body[start..end], "Vladimir Poutine");
    assert!(putin["explanation"]["tokens"].is_array());
    assert_eq!(array(out["list_versions"].clone()).len(), 2);
    // Not UTF-8: an error naming the file.
    let bad = redline.scratch("latin1.txt", b"Caf\xe9 Putin");
    assert!(redline
        .fails(&["text", "screen", text(&bad)])
        .contains("latin1.txt: not UTF-8"));
}

/// Rows of a batch output as a set (the order of rows is the input's, but a resumed
/// run is compared as a set, as the issue asks).
fn row_set(path: &Path) -> std::collections::BTreeSet<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn batch_screen_maps_columns_reports_bad_rows_and_resumes_after_kill_9() {
    let redline = Redline::new();
    // A bank export: semicolons, its own column names, one row without a name, one
    // with a bad date.
    let export = redline.scratch(
        "export.csv",
        "Kunden-Nr;Name des Kunden;Geburtsdatum;Staat\n\
         k1;Vladimir Poutine;07.10.1952;RU\n\
         k2;;01.01.1970;DE\n\
         k3;Maria Musterfrau;31.02.x;AT\n\
         k4;ROTENBERG Arkady;15.12.1951;RU\n"
            .as_bytes(),
    );
    let out = redline.dir.path().join("results.jsonl");
    let run = redline.run(&[
        "batch",
        "screen",
        text(&export),
        "--out",
        text(&out),
        "--map",
        "id=Kunden-Nr,name=Name des Kunden,birth_date=Geburtsdatum,country=Staat",
    ]);
    let (_, stderr) = outputs(&run);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains("screened 4 rows") && stderr.contains("2 alerts, 2 errors"),
        "{stderr}"
    );
    let rows: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["id"], "k1");
    assert_eq!(rows[0]["matches"][0]["entity_id"], "ofac-sdn:35096");
    assert_eq!(rows[1]["matches"][0]["entity_id"], "ofac-sdn:16669");
    let errors =
        std::fs::read_to_string(redline.dir.path().join("results.jsonl.errors.jsonl")).unwrap();
    let lines: Vec<u64> = errors
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["line"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(lines, vec![3, 4], "{errors}");
    // Each customer with matches is an alert, keyed by the customer id.
    let alerts = redline.json(&["alerts", "list", "--kind", "subject", "--json"]);
    let keys: Vec<String> = array(alerts["alerts"].clone())
        .iter()
        .map(|a| str_field(a, "subject_key"))
        .collect();
    assert_eq!(keys, vec!["k4", "k1"], "{alerts:#}");

    // A larger file, killed with SIGKILL after its first checkpoints, then resumed.
    let customers = redline.dir.path().join("customers.csv");
    redline.ok(&[
        "subjects",
        "generate",
        "--count",
        "3000",
        "--listed-share",
        "0.05",
        "--out",
        text(&customers),
    ]);
    let whole = redline.dir.path().join("whole.csv");
    redline.ok(&[
        "batch",
        "screen",
        text(&customers),
        "--out",
        text(&whole),
        "--chunk-rows",
        "250",
    ]);
    let cut = redline.dir.path().join("cut.csv");
    let progress = redline.dir.path().join("cut.csv.progress");
    let mut child = redline
        .command(&[
            "batch",
            "screen",
            text(&customers),
            "--out",
            text(&cut),
            "--chunk-rows",
            "250",
        ])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        let done = std::fs::read(&progress)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .and_then(|v| v["rows_done"].as_u64())
            .unwrap_or(0);
        if done >= 500 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no checkpoint"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status()
        .unwrap();
    child.wait().unwrap();
    let partial = row_set(&cut);
    assert!(
        partial.len() < row_set(&whole).len(),
        "the run was cut short"
    );
    // Without --resume the interrupted run is not silently overwritten.
    assert!(redline
        .fails(&["batch", "screen", text(&customers), "--out", text(&cut)])
        .contains("pass --resume"));
    redline.ok(&[
        "batch",
        "screen",
        text(&customers),
        "--out",
        text(&cut),
        "--chunk-rows",
        "250",
        "--resume",
    ]);
    assert_eq!(row_set(&cut), row_set(&whole));
    assert!(!progress.exists());
}

#[test]
fn stored_subjects_are_rescreened_against_the_23_february_2024_designations() {
    let redline = Redline::new();
    redline.ok(&[
        "lists",
        "load",
        "--source",
        "ofac-sdn",
        text(&fixture("ofac/sdn-2024-02-20.csv")),
        "--published",
        "2024-02-20",
    ]);
    // Customers: two of the 23 February designees (spelt their own way) and ordinary people.
    let customers = redline.scratch(
        "customers.csv",
        "id,name,country\n\
         c1,Timur Nailevich Shagivaleev,RU\n\
         c2,John Smith,US\n\
         c3,Vladimir Poutine,RU\n"
            .as_bytes(),
    );
    let imported = redline.json(&["subjects", "import", text(&customers), "--json"]);
    assert_eq!(imported["imported"], 3);
    assert_eq!(imported["subjects_with_matches"], 1, "{imported}");
    // The update: loading the new version rescreens the stored subjects.
    let load = redline.run(&[
        "lists",
        "load",
        "--source",
        "ofac-sdn",
        text(&fixture("ofac/sdn-2024-02-23.csv")),
        "--published",
        "2024-02-23",
    ]);
    let (_, stderr) = outputs(&load);
    assert!(load.status.success(), "{stderr}");
    assert!(stderr.contains("new match: subject c1"), "{stderr}");
    assert!(
        !stderr.contains("subject c2") && !stderr.contains("subject c3"),
        "{stderr}"
    );
    // Nothing changed since: a manual rescreen finds nothing new.
    let again = redline.json(&["subjects", "rescreen", "--json"]);
    assert_eq!(array(again["new"].clone()).len(), 0, "{again}");
    // Rescreening since the old version again reports c1 as new only if not yet known.
    let since = redline.json(&[
        "subjects",
        "rescreen",
        "--since",
        "ofac-sdn@2024-02-20",
        "--json",
    ]);
    assert_eq!(
        array(since["new"].clone()).len(),
        0,
        "c1's match is already stored: {since}"
    );
    assert!(since["added_entities"].as_u64().unwrap() > 500, "{since}");
}

#[test]
fn a_rouble_payment_is_held_by_default_and_passed_on_evidence_then_replayed() {
    let redline = Redline::new();
    // A real MT103 made a SWIFT-RUR rouble payment: a Russian receiving bank, RUB,
    // a beneficiary line `INN…KPP…` with a valid INN that no list carries.
    let original =
        std::fs::read_to_string(fixture("payments/swift_mt/MT103_custom_mt_mx_fin3.fin"))
            .unwrap()
            .replace("\r\n", "\n");
    let message = original
        .replace("I103HANYUS33XXXXN", "I103RZBMRUMMXXXXN")
        .replace("USD100,", "RUB100000,")
        .replace(
            ":59:/15236859635\nZHEJIANG LANXI SHANYE",
            ":59:/40702810400000000002\nINN5024008128.KPP502401001\nOOO ROMASHKA",
        )
        .replace("/INS/NHMJKIIIIJMKIOLLPOUJI\n", "");
    let file = redline.scratch("rouble.fin", message.as_bytes());
    let held = redline.run(&["payment", "screen", text(&file)]);
    assert_eq!(held.status.code(), Some(1), "{}", outputs(&held).0);
    assert!(outputs(&held).0.contains("receiver country RU"));
    let passed = redline.run(&[
        "payment",
        "screen",
        text(&file),
        "--policy",
        "russia-evidence",
        "--json",
    ]);
    assert_eq!(passed.status.code(), Some(0), "{}", outputs(&passed).0);
    let decision: Value = serde_json::from_str(&outputs(&passed).0).unwrap();
    assert_eq!(decision["decision"], "PASS");
    let beneficiary = decision["evidence"]["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["role"] == "beneficiary_customer")
        .cloned()
        .unwrap();
    assert_eq!(beneficiary["identified_by"], "INN 5024008128", "{decision}");
    let id = decision["decision_id"].as_i64().unwrap().to_string();
    let replay = redline.run(&["audit", "replay", &id]);
    assert_eq!(replay.status.code(), Some(0), "{}", outputs(&replay).0);
    assert!(outputs(&replay).0.contains("PASS again, identical"));

    // The corpus measurement: every payment held by default, no linked one passed
    // on evidence, nothing recorded.
    let unlisted = redline_testdata::bench("negatives-orgs.jsonl");
    let measured = redline.run(&[
        "payment",
        "measure",
        "--unlisted",
        text(&unlisted),
        "--per-class",
        "4",
        "--json",
    ]);
    assert_eq!(measured.status.code(), Some(0), "{}", outputs(&measured).1);
    let report: Value = serde_json::from_str(&outputs(&measured).0).unwrap();
    assert_eq!(report["messages"], 36);
    assert_eq!(report["policies"][0]["held"], 36, "{report}");
    assert_eq!(report["linked_passed"].as_array().unwrap().len(), 0);
    let held_on_evidence = report["policies"][1]["held"].as_u64().unwrap();
    assert!((20..36).contains(&held_on_evidence), "{report}");
}

#[test]
fn payment_decisions_exit_codes_replay_and_a_tamper_evident_audit_trail() {
    let redline = Redline::new();
    let clean = fixture("payments/swift_mt/MT103_c_53_5_mt_mx_finMessage_535_A_B.fin");
    let original = std::fs::read_to_string(&clean).unwrap();
    let with_kret = redline.scratch(
        "mt103-kret.fin",
        original
            .replace(
                ":70:/ROC/E2E04044506271305",
                ":70:PAYMENT FOR SPARE PARTS VIA JSC CONCERN RADIO ELECTRONIC TECHNOLOGIES",
            )
            .as_bytes(),
    );
    let broken = redline.scratch("broken.fin", original.replace("-}", "").as_bytes());

    let pass = redline.run(&["payment", "screen", text(&clean), "--json"]);
    assert_eq!(pass.status.code(), Some(0), "{}", outputs(&pass).0);
    let held = redline.run(&["payment", "screen", text(&with_kret), "--json"]);
    assert_eq!(held.status.code(), Some(1));
    let decision: Value = serde_json::from_str(&outputs(&held).0).unwrap();
    assert_eq!(decision["decision"], "HOLD");
    let hit = &decision["hits"][0];
    assert_eq!(
        (hit["field"].as_str(), hit["entity_id"].as_str()),
        (Some(":70:"), Some("ofac-sdn:16868")),
        "{decision}"
    );
    let id = decision["decision_id"].as_i64().unwrap().to_string();
    let err = redline.run(&["payment", "screen", text(&broken), "--json"]);
    assert_eq!(
        err.status.code(),
        Some(3),
        "a message that cannot be parsed is an error"
    );
    let answer: Value = serde_json::from_str(&outputs(&err).0).unwrap();
    assert_eq!(answer["decision"], "HOLD", "never PASS");
    assert!(
        answer["error"].as_str().unwrap().contains("block 4"),
        "{answer}"
    );

    // The decision replays to the same result on its recorded lists and policy, even
    // after a newer list version has become active.
    redline.ok(&[
        "lists",
        "load",
        "--source",
        "ofac-sdn",
        text(&fixture("ofac/sdn-2024-02-20.csv")),
        "--published",
        "2024-02-20",
        "--no-rescreen",
    ]);
    let replay = redline.run(&["audit", "replay", &id]);
    assert_eq!(replay.status.code(), Some(0), "{}", outputs(&replay).0);
    assert!(outputs(&replay).0.contains("HOLD again, identical"));

    // The audit trail holds — bundled and loaded lists, three payment decisions, two
    // alerts — until a row is edited behind Redline's back.
    let trail: Vec<Value> = redline
        .ok(&["audit", "export"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actions: Vec<&str> = trail
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "lists.load").count(),
        3,
        "{actions:?}"
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "screening.payment")
            .count(),
        3,
        "{actions:?}"
    );
    assert_eq!(
        actions.iter().filter(|a| **a == "alert.raise").count(),
        2,
        "{actions:?}"
    );
    assert!(redline
        .ok(&["audit", "verify"])
        .contains(&format!("intact: {} entries", trail.len())));
    let held = trail
        .iter()
        .find(|e| {
            e["action"] == "screening.payment" && e["body"].as_str().unwrap().contains("HOLD")
        })
        .unwrap()["seq"]
        .as_i64()
        .unwrap();
    let db = redline.dir.path().join("store/redline.db");
    let status = Command::new("python3")
        .args(["-c", &format!(
            "import sqlite3; c = sqlite3.connect({:?}); c.execute(\"UPDATE audit_log SET body = replace(body, 'HOLD', 'PASS') WHERE seq = {held}\"); c.commit()",
            db.display().to_string()
        )])
        .status()
        .unwrap();
    assert!(status.success());
    let verify = redline.run(&["audit", "verify"]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(
        outputs(&verify)
            .0
            .contains(&format!("BROKEN at entry {held}")),
        "{}",
        outputs(&verify).0
    );
}

#[test]
fn ownership_derives_blocks_explains_them_and_screening_says_so() {
    let redline = Redline::new();
    redline.ok(&[
        "lists",
        "load",
        "--source",
        "opensanctions",
        text(&fixture("opensanctions/zala-entities.ftm.json")),
        "--no-rescreen",
    ]);
    // The real ZALA cluster: LLC CST is owned 51% by ZAKHAROV and 49% by Kalashnikov.
    let derived = redline.json(&["ownership", "derived", "--json"]);
    let cst = array(derived["derived"].clone())
        .into_iter()
        .find(|d| d["entity_name"] == "LLC CST")
        .unwrap_or_else(|| panic!("{derived:#}"));
    assert_eq!(cst["rule"], "ofac-50");
    assert_eq!(cst["aggregate_percent"], 100.0);
    let id = str_field(&cst, "entity_id");
    let why = redline.ok(&["ownership", "explain", &id]);
    assert!(
        why.contains("ZAKHAROV") && why.contains("Kalashnikov"),
        "{why}"
    );
    let screened = redline.json(&["screen", "LLC CST", "--json"]);
    // OFAC lists it too (as an alias of A LEVEL AEROSYSTEMS); the OpenSanctions entry
    // carries the derived block.
    let hit = array(screened["matches"].clone())
        .into_iter()
        .find(|m| m["entity_id"] == id.as_str())
        .unwrap_or_else(|| panic!("{screened:#}"));
    assert_eq!(hit["derived"]["rule"], "ofac-50", "{hit}");

    // FAQ 401 through an operator file: X (listed) owns 50% of A and of B; A and B own
    // 25% each of C. A, B and C are blocked; 49.9% would not be.
    let x = "opensanctions:NK-aU5ybkbRFJucf8YMwsJvDw";
    let csv = format!(
        "owner,owned,percent,relation,source,as_of\n\
         {x},local:Alpha Holdings,50,ownership,registry,2024-01-01\n\
         {x},local:Beta Holdings,50,ownership,registry,2024-01-01\n\
         local:Alpha Holdings,local:Gamma Trading,25,ownership,registry,2024-01-01\n\
         local:Beta Holdings,local:Gamma Trading,25,ownership,registry,2024-01-01\n\
         {x},local:Delta Shell,49.9,ownership,registry,2024-01-01\n"
    );
    let file = redline.scratch("stakes.csv", csv.as_bytes());
    let loaded = redline.ok(&["ownership", "load", text(&file)]);
    assert!(loaded.contains("loaded ownership@"), "{loaded}");
    let derived = redline.json(&["ownership", "derived", "--json"]);
    let ids: Vec<String> = array(derived["derived"].clone())
        .iter()
        .map(|d| str_field(d, "entity_id"))
        .collect();
    for blocked in [
        "local:Alpha Holdings",
        "local:Beta Holdings",
        "local:Gamma Trading",
    ] {
        assert!(ids.iter().any(|n| n == blocked), "{blocked} in {ids:?}");
    }
    assert!(
        !ids.iter().any(|n| n == "local:Delta Shell"),
        "49.9% is not 50%"
    );
    // The operator's unlisted company, blocked by ownership, is found by name — and
    // says why.
    let gamma = redline.json(&["screen", "Gamma Trading", "--json"]);
    // The second screening reads the index snapshot, with the blocks it carries.
    let again = redline.json(&["screen", "Gamma Trading", "--json"]);
    assert_eq!(again["matches"], gamma["matches"]);
    let hit = array(gamma["matches"].clone())
        .into_iter()
        .find(|m| m["entity_id"] == "local:Gamma Trading")
        .unwrap_or_else(|| panic!("{gamma:#}"));
    assert_eq!(hit["derived"]["rule"], "ofac-50", "{hit}");
    assert_eq!(hit["derived"]["aggregate_percent"], 50.0);
    let why = redline.ok(&["ownership", "explain", "local:Gamma Trading"]);
    assert!(
        why.contains("local:Alpha Holdings")
            && why.contains("local:Beta Holdings")
            && why.contains("ZAKHAROV"),
        "{why}"
    );
    // A payment to it is stopped and says why; the decision records the ownership
    // file with the list versions, and replays to the same answer after another
    // ownership file has changed what is derived.
    let sample = std::fs::read_to_string(fixture(
        "payments/iso20022/cbprplus/cbprplus_p.2.1.1_pacs.008-AtoB.xml",
    ))
    .unwrap();
    let message = redline.scratch(
        "to-gamma.xml",
        sample
            .replacen("<Nm>Evli</Nm>", "<Nm>Gamma Trading</Nm>", 1)
            .as_bytes(),
    );
    let paid = redline.run(&["payment", "screen", text(&message), "--json"]);
    let decision: Value = serde_json::from_str(&outputs(&paid).0).unwrap();
    assert_ne!(decision["decision"], "PASS", "{decision}");
    let hit = array(decision["hits"].clone())
        .into_iter()
        .find(|h| h["entity_id"] == "local:Gamma Trading")
        .unwrap_or_else(|| panic!("{decision:#}"));
    assert_eq!(hit["derived"]["rule"], "ofac-50", "{hit}");
    assert!(
        array(decision["list_versions"].clone())
            .iter()
            .any(|v| v.as_str().is_some_and(|v| v.starts_with("ownership@"))),
        "{decision}"
    );
    let more = redline.scratch(
        "more.csv",
        format!(
            "owner,owned,percent,relation,source,as_of
{x},local:Gamma Trading,30,ownership,registry,2024-06-01
"
        )
        .as_bytes(),
    );
    redline.ok(&["ownership", "load", text(&more)]);
    let replay = redline.run(&[
        "audit",
        "replay",
        &decision["decision_id"].as_i64().unwrap().to_string(),
    ]);
    assert_eq!(replay.status.code(), Some(0), "{}", outputs(&replay).0);
    assert!(
        outputs(&replay).0.contains("identical"),
        "{}",
        outputs(&replay).0
    );

    // A broken file is refused and names the line.
    let bad = redline.scratch("bad.csv", format!("owner,owned,percent,relation,source,as_of\n{x},Omega,fifty,ownership,r,\nofac-sdn:0,Omega,10,ownership,r,\n").as_bytes());
    let out = redline.run(&["ownership", "load", text(&bad)]);
    assert_eq!(out.status.code(), Some(1), "refused rows: a partial file");
    let out = outputs(&out).0;
    assert!(
        out.contains("bad.csv:2:") && out.contains("bad.csv:3:"),
        "{out}"
    );
}

/// A file written by us in a published format (`fixtures/`, see its README).
fn written_fixture(rel: &str) -> PathBuf {
    redline_testdata::repo_root().join("fixtures").join(rel)
}

/// The entity ids blocked under `policy` (`ofac` or `eu-uk`), with `--as-of` if given.
fn derived_ids(redline: &Redline, policy: &str, as_of: Option<&str>) -> Vec<String> {
    let mut args = vec!["ownership", "derived", "--json", "--policy", policy];
    if let Some(day) = as_of {
        args.extend(["--as-of", day]);
    }
    array(redline.json(&args)["derived"].clone())
        .iter()
        .map(|d| str_field(d, "entity_id"))
        .collect()
}

#[test]
fn ownership_files_name_owners_as_registers_write_them_faq_401() {
    let local = |name: &str| format!("local:name:{name}");
    let (a, b, c) = (
        local("company a llc"),
        local("company b ltd"),
        local("company c ltd"),
    );
    // The listed owner by his SDN name, and in Cyrillic: found by the matching engine.
    for file in ["faq401.csv", "faq401-cyrillic.csv"] {
        let redline = Redline::new();
        let out = redline.ok(&[
            "ownership",
            "load",
            text(&written_fixture(&format!("ownership/{file}"))),
        ]);
        assert!(out.contains("4 stakes; 0 rows refused"), "{file}: {out}");
        let blocked = derived_ids(&redline, "ofac", None);
        for company in [&a, &b, &c] {
            assert!(
                blocked.contains(company),
                "{file}: {company} in {blocked:?}"
            );
        }
        let why = redline.ok(&["ownership", "explain", &c]);
        assert!(
            why.contains("ofac-sdn:16669") && why.contains("25% owned by Company A LLC"),
            "{why}"
        );
        if file.contains("cyrillic") {
            assert!(why.contains("owner by name match 1.00"), "{why}");
        }
        // The unlisted company blocked by ownership is found by screening its name.
        let screened = redline.json(&["screen", "Company C Ltd", "--json"]);
        let hit = &screened["matches"][0];
        assert_eq!(hit["entity_id"], c.as_str(), "{screened:#}");
        assert_eq!(hit["derived"]["rule"], "ofac-50", "{hit}");
    }
    let redline = Redline::new();
    redline.ok(&[
        "ownership",
        "load",
        text(&written_fixture("ownership/faq401-49.9.csv")),
    ]);
    let blocked = derived_ids(&redline, "ofac", None);
    for company in [&a, &b, &c] {
        assert!(
            !blocked.contains(company),
            "49.9%: {company} in {blocked:?}"
        );
    }
}

/// With every list, one party is often written exactly alike on several (the SDN and
/// the CSL's copy of it): such a name is on the lists for certain and is not refused
/// as ambiguous — the engine says which entry, also for a company that is only owned.
#[test]
fn a_name_exactly_on_several_lists_is_one_party_not_an_ambiguity() {
    let redline = Redline::with_every_bundled_list();
    let file = redline.scratch(
        "stakes.csv",
        "owner,owned,percent\n\
         \"ROTENBERG, Arkady Romanovich\",PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA,1\n\
         \"ROTENBERG, Arkady Romanovich\",Sber Example Leasing LLC,60\n"
            .as_bytes(),
    );
    let loaded = redline.json(&["ownership", "load", text(&file), "--json"]);
    assert_eq!(loaded["refused"], 0, "{loaded:#}");
    assert_eq!(loaded["stakes"], 2, "{loaded:#}");
    assert!(derived_ids(&redline, "ofac", None)
        .contains(&"local:name:sber example leasing llc".to_string()));
}

#[test]
fn uk_psc_bands_block_through_a_corporate_psc_and_25_to_50_is_a_lead() {
    let redline = Redline::new();
    let file = written_fixture("ownership/psc-snapshot.jsonl");
    let loaded = redline.json(&["ownership", "load", text(&file), "--json"]);
    assert_eq!(loaded["format"], "uk-psc");
    assert_eq!(loaded["refused"], 0, "{loaded:#}");
    // The statement and the super-secure PSC are reported, not refused.
    let kinds: Vec<String> = array(loaded["issues"].clone())
        .iter()
        .map(|i| str_field(i, "kind"))
        .collect();
    assert_eq!(kinds, ["not_a_stake", "not_a_stake"], "{loaded:#}");
    let blocked = derived_ids(&redline, "ofac", None);
    // 75-100 % by the listed person; 50-75 % of the next by that company (a corporate
    // PSC known by its company number); the 25-50 % holding and the ceased one not.
    assert!(
        blocked.contains(&"local:no:09000001".to_string()),
        "{blocked:?}"
    );
    assert!(
        blocked.contains(&"local:no:09000002".to_string()),
        "{blocked:?}"
    );
    assert!(!blocked.contains(&"local:no:09000003".to_string()));
    assert!(!blocked.contains(&"local:no:09000006".to_string()));
    let lead = array(loaded["leads"].clone())
        .into_iter()
        .find(|l| l["entity_id"] == "local:no:09000003")
        .unwrap_or_else(|| panic!("{loaded:#}"));
    assert_eq!(lead["kind"], "share_band");
    assert_eq!(
        lead["stake"]["percent_range"],
        serde_json::json!([25.0, 50.0])
    );
    let why = redline.ok(&["ownership", "explain", "local:no:09000002"]);
    assert!(
        why.contains("at least 50%")
            && why.contains("50% to 75% owned by NEVA MARINE HOLDINGS LIMITED")
            && why.contains("75% to 100% owned by ROTENBERG, Arkady Romanovich (ofac-sdn:16669)")
            && why.contains("psc-snapshot.jsonl:2 (uk-psc), ownership-of-shares-50-to-75-percent"),
        "{why}"
    );
    // The holding that ceased on 2021-03-01 blocked before it.
    let then = derived_ids(&redline, "ofac", Some("2020-01-01"));
    assert!(then.contains(&"local:no:09000006".to_string()), "{then:?}");
}

#[test]
fn a_partial_ownership_file_loads_its_good_rows_reports_the_rest_and_says_so() {
    let redline = Redline::new();
    let file = written_fixture("ownership/partial.csv");
    let map = "owner=Shareholder,owned=Company,percent=Share %,owned_number=Company number";
    let out = redline.run(&["ownership", "load", text(&file), "--map", map, "--json"]);
    assert_eq!(out.status.code(), Some(1), "partial");
    let loaded: Value = serde_json::from_str(&outputs(&out).0).expect("JSON");
    assert_eq!(loaded["stakes"], 2);
    assert_eq!(loaded["refused"], 2);
    let issues: Vec<(String, String)> = array(loaded["issues"].clone())
        .iter()
        .map(|i| (str_field(i, "kind"), str_field(i, "location")))
        .collect();
    let at = |line: u32| format!("{}:{line}", text(&file));
    assert_eq!(
        issues,
        [
            ("malformed_row".to_string(), at(3)),
            ("unknown_number".to_string(), at(4)),
        ]
    );
    let lead = array(loaded["leads"].clone())
        .into_iter()
        .find(|l| l["kind"] == "doubtful_owner")
        .unwrap_or_else(|| panic!("{loaded:#}"));
    assert_eq!(lead["entity_id"], "local:no:7810000003");
    assert_eq!(lead["stake"]["owner_status"]["entity_id"], "ofac-sdn:16669");
    let score = lead["stake"]["owner_status"]["score"]
        .as_f64()
        .expect("score");
    assert!((0.70..0.84).contains(&score), "{score}");
    // The good row blocks; the doubtful owner's company is a lead, not blocked.
    let blocked = derived_ids(&redline, "ofac", None);
    assert!(blocked.contains(&"local:no:7810000001".to_string()));
    assert!(!blocked.contains(&"local:no:7810000003".to_string()));
    // Accepted as partial, the same file exits 0 (it is already stored).
    let again = redline.run(&[
        "ownership",
        "load",
        text(&file),
        "--map",
        map,
        "--accept-partial",
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", outputs(&again).0);
}

#[test]
fn gleif_consolidation_and_bods_shares_block_with_their_reasons() {
    let redline = Redline::new();
    redline.ok(&[
        "ownership",
        "load",
        text(&written_fixture("ownership/gleif-lei.csv")),
    ]);
    let rr = redline.json(&[
        "ownership",
        "load",
        text(&written_fixture("ownership/gleif-rr.csv")),
        "--json",
    ]);
    assert_eq!(rr["format"], "gleif-rr");
    let child = "local:no:984500EXAMPLE0CHILD1";
    assert!(derived_ids(&redline, "ofac", None).contains(&child.to_string()));
    let why = redline.ok(&["ownership", "explain", child, "--policy", "eu-uk"]);
    assert!(
        why.contains("IS_DIRECTLY_CONSOLIDATED_BY") && why.contains("owner by name match"),
        "{why}"
    );
    // The former subsidiary: consolidation without a share is control (EU/UK), and
    // only while the relationship lasted.
    let former = "local:no:984500EXAMPLE0CHILD2".to_string();
    assert!(derived_ids(&redline, "eu-uk", Some("2019-06-01")).contains(&former));
    assert!(!derived_ids(&redline, "eu-uk", None).contains(&former));
    assert!(!derived_ids(&redline, "ofac", Some("2019-06-01")).contains(&former));

    let bods = redline.json(&[
        "ownership",
        "load",
        text(&written_fixture("ownership/bods.json")),
        "--json",
    ]);
    assert_eq!(bods["format"], "bods");
    assert_eq!(bods["stakes"], 2);
    let blocked = derived_ids(&redline, "ofac", None);
    assert!(
        blocked.contains(&"local:no:09000010".to_string()),
        "{blocked:?}"
    );
    assert!(
        blocked.contains(&"local:no:09000011".to_string()),
        "{blocked:?}"
    );
}

#[test]
fn trade_screening_holds_chpl_goods_routed_to_russia_and_passes_them_elsewhere() {
    let redline = Redline::new();
    let trade = |route: &str| {
        format!(
            r#"{{"parties": [{{"role": "seller", "name": "Shenzhen Bright Chips Trading Co., Ltd", "country": "CN"}},
                            {{"role": "buyer", "name": "Nordic Components BV", "country": "NL"}}],
                "goods": [{{"hs_code": "8542.31.0000", "description": "microcontrollers STM32F407", "quantity": 5000}}],
                "route": {route}}}"#
        )
    };
    let hub = redline.scratch(
        "hub.json",
        trade(r#"{"origin": "Shenzhen", "transit": ["Almaty"], "destination": "Moscow"}"#)
            .as_bytes(),
    );
    let out = redline.run(&["trade", "screen", text(&hub), "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", outputs(&out).0);
    let d: Value = serde_json::from_str(&outputs(&out).0).unwrap();
    assert_eq!(d["decision"], "HOLD");
    let goods = array(d["reasons"].clone())
        .into_iter()
        .find(|r| r["scope"] == "goods")
        .unwrap_or_else(|| panic!("{d:#}"));
    assert!(goods.to_string().contains("8542.31"), "{goods}");
    assert!(d["goods_list_version"]
        .as_str()
        .unwrap()
        .starts_with("chpl-2024-02-23@"));
    assert!(d["alert_id"].as_i64().is_some());
    let clean = redline.scratch(
        "clean.json",
        trade(r#"{"origin": "Shenzhen", "transit": [], "destination": "Rotterdam"}"#).as_bytes(),
    );
    let out = redline.run(&["trade", "screen", text(&clean), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", outputs(&out).0);
    // An operator's own goods list in the same CSV shape (here: one line naming cotton
    // t-shirts, which the CHPL does not) is used and named in the decision.
    let shirts = redline.scratch(
        "t-shirts.json",
        trade(r#"{"origin": "Shenzhen", "transit": [], "destination": "Moscow"}"#)
            .replace("8542.31.0000", "6109.10.0000")
            .replace("microcontrollers STM32F407", "cotton t-shirts")
            .as_bytes(),
    );
    let annex = redline.scratch(
        "annex.csv",
        b"hs_code,description,tier_or_category,source\n6109.10,T-shirts of cotton,Annex,operator test list\n",
    );
    let out = redline.run(&[
        "trade",
        "screen",
        text(&shirts),
        "--goods-list",
        text(&annex),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "listed goods to Moscow: HOLD");
    let d: Value = serde_json::from_str(&outputs(&out).0).unwrap();
    assert!(
        d["goods_list_version"]
            .as_str()
            .unwrap()
            .starts_with("annex@"),
        "{d:#}"
    );
    assert!(d.to_string().contains("6109.10"), "{d:#}");
    let bad = redline.scratch("bad.json", br#"{"goods": [{"hs_code": "8542.31", "#);
    let out = redline.run(&["trade", "screen", text(&bad)]);
    assert_eq!(out.status.code(), Some(3));
    assert!(outputs(&out).1.contains("bad.json"), "{}", outputs(&out).1);
}

/// `redline compare` on the public OpenSanctions Pairs sample: one result line per
/// pair, and the same-party decisions agree with the human judgements (F1 ≥ 0.95).
/// Two people of one name with different national ids are two; two companies that
/// share only their tax office's KPP are two.
#[test]
fn compare_judges_pairs_of_records_as_people_did() {
    let redline = Redline::new();
    let pairs = redline_testdata::bench("pairs.jsonl");
    let out = redline.dir.path().join("compared.jsonl");
    let summary = redline.json(&[
        "compare",
        "--input",
        text(&pairs),
        "--output",
        text(&out),
        "--json",
    ]);
    let overall = &summary["overall"];
    assert_eq!(overall["pairs"], 311, "{summary}");
    assert!(overall["f1"].as_f64().unwrap() >= 0.95, "{summary}");
    assert!(summary["by_schema"]["Person"]["f1"].as_f64().unwrap() >= 0.95);
    assert!(summary["lists"][0]
        .as_str()
        .unwrap()
        .starts_with("ofac-sdn@"));

    let results: BTreeMap<String, Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["id"].as_str().unwrap().to_string(), v)
        })
        .collect();
    assert_eq!(results.len(), 311);
    let adjustments = |id: &str| -> Vec<String> {
        results[id]["explanation"]["adjustments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["feature"].as_str().unwrap().to_string())
            .collect()
    };
    // `Muhammad Naveed` twice, with different CNICs.
    let naveed = &results["pp-0119"];
    assert_eq!(naveed["same"], false, "{naveed}");
    assert!(adjustments("pp-0119").contains(&"identifier_conflict".to_string()));
    // `ООО "410"` twice, one KPP, two INNs.
    assert_eq!(results["pp-0122"]["same"], false, "{}", results["pp-0122"]);
    // A positive across scripts, explained.
    let positive = results
        .values()
        .find(|r| r["judgement"] == "positive" && r["same"] == true)
        .unwrap();
    for field in ["query_side", "query_name", "matched_name", "tokens"] {
        assert!(
            !positive["explanation"][field].is_null(),
            "{field}: {positive}"
        );
    }

    // A pair without its second record is refused by line.
    let bad = redline.scratch(
        "bad.jsonl",
        br#"{"id": "x", "left": {"id": "a", "schema": "Person", "properties": {"name": ["Ivan Petrov"]}}}"#,
    );
    let err = redline.fails(&["compare", "--input", text(&bad)]);
    assert!(
        err.contains("bad.jsonl:1") && err.contains("\"right\""),
        "{err}"
    );
}

/// `redline search` looks parties up by part of their name — ranked, explained, no
/// alert raised — and a batch of judged look-ups reports where the expected entity
/// was found.
#[test]
fn search_looks_parties_up_by_part_of_their_name() {
    let redline = Redline::new();
    let out = redline.ok(&["search", "maduro"]);
    let first_lines: Vec<&str> = out
        .lines()
        .filter(|l| !l.starts_with(' '))
        .take(5)
        .collect();
    assert!(
        first_lines
            .iter()
            .any(|l| l.contains("MADURO MOROS, Nicolas")),
        "{out}"
    );
    assert!(out.contains("tokens: maduro→maduro"), "{out}");
    let rosneft = redline.json(&["search", "Rosnef", "--json"]);
    assert_eq!(
        rosneft["matches"][0]["entity_id"], "ofac-sdn:18299",
        "{rosneft}"
    );
    assert!(rosneft["total"].as_u64().unwrap() >= 1);
    let vessel = redline.json(&["search", "IMO 9187629", "--json", "--limit", "1"]);
    assert_eq!(vessel["matches"][0]["entity_id"], "ofac-sdn:15036");
    let venezuelan = redline.json(&["search", "maduro", "--country", "Venezuela", "--json"]);
    // Every result is linked to Venezuela.
    assert_eq!(
        venezuelan["facets"]["countries"]["ve"], venezuelan["total"],
        "{venezuelan}"
    );
    // Words of an address find the entity that lives there.
    let camp = redline.json(&["search", "Kajuju camp", "--json"]);
    assert_eq!(camp["matches"][0]["entity_id"], "un-sc:6908834", "{camp}");
    assert_eq!(
        camp["matches"][0]["explanation"]["adjustments"][0]["feature"],
        "address"
    );
    let err = redline.fails(&["search", "maduro", "--country", "Atlantis"]);
    assert!(err.contains("Atlantis"), "{err}");
    // A look-up is not a screening: no alert.
    let alerts = redline.json(&["alerts", "list", "--json"]);
    assert!(alerts["alerts"].as_array().unwrap().is_empty(), "{alerts}");

    let input = redline.scratch(
        "lookups.jsonl",
        "{\"id\": 1, \"name\": \"Ротенберг\", \"expected\": [\"ofac-sdn:18310\", \"ofac-sdn:35314\", \"ofac-sdn:24183\"], \"class\": \"other_script\"}\n\
         {\"id\": 2, \"name\": \"Rosnef\", \"expected\": [\"ofac-sdn:18299\"], \"class\": \"prefix\"}\n\
         {\"id\": 3, \"name\": \"\"}\n"
            .as_bytes(),
    );
    let output = redline.dir.path().join("found.jsonl");
    let summary = redline.ok(&["search", "--input", text(&input), "--output", text(&output)]);
    assert!(
        summary.contains("3 queries searched, 1 refused"),
        "{summary}"
    );
    assert!(
        summary
            .lines()
            .any(|l| l.starts_with("overall") && l.contains("1.0000  1.0000")),
        "{summary}"
    );
    let lines: Vec<Value> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["id"], 2);
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .contains("lookups.jsonl:3"));
}

/// A downloaded list with under half the entries of the active version is held back
/// (a download cut short can still be valid XML); `--accept-shrink` activates it.
#[test]
fn an_update_that_lost_half_the_list_is_held_back() {
    let redline = Redline::new();
    let before = redline.active();
    let full = std::fs::read_to_string(fixture("un/consolidated-2026-02-27.xml")).unwrap();
    // The same file with only its first 50 individuals: well-formed, 323 entities.
    let starts: Vec<usize> = full.match_indices("<INDIVIDUAL>").map(|(i, _)| i).collect();
    let end = full.find("</INDIVIDUALS>").unwrap();
    let cut = format!("{}{}", &full[..starts[50]], &full[end..]);
    let (port, server) = serve_un_list(cut.into_bytes(), 2);
    let url = format!("un-sc=http://127.0.0.1:{port}/consolidated.xml");
    let err = redline.fails(&["lists", "update", "--source", "un-sc", "--url", &url]);
    assert!(
        err.contains("held back, not activated")
            && err.contains("323 entities")
            && err.contains("1003"),
        "{err}"
    );
    assert_eq!(redline.active(), before);
    let out = redline.ok(&[
        "lists",
        "update",
        "--source",
        "un-sc",
        "--url",
        &url,
        "--accept-shrink",
    ]);
    assert!(out.contains("(323 entities"), "{out}");
    assert_ne!(redline.active()["un-sc"], before["un-sc"]);
    server.join().unwrap();
}

/// `lists update` fetches every source Redline reads, each from its own address (a
/// server on 127.0.0.1 serving the real files here), and activates what it loaded.
#[test]
fn update_fetches_every_source_from_its_address() {
    let redline = Redline::new();
    let sources = [
        ("us-csl", "us_csl/consolidated-2022-05.csv", 4_087),
        ("eu-fsf", "eu_fsf/fsf-sample-2020-04-15.xml", 6),
        (
            "au-dfat",
            "au_dfat/regulation8_consolidated-2024-11-11.xlsx",
            3_062,
        ),
        ("ca-sema", "ca_sema/sema-lmes-2020-04.xml", 1_369),
        ("jp-mof", "jp_mof/shisantouketsu-2026-03-05.xlsx", 2_861),
        ("jp-meti", "jp_meti/end-user-list-2025-09-29.xlsx", 835),
        ("uk-hmt", "uk_ofsi/ConList-2025-04-14.xlsx", 4_688),
    ];
    let files: Vec<Served> = sources
        .iter()
        .map(|(source, rel, _)| {
            let name = rel.rsplit('/').next().unwrap();
            (
                format!("/{source}/{name}"),
                std::fs::read(fixture(rel)).unwrap(),
                None,
            )
        })
        .collect();
    let (port, server) = serve_files(files, sources.len());
    let urls: Vec<String> = sources
        .iter()
        .map(|(source, rel, _)| {
            let name = rel.rsplit('/').next().unwrap();
            format!("{source}=http://127.0.0.1:{port}/{source}/{name}")
        })
        .collect();
    let mut args = vec!["lists", "update"];
    for url in &urls {
        args.extend(["--url", url.as_str()]);
    }
    redline.ok(&args);
    let status = redline.status();
    for (source, _, entities) in sources {
        assert_eq!(
            version_of(&status, source)["entities"],
            entities,
            "{source}"
        );
    }
    assert_eq!(server.join().unwrap().len(), sources.len());
}

#[test]
fn serve_updates_the_lists_on_a_schedule() {
    let redline = Redline::new();
    let key = str_field(
        &redline.json(&["keys", "create", "--role", "admin", "--json"]),
        "key",
    );
    let served = vec![(
        "/ConList.xlsx".to_string(),
        std::fs::read(fixture("uk_ofsi/ConList-2025-04-14.xlsx")).unwrap(),
        None,
    )];
    let (port, files) = serve_files(served, 1);
    let url = format!("uk-hmt=http://127.0.0.1:{port}/ConList.xlsx");
    // A malformed address is refused before serving, not on every run.
    let stderr = redline.fails(&[
        "serve",
        "--update-every-secs",
        "1",
        "--update-url",
        "uk-hmt",
    ]);
    assert!(stderr.contains("expected SOURCE=URL"), "{stderr}");

    let (mut server, base, _stdout) = redline.serve(
        &[
            "--watch-interval-secs",
            "1",
            "--update-every-secs",
            "1",
            "--update-source",
            "uk-hmt",
            "--update-url",
            &url,
        ],
        Stdio::null(),
    );
    // The schedule fetched the list, loaded it, and the server reloaded onto it.
    let mut serving = Value::Null;
    for _ in 0..240 {
        std::thread::sleep(Duration::from_millis(500));
        let reply = ureq::get(&format!("{base}/v1/lists"))
            .set("Authorization", &format!("Bearer {key}"))
            .call();
        serving = serde_json::from_str(&reply.unwrap().into_string().unwrap()).unwrap();
        let versions = serving["list_versions"].to_string();
        if versions.contains("uk-hmt@2025-04-14-") {
            break;
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        serving["list_versions"]
            .to_string()
            .contains("uk-hmt@2025-04-14-"),
        "{serving}"
    );
    assert_eq!(files.join().unwrap(), ["/ConList.xlsx"]);
    assert_eq!(version_of(&redline.status(), "uk-hmt")["entities"], 4_688);
}
