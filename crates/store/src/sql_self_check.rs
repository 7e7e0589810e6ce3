//! Self-check queries shared by both backends (see `self_check.rs`).

use tsunagari_domain::{Timestamp, UserId};

use crate::{SelfCheckRecord, SelfCheckSummary, StoreError, StoreResult};

pub(crate) const RESULT_COLUMNS: &str = "id, user_id, answers, mutual_support_ties, gave_up_career_move, \
     future_confidence, curiosity, self_determination, allocation_shift, created_at";

#[derive(sqlx::FromRow)]
pub(crate) struct ResultRow {
    id: i64,
    user_id: i64,
    answers: String,
    mutual_support_ties: i32,
    gave_up_career_move: bool,
    future_confidence: i32,
    curiosity: i32,
    self_determination: i32,
    allocation_shift: i32,
    created_at: Timestamp,
}

impl ResultRow {
    pub(crate) fn into_record(self) -> StoreResult<SelfCheckRecord> {
        let id = self.id;
        let figure = |value: i32, what: &str| {
            u8::try_from(value)
                .ok()
                .filter(|v| *v <= 100)
                .ok_or_else(|| StoreError::Corrupt(format!("self-check result {id}: {what}")))
        };
        Ok(SelfCheckRecord {
            id,
            user_id: UserId(self.user_id),
            summary: SelfCheckSummary {
                mutual_support_ties: u32::try_from(self.mutual_support_ties)
                    .map_err(|_| StoreError::Corrupt(format!("self-check result {id}: ties")))?,
                gave_up_career_move: self.gave_up_career_move,
                future_confidence: figure(self.future_confidence, "future confidence")?,
                curiosity: figure(self.curiosity, "curiosity")?,
                self_determination: figure(self.self_determination, "self-determination")?,
                allocation_shift: figure(self.allocation_shift, "allocation shift")?,
            },
            answers_json: self.answers,
            created_at: self.created_at,
        })
    }
}

macro_rules! self_check_queries {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::SelfCheckStore for $store {
            async fn save_self_check_draft(
                &self,
                owner: &$crate::DraftOwner,
                answers_json: &str,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO self_check_drafts (owner, user_id, answers, updated_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (owner) DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at",
                )
                .bind(owner.key())
                .bind(owner.user())
                .bind(answers_json)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn self_check_draft(
                &self,
                owner: &$crate::DraftOwner,
            ) -> $crate::StoreResult<Option<$crate::SelfCheckDraft>> {
                let row: Option<(String, tsunagari_domain::Timestamp)> =
                    sqlx::query_as("SELECT answers, updated_at FROM self_check_drafts WHERE owner = $1")
                        .bind(owner.key())
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|(answers_json, updated_at)| $crate::SelfCheckDraft { answers_json, updated_at }))
            }

            async fn delete_self_check_draft(&self, owner: &$crate::DraftOwner) -> $crate::StoreResult<bool> {
                let done = sqlx::query("DELETE FROM self_check_drafts WHERE owner = $1")
                    .bind(owner.key())
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn purge_visitor_drafts(&self, before: tsunagari_domain::Timestamp) -> $crate::StoreResult<u64> {
                let done = sqlx::query("DELETE FROM self_check_drafts WHERE user_id IS NULL AND updated_at < $1")
                    .bind(before)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn create_self_check_result(
                &self,
                user: tsunagari_domain::UserId,
                answers_json: &str,
                summary: &$crate::SelfCheckSummary,
                draft: Option<&$crate::DraftOwner>,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<$crate::SelfCheckRecord> {
                let mut tx = self.pool.begin().await?;
                let row: $crate::sql_self_check::ResultRow = sqlx::query_as(&format!(
                    "INSERT INTO self_check_results (user_id, answers, mutual_support_ties, gave_up_career_move,
                         future_confidence, curiosity, self_determination, allocation_shift, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING {}",
                    $crate::sql_self_check::RESULT_COLUMNS
                ))
                .bind(user.0)
                .bind(answers_json)
                .bind(summary.mutual_support_ties as i32)
                .bind(summary.gave_up_career_move)
                .bind(i32::from(summary.future_confidence))
                .bind(i32::from(summary.curiosity))
                .bind(i32::from(summary.self_determination))
                .bind(i32::from(summary.allocation_shift))
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                if let Some(owner) = draft {
                    sqlx::query("DELETE FROM self_check_drafts WHERE owner = $1")
                        .bind(owner.key())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                row.into_record()
            }

            async fn self_check_results(
                &self,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Vec<$crate::SelfCheckRecord>> {
                let rows: Vec<$crate::sql_self_check::ResultRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM self_check_results WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
                    $crate::sql_self_check::RESULT_COLUMNS
                ))
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_self_check::ResultRow::into_record).collect()
            }

            async fn self_check_result(
                &self,
                user: tsunagari_domain::UserId,
                id: i64,
            ) -> $crate::StoreResult<Option<$crate::SelfCheckRecord>> {
                let row: Option<$crate::sql_self_check::ResultRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM self_check_results WHERE id = $1 AND user_id = $2",
                    $crate::sql_self_check::RESULT_COLUMNS
                ))
                .bind(id)
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_self_check::ResultRow::into_record).transpose()
            }

            async fn delete_self_check_result(&self, user: tsunagari_domain::UserId, id: i64) -> $crate::StoreResult<bool> {
                let done = sqlx::query("DELETE FROM self_check_results WHERE id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user.0)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }
        }
    };
}

pub(crate) use self_check_queries;
