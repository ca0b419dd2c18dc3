//! The images of the disk cache (`<out>/.folio-cache/pdf-images/`, see
//! [`crate::backend::pdf::disk_cache`]): decoding a PNG, drawing an SVG
//! and deflating the pixels is a quarter of a corpus build, and the files
//! rarely change.
//!
//! An entry holds an image's compressed samples and alpha plane, exactly
//! the bytes the deflate worker made, so a hit gives the PDF a miss gives.
//! Its key is a SHA-256 of everything that makes those bytes (see
//! [`KeyParts`]). An entry is used only when its header names its key and
//! its payload's digest matches: anything else is a miss, the image made
//! again and the entry rewritten.

use crate::backend::pdf::disk_cache::{DiskCache, Reader, key_hasher, seal, sealed};
pub use crate::backend::pdf::disk_cache::{Key, digest};
use sha2::Digest;

/// Changes whenever the entry layout, what a key covers or the compressor
/// changes (2: libdeflate, where zlib-rs made different bytes).
const FORMAT: &[u8] = b"folio pdf-images 2";
/// First bytes of every entry.
const MAGIC: &[u8; 8] = b"FOLIOIMG";
/// Header: magic, key, width, height, colors, white, has alpha, spare,
/// samples' length, alpha's length, digest of the rest of the header and
/// the payload.
const HEADER: usize = 8 + 32 + 4 + 4 + 4 + 8 + 8 + 32;

/// Everything that makes an entry's bytes.
pub struct KeyParts<'a> {
    /// `raster` or `svg`.
    pub kind: &'a str,
    /// The deflate level of the samples.
    pub level: u32,
    /// The raster width (0 for a raster file, loaded at its own size).
    pub width: u32,
    /// The limits (an SVG is drawn smaller when they say so).
    pub limits: &'a str,
    /// SVG: the dpi; 0 for a raster file.
    pub dpi: f32,
    /// SVG: the fingerprint of the fonts its text is set in.
    pub fonts: Option<&'a [u8; 32]>,
    /// The digest of the file's bytes (an SVG's and every file it read).
    pub source: &'a [u8; 32],
}

impl KeyParts<'_> {
    /// The key.
    pub fn key(&self) -> Key {
        let mut h = key_hasher(FORMAT);
        h.update((self.kind.len() as u64).to_le_bytes());
        h.update(self.kind.as_bytes());
        h.update(self.level.to_le_bytes());
        h.update(self.width.to_le_bytes());
        h.update((self.limits.len() as u64).to_le_bytes());
        h.update(self.limits.as_bytes());
        h.update(self.dpi.to_bits().to_le_bytes());
        match self.fonts {
            Some(fonts) => {
                h.update([1]);
                h.update(fonts);
            }
            None => h.update([0]),
        }
        h.update(self.source);
        h.finalize().into()
    }
}

/// One cached image: its compressed samples and alpha plane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub width: u32,
    pub height: u32,
    pub colors: u8,
    pub white: bool,
    pub samples: Vec<u8>,
    pub alpha: Option<Vec<u8>>,
}

