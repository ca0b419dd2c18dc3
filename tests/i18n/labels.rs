//! folio's own labels (issue 10, item 6): a German book has no English
//! label in its PDF, EPUB and text; a pseudo-locale build leaves none
//! either; a project's `po/LANG.po` overrides a built-in label.

use super::build::{epub_files, text_output, translated_site};
use super::common;
use super::harness::*;

/// The English labels folio can write, as whole words.
const ENGLISH: [&str; 14] = [
    "Contents",
    "Notes",
    "Footnotes",
    "Links",
    "Cover",
    "Start of content",
    "Figure",
    "Image not available",
    "QR code",
    "Untitled",
    "It has no images",
    "Every image has a text alternative",
    "have no text alternative",
    "A reflowable text",
];

/// The English labels found in `text` (whole words, case as written).
fn english_labels(text: &str) -> Vec<&'static str> {
    ENGLISH
        .iter()
        .filter(|label| {
            regex::Regex::new(&format!(r"\b{}\b", regex::escape(label)))
                .unwrap()
                .is_match(text)
        })
        .copied()
        .collect()
}

const GERMAN: &str = r#"---
title: Das Quokka
description: Alles über Quokkas.
---

Das Quokka ist ein kleines Beuteltier[^1], siehe [Rottnest](https://de.wikipedia.org/wiki/Rottnest_Island).

![Ein Quokka im Gras](/bilder/fehlt.png)

{{< qr text="https://quokka.test/" />}}

Ein Foto: ![Quokka am Strand](https://example.org/q.png)

[^1]: Es lebt auf einer Insel.
"#;

fn german_site() -> Site {
    let site = Site::empty();
    site.config(
        &book_config("[quokka.md]").replace("title: Book\n", "title: Buch\n    language: de\n"),
    );
    site.write("content/quokka.md", GERMAN);
    site
}

#[test]
fn a_german_book_has_no_english_label() {
    let site = german_site();
    let run = site.run(&["build"]);
    run.assert_code(0);
    let text = text_output(&site, "b");
    assert!(
        text.contains("Anmerkungen:") && text.contains("Verweise:"),
        "{text}"
    );
    assert!(text.contains("[QR-Code: https://quokka.test/]"), "{text}");
    // A remote image's placeholder (made while loading) is German too.
    assert!(
        text.contains("Bild: Quokka am Strand (https://example.org/q.png)"),
        "{text}"
    );
    assert_eq!(english_labels(&text), Vec::<&str>::new(), "{text}");
    let epub = epub_files(&site.path("dist/b.epub"));
    let all: String = epub.values().cloned().collect();
    assert!(all.contains("aria-label=\"Fußnoten\""));
    assert!(
        all.contains(">Inhalt<") && all.contains(">Umschlag<"),
        "{all}"
    );
    assert!(all.contains("Beginn des Inhalts"));
    assert!(all.contains("Ein umbruchfähiger Text"));
    assert_eq!(english_labels(&all), Vec::<&str>::new());
    let Some(tools) = common::validators(&["pdftotext"], "PDF labels") else {
        return;
    };
    let pdf = site.path("dist/b.pdf");
    let (ok, pdf_text) = tools.run("pdftotext", &[pdf.as_os_str(), "-".as_ref()]);
    assert!(ok);
    // (The PDF sets footnotes at the foot of the page, under no heading.)
    for label in ["Inhalt", "Bild nicht verfügbar"] {
        assert!(pdf_text.contains(label), "PDF lacks {label}:\n{pdf_text}");
    }
    assert!(
        regex::Regex::new(r"\d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4}")
            .unwrap()
            .is_match(&pdf_text),
        "the cover's date in German order:\n{pdf_text}"
    );
    assert_eq!(english_labels(&pdf_text), Vec::<&str>::new(), "{pdf_text}");
}

#[test]
fn a_pseudo_locale_build_leaves_no_english_label() {
    let site = translated_site();
    let pot = std::fs::read_to_string(site.path("po/messages.pot")).unwrap();
    assert!(
        pot.contains("msgctxt \"folio-ui\"\nmsgid \"Contents\""),
        "{pot}"
    );
    site.run(&["i18n", "build", "--lang", "de"]).assert_code(0);
    let text = text_output(&site, "b.de");
    assert!(
        text.contains("§ Notes:") && text.contains("§ Links:"),
        "{text}"
    );
    let bare = |s: &str| s.replace("§ ", "");
    // Every label present is marked: without the marked ones, none is left.
    let unmarked = |s: &str| {
        let mut s = s.to_string();
        for label in ENGLISH {
            s = s.replace(&format!("§ {label}"), "");
        }
        s
    };
    assert_eq!(english_labels(&unmarked(&text)), Vec::<&str>::new());
    assert!(!english_labels(&bare(&text)).is_empty());
    let epub: String = epub_files(&site.path("dist/b.de.epub"))
        .values()
        .cloned()
        .collect();
    for marked in ["§ Contents", "§ Cover", "§ Footnotes", "§ Start of content"] {
        assert!(epub.contains(marked), "EPUB lacks {marked}");
    }
    assert_eq!(english_labels(&unmarked(&epub)), Vec::<&str>::new());
    let Some(tools) = common::validators(&["pdftotext"], "PDF labels") else {
        return;
    };
    let pdf = site.path("dist/b.de.pdf");
    let (ok, pdf_text) = tools.run("pdftotext", &[pdf.as_os_str(), "-".as_ref()]);
    assert!(ok);
    assert!(pdf_text.contains("§ Contents"), "{pdf_text}");
    assert_eq!(english_labels(&unmarked(&pdf_text)), Vec::<&str>::new());
}

#[test]
fn a_project_catalog_overrides_a_built_in_label() {
    let site = german_site();
    site.write(
        "po/de.po",
        "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n\
         msgctxt \"folio-ui\"\nmsgid \"Notes\"\nmsgstr \"Endnoten\"\n\n\
         msgctxt \"folio-ui\"\nmsgid \"Contents\"\nmsgstr \"Übersicht\"\n\n\
         msgctxt \"folio-ui\"\nmsgid \"Links\"\nmsgstr \"Quellen {x}\"\n",
    );
    let run = site.run(&["build", "--format", "text", "--format", "epub"]);
    run.assert_code(0)
        .assert_stderr(&["label translation not used"]);
    run.assert_located("po/de.po", Some(13));
    let text = text_output(&site, "b");
    assert!(
        text.contains("Endnoten:") && !text.contains("Anmerkungen"),
        "{text}"
    );
    assert!(
        text.contains("Verweise:"),
        "the rejected override: built-in"
    );
    let epub: String = epub_files(&site.path("dist/b.epub"))
        .values()
        .cloned()
        .collect();
    assert!(epub.contains(">Übersicht<") && !epub.contains(">Inhalt<"));
}
