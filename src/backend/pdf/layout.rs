//! Block layout: the model's blocks become vertical items (lines, rows,
//! figures, spaces) with keep-together flags, which `paginate` distributes
//! over pages. Headings keep with what follows; a paragraph never leaves a
//! single line at the foot or head of a page; a table's header row repeats.

use super::draw::{DrawOp, Rgb};
use super::fonts::{FontSet, Variant};
use super::images::Images;
use super::style::{FamilyName, HeadingStyle, Style, color};
use super::text::{Align, Line, RunStyle, Setter, anchor_key};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Block, BlockKind, Figure, Footnote, Inline, Page, Table, inlines_text};
use std::collections::HashMap;
use std::rc::Rc;

/// What a vertical item is to the paginator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VKind {
    Content,
    /// Space between blocks: dropped at the top of a page.
    Space,
}

/// A heading for the outline: level (0 = chapter) and title.
#[derive(Debug, Clone)]
pub struct OutlineMark {
    pub level: u8,
    pub title: String,
    pub key: String,
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
    pub header: Option<Rc<VItem>>,
    /// Footnotes referred to in this item (numbers), and their blocks once
    /// resolved: a note goes at the foot of the page its first reference is on.
    pub note_refs: Vec<u32>,
    pub notes: Vec<Rc<NoteBlock>>,
}

/// A footnote set for the foot of a page.
#[derive(Debug, Clone)]
pub struct NoteBlock {
    pub height: f32,
    /// Operations with `y` relative to the note's top.
    pub ops: Vec<DrawOp>,
    /// The note's anchor key.
    pub key: String,
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
    pub fonts: &'a FontSet,
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
    page_source: std::path::PathBuf,
    /// The style file, for messages.
    pub style_file: std::path::PathBuf,
}

