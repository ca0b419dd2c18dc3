//! Chapters kept between builds (`folio watch`): a build that takes the
//! unchanged pages' chapters from the memo writes the bytes, and gives
//! the warnings, of a build without one; only the edited page is laid
//! out again. A layout for the EPUB's page list alone keeps each
//! chapter's pagination instead: the page list of a rebuild is a fresh
//! build's, only the edited page paginated again.

use super::options;
use super::parallel::many_chapters;
use folio::Diagnostics;
use folio::backend::PrintPages;
use folio::backend::pdf::memo::LayoutMemo;
use folio::backend::pdf::{PdfOptions, print_pages, render, render_with_pages};
use folio::model::{Block, BlockKind, Book, Inline, for_each_inline_mut};
use std::sync::Arc;

/// The PDF and its warnings, as text.
fn render_with(book: &Book, options: &PdfOptions) -> (Vec<u8>, Vec<String>) {
    let mut diags = Diagnostics::default();
    let bytes = render(book, options, &mut diags).unwrap();
    let warnings = diags.items.iter().map(|d| d.to_string()).collect();
    (bytes, warnings)
}

/// `book` with `text` added to the first paragraph of page `at`.
fn edited_with(mut book: Book, at: usize, text: &str) -> Book {
    let page = book.pages.get_mut(at).expect("the page to edit");
    let paragraph = page
        .blocks
        .iter_mut()
        .find_map(|b| match &mut b.kind {
            BlockKind::Paragraph { content } => Some(content),
            _ => None,
        })
        .expect("a paragraph to edit");
    paragraph.push(Inline::Text { text: text.into() });
    book
}

/// `book` with a sentence added to the first paragraph of page `at`.
fn edited(book: Book, at: usize) -> Book {
    edited_with(
        book,
        at,
        " An added sentence that makes this paragraph longer than it was before.",
    )
}

/// The many-chapter book without its text that only system fonts have
/// (its CJK and Thai paragraphs, the fixture's emoji).
fn shipped_fonts_only() -> Book {
    let mut book = many_chapters();
    for page in &mut book.pages {
        page.blocks.retain(|b| b.id != "extra");
        for_each_inline_mut(page, &mut |_, inline| {
            if let Inline::Text { text } = inline {
                *text = text.replace('😀', "");
            }
        });
    }
    book
}

/// A fresh memo, and options on `threads` threads with and without it.
fn memo_options(threads: usize) -> (Arc<LayoutMemo>, PdfOptions, PdfOptions) {
    let memo = Arc::new(LayoutMemo::default());
    let with_memo = PdfOptions {
        threads: Some(threads),
        memo: Some(Arc::clone(&memo)),
        ..options(None)
    };
    let without = PdfOptions {
        threads: Some(threads),
        ..options(None)
    };
    (memo, with_memo, without)
}

#[test]
fn a_rebuild_with_kept_chapters_writes_what_a_fresh_build_writes() {
    let book = shipped_fonts_only();
    let pages = book.pages.len();
    for threads in [1, 2] {
        let (memo, with_memo, without) = memo_options(threads);
        // First build: everything laid out, every chapter kept.
        let first = render_with(&book, &with_memo);
        assert_eq!(first, render_with(&book, &without), "{threads} threads");
        assert_eq!((memo.hits(), memo.len()), (0, pages));
        // One page edited: only it is laid out again.
        let changed = edited(book.clone(), 3);
        let second = render_with(&changed, &with_memo);
        assert_eq!(memo.hits(), pages - 1, "{threads} threads");
        assert_eq!(memo.len(), pages, "an edited page replaces its chapter");
        let fresh = render_with(&changed, &without);
        assert_ne!(first.0, fresh.0, "the edit changes the PDF");
        assert_eq!(second, fresh, "{threads} threads, after an edit");
        // Nothing changed: every chapter from the memo, the same bytes.
        assert_eq!(render_with(&changed, &with_memo), fresh);
        assert_eq!(memo.hits(), 2 * pages - 1);
        // Forgotten: laid out again, the same bytes.
        memo.clear();
        assert!(memo.is_empty());
        assert_eq!(render_with(&changed, &with_memo), fresh);
        assert_eq!(memo.hits(), 2 * pages - 1);
    }
}

