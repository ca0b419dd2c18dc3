//! One line of a paragraph, from the breaker's items to drawing
//! operations: glue widths from the line's ratio, right-to-left pieces put
//! in visual order (Unicode bidi, rule L2), the line aligned (mirrored for
//! a right-to-left paragraph), glyphs gathered into runs.

use super::super::bidi;
use super::super::draw::{DrawOp, GlyphRun, LinkDest, PlacedGlyph};
use super::super::linebreak::{Break, FILL};
use super::super::tags::RunTag;
use super::{Align, Frag, Item, Line, Picture, is_box};
use std::sync::Arc;

/// Collects glyphs into runs of one face, size, colour and baseline.
pub(super) struct RunBuilder {
    pub(super) runs: Vec<GlyphRun>,
    pub(super) extra: Vec<DrawOp>,
    pub(super) links: Vec<(f32, f32, Arc<LinkDest>, RunTag)>,
}

impl RunBuilder {
    pub(super) fn place(&mut self, frag: &Frag, x: f32, baseline: f32) {
        let s = &frag.style;
        let y = baseline - s.rise;
        let same = self.runs.last().is_some_and(|r| {
            r.face == frag.face
                && r.size == s.size
                && r.color == s.color
                && r.oblique == frag.oblique
                && r.y == y
                && r.lang == s.lang
                && r.tag == s.tag
        });
        if !same {
            self.runs.push(GlyphRun {
                face: frag.face,
                size: s.size,
                color: s.color,
                oblique: frag.oblique,
                x,
                y,
                glyphs: Vec::new(),
                lang: s.lang.clone(),
                tag: s.tag,
                actual: Vec::new(),
            });
        }
        if let Some(run) = self.runs.last_mut() {
            let mut pen = x;
            run.glyphs.reserve(frag.shaped.glyphs.len());
            for (i, g) in frag.shaped.glyphs.iter().enumerate() {
                run.glyphs.push(PlacedGlyph {
                    gid: g.gid,
                    x: pen - run.x,
                    text: frag.shaped.text_of(i),
                });
                pen += g.advance * s.size;
            }
        }
        let w = frag.width();
        if s.strike {
            let sy = y - s.size * 0.28;
            self.extra.push(DrawOp::Line {
                x1: x,
                y1: sy,
                x2: x + w,
                y2: sy,
                width: s.size * 0.06,
                color: s.color,
            });
        }
        if let Some(dest) = &s.link {
            // Extend the previous area over the space between words.
            let extend = self.links.last().is_some_and(|(_, x1, d, t)| {
                **d == **dest && *t == s.tag && x - *x1 < s.size * 1.5
            });
            match self.links.last_mut() {
                Some(last) if extend => last.1 = x + w,
                _ => self.links.push((x, x + w, Arc::clone(dest), s.tag)),
            }
        }
    }
}

