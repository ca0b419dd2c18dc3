//! Turns laid-out pages into a printpdf document: glyph runs as positioned
//! glyph ids (kerning and justification as TJ offsets against the `/W`
//! widths), rules, rectangles and images. Resource names are fixed per face
//! and image so the output does not depend on what ran before in the process.

use super::draw::{DrawOp, GlyphRun, Rgb};
use super::fonts::FontSet;
use super::images::Images;
use super::layout::{PageOut, Placement};
use super::links::LinkArea;
use printpdf::{
    Codepoint, Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, Point, Pt, Rect, TextItem, TextMatrix, XObject, XObjectId,
    XObjectTransform,
};
use std::collections::BTreeSet;

/// Slant of a synthesised oblique (tan 12°).
const OBLIQUE: f32 = 0.2126;

fn rgb(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: c[0],
        g: c[1],
        b: c[2],
        icc_profile: None,
    })
}

/// The resource name of image `i`.
pub fn image_id(i: usize) -> XObjectId {
    XObjectId(format!("Im{i}"))
}

/// Tracks text state inside one page's content so that state operators are
/// only written when something changes.
struct PageWriter<'a> {
    fonts: &'a FontSet,
    page_h: f32,
    ops: Vec<Op>,
    in_text: bool,
    font: Option<(usize, f32)>,
    fill: Option<Rgb>,
    used: &'a mut BTreeSet<usize>,
}

impl PageWriter<'_> {
    fn end_text(&mut self) {
        if self.in_text {
            self.ops.push(Op::EndTextSection);
            self.in_text = false;
        }
    }

    fn set_fill(&mut self, c: Rgb) {
        if self.fill != Some(c) {
            self.ops.push(Op::SetFillColor { col: rgb(c) });
            self.fill = Some(c);
        }
    }

    fn text(&mut self, run: GlyphRun) {
        if run.glyphs.is_empty() {
            return;
        }
        if !self.in_text {
            self.ops.push(Op::StartTextSection);
            self.in_text = true;
            self.font = None;
        }
        self.used.insert(run.face);
        let face = self.fonts.face(run.face);
        if self.font != Some((run.face, run.size)) {
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(FontId(face.pdf_id.clone())),
                size: Pt(run.size),
            });
            self.font = Some((run.face, run.size));
        }
        self.set_fill(run.color);
        let y = self.page_h - run.y;
        let x0 = run.x + run.glyphs[0].x;
        let matrix = if run.oblique {
            TextMatrix::Raw([1.0, 0.0, OBLIQUE, 1.0, x0, y])
        } else {
            TextMatrix::Translate(Pt(x0), Pt(y))
        };
        self.ops.push(Op::SetTextMatrix { matrix });
        let mut cps = Vec::with_capacity(run.glyphs.len());
        let next_x: Vec<Option<f32>> = run
            .glyphs
            .iter()
            .skip(1)
            .map(|g| Some(g.x))
            .chain([None])
            .collect();
        for (g, next) in run.glyphs.into_iter().zip(next_x) {
            // The viewer advances by the /W width; the TJ offset moves the pen
            // from there to where the next glyph belongs.
            let offset = match next {
                Some(nx) => face.pdf_width(g.gid) - (nx - g.x) * 1000.0 / run.size,
                None => 0.0,
            };
            let offset = (offset * 10.0).round() / 10.0;
            // Glyph 0 (.notdef) is the box of every character the face
            // lacks: a ToUnicode entry would give all of them back as the
            // last one drawn (an empty text writes no entry).
            let text = if g.gid == 0 { String::new() } else { g.text };
            cps.push(Codepoint::with_cid(g.gid, offset, text));
        }
        self.ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(cps)],
        });
    }

    fn op(
        &mut self,
        op: DrawOp,
        images: &Images,
        placement: &Placement,
        links: &mut Vec<LinkArea>,
    ) {
        let h = self.page_h;
        // Glyph runs move into the document (their texts are not copied).
        let op = match op {
            DrawOp::Text(run) => return self.text(run),
            other => other,
        };
        match &op {
            DrawOp::Text(_) => {}
            DrawOp::Rect {
                x,
                y,
                w,
                h: rh,
                color,
            } => {
                self.end_text();
                self.set_fill(*color);
                let mut r = Rect::from_xywh(Pt(*x), Pt(h - y - rh), Pt(*w), Pt(*rh));
                r.mode = Some(PaintMode::Fill);
                self.ops.push(Op::DrawRectangle { rectangle: r });
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
                self.ops.push(Op::SetOutlineColor { col: rgb(*color) });
                self.ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                let mut r = Rect::from_xywh(Pt(*x), Pt(h - y - rh), Pt(*w), Pt(*rh));
                r.mode = Some(PaintMode::Stroke);
                self.ops.push(Op::DrawRectangle { rectangle: r });
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
                self.ops.push(Op::SetOutlineColor { col: rgb(*color) });
                self.ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                let p = |x: f32, y: f32| LinePoint {
                    p: Point {
                        x: Pt(x),
                        y: Pt(h - y),
                    },
                    bezier: false,
                };
                self.ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![p(*x1, *y1), p(*x2, *y2)],
                        is_closed: false,
                    },
                });
            }
            DrawOp::Image {
                image,
                x,
                y,
                w,
                h: ih,
            } => {
                let Some(img) = images.list.get(*image) else {
                    return;
                };
                self.end_text();
                let (pw, ph) = (img.raw.width.max(1) as f32, img.raw.height.max(1) as f32);
                self.ops.push(Op::UseXobject {
                    id: image_id(*image),
                    transform: XObjectTransform {
                        translate_x: Some(Pt(*x)),
                        translate_y: Some(Pt(h - y - ih)),
                        scale_x: Some(w / pw),
                        scale_y: Some(ih / ph),
                        dpi: Some(72.0),
                        ..XObjectTransform::default()
                    },
                });
            }
            DrawOp::Link {
                x,
                y,
                w,
                h: lh,
                dest,
            } => links.push(LinkArea {
                rect: [*x, h - y - lh, x + w, h - y],
                dest: dest.clone(),
            }),
            DrawOp::PageNumberOf {
                key,
                right,
                baseline,
                face,
                size,
                color,
            } => {
                let Some(&(page, _)) = placement.anchors.get(key) else {
                    return;
                };
                let text = (page + 1).to_string();
                let piece = self.fonts.shape_in(*face, &text);
                let width = piece.shaped.width * size;
                let texts = piece.shaped.glyph_texts();
                let mut x = 0.0;
                let mut glyphs = Vec::new();
                for (g, t) in piece.shaped.glyphs.iter().zip(texts) {
                    glyphs.push(super::draw::PlacedGlyph {
                        gid: g.gid,
                        x,
                        text: t.to_string(),
                    });
                    x += g.advance * size;
                }
                self.text(GlyphRun {
                    face: *face,
                    size: *size,
                    color: *color,
                    oblique: false,
                    x: right - width,
                    y: *baseline,
                    glyphs,
                });
            }
        }
    }
}

