//! Which tools organisers switched on or off: the store trait. SQL in
//! `sql_tools.rs`, shared by both backends.

use async_trait::async_trait;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::tools::CommunityTool;
use tsunagari_domain::{Timestamp, UserId};

use crate::StoreResult;

/// Organisers' tool choices per community. Tools without a stored choice
/// follow their kind's default (`tools::enabled_tools`).
#[async_trait]
pub trait CommunityToolStore: Send + Sync {
    /// The stored choices of a community.
    async fn tool_choices(&self, community: CommunityId)
    -> StoreResult<Vec<(CommunityTool, bool)>>;
    /// Stores (replacing) the choice for one tool.
    async fn set_tool_choice(
        &self,
        community: CommunityId,
        tool: CommunityTool,
        enabled: bool,
        by: UserId,
        now: Timestamp,
    ) -> StoreResult<()>;
}
