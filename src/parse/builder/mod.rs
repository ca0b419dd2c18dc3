//! The event-driven builder behind [`super::markdown`]: pulldown-cmark
//! events (and replayed raw HTML) onto a stack of open frames, each closed
//! frame handing its product (blocks, inlines, list items, cells) to the
//! frame below it. Frames deeper than the nesting limit are not opened
//! ([`nesting`]); raw HTML is replayed as frames by [`replay`].

mod nesting;
mod replay;

use super::clamp;
use super::markdown::{Ctx, PH_OPEN, Slot};
use super::squeeze::{
    Piece, blocks_as_inlines, inline_form, push_inline, split_placeholders, trim_breaks,
};
use crate::model::{
    Align, Block, BlockKind, Inline, Link, LinkTarget, ListItem, Span, Table, inlines_text,
};
use nesting::Phantoms;
use pulldown_cmark::{Alignment, CodeBlockKind, Event, LinkType, Tag, TagEnd};

/// A block with its id left for [`super::ids`] to fill.
pub(super) fn block(span: Span, kind: BlockKind) -> Block {
    Block {
        id: String::new(),
        span,
        kind,
    }
}

#[derive(Debug)]
enum FrameKind {
    Root,
    Quote,
    Item {
        task: Option<bool>,
    },
    List {
        start: Option<u64>,
    },
    FootnoteDef {
        label: String,
    },
    Container {
        origin: String,
        classes: Vec<String>,
    },
    Para,
    Heading {
        level: u8,
        anchor: Option<String>,
        classes: Vec<String>,
    },
    Emph,
    Strong,
    Strike,
    Sup,
    Sub,
    Span {
        classes: Vec<String>,
    },
    InlineCode,
    Link {
        href: String,
        title: Option<String>,
        /// The destination was a `ref`/`relref`: `href` is a content path.
        reference: bool,
    },
    Image {
        src: String,
        title: Option<String>,
    },
    Table {
        align: Vec<Align>,
    },
    TableHead,
    TableRow,
    TableCell,
    CodeBlock {
        lang: Option<String>,
    },
    HtmlBlock,
}

impl FrameKind {
    fn holds_blocks(&self) -> bool {
        matches!(
            self,
            FrameKind::Root
                | FrameKind::Quote
                | FrameKind::Item { .. }
                | FrameKind::FootnoteDef { .. }
                | FrameKind::Container { .. }
        )
    }

    fn holds_inlines(&self) -> bool {
        matches!(
            self,
            FrameKind::Para
                | FrameKind::Heading { .. }
                | FrameKind::Emph
                | FrameKind::Strong
                | FrameKind::Strike
                | FrameKind::Sup
                | FrameKind::Sub
                | FrameKind::Span { .. }
                | FrameKind::InlineCode
                | FrameKind::Link { .. }
                | FrameKind::Image { .. }
                | FrameKind::TableCell
        )
    }
}

/// An open element while events stream in.
#[derive(Debug)]
struct Frame {
    kind: FrameKind,
    /// The Markdown end tag that closes it; `None` for frames opened by
    /// HTML or implicitly (a tight list item's paragraph).
    end_tag: Option<TagEnd>,
    /// The HTML tag that opened it.
    html_tag: Option<String>,
    /// Levels of nesting down to and including this frame (see
    /// [`FrameKind::step`]).
    depth: usize,
    start: usize,
    end: usize,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    items: Vec<ListItem>,
    cells: Vec<Vec<Inline>>,
    rows: Vec<Vec<Vec<Inline>>>,
    head: Vec<Vec<Inline>>,
    text: String,
}

impl Frame {
    fn new(kind: FrameKind, start: usize, end_tag: Option<TagEnd>, depth: usize) -> Self {
        Frame {
            kind,
            end_tag,
            html_tag: None,
            depth,
            start,
            end: start,
            blocks: Vec::new(),
            inlines: Vec::new(),
            items: Vec::new(),
            cells: Vec::new(),
            rows: Vec::new(),
            head: Vec::new(),
            text: String::new(),
        }
    }
}

