//! The parse cache of `folio watch`: a page whose bytes did not change is
//! not parsed again. Entries are keyed by book and path and checked
//! against a digest of the file's bytes (never its modification time), and
//! the whole cache starts over when the parse options change (a new
//! project: its config, data files or widget templates were re-read).
//!
//! Told what a file watcher saw ([`ParseCache::expect`]), the cache also
//! spares the reading: a page whose file no event named since it was last
//! read is taken as it was (not read nor hashed again), and a content
//! folder's list of pages is kept until an event may have added or removed
//! one. Without that word (a build, the first load of a watch, after a
//! rescan), every file is read and checked against its digest.
//!
//! It also holds each book's pass memo ([`super::passmemo`]), forgotten
//! with the entries, and whenever an event names anything but a page held.

use super::passmemo::BookMemo;
use crate::diag::Diagnostics;
use crate::parse::{ParseOptions, ParsedBody};
use crate::source::SourcePage;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// A file's bytes, summed up: length and a 64-bit hash (SipHash with fixed
/// keys, so the same bytes give the same digest in every run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Digest {
    len: usize,
    hash: u64,
}

impl Digest {
    pub(crate) fn of(bytes: &[u8]) -> Digest {
        let mut hasher = std::hash::DefaultHasher::new();
        bytes.hash(&mut hasher);
        Digest {
            len: bytes.len(),
            hash: hasher.finish(),
        }
    }
}

/// A page body parsed for the page URL `url`, with the parser's warnings:
/// shared by the parse cache, a load and the pass memo of `folio watch`
/// (the same `Arc` is the same parse).
#[derive(Debug)]
pub(crate) struct ParsedPage {
    pub(crate) url: String,
    pub(crate) body: ParsedBody,
    pub(crate) diags: Diagnostics,
}

/// A page read (and, once its book got that far, parsed) from bytes of
/// `digest`. Shared, so that a load copies it out after letting go of the
/// cache's lock: the copies of a 600-page book, made under the lock, kept
/// the load's threads waiting on each other.
#[derive(Debug, Clone)]
struct Entry {
    digest: Digest,
    /// The page as read, front matter warnings included.
    source: Arc<SourcePage>,
    /// The body parsed for the page URL, with the parser's warnings.
    parsed: Option<Arc<ParsedPage>>,
    /// Read since the watcher last saw the file change (or since the
    /// watch began): the file still holds bytes of `digest`.
    current: bool,
    /// The file's path resolved (symbolic links followed), as events name
    /// it.
    real: PathBuf,
}

/// What changed on disk since the last load, as a file watcher saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum Changes {
    /// Anything may have changed (no watcher yet, or it lost events):
    /// every file is read again.
    Unknown,
    /// Only these files or folders (resolved, as events name them, a
    /// folder standing for everything under it) changed; `tree`: a file or
    /// folder may have been added, removed or renamed.
    Files { paths: Vec<PathBuf>, tree: bool },
}

/// Pages parsed in earlier loads, shared by the loads of one `folio watch`
/// (see [`crate::LoadOptions::cache`]).
#[derive(Default)]
pub struct ParseCache {
    state: Mutex<State>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    /// Pages that went through the links and URLs passes, and pages whose
    /// result was taken from the pass memo.
    passed: AtomicUsize,
    reused: AtomicUsize,
}

#[derive(Default)]
struct State {
    /// The parse options the parsed bodies were made with.
    options: Option<Arc<ParseOptions>>,
    entries: HashMap<(String, PathBuf), Entry>,
    /// Whether a watcher reports changes ([`ParseCache::expect`]): only
    /// then are `current` entries taken without reading their file.
    watched: bool,
    /// Each content folder's pages as discovered, with discovery's
    /// warnings (kept while `watched` and no event changed the tree).
    discovered: HashMap<PathBuf, Arc<(Vec<PathBuf>, Diagnostics)>>,
    /// Each book's pages after the passes that allow it (see
    /// [`super::passmemo`]), kept while the watcher names nothing but
    /// pages the cache holds.
    passes: HashMap<String, BookMemo>,
}

impl std::fmt::Debug for ParseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParseCache")
            .field("entries", &self.lock().entries.len())
            .field("hits", &self.hits.load(Ordering::Relaxed))
            .field("misses", &self.misses.load(Ordering::Relaxed))
            .finish()
    }
}

impl ParseCache {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere leaves a map that is still whole.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets everything.
    pub fn clear(&self) {
        let mut state = self.lock();
        state.entries.clear();
        state.discovered.clear();
        state.passes.clear();
        state.options = None;
    }

    /// Takes word of what changed on disk since the last load: the files
    /// named (or all, for [`Changes::Unknown`]) are read again by the next
    /// load; the others are taken as last read.
    pub fn expect(&self, changes: Changes) {
        let mut state = self.lock();
        state.watched = true;
        match changes {
            Changes::Unknown => {
                state.discovered.clear();
                state.passes.clear();
                for entry in state.entries.values_mut() {
                    entry.current = false;
                }
            }
            Changes::Files { paths, tree } => {
                if tree {
                    state.discovered.clear();
                }
                // A static file, data, i18n or anything but a page held
                // may change what the passes give: their memo goes.
                let pages_only = paths
                    .iter()
                    .all(|p| state.entries.values().any(|e| e.real == *p));
                if !pages_only {
                    state.passes.clear();
                }
                for entry in state.entries.values_mut() {
                    if paths.iter().any(|p| entry.real.starts_with(p)) {
                        entry.current = false;
                    }
                }
            }
        }
    }

