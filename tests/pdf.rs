//! PDF checks: every PDF folio writes is read back with lopdf (outline,
//! link annotations, metadata, paper, images, same bytes twice) and with
//! the validators (`qpdf --check`, `pdffonts`, `pdftotext` from qpdf and
//! poppler-utils). Without the validators the lopdf checks still run and
//! each test prints one `skipped:` line (a failure under CI).
//!
//! A hand-built book exercises every block kind; the default press kit and
//! the 169-page corpus go through the real pipeline.

mod common;

use common::Tools;
use folio::backend::Resources;
use folio::backend::pdf::{PdfOptions, render};
use folio::backend::text::{TextOptions, render_page};
use folio::model::*;
use folio::{Diagnostics, LoadOptions, Paper, Project, load_book};
use regex::Regex;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

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

/// Words of the PDF's text (pdftotext joins words at line-end hyphens:
/// "standards-" + "based" reads "standardsbased", see `missing_words`).
/// A footnote number set as a superscript reads as part of its word
/// ("note1"), so each word also counts without trailing digits.
fn pdf_words(text: &str) -> HashSet<String> {
    let mut set: HashSet<String> = common::words(text).into_iter().collect();
    let extra: Vec<String> = set
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()).to_string())
        .collect();
    set.extend(extra);
    set
}

/// The words of the text backend's output that must be in the PDF: link
/// reference lists, `[n]` markers, task markers, the `Notes:` label and
/// figure file names are the text output's own apparatus, not content.
fn text_tokens(text: &str) -> Vec<String> {
    let mut body = String::new();
    let mut in_links = false;
    for line in text.lines() {
        if line == "Links:" {
            in_links = true;
            continue;
        }
        // The label of the text output's note list (the PDF sets notes at
        // the foot of the page, without a heading).
        if line == "Notes:" {
            continue;
        }
        if in_links && (line.is_empty() || !line.starts_with('[')) {
            in_links = false;
        }
        if in_links {
            continue;
        }
        body.push_str(line);
        body.push('\n');
    }
    // `[x]` is the text output's task-list marker; the PDF draws a box.
    let refs = Regex::new(r"\[\s*\d+\]|\[\^\d+\]|\[[xX ]\]").unwrap();
    let fig_file = Regex::new(r"\[Figure: [^\]\s]+\.(svg|png|jpe?g|gif|webp)\]").unwrap();
    let alt = Regex::new(r"\(alt text: [^)]*\)").unwrap();
    let body = refs.replace_all(&body, " ");
    let body = fig_file.replace_all(&body, " ");
    let body = alt.replace_all(&body, " ");
    let body = body.replace("[Figure: ", " ");
    body.split_whitespace().map(str::to_string).collect()
}

/// Words of `text_out` missing from the PDF text. A compound split at a
/// line-end hyphen counts when its joined form is there.
fn missing_words(text_out: &str, pdf: &HashSet<String>) -> Vec<String> {
    let mut missing = Vec::new();
    for token in text_tokens(text_out) {
        let parts = common::words(&token);
        let mut ok = vec![false; parts.len()];
        for (i, p) in parts.iter().enumerate() {
            if pdf.contains(p) {
                ok[i] = true;
            }
        }
        for i in 0..parts.len().saturating_sub(1) {
            if pdf.contains(&format!("{}{}", parts[i], parts[i + 1])) {
                ok[i] = true;
                ok[i + 1] = true;
            }
        }
        for (p, good) in parts.iter().zip(ok) {
            if !good {
                missing.push(p.clone());
            }
        }
    }
    missing
}

/// A text string of `d` (UTF-16BE with a byte order mark, else read as
/// UTF-8); empty when missing.
fn text_string(d: &lopdf::Dictionary, key: &[u8]) -> String {
    match d.get(key) {
        Ok(lopdf::Object::String(b, _)) => {
            if b.starts_with(&[0xFE, 0xFF]) {
                let units: Vec<u16> = b[2..]
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16_lossy(&units)
            } else {
                String::from_utf8_lossy(b).into_owned()
            }
        }
        _ => String::new(),
    }
}

