//! Where each character no font has occurs in a book: the first page and
//! line, and how often, found in the model (the layout sets text without
//! knowing its source line).

use crate::model::{Block, BlockKind, Book, Inline, inline_text, inlines_text};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// `c` as it can be shown between backticks: itself, or its code point
/// when it would not be seen (spaces, controls, joiners, marks of format).
pub(super) fn shown(c: char) -> String {
    let invisible = c.is_whitespace()
        || c.is_control()
        || matches!(u32::from(c), 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0xFEFF);
    if invisible {
        format!("U+{:04X}", u32::from(c))
    } else {
        c.to_string()
    }
}

/// Where a missing character first occurs in the book, and how often.
pub(super) struct FoundAt<'a> {
    pub path: &'a Path,
    pub line: u32,
    pub count: usize,
}

/// The first place (page file, block line) and the number of occurrences
/// of each of `wanted` in the book's text: titles, descriptions, blocks
/// and footnotes, in reading order.
pub(super) fn find_chars<'a>(
    book: &'a Book,
    wanted: &BTreeSet<char>,
) -> HashMap<char, FoundAt<'a>> {
    let mut found: HashMap<char, FoundAt<'a>> = HashMap::new();
    for page in &book.pages {
        let mut note = |text: &str, line: u32| {
            for c in text.chars().filter(|c| wanted.contains(c)) {
                found
                    .entry(c)
                    .or_insert(FoundAt {
                        path: &page.source,
                        line,
                        count: 0,
                    })
                    .count += 1;
            }
        };
        // Titles and descriptions come from the front matter: no line.
        note(&page.title, 0);
        note(page.description.as_deref().unwrap_or(""), 0);
        block_texts(&page.blocks, &mut note);
        for footnote in &page.footnotes {
            block_texts(&footnote.blocks, &mut note);
        }
    }
    found
}

/// Calls `f(text, line)` on the text of every block in `blocks`, nested ones
/// included (the model's depth is bounded by `Limits::nesting`). A
/// paragraph's line moves on at each of its line breaks; a table's rows lie
/// below its head and the separator.
fn block_texts(blocks: &[Block], f: &mut dyn FnMut(&str, u32)) {
    for block in blocks {
        let line = block.span.line;
        match &block.kind {
            BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
                let mut at = line;
                inline_texts(content, &mut at, f);
            }
            BlockKind::Code { text, .. } => f(text, line),
            BlockKind::Table(table) => {
                for cell in &table.head {
                    f(&inlines_text(cell), line);
                }
                let below = if table.head.is_empty() { 0 } else { 2 };
                for (row, cells) in table.rows.iter().enumerate() {
                    let row = u32::try_from(row).unwrap_or(u32::MAX);
                    let row_line = line.saturating_add(below).saturating_add(row);
                    for cell in cells {
                        f(&inlines_text(cell), row_line);
                    }
                }
            }
            BlockKind::Figure(figure) => {
                f(&inlines_text(&figure.caption), line);
                f(figure.alt.as_deref().unwrap_or(""), line);
            }
            BlockKind::List { items, .. } => {
                for item in items {
                    block_texts(&item.blocks, f);
                }
            }
            BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
                block_texts(blocks, f)
            }
            _ => {}
        }
    }
}

/// Calls `f(text, line)` on each inline's own text in order, `line`
/// counting the line breaks passed.
fn inline_texts(inlines: &[Inline], line: &mut u32, f: &mut dyn FnMut(&str, u32)) {
    for inline in inlines {
        match inline {
            Inline::SoftBreak | Inline::LineBreak => *line = line.saturating_add(1),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Sup { content }
            | Inline::Sub { content }
            | Inline::Span { content, .. }
            | Inline::Link { content, .. } => inline_texts(content, line, f),
            other => f(&inline_text(other), *line),
        }
    }
}
