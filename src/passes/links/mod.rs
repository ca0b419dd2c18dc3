//! Link resolution: a pure function from an href, the page it is on and an
//! index of the book's pages to a [`LinkTarget`].
//!
//! - `#anchor`: this page; the anchor must exist.
//! - `/about/faq/` (site-absolute), `../faq/` (relative to the page URL),
//!   `faq.md` (relative to the source file) and `https://<base>/about/faq/`:
//!   a page of this book becomes an internal link (anchor checked); anything
//!   else becomes an absolute URL on the base URL.
//! - Any other scheme (`https:`, `mailto:`, `xmpp:`) stays as it is.
//! - A Hugo `ref`/`relref` ([`LinkTarget::Ref`]) names a content file, not
//!   a URL ([`LinkIndex::resolve_ref`], in `refs.rs`).
//! - A link the parser resolved already (the note pointing to the website)
//!   is left as it is.
//!
//! A page is found by its URL in every form a site writes it (with or
//! without the trailing slash, `index.html`, `page.html` for `/page/`,
//! percent-encoded, `http:` or `https:` on the base URL) and by its
//! aliases (a relative alias is relative to the page's folder). Links
//! resolve within the linking page's language first: `faq.md` from a
//! German page is `faq.de.md` when the book has it, and `/about/` from a
//! page under `/de/` is `/de/about/` when the book has that.

use crate::diag::Diagnostics;
use crate::model::{
    BlockKind, Book, Inline, Link, LinkTarget, Page, for_each_block_mut, for_each_inline_mut,
};
use paths::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod paths;
mod refs;
#[cfg(test)]
mod tests;

/// What the resolver knows about the book's pages.
#[derive(Debug, Default)]
pub struct LinkIndex {
    /// Normalised URL path (`/about/faq/`) or alias → page id.
    by_url: HashMap<String, String>,
    /// Source path relative to the content root → page id.
    by_source: HashMap<PathBuf, String>,
    /// (Source path without its language suffix, language) → page id.
    by_translation: HashMap<(PathBuf, String), String>,
    /// Page id → (its language, lower-case; its URL's language prefix,
    /// `/de`, or empty).
    languages: HashMap<String, (String, String)>,
    /// Page id → the anchors it defines.
    anchors: HashMap<String, Arc<HashSet<String>>>,
    /// Page id → public URL path.
    urls: HashMap<String, String>,
    /// Content path without extension, lower-cased (`about/faq`; a bundle
    /// or section also by its folder) → page ids, for `ref`.
    by_content: HashMap<String, Vec<String>>,
    /// Last component of that path (`faq`) → page ids, for `ref "faq"`.
    by_name: HashMap<String, Vec<String>>,
    /// Page id → its language, to pick among translations.
    langs: HashMap<String, String>,
    base_url: String,
}

/// Where a link was found, for resolving relative hrefs.
#[derive(Debug, Clone, Copy)]
pub struct From<'a> {
    pub page_id: &'a str,
    pub url: &'a str,
    /// Source path relative to the content root.
    pub source_rel: &'a Path,
}

/// Why a link is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    MissingAnchor {
        page_url: String,
        anchor: String,
    },
    MissingFile(String),
    /// A `ref` to no page of the book.
    MissingRef,
    /// A `ref` by a name several pages have: their source paths.
    AmbiguousRef(Vec<String>),
}

impl LinkIndex {
    /// Indexes `book`'s pages; `content_rel` maps a page to its source path
    /// relative to the content root.
    pub fn new(book: &Book, content_rel: &dyn Fn(&Page) -> PathBuf) -> LinkIndex {
        // Every block id of every page: the largest part, on every core.
        let anchors = crate::par::par_map(&book.pages, |page| Arc::new(page_anchors(page)));
        LinkIndex::with_anchors(book, content_rel, anchors)
    }

