//! The navigation: chapters nested under their sections (as deep as the
//! site goes), each with its headings down to the book's contents depth,
//! written by folio for both the EPUB 3 nav document and the EPUB 2 NCX,
//! plus the landmarks. epub-builder's own rendering nests only by heading
//! level and indents every level, so a site of 600 pages made a nav of
//! more than half a megabyte; `fixups` puts these lists in its place.
//!
//! Both lists are built from one flat sequence of entries with levels, by
//! one loop with an explicit stack: no recursion, however deep the site.

use super::escape::{push_attr, push_text, xml_chars};
use super::xhtml::NavHeading;
use crate::model::Labels;

/// One line of the contents: a chapter or one of its headings, at its
/// level in the tree (1: a top-level chapter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NavEntry {
    pub level: usize,
    pub href: String,
    pub label: String,
}

/// The entries of one chapter: its title at `1 + depth` (its nesting under
/// sections), then its headings of rank 2 up to `toc_depth` (the chapter
/// counting as 1) below it.
pub(crate) fn chapter_entries(
    file: &str,
    title: &str,
    depth: usize,
    headings: &[NavHeading],
    toc_depth: u8,
) -> Vec<NavEntry> {
    // A link in the nav must have text: what XML cannot hold is dropped
    // first, and a title left empty shows the file's name.
    let label = |text: &str| xml_chars(text).trim().to_string();
    let level = 1 + depth;
    let title = label(title);
    let mut entries = vec![NavEntry {
        level,
        href: file.to_string(),
        label: if title.is_empty() {
            file.to_string()
        } else {
            title
        },
    }];
    for heading in headings.iter().filter(|h| h.level <= toc_depth) {
        let text = label(&heading.text);
        if !text.is_empty() {
            entries.push(NavEntry {
                level: level + usize::from(heading.level.saturating_sub(1)),
                href: format!("{file}#{}", heading.id),
                label: text,
            });
        }
    }
    entries
}

/// What [`walk`] meets, in document order.
enum Step<'a> {
    /// An entry starts; `true` when it is the first child of the entry
    /// above (whose list opens here).
    Open(&'a NavEntry, bool),
    /// The last entry opened and not closed ends, with everything below
    /// it; `true` when it had children (whose list closes here).
    Close(bool),
}

/// Walks `entries` as a tree, calling `step` as each entry opens and
/// closes. An entry deeper than the one before by more than one level
/// becomes its child all the same.
fn walk<'a>(entries: &'a [NavEntry], mut step: impl FnMut(Step<'a>)) {
    // Levels of the entries open, and whether each has children yet.
    let mut stack: Vec<(usize, bool)> = Vec::new();
    for entry in entries {
        while stack.last().is_some_and(|&(level, _)| level >= entry.level) {
            if let Some((_, children)) = stack.pop() {
                step(Step::Close(children));
            }
        }
        let first_child = match stack.last_mut() {
            Some((_, children)) if !*children => {
                *children = true;
                true
            }
            _ => false,
        };
        step(Step::Open(entry, first_child));
        stack.push((entry.level, false));
    }
    while let Some((_, children)) = stack.pop() {
        step(Step::Close(children));
    }
}

/// The nav document's table of contents: nested `<ol>`s.
pub(crate) fn nav_list(entries: &[NavEntry]) -> String {
    let mut out = String::with_capacity(entries.len() * 80 + 16);
    out.push_str("<ol>\n");
    walk(entries, |step| match step {
        Step::Open(entry, first_child) => {
            if first_child {
                out.push_str("\n<ol>\n");
            }
            out.push_str("<li><a href=\"");
            push_attr(&mut out, &entry.href);
            out.push_str("\">");
            push_text(&mut out, &entry.label);
            out.push_str("</a>");
        }
        Step::Close(children) => {
            if children {
                out.push_str("</ol>\n");
            }
            out.push_str("</li>\n");
        }
    });
    out.push_str("</ol>");
    out
}

/// The NCX's `navPoint`s, nested the same way, numbered in reading order.
pub(crate) fn ncx_points(entries: &[NavEntry]) -> String {
    let mut out = String::with_capacity(entries.len() * 160);
    let mut order = 0usize;
    walk(entries, |step| match step {
        Step::Open(entry, _) => {
            order += 1;
            out.push_str(&format!(
                "<navPoint id=\"navPoint-{order}\" playOrder=\"{order}\"><navLabel><text>"
            ));
            push_text(&mut out, &entry.label);
            out.push_str("</text></navLabel><content src=\"");
            push_attr(&mut out, &entry.href);
            out.push_str("\"/>\n");
        }
        Step::Close(_) => out.push_str("</navPoint>\n"),
    });
    out
}

