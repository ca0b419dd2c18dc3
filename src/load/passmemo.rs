//! The pass memo of `folio watch`: each page as the links and URLs passes
//! left it, with the warnings each gave for it, taken again on the next
//! rebuild instead of running those passes over every page.
//!
//! Both passes are a function of the page alone and a few book-wide
//! inputs (`links::resolve_page`, `urls::run_page`): the page (its parse,
//! the same shared entry of the parse cache, and every field set around
//! it: id, URL, language, title…), the look-ups its links make in the
//! link index of the whole book (every page's URLs, aliases, source path,
//! language and anchors), the book's labels and the content root. A
//! page's result is taken only when all of these are the last load's, its
//! look-ups made again in this load's index giving the same targets and
//! problems (comparing whole indexes would pass every page again on any
//! new paragraph: each block id is an anchor); the rest runs as it would.
//! The structure and assets passes read the whole book at once (sections
//! and their lists, each image file warned about once) and always run in
//! full.
//!
//! Warnings come out as a fresh run gives them: each pass warns page by
//! page in book order, then the next pass; so the memo keeps them per page
//! per pass and replays links' for every page, then URLs'.

use super::cache::ParsedPage;
use crate::diag::Diagnostics;
use crate::limits::Limits;
use crate::model::{Book, Labels, Page};
use crate::passes::links::{self, LinkIndex, Lookup};
use crate::passes::{self, urls};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

mod index;
#[cfg(test)]
mod tests;

use index::KeptIndex;

/// One book's pages after the links and URLs passes, and what they read.
#[derive(Debug, Default)]
pub(crate) struct BookMemo {
    /// The book-wide inputs of the last load.
    inputs: Option<Inputs>,
    /// Each page by (source file, place under the content root).
    pages: HashMap<(PathBuf, PathBuf), PageMemo>,
    /// The link index of the last load.
    index: Option<KeptIndex>,
}

/// What the memoised passes read besides the page itself and its look-ups
/// in the link index.
#[derive(Debug, PartialEq)]
struct Inputs {
    labels: Labels,
    content_dir: PathBuf,
    /// Not read by these passes; compared so that a memo never outlives a
    /// change of roots or limits, whatever a pass comes to read.
    static_dir: PathBuf,
    limits: Limits,
}

/// One page before and after the memoised passes.
#[derive(Debug)]
struct PageMemo {
    /// The parse its body came from (the same `Arc`: the same parse).
    parsed: Arc<ParsedPage>,
    /// The anchors of that body (kept for as long as the parse is).
    anchors: Arc<HashSet<String>>,
    /// The page before the passes, without its body.
    shell: Page,
    /// The page after the links and URLs passes.
    passed: Arc<Page>,
    /// A copy of it made ahead, for the next load to take.
    spare: Spare,
    /// What its links looked up in the index, and found.
    lookups: Vec<Lookup>,
    /// What the links pass warned about on it, then the URLs pass.
    links: Diagnostics,
    urls: Diagnostics,
}

/// A page's copy of its passed form, made ahead on a thread of its own
/// once a load is done (see [`copy_ahead`]): the next load takes it
/// rather than cloning the page on its way, which was some 8 % of a
/// one-page rebuild of a 600-page book.
type Spare = Arc<Mutex<Option<Page>>>;

/// What became of one page: its warnings per pass, and its new memo
/// (`None`: the old one holds).
struct Outcome {
    links: Diagnostics,
    urls: Diagnostics,
    new: Option<(Page, Arc<Page>, Vec<Lookup>)>,
}

