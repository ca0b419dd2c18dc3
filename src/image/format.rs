//! What an image file is, from its bytes: a JPEG named `.png` is a JPEG.
//! One answer for the assets pass and both backends.

use crate::model::AssetFormat;

/// How many bytes [`from_bytes`] looks at (an SVG's root element may come
/// after an XML declaration, a doctype and a comment or two).
pub const HEAD: usize = 4096;

/// The format of image bytes (the first [`HEAD`] bytes are enough):
/// PNG, JPEG, GIF and WebP by their signatures, SVG by its root element;
/// [`AssetFormat::Other`] for anything else.
pub fn from_bytes(bytes: &[u8]) -> AssetFormat {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return AssetFormat::Png;
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return AssetFormat::Jpeg;
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return AssetFormat::Gif;
    }
    if bytes.get(..4) == Some(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return AssetFormat::Webp;
    }
    // SVG is text: look for the root element near the start.
    let head = bytes.get(..bytes.len().min(HEAD)).unwrap_or(bytes);
    if String::from_utf8_lossy(head).contains("<svg") {
        return AssetFormat::Svg;
    }
    AssetFormat::Other
}

/// Whether a WebP holds a lossy (photographic) image: a `VP8 ` chunk, and
/// no alpha. Such an image goes into the EPUB as JPEG, others as PNG.
pub fn webp_is_lossy_opaque(bytes: &[u8]) -> bool {
    let chunk = |at: usize| bytes.get(at..at + 4);
    match chunk(12) {
        Some(b"VP8 ") => true,
        // Extended: flags byte after the chunk header; bit 4 is alpha.
        Some(b"VP8X") => {
            let alpha = bytes.get(20).is_some_and(|flags| flags & 0x10 != 0);
            let lossless = bytes.windows(4).take(HEAD).any(|w| w == b"VP8L");
            !alpha && !lossless
        }
        _ => false,
    }
}

/// The EPUB media type and file extension of a raster format, for the
/// formats an EPUB may hold (core media types): PNG, JPEG and GIF.
pub fn epub_media(format: AssetFormat) -> Option<(&'static str, &'static str)> {
    match format {
        AssetFormat::Png => Some(("image/png", "png")),
        AssetFormat::Jpeg => Some(("image/jpeg", "jpg")),
        AssetFormat::Gif => Some(("image/gif", "gif")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_bytes() {
        assert_eq!(from_bytes(b"\x89PNG\r\n\x1a\nrest"), AssetFormat::Png);
        assert_eq!(from_bytes(&[0xFF, 0xD8, 0xFF, 0xE0]), AssetFormat::Jpeg);
        assert_eq!(from_bytes(b"GIF87a.."), AssetFormat::Gif);
        assert_eq!(from_bytes(b"RIFF\0\0\0\0WEBPVP8 "), AssetFormat::Webp);
        assert_eq!(
            from_bytes(b"<?xml version=\"1.0\"?>\n<!-- x -->\n<svg xmlns=\"\"/>"),
            AssetFormat::Svg
        );
        assert_eq!(from_bytes(b"GIF8"), AssetFormat::Other);
        assert_eq!(from_bytes(b""), AssetFormat::Other);
        assert!(webp_is_lossy_opaque(b"RIFF\0\0\0\0WEBPVP8 \0\0"));
        assert!(!webp_is_lossy_opaque(b"RIFF\0\0\0\0WEBPVP8L\0\0"));
        let mut extended = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x10\0\0\0".to_vec();
        assert!(!webp_is_lossy_opaque(&extended));
        extended[20] = 0;
        extended.extend_from_slice(b"VP8 ");
        assert!(webp_is_lossy_opaque(&extended));
    }
}
