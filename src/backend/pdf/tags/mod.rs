//! Tagged PDF (issue 11): the structure tree the layout builds as it goes
//! (a node per chapter, heading, paragraph, list, table cell, figure,
//! note...), the tags drawing operations carry (a node, or an artifact),
//! and the tree written out with its `ParentTree` once every page's marked
//! content is known ([`tree`]).
//!
//! Nodes made by the layout are added to their parent in the order of the
//! text (a footnote is moved after the block that refers to it); link and
//! footnote-reference nodes are made by the writer where their text is
//! drawn, so they sit among their paragraph's marked content in reading
//! order.

pub mod tree;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// Where a chapter's own node numbers went in the book's tree
/// ([`StructTree::graft`]).
#[derive(Debug, Clone, Copy)]
pub struct Graft {
    offset: NodeId,
    parent: NodeId,
}

impl Graft {
    /// The book's number of the chapter's node `id` (its root: the node
    /// it was grafted under).
    pub fn node(&self, id: NodeId) -> NodeId {
        match id {
            ROOT => self.parent,
            _ => id.saturating_add(self.offset),
        }
    }
}

/// A node's index in its [`StructTree`].
pub type NodeId = u32;

/// The root node (`Document`).
pub const ROOT: NodeId = 0;

/// A standard structure type (PDF 1.7, 14.8.4), so no role map is needed.
/// Spelt as the standard spells them.
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Document,
    Part,
    Sect,
    Div,
    /// `H1`…`H6`.
    H(u8),
    P,
    L,
    LI,
    Lbl,
    LBody,
    Table,
    THead,
    TBody,
    TR,
    /// A header cell of a column.
    TH,
    TD,
    Figure,
    Caption,
    Code,
    BlockQuote,
    Note,
    Reference,
    Link,
    TOC,
    TOCI,
}

impl Kind {
    /// The structure type's name (`/S`, and the tag of marked content).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Document => "Document",
            Kind::Part => "Part",
            Kind::Sect => "Sect",
            Kind::Div => "Div",
            Kind::H(1) => "H1",
            Kind::H(2) => "H2",
            Kind::H(3) => "H3",
            Kind::H(4) => "H4",
            Kind::H(5) => "H5",
            Kind::H(_) => "H6",
            Kind::P => "P",
            Kind::L => "L",
            Kind::LI => "LI",
            Kind::Lbl => "Lbl",
            Kind::LBody => "LBody",
            Kind::Table => "Table",
            Kind::THead => "THead",
            Kind::TBody => "TBody",
            Kind::TR => "TR",
            Kind::TH => "TH",
            Kind::TD => "TD",
            Kind::Figure => "Figure",
            Kind::Caption => "Caption",
            Kind::Code => "Code",
            Kind::BlockQuote => "BlockQuote",
            Kind::Note => "Note",
            Kind::Reference => "Reference",
            Kind::Link => "Link",
            Kind::TOC => "TOC",
            Kind::TOCI => "TOCI",
        }
    }
}

/// What kind of artifact a piece of page content is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    /// Rules, backgrounds, leaders, frames, decorative images.
    Layout,
    /// The running head.
    Header,
    /// The page number.
    Footer,
}

/// What a piece of page content belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Node(NodeId),
    Artifact(Artifact),
}

/// A glyph run's or link area's own tag, within its item's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunTag {
    /// The item's tag.
    #[default]
    Item,
    /// Decoration (dot leaders).
    Artifact,
    /// A link's text and area: a `Link` node under the item's, one per
    /// link (the number tells the writer which runs and areas are one link).
    Link(u32),
    /// A footnote reference: `Reference` with its `Link`, under the item's.
    Note(u32),
}

/// A piece of structure. What few nodes have (a language, alternative
/// text) is kept beside the tree ([`Extra`]): a site's tree has a node per
/// paragraph, and it is held until the last page is written.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub parent: Option<NodeId>,
    pub kids: Vec<Kid>,
}

/// What a node may have besides its kind and kids.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    /// The language when it is not the document's.
    pub lang: Option<Arc<str>>,
    /// Alternative text (figures).
    pub alt: Option<String>,
}

/// A node's child: another node, a marked-content sequence on a page, or
/// an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kid {
    Node(NodeId),
    Mcr {
        page: u32,
        mcid: u32,
    },
    /// Annotation number `annot` (in writing order) on `page`.
    Annot {
        page: u32,
        annot: u32,
    },
}

/// The structure tree of a book, built by the layout and completed by the
/// writer.
#[derive(Debug, Clone)]
pub struct StructTree {
    pub nodes: Vec<Node>,
    /// The languages and alternative texts of the nodes that have them.
    pub extra: HashMap<NodeId, Extra>,
    /// Link nodes made by the writer, by link number.
    links: HashMap<u32, NodeId>,
}

