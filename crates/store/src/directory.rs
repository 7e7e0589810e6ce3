//! Member profiles and volunteer roles: the store trait. SQL in
//! `sql_directory.rs`.

use std::collections::HashMap;

use async_trait::async_trait;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::directory::{MemberProfile, VolunteerRole};
use tsunagari_domain::{Timestamp, UserId};

use crate::StoreResult;

/// A volunteer role with the people holding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolunteerRoleEntry {
    /// The role.
    pub role: VolunteerRole,
    /// Holders: id and display name, in the order they took it.
    pub holders: Vec<(UserId, String)>,
}

/// Member profiles and volunteer roles of communities.
#[async_trait]
pub trait DirectoryStore: Send + Sync {
    /// A member's profile in a community, if they saved one.
    async fn member_profile(
        &self,
        community: CommunityId,
        user: UserId,
    ) -> StoreResult<Option<MemberProfile>>;
    /// Saves a member's profile (the membership must exist).
    async fn save_member_profile(
        &self,
        community: CommunityId,
        user: UserId,
        profile: &MemberProfile,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// All saved profiles of a community's members.
    async fn member_profiles(
        &self,
        community: CommunityId,
    ) -> StoreResult<HashMap<UserId, MemberProfile>>;
    /// Creates a volunteer role; `Conflict::RoleNameTaken` when the name is in use.
    async fn create_volunteer_role(
        &self,
        community: CommunityId,
        name: &str,
        description: &str,
        now: Timestamp,
    ) -> StoreResult<VolunteerRole>;
    /// Deletes a volunteer role of a community; false when there is none.
    async fn delete_volunteer_role(&self, community: CommunityId, role: i64) -> StoreResult<bool>;
    /// The roles of a community with their holders.
    async fn volunteer_roles(&self, community: CommunityId)
    -> StoreResult<Vec<VolunteerRoleEntry>>;
    /// A member takes a role (idempotent); false when the role is not the community's.
    async fn take_volunteer_role(
        &self,
        community: CommunityId,
        role: i64,
        user: UserId,
        now: Timestamp,
    ) -> StoreResult<bool>;
    /// A member gives a role up; false when they did not hold it.
    async fn leave_volunteer_role(
        &self,
        community: CommunityId,
        role: i64,
        user: UserId,
    ) -> StoreResult<bool>;
}
