//! Chapters laid out on several threads give the bytes one thread gives:
//! images several chapters use, footnotes, links across chapters, nesting
//! under sections, pages in other languages (one without hyphenation
//! patterns, one that names none and takes the language of the page
//! before), characters no font has, characters only system fonts have;
//! and the same warnings, in the same order, each once.

use super::fixture::fixture;
use super::options;
use super::read::images;
use folio::Diagnostics;
use folio::backend::pdf::{PdfOptions, render};
use folio::model::{Block, BlockKind, Book, Inline};
use std::path::PathBuf;

/// The fixture's two chapters, then six copies of them: copy `k`'s first
/// page a section holding its second; copy 3 in German, copy 4 in Klingon
/// (no patterns), copy 5 naming no language, copy 6 in Japanese; copy 5
/// with a character no font has that no other page has; CJK and Thai text
/// in copies 2, 4 and 6, which only system fonts have.
pub(super) fn many_chapters() -> Book {
    let mut book = fixture();
    let originals = book.pages.clone();
    for k in 1..=6 {
        for (i, original) in originals.iter().enumerate() {
            let mut page = original.clone();
            page.id = format!("{}-{k}", original.id);
            page.source = PathBuf::from(format!("content/{}-{k}.md", original.id));
            page.source_rel = PathBuf::from(format!("{}-{k}.md", original.id));
            page.url = format!("/{}-{k}/", original.id);
            page.title = format!("{} ({k})", original.title);
            page.section = i == 0;
            page.depth = i;
            page.lang = match k {
                3 => "de".into(),
                4 => "tlh".into(),
                5 => String::new(),
                6 => "ja".into(),
                _ => "en".into(),
            };
            // Text only system fonts have (when the machine has them):
            // their faces are numbered as on one thread.
            let extra = match (k, i) {
                (2, 1) => Some("Kanji 漢字 in an English chapter."),
                (4, 0) => Some("Thai ภาษาไทย, then kanji 漢字 again."),
                (5, 1) => Some("An unassigned \u{0380} here only."),
                (6, 0) => Some("日本語の漢字とภาษาไทย."),
                _ => None,
            };
            if let Some(text) = extra {
                page.blocks.push(Block {
                    id: "extra".into(),
                    span: Default::default(),
                    kind: BlockKind::Paragraph {
                        content: vec![Inline::Text { text: text.into() }],
                    },
                });
            }
            book.pages.push(page);
        }
    }
    book
}

fn with_threads(threads: usize) -> PdfOptions {
    PdfOptions {
        threads: Some(threads),
        ..options(None)
    }
}

/// The PDF and its warnings, as text.
fn render_with(book: &Book, threads: usize) -> (Vec<u8>, Vec<String>) {
    let mut diags = Diagnostics::default();
    let bytes = render(book, &with_threads(threads), &mut diags).unwrap();
    let warnings = diags.items.iter().map(|d| d.to_string()).collect();
    (bytes, warnings)
}

#[test]
fn several_threads_give_the_bytes_and_warnings_of_one() {
    let book = many_chapters();
    let (one, one_warnings) = render_with(&book, 1);
    for threads in [2, 3, 8] {
        let (many, warnings) = render_with(&book, threads);
        assert_eq!(warnings, one_warnings, "{threads} threads: other warnings");
        assert!(
            many == one,
            "{threads} threads: other bytes ({} against {})",
            many.len(),
            one.len()
        );
    }
    // Each character no font has is named once, at its first page.
    let named = |what: &str| {
        one_warnings
            .iter()
            .filter(|w| w.contains(what))
            .cloned()
            .collect::<Vec<_>>()
    };
    let first = named("U+0378");
    assert_eq!(first.len(), 1, "{one_warnings:#?}");
    assert!(first[0].contains("content/first.md"), "{first:?}");
    assert!(first[0].contains("7 times"), "{first:?}");
    let odd = named("U+0380");
    assert_eq!(odd.len(), 1, "{one_warnings:#?}");
    assert!(odd[0].contains("content/second-5.md"), "{odd:?}");
    // The language without patterns is named once, at its first page.
    let klingon = named("`tlh`");
    assert_eq!(klingon.len(), 1, "{one_warnings:#?}");
    assert!(klingon[0].contains("content/first-4.md"), "{klingon:?}");
    // Each image is in the file once, however many chapters use it.
    let doc = lopdf::Document::load_mem(&one).unwrap();
    let (alone, _) = render_with(&fixture(), 2);
    let alone = lopdf::Document::load_mem(&alone).unwrap();
    assert!(!images(&alone).is_empty());
    assert_eq!(images(&doc), images(&alone));
}

#[test]
fn the_thread_count_does_not_change_a_one_chapter_book() {
    let mut book = fixture();
    book.pages.truncate(1);
    assert!(render_with(&book, 1).0 == render_with(&book, 4).0);
}
