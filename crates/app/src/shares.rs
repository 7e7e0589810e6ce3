//! Share-register use cases (出資の記録): organisers set the unit price and
//! record subscriptions, payments, refunds and reversals for members; a
//! member subscribes units for themselves, and sees their own holding and
//! the co-op's total capital; organisers
//! see the whole register and export the ledger for the books.
//!
//! Every use case passes the tool gate first (`CommunityTools::require`), so
//! a register that is off answers as if it did not exist.

use std::collections::HashMap;
use std::sync::Arc;

use tsunagari_domain::community::{Community, CommunityId, Membership, MembershipStatus, Role};
use tsunagari_domain::share::{
    Holding, ShareEntry, ShareEntryDraft, ShareEntryKind, ShareFieldError, ShareHolderId,
    ShareRefusal, ShareRequest, UnitPrice,
};
use tsunagari_domain::time::now;
use tsunagari_domain::tools::CommunityTool;
use tsunagari_domain::{Account, UserId};
use tsunagari_store::{
    HolderBalance, MemberEntry, NewShareEntry, ShareEntryRecord, ShareRegisterRecord, ShareTotals,
    Store,
};

use crate::{AppError, CommunityTools, Denial, Field, FieldErrors, FieldProblem};

/// How many entries the register page lists.
pub const PAGE_ENTRIES: i64 = 200;

/// The share-register use cases.
#[derive(Clone)]
pub struct Shares {
    store: Arc<dyn Store>,
    tools: CommunityTools,
}

/// What a member sees of the register; organisers see `organiser` too.
#[derive(Debug, Clone)]
pub struct SharePage {
    /// The co-op.
    pub community: Community,
    /// The viewer's (active) membership.
    pub membership: Membership,
    /// The unit price, once set.
    pub register: Option<ShareRegisterRecord>,
    /// The co-op's totals (its capital).
    pub totals: ShareTotals,
    /// The viewer's own holding, if they have one.
    pub mine: Option<Holding>,
    /// The viewer's own entries, newest first.
    pub my_entries: Vec<ShareEntryRecord>,
    /// The organisers' view.
    pub organiser: Option<OrganiserShares>,
}

impl SharePage {
    /// Whether the viewer organises the co-op.
    pub fn viewer_organises(&self) -> bool {
        self.organiser.is_some()
    }
}

/// What organisers see besides.
#[derive(Debug, Clone)]
pub struct OrganiserShares {
    /// Every holder's balances.
    pub balances: Vec<HolderBalance>,
    /// The latest entries, newest first.
    pub entries: Vec<ShareEntryRecord>,
    /// Active members, for choosing whom an entry is for.
    pub members: Vec<MemberEntry>,
}

/// The field a share-form problem belongs to.
pub fn share_field(error: ShareFieldError) -> Field {
    match error {
        ShareFieldError::Member => Field::ShareMember,
        ShareFieldError::Kind => Field::Kind,
        ShareFieldError::Units | ShareFieldError::UnitsNotApplicable => Field::ShareUnits,
        ShareFieldError::Amount | ShareFieldError::AmountNotApplicable => Field::ShareAmount,
        ShareFieldError::Reverses | ShareFieldError::ReversesNotApplicable => Field::ShareReverses,
        ShareFieldError::Note => Field::ShareNote,
        ShareFieldError::UnitPrice => Field::SharePrice,
    }
}

/// The field a ledger refusal is reported on.
pub fn refusal_field(refusal: ShareRefusal) -> Field {
    match refusal {
        ShareRefusal::NoUnitPrice => Field::SharePrice,
        ShareRefusal::NotAMember | ShareRefusal::NotAHolder => Field::ShareMember,
        ShareRefusal::MoreUnitsThanHeld => Field::ShareUnits,
        ShareRefusal::RefundMoreThanPaid
        | ShareRefusal::RefundTooSmall
        | ShareRefusal::PaymentExceedsOutstanding
        | ShareRefusal::TooLarge => Field::ShareAmount,
        ShareRefusal::UnknownEntry
        | ShareRefusal::AlreadyReversed
        | ShareRefusal::ReversalOfReversal
        | ShareRefusal::EntryOfAnotherMember
        | ShareRefusal::ReversalBreaksBalance => Field::ShareReverses,
    }
}

fn refused(refusal: ShareRefusal) -> AppError {
    AppError::Invalid(FieldErrors::single(
        refusal_field(refusal),
        FieldProblem::ShareRefused(refusal),
    ))
}

impl Shares {
    /// Share-register use cases over a store.
    pub fn new(store: Arc<dyn Store>) -> Shares {
        Shares {
            tools: CommunityTools::new(store.clone()),
            store,
        }
    }

    /// The co-op and the viewer's active membership: tool gate first, then
    /// members only.
    async fn member_of(
        &self,
        viewer: &Account,
        community: CommunityId,
    ) -> Result<(Community, Membership), AppError> {
        let found = self
            .tools
            .require(community, CommunityTool::ShareRegister)
            .await?;
        match self.store.membership(community, viewer.id).await? {
            Some(m) if m.is_active() => Ok((found, m)),
            _ => Err(AppError::Forbidden(Denial::NotMember)),
        }
    }

    async fn organiser_of(
        &self,
        actor: &Account,
        community: CommunityId,
    ) -> Result<Community, AppError> {
        let (found, membership) = self.member_of(actor, community).await?;
        if membership.is_at_least(Role::Organiser) {
            Ok(found)
        } else {
            Err(AppError::Forbidden(Denial::NotOrganiser))
        }
    }

