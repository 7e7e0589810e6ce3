//! Organisation-directory, claim and site-operator queries shared by both
//! backends (see `sql.rs` for the pattern).
//!
//! A directory write bumps nothing: slugs are unique and each row is
//! written with `ON CONFLICT (slug)`, inside one transaction that reads the
//! stored rows first, and decides per listing in Rust (`plan`) whether it
//! is new, changed, unchanged or the operator's to keep, as the public
//! schemes do. Every claim and decision starts its transaction with an
//! `UPDATE organisation_listings SET claim_version = claim_version + 1`
//! for the listing concerned, so they run one at a time per listing, and
//! then applies the domain's rules to what it reads.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use tsunagari_domain::community::{CommunityId, CommunityKind};
use tsunagari_domain::organisation::{
    Claim, ClaimId, ClaimRefusal, ClaimStatus, DecisionRefusal, ListingId, OrganisationListing,
};
use tsunagari_domain::public_scheme::Bilingual;
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::{Timestamp, UserId};

use crate::sql_public_schemes::Plan;
use crate::{CatalogueSource, ClaimEntry, Conflict, ListingRecord, StoreError, StoreResult};

pub(crate) const LISTING_COLUMNS: &str = "l.id, l.slug, l.kind, l.name_ja, l.name_en, l.description_ja, l.description_en, \
     l.prefecture, l.website, l.company, l.tags_text, l.position, l.source, l.withdrawn, l.community_id, \
     l.claimed_at, l.updated_at";

/// Kinds in the order the product presents them, for `ORDER BY`.
pub(crate) static KIND_ORDER: LazyLock<String> = LazyLock::new(|| {
    let cases: Vec<String> = CommunityKind::ALL
        .iter()
        .enumerate()
        .map(|(i, k)| format!("WHEN '{}' THEN {i}", k.as_str()))
        .collect();
    format!("CASE l.kind {} ELSE 99 END", cases.join(" "))
});

pub(crate) const CLAIM_ENTRY_COLUMNS: &str = "c.id, c.listing_id, c.user_id, c.message, c.status, c.reason, c.created_at, \
     c.decided_at, l.slug AS listing_slug, l.name_ja AS listing_name_ja, l.name_en AS listing_name_en, \
     l.kind AS listing_kind, u.display_name AS claimant_name";

/// From clause of `CLAIM_ENTRY_COLUMNS`.
pub(crate) const CLAIM_ENTRY_FROM: &str = "organisation_claims c JOIN organisation_listings l ON l.id = c.listing_id \
     JOIN users u ON u.id = c.user_id";

#[derive(sqlx::FromRow)]
pub(crate) struct ListingRow {
    id: i64,
    slug: String,
    kind: String,
    name_ja: String,
    name_en: String,
    description_ja: String,
    description_en: String,
    prefecture: Option<String>,
    website: Option<String>,
    company: Option<String>,
    tags_text: String,
    pub(crate) position: i64,
    pub(crate) source: String,
    pub(crate) withdrawn: bool,
    community_id: Option<i64>,
    claimed_at: Option<Timestamp>,
    updated_at: Timestamp,
}

impl ListingRow {
    pub(crate) fn slug(&self) -> &str {
        &self.slug
    }

