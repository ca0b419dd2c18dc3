//! The cover: `templates/epub/cover.svg` filled with the book's title,
//! subtitle and publisher, drawn to PNG by resvg with folio's fonts,
//! the logo drawn into the box the template marks with `id="logo"`; plus
//! the cover page that shows it.
//!
//! The logo is drawn by folio rather than nested in the SVG as an
//! `<image>`: resvg draws a nested SVG at several times the cost, and
//! (built without its raster-image feature) not a PNG or JPEG at all. A
//! vector logo is drawn on its own pixmap within the limits, then copied
//! onto the cover: drawn straight onto the cover, its layers would be
//! sized by the cover, not by the logo.

use super::raster;
use super::templates::{self, Templates};
use crate::diag::{Diagnostic, Diagnostics};
use crate::image::raster::{decode, read_file};
use crate::image::resolve::site_path;
use crate::image::svg::SvgLoader;
use crate::image::{display_path, draw, memo};
use crate::limits::Limits;
use crate::model::{AssetFormat, BookMeta};
use anyhow::{Result, anyhow};
use resvg::tiny_skia::{self, FilterQuality, Pixmap, PixmapPaint, Transform};
use resvg::usvg;
use serde::Serialize;
use std::path::Path;

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
    /// The logo's width over its height (1 without a logo): the template
    /// sizes the logo's box by it and puts the title below.
    logo_aspect: f32,
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
    svgs: &SvgLoader,
    static_dir: &Path,
    diags: &mut Diagnostics,
) -> Result<Vec<u8>> {
    let logo_path = logo;
    let logo = logo.and_then(|path| Logo::load(path, svgs, static_dir, diags));
    let context = CoverContext {
        width: WIDTH,
        height: HEIGHT,
        logo: logo.is_some(),
        logo_aspect: logo.as_ref().map_or(1.0, Logo::aspect),
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
    // The drawing is the cost (some 15 MB of pixels): watch mode keeps it,
    // keyed by the SVG, the logo's bytes and the limits, with the warnings
    // it gave.
    let mut key = memo::Key::new("epub-cover");
    key.add(svg.as_bytes())
        .add(format!("{:?}", svgs.limits()).as_bytes());
    if let Some(path) = logo_path {
        key.add(&read_file(path, svgs.limits()).unwrap_or_default());
    }
    let (png, warnings) = memo::get_or_compute(
        key,
        |(png, _): &(Result<Vec<u8>, String>, Vec<Diagnostic>)| png.as_ref().map_or(0, Vec::len),
        || {
            let mut warnings = Diagnostics::default();
            let png = draw(&svg, logo.as_ref(), svgs, &mut warnings).map_err(|e| format!("{e:#}"));
            (png, warnings.items)
        },
    );
    for warning in warnings {
        diags.push(warning);
    }
    png.map_err(|e| anyhow!(e))
}

/// Draws the cover `svg` (the rendered template) with `logo` in its logo
/// box, as PNG.
fn draw(
    svg: &str,
    logo: Option<&Logo>,
    svgs: &SvgLoader,
    diags: &mut Diagnostics,
) -> Result<Vec<u8>> {
    let drawn = svgs
        .parse_text(svg)
        .map_err(|e| e.to_string())
        .and_then(|cover| {
            for skipped in &cover.skipped {
                diags.warn(
                    templates::COVER_SVG,
                    skipped.line,
                    format!(
                        "the cover template refers to `{}`, which {}: left out",
                        skipped.href, skipped.why
                    ),
                );
            }
            let size = cover.tree.size();
            let scale = f64::from(PIXELS) / f64::from(size.width().max(size.height()));
            let fit = draw::fit(&cover.tree, scale, svgs.limits())?;
            Ok((draw::render(&cover.tree, fit)?, fit.scale_x))
        });
    let (mut pixmap, scale) = drawn.map_err(|e| {
        anyhow!(
            "cannot draw the EPUB cover from {}: {e}",
            templates::COVER_SVG
        )
    })?;
    if let Some(logo) = logo {
        match logo_box(svg) {
            Some(area) => {
                if let Err(why) = logo.draw(&mut pixmap, area, scale, svgs.limits()) {
                    diags.warn(
                        templates::COVER_SVG,
                        0,
                        format!("the cover logo cannot be drawn: it {why}"),
                    );
                }
            }
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
    /// The logo file (SVG, PNG, JPEG, GIF or WebP); `None` with a warning when it
    /// cannot be used. What an SVG logo refers to and cannot have was
    /// reported by the assets pass.
    fn load(
        path: &Path,
        svgs: &SvgLoader,
        static_dir: &Path,
        diags: &mut Diagnostics,
    ) -> Option<Logo> {
        let loaded = read_file(path, svgs.limits())
            .map_err(|e| e.to_string())
            .and_then(|bytes| Logo::parse(&bytes, path, svgs));
        match loaded {
            Ok(logo) => Some(logo),
            Err(why) => {
                let name = site_path(path, svgs.static_root());
                diags.push(
                    Diagnostic::warning(
                        display_path(path, svgs.static_root(), static_dir),
                        0,
                        format!("cover logo `{name}` {why}"),
                    )
                    .with_hint("the EPUB cover is made without a logo"),
                );
                None
            }
        }
    }

    fn parse(bytes: &[u8], path: &Path, svgs: &SvgLoader) -> Result<Logo, String> {
        let raster = matches!(
            crate::image::format::from_bytes(bytes),
            AssetFormat::Png | AssetFormat::Jpeg | AssetFormat::Gif | AssetFormat::Webp
        );
        if raster {
            let image = decode(bytes, svgs.limits()).map_err(|e| e.to_string())?;
            let (width, height) = (image.width(), image.height());
            // Premultiplied in place: no second copy of the pixels.
            let mut data = image.into_rgba8().into_raw();
            for px in data.chunks_exact_mut(4) {
                if let [r, g, b, a] = px {
                    let c = tiny_skia::ColorU8::from_rgba(*r, *g, *b, *a).premultiply();
                    px.copy_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
                }
            }
            let size = tiny_skia::IntSize::from_wh(width, height).ok_or("is empty")?;
            return Pixmap::from_vec(data, size)
                .map(Logo::Bitmap)
                .ok_or_else(|| "is too large to draw".to_string());
        }
        let svg = svgs.load_data(path, bytes).map_err(|e| e.to_string())?;
        Ok(Logo::Vector(Box::new(svg.tree)))
    }

    /// The logo's own size (SVG units or pixels).
    fn own_size(&self) -> (f32, f32) {
        match self {
            Logo::Vector(tree) => (tree.size().width(), tree.size().height()),
            Logo::Bitmap(bitmap) => (bitmap.width() as f32, bitmap.height() as f32),
        }
    }

    /// Width over height, within 1:20 and 20:1 (beyond, a logo is a line
    /// and its box is set by the other side).
    fn aspect(&self) -> f32 {
        let (width, height) = self.own_size();
        if width > 0.0 && height > 0.0 {
            (width / height).clamp(0.05, 20.0)
        } else {
            1.0
        }
    }

    /// Draws the logo centred in `area` (template units), keeping its
    /// proportions, on a pixmap drawn at `scale` pixels per unit.
    fn draw(
        &self,
        pixmap: &mut Pixmap,
        area: [f32; 4],
        scale: f32,
        limits: &Limits,
    ) -> Result<(), String> {
        let [x, y, width, height] = area;
        let (own_width, own_height) = self.own_size();
        if own_width <= 0.0 || own_height <= 0.0 {
            return Ok(());
        }
        let fit = (width / own_width).min(height / own_height);
        // The logo's top left corner in whole cover pixels, so a logo
        // drawn at its final size is copied without resampling.
        let left = ((x + (width - own_width * fit) / 2.0) * scale).round();
        let top = ((y + (height - own_height * fit) / 2.0) * scale).round();
        let (bitmap, sx, sy) = match self {
            Logo::Vector(tree) => {
                let wanted = fit * scale;
                let drawn = draw::fit(tree, f64::from(wanted), limits)?;
                let logo = draw::render(tree, drawn)?;
                let sx = wanted / drawn.scale_x;
                let sy = wanted / drawn.scale_y;
                (std::borrow::Cow::Owned(logo), sx, sy)
            }
            Logo::Bitmap(bitmap) => (std::borrow::Cow::Borrowed(bitmap), fit * scale, fit * scale),
        };
        let exact = (sx - 1.0).abs() < 1e-3 && (sy - 1.0).abs() < 1e-3;
        let paint = PixmapPaint {
            quality: if exact {
                FilterQuality::Nearest
            } else {
                FilterQuality::Bicubic
            },
            ..PixmapPaint::default()
        };
        let transform = if exact {
            Transform::from_translate(left, top)
        } else {
            Transform::from_row(sx, 0.0, 0.0, sy, left, top)
        };
        pixmap.draw_pixmap(0, 0, bitmap.as_ref().as_ref(), &paint, transform, None);
        Ok(())
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
        Some(subtitle) => meta
            .labels
            .with("Cover", &format!("{}. {subtitle}", meta.title)),
        None => meta.labels.with("Cover", &meta.title),
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