/// What a closed frame hands to its parent.
enum Product {
    Blocks(Vec<Block>),
    Inlines(Vec<Inline>),
    Item(ListItem),
    Cell(Vec<Inline>),
    Row(Vec<Vec<Inline>>),
    Head(Vec<Vec<Inline>>),
    Nothing,
}

/// The event-driven state machine building one fragment.
pub(super) struct Builder<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    /// The fragment's shortcodes; each is taken when its placeholder lands.
    slots: &'c mut [Slot],
    stack: Vec<Frame>,
    /// While an HTML block is replayed: the body offset where it ends.
    html_extent: usize,
    /// Nesting depth of the fragment's root (a shortcode's inner content
    /// starts one level down, inside its container).
    base: usize,
    /// The deepest nesting kept (`Limits::nesting`).
    limit: usize,
    /// Elements opened past the limit, still waiting for their end.
    phantoms: Phantoms,
}

impl<'c, 'a> Builder<'c, 'a> {
    /// A builder for one fragment whose root lies `base` levels down.
    pub(super) fn new(ctx: &'c mut Ctx<'a>, slots: &'c mut [Slot], base: usize) -> Self {
        let limit = ctx.nesting_limit();
        Builder {
            ctx,
            slots,
            stack: vec![Frame::new(FrameKind::Root, 0, None, base)],
            html_extent: 0,
            base,
            limit,
            phantoms: Phantoms::default(),
        }
    }

    fn top(&mut self) -> Option<&mut Frame> {
        self.stack.last_mut()
    }

    fn open(&mut self, kind: FrameKind, start: usize, end_tag: Option<TagEnd>) {
        self.open_frame(kind, start, end_tag, None);
    }

    fn open_html(&mut self, kind: FrameKind, start: usize, tag: &str) {
        self.open_frame(kind, start, None, Some(tag));
    }

    pub(super) fn event(&mut self, event: Event<'_>, start: usize, end: usize) {
        if let Some(top) = self.top() {
            top.end = top.end.max(end);
        }
        match event {
            Event::Start(tag) => self.start_tag(tag, start),
            Event::End(tag) => {
                if let Some(top) = self.top() {
                    top.end = top.end.max(end);
                }
                self.end_markdown(tag);
            }
            Event::Text(text) => self.text(&text, start),
            Event::Code(text) => {
                let text = self.restore(&text);
                self.push(Inline::Code { text }, start);
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => self.push(
                Inline::Code {
                    text: text.to_string(),
                },
                start,
            ),
            // Shortcodes stay placeholders in HTML: in its text they become
            // content as anywhere else, in its attributes their source.
            Event::Html(text) => match self.top() {
                Some(f) if matches!(f.kind, FrameKind::HtmlBlock) => f.text.push_str(&text),
                _ => self.html(&text, start, true),
            },
            Event::InlineHtml(text) => self.html(&text, start, false),
            Event::FootnoteReference(label) => self.push(
                Inline::FootnoteRef {
                    label: label.to_string(),
                    number: 0,
                },
                start,
            ),
            Event::SoftBreak => self.push(Inline::SoftBreak, start),
            Event::HardBreak => self.push(Inline::LineBreak, start),
            Event::Rule => {
                self.close_inlines();
                self.deliver(Product::Blocks(vec![block(
                    self.ctx.span(start, end),
                    BlockKind::Rule,
                )]));
            }
            Event::TaskListMarker(checked) => {
                let pos = self
                    .stack
                    .iter()
                    .rposition(|f| matches!(f.kind, FrameKind::Item { .. }));
                if self.task_for_phantom(pos) {
                    return;
                }
                if let Some(f) = pos.and_then(|p| self.stack.get_mut(p)) {
                    f.kind = FrameKind::Item {
                        task: Some(checked),
                    };
                }
            }
        }
    }

    fn start_tag(&mut self, tag: Tag<'_>, start: usize) {
        let end_tag = Some(tag.to_end());
        let kind = match tag {
            Tag::Paragraph => FrameKind::Para,
            Tag::Heading {
                level, id, classes, ..
            } => FrameKind::Heading {
                level: level as u8,
                anchor: id.map(|s| s.to_string()),
                classes: classes.iter().map(|c| c.to_string()).collect(),
            },
            Tag::BlockQuote(_) => FrameKind::Quote,
            Tag::CodeBlock(kind) => FrameKind::CodeBlock {
                lang: match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    CodeBlockKind::Indented => None,
                },
            },
            Tag::HtmlBlock => FrameKind::HtmlBlock,
            Tag::List(start) => FrameKind::List { start },
            Tag::Item => FrameKind::Item { task: None },
            Tag::FootnoteDefinition(label) => FrameKind::FootnoteDef {
                label: label.to_string(),
            },
            Tag::Table(aligns) => FrameKind::Table {
                align: aligns
                    .iter()
                    .map(|a| match a {
                        Alignment::None => Align::None,
                        Alignment::Left => Align::Left,
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                    })
                    .collect(),
            },
            Tag::TableHead => FrameKind::TableHead,
            Tag::TableRow => FrameKind::TableRow,
            Tag::TableCell => FrameKind::TableCell,
            Tag::Emphasis => FrameKind::Emph,
            Tag::Strong => FrameKind::Strong,
            Tag::Strikethrough => FrameKind::Strike,
            Tag::Superscript => FrameKind::Sup,
            Tag::Subscript => FrameKind::Sub,
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let (href, reference) =
                    if link_type == LinkType::Email && !dest_url.starts_with("mailto:") {
                        (format!("mailto:{dest_url}"), false)
                    } else {
                        self.restore_href(&dest_url)
                    };
                FrameKind::Link {
                    href,
                    title: (!title.is_empty()).then(|| title.to_string()),
                    reference,
                }
            }
            Tag::Image {
                dest_url, title, ..
            } => FrameKind::Image {
                src: self.restore(&dest_url),
                title: (!title.is_empty()).then(|| title.to_string()),
            },
            // Not enabled; their content still arrives and lands in the parent.
            Tag::MetadataBlock(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => return,
        };
        if !kind.holds_inlines()
            || matches!(
                kind,
                FrameKind::Para | FrameKind::Heading { .. } | FrameKind::TableCell
            )
        {
            self.close_inlines();
        }
        self.open(kind, start, end_tag);
    }

