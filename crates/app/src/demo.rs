//! Demo data: a handful of people with Japanese names, so a fresh server
//! has something to look at. Later capabilities add their own demo content
//! here (communities, events…). Loaded only into an empty database.

use tsunagari_domain::Locale;

use crate::{Accounts, AppError, SignUp};

/// The password every demo account shares, printed by `tsunagari demo`.
pub const DEMO_PASSWORD: &str = "tsunagari-demo-2026";

/// The demo people: e-mail, display name, language.
pub const DEMO_PEOPLE: &[(&str, &str, Locale)] = &[
    ("sato.aoi@example.jp", "佐藤 葵", Locale::Ja),
    ("suzuki.haruto@example.jp", "鈴木 陽翔", Locale::Ja),
    ("takahashi.mei@example.jp", "高橋 芽衣", Locale::Ja),
    ("tanaka.ren@example.jp", "田中 蓮", Locale::Ja),
    ("ito.yui@example.jp", "伊藤 結衣", Locale::Ja),
    ("watanabe.sota@example.jp", "渡辺 蒼太", Locale::Ja),
    ("emma.clark@example.com", "Emma Clark", Locale::En),
];

/// What loading demo data did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoOutcome {
    /// The demo people were created.
    Loaded {
        /// How many accounts.
        accounts: usize,
    },
    /// The database already had accounts; nothing was changed.
    SkippedNotEmpty,
}

/// Loads the demo data into an empty database.
pub async fn load(accounts: &Accounts) -> Result<DemoOutcome, AppError> {
    if accounts.store().count_accounts().await? > 0 {
        return Ok(DemoOutcome::SkippedNotEmpty);
    }
    for (email, name, locale) in DEMO_PEOPLE {
        let form = SignUp {
            email: (*email).to_owned(),
            display_name: (*name).to_owned(),
            password: DEMO_PASSWORD.to_owned(),
            locale: Some(locale.tag().to_owned()),
        };
        accounts.sign_up(form, *locale).await?;
    }
    Ok(DemoOutcome::Loaded {
        accounts: DEMO_PEOPLE.len(),
    })
}
