//! Markdown (pulldown-cmark, options set in one place) to model blocks, raw
//! HTML mapped into the model, shortcodes turned into typed nodes.
//!
//! # Shortcodes
//!
//! The body is lexed for shortcodes first ([`super::shortcode`]). Each
//! top-level shortcode (a paired one with its inner content) is replaced by a
//! placeholder of private-use characters before Markdown runs; an offset map
//! takes every Markdown byte range back to the body, so spans are file lines.
//! A paragraph made only of placeholders becomes the shortcodes' blocks; a
//! placeholder inside text becomes inline content (a paragraph is split when
//! the shortcode yields real blocks).
//!
//! - `figure` becomes a typed [`Figure`] (named arguments; the caption is
//!   parsed as Markdown inlines).
//! - Any other name acts as configured in `folio.yaml` (`shortcodes:`):
//!   `drop` leaves it out, `inner` keeps the inner content as a
//!   `Container { origin: "shortcode:NAME" }`, `code` keeps the inner text
//!   verbatim as a code block with `lang: NAME`, `text: "md"` puts that
//!   Markdown in its place. Without configuration a paired shortcode keeps
//!   its inner content and an unpaired one is dropped, each with a warning
//!   naming the file, line and shortcode; a configured one warns nothing.
//!
//! # Raw HTML
//!
//! `br` is a line break, `a` a link, `img` an image, `em`/`i`, `strong`/`b`,
//! `code`, `sup`, `sub`, `s`/`del`/`strike`, `span` the matching inlines,
//! `p` a paragraph, `ul`/`ol`/`li` lists, `h1`..`h6` headings, `blockquote`
//! a quote, `div` a `Container { origin: "div" }`. Comments are dropped.
//! Other HTML elements lose their tags but keep their text; a tag that is
//! not HTML at all (`<stream:stream>`) is kept as text.

use super::html::{self, Tok};
use super::ids;
use super::shortcode::{self, Node};
use crate::config::ShortcodeAction;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{
    Align, Block, BlockKind, Figure, Footnote, Inline, Link, LinkTarget, ListItem, Span, Table,
    inlines_text,
};
use pulldown_cmark::{Alignment, CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// How to treat shortcodes other than `figure`.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    pub shortcodes: BTreeMap<String, ShortcodeAction>,
}

/// A parsed page body.
#[derive(Debug, Clone, Default)]
pub struct ParsedBody {
    pub blocks: Vec<Block>,
    pub footnotes: Vec<Footnote>,
}

/// The one place the Markdown dialect is chosen. Smart punctuation stays
/// off: the author's characters are kept as written.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Parses `body` (which starts on file line `first_line` of `path`).
/// Fatal problems (an unterminated shortcode) are errors; anything else
/// (unknown shortcodes, dropped HTML tags) becomes a warning in `diags`.
/// Links and image assets are left unresolved: the passes do that.
pub fn parse_body(
    body: &str,
    first_line: u32,
    path: &Path,
    options: &ParseOptions,
    diags: &mut Diagnostics,
) -> Result<ParsedBody, Diagnostic> {
    let mut line_starts = vec![0];
    line_starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));
    let mut ctx = Ctx {
        body,
        line_starts,
        first_line,
        path,
        options,
        diags,
        footnotes: Vec::new(),
    };
    let tree = shortcode::parse_tree(body).map_err(|e| {
        let (line, column) = ctx.line_col(e.offset);
        Diagnostic::error(path, line, e.message).with_column(column)
    })?;
    let mut blocks = ctx.parse_range(0, body.len(), &tree);
    let mut footnotes = ctx.number_footnotes(&mut blocks);
    ids::assign(&mut blocks, &mut footnotes);
    Ok(ParsedBody { blocks, footnotes })
}

/// Page-wide state of one parse.
struct Ctx<'a> {
    body: &'a str,
    line_starts: Vec<usize>,
    first_line: u32,
    path: &'a Path,
    options: &'a ParseOptions,
    diags: &'a mut Diagnostics,
    /// Footnote definitions in source order: label, blocks, span.
    footnotes: Vec<(String, Vec<Block>, Span)>,
}

const PH_OPEN: char = '\u{E000}';
const PH_CLOSE: char = '\u{E001}';

/// A piece of the text given to pulldown-cmark and where it came from.
#[derive(Debug, Clone, Copy)]
struct Seg {
    pre: usize,
    len: usize,
    orig: usize,
    orig_end: usize,
    /// Copied verbatim (offsets map one to one) or generated (placeholder,
    /// escaped shortcode): every offset maps into `orig..orig_end`.
    copied: bool,
}

