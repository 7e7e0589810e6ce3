//! Petition pages: a union's petitions, the organisers' form, and one
//! petition with its progress, milestones, updates, the names signers chose
//! to show, and signing or withdrawing.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tsunagari_app::{AppError, PetitionPage};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::petition::{self, Audience, PetitionDraft, PetitionId, SignatureRefusal};
use tsunagari_store::PetitionListing;

use super::{HtmlForm, format_time, reader_zone, redirect_with_notice};
use crate::context::{RequestContext, RequireUser};
use crate::error::{Failure, FormErrors};
use crate::markdown;
use crate::state::AppState;

/// A petition in a list.
pub struct PetitionItem {
    id: i64,
    title: String,
    target: String,
    deadline: String,
    count: String,
    open: bool,
}

fn count_label(ctx: &RequestContext, listing: &PetitionListing) -> String {
    ctx.tr.t_args(
        "petition-count-of-goal",
        &[
            ("count", listing.signatures.to_string()),
            ("goal", listing.petition.details.goal.to_string()),
        ],
    )
}

fn petition_item(ctx: &RequestContext, listing: &PetitionListing) -> PetitionItem {
    let d = &listing.petition.details;
    PetitionItem {
        id: listing.petition.id.0,
        title: d.title.clone(),
        target: d.target.clone(),
        deadline: format_time(d.deadline, reader_zone(ctx), ctx.tr.locale()),
        count: count_label(ctx, listing),
        open: listing.petition.is_open(tsunagari_domain::time::now()),
    }
}

/// A union's petitions.
#[derive(Template, WebTemplate)]
#[template(path = "petitions/index.html")]
pub struct IndexPage {
    ctx: RequestContext,
    community: (i64, String),
    organises: bool,
    open: Vec<PetitionItem>,
    closed: Vec<PetitionItem>,
}

/// `GET /communities/{id}/petitions`.
pub async fn index(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<IndexPage, Failure> {
    let viewer = ctx.user.as_ref().map(|u| &u.account);
    let list = state.petitions.list(viewer, CommunityId(id)).await?;
    let items: Vec<PetitionItem> = list
        .petitions
        .iter()
        .map(|l| petition_item(&ctx, l))
        .collect();
    let (open, closed) = items.into_iter().partition(|i| i.open);
    Ok(IndexPage {
        community: (id, list.community.profile.name.clone()),
        organises: list.viewer_organises(),
        open,
        closed,
        ctx,
    })
}

/// The petition form as posted.
#[derive(Deserialize, Default, Clone)]
pub struct PetitionForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    demand: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    goal: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    open_to_all: Option<String>,
}

impl PetitionForm {
    fn open_to_all(&self) -> bool {
        self.open_to_all.as_deref().is_some_and(|v| v == "1")
    }

    fn draft(&self, ctx: &RequestContext) -> PetitionDraft {
        PetitionDraft {
            title: self.title.clone(),
            demand: self.demand.clone(),
            target: self.target.clone(),
            goal: self.goal.clone(),
            deadline: self.deadline.clone(),
            time_zone: reader_zone(ctx),
            audience: if self.open_to_all() {
                Audience::SignedIn.as_str().to_owned()
            } else {
                Audience::Members.as_str().to_owned()
            },
        }
    }
}

/// The organisers' new-petition form.
#[derive(Template, WebTemplate)]
#[template(path = "petitions/form.html")]
pub struct FormPage {
    ctx: RequestContext,
    community: (i64, String),
    form: PetitionForm,
    open_to_all: bool,
    zone: String,
    errors: FormErrors,
}

fn form_page(ctx: RequestContext, community: (i64, String), form: PetitionForm) -> FormPage {
    FormPage {
        open_to_all: form.open_to_all(),
        zone: reader_zone(&ctx).name().to_owned(),
        community,
        form,
        errors: FormErrors::default(),
        ctx,
    }
}

/// `GET /communities/{id}/petitions/new`.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<FormPage, Failure> {
    let community = state
        .petitions
        .community_for_new(&user.account, CommunityId(id))
        .await?;
    let deadline = tsunagari_domain::event::local_time_input(
        tsunagari_domain::time::now() + chrono::Duration::days(30),
        reader_zone(&ctx),
    );
    let form = PetitionForm {
        deadline,
        ..Default::default()
    };
    Ok(form_page(ctx, (id, community.profile.name), form))
}

