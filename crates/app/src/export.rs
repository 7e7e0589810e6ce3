//! "Export my data": everything stored about a person, as JSON.
//!
//! The export has its own serde types (the domain's are not `Serialize`),
//! and is versioned so later capabilities can add sections without breaking
//! readers.

use serde::Serialize;
use tsunagari_domain::{Account, Timestamp};
use tsunagari_store::{ApiTokenRecord, SessionRecord};

/// The downloadable record of one person.
#[derive(Debug, Serialize)]
pub struct AccountExport {
    /// Format identifier.
    pub format: &'static str,
    /// When the export was made (UTC).
    pub exported_at: Timestamp,
    /// The account itself.
    pub account: ExportedAccount,
    /// Signed-in sessions (without their secrets).
    pub sessions: Vec<ExportedSession>,
    /// Personal access tokens (without their secrets).
    pub api_tokens: Vec<ExportedApiToken>,
}

/// The account section. The password hash is left out on purpose: it is a
/// secret of the server's, not information about the person.
#[derive(Debug, Serialize)]
pub struct ExportedAccount {
    /// Id.
    pub id: i64,
    /// E-mail address.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Interface language.
    pub locale: &'static str,
    /// Time zone.
    pub time_zone: &'static str,
    /// Created (UTC).
    pub created_at: Timestamp,
    /// Last changed (UTC).
    pub updated_at: Timestamp,
}

/// One session.
#[derive(Debug, Serialize)]
pub struct ExportedSession {
    /// Started (UTC).
    pub created_at: Timestamp,
    /// Last used (UTC).
    pub last_seen_at: Timestamp,
    /// Absolute end (UTC).
    pub expires_at: Timestamp,
    /// Browser.
    pub user_agent: String,
    /// Address.
    pub client_ip: String,
}

/// One access token.
#[derive(Debug, Serialize)]
pub struct ExportedApiToken {
    /// Label.
    pub label: String,
    /// Created (UTC).
    pub created_at: Timestamp,
    /// Last used (UTC).
    pub last_used_at: Option<Timestamp>,
}

impl AccountExport {
    pub(crate) fn new(
        account: &Account,
        sessions: &[SessionRecord],
        tokens: &[ApiTokenRecord],
        now: Timestamp,
    ) -> AccountExport {
        AccountExport {
            format: "tsunagari-account-export/1",
            exported_at: now,
            account: ExportedAccount {
                id: account.id.0,
                email: account.email.as_str().to_owned(),
                display_name: account.display_name.as_str().to_owned(),
                locale: account.locale.tag(),
                time_zone: account.time_zone.name(),
                created_at: account.created_at,
                updated_at: account.updated_at,
            },
            sessions: sessions
                .iter()
                .map(|s| ExportedSession {
                    created_at: s.created_at,
                    last_seen_at: s.last_seen_at,
                    expires_at: s.expires_at,
                    user_agent: s.user_agent.clone(),
                    client_ip: s.client_ip.clone(),
                })
                .collect(),
            api_tokens: tokens
                .iter()
                .map(|t| ExportedApiToken {
                    label: t.label.clone(),
                    created_at: t.created_at,
                    last_used_at: t.last_used_at,
                })
                .collect(),
        }
    }
}
