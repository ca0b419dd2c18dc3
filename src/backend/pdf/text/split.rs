//! Words split by hyphenation read whole: the first half (hyphen
//! included) carries the whole word as its `/ActualText`, the second half
//! an empty one. Text extraction (pdftotext) and reading order (the
//! structure tree) then see one word where the page shows two pieces; the
//! soft-hyphen convention would need a ToUnicode entry per use of the
//! hyphen glyph, which a font's one ToUnicode map cannot give.

use super::Line;
use crate::backend::pdf::draw::{ActualText, DrawOp, GlyphRun};
use crate::backend::pdf::fonts::FontSet;

fn is_space(text: &str) -> bool {
    !text.is_empty() && text.chars().all(char::is_whitespace)
}

fn last_run(line: &mut Line) -> Option<&mut GlyphRun> {
    line.ops.iter_mut().rev().find_map(|op| match op {
        DrawOp::Text(run) => Some(run),
        _ => None,
    })
}

fn first_run(line: &mut Line) -> Option<&mut GlyphRun> {
    line.ops.iter_mut().find_map(|op| match op {
        DrawOp::Text(run) => Some(run),
        _ => None,
    })
}

/// Marks the halves of each word a line of `lines` ends in the middle of.
pub(super) fn mark_split_words(lines: &mut [Line], fonts: &FontSet) {
    let is_space = |g: &crate::backend::pdf::draw::PlacedGlyph| is_space(&fonts.glyph_text(g.text));
    for i in 1..lines.len() {
        let (head, tail) = lines.split_at_mut(i);
        let (Some(line_a), Some(line_b)) = (head.last_mut(), tail.first_mut()) else {
            continue;
        };
        if !line_a.split {
            continue;
        }
        let (Some(a), Some(b)) = (last_run(line_a), first_run(line_b)) else {
            continue;
        };
        let from = a.glyphs.iter().rposition(is_space).map_or(0, |p| p + 1);
        let to = b.glyphs.iter().position(is_space).unwrap_or(b.glyphs.len());
        let head: String = a
            .glyphs
            .get(from..)
            .unwrap_or_default()
            .iter()
            .map(|g| fonts.glyph_text(g.text))
            .collect::<Vec<_>>()
            .concat();
        let head = head
            .strip_suffix(['-', '\u{2010}'])
            .unwrap_or(&head)
            .to_string();
        let rest: String = b
            .glyphs
            .get(..to)
            .unwrap_or_default()
            .iter()
            .map(|g| fonts.glyph_text(g.text))
            .collect::<Vec<_>>()
            .concat();
        if head.is_empty() || rest.is_empty() {
            continue;
        }
        // A one-word line can be both halves: the spans must not overlap.
        if a.actual.last().is_some_and(|s| s.to > from) || !b.actual.is_empty() {
            continue;
        }
        a.actual.push(ActualText {
            from,
            to: a.glyphs.len(),
            text: head + &rest,
        });
        b.actual.insert(
            0,
            ActualText {
                from: 0,
                to,
                text: String::new(),
            },
        );
    }
}
