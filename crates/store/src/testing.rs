//! Fresh databases for tests (feature `testing`).
//!
//! Every test gets its own database: a SQLite file in a temporary folder,
//! or, when `TSUNAGARI_TEST_POSTGRES_URL` names a role that may create
//! databases, a new PostgreSQL database that is dropped afterwards. Without
//! that variable the PostgreSQL variants are skipped, unless
//! `TSUNAGARI_REQUIRE_ALL=1`, which makes a missing PostgreSQL a failure.

use std::sync::Arc;

use rand::Rng;
use tsunagari_domain::Timestamp;

use crate::{Backend, Store, connect};

/// Opens a pool of the database's own kind, evaluates the body with it and
/// closes it: the body is written once and compiled for each backend.
macro_rules! with_test_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db.backend {
            Backend::Sqlite => {
                let $pool = sqlx::SqlitePool::connect(&$db.url).await.expect("open");
                let result = $body;
                $pool.close().await;
                result
            }
            Backend::Postgres => {
                let $pool = sqlx::PgPool::connect(&$db.url).await.expect("open");
                let result = $body;
                $pool.close().await;
                result
            }
        }
    };
}

/// The environment variable naming the PostgreSQL server for tests.
pub const POSTGRES_URL_VAR: &str = "TSUNAGARI_TEST_POSTGRES_URL";

/// A database that exists for one test.
pub struct TestDatabase {
    /// Its URL.
    pub url: String,
    backend: Backend,
    _dir: Option<tempfile::TempDir>,
    postgres_admin: Option<(String, String)>,
}

impl TestDatabase {
    /// A new SQLite file.
    pub fn sqlite() -> TestDatabase {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}/test.db", dir.path().display());
        TestDatabase {
            url,
            backend: Backend::Sqlite,
            _dir: Some(dir),
            postgres_admin: None,
        }
    }

    /// A new PostgreSQL database, or `None` (with a note on stderr) when
    /// no server is configured. Panics under `TSUNAGARI_REQUIRE_ALL=1`.
    pub async fn postgres() -> Option<TestDatabase> {
        let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR) else {
            if std::env::var("TSUNAGARI_REQUIRE_ALL").is_ok_and(|v| v == "1") {
                panic!("{POSTGRES_URL_VAR} is not set but TSUNAGARI_REQUIRE_ALL=1");
            }
            eprintln!("skipped: PostgreSQL variant ({POSTGRES_URL_VAR} is not set)");
            return None;
        };
        let name = format!("tsunagari_test_{:016x}", rand::rng().random::<u64>());
        let admin = sqlx::PgPool::connect(&admin_url)
            .await
            .expect("connect to the test PostgreSQL server");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("create test database");
        admin.close().await;
        let base = admin_url.split('?').next().unwrap_or(&admin_url);
        let prefix = &base[..base.rfind('/').expect("database URL has a path")];
        let url = format!("{prefix}/{name}");
        Some(TestDatabase {
            url,
            backend: Backend::Postgres,
            _dir: None,
            postgres_admin: Some((admin_url, name)),
        })
    }

    /// Which backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A migrated store on this database.
    pub async fn store(&self) -> Arc<dyn Store> {
        let store = connect(&self.url).await.expect("open test database");
        store.migrate().await.expect("migrate test database");
        store
    }

    /// Runs a statement with one timestamp parameter (`$1`): lets tests move
    /// stored times, e.g. to age a session past its idle limit.
    pub async fn execute_with_time(&self, sql: &str, time: Timestamp) -> u64 {
        with_test_pool!(self, |pool| sqlx::query(sql)
            .bind(time)
            .execute(&pool)
            .await
            .expect("execute")
            .rows_affected())
    }

    /// Like `execute_with_time`, but returns the database's refusal instead
    /// of panicking: lets tests check that the schema forbids a statement.
    pub async fn try_execute_with_time(&self, sql: &str, time: Timestamp) -> Result<u64, String> {
        with_test_pool!(self, |pool| sqlx::query(sql)
            .bind(time)
            .execute(&pool)
            .await
            .map(|done| done.rows_affected())
            .map_err(|e| e.to_string()))
    }

    /// Every value of one text column, for tests that inspect what is stored.
    pub async fn column_as_text(&self, sql: &str) -> Vec<String> {
        with_test_pool!(self, |pool| sqlx::query_scalar::<_, String>(sql)
            .fetch_all(&pool)
            .await
            .expect("query"))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.postgres_admin.take() else {
            return;
        };
        // Drop may run inside a runtime, which cannot block; use a thread
        // with a runtime of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                if let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&admin)
                        .await;
                    admin.close().await;
                }
            });
        })
        .join();
    }
}

/// Declares each test twice, once per backend, as `sqlite::NAME` and
/// `postgres::NAME`. The body gets a fresh `TestDatabase` named by the
/// parameter.
#[macro_export]
macro_rules! backend_tests {
    ($(async fn $name:ident($db:ident: TestDatabase) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let $db = $crate::testing::TestDatabase::sqlite();
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some($db) = $crate::testing::TestDatabase::postgres().await else { return };
                    $body
                }
            )*
        }
    };
}

/// Creates an account for a test, with a fixed password and Japanese
/// settings, and returns its id.
pub async fn create_person(store: &dyn Store, email: &str, name: &str) -> tsunagari_domain::UserId {
    use tsunagari_domain::{DisplayName, Email, Locale, NewPassword, PasswordHash, UserTimeZone};
    let password = NewPassword::parse("kawa-no-nagare-2026", &[]).expect("a valid test password");
    store
        .create_account(&crate::NewAccount {
            email: Email::parse(email).expect("a valid test address"),
            display_name: DisplayName::parse(name).expect("a valid test name"),
            password_hash: PasswordHash::create(&password),
            locale: Locale::Ja,
            time_zone: UserTimeZone::default(),
            now: tsunagari_domain::time::now(),
        })
        .await
        .expect("the test account is created")
        .id
}
