//! "Export my data": everything stored about a person, as JSON.
//!
//! The export has its own serde types (the domain's are not `Serialize`),
//! and is versioned so later capabilities can add sections without breaking
//! readers.

use serde::Serialize;
use tsunagari_domain::{Account, Timestamp};
use tsunagari_store::{ApiTokenRecord, AuthoredPost, SessionRecord};

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
    /// Communities the person belongs to, with their introduction there.
    pub communities: Vec<ExportedMembership>,
    /// Event registrations.
    pub event_registrations: Vec<ExportedRegistration>,
    /// Threads and replies the person wrote.
    pub posts: Vec<ExportedPost>,
    /// In-app notifications (the latest 500).
    pub notifications: Vec<ExportedNotification>,
    /// Saved self-check results, newest first, with their answers.
    pub self_checks: Vec<ExportedSelfCheck>,
    /// The person's lines on co-op share registers, oldest first.
    pub share_entries: Vec<ExportedShareEntry>,
    /// Opinions the person sent (anonymous ones included: they are the
    /// person's own), with every response.
    pub opinions: Vec<ExportedOpinion>,
    /// Ballots the person could vote in: whether they voted, and their
    /// choice in named ballots only (a secret ballot's choice is stored
    /// without the voter, so it cannot be exported).
    pub ballots: Vec<ExportedBallotParticipation>,
    /// Counselling requests the person made, with their threads.
    pub counselling_requests: Vec<crate::union_export::ExportedCounsellingRequest>,
    /// Petitions the person signed.
    pub petition_signatures: Vec<crate::union_export::ExportedSignature>,
    /// The person's contributions to solidarity funds.
    pub fund_contributions: Vec<crate::union_export::ExportedContribution>,
    /// The person's claims on solidarity funds.
    pub fund_claims: Vec<crate::union_export::ExportedClaim>,
    /// Claims of organisation-directory listings, newest first.
    pub organisation_claims: Vec<ExportedOrganisationClaim>,
}

/// One claim of a directory listing.
#[derive(Debug, Serialize)]
pub struct ExportedOrganisationClaim {
    /// Id.
    pub id: i64,
    /// The listing's slug.
    pub organisation: String,
    /// The message sent with it.
    pub message: String,
    /// `pending`, `approved`, `declined` or `superseded`.
    pub status: &'static str,
    /// The operator's reason, when declined.
    pub reason: Option<String>,
    /// Made (UTC).
    pub created_at: Timestamp,
    /// Decided (UTC).
    pub decided_at: Option<Timestamp>,
}

/// One line of a co-op's share register about the person.
#[derive(Debug, Serialize)]
pub struct ExportedShareEntry {
    /// Entry number.
    pub id: i64,
    /// The co-op.
    pub community_id: i64,
    /// Its name.
    pub community_name: String,
    /// `subscribe`, `payment`, `refund` or `reversal`.
    pub kind: &'static str,
    /// Change in units held.
    pub units: i64,
    /// Change in the yen value subscribed.
    pub subscribed: i64,
    /// Change in the yen paid in.
    pub paid: i64,
    /// Unit price of a subscription.
    pub unit_price: Option<i64>,
    /// The entry a reversal cancels.
    pub reverses: Option<i64>,
    /// Note.
    pub note: String,
    /// When it was recorded (UTC).
    pub recorded_at: Timestamp,
}

/// One opinion the person sent.
#[derive(Debug, Serialize)]
pub struct ExportedOpinion {
    /// Id.
    pub id: i64,
    /// The community.
    pub community_id: i64,
    /// Its name.
    pub community_name: String,
    /// Title.
    pub title: String,
    /// The opinion.
    pub body: String,
    /// Sent without a name.
    pub anonymous: bool,
    /// Where it stands.
    pub status: &'static str,
    /// Sent (UTC).
    pub created_at: Timestamp,
    /// The organisers' responses, oldest first.
    pub responses: Vec<ExportedOpinionResponse>,
}

