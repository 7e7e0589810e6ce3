//! Community tools: which of the kind-specific tools (ballots, opinion box,
//! share register, counselling, petitions, solidarity fund) are on in a
//! community, and the gate every tool's use case passes first.

use std::sync::Arc;

use tsunagari_domain::Account;
use tsunagari_domain::community::{Community, CommunityId, Role};
use tsunagari_domain::time::now;
use tsunagari_domain::tools::{CommunityTool, enabled_tools};
use tsunagari_store::Store;

use crate::{AppError, Denial};

/// The tool-setting use cases.
#[derive(Clone)]
pub struct CommunityTools {
    store: Arc<dyn Store>,
}

impl CommunityTools {
    /// Tool settings over a store.
    pub fn new(store: Arc<dyn Store>) -> CommunityTools {
        CommunityTools { store }
    }

    /// The community, when `tool` is on in it: the first step of every
    /// tool's use case. `NotFound` for a missing community,
    /// `Forbidden(ToolOff)` when the tool is off or not offered to its kind.
    pub async fn require(
        &self,
        community: CommunityId,
        tool: CommunityTool,
    ) -> Result<Community, AppError> {
        let community = self
            .store
            .community(community)
            .await?
            .ok_or(AppError::NotFound)?;
        if community.enabled_tools().contains(&tool) {
            Ok(community)
        } else {
            Err(AppError::Forbidden(Denial::ToolOff))
        }
    }

    /// Switches a tool on or off (organisers). Tools not offered to the
    /// community's kind cannot be switched on.
    pub async fn set(
        &self,
        actor: &Account,
        community: CommunityId,
        tool: CommunityTool,
        enabled: bool,
    ) -> Result<Vec<CommunityTool>, AppError> {
        let found = self
            .store
            .community(community)
            .await?
            .ok_or(AppError::NotFound)?;
        match self.store.membership(community, actor.id).await? {
            Some(m) if m.is_active() && m.is_at_least(Role::Organiser) => {}
            _ => return Err(AppError::Forbidden(Denial::NotOrganiser)),
        }
        if enabled && !tool.offered_to(found.kind) {
            return Err(AppError::Forbidden(Denial::ToolOff));
        }
        let choices = self
            .store
            .set_tool_choice(community, tool, enabled, now())
            .await?
            .ok_or(AppError::NotFound)?;
        tracing::info!(
            community_id = community.0,
            tool = tool.as_str(),
            enabled,
            "tool switched"
        );
        Ok(enabled_tools(found.kind, &choices))
    }
}
