//! The solidarity fund over HTTP on SQLite and PostgreSQL: contributions,
//! claims and committee decisions through the API and the pages, errors in
//! both languages, privacy of claims, the tool switch, and the proof that
//! under concurrent contributions, claims and decisions every committed
//! ledger transaction sums to zero, the balance is the sum of the entries
//! and it is never negative.

use crate::api_support;
use crate::common;

use std::collections::HashMap;

use api_support::{Person, call, call_in, crowd, field_message, person, send, switch, union};
use common::{PASSWORD, TestApp, location};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Every stored entry as (seq, account, amount), in sequence order.
async fn stored_entries(
    db: &tsunagari_store::testing::TestDatabase,
    union: i64,
) -> Vec<(i64, String, i64)> {
    db.column_as_text(&format!(
        "SELECT CAST(seq AS TEXT) || ':' || account || ':' || CAST(amount AS TEXT) FROM fund_entries
         WHERE community_id = {union} ORDER BY seq, account"
    ))
    .await
    .iter()
    .map(|row| {
        let mut parts = row.split(':');
        (
            parts.next().unwrap().parse().unwrap(),
            parts.next().unwrap().to_owned(),
            parts.next().unwrap().parse().unwrap(),
        )
    })
    .collect()
}

/// The ledger invariants over the stored rows, in commit order (the
/// sequence is taken under the fund's lock, so it is the commit order):
/// each transaction sums to zero and has a row, and the fund's running
/// balance after every transaction is at zero or above. Returns the final
/// balance.
async fn check_ledger(db: &tsunagari_store::testing::TestDatabase, union: i64) -> i64 {
    let entries = stored_entries(db, union).await;
    let mut by_seq: Vec<(i64, Vec<(String, i64)>)> = Vec::new();
    for (seq, account, amount) in entries {
        match by_seq.last_mut() {
            Some((last, list)) if *last == seq => list.push((account, amount)),
            _ => by_seq.push((seq, vec![(account, amount)])),
        }
    }
    let rows = db
        .column_as_text(&format!("SELECT CAST(seq AS TEXT) FROM fund_transactions WHERE community_id = {union} ORDER BY seq"))
        .await;
    assert_eq!(
        rows.len(),
        by_seq.len(),
        "every transaction has its entries and its row"
    );
    let mut balance = 0i64;
    for (seq, list) in &by_seq {
        assert_eq!(list.len(), 2, "transaction {seq}: {list:?}");
        assert_eq!(
            list.iter().map(|(_, a)| a).sum::<i64>(),
            0,
            "transaction {seq} sums to zero: {list:?}"
        );
        balance += list
            .iter()
            .filter(|(a, _)| a == "fund")
            .map(|(_, n)| n)
            .sum::<i64>();
        assert!(
            balance >= 0,
            "the fund went below zero after transaction {seq}"
        );
    }
    balance
}

