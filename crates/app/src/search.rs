//! Search use cases: keeping this server's index current from the
//! database's change log, rebuilding it, and answering searches with the
//! searcher's permissions.
//!
//! The database is the source of truth. Triggers write every change of a
//! searchable row to `search_changes`; `Search::catch_up` reads the log
//! from the last id this index applied and re-reads the named documents
//! from the store (a row that is gone, or no longer searchable, is removed
//! from the index). It runs every 250 ms and right after each write this
//! server answers, so a change is searchable well within a second.
//!
//! On PostgreSQL an id can become visible after a higher one (transactions
//! commit in any order). The reader remembers the ids it skipped over and
//! asks for them again on every round for a minute, so a late commit is
//! not lost; the watermark it stores is below the oldest such gap.
//!
//! Permissions are applied twice: the index filters by the communities
//! whose members-only content the searcher may see, and every hit is read
//! again from the store and checked with `SearchDocument::visible_to`
//! before it is shown, so a post hidden a moment ago never appears.
//!
//! Loading a document type is one function (`load`); a new type is one
//! `DocType` variant, one domain constructor and one arm here.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, Notify};
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::event::EventId;
use tsunagari_domain::organisation::ListingId;
use tsunagari_domain::search::{DocKey, DocType, PER_PAGE, SearchDocument, SearchRequest};
use tsunagari_domain::thread::{ReplyId, ThreadId};
use tsunagari_domain::time::now;
use tsunagari_domain::{Account, Timestamp};
use tsunagari_search::{IndexConfig, IndexState, Morphology, SearchError, SearchIndex, snippet};
use tsunagari_store::{SchemeFilter, Store, StoreResult};

use crate::AppError;

/// How often the change log is read.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);
/// How long an id skipped over is waited for.
const GAP_PATIENCE: Duration = Duration::from_secs(60);
/// The most skipped ids remembered at once (more in one jump is a pruned
/// or reset log, not transactions in flight).
const MAX_GAPS: i64 = 10_000;
/// Entries read from the log per round.
const BATCH: i64 = 500;
/// After a rebuild, this many of the latest log entries are applied again:
/// a transaction still open when the rebuild read the tables has an id
/// below the head it saw.
const REBUILD_LOOKBACK: i64 = 1000;
/// Databases with at most this many searchable rows are indexed before the
/// server answers (well under a second); larger ones in the background.
const SYNCHRONOUS_REBUILD_ROWS: i64 = 5000;
/// How long change-log entries are kept.
const RETENTION: chrono::Duration = chrono::Duration::days(7);
/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 160;

/// Where the index lives and whether Japanese words are matched whole.
#[derive(Debug, Clone, Default)]
pub struct SearchSettings {
    /// The folder for the index (and, unless `dictionary_cache` says
    /// otherwise, the compiled dictionary); `None` keeps the index in
    /// memory, rebuilt at every start (tests).
    pub dir: Option<PathBuf>,
    /// IPADIC sources (Debian's `/usr/share/mecab/dic/ipadic`); `None`
    /// means bigrams alone.
    pub dictionary_source: Option<PathBuf>,
    /// Where the compiled dictionary goes; defaults to `dir`.
    pub dictionary_cache: Option<PathBuf>,
}

/// One result, checked against the store just now.
#[derive(Debug, Clone)]
pub struct SearchHit {
    /// The document as it is in the database now.
    pub document: SearchDocument,
    /// Escaped HTML with `<mark>` around the matches.
    pub snippet: String,
}

/// One page of results.
#[derive(Debug, Clone, Default)]
pub struct SearchPage {
    /// The index is being built; nothing can be found yet.
    pub preparing: bool,
    /// How many documents match in all.
    pub total: usize,
    /// This page's results.
    pub hits: Vec<SearchHit>,
    /// "Did you mean": the same search with close words, when nothing was
    /// found.
    pub suggestion: Option<String>,
    /// The page shown.
    pub page: u32,
    /// How many pages there are.
    pub pages: u32,
}

/// What reading the change log has seen.
#[derive(Debug, Default)]
struct LogReader {
    /// The highest id applied.
    highest: i64,
    /// Ids below `highest` not seen yet, with when they were noticed.
    gaps: BTreeMap<i64, Instant>,
}

impl LogReader {
    fn from_watermark(watermark: i64) -> LogReader {
        LogReader {
            highest: watermark,
            gaps: BTreeMap::new(),
        }
    }