    /// Closes frames from the top down to and including `pos`.
    fn close_to(&mut self, pos: usize) {
        // Counted up front: closing an HTML block may open frames (a `<div>`)
        // that must stay open.
        let n = self.stack.len().saturating_sub(pos.max(1));
        for _ in 0..n {
            self.close_top();
        }
    }

    /// Closes open inline frames (implicit paragraphs, unclosed HTML
    /// inlines) before a block starts.
    fn close_inlines(&mut self) {
        while self
            .stack
            .last()
            .is_some_and(|f| f.kind.holds_inlines() && f.end_tag.is_none())
            && !self.phantoms.markdown_inside(self.stack.len() - 1)
        {
            self.close_top();
        }
    }

    /// Makes sure the top frame takes inlines, opening a paragraph (and a
    /// list item) when needed.
    fn ensure_inline(&mut self, start: usize) {
        match self.stack.last().map(|f| &f.kind) {
            Some(k) if k.holds_inlines() => {}
            Some(FrameKind::List { .. }) => {
                self.open(FrameKind::Item { task: None }, start, None);
                self.open(FrameKind::Para, start, None);
            }
            Some(FrameKind::Table { .. } | FrameKind::TableHead | FrameKind::TableRow) => {
                self.open(FrameKind::TableCell, start, None)
            }
            _ => self.open(FrameKind::Para, start, None),
        }
    }

    fn push(&mut self, inline: Inline, start: usize) {
        if let Some(f) = self.stack.last_mut()
            && let FrameKind::CodeBlock { .. } | FrameKind::HtmlBlock = f.kind
        {
            f.text.push_str(&inlines_text(&[inline]));
            return;
        }
        self.ensure_inline(start);
        if let Some(f) = self.stack.last_mut() {
            push_inline(&mut f.inlines, inline);
        }
    }

