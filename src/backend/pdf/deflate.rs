//! zlib compression of the PDF's streams.

use std::io::Write;

/// `data` zlib-compressed at `level` (0–9).
pub fn deflate(data: &[u8], level: u32) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 3 + 64),
        flate2::Compression::new(level),
    );
    // Writing into a Vec cannot fail.
    if z.write_all(data).is_err() {
        return Vec::new();
    }
    z.finish().unwrap_or_default()
}
