//! The navigation: each chapter with its headings, nested by level, for
//! both the EPUB 3 nav document and the EPUB 2 NCX (epub-builder writes both
//! from one tree), plus the landmarks.

use super::escape::xml_chars;
use super::xhtml::NavHeading;
use epub_builder::TocElement;

/// The TOC entry of one chapter: its title, then its headings down to
/// `depth` levels (the chapter itself counting as level 1).
pub(crate) fn chapter_entry(
    file: &str,
    title: &str,
    headings: &[NavHeading],
    depth: u8,
) -> TocElement {
    let mut entry = TocElement::new(file, xml_chars(title)).level(1);
    for heading in headings.iter().filter(|h| h.level <= depth) {
        // `add` nests an entry under the last one of a lower level.
        entry.add(
            TocElement::new(format!("{file}#{}", heading.id), xml_chars(&heading.text))
                .level(i32::from(heading.level)),
        );
    }
    entry
}

/// One landmark: an `epub:type`, a target, a label.
#[derive(Debug, Clone)]
pub(crate) struct Landmark {
    pub kind: &'static str,
    pub href: String,
    pub label: String,
}

/// Cover, table of contents and start of the body matter.
pub(crate) fn landmarks(
    cover: Option<&str>,
    first_chapter: Option<&str>,
    toc_label: &str,
) -> Vec<Landmark> {
    let mut marks = Vec::new();
    if let Some(cover) = cover {
        marks.push(Landmark {
            kind: "cover",
            href: cover.to_string(),
            label: "Cover".to_string(),
        });
    }
    marks.push(Landmark {
        kind: "toc",
        // The nav document itself; it is not in the spine, so a fragment.
        href: "#toc".to_string(),
        label: toc_label.to_string(),
    });
    if let Some(first) = first_chapter {
        marks.push(Landmark {
            kind: "bodymatter",
            href: first.to_string(),
            label: "Start of content".to_string(),
        });
    }
    marks
}

/// How deep the TOC tree goes (1 = chapters only), for the NCX's
/// `dtb:depth`.
pub(crate) fn depth(entries: &[TocElement]) -> usize {
    entries
        .iter()
        .map(|e| 1 + depth(&e.children))
        .max()
        .unwrap_or(0)
}