    pub(crate) fn to_listing(&self) -> StoreResult<OrganisationListing> {
        let corrupt = |what: &str| {
            StoreError::Corrupt(format!(
                "organisation listing {}: invalid {what}",
                self.slug
            ))
        };
        let prefecture = match &self.prefecture {
            Some(code) => Some(Prefecture::parse(code).ok_or_else(|| corrupt("prefecture"))?),
            None => None,
        };
        Ok(OrganisationListing {
            slug: self.slug.clone(),
            kind: CommunityKind::parse(&self.kind).ok_or_else(|| corrupt("kind"))?,
            name: Bilingual {
                ja: self.name_ja.clone(),
                en: self.name_en.clone(),
            },
            description: Bilingual {
                ja: self.description_ja.clone(),
                en: self.description_en.clone(),
            },
            prefecture,
            website: self.website.clone(),
            company: self.company.clone(),
            tags: self
                .tags_text
                .split('\n')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }

    pub(crate) fn into_record(self) -> StoreResult<ListingRecord> {
        Ok(ListingRecord {
            id: ListingId(self.id),
            listing: self.to_listing()?,
            community_id: self.community_id.map(CommunityId),
            claimed_at: self.claimed_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ClaimRow {
    id: i64,
    listing_id: i64,
    user_id: i64,
    message: String,
    status: String,
    reason: Option<String>,
    created_at: Timestamp,
    decided_at: Option<Timestamp>,
}

impl ClaimRow {
    pub(crate) fn into_claim(self) -> StoreResult<Claim> {
        Ok(Claim {
            id: ClaimId(self.id),
            listing_id: ListingId(self.listing_id),
            user_id: UserId(self.user_id),
            status: ClaimStatus::parse(&self.status).ok_or_else(|| {
                StoreError::Corrupt(format!("organisation claim {}: invalid status", self.id))
            })?,
            message: self.message,
            reason: self.reason,
            created_at: self.created_at,
            decided_at: self.decided_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ClaimEntryRow {
    #[sqlx(flatten)]
    claim: ClaimRow,
    listing_slug: String,
    listing_name_ja: String,
    listing_name_en: String,
    listing_kind: String,
    claimant_name: String,
}

impl ClaimEntryRow {
    pub(crate) fn into_entry(self) -> StoreResult<ClaimEntry> {
        let kind = CommunityKind::parse(&self.listing_kind).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "organisation listing {}: invalid kind",
                self.listing_slug
            ))
        })?;
        Ok(ClaimEntry {
            claim: self.claim.into_claim()?,
            listing_slug: self.listing_slug,
            listing_name: Bilingual {
                ja: self.listing_name_ja,
                en: self.listing_name_en,
            },
            listing_kind: kind,
            claimant_name: self.claimant_name,
        })
    }
}

/// Decides, from the stored rows, what to do with each incoming listing
/// and which stored listings the file withdraws.
pub(crate) fn plan(
    stored: &[ListingRow],
    incoming: &[OrganisationListing],
    source: CatalogueSource,
) -> StoreResult<(Vec<Plan>, Vec<String>)> {
    let by_slug: HashMap<&str, &ListingRow> = stored.iter().map(|r| (r.slug(), r)).collect();
    let mut plans = Vec::with_capacity(incoming.len());
    for (position, listing) in incoming.iter().enumerate() {
        let plan = match by_slug.get(listing.slug.as_str()) {
            None => Plan::Add,
            Some(row) if source == CatalogueSource::Shipped && row.source != "shipped" => {
                Plan::Keep
            }
            Some(row) if row.withdrawn => Plan::Add,
            Some(row) if row.to_listing()? != *listing => Plan::Update,
            Some(row) if row.position != position as i64 || row.source != source.column() => {
                Plan::Rewrite
            }
            Some(_) => Plan::Unchanged,
        };
        plans.push(plan);
    }
    let wanted: HashSet<&str> = incoming.iter().map(|l| l.slug.as_str()).collect();
    let withdrawn = stored
        .iter()
        .filter(|row| !row.withdrawn && !wanted.contains(row.slug()))
        .filter(|row| match source {
            CatalogueSource::Shipped => row.source == "shipped",
            CatalogueSource::Operator { replace } => replace,
        })
        .map(|row| row.slug().to_owned())
        .collect();
    Ok((plans, withdrawn))
}

/// A refused claim as the store reports it.
pub(crate) fn claim_conflict(refusal: ClaimRefusal) -> StoreError {
    StoreError::Conflict(match refusal {
        ClaimRefusal::AlreadyClaimed => Conflict::ListingClaimed,
        ClaimRefusal::AlreadyPending => Conflict::ClaimPending,
    })
}

/// A refused decision as the store reports it.
pub(crate) fn decision_conflict(refusal: DecisionRefusal) -> StoreError {
    StoreError::Conflict(match refusal {
        DecisionRefusal::AlreadyDecided => Conflict::ClaimDecided,
        DecisionRefusal::AlreadyClaimed => Conflict::ListingClaimed,
    })
}

/// The claim's status as stored.
pub(crate) fn status(text: &str, id: i64) -> StoreResult<ClaimStatus> {
    ClaimStatus::parse(text)
        .ok_or_else(|| StoreError::Corrupt(format!("organisation claim {id}: invalid status")))
}

macro_rules! organisation_queries {
    ($store:ty, $db:ty) => {
        impl $store {
            /// The first statement of every claim change: serialises them
            /// per listing. Yields (listing id, its community) for the
            /// listing of claim `claim`, or nothing when there is no claim.
            async fn lock_listing_of_claim(
                tx: &mut sqlx::Transaction<'_, $db>,
                claim: i64,
            ) -> $crate::StoreResult<Option<(i64, Option<i64>)>> {
                Ok(sqlx::query_as(
                    "UPDATE organisation_listings SET claim_version = claim_version + 1
                     WHERE id = (SELECT listing_id FROM organisation_claims WHERE id = $1)
                     RETURNING id, community_id",
                )
                .bind(claim)
                .fetch_optional(&mut **tx)
                .await?)
            }

            async fn claim_entry(&self, id: i64) -> $crate::StoreResult<Option<$crate::ClaimEntry>> {
                let row: Option<$crate::sql_organisations::ClaimEntryRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM {} WHERE c.id = $1",
                    $crate::sql_organisations::CLAIM_ENTRY_COLUMNS,
                    $crate::sql_organisations::CLAIM_ENTRY_FROM
                ))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_organisations::ClaimEntryRow::into_entry).transpose()
            }

            fn push_listing_filter<'a>(
                query: &mut sqlx::QueryBuilder<'a, $db>,
                filter: &'a $crate::ListingFilter,
            ) {
                query.push(" WHERE l.withdrawn = ").push_bind(false);
                if let Some(kind) = filter.kind {
                    query.push(" AND l.kind = ").push_bind(kind.as_str());
                }
                if let Some(prefecture) = filter.prefecture {
                    query.push(" AND l.prefecture = ").push_bind(prefecture.code());
                }
            }
        }

        #[async_trait::async_trait]
        impl $crate::OrganisationStore for $store {
            async fn import_organisations(
                &self,
                listings: &[tsunagari_domain::organisation::OrganisationListing],
                source: $crate::CatalogueSource,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<$crate::CatalogueChange> {
                let mut tx = self.pool.begin().await?;
                let stored: Vec<$crate::sql_organisations::ListingRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM organisation_listings l",
                    $crate::sql_organisations::LISTING_COLUMNS
                ))
                .fetch_all(&mut *tx)
                .await?;
                let (plans, withdrawn) = $crate::sql_organisations::plan(&stored, listings, source)?;
                let mut change = $crate::CatalogueChange::default();
                for (position, (listing, plan)) in listings.iter().zip(plans).enumerate() {
                    $crate::sql_public_schemes::count(&mut change, plan);
                    use $crate::sql_public_schemes::Plan;
                    if matches!(plan, Plan::Unchanged | Plan::Keep) {
                        continue;
                    }
                    sqlx::query(
                        "INSERT INTO organisation_listings (slug, kind, name_ja, name_en, description_ja, description_en,
                           prefecture, website, company, tags_text, position, source, withdrawn, created_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
                         ON CONFLICT (slug) DO UPDATE SET kind = excluded.kind,
                           name_ja = excluded.name_ja, name_en = excluded.name_en,
                           description_ja = excluded.description_ja, description_en = excluded.description_en,
                           prefecture = excluded.prefecture, website = excluded.website, company = excluded.company,
                           tags_text = excluded.tags_text, position = excluded.position, source = excluded.source,
                           withdrawn = excluded.withdrawn, updated_at = excluded.updated_at",
                    )
                    .bind(&listing.slug)
                    .bind(listing.kind.as_str())
                    .bind(&listing.name.ja)
                    .bind(&listing.name.en)
                    .bind(&listing.description.ja)
                    .bind(&listing.description.en)
                    .bind(listing.prefecture.map(|p| p.code()))
                    .bind(&listing.website)
                    .bind(&listing.company)
                    .bind(listing.tags.join("\n"))
                    .bind(position as i64)
                    .bind(source.column())
                    .bind(false)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                for slug in &withdrawn {
                    change.removed += 1;
                    // Kept as a row either way: claims point at it and a
                    // claimed listing keeps its community's link. The
                    // operator's withdrawal becomes the operator's row, so
                    // the shipped file cannot bring it back.
                    sqlx::query("UPDATE organisation_listings SET withdrawn = $1, source = $2, updated_at = $3 WHERE slug = $4")
                        .bind(true)
                        .bind(source.column())
                        .bind(now)
                        .bind(slug)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(change)
            }

            async fn organisation_listings(
                &self,
                filter: &$crate::ListingFilter,
            ) -> $crate::StoreResult<Vec<$crate::ListingRecord>> {
                let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM organisation_listings l",
                    $crate::sql_organisations::LISTING_COLUMNS
                ));
                Self::push_listing_filter(&mut query, filter);
                query.push(format!(" ORDER BY {}, l.position, l.id LIMIT ", *$crate::sql_organisations::KIND_ORDER));
                query.push_bind(filter.limit.clamp(1, 500));
                query.push(" OFFSET ").push_bind(filter.offset.max(0));
                let rows: Vec<$crate::sql_organisations::ListingRow> =
                    query.build_query_as().fetch_all(&self.pool).await?;
                rows.into_iter().map($crate::sql_organisations::ListingRow::into_record).collect()
            }

            async fn count_organisation_listings(&self, filter: &$crate::ListingFilter) -> $crate::StoreResult<i64> {
                let mut query = sqlx::QueryBuilder::<$db>::new("SELECT COUNT(*) FROM organisation_listings l");
                Self::push_listing_filter(&mut query, filter);
                let (count,): (i64,) = query.build_query_as().fetch_one(&self.pool).await?;
                Ok(count)
            }

            async fn organisation_listing(
                &self,
                id: tsunagari_domain::organisation::ListingId,
            ) -> $crate::StoreResult<Option<$crate::ListingRecord>> {
                let row: Option<$crate::sql_organisations::ListingRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM organisation_listings l WHERE l.id = $1 AND l.withdrawn = $2",
                    $crate::sql_organisations::LISTING_COLUMNS
                ))
                .bind(id.0)
                .bind(false)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_organisations::ListingRow::into_record).transpose()
            }

