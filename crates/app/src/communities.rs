//! Community use cases: create and configure, join and leave, requests,
//! roles, ownership, removal and bans.

use std::sync::Arc;

use tsunagari_domain::community::{
    self, Community, CommunityDraft, CommunityId, CommunityKind, JoinOutcome, JoinRefusal,
    MAX_DEPTH, Membership, MembershipStatus, Role,
};
use tsunagari_domain::moderation::{AuditAction, AuditEntry, AuditTarget};
use tsunagari_domain::time::now;
use tsunagari_domain::{Account, UserId};
use tsunagari_store::{
    CommunityFilter, CommunityListing, Conflict, EventListing, FrontPageLimits, MemberEntry, Store,
    StoreError,
};

use tsunagari_domain::notification::NotificationKind;

use crate::{AppError, Denial, Field, FieldErrors, FieldProblem, Notifications};

/// The community use cases.
#[derive(Clone)]
pub struct Communities {
    pub(crate) store: Arc<dyn Store>,
    notifications: Notifications,
}

/// What a person sees of one community.
#[derive(Debug, Clone)]
pub struct CommunityPage {
    /// The community.
    pub community: Community,
    /// Active members.
    pub member_count: i64,
    /// The viewer's membership, if any.
    pub membership: Option<Membership>,
    /// Whether the viewer may read threads, events and members.
    pub can_read: bool,
    /// The community this one is a sub-group of.
    pub parent: Option<Community>,
    /// Its branches and clubs.
    pub subgroups: Vec<CommunityListing>,
}

/// A community's front page with what it lists.
#[derive(Debug, Clone)]
pub struct FrontPage {
    /// The page.
    pub page: CommunityPage,
    /// Latest threads as the viewer sees them.
    pub threads: Vec<crate::ThreadListing>,
    /// Upcoming events.
    pub upcoming: Vec<EventListing>,
}

impl CommunityPage {
    /// Whether the viewer organises (or owns) the community.
    pub fn viewer_organises(&self) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.is_at_least(Role::Organiser))
    }
}

/// What an organiser does to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberAction {
    /// Accept a join request.
    Accept,
    /// Decline a join request.
    Decline,
    /// Make an organiser.
    Promote,
    /// Make a plain member again.
    Demote,
    /// Remove (they may rejoin).
    Remove,
    /// Remove and bar from rejoining.
    Ban,
    /// Lift a ban (they may join again).
    Unban,
}

impl MemberAction {
    /// Parses the form and API name.
    pub fn parse(name: &str) -> Option<MemberAction> {
        Some(match name {
            "accept" => MemberAction::Accept,
            "decline" => MemberAction::Decline,
            "promote" => MemberAction::Promote,
            "demote" => MemberAction::Demote,
            "remove" => MemberAction::Remove,
            "ban" => MemberAction::Ban,
            "unban" => MemberAction::Unban,
            _ => return None,
        })
    }

    /// How the audit log records it.
    pub fn audit_action(self) -> AuditAction {
        match self {
            MemberAction::Accept => AuditAction::MemberAccepted,
            MemberAction::Decline => AuditAction::MemberDeclined,
            MemberAction::Promote => AuditAction::MemberPromoted,
            MemberAction::Demote => AuditAction::MemberDemoted,
            MemberAction::Remove => AuditAction::MemberRemoved,
            MemberAction::Ban => AuditAction::MemberBanned,
            MemberAction::Unban => AuditAction::MemberUnbanned,
        }
    }
}

fn draft_errors(errors: Vec<community::CommunityFieldError>) -> AppError {
    let mut fields = FieldErrors::default();
    for error in errors {
        fields.add(
            FieldProblem::community_field(error),
            FieldProblem::Community(error),
        );
    }
    AppError::Invalid(fields)
}

impl Communities {
    /// Community use cases over a store.
    pub fn new(store: Arc<dyn Store>) -> Communities {
        Communities {
            notifications: Notifications::new(store.clone()),
            store,
        }
    }

    pub(crate) async fn existing(&self, id: CommunityId) -> Result<Community, AppError> {
        self.store.community(id).await?.ok_or(AppError::NotFound)
    }

