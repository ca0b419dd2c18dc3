//! Element ids and chapter file names that are valid in XHTML and unique
//! within their document.
//!
//! epubcheck wants ids to be XML names (no leading digit, no spaces), while
//! Hugo anchors may start with a digit (`2024-roadmap`). Both the element
//! ids and the link fragments go through [`xml_id`], so they always agree.

use crate::model::{Block, BlockKind, ListItem, Page};
use std::collections::{HashMap, HashSet};

/// `raw` as an XML name: characters outside letters, digits, `-`, `_` and
/// `.` become `-`, and a name that does not start with a letter or `_` gets
/// an `id-` prefix.
pub(crate) fn xml_id(raw: &str) -> String {
    let mut id: String = raw
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let starts_well = id
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    if !starts_well {
        id.insert_str(0, "id-");
    }
    id
}

/// A chapter file name (`about-xsf-mission.xhtml`) for a page id: only
/// characters every zip tool and reading system accept.
pub(crate) fn file_stem(page_id: &str) -> String {
    let stem: String = page_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if stem.is_empty() {
        "page".to_string()
    } else {
        stem
    }
}

/// Hands out ids unique within one document: a second `intro` becomes
/// `intro-2`.
#[derive(Debug, Default)]
pub(crate) struct IdSet {
    used: HashSet<String>,
    /// Base -> the last suffix tried for it: every smaller one is taken, so
    /// a page of 20 000 references to one note costs linear time.
    last: HashMap<String, u32>,
}

impl IdSet {
    /// Reserves an id that is not a heading's (the page title, say).
    pub(crate) fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }

    /// A unique id based on `raw` (made an XML name first).
    pub(crate) fn claim(&mut self, raw: &str) -> String {
        let base = xml_id(raw);
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.last.entry(base.clone()).or_insert(1);
        loop {
            *n += 1;
            let candidate = format!("{base}-{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// The id of the chapter's title heading; reserved before any other id.
pub(crate) const TITLE_ID: &str = "title";

/// Every heading of a page in document order (body, then footnotes), with
/// the id it gets in the chapter file. Link resolution and the chapter
/// renderer both use this, so a link's fragment always names an element.
pub(crate) fn heading_ids(page: &Page, ids: &mut IdSet) -> Vec<(String, String)> {
    let mut out = Vec::new();
    ids.reserve(TITLE_ID);
    let mut visit = |block: &Block| {
        if let BlockKind::Heading { anchor, .. } = &block.kind {
            let id = ids.claim(if anchor.is_empty() { &block.id } else { anchor });
            out.push((anchor.clone(), id));
        }
    };
    for block in &page.blocks {
        walk(block, &mut visit);
    }
    for note in &page.footnotes {
        for block in &note.blocks {
            walk(block, &mut visit);
        }
    }
    out
}

/// Calls `f` on `block` and every block inside it, in document order.
pub(crate) fn walk<'a>(block: &'a Block, f: &mut impl FnMut(&'a Block)) {
    f(block);
    match &block.kind {
        BlockKind::List { items, .. } => {
            for ListItem { blocks, .. } in items {
                for b in blocks {
                    walk(b, f);
                }
            }
        }
        BlockKind::Quote { blocks }
        | BlockKind::Container { blocks, .. }
        | BlockKind::Details { blocks, .. } => {
            for b in blocks {
                walk(b, f);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_xml_names() {
        assert_eq!(xml_id("intro"), "intro");
        assert_eq!(xml_id("2024-roadmap"), "id-2024-roadmap");
        assert_eq!(xml_id("a b:c"), "a-b-c");
        assert_eq!(xml_id(""), "id-");
    }

    #[test]
    fn duplicates_get_numbers() {
        let mut ids = IdSet::default();
        assert_eq!(ids.claim("x"), "x");
        assert_eq!(ids.claim("x"), "x-2");
        assert_eq!(ids.claim("x"), "x-3");
        // A suffix reserved under another name is still skipped.
        ids.reserve("y-2");
        assert_eq!(ids.claim("y"), "y");
        assert_eq!(ids.claim("y"), "y-3");
        assert_eq!(ids.claim("x"), "x-4");
    }
}
