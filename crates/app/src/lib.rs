//! The use cases of tsunagari: each public method is one thing a person or
//! an operator does (sign up, log in, change a password…), applying the
//! domain's rules and persisting through the store.
//!
//! This layer is where "what happens" lives; the web crate only parses
//! requests into calls here and renders the results, and the store only
//! reads and writes. It must not depend on HTTP types, so the same calls
//! serve the HTML pages, the JSON API and the command line.
#![deny(missing_docs)]

mod accounts;
mod ballots;
mod communities;
mod counselling;
pub mod demo;
mod directory;
mod error;
mod events;
mod export;
mod feeds;
mod fund;
mod home;
mod notifications;
mod operators;
mod opinions;
mod organisations;
mod petitions;
mod public_schemes;
mod search;
mod self_check;
mod shares;
mod threads;
mod tools;
mod union_export;

pub use accounts::{Accounts, ClientInfo, DeletionConfirmation, ProfileChange, SignUp, SignedIn};
pub use ballots::{BallotList, BallotPage, Ballots, DueWork, ballot_field, ballot_path, tally_of};
pub use communities::{Communities, CommunityPage, FrontPage, MemberAction};
pub use counselling::{
    Counselling, CounsellingOverview, RequestLists, RequestPage, counselling_field,
};
pub use directory::DirectoryEntry;
pub use error::{AppError, Denial, Field, FieldErrors, FieldProblem};
pub use events::{EventChange, EventPage, Events, event_field};
pub use export::AccountExport;
pub use feeds::{COMMUNITY_FEED_ENTRIES, EVENT_FEED_ENTRIES, Feeds};
pub use fund::{
    ClaimBallot, ClaimPage, DecisionOutcome, Fund, FundPage, FundSettingsForm, PAYOUTS_PER_PAGE,
    PayoutHistory, decision_denial, fund_field,
};
pub use home::{Home, HomeView, SuggestedCommunity, SuggestionSource};
pub use notifications::Notifications;
pub use operators::{RoleChange, SiteOperators};
pub use opinions::{
    OpinionAuthor, OpinionBox, OpinionItem, OpinionPage, Opinions, ResponseItem, opinion_field,
};
pub use organisations::{
    CLAIM_QUEUE_LIMIT, DirectoryError, ListingPage, Organisations, SHIPPED_DIRECTORY,
    listing_filter, parse_directory,
};
pub use petitions::{PetitionList, PetitionPage, Petitions, petition_field};
pub use public_schemes::{
    CatalogueError, ImportMode, ImportReport, PublicSchemes, SHIPPED_CATALOGUE, parse_catalogue,
    scheme_filter,
};
pub use search::{
    POLL_INTERVAL, Search, SearchHit, SearchPage, SearchSettings, load as load_search_documents,
    search_field,
};
pub use self_check::{
    Claimed, Finished, SelfCheckReport, SelfChecks, VISITOR_DRAFT_DAYS, answers_from_json,
    answers_to_json,
};
pub use shares::{
    OrganiserShares, PAGE_ENTRIES as SHARE_PAGE_ENTRIES, SharePage, Shares, refusal_field,
    share_field,
};
pub use threads::{
    Moderated, NotificationHook, Posted, ReplyListing, ThreadListing, ThreadOptions, ThreadPage,
    Threads,
};
pub use tools::CommunityTools;
