//! The cover: `templates/epub/cover.svg` filled with the book's title,
//! subtitle and publisher, drawn to PNG by resvg with the project's fonts,
//! the logo drawn into the box the template marks with `id="logo"`; plus
//! the cover page that shows it.
//!
//! The logo is drawn by folio rather than nested in the SVG as an
//! `<image>`: resvg draws a nested SVG at several times the cost, and
//! (built without its raster-image feature) not a PNG or JPEG at all.

use super::raster;
use super::templates::{self, Templates};
use crate::diag::Diagnostics;
use crate::model::BookMeta;
use anyhow::{Context, Result};
use resvg::tiny_skia::{self, FilterQuality, Pixmap, PixmapPaint, Transform};
use resvg::usvg::{self, fontdb};
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;

/// The template's canvas (SVG user units), 2:3.
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 1800;
/// The PNG's longer side in pixels, whatever the template's own size:
/// 1600 x 2400 for a 2:3 cover, above the 1400 pixels stores such as Apple
/// Books ask for on the shorter side.
const PIXELS: u32 = 2400;

/// The id of the element whose box the logo fills.
const LOGO_BOX_ID: &str = "logo";

/// Characters per line, roughly what fits at the template's font sizes.
const TITLE_COLUMNS: usize = 17;
const SUBTITLE_COLUMNS: usize = 36;

#[derive(Serialize)]
struct CoverContext<'a> {
    width: u32,
    height: u32,
    /// Whether there is a logo (the template then marks its box).
    logo: bool,
    title_lines: Vec<String>,
    subtitle_lines: Vec<String>,
    publisher: Option<&'a str>,
    book: &'a BookMeta,
}

/// The cover image as PNG.
pub(crate) fn render_image(
    meta: &BookMeta,
    logo: Option<&Path>,
    templates: &Templates,
    fonts: &Arc<fontdb::Database>,
    diags: &mut Diagnostics,
) -> Result<Vec<u8>> {
    let logo = logo.and_then(|path| Logo::load(path, fonts, diags));
    let context = CoverContext {
        width: WIDTH,
        height: HEIGHT,
        logo: logo.is_some(),
        title_lines: wrap(&meta.title, TITLE_COLUMNS),
        subtitle_lines: meta
            .subtitle
            .as_deref()
            .map(|s| wrap(s, SUBTITLE_COLUMNS))
            .unwrap_or_default(),
        publisher: meta.publisher.as_deref().filter(|p| !p.trim().is_empty()),
        book: meta,
    };
    let svg = templates.render(templates::COVER_SVG, &context)?;
    let options = raster::svg_options(fonts, None);
    let drawn = usvg::Tree::from_str(&svg, &options)
        .context("invalid SVG")
        .and_then(|tree| raster::draw(&tree, PIXELS, f32::MAX));
    let (mut pixmap, scale) = drawn.map_err(|e| {
        anyhow::anyhow!(
            "cannot draw the EPUB cover from {}: {e:#}",
            templates::COVER_SVG
        )
    })?;
    if let Some(logo) = &logo {
        match logo_box(&svg) {
            Some(area) => logo.draw(&mut pixmap, area, scale),
            None => diags.warn(
                templates::COVER_SVG,
                0,
                format!("the cover template marks no logo box (an element with id=\"{LOGO_BOX_ID}\" and x, y, width, height): the cover has no logo"),
            ),
        }
    }
    raster::encode_png(pixmap)
}

/// A logo ready to draw.
enum Logo {
    Vector(Box<usvg::Tree>),
    /// Premultiplied, as tiny-skia draws it.
    Bitmap(Pixmap),
}

impl Logo {
    /// The logo file (SVG, PNG or JPEG); `None` with a warning when it
    /// cannot be used.
    fn load(path: &Path, fonts: &Arc<fontdb::Database>, diags: &mut Diagnostics) -> Option<Logo> {
        let loaded = std::fs::read(path)
            .context("cannot read it")
            .and_then(|bytes| Logo::parse(&bytes, path, fonts));
        match loaded {
            Ok(logo) => Some(logo),
            Err(e) => {
                diags.push(
                    crate::diag::Diagnostic::warning(
                        path,
                        0,
                        "cannot use the cover logo; the cover has none",
                    )
                    .with_cause(format!("{e:#}")),
                );
                None
            }
        }
    }

