//! The event store contract on SQLite and PostgreSQL: exact round trips,
//! and registrations that follow the domain's reference model (`Roster`).

use crate::common::{community_with, people};
use chrono::{Duration, TimeZone, Utc};
use tsunagari_domain::community::CommunityKind;
use tsunagari_domain::event::{EventDetails, Roster, RsvpStatus};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::time::now;
use tsunagari_domain::{SecretToken, UserId, UserTimeZone};
use tsunagari_store::{Conflict, Store, StoreError};

fn details(capacity: Option<u32>) -> EventDetails {
    let starts_at = Utc.with_ymd_and_hms(2030, 12, 5, 10, 0, 0).unwrap();
    EventDetails {
        title: "東京支部 新年会".into(),
        description: "**地酒**と郷土料理".into(),
        starts_at,
        ends_at: starts_at + Duration::hours(2),
        time_zone: UserTimeZone::parse("Asia/Tokyo").unwrap(),
        online: true,
        online_url: Some("https://meet.example.jp/x".into()),
        venue: Some("にいがた館".into()),
        prefecture: Prefecture::parse("13"),
        capacity,
    }
}

async fn community(
    store: &dyn Store,
    owner: UserId,
    members: &[UserId],
) -> tsunagari_domain::community::CommunityId {
    community_with(
        store,
        CommunityKind::Npo,
        "にいがた つながる会",
        "public",
        owner,
        members,
    )
    .await
}

