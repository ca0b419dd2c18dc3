//! Tables: column widths from the content, one unbreakable item per row,
//! the header row repeated at the top of each page the table continues on.

use super::{Frame, Layouter, VItem};
use crate::backend::pdf::draw::DrawOp;
use crate::backend::pdf::fonts::Variant;
use crate::backend::pdf::style::color;
use crate::backend::pdf::tags::{Kind, NodeId, Tag};
use crate::backend::pdf::text::{Align, RunStyle, Setter};
use crate::model::{Inline, Table, inlines_text};
use std::sync::Arc;

impl Layouter<'_> {
    pub(super) fn table(&mut self, table: &Table, line: u32, frame: Frame, out: &mut Vec<VItem>) {
        let ts = self.style.table.clone();
        let pad = ts.padding;
        let cols = table
            .head
            .len()
            .max(table.rows.iter().map(|r| r.len()).max().unwrap_or(0));
        if cols == 0 {
            return;
        }
        let base = RunStyle::plain(ts.family, false, ts.size, self.text_color);
        let head_style = RunStyle {
            bold: true,
            ..base.clone()
        };
        // Column widths from content: each column's widest unbroken word
        // (its minimum) and its longest cell (its natural width).
        let mut min_w = vec![0.0f32; cols];
        let mut max_w = vec![0.0f32; cols];
        let all_rows = std::iter::once((&table.head, &head_style))
            .chain(table.rows.iter().map(|r| (r, &base)));
        for (row, st) in all_rows {
            for (c, cell) in row.iter().enumerate().take(cols) {
                let text = inlines_text(cell);
                let (face, _) = self.fonts.slot(Variant {
                    family: st.family,
                    bold: st.bold,
                    italic: false,
                });
                let natural = self.fonts.width(face, st.size, &text);
                let widest = text
                    .split_whitespace()
                    .map(|w| self.fonts.width(face, st.size, w))
                    .fold(0.0f32, f32::max);
                max_w[c] = max_w[c].max(natural + 2.0 * pad + 1.0);
                min_w[c] = min_w[c].max(widest.min(frame.width / 3.0) + 2.0 * pad + 2.0);
            }
        }
        let avail = frame.width;
        let widths = column_widths(&min_w, &max_w, avail);
        // Images in cells are set in their lines, scaled to fit.
        let cells: Vec<&[Inline]> = std::iter::once(&table.head)
            .chain(&table.rows)
            .flatten()
            .map(Vec::as_slice)
            .collect();
        let narrowest = widths.iter().copied().fold(frame.width, f32::min);
        self.pictures(
            &cells,
            ts.leading,
            (narrowest - 2.0 * pad).max(4.0),
            false,
            line,
        );
        let rule = color(&self.style.colors.rule);
        let head_bg = color(&self.style.colors.table_header_background);
        // Columns run from the right in a right-to-left book.
        let rtl = self.rtl();
        // Each cell's operations are marked as its TH or TD node's.
        let row_item = |cells: &[Vec<Inline>],
                        st: &RunStyle,
                        header: bool,
                        setter: &Setter,
                        nodes: &[NodeId]|
         -> VItem {
            let mut ops = Vec::new();
            let mut height = 0.0f32;
            let mut x = frame.x;
            let mut cell_ops = Vec::new();
            let mut note_refs = Vec::new();
            for (c, w) in widths.iter().enumerate() {
                let align = match table.align.get(c) {
                    Some(crate::model::Align::Center) => Align::Center,
                    _ => Align::Left,
                };
                if let Some(cell) = cells.get(c) {
                    if let Some(&node) = nodes.get(c) {
                        cell_ops.push(DrawOp::Mark(Tag::Node(node)));
                    }
                    let lines = setter.set(cell, st, align, (w - 2.0 * pad).max(4.0), ts.leading);
                    let mut y = pad;
                    let cx = if rtl {
                        2.0 * frame.x + avail - x - w
                    } else {
                        x
                    };
                    for line in lines {
                        note_refs.extend(line.notes);
                        cell_ops.extend(line.ops.into_iter().map(|op| op.shifted(cx + pad, y)));
                        y += ts.leading;
                    }
                    height = height.max(y + pad);
                }
                x += w;
            }
            height = height.max(ts.leading + 2.0 * pad);
            if header {
                ops.push(DrawOp::Rect {
                    x: frame.x,
                    y: 0.0,
                    w: avail,
                    h: height,
                    color: head_bg,
                });
            }
            ops.extend(cell_ops);
            ops.push(DrawOp::Line {
                x1: frame.x,
                y1: height,
                x2: frame.x + avail,
                y2: height,
                width: if header {
                    ts.rule_width * 2.0
                } else {
                    ts.rule_width
                },
                color: rule,
            });
            VItem {
                note_refs,
                ..VItem::content(height, ops)
            }
        };
        out.push(VItem::space(2.0));
        let header = if table.head.iter().any(|c| !c.is_empty()) {
            let head = self.tags.add(Kind::THead, self.parent);
            let (tr, cells) = self.row_nodes(head, Kind::TH, cols);
            let mut h = row_item(&table.head, &head_style, true, &self.setter, &cells);
            h.keep_with_next = true;
            h.tag = Some(Tag::Node(tr));
            Some(Arc::new(h))
        } else {
            None
        };
        if let Some(h) = &header {
            out.push((**h).clone());
        }
        let body = self.tags.add(Kind::TBody, self.parent);
        for row in &table.rows {
            let (tr, cells) = self.row_nodes(body, Kind::TD, cols);
            let mut item = row_item(row, &base, false, &self.setter, &cells);
            item.header = header.clone();
            item.tag = Some(Tag::Node(tr));
            out.push(item);
        }
        out.push(VItem::space(self.style.body.paragraph_space + 4.0));
    }

    /// A row's `TR` node under `parent` and its `cols` cells of `cell`.
    fn row_nodes(&mut self, parent: NodeId, cell: Kind, cols: usize) -> (NodeId, Vec<NodeId>) {
        let tr = self.tags.add(Kind::TR, parent);
        let cells = (0..cols).map(|_| self.tags.add(cell, tr)).collect();
        (tr, cells)
    }
}

