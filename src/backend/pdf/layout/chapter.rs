//! A page as a chapter: its heading (title, accent rule, byline,
//! description), its blocks, and its footnotes attached to the items that
//! refer to them.

use super::structure::claim;
use super::{Frame, Layouter, VItem, VKind, min_heading_level};
use crate::backend::pdf::draw::DrawOp;
use crate::backend::pdf::style::LinkPrint;
use crate::backend::pdf::style::{FamilyName, color};
use crate::backend::pdf::tags::{Kind, ROOT};
use crate::backend::pdf::text::{Align, LinkNotes, RunStyle, anchor_key};
use crate::model::{Footnote, Page};
use std::sync::Arc;

impl Layouter<'_> {
    /// The vertical items of one page as a chapter: title, blocks, notes.
    pub fn chapter(&mut self, page: &Page) -> Vec<VItem> {
        self.setter.page_id = page.id.clone();
        // Hyphenated by the page's own language (a translation's, say).
        if !page.lang.is_empty() {
            self.setter.lang = page.lang.clone();
        }
        self.page_source = page.source.clone();
        self.fonts.set_context(&page.source);
        self.fonts.set_language(&self.setter.lang);
        self.min_level = min_heading_level(&page.blocks).unwrap_or(1);
        self.chapter_depth = page.depth;
        let sect = self.open_chapter(page.depth, page.section);
        self.parent = sect;
        if !page.lang.is_empty() && page.lang != self.book_lang {
            self.tags.set_lang(sect, &page.lang);
        }
        let mut out = Vec::new();
        let frame = Frame {
            x: self.left,
            width: self.width,
        };
        // URL notes are numbered after the page's own notes.
        let first = page.footnotes.iter().map(|f| f.number).max().unwrap_or(0) + 1;
        *self.setter.link_notes.borrow_mut() =
            (self.style.links == LinkPrint::Footnotes).then(|| LinkNotes {
                first,
                urls: Vec::new(),
            });
        self.chapter_head(page, frame, &mut out);
        for (i, block) in page.blocks.iter().enumerate() {
            let at = out.len();
            self.block(block, frame, &mut out);
            // Where a print page that starts here begins in the EPUB.
            if let Some(item) = out
                .get_mut(at..)
                .and_then(|new| new.iter_mut().find(|item| item.kind == VKind::Content))
            {
                item.anchors.push(block_anchor(&page.id, i));
            }
        }
        // Notes are set with links coloured only: a URL in a note gets no note.
        let urls = self
            .setter
            .link_notes
            .take()
            .map(|n| n.urls)
            .unwrap_or_default();
        if !page.footnotes.is_empty() || !urls.is_empty() {
            // Each note goes with the first item that refers to it; notes
            // referred to nowhere the layout can see go at the chapter's end.
            // A URL note goes with every item that refers to it: pagination
            // sets it once on each page they are on.
            let mut blocks = self.note_blocks(page, frame);
            blocks.extend(self.url_note_blocks(page, first, &urls, frame));
            let mut attached = std::collections::HashSet::new();
            // A note's node goes after the block that first refers to it.
            let mut placed = std::collections::HashSet::new();
            let mut moves = Vec::new();
            for item in out.iter_mut() {
                for n in item.note_refs.clone() {
                    item.anchors
                        .push(anchor_key(&page.id, Some(&format!("fnref-{n}"))));
                    if let Some(b) = blocks.get(&n).filter(|_| n >= first || attached.insert(n)) {
                        if let Some(note) = b.tag.filter(|_| placed.insert(n)) {
                            moves.push((note, item.tag));
                        }
                        item.notes.push(Arc::clone(b));
                    }
                }
            }
            for (note, at) in moves {
                self.place_note(note, at);
            }
            let rest: Vec<&Footnote> = page
                .footnotes
                .iter()
                .filter(|f| !attached.contains(&f.number))
                .collect();
            if !rest.is_empty() {
                self.within(Kind::Note, &mut out, |lay, out| {
                    lay.footnotes(page, &rest, frame, out);
                });
            }
        }
        claim(&mut out, 0, sect);
        self.parent = ROOT;
        out
    }

    /// The title with its accent rule, the byline and the description.
    fn chapter_head(&mut self, page: &Page, frame: Frame, out: &mut Vec<VItem>) {
        let ch = self.style.chapter.clone();
        let start = out.len();
        let title = self.tags.add(Kind::H(1), self.parent);
        let run = RunStyle {
            // Left in the source language by a translation: marked so.
            lang: page.title_lang.as_deref().map(Arc::from),
            ..self.heading_run(&ch)
        };
        let lines =
            self.setter
                .set_text(&page.title, &run, Align::Heading, frame.width, ch.leading);
        let n = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let mut item = VItem::from_line(line, ch.leading, frame.x);
            item.keep_with_next = true;
            if i == 0 {
                item.anchors.push(page.id.clone());
                item.outline = Some(super::marks::chapter_mark(page));
            }
            if i + 1 == n {
                // An accent rule under the chapter title.
                item.height += 8.0;
                let x = self.side(frame, frame.x, 48.0);
                item.ops.push(DrawOp::Line {
                    x1: x,
                    y1: ch.leading + 6.0,
                    x2: x + 48.0,
                    y2: ch.leading + 6.0,
                    width: 2.5,
                    color: color(&self.style.colors.accent),
                });
            }
            out.push(item);
        }
        claim(out, start, title);
        if let Some(byline) = &page.byline {
            // In the heading's family, small and muted, close under the rule.
            let size = self.style.body.size * 0.9;
            let leading = size * 1.4;
            let run = RunStyle::plain(ch.family, false, size, color(&self.style.colors.muted));
            out.push(VItem::space(4.0));
            let lines =
                self.setter
                    .set_text(&byline.line(), &run, Align::Left, frame.width, leading);
            let start = out.len();
            for line in lines {
                let mut item = VItem::from_line(line, leading, frame.x);
                item.keep_with_next = true;
                out.push(item);
            }
            let p = self.tags.add(Kind::P, self.parent);
            claim(out, start, p);
        }
        out.push(VItem::space(ch.space_after));
        if let Some(desc) = page.description.as_deref().filter(|d| !d.trim().is_empty()) {
            let run = RunStyle {
                family: FamilyName::Sans,
                size: self.style.body.size * 1.1,
                color: color(&self.style.colors.muted),
                lang: page.description_lang.as_deref().map(Arc::from),
                ..self.body_style()
            };
            let leading = self.style.body.leading * 1.1;
            let lines = self
                .setter
                .set_text(desc, &run, Align::Left, frame.width, leading);
            let start = out.len();
            self.push_lines(lines, leading, frame, out);
            let p = self.tags.add(Kind::P, self.parent);
            claim(out, start, p);
            out.push(VItem::space(self.style.body.paragraph_space * 2.0));
        }
    }
}

/// The anchor key of top-level block `index` of page `page_id`: a control
/// character keeps it apart from every anchor a document can name.
pub fn block_anchor(page_id: &str, index: usize) -> String {
    format!("{page_id}\u{1}{index}")
}
