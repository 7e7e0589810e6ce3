//! The tantivy index: its schema, opening (on disk or in memory), writing
//! documents and remembering how far the change log has been applied.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::PreTokenizedString;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use tsunagari_domain::search::{Audience, DocKey, SearchDocument};

use crate::SearchError;
use crate::analysis::{bigram_tokens, morph_tokens, word_tokens};
use crate::dictionary::Morphology;
use crate::text::{lower, normalise};

/// Bumped whenever the schema or the analysis changes: an index of another
/// version is rebuilt from the store.
pub const SCHEMA_VERSION: u32 = 1;

/// Where and how to keep an index.
#[derive(Debug, Clone, Default)]
pub struct IndexConfig {
    /// The folder under which the index lives (a sub-folder per schema
    /// version and analysis mode); `None` keeps it in memory.
    pub dir: Option<PathBuf>,
    /// The dictionary for whole-word matching; `None` means bigrams alone.
    pub morphology: Option<Morphology>,
    /// Indexing memory in bytes (at least 15 MB).
    pub writer_memory: usize,
    /// Indexing threads (1 for a server; the benchmark uses more).
    pub writer_threads: usize,
}

/// How far the index has caught up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IndexState {
    /// Every change-log entry up to this id has been applied.
    pub watermark: i64,
    /// A full rebuild finished at some point (a new index has not).
    pub complete: bool,
}

impl IndexState {
    fn payload(self) -> String {
        format!(
            "tsunagari-search {SCHEMA_VERSION} watermark={} complete={}",
            self.watermark,
            u8::from(self.complete)
        )
    }

    fn parse(payload: &str) -> Option<IndexState> {
        let mut parts = payload.split_whitespace();
        if parts.next()? != "tsunagari-search" || parts.next()? != SCHEMA_VERSION.to_string() {
            return None;
        }
        let watermark = parts.next()?.strip_prefix("watermark=")?.parse().ok()?;
        let complete = parts.next()?.strip_prefix("complete=")? == "1";
        Some(IndexState {
            watermark,
            complete,
        })
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub key: Field,
    pub doc_type: Field,
    pub kind: Field,
    pub prefecture: Field,
    pub tag: Field,
    pub format: Field,
    pub audience: Field,
    pub member_community: Field,
    pub date: Field,
    pub ends_at: Field,
    pub members: Field,
    pub active_at: Field,
    pub title_bigram: Field,
    pub body_bigram: Field,
    pub context_bigram: Field,
    pub title_morph: Field,
    pub body_morph: Field,
    pub context_morph: Field,
    pub words: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let positions = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let docs_only = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        key: builder.add_text_field("key", STRING | STORED),
        doc_type: builder.add_text_field("doc_type", STRING),
        kind: builder.add_text_field("kind", STRING),
        prefecture: builder.add_text_field("prefecture", STRING),
        tag: builder.add_text_field("tag", STRING),
        format: builder.add_text_field("format", STRING),
        audience: builder.add_text_field("audience", STRING),
        member_community: builder.add_i64_field("member_community", INDEXED),
        date: builder.add_i64_field("date", INDEXED),
        ends_at: builder.add_i64_field("ends_at", FAST),
        members: builder.add_u64_field("members", FAST),
        active_at: builder.add_i64_field("active_at", FAST),
        title_bigram: builder.add_text_field("title_bigram", positions.clone()),
        body_bigram: builder.add_text_field("body_bigram", positions.clone()),
        context_bigram: builder.add_text_field("context_bigram", positions.clone()),
        title_morph: builder.add_text_field("title_morph", positions.clone()),
        body_morph: builder.add_text_field("body_morph", positions.clone()),
        context_morph: builder.add_text_field("context_morph", positions),
        words: builder.add_text_field("words", docs_only),
    };
    (builder.build(), fields)
}

/// A tag as the filter compares it: normalised, lower case.
pub(crate) fn tag_key(tag: &str) -> String {
    normalise(tag).trim().chars().map(lower).collect()
}

/// The full-text index.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
    pub(crate) morphology: Option<Morphology>,
    folder: Option<PathBuf>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("folder", &self.folder)
            .field("mode", &self.mode())
            .finish()
    }
}

fn index_error(error: tantivy::TantivyError) -> SearchError {
    SearchError::Index(error.to_string())
}

