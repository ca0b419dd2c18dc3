//! What a message is: each paragraph, heading, list-item, quote and
//! footnote paragraph, non-empty table cell, figure caption, alt text and
//! title, a details summary, the page title and description, and each
//! book's title, subtitle and description. Code blocks, URLs, image paths
//! and strings without letters are not messages.

use super::msgid::{self, Message};
use crate::model::{Block, BlockKind, Book, Inline, Page};
use std::path::Path;

/// One translatable segment of a book or page, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// `<page id>/<block id>[/<part>]` or `book/<name>/<field>`: the
    /// `#. id:` comment and the XLIFF unit id.
    pub id: String,
    /// What it is (`paragraph`, `heading`, `table cell`, …).
    pub kind: &'static str,
    pub message: Message,
    /// `content/about.md:12` (the source file relative to the project root,
    /// `/`-separated, and the block's first line).
    pub reference: String,
    /// The page's source file relative to its content root, for status
    /// per page; empty for book metadata.
    pub page: String,
}

/// The units of a book's own metadata (title, subtitle, description).
pub fn book_units(book: &Book, config: &Path) -> Vec<Unit> {
    let meta = &book.meta;
    let fields = [
        ("title", Some(&meta.title)),
        ("subtitle", meta.subtitle.as_ref()),
        ("description", meta.description.as_ref()),
    ];
    let mut out = Vec::new();
    for (field, value) in fields {
        if let Some(v) = value {
            push(
                &mut out,
                Unit {
                    id: format!("book/{}/{field}", meta.name),
                    kind: "book",
                    message: msgid::plain(v),
                    reference: format!("{}:1", slashed(config)),
                    page: String::new(),
                },
            );
        }
    }
    out
}

/// The units of one page, in reading order; `root` is the project root the
/// references are relative to, `keys` the front-matter keys whose string
/// values are messages too (config `i18n: front_matter`).
pub fn page_units(page: &Page, root: &Path, keys: &[String]) -> Vec<Unit> {
    let source = page.source.strip_prefix(root).unwrap_or(&page.source);
    let mut walker = Walker {
        page,
        file: slashed(source),
        out: Vec::new(),
    };
    walker.plain("title", "title", &page.title, 1);
    if let Some(d) = &page.description {
        walker.plain("description", "description", d, 1);
    }
    for (key, i, text) in front_matter_strings(page, keys) {
        let id = match i {
            Some(i) => format!("fm-{key}-{i}"),
            None => format!("fm-{key}"),
        };
        walker.plain(&id, "front matter", text, 1);
    }
    walker.blocks(&page.blocks, None);
    for f in &page.footnotes {
        walker.blocks(&f.blocks, Some("footnote"));
    }
    walker.out
}

/// The string values of `keys` in the page's front matter, in the keys'
/// order: `(key, None, text)` for a string, `(key, Some(i), text)` for the
/// `i`th string of a list.
pub fn front_matter_strings<'a>(
    page: &'a Page,
    keys: &'a [String],
) -> Vec<(&'a str, Option<usize>, &'a str)> {
    let mut out = Vec::new();
    for key in keys {
        match page.front_matter.get(key) {
            Some(serde_json::Value::String(s)) => out.push((key.as_str(), None, s.as_str())),
            Some(serde_json::Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if let serde_json::Value::String(s) = item {
                        out.push((key.as_str(), Some(i), s.as_str()));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A path with `/` separators, whatever the platform.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Adds `unit` when its message has letters.
fn push(out: &mut Vec<Unit>, unit: Unit) {
    if msgid::has_letters(&unit.message.text) {
        out.push(unit);
    }
}

struct Walker<'a> {
    page: &'a Page,
    file: String,
    out: Vec<Unit>,
}

impl Walker<'_> {
    fn unit(&mut self, id: String, kind: &'static str, message: Message, line: u32) {
        let unit = Unit {
            id: format!("{}/{id}", self.page.id),
            kind,
            message,
            reference: format!("{}:{}", self.file, line.max(1)),
            page: slashed(&self.page.source_rel),
        };
        push(&mut self.out, unit);
    }

    fn plain(&mut self, id: &str, kind: &'static str, text: &str, line: u32) {
        self.unit(id.to_string(), kind, msgid::plain(text), line);
    }

    fn inlines(&mut self, id: String, kind: &'static str, inlines: &[Inline], line: u32) {
        self.unit(id, kind, msgid::message(inlines), line);
    }

    /// `within` names the container a paragraph is in (`list item`,
    /// `quote`, `footnote`), which is its message type.
    fn blocks(&mut self, blocks: &[Block], within: Option<&'static str>) {
        for b in blocks {
            self.block(b, within);
        }
    }

    fn block(&mut self, b: &Block, within: Option<&'static str>) {
        let line = b.span.line;
        match &b.kind {
            BlockKind::Paragraph { content } => {
                self.inlines(b.id.clone(), within.unwrap_or("paragraph"), content, line)
            }
            BlockKind::Heading { content, .. } => {
                self.inlines(b.id.clone(), "heading", content, line)
            }
            BlockKind::List { items, .. } => {
                for item in items {
                    self.blocks(&item.blocks, Some(within.unwrap_or("list item")));
                }
            }
            BlockKind::Quote { blocks } => self.blocks(blocks, Some(within.unwrap_or("quote"))),
            BlockKind::Container { blocks, .. } => self.blocks(blocks, within),
            BlockKind::Details {
                summary, blocks, ..
            } => {
                self.inlines(format!("{}/summary", b.id), "summary", summary, line);
                self.blocks(blocks, within);
            }
            BlockKind::Table(table) => {
                for (c, cell) in table.head.iter().enumerate() {
                    self.inlines(format!("{}/h{}", b.id, c + 1), "table cell", cell, line);
                }
                for (r, row) in table.rows.iter().enumerate() {
                    for (c, cell) in row.iter().enumerate() {
                        let id = format!("{}/r{}c{}", b.id, r + 1, c + 1);
                        self.inlines(id, "table cell", cell, line);
                    }
                }
            }
            BlockKind::Figure(f) => {
                self.inlines(format!("{}/caption", b.id), "caption", &f.caption, line);
                if let Some(alt) = &f.alt {
                    self.plain(&format!("{}/alt", b.id), "alt", alt, line);
                }
                if let Some(title) = &f.title {
                    self.plain(&format!("{}/title", b.id), "image title", title, line);
                }
            }
            BlockKind::Qr(qr) => {
                if let Some(alt) = &qr.alt {
                    self.plain(&format!("{}/alt", b.id), "alt", alt, line);
                }
            }
            BlockKind::Embed(e) => {
                if let Some(title) = &e.title {
                    self.plain(&format!("{}/title", b.id), "embed title", title, line);
                }
            }
            BlockKind::Code { .. } | BlockKind::Rule => {}
        }
    }
}
