//! Query code shared by the SQLite and PostgreSQL stores.
//!
//! `shared_queries!` expands to the aggregate trait implementations for a
//! store type with a `pool` field. The body is compiled once per backend, so
//! each backend gets real, type-checked code while the SQL is written once.
//! Only SQL valid in both dialects belongs here; anything backend-specific
//! lives in `sqlite.rs` or `postgres.rs`.

use tsunagari_domain::{
    Account, DisplayName, Email, Locale, PasswordHash, SessionId, Timestamp, UserId, UserTimeZone,
};

use crate::{ApiTokenRecord, Conflict, SessionRecord, StoreError, StoreResult};

pub(crate) const ACCOUNT_COLUMNS: &str =
    "id, email, display_name, locale, time_zone, created_at, updated_at";
pub(crate) const SESSION_COLUMNS: &str =
    "id, user_id, created_at, last_seen_at, expires_at, user_agent, client_ip";
pub(crate) const API_TOKEN_COLUMNS: &str = "id, user_id, label, created_at, last_used_at";

#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    id: i64,
    email: String,
    display_name: String,
    locale: String,
    time_zone: String,
    created_at: Timestamp,
    updated_at: Timestamp,
}

impl AccountRow {
    pub(crate) fn into_account(self) -> StoreResult<Account> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("user {}: invalid {what}", self.id));
        Ok(Account {
            id: UserId(self.id),
            email: Email::parse(&self.email).map_err(|_| corrupt("email"))?,
            display_name: DisplayName::parse(&self.display_name)
                .map_err(|_| corrupt("display_name"))?,
            locale: Locale::parse(&self.locale).ok_or_else(|| corrupt("locale"))?,
            time_zone: UserTimeZone::parse(&self.time_zone).map_err(|_| corrupt("time_zone"))?,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AccountPasswordRow {
    #[sqlx(flatten)]
    account: AccountRow,
    password_hash: String,
}

impl AccountPasswordRow {
    pub(crate) fn into_parts(self) -> StoreResult<(Account, PasswordHash)> {
        let id = self.account.id;
        let hash = PasswordHash::from_stored(self.password_hash)
            .map_err(|_| StoreError::Corrupt(format!("user {id}: invalid password hash")))?;
        Ok((self.account.into_account()?, hash))
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SessionRow {
    id: i64,
    user_id: i64,
    created_at: Timestamp,
    last_seen_at: Timestamp,
    expires_at: Timestamp,
    user_agent: String,
    client_ip: String,
}

impl From<SessionRow> for SessionRecord {
    fn from(row: SessionRow) -> Self {
        SessionRecord {
            id: SessionId(row.id),
            user_id: UserId(row.user_id),
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            expires_at: row.expires_at,
            user_agent: row.user_agent,
            client_ip: row.client_ip,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ApiTokenRow {
    id: i64,
    user_id: i64,
    label: String,
    created_at: Timestamp,
    last_used_at: Option<Timestamp>,
}

impl From<ApiTokenRow> for ApiTokenRecord {
    fn from(row: ApiTokenRow) -> Self {
        ApiTokenRecord {
            id: row.id,
            user_id: UserId(row.user_id),
            label: row.label,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
        }
    }
}

/// Turns a unique-constraint violation into the conflict it means.
pub(crate) fn map_unique(error: sqlx::Error, conflict: Conflict) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(conflict),
        _ => error.into(),
    }
}

macro_rules! shared_queries {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::AccountStore for $store {
            async fn create_account(&self, new: &$crate::NewAccount) -> $crate::StoreResult<tsunagari_domain::Account> {
                let row: $crate::sql::AccountRow = sqlx::query_as(&format!(
                    "INSERT INTO users (email, display_name, password_hash, locale, time_zone, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {}",
                    $crate::sql::ACCOUNT_COLUMNS
                ))
                .bind(new.email.as_str())
                .bind(new.display_name.as_str())
                .bind(new.password_hash.as_phc())
                .bind(new.locale.tag())
                .bind(new.time_zone.name())
                .bind(new.now)
                .fetch_one(&self.pool)
                .await
                .map_err(|e| $crate::sql::map_unique(e, $crate::Conflict::EmailTaken))?;
                row.into_account()
            }

            async fn account(&self, id: tsunagari_domain::UserId) -> $crate::StoreResult<Option<tsunagari_domain::Account>> {
                let row: Option<$crate::sql::AccountRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM users WHERE id = $1",
                    $crate::sql::ACCOUNT_COLUMNS
                ))
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql::AccountRow::into_account).transpose()
            }

            async fn account_with_password(
                &self,
                email: &tsunagari_domain::Email,
            ) -> $crate::StoreResult<Option<(tsunagari_domain::Account, tsunagari_domain::PasswordHash)>> {
                let row: Option<$crate::sql::AccountPasswordRow> = sqlx::query_as(&format!(
                    "SELECT {}, password_hash FROM users WHERE email = $1",
                    $crate::sql::ACCOUNT_COLUMNS
                ))
                .bind(email.as_str())
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql::AccountPasswordRow::into_parts).transpose()
            }

            async fn password_hash(&self, id: tsunagari_domain::UserId) -> $crate::StoreResult<Option<tsunagari_domain::PasswordHash>> {
                let phc: Option<String> = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(&self.pool)
                    .await?;
                phc.map(|phc| {
                    tsunagari_domain::PasswordHash::from_stored(phc)
                        .map_err(|_| $crate::StoreError::Corrupt(format!("user {}: invalid password hash", id.0)))
                })
                .transpose()
            }

            async fn set_password_hash(
                &self,
                id: tsunagari_domain::UserId,
                hash: &tsunagari_domain::PasswordHash,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<()> {
                sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
                    .bind(hash.as_phc())
                    .bind(now)
                    .bind(id.0)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn update_profile(
                &self,
                id: tsunagari_domain::UserId,
                profile: &$crate::ProfileUpdate,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<tsunagari_domain::Account> {
                let row: $crate::sql::AccountRow = sqlx::query_as(&format!(
                    "UPDATE users SET display_name = $1, locale = $2, time_zone = $3, updated_at = $4
                     WHERE id = $5 RETURNING {}",
                    $crate::sql::ACCOUNT_COLUMNS
                ))
                .bind(profile.display_name.as_str())
                .bind(profile.locale.tag())
                .bind(profile.time_zone.name())
                .bind(now)
                .bind(id.0)
                .fetch_one(&self.pool)
                .await?;
                row.into_account()
            }

            async fn delete_account(&self, id: tsunagari_domain::UserId) -> $crate::StoreResult<bool> {
                let result = sqlx::query("DELETE FROM users WHERE id = $1")
                    .bind(id.0)
                    .execute(&self.pool)
                    .await?;
                Ok(result.rows_affected() == 1)
            }

            async fn count_accounts(&self) -> $crate::StoreResult<i64> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?)
            }
        }

        #[async_trait::async_trait]
        impl $crate::SessionStore for $store {
            async fn create_session(&self, new: &$crate::NewSession) -> $crate::StoreResult<$crate::SessionRecord> {
                let row: $crate::sql::SessionRow = sqlx::query_as(&format!(
                    "INSERT INTO sessions (user_id, token_hash, created_at, last_seen_at, expires_at, user_agent, client_ip)
                     VALUES ($1, $2, $3, $3, $4, $5, $6) RETURNING {}",
                    $crate::sql::SESSION_COLUMNS
                ))
                .bind(new.user_id.0)
                .bind(&new.token_hash.0)
                .bind(new.created_at)
                .bind(new.expires_at)
                .bind(&new.user_agent)
                .bind(&new.client_ip)
                .fetch_one(&self.pool)
                .await?;
                Ok(row.into())
            }

            async fn session_by_token(
                &self,
                token: &tsunagari_domain::TokenHash,
            ) -> $crate::StoreResult<Option<$crate::SessionRecord>> {
                let row: Option<$crate::sql::SessionRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM sessions WHERE token_hash = $1",
                    $crate::sql::SESSION_COLUMNS
                ))
                .bind(&token.0)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(Into::into))
            }

            async fn touch_session(&self, id: tsunagari_domain::SessionId, now: tsunagari_domain::Timestamp) -> $crate::StoreResult<()> {
                sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id.0)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn sessions_of(&self, user: tsunagari_domain::UserId) -> $crate::StoreResult<Vec<$crate::SessionRecord>> {
                let rows: Vec<$crate::sql::SessionRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM sessions WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
                    $crate::sql::SESSION_COLUMNS
                ))
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn delete_session(&self, user: tsunagari_domain::UserId, id: tsunagari_domain::SessionId) -> $crate::StoreResult<bool> {
                let result = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2")
                    .bind(id.0)
                    .bind(user.0)
                    .execute(&self.pool)
                    .await?;
                Ok(result.rows_affected() == 1)
            }

            async fn delete_other_sessions(
                &self,
                user: tsunagari_domain::UserId,
                keep: Option<tsunagari_domain::SessionId>,
            ) -> $crate::StoreResult<u64> {
                let result = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
                    .bind(user.0)
                    .bind(keep.map_or(-1, |s| s.0))
                    .execute(&self.pool)
                    .await?;
                Ok(result.rows_affected())
            }

            async fn delete_expired_sessions(
                &self,
                now: tsunagari_domain::Timestamp,
                idle_before: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<u64> {
                let result = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
                    .bind(now)
                    .bind(idle_before)
                    .execute(&self.pool)
                    .await?;
                Ok(result.rows_affected())
            }
        }

        #[async_trait::async_trait]
        impl $crate::ApiTokenStore for $store {
            async fn create_api_token(
                &self,
                user: tsunagari_domain::UserId,
                token: &tsunagari_domain::TokenHash,
                label: &str,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<$crate::ApiTokenRecord> {
                let row: $crate::sql::ApiTokenRow = sqlx::query_as(&format!(
                    "INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4) RETURNING {}",
                    $crate::sql::API_TOKEN_COLUMNS
                ))
                .bind(user.0)
                .bind(&token.0)
                .bind(label)
                .bind(now)
                .fetch_one(&self.pool)
                .await?;
                Ok(row.into())
            }

            async fn api_token(&self, token: &tsunagari_domain::TokenHash) -> $crate::StoreResult<Option<$crate::ApiTokenRecord>> {
                let row: Option<$crate::sql::ApiTokenRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM api_tokens WHERE token_hash = $1",
                    $crate::sql::API_TOKEN_COLUMNS
                ))
                .bind(&token.0)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(Into::into))
            }

            async fn touch_api_token(&self, id: i64, now: tsunagari_domain::Timestamp) -> $crate::StoreResult<()> {
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn api_tokens_of(&self, user: tsunagari_domain::UserId) -> $crate::StoreResult<Vec<$crate::ApiTokenRecord>> {
                let rows: Vec<$crate::sql::ApiTokenRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
                    $crate::sql::API_TOKEN_COLUMNS
                ))
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn delete_api_token(&self, user: tsunagari_domain::UserId, id: i64) -> $crate::StoreResult<bool> {
                let result = sqlx::query("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user.0)
                    .execute(&self.pool)
                    .await?;
                Ok(result.rows_affected() == 1)
            }
        }

        #[async_trait::async_trait]
        impl $crate::LoginThrottleStore for $store {
            async fn throttle(&self, key: &str) -> $crate::StoreResult<$crate::ThrottleRecord> {
                let row: Option<(i32, Option<tsunagari_domain::Timestamp>)> =
                    sqlx::query_as("SELECT failures, locked_until FROM login_throttle WHERE throttle_key = $1")
                        .bind(key)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map_or_else(Default::default, |(failures, locked_until)| $crate::ThrottleRecord {
                    failures: failures.max(0) as u32,
                    locked_until,
                }))
            }

            async fn record_failure(
                &self,
                key: &str,
                now: tsunagari_domain::Timestamp,
                forget_before: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<u32> {
                // One statement, so concurrent failures on several servers all count.
                let failures: i32 = sqlx::query_scalar(
                    "INSERT INTO login_throttle (throttle_key, failures, last_failure_at) VALUES ($1, 1, $2)
                     ON CONFLICT (throttle_key) DO UPDATE SET
                       failures = CASE WHEN login_throttle.last_failure_at < $3 THEN 1
                                       ELSE login_throttle.failures + 1 END,
                       last_failure_at = $2
                     RETURNING failures",
                )
                .bind(key)
                .bind(now)
                .bind(forget_before)
                .fetch_one(&self.pool)
                .await?;
                Ok(failures.max(0) as u32)
            }

            async fn lock(&self, key: &str, until: tsunagari_domain::Timestamp) -> $crate::StoreResult<()> {
                sqlx::query("UPDATE login_throttle SET locked_until = $1 WHERE throttle_key = $2")
                    .bind(until)
                    .bind(key)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn clear(&self, key: &str) -> $crate::StoreResult<()> {
                sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
                    .bind(key)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use shared_queries;
