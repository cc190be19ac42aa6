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