    pub(crate) async fn require_role(
        &self,
        actor: &Account,
        id: CommunityId,
        role: Role,
    ) -> Result<Membership, AppError> {
        let membership = self.store.membership(id, actor.id).await?;
        match membership {
            Some(m) if m.is_at_least(role) => Ok(m),
            Some(m) if m.is_active() => Err(AppError::Forbidden(if role == Role::Owner {
                Denial::NotOwner
            } else {
                Denial::NotOrganiser
            })),
            _ => Err(AppError::Forbidden(if role == Role::Member {
                Denial::NotMember
            } else {
                Denial::NotOrganiser
            })),
        }
    }

    /// Starts a community (or a branch or club of `parent`) with the
    /// creator as owner. Any active member of the parent may start a
    /// sub-group.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0))]
    pub async fn create(
        &self,
        actor: &Account,
        kind: &str,
        draft: &CommunityDraft,
        parent: Option<CommunityId>,
    ) -> Result<Community, AppError> {
        let Some(kind) = CommunityKind::parse(kind) else {
            let mut errors = match draft.validate(CommunityKind::Professional) {
                Ok(_) => FieldErrors::default(),
                Err(e) => match draft_errors(e) {
                    AppError::Invalid(fields) => fields,
                    _ => FieldErrors::default(),
                },
            };
            errors.add(
                Field::Kind,
                FieldProblem::Community(community::CommunityFieldError::Kind),
            );
            return Err(AppError::Invalid(errors));
        };
        let profile = draft.validate(kind).map_err(draft_errors)?;
        let parent = match parent {
            None => None,
            Some(parent_id) => {
                let Some(depth) = self.store.community_depth(parent_id).await? else {
                    return Err(AppError::Invalid(FieldErrors::single(
                        Field::Parent,
                        FieldProblem::Parent,
                    )));
                };
                if depth as usize + 1 > MAX_DEPTH {
                    return Err(AppError::Invalid(FieldErrors::single(
                        Field::Parent,
                        FieldProblem::Parent,
                    )));
                }
                let member = self.store.membership(parent_id, actor.id).await?;
                if !member.is_some_and(|m| m.is_active()) {
                    return Err(AppError::Forbidden(Denial::NotParentMember));
                }
                Some((parent_id, depth))
            }
        };
        let community = self
            .store
            .create_community(kind, &profile, parent, actor.id, now())
            .await?;
        tracing::info!(community_id = community.id.0, "community created");
        Ok(community)
    }

    /// Saves a community's settings (organisers). The kind never changes.
    pub async fn update(
        &self,
        actor: &Account,
        id: CommunityId,
        draft: &CommunityDraft,
    ) -> Result<Community, AppError> {
        let community = self.existing(id).await?;
        self.require_role(actor, id, Role::Organiser).await?;
        let profile = draft.validate(community.kind).map_err(draft_errors)?;
        Ok(self.store.update_community(id, &profile, now()).await?)
    }

