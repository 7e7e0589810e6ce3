//! Counselling use cases: members ask for career counselling, the union's
//! counsellors take requests from the queue, talk with the member in a
//! private thread and close the request with a summary; organisers name the
//! counsellors. Every use case first passes the tool gate.
//!
//! Privacy: a request is seen by its member and the union's counsellors
//! only — anyone else is told it does not exist (404), so not even its
//! existence leaks. The member's contact detail is shown to the assigned
//! counsellor only (`CounsellingRequest::contact_for`).

use std::sync::Arc;

use tsunagari_domain::community::{Community, CommunityId, Membership, Role};
use tsunagari_domain::counselling::{
    self, CounsellingFieldError, CounsellingRefusal, CounsellingRequest, RequestDraft, RequestId,
    ResponseFigures,
};
use tsunagari_domain::notification::NotificationKind;
use tsunagari_domain::time::now;
use tsunagari_domain::tools::CommunityTool;
use tsunagari_domain::{Account, UserId};
use tsunagari_store::{
    CounsellingMessage, CounsellorEntry, MemberEntry, QueueView, RequestListing, Store,
};

use crate::{AppError, CommunityTools, Denial, Field, FieldErrors, FieldProblem, Notifications};

/// How many requests each part of the queue shows.
const QUEUE_LIMIT: i64 = 100;

/// The counselling use cases.
#[derive(Clone)]
pub struct Counselling {
    store: Arc<dyn Store>,
    tools: CommunityTools,
    notifications: Notifications,
}

/// A union's counselling page as one viewer sees it.
#[derive(Debug, Clone)]
pub struct CounsellingOverview {
    /// The union.
    pub community: Community,
    /// The viewer's membership.
    pub membership: Membership,
    /// Whether the viewer is one of its counsellors.
    pub is_counsellor: bool,
    /// The viewer's own requests here, newest first.
    pub own: Vec<RequestListing>,
    /// Counsellors only: open requests nobody has, oldest first.
    pub unassigned: Vec<RequestListing>,
    /// Counsellors only: open requests the viewer has.
    pub mine: Vec<RequestListing>,
    /// Counsellors only: open requests other counsellors have.
    pub others: Vec<RequestListing>,
    /// Counsellors only: closed requests, latest first.
    pub closed: Vec<RequestListing>,
    /// Who the counsellors are (every member may know).
    pub counsellors: Vec<CounsellorEntry>,
    /// Organisers only: active members who could be named counsellors.
    pub candidates: Vec<MemberEntry>,
    /// Response-time figures (each hidden below the minimum base).
    pub figures: ResponseFigures,
}

impl CounsellingOverview {
    /// Whether the viewer organises the union.
    pub fn viewer_organises(&self) -> bool {
        self.membership.is_at_least(Role::Organiser)
    }
}

/// One request as a participant sees it.
#[derive(Debug, Clone)]
pub struct RequestPage {
    /// The request with names.
    pub listing: RequestListing,
    /// Its thread.
    pub messages: Vec<CounsellingMessage>,
    /// Whether the viewer is a counsellor of the union.
    pub is_counsellor: bool,
    /// The union's counsellors (for assigning), counsellors only.
    pub counsellors: Vec<CounsellorEntry>,
    /// Who is looking.
    pub viewer: UserId,
}

impl RequestPage {
    /// The request.
    pub fn request(&self) -> &CounsellingRequest {
        &self.listing.request
    }

    /// The contact detail, when the viewer may see it.
    pub fn contact(&self) -> Option<&str> {
        self.listing.request.contact_for(self.viewer)
    }

    /// Whether the viewer asked.
    pub fn viewer_is_member(&self) -> bool {
        self.listing.request.member == self.viewer
    }

    /// Whether the viewer may assign and close it.
    pub fn viewer_handles(&self) -> bool {
        counselling::may_handle(&self.listing.request, self.viewer, self.is_counsellor).is_ok()
    }

    /// Whether the viewer may write in the thread.
    pub fn viewer_may_write(&self) -> bool {
        counselling::may_write(&self.listing.request, self.viewer, self.is_counsellor).is_ok()
    }
}

/// A person's requests and, for counsellors, the queues of their unions.
#[derive(Debug, Clone, Default)]
pub struct RequestLists {
    /// The person's own requests, newest first.
    pub own: Vec<RequestListing>,
    /// Open requests of the unions they counsel for, oldest first.
    pub queue: Vec<RequestListing>,
}

