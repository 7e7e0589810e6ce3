//! The directory of real organisations: the listings shipped with the
//! release (`data/organisations.toml`, compiled in) and the operator's
//! imports, browsing them, and claims — a signed-in person asks to take a
//! listing over, the site operator approves (the listing becomes a
//! community of its kind that the claimant owns) or declines with a reason,
//! and the claimant is notified either way.
//!
//! Reading a directory file is all-or-nothing, as for public schemes: the
//! whole file is parsed and every listing validated before anything is
//! written, in one transaction.

use std::sync::Arc;

use serde::Deserialize;
use tsunagari_domain::Account;
use tsunagari_domain::community::{Community, CommunityKind};
use tsunagari_domain::notification::NotificationKind;
use tsunagari_domain::organisation::{
    self, Claim, ClaimId, ClaimMessage, DeclineReason, ListingDraft, ListingError,
    OrganisationListing,
};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::time::now;
use tsunagari_store::{
    CatalogueChange, CatalogueSource, ClaimEntry, Conflict, ListingFilter, ListingRecord, Store,
    StoreError,
};

use crate::{
    AppError, Denial, Field, FieldErrors, FieldProblem, ImportMode, ImportReport, Notifications,
    SiteOperators,
};

/// The directory shipped with this release.
pub const SHIPPED_DIRECTORY: &str = include_str!("../../../data/organisations.toml");

/// At most this many pending claims are listed for the operator at once.
pub const CLAIM_QUEUE_LIMIT: i64 = 200;

/// Why a directory file was refused or could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// Not valid TOML, or not the directory's shape.
    #[error("{location}: {message}")]
    Syntax {
        /// Where: the line, and the listing when the problem is inside one.
        location: String,
        /// What the parser said.
        message: String,
    },
    /// The file holds no `[[organisation]]` at all.
    #[error("the file has no [[organisation]] entries")]
    Empty,
    /// A listing breaks a rule.
    #[error(transparent)]
    Invalid(#[from] ListingError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectoryFile {
    #[serde(default)]
    organisation: Vec<ListingRecordFile>,
}

/// An `[[organisation]]` as written. Missing keys become empty values, so
/// the domain reports them with the listing's name.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct ListingRecordFile {
    slug: String,
    kind: String,
    name_ja: String,
    name_en: String,
    description_ja: String,
    description_en: String,
    prefecture: Option<String>,
    website: Option<String>,
    company: Option<String>,
    tags: Vec<String>,
}

impl From<ListingRecordFile> for ListingDraft {
    fn from(r: ListingRecordFile) -> ListingDraft {
        ListingDraft {
            slug: r.slug,
            kind: r.kind,
            name_ja: r.name_ja,
            name_en: r.name_en,
            description_ja: r.description_ja,
            description_en: r.description_en,
            prefecture: r.prefecture,
            website: r.website,
            company: r.company,
            tags: r.tags,
        }
    }
}

/// Parses and validates a directory file; the first problem is returned
/// and nothing is used.
pub fn parse_directory(text: &str) -> Result<Vec<OrganisationListing>, DirectoryError> {
    let file: DirectoryFile = toml::from_str(text).map_err(|error| syntax_error(text, &error))?;
    if file.organisation.is_empty() {
        return Err(DirectoryError::Empty);
    }
    let drafts: Vec<ListingDraft> = file
        .organisation
        .into_iter()
        .map(ListingDraft::from)
        .collect();
    Ok(organisation::validate_directory(&drafts)?)
}

/// A parser error on one line, naming the `[[organisation]]` it is in.
fn syntax_error(text: &str, error: &toml::de::Error) -> DirectoryError {
    const HEADER: &str = "[[organisation]]";
    let message = error
        .message()
        .lines()
        .next()
        .unwrap_or("invalid TOML")
        .to_owned();
    let Some(offset) = error.span().map(|span| span.start.min(text.len())) else {
        return DirectoryError::Syntax {
            location: "the file".into(),
            message,
        };
    };
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let is_header = |l: &str| l.trim() == HEADER;
    let position = before.lines().filter(|l| is_header(l)).count();
    let location = if position == 0 {
        format!("line {line}")
    } else {
        let start = before.rfind(HEADER).unwrap_or(0);
        let slug = text[start..]
            .lines()
            .skip(1)
            .take_while(|l| !is_header(l))
            .find_map(|l| {
                let (key, value) = l.split_once('=')?;
                (key.trim() == "slug").then(|| value.trim().trim_matches('"').to_owned())
            });
        match slug {
            Some(slug) if !slug.is_empty() => format!("line {line}, organisation {slug}"),
            _ => format!("line {line}, organisation #{position}"),
        }
    };
    DirectoryError::Syntax { location, message }
}