    /// Every id up to here has been applied (or waited for long enough).
    fn watermark(&self) -> i64 {
        self.gaps
            .keys()
            .next()
            .map_or(self.highest, |first| first - 1)
    }
}

struct Inner {
    store: Arc<dyn Store>,
    index: Arc<SearchIndex>,
    ready: AtomicBool,
    wake: Notify,
    reader: Mutex<LogReader>,
}

/// The search use cases. Cheap to clone.
#[derive(Clone)]
pub struct Search {
    inner: Arc<Inner>,
}

fn blocking_error(error: tokio::task::JoinError) -> AppError {
    AppError::Search(SearchError::Index(format!("index task failed: {error}")))
}

/// Reads the named documents from the store as they are now: `None` for
/// one that is gone or not searchable (hidden, removed, withdrawn…).
pub async fn load(
    store: &dyn Store,
    keys: &[DocKey],
) -> StoreResult<Vec<(DocKey, Option<SearchDocument>)>> {
    let mut by_type: BTreeMap<DocType, Vec<&DocKey>> = BTreeMap::new();
    for key in keys {
        by_type.entry(key.doc_type).or_default().push(key);
    }
    let mut found: HashMap<DocKey, SearchDocument> = HashMap::new();
    let numeric =
        |keys: &[&DocKey]| -> Vec<i64> { keys.iter().filter_map(|k| k.numeric_id()).collect() };
    for (doc_type, keys) in &by_type {
        let documents: Vec<SearchDocument> = match doc_type {
            DocType::Community => {
                let ids: Vec<CommunityId> = numeric(keys).into_iter().map(CommunityId).collect();
                store
                    .communities_for_search(&ids)
                    .await?
                    .into_iter()
                    .map(|c| {
                        SearchDocument::community(
                            &c.listing.community,
                            c.listing.member_count.max(0) as u64,
                            c.last_activity,
                        )
                    })
                    .collect()
            }
            DocType::Event => {
                let ids: Vec<EventId> = numeric(keys).into_iter().map(EventId).collect();
                let events = store.events_for_search(&ids).await?;
                let communities =
                    communities_of(store, events.iter().map(|e| e.community_id)).await?;
                events
                    .iter()
                    .filter_map(|e| {
                        communities
                            .get(&e.community_id)
                            .map(|c| SearchDocument::event(e, c))
                    })
                    .collect()
            }
            DocType::Thread => {
                let ids: Vec<ThreadId> = numeric(keys).into_iter().map(ThreadId).collect();
                let threads = store.threads_for_search(&ids).await?;
                let communities =
                    communities_of(store, threads.iter().map(|t| t.community_id)).await?;
                threads
                    .iter()
                    .filter_map(|t| {
                        communities
                            .get(&t.community_id)
                            .and_then(|c| SearchDocument::thread(t, c))
                    })
                    .collect()
            }
            DocType::Reply => {
                let ids: Vec<ReplyId> = numeric(keys).into_iter().map(ReplyId).collect();
                let replies = store.replies_for_search(&ids).await?;
                let thread_ids: BTreeSet<ThreadId> = replies.iter().map(|r| r.thread_id).collect();
                let threads: HashMap<ThreadId, _> = store
                    .threads_for_search(&thread_ids.into_iter().collect::<Vec<_>>())
                    .await?
                    .into_iter()
                    .map(|t| (t.id, t))
                    .collect();
                let communities =
                    communities_of(store, threads.values().map(|t| t.community_id)).await?;
                replies
                    .iter()
                    .filter_map(|r| {
                        let thread = threads.get(&r.thread_id)?;
                        let community = communities.get(&thread.community_id)?;
                        SearchDocument::reply(r, thread, community)
                    })
                    .collect()
            }
            DocType::Organisation => {
                let ids: Vec<ListingId> = numeric(keys).into_iter().map(ListingId).collect();
                store
                    .organisations_for_search(&ids)
                    .await?
                    .iter()
                    .map(|record| SearchDocument::organisation(record.id, &record.listing))
                    .collect()
            }
            DocType::PublicScheme => {
                let slugs: Vec<String> = keys.iter().map(|k| k.id.clone()).collect();
                store
                    .public_schemes_for_search(&slugs)
                    .await?
                    .iter()
                    .map(SearchDocument::public_scheme)
                    .collect()
            }
        };
        for document in documents {
            found.insert(document.key.clone(), document);
        }
    }
    Ok(keys
        .iter()
        .map(|key| (key.clone(), found.remove(key)))
        .collect())
}

