//! Solidarity-fund queries shared by both backends (see `sql.rs` for the
//! pattern and `fund.rs` for the serialisation per fund).

use tsunagari_domain::community::CommunityId;
use tsunagari_domain::fund::{
    Amount, Claim, ClaimId, ClaimStatus, Decision, Entry, LedgerAccount, TransactionKind,
};
use tsunagari_domain::{Timestamp, UserId};

use crate::{DecisionEntry, LedgerRecord, StoreError, StoreResult};

pub(crate) const CLAIM_COLUMNS: &str = "id, community_id, claimant_id, amount, reason, status, created_at, settled_at, ballot_id, withdrawn";

#[derive(sqlx::FromRow)]
pub(crate) struct ClaimRow {
    id: i64,
    community_id: i64,
    claimant_id: Option<i64>,
    amount: i64,
    reason: String,
    status: String,
    created_at: Timestamp,
    settled_at: Option<Timestamp>,
    ballot_id: Option<i64>,
    withdrawn: bool,
}

impl ClaimRow {
    pub(crate) fn into_claim(self) -> StoreResult<Claim> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("fund claim {}: invalid {what}", self.id));
        Ok(Claim {
            id: ClaimId(self.id),
            community_id: CommunityId(self.community_id),
            claimant: self.claimant_id.map(UserId),
            amount: Amount::new(self.amount).map_err(|_| corrupt("amount"))?,
            reason: self.reason.clone(),
            // A withdrawn claim is stored as settled unpaid, with its flag.
            status: match ClaimStatus::parse(&self.status) {
                Some(ClaimStatus::Rejected) if self.withdrawn => ClaimStatus::Withdrawn,
                Some(ClaimStatus::Withdrawn) | None => return Err(corrupt("status")),
                Some(status) => status,
            },
            created_at: self.created_at,
            settled_at: self.settled_at,
            ballot: self.ballot_id.map(tsunagari_domain::ballot::BallotId),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct DecisionRow {
    decider_id: Option<i64>,
    approve: bool,
    note: Option<String>,
    created_at: Timestamp,
    display_name: Option<String>,
}

impl DecisionRow {
    pub(crate) fn into_entry(self) -> DecisionEntry {
        DecisionEntry {
            decision: Decision {
                decider: self.decider_id.map(UserId),
                approve: self.approve,
                note: self.note,
                decided_at: self.created_at,
            },
            decider_name: self.display_name,
        }
    }
}

/// A transaction row joined with one of its entries.
#[derive(sqlx::FromRow)]
pub(crate) struct LedgerRow {
    community_id: i64,
    seq: i64,
    kind: String,
    member_id: Option<i64>,
    claim_id: Option<i64>,
    created_at: Timestamp,
    account: String,
    amount: i64,
}

pub(crate) const LEDGER_SELECT: &str = "SELECT t.community_id, t.seq, t.kind, t.member_id, t.claim_id, t.created_at, e.account, e.amount
     FROM fund_transactions t JOIN fund_entries e ON e.community_id = t.community_id AND e.seq = t.seq";

/// Groups joined rows (ordered by community and sequence) into records.
pub(crate) fn group_ledger(rows: Vec<LedgerRow>) -> StoreResult<Vec<LedgerRecord>> {
    let mut records: Vec<LedgerRecord> = Vec::new();
    for row in rows {
        let account = LedgerAccount::parse(&row.account).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "fund entry {}/{}: invalid account",
                row.community_id, row.seq
            ))
        })?;
        let entry = Entry {
            account,
            amount: row.amount,
        };
        match records.last_mut() {
            Some(last) if last.community_id.0 == row.community_id && last.seq == row.seq => {
                last.entries.push(entry);
            }
            _ => records.push(LedgerRecord {
                community_id: CommunityId(row.community_id),
                seq: row.seq,
                kind: TransactionKind::parse(&row.kind).ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "fund transaction {}/{}: invalid kind",
                        row.community_id, row.seq
                    ))
                })?,
                member: row.member_id.map(UserId),
                claim: row.claim_id.map(ClaimId),
                created_at: row.created_at,
                entries: vec![entry],
            }),
        }
    }
    for record in &mut records {
        record.entries.sort_by_key(|e| e.account.as_str());
    }
    Ok(records)
}

