//! Link resolution: a pure function from an href, the page it is on and an
//! index of the book's pages to a [`LinkTarget`].
//!
//! - `#anchor`: this page; the anchor must exist.
//! - `/about/faq/` (site-absolute), `../faq/` (relative to the page URL),
//!   `faq.md` (relative to the source file) and `https://<base>/about/faq/`:
//!   a page of this book becomes an internal link (anchor checked); anything
//!   else becomes an absolute URL on the base URL.
//! - Any other scheme (`https:`, `mailto:`, `xmpp:`) stays as it is.
//!
//! A page is found by its URL in every form a site writes it (with or
//! without the trailing slash, `index.html`, `page.html` for `/page/`,
//! percent-encoded, `http:` or `https:` on the base URL) and by its
//! aliases (a relative alias is relative to the page's folder). Links
//! resolve within the linking page's language first: `faq.md` from a
//! German page is `faq.de.md` when the book has it, and `/about/` from a
//! page under `/de/` is `/de/about/` when the book has that.
//! - A Hugo `ref`/`relref` ([`LinkTarget::Ref`]) names a content file, not
//!   a URL ([`LinkIndex::resolve_ref`]).
//! - A link the parser resolved already (the note pointing to the website)
//!   is left as it is.

use crate::diag::Diagnostics;
use crate::model::{
    BlockKind, Book, Inline, Link, LinkTarget, Page, for_each_block_mut, for_each_inline_mut,
};
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

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
    anchors: HashMap<String, HashSet<String>>,
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
        let mut index = LinkIndex {
            base_url: book.meta.base_url.clone(),
            ..LinkIndex::default()
        };
        for page in &book.pages {
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
            index.anchors.insert(page.id.clone(), page_anchors(page));
        }
        index
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

    /// Indexes `page` (source `rel`) by the content paths a `ref` may use.
    fn add_content_path(&mut self, rel: &Path, page: &Page) {
        let written = rel.to_string_lossy();
        let Some(key) = content_key(&written, Some(&page.lang)) else {
            return;
        };
        let mut keys = vec![key.clone()];
        // `faq.de.md` is also found as written.
        if let Some(full) = content_key(&written, None).filter(|k| *k != key) {
            keys.push(full);
        }
        // `docs/install/index.md` and `blog/_index.md` are their folders too.
        if let Some(folder) = key
            .strip_suffix("/_index")
            .or_else(|| key.strip_suffix("/index"))
        {
            keys.push(folder.to_string());
        } else if key == "_index" || key == "index" {
            keys.push(String::new());
        }
        // The name of a bundle or section is its folder's.
        let named = key
            .strip_suffix("/_index")
            .or_else(|| key.strip_suffix("/index"))
            .unwrap_or(&key);
        let name = named.rsplit('/').next().unwrap_or_default().to_string();
        for key in keys {
            let ids = self.by_content.entry(key).or_default();
            if !ids.contains(&page.id) {
                ids.push(page.id.clone());
            }
        }
        if !name.is_empty() {
            self.by_name.entry(name).or_default().push(page.id.clone());
        }
        self.langs.insert(page.id.clone(), page.lang.clone());
    }

    /// Resolves the target of a Hugo `ref`/`relref` found on page `from`
    /// (in language `lang`), as Hugo looks it up: `/about/faq` from the
    /// content root; `faq.md` or `../faq` first beside the page, then from
    /// the root; a bare name (`faq`) by the one page of that name. The
    /// extension is optional, a bundle is found by its folder, `#anchor`
    /// is checked like any anchor.
    pub fn resolve_ref(
        &self,
        path: &str,
        from: From<'_>,
        lang: &str,
    ) -> Result<LinkTarget, (LinkTarget, Problem)> {
        let (path, fragment) = split_fragment(path.trim());
        if path.is_empty() {
            return self.internal(from.page_id, fragment);
        }
        let key = content_key(path, None).unwrap_or_default();
        let mut candidates: Vec<String> = Vec::new();
        if !path.starts_with('/') {
            let dir = from.source_rel.parent().unwrap_or(Path::new(""));
            let beside = normalize_fs(&dir.join(&key));
            candidates.push(beside.to_string_lossy().replace('\\', "/"));
        }
        candidates.push(key.clone());
        for candidate in &candidates {
            if let Some(id) = self.pick(self.by_content.get(candidate), lang) {
                return self.internal(&id, fragment);
            }
        }
        if !key.contains('/')
            && let Some(ids) = self.by_name.get(&key)
            && let Some(id) = self.pick(Some(ids), lang)
        {
            let same_lang: Vec<&String> = ids
                .iter()
                .filter(|i| self.langs.get(*i).is_some_and(|l| l == lang))
                .collect();
            if same_lang.len() > 1 {
                let mut found: Vec<String> = same_lang
                    .iter()
                    .filter_map(|i| self.urls.get(*i).cloned())
                    .collect();
                found.sort();
                let target = self.internal(&id, fragment).unwrap_or_else(|(t, _)| t);
                return Err((target, Problem::AmbiguousRef(found)));
            }
            return self.internal(&id, fragment);
        }
        let mut url = self.public(key.trim_matches('/'));
        if !url.ends_with('/') {
            url.push('/');
        }
        if let Some(f) = fragment.filter(|f| !f.is_empty()) {
            url.push('#');
            url.push_str(f);
        }
        Err((LinkTarget::External { url }, Problem::MissingRef))
    }

    /// Of the pages `ids`, the one in `lang`, else the first.
    fn pick(&self, ids: Option<&Vec<String>>, lang: &str) -> Option<String> {
        let ids = ids?;
        ids.iter()
            .find(|id| self.langs.get(*id).is_some_and(|l| l == lang))
            .or_else(|| ids.first())
            .cloned()
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

/// Resolves every link of `book` in place, warning about broken ones.
/// `content_dir` is the content root the pages' source paths start with.
pub fn resolve(book: &mut Book, content_dir: &Path, diags: &mut Diagnostics) {
    let source_rel = |page: &Page| {
        page.source
            .strip_prefix(content_dir)
            .unwrap_or(&page.source)
            .to_path_buf()
    };
    let index = LinkIndex::new(book, &source_rel);
    for page in &mut book.pages {
        let page_id = page.id.clone();
        let url = page.url.clone();
        let rel = source_rel(page);
        let source = page.source.clone();
        let lang = page.lang.clone();
        let from = From {
            page_id: &page_id,
            url: &url,
            source_rel: &rel,
        };
        let mut fix = |line: u32, link: &mut Link| {
            let resolved = match link.target {
                LinkTarget::Unresolved => index.resolve(&link.href, from),
                LinkTarget::Ref => index.resolve_ref(&link.href, from, &lang),
                // Resolved by the parser (the note pointing to the website).
                LinkTarget::External { .. } | LinkTarget::Internal { .. } => return,
            };
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
                        LinkTarget::External { url } | LinkTarget::Internal { url, .. } => {
                            url.clone()
                        }
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

/// A content path as `ref` keys it: `/`-separated, lower-cased, without
/// leading `./` or `/`, trailing `/`, the Markdown extension or (when it
/// is `lang`) the language suffix (`faq.de.md`); `None` when empty.
fn content_key(path: &str, lang: Option<&str>) -> Option<String> {
    let mut key = path.trim().replace('\\', "/").to_lowercase();
    while let Some(rest) = key.strip_prefix("./") {
        key = rest.to_string();
    }
    let mut key = key.trim_matches('/').to_string();
    for ext in [".md", ".markdown"] {
        if let Some(stem) = key.strip_suffix(ext) {
            key = stem.to_string();
            break;
        }
    }
    if let Some(lang) = lang.filter(|l| !l.is_empty())
        && let Some(stem) = key.strip_suffix(&format!(".{}", lang.to_lowercase()))
    {
        key = stem.to_string();
    }
    (!key.is_empty()).then_some(key)
}

/// Every anchor a page defines: headings, footnotes and block ids.
fn page_anchors(page: &Page) -> HashSet<String> {
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
    walk(&page.blocks, &mut set);
    for note in &page.footnotes {
        set.insert(note.id.clone());
        walk(&note.blocks, &mut set);
    }
    set
}

fn has_scheme(href: &str) -> bool {
    match href.find(':') {
        Some(i) => {
            let scheme = &href[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

fn split_fragment(href: &str) -> (&str, Option<&str>) {
    match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    }
}

/// `/about/faq` → `/about/faq/`; `/x/index.html` → `/x/`; `/a.html` kept.
pub fn normalize_path(path: &str) -> String {
    let mut p = path.trim().to_string();
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if let Some(stripped) = p.strip_suffix("index.html") {
        p = stripped.to_string();
    }
    let last = p.rsplit('/').next().unwrap_or("");
    if !p.ends_with('/') && !last.contains('.') {
        p.push('/');
    }
    p.to_lowercase()
}

/// An alias as a site path: kept when it starts with `/`, else relative
/// to the folder of the page's URL (`old` on `/de/docs/new/` is
/// `/de/docs/old`).
fn alias_path(page_url: &str, alias: &str) -> String {
    let alias = alias.trim();
    if alias.starts_with('/') || alias.contains("://") {
        return alias.to_string();
    }
    let trimmed = page_url.trim_end_matches('/');
    let folder = match trimmed.rfind('/') {
        Some(i) => trimmed.get(..=i).unwrap_or("/"),
        None => "/",
    };
    join_url(folder, alias)
}

/// `rel` without a language suffix naming `lang` (`faq.de.md` for `de` or
/// `de-DE` is `faq.md`), and whether it had one.
fn without_language(rel: &Path, lang: &str) -> (PathBuf, bool) {
    let primary = lang.split('-').next().unwrap_or_default();
    let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned());
    let ext = rel.extension().map(|s| s.to_string_lossy().into_owned());
    if let (Some(stem), Some(ext)) = (stem, ext)
        && let Some((base, suffix)) = stem.rsplit_once('.')
        && !base.is_empty()
        && !lang.is_empty()
        && (suffix.eq_ignore_ascii_case(lang) || suffix.eq_ignore_ascii_case(primary))
    {
        return (rel.with_file_name(format!("{base}.{ext}")), true);
    }
    (rel.to_path_buf(), false)
}

/// The language prefix of a page's URL (`/de` for `/de/about/` in `de` or
/// `de-DE`), empty when the URL has none.
fn url_prefix(url: &str, lang: &str) -> String {
    let primary = lang.split('-').next().unwrap_or_default();
    [lang, primary]
        .into_iter()
        .filter(|code| !code.is_empty())
        .map(|code| format!("/{code}"))
        .find(|prefix| url.to_lowercase().starts_with(&format!("{prefix}/")))
        .unwrap_or_default()
}

/// `%XX` escapes decoded (a path written either way finds its page);
/// text that would not be UTF-8 once decoded is kept as written.
fn percent_decode(path: &str) -> String {
    if !path.contains('%') {
        return path.to_string();
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(value)) => {
                out.push(value);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_string())
}

/// Joins a relative href onto a page URL the way a browser does.
fn join_url(page_url: &str, href: &str) -> String {
    let base_dir = match page_url.rfind('/') {
        Some(i) => &page_url[..=i],
        None => "/",
    };
    let mut parts: Vec<&str> = base_dir.split('/').filter(|s| !s.is_empty()).collect();
    let (path, rest) = match href.find(['?', '#']) {
        Some(i) => (&href[..i], &href[i..]),
        None => (href, ""),
    };
    let trailing = path.ends_with('/') || path.is_empty();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if trailing && !out.ends_with('/') {
        out.push('/');
    }
    out.push_str(rest);
    out
}

fn normalize_fs(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> LinkIndex {
        let mut i = LinkIndex {
            base_url: "https://xmpp.org/".into(),
            ..Default::default()
        };
        for (id, url, src, anchors) in [
            (
                "about-faq",
                "/about/faq/",
                "about/faq.md",
                vec!["who-owns-xmpp"],
            ),
            (
                "about-xsf-mission",
                "/about/xsf/mission/",
                "about/xsf/mission.md",
                vec![],
            ),
        ] {
            i.by_url.insert(url.into(), id.into());
            i.by_source.insert(src.into(), id.into());
            i.urls.insert(id.into(), url.into());
            i.anchors
                .insert(id.into(), anchors.into_iter().map(String::from).collect());
        }
        i.by_url
            .insert("/about/xsf/mission.html".into(), "about-xsf-mission".into());
        i
    }

    /// A page of `id` in `lang`, with nothing else.
    fn page(id: &str, lang: &str) -> Page {
        Page {
            id: id.into(),
            source: PathBuf::new(),
            source_rel: PathBuf::new(),
            url: String::new(),
            title: String::new(),
            description: None,
            date: None,
            weight: 0,
            draft: false,
            slug: None,
            aliases: Vec::new(),
            front_matter: Default::default(),
            blocks: Vec::new(),
            footnotes: Vec::new(),
            body_line: 1,
            lang: lang.into(),
            date_parsed: None,
            authors: Vec::new(),
            byline: None,
            parent: None,
            depth: 0,
            section: false,
        }
    }

    fn from() -> From<'static> {
        From {
            page_id: "about-xsf-mission",
            url: "/about/xsf/mission/",
            source_rel: Path::new("about/xsf/mission.md"),
        }
    }

    fn internal(page: &str, anchor: Option<&str>, url: &str) -> LinkTarget {
        LinkTarget::Internal {
            page: page.into(),
            anchor: anchor.map(String::from),
            url: url.into(),
        }
    }

    #[test]
    fn site_absolute_link_to_book_page_is_internal() {
        let i = index();
        assert_eq!(
            i.resolve("/about/faq/", from()),
            Ok(internal("about-faq", None, "https://xmpp.org/about/faq/"))
        );
        assert_eq!(
            i.resolve("/about/faq", from()),
            Ok(internal("about-faq", None, "https://xmpp.org/about/faq/"))
        );
        assert_eq!(
            i.resolve("/about/faq/#who-owns-xmpp", from()),
            Ok(internal(
                "about-faq",
                Some("who-owns-xmpp"),
                "https://xmpp.org/about/faq/#who-owns-xmpp"
            ))
        );
        assert_eq!(
            i.resolve("https://xmpp.org/about/faq/", from()),
            Ok(internal("about-faq", None, "https://xmpp.org/about/faq/"))
        );
        assert_eq!(
            i.resolve("/about/xsf/mission.html", from()),
            Ok(internal(
                "about-xsf-mission",
                None,
                "https://xmpp.org/about/xsf/mission/"
            ))
        );
    }

    #[test]
    fn site_link_outside_book_goes_to_base_url() {
        let i = index();
        assert_eq!(
            i.resolve("/extensions/xep-0234.html", from()),
            Ok(LinkTarget::External {
                url: "https://xmpp.org/extensions/xep-0234.html".into()
            })
        );
    }

    #[test]
    fn relative_links() {
        let i = index();
        assert_eq!(
            i.resolve("../../faq/", from()),
            Ok(internal("about-faq", None, "https://xmpp.org/about/faq/"))
        );
        assert_eq!(
            i.resolve("../faq.md", from()),
            Ok(internal("about-faq", None, "https://xmpp.org/about/faq/"))
        );
        assert!(matches!(
            i.resolve("nothere.md", from()),
            Err((_, Problem::MissingFile(_)))
        ));
        // A page URL is a folder: `../faq/` from /about/xsf/mission/ is /about/xsf/faq/.
        assert_eq!(
            i.resolve("../faq/", from()),
            Ok(LinkTarget::External {
                url: "https://xmpp.org/about/xsf/faq/".into()
            })
        );
    }

    #[test]
    fn anchors_are_checked() {
        let i = index();
        let err = i.resolve("/about/faq/#nope", from()).unwrap_err();
        assert_eq!(
            err.0,
            internal("about-faq", None, "https://xmpp.org/about/faq/")
        );
        assert!(matches!(err.1, Problem::MissingAnchor { .. }));
        assert!(i.resolve("#missing", from()).is_err());
    }

    #[test]
    fn aliases_languages_and_url_forms() {
        assert_eq!(alias_path("/de/docs/new/", "old"), "/de/docs/old");
        assert_eq!(alias_path("/docs/new/", "../up/"), "/up/");
        assert_eq!(alias_path("/docs/new/", "/abs/"), "/abs/");
        assert_eq!(
            without_language(Path::new("a/faq.de.md"), "de-de"),
            (PathBuf::from("a/faq.md"), true)
        );
        assert_eq!(
            without_language(Path::new("a/faq.pt-br.md"), "pt-br"),
            (PathBuf::from("a/faq.md"), true)
        );
        assert_eq!(
            without_language(Path::new("a/faq.fr.md"), "de"),
            (PathBuf::from("a/faq.fr.md"), false)
        );
        assert_eq!(url_prefix("/de/about/", "de-de"), "/de");
        assert_eq!(url_prefix("/about/", "de"), "");
        assert_eq!(url_prefix("/pt-br/x/", "pt-br"), "/pt-br");
        assert_eq!(percent_decode("/%C3%BCber/"), "/über/");
        assert_eq!(percent_decode("/100%/"), "/100%/");
        assert_eq!(percent_decode("/%FF/"), "/%FF/", "not UTF-8: as written");
        let i = index();
        assert_eq!(i.strip_base("http://XMPP.org/about/"), Some("about/"));
        assert_eq!(i.strip_base("https://xmpp.org"), Some(""));
        assert_eq!(i.strip_base("https://xmpp.org.evil/"), None);
        assert_eq!(i.strip_base("ftp://xmpp.org/"), None);
    }

    #[test]
    fn unknown_base_url_keeps_links_site_relative() {
        let mut i = index();
        i.base_url = String::new();
        assert_eq!(
            i.resolve("/about/faq/", from()),
            Ok(internal("about-faq", None, "/about/faq/"))
        );
        assert_eq!(
            i.resolve("/extensions/", from()),
            Ok(LinkTarget::External {
                url: "/extensions/".into()
            })
        );
    }

    #[test]
    fn refs_find_pages_as_hugo_does() {
        let mut i = index();
        for (id, src, lang) in [
            ("docs-install", "docs/install/index.md", "en"),
            ("blog", "blog/_index.md", "en"),
            ("about-faq-de", "about/faq.de.md", "de"),
        ] {
            i.add_content_path(Path::new(src), &page(id, lang));
            i.urls.insert(id.into(), format!("/{id}/"));
        }
        for src in ["about/faq.md", "about/xsf/mission.md"] {
            let id = i.by_source[Path::new(src)].clone();
            i.add_content_path(Path::new(src), &page(&id, "en"));
        }
        let target = |r: Result<LinkTarget, (LinkTarget, Problem)>| match r {
            Ok(LinkTarget::Internal { page, anchor, .. }) => (page, anchor),
            other => panic!("{other:?}"),
        };
        let en = |path: &str| target(i.resolve_ref(path, from(), "en"));
        assert_eq!(en("about/faq.md").0, "about-faq");
        assert_eq!(en("/about/faq").0, "about-faq");
        assert_eq!(en("About/FAQ/").0, "about-faq");
        assert_eq!(en("../faq.md").0, "about-faq");
        assert_eq!(en("faq").0, "about-faq");
        assert_eq!(en("docs/install").0, "docs-install");
        assert_eq!(en("install").0, "docs-install");
        assert_eq!(en("blog").0, "blog");
        assert_eq!(en("mission").0, "about-xsf-mission");
        assert_eq!(
            en("faq#who-owns-xmpp"),
            ("about-faq".to_string(), Some("who-owns-xmpp".to_string()))
        );
        // A translation is found from a page in its language.
        assert_eq!(
            target(i.resolve_ref("about/faq", from(), "de")).0,
            "about-faq-de"
        );
        assert_eq!(en("about/faq.de.md").0, "about-faq-de");
        let missing = i.resolve_ref("nothere.md#x", from(), "en").unwrap_err();
        assert_eq!(missing.1, Problem::MissingRef);
        assert_eq!(
            missing.0,
            LinkTarget::External {
                url: "https://xmpp.org/nothere/#x".into()
            }
        );
    }

    #[test]
    fn other_schemes_are_kept() {
        let i = index();
        for href in [
            "https://www.ietf.org/",
            "mailto:a@b.c",
            "xmpp:council@muc.xmpp.org?join",
        ] {
            assert_eq!(
                i.resolve(href, from()),
                Ok(LinkTarget::External { url: href.into() })
            );
        }
        assert_eq!(
            i.resolve("//example.com/x", from()),
            Ok(LinkTarget::External {
                url: "https://example.com/x".into()
            })
        );
    }
}
