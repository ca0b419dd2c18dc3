//! Turns one laid-out page into its content stream: glyph runs as
//! positioned glyph ids (kerning and justification as TJ offsets against the
//! `/W` widths), rules, rectangles and images. Glyph ids are renumbered into
//! each face's subset as they are written ([`Glyphs`]), so a page's content
//! is final, and can be written out, before the fonts are.

use super::draw::{DrawOp, GlyphRun, PlacedGlyph, Rgb};
use super::fonts::{FontSet, TextId};
use super::layout::{PageOut, Placement};
use super::links::LinkArea;
use super::ops::Ops;
use pdf_writer::Settings;
use std::collections::BTreeMap;
use subsetter::GlyphRemapper;

/// Slant of a synthesised oblique (tan 12°).
const OBLIQUE: f32 = 0.2126;

/// pdf-writer's settings for folio's files: no pretty-printing.
pub const COMPACT: Settings = Settings { pretty: false };

/// The resource name of image `i`.
pub fn image_name(i: usize) -> String {
    format!("Im{i}")
}

/// The glyphs used of one face: old glyph id → subset glyph id (the CID),
/// and the text each subset glyph stands for.
#[derive(Default)]
pub struct FaceUse {
    pub remap: GlyphRemapper,
    /// Text by CID (CIDs are numbered from 0 as glyphs are first used); the
    /// first text a glyph was drawn for is kept.
    pub texts: Vec<TextId>,
}

impl FaceUse {
    /// Records `text` for `cid` unless it has one.
    fn note_text(&mut self, cid: u16, text: TextId) {
        let i = usize::from(cid);
        if self.texts.len() <= i {
            self.texts.resize(i + 1, TextId::NONE);
        }
        if let Some(slot) = self.texts.get_mut(i).filter(|t| t.is_none()) {
            *slot = text;
        }
    }
}

/// The glyphs used so far, by face index.
pub type Glyphs = BTreeMap<usize, FaceUse>;

/// What a page needs besides its content.
pub struct PageContent {
    /// The uncompressed content stream.
    pub bytes: Vec<u8>,
    /// Clickable areas in PDF coordinates (origin at the trim box's bottom
    /// left).
    pub links: Vec<LinkArea>,
}

/// Tracks text state inside one page's content so that state operators are
/// only written when something changes.
struct PageWriter<'a> {
    fonts: &'a FontSet,
    page_h: f32,
    content: Ops,
    in_text: bool,
    font: Option<(usize, f32)>,
    fill: Option<Rgb>,
    glyphs: &'a mut Glyphs,
    /// Reused buffer of one run's glyph ids.
    ids: Vec<u16>,
}

