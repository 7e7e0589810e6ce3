//! Share-register queries shared by both backends (see `sql.rs` for the
//! pattern).
//!
//! Every ledger write starts its transaction with `UPDATE share_registers
//! SET version = version + 1 … RETURNING`: on PostgreSQL that takes the
//! register row's lock, so concurrent writes to one co-op wait for each
//! other (and, under READ COMMITTED, the statements after it see what the
//! previous one committed); on SQLite a transaction that writes first takes
//! the database's write lock at once. The balances summed after it are the
//! truth the domain's `plan` checks, and the new version is the entry's
//! place on the ledger (`seq`). Sums are cast to BIGINT because
//! PostgreSQL's `SUM(bigint)` is `numeric`.

use tsunagari_domain::community::CommunityId;
use tsunagari_domain::share::{
    Holding, ShareDelta, ShareEntry, ShareEntryId, ShareEntryKind, ShareHolderId, UnitPrice,
};
use tsunagari_domain::{Timestamp, UserId};

use crate::{ShareEntryRecord, ShareRegisterRecord, StoreError, StoreResult};

pub(crate) const ENTRY_COLUMNS: &str = "e.id, e.community_id, e.holder_id, h.user_id, e.kind, e.units, e.subscribed, e.paid, \
     e.unit_price, e.reverses, e.note, e.recorded_by, e.recorded_at, e.seq";

/// The three balances of one holder (`$1`), summed.
pub(crate) const HOLDING_SUMS: &str = "SELECT CAST(COALESCE(SUM(units), 0) AS BIGINT), CAST(COALESCE(SUM(subscribed), 0) AS BIGINT), \
     CAST(COALESCE(SUM(paid), 0) AS BIGINT) FROM share_entries WHERE holder_id = $1";

#[derive(sqlx::FromRow)]
pub(crate) struct EntryRow {
    id: i64,
    community_id: i64,
    holder_id: i64,
    user_id: Option<i64>,
    kind: String,
    units: i64,
    subscribed: i64,
    paid: i64,
    unit_price: Option<i64>,
    reverses: Option<i64>,
    note: String,
    recorded_by: Option<i64>,
    recorded_at: Timestamp,
    seq: i64,
}