/// How deep the tree goes (1: top-level chapters only), for the NCX's
/// `dtb:depth`.
pub(crate) fn depth(entries: &[NavEntry]) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<usize> = Vec::new();
    for entry in entries {
        while stack.last().is_some_and(|&level| level >= entry.level) {
            stack.pop();
        }
        stack.push(entry.level);
        deepest = deepest.max(stack.len());
    }
    deepest
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
    labels: &Labels,
) -> Vec<Landmark> {
    let mut marks = Vec::new();
    if let Some(cover) = cover {
        marks.push(Landmark {
            kind: "cover",
            href: cover.to_string(),
            label: labels.get("Cover").to_string(),
        });
    }
    marks.push(Landmark {
        kind: "toc",
        // The nav document itself; it is not in the spine, so a fragment.
        href: "#toc".to_string(),
        label: labels.get(super::TOC_NAME).to_string(),
    });
    if let Some(first) = first_chapter {
        marks.push(Landmark {
            kind: "bodymatter",
            href: first.to_string(),
            label: labels.get("Start of content").to_string(),
        });
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(level: usize, href: &str) -> NavEntry {
        NavEntry {
            level,
            href: href.to_string(),
            label: href.to_uppercase(),
        }
    }

    #[test]
    fn nests_chapters_under_sections_after_their_headings() {
        let entries = [
            e(1, "s"),
            e(2, "s#h"),
            e(2, "c"),
            e(3, "c#h"),
            e(4, "c#h2"),
            e(1, "t"),
        ];
        assert_eq!(
            nav_list(&entries),
            "<ol>\n<li><a href=\"s\">S</a>\n<ol>\n<li><a href=\"s#h\">S#H</a></li>\n\
             <li><a href=\"c\">C</a>\n<ol>\n<li><a href=\"c#h\">C#H</a>\n<ol>\n\
             <li><a href=\"c#h2\">C#H2</a></li>\n</ol>\n</li>\n</ol>\n</li>\n</ol>\n</li>\n\
             <li><a href=\"t\">T</a></li>\n</ol>"
        );
        assert_eq!(depth(&entries), 4);
        let ncx = ncx_points(&entries);
        assert_eq!(ncx.matches("<navPoint ").count(), 6);
        assert_eq!(ncx.matches("</navPoint>").count(), 6);
        assert!(ncx.contains("playOrder=\"6\"><navLabel><text>T</text>"));
    }

    #[test]
    fn a_level_skipped_still_nests_once() {
        let list = nav_list(&[e(1, "a"), e(3, "a#x"), e(2, "b")]);
        assert_eq!(list.matches("<ol>").count(), 2);
        assert_eq!(depth(&[e(1, "a"), e(3, "a#x")]), 2);
    }

    #[test]
    fn deep_sites_need_no_recursion() {
        let entries: Vec<NavEntry> = (1..=100_000).map(|l| e(l, "x")).collect();
        let list = nav_list(&entries);
        assert_eq!(list.matches("<li>").count(), 100_000);
        assert_eq!(depth(&entries), 100_000);
    }

    #[test]
    fn headings_follow_the_depth_and_escape() {
        let headings = [
            NavHeading {
                level: 2,
                id: "a".into(),
                text: "A & B".into(),
            },
            NavHeading {
                level: 3,
                id: "b".into(),
                text: "B".into(),
            },
        ];
        let entries = chapter_entries("p.xhtml", "P\u{1}", 1, &headings, 2);
        assert_eq!(entries.len(), 2);
        assert_eq!((entries[0].level, entries[1].level), (2, 3));
        assert_eq!(entries[0].label, "P");
        assert_eq!(
            chapter_entries("p.xhtml", " \u{1} ", 0, &[], 2)[0].label,
            "p.xhtml"
        );
        assert!(nav_list(&entries).contains(">A &amp; B</a>"));
        assert_eq!(chapter_entries("p.xhtml", "P", 0, &headings, 1).len(), 1);
    }
}
