//! `folio build --lang L` (issue 10, item 5): localized books from Hugo
//! translation pages, then the PO file, then the source text, which is
//! marked as the source language.

use super::build::{epub_files, text_output, translated_site};
use super::catalogs::{edit, read};
use super::harness::*;

/// The chapters of an EPUB, concatenated.
fn chapters(site: &Site, epub: &str) -> String {
    epub_files(&site.path(epub))
        .into_iter()
        .filter(|(name, _)| name.ends_with(".xhtml") && !name.ends_with("nav.xhtml"))
        .map(|(_, text)| text)
        .collect()
}

#[test]
fn build_lang_writes_the_localized_books_of_folio_yaml() {
    let site = translated_site();
    let run = site.run(&["build", "--lang", "de"]);
    run.assert_code(0);
    for out in ["b.de.pdf", "b.de.epub", "text/b.de/b.de.txt"] {
        assert!(
            site.path(&format!("dist/{out}")).is_file(),
            "{out}: {}",
            run.stderr
        );
    }
    // The localized build only: the source book is built by `build`.
    assert!(!site.path("dist/b.pdf").exists());
    assert!(text_output(&site, "b.de").contains("§ Quokkas at home"));
    // `i18n build` is the same command, kept as an alias.
    let before = site.outputs();
    std::fs::remove_dir_all(site.path("dist")).unwrap();
    site.run(&["i18n", "build", "--lang", "de"]).assert_code(0);
    assert_eq!(site.outputs(), before);
}

#[test]
fn a_hugo_translation_page_wins_over_the_catalog_and_links_still_hold() {
    let site = translated_site();
    site.write(
        "content/other.de.md",
        "---\ntitle: Andere Seite\n---\n\nDie andere Seite grüßt, siehe [die Anleitung](/guide/).\n",
    );
    let run = site.run(&[
        "build", "--lang", "de", "--format", "epub", "--format", "text",
    ]);
    run.assert_code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let text = text_output(&site, "b.de");
    assert!(text.contains("Die andere Seite grüßt"), "{text}");
    assert!(!text.contains("The other page says hello"), "{text}");
    // The rest still comes from po/de.po.
    assert!(text.contains("§ Quokkas at home"));
    let xhtml = chapters(&site, "dist/b.de.epub");
    // The translated page stands at its source's place: links to and from
    // it stay inside the book.
    assert!(xhtml.contains(">die Anleitung</a>"), "{xhtml}");
    assert!(!xhtml.contains("href=\"https://quokka.test/"), "{xhtml}");
}

#[test]
fn untranslated_segments_carry_the_source_language() {
    let site = translated_site();
    edit(
        &site,
        "po/de.po",
        "msgid \"Quokkas smile a lot.\"\nmsgstr \"§ Quokkas smile a lot.\"",
        "msgid \"Quokkas smile a lot.\"\nmsgstr \"\"",
    );
    site.run(&["build", "--lang", "de"]).assert_code(0);
    // The PDF marks the run as English content (`/Lang` on its marked
    // content, beside its MCID: the PDF is tagged), and nothing else.
    let marked = |site: &Site| -> (usize, usize, usize, usize) {
        let pdf = lopdf::Document::load(site.path("dist/b.de.pdf")).unwrap();
        let mut content = Vec::new();
        for id in pdf.get_pages().into_values() {
            content.extend(pdf.get_page_content(id));
        }
        let content = String::from_utf8_lossy(&content).into_owned();
        (
            content.matches(" /Lang (en)>> BDC").count(),
            content.matches(" /Lang (").count(),
            content.matches("BDC").count(),
            content.matches("EMC").count(),
        )
    };
    let (english, any, open, close) = marked(&site);
    assert!(english >= 1, "no run marked English in the PDF");
    assert_eq!(english, any, "only English is marked");
    assert_eq!(open, close, "marked content is balanced");
    let xhtml = chapters(&site, "dist/b.de.epub");
    assert!(
        xhtml.contains("<span lang=\"en\" xml:lang=\"en\">Quokkas smile a lot.</span>"),
        "{xhtml}"
    );
    assert_eq!(xhtml.matches("xml:lang=\"en\"").count(), 1, "{xhtml}");
    // The text output is the source text, unmarked.
    let text = text_output(&site, "b.de");
    assert!(text.contains("\n- Quokkas smile a lot.\n"), "{text}");
    // Translated, the segment is not marked.
    let whole = translated_site();
    whole.run(&["build", "--lang", "de"]).assert_code(0);
    let (_, any, open, close) = marked(&whole);
    assert_eq!((any, open), (0, close));
}