    /// [`LinkIndex::new`] with each page's anchors known already
    /// (`anchors[i]`, [`page_anchors`] of page `i`): the pages' blocks are
    /// not read.
    pub fn with_anchors(
        book: &Book,
        content_rel: &dyn Fn(&Page) -> PathBuf,
        anchors: Vec<Arc<HashSet<String>>>,
    ) -> LinkIndex {
        let mut index = LinkIndex {
            base_url: book.meta.base_url.clone(),
            ..LinkIndex::default()
        };
        for (page, anchors) in book.pages.iter().zip(anchors) {
            index
                .by_url
                .insert(normalize_path(&page.url), page.id.clone());
            for alias in &page.aliases {
                index
                    .by_url
                    .entry(normalize_path(&alias_path(&page.url, alias)))
                    .or_insert_with(|| page.id.clone());
            }
            let rel = content_rel(page);
            let lang = page.lang.to_lowercase();
            let (canonical, suffix) = without_language(&rel, &lang);
            if suffix {
                index
                    .by_translation
                    .insert((canonical.clone(), lang.clone()), page.id.clone());
            }
            index
                .by_translation
                .entry((canonical, lang.clone()))
                .or_insert_with(|| page.id.clone());
            let prefix = url_prefix(&page.url, &lang);
            index.languages.insert(page.id.clone(), (lang, prefix));
            index.add_content_path(&rel, page);
            index.by_source.insert(rel, page.id.clone());
            index.urls.insert(page.id.clone(), page.url.clone());
            index.anchors.insert(page.id.clone(), anchors);
        }
        index
    }

    /// Sets page `page_id`'s anchors to `anchors`, the rest of the index
    /// as it is: what [`LinkIndex::with_anchors`] gives when only anchors
    /// changed. A page the index does not hold is left out.
    pub fn set_anchors(&mut self, page_id: &str, anchors: Arc<HashSet<String>>) {
        if let Some(kept) = self.anchors.get_mut(page_id) {
            *kept = anchors;
        }
    }

    /// Resolves one href found on page `from`.
    pub fn resolve(&self, href: &str, from: From<'_>) -> Result<LinkTarget, (LinkTarget, Problem)> {
        let href = href.trim();
        if let Some(anchor) = href.strip_prefix('#') {
            return self.internal(from.page_id, Some(anchor));
        }
        if href.starts_with("//") {
            return Ok(LinkTarget::External {
                url: format!("https:{href}"),
            });
        }
        if let Some(rest) = self.strip_base(href) {
            return self.site_path(&format!("/{rest}"), from);
        }
        if has_scheme(href) {
            return Ok(LinkTarget::External {
                url: href.to_string(),
            });
        }
        if href.starts_with('/') {
            return self.site_path(href, from);
        }
        // Relative: a Markdown file next to the source, else a path against the page URL.
        let (path, fragment) = split_fragment(href);
        if path.ends_with(".md") || path.ends_with(".markdown") {
            let dir = from.source_rel.parent().unwrap_or(Path::new(""));
            let target = normalize_fs(&dir.join(path));
            return match self.by_file(&target, from) {
                Some(id) => self.internal(id, fragment),
                None => {
                    let url = self.public(path.trim_start_matches('/'));
                    Err((
                        LinkTarget::External { url },
                        Problem::MissingFile(target.display().to_string()),
                    ))
                }
            };
        }
        let joined = join_url(from.url, href);
        self.site_path(&joined, from)
    }