/// Builds the printpdf document and returns it with each page's link areas.
pub fn document(
    title: &str,
    pages: Vec<PageOut>,
    fonts: &FontSet,
    images: &Images,
    placement: &Placement,
    page_w: f32,
    page_h: f32,
) -> anyhow::Result<(PdfDocument, Vec<Vec<LinkArea>>)> {
    let mut doc = PdfDocument::new(title);
    let mut used = BTreeSet::new();
    let mut out_pages = Vec::with_capacity(pages.len());
    let mut all_links = Vec::with_capacity(pages.len());
    for page in pages {
        let mut w = PageWriter {
            fonts,
            page_h,
            ops: Vec::with_capacity(page.ops.len() * 3),
            in_text: false,
            font: None,
            fill: None,
            used: &mut used,
        };
        let mut links = Vec::new();
        for op in page.ops {
            w.op(op, images, placement, &mut links);
        }
        w.end_text();
        let ops = w.ops;
        out_pages.push(PdfPage::new(
            Mm::from(Pt(page_w)),
            Mm::from(Pt(page_h)),
            ops,
        ));
        all_links.push(links);
    }
    for &i in &used {
        let face = fonts.face(i);
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(&face.bytes, face.index as usize, &mut warnings)
            .ok_or_else(|| anyhow::anyhow!("font {} cannot be embedded", face.file))?;
        doc.resources
            .fonts
            .map
            .insert(FontId(face.pdf_id.clone()), printpdf::PdfFont::new(parsed));
    }
    for (i, img) in images.list.iter().enumerate() {
        doc.resources
            .xobjects
            .map
            .insert(image_id(i), XObject::Image(img.raw.clone()));
    }
    doc.with_pages(out_pages);
    Ok((doc, all_links))
}