#[test]
fn an_untranslated_title_and_description_carry_the_source_language() {
    let site = translated_site();
    edit(
        &site,
        "po/de.po",
        "msgid \"The Quokka Guide\"\nmsgstr \"§ The Quokka Guide\"",
        "msgid \"The Quokka Guide\"\nmsgstr \"\"",
    );
    site.run(&["build", "--lang", "de"]).assert_code(0);
    let xhtml = chapters(&site, "dist/b.de.epub");
    assert!(
        xhtml.contains("xml:lang=\"en\" lang=\"en\">The Quokka Guide</h1>"),
        "{xhtml}"
    );
    // The other page's title was translated: not marked.
    assert!(xhtml.contains(">§ Other</h1>"), "{xhtml}");
    // In the PDF the chapter title is marked content in English (`/Lang`
    // beside its MCID: the PDF is tagged).
    let pdf = lopdf::Document::load(site.path("dist/b.de.pdf")).unwrap();
    let mut content = Vec::new();
    for id in pdf.get_pages().into_values() {
        content.extend(pdf.get_page_content(id));
    }
    let content = String::from_utf8_lossy(&content).into_owned();
    assert!(
        content.contains(" /Lang (en)>> BDC"),
        "no English title run"
    );
}

#[test]
fn build_lang_enforces_min_complete() {
    let site = translated_site();
    // Nothing translated any more: 0 % of the words.
    let po: String = read(&site, "po/de.po")
        .lines()
        .map(|l| {
            if l.starts_with("msgstr \"§") {
                "msgstr \"\""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    site.write("po/de.po", po);
    let run = site.run(&["build", "--lang", "de"]);
    run.assert_code(0)
        .assert_stderr(&["b.de is 0.0% translated", "below 80%", "text only"]);
    assert!(site.path("dist/text/b.de").is_dir());
    assert!(!site.path("dist/b.de.pdf").exists());
    site.run(&["build", "--lang", "de", "--min-complete", "0"])
        .assert_code(0);
    assert!(site.path("dist/b.de.pdf").is_file());
}

#[test]
fn a_site_language_takes_the_catalog_for_what_its_pages_left_in_english() {
    let site = Site::empty();
    site.write(
        "hugo.toml",
        "baseURL = 'https://quokka.test/'\n[languages.en]\nweight = 1\n[languages.de]\nweight = 2\n",
    );
    site.write(
        "content/faq.md",
        "---\ntitle: FAQ\n---\n\nThe quokka smiles.\n\nIt eats leaves.\n",
    );
    // A translation page with one paragraph still in English.
    site.write(
        "content/faq.de.md",
        "---\ntitle: Fragen\n---\n\nThe quokka smiles.\n\nEs frisst Blätter.\n",
    );
    site.write(
        "po/de.po",
        "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n\
         msgid \"The quokka smiles.\"\nmsgstr \"Das Quokka lächelt.\"\n",
    );
    let run = site.run(&["build", "--site", ".", "--lang", "de", "--format", "text"]);
    run.assert_code(0);
    let text = text_output(&site, "site.de");
    assert!(
        text.contains("Das Quokka lächelt.") && text.contains("Es frisst Blätter."),
        "{text}"
    );
    assert!(!text.contains("The quokka smiles."), "{text}");
    // `--lang` still picks the site's languages: no English book.
    assert!(!site.path("dist/text/site").exists());
}

#[test]
fn export_hugo_writes_translation_pages_a_build_reads_back_alike() {
    let site = translated_site();
    site.run(&["build", "--lang", "de", "--format", "text"])
        .assert_code(0);
    let from_po = text_output(&site, "b.de");
    let run = site.run(&["i18n", "export-hugo", "--lang", "de"]);
    run.assert_code(0);
    let page = read(&site, "content/guide.de.md");
    assert!(page.contains("title: \"§ The Quokka Guide\""), "{page}");
    assert!(
        page.contains("description: \"§ All about quokkas.\""),
        "{page}"
    );
    assert!(page.contains("\n# § Quokkas at home\n"), "{page}");
    assert!(
        page.contains("[Rottnest Island](https://en.wikipedia.org/wiki/Rottnest_Island), see the [other page](/other/)"),
        "{page}"
    );
    assert!(
        page.contains("[^1]: § Quokkas are friendly footnotes."),
        "{page}"
    );
    assert!(page.contains("| § Quokka | § three kilograms |"), "{page}");
    // Built from the exported pages (no PO file at all), the book reads
    // as it did from the PO file.
    std::fs::remove_dir_all(site.path("dist")).unwrap();
    std::fs::remove_file(site.path("po/de.po")).unwrap();
    site.run(&["build", "--lang", "de", "--format", "text"])
        .assert_code(0);
    // (Without the PO file, the book's title and folio's labels are the
    // source's and the built-in German ones.)
    let from_po = from_po
        .replace("§ Book\n======", "Book\n====")
        .replace("§ Notes:", "Anmerkungen:")
        .replace("§ Links:", "Verweise:");
    assert_eq!(text_output(&site, "b.de"), from_po);
}

#[test]
fn export_hugo_keeps_a_hand_written_translation_unless_forced() {
    let site = translated_site();
    let own = "---\ntitle: Eigene\n---\n\nVon Hand übersetzt.\n";
    site.write("content/other.de.md", own);
    let run = site.run(&["i18n", "export-hugo", "--lang", "de"]);
    run.assert_code(0)
        .assert_stderr(&["hand-written translation: kept", "--force"]);
    assert_eq!(read(&site, "content/other.de.md"), own);
    assert!(read(&site, "content/guide.de.md").contains("§ Quokkas at home"));
    // Written by folio: exported again without --force.
    site.run(&["i18n", "export-hugo", "--lang", "de"])
        .assert_code(0);
    site.run(&["i18n", "export-hugo", "--lang", "de", "--force"])
        .assert_code(0);
    assert!(read(&site, "content/other.de.md").contains("§ The other page says hello."));
}

#[test]
fn front_matter_keys_listed_in_config_are_extracted_and_applied() {
    let site = Site::empty();
    site.config(&format!(
        "i18n:\n  front_matter: [summary, tags]\n{}",
        book_config("[guide.md]")
    ));
    site.write(
        "content/guide.md",
        "---\ntitle: Guide\nsummary: A short summary.\ntags: [quokka facts, \"2024\"]\nweight: 3\n---\n\nBody text.\n",
    );
    site.run(&["i18n", "update", "--lang", "de"]).assert_code(0);
    let pot = read(&site, "po/messages.pot");
    for id in ["A short summary.", "quokka facts"] {
        assert!(
            pot.contains(&format!(
                "#. type: front matter\n#: content/guide.md:1\nmsgid \"{id}\""
            )),
            "{pot}"
        );
    }
    assert!(!pot.contains("msgid \"2024\""), "no letters, no message");
    let po = super::catalogs::pseudo_translate(&read(&site, "po/de.po"));
    site.write("po/de.po", po);
    site.run(&["i18n", "export-hugo", "--lang", "de"])
        .assert_code(0);
    let page = read(&site, "content/guide.de.md");
    assert!(page.contains("summary: \"§ A short summary.\""), "{page}");
    assert!(
        page.contains("weight: 3") && page.contains("title: \"§ Guide\""),
        "{page}"
    );
}

#[test]
fn export_hugo_writes_shortcodes_and_code_back() {
    let site = Site::empty();
    site.config(&book_config("[pics.md]"));
    site.write(
        "content/pics.md",
        "---\ntitle: Pictures\n---\n\n{{< figure src=\"/x.png\" alt=\"A quokka\" caption=\"Smiling *widely*\" >}}\n\n```sh\nquokka --smile\n```\n\n1. First step.\n2. Second step.\n",
    );
    site.run(&["i18n", "update", "--lang", "de"]).assert_code(0);
    let po = super::catalogs::pseudo_translate(&read(&site, "po/de.po"));
    site.write("po/de.po", po);
    site.run(&["i18n", "export-hugo", "--lang", "de"])
        .assert_code(0);
    let page = read(&site, "content/pics.de.md");
    assert!(
        page.contains(
            "{{< figure src=\"/x.png\" alt=\"§ A quokka\" caption=\"§ Smiling *widely*\" >}}"
        ),
        "{page}"
    );
    assert!(page.contains("```sh\nquokka --smile\n```"), "{page}");
    assert!(
        page.contains("1. § First step.\n2. § Second step."),
        "{page}"
    );
}
