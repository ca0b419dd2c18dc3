//! The structure tree written out: one `StructElem` per node that holds
//! some content (empty ones are left out), the `ParentTree` from each
//! page's marked-content ids and each link annotation back to its node,
//! and the `StructTreeRoot`.

use super::{Kid, Kind, NodeId, StructTree};
use pdf_writer::{Chunk, Finish, Name, Ref, TextStr};

/// What the pages told about the tree: the node of each marked-content
/// id, by page, and the node and id of each annotation, in writing order.
#[derive(Debug, Default)]
pub struct Marked {
    pub pages: Vec<Vec<NodeId>>,
    /// Annotation id and its node, by annotation number.
    pub annots: Vec<(Ref, NodeId)>,
    /// What each parent-tree key stands for, by key. Keys are handed out
    /// as pages and annotations are written (the page count is not known
    /// until the end), so a page's key need not be its index.
    keys: Vec<Keyed>,
}

/// What a parent-tree key stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyed {
    /// A page's marked content, by page index.
    Page(usize),
    /// An annotation, by number.
    Annot(usize),
}

impl Marked {
    /// The next parent-tree key, for `what`.
    pub fn key(&mut self, what: Keyed) -> i32 {
        self.keys.push(what);
        i32::try_from(self.keys.len() - 1).unwrap_or(i32::MAX)
    }
}

/// Which nodes are written: those with something in them (and the root).
/// Children always come after their parent in the node list, so one
/// backward pass settles it; a table then keeps its empty cells, so rows
/// stay as wide as the table.
fn live_nodes(tree: &StructTree) -> Vec<bool> {
    let n = tree.nodes.len();
    let mut live = vec![false; n];
    for (i, node) in tree.nodes.iter().enumerate().rev() {
        let own = node.kids.iter().any(|k| !matches!(k, Kid::Node(_)));
        let kids = node
            .kids
            .iter()
            .any(|k| matches!(k, Kid::Node(c) if live.get(*c as usize) == Some(&true)));
        live[i] = own || kids || i == 0;
    }
    for (i, node) in tree.nodes.iter().enumerate() {
        if matches!(node.kind, Kind::TD | Kind::TH)
            && node
                .parent
                .is_some_and(|p| live.get(p as usize) == Some(&true))
        {
            live[i] = true;
        }
    }
    live
}

/// Where the tree's objects are: numbered before any is written, so its
/// elements can be written in parts, on threads, and joined in order.
pub struct Ids<'a> {
    /// Each node's element, when it is written.
    nodes: Vec<Option<Ref>>,
    root: Ref,
    pages: &'a [Ref],
}

impl Ids<'_> {
    fn node(&self, id: NodeId) -> Option<Ref> {
        self.nodes.get(id as usize).copied().flatten()
    }

    fn page(&self, p: u32) -> Option<Ref> {
        self.pages.get(p as usize).copied()
    }

    /// The `StructTreeRoot`'s id.
    pub fn root(&self) -> Ref {
        self.root
    }

    /// How many nodes there are (written or not): element ranges are of
    /// `0..len()`.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
}

/// Numbers the tree's elements (those written) and its root. `page_ids`
/// are the pages' objects (page `i`'s `StructParents` key is `i`).
pub fn plan<'a>(next: &mut impl FnMut() -> Ref, tree: &StructTree, page_ids: &'a [Ref]) -> Ids<'a> {
    let live = live_nodes(tree);
    Ids {
        nodes: live.iter().map(|&l| l.then(&mut *next)).collect(),
        root: next(),
        pages: page_ids,
    }
}

/// Writes the elements of the nodes in `range` (a part of `0..ids.len()`).
pub fn elements(
    pdf: &mut Chunk,
    tree: &StructTree,
    range: std::ops::Range<usize>,
    ids: &Ids,
    marked: &Marked,
) {
    let start = range.start;
    for (i, node) in tree.nodes.get(range).unwrap_or_default().iter().enumerate() {
        let i = start + i;
        if let Some(id) = ids.nodes.get(i).copied().flatten() {
            let extra = tree.extra.get(&(i as NodeId));
            element(pdf, id, (node, extra), ids, marked);
        }
    }
}

