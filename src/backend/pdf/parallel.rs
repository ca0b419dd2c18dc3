//! The book's chapters laid out on every core and handed over in book
//! order ([`chapters`]): the streaming loop of [`super::book`] takes them
//! one at a time, so at most a small window of laid-out chapters waits
//! in memory however long the book.

use super::fonts::{FontSet, LocalFonts};
use super::front;
use super::in_order;
use super::layout::{Chapter, Kit};
use crate::model::Book;
use anyhow::Result;
use std::sync::Arc;

/// A chapter laid out on its own, with its running title, or why its
/// layout failed (a bug in folio: a worker panicked).
pub type Laid = Result<(String, Chapter)>;

/// Lays out the chapters of `book` on every core (or `threads`) and runs
/// `consume` over them in book order; returns what `consume` returns.
pub fn chapters<R>(
    book: &Book,
    kit: &Kit,
    fonts: &Arc<FontSet>,
    threads: Option<usize>,
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
    in_order::run(
        book.pages.len(),
        threads,
        // On one thread the chapters come in book order: no need to leave
        // system fonts for a second pass.
        || match threads {
            0 | 1 => LocalFonts::new(Arc::clone(fonts)),
            _ => LocalFonts::deferring_system(Arc::clone(fonts)),
        },
        |local, i| {
            let (page, lang) = (book.pages.get(i), langs.get(i));
            page.zip(lang)
                .map(|(page, lang)| kit.chapter(local, page, lang))
        },
        |source| {
            let mut laid = book.pages.iter().zip(&langs).zip(source).filter_map(
                |((page, lang), chapter)| {
                    let chapter = match chapter {
                        Ok(chapter) => chapter?,
                        Err(e) => {
                            return Some(Err(anyhow::anyhow!(
                                "laying out {} (page {} of the book) failed, a bug in folio: {}",
                                page.source.display(),
                                e.job + 1,
                                e.message
                            )));
                        }
                    };
                    let chapter = if chapter.needs_system_fonts() {
                        kit.chapter(&ordered_fonts, page, lang)
                    } else {
                        chapter
                    };
                    Some(Ok((front::running_title(page), chapter)))
                },
            );
            consume(&mut laid)
        },
    )
}

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
