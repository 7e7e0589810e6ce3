//! Public-scheme queries shared by both backends (see `sql.rs` for the
//! pattern).
//!
//! A catalogue write reads the stored rows inside its transaction, after
//! bumping `public_scheme_catalogue.version` (a row lock on PostgreSQL, the
//! write lock on SQLite), and decides per scheme in Rust whether it is new,
//! changed, unchanged or the operator's to keep. Search matches the folded
//! words of a query against `search_text`, computed by the domain when the
//! scheme is written, so both databases compare the same text the same way
//! (`LOWER` differs between them outside ASCII).

use std::collections::HashMap;

use tsunagari_domain::public_scheme::{Bilingual, PublicScheme, SchemeCategory};
use tsunagari_domain::region::Prefecture;

use crate::{CatalogueChange, CatalogueSource, StoreError, StoreResult};

pub(crate) const SCHEME_COLUMNS: &str = "s.slug, s.category, s.name_ja, s.name_en, s.audience_ja, s.audience_en, \
     s.benefit_ja, s.benefit_en, s.url, s.prefecture, s.fits_actions, s.position, s.source, s.withdrawn";

#[derive(sqlx::FromRow)]
pub(crate) struct SchemeRow {
    slug: String,
    category: String,
    name_ja: String,
    name_en: String,
    audience_ja: String,
    audience_en: String,
    benefit_ja: String,
    benefit_en: String,
    url: String,
    prefecture: Option<String>,
    fits_actions: String,
    pub(crate) position: i64,
    pub(crate) source: String,
    pub(crate) withdrawn: bool,
}

impl SchemeRow {
    pub(crate) fn slug(&self) -> &str {
        &self.slug
    }

    pub(crate) fn to_scheme(&self) -> StoreResult<PublicScheme> {
        let corrupt = |what: &str| {
            StoreError::Corrupt(format!("public scheme {}: invalid {what}", self.slug))
        };
        let prefecture = match &self.prefecture {
            Some(code) => Some(Prefecture::parse(code).ok_or_else(|| corrupt("prefecture"))?),
            None => None,
        };
        Ok(PublicScheme {
            slug: self.slug.clone(),
            category: SchemeCategory::parse(&self.category).ok_or_else(|| corrupt("category"))?,
            name: Bilingual {
                ja: self.name_ja.clone(),
                en: self.name_en.clone(),
            },
            audience: Bilingual {
                ja: self.audience_ja.clone(),
                en: self.audience_en.clone(),
            },
            benefit: Bilingual {
                ja: self.benefit_ja.clone(),
                en: self.benefit_en.clone(),
            },
            url: self.url.clone(),
            prefecture,
            fits_actions: self
                .fits_actions
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        })
    }
}

/// Listing order: category, national before local, then file order (the
/// rows arrive sorted by position and slug; the sort is stable).
pub(crate) fn in_listing_order(rows: Vec<SchemeRow>) -> StoreResult<Vec<PublicScheme>> {
    let mut schemes = rows
        .iter()
        .map(SchemeRow::to_scheme)
        .collect::<StoreResult<Vec<_>>>()?;
    schemes.sort_by_key(|s| (s.category, s.prefecture.is_some(), s.prefecture));
    Ok(schemes)
}

/// What to do with one scheme of an incoming catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Write it; counts as added.
    Add,
    /// Write it; counts as updated.
    Update,
    /// Write it (its position or owner changed) but count it unchanged.
    Rewrite,
    /// Nothing to do; unchanged.
    Unchanged,
    /// The operator's row, left alone by the shipped catalogue.
    Keep,
}