/// Text for pulldown-cmark with its map back to body offsets.
#[derive(Debug, Default)]
struct Fragment {
    text: String,
    segs: Vec<Seg>,
}

impl Fragment {
    fn copy(&mut self, body: &str, start: usize, end: usize) {
        if end <= start {
            return;
        }
        self.push(body.get(start..end).unwrap_or_default(), start, end, true);
    }

    fn push(&mut self, text: &str, orig: usize, orig_end: usize, copied: bool) {
        self.segs.push(Seg {
            pre: self.text.len(),
            len: text.len(),
            orig,
            orig_end,
            copied,
        });
        self.text.push_str(text);
    }

    fn seg(&self, off: usize) -> Option<&Seg> {
        let i = self.segs.partition_point(|s| s.pre <= off);
        self.segs.get(i.checked_sub(1)?)
    }

    /// Body offset of a start offset.
    fn map(&self, off: usize) -> usize {
        match self.seg(off) {
            Some(s) if s.copied => s.orig + (off - s.pre).min(s.len),
            Some(s) if off >= s.pre + s.len => s.orig_end,
            Some(s) => s.orig,
            None => 0,
        }
    }

    /// Body offset of an exclusive end offset.
    fn map_end(&self, off: usize) -> usize {
        match off.checked_sub(1).and_then(|o| self.seg(o)) {
            Some(s) if s.copied => s.orig + (off - s.pre).min(s.len),
            Some(s) => s.orig_end,
            None => 0,
        }
    }
}

/// What a shortcode became, and its source for places that need text.
struct Slot {
    blocks: Vec<Block>,
    source: String,
}

