//! The nested outline (bookmarks): chapters nested under their sections,
//! each chapter's headings nested below it by level, written once every
//! page is. Built with loops, not recursion, however deep the site nests.

use super::layout::OutlineMark;
use super::links::round;
use pdf_writer::{Chunk, Ref, TextStr};

struct Node {
    title: String,
    page: Ref,
    top: f32,
    /// Level in the book's tree (0: a top-level chapter).
    level: usize,
    children: Vec<usize>,
}

/// Writes the outline for `marks` (with the page index and `y` from the top
/// each landed at) and returns its root, if there is any entry.
pub fn write(
    pdf: &mut Chunk,
    next: &mut impl FnMut() -> Ref,
    marks: &[(OutlineMark, usize, f32)],
    pages: &[Ref],
    top_of_page: f32,
) -> Option<Ref> {
    let mut nodes: Vec<Node> = Vec::with_capacity(marks.len());
    let mut roots: Vec<usize> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (mark, page, y) in marks {
        let Some(&page) = pages.get(*page) else {
            continue;
        };
        let idx = nodes.len();
        let level = mark.tree_level();
        nodes.push(Node {
            title: mark.title.clone(),
            page,
            top: round(top_of_page - y + 4.0),
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
    if nodes.is_empty() {
        return None;
    }
    let ids: Vec<Ref> = (0..nodes.len()).map(|_| next()).collect();
    let root_id = next();
    // Small books open fully; big ones show the top level only.
    let open = nodes.len() <= 40;
    let below = descendants(&nodes);
    let mut parent_of = vec![root_id; nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        for &c in &n.children {
            parent_of[c] = ids[i];
        }
    }
    for list in std::iter::once(&roots).chain(nodes.iter().map(|n| &n.children)) {
        for (pos, &i) in list.iter().enumerate() {
            let n = &nodes[i];
            let mut item = pdf.outline_item(ids[i]);
            item.title(TextStr(&n.title)).parent(parent_of[i]);
            if pos > 0 {
                item.prev(ids[list[pos - 1]]);
            }
            if let Some(&after) = list.get(pos + 1) {
                item.next(ids[after]);
            }
            if let (Some(&first), Some(&last)) = (n.children.first(), n.children.last()) {
                item.first(ids[first]).last(ids[last]);
                let count = if open {
                    below[i] as i32
                } else {
                    -(n.children.len() as i32)
                };
                item.count(count);
            }
            item.dest().page(n.page).xyz(0.0, n.top, None);
        }
    }
    let mut root = pdf.outline(root_id);
    if let (Some(&first), Some(&last)) = (roots.first(), roots.last()) {
        root.first(ids[first]).last(ids[last]);
    }
    root.count(if open { nodes.len() } else { roots.len() } as i32);
    Some(root_id)
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
