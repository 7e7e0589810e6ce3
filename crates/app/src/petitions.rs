//! Petition use cases: organisers start petitions and post dated updates
//! (optionally sent to every signer), members — or anyone signed in, when
//! the organisers allow it — sign once and may withdraw until the deadline.
//! Names are shown only for signers who chose to show theirs; organisers
//! reach signers through notifications and never see their addresses.

use std::sync::Arc;

use tsunagari_domain::community::{self, Community, CommunityId, Membership, Role};
use tsunagari_domain::notification::NotificationKind;
use tsunagari_domain::petition::{
    self, Audience, Milestone, PetitionDraft, PetitionFieldError, PetitionId, SignatureRefusal,
};
use tsunagari_domain::time::now;
use tsunagari_domain::tools::CommunityTool;
use tsunagari_domain::{Account, UserId};
use tsunagari_store::{Conflict, PetitionListing, PetitionUpdate, Signature, Store, StoreError};

use crate::{AppError, CommunityTools, Denial, Field, FieldErrors, FieldProblem, Notifications};

/// The petition use cases.
#[derive(Clone)]
pub struct Petitions {
    store: Arc<dyn Store>,
    tools: CommunityTools,
    notifications: Notifications,
}

/// A union's petitions.
#[derive(Debug, Clone)]
pub struct PetitionList {
    /// The union.
    pub community: Community,
    /// The viewer's membership.
    pub membership: Option<Membership>,
    /// Open petitions first.
    pub petitions: Vec<PetitionListing>,
}

impl PetitionList {
    /// Whether the viewer organises the union.
    pub fn viewer_organises(&self) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.is_at_least(Role::Organiser))
    }
}

/// One petition as a viewer sees it.
#[derive(Debug, Clone)]
pub struct PetitionPage {
    /// The petition with its count.
    pub listing: PetitionListing,
    /// The union.
    pub community: Community,
    /// The viewer's membership.
    pub membership: Option<Membership>,
    /// The viewer's signature.
    pub signature: Option<Signature>,
    /// Names of signers who chose to show them.
    pub public_signers: Vec<String>,
    /// The automatic milestones.
    pub milestones: Vec<Milestone>,
    /// The organisers' updates, oldest first.
    pub updates: Vec<PetitionUpdate>,
    /// Whether the viewer may sign now (`Err` says why not); `None` for
    /// visitors who are not signed in.
    pub may_sign: Option<Result<(), SignatureRefusal>>,
}

impl PetitionPage {
    /// Whether the viewer organises the union.
    pub fn viewer_organises(&self) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.is_at_least(Role::Organiser))
    }

    /// Whether signing is still open.
    pub fn is_open(&self) -> bool {
        self.listing.petition.is_open(now())
    }
}

/// The field a petition problem belongs to.
pub fn petition_field(error: PetitionFieldError) -> Field {
    match error {
        PetitionFieldError::Title => Field::Title,
        PetitionFieldError::Demand => Field::Demand,
        PetitionFieldError::Target => Field::Target,
        PetitionFieldError::Goal => Field::Goal,
        PetitionFieldError::Deadline => Field::Deadline,
        PetitionFieldError::Audience => Field::Audience,
        PetitionFieldError::Update => Field::Body,
    }
}

fn invalid(errors: impl IntoIterator<Item = PetitionFieldError>) -> AppError {
    let mut fields = FieldErrors::default();
    for error in errors {
        fields.add(petition_field(error), FieldProblem::Petition(error));
    }
    AppError::Invalid(fields)
}

fn refusal(refusal: SignatureRefusal) -> AppError {
    AppError::Forbidden(match refusal {
        SignatureRefusal::NotMember => Denial::NotMember,
        SignatureRefusal::Closed => Denial::PetitionClosed,
        SignatureRefusal::AlreadySigned => Denial::AlreadySigned,
        SignatureRefusal::NotSigned => Denial::NotSigned,
    })
}

impl Petitions {
    /// Petition use cases over a store.
    pub fn new(store: Arc<dyn Store>) -> Petitions {
        Petitions {
            tools: CommunityTools::new(store.clone()),
            notifications: Notifications::new(store.clone()),
            store,
        }
    }

    async fn membership(
        &self,
        community: CommunityId,
        viewer: Option<&Account>,
    ) -> Result<Option<Membership>, AppError> {
        Ok(match viewer {
            Some(account) => self.store.membership(community, account.id).await?,
            None => None,
        })
    }

    /// A petition with the gate passed, its union, the viewer's membership,
    /// checked against who may read it: anyone who may read the union, and
    /// any signed-in person when the petition is open to them.
    async fn readable(
        &self,
        viewer: Option<&Account>,
        id: PetitionId,
    ) -> Result<(PetitionListing, Community, Option<Membership>), AppError> {
        let listing = self.store.petition(id).await?.ok_or(AppError::NotFound)?;
        let found = self
            .tools
            .require(listing.petition.community_id, CommunityTool::Petitions)
            .await?;
        let membership = self.membership(found.id, viewer).await?;
        let open_to_viewer =
            viewer.is_some() && listing.petition.details.audience == Audience::SignedIn;
        if !community::can_read(found.profile.visibility, membership.as_ref()) && !open_to_viewer {
            return Err(AppError::Forbidden(Denial::MembersOnly));
        }
        Ok((listing, found, membership))
    }

