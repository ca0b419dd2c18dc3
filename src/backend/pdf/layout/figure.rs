//! Figures and images in text: a figure (or a paragraph holding only an
//! image) is one unbreakable item of image and caption; an image inside a
//! paragraph is set in the line when it is small (a badge, an icon), and
//! handed on as a figure placed right after the paragraph when it is not.
//! An image that cannot be drawn shows a placeholder, or its alt text in a
//! line, with a warning: never nothing.

use super::{Frame, Layouter, VItem};
use crate::backend::pdf::draw::DrawOp;
use crate::backend::pdf::style::{FamilyName, color};
use crate::backend::pdf::tags::{Artifact, Kind, RunTag, Tag};
use crate::backend::pdf::text::{Align, Picture, RunStyle, link_dest};
use crate::diag::Diagnostic;
use crate::model::{Block, Figure, Inline, Link, inlines_text};

/// An image in a line is small when its own height is at most this many
/// line heights; a larger one becomes a figure after its paragraph.
const INLINE_MAX_LINES: f32 = 1.2;
/// A small image is scaled to at most this share of the line height, so
/// it stays inside its line.
const INLINE_FILL: f32 = 0.9;

impl Layouter<'_> {
    /// A figure: the image (or a placeholder box) and its caption.
    pub(super) fn figure(
        &mut self,
        fig: &Figure,
        block: &Block,
        frame: Frame,
        out: &mut Vec<VItem>,
    ) {
        let (mut ops, mut height) = match self.figure_image(fig, block, frame) {
            Some((ops, height)) => (ops, height),
            None => self.placeholder(fig, frame),
        };
        // Tagged as a Figure with its alternative text, the caption after
        // it (a reader reads a figure's Alt instead of what it holds); an
        // image with neither is decoration. Its frame and ground are too.
        let alt = fig.alt.as_deref().map(str::trim).filter(|a| !a.is_empty());
        let caption_text = inlines_text(&fig.caption);
        let alt = alt
            .or(Some(caption_text.trim()).filter(|c| !c.is_empty()))
            .or(fig.title.as_deref().filter(|t| !t.trim().is_empty()))
            .map(str::to_string);
        let tag = match alt {
            Some(alt) => {
                let node = self.tags.add(Kind::Figure, self.parent);
                self.tags.set_alt(node, alt);
                if let Some(i) = ops.iter().position(|op| matches!(op, DrawOp::Image { .. }))
                    && i > 0
                {
                    ops.insert(i, DrawOp::Mark(Tag::Node(node)));
                    ops.insert(0, DrawOp::Mark(Tag::Artifact(Artifact::Layout)));
                }
                Tag::Node(node)
            }
            None => Tag::Artifact(Artifact::Layout),
        };
        // The caption goes with the image: one unbreakable item.
        let before = ops.len();
        let note_refs = self.caption(fig, frame, &mut ops, &mut height);
        if ops.len() > before {
            let caption = self.tags.add(Kind::Caption, self.parent);
            ops.insert(before, DrawOp::Mark(Tag::Node(caption)));
        }
        out.push(VItem::space(self.style.body.paragraph_space));
        out.push(VItem {
            note_refs,
            tag: Some(tag),
            ..VItem::content(height, ops)
        });
        out.push(VItem::space(self.style.body.paragraph_space * 1.5));
    }

    /// The figure's image, sized and centred, with its link: operations
    /// and height; `None` when there is no image to draw (a warning given
    /// for a file that cannot be used; a missing one was reported by the
    /// assets pass).
    fn figure_image(
        &mut self,
        fig: &Figure,
        block: &Block,
        frame: Frame,
    ) -> Option<(Vec<DrawOp>, f32)> {
        let asset = fig.asset.as_ref()?;
        let fs = self.style.figure.clone();
        let boxed = self.figure_box(fig, asset);
        let pad = boxed.as_ref().map_or(0.0, |b| b.padding + b.border);
        let frame = Frame {
            x: frame.x + pad,
            width: (frame.width - 2.0 * pad).max(1.0),
        };
        let max_h = self.text_height * fs.max_height_ratio;
        let placed = self.images.size(asset).and_then(|(pw, ph)| {
            let want_w = fig
                .width
                .as_deref()
                .and_then(|w| w.trim_end_matches("px").parse::<f32>().ok())
                .map(|w| w * fs.points_per_px)
                .unwrap_or(pw * fs.points_per_px);
            let mut w = want_w
                .min(frame.width)
                .min(raster_cap(asset, pw, fs.raster_dpi));
            let mut h = w * ph / pw.max(1.0);
            if h > max_h {
                w *= max_h / h;
                h = max_h;
            }
            let idx = self.images.load(asset, w)?;
            Ok::<_, anyhow::Error>((idx, w, h))
        });
        let (image, w, h) = match placed {
            Ok(placed) => placed,
            Err(e) => {
                self.diags.push(
                    Diagnostic::warning(
                        &self.page_source,
                        block.span.line,
                        format!("image `{}` cannot be used: {e}", fig.src),
                    )
                    .with_hint("a placeholder box is printed in its place"),
                );
                return None;
            }
        };
        let x = frame.x + (frame.width - w) / 2.0;
        let mut ops = Vec::new();
        if let Some(b) = &boxed {
            let (bx, bw, bh) = (x - pad, w + 2.0 * pad, h + 2.0 * pad);
            if let Some(bg) = &b.background {
                ops.push(DrawOp::Rect {
                    x: bx,
                    y: 0.0,
                    w: bw,
                    h: bh,
                    color: color(bg),
                });
            }
            if b.border > 0.0 {
                let half = b.border / 2.0;
                ops.push(DrawOp::Frame {
                    x: bx + half,
                    y: half,
                    w: bw - b.border,
                    h: bh - b.border,
                    width: b.border,
                    color: color(b.border_color.as_deref().unwrap_or(&self.style.colors.rule)),
                });
            }
        }
        ops.push(DrawOp::Image {
            image,
            x,
            y: pad,
            w,
            h,
            alt: None,
        });
        if let Some(dest) = fig
            .link
            .as_ref()
            .and_then(|l| link_dest(&l.target, &l.href))
        {
            ops.push(DrawOp::Link {
                x,
                y: pad,
                w,
                h,
                dest,
                tag: RunTag::Item,
            });
        }
        Some((ops, h + 2.0 * pad))
    }

    /// A grey box saying which image is not available.
    fn placeholder(&mut self, fig: &Figure, frame: Frame) -> (Vec<DrawOp>, f32) {
        let fs = self.style.figure.clone();
        let w = frame.width.min(240.0);
        let h = 64.0;
        let x = frame.x + (frame.width - w) / 2.0;
        let mut ops = vec![
            DrawOp::Rect {
                x,
                y: 0.0,
                w,
                h,
                color: color(&self.style.colors.placeholder),
            },
            DrawOp::Frame {
                x,
                y: 0.0,
                w,
                h,
                width: 0.5,
                color: color(&self.style.colors.rule),
            },
        ];
        let run = RunStyle {
            italic: true,
            ..RunStyle::plain(
                FamilyName::Sans,
                false,
                fs.caption_size,
                color(&self.style.colors.muted),
            )
        };
        let shown = fig.alt.as_deref().filter(|a| !a.is_empty());
        let label = self
            .labels
            .with("Image not available", shown.unwrap_or(&fig.src));
        let lines = self
            .setter
            .set_text(&label, &run, Align::Center, w - 16.0, fs.caption_leading);
        let total = lines.len() as f32 * fs.caption_leading;
        let mut y = (h - total) / 2.0;
        for line in lines {
            ops.extend(line.ops.into_iter().map(|op| op.shifted(x + 8.0, y)));
            y += fs.caption_leading;
        }
        (ops, h)
    }

    /// Sets the figure's caption (or title) under `height`, growing it;
    /// returns the footnotes the caption refers to.
    fn caption(
        &mut self,
        fig: &Figure,
        frame: Frame,
        ops: &mut Vec<DrawOp>,
        height: &mut f32,
    ) -> Vec<u32> {
        let fs = self.style.figure.clone();
        let mut note_refs = Vec::new();
        let caption: Vec<Inline> = if !fig.caption.is_empty() {
            fig.caption.clone()
        } else if let Some(t) = fig.title.as_deref() {
            vec![Inline::Text {
                text: t.to_string(),
            }]
        } else {
            Vec::new()
        };
        if caption.is_empty() {
            return note_refs;
        }
        let run = RunStyle::plain(
            FamilyName::Sans,
            false,
            fs.caption_size,
            color(&self.style.colors.muted),
        );
        *height += 5.0;
        let lines = self.setter.set(
            &caption,
            &run,
            Align::Center,
            frame.width * 0.85,
            fs.caption_leading,
        );
        for line in lines {
            note_refs.extend(line.notes);
            ops.extend(
                line.ops
                    .into_iter()
                    .map(|op| op.shifted(frame.x + frame.width * 0.075, *height)),
            );
            *height += fs.caption_leading;
        }
        note_refs
    }

    /// Gets the images in `content` (a paragraph, or a table's cells)
    /// ready for the setter, which sets lines
    /// `leading` high and at most `measure` wide: a small one (at most
    /// [`INLINE_MAX_LINES`] lines high) is loaded at its size in the line;
    /// a larger one, when `blocks`, is returned as a figure for the caller
    /// to place after the paragraph (else it is scaled into the line).
    /// One that cannot be drawn is set as its alt text, with a warning
    /// naming `line`.
    pub(super) fn pictures(
        &mut self,
        content: &[&[Inline]],
        leading: f32,
        measure: f32,
        blocks: bool,
        line: u32,
    ) -> Vec<Figure> {
        self.setter.pictures.borrow_mut().clear();
        let mut images = Vec::new();
        for part in content {
            collect_images(part, None, &mut images);
        }
        let mut after = Vec::new();
        for (image, link) in images {
            let Inline::Image {
                src,
                asset: Some(asset),
                alt,
                title,
            } = image
            else {
                continue;
            };
            let ppp = self.style.figure.points_per_px;
            let placed = self.images.size(asset).and_then(|(pw, ph)| {
                let (w, h) = (pw.max(1.0) * ppp, ph.max(1.0) * ppp);
                if blocks && h > leading * INLINE_MAX_LINES {
                    return Ok(None);
                }
                let scale = (leading * INLINE_FILL / h).min(measure / w).min(1.0);
                let (w, h) = (w * scale, h * scale);
                Ok(Some(Picture {
                    image: self.images.load(asset, w)?,
                    w,
                    h,
                }))
            });
            match placed {
                Ok(picture) => {
                    if picture.is_none() {
                        after.push(handed_on(src, asset, alt, title, link));
                    }
                    self.setter
                        .pictures
                        .borrow_mut()
                        .insert(asset.path.clone(), picture);
                }
                Err(e) => self.diags.push(
                    Diagnostic::warning(
                        &self.page_source,
                        line,
                        format!("image `{src}` cannot be drawn: {e}"),
                    )
                    .with_hint("its alt text is printed in its place"),
                ),
            }
        }
        after
    }
}

