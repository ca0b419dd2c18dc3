//! Lists: each item's blocks indented, its marker (number, bullet by
//! depth, or a drawn task box) set beside its first line, right-aligned in
//! a label box as wide as the list's widest marker, so that no marker
//! enters the margin (items 10 and on of a numbered list).

use super::structure::claim;
use super::{Frame, Layouter, VItem, VKind, trim_space};
use crate::backend::pdf::draw::DrawOp;
use crate::backend::pdf::tags::{Kind, Tag};
use crate::backend::pdf::text::{Align, Line, RunStyle};

/// Space between a list marker and its item's text (points).
const LABEL_GAP: f32 = 5.0;

impl Layouter<'_> {
    pub(super) fn list(
        &mut self,
        start: Option<u64>,
        items: &[crate::model::ListItem],
        frame: Frame,
        out: &mut Vec<VItem>,
    ) {
        let depth = self.list_depth;
        let run = RunStyle {
            italic: false,
            ..self.body_style()
        };
        let markers: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(n, item)| match (start, item.task) {
                // Task boxes are drawn (the shipped fonts have no ballot box).
                (_, Some(_)) => String::new(),
                (Some(s), None) => format!("{}.", s.saturating_add(n as u64)),
                (None, None) => {
                    let b = &self.style.lists.bullets;
                    b.get(depth % b.len().max(1))
                        .cloned()
                        .unwrap_or_else(|| "•".into())
                }
            })
            .collect();
        let leading = self.style.body.leading;
        let labels: Vec<Option<Line>> = markers
            .iter()
            .map(|m| {
                let lines = self.setter.set_text(m, &run, Align::Left, 1.0e4, leading);
                lines.into_iter().next()
            })
            .collect();
        let widest = labels
            .iter()
            .flatten()
            .map(|l| l.width)
            .fold(0.0f32, f32::max);
        let indent = self.style.lists.indent.max(widest + LABEL_GAP);
        let inner = self.indented(frame, indent);
        self.list_depth += 1;
        for (item, label) in items.iter().zip(labels) {
            let mut tmp = Vec::new();
            // LI holds the marker (Lbl) and the item's blocks (LBody).
            let li = self.tags.add(Kind::LI, self.parent);
            let lbl = self.tags.add(Kind::Lbl, li);
            let body = self.tags.add(Kind::LBody, li);
            let saved = std::mem::replace(&mut self.parent, body);
            self.blocks(&item.blocks, inner, &mut tmp);
            self.parent = saved;
            claim(&mut tmp, 0, body);
            trim_space(&mut tmp);
            // Tight lists: items separated by a small space only.
            for it in tmp.iter_mut() {
                if it.kind == VKind::Space && it.height == self.style.body.paragraph_space {
                    it.height = self.style.lists.item_space;
                }
            }
            if let Some(first) = tmp.iter_mut().find(|i| i.kind == VKind::Content) {
                let baseline = first.baseline.unwrap_or(self.style.body.leading * 0.75);
                if let Some(line) = label {
                    // Before the item's text: at its right in a
                    // right-to-left book.
                    let dx = if self.rtl() {
                        inner.x + inner.width + LABEL_GAP
                    } else {
                        inner.x - LABEL_GAP - line.width
                    } - line.left();
                    let dy = baseline - line.baseline;
                    first.ops.push(DrawOp::Mark(Tag::Node(lbl)));
                    first
                        .ops
                        .extend(line.ops.into_iter().map(|op| op.shifted(dx, dy)));
                }
                if let Some(checked) = item.task {
                    let side = run.size * 0.72;
                    let x = if self.rtl() {
                        inner.x + inner.width + 6.0
                    } else {
                        inner.x - 6.0 - side
                    };
                    let y = baseline - side;
                    first.ops.push(DrawOp::Frame {
                        x,
                        y,
                        w: side,
                        h: side,
                        width: 0.6,
                        color: run.color,
                    });
                    if checked {
                        let tick = |x1: f32, y1: f32, x2: f32, y2: f32| DrawOp::Line {
                            x1: x + x1 * side,
                            y1: y + y1 * side,
                            x2: x + x2 * side,
                            y2: y + y2 * side,
                            width: 1.0,
                            color: run.color,
                        };
                        first.ops.push(tick(0.2, 0.55, 0.42, 0.8));
                        first.ops.push(tick(0.42, 0.8, 0.85, 0.2));
                    }
                }
            }
            out.extend(tmp);
            out.push(VItem::space(self.style.lists.item_space));
        }
        self.list_depth -= 1;
        if let Some(last) = out.last_mut() {
            last.height = self.style.body.paragraph_space;
        }
    }
}
