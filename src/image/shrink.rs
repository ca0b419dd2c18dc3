//! Raster images made smaller for the EPUB, and encoded again: a photo of
//! 5312 × 2988 pixels needs no more than a tablet's screen. JPEG stays
//! JPEG (quality 85), anything else becomes PNG. Deterministic: the same
//! pixels give the same bytes.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::{DynamicImage, ImageEncoder};

/// JPEG quality of a re-encoded photo: no visible loss at reading sizes.
pub const JPEG_QUALITY: u8 = 85;

/// The size `width` × `height` scaled so the longer side is at most
/// `max_side`, keeping proportions (each side at least one pixel).
pub fn fitted(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let longer = width.max(height);
    if longer <= max_side || longer == 0 {
        return (width, height);
    }
    let scale = f64::from(max_side) / f64::from(longer);
    let side = |n: u32| ((f64::from(n) * scale).round() as u32).clamp(1, max_side);
    (side(width), side(height))
}

/// `image` with its longer side at most `max_side` pixels: Catmull-Rom
/// (sharp, little ringing; a fifth cheaper than Lanczos3 in the image
/// crate's scalar resizer) from at most twice the final size. A larger
/// image is first brought to twice the size with a box filter, which keeps
/// the resizer's float buffer (16 bytes a pixel) small for the largest
/// photos the limits allow.
pub fn shrink(image: DynamicImage, max_side: u32) -> DynamicImage {
    let (width, height) = fitted(image.width(), image.height(), max_side);
    if (width, height) == (image.width(), image.height()) {
        return image;
    }
    let image = if image.width() > width.saturating_mul(2) {
        let (w, h) = (width.saturating_mul(2), height.saturating_mul(2));
        image.thumbnail_exact(w, h)
    } else {
        image
    };
    image.resize_exact(width, height, FilterType::CatmullRom)
}

/// `image` as JPEG (alpha dropped: callers give opaque images).
pub fn encode_jpeg(image: &DynamicImage) -> Result<Vec<u8>, String> {
    let rgb;
    let opaque: &DynamicImage = if image.color().has_alpha() || image.color().bytes_per_pixel() > 3
    {
        rgb = DynamicImage::ImageRgb8(image.to_rgb8());
        &rgb
    } else {
        image
    };
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(opaque)
        .map_err(|e| format!("cannot be encoded as JPEG: {e}"))?;
    Ok(out)
}

/// `image` as PNG (8 bits a channel).
pub fn encode_png(image: &DynamicImage) -> Result<Vec<u8>, String> {
    let eight;
    let image = match image {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageRgb8(_)
        | DynamicImage::ImageRgba8(_) => image,
        other if other.color().has_alpha() => {
            eight = DynamicImage::ImageRgba8(other.to_rgba8());
            &eight
        }
        other => {
            eight = DynamicImage::ImageRgb8(other.to_rgb8());
            &eight
        }
    };
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Default, PngFilter::Adaptive)
        .write_image(
            image.as_bytes(),
            image.width(),
            image.height(),
            image.color().into(),
        )
        .map_err(|e| format!("cannot be encoded as PNG: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longer_side_is_fitted() {
        assert_eq!(fitted(5000, 3000, 2560), (2560, 1536));
        assert_eq!(fitted(3000, 5000, 2560), (1536, 2560));
        assert_eq!(fitted(2560, 100, 2560), (2560, 100));
        assert_eq!(fitted(100_000, 1, 2560), (2560, 1));
        assert_eq!(fitted(0, 0, 2560), (0, 0));
    }

    #[test]
    fn shrinking_keeps_proportions_and_encodes_the_same_bytes_twice() {
        let photo = DynamicImage::ImageRgb8(image::RgbImage::from_fn(600, 300, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        }));
        let small = shrink(photo.clone(), 100);
        assert_eq!((small.width(), small.height()), (100, 50));
        let a = encode_jpeg(&small).unwrap();
        assert_eq!(a, encode_jpeg(&shrink(photo, 100)).unwrap());
        let back = image::load_from_memory(&a).unwrap();
        assert_eq!((back.width(), back.height()), (100, 50));
        let png = encode_png(&small).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
    }
}
