//! The book's structure: which section each page belongs to, who wrote it
//! and when, and the list of child chapters on each section's page.
//!
//! # Nesting
//!
//! A page nests under the nearest section page (`_index.md`, a branch
//! bundle) whose folder encloses it, provided that section page comes
//! before it in the book with only its own pages in between. A whole-site
//! book is in Hugo's order, so every page nests under its section. A book
//! whose `pages:` are listed in `folio.yaml` nests the same way where its
//! order allows (a section page followed by pages of its folder) and stays
//! flat elsewhere: the reading order is the author's and is never changed.
//! The home page (`/`, the root `_index.md`) heads nothing: top-level pages
//! and sections are the book's top level. Sections nest at most
//! `limits.nesting` deep; deeper ones are listed at that depth (warned).
//!
//! # Section lists
//!
//! Each section page with child chapters gets a generated list of them (a
//! link to each, and its description) appended to its blocks, as a
//! `Container { origin: "section-list" }`: every backend shows it, and
//! tools that translate source text can tell it is not written by anyone.

use crate::date::{parse_page_date, show_date};
use crate::diag::{Diagnostic, Diagnostics};
use crate::limits::Limits;
use crate::model::{
    Block, BlockKind, Book, BookMeta, Byline, BylineDate, Inline, Link, LinkTarget, ListItem, Page,
    Span,
};
use crate::source::order::{Role, container, role};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The `origin` of the generated list of a section's chapters.
pub const SECTION_LIST: &str = "section-list";

/// Fills every page's place in the book (`parent`, `depth`, `section`),
/// its authors, date and byline, and appends the section lists.
pub fn build(book: &mut Book, content_dir: &Path, limits: &Limits, diags: &mut Diagnostics) {
    nest(&mut book.pages, content_dir, limits.nesting, diags);
    bylines(book);
    section_lists(book);
}

/// Sets every page's authors, parsed date and byline from its front
/// matter and the book's settings (`bylines`, `date_format`, language);
/// may be run again after those change.
pub fn bylines(book: &mut Book) {
    for page in &mut book.pages {
        page.authors = authors(&page.front_matter);
        page.date_parsed = page.date.as_deref().and_then(parse_page_date);
        page.byline = if book.meta.bylines {
            byline(page, &book.meta)
        } else {
            None
        };
    }
}

/// A section page still open while its pages follow.
struct Open {
    /// The section's folder, relative to the content root.
    dir: PathBuf,
    id: String,
}

/// Sets `parent`, `depth` and `section` on every page (see the module docs).
fn nest(pages: &mut [Page], content_dir: &Path, max_depth: usize, diags: &mut Diagnostics) {
    let mut open: Vec<Open> = Vec::new();
    let mut warned = false;
    for page in pages.iter_mut() {
        let Ok(rel) = page.source.strip_prefix(content_dir) else {
            // Not a file of the content root (a page made in memory): flat.
            open.clear();
            continue;
        };
        let rel = rel.to_path_buf();
        let listed_in = container(&rel);
        while open.last().is_some_and(|o| !listed_in.starts_with(&o.dir)) {
            open.pop();
        }
        page.parent = open.last().map(|o| o.id.clone());
        page.depth = open.len();
        let dir = rel.parent().unwrap_or(Path::new("")).to_path_buf();
        page.section = role(&rel) == Role::Section && page.url != "/" && dir != Path::new("");
        // A second page for the same section (another language's
        // `_index`) is listed in it, not opened again.
        if page.section && !open.iter().any(|o| o.dir == dir) {
            if open.len() < max_depth {
                open.push(Open {
                    dir,
                    id: page.id.clone(),
                });
            } else if !warned {
                warned = true;
                diags.push(
                    Diagnostic::warning(
                        &page.source,
                        0,
                        format!("sections nest more than {max_depth} deep: deeper ones are listed at that depth"),
                    )
                    .with_hint("`limits.nesting` in folio.yaml sets the depth"),
                );
            }
        }
    }
}

/// The authors a page names: `author` (a name, a map with `name`, or a
/// list of either), then `authors` (the same shapes; a string may list
/// several, separated by commas, as Pelican writes them). Each name once.
fn authors(front: &std::collections::BTreeMap<String, Value>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    };
    for (key, split_commas) in [("author", false), ("authors", true)] {
        let Some(value) = front.get(key) else {
            continue;
        };
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            one => vec![one],
        };
        for item in items {
            match item {
                Value::String(s) if split_commas => s.split(',').for_each(&mut add),
                Value::String(s) => add(s),
                Value::Object(map) => {
                    if let Some(Value::String(name)) = map.get("name") {
                        add(name);
                    }
                }
                _ => {}
            }
        }
    }
    names
}

