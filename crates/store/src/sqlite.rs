//! The embedded SQLite store: one file, WAL mode, created on first start.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::{Backend, Store, StoreError, StoreResult};

/// A store in a SQLite database file.
#[derive(Clone)]
pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating when missing) the database a `sqlite://FILE` URL names.
    pub async fn connect(url: &str) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Unavailable(format!("{url}: {e}")))?
            .create_if_missing(true)
            // WAL lets readers carry on while one connection writes.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // SQLite work is CPU-bound and each pooled connection runs on a
        // thread of its own: more connections than cores only adds thread
        // switching (measured: 8 connections on 2 cores served the community
        // page 40% slower than 2).
        let connections = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(2, 8) as u32;
        let pool = SqlitePoolOptions::new()
            .max_connections(connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Unavailable(format!("{url}: {e}")))?;
        Ok(SqliteStore { pool })
    }

    /// The connection pool, for tests that inspect stored rows.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

crate::sql::shared_queries!(SqliteStore);
crate::sql_notifications::notification_queries!(SqliteStore);
crate::export::export_queries!(SqliteStore);
crate::sql_directory::directory_queries!(SqliteStore);
crate::sql_communities::community_queries!(SqliteStore, sqlx::Sqlite);
crate::sql_threads::thread_queries!(SqliteStore, sqlx::Sqlite);
crate::sql_events::event_queries!(SqliteStore, sqlx::Sqlite);
crate::sql_pages::page_queries!(SqliteStore, sqlx::Sqlite);
crate::sql_self_check::self_check_queries!(SqliteStore);
crate::sql_public_schemes::public_scheme_queries!(SqliteStore, sqlx::Sqlite);
crate::sql_tools::tool_queries!(SqliteStore);
crate::sql_shares::share_queries!(SqliteStore, sqlx::Sqlite);
crate::sql_opinions::opinion_queries!(SqliteStore);
crate::sql_ballots::ballot_queries!(SqliteStore, sqlx::Sqlite);
crate::sql_counselling::counselling_queries!(SqliteStore);
crate::sql_petitions::petition_queries!(SqliteStore);
crate::sql_fund::fund_queries!(SqliteStore, sqlx::Sqlite);
crate::sql_organisations::organisation_queries!(SqliteStore, sqlx::Sqlite);
crate::sql_home::home_queries!(SqliteStore);
crate::sql_feeds::feed_queries!(SqliteStore);
crate::sql_search::search_queries!(SqliteStore, sqlx::Sqlite);

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn migrate(&self) -> StoreResult<()> {
        sqlx::migrate!("./migrations/sqlite")
            .run(&self.pool)
            .await?;
        Ok(())
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn backup_to(&self, path: &Path) -> StoreResult<()> {
        if path.exists() {
            return Err(StoreError::Unavailable(format!(
                "{} already exists; choose a new file name",
                path.display()
            )));
        }
        // VACUUM INTO reads one consistent snapshot, so the copy is valid
        // even while the server keeps writing.
        sqlx::query("VACUUM INTO $1")
            .bind(path.to_string_lossy().as_ref())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
