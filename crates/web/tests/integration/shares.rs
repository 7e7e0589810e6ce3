//! The co-op share register over the API and the pages, on SQLite and
//! PostgreSQL: who sees what, 422s in both languages, the CSV for the
//! books, and the proof that concurrent refunds and payments never take a
//! member below zero and that the derived totals equal the stored rows.

use crate::api_support;
use crate::common;

use std::collections::HashMap;

use api_support::{
    Person, call, call_in, create_community, crowd, field_message, join, person, send,
};
use common::{PASSWORD, TestApp, location};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::tools::CommunityTool;

async fn community(app: &TestApp, owner: &Person, kind: &str) -> i64 {
    let body = json!({"kind": kind, "name": "ワーカーズコープ あおぞら", "visibility": "public", "membership": "open"});
    create_community(app, owner, body).await
}

async fn entry(app: &TestApp, who: &Person, id: i64, body: Value) -> (StatusCode, Value) {
    call(
        app,
        Some(who),
        Method::POST,
        &format!("/api/v1/communities/{id}/shares/entries"),
        Some(body),
    )
    .await
}

/// Every stored row of a co-op's ledger: (holder, units, subscribed, paid).
async fn stored_rows(
    db: &tsunagari_store::testing::TestDatabase,
    community: i64,
) -> Vec<(i64, i64, i64, i64)> {
    db.column_as_text(&format!(
        "SELECT CAST(holder_id AS TEXT) || ':' || CAST(units AS TEXT) || ':' || CAST(subscribed AS TEXT) || ':' || CAST(paid AS TEXT)
         FROM share_entries WHERE community_id = {community} ORDER BY id"
    ))
    .await
    .iter()
    .map(|row| {
        let n: Vec<i64> = row.split(':').map(|p| p.parse().unwrap()).collect();
        (n[0], n[1], n[2], n[3])
    })
    .collect()
}

/// A strict RFC 4180 reader: CRLF records, quoted fields with doubled
/// quotes. Panics on anything else.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text
        .strip_prefix('\u{feff}')
        .expect("UTF-8 byte-order mark first");
    assert!(text.ends_with("\r\n"), "records end with CRLF");
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    quoted = false;
                    assert!(
                        matches!(chars.peek(), Some(',') | Some('\r')),
                        "text after a closing quote"
                    );
                }
                _ => field.push(c),
            }
        } else {
            match c {
                '"' => {
                    assert!(field.is_empty(), "a quote inside an unquoted field");
                    quoted = true;
                }
                ',' => record.push(std::mem::take(&mut field)),
                '\r' => {
                    assert_eq!(chars.next(), Some('\n'), "CR without LF");
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                '\n' => panic!("bare LF outside quotes"),
                _ => field.push(c),
            }
        }
    }
    assert!(!quoted, "unterminated quote");
    records
}

