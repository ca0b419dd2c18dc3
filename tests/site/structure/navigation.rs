//! Chapters nested under their sections in the EPUB nav and NCX, the PDF
//! outline and printed contents; the contents depth per format; deep and
//! big sites.

use super::read::*;
use super::*;
use std::io::Read;

#[test]
fn the_epub_nav_nests_chapters_under_their_sections() {
    let site = docs_site("");
    build_clean(&site);
    let nav = epub_entry(&site, "OEBPS/nav.xhtml");
    let entries = nav_entries(&nav);
    let chapters: Vec<(usize, &str)> = entries
        .iter()
        .filter(|e| !e.href.contains('#'))
        .map(|e| (e.depth, e.label.as_str()))
        .collect();
    assert_eq!(
        chapters,
        [
            (1, "Home"),
            (1, "Docs"),
            (2, "Install"),
            (2, "Usage"),
            (2, "Advanced"),
            (3, "Tuning"),
            (2, "FAQ"),
            (1, "Blog"),
            (2, "First post"),
            (2, "Third post"),
            (2, "Second post"),
            (1, "About"),
        ]
    );
    // Headings under their chapter, down to the default depth (3 levels).
    let heading = |label: &str| entries.iter().find(|e| e.label == label).cloned();
    assert_eq!(heading("Memory").map(|e| e.depth), Some(4));
    assert_eq!(heading("Heap").map(|e| e.depth), Some(5));
    assert_eq!(heading("Running").map(|e| e.depth), Some(3));
    // No numbers: each label is the title as written, and the list shows
    // no markers of its own.
    for e in &entries {
        assert!(
            !e.label.starts_with(|c: char| c.is_ascii_digit()),
            "numbered: {e:?}"
        );
    }
    assert!(nav.contains("href=\"stylesheet.css\""));
    let css = epub_entry(&site, "OEBPS/stylesheet.css");
    assert!(css.contains("nav ol { list-style: none"), "{css}");
    // Landmarks are still there, and each href is a chapter of the spine.
    assert!(nav.contains("epub:type=\"landmarks\""));
    let opf = epub_entry(&site, "OEBPS/content.opf");
    for e in &entries {
        let file = e.href.split('#').next().unwrap();
        assert!(opf.contains(&format!("href=\"{file}\"")), "{file}");
    }
}

#[test]
fn the_ncx_nests_the_same_way() {
    let site = docs_site("");
    build_clean(&site);
    let ncx = epub_entry(&site, "OEBPS/toc.ncx");
    let points = ncx_points(&ncx);
    let nav = nav_entries(&epub_entry(&site, "OEBPS/nav.xhtml"));
    let ncx_tree: Vec<(usize, &str)> = points.iter().map(|p| (p.0, p.1.as_str())).collect();
    let nav_tree: Vec<(usize, &str)> = nav.iter().map(|e| (e.depth, e.label.as_str())).collect();
    assert_eq!(ncx_tree, nav_tree);
    // Play order runs 1..n in reading order; ids are unique.
    let orders: Vec<u64> = points.iter().map(|p| p.2).collect();
    assert_eq!(orders, (1..=points.len() as u64).collect::<Vec<_>>());
    let mut ids: Vec<&str> = points.iter().map(|p| p.3.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), points.len());
    let deepest = points.iter().map(|p| p.0).max().unwrap();
    assert!(
        ncx.contains(&format!(
            "<meta name=\"dtb:depth\" content=\"{deepest}\" />"
        )),
        "dtb:depth {deepest}:\n{ncx}"
    );
}

#[test]
fn the_pdf_outline_nests_chapters_under_their_sections() {
    let site = docs_site("");
    build_clean(&site);
    let outline = pdf_outline(&site);
    let depth_of = |title: &str| {
        outline
            .iter()
            .find(|(_, t)| t == title)
            .unwrap_or_else(|| panic!("`{title}` not in {outline:?}"))
            .0
    };
    for (title, depth) in [
        ("Home", 1),
        ("Docs", 1),
        ("Install", 2),
        ("Advanced", 2),
        ("Tuning", 3),
        ("Memory", 4),
        ("Heap", 5),
        ("Blog", 1),
        ("Second post", 2),
        ("About", 1),
    ] {
        assert_eq!(depth_of(title), depth, "{title} in {outline:?}");
    }
    let top: Vec<&str> = outline
        .iter()
        .filter(|(d, _)| *d == 1)
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(top, ["Home", "Docs", "Blog", "About"]);
    if let Some(tools) = common::validators(&["qpdf"], "PDF structure not checked") {
        let (ok, out) = tools.run(
            "qpdf",
            &["--check", site.path("dist/b.pdf").to_str().unwrap()],
        );
        assert!(ok, "{out}");
    }
}

#[test]
fn the_printed_contents_indent_each_level() {
    let site = docs_site("");
    build_clean(&site);
    let Some(words) = contents_words(&site) else {
        return;
    };
    let (docs, install, advanced, tuning, running) = (
        x_of(&words, "Docs"),
        x_of(&words, "Install"),
        x_of(&words, "Advanced"),
        x_of(&words, "Tuning"),
        x_of(&words, "Running"),
    );
    assert!(docs < install && install == advanced, "{words:?}");
    assert!(advanced < tuning, "a subsection's chapter sits further in");
    assert!(install < running, "a heading sits under its chapter");
    // By default one heading level: `Memory` (first level) but not `Heap`.
    assert!(words.iter().any(|(w, _)| w == "Memory"));
    assert!(!words.iter().any(|(w, _)| w == "Heap"), "{words:?}");
}

