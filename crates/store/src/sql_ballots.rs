//! Ballot queries shared by both backends (see `sql.rs` for the pattern).
//!
//! Taking the electorate and finalising start their transaction with
//! `UPDATE ballots SET version = version + 1 … RETURNING …` (`lock_ballot`):
//! on PostgreSQL the ballot row's lock, on SQLite the database's write lock,
//! so each happens exactly once even when several servers try at once.
//!
//! A vote's transaction starts by writing the voter's own row: the elector
//! row of a named ballot, the anonymous slot of a secret ballot. So one
//! voter's votes apply one at a time and each reads what the previous one
//! committed, while different voters vote in parallel (one lock per ballot
//! would queue every vote behind the previous commit's disk flush).
//! Finalisation rewrites every elector row (named) or slot (secret) before
//! setting `finalised_at`: it waits for votes in flight, and a vote that
//! comes later finds the ballot final or its slot's key gone. Reads that
//! decide whether to vote at all run before the transaction, because a
//! SQLite transaction that reads before it writes can fail when another
//! writer commits in between.
//!
//! Secret ballots never store a voter next to a choice. A secret vote
//! writes its slot (found by `BallotSecret::choice_key`) and nothing else,
//! so on PostgreSQL no row naming a person carries the same transaction id
//! (`xmin`). Who voted is written into `ballot_electors.voted` only at
//! finalisation, in the transaction that gives every slot a random key.

use tsunagari_domain::ballot::{
    Ballot, BallotId, BallotKind, BallotOption, Electorate, FollowUp, FollowUpDetails, FollowUpId,
    OptionId, OptionRole, Outcome, Quorum, Threshold,
};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::{Timestamp, UserId, UserTimeZone};

use crate::{StoreError, StoreResult};

pub(crate) const BALLOT_COLUMNS: &str = "b.id, b.community_id, b.created_by, b.title, b.body, b.kind, \
     b.opens_at, b.closes_at, b.time_zone, b.secret, b.results_hidden, b.quorum_percent, b.threshold, \
     b.threshold_percent, b.created_at, b.electorate_taken_at, b.electorate_size, b.finalised_at, \
     b.reminded_at, b.outcome, b.outcome_recorded_at, b.outcome_recorded_by, b.withdrawn_at, \
     b.withdrawn_by, b.withdrawal_reason";

pub(crate) const OPTION_COLUMNS: &str = "id, ballot_id, position, role, label";

pub(crate) const FOLLOW_UP_COLUMNS: &str =
    "id, ballot_id, action, due_on, done, recorded_by, recorded_at";

/// Rows per multi-row INSERT: well under SQLite's limit of bound values.
pub(crate) const CHUNK: usize = 400;

#[derive(sqlx::FromRow)]
pub(crate) struct BallotRow {
    id: i64,
    community_id: i64,
    created_by: Option<i64>,
    title: String,
    body: String,
    kind: String,
    opens_at: Timestamp,
    closes_at: Timestamp,
    time_zone: String,
    secret: bool,
    results_hidden: bool,
    quorum_percent: i64,
    threshold: String,
    threshold_percent: Option<i64>,
    created_at: Timestamp,
    electorate_taken_at: Option<Timestamp>,
    electorate_size: Option<i64>,
    finalised_at: Option<Timestamp>,
    reminded_at: Option<Timestamp>,
    outcome: Option<String>,
    outcome_recorded_at: Option<Timestamp>,
    outcome_recorded_by: Option<i64>,
    withdrawn_at: Option<Timestamp>,
    withdrawn_by: Option<i64>,
    withdrawal_reason: Option<String>,
}

impl BallotRow {
    pub(crate) fn id(&self) -> i64 {
        self.id
    }

