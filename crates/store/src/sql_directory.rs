//! Directory queries shared by both backends (see `sql.rs`).

use tsunagari_domain::directory::{FieldVisibility, MemberProfile};
use tsunagari_domain::region::Prefecture;

use crate::{StoreError, StoreResult};

pub(crate) const PROFILE_COLUMNS: &str = "user_id, occupation, prefecture, bio, name_visibility, \
     occupation_visibility, region_visibility, bio_visibility";

#[derive(sqlx::FromRow)]
pub(crate) struct ProfileRow {
    pub(crate) user_id: i64,
    occupation: String,
    prefecture: Option<String>,
    bio: String,
    name_visibility: String,
    occupation_visibility: String,
    region_visibility: String,
    bio_visibility: String,
}

impl ProfileRow {
    pub(crate) fn into_profile(self) -> StoreResult<MemberProfile> {
        let corrupt = || StoreError::Corrupt(format!("member profile of user {}", self.user_id));
        let visibility = |name: &str| FieldVisibility::parse(name).ok_or_else(corrupt);
        Ok(MemberProfile {
            prefecture: match &self.prefecture {
                Some(code) => Some(Prefecture::parse(code).ok_or_else(corrupt)?),
                None => None,
            },
            name_visibility: visibility(&self.name_visibility)?,
            occupation_visibility: visibility(&self.occupation_visibility)?,
            region_visibility: visibility(&self.region_visibility)?,
            bio_visibility: visibility(&self.bio_visibility)?,
            occupation: self.occupation.clone(),
            bio: self.bio.clone(),
        })
    }
}

macro_rules! directory_queries {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::DirectoryStore for $store {
            async fn member_profile(
                &self,
                community: tsunagari_domain::community::CommunityId,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Option<tsunagari_domain::directory::MemberProfile>> {
                let row: Option<$crate::sql_directory::ProfileRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM member_profiles WHERE community_id = $1 AND user_id = $2",
                    $crate::sql_directory::PROFILE_COLUMNS
                ))
                .bind(community.0)
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_directory::ProfileRow::into_profile).transpose()
            }

            async fn save_member_profile(
                &self,
                community: tsunagari_domain::community::CommunityId,
                user: tsunagari_domain::UserId,
                profile: &tsunagari_domain::directory::MemberProfile,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<()> {
                sqlx::query(
                    "INSERT INTO member_profiles (community_id, user_id, occupation, prefecture, bio, name_visibility,
                       occupation_visibility, region_visibility, bio_visibility, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                     ON CONFLICT (community_id, user_id) DO UPDATE SET
                       occupation = $3, prefecture = $4, bio = $5, name_visibility = $6,
                       occupation_visibility = $7, region_visibility = $8, bio_visibility = $9, updated_at = $10",
                )
                .bind(community.0)
                .bind(user.0)
                .bind(&profile.occupation)
                .bind(profile.prefecture.map(|p| p.code()))
                .bind(&profile.bio)
                .bind(profile.name_visibility.as_str())
                .bind(profile.occupation_visibility.as_str())
                .bind(profile.region_visibility.as_str())
                .bind(profile.bio_visibility.as_str())
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn member_profiles(
                &self,
                community: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<std::collections::HashMap<tsunagari_domain::UserId, tsunagari_domain::directory::MemberProfile>> {
                let rows: Vec<$crate::sql_directory::ProfileRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM member_profiles WHERE community_id = $1",
                    $crate::sql_directory::PROFILE_COLUMNS
                ))
                .bind(community.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|row| {
                        let user = tsunagari_domain::UserId(row.user_id);
                        row.into_profile().map(|profile| (user, profile))
                    })
                    .collect()
            }

            async fn create_volunteer_role(
                &self,
                community: tsunagari_domain::community::CommunityId,
                name: &str,
                description: &str,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<tsunagari_domain::directory::VolunteerRole> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO volunteer_roles (community_id, name, description, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(community.0)
                .bind(name)
                .bind(description)
                .bind(now)
                .fetch_one(&self.pool)
                .await
                .map_err(|e| $crate::sql::map_unique(e, $crate::Conflict::RoleNameTaken))?;
                Ok(tsunagari_domain::directory::VolunteerRole { id, name: name.to_owned(), description: description.to_owned() })
            }

            async fn delete_volunteer_role(&self, community: tsunagari_domain::community::CommunityId, role: i64) -> $crate::StoreResult<bool> {
                let done = sqlx::query("DELETE FROM volunteer_roles WHERE id = $1 AND community_id = $2")
                    .bind(role)
                    .bind(community.0)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn volunteer_roles(
                &self,
                community: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<Vec<$crate::VolunteerRoleEntry>> {
                let roles: Vec<(i64, String, String)> =
                    sqlx::query_as("SELECT id, name, description FROM volunteer_roles WHERE community_id = $1 ORDER BY id")
                        .bind(community.0)
                        .fetch_all(&self.pool)
                        .await?;
                let holders: Vec<(i64, i64, String)> = sqlx::query_as(
                    "SELECT a.role_id, a.user_id, u.display_name FROM volunteer_assignments a JOIN users u ON u.id = a.user_id
                     WHERE a.community_id = $1 ORDER BY a.since, a.user_id",
                )
                .bind(community.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(roles
                    .into_iter()
                    .map(|(id, name, description)| $crate::VolunteerRoleEntry {
                        holders: holders
                            .iter()
                            .filter(|(role, _, _)| *role == id)
                            .map(|(_, user, name)| (tsunagari_domain::UserId(*user), name.clone()))
                            .collect(),
                        role: tsunagari_domain::directory::VolunteerRole { id, name, description },
                    })
                    .collect())
            }

            async fn take_volunteer_role(
                &self,
                community: tsunagari_domain::community::CommunityId,
                role: i64,
                user: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<bool> {
                let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM volunteer_roles WHERE id = $1 AND community_id = $2")
                    .bind(role)
                    .bind(community.0)
                    .fetch_optional(&self.pool)
                    .await?;
                if exists.is_none() {
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO volunteer_assignments (role_id, community_id, user_id, since) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (role_id, user_id) DO NOTHING",
                )
                .bind(role)
                .bind(community.0)
                .bind(user.0)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(true)
            }

            async fn leave_volunteer_role(
                &self,
                community: tsunagari_domain::community::CommunityId,
                role: i64,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<bool> {
                let done = sqlx::query("DELETE FROM volunteer_assignments WHERE role_id = $1 AND community_id = $2 AND user_id = $3")
                    .bind(role)
                    .bind(community.0)
                    .bind(user.0)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

pub(crate) use directory_queries;