    /// A site-absolute path (with optional `?query` and `#fragment`).
    fn site_path(&self, href: &str, from: From<'_>) -> Result<LinkTarget, (LinkTarget, Problem)> {
        let (path, fragment) = split_fragment(href);
        let (path_only, query) = match path.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path, None),
        };
        if query.is_none()
            && let Some(id) = self.by_path(path_only, from)
        {
            return self.internal(id, fragment);
        }
        Ok(LinkTarget::External {
            url: self.public(href.trim_start_matches('/')),
        })
    }

    /// The page at site path `path`, in the linking page's language first.
    fn by_path(&self, path: &str, from: From<'_>) -> Option<&String> {
        let path = normalize_path(&percent_decode(path));
        // `/about/faq.html` as Hugo's `uglyURLs` would write `/about/faq/`.
        let ugly = path
            .strip_suffix(".html")
            .or(path.strip_suffix(".htm"))
            .map(|stem| format!("{stem}/"));
        let forms: Vec<String> = std::iter::once(path.clone()).chain(ugly).collect();
        let prefix = self
            .languages
            .get(from.page_id)
            .map(|(_, prefix)| prefix.as_str())
            .unwrap_or_default();
        let own_language = forms
            .iter()
            .filter(|_| !prefix.is_empty())
            .filter(|form| !form.starts_with(&format!("{prefix}/")))
            .map(|form| format!("{prefix}{form}"));
        let candidates: Vec<String> = own_language.chain(forms.iter().cloned()).collect();
        candidates.iter().find_map(|form| self.by_url.get(form))
    }

    /// The page whose source is `target` (relative to the content root),
    /// the linking page's translation of it first.
    fn by_file(&self, target: &Path, from: From<'_>) -> Option<&String> {
        let lang = self
            .languages
            .get(from.page_id)
            .map(|(lang, _)| lang.clone())
            .unwrap_or_default();
        let (canonical, _) = without_language(target, &lang);
        self.by_translation
            .get(&(canonical, lang))
            .or_else(|| self.by_source.get(target))
    }

    /// `rest` of a site path on the base URL (site-relative when the base
    /// URL is unknown).
    fn public(&self, rest: &str) -> String {
        if self.base_url.is_empty() {
            format!("/{rest}")
        } else {
            format!("{}{rest}", self.base_url)
        }
    }

    /// `href` without the base URL, if it starts with it: the scheme
    /// (`http:` or `https:`) and the host's case do not matter.
    fn strip_base<'h>(&self, href: &'h str) -> Option<&'h str> {
        let base = self.base_url.as_str();
        if base.is_empty() {
            return None;
        }
        let after_scheme = |url: &str| -> Option<usize> {
            let (scheme, _) = url.split_once("://")?;
            matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https")
                .then_some(scheme.len() + 3)
        };
        let (Some(b), Some(h)) = (after_scheme(base), after_scheme(href)) else {
            return None;
        };
        let base_rest = base.get(b..)?;
        let href_rest = href.get(h..)?;
        if let Some(head) = href_rest.get(..base_rest.len())
            && head.eq_ignore_ascii_case(base_rest)
        {
            return href_rest.get(base_rest.len()..);
        }
        // `https://xmpp.org` for a base of `https://xmpp.org/`.
        (href_rest.eq_ignore_ascii_case(base_rest.trim_end_matches('/'))).then_some("")
    }

    fn internal(
        &self,
        page_id: &str,
        anchor: Option<&str>,
    ) -> Result<LinkTarget, (LinkTarget, Problem)> {
        let url_path = self.urls.get(page_id).cloned().unwrap_or_default();
        let anchor = anchor.filter(|a| !a.is_empty()).map(str::to_string);
        let mut url = self.public(url_path.trim_start_matches('/'));
        if let Some(a) = &anchor {
            url.push('#');
            url.push_str(a);
        }
        let target = LinkTarget::Internal {
            page: page_id.to_string(),
            anchor: anchor.clone(),
            url,
        };
        match &anchor {
            Some(a) if !self.anchors.get(page_id).is_some_and(|set| set.contains(a)) => {
                let problem = Problem::MissingAnchor {
                    page_url: url_path,
                    anchor: a.clone(),
                };
                // Still a link to the right page: only the position is lost.
                let fallback = LinkTarget::Internal {
                    page: page_id.to_string(),
                    anchor: None,
                    url: self.public(
                        self.urls
                            .get(page_id)
                            .map(|u| u.trim_start_matches('/'))
                            .unwrap_or(""),
                    ),
                };
                Err((fallback, problem))
            }
            _ => Ok(target),
        }
    }
}

/// `page`'s source file under the content root `content_dir` (its whole
/// path when it lies elsewhere): what the index knows a page's file by.
pub fn source_rel(page: &Page, content_dir: &Path) -> PathBuf {
    page.source
        .strip_prefix(content_dir)
        .unwrap_or(&page.source)
        .to_path_buf()
}

/// Resolves every link of `book` in place, warning about broken ones.
/// `content_dir` is the content root the pages' source paths start with.
pub fn resolve(book: &mut Book, content_dir: &Path, diags: &mut Diagnostics) {
    let source_rel = |page: &Page| source_rel(page, content_dir);
    let index = LinkIndex::new(book, &source_rel);
    // Pages resolve independently against the index; their warnings are
    // taken back in page order.
    let found = crate::par::par_map_mut(&mut book.pages, |page| {
        let mut found = Diagnostics::default();
        let rel = source_rel(page);
        resolve_page(page, &index, &rel, &mut found, None);
        found
    });
    for page_diags in found {
        diags.extend(page_diags);
    }
}

/// One look-up a page's links made in the index, and what it gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    href: String,
    /// A Hugo `ref` (else an href).
    reference: bool,
    result: Result<LinkTarget, (LinkTarget, Problem)>,
}

/// Whether every look-up of `lookups`, made by `page` (source path `rel`
/// under the content root), gives the same in `index`: then
/// [`resolve_page`] leaves `page` as it did and warns the same.
pub fn same_lookups(lookups: &[Lookup], page: &Page, index: &LinkIndex, rel: &Path) -> bool {
    let from = From {
        page_id: &page.id,
        url: &page.url,
        source_rel: rel,
    };
    lookups.iter().all(|l| {
        let now = match l.reference {
            true => index.resolve_ref(&l.href, from, &page.lang),
            false => index.resolve(&l.href, from),
        };
        now == l.result
    })
}

