//! Decoded pixels in the PDF's layout: colour samples and an alpha plane
//! apart, from a raster file or an SVG drawn by resvg.

use crate::image::draw;
use crate::image::raster::{self, Unusable};
use resvg::usvg;

/// Decoded pixels: `colors` samples per pixel and an alpha plane if any
/// pixel is not opaque.
pub(super) struct Decoded {
    pub width: u32,
    pub height: u32,
    pub samples: Vec<u8>,
    pub colors: u8,
    pub alpha: Option<Vec<u8>>,
}

impl Decoded {
    /// Whether the image is mostly white on transparency (a white logo
    /// made for a dark website header, which would vanish on paper).
    pub fn white_on_clear(&self) -> bool {
        let Some(alpha) = &self.alpha else {
            return false;
        };
        let colors = usize::from(self.colors);
        white_on_clear(alpha.len(), |i| {
            let a = *alpha.get(i)?;
            match *self.samples.get(i * colors..(i + 1) * colors)? {
                [r, g, b] => Some([r, g, b, a]),
                [y] => Some([y, y, y, a]),
                _ => None,
            }
        })
    }
}

/// Share of pixels that must be (mostly) transparent.
const MIN_TRANSPARENT: f64 = 0.1;
/// Share of the opaque pixels that must be near white.
const MIN_WHITE: f64 = 0.6;
/// A channel this bright or brighter is near white.
const WHITE: u8 = 224;
/// Pixels looked at, at most: a sample is as good as all of them.
const SAMPLES: u64 = 40_000;

