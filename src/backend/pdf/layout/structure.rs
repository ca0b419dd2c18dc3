//! The structure tree as the layout goes (tagged PDF): a block's node is
//! made under the node being filled, and the block's items that no inner
//! node claimed become its content.

use super::{Layouter, VItem, VKind};
use crate::backend::pdf::tags::{Kind, NodeId, ROOT, Tag};

/// Gives the content items of `items[start..]` that have no tag yet to
/// `node`.
pub(super) fn claim(items: &mut [VItem], start: usize, node: NodeId) {
    for item in items.iter_mut().skip(start) {
        if item.tag.is_none() && item.kind == VKind::Content {
            item.tag = Some(Tag::Node(node));
        }
    }
}

/// The kinds a footnote cannot sit in (they only hold their own parts).
fn holds_parts_only(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Table | Kind::THead | Kind::TBody | Kind::TR | Kind::L | Kind::LI | Kind::TOC
    )
}

impl Layouter<'_> {
    /// Lays out `f` inside a new node of `kind` under the node being
    /// filled; what it makes that no inner node claimed is the node's.
    pub(super) fn within<R>(
        &mut self,
        kind: Kind,
        out: &mut Vec<VItem>,
        f: impl FnOnce(&mut Self, &mut Vec<VItem>) -> R,
    ) -> R {
        let node = self.tags.add(kind, self.parent);
        self.within_node(node, out, f)
    }

    /// [`Layouter::within`] an existing node.
    pub(super) fn within_node<R>(
        &mut self,
        node: NodeId,
        out: &mut Vec<VItem>,
        f: impl FnOnce(&mut Self, &mut Vec<VItem>) -> R,
    ) -> R {
        let saved = std::mem::replace(&mut self.parent, node);
        let start = out.len();
        let r = f(self, out);
        self.parent = saved;
        let start = start.min(out.len());
        claim(out, start, node);
        r
    }

    /// The node of a page laid out as a chapter: a `Part` for a section
    /// page, else a `Sect`, nested in the section it belongs to.
    pub(super) fn open_chapter(&mut self, depth: usize, section: bool) -> NodeId {
        while self.sects.last().is_some_and(|&(d, _)| d >= depth) {
            self.sects.pop();
        }
        let parent = self.sects.last().map_or(ROOT, |&(_, n)| n);
        let kind = if section { Kind::Part } else { Kind::Sect };
        let node = self.tags.add(kind, parent);
        self.sects.push((depth, node));
        self.last_rank = 1;
        node
    }

    /// The `H` rank of a Markdown heading of `level`: the page's highest
    /// level is rank 2 (under the title's H1, as in the EPUB), and no
    /// heading goes more than one rank below the one before it, so screen
    /// readers meet no gap.
    pub(super) fn heading_rank(&mut self, level: u8) -> u8 {
        let shifted = (i16::from(level) + 2 - i16::from(self.min_level)).clamp(2, 6) as u8;
        let rank = shifted.min(self.last_rank.saturating_add(1)).max(2);
        self.last_rank = rank;
        rank
    }

    /// Moves footnote `note` after the node of the item that refers to it
    /// (up out of tables and lists, which hold only their own parts).
    pub(super) fn place_note(&mut self, note: NodeId, item: Option<Tag>) {
        let Some(Tag::Node(mut at)) = item else {
            return;
        };
        while at != ROOT && holds_parts_only(self.tags.kind(self.tags.parent(at))) {
            at = self.tags.parent(at);
        }
        if at != ROOT {
            self.tags.place_after(note, at);
        }
    }
}