fn report(in_file: usize, change: CatalogueChange) -> ImportReport {
    ImportReport {
        in_file,
        added: change.added,
        updated: change.updated,
        unchanged: change.unchanged,
        kept: change.kept,
        removed: change.removed,
    }
}

fn blank_to_none(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Turns the raw filters of a request into a filter, refusing unknown
/// values (the API says which; pages ignore them instead).
pub fn listing_filter(
    kind: Option<&str>,
    prefecture: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<ListingFilter, AppError> {
    let mut errors = FieldErrors::default();
    let kind = blank_to_none(kind).and_then(|name| {
        let parsed = CommunityKind::parse(name);
        if parsed.is_none() {
            errors.add(
                Field::Kind,
                FieldProblem::Community(tsunagari_domain::community::CommunityFieldError::Kind),
            );
        }
        parsed
    });
    let prefecture = blank_to_none(prefecture).and_then(|code| {
        let parsed = Prefecture::parse(code);
        if parsed.is_none() {
            errors.add(Field::Prefecture, FieldProblem::UnknownPrefecture);
        }
        parsed
    });
    AppError::invalid_if_any(errors)?;
    Ok(ListingFilter {
        kind,
        prefecture,
        limit,
        offset,
    })
}

/// One listing as a person sees it.
#[derive(Debug, Clone)]
pub struct ListingPage {
    /// The listing.
    pub record: ListingRecord,
    /// The community it became, once claimed.
    pub community: Option<Community>,
    /// The viewer's own claims of it, newest first.
    pub my_claims: Vec<ClaimEntry>,
}

impl ListingPage {
    /// Whether the viewer's claim is waiting.
    pub fn my_claim_pending(&self) -> bool {
        self.my_claims
            .iter()
            .any(|c| c.claim.status == organisation::ClaimStatus::Pending)
    }
}

/// The organisation-directory use cases.
#[derive(Clone)]
pub struct Organisations {
    store: Arc<dyn Store>,
    notifications: Notifications,
    operators: SiteOperators,
}

fn claim_conflict(conflict: Conflict) -> AppError {
    match conflict {
        Conflict::ListingClaimed => AppError::Forbidden(Denial::ListingClaimed),
        Conflict::ClaimPending => AppError::Forbidden(Denial::ClaimPending),
        Conflict::ClaimDecided => AppError::Forbidden(Denial::ClaimDecided),
        other => AppError::Store(StoreError::Conflict(other)),
    }
}

fn from_store(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(conflict) => claim_conflict(conflict),
        other => AppError::Store(other),
    }
}

impl Organisations {
    /// Use cases over a store.
    pub fn new(store: Arc<dyn Store>) -> Organisations {
        Organisations {
            notifications: Notifications::new(store.clone()),
            operators: SiteOperators::new(store.clone()),
            store,
        }
    }

    /// Brings the shipped directory into the database: run whenever
    /// migrations are. Listings the operator imported or withdrew are left
    /// alone.
    pub async fn load_shipped(&self) -> Result<ImportReport, DirectoryError> {
        let listings = parse_directory(SHIPPED_DIRECTORY)?;
        let change = self
            .store
            .import_organisations(&listings, CatalogueSource::Shipped, now())
            .await?;
        Ok(report(listings.len(), change))
    }

    /// Imports an operator's directory file, all or nothing.
    pub async fn import(
        &self,
        text: &str,
        mode: ImportMode,
    ) -> Result<ImportReport, DirectoryError> {
        let listings = parse_directory(text)?;
        let source = CatalogueSource::Operator {
            replace: mode == ImportMode::Replace,
        };
        let change = self
            .store
            .import_organisations(&listings, source, now())
            .await?;
        Ok(report(listings.len(), change))
    }

    /// Listed organisations matching a filter, and how many match in all.
    pub async fn list(
        &self,
        filter: &ListingFilter,
    ) -> Result<(Vec<ListingRecord>, i64), AppError> {
        let listings = self.store.organisation_listings(filter).await?;
        let total = self.store.count_organisation_listings(filter).await?;
        Ok((listings, total))
    }

    /// One listing by slug; `NotFound` when there is none (or it was
    /// withdrawn).
    pub async fn get(&self, slug: &str) -> Result<ListingRecord, AppError> {
        if slug.len() > 80 {
            return Err(AppError::NotFound);
        }
        self.store
            .organisation_listing_by_slug(slug)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// One listing as `viewer` sees it: with its community once claimed,
    /// and the viewer's own claims (nobody else's).
    pub async fn page(
        &self,
        viewer: Option<&Account>,
        slug: &str,
    ) -> Result<ListingPage, AppError> {
        let record = self.get(slug).await?;
        let community = match record.community_id {
            Some(id) => self.store.community(id).await?,
            None => None,
        };
        let my_claims = match viewer {
            Some(account) => self
                .store
                .organisation_claims_of(account.id)
                .await?
                .into_iter()
                .filter(|c| c.claim.listing_id == record.id)
                .collect(),
            None => Vec::new(),
        };
        Ok(ListingPage {
            record,
            community,
            my_claims,
        })
    }

    /// A signed-in person asks to claim a listing. `ListingClaimed` and
    /// `ClaimPending` are refusals (409); a bad message is `Invalid`.
    #[tracing::instrument(skip_all, fields(user_id = actor.id.0, slug))]
    pub async fn claim(
        &self,
        actor: &Account,
        slug: &str,
        message: &str,
    ) -> Result<Claim, AppError> {
        let record = self.get(slug).await?;
        let message = ClaimMessage::parse(message).map_err(|e| {
            AppError::Invalid(FieldErrors::single(
                Field::Message,
                FieldProblem::ClaimMessage(e),
            ))
        })?;
        let claim = self
            .store
            .create_organisation_claim(record.id, actor.id, &message, now())
            .await
            .map_err(from_store)?
            .ok_or(AppError::NotFound)?;
        tracing::info!(claim_id = claim.id.0, "organisation claim requested");
        Ok(claim)
    }

    /// The claims waiting for a decision, oldest first (site operators).
    pub async fn pending_organisation_claims(
        &self,
        operator: &Account,
    ) -> Result<Vec<ClaimEntry>, AppError> {
        self.operators.require(operator).await?;
        Ok(self
            .store
            .pending_organisation_claims(CLAIM_QUEUE_LIMIT)
            .await?)
    }

    /// The site operator approves a claim: the listing becomes a community
    /// of its kind, pre-filled from the listing and owned by the claimant,
    /// who is notified; so are people whose claims this supersedes.
    #[tracing::instrument(skip_all, fields(operator = operator.id.0, claim = id.0))]
    pub async fn approve(&self, operator: &Account, id: ClaimId) -> Result<Community, AppError> {
        self.operators.require(operator).await?;
        let entry = self
            .store
            .organisation_claim(id)
            .await?
            .ok_or(AppError::NotFound)?;
        // The listing as it is now; a withdrawn listing can no longer be
        // approved (its claims can still be declined).
        let listing = self
            .store
            .organisation_listing(entry.claim.listing_id)
            .await?
            .ok_or(AppError::NotFound)?
            .listing;
        let profile = listing
            .community_draft()
            .validate(listing.kind)
            .map_err(|errors| {
                AppError::Store(StoreError::Corrupt(format!(
                    "listing {} does not make a valid community: {errors:?}",
                    listing.slug
                )))
            })?;
        let approved = self
            .store
            .approve_organisation_claim(id, operator.id, listing.kind, &profile, now())
            .await
            .map_err(from_store)?
            .ok_or(AppError::NotFound)?;
        let community_link = format!("/communities/{}", approved.community.id.0);
        self.notifications
            .send(
                &[approved.claimant],
                NotificationKind::OrganisationClaimApproved,
                &approved.community.profile.name,
                &community_link,
            )
            .await;
        self.notifications
            .send(
                &approved.superseded,
                NotificationKind::OrganisationClaimDeclined,
                &listing.name.ja,
                &format!("/organisations/{}", listing.slug),
            )
            .await;
        tracing::info!(
            community_id = approved.community.id.0,
            "organisation claim approved"
        );
        Ok(approved.community)
    }

    /// The site operator declines a claim with a reason the claimant reads;
    /// the claimant is notified.
    #[tracing::instrument(skip_all, fields(operator = operator.id.0, claim = id.0))]
    pub async fn decline(
        &self,
        operator: &Account,
        id: ClaimId,
        reason: &str,
    ) -> Result<Claim, AppError> {
        self.operators.require(operator).await?;
        let reason = DeclineReason::parse(reason).map_err(|e| {
            AppError::Invalid(FieldErrors::single(
                Field::Reason,
                FieldProblem::DeclineReason(e),
            ))
        })?;
        let entry = self
            .store
            .organisation_claim(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let claim = self
            .store
            .decline_organisation_claim(id, operator.id, &reason, now())
            .await
            .map_err(from_store)?
            .ok_or(AppError::NotFound)?;
        self.notifications
            .send(
                &[claim.user_id],
                NotificationKind::OrganisationClaimDeclined,
                &entry.listing_name.ja,
                &format!("/organisations/{}", entry.listing_slug),
            )
            .await;
        tracing::info!("organisation claim declined");
        Ok(claim)
    }

    /// A person's own claims, newest first (for their data export).
    pub async fn organisation_claims_of(
        &self,
        account: &Account,
    ) -> Result<Vec<ClaimEntry>, AppError> {
        Ok(self.store.organisation_claims_of(account.id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tsunagari_domain::organisation::{ListingField, ListingProblem};

    #[test]
    fn the_shipped_directory_is_valid_and_names_the_report_s_organisations() {
        let listings = parse_directory(SHIPPED_DIRECTORY).expect("shipped directory");
        for slug in [
            "ikumado",
            "mirai-kaigo-cafe",
            "one-hr",
            "one-japan",
            "motoyahu",
            "tis-alumni",
            "dentsu-alumni",
            "chugai-alumni",
            "tokyo-kobetsu-alumni",
            "facebook-niigata-kenjinkai",
            "tonderu-local-toyooka",
            "hanshin-workers-coop",
            "japan-workers-coop-union",
            "mondragon",
            "uazensen",
            "denki-rengo",
            "community-union-network",
            "coworker-org",
            "katariba",
            "homedoor",
        ] {
            assert!(listings.iter().any(|l| l.slug == slug), "{slug} missing");
        }
        // Every kind is represented, and every listing makes a valid
        // community of its kind, so any of them can be approved.
        for kind in CommunityKind::ALL {
            assert!(listings.iter().any(|l| l.kind == kind), "{kind:?}");
        }
        for listing in &listings {
            listing
                .community_draft()
                .validate(listing.kind)
                .unwrap_or_else(|e| panic!("{}: {e:?}", listing.slug));
        }
        let niigata = listings
            .iter()
            .find(|l| l.slug == "facebook-niigata-kenjinkai")
            .unwrap();
        assert_eq!(niigata.prefecture.map(|p| p.code()), Some("15"));
        let hanshin = listings
            .iter()
            .find(|l| l.slug == "hanshin-workers-coop")
            .unwrap();
        assert_eq!(hanshin.prefecture.map(|p| p.code()), Some("28"));
    }

    const ONE: &str = r#"
[[organisation]]
slug = "sample-union"
kind = "union"
name_ja = "見本ユニオン"
name_en = "Sample union"
description_ja = "見本の説明。"
description_en = "A sample."
"#;

    #[test]
    fn a_good_file_parses_and_errors_name_the_listing() {
        assert_eq!(parse_directory(ONE).unwrap().len(), 1);
        let error = parse_directory(&ONE.replace("description_en", "descripton_en"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("line 8, organisation sample-union: "),
            "{error}"
        );
        match parse_directory(&ONE.replace("kind = \"union\"", "kind = \"club\"")) {
            Err(DirectoryError::Invalid(error)) => {
                assert_eq!(error.listing, "sample-union");
                assert_eq!(error.field, ListingField::Kind);
                assert_eq!(error.problem, ListingProblem::UnknownKind("club".into()));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(parse_directory(""), Err(DirectoryError::Empty)));
    }

    #[test]
    fn request_filters_are_checked() {
        let filter = listing_filter(Some("union"), Some("13"), 20, 0).unwrap();
        assert_eq!(filter.kind, Some(CommunityKind::Union));
        assert_eq!(filter.prefecture, Prefecture::parse("13"));
        let Err(AppError::Invalid(errors)) = listing_filter(Some("club"), Some("99"), 20, 0) else {
            panic!("expected invalid");
        };
        assert!(errors.get(Field::Kind).is_some());
        assert_eq!(
            errors.get(Field::Prefecture),
            Some(FieldProblem::UnknownPrefecture)
        );
    }
}