    fn text(&mut self, text: &str, start: usize) {
        if let Some(f) = self.stack.last_mut()
            && let FrameKind::CodeBlock { .. } | FrameKind::HtmlBlock = f.kind
        {
            f.text.push_str(text);
            return;
        }
        self.push(
            Inline::Text {
                text: text.to_string(),
            },
            start,
        );
    }

    /// A link destination with its placeholders replaced: a `ref` alone
    /// (or followed by `#anchor`) is the content path it names (and `true`),
    /// anything else its source.
    fn restore_href(&self, text: &str) -> (String, bool) {
        let pieces = split_placeholders(text);
        let (slot, rest) = match pieces.as_slice() {
            [Piece::Slot(k)] => (*k, ""),
            [Piece::Slot(k), Piece::Text(rest)] if rest.starts_with('#') => (*k, *rest),
            _ => return (self.restore(text), false),
        };
        match self.slots.get(slot).and_then(|s| s.href.as_deref()) {
            Some(path) => (format!("{path}{rest}"), true),
            None => (self.restore(text), false),
        }
    }

    /// Replaces placeholders by the shortcode source (for code and URLs).
    fn restore(&self, text: &str) -> String {
        let mut out = String::new();
        for piece in split_placeholders(text) {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Slot(k) => out.push_str(self.slots.get(k).map_or("", |s| s.source.as_str())),
            }
        }
        out
    }

    fn close_top(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        self.phantoms.closed_to(self.stack.len());
        if let Some(parent) = self.stack.last_mut() {
            parent.end = parent.end.max(frame.end);
        }
        let product = self.finish_frame(frame);
        self.deliver(product);
    }

    fn finish_frame(&mut self, mut f: Frame) -> Product {
        // The model keeps these vectors: no growth slack (a block is some
        // 450 bytes, and a hostile page has 100 000 one-block containers).
        f.blocks.shrink_to_fit();
        f.inlines.shrink_to_fit();
        let span = self.ctx.span(f.start, f.end);
        let one = |kind| Product::Blocks(vec![block(span, kind)]);
        match f.kind {
            FrameKind::Root => Product::Blocks(f.blocks),
            FrameKind::Quote => one(BlockKind::Quote { blocks: f.blocks }),
            FrameKind::Container { origin, classes } => one(BlockKind::Container {
                origin,
                classes,
                blocks: f.blocks,
            }),
            FrameKind::Item { task } => Product::Item(ListItem {
                task,
                blocks: f.blocks,
            }),
            FrameKind::List { start } => one(BlockKind::List {
                start,
                items: f.items,
            }),
            FrameKind::FootnoteDef { label } => {
                self.ctx.footnotes.push((label, f.blocks, span));
                Product::Nothing
            }
            FrameKind::Para => Product::Blocks(self.paragraph(f.inlines, span, f.depth)),
            FrameKind::Heading {
                level,
                anchor,
                classes,
            } => one(BlockKind::Heading {
                level,
                anchor: anchor.unwrap_or_default(),
                classes,
                content: self.expand(f.inlines, f.depth),
            }),
            kind @ (FrameKind::Emph
            | FrameKind::Strong
            | FrameKind::Strike
            | FrameKind::Sup
            | FrameKind::Sub
            | FrameKind::Span { .. }
            | FrameKind::InlineCode
            | FrameKind::Link { .. }
            | FrameKind::Image { .. }) => {
                let content = self.expand(f.inlines, f.depth);
                Product::Inlines(wrap_inlines(kind, content).into_iter().collect())
            }
            FrameKind::Table { align } => one(BlockKind::Table(Table {
                align,
                head: f.head,
                rows: f.rows,
            })),
            FrameKind::TableHead => {
                // The head's cells arrive without a row of their own.
                let mut cells = f.cells;
                cells.extend(f.rows.into_iter().flatten());
                Product::Head(cells)
            }
            FrameKind::TableRow => Product::Row(f.cells),
            FrameKind::TableCell => Product::Cell(self.expand(f.inlines, f.depth)),
            FrameKind::CodeBlock { lang } => one(BlockKind::Code {
                lang,
                text: self.restore(&f.text),
            }),
            FrameKind::HtmlBlock => {
                // The HTML is replayed into the parent, so its frames nest
                // with what follows (a `<div>` closed blocks later).
                // Frames the HTML opens cover the whole HTML block.
                self.html_extent = f.end;
                self.html(&f.text, f.start, true);
                self.close_inlines();
                self.html_extent = 0;
                Product::Nothing
            }
        }
    }

    /// Hands a closed frame's product to the frame now on top.
    fn deliver(&mut self, product: Product) {
        let start = self.stack.last().map_or(0, |f| f.end);
        match product {
            Product::Nothing => {}
            Product::Inlines(inlines) => {
                for i in inlines {
                    self.push(i, start);
                }
            }
            Product::Blocks(blocks) => {
                let Some(top) = self.stack.last_mut() else {
                    return;
                };
                if top.kind.holds_blocks() {
                    top.blocks.extend(blocks);
                } else if let FrameKind::List { .. } = top.kind {
                    top.items.push(ListItem { task: None, blocks });
                } else if !blocks.is_empty() {
                    self.push_flattened(&blocks, start);
                }
            }
            Product::Item(item) => {
                let Some(top) = self.stack.last_mut() else {
                    return;
                };
                if let FrameKind::List { .. } = top.kind {
                    top.items.push(item);
                } else if top.kind.holds_blocks() {
                    top.blocks.extend(item.blocks);
                } else {
                    self.push_flattened(&item.blocks, start);
                }
            }
            Product::Cell(cell) => match self.stack.last_mut() {
                Some(top) if matches!(top.kind, FrameKind::TableHead | FrameKind::TableRow) => {
                    top.cells.push(cell)
                }
                Some(top) if matches!(top.kind, FrameKind::Table { .. }) => {
                    top.rows.push(vec![cell])
                }
                _ => {
                    for i in cell {
                        self.push(i, start);
                    }
                }
            },
            Product::Head(cells) => match self.stack.last_mut() {
                Some(top) if matches!(top.kind, FrameKind::Table { .. }) => top.head = cells,
                _ => self.deliver(Product::Row(cells)),
            },
            Product::Row(cells) => match self.stack.last_mut() {
                Some(top) if matches!(top.kind, FrameKind::Table { .. }) => top.rows.push(cells),
                Some(top) if matches!(top.kind, FrameKind::TableHead) => top.rows.push(cells),
                _ => {
                    for cell in cells {
                        for i in cell {
                            self.push(i, start);
                        }
                    }
                }
            },
        }
    }

    /// Blocks that ended up inside inline content (a `<p>` in a line of
    /// text): their inlines, set apart from what precedes them.
    fn push_flattened(&mut self, blocks: &[Block], start: usize) {
        if self.stack.last().is_some_and(|f| !f.inlines.is_empty()) {
            self.push(Inline::SoftBreak, start);
        }
        for i in blocks_as_inlines(blocks) {
            self.push(i, start);
        }
    }

    /// Replaces placeholders inside inline content by the shortcodes'
    /// content squeezed into inlines; `depth` is the frame's.
    fn expand(&mut self, inlines: Vec<Inline>, depth: usize) -> Vec<Inline> {
        // Kept in the model: sized to fit (an inline is some 150 bytes).
        let mut out = Vec::with_capacity(inlines.len());
        for inline in inlines {
            match inline {
                Inline::Text { text } if text.contains(PH_OPEN) => {
                    for piece in split_placeholders(&text) {
                        match piece {
                            Piece::Text(t) => push_inline(
                                &mut out,
                                Inline::Text {
                                    text: t.to_string(),
                                },
                            ),
                            Piece::Slot(k) => {
                                let Some((blocks, line)) = self.take_slot(k) else {
                                    continue;
                                };
                                let mut content = blocks_as_inlines(&blocks);
                                self.fit_inlines(&mut content, depth, line);
                                for i in content {
                                    push_inline(&mut out, i);
                                }
                            }
                        }
                    }
                }
                other => push_inline(&mut out, other),
            }
        }
        out
    }

    /// A paragraph's blocks: itself, or split around shortcodes that are
    /// blocks (a figure on its own line is a figure, not a paragraph).
    /// `depth` is the paragraph frame's.
    fn paragraph(&mut self, inlines: Vec<Inline>, span: Span, depth: usize) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut current: Vec<Inline> = Vec::new();
        // Shortcodes with nothing else in the paragraph stay blocks; next to
        // text they become inline content where they can.
        let alone = inlines.iter().all(|i| match i {
            Inline::Text { text } => split_placeholders(text).iter().all(|p| match p {
                Piece::Text(t) => t.trim().is_empty(),
                Piece::Slot(_) => true,
            }),
            Inline::SoftBreak | Inline::LineBreak => true,
            _ => false,
        });
        let flush = |current: &mut Vec<Inline>, blocks: &mut Vec<Block>| {
            let mut content = trim_breaks(std::mem::take(current));
            content.shrink_to_fit();
            if !content.is_empty() {
                blocks.push(block(span, BlockKind::Paragraph { content }));
            }
        };
        for inline in inlines {
            match inline {
                Inline::Text { text } if text.contains(PH_OPEN) => {
                    for piece in split_placeholders(&text) {
                        match piece {
                            Piece::Text(t) => push_inline(
                                &mut current,
                                Inline::Text {
                                    text: t.to_string(),
                                },
                            ),
                            Piece::Slot(k) => {
                                let Some((mut own, line)) = self.take_slot(k) else {
                                    continue;
                                };
                                // Only content that can sit in a line of text
                                // is made inline (a lone shortcode stays blocks).
                                let inline = if alone { None } else { inline_form(&own) };
                                match inline {
                                    Some(mut content) => {
                                        self.fit_inlines(&mut content, depth, line);
                                        for i in content {
                                            push_inline(&mut current, i);
                                        }
                                    }
                                    None => {
                                        flush(&mut current, &mut blocks);
                                        let budget = self.limit.saturating_sub(depth);
                                        if clamp::blocks(&mut own, budget) {
                                            self.ctx.note_too_deep(line);
                                        }
                                        blocks.extend(own);
                                    }
                                }
                            }
                        }
                    }
                }
                other => push_inline(&mut current, other),
            }
        }
        flush(&mut current, &mut blocks);
        blocks
    }

    /// Shortcode `k`'s blocks (taken: a placeholder lands once) and line.
    fn take_slot(&mut self, k: usize) -> Option<(Vec<Block>, u32)> {
        let slot = self.slots.get_mut(k)?;
        Some((std::mem::take(&mut slot.blocks), slot.line))
    }

    /// Shortcode content is built before the place it lands in is known:
    /// cut it to the levels left at `depth` (warning at `line` if cut).
    fn fit_inlines(&mut self, content: &mut Vec<Inline>, depth: usize, line: u32) {
        if clamp::inlines(content, self.limit.saturating_sub(depth)) {
            self.ctx.note_too_deep(line);
        }
    }

    pub(super) fn finish(mut self) -> Vec<Block> {
        while self.stack.len() > 1 {
            self.close_top();
        }
        self.stack.pop().map(|f| f.blocks).unwrap_or_default()
    }
}

/// The inline an inline frame makes of its (expanded) content.
fn wrap_inlines(kind: FrameKind, content: Vec<Inline>) -> Option<Inline> {
    Some(match kind {
        FrameKind::Emph => Inline::Emph { content },
        FrameKind::Strong => Inline::Strong { content },
        FrameKind::Strike => Inline::Strike { content },
        FrameKind::Sup => Inline::Sup { content },
        FrameKind::Sub => Inline::Sub { content },
        FrameKind::Span { classes } => Inline::Span {
            classes,
            lang: None,
            content,
        },
        FrameKind::InlineCode => Inline::Code {
            text: inlines_text(&content),
        },
        FrameKind::Link {
            href,
            title,
            reference,
        } => Inline::Link {
            link: Link {
                href,
                target: if reference {
                    LinkTarget::Ref
                } else {
                    LinkTarget::Unresolved
                },
            },
            title,
            content,
        },
        FrameKind::Image { src, title } => Inline::Image {
            src,
            asset: None,
            alt: inlines_text(&content),
            title,
        },
        _ => return None,
    })
}