impl Default for StructTree {
    fn default() -> Self {
        StructTree {
            nodes: vec![Node {
                kind: Kind::Document,
                parent: None,
                kids: Vec::new(),
            }],
            extra: HashMap::new(),
            links: HashMap::new(),
        }
    }
}

impl StructTree {
    /// A new node of `kind`, the last child of `parent`.
    pub fn add(&mut self, kind: Kind, parent: NodeId) -> NodeId {
        let id = NodeId::try_from(self.nodes.len()).unwrap_or(NodeId::MAX);
        self.nodes.push(Node {
            kind,
            parent: Some(parent),
            kids: Vec::new(),
        });
        if let Some(p) = self.nodes.get_mut(parent as usize) {
            p.kids.push(Kid::Node(id));
        }
        id
    }

    /// The node's kind (`Document` for an unknown id).
    pub fn kind(&self, id: NodeId) -> Kind {
        self.nodes
            .get(id as usize)
            .map_or(Kind::Document, |n| n.kind)
    }

    /// The node's parent (the root for the root).
    pub fn parent(&self, id: NodeId) -> NodeId {
        self.nodes
            .get(id as usize)
            .and_then(|n| n.parent)
            .unwrap_or(ROOT)
    }

    /// Sets the node's alternative text.
    pub fn set_alt(&mut self, id: NodeId, alt: String) {
        if (id as usize) < self.nodes.len() {
            self.extra.entry(id).or_default().alt = Some(alt);
        }
    }

    /// Sets the node's language (one that is not the document's).
    pub fn set_lang(&mut self, id: NodeId, lang: &str) {
        if (id as usize) < self.nodes.len() {
            self.extra.entry(id).or_default().lang = Some(Arc::from(lang));
        }
    }

    /// How many children the root has.
    pub fn top_count(&self) -> usize {
        self.nodes.first().map_or(0, |n| n.kids.len())
    }

    /// Moves the root's children from `from` on to position `to` (the
    /// contents, laid out once every chapter is, come after the cover).
    pub fn move_top(&mut self, from: usize, to: usize) {
        if let Some(root) = self.nodes.first_mut()
            && to <= from
            && from <= root.kids.len()
        {
            let moved = root.kids.len() - from;
            root.kids[to..].rotate_right(moved);
        }
    }

    /// Moves `node` to just after `anchor` among `anchor`'s siblings (a
    /// footnote after the paragraph that refers to it), after the notes
    /// already placed there (they keep the order of their references).
    pub fn place_after(&mut self, node: NodeId, anchor: NodeId) {
        if node == anchor || node == ROOT || self.is_ancestor(node, anchor) {
            return;
        }
        let old = self.parent(node);
        if let Some(p) = self.nodes.get_mut(old as usize) {
            p.kids.retain(|k| *k != Kid::Node(node));
        }
        let new = self.parent(anchor);
        if let Some(n) = self.nodes.get_mut(node as usize) {
            n.parent = Some(new);
        }
        let Some(kids) = self.nodes.get(new as usize).map(|p| &p.kids) else {
            return;
        };
        let mut at = kids
            .iter()
            .position(|k| *k == Kid::Node(anchor))
            .map_or(kids.len(), |i| i + 1);
        while let Some(Kid::Node(next)) = kids.get(at) {
            if self.kind(*next) != Kind::Note {
                break;
            }
            at += 1;
        }
        if let Some(p) = self.nodes.get_mut(new as usize) {
            p.kids.insert(at, Kid::Node(node));
        }
    }

    fn is_ancestor(&self, a: NodeId, mut of: NodeId) -> bool {
        while of != ROOT {
            of = self.parent(of);
            if of == a {
                return true;
            }
        }
        false
    }

    /// Adds the nodes of `chapter` (a chapter's own tree, laid out on its
    /// thread, whose root stands for `parent`) after this tree's, its
    /// root's children becoming `parent`'s last: the numbering the nodes
    /// would have had, made here in the same order.
    pub fn graft(&mut self, chapter: StructTree, parent: NodeId) -> Graft {
        let graft = Graft {
            offset: NodeId::try_from(self.nodes.len().saturating_sub(1)).unwrap_or(NodeId::MAX),
            parent,
        };
        for (id, extra) in chapter.extra {
            if id != ROOT {
                self.extra.insert(graft.node(id), extra);
            }
        }
        let mut nodes = chapter.nodes.into_iter();
        let root_kids = nodes.next().map(|root| root.kids).unwrap_or_default();
        for mut node in nodes {
            node.parent = node.parent.map(|p| graft.node(p));
            for kid in &mut node.kids {
                if let Kid::Node(c) = kid {
                    *c = graft.node(*c);
                }
            }
            self.nodes.push(node);
        }
        for kid in root_kids {
            if let Kid::Node(c) = kid {
                self.push_kid(parent, Kid::Node(graft.node(c)));
            }
        }
        graft
    }

