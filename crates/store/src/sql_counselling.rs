//! Counselling queries shared by both backends (see `sql.rs`).

use tsunagari_domain::community::CommunityId;
use tsunagari_domain::counselling::{
    Channel, CounsellingRequest, RequestDetails, RequestId, TopicCategory,
};
use tsunagari_domain::{Timestamp, UserId};

use crate::{CounsellingMessage, RequestListing, StoreError, StoreResult};

pub(crate) const REQUEST_SELECT: &str = "SELECT r.id, r.community_id, r.member_id, r.category, r.topic, r.channel, \
     r.contact, r.preferred_times, r.assigned_to, r.assigned_at, r.first_response_at, r.closed_at, r.summary, \
     r.created_at, m.display_name AS member_name, a.display_name AS counsellor_name, c.name AS community_name \
     FROM counselling_requests r JOIN users m ON m.id = r.member_id \
     LEFT JOIN users a ON a.id = r.assigned_to JOIN communities c ON c.id = r.community_id";

#[derive(sqlx::FromRow)]
pub(crate) struct RequestRow {
    id: i64,
    community_id: i64,
    member_id: i64,
    category: String,
    topic: String,
    channel: String,
    contact: Option<String>,
    preferred_times: String,
    assigned_to: Option<i64>,
    assigned_at: Option<Timestamp>,
    first_response_at: Option<Timestamp>,
    closed_at: Option<Timestamp>,
    summary: Option<String>,
    created_at: Timestamp,
    member_name: String,
    counsellor_name: Option<String>,
    community_name: String,
}

