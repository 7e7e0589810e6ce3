//! Events over the API and the pages, on SQLite and PostgreSQL, including
//! the proof that concurrent RSVPs and cancellations never overfill an
//! event and serve the waitlist in the order the server accepted them.

use crate::api_support;
use crate::common;

use std::collections::{HashMap, HashSet};

use api_support::{Person, call, create_community, crowd, person, send};
use common::{PASSWORD, TestApp, location};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn community(app: &TestApp, owner: &Person, visibility: &str) -> i64 {
    let body =
        json!({"kind": "professional", "name": "介護のみらい対話カフェ", "visibility": visibility});
    create_community(app, owner, body).await
}

/// A local date-time `days` from now at 19:00 Tokyo time.
fn local_day(days: i64, hour: u32) -> String {
    let date = (chrono::Utc::now() + chrono::Duration::days(days))
        .with_timezone(&chrono_tz::Asia::Tokyo)
        .date_naive();
    format!("{}T{hour:02}:00", date.format("%Y-%m-%d"))
}

fn online_event(capacity: Option<u32>) -> Value {
    json!({
        "title": "オンライン対話会, 第3回; \\ 介護の仕事を語る",
        "description": "はじめての方も歓迎します。\n聞くだけの参加もどうぞ。",
        "starts_at": local_day(3, 19),
        "ends_at": local_day(3, 21),
        "online": true,
        "online_url": "https://meet.example.jp/kaigo-cafe",
        "capacity": capacity,
    })
}

async fn create_event(
    app: &TestApp,
    who: &Person,
    community: i64,
    body: Value,
) -> (StatusCode, Value) {
    call(
        app,
        Some(who),
        Method::POST,
        &format!("/api/v1/communities/{community}/events"),
        Some(body),
    )
    .await
}

/// Parses iCalendar text with Python's `icalendar` package, an outside
/// implementation of RFC 5545. Skips (saying why) when it is missing,
/// unless TSUNAGARI_REQUIRE_ALL=1.
fn validate_ics(text: &str) {
    let script = "import icalendar,sys\ncal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())\nevents = cal.walk('VEVENT')\nassert events, 'no VEVENT'\nfor e in events:\n    assert e.get('UID') and e.decoded('DTSTART').tzinfo is not None, e\nprint(len(events))\n";
    let Some(out) = common::outside_reader("icalendar", "iCalendar validation", script, text)
    else {
        return;
    };
    assert!(
        out.status.success(),
        "icalendar refused:\n{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn check_ics_shape(text: &str) {
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "line of {} octets: {line}", line.len());
        assert!(!line.contains('\n'), "bare LF");
    }
}

