//! Which tools organisers switched on or off: the store trait. The choices
//! are kept on the community's row (`Community::tool_choices`), so reading
//! them costs no query; SQL in `sql_tools.rs`, shared by both backends.

use async_trait::async_trait;
use tsunagari_domain::Timestamp;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::tools::CommunityTool;

use crate::StoreResult;

/// Organisers' tool choices per community.
#[async_trait]
pub trait CommunityToolStore: Send + Sync {
    /// Sets the choice for one tool and returns all the community's
    /// choices; `None` when there is no such community. Two organisers
    /// switching different tools at once both keep their change.
    async fn set_tool_choice(
        &self,
        community: CommunityId,
        tool: CommunityTool,
        enabled: bool,
        now: Timestamp,
    ) -> StoreResult<Option<Vec<(CommunityTool, bool)>>>;
}
