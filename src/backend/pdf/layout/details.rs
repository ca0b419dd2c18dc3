//! Hugo's `details` shortcode, shown open as print has no folding: its
//! summary in bold over its content, both set in from a rule on the left
//! (as a quote, in the rule colour), the summary kept with what follows.

use super::{Frame, Layouter, VItem, VKind, trim_space};
use crate::backend::pdf::draw::{DrawOp, Rgb};
use crate::backend::pdf::style::color;
use crate::backend::pdf::text::{Align, RunStyle};
use crate::model::{Block, Inline};

impl Layouter<'_> {
    pub(super) fn details(
        &mut self,
        summary: &[Inline],
        blocks: &[Block],
        frame: Frame,
        out: &mut Vec<VItem>,
    ) {
        let body = self.style.body.clone();
        let inner = self.indented(frame, self.style.quote.indent);
        let mut tmp = Vec::new();
        let run = RunStyle {
            bold: true,
            ..self.body_style()
        };
        let lines = self
            .setter
            .set(summary, &run, Align::Left, inner.width, body.leading);
        self.push_lines(lines, body.leading, inner, &mut tmp);
        if let Some(last) = tmp.last_mut() {
            last.keep_with_next = true;
        }
        let mut gap = VItem::space(body.paragraph_space / 2.0);
        gap.keep_with_next = true;
        tmp.push(gap);
        self.blocks(blocks, inner, &mut tmp);
        let rule = color(&self.style.colors.rule);
        self.ruled(tmp, frame, inner, rule, out);
        out.push(VItem::space(body.paragraph_space));
    }

    /// `items` (laid out in `inner`) with a rule beside them at the left of
    /// `frame` (its right in a right-to-left book), unless deep nesting left
    /// no room to indent.
    pub(super) fn ruled(
        &self,
        mut items: Vec<VItem>,
        frame: Frame,
        inner: Frame,
        rule: Rgb,
        out: &mut Vec<VItem>,
    ) {
        trim_space(&mut items);
        let ruled = inner.width < frame.width;
        let w = self.style.quote.rule_width;
        let x = self.side(frame, frame.x + 2.0, w) + w / 2.0;
        for mut item in items {
            if item.kind == VKind::Content && ruled {
                item.ops.push(DrawOp::Line {
                    x1: x,
                    y1: 0.0,
                    x2: x,
                    y2: item.height,
                    width: w,
                    color: rule,
                });
            }
            out.push(item);
        }
    }
}