impl<'a> Layouter<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        style: &'a Style,
        fonts: &'a FontSet,
        setter: Setter<'a>,
        images: &'a mut Images,
        diags: &'a mut Diagnostics,
        left: f32,
        width: f32,
        text_height: f32,
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
            page_source: Default::default(),
            style_file: Default::default(),
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

    /// The vertical items of one page as a chapter: title, blocks, notes.
    pub fn chapter(&mut self, page: &Page) -> Vec<VItem> {
        self.setter.page_id = page.id.clone();
        self.page_source = page.source.clone();
        self.fonts.set_context(&page.source);
        self.min_level = min_heading_level(&page.blocks).unwrap_or(1);
        let mut out = Vec::new();
        let frame = Frame {
            x: self.left,
            width: self.width,
        };
        let ch = self.style.chapter.clone();
        let run = self.heading_run(&ch);
        let lines = self
            .setter
            .set_text(&page.title, &run, Align::Left, frame.width, ch.leading);
        let n = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let mut item = VItem::from_line(line, ch.leading, frame.x);
            item.keep_with_next = true;
            if i == 0 {
                item.anchors.push(page.id.clone());
                item.outline = Some(OutlineMark {
                    level: 0,
                    title: page.title.clone(),
                    key: page.id.clone(),
                });
            }
            if i + 1 == n {
                // An accent rule under the chapter title.
                item.height += 8.0;
                item.ops.push(DrawOp::Line {
                    x1: frame.x,
                    y1: ch.leading + 6.0,
                    x2: frame.x + 48.0,
                    y2: ch.leading + 6.0,
                    width: 2.5,
                    color: color(&self.style.colors.accent),
                });
            }
            out.push(item);
        }
        out.push(VItem::space(ch.space_after));
        if let Some(desc) = page.description.as_deref().filter(|d| !d.trim().is_empty()) {
            let run = RunStyle {
                family: FamilyName::Sans,
                size: self.style.body.size * 1.1,
                color: color(&self.style.colors.muted),
                ..self.body_style()
            };
            let leading = self.style.body.leading * 1.1;
            let lines = self
                .setter
                .set_text(desc, &run, Align::Left, frame.width, leading);
            self.push_lines(lines, leading, frame, &mut out);
            out.push(VItem::space(self.style.body.paragraph_space * 2.0));
        }
        self.blocks(&page.blocks, frame, &mut out);
        if !page.footnotes.is_empty() {
            // Each note goes with the first item that refers to it; notes
            // referred to nowhere the layout can see go at the chapter's end.
            let blocks = self.note_blocks(page, frame);
            let mut attached = std::collections::HashSet::new();
            for item in out.iter_mut() {
                for n in item.note_refs.clone() {
                    item.anchors
                        .push(anchor_key(&page.id, Some(&format!("fnref-{n}"))));
                    if let Some(b) = blocks.get(&n).filter(|_| attached.insert(n)) {
                        item.notes.push(Rc::clone(b));
                    }
                }
            }
            let rest: Vec<&Footnote> = page
                .footnotes
                .iter()
                .filter(|f| !attached.contains(&f.number))
                .collect();
            if !rest.is_empty() {
                self.footnotes(page, &rest, frame, &mut out);
            }
        }
        out
    }

    /// Each footnote of the page set for the foot of a page, its number
    /// linking back to the reference.
    fn note_blocks(&mut self, page: &Page, frame: Frame) -> HashMap<u32, Rc<NoteBlock>> {
        let fs = self.style.footnotes.clone();
        let indent = 14.0;
        let inner = Frame {
            x: frame.x + indent,
            width: frame.width - indent,
        };
        let run = RunStyle {
            size: fs.size,
            italic: false,
            ..self.body_style()
        };
        let mut out = HashMap::new();
        for note in &page.footnotes {
            let mut tmp = Vec::new();
            for block in &note.blocks {
                match &block.kind {
                    BlockKind::Paragraph { content } => {
                        let lines =
                            self.setter
                                .set(content, &run, Align::Justify, inner.width, fs.leading);
                        self.push_lines(lines, fs.leading, inner, &mut tmp);
                        tmp.push(VItem::space(2.0));
                    }
                    _ => self.block(block, inner, &mut tmp),
                }
            }
            trim_space(&mut tmp);
            let mut ops = Vec::new();
            let mut y = 0.0;
            for item in tmp {
                ops.extend(item.ops.into_iter().map(|op| op.shifted(0.0, y)));
                y += item.height;
            }
            let label = note.number.to_string();
            if let Some(line) = self
                .setter
                .set_text(&label, &run, Align::Left, indent * 2.0, fs.leading)
                .into_iter()
                .next()
            {
                let dx = inner.x - 5.0 - line.width;
                ops.push(DrawOp::Link {
                    x: dx,
                    y: 0.0,
                    w: line.width,
                    h: fs.leading,
                    dest: super::draw::LinkDest::Anchor(anchor_key(
                        &page.id,
                        Some(&format!("fnref-{}", note.number)),
                    )),
                });
                ops.extend(line.ops.into_iter().map(|op| op.shifted(dx, 0.0)));
            }
            out.insert(
                note.number,
                Rc::new(NoteBlock {
                    height: y + 3.0,
                    ops,
                    key: anchor_key(&page.id, Some(&format!("fn-{}", note.number))),
                }),
            );
        }
        out
    }

    /// Lines of a paragraph with widow and orphan control.
    fn push_lines(&self, lines: Vec<Line>, leading: f32, frame: Frame, out: &mut Vec<VItem>) {
        let n = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let mut item = VItem::from_line(line, leading, frame.x);
            // Keep the first two lines together and the last two together.
            item.keep_with_next = n > 1 && (i == 0 || i + 2 == n);
            out.push(item);
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
                if let Some(fig) = lone_image(content) {
                    self.figure(&fig, block, frame, out);
                    return;
                }
                let run = self.body_style();
                let lines =
                    self.setter
                        .set(content, &run, Align::Justify, frame.width, body.leading);
                self.push_lines(lines, body.leading, frame, out);
                // A paragraph that introduces what follows ("...:") stays with it.
                if inlines_text(content).trim_end().ends_with(':')
                    && let Some(last) = out.last_mut()
                {
                    last.keep_with_next = true;
                }
                let mut space = VItem::space(body.paragraph_space);
                space.keep_with_next = out.last().is_some_and(|i| i.keep_with_next);
                out.push(space);
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
                let run = self.heading_run(&h);
                let lines = self
                    .setter
                    .set(content, &run, Align::Left, frame.width, h.leading);
                let key = anchor_key(&self.setter.page_id, Some(anchor));
                for (i, line) in lines.into_iter().enumerate() {
                    let mut item = VItem::from_line(line, h.leading, frame.x);
                    item.keep_with_next = true;
                    if i == 0 {
                        item.anchors.push(key.clone());
                        item.outline = Some(OutlineMark {
                            level: 1 + level.saturating_sub(self.min_level),
                            title: inlines_text(content).trim().to_string(),
                            key: key.clone(),
                        });
                    }
                    out.push(item);
                }
                let mut sp = VItem::space(h.space_after);
                sp.keep_with_next = true;
                out.push(sp);
            }
            BlockKind::List { start, items } => self.list(*start, items, frame, out),
            BlockKind::Quote { blocks } => {
                let indent = self.style.quote.indent;
                let inner = Frame {
                    x: frame.x + indent,
                    width: frame.width - indent,
                };
                let mut tmp = Vec::new();
                self.quote_depth += 1;
                self.blocks(blocks, inner, &mut tmp);
                self.quote_depth -= 1;
                trim_space(&mut tmp);
                let rule = color(&self.style.colors.accent);
                let w = self.style.quote.rule_width;
                for mut item in tmp {
                    if item.kind == VKind::Content {
                        item.ops.push(DrawOp::Line {
                            x1: frame.x + w / 2.0 + 2.0,
                            y1: 0.0,
                            x2: frame.x + w / 2.0 + 2.0,
                            y2: item.height,
                            width: w,
                            color: rule,
                        });
                    }
                    out.push(item);
                }
                out.push(VItem::space(body.paragraph_space));
            }
            BlockKind::Code { text, .. } => self.code(text, frame, out),
            BlockKind::Table(table) => self.table(table, frame, out),
            BlockKind::Rule => {
                let mut item = VItem::content(body.leading, Vec::new());
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
        }
    }

    fn list(
        &mut self,
        start: Option<u64>,
        items: &[crate::model::ListItem],
        frame: Frame,
        out: &mut Vec<VItem>,
    ) {
        let indent = self.style.lists.indent;
        let inner = Frame {
            x: frame.x + indent,
            width: frame.width - indent,
        };
        let depth = self.list_depth;
        self.list_depth += 1;
        let run = RunStyle {
            italic: false,
            ..self.body_style()
        };
        for (n, item) in items.iter().enumerate() {
            let marker = match (start, item.task) {
                // Task boxes are drawn (the shipped fonts have no ballot box).
                (_, Some(_)) => String::new(),
                (Some(s), None) => format!("{}.", s + n as u64),
                (None, None) => {
                    let b = &self.style.lists.bullets;
                    b.get(depth % b.len().max(1))
                        .cloned()
                        .unwrap_or_else(|| "•".into())
                }
            };
            let mut tmp = Vec::new();
            self.blocks(&item.blocks, inner, &mut tmp);
            trim_space(&mut tmp);
            // Tight lists: items separated by a small space only.
            for it in tmp.iter_mut() {
                if it.kind == VKind::Space && it.height == self.style.body.paragraph_space {
                    it.height = self.style.lists.item_space;
                }
            }
            if let Some(first) = tmp.iter_mut().find(|i| i.kind == VKind::Content) {
                let baseline = first.baseline.unwrap_or(self.style.body.leading * 0.75);
                let lines = self.setter.set_text(
                    &marker,
                    &run,
                    Align::Left,
                    indent * 3.0,
                    self.style.body.leading,
                );
                if let Some(line) = lines.into_iter().next() {
                    let dx = inner.x - 5.0 - line.width;
                    let dy = baseline - line.baseline;
                    first
                        .ops
                        .extend(line.ops.into_iter().map(|op| op.shifted(dx, dy)));
                }
                if let Some(checked) = item.task {
                    let side = run.size * 0.72;
                    let (x, y) = (inner.x - 6.0 - side, baseline - side);
                    first.ops.push(DrawOp::Frame {
                        x,
                        y,
                        w: side,
                        h: side,
                        width: 0.6,
                        color: run.color,
                    });
                    if checked {
                        let tick = |x1: f32, y1: f32, x2: f32, y2: f32| DrawOp::Line {
                            x1: x + x1 * side,
                            y1: y + y1 * side,
                            x2: x + x2 * side,
                            y2: y + y2 * side,
                            width: 1.0,
                            color: run.color,
                        };
                        first.ops.push(tick(0.2, 0.55, 0.42, 0.8));
                        first.ops.push(tick(0.42, 0.8, 0.85, 0.2));
                    }
                }
            }
            out.extend(tmp);
            out.push(VItem::space(self.style.lists.item_space));
        }
        self.list_depth -= 1;
        if let Some(last) = out.last_mut() {
            last.height = self.style.body.paragraph_space;
        }
    }

    fn code(&mut self, text: &str, frame: Frame, out: &mut Vec<VItem>) {
        let cs = self.style.code.clone();
        let bg = color(&self.style.colors.code_background);
        let pad = cs.padding;
        let run = RunStyle::plain(FamilyName::Mono, false, cs.size, self.text_color);
        let inner = frame.width - 2.0 * pad;
        let rect = |h: f32| DrawOp::Rect {
            x: frame.x,
            y: 0.0,
            w: frame.width,
            h,
            color: bg,
        };
        out.push(VItem::space(2.0));
        let mut top = VItem::content(pad, vec![rect(pad)]);
        top.keep_with_next = true;
        out.push(top);
        let text = text
            .strip_suffix('\n')
            .unwrap_or(text)
            .replace('\t', "    ");
        let mut items = Vec::new();
        for src_line in text.split('\n') {
            for piece in wrap_code(self.fonts, &run, src_line, inner) {
                let mut ops = vec![rect(cs.leading)];
                if !piece.trim().is_empty() {
                    let line = self.setter.set_verbatim(&piece, &run, cs.leading);
                    ops.extend(
                        line.ops
                            .into_iter()
                            .map(|op| op.shifted(frame.x + pad, 0.0)),
                    );
                }
                items.push(VItem::content(cs.leading, ops));
            }
        }
        let n = items.len();
        for (i, mut item) in items.into_iter().enumerate() {
            item.keep_with_next = n > 1 && (i == 0 || i + 2 == n);
            out.push(item);
        }
        out.push(VItem::content(pad, vec![rect(pad)]));
        out.push(VItem::space(self.style.body.paragraph_space + 2.0));
    }

    fn table(&mut self, table: &Table, frame: Frame, out: &mut Vec<VItem>) {
        let ts = self.style.table.clone();
        let pad = ts.padding;
        let cols = table
            .head
            .len()
            .max(table.rows.iter().map(|r| r.len()).max().unwrap_or(0));
        if cols == 0 {
            return;
        }
        let base = RunStyle::plain(ts.family, false, ts.size, self.text_color);
        let head_style = RunStyle {
            bold: true,
            ..base.clone()
        };
        // Column widths from content: each column's widest unbroken word
        // (its minimum) and its longest cell (its natural width).
        let mut min_w = vec![0.0f32; cols];
        let mut max_w = vec![0.0f32; cols];
        let all_rows = std::iter::once((&table.head, &head_style))
            .chain(table.rows.iter().map(|r| (r, &base)));
        for (row, st) in all_rows {
            for (c, cell) in row.iter().enumerate().take(cols) {
                let text = inlines_text(cell);
                let (face, _) = self.fonts.slot(Variant {
                    family: st.family,
                    bold: st.bold,
                    italic: false,
                });
                let natural = self.fonts.width(face, st.size, &text);
                let widest = text
                    .split_whitespace()
                    .map(|w| self.fonts.width(face, st.size, w))
                    .fold(0.0f32, f32::max);
                max_w[c] = max_w[c].max(natural + 2.0 * pad + 1.0);
                min_w[c] = min_w[c].max(widest.min(frame.width / 3.0) + 2.0 * pad + 2.0);
            }
        }
        let avail = frame.width;
        let widths = column_widths(&min_w, &max_w, avail);
        let rule = color(&self.style.colors.rule);
        let head_bg = color(&self.style.colors.table_header_background);
        let row_item =
            |cells: &[Vec<Inline>], st: &RunStyle, header: bool, setter: &Setter| -> VItem {
                let mut ops = Vec::new();
                let mut height = 0.0f32;
                let mut x = frame.x;
                let mut cell_ops = Vec::new();
                let mut note_refs = Vec::new();
                for (c, w) in widths.iter().enumerate() {
                    let align = match table.align.get(c) {
                        Some(crate::model::Align::Center) => Align::Center,
                        _ => Align::Left,
                    };
                    if let Some(cell) = cells.get(c) {
                        let lines =
                            setter.set(cell, st, align, (w - 2.0 * pad).max(4.0), ts.leading);
                        let mut y = pad;
                        for line in lines {
                            note_refs.extend(line.notes);
                            cell_ops.extend(line.ops.into_iter().map(|op| op.shifted(x + pad, y)));
                            y += ts.leading;
                        }
                        height = height.max(y + pad);
                    }
                    x += w;
                }
                height = height.max(ts.leading + 2.0 * pad);
                if header {
                    ops.push(DrawOp::Rect {
                        x: frame.x,
                        y: 0.0,
                        w: avail,
                        h: height,
                        color: head_bg,
                    });
                }
                ops.extend(cell_ops);
                ops.push(DrawOp::Line {
                    x1: frame.x,
                    y1: height,
                    x2: frame.x + avail,
                    y2: height,
                    width: if header {
                        ts.rule_width * 2.0
                    } else {
                        ts.rule_width
                    },
                    color: rule,
                });
                VItem {
                    note_refs,
                    ..VItem::content(height, ops)
                }
            };
        out.push(VItem::space(2.0));
        let header = if table.head.iter().any(|c| !c.is_empty()) {
            let mut h = row_item(&table.head, &head_style, true, &self.setter);
            h.keep_with_next = true;
            Some(Rc::new(h))
        } else {
            None
        };
        if let Some(h) = &header {
            out.push((**h).clone());
        }
        for row in &table.rows {
            let mut item = row_item(row, &base, false, &self.setter);
            item.header = header.clone();
            out.push(item);
        }
        out.push(VItem::space(self.style.body.paragraph_space + 4.0));
    }

    fn figure(&mut self, fig: &Figure, block: &Block, frame: Frame, out: &mut Vec<VItem>) {
        let fs = self.style.figure.clone();
        let max_h = self.text_height * fs.max_height_ratio;
        let mut ops = Vec::new();
        let mut height;
        let placed = fig.asset.as_ref().map(|asset| {
            let (pw, ph) = self.images.size(asset)?;
            let want_w = fig
                .width
                .as_deref()
                .and_then(|w| w.trim_end_matches("px").parse::<f32>().ok())
                .map(|w| w * fs.points_per_px)
                .unwrap_or(pw * fs.points_per_px);
            let mut w = want_w.min(frame.width);
            let mut h = w * ph / pw.max(1.0);
            if h > max_h {
                w *= max_h / h;
                h = max_h;
            }
            let idx = self.images.load(asset, w)?;
            Ok::<_, anyhow::Error>((idx, w, h))
        });
        match placed {
            Some(Ok((image, w, h))) => {
                let x = frame.x + (frame.width - w) / 2.0;
                ops.push(DrawOp::Image {
                    image,
                    x,
                    y: 0.0,
                    w,
                    h,
                });
                if let Some(dest) = fig
                    .link
                    .as_ref()
                    .and_then(|l| super::text::link_dest(&l.target, &l.href))
                {
                    ops.push(DrawOp::Link {
                        x,
                        y: 0.0,
                        w,
                        h,
                        dest,
                    });
                }
                height = h;
            }
            other => {
                // A missing file was reported by the assets pass already.
                if let Some(Err(e)) = other {
                    self.diags.push(
                        Diagnostic::warning(
                            &self.page_source,
                            block.span.line,
                            format!("image `{}` cannot be used: {e}", fig.src),
                        )
                        .with_hint("a placeholder box is printed in its place"),
                    );
                }
                let w = frame.width.min(240.0);
                let h = 64.0;
                let x = frame.x + (frame.width - w) / 2.0;
                ops.push(DrawOp::Rect {
                    x,
                    y: 0.0,
                    w,
                    h,
                    color: color(&self.style.colors.placeholder),
                });
                ops.push(DrawOp::Frame {
                    x,
                    y: 0.0,
                    w,
                    h,
                    width: 0.5,
                    color: color(&self.style.colors.rule),
                });
                let run = RunStyle {
                    italic: true,
                    ..RunStyle::plain(
                        FamilyName::Sans,
                        false,
                        fs.caption_size,
                        color(&self.style.colors.muted),
                    )
                };
                let label = match fig.alt.as_deref().filter(|a| !a.is_empty()) {
                    Some(alt) => format!("Image not available: {alt}"),
                    None => format!("Image not available: {}", fig.src),
                };
                let lines =
                    self.setter
                        .set_text(&label, &run, Align::Center, w - 16.0, fs.caption_leading);
                let total = lines.len() as f32 * fs.caption_leading;
                let mut y = (h - total) / 2.0;
                for line in lines {
                    ops.extend(line.ops.into_iter().map(|op| op.shifted(x + 8.0, y)));
                    y += fs.caption_leading;
                }
                height = h;
            }
        }
        // The caption goes with the image: one unbreakable item.
        let mut note_refs = Vec::new();
        let caption: Vec<Inline> = if !fig.caption.is_empty() {
            fig.caption.clone()
        } else if let Some(t) = fig.title.as_deref() {
            vec![Inline::Text {
                text: t.to_string(),
            }]
        } else {
            Vec::new()
        };
        if !caption.is_empty() {
            let run = RunStyle::plain(
                FamilyName::Sans,
                false,
                fs.caption_size,
                color(&self.style.colors.muted),
            );
            height += 5.0;
            let lines = self.setter.set(
                &caption,
                &run,
                Align::Center,
                frame.width * 0.85,
                fs.caption_leading,
            );
            for line in lines {
                note_refs.extend(line.notes);
                ops.extend(
                    line.ops
                        .into_iter()
                        .map(|op| op.shifted(frame.x + frame.width * 0.075, height)),
                );
                height += fs.caption_leading;
            }
        }
        out.push(VItem::space(self.style.body.paragraph_space));
        out.push(VItem {
            note_refs,
            ..VItem::content(height, ops)
        });
        out.push(VItem::space(self.style.body.paragraph_space * 1.5));
    }

    /// Notes that no laid-out text refers to, listed at the chapter's end.
    fn footnotes(&mut self, page: &Page, notes: &[&Footnote], frame: Frame, out: &mut Vec<VItem>) {
        let fs = self.style.footnotes.clone();
        let h = self
            .style
            .headings
            .last()
            .cloned()
            .unwrap_or_else(|| self.style.chapter.clone());
        out.push(VItem::space(h.space_before));
        let mut rule = VItem::content(
            6.0,
            vec![DrawOp::Line {
                x1: frame.x,
                y1: 0.0,
                x2: frame.x + 60.0,
                y2: 0.0,
                width: 0.5,
                color: color(&self.style.colors.rule),
            }],
        );
        rule.keep_with_next = true;
        out.push(rule);
        let run = self.heading_run(&h);
        let lines = self
            .setter
            .set_text(&fs.title, &run, Align::Left, frame.width, h.leading);
        for line in lines {
            let mut item = VItem::from_line(line, h.leading, frame.x);
            item.keep_with_next = true;
            out.push(item);
        }
        let indent = 18.0;
        let inner = Frame {
            x: frame.x + indent,
            width: frame.width - indent,
        };
        let run = RunStyle {
            size: fs.size,
            ..self.body_style()
        };
        for note in notes {
            let mut tmp = Vec::new();
            for block in &note.blocks {
                match &block.kind {
                    BlockKind::Paragraph { content } => {
                        let lines =
                            self.setter
                                .set(content, &run, Align::Justify, inner.width, fs.leading);
                        self.push_lines(lines, fs.leading, inner, &mut tmp);
                    }
                    _ => self.block(block, inner, &mut tmp),
                }
            }
            if let Some(first) = tmp.iter_mut().find(|i| i.kind == VKind::Content) {
                first
                    .anchors
                    .push(anchor_key(&page.id, Some(&format!("fn-{}", note.number))));
                let label = format!("{}.", note.number);
                let lines =
                    self.setter
                        .set_text(&label, &run, Align::Left, indent * 2.0, fs.leading);
                if let Some(line) = lines.into_iter().next() {
                    let dx = inner.x - 4.0 - line.width;
                    first
                        .ops
                        .extend(line.ops.into_iter().map(|op| op.shifted(dx, 0.0)));
                }
            }
            out.extend(tmp);
            out.push(VItem::space(3.0));
        }
    }
}

