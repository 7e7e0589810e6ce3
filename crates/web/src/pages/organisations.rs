//! The directory of real organisations: browse listings by kind and
//! prefecture, read one, and claim it. Every listing says plainly whether
//! it is only a directory entry or now a community here.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tsunagari_app::{AppError, ListingPage};
use tsunagari_domain::Locale;
use tsunagari_domain::community::CommunityKind;
use tsunagari_domain::organisation::ClaimStatus;
use tsunagari_domain::region::Prefecture;
use tsunagari_store::{ListingFilter, ListingRecord};

use super::communities::{Choice, kind_label, kind_slug, prefecture_choices};
use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::context::{RequestContext, RequireUser, url_encode};
use crate::error::{Failure, FormErrors};
use crate::state::AppState;

/// Listings per page.
const PAGE_SIZE: i64 = 30;

/// The language that is not the page's, for the other name.
fn other_locale(locale: Locale) -> Locale {
    Locale::ALL
        .into_iter()
        .find(|l| *l != locale)
        .unwrap_or(locale)
}

/// Where a listing is, or that it is nowhere in particular.
fn region_label(ctx: &RequestContext, prefecture: Option<Prefecture>) -> String {
    match prefecture {
        Some(p) => p.name(ctx.tr.locale()).to_owned(),
        None => ctx.t("discovery-no-region"),
    }
}

/// A calendar date in the reader's language.
pub fn date_label(date: chrono::NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::Ja => date.format("%Y年%-m月%-d日").to_string(),
        Locale::En => date.format("%-d %b %Y").to_string(),
    }
}

/// The host of a URL, to show beside an outside link.
pub fn host(url: &str) -> String {
    url.split("://")
        .nth(1)
        .unwrap_or(url)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .to_owned()
}

/// A listing in the directory.
pub struct ListingCard {
    slug: String,
    name: String,
    other_name: String,
    other_lang: &'static str,
    kind_slug: String,
    kind_label: String,
    description: String,
    region: String,
    community_id: Option<i64>,
}

fn listing_card(ctx: &RequestContext, record: &ListingRecord) -> ListingCard {
    let locale = ctx.tr.locale();
    let other = other_locale(locale);
    let l = &record.listing;
    ListingCard {
        slug: l.slug.clone(),
        name: l.name.get(locale).to_owned(),
        other_name: l.name.get(other).to_owned(),
        other_lang: other.tag(),
        kind_slug: kind_slug(l.kind),
        kind_label: kind_label(ctx, l.kind),
        description: l.description.get(locale).to_owned(),
        region: region_label(ctx, l.prefecture),
        community_id: record.community_id.map(|c| c.0),
    }
}

/// `/organisations`.
#[derive(Template, WebTemplate)]
#[template(path = "organisations/index.html")]
pub struct DirectoryPage {
    ctx: RequestContext,
    kinds: Vec<Choice>,
    prefectures: Vec<Choice>,
    filtered: bool,
    result_count: String,
    cards: Vec<ListingCard>,
    previous_href: Option<String>,
    next_href: Option<String>,
}

/// The query string of the directory.
#[derive(Deserialize, Default)]
pub struct DirectoryQuery {
    kind: Option<String>,
    prefecture: Option<String>,
    page: Option<i64>,
}

fn directory_href(
    kind: Option<CommunityKind>,
    prefecture: Option<Prefecture>,
    page: i64,
) -> String {
    let pairs = [
        (
            "kind",
            kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        ),
        (
            "prefecture",
            prefecture.map(|p| p.code().to_owned()).unwrap_or_default(),
        ),
        (
            "page",
            if page > 1 {
                page.to_string()
            } else {
                String::new()
            },
        ),
    ];
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect();
    if query.is_empty() {
        "/organisations".to_owned()
    } else {
        format!("/organisations?{}", query.join("&"))
    }
}

/// `GET /organisations`: every listing by kind, or those of one kind or
/// prefecture. Unknown filter values are ignored.
pub async fn index(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<DirectoryQuery>,
) -> Result<DirectoryPage, Failure> {
    let kind = query.kind.as_deref().and_then(CommunityKind::parse);
    let prefecture = query.prefecture.as_deref().and_then(Prefecture::parse);
    let page = query.page.unwrap_or(1).clamp(1, 10_000);
    let filter = ListingFilter {
        kind,
        prefecture,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    let (records, total) = state.organisations.list(&filter).await?;
    let has_more = page * PAGE_SIZE < total;
    Ok(DirectoryPage {
        kinds: CommunityKind::ALL
            .into_iter()
            .map(|k| Choice {
                value: k.as_str().to_owned(),
                label: kind_label(&ctx, k),
                selected: kind == Some(k),
            })
            .collect(),
        prefectures: prefecture_choices(&ctx, prefecture.map_or("", |p| p.code())),
        filtered: kind.is_some() || prefecture.is_some(),
        result_count: ctx.t_count("discovery-result-count", "count", total),
        cards: records.iter().map(|r| listing_card(&ctx, r)).collect(),
        previous_href: (page > 1).then(|| directory_href(kind, prefecture, page - 1)),
        next_href: has_more.then(|| directory_href(kind, prefecture, page + 1)),
        ctx,
    })
}

/// One of the viewer's claims as shown.
pub struct ClaimView {
    status_slug: &'static str,
    status_label: String,
    sent_at: String,
    reason: Option<String>,
}

/// `/organisations/{slug}`.
#[derive(Template, WebTemplate)]
#[template(path = "organisations/show.html")]
pub struct ListingShowPage {
    ctx: RequestContext,
    slug: String,
    name: String,
    other_name: String,
    other_lang: &'static str,
    kind_slug: String,
    kind_value: &'static str,
    kind_label: String,
    kind_intro: String,
    description: String,
    other_description: String,
    region: String,
    company: Option<String>,
    website: Option<(String, String)>,
    tags: Vec<String>,
    community: Option<(i64, String)>,
    claimed_since: Option<String>,
    my_claims: Vec<ClaimView>,
    pending: bool,
    message: String,
    errors: FormErrors,
    login_href: String,
}

fn status_slug(status: ClaimStatus) -> &'static str {
    status.as_str()
}