fn folder_name(morphology: bool) -> String {
    let mode = if morphology { "ipadic" } else { "bigram" };
    format!("index-v{SCHEMA_VERSION}-{mode}")
}

/// Removes the indexes of other schema versions or modes left in `dir`.
fn remove_stale(dir: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("index-v") && name != keep {
            match std::fs::remove_dir_all(entry.path()) {
                Ok(()) => {
                    tracing::info!(folder = %entry.path().display(), "old search index removed")
                }
                Err(error) => {
                    tracing::warn!(%error, folder = %entry.path().display(), "cannot remove an old search index")
                }
            }
        }
    }
}

impl SearchIndex {
    /// Opens the index `config` names, creating it when missing or of
    /// another schema version (its state then says it is not complete).
    pub fn open(config: &IndexConfig) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        let (index, folder) = match &config.dir {
            None => (Index::create_in_ram(schema), None),
            Some(dir) => {
                let name = folder_name(config.morphology.is_some());
                let folder = dir.join(&name);
                std::fs::create_dir_all(&folder).map_err(|e| {
                    SearchError::Index(format!("cannot create {}: {e}", folder.display()))
                })?;
                remove_stale(dir, &name);
                let directory = tantivy::directory::MmapDirectory::open(&folder)
                    .map_err(|e| SearchError::Index(format!("{}: {e}", folder.display())))?;
                let index = match Index::open_or_create(directory, schema.clone()) {
                    Ok(index) => index,
                    Err(error) => {
                        // An index whose schema differs despite the folder name
                        // (a hand-edited folder): start again.
                        tracing::warn!(%error, folder = %folder.display(), "search index unreadable; rebuilding it");
                        std::fs::remove_dir_all(&folder).map_err(|e| {
                            SearchError::Index(format!("cannot remove {}: {e}", folder.display()))
                        })?;
                        std::fs::create_dir_all(&folder).map_err(|e| {
                            SearchError::Index(format!("cannot create {}: {e}", folder.display()))
                        })?;
                        Index::create_in_dir(&folder, schema).map_err(index_error)?
                    }
                };
                (index, Some(folder))
            }
        };
        let (mut index, folder) = (index, folder);
        // A query searches the segments in parallel: on a small server the
        // cores are idle between queries, and one query's latency is what a
        // person waits for.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        if cores > 1 {
            index
                .set_multithread_executor(cores.min(8))
                .map_err(index_error)?;
        }
        let threads = config.writer_threads.max(1);
        let memory = config.writer_memory.max(15_000_000 * threads);
        let writer =
            index
                .writer_with_num_threads(threads, memory)
                .map_err(|error| match error {
                    tantivy::TantivyError::LockFailure(..) => SearchError::Locked(
                        folder
                            .as_ref()
                            .map(|f| f.display().to_string())
                            .unwrap_or_default(),
                    ),
                    other => index_error(other),
                })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(index_error)?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            morphology: config.morphology.clone(),
            folder,
        })
    }

    /// `bigram+ipadic` with the dictionary, `bigram` without.
    pub fn mode(&self) -> &'static str {
        if self.morphology.is_some() {
            "bigram+ipadic"
        } else {
            "bigram"
        }
    }

    /// The folder on disk, when not in memory.
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    /// How far the index has caught up, as of its last commit.
    pub fn state(&self) -> IndexState {
        self.index
            .load_metas()
            .ok()
            .and_then(|metas| metas.payload)
            .and_then(|payload| IndexState::parse(&payload))
            .unwrap_or_default()
    }

    pub(crate) fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// How many documents the index holds (as of the last commit).
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// How many segments the index has (each is searched on its own).
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// The index's size on disk in bytes (0 in memory).
    pub fn size_on_disk(&self) -> u64 {
        fn walk(path: &Path) -> u64 {
            std::fs::read_dir(path)
                .map(|entries| {
                    entries
                        .flatten()
                        .map(|e| match e.metadata() {
                            Ok(m) if m.is_dir() => walk(&e.path()),
                            Ok(m) => m.len(),
                            Err(_) => 0,
                        })
                        .sum()
                })
                .unwrap_or(0)
        }
        self.folder.as_deref().map(walk).unwrap_or(0)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Removes every document (a rebuild starts here; nothing changes for
    /// readers until `commit`).
    pub fn clear(&self) -> Result<(), SearchError> {
        self.lock().delete_all_documents().map_err(index_error)?;
        Ok(())
    }

    /// Adds, replaces (`Some`) or removes (`None`) documents by key; seen by
    /// searches after the next `commit`.
    pub fn apply<'a>(
        &self,
        changes: impl IntoIterator<Item = (&'a DocKey, Option<&'a SearchDocument>)>,
    ) -> Result<(), SearchError> {
        let writer = self.lock();
        for (key, document) in changes {
            writer.delete_term(Term::from_field_text(self.fields.key, &key.to_key_string()));
            if let Some(document) = document {
                writer
                    .add_document(self.tantivy_document(document))
                    .map_err(index_error)?;
            }
        }
        Ok(())
    }

    /// Adds documents known to be new (a rebuild after `clear`).
    pub fn add_new(&self, documents: &[SearchDocument]) -> Result<(), SearchError> {
        let writer = self.lock();
        for document in documents {
            writer
                .add_document(self.tantivy_document(document))
                .map_err(index_error)?;
        }
        Ok(())
    }

    /// Makes everything applied so far searchable and records `state`.
    pub fn commit(&self, state: IndexState) -> Result<(), SearchError> {
        {
            let mut writer = self.lock();
            let mut prepared = writer.prepare_commit().map_err(index_error)?;
            prepared.set_payload(&state.payload());
            prepared.commit().map_err(index_error)?;
        }
        self.reader.reload().map_err(index_error)?;
        Ok(())
    }

    /// Waits for background merges (the benchmark measures a settled index).
    pub fn wait_merging(self) -> Result<(), SearchError> {
        let writer = self.writer.into_inner().unwrap_or_else(|e| e.into_inner());
        writer.wait_merging_threads().map_err(index_error)
    }

    fn tantivy_document(&self, document: &SearchDocument) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.key, document.key.to_key_string());
        doc.add_text(f.doc_type, document.key.doc_type.as_str());
        if let Some(kind) = document.kind {
            doc.add_text(f.kind, kind.as_str());
        }
        if let Some(prefecture) = document.prefecture {
            doc.add_text(f.prefecture, prefecture.code());
        }
        for tag in &document.tags {
            doc.add_text(f.tag, tag_key(tag));
        }
        if let Some(format) = document.format {
            if format.online {
                doc.add_text(f.format, "online");
            }
            if format.in_person {
                doc.add_text(f.format, "offline");
            }
        }
        match document.audience {
            Audience::Public => doc.add_text(f.audience, "public"),
            Audience::Members(community) => {
                doc.add_text(f.audience, "members");
                doc.add_i64(f.member_community, community.0);
            }
        }
        if let Some(date) = document.date() {
            doc.add_i64(f.date, date.timestamp());
        }
        doc.add_i64(f.ends_at, document.ends_at.map_or(0, |t| t.timestamp()));
        doc.add_u64(f.members, document.members);
        doc.add_i64(f.active_at, document.active_at.map_or(0, |t| t.timestamp()));

        let mut title = document.title.clone();
        if let Some(alt) = &document.alt_title {
            title.push('\n');
            title.push_str(alt);
        }
        let texts = [
            (normalise(&title), f.title_bigram, f.title_morph),
            (normalise(&document.body), f.body_bigram, f.body_morph),
            (
                normalise(&document.context),
                f.context_bigram,
                f.context_morph,
            ),
        ];
        let mut vocabulary = Vec::new();
        for (text, bigram_field, morph_field) in texts {
            if text.trim().is_empty() {
                continue;
            }
            let morphemes = self.morphology.as_ref().map(|m| m.segment(&text));
            doc.add_pre_tokenized_text(
                bigram_field,
                PreTokenizedString {
                    text: String::new(),
                    tokens: bigram_tokens(&text, morphemes.as_deref()),
                },
            );
            if let Some(morphemes) = &morphemes {
                doc.add_pre_tokenized_text(
                    morph_field,
                    PreTokenizedString {
                        text: String::new(),
                        tokens: morph_tokens(&text, morphemes),
                    },
                );
            }
            vocabulary.extend(word_tokens(&text));
        }
        doc.add_pre_tokenized_text(
            f.words,
            PreTokenizedString {
                text: String::new(),
                tokens: vocabulary,
            },
        );
        doc
    }
}
