//! Block layout: the model's blocks become vertical items (lines, rows,
//! figures, spaces) with keep-together flags, which `paginate` distributes
//! over pages. Headings keep with what follows; a paragraph never leaves a
//! single line at the foot or head of a page; a table's header row repeats.

mod backdrop;
mod chapter;
mod chapters;
mod code;
mod details;
mod embed;
mod figure;
mod list;
mod marks;
mod notes;
mod paginate;
mod qr;
mod structure;
mod table;

pub use chapter::block_anchor;
pub use chapters::{Chapter, ChapterNotes, Kit};
pub use marks::outline_marks;
pub use paginate::{Column, PageOut, Placement, paginate};

use super::draw::{DrawOp, Rgb};
use super::fonts::LocalFonts;
use super::images::Images;
use super::style::{HeadingStyle, Style, color};
use super::tags::{Artifact, Kind, NodeId, ROOT, StructTree, Tag};
use super::text::{Align, Line, RunStyle, Setter, anchor_key};
use crate::diag::Diagnostics;
use crate::model::{Block, BlockKind, inlines_text};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// What a vertical item is to the paginator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VKind {
    Content,
    /// Space between blocks: dropped at the top of a page.
    Space,
}

/// A heading for the outline and the contents: its level in its chapter
/// (0 = the chapter's title, 1 = its first heading level), how deep the
/// chapter nests under sections, and its title.
#[derive(Debug, Clone)]
pub struct OutlineMark {
    pub level: u8,
    /// The chapter's nesting under its sections (0: top level).
    pub depth: usize,
    pub title: String,
    pub key: String,
}

impl OutlineMark {
    /// The entry's level in the whole book's tree (0: a top-level chapter).
    pub fn tree_level(&self) -> usize {
        self.depth + usize::from(self.level)
    }
}

/// One unbreakable piece of a page's column.
#[derive(Debug, Clone)]
pub struct VItem {
    pub height: f32,
    /// Operations with `y` relative to the item's top.
    pub ops: Vec<DrawOp>,
    pub keep_with_next: bool,
    pub kind: VKind,
    /// Anchor keys that land on this item.
    pub anchors: Vec<String>,
    pub outline: Option<OutlineMark>,
    /// First baseline, for list markers.
    pub baseline: Option<f32>,
    /// A table's header row, repeated when the table continues on a new page.
    pub header: Option<Arc<VItem>>,
    /// Footnotes referred to in this item (numbers), and their blocks once
    /// resolved: a note goes at the foot of the page its first reference is on.
    pub note_refs: Vec<u32>,
    pub notes: Vec<Arc<NoteBlock>>,
    /// What the item's operations are in the structure tree (`None`: the
    /// enclosing node's, decided by the caller).
    pub tag: Option<Tag>,
}

/// A footnote set for the foot of a page.
#[derive(Debug, Clone)]
pub struct NoteBlock {
    pub height: f32,
    /// Operations with `y` relative to the note's top.
    pub ops: Vec<DrawOp>,
    /// The note's anchor key.
    pub key: String,
    /// The note's `Note` node.
    pub tag: Option<NodeId>,
}

impl VItem {
    /// A content item of the given height.
    pub fn content(height: f32, ops: Vec<DrawOp>) -> VItem {
        VItem {
            height,
            ops,
            keep_with_next: false,
            kind: VKind::Content,
            anchors: Vec::new(),
            outline: None,
            baseline: None,
            header: None,
            note_refs: Vec::new(),
            notes: Vec::new(),
            tag: None,
        }
    }

    /// Discardable space.
    pub fn space_of(height: f32) -> VItem {
        Self::space(height)
    }

    fn space(height: f32) -> VItem {
        VItem {
            kind: VKind::Space,
            ..VItem::content(height, Vec::new())
        }
    }

    fn from_line(line: Line, leading: f32, dx: f32) -> VItem {
        let ops = line.ops.into_iter().map(|op| op.shifted(dx, 0.0)).collect();
        VItem {
            baseline: Some(line.baseline),
            note_refs: line.notes,
            ..VItem::content(leading, ops)
        }
    }
}

/// A horizontal slice of the text area.
#[derive(Debug, Clone, Copy)]
struct Frame {
    x: f32,
    width: f32,
}

