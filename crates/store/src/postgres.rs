//! The PostgreSQL store, for deployments with several app servers.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::{Backend, Store, StoreError, StoreResult, redact_password};

/// A store in a PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStore {
    pub(crate) pool: PgPool,
}

impl PostgresStore {
    /// Connects to the database a `postgres://` URL names.
    pub async fn connect(url: &str) -> StoreResult<PostgresStore> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|e| StoreError::Unavailable(format!("{}: {e}", redact_password(url))))?;
        Ok(PostgresStore { pool })
    }

    /// The connection pool, for tests that inspect stored rows.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

crate::sql::shared_queries!(PostgresStore);
crate::sql_notifications::notification_queries!(PostgresStore);
crate::export::export_queries!(PostgresStore);
crate::sql_directory::directory_queries!(PostgresStore);
crate::sql_communities::community_queries!(PostgresStore, sqlx::Postgres);
crate::sql_threads::thread_queries!(PostgresStore, sqlx::Postgres);
crate::sql_events::event_queries!(PostgresStore, sqlx::Postgres);
crate::sql_pages::page_queries!(PostgresStore, sqlx::Postgres);
crate::sql_self_check::self_check_queries!(PostgresStore);
crate::sql_public_schemes::public_scheme_queries!(PostgresStore, sqlx::Postgres);
crate::sql_tools::tool_queries!(PostgresStore);
crate::sql_shares::share_queries!(PostgresStore, sqlx::Postgres);
crate::sql_opinions::opinion_queries!(PostgresStore);
crate::sql_ballots::ballot_queries!(PostgresStore, sqlx::Postgres);
crate::sql_counselling::counselling_queries!(PostgresStore);
crate::sql_petitions::petition_queries!(PostgresStore);
crate::sql_fund::fund_queries!(PostgresStore, sqlx::Postgres);
crate::sql_organisations::organisation_queries!(PostgresStore, sqlx::Postgres);
crate::sql_home::home_queries!(PostgresStore);
crate::sql_feeds::feed_queries!(PostgresStore);
crate::sql_search::search_queries!(PostgresStore, sqlx::Postgres);

#[async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn migrate(&self) -> StoreResult<()> {
        sqlx::migrate!("./migrations/postgres")
            .run(&self.pool)
            .await?;
        Ok(())
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn backup_to(&self, _path: &Path) -> StoreResult<()> {
        Err(StoreError::Unsupported(
            "PostgreSQL databases are backed up with pg_dump (for example: pg_dump --format=custom --file=tsunagari.dump \"$DATABASE_URL\"), or with the server's continuous archiving; tsunagari backup copies only the embedded SQLite database",
        ))
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
