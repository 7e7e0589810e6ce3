//! Accounts: sign-up, login with back-off, sessions, access tokens,
//! profile and password changes, export and deletion.

use std::net::IpAddr;
use std::sync::Arc;

use tsunagari_domain::login_throttle::ThrottleKey;
use tsunagari_domain::time::now;
use tsunagari_domain::{
    Account, ApiToken, DisplayName, Email, Locale, LoginThrottle, NewPassword, PasswordHash,
    SecretToken, SessionId, SessionPolicy, SessionToken, UserTimeZone,
};
use tsunagari_store::{
    ApiTokenRecord, Conflict, NewAccount, NewSession, ProfileUpdate, SessionRecord, Store,
    StoreError,
};

use crate::export::AccountExport;
use crate::{AppError, Field, FieldErrors, FieldProblem};

/// Who is asking: recorded on sessions and used for the login back-off.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    /// The client's address.
    pub ip: IpAddr,
    /// The browser's description of itself (shortened).
    pub user_agent: String,
}

/// A sign-up form or request, as typed.
#[derive(Debug, Clone, Default)]
pub struct SignUp {
    /// E-mail address.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Chosen password.
    pub password: String,
    /// Language tag; the request's language when absent.
    pub locale: Option<String>,
}

/// A profile change, as typed.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    /// Display name.
    pub display_name: String,
    /// Language tag.
    pub locale: String,
    /// IANA time zone name.
    pub time_zone: String,
}

/// A successful login: the account and the new session's secret, to be set
/// as a cookie.
#[derive(Debug)]
pub struct SignedIn {
    /// Who signed in.
    pub account: Account,
    /// The session cookie's value.
    pub token: SessionToken,
    /// The stored session.
    pub session: SessionRecord,
}

/// The account use cases.
#[derive(Clone)]
pub struct Accounts {
    store: Arc<dyn Store>,
    sessions: SessionPolicy,
    throttle: LoginThrottle,
}

impl Accounts {
    /// Account use cases over a store, with the default policies.
    pub fn new(store: Arc<dyn Store>) -> Accounts {
        Accounts {
            store,
            sessions: SessionPolicy::default(),
            throttle: LoginThrottle::default(),
        }
    }