/// Decides, from the stored rows, what to do with each incoming scheme and
/// which stored rows the catalogue removes.
pub(crate) fn plan(
    stored: &[SchemeRow],
    incoming: &[PublicScheme],
    source: CatalogueSource,
) -> StoreResult<(Vec<Plan>, Vec<String>)> {
    let by_slug: HashMap<&str, &SchemeRow> = stored.iter().map(|r| (r.slug(), r)).collect();
    let mut plans = Vec::with_capacity(incoming.len());
    for (position, scheme) in incoming.iter().enumerate() {
        let plan = match by_slug.get(scheme.slug.as_str()) {
            None => Plan::Add,
            Some(row) if source == CatalogueSource::Shipped && row.source != "shipped" => {
                Plan::Keep
            }
            Some(row) if row.withdrawn => Plan::Add,
            Some(row) if row.to_scheme()? != *scheme => Plan::Update,
            Some(row) if row.position != position as i64 || row.source != source.column() => {
                Plan::Rewrite
            }
            Some(_) => Plan::Unchanged,
        };
        plans.push(plan);
    }
    let wanted: std::collections::HashSet<&str> =
        incoming.iter().map(|s| s.slug.as_str()).collect();
    let removed = stored
        .iter()
        .filter(|row| !row.withdrawn && !wanted.contains(row.slug()))
        .filter(|row| match source {
            CatalogueSource::Shipped => row.source == "shipped",
            CatalogueSource::Operator { replace } => replace,
        })
        .map(|row| row.slug().to_owned())
        .collect();
    Ok((plans, removed))
}

/// Counts a plan into the change report.
pub(crate) fn count(change: &mut CatalogueChange, plan: Plan) {
    match plan {
        Plan::Add => change.added += 1,
        Plan::Update => change.updated += 1,
        Plan::Rewrite | Plan::Unchanged => change.unchanged += 1,
        Plan::Keep => change.kept += 1,
    }
}

