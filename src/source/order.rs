//! A whole site in reading order: each section's `_index` page, then its
//! pages and subsections in Hugo's order, depth first. Built with maps and
//! an explicit stack, so a site of thousands of sections (or folders nested
//! as deep as the file system allows) costs `n log n` and no recursion.
//!
//! Page bundles are read as Hugo reads them:
//!
//! - a folder with an `_index.md` (a branch bundle) is a section, headed by
//!   that page;
//! - a folder with an `index.md` (a leaf bundle) is one page, sorted by its
//!   own weight among the pages of the folder around it; everything else in
//!   that folder and below is the page's resources (images beside it
//!   resolve there), so Markdown files in it are not pages;
//! - a folder with both is a mistake Hugo warns about: the `_index.md`
//!   wins and the `index.md` is skipped with a warning;
//! - an `index.md` at the content root is the home page, not a bundle (it
//!   would make every other page a resource).
//!
//! `_index.de.md` and `index.de.md` (translations) play the same parts.

use super::{SourcePage, hugo_order};
use crate::diag::{Diagnostic, Diagnostics};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What a content file is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// `_index.md`: its folder's own page (a branch bundle).
    Section,
    /// `index.md` below the root: a page whose folder holds its resources.
    Bundle,
    /// Any other Markdown file.
    Page,
}

/// The role of the file at `rel` (relative to the content root).
pub(crate) fn role(rel: &Path) -> Role {
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let named = |base: &str| {
        stem == base
            || stem
                .strip_prefix(base)
                .and_then(|s| s.strip_prefix('.'))
                .is_some_and(is_language)
    };
    let at_root = rel.parent().is_none_or(|p| p.as_os_str().is_empty());
    if named("_index") {
        Role::Section
    } else if named("index") && !at_root {
        Role::Bundle
    } else {
        Role::Page
    }
}

/// A language suffix as Hugo file names carry them (`de`, `pt-br`).
fn is_language(code: &str) -> bool {
    (2..=8).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_alphabetic())
        && code.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
}

/// The folder whose pages the file at `rel` is listed among: a section's
/// page and a bundle sit in the folder above their own, every other page
/// in its own folder.
pub(crate) fn container(rel: &Path) -> PathBuf {
    let dir = rel.parent().unwrap_or(Path::new(""));
    match role(rel) {
        Role::Section | Role::Bundle => dir.parent().unwrap_or(Path::new("")).to_path_buf(),
        Role::Page => dir.to_path_buf(),
    }
}

/// `paths` (pages found under `content_dir`) without the files a leaf
/// bundle holds as resources, and without an `index.md` beside an
/// `_index.md` (warned about). Order is kept.
pub(crate) fn without_bundle_resources(
    paths: Vec<PathBuf>,
    content_dir: &Path,
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    let rel = |path: &Path| path.strip_prefix(content_dir).unwrap_or(path).to_path_buf();
    let mut sections: HashSet<PathBuf> = HashSet::new();
    let mut bundles: BTreeSet<PathBuf> = BTreeSet::new();
    for path in &paths {
        let rel = rel(path);
        let dir = rel.parent().unwrap_or(Path::new("")).to_path_buf();
        match role(&rel) {
            Role::Section => {
                sections.insert(dir);
            }
            Role::Bundle => {
                bundles.insert(dir);
            }
            Role::Page => {}
        }
    }
    bundles.retain(|dir| !sections.contains(dir));
    paths
        .into_iter()
        .filter(|path| {
            let rel = rel(path);
            let dir = rel.parent().unwrap_or(Path::new(""));
            let own = role(&rel) == Role::Bundle;
            // Inside a leaf bundle (its own folder or below) only the
            // bundle's page itself is a page.
            let mut inside = dir.ancestors().filter(|d| bundles.contains(*d));
            if let Some(first) = inside.next() {
                return own && first == dir && inside.next().is_none();
            }
            if own && sections.contains(dir) {
                diags.push(
                    Diagnostic::warning(
                        path,
                        0,
                        "folder has both `index.md` and `_index.md`: skipped",
                    )
                    .with_hint(
                        "a folder is one page with its resources (index.md) or a section of pages (_index.md): pick one",
                    ),
                );
                return false;
            }
            true
        })
        .collect()
}

/// A section: its `_index` page, if any, and its own pages.
type Section = (Option<SourcePage>, Vec<SourcePage>);

/// What comes next in the reading order.
enum Step {
    Page(Box<SourcePage>),
    Section(PathBuf),
}

