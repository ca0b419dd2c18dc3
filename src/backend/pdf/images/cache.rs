//! A cache of the PDF's decoded and rasterised images on disk, under the
//! output folder (`<out>/.folio-cache/pdf-images/`, one file per entry
//! named by its key's hex), as Hugo keeps `resources/_gen/`: decoding a
//! PNG, drawing an SVG and deflating the pixels is a quarter of a corpus
//! build, and the files rarely change.
//!
//! An entry holds an image's compressed samples and alpha plane, exactly
//! the bytes the deflate worker made, so a hit gives the PDF a miss gives.
//! Its key is a SHA-256 of everything that makes those bytes (see
//! [`KeyParts`]). An entry is read only from a regular file (no link
//! followed, the cache folders real folders), within a size bound, and
//! only when its header names its key and its payload's digest matches:
//! anything else is a miss, the image made again and the entry rewritten.
//! Entries are written after the build's outputs (never for a build that
//! fails), each to a temporary file renamed into place. A cache that cannot
//! be written is no error: it is simply not there next time.

use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// The cache folder in the output folder (`folio clean` removes it).
pub const FOLDER: &str = ".folio-cache";
/// The PDF images' folder in [`FOLDER`].
const IMAGES: &str = "pdf-images";
/// Changes whenever the entry layout, what a key covers or the compressor
/// changes (2: libdeflate, where zlib-rs made different bytes).
const FORMAT: &[u8] = b"folio pdf-images 2";
/// First bytes of every entry.
const MAGIC: &[u8; 8] = b"FOLIOIMG";
/// Header: magic, key, width, height, colors, white, has alpha, spare,
/// samples' length, alpha's length, digest of the rest of the header and
/// the payload.
const HEADER: usize = 8 + 32 + 4 + 4 + 4 + 8 + 8 + 32;
/// Entries unused this long are removed by [`ImageCache::prune`].
const UNUSED: Duration = Duration::from_secs(30 * 24 * 3600);
/// A hit refreshes an entry's time when it is older than this (not on
/// every hit: one write per entry a day at most).
const REFRESH: Duration = Duration::from_secs(24 * 3600);

/// A cache key: SHA-256 over [`KeyParts`].
pub type Key = [u8; 32];

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
        let mut h = Sha256::new();
        for part in [FORMAT, env!("CARGO_PKG_VERSION").as_bytes()] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
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

/// The SHA-256 of `bytes`.
pub fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
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
    // The digest covers the header before it too: a flipped size or flag
    // is as damaged as a flipped sample.
    let mut h = Sha256::new();
    h.update(&out);
    h.update(&entry.samples);
    h.update(alpha);
    out.extend_from_slice(&h.finalize());
    out.extend_from_slice(&entry.samples);
    out.extend_from_slice(alpha);
    out
}