/// The byline of `page`: its authors and its date in the book's format.
fn byline(page: &Page, meta: &BookMeta) -> Option<Byline> {
    let lang = if page.lang.is_empty() {
        &meta.language
    } else {
        &page.lang
    };
    let date = page.date_parsed.as_ref().map(|d| BylineDate {
        datetime: d.iso(),
        text: show_date(d, meta.date_format.as_deref(), lang),
    });
    (date.is_some() || !page.authors.is_empty()).then(|| Byline {
        authors: page.authors.clone(),
        date,
    })
}

/// Appends to each section page the list of its child chapters.
fn section_lists(book: &mut Book) {
    let base = book.meta.base_url.trim_end_matches('/').to_string();
    let mut children: HashMap<String, Vec<ListItem>> = HashMap::new();
    for page in &book.pages {
        if let Some(parent) = &page.parent {
            children
                .entry(parent.clone())
                .or_default()
                .push(entry(page, &base));
        }
    }
    for page in &mut book.pages {
        if let Some(items) = children.remove(&page.id).filter(|_| page.section) {
            page.blocks.push(generated(
                SECTION_LIST,
                BlockKind::Container {
                    origin: SECTION_LIST.to_string(),
                    classes: vec![SECTION_LIST.to_string()],
                    blocks: vec![generated(
                        &format!("{SECTION_LIST}-items"),
                        BlockKind::List { start: None, items },
                    )],
                },
            ));
        }
    }
}

/// One chapter in its section's list: its title, linked, and its
/// description below.
fn entry(page: &Page, base: &str) -> ListItem {
    let title = if page.title.trim().is_empty() {
        page.id.clone()
    } else {
        page.title.trim().to_string()
    };
    let link = Inline::Link {
        link: Link {
            href: page.url.clone(),
            target: LinkTarget::Internal {
                page: page.id.clone(),
                anchor: None,
                url: format!("{base}{}", page.url),
            },
        },
        title: None,
        content: vec![Inline::Text { text: title }],
    };
    let id = format!("{SECTION_LIST}-{}", page.id);
    let mut blocks = vec![generated(
        &id,
        BlockKind::Paragraph {
            content: vec![link],
        },
    )];
    if let Some(desc) = page
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        blocks.push(generated(
            &format!("{id}-description"),
            BlockKind::Paragraph {
                content: vec![Inline::Text {
                    text: desc.to_string(),
                }],
            },
        ));
    }
    ListItem { task: None, blocks }
}

