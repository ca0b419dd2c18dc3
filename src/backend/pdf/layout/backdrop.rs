//! Boxes around figure images: the style's box for a figure `class`, or
//! the backdrop for an image that is mostly white on transparency (a white
//! logo made for a dark website header), which would vanish on white paper.

use super::Layouter;
use crate::backend::pdf::style::FigureBox;
use crate::model::{Asset, AssetFormat, Figure};

/// Share of pixels that must be (mostly) transparent.
const MIN_TRANSPARENT: f64 = 0.1;
/// Share of the opaque pixels that must be near white.
const MIN_WHITE: f64 = 0.6;
/// A channel this bright or brighter is near white.
const WHITE: u8 = 224;
/// Pixels looked at, at most: a sample is as good as all of them.
const SAMPLES: u64 = 40_000;

impl Layouter<'_> {
    /// The box to draw around `fig`'s image: its class's, else the
    /// backdrop when the image needs one.
    pub(super) fn figure_box(&mut self, fig: &Figure, asset: &Asset) -> Option<FigureBox> {
        let fs = &self.style.figure;
        if let Some(b) = fig
            .class
            .as_deref()
            .into_iter()
            .flat_map(str::split_whitespace)
            .find_map(|c| fs.classes.get(c))
        {
            return Some(b.clone());
        }
        let backdrop = fs.backdrop.clone()?;
        let white = *self
            .white_on_clear
            .entry(asset.path.clone())
            .or_insert_with(|| white_on_clear(asset));
        white.then_some(backdrop)
    }
}

/// Whether a PNG, GIF or WebP image is mostly white on transparency. An
/// image that cannot be read is not (the image loader reports it).
pub fn white_on_clear(asset: &Asset) -> bool {
    if !matches!(
        asset.format,
        AssetFormat::Png | AssetFormat::Gif | AssetFormat::Webp
    ) {
        return false;
    }
    let Ok(reader) = image::ImageReader::open(&asset.path).and_then(|r| r.with_guessed_format())
    else {
        return false;
    };
    let Ok(img) = reader.decode() else {
        return false;
    };
    if !img.color().has_alpha() {
        return false;
    }
    is_white_on_clear(&img.to_rgba8())
}

/// The test on decoded pixels.
pub fn is_white_on_clear(img: &image::RgbaImage) -> bool {
    let total = u64::from(img.width()) * u64::from(img.height());
    if total == 0 {
        return false;
    }
    let step = usize::try_from(total.div_ceil(SAMPLES)).unwrap_or(1).max(1);
    let (mut seen, mut clear, mut white) = (0u64, 0u64, 0u64);
    for p in img.pixels().step_by(step) {
        seen += 1;
        let [r, g, b, a] = p.0;
        if a < 128 {
            clear += 1;
        } else if r >= WHITE && g >= WHITE && b >= WHITE {
            white += 1;
        }
    }
    let opaque = seen - clear;
    opaque > 0
        && clear as f64 >= MIN_TRANSPARENT * seen as f64
        && white as f64 >= MIN_WHITE * opaque as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(f: impl Fn(u32, u32) -> [u8; 4]) -> image::RgbaImage {
        image::RgbaImage::from_fn(60, 40, |x, y| image::Rgba(f(x, y)))
    }

    #[test]
    fn white_on_transparency_is_found() {
        // A white mark in the middle of a clear canvas.
        let logo = image(|x, _| {
            if (20..40).contains(&x) {
                [255; 4]
            } else {
                [0; 4]
            }
        });
        assert!(is_white_on_clear(&logo));
        // The same mark in dark blue, or white on an opaque canvas: no.
        let dark = image(|x, _| {
            if (20..40).contains(&x) {
                [20, 40, 90, 255]
            } else {
                [0; 4]
            }
        });
        assert!(!is_white_on_clear(&dark));
        let opaque = image(|x, _| {
            if (20..40).contains(&x) {
                [255; 4]
            } else {
                [0, 0, 0, 255]
            }
        });
        assert!(!is_white_on_clear(&opaque));
        assert!(!is_white_on_clear(&image(|_, _| [0; 4])), "all clear");
    }
}
