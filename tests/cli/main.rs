//! The command line end to end: invalid inputs give the expected message and
//! exit code, a failed build leaves earlier outputs alone, usage errors exit 2
//! (here); diagnostics and their summary, the subcommands, the global
//! options and `check` against `build` (in the modules).

#[path = "../common/mod.rs"]
mod common;
#[path = "../hostile/harness.rs"]
mod harness;

mod cache;
mod commands;
mod diagnostics;
mod options;
mod strict;
mod text_names;
mod watch;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs folio in `dir` with `args` and the environment changes `env`
/// (`(name, Some(value))` sets, `(name, None)` removes); colour variables
/// are cleared first so that only `env` decides. Asserts no crash.
pub fn run_env(dir: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> harness::Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_folio"));
    command
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .stdin(Stdio::null());
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"] {
        command.env_remove(var);
    }
    for (name, value) in env {
        match value {
            Some(v) => command.env(name, v),
            None => command.env_remove(name),
        };
    }
    let out = command.output().expect("run folio");
    let run = harness::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    run.assert_no_crash();
    run
}

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/invalid").join(name)
}

/// Copies a fixture to a temporary folder so builds do not write into the repo.
fn scratch(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn assert_error(name: &str, expected: &[&str]) {
    let dir = scratch(name);
    let (code, _, stderr) = common::folio(dir.path(), &["build"]);
    assert_eq!(code, 1, "{name}: exit code; stderr:\n{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{name}: expected `{e}` in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !dir.path().join("dist").exists(),
        "{name}: nothing may be written"
    );
}

#[test]
fn bad_yaml_names_file_and_line() {
    assert_error(
        "bad-yaml",
        &["error: content/page.md:", "invalid front matter"],
    );
    let (_, _, stderr) = common::folio(scratch("bad-yaml").path(), &["check"]);
    let line: u32 = stderr
        .split("content/page.md:")
        .nth(1)
        .and_then(|s| s.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        (3..=4).contains(&line),
        "line of the bad YAML (3 or 4), got {line}: {stderr}"
    );
}

#[test]
fn unterminated_front_matter() {
    assert_error(
        "unterminated-front-matter",
        &["error: content/page.md:1:", "unterminated front matter"],
    );
}

#[test]
fn unterminated_shortcode() {
    assert_error(
        "unterminated-shortcode",
        &["error: content/page.md:7:", "unterminated shortcode"],
    );
}

#[test]
fn not_utf8() {
    assert_error("not-utf8", &["error: content/page.md:5", "not valid UTF-8"]);
}

#[test]
fn config_typo_names_key_and_line() {
    assert_error(
        "config-typo",
        &["error: folio.yaml:4:", "unknown field `pagez`"],
    );
}

#[test]
fn missing_image_warns_and_fails_under_strict() {
    let dir = scratch("missing-image");
    let (code, _, stderr) = common::folio(dir.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: content/page.md:7: image `/images/nowhere.png`"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(dir.path().join("dist/text/fixture/page.txt")).unwrap();
    assert!(text.contains("[Figure: Gone]"), "{text}");

    let (code, _, stderr) =
        common::folio(dir.path(), &["build", "--strict", "--out", "strict-out"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--strict"), "{stderr}");
    assert!(!dir.path().join("strict-out").exists());

    let (code, _, _) = common::folio(dir.path(), &["check", "--strict"]);
    assert_eq!(code, 1);
    let (code, _, _) = common::folio(dir.path(), &["check"]);
    assert_eq!(code, 0);
}

#[test]
fn failed_build_leaves_earlier_output_untouched() {
    let dir = scratch("missing-image");
    let (code, _, stderr) = common::folio(dir.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let out = dir.path().join("dist/text/fixture/fixture.txt");
    let before = std::fs::read(&out).unwrap();
    // Break the page, build again: the error stops the build before any write.
    std::fs::write(
        dir.path().join("content/page.md"),
        "---\ntitle: [broken\n---\n",
    )
    .unwrap();
    let (code, _, _) = common::folio(dir.path(), &["build"]);
    assert_eq!(code, 1);
    assert_eq!(std::fs::read(&out).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, stderr) = common::folio(&common::root(), &["build", "--format", "docx"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = common::folio(&common::root(), &["frobnicate"]);
    assert_eq!(code, 2);
}

#[test]
fn unknown_book_is_an_error() {
    let (code, _, stderr) = common::folio(&common::root(), &["check", "--book", "nope"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("no book named `nope`") && stderr.contains("press-kit"),
        "{stderr}"
    );
}

#[test]
fn model_prints_json_with_resolved_links() {
    let (code, stdout, stderr) = common::folio(&common::root(), &["model", "--book", "press-kit"]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(v["meta"]["title"], "XMPP Press Kit");
    let pages = v["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 4);
    assert_eq!(pages[0]["url"], "/about/press-kit/");
    // The press kit links to the mission page, which is in the book.
    assert!(
        stdout.contains("\"page\": \"about-xsf-mission\""),
        "internal link to the mission page"
    );
    assert!(
        stdout.contains("https://xmpp.org/about/faq/"),
        "site link outside the book made absolute"
    );
}

#[test]
fn default_build_writes_text_of_both_books() {
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().to_str().unwrap();
    let (code, _, stderr) = common::folio(
        &common::root(),
        &["build", "--format", "text", "--out", out_arg],
    );
    assert_eq!(code, 0, "{stderr}");
    for (book, title) in [
        ("press-kit", "XMPP Press Kit"),
        ("about-xmpp", "About XMPP"),
    ] {
        let whole =
            std::fs::read_to_string(out.path().join(format!("text/{book}/{book}.txt"))).unwrap();
        assert!(whole.starts_with(title), "{whole}");
        for page in [
            "XSF Mission",
            "Press Kit",
            "XSF Roadmap",
            "Features and Benefits of XMPP",
        ] {
            assert!(whole.contains(page), "{book} lacks {page}");
        }
    }
    assert!(
        stderr.contains("wrote") && stderr.contains("finished 2 books"),
        "{stderr}"
    );
}

/// The shipped pages are clean: a full build (PDF, EPUB, text) gives no
/// warning, so `--strict` passes, as `check --strict` does.
#[test]
fn default_build_has_no_warnings() {
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().to_str().unwrap();
    let (code, _, stderr) =
        common::folio(&common::root(), &["build", "--strict", "--out", out_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(stderr.contains("finished 2 books"), "{stderr}");
    for file in [
        "press-kit.pdf",
        "about-xmpp.epub",
        "text/press-kit/press-kit.txt",
        "text/about-xmpp/about-xmpp.txt",
    ] {
        assert!(out.path().join(file).is_file(), "{file} not written");
    }
    let (code, _, stderr) = common::folio(&common::root(), &["check", "--strict"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning:"), "{stderr}");
    assert!(stderr.contains("8 pages: 0 warnings"), "{stderr}");
    assert!(stderr.contains("rendered, none written"), "{stderr}");
}

#[test]
fn content_export_works_outside_a_project() {
    // No folio.yaml in or above a temporary folder: the shipped fonts and
    // templates are used, and every page under --content is one book.
    let cwd = tempfile::tempdir().unwrap();
    let content = common::root().join("content");
    let (code, _, stderr) = common::folio(
        cwd.path(),
        &[
            "-q",
            "build",
            "--content",
            content.to_str().unwrap(),
            "--format",
            "pdf",
            "--format",
            "text",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(cwd.path().join("dist/site.pdf").is_file());
    let whole = std::fs::read_to_string(cwd.path().join("dist/text/site/site.txt")).unwrap();
    for title in [
        "Press Kit",
        "XSF Mission",
        "XSF Roadmap",
        "Features and Benefits of XMPP",
    ] {
        assert!(whole.contains(title), "{title} missing");
    }
    // content/README.md (the list of fixes to the pages) is a draft.
    assert!(!whole.contains("About these pages"), "README exported");
}
