//! Set-up shared by the contract modules: people, communities with members.

use tsunagari_domain::community::{
    CommunityDraft, CommunityId, CommunityKind, Membership, MembershipStatus, Role,
};
use tsunagari_domain::time::now;
use tsunagari_domain::{
    DisplayName, Email, Locale, NewPassword, PasswordHash, Timestamp, UserId, UserTimeZone,
};
use tsunagari_store::{NewAccount, Store};

/// `count` accounts, `p0@example.jp` … named `{name} 0` …, sharing one
/// password hash (hashing is the slow part).
pub async fn people(store: &dyn Store, count: usize, name: &str) -> Vec<UserId> {
    let hash = PasswordHash::create(&NewPassword::parse("kawa-no-nagare-2026", &[]).unwrap());
    let mut ids = Vec::new();
    for n in 0..count {
        let account = store
            .create_account(&NewAccount {
                email: Email::parse(&format!("p{n}@example.jp")).unwrap(),
                display_name: DisplayName::parse(&format!("{name} {n}")).unwrap(),
                password_hash: hash.clone(),
                locale: Locale::Ja,
                time_zone: UserTimeZone::default(),
                now: now(),
            })
            .await
            .unwrap();
        ids.push(account.id);
    }
    ids
}

/// `user` becomes an active member of `community` with `role`, as of `at`.
pub async fn join(
    store: &dyn Store,
    community: CommunityId,
    user: UserId,
    role: Role,
    at: Timestamp,
) {
    store
        .add_membership(&Membership {
            community_id: community,
            user_id: user,
            role,
            status: MembershipStatus::Active,
            join_answer: None,
            joined_at: at,
        })
        .await
        .unwrap();
}

/// An open community of `kind` owned by `owner`, with `members` as active
/// members from now on.
pub async fn community_with(
    store: &dyn Store,
    kind: CommunityKind,
    name: &str,
    visibility: &str,
    owner: UserId,
    members: &[UserId],
) -> CommunityId {
    let draft = CommunityDraft {
        name: name.into(),
        visibility: visibility.into(),
        membership: "open".into(),
        ..Default::default()
    };
    let profile = draft.validate(kind).unwrap();
    let c = store
        .create_community(kind, &profile, None, owner, now())
        .await
        .unwrap();
    for member in members {
        join(store, c.id, *member, Role::Member, now()).await;
    }
    c.id
}