/// A `LIKE` pattern matching `term` anywhere, with `\` as the escape.
pub(crate) fn contains_pattern(term: &str) -> String {
    let mut pattern = String::with_capacity(term.len() + 2);
    pattern.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

macro_rules! public_scheme_queries {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl $crate::PublicSchemeStore for $store {
            async fn import_public_schemes(
                &self,
                schemes: &[tsunagari_domain::public_scheme::PublicScheme],
                source: $crate::CatalogueSource,
                now: tsunagari_domain::Timestamp,
            ) -> $crate::StoreResult<$crate::CatalogueChange> {
                let mut tx = self.pool.begin().await?;
                // First statement: serialises catalogue writes.
                sqlx::query("UPDATE public_scheme_catalogue SET version = version + 1, updated_at = $1 WHERE id = 1")
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                let stored: Vec<$crate::sql_public_schemes::SchemeRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM public_schemes s",
                    $crate::sql_public_schemes::SCHEME_COLUMNS
                ))
                .fetch_all(&mut *tx)
                .await?;
                let (plans, removed) = $crate::sql_public_schemes::plan(&stored, schemes, source)?;
                let mut change = $crate::CatalogueChange::default();
                for (position, (scheme, plan)) in schemes.iter().zip(plans).enumerate() {
                    $crate::sql_public_schemes::count(&mut change, plan);
                    use $crate::sql_public_schemes::Plan;
                    if matches!(plan, Plan::Unchanged | Plan::Keep) {
                        continue;
                    }
                    sqlx::query(
                        "INSERT INTO public_schemes (slug, category, name_ja, name_en, audience_ja, audience_en,
                           benefit_ja, benefit_en, url, prefecture, fits_actions, search_text, position, source,
                           withdrawn, created_at, updated_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)
                         ON CONFLICT (slug) DO UPDATE SET category = excluded.category,
                           name_ja = excluded.name_ja, name_en = excluded.name_en,
                           audience_ja = excluded.audience_ja, audience_en = excluded.audience_en,
                           benefit_ja = excluded.benefit_ja, benefit_en = excluded.benefit_en,
                           url = excluded.url, prefecture = excluded.prefecture,
                           fits_actions = excluded.fits_actions, search_text = excluded.search_text,
                           position = excluded.position, source = excluded.source,
                           withdrawn = excluded.withdrawn, updated_at = excluded.updated_at",
                    )
                    .bind(&scheme.slug)
                    .bind(scheme.category.as_str())
                    .bind(&scheme.name.ja)
                    .bind(&scheme.name.en)
                    .bind(&scheme.audience.ja)
                    .bind(&scheme.audience.en)
                    .bind(&scheme.benefit.ja)
                    .bind(&scheme.benefit.en)
                    .bind(&scheme.url)
                    .bind(scheme.prefecture.map(|p| p.code()))
                    .bind(scheme.fits_actions.join(" "))
                    .bind(scheme.search_text())
                    .bind(position as i64)
                    .bind(source.column())
                    .bind(false)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM public_scheme_actions WHERE slug = $1")
                        .bind(&scheme.slug)
                        .execute(&mut *tx)
                        .await?;
                    for action in &scheme.fits_actions {
                        sqlx::query("INSERT INTO public_scheme_actions (slug, action) VALUES ($1, $2)")
                            .bind(&scheme.slug)
                            .bind(action)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                for slug in &removed {
                    change.removed += 1;
                    match source {
                        // The shipped catalogue dropped one of its own: it
                        // simply goes.
                        $crate::CatalogueSource::Shipped => {
                            sqlx::query("DELETE FROM public_schemes WHERE slug = $1")
                                .bind(slug)
                                .execute(&mut *tx)
                                .await?;
                        }
                        // Withdrawn by the operator: kept as the operator's
                        // row so the shipped catalogue cannot restore it.
                        $crate::CatalogueSource::Operator { .. } => {
                            sqlx::query(
                                "UPDATE public_schemes SET withdrawn = $1, source = 'operator', updated_at = $2 WHERE slug = $3",
                            )
                            .bind(true)
                            .bind(now)
                            .bind(slug)
                            .execute(&mut *tx)
                            .await?;
                        }
                    }
                }
                tx.commit().await?;
                Ok(change)
            }

            async fn public_schemes(
                &self,
                filter: &$crate::SchemeFilter,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::public_scheme::PublicScheme>> {
                let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {} FROM public_schemes s WHERE s.withdrawn = ",
                    $crate::sql_public_schemes::SCHEME_COLUMNS
                ));
                query.push_bind(false);
                if let Some(category) = filter.category {
                    query.push(" AND s.category = ").push_bind(category.as_str());
                }
                if let Some(prefecture) = filter.prefecture {
                    query
                        .push(" AND (s.prefecture IS NULL OR s.prefecture = ")
                        .push_bind(prefecture.code())
                        .push(")");
                }
                let terms = tsunagari_domain::public_scheme::search_terms(filter.query.as_deref().unwrap_or(""));
                for term in &terms {
                    query
                        .push(" AND s.search_text LIKE ")
                        .push_bind($crate::sql_public_schemes::contains_pattern(term))
                        .push(" ESCAPE '\\'");
                }
                if !filter.actions.is_empty() {
                    query.push(" AND EXISTS (SELECT 1 FROM public_scheme_actions a WHERE a.slug = s.slug AND a.action IN (");
                    let mut separated = query.separated(", ");
                    for action in &filter.actions {
                        separated.push_bind(action.clone());
                    }
                    query.push("))");
                }
                query.push(" ORDER BY s.position, s.slug");
                let rows: Vec<$crate::sql_public_schemes::SchemeRow> =
                    query.build_query_as().fetch_all(&self.pool).await?;
                $crate::sql_public_schemes::in_listing_order(rows)
            }

            async fn public_scheme(
                &self,
                slug: &str,
            ) -> $crate::StoreResult<Option<tsunagari_domain::public_scheme::PublicScheme>> {
                let row: Option<$crate::sql_public_schemes::SchemeRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM public_schemes s WHERE s.slug = $1 AND s.withdrawn = $2",
                    $crate::sql_public_schemes::SCHEME_COLUMNS
                ))
                .bind(slug)
                .bind(false)
                .fetch_optional(&self.pool)
                .await?;
                row.as_ref().map($crate::sql_public_schemes::SchemeRow::to_scheme).transpose()
            }

            async fn public_schemes_for_actions(
                &self,
                actions: &[String],
                prefecture: Option<tsunagari_domain::region::Prefecture>,
            ) -> $crate::StoreResult<Vec<tsunagari_domain::public_scheme::PublicScheme>> {
                if actions.is_empty() {
                    return Ok(Vec::new());
                }
                self.public_schemes(&$crate::SchemeFilter {
                    prefecture,
                    actions: actions.to_vec(),
                    ..Default::default()
                })
                .await
            }
        }
    };
}

pub(crate) use public_scheme_queries;

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn like_wildcards_in_a_query_are_literal() {
        assert_eq!(contains_pattern("教育訓練"), "%教育訓練%");
        assert_eq!(contains_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }
}
