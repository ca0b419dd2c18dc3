//! The EPUB backend, checked by reading its output back: the archive's
//! layout, the package manifest, every XHTML document as XML, the text of
//! every chapter, the navigation, every internal link target, and epubcheck
//! (skipped with one visible line when it is not installed, failing instead
//! under CI).

mod common;

use folio::backend::Resources;
use folio::backend::epub::{EpubOptions, render};
use folio::backend::text::TextOptions;
use folio::model::*;
use folio::{Book, Diagnostics, LoadOptions, Project, load_book};
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn options() -> EpubOptions {
    let mut options = EpubOptions::new(Resources {
        fonts_dir: project().join("fonts"),
        templates_dir: project().join("templates"),
        static_dir: project().join("content"),
        limits: Default::default(),
    });
    options.cover_logo = Some(project().join("content/images/logos/xmpp-logo-text.svg"));
    options
}

// ---------------------------------------------------------------- fixture

fn text(s: &str) -> Inline {
    Inline::Text { text: s.into() }
}

fn block(id: &str, line: u32, kind: BlockKind) -> Block {
    Block {
        id: id.into(),
        span: Span {
            line,
            end_line: line,
        },
        kind,
    }
}

fn para(id: &str, content: Vec<Inline>) -> Block {
    block(id, 1, BlockKind::Paragraph { content })
}

fn heading(level: u8, anchor: &str, title: &str) -> Block {
    block(
        &format!("h-{anchor}"),
        1,
        BlockKind::Heading {
            level,
            anchor: anchor.into(),
            classes: vec![],
            content: vec![text(title)],
        },
    )
}

fn link(href: &str, target: LinkTarget, label: &str) -> Inline {
    Inline::Link {
        link: Link {
            href: href.into(),
            target,
        },
        title: None,
        content: vec![text(label)],
    }
}

fn internal(page: &str, anchor: Option<&str>) -> LinkTarget {
    LinkTarget::Internal {
        page: page.into(),
        anchor: anchor.map(Into::into),
        url: format!("https://xmpp.org/{page}/"),
    }
}

fn page(id: &str, title: &str, blocks: Vec<Block>, footnotes: Vec<Footnote>) -> Page {
    Page {
        id: id.into(),
        source: PathBuf::from(format!("content/{id}.md")),
        url: format!("/{id}/"),
        title: title.into(),
        description: Some(format!("About {title} & more")),
        date: None,
        weight: 0,
        draft: false,
        slug: None,
        aliases: vec![],
        front_matter: BTreeMap::new(),
        blocks,
        footnotes,
        body_line: 1,
    }
}

fn logo_asset() -> Option<Asset> {
    Some(Asset {
        path: project().join("content/images/logos/xmpp-logo-text.svg"),
        format: AssetFormat::Svg,
    })
}

