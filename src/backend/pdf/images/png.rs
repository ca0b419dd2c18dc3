//! PNG pass-through: an 8-bit, non-interlaced grey or RGB PNG with no
//! transparency goes into the PDF as its own zlib data (the IDAT chunks
//! joined) with PNG predictor `/DecodeParms`, which is exactly how PDF
//! readers undo PNG row filters. Nothing is unfiltered or re-compressed;
//! the data is only inflated once, into nothing, to check that it holds
//! exactly the rows the header promises with valid filter bytes, so a
//! broken file goes the decoding path and gets its warning there.

use super::{Image, ImageData};
use crate::image::raster;
use std::io::Write;

const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The image for `bytes` when it can be passed through, else `None`
/// (a PNG of another kind, a broken one, or not a PNG at all).
pub(super) fn pass_through(bytes: &[u8], limits: &crate::Limits) -> Option<Image> {
    let rest = bytes.strip_prefix(SIGNATURE)?;
    let mut header = None;
    let mut idat = Vec::new();
    let mut pos = 0;
    loop {
        let len =
            usize::try_from(u32::from_be_bytes(rest.get(pos..pos + 4)?.try_into().ok()?)).ok()?;
        let kind = rest.get(pos + 4..pos + 8)?;
        let data = rest.get(pos + 8..pos.checked_add(8)?.checked_add(len)?)?;
        match kind {
            b"IHDR" => header = Some(data),
            b"IDAT" => idat.extend_from_slice(data),
            // Transparency or a palette: decoded instead.
            b"tRNS" | b"PLTE" => return None,
            b"IEND" => break,
            _ => {}
        }
        pos = pos.checked_add(12)?.checked_add(len)?;
    }
    let &[
        w0,
        w1,
        w2,
        w3,
        h0,
        h1,
        h2,
        h3,
        depth,
        color,
        _,
        _,
        interlace,
    ] = header?
    else {
        return None;
    };
    let width = u32::from_be_bytes([w0, w1, w2, w3]);
    let height = u32::from_be_bytes([h0, h1, h2, h3]);
    let colors = match color {
        0 => 1u8,
        2 => 3,
        _ => return None,
    };
    if depth != 8 || interlace != 0 || width == 0 || height == 0 {
        return None;
    }
    raster::check_pixels(width, height, limits).ok()?;
    let row = 1 + usize::try_from(width).ok()? * usize::from(colors);
    let expected = row.checked_mul(usize::try_from(height).ok()?)?;
    if !rows_intact(&idat, row, expected) {
        return None;
    }
    Some(Image {
        width,
        height,
        data: ImageData::Png { idat, colors },
    })
}

/// Whether `zlib` inflates to exactly `expected` bytes in rows of `row`
/// bytes, each starting with a filter type of 0 to 4. Stops at the first
/// byte past `expected`, so a bomb costs no more than an honest file.
fn rows_intact(zlib: &[u8], row: usize, expected: usize) -> bool {
    struct Rows {
        row: usize,
        seen: usize,
        expected: usize,
    }
    impl Write for Rows {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.seen + buf.len() > self.expected {
                return Err(std::io::Error::other("more data than rows"));
            }
            // Row starts inside this buffer.
            let mut at = (self.row - self.seen % self.row) % self.row;
            while let Some(&filter) = buf.get(at) {
                if filter > 4 {
                    return Err(std::io::Error::other("bad filter type"));
                }
                at += self.row;
            }
            self.seen += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut rows = Rows {
        row,
        seen: 0,
        expected,
    };
    let mut decoder = flate2::read::ZlibDecoder::new(zlib);
    std::io::copy(&mut decoder, &mut rows).is_ok() && rows.seen == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG of `width` × `height` pixels with `colors` samples each (2 for
    /// RGB, 0 for grey as the colour type says), rows filtered with `filter`.
    fn png(width: u32, height: u32, color: u8, filter: u8, extra: &[&[u8]]) -> Vec<u8> {
        let colors = if color == 2 { 3 } else { 1 };
        let mut raw = Vec::new();
        for y in 0..height {
            raw.push(filter);
            for x in 0..width * colors {
                raw.push((x * 7 + y * 13) as u8);
            }
        }
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&raw).unwrap();
        let idat = z.finish().unwrap();
        let mut out = SIGNATURE.to_vec();
        let mut chunk = |kind: &[u8], data: &[u8]| {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            out.extend_from_slice(&[0; 4]);
        };
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, color, 0, 0, 0]);
        chunk(b"IHDR", &ihdr);
        for e in extra {
            chunk(&e[..4], &e[4..]);
        }
        // Split across two IDAT chunks, as encoders do.
        let (a, b) = idat.split_at(idat.len() / 2);
        chunk(b"IDAT", a);
        chunk(b"IDAT", b);
        chunk(b"IEND", &[]);
        out
    }

    fn idat_of(image: &Image) -> &[u8] {
        match &image.data {
            ImageData::Png { idat, .. } => idat,
            _ => panic!("not passed through"),
        }
    }

    #[test]
    fn plain_pngs_pass_through_with_their_zlib_data_unchanged() {
        let limits = crate::Limits::default();
        for (color, colors) in [(2, 3), (0, 1)] {
            let file = png(5, 4, color, 1, &[]);
            let image = pass_through(&file, &limits).expect("passed through");
            assert_eq!((image.width, image.height), (5, 4));
            assert!(matches!(image.data, ImageData::Png { colors: c, .. } if c == colors));
            // The IDAT chunks joined, byte for byte.
            let mut z = flate2::read::ZlibDecoder::new(idat_of(&image));
            let mut raw = Vec::new();
            std::io::Read::read_to_end(&mut z, &mut raw).unwrap();
            assert_eq!(raw.len(), 4 * (1 + 5 * colors as usize));
        }
    }

    #[test]
    fn other_pngs_are_left_to_the_decoder() {
        let limits = crate::Limits::default();
        // Transparency by colour key, a bad filter byte, rows missing.
        assert!(pass_through(&png(5, 4, 2, 0, &[b"tRNS\0\0\0\0\0\0"]), &limits).is_none());
        assert!(pass_through(&png(5, 4, 2, 9, &[]), &limits).is_none());
        let mut short = png(5, 4, 0, 0, &[]);
        short[16..20].copy_from_slice(&9u32.to_be_bytes());
        assert!(pass_through(&short, &limits).is_none());
        // Cut anywhere: no pass-through, no panic.
        let file = png(3, 3, 0, 0, &[]);
        for end in 0..file.len() - 12 {
            assert!(pass_through(&file[..end], &limits).is_none());
        }
    }
}