    /// Records a child (marked content or annotation) of `node`.
    pub fn push_kid(&mut self, node: NodeId, kid: Kid) {
        if let Some(n) = self.nodes.get_mut(node as usize) {
            n.kids.push(kid);
        }
    }

    /// The node that holds a run tagged `tag` in an item tagged `item`:
    /// link and reference nodes are made on first use, under `item`.
    pub fn resolve(&mut self, item: NodeId, tag: RunTag) -> Tag {
        match tag {
            RunTag::Item => Tag::Node(item),
            RunTag::Artifact => Tag::Artifact(Artifact::Layout),
            RunTag::Link(n) | RunTag::Note(n) => {
                if let Some(&id) = self.links.get(&n) {
                    return Tag::Node(id);
                }
                let parent = if matches!(tag, RunTag::Note(_)) {
                    self.add(Kind::Reference, item)
                } else {
                    item
                };
                let id = self.add(Kind::Link, parent);
                self.links.insert(n, id);
                Tag::Node(id)
            }
        }
    }
}

/// The structure tree shared by the layout, which adds a chapter's nodes
/// as it lays the chapter out, and the writer, which adds marked content,
/// link nodes and annotations as the chapter's pages are written (pages
/// are written as soon as they are laid out, so both fill one tree).
#[derive(Debug, Default)]
pub struct SharedTree(RefCell<StructTree>);

impl SharedTree {
    /// See [`StructTree::add`].
    pub fn add(&self, kind: Kind, parent: NodeId) -> NodeId {
        self.0.borrow_mut().add(kind, parent)
    }

    /// See [`StructTree::kind`].
    pub fn kind(&self, id: NodeId) -> Kind {
        self.0.borrow().kind(id)
    }

    /// See [`StructTree::set_alt`].
    pub fn set_alt(&self, id: NodeId, alt: String) {
        self.0.borrow_mut().set_alt(id, alt);
    }

    /// See [`StructTree::push_kid`].
    pub fn push_kid(&self, node: NodeId, kid: Kid) {
        self.0.borrow_mut().push_kid(node, kid);
    }

    /// See [`StructTree::resolve`].
    pub fn resolve(&self, item: NodeId, tag: RunTag) -> Tag {
        self.0.borrow_mut().resolve(item, tag)
    }

    /// Takes the tree out (for the layouter to add to), leaving an empty
    /// one until [`SharedTree::put`] brings it back.
    pub fn take(&self) -> StructTree {
        std::mem::take(&mut *self.0.borrow_mut())
    }

    /// Puts the tree back.
    pub fn put(&self, tree: StructTree) {
        *self.0.borrow_mut() = tree;
    }

    /// The tree, to read (written out at the end).
    pub fn borrow(&self) -> std::cell::Ref<'_, StructTree> {
        self.0.borrow()
    }
}

/// The tree while the pages are written: each page's marked-content ids,
/// the link annotations, and the text of each link (its annotation's
/// `/Contents`).
#[derive(Debug)]
pub struct Tagging<'a> {
    pub tree: &'a SharedTree,
    pub marked: tree::Marked,
    pub link_text: HashMap<NodeId, String>,
}

impl<'a> Tagging<'a> {
    /// Tagging of pages whose structure is in `tree`.
    pub fn new(tree: &'a SharedTree) -> Self {
        Tagging {
            tree,
            marked: tree::Marked::default(),
            link_text: HashMap::new(),
        }
    }

    /// Starts marked content of `node` on `page`: its id.
    pub fn mcid(&mut self, page: u32, node: NodeId) -> u32 {
        let at = page as usize;
        if self.marked.pages.len() <= at {
            self.marked.pages.resize_with(at + 1, Vec::new);
        }
        let ids = &mut self.marked.pages[at];
        let mcid = u32::try_from(ids.len()).unwrap_or(u32::MAX);
        ids.push(node);
        self.tree.push_kid(node, Kid::Mcr { page, mcid });
        mcid
    }

    /// Records link annotation `annot` on `page` as `node`'s: its
    /// `StructParent` key.
    pub fn annotation(&mut self, page: u32, annot: pdf_writer::Ref, node: NodeId) -> i32 {
        let n = self.marked.annots.len();
        self.marked.annots.push((annot, node));
        self.tree.push_kid(
            node,
            Kid::Annot {
                page,
                annot: u32::try_from(n).unwrap_or(u32::MAX),
            },
        );
        self.marked.key(tree::Keyed::Annot(n))
    }
}