/// Lays out the blocks of pages.
pub struct Layouter<'a> {
    pub style: &'a Style,
    pub fonts: &'a LocalFonts,
    pub setter: Setter<'a>,
    pub images: &'a mut Images,
    pub diags: &'a mut Diagnostics,
    /// Text area: left edge, width and height.
    pub left: f32,
    pub width: f32,
    pub text_height: f32,
    pub text_color: Rgb,
    quote_depth: usize,
    list_depth: usize,
    /// Top body heading level of the current page (for outline levels).
    min_level: u8,
    /// How deep the current page nests under sections (for outline levels).
    chapter_depth: usize,
    page_source: std::path::PathBuf,
    /// The style file, for messages.
    pub style_file: std::path::PathBuf,
    /// folio's own words in the book's language (the style's English
    /// titles are translated through them too).
    pub labels: crate::model::Labels,
    /// Images found to be white on transparency (or not), by file: each
    /// is looked at once.
    white_on_clear: HashMap<PathBuf, bool>,
    /// The structure tree (tagged PDF) and the node being filled: a
    /// chapter's own, or the book's while the book's layouter adds to it.
    pub tags: StructTree,
    pub parent: NodeId,
    /// The rank of the last heading set (1: the chapter title's), so that
    /// none skips a rank.
    last_rank: u8,
    /// Open chapter nodes with their depth, for nesting under sections.
    sects: Vec<(usize, NodeId)>,
    /// The book's language: a page in another gets `/Lang` on its node.
    pub book_lang: String,
}

impl<'a> Layouter<'a> {
    pub fn new(
        style: &'a Style,
        fonts: &'a LocalFonts,
        setter: Setter<'a>,
        images: &'a mut Images,
        diags: &'a mut Diagnostics,
        (left, width, text_height): (f32, f32, f32),
    ) -> Self {
        Layouter {
            style,
            fonts,
            setter,
            images,
            diags,
            left,
            width,
            text_height,
            text_color: color(&style.colors.text),
            quote_depth: 0,
            list_depth: 0,
            min_level: 1,
            chapter_depth: 0,
            page_source: Default::default(),
            style_file: Default::default(),
            labels: Default::default(),
            white_on_clear: Default::default(),
            tags: StructTree::default(),
            parent: ROOT,
            last_rank: 1,
            sects: Vec::new(),
            book_lang: String::new(),
        }
    }

    /// The style file's path, for messages.
    pub fn style_path(&self) -> &std::path::Path {
        &self.style_file
    }

    fn body_style(&self) -> RunStyle {
        RunStyle {
            italic: self.quote_depth > 0 && self.style.quote.italic,
            ..RunStyle::plain(
                self.style.body.family,
                false,
                self.style.body.size,
                self.text_color,
            )
        }
    }

    fn heading_run(&self, h: &HeadingStyle) -> RunStyle {
        RunStyle::plain(h.family, h.bold, h.size, color(&self.style.colors.heading))
    }