/// Every stored registration of an event: (user, sequence, status), in sequence order.
async fn stored_rsvps(
    db: &tsunagari_store::testing::TestDatabase,
    event: i64,
) -> Vec<(i64, i64, String)> {
    let rows = db
        .column_as_text(&format!(
            "SELECT CAST(user_id AS TEXT) || ':' || CAST(seq AS TEXT) || ':' || status FROM rsvps WHERE event_id = {event} ORDER BY seq"
        ))
        .await;
    rows.iter()
        .map(|row| {
            let mut parts = row.split(':');
            (
                parts.next().unwrap().parse().unwrap(),
                parts.next().unwrap().parse().unwrap(),
                parts.next().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The invariants: never over capacity, full when people wait, nobody
/// twice, and the confirmed people are exactly those who were accepted
/// first (so the waitlist is served in acceptance order).
fn check_roster(rows: &[(i64, i64, String)], capacity: usize) {
    let users: HashSet<i64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(users.len(), rows.len(), "somebody is registered twice");
    let confirmed = rows.iter().filter(|r| r.2 == "confirmed").count();
    assert_eq!(
        confirmed,
        capacity.min(rows.len()),
        "confirmed = min(capacity, registered)"
    );
    for (index, row) in rows.iter().enumerate() {
        let expected = if index < capacity {
            "confirmed"
        } else {
            "waitlisted"
        };
        assert_eq!(
            row.2, expected,
            "position {index} by acceptance order: {rows:?}"
        );
    }
}

tsunagari_store::backend_tests! {
    async fn organisers_create_events_and_members_register(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let member = person(&app, "ren@example.jp", "田中 蓮").await;
        let outsider = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let id = community(&app, &owner, "public").await;
        call(&app, Some(&member), Method::POST, &format!("/api/v1/communities/{id}/members"), None).await;

        // Validation: every problem by field.
        let (status, body) = create_event(&app, &owner, id, json!({
            "title": "", "starts_at": "tomorrow", "ends_at": local_day(3, 18), "online": true,
            "online_url": "http://insecure.example", "capacity": 0
        })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        for field in ["title", "starts_at", "online_url", "capacity"] {
            assert!(body["error"]["fields"][field].is_array(), "{field}: {body}");
        }
        let (status, body) = create_event(&app, &owner, id, json!({
            "title": "どこで？", "starts_at": local_day(3, 19), "ends_at": local_day(3, 21)
        })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["online"].is_array(), "{body}");
        let (status, body) = create_event(&app, &owner, id, json!({
            "title": "逆さま", "starts_at": local_day(3, 19), "ends_at": local_day(3, 18), "venue": "会議室"
        })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["ends_at"].is_array(), "{body}");

        // Only organisers create.
        let (status, body) = create_event(&app, &member, id, online_event(Some(1))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "not_organiser");
        let (status, _) = create_event(&app, &owner, 9999, online_event(Some(1))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let (status, event) = create_event(&app, &owner, id, online_event(Some(1))).await;
        assert_eq!(status, StatusCode::CREATED, "{event}");
        let event_id = event["id"].as_i64().unwrap();
        assert_eq!(event["capacity"], 1);
        assert_eq!(event["time_zone"], "Asia/Tokyo");
        assert!(event["starts_at"].as_str().unwrap().ends_with('Z'), "RFC 3339 UTC: {event}");
        let start = chrono::DateTime::parse_from_rfc3339(event["starts_at"].as_str().unwrap()).unwrap();
        assert_eq!(start.with_timezone(&chrono_tz::Asia::Tokyo).format("%H:%M").to_string(), "19:00");
        assert_eq!(event["online_url"], "https://meet.example.jp/kaigo-cafe", "organisers see the link");

        // Anonymous readers see the event, not the link.
        let (status, anonymous) = call(&app, None, Method::GET, &format!("/api/v1/events/{event_id}"), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(anonymous["online_url"].is_null() && anonymous["my_status"].is_null(), "{anonymous}");
        let (_, listed) = call(&app, None, Method::GET, &format!("/api/v1/communities/{id}/events"), None).await;
        assert_eq!(listed["events"][0]["id"], event_id);

        // Only members register; once.
        let rsvp_path = format!("/api/v1/events/{event_id}/rsvp");
        let (status, body) = call(&app, Some(&outsider), Method::POST, &rsvp_path, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "not_member");
        let (status, body) = call(&app, Some(&member), Method::POST, &rsvp_path, None).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(body["status"], "confirmed");
        let (status, body) = call(&app, Some(&member), Method::POST, &rsvp_path, None).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "already_registered");
        let (_, seen) = call(&app, Some(&member), Method::GET, &format!("/api/v1/events/{event_id}"), None).await;
        assert_eq!(seen["my_status"], "confirmed");
        assert_eq!(seen["confirmed_count"], 1);
        assert_eq!(seen["online_url"], "https://meet.example.jp/kaigo-cafe", "registered people see the link");

        // The owner is next: the waitlist.
        let (_, body) = call(&app, Some(&owner), Method::POST, &rsvp_path, None).await;
        assert_eq!(body["status"], "waitlisted");
        let (status, _) = call(&app, Some(&member), Method::DELETE, &rsvp_path, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, seen) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/events/{event_id}"), None).await;
        assert_eq!(seen["my_status"], "confirmed", "promoted from the waitlist: {seen}");
        assert_eq!((seen["confirmed_count"].as_i64(), seen["waitlist_count"].as_i64()), (Some(1), Some(0)));
        let (status, body) = call(&app, Some(&member), Method::DELETE, &rsvp_path, None).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "not_registered");
        let (status, _) = call(&app, Some(&member), Method::POST, "/api/v1/events/9999/rsvp", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let response = app.api().post(app.url(&rsvp_path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

        // Organiser tools over the API: capacity, attendance, and the
        // member's own list.
        let (_, body) = call(&app, Some(&member), Method::POST, &rsvp_path, None).await;
        assert_eq!(body["status"], "waitlisted");
        let capacity_path = format!("/api/v1/events/{event_id}/capacity");
        let (status, body) = call(&app, Some(&member), Method::PUT, &capacity_path, Some(json!({"capacity": 5}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = call(&app, Some(&owner), Method::PUT, &capacity_path, Some(json!({"capacity": 2}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["promoted"], json!([member.id]));
        let (status, body) = call(&app, Some(&owner), Method::PUT, &capacity_path, Some(json!({"capacity": 1}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "below the confirmed count");
        assert!(body["error"]["fields"]["capacity"].is_array(), "{body}");
        let attendance_path = format!("/api/v1/events/{event_id}/attendance/{}", member.id);
        let (status, _) = call(&app, Some(&owner), Method::PUT, &attendance_path, Some(json!({"attended": true}))).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, body) =
            call(&app, Some(&owner), Method::PUT, &format!("/api/v1/events/{event_id}/attendance/{}", outsider.id), Some(json!({"attended": true}))).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "not_confirmed");
        let (status, mine) = call(&app, Some(&member), Method::GET, "/api/v1/me/events", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(mine["events"][0]["id"], event_id);
        assert_eq!(mine["events"][0]["my_status"], "confirmed");

        // iCalendar, checked by an outside parser.
        let response = app.api().get(app.url(&format!("/api/v1/events/{event_id}/ics"))).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
        let text = response.text().await.unwrap();
        check_ics_shape(&text);
        assert!(text.contains(&format!("UID:event-{event_id}@")));
        assert!(text.contains("SUMMARY:オンライン対話会\\, 第3回\\; \\\\ 介護の仕事を語る"), "{text}");
        assert!(!text.contains("meet.example.jp"), "no link for anonymous readers");
        validate_ics(&text);

        // The OpenAPI document lists the event paths.
        let (_, doc) = call(&app, None, Method::GET, "/api/openapi.json", None).await;
        for path in [
            "/api/v1/communities/{id}/events",
            "/api/v1/events/{id}",
            "/api/v1/events/{id}/rsvp",
            "/api/v1/events/{id}/ics",
            "/api/v1/events/{id}/capacity",
            "/api/v1/events/{id}/attendance/{user_id}",
            "/api/v1/me/events",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} in OpenAPI");
        }
    }

    async fn members_only_events_are_hidden_from_outsiders(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let outsider = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let id = community(&app, &owner, "members").await;
        let (_, event) = create_event(&app, &owner, id, online_event(None)).await;
        let event_id = event["id"].as_i64().unwrap();
        for who in [None, Some(&outsider)] {
            for path in [format!("/api/v1/events/{event_id}"), format!("/api/v1/communities/{id}/events"), format!("/api/v1/events/{event_id}/ics")] {
                let (status, body) = call(&app, who, Method::GET, &path, None).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
                assert_eq!(body["error"]["code"], "members_only");
            }
        }
        let (status, _) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/events/{event_id}"), None).await;
        assert_eq!(status, StatusCode::OK);
    }

    async fn concurrent_rsvps_never_overfill_and_keep_the_waitlist_in_order(db: TestDatabase) {
        const CAPACITY: usize = 20;
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let id = community(&app, &owner, "public").await;
        let (_, event) = create_event(&app, &owner, id, online_event(Some(CAPACITY as u32))).await;
        let event_id = event["id"].as_i64().unwrap();
        let people = crowd(&app, id, 120, "member").await;
        let rsvp_path = format!("/api/v1/events/{event_id}/rsvp");

        // Round 1: 100 people register at once, each twice (200 requests).
        let mut tasks = Vec::new();
        for round in 0..2 {
            for who in &people[..100] {
                let (base, token, path) = (app.base.clone(), who.token.clone(), rsvp_path.clone());
                tasks.push(tokio::spawn(async move {
                    let response = send(reqwest::Client::new().post(format!("{base}{path}")).bearer_auth(token)).await;
                    let status = response.status();
                    (round, status, response.json::<Value>().await.unwrap())
                }));
            }
        }
        let mut outcomes: HashMap<&str, usize> = HashMap::new();
        let mut conflicts = 0;
        for task in tasks {
            let (_, status, body) = task.await.unwrap();
            match status {
                StatusCode::CREATED => *outcomes.entry(if body["status"] == "confirmed" { "confirmed" } else { "waitlisted" }).or_default() += 1,
                StatusCode::CONFLICT => conflicts += 1,
                other => panic!("unexpected {other}: {body}"),
            }
        }
        assert_eq!(conflicts, 100, "every second request is a duplicate");
        assert_eq!(outcomes.get("confirmed"), Some(&CAPACITY));
        assert_eq!(outcomes.get("waitlisted"), Some(&(100 - CAPACITY)));
        let rows = stored_rsvps(&db, event_id).await;
        assert_eq!(rows.len(), 100);
        check_roster(&rows, CAPACITY);

        // One confirmed person cancels: the first in the waitlist moves up.
        let first_waiting = rows[CAPACITY].0;
        let canceller = people.iter().find(|p| p.id == rows[0].0).unwrap();
        let (status, _) = call(&app, Some(canceller), Method::DELETE, &rsvp_path, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let after = stored_rsvps(&db, event_id).await;
        assert_eq!(after.iter().find(|r| r.0 == first_waiting).unwrap().2, "confirmed", "first waitlisted promoted");
        check_roster(&after, CAPACITY);

        // Round 2, all at once: 30 registered people cancel (confirmed and
        // waitlisted alike), the 20 newcomers register, 30 others re-register
        // (conflicts), and the canceller comes back.
        let cancelling: Vec<Person> =
            after.iter().step_by(3).take(30).map(|r| people.iter().find(|p| p.id == r.0).unwrap().clone()).collect();
        let cancelling_ids: HashSet<i64> = cancelling.iter().map(|p| p.id).collect();
        let duplicates: Vec<Person> = after
            .iter()
            .filter(|r| !cancelling_ids.contains(&r.0))
            .take(30)
            .map(|r| people.iter().find(|p| p.id == r.0).unwrap().clone())
            .collect();
        let mut tasks = Vec::new();
        let requests: Vec<(Method, Person)> = cancelling
            .iter()
            .map(|p| (Method::DELETE, p.clone()))
            .chain(people[100..].iter().map(|p| (Method::POST, p.clone())))
            .chain(duplicates.iter().map(|p| (Method::POST, p.clone())))
            .chain(std::iter::once((Method::POST, canceller.clone())))
            .collect();
        for (method, who) in requests {
            let (url, token) = (app.url(&rsvp_path), who.token.clone());
            tasks.push(tokio::spawn(async move {
                let response = send(reqwest::Client::new().request(method.clone(), url).bearer_auth(token)).await;
                (method, response.status())
            }));
        }
        for task in tasks {
            let (method, status) = task.await.unwrap();
            let expected = if method == Method::DELETE { [StatusCode::NO_CONTENT] } else { [StatusCode::CREATED] };
            assert!(expected.contains(&status) || (method == Method::POST && status == StatusCode::CONFLICT), "{method} {status}");
        }
        let last = stored_rsvps(&db, event_id).await;
        assert_eq!(last.len(), 100 - 1 - 30 + 20 + 1, "registered people");
        check_roster(&last, CAPACITY);
        let (_, seen) = call(&app, None, Method::GET, &format!("/api/v1/events/{event_id}"), None).await;
        assert_eq!(seen["confirmed_count"].as_u64(), Some(CAPACITY as u64));
        assert_eq!(seen["waitlist_count"].as_u64(), Some((last.len() - CAPACITY) as u64));

        // Raising the capacity promotes from the waitlist in order.
        let waiting: Vec<i64> = last.iter().filter(|r| r.2 == "waitlisted").map(|r| r.0).collect();
        let browser = app.browser();
        browser.log_in("aoi@example.jp", PASSWORD).await;
        let response = browser.post(&format!("/events/{event_id}/capacity"), &[("capacity", "25")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let raised = stored_rsvps(&db, event_id).await;
        check_roster(&raised, 25);
        for promoted in &waiting[..5] {
            assert_eq!(raised.iter().find(|r| r.0 == *promoted).unwrap().2, "confirmed");
        }
        let response = browser.post(&format!("/events/{event_id}/capacity"), &[("capacity", "3")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "no confirmed place is taken away");
    }

    async fn event_pages_work_without_javascript(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = app.browser();
        owner.sign_up("aoi@example.jp", "佐藤 葵").await;
        let created = owner
            .post("/communities", &[("kind", "professional"), ("name", "介護のみらい対話カフェ"), ("visibility", "public"), ("membership", "open")])
            .await;
        let community_path = location(&created);
        let id: i64 = community_path.rsplit('/').next().unwrap().parse().unwrap();

        let (status, form) = owner.page(&format!("/communities/{id}/events/new")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("name=\"starts_at\"") && form.contains("datetime-local"), "{form}");
        let bad = owner.post(&format!("/communities/{id}/events"), &[("title", ""), ("starts_at", "x"), ("ends_at", "")]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let bad = bad.text().await.unwrap();
        assert!(bad.contains("error-summary") && bad.contains("field-title"), "{bad}");
        let starts = local_day(5, 19);
        let ends = local_day(5, 21);
        let response = owner
            .post(
                &format!("/communities/{id}/events"),
                &[
                    ("title", "東京支部 新年会"),
                    ("description", "**新潟の地酒**を楽しみましょう。"),
                    ("starts_at", &starts),
                    ("ends_at", &ends),
                    ("venue", "にいがた会館 3階ホール"),
                    ("prefecture", "13"),
                    ("capacity", "1"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let event_path = location(&response);
        assert!(event_path.starts_with("/events/"), "{event_path}");
        let event_id: i64 = event_path.rsplit('/').next().unwrap().parse().unwrap();

        let (status, page) = owner.page(&event_path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("東京支部 新年会") && page.contains("<strong>新潟の地酒</strong>"));
        assert!(page.contains("19:00") && page.contains("JST"), "times in the reader's zone");
        assert!(page.contains("にいがた会館 3階ホール") && page.contains("東京都"));
        assert!(page.contains(&format!("/events/{event_id}/capacity")), "organiser tools");
        assert!(page.contains(&format!("/events/{event_id}/event.ics")));

        // Community page and discovery card show it.
        let (_, community_page) = owner.page(&community_path).await;
        assert!(community_page.contains(&event_path), "upcoming events on the community page");
        let (_, discovery) = owner.page("/communities").await;
        assert!(discovery.contains("次のイベント"), "next event on the card: {discovery}");

        // A member registers through the form; the next goes on the waitlist.
        let ren = app.browser_in("en");
        ren.sign_up("ren@example.jp", "Ren Tanaka").await;
        ren.post(&format!("/communities/{id}/join"), &[]).await;
        let response = ren.post(&format!("/events/{event_id}/rsvp"), &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, page) = ren.page(&event_path).await;
        assert!(page.contains("You have a place"), "{page}");
        assert!(page.contains("Cancel"));
        let response = owner.post(&format!("/events/{event_id}/rsvp"), &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, page) = owner.page(&event_path).await;
        assert!(page.contains("キャンセル待ち"), "{page}");

        // Attendance: confirmed people only.
        let ren_id: i64 = db.column_as_text("SELECT CAST(id AS TEXT) FROM users WHERE email = 'ren@example.jp'").await[0].parse().unwrap();
        let response = owner.post(&format!("/events/{event_id}/attendance"), &[("user_id", &ren_id.to_string()), ("attended", "1")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(db.column_as_text(&format!("SELECT CASE WHEN attended THEN 'yes' ELSE 'no' END FROM rsvps WHERE user_id = {ren_id}")).await, ["yes"]);

        // Cancelling through the form promotes the owner.
        let response = ren.post(&format!("/events/{event_id}/cancel"), &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, page) = owner.page(&event_path).await;
        assert!(page.contains("参加が確定しています"), "{page}");

        // Edit.
        let (status, edit) = owner.page(&format!("/events/{event_id}/edit")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(edit.contains(&starts), "local time in the form: {edit}");
        let response = owner
            .post(
                &format!("/events/{event_id}/edit"),
                &[("title", "東京支部 新年会 2027"), ("starts_at", &starts), ("ends_at", &ends), ("venue", "にいがた会館"), ("capacity", "10")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, page) = owner.page(&event_path).await;
        assert!(page.contains("東京支部 新年会 2027"));
        let (status, _) = ren.page(&format!("/events/{event_id}/edit")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // My events and the personal calendar feed.
        let (status, mine) = owner.page("/events").await;
        assert_eq!(status, StatusCode::OK);
        assert!(mine.contains(&event_path));
        let response = owner.post("/events/feed", &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        let shown = response.text().await.unwrap();
        let start = shown.find("/calendar/").expect("feed URL shown once");
        let feed_path: String = shown[start..].chars().take_while(|c| *c != '"' && *c != '<').collect();
        let feed = app.api().get(app.url(&feed_path)).send().await.unwrap();
        assert_eq!(feed.status(), StatusCode::OK);
        let feed = feed.text().await.unwrap();
        check_ics_shape(&feed);
        assert!(feed.contains(&format!("UID:event-{event_id}@")));
        validate_ics(&feed);
        // Resetting makes the old address stop working.
        owner.post("/events/feed", &[]).await;
        let gone = app.api().get(app.url(&feed_path)).send().await.unwrap();
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
        let (status, ics) = owner.page(&format!("/events/{event_id}/event.ics")).await;
        assert_eq!(status, StatusCode::OK);
        validate_ics(&ics);
    }
}
