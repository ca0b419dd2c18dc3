//! The book's pages in order, each handed to the writer as soon as it is
//! paginated: the cover; the contents, whose page count is known ahead
//! from the model's headings but which are laid out, numbered and written
//! last (once every entry's page is known); then the chapters, one at a
//! time, each chapter's drawing dropped once its pages are written. When
//! nothing is written (the page list's layout), the contents are only
//! counted, and with a memo each chapter's pagination is kept, so an
//! unchanged chapter's comes back instead of its items.

use super::document::Stream;
use super::fonts::LocalFonts;
use super::front::{self, EntryLines, Heads};
use super::layout::{self, Column, Layouter, OutlineMark, PageOut, Placement};
use super::memo::{self, LayoutMemo, Paged};
use super::parallel::{Laid, Part};
use super::tags::{SharedTree, StructTree};
use crate::model::{Book, Page};
use anyhow::{Result, bail};

/// Where pages go: the file, or nowhere when only where they begin is
/// wanted.
pub struct Sink<'w, 'a> {
    /// The file being written, if any.
    pub writer: Option<&'w mut Stream<'a>>,
    /// Running heads and folios, set on each page as it is written.
    pub heads: &'w Heads<'a>,
    pub fonts: &'w LocalFonts,
    /// The book's language, which the heads are set in.
    pub lang: &'w str,
    /// Where paginations are kept, and under what key (the chapters' and
    /// the column's settings): only when nothing is written.
    pub paged: Option<(&'w LayoutMemo, memo::Key)>,
}

impl Sink<'_, '_> {
    /// Adds the running heads to page `index` and writes it.
    fn put(&mut self, index: usize, mut page: PageOut, placement: &Placement) -> Result<()> {
        let Some(writer) = self.writer.as_deref_mut() else {
            return Ok(());
        };
        // The heads come from the book's metadata, in its language.
        self.fonts.set_context(std::path::Path::new(""));
        self.fonts.set_language(self.lang);
        self.heads.add(&mut page, index);
        writer.page(index, page, placement)
    }
}

/// Lays out `book` page by page into `sink`, anchors and outline entries
/// landing in `placement`: the cover (page index 0), the contents (from
/// page index 1) and the `chapters` (laid out apart, in book order),
/// taken into `lay`'s book and `tree` one at a time.
pub fn pages(
    lay: &mut Layouter,
    book: &Book,
    (column, page_w, page_h): (Column, f32, f32),
    tree: &SharedTree,
    chapters: &mut dyn Iterator<Item = Laid>,
    sink: &mut Sink,
    placement: &mut Placement,
) -> Result<()> {
    let cover = in_tree(lay, tree, |lay| front::cover(lay, book, page_w, page_h));
    sink.put(0, cover, placement)?;
    // The count's entry lines are kept for the written contents.
    let mut kept = match sink.writer {
        Some(_) => EntryLines::keeping(),
        None => EntryLines::default(),
    };
    let counted = count_contents(lay, book, column, sink.paged, &mut kept);
    kept.stop_keeping();
    let mut index = 1 + counted;
    // One chapter at a time: merged into the book, paginated, written,
    // dropped; or only its kept pagination moved to where it now starts.
    for chapter in chapters {
        let (at, part) = chapter?;
        let (title, chapter, key) = match part {
            Part::Laid {
                title,
                chapter,
                key,
            } => (title, chapter, key),
            Part::Paged(paged) => {
                lay.merge_notes(paged.notes.clone());
                for (anchor, page, y) in &paged.marks {
                    let landed = (index + page, *y);
                    placement.anchors.entry(anchor.clone()).or_insert(landed);
                }
                index += paged.pages;
                continue;
            }
        };
        let keep = sink.paged.zip(key).zip(book.pages.get(at));
        let notes = keep.map(|_| chapter.notes().clone());
        let items = in_tree(lay, tree, |lay| lay.merge(*chapter));
        let first = index;
        for page in layout::paginate(items, column, Some(&title), index, placement) {
            sink.put(index, page, placement)?;
            index += 1;
        }
        if let (Some((((memo, pages_key), key), page)), Some(notes)) = (keep, notes) {
            let paged = Paged {
                pages: index - first,
                marks: marks_of(page, first, placement),
                notes,
            };
            memo.keep_paged(pages_key, page, key, paged);
        }
    }
    // The contents' pages are all there is to write; without a writer
    // nothing reads them (their count is what moves the chapters).
    if sink.writer.is_none() {
        return Ok(());
    }
    in_tree(lay, tree, |lay| {
        contents(lay, book, column, counted, placement, &mut kept)
    })?
    .into_iter()
    .enumerate()
    .try_for_each(|(i, page)| sink.put(1 + i, page, placement))
}

/// How many pages the contents take, from every entry the chapters can
/// have (the entries' page numbers do not change the count); the memo's
/// count when it holds one from the same entries. Its nodes go into a
/// tree of their own, dropped (the book's is in `tree`); the entries'
/// lines into `kept` when it keeps them.
fn count_contents(
    lay: &mut Layouter,
    book: &Book,
    column: Column,
    paged: Option<(&LayoutMemo, memo::Key)>,
    kept: &mut EntryLines,
) -> usize {
    let ahead = layout::outline_marks(book);
    let mut count = || {
        let toc = front::contents(lay, &book.meta, &ahead, kept);
        layout::paginate(toc, column, None, 1, &mut Placement::default()).len()
    };
    let counted = match paged {
        Some((memo, settings)) => {
            let what = format!("{:?} {ahead:?}", book.meta);
            match memo::digest(&[&settings, what.as_bytes()], None) {
                Some(key) => memo.contents_pages(key, count),
                None => count(),
            }
        }
        None => count(),
    };
    lay.tags = StructTree::default();
    counted
}

/// Where `page`'s chapter, paginated from page index `first`, put the
/// anchors a page list reads (its title's and its blocks'), as pages from
/// its first. An anchor an earlier chapter placed is left out: it stays
/// where that one put it, as in a layout of the whole book.
fn marks_of(page: &Page, first: usize, placement: &Placement) -> Vec<(String, usize, f32)> {
    let keys = std::iter::once(page.id.clone())
        .chain((0..page.blocks.len()).map(|i| layout::block_anchor(&page.id, i)));
    keys.filter_map(|key| {
        let &(at, y) = placement.anchors.get(&key)?;
        let page = at.checked_sub(first)?;
        Some((key, page, y))
    })
    .collect()
}

/// Runs `f` with the book's structure tree in `lay` (the cover, a
/// chapter's merge and the contents add to it), then hands the tree back
/// to `tree`, where the writer adds each page's marked content. Both sides
/// work on one thread, one after the other.
fn in_tree<T>(lay: &mut Layouter, tree: &SharedTree, f: impl FnOnce(&mut Layouter) -> T) -> T {
    lay.tags = tree.take();
    let out = f(lay);
    tree.put(std::mem::take(&mut lay.tags));
    out
}

/// Lays out the contents from the entries the chapters made, now that
/// their pages are known, onto the `counted` pages after the cover; the
/// entries' lines from `kept` when the count kept them.
fn contents(
    lay: &mut Layouter,
    book: &Book,
    column: Column,
    counted: usize,
    placement: &mut Placement,
    kept: &mut EntryLines,
) -> Result<Vec<PageOut>> {
    let marks: Vec<OutlineMark> = placement.outline.iter().map(|(m, ..)| m.clone()).collect();
    let from = lay.tags.top_count();
    let toc = front::contents(lay, &book.meta, &marks, kept);
    // The contents' section goes after the cover's.
    lay.tags.move_top(from, 1);
    let mut pages = layout::paginate(toc, column, None, 1, placement);
    if pages.len() > counted {
        bail!(
            "the contents took {} pages where {counted} were counted ahead",
            pages.len()
        );
    }
    // Entries counted ahead that the layout did not make (a heading with
    // nothing to set) can leave a page empty.
    pages.resize_with(counted, || PageOut {
        folio: true,
        ..PageOut::default()
    });
    front::fit_leaders(lay, placement, &mut pages);
    Ok(pages)
}
