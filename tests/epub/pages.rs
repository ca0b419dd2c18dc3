//! The EPUB's page list (issue 11, item 3): the print page numbers of the
//! book's PDF edition, as page-break markers where each PDF page begins and
//! a `page-list` navigation, with the pagination source in the metadata.

use super::a11y::entries;
use super::harness::{Site, book_config};

/// A page of `n` paragraphs, each opening with its token `Qk<i>Q`; one of
/// them runs over several pages, and headings open sections.
fn body(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        if i % 12 == 5 {
            out.push_str(&format!("## Section {i}\n\n"));
        }
        let words = if i == 20 { 2500 } else { 40 + (i * 7) % 50 };
        out.push_str(&format!("Qk{i}Q"));
        for w in 0..words {
            out.push_str(if w % 9 == 0 { " messaging" } else { " open" });
        }
        out.push_str(".\n\n");
    }
    out
}

fn project(formats: &str, page_list: Option<bool>) -> Site {
    let site = Site::new();
    site.write(
        "content/page.md",
        format!("---\ntitle: Pages\n---\n\n{}", body(70)),
    );
    let mut config = book_config("[page.md]").replace("[text, pdf, epub]", formats);
    if let Some(on) = page_list {
        config.push_str(&format!("    page_list: {on}\n"));
    }
    site.config(&config);
    site
}

/// Each page-break marker of the chapter: its page number and the token of
/// the paragraph after it.
fn markers(xhtml: &str) -> Vec<(u32, usize)> {
    let mut out = Vec::new();
    for (at, _) in xhtml.match_indices("<span epub:type=\"pagebreak\"") {
        let rest = &xhtml[at..];
        let label = rest.split("aria-label=\"").nth(1).unwrap();
        let number: u32 = label[..label.find('"').unwrap()].parse().unwrap();
        let token = rest.split("Qk").nth(1).unwrap();
        let k: usize = token[..token.find('Q').unwrap()].parse().unwrap();
        out.push((number, k));
    }
    out
}

#[test]
fn markers_sit_where_the_pdf_pages_begin() {
    let site = project("[pdf, epub]", None);
    site.run(&["build"]).assert_code(0);
    let e = entries(&site);
    let xhtml = &e["OEBPS/page.xhtml"];
    let found = markers(xhtml);
    let pdf = lopdf::Document::load(site.path("dist/b.pdf")).unwrap();
    let pages = pdf.get_pages().len() as u32;
    // Page 1 is the cover, page 2 the contents: the chapter begins on 3,
    // and every later page has its marker, in order.
    let numbers: Vec<u32> = found.iter().map(|m| m.0).collect();
    assert_eq!(numbers, (3..=pages).collect::<Vec<_>>(), "{xhtml}");
    assert!(pages > 8, "the test wants a long chapter: {pages} pages");
    let text = |n: u32| -> String { pdf.extract_text(&[n]).unwrap().split_whitespace().collect() };
    let mut continued = 0;
    for (number, k) in found {
        let here = text(number);
        // The paragraph after the marker starts on this page, or (one that
        // runs over pages) before it; the one before it never starts here.
        let starts_here = here.contains(&format!("Qk{k}Q"));
        if !starts_here {
            continued += 1;
            assert!(
                (3..number).any(|p| text(p).contains(&format!("Qk{k}Q"))),
                "page {number}: paragraph {k} starts nowhere before it"
            );
        }
        if k > 0 {
            assert!(
                !here.contains(&format!("Qk{}Q", k - 1)),
                "page {number} begins at paragraph {k}, but {} starts on it",
                k - 1
            );
        }
    }
    assert!(continued > 0, "the long paragraph runs over a page");
    // The navigation lists every marker, the package says where the page
    // numbers come from.
    let nav = &e["OEBPS/nav.xhtml"];
    assert!(nav.contains("<nav epub:type=\"page-list\" role=\"doc-pagelist\""));
    for n in 3..=pages {
        assert!(
            nav.contains(&format!("<a href=\"page.xhtml#page-{n}\">{n}</a>")),
            "page {n} missing from {nav}"
        );
    }
    let opf = &e["OEBPS/content.opf"];
    assert!(opf.contains("<dc:source id=\"pagination-source\">Book (PDF edition)</dc:source>"));
    assert!(opf.contains("property=\"source-of\">pagination</meta>"));
    assert!(opf.contains("accessibilityFeature\">pageBreakMarkers<"));
}

#[test]
fn the_page_list_does_not_depend_on_which_formats_are_built() {
    let site = project("[pdf, epub]", None);
    site.run(&["build"]).assert_code(0);
    let both = std::fs::read(site.path("dist/b.epub")).unwrap();
    site.run(&["build", "--format", "epub"]).assert_code(0);
    let alone = std::fs::read(site.path("dist/b.epub")).unwrap();
    assert!(both == alone, "the EPUB differs when its PDF is not built");
}

#[test]
fn page_list_follows_the_book_setting() {
    // Default: only a book that has a PDF edition.
    for (formats, setting, expected) in [
        ("[epub]", None, false),
        ("[epub]", Some(true), true),
        ("[pdf, epub]", Some(false), false),
    ] {
        let site = project(formats, setting);
        site.run(&["build"]).assert_code(0);
        let e = entries(&site);
        let has = e["OEBPS/page.xhtml"].contains("doc-pagebreak");
        assert_eq!(has, expected, "{formats} {setting:?}");
        assert_eq!(e["OEBPS/nav.xhtml"].contains("page-list"), expected);
        assert_eq!(e["OEBPS/content.opf"].contains("<dc:source"), expected);
    }
}
