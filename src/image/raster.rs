//! Raster images (PNG, JPEG, GIF, WebP): their size read from the header alone
//! and checked against the limits before a byte of pixels is allocated,
//! and decoding bounded by the same limits. A 400 KB PNG may claim
//! 20000 × 20000 pixels; this is where it stops.

use crate::limits::Limits;
use ::image::{DynamicImage, ImageFormat, ImageReader};
use std::fmt;
use std::io::{BufRead, Cursor, Read, Seek};
use std::path::Path;

/// An image (or image file) larger than the limits allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge {
    /// What it is: `20000 × 20000 pixels`.
    pub size: String,
    /// The limit it breaks: `limits.image_pixels (40000000 pixels)`.
    pub limit: String,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "is {}, over {}", self.size, self.limit)
    }
}

/// Checks a pixel size against `limits.image_side` and `limits.image_pixels`.
pub fn check_pixels(width: u32, height: u32, limits: &Limits) -> Result<(), TooLarge> {
    let size = format!("{width} × {height} pixels");
    if width > limits.image_side || height > limits.image_side {
        return Err(TooLarge {
            size,
            limit: format!("limits.image_side ({} pixels a side)", limits.image_side),
        });
    }
    if u64::from(width) * u64::from(height) > limits.image_pixels {
        return Err(TooLarge {
            size,
            limit: format!("limits.image_pixels ({} pixels)", limits.image_pixels),
        });
    }
    Ok(())
}

/// Checks a file size against `limits.image_bytes`.
pub fn check_bytes(len: u64, limits: &Limits) -> Result<(), TooLarge> {
    if len > limits.image_bytes {
        return Err(TooLarge {
            size: format!("{len} bytes"),
            limit: format!("limits.image_bytes ({} bytes)", limits.image_bytes),
        });
    }
    Ok(())
}

/// Why an image file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unusable {
    TooLarge(TooLarge),
    /// Unreadable or undecodable, with the reason.
    Broken(String),
}

impl fmt::Display for Unusable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unusable::TooLarge(t) => t.fmt(f),
            Unusable::Broken(why) => f.write_str(why),
        }
    }
}

impl From<TooLarge> for Unusable {
    fn from(t: TooLarge) -> Self {
        Unusable::TooLarge(t)
    }
}

/// Reads a whole image file, refusing one over `limits.image_bytes`
/// before reading it (and should it grow meanwhile, while reading).
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, Unusable> {
    let file =
        std::fs::File::open(path).map_err(|e| Unusable::Broken(format!("cannot be read: {e}")))?;
    let len = file
        .metadata()
        .map_err(|e| Unusable::Broken(format!("cannot be read: {e}")))?
        .len();
    check_bytes(len, limits)?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(limits.image_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Unusable::Broken(format!("cannot be read: {e}")))?;
    check_bytes(bytes.len() as u64, limits)?;
    Ok(bytes)
}

/// The pixel size a PNG, JPEG, GIF or WebP header declares; `Ok(None)`
/// for other formats.
pub fn dimensions<R: BufRead + Seek>(mut reader: R) -> Result<Option<(u32, u32)>, String> {
    let mut head = [0u8; 10];
    let n = reader.read(&mut head).map_err(|e| e.to_string())?;
    if head.get(..n).is_some_and(|h| h.starts_with(b"GIF8")) {
        // The logical screen: two little-endian u16 after the signature.
        let (Some(&[w0, w1]), Some(&[h0, h1])) = (head.get(6..8), head.get(8..10)) else {
            return Err("has a truncated GIF header".into());
        };
        let w = u16::from_le_bytes([w0, w1]);
        let h = u16::from_le_bytes([h0, h1]);
        return Ok(Some((u32::from(w), u32::from(h))));
    }
    reader.rewind().map_err(|e| e.to_string())?;
    let reader = ImageReader::new(reader)
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    match reader.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP) => reader
            .into_dimensions()
            .map(Some)
            .map_err(|e| format!("has an unreadable header: {e}")),
        _ => Ok(None),
    }
}

/// Checks an image file on disk: its size, then the pixels its header
/// declares. Nothing but the header is read.
pub fn check_file(path: &Path, limits: &Limits) -> Result<(), Unusable> {
    let file =
        std::fs::File::open(path).map_err(|e| Unusable::Broken(format!("cannot be read: {e}")))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    check_bytes(len, limits)?;
    let dims = dimensions(std::io::BufReader::new(file)).map_err(Unusable::Broken)?;
    if let Some((w, h)) = dims {
        check_pixels(w, h, limits)?;
    }
    Ok(())
}

/// Checks image bytes already in memory, as [`check_file`] does.
pub fn check_bytes_of(bytes: &[u8], limits: &Limits) -> Result<(), Unusable> {
    check_bytes(bytes.len() as u64, limits)?;
    if let Some((w, h)) = dimensions(Cursor::new(bytes)).map_err(Unusable::Broken)? {
        check_pixels(w, h, limits)?;
    }
    Ok(())
}

/// Decodes a PNG, JPEG, GIF or WebP (CMYK JPEGs come out as RGB; of an
/// animation, the first frame) after checking its header; the decoder may
/// allocate no more than four bytes per pixel of `limits.image_pixels`.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<DynamicImage, Unusable> {
    check_bytes_of(bytes, limits)?;
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Unusable::Broken(format!("cannot be read: {e}")))?;
    let mut bounds = ::image::Limits::default();
    bounds.max_image_width = Some(limits.image_side);
    bounds.max_image_height = Some(limits.image_side);
    bounds.max_alloc = Some(limits.image_pixels.saturating_mul(4));
    reader.limits(bounds);
    reader
        .decode()
        .map_err(|e| Unusable::Broken(format!("cannot be decoded: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG whose header claims `width` × `height` grey pixels, with a
    /// few bytes of pixel data behind it.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut z, &[0u8; 64]).unwrap();
        let idat = z.finish().unwrap();
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [(&b"IHDR"[..], &ihdr[..]), (b"IDAT", &idat), (b"IEND", &[])] {
            let mut chunk = kind.to_vec();
            chunk.extend_from_slice(data);
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            png.extend_from_slice(&chunk);
            png.extend_from_slice(&crc(&chunk).to_be_bytes());
        }
        png
    }

    fn crc(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    #[test]
    fn headers_are_checked_before_decoding() {
        let limits = Limits::default();
        let bomb = png_header(20_000, 20_000);
        assert_eq!(
            dimensions(Cursor::new(&bomb)).unwrap(),
            Some((20_000, 20_000))
        );
        let err = decode(&bomb, &limits).unwrap_err();
        assert!(err.to_string().contains("limits.image_side"), "{err}");
        let wide = png_header(10_000, 10_000);
        let err = decode(&wide, &limits).unwrap_err();
        assert!(err.to_string().contains("limits.image_pixels"), "{err}");
        let gif = b"GIF89a\xff\xff\x10\x00rest";
        assert_eq!(
            dimensions(Cursor::new(&gif[..])).unwrap(),
            Some((65535, 16))
        );
        assert_eq!(dimensions(Cursor::new(b"<svg/>")).unwrap(), None);
    }

    #[test]
    fn small_images_decode() {
        let mut png = Vec::new();
        DynamicImage::new_luma8(3, 2)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let img = decode(&png, &Limits::default()).unwrap();
        assert_eq!((img.width(), img.height()), (3, 2));
        let tight = Limits {
            image_bytes: 10,
            ..Limits::default()
        };
        assert!(
            decode(&png, &tight)
                .unwrap_err()
                .to_string()
                .contains("image_bytes")
        );
    }
}
