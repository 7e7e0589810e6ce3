//! The public-help directory (公助): browse public schemes by category,
//! filter by prefecture, search, and read one scheme with its official
//! link. Public pages, the same for everyone; no JavaScript needed.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use tsunagari_domain::Locale;
use tsunagari_domain::public_scheme::{PublicScheme, SchemeCategory};
use tsunagari_domain::region::Prefecture;
use tsunagari_store::SchemeFilter;

use super::communities::{Choice, prefecture_choices};
use crate::context::{RequestContext, url_encode};
use crate::error::Failure;
use crate::state::AppState;

/// Longest summary on a card, in characters: Japanese says as much in
/// fewer characters.
fn summary_chars(locale: Locale) -> usize {
    match locale {
        Locale::Ja => 90,
        Locale::En => 160,
    }
}

/// The message slug of a category (`training-benefit`).
fn category_slug(category: SchemeCategory) -> String {
    category.as_str().replace('_', "-")
}

/// The translated name of a category.
pub fn category_label(ctx: &RequestContext, category: SchemeCategory) -> String {
    ctx.t(&format!("scheme-category-{}", category_slug(category)))
}

/// The translated label of a life-career action id: the self-check's own
/// words for it.
pub fn action_label(ctx: &RequestContext, action: &str) -> String {
    ctx.t(&format!("sc-action-{action}"))
}

/// Where a scheme is available: nationwide, or its prefecture.
fn region_label(ctx: &RequestContext, scheme: &PublicScheme) -> String {
    match scheme.prefecture {
        Some(p) => ctx.t1("public-help-local", "prefecture", p.name(ctx.tr.locale())),
        None => ctx.t("public-help-national"),
    }
}

/// The first sentence of a text, cut to `max` characters.
fn summary(text: &str, max: usize) -> String {
    let first = match (text.find('。'), text.find(". ")) {
        (Some(ja), _) => &text[..ja + '。'.len_utf8()],
        (None, Some(en)) => &text[..=en],
        (None, None) => text,
    };
    let first = first.lines().next().unwrap_or("");
    if first.chars().count() > max {
        let cut: String = first.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        first.to_owned()
    }
}

/// A scheme in a list.
pub struct SchemeCard {
    slug: String,
    name: String,
    summary: String,
    region: String,
    local: bool,
}

/// The schemes of one category.
pub struct CategorySection {
    slug: String,
    label: String,
    description: String,
    cards: Vec<SchemeCard>,
}

/// A category link with its count under the current search.
pub struct CategoryTab {
    href: String,
    label: String,
    count: usize,
    current: bool,
}

/// `/public-help`.
#[derive(Template, WebTemplate)]
#[template(path = "public_help/index.html")]
pub struct DirectoryPage {
    ctx: RequestContext,
    q: String,
    categories: Vec<Choice>,
    prefectures: Vec<Choice>,
    tabs: Vec<CategoryTab>,
    sections: Vec<CategorySection>,
    result_count: String,
    filtered: bool,
}

/// The query string of the directory.
#[derive(Deserialize, Default)]
pub struct DirectoryQuery {
    q: Option<String>,
    category: Option<String>,
    prefecture: Option<String>,
}

fn directory_href(
    q: &str,
    category: Option<SchemeCategory>,
    prefecture: Option<Prefecture>,
) -> String {
    let pairs = [
        ("q", q.to_owned()),
        (
            "category",
            category.map(|c| c.as_str().to_owned()).unwrap_or_default(),
        ),
        (
            "prefecture",
            prefecture.map(|p| p.code().to_owned()).unwrap_or_default(),
        ),
    ];
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect();
    if query.is_empty() {
        "/public-help".to_owned()
    } else {
        format!("/public-help?{}", query.join("&"))
    }
}