tsunagari_store::backend_tests! {
    async fn events_round_trip_exactly(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 1, "人").await;
        let c = community(store.as_ref(), ids[0], &[]).await;
        let event = store.create_event(c, ids[0], &details(Some(20)), now()).await.unwrap();
        let listing = store.event(event.id).await.unwrap().unwrap();
        assert_eq!(listing.event, event);
        assert_eq!(event.details, details(Some(20)));
        assert_eq!((listing.confirmed, listing.waitlisted), (0, 0));
        let mut changed = details(None);
        changed.title = "新年会（会場変更）".into();
        changed.online = false;
        changed.online_url = None;
        let updated = store.update_event(event.id, &changed, now()).await.unwrap();
        assert_eq!(updated.details.title, "新年会（会場変更）");
        assert_eq!(updated.details.capacity, Some(20), "the capacity changes only through set_capacity");

        // Upcoming lists and the next start of each community in one query.
        let before = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
        let other = community(store.as_ref(), ids[0], &[]).await;
        let upcoming = store.upcoming_events(c, before, 10).await.unwrap();
        assert_eq!(upcoming.len(), 1);
        let next = store.next_event_starts(&[c, other], before).await.unwrap();
        assert_eq!(next.get(&c), Some(&details(None).starts_at));
        assert!(!next.contains_key(&other));
        let after = Utc.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap();
        assert!(store.upcoming_events(c, after, 10).await.unwrap().is_empty());
        assert!(store.next_event_starts(&[c], after).await.unwrap().is_empty());
    }

    async fn registrations_follow_the_reference_model(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 12, "人").await;
        let c = community(store.as_ref(), ids[0], &ids[1..]).await;
        let event = store.create_event(c, ids[0], &details(Some(3)), now()).await.unwrap();
        let mut model = Roster::new(Some(3));
        // A fixed pseudo-random sequence of registrations, cancellations
        // and capacity changes.
        let mut seed: u64 = 0x5eed;
        for step in 0..300 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let pick = (seed >> 33) as usize;
            let user = ids[pick % ids.len()];
            match pick % 10 {
                0..=5 => {
                    let expected = model.register(user);
                    let got = store.register(event.id, user, now()).await;
                    match (expected, got) {
                        (Ok(status), Ok(Some(rsvp))) => assert_eq!(rsvp.status, status, "step {step}"),
                        (Err(_), Err(StoreError::Conflict(Conflict::AlreadyRegistered))) => {}
                        (e, g) => panic!("step {step}: model {e:?}, store {g:?}"),
                    }
                }
                6..=8 => {
                    let expected = model.cancel(user).ok();
                    let got = store.cancel_registration(event.id, user).await.unwrap().map(|c| c.promoted);
                    assert_eq!(got, expected, "step {step}");
                }
                _ => {
                    let capacity = Some(((pick / 10) % 6) as u32 + 1);
                    let expected = model.set_capacity(capacity);
                    let got = store.set_capacity(event.id, capacity, now()).await;
                    match (expected, got) {
                        (Ok(promoted), Ok(got)) => assert_eq!(got, promoted, "step {step}"),
                        (Err(_), Err(StoreError::Conflict(Conflict::CapacityBelowConfirmed))) => {}
                        (e, g) => panic!("step {step}: model {e:?}, store {g:?}"),
                    }
                }
            }
            let entries = store.registrations(event.id).await.unwrap();
            let stored: Vec<(UserId, RsvpStatus)> = {
                let mut e: Vec<_> = entries.iter().map(|e| (e.rsvp.sequence, e.rsvp.user_id, e.rsvp.status)).collect();
                e.sort_by_key(|(seq, _, _)| *seq);
                e.into_iter().map(|(_, u, s)| (u, s)).collect()
            };
            let modelled: Vec<(UserId, RsvpStatus)> = model.entries.iter().map(|(u, _, s)| (*u, *s)).collect();
            assert_eq!(stored, modelled, "step {step}");
        }
    }

    async fn attendance_and_calendar_keys(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 3, "人").await;
        let c = community(store.as_ref(), ids[0], &ids[1..]).await;
        let event = store.create_event(c, ids[0], &details(Some(1)), now()).await.unwrap();
        store.register(event.id, ids[1], now()).await.unwrap();
        store.register(event.id, ids[2], now()).await.unwrap();
        assert!(store.set_attended(event.id, ids[1], true).await.unwrap());
        assert!(!store.set_attended(event.id, ids[2], true).await.unwrap(), "waitlisted people have no attendance");
        assert!(store.registration(event.id, ids[1]).await.unwrap().unwrap().attended);
        let mine = store.events_of(ids[2], Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].1, RsvpStatus::Waitlisted);

        let key = SecretToken::generate();
        assert!(!store.has_calendar_key(ids[1]).await.unwrap());
        store.set_calendar_key(ids[1], &key.hash(), now()).await.unwrap();
        assert_eq!(store.calendar_owner(&key.hash()).await.unwrap(), Some(ids[1]));
        let replacement = SecretToken::generate();
        store.set_calendar_key(ids[1], &replacement.hash(), now()).await.unwrap();
        assert_eq!(store.calendar_owner(&key.hash()).await.unwrap(), None, "the old key stops working");
        assert_eq!(store.calendar_owner(&replacement.hash()).await.unwrap(), Some(ids[1]));
        assert!(store.has_calendar_key(ids[1]).await.unwrap());
    }

    async fn a_place_freed_by_a_deleted_account_goes_to_the_waitlist_first(db: TestDatabase) {
        let store = db.store().await;
        let ids = people(store.as_ref(), 4, "人").await;
        let c = community(store.as_ref(), ids[0], &ids[1..]).await;
        let event = store.create_event(c, ids[0], &details(Some(1)), now()).await.unwrap();
        store.register(event.id, ids[1], now()).await.unwrap();
        let waiting = store.register(event.id, ids[2], now()).await.unwrap().unwrap();
        assert_eq!(waiting.status, RsvpStatus::Waitlisted);
        // The confirmed person's account goes; the schema removes their registration.
        assert!(store.delete_account(ids[1]).await.unwrap());
        let newcomer = store.register(event.id, ids[3], now()).await.unwrap().unwrap();
        assert_eq!(newcomer.status, RsvpStatus::Waitlisted, "no overtaking");
        assert_eq!(store.registration(event.id, ids[2]).await.unwrap().unwrap().status, RsvpStatus::Confirmed);
    }
}