/// Column widths from each column's minimum (widest word) and natural
/// (longest cell) width: narrow columns get their natural width first, the
/// rest share what is left in proportion to what they could use.
fn column_widths(min_w: &[f32], max_w: &[f32], avail: f32) -> Vec<f32> {
    let sum_max: f32 = max_w.iter().sum();
    let sum_min: f32 = min_w.iter().sum();
    if sum_max <= avail {
        return max_w.iter().map(|w| w * avail / sum_max.max(1.0)).collect();
    }
    if sum_min >= avail {
        return min_w.iter().map(|w| w * avail / sum_min.max(1.0)).collect();
    }
    let n = max_w.len();
    let mut fixed = vec![false; n];
    let mut widths = min_w.to_vec();
    loop {
        let left: f32 = avail - (0..n).filter(|&i| fixed[i]).map(|i| widths[i]).sum::<f32>();
        let open: Vec<usize> = (0..n).filter(|&i| !fixed[i]).collect();
        if open.is_empty() {
            break;
        }
        let fair = left / open.len() as f32;
        let small: Vec<usize> = open.iter().copied().filter(|&i| max_w[i] <= fair).collect();
        if small.is_empty() {
            let open_min: f32 = open.iter().map(|&i| min_w[i]).sum();
            let open_max: f32 = open.iter().map(|&i| max_w[i]).sum();
            let f = ((left - open_min) / (open_max - open_min).max(1.0)).clamp(0.0, 1.0);
            for &i in &open {
                widths[i] = min_w[i] + (max_w[i] - min_w[i]) * f;
            }
            break;
        }
        for i in small {
            widths[i] = max_w[i];
            fixed[i] = true;
        }
    }
    // Hand out any rounding rest to the last column.
    let total: f32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += avail - total;
    }
    widths
}