/// A block folio made, not read from a file (no source lines).
fn generated(id: &str, kind: BlockKind) -> Block {
    Block {
        id: id.to_string(),
        span: Span::default(),
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page(rel: &str, title: &str) -> Page {
        let front = crate::source::FrontMatter::default();
        let url = crate::source::page_url(Path::new(rel), &front);
        let id = url.trim_matches('/').replace('/', "-");
        Page {
            source: Path::new("content").join(rel),
            source_rel: rel.into(),
            url,
            title: title.to_string(),
            ..Page::stub(&id)
        }
    }

    fn book(pages: Vec<Page>) -> Book {
        Book {
            meta: BookMeta {
                base_url: "https://example.net/".into(),
                language: "en".into(),
                bylines: true,
                ..BookMeta::default()
            },
            pages,
        }
    }

    /// (id, parent, depth, section) of each page after the pass.
    fn places(rels: &[&str]) -> Vec<(String, Option<String>, usize, bool)> {
        let mut b = book(rels.iter().map(|r| page(r, r)).collect());
        build(
            &mut b,
            Path::new("content"),
            &Limits::default(),
            &mut Diagnostics::default(),
        );
        b.pages
            .into_iter()
            .map(|p| (p.id, p.parent, p.depth, p.section))
            .collect()
    }

    #[test]
    fn pages_nest_under_their_sections_in_site_order() {
        let got = places(&[
            "_index.md",
            "about/_index.md",
            "about/xsf/_index.md",
            "about/xsf/board.md",
            "about/install/index.md",
            "about/loose/q.md",
            "contact.md",
        ]);
        let p = |id: &str, parent: Option<&str>, depth, section| {
            (id.to_string(), parent.map(str::to_string), depth, section)
        };
        assert_eq!(
            got,
            [
                p("", None, 0, false),
                p("about", None, 0, true),
                p("about-xsf", Some("about"), 1, true),
                p("about-xsf-board", Some("about-xsf"), 2, false),
                p("about-install", Some("about"), 1, false),
                p("about-loose-q", Some("about"), 1, false),
                p("contact", None, 0, false),
            ]
        );
    }

    #[test]
    fn a_listed_order_is_kept_and_nests_only_where_it_can() {
        let got = places(&[
            "about/xsf/board.md",
            "about/_index.md",
            "contact.md",
            "about/x.md",
            "about/xsf/_index.md",
        ]);
        let parents: Vec<Option<&str>> = got.iter().map(|g| g.1.as_deref()).collect();
        // The board comes before its section; contact closes `about`.
        assert_eq!(parents, [None, None, None, None, None]);
        let got = places(&["about/_index.md", "about/x.md", "about/xsf/_index.md"]);
        let parents: Vec<Option<&str>> = got.iter().map(|g| g.1.as_deref()).collect();
        assert_eq!(parents, [None, Some("about"), Some("about")]);
    }

    #[test]
    fn nesting_stops_at_the_limit() {
        let mut rels = Vec::new();
        let mut dir = String::new();
        for _ in 0..5 {
            dir.push_str("d/");
            rels.push(format!("{dir}_index.md"));
        }
        let mut b = book(rels.iter().map(|r| page(r, r)).collect());
        let mut diags = Diagnostics::default();
        let limits = Limits {
            nesting: 3,
            ..Limits::default()
        };
        build(&mut b, Path::new("content"), &limits, &mut diags);
        let depths: Vec<usize> = b.pages.iter().map(|p| p.depth).collect();
        assert_eq!(depths, [0, 1, 2, 3, 3]);
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn author_forms() {
        let front = |v: Value| {
            v.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        assert_eq!(authors(&front(json!({"author": "agnauck"}))), ["agnauck"]);
        assert_eq!(
            authors(&front(
                json!({"author": {"name": " Jane  Doe ", "email": "x"}})
            )),
            ["Jane Doe"]
        );
        assert_eq!(
            authors(&front(json!({"authors": ["A", {"name": "B"}, "A", 3]}))),
            ["A", "B"]
        );
        assert_eq!(
            authors(&front(json!({"author": "Doe, Jane", "authors": "X, Y"}))),
            ["Doe, Jane", "X", "Y"]
        );
        assert!(authors(&front(json!({"author": "", "authors": []}))).is_empty());
    }

    #[test]
    fn sections_list_their_children_with_descriptions() {
        let mut pages = vec![
            page("about/_index.md", "About"),
            page("about/a.md", "A"),
            page("about/sub/_index.md", "Sub"),
            page("about/sub/b.md", "B"),
        ];
        pages[1].description = Some("All about A.".into());
        let mut b = book(pages);
        build(
            &mut b,
            Path::new("content"),
            &Limits::default(),
            &mut Diagnostics::default(),
        );
        let list = |p: &Page| match p.blocks.last().map(|b| &b.kind) {
            Some(BlockKind::Container { origin, blocks, .. }) if origin == SECTION_LIST => {
                match blocks.first().map(|b| &b.kind) {
                    Some(BlockKind::List { items, .. }) => items.clone(),
                    other => panic!("{other:?}"),
                }
            }
            other => panic!("no section list on {}: {other:?}", p.id),
        };
        let about = list(&b.pages[0]);
        assert_eq!(about.len(), 2, "A and Sub, not B");
        let texts: Vec<String> = about
            .iter()
            .map(|i| {
                i.blocks
                    .iter()
                    .map(|b| match &b.kind {
                        BlockKind::Paragraph { content } => crate::model::inlines_text(content),
                        _ => String::new(),
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        assert_eq!(texts, ["A|All about A.", "Sub"]);
        match &about[0].blocks[0].kind {
            BlockKind::Paragraph { content } => match &content[0] {
                Inline::Link { link, .. } => assert_eq!(
                    link.target,
                    LinkTarget::Internal {
                        page: "about-a".into(),
                        anchor: None,
                        url: "https://example.net/about/a/".into()
                    }
                ),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
        assert_eq!(list(&b.pages[2]).len(), 1);
        assert!(b.pages[1].blocks.is_empty() && b.pages[3].blocks.is_empty());
    }

    #[test]
    fn bylines_from_front_matter() {
        let mut p = page("post.md", "Post");
        p.date = Some("2024-03-01 10:00".into());
        p.front_matter
            .insert("author".into(), Value::String("Jane".into()));
        let mut q = page("other.md", "Other");
        q.date = Some("someday".into());
        let mut b = book(vec![p, q]);
        b.meta.date_format = Some("02.01.2006".into());
        build(
            &mut b,
            Path::new("content"),
            &Limits::default(),
            &mut Diagnostics::default(),
        );
        let line = b.pages[0].byline.as_ref().map(Byline::line);
        assert_eq!(line.as_deref(), Some("Jane · 01.03.2024"));
        assert_eq!(b.pages[1].byline, None, "an unreadable date and no author");
        b.meta.bylines = false;
        build(
            &mut b,
            Path::new("content"),
            &Limits::default(),
            &mut Diagnostics::default(),
        );
        assert_eq!(b.pages[0].byline, None);
        assert_eq!(b.pages[0].authors, ["Jane"], "authors stay in the model");
    }
}
