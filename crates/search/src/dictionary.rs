//! The morphological dictionary: Debian's IPADIC (`mecab-ipadic`, EUC-JP
//! CSV sources) compiled once with lindera's dictionary builder into a
//! folder of ours, then loaded (memory-mapped) by every index that wants
//! whole-word matching.
//!
//! The compiled folder carries a version marker naming the lindera
//! version, its dictionary format and the source folder; a marker that
//! does not match means the folder is rebuilt. A build goes to a temporary
//! sibling folder and is renamed into place, so a half-built dictionary is
//! never loaded, and several processes starting at once end with one.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use lindera::dictionary::{DictionaryBuilder, Metadata, Schema, load_fs_dictionary};
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;

use crate::SearchError;

/// The default place of Debian's `mecab-ipadic` sources.
pub const DEBIAN_IPADIC: &str = "/usr/share/mecab/dic/ipadic";

const MARKER_FILE: &str = "tsunagari-dictionary.txt";
const BUILT_FOLDER: &str = "lindera-ipadic";

/// One morpheme of a text: its byte range and whether the dictionary knows
/// it (unknown words are runs the analyser grouped by character class).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Morpheme {
    /// First byte.
    pub start: usize,
    /// Byte after the last.
    pub end: usize,
    /// A dictionary word, not an unknown-word guess.
    pub known: bool,
}

/// A loaded morphological analyser. Cheap to clone.
#[derive(Clone)]
pub struct Morphology {
    segmenter: Arc<Segmenter>,
    folder: PathBuf,
}

impl std::fmt::Debug for Morphology {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Morphology")
            .field("folder", &self.folder)
            .finish()
    }
}

/// Dictionaries already loaded by this process, by compiled folder: tests
/// and several indexes in one process share one.
static LOADED: Mutex<Vec<Morphology>> = Mutex::new(Vec::new());

fn marker(source: &Path) -> String {
    format!(
        "lindera {}\nformat {}\nsource {}\n",
        lindera::get_version(),
        lindera_format_version(),
        source.display()
    )
}

fn lindera_format_version() -> u32 {
    // The metadata lindera writes stamps its current format version.
    Metadata::default().format_version
}

/// IPADIC's description for lindera's builder: the sources are EUC-JP CSV
/// files with MeCab's 13 columns.
fn ipadic_metadata() -> Metadata {
    Metadata::new(
        "ipadic".to_owned(),
        "EUC-JP".to_owned(),
        -10000,
        0,
        0,
        "*".to_owned(),
        true,
        false,
        false,
        Schema::default(),
        Schema::new(vec![
            "surface".to_owned(),
            "part_of_speech".to_owned(),
            "reading".to_owned(),
        ]),
    )
}

fn dictionary_error(what: &str, error: impl std::fmt::Display) -> SearchError {
    SearchError::Dictionary(format!("{what}: {error}"))
}

impl Morphology {
    /// Whether `source` looks like an IPADIC source folder.
    pub fn source_exists(source: &Path) -> bool {
        source.join("matrix.def").is_file() && source.join("char.def").is_file()
    }

    /// Loads the dictionary compiled from `source` under `cache`, compiling
    /// it first when missing or stale (about 8 s and 46 MB).
    pub fn prepare(source: &Path, cache: &Path) -> Result<Morphology, SearchError> {
        let folder = cache.join(BUILT_FOLDER);
        let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = loaded.iter().find(|m| m.folder == folder) {
            return Ok(found.clone());
        }
        let wanted = marker(source);
        let current = std::fs::read_to_string(folder.join(MARKER_FILE)).ok();
        if current.as_deref() != Some(wanted.as_str()) {
            build(source, cache, &folder, &wanted)?;
        }
        let dictionary =
            load_fs_dictionary(&folder).map_err(|e| dictionary_error("cannot load", e))?;
        let morphology = Morphology {
            segmenter: Arc::new(Segmenter::new(Mode::Normal, dictionary, None)),
            folder,
        };
        loaded.push(morphology.clone());
        Ok(morphology)
    }

    /// The compiled folder.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The morphemes of `text`, in order; white space is not a morpheme.
    pub fn segment(&self, text: &str) -> Vec<Morpheme> {
        match self.segmenter.segment(Cow::Borrowed(text)) {
            Ok(tokens) => tokens
                .into_iter()
                .filter(|t| !t.surface.trim().is_empty())
                .map(|t| Morpheme {
                    start: t.byte_start,
                    end: t.byte_end,
                    known: !t.word_id.is_unknown(),
                })
                .collect(),
            Err(error) => {
                tracing::warn!(%error, "morphological analysis failed; bigrams only for this text");
                Vec::new()
            }
        }
    }
}

fn build(source: &Path, cache: &Path, folder: &Path, marker: &str) -> Result<(), SearchError> {
    if !Morphology::source_exists(source) {
        return Err(SearchError::Dictionary(format!(
            "{} holds no IPADIC sources (install Debian's mecab-ipadic)",
            source.display()
        )));
    }
    std::fs::create_dir_all(cache).map_err(|e| dictionary_error("cannot create the folder", e))?;
    let started = Instant::now();
    tracing::info!(source = %source.display(), into = %folder.display(), "compiling the Japanese dictionary (once)");
    let temporary = cache.join(format!(
        "{BUILT_FOLDER}.building-{}-{}",
        std::process::id(),
        started.elapsed().as_nanos() ^ (folder.as_os_str().len() as u128)
    ));
    let _ = std::fs::remove_dir_all(&temporary);
    DictionaryBuilder::new(ipadic_metadata())
        .build_dictionary(source, &temporary)
        .map_err(|e| dictionary_error("cannot compile IPADIC", e))?;
    std::fs::write(temporary.join(MARKER_FILE), marker)
        .map_err(|e| dictionary_error("cannot write the version marker", e))?;
    // Another process may have finished first: keep a current one.
    let current = std::fs::read_to_string(folder.join(MARKER_FILE)).ok();
    if current.as_deref() == Some(marker) {
        let _ = std::fs::remove_dir_all(&temporary);
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(folder);
    if let Err(error) = std::fs::rename(&temporary, folder) {
        let _ = std::fs::remove_dir_all(&temporary);
        let current = std::fs::read_to_string(folder.join(MARKER_FILE)).ok();
        if current.as_deref() != Some(marker) {
            return Err(dictionary_error(
                "cannot move the dictionary into place",
                error,
            ));
        }
    }
    tracing::info!(
        seconds = started.elapsed().as_secs_f32(),
        "Japanese dictionary compiled"
    );
    Ok(())
}
