//! Turns one laid-out page into its content stream: glyph runs as
//! positioned glyph ids (kerning and justification as TJ offsets against the
//! `/W` widths), rules, rectangles and images. Glyph ids are renumbered into
//! each face's subset as they are written ([`Glyphs`]), so a page's content
//! is final, and can be written out, before the fonts are.

use super::draw::{DrawOp, GlyphRun, PlacedGlyph, Rgb};
use super::fonts::{Face, FontSet, TextId};
use super::layout::{PageOut, Placement};
use super::links::LinkArea;
use super::ops::{Extra, Ops, round_f32};
use super::tags::{Artifact, Kind, ROOT, RunTag, Tag, Tagging};
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
    /// By old glyph id: `remap`'s answer (0 where not asked yet: only
    /// `.notdef` maps to CID 0) and the glyph's `/W` width; an index
    /// instead of a hash lookup and a width computed per glyph drawn.
    cids: Vec<(u16, f32)>,
}

impl FaceUse {
    /// The CID of glyph `gid` in the subset (added to it if new) and its
    /// width in `face`, the face this is the use of.
    fn cid(&mut self, gid: u16, face: &Face) -> (u16, f32) {
        let i = usize::from(gid);
        if let Some(&(cid, width)) = self.cids.get(i)
            && cid != 0
        {
            return (cid, width);
        }
        let found = (self.remap.remap(gid), face.pdf_width(gid));
        if self.cids.len() <= i {
            self.cids.resize(i + 1, (0, 0.0));
        }
        if let Some(slot) = self.cids.get_mut(i) {
            *slot = found;
        }
        found
    }

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
struct PageWriter<'a, 't> {
    fonts: &'a FontSet,
    page_h: f32,
    content: Ops,
    in_text: bool,
    font: Option<(usize, f32)>,
    fill: Option<Rgb>,
    glyphs: &'a mut Glyphs,
    /// Reused buffer of one run's glyph ids.
    ids: Vec<u16>,
    tagging: &'a mut Tagging<'t>,
    /// This page's index (its `StructParents` key).
    page: u32,
    /// The tag of the item being drawn (set by marks).
    item: Tag,
    /// The marked content open in the stream, and whether it is the
    /// plain one of its tag (more content of the tag can go in it).
    open: Option<(Tag, bool)>,
}

/// The property dictionary of an artifact.
fn artifact_properties(kind: Artifact) -> &'static str {
    match kind {
        Artifact::Layout => "/Type /Layout",
        Artifact::Header => "/Type /Pagination /Subtype /Header",
        Artifact::Footer => "/Type /Pagination /Subtype /Footer",
    }
}

impl PageWriter<'_, '_> {
    /// Makes `tag` the open marked content: a node's gets the page's next
    /// marked-content id. Marked content and text objects nest, so the
    /// text object ends first.
    fn mark(&mut self, tag: Tag) {
        if self.open == Some((tag, true)) {
            return;
        }
        self.open_marked(tag, None);
    }

    /// Opens marked content of its own for `tag`, with `extra` properties.
    fn mark_with(&mut self, tag: Tag, extra: Extra) {
        self.open_marked(tag, Some(extra));
    }

    fn open_marked(&mut self, tag: Tag, extra: Option<Extra>) {
        self.end_text();
        if self.open.take().is_some() {
            self.content.end_marked();
        }
        match tag {
            Tag::Node(node) => {
                let mcid = self.tagging.mcid(self.page, node);
                let kind = self.tagging.tree.kind(node).name();
                self.content.begin_tagged(kind, mcid, extra);
            }
            Tag::Artifact(kind) => self.content.begin_artifact(artifact_properties(kind)),
        }
        self.open = Some((tag, extra.is_none()));
    }

    /// Closes the open marked content (at the page's end).
    fn end_marked(&mut self) {
        self.end_text();
        if self.open.take().is_some() {
            self.content.end_marked();
        }
    }

    /// The tag of a run tagged `run` in the current item.
    fn run_tag(&mut self, run: RunTag) -> Tag {
        match self.item {
            Tag::Artifact(a) => Tag::Artifact(a),
            Tag::Node(node) => self.tagging.tree.resolve(node, run),
        }
    }

