//! Turns one laid-out page into its content stream: glyph runs as
//! positioned glyph ids (kerning and justification as TJ offsets against the
//! `/W` widths), rules, rectangles and images. Glyph ids are renumbered into
//! each face's subset as they are written ([`Glyphs`]), so a page's content
//! is final, and can be written out, before the fonts are.

use super::draw::{DrawOp, GlyphRun, PlacedGlyph, Rgb};
use super::fonts::FontSet;
use super::layout::{PageOut, Placement};
use super::links::LinkArea;
use pdf_writer::{Content, Name, Str};
use std::collections::BTreeMap;
use subsetter::GlyphRemapper;

/// Slant of a synthesised oblique (tan 12°).
const OBLIQUE: f32 = 0.2126;

/// The resource name of image `i`.
pub fn image_name(i: usize) -> String {
    format!("Im{i}")
}

/// The glyphs used of one face: old glyph id → subset glyph id (the CID),
/// and the text each subset glyph stands for.
#[derive(Default)]
pub struct FaceUse {
    pub remap: GlyphRemapper,
    /// Text by CID; the first text a glyph was drawn for is kept.
    pub texts: BTreeMap<u16, String>,
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
    content: Content,
    in_text: bool,
    font: Option<(usize, f32)>,
    fill: Option<Rgb>,
    glyphs: &'a mut Glyphs,
    /// Reused buffer of one run's glyph ids.
    ids: Vec<u8>,
}

impl PageWriter<'_> {
    fn end_text(&mut self) {
        if self.in_text {
            self.content.end_text();
            self.in_text = false;
        }
    }

    fn set_fill(&mut self, c: Rgb) {
        if self.fill != Some(c) {
            self.content.set_fill_rgb(c[0], c[1], c[2]);
            self.fill = Some(c);
        }
    }

    fn text(&mut self, run: GlyphRun) {
        let Some(first) = run.glyphs.first() else {
            return;
        };
        if !self.in_text {
            self.content.begin_text();
            self.in_text = true;
            self.font = None;
        }
        let face = self.fonts.face(run.face);
        if self.font != Some((run.face, run.size)) {
            self.content
                .set_font(Name(face.pdf_id.as_bytes()), run.size);
            self.font = Some((run.face, run.size));
        }
        self.set_fill(run.color);
        let y = self.page_h - run.y;
        let x0 = run.x + first.x;
        let slant = if run.oblique { OBLIQUE } else { 0.0 };
        self.content.set_text_matrix([1.0, 0.0, slant, 1.0, x0, y]);
        let used = self.glyphs.entry(run.face).or_default();
        let mut show = self.content.show_positioned();
        let mut items = show.items();
        let ids = &mut self.ids;
        ids.clear();
        let mut glyphs = run.glyphs.into_iter().peekable();
        while let Some(PlacedGlyph { gid, x, text }) = glyphs.next() {
            let cid = used.remap.remap(gid);
            ids.extend_from_slice(&cid.to_be_bytes());
            // Glyph 0 (.notdef) is the box of every character the face
            // lacks: it is never mapped to a character.
            if gid != 0 && !text.is_empty() {
                used.texts.entry(cid).or_insert(text);
            }
            // The viewer advances by the /W width; the TJ offset moves the
            // pen from there to where the next glyph belongs.
            let Some(next) = glyphs.peek() else { break };
            let offset = face.pdf_width(gid) - (next.x - x) * 1000.0 / run.size;
            let offset = (offset * 10.0).round() / 10.0;
            if offset != 0.0 {
                items.show(Str(ids));
                items.adjust(offset);
                ids.clear();
            }
        }
        if !ids.is_empty() {
            items.show(Str(ids));
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
                self.content.rect(x, h - y - rh, w, rh).fill_nonzero();
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
                    .set_stroke_rgb(color[0], color[1], color[2])
                    .set_line_width(width)
                    .rect(x, h - y - rh, w, rh)
                    .stroke();
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
                    .set_stroke_rgb(color[0], color[1], color[2])
                    .set_line_width(width)
                    .move_to(x1, h - y1)
                    .line_to(x2, h - y2)
                    .stroke();
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
                    .save_state()
                    .transform([w, 0.0, 0.0, ih, x, h - y - ih])
                    .x_object(Name(image_name(image).as_bytes()))
                    .restore_state();
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
                let texts = piece.shaped.glyph_texts();
                let mut x = 0.0;
                let mut glyphs = Vec::new();
                for (g, t) in piece.shaped.glyphs.iter().zip(texts) {
                    glyphs.push(PlacedGlyph {
                        gid: g.gid,
                        x,
                        text: t.to_string(),
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
        content: Content::new(),
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
            .transform([1.0, 0.0, 0.0, 1.0, sheet.bleed, sheet.bleed]);
    }
    let mut links = Vec::new();
    for op in page.ops {
        w.op(op, images, placement, &mut links);
    }
    w.end_text();
    PageContent {
        bytes: w.content.finish().into_vec(),
        links,
    }
}

/// Crop marks at the four corners of the trim, in the bleed area only (they
/// stop `gap` short of the trim so no mark shows on a trimmed page).
fn crop_marks(content: &mut Content, sheet: Sheet) {
    let b = sheet.bleed;
    let gap = (b / 3.0).min(3.0);
    let (left, right) = (b, b + sheet.page_w);
    let (bottom, top) = (b, b + sheet.page_h);
    content
        .save_state()
        .set_stroke_rgb(0.0, 0.0, 0.0)
        .set_line_width(0.25);
    for (x, y, out_x, out_y) in [
        (left, bottom, -1.0, -1.0),
        (right, bottom, 1.0, -1.0),
        (left, top, -1.0, 1.0),
        (right, top, 1.0, 1.0),
    ] {
        // A horizontal mark on the line of the trim's edge, outside it,
        // and a vertical one.
        content
            .move_to(x + out_x * gap, y)
            .line_to(x + out_x * b, y)
            .move_to(x, y + out_y * gap)
            .line_to(x, y + out_y * b);
    }
    content.stroke().restore_state();
}