    /// The pages of `content` as discovered by an earlier load, if no
    /// event since may have changed them.
    pub(crate) fn discovered(&self, content: &Path) -> Option<Arc<(Vec<PathBuf>, Diagnostics)>> {
        let state = self.lock();
        state
            .watched
            .then(|| state.discovered.get(content).map(Arc::clone))
            .flatten()
    }

    /// Keeps the pages discovered in `content` (only under a watcher).
    pub(crate) fn put_discovered(&self, content: &Path, pages: &[PathBuf], diags: &Diagnostics) {
        let mut state = self.lock();
        if state.watched {
            let found = Arc::new((pages.to_vec(), diags.clone()));
            state.discovered.insert(content.to_path_buf(), found);
        }
    }

    /// The page of `book` at `path` with its digest, when no event named
    /// its file since it was last read (under a watcher only).
    pub(crate) fn unchanged(&self, book: &str, path: &Path) -> Option<(SourcePage, Digest)> {
        let found = {
            let state = self.lock();
            let entry = state.entries.get(&(book.to_string(), path.to_path_buf()))?;
            (state.watched && entry.current).then(|| (Arc::clone(&entry.source), entry.digest))
        };
        found.map(|(source, digest)| (SourcePage::clone(&source), digest))
    }

    /// Drops the entries of files that are gone (memory stays bounded by
    /// the pages that exist).
    pub fn retain_existing(&self) {
        self.lock().entries.retain(|(_, path), _| path.is_file());
    }

    /// Pages parsed and pages reused since the cache was made: (parsed,
    /// reused).
    pub fn counts(&self) -> (usize, usize) {
        (
            self.misses.load(Ordering::Relaxed),
            self.hits.load(Ordering::Relaxed),
        )
    }

    /// Number of pages held.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Starts over when `options` are not the ones the entries were parsed
    /// with.
    pub(crate) fn use_options(&self, options: &Arc<ParseOptions>) {
        let mut state = self.lock();
        if !state
            .options
            .as_ref()
            .is_some_and(|o| Arc::ptr_eq(o, options))
        {
            state.entries.clear();
            state.passes.clear();
            state.options = Some(Arc::clone(options));
        }
    }

    /// The page of `book` at `path` read from bytes of `digest`, if held.
    pub(crate) fn source(&self, book: &str, path: &Path, digest: Digest) -> Option<SourcePage> {
        let found = {
            let mut state = self.lock();
            let entry = state
                .entries
                .get_mut(&(book.to_string(), path.to_path_buf()))?;
            // Just read: these are the file's bytes now.
            entry.current = entry.digest == digest;
            entry.current.then(|| Arc::clone(&entry.source))
        };
        found.map(|source| SourcePage::clone(&source))
    }

    /// Keeps the page just read (its parsed body comes later).
    pub(crate) fn put_source(&self, book: &str, digest: Digest, source: &SourcePage) {
        let key = (book.to_string(), source.path.clone());
        // Resolved once per read (not per rebuild): what events are
        // matched against.
        let real = resolved(&source.path);
        self.lock().entries.insert(
            key,
            Entry {
                digest,
                source: Arc::new(source.clone()),
                parsed: None,
                current: true,
                real,
            },
        );
    }

    /// The body of the page at `path` parsed for `url` from bytes of
    /// `digest`, if held.
    pub(crate) fn parsed(
        &self,
        book: &str,
        path: &Path,
        digest: Digest,
        url: &str,
    ) -> Option<Arc<ParsedPage>> {
        let found = self
            .lock()
            .entries
            .get(&(book.to_string(), path.to_path_buf()))
            .filter(|e| e.digest == digest)
            .and_then(|e| e.parsed.as_ref())
            .filter(|parsed| parsed.url == url)
            .map(Arc::clone);
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps the body of the page at `path` parsed (for its URL).
    pub(crate) fn put_parsed(
        &self,
        book: &str,
        path: &Path,
        digest: Digest,
        parsed: &Arc<ParsedPage>,
    ) {
        let mut state = self.lock();
        if let Some(entry) = state
            .entries
            .get_mut(&(book.to_string(), path.to_path_buf()))
            .filter(|e| e.digest == digest)
        {
            entry.parsed = Some(Arc::clone(parsed));
        }
    }

    /// Takes book `book`'s pass memo out (an empty one if none is held);
    /// [`ParseCache::put_passes`] puts it back.
    pub(crate) fn take_passes(&self, book: &str) -> BookMemo {
        self.lock().passes.remove(book).unwrap_or_default()
    }

    /// Keeps book `book`'s pass memo, which passed `counts.0` pages and
    /// took `counts.1` from the last one.
    pub(crate) fn put_passes(&self, book: &str, memo: BookMemo, counts: (usize, usize)) {
        self.passed.fetch_add(counts.0, Ordering::Relaxed);
        self.reused.fetch_add(counts.1, Ordering::Relaxed);
        self.lock().passes.insert(book.to_string(), memo);
    }

    /// Pages run through the links and URLs passes and pages whose result
    /// was taken from the memo, since the cache was made: (passed, reused).
    pub fn pass_counts(&self) -> (usize, usize) {
        (
            self.passed.load(Ordering::Relaxed),
            self.reused.load(Ordering::Relaxed),
        )
    }
}

/// `path` resolved; when it cannot be (gone already), made absolute.
fn resolved(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}
