//! The union tools' part of "export my data": a person's own counselling
//! requests (with their threads), petition signatures, fund contributions
//! and fund claims.

use serde::Serialize;
use tsunagari_domain::{Account, Timestamp};
use tsunagari_store::Store;

use crate::{AccountExport, AppError};

/// One counselling request the person made, with its thread.
#[derive(Debug, Serialize)]
pub struct ExportedCounsellingRequest {
    /// Id.
    pub id: i64,
    /// The union.
    pub community_id: i64,
    /// Its name.
    pub community_name: String,
    /// Topic category.
    pub category: &'static str,
    /// The topic in the person's words.
    pub topic: String,
    /// `chat`, `phone` or `video`.
    pub channel: &'static str,
    /// The contact detail they gave.
    pub contact: Option<String>,
    /// When they can talk.
    pub preferred_times: String,
    /// `unassigned`, `assigned` or `closed`.
    pub status: &'static str,
    /// Made (UTC).
    pub created_at: Timestamp,
    /// Closed (UTC).
    pub closed_at: Option<Timestamp>,
    /// The closing summary.
    pub summary: Option<String>,
    /// The thread.
    pub messages: Vec<ExportedCounsellingMessage>,
}

/// One message of a counselling thread.
#[derive(Debug, Serialize)]
pub struct ExportedCounsellingMessage {
    /// Whether the person wrote it.
    pub mine: bool,
    /// Whether a counsellor wrote it.
    pub from_counsellor: bool,
    /// The text.
    pub body: String,
    /// When (UTC).
    pub created_at: Timestamp,
}

/// One petition signature.
#[derive(Debug, Serialize)]
pub struct ExportedSignature {
    /// The petition.
    pub petition_id: i64,
    /// Its title.
    pub title: String,
    /// Whether the name is shown on it.
    pub show_name: bool,
    /// When (UTC).
    pub signed_at: Timestamp,
}

/// One contribution to a solidarity fund.
#[derive(Debug, Serialize)]
pub struct ExportedContribution {
    /// The union.
    pub community_id: i64,
    /// Yen.
    pub amount: i64,
    /// When (UTC).
    pub created_at: Timestamp,
}

/// One claim on a solidarity fund.
#[derive(Debug, Serialize)]
pub struct ExportedClaim {
    /// Id.
    pub id: i64,
    /// The union.
    pub community_id: i64,
    /// Yen.
    pub amount: i64,
    /// The reason given.
    pub reason: String,
    /// `pending`, `paid` or `rejected`.
    pub status: &'static str,
    /// Filed (UTC).
    pub created_at: Timestamp,
    /// Paid or rejected (UTC).
    pub settled_at: Option<Timestamp>,
}

/// Adds the union tools' records of `account` to an export.
pub(crate) async fn add_union_records(
    store: &dyn Store,
    account: &Account,
    export: &mut AccountExport,
) -> Result<(), AppError> {
    for listing in store.requests_of(account.id).await? {
        let r = &listing.request;
        let messages = store
            .counselling_messages(r.id)
            .await?
            .into_iter()
            .map(|m| ExportedCounsellingMessage {
                mine: m.author == Some(account.id),
                from_counsellor: m.from_counsellor,
                body: m.body,
                created_at: m.created_at,
            })
            .collect();
        export
            .counselling_requests
            .push(ExportedCounsellingRequest {
                id: r.id.0,
                community_id: r.community_id.0,
                community_name: listing.community_name.clone(),
                category: r.details.category.as_str(),
                topic: r.details.topic.clone(),
                channel: r.details.channel.as_str(),
                contact: r.details.contact.clone(),
                preferred_times: r.details.preferred_times.clone(),
                status: r.status().as_str(),
                created_at: r.created_at,
                closed_at: r.closed_at,
                summary: r.summary.clone(),
                messages,
            });
    }
    export.petition_signatures = store
        .signatures_of(account.id)
        .await?
        .into_iter()
        .map(|(listing, signature)| ExportedSignature {
            petition_id: listing.petition.id.0,
            title: listing.petition.details.title,
            show_name: signature.show_name,
            signed_at: signature.signed_at,
        })
        .collect();
    export.fund_contributions = store
        .contributions_of(account.id)
        .await?
        .into_iter()
        .map(|record| ExportedContribution {
            community_id: record.community_id.0,
            amount: record.amount(),
            created_at: record.created_at,
        })
        .collect();
    export.fund_claims = store
        .claims_of(account.id)
        .await?
        .into_iter()
        .map(|claim| ExportedClaim {
            id: claim.id.0,
            community_id: claim.community_id.0,
            amount: claim.amount.yen(),
            reason: claim.reason,
            status: claim.status.as_str(),
            created_at: claim.created_at,
            settled_at: claim.settled_at,
        })
        .collect();
    Ok(())
}
