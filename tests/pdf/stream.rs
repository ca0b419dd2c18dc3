//! Pages written as they are laid out (issue 12): a link to a heading in a
//! later chapter, not placed when the link's page is written, still goes
//! to the heading's page; the contents, counted ahead and set last, give
//! every chapter's page right when they take more than one page.

use super::fixture::{block, fixture, page, para, t};
use super::{common, options, render};
use folio::Diagnostics;
use folio::model::*;
use lopdf::{Document, Object, ObjectId};
use regex::Regex;

/// Renders `book`: its lopdf document and its text by page, from
/// `pdftotext -layout`; `None` (after a skip line) without pdftotext.
fn build(book: &Book) -> Option<(Document, Vec<String>)> {
    let tools = common::validators(
        &["pdftotext"],
        "where pages landed is read with pdftotext: page numbers unchecked",
    )?;
    let mut diags = Diagnostics::default();
    let bytes = render(book, &options(None), &mut diags).expect("renders");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let p = path.to_str().unwrap();
    let (ok, text) = tools.run("pdftotext", &["-layout", "-enc", "UTF-8", p, "-"]);
    assert!(ok, "{text}");
    let pages = text.split('\u{c}').map(str::to_string).collect();
    Some((Document::load_mem(&bytes).expect("lopdf reads it"), pages))
}

/// The 1-based number of the first page at or after `from` whose text
/// holds `needle`.
fn page_with(pages: &[String], needle: &str, from: usize) -> usize {
    pages
        .iter()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, p)| p.contains(needle))
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("no page holds `{needle}`"))
}

/// A paragraph of `n` sentences.
fn long_para(n: usize) -> Block {
    let text = "Federated servers exchange presence and messages across domains. ".repeat(n);
    para(vec![t(&text)])
}

fn internal_link(text: &str, page: &str, anchor: &str) -> Inline {
    Inline::Link {
        link: Link {
            href: format!("/{page}/#{anchor}"),
            target: LinkTarget::Internal {
                page: page.into(),
                anchor: Some(anchor.into()),
                url: format!("https://example.org/{page}/#{anchor}"),
            },
        },
        title: None,
        content: vec![t(text)],
    }
}

/// The internal destinations of the link annotations on page `page`:
/// (target page object, top).
fn dests_on(doc: &Document, page: ObjectId) -> Vec<(ObjectId, f32)> {
    let mut out = Vec::new();
    for id in doc.get_page_annotations(page).unwrap_or_default() {
        let Some(Ok(dest)) = id.get(b"Dest").ok().map(|d| d.as_array()) else {
            continue;
        };
        let target = dest.first().and_then(|o| o.as_reference().ok());
        let top = match dest.get(3) {
            Some(Object::Real(v)) => *v,
            Some(Object::Integer(v)) => *v as f32,
            _ => f32::NAN,
        };
        if let Some(target) = target {
            out.push((target, top));
        }
    }
    out
}

#[test]
fn a_link_to_a_later_chapter_lands_on_its_heading_page() {
    let mut book = fixture();
    let heading = block(
        "goal",
        BlockKind::Heading {
            level: 2,
            anchor: "goal".into(),
            classes: Vec::new(),
            content: vec![t("Zanzibar destination")],
        },
    );
    book.pages = vec![
        page(
            "first",
            "First chapter",
            vec![para(vec![
                t("Before the link "),
                internal_link("quokka jump", "last", "goal"),
                t(" after it."),
            ])],
            Vec::new(),
        ),
        // Several pages between the link and its target.
        page(
            "middle",
            "Middle chapter",
            (0..12).map(|_| long_para(12)).collect(),
            Vec::new(),
        ),
        page(
            "last",
            "Last chapter",
            vec![long_para(3), heading, long_para(3)],
            Vec::new(),
        ),
    ];
    let Some((doc, pages)) = build(&book) else {
        return;
    };
    let from = page_with(&pages, "quokka jump", 1);
    let to = page_with(&pages, "Zanzibar destination", from + 1);
    let middle = page_with(&pages, "Middle chapter", from + 1);
    assert!(
        to > middle + 1,
        "the target is chapters and pages after the link"
    );
    let ids = doc.get_pages();
    let dests = dests_on(&doc, ids[&(from as u32)]);
    let target = ids[&(to as u32)];
    let hits: Vec<_> = dests.iter().filter(|(p, _)| *p == target).collect();
    assert_eq!(hits.len(), 1, "one link to page {to}: {dests:?}");
    // Not the page's top: the heading is below two long paragraphs.
    let (_, height) = super::read::page_size(&doc);
    assert!(
        hits[0].1 > 0.0 && hits[0].1 < height - 100.0,
        "{:?}",
        hits[0]
    );
}

#[test]
fn contents_over_several_pages_number_every_chapter_right() {
    let mut book = fixture();
    // 90 chapters of one to three pages: the contents take several pages,
    // so the chapters' page numbers depend on how many.
    book.pages = (1..=90)
        .map(|i| {
            let mut blocks: Vec<Block> = (0..(i % 3) * 4).map(|_| long_para(10)).collect();
            // Headings have entries too (counted ahead from the model).
            if i % 3 == 0 {
                blocks.push(block(
                    "h",
                    BlockKind::Heading {
                        level: 2,
                        anchor: format!("part-{i}"),
                        classes: Vec::new(),
                        content: vec![t(&format!("Part {i} detail"))],
                    },
                ));
                blocks.push(long_para(2));
            }
            page(
                &format!("c{i}"),
                &format!("Topic {i} heading"),
                blocks,
                Vec::new(),
            )
        })
        .collect();
    let Some((_, pages)) = build(&book) else {
        return;
    };
    let entry = Regex::new(r"^\s*Topic (\d+) heading[ .]*\s(\d+)\s*$").unwrap();
    let mut listed = std::collections::BTreeMap::new();
    // The contents start on page 2; the chapters after their last entry.
    let mut last_contents = 0;
    for (i, page) in pages.iter().enumerate() {
        for line in page.lines() {
            if let Some(c) = entry.captures(line) {
                listed.insert(
                    c[1].parse::<usize>().unwrap(),
                    c[2].parse::<usize>().unwrap(),
                );
                last_contents = i + 1;
            }
        }
    }
    assert!(
        last_contents >= 3,
        "the contents end on page {last_contents}"
    );
    assert_eq!(listed.len(), 90, "{listed:?}");
    let first_chapter = last_contents + 1;
    for (i, number) in listed {
        let found = page_with(&pages, &format!("Topic {i} heading"), first_chapter);
        assert_eq!(number, found, "the contents give Topic {i} page {number}");
    }
}