impl Ctx<'_> {
    fn line_of(&self, off: usize) -> u32 {
        let idx = self
            .line_starts
            .partition_point(|&s| s <= off)
            .saturating_sub(1);
        self.first_line + idx as u32
    }

    fn line_col(&self, off: usize) -> (u32, u32) {
        let idx = self
            .line_starts
            .partition_point(|&s| s <= off)
            .saturating_sub(1);
        let start = self.line_starts.get(idx).copied().unwrap_or(0);
        let col = self.body.get(start..off).map_or(0, |s| s.chars().count());
        (self.first_line + idx as u32, col as u32 + 1)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span {
            line: self.line_of(start),
            end_line: self.line_of(end.saturating_sub(1).max(start)),
        }
    }

    /// Parses `body[start..end]` whose shortcodes are `nodes`.
    fn parse_range(&mut self, start: usize, end: usize, nodes: &[Node]) -> Vec<Block> {
        let mut frag = Fragment::default();
        let mut slots = Vec::new();
        let mut cur = start;
        for node in nodes {
            let (n_start, n_end) = node.range();
            frag.copy(self.body, cur, n_start);
            cur = n_end;
            match node {
                Node::Escaped { literal, .. } => frag.push(literal, n_start, n_end, false),
                Node::StrayCloser(call) => {
                    let line = self.line_of(call.start);
                    self.diags.warn(
                        self.path,
                        line,
                        format!(
                            "closing shortcode `{}` has no opening one: dropped",
                            call.name
                        ),
                    );
                }
                Node::Shortcode { call, inner, .. } => {
                    let blocks = self.resolve(call, inner.as_ref(), n_end);
                    let placeholder = format!("{PH_OPEN}{}{PH_CLOSE}", slots.len());
                    slots.push(Slot {
                        blocks,
                        source: self
                            .body
                            .get(n_start..n_end)
                            .unwrap_or_default()
                            .to_string(),
                    });
                    frag.push(&placeholder, n_start, n_end, false);
                }
            }
        }
        frag.copy(self.body, cur, end);
        self.parse_fragment(&frag, &slots)
    }

    /// Parses Markdown that is not in the body (a caption, configured text);
    /// all of it maps to `start..end` of the body.
    fn parse_text(&mut self, text: &str, start: usize, end: usize) -> Vec<Block> {
        let mut frag = Fragment::default();
        frag.push(text, start, end, false);
        self.parse_fragment(&frag, &[])
    }

    /// Turns one shortcode into blocks.
    fn resolve(
        &mut self,
        call: &shortcode::Call,
        inner: Option<&shortcode::Inner>,
        end: usize,
    ) -> Vec<Block> {
        let span = self.span(call.start, end);
        let line = span.line;
        if call.name == "figure" {
            let figure = self.figure(call, end);
            return vec![block(span, BlockKind::Figure(figure))];
        }
        let action = match self.options.shortcodes.get(&call.name) {
            Some(action) => action.clone(),
            None => {
                let (action, what) = if inner.is_some() {
                    (ShortcodeAction::Inner, "kept its inner content")
                } else {
                    (ShortcodeAction::Drop, "dropped")
                };
                self.diags.push(
                    Diagnostic::warning(self.path, line, format!("shortcode `{}` is not supported: {what}", call.name))
                        .with_hint(format!(
                            "say what to do with it in folio.yaml: `shortcodes: {{{}: drop}}` (or inner, code, text)",
                            call.name
                        )),
                );
                action
            }
        };
        match action {
            ShortcodeAction::Drop => Vec::new(),
            ShortcodeAction::Inner => match inner {
                Some(inner) => {
                    let blocks = self.parse_range(inner.start, inner.end, &inner.nodes);
                    let classes = call
                        .named("class")
                        .or_else(|| call.named("classes"))
                        .map(|c| c.split_whitespace().map(str::to_string).collect())
                        .unwrap_or_default();
                    vec![block(
                        span,
                        BlockKind::Container {
                            origin: format!("shortcode:{}", call.name),
                            classes,
                            blocks,
                        },
                    )]
                }
                None => Vec::new(),
            },
            ShortcodeAction::Code => match inner {
                Some(inner) => {
                    let text = self.body.get(inner.start..inner.end).unwrap_or_default();
                    let text = text
                        .trim_start_matches([' ', '\t'])
                        .trim_start_matches(['\r', '\n'])
                        .trim_end();
                    vec![block(
                        span,
                        BlockKind::Code {
                            lang: Some(call.name.clone()),
                            text: text.to_string(),
                        },
                    )]
                }
                None => Vec::new(),
            },
            ShortcodeAction::Text(md) => self.parse_text(&md, call.start, end),
        }
    }

    fn figure(&mut self, call: &shortcode::Call, end: usize) -> Figure {
        let named = |k: &str| call.named(k).map(str::to_string);
        let link = |k: &str| {
            call.named(k).map(|href| Link {
                href: href.to_string(),
                target: LinkTarget::Unresolved,
            })
        };
        let caption = match call.named("caption") {
            Some(md) => {
                let blocks = self.parse_text(md, call.start, end);
                blocks_as_inlines(&blocks)
            }
            None => Vec::new(),
        };
        Figure {
            src: named("src").unwrap_or_default(),
            asset: None,
            alt: named("alt"),
            caption,
            title: named("title"),
            width: named("width"),
            height: named("height"),
            link: link("link"),
            attr: named("attr"),
            attrlink: link("attrlink"),
            class: named("class"),
        }
    }

    fn parse_fragment(&mut self, frag: &Fragment, slots: &[Slot]) -> Vec<Block> {
        let mut b = Builder {
            ctx: self,
            slots,
            stack: vec![Frame::new(FrameKind::Root, 0, None)],
        };
        for (event, range) in Parser::new_ext(&frag.text, markdown_options()).into_offset_iter() {
            let start = frag.map(range.start);
            let end = frag.map_end(range.end).max(start);
            b.event(event, start, end);
        }
        b.finish()
    }

    /// Numbers footnotes by first reference and returns the definitions in
    /// that order; references to a missing definition get number 0.
    fn number_footnotes(&mut self, blocks: &mut [Block]) -> Vec<Footnote> {
        let mut defs: Vec<(String, Vec<Block>, Span)> = Vec::new();
        for (label, blocks, span) in std::mem::take(&mut self.footnotes) {
            match defs
                .iter_mut()
                .find(|d| d.0.to_lowercase() == label.to_lowercase())
            {
                // A second definition of a label: its text is kept with the first.
                Some(d) => d.1.extend(blocks),
                None => defs.push((label, blocks, span)),
            }
        }
        let mut numbers: HashMap<String, u32> = HashMap::new();
        let mut missing = Vec::new();
        let defined: Vec<String> = defs.iter().map(|d| d.0.to_lowercase()).collect();
        let number_refs = |blocks: &mut [Block],
                           numbers: &mut HashMap<String, u32>,
                           missing: &mut Vec<(String, u32)>| {
            for_each_inline_mut(blocks, &mut |inline, line| {
                if let Inline::FootnoteRef { label, number } = inline {
                    let key = label.to_lowercase();
                    if defined.contains(&key) {
                        let next = numbers.len() as u32 + 1;
                        *number = *numbers.entry(key).or_insert(next);
                    } else {
                        *number = 0;
                        missing.push((label.clone(), line));
                    }
                }
            });
        };
        number_refs(blocks, &mut numbers, &mut missing);
        // References inside footnotes, in definition order.
        for d in defs.iter_mut() {
            number_refs(&mut d.1, &mut numbers, &mut missing);
        }
        for (label, line) in missing {
            self.diags.warn(
                self.path,
                line,
                format!("footnote `{label}` is referenced but never defined"),
            );
        }
        let mut out: Vec<Footnote> = defs
            .into_iter()
            .map(|(label, blocks, _)| {
                let key = label.to_lowercase();
                let next = numbers.len() as u32 + 1;
                let number = *numbers.entry(key).or_insert(next);
                Footnote {
                    label,
                    number,
                    id: String::new(),
                    blocks,
                }
            })
            .collect();
        out.sort_by_key(|f| f.number);
        out
    }
}