/// The figure a large image in a paragraph becomes: its alt text as the
/// caption when it has no title, its link kept.
fn handed_on(
    src: &str,
    asset: &crate::model::Asset,
    alt: &str,
    title: &Option<String>,
    link: Option<&Link>,
) -> Figure {
    let caption = match title {
        Some(_) => Vec::new(),
        None if alt.trim().is_empty() => Vec::new(),
        None => vec![Inline::Text {
            text: alt.trim().to_string(),
        }],
    };
    Figure {
        src: src.to_string(),
        asset: Some(asset.clone()),
        alt: Some(alt.to_string()),
        caption,
        title: title.clone(),
        link: link.cloned(),
        ..Figure::default()
    }
}

/// Every image in `inlines` (nested ones too) with the link around it.
fn collect_images<'a>(
    inlines: &'a [Inline],
    link: Option<&'a Link>,
    out: &mut Vec<(&'a Inline, Option<&'a Link>)>,
) {
    for inline in inlines {
        match inline {
            Inline::Image { .. } => out.push((inline, link)),
            Inline::Link {
                link: inner,
                content,
                ..
            } => collect_images(content, Some(inner), out),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Strike { content }
            | Inline::Sup { content }
            | Inline::Sub { content }
            | Inline::Span { content, .. } => collect_images(content, link, out),
            _ => {}
        }
    }
}

