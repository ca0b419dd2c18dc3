//! Every input the fuzzers (`fuzz/`) found a problem with, kept in
//! `tests/hostile/fuzz/` and built as the page of a one-page book with
//! `folio build` (text, PDF and EPUB): it must either build, writing every
//! format, or fail with exit 1 and an error at `page.md:LINE`, and never
//! crash or run away (the harness checks both on every run).
//!
//! `NAME.md` and `NAME.bin` are whole pages; `NAME.body.md` is a body (from
//! the shortcode and Markdown targets) and gets a front matter put first.

use super::common;
use super::harness::Site;
use std::path::{Path, PathBuf};

/// What a body reproducer is given, so that it stays a body.
const FRONT: &str = "---\ntitle: Fuzz\n---\n";

fn reproducers() -> Vec<PathBuf> {
    let dir = common::root().join("tests/hostile/fuzz");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// The page a reproducer stands for.
fn page_bytes(file: &Path) -> Vec<u8> {
    let bytes = std::fs::read(file).expect("read a reproducer");
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    if name.ends_with(".body.md") {
        [FRONT.as_bytes(), &bytes].concat()
    } else {
        bytes
    }
}

/// Builds `file` as the page; panics with the reason when it misbehaves.
fn build_cleanly(file: &Path) {
    let site = Site::new();
    site.write("content/page.md", page_bytes(file));
    let run = site.run(&["build"]);
    match run.code {
        0 => {
            let outputs = site.outputs();
            for out in ["b.pdf", "b.epub", "text/b/b.txt"] {
                assert!(
                    outputs.contains_key(Path::new(out)),
                    "built, but no {out}: {:?}",
                    outputs.keys()
                );
            }
        }
        1 => {
            run.assert_located("page.md", None);
        }
        code => panic!("exit {code}:\n{}", run.stderr),
    }
}

#[test]
fn fuzz_reproducers_build_or_fail_cleanly() {
    let files = reproducers();
    assert!(
        !files.is_empty(),
        "tests/hostile/fuzz/ holds no reproducer: the fuzzers' findings belong there"
    );
    // Every reproducer runs, and the failures are reported together, so
    // one known bug does not hide another.
    let failures: Vec<String> = files
        .iter()
        .filter_map(|file| {
            std::panic::catch_unwind(|| build_cleanly(file))
                .err()
                .map(|err| {
                    let why = err
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    let name = file.file_name().unwrap_or_default().to_string_lossy();
                    format!("{name}: {why}")
                })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fuzz reproducers misbehave:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}
