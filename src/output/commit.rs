//! The all-or-nothing write of a build's outputs.
//!
//! A [`Transaction`] checks every target first (nothing but a file or a
//! link may stand where an output goes; every folder must be creatable),
//! then stages every changed file as a temporary in its target's folder,
//! and only then renames them into place, one atomic rename each. Each
//! file it replaces is first hard-linked aside, so that when a rename
//! fails the renamed ones are put back: the output folder is left exactly
//! as it was. A build killed midway leaves every output either its old or
//! its new self, plus temporaries the next build removes.

use super::memo::{Stamp, WriteMemo};
use super::temporary;
use crate::diag::Diagnostic;
use anyhow::Result;
use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use tempfile::TempPath;

/// What a commit did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    /// Files written, new or replaced.
    pub written: usize,
    /// Files that already held exactly their bytes, left alone (with their
    /// times, which makes rebuilds of unchanged books cheap).
    pub unchanged: usize,
}

/// Files to write all together or not at all.
#[derive(Debug, Default)]
pub struct Transaction<'a> {
    files: Vec<(&'a Path, &'a [u8])>,
}

/// What stands where an output goes.
#[derive(Debug, PartialEq, Eq)]
enum Existing {
    Nothing,
    /// A file with exactly the output's bytes.
    Same,
    /// A file with other bytes, or a symbolic link (replaced, never followed).
    Other,
}

/// One file to write.
struct Change<'a> {
    path: &'a Path,
    bytes: &'a [u8],
    replaces: bool,
}

/// A file renamed into place, and the old one set aside, if there was one.
struct Replaced<'a> {
    path: &'a Path,
    backup: Option<TempPath>,
}

impl<'a> Transaction<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `bytes` to be written to `path`.
    pub fn add(&mut self, path: &'a Path, bytes: &'a [u8]) {
        self.files.push((path, bytes));
    }

    /// The folders the files go to, each once, in the order first named.
    pub fn folders(&self) -> Vec<&'a Path> {
        let mut seen = HashSet::new();
        self.files
            .iter()
            .map(|(path, _)| folder_of(path))
            .filter(|dir| seen.insert(*dir))
            .collect()
    }

    /// Writes every file, or none: on error the output folders are as they were.
    pub fn commit(self) -> Result<Committed> {
        self.commit_with(&|from, to| std::fs::rename(from, to), None)
    }

    /// [`Transaction::commit`], trusting `memo` (what this process last
    /// wrote) for files untouched since, and recording what it writes.
    pub fn commit_remembering(self, memo: &WriteMemo) -> Result<Committed> {
        self.commit_with(&|from, to| std::fs::rename(from, to), Some(memo))
    }

    /// [`Transaction::commit`] with the final renames done by `rename`
    /// (the tests make it fail midway).
    fn commit_with(
        self,
        rename: &dyn Fn(&Path, &Path) -> io::Result<()>,
        memo: Option<&WriteMemo>,
    ) -> Result<Committed> {
        let mut seen = HashSet::new();
        if let Some((path, _)) = self.files.iter().find(|(path, _)| !seen.insert(*path)) {
            return Err(Diagnostic::error(path, 0, "the build writes this file twice").into());
        }
        let mut changes = Vec::with_capacity(self.files.len());
        let mut unchanged = 0;
        // Comparing with the old files reads them all: on every core too.
        let found = crate::load::par_map(&self.files, |(path, bytes)| inspect(path, bytes, memo));
        for (&(path, bytes), existing) in self.files.iter().zip(found) {
            match existing? {
                Existing::Same => unchanged += 1,
                existing => changes.push(Change {
                    path,
                    bytes,
                    replaces: existing == Existing::Other,
                }),
            }
        }
        let mut folders = CreatedFolders::default();
        for change in &changes {
            folders.ensure(folder_of(change.path))?;
        }
        let prefix = temporary::own_prefix();
        // Staging writes all the bytes, so it runs on every core; a failure
        // drops the staged temporaries, which removes them.
        let staged = changes
            .iter()
            .map(|c| stage(&prefix, c.path, c.bytes))
            .collect::<Result<Vec<_>>>()?;
        let mut done = Vec::with_capacity(changes.len());
        if let Err(e) = rename_all(&prefix, &changes, staged, rename, &mut done) {
            if let Some(memo) = memo {
                changes.iter().for_each(|c| memo.forget(c.path));
            }
            roll_back(done);
            return Err(e);
        }
        if let Some(memo) = memo {
            remember(memo, &changes);
        }
        folders.keep();
        // Dropping the backups removes them.
        let written = done.len();
        drop(done);
        Ok(Committed { written, unchanged })
    }
}

