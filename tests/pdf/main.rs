//! PDF checks: every PDF folio writes is read back with lopdf (outline,
//! link annotations, metadata, paper, images, same bytes twice) and with
//! the validators (`qpdf --check`, `pdffonts`, `pdftotext` from qpdf and
//! poppler-utils). Without the validators the lopdf checks still run and
//! each test prints one `skipped:` line (a failure under CI).
//!
//! A hand-built book exercises every block kind; the default press kit and
//! the 169-page corpus go through the real pipeline.

mod archival;
#[path = "../common/mod.rs"]
mod common;
mod fixture;
mod memo;
mod parallel;
mod read;
mod rtl;
mod scripts;
mod stream;
mod tagged;
mod typography;
mod words;
mod writer;

use common::Tools;
use fixture::fixture;
use folio::backend::Resources;
use folio::backend::pdf::{PdfOptions, render};
use folio::backend::text::{TextOptions, render_page};
use folio::model::*;
use folio::{Diagnostics, LoadOptions, Paper, Project, load_book};
use read::{annotations, assert_paper, images, info, outline};
use std::path::{Path, PathBuf};
use words::{missing_words, pdf_words};

const DATE: i64 = 1_700_000_000;

fn options(paper: Option<Paper>) -> PdfOptions {
    let root = common::root();
    PdfOptions {
        resources: Resources {
            fonts_dir: root.join("fonts"),
            templates_dir: root.join("templates"),
            static_dir: root.join("content"),
            limits: Default::default(),
        },
        paper,
        standard: None,
        threads: None,
        memo: None,
        disk_cache: None,
    }
}

/// The validators, or `None` after one skip line.
fn pdf_tools() -> Option<Tools> {
    common::validators(
        &["qpdf", "pdffonts", "pdftotext"],
        "PDF checked with lopdf only (no qpdf --check, pdffonts, pdftotext words)",
    )
}

/// Writes the PDF to a temp dir and checks what holds for every PDF:
/// qpdf is clean and every font is embedded, subset and mapped to Unicode.
/// Returns the temp dir (keep it alive) and the PDF's path.
fn validate(tools: &Tools, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.pdf");
    std::fs::write(&path, bytes).unwrap();
    let p = path.to_str().unwrap();
    let (ok, out) = tools.run("qpdf", &["--check", p]);
    assert!(
        ok && out.contains("No syntax or stream encoding errors"),
        "qpdf --check:\n{out}"
    );
    assert!(!out.contains("WARNING"), "qpdf --check warns:\n{out}");
    let (ok, fonts) = tools.run("pdffonts", &[p]);
    assert!(ok, "{fonts}");
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts:\n{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert!(n >= 7, "{row}");
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "font not emb/sub/uni: {row}"
        );
    }
    (dir, path)
}

fn pdftotext(tools: &Tools, path: &Path) -> String {
    let (ok, text) = tools.run("pdftotext", &["-enc", "UTF-8", path.to_str().unwrap(), "-"]);
    assert!(ok, "{text}");
    text
}

/// Every link in the model: (external URLs, internal count).
fn model_links(book: &Book) -> (Vec<String>, usize) {
    fn inl(inlines: &[Inline], ext: &mut Vec<String>, int: &mut usize) {
        for i in inlines {
            match i {
                Inline::Link { link, content, .. } => {
                    match &link.target {
                        LinkTarget::External { url } => ext.push(url.clone()),
                        LinkTarget::Internal { .. } => *int += 1,
                        LinkTarget::Unresolved | LinkTarget::Ref => {}
                    }
                    inl(content, ext, int);
                }
                Inline::Emph { content }
                | Inline::Strong { content }
                | Inline::Strike { content }
                | Inline::Sup { content }
                | Inline::Sub { content }
                | Inline::Span { content, .. } => inl(content, ext, int),
                _ => {}
            }
        }
    }
    fn blk(blocks: &[Block], ext: &mut Vec<String>, int: &mut usize) {
        for b in blocks {
            match &b.kind {
                BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
                    inl(content, ext, int)
                }
                BlockKind::List { items, .. } => {
                    items.iter().for_each(|i| blk(&i.blocks, ext, int))
                }
                BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
                    blk(blocks, ext, int)
                }
                BlockKind::Table(t) => {
                    t.head.iter().for_each(|c| inl(c, ext, int));
                    t.rows.iter().flatten().for_each(|c| inl(c, ext, int));
                }
                BlockKind::Figure(f) => inl(&f.caption, ext, int),
                _ => {}
            }
        }
    }
    let (mut ext, mut int) = (Vec::new(), 0);
    for p in &book.pages {
        blk(&p.blocks, &mut ext, &mut int);
        p.footnotes
            .iter()
            .for_each(|f| blk(&f.blocks, &mut ext, &mut int));
    }
    (ext, int)
}