/// A paragraph that holds only an image is a figure.
fn lone_image(content: &[Inline]) -> Option<Figure> {
    let mut found = None;
    for inline in content {
        match inline {
            Inline::Image {
                src,
                asset,
                alt,
                title,
                ..
            } => {
                if found.is_some() {
                    return None;
                }
                found = Some(Figure {
                    src: src.clone(),
                    asset: asset.clone(),
                    alt: Some(alt.clone()),
                    title: title.clone(),
                    ..Figure::default()
                });
            }
            Inline::SoftBreak | Inline::LineBreak => {}
            Inline::Text { text } if text.trim().is_empty() => {}
            Inline::Link { content, link, .. } if content.len() == 1 => {
                let mut f = lone_image(content)?;
                f.link = Some(link.clone());
                if found.is_some() {
                    return None;
                }
                found = Some(f);
            }
            _ => return None,
        }
    }
    found
}

fn min_heading_level(blocks: &[Block]) -> Option<u8> {
    let mut min: Option<u8> = None;
    for b in blocks {
        let here = match &b.kind {
            BlockKind::Heading { level, .. } => Some(*level),
            BlockKind::Container { blocks, .. } | BlockKind::Quote { blocks } => {
                min_heading_level(blocks)
            }
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
    while items.first().is_some_and(|i| i.kind == VKind::Space) {
        items.remove(0);
    }
}

/// Splits a code line into pieces no wider than `width`, at a space or
/// punctuation when one is near the end, else between characters. Every
/// character is kept.
fn wrap_code(fonts: &FontSet, run: &RunStyle, line: &str, width: f32) -> Vec<String> {
    let (face, _) = fonts.slot(Variant {
        family: run.family,
        bold: run.bold,
        italic: false,
    });
    if fonts.width(face, run.size, line) <= width {
        return vec![line.to_string()];
    }
    let char_w = fonts.width(face, run.size, "M").max(0.1);
    let per_line = ((width / char_w).floor() as usize).max(8);
    let chars: Vec<char> = line.chars().collect();
    // Continuation lines sit two spaces deeper than the line's own indent.
    let own = chars.iter().take_while(|c| **c == ' ').count();
    let indent = " ".repeat((own + 2).min(per_line / 2));
    let mut out = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let limit = if out.is_empty() {
            per_line
        } else {
            per_line - indent.len()
        };
        let mut end = (start + limit).min(chars.len());
        if end < chars.len() {
            // Prefer to break after a space or punctuation in the last third.
            if let Some(p) = (start + limit * 2 / 3..end).rev().find(|&i| {
                matches!(
                    chars[i],
                    ' ' | ',' | ';' | '/' | '.' | '-' | '&' | '?' | '=' | '>'
                )
            }) {
                end = p + 1;
            }
        }
        let piece: String = chars[start..end].iter().collect();
        out.push(if out.is_empty() {
            piece
        } else {
            format!("{indent}{piece}")
        });
        start = end;
    }
    out
}

/// A finished page: operations with `y` from the page's top.
#[derive(Debug, Clone, Default)]
pub struct PageOut {
    pub ops: Vec<DrawOp>,
    /// Chapter title for the running header (`None` on cover and contents).
    pub chapter: Option<String>,
    pub first_of_chapter: bool,
    /// Print a page number in the footer.
    pub folio: bool,
}

/// Where anchors and outline entries landed: page index and `y` from top.
#[derive(Debug, Default)]
pub struct Placement {
    pub anchors: HashMap<String, (usize, f32)>,
    pub outline: Vec<(OutlineMark, usize, f32)>,
}

/// Distributes items over new pages appended to `pages`.
pub fn paginate(
    items: Vec<VItem>,
    top: f32,
    bottom: f32,
    note_rule: (f32, Rgb),
    chapter: Option<&str>,
    pages: &mut Vec<PageOut>,
    placement: &mut Placement,
) {
    // First decide where each page starts (heights only), backing up over
    // keep-with-next chains; then place.
    let mut starts: Vec<usize> = Vec::new();
    let mut i = 0;
    let mut page_first = 0;
    let mut cursor = top;
    // Height taken at the page's foot by notes (rule included).
    let mut notes_used = 0.0f32;
    starts.push(0);
    while i < items.len() {
        let item = &items[i];
        if item.kind == VKind::Space {
            if i == page_first {
                page_first += 1;
                starts.pop();
                starts.push(page_first);
            } else {
                cursor += item.height;
            }
            i += 1;
            continue;
        }
        let mut extra: f32 = item.notes.iter().map(|n| n.height).sum();
        if extra > 0.0 && notes_used == 0.0 {
            extra += NOTE_RULE;
        }
        if cursor + item.height + notes_used + extra > bottom + 0.01 && i > page_first {
            // Back up over the chain of items that must stay with item i.
            let mut j = i;
            while j > page_first {
                let prev = &items[j - 1];
                if prev.keep_with_next
                    || (prev.kind == VKind::Space
                        && j - 1 > page_first
                        && items[j - 2].keep_with_next)
                {
                    j -= 1;
                } else {
                    break;
                }
            }
            if j == page_first {
                j = i;
            }
            page_first = j;
            // Skip leading spaces on the new page.
            while page_first < items.len() && items[page_first].kind == VKind::Space {
                page_first += 1;
            }
            starts.push(page_first);
            i = page_first;
            cursor = top + repeat_height(&items, page_first);
            notes_used = 0.0;
            continue;
        }
        cursor += item.height;
        notes_used += extra;
        i += 1;
    }
    starts.dedup();
    let headers: Vec<Option<Rc<VItem>>> = starts
        .iter()
        .map(|&s| items.get(s).and_then(|it| it.header.clone()))
        .collect();
    // Items move onto their pages: their operations are not copied.
    let mut rest = items.into_iter().enumerate().peekable();
    for (p, &s) in starts.iter().enumerate() {
        let end = starts.get(p + 1).copied().unwrap_or(usize::MAX);
        if s >= end && p > 0 {
            continue;
        }
        let page_index = pages.len();
        let mut page = PageOut {
            chapter: chapter.map(str::to_string),
            first_of_chapter: p == 0,
            folio: true,
            ..PageOut::default()
        };
        let mut y = top;
        if let Some(h) = headers.get(p).and_then(Option::as_ref) {
            page.ops
                .extend(h.ops.iter().cloned().map(|op| op.shifted(0.0, y)));
            y += h.height;
        }
        while rest.next_if(|(i, _)| *i < s).is_some() {}
        let mut notes: Vec<Rc<NoteBlock>> = Vec::new();
        while let Some((_, item)) = rest.next_if(|(i, _)| *i < end) {
            notes.extend(item.notes.iter().cloned());
            if item.kind == VKind::Space {
                y += item.height;
                continue;
            }
            for a in item.anchors {
                placement.anchors.entry(a).or_insert((page_index, y));
            }
            if let Some(mark) = item.outline {
                placement.outline.push((mark, page_index, y));
            }
            page.ops
                .extend(item.ops.into_iter().map(|op| op.shifted(0.0, y)));
            y += item.height;
        }
        if !notes.is_empty() {
            let total: f32 = notes.iter().map(|n| n.height).sum::<f32>() + NOTE_RULE;
            let mut y = bottom - total;
            page.ops.push(DrawOp::Line {
                x1: note_rule.0,
                y1: y + NOTE_RULE / 2.0,
                x2: note_rule.0 + 60.0,
                y2: y + NOTE_RULE / 2.0,
                width: 0.5,
                color: note_rule.1,
            });
            y += NOTE_RULE;
            for note in notes {
                placement
                    .anchors
                    .entry(note.key.clone())
                    .or_insert((page_index, y));
                page.ops
                    .extend(note.ops.iter().cloned().map(|op| op.shifted(0.0, y)));
                y += note.height;
            }
        }
        pages.push(page);
    }
}

/// Space above the notes at a page's foot, with the short rule in it.
const NOTE_RULE: f32 = 14.0;

fn repeat_height(items: &[VItem], first: usize) -> f32 {
    items
        .get(first)
        .and_then(|it| it.header.as_ref())
        .map(|h| h.height)
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: (f32, Rgb) = (0.0, [0.0; 3]);

    fn para(lines: usize) -> Vec<VItem> {
        (0..lines)
            .map(|i| {
                let mut it = VItem::content(10.0, Vec::new());
                it.keep_with_next = lines > 1 && (i == 0 || i + 2 == lines);
                it.anchors.push(format!("l{i}"));
                it
            })
            .collect()
    }

    #[test]
    fn no_widows_or_orphans() {
        // Pages hold 10 lines; paragraphs of 3..=9 lines after a 1-8 line lead.
        for lead in 1..9 {
            for n in 3..10 {
                let mut items = para(lead);
                for it in items.iter_mut() {
                    it.anchors.clear();
                }
                items.push(VItem::space(0.0));
                items.extend(para(n));
                let mut pages = Vec::new();
                let mut placement = Placement::default();
                paginate(items, 0.0, 100.0, RULE, None, &mut pages, &mut placement);
                let page_of = |i: usize| placement.anchors[&format!("l{i}")].0;
                // First two and last two lines of the paragraph share a page.
                assert_eq!(page_of(0), page_of(1), "orphan: lead {lead}, {n} lines");
                assert_eq!(
                    page_of(n - 2),
                    page_of(n - 1),
                    "widow: lead {lead}, {n} lines"
                );
            }
        }
    }

    #[test]
    fn notes_go_to_the_foot_of_their_page() {
        // Ten 10-pt lines fit a page; the fifth refers to a 30-pt note,
        // which must land at the foot of the fifth line's page.
        let mut items = para(12);
        items[4].notes.push(Rc::new(NoteBlock {
            height: 30.0,
            ops: vec![DrawOp::Rect {
                x: 0.0,
                y: 0.0,
                w: 1.0,
                h: 1.0,
                color: [0.0; 3],
            }],
            key: "note".into(),
        }));
        let mut pages = Vec::new();
        let mut placement = Placement::default();
        paginate(items, 0.0, 100.0, RULE, None, &mut pages, &mut placement);
        let (note_page, note_y) = placement.anchors["note"];
        assert_eq!(note_page, placement.anchors["l4"].0);
        assert!((note_y + 30.0 - 100.0).abs() < 0.01, "{note_y}");
        // The lines on that page end above the notes.
        let last_on_page = (0..12)
            .filter(|i| placement.anchors[&format!("l{i}")].0 == note_page)
            .max()
            .unwrap();
        let (_, y) = placement.anchors[&format!("l{last_on_page}")];
        assert!(y + 10.0 <= 100.0 - 30.0 - NOTE_RULE + 0.01);
    }

    #[test]
    fn table_header_repeats() {
        let header = Rc::new(VItem::content(
            10.0,
            vec![DrawOp::Rect {
                x: 0.0,
                y: 0.0,
                w: 1.0,
                h: 1.0,
                color: [0.0; 3],
            }],
        ));
        let mut items = vec![(*header).clone()];
        for _ in 0..25 {
            let mut row = VItem::content(10.0, Vec::new());
            row.header = Some(Rc::clone(&header));
            items.push(row);
        }
        let mut pages = Vec::new();
        paginate(
            items,
            0.0,
            100.0,
            RULE,
            None,
            &mut pages,
            &mut Placement::default(),
        );
        assert_eq!(pages.len(), 3);
        for page in &pages {
            assert!(matches!(page.ops.first(), Some(DrawOp::Rect { .. })));
        }
    }

    #[test]
    fn column_widths_fill_the_measure() {
        let w = column_widths(&[20.0, 30.0, 40.0], &[40.0, 60.0, 900.0], 400.0);
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 0.01);
        assert_eq!(w[0], 40.0);
        assert_eq!(w[1], 60.0);
    }
}
