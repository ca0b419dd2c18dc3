//! QR codes drawn as vector rectangles, one per run of dark modules (runs
//! repeated on the next rows merged into one taller rectangle), so the
//! symbol is crisp at any size and zoom; its text below, small, as a link
//! when it is an address. Symbol and text are one unbreakable item.

use super::embed::visible_link;
use super::{Frame, Layouter, VItem};
use crate::backend::pdf::draw::DrawOp;
use crate::backend::pdf::style::{FamilyName, color};
use crate::backend::pdf::tags::{Kind, Tag};
use crate::backend::pdf::text::{Align, RunStyle};
use crate::model::{Inline, Qr};

/// The symbol's side when that gives modules of a usable size, in points
/// (about 35 mm: a phone reads it from a page held in the hand).
const SIDE: f32 = 100.0;
/// Module sizes kept between these, in points (0.5 mm to 1.4 mm).
const MODULE_MIN: f32 = 1.5;
const MODULE_MAX: f32 = 4.0;
/// Light modules around the symbol scanners need.
const QUIET: f32 = 4.0;

impl Layouter<'_> {
    pub(super) fn qr(&mut self, qr: &Qr, frame: Frame, out: &mut Vec<VItem>) {
        let n = qr.size().max(1) as f32;
        let fs = self.style.figure.clone();
        let max_side = (self.text_height * fs.max_height_ratio).min(frame.width);
        let mut module = (SIDE / n).clamp(MODULE_MIN, MODULE_MAX);
        if (n + 2.0 * QUIET) * module > max_side {
            module = max_side / (n + 2.0 * QUIET);
        }
        let side = n * module;
        let x0 = frame.x + (frame.width - side) / 2.0;
        let y0 = QUIET * module;
        let black = [0.0, 0.0, 0.0];
        let mut ops: Vec<DrawOp> = merged_runs(qr)
            .into_iter()
            .map(|(row, first, len, rows)| DrawOp::Rect {
                x: x0 + first as f32 * module,
                y: y0 + row as f32 * module,
                w: len as f32 * module,
                h: rows as f32 * module,
                color: black,
            })
            .collect();
        let modules = ops.len();
        let mut height = y0 + side + QUIET * module;
        let caption = if qr.text.contains("://") && !qr.text.contains(char::is_whitespace) {
            vec![visible_link(&qr.text)]
        } else {
            vec![Inline::Text {
                text: qr.text.clone(),
            }]
        };
        let run = RunStyle::plain(
            FamilyName::Sans,
            false,
            fs.caption_size,
            color(&self.style.colors.muted),
        );
        let width = frame.width * 0.85;
        for line in self
            .setter
            .set(&caption, &run, Align::Center, width, fs.caption_leading)
        {
            ops.extend(
                line.ops
                    .into_iter()
                    .map(|op| op.shifted(frame.x + (frame.width - width) / 2.0, height)),
            );
            height += fs.caption_leading;
        }
        // The modules are the figure (its Alt the encoded text); the text
        // under it is its caption.
        let node = self.tags.add(Kind::Figure, self.parent);
        let alt = qr.alt.clone().filter(|a| !a.trim().is_empty());
        self.tags
            .set_alt(node, alt.unwrap_or_else(|| qr.text.clone()));
        let caption = self.tags.add(Kind::Caption, self.parent);
        ops.insert(modules, DrawOp::Mark(Tag::Node(caption)));
        out.push(VItem::space(self.style.body.paragraph_space / 2.0));
        out.push(VItem {
            tag: Some(Tag::Node(node)),
            ..VItem::content(height, ops)
        });
        out.push(VItem::space(self.style.body.paragraph_space));
    }
}

/// The dark runs of `qr` as `(row, first column, length, rows)`: a run
/// the rows below repeat exactly is one rectangle `rows` high.
fn merged_runs(qr: &Qr) -> Vec<(usize, usize, usize, usize)> {
    let mut out: Vec<(usize, usize, usize, usize)> = Vec::new();
    // Runs still growing downwards: (first, len) -> index in `out`.
    let mut open: std::collections::HashMap<(usize, usize), usize> = Default::default();
    let mut current_row = usize::MAX;
    let mut seen_this_row: Vec<(usize, usize)> = Vec::new();
    for (row, first, len) in qr.dark_runs() {
        if row != current_row {
            // A run not continued on this row stops growing.
            open.retain(|k, _| seen_this_row.contains(k));
            seen_this_row.clear();
            if row != current_row.wrapping_add(1) {
                open.clear();
            }
            current_row = row;
        }
        seen_this_row.push((first, len));
        match open.get(&(first, len)).and_then(|&i| out.get_mut(i)) {
            Some(rect) if rect.0 + rect.3 == row => rect.3 += 1,
            _ => {
                open.insert((first, len), out.len());
                out.push((row, first, len, 1));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_runs_merge_and_cover_every_dark_module() {
        let qr = Qr {
            text: String::new(),
            alt: None,
            modules: vec!["##.#".into(), "##.#".into(), "#..#".into(), "##..".into()],
        };
        let rects = merged_runs(&qr);
        let mut dark = vec![vec![false; 4]; 4];
        for &(row, first, len, rows) in &rects {
            for (r, line) in dark.iter_mut().enumerate().skip(row).take(rows) {
                for (c, cell) in line.iter_mut().enumerate().skip(first).take(len) {
                    assert!(!*cell, "module {r},{c} drawn twice");
                    *cell = true;
                }
            }
        }
        for (r, line) in qr.modules.iter().enumerate() {
            for (c, ch) in line.chars().enumerate() {
                assert_eq!(dark[r][c], ch == '#', "module {r},{c}");
            }
        }
        // `##` over two rows and the right column over three: merged.
        assert!(rects.contains(&(0, 0, 2, 2)));
        assert!(rects.contains(&(0, 3, 1, 3)));
        assert_eq!(rects.len(), 4);
    }
}