fn show_page(ctx: RequestContext, page: &ListingPage) -> ListingShowPage {
    let locale = ctx.tr.locale();
    let other = other_locale(locale);
    let zone = reader_zone(&ctx);
    let l = &page.record.listing;
    let my_claims = page
        .my_claims
        .iter()
        .map(|entry| ClaimView {
            status_slug: status_slug(entry.claim.status),
            status_label: ctx.t(&format!(
                "discovery-claim-status-{}",
                entry.claim.status.as_str()
            )),
            sent_at: ctx.t1(
                "discovery-claim-sent-at",
                "time",
                format_time(entry.claim.created_at, zone, locale),
            ),
            reason: entry
                .claim
                .reason
                .as_ref()
                .map(|r| ctx.t1("discovery-claim-reason", "reason", r)),
        })
        .collect();
    let slug = l.slug.clone();
    ListingShowPage {
        name: l.name.get(locale).to_owned(),
        other_name: l.name.get(other).to_owned(),
        other_lang: other.tag(),
        kind_slug: kind_slug(l.kind),
        kind_value: l.kind.as_str(),
        kind_label: kind_label(&ctx, l.kind),
        kind_intro: ctx.t(&format!("kind-{}-desc", kind_slug(l.kind))),
        description: l.description.get(locale).to_owned(),
        other_description: l.description.get(other).to_owned(),
        region: region_label(&ctx, l.prefecture),
        company: l
            .company
            .as_ref()
            .map(|c| ctx.t1("discovery-company", "company", c)),
        website: l.website.as_ref().map(|url| (url.clone(), host(url))),
        tags: l.tags.clone(),
        community: page
            .community
            .as_ref()
            .map(|c| (c.id.0, c.profile.name.clone())),
        claimed_since: page
            .record
            .claimed_at
            .filter(|_| page.community.is_some())
            .map(|at| {
                let date = at.with_timezone(&zone.tz()).date_naive();
                ctx.t1(
                    "discovery-listing-claimed-note",
                    "date",
                    date_label(date, locale),
                )
            }),
        pending: page.my_claim_pending(),
        my_claims,
        message: String::new(),
        errors: FormErrors::default(),
        login_href: format!(
            "/login?next={}",
            url_encode(&format!("/organisations/{slug}#claim"))
        ),
        slug,
        ctx,
    }
}

/// `GET /organisations/{slug}`: one listing; 404 when there is none.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(slug): Path<String>,
) -> Result<ListingShowPage, Failure> {
    let viewer = ctx.user.as_ref().map(|u| &u.account);
    let page = state.organisations.page(viewer, &slug).await?;
    Ok(show_page(ctx, &page))
}

/// The claim form.
#[derive(Deserialize, Default)]
pub struct ClaimForm {
    #[serde(default)]
    message: String,
}

/// `POST /organisations/{slug}/claims`: sends a claim; the form comes back
/// with the message as typed when it is refused.
pub async fn claim(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(slug): Path<String>,
    HtmlForm(form): HtmlForm<ClaimForm>,
) -> Result<Response, Failure> {
    match state
        .organisations
        .claim(&user.account, &slug, &form.message)
        .await
    {
        Ok(_) => Ok(redirect_with_notice(
            &ctx,
            &format!("/organisations/{slug}#claim"),
            Some("discovery-claim-sent"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let data = state.organisations.page(Some(&user.account), &slug).await?;
            let mut page = show_page(ctx, &data);
            page.message = form.message;
            page.errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /organisations/{slug}/claims`: the form lives on the listing.
pub async fn back_to_listing(Path(slug): Path<String>) -> Redirect {
    let slug: String = slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    Redirect::to(&format!("/organisations/{slug}#claim"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_links_keep_the_filters() {
        assert_eq!(directory_href(None, None, 1), "/organisations");
        assert_eq!(
            directory_href(Some(CommunityKind::Union), Prefecture::parse("13"), 2),
            "/organisations?kind=union&prefecture=13&page=2"
        );
    }

    #[test]
    fn hosts_are_shown_without_paths() {
        assert_eq!(host("https://uazensen.jp/about?x"), "uazensen.jp");
        assert_eq!(host("https://www.hk.dk"), "www.hk.dk");
    }
}
