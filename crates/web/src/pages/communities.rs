//! Community pages: discovery, creation and settings, a community's page,
//! joining and leaving, and the member list with organiser actions.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tsunagari_app::{AppError, CommunityPage as PageData, MemberAction};
use tsunagari_domain::community::{
    CommunityDraft, CommunityId, CommunityKind, JoinOutcome, MembershipPolicy, MembershipStatus,
    Role,
};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::{Locale, UserId};
use tsunagari_store::{CommunityFilter, CommunityListing, FrontPageLimits};

use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::context::{RequestContext, RequireUser, url_encode};
use crate::error::{Failure, FormErrors};
use crate::markdown;
use crate::state::AppState;

const PAGE_SIZE: i64 = 24;

/// The CSS and message slug of a kind (`corporate-alumni`).
pub fn kind_slug(kind: CommunityKind) -> String {
    kind.as_str().replace('_', "-")
}

/// The translated name of a kind.
pub fn kind_label(ctx: &RequestContext, kind: CommunityKind) -> String {
    ctx.t(&format!("kind-{}", kind_slug(kind)))
}

/// The translated name of a role.
pub fn role_label(ctx: &RequestContext, role: Role) -> String {
    ctx.t(&format!("role-{}", role.as_str()))
}

/// A prefecture's name in a language.
pub fn prefecture_name(prefecture: Prefecture, locale: Locale) -> String {
    prefecture.name(locale).to_owned()
}

/// A community in a list.
pub struct CommunityCard {
    pub(crate) id: i64,
    pub(crate) kind_slug: String,
    pub(crate) kind_label: String,
    pub(crate) name: String,
    pub(crate) region: Option<String>,
    pub(crate) members: String,
    pub(crate) tags: Vec<String>,
    pub(crate) excerpt: String,
    pub(crate) next_event: Option<String>,
}

/// Builds the card of a listed community.
pub fn card(ctx: &RequestContext, listing: &CommunityListing) -> CommunityCard {
    let c = &listing.community;
    CommunityCard {
        id: c.id.0,
        kind_slug: kind_slug(c.kind),
        kind_label: kind_label(ctx, c.kind),
        name: c.profile.name.clone(),
        region: c
            .profile
            .prefecture
            .map(|p| prefecture_name(p, ctx.tr.locale())),
        members: ctx.t_count("communities-member-count", "count", listing.member_count),
        tags: c.profile.tags.clone(),
        excerpt: markdown::excerpt(&c.profile.description, 90),
        next_event: None,
    }
}

/// Cards for listed communities with the date of each one's next event,
/// looked up in one query for all of them.
pub async fn cards(
    state: &AppState,
    ctx: &RequestContext,
    listings: &[&CommunityListing],
) -> Result<Vec<CommunityCard>, Failure> {
    let communities: Vec<_> = listings.iter().map(|l| l.community.clone()).collect();
    let next = state.events.next_event_starts(&communities).await?;
    let zone = reader_zone(ctx);
    Ok(listings
        .iter()
        .map(|listing| {
            let mut card = card(ctx, listing);
            card.next_event = next.get(&listing.community.id).map(|start| {
                ctx.t1(
                    "community-next-event",
                    "time",
                    format_time(*start, zone, ctx.tr.locale()),
                )
            });
            card
        })
        .collect())
}

/// An option of a select list.
pub struct Choice {
    /// Submitted value.
    pub value: String,
    /// Shown text.
    pub label: String,
    /// Whether it is the current value.
    pub selected: bool,
}

fn kind_choices(ctx: &RequestContext, selected: &str) -> Vec<Choice> {
    CommunityKind::ALL
        .into_iter()
        .map(|kind| Choice {
            value: kind.as_str().to_owned(),
            label: kind_label(ctx, kind),
            selected: kind.as_str() == selected,
        })
        .collect()
}

/// The 47 prefectures as select options.
pub fn prefecture_choices(ctx: &RequestContext, selected: &str) -> Vec<Choice> {
    Prefecture::all()
        .map(|p| Choice {
            value: p.code().to_owned(),
            label: prefecture_name(p, ctx.tr.locale()),
            selected: Prefecture::parse(selected) == Some(p),
        })
        .collect()
}