fn block(span: Span, kind: BlockKind) -> Block {
    Block {
        id: String::new(),
        span,
        kind,
    }
}

/// Calls `f` on every inline of `blocks` (nested ones too) with the line of
/// the block it is in.
fn for_each_inline_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline, u32)) {
    fn inlines(list: &mut [Inline], line: u32, f: &mut dyn FnMut(&mut Inline, u32)) {
        for i in list {
            f(i, line);
            match i {
                Inline::Emph { content }
                | Inline::Strong { content }
                | Inline::Strike { content }
                | Inline::Sup { content }
                | Inline::Sub { content }
                | Inline::Span { content, .. }
                | Inline::Link { content, .. } => inlines(content, line, f),
                _ => {}
            }
        }
    }
    for b in blocks {
        let line = b.span.line;
        match &mut b.kind {
            BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
                inlines(content, line, f)
            }
            BlockKind::List { items, .. } => {
                for item in items {
                    for_each_inline_mut(&mut item.blocks, f);
                }
            }
            BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
                for_each_inline_mut(blocks, f)
            }
            BlockKind::Table(t) => {
                for cell in t.head.iter_mut().chain(t.rows.iter_mut().flatten()) {
                    inlines(cell, line, f);
                }
            }
            BlockKind::Figure(fig) => inlines(&mut fig.caption, line, f),
            BlockKind::Code { .. } | BlockKind::Rule => {}
        }
    }
}

/// Blocks squeezed into inline content (for places that take only inlines:
/// a caption, a heading, a table cell).
fn blocks_as_inlines(blocks: &[Block]) -> Vec<Inline> {
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
struct Builder<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    slots: &'c [Slot],
    stack: Vec<Frame>,
}

impl Builder<'_, '_> {
    fn top(&mut self) -> Option<&mut Frame> {
        self.stack.last_mut()
    }

    fn open(&mut self, kind: FrameKind, start: usize, end_tag: Option<TagEnd>) {
        self.stack.push(Frame::new(kind, start, end_tag));
    }

    fn open_html(&mut self, kind: FrameKind, start: usize, tag: &str) {
        let mut f = Frame::new(kind, start, None);
        f.html_tag = Some(tag.to_string());
        self.stack.push(f);
    }

    fn event(&mut self, event: Event<'_>, start: usize, end: usize) {
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
        if let Some(f) = self.stack.last_mut() {
            if let FrameKind::CodeBlock { .. } | FrameKind::HtmlBlock = f.kind {
                f.text.push_str(&inlines_text(&[inline]));
                return;
            }
        }
        self.ensure_inline(start);
        if let Some(f) = self.stack.last_mut() {
            push_inline(&mut f.inlines, inline);
        }
    }

    fn text(&mut self, text: &str, start: usize) {
        if let Some(f) = self.stack.last_mut() {
            if let FrameKind::CodeBlock { .. } | FrameKind::HtmlBlock = f.kind {
                f.text.push_str(text);
                return;
            }
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
                self.html(&src, f.start, true);
                self.close_inlines();
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
                    for i in blocks_as_inlines(&blocks) {
                        self.push(i, start);
                    }
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
                    for i in blocks_as_inlines(&item.blocks) {
                        self.push(i, start);
                    }
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
                                match slot.blocks.as_slice() {
                                    [] => {}
                                    [
                                        Block {
                                            kind: BlockKind::Paragraph { content },
                                            ..
                                        },
                                    ] => {
                                        for i in content {
                                            push_inline(&mut current, i.clone());
                                        }
                                    }
                                    many => {
                                        flush(&mut current, &mut blocks);
                                        blocks.extend(many.iter().cloned());
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
            "code" | "tt" | "kbd" | "samp" => Some(FrameKind::InlineCode),
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

    fn finish(mut self) -> Vec<Block> {
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
