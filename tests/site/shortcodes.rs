//! Hugo's built-in shortcodes, data-driven widgets, smart punctuation, emoji.
//!
//! Each case builds a scratch project (text, PDF and EPUB) and reads what a
//! reader would see back from every output: the text files, the EPUB's
//! XHTML, the PDF's text (pdftotext where installed, else lopdf).

mod builtins;
mod text;
mod widgets;

use super::common;
use super::harness::{Run, Site};
use std::io::Read;
use std::path::Path;

/// The outputs of book `b`, as text.
struct Out {
    /// The whole book's text file.
    text: String,
    /// Every XHTML file of the EPUB, in package order.
    epub: String,
    /// The EPUB's text as a reader sees it: tags dropped, entities
    /// decoded, whitespace collapsed.
    epub_text: String,
    /// The PDF's text, whitespace collapsed.
    pdf: String,
}

/// Runs of whitespace as one space.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Out {
    /// Asserts `needle` is what a reader sees in all three outputs (the
    /// text output marks links with `[n]`: give those without links).
    fn all(&self, needle: &str) -> &Out {
        self.text_has(needle).reads(needle)
    }

    /// Asserts `needle` is what a reader sees in the EPUB and the PDF.
    fn reads(&self, needle: &str) -> &Out {
        let flat = collapse(needle);
        assert!(
            self.epub_text.contains(&flat),
            "`{flat}` not in the EPUB's text:\n{}",
            self.epub_text
        );
        self.pdf_has(&flat)
    }

    fn text_has(&self, needle: &str) -> &Out {
        assert!(
            self.text.contains(needle),
            "`{needle}` not in text:\n{}",
            self.text
        );
        self
    }

    fn epub_has(&self, needle: &str) -> &Out {
        assert!(
            self.epub.contains(needle),
            "`{needle}` not in EPUB:\n{}",
            self.epub
        );
        self
    }

    /// Compared without spaces: lopdf's extraction (where pdftotext is
    /// missing) puts one between every two runs of text (`XMPP ?`); and
    /// without the superscript marks of link notes (`Infrastructure¹`).
    fn pdf_has(&self, needle: &str) -> &Out {
        let dense = |s: &str| {
            s.split_whitespace()
                .collect::<String>()
                .replace(|c: char| "⁰¹²³⁴⁵⁶⁷⁸⁹".contains(c), "")
        };
        assert!(
            dense(&self.pdf).contains(&dense(needle)),
            "`{}` not in PDF:\n{}",
            collapse(needle),
            self.pdf
        );
        self
    }

    /// Asserts `needle` is in none of the outputs.
    fn none(&self, needle: &str) -> &Out {
        for (what, out) in [
            ("text", &self.text),
            ("EPUB", &self.epub_text),
            ("PDF", &self.pdf),
        ] {
            assert!(!out.contains(needle), "`{needle}` in {what}:\n{out}");
        }
        self
    }
}

/// A project of one book `b` listing `pages` (a YAML list), on the base URL
/// `https://xmpp.org/`, with `extra` top-level YAML (shortcodes, data,
/// switches). The fonts are the repository's; the templates folder is the
/// project's own, holding a copy of the PDF style.
fn project(extra: &str, pages: &str) -> Site {
    let site = Site::empty();
    let root = common::root();
    site.write(
        "templates/pdf-style.yaml",
        std::fs::read(root.join("templates/pdf-style.yaml")).unwrap(),
    );
    site.config(&format!(
        "fonts: {}\ntemplates: templates\ndefaults:\n  base_url: https://xmpp.org/\n{extra}books:\n  b:\n    title: Book\n    formats: [text, pdf, epub]\n    pages: {pages}\n",
        root.join("fonts").display()
    ));
    site
}

/// A one-page project (`content/page.md` is `body` under a title).
fn page(extra: &str, body: &str) -> Site {
    let site = project(extra, "[page.md]");
    site.write("content/page.md", format!("---\ntitle: Page\n---\n{body}"));
    site
}

/// The `folio.yaml` lines of the fixture's two widgets and its data folder.
const WIDGETS: &str = "data: data\nshortcodes:\n  member-list: { template: shortcodes/member-list.md }\n  sponsors: { template: shortcodes/sponsors.md }\n";

/// Copies this module's fixture site (data files and widget templates).
fn with_fixture(site: &Site) {
    copy(
        &common::root().join("tests/fixtures/site-shortcodes"),
        site.root(),
    );
}

