//! Community queries shared by both backends (see `sql.rs` for the pattern).

use tsunagari_domain::community::{
    Community, CommunityId, CommunityKind, CommunityProfile, Membership, MembershipPolicy,
    MembershipStatus, Role, Visibility,
};
use tsunagari_domain::region::{MunicipalityCode, Prefecture};
use tsunagari_domain::{Timestamp, UserId};

use std::sync::LazyLock;

use crate::{CommunityListing, MemberEntry, StoreError, StoreResult};

pub(crate) const COMMUNITY_COLUMNS: &str = "c.id, c.kind, c.name, c.description, c.tags_text, c.prefecture, c.municipality, \
     c.visibility, c.membership, c.join_question, c.company_name, c.parent_id, c.created_at, c.tool_choices";

/// The counts a listing carries beside `c`'s columns: active members and
/// direct sub-groups (a page with none skips the sub-group query).
pub(crate) const LISTING_COUNTS: &str = "(SELECT COUNT(*) FROM memberships m WHERE m.community_id = c.id AND m.status = 'active') AS member_count, \
     (SELECT COUNT(*) FROM communities s WHERE s.parent_id = c.id) AS subgroup_count";

/// One community by id (`$1`).
pub(crate) static COMMUNITY_BY_ID: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {COMMUNITY_COLUMNS} FROM communities c WHERE c.id = $1"));

/// One community with its listing counts, by id (`$1`).
pub(crate) static LISTING_BY_ID: LazyLock<String> = LazyLock::new(|| {
    format!("SELECT {COMMUNITY_COLUMNS}, {LISTING_COUNTS} FROM communities c WHERE c.id = $1")
});

/// A person's membership (`$1` community, `$2` user).
pub(crate) const MEMBERSHIP_BY_IDS: &str =
    "SELECT community_id, user_id, role, status, join_answer, joined_at FROM memberships
     WHERE community_id = $1 AND user_id = $2";

#[derive(sqlx::FromRow)]
pub(crate) struct CommunityRow {
    id: i64,
    kind: String,
    name: String,
    description: String,
    tags_text: String,
    prefecture: Option<String>,
    municipality: Option<String>,
    visibility: String,
    membership: String,
    join_question: Option<String>,
    company_name: Option<String>,
    parent_id: Option<i64>,
    created_at: Timestamp,
    tool_choices: String,
}