    /// The register as the viewer may see it: members their own holding
    /// and the totals, organisers everything.
    pub async fn page(
        &self,
        viewer: &Account,
        community: CommunityId,
    ) -> Result<SharePage, AppError> {
        let (community, membership) = self.member_of(viewer, community).await?;
        let id = community.id;
        let organiser = if membership.is_at_least(Role::Organiser) {
            Some(OrganiserShares {
                balances: self.store.share_balances(id).await?,
                entries: self
                    .store
                    .share_entries(id, None, true, PAGE_ENTRIES)
                    .await?,
                members: self.store.members(id, MembershipStatus::Active).await?,
            })
        } else {
            None
        };
        Ok(SharePage {
            register: self.store.share_register(id).await?,
            totals: self.store.share_totals(id).await?,
            mine: self.store.share_balance(id, viewer.id).await?,
            my_entries: self
                .store
                .share_entries(id, Some(viewer.id), true, PAGE_ENTRIES)
                .await?,
            organiser,
            community,
            membership,
        })
    }

    /// Sets the price of one unit (organisers). Entries already recorded
    /// keep the price they were subscribed at.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, community_id = community.0))]
    pub async fn set_unit_price(
        &self,
        actor: &Account,
        community: CommunityId,
        price: &str,
    ) -> Result<ShareRegisterRecord, AppError> {
        self.organiser_of(actor, community).await?;
        let price = UnitPrice::parse(price).map_err(|_| {
            AppError::Invalid(FieldErrors::single(
                Field::SharePrice,
                FieldProblem::Share(ShareFieldError::UnitPrice),
            ))
        })?;
        let record = self
            .store
            .set_unit_price(community, price, actor.id, now())
            .await?;
        tracing::info!(unit_price = price.yen(), "unit price set");
        Ok(record)
    }

    /// Records an entry. Organisers record any entry for a member:
    /// subscriptions for active members, payments and refunds for anyone
    /// with a holding (refunds usually follow leaving), reversals of any
    /// entry not yet reversed. A member may subscribe units for themselves
    /// (their application for units, 出資の申込み), and nothing else: money
    /// is recorded by the organisers who receive it.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, community_id = community.0))]
    pub async fn record(
        &self,
        actor: &Account,
        community: CommunityId,
        member: Option<UserId>,
        draft: &ShareEntryDraft,
    ) -> Result<ShareEntry, AppError> {
        let (_, membership) = self.member_of(actor, community).await?;
        let member = if membership.is_at_least(Role::Organiser) {
            member
        } else {
            let for_themselves = member.is_none_or(|m| m == actor.id);
            let subscribing = ShareEntryKind::parse(&draft.kind) == Some(ShareEntryKind::Subscribe);
            if !(for_themselves && subscribing) {
                return Err(AppError::Forbidden(Denial::NotOrganiser));
            }
            Some(actor.id)
        };
        let (request, note) = draft.validate().map_err(|errors| {
            let mut fields = FieldErrors::default();
            if member.is_none() && kind_needs_member(&draft.kind) {
                fields.add(
                    Field::ShareMember,
                    FieldProblem::Share(ShareFieldError::Member),
                );
            }
            for error in errors {
                fields.add(share_field(error), FieldProblem::Share(error));
            }
            AppError::Invalid(fields)
        })?;
        let needs_member = !matches!(request, ShareRequest::Reversal { .. });
        if needs_member && member.is_none() {
            return Err(AppError::Invalid(FieldErrors::single(
                Field::ShareMember,
                FieldProblem::Share(ShareFieldError::Member),
            )));
        }
        if let (ShareRequest::Subscribe { .. }, Some(member)) = (request, member) {
            let active = self
                .store
                .membership(community, member)
                .await?
                .is_some_and(|m| m.is_active());
            if !active {
                return Err(refused(ShareRefusal::NotAMember));
            }
        }
        let outcome = self
            .store
            .record_share_entry(&NewShareEntry {
                community,
                member,
                request,
                note: &note,
                recorded_by: actor.id,
                now: now(),
            })
            .await?;
        match outcome {
            Ok(entry) => {
                tracing::info!(
                    entry_id = entry.id.0,
                    kind = entry.kind.as_str(),
                    "share entry recorded"
                );
                Ok(entry)
            }
            Err(refusal) => Err(refused(refusal)),
        }
    }

    /// Entries as the viewer may see them, newest first: organisers every
    /// entry, members their own.
    pub async fn entries(
        &self,
        viewer: &Account,
        community: CommunityId,
        limit: i64,
    ) -> Result<Vec<ShareEntryRecord>, AppError> {
        let (_, membership) = self.member_of(viewer, community).await?;
        let only = (!membership.is_at_least(Role::Organiser)).then_some(viewer.id);
        Ok(self
            .store
            .share_entries(community, only, true, limit)
            .await?)
    }

    /// The whole ledger, oldest first, for the co-op's books (organisers),
    /// each entry with its member's balances after it (a running fold).
    pub async fn journal(
        &self,
        actor: &Account,
        community: CommunityId,
    ) -> Result<(Community, Vec<(ShareEntryRecord, Holding)>), AppError> {
        let found = self.organiser_of(actor, community).await?;
        let entries = self
            .store
            .share_entries(community, None, false, 100_000)
            .await?;
        let mut running: HashMap<ShareHolderId, Holding> = HashMap::new();
        let lines = entries
            .into_iter()
            .map(|record| {
                let holding = running.entry(record.entry.holder).or_default();
                *holding = holding.after(record.entry.delta);
                let after = *holding;
                (record, after)
            })
            .collect();
        Ok((found, lines))
    }
}

/// Whether a typed kind needs a member (every kind but a reversal; an
/// unknown kind is reported on its own).
fn kind_needs_member(kind: &str) -> bool {
    ShareEntryKind::parse(kind).is_some_and(|k| k != ShareEntryKind::Reversal)
}
