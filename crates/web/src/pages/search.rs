//! The search page (`/search`): one box with filters for type, kind,
//! prefecture, tag, online or in person and dates, results with
//! highlighted snippets, pages, and "did you mean". A plain GET form:
//! works without JavaScript; the header's search box submits to it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tsunagari_app::{AppError, SearchHit, SearchPage};
use tsunagari_domain::Locale;
use tsunagari_domain::community::CommunityKind;
use tsunagari_domain::search::{DocType, SearchForm, SearchRequest};

use super::communities::{Choice, kind_label, prefecture_choices};
use super::{format_time, reader_zone};
use crate::context::{RequestContext, url_encode};
use crate::error::{Failure, FormErrors};
use crate::state::AppState;

/// The query string of the page and of `GET /api/v1/search`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to find (Japanese or English; 200 characters at most).
    pub q: Option<String>,
    /// `community`, `event`, `thread`, `reply` or `public_scheme`.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// A community kind: `professional`, `corporate_alumni`,
    /// `regional_alumni`, `npo`, `worker_coop`, `union`.
    pub kind: Option<String>,
    /// A JIS prefecture code, `01`–`47`.
    pub prefecture: Option<String>,
    /// A community tag.
    pub tag: Option<String>,
    /// `true` for events held online, `false` for events held in person.
    pub online: Option<String>,
    /// First day, `YYYY-MM-DD` (in the reader's time zone): an event's
    /// start or a post's date.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`, inclusive.
    pub to: Option<String>,
    /// Page, from 1 to 100.
    pub page: Option<String>,
}

impl SearchParams {
    /// The form as typed.
    pub fn form(&self) -> SearchForm {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        SearchForm {
            q: text(&self.q),
            doc_type: text(&self.doc_type),
            kind: text(&self.kind),
            prefecture: text(&self.prefecture),
            tag: text(&self.tag),
            online: text(&self.online),
            from: text(&self.from),
            to: text(&self.to),
            page: text(&self.page),
        }
    }
}

/// The translated name of a result type.
pub fn type_label(ctx: &RequestContext, doc_type: DocType) -> String {
    ctx.t(&format!(
        "search-type-{}",
        doc_type.as_str().replace('_', "-")
    ))
}

/// A result's title in the reader's language (public schemes have both).
pub fn title_in(hit: &SearchHit, locale: Locale) -> String {
    match (&hit.document.alt_title, locale) {
        (Some(english), Locale::En) => english.clone(),
        _ => hit.document.title.clone(),
    }
}

/// One result as the page shows it.
pub struct ResultView {
    type_slug: String,
    type_label: String,
    title: String,
    url: String,
    snippet: String,
    details: Vec<String>,
}

/// A link to another page of results.
pub struct PageLink {
    href: String,
    label: String,
    current: bool,
}

/// `/search`.
#[derive(Template, WebTemplate)]
#[template(path = "search/index.html")]
pub struct SearchPageView {
    ctx: RequestContext,
    title: String,
    form: SearchForm,
    errors: FormErrors,
    searched: bool,
    preparing: bool,
    types: Vec<Choice>,
    kinds: Vec<Choice>,
    prefectures: Vec<Choice>,
    formats: Vec<Choice>,
    summary: String,
    results: Vec<ResultView>,
    suggestion: Option<(String, String)>,
    pages: Vec<PageLink>,
    previous: Option<String>,
    next: Option<String>,
}

fn choices<T: Copy + PartialEq>(
    all: &[T],
    selected: Option<T>,
    value: impl Fn(T) -> String,
    label: impl Fn(T) -> String,
) -> Vec<Choice> {
    all.iter()
        .map(|item| Choice {
            value: value(*item),
            label: label(*item),
            selected: selected == Some(*item),
        })
        .collect()
}

/// The page's query string for a form with another page or other words.
fn href(form: &SearchForm, page: u32) -> String {
    let pairs = [
        ("q", form.q.trim()),
        ("type", form.doc_type.trim()),
        ("kind", form.kind.trim()),
        ("prefecture", form.prefecture.trim()),
        ("tag", form.tag.trim()),
        ("online", form.online.trim()),
        ("from", form.from.trim()),
        ("to", form.to.trim()),
    ];
    let mut query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect();
    if page > 1 {
        query.push(format!("page={page}"));
    }
    format!("/search?{}", query.join("&"))
}

fn details(ctx: &RequestContext, hit: &SearchHit) -> Vec<String> {
    let document = &hit.document;
    let locale = ctx.tr.locale();
    let mut details = Vec::new();
    if let Some(starts) = document.starts_at {
        details.push(format_time(starts, reader_zone(ctx), locale));
    }
    if let Some(format) = document.format {
        if format.online {
            details.push(ctx.t("search-format-online"));
        }
        if format.in_person {
            details.push(ctx.t("search-format-in-person"));
        }
    }
    if let Some(kind) = document.kind
        && document.key.doc_type == DocType::Community
    {
        details.push(kind_label(ctx, kind));
    }
    if let Some(prefecture) = document.prefecture {
        details.push(prefecture.name(locale).to_owned());
    }
    if document.key.doc_type == DocType::Community && document.members > 0 {
        details.push(ctx.t_count("search-members", "count", document.members as i64));
    }
    details
}