/// Numbers links (and footnote references) across the book, so the writer
/// knows which runs and areas belong to one.
#[derive(Debug, Default)]
pub struct LinkCounter(std::cell::Cell<u32>);

impl LinkCounter {
    /// How many links were numbered.
    pub fn count(&self) -> u32 {
        self.0.get()
    }

    /// Skips `n` numbers (those of links numbered elsewhere, in a chapter
    /// laid out on another thread).
    pub fn skip(&self, n: u32) {
        self.0.set(self.0.get().wrapping_add(n));
    }

    /// The next link's number.
    pub fn next(&self) -> u32 {
        let n = self.0.get().wrapping_add(1);
        self.0.set(n);
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_moves_after_the_paragraph_that_refers_to_it() {
        let mut t = StructTree::default();
        let sect = t.add(Kind::Sect, ROOT);
        let list = t.add(Kind::L, sect);
        let p = t.add(Kind::P, list);
        let after = t.add(Kind::P, list);
        let note = t.add(Kind::Note, sect);
        t.place_after(note, p);
        assert_eq!(
            t.nodes[list as usize].kids,
            vec![Kid::Node(p), Kid::Node(note), Kid::Node(after)]
        );
        assert_eq!(t.nodes[sect as usize].kids, vec![Kid::Node(list)]);
        assert_eq!(t.parent(note), list);
    }

    #[test]
    fn the_contents_move_after_the_cover() {
        let mut t = StructTree::default();
        let cover = t.add(Kind::Sect, ROOT);
        let a = t.add(Kind::Sect, ROOT);
        let b = t.add(Kind::Sect, ROOT);
        let from = t.top_count();
        let toc = t.add(Kind::Sect, ROOT);
        t.move_top(from, 1);
        let kids: Vec<_> = [cover, toc, a, b].into_iter().map(Kid::Node).collect();
        assert_eq!(t.nodes[ROOT as usize].kids, kids);
    }

    #[test]
    fn one_link_node_per_link_number() {
        let mut t = StructTree::default();
        let p = t.add(Kind::P, ROOT);
        let a = t.resolve(p, RunTag::Link(7));
        assert_eq!(t.resolve(p, RunTag::Link(7)), a);
        let Tag::Node(r) = t.resolve(p, RunTag::Note(8)) else {
            panic!("a note reference is a node");
        };
        assert_eq!(t.kind(r), Kind::Link);
        assert_eq!(t.kind(t.parent(r)), Kind::Reference);
        assert_eq!(
            t.resolve(p, RunTag::Artifact),
            Tag::Artifact(Artifact::Layout)
        );
    }

    #[test]
    fn a_grafted_chapter_numbers_its_nodes_as_one_tree_would() {
        // One tree: a part, its chapter with a paragraph and a note moved
        // after it, then a second chapter in the part.
        let mut whole = StructTree::default();
        let part = whole.add(Kind::Part, ROOT);
        let sect = whole.add(Kind::Sect, part);
        let p = whole.add(Kind::P, sect);
        let note = whole.add(Kind::Note, sect);
        let q = whole.add(Kind::P, sect);
        whole.place_after(note, p);
        let second = whole.add(Kind::Sect, part);
        whole.set_lang(second, "de");
        // The same, the chapters laid out apart and grafted in order.
        let mut book = StructTree::default();
        let part2 = book.add(Kind::Part, ROOT);
        let mut one = StructTree::default();
        let s1 = one.add(Kind::Sect, ROOT);
        let p1 = one.add(Kind::P, s1);
        let n1 = one.add(Kind::Note, s1);
        let q1 = one.add(Kind::P, s1);
        one.place_after(n1, p1);
        let g1 = book.graft(one, part2);
        let mut two = StructTree::default();
        let s2 = two.add(Kind::Sect, ROOT);
        two.set_lang(s2, "de");
        let g2 = book.graft(two, part2);
        assert_eq!((g1.node(s1), g1.node(p1), g1.node(n1)), (sect, p, note));
        assert_eq!((g2.node(s2), g2.node(ROOT)), (second, part));
        assert_eq!(book.nodes.len(), whole.nodes.len());
        for (a, b) in book.nodes.iter().zip(&whole.nodes) {
            assert_eq!((a.kind, a.parent, &a.kids), (b.kind, b.parent, &b.kids));
        }
        let langs = |t: &StructTree| {
            let mut l: Vec<_> = t
                .extra
                .iter()
                .map(|(id, e)| (*id, e.lang.clone()))
                .collect();
            l.sort();
            l
        };
        assert_eq!(langs(&book), langs(&whole));
        assert_eq!(langs(&book), vec![(second, Some(Arc::from("de")))]);
        assert_eq!(g1.node(q1), q);
    }
}