/// Orders a whole site as a reader walks it.
pub(crate) fn site_order(pages: Vec<SourcePage>) -> Vec<SourcePage> {
    let mut sections = group(pages);
    // Each section's subsections, found once.
    let mut children: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    for dir in sections.keys() {
        if let Some(parent) = dir.parent() {
            children
                .entry(parent.to_path_buf())
                .or_default()
                .push(dir.clone());
        }
    }
    let mut out = Vec::new();
    let mut todo = vec![Step::Section(PathBuf::new())];
    while let Some(step) = todo.pop() {
        let dir = match step {
            Step::Page(page) => {
                out.push(*page);
                continue;
            }
            Step::Section(dir) => dir,
        };
        let Some((index, pages)) = sections.remove(&dir) else {
            continue;
        };
        if let Some(index) = index {
            out.push(index);
        }
        let subdirs = children.remove(&dir).unwrap_or_default();
        let steps = listing(pages, &subdirs, &sections);
        // Reversed onto the stack, so the first is walked first.
        todo.extend(steps.into_iter().rev());
    }
    out
}

/// Groups pages by section folder (a section's own `_index.md` heads it;
/// a leaf bundle is a page of the folder around it) and adds every
/// ancestor of a section, so subsections get placed.
fn group(pages: Vec<SourcePage>) -> BTreeMap<PathBuf, Section> {
    let mut sections: BTreeMap<PathBuf, Section> = BTreeMap::new();
    for page in pages {
        if role(&page.rel) == Role::Section {
            let dir = page.rel.parent().map(Path::to_path_buf).unwrap_or_default();
            let section = sections.entry(dir).or_default();
            // A second `_index` (another language's) is one more page of
            // the section: one page heads it.
            match section.0 {
                None => section.0 = Some(page),
                Some(_) => section.1.push(page),
            }
        } else {
            sections
                .entry(container(&page.rel))
                .or_default()
                .1
                .push(page);
        }
    }
    // Folders whose ancestors are all in: a chain stops at the first one.
    let mut complete: HashSet<PathBuf> = HashSet::new();
    let dirs: Vec<PathBuf> = sections.keys().cloned().collect();
    for dir in dirs {
        for anc in dir.ancestors().skip(1) {
            if !complete.insert(anc.to_path_buf()) {
                break;
            }
            sections.entry(anc.to_path_buf()).or_default();
        }
    }
    sections
}

/// The pages and subsections of one section, sorted together: a
/// subsection sorts by its `_index` page, or by its path when it has none.
fn listing(
    pages: Vec<SourcePage>,
    subdirs: &[PathBuf],
    sections: &BTreeMap<PathBuf, Section>,
) -> Vec<Step> {
    let mut keyed = pages;
    // Sort key path -> the subsection it stands for.
    let mut section_keys: HashMap<PathBuf, PathBuf> = HashMap::new();
    for sub in subdirs {
        // Only the sort keys are needed: leave the body behind.
        let key = match sections.get(sub).and_then(|(i, _)| i.as_ref()) {
            Some(index) => SourcePage {
                path: index.path.clone(),
                rel: index.rel.clone(),
                front: index.front.clone(),
                body: String::new(),
                body_line: index.body_line,
                url: index.url.clone(),
            },
            None => placeholder_for(sub),
        };
        section_keys.insert(key.path.clone(), sub.clone());
        keyed.push(key);
    }
    hugo_order(&mut keyed);
    keyed
        .into_iter()
        .map(|page| match section_keys.remove(&page.path) {
            Some(sub) => Step::Section(sub),
            None => Step::Page(Box::new(page)),
        })
        .collect()
}

