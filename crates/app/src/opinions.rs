//! Opinion-box use cases (意見の反映): members submit opinions, optionally
//! anonymous; organisers respond, and every response is kept and shown;
//! the author is notified of each response; organisers see the unanswered
//! opinions, oldest first, and how fast the box is answered.
//!
//! Members see every opinion of their community (anonymous ones without a
//! name): the point of the box is that opinions reach the people who run
//! the community and that the answers are visible to all members. The box
//! is for members only, whatever the community's visibility. Every use case
//! passes the tool gate first (`CommunityTools::require`).

use std::sync::Arc;

use tsunagari_domain::community::{Community, CommunityId, Membership, Role};
use tsunagari_domain::notification::NotificationKind;
use tsunagari_domain::opinion::{
    self, AuthorShown, MAX_OPINIONS_PER_DAY, Opinion, OpinionDraft, OpinionFieldError,
    OpinionFigures, OpinionId, OpinionResponse, OpinionStatus, ResponseDraft,
};
use tsunagari_domain::time::now;
use tsunagari_domain::tools::CommunityTool;
use tsunagari_domain::{Account, Timestamp};
use tsunagari_store::{OpinionFilter, OpinionListing, Store};

use crate::{AppError, CommunityTools, Denial, Field, FieldErrors, FieldProblem, Notifications};

/// How many opinions a list shows.
pub const LIST_LIMIT: i64 = 500;

/// The opinion-box use cases.
#[derive(Clone)]
pub struct Opinions {
    store: Arc<dyn Store>,
    tools: CommunityTools,
    notifications: Notifications,
}

/// Who wrote an opinion, as the viewer may be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpinionAuthor {
    /// By name.
    Named(String),
    /// The viewer; `anonymous` says whether others see a name.
    You {
        /// Hidden from others.
        anonymous: bool,
    },
    /// Without a name.
    Anonymous,
    /// The author deleted their account.
    Gone,
}

/// An opinion as a viewer may see it: the author's identity is already
/// reduced to what this viewer may know.
#[derive(Debug, Clone)]
pub struct OpinionItem {
    /// Id.
    pub id: OpinionId,
    /// Its community.
    pub community_id: CommunityId,
    /// Title.
    pub title: String,
    /// The opinion.
    pub body: String,
    /// Who wrote it, as the viewer may know.
    pub author: OpinionAuthor,
    /// Where it stands.
    pub status: OpinionStatus,
    /// When it was submitted.
    pub created_at: Timestamp,
    /// When the first response came.
    pub first_response_at: Option<Timestamp>,
    /// How many responses it has.
    pub responses: i64,
}

impl OpinionItem {
    fn new(listing: OpinionListing, viewer: &Account) -> OpinionItem {
        let author = match opinion::author_shown(&listing.opinion, Some(viewer.id)) {
            AuthorShown::Viewer { anonymous } => OpinionAuthor::You { anonymous },
            AuthorShown::Anonymous => OpinionAuthor::Anonymous,
            AuthorShown::Gone => OpinionAuthor::Gone,
            AuthorShown::Named(_) => match listing.author_name {
                Some(name) => OpinionAuthor::Named(name),
                None => OpinionAuthor::Gone,
            },
        };
        let Opinion {
            id,
            community_id,
            title,
            body,
            created_at,
            ..
        } = listing.opinion;
        OpinionItem {
            id,
            community_id,
            title,
            body,
            author,
            status: listing.status,
            created_at,
            first_response_at: listing.first_response_at,
            responses: listing.responses,
        }
    }

    /// Whether the viewer wrote it.
    pub fn is_mine(&self) -> bool {
        matches!(self.author, OpinionAuthor::You { .. })
    }
}

/// One response in an opinion's history.
#[derive(Debug, Clone)]
pub struct ResponseItem {
    /// The response.
    pub response: OpinionResponse,
    /// The organiser's name, while the account exists.
    pub responder: Option<String>,
}

/// A community's opinion box as the viewer sees it.
#[derive(Debug, Clone)]
pub struct OpinionBox {
    /// The community.
    pub community: Community,
    /// The viewer's (active) membership.
    pub membership: Membership,
    /// The opinions listed (all, or the viewer's own), newest first.
    pub opinions: Vec<OpinionItem>,
    /// Organisers only: the opinions nobody has responded to, oldest first.
    pub unanswered: Vec<OpinionItem>,
    /// Organisers only: how the box is answered.
    pub figures: Option<OpinionFigures>,
}

impl OpinionBox {
    /// Whether the viewer organises the community.
    pub fn viewer_organises(&self) -> bool {
        self.membership.is_at_least(Role::Organiser)
    }
}

/// One opinion with its history.
#[derive(Debug, Clone)]
pub struct OpinionPage {
    /// The community.
    pub community: Community,
    /// The viewer's (active) membership.
    pub membership: Membership,
    /// The opinion.
    pub item: OpinionItem,
    /// Every response, oldest first.
    pub history: Vec<ResponseItem>,
}

impl OpinionPage {
    /// Whether the viewer may respond.
    pub fn viewer_organises(&self) -> bool {
        self.membership.is_at_least(Role::Organiser)
    }
}

