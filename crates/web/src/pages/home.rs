//! The home page: what tsunagari is, for visitors; a welcome for members.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use tsunagari_domain::community::CommunityKind;

use super::communities::{CommunityCard, card, kind_slug};
use crate::context::RequestContext;
use crate::error::Failure;
use crate::state::AppState;

/// A kind of community as shown on the home page.
pub struct KindCard {
    /// CSS and message slug.
    pub slug: String,
    /// The kind's stable name, for the discovery filter link.
    pub value: &'static str,
    /// Translated name.
    pub name: String,
    /// Translated one-line description.
    pub description: String,
}

/// The home page.
#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    ctx: RequestContext,
    kinds: Vec<KindCard>,
    mine: Vec<CommunityCard>,
}

/// `GET /`: for members, their communities first.
pub async fn show(State(state): State<AppState>, ctx: RequestContext) -> Result<HomePage, Failure> {
    let kinds = CommunityKind::ALL
        .into_iter()
        .map(|kind| {
            let slug = kind_slug(kind);
            KindCard {
                name: ctx.t(&format!("kind-{slug}")),
                description: ctx.t(&format!("kind-{slug}-desc")),
                value: kind.as_str(),
                slug,
            }
        })
        .collect();
    let mine = match &ctx.user {
        Some(user) => state
            .communities
            .communities_of(&user.account)
            .await?
            .iter()
            .map(|(listing, _)| card(&ctx, listing))
            .collect(),
        None => Vec::new(),
    };
    Ok(HomePage { ctx, kinds, mine })
}