/// The field a counselling problem belongs to.
pub fn counselling_field(error: CounsellingFieldError) -> Field {
    match error {
        CounsellingFieldError::Category => Field::Category,
        CounsellingFieldError::Topic => Field::Topic,
        CounsellingFieldError::Channel => Field::Channel,
        CounsellingFieldError::Contact => Field::Contact,
        CounsellingFieldError::PreferredTimes => Field::PreferredTimes,
        CounsellingFieldError::Message => Field::Body,
        CounsellingFieldError::Summary => Field::Summary,
    }
}

fn invalid(errors: impl IntoIterator<Item = CounsellingFieldError>) -> AppError {
    let mut fields = FieldErrors::default();
    for error in errors {
        fields.add(counselling_field(error), FieldProblem::Counselling(error));
    }
    AppError::Invalid(fields)
}

fn refusal(refusal: CounsellingRefusal) -> AppError {
    match refusal {
        // Not even the request's existence is shown to others.
        CounsellingRefusal::NotParticipant => AppError::NotFound,
        CounsellingRefusal::NotCounsellor => AppError::Forbidden(Denial::NotCounsellor),
        CounsellingRefusal::Closed => AppError::Forbidden(Denial::CounsellingClosed),
    }
}

impl Counselling {
    /// Counselling use cases over a store.
    pub fn new(store: Arc<dyn Store>) -> Counselling {
        Counselling {
            tools: CommunityTools::new(store.clone()),
            notifications: Notifications::new(store.clone()),
            store,
        }
    }

    async fn active_member(
        &self,
        community: CommunityId,
        actor: &Account,
    ) -> Result<Membership, AppError> {
        match self.store.membership(community, actor.id).await? {
            Some(m) if m.is_active() => Ok(m),
            _ => Err(AppError::Forbidden(Denial::NotMember)),
        }
    }

    /// A request with the gate passed and the viewer's standing: `NotFound`
    /// for anyone who is neither its member nor a counsellor of its union.
    async fn participant(
        &self,
        actor: &Account,
        id: RequestId,
    ) -> Result<(RequestListing, bool), AppError> {
        let listing = self.store.request(id).await?.ok_or(AppError::NotFound)?;
        let community = listing.request.community_id;
        self.tools
            .require(community, CommunityTool::Counselling)
            .await?;
        let member = self.store.membership(community, actor.id).await?;
        let is_counsellor = member.as_ref().is_some_and(Membership::is_active)
            && self.store.is_counsellor(community, actor.id).await?;
        if !counselling::may_read(&listing.request, actor.id, is_counsellor) {
            return Err(AppError::NotFound);
        }
        Ok((listing, is_counsellor))
    }

    /// The union's counselling page (active members).
    pub async fn overview(
        &self,
        viewer: &Account,
        community: CommunityId,
    ) -> Result<CounsellingOverview, AppError> {
        let found = self
            .tools
            .require(community, CommunityTool::Counselling)
            .await?;
        let membership = self.active_member(community, viewer).await?;
        let is_counsellor = self.store.is_counsellor(community, viewer.id).await?;
        let own = self
            .store
            .requests_of(viewer.id)
            .await?
            .into_iter()
            .filter(|l| l.request.community_id == community)
            .collect();
        let (mut unassigned, mut mine, mut others, mut closed) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        if is_counsellor {
            unassigned = self
                .store
                .queue(community, QueueView::Unassigned, QUEUE_LIMIT)
                .await?;
            mine = self
                .store
                .queue(community, QueueView::AssignedTo(viewer.id), QUEUE_LIMIT)
                .await?;
            others = self
                .store
                .queue(community, QueueView::Assigned, QUEUE_LIMIT)
                .await?
                .into_iter()
                .filter(|l| l.request.assigned_to != Some(viewer.id))
                .collect();
            closed = self
                .store
                .queue(community, QueueView::Closed, QUEUE_LIMIT)
                .await?;
        }
        let candidates = if membership.is_at_least(Role::Organiser) {
            self.store
                .members(
                    community,
                    tsunagari_domain::community::MembershipStatus::Active,
                )
                .await?
        } else {
            Vec::new()
        };
        let figures = self.figures_of(community).await?;
        Ok(CounsellingOverview {
            community: found,
            membership,
            is_counsellor,
            own,
            unassigned,
            mine,
            others,
            closed,
            counsellors: self.store.counsellors(community).await?,
            candidates,
            figures,
        })
    }

