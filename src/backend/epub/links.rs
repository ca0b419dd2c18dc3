//! Where every page of the book lives in the EPUB, and what each link's
//! `href` becomes: a chapter file and fragment for a page of the book, an
//! absolute URL on the site for everything else, or no link at all when
//! there is nowhere valid to point (epubcheck fails on a dangling target).

use super::ids::{self, IdSet};
use crate::model::{Book, Link, LinkTarget};
use std::collections::HashMap;

/// One page's place in the EPUB.
#[derive(Debug)]
pub(crate) struct Chapter {
    /// File name inside the package (`about-xsf-mission.xhtml`).
    pub file: String,
    /// Heading anchor as in the model -> element id in the file.
    pub anchors: HashMap<String, String>,
    /// Heading ids in document order (the renderer hands them out in turn).
    pub heading_ids: Vec<String>,
}

/// A link a chapter's body looked up, and the `href` it got (see
/// [`BookIndex::same_lookups`]).
pub(crate) type Lookup = (Link, Option<String>);

/// Every page's chapter, by page id.
#[derive(Debug)]
pub(crate) struct BookIndex {
    chapters: HashMap<String, Chapter>,
    /// Site base URL without the trailing slash (`https://xmpp.org`).
    base: String,
}

impl BookIndex {
    /// Assigns file names and heading ids for every page of `book`.
    pub(crate) fn new(book: &Book) -> BookIndex {
        let mut chapters = HashMap::new();
        let mut files = IdSet::default();
        // Names the package already uses.
        for reserved in ["nav", "cover", "toc"] {
            files.reserve(reserved);
        }
        // Each page's heading ids are its own: found on every core.
        let headings = crate::par::par_map(&book.pages, |page| {
            ids::heading_ids(page, &mut IdSet::default())
        });
        for (page, headings) in book.pages.iter().zip(headings) {
            let file = format!("{}.xhtml", files.claim(&ids::file_stem(&page.id)));
            let mut anchors = HashMap::new();
            for (anchor, id) in &headings {
                if !anchor.is_empty() {
                    anchors.entry(anchor.clone()).or_insert_with(|| id.clone());
                }
            }
            let heading_ids = headings.into_iter().map(|(_, id)| id).collect();
            chapters.insert(
                page.id.clone(),
                Chapter {
                    file,
                    anchors,
                    heading_ids,
                },
            );
        }
        BookIndex {
            chapters,
            base: book.meta.base_url.trim_end_matches('/').to_string(),
        }
    }

    /// The chapter of page `page_id`.
    pub(crate) fn chapter(&self, page_id: &str) -> Option<&Chapter> {
        self.chapters.get(page_id)
    }

    /// The `href` for `link` in the chapter of page `from`, or `None` when
    /// the link has no valid target (its text is kept, unlinked).
    pub(crate) fn href(&self, link: &Link, from: &str) -> Option<String> {
        match &link.target {
            LinkTarget::Internal { page, anchor, url } => match self.chapters.get(page) {
                Some(chapter) => Some(self.chapter_href(chapter, anchor.as_deref())),
                // A page outside this book: its public URL.
                None => self.absolute(url, from),
            },
            LinkTarget::External { url } => self.absolute(url, from),
            LinkTarget::Unresolved | LinkTarget::Ref => self.absolute(&link.href, from),
        }
    }

    /// Whether each of `lookups` (made in the chapter of page `from`) gets
    /// the same `href` in this index: a kept chapter body holds only then.
    pub(crate) fn same_lookups(&self, lookups: &[Lookup], from: &str) -> bool {
        lookups
            .iter()
            .all(|(link, href)| self.href(link, from) == *href)
    }

    fn chapter_href(&self, chapter: &Chapter, anchor: Option<&str>) -> String {
        match anchor.and_then(|a| chapter.anchors.get(a)) {
            Some(id) => format!("{}#{id}", chapter.file),
            // An anchor the page lacks: the page itself is the best target.
            None => chapter.file.clone(),
        }
    }

    /// An absolute URL for `url`: kept when it has a scheme, put on the
    /// site's base URL when site-absolute, resolved in page `from` when a
    /// bare fragment; anything else (a relative path) has no target here.
    fn absolute(&self, url: &str, from: &str) -> Option<String> {
        let url = url.trim();
        if url.is_empty() {
            return None;
        }
        if let Some(fragment) = url.strip_prefix('#') {
            let chapter = self.chapters.get(from)?;
            return Some(self.chapter_href(chapter, Some(fragment)));
        }
        if let Some(rest) = url.strip_prefix("//") {
            return Some(clean_url(&format!("https://{rest}")));
        }
        if url.starts_with('/') {
            if self.base.is_empty() {
                return None;
            }
            return Some(clean_url(&format!("{}{url}", self.base)));
        }
        match scheme(url) {
            // Script URLs do nothing useful in a book and fail stores' checks.
            Some(s) if s.eq_ignore_ascii_case("javascript") => None,
            Some(_) => Some(clean_url(url)),
            None => None,
        }
    }
}

/// The URL scheme (`https`, `mailto`, `xmpp`) if `url` starts with one.
fn scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let s = &url[..colon];
    let mut chars = s.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then_some(s)
}

/// Percent-encodes the characters a URL may not contain as they are
/// (spaces, quotes, angle brackets), which epubcheck reports.
fn clean_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            '^' => out.push_str("%5E"),
            '`' => out.push_str("%60"),
            '{' => out.push_str("%7B"),
            '|' => out.push_str("%7C"),
            '}' => out.push_str("%7D"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BookMeta, Link};

    fn index() -> BookIndex {
        BookIndex::new(&Book {
            meta: BookMeta {
                base_url: "https://xmpp.org/".into(),
                ..BookMeta::default()
            },
            pages: vec![],
        })
    }

    fn unresolved(href: &str) -> Link {
        Link {
            href: href.into(),
            target: LinkTarget::Unresolved,
        }
    }

    #[test]
    fn site_links_become_absolute() {
        let i = index();
        assert_eq!(
            i.href(&unresolved("/about/faq/"), "x").as_deref(),
            Some("https://xmpp.org/about/faq/")
        );
        assert_eq!(
            i.href(&unresolved("mailto:a@b.c"), "x").as_deref(),
            Some("mailto:a@b.c")
        );
        assert_eq!(i.href(&unresolved("faq.html"), "x"), None);
        assert_eq!(i.href(&unresolved("javascript:alert(1)"), "x"), None);
        assert_eq!(
            i.href(&unresolved("https://a.b/c d"), "x").as_deref(),
            Some("https://a.b/c%20d")
        );
    }
}
