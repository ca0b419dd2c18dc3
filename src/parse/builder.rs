//! The event-driven builder behind [`super::markdown`]: pulldown-cmark
//! events (and replayed raw HTML) onto a stack of open frames, each closed
//! frame handing its product (blocks, inlines, list items, cells) to the
//! frame below it.

use super::html::{self, Tok};
use super::markdown::{Ctx, PH_CLOSE, PH_OPEN, Slot};
use crate::model::{
    Align, Block, BlockKind, Inline, Link, LinkTarget, ListItem, Span, Table, inlines_text,
};
use pulldown_cmark::{Alignment, CodeBlockKind, Event, LinkType, Tag, TagEnd};

/// A block with its id left for [`super::ids`] to fill.
pub(super) fn block(span: Span, kind: BlockKind) -> Block {
    Block {
        id: String::new(),
        span,
        kind,
    }
}

/// Blocks squeezed into inline content (for places that take only inlines:
/// a caption, a heading, a table cell).
pub(super) fn blocks_as_inlines(blocks: &[Block]) -> Vec<Inline> {
    let mut out = Vec::new();
    for b in blocks {
        if !out.is_empty() {
            out.push(Inline::LineBreak);
        }
        match &b.kind {
            BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
                out.extend(content.iter().cloned())
            }
            BlockKind::Code { text, .. } => out.push(Inline::Code { text: text.clone() }),
            BlockKind::List { items, .. } => {
                for item in items {
                    out.extend(blocks_as_inlines(&item.blocks));
                }
            }
            BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
                out.extend(blocks_as_inlines(blocks))
            }
            BlockKind::Table(t) => {
                for cell in t.head.iter().chain(t.rows.iter().flatten()) {
                    push_inline(&mut out, Inline::Text { text: " ".into() });
                    out.extend(cell.iter().cloned());
                }
            }
            BlockKind::Figure(f) => {
                out.push(Inline::Image {
                    src: f.src.clone(),
                    asset: None,
                    alt: f.alt.clone().unwrap_or_default(),
                    title: f.title.clone(),
                });
                out.extend(f.caption.iter().cloned());
            }
            BlockKind::Rule => {}
        }
    }
    merge_texts(out)
}

/// Shortcode output that can sit inside a line of text: nothing, one
/// paragraph, or a container of one paragraph (as a span with its classes).
fn inline_form(blocks: &[Block]) -> Option<Vec<Inline>> {
    match blocks {
        [] => Some(Vec::new()),
        [one] => match &one.kind {
            BlockKind::Paragraph { content } => Some(content.clone()),
            BlockKind::Container {
                classes, blocks, ..
            } => {
                let content = inline_form(blocks)?;
                Some(if classes.is_empty() {
                    content
                } else {
                    vec![Inline::Span {
                        classes: classes.clone(),
                        content,
                    }]
                })
            }
            _ => None,
        },
        _ => None,
    }
}

/// Appends an inline, merging adjacent text.
fn push_inline(out: &mut Vec<Inline>, inline: Inline) {
    if let Inline::Text { text } = &inline {
        if text.is_empty() {
            return;
        }
        if let Some(Inline::Text { text: last }) = out.last_mut() {
            last.push_str(text);
            return;
        }
    }
    out.push(inline);
}