/// The field an opinion-form problem belongs to.
pub fn opinion_field(error: OpinionFieldError) -> Field {
    match error {
        OpinionFieldError::Title => Field::Title,
        OpinionFieldError::Body | OpinionFieldError::Reason => Field::Body,
        OpinionFieldError::Status => Field::OpinionStatus,
    }
}

fn draft_errors(errors: Vec<OpinionFieldError>) -> AppError {
    let mut fields = FieldErrors::default();
    for error in errors {
        fields.add(opinion_field(error), FieldProblem::Opinion(error));
    }
    AppError::Invalid(fields)
}

impl Opinions {
    /// Opinion-box use cases over a store.
    pub fn new(store: Arc<dyn Store>) -> Opinions {
        Opinions {
            tools: CommunityTools::new(store.clone()),
            notifications: Notifications::new(store.clone()),
            store,
        }
    }

    /// The community and the viewer's active membership: tool gate first,
    /// then members only.
    async fn member_of(
        &self,
        viewer: &Account,
        community: CommunityId,
    ) -> Result<(Community, Membership), AppError> {
        let found = self
            .tools
            .require(community, CommunityTool::OpinionBox)
            .await?;
        match self.store.membership(community, viewer.id).await? {
            Some(m) if m.is_active() => Ok((found, m)),
            _ => Err(AppError::Forbidden(Denial::NotMember)),
        }
    }

    async fn existing(&self, id: OpinionId) -> Result<OpinionListing, AppError> {
        self.store.opinion(id).await?.ok_or(AppError::NotFound)
    }

    /// The box: every opinion (or only the viewer's), and for organisers
    /// the unanswered ones and the figures.
    pub async fn board(
        &self,
        viewer: &Account,
        community: CommunityId,
        mine_only: bool,
    ) -> Result<OpinionBox, AppError> {
        let (community, membership) = self.member_of(viewer, community).await?;
        let filter = if mine_only {
            OpinionFilter::By(viewer.id)
        } else {
            OpinionFilter::All
        };
        let opinions = self
            .store
            .opinions(community.id, filter, LIST_LIMIT)
            .await?
            .into_iter()
            .map(|listing| OpinionItem::new(listing, viewer))
            .collect();
        let (unanswered, figures) = if membership.is_at_least(Role::Organiser) {
            let unanswered = self
                .store
                .opinions(community.id, OpinionFilter::Unanswered, LIST_LIMIT)
                .await?
                .into_iter()
                .map(|listing| OpinionItem::new(listing, viewer))
                .collect();
            let timings = self.store.opinion_timings(community.id).await?;
            (unanswered, Some(OpinionFigures::of(&timings)))
        } else {
            (Vec::new(), None)
        };
        Ok(OpinionBox {
            community,
            membership,
            opinions,
            unanswered,
            figures,
        })
    }

    /// Submits an opinion (active members). The span names the community,
    /// not the person: the log must not link an anonymous opinion to its
    /// author (the database row is where the operator finds that).
    #[tracing::instrument(skip_all, fields(community_id = community.0))]
    pub async fn submit(
        &self,
        actor: &Account,
        community: CommunityId,
        draft: &OpinionDraft,
    ) -> Result<Opinion, AppError> {
        self.member_of(actor, community).await?;
        let new = draft.validate().map_err(draft_errors)?;
        let opinion = self
            .store
            .create_opinion(community, actor.id, &new, now(), MAX_OPINIONS_PER_DAY)
            .await?
            .ok_or(AppError::Forbidden(Denial::OpinionDailyLimit))?;
        tracing::info!(opinion_id = opinion.id.0, "opinion submitted");
        Ok(opinion)
    }

    /// One opinion with its history (active members of its community).
    pub async fn page(&self, viewer: &Account, id: OpinionId) -> Result<OpinionPage, AppError> {
        let listing = self.existing(id).await?;
        let (community, membership) = self.member_of(viewer, listing.opinion.community_id).await?;
        let history = self
            .store
            .opinion_responses(id)
            .await?
            .into_iter()
            .map(|record| ResponseItem {
                response: record.response,
                responder: record.responder_name,
            })
            .collect();
        Ok(OpinionPage {
            community,
            membership,
            item: OpinionItem::new(listing, viewer),
            history,
        })
    }

    /// Responds to an opinion (organisers), setting its status; the author
    /// is told.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, opinion_id = id.0))]
    pub async fn respond(
        &self,
        actor: &Account,
        id: OpinionId,
        draft: &ResponseDraft,
    ) -> Result<OpinionResponse, AppError> {
        let listing = self.existing(id).await?;
        let (_, membership) = self.member_of(actor, listing.opinion.community_id).await?;
        if !membership.is_at_least(Role::Organiser) {
            return Err(AppError::Forbidden(Denial::NotOrganiser));
        }
        let new = draft.validate().map_err(draft_errors)?;
        let response = self
            .store
            .add_opinion_response(id, actor.id, &new, now())
            .await?;
        tracing::info!(
            status = response.status.as_str(),
            "opinion response recorded"
        );
        if let Some(author) = listing.opinion.author.filter(|author| *author != actor.id) {
            self.notifications
                .send(
                    &[author],
                    NotificationKind::OpinionAnswered,
                    &listing.opinion.title,
                    &format!("/opinions/{}", id.0),
                )
                .await;
        }
        Ok(response)
    }
}