    pub(crate) fn into_ballot(self, options: Vec<BallotOption>) -> StoreResult<Ballot> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("ballot {}: invalid {what}", self.id));
        let electorate = match (self.electorate_taken_at, self.electorate_size) {
            (Some(taken_at), Some(size)) => Some(Electorate {
                taken_at,
                size: u64::try_from(size).map_err(|_| corrupt("electorate size"))?,
            }),
            (None, None) => None,
            _ => return Err(corrupt("electorate")),
        };
        let outcome = match (self.outcome, self.outcome_recorded_at) {
            (Some(text), Some(recorded_at)) => Some(Outcome {
                text,
                recorded_at,
                recorded_by: self.outcome_recorded_by.map(UserId),
            }),
            _ => None,
        };
        let withdrawal = match (self.withdrawn_at, self.withdrawal_reason) {
            (Some(at), Some(reason)) => Some(tsunagari_domain::ballot::Withdrawal {
                at,
                by: self.withdrawn_by.map(UserId),
                reason,
            }),
            (None, None) => None,
            _ => return Err(corrupt("withdrawal")),
        };
        Ok(Ballot {
            id: BallotId(self.id),
            community_id: CommunityId(self.community_id),
            created_by: self.created_by.map(UserId),
            title: self.title,
            body: self.body,
            kind: BallotKind::parse(&self.kind).ok_or_else(|| corrupt("kind"))?,
            options,
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            time_zone: UserTimeZone::parse(&self.time_zone).map_err(|_| corrupt("time zone"))?,
            secret: self.secret,
            results_hidden: self.results_hidden,
            quorum: u8::try_from(self.quorum_percent)
                .ok()
                .and_then(Quorum::new)
                .ok_or_else(|| corrupt("quorum"))?,
            threshold: Threshold::from_parts(&self.threshold, self.threshold_percent)
                .ok_or_else(|| corrupt("threshold"))?,
            created_at: self.created_at,
            electorate,
            finalised_at: self.finalised_at,
            reminded_at: self.reminded_at,
            outcome,
            withdrawal,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct OptionRow {
    id: i64,
    ballot_id: i64,
    position: i64,
    role: String,
    label: String,
}

impl OptionRow {
    pub(crate) fn ballot_id(&self) -> i64 {
        self.ballot_id
    }

    pub(crate) fn into_option(self) -> StoreResult<BallotOption> {
        let corrupt = || StoreError::Corrupt(format!("ballot option {}", self.id));
        Ok(BallotOption {
            id: OptionId(self.id),
            position: u8::try_from(self.position).map_err(|_| corrupt())?,
            role: OptionRole::parse(&self.role).ok_or_else(corrupt)?,
            label: self.label,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct FollowUpRow {
    id: i64,
    ballot_id: i64,
    action: String,
    due_on: Option<chrono::NaiveDate>,
    done: bool,
    recorded_by: Option<i64>,
    recorded_at: Timestamp,
}

impl From<FollowUpRow> for FollowUp {
    fn from(row: FollowUpRow) -> FollowUp {
        FollowUp {
            id: FollowUpId(row.id),
            ballot_id: BallotId(row.ballot_id),
            details: FollowUpDetails {
                action: row.action,
                due_on: row.due_on,
            },
            done: row.done,
            recorded_by: row.recorded_by.map(UserId),
            recorded_at: row.recorded_at,
        }
    }
}

/// What `lock_ballot` returns about the locked ballot.
#[derive(sqlx::FromRow)]
pub(crate) struct LockedBallot {
    pub(crate) community_id: i64,
    pub(crate) opens_at: Timestamp,
    pub(crate) closes_at: Timestamp,
    pub(crate) secret: bool,
    pub(crate) electorate_taken_at: Option<Timestamp>,
}

/// The state of a ballot a vote checks before its transaction.
#[derive(sqlx::FromRow)]
pub(crate) struct BallotState {
    pub(crate) opens_at: Timestamp,
    pub(crate) closes_at: Timestamp,
    pub(crate) secret: bool,
    pub(crate) electorate_taken_at: Option<Timestamp>,
    pub(crate) finalised_at: Option<Timestamp>,
    pub(crate) withdrawn_at: Option<Timestamp>,
}

macro_rules! ballot_queries {
    ($store:ty, $db:ty) => {
        impl $store {
            /// The first statement of taking the electorate and of
            /// finalising: one at a time per ballot. `None` when the ballot
            /// does not exist or is final.
            async fn lock_ballot(
                tx: &mut sqlx::Transaction<'_, $db>,
                ballot: i64,
            ) -> $crate::StoreResult<Option<$crate::sql_ballots::LockedBallot>> {
                Ok(sqlx::query_as(
                    "UPDATE ballots SET version = version + 1 WHERE id = $1 AND finalised_at IS NULL AND withdrawn_at IS NULL
                     RETURNING community_id, opens_at, closes_at, secret, electorate_taken_at",
                )
                .bind(ballot)
                .fetch_optional(&mut **tx)
                .await?)
            }

            /// Writes a ballot and its options (not its electorate) in
            /// `tx`; a fund claim decided by ballot writes one this way too, with
            /// no creator (the claimant is never named on it).
            async fn insert_ballot(
                tx: &mut sqlx::Transaction<'_, $db>,
                community: tsunagari_domain::community::CommunityId,
                created_by: Option<tsunagari_domain::UserId>,
                details: &tsunagari_domain::ballot::BallotDetails,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<i64> {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO ballots (community_id, created_by, title, body, kind, opens_at, closes_at, time_zone,
                       secret, results_hidden, quorum_percent, threshold, threshold_percent, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                )
                .bind(community.0)
                .bind(created_by.map(|user| user.0))
                .bind(&details.title)
                .bind(&details.body)
                .bind(details.kind.as_str())
                .bind(details.opens_at)
                .bind(details.closes_at)
                .bind(details.time_zone.name())
                .bind(details.secret)
                .bind(details.results_hidden)
                .bind(i64::from(details.quorum.percent()))
                .bind(details.threshold.as_str())
                .bind(details.threshold.percent().map(i64::from))
                .bind(now)
                .fetch_one(&mut **tx)
                .await?;
                for (position, option) in details.options.iter().enumerate() {
                    sqlx::query("INSERT INTO ballot_options (ballot_id, position, role, label) VALUES ($1, $2, $3, $4)")
                        .bind(id)
                        .bind(position as i64)
                        .bind(option.role.as_str())
                        .bind(&option.label)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(id)
            }

            /// Takes the electorate of a ballot just written in `tx` when it
            /// opens at once (a later opening is the background work's).
            async fn take_new_ballot_electorate(
                tx: &mut sqlx::Transaction<'_, $db>,
                id: i64,
                details: &tsunagari_domain::ballot::BallotDetails,
                now: tsunagari_domain::Timestamp,
                secret: &tsunagari_domain::ballot::BallotSecret,
            ) -> $crate::StoreResult<()> {
                if details.opens_at <= now {
                    let locked = Self::lock_ballot(tx, id)
                        .await?
                        .ok_or_else(|| $crate::StoreError::Corrupt(format!("ballot {id} vanished during creation")))?;
                    Self::insert_ballot_electorate(tx, id, &locked, now, secret).await?;
                }
                Ok(())
            }

            /// Writes the electorate of a locked ballot whose electorate is
            /// not taken: active members whose membership began by the
            /// opening, and for a secret ballot one empty slot each, in key
            /// order. Returns its size.
            async fn insert_ballot_electorate(
                tx: &mut sqlx::Transaction<'_, $db>,
                ballot: i64,
                locked: &$crate::sql_ballots::LockedBallot,
                now: tsunagari_domain::Timestamp,
                secret: &tsunagari_domain::ballot::BallotSecret,
            ) -> $crate::StoreResult<u64> {
                let members: Vec<i64> = sqlx::query_scalar(
                    // A fund claim's claimant never votes on their own claim.
                    "SELECT user_id FROM memberships WHERE community_id = $1 AND status = 'active' AND joined_at <= $2
                       AND user_id NOT IN (SELECT c.claimant_id FROM fund_claims c WHERE c.ballot_id = $3 AND c.claimant_id IS NOT NULL)
                     ORDER BY user_id",
                )
                .bind(locked.community_id)
                .bind(locked.opens_at)
                .bind(ballot)
                .fetch_all(&mut **tx)
                .await?;
                for chunk in members.chunks($crate::sql_ballots::CHUNK) {
                    let mut query = sqlx::QueryBuilder::<$db>::new("INSERT INTO ballot_electors (ballot_id, user_id, voted) ");
                    query.push_values(chunk, |mut row, user| {
                        row.push_bind(ballot).push_bind(*user).push_bind(false);
                    });
                    query.build().execute(&mut **tx).await?;
                }
                if locked.secret {
                    let mut keys: Vec<String> = members
                        .iter()
                        .map(|user| secret.choice_key(tsunagari_domain::ballot::BallotId(ballot), tsunagari_domain::UserId(*user)).0)
                        .collect();
                    keys.sort_unstable();
                    for chunk in keys.chunks($crate::sql_ballots::CHUNK) {
                        let mut query = sqlx::QueryBuilder::<$db>::new("INSERT INTO ballot_secret_choices (ballot_id, choice_key) ");
                        query.push_values(chunk, |mut row, key| {
                            row.push_bind(ballot).push_bind(key.clone());
                        });
                        query.build().execute(&mut **tx).await?;
                    }
                }
                sqlx::query("UPDATE ballots SET electorate_taken_at = $1, electorate_size = $2 WHERE id = $3")
                    .bind(now)
                    .bind(members.len() as i64)
                    .bind(ballot)
                    .execute(&mut **tx)
                    .await?;
                Ok(members.len() as u64)
            }

            /// The options of some ballots, grouped by ballot.
            async fn ballot_options_of(
                &self,
                ballots: &[i64],
            ) -> $crate::StoreResult<std::collections::HashMap<i64, Vec<tsunagari_domain::ballot::BallotOption>>> {
                let mut grouped: std::collections::HashMap<i64, Vec<tsunagari_domain::ballot::BallotOption>> =
                    std::collections::HashMap::new();
                if ballots.is_empty() {
                    return Ok(grouped);
                }
                let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM ballot_options WHERE ballot_id IN (",
                    $crate::sql_ballots::OPTION_COLUMNS
                ));
                let mut separated = query.separated(", ");
                for id in ballots {
                    separated.push_bind(*id);
                }
                query.push(") ORDER BY ballot_id, position");
                let rows: Vec<$crate::sql_ballots::OptionRow> = query.build_query_as().fetch_all(&self.pool).await?;
                for row in rows {
                    let ballot = row.ballot_id();
                    grouped.entry(ballot).or_default().push(row.into_option()?);
                }
                Ok(grouped)
            }

            async fn ballots_with_options(
                &self,
                rows: Vec<$crate::sql_ballots::BallotRow>,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::ballot::Ballot>> {
                let ids: Vec<i64> = rows.iter().map(|r| r.id()).collect();
                let mut options = self.ballot_options_of(&ids).await?;
                rows.into_iter()
                    .map(|row| {
                        let opts = options.remove(&row.id()).unwrap_or_default();
                        row.into_ballot(opts)
                    })
                    .collect()
            }
        }

        #[async_trait::async_trait]
        impl $crate::BallotStore for $store {
            async fn create_ballot(
                &self,
                community: tsunagari_domain::community::CommunityId,
                created_by: tsunagari_domain::UserId,
                details: &tsunagari_domain::ballot::BallotDetails,
                now: tsunagari_domain::Timestamp,
                secret: &tsunagari_domain::ballot::BallotSecret,
            ) -> $crate::StoreResult<tsunagari_domain::ballot::Ballot> {
                let mut tx = self.pool.begin().await?;
                let id = Self::insert_ballot(&mut tx, community, Some(created_by), details, now).await?;
                Self::take_new_ballot_electorate(&mut tx, id, details, now, secret).await?;
                tx.commit().await?;
                self.ballot(tsunagari_domain::ballot::BallotId(id))
                    .await?
                    .ok_or_else(|| $crate::StoreError::Corrupt(format!("ballot {id} vanished after insert")))
            }

            async fn ballot(
                &self,
                id: tsunagari_domain::ballot::BallotId,
            ) -> $crate::StoreResult<Option<tsunagari_domain::ballot::Ballot>> {
                let row: Option<$crate::sql_ballots::BallotRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM ballots b WHERE b.id = $1",
                    $crate::sql_ballots::BALLOT_COLUMNS
                ))
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
                match row {
                    Some(row) => Ok(self.ballots_with_options(vec![row]).await?.pop()),
                    None => Ok(None),
                }
            }

            async fn ballots_of(
                &self,
                community: tsunagari_domain::community::CommunityId,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::BallotListing>> {
                #[derive(sqlx::FromRow)]
                struct Row {
                    #[sqlx(flatten)]
                    ballot: $crate::sql_ballots::BallotRow,
                    voted: i64,
                }
                let rows: Vec<Row> = sqlx::query_as(&format!(
                    "SELECT {}, CASE WHEN b.secret THEN (SELECT COUNT(*) FROM ballot_secret_choices s WHERE s.ballot_id = b.id AND s.option_id IS NOT NULL)
                       ELSE (SELECT COUNT(*) FROM ballot_electors e WHERE e.ballot_id = b.id AND e.voted = $2) END AS voted
                     FROM ballots b WHERE b.community_id = $1 ORDER BY b.closes_at DESC, b.id DESC LIMIT $3",
                    $crate::sql_ballots::BALLOT_COLUMNS
                ))
                .bind(community.0)
                .bind(true)
                .bind(limit.clamp(1, 500))
                .fetch_all(&self.pool)
                .await?;
                let voted: Vec<i64> = rows.iter().map(|r| r.voted).collect();
                let ballots = self.ballots_with_options(rows.into_iter().map(|r| r.ballot).collect()).await?;
                Ok(ballots
                    .into_iter()
                    .zip(voted)
                    .map(|(ballot, voted)| $crate::BallotListing { ballot, voted })
                    .collect())
            }

            async fn take_electorate(
                &self,
                ballot: tsunagari_domain::ballot::BallotId,
                now: tsunagari_domain::Timestamp,
                secret: &tsunagari_domain::ballot::BallotSecret,
            ) -> $crate::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let Some(locked) = Self::lock_ballot(&mut tx, ballot.0).await? else {
                    return Ok(false);
                };
                if locked.electorate_taken_at.is_some() || locked.opens_at > now {
                    tx.rollback().await?;
                    return Ok(false);
                }
                Self::insert_ballot_electorate(&mut tx, ballot.0, &locked, now, secret).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn cast_vote(
                &self,
                ballot: tsunagari_domain::ballot::BallotId,
                voter: tsunagari_domain::UserId,
                option: tsunagari_domain::ballot::OptionId,
                now: tsunagari_domain::Timestamp,
                secret: &tsunagari_domain::ballot::BallotSecret,
            ) -> $crate::StoreResult<Option<Result<$crate::VoteRecorded, tsunagari_domain::ballot::VoteRefusal>>> {
                use tsunagari_domain::ballot::{Phase, VoteEffect, VoteRefusal, check_vote};
                let state: Option<$crate::sql_ballots::BallotState> = sqlx::query_as(
                    "SELECT opens_at, closes_at, secret, electorate_taken_at, finalised_at, withdrawn_at FROM ballots WHERE id = $1",
                )
                .bind(ballot.0)
                .fetch_optional(&self.pool)
                .await?;
                let Some(state) = state else {
                    return Ok(None);
                };
                let phase = if state.withdrawn_at.is_some() {
                    Phase::Withdrawn
                } else if state.finalised_at.is_some() {
                    Phase::Closed
                } else {
                    tsunagari_domain::ballot::phase(state.opens_at, state.closes_at, now)
                };
                if let Err(refusal) = check_vote(phase, true, true) {
                    return Ok(Some(Err(refusal)));
                }
                if state.electorate_taken_at.is_none() {
                    self.take_electorate(ballot, now, secret).await?;
                }
                // The electorate and the options never change once taken.
                let elector: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM ballot_electors WHERE ballot_id = $1 AND user_id = $2",
                )
                .bind(ballot.0)
                .bind(voter.0)
                .fetch_optional(&self.pool)
                .await?;
                let known: Option<i64> = sqlx::query_scalar("SELECT id FROM ballot_options WHERE ballot_id = $1 AND id = $2")
                    .bind(ballot.0)
                    .bind(option.0)
                    .fetch_optional(&self.pool)
                    .await?;
                if let Err(refusal) = check_vote(phase, elector.is_some(), known.is_some()) {
                    return Ok(Some(Err(refusal)));
                }
                let Some(elector) = elector else {
                    return Ok(Some(Err(VoteRefusal::NotElector)));
                };
                let mut tx = self.pool.begin().await?;
                let (previous, sequence) = if state.secret {
                    let key = secret.choice_key(ballot, voter);
                    // Lock the slot and read what it held.
                    let slot: Option<(Option<i64>, i64)> = sqlx::query_as(
                        "UPDATE ballot_secret_choices SET version = version + 1 WHERE ballot_id = $1 AND choice_key = $2
                         RETURNING option_id, version",
                    )
                    .bind(ballot.0)
                    .bind(&key.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let Some((previous, sequence)) = slot else {
                        tx.rollback().await?;
                        let finalised: Option<tsunagari_domain::Timestamp> =
                            sqlx::query_scalar("SELECT finalised_at FROM ballots WHERE id = $1")
                                .bind(ballot.0)
                                .fetch_one(&self.pool)
                                .await?;
                        if finalised.is_some() {
                            // Finalised meanwhile: the slot has a new key.
                            return Ok(Some(Err(VoteRefusal::Closed)));
                        }
                        return Err($crate::StoreError::Corrupt(format!(
                            "ballot {}: an elector has no secret slot; every server must use the same ballot secret",
                            ballot.0
                        )));
                    };
                    sqlx::query("UPDATE ballot_secret_choices SET option_id = $1 WHERE ballot_id = $2 AND choice_key = $3")
                        .bind(option.0)
                        .bind(ballot.0)
                        .bind(&key.0)
                        .execute(&mut *tx)
                        .await?;
                    (previous, sequence)
                } else {
                    // Lock the elector row, then check the ballot is not
                    // final: finalisation locks every elector row first.
                    let voted: bool = sqlx::query_scalar(
                        "UPDATE ballot_electors SET voted = voted WHERE id = $1 RETURNING voted",
                    )
                    .bind(elector)
                    .fetch_one(&mut *tx)
                    .await?;
                    let finalised: Option<tsunagari_domain::Timestamp> =
                        sqlx::query_scalar("SELECT finalised_at FROM ballots WHERE id = $1")
                            .bind(ballot.0)
                            .fetch_one(&mut *tx)
                            .await?;
                    if finalised.is_some() {
                        tx.rollback().await?;
                        return Ok(Some(Err(VoteRefusal::Closed)));
                    }
                    let previous: Option<i64> = sqlx::query_scalar("SELECT option_id FROM ballot_votes WHERE elector_id = $1")
                        .bind(elector)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let sequence: i64 = sqlx::query_scalar(
                        "INSERT INTO ballot_votes (elector_id, ballot_id, option_id, cast_at, version) VALUES ($1, $2, $3, $4, 1)
                         ON CONFLICT (elector_id) DO UPDATE
                         SET option_id = excluded.option_id, cast_at = excluded.cast_at, version = ballot_votes.version + 1
                         RETURNING version",
                    )
                    .bind(elector)
                    .bind(ballot.0)
                    .bind(option.0)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    if !voted {
                        sqlx::query("UPDATE ballot_electors SET voted = $1 WHERE id = $2")
                            .bind(true)
                            .bind(elector)
                            .execute(&mut *tx)
                            .await?;
                    }
                    (previous, sequence)
                };
                tx.commit().await?;
                let effect = match previous {
                    None => VoteEffect::Cast,
                    Some(p) if p == option.0 => VoteEffect::Unchanged,
                    Some(_) => VoteEffect::Changed,
                };
                Ok(Some(Ok($crate::VoteRecorded { sequence, effect })))
            }

            async fn participation(
                &self,
                ballot: tsunagari_domain::ballot::BallotId,
                user: tsunagari_domain::UserId,
                secret: &tsunagari_domain::ballot::BallotSecret,
            ) -> $crate::StoreResult<Option<$crate::Participation>> {
                let found: Option<(bool, bool, Option<tsunagari_domain::Timestamp>)> = sqlx::query_as(
                    "SELECT e.voted, b.secret, b.finalised_at FROM ballot_electors e JOIN ballots b ON b.id = e.ballot_id
                     WHERE e.ballot_id = $1 AND e.user_id = $2",
                )
                .bind(ballot.0)
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
                let Some((voted, is_secret, finalised)) = found else {
                    return Ok(None);
                };
                if !is_secret || finalised.is_some() {
                    return Ok(Some($crate::Participation { voted }));
                }
                let slot: Option<Option<i64>> = sqlx::query_scalar(
                    "SELECT option_id FROM ballot_secret_choices WHERE ballot_id = $1 AND choice_key = $2",
                )
                .bind(ballot.0)
                .bind(&secret.choice_key(ballot, user).0)
                .fetch_optional(&self.pool)
                .await?;
                Ok(Some($crate::Participation { voted: slot.flatten().is_some() }))
            }

            async fn current_choice(
                &self,
                ballot: tsunagari_domain::ballot::BallotId,
                user: tsunagari_domain::UserId,
                secret: &tsunagari_domain::ballot::BallotSecret,
            ) -> $crate::StoreResult<Option<tsunagari_domain::ballot::OptionId>> {
                let found: Option<(bool, Option<tsunagari_domain::Timestamp>)> =
                    sqlx::query_as("SELECT secret, finalised_at FROM ballots WHERE id = $1")
                        .bind(ballot.0)
                        .fetch_optional(&self.pool)
                        .await?;
                let choice: Option<i64> = match found {
                    None => None,
                    Some((false, _)) => sqlx::query_scalar(
                        "SELECT v.option_id FROM ballot_votes v JOIN ballot_electors e ON e.id = v.elector_id
                         WHERE e.ballot_id = $1 AND e.user_id = $2",
                    )
                    .bind(ballot.0)
                    .bind(user.0)
                    .fetch_optional(&self.pool)
                    .await?,
                    Some((true, Some(_))) => None,
                    Some((true, None)) => {
                        let slot: Option<Option<i64>> = sqlx::query_scalar(
                            "SELECT option_id FROM ballot_secret_choices WHERE ballot_id = $1 AND choice_key = $2",
                        )
                        .bind(ballot.0)
                        .bind(&secret.choice_key(ballot, user).0)
                        .fetch_optional(&self.pool)
                        .await?;
                        slot.flatten()
                    }
                };
                Ok(choice.map(tsunagari_domain::ballot::OptionId))
            }

            async fn ballot_counts(
                &self,
                ballot: tsunagari_domain::ballot::BallotId,
            ) -> $crate::StoreResult<$crate::BallotCounts> {
                let found: Option<(bool, Option<i64>)> =
                    sqlx::query_as("SELECT secret, electorate_size FROM ballots WHERE id = $1")
                        .bind(ballot.0)
                        .fetch_optional(&self.pool)
                        .await?;
                let Some((secret, size)) = found else {
                    return Ok($crate::BallotCounts { electorate: 0, voted: 0, votes: Vec::new() });
                };
                // A secret ballot's voters are its filled slots (the elector
                // rows say so only after finalisation).
                let voted: i64 = if secret {
                    sqlx::query_scalar("SELECT COUNT(*) FROM ballot_secret_choices WHERE ballot_id = $1 AND option_id IS NOT NULL")
                        .bind(ballot.0)
                        .fetch_one(&self.pool)
                        .await?
                } else {
                    sqlx::query_scalar("SELECT COUNT(*) FROM ballot_electors WHERE ballot_id = $1 AND voted = $2")
                        .bind(ballot.0)
                        .bind(true)
                        .fetch_one(&self.pool)
                        .await?
                };
                let sql = if secret {
                    "SELECT option_id, COUNT(*) FROM ballot_secret_choices WHERE ballot_id = $1 AND option_id IS NOT NULL GROUP BY option_id"
                } else {
                    "SELECT option_id, COUNT(*) FROM ballot_votes WHERE ballot_id = $1 GROUP BY option_id"
                };
                let rows: Vec<(i64, i64)> = sqlx::query_as(sql).bind(ballot.0).fetch_all(&self.pool).await?;
                Ok($crate::BallotCounts {
                    electorate: size.unwrap_or(0).max(0) as u64,
                    voted: voted.max(0) as u64,
                    votes: rows
                        .into_iter()
                        .map(|(id, n)| (tsunagari_domain::ballot::OptionId(id), n.max(0) as u64))
                        .collect(),
                })
            }

            async fn finalise_ballot(
                &self,
                ballot: tsunagari_domain::ballot::BallotId,
                now: tsunagari_domain::Timestamp,
                secret: &tsunagari_domain::ballot::BallotSecret,
            ) -> $crate::StoreResult<bool> {
                let mut tx = self.pool.begin().await?;
                let Some(locked) = Self::lock_ballot(&mut tx, ballot.0).await? else {
                    return Ok(false);
                };
                if locked.closes_at > now {
                    tx.rollback().await?;
                    return Ok(false);
                }
                if locked.electorate_taken_at.is_none() {
                    // Nobody looked while it was open: the electorate is
                    // still the members of its opening, so take it now. Its
                    // slots stay empty, so any key will do.
                    let unused = tsunagari_domain::ballot::BallotSecret::generate().0;
                    Self::insert_ballot_electorate(&mut tx, ballot.0, &locked, now, &unused).await?;
                }
                if locked.secret {
                    // Which slot is whose, while the keys still say so.
                    let electors: Vec<(i64, Option<i64>)> =
                        sqlx::query_as("SELECT id, user_id FROM ballot_electors WHERE ballot_id = $1")
                            .bind(ballot.0)
                            .fetch_all(&mut *tx)
                            .await?;
                    let owners: std::collections::HashMap<String, i64> = electors
                        .iter()
                        .filter_map(|(id, user)| {
                            user.map(|u| (secret.choice_key(ballot, tsunagari_domain::UserId(u)).0, *id))
                        })
                        .collect();
                    let keys: Vec<String> = sqlx::query_scalar(
                        "SELECT choice_key FROM ballot_secret_choices WHERE ballot_id = $1 ORDER BY choice_key",
                    )
                    .bind(ballot.0)
                    .fetch_all(&mut *tx)
                    .await?;
                    // Each slot gets a random key; locking it waits for a
                    // vote in flight, and its option is then final.
                    let mut voters: Vec<i64> = Vec::new();
                    for key in keys {
                        let option: Option<i64> = sqlx::query_scalar(
                            "UPDATE ballot_secret_choices SET choice_key = $1, version = 0 WHERE ballot_id = $2 AND choice_key = $3
                             RETURNING option_id",
                        )
                        .bind(tsunagari_domain::ballot::ChoiceKey::random().0)
                        .bind(ballot.0)
                        .bind(&key)
                        .fetch_one(&mut *tx)
                        .await?;
                        if option.is_some() {
                            if let Some(elector) = owners.get(&key) {
                                voters.push(*elector);
                            }
                        }
                    }
                    voters.sort_unstable();
                    for chunk in voters.chunks($crate::sql_ballots::CHUNK) {
                        let mut query = sqlx::QueryBuilder::<$db>::new("UPDATE ballot_electors SET voted = ");
                        query.push_bind(true).push(" WHERE id IN (");
                        let mut separated = query.separated(", ");
                        for id in chunk {
                            separated.push_bind(*id);
                        }
                        query.push(")");
                        query.build().execute(&mut *tx).await?;
                    }
                } else {
                    // Wait for the votes in flight; later ones find the
                    // ballot final.
                    sqlx::query("UPDATE ballot_electors SET voted = voted WHERE ballot_id = $1")
                        .bind(ballot.0)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query("UPDATE ballots SET finalised_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(ballot.0)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn unsettled_ballots(
                &self,
                now: tsunagari_domain::Timestamp,
                limit: i64,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::ballot::Ballot>> {
                let rows: Vec<$crate::sql_ballots::BallotRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM ballots b WHERE b.finalised_at IS NULL AND b.withdrawn_at IS NULL AND b.opens_at <= $1 ORDER BY b.closes_at, b.id LIMIT $2",
                    $crate::sql_ballots::BALLOT_COLUMNS
                ))
                .bind(now)
                .bind(limit.clamp(1, 1000))
                .fetch_all(&self.pool)
                .await?;
                self.ballots_with_options(rows).await
            }

            async fn remind_non_voters(
                &self,
                ballot: tsunagari_domain::ballot::BallotId,
                cutoff: tsunagari_domain::Timestamp,
                notification: &tsunagari_domain::notification::NewNotification,
                now: tsunagari_domain::Timestamp,
                secret: &tsunagari_domain::ballot::BallotSecret,
            ) -> $crate::StoreResult<Option<u64>> {
                let mut tx = self.pool.begin().await?;
                let claimed: Option<bool> = sqlx::query_scalar(
                    "UPDATE ballots SET reminded_at = $1 WHERE id = $2 AND finalised_at IS NULL
                       AND (reminded_at IS NULL OR reminded_at < $3) RETURNING secret",
                )
                .bind(now)
                .bind(ballot.0)
                .bind(cutoff)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(is_secret) = claimed else {
                    tx.rollback().await?;
                    return Ok(None);
                };
                // Electors still active in the community who have not voted.
                let electors: Vec<(i64, bool)> = sqlx::query_as(
                    "SELECT e.user_id, e.voted FROM ballot_electors e
                     JOIN ballots b ON b.id = e.ballot_id
                     JOIN memberships m ON m.community_id = b.community_id AND m.user_id = e.user_id AND m.status = 'active'
                     WHERE e.ballot_id = $1 ORDER BY e.user_id",
                )
                .bind(ballot.0)
                .fetch_all(&mut *tx)
                .await?;
                let filled: std::collections::HashSet<String> = if is_secret {
                    sqlx::query_scalar::<_, String>(
                        "SELECT choice_key FROM ballot_secret_choices WHERE ballot_id = $1 AND option_id IS NOT NULL",
                    )
                    .bind(ballot.0)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect()
                } else {
                    Default::default()
                };
                let to_remind: Vec<i64> = electors
                    .into_iter()
                    .filter(|(user, voted)| {
                        !voted
                            && !(is_secret
                                && filled.contains(&secret.choice_key(ballot, tsunagari_domain::UserId(*user)).0))
                    })
                    .map(|(user, _)| user)
                    .collect();
                for chunk in to_remind.chunks($crate::sql_ballots::CHUNK) {
                    let mut query = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO notifications (user_id, kind, subject, link, created_at) ",
                    );
                    query.push_values(chunk, |mut row, user| {
                        row.push_bind(*user)
                            .push_bind(notification.kind.as_str())
                            .push_bind(notification.subject.clone())
                            .push_bind(notification.link.clone())
                            .push_bind(now);
                    });
                    query.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(Some(to_remind.len() as u64))
            }

            async fn withdraw_ballot(
                &self,
                ballot: tsunagari_domain::ballot::BallotId,
                reason: &str,
                by: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<bool> {
                // The conditions are re-read under the row lock, so a
                // withdrawal and the opening's electorate never both win.
                let done = sqlx::query(
                    "UPDATE ballots SET withdrawn_at = $1, withdrawn_by = $2, withdrawal_reason = $3
                     WHERE id = $4 AND withdrawn_at IS NULL AND electorate_taken_at IS NULL AND opens_at > $1",
                )
                .bind(now)
                .bind(by.0)
                .bind(reason)
                .bind(ballot.0)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn record_outcome(
                &self,
                ballot: tsunagari_domain::ballot::BallotId,
                text: &str,
                by: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<()> {
                sqlx::query("UPDATE ballots SET outcome = $1, outcome_recorded_at = $2, outcome_recorded_by = $3 WHERE id = $4")
                    .bind(text)
                    .bind(now)
                    .bind(by.0)
                    .bind(ballot.0)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn add_follow_up(
                &self,
                ballot: tsunagari_domain::ballot::BallotId,
                details: &tsunagari_domain::ballot::FollowUpDetails,
                by: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<tsunagari_domain::ballot::FollowUp> {
                let row: $crate::sql_ballots::FollowUpRow = sqlx::query_as(&format!(
                    "INSERT INTO ballot_follow_ups (ballot_id, action, due_on, done, recorded_by, recorded_at)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING {}",
                    $crate::sql_ballots::FOLLOW_UP_COLUMNS
                ))
                .bind(ballot.0)
                .bind(&details.action)
                .bind(details.due_on)
                .bind(false)
                .bind(by.0)
                .bind(now)
                .fetch_one(&self.pool)
                .await?;
                Ok(row.into())
            }

            async fn set_follow_up_done(
                &self,
                ballot: tsunagari_domain::ballot::BallotId,
                id: tsunagari_domain::ballot::FollowUpId,
                done: bool,
            ) -> $crate::StoreResult<bool> {
                let result = sqlx::query("UPDATE ballot_follow_ups SET done = $1 WHERE ballot_id = $2 AND id = $3")
                    .bind(done)
                    .bind(ballot.0)
                    .bind(id.0)
                    .execute(&self.pool)
                    .await?;
                Ok(result.rows_affected() == 1)
            }

            async fn follow_ups(
                &self,
                ballot: tsunagari_domain::ballot::BallotId,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::ballot::FollowUp>> {
                let rows: Vec<$crate::sql_ballots::FollowUpRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM ballot_follow_ups WHERE ballot_id = $1 ORDER BY id",
                    $crate::sql_ballots::FOLLOW_UP_COLUMNS
                ))
                .bind(ballot.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn participation_of(
                &self,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Vec<$crate::ParticipationRecord>> {
                let rows: Vec<(i64, i64, String, bool, bool, Option<tsunagari_domain::Timestamp>, Option<i64>)> = sqlx::query_as(
                    "SELECT b.id, b.community_id, b.title, b.secret, e.voted, b.finalised_at, v.option_id
                     FROM ballot_electors e JOIN ballots b ON b.id = e.ballot_id
                     LEFT JOIN ballot_votes v ON v.elector_id = e.id
                     WHERE e.user_id = $1 ORDER BY b.id DESC LIMIT 500",
                )
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, community, title, secret, voted, finalised, choice)| $crate::ParticipationRecord {
                        ballot_id: tsunagari_domain::ballot::BallotId(id),
                        community_id: tsunagari_domain::community::CommunityId(community),
                        title,
                        secret,
                        voted: (!secret || finalised.is_some()).then_some(voted),
                        choice: choice.filter(|_| !secret).map(tsunagari_domain::ballot::OptionId),
                    })
                    .collect())
            }
        }
    };
}

pub(crate) use ballot_queries;