/// Resolves every link of `page` (source path `rel` under the content
/// root) against `index`, warning in `diags` about broken ones. What it
/// does depends on nothing but the page and the look-ups it makes in the
/// index, which go to `lookups` when given (`folio watch` keeps its result while
/// the page and those look-ups' results stay the same).
pub fn resolve_page(
    page: &mut Page,
    index: &LinkIndex,
    rel: &Path,
    diags: &mut Diagnostics,
    mut lookups: Option<&mut Vec<Lookup>>,
) {
    let page_id = page.id.clone();
    let url = page.url.clone();
    let source = page.source.clone();
    let lang = page.lang.clone();
    let from = From {
        page_id: &page_id,
        url: &url,
        source_rel: rel,
    };
    let mut fix = |line: u32, link: &mut Link| {
        let reference = link.target == LinkTarget::Ref;
        let resolved = match link.target {
            LinkTarget::Unresolved => index.resolve(&link.href, from),
            LinkTarget::Ref => index.resolve_ref(&link.href, from, &lang),
            // Resolved by the parser (the note pointing to the website).
            LinkTarget::External { .. } | LinkTarget::Internal { .. } => return,
        };
        if let Some(lookups) = lookups.as_deref_mut() {
            lookups.push(Lookup {
                href: link.href.clone(),
                reference,
                result: resolved.clone(),
            });
        }
        link.target = match resolved {
            Ok(t) => t,
            Err((t, problem)) => {
                diags.warn(&source, line, problem_message(&link.href, problem));
                t
            }
        };
    };
    for_each_inline_mut(page, &mut |line, inline| {
        if let Inline::Link { link, content, .. } = inline {
            let reference = link.target == LinkTarget::Ref;
            fix(line, link);
            // A `ref` alone in text shows the page's URL, as Hugo prints it.
            if reference && content.is_empty() {
                let url = match &link.target {
                    LinkTarget::External { url } | LinkTarget::Internal { url, .. } => url.clone(),
                    _ => link.href.clone(),
                };
                content.push(Inline::Text { text: url });
            }
        }
    });
    for_each_block_mut(&mut page.blocks, &mut |block| {
        if let BlockKind::Figure(fig) = &mut block.kind {
            for link in [&mut fig.link, &mut fig.attrlink].into_iter().flatten() {
                fix(block.span.line, link);
            }
        }
    });
}

/// The warning for a broken link to `href`.
fn problem_message(href: &str, problem: Problem) -> String {
    match problem {
        Problem::MissingAnchor { page_url, anchor } => {
            format!("broken link `{href}`: page {page_url} has no anchor `#{anchor}`")
        }
        Problem::MissingFile(f) => format!("broken link `{href}`: no page {f} in this book"),
        Problem::MissingRef => {
            format!("broken ref `{href}`: no page of this book has that path or name")
        }
        Problem::AmbiguousRef(urls) => format!(
            "ambiguous ref `{href}`: pages {} all have that name; linked to the first",
            urls.join(", ")
        ),
    }
}
/// Every anchor a page defines: headings, footnotes and block ids (read
/// before any pass: no pass adds one a link may name).
pub fn page_anchors(page: &Page) -> HashSet<String> {
    anchors_of(&page.blocks, &page.footnotes)
}

/// Every anchor defined by `blocks` and `footnotes` (a page's body, see
/// [`page_anchors`]).
pub fn anchors_of(
    blocks: &[crate::model::Block],
    footnotes: &[crate::model::Footnote],
) -> HashSet<String> {
    fn walk(blocks: &[crate::model::Block], set: &mut HashSet<String>) {
        for b in blocks {
            set.insert(b.id.clone());
            match &b.kind {
                BlockKind::Heading { anchor, .. } => {
                    set.insert(anchor.clone());
                }
                BlockKind::List { items, .. } => {
                    for item in items {
                        walk(&item.blocks, set);
                    }
                }
                BlockKind::Quote { blocks }
                | BlockKind::Container { blocks, .. }
                | BlockKind::Details { blocks, .. } => walk(blocks, set),
                _ => {}
            }
        }
    }
    let mut set = HashSet::new();
    walk(blocks, &mut set);
    for note in footnotes {
        set.insert(note.id.clone());
        walk(&note.blocks, &mut set);
    }
    set
}