/// Renames each staged file into place, recording in `done` what to undo.
fn rename_all<'a>(
    prefix: &str,
    changes: &[Change<'a>],
    staged: Vec<TempPath>,
    rename: &dyn Fn(&Path, &Path) -> io::Result<()>,
    done: &mut Vec<Replaced<'a>>,
) -> Result<()> {
    for (change, tmp) in changes.iter().zip(staged) {
        let backup = if change.replaces {
            Some(set_aside(prefix, change.path).map_err(|e| {
                Diagnostic::error(
                    change.path,
                    0,
                    "cannot keep the old file aside while replacing it",
                )
                .with_cause(e)
            })?)
        } else {
            None
        };
        rename(&tmp, change.path).map_err(|e| {
            Diagnostic::error(change.path, 0, "cannot move the new file into place").with_cause(e)
        })?;
        // Renamed away: nothing left for the temporary to remove.
        let _ = tmp.keep();
        done.push(Replaced {
            path: change.path,
            backup,
        });
    }
    Ok(())
}

/// Undoes the renames in `done`, last first: old files back, new ones gone.
fn roll_back(done: Vec<Replaced<'_>>) {
    for replaced in done.into_iter().rev() {
        match replaced.backup {
            Some(backup) => {
                // Back in place; or, should that fail, kept under its
                // temporary name rather than lose the only old copy.
                let _ = std::fs::rename(&backup, replaced.path);
                let _ = backup.keep();
            }
            None => {
                let _ = std::fs::remove_file(replaced.path);
            }
        }
    }
}

/// Records in `memo` what each changed file holds now that it is in place.
fn remember(memo: &WriteMemo, changes: &[Change<'_>]) {
    for change in changes {
        match std::fs::symlink_metadata(change.path) {
            Ok(meta) => memo.record(change.path, Stamp::new(change.bytes, &meta)),
            Err(_) => memo.forget(change.path),
        }
    }
}

/// What stands at `path`; an error when it is neither a file, nor a link,
/// nor nothing. A file `memo` knows to hold `bytes` is not read back; one
/// found the same by reading is recorded there.
fn inspect(path: &Path, bytes: &[u8], memo: Option<&WriteMemo>) -> Result<Existing> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        // A file where a folder should be is reported when the folder is made.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(Existing::Nothing);
        }
        Err(e) => {
            return Err(Diagnostic::error(path, 0, "cannot look at the output file")
                .with_cause(e)
                .into());
        }
    };
    let kind = meta.file_type();
    if kind.is_file() {
        if memo.is_some_and(|m| m.holds(path, &meta, bytes)) {
            return Ok(Existing::Same);
        }
        // Same length first: most changed files are told apart without reading.
        let same = meta.len() == bytes.len() as u64 && holds(path, bytes).unwrap_or(false);
        if let Some(memo) = memo {
            if same {
                memo.record(path, Stamp::new(bytes, &meta));
            } else {
                memo.forget(path);
            }
        }
        return Ok(if same {
            Existing::Same
        } else {
            Existing::Other
        });
    }
    if kind.is_symlink() {
        return Ok(Existing::Other);
    }
    let what = if kind.is_dir() {
        "a folder"
    } else {
        "something that is not a file (a pipe, socket or device)"
    };
    Err(Diagnostic::error(
        path,
        0,
        format!("cannot write this output: {what} is in the way"),
    )
    .with_hint("move or remove it and build again; nothing was written")
    .into())
}

/// Writes `bytes` to a new temporary beside `path`.
fn stage(prefix: &str, path: &Path, bytes: &[u8]) -> Result<TempPath> {
    let dir = folder_of(path);
    let create = |p: &Path| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(p)
    };
    let (mut file, tmp) = temporary::make_in(dir, prefix, create).map_err(|e| {
        Diagnostic::error(dir, 0, "cannot create a file in this output folder")
            .with_cause(e)
            .with_hint("nothing was written")
    })?;
    // No fsync: the rename is what keeps a reader (or a failed build) from
    // ever seeing a half-written file; syncing 170 text files would cost
    // the corpus build most of its time for power-loss durability only.
    file.write_all(bytes).map_err(|e| {
        Diagnostic::error(path, 0, "cannot write this output")
            .with_cause(e)
            .with_hint("nothing was written")
    })?;
    // Outputs are ordinary files to share: 0644 whatever the umask.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|e| {
                Diagnostic::error(path, 0, "cannot set the permissions of this output")
                    .with_cause(e)
            })?;
    }
    Ok(tmp)
}

