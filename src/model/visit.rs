//! Walking the model: every block and inline of a page, mutably, in
//! document order. Passes use these instead of writing their own recursion.

use super::{Block, BlockKind, Inline, Page};

/// Calls `f` on every block of `blocks`, nested ones included (parents first).
pub fn for_each_block_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Block)) {
    for block in blocks {
        f(block);
        match &mut block.kind {
            BlockKind::List { items, .. } => {
                for item in items {
                    for_each_block_mut(&mut item.blocks, f);
                }
            }
            BlockKind::Quote { blocks }
            | BlockKind::Container { blocks, .. }
            | BlockKind::Details { blocks, .. } => for_each_block_mut(blocks, f),
            _ => {}
        }
    }
}

/// Calls `f(line, inline)` on every inline of a page (footnotes and figure
/// captions included, outer inlines before their content); `line` is the
/// source line of the enclosing block.
pub fn for_each_inline_mut(page: &mut Page, f: &mut dyn FnMut(u32, &mut Inline)) {
    for_each_block_inline_mut(&mut page.blocks, f);
    for note in &mut page.footnotes {
        for_each_block_inline_mut(&mut note.blocks, f);
    }
}

/// Calls `f(line, inline)` on every inline of `blocks`, nested blocks,
/// table cells, figure captions and details summaries included.
pub fn for_each_block_inline_mut(blocks: &mut [Block], f: &mut dyn FnMut(u32, &mut Inline)) {
    for_each_block_mut(blocks, &mut |block| {
        let line = block.span.line;
        match &mut block.kind {
            BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
                walk_inlines(content, line, f)
            }
            BlockKind::Table(t) => {
                for cell in t.head.iter_mut().chain(t.rows.iter_mut().flatten()) {
                    walk_inlines(cell, line, f);
                }
            }
            BlockKind::Figure(fig) => walk_inlines(&mut fig.caption, line, f),
            BlockKind::Details { summary, .. } => walk_inlines(summary, line, f),
            _ => {}
        }
    });
}

fn walk_inlines(inlines: &mut [Inline], line: u32, f: &mut dyn FnMut(u32, &mut Inline)) {
    for inline in inlines {
        f(line, inline);
        match inline {
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Sup { content }
            | Inline::Sub { content }
            | Inline::Span { content, .. }
            | Inline::Link { content, .. } => walk_inlines(content, line, f),
            _ => {}
        }
    }
}