/// The discovery page.
#[derive(Template, WebTemplate)]
#[template(path = "communities/index.html")]
pub struct DiscoveryPage {
    ctx: RequestContext,
    kinds: Vec<Choice>,
    prefectures: Vec<Choice>,
    tag: String,
    filtered: bool,
    cards: Vec<CommunityCard>,
    mine: Vec<CommunityCard>,
    previous_href: Option<String>,
    next_href: Option<String>,
}

/// Filters of the discovery page.
#[derive(Deserialize, Default)]
pub struct DiscoveryQuery {
    kind: Option<String>,
    prefecture: Option<String>,
    tag: Option<String>,
    page: Option<i64>,
}

impl DiscoveryQuery {
    fn href(&self, page: i64) -> String {
        let pairs = [
            ("kind", self.kind.clone().unwrap_or_default()),
            ("prefecture", self.prefecture.clone().unwrap_or_default()),
            ("tag", self.tag.clone().unwrap_or_default()),
            ("page", page.to_string()),
        ];
        let query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect();
        format!("/communities?{}", query.join("&"))
    }
}

/// `GET /communities`.
pub async fn index(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<DiscoveryQuery>,
) -> Result<DiscoveryPage, Failure> {
    let kind = query.kind.as_deref().and_then(CommunityKind::parse);
    let prefecture = query.prefecture.as_deref().and_then(Prefecture::parse);
    let tag = query
        .tag
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    let page = query.page.unwrap_or(1).max(1);
    let filtered = kind.is_some() || prefecture.is_some() || tag.is_some();
    let filter = CommunityFilter {
        kind,
        prefecture,
        tag: tag.clone(),
        // Unfiltered, show the top level; sub-groups appear on their parent's page.
        top_level_only: !filtered,
        limit: PAGE_SIZE + 1,
        offset: (page - 1) * PAGE_SIZE,
        ..Default::default()
    };
    let mut listings = state.communities.list(&filter).await?;
    let has_more = listings.len() as i64 > PAGE_SIZE;
    listings.truncate(PAGE_SIZE as usize);
    let mine_listings = match &ctx.user {
        Some(user) if !filtered && page == 1 => {
            state.communities.communities_of(&user.account).await?
        }
        _ => Vec::new(),
    };
    // One query for the next events of every card on the page.
    let all: Vec<&CommunityListing> = listings
        .iter()
        .chain(mine_listings.iter().map(|(l, _)| l))
        .collect();
    let mut all_cards = cards(&state, &ctx, &all).await?;
    let mine = all_cards.split_off(listings.len());
    Ok(DiscoveryPage {
        kinds: kind_choices(&ctx, kind.map_or("", |k| k.as_str())),
        prefectures: prefecture_choices(&ctx, prefecture.map_or("", |p| p.code())),
        tag: tag.unwrap_or_default(),
        filtered,
        cards: all_cards,
        mine,
        previous_href: (page > 1).then(|| query.href(page - 1)),
        next_href: has_more.then(|| query.href(page + 1)),
        ctx,
    })
}

/// The community form as posted.
#[derive(Deserialize, Default, Clone)]
pub struct CommunityForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    prefecture: String,
    #[serde(default)]
    municipality: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    membership: String,
    #[serde(default)]
    join_question: String,
    #[serde(default)]
    company_name: String,
    parent_id: Option<i64>,
}

impl CommunityForm {
    fn draft(&self) -> CommunityDraft {
        CommunityDraft {
            name: self.name.clone(),
            description: self.description.clone(),
            tags: self.tags.clone(),
            prefecture: self.prefecture.clone(),
            municipality: self.municipality.clone(),
            visibility: self.visibility.clone(),
            membership: self.membership.clone(),
            join_question: self.join_question.clone(),
            company_name: self.company_name.clone(),
        }
    }
}

/// A kind as offered on the creation form.
pub struct KindOption {
    value: &'static str,
    slug: String,
    label: String,
    description: String,
    checked: bool,
}