/// A second name for the file at `target`, removed when dropped. A hard
/// link costs nothing and keeps `target` in place, so a build killed now
/// still leaves the old output; where links are not supported, a copy.
fn set_aside(prefix: &str, target: &Path) -> io::Result<TempPath> {
    let dir = folder_of(target);
    if let Ok(((), linked)) = temporary::make_in(dir, prefix, |p| std::fs::hard_link(target, p)) {
        return Ok(linked);
    }
    let is_link = std::fs::symlink_metadata(target)?.file_type().is_symlink();
    let ((), copied) = temporary::make_in(dir, prefix, |p| {
        if is_link {
            // Copy the link, not what it points to (which may lie outside
            // the project and must not be read).
            copy_link(target, p)
        } else {
            copy_new(target, p)
        }
    })?;
    Ok(copied)
}

/// Whether the file at `path` holds exactly `bytes`, read a piece at a
/// time: a big PDF is not held twice in memory to be compared.
fn holds(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut piece = vec![0u8; 1 << 16];
    let mut rest = bytes;
    loop {
        let n = file.read(&mut piece)?;
        if n == 0 {
            return Ok(rest.is_empty());
        }
        let (Some(got), Some((want, after))) = (piece.get(..n), rest.split_at_checked(n)) else {
            return Ok(false);
        };
        if got != want {
            return Ok(false);
        }
        rest = after;
    }
}

/// Copies `from` to a new file `to`; `AlreadyExists` if `to` is taken
/// (`fs::copy` would overwrite it).
fn copy_new(from: &Path, to: &Path) -> io::Result<()> {
    let mut source = std::fs::File::open(from)?;
    let mut target = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)?;
    io::copy(&mut source, &mut target).map(|_| ())
}

#[cfg(unix)]
fn copy_link(link: &Path, to: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(std::fs::read_link(link)?, to)
}

#[cfg(not(unix))]
fn copy_link(_link: &Path, _to: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "cannot set a symbolic link aside here",
    ))
}

/// The folder `path` goes in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Folders a commit made; removed again (when empty) unless it succeeded.
#[derive(Default)]
struct CreatedFolders {
    created: Vec<PathBuf>,
    kept: bool,
}

impl CreatedFolders {
    /// Makes `dir` and any missing parents, remembering which it made.
    fn ensure(&mut self, dir: &Path) -> Result<()> {
        let mut missing = Vec::new();
        for folder in dir.ancestors().filter(|a| !a.as_os_str().is_empty()) {
            // Following links: a link to a folder is a folder to write in.
            match std::fs::metadata(folder) {
                Ok(meta) if meta.is_dir() => break,
                Ok(_) => {
                    let message = if folder == dir {
                        "cannot make this output folder: a file is in the way".to_string()
                    } else {
                        format!(
                            "cannot make the output folder {}: a file is in the way",
                            dir.display()
                        )
                    };
                    return Err(Diagnostic::error(folder, 0, message)
                        .with_hint("move or remove it and build again; nothing was written")
                        .into());
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                    ) =>
                {
                    missing.push(folder)
                }
                Err(e) => {
                    return Err(Diagnostic::error(folder, 0, "cannot look at this folder")
                        .with_cause(e)
                        .into());
                }
            }
        }
        for folder in missing.into_iter().rev() {
            match std::fs::create_dir(folder) {
                Ok(()) => self.created.push(folder.to_path_buf()),
                // Made meanwhile (by a build running beside this one).
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && folder.is_dir() => {}
                Err(e) => {
                    return Err(
                        Diagnostic::error(folder, 0, "cannot make this output folder")
                            .with_cause(e)
                            .with_hint("nothing was written")
                            .into(),
                    );
                }
            }
        }
        Ok(())
    }

    fn keep(&mut self) {
        self.kept = true;
    }
}

impl Drop for CreatedFolders {
    fn drop(&mut self) {
        if !self.kept {
            for folder in self.created.iter().rev() {
                let _ = std::fs::remove_dir(folder);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Every file under `dir` (temporaries included) with its bytes, and
    /// every folder (with an empty value).
    fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap().flatten() {
                let path = entry.path();
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                if entry.file_type().unwrap().is_dir() {
                    out.insert(rel.join(""), Vec::new());
                    stack.push(path);
                } else {
                    out.insert(rel, std::fs::read(&path).unwrap_or_default());
                }
            }
        }
        out
    }

    fn commit(files: &[(PathBuf, &[u8])]) -> Result<Committed> {
        let mut t = Transaction::new();
        for (path, bytes) in files {
            t.add(path, bytes);
        }
        t.commit()
    }

    #[test]
    fn a_big_file_is_compared_piece_by_piece() {
        // Longer than one piece read: a difference in the last byte, or in
        // the first of a later piece, is still seen.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.pdf");
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &big).unwrap();
        assert!(holds(&path, &big).unwrap());
        for at in [big.len() - 1, 1 << 16, 0] {
            let mut other = big.clone();
            other[at] ^= 1;
            assert!(!holds(&path, &other).unwrap(), "byte {at}");
        }
        assert!(!holds(&path, &big[..big.len() - 1]).unwrap());
        let got = commit(&[(path.clone(), &big)]).unwrap();
        assert_eq!(got.unchanged, 1);
    }