    /// The union's response-time figures (active members), each hidden
    /// below the smallest base.
    pub async fn figures(
        &self,
        viewer: &Account,
        community: CommunityId,
    ) -> Result<ResponseFigures, AppError> {
        self.tools
            .require(community, CommunityTool::Counselling)
            .await?;
        self.active_member(community, viewer).await?;
        self.figures_of(community).await
    }

    async fn figures_of(&self, community: CommunityId) -> Result<ResponseFigures, AppError> {
        Ok(counselling::response_figures(
            &self.store.request_times(community).await?,
        ))
    }

    /// A member asks for counselling; the union's counsellors are told.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, community_id = community.0))]
    pub async fn ask(
        &self,
        actor: &Account,
        community: CommunityId,
        draft: &RequestDraft,
    ) -> Result<CounsellingRequest, AppError> {
        let union = self
            .tools
            .require(community, CommunityTool::Counselling)
            .await?;
        self.active_member(community, actor).await?;
        let details = draft.validate().map_err(invalid)?;
        let request = self
            .store
            .create_request(community, actor.id, &details, now())
            .await?;
        tracing::info!(request_id = request.id.0, "counselling request made");
        // The notice names the union, never the member or the topic: the
        // request page shows those to counsellors only.
        let counsellors: Vec<UserId> = self
            .store
            .counsellors(community)
            .await?
            .into_iter()
            .map(|c| c.user_id)
            .filter(|c| *c != actor.id)
            .collect();
        self.notifications
            .send(
                &counsellors,
                NotificationKind::CounsellingRequested,
                &union.profile.name,
                &format!("/counselling/{}", request.id.0),
            )
            .await;
        Ok(request)
    }

    /// One request with its thread (its member and the union's counsellors).
    pub async fn page(&self, viewer: &Account, id: RequestId) -> Result<RequestPage, AppError> {
        let (listing, is_counsellor) = self.participant(viewer, id).await?;
        let counsellors = if is_counsellor {
            self.store.counsellors(listing.request.community_id).await?
        } else {
            Vec::new()
        };
        Ok(RequestPage {
            messages: self.store.counselling_messages(id).await?,
            listing,
            is_counsellor,
            counsellors,
            viewer: viewer.id,
        })
    }

    /// Writes in a request's thread. The member's messages notify the
    /// assigned counsellor (or every counsellor while nobody has it); a
    /// counsellor's notify the member.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, request_id = id.0))]
    pub async fn write(
        &self,
        actor: &Account,
        id: RequestId,
        body: &str,
    ) -> Result<CounsellingMessage, AppError> {
        let (listing, is_counsellor) = self.participant(actor, id).await?;
        counselling::may_write(&listing.request, actor.id, is_counsellor).map_err(refusal)?;
        let body = counselling::validate_message(body).map_err(|e| invalid([e]))?;
        let from_counsellor = is_counsellor && actor.id != listing.request.member;
        let message = self
            .store
            .add_counselling_message(id, actor.id, from_counsellor, &body, now())
            .await?
            .ok_or(AppError::Forbidden(Denial::CounsellingClosed))?;
        let link = format!("/counselling/{}", id.0);
        let subject = &listing.community_name;
        if from_counsellor {
            self.notifications
                .send(
                    &[listing.request.member],
                    NotificationKind::CounsellingReply,
                    subject,
                    &link,
                )
                .await;
        } else {
            let to: Vec<UserId> = match listing.request.assigned_to {
                Some(counsellor) => vec![counsellor],
                None => self
                    .store
                    .counsellors(listing.request.community_id)
                    .await?
                    .into_iter()
                    .map(|c| c.user_id)
                    .filter(|c| *c != actor.id)
                    .collect(),
            };
            self.notifications
                .send(
                    &to,
                    NotificationKind::CounsellingMemberMessage,
                    subject,
                    &link,
                )
                .await;
        }
        Ok(message)
    }

