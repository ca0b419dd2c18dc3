//! Writing output files atomically: a temporary file in the same folder,
//! then a rename, so a failed or interrupted build never leaves a
//! half-written file where a good one was.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file and a rename. A file
/// that already holds exactly `bytes` is left alone (and keeps its time),
/// which makes rebuilds of unchanged books cheap. Returns whether it wrote.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create folder {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".folio-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    // No fsync: the rename is what keeps a reader (or a failed build) from
    // ever seeing a half-written file; syncing 170 text files would cost
    // the corpus build most of its time for power-loss durability only.
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    // tempfile creates files readable by the owner only; outputs are
    // ordinary files to share, so give them the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .with_context(|| format!("cannot set permissions of {}", path.display()))?;
    }
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replaces_and_skips_identical_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.txt");
        assert!(write_atomic(&path, b"one").unwrap());
        assert!(
            !write_atomic(&path, b"one").unwrap(),
            "same bytes: left alone"
        );
        assert!(write_atomic(&path, b"two").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }
}
