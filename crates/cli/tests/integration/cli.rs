//! The `tsunagari` binary as an operator uses it.

use crate::common;

use common::{BIN, stderr, stdout, tsunagari};

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `serve` process and the URL it printed.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(dir: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .arg("serve")
            .args(args)
            .current_dir(dir)
            .env("TSUNAGARI_LOG", "warn")
            .env("TSUNAGARI_SEARCH_DICTIONARY", "")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start server");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = loop {
            let line = lines.next().expect("server printed its address").unwrap();
            if let Some(url) = line.strip_prefix("tsunagari listening on ") {
                break url.to_owned();
            }
        };
        Server { child, url }
    }

    fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "server did not stop after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

#[test]
fn help_is_available_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    for (args, expected) in [
        (&["--help"][..], "Usage: tsunagari"),
        (&["serve", "--help"][..], "--bind"),
        (&["serve", "--help"][..], "--demo"),
        (&["migrate", "--help"][..], "--database"),
        (&["demo", "--help"][..], "demo data"),
        (&["backup", "--help"][..], "--to"),
    ] {
        let output = tsunagari(dir.path(), args);
        assert!(output.status.success(), "{args:?}");
        assert!(
            stdout(&output).contains(expected),
            "{args:?}: {}",
            stdout(&output)
        );
    }
}

#[test]
fn a_bad_flag_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let output = tsunagari(dir.path(), &["serve", "--port", "80"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unexpected argument '--port'"), "{err}");
    let output = tsunagari(dir.path(), &["serve", "--bind", "nowhere"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output).lines().count(), 1);
}

#[test]
fn an_unreachable_database_is_one_clear_line_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let output = tsunagari(
        dir.path(),
        &[
            "--database",
            "postgres://app:s3cret@127.0.0.1:1/tsunagari",
            "migrate",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: cannot open the database postgres://app:***@127.0.0.1:1/tsunagari"),
        "{err}"
    );
    assert!(!err.contains("s3cret"));
    let output = tsunagari(
        dir.path(),
        &["--database", "sqlite:///no/such/folder/x.db", "migrate"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output).lines().count(), 1);
}

#[test]
fn a_port_in_use_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let output = tsunagari(dir.path(), &["serve", "--bind", &address]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("cannot listen on {address}")),
        "{err}"
    );
}

#[test]
fn migrate_creates_the_sqlite_file_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let output = tsunagari(dir.path(), &["migrate"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let file = dir.path().join("tsunagari.db");
    assert!(file.exists());
    let mode: String = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .unwrap()
    });
    assert_eq!(mode, "wal");
    // Running it again is harmless.
    assert!(tsunagari(dir.path(), &["migrate"]).status.success());
}

#[test]
fn demo_loads_once_and_backup_copies_a_running_database() {
    let dir = tempfile::tempdir().unwrap();
    let output = tsunagari(dir.path(), &["demo"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("sato.aoi@example.jp"));
    assert!(stdout(&output).contains("佐藤 葵"));
    let again = tsunagari(dir.path(), &["demo"]);
    assert!(again.status.success());
    assert!(stdout(&again).contains("already has accounts"));

    let server = Server::start(dir.path(), &["--bind", "127.0.0.1:0"]);
    let output = tsunagari(dir.path(), &["backup", "--to", "copy.db"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let count: i64 = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let url = format!("sqlite://{}", dir.path().join("copy.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&pool)
            .await
            .unwrap()
    });
    assert_eq!(count, 7);
    let output = tsunagari(dir.path(), &["backup", "--to", "copy.db"]);
    assert_eq!(output.status.code(), Some(1), "never overwrites");
    assert!(stderr(&output).contains("already exists"));
    assert!(server.terminate().success());

    let output = tsunagari(
        dir.path(),
        &[
            "--database",
            "postgres://a:b@127.0.0.1:1/c",
            "backup",
            "--to",
            "x.dump",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("pg_dump"));
}

#[test]
fn serve_with_demo_answers_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--bind", "127.0.0.1:0", "--demo"]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (status, body) = runtime.block_on(async {
        let response = reqwest::get(format!("{}/healthz", server.url))
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    });
    assert_eq!(status, 200);
    assert!(body.contains("sqlite"));
    let status = server.terminate();
    assert!(status.success(), "{status:?}");
    assert!(dir.path().join("tsunagari.db").exists());
}

#[test]
fn configuration_comes_from_file_and_environment() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tsunagari.toml"),
        "database_url = \"sqlite://from-file.db\"\nbind = \"127.0.0.1:0\"\n",
    )
    .unwrap();
    let server = Server::start(dir.path(), &[]);
    assert!(server.url.starts_with("http://127.0.0.1:"));
    assert!(server.terminate().success());
    assert!(
        dir.path().join("from-file.db").exists(),
        "the file's database was used"
    );

    let output = Command::new(BIN)
        .arg("migrate")
        .current_dir(dir.path())
        .env("TSUNAGARI_DATABASE_URL", "sqlite://from-env.db")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        dir.path().join("from-env.db").exists(),
        "the environment overrides the file"
    );

    let output = tsunagari(dir.path(), &["--config", "missing.toml", "migrate"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("missing.toml does not exist"));
}
