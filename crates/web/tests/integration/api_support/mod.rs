//! Helpers shared by the HTTP tests of events, ballots, the co-op and union
//! tools: people with API tokens, a union, JSON calls, and many members at
//! once.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tsunagari_domain::community::{CommunityId, Membership, MembershipStatus, Role};
use tsunagari_domain::{
    ApiToken, DisplayName, Email, Locale, NewPassword, PasswordHash, UserTimeZone,
};
use tsunagari_store::NewAccount;

use crate::common::{self, PASSWORD, TestApp};

/// A person with an API token.
#[derive(Clone, Debug)]
pub struct Person {
    pub token: String,
    pub id: i64,
}

pub async fn person(app: &TestApp, email: &str, name: &str) -> Person {
    let (id, token) = common::api_account(app, email, name).await;
    Person { token, id }
}

/// A JSON call; `language` sets `Accept-Language`.
pub async fn call_in(
    app: &TestApp,
    who: Option<&Person>,
    language: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = app
        .api()
        .request(method, app.url(path))
        .header("accept-language", language);
    if let Some(who) = who {
        request = request.bearer_auth(&who.token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = send(request).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, value)
}

pub async fn call(
    app: &TestApp,
    who: Option<&Person>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    call_in(app, who, "ja", method, path, body).await
}

/// Sends a request; a failure to connect (many at once on a loaded
/// machine) is retried: the server never saw it, so nothing happens twice.
pub async fn send(request: reqwest::RequestBuilder) -> reqwest::Response {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match request.try_clone().expect("no streaming body").send().await {
            Ok(response) => return response,
            Err(error) if error.is_connect() && attempt < 8 => {
                tokio::time::sleep(std::time::Duration::from_millis(100 * attempt)).await;
            }
            Err(error) => panic!("request failed: {error:?}"),
        }
    }
}

/// A community created through the API by `owner` from `body` (the
/// create request's JSON); its id.
pub async fn create_community(app: &TestApp, owner: &Person, body: Value) -> i64 {
    let (status, body) = call(
        app,
        Some(owner),
        Method::POST,
        "/api/v1/communities",
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

/// `who` joins the open community `id`.
pub async fn join(app: &TestApp, who: &Person, id: i64) {
    let (status, body) = call(
        app,
        Some(who),
        Method::POST,
        &format!("/api/v1/communities/{id}/members"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// A union whose owner is `owner`, with `members` joined (open membership).
pub async fn union(app: &TestApp, owner: &Person, members: &[&Person], visibility: &str) -> i64 {
    let id = create_community(
        app,
        owner,
        json!({"kind": "union", "name": "みなと地域ユニオン", "visibility": visibility, "membership": "open"}),
    )
    .await;
    for member in members {
        join(app, member, id).await;
    }
    id
}

/// Switches a tool of the union on or off (as its owner).
pub async fn switch(app: &TestApp, owner: &Person, union: i64, tool: &str, on: bool) {
    let (status, body) = call(
        app,
        Some(owner),
        Method::PUT,
        &format!("/api/v1/communities/{union}/tools/{tool}"),
        Some(json!({"enabled": on})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Many members at once, straight through the store: one password hash
/// shared by all, so a crowd costs one argon2 run.
pub async fn crowd(app: &TestApp, community: i64, count: usize, prefix: &str) -> Vec<Person> {
    let hash = tokio::task::spawn_blocking(|| {
        PasswordHash::create(&NewPassword::parse(PASSWORD, &[]).unwrap())
    })
    .await
    .unwrap();
    let mut people = Vec::new();
    for n in 0..count {
        let now = tsunagari_domain::time::now();
        let email = format!("{prefix}{n}@example.jp");
        let account = app
            .store
            .create_account(&NewAccount {
                email: Email::parse(&email).unwrap(),
                display_name: DisplayName::parse(&format!("メンバー {prefix}{n}")).unwrap(),
                password_hash: hash.clone(),
                locale: Locale::Ja,
                time_zone: UserTimeZone::default(),
                now,
            })
            .await
            .unwrap();
        let token = ApiToken::generate();
        app.store
            .create_api_token(account.id, &token.hash(), "test", now)
            .await
            .unwrap();
        app.store
            .add_membership(&Membership {
                community_id: CommunityId(community),
                user_id: account.id,
                role: Role::Member,
                status: MembershipStatus::Active,
                join_answer: None,
                joined_at: now,
            })
            .await
            .unwrap();
        people.push(Person {
            token: token.expose(),
            id: account.id.0,
        });
    }
    people
}

/// The first message of a field in an error envelope.
pub fn field_message(body: &Value, field: &str) -> String {
    body["error"]["fields"][field][0]
        .as_str()
        .unwrap_or_else(|| panic!("no message for {field}: {body}"))
        .to_owned()
}
