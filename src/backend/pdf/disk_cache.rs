//! The cache of what the PDF writer makes slowly and the same way each
//! time, on disk under the output folder (`<out>/.folio-cache/`), as Hugo
//! keeps `resources/_gen/`: decoded and rasterised images
//! (`pdf-images/`, see [`super::images::cache`]) and compressed font
//! programs (`pdf-fonts/`, see [`super::embed::cache`]). Each kind is a
//! [`Shelf`]: one file per entry, named by its key's hex; the entry
//! layouts and keys are the kinds' own, the files' handling shared here.
//!
//! An entry is read only from a regular file (no link followed, the cache
//! folders real folders), within a size bound; its kind checks its header
//! and digest, anything else being a miss (made again and rewritten).
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
/// Entries unused this long are removed by [`DiskCache::prune`].
const UNUSED: Duration = Duration::from_secs(30 * 24 * 3600);
/// A hit refreshes an entry's time when it is older than this (not on
/// every hit: one write per entry a day at most).
const REFRESH: Duration = Duration::from_secs(24 * 3600);

/// A cache key: a SHA-256 of everything that makes an entry's bytes.
pub type Key = [u8; 32];

/// The SHA-256 of `bytes`.
pub fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// A key's hasher, started with its kind's entry `format` and folio's
/// version (each length-prefixed): every key changes with either.
pub fn key_hasher(format: &[u8]) -> Sha256 {
    let mut h = Sha256::new();
    for part in [format, env!("CARGO_PKG_VERSION").as_bytes()] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h
}

/// Ends an entry: appends to `entry` (its header so far) the digest of
/// that header and of `payloads`, then the payloads. The digest covers
/// the header too: a flipped length or flag is as damaged as a flipped
/// byte of the payload.
pub fn seal(entry: &mut Vec<u8>, payloads: &[&[u8]]) {
    let digest = seal_digest(entry, payloads);
    entry.extend_from_slice(&digest);
    for payload in payloads {
        entry.extend_from_slice(payload);
    }
}

/// Whether `want` is the digest [`seal`] made of `header` (an entry's
/// bytes before the digest) and `payloads`.
pub fn sealed(header: &[u8], payloads: &[&[u8]], want: &[u8; 32]) -> bool {
    seal_digest(header, payloads) == *want
}

fn seal_digest(header: &[u8], payloads: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(header);
    for payload in payloads {
        h.update(payload);
    }
    h.finalize().into()
}

/// Whether `meta`'s file was last modified more than `age` before `now`.
fn older_than(meta: &fs::Metadata, now: SystemTime, age: Duration) -> bool {
    meta.modified()
        .ok()
        .and_then(|m| now.duration_since(m).ok())
        .is_some_and(|since| since > age)
}

/// Reads bytes off the front of a slice; `None` past its end.
pub struct Reader<'a>(pub &'a [u8]);

impl<'a> Reader<'a> {
    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    /// The next `N` bytes as an array.
    pub fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }
}

/// One kind of entry: its folder in [`FOLDER`], and the entries made by
/// this build (their bytes), held until [`DiskCache::flush`].
#[derive(Debug)]
pub struct Shelf {
    name: &'static str,
    pending: Mutex<Vec<(Key, Vec<u8>)>>,
}

impl Shelf {
    fn new(name: &'static str) -> Self {
        Shelf {
            name,
            pending: Mutex::new(Vec::new()),
        }
    }

    /// Keeps `entry` (its bytes) to be written under `key` by
    /// [`DiskCache::flush`].
    pub fn put(&self, key: Key, entry: Vec<u8>) {
        super::sync::lock(&self.pending).push((key, entry));
    }

    /// The shelf's folder in output folder `out`, when it and [`FOLDER`]
    /// are real folders (not links).
    fn folder(&self, out: &Path) -> Option<PathBuf> {
        let top = out.join(FOLDER);
        let dir = top.join(self.name);
        let real = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
        (real(&top) && real(&dir)).then_some(dir)
    }