    /// Gives a request to a counsellor of the union (the actor or a
    /// colleague); the member is told.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, request_id = id.0))]
    pub async fn assign(
        &self,
        actor: &Account,
        id: RequestId,
        counsellor: UserId,
    ) -> Result<(), AppError> {
        let (listing, is_counsellor) = self.participant(actor, id).await?;
        counselling::may_handle(&listing.request, actor.id, is_counsellor).map_err(refusal)?;
        let community = listing.request.community_id;
        let target_is_counsellor = self.store.is_counsellor(community, counsellor).await?
            && self
                .store
                .membership(community, counsellor)
                .await?
                .is_some_and(|m| m.is_active());
        if !target_is_counsellor || counsellor == listing.request.member {
            return Err(AppError::Invalid(FieldErrors::single(
                Field::Person,
                FieldProblem::NotActiveMember,
            )));
        }
        if !self.store.assign_request(id, counsellor, now()).await? {
            return Err(AppError::Forbidden(Denial::CounsellingClosed));
        }
        if listing.request.assigned_to != Some(counsellor) {
            self.notifications
                .send(
                    &[listing.request.member],
                    NotificationKind::CounsellingAssigned,
                    &listing.community_name,
                    &format!("/counselling/{}", id.0),
                )
                .await;
        }
        tracing::info!(counsellor = counsellor.0, "counselling request assigned");
        Ok(())
    }

    /// Closes a request with a summary (counsellors); the member is told.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, request_id = id.0))]
    pub async fn close(
        &self,
        actor: &Account,
        id: RequestId,
        summary: &str,
    ) -> Result<(), AppError> {
        let (listing, is_counsellor) = self.participant(actor, id).await?;
        counselling::may_handle(&listing.request, actor.id, is_counsellor).map_err(refusal)?;
        let summary = counselling::validate_summary(summary).map_err(|e| invalid([e]))?;
        if !self
            .store
            .close_request(id, actor.id, &summary, now())
            .await?
        {
            return Err(AppError::Forbidden(Denial::CounsellingClosed));
        }
        tracing::info!("counselling request closed");
        if actor.id != listing.request.member {
            self.notifications
                .send(
                    &[listing.request.member],
                    NotificationKind::CounsellingClosed,
                    &listing.community_name,
                    &format!("/counselling/{}", id.0),
                )
                .await;
        }
        Ok(())
    }

    async fn require_organiser(
        &self,
        actor: &Account,
        community: CommunityId,
    ) -> Result<(), AppError> {
        self.tools
            .require(community, CommunityTool::Counselling)
            .await?;
        match self.store.membership(community, actor.id).await? {
            Some(m) if m.is_at_least(Role::Organiser) => Ok(()),
            _ => Err(AppError::Forbidden(Denial::NotOrganiser)),
        }
    }

    /// Names an active member a counsellor of the union (organisers).
    pub async fn add_counsellor(
        &self,
        actor: &Account,
        community: CommunityId,
        person: UserId,
    ) -> Result<(), AppError> {
        self.require_organiser(actor, community).await?;
        let active = self
            .store
            .membership(community, person)
            .await?
            .is_some_and(|m| m.is_active());
        if !active {
            return Err(AppError::Invalid(FieldErrors::single(
                Field::Person,
                FieldProblem::NotActiveMember,
            )));
        }
        self.store
            .add_counsellor(community, person, actor.id, now())
            .await?;
        tracing::info!(
            community_id = community.0,
            person = person.0,
            "counsellor named"
        );
        Ok(())
    }

    /// Removes a counsellor (organisers); their open requests go back to
    /// the queue.
    pub async fn remove_counsellor(
        &self,
        actor: &Account,
        community: CommunityId,
        person: UserId,
    ) -> Result<(), AppError> {
        self.require_organiser(actor, community).await?;
        if !self.store.remove_counsellor(community, person).await? {
            return Err(AppError::NotFound);
        }
        tracing::info!(
            community_id = community.0,
            person = person.0,
            "counsellor removed"
        );
        Ok(())
    }

    /// A person's own requests and, in the unions where they counsel (with
    /// the tool on), the open requests, unassigned first.
    pub async fn lists(&self, actor: &Account) -> Result<RequestLists, AppError> {
        let mut lists = RequestLists {
            own: self.store.requests_of(actor.id).await?,
            queue: Vec::new(),
        };
        for community in self.store.counselled_communities(actor.id).await? {
            if self
                .tools
                .require(community, CommunityTool::Counselling)
                .await
                .is_err()
            {
                continue;
            }
            let active = self
                .store
                .membership(community, actor.id)
                .await?
                .is_some_and(|m| m.is_active());
            if !active {
                continue;
            }
            for view in [QueueView::Unassigned, QueueView::Assigned] {
                lists
                    .queue
                    .extend(self.store.queue(community, view, QUEUE_LIMIT).await?);
            }
        }
        Ok(lists)
    }
}