/// The white-on-transparency test on `total` pixels, `pixel(i)` giving
/// pixel `i` as RGBA.
fn white_on_clear(total: usize, pixel: impl Fn(usize) -> Option<[u8; 4]>) -> bool {
    if total == 0 {
        return false;
    }
    let step = usize::try_from((total as u64).div_ceil(SAMPLES))
        .unwrap_or(1)
        .max(1);
    let (mut seen, mut clear, mut white) = (0u64, 0u64, 0u64);
    for [r, g, b, a] in (0..total).step_by(step).filter_map(pixel) {
        seen += 1;
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

/// Draws `tree` about `width_px` wide, or smaller where the limits say so.
pub(super) fn rasterise(
    tree: &usvg::Tree,
    width_px: u32,
    limits: &crate::Limits,
) -> Result<Decoded, String> {
    let scale = f64::from(width_px) / f64::from(tree.size().width());
    let fit = draw::fit(tree, scale, limits)?;
    let pixmap = draw::render(tree, fit)?;
    // resvg works in premultiplied alpha; the PDF wants straight alpha:
    // converted while the alpha is split out, in the pixmap's own buffer.
    let (samples, alpha) = split_alpha(pixmap.take(), 3, true);
    Ok(Decoded {
        width: fit.width,
        height: fit.height,
        samples,
        colors: 3,
        alpha,
    })
}

/// Splits interleaved samples with a trailing alpha byte (`colors`, 3 or
/// 1, + 1 per pixel) into colour samples and an alpha plane; no plane when
/// every pixel is opaque. `premultiplied` RGBA (resvg's) is made straight.
/// The samples are packed in place, in the buffer they came in, a block at
/// a time: no second buffer as big as the image to allocate and fault in.
fn split_alpha(
    mut pixels: Vec<u8>,
    colors: usize,
    premultiplied: bool,
) -> (Vec<u8>, Option<Vec<u8>>) {
    /// Pixels per block: the block's samples are copied out, then back
    /// to where they go, which is never past what is still to be read.
    const BLOCK: usize = 4096;
    let stride = colors + 1;
    let n = pixels.len() / stride;
    let mut alpha = vec![0u8; n];
    let mut block = vec![0u8; BLOCK * colors];
    for (i, alpha) in alpha.chunks_mut(BLOCK).enumerate() {
        let start = i * BLOCK;
        let count = alpha.len();
        let (Some(from), Some(out)) = (
            pixels.get(start * stride..(start + count) * stride),
            block.get_mut(..count * colors),
        ) else {
            break;
        };
        // One loop per layout, zipped so it has no bounds checks and no
        // calls in it.
        if colors == 3 {
            let pairs = from.chunks_exact(4).zip(out.chunks_exact_mut(3));
            for ((px, rgb), a) in pairs.zip(alpha.iter_mut()) {
                if let (&[r, g, b, alpha], [or, og, ob]) = (px, rgb) {
                    // Opaque and clear pixels (most of them) are the same
                    // either way.
                    [*or, *og, *ob] = if premultiplied && alpha != 255 && alpha != 0 {
                        straight(r, g, b, alpha)
                    } else {
                        [r, g, b]
                    };
                    *a = alpha;
                }
            }
        } else {
            let pairs = from.chunks_exact(2).zip(out.iter_mut());
            for ((px, y), a) in pairs.zip(alpha.iter_mut()) {
                if let &[grey, alpha] = px {
                    *y = grey;
                    *a = alpha;
                }
            }
        }
        if let (Some(to), Some(out)) = (
            pixels.get_mut(start * colors..(start + count) * colors),
            block.get(..count * colors),
        ) {
            to.copy_from_slice(out);
        }
    }
    pixels.truncate(n * colors);
    pixels.shrink_to_fit();
    let opaque = alpha.iter().all(|&a| a == 255);
    (pixels, (!opaque).then_some(alpha))
}

/// A premultiplied colour made straight, as tiny-skia does it.
fn straight(r: u8, g: u8, b: u8, a: u8) -> [u8; 3] {
    match resvg::tiny_skia::PremultipliedColorU8::from_rgba(r, g, b, a) {
        Some(c) => {
            let c = c.demultiply();
            [c.red(), c.green(), c.blue()]
        }
        None => [r, g, b],
    }
}

/// Decodes a PNG, JPEG, GIF or WebP within the limits, into the PDF's
/// pixel layout.
pub(super) fn decode_raster(bytes: &[u8], limits: &crate::Limits) -> Result<Decoded, Unusable> {
    let img = raster::decode(bytes, limits)?;
    let (width, height) = (img.width(), img.height());
    let color = img.color();
    let (samples, colors, alpha) = match (color.has_color(), color.has_alpha()) {
        (true, true) => {
            let (s, a) = split_alpha(img.into_rgba8().into_raw(), 3, false);
            (s, 3, a)
        }
        (false, true) => {
            let (s, a) = split_alpha(img.into_luma_alpha8().into_raw(), 1, false);
            (s, 1, a)
        }
        (true, false) => (img.into_rgb8().into_raw(), 3, None),
        (false, false) => (img.into_luma8().into_raw(), 1, None),
    };
    Ok(Decoded {
        width,
        height,
        samples,
        colors,
        alpha,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 60 × 40 RGBA image from `f`, decoded as the table decodes it.
    fn decoded(f: impl Fn(u32, u32) -> [u8; 4]) -> Decoded {
        let mut rgba = Vec::new();
        for y in 0..40 {
            for x in 0..60 {
                rgba.extend_from_slice(&f(x, y));
            }
        }
        let (samples, alpha) = split_alpha(rgba, 3, false);
        Decoded {
            width: 60,
            height: 40,
            samples,
            colors: 3,
            alpha,
        }
    }

    #[test]
    fn white_on_transparency_is_found() {
        // A white mark in the middle of a clear canvas.
        let mark = |ink: [u8; 4], ground: [u8; 4]| {
            decoded(move |x, _| if (20..40).contains(&x) { ink } else { ground })
        };
        assert!(mark([255; 4], [0; 4]).white_on_clear());
        // The same mark in dark blue, or white on an opaque canvas: no.
        assert!(!mark([20, 40, 90, 255], [0; 4]).white_on_clear());
        assert!(!mark([255; 4], [0, 0, 0, 255]).white_on_clear());
        assert!(!decoded(|_, _| [0; 4]).white_on_clear(), "all clear");
        // Grey with alpha: a white mark too.
        let (samples, alpha) = split_alpha(vec![255, 255, 0, 0, 0, 0, 255, 200], 1, false);
        let grey = Decoded {
            width: 4,
            height: 1,
            samples,
            colors: 1,
            alpha,
        };
        assert!(grey.white_on_clear());
    }

    #[test]
    fn alpha_is_split_into_its_own_plane_unless_all_opaque() {
        let rgba = [1, 2, 3, 255, 4, 5, 6, 7];
        assert_eq!(
            split_alpha(rgba.to_vec(), 3, false),
            (vec![1, 2, 3, 4, 5, 6], Some(vec![255, 7]))
        );
        assert_eq!(
            split_alpha(vec![9, 255, 8, 255], 1, false),
            (vec![9, 8], None)
        );
    }

    #[test]
    fn alpha_is_split_in_place_across_blocks() {
        // Past several blocks, and not a whole number of them.
        let n = 3 * 4096 + 17;
        let rgba: Vec<u8> = (0..n * 4).map(|i| (i * 7 % 251) as u8).collect();
        let (samples, alpha) = split_alpha(rgba.clone(), 3, false);
        let want: Vec<u8> = rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        assert_eq!(samples, want);
        let want_alpha: Vec<u8> = rgba.chunks_exact(4).map(|p| p[3]).collect();
        assert_eq!(alpha, Some(want_alpha));
        let grey: Vec<u8> = (0..n * 2).map(|i| (i % 13) as u8).collect();
        let (samples, alpha) = split_alpha(grey.clone(), 1, false);
        assert_eq!(samples, grey.iter().step_by(2).copied().collect::<Vec<_>>());
        assert_eq!(alpha.unwrap().len(), n);
        // A cut-off last pixel is dropped, not read past.
        assert_eq!(
            split_alpha(vec![1, 2, 3, 255, 9], 3, false),
            (vec![1, 2, 3], None)
        );
    }

    #[test]
    fn premultiplied_pixels_are_made_straight() {
        // Half-transparent red as resvg stores it, then opaque and clear.
        let (samples, alpha) = split_alpha(vec![128, 0, 0, 128, 5, 6, 7, 255, 0, 0, 0, 0], 3, true);
        assert_eq!(samples, vec![255, 0, 0, 5, 6, 7, 0, 0, 0]);
        assert_eq!(alpha, Some(vec![128, 255, 0]));
    }
}
