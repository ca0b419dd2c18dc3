//! The nested outline (bookmarks): chapters nested under their sections,
//! each chapter's headings nested below it by level. printpdf only writes
//! a flat page-level list, so folio writes the outline itself with lopdf.
//! Built with loops, not recursion, however deep the site nests.

use super::layout::OutlineMark;
use super::metadata::text_string;
use lopdf::{Dictionary, Document, Object, ObjectId};

struct Node {
    title: String,
    dest: Object,
    /// Level in the book's tree (0: a top-level chapter).
    level: usize,
    children: Vec<usize>,
}

/// Writes the outline for `marks` (with the page index and `y` from the top
/// each landed at) and points the catalog at it.
pub fn write(
    doc: &mut Document,
    marks: &[(OutlineMark, usize, f32)],
    pages: &[ObjectId],
    page_h: f32,
) -> anyhow::Result<()> {
    if marks.is_empty() {
        return Ok(());
    }
    let mut nodes: Vec<Node> = Vec::with_capacity(marks.len());
    let mut roots: Vec<usize> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (mark, page, y) in marks {
        let Some(&page_id) = pages.get(*page) else {
            continue;
        };
        let dest = Object::Array(vec![
            Object::Reference(page_id),
            Object::Name(b"XYZ".to_vec()),
            Object::Null,
            Object::Real(page_h - y + 4.0),
            Object::Null,
        ]);
        let idx = nodes.len();
        let level = mark.tree_level();
        nodes.push(Node {
            title: mark.title.clone(),
            dest,
            level,
            children: Vec::new(),
        });
        while stack.last().is_some_and(|&s| nodes[s].level >= level) {
            stack.pop();
        }
        match stack.last() {
            Some(&parent) => nodes[parent].children.push(idx),
            None => roots.push(idx),
        }
        stack.push(idx);
    }
    let ids: Vec<ObjectId> = (0..nodes.len()).map(|_| doc.new_object_id()).collect();
    let root_id = doc.new_object_id();
    // Small books open fully; big ones show the top level only.
    let open = nodes.len() <= 40;
    let below = descendants(&nodes);
    let link = |dict: &mut Dictionary, list: &[usize], pos: usize| {
        if pos > 0 {
            dict.set("Prev", Object::Reference(ids[list[pos - 1]]));
        }
        if pos + 1 < list.len() {
            dict.set("Next", Object::Reference(ids[list[pos + 1]]));
        }
    };
    let mut dicts: Vec<(ObjectId, Dictionary)> = Vec::with_capacity(nodes.len());
    let mut parent_of = vec![root_id; nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        for &c in &n.children {
            parent_of[c] = ids[i];
        }
    }
    for list in std::iter::once(&roots).chain(nodes.iter().map(|n| &n.children)) {
        for (pos, &i) in list.iter().enumerate() {
            let n = &nodes[i];
            let mut d = Dictionary::new();
            d.set("Title", text_string(&n.title));
            d.set("Parent", Object::Reference(parent_of[i]));
            d.set("Dest", n.dest.clone());
            link(&mut d, list, pos);
            if let (Some(&first), Some(&last)) = (n.children.first(), n.children.last()) {
                d.set("First", Object::Reference(ids[first]));
                d.set("Last", Object::Reference(ids[last]));
                let c = below[i] as i64;
                d.set(
                    "Count",
                    Object::Integer(if open { c } else { -(n.children.len() as i64) }),
                );
            }
            dicts.push((ids[i], d));
        }
    }
    for (id, d) in dicts {
        doc.objects.insert(id, Object::Dictionary(d));
    }
    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(&first), Some(&last)) = (roots.first(), roots.last()) {
        root.set("First", Object::Reference(ids[first]));
        root.set("Last", Object::Reference(ids[last]));
    }
    let total = if open {
        nodes.len() as i64
    } else {
        roots.len() as i64
    };
    root.set("Count", Object::Integer(total));
    doc.objects.insert(root_id, Object::Dictionary(root));
    doc.catalog_mut()?
        .set("Outlines", Object::Reference(root_id));
    Ok(())
}

/// How many entries each node has below it. A child always comes after
/// its parent, so one backward pass counts them all.
fn descendants(nodes: &[Node]) -> Vec<usize> {
    let mut counts = vec![0usize; nodes.len()];
    for i in (0..nodes.len()).rev() {
        counts[i] = nodes[i].children.iter().map(|&c| 1 + counts[c]).sum();
    }
    counts
}