#[test]
fn contents_depth_is_set_per_format() {
    // Chapters only in print, every heading in the nav.
    let site = docs_site("    toc: { pdf: 1, epub: 6 }\n");
    build_clean(&site);
    let nav = nav_entries(&epub_entry(&site, "OEBPS/nav.xhtml"));
    assert!(nav.iter().any(|e| e.label == "Heap"));
    if let Some(words) = contents_words(&site) {
        assert!(
            !words.iter().any(|(w, _)| w == "Memory" || w == "Running"),
            "{words:?}"
        );
        x_of(&words, "Tuning");
    }
    // Chapters only in the nav; defaults: key by key, the book's wins.
    let site = docs_site("    toc: { epub: 1 }\n");
    let config = std::fs::read_to_string(site.path("folio.yaml")).unwrap();
    site.config(&config.replacen("books:", "defaults:\n  toc: { pdf: 3, epub: 2 }\nbooks:", 1));
    build_clean(&site);
    let nav = nav_entries(&epub_entry(&site, "OEBPS/nav.xhtml"));
    assert!(nav.iter().all(|e| !e.href.contains('#')), "{nav:?}");
    let ncx = ncx_points(&epub_entry(&site, "OEBPS/toc.ncx"));
    assert_eq!(ncx.len(), ORDER.len());
    if let Some(words) = contents_words(&site) {
        assert!(
            words.iter().any(|(w, _)| w == "Heap"),
            "pdf: 3 from the defaults"
        );
    }
}

#[test]
fn a_contents_depth_out_of_range_names_its_line() {
    for (toc, line, needle) in [
        ("    toc: { pdf: 0 }\n", 11, "`toc.pdf` is 0"),
        ("    toc:\n      epub: 9\n", 12, "`toc.epub` is 9"),
        ("    toc: { html: 2 }\n", 11, "unknown field `html`"),
        ("    toc: { pdf: -1 }\n", 11, "toc"),
    ] {
        let site = docs_site(toc);
        let run = site.run(&["build"]);
        run.assert_code(1).assert_located("folio.yaml", Some(line));
        assert!(run.stderr.contains(needle), "`{needle}`:\n{}", run.stderr);
    }
}

#[test]
fn the_structure_site_passes_epubcheck() {
    let site = docs_site("    toc: { epub: 6 }\n");
    build_clean(&site);
    let Some(tools) = common::validators(&["epubcheck"], "the EPUB not validated") else {
        return;
    };
    let epub = site.path("dist/b.epub");
    let (_, out) = tools.run("epubcheck", &[epub.to_str().unwrap()]);
    assert!(
        out.contains("No errors or warnings detected"),
        "epubcheck:\n{out}"
    );
}

#[test]
fn sections_nested_past_the_limit_stay_bounded() {
    let site = docs_site("");
    let config = std::fs::read_to_string(site.path("folio.yaml")).unwrap();
    site.config(&format!("{config}limits:\n  nesting: 8\n"));
    let mut dir = String::from("content/deep");
    for i in 0..40 {
        site.write(
            &format!("{dir}/_index.md"),
            format!("---\ntitle: Level {i}\n---\n\nLevel {i}.\n"),
        );
        dir.push_str("/d");
    }
    site.write(
        &format!("{dir}/leaf.md"),
        "---\ntitle: Leaf\n---\n\nLEAF-MARKER\n",
    );
    let run = site.run(&["build"]);
    run.assert_code(0)
        .assert_stderr(&["sections nest more than 8 deep"]);
    assert!(site.outputs_contain(b"LEAF-MARKER"));
    let nav = nav_entries(&epub_entry(&site, "OEBPS/nav.xhtml"));
    let deepest = nav.iter().map(|e| e.depth).max().unwrap();
    assert_eq!(nav.iter().find(|e| e.label == "Leaf").unwrap().depth, 9);
    assert!(deepest <= 9 + 2, "{deepest}");
    let outline = pdf_outline(&site);
    assert!(outline.iter().map(|(d, _)| *d).max().unwrap() <= 9 + 5);
}

#[test]
fn the_corpus_nav_is_nested_and_small() {
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
            "--format",
            "epub",
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let bytes = std::fs::read(out.path().join("site.epub")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut nav = String::new();
    zip.by_name("OEBPS/nav.xhtml")
        .unwrap()
        .read_to_string(&mut nav)
        .unwrap();
    // The contents only (the landmarks and the page list follow them).
    let nav = nav[..nav
        .find("<nav epub:type=\"landmarks\"")
        .unwrap_or(nav.len())]
        .to_string();
    let entries = nav_entries(&nav);
    let chapters = entries.iter().filter(|e| !e.href.contains('#')).count();
    let top = entries.iter().filter(|e| e.depth == 1).count();
    let deepest = entries.iter().map(|e| e.depth).max().unwrap();
    eprintln!(
        "corpus nav.xhtml: {} bytes, {} links, {chapters} chapters, {top} top-level, {deepest} deep",
        nav.len(),
        entries.len()
    );
    // Measured on the 169 pages: 8 top-level entries, 59 226 bytes for 572
    // links; before chapters nested, all 169 sat at the top level in
    // 69 442 bytes (121 a link).
    assert!(chapters > 50, "{chapters} chapters");
    assert!(top <= 12, "{top} top-level entries");
    assert!(deepest >= 4, "sections nest: {deepest}");
    assert!(
        nav.len() < 110 * entries.len(),
        "{} bytes for {} links",
        nav.len(),
        entries.len()
    );
}
