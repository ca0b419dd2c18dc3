//! The link index of the last load, kept with what it was made from: a
//! load whose pages have the same ids, URLs, aliases, languages and files
//! in the same order (and the same base URL and content root) updates the
//! anchors of the pages whose bodies changed instead of indexing every
//! page again (which, for a 600-page book, was some 5 % of a one-page
//! rebuild, on one core).

use crate::model::{Book, Page};
use crate::passes::links::LinkIndex;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A link index and what it was made from.
#[derive(Debug)]
pub(super) struct KeptIndex {
    index: LinkIndex,
    base_url: String,
    content_dir: PathBuf,
    pages: Vec<Indexed>,
}

/// What the index read of one page.
#[derive(Debug)]
struct Indexed {
    id: String,
    url: String,
    aliases: Vec<String>,
    lang: String,
    source: PathBuf,
    anchors: Arc<HashSet<String>>,
}

impl Indexed {
    fn of(page: &Page, anchors: &Arc<HashSet<String>>) -> Indexed {
        Indexed {
            id: page.id.clone(),
            url: page.url.clone(),
            aliases: page.aliases.clone(),
            lang: page.lang.clone(),
            source: page.source.clone(),
            anchors: Arc::clone(anchors),
        }
    }

    /// Whether `page` gives the index what this did, anchors aside.
    fn same_place(&self, page: &Page) -> bool {
        self.id == page.id
            && self.url == page.url
            && self.aliases == page.aliases
            && self.lang == page.lang
            && self.source == page.source
    }
}

impl KeptIndex {
    /// The link index of `book` (page `i`'s anchors `anchors[i]`, its
    /// place under the content root `content_dir`): `kept`'s, its anchors
    /// brought up to date, when it indexed the same pages; else made anew.
    pub(super) fn of(
        kept: Option<KeptIndex>,
        book: &Book,
        content_dir: &Path,
        anchors: &[Arc<HashSet<String>>],
    ) -> KeptIndex {
        let same = |k: &KeptIndex| {
            k.base_url == book.meta.base_url
                && k.content_dir == content_dir
                && k.pages.len() == book.pages.len()
                && k.pages
                    .iter()
                    .zip(&book.pages)
                    .all(|(i, p)| i.same_place(p))
        };
        if let Some(mut kept) = kept.filter(same) {
            for (indexed, anchors) in kept.pages.iter_mut().zip(anchors) {
                if !Arc::ptr_eq(&indexed.anchors, anchors) {
                    kept.index.set_anchors(&indexed.id, Arc::clone(anchors));
                    indexed.anchors = Arc::clone(anchors);
                }
            }
            return kept;
        }
        let source_rel = |page: &Page| crate::passes::links::source_rel(page, content_dir);
        let index = LinkIndex::with_anchors(book, &source_rel, anchors.to_vec());
        KeptIndex {
            index,
            base_url: book.meta.base_url.clone(),
            content_dir: content_dir.to_path_buf(),
            pages: book
                .pages
                .iter()
                .zip(anchors)
                .map(|(page, anchors)| Indexed::of(page, anchors))
                .collect(),
        }
    }

    /// The index.
    pub(super) fn index(&self) -> &LinkIndex {
        &self.index
    }
}
