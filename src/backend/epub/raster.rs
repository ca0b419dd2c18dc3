//! SVG to PNG with resvg, using only the fonts shipped in the project's
//! `fonts/` folder, so the cover and rasterised figures look the same on
//! every machine and never depend on what the system has installed.

use crate::diag::Diagnostics;
use anyhow::{Context, Result};
use image::ImageEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use resvg::tiny_skia::{self, Pixmap, Transform};
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
    let (pixmap, _) = draw(&tree, max_side, max_scale)?;
    encode_png(pixmap)
}

/// Draws `tree` into a new pixmap scaled as [`svg_to_png`] says; returns
/// it with the scale used.
pub(crate) fn draw(tree: &usvg::Tree, max_side: u32, max_scale: f32) -> Result<(Pixmap, f32)> {
    let size = tree.size();
    let longer = size.width().max(size.height());
    let scale = (max_side as f32 / longer).min(max_scale);
    let width = (size.width() * scale).round().max(1.0) as u32;
    let height = (size.height() * scale).round().max(1.0) as u32;
    let mut pixmap = Pixmap::new(width, height).context("SVG too large to draw")?;
    resvg::render(
        tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok((pixmap, scale))
}

/// PNG bytes of a pixmap. tiny-skia keeps premultiplied alpha; PNG wants it
/// straight. An opaque image (the cover) is written as RGB: a quarter less
/// to compress. Deflate level 2 with the `Up` filter: these images are
/// flat colour and horizontal bands, where `Up` beats trying every filter
/// per row at a fraction of the time; on the cover, level 2 takes 6 ms for
/// 124 KB where the fastest setting gives 259 KB and the default level
/// 102 KB for twice the time.
pub(crate) fn encode_png(pixmap: Pixmap) -> Result<Vec<u8>> {
    let (width, height) = (pixmap.width(), pixmap.height());
    // Converted in place: the cover's pixels are 15 MB, no need for a copy.
    let mut data = pixmap.take();
    let opaque = data.chunks_exact(4).all(|px| px[3] == u8::MAX);
    let color = if opaque {
        // Premultiplied equals straight when opaque; drop every alpha byte.
        // Writing never overtakes reading (3 bytes out per 4 in).
        for i in 0..data.len() / 4 {
            data.copy_within(i * 4..i * 4 + 3, i * 3);
        }
        data.truncate(data.len() / 4 * 3);
        image::ExtendedColorType::Rgb8
    } else {
        for px in data.chunks_exact_mut(4) {
            let c = tiny_skia::PremultipliedColorU8::from_rgba(px[0], px[1], px[2], px[3])
                .map(|c| c.demultiply());
            if let Some(c) = c {
                px.copy_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
            }
        }
        image::ExtendedColorType::Rgba8
    };
    let mut png = Vec::new();
    PngEncoder::new_with_quality(&mut png, CompressionType::Level(2), FilterType::Up)
        .write_image(&data, width, height, color)
        .context("cannot encode PNG")?;
    Ok(png)
}
