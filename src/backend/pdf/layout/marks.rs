//! The outline entries of a book read from its model, before any page is
//! laid out: the contents come first in the book, and how many pages they
//! take must be known before the chapters' pages are numbered. The layout
//! makes its entries with the same functions, so titles and levels agree;
//! this walk visits every heading the layout can reach (footnotes' too), so
//! it never lists fewer entries than the layout ends up with.

use super::{OutlineMark, min_heading_level};
use crate::backend::pdf::text::anchor_key;
use crate::model::{Block, BlockKind, Book, Inline, Page, inlines_text};

/// The entry of a chapter's title.
pub(super) fn chapter_mark(page: &Page) -> OutlineMark {
    OutlineMark {
        level: 0,
        depth: page.depth,
        title: page.title.clone(),
        key: page.id.clone(),
    }
}

/// The entry of a heading of `level` (as written) with `anchor` and
/// `content`, on page `page_id` nesting `depth` deep, whose top heading
/// level is `min_level`.
pub(super) fn heading_mark(
    (page_id, depth, min_level): (&str, usize, u8),
    level: u8,
    anchor: &str,
    content: &[Inline],
) -> OutlineMark {
    OutlineMark {
        level: 1 + level.saturating_sub(min_level),
        depth,
        title: inlines_text(content).trim().to_string(),
        key: anchor_key(page_id, Some(anchor)),
    }
}

/// Every outline entry of `book`, in reading order.
pub fn outline_marks(book: &Book) -> Vec<OutlineMark> {
    let mut marks = Vec::new();
    for page in &book.pages {
        marks.push(chapter_mark(page));
        let min_level = min_heading_level(&page.blocks).unwrap_or(1);
        let at = (page.id.as_str(), page.depth, min_level);
        headings(&page.blocks, at, &mut marks);
        for note in &page.footnotes {
            headings(&note.blocks, at, &mut marks);
        }
    }
    marks
}

/// The entries of the headings in `blocks`, nested ones included. A loop
/// over a stack, not recursion, however deep the blocks nest.
fn headings(blocks: &[Block], at: (&str, usize, u8), marks: &mut Vec<OutlineMark>) {
    let mut stack: Vec<std::slice::Iter<Block>> = vec![blocks.iter()];
    while let Some(top) = stack.last_mut() {
        let Some(block) = top.next() else {
            stack.pop();
            continue;
        };
        match &block.kind {
            BlockKind::Heading {
                level,
                anchor,
                content,
                ..
            } => marks.push(heading_mark(at, *level, anchor, content)),
            BlockKind::Container { blocks, .. }
            | BlockKind::Quote { blocks }
            | BlockKind::Details { blocks, .. } => stack.push(blocks.iter()),
            BlockKind::List { items, .. } => {
                // Items in order: pushed last to first.
                for item in items.iter().rev() {
                    stack.push(item.blocks.iter());
                }
            }
            _ => {}
        }
    }
}