    /// A community as `viewer` sees it.
    pub async fn page(
        &self,
        viewer: Option<&Account>,
        id: CommunityId,
    ) -> Result<CommunityPage, AppError> {
        let listing = self
            .store
            .community_listing(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let community = listing.community;
        let membership = match viewer {
            Some(account) => self.store.membership(id, account.id).await?,
            None => None,
        };
        let parent = match community.parent_id {
            Some(parent) => self.store.community(parent).await?,
            None => None,
        };
        // Most communities have no sub-groups: the count on the listing row
        // saves this page, read on every visit, a query.
        let subgroups = if listing.subgroup_count == 0 {
            Vec::new()
        } else {
            self.store
                .list_communities(&CommunityFilter {
                    parent: Some(id),
                    limit: 100,
                    ..Default::default()
                })
                .await?
        };
        Ok(CommunityPage {
            can_read: community::can_read(community.profile.visibility, membership.as_ref()),
            member_count: listing.member_count,
            community,
            membership,
            parent,
            subgroups,
        })
    }

    /// A community's front page: the page itself with its latest threads
    /// and upcoming events (empty when the viewer may not read them), read
    /// in one go because it is the most visited page.
    pub async fn front_page(
        &self,
        viewer: Option<&Account>,
        id: CommunityId,
        limits: FrontPageLimits,
    ) -> Result<FrontPage, AppError> {
        let read = self
            .store
            .community_front_page(id, viewer.map(|a| a.id), now(), limits)
            .await?
            .ok_or(AppError::NotFound)?;
        let organiser = read
            .membership
            .as_ref()
            .is_some_and(|m| m.is_at_least(Role::Organiser));
        let (threads, upcoming) = match read.content {
            Some(content) => (
                crate::threads::readable_listings(content.threads, organiser),
                content.upcoming,
            ),
            None => (Vec::new(), Vec::new()),
        };
        Ok(FrontPage {
            page: CommunityPage {
                can_read: community::can_read(
                    read.listing.community.profile.visibility,
                    read.membership.as_ref(),
                ),
                member_count: read.listing.member_count,
                community: read.listing.community,
                membership: read.membership,
                parent: read.parent,
                subgroups: read.subgroups,
            },
            threads,
            upcoming,
        })
    }

    /// Communities for the discovery page and the API.
    pub async fn list(&self, filter: &CommunityFilter) -> Result<Vec<CommunityListing>, AppError> {
        Ok(self.store.list_communities(filter).await?)
    }

    /// A person's communities.
    pub async fn communities_of(
        &self,
        account: &Account,
    ) -> Result<Vec<(CommunityListing, Role)>, AppError> {
        Ok(self.store.communities_of(account.id).await?)
    }

    /// Joins an open community, or asks to join an approval one.
    pub async fn join(
        &self,
        actor: &Account,
        id: CommunityId,
        answer: Option<&str>,
    ) -> Result<JoinOutcome, AppError> {
        let community = self.existing(id).await?;
        let existing = self.store.membership(id, actor.id).await?.map(|m| m.status);
        let member_of_parent = match community.parent_id {
            Some(parent) => Some(
                self.store
                    .membership(parent, actor.id)
                    .await?
                    .is_some_and(|m| m.is_active()),
            ),
            None => None,
        };
        let outcome = community::join(community.profile.membership, existing, member_of_parent)
            .map_err(|refusal| {
                AppError::Forbidden(match refusal {
                    JoinRefusal::AlreadyMember => Denial::AlreadyMember,
                    JoinRefusal::Banned => Denial::Banned,
                    JoinRefusal::NotParentMember => Denial::NotParentMember,
                })
            })?;
        let membership = Membership {
            community_id: id,
            user_id: actor.id,
            role: Role::Member,
            status: match outcome {
                JoinOutcome::Joined => MembershipStatus::Active,
                JoinOutcome::Requested => MembershipStatus::Pending,
            },
            join_answer: answer
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| a.chars().take(1000).collect()),
            joined_at: now(),
        };
        match self.store.add_membership(&membership).await {
            Ok(()) => Ok(outcome),
            // A double click: the first request won.
            Err(StoreError::Conflict(Conflict::AlreadyMember)) => {
                Err(AppError::Forbidden(Denial::AlreadyMember))
            }
            Err(other) => Err(other.into()),
        }
    }

    /// Leaves a community (and its sub-groups), or withdraws a request. The
    /// person's posts stay. The owner hands over first.
    pub async fn leave(&self, actor: &Account, id: CommunityId) -> Result<(), AppError> {
        self.existing(id).await?;
        match self.store.membership(id, actor.id).await? {
            None => Err(AppError::Forbidden(Denial::NotMember)),
            Some(m) if m.status == MembershipStatus::Banned => {
                Err(AppError::Forbidden(Denial::NotMember))
            }
            Some(m) if m.role == Role::Owner => Err(AppError::Forbidden(Denial::OwnerMustTransfer)),
            Some(_) => {
                self.store.remove_membership(id, actor.id).await?;
                Ok(())
            }
        }
    }

    /// Members with a status: the directory (active) is for those who can
    /// read the community; pending requests and bans are for organisers.
    pub async fn members(
        &self,
        viewer: Option<&Account>,
        id: CommunityId,
        status: MembershipStatus,
    ) -> Result<Vec<MemberEntry>, AppError> {
        let community = self.existing(id).await?;
        let membership = match viewer {
            Some(account) => self.store.membership(id, account.id).await?,
            None => None,
        };
        let allowed = match status {
            MembershipStatus::Active => {
                community::can_read(community.profile.visibility, membership.as_ref())
            }
            _ => membership
                .as_ref()
                .is_some_and(|m| m.is_at_least(Role::Organiser)),
        };
        if !allowed {
            return Err(AppError::Forbidden(if status == MembershipStatus::Active {
                Denial::MembersOnly
            } else {
                Denial::NotOrganiser
            }));
        }
        Ok(self.store.members(id, status).await?)
    }

