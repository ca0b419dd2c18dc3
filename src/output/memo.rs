//! What `folio watch` last wrote to each output file, so that a rebuild
//! neither reads back nor rewrites a file whose bytes did not change.
//!
//! A file counts as still holding what was written when its length,
//! modification and change times and inode are those recorded right after
//! the write (a write by anyone else changes the change time), and the new bytes
//! hash to the recorded digest. Otherwise the commit compares the bytes
//! as a fresh build does.

use std::collections::HashMap;
use std::fs::Metadata;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::SystemTime;

/// The last bytes written to each output file (as a digest), shared by
/// the rebuilds of one `folio watch` (see `BuildOptions::writes`).
#[derive(Debug, Default)]
pub struct WriteMemo {
    stamps: Mutex<HashMap<PathBuf, Stamp>>,
}

/// A written file, as it was once in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// Length and SipHash (fixed keys) of the bytes.
    hash: u64,
    len: u64,
    modified: Option<SystemTime>,
    /// Device, inode and change time (which no one can set back).
    inode: (u64, u64, i64, i64),
}

impl Stamp {
    /// The stamp of `bytes` found at a file with metadata `meta`.
    pub(crate) fn new(bytes: &[u8], meta: &Metadata) -> Stamp {
        let mut hasher = std::hash::DefaultHasher::new();
        bytes.hash(&mut hasher);
        Stamp {
            hash: hasher.finish(),
            len: bytes.len() as u64,
            modified: meta.modified().ok(),
            inode: inode(meta),
        }
    }

    /// Whether a file with metadata `meta` still holds what was written.
    fn matches(&self, meta: &Metadata) -> bool {
        meta.is_file()
            && meta.len() == self.len
            && self.modified.is_some()
            && meta.modified().ok() == self.modified
            && inode(meta) == self.inode
    }
}

#[cfg(unix)]
fn inode(meta: &Metadata) -> (u64, u64, i64, i64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec())
}

#[cfg(not(unix))]
fn inode(_meta: &Metadata) -> (u64, u64, i64, i64) {
    (0, 0, 0, 0)
}

impl WriteMemo {
    fn lock(&self) -> MutexGuard<'_, HashMap<PathBuf, Stamp>> {
        // A panic elsewhere leaves a map that is still whole.
        self.stamps.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the file at `path` (metadata `meta`) is known to hold
    /// exactly `bytes`, without reading it.
    pub(crate) fn holds(&self, path: &Path, meta: &Metadata, bytes: &[u8]) -> bool {
        let Some(stamp) = self.lock().get(path).copied() else {
            return false;
        };
        // Metadata first: hashing is only worth it for a file untouched.
        stamp.matches(meta) && Stamp::new(bytes, meta) == stamp
    }

    /// Records what `path` holds now.
    pub(crate) fn record(&self, path: &Path, stamp: Stamp) {
        self.lock().insert(path.to_path_buf(), stamp);
    }

    /// Forgets `path` (written by someone else, or failed).
    pub(crate) fn forget(&self, path: &Path) {
        self.lock().remove(path);
    }

    /// How many files are remembered.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no file is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_touched_by_someone_else_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, b"one").unwrap();
        let memo = WriteMemo::default();
        let meta = std::fs::metadata(&path).unwrap();
        memo.record(&path, Stamp::new(b"one", &meta));
        assert!(memo.holds(&path, &meta, b"one"));
        assert!(!memo.holds(&path, &meta, b"two"), "other bytes");
        // Same length, other bytes, written later: the time (or, on a
        // coarse clock, the inode of a replacement) differs.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let tmp = dir.path().join("b.txt");
        std::fs::write(&tmp, b"owe").unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert!(!memo.holds(&path, &meta, b"one"));
        memo.forget(&path);
        assert!(memo.is_empty());
    }
}
