//! Community tools: the organisers' page that switches ballots, the opinion
//! box, the share register and the union tools on and off, and the list of
//! tools a community page links to.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use tsunagari_app::{AppError, Denial};
use tsunagari_domain::community::{Community, CommunityId};
use tsunagari_domain::tools::CommunityTool;

use super::{HtmlForm, redirect_with_notice};
use crate::context::{RequestContext, RequireUser};
use crate::error::Failure;
use crate::state::AppState;

/// A tool as a link on a community page.
pub struct ToolLink {
    /// Where the tool lives.
    pub href: String,
    /// Translated name.
    pub label: String,
    /// Translated one-line purpose.
    pub summary: String,
}

/// The address of a tool inside a community.
pub fn tool_path(community: CommunityId, tool: CommunityTool) -> String {
    format!("/communities/{}/{}", community.0, tool.as_str())
}

/// The tools on in a community, as links.
pub fn links(ctx: &RequestContext, community: &Community) -> Vec<ToolLink> {
    community
        .enabled_tools()
        .into_iter()
        .map(|tool| ToolLink {
            href: tool_path(community.id, tool),
            label: ctx.t(&format!("tool-{}", tool.as_str())),
            summary: ctx.t(&format!("tool-{}-summary", tool.as_str())),
        })
        .collect()
}

/// One row of the settings page.
pub struct ToolSetting {
    /// Stable name, posted back.
    pub name: &'static str,
    /// Translated name.
    pub label: String,
    /// Translated one-line purpose.
    pub summary: String,
    /// Whether it is on.
    pub on: bool,
    /// Whether it is on for this kind unless switched off.
    pub default_on: bool,
}

/// `GET /communities/{id}/tools`.
#[derive(Template, WebTemplate)]
#[template(path = "tools/settings.html")]
pub struct SettingsPage {
    ctx: RequestContext,
    id: i64,
    name: String,
    tools: Vec<ToolSetting>,
}

/// `GET /communities/{id}/tools`: organisers only.
pub async fn settings(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<SettingsPage, Failure> {
    let page = state
        .communities
        .page(Some(&user.account), CommunityId(id))
        .await?;
    if !page.viewer_organises() {
        return Err(AppError::Forbidden(Denial::NotOrganiser).into());
    }
    let community = &page.community;
    let enabled = community.enabled_tools();
    let tools = CommunityTool::offered(community.kind)
        .into_iter()
        .map(|tool| ToolSetting {
            name: tool.as_str(),
            label: ctx.t(&format!("tool-{}", tool.as_str())),
            summary: ctx.t(&format!("tool-{}-summary", tool.as_str())),
            on: enabled.contains(&tool),
            default_on: tool.on_by_default(community.kind),
        })
        .collect();
    Ok(SettingsPage {
        id,
        name: community.profile.name.clone(),
        tools,
        ctx,
    })
}

/// The switch form.
#[derive(Deserialize)]
pub struct SwitchForm {
    enabled: String,
}

/// `POST /communities/{id}/tools/{tool}`: switches one tool on (`enabled=1`)
/// or off (`enabled=0`). Switching off hides the tool; nothing it holds is
/// deleted, and switching it on again shows everything as it was.
pub async fn switch(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path((id, tool)): Path<(i64, String)>,
    HtmlForm(form): HtmlForm<SwitchForm>,
) -> Result<Response, Failure> {
    let tool = CommunityTool::parse(&tool).ok_or_else(Failure::not_found)?;
    let enabled = match form.enabled.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(Failure::bad_request()),
    };
    state
        .tools
        .set(&user.account, CommunityId(id), tool, enabled)
        .await?;
    let notice = if enabled {
        "tools-switched-on"
    } else {
        "tools-switched-off"
    };
    Ok(redirect_with_notice(
        &ctx,
        &format!("/communities/{id}/tools"),
        Some(notice),
        Vec::new(),
    ))
}
