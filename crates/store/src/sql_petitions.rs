//! Petition queries shared by both backends (see `sql.rs`).

use tsunagari_domain::community::CommunityId;
use tsunagari_domain::petition::{Audience, Petition, PetitionDetails, PetitionId};
use tsunagari_domain::{Timestamp, UserId};

use crate::{PetitionListing, PetitionUpdate, Signature, StoreError, StoreResult};

pub(crate) const PETITION_COLUMNS: &str = "p.id, p.community_id, p.created_by, p.title, p.demand, p.target, p.goal, \
     p.deadline, p.audience, p.created_at, \
     (SELECT COUNT(*) FROM petition_signatures s WHERE s.petition_id = p.id) AS signatures";

#[derive(sqlx::FromRow)]
pub(crate) struct PetitionRow {
    id: i64,
    community_id: i64,
    created_by: Option<i64>,
    title: String,
    demand: String,
    target: String,
    goal: i64,
    deadline: Timestamp,
    audience: String,
    created_at: Timestamp,
    signatures: i64,
}

impl PetitionRow {
    pub(crate) fn into_listing(self) -> StoreResult<PetitionListing> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("petition {}: invalid {what}", self.id));
        Ok(PetitionListing {
            petition: Petition {
                id: PetitionId(self.id),
                community_id: CommunityId(self.community_id),
                created_by: self.created_by.map(UserId),
                details: PetitionDetails {
                    title: self.title.clone(),
                    demand: self.demand.clone(),
                    target: self.target.clone(),
                    goal: u32::try_from(self.goal).map_err(|_| corrupt("goal"))?,
                    deadline: self.deadline,
                    audience: Audience::parse(&self.audience).ok_or_else(|| corrupt("audience"))?,
                },
                created_at: self.created_at,
            },
            signatures: self.signatures,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SignatureRow {
    petition_id: i64,
    user_id: i64,
    show_name: bool,
    signed_at: Timestamp,
}

impl From<SignatureRow> for Signature {
    fn from(row: SignatureRow) -> Self {
        Signature {
            petition_id: PetitionId(row.petition_id),
            user_id: UserId(row.user_id),
            show_name: row.show_name,
            signed_at: row.signed_at,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct UpdateRow {
    id: i64,
    petition_id: i64,
    author_id: Option<i64>,
    body: String,
    sent_to_signers: bool,
    created_at: Timestamp,
}

impl From<UpdateRow> for PetitionUpdate {
    fn from(row: UpdateRow) -> Self {
        PetitionUpdate {
            id: row.id,
            petition_id: PetitionId(row.petition_id),
            author: row.author_id.map(UserId),
            body: row.body,
            sent_to_signers: row.sent_to_signers,
            created_at: row.created_at,
        }
    }
}

macro_rules! petition_queries {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::PetitionStore for $store {
            async fn create_petition(
                &self,
                community: tsunagari_domain::community::CommunityId,
                created_by: tsunagari_domain::UserId,
                details: &tsunagari_domain::petition::PetitionDetails,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<tsunagari_domain::petition::Petition> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO petitions (community_id, created_by, title, demand, target, goal, deadline, audience, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(community.0)
                .bind(created_by.0)
                .bind(&details.title)
                .bind(&details.demand)
                .bind(&details.target)
                .bind(i64::from(details.goal))
                .bind(details.deadline)
                .bind(details.audience.as_str())
                .bind(now)
                .fetch_one(&self.pool)
                .await?;
                self.petition(tsunagari_domain::petition::PetitionId(id))
                    .await?
                    .map(|l| l.petition)
                    .ok_or_else(|| $crate::StoreError::Corrupt(format!("petition {id} vanished after insert")))
            }

            async fn petition(
                &self,
                id: tsunagari_domain::petition::PetitionId,
            ) -> $crate::StoreResult<Option<$crate::PetitionListing>> {
                let row: Option<$crate::sql_petitions::PetitionRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM petitions p WHERE p.id = $1",
                    $crate::sql_petitions::PETITION_COLUMNS
                ))
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_petitions::PetitionRow::into_listing).transpose()
            }

            async fn petitions(
                &self,
                community: tsunagari_domain::community::CommunityId,
                now: tsunagari_domain::Timestamp,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::PetitionListing>> {
                let rows: Vec<$crate::sql_petitions::PetitionRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM petitions p WHERE p.community_id = $1
                     ORDER BY CASE WHEN p.deadline > $2 THEN 0 ELSE 1 END,
                              CASE WHEN p.deadline > $2 THEN p.deadline END,
                              p.deadline DESC, p.id DESC
                     LIMIT $3",
                    $crate::sql_petitions::PETITION_COLUMNS
                ))
                .bind(community.0)
                .bind(now)
                .bind(limit.clamp(1, 200))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_petitions::PetitionRow::into_listing).collect()
            }

            async fn sign(
                &self,
                petition: tsunagari_domain::petition::PetitionId,
                user: tsunagari_domain::UserId,
                show_name: bool,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<$crate::Signature> {
                let row: $crate::sql_petitions::SignatureRow = sqlx::query_as(
                    "INSERT INTO petition_signatures (petition_id, user_id, show_name, signed_at) VALUES ($1, $2, $3, $4)
                     RETURNING petition_id, user_id, show_name, signed_at",
                )
                .bind(petition.0)
                .bind(user.0)
                .bind(show_name)
                .bind(now)
                .fetch_one(&self.pool)
                .await
                .map_err(|e| $crate::sql::map_unique(e, $crate::Conflict::AlreadySigned))?;
                Ok(row.into())
            }

            async fn withdraw_signature(
                &self,
                petition: tsunagari_domain::petition::PetitionId,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<bool> {
                let done = sqlx::query("DELETE FROM petition_signatures WHERE petition_id = $1 AND user_id = $2")
                    .bind(petition.0)
                    .bind(user.0)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn signature(
                &self,
                petition: tsunagari_domain::petition::PetitionId,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Option<$crate::Signature>> {
                let row: Option<$crate::sql_petitions::SignatureRow> = sqlx::query_as(
                    "SELECT petition_id, user_id, show_name, signed_at FROM petition_signatures WHERE petition_id = $1 AND user_id = $2",
                )
                .bind(petition.0)
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(Into::into))
            }

            async fn signature_times(
                &self,
                petition: tsunagari_domain::petition::PetitionId,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::Timestamp>> {
                Ok(sqlx::query_scalar("SELECT signed_at FROM petition_signatures WHERE petition_id = $1 ORDER BY signed_at")
                    .bind(petition.0)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn public_signers(&self, petition: tsunagari_domain::petition::PetitionId) -> $crate::StoreResult<Vec<String>> {
                Ok(sqlx::query_scalar(
                    "SELECT u.display_name FROM petition_signatures s JOIN users u ON u.id = s.user_id
                     WHERE s.petition_id = $1 AND s.show_name = $2 ORDER BY s.signed_at, s.user_id",
                )
                .bind(petition.0)
                .bind(true)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn signer_ids(
                &self,
                petition: tsunagari_domain::petition::PetitionId,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::UserId>> {
                let ids: Vec<i64> = sqlx::query_scalar("SELECT user_id FROM petition_signatures WHERE petition_id = $1 ORDER BY user_id")
                    .bind(petition.0)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(ids.into_iter().map(tsunagari_domain::UserId).collect())
            }

            async fn add_petition_update(
                &self,
                petition: tsunagari_domain::petition::PetitionId,
                author: tsunagari_domain::UserId,
                body: &str,
                sent_to_signers: bool,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<$crate::PetitionUpdate> {
                let row: $crate::sql_petitions::UpdateRow = sqlx::query_as(
                    "INSERT INTO petition_updates (petition_id, author_id, body, sent_to_signers, created_at) VALUES ($1, $2, $3, $4, $5)
                     RETURNING id, petition_id, author_id, body, sent_to_signers, created_at",
                )
                .bind(petition.0)
                .bind(author.0)
                .bind(body)
                .bind(sent_to_signers)
                .bind(now)
                .fetch_one(&self.pool)
                .await?;
                Ok(row.into())
            }

            async fn petition_updates(
                &self,
                petition: tsunagari_domain::petition::PetitionId,
            ) -> $crate::StoreResult<Vec<$crate::PetitionUpdate>> {
                let rows: Vec<$crate::sql_petitions::UpdateRow> = sqlx::query_as(
                    "SELECT id, petition_id, author_id, body, sent_to_signers, created_at FROM petition_updates
                     WHERE petition_id = $1 ORDER BY created_at, id",
                )
                .bind(petition.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn signatures_of(
                &self,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Vec<($crate::PetitionListing, $crate::Signature)>> {
                #[derive(sqlx::FromRow)]
                struct Row {
                    #[sqlx(flatten)]
                    petition: $crate::sql_petitions::PetitionRow,
                    #[sqlx(flatten)]
                    signature: $crate::sql_petitions::SignatureRow,
                }
                let rows: Vec<Row> = sqlx::query_as(&format!(
                    "SELECT {}, s.petition_id, s.user_id, s.show_name, s.signed_at
                     FROM petitions p JOIN petition_signatures s ON s.petition_id = p.id AND s.user_id = $1
                     ORDER BY s.signed_at DESC",
                    $crate::sql_petitions::PETITION_COLUMNS
                ))
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|row| Ok((row.petition.into_listing()?, row.signature.into())))
                    .collect()
            }
        }
    };
}

pub(crate) use petition_queries;
