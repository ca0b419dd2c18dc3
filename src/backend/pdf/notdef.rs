//! Characters no font has are shaped as glyph 0 (`.notdef`). PDF/A-2
//! (6.2.11.8) forbids showing that glyph with a text operator, so it never
//! reaches a `TJ`: it is taken out of its run and drawn as what it would
//! have looked like, an empty box as wide as the glyph's advance, in the
//! text's colour. The character is already reported as missing (its page
//! file and line) when the text is shaped.

use super::draw::{DrawOp, GlyphRun};
use super::fonts::FontSet;

/// Takes the `.notdef` glyphs out of `run` and returns the boxes that stand
/// for them (none, and no allocation, for the usual run without one).
pub fn take_boxes(run: &mut GlyphRun, fonts: &FontSet) -> Vec<DrawOp> {
    if run.glyphs.iter().all(|g| g.gid != 0) {
        return Vec::new();
    }
    // The other glyphs keep their places: each is positioned from the
    // run's start, not from the glyph before it.
    let advance = fonts.face(run.face).pdf_width(0) * run.size / 1000.0;
    let mut boxes = Vec::new();
    // `actual` ranges count glyphs: they move back over the glyphs taken
    // out before them.
    let mut removed_before = Vec::with_capacity(run.glyphs.len() + 1);
    let mut removed = 0;
    for g in &run.glyphs {
        removed_before.push(removed);
        removed += usize::from(g.gid == 0);
    }
    removed_before.push(removed);
    for span in &mut run.actual {
        span.from -= removed_before.get(span.from).copied().unwrap_or(removed);
        span.to -= removed_before.get(span.to).copied().unwrap_or(removed);
    }
    run.glyphs.retain(|g| {
        if g.gid != 0 {
            return true;
        }
        if advance > 0.0 {
            let h = 0.7 * run.size;
            boxes.push(DrawOp::Frame {
                x: run.x + g.x + 0.1 * advance,
                y: run.y - h,
                w: 0.8 * advance,
                h,
                width: (run.size / 20.0).max(0.25),
                color: run.color,
            });
        }
        false
    });
    boxes
}
