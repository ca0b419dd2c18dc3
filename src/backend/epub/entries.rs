//! The chapters' zip entries, deflated by folio rather than by epub-builder
//! (which gets them empty, as it does the images): on both cores at once,
//! and, in `folio watch`, kept between rebuilds by [`EntryMemo`] so that a
//! page edit deflates that page's chapter only. The package files folio
//! patches (OPF, nav, NCX) are kept the same way, apart from the chapters.
//!
//! Each entry is deflated into an archive of its own, with the options
//! epub-builder 0.8.3 uses (`SimpleFileOptions::default()`, the same zip
//! crate), and copied raw from there into the EPUB: the bytes are the ones
//! epub-builder's entry gave, kept or not.
//!
//! A kept entry's text was checked well-formed before it was kept (an
//! EPUB is packed only once every chapter passed): [`Shelf::holds`] lets
//! a rebuild skip the check of a text that is byte for byte one kept.

use super::chaptermemo::ChapterMemo;
use super::package::KeptArchive;
use anyhow::Result;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Write};
use std::sync::{Arc, Mutex, MutexGuard};
use zip::write::SimpleFileOptions;
use zip::{ZipArchive, ZipWriter};

/// Deflated entries of earlier builds, shared by the rebuilds of one
/// `folio watch` (see `BuildOptions::epub_memo`): the chapters, and the
/// package files folio patches, each on a shelf of its own; before any
/// deflating, the chapters' XHTML itself ([`ChapterMemo`]); and the
/// archive epub-builder made ([`KeptArchive`]).
#[derive(Debug, Default)]
pub struct EntryMemo {
    pub(crate) chapters: Shelf,
    pub(crate) package: Shelf,
    pub(crate) made: ChapterMemo,
    /// The archive epub-builder made last, with its recipe.
    pub(crate) archive: KeptArchive,
}

impl EntryMemo {
    /// Number of entries held.
    pub fn len(&self) -> usize {
        self.chapters.len() + self.package.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Deflated entries by name in the archive, each with the exact bytes it
/// was made from (a kept entry is reused only for the same bytes); an
/// entry the last build of this shelf did not use is dropped.
#[derive(Debug, Default)]
pub(crate) struct Shelf {
    kept: Mutex<HashMap<String, Kept>>,
}

#[derive(Debug)]
struct Kept {
    data: Vec<u8>,
    zipped: Arc<Vec<u8>>,
}

impl Shelf {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Kept>> {
        // A panic elsewhere leaves a map that is still whole.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether an entry `name` made from exactly `data` is kept (and so
    /// `data` passed the checks a packed EPUB's entries pass).
    pub(crate) fn holds(&self, name: &str, data: &[u8]) -> bool {
        self.lock().get(name).is_some_and(|k| k.data == data)
    }
}

/// A one-entry archive holding `data` deflated as `name`.
fn deflate(name: &str, data: &[u8]) -> Result<Vec<u8>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::with_capacity(data.len() / 3 + 128)));
    writer.start_file(name, SimpleFileOptions::default())?;
    writer.write_all(data)?;
    Ok(writer.finish()?.into_inner())
}

/// Every `(name, data)` of `entries` deflated (as a one-entry archive, see
/// [`copy_into`]), from `memo` where it holds the same bytes; `memo` then
/// keeps exactly these entries.
pub(crate) fn deflate_all(
    entries: &[(String, &[u8])],
    memo: Option<&Shelf>,
) -> Result<HashMap<String, Arc<Vec<u8>>>> {
    let found: Vec<Option<Arc<Vec<u8>>>> = match memo {
        Some(memo) => {
            let kept = memo.lock();
            entries
                .iter()
                .map(|(name, data)| {
                    kept.get(name)
                        .filter(|k| k.data == *data)
                        .map(|k| Arc::clone(&k.zipped))
                })
                .collect()
        }
        None => vec![None; entries.len()],
    };
    let work: Vec<(usize, &(String, &[u8]))> = entries
        .iter()
        .enumerate()
        .filter(|(i, _)| found.get(*i).is_some_and(Option::is_none))
        .collect();
    let made = crate::par::par_map(&work, |(i, (name, data))| {
        deflate(name, data).map(|zipped| (*i, Arc::new(zipped)))
    });
    let mut zipped = found;
    for result in made {
        let (i, entry) = result?;
        if let Some(slot) = zipped.get_mut(i) {
            *slot = Some(entry);
        }
    }
    if let Some(memo) = memo {
        let mut kept = memo.lock();
        let names: HashSet<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        kept.retain(|name, _| names.contains(name.as_str()));
        for ((name, data), entry) in entries.iter().zip(&zipped) {
            let Some(entry) = entry else { continue };
            let fresh = !kept
                .get(name)
                .is_some_and(|k| Arc::ptr_eq(&k.zipped, entry));
            if fresh {
                let kept_entry = Kept {
                    data: data.to_vec(),
                    zipped: Arc::clone(entry),
                };
                kept.insert(name.clone(), kept_entry);
            }
        }
    }
    Ok(entries
        .iter()
        .zip(zipped)
        .filter_map(|((name, _), entry)| Some((name.clone(), entry?)))
        .collect())
}

/// Copies the entry of the one-entry archive `zipped` into `out` as it is
/// (no inflating), stamped with `time`.
pub(crate) fn copy_into<W: Write + std::io::Seek>(
    out: &mut ZipWriter<W>,
    zipped: &[u8],
    time: zip::DateTime,
) -> Result<()> {
    let mut archive = ZipArchive::new(Cursor::new(zipped))?;
    let entry = archive.by_index_raw(0)?;
    out.raw_copy_file_touch(entry, time, Some(0o644))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(zipped: &[u8]) -> Vec<u8> {
        let mut archive = ZipArchive::new(Cursor::new(zipped)).unwrap();
        let mut data = Vec::new();
        archive.by_index(0).unwrap().read_to_end(&mut data).unwrap();
        data
    }

    #[test]
    fn kept_entries_serve_the_same_bytes_only() {
        let memo = Shelf::default();
        let a = b"<p>one</p>".repeat(50);
        let b = b"<p>two</p>".repeat(50);
        let first =
            deflate_all(&[("a".into(), &a[..]), ("b".into(), &b[..])], Some(&memo)).unwrap();
        assert_eq!(memo.len(), 2);
        assert_eq!(inflate(&first["a"]), a);
        assert!(memo.holds("a", &a));
        assert!(!memo.holds("a", &b));
        assert!(!memo.holds("c", &a));

        // `a` unchanged: the very entry kept; `b` changed: deflated anew;
        // then `a` is dropped once a build no longer has it.
        let b2 = b"<p>deux</p>".repeat(50);
        let second =
            deflate_all(&[("a".into(), &a[..]), ("b".into(), &b2[..])], Some(&memo)).unwrap();
        assert!(Arc::ptr_eq(&first["a"], &second["a"]));
        assert_eq!(inflate(&second["b"]), b2);
        assert_eq!(*second["b"], deflate("b", &b2).unwrap());
        let third = deflate_all(&[("b".into(), &b2[..])], Some(&memo)).unwrap();
        assert_eq!(memo.len(), 1);
        assert!(!memo.holds("a", &a));
        assert!(Arc::ptr_eq(&second["b"], &third["b"]));
    }
}
