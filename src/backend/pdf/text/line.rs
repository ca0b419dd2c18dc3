//! One line of a paragraph, from the breaker's items to drawing
//! operations: glue widths from the line's ratio, right-to-left pieces put
//! in visual order (Unicode bidi, rule L2), the line aligned (mirrored for
//! a right-to-left paragraph), glyphs gathered into runs.

use super::super::bidi;
use super::super::draw::{DrawOp, GlyphRun, LinkDest, PlacedGlyph};
use super::super::linebreak::{Break, FILL};
use super::super::tags::RunTag;
use super::scratch::{LineScratch, recycle};
use super::{Align, Frag, Item, Line, Picture, RunStyle, is_box};
use std::sync::Arc;

/// A link area of a line: from x, to x, where to, its tag.
type LinkArea = (f32, f32, Arc<LinkDest>, RunTag);

/// Collects glyphs into runs of one face, size, colour and baseline.
#[derive(Default)]
pub(super) struct RunBuilder {
    runs: Vec<GlyphRun>,
    extra: Vec<DrawOp>,
    links: Vec<LinkArea>,
    /// The last run's glyphs, gathered here and copied out at the run's
    /// end: the run keeps a vector of its exact size (pages hold their
    /// runs until the book is written), and this one is reused.
    glyphs: Vec<PlacedGlyph>,
}

impl RunBuilder {
    /// A builder gathering glyphs in `glyphs` and runs in `runs` (both
    /// cleared; handed back by [`RunBuilder::finish`] for the next line).
    pub(super) fn with_scratch(
        mut glyphs: Vec<PlacedGlyph>,
        mut runs: Vec<GlyphRun>,
    ) -> RunBuilder {
        glyphs.clear();
        runs.clear();
        RunBuilder {
            glyphs,
            runs,
            ..RunBuilder::default()
        }
    }

    /// The runs, the other drawing (strike lines) and the link areas, and
    /// the scratch vector back.
    pub(super) fn finish(
        mut self,
    ) -> (Vec<GlyphRun>, Vec<DrawOp>, Vec<LinkArea>, Vec<PlacedGlyph>) {
        self.end_run();
        (self.runs, self.extra, self.links, self.glyphs)
    }

    /// Moves the gathered glyphs into the last run.
    fn end_run(&mut self) {
        if let Some(run) = self.runs.last_mut()
            && !self.glyphs.is_empty()
        {
            run.glyphs.extend_from_slice(&self.glyphs);
            self.glyphs.clear();
        }
    }

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
            self.end_run();
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
        if let Some(run) = self.runs.last() {
            let mut pen = x;
            for (i, g) in frag.shaped.glyphs.iter().enumerate() {
                self.glyphs.push(PlacedGlyph {
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

/// A paragraph's direction, for its lines.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bidi {
    /// The paragraph runs right to left.
    pub(super) rtl: bool,
    /// Some of its text is right to left.
    pub(super) mixed: bool,
}

/// A piece of a line in logical order, with its width.
pub(super) enum Slot<'a> {
    Word(&'a Frag<'a>),
    /// Glue; the space glyph drawn there, if any (for text extraction).
    Space(Option<&'a Frag<'a>>, f32),
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
/// paragraph runs right to left (`direction.mixed`: it has right-to-left
/// text). `scratch` holds buffers kept from line to line.
#[allow(clippy::too_many_arguments)]
pub(super) fn render_line(
    items: &[Item],
    start: usize,
    b: Break,
    align: Align,
    measure: f32,
    baseline: f32,
    direction: Bidi,
    scratch: &mut LineScratch,
) -> Line {
    let rtl = direction.rtl;
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
    let end = b.at.min(items.len().saturating_sub(1));
    // A space is drawn only with a word after it on the line.
    let last_box = (first..=end)
        .rev()
        .find(|&i| items.get(i).is_some_and(is_box));
    let mut slots: Vec<Slot> = recycle(std::mem::take(&mut scratch.slots));
    slots.reserve((end + 1).saturating_sub(first));
    for (i, item) in items.iter().enumerate().take(end + 1).skip(first) {
        match item {
            Item::Box(f) => slots.push(Slot::Word(f)),
            Item::Picture(p, link, alt) => slots.push(Slot::Picture(p, link, alt)),
            Item::Glue {
                width,
                stretch,
                shrink,
                space,
            } if i != b.at => {
                let has_box_after = last_box.is_some_and(|l| l > i);
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
    if rtl || (direction.mixed && slots.iter().any(|s| bidi::has_rtl(s.text()))) {
        let texts: Vec<&str> = slots.iter().map(Slot::text).collect();
        let order = bidi::visual_order(&texts, rtl);
        let mut logical: Vec<Option<Slot>> = slots.into_iter().map(Some).collect();
        slots = order
            .into_iter()
            .filter_map(|i| logical.get_mut(i).and_then(Option::take))
            .collect();
    }
    // Words and the spaces drawn, at their x (`true`: a space).
    let mut all: Vec<(f32, &Frag, bool)> = recycle(std::mem::take(&mut scratch.placed));
    all.reserve(slots.len());
    let mut pictures = Vec::new();
    let mut x = 0.0f32;
    for slot in &slots {
        match *slot {
            Slot::Word(f) => all.push((x, f, false)),
            Slot::Space(Some(f), _) => all.push((x, f, true)),
            Slot::Space(None, _) => {}
            Slot::Picture(p, link, alt) => pictures.push((x, p, link, alt)),
        }
        x += slot.width();
    }
    let mut words = all.iter().filter(|a| !a.2);
    let size = words
        .clone()
        .next()
        .map(|(_, f, _)| f.style.size)
        .unwrap_or(10.0);
    let mut notes: Vec<u32> = words
        .by_ref()
        .filter_map(|(_, f, _)| f.style.note)
        .collect();
    notes.dedup();
    let width = x.min(measure);
    let dx = match align {
        Align::Center => ((measure - x) / 2.0).max(0.0),
        // A right-to-left paragraph is mirrored: ragged and last lines
        // stand at the right margin.
        _ if rtl => (measure - x).max(0.0),
        _ => 0.0,
    };
    let mut rb = RunBuilder::with_scratch(
        std::mem::take(&mut scratch.glyphs),
        std::mem::take(&mut scratch.runs),
    );
    // Spaces go in with the words so runs stay in reading order (a stable
    // sort: at one x, spaces first, else in line order).
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.2.cmp(&a.2)));
    for &(x, f, is_space) in &all {
        if is_space && (f.style.link.is_some() || f.style.strike) {
            let plain = RunStyle {
                link: None,
                strike: false,
                ..f.style.clone()
            };
            let f = Frag {
                style: &plain,
                ..f.clone()
            };
            rb.place(&f, x + dx, baseline);
        } else {
            rb.place(f, x + dx, baseline);
        }
    }
    let (mut runs, extra, links, glyphs) = rb.finish();
    scratch.glyphs = glyphs;
    scratch.placed = recycle(all);
    scratch.slots = recycle(slots);
    let mut ops: Vec<DrawOp> =
        Vec::with_capacity(runs.len() + extra.len() + links.len() + 2 * pictures.len());
    ops.extend(runs.drain(..).map(DrawOp::Text));
    scratch.runs = runs;
    ops.extend(extra);
    for (x0, x1, dest, tag) in links {
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