fn merge_texts(list: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(list.len());
    for i in list {
        push_inline(&mut out, i);
    }
    out
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
    fn new(kind: FrameKind, start: usize, end_tag: Option<TagEnd>) -> Self {
        Frame {
            kind,
            end_tag,
            html_tag: None,
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
    slots: &'c [Slot],
    stack: Vec<Frame>,
    /// While an HTML block is replayed: the body offset where it ends.
    html_extent: usize,
}

impl<'c, 'a> Builder<'c, 'a> {
    pub(super) fn new(ctx: &'c mut Ctx<'a>, slots: &'c [Slot]) -> Self {
        Builder {
            ctx,
            slots,
            stack: vec![Frame::new(FrameKind::Root, 0, None)],
            html_extent: 0,
        }
    }

    fn top(&mut self) -> Option<&mut Frame> {
        self.stack.last_mut()
    }

    fn open(&mut self, kind: FrameKind, start: usize, end_tag: Option<TagEnd>) {
        let mut f = Frame::new(kind, start, end_tag);
        f.end = f.end.max(self.html_extent);
        self.stack.push(f);
    }

    fn open_html(&mut self, kind: FrameKind, start: usize, tag: &str) {
        let mut f = Frame::new(kind, start, None);
        f.end = f.end.max(self.html_extent);
        f.html_tag = Some(tag.to_string());
        self.stack.push(f);
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
                if let Some(pos) = self.stack.iter().rposition(|f| f.end_tag == Some(tag)) {
                    self.close_to(pos);
                }
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
            Event::Html(text) => match self.top() {
                Some(f) if matches!(f.kind, FrameKind::HtmlBlock) => f.text.push_str(&text),
                _ => {
                    let src = self.restore(&text);
                    self.html(&src, start, true);
                }
            },
            Event::InlineHtml(text) => {
                let src = self.restore(&text);
                self.html(&src, start, false);
            }
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
                if let Some(f) = self
                    .stack
                    .iter_mut()
                    .rev()
                    .find(|f| matches!(f.kind, FrameKind::Item { .. }))
                {
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
            } => FrameKind::Link {
                href: if link_type == LinkType::Email && !dest_url.starts_with("mailto:") {
                    format!("mailto:{dest_url}")
                } else {
                    self.restore(&dest_url)
                },
                title: (!title.is_empty()).then(|| title.to_string()),
            },
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
        if let Some(parent) = self.stack.last_mut() {
            parent.end = parent.end.max(frame.end);
        }
        let product = self.finish_frame(frame);
        self.deliver(product);
    }

    fn finish_frame(&mut self, f: Frame) -> Product {
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
            FrameKind::Para => Product::Blocks(self.paragraph(f.inlines, span)),
            FrameKind::Heading {
                level,
                anchor,
                classes,
            } => one(BlockKind::Heading {
                level,
                anchor: anchor.unwrap_or_default(),
                classes,
                content: self.expand(f.inlines),
            }),
            FrameKind::Emph => Product::Inlines(vec![Inline::Emph {
                content: self.expand(f.inlines),
            }]),
            FrameKind::Strong => Product::Inlines(vec![Inline::Strong {
                content: self.expand(f.inlines),
            }]),
            FrameKind::Strike => Product::Inlines(vec![Inline::Strike {
                content: self.expand(f.inlines),
            }]),
            FrameKind::Sup => Product::Inlines(vec![Inline::Sup {
                content: self.expand(f.inlines),
            }]),
            FrameKind::Sub => Product::Inlines(vec![Inline::Sub {
                content: self.expand(f.inlines),
            }]),
            FrameKind::Span { classes } => Product::Inlines(vec![Inline::Span {
                classes,
                content: self.expand(f.inlines),
            }]),
            FrameKind::InlineCode => Product::Inlines(vec![Inline::Code {
                text: inlines_text(&self.expand(f.inlines)),
            }]),
            FrameKind::Link { href, title } => Product::Inlines(vec![Inline::Link {
                link: Link {
                    href,
                    target: LinkTarget::Unresolved,
                },
                title,
                content: self.expand(f.inlines),
            }]),
            FrameKind::Image { src, title } => Product::Inlines(vec![Inline::Image {
                src,
                asset: None,
                alt: inlines_text(&self.expand(f.inlines)),
                title,
            }]),
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
            FrameKind::TableCell => Product::Cell(self.expand(f.inlines)),
            FrameKind::CodeBlock { lang } => one(BlockKind::Code {
                lang,
                text: self.restore(&f.text),
            }),
            FrameKind::HtmlBlock => {
                let src = self.restore(&f.text);
                // The HTML is replayed into the parent, so its frames nest
                // with what follows (a `<div>` closed blocks later).
                // Frames the HTML opens cover the whole HTML block.
                self.html_extent = f.end;
                self.html(&src, f.start, true);
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
    /// content squeezed into inlines.
    fn expand(&self, inlines: Vec<Inline>) -> Vec<Inline> {
        let mut out = Vec::new();
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
                                if let Some(slot) = self.slots.get(k) {
                                    for i in blocks_as_inlines(&slot.blocks) {
                                        push_inline(&mut out, i);
                                    }
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
    fn paragraph(&self, inlines: Vec<Inline>, span: Span) -> Vec<Block> {
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
            let content = trim_breaks(std::mem::take(current));
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
                                let Some(slot) = self.slots.get(k) else {
                                    continue;
                                };
                                match inline_form(&slot.blocks).filter(|_| !alone) {
                                    Some(content) => {
                                        for i in content {
                                            push_inline(&mut current, i);
                                        }
                                    }
                                    None => {
                                        flush(&mut current, &mut blocks);
                                        blocks.extend(slot.blocks.iter().cloned());
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

    /// Replays an HTML fragment into the frame stack.
    fn html(&mut self, src: &str, start: usize, block_level: bool) {
        for tok in html::tokenize(src) {
            match tok {
                Tok::Comment => {}
                Tok::Text(text) => {
                    if block_level {
                        let collapsed = collapse_ws(&text);
                        let in_inline = self.stack.last().is_some_and(|f| f.kind.holds_inlines());
                        if collapsed.trim().is_empty() && !in_inline {
                            continue;
                        }
                        let collapsed = if in_inline {
                            collapsed
                        } else {
                            collapsed.trim_start().to_string()
                        };
                        self.text(&collapsed, start);
                    } else {
                        self.text(&text, start);
                    }
                }
                Tok::Start {
                    name,
                    attrs,
                    self_closing,
                    raw,
                } => self.html_start(&name, &attrs, self_closing, &raw, start),
                Tok::End { name, raw } => self.html_end(&name, &raw, start),
            }
        }
    }

    fn html_start(
        &mut self,
        name: &str,
        attrs: &[(String, String)],
        self_closing: bool,
        raw: &str,
        start: usize,
    ) {
        let inline_kind = match name {
            "em" | "i" => Some(FrameKind::Emph),
            "strong" | "b" => Some(FrameKind::Strong),
            "s" | "del" | "strike" => Some(FrameKind::Strike),
            "sup" => Some(FrameKind::Sup),
            "sub" => Some(FrameKind::Sub),
            "code" => Some(FrameKind::InlineCode),
            "span" => Some(FrameKind::Span {
                classes: html::classes(attrs),
            }),
            "a" => Some(FrameKind::Link {
                href: html::attr(attrs, "href").unwrap_or_default().to_string(),
                title: html::attr(attrs, "title").map(str::to_string),
            }),
            _ => None,
        };
        if let Some(kind) = inline_kind {
            if !self_closing {
                self.ensure_inline(start);
                self.open_html(kind, start, name);
            }
            return;
        }
        match name {
            "br" => self.push(Inline::LineBreak, start),
            "img" => self.push(
                Inline::Image {
                    src: html::attr(attrs, "src").unwrap_or_default().to_string(),
                    asset: None,
                    alt: html::attr(attrs, "alt").unwrap_or_default().to_string(),
                    title: html::attr(attrs, "title").map(str::to_string),
                },
                start,
            ),
            "p" => {
                self.close_inlines();
                if !self_closing {
                    self.open_html(FrameKind::Para, start, name);
                }
            }
            "div" | "ul" | "ol" | "li" | "blockquote" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                if !self_closing =>
            {
                self.close_inlines();
                let kind = match name {
                    "div" => FrameKind::Container {
                        origin: "div".into(),
                        classes: html::classes(attrs),
                    },
                    "ul" => FrameKind::List { start: None },
                    "ol" => FrameKind::List {
                        start: Some(
                            html::attr(attrs, "start")
                                .and_then(|s| s.parse().ok())
                                .unwrap_or(1),
                        ),
                    },
                    "li" => FrameKind::Item { task: None },
                    "blockquote" => FrameKind::Quote,
                    _ => FrameKind::Heading {
                        level: name.get(1..).and_then(|n| n.parse().ok()).unwrap_or(1),
                        anchor: html::attr(attrs, "id").map(str::to_string),
                        classes: html::classes(attrs),
                    },
                };
                self.open_html(kind, start, name);
            }
            "hr" => {
                self.close_inlines();
                let span = self.ctx.span(start, start);
                self.deliver(Product::Blocks(vec![block(span, BlockKind::Rule)]));
            }
            // Embedded or interactive content has no place in print: say so.
            "iframe" | "video" | "audio" | "object" | "embed" | "script" | "style" | "form"
            | "input" | "button" | "svg" => {
                let line = self.ctx.line_of(start);
                self.ctx.diags.warn(
                    self.ctx.path,
                    line,
                    format!("HTML element `<{name}>` is not supported: dropped (its text is kept)"),
                );
            }
            _ if html::is_html_element(name) => {}
            // Not HTML: XML the author wrote as text.
            _ => self.text(raw, start),
        }
    }

    fn html_end(&mut self, name: &str, raw: &str, start: usize) {
        let name = match name {
            "i" => "em",
            "b" => "strong",
            other => other,
        };
        let found = self.stack.iter().rposition(|f| {
            f.html_tag.as_deref().map(|t| match t {
                "i" => "em",
                "b" => "strong",
                other => other,
            }) == Some(name)
        });
        match found {
            // Never close a Markdown frame from HTML: stop at the first one.
            Some(pos)
                if self
                    .stack
                    .get(pos + 1..)
                    .is_some_and(|above| above.iter().all(|f| f.end_tag.is_none())) =>
            {
                self.close_to(pos)
            }
            Some(_) => {}
            None if html::is_html_element(name) => {}
            None => self.text(raw, start),
        }
    }

    pub(super) fn finish(mut self) -> Vec<Block> {
        while self.stack.len() > 1 {
            self.close_top();
        }
        self.stack.pop().map(|f| f.blocks).unwrap_or_default()
    }
}

enum Piece<'t> {
    Text(&'t str),
    Slot(usize),
}

fn split_placeholders(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(PH_OPEN) {
        let after = rest.get(open + PH_OPEN.len_utf8()..).unwrap_or_default();
        let Some(close) = after.find(PH_CLOSE) else {
            break;
        };
        let Some(k) = after.get(..close).and_then(|d| d.parse().ok()) else {
            break;
        };
        if open > 0 {
            out.push(Piece::Text(rest.get(..open).unwrap_or_default()));
        }
        out.push(Piece::Slot(k));
        rest = after.get(close + PH_CLOSE.len_utf8()..).unwrap_or_default();
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// Drops breaks and blank text at both ends (left over around a shortcode).
fn trim_breaks(mut list: Vec<Inline>) -> Vec<Inline> {
    let blank = |i: &Inline| match i {
        Inline::SoftBreak | Inline::LineBreak => true,
        Inline::Text { text } => text.trim().is_empty(),
        _ => false,
    };
    while list.last().is_some_and(blank) {
        list.pop();
    }
    let lead = list.iter().take_while(|i| blank(i)).count();
    list.drain(..lead);
    if let Some(Inline::Text { text }) = list.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text }) = list.last_mut() {
        *text = text.trim_end().to_string();
    }
    list
}

fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}
