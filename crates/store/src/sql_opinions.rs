//! Opinion-box queries shared by both backends (see `sql.rs`).
//!
//! An opinion's status and first response are subqueries over its
//! append-only history, so they cannot disagree with it. The author's name
//! is selected only for opinions that are not anonymous.

use tsunagari_domain::community::CommunityId;
use tsunagari_domain::opinion::{Opinion, OpinionId, OpinionResponse, OpinionStatus};
use tsunagari_domain::{Timestamp, UserId};

use crate::{OpinionListing, ResponseRecord, StoreError, StoreResult};

pub(crate) const OPINION_SELECT: &str = "SELECT o.id, o.community_id, o.author_id, o.anonymous, o.title, o.body, o.created_at,
       CASE WHEN o.anonymous THEN NULL ELSE u.display_name END AS author_name,
       (SELECT r.status FROM opinion_responses r WHERE r.opinion_id = o.id ORDER BY r.id DESC LIMIT 1) AS status,
       (SELECT r.created_at FROM opinion_responses r WHERE r.opinion_id = o.id ORDER BY r.id LIMIT 1) AS first_response_at,
       (SELECT COUNT(*) FROM opinion_responses r WHERE r.opinion_id = o.id) AS responses
     FROM opinions o LEFT JOIN users u ON u.id = o.author_id";

pub(crate) const RESPONSE_COLUMNS: &str =
    "r.id, r.opinion_id, r.status, r.body, r.responded_by, r.created_at";

#[derive(sqlx::FromRow)]
pub(crate) struct OpinionRow {
    id: i64,
    community_id: i64,
    author_id: Option<i64>,
    anonymous: bool,
    title: String,
    body: String,
    created_at: Timestamp,
    author_name: Option<String>,
    status: Option<String>,
    first_response_at: Option<Timestamp>,
    responses: i64,
}