fn copy(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Builds `site` (must succeed) and reads its outputs back.
fn build(site: &Site) -> (Run, Out) {
    let run = site.run(&["build"]);
    run.assert_code(0);
    let text = std::fs::read_to_string(site.path("dist/text/b/b.txt")).unwrap();
    let epub = epub_xhtml(&site.path("dist/b.epub"));
    let tags = regex::Regex::new(r"<[^>]*>").unwrap();
    let epub_text = collapse(
        &tags
            .replace_all(&epub, "")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    );
    let out = Out {
        text,
        epub,
        epub_text,
        pdf: pdf_text(&site.path("dist/b.pdf")),
    };
    (run, out)
}

fn epub_xhtml(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        if entry.name().ends_with(".xhtml") {
            entry.read_to_string(&mut all).unwrap();
        }
    }
    all
}

/// The PDF's text: pdftotext where installed (what a reader copies), else
/// lopdf's extraction through the fonts' ToUnicode maps.
fn pdf_text(path: &Path) -> String {
    let text = match common::on_path("pdftotext") {
        Some(pdftotext) => {
            let out = std::process::Command::new(pdftotext)
                .arg(path)
                .arg("-")
                .output()
                .expect("run pdftotext");
            String::from_utf8_lossy(&out.stdout).into_owned()
        }
        None => {
            let doc = lopdf::Document::load(path).unwrap();
            let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
            doc.extract_text(&pages).unwrap_or_default()
        }
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The number of filled rectangles (`re`) the PDF's content streams draw.
fn pdf_rectangles(path: &Path) -> usize {
    let doc = lopdf::Document::load(path).unwrap();
    doc.objects
        .values()
        .filter_map(|o| match o {
            lopdf::Object::Stream(s) => s.decompressed_content().ok(),
            _ => None,
        })
        .map(|data| {
            String::from_utf8_lossy(&data)
                .split_whitespace()
                .filter(|op| *op == "re")
                .count()
        })
        .sum()
}

// ------------------------------------------------------------- epubcheck

#[test]
fn epubcheck_accepts_every_new_node() {
    let site = project(
        &format!("emoji: true\n{WIDGETS}"),
        "[page.md, about/council.md]",
    );
    with_fixture(&site);
    site.write(
        "content/page.md",
        "---\ntitle: Everything\n---\n\n\"Quotes\" -- :tada: [council]({{< ref \"council\" >}}).\n\n{{< details summary=\"More\" >}}\nInside.\n{{< /details >}}\n\n{{< youtube w7Ft2ymGmfc >}}\n\n{{< gist spf13 7896402 >}}\n\n{{< qr text=\"https://xmpp.org/\" />}}\n\n{{< highlight xml >}}\n<message/>\n{{< /highlight >}}\n\n{{< member-list >}}\n\n{{< sponsors tier=\"gold\" >}}\n\n{{< unknown >}}\n",
    );
    build(&site);
    let Some(tools) =
        common::validators(&["epubcheck"], "the EPUB of every new node not validated")
    else {
        return;
    };
    let (ok, report) = tools.run("epubcheck", &[site.path("dist/b.epub")]);
    assert!(ok, "{report}");
    assert!(report.contains("0 errors / 0 warnings"), "{report}");
}

// ----------------------------------------------------------------- corpus

#[test]
fn the_corpus_builds_without_a_shortcode_left_in_any_output() {
    let Some((content, static_dir)) = common::corpus() else {
        return;
    };
    let site = Site::empty();
    let run = site.run(&[
        "build",
        "--content",
        content.to_str().unwrap(),
        "--static",
        static_dir.to_str().unwrap(),
        "--out",
        site.path("dist").to_str().unwrap(),
    ]);
    run.assert_code(0);
    let outputs = site.outputs();
    assert!(outputs.len() > 100, "{:?}", outputs.keys());
    for needle in [&b"{{<"[..], b"{{%"] {
        assert!(!site.outputs_contain(needle), "a shortcode leaks");
    }
    let pdf = pdf_text(&site.path("dist/site.pdf"));
    assert!(
        !pdf.contains("{{<") && !pdf.contains("{{%"),
        "a shortcode leaks into the PDF"
    );
    assert!(pdf.contains("(shown on the website: "), "widgets are notes");
}
