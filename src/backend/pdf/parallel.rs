//! The book's chapters laid out on every core and handed over in book
//! order ([`chapters`]): the streaming loop of [`super::book`] takes them
//! one at a time, so at most a small window of laid-out chapters waits
//! in memory however long the book.

use super::fonts::{FontSet, LocalFonts};
use super::front;
use super::in_order;
use super::layout::{Chapter, Kit};
use super::memo::{self, LayoutMemo, Paged};
use crate::model::Book;
use anyhow::Result;
use std::sync::Arc;

/// A page of the book (its index) as a chapter laid out on its own, or why
/// its layout failed (a bug in folio: a worker panicked).
pub type Laid = Result<(usize, Part)>;

/// A page's chapter, as the book's loop takes it.
pub enum Part {
    /// Laid out (or kept), with its running title and, when a memo is
    /// kept, the digest of what it was laid out from.
    Laid {
        title: String,
        chapter: Box<Chapter>,
        key: Option<memo::Key>,
    },
    /// Only its pagination, kept: the layout measures, and the page is
    /// unchanged since the memo's last pagination of it.
    Paged(Arc<Paged>),
}

/// The memo a layout takes from: chapters kept under `chapters` (the
/// digest of the kit), and, for a layout that only measures, paginations
/// kept under `pages` (with the column's).
#[derive(Clone, Copy)]
pub struct Kept<'m> {
    pub memo: &'m LayoutMemo,
    pub chapters: memo::Key,
    pub pages: Option<memo::Key>,
}

/// What a worker hands over: a chapter, with its key and whether it was
/// just laid out; or a kept pagination.
enum Job {
    Laid(Box<Chapter>, Option<memo::Key>, bool),
    Paged(Arc<Paged>),
}

/// Lays out the chapters of `book` on every core (or `threads`) and runs
/// `consume` over them in book order; returns what `consume` returns.
/// With a memo, a chapter whose page is unchanged since the memo's last
/// layout of it is taken from there, or only its pagination when `pages`
/// is given and the memo holds it.
pub fn chapters<R>(
    book: &Book,
    kit: &Kit,
    fonts: &Arc<FontSet>,
    (threads, memo): (Option<usize>, Option<Kept>),
    consume: impl FnOnce(&mut dyn Iterator<Item = Laid>) -> Result<R>,
) -> Result<R> {
    // A page that names no language is set in the one before it's.
    let mut langs = Vec::with_capacity(book.pages.len());
    let mut lang = book.meta.language.clone();
    for page in &book.pages {
        langs.push(lang.clone());
        if !page.lang.is_empty() {
            lang.clone_from(&page.lang);
        }
    }
    // A chapter that needs system fonts is laid out again here, in book
    // order (see `fonts::LocalFonts`).
    let ordered_fonts = LocalFonts::new(Arc::clone(fonts));
    let threads = layout_threads(threads).min(book.pages.len());
    // Laid-out chapters wait for the writer up to about this many pages.
    let ahead = in_order::Ahead {
        budget: (AHEAD_PAGES * kit.text_height.max(1.0)) as usize,
        weigh: |job: &Option<Job>| match job {
            Some(Job::Laid(chapter, ..)) => chapter.height(),
            _ => 0,
        },
    };
    in_order::run(
        book.pages.len(),
        (threads, ahead),
        // On one thread the chapters come in book order: no need to leave
        // system fonts for a second pass.
        || match threads {
            0 | 1 => LocalFonts::new(Arc::clone(fonts)),
            _ => LocalFonts::deferring_system(Arc::clone(fonts)),
        },
        |local, i| {
            let (page, lang) = (book.pages.get(i), langs.get(i));
            page.zip(lang).map(|(page, lang)| {
                let key = memo.and_then(|m| m.memo.content_key(page, lang));
                let kept = memo.zip(key);
                if let Some(paged) = kept.and_then(|(m, key)| m.memo.paged(&m.pages?, page, &key)) {
                    return Job::Paged(paged);
                }
                let chapter = kept
                    .and_then(|(m, key)| m.memo.chapter(&m.chapters, page, &key))
                    .and_then(|kept| Chapter::clone(&kept).with_images_from(&kit.images).ok());
                match chapter {
                    Some(chapter) => Job::Laid(Box::new(chapter), key, false),
                    None => Job::Laid(Box::new(kit.chapter(local, page, lang)), key, true),
                }
            })
        },
        |source| {
            let mut laid = book
                .pages
                .iter()
                .zip(&langs)
                .zip(source)
                .enumerate()
                .filter_map(|(index, ((page, lang), job))| {
                    let job = match job {
                        Ok(job) => job?,
                        Err(e) => {
                            return Some(Err(anyhow::anyhow!(
                                "laying out {} (page {} of the book) failed, a bug in folio: {}",
                                page.source.display(),
                                e.job + 1,
                                e.message
                            )));
                        }
                    };
                    let (chapter, key, fresh) = match job {
                        Job::Paged(paged) => return Some(Ok((index, Part::Paged(paged)))),
                        Job::Laid(chapter, key, fresh) => (chapter, key, fresh),
                    };
                    let chapter = if chapter.needs_system_fonts() {
                        Box::new(kit.chapter(&ordered_fonts, page, lang))
                    } else {
                        chapter
                    };
                    if let (Some(m), Some(key), true) = (memo, key, fresh) {
                        m.memo.keep(m.chapters, page, key, Chapter::clone(&chapter));
                    }
                    let title = front::running_title(page);
                    Some(Ok((
                        index,
                        Part::Laid {
                            title,
                            chapter,
                            key,
                        },
                    )))
                });
            consume(&mut laid)
        },
    )
}

/// Pages of laid-out chapters that may wait for the writer (some 50 kB
/// each): enough that the layout threads go on while the writer spends
/// a while on one long chapter (a core left idle otherwise: the corpus
/// ×6 took 7 % longer with four chapters at most), few enough that
/// memory stays flat in the book's length.
const AHEAD_PAGES: f32 = 100.0;

/// How many threads lay out chapters: `asked` (the options'), else
/// `FOLIO_THREADS` when it is a positive number, else one per core.
fn layout_threads(asked: Option<usize>) -> usize {
    let from_env = || {
        std::env::var("FOLIO_THREADS")
            .ok()
            .and_then(|n| n.trim().parse::<usize>().ok())
    };
    asked
        .or_else(from_env)
        .filter(|&n| n > 0)
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
}
