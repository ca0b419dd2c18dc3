//! SVG to PNG with resvg, using only the fonts shipped in the project's
//! `fonts/` folder, so the cover and rasterised figures look the same on
//! every machine and never depend on what the system has installed.

use crate::diag::Diagnostics;
use anyhow::{Context, Result};
use image::ImageEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};
use std::path::Path;
use std::sync::Arc;

/// Family names the templates and SVG files use for `serif`/`sans-serif`.
const SERIF: &str = "Noto Serif";
const SANS: &str = "Noto Sans";

/// Loads every `.ttf`/`.otf` file of `fonts_dir` (in name order, so the
/// choice among equal faces is stable). Warns when there are none: text in
/// SVGs then does not render.
pub(crate) fn load_fonts(fonts_dir: &Path, diags: &mut Diagnostics) -> Arc<fontdb::Database> {
    let mut db = fontdb::Database::new();
    let mut files: Vec<_> = match std::fs::read_dir(fonts_dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| e.eq_ignore_ascii_case("ttf") || e.eq_ignore_ascii_case("otf"))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    for file in &files {
        match std::fs::read(file) {
            Ok(data) => db.load_font_data(data),
            Err(e) => diags.warn(file, 0, format!("cannot read font: {e}")),
        }
    }
    if db.is_empty() {
        diags.warn(
            fonts_dir,
            0,
            "no fonts found: text on the EPUB cover and in SVG images will not be drawn",
        );
    }
    db.set_serif_family(SERIF);
    db.set_sans_serif_family(SANS);
    Arc::new(db)
}

/// usvg options over the project fonts. `resources_dir` is where relative
/// `<image href>`s in the SVG are looked up (the SVG's own folder), if any.
pub(crate) fn svg_options(
    fonts: &Arc<fontdb::Database>,
    resources_dir: Option<&Path>,
) -> usvg::Options<'static> {
    let mut options = usvg::Options {
        font_family: SANS.to_string(),
        fontdb: fonts.clone(),
        resources_dir: resources_dir.map(Path::to_path_buf),
        ..usvg::Options::default()
    };
    options.font_resolver.select_font = sans_fallback();
    if resources_dir.is_none() {
        // Without a folder to resolve against, a file reference would be
        // read relative to the working directory: refuse it instead.
        options.image_href_resolver.resolve_string = Box::new(|_, _| None);
    }
    options
}

/// usvg's font selection, except that text asking only for fonts folio
/// does not ship (`DejaVu Sans`, `Open Sans`...) gets the sans-serif face
/// rather than usvg's serif fallback: text in logos and diagrams from the
/// web is nearly always sans.
fn sans_fallback() -> usvg::FontSelectionFn<'static> {
    let default = usvg::FontResolver::default_font_selector();
    Box::new(move |font, db| {
        let available = font.families().iter().any(|family| match family {
            usvg::FontFamily::Named(name) => db.faces().any(|face| {
                face.families
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case(name))
            }),
            _ => true,
        });
        if available {
            return default(font, db);
        }
        let style = match font.style() {
            usvg::FontStyle::Normal => fontdb::Style::Normal,
            usvg::FontStyle::Italic => fontdb::Style::Italic,
            usvg::FontStyle::Oblique => fontdb::Style::Oblique,
        };
        let query = fontdb::Query {
            families: &[fontdb::Family::SansSerif],
            weight: fontdb::Weight(font.weight()),
            stretch: fontdb::Stretch::Normal,
            style,
        };
        db.query(&query).or_else(|| default(font, db))
    })
}

/// Renders SVG `data` as PNG, scaled so the longer side is at most
/// `max_side` pixels and the image is at most `max_scale` times its own size.
pub(crate) fn svg_to_png(
    data: &[u8],
    options: &usvg::Options,
    max_side: u32,
    max_scale: f32,
) -> Result<Vec<u8>> {
    let tree = usvg::Tree::from_data(data, options).context("invalid SVG")?;
    let size = tree.size();
    let longer = size.width().max(size.height());
    let scale = (max_side as f32 / longer).min(max_scale);
    let width = (size.width() * scale).round().max(1.0) as u32;
    let height = (size.height() * scale).round().max(1.0) as u32;
    let mut pixmap = Pixmap::new(width, height).context("SVG too large to draw")?;
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode_png(&pixmap)
}

/// PNG bytes of a pixmap. tiny-skia keeps premultiplied alpha; PNG wants it
/// straight. An opaque image (the cover) is written as RGB: a quarter less
/// to compress. Fast compression with the `Sub` filter: these images are
/// mostly flat colour, where it does as well as trying every filter per
/// row, in a fraction of the time.
fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>> {
    let opaque = pixmap.pixels().iter().all(|p| p.alpha() == u8::MAX);
    let (data, color) = if opaque {
        let mut rgb = Vec::with_capacity(pixmap.pixels().len() * 3);
        for p in pixmap.pixels() {
            rgb.extend_from_slice(&[p.red(), p.green(), p.blue()]);
        }
        (rgb, image::ExtendedColorType::Rgb8)
    } else {
        let mut rgba = Vec::with_capacity(pixmap.data().len());
        for pixel in pixmap.pixels() {
            let c = pixel.demultiply();
            rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
        }
        (rgba, image::ExtendedColorType::Rgba8)
    };
    let mut png = Vec::new();
    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::Sub)
        .write_image(&data, pixmap.width(), pixmap.height(), color)
        .context("cannot encode PNG")?;
    Ok(png)
}