/// Outline entries (all levels) and top-level entries, read with lopdf.
fn outline(doc: &lopdf::Document) -> (Vec<String>, usize) {
    fn title(d: &lopdf::Dictionary) -> String {
        text_string(d, b"Title")
    }
    fn walk(doc: &lopdf::Document, first: Option<lopdf::ObjectId>, out: &mut Vec<String>) -> usize {
        let mut n = 0;
        let mut cur = first;
        while let Some(id) = cur {
            let d = doc.get_dictionary(id).unwrap();
            out.push(title(d));
            n += 1;
            walk(
                doc,
                d.get(b"First").and_then(|o| o.as_reference()).ok(),
                out,
            );
            cur = d.get(b"Next").and_then(|o| o.as_reference()).ok();
        }
        n
    }
    let catalog = doc.catalog().unwrap();
    let root = catalog
        .get(b"Outlines")
        .and_then(|o| o.as_reference())
        .unwrap();
    let root = doc.get_dictionary(root).unwrap();
    let mut titles = Vec::new();
    let top = walk(
        doc,
        root.get(b"First").and_then(|o| o.as_reference()).ok(),
        &mut titles,
    );
    (titles, top)
}

/// Link annotations: (URIs, internal destinations).
fn annotations(doc: &lopdf::Document) -> (Vec<String>, usize) {
    let mut uris = Vec::new();
    let mut internal = 0;
    for (_, page) in doc.get_pages() {
        let page = doc.get_dictionary(page).unwrap();
        let Ok(annots) = page.get(b"Annots").and_then(|a| a.as_array()) else {
            continue;
        };
        for a in annots {
            let d = doc.get_dictionary(a.as_reference().unwrap()).unwrap();
            assert_eq!(d.get(b"Subtype").unwrap().as_name().unwrap(), b"Link");
            let border = d.get(b"Border").unwrap().as_array().unwrap();
            assert_eq!(
                border.last().unwrap().as_i64().unwrap(),
                0,
                "link border must be invisible"
            );
            if let Ok(action) = d.get(b"A").and_then(|a| a.as_dict()) {
                let uri = action.get(b"URI").unwrap().as_str().unwrap();
                uris.push(String::from_utf8_lossy(uri).into_owned());
            } else {
                assert!(d.get(b"Dest").is_ok());
                internal += 1;
            }
        }
    }
    (uris, internal)
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
                        LinkTarget::Unresolved => {}
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
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let (titles, top) = outline(&doc);
    assert_eq!(
        top,
        book.pages.len(),
        "one top-level outline entry per chapter"
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

/// The Info dictionary's `key` as text.
fn info(doc: &lopdf::Document, key: &[u8]) -> String {
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .and_then(|id| doc.get_dictionary(id))
        .expect("an Info dictionary");
    text_string(info, key)
}

/// Width and height of the first page in points (its MediaBox, or the one
/// it inherits from its page tree).
fn page_size(doc: &lopdf::Document) -> (f32, f32) {
    let (_, first) = doc.get_pages().into_iter().next().expect("a page");
    let mut dict = doc.get_dictionary(first).unwrap();
    let media = loop {
        if let Ok(b) = dict.get(b"MediaBox").and_then(|o| o.as_array()) {
            break b;
        }
        let parent = dict.get(b"Parent").and_then(|o| o.as_reference()).unwrap();
        dict = doc.get_dictionary(parent).unwrap();
    };
    let n: Vec<f32> = media.iter().map(|o| o.as_float().unwrap()).collect();
    (n[2] - n[0], n[3] - n[1])
}

/// The first page is `size` (points, to half a point: millimetre sizes
/// are not whole points).
fn assert_paper(doc: &lopdf::Document, size: (f32, f32)) {
    let (w, h) = page_size(doc);
    assert!(
        (w - size.0).abs() < 0.5 && (h - size.1).abs() < 0.5,
        "page is {w} x {h}, not {} x {}",
        size.0,
        size.1
    );
}

/// The image XObjects: (filter, width, height, has a soft mask).
fn images(doc: &lopdf::Document) -> Vec<(String, i64, i64, bool)> {
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .map(|s| &s.dict)
        .filter(|d| d.get(b"Subtype").and_then(|o| o.as_name()).ok() == Some(b"Image"))
        .map(|d| {
            let filter = match d.get(b"Filter") {
                Ok(lopdf::Object::Name(n)) => String::from_utf8_lossy(n).into_owned(),
                Ok(lopdf::Object::Array(a)) => a
                    .iter()
                    .filter_map(|o| o.as_name().ok())
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => String::new(),
            };
            let int = |k: &[u8]| d.get(k).and_then(|o| o.as_i64()).unwrap_or(0);
            (
                filter,
                int(b"Width"),
                int(b"Height"),
                d.get(b"SMask").is_ok(),
            )
        })
        .collect()
}

// ---- a hand-built book with every block kind ----

fn span(line: u32) -> Span {
    Span {
        line,
        end_line: line,
    }
}

fn t(s: &str) -> Inline {
    Inline::Text { text: s.into() }
}

fn block(id: &str, kind: BlockKind) -> Block {
    Block {
        id: id.into(),
        span: span(1),
        kind,
    }
}

fn para(content: Vec<Inline>) -> Block {
    block("p", BlockKind::Paragraph { content })
}

fn link(text: &str, target: LinkTarget) -> Inline {
    Inline::Link {
        link: Link {
            href: "x".into(),
            target,
        },
        title: None,
        content: vec![t(text)],
    }
}

fn page(id: &str, title: &str, blocks: Vec<Block>, footnotes: Vec<Footnote>) -> Page {
    Page {
        id: id.into(),
        source: PathBuf::from(format!("content/{id}.md")),
        url: format!("/{id}/"),
        title: title.into(),
        description: None,
        date: None,
        weight: 0,
        draft: false,
        slug: None,
        aliases: Vec::new(),
        front_matter: Default::default(),
        blocks,
        footnotes,
        body_line: 1,
    }
}

const LOREM: &str = "Extensible messaging grew from a small community’s “open” alternative — with federation, \
presence and the office’s fine ligatures — into standards that thousands of independent implementations \
share; internationalisation, interoperability and decentralisation remain its characteristic strengths.";

/// A small JPEG photo for the fixture (written once per test process).
fn jpeg_asset() -> Asset {
    let path = std::env::temp_dir().join(format!("folio-pdf-test-{}.jpg", std::process::id()));
    if !path.exists() {
        let img = image::RgbImage::from_fn(96, 64, |x, y| {
            image::Rgb([(x * 2) as u8, (y * 3) as u8, 128])
        });
        img.save(&path).unwrap();
    }
    Asset {
        path,
        format: AssetFormat::Jpeg,
    }
}

fn fixture() -> Book {
    let root = common::root();
    let logo = Asset {
        path: root.join("content/images/logos/xmpp-logo-text.svg"),
        format: AssetFormat::Svg,
    };
    let item = |s: &str| ListItem {
        task: None,
        blocks: vec![para(vec![t(s)])],
    };
    let nested = ListItem {
        task: None,
        blocks: vec![
            para(vec![t("Outer item with a nested ordered list")]),
            block(
                "l2",
                BlockKind::List {
                    start: Some(3),
                    items: vec![item("third nested"), item("fourth nested")],
                },
            ),
        ],
    };
    let rows: Vec<Vec<Vec<Inline>>> = (1..=70)
        .map(|i| {
            vec![
                vec![t(&format!("row{i}"))],
                vec![t(
                    "Server software with a long description that wraps inside its cell",
                )],
                vec![t("MIT")],
            ]
        })
        .collect();
    let mut blocks = vec![
        block(
            "h",
            BlockKind::Heading {
                level: 2,
                anchor: "intro".into(),
                classes: vec![],
                content: vec![t("Introduction")],
            },
        ),
        para(vec![
            t(LOREM),
            Inline::SoftBreak,
            link("the XSF", LinkTarget::External { url: "https://xmpp.org/about/".into() }),
            t(" and "),
            link(
                "the second chapter",
                LinkTarget::Internal {
                    page: "second".into(),
                    anchor: Some("deep".into()),
                    url: "https://example.org/second/".into(),
                },
            ),
            t(", with a note"),
            Inline::FootnoteRef { label: "n".into(), number: 1 },
            t(", "),
            Inline::Emph { content: vec![t("emphasis")] },
            t(", "),
            Inline::Strong { content: vec![t("strength")] },
            t(", "),
            Inline::Code { text: "inline_code()".into() },
            t(", Greek αβγ, an arrow → and a face 😀; 10\u{a0}000 users, a soft\u{ad}hyphenated word."),
        ]),
        block(
            "ul",
            BlockKind::List {
                start: None,
                items: vec![item("first bullet"), nested, item("last bullet")],
            },
        ),
        block(
            "tasks",
            BlockKind::List {
                start: None,
                items: vec![
                    ListItem {
                        task: Some(true),
                        blocks: vec![para(vec![t("done task")])],
                    },
                    ListItem {
                        task: Some(false),
                        blocks: vec![para(vec![t("open task")])],
                    },
                ],
            },
        ),
        block("q", BlockKind::Quote { blocks: vec![para(vec![t("A quoted paragraph, set in italics.")])] }),
        block(
            "c",
            BlockKind::Code {
                lang: Some("xml".into()),
                text: "<stream:features>\n  <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>\n  <averyveryverylongelementname attribute='value' another='value' third='with a very long value that cannot fit on one line'/>\n</stream:features>\n".into(),
            },
        ),
        block("r", BlockKind::Rule),
        block(
            "f",
            BlockKind::Figure(Figure {
                src: "/images/logos/xmpp-logo-text.svg".into(),
                asset: Some(logo),
                caption: vec![t("The logo, rasterised")],
                width: Some("300".into()),
                ..Figure::default()
            }),
        ),
        block(
            "j",
            BlockKind::Figure(Figure {
                src: "/images/photo.jpg".into(),
                asset: Some(jpeg_asset()),
                caption: vec![t("A photograph")],
                width: Some("120".into()),
                ..Figure::default()
            }),
        ),
        block(
            "m",
            BlockKind::Figure(Figure {
                src: "/images/missing.png".into(),
                asset: None,
                caption: vec![t("A missing picture")],
                ..Figure::default()
            }),
        ),
        block(
            "t",
            BlockKind::Table(Table {
                align: vec![Align::None, Align::None, Align::Center],
                head: vec![vec![t("Name")], vec![t("Description")], vec![t("Licence")]],
                rows,
            }),
        ),
    ];
    for _ in 0..3 {
        blocks.push(para(vec![t(LOREM)]));
    }
    let second = vec![
        block(
            "h2",
            BlockKind::Heading {
                level: 2,
                anchor: "deep".into(),
                classes: vec![],
                content: vec![t("A deep section")],
            },
        ),
        para(vec![
            t("Back to "),
            link(
                "the first chapter",
                LinkTarget::Internal {
                    page: "first".into(),
                    anchor: None,
                    url: "https://example.org/first/".into(),
                },
            ),
            t("."),
        ]),
    ];
    let note = Footnote {
        label: "n".into(),
        number: 1,
        id: "fn-1".into(),
        blocks: vec![para(vec![t("The footnote’s text.")])],
    };
    Book {
        meta: BookMeta {
            name: "fixture".into(),
            title: "Fixture Book".into(),
            subtitle: Some("Every block kind".into()),
            description: Some("A test".into()),
            authors: vec!["Tester".into()],
            publisher: Some("Folio Tests".into()),
            rights: None,
            keywords: vec!["test".into()],
            language: "en".into(),
            base_url: "https://example.org/".into(),
            date: DATE,
            logo: None,
        },
        pages: vec![
            page("first", "First Chapter", blocks, vec![note]),
            page("second", "Second Chapter", second, vec![]),
        ],
    }
}

#[test]
fn fixture_book_passes_every_check() {
    let book = fixture();
    let checked = check_book(&book, pdf_tools().as_ref());
    // FOLIO_PDF_OUT=file keeps the PDF for a look.
    if let Some(out) = std::env::var_os("FOLIO_PDF_OUT") {
        std::fs::write(out, &checked.bytes).unwrap();
    }
    // The emoji no font has is a warning.
    let msgs: Vec<String> = checked.diags.items.iter().map(|d| d.to_string()).collect();
    assert!(
        msgs.iter().any(|m| m.contains("U+1F600")),
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
    assert!(bytes.starts_with(b"%PDF-1.4"));
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

#[test]
fn default_press_kit_passes_every_check() {
    let root = common::root();
    let project = Project::from_config(&root.join("folio.yaml")).unwrap();
    let options = LoadOptions {
        drafts: false,
        date: DATE,
    };
    let loaded = load_book(&project, "press-kit", &options).unwrap();
    let checked = check_book(&loaded.book, pdf_tools().as_ref());
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