    /// The store, for the other use cases that share it.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Creates an account. All field problems are reported together.
    #[tracing::instrument(skip_all)]
    pub async fn sign_up(&self, form: SignUp, default_locale: Locale) -> Result<Account, AppError> {
        let mut errors = FieldErrors::default();
        let email = errors.check(Field::Email, Email::parse(&form.email), FieldProblem::Email);
        let display_name = errors.check(
            Field::DisplayName,
            DisplayName::parse(&form.display_name),
            FieldProblem::DisplayName,
        );
        let personal = [
            email.as_ref().map_or("", |e| e.local_part()),
            display_name.as_ref().map_or("", |d| d.as_str()),
        ];
        let password = errors.check(
            Field::Password,
            NewPassword::parse(&form.password, &personal),
            FieldProblem::Password,
        );
        let locale = match form
            .locale
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            None => Some(default_locale),
            Some(tag) => errors.check(Field::Locale, Locale::parse(tag).ok_or(()), |_| {
                FieldProblem::UnknownLocale
            }),
        };
        let (Some(email), Some(display_name), Some(password), Some(locale)) =
            (email, display_name, password, locale)
        else {
            return Err(AppError::Invalid(errors));
        };
        let password_hash = hash_password(password).await;
        let new = NewAccount {
            email,
            display_name,
            password_hash,
            locale,
            time_zone: UserTimeZone::default(),
            now: now(),
        };
        match self.store.create_account(&new).await {
            Ok(account) => {
                tracing::info!(user_id = account.id.0, "account created");
                Ok(account)
            }
            Err(StoreError::Conflict(Conflict::EmailTaken)) => Err(AppError::EmailTaken),
            Err(other) => Err(other.into()),
        }
    }

    /// Checks an e-mail and password under the login back-off. Every
    /// failure counts against both the client address and the address
    /// typed; success clears the account's count.
    #[tracing::instrument(skip_all, fields(ip = %client.ip))]
    pub async fn verify_credentials(
        &self,
        email: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<Account, AppError> {
        let current = now();
        let email = Email::parse(email).ok();
        let mut keys = vec![ThrottleKey::Client(client.ip).storage_key()];
        if let Some(email) = &email {
            keys.push(ThrottleKey::Account(email.clone()).storage_key());
        }
        let mut wait = None;
        for key in &keys {
            let record = self.store.throttle(key).await?;
            wait = wait.max(self.throttle.retry_after(record.locked_until, current));
        }
        if let Some(retry_after_secs) = wait {
            return Err(AppError::Throttled { retry_after_secs });
        }

        let found = match &email {
            Some(email) => self.store.account_with_password(email).await?,
            None => None,
        };
        let password = password.to_owned();
        let verified = match found {
            Some((account, hash)) => {
                let ok = tokio::task::spawn_blocking(move || hash.verify(&password))
                    .await
                    .unwrap_or(false);
                ok.then_some(account)
            }
            None => {
                // Spend the same time as for a real account.
                let _ =
                    tokio::task::spawn_blocking(move || PasswordHash::decoy().verify(&password))
                        .await;
                None
            }
        };

        match verified {
            Some(account) => {
                if let Some(account_key) = keys.get(1) {
                    self.store.clear(account_key).await?;
                }
                Ok(account)
            }
            None => {
                let mut locked_for = None;
                for key in &keys {
                    let failures = self
                        .store
                        .record_failure(key, current, self.throttle.forget_before(current))
                        .await?;
                    if let Some(lock) = self.throttle.lock_after(failures) {
                        self.store.lock(key, current + lock).await?;
                        locked_for = locked_for.max(Some(lock.num_seconds().max(1) as u64));
                    }
                }
                tracing::info!("login failed");
                match locked_for {
                    Some(retry_after_secs) => Err(AppError::Throttled { retry_after_secs }),
                    None => Err(AppError::BadCredentials),
                }
            }
        }
    }

    /// Logs in and starts a new browser session (always a fresh id).
    pub async fn log_in(
        &self,
        email: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<SignedIn, AppError> {
        let account = self.verify_credentials(email, password, client).await?;
        self.start_session(account, client).await
    }

    /// Starts a browser session for an account that just proved who it is.
    pub async fn start_session(
        &self,
        account: Account,
        client: &ClientInfo,
    ) -> Result<SignedIn, AppError> {
        let token = SessionToken::generate();
        let created_at = now();
        let session = self
            .store
            .create_session(&NewSession {
                user_id: account.id,
                token_hash: token.hash(),
                created_at,
                expires_at: self.sessions.expires_at(created_at),
                user_agent: client.user_agent.chars().take(200).collect(),
                client_ip: client.ip.to_string(),
            })
            .await?;
        tracing::info!(
            user_id = account.id.0,
            session_id = session.id.0,
            "session started"
        );
        Ok(SignedIn {
            account,
            token,
            session,
        })
    }

    /// The account and session a session cookie belongs to, while the
    /// session is active. An expired session is deleted on sight.
    pub async fn session(
        &self,
        cookie: &str,
    ) -> Result<Option<(Account, SessionRecord)>, AppError> {
        let Some(token) = SecretToken::from_presented(cookie) else {
            return Ok(None);
        };
        let Some(session) = self.store.session_by_token(&token.hash()).await? else {
            return Ok(None);
        };
        let current = now();
        if !self
            .sessions
            .is_active(session.expires_at, session.last_seen_at, current)
        {
            self.store
                .delete_session(session.user_id, session.id)
                .await?;
            return Ok(None);
        }
        if self.sessions.needs_touch(session.last_seen_at, current) {
            self.store.touch_session(session.id, current).await?;
        }
        Ok(self
            .store
            .account(session.user_id)
            .await?
            .map(|account| (account, session)))
    }

    /// Ends one of a person's sessions (logging out is ending the current one).
    pub async fn end_session(&self, account: &Account, session: SessionId) -> Result<(), AppError> {
        if self.store.delete_session(account.id, session).await? {
            tracing::info!(
                user_id = account.id.0,
                session_id = session.0,
                "session ended"
            );
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// A person's active sessions, newest first.
    pub async fn sessions_of(&self, account: &Account) -> Result<Vec<SessionRecord>, AppError> {
        let current = now();
        Ok(self
            .store
            .sessions_of(account.id)
            .await?
            .into_iter()
            .filter(|s| {
                self.sessions
                    .is_active(s.expires_at, s.last_seen_at, current)
            })
            .collect())
    }

    /// Removes sessions that can no longer be used; run periodically.
    pub async fn delete_expired_sessions(&self) -> Result<u64, AppError> {
        let current = now();
        Ok(self
            .store
            .delete_expired_sessions(current, current - self.sessions.idle)
            .await?)
    }

    /// Issues a personal access token after checking the password.
    pub async fn issue_api_token(
        &self,
        email: &str,
        password: &str,
        label: &str,
        client: &ClientInfo,
    ) -> Result<(Account, ApiToken), AppError> {
        let account = self.verify_credentials(email, password, client).await?;
        let token = ApiToken::generate();
        let label: String = label.trim().chars().take(100).collect();
        self.store
            .create_api_token(account.id, &token.hash(), &label, now())
            .await?;
        tracing::info!(user_id = account.id.0, "api token issued");
        Ok((account, token))
    }

    /// The account a bearer token belongs to.
    pub async fn account_for_api_token(&self, bearer: &str) -> Result<Option<Account>, AppError> {
        let Some(token) = ApiToken::from_presented(bearer) else {
            return Ok(None);
        };
        let Some(record) = self.store.api_token(&token.hash()).await? else {
            return Ok(None);
        };
        let current = now();
        if record
            .last_used_at
            .is_none_or(|used| self.sessions.needs_touch(used, current))
        {
            self.store.touch_api_token(record.id, current).await?;
        }
        Ok(self.store.account(record.user_id).await?)
    }

    /// A person's access tokens.
    pub async fn api_tokens_of(&self, account: &Account) -> Result<Vec<ApiTokenRecord>, AppError> {
        Ok(self.store.api_tokens_of(account.id).await?)
    }

    /// Revokes one of a person's access tokens.
    pub async fn revoke_api_token(&self, account: &Account, id: i64) -> Result<(), AppError> {
        if self.store.delete_api_token(account.id, id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Saves name, language and time zone.
    pub async fn change_profile(
        &self,
        account: &Account,
        change: ProfileChange,
    ) -> Result<Account, AppError> {
        let mut errors = FieldErrors::default();
        let display_name = errors.check(
            Field::DisplayName,
            DisplayName::parse(&change.display_name),
            FieldProblem::DisplayName,
        );
        let locale = errors.check(
            Field::Locale,
            Locale::parse(&change.locale).ok_or(()),
            |_| FieldProblem::UnknownLocale,
        );
        let time_zone = errors.check(
            Field::TimeZone,
            UserTimeZone::parse(&change.time_zone),
            |_| FieldProblem::UnknownTimeZone,
        );
        let (Some(display_name), Some(locale), Some(time_zone)) = (display_name, locale, time_zone)
        else {
            return Err(AppError::Invalid(errors));
        };
        let update = ProfileUpdate {
            display_name,
            locale,
            time_zone,
        };
        Ok(self
            .store
            .update_profile(account.id, &update, now())
            .await?)
    }

    /// Saves only the language (from the language switcher).
    pub async fn change_locale(
        &self,
        account: &Account,
        locale: Locale,
    ) -> Result<Account, AppError> {
        let update = ProfileUpdate {
            display_name: account.display_name.clone(),
            locale,
            time_zone: account.time_zone,
        };
        Ok(self
            .store
            .update_profile(account.id, &update, now())
            .await?)
    }

    /// Changes the password after checking the current one, and ends every
    /// other session so a stolen session dies with the old password.
    /// Returns how many other sessions were ended.
    pub async fn change_password(
        &self,
        account: &Account,
        keep: Option<SessionId>,
        current_password: &str,
        new_password: &str,
        confirmation: &str,
    ) -> Result<u64, AppError> {
        let mut errors = FieldErrors::default();
        let personal = [account.email.local_part(), account.display_name.as_str()];
        let password = errors.check(
            Field::Password,
            NewPassword::parse(new_password, &personal),
            FieldProblem::Password,
        );
        if new_password != confirmation {
            errors.add(Field::PasswordConfirmation, FieldProblem::Mismatch);
        }
        if !self.password_matches(account, current_password).await? {
            errors.add(Field::CurrentPassword, FieldProblem::WrongPassword);
        }
        AppError::invalid_if_any(errors.clone())?;
        let Some(password) = password else {
            return Err(AppError::Invalid(errors));
        };
        let hash = hash_password(password).await;
        self.store
            .set_password_hash(account.id, &hash, now())
            .await?;
        let ended = self.store.delete_other_sessions(account.id, keep).await?;
        tracing::info!(user_id = account.id.0, ended, "password changed");
        Ok(ended)
    }

    async fn password_matches(&self, account: &Account, password: &str) -> Result<bool, AppError> {
        let hash = self
            .store
            .password_hash(account.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let password = password.to_owned();
        Ok(tokio::task::spawn_blocking(move || hash.verify(&password))
            .await
            .unwrap_or(false))
    }

    /// Deletes the account and everything stored only about it, after the
    /// person confirmed with their password (browser) or a valid token (API).
    pub async fn delete_account(
        &self,
        account: &Account,
        confirmation: DeletionConfirmation<'_>,
    ) -> Result<(), AppError> {
        if let DeletionConfirmation::Password {
            password,
            understood,
        } = confirmation
        {
            let mut errors = FieldErrors::default();
            if !understood {
                errors.add(Field::Confirmation, FieldProblem::Required);
            }
            if !self.password_matches(account, password).await? {
                errors.add(Field::CurrentPassword, FieldProblem::WrongPassword);
            }
            AppError::invalid_if_any(errors)?;
        }
        // A community must never be left without an owner.
        let owned = self.store.communities_of(account.id).await?;
        if owned
            .iter()
            .any(|(_, role)| *role == tsunagari_domain::community::Role::Owner)
        {
            return Err(AppError::Forbidden(crate::Denial::OwnsCommunities));
        }
        if !self.store.delete_account(account.id).await? {
            return Err(AppError::NotFound);
        }
        tracing::info!(user_id = account.id.0, "account deleted");
        Ok(())
    }

    /// Everything stored about a person, for download.
    pub async fn export(&self, account: &Account) -> Result<AccountExport, AppError> {
        use crate::export::{
            ExportedMembership, ExportedNotification, ExportedProfile, ExportedRegistration,
        };
        let sessions = self.store.sessions_of(account.id).await?;
        let tokens = self.store.api_tokens_of(account.id).await?;
        let mut export = AccountExport::new(account, &sessions, &tokens, now());
        for (listing, role) in self.store.communities_of(account.id).await? {
            let community = &listing.community;
            let profile = self
                .store
                .member_profile(community.id, account.id)
                .await?
                .map(|p| ExportedProfile {
                    occupation: p.occupation,
                    prefecture: p.prefecture.map(|p| p.code()),
                    bio: p.bio,
                    visibility: [
                        p.name_visibility.as_str(),
                        p.occupation_visibility.as_str(),
                        p.region_visibility.as_str(),
                        p.bio_visibility.as_str(),
                    ],
                });
            let volunteer_roles = self
                .store
                .volunteer_roles(community.id)
                .await?
                .into_iter()
                .filter(|entry| {
                    entry
                        .holders
                        .iter()
                        .any(|(holder, _)| *holder == account.id)
                })
                .map(|entry| entry.role.name)
                .collect();
            export.communities.push(ExportedMembership {
                community_id: community.id.0,
                community_name: community.profile.name.clone(),
                role: role.as_str(),
                profile,
                volunteer_roles,
            });
        }
        export.self_checks = self
            .store
            .self_check_results(account.id)
            .await?
            .into_iter()
            .map(|r| crate::export::ExportedSelfCheck {
                id: r.id,
                created_at: r.created_at,
                answers: serde_json::from_str(&r.answers_json).unwrap_or(serde_json::Value::Null),
                mutual_support_ties: r.summary.mutual_support_ties,
                gave_up_career_move: r.summary.gave_up_career_move,
                adaptability: [
                    r.summary.future_confidence,
                    r.summary.curiosity,
                    r.summary.self_determination,
                ],
            })
            .collect();
        // Past registrations too: any date before the platform existed.
        let since = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        for (listing, status) in self.store.events_of(account.id, since).await? {
            export.event_registrations.push(ExportedRegistration {
                event_id: listing.event.id.0,
                title: listing.event.details.title.clone(),
                starts_at: listing.event.details.starts_at,
                status: status.as_str(),
            });
        }
        export.posts = self
            .store
            .authored_posts(account.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
        export.notifications = self
            .store
            .notifications_of(account.id, 500)
            .await?
            .into_iter()
            .map(|n| ExportedNotification {
                kind: n.kind.as_str(),
                subject: n.subject,
                link: n.link,
                created_at: n.created_at,
                read_at: n.read_at,
            })
            .collect();
        export.share_entries = self
            .store
            .share_entries_of(account.id)
            .await?
            .into_iter()
            .map(|(community_name, e)| crate::export::ExportedShareEntry {
                id: e.id.0,
                community_id: e.community_id.0,
                community_name,
                kind: e.kind.as_str(),
                units: e.delta.units,
                subscribed: e.delta.subscribed,
                paid: e.delta.paid,
                unit_price: e.unit_price.map(|p| p.yen()),
                reverses: e.reverses.map(|r| r.0),
                note: e.note,
                recorded_at: e.recorded_at,
            })
            .collect();
        export.opinions = self
            .store
            .opinions_of(account.id)
            .await?
            .into_iter()
            .map(
                |(community_name, listing, responses)| crate::export::ExportedOpinion {
                    id: listing.opinion.id.0,
                    community_id: listing.opinion.community_id.0,
                    community_name,
                    title: listing.opinion.title,
                    body: listing.opinion.body,
                    anonymous: listing.opinion.anonymous,
                    status: listing.status.as_str(),
                    created_at: listing.opinion.created_at,
                    responses: responses
                        .into_iter()
                        .map(|r| crate::export::ExportedOpinionResponse {
                            status: r.status.as_str(),
                            body: r.body,
                            created_at: r.created_at,
                        })
                        .collect(),
                },
            )
            .collect();
        export.ballots = self
            .store
            .participation_of(account.id)
            .await?
            .into_iter()
            .map(|p| crate::export::ExportedBallotParticipation {
                ballot_id: p.ballot_id.0,
                community_id: p.community_id.0,
                title: p.title,
                secret: p.secret,
                voted: p.voted,
                option_id: p.choice.map(|o| o.0),
            })
            .collect();
        crate::union_export::add_union_records(self.store.as_ref(), account, &mut export).await?;
        export.organisation_claims = self
            .store
            .organisation_claims_of(account.id)
            .await?
            .into_iter()
            .map(|c| crate::export::ExportedOrganisationClaim {
                id: c.claim.id.0,
                organisation: c.listing_slug,
                message: c.claim.message,
                status: c.claim.status.as_str(),
                reason: c.claim.reason,
                created_at: c.claim.created_at,
                decided_at: c.claim.decided_at,
            })
            .collect();
        Ok(export)
    }
}

/// How a person confirmed that they want their account deleted.
#[derive(Debug, Clone, Copy)]
pub enum DeletionConfirmation<'a> {
    /// In the browser: the password and an "I understand" box.
    Password {
        /// The current password.
        password: &'a str,
        /// Whether the box was ticked.
        understood: bool,
    },
    /// Over the API with a valid personal access token.
    ApiToken,
}

async fn hash_password(password: NewPassword) -> PasswordHash {
    tokio::task::spawn_blocking(move || PasswordHash::create(&password))
        .await
        .expect("password hashing does not panic")
}
