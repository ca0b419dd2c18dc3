//! A scratch project to break, and the assertions every hostile case makes.
#![allow(dead_code)]

use super::common;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run that takes longer than this is a runaway (the limits under test
/// are all well below a second on the release binary).
const TIMEOUT: Duration = Duration::from_secs(60);

/// A good one-page page, with a date and a link, to start from.
pub const PAGE: &str =
    "---\ntitle: Page\ndate: 2024-01-02\n---\n\nHello world, this is a good page.\n";

/// A scratch project in a temporary folder: `folio.yaml`, `content/`, and
/// the repository's fonts and templates by absolute path.
pub struct Site {
    dir: tempfile::TempDir,
}

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Site {
    /// One book `b` of `content/page.md` in text, PDF and EPUB.
    pub fn new() -> Site {
        let site = Site::empty();
        site.config(&book_config("[page.md]"));
        site.write("content/page.md", PAGE);
        site
    }

    /// A folder with nothing in it.
    pub fn empty() -> Site {
        Site {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes `rel` (creating folders); returns its full path.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Replaces `folio.yaml`.
    pub fn config(&self, yaml: &str) {
        self.write("folio.yaml", yaml);
    }

    /// Runs folio here with `args`, killing it after [`TIMEOUT`].
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    /// Runs folio here with at most `bytes` of heap (see [`run_in_memory`]).
    pub fn run_in_memory(&self, args: &[&str], bytes: u64) -> Run {
        run_in_memory(self.root(), args, bytes)
    }

    /// Every file under `dist/`, by path relative to it, but the cache of
    /// processed images (`.folio-cache/`, not an output).
    pub fn outputs(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        collect(&self.path("dist"), Path::new(""), &mut files);
        files.retain(|path, _| !path.starts_with(".folio-cache"));
        files
    }

    /// Builds (all formats) and asserts success; returns the outputs.
    pub fn build_ok(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let run = self.run(&["build"]);
        run.assert_code(0);
        let outputs = self.outputs();
        assert!(!outputs.is_empty(), "a good build writes something");
        outputs
    }

    /// True when `needle` occurs in any output: text files as they are,
    /// EPUB entries unzipped, PDF streams decompressed.
    pub fn outputs_contain(&self, needle: &[u8]) -> bool {
        self.outputs()
            .iter()
            .any(|(path, bytes)| output_contains(path, bytes, needle))
    }
}

/// The `folio.yaml` of a one-book project listing `pages` (a YAML list).
pub fn book_config(pages: &str) -> String {
    let root = common::root();
    format!(
        "fonts: {}\ntemplates: {}\nbooks:\n  b:\n    title: Book\n    formats: [text, pdf, epub]\n    pages: {pages}\n",
        root.join("fonts").display(),
        root.join("templates").display()
    )
}

/// Runs the folio binary in `dir` with a fixed build date.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_command(Command::new(env!("CARGO_BIN_EXE_folio")), dir, args)
}

/// Runs the folio binary at `binary` (a copy of it, say) in `dir`, with the
/// checks of [`run_in`].
pub fn run_binary(binary: &Path, dir: &Path, args: &[&str]) -> Run {
    run_command(Command::new(binary), dir, args)
}

/// As [`run_in`], with at most `bytes` of heap (`prlimit --data`): an
/// allocation past it aborts, which the crash check then reports.
pub fn run_in_memory(dir: &Path, args: &[&str], bytes: u64) -> Run {
    let mut command = Command::new("prlimit");
    command
        .arg(format!("--data={bytes}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_folio"));
    run_command(command, dir, args)
}

fn run_command(mut command: Command, dir: &Path, args: &[&str]) -> Run {
    let mut child = command
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run folio");
    // Drain both pipes on threads so a chatty run cannot block on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("folio {args:?} ran for more than {TIMEOUT:?}: a runaway");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out_t.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_t.join().unwrap()).into_owned(),
    };
    run.assert_no_crash();
    run
}

impl Run {
    /// No panic, abort, signal or allocation failure, whatever the exit code.
    pub fn assert_no_crash(&self) {
        for bad in [
            "panicked",
            "RUST_BACKTRACE",
            "stack overflow",
            "memory allocation",
            "Aborted",
        ] {
            assert!(
                !self.stderr.contains(bad),
                "crash text `{bad}` (exit {}):\n{}",
                self.code,
                self.stderr
            );
        }
        assert!(
            self.code == 0 || self.code == 1 || self.code == 2,
            "exit code {} (killed by a signal?):\n{}",
            self.code,
            self.stderr
        );
    }

    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "exit code; stderr:\n{}", self.stderr);
        self
    }

    /// Asserts each needle is in stderr.
    pub fn assert_stderr(&self, needles: &[&str]) -> &Run {
        for n in needles {
            assert!(
                self.stderr.contains(n),
                "expected `{n}` in stderr:\n{}",
                self.stderr
            );
        }
        self
    }

    /// The first diagnostic line naming `file` has a line number (and the
    /// line is `line` when given): `file:LINE` or `file:LINE:COL`.
    pub fn assert_located(&self, file: &str, line: Option<u32>) -> &Run {
        let found = self
            .stderr
            .lines()
            .filter_map(|l| l.split_once(&format!("{file}:")).map(|(_, rest)| rest))
            .find_map(|rest| {
                rest.split(':')
                    .next()
                    .and_then(|n| n.trim().parse::<u32>().ok())
            });
        match (found, line) {
            (None, _) => panic!("no `{file}:LINE` in stderr:\n{}", self.stderr),
            (Some(got), Some(want)) => {
                assert_eq!(got, want, "line named for {file}:\n{}", self.stderr)
            }
            (Some(got), None) => assert!(got > 0, "line 0 for {file}:\n{}", self.stderr),
        }
        self
    }
}