    #[test]
    fn writes_replaces_and_skips_identical_content() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a/b.txt");
        let c = dir.path().join("c.pdf");
        let got = commit(&[(a.clone(), b"one"), (c.clone(), b"pdf")]).unwrap();
        assert_eq!(
            got,
            Committed {
                written: 2,
                unchanged: 0
            }
        );
        let got = commit(&[(a.clone(), b"one"), (c.clone(), b"PDF")]).unwrap();
        assert_eq!(
            got,
            Committed {
                written: 1,
                unchanged: 1
            }
        );
        assert_eq!(std::fs::read(&a).unwrap(), b"one");
        assert_eq!(std::fs::read(&c).unwrap(), b"PDF");
        let names: Vec<_> = tree(dir.path()).into_keys().collect();
        assert_eq!(
            names,
            [PathBuf::from("a/"), "a/b.txt".into(), "c.pdf".into()],
            "no temporary or backup left"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&c).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644);
        }
    }

    #[test]
    fn something_in_the_way_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.txt");
        std::fs::write(&old, b"old").unwrap();
        std::fs::create_dir(dir.path().join("b.epub")).unwrap();
        std::fs::write(dir.path().join("file"), b"f").unwrap();
        let before = tree(dir.path());
        let cases: [(&str, &str); 3] = [
            ("b.epub", "a folder is in the way"),
            ("file/x.txt", "a file is in the way"),
            ("file/deeper/x.txt", "deeper: a file is in the way"),
        ];
        for (rel, needle) in cases {
            let err = commit(&[
                (old.clone(), b"new"),
                (dir.path().join("new/folder/n.txt"), b"n"),
                (dir.path().join(rel), b"x"),
            ])
            .unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains(needle), "{rel}: {msg}");
            let named = dir.path().join(rel.split('/').next().unwrap());
            assert!(msg.contains(&*named.to_string_lossy()), "{msg}");
            assert_eq!(tree(dir.path()), before, "{rel}: folder changed");
        }
    }

    #[test]
    fn a_failed_rename_puts_everything_back() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.pdf");
        let b = dir.path().join("text/b.txt");
        let same = dir.path().join("text/same.txt");
        std::fs::create_dir(dir.path().join("text")).unwrap();
        std::fs::write(&a, b"old a").unwrap();
        std::fs::write(&b, b"old b").unwrap();
        std::fs::write(&same, b"same").unwrap();
        let before = tree(dir.path());
        let files: Vec<(PathBuf, &[u8])> = vec![
            (a.clone(), b"new a"),
            (dir.path().join("fresh/c.txt"), b"new c"),
            (same.clone(), b"same"),
            (b.clone(), b"new b"),
            (dir.path().join("d.epub"), b"new d"),
        ];
        for fail_at in 0..4 {
            let calls = std::cell::Cell::new(0);
            let rename = |from: &Path, to: &Path| {
                calls.set(calls.get() + 1);
                if calls.get() > fail_at {
                    return Err(io::Error::other("injected failure"));
                }
                std::fs::rename(from, to)
            };
            let mut t = Transaction::new();
            for (path, bytes) in &files {
                t.add(path, bytes);
            }
            let err = t.commit_with(&rename, None).unwrap_err();
            assert!(format!("{err:?}").contains("injected failure"), "{err:?}");
            assert_eq!(tree(dir.path()), before, "failing rename {}", fail_at + 1);
        }
        let mut t = Transaction::new();
        for (path, bytes) in &files {
            t.add(path, bytes);
        }
        assert_eq!(t.commit().unwrap().written, 4);
        assert_eq!(std::fs::read(&b).unwrap(), b"new b");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_replaced_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret");
        std::fs::write(&secret, b"secret").unwrap();
        let out = dir.path().join("b.pdf");
        std::os::unix::fs::symlink(&secret, &out).unwrap();
        // Same bytes as the link's target: still replaced, since the target is not read.
        assert_eq!(commit(&[(out.clone(), b"secret")]).unwrap().written, 1);
        assert!(std::fs::symlink_metadata(&out).unwrap().is_file());
        assert_eq!(std::fs::read(&secret).unwrap(), b"secret");
    }

    #[test]
    fn the_same_file_twice_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        let err = commit(&[(a.clone(), b"1"), (a.clone(), b"2")]).unwrap_err();
        assert!(err.to_string().contains("twice"), "{err}");
        assert!(!a.exists());
    }
}
