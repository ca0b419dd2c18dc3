//! Pagination: the vertical items of a chapter distributed over pages,
//! backing up over keep-with-next chains, with footnotes at the foot of
//! the page their first reference lands on and a table's header repeated.

use super::{NoteBlock, OutlineMark, VItem, VKind};
use crate::backend::pdf::draw::{DrawOp, Rgb};
use crate::backend::pdf::tags::{Artifact, ROOT, Tag};
use rustc_hash::FxHashMap;
use std::collections::HashSet;
use std::sync::Arc;

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
    /// By anchor key: a map every heading, block and note goes into and
    /// every link and page reference reads, so hashed the fast way (its
    /// order is never read).
    pub anchors: FxHashMap<String, (usize, f32)>,
    pub outline: Vec<(OutlineMark, usize, f32)>,
}

/// The text column pages are filled in: its top and bottom `y`, and where
/// the rule above footnotes starts and its colour.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub top: f32,
    pub bottom: f32,
    pub note_rule: (f32, Rgb),
}

/// Distributes items over new pages, the first of them page index
/// `first` of the book (anchors land in `placement` by page index), and
/// returns them.
pub fn paginate(
    items: Vec<VItem>,
    column: Column,
    chapter: Option<&str>,
    first: usize,
    placement: &mut Placement,
) -> Vec<PageOut> {
    let Column {
        top,
        bottom,
        note_rule,
    } = column;
    let mut pages = Vec::new();
    // First decide where each page starts (heights only), backing up over
    // keep-with-next chains; then place.
    let mut starts: Vec<usize> = Vec::new();
    let mut i = 0;
    let mut page_first = 0;
    let mut cursor = top;
    // Height taken at the page's foot by notes (rule included).
    let mut notes_used = 0.0f32;
    // A page has few notes: a list is cheaper than a set.
    let mut page_notes: Vec<&str> = Vec::new();
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
        // A note already on this page (a URL note of an earlier link)
        // takes no more room.
        let mut extra: f32 = item
            .notes
            .iter()
            .filter(|n| !page_notes.contains(&n.key.as_str()))
            .map(|n| n.height)
            .sum();
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
            page_notes.clear();
            continue;
        }
        cursor += item.height;
        notes_used += extra;
        for n in &item.notes {
            if !page_notes.contains(&n.key.as_str()) {
                page_notes.push(n.key.as_str());
            }
        }
        i += 1;
    }
    starts.dedup();
    let headers: Vec<Option<Arc<VItem>>> = starts
        .iter()
        .map(|&s| items.get(s).and_then(|it| it.header.clone()))
        .collect();
    let sizes = page_sizes(&items, &starts, &headers);
    // Notes already set (and tagged) on an earlier page.
    let mut noted: HashSet<String> = HashSet::new();
    // Items move onto their pages: their operations are not copied.
    let mut rest = items.into_iter().enumerate().peekable();
    for (p, &s) in starts.iter().enumerate() {
        let end = starts.get(p + 1).copied().unwrap_or(usize::MAX);
        if s >= end && p > 0 {
            continue;
        }
        let page_index = first + pages.len();
        let mut page = PageOut {
            chapter: chapter.map(str::to_string),
            first_of_chapter: p == 0,
            folio: true,
            ops: Vec::with_capacity(sizes.get(p).copied().unwrap_or(0) + HEAD_ROOM),
        };
        let mut y = top;
        if let Some(h) = headers.get(p).and_then(Option::as_ref) {
            // A repeated header row is already in the tree where the
            // table starts: here it is decoration.
            page.ops.push(DrawOp::Mark(Tag::Artifact(Artifact::Layout)));
            page.ops.extend(
                h.ops
                    .iter()
                    .filter(|op| !matches!(op, DrawOp::Mark(_)))
                    .cloned()
                    .map(|op| op.shifted(0.0, y)),
            );
            y += h.height;
        }
        while rest.next_if(|(i, _)| *i < s).is_some() {}
        let mut notes: Vec<Arc<NoteBlock>> = Vec::new();
        while let Some((_, item)) = rest.next_if(|(i, _)| *i < end) {
            for n in &item.notes {
                if !notes.iter().any(|m| m.key == n.key) {
                    notes.push(Arc::clone(n));
                }
            }
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
            if !item.ops.is_empty() {
                page.ops
                    .push(DrawOp::Mark(item.tag.unwrap_or(Tag::Node(ROOT))));
            }
            page.ops
                .extend(item.ops.into_iter().map(|op| op.shifted(0.0, y)));
            y += item.height;
        }
        if !notes.is_empty() {
            let total: f32 = notes.iter().map(|n| n.height).sum::<f32>() + NOTE_RULE;
            let mut y = bottom - total;
            page.ops.push(DrawOp::Mark(Tag::Artifact(Artifact::Layout)));
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
                // A URL note set again on a later page is read once.
                let tag = match note.tag {
                    Some(node) if noted.insert(note.key.clone()) => Tag::Node(node),
                    Some(_) => Tag::Artifact(Artifact::Layout),
                    None => Tag::Node(ROOT),
                };
                page.ops.push(DrawOp::Mark(tag));
                page.ops
                    .extend(note.ops.iter().cloned().map(|op| op.shifted(0.0, y)));
                y += note.height;
            }
        }
        pages.push(page);
    }
    pages
}

