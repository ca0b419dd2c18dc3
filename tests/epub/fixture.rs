//! A small book that uses every kind of node, the awkward cases included:
//! links of every kind (a missing anchor, a relative one), footnotes used
//! twice and missing, a table, code, a quote, a widget, figures with and
//! without text, a missing image, control characters.

use super::project;
use folio::model::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

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

pub fn heading(level: u8, anchor: &str, title: &str) -> Block {
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

pub fn page(id: &str, title: &str, blocks: Vec<Block>, footnotes: Vec<Footnote>) -> Page {
    Page {
        id: id.into(),
        source: PathBuf::from(format!("content/{id}.md")),
        source_rel: PathBuf::from(format!("{id}.md")),
        url: format!("/{id}/"),
        title: title.into(),
        description: Some(format!("About {title} & more")),
        title_lang: None,
        description_lang: None,
        date: None,
        weight: 0,
        draft: false,
        slug: None,
        aliases: vec![],
        front_matter: BTreeMap::new(),
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

fn logo_asset() -> Option<Asset> {
    Some(Asset {
        path: project().join("content/images/logos/xmpp-logo-text.svg"),
        format: AssetFormat::Svg,
    })
}

/// A small book that uses every kind of node, the awkward cases included.
pub fn fixture() -> Book {
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
                BlockKind::Figure(Box::new(Figure {
                    src: "/images/logos/xmpp-logo-text.svg".into(),
                    asset: logo_asset(),
                    width: Some("400".into()),
                    class: Some("mx-auto".into()),
                    ..Figure::default()
                })),
            ),
            heading(2, "logo", "XMPP Logo"),
            block(
                "f2",
                10,
                BlockKind::Figure(Box::new(Figure {
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
                })),
            ),
            block(
                "f3",
                12,
                BlockKind::Figure(Box::new(Figure {
                    src: "/images/logos/xmpp-logo-text-300dpi.png".into(),
                    asset: None,
                    caption: vec![text("XMPP Logo (PNG file, 300 DPI)")],
                    ..Figure::default()
                })),
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
            direction: Default::default(),
            base_url: "https://xmpp.org/".into(),
            date: 1_700_000_000,
            logo: None,
            date_format: None,
            bylines: true,
            toc_pdf: None,
            toc_epub: None,
            page_list: false,
            labels: Default::default(),
        },
        pages: vec![features, mission, press],
    }
}