/// The core hostile case: build `site` good, break it with `break_it`,
/// build again. The second build must exit 1 without crashing, print each
/// of `needles`, and leave every earlier output byte-identical.
pub fn assert_fails_cleanly(site: &Site, break_it: impl FnOnce(&Site), needles: &[&str]) -> Run {
    let before = site.build_ok();
    break_it(site);
    let run = site.run(&["build"]);
    run.assert_code(1).assert_stderr(needles);
    assert_unchanged(site, &before);
    run
}

/// Every output in `before` is still there with the same bytes, and no
/// new file (temporaries included) appeared.
pub fn assert_unchanged(site: &Site, before: &BTreeMap<PathBuf, Vec<u8>>) {
    let after = site.outputs();
    let before_names: Vec<_> = before.keys().collect();
    let after_names: Vec<_> = after.keys().collect();
    assert_eq!(before_names, after_names, "output files changed");
    for (path, bytes) in before {
        assert!(after.get(path) == Some(bytes), "{} changed", path.display());
    }
}

/// A secret file outside any project: (its folder, its path, its marker).
/// Tests assert the marker reaches no output and (with strace) that the
/// file is never opened.
pub fn secret() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let marker = format!("SECRET-{}-MARKER", std::process::id());
    let path = dir.path().join("secret.txt");
    std::fs::write(&path, format!("{marker}\n")).unwrap();
    (dir, path.canonicalize().unwrap(), marker)
}

/// The files folio opened while running `args` in `site`, from strace;
/// `None` after a visible skip line (a failure under CI) when strace is
/// not installed or cannot trace here.
pub fn opened_files(site: &Site, args: &[&str]) -> Option<Vec<String>> {
    traced_calls(site, args).map(|calls| calls.into_iter().filter(|l| l.contains("open")).collect())
}