    /// The tag of a path (rule, ground, frame): decoration, except the
    /// modules of a figure drawn with paths (a QR code).
    fn path_tag(&self) -> Tag {
        match self.item {
            Tag::Node(n) if self.tagging.tree.kind(n) == Kind::Figure => self.item,
            _ => Tag::Artifact(Artifact::Layout),
        }
    }

    /// The tag of an image set in a line: a `Figure` of its own with its
    /// alternative text in the item's node, or decoration without one.
    fn inline_image_tag(&mut self, alt: &str) -> Tag {
        match self.item {
            Tag::Node(node) if !alt.trim().is_empty() => {
                let figure = self.tagging.tree.add(Kind::Figure, node);
                self.tagging.tree.set_alt(figure, alt.trim().to_string());
                Tag::Node(figure)
            }
            _ => Tag::Artifact(Artifact::Layout),
        }
    }

    /// The node a link area belongs to: its text's `Link`, else a new
    /// `Link` in the item's node; none in an artifact.
    fn link_node(&mut self, run: RunTag) -> Option<u32> {
        let Tag::Node(node) = self.item else {
            // A link on an artifact (a URL note set again on a later page)
            // is still an annotation, which PDF/UA wants in the tree: a
            // `Link` of its own, its text the annotation's `/Contents`.
            return Some(self.tagging.tree.add(Kind::Link, ROOT));
        };
        match run {
            RunTag::Link(_) | RunTag::Note(_) => match self.tagging.tree.resolve(node, run) {
                Tag::Node(n) => Some(n),
                Tag::Artifact(_) => None,
            },
            _ => Some(self.tagging.tree.add(Kind::Link, node)),
        }
    }

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

    /// Writes a glyph run in its marked content. The halves of a split
    /// word and text in another language get marked content of their own
    /// carrying `/ActualText` or `/Lang` (nested in the node's marked
    /// content, poppler's reading of the structure loses the rest of it).
    fn text(&mut self, run: GlyphRun) {
        if run.glyphs.is_empty() {
            return;
        }
        let tag = self.run_tag(run.tag);
        let GlyphRun {
            face,
            size,
            color,
            oblique,
            x,
            y,
            mut glyphs,
            lang,
            tag: run_tag,
            actual,
        } = run;
        let part = |glyphs: Vec<PlacedGlyph>| GlyphRun {
            face,
            size,
            color,
            oblique,
            x,
            y,
            glyphs,
            lang: lang.clone(),
            tag: run_tag,
            actual: Vec::new(),
        };
        let extra = lang.as_deref().map(Extra::Lang);
        // Most runs are one piece.
        if actual.is_empty() {
            self.text_part(part(glyphs), tag, extra);
            return;
        }
        // Cut from the end, so the spans' indices hold.
        let mut pieces = Vec::with_capacity(2 * actual.len() + 1);
        let mut end = glyphs.len();
        for a in actual.iter().rev() {
            if a.from >= a.to || a.to > end {
                continue;
            }
            pieces.push((glyphs.split_off(a.to), extra));
            pieces.push((glyphs.split_off(a.from), Some(Extra::Actual(&a.text))));
            end = a.from;
        }
        pieces.push((glyphs, extra));
        for (glyphs, extra) in pieces.into_iter().rev() {
            self.text_part(part(glyphs), tag, extra);
        }
    }