impl SearchPageView {
    fn new(ctx: RequestContext, form: SearchForm) -> SearchPageView {
        let doc_type = DocType::parse(&form.doc_type);
        let kind = CommunityKind::parse(&form.kind);
        let online = form.online.trim().to_owned();
        let types = choices(
            &DocType::ALL,
            doc_type,
            |t| t.as_str().to_owned(),
            |t| type_label(&ctx, t),
        );
        let kinds = choices(
            &CommunityKind::ALL,
            kind,
            |k| k.as_str().to_owned(),
            |k| kind_label(&ctx, k),
        );
        let formats = [
            ("true", "search-format-online"),
            ("false", "search-format-in-person"),
        ]
        .into_iter()
        .map(|(value, key)| Choice {
            value: value.to_owned(),
            label: ctx.t(key),
            selected: online == value,
        })
        .collect();
        let title = if form.q.trim().is_empty() {
            ctx.t("search-title")
        } else {
            ctx.t1("search-title-with-query", "query", form.q.trim())
        };
        SearchPageView {
            title,
            prefectures: prefecture_choices(&ctx, form.prefecture.trim()),
            ctx,
            form,
            errors: FormErrors::default(),
            searched: false,
            preparing: false,
            types,
            kinds,
            formats,
            summary: String::new(),
            results: Vec::new(),
            suggestion: None,
            pages: Vec::new(),
            previous: None,
            next: None,
        }
    }

    fn show(&mut self, request: &SearchRequest, page: SearchPage) {
        let ctx = &self.ctx;
        let locale = ctx.tr.locale();
        self.searched = !request.is_empty();
        self.preparing = page.preparing;
        self.summary = if page.total == 0 {
            String::new()
        } else if request.text.is_empty() {
            ctx.t_count("search-summary-filters", "count", page.total as i64)
        } else {
            ctx.tr.t_args(
                "search-summary",
                &[
                    ("count", page.total.to_string()),
                    ("query", request.text.clone()),
                ],
            )
        };
        self.results = page
            .hits
            .iter()
            .map(|hit| ResultView {
                type_slug: hit.document.key.doc_type.as_str().replace('_', "-"),
                type_label: type_label(ctx, hit.document.key.doc_type),
                title: title_in(hit, locale),
                url: hit.document.url.clone(),
                snippet: hit.snippet.clone(),
                details: details(ctx, hit),
            })
            .collect();
        self.suggestion = page.suggestion.map(|words| {
            let form = SearchForm {
                q: words.clone(),
                page: String::new(),
                ..self.form.clone()
            };
            (href(&form, 1), words)
        });
        if page.pages > 1 {
            let current = page.page;
            let first = current.saturating_sub(4).max(1);
            let last = (first + 8).min(page.pages);
            self.pages = (first..=last)
                .map(|n| PageLink {
                    href: href(&self.form, n),
                    label: n.to_string(),
                    current: n == current,
                })
                .collect();
            self.previous = (current > 1).then(|| href(&self.form, current - 1));
            self.next = (current < page.pages).then(|| href(&self.form, current + 1));
        }
    }
}

/// `GET /search`: the form, and results when something was asked. Bad
/// filters are answered 422 with the form as typed and the problems.
pub async fn index(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(params): Query<SearchParams>,
) -> Result<Response, Failure> {
    let form = params.form();
    let zone = reader_zone(&ctx);
    let viewer = ctx.user.as_ref().map(|u| u.account.clone());
    match state.search.search_form(viewer.as_ref(), &form, zone).await {
        Ok((request, page)) => {
            let mut view = SearchPageView::new(ctx, form);
            view.show(&request, page);
            Ok(view.into_response())
        }
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let mut view = SearchPageView::new(ctx, form);
            view.errors = FormErrors::from_failure(&view.ctx.tr, &failure);
            Ok((failure.status, view).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// How long a write's response waits for the index to take it in.
const CATCH_UP_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// Middleware: after a write this server made, the index reads the change
/// log before the response goes out (waiting at most half a second), so
/// the person who wrote something finds it with their next search. The
/// catch-up runs as a task of its own: a slow one finishes after the
/// response instead of being cut off half-way.
pub async fn catch_up_after_writes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let writes = !matches!(request.method().as_str(), "GET" | "HEAD" | "OPTIONS");
    let response = next.run(request).await;
    if writes && state.search.is_ready() {
        let search = state.search.clone();
        let task = tokio::spawn(async move { search.catch_up().await });
        match tokio::time::timeout(CATCH_UP_WAIT, task).await {
            Ok(Ok(Ok(_))) => {}
            Ok(Ok(Err(error))) => {
                tracing::warn!(%error, "search index could not catch up after a write")
            }
            Ok(Err(error)) => tracing::warn!(%error, "search catch-up task failed"),
            // Still running: it finishes on its own, the loop covers the rest.
            Err(_) => state.search.nudge(),
        }
    }
    response
}