/// A small book that uses every kind of node, the awkward cases included.
fn fixture() -> Book {
    let features = page(
        "about-features",
        "Features & Benefits",
        vec![
            para(
                "p1",
                vec![text(
                    "XMPP is a set of open technologies for instant messaging.",
                )],
            ),
            heading(2, "open", "Open"),
            block(
                "l1",
                2,
                BlockKind::List {
                    start: None,
                    items: vec![
                        ListItem {
                            task: None,
                            blocks: vec![para(
                                "l1a",
                                vec![
                                    Inline::Strong {
                                        content: vec![text("Secure")],
                                    },
                                    text(" \u{2014} SASL and TLS"),
                                ],
                            )],
                        },
                        ListItem {
                            task: Some(true),
                            blocks: vec![para("l1b", vec![text("Done task")])],
                        },
                    ],
                },
            ),
            heading(3, "2024-plans", "2024 plans"),
            para(
                "p2",
                vec![
                    text("See the "),
                    link(
                        "/about/xsf/mission/#goals",
                        internal("about-xsf-mission", Some("goals")),
                        "mission goals",
                    ),
                    text(", the "),
                    link(
                        "/about/press-kit/",
                        internal("about-press-kit", None),
                        "press kit",
                    ),
                    text(", a "),
                    link(
                        "/about/xsf/mission/#nowhere",
                        internal("about-xsf-mission", Some("nowhere")),
                        "missing anchor",
                    ),
                    text(", the "),
                    link(
                        "/about/faq/",
                        LinkTarget::External {
                            url: "https://xmpp.org/about/faq/".into(),
                        },
                        "FAQ",
                    ),
                    text(", a "),
                    link("/uses/gaming/", LinkTarget::Unresolved, "site link"),
                    text(", a "),
                    link("relative.html", LinkTarget::Unresolved, "relative link"),
                    text(" and a note"),
                    Inline::FootnoteRef {
                        label: "n".into(),
                        number: 1,
                    },
                    text(" used twice"),
                    Inline::FootnoteRef {
                        label: "n".into(),
                        number: 1,
                    },
                    text(" and one missing"),
                    Inline::FootnoteRef {
                        label: "x".into(),
                        number: 0,
                    },
                    text("."),
                ],
            ),
            block(
                "t1",
                3,
                BlockKind::Table(Table {
                    align: vec![Align::Left, Align::Right],
                    head: vec![vec![text("Name")], vec![text("Year")]],
                    rows: vec![vec![vec![text("Jabber")], vec![text("1999")]]],
                }),
            ),
            block(
                "c1",
                4,
                BlockKind::Code {
                    lang: Some("xml".into()),
                    text: "<message to='a@b'>\n  <body>hi & bye</body>\n</message>\n".into(),
                },
            ),
            block(
                "q1",
                5,
                BlockKind::Quote {
                    blocks: vec![para(
                        "q1p",
                        vec![Inline::Emph {
                            content: vec![text("Quoted wisdom")],
                        }],
                    )],
                },
            ),
            block(
                "w1",
                6,
                BlockKind::Container {
                    origin: "shortcode:row".into(),
                    classes: vec!["row".into(), "col-md-6".into()],
                    blocks: vec![para("w1p", vec![text("Inside a widget")])],
                },
            ),
            block("r1", 7, BlockKind::Rule),
        ],
        vec![Footnote {
            label: "n".into(),
            number: 1,
            id: "fn-n".into(),
            blocks: vec![para(
                "fnp",
                vec![
                    text("A footnote with "),
                    Inline::Code {
                        text: "code".into(),
                    },
                    text("."),
                ],
            )],
        }],
    );
    let mission = page(
        "about-xsf-mission",
        "XSF Mission",
        vec![
            heading(1, "goals", "Goals"),
            para(
                "m1",
                vec![text("Build an open, secure, federated infrastructure.")],
            ),
            heading(2, "values", "Values"),
            para("m2", vec![text("Rough consensus and running code.")]),
            heading(1, "goals", "Goals again"),
        ],
        vec![],
    );
    let press = page(
        "about-press-kit",
        "Press Kit",
        vec![
            block(
                "f1",
                3,
                BlockKind::Figure(Figure {
                    src: "/images/logos/xmpp-logo-text.svg".into(),
                    asset: logo_asset(),
                    width: Some("400".into()),
                    class: Some("mx-auto".into()),
                    ..Figure::default()
                }),
            ),
            heading(2, "logo", "XMPP Logo"),
            block(
                "f2",
                10,
                BlockKind::Figure(Figure {
                    src: "/images/logos/xmpp-logo-text.svg".into(),
                    asset: logo_asset(),
                    caption: vec![text("XMPP Logo (SVG file)")],
                    width: Some("50%".into()),
                    link: Some(Link {
                        href: "/images/logos/xmpp-logo-text.svg".into(),
                        target: LinkTarget::External {
                            url: "https://xmpp.org/images/logos/xmpp-logo-text.svg".into(),
                        },
                    }),
                    ..Figure::default()
                }),
            ),
            block(
                "f3",
                12,
                BlockKind::Figure(Figure {
                    src: "/images/logos/xmpp-logo-text-300dpi.png".into(),
                    asset: None,
                    caption: vec![text("XMPP Logo (PNG file, 300 DPI)")],
                    ..Figure::default()
                }),
            ),
            para(
                "p3",
                vec![
                    text("Inline "),
                    Inline::Image {
                        src: "/images/logos/xmpp-logo-text.svg".into(),
                        asset: logo_asset(),
                        alt: "logo".into(),
                        title: None,
                    },
                    text(" and missing "),
                    Inline::Image {
                        src: "/images/nothing.png".into(),
                        asset: None,
                        alt: "nothing here".into(),
                        title: None,
                    },
                    Inline::LineBreak,
                    text("after a break with control\u{1} character"),
                ],
            ),
        ],
        vec![],
    );
    Book {
        meta: BookMeta {
            name: "about-xmpp".into(),
            title: "About XMPP".into(),
            subtitle: Some(
                "An offline booklet on the Extensible Messaging and Presence Protocol".into(),
            ),
            description: Some("Features, mission & press kit.".into()),
            authors: vec!["XMPP Standards Foundation".into()],
            publisher: Some("XMPP Standards Foundation".into()),
            rights: Some("CC BY-SA 4.0".into()),
            keywords: vec!["XMPP".into(), "Jabber".into()],
            language: "en".into(),
            base_url: "https://xmpp.org/".into(),
            date: 1_700_000_000,
            logo: None,
        },
        pages: vec![features, mission, press],
    }
}