/// Creating or editing a community.
#[derive(Template, WebTemplate)]
#[template(path = "communities/form.html")]
pub struct CommunityFormPage {
    ctx: RequestContext,
    title: String,
    action: String,
    is_new: bool,
    kinds: Vec<KindOption>,
    parent: Option<(i64, String)>,
    form: CommunityForm,
    prefectures: Vec<Choice>,
    errors: FormErrors,
}

impl CommunityFormPage {
    fn new(
        ctx: RequestContext,
        form: CommunityForm,
        parent: Option<(i64, String)>,
        edit: Option<(i64, CommunityKind)>,
    ) -> Self {
        let kinds = CommunityKind::ALL
            .into_iter()
            .map(|kind| KindOption {
                value: kind.as_str(),
                slug: kind_slug(kind),
                label: kind_label(&ctx, kind),
                description: ctx.t(&format!("kind-{}-desc", kind_slug(kind))),
                checked: form.kind == kind.as_str(),
            })
            .collect();
        let title = match (&edit, &parent) {
            (Some(_), _) => ctx.t("community-edit-title"),
            (None, Some((_, name))) => ctx.t1("community-new-subgroup-title", "parent", name),
            (None, None) => ctx.t("community-new-title"),
        };
        CommunityFormPage {
            title,
            action: match edit {
                Some((id, _)) => format!("/communities/{id}/edit"),
                None => "/communities".to_owned(),
            },
            is_new: edit.is_none(),
            kinds,
            parent,
            prefectures: prefecture_choices(&ctx, &form.prefecture),
            form,
            errors: FormErrors::default(),
            ctx,
        }
    }
}

/// Query of `GET /communities/new`.
#[derive(Deserialize)]
pub struct NewQuery {
    kind: Option<String>,
    parent: Option<i64>,
}

/// `GET /communities/new`.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Query(query): Query<NewQuery>,
) -> Result<CommunityFormPage, Failure> {
    let parent = match query.parent {
        Some(id) => {
            let page = state
                .communities
                .page(Some(&user.account), CommunityId(id))
                .await?;
            Some((
                id,
                page.community.profile.name,
                page.community.kind,
                page.community.profile.prefecture,
            ))
        }
        None => None,
    };
    let form = CommunityForm {
        kind: parent
            .as_ref()
            .map(|(_, _, kind, _)| kind.as_str().to_owned())
            .or(query.kind)
            .unwrap_or_else(|| CommunityKind::Professional.as_str().to_owned()),
        prefecture: parent
            .as_ref()
            .and_then(|(_, _, _, p)| p.map(|p| p.code().to_owned()))
            .unwrap_or_default(),
        visibility: "public".to_owned(),
        membership: "open".to_owned(),
        parent_id: parent.as_ref().map(|(id, ..)| *id),
        ..Default::default()
    };
    Ok(CommunityFormPage::new(
        ctx,
        form,
        parent.map(|(id, name, ..)| (id, name)),
        None,
    ))
}

