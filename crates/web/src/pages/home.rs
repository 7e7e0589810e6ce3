//! The home page: what tsunagari is, for visitors; a welcome for members.

use askama::Template;
use askama_web::WebTemplate;

use crate::context::RequestContext;

/// The six kinds of community, in the order the product presents them.
pub const COMMUNITY_KINDS: [&str; 6] = [
    "professional",
    "corporate-alumni",
    "regional-alumni",
    "npo",
    "worker-coop",
    "union",
];

/// A kind of community as shown on the home page.
pub struct KindCard {
    /// CSS and message slug.
    pub slug: &'static str,
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
}

/// `GET /`.
pub async fn show(ctx: RequestContext) -> HomePage {
    let kinds = COMMUNITY_KINDS
        .into_iter()
        .map(|slug| KindCard {
            slug,
            name: ctx.t(&format!("kind-{slug}")),
            description: ctx.t(&format!("kind-{slug}-desc")),
        })
        .collect();
    HomePage { ctx, kinds }
}
