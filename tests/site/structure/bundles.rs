//! Leaf and branch bundles in Hugo's order, each page's place in the
//! book, and the lists of chapters on section pages.

use super::read::*;
use super::*;

#[test]
fn bundles_sections_and_pages_sort_together_by_weight() {
    let site = docs_site("");
    assert_eq!(titles(&model(&site)), ORDER);
    // Reweighted: the bundle goes last among the docs, the subsection first.
    site.write(
        "content/docs/install/index.md",
        "---\ntitle: Install\nweight: 9\n---\n\nInstall text.\n",
    );
    site.write(
        "content/docs/advanced/_index.md",
        "---\ntitle: Advanced\nweight: -1\n---\n\nDeep things.\n",
    );
    let got = titles(&model(&site));
    let docs: Vec<&str> = got[1..7].iter().map(String::as_str).collect();
    assert_eq!(
        docs,
        ["Docs", "Advanced", "Tuning", "Usage", "Install", "FAQ"]
    );
}

#[test]
fn a_bundles_resources_resolve_beside_it() {
    let site = docs_site("");
    let m = model(&site);
    let install = page_titled(&m, "Install");
    let image = install["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|b| match b["type"].as_str() {
            Some("figure") => Some(b["asset"].clone()),
            Some("paragraph") => b["content"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["type"] == "image")
                .map(|i| i["asset"].clone()),
            _ => None,
        })
        .expect("the image");
    let path = image["path"].as_str().expect("the image resolved");
    assert!(path.ends_with("content/docs/install/diagram.png"), "{path}");
    build_clean(&site);
    let opf = epub_entry(&site, "OEBPS/content.opf");
    assert!(
        opf.contains("image/png") && opf.contains("diagram"),
        "{opf}"
    );
}

#[test]
fn markdown_inside_a_leaf_bundle_is_not_a_page() {
    let site = docs_site("");
    let m = model(&site);
    let sources: Vec<String> = pages(&m)
        .iter()
        .map(|p| p["source"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !sources
            .iter()
            .any(|s| s.contains("notes.md") || s.contains("extra.md")),
        "{sources:?}"
    );
    build_clean(&site);
    for marker in ["RESOURCE-NOTES-MARKER", "RESOURCE-EXTRA-MARKER"] {
        assert!(!site.outputs_contain(marker.as_bytes()), "{marker}");
    }
    // A resource with front matter Hugo would never read is not read either.
    site.write("content/docs/install/broken.md", "---\ntitle: [unclosed\n");
    build_clean(&site);
    // Both kinds of bundle in one folder: the section wins, named and warned.
    site.write(
        "content/blog/index.md",
        "---\ntitle: Blog twin\n---\n\nTWIN-MARKER\n",
    );
    let run = site.run(&["build"]);
    run.assert_code(0).assert_stderr(&[
        "blog/index.md",
        "both `index.md` and `_index.md`",
        "pick one",
    ]);
    assert!(!site.outputs_contain(b"TWIN-MARKER"));
    site.run(&["build", "--strict"]).assert_code(1);
}

// ----------------------------------------------------------- structure

#[test]
fn the_model_knows_each_pages_section_and_depth() {
    let m = model(&docs_site(""));
    let got: Vec<(String, Option<String>, u64, bool)> = pages(&m)
        .iter()
        .map(|p| {
            (
                p["title"].as_str().unwrap().to_string(),
                p["parent"].as_str().map(str::to_string),
                p["depth"].as_u64().unwrap(),
                p["section"].as_bool().unwrap(),
            )
        })
        .collect();
    let row = |t: &str, parent: Option<&str>, depth: u64, section: bool| {
        (t.to_string(), parent.map(str::to_string), depth, section)
    };
    assert_eq!(
        got,
        [
            row("Home", None, 0, false),
            row("Docs", None, 0, true),
            row("Install", Some("docs"), 1, false),
            row("Usage", Some("docs"), 1, false),
            row("Advanced", Some("docs"), 1, true),
            row("Tuning", Some("docs-advanced"), 2, false),
            row("FAQ", Some("docs"), 1, false),
            row("Blog", None, 0, true),
            row("First post", Some("blog"), 1, false),
            row("Third post", Some("blog"), 1, false),
            row("Second post", Some("blog"), 1, false),
            row("About", None, 0, false),
        ]
    );
}

#[test]
fn listed_books_nest_only_where_their_order_allows() {
    let site = docs_site("");
    site.config(&site_config(
        "    pages:\n      - docs/advanced/tuning.md\n      - docs/_index.md\n      - docs/usage.md\n      - about.md\n      - docs/faq.md\n      - docs/advanced/_index.md\n",
    ));
    let m = model(&site);
    let got: Vec<(String, Option<String>)> = pages(&m)
        .iter()
        .map(|p| {
            (
                p["title"].as_str().unwrap().to_string(),
                p["parent"].as_str().map(str::to_string),
            )
        })
        .collect();
    let row = |t: &str, p: Option<&str>| (t.to_string(), p.map(str::to_string));
    assert_eq!(
        got,
        [
            // Listed before its section: not under it.
            row("Tuning", None),
            row("Docs", None),
            row("Usage", Some("docs")),
            // Another folder closes the section.
            row("About", None),
            row("FAQ", None),
            row("Advanced", None),
        ]
    );
    build_clean(&site);
    let nav = nav_entries(&epub_entry(&site, "OEBPS/nav.xhtml"));
    let usage = nav.iter().find(|e| e.label == "Usage").unwrap();
    assert_eq!(usage.depth, 2);
}

#[test]
fn section_pages_list_their_chapters_in_every_output() {
    let site = docs_site("");
    build_clean(&site);
    // Text: each child linked (as a numbered reference) with its description.
    let docs = text_page(&site, "docs");
    for needle in [
        "- Install [",
        "  Getting it onto your machine.",
        "- Usage [",
        "  Running it every day.",
        "- Advanced [",
        "- FAQ [",
        "https://docs.example.net/docs/install/",
    ] {
        assert!(docs.contains(needle), "`{needle}` in:\n{docs}");
    }
    assert!(
        !docs.contains("Tuning"),
        "a grandchild is listed by its own section"
    );
    assert!(
        !text_page(&site, "about").contains("- "),
        "a page lists nothing"
    );
    // EPUB: a marked list of links to the chapter files.
    let xhtml = epub_entry(&site, "OEBPS/docs.xhtml");
    let list = &xhtml[xhtml
        .find("<div class=\"section-list\">")
        .expect("the list")..];
    for needle in [
        "href=\"docs-install.xhtml\">Install</a>",
        "href=\"docs-usage.xhtml\">Usage</a>",
        "href=\"docs-advanced.xhtml\">Advanced</a>",
        "Getting it onto your machine.",
    ] {
        assert!(list.contains(needle), "`{needle}` in:\n{list}");
    }
    let css = epub_entry(&site, "OEBPS/stylesheet.css");
    assert!(css.contains("div.section-list"), "{css}");
    // PDF: the titles on the section's page, each an internal link.
    if let Some(tools) = common::validators(&["pdftotext"], "PDF section list not read") {
        let pdf = site.path("dist/b.pdf");
        let (ok, text) = tools.run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        assert!(ok);
        let page = text
            .split('\u{c}')
            .find(|p| p.contains("The documentation."))
            .expect("the Docs chapter");
        for needle in [
            "Install",
            "Getting it onto your machine.",
            "Usage",
            "Advanced",
            "FAQ",
        ] {
            assert!(page.contains(needle), "`{needle}` on:\n{page}");
        }
    }
}