impl OpinionRow {
    pub(crate) fn into_listing(self) -> StoreResult<OpinionListing> {
        let status = match &self.status {
            None => OpinionStatus::Received,
            Some(name) => OpinionStatus::parse(name).ok_or_else(|| {
                StoreError::Corrupt(format!("opinion {}: invalid status", self.id))
            })?,
        };
        Ok(OpinionListing {
            opinion: Opinion {
                id: OpinionId(self.id),
                community_id: CommunityId(self.community_id),
                author: self.author_id.map(UserId),
                anonymous: self.anonymous,
                title: self.title,
                body: self.body,
                created_at: self.created_at,
            },
            // Belt and braces: the query already leaves it out.
            author_name: self.author_name.filter(|_| !self.anonymous),
            status,
            first_response_at: self.first_response_at,
            responses: self.responses,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ResponseRow {
    id: i64,
    opinion_id: i64,
    status: String,
    body: String,
    responded_by: Option<i64>,
    created_at: Timestamp,
}

impl ResponseRow {
    pub(crate) fn into_response(self) -> StoreResult<OpinionResponse> {
        Ok(OpinionResponse {
            id: self.id,
            opinion_id: OpinionId(self.opinion_id),
            status: OpinionStatus::parse(&self.status).ok_or_else(|| {
                StoreError::Corrupt(format!("opinion response {}: invalid status", self.id))
            })?,
            body: self.body,
            responded_by: self.responded_by.map(UserId),
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ResponseRecordRow {
    #[sqlx(flatten)]
    response: ResponseRow,
    responder_name: Option<String>,
}

impl ResponseRecordRow {
    pub(crate) fn into_record(self) -> StoreResult<ResponseRecord> {
        Ok(ResponseRecord {
            response: self.response.into_response()?,
            responder_name: self.responder_name,
        })
    }
}

macro_rules! opinion_queries {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::OpinionStore for $store {
            async fn create_opinion(
                &self,
                community: tsunagari_domain::community::CommunityId,
                author: tsunagari_domain::UserId,
                opinion: &tsunagari_domain::opinion::NewOpinion,
                now: tsunagari_domain::Timestamp,
                per_day: i64,
            ) -> $crate::StoreResult<Option<tsunagari_domain::opinion::Opinion>> {
                // Locking the author's membership row first makes one
                // member's submissions to one box take turns, so the count
                // below always sees the ones just before it (on SQLite the
                // write lock does the same).
                let mut tx = self.pool.begin().await?;
                sqlx::query("UPDATE memberships SET role = role WHERE community_id = $1 AND user_id = $2")
                    .bind(community.0)
                    .bind(author.0)
                    .execute(&mut *tx)
                    .await?;
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO opinions (community_id, author_id, anonymous, title, body, created_at)
                     SELECT $1, $2, $3, $4, $5, $6
                     WHERE (SELECT COUNT(*) FROM opinions
                            WHERE community_id = $1 AND author_id = $2 AND created_at > $7) < $8
                     RETURNING id",
                )
                .bind(community.0)
                .bind(author.0)
                .bind(opinion.anonymous)
                .bind(&opinion.title)
                .bind(&opinion.body)
                .bind(now)
                .bind(now - chrono::Duration::hours(24))
                .bind(per_day)
                .fetch_optional(&mut *tx)
                .await?;
                tx.commit().await?;
                let Some(id) = id else {
                    return Ok(None);
                };
                Ok(Some(tsunagari_domain::opinion::Opinion {
                    id: tsunagari_domain::opinion::OpinionId(id),
                    community_id: community,
                    author: Some(author),
                    anonymous: opinion.anonymous,
                    title: opinion.title.clone(),
                    body: opinion.body.clone(),
                    created_at: now,
                }))
            }

            async fn opinion(
                &self,
                id: tsunagari_domain::opinion::OpinionId,
            ) -> $crate::StoreResult<Option<$crate::OpinionListing>> {
                let row: Option<$crate::sql_opinions::OpinionRow> =
                    sqlx::query_as(&format!("{} WHERE o.id = $1", $crate::sql_opinions::OPINION_SELECT))
                        .bind(id.0)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map($crate::sql_opinions::OpinionRow::into_listing).transpose()
            }

            async fn opinions(
                &self,
                community: tsunagari_domain::community::CommunityId,
                filter: $crate::OpinionFilter,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::OpinionListing>> {
                let select = $crate::sql_opinions::OPINION_SELECT;
                let (sql, author) = match filter {
                    $crate::OpinionFilter::All => (
                        format!("{select} WHERE o.community_id = $1 ORDER BY o.created_at DESC, o.id DESC LIMIT $2"),
                        None,
                    ),
                    $crate::OpinionFilter::By(user) => (
                        format!("{select} WHERE o.community_id = $1 AND o.author_id = $3 ORDER BY o.created_at DESC, o.id DESC LIMIT $2"),
                        Some(user.0),
                    ),
                    $crate::OpinionFilter::Unanswered => (
                        format!(
                            "{select} WHERE o.community_id = $1
                               AND NOT EXISTS (SELECT 1 FROM opinion_responses r WHERE r.opinion_id = o.id)
                             ORDER BY o.created_at, o.id LIMIT $2"
                        ),
                        None,
                    ),
                };
                let mut query = sqlx::query_as::<_, $crate::sql_opinions::OpinionRow>(&sql)
                    .bind(community.0)
                    .bind(limit.clamp(1, 1_000));
                if let Some(author) = author {
                    query = query.bind(author);
                }
                let rows = query.fetch_all(&self.pool).await?;
                rows.into_iter().map($crate::sql_opinions::OpinionRow::into_listing).collect()
            }

            async fn add_opinion_response(
                &self,
                opinion: tsunagari_domain::opinion::OpinionId,
                by: tsunagari_domain::UserId,
                response: &tsunagari_domain::opinion::NewResponse,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<tsunagari_domain::opinion::OpinionResponse> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO opinion_responses (opinion_id, status, body, responded_by, created_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(opinion.0)
                .bind(response.status.as_str())
                .bind(&response.body)
                .bind(by.0)
                .bind(now)
                .fetch_one(&self.pool)
                .await?;
                Ok(tsunagari_domain::opinion::OpinionResponse {
                    id,
                    opinion_id: opinion,
                    status: response.status,
                    body: response.body.clone(),
                    responded_by: Some(by),
                    created_at: now,
                })
            }

            async fn opinion_responses(
                &self,
                opinion: tsunagari_domain::opinion::OpinionId,
            ) -> $crate::StoreResult<Vec<$crate::ResponseRecord>> {
                let rows: Vec<$crate::sql_opinions::ResponseRecordRow> = sqlx::query_as(&format!(
                    "SELECT {}, u.display_name AS responder_name FROM opinion_responses r
                     LEFT JOIN users u ON u.id = r.responded_by WHERE r.opinion_id = $1 ORDER BY r.id",
                    $crate::sql_opinions::RESPONSE_COLUMNS
                ))
                .bind(opinion.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_opinions::ResponseRecordRow::into_record).collect()
            }

            async fn opinion_timings(
                &self,
                community: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<Vec<(tsunagari_domain::Timestamp, Option<tsunagari_domain::Timestamp>, tsunagari_domain::opinion::OpinionStatus)>> {
                let rows: Vec<$crate::sql_opinions::OpinionRow> = sqlx::query_as(&format!(
                    "{} WHERE o.community_id = $1 ORDER BY o.id",
                    $crate::sql_opinions::OPINION_SELECT
                ))
                .bind(community.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|row| {
                        let listing = row.into_listing()?;
                        Ok((listing.opinion.created_at, listing.first_response_at, listing.status))
                    })
                    .collect()
            }

            async fn opinions_of(
                &self,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Vec<(String, $crate::OpinionListing, Vec<tsunagari_domain::opinion::OpinionResponse>)>> {
                #[derive(sqlx::FromRow)]
                struct Row {
                    #[sqlx(flatten)]
                    opinion: $crate::sql_opinions::OpinionRow,
                    community_name: String,
                }
                let rows: Vec<Row> = sqlx::query_as(&format!(
                    "{}, communities c WHERE c.id = o.community_id AND o.author_id = $1 ORDER BY o.id",
                    $crate::sql_opinions::OPINION_SELECT.replacen("SELECT ", "SELECT c.name AS community_name, ", 1)
                ))
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                let mut out = Vec::new();
                for row in rows {
                    let listing = row.opinion.into_listing()?;
                    let responses: Vec<$crate::sql_opinions::ResponseRow> = sqlx::query_as(&format!(
                        "SELECT {} FROM opinion_responses r WHERE r.opinion_id = $1 ORDER BY r.id",
                        $crate::sql_opinions::RESPONSE_COLUMNS
                    ))
                    .bind(listing.opinion.id.0)
                    .fetch_all(&self.pool)
                    .await?;
                    let responses = responses
                        .into_iter()
                        .map($crate::sql_opinions::ResponseRow::into_response)
                        .collect::<$crate::StoreResult<Vec<_>>>()?;
                    out.push((row.community_name, listing, responses));
                }
                Ok(out)
            }
        }
    };
}

pub(crate) use opinion_queries;
