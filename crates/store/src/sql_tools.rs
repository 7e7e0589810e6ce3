//! Tool-choice queries shared by both backends (see `sql.rs`).

macro_rules! tool_queries {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::CommunityToolStore for $store {
            async fn tool_choices(
                &self,
                community: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<Vec<(tsunagari_domain::tools::CommunityTool, bool)>> {
                let rows: Vec<(String, bool)> = sqlx::query_as(
                    "SELECT tool, enabled FROM community_tools WHERE community_id = $1 ORDER BY tool",
                )
                .bind(community.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(tool, enabled)| {
                        tsunagari_domain::tools::CommunityTool::parse(&tool)
                            .map(|t| (t, enabled))
                            .ok_or_else(|| {
                                $crate::StoreError::Corrupt(format!(
                                    "community {}: unknown tool {tool}",
                                    community.0
                                ))
                            })
                    })
                    .collect()
            }

            async fn set_tool_choice(
                &self,
                community: tsunagari_domain::community::CommunityId,
                tool: tsunagari_domain::tools::CommunityTool,
                enabled: bool,
                by: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO community_tools (community_id, tool, enabled, updated_by, updated_at)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (community_id, tool) DO UPDATE
                     SET enabled = excluded.enabled, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                )
                .bind(community.0)
                .bind(tool.as_str())
                .bind(enabled)
                .bind(by.0)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }
        }
    };
}

pub(crate) use tool_queries;