/// Runs every pass over `book` (as `passes::run` does), page `i`'s body
/// being `bodies[i]` (its blocks and footnotes still empty in `book`):
/// the links and URLs passes from `memo` for every page it holds
/// unchanged, then structure and assets in full. `memo` is then the
/// memo of this load. Returns how many pages went through the passes and
/// how many were taken from the memo.
pub(crate) fn run(
    memo: &mut BookMemo,
    book: &mut Book,
    bodies: &[Arc<ParsedPage>],
    roots: (&Path, &Path),
    limits: &Limits,
    diags: &mut Diagnostics,
) -> (usize, usize) {
    let (content_dir, static_dir) = roots;
    let key = |page: &Page| (page.source.clone(), page.source_rel.clone());
    let prior: Vec<Option<&PageMemo>> = book
        .pages
        .iter()
        .zip(bodies)
        .map(|(page, body)| {
            memo.pages
                .get(&key(page))
                .filter(|m| Arc::ptr_eq(&m.parsed, body))
        })
        .collect();
    // Anchors: the only part of the index read from the body.
    let anchors: Vec<Arc<HashSet<String>>> = crate::par::par_map(
        &bodies.iter().zip(&prior).collect::<Vec<_>>(),
        |(body, prior)| match prior {
            Some(m) => Arc::clone(&m.anchors),
            None => Arc::new(links::anchors_of(&body.body.blocks, &body.body.footnotes)),
        },
    );
    let source_rel = |page: &Page| links::source_rel(page, content_dir);
    let kept_index = KeptIndex::of(memo.index.take(), book, content_dir, &anchors);
    let index = kept_index.index();
    let inputs = Inputs {
        labels: book.meta.labels.clone(),
        content_dir: content_dir.to_path_buf(),
        static_dir: static_dir.to_path_buf(),
        limits: *limits,
    };
    let same = memo.inputs.as_ref() == Some(&inputs);
    let mut jobs: Vec<(&mut Page, &Arc<ParsedPage>, Option<&PageMemo>)> = book
        .pages
        .iter_mut()
        .zip(bodies)
        .zip(prior)
        .map(|((page, body), prior)| (page, body, prior.filter(|_| same)))
        .collect();
    let outcomes = crate::par::par_map_mut(&mut jobs, |(page, body, prior)| {
        let rel = source_rel(page);
        pass_page(page, body, *prior, index, &inputs.labels, &rel)
    });
    drop(jobs);
    // As a fresh run warns: every page's links, then every page's URLs.
    for outcome in &outcomes {
        diags.extend(outcome.links.clone());
    }
    for outcome in &outcomes {
        diags.extend(outcome.urls.clone());
    }
    let taken = outcomes.iter().filter(|o| o.new.is_none()).count();
    let old = std::mem::take(&mut memo.pages);
    memo.pages = kept(old, book, bodies, anchors, outcomes);
    copy_ahead(&memo.pages);
    memo.inputs = Some(inputs);
    memo.index = Some(kept_index);
    passes::run_book_wide(book, content_dir, static_dir, limits, diags);
    (book.pages.len() - taken, taken)
}

/// Page `page` (before the passes, its body `body`) after the links and
/// URLs passes: `prior`'s result when it was this page and its links
/// look up the same in `index`; else the passes run.
fn pass_page(
    page: &mut Page,
    body: &ParsedPage,
    prior: Option<&PageMemo>,
    index: &LinkIndex,
    labels: &Labels,
    rel: &Path,
) -> Outcome {
    let same =
        |m: &&PageMemo| m.shell == *page && links::same_lookups(&m.lookups, page, index, rel);
    if let Some(m) = prior.filter(same) {
        let spare = m.spare.lock().unwrap_or_else(|e| e.into_inner()).take();
        *page = spare.unwrap_or_else(|| Page::clone(&m.passed));
        return Outcome {
            links: m.links.clone(),
            urls: m.urls.clone(),
            new: None,
        };
    }
    let shell = page.clone();
    page.blocks.clone_from(&body.body.blocks);
    page.footnotes.clone_from(&body.body.footnotes);
    let mut found = Outcome {
        links: Diagnostics::default(),
        urls: Diagnostics::default(),
        new: None,
    };
    let mut lookups = Vec::new();
    links::resolve_page(page, index, rel, &mut found.links, Some(&mut lookups));
    urls::run_page(page, labels, &mut found.urls);
    found.new = Some((shell, Arc::new(page.clone()), lookups));
    found
}

/// The memo of this load: each page's new memo, or its old one (`old`)
/// when it was taken from it.
fn kept(
    mut old: HashMap<(PathBuf, PathBuf), PageMemo>,
    book: &Book,
    bodies: &[Arc<ParsedPage>],
    anchors: Vec<Arc<HashSet<String>>>,
    outcomes: Vec<Outcome>,
) -> HashMap<(PathBuf, PathBuf), PageMemo> {
    let mut pages = HashMap::with_capacity(book.pages.len());
    let each = book.pages.iter().zip(bodies).zip(anchors).zip(outcomes);
    for (((page, body), anchors), outcome) in each {
        let key = (page.source.clone(), page.source_rel.clone());
        let memo = match outcome.new {
            Some((shell, passed, lookups)) => PageMemo {
                parsed: Arc::clone(body),
                anchors,
                shell,
                passed,
                spare: Spare::default(),
                lookups,
                links: outcome.links,
                urls: outcome.urls,
            },
            // Two pages of one key: the second is passed next time.
            None => match old.remove(&key) {
                Some(memo) => memo,
                None => continue,
            },
        };
        pages.insert(key, memo);
    }
    pages
}

/// Makes, on a thread of its own, a spare copy of each passed page of
/// `pages` that has none (a load took it, or the page is new). A load
/// that comes first clones the page itself; a copy made late is only
/// memory. When no thread can be started, there are no spares.
fn copy_ahead(pages: &HashMap<(PathBuf, PathBuf), PageMemo>) {
    let jobs: Vec<(Arc<Page>, Spare)> = pages
        .values()
        .filter(|m| m.spare.lock().is_ok_and(|s| s.is_none()))
        .map(|m| (Arc::clone(&m.passed), Arc::clone(&m.spare)))
        .collect();
    if jobs.is_empty() {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("folio-copy".into())
        .spawn(move || {
            for (page, spare) in jobs {
                let copy = Page::clone(&page);
                *spare.lock().unwrap_or_else(|e| e.into_inner()) = Some(copy);
            }
        });
}
