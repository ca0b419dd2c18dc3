//! SVG to PNG for the EPUB: loaded by [`crate::image::svg`] (references
//! contained, shipped fonts only), drawn by [`crate::image::draw`] within
//! the limits, and encoded here.

use crate::image::draw;
use crate::limits::Limits;
use anyhow::{Context, Result, anyhow};
use image::ImageEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use resvg::tiny_skia::{self, Pixmap};
use resvg::usvg;

/// Renders `tree` as PNG, scaled so the longer side is at most `max_side`
/// pixels and the image is at most `max_scale` times its own size, or
/// smaller where the limits say so.
pub(crate) fn svg_to_png(
    tree: &usvg::Tree,
    max_side: u32,
    max_scale: f32,
    limits: &Limits,
) -> Result<Vec<u8>> {
    let size = tree.size();
    let longer = f64::from(size.width().max(size.height()));
    let scale = (f64::from(max_side) / longer).min(f64::from(max_scale));
    let fit = draw::fit(tree, scale, limits).map_err(|e| anyhow!(e))?;
    let pixmap = draw::render(tree, fit).map_err(|e| anyhow!(e))?;
    encode_png(pixmap)
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
