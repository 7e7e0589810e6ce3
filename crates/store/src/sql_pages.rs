//! Page reads shared by both backends (see `pages.rs` for why they exist).

macro_rules! page_queries {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::PageStore for $store {
            async fn community_front_page(
                &self,
                id: tsunagari_domain::community::CommunityId,
                viewer: Option<tsunagari_domain::UserId>,
                now: tsunagari_domain::Timestamp,
                limits: $crate::FrontPageLimits,
            ) -> $crate::StoreResult<Option<$crate::CommunityFrontPage>> {
                use tsunagari_domain::community::{self, Role};
                let mut conn = self.pool.acquire().await?;
                let row: Option<$crate::sql_communities::ListingRow> =
                    sqlx::query_as(&$crate::sql_communities::LISTING_BY_ID)
                        .bind(id.0)
                        .fetch_optional(&mut *conn)
                        .await?;
                let Some(row) = row else { return Ok(None) };
                let listing = row.into_listing()?;
                let membership = match viewer {
                    Some(user) => {
                        let row: Option<$crate::sql_communities::MembershipRow> =
                            sqlx::query_as($crate::sql_communities::MEMBERSHIP_BY_IDS)
                                .bind(id.0)
                                .bind(user.0)
                                .fetch_optional(&mut *conn)
                                .await?;
                        row.map($crate::sql_communities::MembershipRow::into_membership)
                            .transpose()?
                    }
                    None => None,
                };
                let parent = match listing.community.parent_id {
                    Some(parent) => {
                        let row: Option<$crate::sql_communities::CommunityRow> =
                            sqlx::query_as(&$crate::sql_communities::COMMUNITY_BY_ID)
                                .bind(parent.0)
                                .fetch_optional(&mut *conn)
                                .await?;
                        row.map($crate::sql_communities::CommunityRow::into_community)
                            .transpose()?
                    }
                    None => None,
                };
                let content = if community::can_read(
                    listing.community.profile.visibility,
                    membership.as_ref(),
                ) {
                    let organiser = membership
                        .as_ref()
                        .is_some_and(|m| m.is_at_least(Role::Organiser));
                    let threads: Vec<$crate::sql_threads::ThreadRow> =
                        sqlx::query_as(&$crate::sql_threads::LIST_THREADS)
                            .bind(id.0)
                            .bind(organiser)
                            .bind(limits.threads.clamp(1, 200))
                            .bind(0_i64)
                            .fetch_all(&mut *conn)
                            .await?;
                    let upcoming: Vec<$crate::sql_events::EventRow> =
                        sqlx::query_as(&$crate::sql_events::UPCOMING_EVENTS)
                            .bind(id.0)
                            .bind(now)
                            .bind(limits.events.clamp(1, 200))
                            .fetch_all(&mut *conn)
                            .await?;
                    Some($crate::FrontPageContent {
                        threads: threads
                            .into_iter()
                            .map($crate::sql_threads::ThreadRow::into_record)
                            .collect::<Result<_, _>>()?,
                        upcoming: upcoming
                            .into_iter()
                            .map($crate::sql_events::EventRow::into_listing)
                            .collect::<Result<_, _>>()?,
                    })
                } else {
                    None
                };
                // Most communities have none: the count saves the query.
                let subgroups = if listing.subgroup_count == 0 {
                    Vec::new()
                } else {
                    drop(conn);
                    $crate::CommunityStore::list_communities(
                        self,
                        &$crate::CommunityFilter {
                            parent: Some(id),
                            limit: 100,
                            ..Default::default()
                        },
                    )
                    .await?
                };
                Ok(Some($crate::CommunityFrontPage {
                    listing,
                    membership,
                    parent,
                    subgroups,
                    content,
                }))
            }
        }
    };
}

pub(crate) use page_queries;