            async fn organisation_listing_by_slug(&self, slug: &str) -> $crate::StoreResult<Option<$crate::ListingRecord>> {
                let row: Option<$crate::sql_organisations::ListingRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM organisation_listings l WHERE l.slug = $1 AND l.withdrawn = $2",
                    $crate::sql_organisations::LISTING_COLUMNS
                ))
                .bind(slug)
                .bind(false)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_organisations::ListingRow::into_record).transpose()
            }

            async fn create_organisation_claim(
                &self,
                listing: tsunagari_domain::organisation::ListingId,
                user: tsunagari_domain::UserId,
                message: &tsunagari_domain::organisation::ClaimMessage,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<Option<tsunagari_domain::organisation::Claim>> {
                let mut tx = self.pool.begin().await?;
                // First statement: serialises claims on this listing.
                let locked: Option<(Option<i64>,)> = sqlx::query_as(
                    "UPDATE organisation_listings SET claim_version = claim_version + 1
                     WHERE id = $1 AND withdrawn = $2 RETURNING community_id",
                )
                .bind(listing.0)
                .bind(false)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((community,)) = locked else {
                    tx.rollback().await?;
                    return Ok(None);
                };
                let (pending,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM organisation_claims WHERE listing_id = $1 AND user_id = $2 AND status = 'pending'",
                )
                .bind(listing.0)
                .bind(user.0)
                .fetch_one(&mut *tx)
                .await?;
                if let Err(refusal) = tsunagari_domain::organisation::may_claim(community.is_some(), pending > 0) {
                    tx.rollback().await?;
                    return Err($crate::sql_organisations::claim_conflict(refusal));
                }
                let row: $crate::sql_organisations::ClaimRow = sqlx::query_as(
                    "INSERT INTO organisation_claims (listing_id, user_id, message, status, created_at)
                     VALUES ($1, $2, $3, 'pending', $4)
                     RETURNING id, listing_id, user_id, message, status, reason, created_at, decided_at",
                )
                .bind(listing.0)
                .bind(user.0)
                .bind(message.as_str())
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| $crate::sql::map_unique(e, $crate::Conflict::ClaimPending))?;
                tx.commit().await?;
                row.into_claim().map(Some)
            }

            async fn organisation_claim(
                &self,
                id: tsunagari_domain::organisation::ClaimId,
            ) -> $crate::StoreResult<Option<$crate::ClaimEntry>> {
                self.claim_entry(id.0).await
            }

            async fn pending_organisation_claims(&self, limit: i64) -> $crate::StoreResult<Vec<$crate::ClaimEntry>> {
                let rows: Vec<$crate::sql_organisations::ClaimEntryRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM {} WHERE c.status = 'pending' ORDER BY c.created_at, c.id LIMIT $1",
                    $crate::sql_organisations::CLAIM_ENTRY_COLUMNS,
                    $crate::sql_organisations::CLAIM_ENTRY_FROM
                ))
                .bind(limit.clamp(1, 500))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_organisations::ClaimEntryRow::into_entry).collect()
            }

            async fn organisation_claims_of(&self, user: tsunagari_domain::UserId) -> $crate::StoreResult<Vec<$crate::ClaimEntry>> {
                let rows: Vec<$crate::sql_organisations::ClaimEntryRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM {} WHERE c.user_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT 500",
                    $crate::sql_organisations::CLAIM_ENTRY_COLUMNS,
                    $crate::sql_organisations::CLAIM_ENTRY_FROM
                ))
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_organisations::ClaimEntryRow::into_entry).collect()
            }

            async fn approve_organisation_claim(
                &self,
                id: tsunagari_domain::organisation::ClaimId,
                operator: tsunagari_domain::UserId,
                kind: tsunagari_domain::community::CommunityKind,
                profile: &tsunagari_domain::community::CommunityProfile,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<Option<$crate::ApprovedClaim>> {
                let mut tx = self.pool.begin().await?;
                let Some((listing, community)) = Self::lock_listing_of_claim(&mut tx, id.0).await? else {
                    tx.rollback().await?;
                    return Ok(None);
                };
                let (claimant, status): (i64, String) =
                    sqlx::query_as("SELECT user_id, status FROM organisation_claims WHERE id = $1")
                        .bind(id.0)
                        .fetch_one(&mut *tx)
                        .await?;
                let status = $crate::sql_organisations::status(&status, id.0)?;
                if let Err(refusal) = tsunagari_domain::organisation::may_decide(status, community.is_some(), true) {
                    tx.rollback().await?;
                    return Err($crate::sql_organisations::decision_conflict(refusal));
                }
                // The same rows `CommunityStore::create_community` writes,
                // inside this transaction: the community, its tags and its
                // owner exist exactly when the claim is approved.
                let community_id: i64 = sqlx::query_scalar(
                    "INSERT INTO communities (kind, name, description, prefecture, municipality, visibility, membership,
                       join_question, company_name, parent_id, depth, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, 0, $10, $10) RETURNING id",
                )
                .bind(kind.as_str())
                .bind(&profile.name)
                .bind(&profile.description)
                .bind(profile.prefecture.map(|p| p.code()))
                .bind(profile.municipality.as_ref().map(|m| m.as_str().to_owned()))
                .bind(profile.visibility.as_str())
                .bind(profile.membership.as_str())
                .bind(&profile.join_question)
                .bind(&profile.company_name)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                Self::write_tags(&mut tx, community_id, &profile.tags).await?;
                sqlx::query(
                    "INSERT INTO memberships (community_id, user_id, role, status, joined_at) VALUES ($1, $2, 'owner', 'active', $3)",
                )
                .bind(community_id)
                .bind(claimant)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE organisation_listings SET community_id = $1, claimed_at = $2, updated_at = $2 WHERE id = $3")
                    .bind(community_id)
                    .bind(now)
                    .bind(listing)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE organisation_claims SET status = 'approved', decided_at = $1, decided_by = $2 WHERE id = $3")
                    .bind(now)
                    .bind(operator.0)
                    .bind(id.0)
                    .execute(&mut *tx)
                    .await?;
                let superseded: Vec<i64> = sqlx::query_scalar(
                    "UPDATE organisation_claims SET status = 'superseded', decided_at = $1, decided_by = $2
                     WHERE listing_id = $3 AND status = 'pending' RETURNING user_id",
                )
                .bind(now)
                .bind(operator.0)
                .bind(listing)
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                let community = $crate::CommunityStore::community(self, tsunagari_domain::community::CommunityId(community_id))
                    .await?
                    .ok_or_else(|| $crate::StoreError::Corrupt(format!("community {community_id} vanished after a claim")))?;
                Ok(Some($crate::ApprovedClaim {
                    community,
                    claimant: tsunagari_domain::UserId(claimant),
                    superseded: superseded.into_iter().map(tsunagari_domain::UserId).collect(),
                }))
            }

            async fn decline_organisation_claim(
                &self,
                id: tsunagari_domain::organisation::ClaimId,
                operator: tsunagari_domain::UserId,
                reason: &tsunagari_domain::organisation::DeclineReason,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<Option<tsunagari_domain::organisation::Claim>> {
                let mut tx = self.pool.begin().await?;
                let Some((_, community)) = Self::lock_listing_of_claim(&mut tx, id.0).await? else {
                    tx.rollback().await?;
                    return Ok(None);
                };
                let (status,): (String,) = sqlx::query_as("SELECT status FROM organisation_claims WHERE id = $1")
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await?;
                let status = $crate::sql_organisations::status(&status, id.0)?;
                if let Err(refusal) = tsunagari_domain::organisation::may_decide(status, community.is_some(), false) {
                    tx.rollback().await?;
                    return Err($crate::sql_organisations::decision_conflict(refusal));
                }
                let row: $crate::sql_organisations::ClaimRow = sqlx::query_as(
                    "UPDATE organisation_claims SET status = 'declined', reason = $1, decided_at = $2, decided_by = $3
                     WHERE id = $4
                     RETURNING id, listing_id, user_id, message, status, reason, created_at, decided_at",
                )
                .bind(reason.as_str())
                .bind(now)
                .bind(operator.0)
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                row.into_claim().map(Some)
            }
        }

        #[async_trait::async_trait]
        impl $crate::SiteOperatorStore for $store {
            async fn set_site_operator(
                &self,
                user: tsunagari_domain::UserId,
                operator: bool,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<bool> {
                let done = if operator {
                    sqlx::query("INSERT INTO site_operators (user_id, granted_at) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING")
                        .bind(user.0)
                        .bind(now)
                        .execute(&self.pool)
                        .await?
                } else {
                    sqlx::query("DELETE FROM site_operators WHERE user_id = $1")
                        .bind(user.0)
                        .execute(&self.pool)
                        .await?
                };
                Ok(done.rows_affected() == 1)
            }

            async fn is_site_operator(&self, user: tsunagari_domain::UserId) -> $crate::StoreResult<bool> {
                let found: Option<i64> = sqlx::query_scalar("SELECT user_id FROM site_operators WHERE user_id = $1")
                    .bind(user.0)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(found.is_some())
            }

            async fn count_site_operators(&self) -> $crate::StoreResult<i64> {
                let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM site_operators")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(count)
            }
        }
    };
}

pub(crate) use organisation_queries;