/// Reads bytes off the front of a slice; `None` past its end.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }
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
    if !usable {
        return None;
    }
    let mut h = Sha256::new();
    h.update(bytes.get(..HEADER - 32)?);
    h.update(samples);
    h.update(alpha);
    if <[u8; 32]>::from(h.finalize()) != want {
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

/// The cache of one output folder: entries read during the build, new
/// ones held until [`ImageCache::flush`] (after the outputs are written).
#[derive(Debug)]
pub struct ImageCache {
    out: PathBuf,
    pending: Mutex<Vec<(Key, Entry)>>,
}

impl ImageCache {
    /// The cache in output folder `out`.
    pub fn new(out: &Path) -> ImageCache {
        ImageCache {
            out: out.to_path_buf(),
            pending: Mutex::new(Vec::new()),
        }
    }

    /// The output folder whose cache this is.
    pub fn out_dir(&self) -> &Path {
        &self.out
    }

    /// The images' folder, when it and [`FOLDER`] are real folders (not
    /// links) in the output folder.
    fn folder(&self) -> Option<PathBuf> {
        let top = self.out.join(FOLDER);
        let dir = top.join(IMAGES);
        let real = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
        (real(&top) && real(&dir)).then_some(dir)
    }

    /// The entry of `key`, if the cache holds a good one of an image
    /// within `limits`.
    pub fn get(&self, key: &Key, limits: &crate::Limits) -> Option<Entry> {
        // The limits' biggest image, samples and alpha (4 bytes a pixel),
        // twice over for what deflate may add, plus the header.
        let max_bytes = limits
            .image_pixels
            .saturating_mul(4 * 2)
            .saturating_add(HEADER as u64);
        let path = self.folder()?.join(hex(key));
        let mut file = open_no_follow(&path).ok()?;
        let meta = file.metadata().ok()?;
        if !meta.is_file() || meta.len() > max_bytes {
            return None;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).ok()?);
        // A file grown meanwhile is read no further than the bound.
        (&mut file)
            .take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .ok()?;
        let entry = decode(key, &bytes)?;
        crate::image::raster::check_pixels(entry.width, entry.height, limits).ok()?;
        let now = SystemTime::now();
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > REFRESH);
        if old {
            // Marks the entry used, for [`ImageCache::prune`].
            let _ = file.set_modified(now);
        }
        Some(entry)
    }

    /// Keeps `entry` to be written under `key` by [`ImageCache::flush`].
    pub fn put(&self, key: Key, entry: Entry) {
        crate::backend::pdf::sync::lock(&self.pending).push((key, entry));
    }

    /// Writes the entries made by this build, each to a temporary file
    /// renamed into place (a build running meanwhile sees an entry whole
    /// or not at all). Gives up quietly when the folder cannot be made or
    /// written: the cache is an optimisation, never an error.
    pub fn flush(&self) {
        let pending = std::mem::take(&mut *crate::backend::pdf::sync::lock(&self.pending));
        if pending.is_empty() || !self.out.is_dir() {
            return;
        }
        let top = self.out.join(FOLDER);
        let _ = fs::create_dir(&top);
        let _ = fs::create_dir(top.join(IMAGES));
        let Some(dir) = self.folder() else {
            return;
        };
        for (key, entry) in pending {
            if write_entry(&dir, &key, &entry).is_err() {
                // Full disk, read-only folder: no use trying the rest.
                return;
            }
        }
    }

    /// Removes entries unused for 30 days (their time is refreshed on a
    /// hit), and temporaries of killed builds as old.
    pub fn prune(&self) {
        let Some(dir) = self.folder() else {
            return;
        };
        let Ok(entries) = fs::read_dir(&dir) else {
            return;
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            let Ok(meta) = entry.metadata() else {
                continue;
            };
            let unused = meta
                .modified()
                .ok()
                .and_then(|m| now.duration_since(m).ok())
                .is_some_and(|age| age > UNUSED);
            if unused && !meta.is_dir() {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Writes one entry through a temporary file in `dir`.
fn write_entry(dir: &Path, key: &Key, entry: &Entry) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    tmp.write_all(&encode(key, entry))?;
    tmp.persist(dir.join(hex(key)))
        .map(drop)
        .map_err(|e| e.error)
}

/// Opens `path` for reading without following a link at its end.
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::ErrorKind::InvalidInput.into());
    }
    options.open(path)
}

/// `key` in lower-case hex: the entry's file name.
fn hex(key: &Key) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        for end in 0..bytes.len() {
            assert_eq!(decode(&key, &bytes[..end]), None, "cut at {end}");
        }
        for i in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xFF] {
                let mut bad = bytes.clone();
                bad[i] ^= flip;
                assert_eq!(decode(&key, &bad), None, "byte {i} ^ {flip:#x}");
            }
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&key, &longer), None);
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
        let cache = ImageCache::new(out.path());
        let limits = crate::Limits::default();
        let (key, entry) = sample();
        let other = digest(b"other");
        cache.put(key, entry.clone());
        cache.put(other, entry.clone());
        cache.flush();
        let dir = out.path().join(FOLDER).join(IMAGES);
        let (used, unused) = (dir.join(hex(&key)), dir.join(hex(&other)));
        assert!(used.is_file() && unused.is_file());
        assert_eq!(cache.get(&key, &limits), Some(entry.clone()));

        // Both 40 days old; a hit marks one used again.
        age(&used, 40);
        age(&unused, 40);
        let before = modified(&used);
        assert_eq!(cache.get(&key, &limits), Some(entry));
        assert!(modified(&used) > before, "a hit refreshes an old entry");
        cache.prune();
        assert!(used.is_file(), "used within 30 days");
        assert!(!unused.exists(), "unused for 40 days");

        // A hit on an entry younger than a day leaves its time alone.
        age(&used, 0);
        let before = modified(&used);
        assert!(cache.get(&key, &limits).is_some());
        assert_eq!(modified(&used), before);
    }

    #[test]
    fn entries_past_the_limits_are_not_read() {
        let out = tempfile::tempdir().unwrap();
        let cache = ImageCache::new(out.path());
        let (key, entry) = sample();
        cache.put(key, entry);
        cache.flush();
        let small = crate::Limits {
            image_pixels: 4,
            ..crate::Limits::default()
        };
        // Bigger than 4 pixels × 8 bytes + header, and 3 × 2 pixels.
        assert_eq!(cache.get(&key, &small), None);
        assert!(cache.get(&key, &crate::Limits::default()).is_some());
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
