//! The organisation directory, its claims and the site-operator role on
//! SQLite and PostgreSQL: exact round trips in listing order, filters, who
//! may change what on import, the claim rules (one pending claim per person
//! and listing, a claimed listing never claimed again, approval creating
//! the claimant's community in the same transaction), the schema refusing
//! what the rules refuse, and concurrent claims and approvals.

use std::sync::Arc;

use tsunagari_domain::UserId;
use tsunagari_domain::community::{CommunityKind, MembershipStatus, Role};
use tsunagari_domain::organisation::{
    ClaimId, ClaimMessage, ClaimStatus, DeclineReason, ListingDraft, OrganisationListing,
    validate_directory,
};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::time::now;
use tsunagari_store::testing::{TestDatabase, create_person};
use tsunagari_store::{
    CatalogueChange, CatalogueSource, Conflict, ListingFilter, Store, StoreError,
};

fn draft(slug: &str, kind: &str, prefecture: Option<&str>) -> ListingDraft {
    ListingDraft {
        slug: slug.into(),
        kind: kind.into(),
        name_ja: format!("{slug} の会"),
        name_en: format!("The {slug} group"),
        description_ja: "説明です。".into(),
        description_en: "A description.".into(),
        prefecture: prefecture.map(str::to_owned),
        website: None,
        company: (kind == "corporate_alumni").then(|| "株式会社サンプル".to_owned()),
        tags: vec!["介護".into(), "対話".into()],
    }
}

/// A small directory: a union, two professional communities (one in
/// Tokyo), regional alumni of Niigata, corporate alumni.
fn directory() -> Vec<OrganisationListing> {
    let mut union = draft("sample-union", "union", Some("13"));
    union.website = Some("https://union.example.jp/".into());
    validate_directory(&[
        union,
        draft("care-cafe", "professional", Some("13")),
        draft("niigata-fans", "regional_alumni", Some("15")),
        draft("hr-circle", "professional", None),
        draft("sample-alumni", "corporate_alumni", None),
    ])
    .unwrap()
}

fn all() -> ListingFilter {
    ListingFilter {
        limit: 100,
        ..Default::default()
    }
}

async fn slugs(store: &dyn Store, filter: ListingFilter) -> Vec<String> {
    store
        .organisation_listings(&filter)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.listing.slug)
        .collect()
}

fn message(text: &str) -> ClaimMessage {
    ClaimMessage::parse(text).unwrap()
}

async fn loaded(db: &TestDatabase) -> Arc<dyn Store> {
    let store = db.store().await;
    store
        .import_organisations(&directory(), CatalogueSource::Shipped, now())
        .await
        .unwrap();
    store
}

