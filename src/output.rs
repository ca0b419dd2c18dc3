//! Writing output files atomically: a temporary file in the same folder,
//! then a rename, so a failed or interrupted build never leaves a
//! half-written file where a good one was.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
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
    Ok(())
}
