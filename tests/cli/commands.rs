//! The subcommands besides build, check and model: completions, man, list
//! and clean.

use super::common;
use super::harness::Site;
use std::path::Path;

const SUBCOMMANDS: [&str; 7] = [
    "build",
    "check",
    "model",
    "list",
    "clean",
    "completions",
    "man",
];

#[test]
fn completions_for_each_shell_name_every_subcommand() {
    let site = Site::new();
    for (shell, marker) in [
        ("bash", "complete -F _folio"),
        ("zsh", "#compdef folio"),
        ("fish", "complete -c folio"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = site.run(&["completions", shell]);
        run.assert_code(0);
        assert!(
            run.stdout.contains(marker),
            "{shell}: no `{marker}`:\n{}",
            run.stdout
        );
        for sub in SUBCOMMANDS {
            assert!(run.stdout.contains(sub), "{shell}: `{sub}` not completed");
        }
        // The global options complete too.
        assert!(run.stdout.contains("message-format"), "{shell}");
        assert_eq!(run.stderr, "", "{shell}");
    }
    site.run(&["completions", "tcsh"]).assert_code(2);
}

#[test]
fn man_prints_roff_naming_every_subcommand() {
    let site = Site::new();
    let run = site.run(&["man"]);
    run.assert_code(0);
    let roff = &run.stdout;
    assert!(roff.contains(".TH folio 1"), "{roff}");
    assert!(roff.contains(".SH SUBCOMMANDS"), "{roff}");
    for sub in SUBCOMMANDS {
        assert!(
            roff.contains(&format!("folio\\-{sub}(1)")),
            "`{sub}` missing:\n{roff}"
        );
    }
    // --out writes one page per subcommand, and says so on stderr only.
    let run = site.run(&["man", "--out", "man1"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "");
    let page = std::fs::read_to_string(site.path("man1/folio.1")).unwrap();
    assert_eq!(&page, roff, "the same page printed and written");
    for sub in SUBCOMMANDS {
        let page = std::fs::read_to_string(site.path(&format!("man1/folio-{sub}.1")))
            .unwrap_or_else(|e| panic!("folio-{sub}.1: {e}"));
        assert!(page.contains(&format!(".TH folio-{sub} 1")), "{page}");
    }
    let build = std::fs::read_to_string(site.path("man1/folio-build.1")).unwrap();
    assert!(
        build.contains("\\-\\-strict") && build.contains("\\-\\-meta"),
        "{build}"
    );
}

/// Two books: `a` (text and PDF, two pages, one in German) and `b`.
fn two_books() -> Site {
    let site = Site::new();
    let root = common::root();
    site.config(&format!(
        "fonts: {}\ntemplates: {}\ndefaults:\n  language: en\nbooks:\n  a:\n    title: Book A\n    formats: [text, pdf]\n    pages: [page.md, de.md]\n  b:\n    title: Book B\n    formats: [epub]\n    pages: [page.md]\n",
        root.join("fonts").display(),
        root.join("templates").display()
    ));
    site.write(
        "content/de.md",
        "---\ntitle: Seite\nlang: de\n---\n\nHallo.\n",
    );
    site
}

#[test]
fn list_prints_books_formats_pages_and_languages() {
    let site = two_books();
    let run = site.run(&["list"]);
    run.assert_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    let words = |l: &str| {
        l.split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(words(lines[0]), "BOOK TITLE FORMATS PAGES LANGUAGES");
    assert!(
        words(lines[1]).starts_with("a Book A text, pdf 2 pages en"),
        "{}",
        lines[1]
    );
    assert_eq!(words(lines[2]), "b Book B epub 1 page en");
    // The columns line up.
    let at = |l: &str| l.find("Book").unwrap();
    assert_eq!(at(lines[1]), at(lines[2]));
    assert_eq!(run.stderr, "", "listing is not checking");

    let run = site.run(&["list", "--json", "--book", "b", "--book", "a"]);
    run.assert_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let books = v.as_array().unwrap();
    assert_eq!(books.len(), 2);
    assert_eq!(books[0]["name"], "b", "in the order asked");
    let a = &books[1];
    assert_eq!(a["title"], "Book A");
    assert_eq!(a["formats"], serde_json::json!(["text", "pdf"]));
    assert_eq!(a["pages"], 2);
    assert_eq!(a["languages"][0], "en");
    assert_eq!(
        a["outputs"],
        serde_json::json!(["dist/text/a", "dist/a.pdf"])
    );
    site.run(&["list", "--book", "nope"])
        .assert_code(1)
        .assert_stderr(&["no book named `nope`"]);
}

#[test]
fn list_names_the_languages_of_the_pages() {
    let site = two_books();
    let run = site.run(&["list", "--json", "--book", "a"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let mut listed: Vec<String> = v[0]["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed[0], "en", "the book's language first");
    // Every language a page of the book has, as the model says, once.
    let model: serde_json::Value =
        serde_json::from_str(&site.run(&["model", "--book", "a"]).stdout).unwrap();
    let mut pages: Vec<String> = model["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["lang"].as_str().unwrap().to_string())
        .collect();
    pages.push("en".into());
    pages.sort();
    pages.dedup();
    listed.sort();
    assert_eq!(listed, pages);
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(files_under(&path));
            } else {
                out.push(path.display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn clean_removes_only_what_folio_wrote() {
    let site = two_books();
    site.build_ok();
    // The user's own files, beside and among folio's.
    site.write("dist/notes.md", "mine");
    site.write("dist/text/a/glossary.md", "mine");
    site.write("dist/other.pdf", "mine");
    site.write("dist/text/zz/old.txt", "not a book of this project");
    std::fs::create_dir_all(site.path("dist/b.pdf")).unwrap();
    let before = files_under(&site.path("dist"));

    let run = site.run(&["clean", "--dry-run"]);
    run.assert_code(0)
        .assert_stderr(&["would remove dist/a.pdf", "would remove dist/b.epub"]);
    assert_eq!(
        files_under(&site.path("dist")),
        before,
        "a dry run removes nothing"
    );

    // The book's EPUB, and the cache the books share (the PDF's font
    // programs).
    let cached = files_under(&site.path("dist/.folio-cache")).len();
    assert!(cached > 0, "the PDF's font programs are cached");
    let removed = format!("removed {} files", 1 + cached);
    let run = site.run(&["clean", "--book", "b"]);
    run.assert_code(0).assert_stderr(&[removed.as_str()]);
    assert!(!site.path("dist/b.epub").exists());
    assert!(site.path("dist/a.pdf").exists(), "book a was not asked for");

    site.run(&["clean"]).assert_code(0);
    let root = site.path("dist").display().to_string();
    let left: Vec<String> = files_under(&site.path("dist"))
        .into_iter()
        .map(|p| p[root.len() + 1..].to_string())
        .collect();
    assert_eq!(
        left,
        [
            "notes.md",
            "other.pdf",
            "text/a/glossary.md",
            "text/zz/old.txt"
        ],
        "only folio's outputs go"
    );
    assert!(
        site.path("dist/b.pdf").is_dir(),
        "a folder is never removed as an output"
    );
    // Nothing left to clean: still a success.
    site.run(&["clean"])
        .assert_code(0)
        .assert_stderr(&["removed 0 files"]);
}

#[test]
fn clean_removes_empty_text_folders_and_dead_temporaries() {
    let site = Site::new();
    site.build_ok();
    // A temporary a killed build left (no such process runs).
    site.write("dist/.folio-999999999-0.tmp", "partial");
    site.write("dist/text/b/.folio-999999999-1.tmp", "partial");
    site.run(&["clean"]).assert_code(0);
    assert!(
        !site.path("dist/text").exists(),
        "{:?}",
        files_under(&site.path("dist"))
    );
    assert_eq!(files_under(&site.path("dist")), Vec::<String>::new());
}

#[test]
fn clean_refuses_a_source_folder() {
    let site = Site::new();
    site.write("content/b.pdf", "a download the site links to");
    let run = site.run(&["clean", "--out", "content"]);
    run.assert_code(1)
        .assert_stderr(&["--out content", "content root"]);
    assert!(site.path("content/b.pdf").exists());
    assert!(site.path("content/page.md").exists());
}
