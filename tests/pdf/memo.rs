//! Chapters kept between builds (`folio watch`): a build that takes the
//! unchanged pages' chapters from the memo writes the bytes, and gives
//! the warnings, of a build without one; only the edited page is laid
//! out again.

use super::options;
use super::parallel::many_chapters;
use folio::Diagnostics;
use folio::backend::pdf::memo::LayoutMemo;
use folio::backend::pdf::{PdfOptions, render};
use folio::model::{BlockKind, Book, Inline, for_each_inline_mut};
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

#[test]
fn a_rebuild_with_kept_chapters_writes_what_a_fresh_build_writes() {
    let book = shipped_fonts_only();
    let pages = book.pages.len();
    for threads in [1, 2] {
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
