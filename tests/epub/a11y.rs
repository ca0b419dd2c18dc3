//! Accessibility of the EPUB (issue 11, the EPUB part): the package's
//! language, ARIA roles beside `epub:type`, headings without skipped levels,
//! table headers that say something, alt text that does not repeat the
//! caption, links with a name, and a conformance claim only where it holds.
//! Ace by DAISY checks the built books in CI (`scripts/ace.sh`).

use super::harness::{Site, book_config};
use std::collections::BTreeMap;
use std::io::Read;

/// Every entry of the site's EPUB (`dist/b.epub`) as text.
pub(super) fn entries(site: &Site) -> BTreeMap<String, String> {
    let bytes = std::fs::read(site.path("dist/b.epub")).expect("the EPUB");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        out.insert(
            file.name().to_string(),
            String::from_utf8_lossy(&data).into_owned(),
        );
    }
    out
}

/// The chapter of `content/page.md`.
fn chapter(entries: &BTreeMap<String, String>) -> &str {
    entries
        .iter()
        .find(|(name, _)| name.ends_with("page.xhtml"))
        .map(|(_, text)| text.as_str())
        .expect("the chapter")
}

/// An EPUB-only project whose page has `body`, with a small SVG at
/// `/pic.svg` and the publisher `Pub`.
fn site(body: &str) -> Site {
    let site = Site::new();
    site.write(
        "content/pic.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"#36c\"/></svg>",
    );
    site.write(
        "content/page.md",
        format!("---\ntitle: Page\n---\n\n{body}\n"),
    );
    site.config(
        &book_config("[page.md]")
            .replace("[text, pdf, epub]", "[epub]")
            .replace(
                "    title: Book\n",
                "    title: Book\n    publisher: Pub\n    language: de\n",
            ),
    );
    site.run(&["build"]).assert_code(0);
    site
}

#[test]
fn package_and_navigation_carry_language_and_roles() {
    let e = entries(&site("Some text."));
    let opf = &e["OEBPS/content.opf"];
    assert!(
        opf.contains("<package version=\"3.0\" xml:lang=\"de\""),
        "{opf}"
    );
    let nav = &e["OEBPS/nav.xhtml"];
    assert!(
        nav.contains("<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\">"),
        "{nav}"
    );
    assert!(chapter(&e).contains("xml:lang=\"de\""));
    // The cover image is the book's cover for assistive technology too.
    let cover = &e["OEBPS/cover.xhtml"];
    assert!(
        cover.contains("<img class=\"cover\" role=\"doc-cover\""),
        "{cover}"
    );
}

#[test]
fn headings_skip_no_level() {
    let e = entries(&site(
        "## Two\n\ntext\n\n#### Four\n\ntext\n\n###### Six\n\ntext\n\n## Two again\n\n### Three\n",
    ));
    let ranks: Vec<&str> = chapter(&e)
        .match_indices("<h")
        .filter_map(|(i, _)| chapter(&e).get(i + 2..i + 3))
        .filter(|c| c.chars().all(|c| c.is_ascii_digit()))
        .collect();
    // The page title is h1; `####` after `##` is h3, `######` after it h4.
    assert_eq!(ranks, ["1", "2", "3", "4", "2", "3"]);
}

#[test]
fn table_headers_say_something() {
    let e = entries(&site(
        "| Name | | |\n|---|---|---|\n| a | b | c |\n\n| | |\n|---|---|\n| x | y |\n",
    ));
    let xhtml = chapter(&e);
    assert!(
        xhtml.contains("<th scope=\"col\">Name</th><td></td><td></td>"),
        "{xhtml}"
    );
    assert_eq!(
        xhtml.matches("<thead>").count(),
        1,
        "an empty header row is left out"
    );
    assert!(!xhtml.contains("<th scope=\"col\"></th>"));
}

#[test]
fn alt_text_that_repeats_the_caption_is_not_read_twice() {
    let e = entries(&site(
        "{{< figure src=\"/pic.svg\" alt=\"A blue box.\" caption=\"A blue box\" >}}\n\n{{< figure src=\"/pic.svg\" alt=\"Blue rectangle\" caption=\"Our colour\" >}}\n\n[![A blue box](/pic.svg)](https://example.net/)\n",
    ));
    let xhtml = chapter(&e);
    assert!(
        xhtml.contains("alt=\"\"/>\n<figcaption>A blue box</figcaption>"),
        "{xhtml}"
    );
    assert!(xhtml.contains("alt=\"Blue rectangle\""), "{xhtml}");
    // A linked image keeps its alt text: it names the link.
    assert!(xhtml.contains("alt=\"A blue box\""), "{xhtml}");
    let opf = &e["OEBPS/content.opf"];
    // The summary in the book's language (German here).
    assert!(
        opf.contains("Jedes Bild hat eine Textalternative."),
        "{opf}"
    );
    assert!(opf.contains(
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>"
    ));
    assert!(opf.contains("<meta property=\"a11y:certifiedBy\">Pub</meta>"));
}

#[test]
fn links_without_text_say_where_they_go() {
    let e = entries(&site("See [](https://example.net/empty) here."));
    assert!(
        chapter(&e).contains("<a href=\"https://example.net/empty\">https://example.net/empty</a>"),
        "{}",
        chapter(&e)
    );
}

#[test]
fn no_conformance_claim_with_an_image_lacking_alt_text() {
    let e = entries(&site("![](/pic.svg)\n"));
    let opf = &e["OEBPS/content.opf"];
    assert!(!opf.contains("dcterms:conformsTo"), "{opf}");
    assert!(!opf.contains("a11y:certifiedBy"));
    assert!(!opf.contains("<meta property=\"schema:accessModeSufficient\">textual</meta>"));
    assert!(opf.contains("Bilder ohne Textalternative: 1."), "{opf}");
}

#[test]
fn low_contrast_colours_are_warned_about_at_their_line() {
    let site = Site::new();
    let root = super::common::root();
    let style = std::fs::read_to_string(root.join("templates/pdf-style.yaml"))
        .unwrap()
        .replace("  link: \"#1d5f9b\"", "  link: \"#8ab4e0\"");
    site.write("mytemplates/pdf-style.yaml", &style);
    let css = std::fs::read_to_string(root.join("templates/epub/style.css"))
        .unwrap()
        .replace("a { color: #1d5f9b; }", "a { color: #aaaaaa; }");
    site.write("mytemplates/epub/style.css", &css);
    let config = book_config("[page.md]").replace(
        &format!("templates: {}", root.join("templates").display()),
        "templates: mytemplates",
    );
    site.config(&config);
    let run = site.run(&["build"]);
    run.assert_code(0);
    let style_line = style.lines().position(|l| l.contains("#8ab4e0")).unwrap() + 1;
    let css_line = css.lines().position(|l| l.contains("#aaaaaa")).unwrap() + 1;
    run.assert_stderr(&[
        &format!("mytemplates/pdf-style.yaml:{style_line}:"),
        "colour `link` (#8ab4e0) on the page (#ffffff) has a contrast of 2.",
        &format!("mytemplates/epub/style.css:{css_line}: `a`: text #aaaaaa on #ffffff"),
    ]);
    // The shipped style and stylesheet pass.
    let clean = Site::new();
    let run = clean.run(&["build"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("contrast"), "{}", run.stderr);
}