    /// An organiser acts on a member or a request; the audit log records it.
    pub async fn act_on_member(
        &self,
        actor: &Account,
        id: CommunityId,
        member: UserId,
        action: MemberAction,
    ) -> Result<(), AppError> {
        self.act_on_member_because(actor, id, member, action, None)
            .await
    }

    /// `act_on_member` with the reason the organiser gave, for the audit log.
    pub async fn act_on_member_because(
        &self,
        actor: &Account,
        id: CommunityId,
        member: UserId,
        action: MemberAction,
        reason: Option<&str>,
    ) -> Result<(), AppError> {
        let community = self.existing(id).await?;
        let acting = self.require_role(actor, id, Role::Organiser).await?;
        let target = self
            .store
            .membership(id, member)
            .await?
            .ok_or(AppError::NotFound)?;
        if target.role == Role::Owner {
            return Err(AppError::Forbidden(Denial::OwnerIsProtected));
        }
        // Organisers manage members; only the owner manages organisers.
        if target.role == Role::Organiser && acting.role != Role::Owner {
            return Err(AppError::Forbidden(Denial::PeerOrganiser));
        }
        let expect = |status: MembershipStatus| {
            if target.status == status {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        };
        match action {
            MemberAction::Accept => {
                expect(MembershipStatus::Pending)?;
                self.store
                    .set_membership(id, member, Role::Member, MembershipStatus::Active)
                    .await?;
                let link = format!("/communities/{}", id.0);
                self.notifications
                    .send(
                        &[member],
                        NotificationKind::JoinApproved,
                        &community.profile.name,
                        &link,
                    )
                    .await;
            }
            MemberAction::Decline => {
                expect(MembershipStatus::Pending)?;
                self.store.remove_membership(id, member).await?;
            }
            MemberAction::Promote => {
                expect(MembershipStatus::Active)?;
                self.store
                    .set_membership(id, member, Role::Organiser, MembershipStatus::Active)
                    .await?;
            }
            MemberAction::Demote => {
                expect(MembershipStatus::Active)?;
                self.store
                    .set_membership(id, member, Role::Member, MembershipStatus::Active)
                    .await?;
            }
            MemberAction::Remove => {
                expect(MembershipStatus::Active)?;
                self.store.remove_membership(id, member).await?;
            }
            // Already banned: nothing changes, nothing is logged.
            MemberAction::Ban if target.status == MembershipStatus::Banned => return Ok(()),
            MemberAction::Ban => {
                // Out of the sub-groups too, then barred here.
                self.store.remove_membership(id, member).await?;
                let ban = Membership {
                    community_id: id,
                    user_id: member,
                    role: Role::Member,
                    status: MembershipStatus::Banned,
                    join_answer: None,
                    joined_at: now(),
                };
                self.store.add_membership(&ban).await?;
            }
            MemberAction::Unban => {
                expect(MembershipStatus::Banned)?;
                self.store.lift_ban(id, member).await?;
            }
        }
        // Written after the change (the member store methods are separate
        // statements); a crash in between loses the entry, never invents one.
        self.store
            .append_audit(&AuditEntry {
                community_id: id,
                actor_id: actor.id,
                action: action.audit_action(),
                target: AuditTarget::Member(member),
                reason: reason
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(|r| r.chars().take(500).collect()),
                at: now(),
            })
            .await?;
        tracing::info!(
            community_id = id.0,
            member = member.0,
            ?action,
            by = actor.id.0,
            "member action"
        );
        Ok(())
    }

    /// The owner hands the community to another active member and becomes
    /// an organiser.
    pub async fn transfer_ownership(
        &self,
        actor: &Account,
        id: CommunityId,
        to: UserId,
    ) -> Result<(), AppError> {
        self.existing(id).await?;
        self.require_role(actor, id, Role::Owner).await?;
        let target = self.store.membership(id, to).await?;
        if !target.is_some_and(|m| m.is_active()) || to == actor.id {
            return Err(AppError::Invalid(FieldErrors::single(
                Field::Role,
                FieldProblem::Role,
            )));
        }
        self.store.transfer_ownership(id, actor.id, to).await?;
        self.store
            .append_audit(&AuditEntry {
                community_id: id,
                actor_id: actor.id,
                action: AuditAction::OwnershipTransferred,
                target: AuditTarget::Member(to),
                reason: None,
                at: now(),
            })
            .await?;
        Ok(())
    }
}
