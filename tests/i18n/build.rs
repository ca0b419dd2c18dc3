//! `folio i18n build --lang L`: books rebuilt from a PO file's checked
//! translations, with the source text where a translation is missing,
//! fuzzy or rejected, and text only below the completeness threshold.

use super::catalogs::{edit, pseudo_translate, read};
use super::common;
use super::harness::*;

const PAGE: &str = r#"---
title: The Quokka Guide
description: All about quokkas.
---

# Quokkas at home

The quokka is a small *marsupial* found on [Rottnest Island](https://en.wikipedia.org/wiki/Rottnest_Island),
see the [other page](/other/) and `quokka --help`[^1].

- Quokkas smile a lot.
- They eat **leaves**.

> A quoted quokka fact.

| Name | Weight |
|------|--------|
| Quokka | three kilograms |

[^1]: Quokkas are friendly footnotes.
"#;

const OTHER: &str = "---\ntitle: Other\n---\n\nThe other page says hello.\n";

fn site() -> Site {
    let site = Site::empty();
    site.config(&book_config("[guide.md, other.md]").replace(
        "title: Book\n",
        "title: Book\n    language: en\n    base_url: https://quokka.test/\n",
    ));
    site.write("content/guide.md", PAGE);
    site.write("content/other.md", OTHER);
    site
}

/// Every segment of the pages, as a reader sees it (no markup).
const SEGMENTS: [&str; 11] = [
    "Book",
    "The Quokka Guide",
    "Quokkas at home",
    "The quokka is a small marsupial",
    "Quokkas smile a lot.",
    "They eat leaves.",
    "A quoted quokka fact.",
    "Name",
    "three kilograms",
    "Quokkas are friendly footnotes.",
    "The other page says hello.",
];

pub fn translated_site() -> Site {
    let site = site();
    site.run(&["i18n", "update", "--lang", "de"]).assert_code(0);
    let po = pseudo_translate(&read(&site, "po/de.po"));
    site.write("po/de.po", po);
    site
}

/// Every text file of the translated book, concatenated.
pub fn text_output(site: &Site, book: &str) -> String {
    let mut all = String::new();
    for (path, bytes) in site.outputs() {
        if path.starts_with(format!("text/{book}")) {
            all.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    all
}

/// Every text file of an EPUB (XHTML, OPF, NCX, CSS), by name.
pub fn epub_files(path: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    let file = std::fs::File::open(path).expect("epub");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut all = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().to_string();
        if [".xhtml", ".opf", ".ncx"].iter().any(|x| name.ends_with(x)) {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            all.insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    all
}

/// The XHTML of an EPUB's chapters, concatenated.
fn epub_xhtml(path: &std::path::Path) -> String {
    let file = std::fs::File::open(path).expect("epub");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        if entry.name().ends_with(".xhtml") {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            all.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    all
}

/// `xhtml` without its tags: the text a reader sees.
fn untagged(xhtml: &str) -> String {
    regex::Regex::new("<[^>]+>")
        .unwrap()
        .replace_all(xhtml, "")
        .into_owned()
}

#[test]
fn a_pseudo_locale_build_shows_every_segment_translated_in_every_format() {
    let site = translated_site();
    let run = site.run(&["i18n", "build", "--lang", "de"]);
    run.assert_code(0);
    for out in ["b.de.pdf", "b.de.epub", "text/b.de/b.de.txt"] {
        assert!(
            site.path(&format!("dist/{out}")).is_file(),
            "{out}: {}",
            run.stderr
        );
    }
    let text = text_output(&site, "b.de");
    let xhtml = epub_xhtml(&site.path("dist/b.de.epub"));
    for s in SEGMENTS {
        let marked = format!("§ {s}");
        assert!(text.contains(&marked), "text lacks {marked:?}:\n{text}");
        assert!(untagged(&xhtml).contains(&marked), "EPUB lacks {marked:?}");
    }
    // Links and code came from the source, not from the translation.
    assert!(
        text.contains("https://en.wikipedia.org/wiki/Rottnest_Island"),
        "{text}"
    );
    assert!(xhtml.contains("<code>quokka --help</code>"));
    assert!(xhtml.contains("xml:lang=\"de\""));
    assert!(!xhtml.contains("xml:lang=\"en\""));
    // The source book is not touched by a translated build.
    assert!(!site.path("dist/b.pdf").exists());
    let Some(tools) = common::validators(
        &["pdftotext", "qpdf", "epubcheck"],
        "translated PDF and EPUB",
    ) else {
        return;
    };
    let pdf = site.path("dist/b.de.pdf");
    let (ok, pdf_text) = tools.run("pdftotext", &[pdf.as_os_str(), "-".as_ref()]);
    assert!(ok);
    let flat = pdf_text.split_whitespace().collect::<Vec<_>>().join(" ");
    for s in SEGMENTS {
        assert!(flat.contains(&format!("§ {s}")), "PDF lacks {s:?}:\n{flat}");
    }
    let (ok, report) = tools.run("qpdf", &["--check".as_ref(), pdf.as_os_str()]);
    assert!(ok, "{report}");
    let (ok, report) = tools.run("epubcheck", &[site.path("dist/b.de.epub")]);
    assert!(ok && report.contains("0 errors / 0 warnings"), "{report}");
}

#[test]
fn fuzzy_missing_and_rejected_segments_keep_the_source_text() {
    let site = translated_site();
    let po = read(&site, "po/de.po");
    let rejected = po.replace(
        "msgstr \"§ The quokka is a small *marsupial* found on [Rottnest Island][1], see the [other page][2] and `quokka --help`[^1].\"",
        "msgstr \"Das Quokka ist ein kleines Beuteltier, `quokka --help`[^1].\"",
    );
    assert_ne!(rejected, po);
    let edited = rejected
        .replace(
            "msgid \"Quokkas smile a lot.\"\nmsgstr \"§ Quokkas smile a lot.\"",
            "msgid \"Quokkas smile a lot.\"\nmsgstr \"\"",
        )
        .replace(
            "#: content/guide.md:12\n",
            "#: content/guide.md:12\n#, fuzzy\n",
        );
    site.write("po/de.po", &edited);
    let line = edited
        .lines()
        .position(|l| l.starts_with("msgid \"The quokka is"))
        .expect("entry")
        + 1;
    let run = site.run(&["i18n", "build", "--lang", "de", "--format", "text"]);
    run.assert_code(0)
        .assert_stderr(&["translation not used", "drops link references [1] [2]"]);
    run.assert_located("po/de.po", Some(line as u32));
    let text = text_output(&site, "b.de");
    assert!(
        text.contains("The quokka is a small marsupial found on"),
        "{text}"
    );
    assert!(!text.contains("Beuteltier"));
    assert!(text.contains("Quokkas smile a lot.") && !text.contains("§ Quokkas smile a lot."));
    assert!(
        text.contains("They eat leaves.") && !text.contains("§ They eat"),
        "{text}"
    );
    assert!(text.contains("§ A quoted quokka fact."));
    // Under --strict the rejected translation is an error: nothing written.
    let before = site.outputs();
    site.write("content/other.md", OTHER.replace("hello", "hello again"));
    let run = site.run(&[
        "i18n", "build", "--lang", "de", "--strict", "--format", "text",
    ]);
    run.assert_code(1).assert_stderr(&["translation not used"]);
    assert_eq!(site.outputs(), before);
}

#[test]
fn a_book_below_the_threshold_gets_text_only() {
    let site = site();
    site.run(&["i18n", "update", "--lang", "fr"]).assert_code(0);
    edit(
        &site,
        "po/fr.po",
        "msgid \"Quokkas at home\"\nmsgstr \"\"",
        "msgid \"Quokkas at home\"\nmsgstr \"Les quokkas chez eux\"",
    );
    let run = site.run(&["i18n", "build", "--lang", "fr"]);
    run.assert_code(0).assert_stderr(&[
        "b.fr is",
        "below 80%",
        "pdf and epub not built, text only",
    ]);
    assert!(site.path("dist/text/b.fr").is_dir());
    assert!(!site.path("dist/b.fr.pdf").exists() && !site.path("dist/b.fr.epub").exists());
    assert!(text_output(&site, "b.fr").contains("Les quokkas chez eux"));
    let run = site.run(&["i18n", "build", "--lang", "fr", "--min-complete", "0"]);
    run.assert_code(0);
    assert!(site.path("dist/b.fr.pdf").is_file() && site.path("dist/b.fr.epub").is_file());
}

#[test]
fn a_translator_may_point_a_link_at_a_localized_page() {
    let site = translated_site();
    edit(
        &site,
        "po/de.po",
        "msgstr \"§ The quokka is a small *marsupial* found on [Rottnest Island][1], see the [other page][2] and `quokka --help`[^1].\"",
        "msgstr \"Das Quokka lebt auf [Rottnest][1], siehe [die andere Seite](/other/#top) und [das Wiki](https://de.wikipedia.org/wiki/Quokka) und `quokka --help`[^1].\"",
    );
    let run = site.run(&[
        "i18n", "build", "--lang", "de", "--format", "epub", "--format", "text",
    ]);
    run.assert_code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let xhtml = epub_xhtml(&site.path("dist/b.de.epub"));
    assert!(xhtml.contains("Das Quokka lebt auf"), "{xhtml}");
    assert!(xhtml.contains("href=\"https://de.wikipedia.org/wiki/Quokka\""));
    assert!(xhtml.contains("href=\"https://en.wikipedia.org/wiki/Rottnest_Island\""));
    // The page of the book is a link inside the book, not to the web.
    assert!(
        !xhtml.contains("href=\"https://quokka.test/other/"),
        "{xhtml}"
    );
    assert!(xhtml.contains(">die andere Seite</a>"));
}

#[test]
fn a_language_without_a_catalog_is_an_error_with_a_hint() {
    let site = site();
    let run = site.run(&["i18n", "build", "--lang", "it"]);
    run.assert_code(1)
        .assert_stderr(&["no translation catalog", "folio i18n update --lang it"]);
    assert!(site.outputs().is_empty());
}