/// A paragraph that holds only an image is a figure.
pub(super) fn lone_image(content: &[Inline]) -> Option<Figure> {
    let mut found = None;
    for inline in content {
        match inline {
            Inline::Image {
                src,
                asset,
                alt,
                title,
                ..
            } => {
                if found.is_some() {
                    return None;
                }
                found = Some(Figure {
                    src: src.clone(),
                    asset: asset.clone(),
                    alt: Some(alt.clone()),
                    title: title.clone(),
                    ..Figure::default()
                });
            }
            Inline::SoftBreak | Inline::LineBreak => {}
            Inline::Text { text } if text.trim().is_empty() => {}
            Inline::Link { content, link, .. } if content.len() == 1 => {
                let mut f = lone_image(content)?;
                f.link = Some(link.clone());
                if found.is_some() {
                    return None;
                }
                found = Some(f);
            }
            _ => return None,
        }
    }
    found
}

/// The widest a raster image of `px` pixels may be printed: its pixels at
/// `dpi` (SVG: no limit).
pub(super) fn raster_cap(asset: &crate::model::Asset, px: f32, dpi: f32) -> f32 {
    match asset.format {
        crate::model::AssetFormat::Svg => f32::INFINITY,
        _ => px.max(1.0) * 72.0 / dpi,
    }
}
