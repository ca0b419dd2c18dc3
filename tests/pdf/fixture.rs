//! A hand-built book with every block kind, awkward text (quotes, ligatures,
//! Greek, an emoji no font has, soft hyphens), a long table, images (SVG,
//! JPEG, a missing one), a footnote and links between its two chapters.

use super::{DATE, common};
use folio::model::*;
use std::path::PathBuf;

fn span(line: u32) -> Span {
    Span {
        line,
        end_line: line,
    }
}

pub fn t(s: &str) -> Inline {
    Inline::Text { text: s.into() }
}

pub fn block(id: &str, kind: BlockKind) -> Block {
    Block {
        id: id.into(),
        span: span(1),
        kind,
    }
}

pub fn para(content: Vec<Inline>) -> Block {
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

pub fn page(id: &str, title: &str, blocks: Vec<Block>, footnotes: Vec<Footnote>) -> Page {
    Page {
        id: id.into(),
        source: PathBuf::from(format!("content/{id}.md")),
        source_rel: PathBuf::from(format!("{id}.md")),
        url: format!("/{id}/"),
        title: title.into(),
        description: None,
        title_lang: None,
        description_lang: None,
        date: None,
        weight: 0,
        draft: false,
        slug: None,
        aliases: Vec::new(),
        front_matter: Default::default(),
        blocks,
        footnotes,
        body_line: 1,
        lang: "en".into(),
        date_parsed: None,
        authors: Vec::new(),
        byline: None,
        parent: None,
        depth: 0,
        section: false,
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

pub fn fixture() -> Book {
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
            t(", Greek αβγ, an arrow → and a face 😀, an unassigned \u{378}; 10\u{a0}000 users, a soft\u{ad}hyphenated word."),
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
            BlockKind::Figure(Box::new(Figure {
                src: "/images/logos/xmpp-logo-text.svg".into(),
                asset: Some(logo),
                caption: vec![t("The logo, rasterised")],
                width: Some("300".into()),
                ..Figure::default()
            })),
        ),
        block(
            "j",
            BlockKind::Figure(Box::new(Figure {
                src: "/images/photo.jpg".into(),
                asset: Some(jpeg_asset()),
                caption: vec![t("A photograph")],
                width: Some("120".into()),
                ..Figure::default()
            })),
        ),
        block(
            "m",
            BlockKind::Figure(Box::new(Figure {
                src: "/images/missing.png".into(),
                asset: None,
                caption: vec![t("A missing picture")],
                ..Figure::default()
            })),
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
            direction: Default::default(),
            base_url: "https://example.org/".into(),
            date: DATE,
            logo: None,
            date_format: None,
            bylines: true,
            toc_pdf: None,
            toc_epub: None,
            page_list: false,
            labels: Default::default(),
        },
        pages: vec![
            page("first", "First Chapter", blocks, vec![note]),
            page("second", "Second Chapter", second, vec![]),
        ],
    }
}
