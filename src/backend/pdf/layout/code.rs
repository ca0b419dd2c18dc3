//! Code blocks: verbatim lines on a shaded ground, long lines wrapped at
//! a space or punctuation near the end, every character kept.

use super::{Frame, Layouter, VItem};
use crate::backend::pdf::draw::DrawOp;
use crate::backend::pdf::fonts::{LocalFonts, Variant};
use crate::backend::pdf::style::{FamilyName, color};
use crate::backend::pdf::text::RunStyle;

impl Layouter<'_> {
    pub(super) fn code(&mut self, text: &str, frame: Frame, out: &mut Vec<VItem>) {
        let cs = self.style.code.clone();
        let bg = color(&self.style.colors.code_background);
        let pad = cs.padding;
        let run = RunStyle::plain(FamilyName::Mono, false, cs.size, self.text_color);
        let inner = frame.width - 2.0 * pad;
        let rect = |h: f32| DrawOp::Rect {
            x: frame.x,
            y: 0.0,
            w: frame.width,
            h,
            color: bg,
        };
        out.push(VItem::space(2.0));
        let mut top = VItem::content(pad, vec![rect(pad)]);
        top.keep_with_next = true;
        out.push(top);
        let text = text
            .strip_suffix('\n')
            .unwrap_or(text)
            .replace('\t', "    ");
        let mut items = Vec::new();
        for src_line in text.split('\n') {
            for piece in wrap_code(self.fonts, &run, src_line, inner) {
                let mut ops = vec![rect(cs.leading)];
                if !piece.trim().is_empty() {
                    let line = self.setter.set_verbatim(&piece, &run, cs.leading);
                    ops.extend(
                        line.ops
                            .into_iter()
                            .map(|op| op.shifted(frame.x + pad, 0.0)),
                    );
                }
                items.push(VItem::content(cs.leading, ops));
            }
        }
        let n = items.len();
        for (i, mut item) in items.into_iter().enumerate() {
            item.keep_with_next = n > 1 && (i == 0 || i + 2 == n);
            out.push(item);
        }
        out.push(VItem::content(pad, vec![rect(pad)]));
        out.push(VItem::space(self.style.body.paragraph_space + 2.0));
    }
}

/// Splits a code line into pieces no wider than `width`, at a space or
/// punctuation when one is near the end, else between characters. Every
/// character is kept.
fn wrap_code(fonts: &LocalFonts, run: &RunStyle, line: &str, width: f32) -> Vec<String> {
    let (face, _) = fonts.slot(Variant {
        family: run.family,
        bold: run.bold,
        italic: false,
    });
    if fonts.width(face, run.size, line) <= width {
        return vec![line.to_string()];
    }
    let char_w = fonts.width(face, run.size, "M").max(0.1);
    let per_line = ((width / char_w).floor() as usize).max(8);
    let chars: Vec<char> = line.chars().collect();
    // Continuation lines sit two spaces deeper than the line's own indent.
    let own = chars.iter().take_while(|c| **c == ' ').count();
    let indent = " ".repeat((own + 2).min(per_line / 2));
    let mut out = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let limit = if out.is_empty() {
            per_line
        } else {
            per_line - indent.len()
        };
        let mut end = (start + limit).min(chars.len());
        if end < chars.len() {
            // Prefer to break after a space or punctuation in the last third.
            if let Some(p) = (start + limit * 2 / 3..end).rev().find(|&i| {
                matches!(
                    chars[i],
                    ' ' | ',' | ';' | '/' | '.' | '-' | '&' | '?' | '=' | '>'
                )
            }) {
                end = p + 1;
            }
        }
        let piece: String = chars[start..end].iter().collect();
        out.push(if out.is_empty() {
            piece
        } else {
            format!("{indent}{piece}")
        });
        start = end;
    }
    out
}