/// The bytes of `entry` filed under `key`.
pub fn encode(key: &Key, entry: &Entry) -> Vec<u8> {
    let alpha = entry.alpha.as_deref().unwrap_or_default();
    let mut out = Vec::with_capacity(HEADER + entry.samples.len() + alpha.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(key);
    out.extend_from_slice(&entry.width.to_le_bytes());
    out.extend_from_slice(&entry.height.to_le_bytes());
    out.extend_from_slice(&[
        entry.colors,
        u8::from(entry.white),
        u8::from(entry.alpha.is_some()),
        0,
    ]);
    out.extend_from_slice(&(entry.samples.len() as u64).to_le_bytes());
    out.extend_from_slice(&(alpha.len() as u64).to_le_bytes());
    seal(&mut out, &[&entry.samples, alpha]);
    out
}

/// The entry in `bytes` if they are one, filed under `key`, whole: `None`
/// for anything else (short, foreign, damaged). Never panics.
pub fn decode(key: &Key, bytes: &[u8]) -> Option<Entry> {
    let mut r = Reader(bytes);
    if r.take(MAGIC.len())? != MAGIC || r.take(32)? != key {
        return None;
    }
    let width = u32::from_le_bytes(r.array()?);
    let height = u32::from_le_bytes(r.array()?);
    let [colors, white, has_alpha, _] = r.array()?;
    let samples_len = usize::try_from(u64::from_le_bytes(r.array()?)).ok()?;
    let alpha_len = usize::try_from(u64::from_le_bytes(r.array()?)).ok()?;
    let want: [u8; 32] = r.array()?;
    let samples = r.take(samples_len)?;
    let alpha = r.take(alpha_len)?;
    let usable = r.0.is_empty()
        && matches!(colors, 1 | 3)
        && white <= 1
        && has_alpha <= 1
        && (has_alpha == 1 || alpha.is_empty())
        && width > 0
        && height > 0;
    if !usable || !sealed(bytes.get(..HEADER - 32)?, &[samples, alpha], &want) {
        return None;
    }
    Some(Entry {
        width,
        height,
        colors,
        white: white == 1,
        samples: samples.to_vec(),
        alpha: (has_alpha == 1).then(|| alpha.to_vec()),
    })
}

/// The entry of `key`, if `cache` holds a good one of an image within
/// `limits`.
pub fn get(cache: &DiskCache, key: &Key, limits: &crate::Limits) -> Option<Entry> {
    // The limits' biggest image, samples and alpha (4 bytes a pixel),
    // twice over for what deflate may add, plus the header.
    let max_bytes = limits
        .image_pixels
        .saturating_mul(4 * 2)
        .saturating_add(HEADER as u64);
    let bytes = cache.read(&cache.images, key, max_bytes)?;
    let entry = decode(key, &bytes)?;
    crate::image::raster::check_pixels(entry.width, entry.height, limits).ok()?;
    Some(entry)
}

/// Keeps `entry` to be written under `key` once the build's outputs are.
pub fn put(cache: &DiskCache, key: Key, entry: &Entry) {
    cache.images.put(key, encode(&key, entry));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::pdf::disk_cache::{FOLDER, hex};
    use std::fs::{self, File};
    use std::path::Path;
    use std::time::{Duration, SystemTime};

    fn sample() -> (Key, Entry) {
        let key = digest(b"key");
        let entry = Entry {
            width: 3,
            height: 2,
            colors: 3,
            white: true,
            // Compressed as the deflate worker compresses an image.
            samples: crate::backend::pdf::deflate::deflate(&[200; 18], 4),
            alpha: Some(crate::backend::pdf::deflate::deflate(
                &[0, 255, 9, 9, 9, 255],
                4,
            )),
        };
        (key, entry)
    }

    #[test]
    fn entries_read_back_as_written() {
        let (key, entry) = sample();
        assert_eq!(decode(&key, &encode(&key, &entry)), Some(entry.clone()));
        let opaque = Entry {
            alpha: None,
            white: false,
            ..entry
        };
        assert_eq!(decode(&key, &encode(&key, &opaque)), Some(opaque));
    }

    #[test]
    fn damaged_or_foreign_entries_are_refused_without_panic() {
        let (key, entry) = sample();
        let bytes = encode(&key, &entry);
        crate::backend::pdf::disk_cache::assert_damage_refused(&bytes, |b| {
            decode(&key, b).is_some()
        });
        assert_eq!(decode(&digest(b"other"), &bytes), None);
        assert_eq!(decode(&key, &[]), None);
    }

    /// Sets `path`'s modification time `days` back.
    fn age(path: &Path, days: u64) {
        let then = SystemTime::now() - Duration::from_secs(days * 24 * 3600);
        File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(then)
            .unwrap();
    }

    fn modified(path: &Path) -> SystemTime {
        fs::metadata(path).unwrap().modified().unwrap()
    }

    #[test]
    fn hits_refresh_old_entries_and_unused_ones_are_pruned() {
        let out = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(out.path());
        let limits = crate::Limits::default();
        let (key, entry) = sample();
        let other = digest(b"other");
        put(&cache, key, &entry);
        put(&cache, other, &entry);
        cache.flush();
        let dir = out.path().join(FOLDER).join("pdf-images");
        let (used, unused) = (dir.join(hex(&key)), dir.join(hex(&other)));
        assert!(used.is_file() && unused.is_file());
        assert_eq!(get(&cache, &key, &limits), Some(entry.clone()));

        // Both 40 days old; a hit marks one used again.
        age(&used, 40);
        age(&unused, 40);
        let before = modified(&used);
        assert_eq!(get(&cache, &key, &limits), Some(entry));
        assert!(modified(&used) > before, "a hit refreshes an old entry");
        cache.prune();
        assert!(used.is_file(), "used within 30 days");
        assert!(!unused.exists(), "unused for 40 days");

        // A hit on an entry younger than a day leaves its time alone.
        age(&used, 0);
        let before = modified(&used);
        assert!(get(&cache, &key, &limits).is_some());
        assert_eq!(modified(&used), before);
    }

    #[test]
    fn entries_past_the_limits_are_not_read() {
        let out = tempfile::tempdir().unwrap();
        let cache = DiskCache::new(out.path());
        let (key, entry) = sample();
        put(&cache, key, &entry);
        cache.flush();
        let small = crate::Limits {
            image_pixels: 4,
            ..crate::Limits::default()
        };
        // Bigger than 4 pixels × 8 bytes + header, and 3 × 2 pixels.
        assert_eq!(get(&cache, &key, &small), None);
        assert!(get(&cache, &key, &crate::Limits::default()).is_some());
    }

    #[test]
    fn keys_change_with_every_part() {
        let source = digest(b"a");
        let fonts = digest(b"f");
        let base = KeyParts {
            kind: "svg",
            level: 4,
            width: 100,
            limits: "l",
            dpi: 300.0,
            fonts: Some(&fonts),
            source: &source,
        };
        let other_source = digest(b"b");
        let other_fonts = digest(b"g");
        let variants = [
            KeyParts {
                kind: "raster",
                ..base
            },
            KeyParts { level: 5, ..base },
            KeyParts { width: 101, ..base },
            KeyParts {
                limits: "m",
                ..base
            },
            KeyParts { dpi: 150.0, ..base },
            KeyParts {
                fonts: None,
                ..base
            },
            KeyParts {
                fonts: Some(&other_fonts),
                ..base
            },
            KeyParts {
                source: &other_source,
                ..base
            },
        ];
        let mut keys: Vec<Key> = variants.iter().map(KeyParts::key).collect();
        keys.push(base.key());
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }
}
