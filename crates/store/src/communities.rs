//! Communities and memberships: records and the store trait. The SQL is in
//! `sql_communities.rs`, shared by both backends.

use async_trait::async_trait;
use tsunagari_domain::community::{
    Community, CommunityId, CommunityKind, CommunityProfile, Membership, MembershipStatus, Role,
};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::{Timestamp, UserId};

use crate::StoreResult;

/// What to list on the discovery page or through the API.
#[derive(Debug, Clone, Default)]
pub struct CommunityFilter {
    /// Only this kind.
    pub kind: Option<CommunityKind>,
    /// Only this prefecture.
    pub prefecture: Option<Prefecture>,
    /// Only communities with this tag (case-insensitive).
    pub tag: Option<String>,
    /// Only sub-groups of this community; `None` lists every level.
    pub parent: Option<CommunityId>,
    /// Only top-level communities (ignored when `parent` is set).
    pub top_level_only: bool,
    /// Page size.
    pub limit: i64,
    /// Rows to skip.
    pub offset: i64,
}

/// A community with its member count, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityListing {
    /// The community.
    pub community: Community,
    /// Active members.
    pub member_count: i64,
    /// Direct sub-groups (branches and clubs one level down).
    pub subgroup_count: i64,
}

/// A member as shown in a directory or to organisers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberEntry {
    /// The membership.
    pub membership: Membership,
    /// The person's display name.
    pub display_name: String,
}

/// Communities and who belongs to them.
#[async_trait]
pub trait CommunityStore: Send + Sync {
    /// Creates a community with `owner` as its owner, in one transaction.
    /// `depth` is the parent's depth plus one (0 for a top-level community).
    async fn create_community(
        &self,
        kind: CommunityKind,
        profile: &CommunityProfile,
        parent: Option<(CommunityId, i32)>,
        owner: UserId,
        now: Timestamp,
    ) -> StoreResult<Community>;
    /// Saves the editable settings.
    async fn update_community(
        &self,
        id: CommunityId,
        profile: &CommunityProfile,
        now: Timestamp,
    ) -> StoreResult<Community>;
    /// A community by id.
    async fn community(&self, id: CommunityId) -> StoreResult<Option<Community>>;
    /// A community with its member count, in one query.
    async fn community_listing(&self, id: CommunityId) -> StoreResult<Option<CommunityListing>>;
    /// How deep a community is nested (0 = top level).
    async fn community_depth(&self, id: CommunityId) -> StoreResult<Option<i32>>;
    /// Communities matching a filter, largest first.
    async fn list_communities(
        &self,
        filter: &CommunityFilter,
    ) -> StoreResult<Vec<CommunityListing>>;
    /// One person's membership, if any (including pending and banned).
    async fn membership(
        &self,
        community: CommunityId,
        user: UserId,
    ) -> StoreResult<Option<Membership>>;
    /// Adds a membership row; `Conflict::AlreadyMember` when one exists.
    async fn add_membership(&self, membership: &Membership) -> StoreResult<()>;
    /// Changes role and status; false when there is no such membership.
    async fn set_membership(
        &self,
        community: CommunityId,
        user: UserId,
        role: Role,
        status: MembershipStatus,
    ) -> StoreResult<bool>;
    /// Removes a person from a community and from all its sub-groups,
    /// returning how many memberships ended.
    async fn remove_membership(&self, community: CommunityId, user: UserId) -> StoreResult<u64>;
    /// Deletes a ban so the person may join again; false when there was none.
    async fn lift_ban(&self, community: CommunityId, user: UserId) -> StoreResult<bool>;
    /// Memberships with a status, with names, organisers first then by join time.
    async fn members(
        &self,
        community: CommunityId,
        status: MembershipStatus,
    ) -> StoreResult<Vec<MemberEntry>>;
    /// Makes `to` the owner and the previous owner an organiser, atomically.
    async fn transfer_ownership(
        &self,
        community: CommunityId,
        from: UserId,
        to: UserId,
    ) -> StoreResult<()>;
    /// The active memberships of a person, with the communities.
    async fn communities_of(&self, user: UserId) -> StoreResult<Vec<(CommunityListing, Role)>>;
}