/// `POST /communities`.
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    HtmlForm(form): HtmlForm<CommunityForm>,
) -> Result<Response, Failure> {
    let parent = form.parent_id.map(CommunityId);
    match state
        .communities
        .create(&user.account, &form.kind, &form.draft(), parent)
        .await
    {
        Ok(community) => Ok(redirect_with_notice(
            &ctx,
            &format!("/communities/{}", community.id.0),
            Some("community-created"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let parent_name = match parent {
                Some(id) => state
                    .communities
                    .page(Some(&user.account), id)
                    .await
                    .ok()
                    .map(|p| (id.0, p.community.profile.name)),
                None => None,
            };
            let mut page = CommunityFormPage::new(ctx, form, parent_name, None);
            page.errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /communities/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<CommunityFormPage, Failure> {
    let page = state
        .communities
        .page(Some(&user.account), CommunityId(id))
        .await?;
    if !page.viewer_organises() {
        return Err(AppError::Forbidden(tsunagari_app::Denial::NotOrganiser).into());
    }
    let c = &page.community;
    let form = CommunityForm {
        kind: c.kind.as_str().to_owned(),
        name: c.profile.name.clone(),
        description: c.profile.description.clone(),
        tags: c.profile.tags.join(", "),
        prefecture: c
            .profile
            .prefecture
            .map(|p| p.code().to_owned())
            .unwrap_or_default(),
        municipality: c
            .profile
            .municipality
            .as_ref()
            .map(|m| m.as_str().to_owned())
            .unwrap_or_default(),
        visibility: c.profile.visibility.as_str().to_owned(),
        membership: c.profile.membership.as_str().to_owned(),
        join_question: c.profile.join_question.clone().unwrap_or_default(),
        company_name: c.profile.company_name.clone().unwrap_or_default(),
        parent_id: None,
    };
    Ok(CommunityFormPage::new(ctx, form, None, Some((id, c.kind))))
}

/// `POST /communities/{id}/edit`.
pub async fn update(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(mut form): HtmlForm<CommunityForm>,
) -> Result<Response, Failure> {
    match state
        .communities
        .update(&user.account, CommunityId(id), &form.draft())
        .await
    {
        Ok(_) => Ok(redirect_with_notice(
            &ctx,
            &format!("/communities/{id}"),
            Some("community-saved"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let kind = state
                .communities
                .page(Some(&user.account), CommunityId(id))
                .await?
                .community
                .kind;
            form.kind = kind.as_str().to_owned();
            let mut page = CommunityFormPage::new(ctx, form, None, Some((id, kind)));
            page.errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// Where the viewer stands with a community, for the join/leave box.
pub enum Standing {
    /// Not signed in.
    Visitor,
    /// Signed in, not a member.
    Outsider,
    /// Request pending.
    Pending,
    /// Banned.
    Banned,
    /// A member with this role.
    Member(Role),
}

/// A community's page.
#[derive(Template, WebTemplate)]
#[template(path = "communities/show.html")]
pub struct ShowPage {
    ctx: RequestContext,
    id: i64,
    kind_slug: String,
    kind_label: String,
    kind_intro: String,
    name: String,
    description_html: String,
    region: Option<String>,
    company: Option<String>,
    fans_welcome: bool,
    tags: Vec<String>,
    members: String,
    parent: Option<(i64, String)>,
    subgroups: Vec<CommunityCard>,
    standing: Standing,
    role_label: String,
    approval: bool,
    join_question: Option<String>,
    can_read: bool,
    organises: bool,
    threads: Vec<super::threads::ThreadSummary>,
    events: Vec<super::events::EventItem>,
    tools: Vec<super::tools::ToolLink>,
    /// The Atom feed of a public community.
    feed: Option<String>,
}

impl ShowPage {
    /// Sub-groups are listed when there are some, or when the viewer may start one.
    fn shows_subgroups(&self) -> bool {
        !self.subgroups.is_empty() || matches!(self.standing, Standing::Member(_))
    }
}

fn show_page(
    ctx: RequestContext,
    data: PageData,
    threads: Vec<super::threads::ThreadSummary>,
    events: Vec<super::events::EventItem>,
) -> ShowPage {
    let c = &data.community;
    let standing = match (&ctx.user, &data.membership) {
        (None, _) => Standing::Visitor,
        (Some(_), None) => Standing::Outsider,
        (Some(_), Some(m)) => match m.status {
            MembershipStatus::Pending => Standing::Pending,
            MembershipStatus::Banned => Standing::Banned,
            MembershipStatus::Active => Standing::Member(m.role),
        },
    };
    let role_label = match &standing {
        Standing::Member(role) => role_label(&ctx, *role),
        _ => String::new(),
    };
    let locale = ctx.tr.locale();
    ShowPage {
        id: c.id.0,
        kind_slug: kind_slug(c.kind),
        kind_label: kind_label(&ctx, c.kind),
        kind_intro: ctx.t(&format!("kind-{}-intro", kind_slug(c.kind))),
        name: c.profile.name.clone(),
        description_html: markdown::render(&c.profile.description),
        region: c.profile.prefecture.map(|p| prefecture_name(p, locale)),
        company: c.profile.company_name.clone(),
        fans_welcome: c.kind == CommunityKind::RegionalAlumni,
        tags: c.profile.tags.clone(),
        members: ctx.t_count("communities-member-count", "count", data.member_count),
        parent: data
            .parent
            .as_ref()
            .map(|p| (p.id.0, p.profile.name.clone())),
        subgroups: data.subgroups.iter().map(|l| card(&ctx, l)).collect(),
        organises: data.viewer_organises(),
        approval: c.profile.membership == MembershipPolicy::Approval,
        join_question: c.profile.join_question.clone(),
        can_read: data.can_read,
        tools: super::tools::links(&ctx, c),
        feed: (c.profile.visibility == tsunagari_domain::community::Visibility::Public)
            .then(|| super::feeds::community_feed_path(c.id.0)),
        threads,
        events,
        standing,
        role_label,
        ctx,
    }
}

/// Upcoming events listed on a community's page.
const UPCOMING_ON_PAGE: i64 = 5;

/// `GET /communities/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<ShowPage, Failure> {
    let viewer = ctx.user.as_ref().map(|u| &u.account);
    let limits = FrontPageLimits {
        threads: super::threads::COMMUNITY_PAGE_THREADS,
        events: UPCOMING_ON_PAGE,
    };
    let front = state
        .communities
        .front_page(viewer, CommunityId(id), limits)
        .await?;
    let threads = super::threads::summaries(&ctx, &front.threads);
    let events = front
        .upcoming
        .iter()
        .map(|l| super::events::item(&ctx, l, None))
        .collect();
    let data = front.page;
    Ok(show_page(ctx, data, threads, events))
}

/// The join form.
#[derive(Deserialize, Default)]
pub struct JoinForm {
    answer: Option<String>,
}

/// `POST /communities/{id}/join`.
pub async fn join(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<JoinForm>,
) -> Result<Response, Failure> {
    let outcome = state
        .communities
        .join(&user.account, CommunityId(id), form.answer.as_deref())
        .await?;
    let notice = match outcome {
        JoinOutcome::Joined => "community-joined",
        JoinOutcome::Requested => "community-requested",
    };
    Ok(redirect_with_notice(
        &ctx,
        &format!("/communities/{id}"),
        Some(notice),
        Vec::new(),
    ))
}

/// `POST /communities/{id}/leave`.
pub async fn leave(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    state
        .communities
        .leave(&user.account, CommunityId(id))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/communities/{id}"),
        Some("community-left"),
        Vec::new(),
    ))
}

/// An organiser's action on one member.
#[derive(Deserialize)]
pub struct MemberActionForm {
    #[serde(default)]
    action: String,
}

/// `POST /communities/{id}/members/{user_id}`.
pub async fn act_on_member(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path((id, member)): Path<(i64, i64)>,
    HtmlForm(form): HtmlForm<MemberActionForm>,
) -> Result<Response, Failure> {
    let action = MemberAction::parse(&form.action).ok_or_else(Failure::bad_request)?;
    state
        .communities
        .act_on_member(&user.account, CommunityId(id), UserId(member), action)
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/communities/{id}/members"),
        Some("member-action-done"),
        Vec::new(),
    ))
}

/// The ownership transfer form.
#[derive(Deserialize)]
pub struct TransferForm {
    user_id: Option<i64>,
}

/// `POST /communities/{id}/transfer`.
pub async fn transfer(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<TransferForm>,
) -> Result<Response, Failure> {
    let to = form.user_id.ok_or_else(Failure::bad_request)?;
    state
        .communities
        .transfer_ownership(&user.account, CommunityId(id), UserId(to))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/communities/{id}/members"),
        Some("members-transferred"),
        Vec::new(),
    ))
}

/// `GET /communities/{id}/join` and friends: a bookmark or a signed-out
/// click lands on the community page instead of a 405.
pub async fn back_to_community(Path(id): Path<i64>) -> Redirect {
    Redirect::to(&format!("/communities/{id}"))
}