/// A piece of a line in logical order, with its width.
enum Slot<'a> {
    Word(&'a Frag),
    /// Glue; the space glyph drawn there, if any (for text extraction).
    Space(Option<&'a Frag>, f32),
    Picture(&'a Picture, &'a Option<Arc<LinkDest>>, &'a Arc<str>),
}

impl Slot<'_> {
    fn width(&self) -> f32 {
        match self {
            Slot::Word(f) => f.width(),
            Slot::Space(_, w) => *w,
            Slot::Picture(p, ..) => p.w,
        }
    }

    /// The text the bidi algorithm sees for it.
    fn text(&self) -> &str {
        match self {
            Slot::Word(f) => &f.shaped.text,
            Slot::Space(..) => " ",
            Slot::Picture(..) => "\u{fffc}",
        }
    }
}

/// Sets the items of one line (`start` to the break `b`); `rtl` when the
/// paragraph runs right to left.
pub(super) fn render_line(
    items: &[Item],
    start: usize,
    b: Break,
    align: Align,
    measure: f32,
    baseline: f32,
    rtl: bool,
) -> Line {
    // Skip what a break discards at the start of a line.
    let mut first = start;
    while first < b.at && !is_box(&items[first]) {
        first += 1;
    }
    let ratio = match align {
        // Very loose lines (emergency breaks) are set ragged rather than gappy.
        Align::Justify if b.ratio <= 3.0 => b.ratio,
        _ => 0.0,
    };
    let mut slots: Vec<Slot> = Vec::new();
    for i in first..=b.at.min(items.len() - 1) {
        match &items[i] {
            Item::Box(f) => slots.push(Slot::Word(f)),
            Item::Picture(p, link, alt) => slots.push(Slot::Picture(p, link, alt)),
            Item::Glue {
                width,
                stretch,
                shrink,
                space,
            } if i != b.at => {
                let has_box_after = items[i + 1..=b.at].iter().any(is_box);
                let w = if *stretch >= FILL {
                    0.0
                } else if ratio > 0.0 {
                    width + ratio * stretch
                } else {
                    width + ratio * shrink
                };
                slots.push(Slot::Space(space.as_ref().filter(|_| has_box_after), w));
            }
            Item::Penalty {
                hyphen: Some(h), ..
            } if i == b.at => slots.push(Slot::Word(h)),
            // The space the line breaks at is drawn too, with no width at
            // the line's end: text read in order (tagged PDF) keeps the
            // words apart.
            Item::Glue {
                space: Some(f),
                stretch,
                ..
            } if i == b.at && *stretch < FILL => slots.push(Slot::Space(Some(f), 0.0)),
            _ => {}
        }
    }
    // Right-to-left pieces in visual order: the line is broken in logical
    // order, then drawn left to right.
    if rtl || slots.iter().any(|s| bidi::has_rtl(s.text())) {
        let texts: Vec<&str> = slots.iter().map(Slot::text).collect();
        let order = bidi::visual_order(&texts, rtl);
        let mut logical: Vec<Option<Slot>> = slots.into_iter().map(Some).collect();
        slots = order
            .into_iter()
            .filter_map(|i| logical.get_mut(i).and_then(Option::take))
            .collect();
    }
    let mut placed: Vec<(f32, &Frag)> = Vec::new();
    let mut pictures = Vec::new();
    let mut spaces: Vec<(f32, &Frag)> = Vec::new();
    let mut x = 0.0f32;
    for slot in &slots {
        match *slot {
            Slot::Word(f) => placed.push((x, f)),
            Slot::Space(Some(f), _) => spaces.push((x, f)),
            Slot::Space(None, _) => {}
            Slot::Picture(p, link, alt) => pictures.push((x, p, link, alt)),
        }
        x += slot.width();
    }
    let width = x.min(measure);
    let dx = match align {
        Align::Center => ((measure - x) / 2.0).max(0.0),
        // A right-to-left paragraph is mirrored: ragged and last lines
        // stand at the right margin.
        _ if rtl => (measure - x).max(0.0),
        _ => 0.0,
    };
    let mut rb = RunBuilder {
        runs: Vec::new(),
        extra: Vec::new(),
        links: Vec::new(),
    };
    // Spaces go in with the words so runs stay in reading order.
    let mut all: Vec<(f32, &Frag, bool)> = placed.iter().map(|&(x, f)| (x, f, false)).collect();
    all.extend(spaces.iter().map(|&(x, f)| (x, f, true)));
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.2.cmp(&a.2)));
    for (x, f, is_space) in all {
        if is_space {
            let mut f = f.clone();
            f.style.link = None;
            f.style.strike = false;
            rb.place(&f, x + dx, baseline);
        } else {
            rb.place(f, x + dx, baseline);
        }
    }
    let size = placed.first().map(|(_, f)| f.style.size).unwrap_or(10.0);
    let mut ops: Vec<DrawOp> = rb.runs.into_iter().map(DrawOp::Text).collect();
    ops.extend(rb.extra);
    for (x0, x1, dest, tag) in rb.links {
        ops.push(DrawOp::Link {
            x: x0,
            y: baseline - size * 1.0,
            w: x1 - x0,
            h: size * 1.3,
            dest: (*dest).clone(),
            tag,
        });
    }
    for (x, picture, link, alt) in pictures {
        place_picture(&mut ops, (picture, alt), link.as_deref(), x + dx, baseline);
    }
    let mut notes: Vec<u32> = placed.iter().filter_map(|(_, f)| f.style.note).collect();
    notes.dedup();
    Line {
        ops,
        baseline,
        width,
        notes,
        hyphenated: matches!(items.get(b.at), Some(Item::Penalty { flagged: true, .. })),
        split: matches!(
            items.get(b.at),
            Some(Item::Penalty {
                hyphen: Some(_),
                ..
            })
        ),
    }
}

/// Draws an image of a line at `x`: standing on the baseline like a
/// letter, or from the top of the line when it is taller than that (the
/// layout keeps it within the line height); linked where its text is,
/// with its alternative text for the structure tree.
fn place_picture(
    ops: &mut Vec<DrawOp>,
    (picture, alt): (&Picture, &Arc<str>),
    link: Option<&LinkDest>,
    x: f32,
    baseline: f32,
) {
    let y = (baseline - picture.h).max(0.0);
    ops.push(DrawOp::Image {
        image: picture.image,
        x,
        y,
        w: picture.w,
        h: picture.h,
        alt: Some(Arc::clone(alt)),
    });
    if let Some(dest) = link {
        ops.push(DrawOp::Link {
            x,
            y,
            w: picture.w,
            h: picture.h,
            dest: dest.clone(),
            tag: RunTag::Item,
        });
    }
}