/// One response to the person's opinion.
#[derive(Debug, Serialize)]
pub struct ExportedOpinionResponse {
    /// The status it set.
    pub status: &'static str,
    /// What was said.
    pub body: String,
    /// When (UTC).
    pub created_at: Timestamp,
}

/// One ballot the person was in the electorate of.
#[derive(Debug, Serialize)]
pub struct ExportedBallotParticipation {
    /// Ballot id.
    pub ballot_id: i64,
    /// Its community.
    pub community_id: i64,
    /// Its title.
    pub title: String,
    /// Secret ballot.
    pub secret: bool,
    /// Whether they voted; null for a secret ballot still open (recorded
    /// when it closes).
    pub voted: Option<bool>,
    /// Their counted option (named ballots only).
    pub option_id: Option<i64>,
}

/// One saved self-check.
#[derive(Debug, Serialize)]
pub struct ExportedSelfCheck {
    /// Id.
    pub id: i64,
    /// When it was taken (UTC).
    pub created_at: Timestamp,
    /// The answers, by item id.
    pub answers: serde_json::Value,
    /// Ties outside the employer.
    pub mutual_support_ties: u32,
    /// Gave up a career challenge or preparation.
    pub gave_up_career_move: bool,
    /// Sub-scores: future confidence, curiosity, self-determination.
    pub adaptability: [u8; 3],
}

/// One membership.
#[derive(Debug, Serialize)]
pub struct ExportedMembership {
    /// Community id.
    pub community_id: i64,
    /// Its name.
    pub community_name: String,
    /// `owner`, `organiser` or `member`.
    pub role: &'static str,
    /// The member's introduction in that community, when saved.
    pub profile: Option<ExportedProfile>,
    /// Volunteer roles held there.
    pub volunteer_roles: Vec<String>,
}

/// A member's introduction and who may see each part.
#[derive(Debug, Serialize)]
pub struct ExportedProfile {
    /// Occupation.
    pub occupation: String,
    /// Prefecture code.
    pub prefecture: Option<&'static str>,
    /// Introduction.
    pub bio: String,
    /// Visibility of name, occupation, region and introduction.
    pub visibility: [&'static str; 4],
}

/// One event registration.
#[derive(Debug, Serialize)]
pub struct ExportedRegistration {
    /// Event id.
    pub event_id: i64,
    /// Its title.
    pub title: String,
    /// When it starts (UTC).
    pub starts_at: Timestamp,
    /// `confirmed` or `waitlisted`.
    pub status: &'static str,
}

/// One post.
#[derive(Debug, Serialize)]
pub struct ExportedPost {
    /// `thread` or `reply`.
    pub kind: &'static str,
    /// Id.
    pub id: i64,
    /// Its thread.
    pub thread_id: i64,
    /// Title (threads).
    pub title: Option<String>,
    /// Markdown body.
    pub body: String,
    /// `visible`, `hidden`, `removed` or `deleted`.
    pub state: String,
    /// Posted (UTC).
    pub created_at: Timestamp,
}

/// One notification.
#[derive(Debug, Serialize)]
pub struct ExportedNotification {
    /// What happened.
    pub kind: &'static str,
    /// What it was about.
    pub subject: String,
    /// Where.
    pub link: String,
    /// When (UTC).
    pub created_at: Timestamp,
    /// When read (UTC).
    pub read_at: Option<Timestamp>,
}

impl From<AuthoredPost> for ExportedPost {
    fn from(post: AuthoredPost) -> Self {
        ExportedPost {
            kind: post.kind,
            id: post.id,
            thread_id: post.thread_id,
            title: post.title,
            body: post.body,
            state: post.state,
            created_at: post.created_at,
        }
    }
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
            communities: Vec::new(),
            event_registrations: Vec::new(),
            posts: Vec::new(),
            notifications: Vec::new(),
            self_checks: Vec::new(),
            share_entries: Vec::new(),
            opinions: Vec::new(),
            ballots: Vec::new(),
            counselling_requests: Vec::new(),
            petition_signatures: Vec::new(),
            fund_contributions: Vec::new(),
            fund_claims: Vec::new(),
            organisation_claims: Vec::new(),
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
