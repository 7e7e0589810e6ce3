//! Search queries shared by both backends (see `sql.rs` for the pattern).

use tsunagari_domain::search::DocType;

/// The table whose ids a rebuild walks for a type (public schemes are
/// keyed by slug and read whole).
pub(crate) fn id_table(doc_type: DocType) -> Option<&'static str> {
    match doc_type {
        DocType::Community => Some("communities"),
        DocType::Event => Some("events"),
        DocType::Thread => Some("threads"),
        DocType::Reply => Some("replies"),
        DocType::Organisation => Some("organisation_listings"),
        DocType::PublicScheme => None,
    }
}

/// Pushes `(a, b, …)` of bound values.
macro_rules! push_list {
    ($query:expr, $values:expr) => {{
        $query.push("(");
        let mut separated = $query.separated(", ");
        for value in $values {
            separated.push_bind(value);
        }
        $query.push(")");
    }};
}

macro_rules! search_queries {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::SearchStore for $store {
            async fn search_changes_after(
                &self,
                after: i64,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::SearchChange>> {
                let rows: Vec<(i64, String, String)> = sqlx::query_as(
                    "SELECT id, doc_type, doc_id FROM search_changes WHERE id > $1 ORDER BY id LIMIT $2",
                )
                .bind(after)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, doc_type, doc_id)| $crate::SearchChange { id, doc_type, doc_id })
                    .collect())
            }

            async fn search_changes_with_ids(&self, ids: &[i64]) -> $crate::StoreResult<Vec<$crate::SearchChange>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut query = sqlx::QueryBuilder::<$db>::new("SELECT id, doc_type, doc_id FROM search_changes WHERE id IN ");
                $crate::sql_search::push_list!(query, ids.iter().copied());
                query.push(" ORDER BY id");
                let rows: Vec<(i64, String, String)> = query.build_query_as().fetch_all(&self.pool).await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, doc_type, doc_id)| $crate::SearchChange { id, doc_type, doc_id })
                    .collect())
            }

            async fn search_change_head(&self) -> $crate::StoreResult<i64> {
                // Never below what was pruned, so an emptied log does not
                // send readers back to the start.
                let head: Option<i64> = sqlx::query_scalar(
                    "SELECT MAX(id) FROM (SELECT MAX(id) AS id FROM search_changes UNION ALL SELECT pruned_through FROM search_log) ids",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(head.unwrap_or(0))
            }

            async fn search_changes_pruned_through(&self) -> $crate::StoreResult<i64> {
                Ok(sqlx::query_scalar("SELECT pruned_through FROM search_log WHERE id = 1")
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn prune_search_changes(&self, before: tsunagari_domain::Timestamp) -> $crate::StoreResult<u64> {
                let mut tx = self.pool.begin().await?;
                let removed: Vec<i64> = sqlx::query_scalar("DELETE FROM search_changes WHERE changed_at < $1 RETURNING id")
                    .bind(before)
                    .fetch_all(&mut *tx)
                    .await?;
                if let Some(highest) = removed.iter().max() {
                    sqlx::query("UPDATE search_log SET pruned_through = $1 WHERE id = 1 AND pruned_through < $1")
                        .bind(*highest)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(removed.len() as u64)
            }

            async fn searchable_ids(
                &self,
                doc_type: tsunagari_domain::search::DocType,
                after: i64,
                limit: i64,
            ) -> $crate::StoreResult<Vec<i64>> {
                let Some(table) = $crate::sql_search::id_table(doc_type) else {
                    return Ok(Vec::new());
                };
                Ok(sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE id > $1 ORDER BY id LIMIT $2"))
                    .bind(after)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn count_searchable(&self) -> $crate::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT (SELECT COUNT(*) FROM communities) + (SELECT COUNT(*) FROM events)
                          + (SELECT COUNT(*) FROM threads) + (SELECT COUNT(*) FROM replies)
                          + (SELECT COUNT(*) FROM public_schemes)
                          + (SELECT COUNT(*) FROM organisation_listings)",
                )
                .fetch_one(&self.pool)
                .await?)
            }

            async fn communities_for_search(
                &self,
                ids: &[tsunagari_domain::community::CommunityId],
            ) -> $crate::StoreResult<Vec<$crate::SearchCommunity>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                #[derive(sqlx::FromRow)]
                struct Row {
                    #[sqlx(flatten)]
                    listing: $crate::sql_communities::ListingRow,
                    last_activity: Option<tsunagari_domain::Timestamp>,
                }
                let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {}, {}, (SELECT MAX(t.last_activity_at) FROM threads t WHERE t.community_id = c.id AND t.state = 'visible') AS last_activity
                     FROM communities c WHERE c.id IN ",
                    $crate::sql_communities::COMMUNITY_COLUMNS,
                    $crate::sql_communities::LISTING_COUNTS
                ));
                $crate::sql_search::push_list!(query, ids.iter().map(|c| c.0));
                let rows: Vec<Row> = query.build_query_as().fetch_all(&self.pool).await?;
                rows.into_iter()
                    .map(|row| {
                        Ok($crate::SearchCommunity {
                            listing: row.listing.into_listing()?,
                            last_activity: row.last_activity,
                        })
                    })
                    .collect()
            }

            async fn events_for_search(
                &self,
                ids: &[tsunagari_domain::event::EventId],
            ) -> $crate::StoreResult<Vec<tsunagari_domain::event::Event>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM events e WHERE e.id IN ",
                    $crate::sql_events::EVENT_COLUMNS
                ));
                $crate::sql_search::push_list!(query, ids.iter().map(|e| e.0));
                let rows: Vec<$crate::sql_events::EventRow> = query.build_query_as().fetch_all(&self.pool).await?;
                rows.into_iter().map(|row| row.into_listing().map(|l| l.event)).collect()
            }

            async fn threads_for_search(
                &self,
                ids: &[tsunagari_domain::thread::ThreadId],
            ) -> $crate::StoreResult<Vec<tsunagari_domain::thread::Thread>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM threads t LEFT JOIN users u ON u.id = t.author_id WHERE t.id IN ",
                    $crate::sql_threads::THREAD_COLUMNS
                ));
                $crate::sql_search::push_list!(query, ids.iter().map(|t| t.0));
                let rows: Vec<$crate::sql_threads::ThreadRow> = query.build_query_as().fetch_all(&self.pool).await?;
                rows.into_iter().map(|row| row.into_record().map(|r| r.thread)).collect()
            }

            async fn replies_for_search(
                &self,
                ids: &[tsunagari_domain::thread::ReplyId],
            ) -> $crate::StoreResult<Vec<tsunagari_domain::thread::Reply>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM replies r LEFT JOIN users u ON u.id = r.author_id WHERE r.id IN ",
                    $crate::sql_threads::REPLY_COLUMNS
                ));
                $crate::sql_search::push_list!(query, ids.iter().map(|r| r.0));
                let rows: Vec<$crate::sql_threads::ReplyRow> = query.build_query_as().fetch_all(&self.pool).await?;
                rows.into_iter().map(|row| row.into_record().map(|r| r.reply)).collect()
            }

            async fn public_schemes_for_search(
                &self,
                slugs: &[String],
            ) -> $crate::StoreResult<Vec<tsunagari_domain::public_scheme::PublicScheme>> {
                if slugs.is_empty() {
                    return Ok(Vec::new());
                }
                let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM public_schemes s WHERE s.withdrawn = ",
                    $crate::sql_public_schemes::SCHEME_COLUMNS
                ));
                query.push_bind(false).push(" AND s.slug IN ");
                $crate::sql_search::push_list!(query, slugs.iter().cloned());
                let rows: Vec<$crate::sql_public_schemes::SchemeRow> = query.build_query_as().fetch_all(&self.pool).await?;
                rows.iter().map($crate::sql_public_schemes::SchemeRow::to_scheme).collect()
            }

            async fn organisations_for_search(
                &self,
                ids: &[tsunagari_domain::organisation::ListingId],
            ) -> $crate::StoreResult<Vec<$crate::ListingRecord>> {
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM organisation_listings l WHERE l.community_id IS NULL AND l.withdrawn = ",
                    $crate::sql_organisations::LISTING_COLUMNS
                ));
                query.push_bind(false).push(" AND l.id IN ");
                $crate::sql_search::push_list!(query, ids.iter().map(|l| l.0));
                let rows: Vec<$crate::sql_organisations::ListingRow> = query.build_query_as().fetch_all(&self.pool).await?;
                rows.into_iter().map($crate::sql_organisations::ListingRow::into_record).collect()
            }

            async fn member_community_ids(
                &self,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::community::CommunityId>> {
                let ids: Vec<i64> = sqlx::query_scalar(
                    "SELECT community_id FROM memberships WHERE user_id = $1 AND status = 'active' ORDER BY community_id",
                )
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(ids.into_iter().map(tsunagari_domain::community::CommunityId).collect())
            }
        }
    };
}

pub(crate) use push_list;
pub(crate) use search_queries;