    fn parse(bytes: &[u8], path: &Path, fonts: &Arc<fontdb::Database>) -> Result<Logo> {
        if bytes.starts_with(b"\x89PNG") || bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            let rgba = image::load_from_memory(bytes)
                .context("cannot decode it")?
                .to_rgba8();
            let (width, height) = rgba.dimensions();
            let mut data = Vec::with_capacity(rgba.as_raw().len());
            for px in rgba.pixels() {
                let [r, g, b, a] = px.0;
                let c = tiny_skia::ColorU8::from_rgba(r, g, b, a).premultiply();
                data.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
            }
            let size = tiny_skia::IntSize::from_wh(width, height).context("empty image")?;
            return Pixmap::from_vec(data, size)
                .map(Logo::Bitmap)
                .context("image too large");
        }
        let options = raster::svg_options(fonts, path.parent());
        let tree = usvg::Tree::from_data(bytes, &options).context("not SVG, PNG or JPEG")?;
        Ok(Logo::Vector(Box::new(tree)))
    }

    /// Draws the logo centred in `area` (template units), keeping its
    /// proportions, on a pixmap drawn at `scale` pixels per unit.
    fn draw(&self, pixmap: &mut Pixmap, area: [f32; 4], scale: f32) {
        let [x, y, width, height] = area;
        let (own_width, own_height) = match self {
            Logo::Vector(tree) => (tree.size().width(), tree.size().height()),
            Logo::Bitmap(bitmap) => (bitmap.width() as f32, bitmap.height() as f32),
        };
        if own_width <= 0.0 || own_height <= 0.0 {
            return;
        }
        let fit = (width / own_width).min(height / own_height);
        let left = x + (width - own_width * fit) / 2.0;
        let top = y + (height - own_height * fit) / 2.0;
        let transform = Transform::from_scale(scale, scale)
            .pre_translate(left, top)
            .pre_scale(fit, fit);
        match self {
            Logo::Vector(tree) => resvg::render(tree, transform, &mut pixmap.as_mut()),
            Logo::Bitmap(bitmap) => {
                let paint = PixmapPaint {
                    quality: FilterQuality::Bicubic,
                    ..PixmapPaint::default()
                };
                pixmap.draw_pixmap(0, 0, bitmap.as_ref(), &paint, transform, None);
            }
        }
    }
}

/// The box of the element with id `logo` in the rendered cover SVG:
/// x, y, width, height in the template's units.
fn logo_box(svg: &str) -> Option<[f32; 4]> {
    let doc = usvg::roxmltree::Document::parse(svg).ok()?;
    let node = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(LOGO_BOX_ID))?;
    let number = |name: &str| node.attribute(name)?.trim().parse::<f32>().ok();
    let area = [
        number("x").unwrap_or(0.0),
        number("y").unwrap_or(0.0),
        number("width")?,
        number("height")?,
    ];
    (area[2] > 0.0 && area[3] > 0.0).then_some(area)
}

/// Text that stands for the cover image.
pub(crate) fn alt_text(meta: &BookMeta) -> String {
    match meta.subtitle.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(subtitle) => format!("Cover: {}. {subtitle}", meta.title),
        None => format!("Cover: {}", meta.title),
    }
}

/// `text` in lines of about `columns` characters, breaking between words.
fn wrap(text: &str, columns: usize) -> Vec<String> {
    textwrap::wrap(text.trim(), columns)
        .into_iter()
        .map(|line| line.into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_subtitles_wrap() {
        let lines = wrap(
            "An offline booklet on the Extensible Messaging and Presence Protocol",
            SUBTITLE_COLUMNS,
        );
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= SUBTITLE_COLUMNS));
    }
}