impl RequestRow {
    pub(crate) fn into_listing(self) -> StoreResult<RequestListing> {
        let corrupt = |what: &str| {
            StoreError::Corrupt(format!("counselling request {}: invalid {what}", self.id))
        };
        Ok(RequestListing {
            request: CounsellingRequest {
                id: RequestId(self.id),
                community_id: CommunityId(self.community_id),
                member: UserId(self.member_id),
                details: RequestDetails {
                    category: TopicCategory::parse(&self.category)
                        .ok_or_else(|| corrupt("category"))?,
                    topic: self.topic.clone(),
                    channel: Channel::parse(&self.channel).ok_or_else(|| corrupt("channel"))?,
                    contact: self.contact.clone(),
                    preferred_times: self.preferred_times.clone(),
                },
                assigned_to: self.assigned_to.map(UserId),
                assigned_at: self.assigned_at,
                first_response_at: self.first_response_at,
                closed_at: self.closed_at,
                summary: self.summary.clone(),
                created_at: self.created_at,
            },
            member_name: self.member_name,
            counsellor_name: self.counsellor_name,
            community_name: self.community_name,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MessageRow {
    id: i64,
    request_id: i64,
    author_id: Option<i64>,
    display_name: Option<String>,
    from_counsellor: bool,
    body: String,
    created_at: Timestamp,
}

impl From<MessageRow> for CounsellingMessage {
    fn from(row: MessageRow) -> Self {
        CounsellingMessage {
            id: row.id,
            request_id: RequestId(row.request_id),
            author: row.author_id.map(UserId),
            author_name: row.display_name,
            from_counsellor: row.from_counsellor,
            body: row.body,
            created_at: row.created_at,
        }
    }
}

macro_rules! counselling_queries {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::CounsellingStore for $store {
            async fn counsellors(
                &self,
                community: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<Vec<$crate::CounsellorEntry>> {
                let rows: Vec<(i64, String)> = sqlx::query_as(
                    "SELECT c.user_id, u.display_name FROM counsellors c JOIN users u ON u.id = c.user_id
                     WHERE c.community_id = $1 ORDER BY u.display_name, c.user_id",
                )
                .bind(community.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, name)| $crate::CounsellorEntry {
                        user_id: tsunagari_domain::UserId(id),
                        display_name: name,
                    })
                    .collect())
            }

            async fn is_counsellor(
                &self,
                community: tsunagari_domain::community::CommunityId,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<bool> {
                let found: Option<i64> =
                    sqlx::query_scalar("SELECT user_id FROM counsellors WHERE community_id = $1 AND user_id = $2")
                        .bind(community.0)
                        .bind(user.0)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(found.is_some())
            }

            async fn counselled_communities(
                &self,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::community::CommunityId>> {
                let ids: Vec<i64> = sqlx::query_scalar("SELECT community_id FROM counsellors WHERE user_id = $1 ORDER BY community_id")
                    .bind(user.0)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(ids.into_iter().map(tsunagari_domain::community::CommunityId).collect())
            }

            async fn add_counsellor(
                &self,
                community: tsunagari_domain::community::CommunityId,
                user: tsunagari_domain::UserId,
                by: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<bool> {
                let done = sqlx::query(
                    "INSERT INTO counsellors (community_id, user_id, added_by, added_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (community_id, user_id) DO NOTHING",
                )
                .bind(community.0)
                .bind(user.0)
                .bind(by.0)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn remove_counsellor(
                &self,
                community: tsunagari_domain::community::CommunityId,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query("DELETE FROM counsellors WHERE community_id = $1 AND user_id = $2")
                    .bind(community.0)
                    .bind(user.0)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    tx.rollback().await?;
                    return Ok(false);
                }
                sqlx::query(
                    "UPDATE counselling_requests SET assigned_to = NULL
                     WHERE community_id = $1 AND assigned_to = $2 AND closed_at IS NULL",
                )
                .bind(community.0)
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn create_request(
                &self,
                community: tsunagari_domain::community::CommunityId,
                member: tsunagari_domain::UserId,
                details: &tsunagari_domain::counselling::RequestDetails,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<tsunagari_domain::counselling::CounsellingRequest> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO counselling_requests (community_id, member_id, category, topic, channel, contact, preferred_times, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(community.0)
                .bind(member.0)
                .bind(details.category.as_str())
                .bind(&details.topic)
                .bind(details.channel.as_str())
                .bind(&details.contact)
                .bind(&details.preferred_times)
                .bind(now)
                .fetch_one(&self.pool)
                .await?;
                self.request(tsunagari_domain::counselling::RequestId(id))
                    .await?
                    .map(|l| l.request)
                    .ok_or_else(|| $crate::StoreError::Corrupt(format!("counselling request {id} vanished after insert")))
            }

            async fn request(
                &self,
                id: tsunagari_domain::counselling::RequestId,
            ) -> $crate::StoreResult<Option<$crate::RequestListing>> {
                let row: Option<$crate::sql_counselling::RequestRow> =
                    sqlx::query_as(&format!("{} WHERE r.id = $1", $crate::sql_counselling::REQUEST_SELECT))
                        .bind(id.0)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map($crate::sql_counselling::RequestRow::into_listing).transpose()
            }

            async fn requests_of(&self, member: tsunagari_domain::UserId) -> $crate::StoreResult<Vec<$crate::RequestListing>> {
                let rows: Vec<$crate::sql_counselling::RequestRow> = sqlx::query_as(&format!(
                    "{} WHERE r.member_id = $1 ORDER BY r.created_at DESC, r.id DESC",
                    $crate::sql_counselling::REQUEST_SELECT
                ))
                .bind(member.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_counselling::RequestRow::into_listing).collect()
            }

            async fn queue(
                &self,
                community: tsunagari_domain::community::CommunityId,
                view: $crate::QueueView,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::RequestListing>> {
                let (filter, order) = match view {
                    $crate::QueueView::Unassigned => ("r.closed_at IS NULL AND r.assigned_to IS NULL", "r.created_at, r.id"),
                    $crate::QueueView::AssignedTo(_) => ("r.closed_at IS NULL AND r.assigned_to = $3", "r.created_at, r.id"),
                    $crate::QueueView::Assigned => ("r.closed_at IS NULL AND r.assigned_to IS NOT NULL", "r.created_at, r.id"),
                    $crate::QueueView::Closed => ("r.closed_at IS NOT NULL", "r.closed_at DESC, r.id DESC"),
                };
                let sql = format!(
                    "{} WHERE r.community_id = $1 AND {filter} ORDER BY {order} LIMIT $2",
                    $crate::sql_counselling::REQUEST_SELECT
                );
                let mut query = sqlx::query_as::<_, $crate::sql_counselling::RequestRow>(&sql)
                    .bind(community.0)
                    .bind(limit.clamp(1, 500));
                if let $crate::QueueView::AssignedTo(user) = view {
                    query = query.bind(user.0);
                }
                let rows = query.fetch_all(&self.pool).await?;
                rows.into_iter().map($crate::sql_counselling::RequestRow::into_listing).collect()
            }

            async fn assign_request(
                &self,
                id: tsunagari_domain::counselling::RequestId,
                counsellor: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE counselling_requests SET assigned_to = $2, assigned_at = COALESCE(assigned_at, $3)
                     WHERE id = $1 AND closed_at IS NULL
                       AND EXISTS (SELECT 1 FROM counsellors c WHERE c.community_id = counselling_requests.community_id AND c.user_id = $2)",
                )
                .bind(id.0)
                .bind(counsellor.0)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn add_counselling_message(
                &self,
                id: tsunagari_domain::counselling::RequestId,
                author: tsunagari_domain::UserId,
                from_counsellor: bool,
                body: &str,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<Option<$crate::CounsellingMessage>> {
                let mut tx = self.pool.begin().await?;
                // Writing the request first serialises the message with a
                // concurrent close and keeps the first-response time exact.
                let open: Option<i64> = sqlx::query_scalar(
                    "UPDATE counselling_requests
                     SET first_response_at = CASE WHEN $2 THEN COALESCE(first_response_at, $3) ELSE first_response_at END
                     WHERE id = $1 AND closed_at IS NULL RETURNING id",
                )
                .bind(id.0)
                .bind(from_counsellor)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
                if open.is_none() {
                    tx.rollback().await?;
                    return Ok(None);
                }
                let message: i64 = sqlx::query_scalar(
                    "INSERT INTO counselling_messages (request_id, author_id, from_counsellor, body, created_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(id.0)
                .bind(author.0)
                .bind(from_counsellor)
                .bind(body)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                let row: $crate::sql_counselling::MessageRow = sqlx::query_as(
                    "SELECT m.id, m.request_id, m.author_id, u.display_name, m.from_counsellor, m.body, m.created_at
                     FROM counselling_messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.id = $1",
                )
                .bind(message)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Some(row.into()))
            }

            async fn counselling_messages(
                &self,
                id: tsunagari_domain::counselling::RequestId,
            ) -> $crate::StoreResult<Vec<$crate::CounsellingMessage>> {
                let rows: Vec<$crate::sql_counselling::MessageRow> = sqlx::query_as(
                    "SELECT m.id, m.request_id, m.author_id, u.display_name, m.from_counsellor, m.body, m.created_at
                     FROM counselling_messages m LEFT JOIN users u ON u.id = m.author_id
                     WHERE m.request_id = $1 ORDER BY m.id",
                )
                .bind(id.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn close_request(
                &self,
                id: tsunagari_domain::counselling::RequestId,
                by: tsunagari_domain::UserId,
                summary: &str,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE counselling_requests SET closed_at = $2, closed_by = $3, summary = $4 WHERE id = $1 AND closed_at IS NULL",
                )
                .bind(id.0)
                .bind(now)
                .bind(by.0)
                .bind(summary)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn request_times(
                &self,
                community: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::counselling::RequestTimes>> {
                let rows: Vec<(
                    tsunagari_domain::Timestamp,
                    Option<tsunagari_domain::Timestamp>,
                    Option<tsunagari_domain::Timestamp>,
                    Option<tsunagari_domain::Timestamp>,
                )> = sqlx::query_as(
                    "SELECT created_at, assigned_at, first_response_at, closed_at FROM counselling_requests WHERE community_id = $1",
                )
                .bind(community.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(created_at, assigned_at, first_response_at, closed_at)| {
                        tsunagari_domain::counselling::RequestTimes {
                            created_at,
                            assigned_at,
                            first_response_at,
                            closed: closed_at.is_some(),
                        }
                    })
                    .collect())
            }
        }
    };
}

pub(crate) use counselling_queries;
