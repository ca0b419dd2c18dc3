//! The global options, `-M`/`--title`, `--book` repeated, and a closed
//! stdout.

use super::common;
use super::harness::{Site, book_config};
use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn quiet_and_verbose_conflict_wherever_they_are() {
    let site = Site::new();
    for args in [
        &["-q", "build", "-v"][..],
        &["build", "-q", "-v"],
        &["-v", "-q", "check"],
        &["--verbose", "check", "--quiet"],
    ] {
        let run = site.run(args);
        run.assert_code(2).assert_stderr(&["cannot be used with"]);
        assert!(!site.path("dist").exists(), "{args:?} built");
    }
    site.run(&["-v", "build"])
        .assert_code(0)
        .assert_stderr(&["book b, format pdf"]);
    let run = site.run(&["build", "-q"]);
    run.assert_code(0);
    assert_eq!(run.stderr, "");
}

#[test]
fn global_options_come_first_in_every_help() {
    let site = Site::new();
    for sub in [
        "build",
        "check",
        "model",
        "list",
        "clean",
        "completions",
        "man",
    ] {
        let run = site.run(&[sub, "--help"]);
        run.assert_code(0);
        let options: Vec<&str> = run
            .stdout
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with('-'))
            .collect();
        let first: Vec<&str> = options
            .iter()
            .take(4)
            .map(|l| {
                l.split_whitespace()
                    .find(|w| w.starts_with("--"))
                    .unwrap_or("")
            })
            .collect();
        assert_eq!(
            first,
            ["--quiet", "--verbose", "--color", "--message-format"],
            "{sub} --help:\n{}",
            run.stdout
        );
    }
    // `-v` promises every warning and each output's book and format:
    // `check -v` shows them too, for the outputs it renders.
    let help = site.run(&["check", "--help"]).stdout;
    assert!(help.contains("every warning"), "{help}");
    let run = site.run(&["check", "-v"]);
    run.assert_code(0).assert_stderr(&[
        "rendered dist/b.pdf",
        "book b, format pdf",
        "book b, format epub",
        "book b, format text",
    ]);
}

/// The `Title` of a PDF's Info dictionary.
fn pdf_title(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF");
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .and_then(|id| doc.get_dictionary(id))
        .expect("an Info dictionary");
    let raw = info
        .get(b"Title")
        .and_then(|t| t.as_str())
        .expect("a Title");
    match raw.strip_prefix(&[0xFE, 0xFF][..]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => String::from_utf8_lossy(raw).into_owned(),
    }
}

/// An EPUB's package document.
fn epub_opf(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut opf = String::new();
    let name = (0..zip.len())
        .filter_map(|i| zip.by_index(i).ok().map(|f| f.name().to_string()))
        .find(|n| n.ends_with(".opf"))
        .expect("a package document");
    zip.by_name(&name)
        .unwrap()
        .read_to_string(&mut opf)
        .unwrap();
    opf
}

/// The `<dc:title>` of an EPUB's package document.
fn epub_title(bytes: &[u8]) -> String {
    let opf = epub_opf(bytes);
    let start = opf
        .find("<dc:title")
        .and_then(|i| opf[i..].find('>').map(|j| i + j + 1));
    let start = start.expect("a dc:title");
    opf[start..start + opf[start..].find("</dc:title>").unwrap()].to_string()
}

/// (text title line, PDF title, EPUB title) of book `b` after a build.
fn titles(site: &Site) -> (String, String, String) {
    let text = std::fs::read_to_string(site.path("dist/text/b/b.txt")).unwrap();
    let pdf = std::fs::read(site.path("dist/b.pdf")).unwrap();
    let epub = std::fs::read(site.path("dist/b.epub")).unwrap();
    (
        text.lines().next().unwrap_or("").to_string(),
        pdf_title(&pdf),
        epub_title(&epub),
    )
}

#[test]
fn meta_overrides_reach_every_format() {
    let site = Site::new();
    site.run(&["build", "-M", "title=Über & Co", "-M", "authors=Ann, Bo"])
        .assert_code(0);
    let t = "Über & Co".to_string();
    let epub_t = "Über &amp; Co".to_string();
    assert_eq!(titles(&site), (t.clone(), t, epub_t));
    let opf = epub_opf(&std::fs::read(site.path("dist/b.epub")).unwrap());
    assert!(
        opf.contains(">Ann</dc:creator>") && opf.contains(">Bo</dc:creator>"),
        "{opf}"
    );
    // --title wins over -M title, and reaches the model too.
    site.run(&["build", "-M", "title=Lost", "--title", "Won"])
        .assert_code(0);
    let won = "Won".to_string();
    assert_eq!(titles(&site), (won.clone(), won.clone(), won));
    let model = site.run(&[
        "model",
        "--book",
        "b",
        "--title",
        "Won",
        "-M",
        "subtitle=Sub",
    ]);
    let v: serde_json::Value = serde_json::from_str(&model.stdout).unwrap();
    assert_eq!(v["meta"]["title"], "Won");
    assert_eq!(v["meta"]["subtitle"], "Sub");
    // Without them, the config's title again.
    site.run(&["build"]).assert_code(0);
    assert_eq!(titles(&site).0, "Book");
}

