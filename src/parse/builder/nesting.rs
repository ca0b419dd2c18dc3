//! The nesting cap. A frame that would lie deeper than `Limits::nesting` is
//! not opened: its content goes to the frame below it (flattened, nothing
//! lost), and a *phantom* stands in for it so that its end (a Markdown end
//! tag or an HTML closing tag) is consumed instead of closing a real frame.
//! The real stack so stays within the limit (plus the leaves, which do not
//! nest), and every walk of the model after it is bounded by the limit.

use super::{Builder, Frame, FrameKind};
use pulldown_cmark::TagEnd;

/// How many phantoms an HTML closing tag looks back over for its opener:
/// HTML in the wild is misnested, and a bounded look keeps a page of stray
/// closers linear.
const HTML_REACH: usize = 64;

/// An element opened past the nesting limit.
#[derive(Debug)]
struct Phantom {
    /// The Markdown end tag that closes it (`None` for HTML).
    end_tag: Option<TagEnd>,
    /// The HTML tag that opened it, normalised (`None` for Markdown).
    html_tag: Option<String>,
    /// A list item: task markers after it are not for a real item.
    item: bool,
    /// The stack length when it was opened: real frames at this index and
    /// above were opened inside it.
    above: usize,
}

/// The phantoms of one builder, innermost last.
#[derive(Debug, Default)]
pub(super) struct Phantoms {
    list: Vec<Phantom>,
    /// Indices in `list` of the Markdown phantoms, which HTML never closes.
    markdown: Vec<usize>,
}

impl Phantoms {
    fn push(&mut self, p: Phantom) {
        if p.end_tag.is_some() {
            self.markdown.push(self.list.len());
        }
        self.list.push(p);
    }

    /// Drops phantom `k` and every phantom inside it.
    fn truncate(&mut self, k: usize) {
        self.list.truncate(k);
        while self.markdown.last().is_some_and(|&i| i >= k) {
            self.markdown.pop();
        }
    }

    /// Drops the phantoms opened inside a real frame that closed, leaving
    /// `len` frames on the stack.
    pub(super) fn closed_to(&mut self, len: usize) {
        let keep = self
            .list
            .iter()
            .rposition(|p| p.above <= len)
            .map_or(0, |k| k + 1);
        self.truncate(keep);
    }

    /// A Markdown phantom was opened inside the real frame at `pos`: HTML
    /// (and implicit closing) must leave that frame open.
    pub(super) fn markdown_inside(&self, pos: usize) -> bool {
        self.markdown
            .last()
            .and_then(|&i| self.list.get(i))
            .is_some_and(|p| p.above > pos)
    }
}

impl FrameKind {
    /// How many levels this frame adds below `parent`. Containers of blocks
    /// or inlines add one; a list item adds none inside its list (a list and
    /// its items are one level, as in the model); leaves (paragraphs,
    /// headings, tables, code) add none: they never nest in themselves.
    pub(super) fn step(&self, parent: Option<&FrameKind>) -> usize {
        match self {
            FrameKind::Item { .. } => usize::from(!matches!(parent, Some(FrameKind::List { .. }))),
            FrameKind::Quote
            | FrameKind::List { .. }
            | FrameKind::FootnoteDef { .. }
            | FrameKind::Container { .. }
            | FrameKind::Emph
            | FrameKind::Strong
            | FrameKind::Strike
            | FrameKind::Sup
            | FrameKind::Sub
            | FrameKind::Span { .. }
            | FrameKind::InlineCode
            | FrameKind::Link { .. }
            | FrameKind::Image { .. } => 1,
            FrameKind::Root
            | FrameKind::Para
            | FrameKind::Heading { .. }
            | FrameKind::Table { .. }
            | FrameKind::TableHead
            | FrameKind::TableRow
            | FrameKind::TableCell
            | FrameKind::CodeBlock { .. }
            | FrameKind::HtmlBlock => 0,
        }
    }
}

/// HTML tags that open the same frame compare as one (`<i>` is `<em>`).
pub(super) fn html_name(tag: &str) -> &str {
    match tag {
        "i" => "em",
        "b" => "strong",
        other => other,
    }
}

impl Builder<'_, '_> {
    /// Opens a frame, or a phantom in its place when it would lie deeper
    /// than the limit (noting the first such line for the page's warning).
    pub(super) fn open_frame(
        &mut self,
        kind: FrameKind,
        start: usize,
        end_tag: Option<TagEnd>,
        html_tag: Option<&str>,
    ) {
        let parent = self.stack.last();
        let depth = parent.map_or(self.base, |p| p.depth) + kind.step(parent.map(|p| &p.kind));
        if depth > self.limit {
            let line = self.ctx.line_of(start);
            self.ctx.note_too_deep(line);
            self.phantoms.push(Phantom {
                end_tag,
                html_tag: html_tag.map(|t| html_name(t).to_string()),
                item: matches!(kind, FrameKind::Item { .. }),
                above: self.stack.len(),
            });
            return;
        }
        let mut f = Frame::new(kind, start, end_tag, depth);
        f.end = f.end.max(self.html_extent);
        f.html_tag = html_tag.map(str::to_string);
        self.stack.push(f);
    }

    /// Handles a Markdown end tag: the innermost Markdown phantom's, or
    /// else the real frame's it closes.
    pub(super) fn end_markdown(&mut self, tag: TagEnd) {
        let real = self.stack.iter().rposition(|f| f.end_tag == Some(tag));
        let phantom = self.phantoms.markdown.last().copied().filter(|&k| {
            self.phantoms
                .list
                .get(k)
                .is_some_and(|p| p.end_tag == Some(tag) && real.is_none_or(|pos| pos < p.above))
        });
        match (phantom, real) {
            (Some(k), _) => self.end_phantom(k),
            (None, Some(pos)) => self.close_to(pos),
            (None, None) => {}
        }
    }

    /// Handles an HTML closing tag whose nearest open element is a phantom;
    /// false when that is a real frame (at `real`) or there is none.
    pub(super) fn end_html_phantom(&mut self, name: &str, real: Option<usize>) -> bool {
        let list = &self.phantoms.list;
        let floor = self.phantoms.markdown.last().map_or(0, |&i| i + 1);
        let reach = list.len().saturating_sub(HTML_REACH).max(floor);
        let Some(k) = (reach..list.len())
            .rev()
            .find(|&k| list.get(k).and_then(|p| p.html_tag.as_deref()) == Some(name))
        else {
            return false;
        };
        let above = list.get(k).map_or(0, |p| p.above);
        if real.is_some_and(|pos| pos >= above) {
            return false;
        }
        // Never close a Markdown frame from HTML: the tag is ignored then.
        let markdown_inside = self
            .stack
            .get(above..)
            .is_some_and(|fs| fs.iter().any(|f| f.end_tag.is_some()));
        if !markdown_inside {
            self.end_phantom(k);
        }
        true
    }

    /// Ends phantom `k`: the real frames opened inside it close, and so do
    /// the phantoms inside it.
    fn end_phantom(&mut self, k: usize) {
        let above = self.phantoms.list.get(k).map_or(0, |p| p.above);
        while self.stack.len() > above.max(1) {
            self.close_top();
        }
        self.phantoms.truncate(k);
    }

    /// A task marker right after a list item opened past the limit: it
    /// belongs to no real item.
    pub(super) fn task_for_phantom(&self, real_item: Option<usize>) -> bool {
        self.phantoms
            .list
            .last()
            .is_some_and(|p| p.item && real_item.is_none_or(|pos| p.above > pos))
    }
}