async fn communities_of(
    store: &dyn Store,
    ids: impl Iterator<Item = CommunityId>,
) -> StoreResult<HashMap<CommunityId, tsunagari_domain::community::Community>> {
    let ids: BTreeSet<CommunityId> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<CommunityId> = ids.into_iter().collect();
    Ok(store
        .communities_for_search(&ids)
        .await?
        .into_iter()
        .map(|c| (c.listing.community.id, c.listing.community))
        .collect())
}

/// Opens the dictionary the settings name, or says in the log why search
/// runs on bigrams alone.
fn morphology(settings: &SearchSettings) -> Option<Morphology> {
    let source = settings.dictionary_source.as_ref()?;
    if !Morphology::source_exists(source) {
        tracing::info!(
            source = %source.display(),
            "Japanese dictionary not found (install Debian's mecab-ipadic): search matches Japanese by two-character pieces alone"
        );
        return None;
    }
    let Some(cache) = settings.dictionary_cache.as_ref().or(settings.dir.as_ref()) else {
        tracing::info!(
            "no folder for the compiled Japanese dictionary: search matches Japanese by two-character pieces alone"
        );
        return None;
    };
    match Morphology::prepare(source, cache) {
        Ok(morphology) => Some(morphology),
        Err(error) => {
            tracing::warn!(%error, "Japanese dictionary unavailable: search matches Japanese by two-character pieces alone");
            None
        }
    }
}

impl Search {
    /// Opens (or creates) the index the settings name and brings it up to
    /// date: a missing, outdated or too-far-behind index is rebuilt from
    /// the store — at once when the database is small, otherwise in the
    /// background while searches answer "being prepared".
    pub async fn open(
        store: Arc<dyn Store>,
        settings: &SearchSettings,
    ) -> Result<Search, AppError> {
        let settings = settings.clone();
        let index = tokio::task::spawn_blocking(move || {
            let morphology = morphology(&settings);
            SearchIndex::open(&IndexConfig {
                dir: settings.dir.clone(),
                morphology,
                writer_memory: 0,
                writer_threads: 1,
            })
        })
        .await
        .map_err(blocking_error)??;
        let state = index.state();
        let search = Search {
            inner: Arc::new(Inner {
                store,
                index: Arc::new(index),
                ready: AtomicBool::new(false),
                wake: Notify::new(),
                reader: Mutex::new(LogReader::from_watermark(state.watermark)),
            }),
        };
        let pruned = search.inner.store.search_changes_pruned_through().await?;
        if state.complete && state.watermark >= pruned {
            search.inner.ready.store(true, Ordering::SeqCst);
            tracing::info!(
                mode = search.mode(),
                watermark = state.watermark,
                "search index opened"
            );
        } else {
            let rows = search.inner.store.count_searchable().await?;
            if rows <= SYNCHRONOUS_REBUILD_ROWS {
                search.rebuild().await?;
            } else {
                tracing::info!(
                    rows,
                    "search index missing or outdated: rebuilding in the background"
                );
                let background = search.clone();
                tokio::spawn(async move {
                    if let Err(error) = background.rebuild().await {
                        tracing::error!(%error, "rebuilding the search index failed");
                    }
                });
            }
        }
        Ok(search)
    }

