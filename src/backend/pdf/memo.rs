//! Chapters kept from one build to the next, for `folio watch` (issue 9):
//! a page whose model, language and layout settings are those of its last
//! layout is not laid out again; its chapter (items, structure tree,
//! warnings) is merged as it was, its images fetched anew. The font set
//! is kept too, because a chapter's glyphs name their text by numbers in
//! its table; not once it has loaded system faces (then every chapter is
//! laid out again, so faces are numbered as in a fresh build).
//!
//! For the EPUB's page list (a layout that writes nothing), a chapter's
//! pagination is kept as well ([`Paged`]): a chapter starts on a new page
//! and its page breaks depend on its own items and the text column alone,
//! so an unchanged chapter is neither merged nor paginated again, its
//! marks only moved to where its first page now falls; and so is the
//! contents' page count, by the entries it was counted from.
//!
//! The memo knows a page only by its model: the files a layout reads
//! besides (images, fonts, the style) are its owner's to watch, who
//! [`LayoutMemo::clear`]s it when one of them changes.

use super::fonts::FontSet;
use super::images::ImageStore;
use super::layout::{Chapter, ChapterNotes};
use crate::diag::Diagnostics;
use crate::model::Page;
use anyhow::Result;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

/// A digest of what a layout depends on.
pub type Key = [u8; 32];

/// Chapters and the font set they were laid out with, kept between builds.
#[derive(Default)]
pub struct LayoutMemo {
    inner: Mutex<Inner>,
    /// Chapters taken from the memo since it was made.
    hits: std::sync::atomic::AtomicUsize,
    /// Paginations taken from the memo since it was made.
    paged_hits: std::sync::atomic::AtomicUsize,
    /// Each page file's last content digest and the page and language it
    /// was made from (see [`LayoutMemo::content_key`]); not cleared with
    /// the rest: it depends on nothing else.
    digests: Mutex<HashMap<PathBuf, Arc<Digested>>>,
}

/// A page's content digest with what it digests.
struct Digested {
    page: Page,
    lang: String,
    key: Key,
}

/// A chapter's pagination, all a page list needs of it: how many pages it
/// took, where on them (page from its first, `y`) its page's anchor and
/// its blocks' anchors landed, and what its merge adds to the book.
#[derive(Debug)]
pub struct Paged {
    pub pages: usize,
    pub marks: Vec<(String, usize, f32)>,
    pub notes: ChapterNotes,
}

impl std::fmt::Debug for LayoutMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LayoutMemo")
            .field("chapters", &self.lock().chapters.len())
            .finish()
    }
}

#[derive(Default)]
struct Inner {
    /// The font set, by what it was loaded from.
    fonts: Option<(Key, Arc<FontSet>)>,
    /// Image stores (decoded images) by what they load from, with the
    /// warnings their making gave.
    images: HashMap<Key, (Arc<ImageStore>, Diagnostics)>,
    /// Per book settings and page file: the page's last chapter and what
    /// it was laid out from. One slot per page, so an edited page replaces
    /// its old chapter (the memo never holds more than a book's worth).
    chapters: HashMap<(Key, PathBuf), (Key, Arc<Chapter>)>,
    /// The same for paginations, by pagination settings (the chapters'
    /// and the column's) and page file.
    paged: HashMap<(Key, PathBuf), (Key, Arc<Paged>)>,
    /// The contents' page count, by what it was counted from.
    contents: Option<(Key, usize)>,
}

