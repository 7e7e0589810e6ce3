//! Community tool switches.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::tools::CommunityTool;
use utoipa::ToSchema;

use super::{ApiJson, ApiUser};
use crate::error::{ErrorEnvelope, Failure};
use crate::state::AppState;

/// Switches one tool on or off.
#[derive(Deserialize, ToSchema)]
pub struct ToolSwitch {
    /// `true` to switch the tool on, `false` to switch it off (nothing it holds is deleted).
    pub enabled: bool,
}

/// The tools on in a community after a change.
#[derive(Serialize, ToSchema)]
pub struct ToolList {
    /// Tool names in page order: `ballots`, `opinions`, `shares`, `counselling`, `petitions`, `fund`.
    pub tools: Vec<String>,
}

/// `PUT /api/v1/communities/{id}/tools/{tool}`.
#[utoipa::path(put, path = "/api/v1/communities/{id}/tools/{tool}", tag = "communities", request_body = ToolSwitch, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id"), ("tool" = String, Path, description = "`ballots`, `opinions`, `shares`, `counselling`, `petitions` or `fund`")),
    responses((status = 200, description = "The tools now on", body = ToolList), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not an organiser", body = ErrorEnvelope),
        (status = 404, description = "No such community or tool, or a tool not offered to the community's kind", body = ErrorEnvelope)))]
pub async fn switch(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path((id, tool)): Path<(i64, String)>,
    ApiJson(input): ApiJson<ToolSwitch>,
) -> Result<Json<ToolList>, Failure> {
    let tool = CommunityTool::parse(&tool).ok_or_else(Failure::not_found)?;
    let tools = state
        .tools
        .set(&account, CommunityId(id), tool, input.enabled)
        .await?;
    Ok(Json(ToolList {
        tools: tools.iter().map(|t| t.as_str().to_owned()).collect(),
    }))
}