impl PageWriter<'_> {
    fn end_text(&mut self) {
        if self.in_text {
            self.content.op("ET");
            self.in_text = false;
        }
    }

    fn set_fill(&mut self, c: Rgb) {
        if self.fill != Some(c) {
            self.content.nums(&c).op("rg");
            self.fill = Some(c);
        }
    }

    fn text(&mut self, run: GlyphRun) {
        let Some(first) = run.glyphs.first() else {
            return;
        };
        if !self.in_text {
            self.content.op("BT");
            self.in_text = true;
            self.font = None;
        }
        let face = self.fonts.face(run.face);
        if self.font != Some((run.face, run.size)) {
            self.content.name(&face.pdf_id).num(run.size).op("Tf");
            self.font = Some((run.face, run.size));
        }
        self.set_fill(run.color);
        if let Some(lang) = &run.lang {
            self.content.begin_lang(lang);
        }
        let y = self.page_h - run.y;
        let x0 = run.x + first.x;
        let slant = if run.oblique { OBLIQUE } else { 0.0 };
        self.content.nums(&[1.0, 0.0, slant, 1.0, x0, y]).op("Tm");
        let used = self.glyphs.entry(run.face).or_default();
        let items = &mut self.content;
        items.begin_array();
        let ids = &mut self.ids;
        ids.clear();
        let mut glyphs = run.glyphs.into_iter().peekable();
        while let Some(PlacedGlyph { gid, x, text }) = glyphs.next() {
            let cid = used.remap.remap(gid);
            ids.push(cid);
            // Glyph 0 (.notdef) is the box of every character the face
            // lacks: it is never mapped to a character.
            if gid != 0 && !text.is_none() {
                used.note_text(cid, text);
            }
            // The viewer advances by the /W width; the TJ offset moves the
            // pen from there to where the next glyph belongs.
            let Some(next) = glyphs.peek() else { break };
            let offset = face.pdf_width(gid) - (next.x - x) * 1000.0 / run.size;
            let offset = (offset * 10.0).round() / 10.0;
            if offset != 0.0 {
                items.glyphs(ids);
                items.adjust(offset);
                ids.clear();
            }
        }
        if !ids.is_empty() {
            items.glyphs(ids);
        }
        items.end_array_tj();
        if run.lang.is_some() {
            items.end_marked();
        }
    }

    fn op(&mut self, op: DrawOp, images: usize, placement: &Placement, links: &mut Vec<LinkArea>) {
        let h = self.page_h;
        match op {
            DrawOp::Text(run) => self.text(run),
            DrawOp::Rect {
                x,
                y,
                w,
                h: rh,
                color,
            } => {
                self.end_text();
                self.set_fill(color);
                self.content.nums(&[x, h - y - rh, w, rh]).op("re").op("f");
            }
            DrawOp::Frame {
                x,
                y,
                w,
                h: rh,
                width,
                color,
            } => {
                self.end_text();
                self.content
                    .nums(&color)
                    .op("RG")
                    .num(width)
                    .op("w")
                    .nums(&[x, h - y - rh, w, rh])
                    .op("re")
                    .op("S");
            }
            DrawOp::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
            } => {
                self.end_text();
                self.content
                    .nums(&color)
                    .op("RG")
                    .num(width)
                    .op("w")
                    .nums(&[x1, h - y1])
                    .op("m")
                    .nums(&[x2, h - y2])
                    .op("l")
                    .op("S");
            }
            DrawOp::Image {
                image,
                x,
                y,
                w,
                h: ih,
            } => {
                if image >= images {
                    return;
                }
                self.end_text();
                self.content
                    .op("q")
                    .nums(&[w, 0.0, 0.0, ih, x, h - y - ih])
                    .op("cm")
                    .name(&image_name(image))
                    .op("Do")
                    .op("Q");
            }
            DrawOp::Link {
                x,
                y,
                w,
                h: lh,
                dest,
            } => links.push(LinkArea {
                rect: [x, h - y - lh, x + w, h - y],
                dest,
            }),
            DrawOp::PageNumberOf {
                key,
                right,
                baseline,
                face,
                size,
                color,
            } => {
                let Some(&(page, _)) = placement.anchors.get(&key) else {
                    return;
                };
                let text = (page + 1).to_string();
                let piece = self.fonts.shape_in(face, &text);
                let width = piece.shaped.width * size;
                let mut x = 0.0;
                let mut glyphs = Vec::new();
                for (i, g) in piece.shaped.glyphs.iter().enumerate() {
                    glyphs.push(PlacedGlyph {
                        gid: g.gid,
                        x,
                        text: piece.shaped.text_of(i),
                    });
                    x += g.advance * size;
                }
                self.text(GlyphRun {
                    face,
                    size,
                    color,
                    oblique: false,
                    x: right - width,
                    y: baseline,
                    glyphs,
                    lang: None,
                });
            }
        }
    }
}

/// Where the page sits in its media box and what is drawn around it.
#[derive(Debug, Clone, Copy)]
pub struct Sheet {
    pub page_w: f32,
    pub page_h: f32,
    /// Paper added on each side beyond the trim (0: none).
    pub bleed: f32,
}

/// Writes `page`'s content stream (with `images` images in the document);
/// the glyphs it uses are added to `glyphs`.
pub fn page(
    page: PageOut,
    sheet: Sheet,
    fonts: &FontSet,
    images: usize,
    placement: &Placement,
    glyphs: &mut Glyphs,
) -> PageContent {
    let mut w = PageWriter {
        fonts,
        page_h: sheet.page_h,
        content: Ops::with_capacity(page.ops.len() * 48),
        in_text: false,
        font: None,
        fill: None,
        glyphs,
        ids: Vec::new(),
    };
    if sheet.bleed > 0.0 {
        crop_marks(&mut w.content, sheet);
        // Everything else is drawn on the trimmed page, moved into the
        // middle of the larger sheet.
        w.content
            .nums(&[1.0, 0.0, 0.0, 1.0, sheet.bleed, sheet.bleed])
            .op("cm");
    }
    let mut links = Vec::new();
    for op in page.ops {
        w.op(op, images, placement, &mut links);
    }
    w.end_text();
    PageContent {
        bytes: w.content.into_bytes(),
        links,
    }
}

/// Crop marks at the four corners of the trim, in the bleed area only (they
/// stop `gap` short of the trim so no mark shows on a trimmed page).
fn crop_marks(content: &mut Ops, sheet: Sheet) {
    let b = sheet.bleed;
    let gap = (b / 3.0).min(3.0);
    let (left, right) = (b, b + sheet.page_w);
    let (bottom, top) = (b, b + sheet.page_h);
    content
        .op("q")
        .nums(&[0.0, 0.0, 0.0])
        .op("RG")
        .num(0.25)
        .op("w");
    for (x, y, out_x, out_y) in [
        (left, bottom, -1.0, -1.0),
        (right, bottom, 1.0, -1.0),
        (left, top, -1.0, 1.0),
        (right, top, 1.0, 1.0),
    ] {
        // A horizontal mark on the line of the trim's edge, outside it,
        // and a vertical one.
        content
            .nums(&[x + out_x * gap, y])
            .op("m")
            .nums(&[x + out_x * b, y])
            .op("l")
            .nums(&[x, y + out_y * gap])
            .op("m")
            .nums(&[x, y + out_y * b])
            .op("l");
    }
    content.op("S").op("Q");
}