    /// A union's petitions, for those who may read the union.
    pub async fn list(
        &self,
        viewer: Option<&Account>,
        community: CommunityId,
    ) -> Result<PetitionList, AppError> {
        let found = self
            .tools
            .require(community, CommunityTool::Petitions)
            .await?;
        let membership = self.membership(community, viewer).await?;
        if !community::can_read(found.profile.visibility, membership.as_ref()) {
            return Err(AppError::Forbidden(Denial::MembersOnly));
        }
        Ok(PetitionList {
            petitions: self.store.petitions(community, now(), 100).await?,
            community: found,
            membership,
        })
    }

    /// The union, for the organisers' new-petition form.
    pub async fn community_for_new(
        &self,
        actor: &Account,
        community: CommunityId,
    ) -> Result<Community, AppError> {
        let found = self
            .tools
            .require(community, CommunityTool::Petitions)
            .await?;
        match self.store.membership(community, actor.id).await? {
            Some(m) if m.is_at_least(Role::Organiser) => Ok(found),
            _ => Err(AppError::Forbidden(Denial::NotOrganiser)),
        }
    }

    /// Starts a petition (organisers).
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, community_id = community.0))]
    pub async fn create(
        &self,
        actor: &Account,
        community: CommunityId,
        draft: &PetitionDraft,
    ) -> Result<PetitionListing, AppError> {
        self.community_for_new(actor, community).await?;
        let details = draft.validate(now()).map_err(invalid)?;
        let petition = self
            .store
            .create_petition(community, actor.id, &details, now())
            .await?;
        tracing::info!(petition_id = petition.id.0, "petition started");
        Ok(PetitionListing {
            petition,
            signatures: 0,
        })
    }

    /// One petition with its count, milestones, updates and shown names.
    pub async fn page(
        &self,
        viewer: Option<&Account>,
        id: PetitionId,
    ) -> Result<PetitionPage, AppError> {
        let (listing, found, membership) = self.readable(viewer, id).await?;
        let signature = match viewer {
            Some(account) => self.store.signature(id, account.id).await?,
            None => None,
        };
        let times = self.store.signature_times(id).await?;
        let may_sign = viewer.map(|_| {
            if signature.is_some() {
                Err(SignatureRefusal::AlreadySigned)
            } else {
                petition::may_sign(
                    &listing.petition,
                    membership.as_ref().is_some_and(Membership::is_active),
                    now(),
                )
            }
        });
        Ok(PetitionPage {
            milestones: petition::milestones(listing.petition.details.goal, &times),
            public_signers: self.store.public_signers(id).await?,
            updates: self.store.petition_updates(id).await?,
            listing,
            community: found,
            membership,
            signature,
            may_sign,
        })
    }

    /// Signs, once; `show_name` puts the signer's name on the public list.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, petition_id = id.0))]
    pub async fn sign(
        &self,
        actor: &Account,
        id: PetitionId,
        show_name: bool,
    ) -> Result<(Signature, i64), AppError> {
        let (listing, _, membership) = self.readable(Some(actor), id).await?;
        petition::may_sign(
            &listing.petition,
            membership.as_ref().is_some_and(Membership::is_active),
            now(),
        )
        .map_err(refusal)?;
        let signature = match self.store.sign(id, actor.id, show_name, now()).await {
            Ok(signature) => signature,
            Err(StoreError::Conflict(Conflict::AlreadySigned)) => {
                return Err(refusal(SignatureRefusal::AlreadySigned));
            }
            Err(other) => return Err(other.into()),
        };
        let count = self
            .store
            .petition(id)
            .await?
            .map_or(listing.signatures + 1, |l| l.signatures);
        Ok((signature, count))
    }

    /// Withdraws the actor's signature before the deadline.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, petition_id = id.0))]
    pub async fn withdraw(&self, actor: &Account, id: PetitionId) -> Result<(), AppError> {
        let (listing, _, _) = self.readable(Some(actor), id).await?;
        petition::may_withdraw(&listing.petition, now()).map_err(refusal)?;
        if !self.store.withdraw_signature(id, actor.id).await? {
            return Err(refusal(SignatureRefusal::NotSigned));
        }
        Ok(())
    }

    /// Posts a dated update (organisers); with `notify`, every signer gets
    /// a notification linking to it. Returns how many were told.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, petition_id = id.0))]
    pub async fn post_update(
        &self,
        actor: &Account,
        id: PetitionId,
        body: &str,
        notify: bool,
    ) -> Result<(PetitionUpdate, usize), AppError> {
        let (listing, _, membership) = self.readable(Some(actor), id).await?;
        if !membership.is_some_and(|m| m.is_at_least(Role::Organiser)) {
            return Err(AppError::Forbidden(Denial::NotOrganiser));
        }
        let body = petition::validate_update(body).map_err(|e| invalid([e]))?;
        let update = self
            .store
            .add_petition_update(id, actor.id, &body, notify, now())
            .await?;
        let mut told = 0;
        if notify {
            let signers: Vec<UserId> = self
                .store
                .signer_ids(id)
                .await?
                .into_iter()
                .filter(|s| *s != actor.id)
                .collect();
            told = signers.len();
            self.notifications
                .send(
                    &signers,
                    NotificationKind::PetitionMessage,
                    &listing.petition.details.title,
                    &format!("/petitions/{}#update-{}", id.0, update.id),
                )
                .await;
        }
        tracing::info!(
            update_id = update.id,
            notified = told,
            "petition update posted"
        );
        Ok((update, told))
    }
}