/// Every traced call (opens, stats, readlinks, execs, network connects)
/// folio made while running `args` in `site`; `None` as [`opened_files`].
pub fn traced_calls(site: &Site, args: &[&str]) -> Option<Vec<String>> {
    let strace = common::validators(&["strace"], "open() calls not checked")?;
    let log = site.path("strace.log");
    let mut full = vec![
        "-f",
        "-qq",
        "-e",
        "trace=open,openat,openat2,stat,newfstatat,statx,readlink,execve,connect",
        "-o",
        log.to_str().unwrap(),
        env!("CARGO_BIN_EXE_folio"),
    ];
    full.extend_from_slice(args);
    let out = strace
        .get("strace")
        .command()
        .args(&full)
        .current_dir(site.root())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("run strace");
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    if text.is_empty() {
        common::skip(&format!(
            "strace could not trace here ({}): open() calls not checked",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
        return None;
    }
    Some(text.lines().map(str::to_string).collect())
}

/// Asserts that folio never opens `secret` (by any path spelling) while
/// running `args`, where strace can tell.
pub fn assert_never_opened(site: &Site, args: &[&str], secret: &Path) {
    let Some(opens) = opened_files(site, args) else {
        return;
    };
    let name = secret.file_name().unwrap().to_string_lossy().into_owned();
    let hits: Vec<_> = opens.iter().filter(|l| l.contains(&name)).collect();
    assert!(
        hits.is_empty(),
        "{} was opened: {hits:#?}",
        secret.display()
    );
}

fn collect(dir: &Path, rel: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = rel.join(entry.file_name());
        if path.is_dir() {
            collect(&path, &rel, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.insert(rel, bytes);
        }
    }
}

/// Whether `needle` is in the PDF's bytes outside every stream's data.
fn outside_streams_contains(bytes: &[u8], needle: &[u8]) -> bool {
    let find_all = |hay: &[u8], what: &[u8]| -> Vec<usize> {
        hay.windows(what.len())
            .enumerate()
            .filter(|(_, w)| *w == what)
            .map(|(i, _)| i)
            .collect()
    };
    let ends = find_all(bytes, b"endstream");
    let starts: Vec<usize> = find_all(bytes, b"stream")
        .into_iter()
        .filter(|&i| i < 3 || &bytes[i - 3..i] != b"end")
        .collect();
    find_all(bytes, needle).into_iter().any(|pos| {
        let start = starts.iter().rev().find(|&&s| s < pos);
        let end = ends.iter().rev().find(|&&e| e < pos);
        match (start, end) {
            (Some(s), Some(e)) => s < e,
            (Some(_), None) => false,
            _ => true,
        }
    })
}

/// Whether a PDF object's strings and names, or the decompressed data of
/// a content stream or ToUnicode map, hold `needle`. Image samples and font
/// programs (streams with a `/Subtype` or `/Length1`) are binary: any bytes
/// may turn up in them.
fn pdf_object_contains(obj: &lopdf::Object, needle: &[u8]) -> bool {
    use lopdf::Object;
    match obj {
        Object::String(b, _) | Object::Name(b) => contains(b, needle),
        Object::Array(items) => items.iter().any(|o| pdf_object_contains(o, needle)),
        Object::Dictionary(d) => d.iter().any(|(_, o)| pdf_object_contains(o, needle)),
        Object::Stream(s) => {
            let binary = s.dict.get(b"Subtype").is_ok() || s.dict.get(b"Length1").is_ok();
            s.dict.iter().any(|(_, o)| pdf_object_contains(o, needle))
                || (!binary
                    && s.decompressed_content()
                        .is_ok_and(|data| contains(&data, needle)))
        }
        _ => false,
    }
}

fn output_contains(path: &Path, bytes: &[u8], needle: &[u8]) -> bool {
    let is_pdf = path.extension().is_some_and(|e| e == "pdf");
    // A PDF's raw bytes are mostly compressed streams, which may hold any
    // three bytes by chance: only what lies outside them counts.
    let found = if is_pdf {
        outside_streams_contains(bytes, needle)
    } else {
        contains(bytes, needle)
    };
    if found {
        return true;
    }
    match path.extension().and_then(|e| e.to_str()) {
        Some("epub") => {
            let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
                return false;
            };
            (0..zip.len()).any(|i| {
                let mut data = Vec::new();
                zip.by_index(i)
                    .is_ok_and(|mut f| f.read_to_end(&mut data).is_ok())
                    && contains(&data, needle)
            })
        }
        Some("pdf") => {
            let Ok(doc) = lopdf::Document::load_mem(bytes) else {
                return contains(bytes, needle);
            };
            doc.objects
                .values()
                .any(|obj| pdf_object_contains(obj, needle))
        }
        _ => false,
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn harness_builds_a_good_site() {
    let site = Site::new();
    let outputs = site.build_ok();
    assert!(
        outputs.contains_key(Path::new("b.pdf")),
        "{:?}",
        outputs.keys()
    );
    assert!(outputs.contains_key(Path::new("b.epub")));
    assert!(site.outputs_contain(b"Hello world"));
    assert!(!site.outputs_contain(b"SECRET-nothing"));
}