    /// `bigram+ipadic` or `bigram`.
    pub fn mode(&self) -> &'static str {
        self.inner.index.mode()
    }

    /// Whether searches can be answered (no rebuild in progress).
    pub fn is_ready(&self) -> bool {
        self.inner.ready.load(Ordering::SeqCst)
    }

    /// How far the index has caught up, as of its last commit.
    pub fn state(&self) -> IndexState {
        self.inner.index.state()
    }

    /// Asks the background loop to read the change log now (after a
    /// write this server made).
    pub fn nudge(&self) {
        self.inner.wake.notify_one();
    }

    /// Reads every searchable row from the store into a fresh index.
    /// Returns how many documents it holds.
    pub async fn rebuild(&self) -> Result<u64, AppError> {
        let started = Instant::now();
        let mut reader = self.inner.reader.lock().await;
        self.inner.ready.store(false, Ordering::SeqCst);
        let store = &self.inner.store;
        let head = store.search_change_head().await?;
        let index = self.inner.index.clone();
        tokio::task::spawn_blocking(move || index.clear())
            .await
            .map_err(blocking_error)??;
        for doc_type in DocType::ALL {
            if doc_type == DocType::PublicScheme {
                let schemes = store.public_schemes(&SchemeFilter::default()).await?;
                let documents: Vec<SearchDocument> =
                    schemes.iter().map(SearchDocument::public_scheme).collect();
                self.add(documents).await?;
                continue;
            }
            let mut after = 0;
            loop {
                let ids = store.searchable_ids(doc_type, after, BATCH).await?;
                let Some(last) = ids.last() else { break };
                after = *last;
                let keys: Vec<DocKey> = ids
                    .iter()
                    .map(|id| DocKey::numeric(doc_type, *id))
                    .collect();
                let documents = load(store.as_ref(), &keys)
                    .await?
                    .into_iter()
                    .filter_map(|(_, document)| document)
                    .collect();
                self.add(documents).await?;
            }
        }
        let watermark = (head - REBUILD_LOOKBACK).max(0);
        self.commit(IndexState {
            watermark,
            complete: true,
        })
        .await?;
        *reader = LogReader::from_watermark(watermark);
        drop(reader);
        self.inner.ready.store(true, Ordering::SeqCst);
        let documents = self.inner.index.num_docs();
        tracing::info!(
            documents,
            mode = self.mode(),
            seconds = started.elapsed().as_secs_f32(),
            "search index rebuilt"
        );
        // The entries after the lookback point are applied again now.
        self.catch_up().await?;
        Ok(documents)
    }

    async fn add(&self, documents: Vec<SearchDocument>) -> Result<(), AppError> {
        let index = self.inner.index.clone();
        tokio::task::spawn_blocking(move || index.add_new(&documents))
            .await
            .map_err(blocking_error)??;
        Ok(())
    }

    async fn commit(&self, state: IndexState) -> Result<(), AppError> {
        let index = self.inner.index.clone();
        tokio::task::spawn_blocking(move || index.commit(state))
            .await
            .map_err(blocking_error)??;
        Ok(())
    }

    /// Applies the change log to the index up to its current end; returns
    /// how many entries were applied.
    pub async fn catch_up(&self) -> Result<usize, AppError> {
        let mut reader = self.inner.reader.lock().await;
        let store = &self.inner.store;
        let mut changes = Vec::new();
        // Late commits of ids skipped over earlier.
        let now_instant = Instant::now();
        reader
            .gaps
            .retain(|_, noticed| now_instant.duration_since(*noticed) < GAP_PATIENCE);
        if !reader.gaps.is_empty() {
            let ids: Vec<i64> = reader.gaps.keys().copied().collect();
            for change in store.search_changes_with_ids(&ids).await? {
                reader.gaps.remove(&change.id);
                changes.push(change);
            }
        }
        loop {
            let batch = store.search_changes_after(reader.highest, BATCH).await?;
            let full = batch.len() as i64 == BATCH;
            for change in batch {
                for missing in (reader.highest + 1).max(change.id - MAX_GAPS)..change.id {
                    reader.gaps.insert(missing, now_instant);
                }
                reader.highest = change.id;
                changes.push(change);
            }
            if !full {
                break;
            }
        }
        if changes.is_empty() {
            return Ok(0);
        }
        let mut keys: Vec<DocKey> = Vec::new();
        for change in &changes {
            match DocType::parse(&change.doc_type) {
                Some(doc_type) => keys.push(DocKey {
                    doc_type,
                    id: change.doc_id.clone(),
                }),
                None => {
                    tracing::debug!(doc_type = %change.doc_type, "change of an unknown document type skipped")
                }
            }
        }
        keys.sort();
        keys.dedup();
        let loaded = load(store.as_ref(), &keys).await?;
        let index = self.inner.index.clone();
        let state = IndexState {
            watermark: reader.watermark(),
            complete: true,
        };
        tokio::task::spawn_blocking(move || {
            index.apply(loaded.iter().map(|(key, doc)| (key, doc.as_ref())))?;
            index.commit(state)
        })
        .await
        .map_err(blocking_error)??;
        Ok(changes.len())
    }

    /// Removes change-log entries older than the retention (7 days).
    pub async fn prune_log(&self) -> Result<u64, AppError> {
        let before: Timestamp = now() - RETENTION;
        Ok(self.inner.store.prune_search_changes(before).await?)
    }

    /// Keeps the index current until the task is dropped: reads the log
    /// every `POLL_INTERVAL` or when nudged, prunes it once an hour.
    pub async fn run(self) {
        let mut last_prune = Instant::now();
        loop {
            tokio::select! {
                () = tokio::time::sleep(POLL_INTERVAL) => {}
                () = self.inner.wake.notified() => {}
            }
            if !self.is_ready() {
                continue;
            }
            if let Err(error) = self.catch_up().await {
                tracing::warn!(%error, "search index could not read the change log");
            }
            if last_prune.elapsed() > Duration::from_secs(3600) {
                last_prune = Instant::now();
                match self.prune_log().await {
                    Ok(0) => {}
                    Ok(removed) => tracing::info!(removed, "old search change-log entries removed"),
                    Err(error) => tracing::warn!(%error, "pruning the search change log failed"),
                }
            }
        }
    }

    /// One page of what `request` finds for `viewer` (signed out: public
    /// content only).
    pub async fn search(
        &self,
        viewer: Option<&Account>,
        request: &SearchRequest,
    ) -> Result<SearchPage, AppError> {
        if !self.is_ready() {
            return Ok(SearchPage {
                preparing: true,
                page: request.page,
                ..SearchPage::default()
            });
        }
        if request.is_empty() {
            return Ok(SearchPage {
                page: 1,
                ..SearchPage::default()
            });
        }
        let store = &self.inner.store;
        let member_of: Vec<CommunityId> = match viewer {
            Some(account) => store.member_community_ids(account.id).await?,
            None => Vec::new(),
        };
        let index = self.inner.index.clone();
        let query = request.clone();
        let ids = member_of.clone();
        let (hits, suggestion) = tokio::task::spawn_blocking(move || {
            let hits = index.search(&query, &ids, now(), query.offset(), PER_PAGE)?;
            let suggestion = if hits.total == 0 && !query.text.is_empty() {
                index.suggest(&query, &ids)?
            } else {
                None
            };
            Ok::<_, SearchError>((hits, suggestion))
        })
        .await
        .map_err(blocking_error)??;
        // Every hit again from the store, with the rule applied to what is
        // there now.
        let keys: Vec<DocKey> = hits.hits.iter().map(|h| h.key.clone()).collect();
        let member_set: BTreeSet<CommunityId> = member_of.into_iter().collect();
        let fresh = load(store.as_ref(), &keys).await?;
        let results: Vec<SearchHit> = fresh
            .into_iter()
            .filter_map(|(_, document)| document)
            .filter(|document| document.visible_to(&member_set))
            .map(|document| {
                let text = if document.body.trim().is_empty() {
                    &document.title
                } else {
                    &document.body
                };
                SearchHit {
                    snippet: snippet(text, &request.text, SNIPPET_CHARS),
                    document,
                }
            })
            .collect();
        let pages = hits
            .total
            .div_ceil(PER_PAGE)
            .min(tsunagari_domain::search::MAX_PAGE as usize) as u32;
        Ok(SearchPage {
            preparing: false,
            total: hits.total,
            hits: results,
            suggestion,
            page: request.page,
            pages,
        })
    }
}

/// The field a search-form problem belongs to.
pub fn search_field(error: tsunagari_domain::search::SearchFieldError) -> crate::Field {
    use crate::Field;
    use tsunagari_domain::search::SearchFieldError as E;
    match error {
        E::Query => Field::Query,
        E::DocType => Field::DocType,
        E::Kind => Field::Kind,
        E::Prefecture => Field::Prefecture,
        E::Tag => Field::Tag,
        E::Online => Field::Online,
        E::From => Field::DateFrom,
        E::To => Field::DateTo,
        E::Page => Field::Page,
    }
}

impl Search {
    /// Validates a search form in the viewer's zone and searches.
    pub async fn search_form(
        &self,
        viewer: Option<&Account>,
        form: &tsunagari_domain::search::SearchForm,
        zone: tsunagari_domain::UserTimeZone,
    ) -> Result<(SearchRequest, SearchPage), AppError> {
        let request = form.validate(zone).map_err(|errors| {
            let mut fields = crate::FieldErrors::default();
            for error in errors {
                fields.add(search_field(error), crate::FieldProblem::Search(error));
            }
            AppError::Invalid(fields)
        })?;
        let page = self.search(viewer, &request).await?;
        Ok((request, page))
    }
}