/// `GET /public-help`: every scheme by category, or those matching the
/// search, category and prefecture. Unknown filter values are ignored.
pub async fn index(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<DirectoryQuery>,
) -> Result<DirectoryPage, Failure> {
    let q: String = query
        .q
        .as_deref()
        .unwrap_or("")
        .trim()
        .chars()
        .take(200)
        .collect();
    let category = query.category.as_deref().and_then(SchemeCategory::parse);
    let prefecture = query.prefecture.as_deref().and_then(Prefecture::parse);
    // One read without the category, so every tab can show its count.
    let matching = state
        .public_schemes
        .list(&SchemeFilter {
            prefecture,
            query: Some(q.clone()).filter(|q| !q.is_empty()),
            ..Default::default()
        })
        .await?;
    let mut tabs = vec![CategoryTab {
        href: directory_href(&q, None, prefecture),
        label: ctx.t("public-help-all-categories"),
        count: matching.len(),
        current: category.is_none(),
    }];
    tabs.extend(SchemeCategory::ALL.into_iter().map(|c| CategoryTab {
        href: directory_href(&q, Some(c), prefecture),
        label: category_label(&ctx, c),
        count: matching.iter().filter(|s| s.category == c).count(),
        current: category == Some(c),
    }));
    let locale = ctx.tr.locale();
    let sections: Vec<CategorySection> = SchemeCategory::ALL
        .into_iter()
        .filter(|c| category.is_none_or(|wanted| wanted == *c))
        .filter_map(|c| {
            let cards: Vec<SchemeCard> = matching
                .iter()
                .filter(|s| s.category == c)
                .map(|s| SchemeCard {
                    slug: s.slug.clone(),
                    name: s.name.get(locale).to_owned(),
                    summary: summary(s.benefit.get(locale), summary_chars(locale)),
                    region: region_label(&ctx, s),
                    local: s.prefecture.is_some(),
                })
                .collect();
            (!cards.is_empty()).then(|| CategorySection {
                slug: category_slug(c),
                label: category_label(&ctx, c),
                description: ctx.t(&format!("scheme-category-{}-desc", category_slug(c))),
                cards,
            })
        })
        .collect();
    let shown: usize = sections.iter().map(|s| s.cards.len()).sum();
    Ok(DirectoryPage {
        categories: SchemeCategory::ALL
            .into_iter()
            .map(|c| Choice {
                value: c.as_str().to_owned(),
                label: category_label(&ctx, c),
                selected: category == Some(c),
            })
            .collect(),
        prefectures: prefecture_choices(&ctx, prefecture.map_or("", |p| p.code())),
        result_count: ctx.t_count("public-help-result-count", "count", shown as i64),
        filtered: !q.is_empty() || category.is_some() || prefecture.is_some(),
        q,
        tabs,
        sections,
        ctx,
    })
}

/// `/public-help/{slug}`.
#[derive(Template, WebTemplate)]
#[template(path = "public_help/show.html")]
pub struct SchemePage {
    ctx: RequestContext,
    name: String,
    other_name: String,
    other_lang: &'static str,
    category_href: String,
    category_label: String,
    region: String,
    audience: String,
    benefit: String,
    url: String,
    host: String,
    actions: Vec<String>,
}

/// `GET /public-help/{slug}`: one scheme; 404 when there is none.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(slug): Path<String>,
) -> Result<SchemePage, Failure> {
    let scheme = state.public_schemes.get(&slug).await?;
    let locale = ctx.tr.locale();
    let other = Locale::ALL
        .into_iter()
        .find(|l| *l != locale)
        .unwrap_or(locale);
    let host = scheme
        .url
        .trim_start_matches("https://")
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .to_owned();
    Ok(SchemePage {
        name: scheme.name.get(locale).to_owned(),
        other_name: scheme.name.get(other).to_owned(),
        other_lang: other.tag(),
        category_href: directory_href("", Some(scheme.category), None),
        category_label: category_label(&ctx, scheme.category),
        region: region_label(&ctx, &scheme),
        audience: scheme.audience.get(locale).to_owned(),
        benefit: scheme.benefit.get(locale).to_owned(),
        actions: scheme
            .fits_actions
            .iter()
            .map(|a| action_label(&ctx, a))
            .collect(),
        url: scheme.url,
        host,
        ctx,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_keep_the_first_sentence() {
        assert_eq!(summary("一文目です。二文目です。", 90), "一文目です。");
        assert_eq!(summary("First one. Second one.", 90), "First one.");
        assert_eq!(summary("No full stop", 90), "No full stop");
        let long = "あ".repeat(200);
        let cut = summary(&long, 90);
        assert_eq!(cut.chars().count(), 90);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn directory_links_keep_the_other_filters() {
        assert_eq!(directory_href("", None, None), "/public-help");
        assert_eq!(
            directory_href(
                "介護 資格",
                Some(SchemeCategory::TrainingBenefit),
                Prefecture::parse("13")
            ),
            format!(
                "/public-help?q={}&category=training_benefit&prefecture=13",
                url_encode("介護 資格")
            )
        );
    }
}