impl EntryRow {
    pub(crate) fn into_entry(self) -> StoreResult<ShareEntry> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("share entry {}: invalid {what}", self.id));
        Ok(ShareEntry {
            id: ShareEntryId(self.id),
            community_id: CommunityId(self.community_id),
            holder: ShareHolderId(self.holder_id),
            member: self.user_id.map(UserId),
            kind: ShareEntryKind::parse(&self.kind).ok_or_else(|| corrupt("kind"))?,
            delta: ShareDelta {
                units: self.units,
                subscribed: self.subscribed,
                paid: self.paid,
            },
            unit_price: match self.unit_price {
                Some(price) => Some(UnitPrice::new(price).map_err(|_| corrupt("unit price"))?),
                None => None,
            },
            reverses: self.reverses.map(ShareEntryId),
            note: self.note.clone(),
            recorded_by: self.recorded_by.map(UserId),
            recorded_at: self.recorded_at,
            sequence: self.seq,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EntryRecordRow {
    #[sqlx(flatten)]
    entry: EntryRow,
    member_name: Option<String>,
    recorded_by_name: Option<String>,
    reversed_by: Option<i64>,
}

impl EntryRecordRow {
    pub(crate) fn into_record(self) -> StoreResult<ShareEntryRecord> {
        Ok(ShareEntryRecord {
            entry: self.entry.into_entry()?,
            member_name: self.member_name,
            recorded_by_name: self.recorded_by_name,
            reversed_by: self.reversed_by.map(ShareEntryId),
        })
    }
}

pub(crate) fn register_record(
    community: i64,
    (price, updated_by, updated_at): (i64, Option<i64>, Timestamp),
) -> StoreResult<ShareRegisterRecord> {
    Ok(ShareRegisterRecord {
        unit_price: UnitPrice::new(price).map_err(|_| {
            StoreError::Corrupt(format!("share register {community}: invalid unit price"))
        })?,
        updated_by: updated_by.map(UserId),
        updated_at,
    })
}

pub(crate) fn holding((units, subscribed, paid): (i64, i64, i64)) -> Holding {
    Holding {
        units,
        subscribed,
        paid,
    }
}

macro_rules! share_queries {
    ($store:ty, $db:ty) => {
        impl $store {
            /// The holder row of a member in a register, if any.
            async fn share_holder_id(
                tx: &mut sqlx::Transaction<'_, $db>,
                community: i64,
                member: i64,
            ) -> $crate::StoreResult<Option<i64>> {
                Ok(sqlx::query_scalar("SELECT id FROM share_holders WHERE community_id = $1 AND user_id = $2")
                    .bind(community)
                    .bind(member)
                    .fetch_optional(&mut **tx)
                    .await?)
            }

            async fn share_holding(
                tx: &mut sqlx::Transaction<'_, $db>,
                holder: i64,
            ) -> $crate::StoreResult<tsunagari_domain::share::Holding> {
                let sums: (i64, i64, i64) = sqlx::query_as($crate::sql_shares::HOLDING_SUMS)
                    .bind(holder)
                    .fetch_one(&mut **tx)
                    .await?;
                Ok($crate::sql_shares::holding(sums))
            }
        }

        #[async_trait::async_trait]
        impl $crate::ShareRegisterStore for $store {
            async fn share_register(
                &self,
                community: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<Option<$crate::ShareRegisterRecord>> {
                let row: Option<(i64, Option<i64>, tsunagari_domain::Timestamp)> = sqlx::query_as(
                    "SELECT unit_price, updated_by, updated_at FROM share_registers WHERE community_id = $1",
                )
                .bind(community.0)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|row| $crate::sql_shares::register_record(community.0, row)).transpose()
            }

            async fn set_unit_price(
                &self,
                community: tsunagari_domain::community::CommunityId,
                price: tsunagari_domain::share::UnitPrice,
                by: tsunagari_domain::UserId,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<$crate::ShareRegisterRecord> {
                let row: (i64, Option<i64>, tsunagari_domain::Timestamp) = sqlx::query_as(
                    "INSERT INTO share_registers (community_id, unit_price, version, updated_by, updated_at)
                     VALUES ($1, $2, 0, $3, $4)
                     ON CONFLICT (community_id) DO UPDATE
                     SET unit_price = excluded.unit_price, updated_by = excluded.updated_by, updated_at = excluded.updated_at
                     RETURNING unit_price, updated_by, updated_at",
                )
                .bind(community.0)
                .bind(price.yen())
                .bind(by.0)
                .bind(now)
                .fetch_one(&self.pool)
                .await?;
                $crate::sql_shares::register_record(community.0, row)
            }

            async fn record_share_entry(
                &self,
                new: &$crate::NewShareEntry<'_>,
            ) -> $crate::StoreResult<Result<tsunagari_domain::share::ShareEntry, tsunagari_domain::share::ShareRefusal>> {
                use tsunagari_domain::share::{ShareRefusal, ShareRequest};
                let community = new.community.0;
                let mut tx = self.pool.begin().await?;
                // First statement: serialises this co-op's ledger writes.
                let locked: Option<(i64, i64)> = sqlx::query_as(
                    "UPDATE share_registers SET version = version + 1 WHERE community_id = $1 RETURNING unit_price, version",
                )
                .bind(community)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((price, sequence)) = locked else {
                    tx.rollback().await?;
                    return Ok(Err(match new.request {
                        ShareRequest::Subscribe { .. } => ShareRefusal::NoUnitPrice,
                        ShareRequest::Reversal { .. } => ShareRefusal::UnknownEntry,
                        _ => ShareRefusal::NotAHolder,
                    }));
                };
                let unit_price = tsunagari_domain::share::UnitPrice::new(price)
                    .map_err(|_| $crate::StoreError::Corrupt(format!("share register {community}: invalid unit price")))?;
                let member_holder = match new.member {
                    Some(member) => Self::share_holder_id(&mut tx, community, member.0).await?,
                    None => None,
                };
                let (holder, past) = match new.request {
                    ShareRequest::Reversal { entry } => {
                        let row: Option<(i64, String, i64, i64, i64, i64)> = sqlx::query_as(
                            "SELECT e.holder_id, e.kind, e.units, e.subscribed, e.paid,
                                    (SELECT COUNT(*) FROM share_entries r WHERE r.reverses = e.id)
                             FROM share_entries e WHERE e.id = $1 AND e.community_id = $2",
                        )
                        .bind(entry.0)
                        .bind(community)
                        .fetch_optional(&mut *tx)
                        .await?;
                        let Some((holder, kind, units, subscribed, paid, reversals)) = row else {
                            tx.rollback().await?;
                            return Ok(Err(ShareRefusal::UnknownEntry));
                        };
                        if new.member.is_some() && member_holder != Some(holder) {
                            tx.rollback().await?;
                            return Ok(Err(ShareRefusal::EntryOfAnotherMember));
                        }
                        let past = tsunagari_domain::share::PastEntry {
                            id: entry,
                            holder: tsunagari_domain::share::ShareHolderId(holder),
                            kind: tsunagari_domain::share::ShareEntryKind::parse(&kind)
                                .ok_or_else(|| $crate::StoreError::Corrupt(format!("share entry {}: invalid kind", entry.0)))?,
                            delta: tsunagari_domain::share::ShareDelta { units, subscribed, paid },
                            reversed: reversals > 0,
                        };
                        (holder, Some(past))
                    }
                    ShareRequest::Subscribe { .. } => match (member_holder, new.member) {
                        (Some(holder), _) => (holder, None),
                        (None, Some(member)) => {
                            let holder: i64 = sqlx::query_scalar(
                                "INSERT INTO share_holders (community_id, user_id, created_at) VALUES ($1, $2, $3) RETURNING id",
                            )
                            .bind(community)
                            .bind(member.0)
                            .bind(new.now)
                            .fetch_one(&mut *tx)
                            .await?;
                            (holder, None)
                        }
                        (None, None) => {
                            tx.rollback().await?;
                            return Ok(Err(ShareRefusal::NotAHolder));
                        }
                    },
                    ShareRequest::Payment { .. } | ShareRequest::Refund { .. } => match member_holder {
                        Some(holder) => (holder, None),
                        None => {
                            tx.rollback().await?;
                            return Ok(Err(ShareRefusal::NotAHolder));
                        }
                    },
                };
                let holding = Self::share_holding(&mut tx, holder).await?;
                let planned = match tsunagari_domain::share::plan(&new.request, holding, Some(unit_price), past.as_ref()) {
                    Ok(planned) => planned,
                    Err(refusal) => {
                        tx.rollback().await?;
                        return Ok(Err(refusal));
                    }
                };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO share_entries (community_id, holder_id, kind, units, subscribed, paid, unit_price, reverses,
                       note, recorded_by, recorded_at, seq)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                )
                .bind(community)
                .bind(holder)
                .bind(planned.kind.as_str())
                .bind(planned.delta.units)
                .bind(planned.delta.subscribed)
                .bind(planned.delta.paid)
                .bind(planned.unit_price.map(|p| p.yen()))
                .bind(planned.reverses.map(|r| r.0))
                .bind(new.note)
                .bind(new.recorded_by.0)
                .bind(new.now)
                .bind(sequence)
                .fetch_one(&mut *tx)
                .await?;
                let row: $crate::sql_shares::EntryRow = sqlx::query_as(&format!(
                    "SELECT {} FROM share_entries e JOIN share_holders h ON h.id = e.holder_id WHERE e.id = $1",
                    $crate::sql_shares::ENTRY_COLUMNS
                ))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Ok(row.into_entry()?))
            }

            async fn share_balances(
                &self,
                community: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<Vec<$crate::HolderBalance>> {
                #[derive(sqlx::FromRow)]
                struct Row {
                    id: i64,
                    user_id: Option<i64>,
                    display_name: Option<String>,
                    active_member: bool,
                    units: i64,
                    subscribed: i64,
                    paid: i64,
                }
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT h.id, h.user_id, u.display_name,
                            EXISTS (SELECT 1 FROM memberships m WHERE m.community_id = h.community_id
                                    AND m.user_id = h.user_id AND m.status = 'active') AS active_member,
                            CAST(COALESCE(SUM(e.units), 0) AS BIGINT) AS units,
                            CAST(COALESCE(SUM(e.subscribed), 0) AS BIGINT) AS subscribed,
                            CAST(COALESCE(SUM(e.paid), 0) AS BIGINT) AS paid
                     FROM share_holders h
                     LEFT JOIN users u ON u.id = h.user_id
                     LEFT JOIN share_entries e ON e.holder_id = h.id
                     WHERE h.community_id = $1
                     GROUP BY h.id, h.community_id, h.user_id, u.display_name
                     ORDER BY h.id",
                )
                .bind(community.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|row| $crate::HolderBalance {
                        holder: tsunagari_domain::share::ShareHolderId(row.id),
                        member: row.user_id.map(tsunagari_domain::UserId),
                        display_name: row.display_name,
                        active_member: row.active_member,
                        holding: $crate::sql_shares::holding((row.units, row.subscribed, row.paid)),
                    })
                    .collect())
            }

            async fn share_balance(
                &self,
                community: tsunagari_domain::community::CommunityId,
                member: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Option<tsunagari_domain::share::Holding>> {
                let row: Option<(i64, i64, i64)> = sqlx::query_as(
                    "SELECT CAST(COALESCE(SUM(e.units), 0) AS BIGINT), CAST(COALESCE(SUM(e.subscribed), 0) AS BIGINT),
                            CAST(COALESCE(SUM(e.paid), 0) AS BIGINT)
                     FROM share_holders h LEFT JOIN share_entries e ON e.holder_id = h.id
                     WHERE h.community_id = $1 AND h.user_id = $2
                     GROUP BY h.id",
                )
                .bind(community.0)
                .bind(member.0)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map($crate::sql_shares::holding))
            }

            async fn share_totals(
                &self,
                community: tsunagari_domain::community::CommunityId,
            ) -> $crate::StoreResult<$crate::ShareTotals> {
                let sums: (i64, i64, i64) = sqlx::query_as(
                    "SELECT CAST(COALESCE(SUM(units), 0) AS BIGINT), CAST(COALESCE(SUM(subscribed), 0) AS BIGINT),
                            CAST(COALESCE(SUM(paid), 0) AS BIGINT)
                     FROM share_entries WHERE community_id = $1",
                )
                .bind(community.0)
                .fetch_one(&self.pool)
                .await?;
                let holders: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM (SELECT holder_id FROM share_entries WHERE community_id = $1
                     GROUP BY holder_id HAVING SUM(units) > 0) held",
                )
                .bind(community.0)
                .fetch_one(&self.pool)
                .await?;
                Ok($crate::ShareTotals {
                    holding: $crate::sql_shares::holding(sums),
                    holders,
                })
            }

            async fn share_entries(
                &self,
                community: tsunagari_domain::community::CommunityId,
                member: Option<tsunagari_domain::UserId>,
                newest_first: bool,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::ShareEntryRecord>> {
                let order = if newest_first { "DESC" } else { "ASC" };
                let rows: Vec<$crate::sql_shares::EntryRecordRow> = sqlx::query_as(&format!(
                    "SELECT {}, mu.display_name AS member_name, ru.display_name AS recorded_by_name,
                            (SELECT r.id FROM share_entries r WHERE r.reverses = e.id) AS reversed_by
                     FROM share_entries e
                     JOIN share_holders h ON h.id = e.holder_id
                     LEFT JOIN users mu ON mu.id = h.user_id
                     LEFT JOIN users ru ON ru.id = e.recorded_by
                     WHERE e.community_id = $1 AND ($2 IS NULL OR h.user_id = $2)
                     ORDER BY e.id {order} LIMIT $3",
                    $crate::sql_shares::ENTRY_COLUMNS
                ))
                .bind(community.0)
                .bind(member.map(|m| m.0))
                .bind(limit.clamp(1, 100_000))
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::sql_shares::EntryRecordRow::into_record).collect()
            }

            async fn share_entries_of(
                &self,
                user: tsunagari_domain::UserId,
            ) -> $crate::StoreResult<Vec<(String, tsunagari_domain::share::ShareEntry)>> {
                #[derive(sqlx::FromRow)]
                struct Row {
                    #[sqlx(flatten)]
                    entry: $crate::sql_shares::EntryRow,
                    community_name: String,
                }
                let rows: Vec<Row> = sqlx::query_as(&format!(
                    "SELECT {}, c.name AS community_name
                     FROM share_entries e
                     JOIN share_holders h ON h.id = e.holder_id
                     JOIN communities c ON c.id = e.community_id
                     WHERE h.user_id = $1 ORDER BY e.id",
                    $crate::sql_shares::ENTRY_COLUMNS
                ))
                .bind(user.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|row| Ok((row.community_name, row.entry.into_entry()?)))
                    .collect()
            }
        }
    };
}

pub(crate) use share_queries;