    /// Lines of a paragraph with widow and orphan control.
    fn push_lines(&self, lines: Vec<Line>, leading: f32, frame: Frame, out: &mut Vec<VItem>) {
        let n = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let hyphenated = line.hyphenated;
            let mut item = VItem::from_line(line, leading, frame.x);
            // Keep the first two lines together and the last two together,
            // and a line ending with a hyphen with the next (no page ends
            // in the middle of a word).
            item.keep_with_next = n > 1 && (i == 0 || i + 2 == n || hyphenated);
            out.push(item);
        }
    }

    /// `frame` moved in by `by` for a nested quote or list (from the right
    /// in a right-to-left book), unless that leaves less than a third of
    /// the text width: deep nesting stops indenting rather than squeeze its
    /// lines to a letter each.
    fn indented(&self, frame: Frame, by: f32) -> Frame {
        if frame.width - by < self.width / 3.0 {
            frame
        } else {
            Frame {
                x: if self.rtl() { frame.x } else { frame.x + by },
                width: frame.width - by,
            }
        }
    }

    /// The book runs right to left: indents, list markers, rules beside
    /// quotes, table columns and footnote numbers are mirrored.
    pub fn rtl(&self) -> bool {
        self.setter.rtl_book
    }

    /// The `x` of something `w` wide at `x` in `frame`, mirrored in a
    /// right-to-left book.
    fn side(&self, frame: Frame, x: f32, w: f32) -> f32 {
        if self.rtl() {
            frame.x + frame.width - (x - frame.x) - w
        } else {
            x
        }
    }

    fn blocks(&mut self, blocks: &[Block], frame: Frame, out: &mut Vec<VItem>) {
        for block in blocks {
            self.block(block, frame, out);
        }
    }

    fn block(&mut self, block: &Block, frame: Frame, out: &mut Vec<VItem>) {
        let body = self.style.body.clone();
        match &block.kind {
            BlockKind::Paragraph { content } => {
                if let Some(fig) = figure::lone_image(content) {
                    self.figure(&fig, block, frame, out);
                    return;
                }
                let run = self.body_style();
                let after =
                    self.pictures(&[content], body.leading, frame.width, true, block.span.line);
                let lines =
                    self.setter
                        .set(content, &run, Align::Justify, frame.width, body.leading);
                let start = out.len();
                self.push_lines(lines, body.leading, frame, out);
                let p = self.tags.add(Kind::P, self.parent);
                structure::claim(out, start, p);
                // A paragraph that introduces what follows ("...:") stays with it.
                if inlines_text(content).trim_end().ends_with(':')
                    && let Some(last) = out.last_mut()
                {
                    last.keep_with_next = true;
                }
                let mut space = VItem::space(body.paragraph_space);
                space.keep_with_next = out.last().is_some_and(|i| i.keep_with_next);
                out.push(space);
                // Images too large for a line follow their paragraph.
                for fig in after {
                    self.figure(&fig, block, frame, out);
                }
            }
            BlockKind::Heading {
                level,
                anchor,
                content,
                ..
            } => {
                let idx = usize::from(level.saturating_sub(self.min_level));
                let h = self
                    .style
                    .headings
                    .get(idx)
                    .or(self.style.headings.last())
                    .cloned()
                    .unwrap_or_else(|| self.style.chapter.clone());
                out.push(VItem::space(h.space_before));
                let start = out.len();
                let rank = self.heading_rank(*level);
                let node = self.tags.add(Kind::H(rank), self.parent);
                let run = self.heading_run(&h);
                self.pictures(&[content], h.leading, frame.width, false, block.span.line);
                let lines = self
                    .setter
                    .set(content, &run, Align::Heading, frame.width, h.leading);
                let key = anchor_key(&self.setter.page_id, Some(anchor));
                for (i, line) in lines.into_iter().enumerate() {
                    let mut item = VItem::from_line(line, h.leading, frame.x);
                    item.keep_with_next = true;
                    if i == 0 {
                        item.anchors.push(key.clone());
                        let at = (
                            self.setter.page_id.as_str(),
                            self.chapter_depth,
                            self.min_level,
                        );
                        item.outline = Some(marks::heading_mark(at, *level, anchor, content));
                    }
                    out.push(item);
                }
                structure::claim(out, start, node);
                let mut sp = VItem::space(h.space_after);
                sp.keep_with_next = true;
                out.push(sp);
            }
            BlockKind::List { start, items } => {
                self.within(Kind::L, out, |lay, out| lay.list(*start, items, frame, out));
            }
            BlockKind::Quote { blocks } => self.within(Kind::BlockQuote, out, |lay, out| {
                let inner = lay.indented(frame, lay.style.quote.indent);
                let mut tmp = Vec::new();
                lay.quote_depth += 1;
                lay.blocks(blocks, inner, &mut tmp);
                lay.quote_depth -= 1;
                // Past the deepest indent, a level adds no rule of its own.
                let rule = color(&lay.style.colors.accent);
                lay.ruled(tmp, frame, inner, rule, out);
                out.push(VItem::space(body.paragraph_space));
            }),
            BlockKind::Code { text, .. } => {
                self.within(Kind::Code, out, |lay, out| lay.code(text, frame, out));
            }
            BlockKind::Table(table) => self.within(Kind::Table, out, |lay, out| {
                lay.table(table, block.span.line, frame, out);
            }),
            BlockKind::Rule => {
                let mut item = VItem::content(body.leading, Vec::new());
                item.tag = Some(Tag::Artifact(Artifact::Layout));
                let y = body.leading / 2.0;
                item.ops.push(DrawOp::Line {
                    x1: frame.x + frame.width * 0.3,
                    y1: y,
                    x2: frame.x + frame.width * 0.7,
                    y2: y,
                    width: 0.6,
                    color: color(&self.style.colors.rule),
                });
                out.push(VItem::space(body.paragraph_space));
                out.push(item);
                out.push(VItem::space(body.paragraph_space));
            }
            BlockKind::Figure(fig) => self.figure(fig, block, frame, out),
            BlockKind::Container { blocks, .. } => self.blocks(blocks, frame, out),
            BlockKind::Details {
                summary, blocks, ..
            } => self.within(Kind::Div, out, |lay, out| {
                lay.details(summary, blocks, frame, out);
            }),
            BlockKind::Embed(embed) => {
                self.within(Kind::P, out, |lay, out| lay.embed(embed, frame, out));
            }
            BlockKind::Qr(qr) => self.qr(qr, frame, out),
        }
    }
}

fn min_heading_level(blocks: &[Block]) -> Option<u8> {
    let mut min: Option<u8> = None;
    for b in blocks {
        let here = match &b.kind {
            BlockKind::Heading { level, .. } => Some(*level),
            BlockKind::Container { blocks, .. }
            | BlockKind::Quote { blocks }
            | BlockKind::Details { blocks, .. } => min_heading_level(blocks),
            _ => None,
        };
        if let Some(l) = here {
            min = Some(min.map_or(l, |m| m.min(l)));
        }
    }
    min
}

fn trim_space(items: &mut Vec<VItem>) {
    while items.last().is_some_and(|i| i.kind == VKind::Space) {
        items.pop();
    }
    // In one go: a quote of 20 000 empty headings is all leading space.
    let lead = items.iter().take_while(|i| i.kind == VKind::Space).count();
    items.drain(..lead);
}