impl LayoutMemo {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many chapters were taken from the memo rather than laid out.
    pub fn hits(&self) -> usize {
        self.hits.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many chapters' paginations were taken from the memo rather
    /// than paginated.
    pub fn paged_hits(&self) -> usize {
        self.paged_hits.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many chapters the memo holds.
    pub fn len(&self) -> usize {
        self.lock().chapters.len()
    }

    /// Whether the memo holds no chapter.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The digest of `page`'s model and `lang` ([`digest`]), the one kept
    /// for the page's file when the page and language equal those it was
    /// made from: comparing a page costs a fraction of writing it out as
    /// JSON and hashing it, which every rebuild did for every page.
    pub(super) fn content_key(&self, page: &Page, lang: &str) -> Option<Key> {
        let digests = || self.digests.lock().unwrap_or_else(|e| e.into_inner());
        let kept = digests().get(&page.source).cloned();
        // Compared without the lock: the layout threads ask at once.
        if let Some(kept) = kept
            && kept.lang == lang
            && kept.page == *page
        {
            return Some(kept.key);
        }
        let key = digest(&[lang.as_bytes()], Some(page))?;
        let made = Digested {
            page: page.clone(),
            lang: lang.to_string(),
            key,
        };
        digests().insert(page.source.clone(), Arc::new(made));
        Some(key)
    }

    /// Forgets everything (an image, a font or the style changed).
    pub fn clear(&self) {
        *self.lock() = Inner::default();
    }

    /// The font set loaded from what `key` digests, loaded by `load` when
    /// the memo has none for it (the chapters laid out with another are
    /// forgotten: their glyph numbers are the other set's).
    pub(super) fn fonts(
        &self,
        key: Key,
        load: impl FnOnce() -> Result<FontSet>,
    ) -> Result<Arc<FontSet>> {
        let mut inner = self.lock();
        // A set that loaded system faces numbers them in the order earlier
        // builds needed them, which a fresh build of the edited book may
        // not: it is loaded anew, as a fresh build's would be.
        if let Some((k, fonts)) = &inner.fonts
            && *k == key
            && !fonts.has_system_faces()
        {
            return Ok(Arc::clone(fonts));
        }
        let fonts = Arc::new(load()?);
        *inner = Inner {
            fonts: Some((key, Arc::clone(&fonts))),
            ..Inner::default()
        };
        Ok(fonts)
    }

    /// The image store made from what `key` digests, made by `make` (which
    /// warns into the diagnostics given) when the memo has none; its
    /// warnings go to `diags` either way.
    pub(super) fn images(
        &self,
        key: Key,
        diags: &mut Diagnostics,
        make: impl FnOnce(&mut Diagnostics) -> ImageStore,
    ) -> Arc<ImageStore> {
        let mut inner = self.lock();
        let (store, warned) = inner.images.entry(key).or_insert_with(|| {
            let mut warned = Diagnostics::default();
            let store = Arc::new(make(&mut warned).kept());
            (store, warned)
        });
        diags.extend(warned.clone());
        Arc::clone(store)
    }

    /// The chapter of `page` under book settings `book` when it was laid
    /// out from what `content` digests.
    pub(super) fn chapter(&self, book: &Key, page: &Page, content: &Key) -> Option<Arc<Chapter>> {
        let found = find(&self.lock().chapters, book, page, content);
        count_hit(&self.hits, &found);
        found
    }

    /// Keeps `chapter`, laid out from what `content` digests.
    pub(super) fn keep(&self, book: Key, page: &Page, content: Key, chapter: Chapter) {
        self.lock()
            .chapters
            .insert((book, page.source.clone()), (content, Arc::new(chapter)));
    }

    /// The pagination of `page` under settings `book` when its chapter was
    /// laid out from what `content` digests.
    pub(super) fn paged(&self, book: &Key, page: &Page, content: &Key) -> Option<Arc<Paged>> {
        let found = find(&self.lock().paged, book, page, content);
        count_hit(&self.paged_hits, &found);
        found
    }

    /// Keeps `paged`, the pagination of `page`'s chapter laid out from
    /// what `content` digests.
    pub(super) fn keep_paged(&self, book: Key, page: &Page, content: Key, paged: Paged) {
        self.lock()
            .paged
            .insert((book, page.source.clone()), (content, Arc::new(paged)));
    }

    /// The contents' page count, counted by `count` unless the memo holds
    /// the count made from what `key` digests.
    pub(super) fn contents_pages(&self, key: Key, count: impl FnOnce() -> usize) -> usize {
        if let Some((k, n)) = self.lock().contents
            && k == key
        {
            return n;
        }
        let n = count();
        self.lock().contents = Some((key, n));
        n
    }
}

/// A digest of `parts` and of `page`'s model as JSON (written straight
/// into the hash, never held whole); `None` when the page cannot be
/// written as JSON (then it is not memoised).
pub fn digest(parts: &[&[u8]], page: Option<&Page>) -> Option<Key> {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    if let Some(page) = page {
        serde_json::to_writer(HashWriter(&mut hash), page).ok()?;
    }
    Some(hash.finalize().into())
}

/// A writer feeding what it is given to a hash.
struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What is kept in `slots` for `page` under settings `book`, when it was
/// made from what `content` digests (chapters and paginations alike).
fn find<T>(
    slots: &HashMap<(Key, PathBuf), (Key, Arc<T>)>,
    book: &Key,
    page: &Page,
    content: &Key,
) -> Option<Arc<T>> {
    slots
        .get(&(*book, page.source.clone()))
        .filter(|(k, _)| k == content)
        .map(|(_, kept)| Arc::clone(kept))
}

/// Counts a hit in `hits` when something was `found`.
fn count_hit<T>(hits: &std::sync::atomic::AtomicUsize, found: &Option<T>) {
    if found.is_some() {
        hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a fresh build digests for `page` set in `lang`.
    fn fresh(page: &Page, lang: &str) -> Option<Key> {
        digest(&[lang.as_bytes()], Some(page))
    }

    #[test]
    fn a_kept_content_key_is_the_digest_of_the_page_as_it_is_now() {
        let memo = LayoutMemo::default();
        let mut page = Page::stub("a");
        page.title = "Alpha".into();
        let first = memo.content_key(&page, "en");
        assert_eq!(first, fresh(&page, "en"));
        assert_eq!(memo.content_key(&page, "en"), first, "unchanged: kept");

        // Any change of the page or its language, same file: digested anew.
        page.title = "Alpha renamed".into();
        let renamed = memo.content_key(&page, "en");
        assert_eq!(renamed, fresh(&page, "en"));
        assert_ne!(renamed, first);
        let german = memo.content_key(&page, "de");
        assert_eq!(german, fresh(&page, "de"));
        assert_ne!(german, renamed);

        // Forgetting the layouts keeps the digests (they depend on the page
        // alone), and another file's page has its own.
        memo.clear();
        assert_eq!(memo.content_key(&page, "de"), german);
        let other = Page::stub("b");
        assert_eq!(memo.content_key(&other, "en"), fresh(&other, "en"));
    }
}
