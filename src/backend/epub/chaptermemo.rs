//! The chapter memo of `folio watch`: each chapter as the last build made
//! it (its XHTML, navigation headings, page-break markers and warnings),
//! taken again when nothing it was made from changed, so that a page edit
//! renders and templates that page's chapter only (and those whose links
//! or print pages it moved).
//!
//! A chapter is a function of its page (the whole model page, compared),
//! its file name, the print pages that begin in it (their numbers shift
//! when an earlier chapter's page count changes), the `href` each of its
//! links got from the book's index (the target's chapter file and heading
//! ids, or the site's base URL: recorded as the render asked, and asked
//! again of this build's index), and book-wide inputs ([`Inputs`]): the
//! labels, the book's metadata as the page template sees it, the
//! templates, the language. A chapter that used images is always rendered
//! again: its hrefs and warnings depend on which earlier page used the
//! same files first (see `deferred`).

use super::links::{BookIndex, Lookup};
use super::xhtml::RenderedPage;
use crate::backend::PageStart;
use crate::diag::Diagnostics;
use crate::model::{Labels, Page};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Chapters of earlier builds, per book (see `BuildOptions::epub_memo`).
#[derive(Debug, Default)]
pub(crate) struct ChapterMemo {
    books: Mutex<HashMap<String, (Inputs, Chapters)>>,
}

/// Kept chapters by page id.
pub(crate) type Chapters = HashMap<String, Arc<Kept>>;

/// What every chapter of a book is made from besides its own page.
#[derive(Debug, PartialEq)]
pub(crate) struct Inputs {
    pub labels: Labels,
    /// The book's metadata as the page template gets it (JSON).
    pub meta: Vec<u8>,
    /// The index's base URL comes from the metadata before cleaning.
    pub base_url: String,
    /// The templates' sources (the page template's, and those it may
    /// include).
    pub templates: Vec<String>,
    /// The book's language, for pages without one.
    pub lang: String,
}

/// One chapter as made, with what it was made from.
#[derive(Debug)]
pub(crate) struct Kept {
    page: Page,
    file: String,
    print: Vec<PageStart>,
    lookups: Vec<Lookup>,
    /// Its rendered body's headings, counts and markers (the body itself
    /// went into `xhtml`).
    pub rendered: RenderedPage,
    /// What rendering its body warned about.
    pub diags: Diagnostics,
    pub xhtml: Arc<str>,
}

impl Kept {
    /// A chapter made of `page` as `file` with the print pages `print`,
    /// its links having looked up `lookups`.
    pub(crate) fn new(
        (page, file, print): (&Page, &str, &[&PageStart]),
        lookups: Vec<Lookup>,
        rendered: RenderedPage,
        diags: Diagnostics,
        xhtml: Arc<str>,
    ) -> Kept {
        Kept {
            page: page.clone(),
            file: file.to_string(),
            print: print.iter().map(|s| (*s).clone()).collect(),
            lookups,
            rendered,
            diags,
            xhtml,
        }
    }

    /// Whether this chapter is what `page` as `file` with `print` makes in
    /// a book indexed by `index` (its book-wide inputs being the same).
    pub(crate) fn serves(
        &self,
        page: &Page,
        file: &str,
        print: &[&PageStart],
        index: &BookIndex,
    ) -> bool {
        self.file == file
            && self.print.len() == print.len()
            && self.print.iter().zip(print).all(|(a, b)| a == *b)
            && self.page == *page
            && index.same_lookups(&self.lookups, &page.id)
    }
}

impl ChapterMemo {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Inputs, Chapters)>> {
        // A panic elsewhere leaves a map that is still whole.
        self.books.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Book `name`'s kept chapters, taken out of the memo: none when they
    /// were made from other book-wide inputs than `inputs`.
    pub(crate) fn take(&self, name: &str, inputs: &Inputs) -> Chapters {
        match self.lock().remove(name) {
            Some((kept_inputs, chapters)) if kept_inputs == *inputs => chapters,
            _ => Chapters::new(),
        }
    }

    /// Keeps `chapters` as book `name`'s, made from `inputs`.
    pub(crate) fn put(&self, name: &str, inputs: Inputs, chapters: Chapters) {
        self.lock().insert(name.to_string(), (inputs, chapters));
    }
}
