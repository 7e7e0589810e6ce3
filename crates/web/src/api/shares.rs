//! Share-register endpoints (出資の記録): the register, its entries, the
//! unit price. Amounts are whole yen.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tsunagari_domain::UserId;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::share::{Holding, ShareEntry, ShareEntryDraft};
use tsunagari_store::ShareEntryRecord;
use utoipa::ToSchema;

use super::{ApiJson, ApiUser};
use crate::error::{ErrorEnvelope, Failure};
use crate::state::AppState;

/// Balances, summed from the ledger.
#[derive(Serialize, ToSchema)]
pub struct HoldingView {
    /// Units (口) held.
    pub units: i64,
    /// Yen value of those units at the prices they were subscribed at.
    pub subscribed: i64,
    /// Yen paid in.
    pub paid: i64,
    /// Yen still to be paid (`subscribed - paid`).
    pub outstanding: i64,
}

impl From<&Holding> for HoldingView {
    fn from(h: &Holding) -> Self {
        HoldingView {
            units: h.units,
            subscribed: h.subscribed,
            paid: h.paid,
            outstanding: h.outstanding(),
        }
    }
}

/// The co-op's totals.
#[derive(Serialize, ToSchema)]
pub struct TotalsView {
    /// Units held by all members.
    pub units: i64,
    /// Yen subscribed.
    pub subscribed: i64,
    /// Yen paid in: the co-op's capital.
    pub paid: i64,
    /// Yen still to be paid.
    pub outstanding: i64,
    /// Members holding at least one unit.
    pub holders: i64,
}

/// One member's line in the register (organisers only).
#[derive(Serialize, ToSchema)]
pub struct MemberHoldingView {
    /// The member's user id; null once their account is deleted.
    pub member_id: Option<i64>,
    /// The member's account in this register (stable even after deletion).
    pub holder_id: i64,
    /// Display name; null once the account is deleted.
    pub name: Option<String>,
    /// Still an active member of the co-op.
    pub active_member: bool,
    /// Balances.
    #[serde(flatten)]
    pub holding: HoldingView,
}

/// The register as the caller may see it.
#[derive(Serialize, ToSchema)]
pub struct ShareRegisterView {
    /// The co-op.
    pub community_id: i64,
    /// Yen per unit; null until the organisers set it.
    pub unit_price: Option<i64>,
    /// The co-op's totals.
    pub totals: TotalsView,
    /// The caller's own line; null without a holding.
    pub mine: Option<HoldingView>,
    /// Every member's line: organisers only, null for other members.
    pub members: Option<Vec<MemberHoldingView>>,
}

/// A ledger entry.
#[derive(Serialize, ToSchema)]
pub struct ShareEntryView {
    /// Entry number.
    pub id: i64,
    /// The member's user id; null once their account is deleted.
    pub member_id: Option<i64>,
    /// The member's account in this register.
    pub holder_id: i64,
    /// Display name of the member, when known to the caller.
    pub member_name: Option<String>,
    /// `subscribe`, `payment`, `refund` or `reversal`.
    pub kind: String,
    /// Change in units.
    pub units: i64,
    /// Change in yen subscribed.
    pub subscribed: i64,
    /// Change in yen paid in.
    pub paid: i64,
    /// Yen per unit of a subscription.
    pub unit_price: Option<i64>,
    /// The entry a reversal cancels.
    pub reverses: Option<i64>,
    /// The reversal that cancels this entry, if any (lists only).
    pub reversed_by: Option<i64>,
    /// Note for the books.
    pub note: String,
    /// The organiser who recorded it; null once their account is deleted.
    pub recorded_by: Option<i64>,
    /// When (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: tsunagari_domain::Timestamp,
    /// Position on the co-op's ledger (increasing).
    pub sequence: i64,
}

impl ShareEntryView {
    fn new(e: &ShareEntry, member_name: Option<String>, reversed_by: Option<i64>) -> Self {
        ShareEntryView {
            id: e.id.0,
            member_id: e.member.map(|m| m.0),
            holder_id: e.holder.0,
            member_name,
            kind: e.kind.as_str().to_owned(),
            units: e.delta.units,
            subscribed: e.delta.subscribed,
            paid: e.delta.paid,
            unit_price: e.unit_price.map(|p| p.yen()),
            reverses: e.reverses.map(|r| r.0),
            reversed_by,
            note: e.note.clone(),
            recorded_by: e.recorded_by.map(|u| u.0),
            recorded_at: e.recorded_at,
            sequence: e.sequence,
        }
    }

    fn from_record(r: &ShareEntryRecord) -> Self {
        ShareEntryView::new(
            &r.entry,
            r.member_name.clone(),
            r.reversed_by.map(|id| id.0),
        )
    }
}

/// Entries, newest first.
#[derive(Serialize, ToSchema)]
pub struct ShareEntryList {
    /// Organisers get every entry, other members their own.
    pub entries: Vec<ShareEntryView>,
}

/// An entry to record. Which fields apply depends on `kind`:
/// `subscribe` takes `units`; `payment` takes `amount`; `refund` takes
/// `units` and optionally `amount` (default: the paid share of those units);
/// `reversal` takes `reverses` (and `member_id` optionally, checked).
#[derive(Deserialize, ToSchema)]
pub struct ShareEntryInput {
    /// The member's user id (every kind but `reversal`).
    pub member_id: Option<i64>,
    /// `subscribe`, `payment`, `refund` or `reversal`.
    pub kind: String,
    /// Units, 1–100,000.
    pub units: Option<i64>,
    /// Whole yen.
    pub amount: Option<i64>,
    /// The entry number to reverse.
    pub reverses: Option<i64>,
    /// Note for the books, up to 500 characters.
    #[serde(default)]
    pub note: String,
}

