//! Ballots over the API and the pages, on SQLite and PostgreSQL: creating,
//! voting and changing votes, who sees which result, secret ballots whose
//! stored rows and logs cannot link a choice to a voter, reminders,
//! outcomes, the demo co-op, and the proof that 1,000 concurrent votes and
//! changes from 100 members count exactly one vote each.

use crate::api_support;
use crate::common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use api_support::{
    Person, call, call_in, create_community, crowd, field_message, join, person, send,
};
use common::{TestApp, location};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::tools::CommunityTool;

async fn coop(app: &TestApp, owner: &Person, visibility: &str) -> i64 {
    let body = json!({"kind": "worker_coop", "name": "ワーカーズコープ あおぞら", "visibility": visibility});
    create_community(app, owner, body).await
}

/// 佐藤 葵, signed up in a browser (for the pages) and holding a token (for
/// the API), owning a new public co-op.
async fn organiser_of_a_coop(app: &TestApp) -> (common::Browser, Person, i64) {
    let organiser = app.browser();
    organiser.sign_up("aoi@example.jp", "佐藤 葵").await;
    let owner = Person {
        token: common::api_token(app, "aoi@example.jp").await,
        id: 0,
    };
    let id = coop(app, &owner, "public").await;
    (organiser, owner, id)
}

/// A local date-time `days` from now, Tokyo time.
fn local_day(days: i64, hour: u32) -> String {
    let date = (chrono::Utc::now() + chrono::Duration::days(days))
        .with_timezone(&chrono_tz::Asia::Tokyo)
        .date_naive();
    format!("{}T{hour:02}:00", date.format("%Y-%m-%d"))
}

async fn create_ballot(
    app: &TestApp,
    who: &Person,
    community: i64,
    body: Value,
) -> (StatusCode, Value) {
    call(
        app,
        Some(who),
        Method::POST,
        &format!("/api/v1/communities/{community}/ballots"),
        Some(body),
    )
    .await
}

fn option_id(ballot: &Value, index: usize) -> i64 {
    ballot["options"][index]["id"].as_i64().unwrap()
}

async fn vote(app: &TestApp, who: &Person, ballot: i64, option: i64) -> (StatusCode, Value) {
    call(
        app,
        Some(who),
        Method::PUT,
        &format!("/api/v1/ballots/{ballot}/vote"),
        Some(json!({"option_id": option})),
    )
    .await
}

/// Watches every tracing span and event the server emits in this test
/// binary (all tests', not only this file's) and keeps those that name a
/// person together with a choice. Only offenders are kept so that memory
/// stays flat however many tests run beside it.
#[derive(Default)]
struct Recorder {
    offenders: Mutex<Vec<Vec<(String, String)>>>,
    seen: std::sync::atomic::AtomicU64,
    next: std::sync::atomic::AtomicU64,
}

impl Recorder {
    fn keep_if_offending(&self, fields: Vec<(String, String)>) {
        self.seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let personal = fields
            .iter()
            .any(|(name, _)| name == "user_id" || name == "voter");
        let choice = fields.iter().any(|(name, _)| name.contains("option"));
        if personal && choice {
            self.offenders.lock().unwrap().push(fields);
        }
    }
}

struct FieldList<'a>(&'a mut Vec<(String, String)>);

impl tracing::field::Visit for FieldList<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = vec![("span".to_owned(), span.metadata().name().to_owned())];
        span.record(&mut FieldList(&mut fields));
        self.keep_if_offending(fields);
        tracing::span::Id::from_u64(
            self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
        )
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = vec![("span-record".to_owned(), String::new())];
        values.record(&mut FieldList(&mut fields));
        self.keep_if_offending(fields);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = vec![("event".to_owned(), event.metadata().target().to_owned())];
        event.record(&mut FieldList(&mut fields));
        self.keep_if_offending(fields);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

fn recorder() -> &'static Arc<Recorder> {
    static RECORDER: OnceLock<Arc<Recorder>> = OnceLock::new();
    RECORDER.get_or_init(|| {
        let recorder = Arc::new(Recorder::default());
        let dispatch = tracing::Dispatch::from(recorder.clone());
        let _ = tracing::dispatcher::set_global_default(dispatch);
        recorder
    })
}

