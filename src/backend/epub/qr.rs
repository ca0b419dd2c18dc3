//! QR codes as PNG images for the EPUB: every module a square of pixels,
//! black on white, with the four-module quiet zone scanners need. PNG
//! rather than inline SVG: every reading system shows it.

use crate::model::Qr;
use anyhow::{Context, Result};
use image::ImageEncoder;
use image::codecs::png::PngEncoder;

/// Pixels per module: sharp on a high-density screen, a few KB of PNG.
const SCALE: usize = 8;
/// The light margin around the symbol, in modules.
const QUIET: usize = 4;

/// The PNG of `qr`.
pub(crate) fn png(qr: &Qr) -> Result<Vec<u8>> {
    let modules = qr.size() + 2 * QUIET;
    let side = modules * SCALE;
    let mut pixels = vec![u8::MAX; side * side];
    for (row, first, len) in qr.dark_runs() {
        for y in (row + QUIET) * SCALE..(row + QUIET + 1) * SCALE {
            let start = y * side + (first + QUIET) * SCALE;
            if let Some(run) = pixels.get_mut(start..start + len * SCALE) {
                run.fill(0);
            }
        }
    }
    let side = u32::try_from(side).context("QR code too large")?;
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(&pixels, side, side, image::ExtendedColorType::L8)
        .context("cannot encode the QR code as PNG")?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_become_squares_inside_a_quiet_zone() {
        let qr = Qr {
            text: "x".into(),
            alt: None,
            modules: vec!["#.".into(), ".#".into()],
        };
        let bytes = png(&qr).unwrap();
        let img = image::load_from_memory(&bytes).unwrap().to_luma8();
        let side = (2 + 2 * QUIET) * SCALE;
        assert_eq!(img.dimensions(), (side as u32, side as u32));
        let at = |mx: usize, my: usize| {
            img.get_pixel(
                ((mx + QUIET) * SCALE + SCALE / 2) as u32,
                ((my + QUIET) * SCALE + SCALE / 2) as u32,
            )[0]
        };
        assert_eq!((at(0, 0), at(1, 0), at(0, 1), at(1, 1)), (0, 255, 255, 0));
        assert_eq!(img.get_pixel(0, 0)[0], 255);
    }
}