/// How many drawing operations each page gets (its items' and their marks,
/// the repeated header, its notes: at most, notes repeated on a page
/// counting each time), so each page's vector is allocated once (pages
/// hold them until the book is written).
fn page_sizes(items: &[VItem], starts: &[usize], headers: &[Option<Arc<VItem>>]) -> Vec<usize> {
    let mut sizes = Vec::with_capacity(starts.len());
    for (p, &s) in starts.iter().enumerate() {
        let end = starts
            .get(p + 1)
            .copied()
            .unwrap_or(items.len())
            .min(items.len());
        let on_page = items.get(s..end).unwrap_or_default();
        let body: usize = on_page
            .iter()
            .filter(|it| it.kind != VKind::Space)
            .map(|it| it.ops.len() + usize::from(!it.ops.is_empty()))
            .sum();
        let header = headers
            .get(p)
            .and_then(Option::as_ref)
            .map_or(0, |h| 1 + h.ops.len());
        let notes: usize = on_page
            .iter()
            .flat_map(|it| &it.notes)
            .map(|n| 1 + n.ops.len())
            .sum();
        sizes.push(body + header + if notes > 0 { notes + 2 } else { 0 });
    }
    sizes
}

/// Room left in a page's operations for its running heads and folio
/// (marks, two titles, the rule, the number: added as it is written), so
/// the vector is not reallocated then.
const HEAD_ROOM: usize = 12;

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

    /// A column 100 pt high.
    const COLUMN: Column = Column {
        top: 0.0,
        bottom: 100.0,
        note_rule: (0.0, [0.0; 3]),
    };

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
                let mut placement = Placement::default();
                paginate(items, COLUMN, None, 0, &mut placement);
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
        items[4].notes.push(Arc::new(NoteBlock {
            height: 30.0,
            ops: vec![DrawOp::Rect {
                x: 0.0,
                y: 0.0,
                w: 1.0,
                h: 1.0,
                color: [0.0; 3],
            }],
            key: "note".into(),
            tag: None,
        }));
        let mut placement = Placement::default();
        paginate(items, COLUMN, None, 0, &mut placement);
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
        let header = Arc::new(VItem::content(
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
            row.header = Some(Arc::clone(&header));
            items.push(row);
        }
        let pages = paginate(items, COLUMN, None, 0, &mut Placement::default());
        assert_eq!(pages.len(), 3);
        for (i, page) in pages.iter().enumerate() {
            // The header row: tagged where the table starts, decoration
            // where it is repeated.
            let tag = if i == 0 {
                Tag::Node(ROOT)
            } else {
                Tag::Artifact(Artifact::Layout)
            };
            assert!(matches!(page.ops.first(), Some(DrawOp::Mark(t)) if *t == tag));
            assert!(matches!(page.ops.get(1), Some(DrawOp::Rect { .. })));
        }
    }
}