/// Python's csv module, an outside reader, agrees (skipped without python3,
/// unless TSUNAGARI_REQUIRE_ALL=1).
fn python_csv_rows(text: &str) -> Option<Vec<Vec<String>>> {
    let script = "import csv,io,json,sys\ndata = sys.stdin.buffer.read().decode('utf-8-sig')\nprint(json.dumps(list(csv.reader(io.StringIO(data, newline=''), strict=True))))";
    let out = common::outside_reader("csv", "Python csv check", script, text)?;
    assert!(out.status.success(), "Python's csv refused the file");
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

tsunagari_store::backend_tests! {
    async fn organisers_record_and_members_see_their_own_line(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let mei = person(&app, "mei@example.jp", "高橋 芽衣").await;
        let ren = person(&app, "ren@example.jp", "田中 蓮").await;
        let outsider = person(&app, "yui@example.jp", "伊藤 結衣").await;
        let id = community(&app, &owner, "worker_coop").await;
        join(&app, &mei, id).await;
        join(&app, &ren, id).await;
        let shares = format!("/api/v1/communities/{id}/shares");
        let entries = format!("/api/v1/communities/{id}/shares/entries");

        // Members only, and only with a token.
        let (status, body) = call(&app, Some(&outsider), Method::GET, &shares, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "not_member");
        let (status, _) = call(&app, None, Method::GET, &shares, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, empty) = call(&app, Some(&mei), Method::GET, &shares, None).await;
        assert_eq!(status, StatusCode::OK, "{empty}");
        assert!(empty["unit_price"].is_null() && empty["mine"].is_null() && empty["members"].is_null(), "{empty}");
        assert_eq!(empty["totals"]["paid"], 0);

        // A member may only subscribe for themselves; organisers record
        // the rest. A price comes first.
        let subscribe = json!({"member_id": mei.id, "kind": "subscribe", "units": 2});
        for not_theirs in [
            json!({"member_id": ren.id, "kind": "subscribe", "units": 2}),
            json!({"member_id": mei.id, "kind": "payment", "amount": 1000}),
            json!({"kind": "refund", "units": 1}),
            json!({"kind": "reversal", "reverses": 1}),
        ] {
            let (status, body) = entry(&app, &mei, id, not_theirs.clone()).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{not_theirs}");
            assert_eq!(body["error"]["code"], "not_organiser");
        }
        let (status, body) = entry(&app, &mei, id, json!({"kind": "subscribe", "units": 1})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(field_message(&body, "unit_price"), "引受を記録する前に、1口の金額を決めてください。");
        let (status, body) = entry(&app, &outsider, id, json!({"kind": "subscribe", "units": 1})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_member")));
        let (status, body) = entry(&app, &owner, id, subscribe.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(field_message(&body, "unit_price"), "引受を記録する前に、1口の金額を決めてください。");
        let price = format!("/api/v1/communities/{id}/shares/price");
        let (status, body) = call_in(&app, Some(&owner), "en", Method::PUT, &price, Some(json!({"unit_price": 0}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_message(&body, "unit_price"), "Enter the price per unit in whole yen, from 1 to 10,000,000.");
        let (status, body) = call(&app, Some(&mei), Method::PUT, &price, Some(json!({"unit_price": 50000}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = call(&app, Some(&owner), Method::PUT, &price, Some(json!({"unit_price": 50000}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["unit_price"], 50000);

        // Clear 422s, in the reader's language.
        for (request, field, ja, en) in [
            (json!({"member_id": mei.id, "kind": "gift"}), "kind", "引受・払込・払戻・取消のどれかを選んでください。", "Choose subscription, payment, refund or reversal."),
            (json!({"member_id": mei.id, "kind": "subscribe"}), "units", "口数は1から100,000までの整数で入力してください。", "Enter a whole number of units from 1 to 100,000."),
            (json!({"member_id": mei.id, "kind": "subscribe", "units": -2}), "units", "口数は1から100,000までの整数で入力してください。", "Enter a whole number of units from 1 to 100,000."),
            (json!({"member_id": mei.id, "kind": "payment", "units": 1, "amount": 1000}), "units", "この種類の記録には口数を入力しません。", "This kind of entry takes no units."),
            (json!({"kind": "subscribe", "units": 1}), "member_id", "記録する組合員を選んでください。", "Choose the member the entry is for."),
            (json!({"member_id": outsider.id, "kind": "subscribe", "units": 1}), "member_id", "出資を引き受けられるのは、この組合の組合員だけです。", "Units can be subscribed only by active members of the co-op."),
            (json!({"member_id": mei.id, "kind": "payment", "amount": 1000}), "member_id", "この人の出資はまだ名簿にありません。", "This person has no holding in the register yet."),
            (json!({"kind": "reversal", "reverses": 424242}), "reverses", "この組合の台帳に、その番号の記録はありません。", "There is no such entry in this co-op's ledger."),
            (json!({"member_id": mei.id, "kind": "subscribe", "units": 1, "note": "あ".repeat(501)}), "note", "メモは500文字までです。", "A note can be up to 500 characters."),
        ] {
            let (status, body) = entry(&app, &owner, id, request.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{request}: {body}");
            assert_eq!(body["error"]["code"], "invalid");
            assert_eq!(field_message(&body, field), ja, "{request}");
            let (_, body) = call_in(&app, Some(&owner), "en", Method::POST, &entries, Some(request.clone())).await;
            assert_eq!(field_message(&body, field), en, "{request}");
        }

        let (status, first) = entry(&app, &owner, id, subscribe).await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        assert_eq!((first["kind"].as_str(), first["units"].as_i64(), first["subscribed"].as_i64()), (Some("subscribe"), Some(2), Some(100_000)));
        assert_eq!(first["unit_price"], 50000);
        assert_eq!(first["recorded_by"], owner.id);
        let (status, payment) = entry(&app, &owner, id, json!({"member_id": mei.id, "kind": "payment", "amount": 60000, "note": "振込"})).await;
        assert_eq!(status, StatusCode::CREATED, "{payment}");
        let (status, body) = entry(&app, &owner, id, json!({"member_id": mei.id, "kind": "payment", "amount": 40001})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_message(&body, "amount"), "その組合員の未払込額より多くなっています。");
        let (status, body) = entry(&app, &owner, id, json!({"member_id": mei.id, "kind": "refund", "units": 3})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_message(&body, "units"), "その組合員の出資口数より多くなっています。");
        let (status, body) = entry(&app, &owner, id, json!({"kind": "reversal", "reverses": first["id"]})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the payment depends on it");
        assert!(field_message(&body, "reverses").contains("先にそちらを取り消してください"));
        // Ren applies for a unit himself: the entry is his, recorded by him.
        let (status, own) = entry(&app, &ren, id, json!({"kind": "subscribe", "units": 1, "note": "申込み"})).await;
        assert_eq!(status, StatusCode::CREATED, "{own}");
        assert_eq!((own["member_id"].as_i64(), own["recorded_by"].as_i64()), (Some(ren.id), Some(ren.id)));
        assert_eq!((own["units"].as_i64(), own["subscribed"].as_i64(), own["paid"].as_i64()), (Some(1), Some(50_000), Some(0)));

        // Members see the totals and their own line, nothing of others.
        let (_, seen) = call(&app, Some(&mei), Method::GET, &shares, None).await;
        assert_eq!(seen["unit_price"], 50000);
        assert_eq!(seen["mine"], json!({"units": 2, "subscribed": 100000, "paid": 60000, "outstanding": 40000}));
        assert_eq!(seen["totals"], json!({"units": 3, "subscribed": 150000, "paid": 60000, "outstanding": 90000, "holders": 2}));
        assert!(seen["members"].is_null(), "{seen}");
        let (_, own) = call(&app, Some(&mei), Method::GET, &entries, None).await;
        assert_eq!(own["entries"].as_array().unwrap().len(), 2);
        assert!(own["entries"].as_array().unwrap().iter().all(|e| e["member_id"] == mei.id));
        // Organisers see every line and every entry.
        let (_, register) = call(&app, Some(&owner), Method::GET, &shares, None).await;
        let lines = register["members"].as_array().unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["name"], "高橋 芽衣");
        assert_eq!(lines[0]["paid"], 60000);
        assert_eq!(lines[1]["outstanding"], 50000);
        let (_, all) = call(&app, Some(&owner), Method::GET, &entries, None).await;
        assert_eq!(all["entries"].as_array().unwrap().len(), 3);

        // A correction is a reversal, never an edit.
        let (status, reversal) = entry(&app, &owner, id, json!({"kind": "reversal", "reverses": payment["id"], "note": "二重入力"})).await;
        assert_eq!(status, StatusCode::CREATED, "{reversal}");
        assert_eq!(reversal["paid"], -60000);
        assert_eq!(reversal["member_id"], mei.id);
        let (status, body) = entry(&app, &owner, id, json!({"kind": "reversal", "reverses": payment["id"]})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(field_message(&body, "reverses"), "この記録はすでに取り消されています。");
        let (_, seen) = call(&app, Some(&mei), Method::GET, &shares, None).await;
        assert_eq!(seen["mine"]["paid"], 0);
        let (_, all) = call(&app, Some(&owner), Method::GET, &entries, None).await;
        let reversed = all["entries"].as_array().unwrap().iter().find(|e| e["id"] == payment["id"]).unwrap().clone();
        assert_eq!(reversed["reversed_by"], reversal["id"]);

        // The member's data export carries their ledger lines.
        let (_, export) = call(&app, Some(&mei), Method::GET, "/api/v1/me/export", None).await;
        let lines = export["share_entries"].as_array().unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["kind"], "subscribe");
        assert_eq!(lines[0]["community_name"], "ワーカーズコープ あおぞら");

        // The OpenAPI document lists the paths.
        let (_, doc) = call(&app, None, Method::GET, "/api/openapi.json", None).await;
        for path in ["/api/v1/communities/{id}/shares", "/api/v1/communities/{id}/shares/entries", "/api/v1/communities/{id}/shares/price"] {
            assert!(doc["paths"][path].is_object(), "{path} in OpenAPI");
        }
    }

    async fn the_register_is_only_where_it_is_on(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let professional = community(&app, &owner, "professional").await;
        let (status, body) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/communities/{professional}/shares"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "not offered to this kind: {body}");
        assert_eq!(body["error"]["code"], "tool_off");
        let coop = community(&app, &owner, "worker_coop").await;
        let (status, _) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/communities/{coop}/shares"), None).await;
        assert_eq!(status, StatusCode::OK, "on by default for co-ops");
        app.store
            .set_tool_choice(CommunityId(coop), CommunityTool::ShareRegister, false, tsunagari_domain::time::now())
            .await
            .unwrap();
        for (method, path, body) in [
            (Method::GET, format!("/api/v1/communities/{coop}/shares"), None),
            (Method::POST, format!("/api/v1/communities/{coop}/shares/entries"), Some(json!({"kind": "subscribe"}))),
            (Method::PUT, format!("/api/v1/communities/{coop}/shares/price"), Some(json!({"unit_price": 1}))),
        ] {
            let (status, _) = call(&app, Some(&owner), method, &path, body).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path} when the register is off");
        }
        let browser = app.browser();
        browser.log_in("aoi@example.jp", PASSWORD).await;
        for path in [format!("/communities/{coop}/shares"), format!("/communities/{coop}/shares.csv")] {
            let (status, _) = browser.page(&path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let (status, _) = call(&app, Some(&owner), Method::GET, "/api/v1/communities/999999/shares", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn concurrent_entries_never_take_a_member_below_zero(db: TestDatabase) {
        const MEMBERS: usize = 20;
        const UNITS: i64 = 5;
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let id = community(&app, &owner, "worker_coop").await;
        let people = crowd(&app, id, MEMBERS, "holder").await;
        let (status, _) = call(&app, Some(&owner), Method::PUT, &format!("/api/v1/communities/{id}/shares/price"), Some(json!({"unit_price": 10000}))).await;
        assert_eq!(status, StatusCode::OK);
        let url = app.url(&format!("/api/v1/communities/{id}/shares/entries"));

        // Round 1, all at once: every member subscribes 5 × 1 unit while 8
        // payments of 10,000 yen race the subscriptions (a payment can only
        // go through once enough is subscribed).
        let mut tasks = Vec::new();
        for who in &people {
            for n in 0..(UNITS + 8) {
                let body = if n < UNITS {
                    json!({"member_id": who.id, "kind": "subscribe", "units": 1})
                } else {
                    json!({"member_id": who.id, "kind": "payment", "amount": 10000})
                };
                let (url, token, kind) = (url.clone(), owner.token.clone(), body["kind"].as_str().unwrap().to_owned());
                tasks.push(tokio::spawn(async move {
                    let response = send(reqwest::Client::new().post(url).bearer_auth(token).json(&body)).await;
                    let status = response.status();
                    (kind, status, response.json::<Value>().await.unwrap())
                }));
            }
        }
        let mut accepted: HashMap<(String, i64), i64> = HashMap::new();
        for task in tasks {
            let (kind, status, body) = task.await.unwrap();
            match status {
                StatusCode::CREATED => *accepted.entry((kind, body["member_id"].as_i64().unwrap())).or_default() += 1,
                StatusCode::UNPROCESSABLE_ENTITY => {
                    assert_eq!(kind, "payment", "{body}");
                    assert!(body["error"]["fields"]["amount"].is_array() || body["error"]["fields"]["member_id"].is_array(), "{body}");
                }
                other => panic!("unexpected {other}: {body}"),
            }
        }
        let (_, register) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/communities/{id}/shares"), None).await;
        for line in register["members"].as_array().unwrap() {
            let member = line["member_id"].as_i64().unwrap();
            let subscribed = accepted.get(&("subscribe".into(), member)).copied().unwrap_or(0);
            let paid = accepted.get(&("payment".into(), member)).copied().unwrap_or(0);
            assert_eq!(subscribed, UNITS, "every subscription goes through");
            assert!(paid <= UNITS, "never more paid than subscribed: {line}");
            assert_eq!(line["units"], subscribed);
            assert_eq!(line["paid"], paid * 10000, "the holding is exactly the accepted entries");
        }
        // Top everyone up to fully paid, one by one.
        let mut top_ups = 0;
        for who in &people {
            let (_, line) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/communities/{id}/shares"), None).await;
            let outstanding = line["members"].as_array().unwrap().iter().find(|l| l["member_id"] == who.id).unwrap()["outstanding"].as_i64().unwrap();
            if outstanding > 0 {
                let (status, body) = call(&app, Some(&owner), Method::POST, &format!("/api/v1/communities/{id}/shares/entries"), Some(json!({"member_id": who.id, "kind": "payment", "amount": outstanding}))).await;
                assert_eq!(status, StatusCode::CREATED, "{body}");
                top_ups += 1;
            }
        }

        // Round 2, all at once: 8 refunds of one unit per member (only 5 can
        // succeed), and 3 payments each (none can: nothing is outstanding).
        let mut tasks = Vec::new();
        for who in &people {
            for n in 0..11 {
                let body = if n < 8 {
                    json!({"member_id": who.id, "kind": "refund", "units": 1})
                } else {
                    json!({"member_id": who.id, "kind": "payment", "amount": 1})
                };
                let (url, token) = (url.clone(), owner.token.clone());
                tasks.push(tokio::spawn(async move {
                    let response = send(reqwest::Client::new().post(url).bearer_auth(token).json(&body)).await;
                    let status = response.status();
                    (body, status, response.json::<Value>().await.unwrap())
                }));
            }
        }
        let mut refunds: HashMap<i64, i64> = HashMap::new();
        for task in tasks {
            let (request, status, body) = task.await.unwrap();
            match (request["kind"].as_str().unwrap(), status) {
                ("refund", StatusCode::CREATED) => {
                    assert_eq!(body["paid"], -10000, "each unit returns what was paid for it");
                    *refunds.entry(request["member_id"].as_i64().unwrap()).or_default() += 1;
                }
                ("refund", StatusCode::UNPROCESSABLE_ENTITY) => assert!(body["error"]["fields"]["units"].is_array(), "{body}"),
                ("payment", StatusCode::UNPROCESSABLE_ENTITY) => assert!(body["error"]["fields"]["amount"].is_array(), "{body}"),
                (kind, other) => panic!("unexpected {kind} {other}: {body}"),
            }
        }
        assert_eq!(refunds.len(), MEMBERS);
        assert!(refunds.values().all(|n| *n == UNITS), "exactly the units held are refunded: {refunds:?}");

        // The stored rows: every holder's sums are valid and zero, and the
        // derived totals equal the sum of the rows.
        let rows = stored_rows(&db, id).await;
        let mut by_holder: HashMap<i64, (i64, i64, i64)> = HashMap::new();
        let mut running: HashMap<i64, (i64, i64, i64)> = HashMap::new();
        for (holder, units, subscribed, paid) in &rows {
            let sum = running.entry(*holder).or_default();
            *sum = (sum.0 + units, sum.1 + subscribed, sum.2 + paid);
            assert!(sum.0 >= 0 && sum.2 >= 0 && sum.2 <= sum.1, "never below zero, in ledger order: {sum:?}");
            by_holder.insert(*holder, *sum);
        }
        assert_eq!(by_holder.len(), MEMBERS);
        assert!(by_holder.values().all(|s| *s == (0, 0, 0)), "{by_holder:?}");
        let (_, register) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/communities/{id}/shares"), None).await;
        let total: (i64, i64, i64) = rows.iter().fold((0, 0, 0), |t, r| (t.0 + r.1, t.1 + r.2, t.2 + r.3));
        assert_eq!(
            (register["totals"]["units"].as_i64().unwrap(), register["totals"]["subscribed"].as_i64().unwrap(), register["totals"]["paid"].as_i64().unwrap()),
            total
        );
        assert_eq!(register["totals"]["holders"], 0);
        let payments: i64 = accepted.iter().filter(|((kind, _), _)| kind == "payment").map(|(_, n)| n).sum();
        let expected_rows = MEMBERS as i64 * UNITS * 2 + payments + top_ups;
        assert_eq!(rows.len() as i64, expected_rows, "one row per accepted request");
    }

    async fn register_pages_work_without_javascript(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = app.browser();
        owner.sign_up("aoi@example.jp", "佐藤 葵").await;
        let created = owner
            .post("/communities", &[("kind", "worker_coop"), ("name", "ワーカーズコープ あおぞら"), ("visibility", "public"), ("membership", "open")])
            .await;
        let id: i64 = location(&created).rsplit('/').next().unwrap().parse().unwrap();
        let member = app.browser_in("en");
        member.sign_up("ren@example.jp", "Ren Tanaka").await;
        member.post(&format!("/communities/{id}/join"), &[]).await;
        let ren_id = db.column_as_text("SELECT CAST(id AS TEXT) FROM users WHERE email = 'ren@example.jp'").await[0].clone();
        let page = format!("/communities/{id}/shares");

        let (status, html) = owner.page(&page).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("出資の記録") && html.contains("まだ決まっていません"), "{html}");
        assert!(html.contains("action=\"/communities/") && html.contains("name=\"unit_price\""));

        // A wrong price is refused with the typed value kept.
        let response = owner.post(&format!("{page}/price"), &[("unit_price", "五万円")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("1口の金額は1円から10,000,000円までの整数で入力してください。") && html.contains("value=\"五万円\""), "{html}");
        let response = owner.post(&format!("{page}/price"), &[("unit_price", "５０,０００円")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);

        // The subscription form keeps what was typed when refused.
        let response = owner.post(&format!("{page}/entries"), &[("kind", "subscribe"), ("member_id", &ren_id), ("units", "two"), ("note", "初回")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("口数は1から100,000までの整数で入力してください。"), "{html}");
        assert!(html.contains("value=\"two\"") && html.contains("value=\"初回\""), "typed values kept");
        assert!(html.contains(&format!("value=\"{ren_id}\" selected")), "member kept");
        let response = owner.post(&format!("{page}/entries"), &[("kind", "subscribe"), ("member_id", &ren_id), ("units", "2"), ("note", "=1+1 初回")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert!(location(&response).ends_with("/shares#ledger"));
        let response = owner.post(&format!("{page}/entries"), &[("kind", "payment"), ("member_id", &ren_id), ("amount", "60,000"), ("note", "振込, 11月分")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = owner.page(&page).await;
        assert!(html.contains("Ren Tanaka") && html.contains("+100,000") && html.contains("60,000円"), "{html}");

        // The member sees their holding in English, not the register.
        let (status, html) = member.page(&page).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Your holding") && html.contains("2 units") && html.contains("¥60,000"), "{html}");
        assert!(!html.contains("name=\"member_id\"") && !html.contains("/shares/price"), "no organiser forms for members");

        // The member applies for more units themselves; a refusal keeps
        // what they typed.
        assert!(html.contains("Subscribe to units") && html.contains("¥50,000 per unit"), "{html}");
        let response = member.post(&format!("{page}/entries"), &[("kind", "subscribe"), ("units", "0"), ("note", "second round")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains("Enter a whole number of units from 1 to 100,000.") && html.contains("value=\"0\"") && html.contains("value=\"second round\""), "{html}");
        let response = member.post(&format!("{page}/entries"), &[("kind", "subscribe"), ("units", "１"), ("note", "second round")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert!(location(&response).ends_with("/shares#mine-title"));
        let (_, html) = member.page(&page).await;
        assert!(html.contains("Your subscription is recorded.") && html.contains("3 units") && html.contains("second round"), "{html}");
        let response = member.post(&format!("{page}/entries"), &[("kind", "payment"), ("member_id", &ren_id), ("amount", "50000")]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "money is recorded by organisers");
        let own_entry = db.column_as_text(&format!("SELECT CAST(recorded_by AS TEXT) FROM share_entries WHERE community_id = {id} AND note = 'second round'")).await;
        assert_eq!(own_entry, vec![ren_id.clone()], "recorded by the member");
        let (status, _) = member.page(&format!("/communities/{id}/shares.csv")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // A reversal through the ledger's form; refusing a second one shows why.
        let payment_id = db.column_as_text(&format!("SELECT CAST(id AS TEXT) FROM share_entries WHERE community_id = {id} AND kind = 'payment'")).await[0].clone();
        let response = owner.post(&format!("{page}/entries"), &[("kind", "reversal"), ("reverses", &payment_id), ("note", "金額の誤り")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let response = owner.post(&format!("{page}/entries"), &[("kind", "reversal"), ("reverses", &payment_id), ("note", "もう一度")]).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains(&format!("番号{payment_id}の記録を取り消す: この記録はすでに取り消されています。")), "{html}");

        // The CSV for the books: BOM, CRLF, RFC 4180 quoting, Japan time,
        // formulas defused; read by our strict reader and by Python's.
        let response = owner.get(&format!("/communities/{id}/shares.csv")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert!(response.headers()["content-disposition"].to_str().unwrap().contains(".csv"));
        let text = response.text().await.unwrap();
        let rows = parse_csv(&text);
        if let Some(python) = python_csv_rows(&text) {
            assert_eq!(python, rows, "Python's csv reads the same records");
        }
        assert_eq!(rows.len(), 5, "a header and four entries: {rows:?}");
        assert!(rows.iter().all(|r| r.len() == 13));
        assert_eq!(rows[0][0], "番号");
        assert_eq!(rows[0][1], "記録日時（日本時間）");
        assert_eq!(rows[1][2], "Ren Tanaka");
        assert_eq!(rows[1][3], "引受");
        assert_eq!((rows[1][4].as_str(), rows[1][5].as_str(), rows[1][6].as_str()), ("2", "50000", "100000"));
        assert_eq!(rows[1][11], "'=1+1 初回", "a formula is defused");
        assert_eq!(rows[2][11], "振込, 11月分", "commas survive quoting");
        assert_eq!((rows[2][7].as_str(), rows[2][9].as_str()), ("60000", "60000"), "paid, and the running paid-in total");
        assert_eq!((rows[3][3].as_str(), rows[3][4].as_str(), rows[3][11].as_str()), ("引受", "1", "second round"), "the member's own application");
        assert_eq!(rows[3][12], "Ren Tanaka", "recorded by the member");
        assert_eq!((rows[4][3].as_str(), rows[4][7].as_str(), rows[4][9].as_str(), rows[4][10].as_str()), ("取消", "-60000", "0", payment_id.as_str()));
        let stamp = &rows[1][1];
        let parsed = chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d %H:%M:%S").expect("a date-time");
        let utc = chrono::Utc::now().naive_utc();
        let offset = (parsed - utc).num_minutes();
        assert!((9 * 60 - 5..=9 * 60 + 1).contains(&offset), "Japan time: {stamp}");
    }
}