    /// The bytes of `key`'s entry in `out`, if it is a regular file of at
    /// most `max_bytes`; a hit marks an old entry used.
    fn read(&self, out: &Path, key: &Key, max_bytes: u64) -> Option<Vec<u8>> {
        let path = self.folder(out)?.join(hex(key));
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
        let now = SystemTime::now();
        if older_than(&meta, now, REFRESH) {
            // Marks the entry used, for [`DiskCache::prune`].
            let _ = file.set_modified(now);
        }
        Some(bytes)
    }

    /// Writes the pending entries into `out`'s cache; false when the
    /// cache cannot be written.
    fn flush(&self, out: &Path) -> bool {
        let pending = std::mem::take(&mut *super::sync::lock(&self.pending));
        if pending.is_empty() {
            return true;
        }
        let top = out.join(FOLDER);
        let _ = fs::create_dir(&top);
        let _ = fs::create_dir(top.join(self.name));
        let Some(dir) = self.folder(out) else {
            return false;
        };
        // Full disk, read-only folder: no use trying the rest.
        pending
            .iter()
            .all(|(key, entry)| write_entry(&dir, key, entry).is_ok())
    }

    /// Removes entries unused for 30 days (their time is refreshed on a
    /// hit), and temporaries of killed builds as old.
    fn prune(&self, out: &Path) {
        let Some(dir) = self.folder(out) else {
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
            if older_than(&meta, now, UNUSED) && !meta.is_dir() {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// The cache of one output folder: entries read during the build, new
/// ones held until [`DiskCache::flush`] (after the outputs are written).
#[derive(Debug)]
pub struct DiskCache {
    out: PathBuf,
    /// Decoded and rasterised images.
    pub images: Shelf,
    /// Compressed font programs.
    pub fonts: Shelf,
}

impl DiskCache {
    /// The cache in output folder `out`.
    pub fn new(out: &Path) -> DiskCache {
        DiskCache {
            out: out.to_path_buf(),
            images: Shelf::new("pdf-images"),
            fonts: Shelf::new("pdf-fonts"),
        }
    }

    /// The output folder whose cache this is.
    pub fn out_dir(&self) -> &Path {
        &self.out
    }

    /// The bytes of `key`'s entry on `shelf`, if it is a regular file of at
    /// most `max_bytes` (its kind checks the rest).
    pub fn read(&self, shelf: &Shelf, key: &Key, max_bytes: u64) -> Option<Vec<u8>> {
        shelf.read(&self.out, key, max_bytes)
    }

    /// Writes the entries made by this build, each to a temporary file
    /// renamed into place (a build running meanwhile sees an entry whole
    /// or not at all). Gives up quietly when the folder cannot be made or
    /// written: the cache is an optimisation, never an error.
    pub fn flush(&self) {
        if !self.out.is_dir() {
            return;
        }
        let _ = self.images.flush(&self.out) && self.fonts.flush(&self.out);
    }

    /// Removes entries unused for 30 days, of every kind.
    pub fn prune(&self) {
        self.images.prune(&self.out);
        self.fonts.prune(&self.out);
    }
}

/// Writes one entry through a temporary file in `dir`.
fn write_entry(dir: &Path, key: &Key, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
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
pub fn hex(key: &Key) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

/// Asserts that `accepts` refuses every cut of an entry's `bytes`, each
/// of its bytes flipped, and the entry with a byte more: the entry-format
/// tests of both shelves.
#[cfg(test)]
pub fn assert_damage_refused(bytes: &[u8], accepts: impl Fn(&[u8]) -> bool) {
    for end in 0..bytes.len() {
        assert!(!accepts(&bytes[..end]), "cut at {end}");
    }
    for i in 0..bytes.len() {
        for flip in [0x01, 0x80, 0xFF] {
            let mut bad = bytes.to_vec();
            bad[i] ^= flip;
            assert!(!accepts(&bad), "byte {i} ^ {flip:#x}");
        }
    }
    let mut longer = bytes.to_vec();
    longer.push(0);
    assert!(!accepts(&longer), "a byte more");
}