/// A stand-in page that sorts a section without an `_index.md` by its path.
fn placeholder_for(dir: &Path) -> SourcePage {
    SourcePage {
        path: dir.join("\u{0}section"),
        rel: dir.to_path_buf(),
        front: Default::default(),
        body: String::new(),
        body_line: 1,
        url: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rel: &str, title: &str, weight: i64) -> SourcePage {
        let front = crate::source::FrontMatter {
            title: Some(title.to_string()),
            weight,
            ..Default::default()
        };
        SourcePage {
            path: Path::new("content").join(rel),
            rel: PathBuf::from(rel),
            front,
            body: String::new(),
            body_line: 1,
            url: String::new(),
        }
    }

    fn order(pages: Vec<SourcePage>) -> Vec<String> {
        site_order(pages)
            .into_iter()
            .map(|p| p.rel.display().to_string())
            .collect()
    }

    #[test]
    fn sections_sort_with_pages_and_walk_depth_first() {
        let got = order(vec![
            page("b.md", "B", 0),
            page("about/_index.md", "About", 1),
            page("about/z.md", "Z", 0),
            page("about/team/_index.md", "Team", 0),
            page("about/team/x.md", "X", 0),
            page("_index.md", "Home", 0),
            page("a.md", "A", 2),
            page("loose/q.md", "Q", 0),
        ]);
        assert_eq!(
            got,
            [
                "_index.md",
                "about/_index.md",
                "about/team/_index.md",
                "about/team/x.md",
                "about/z.md",
                "a.md",
                // A section without `_index.md` has no title: it sorts first
                // among the unweighted.
                "loose/q.md",
                "b.md",
            ]
        );
    }

    #[test]
    fn leaf_bundles_sort_as_pages_by_their_own_weight() {
        let got = order(vec![
            page("docs/_index.md", "Docs", 0),
            page("docs/usage.md", "Usage", 2),
            page("docs/install/index.md", "Install", 1),
            page("docs/faq/_index.md", "FAQ", 3),
            page("docs/faq/q.md", "Q", 0),
            page("docs/setup/index.de.md", "Einrichtung", 4),
            page("docs/zzz.md", "Last", 0),
        ]);
        assert_eq!(
            got,
            [
                "docs/_index.md",
                "docs/install/index.md",
                "docs/usage.md",
                "docs/faq/_index.md",
                "docs/faq/q.md",
                "docs/setup/index.de.md",
                "docs/zzz.md",
            ]
        );
    }

    #[test]
    fn roles_by_name() {
        let r = |rel: &str| role(Path::new(rel));
        assert_eq!(r("_index.md"), Role::Section);
        assert_eq!(r("a/_index.pt-br.md"), Role::Section);
        assert_eq!(r("a/index.md"), Role::Bundle);
        assert_eq!(r("a/b/index.de.markdown"), Role::Bundle);
        // The home page, a name that only starts alike, a non-language suffix.
        assert_eq!(r("index.md"), Role::Page);
        assert_eq!(r("a/indexes.md"), Role::Page);
        assert_eq!(r("a/index.2.md"), Role::Page);
        assert_eq!(container(Path::new("a/b/index.md")), Path::new("a"));
        assert_eq!(container(Path::new("a/b/_index.md")), Path::new("a"));
        assert_eq!(container(Path::new("a/b/c.md")), Path::new("a/b"));
        assert_eq!(container(Path::new("_index.md")), Path::new(""));
    }

    #[test]
    fn bundle_resources_are_not_pages() {
        let content = Path::new("/site/content");
        let paths: Vec<PathBuf> = [
            "a/_index.md",
            "a/b/index.md",
            "a/b/notes.md",
            "a/b/deeper/more.md",
            "a/b/deeper/_index.md",
            "a/b/deeper/index.md",
            "a/b/index.de.md",
            "a/c.md",
            "both/_index.md",
            "both/index.md",
            "both/page.md",
            "index.md",
            "top.md",
        ]
        .iter()
        .map(|r| content.join(r))
        .collect();
        let mut diags = Diagnostics::default();
        let kept: Vec<String> = without_bundle_resources(paths, content, &mut diags)
            .iter()
            .map(|p| p.strip_prefix(content).unwrap().display().to_string())
            .collect();
        assert_eq!(
            kept,
            [
                "a/_index.md",
                "a/b/index.md",
                "a/b/index.de.md",
                "a/c.md",
                "both/_index.md",
                "both/page.md",
                "index.md",
                "top.md",
            ]
        );
        assert_eq!(diags.len(), 1, "the index.md beside an _index.md");
    }

    #[test]
    fn deep_folders_need_no_recursion() {
        let mut rel = PathBuf::new();
        let mut pages = Vec::new();
        // As deep as a 4096-byte path allows.
        for i in 0..2_000 {
            rel.push("d");
            if i % 100 == 0 {
                pages.push(page(&rel.join("p.md").display().to_string(), "P", 0));
            }
        }
        let got = order(pages);
        assert_eq!(got.len(), 20);
        // An untitled subsection sorts before the titled page beside it,
        // so the deepest page comes first.
        assert!(got.windows(2).all(|w| w[0].len() > w[1].len()));
    }
}