impl CommunityRow {
    pub(crate) fn into_community(self) -> StoreResult<Community> {
        let tags: Vec<String> = self
            .tags_text
            .split('\n')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("community {}: invalid {what}", self.id));
        let prefecture = match &self.prefecture {
            Some(code) => Some(Prefecture::parse(code).ok_or_else(|| corrupt("prefecture"))?),
            None => None,
        };
        let municipality = match (&self.municipality, prefecture) {
            (Some(code), Some(prefecture)) => Some(
                MunicipalityCode::parse(code, prefecture).map_err(|_| corrupt("municipality"))?,
            ),
            _ => None,
        };
        Ok(Community {
            id: CommunityId(self.id),
            kind: CommunityKind::parse(&self.kind).ok_or_else(|| corrupt("kind"))?,
            profile: CommunityProfile {
                name: self.name.clone(),
                description: self.description.clone(),
                tags,
                prefecture,
                municipality,
                visibility: Visibility::parse(&self.visibility)
                    .ok_or_else(|| corrupt("visibility"))?,
                membership: MembershipPolicy::parse(&self.membership)
                    .ok_or_else(|| corrupt("membership"))?,
                join_question: self.join_question.clone(),
                company_name: self.company_name.clone(),
            },
            parent_id: self.parent_id.map(CommunityId),
            created_at: self.created_at,
            tool_choices: tsunagari_domain::tools::parse_choices(&self.tool_choices)
                .ok_or_else(|| corrupt("tool choices"))?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ListingRow {
    #[sqlx(flatten)]
    community: CommunityRow,
    member_count: i64,
    subgroup_count: i64,
}

impl ListingRow {
    pub(crate) fn id(&self) -> i64 {
        self.community.id
    }

    pub(crate) fn into_listing(self) -> StoreResult<CommunityListing> {
        Ok(CommunityListing {
            community: self.community.into_community()?,
            member_count: self.member_count,
            subgroup_count: self.subgroup_count,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MembershipRow {
    community_id: i64,
    user_id: i64,
    role: String,
    status: String,
    join_answer: Option<String>,
    joined_at: Timestamp,
}

impl MembershipRow {
    pub(crate) fn into_membership(self) -> StoreResult<Membership> {
        let corrupt = || {
            StoreError::Corrupt(format!(
                "membership {}/{}: invalid role or status",
                self.community_id, self.user_id
            ))
        };
        Ok(Membership {
            community_id: CommunityId(self.community_id),
            user_id: UserId(self.user_id),
            role: Role::parse(&self.role).ok_or_else(corrupt)?,
            status: MembershipStatus::parse(&self.status).ok_or_else(corrupt)?,
            join_answer: self.join_answer.clone(),
            joined_at: self.joined_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MemberRow {
    #[sqlx(flatten)]
    membership: MembershipRow,
    display_name: String,
}

impl MemberRow {
    pub(crate) fn into_entry(self) -> StoreResult<MemberEntry> {
        Ok(MemberEntry {
            membership: self.membership.into_membership()?,
            display_name: self.display_name,
        })
    }
}

macro_rules! community_queries {
    ($store:ty, $db:ty) => {
        impl $store {
            async fn write_tags(
                tx: &mut sqlx::Transaction<'_, $db>,
                id: i64,
                tags: &[String],
            ) -> $crate::StoreResult<()> {
                sqlx::query("DELETE FROM community_tags WHERE community_id = $1").bind(id).execute(&mut **tx).await?;
                sqlx::query("UPDATE communities SET tags_text = $1 WHERE id = $2")
                    .bind(tags.join("\n"))
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                for tag in tags {
                    sqlx::query("INSERT INTO community_tags (community_id, tag, tag_key) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(tag)
                        .bind(tag.to_lowercase())
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::CommunityStore for $store {
            async fn create_community(
                &self,
                kind: tsunagari_domain::community::CommunityKind,
                profile: &tsunagari_domain::community::CommunityProfile,
                parent: Option<(tsunagari_domain::community::CommunityId, i32)>,
                owner: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<tsunagari_domain::community::Community> {
                let mut tx = self.pool.begin().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO communities (kind, name, description, prefecture, municipality, visibility, membership,
                       join_question, company_name, parent_id, depth, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
                )
                .bind(kind.as_str())
                .bind(&profile.name)
                .bind(&profile.description)
                .bind(profile.prefecture.map(|p| p.code()))
                .bind(profile.municipality.as_ref().map(|m| m.as_str().to_owned()))
                .bind(profile.visibility.as_str())
                .bind(profile.membership.as_str())
                .bind(&profile.join_question)
                .bind(&profile.company_name)
                .bind(parent.map(|(p, _)| p.0))
                .bind(parent.map_or(0, |(_, depth)| depth + 1))
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                Self::write_tags(&mut tx, id, &profile.tags).await?;
                sqlx::query(
                    "INSERT INTO memberships (community_id, user_id, role, status, joined_at) VALUES ($1, $2, 'owner', 'active', $3)",
                )
                .bind(id)
                .bind(owner.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                self.community(tsunagari_domain::community::CommunityId(id))
                    .await?
                    .ok_or_else(|| $crate::StoreError::Corrupt(format!("community {id} vanished after insert")))
            }

            async fn update_community(
                &self,
                id: tsunagari_domain::community::CommunityId,
                profile: &tsunagari_domain::community::CommunityProfile,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<tsunagari_domain::community::Community> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "UPDATE communities SET name = $1, description = $2, prefecture = $3, municipality = $4,
                       visibility = $5, membership = $6, join_question = $7, company_name = $8, updated_at = $9
                     WHERE id = $10",
                )
                .bind(&profile.name)
                .bind(&profile.description)
                .bind(profile.prefecture.map(|p| p.code()))
                .bind(profile.municipality.as_ref().map(|m| m.as_str().to_owned()))
                .bind(profile.visibility.as_str())
                .bind(profile.membership.as_str())
                .bind(&profile.join_question)
                .bind(&profile.company_name)
                .bind(now)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
                Self::write_tags(&mut tx, id.0, &profile.tags).await?;
                tx.commit().await?;
                self.community(id)
                    .await?
                    .ok_or_else(|| $crate::StoreError::Corrupt(format!("community {} vanished after update", id.0)))
            }

            async fn community(
                &self,
                id: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<Option<tsunagari_domain::community::Community>> {
                let row: Option<$crate::sql_communities::CommunityRow> = sqlx::query_as(&$crate::sql_communities::COMMUNITY_BY_ID)
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_communities::CommunityRow::into_community).transpose()
            }

            async fn community_listing(
                &self,
                id: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<Option<$crate::CommunityListing>> {
                let row: Option<$crate::sql_communities::ListingRow> = sqlx::query_as(&$crate::sql_communities::LISTING_BY_ID)
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_communities::ListingRow::into_listing).transpose()
            }

            async fn community_depth(&self, id: tsunagari_domain::community::CommunityId) -> $crate::StoreResult<Option<i32>> {
                Ok(sqlx::query_scalar("SELECT depth FROM communities WHERE id = $1").bind(id.0).fetch_optional(&self.pool).await?)
            }

            async fn list_communities(&self, filter: &$crate::CommunityFilter) -> $crate::StoreResult<Vec<$crate::CommunityListing>> {
                let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {}, {} FROM communities c WHERE 1 = 1",
                    $crate::sql_communities::COMMUNITY_COLUMNS,
                    $crate::sql_communities::LISTING_COUNTS
                ));
                if let Some(kind) = filter.kind {
                    query.push(" AND c.kind = ").push_bind(kind.as_str());
                }
                if let Some(prefecture) = filter.prefecture {
                    query.push(" AND c.prefecture = ").push_bind(prefecture.code());
                }
                if let Some(tag) = &filter.tag {
                    query
                        .push(" AND EXISTS (SELECT 1 FROM community_tags t WHERE t.community_id = c.id AND t.tag_key = ")
                        .push_bind(tag.trim().to_lowercase())
                        .push(")");
                }
                match filter.parent {
                    Some(parent) => {
                        query.push(" AND c.parent_id = ").push_bind(parent.0);
                    }
                    None if filter.top_level_only => {
                        query.push(" AND c.parent_id IS NULL");
                    }
                    None => {}
                }
                query.push(" ORDER BY member_count DESC, c.id ASC LIMIT ").push_bind(filter.limit.clamp(1, 200));
                query.push(" OFFSET ").push_bind(filter.offset.max(0));
                let rows: Vec<$crate::sql_communities::ListingRow> = query.build_query_as().fetch_all(&self.pool).await?;
                rows.into_iter().map($crate::sql_communities::ListingRow::into_listing).collect()
            }

            async fn membership(
                &self,
                community: tsunagari_domain::community::CommunityId,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Option<tsunagari_domain::community::Membership>> {
                let row: Option<$crate::sql_communities::MembershipRow> = sqlx::query_as($crate::sql_communities::MEMBERSHIP_BY_IDS)
                .bind(community.0)
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_communities::MembershipRow::into_membership).transpose()
            }

            async fn add_membership(&self, membership: &tsunagari_domain::community::Membership) -> $crate::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO memberships (community_id, user_id, role, status, join_answer, joined_at)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(membership.community_id.0)
                .bind(membership.user_id.0)
                .bind(membership.role.as_str())
                .bind(membership.status.as_str())
                .bind(&membership.join_answer)
                .bind(membership.joined_at)
                .execute(&self.pool)
                .await
                .map_err(|e| $crate::sql::map_unique(e, $crate::Conflict::AlreadyMember))?;
                Ok(())
            }

            async fn set_membership(
                &self,
                community: tsunagari_domain::community::CommunityId,
                user: tsunagari_domain::UserId,
                role: tsunagari_domain::community::Role,
                status: tsunagari_domain::community::MembershipStatus,
            ) -> $crate::StoreResult<bool> {
                let done = sqlx::query("UPDATE memberships SET role = $1, status = $2 WHERE community_id = $3 AND user_id = $4")
                    .bind(role.as_str())
                    .bind(status.as_str())
                    .bind(community.0)
                    .bind(user.0)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn remove_membership(
                &self,
                community: tsunagari_domain::community::CommunityId,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<u64> {
                let done = sqlx::query(
                    "WITH RECURSIVE tree(id) AS (
                         SELECT id FROM communities WHERE id = $1
                         UNION ALL
                         SELECT c.id FROM communities c JOIN tree ON c.parent_id = tree.id
                     )
                     DELETE FROM memberships WHERE user_id = $2 AND status <> 'banned' AND community_id IN (SELECT id FROM tree)",
                )
                .bind(community.0)
                .bind(user.0)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected())
            }

            async fn lift_ban(
                &self,
                community: tsunagari_domain::community::CommunityId,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<bool> {
                let done = sqlx::query("DELETE FROM memberships WHERE community_id = $1 AND user_id = $2 AND status = 'banned'")
                    .bind(community.0)
                    .bind(user.0)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn members(
                &self,
                community: tsunagari_domain::community::CommunityId,
                status: tsunagari_domain::community::MembershipStatus,
            ) -> $crate::StoreResult<Vec<$crate::MemberEntry>> {
                let rows: Vec<$crate::sql_communities::MemberRow> = sqlx::query_as(
                    "SELECT m.community_id, m.user_id, m.role, m.status, m.join_answer, m.joined_at, u.display_name
                     FROM memberships m JOIN users u ON u.id = m.user_id
                     WHERE m.community_id = $1 AND m.status = $2
                     ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'organiser' THEN 1 ELSE 2 END, m.joined_at, m.user_id",
                )
                .bind(community.0)
                .bind(status.as_str())
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_communities::MemberRow::into_entry).collect()
            }

            async fn transfer_ownership(
                &self,
                community: tsunagari_domain::community::CommunityId,
                from: tsunagari_domain::UserId,
                to: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("UPDATE memberships SET role = 'organiser' WHERE community_id = $1 AND user_id = $2 AND role = 'owner'")
                    .bind(community.0)
                    .bind(from.0)
                    .execute(&mut *tx)
                    .await?;
                let promoted = sqlx::query(
                    "UPDATE memberships SET role = 'owner' WHERE community_id = $1 AND user_id = $2 AND status = 'active'",
                )
                .bind(community.0)
                .bind(to.0)
                .execute(&mut *tx)
                .await?;
                if promoted.rows_affected() != 1 {
                    tx.rollback().await?;
                    return Err($crate::StoreError::Corrupt("the new owner is not an active member".into()));
                }
                tx.commit().await?;
                Ok(())
            }

            async fn communities_of(
                &self,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Vec<($crate::CommunityListing, tsunagari_domain::community::Role)>> {
                #[derive(sqlx::FromRow)]
                struct Row {
                    #[sqlx(flatten)]
                    listing: $crate::sql_communities::ListingRow,
                    role: String,
                }
                let rows: Vec<Row> = sqlx::query_as(&format!(
                    "SELECT {}, {}, m.role FROM communities c
                     JOIN memberships m ON m.community_id = c.id AND m.user_id = $1 AND m.status = 'active'
                     ORDER BY c.name",
                    $crate::sql_communities::COMMUNITY_COLUMNS,
                    $crate::sql_communities::LISTING_COUNTS
                ))
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|row| {
                        let id = row.listing.id();
                        let role = tsunagari_domain::community::Role::parse(&row.role)
                            .ok_or_else(|| $crate::StoreError::Corrupt(format!("membership role in {id}")))?;
                        Ok((row.listing.into_listing()?, role))
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use community_queries;