/// A book rendered and checked by [`check_book`].
struct Checked {
    bytes: Vec<u8>,
    diags: Diagnostics,
    /// The validated file and the text pdftotext read from it (with the
    /// temp dir that holds it), when the validators are installed.
    validated: Option<(tempfile::TempDir, PathBuf, String)>,
}

/// The checks of issue 3 on one book: the same bytes when built twice,
/// outline and links (lopdf), and with `tools` the validators and every
/// word of the text output in the PDF's text.
fn check_book(book: &Book, tools: Option<&Tools>) -> Checked {
    let mut diags = Diagnostics::default();
    let bytes = render(book, &options(None), &mut diags).expect("renders");
    let mut again = Diagnostics::default();
    let second = render(book, &options(None), &mut again).unwrap();
    assert!(bytes == second, "two builds differ");
    // PDF/A-2u and PDF/UA-1, claimed by the default style.
    let (claimed, _) = archival::check(&bytes);
    assert!(claimed.pdfa_2u && claimed.pdfua_1, "{claimed:?}");
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let (titles, top) = outline(&doc);
    // Chapters nest under their sections: the top level holds the others.
    assert_eq!(
        top,
        book.pages.iter().filter(|p| p.depth == 0).count(),
        "one top-level outline entry per top-level chapter"
    );
    for p in &book.pages {
        assert!(titles.contains(&p.title), "outline lacks `{}`", p.title);
    }
    let (uris, internal) = annotations(&doc);
    let (ext, int) = model_links(book);
    for url in &ext {
        assert!(uris.contains(url), "no URI annotation for {url}");
    }
    assert!(uris.len() >= ext.len());
    // Internal links of the text, plus contents entries and note references.
    assert!(
        internal >= int,
        "{internal} internal link annotations for {int} internal links"
    );
    let validated = tools.map(|tools| {
        let (dir, path) = validate(tools, &bytes);
        let text = pdftotext(tools, &path);
        assert_words_kept(book, &text);
        (dir, path, text)
    });
    Checked {
        bytes,
        diags,
        validated,
    }
}

/// Every word of each page's text output is in the PDF's text.
fn assert_words_kept(book: &Book, pdf_text: &str) {
    let have = pdf_words(pdf_text);
    let mut missing = Vec::new();
    for page in &book.pages {
        let out = render_page(page, &TextOptions::default());
        missing.extend(
            missing_words(&out, &have)
                .into_iter()
                .map(|w| format!("{}: {w}", page.id)),
        );
    }
    assert!(
        missing.is_empty(),
        "{} words missing from the PDF: {:?}",
        missing.len(),
        &missing[..missing.len().min(30)]
    );
}

#[test]
fn fixture_book_passes_every_check() {
    let book = fixture();
    let checked = check_book(&book, pdf_tools().as_ref());
    // FOLIO_PDF_OUT=file keeps the PDF for a look.
    if let Some(out) = std::env::var_os("FOLIO_PDF_OUT") {
        std::fs::write(out, &checked.bytes).unwrap();
    }
    // The character no font has (unassigned) is a warning.
    let msgs: Vec<String> = checked.diags.items.iter().map(|d| d.to_string()).collect();
    assert!(
        msgs.iter().any(|m| m.contains("U+0378")),
        "no missing-glyph warning: {msgs:?}"
    );
    let doc = lopdf::Document::load_mem(&checked.bytes).unwrap();
    assert_eq!(info(&doc, b"Title"), "Fixture Book");
    assert_eq!(info(&doc, b"Author"), "Tester");
    assert_paper(&doc, (595.3, 841.9));
    // The JPEG is carried as it is (DCT), the SVG rasterised with alpha.
    let images = images(&doc);
    assert!(
        images
            .iter()
            .any(|(filter, w, h, _)| filter == "DCTDecode" && *w == 96 && *h == 64),
        "{images:?}"
    );
    assert!(images.iter().any(|i| i.3), "no soft mask: {images:?}");

    let Some((_dir, _path, text)) = checked.validated else {
        return;
    };
    // The header row repeats after the table's page break.
    assert!(
        text.matches("Licence").count() >= 2,
        "table header not repeated"
    );
    // The missing image is a visible placeholder.
    assert!(text.contains("Image not available"), "no placeholder");
    // Curly quotes, apostrophes, dashes and ligatures come back exactly.
    // Line ends read as spaces.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for s in [
        "community’s “open” alternative — with",
        "office’s fine ligatures",
        "αβγ",
        "10 000 users, a softhyphenated word",
        "→",
    ] {
        assert!(flat.contains(s), "pdftotext lost `{s}`");
    }
    // Code keeps every character (its long line wraps).
    let squeezed: String = text.split_whitespace().collect();
    assert!(
        squeezed.contains("third='withaverylongvaluethatcannotfitononeline'/>"),
        "code characters lost"
    );
}

