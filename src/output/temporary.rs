//! Temporary files in the output folders: how they are named, and how the
//! ones a killed build left behind are found and removed.
//!
//! Every temporary is `.folio-<pid>-<n>.tmp`, in the folder of the
//! file it will replace (a rename within one folder is atomic). The pid
//! tells a later build whether the writer still runs: a build killed by
//! SIGKILL, SIGINT or SIGTERM cannot clean up after itself, so the next
//! build does it, leaving alone the files of a build running beside it.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};
use tempfile::TempPath;

/// Every temporary name starts with this.
const PREFIX: &str = ".folio-";
/// And ends with this.
const SUFFIX: &str = ".tmp";
/// Where the writer's liveness cannot be asked (no `/proc`), a temporary
/// this old is taken as left behind: no build spends an hour writing.
const STALE_AGE: Duration = Duration::from_secs(60 * 60);

/// The number in this process's next temporary name.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// Makes a new temporary in `dir` with `make` (which must create the path
/// it is given, failing with `AlreadyExists` if something is there), under
/// this process's next free name `<prefix><n>.tmp`; removed when the
/// returned path is dropped. Names count up rather than being random:
/// ext4 inserts random names into a big folder many times slower than
/// sequential ones (5 000 text files: 3.4 s of system time against 0.3 s).
pub(crate) fn make_in<R>(
    dir: &Path,
    prefix: &str,
    mut make: impl FnMut(&Path) -> io::Result<R>,
) -> io::Result<(R, TempPath)> {
    // A name can only be taken by a file this process left in an earlier
    // run with the same pid; a few tries get past any such.
    for _ in 0..1000 {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path: PathBuf = dir.join(format!("{prefix}{n}{SUFFIX}"));
        match make(&path) {
            Ok(made) => {
                return match TempPath::try_from_path(&path) {
                    Ok(tmp) => Ok((made, tmp)),
                    Err(e) => {
                        let _ = std::fs::remove_file(&path);
                        Err(e)
                    }
                };
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary name in this folder",
    ))
}

/// The prefix of this process's temporaries: `.folio-<pid>-`.
pub(crate) fn own_prefix() -> String {
    format!("{PREFIX}{}-", std::process::id())
}

/// Who wrote a temporary, from its name.
#[derive(Debug, PartialEq, Eq)]
enum Writer {
    /// A name without a pid (earlier folio wrote `.folio-XXXXXX.tmp`).
    Unknown,
    Pid(u32),
}

/// `Some(writer)` when `name` is a folio temporary.
fn temporary_writer(name: &str) -> Option<Writer> {
    let middle = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let pid = middle
        .split_once('-')
        .and_then(|(pid, rest)| (!rest.is_empty()).then_some(pid))
        .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|pid| pid.parse().ok());
    Some(pid.map_or(Writer::Unknown, Writer::Pid))
}

/// Whether process `pid` still runs; `None` when this system cannot tell.
fn process_alive(pid: u32) -> Option<bool> {
    if pid == std::process::id() {
        return Some(true);
    }
    // Linux (and anything else with a procfs) answers exactly; a procfs
    // that lacks our own entry is not one to trust.
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return Some(proc.join(pid.to_string()).exists());
    }
    None
}

/// Whether the temporary `path` (named for `writer`) was left behind.
fn is_stale(writer: &Writer, path: &Path, now: SystemTime) -> bool {
    match writer {
        Writer::Unknown => true,
        Writer::Pid(pid) => match process_alive(*pid) {
            Some(alive) => !alive,
            None => std::fs::symlink_metadata(path)
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > STALE_AGE),
        },
    }
}

/// Removes from `dir` the temporaries of folio processes that no longer
/// run (and any without a pid); returns how many. A missing folder (or a
/// file where it should be) has none. Folders of such a name are left
/// alone: folio never makes one.
pub fn remove_stale(dir: &Path) -> io::Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        // No folder, no temporaries (a file in the way is the commit's to report).
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(0);
        }
        Err(e) => return Err(e),
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let Some(writer) = entry.file_name().to_str().and_then(temporary_writer) else {
            continue;
        };
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) || !is_stale(&writer, &path, now) {
            continue;
        }
        match std::fs::remove_file(&path) {
            Ok(()) => removed += 1,
            // Another build cleaning up the same folder got there first.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_say_who_wrote_them() {
        assert_eq!(
            temporary_writer(".folio-123-abcDEF.tmp"),
            Some(Writer::Pid(123))
        );
        assert_eq!(temporary_writer(".folio-aB3xYz.tmp"), Some(Writer::Unknown));
        assert_eq!(temporary_writer(".folio-123456.tmp"), Some(Writer::Unknown));
        assert_eq!(temporary_writer(".folio-12-.tmp"), Some(Writer::Unknown));
        assert_eq!(
            temporary_writer(".folio-99999999999999-x.tmp"),
            Some(Writer::Unknown),
            "a pid that overflows is no pid"
        );
        assert_eq!(temporary_writer("folio-1-x.tmp"), None);
        assert_eq!(temporary_writer(".folio-1-x.txt"), None);
        assert_eq!(temporary_writer("page.txt"), None);
    }

    #[test]
    fn own_temporaries_carry_this_pid() {
        let dir = tempfile::tempdir().unwrap();
        let prefix = own_prefix();
        let create = |p: &Path| std::fs::File::create_new(p);
        let (_, tmp) = make_in(dir.path(), &prefix, create).unwrap();
        let (_, second) = make_in(dir.path(), &prefix, create).unwrap();
        assert_ne!(tmp.to_path_buf(), second.to_path_buf(), "names count up");
        let name = tmp.file_name().unwrap().to_str().unwrap().to_string();
        assert_eq!(
            temporary_writer(&name),
            Some(Writer::Pid(std::process::id())),
            "{name}"
        );
    }

    #[test]
    fn removes_only_what_was_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir
            .path()
            .join(format!(".folio-{}-live01.tmp", std::process::id()));
        // No pid reaches 2^31 (Linux caps pid_max at 2^22).
        let dead = dir.path().join(".folio-2147483000-dead01.tmp");
        let old_style = dir.path().join(".folio-Ab12Cd.tmp");
        let output = dir.path().join("b.pdf");
        let folder = dir.path().join(".folio-2147483000-adir00.tmp");
        for path in [&live, &dead, &old_style, &output] {
            std::fs::write(path, b"x").unwrap();
        }
        std::fs::create_dir(&folder).unwrap();
        if process_alive(1).is_none() {
            // No procfs: only age tells; make the dead one old.
            let old = SystemTime::now() - 2 * STALE_AGE;
            let f = std::fs::File::options().write(true).open(&dead).unwrap();
            f.set_modified(old).unwrap();
        }
        assert_eq!(remove_stale(dir.path()).unwrap(), 2);
        assert!(live.exists() && output.exists() && folder.is_dir());
        assert!(!dead.exists() && !old_style.exists());
        assert_eq!(remove_stale(&dir.path().join("missing")).unwrap(), 0);
    }
}
