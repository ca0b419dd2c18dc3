//! The page texts of `folio watch`'s earlier builds: a page's text is a
//! function of the page (after the passes), the book's labels and the
//! wrap width alone, so a page equal to the one kept gets the text kept,
//! and a page edit renders that page only. Equality is the model's own
//! (every field compared), so the text is the one a fresh build writes.

use super::{TextOptions, page_text};
use crate::model::{Book, Labels, Page};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Page texts kept between rebuilds, by book and page id (see
/// `BuildOptions::text_memo`). Only the pages of each book's last build
/// are held.
#[derive(Debug, Default)]
pub struct TextMemo {
    books: Mutex<HashMap<String, Kept>>,
}

/// What one book's last text build rendered.
#[derive(Debug, Default)]
struct Kept {
    labels: Labels,
    wrap: Option<usize>,
    pages: HashMap<String, Arc<(Page, String)>>,
}

impl TextMemo {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Kept>> {
        // A panic elsewhere leaves a map that is still whole.
        self.books.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Number of page texts held, over all books.
    pub fn len(&self) -> usize {
        self.lock().values().map(|k| k.pages.len()).sum()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// For each of `pages` of `book`, the page and text kept under its id
    /// (to be compared with the page: ids are reused), when the book was
    /// last rendered with these `labels` and `options`.
    pub(super) fn candidates(
        &self,
        book: &str,
        pages: &[Page],
        labels: &Labels,
        options: &TextOptions,
    ) -> Vec<Option<Arc<(Page, String)>>> {
        let books = self.lock();
        let kept = books
            .get(book)
            .filter(|k| k.wrap == options.wrap && k.labels == *labels);
        pages
            .iter()
            .map(|page| kept.and_then(|k| k.pages.get(&page.id)).map(Arc::clone))
            .collect()
    }

    /// Keeps `texts` (each page with its text) as `book`'s, in place of
    /// what was kept.
    pub(super) fn keep(
        &self,
        book: &str,
        labels: &Labels,
        options: &TextOptions,
        texts: Vec<Arc<(Page, String)>>,
    ) {
        let pages = texts
            .into_iter()
            .map(|kept| (kept.0.id.clone(), kept))
            .collect();
        let kept = Kept {
            labels: labels.clone(),
            wrap: options.wrap,
            pages,
        };
        self.lock().insert(book.to_string(), kept);
    }
}

/// Each page's text, from `memo` when it holds an equal page (rendered
/// with the same labels and options); `memo` then holds these pages.
pub(super) fn texts(book: &Book, options: &TextOptions, memo: &TextMemo) -> Vec<String> {
    let labels = &book.meta.labels;
    let candidates = memo.candidates(&book.meta.name, &book.pages, labels, options);
    let pairs: Vec<_> = book.pages.iter().zip(candidates).collect();
    let kept = crate::par::par_map(&pairs, |(page, candidate)| match candidate {
        Some(kept) if kept.0 == **page => Arc::clone(kept),
        _ => Arc::new(((*page).clone(), page_text(page, labels, options))),
    });
    let texts = kept.iter().map(|k| k.1.clone()).collect();
    memo.keep(&book.meta.name, labels, options, kept);
    texts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockKind, BookMeta, Inline, Span};

    fn page(id: &str, words: &str) -> Page {
        Page {
            title: id.to_uppercase(),
            blocks: vec![Block {
                id: "b".into(),
                span: Span::default(),
                kind: BlockKind::Paragraph {
                    content: vec![Inline::Text { text: words.into() }],
                },
            }],
            ..Page::stub(id)
        }
    }

    fn book(pages: Vec<Page>) -> Book {
        let meta = BookMeta {
            name: "b".into(),
            ..BookMeta::default()
        };
        Book { meta, pages }
    }

    #[test]
    fn only_pages_that_changed_are_rendered_again() {
        let memo = TextMemo::default();
        let options = TextOptions { wrap: Some(30) };
        let mut one = book(vec![page("a", "Alpha words."), page("b", "Beta words.")]);
        let fresh = |b: &Book, o: &TextOptions| super::super::render(b, o);
        assert_eq!(
            super::super::render_kept(&one, &options, Some(&memo)),
            fresh(&one, &options)
        );
        assert_eq!(memo.len(), 2);
        let kept_a = memo.candidates("b", &one.pages, &one.meta.labels, &options);

        // `b` edited, `a` not: `a`'s text is the one kept, `b`'s is new.
        one.pages[1] = page("b", "Beta, edited.");
        let files = super::super::render_kept(&one, &options, Some(&memo));
        assert_eq!(files, fresh(&one, &options));
        assert!(files.iter().any(|f| f.contents.contains("Beta, edited.")));
        let now = memo.candidates("b", &one.pages, &one.meta.labels, &options);
        let same = |x: &Option<Arc<(Page, String)>>, y: &Option<Arc<(Page, String)>>| matches!((x, y), (Some(x), Some(y)) if Arc::ptr_eq(x, y));
        assert!(same(&kept_a[0], &now[0]), "a kept");
        assert!(!same(&kept_a[1], &now[1]), "b rendered again");

        // Another wrap width: nothing kept applies.
        let wide = TextOptions { wrap: None };
        assert!(
            memo.candidates("b", &one.pages, &one.meta.labels, &wide)
                .iter()
                .all(Option::is_none)
        );
        assert_eq!(
            super::super::render_kept(&one, &wide, Some(&memo)),
            fresh(&one, &wide)
        );

        // A page gone is no longer held.
        one.pages.pop();
        assert_eq!(
            super::super::render_kept(&one, &wide, Some(&memo)),
            fresh(&one, &wide)
        );
        assert_eq!(memo.len(), 1);
    }
}
