//! A community's member directory, members' own introductions, and
//! volunteer roles.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tsunagari_app::AppError;
use tsunagari_domain::community::{CommunityId, MembershipStatus, Role};
use tsunagari_domain::directory::{FieldVisibility, MemberProfileDraft};
use tsunagari_domain::{Locale, UserId};

use super::communities::{Choice, prefecture_choices, prefecture_name, role_label};
use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::context::{RequestContext, RequireUser};
use crate::error::{Failure, FormErrors};
use crate::state::AppState;

/// A member as listed.
pub struct MemberView {
    user_id: i64,
    name: String,
    role_label: String,
    details: Vec<String>,
    bio: Option<String>,
    volunteer_roles: Vec<String>,
    joined: Option<String>,
    answer: Option<String>,
    actions: Vec<(&'static str, String)>,
}

/// A volunteer role as listed.
pub struct RoleView {
    id: i64,
    name: String,
    description: String,
    holders: String,
    mine: bool,
}

/// The member list.
#[derive(Template, WebTemplate)]
#[template(path = "communities/members.html")]
pub struct MembersPage {
    ctx: RequestContext,
    id: i64,
    name: String,
    is_member: bool,
    organises: bool,
    is_owner: bool,
    members: Vec<MemberView>,
    pending: Vec<MemberView>,
    banned: Vec<MemberView>,
    transfer_candidates: Vec<(i64, String)>,
    roles: Vec<RoleView>,
    role_errors: FormErrors,
    role_name: String,
    role_description: String,
}

impl MembersPage {
    async fn load(state: &AppState, ctx: RequestContext, id: i64) -> Result<MembersPage, Failure> {
        let viewer = ctx.user.as_ref().map(|u| &u.account);
        let community = CommunityId(id);
        let data = state.communities.page(viewer, community).await?;
        let actor_role = data
            .membership
            .as_ref()
            .filter(|m| m.is_active())
            .map(|m| m.role);
        let organises = data.viewer_organises();
        let is_owner = actor_role == Some(Role::Owner);
        let directory = state.communities.directory(viewer, community).await?;
        let roles = state.communities.volunteer_roles(viewer, community).await?;
        let locale: Locale = ctx.tr.locale();
        let hidden = ctx.t("members-hidden-name");
        let shown_names: HashMap<UserId, String> = directory
            .iter()
            .map(|e| (e.user_id, e.name.clone().unwrap_or_else(|| hidden.clone())))
            .collect();

        let members = directory
            .iter()
            .map(|entry| {
                let may_act = organises
                    && !entry.is_me
                    && entry.role != Role::Owner
                    && (entry.role == Role::Member || is_owner);
                let mut actions = Vec::new();
                if may_act {
                    if entry.role == Role::Member {
                        actions.push(("promote", ctx.t("member-promote")));
                    } else {
                        actions.push(("demote", ctx.t("member-demote")));
                    }
                    actions.push(("remove", ctx.t("member-remove")));
                    actions.push(("ban", ctx.t("member-ban")));
                }
                let mut details = Vec::new();
                if let Some(occupation) = &entry.occupation {
                    details.push(ctx.t1("members-occupation", "value", occupation));
                }
                if let Some(region) = entry.region {
                    details.push(ctx.t1(
                        "members-region",
                        "value",
                        prefecture_name(region, locale),
                    ));
                }
                MemberView {
                    user_id: entry.user_id.0,
                    name: shown_names[&entry.user_id].clone(),
                    role_label: role_label(&ctx, entry.role),
                    details,
                    bio: entry.bio.clone(),
                    volunteer_roles: entry.volunteer_roles.clone(),
                    joined: None,
                    answer: None,
                    actions,
                }
            })
            .collect();

        let (pending, banned) = if organises {
            let accept = vec![
                ("accept", ctx.t("member-accept")),
                ("decline", ctx.t("member-decline")),
            ];
            (
                listed_with_status(state, &ctx, community, MembershipStatus::Pending, accept)
                    .await?,
                listed_with_status(
                    state,
                    &ctx,
                    community,
                    MembershipStatus::Banned,
                    vec![("unban", ctx.t("member-unban"))],
                )
                .await?,
            )
        } else {
            (Vec::new(), Vec::new())
        };

        let viewer_id = viewer.map(|a| a.id);
        let roles = roles
            .into_iter()
            .map(|entry| RoleView {
                id: entry.role.id,
                mine: entry
                    .holders
                    .iter()
                    .any(|(holder, _)| Some(*holder) == viewer_id),
                holders: if entry.holders.is_empty() {
                    ctx.t("volunteer-nobody")
                } else {
                    let names: Vec<String> = entry
                        .holders
                        .iter()
                        .map(|(holder, _)| {
                            shown_names
                                .get(holder)
                                .cloned()
                                .unwrap_or_else(|| hidden.clone())
                        })
                        .collect();
                    ctx.t1("volunteer-holders", "names", names.join("、"))
                },
                name: entry.role.name,
                description: entry.role.description,
            })
            .collect();
        let transfer_candidates = if is_owner {
            directory
                .iter()
                .filter(|e| !e.is_me)
                .map(|e| (e.user_id.0, shown_names[&e.user_id].clone()))
                .collect()
        } else {
            Vec::new()
        };
        Ok(MembersPage {
            id,
            name: data.community.profile.name,
            is_member: actor_role.is_some(),
            organises,
            is_owner,
            members,
            pending,
            banned,
            transfer_candidates,
            roles,
            role_errors: FormErrors::default(),
            role_name: String::new(),
            role_description: String::new(),
            ctx,
        })
    }
}

/// Pending requests or bans, for organisers: with join time and answer.
async fn listed_with_status(
    state: &AppState,
    ctx: &RequestContext,
    community: CommunityId,
    status: MembershipStatus,
    actions: Vec<(&'static str, String)>,
) -> Result<Vec<MemberView>, Failure> {
    let viewer = ctx.user.as_ref().map(|u| &u.account);
    let zone = reader_zone(ctx);
    let locale = ctx.tr.locale();
    let entries = state.communities.members(viewer, community, status).await?;
    Ok(entries
        .iter()
        .map(|e| MemberView {
            user_id: e.membership.user_id.0,
            name: e.display_name.clone(),
            role_label: role_label(ctx, e.membership.role),
            details: Vec::new(),
            bio: None,
            volunteer_roles: Vec::new(),
            joined: Some(ctx.t1(
                "members-joined",
                "time",
                format_time(e.membership.joined_at, zone, locale),
            )),
            answer: e.membership.join_answer.clone(),
            actions: actions.clone(),
        })
        .collect())
}

/// `GET /communities/{id}/members`.
pub async fn members(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<MembersPage, Failure> {
    MembersPage::load(&state, ctx, id).await
}

/// The member's introduction form.
#[derive(Template, WebTemplate)]
#[template(path = "communities/profile.html")]
pub struct ProfilePage {
    ctx: RequestContext,
    id: i64,
    name: String,
    form: ProfileForm,
    prefectures: Vec<Choice>,
    errors: FormErrors,
}

/// The introduction form as posted.
#[derive(Deserialize, Default, Clone)]
pub struct ProfileForm {
    #[serde(default)]
    occupation: String,
    #[serde(default)]
    prefecture: String,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    name_visibility: String,
    #[serde(default)]
    occupation_visibility: String,
    #[serde(default)]
    region_visibility: String,
    #[serde(default)]
    bio_visibility: String,
}

impl ProfilePage {
    /// The four visibility selects: field name, label key, current value.
    fn visibility_fields(&self) -> Vec<(&'static str, &'static str, &str)> {
        vec![
            (
                "name_visibility",
                "profile-visibility-name",
                self.form.name_visibility.as_str(),
            ),
            (
                "occupation_visibility",
                "profile-visibility-occupation",
                self.form.occupation_visibility.as_str(),
            ),
            (
                "region_visibility",
                "profile-visibility-region",
                self.form.region_visibility.as_str(),
            ),
            (
                "bio_visibility",
                "profile-visibility-bio",
                self.form.bio_visibility.as_str(),
            ),
        ]
    }

    /// The visibility choices: value and label key.
    fn visibility_choices(&self) -> Vec<(&'static str, String)> {
        FieldVisibility::ALL
            .iter()
            .map(|v| (v.as_str(), format!("visibility-{}", v.as_str())))
            .collect()
    }
}

/// `GET /communities/{id}/profile`.
pub async fn profile_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<ProfilePage, Failure> {
    let profile = state
        .communities
        .member_profile(&user.account, CommunityId(id))
        .await?;
    let name = state
        .communities
        .page(Some(&user.account), CommunityId(id))
        .await?
        .community
        .profile
        .name;
    let form = ProfileForm {
        occupation: profile.occupation,
        prefecture: profile
            .prefecture
            .map(|p| p.code().to_owned())
            .unwrap_or_default(),
        bio: profile.bio,
        name_visibility: profile.name_visibility.as_str().to_owned(),
        occupation_visibility: profile.occupation_visibility.as_str().to_owned(),
        region_visibility: profile.region_visibility.as_str().to_owned(),
        bio_visibility: profile.bio_visibility.as_str().to_owned(),
    };
    Ok(ProfilePage {
        prefectures: prefecture_choices(&ctx, &form.prefecture),
        ctx,
        id,
        name,
        form,
        errors: FormErrors::default(),
    })
}

/// `POST /communities/{id}/profile`.
pub async fn save_profile(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<ProfileForm>,
) -> Result<Response, Failure> {
    let draft = MemberProfileDraft {
        occupation: form.occupation.clone(),
        prefecture: form.prefecture.clone(),
        bio: form.bio.clone(),
        name_visibility: form.name_visibility.clone(),
        occupation_visibility: form.occupation_visibility.clone(),
        region_visibility: form.region_visibility.clone(),
        bio_visibility: form.bio_visibility.clone(),
    };
    match state
        .communities
        .save_member_profile(&user.account, CommunityId(id), &draft)
        .await
    {
        Ok(()) => Ok(redirect_with_notice(
            &ctx,
            &format!("/communities/{id}/members"),
            Some("profile-saved"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let name = state
                .communities
                .page(Some(&user.account), CommunityId(id))
                .await?
                .community
                .profile
                .name;
            let errors = FormErrors::from_failure(&ctx.tr, &failure);
            let page = ProfilePage {
                prefectures: prefecture_choices(&ctx, &form.prefecture),
                ctx,
                id,
                name,
                form,
                errors,
            };
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The new volunteer role form.
#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

/// `POST /communities/{id}/roles`.
pub async fn create_role(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<RoleForm>,
) -> Result<Response, Failure> {
    match state
        .communities
        .create_volunteer_role(
            &user.account,
            CommunityId(id),
            &form.name,
            &form.description,
        )
        .await
    {
        Ok(()) => Ok(redirect_with_notice(
            &ctx,
            &format!("/communities/{id}/members"),
            Some("volunteer-saved"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let mut page = MembersPage::load(&state, ctx, id).await?;
            page.role_errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            page.role_name = form.name;
            page.role_description = form.description;
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// What to do with a volunteer role.
#[derive(Deserialize)]
pub struct RoleActionForm {
    #[serde(default)]
    action: String,
}

/// `POST /communities/{id}/roles/{role_id}`: take, leave or delete.
pub async fn act_on_role(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path((id, role)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<RoleActionForm>,
) -> Result<Response, Failure> {
    let community = CommunityId(id);
    match form.action.as_str() {
        "take" => {
            state
                .communities
                .take_volunteer_role(&user.account, community, role)
                .await?
        }
        "leave" => {
            state
                .communities
                .leave_volunteer_role(&user.account, community, role)
                .await?
        }
        "delete" => {
            state
                .communities
                .delete_volunteer_role(&user.account, community, role)
                .await?
        }
        _ => return Err(Failure::bad_request()),
    }
    Ok(redirect_with_notice(
        &ctx,
        &format!("/communities/{id}/members"),
        Some("volunteer-saved"),
        Vec::new(),
    ))
}