// ---------------------------------------------------------------- reading back

/// An EPUB's files by name, in archive order.
struct Epub {
    names: Vec<String>,
    files: HashMap<String, Vec<u8>>,
}

impl Epub {
    fn read(bytes: &[u8]) -> Epub {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("EPUB is a zip");
        let mut names = Vec::new();
        let mut files = HashMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            names.push(f.name().to_string());
            files.insert(f.name().to_string(), data);
        }
        Epub { names, files }
    }

    fn text(&self, name: &str) -> String {
        String::from_utf8(self.files[name].clone()).expect("UTF-8")
    }
}

/// Parses `xml` fully; panics with the position of the first error.
fn parse_xml(name: &str, xml: &str) -> Vec<Event<'static>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut events = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(e) => events.push(e.into_owned()),
            Err(e) => panic!(
                "{name} is not well-formed XML at {}: {e}",
                reader.buffer_position()
            ),
        }
    }
    events
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name.as_bytes())
        .map(|a| a.unescape_value().unwrap().into_owned())
}

/// The text content of an XHTML document's body.
fn body_text(events: &[Event]) -> String {
    let mut out = String::new();
    let mut in_body = false;
    for e in events {
        match e {
            Event::Start(s) if s.name().as_ref() == b"body" => in_body = true,
            Event::Text(t) if in_body => {
                out.push_str(&t.decode().unwrap());
                out.push(' ');
            }
            Event::GeneralRef(r) if in_body => {
                if let Some(c) = r.resolve_char_ref().ok().flatten() {
                    out.push(c);
                } else {
                    out.push_str(match r.decode().unwrap().as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::Start(s) | Event::Empty(s) if in_body && s.name().as_ref() == b"img" => {
                out.push_str(&attr(s, "alt").unwrap_or_default());
                out.push(' ');
            }
            _ => {}
        }
    }
    out
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words of a page's plain-text output (the text backend), less what
/// only the text format has: its link list, the reference numbers, the
/// `[Figure: ...]` and `Notes:` labels, task marks, and the file name the
/// text names an image by when it has no text at all (the EPUB warns).
fn page_words(page: &Page) -> Vec<String> {
    let mut text = folio::backend::text::render_page(page, &TextOptions::default());
    if let Some(cut) = text.find("\nLinks:\n") {
        text.truncate(cut);
    }
    let mut nameless = Vec::new();
    let mut note_nameless = |src: &str, label: &str| {
        let name = src.rsplit('/').next().unwrap_or(src);
        nameless.push(format!("[{label}: {name}]"));
    };
    for block in &page.blocks {
        collect_nameless(block, &mut note_nameless);
    }
    for name in nameless {
        text = text.replace(&name, " ");
    }
    for label in [
        "[Figure: ",
        "[Image: ",
        "(alt text: ",
        "\nNotes:\n",
        "[x] ",
        "[ ] ",
    ] {
        text = text.replace(label, " ");
    }
    words(&text)
        .into_iter()
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// Calls `f` with the src of every image that has no text of its own.
fn collect_nameless(block: &Block, f: &mut impl FnMut(&str, &str)) {
    fn inlines(content: &[Inline], f: &mut impl FnMut(&str, &str)) {
        for i in content {
            match i {
                Inline::Image { src, alt, .. } if alt.is_empty() => f(src, "Image"),
                Inline::Emph { content }
                | Inline::Strong { content }
                | Inline::Strike { content }
                | Inline::Sup { content }
                | Inline::Sub { content }
                | Inline::Span { content, .. }
                | Inline::Link { content, .. } => inlines(content, f),
                _ => {}
            }
        }
    }
    match &block.kind {
        BlockKind::Figure(fig)
            if fig.alt.as_deref().unwrap_or("").is_empty()
                && fig.caption.is_empty()
                && fig.title.is_none() =>
        {
            f(&fig.src, "Figure")
        }
        BlockKind::Paragraph { content } | BlockKind::Heading { content, .. } => {
            inlines(content, f)
        }
        BlockKind::Table(t) => t
            .head
            .iter()
            .chain(t.rows.iter().flatten())
            .for_each(|c| inlines(c, f)),
        BlockKind::List { items, .. } => items
            .iter()
            .flat_map(|i| &i.blocks)
            .for_each(|b| collect_nameless(b, f)),
        BlockKind::Quote { blocks } | BlockKind::Container { blocks, .. } => {
            blocks.iter().for_each(|b| collect_nameless(b, f))
        }
        _ => {}
    }
}

/// Every check that needs no external tool. Returns the EPUB read back.
fn check_structure(bytes: &[u8], book: &Book) -> Epub {
    let epub = Epub::read(bytes);
    // mimetype first, stored, exact content.
    {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let first = zip.by_index(0).unwrap();
        assert_eq!(first.name(), "mimetype");
        assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    }
    assert_eq!(epub.files["mimetype"], b"application/epub+zip");
    let container = epub.text("META-INF/container.xml");
    assert!(container.contains("full-path=\"OEBPS/content.opf\""));

    // Images are whole files of the type their name says.
    for name in &epub.names {
        let data = &epub.files[name];
        if name.ends_with(".png") {
            assert!(
                data.starts_with(b"\x89PNG\r\n\x1a\n"),
                "{name} is not a PNG"
            );
        } else if name.ends_with(".jpg") {
            assert!(
                data.starts_with(&[0xFF, 0xD8, 0xFF]),
                "{name} is not a JPEG"
            );
        }
    }

    // The manifest lists every file in the zip and nothing more.
    let opf = epub.text("OEBPS/content.opf");
    let mut manifest = BTreeSet::new();
    for e in parse_xml("content.opf", &opf) {
        if let Event::Empty(s) | Event::Start(s) = &e
            && s.name().as_ref() == b"item"
        {
            manifest.insert(format!("OEBPS/{}", attr(s, "href").unwrap()));
        }
    }
    let in_zip: BTreeSet<String> = epub
        .names
        .iter()
        .filter(|n| *n != "mimetype" && !n.starts_with("META-INF/") && *n != "OEBPS/content.opf")
        .cloned()
        .collect();
    assert_eq!(manifest, in_zip, "manifest and archive differ");

    // Every XHTML document is XML; collect ids and links.
    let mut ids: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let mut texts: HashMap<String, String> = HashMap::new();
    for name in epub.names.iter().filter(|n| n.ends_with(".xhtml")) {
        let events = parse_xml(name, &epub.text(name));
        let mut set = BTreeSet::new();
        for e in &events {
            if let Event::Start(s) | Event::Empty(s) = e {
                if let Some(id) = attr(s, "id") {
                    assert!(set.insert(id.clone()), "{name}: duplicate id {id}");
                }
                for key in ["href", "src"] {
                    if let Some(target) = attr(s, key)
                        && s.name().as_ref() != b"link"
                    {
                        links.push((name.clone(), target));
                    }
                }
            }
        }
        texts.insert(name.clone(), body_text(&events));
        ids.insert(name.clone(), set);
    }

    // Every internal target exists; nothing points at the site relatively.
    for (from, target) in &links {
        if target.contains(':') {
            // A URL with a scheme (https, mailto, xmpp...), never a script.
            assert!(
                !target.starts_with("javascript:"),
                "{from}: script link {target}"
            );
            continue;
        }
        let (file, fragment) = match target.split_once('#') {
            Some((f, frag)) => (f, Some(frag)),
            None => (target.as_str(), None),
        };
        let file = if file.is_empty() {
            from.clone()
        } else {
            format!("OEBPS/{file}")
        };
        assert!(
            epub.files.contains_key(&file),
            "{from}: link to missing {target}"
        );
        if let Some(fragment) = fragment {
            assert!(
                ids.get(&file).is_some_and(|s| s.contains(fragment)),
                "{from}: link to missing fragment {target}"
            );
        }
    }

    // Each chapter's text has the words of the page, and the nav lists it.
    let nav = epub.text("OEBPS/nav.xhtml");
    let nav_events = parse_xml("nav.xhtml", &nav);
    let nav_hrefs: BTreeSet<String> = nav_events
        .iter()
        .filter_map(|e| match e {
            Event::Start(s) if s.name().as_ref() == b"a" => attr(s, "href"),
            _ => None,
        })
        .collect();
    let chapter_files: Vec<&String> = epub
        .names
        .iter()
        .filter(|n| {
            n.ends_with(".xhtml") && !n.ends_with("nav.xhtml") && !n.ends_with("cover.xhtml")
        })
        .collect();
    assert_eq!(chapter_files.len(), book.pages.len());
    for (page, file) in book.pages.iter().zip(&chapter_files) {
        let href = file.trim_start_matches("OEBPS/");
        assert!(nav_hrefs.contains(href), "nav lacks chapter {href}");
        let have: BTreeSet<String> = words(&texts[*file]).into_iter().collect();
        for word in page_words(page) {
            assert!(
                have.contains(&word),
                "{file} lacks the word `{word}` of page {}",
                page.id
            );
        }
    }
    epub
}

/// Runs epubcheck (see `common::epubcheck` for where it is found); `None`
/// after one skip line when it is not installed (a failure under CI).
fn epubcheck(path: &Path) -> Option<(bool, String)> {
    let tools = common::validators(
        &["epubcheck"],
        "EPUB read back but not run through epubcheck",
    )?;
    let (ok, report) = tools.run("epubcheck", &[path]);
    let clean = ok
        && report.contains("No errors or warnings detected")
        && !report.contains("WARNING")
        && !report.contains("ERROR");
    Some((clean, report))
}

fn build(book: &Book) -> (Vec<u8>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let bytes = render(book, &options(), &mut diags).expect("EPUB renders");
    // For a look with other tools: FOLIO_KEEP_EPUB=/tmp/x.epub cargo test
    if let Some(path) = std::env::var_os("FOLIO_KEEP_EPUB") {
        std::fs::write(path, &bytes).unwrap();
    }
    (bytes, diags)
}

// ---------------------------------------------------------------- tests

#[test]
fn fixture_reads_back() {
    let book = fixture();
    let (bytes, diags) = build(&book);
    let epub = check_structure(&bytes, &book);

    let opf = epub.text("OEBPS/content.opf");
    for expected in [
        "<dc:title id=\"title\">About XMPP</dc:title>",
        "property=\"title-type\">subtitle</meta>",
        "<dc:publisher>XMPP Standards Foundation</dc:publisher>",
        "<dc:language id=\"epub-language-0\">en</dc:language>",
        "<dc:rights>CC BY-SA 4.0</dc:rights>",
        "<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>",
        "schema:accessMode",
        "schema:accessModeSufficient",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
        "properties=\"cover-image\"",
        "Features, mission &amp; press kit.",
    ] {
        assert!(opf.contains(expected), "OPF lacks {expected}:\n{opf}");
    }
    let features = epub.text("OEBPS/about-features.xhtml");
    for expected in [
        "<h1 id=\"title\">Features &amp; Benefits</h1>",
        "<h2 id=\"open\">Open</h2>",
        "<h3 id=\"id-2024-plans\">2024 plans</h3>",
        "href=\"about-xsf-mission.xhtml#goals\"",
        "href=\"about-press-kit.xhtml\"",
        "href=\"about-xsf-mission.xhtml\">missing anchor",
        "href=\"https://xmpp.org/uses/gaming/\"",
        "epub:type=\"noteref\"",
        "epub:type=\"footnote\"",
        "role=\"doc-backlink\"",
        "<thead>",
        "<th class=\"align-left\">Name</th>",
        "&lt;body&gt;hi &amp; bye&lt;/body&gt;",
    ] {
        assert!(
            features.contains(expected),
            "chapter lacks {expected}:\n{features}"
        );
    }
    assert!(!features.contains("relative.html"), "relative link kept");
    assert!(
        features.contains(" relative link "),
        "relative link's text lost"
    );
    // Headings written with `#` move down under the page title.
    let mission = epub.text("OEBPS/about-xsf-mission.xhtml");
    assert!(mission.contains("<h2 id=\"goals\">Goals</h2>"), "{mission}");
    assert!(
        mission.contains("<h2 id=\"goals-2\">Goals again</h2>"),
        "{mission}"
    );
    let press = epub.text("OEBPS/about-press-kit.xhtml");
    assert!(
        press.contains("<figcaption>XMPP Logo (PNG file, 300 DPI)</figcaption>"),
        "{press}"
    );
    assert_eq!(press.matches("<img ").count(), 3, "{press}");
    assert!(press.contains("nothing here"), "{press}");
    // One rasterised logo for three uses, and the cover.
    let pngs: Vec<_> = epub.names.iter().filter(|n| n.ends_with(".png")).collect();
    assert_eq!(pngs.len(), 2, "{pngs:?}");
    // The figure with neither alt nor caption is reported.
    assert!(
        diags
            .items
            .iter()
            .any(|d| d.message.contains("neither alt text nor a caption")),
        "{:?}",
        diags.items
    );

    // Nav nests headings under chapters; NCX has the uid and real depth.
    let nav = epub.text("OEBPS/nav.xhtml");
    assert!(nav.contains("epub:type=\"landmarks\""));
    for kind in ["cover", "toc", "bodymatter"] {
        assert!(
            nav.contains(&format!("epub:type=\"{kind}\"")),
            "landmark {kind} missing:\n{nav}"
        );
    }
    assert!(nav.contains("about-features.xhtml#open"), "{nav}");
    let ncx = epub.text("OEBPS/toc.ncx");
    assert!(
        ncx.contains("name=\"dtb:uid\" content=\"urn:uuid:"),
        "{ncx}"
    );
    assert!(ncx.contains("name=\"dtb:depth\" content=\"3\""), "{ncx}");
    assert!(ncx.contains("about-features.xhtml#id-2024-plans"), "{ncx}");
}

#[test]
fn same_input_same_bytes() {
    let book = fixture();
    let (a, _) = build(&book);
    let (b, _) = build(&book);
    assert!(a == b, "two builds differ");
}

#[test]
fn identifier_is_stable_across_dates() {
    let mut book = fixture();
    let (a, _) = build(&book);
    book.meta.date = 0;
    let (b, _) = build(&book);
    let id = |bytes: &[u8]| {
        let opf = Epub::read(bytes).text("OEBPS/content.opf");
        let start = opf.find("urn:uuid:").unwrap();
        opf[start..start + 45].to_string()
    };
    assert_eq!(id(&a), id(&b));
}

#[test]
fn fixture_passes_epubcheck() {
    let book = fixture();
    let (bytes, _) = build(&book);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.epub");
    std::fs::write(&path, &bytes).unwrap();
    if let Some((clean, report)) = epubcheck(&path) {
        assert!(clean, "epubcheck findings:\n{report}");
    }
}

#[test]
fn builtin_templates_when_the_project_has_none() {
    let book = fixture();
    let dir = tempfile::tempdir().unwrap();
    let mut options = options();
    options.resources.templates_dir = dir.path().to_path_buf();
    let mut diags = Diagnostics::default();
    let bytes = render(&book, &options, &mut diags).expect("renders with built-in templates");
    check_structure(&bytes, &book);
}

#[test]
fn broken_template_names_file_and_line() {
    let book = fixture();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("epub")).unwrap();
    let page = dir.path().join("epub/page.xhtml");
    std::fs::write(&page, "<html>\n<body>\n{{ body }\n</body></html>\n").unwrap();
    let mut options = options();
    options.resources.templates_dir = dir.path().to_path_buf();
    let err = render(&book, &options, &mut Diagnostics::default()).unwrap_err();
    let d = err
        .downcast_ref::<folio::Diagnostic>()
        .expect("a diagnostic");
    assert_eq!(d.path.as_deref(), Some(page.as_path()));
    assert_eq!(d.line, 3, "{d}");
}

#[test]
fn no_fonts_is_a_warning_not_a_failure() {
    let book = fixture();
    let dir = tempfile::tempdir().unwrap();
    let mut options = options();
    options.resources.fonts_dir = dir.path().to_path_buf();
    let mut diags = Diagnostics::default();
    render(&book, &options, &mut diags).expect("renders without fonts");
    assert!(
        diags
            .items
            .iter()
            .any(|d| d.message.contains("no fonts found")),
        "{:?}",
        diags.items
    );
}

// ---------------------------------------------------------------- real books

/// The default project's EPUB booklet, as `folio build` makes it.
fn default_booklet() -> Book {
    let project = Project::from_config(&project().join("folio.yaml")).expect("folio.yaml loads");
    let options = LoadOptions {
        date: 1_700_000_000,
        ..LoadOptions::default()
    };
    load_book(&project, "about-xmpp", &options)
        .expect("booklet loads")
        .book
}

/// Every page of the xmpp.org corpus beside the crate; `None` after a skip
/// line when `../shared` is missing (a failure under CI).
fn corpus_book() -> Option<Book> {
    let (content, static_dir) = common::corpus()?;
    let project = Project::site(content, Some(static_dir), None);
    let loaded = load_book(&project, "site", &LoadOptions::default()).expect("corpus loads");
    Some(loaded.book)
}

fn check_with_epubcheck(name: &str, book: &Book) {
    let (bytes, _) = build(book);
    check_structure(&bytes, book);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{name}.epub"));
    std::fs::write(&path, &bytes).unwrap();
    if let Some((clean, report)) = epubcheck(&path) {
        assert!(clean, "epubcheck findings for {name}:\n{report}");
    }
}

#[test]
fn default_booklet_reads_back_and_passes_epubcheck() {
    let book = default_booklet();
    assert_eq!(book.pages.len(), 4);
    check_with_epubcheck("about-xmpp", &book);
}

#[test]
fn corpus_reads_back_and_passes_epubcheck() {
    let Some(book) = corpus_book() else {
        return;
    };
    assert_eq!(book.pages.len(), 169);
    check_with_epubcheck("xmpp-org", &book);
}

#[test]
fn markup_in_titles_is_escaped_everywhere() {
    let mut book = fixture();
    book.meta.title = "Tom & Jerry <3 \"quoted\"".into();
    book.meta.subtitle = Some("A <b>bold</b> & risky subtitle".into());
    book.meta.publisher = Some("R&D <Ltd>".into());
    book.pages[0].title = "Q&A <draft>\u{1}".into();
    book.pages[0].description = Some("control \u{7} character".into());
    let (bytes, _) = build(&book);
    let epub = check_structure(&bytes, &book);
    for name in ["OEBPS/content.opf", "OEBPS/toc.ncx", "OEBPS/nav.xhtml"] {
        parse_xml(name, &epub.text(name));
    }
    assert!(
        epub.text("OEBPS/content.opf")
            .contains("Tom &amp; Jerry &lt;3")
    );
    assert!(
        epub.text("OEBPS/nav.xhtml")
            .contains("Q&amp;A &lt;draft&gt;")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("escaped.epub");
    std::fs::write(&path, &bytes).unwrap();
    if let Some((clean, report)) = epubcheck(&path) {
        assert!(clean, "epubcheck findings:\n{report}");
    }
}

#[test]
fn headings_start_at_rank_two_and_skip_none() {
    let mut book = fixture();
    book.pages = vec![page(
        "deep",
        "Deep",
        vec![
            heading(3, "a", "Three"),
            heading(5, "b", "Five"),
            heading(3, "c", "Three again"),
        ],
        vec![],
    )];
    let (bytes, _) = build(&book);
    let epub = check_structure(&bytes, &book);
    let deep = epub.text("OEBPS/deep.xhtml");
    assert!(deep.contains("<h2 id=\"a\">Three</h2>"), "{deep}");
    assert!(deep.contains("<h4 id=\"b\">Five</h4>"), "{deep}");
    assert!(deep.contains("<h2 id=\"c\">Three again</h2>"), "{deep}");
}

#[test]
fn a_book_without_pages_is_an_error() {
    let mut book = fixture();
    book.pages.clear();
    let err = render(&book, &options(), &mut Diagnostics::default()).unwrap_err();
    assert!(err.to_string().contains("no pages"), "{err}");
}

#[test]
fn cover_logo_is_drawn_from_svg_or_png() {
    let book = fixture();
    let cover = |logo: Option<PathBuf>| {
        let mut options = options();
        options.cover_logo = logo;
        let mut diags = Diagnostics::default();
        let bytes = render(&book, &options, &mut diags).unwrap();
        assert!(
            !diags.items.iter().any(|d| d.message.contains("cover logo")),
            "{:?}",
            diags.items
        );
        Epub::read(&bytes).files["OEBPS/images/cover.png"].clone()
    };
    let logos = project().join("content/images/logos");
    let none = cover(None);
    let svg = cover(Some(logos.join("xmpp-logo-text.svg")));
    let png = cover(Some(logos.join("xmpp-logo-text-300dpi.png")));
    assert_ne!(none, svg, "the SVG logo left the cover unchanged");
    assert_ne!(none, png, "the PNG logo left the cover unchanged");
}

#[test]
fn a_missing_cover_logo_is_a_warning() {
    let book = fixture();
    let mut options = options();
    options.cover_logo = Some(project().join("no/such/logo.svg"));
    let mut diags = Diagnostics::default();
    render(&book, &options, &mut diags).expect("renders without the logo");
    assert!(
        diags.items.iter().any(|d| d.message.contains("cover logo")),
        "{:?}",
        diags.items
    );
}

/// Where epubcheck is found, on `fixture_passes_epubcheck` run again in a
/// child: a wrong `EPUBCHECK_JAR` is named in its skip line; the jar by
/// `EPUBCHECK_JAR` with only java on `PATH` runs with no skip.
#[test]
fn epubcheck_is_found_by_epubcheck_jar() {
    let rerun = |jar: &Path, path: &std::ffi::OsStr| {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "fixture_passes_epubcheck"])
            .env("EPUBCHECK_JAR", jar)
            .env("PATH", path)
            .env_remove("CI")
            .env_remove("FOLIO_REQUIRE_VALIDATORS")
            .output()
            .unwrap();
        let all = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{all}");
        assert!(all.contains("1 passed"), "{all}");
        all
    };
    let out = rerun(Path::new("/nonexistent/epubcheck.jar"), "".as_ref());
    assert!(
        out.contains(
            "skipped: epubcheck (EPUBCHECK_JAR=/nonexistent/epubcheck.jar is not a file) not installed"
        ) && out.contains("or set EPUBCHECK_JAR to epubcheck's jar"),
        "{out}"
    );
    // The real jar, when this machine has one, run through EPUBCHECK_JAR.
    let Some(tools) = common::validators(&["epubcheck"], "EPUBCHECK_JAR not tried") else {
        return;
    };
    let cmd = tools.get("epubcheck").command();
    let args: Vec<&std::ffi::OsStr> = cmd.get_args().collect();
    let (Some(java_dir), [_, jar]) = (Path::new(cmd.get_program()).parent(), &args[..]) else {
        // A launcher script, not a jar: nothing to point EPUBCHECK_JAR at.
        return;
    };
    let out = rerun(Path::new(jar), java_dir.as_os_str());
    assert!(!out.contains("skipped: "), "{out}");
}