async fn fund(app: &TestApp, who: &Person, union: i64) -> Value {
    let (status, body) = call(
        app,
        Some(who),
        Method::GET,
        &format!("/api/v1/communities/{union}/fund"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn contribute(app: &TestApp, who: &Person, union: i64, amount: Value) -> (StatusCode, Value) {
    call(
        app,
        Some(who),
        Method::POST,
        &format!("/api/v1/communities/{union}/fund/contributions"),
        Some(json!({"amount": amount})),
    )
    .await
}

async fn file_claim(app: &TestApp, who: &Person, union: i64, amount: i64, reason: &str) -> i64 {
    let (status, body) = call(
        app,
        Some(who),
        Method::POST,
        &format!("/api/v1/communities/{union}/fund/claims"),
        Some(json!({"amount": amount, "reason": reason})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "pending");
    body["id"].as_i64().unwrap()
}

async fn decide(
    app: &TestApp,
    who: &Person,
    claim: i64,
    approve: bool,
    note: Option<&str>,
) -> (StatusCode, Value) {
    call(
        app,
        Some(who),
        Method::POST,
        &format!("/api/v1/fund/claims/{claim}/decisions"),
        Some(json!({"approve": approve, "note": note})),
    )
    .await
}

tsunagari_store::backend_tests! {
    async fn claimants_withdraw_a_claim_they_no_longer_need(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "ren@example.jp", "田中 蓮").await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let yui = person(&app, "yui@example.jp", "伊藤 結衣").await;
        let id = union(&app, &owner, &[&aoi, &yui], "public").await;
        contribute(&app, &yui, id, json!(10_000)).await;
        let claim = file_claim(&app, &aoi, id, 3_000, "家賃が足りません。").await;
        let withdrawal = format!("/api/v1/fund/claims/{claim}/withdrawal");
        for other in [&owner, &yui] {
            let (status, body) = call(&app, Some(other), Method::POST, &withdrawal, None).await;
            assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")), "only the claimant: {body}");
        }
        let (status, body) = call(&app, Some(&aoi), Method::POST, &withdrawal, None).await;
        assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("withdrawn")), "{body}");
        assert!(body["settled_at"].is_string());
        let (status, body) = call(&app, Some(&aoi), Method::POST, &withdrawal, None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("claim_settled")));
        let (status, body) = decide(&app, &owner, claim, true, None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("claim_settled")), "nothing is paid on it");
        let (_, fund) = call(&app, Some(&yui), Method::GET, &format!("/api/v1/communities/{id}/fund"), None).await;
        assert_eq!((fund["balance"].as_i64(), fund["claims_pending"].as_i64()), (Some(10_000), Some(0)), "{fund}");

        // On the page: the claimant sees the button, the organiser does not.
        let second = file_claim(&app, &aoi, id, 2_000, "通院の交通費").await;
        let page = format!("/fund/claims/{second}");
        let organiser = app.browser();
        organiser.log_in("ren@example.jp", PASSWORD).await;
        let (_, html) = organiser.page(&page).await;
        assert!(!html.contains("/withdraw\""), "organisers decide; they do not withdraw");
        let claimant = app.browser_in("en");
        claimant.log_in("aoi@example.jp", PASSWORD).await;
        claimant.post("/language", &[("locale", "en"), ("return_to", "/")]).await;
        let (_, html) = claimant.page(&page).await;
        assert!(html.contains("Withdraw this claim") && html.contains(&format!("action=\"{page}/withdraw\"")), "{html}");
        let response = claimant.post(&format!("{page}/withdraw"), &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, html) = claimant.page(&page).await;
        assert!(html.contains("Your claim is withdrawn.") && html.contains(">Withdrawn<") && !html.contains("/withdraw\""), "{html}");
        let (_, html) = organiser.page(&page).await;
        assert!(html.contains("取り下げ") && !html.contains("name=\"approve\""), "no decision on a withdrawn claim: {html}");
        app.stop().await;
    }

    async fn every_payout_can_be_read_a_page_at_a_time(db: TestDatabase) {
        use tsunagari_domain::fund::{Amount, ClaimDetails};
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "ren@example.jp", "田中 蓮").await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let outsider = person(&app, "yui@example.jp", "伊藤 結衣").await;
        let id = union(&app, &owner, &[&aoi], "public").await;
        // 55 paid claims of 100, 200, … 5,500 yen, written through the store
        // for speed; the pages and the API read them as they would any.
        let c = tsunagari_domain::community::CommunityId(id);
        let (owner_id, aoi_id) = (tsunagari_domain::UserId(owner.id), tsunagari_domain::UserId(aoi.id));
        let now = tsunagari_domain::time::now;
        app.store.contribute(c, aoi_id, Amount::new(200_000).unwrap(), now()).await.unwrap();
        for n in 1..=55 {
            let details = ClaimDetails { amount: Amount::new(n * 100).unwrap(), reason: format!("申請 {n}") };
            let filed = app.store.create_claim(c, aoi_id, &details, None, now()).await.unwrap();
            app.store.decide(filed.id, owner_id, true, None, now()).await.unwrap();
        }
        let url = format!("/api/v1/communities/{id}/fund/payouts");
        let (status, first) = call(&app, Some(&aoi), Method::GET, &url, None).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        let amounts = |page: &Value| page["payouts"].as_array().unwrap().iter().map(|p| p["amount"].as_i64().unwrap()).collect::<Vec<_>>();
        assert_eq!(amounts(&first), (6..=55).rev().map(|n| n * 100).collect::<Vec<_>>(), "the newest 50");
        assert!(first.to_string().find("申請").is_none() && !first.to_string().contains("aoi"), "anonymous: {first}");
        let older = first["older"].as_i64().expect("an older page");
        let (_, second) = call(&app, Some(&aoi), Method::GET, &format!("{url}?before={older}"), None).await;
        assert_eq!(amounts(&second), vec![500, 400, 300, 200, 100]);
        assert!(second["older"].is_null(), "the last page");
        let (status, body) = call(&app, Some(&outsider), Method::GET, &url, None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_member")));
        let (_, fund) = call(&app, Some(&aoi), Method::GET, &format!("/api/v1/communities/{id}/fund"), None).await;
        assert_eq!(fund["payouts"].as_array().unwrap().len(), 55, "the summary carries up to 100");

        // The pages: the latest ten, then the whole history in pages.
        let member = app.browser();
        member.log_in("aoi@example.jp", PASSWORD).await;
        let (_, html) = member.page(&format!("/communities/{id}/fund")).await;
        assert_eq!(html.matches("<td class=\"when\">").count(), 10, "the latest ten payouts: {html}");
        let table = html.split("id=\"payouts-title\"").nth(1).unwrap().split("</table>").next().unwrap();
        assert!(table.contains("¥4,600") && !table.contains("¥4,500"), "the newest ten, not the eleventh: {table}");
        assert!(html.contains(&format!("href=\"/communities/{id}/fund/payouts\"")) && html.contains("すべての給付を見る（55件）"), "{html}");
        let (status, html) = member.page(&format!("/communities/{id}/fund/payouts")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(html.matches("<td class=\"when\">").count(), 50);
        assert!(html.contains(&format!("?before={older}\"")) && html.contains("さらに前の給付") && !html.contains("最新の給付へ"), "{html}");
        let response = app.browser().get(&format!("/communities/{id}/fund/payouts")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "signed out");
        assert!(location(&response).starts_with("/login?next="));
        let english = app.browser_in("en");
        english.log_in("aoi@example.jp", PASSWORD).await;
        english.post("/language", &[("locale", "en"), ("return_to", "/")]).await;
        let (_, html) = english.page(&format!("/communities/{id}/fund/payouts?before={older}")).await;
        assert_eq!(html.matches("<td class=\"when\">").count(), 5);
        assert!(html.contains("Newest payouts") && !html.contains("Older payouts") && html.contains("¥500"), "{html}");
        app.stop().await;
    }

    async fn members_contribute_claim_and_organisers_decide(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "ren@example.jp", "田中 蓮").await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let yui = person(&app, "yui@example.jp", "伊藤 結衣").await;
        let outsider = person(&app, "emma@example.com", "Emma Clark").await;
        let id = union(&app, &owner, &[&aoi, &yui], "public").await;

        // Whole yen, positive, bounded — field messages in both languages.
        for (amount, ja, en) in [
            (json!(0), "0より大きく", "more than zero"),
            (json!(12.5), "整数", "whole yen"),
            (json!("abc"), "整数", "whole yen"),
            (json!(2_000_000), "1,000,000円まで", "at most 1,000,000"),
            (json!(null), "整数", "whole yen"),
        ] {
            let (status, body) = contribute(&app, &aoi, id, amount.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{amount}: {body}");
            assert!(field_message(&body, "amount").contains(ja), "{body}");
            let (_, body) = call_in(&app, Some(&aoi), "en", Method::POST, &format!("/api/v1/communities/{id}/fund/contributions"), Some(json!({"amount": amount}))).await;
            assert!(field_message(&body, "amount").contains(en), "{body}");
        }
        let (status, body) = contribute(&app, &outsider, id, json!(1000)).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_member")));
        let (status, _) = call(&app, Some(&outsider), Method::GET, &format!("/api/v1/communities/{id}/fund"), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "the summary is for members");
        let (status, _) = call(&app, None, Method::GET, &format!("/api/v1/communities/{id}/fund"), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        let (status, body) = contribute(&app, &aoi, id, json!(5000)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["amount"], 5000);
        let (status, _) = contribute(&app, &yui, id, json!("3,000")).await;
        assert_eq!(status, StatusCode::CREATED);
        let summary = fund(&app, &aoi, id).await;
        assert_eq!((summary["balance"].as_i64(), summary["contributed"].as_i64(), summary["paid_out"].as_i64()), (Some(8000), Some(8000), Some(0)));

        // A claim: its reason is for the claimant and the deciders only.
        let reason = "シフトを急に減らされ、今月の家賃が足りません。";
        let claim = file_claim(&app, &yui, id, 10_000, reason).await;
        let (status, _) = call(&app, Some(&aoi), Method::GET, &format!("/api/v1/fund/claims/{claim}"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "another member does not see a claim");
        let (status, body) = call(&app, Some(&yui), Method::GET, &format!("/api/v1/fund/claims/{claim}"), None).await;
        assert_eq!((status, body["reason"].as_str()), (StatusCode::OK, Some(reason)));

        // Only deciders decide (the organisers, while there is no committee).
        let (status, body) = decide(&app, &aoi, claim, true, None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("not_decider")));
        // A rejection needs a note.
        let (status, body) = decide(&app, &owner, claim, false, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(field_message(&body, "note").contains("コメント"));
        // Paying ¥10,000 from ¥8,000 is refused, clearly, and nothing is recorded.
        let (status, body) = decide(&app, &owner, claim, true, None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("would_overdraw")), "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("残高が申請額に足りない"));
        let (_, body) = call_in(&app, Some(&owner), "en", Method::POST, &format!("/api/v1/fund/claims/{claim}/decisions"), Some(json!({"approve": true}))).await;
        assert!(body["error"]["message"].as_str().unwrap().contains("holds less than this claim"), "{body}");
        let (_, body) = call(&app, Some(&owner), Method::GET, &format!("/api/v1/fund/claims/{claim}"), None).await;
        assert_eq!(body["decisions"].as_array().unwrap().len(), 0);
        assert_eq!(fund(&app, &aoi, id).await["balance"], 8000);

        contribute(&app, &aoi, id, json!(2000)).await;
        let (status, body) = decide(&app, &owner, claim, true, Some("規約の給付対象です。")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!((body["outcome"].as_str(), body["paid"].as_bool(), body["claim"]["status"].as_str()), (Some("approved"), Some(true), Some("paid")));
        let (status, body) = decide(&app, &owner, claim, true, None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("claim_settled")));

        // The public summary: totals and anonymised payouts only.
        let summary = fund(&app, &aoi, id).await;
        assert_eq!((summary["balance"].as_i64(), summary["paid_out"].as_i64(), summary["claims_paid"].as_i64()), (Some(0), Some(10_000), Some(1)));
        assert_eq!(summary["payouts"][0]["amount"], 10_000);
        let text = summary.to_string();
        assert!(!text.contains(reason) && !text.contains("伊藤") && !text.contains("yui@"), "{text}");
        assert_eq!(check_ledger(&db, id).await, 0);

        // The claimant's data export holds their contribution and claim.
        let (_, export) = call(&app, Some(&yui), Method::GET, "/api/v1/me/export", None).await;
        assert_eq!(export["fund_contributions"][0]["amount"], 3000);
        assert_eq!((export["fund_claims"][0]["reason"].as_str(), export["fund_claims"][0]["status"].as_str()), (Some(reason), Some("paid")));

        // The claimant is told; nobody decides their own claim.
        let (_, notes) = call(&app, Some(&yui), Method::GET, "/api/v1/notifications", None).await;
        assert!(notes.to_string().contains("fund_claim_decided"), "{notes}");
        let own = file_claim(&app, &owner, id, 1000, "交通費").await;
        let (status, body) = decide(&app, &owner, own, true, None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("own_claim")));

        // Switched off, the fund answers 404 everywhere.
        switch(&app, &owner, id, "fund", false).await;
        let (status, body) = call(&app, Some(&aoi), Method::GET, &format!("/api/v1/communities/{id}/fund"), None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("tool_off")));
        assert_eq!(contribute(&app, &aoi, id, json!(100)).await.0, StatusCode::NOT_FOUND);
        assert_eq!(call(&app, Some(&yui), Method::GET, &format!("/api/v1/fund/claims/{claim}"), None).await.0, StatusCode::NOT_FOUND);
        let browser = app.browser();
        browser.log_in("aoi@example.jp", PASSWORD).await;
        assert_eq!(browser.get(&format!("/communities/{id}/fund")).await.status(), StatusCode::NOT_FOUND);
        switch(&app, &owner, id, "fund", true).await;
        assert_eq!(fund(&app, &aoi, id).await["paid_out"], 10_000, "switching off deletes nothing");
    }

    async fn concurrent_fund_traffic_keeps_the_ledger_balanced(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "ren@example.jp", "田中 蓮").await;
        let id = union(&app, &owner, &[], "members").await;
        let members = crowd(&app, id, 40, "m").await;
        let committee = &members[..3];

        // A committee of three, two approvals needed, set on the page.
        let browser = app.browser();
        browser.log_in("ren@example.jp", PASSWORD).await;
        let mut form: Vec<(&str, String)> = committee.iter().map(|m| ("committee", m.id.to_string())).collect();
        form.push(("approvals_needed", "2".into()));
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = browser.post(&format!("/communities/{id}/fund/settings"), &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let settings = app.store.fund_settings(tsunagari_domain::community::CommunityId(id)).await.unwrap();
        assert_eq!((settings.approvals_needed, settings.committee.len()), (2, 3));

        let post = |who: &Person, path: String, body: Value| {
            let request = reqwest::Client::new().post(app.url(&path)).bearer_auth(&who.token).json(&body);
            async move {
                let response = send(request).await;
                let status = response.status();
                (status, response.json::<Value>().await.unwrap_or(Value::Null))
            }
        };

        // Round 1, all at once: 80 contributions and 20 claims.
        let mut tasks = Vec::new();
        for (n, who) in members.iter().enumerate() {
            for round in 0..2 {
                let amount = 500 + 250 * ((n + round) % 7) as i64;
                tasks.push(tokio::spawn(post(who, format!("/api/v1/communities/{id}/fund/contributions"), json!({"amount": amount}))));
            }
        }
        for (n, who) in members[10..30].iter().enumerate() {
            // Together more than the fund will hold: some payouts must be refused.
            let amount = 2_000 + 3_000 * (n % 5) as i64;
            tasks.push(tokio::spawn(post(who, format!("/api/v1/communities/{id}/fund/claims"), json!({"amount": amount, "reason": format!("困りごと {n}")}))));
        }
        let mut claims = Vec::new();
        for task in tasks {
            let (status, body) = task.await.unwrap();
            assert_eq!(status, StatusCode::CREATED, "{body}");
            if body["reason"].is_string() {
                claims.push((body["id"].as_i64().unwrap(), body["amount"].as_i64().unwrap()));
            }
        }
        assert_eq!(claims.len(), 20);
        let after_round_1 = check_ledger(&db, id).await;
        assert_eq!(fund(&app, &members[0], id).await["balance"].as_i64(), Some(after_round_1));

        // Round 2, all at once: every committee member decides every claim
        // (some rejections), while 40 more contributions come in.
        let mut tasks = Vec::new();
        for (n, (claim, _)) in claims.iter().enumerate() {
            for (k, decider) in committee.iter().enumerate() {
                let approve = (n + k) % 5 != 0;
                let body = json!({"approve": approve, "note": (!approve).then_some("規約の対象外")});
                tasks.push(tokio::spawn(post(decider, format!("/api/v1/fund/claims/{claim}/decisions"), body)));
            }
        }
        for who in &members[..40] {
            tasks.push(tokio::spawn(post(who, format!("/api/v1/communities/{id}/fund/contributions"), json!({"amount": 300}))));
        }
        let mut outcomes: HashMap<String, usize> = HashMap::new();
        for task in tasks {
            let (status, body) = task.await.unwrap();
            let key = match status {
                StatusCode::OK => format!("ok:{}", body["outcome"].as_str().unwrap()),
                StatusCode::CREATED => "contribution".into(),
                StatusCode::CONFLICT | StatusCode::FORBIDDEN => format!("refused:{}", body["error"]["code"].as_str().unwrap()),
                other => panic!("unexpected {other}: {body}"),
            };
            *outcomes.entry(key).or_default() += 1;
        }
        assert_eq!(outcomes.get("contribution"), Some(&40));
        // Claimants 10..30 are not on the committee, so no decision is refused as one's own.
        assert!(!outcomes.contains_key("refused:own_claim"), "{outcomes:?}");
        let balance = check_ledger(&db, id).await;
        let summary = fund(&app, &members[0], id).await;
        assert_eq!(summary["balance"].as_i64(), Some(balance), "the balance is the sum of the entries");
        assert_eq!(summary["contributed"].as_i64().unwrap() - summary["paid_out"].as_i64().unwrap(), balance);

        // Every paid claim has exactly one payout of its amount; no other does.
        let payouts = db.column_as_text(&format!(
            "SELECT CAST(t.claim_id AS TEXT) || ':' || CAST(e.amount AS TEXT) FROM fund_transactions t
             JOIN fund_entries e ON e.community_id = t.community_id AND e.seq = t.seq AND e.account = 'payouts'
             WHERE t.community_id = {id} AND t.kind = 'payout'"
        )).await;
        let paid: Vec<String> = db.column_as_text(&format!(
            "SELECT CAST(id AS TEXT) || ':' || CAST(amount AS TEXT) FROM fund_claims WHERE community_id = {id} AND status = 'paid'"
        )).await;
        let mut payouts_sorted = payouts.clone();
        payouts_sorted.sort();
        let mut paid_sorted = paid.clone();
        paid_sorted.sort();
        assert_eq!(payouts_sorted, paid_sorted);
        assert_eq!(summary["claims_paid"].as_u64(), Some(paid.len() as u64));
        assert!(!paid.is_empty(), "some claims were paid: {outcomes:?}");
        assert!(outcomes.contains_key("refused:would_overdraw"), "some payouts were refused: {outcomes:?}");
        // Each decider's decision counted once per claim.
        let duplicates = db.column_as_text(&format!(
            "SELECT CAST(claim_id AS TEXT) FROM fund_decisions d JOIN fund_claims c ON c.id = d.claim_id
             WHERE c.community_id = {id} GROUP BY claim_id, decider_id HAVING COUNT(*) > 1"
        )).await;
        assert!(duplicates.is_empty());
    }

    async fn fund_pages_work_without_javascript(db: TestDatabase) {
        let app = TestApp::spawn(&db).await;
        let owner = person(&app, "ren@example.jp", "田中 蓮").await;
        let yui = person(&app, "yui@example.jp", "伊藤 結衣").await;
        let aoi = person(&app, "aoi@example.jp", "佐藤 葵").await;
        let id = union(&app, &owner, &[&yui, &aoi], "public").await;
        let member = app.browser();
        member.log_in("yui@example.jp", PASSWORD).await;

        let (status, html) = member.page(&format!("/communities/{id}/fund")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("連帯基金") && html.contains("¥0"));
        assert!(!html.contains("委員会と承認の数"), "settings are for organisers");

        let bad = member.post(&format!("/communities/{id}/fund/contributions"), &[("amount", "-300")]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = bad.text().await.unwrap();
        assert!(html.contains("金額は0より大きくしてください") && html.contains(r#"value="-300""#), "message and the typed value");
        let done = member.post(&format!("/communities/{id}/fund/contributions"), &[("amount", "５，０００")]).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        let (_, html) = member.page(&format!("/communities/{id}/fund")).await;
        assert!(html.contains("¥5,000"), "full-width digits are read");

        let (status, html) = member.page(&format!("/communities/{id}/fund/claims/new")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(r#"<label for="field-reason">"#));
        let bad = member.post(&format!("/communities/{id}/fund/claims"), &[("amount", "3000"), ("reason", "")]).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text().await.unwrap().contains(r#"value="3000""#));
        let filed = member.post(&format!("/communities/{id}/fund/claims"), &[("amount", "3000"), ("reason", "通院の交通費")]).await;
        assert_eq!(filed.status(), StatusCode::SEE_OTHER);
        let claim_path = location(&filed);
        assert!(claim_path.starts_with("/fund/claims/"));
        let (_, html) = member.page(&claim_path).await;
        assert!(html.contains("通院の交通費") && html.contains("決定待ち"));
        assert!(!html.contains(r#"name="approve""#), "a claimant does not decide");

        let other = app.browser();
        other.log_in("aoi@example.jp", PASSWORD).await;
        assert_eq!(other.get(&claim_path).await.status(), StatusCode::NOT_FOUND, "another member does not see it");

        let organiser = app.browser_in("en");
        organiser.log_in("ren@example.jp", PASSWORD).await;
        organiser.post("/language", &[("locale", "en"), ("return_to", "/")]).await;
        let (status, html) = organiser.page(&claim_path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Claim for ¥3,000") && html.contains(r#"name="approve""#));
        let refused = organiser.post(&format!("{claim_path}/decisions"), &[("approve", "0"), ("note", "")]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains("Write a note"));
        let paid = organiser.post(&format!("{claim_path}/decisions"), &[("approve", "1"), ("note", "")]).await;
        assert_eq!(paid.status(), StatusCode::SEE_OTHER);
        let (_, html) = member.page(&claim_path).await;
        assert!(html.contains("給付済み"));
        let (_, html) = organiser.page(&format!("/communities/{id}/fund")).await;
        assert!(html.contains("¥2,000") && html.contains("How claims are decided"));

        // Too much: the claim page says so with 409.
        let big = member.post(&format!("/communities/{id}/fund/claims"), &[("amount", "50000"), ("reason", "家賃")]).await;
        let big_path = location(&big);
        let refused = organiser.post(&format!("{big_path}/decisions"), &[("approve", "1")]).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        assert!(refused.text().await.unwrap().contains("holds less than this claim"));

        // Settings: more approvals than deciders is refused, on the page.
        let form = [("committee", yui.id.to_string()), ("approvals_needed", "2".to_owned())];
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let refused = organiser.post(&format!("/communities/{id}/fund/settings"), &fields).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text().await.unwrap().contains("no more than the people who decide"));
        let member_settings = member.post(&format!("/communities/{id}/fund/settings"), &[("approvals_needed", "1")]).await;
        assert_eq!(member_settings.status(), StatusCode::FORBIDDEN);
    }

    async fn members_decide_claims_by_ballot_and_the_fund_pays_after_the_close(db: TestDatabase) {
        let secret = tsunagari_domain::ballot::BallotSecret::generate().0;
        let config = tsunagari_web::ServerConfig { ballot_secret: secret.clone(), ..Default::default() };
        let app = TestApp::spawn_with(&db, config).await;
        let owner = person(&app, "owner@example.jp", "田中 蓮").await;
        let claimant = person(&app, "claimant@example.jp", "森 ひかり").await;
        let aki = person(&app, "aki@example.jp", "石田 亜紀").await;
        let ken = person(&app, "ken@example.jp", "木村 健").await;
        let id = union(&app, &owner, &[&claimant, &aki, &ken], "members").await;
        let settings_path = format!("/api/v1/communities/{id}/fund/settings");
        let by_ballot = json!({"method": "ballot", "ballot_days": 3, "ballot_quorum": 50});

        // Ballots off: refused with the reason, in both languages.
        switch(&app, &owner, id, "ballots", false).await;
        let (status, body) = call(&app, Some(&owner), Method::PUT, &settings_path, Some(by_ballot.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(field_message(&body, "method").contains("投票の機能がオフ"), "{body}");
        let (_, body) = call_in(&app, Some(&owner), "en", Method::PUT, &settings_path, Some(by_ballot.clone())).await;
        assert!(field_message(&body, "method").contains("Ballots are switched off"), "{body}");
        switch(&app, &owner, id, "ballots", true).await;
        let (status, body) = call(&app, Some(&owner), Method::PUT, &settings_path, Some(json!({"method": "ballot", "ballot_days": 0, "ballot_quorum": 101}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!field_message(&body, "ballot_days").is_empty() && !field_message(&body, "ballot_quorum").is_empty(), "{body}");
        let (status, _) = call(&app, Some(&aki), Method::PUT, &settings_path, Some(by_ballot.clone())).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "members do not choose");
        let (status, body) = call(&app, Some(&owner), Method::PUT, &settings_path, Some(by_ballot.clone())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!((body["method"].as_str(), body["ballot_days"].as_u64(), body["ballot_quorum"].as_u64()), (Some("ballot"), Some(3), Some(50)));

        let (status, _) = call(&app, Some(&aki), Method::POST, &format!("/api/v1/communities/{id}/fund/contributions"), Some(json!({"amount": 10000}))).await;
        assert_eq!(status, StatusCode::CREATED);
        // The claim form says how it will be decided and what members see.
        let browser = app.browser();
        assert_eq!(browser.log_in("claimant@example.jp", PASSWORD).await.status(), StatusCode::SEE_OTHER);
        let (_, form) = browser.page(&format!("/communities/{id}/fund/claims/new")).await;
        assert!(form.contains("組合員の無記名投票で決まります（3日間）"), "{form}");
        let filed = browser.post(&format!("/communities/{id}/fund/claims"), &[("amount", "30000"), ("reason", "雇い止めで家賃が払えません。")]).await;
        assert_eq!(filed.status(), StatusCode::SEE_OTHER);
        let claim_path = location(&filed);
        let claim_id: i64 = claim_path.rsplit('/').next().unwrap().parse().unwrap();
        let (status, claim) = call(&app, Some(&claimant), Method::GET, &format!("/api/v1/fund/claims/{claim_id}"), None).await;
        assert_eq!(status, StatusCode::OK);
        let ballot_id = claim["ballot_id"].as_i64().expect("a ballot decides it");
        assert!(claim["approvals_needed"].is_null());

        // Every member sees the ballot: the amount and the reason, never the name.
        let (status, ballot) = call(&app, Some(&ken), Method::GET, &format!("/api/v1/ballots/{ballot_id}"), None).await;
        assert_eq!(status, StatusCode::OK, "{ballot}");
        let text = format!("{}{}", ballot["title"], ballot["body"]);
        assert!(text.contains("¥30,000") && text.contains("雇い止めで家賃が払えません。"), "{text}");
        assert!(!text.contains("森") && !text.contains("claimant@"), "the claimant is not named: {text}");
        let (_, html) = app.browser().page(&format!("/ballots/{ballot_id}")).await;
        assert!(!html.contains("森 ひかり"));
        let yes = ballot["options"].as_array().unwrap().iter().find(|o| o["role"] == "yes").unwrap()["id"].as_i64().unwrap();
        let vote_path = format!("/api/v1/ballots/{ballot_id}/vote");
        let (status, body) = call(&app, Some(&claimant), Method::PUT, &vote_path, Some(json!({"option_id": yes}))).await;
        assert!(status.is_client_error(), "the claimant does not vote on their own claim: {status} {body}");
        // The committee cannot decide it either.
        let (status, body) = call(&app, Some(&owner), Method::POST, &format!("/api/v1/fund/claims/{claim_id}/decisions"), Some(json!({"approve": true}))).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "decided_by_ballot");
        for voter in [&owner, &aki, &ken] {
            let (status, body) = call(&app, Some(voter), Method::PUT, &vote_path, Some(json!({"option_id": yes}))).await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }

        // After the close: the vote passed, but the fund holds ¥10,000 of ¥30,000.
        let closes = chrono::DateTime::parse_from_rfc3339(ballot["closes_at"].as_str().unwrap()).unwrap().with_timezone(&chrono::Utc);
        let after = closes + chrono::Duration::minutes(1);
        let ballots = tsunagari_app::Ballots::new(app.store.clone(), secret.clone());
        let fund = tsunagari_app::Fund::new(app.store.clone(), secret.clone());
        assert_eq!(ballots.run_due_work(after).await.unwrap().finalised, 1);
        assert_eq!(fund.settle_ballot_claims(after).await.unwrap(), 0, "not paid while the fund is short");
        let (_, page) = browser.page(&claim_path).await;
        assert!(page.contains("可決（賛成 3、反対 0、棄権 0）") && page.contains("拠出が集まりしだい、自動で給付されます"), "{page}");
        // Contributions arrive; the next run pays, once.
        let (status, _) = call(&app, Some(&ken), Method::POST, &format!("/api/v1/communities/{id}/fund/contributions"), Some(json!({"amount": 25000}))).await;
        assert_eq!(status, StatusCode::CREATED);
        let (first, second) = tokio::join!(fund.settle_ballot_claims(after), fund.settle_ballot_claims(after));
        assert_eq!(first.unwrap() + second.unwrap(), 1, "two servers settle it once");
        let (_, claim) = call(&app, Some(&claimant), Method::GET, &format!("/api/v1/fund/claims/{claim_id}"), None).await;
        assert_eq!(claim["status"], "paid");
        let (_, summary) = call(&app, Some(&aki), Method::GET, &format!("/api/v1/communities/{id}/fund"), None).await;
        assert_eq!(summary["balance"], 5000);
        assert_eq!(check_ledger(&db, id).await, 5000);
        let (_, notices) = call(&app, Some(&claimant), Method::GET, "/api/v1/notifications", None).await;
        assert!(notices.to_string().contains(&format!("/fund/claims/{claim_id}")), "the claimant is told: {notices}");

        // A claim the members vote down is turned down.
        let (_, second_claim) = call(&app, Some(&claimant), Method::POST, &format!("/api/v1/communities/{id}/fund/claims"), Some(json!({"amount": 1000, "reason": "交通費"}))).await;
        let second_ballot = second_claim["ballot_id"].as_i64().unwrap();
        let (_, ballot) = call(&app, Some(&ken), Method::GET, &format!("/api/v1/ballots/{second_ballot}"), None).await;
        let no = ballot["options"].as_array().unwrap().iter().find(|o| o["role"] == "no").unwrap()["id"].as_i64().unwrap();
        for voter in [&aki, &ken] {
            call(&app, Some(voter), Method::PUT, &format!("/api/v1/ballots/{second_ballot}/vote"), Some(json!({"option_id": no}))).await;
        }
        let closes = chrono::DateTime::parse_from_rfc3339(ballot["closes_at"].as_str().unwrap()).unwrap().with_timezone(&chrono::Utc);
        let after = closes + chrono::Duration::minutes(1);
        ballots.run_due_work(after).await.unwrap();
        assert_eq!(fund.settle_ballot_claims(after).await.unwrap(), 1);
        let (_, claim) = call(&app, Some(&claimant), Method::GET, &format!("/api/v1/fund/claims/{}", second_claim["id"]), None).await;
        assert_eq!(claim["status"], "rejected");

        // Back to the committee: new claims have no ballot; the page says who decides.
        let (status, _) = call(&app, Some(&owner), Method::PUT, &settings_path, Some(json!({"method": "committee"}))).await;
        assert_eq!(status, StatusCode::OK);
        let (_, third) = call(&app, Some(&claimant), Method::POST, &format!("/api/v1/communities/{id}/fund/claims"), Some(json!({"amount": 500, "reason": "文具"}))).await;
        assert!(third["ballot_id"].is_null());
        let (_, settings) = call(&app, Some(&owner), Method::PUT, &settings_path, Some(json!({"method": "committee"}))).await;
        assert_eq!((settings["ballot_days"].as_u64(), settings["ballot_quorum"].as_u64()), (Some(7), Some(0)), "defaults fill what the call leaves out");
    }
}
