//! `check` renders what `build` renders, so the two agree under `--strict`;
//! the build reports its steps to a progress display, which a terminal
//! shows and a pipe never does.

use super::common;
use super::harness::{Site, book_config};
use folio::build::{Progress, Stage, build_loaded, load_books};
use folio::{BuildOptions, Format, Project};
use std::cell::RefCell;

/// The harness's one-page site with a cover logo of its own, so the cover
/// drawing stage runs too.
fn quiet_site() -> Site {
    let site = Site::new();
    site.write(
        "content/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"10\"><rect width=\"20\" height=\"10\"/></svg>",
    );
    site.config(&format!(
        "{}    logo: /logo.svg\n",
        book_config("[page.md]")
    ));
    site
}

/// (exit code of `check --strict`, of `build --strict`) in `site`; the
/// strict build must write nothing when it fails.
fn strict_codes(site: &Site, extra: &[&str]) -> (i32, i32) {
    let check = site.run(&[&["check", "--strict"][..], extra].concat());
    let build = site.run(&[&["build", "--strict"][..], extra].concat());
    if build.code != 0 {
        assert!(!site.path("dist").exists(), "a failed strict build wrote");
        build.assert_stderr(&["with --strict: nothing written"]);
        check.assert_stderr(&["with --strict: the build would fail"]);
    }
    (check.code, build.code)
}

#[test]
fn check_and_build_agree_on_an_output_stage_warning() {
    // A character no font has (unassigned): only rendering the PDF finds it.
    let site = quiet_site();
    site.write(
        "content/page.md",
        "---\ntitle: Page\n---\n\nUnassigned: \u{378}.\n",
    );
    let check = site.run(&["check"]);
    check.assert_code(0).assert_stderr(&[
        "warning: content/page.md:5: no font has the character `\u{378}`",
        "1 warning",
    ]);
    assert!(!site.path("dist").exists(), "check writes nothing");
    assert_eq!(strict_codes(&site, &[]), (1, 1));
    // The text and EPUB alone do not warn about it: both pass.
    assert_eq!(
        strict_codes(&site, &["--format", "text", "--format", "epub"]),
        (0, 0)
    );
}

#[test]
fn check_and_build_agree_on_many_fixtures() {
    let cases: [(&str, &str, i32); 4] = [
        ("clean", "---\ntitle: Page\n---\n\nAll good.\n", 0),
        (
            "load warning",
            "---\ntitle: Page\n---\n\n{{< unknown >}}\n",
            1,
        ),
        (
            "missing image",
            "---\ntitle: Page\n---\n\n![x](/nowhere.png)\n",
            1,
        ),
        (
            "missing glyph in a table",
            "---\ntitle: P\n---\n\n| a |\n|---|\n| \u{378} |\n",
            1,
        ),
    ];
    for (what, page, want) in cases {
        let site = quiet_site();
        site.write("content/page.md", page);
        assert_eq!(strict_codes(&site, &[]), (want, want), "{what}");
    }
    // The built-in style names no cover logo: a project without one has
    // nothing to warn about, in check as in build.
    assert_eq!(strict_codes(&Site::new(), &[]), (0, 0), "no logo");
}

/// Records every step the build reports.
#[derive(Default)]
struct Recorder(RefCell<Vec<String>>);

impl Progress for Recorder {
    fn begin(&self, stage: Stage<'_>, index: usize, total: usize) {
        let step = match stage {
            Stage::Load { book } => format!("load {book}"),
            Stage::Render { book, format } => format!("render {book} {}", format.name()),
            Stage::Write => "write".to_string(),
        };
        self.0
            .borrow_mut()
            .push(format!("{step} {}/{total}", index + 1));
    }
}

#[test]
fn the_build_reports_each_step_in_order() {
    let site = Site::new();
    let config = book_config("[page.md]");
    let second = config.replace("  b:\n    title: Book\n", "  c:\n    title: C\n");
    site.config(&format!(
        "{config}{}",
        &second[second.find("  c:").unwrap()..]
    ));
    let project = Project::from_config(&site.path("folio.yaml")).unwrap();
    let options = BuildOptions {
        formats: vec![Format::Text, Format::Pdf],
        out: Some(site.path("out")),
        ..BuildOptions::default()
    };
    let recorder = Recorder::default();
    let (books, mut diags) = load_books(&project, &[], &options.load, &recorder).unwrap();
    build_loaded(&project, &books, &options, &recorder, &mut diags).unwrap();
    assert_eq!(
        recorder.0.into_inner(),
        [
            "load b 1/2",
            "load c 2/2",
            "render b text 1/4",
            "render b pdf 2/4",
            "render c text 3/4",
            "render c pdf 4/4",
            "write 1/1",
        ]
    );
    assert!(site.path("out/c.pdf").is_file());
}

#[test]
fn no_progress_or_escape_codes_on_a_pipe() {
    let Some((content, static_dir)) = common::corpus() else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let (code, _, stderr) = common::folio(
        out.path(),
        &[
            "build",
            "--content",
            content.to_str().unwrap(),
            "--static",
            static_dir.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    for bar in ["\r", "\u{1b}[", "rendering", "loading"] {
        assert!(!stderr.contains(bar), "`{bar:?}` on a pipe:\n{stderr}");
    }
}

#[test]
fn a_terminal_sees_the_progress_of_a_long_build_then_the_warnings() {
    let Some((content, static_dir)) = common::corpus() else {
        return;
    };
    let Some(tools) = common::validators(&["script"], "the progress bar on a terminal not checked")
    else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let folio = env!("CARGO_BIN_EXE_folio");
    // `script` gives folio a terminal; the bar shows at once (not after a
    // second), so a fast machine sees it too.
    let line = format!(
        "{folio} check --content '{}' --static '{}'",
        content.display(),
        static_dir.display()
    );
    let log = out.path().join("typescript");
    let run = tools
        .get("script")
        .command()
        .args(["-qec", &line, log.to_str().unwrap()])
        .current_dir(out.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .env("FOLIO_PROGRESS_DELAY_MS", "0")
        .env_remove("NO_COLOR")
        .output()
        .expect("run script");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let screen = std::fs::read_to_string(&log).unwrap();
    let bar = screen
        .find("rendering")
        .unwrap_or_else(|| panic!("no bar:\n{screen}"));
    let warning = screen.find("warning").expect("the corpus warns");
    assert!(bar < warning, "the bar comes before the warnings");
    let cleared = screen[..warning]
        .rfind("\u{1b}[2K")
        .expect("the bar is cleared");
    assert!(
        !screen[cleared..warning].contains("rendering"),
        "the bar is cleared before the first warning"
    );
    assert!(screen.contains("summary:"), "{screen}");
}
