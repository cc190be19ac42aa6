//! The test harness every service test uses: a real server on a loopback port over a
//! SQLite store holding real lists, with one API key per role (and a second reviewer).
#![allow(dead_code)]

use std::time::Duration;

use redline_model::SourceId;
use redline_server::{AppState, ServeConfig};
use redline_sources::{parse, InputFile};
use redline_store::{KeyStore, ListStore, NewVersion, Role, SqliteStore};

pub const SDN: &str = "ofac/sdn-2024-05-03.csv";
pub const UN: &str = "un/consolidated-2026-02-27.xml";

pub fn load(
    store: &mut SqliteStore,
    source: SourceId,
    path: &str,
    edit: impl FnOnce(&mut Vec<redline_model::Entity>),
) -> String {
    let bytes = redline_testdata::bytes(path);
    let mut list = parse(
        source,
        &[InputFile {
            name: path,
            bytes: &bytes,
        }],
    )
    .unwrap();
    edit(&mut list.entities);
    let new = NewVersion {
        source,
        published: list.published.clone().or(Some("2024-05-03".into())),
        loaded_at: "2026-11-27T00:00:00Z".into(),
        files: vec![path.into()],
        file_hash: redline_store::sha256_hex(&bytes),
        warnings: 0,
    };
    store.save_version(new, &list.entities).unwrap().0.id
}

pub struct Server {
    pub base: String,
    pub second_reviewer: String,
    pub keys: std::collections::HashMap<Role, String>,
    pub db: std::path::PathBuf,
    pub _dir: tempfile::TempDir,
    pub _stop: tokio::sync::oneshot::Sender<()>,
}

/// Starts a server over a fresh store filled by `fill`, with one key per role.
pub fn start(config: ServeConfig, fill: impl FnOnce(&mut SqliteStore)) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("redline.db");
    let mut store = SqliteStore::open(&db).unwrap();
    fill(&mut store);
    let mut keys = std::collections::HashMap::new();
    let (second, secret) =
        redline_server::auth::mint_key(Role::Review, "second reviewer", "2026-11-27T00:00:00Z")
            .unwrap();
    store
        .create_key(&second, &redline_server::auth::secret_hash(&secret))
        .unwrap();
    let second_reviewer = format!("Bearer {secret}");
    for role in Role::ALL {
        let (key, secret) =
            redline_server::auth::mint_key(role, "test", "2026-11-27T00:00:00Z").unwrap();
        store
            .create_key(&key, &redline_server::auth::secret_hash(&secret))
            .unwrap();
        keys.insert(role, secret);
    }
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let state = AppState::new(config, Box::new(store));
            state.reload(true).await.unwrap();
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            redline_server::serve(listener, state, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(300))
        .expect("server did not start");
    Server {
        base: format!("http://{addr}"),
        second_reviewer,
        keys,
        db,
        _dir: dir,
        _stop: stop,
    }
}

pub fn config() -> ServeConfig {
    ServeConfig {
        watch_interval_secs: 0,
        ..ServeConfig::default()
    }
}

/// A small server over the UN list only: fast to start.
pub fn un_server(config: ServeConfig) -> Server {
    start(config, |store| {
        load(store, SourceId::UnSc, UN, |_| {});
    })
}

/// An answer to [`http`]: what the UI tests look at.
pub struct Reply {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookie: Option<String>,
    pub content_type: String,
    pub text: String,
}

/// One request as a browser sends it, redirects not followed (the tests check them),
/// `headers` sent as given and `form` URL-encoded.
pub fn http(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    form: Option<&[(&str, &str)]>,
) -> Reply {
    let agent = ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(Duration::from_secs(120))
        .build();
    let mut req = agent.request(method, url);
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let res = match form {
        Some(pairs) => req.send_form(pairs),
        None => req.call(),
    };
    let res = match res {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {url}: {e}"),
    };
    Reply {
        status: res.status(),
        location: res.header("location").map(str::to_string),
        set_cookie: res.header("set-cookie").map(str::to_string),
        content_type: res.content_type().to_string(),
        text: res.into_string().unwrap(),
    }
}