impl ShareEntryInput {
    fn draft(&self) -> ShareEntryDraft {
        let text = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        ShareEntryDraft {
            kind: self.kind.clone(),
            units: text(self.units),
            amount: text(self.amount),
            reverses: text(self.reverses),
            note: self.note.clone(),
        }
    }
}

/// A new unit price.
#[derive(Deserialize, ToSchema)]
pub struct UnitPriceInput {
    /// Whole yen per unit, 1–10,000,000.
    pub unit_price: i64,
}

/// The unit price as set.
#[derive(Serialize, ToSchema)]
pub struct UnitPriceView {
    /// Whole yen per unit.
    pub unit_price: i64,
    /// When it was set (RFC 3339, UTC).
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: tsunagari_domain::Timestamp,
}

/// The share register: totals for every member, the caller's own line, and
/// every member's line for organisers.
#[utoipa::path(get, path = "/api/v1/communities/{id}/shares", tag = "shares", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id (a worker co-op)")),
    responses((status = 200, description = "The register", body = ShareRegisterView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member", body = ErrorEnvelope), (status = 404, description = "No such community, or no register in it", body = ErrorEnvelope)))]
pub async fn register(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ShareRegisterView>, Failure> {
    let page = state.shares.page(&account, CommunityId(id)).await?;
    let totals = &page.totals;
    Ok(Json(ShareRegisterView {
        community_id: id,
        unit_price: page.register.map(|r| r.unit_price.yen()),
        totals: TotalsView {
            units: totals.holding.units,
            subscribed: totals.holding.subscribed,
            paid: totals.holding.paid,
            outstanding: totals.holding.outstanding(),
            holders: totals.holders,
        },
        mine: page.mine.as_ref().map(HoldingView::from),
        members: page.organiser.as_ref().map(|o| {
            o.balances
                .iter()
                .map(|b| MemberHoldingView {
                    member_id: b.member.map(|m| m.0),
                    holder_id: b.holder.0,
                    name: b.display_name.clone(),
                    active_member: b.active_member,
                    holding: HoldingView::from(&b.holding),
                })
                .collect()
        }),
    }))
}

/// Ledger entries, newest first (organisers: all; members: their own).
#[utoipa::path(get, path = "/api/v1/communities/{id}/shares/entries", tag = "shares", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id")),
    responses((status = 200, description = "Entries", body = ShareEntryList), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member", body = ErrorEnvelope), (status = 404, description = "No such community, or no register in it", body = ErrorEnvelope)))]
pub async fn entries(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ShareEntryList>, Failure> {
    let records = state
        .shares
        .entries(&account, CommunityId(id), 1_000)
        .await?;
    Ok(Json(ShareEntryList {
        entries: records.iter().map(ShareEntryView::from_record).collect(),
    }))
}

/// Record a ledger entry. Organisers record any entry for a member; a
/// member may only subscribe units for themselves (`kind` `subscribe`,
/// `member_id` omitted or their own), and anything else is 403. Refused
/// entries are 422
/// with the reason on the field it concerns: `member_id` (not a member, no
/// holding), `units` (more than held), `amount` (more than outstanding,
/// more than paid, too small a refund), `reverses` (unknown, already
/// reversed, a reversal, later entries depend on it), `unit_price` (no price
/// set yet), `kind`, `note`.
#[utoipa::path(post, path = "/api/v1/communities/{id}/shares/entries", tag = "shares", request_body = ShareEntryInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id")),
    responses((status = 201, description = "Recorded", body = ShareEntryView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not a member, or a member recording anything but their own subscription", body = ErrorEnvelope), (status = 404, description = "No such community, or no register in it", body = ErrorEnvelope),
        (status = 422, description = "Invalid or refused by the ledger", body = ErrorEnvelope)))]
pub async fn record(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ShareEntryInput>,
) -> Result<Response, Failure> {
    let entry = state
        .shares
        .record(
            &account,
            CommunityId(id),
            input.member_id.map(UserId),
            &input.draft(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ShareEntryView::new(&entry, None, None)),
    )
        .into_response())
}

/// Set the price of one unit (organisers); entries already recorded keep
/// theirs.
#[utoipa::path(put, path = "/api/v1/communities/{id}/shares/price", tag = "shares", request_body = UnitPriceInput, security(("bearer" = [])),
    params(("id" = i64, Path, description = "Community id")),
    responses((status = 200, description = "Set", body = UnitPriceView), (status = 401, description = "No token", body = ErrorEnvelope),
        (status = 403, description = "Not an organiser", body = ErrorEnvelope), (status = 404, description = "No such community, or no register in it", body = ErrorEnvelope),
        (status = 422, description = "Not 1–10,000,000 yen", body = ErrorEnvelope)))]
pub async fn set_price(
    State(state): State<AppState>,
    ApiUser(account): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<UnitPriceInput>,
) -> Result<Json<UnitPriceView>, Failure> {
    let record = state
        .shares
        .set_unit_price(&account, CommunityId(id), &input.unit_price.to_string())
        .await?;
    Ok(Json(UnitPriceView {
        unit_price: record.unit_price.yen(),
        updated_at: record.updated_at,
    }))
}
