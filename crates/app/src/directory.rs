//! The member directory and volunteer roles of a community.

use tsunagari_domain::community::{self, CommunityId, MembershipStatus, Role};
use tsunagari_domain::directory::{self, MemberProfile, MemberProfileDraft, Viewer};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::time::now;
use tsunagari_domain::{Account, UserId};
use tsunagari_store::{Conflict, StoreError, VolunteerRoleEntry};

use crate::{AppError, Communities, Denial, Field, FieldErrors, FieldProblem};

/// One member as a particular viewer may see them: hidden fields are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryEntry {
    /// The member.
    pub user_id: UserId,
    /// Their role.
    pub role: Role,
    /// Display name, unless hidden from this viewer.
    pub name: Option<String>,
    /// Occupation, when given and visible.
    pub occupation: Option<String>,
    /// Region, when given and visible.
    pub region: Option<Prefecture>,
    /// Introduction, when given and visible.
    pub bio: Option<String>,
    /// Volunteer roles they hold (always shown: taking one is public within the directory).
    pub volunteer_roles: Vec<String>,
    /// Whether this is the viewer.
    pub is_me: bool,
}

impl Communities {
    async fn viewer_relation(
        &self,
        viewer: Option<&Account>,
        id: CommunityId,
    ) -> Result<(Viewer, bool), AppError> {
        let community = self.existing(id).await?;
        let membership = match viewer {
            Some(account) => self.store.membership(id, account.id).await?,
            None => None,
        };
        let relation = match &membership {
            Some(m) if m.is_at_least(Role::Organiser) => Viewer::Organiser,
            Some(m) if m.is_active() => Viewer::Member,
            _ => Viewer::Outsider,
        };
        Ok((
            relation,
            community::can_read(community.profile.visibility, membership.as_ref()),
        ))
    }

    /// The directory as `viewer` may see it; members-only communities show
    /// it to members alone.
    pub async fn directory(
        &self,
        viewer: Option<&Account>,
        id: CommunityId,
    ) -> Result<Vec<DirectoryEntry>, AppError> {
        let (relation, can_read) = self.viewer_relation(viewer, id).await?;
        if !can_read {
            return Err(AppError::Forbidden(Denial::MembersOnly));
        }
        let members = self.store.members(id, MembershipStatus::Active).await?;
        let profiles = self.store.member_profiles(id).await?;
        let roles = self.store.volunteer_roles(id).await?;
        let viewer_id = viewer.map(|a| a.id);
        Ok(members
            .into_iter()
            .map(|entry| {
                let user = entry.membership.user_id;
                let is_me = Some(user) == viewer_id;
                let sees = if is_me { Viewer::Myself } else { relation };
                let profile = profiles.get(&user).cloned().unwrap_or_default();
                let nonempty = |text: &str| (!text.is_empty()).then(|| text.to_owned());
                DirectoryEntry {
                    user_id: user,
                    role: entry.membership.role,
                    name: profile
                        .name_visibility
                        .visible_to(sees)
                        .then_some(entry.display_name),
                    occupation: profile
                        .occupation_visibility
                        .visible_to(sees)
                        .then(|| nonempty(&profile.occupation))
                        .flatten(),
                    region: profile
                        .region_visibility
                        .visible_to(sees)
                        .then_some(profile.prefecture)
                        .flatten(),
                    bio: profile
                        .bio_visibility
                        .visible_to(sees)
                        .then(|| nonempty(&profile.bio))
                        .flatten(),
                    volunteer_roles: roles
                        .iter()
                        .filter(|r| r.holders.iter().any(|(holder, _)| *holder == user))
                        .map(|r| r.role.name.clone())
                        .collect(),
                    is_me,
                }
            })
            .collect())
    }

    /// The actor's own profile in a community (defaults when never saved).
    pub async fn member_profile(
        &self,
        actor: &Account,
        id: CommunityId,
    ) -> Result<MemberProfile, AppError> {
        self.require_role(actor, id, Role::Member).await?;
        Ok(self
            .store
            .member_profile(id, actor.id)
            .await?
            .unwrap_or_default())
    }

    /// Saves the actor's profile in a community.
    pub async fn save_member_profile(
        &self,
        actor: &Account,
        id: CommunityId,
        draft: &MemberProfileDraft,
    ) -> Result<(), AppError> {
        self.require_role(actor, id, Role::Member).await?;
        let profile = draft.validate().map_err(|errors| {
            let mut fields = FieldErrors::default();
            for error in errors {
                fields.add(
                    FieldProblem::profile_field(error),
                    FieldProblem::Profile(error),
                );
            }
            AppError::Invalid(fields)
        })?;
        Ok(self
            .store
            .save_member_profile(id, actor.id, &profile, now())
            .await?)
    }

    /// A community's volunteer roles, for those who can read it.
    pub async fn volunteer_roles(
        &self,
        viewer: Option<&Account>,
        id: CommunityId,
    ) -> Result<Vec<VolunteerRoleEntry>, AppError> {
        let (_, can_read) = self.viewer_relation(viewer, id).await?;
        if !can_read {
            return Err(AppError::Forbidden(Denial::MembersOnly));
        }
        Ok(self.store.volunteer_roles(id).await?)
    }

    /// Organisers define a volunteer role.
    pub async fn create_volunteer_role(
        &self,
        actor: &Account,
        id: CommunityId,
        name: &str,
        description: &str,
    ) -> Result<(), AppError> {
        self.require_role(actor, id, Role::Organiser).await?;
        let (name, description) =
            directory::validate_volunteer_role(name, description).map_err(|_| {
                AppError::Invalid(FieldErrors::single(
                    Field::Name,
                    FieldProblem::VolunteerRole,
                ))
            })?;
        match self
            .store
            .create_volunteer_role(id, &name, &description, now())
            .await
        {
            Ok(_) => Ok(()),
            Err(StoreError::Conflict(Conflict::RoleNameTaken)) => Err(AppError::Invalid(
                FieldErrors::single(Field::Name, FieldProblem::RoleNameTaken),
            )),
            Err(other) => Err(other.into()),
        }
    }

    /// Organisers remove a volunteer role.
    pub async fn delete_volunteer_role(
        &self,
        actor: &Account,
        id: CommunityId,
        role: i64,
    ) -> Result<(), AppError> {
        self.require_role(actor, id, Role::Organiser).await?;
        if self.store.delete_volunteer_role(id, role).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// A member takes a volunteer role.
    pub async fn take_volunteer_role(
        &self,
        actor: &Account,
        id: CommunityId,
        role: i64,
    ) -> Result<(), AppError> {
        self.require_role(actor, id, Role::Member).await?;
        if self
            .store
            .take_volunteer_role(id, role, actor.id, now())
            .await?
        {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// A member gives a volunteer role up.
    pub async fn leave_volunteer_role(
        &self,
        actor: &Account,
        id: CommunityId,
        role: i64,
    ) -> Result<(), AppError> {
        self.require_role(actor, id, Role::Member).await?;
        if self.store.leave_volunteer_role(id, role, actor.id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}