#[test]
fn letter_paper_by_option() {
    let mut diags = Diagnostics::default();
    let bytes = render(&fixture(), &options(Some(Paper::Letter)), &mut diags).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    assert_paper(&doc, (612.0, 792.0));
    if let Some(tools) = pdf_tools() {
        validate(&tools, &bytes);
    }
}

#[test]
fn metadata_language_version_and_id() {
    let mut diags = Diagnostics::default();
    let bytes = render(&fixture(), &options(None), &mut diags).unwrap();
    // PDF 1.7: tagged PDF (`/Tabs`, PDF/UA-1).
    assert!(bytes.starts_with(b"%PDF-1.7"));
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let lang = doc
        .catalog()
        .unwrap()
        .get(b"Lang")
        .unwrap()
        .as_str()
        .unwrap();
    assert_eq!(lang, b"en");
    let id = doc.trailer.get(b"ID").unwrap().as_array().unwrap();
    assert_ne!(id[0].as_str().unwrap(), &[0u8; 16][..]);
    let mut other = fixture();
    other.meta.title = "Another".into();
    let bytes2 = render(&other, &options(None), &mut diags).unwrap();
    let doc2 = lopdf::Document::load_mem(&bytes2).unwrap();
    assert_ne!(
        doc2.trailer.get(b"ID").unwrap(),
        doc.trailer.get(b"ID").unwrap(),
        "/ID must depend on content"
    );
}

/// The default press kit, as `folio build` loads it.
fn press_kit() -> Book {
    let root = common::root();
    let project = Project::from_config(&root.join("folio.yaml")).unwrap();
    let options = LoadOptions {
        drafts: false,
        date: DATE,
        ..LoadOptions::default()
    };
    load_book(&project, "press-kit", &options).unwrap().book
}

#[test]
fn default_press_kit_passes_every_check() {
    let checked = check_book(&press_kit(), pdf_tools().as_ref());
    let doc = lopdf::Document::load_mem(&checked.bytes).unwrap();
    assert_eq!(info(&doc, b"Title"), "XMPP Press Kit");
    if let Some((_dir, _path, text)) = checked.validated {
        assert!(text.contains("Contents"));
    }
}

/// The whole corpus (skipped with a line when `../shared` is missing).
#[test]
fn corpus_pdf_passes_every_check() {
    let Some((content, static_dir)) = common::corpus() else {
        return;
    };
    let project = Project::site(content, Some(static_dir), None);
    let loaded = load_book(
        &project,
        "site",
        &LoadOptions {
            drafts: false,
            date: DATE,
            ..LoadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(loaded.book.pages.len(), 169);
    check_book(&loaded.book, pdf_tools().as_ref());
}

/// The skip policy (tests/common/external.rs), on `letter_paper_by_option`
/// run again in a child with an empty PATH: it passes with one visible
/// `skipped:` line, or fails when CI or FOLIO_REQUIRE_VALIDATORS is set.
#[test]
fn missing_validators_skip_or_fail_under_ci() {
    let rerun = |var: Option<(&str, &str)>| {
        let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
        cmd.args(["--exact", "letter_paper_by_option"])
            .env("PATH", "")
            .env_remove("CI")
            .env_remove("FOLIO_REQUIRE_VALIDATORS");
        if let Some((key, value)) = var {
            cmd.env(key, value);
        }
        let out = cmd.output().unwrap();
        let all = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.success(), all)
    };
    let missing = "qpdf, pdffonts, pdftotext not installed (apt-get install qpdf poppler-utils)";
    for var in [None, Some(("CI", "0")), Some(("CI", "false"))] {
        let (ok, out) = rerun(var);
        assert!(ok, "{var:?}:\n{out}");
        let lines: Vec<&str> = out.lines().filter(|l| l.contains("skipped: ")).collect();
        assert_eq!(lines.len(), 1, "{var:?}:\n{out}");
        assert!(
            lines[0].contains(&format!("skipped: {missing}: PDF checked with lopdf only"))
                && lines[0].ends_with("[letter_paper_by_option]"),
            "{out}"
        );
        assert!(out.contains("1 passed"), "{out}");
    }
    for var in [("CI", "true"), ("FOLIO_REQUIRE_VALIDATORS", "1")] {
        let (ok, out) = rerun(Some(var));
        assert!(!ok, "{var:?} must fail:\n{out}");
        assert!(!out.contains("skipped: "), "{out}");
        assert!(
            out.contains(missing) && out.contains("FOLIO_REQUIRE_VALIDATORS is set"),
            "{out}"
        );
    }
}