#[test]
fn meta_overrides_set_language_base_url_and_date() {
    let site = Site::new();
    site.write(
        "content/page.md",
        "---\ntitle: Page\n---\n\nSee [the other page](/elsewhere/).\n",
    );
    let run = site.run(&[
        "model",
        "--book",
        "b",
        "-M",
        "language=de",
        "-M",
        "base_url=https://example.net/docs",
        "-M",
        "date=2024-02-29",
        "-M",
        "keywords=a, b",
    ]);
    run.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let meta = &v["meta"];
    assert_eq!(meta["language"], "de");
    assert_eq!(meta["base_url"], "https://example.net/docs/");
    assert_eq!(meta["date"], 1_709_164_800);
    assert_eq!(meta["keywords"], serde_json::json!(["a", "b"]));
    assert_eq!(v["pages"][0]["lang"], "de");
    // Links out of the book were resolved against the new base URL.
    assert!(
        run.stdout.contains("https://example.net/docs/elsewhere/"),
        "{}",
        run.stdout
    );
}

#[test]
fn meta_overrides_reach_a_whole_site_book() {
    let site = Site::empty();
    site.write("content/_index.md", "---\ntitle: Home\n---\n\nWelcome.\n");
    site.write(
        "content/page.md",
        "---\ntitle: Page\n---\n\nSee [x](/x/).\n",
    );
    let run = site.run(&[
        "model",
        "--content",
        "content",
        "--title",
        "Whole",
        "-M",
        "base_url=https://example.net/",
        "-M",
        "publisher=Pub",
    ]);
    run.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let meta = &v[0]["meta"];
    assert_eq!(meta["title"], "Whole");
    assert_eq!(meta["publisher"], "Pub");
    assert!(
        run.stdout.contains("https://example.net/x/"),
        "{}",
        run.stdout
    );
}

#[test]
fn bad_meta_overrides_are_usage_errors() {
    let site = Site::new();
    for (arg, needle) in [
        ("colour=red", "unknown key `colour`"),
        ("title", "KEY=VALUE"),
        ("date=2023-02-29", "not a date"),
        ("language=en US", "not a language tag"),
        ("base_url=xmpp.org", "not a base URL"),
    ] {
        site.run(&["build", "-M", arg])
            .assert_code(2)
            .assert_stderr(&[needle]);
    }
    site.run(&["build", "--title", " "]).assert_code(2);
    assert!(!site.path("dist").exists());
}

/// Two books over the same page.
fn two_books() -> Site {
    let site = Site::new();
    let config = book_config("[page.md]");
    let second = config.replace("  b:\n    title: Book\n", "  c:\n    title: Second\n");
    let books = second[second.find("  c:").unwrap()..].to_string();
    site.config(&format!("{config}{books}"));
    site
}

#[test]
fn book_is_repeatable_on_check_and_model() {
    let site = two_books();
    let run = site.run(&["check", "--book", "c", "--book", "b", "--format", "text"]);
    run.assert_code(0)
        .assert_stderr(&["checked 2 books, 2 pages"]);
    let run = site.run(&["check", "--book", "c", "--format", "text"]);
    run.assert_code(0)
        .assert_stderr(&["checked 1 book, 1 page:"]);

    let run = site.run(&["model", "--book", "c", "--book", "b"]);
    run.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let titles: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["meta"]["title"].clone())
        .collect();
    assert_eq!(titles, ["Second", "Book"]);
    let run = site.run(&["model", "--book", "c"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["meta"]["title"], "Second", "one book: its object");
    let run = site.run(&["model"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(2), "no --book: every book");
    // -M applies to the books asked for.
    let run = site.run(&[
        "build", "--book", "c", "--title", "Only C", "--format", "text",
    ]);
    run.assert_code(0);
    let c = std::fs::read_to_string(site.path("dist/text/c/c.txt")).unwrap();
    assert!(c.starts_with("Only C"), "{c}");
    site.run(&["model", "--book", "b", "--book", "nope"])
        .assert_code(1)
        .assert_stderr(&["no book named `nope`"]);
}

/// Runs folio with stdout a pipe whose reading end is already closed.
fn with_closed_stdout(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run folio");
    // Closing our end before folio writes: its first write gets EPIPE.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    (status.code().unwrap_or(-1), stderr)
}

#[test]
fn a_closed_stdout_ends_quietly_with_success() {
    let root = common::root();
    for args in [
        &["model"][..],
        &["model", "--book", "press-kit"],
        &["list"],
        &["list", "--json"],
        &["completions", "bash"],
        &["man"],
    ] {
        let (code, stderr) = with_closed_stdout(&root, args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}
