//! Tool-choice queries shared by both backends (see `sql.rs`).

macro_rules! tool_queries {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::CommunityToolStore for $store {
            async fn set_tool_choice(
                &self,
                community: tsunagari_domain::community::CommunityId,
                tool: tsunagari_domain::tools::CommunityTool,
                enabled: bool,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<Option<Vec<(tsunagari_domain::tools::CommunityTool, bool)>>>
            {
                let mut tx = self.pool.begin().await?;
                // Writing first takes the row lock on PostgreSQL and the write
                // lock on SQLite, so the read-modify-write below cannot lose a
                // concurrent change to another tool.
                let current: Option<String> = sqlx::query_scalar(
                    "UPDATE communities SET updated_at = $2 WHERE id = $1 RETURNING tool_choices",
                )
                .bind(community.0)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(current) = current else {
                    return Ok(None);
                };
                let current =
                    tsunagari_domain::tools::parse_choices(&current).ok_or_else(|| {
                        $crate::StoreError::Corrupt(format!(
                            "community {}: invalid tool choices",
                            community.0
                        ))
                    })?;
                let next = tsunagari_domain::tools::with_choice(&current, tool, enabled);
                sqlx::query("UPDATE communities SET tool_choices = $1 WHERE id = $2")
                    .bind(tsunagari_domain::tools::format_choices(&next))
                    .bind(community.0)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Some(next))
            }
        }
    };
}

pub(crate) use tool_queries;
