//! Text output files are named after their source pages, so inserting,
//! removing or moving a page renames no other file; the reading order is in
//! `<book>.txt` and `contents.tsv`; stale files go, other files stay.

use super::harness::{Site, book_config};
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dist/text/b`, relative to it, with its text.
fn text_files(site: &Site) -> BTreeMap<String, String> {
    let root = site.path("dist/text/b");
    let mut out = BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(&root).unwrap();
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(rel, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n\n{body}\n")
}

/// A text-only book of `pages` (YAML list).
fn text_site(pages: &str) -> Site {
    let site = Site::new();
    site.config(&book_config(pages).replace("[text, pdf, epub]", "[text]"));
    site
}

#[test]
fn files_mirror_the_content_paths_and_survive_an_insertion() {
    let site =
        text_site("[about/_index.md, about/xsf/mission.md, faq.de.md, docs/install/index.md]");
    site.write(
        "content/about/_index.md",
        page("About", "The about section."),
    );
    site.write(
        "content/about/xsf/mission.md",
        page("Mission", "Our mission."),
    );
    site.write("content/faq.de.md", page("Fragen", "Häufige Fragen."));
    site.write(
        "content/docs/install/index.md",
        page("Install", "Install it."),
    );
    site.run(&["build"]).assert_code(0);
    let before = text_files(&site);
    let names: Vec<&str> = before.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "about/_index.txt",
            "about/xsf/mission.txt",
            "b.txt",
            "contents.tsv",
            "docs/install/index.txt",
            "faq.de.txt",
        ]
    );
    assert!(before["about/xsf/mission.txt"].starts_with("Mission\n======="));
    assert!(before["faq.de.txt"].contains("Häufige Fragen."));

    // A page inserted first: no other file changes name or content.
    site.write("content/new.md", page("New", "A new first page."));
    site.config(
        &book_config(
            "[new.md, about/_index.md, about/xsf/mission.md, faq.de.md, docs/install/index.md]",
        )
        .replace("[text, pdf, epub]", "[text]"),
    );
    site.run(&["build"]).assert_code(0);
    let after = text_files(&site);
    for (name, text) in &before {
        if name != "b.txt" && name != "contents.tsv" {
            assert_eq!(after.get(name), Some(text), "{name} changed");
        }
    }
    assert!(after["new.txt"].contains("A new first page."));
    // The reading order: the whole book and the index.
    let whole = &after["b.txt"];
    let first = whole.find("A new first page.").unwrap();
    let mission = whole.find("Our mission.").unwrap();
    assert!(first < mission, "reading order in b.txt");
    let rows: Vec<Vec<&str>> = after["contents.tsv"]
        .lines()
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows[0], ["position", "file", "url", "title"]);
    assert_eq!(rows[1], ["1", "new.txt", "/new/", "New"]);
    assert_eq!(rows[3][..2], ["3", "about/xsf/mission.txt"]);
    assert_eq!(rows.len(), 6);
}

#[test]
fn stale_files_and_emptied_folders_go_other_files_stay() {
    let site = text_site("[a/deep/er/page.md, top.md]");
    site.write("content/a/deep/er/page.md", page("Deep", "Deep down."));
    site.write("content/top.md", page("Top", "At the top."));
    site.run(&["build"]).assert_code(0);
    assert!(site.path("dist/text/b/a/deep/er/page.txt").is_file());
    site.write("dist/text/b/a/notes.md", "my notes");
    site.write("dist/text/b/glossary.txt.keep", "mine");
    site.config(&book_config("[top.md]").replace("[text, pdf, epub]", "[text]"));
    site.run(&["build"]).assert_code(0);
    assert!(
        !site.path("dist/text/b/a/deep").exists(),
        "emptied folders are removed"
    );
    assert_eq!(
        std::fs::read_to_string(site.path("dist/text/b/a/notes.md")).unwrap(),
        "my notes"
    );
    assert!(site.path("dist/text/b/glossary.txt.keep").is_file());
    let files = text_files(&site);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "a/notes.md",
            "b.txt",
            "contents.tsv",
            "glossary.txt.keep",
            "top.txt"
        ]
    );
    // `clean` takes the book's files and keeps the user's.
    site.run(&["clean"]).assert_code(0);
    let files = text_files(&site);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(names, ["a/notes.md", "glossary.txt.keep"]);
}

#[test]
fn clashing_names_are_told_apart_in_reading_order() {
    // The same stem twice, names differing only in case (one file on
    // macOS), a page named after the book, and a file where a folder goes.
    let site = text_site("[faq.md, faq.markdown, Guide.md, guide.md, b.md, x.md, x.txt/inner.md]");
    for (rel, title) in [
        ("faq.md", "FAQ one"),
        ("faq.markdown", "FAQ two"),
        ("Guide.md", "Guide one"),
        ("guide.md", "Guide two"),
        ("b.md", "Named like the book"),
        ("x.md", "Plain x"),
        ("x.txt/inner.md", "Inner"),
    ] {
        site.write(
            &format!("content/{rel}"),
            page(title, &format!("Body of {title}.")),
        );
    }
    site.run(&["build"]).assert_code(0);
    let files = text_files(&site);
    let owner = |name: &str| {
        files
            .get(name)
            .and_then(|t| t.lines().next().map(str::to_string))
            .unwrap_or_else(|| panic!("{name} in {:?}", files.keys()))
    };
    assert_eq!(owner("faq.txt"), "FAQ one");
    assert_eq!(owner("faq-2.txt"), "FAQ two");
    assert_eq!(owner("Guide.txt"), "Guide one");
    assert_eq!(owner("guide-2.txt"), "Guide two");
    assert_eq!(owner("b-2.txt"), "Named like the book");
    assert_eq!(owner("b.txt"), "Book", "the whole book keeps its name");
    // `x.txt` is a page's file, so the page under `x.txt/` goes to the top
    // folder under its id.
    assert_eq!(owner("x.txt"), "Plain x");
    let inner = index_file(&files, 7);
    assert!(!inner.contains('/'), "{inner}");
    assert_eq!(owner(&inner), "Inner");
    // Every page has exactly one file, listed once in the index.
    let index = &files["contents.tsv"];
    let listed: std::collections::BTreeSet<&str> = index
        .lines()
        .skip(1)
        .map(|r| r.split('\t').nth(1).unwrap())
        .collect();
    assert_eq!(listed.len(), 7, "seven distinct files");
    assert_eq!(index.lines().count(), 8);
    for row in index.lines().skip(1) {
        let file = row.split('\t').nth(1).unwrap();
        assert!(files.contains_key(file), "{file} listed but missing");
        assert!(!Path::new(file).is_absolute());
    }
}

/// The file of the page at `position` in the book's `contents.tsv`.
fn index_file(files: &BTreeMap<String, String>, position: usize) -> String {
    files["contents.tsv"]
        .lines()
        .nth(position)
        .and_then(|row| row.split('\t').nth(1))
        .unwrap()
        .to_string()
}
