//! The signed-in home page: a person's communities with their new threads
//! and upcoming events, suggested communities (from the latest self-check,
//! else from what their member profiles say, else the most popular), and
//! events this week that are online or near where they live.
//!
//! The page is read in two store calls (`HomeStore::home_page` on one
//! connection, then `events_near` once the region is known), however many
//! communities the person belongs to.

use std::sync::Arc;

use tsunagari_domain::community::Role;
use tsunagari_domain::home::{self, ProfileHints, Suggestion};
use tsunagari_domain::region::Prefecture;
use tsunagari_domain::selfcheck::{CommunityCandidate, Target, recommend};
use tsunagari_domain::time::now;
use tsunagari_domain::{Account, Locale, Timestamp};
use tsunagari_store::{CommunityListing, HomeEvent, HomeLimits, HomeThread, Store};

use crate::AppError;

/// New threads listed.
const THREADS: i64 = 8;
/// Upcoming events of the person's communities listed.
const EVENTS: i64 = 6;
/// Communities weighed for suggestions.
const CANDIDATES: i64 = 200;
/// Suggestions shown.
const SUGGESTIONS: usize = 4;
/// Events this week listed.
const NEARBY: i64 = 6;

/// Where the suggestions came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionSource {
    /// The self-check result taken at this time.
    SelfCheck {
        /// Its id.
        id: i64,
        /// When it was taken.
        taken_at: Timestamp,
    },
    /// The person's member profiles.
    Profiles,
    /// Nothing is known yet: the largest communities.
    Popular,
}

/// A suggested community with the reason.
#[derive(Debug, Clone)]
pub struct SuggestedCommunity {
    /// The community as listed.
    pub listing: CommunityListing,
    /// Why.
    pub why: Suggestion,
}

/// What the signed-in home page shows.
#[derive(Debug, Clone)]
pub struct HomeView {
    /// The person's communities and their role in each.
    pub communities: Vec<(CommunityListing, Role)>,
    /// New threads in them.
    pub threads: Vec<HomeThread>,
    /// Their upcoming events.
    pub events: Vec<HomeEvent>,
    /// Suggested communities.
    pub suggestions: Vec<SuggestedCommunity>,
    /// Where the suggestions came from.
    pub source: SuggestionSource,
    /// Events in the next seven days, online or in `region`.
    pub nearby: Vec<HomeEvent>,
    /// The prefecture used for nearby events, when known.
    pub region: Option<Prefecture>,
    /// Pending organisation claims, for site operators (`None` for others).
    pub pending_organisation_claims: Option<usize>,
}

/// The home-page use case.
#[derive(Clone)]
pub struct Home {
    store: Arc<dyn Store>,
}

fn candidate(listing: &CommunityListing) -> CommunityCandidate {
    crate::self_check::community_candidate(listing)
}

impl Home {
    /// The use case over a store.
    pub fn new(store: Arc<dyn Store>) -> Home {
        Home { store }
    }

    /// The home page of `account`, read in the reader's language.
    pub async fn view(&self, account: &Account, reader: Locale) -> Result<HomeView, AppError> {
        let at = now();
        let read = self
            .store
            .home_page(
                account.id,
                at,
                HomeLimits {
                    threads: THREADS,
                    events: EVENTS,
                    candidates: CANDIDATES,
                },
            )
            .await?;
        let candidates: Vec<CommunityCandidate> = read.candidates.iter().map(candidate).collect();
        let hints = ProfileHints {
            occupations: read.profiles.iter().map(|(o, _)| o.clone()).collect(),
            prefectures: read.profiles.iter().filter_map(|(_, p)| *p).collect(),
        };
        let scores = read
            .latest_self_check
            .as_ref()
            .and_then(|record| crate::self_check::scores_of(record).map(|s| (record, s)));
        // The self-check's recommendations first: only its communities
        // (events have a section of their own).
        let mut picks: Vec<(i64, Suggestion)> = Vec::new();
        let mut source = SuggestionSource::Popular;
        if let Some((record, scores)) = &scores {
            let (recommendations, _) = recommend(scores, &candidates, &[], at, reader);
            picks = recommendations
                .into_iter()
                .filter_map(|r| match r.target {
                    Target::Community { id, .. } => Some((id, Suggestion::Fit(r.reason))),
                    Target::Event { .. } => None,
                })
                .take(SUGGESTIONS)
                .collect();
            if !picks.is_empty() {
                source = SuggestionSource::SelfCheck {
                    id: record.id,
                    taken_at: record.created_at,
                };
            }
        }
        if picks.is_empty() && !hints.is_empty() {
            picks = home::suggest_from_profile(&hints, &candidates, reader, SUGGESTIONS)
                .into_iter()
                .map(|(c, why)| (c.id, why))
                .collect();
            if !picks.is_empty() {
                source = SuggestionSource::Profiles;
            }
        }
        if picks.is_empty() {
            picks = home::popular(&candidates, reader, SUGGESTIONS)
                .into_iter()
                .map(|(c, why)| (c.id, why))
                .collect();
            source = SuggestionSource::Popular;
        }
        let suggestions = picks
            .into_iter()
            .filter_map(|(id, why)| {
                let listing = read.candidates.iter().find(|l| l.community.id.0 == id)?;
                Some(SuggestedCommunity {
                    listing: listing.clone(),
                    why,
                })
            })
            .collect();
        let region = scores
            .as_ref()
            .and_then(|(_, s)| s.current_prefecture)
            .or(hints.prefecture());
        let (from, until) = home::this_week(at);
        let nearby = self
            .store
            .events_near(account.id, region, from, until, NEARBY)
            .await?;
        let pending_organisation_claims = if self.store.is_site_operator(account.id).await? {
            Some(
                self.store
                    .pending_organisation_claims(crate::organisations::CLAIM_QUEUE_LIMIT)
                    .await?
                    .len(),
            )
        } else {
            None
        };
        Ok(HomeView {
            communities: read.communities,
            threads: read.threads,
            events: read.events,
            suggestions,
            source,
            nearby,
            region,
            pending_organisation_claims,
        })
    }
}
