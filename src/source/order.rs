//! A whole site in reading order: each section's `_index` page, then its
//! pages and subsections in Hugo's order, depth first. Built with maps and
//! an explicit stack, so a site of thousands of sections (or folders nested
//! as deep as the file system allows) costs `n log n` and no recursion.

use super::{SourcePage, hugo_order};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

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

/// Groups pages by section folder (a section's own `_index.md` heads it)
/// and adds every ancestor of a section, so subsections get placed.
fn group(pages: Vec<SourcePage>) -> BTreeMap<PathBuf, Section> {
    let mut sections: BTreeMap<PathBuf, Section> = BTreeMap::new();
    for page in pages {
        let dir = page.rel.parent().map(Path::to_path_buf).unwrap_or_default();
        // `_index.de.md` heads its section in the German book.
        let is_index = super::is_section_index(&page.rel);
        if is_index {
            sections.entry(dir).or_default().0 = Some(page);
        } else {
            sections.entry(dir).or_default().1.push(page);
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