/// Writes one structure element.
fn element(
    pdf: &mut Chunk,
    id: Ref,
    (node, extra): (&super::Node, Option<&super::Extra>),
    ids: &Ids,
    marked: &Marked,
) {
    // `/Type /StructElem` is optional and left out: a site's tree has
    // tens of thousands of elements.
    let mut elem = pdf.indirect(id).dict();
    elem.pair(Name(b"S"), Name(node.kind.name().as_bytes()));
    let parent = node.parent.and_then(|p| ids.node(p));
    elem.pair(Name(b"P"), parent.unwrap_or(ids.root));
    // The page of the first marked content: ids on it are written bare.
    let home = node.kids.iter().find_map(|k| match k {
        Kid::Mcr { page: p, .. } => ids.page(*p).map(|r| (*p, r)),
        _ => None,
    });
    if let Some((_, r)) = home {
        elem.pair(Name(b"Pg"), r);
    }
    if let Some(lang) = extra.and_then(|e| e.lang.as_ref()) {
        elem.pair(Name(b"Lang"), TextStr(lang));
    }
    if let Some(alt) = extra.and_then(|e| e.alt.as_ref()) {
        elem.pair(Name(b"Alt"), TextStr(alt));
    }
    if node.kind == Kind::TH {
        let mut a = elem.insert(Name(b"A")).dict();
        a.pair(Name(b"O"), Name(b"Table"));
        a.pair(Name(b"Scope"), Name(b"Column"));
        a.finish();
    }
    let mut kids = elem.insert(Name(b"K")).array();
    for kid in &node.kids {
        match *kid {
            Kid::Node(c) => {
                if let Some(r) = ids.node(c) {
                    kids.item(r);
                }
            }
            Kid::Mcr { page: p, mcid } => {
                let mcid = i32::try_from(mcid).unwrap_or(i32::MAX);
                match (home, ids.page(p)) {
                    (Some((h, _)), _) if h == p => {
                        kids.item(mcid);
                    }
                    (_, Some(pg)) => {
                        let mut mcr = kids.push().dict();
                        mcr.pair(Name(b"Type"), Name(b"MCR"));
                        mcr.pair(Name(b"Pg"), pg);
                        mcr.pair(Name(b"MCID"), mcid);
                    }
                    _ => {}
                }
            }
            Kid::Annot { page: p, annot } => {
                let (Some(pg), Some(&(obj, _))) = (ids.page(p), marked.annots.get(annot as usize))
                else {
                    continue;
                };
                let mut objr = kids.push().dict();
                objr.pair(Name(b"Type"), Name(b"OBJR"));
                objr.pair(Name(b"Pg"), pg);
                objr.pair(Name(b"Obj"), obj);
            }
        }
    }
}

/// Writes the parent tree (each page's marked content by id, as an array
/// of its own, and each annotation's element, under the keys handed out)
/// and the tree root: what follows the elements.
pub fn parent_tree(pdf: &mut Chunk, next: &mut impl FnMut() -> Ref, ids: &Ids, marked: &Marked) {
    let mut nums_of: Vec<(i32, Ref)> = Vec::with_capacity(marked.keys.len());
    for (key, what) in marked.keys.iter().enumerate() {
        let key = i32::try_from(key).unwrap_or(i32::MAX);
        match *what {
            Keyed::Page(p) => {
                let array_id = next();
                let mut array = pdf.indirect(array_id).array();
                for &node in marked.pages.get(p).map_or(&[][..], Vec::as_slice) {
                    match ids.node(node) {
                        Some(r) => array.item(r),
                        None => array.item(pdf_writer::Null),
                    };
                }
                array.finish();
                nums_of.push((key, array_id));
            }
            Keyed::Annot(a) => {
                if let Some(r) = marked.annots.get(a).and_then(|&(_, node)| ids.node(node)) {
                    nums_of.push((key, r));
                }
            }
        }
    }
    let mut root = pdf.indirect(ids.root).dict();
    root.pair(Name(b"Type"), Name(b"StructTreeRoot"));
    if let Some(doc) = ids.node(super::ROOT) {
        root.insert(Name(b"K")).array().item(doc);
    }
    let mut tree = root.insert(Name(b"ParentTree")).dict();
    let mut nums = tree.insert(Name(b"Nums")).array();
    for (key, r) in nums_of {
        nums.item(key);
        nums.item(r);
    }
    nums.finish();
    tree.finish();
    root.pair(
        Name(b"ParentTreeNextKey"),
        i32::try_from(marked.keys.len()).unwrap_or(i32::MAX),
    );
}

#[cfg(test)]
mod tests {
    use super::super::{Kid, Kind, ROOT, StructTree};
    use super::*;

    /// The tree's objects written with the elements in two parts split at
    /// `at`, joined in order.
    fn written(tree: &StructTree, marked: &Marked, at: Option<usize>) -> Vec<u8> {
        let pages = [Ref::new(900), Ref::new(901)];
        let mut n = 0;
        let mut next = || {
            n += 1;
            Ref::new(n)
        };
        let ids = plan(&mut next, tree, &pages);
        let mut out = Chunk::new();
        let at = at.unwrap_or(ids.len());
        let (mut a, mut b) = (Chunk::new(), Chunk::new());
        elements(&mut a, tree, 0..at, &ids, marked);
        elements(&mut b, tree, at..ids.len(), &ids, marked);
        out.extend(&a);
        out.extend(&b);
        parent_tree(&mut out, &mut next, &ids, marked);
        out.as_bytes().to_vec()
    }

    #[test]
    fn elements_written_in_two_parts_are_the_tree_written_whole() {
        let mut tree = StructTree::default();
        let sect = tree.add(Kind::Sect, ROOT);
        let p = tree.add(Kind::P, sect);
        let _empty = tree.add(Kind::P, sect);
        let q = tree.add(Kind::P, ROOT);
        tree.push_kid(p, Kid::Mcr { page: 0, mcid: 0 });
        tree.push_kid(q, Kid::Mcr { page: 1, mcid: 0 });
        tree.push_kid(q, Kid::Mcr { page: 0, mcid: 1 });
        let mut marked = Marked {
            pages: vec![vec![p, q], vec![q]],
            ..Marked::default()
        };
        marked.key(Keyed::Page(0));
        marked.key(Keyed::Page(1));
        let whole = written(&tree, &marked, None);
        let text = String::from_utf8_lossy(&whole);
        assert!(text.contains("/StructTreeRoot"), "{text}");
        // The empty paragraph is left out, the others' kids are there.
        assert_eq!(text.matches("/S /P\n").count(), 2, "{text}");
        for at in 0..=tree.nodes.len() {
            assert_eq!(written(&tree, &marked, Some(at)), whole, "split at {at}");
        }
    }
}
