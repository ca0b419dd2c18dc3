//! Footnotes: each note set once for the foot of the page its first
//! reference lands on (and, with `links: footnotes`, the notes that print
//! external links' URLs), and the notes no laid-out text refers to, listed
//! at the chapter's end.

use super::{Frame, Layouter, NoteBlock, VItem, VKind, trim_space};
use crate::backend::pdf::draw::{DrawOp, LinkDest};
use crate::backend::pdf::style::color;
use crate::backend::pdf::tags::{Kind, RunTag};
use crate::backend::pdf::text::{Align, RunStyle, anchor_key};
use crate::model::{BlockKind, Footnote, Page};
use std::collections::HashMap;
use std::sync::Arc;

/// How the notes of a page are set at its foot: their text style, and the
/// frame of their text, indented to fit the widest number.
struct NoteSetting {
    run: RunStyle,
    indent: f32,
    inner: Frame,
}

impl Layouter<'_> {
    /// The setting of notes numbered up to `last` in `frame`.
    fn note_setting(&self, last: u32, frame: Frame) -> NoteSetting {
        let run = RunStyle {
            size: self.style.footnotes.size,
            italic: false,
            ..self.body_style()
        };
        let widest = self
            .setter
            .set_text(&last.to_string(), &run, Align::Left, 1.0e4, 10.0)
            .first()
            .map_or(0.0, |l| l.width);
        // Room for the widest number and its gap: no number enters the margin.
        let indent = (widest + 5.0).max(14.0);
        NoteSetting {
            // The number's box at the left, or at the right in a
            // right-to-left book.
            inner: Frame {
                x: if self.rtl() {
                    frame.x
                } else {
                    frame.x + indent
                },
                width: frame.width - indent,
            },
            run,
            indent,
        }
    }

    /// Note `number`'s text set as `ops` (with `y` from the note's top) and
    /// `height`, with its number right-aligned before the text; the number
    /// links to `back` when given.
    fn note_block(
        &mut self,
        page: &Page,
        number: u32,
        setting: &NoteSetting,
        mut ops: Vec<DrawOp>,
        height: f32,
        back: Option<LinkDest>,
    ) -> Arc<NoteBlock> {
        let leading = self.style.footnotes.leading;
        if let Some(line) = self
            .setter
            .set_text(
                &number.to_string(),
                &setting.run,
                Align::Left,
                setting.indent * 2.0,
                leading,
            )
            .into_iter()
            .next()
        {
            let dx = if self.rtl() {
                setting.inner.x + setting.inner.width + 5.0
            } else {
                setting.inner.x - 5.0 - line.width
            } - line.left();
            if let Some(dest) = back {
                ops.push(DrawOp::Link {
                    x: dx,
                    y: 0.0,
                    w: line.width,
                    h: leading,
                    dest,
                    tag: RunTag::Item,
                });
            }
            ops.extend(line.ops.into_iter().map(|op| op.shifted(dx, 0.0)));
        }
        Arc::new(NoteBlock {
            height: height + 3.0,
            ops,
            key: anchor_key(&page.id, Some(&format!("fn-{number}"))),
            tag: Some(self.tags.add(Kind::Note, self.parent)),
        })
    }

    /// Each footnote of the page set for the foot of a page, its number
    /// linking back to the reference.
    pub(super) fn note_blocks(
        &mut self,
        page: &Page,
        frame: Frame,
    ) -> HashMap<u32, Arc<NoteBlock>> {
        let fs = self.style.footnotes.clone();
        let last = page.footnotes.iter().map(|f| f.number).max().unwrap_or(0);
        let setting = self.note_setting(last, frame);
        let inner = setting.inner;
        let mut out = HashMap::new();
        for note in &page.footnotes {
            let mut tmp = Vec::new();
            for block in &note.blocks {
                match &block.kind {
                    BlockKind::Paragraph { content } => {
                        self.pictures(&[content], fs.leading, inner.width, false, block.span.line);
                        let lines = self.setter.set(
                            content,
                            &setting.run,
                            Align::Justify,
                            inner.width,
                            fs.leading,
                        );
                        self.push_lines(lines, fs.leading, inner, &mut tmp);
                        tmp.push(VItem::space(2.0));
                    }
                    _ => self.block(block, inner, &mut tmp),
                }
            }
            trim_space(&mut tmp);
            let mut ops = Vec::new();
            let mut y = 0.0;
            for item in tmp {
                ops.extend(item.ops.into_iter().map(|op| op.shifted(0.0, y)));
                y += item.height;
            }
            let back = LinkDest::Anchor(anchor_key(
                &page.id,
                Some(&format!("fnref-{}", note.number)),
            ));
            let block = self.note_block(page, note.number, &setting, ops, y, Some(back));
            out.insert(note.number, block);
        }
        out
    }

    /// The notes of a chapter's external links (`links: footnotes`): note
    /// `first + i` prints `urls[i]`, linked.
    pub(super) fn url_note_blocks(
        &mut self,
        page: &Page,
        first: u32,
        urls: &[String],
        frame: Frame,
    ) -> HashMap<u32, Arc<NoteBlock>> {
        let leading = self.style.footnotes.leading;
        let last = first.saturating_add(u32::try_from(urls.len()).unwrap_or(u32::MAX));
        let setting = self.note_setting(last, frame);
        let inner = setting.inner;
        let mut out = HashMap::new();
        for (n, url) in (first..).zip(urls) {
            let linked = RunStyle {
                link: Some(Arc::new(LinkDest::Uri(url.clone()))),
                color: self.setter.link_color,
                ..setting.run.clone()
            };
            let lines = self
                .setter
                .set_text(url, &linked, Align::Left, inner.width, leading);
            let mut ops = Vec::new();
            let mut y = 0.0;
            for line in lines {
                ops.extend(line.ops.into_iter().map(|op| op.shifted(inner.x, y)));
                y += leading;
            }
            let block = self.note_block(page, n, &setting, ops, y, None);
            out.insert(n, block);
        }
        out
    }

    /// Notes that no laid-out text refers to, listed at the chapter's end.
    pub(super) fn footnotes(
        &mut self,
        page: &Page,
        notes: &[&Footnote],
        frame: Frame,
        out: &mut Vec<VItem>,
    ) {
        let fs = self.style.footnotes.clone();
        let h = self
            .style
            .headings
            .last()
            .cloned()
            .unwrap_or_else(|| self.style.chapter.clone());
        out.push(VItem::space(h.space_before));
        let mut rule = VItem::content(
            6.0,
            vec![DrawOp::Line {
                x1: frame.x,
                y1: 0.0,
                x2: frame.x + 60.0,
                y2: 0.0,
                width: 0.5,
                color: color(&self.style.colors.rule),
            }],
        );
        rule.keep_with_next = true;
        out.push(rule);
        let run = self.heading_run(&h);
        let lines = self.setter.set_text(
            self.labels.get(&fs.title),
            &run,
            Align::Heading,
            frame.width,
            h.leading,
        );
        for line in lines {
            let mut item = VItem::from_line(line, h.leading, frame.x);
            item.keep_with_next = true;
            out.push(item);
        }
        let indent = 18.0;
        let inner = Frame {
            x: frame.x + indent,
            width: frame.width - indent,
        };
        let run = RunStyle {
            size: fs.size,
            ..self.body_style()
        };
        for note in notes {
            let mut tmp = Vec::new();
            for block in &note.blocks {
                match &block.kind {
                    BlockKind::Paragraph { content } => {
                        self.pictures(&[content], fs.leading, inner.width, false, block.span.line);
                        let lines =
                            self.setter
                                .set(content, &run, Align::Justify, inner.width, fs.leading);
                        self.push_lines(lines, fs.leading, inner, &mut tmp);
                    }
                    _ => self.block(block, inner, &mut tmp),
                }
            }
            if let Some(first) = tmp.iter_mut().find(|i| i.kind == VKind::Content) {
                first
                    .anchors
                    .push(anchor_key(&page.id, Some(&format!("fn-{}", note.number))));
                let label = format!("{}.", note.number);
                let lines =
                    self.setter
                        .set_text(&label, &run, Align::Left, indent * 2.0, fs.leading);
                if let Some(line) = lines.into_iter().next() {
                    let dx = inner.x - 4.0 - line.width;
                    first
                        .ops
                        .extend(line.ops.into_iter().map(|op| op.shifted(dx, 0.0)));
                }
            }
            out.extend(tmp);
            out.push(VItem::space(3.0));
        }
    }
}