/// `POST /communities/{id}/petitions`.
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<PetitionForm>,
) -> Result<Response, Failure> {
    match state
        .petitions
        .create(&user.account, CommunityId(id), &form.draft(&ctx))
        .await
    {
        Ok(listing) => Ok(redirect_with_notice(
            &ctx,
            &format!("/petitions/{}", listing.petition.id.0),
            Some("petition-created"),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let community = state
                .petitions
                .community_for_new(&user.account, CommunityId(id))
                .await?;
            let mut page = form_page(ctx, (id, community.profile.name), form);
            page.errors = FormErrors::from_failure(&page.ctx.tr, &failure);
            Ok((failure.status, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// A milestone as shown.
pub struct MilestoneView {
    label: String,
    reached: Option<String>,
}

/// An update as shown.
pub struct UpdateView {
    id: i64,
    date: String,
    body: String,
    sent: bool,
}

/// One petition's page.
#[derive(Template, WebTemplate)]
#[template(path = "petitions/show.html")]
pub struct ShowPage {
    ctx: RequestContext,
    id: i64,
    community: (i64, String),
    title: String,
    target: String,
    demand_html: String,
    deadline: String,
    open: bool,
    audience: String,
    count: i64,
    goal: u32,
    progress: u64,
    count_label: String,
    milestones: Vec<MilestoneView>,
    updates: Vec<UpdateView>,
    public_signers: Vec<String>,
    unnamed: i64,
    signed: Option<(String, bool)>,
    may_sign: bool,
    refusal: Option<String>,
    signed_out: bool,
    organises: bool,
    update_body: String,
    update_notify: bool,
    errors: FormErrors,
}

fn show_page(ctx: RequestContext, page: &PetitionPage) -> ShowPage {
    let zone = reader_zone(&ctx);
    let locale = ctx.tr.locale();
    let p = &page.listing.petition;
    let d = &p.details;
    let count = page.listing.signatures;
    let milestones = page
        .milestones
        .iter()
        .map(|m| MilestoneView {
            label: ctx.tr.t_args(
                "petition-milestone",
                &[
                    ("percent", m.percent.to_string()),
                    ("count", m.threshold.to_string()),
                ],
            ),
            reached: m.reached_at.map(|t| format_time(t, zone, locale)),
        })
        .collect();
    let refusal = match page.may_sign {
        Some(Err(SignatureRefusal::NotMember)) => Some(ctx.t("petition-members-only")),
        Some(Err(SignatureRefusal::Closed)) if page.signature.is_none() => {
            Some(ctx.t("petition-closed"))
        }
        _ => None,
    };
    ShowPage {
        id: p.id.0,
        community: (page.community.id.0, page.community.profile.name.clone()),
        title: d.title.clone(),
        target: d.target.clone(),
        demand_html: markdown::render(&d.demand),
        deadline: format_time(d.deadline, zone, locale),
        open: page.is_open(),
        audience: ctx.t(&format!("petition-audience-{}", d.audience.as_str())),
        count,
        goal: d.goal,
        progress: petition::progress_percent(count.max(0) as u64, d.goal),
        count_label: count_label(&ctx, &page.listing),
        milestones,
        updates: page
            .updates
            .iter()
            .map(|u| UpdateView {
                id: u.id,
                date: format_time(u.created_at, zone, locale),
                body: u.body.clone(),
                sent: u.sent_to_signers,
            })
            .collect(),
        unnamed: count - page.public_signers.len() as i64,
        public_signers: page.public_signers.clone(),
        signed: page
            .signature
            .as_ref()
            .map(|s| (format_time(s.signed_at, zone, locale), s.show_name)),
        may_sign: matches!(page.may_sign, Some(Ok(()))),
        refusal,
        signed_out: page.may_sign.is_none(),
        organises: page.viewer_organises(),
        update_body: String::new(),
        update_notify: true,
        errors: FormErrors::default(),
        ctx,
    }
}

/// `GET /petitions/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<ShowPage, Failure> {
    let viewer = ctx.user.as_ref().map(|u| &u.account);
    let page = state.petitions.page(viewer, PetitionId(id)).await?;
    Ok(show_page(ctx, &page))
}

/// The signing form.
#[derive(Deserialize)]
pub struct SignForm {
    #[serde(default)]
    show_name: Option<String>,
}

/// `POST /petitions/{id}/sign`.
pub async fn sign(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<SignForm>,
) -> Result<Response, Failure> {
    let show_name = form.show_name.as_deref().is_some_and(|v| v == "1");
    state
        .petitions
        .sign(&user.account, PetitionId(id), show_name)
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/petitions/{id}"),
        Some("petition-signed"),
        Vec::new(),
    ))
}

/// `POST /petitions/{id}/withdraw`.
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
) -> Result<Response, Failure> {
    state
        .petitions
        .withdraw(&user.account, PetitionId(id))
        .await?;
    Ok(redirect_with_notice(
        &ctx,
        &format!("/petitions/{id}"),
        Some("petition-withdrawn"),
        Vec::new(),
    ))
}

/// The update form.
#[derive(Deserialize)]
pub struct UpdateForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    notify: Option<String>,
}

/// `POST /petitions/{id}/updates`.
pub async fn post_update(
    State(state): State<AppState>,
    ctx: RequestContext,
    RequireUser(user): RequireUser,
    Path(id): Path<i64>,
    HtmlForm(form): HtmlForm<UpdateForm>,
) -> Result<Response, Failure> {
    let notify = form.notify.as_deref().is_some_and(|v| v == "1");
    match state
        .petitions
        .post_update(&user.account, PetitionId(id), &form.body, notify)
        .await
    {
        Ok((update, _)) => Ok(redirect_with_notice(
            &ctx,
            &format!("/petitions/{id}#update-{}", update.id),
            Some(if notify {
                "petition-update-sent"
            } else {
                "petition-update-posted"
            }),
            Vec::new(),
        )),
        Err(error @ AppError::Invalid(_)) => {
            let failure = Failure::from(error);
            let page = state
                .petitions
                .page(Some(&user.account), PetitionId(id))
                .await?;
            let mut show = show_page(ctx, &page);
            show.errors = FormErrors::from_failure(&show.ctx.tr, &failure);
            show.update_body = form.body;
            show.update_notify = notify;
            Ok((failure.status, show).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