/// Column widths from each column's minimum (widest word) and natural
/// (longest cell) width: narrow columns get their natural width first, the
/// rest share what is left in proportion to what they could use.
fn column_widths(min_w: &[f32], max_w: &[f32], avail: f32) -> Vec<f32> {
    let sum_max: f32 = max_w.iter().sum();
    let sum_min: f32 = min_w.iter().sum();
    if sum_max <= avail {
        return max_w.iter().map(|w| w * avail / sum_max.max(1.0)).collect();
    }
    if sum_min >= avail {
        return min_w.iter().map(|w| w * avail / sum_min.max(1.0)).collect();
    }
    let n = max_w.len();
    let mut widths = min_w.to_vec();
    // Columns by natural width: the narrow ones are fixed first, each round
    // fixing those that fit the fair share of what is left. Sorted once, so
    // a table of thousands of columns stays n log n.
    let mut by_max: Vec<usize> = (0..n).collect();
    by_max.sort_by(|&a, &b| max_w[a].total_cmp(&max_w[b]));
    let mut fixed = 0;
    let mut left = avail;
    while fixed < n {
        let open = n - fixed;
        let fair = left / open as f32;
        let fits = by_max[fixed..]
            .iter()
            .take_while(|&&i| max_w[i] <= fair)
            .count();
        if fits == 0 {
            let rest = &by_max[fixed..];
            let open_min: f32 = rest.iter().map(|&i| min_w[i]).sum();
            let open_max: f32 = rest.iter().map(|&i| max_w[i]).sum();
            let f = ((left - open_min) / (open_max - open_min).max(1.0)).clamp(0.0, 1.0);
            for &i in rest {
                widths[i] = min_w[i] + (max_w[i] - min_w[i]) * f;
            }
            break;
        }
        for &i in &by_max[fixed..fixed + fits] {
            widths[i] = max_w[i];
            left -= max_w[i];
        }
        fixed += fits;
    }
    // Hand out any rounding rest to the last column.
    let total: f32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += avail - total;
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_widths_fill_the_measure() {
        let w = column_widths(&[20.0, 30.0, 40.0], &[40.0, 60.0, 900.0], 400.0);
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 0.01);
        assert_eq!(w[0], 40.0);
        assert_eq!(w[1], 60.0);
        // Narrow columns are fixed round by round, in any order.
        let w = column_widths(
            &[10.0, 10.0, 10.0, 10.0],
            &[300.0, 50.0, 120.0, 90.0],
            400.0,
        );
        assert_eq!((w[1], w[3]), (50.0, 90.0));
        assert!((w[2] - 120.0).abs() < 0.01, "{w:?}");
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 0.01);
    }

    #[test]
    fn many_columns_share_the_measure() {
        let n = 20_000;
        let min_w: Vec<f32> = (0..n).map(|i| 2.0 + (i % 7) as f32).collect();
        let max_w: Vec<f32> = (0..n).map(|i| 5.0 + (i % 13) as f32 * 3.0).collect();
        let w = column_widths(&min_w, &max_w, 451.0);
        assert_eq!(w.len(), n);
        assert!((w.iter().sum::<f32>() - 451.0).abs() < 0.5);
    }
}