tsunagari_store::backend_tests! {
    async fn organisers_put_proposals_to_the_vote_and_members_vote_once(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let member = person(&app, "ren@example.jp", "田中 蓮").await;
        let outsider = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let id = coop(&app, &owner, "public").await;
        join(&app, &member, id).await;

        // Invalid input: every field named, in the caller's language.
        let bad = json!({"title": "", "options": ["A"], "closes_at": "someday", "quorum": 120, "threshold": "most"});
        let (status, body) = create_ballot(&app, &owner, id, bad.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        for field in ["title", "options", "closes_at", "quorum", "threshold"] {
            assert!(body["error"]["fields"][field].is_array(), "{field}: {body}");
        }
        assert!(body["error"]["fields"]["options"][0].as_str().unwrap().contains("選択肢"), "{body}");
        let (_, english) = call_in(&app, Some(&owner), "en", Method::POST, &format!("/api/v1/communities/{id}/ballots"), Some(bad)).await;
        assert!(english["error"]["fields"]["options"][0].as_str().unwrap().contains("choices"), "{english}");

        // Only organisers create; the tool must be on.
        let motion = json!({"title": "配食サービスを始める", "body": "**来年度**から", "closes_at": local_day(7, 18), "quorum": 50, "threshold": "two_thirds"});
        let (status, body) = create_ballot(&app, &member, id, motion.clone()).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_organiser")));
        let (status, ballot) = create_ballot(&app, &owner, id, motion.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{ballot}");
        let ballot_id = ballot["id"].as_i64().unwrap();
        assert_eq!(ballot["kind"], "yes_no");
        let roles: Vec<&str> = ballot["options"].as_array().unwrap().iter().map(|o| o["role"].as_str().unwrap()).collect();
        assert_eq!(roles, vec!["yes", "no", "abstain"]);
        assert_eq!((ballot["phase"].as_str(), ballot["electorate"].as_u64()), (Some("open"), Some(2)));
        assert_eq!(ballot["threshold"], "two_thirds");
        let closes = chrono::DateTime::parse_from_rfc3339(ballot["closes_at"].as_str().unwrap()).unwrap();
        assert_eq!(closes.with_timezone(&chrono_tz::Asia::Tokyo).format("%H:%M").to_string(), "18:00");
        let [yes, no] = [option_id(&ballot, 0), option_id(&ballot, 1)];

        // One member, one vote: cast, change, repeat.
        let (status, body) = vote(&app, &member, ballot_id, yes).await;
        assert_eq!((status, body["effect"].as_str()), (StatusCode::OK, Some("cast")), "{body}");
        let (_, body) = vote(&app, &member, ballot_id, no).await;
        assert_eq!(body["effect"], "changed");
        let (_, body) = vote(&app, &member, ballot_id, no).await;
        assert_eq!(body["effect"], "unchanged");
        let (_, seen) = call(&app, Some(&member), Method::GET, &format!("/api/v1/ballots/{ballot_id}"), None).await;
        assert_eq!(seen["my_vote"], json!({"eligible": true, "voted": true, "option_id": no}));
        assert_eq!(seen["voted"], 1);
        let (status, body) = vote(&app, &member, ballot_id, 999_999).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["option_id"].is_array());
        let (status, body) = vote(&app, &outsider, ballot_id, yes).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_member")));
        // Joining after the opening does not give a vote in it.
        join(&app, &outsider, id).await;
        let (status, body) = vote(&app, &outsider, ballot_id, yes).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_elector")));

        // Results: organisers follow a running count of a named ballot;
        // members wait for the close.
        let result_path = format!("/api/v1/ballots/{ballot_id}/result");
        let (status, body) = call(&app, Some(&member), Method::GET, &result_path, None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("results_hidden")));
        let (status, running) = call(&app, Some(&owner), Method::GET, &result_path, None).await;
        assert_eq!(status, StatusCode::OK, "{running}");
        assert_eq!((running["final"].as_bool(), running["counted_votes"].as_u64()), (Some(false), Some(1)));
        assert_eq!(running["options"][1]["votes"], 1);

        // A ballot with hidden results shows organisers nothing either.
        let (_, hidden) = create_ballot(&app, &owner, id, json!({"title": "隠す", "closes_at": local_day(7, 18), "results_hidden": true})).await;
        let (status, _) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/ballots/{}/result", hidden["id"]), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // A ballot opening later refuses votes until then.
        let (_, later) = create_ballot(&app, &owner, id, json!({"title": "来週から", "opens_at": local_day(2, 9), "closes_at": local_day(9, 18)})).await;
        assert_eq!(later["phase"], "upcoming");
        assert!(later["electorate"].is_null());
        let (status, body) = vote(&app, &member, later["id"].as_i64().unwrap(), option_id(&later, 0)).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("ballot_not_open")));

        // Closing: a ballot that closes in two seconds.
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
        let (_, short) = create_ballot(&app, &owner, id, json!({"title": "すぐ締め切り", "closes_at": soon})).await;
        let short_id = short["id"].as_i64().unwrap();
        vote(&app, &owner, short_id, option_id(&short, 0)).await;
        vote(&app, &member, short_id, option_id(&short, 0)).await;
        tokio::time::sleep(std::time::Duration::from_millis(2300)).await;
        let (status, body) = vote(&app, &member, short_id, option_id(&short, 1)).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("ballot_closed")), "{body}");
        let (status, result) = call(&app, Some(&member), Method::GET, &format!("/api/v1/ballots/{short_id}/result"), None).await;
        assert_eq!(status, StatusCode::OK, "{result}");
        assert_eq!(result["final"], true);
        // Three members when it opened (the late joiner included), two voted.
        assert_eq!((result["counted_votes"].as_u64(), result["electorate"].as_u64()), (Some(2), Some(3)));
        assert_eq!((result["passed"].as_bool(), result["quorum_met"].as_bool()), (Some(true), Some(true)));
        assert_eq!(result["winner_option_id"], option_id(&short, 0));
        assert_eq!(result["turnout"], 0.6667);

        // The list: open, then upcoming, then closed.
        let (_, list) = call(&app, None, Method::GET, &format!("/api/v1/communities/{id}/ballots"), None).await;
        let phases: Vec<&str> = list["ballots"].as_array().unwrap().iter().map(|b| b["phase"].as_str().unwrap()).collect();
        assert_eq!(phases, vec!["open", "open", "upcoming", "closed"]);

        // Organisers switch the tool off: it is gone.
        app.store.set_tool_choice(CommunityId(id), CommunityTool::Ballots, false, tsunagari_domain::time::now()).await.unwrap();
        for path in [format!("/api/v1/ballots/{ballot_id}"), format!("/api/v1/communities/{id}/ballots"), result_path.clone()] {
            let (status, body) = call(&app, Some(&owner), Method::GET, &path, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        }
        let (status, _) = vote(&app, &member, ballot_id, yes).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = create_ballot(&app, &owner, id, motion).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.browser().page(&format!("/ballots/{ballot_id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        app.stop().await;
    }

    async fn members_only_communities_keep_ballots_to_members(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let outsider = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let id = coop(&app, &owner, "members").await;
        let (_, ballot) = create_ballot(&app, &owner, id, json!({"title": "内部の議案", "closes_at": local_day(3, 18)})).await;
        let path = format!("/api/v1/ballots/{}", ballot["id"]);
        let (status, body) = call(&app, Some(&outsider), Method::GET, &path, None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("members_only")));
        let (status, _) = call(&app, None, Method::GET, &format!("/api/v1/communities/{id}/ballots"), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = app.browser().page(&format!("/ballots/{}", ballot["id"])).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        app.stop().await;
    }

    async fn the_pages_create_show_and_count_votes_in_both_languages(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (organiser, _, id) = organiser_of_a_coop(&app).await;
        let voter = app.browser_in("en");
        voter.sign_up("emma@example.com", "Emma Clark").await;
        voter.post(&format!("/communities/{id}/join"), &[]).await;

        // The list and the form.
        let (status, html) = organiser.page(&format!("/communities/{id}/ballots")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("受付中の投票はありません") && html.contains(&format!("/communities/{id}/ballots/new")), "{html}");
        let (status, html) = organiser.page(&format!("/communities/{id}/ballots/new")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("name=\"closes_at\"") && html.contains("Asia/Tokyo"));
        let (status, _) = voter.page(&format!("/communities/{id}/ballots/new")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // A mistake: 422, the messages in Japanese, what was typed kept.
        let path = format!("/communities/{id}/ballots");
        let response = organiser.post(&path, &[
            ("title", "夏の交流会の会場"), ("kind", "choices"), ("choices", "あおぞら食堂"),
            ("closes_at", ""), ("quorum", "30"), ("threshold", "simple_majority"), ("time_zone", "Asia/Tokyo"),
        ]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("異なる選択肢を1行に1つ") && html.contains("締め切り日時を"), "{html}");
        assert!(html.contains("value=\"夏の交流会の会場\"") && html.contains(">あおぞら食堂</textarea>"), "typed values kept");
        let response = organiser.post(&path, &[
            ("title", "夏の交流会の会場"), ("body", "7月の交流会を**どこで**開くか"), ("kind", "choices"),
            ("choices", "あおぞら食堂\n地区センター\n"), ("abstain_option", "1"), ("closes_at", &local_day(5, 18)),
            ("quorum", "30"), ("threshold", "percent"), ("threshold_percent", "60"), ("time_zone", "Asia/Tokyo"),
        ]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let ballot_path = location(&response);
        let ballot_id: i64 = ballot_path.trim_start_matches("/ballots/").parse().unwrap();
        let (_, html) = organiser.page(&ballot_path).await;
        assert!(html.contains("投票を作成しました") && html.contains("<strong>どこで</strong>"), "{html}");
        assert!(html.contains("id=\"proposal-title\""), "a proposal with a text has its section");
        assert!(html.contains("60%以上") && html.contains("メンバーの30%以上"), "{html}");
        assert!(html.contains("role=\"img\"") && html.contains("途中経過"), "organisers see a running count: {html}");

        // The member votes with a radio button, in English.
        let (_, html) = voter.page(&ballot_path).await;
        assert!(html.contains("type=\"radio\" name=\"option_id\"") && html.contains("Abstain"), "{html}");
        assert!(html.contains("The result is shown to members when the ballot closes."), "{html}");
        assert!(!html.contains("role=\"img\""), "no counts for members while open");
        let (_, ballot) = call(&app, None, Method::GET, &format!("/api/v1/ballots/{ballot_id}"), None).await;
        let second = option_id(&ballot, 1).to_string();
        let response = voter.post(&format!("{ballot_path}/vote"), &[("option_id", &second)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = voter.page(&ballot_path).await;
        assert!(html.contains("Your vote is recorded.") && html.contains("Your current vote: 地区センター"), "{html}");
        assert!(html.contains(&format!("value=\"{second}\" checked")), "the current choice is selected");
        // Nothing chosen: 422 on the page, in English.
        let response = voter.post(&format!("{ballot_path}/vote"), &[]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("Choose one of the options."));
        let (_, html) = voter.page(&format!("/communities/{id}/ballots")).await;
        assert!(html.contains("夏の交流会の会場") && html.contains("1 of 2 members voted"), "{html}");

        // A visitor sees the proposal and a way to log in.
        let (status, html) = app.browser().page(&ballot_path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("ログインして投票する"));
        // The reminder: sent once, then too soon.
        let response = organiser.post(&format!("{ballot_path}/remind"), &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let response = organiser.post(&format!("{ballot_path}/remind"), &[]).await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert!(response.text().await.unwrap().contains("6時間以内"));
        let response = voter.post(&format!("{ballot_path}/remind"), &[]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        // The outcome waits for the close.
        let response = organiser.post(&format!("{ballot_path}/outcome"), &[("outcome", "決定")]).await;
        assert_eq!(response.status(), StatusCode::CONFLICT);
        // The organiser switches to English: the same mistake, in English.
        organiser.post("/language", &[("locale", "en"), ("return_to", "/")]).await;
        let response = organiser.post(&path, &[("title", "Summer meet-up"), ("kind", "choices"), ("choices", "A\nA"), ("closes_at", &local_day(5, 18))]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("Enter 2 to 10 different choices") && html.contains("value=\"Summer meet-up\""), "{html}");
        app.stop().await;
    }

    async fn secret_ballots_keep_choices_apart_from_voters(db: TestDatabase) {
        let recorder = recorder();
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let id = coop(&app, &owner, "public").await;
        let members = crowd(&app, id, 6, "voter").await;
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(3)).to_rfc3339();
        let (status, ballot) = create_ballot(&app, &owner, id, json!({
            "title": "理事の選任", "options": ["山田さん", "鈴木さん"], "abstain_option": true,
            "closes_at": soon, "secret": true, "quorum": 50,
        })).await;
        assert_eq!(status, StatusCode::CREATED, "{ballot}");
        assert_eq!(ballot["secret"], true);
        let ballot_id = ballot["id"].as_i64().unwrap();
        let [yamada, suzuki, abstain] = [0, 1, 2].map(|i| option_id(&ballot, i));
        let plan = [(0, yamada), (1, suzuki), (2, yamada), (3, abstain), (0, suzuki), (4, yamada)];
        for (who, option) in plan {
            let (status, body) = vote(&app, &members[who], ballot_id, option).await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        // The voter alone sees their own choice while the ballot is open.
        let (_, mine) = call(&app, Some(&members[0]), Method::GET, &format!("/api/v1/ballots/{ballot_id}"), None).await;
        assert_eq!(mine["my_vote"]["option_id"], suzuki);
        // Nobody sees counts while a secret ballot is open, organisers included.
        let (status, _) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/ballots/{ballot_id}/result"), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // The stored rows: who voted, and anonymous choices, never joined.
        let voted_sql = format!(
            "SELECT CAST(user_id AS TEXT) FROM ballot_electors WHERE ballot_id = {ballot_id} AND voted = TRUE ORDER BY user_id"
        );
        assert!(db.column_as_text(&voted_sql).await.is_empty(), "a secret vote writes nothing next to the voter's name");
        let (_, seen) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/ballots/{ballot_id}"), None).await;
        assert_eq!(seen["voted"], 5, "turnout is known while it is open");
        let named = db.column_as_text(&format!("SELECT CAST(option_id AS TEXT) FROM ballot_votes WHERE ballot_id = {ballot_id}")).await;
        assert!(named.is_empty(), "no named votes");
        let choices = db.column_as_text(&format!(
            "SELECT choice_key || ' ' || CAST(option_id AS TEXT) FROM ballot_secret_choices WHERE ballot_id = {ballot_id} AND option_id IS NOT NULL"
        )).await;
        assert_eq!(choices.len(), 5, "one counted choice per voter");
        for row in &choices {
            let key = row.split(' ').next().unwrap();
            assert!(key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()), "{row}");
        }
        // No log record names a person together with a choice.
        // It was listening: the server's request spans passed through it.
        assert!(recorder.seen.load(std::sync::atomic::Ordering::Relaxed) > 0);
        let offenders = recorder.offenders.lock().unwrap().clone();
        assert!(offenders.is_empty(), "log records join a person and a choice: {offenders:?}");
        // The voter's export says they voted, not how.
        let (_, export) = call(&app, Some(&members[0]), Method::GET, "/api/v1/me/export", None).await;
        let text = export.to_string();
        assert!(text.contains("理事の選任"), "{text}");
        assert!(!text.contains(&format!("\"option_id\":{suzuki}")) && !text.contains("鈴木さん"), "{text}");

        // After the close: the totals, and re-keyed slots.
        tokio::time::sleep(std::time::Duration::from_millis(3200)).await;
        let (status, result) = call(&app, None, Method::GET, &format!("/api/v1/ballots/{ballot_id}/result"), None).await;
        assert_eq!(status, StatusCode::OK, "{result}");
        let votes: Vec<u64> = result["options"].as_array().unwrap().iter().map(|o| o["votes"].as_u64().unwrap()).collect();
        assert_eq!(votes, vec![2, 2, 1]);
        assert_eq!(result["counted_votes"], 5);
        assert_eq!((result["passed"].as_bool(), result["winner_option_id"].as_i64()), (Some(false), None), "a tie passes nothing");
        let (_, mine) = call(&app, Some(&members[0]), Method::GET, &format!("/api/v1/ballots/{ballot_id}"), None).await;
        assert_eq!(mine["my_vote"], json!({"eligible": true, "voted": true, "option_id": null}), "after the close not even the voter's choice can be found");
        // Who voted is now recorded, and the slots no longer say whose they are.
        let mut expected: Vec<String> = [0, 1, 2, 3, 4].iter().map(|i| members[*i].id.to_string()).collect();
        expected.sort();
        let mut recorded = db.column_as_text(&voted_sql).await;
        recorded.sort();
        assert_eq!(recorded, expected, "participation is recorded at the close");
        let after = db.column_as_text(&format!("SELECT choice_key FROM ballot_secret_choices WHERE ballot_id = {ballot_id}")).await;
        for row in &choices {
            assert!(!after.contains(&row.split(' ').next().unwrap().to_owned()), "every key replaced");
        }
        let (_, html) = app.browser().page(&format!("/ballots/{ballot_id}")).await;
        assert!(html.contains("可決されませんでした") && html.contains("山田さん：2票（40%）"), "{html}");
        app.stop().await;
    }

    async fn thousand_concurrent_votes_count_one_per_member(db: TestDatabase) {
        const MEMBERS: usize = 100;
        const PER_MEMBER: usize = 10;
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let id = coop(&app, &owner, "public").await;
        let members = crowd(&app, id, MEMBERS, "voter").await;
        for secret in [false, true] {
            let (status, ballot) = create_ballot(&app, &owner, id, json!({
                "title": if secret { "無記名の決議" } else { "記名の決議" },
                "options": ["A", "B", "C", "D"], "closes_at": local_day(3, 18), "secret": secret,
            })).await;
            assert_eq!(status, StatusCode::CREATED, "{ballot}");
            let ballot_id = ballot["id"].as_i64().unwrap();
            let options: Vec<i64> = (0..4).map(|i| option_id(&ballot, i)).collect();
            let url = app.url(&format!("/api/v1/ballots/{ballot_id}/vote"));
            let started = std::time::Instant::now();
            // 1,000 requests at once: every member votes ten times, changing
            // their mind between the four options.
            let mut tasks = Vec::new();
            for round in 0..PER_MEMBER {
                for (n, member) in members.iter().enumerate() {
                    let option = options[(n * 7 + round * 3) % options.len()];
                    let (url, token, member_id) = (url.clone(), member.token.clone(), member.id);
                    tasks.push(tokio::spawn(async move {
                        let response = send(reqwest::Client::new().put(url).bearer_auth(token).json(&json!({"option_id": option}))).await;
                        let status = response.status();
                        let body: Value = response.json().await.unwrap();
                        (member_id, option, status, body)
                    }));
                }
            }
            assert_eq!(tasks.len(), MEMBERS * PER_MEMBER);
            // Per member: the option of their acknowledged vote with the
            // highest sequence, i.e. the one applied last.
            let mut last: HashMap<i64, (i64, i64)> = HashMap::new();
            let mut sequences: HashMap<i64, Vec<i64>> = HashMap::new();
            let mut first_votes = 0;
            for task in tasks {
                let (member, option, status, body) = task.await.unwrap();
                assert_eq!(status, StatusCode::OK, "{body}");
                let sequence = body["sequence"].as_i64().unwrap();
                sequences.entry(member).or_default().push(sequence);
                if body["effect"] == "cast" {
                    first_votes += 1;
                }
                let entry = last.entry(member).or_insert((sequence, option));
                if sequence >= entry.0 {
                    *entry = (sequence, option);
                }
            }
            eprintln!("{} votes on a {} ballot took {:?}", MEMBERS * PER_MEMBER, if secret { "secret" } else { "named" }, started.elapsed());
            assert_eq!(sequences.len(), MEMBERS);
            for (member, mut numbers) in sequences {
                numbers.sort_unstable();
                assert_eq!(numbers, (1..=PER_MEMBER as i64).collect::<Vec<_>>(), "member {member}: each vote applied alone, in order");
            }
            assert_eq!(first_votes, MEMBERS, "exactly one first vote per member");

            // Exactly one counted vote per member, totals equal to the
            // counted votes, and each member's counted choice is their last.
            let (status, result) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/ballots/{ballot_id}"), None).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(result["voted"].as_u64(), Some(MEMBERS as u64));
            let counts: Vec<String> = if secret {
                db.column_as_text(&format!(
                    "SELECT CAST(option_id AS TEXT) FROM ballot_secret_choices WHERE ballot_id = {ballot_id} AND option_id IS NOT NULL"
                )).await
            } else {
                db.column_as_text(&format!("SELECT CAST(option_id AS TEXT) FROM ballot_votes WHERE ballot_id = {ballot_id}")).await
            };
            assert_eq!(counts.len(), MEMBERS, "one counted vote per member");
            let mut expected: HashMap<String, usize> = HashMap::new();
            for (_, option) in last.values() {
                *expected.entry(option.to_string()).or_default() += 1;
            }
            let mut stored: HashMap<String, usize> = HashMap::new();
            for option in counts {
                *stored.entry(option).or_default() += 1;
            }
            assert_eq!(stored, expected, "totals follow each member's last vote");
            if secret {
                // Each voter's own choice, as only they can see it.
                for member in members.iter().take(20) {
                    let (_, mine) = call(&app, Some(member), Method::GET, &format!("/api/v1/ballots/{ballot_id}"), None).await;
                    assert_eq!(mine["my_vote"]["option_id"].as_i64(), Some(last[&member.id].1), "member {}", member.id);
                }
            } else {
                let rows = db.column_as_text(&format!(
                    "SELECT CAST(e.user_id AS TEXT) || ':' || CAST(v.option_id AS TEXT) FROM ballot_votes v JOIN ballot_electors e ON e.id = v.elector_id WHERE v.ballot_id = {ballot_id}"
                )).await;
                assert_eq!(rows.len(), MEMBERS);
                for row in rows {
                    let (user, option) = row.split_once(':').unwrap();
                    let user: i64 = user.parse().unwrap();
                    assert_eq!(option.parse::<i64>().unwrap(), last[&user].1, "member {user} counts their last vote");
                }
            }
        }
        app.stop().await;
    }

    async fn organisers_withdraw_a_ballot_before_it_opens(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (organiser, owner, id) = organiser_of_a_coop(&app).await;
        let members = crowd(&app, id, 2, "voter").await;
        let upcoming = json!({"title": "来年度の出資額", "opens_at": local_day(1, 10), "closes_at": local_day(3, 10)});
        let (_, ballot) = create_ballot(&app, &owner, id, upcoming.clone()).await;
        let ballot_id = ballot["id"].as_i64().unwrap();
        let (_, open) = create_ballot(&app, &owner, id, json!({"title": "今日の議題", "closes_at": local_day(3, 10)})).await;
        let withdrawal = |ballot: i64| format!("/api/v1/ballots/{ballot}/withdrawal");

        let (status, body) = call(&app, Some(&members[0]), Method::POST, &withdrawal(ballot_id), Some(json!({"reason": "やめたい"}))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_organiser")));
        let (status, body) = call(&app, Some(&owner), Method::POST, &withdrawal(ballot_id), Some(json!({"reason": "  "}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(field_message(&body, "reason"), "取り下げの理由を1,000文字以内で書いてください。");
        let (_, body) = call_in(&app, Some(&owner), "en", Method::POST, &withdrawal(ballot_id), Some(json!({"reason": "あ".repeat(1001)}))).await;
        assert_eq!(field_message(&body, "reason"), "Write the reason for withdrawing, in up to 1,000 characters.");
        let (status, body) = call(&app, Some(&owner), Method::POST, &withdrawal(open["id"].as_i64().unwrap()), Some(json!({"reason": "遅い"}))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("ballot_already_open")), "{body}");

        let (status, body) = call(&app, Some(&owner), Method::POST, &withdrawal(ballot_id), Some(json!({"reason": "総会の日程が変わったため"}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!((body["phase"].as_str(), body["withdrawal_reason"].as_str()), (Some("withdrawn"), Some("総会の日程が変わったため")));
        assert!(body["withdrawn_at"].is_string() && body["electorate"].is_null(), "{body}");
        let (status, body) = call(&app, Some(&owner), Method::POST, &withdrawal(ballot_id), Some(json!({"reason": "もう一度"}))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("ballot_withdrawn")));
        let (status, body) = vote(&app, &members[0], ballot_id, option_id(&ballot, 0)).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("ballot_withdrawn")));
        let (status, _) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/ballots/{ballot_id}/result"), None).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (_, listed) = call(&app, None, Method::GET, &format!("/api/v1/communities/{id}/ballots"), None).await;
        let phases: Vec<(&str, &str)> = listed["ballots"].as_array().unwrap().iter().map(|b| (b["title"].as_str().unwrap(), b["phase"].as_str().unwrap())).collect();
        assert!(phases.contains(&("来年度の出資額", "withdrawn")) && phases.contains(&("今日の議題", "open")), "{phases:?}");

        // The pages: the record with its reason, no vote, its own section.
        let (_, html) = app.browser_in("en").page(&format!("/ballots/{ballot_id}")).await;
        assert!(html.contains("This ballot was withdrawn") && html.contains("総会の日程が変わったため"), "{html}");
        assert!(!html.contains("id=\"vote\"") && !html.contains("/withdraw\"") && !html.contains("Counted when the ballot opens"), "no vote, no turnout, no second withdrawal: {html}");
        let (_, html) = app.browser().page(&format!("/communities/{id}/ballots")).await;
        assert!(html.contains("取り下げた投票") && html.contains("に取り下げ"), "{html}");

        // On the page: a refusal keeps the form, then the ballot goes.
        let (_, second) = create_ballot(&app, &owner, id, upcoming).await;
        let page = format!("/ballots/{}", second["id"]);
        let (_, html) = organiser.page(&page).await;
        assert!(html.contains("投票を取り下げる") && html.contains(&format!("action=\"{page}/withdraw\"")), "{html}");
        let member = app.browser();
        member.log_in("voter0@example.jp", common::PASSWORD).await;
        let (_, html) = member.page(&page).await;
        assert!(!html.contains("/withdraw\""), "members see no withdrawal form");
        let response = organiser.post(&format!("{page}/withdraw"), &[("reason", "")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("取り下げの理由を1,000文字以内で書いてください。"));
        let response = organiser.post(&format!("{page}/withdraw"), &[("reason", "重複して作成したため")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = organiser.page(&page).await;
        assert!(html.contains("投票を取り下げました。") && html.contains("重複して作成したため"), "{html}");
        app.stop().await;
    }

    async fn outcomes_and_follow_ups_by_api(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (_, owner, id) = organiser_of_a_coop(&app).await;
        let members = crowd(&app, id, 1, "voter").await;
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
        let (_, ballot) = create_ballot(&app, &owner, id, json!({"title": "新しい厨房機器", "closes_at": soon})).await;
        let ballot_id = ballot["id"].as_i64().unwrap();
        let outcome = format!("/api/v1/ballots/{ballot_id}/outcome");
        let follow_ups = format!("/api/v1/ballots/{ballot_id}/follow-ups");
        let (status, body) = call(&app, Some(&owner), Method::PUT, &outcome, Some(json!({"outcome": "早すぎる"}))).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("ballot_still_open")));
        tokio::time::sleep(std::time::Duration::from_millis(2200)).await;

        let (status, _) = call(&app, Some(&members[0]), Method::PUT, &outcome, Some(json!({"outcome": "可決"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = call_in(&app, Some(&owner), "en", Method::PUT, &outcome, Some(json!({"outcome": ""}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_message(&body, "outcome").contains("10,000"), "{body}");
        let (status, body) = call(&app, Some(&owner), Method::PUT, &outcome, Some(json!({"outcome": "**否決**。来年度に再検討。"}))).await;
        assert_eq!((status, body["outcome"].as_str()), (StatusCode::OK, Some("**否決**。来年度に再検討。")), "{body}");
        let (status, body) = call(&app, Some(&owner), Method::POST, &follow_ups, Some(json!({"action": "見積もりを取り直す", "due_on": "2027-02-30"}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["due_on"].is_array(), "{body}");
        let (status, added) = call(&app, Some(&owner), Method::POST, &follow_ups, Some(json!({"action": "見積もりを取り直す", "due_on": "2027-02-28"}))).await;
        assert_eq!(status, StatusCode::CREATED, "{added}");
        assert_eq!((added["due_on"].as_str(), added["done"].as_bool()), (Some("2027-02-28"), Some(false)));
        let done = format!("{follow_ups}/{}", added["id"]);
        let (status, _) = call(&app, Some(&owner), Method::PUT, &done, Some(json!({"done": true}))).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = call(&app, Some(&owner), Method::PUT, &format!("{follow_ups}/999999"), Some(json!({"done": true}))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, shown) = call(&app, None, Method::GET, &format!("/api/v1/ballots/{ballot_id}"), None).await;
        assert_eq!(shown["outcome"].as_str(), Some("**否決**。来年度に再検討。"));
        assert_eq!(shown["follow_ups"], json!([{"id": added["id"], "action": "見積もりを取り直す", "due_on": "2027-02-28", "done": true}]));
        app.stop().await;
    }

    async fn reminders_outcomes_and_follow_ups(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let (organiser, owner, id) = organiser_of_a_coop(&app).await;
        let members = crowd(&app, id, 3, "voter").await;
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(3)).to_rfc3339();
        let (_, ballot) = create_ballot(&app, &owner, id, json!({"title": "新しい厨房機器", "closes_at": soon})).await;
        let ballot_id = ballot["id"].as_i64().unwrap();
        vote(&app, &members[0], ballot_id, option_id(&ballot, 0)).await;
        // The organiser reminds by API: everyone but the voter.
        let (status, body) = call(&app, Some(&owner), Method::POST, &format!("/api/v1/ballots/{ballot_id}/reminders"), None).await;
        assert_eq!((status, body["sent"].as_u64()), (StatusCode::OK, Some(3)), "{body}");
        let (_, notes) = call(&app, Some(&members[1]), Method::GET, "/api/v1/notifications", None).await;
        assert_eq!(notes["notifications"][0]["kind"], "ballot_reminder", "{notes}");
        assert_eq!(notes["notifications"][0]["link"], format!("/ballots/{ballot_id}"));
        let (_, notes) = call(&app, Some(&members[0]), Method::GET, "/api/v1/notifications", None).await;
        assert!(notes["notifications"].as_array().unwrap().is_empty(), "voters are not reminded");
        let (status, body) = call(&app, Some(&owner), Method::POST, &format!("/api/v1/ballots/{ballot_id}/reminders"), None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("reminder_too_soon")));

        // The automatic reminder a day before the close, once across servers.
        let (_, later) = create_ballot(&app, &owner, id, json!({"title": "来月の当番", "closes_at": local_day(1, 23)})).await;
        let later_id = later["id"].as_i64().unwrap();
        let worker = tsunagari_app::Ballots::new(app.store.clone(), tsunagari_domain::ballot::BallotSecret::generate().0);
        let other_server = tsunagari_app::Ballots::new(app.store.clone(), tsunagari_domain::ballot::BallotSecret::generate().0);
        let closes = chrono::DateTime::parse_from_rfc3339(later["closes_at"].as_str().unwrap()).unwrap().with_timezone(&chrono::Utc);
        let far = worker.run_due_work(closes - chrono::Duration::hours(30)).await.unwrap();
        assert_eq!(far.reminded, 0, "too early for the automatic reminder");
        let near = closes - chrono::Duration::hours(20);
        let (a, b) = tokio::join!(worker.run_due_work(near), other_server.run_due_work(near));
        assert_eq!(a.unwrap().reminded + b.unwrap().reminded, 4, "four electors, reminded once");
        let (_, notes) = call(&app, Some(&members[2]), Method::GET, "/api/v1/notifications", None).await;
        let reminders = notes["notifications"].as_array().unwrap().iter().filter(|n| n["link"] == format!("/ballots/{later_id}")).count();
        assert_eq!(reminders, 1);

        // After the close: the outcome and follow-up actions, on the page.
        tokio::time::sleep(std::time::Duration::from_millis(3200)).await;
        let page = format!("/ballots/{ballot_id}");
        let response = organiser.post(&format!("{page}/outcome"), &[("outcome", "")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(response.text().await.unwrap().contains("決定事項を10,000文字以内で"));
        let response = organiser.post(&format!("{page}/outcome"), &[("outcome", "**可決**。来月導入。")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let response = organiser.post(&format!("{page}/follow-ups"), &[("follow_up", "見積もりを取る"), ("due_on", "2027-13-01")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("期限を日付") && html.contains("value=\"見積もりを取る\""), "{html}");
        let response = organiser.post(&format!("{page}/follow-ups"), &[("follow_up", "見積もりを取る"), ("due_on", "2027-01-31")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = organiser.page(&page).await;
        let follow_up: i64 = html.split(&format!("action=\"{page}/follow-ups/")).nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        let response = organiser.post(&format!("{page}/follow-ups/{follow_up}"), &[("done", "1")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = app.browser_in("en").page(&page).await;
        assert!(html.contains("<strong>可決</strong>") && html.contains("見積もりを取る") && html.contains("Due 2027-01-31"), "{html}");
        assert!(html.contains("Passed.") && html.contains(">Done<"), "{html}");
        let (status, _) = call(&app, Some(&members[0]), Method::POST, &format!("/api/v1/ballots/{ballot_id}/reminders"), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "members do not send reminders");
        app.stop().await;
    }

    async fn the_demo_co_op_has_an_open_ballot_and_a_closed_one_with_its_result(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        tsunagari_app::demo::load(&tsunagari_app::Accounts::new(app.store.clone())).await.unwrap();
        let (_, communities) = call(&app, None, Method::GET, "/api/v1/communities?kind=worker_coop", None).await;
        let coop_id = communities["communities"][0]["id"].as_i64().unwrap();
        let (status, list) = call(&app, None, Method::GET, &format!("/api/v1/communities/{coop_id}/ballots"), None).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let ballots = list["ballots"].as_array().unwrap();
        let phases: Vec<&str> = ballots.iter().map(|b| b["phase"].as_str().unwrap()).collect();
        assert_eq!(phases, vec!["open", "closed"], "{list}");
        let closed = &ballots[1];
        assert_eq!(closed["secret"], true);
        assert!(closed["outcome"].as_str().unwrap().contains("可決"));
        let (_, result) = call(&app, None, Method::GET, &format!("/api/v1/ballots/{}/result", closed["id"]), None).await;
        assert_eq!((result["passed"].as_bool(), result["quorum_met"].as_bool()), (Some(true), Some(true)), "{result}");
        assert_eq!(result["counted_votes"], 5);
        let (status, html) = app.browser().page(&format!("/ballots/{}", closed["id"])).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("可決されました") && html.contains("保健所に営業許可を申請する"), "{html}");
        let (status, html) = app.browser_in("en").page(&format!("/communities/{coop_id}/ballots")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("夏の交流会の会場") && html.contains("Open for voting"), "{html}");
        let (_, doc) = call(&app, None, Method::GET, "/api/openapi.json", None).await;
        for path in ["/api/v1/communities/{id}/ballots", "/api/v1/ballots/{id}", "/api/v1/ballots/{id}/vote", "/api/v1/ballots/{id}/result"] {
            assert!(doc["paths"][path].is_object(), "{path} in the OpenAPI document");
        }
        app.stop().await;
    }
}