async fn listing_id(store: &dyn Store, slug: &str) -> tsunagari_domain::organisation::ListingId {
    store
        .organisation_listing_by_slug(slug)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn approve(
    store: &dyn Store,
    claim: ClaimId,
    operator: UserId,
    slug: &str,
) -> Result<Option<tsunagari_store::ApprovedClaim>, StoreError> {
    let listing = store
        .organisation_listing_by_slug(slug)
        .await
        .unwrap()
        .unwrap()
        .listing;
    let profile = listing.community_draft().validate(listing.kind).unwrap();
    store
        .approve_organisation_claim(claim, operator, listing.kind, &profile, now())
        .await
}

fn conflict(result: Result<impl std::fmt::Debug, StoreError>) -> Conflict {
    match result {
        Err(StoreError::Conflict(c)) => c,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

tsunagari_store::backend_tests! {
    async fn a_directory_round_trips_in_listing_order_with_filters(db: TestDatabase) {
        let store = db.store().await;
        let change = store
            .import_organisations(&directory(), CatalogueSource::Shipped, now())
            .await
            .unwrap();
        assert_eq!(change, CatalogueChange { added: 5, ..Default::default() });
        // By kind (professional, corporate alumni, regional alumni, …,
        // union), then the file's order.
        assert_eq!(
            slugs(&*store, all()).await,
            ["care-cafe", "hr-circle", "sample-alumni", "niigata-fans", "sample-union"]
        );
        let records = store.organisation_listings(&all()).await.unwrap();
        for record in &records {
            let original = directory().into_iter().find(|l| l.slug == record.listing.slug).unwrap();
            assert_eq!(record.listing, original);
            assert_eq!(record.community_id, None);
            let by_id = store.organisation_listing(record.id).await.unwrap().unwrap();
            assert_eq!(&by_id, record);
        }
        let filter = |kind: Option<CommunityKind>, prefecture: Option<&str>| ListingFilter {
            kind,
            prefecture: prefecture.and_then(Prefecture::parse),
            limit: 100,
            offset: 0,
        };
        assert_eq!(slugs(&*store, filter(Some(CommunityKind::Professional), None)).await, ["care-cafe", "hr-circle"]);
        assert_eq!(slugs(&*store, filter(None, Some("13"))).await, ["care-cafe", "sample-union"]);
        assert_eq!(slugs(&*store, filter(Some(CommunityKind::Union), Some("15"))).await, Vec::<String>::new());
        assert_eq!(store.count_organisation_listings(&filter(None, Some("13"))).await.unwrap(), 2);
        assert_eq!(store.count_organisation_listings(&all()).await.unwrap(), 5);
        // Pages.
        let page = ListingFilter { limit: 2, offset: 2, ..Default::default() };
        assert_eq!(slugs(&*store, page).await, ["sample-alumni", "niigata-fans"]);
        let union = store.organisation_listing_by_slug("sample-union").await.unwrap().unwrap();
        assert_eq!(union.listing.website.as_deref(), Some("https://union.example.jp/"));
        assert!(store.organisation_listing_by_slug("no-such-listing").await.unwrap().is_none());
    }

    async fn the_shipped_file_never_overwrites_the_operator_and_withdraws_rather_than_deletes(db: TestDatabase) {
        let store = loaded(&db).await;
        let mut corrected = directory()[1].clone();
        corrected.description.ja = "運営者が直した説明。".into();
        let change = store
            .import_organisations(&[corrected.clone()], CatalogueSource::Operator { replace: false }, now())
            .await
            .unwrap();
        assert_eq!(change.updated, 1);
        // Loading the shipped file again keeps the operator's text.
        let change = store.import_organisations(&directory(), CatalogueSource::Shipped, now()).await.unwrap();
        assert_eq!(change.kept, 1);
        assert_eq!(change.unchanged, 4);
        let care = store.organisation_listing_by_slug("care-cafe").await.unwrap().unwrap();
        assert_eq!(care.listing.description.ja, "運営者が直した説明。");
        // A listing the shipped file drops is withdrawn, its id and claims kept.
        let id = listing_id(&*store, "hr-circle").await;
        let person = create_person(&*store, "claimant@example.jp", "申請者").await;
        let claim = store.create_organisation_claim(id, person, &message("運営者です。"), now()).await.unwrap().unwrap();
        let fewer: Vec<OrganisationListing> =
            directory().into_iter().filter(|l| l.slug != "hr-circle").collect();
        let change = store.import_organisations(&fewer, CatalogueSource::Shipped, now()).await.unwrap();
        assert_eq!(change.removed, 1);
        assert!(store.organisation_listing_by_slug("hr-circle").await.unwrap().is_none());
        assert!(!slugs(&*store, all()).await.contains(&"hr-circle".to_owned()));
        assert!(store.organisation_claim(claim.id).await.unwrap().is_some());
        // Claims on a withdrawn listing are refused like a missing one.
        let other = create_person(&*store, "other@example.jp", "別の人").await;
        assert!(store.create_organisation_claim(id, other, &message("私も。"), now()).await.unwrap().is_none());
        // It comes back with the next shipped file that has it, same id.
        store.import_organisations(&directory(), CatalogueSource::Shipped, now()).await.unwrap();
        assert_eq!(listing_id(&*store, "hr-circle").await, id);
        // The operator's --replace withdraws what the file leaves out, for good.
        let change = store
            .import_organisations(&[corrected], CatalogueSource::Operator { replace: true }, now())
            .await
            .unwrap();
        assert_eq!(change.removed, 4);
        store.import_organisations(&directory(), CatalogueSource::Shipped, now()).await.unwrap();
        assert_eq!(slugs(&*store, all()).await, ["care-cafe"]);
    }

    async fn claims_follow_the_rules_and_approval_makes_the_claimant_s_community(db: TestDatabase) {
        let store = loaded(&db).await;
        let operator = create_person(&*store, "operator@example.jp", "運営者").await;
        let aoi = create_person(&*store, "aoi@example.jp", "佐藤 葵").await;
        let ren = create_person(&*store, "ren@example.jp", "田中 蓮").await;
        let id = listing_id(&*store, "niigata-fans").await;
        let first = store.create_organisation_claim(id, aoi, &message("代表の佐藤です。"), now()).await.unwrap().unwrap();
        assert_eq!(first.status, ClaimStatus::Pending);
        assert_eq!(first.message, "代表の佐藤です。");
        assert_eq!(conflict(store.create_organisation_claim(id, aoi, &message("もう一度"), now()).await), Conflict::ClaimPending);
        let second = store.create_organisation_claim(id, ren, &message("事務局の田中です。"), now()).await.unwrap().unwrap();
        let queue = store.pending_organisation_claims(50).await.unwrap();
        assert_eq!(queue.iter().map(|e| e.claim.id).collect::<Vec<_>>(), [first.id, second.id]);
        assert_eq!(queue[0].listing_slug, "niigata-fans");
        assert_eq!(queue[0].claimant_name, "佐藤 葵");
        assert_eq!(queue[0].listing_kind, CommunityKind::RegionalAlumni);

        let approved = approve(&*store, first.id, operator, "niigata-fans").await.unwrap().unwrap();
        assert_eq!(approved.claimant, aoi);
        assert_eq!(approved.superseded, [ren]);
        let community = approved.community;
        assert_eq!(community.kind, CommunityKind::RegionalAlumni);
        assert_eq!(community.profile.name, "niigata-fans の会");
        assert_eq!(community.profile.prefecture.unwrap().code(), "15");
        assert_eq!(community.profile.tags, ["介護", "対話"]);
        let owner = store.membership(community.id, aoi).await.unwrap().unwrap();
        assert_eq!((owner.role, owner.status), (Role::Owner, MembershipStatus::Active));
        let record = store.organisation_listing(id).await.unwrap().unwrap();
        assert_eq!(record.community_id, Some(community.id));
        assert!(record.claimed_at.is_some());
        let mine = store.organisation_claims_of(aoi).await.unwrap();
        assert_eq!(mine[0].claim.status, ClaimStatus::Approved);
        assert!(mine[0].claim.decided_at.is_some());
        let theirs = store.organisation_claims_of(ren).await.unwrap();
        assert_eq!(theirs[0].claim.status, ClaimStatus::Superseded);
        assert!(store.pending_organisation_claims(50).await.unwrap().is_empty());

        // Claimed: nobody claims it again, nothing is decided twice.
        assert_eq!(conflict(store.create_organisation_claim(id, ren, &message("再申請"), now()).await), Conflict::ListingClaimed);
        assert_eq!(conflict(approve(&*store, first.id, operator, "niigata-fans").await), Conflict::ClaimDecided);
        assert_eq!(conflict(approve(&*store, second.id, operator, "niigata-fans").await), Conflict::ClaimDecided);
        let reason = DeclineReason::parse("確認できませんでした。").unwrap();
        assert_eq!(conflict(store.decline_organisation_claim(first.id, operator, &reason, now()).await), Conflict::ClaimDecided);
        assert!(approve(&*store, ClaimId(999_999), operator, "niigata-fans").await.unwrap().is_none());
        assert!(store.decline_organisation_claim(ClaimId(999_999), operator, &reason, now()).await.unwrap().is_none());
    }

    async fn a_declined_claim_keeps_its_reason_and_the_person_may_claim_again(db: TestDatabase) {
        let store = loaded(&db).await;
        let operator = create_person(&*store, "operator@example.jp", "運営者").await;
        let aoi = create_person(&*store, "aoi@example.jp", "佐藤 葵").await;
        let id = listing_id(&*store, "sample-union").await;
        let claim = store.create_organisation_claim(id, aoi, &message("組合員です。"), now()).await.unwrap().unwrap();
        let reason = DeclineReason::parse("役員の方からの申請をお願いします。").unwrap();
        let declined = store.decline_organisation_claim(claim.id, operator, &reason, now()).await.unwrap().unwrap();
        assert_eq!(declined.status, ClaimStatus::Declined);
        assert_eq!(declined.reason.as_deref(), Some("役員の方からの申請をお願いします。"));
        let entry = store.organisation_claim(claim.id).await.unwrap().unwrap();
        assert_eq!(entry.claim, declined);
        assert_eq!(store.organisation_listing(id).await.unwrap().unwrap().community_id, None);
        let again = store.create_organisation_claim(id, aoi, &message("書記長です。"), now()).await.unwrap().unwrap();
        assert_ne!(again.id, claim.id);
        assert_eq!(store.organisation_claims_of(aoi).await.unwrap().len(), 2);
    }

    async fn the_schema_refuses_what_the_rules_refuse(db: TestDatabase) {
        let store = loaded(&db).await;
        let operator = create_person(&*store, "operator@example.jp", "運営者").await;
        let aoi = create_person(&*store, "aoi@example.jp", "佐藤 葵").await;
        let id = listing_id(&*store, "care-cafe").await;
        let claim = store.create_organisation_claim(id, aoi, &message("代表です。"), now()).await.unwrap().unwrap();
        let at = now();
        // A second pending claim of the same person for the same listing.
        let insert = format!(
            "INSERT INTO organisation_claims (listing_id, user_id, message, status, created_at) VALUES ({}, {}, 'again', 'pending', $1)",
            id.0, aoi.0
        );
        assert!(db.try_execute_with_time(&insert, at).await.is_err());
        // Declined without a reason or a decision time.
        let bad = format!("UPDATE organisation_claims SET status = 'declined' WHERE id = {} AND created_at < $1", claim.id.0);
        assert!(db.try_execute_with_time(&bad, at + chrono::Duration::days(1)).await.is_err());
        let approved = approve(&*store, claim.id, operator, "care-cafe").await.unwrap().unwrap();
        // A decided claim is final.
        let reopen = format!("UPDATE organisation_claims SET status = 'pending', decided_at = NULL WHERE id = {} AND created_at < $1", claim.id.0);
        assert!(db.try_execute_with_time(&reopen, at + chrono::Duration::days(1)).await.is_err());
        let edit = format!("UPDATE organisation_claims SET message = 'changed' WHERE id = {} AND created_at < $1", claim.id.0);
        assert!(db.try_execute_with_time(&edit, at + chrono::Duration::days(1)).await.is_err());
        // A second approval for the listing.
        let ren = create_person(&*store, "ren@example.jp", "田中 蓮").await;
        let second = format!(
            "INSERT INTO organisation_claims (listing_id, user_id, message, status, created_at, decided_at) VALUES ({}, {}, 'x', 'approved', $1, $1)",
            id.0, ren.0
        );
        assert!(db.try_execute_with_time(&second, at).await.is_err());
        // A claimed listing is never pointed at another community.
        let other = store
            .create_community(
                CommunityKind::Professional,
                &approved.community.profile,
                None,
                ren,
                now(),
            )
            .await
            .unwrap();
        let repoint = format!("UPDATE organisation_listings SET community_id = {} WHERE id = {} AND created_at < $1", other.id.0, id.0);
        assert!(db.try_execute_with_time(&repoint, at + chrono::Duration::days(1)).await.is_err());
        // Deleting the operator's account clears who decided, nothing else;
        // deleting the claimant's account takes their claims with it.
        assert!(store.delete_account(operator).await.unwrap());
        let entry = store.organisation_claim(claim.id).await.unwrap().unwrap();
        assert_eq!(entry.claim.status, ClaimStatus::Approved);
        assert_eq!(
            db.column_as_text(&format!("SELECT COALESCE(CAST(decided_by AS TEXT), 'none') FROM organisation_claims WHERE id = {}", claim.id.0)).await,
            ["none"]
        );
        let later = store.create_organisation_claim(listing_id(&*store, "hr-circle").await, ren, &message("私です。"), now()).await.unwrap().unwrap();
        assert!(store.delete_account(ren).await.unwrap());
        assert!(store.organisation_claim(later.id).await.unwrap().is_none());
    }

    async fn concurrent_claims_and_approvals_are_serialised(db: TestDatabase) {
        let store = loaded(&db).await;
        let operator = create_person(&*store, "operator@example.jp", "運営者").await;
        let id = listing_id(&*store, "sample-union").await;
        let mut people = Vec::new();
        for n in 0..8 {
            people.push(create_person(&*store, &format!("p{n}@example.jp"), &format!("人{n}")).await);
        }
        // The same person clicking twice at once: one claim.
        let twice: Vec<_> = (0..6)
            .map(|_| {
                let store = store.clone();
                let person = people[0];
                tokio::spawn(async move { store.create_organisation_claim(id, person, &message("同時に"), now()).await })
            })
            .collect();
        let mut made = 0;
        for task in twice {
            match task.await.unwrap() {
                Ok(Some(_)) => made += 1,
                Err(StoreError::Conflict(Conflict::ClaimPending)) => {}
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(made, 1);
        for person in &people[1..] {
            store.create_organisation_claim(id, *person, &message("申請します"), now()).await.unwrap().unwrap();
        }
        let queue = store.pending_organisation_claims(50).await.unwrap();
        assert_eq!(queue.len(), 8);
        // Every claim approved at once: exactly one wins, the rest are
        // already decided (superseded) or find the listing claimed.
        let listing = store.organisation_listing(id).await.unwrap().unwrap().listing;
        let profile = listing.community_draft().validate(listing.kind).unwrap();
        let tasks: Vec<_> = queue
            .iter()
            .map(|entry| {
                let store = store.clone();
                let profile = profile.clone();
                let claim = entry.claim.id;
                tokio::spawn(async move { store.approve_organisation_claim(claim, operator, CommunityKind::Union, &profile, now()).await })
            })
            .collect();
        let mut approved = Vec::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok(Some(done)) => approved.push(done),
                Err(StoreError::Conflict(Conflict::ClaimDecided | Conflict::ListingClaimed)) => {}
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(approved.len(), 1);
        assert_eq!(approved[0].superseded.len(), 7);
        let statuses = db.column_as_text("SELECT status FROM organisation_claims ORDER BY id").await;
        assert_eq!(statuses.iter().filter(|s| *s == "approved").count(), 1);
        assert_eq!(statuses.iter().filter(|s| *s == "superseded").count(), 7);
        let communities = db.column_as_text("SELECT name FROM communities").await;
        assert_eq!(communities.len(), 1, "one community, however many approvals raced");
    }

    async fn the_site_operator_role_is_granted_and_revoked(db: TestDatabase) {
        let store = db.store().await;
        let aoi = create_person(&*store, "aoi@example.jp", "佐藤 葵").await;
        assert!(!store.is_site_operator(aoi).await.unwrap());
        assert!(store.set_site_operator(aoi, true, now()).await.unwrap());
        assert!(!store.set_site_operator(aoi, true, now()).await.unwrap());
        assert!(store.is_site_operator(aoi).await.unwrap());
        assert_eq!(store.count_site_operators().await.unwrap(), 1);
        assert!(store.set_site_operator(aoi, false, now()).await.unwrap());
        assert!(!store.set_site_operator(aoi, false, now()).await.unwrap());
        assert!(!store.is_site_operator(aoi).await.unwrap());
        store.set_site_operator(aoi, true, now()).await.unwrap();
        assert!(store.delete_account(aoi).await.unwrap());
        assert_eq!(store.count_site_operators().await.unwrap(), 0);
    }
}