#[test]
fn a_rebuild_after_system_fonts_writes_what_a_fresh_build_writes() {
    // Pages with text only system fonts have (when the machine has them);
    // an edit puts such text on an earlier page than before, which may
    // change the order system faces are needed in.
    let book = many_chapters();
    for threads in [1, 2] {
        let (_, with_memo, without) = memo_options(threads);
        assert_eq!(render_with(&book, &with_memo), render_with(&book, &without));
        let changed = edited_with(book.clone(), 1, " Thai first: ภาษาไทย, then 漢字.");
        let fresh = render_with(&changed, &without);
        assert_eq!(
            render_with(&changed, &with_memo),
            fresh,
            "{threads} threads"
        );
        assert_eq!(
            render_with(&changed, &with_memo),
            fresh,
            "{threads} threads, again"
        );
    }
}

/// The print pages of `book`'s layout alone (the EPUB's page list), and
/// the layout's warnings.
fn pages_with(book: &Book, options: &PdfOptions) -> (PrintPages, Vec<String>) {
    let mut diags = Diagnostics::default();
    let pages = print_pages(book, options, &mut diags).unwrap();
    let warnings = diags.items.iter().map(|d| d.to_string()).collect();
    (pages, warnings)
}

/// `book` with `n` headings added at the end of page `at`.
fn with_headings(mut book: Book, at: usize, n: usize) -> Book {
    let page = book.pages.get_mut(at).expect("the page to edit");
    let like = page.blocks.first().expect("a block").clone();
    for i in 0..n {
        page.blocks.push(Block {
            id: format!("added-{i}"),
            kind: BlockKind::Heading {
                level: 2,
                anchor: format!("added-{i}"),
                classes: Vec::new(),
                content: vec![Inline::Text {
                    text: format!("An added heading, number {i}"),
                }],
            },
            ..like.clone()
        });
    }
    book
}

#[test]
fn a_page_list_from_kept_paginations_is_a_fresh_builds() {
    let book = shipped_fonts_only();
    let pages = book.pages.len();
    for threads in [1, 2] {
        let (memo, with_memo, without) = memo_options(threads);
        let first = pages_with(&book, &with_memo);
        assert_eq!(first, pages_with(&book, &without), "{threads} threads");
        assert!(first.0.starts.len() >= pages, "a page or more per chapter");
        assert_eq!(memo.paged_hits(), 0);
        // Page 3 grows by pages: every later chapter starts later, from
        // its kept pagination.
        let long = " A sentence repeated until the paragraph runs over pages.".repeat(150);
        let changed = edited_with(book.clone(), 3, &long);
        let second = pages_with(&changed, &with_memo);
        assert_eq!(memo.paged_hits(), pages - 1, "{threads} threads");
        let fresh = pages_with(&changed, &without);
        assert!(
            fresh.0.starts.len() > first.0.starts.len() + 1,
            "the edit adds pages"
        );
        assert_eq!(second, fresh, "{threads} threads, after an edit");
        // The PDF's own pages, built with the same memo, agree.
        let mut diags = Diagnostics::default();
        let (_, written) = render_with_pages(&changed, &with_memo, &mut diags).unwrap();
        assert_eq!(written, fresh.0);
        // Nothing changed: every pagination kept.
        assert_eq!(pages_with(&changed, &with_memo), fresh);
        assert_eq!(memo.paged_hits(), 2 * pages - 1);
        // Headings added: the contents are counted again (here they grow,
        // which moves every chapter).
        let headed = with_headings(changed.clone(), 5, 80);
        let fresh_headed = pages_with(&headed, &without);
        let first_number = |p: &PrintPages| p.starts.first().map(|s| s.number);
        assert!(
            first_number(&fresh_headed.0) > first_number(&fresh.0),
            "the contents take more pages"
        );
        assert_eq!(pages_with(&headed, &with_memo), fresh_headed);
        assert_eq!(memo.paged_hits(), 3 * pages - 2);
        // Forgotten: paginated again, the same pages.
        memo.clear();
        assert_eq!(pages_with(&headed, &with_memo), fresh_headed);
        assert_eq!(memo.paged_hits(), 3 * pages - 2);
    }
}