macro_rules! fund_queries {
    ($store:ty, $db:ty) => {
        impl $store {
            /// The first statement of every ledger change and decision:
            /// creates the fund's row on first use, bumps its version and
            /// yields (new version, approvals needed).
            async fn lock_fund(
                tx: &mut sqlx::Transaction<'_, $db>,
                community: i64,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<(i64, i64)> {
                Ok(sqlx::query_as(
                    "INSERT INTO funds (community_id, approvals_needed, version, updated_at) VALUES ($1, 1, 1, $2)
                     ON CONFLICT (community_id) DO UPDATE SET version = funds.version + 1
                     RETURNING version, approvals_needed",
                )
                .bind(community)
                .bind(now)
                .fetch_one(&mut **tx)
                .await?)
            }

            async fn fund_balance_in(tx: &mut sqlx::Transaction<'_, $db>, community: i64) -> $crate::StoreResult<i64> {
                Ok(sqlx::query_scalar(
                    "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM fund_entries WHERE community_id = $1 AND account = 'fund'",
                )
                .bind(community)
                .fetch_one(&mut **tx)
                .await?)
            }

            /// Writes a balanced transaction: entries first, then the row
            /// whose insertion the schema checks.
            #[allow(clippy::too_many_arguments)]
            async fn write_transaction(
                tx: &mut sqlx::Transaction<'_, $db>,
                community: i64,
                seq: i64,
                transaction: &tsunagari_domain::fund::Transaction,
                member: Option<tsunagari_domain::UserId>,
                claim: Option<tsunagari_domain::fund::ClaimId>,
                recorded_by: Option<tsunagari_domain::UserId>,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<$crate::LedgerRecord> {
                if !tsunagari_domain::fund::is_balanced(transaction.entries()) {
                    return Err($crate::StoreError::Corrupt(format!(
                        "refusing an unbalanced fund transaction for community {community}"
                    )));
                }
                let mut insert = sqlx::QueryBuilder::<$db>::new("INSERT INTO fund_entries (community_id, seq, account, amount) ");
                insert.push_values(transaction.entries(), |mut row, entry| {
                    row.push_bind(community)
                        .push_bind(seq)
                        .push_bind(entry.account.as_str())
                        .push_bind(entry.amount);
                });
                insert.build().execute(&mut **tx).await?;
                sqlx::query(
                    "INSERT INTO fund_transactions (community_id, seq, kind, member_id, claim_id, recorded_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(community)
                .bind(seq)
                .bind(transaction.kind().as_str())
                .bind(member.map(|m| m.0))
                .bind(claim.map(|c| c.0))
                .bind(recorded_by.map(|r| r.0))
                .bind(now)
                .execute(&mut **tx)
                .await?;
                let mut entries = transaction.entries().to_vec();
                entries.sort_by_key(|e| e.account.as_str());
                Ok($crate::LedgerRecord {
                    community_id: tsunagari_domain::community::CommunityId(community),
                    seq,
                    kind: transaction.kind(),
                    member,
                    claim,
                    created_at: now,
                    entries,
                })
            }

            async fn claim_in(
                tx: &mut sqlx::Transaction<'_, $db>,
                claim: i64,
            ) -> $crate::StoreResult<Option<tsunagari_domain::fund::Claim>> {
                let row: Option<$crate::sql_fund::ClaimRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM fund_claims WHERE id = $1",
                    $crate::sql_fund::CLAIM_COLUMNS
                ))
                .bind(claim)
                .fetch_optional(&mut **tx)
                .await?;
                row.map($crate::sql_fund::ClaimRow::into_claim).transpose()
            }

            /// Moves a pending claim (already read under the fund's lock) to
            /// paid or rejected; a payout is checked against the balance.
            async fn settle_in(
                tx: &mut sqlx::Transaction<'_, $db>,
                claim: &tsunagari_domain::fund::Claim,
                seq: i64,
                resolution: tsunagari_domain::fund::Resolution,
                by: Option<tsunagari_domain::UserId>,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<Result<(tsunagari_domain::fund::Claim, Option<$crate::LedgerRecord>), tsunagari_domain::fund::WouldOverdraw>> {
                let Ok(status) = claim.status.settle(resolution) else {
                    return Err($crate::StoreError::Corrupt(format!("fund claim {} settled twice", claim.id.0)));
                };
                let mut payout = None;
                if resolution == tsunagari_domain::fund::Resolution::Approve {
                    let balance = Self::fund_balance_in(tx, claim.community_id.0).await?;
                    if let Err(refusal) = tsunagari_domain::fund::check_payout(balance, claim.amount) {
                        return Ok(Err(refusal));
                    }
                    let transaction = tsunagari_domain::fund::Transaction::payout(claim.amount);
                    payout = Some(
                        Self::write_transaction(tx, claim.community_id.0, seq, &transaction, claim.claimant, Some(claim.id), by, now)
                            .await?,
                    );
                }
                sqlx::query("UPDATE fund_claims SET status = $1, settled_at = $2 WHERE id = $3 AND status = 'pending'")
                    .bind(status.as_str())
                    .bind(now)
                    .bind(claim.id.0)
                    .execute(&mut **tx)
                    .await?;
                let settled = tsunagari_domain::fund::Claim {
                    status,
                    settled_at: Some(now),
                    ..claim.clone()
                };
                Ok(Ok((settled, payout)))
            }

            /// Whether `person` decides the fund's claims, and how many
            /// people other than `claimant` do.
            async fn deciders_in(
                tx: &mut sqlx::Transaction<'_, $db>,
                community: i64,
                person: i64,
                claimant: Option<i64>,
            ) -> $crate::StoreResult<(bool, u32)> {
                let committee: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fund_committee WHERE community_id = $1")
                    .bind(community)
                    .fetch_one(&mut **tx)
                    .await?;
                let people: Vec<i64> = if committee > 0 {
                    sqlx::query_scalar(
                        "SELECT c.user_id FROM fund_committee c
                         JOIN memberships m ON m.community_id = c.community_id AND m.user_id = c.user_id AND m.status = 'active'
                         WHERE c.community_id = $1",
                    )
                    .bind(community)
                    .fetch_all(&mut **tx)
                    .await?
                } else {
                    sqlx::query_scalar(
                        "SELECT user_id FROM memberships
                         WHERE community_id = $1 AND status = 'active' AND role IN ('owner', 'organiser')",
                    )
                    .bind(community)
                    .fetch_all(&mut **tx)
                    .await?
                };
                let eligible = people.iter().filter(|p| Some(**p) != claimant).count() as u32;
                Ok((people.contains(&person), eligible))
            }
        }

        #[async_trait::async_trait]
        impl $crate::FundStore for $store {
            async fn fund_settings(
                &self,
                community: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<$crate::FundSettings> {
                let row: Option<(i64, bool, i64, i64)> = sqlx::query_as(
                    "SELECT approvals_needed, decided_by_ballot, ballot_days, ballot_quorum_percent FROM funds WHERE community_id = $1",
                )
                .bind(community.0)
                .fetch_optional(&self.pool)
                .await?;
                let committee: Vec<i64> = sqlx::query_scalar(
                    "SELECT user_id FROM fund_committee WHERE community_id = $1 ORDER BY added_at, user_id",
                )
                .bind(community.0)
                .fetch_all(&self.pool)
                .await?;
                let mut settings = $crate::FundSettings {
                    committee: committee.into_iter().map(tsunagari_domain::UserId).collect(),
                    ..Default::default()
                };
                if let Some((needed, by_ballot, days, quorum)) = row {
                    let corrupt = |what: &str| $crate::StoreError::Corrupt(format!("fund {}: invalid {what}", community.0));
                    settings.approvals_needed = u32::try_from(needed).map_err(|_| corrupt("approvals needed"))?;
                    settings.by_ballot = by_ballot;
                    settings.ballot_rule = tsunagari_domain::fund::BallotRule {
                        days: u32::try_from(days).map_err(|_| corrupt("ballot days"))?,
                        quorum: u8::try_from(quorum)
                            .ok()
                            .and_then(tsunagari_domain::ballot::Quorum::new)
                            .ok_or_else(|| corrupt("ballot quorum"))?,
                    };
                }
                Ok(settings)
            }

            async fn set_fund_settings(
                &self,
                community: tsunagari_domain::community::CommunityId,
                settings: &$crate::FundSettings,
                by: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<()> {
                let mut tx = self.pool.begin().await?;
                Self::lock_fund(&mut tx, community.0, now).await?;
                sqlx::query(
                    "UPDATE funds SET approvals_needed = $1, decided_by_ballot = $2, ballot_days = $3, ballot_quorum_percent = $4,
                       updated_at = $5 WHERE community_id = $6",
                )
                    .bind(i64::from(settings.approvals_needed))
                    .bind(settings.by_ballot)
                    .bind(i64::from(settings.ballot_rule.days))
                    .bind(i64::from(settings.ballot_rule.quorum.percent()))
                    .bind(now)
                    .bind(community.0)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM fund_committee WHERE community_id = $1")
                    .bind(community.0)
                    .execute(&mut *tx)
                    .await?;
                for member in &settings.committee {
                    sqlx::query(
                        "INSERT INTO fund_committee (community_id, user_id, added_by, added_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (community_id, user_id) DO NOTHING",
                    )
                    .bind(community.0)
                    .bind(member.0)
                    .bind(by.0)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn contribute(
                &self,
                community: tsunagari_domain::community::CommunityId,
                member: tsunagari_domain::UserId,
                amount: tsunagari_domain::fund::Amount,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<$crate::LedgerRecord> {
                let mut tx = self.pool.begin().await?;
                let (seq, _) = Self::lock_fund(&mut tx, community.0, now).await?;
                let transaction = tsunagari_domain::fund::Transaction::contribution(amount);
                let record = Self::write_transaction(&mut tx, community.0, seq, &transaction, Some(member), None, Some(member), now).await?;
                tx.commit().await?;
                Ok(record)
            }

            async fn create_claim(
                &self,
                community: tsunagari_domain::community::CommunityId,
                claimant: tsunagari_domain::UserId,
                details: &tsunagari_domain::fund::ClaimDetails,
                ballot: Option<(&tsunagari_domain::ballot::BallotDetails, &tsunagari_domain::ballot::BallotSecret)>,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<tsunagari_domain::fund::Claim> {
                let mut tx = self.pool.begin().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO fund_claims (community_id, claimant_id, amount, reason, status, created_at)
                     VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id",
                )
                .bind(community.0)
                .bind(claimant.0)
                .bind(details.amount.yen())
                .bind(&details.reason)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                if let Some((ballot, secret)) = ballot {
                    let ballot_id = Self::insert_ballot(&mut tx, community, None, ballot, now).await?;
                    sqlx::query("UPDATE fund_claims SET ballot_id = $1 WHERE id = $2")
                        .bind(ballot_id)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    // After the link: the electorate leaves out the claimant.
                    Self::take_new_ballot_electorate(&mut tx, ballot_id, ballot, now, secret).await?;
                }
                let row: $crate::sql_fund::ClaimRow = sqlx::query_as(&format!(
                    "SELECT {} FROM fund_claims WHERE id = $1",
                    $crate::sql_fund::CLAIM_COLUMNS
                ))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                row.into_claim()
            }

            async fn claims_awaiting_settlement(&self, limit: i64) -> $crate::StoreResult<Vec<tsunagari_domain::fund::Claim>> {
                let rows: Vec<$crate::sql_fund::ClaimRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM fund_claims WHERE status = 'pending' AND ballot_id IN
                       (SELECT b.id FROM ballots b WHERE b.finalised_at IS NOT NULL)
                     ORDER BY created_at, id LIMIT $1",
                    $crate::sql_fund::CLAIM_COLUMNS
                ))
                .bind(limit.clamp(1, 500))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_fund::ClaimRow::into_claim).collect()
            }

            async fn claim(&self, id: tsunagari_domain::fund::ClaimId) -> $crate::StoreResult<Option<tsunagari_domain::fund::Claim>> {
                let row: Option<$crate::sql_fund::ClaimRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM fund_claims WHERE id = $1",
                    $crate::sql_fund::CLAIM_COLUMNS
                ))
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::sql_fund::ClaimRow::into_claim).transpose()
            }

            async fn claims(
                &self,
                community: tsunagari_domain::community::CommunityId,
                limit: i64,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::fund::Claim>> {
                let rows: Vec<$crate::sql_fund::ClaimRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM fund_claims WHERE community_id = $1
                     ORDER BY CASE status WHEN 'pending' THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT $2",
                    $crate::sql_fund::CLAIM_COLUMNS
                ))
                .bind(community.0)
                .bind(limit.clamp(1, 500))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_fund::ClaimRow::into_claim).collect()
            }

            async fn claims_of(&self, claimant: tsunagari_domain::UserId) -> $crate::StoreResult<Vec<tsunagari_domain::fund::Claim>> {
                let rows: Vec<$crate::sql_fund::ClaimRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM fund_claims WHERE claimant_id = $1 ORDER BY created_at DESC, id DESC",
                    $crate::sql_fund::CLAIM_COLUMNS
                ))
                .bind(claimant.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_fund::ClaimRow::into_claim).collect()
            }

            async fn decisions(&self, claim: tsunagari_domain::fund::ClaimId) -> $crate::StoreResult<Vec<$crate::DecisionEntry>> {
                let rows: Vec<$crate::sql_fund::DecisionRow> = sqlx::query_as(
                    "SELECT d.decider_id, d.approve, d.note, d.created_at, u.display_name
                     FROM fund_decisions d LEFT JOIN users u ON u.id = d.decider_id
                     WHERE d.claim_id = $1 ORDER BY d.id",
                )
                .bind(claim.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map($crate::sql_fund::DecisionRow::into_entry).collect())
            }

            async fn decide(
                &self,
                claim: tsunagari_domain::fund::ClaimId,
                decider: tsunagari_domain::UserId,
                approve: bool,
                note: Option<&str>,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<$crate::DecisionResult> {
                use tsunagari_domain::fund;
                // The community never changes, so it can be read before the lock.
                let community: Option<i64> = sqlx::query_scalar("SELECT community_id FROM fund_claims WHERE id = $1")
                    .bind(claim.0)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(community) = community else {
                    return Ok($crate::DecisionResult::NotFound);
                };
                let mut tx = self.pool.begin().await?;
                let (seq, needed) = Self::lock_fund(&mut tx, community, now).await?;
                let Some(current) = Self::claim_in(&mut tx, claim.0).await? else {
                    tx.rollback().await?;
                    return Ok($crate::DecisionResult::NotFound);
                };
                let (is_decider, eligible) =
                    Self::deciders_in(&mut tx, community, decider.0, current.claimant.map(|c| c.0)).await?;
                let decided: Option<i64> = sqlx::query_scalar("SELECT id FROM fund_decisions WHERE claim_id = $1 AND decider_id = $2")
                    .bind(claim.0)
                    .bind(decider.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Err(refusal) = fund::may_decide(decider, &current, is_decider, decided.is_some(), approve) {
                    tx.rollback().await?;
                    return Ok($crate::DecisionResult::Refused(refusal));
                }
                sqlx::query("INSERT INTO fund_decisions (claim_id, decider_id, approve, note, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(claim.0)
                    .bind(decider.0)
                    .bind(approve)
                    .bind(note)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                let decisions: Vec<(Option<i64>, bool)> =
                    sqlx::query_as("SELECT decider_id, approve FROM fund_decisions WHERE claim_id = $1 ORDER BY id")
                        .bind(claim.0)
                        .fetch_all(&mut *tx)
                        .await?;
                let decisions: Vec<(Option<tsunagari_domain::UserId>, bool)> =
                    decisions.into_iter().map(|(d, a)| (d.map(tsunagari_domain::UserId), a)).collect();
                let needed = u32::try_from(needed).unwrap_or(1);
                let tally = fund::committee_tally(needed, eligible, &decisions);
                let (claim_now, payout) = match tally.resolution() {
                    None => (current, None),
                    Some(resolution) => match Self::settle_in(&mut tx, &current, seq, resolution, Some(decider), now).await? {
                        Ok(settled) => settled,
                        Err(refusal) => {
                            tx.rollback().await?;
                            return Ok($crate::DecisionResult::WouldOverdraw(refusal));
                        }
                    },
                };
                tx.commit().await?;
                Ok($crate::DecisionResult::Recorded {
                    tally,
                    claim: claim_now,
                    payout,
                })
            }

            async fn withdraw_claim(
                &self,
                claim: tsunagari_domain::fund::ClaimId,
                claimant: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<Option<Result<tsunagari_domain::fund::Claim, tsunagari_domain::fund::WithdrawalRefusal>>> {
                let community: Option<i64> = sqlx::query_scalar("SELECT community_id FROM fund_claims WHERE id = $1")
                    .bind(claim.0)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(community) = community else {
                    return Ok(None);
                };
                // Under the fund's lock, like a decision: a claim is either
                // paid or withdrawn, never both.
                let mut tx = self.pool.begin().await?;
                Self::lock_fund(&mut tx, community, now).await?;
                let Some(current) = Self::claim_in(&mut tx, claim.0).await? else {
                    tx.rollback().await?;
                    return Ok(None);
                };
                if let Err(refusal) = tsunagari_domain::fund::may_withdraw(claimant, &current) {
                    tx.rollback().await?;
                    return Ok(Some(Err(refusal)));
                }
                sqlx::query("UPDATE fund_claims SET status = 'rejected', settled_at = $1, withdrawn = TRUE WHERE id = $2")
                    .bind(now)
                    .bind(claim.0)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(Some(Ok(tsunagari_domain::fund::Claim {
                    status: tsunagari_domain::fund::ClaimStatus::Withdrawn,
                    settled_at: Some(now),
                    ..current
                })))
            }

            async fn settle_claim(
                &self,
                claim: tsunagari_domain::fund::ClaimId,
                resolution: tsunagari_domain::fund::Resolution,
                by: Option<tsunagari_domain::UserId>,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<$crate::SettleResult> {
                let community: Option<i64> = sqlx::query_scalar("SELECT community_id FROM fund_claims WHERE id = $1")
                    .bind(claim.0)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(community) = community else {
                    return Ok($crate::SettleResult::NotFound);
                };
                let mut tx = self.pool.begin().await?;
                let (seq, _) = Self::lock_fund(&mut tx, community, now).await?;
                let Some(current) = Self::claim_in(&mut tx, claim.0).await? else {
                    tx.rollback().await?;
                    return Ok($crate::SettleResult::NotFound);
                };
                if current.status.settle(resolution).is_err() {
                    tx.rollback().await?;
                    return Ok($crate::SettleResult::AlreadySettled);
                }
                match Self::settle_in(&mut tx, &current, seq, resolution, by, now).await? {
                    Ok((claim, payout)) => {
                        tx.commit().await?;
                        Ok($crate::SettleResult::Settled { claim, payout })
                    }
                    Err(refusal) => {
                        tx.rollback().await?;
                        Ok($crate::SettleResult::WouldOverdraw(refusal))
                    }
                }
            }

            async fn fund_summary(
                &self,
                community: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<$crate::FundSummary> {
                let balances: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT account, CAST(SUM(amount) AS BIGINT) FROM fund_entries WHERE community_id = $1 GROUP BY account",
                )
                .bind(community.0)
                .fetch_all(&self.pool)
                .await?;
                let of = |account: tsunagari_domain::fund::LedgerAccount| {
                    balances.iter().find(|(a, _)| a == account.as_str()).map_or(0, |(_, sum)| *sum)
                };
                use tsunagari_domain::fund::LedgerAccount as A;
                let totals = tsunagari_domain::fund::FundTotals::from_balances(of(A::Fund), of(A::Contributions), of(A::Payouts));
                let contributions: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM fund_transactions WHERE community_id = $1 AND kind = 'contribution'",
                )
                .bind(community.0)
                .fetch_one(&self.pool)
                .await?;
                let statuses: Vec<(String, i64)> =
                    sqlx::query_as("SELECT status, COUNT(*) FROM fund_claims WHERE community_id = $1 GROUP BY status")
                        .bind(community.0)
                        .fetch_all(&self.pool)
                        .await?;
                let count = |status: &str| statuses.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
                let payouts = self.payouts(community, None, $crate::SUMMARY_PAYOUTS).await?;
                Ok($crate::FundSummary {
                    totals,
                    contributions,
                    claims_paid: count("paid"),
                    claims_pending: count("pending"),
                    payouts,
                })
            }

            async fn payouts(
                &self,
                community: tsunagari_domain::community::CommunityId,
                before: Option<i64>,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::Payout>> {
                let rows: Vec<(i64, tsunagari_domain::Timestamp, i64)> = sqlx::query_as(
                    "SELECT t.seq, t.created_at, e.amount FROM fund_transactions t
                     JOIN fund_entries e ON e.community_id = t.community_id AND e.seq = t.seq AND e.account = 'payouts'
                     WHERE t.community_id = $1 AND t.kind = 'payout' AND ($2 IS NULL OR t.seq < $2)
                     ORDER BY t.seq DESC LIMIT $3",
                )
                .bind(community.0)
                .bind(before)
                .bind(limit.clamp(1, 500))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(seq, paid_at, amount)| $crate::Payout { seq, paid_at, amount })
                    .collect())
            }

            async fn ledger(
                &self,
                community: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<Vec<$crate::LedgerRecord>> {
                let rows: Vec<$crate::sql_fund::LedgerRow> = sqlx::query_as(&format!(
                    "{} WHERE t.community_id = $1 ORDER BY t.seq, e.account",
                    $crate::sql_fund::LEDGER_SELECT
                ))
                .bind(community.0)
                .fetch_all(&self.pool)
                .await?;
                $crate::sql_fund::group_ledger(rows)
            }

            async fn contributions_of(&self, member: tsunagari_domain::UserId) -> $crate::StoreResult<Vec<$crate::LedgerRecord>> {
                let rows: Vec<$crate::sql_fund::LedgerRow> = sqlx::query_as(&format!(
                    "{} WHERE t.member_id = $1 AND t.kind = 'contribution' ORDER BY t.created_at DESC, t.community_id, t.seq DESC, e.account",
                    $crate::sql_fund::LEDGER_SELECT
                ))
                .bind(member.0)
                .fetch_all(&self.pool)
                .await?;
                $crate::sql_fund::group_ledger(rows)
            }
        }
    };
}

pub(crate) use fund_queries;
