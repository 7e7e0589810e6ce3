//! The full-text index of tsunagari: a tantivy index over `SearchDocument`s
//! (communities, events, threads, replies, public schemes), built for
//! Japanese first and English second.
//!
//! - `text`: NFKC normalisation and folding (ｷｬﾘｱ = キャリア, ＵＸ = UX,
//!   case, katakana as hiragana).
//! - `analysis`: the three analyses of every text — CJK bigrams (always;
//!   any word of two characters or more is found), whole words from the
//!   IPADIC dictionary through lindera (when the dictionary is there), and
//!   the vocabulary of suggestions. Latin words are English-stemmed.
//! - `dictionary`: compiling Debian's `mecab-ipadic` sources once into a
//!   folder of ours, and loading it.
//! - `index`: the schema, opening the index on disk or in memory, writing,
//!   and the change-log watermark kept in each commit's payload.
//! - `query`: requests as queries, permission and filter clauses, the
//!   ranking, counts and "did you mean".
//! - `ranking`: relevance times what tsunagari favours, and the collector
//!   that skips matches that cannot reach the page.
//! - `snippet`: escaped HTML snippets with `<mark>`.
//!
//! **Boundary:** this crate depends on the domain crate only — never on
//! the store, the app or the web crate. It is told what to index (the app
//! layer reads documents from the store and applies the change log) and
//! who is searching (the communities whose members-only content they may
//! see); it never decides permissions itself beyond filtering by that set.
#![deny(missing_docs)]

pub mod analysis;
pub mod dictionary;
pub mod index;
pub mod query;
mod ranking;
pub mod snippet;
pub mod text;

pub use dictionary::{DEBIAN_IPADIC, Morphology};
pub use index::{IndexConfig, IndexState, SCHEMA_VERSION, SearchIndex};
pub use query::{Hit, Hits};
pub use snippet::snippet;

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index could not be opened, written or read.
    #[error("search index: {0}")]
    Index(String),
    /// Another process (a running server, or `tsunagari reindex`) writes
    /// this index.
    #[error("the search index at {0} is in use by another process")]
    Locked(String),
    /// The dictionary could not be compiled or loaded.
    #[error("Japanese dictionary: {0}")]
    Dictionary(String),
}