    /// Writes glyphs of one run in marked content `tag`, with `extra`
    /// properties when given.
    fn text_part(&mut self, run: GlyphRun, tag: Tag, extra: Option<Extra>) {
        let Some(first) = run.glyphs.first() else {
            return;
        };
        match extra {
            Some(extra) => self.mark_with(tag, extra),
            None => self.mark(tag),
        }
        if let Tag::Node(node) = tag
            && self.tagging.tree.kind(node) == Kind::Link
        {
            let text = self.tagging.link_text.entry(node).or_default();
            for g in &run.glyphs {
                text.push_str(&self.fonts.glyph_text(g.text));
            }
        }
        // The font (text state) is graphics state: it outlives ET, so a
        // new text object after a change of marked content keeps it.
        if !self.in_text {
            self.content.op("BT");
            self.in_text = true;
        }
        let face = self.fonts.face(run.face);
        if self.font != Some((run.face, run.size)) {
            self.content.name(&face.pdf_id).num(run.size).op("Tf");
            self.font = Some((run.face, run.size));
        }
        self.set_fill(run.color);
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
            let (cid, width) = used.cid(gid, &face);
            ids.push(cid);
            // Glyph 0 (.notdef) is the box of every character the face
            // lacks: it is never mapped to a character.
            if gid != 0 && !text.is_none() {
                used.note_text(cid, text);
            }
            // The viewer advances by the /W width; the TJ offset moves the
            // pen from there to where the next glyph belongs.
            let Some(next) = glyphs.peek() else { break };
            let offset = width - (next.x - x) * 1000.0 / run.size;
            let offset = round_f32(offset * 10.0) / 10.0;
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
    }
    fn op(&mut self, op: DrawOp, images: usize, placement: &Placement, links: &mut Vec<LinkArea>) {
        let h = self.page_h;
        match op {
            DrawOp::Mark(tag) => self.item = tag,
            DrawOp::Text(mut run) => {
                // No `.notdef` in a TJ (PDF/A): boxes drawn in its place.
                let boxes = super::notdef::take_boxes(&mut run, self.fonts);
                self.text(run);
                for b in boxes {
                    self.op(b, images, placement, links);
                }
            }
            DrawOp::Rect {
                x,
                y,
                w,
                h: rh,
                color,
            } => {
                self.mark(self.path_tag());
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
                self.mark(self.path_tag());
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
                self.mark(self.path_tag());
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
                alt,
            } => {
                if image >= images {
                    return;
                }
                let tag = match alt {
                    Some(alt) => self.inline_image_tag(&alt),
                    None => self.run_tag(RunTag::Item),
                };
                self.mark(tag);
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
                tag,
            } => {
                let node = self.link_node(tag);
                links.push(LinkArea {
                    rect: [x, h - y - lh, x + w, h - y],
                    dest,
                    node,
                });
            }
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
                let run = GlyphRun {
                    face,
                    size,
                    color,
                    oblique: false,
                    x: right - width,
                    y: baseline,
                    glyphs,
                    lang: None,
                    tag: RunTag::Item,
                    actual: Vec::new(),
                };
                self.op(DrawOp::Text(run), images, placement, links);
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

/// What a page is drawn with: its fonts, the document's image count, where
/// anchors landed, the glyphs used so far and the structure tree.
pub struct PageContext<'a, 't> {
    pub fonts: &'a FontSet,
    pub images: usize,
    pub placement: &'a Placement,
    pub glyphs: &'a mut Glyphs,
    pub tagging: &'a mut Tagging<'t>,
}

/// Writes page number `index`'s content stream; the glyphs it uses are
/// added to the context's, its marked content to the structure tree.
pub fn page(page: PageOut, index: usize, sheet: Sheet, cx: &mut PageContext) -> PageContent {
    let (images, placement) = (cx.images, cx.placement);
    let mut w = PageWriter {
        fonts: cx.fonts,
        page_h: sheet.page_h,
        content: Ops::with_capacity(content_size(&page.ops)),
        in_text: false,
        font: None,
        fill: None,
        glyphs: cx.glyphs,
        ids: Vec::new(),
        tagging: cx.tagging,
        page: u32::try_from(index).unwrap_or(u32::MAX),
        item: Tag::Node(ROOT),
        open: None,
    };
    if sheet.bleed > 0.0 {
        w.content
            .begin_artifact(artifact_properties(Artifact::Layout));
        crop_marks(&mut w.content, sheet);
        w.content.end_marked();
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
    w.end_marked();
    PageContent {
        bytes: w.content.into_bytes(),
        links,
    }
}

/// About how long a page's content stream is: text runs by their glyphs
/// (four hex digits, and an offset now and then), the rest at an
/// operator's length; so the buffer seldom grows.
fn content_size(ops: &[DrawOp]) -> usize {
    ops.iter()
        .map(|op| match op {
            DrawOp::Text(run) => 96 + 6 * run.glyphs.len(),
            _ => 48,
        })
        .sum()
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
