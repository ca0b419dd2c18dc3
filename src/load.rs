//! The driver up to the model: read the pages of one book, parse them, run
//! the passes. Every backend then reads the same finished [`Book`].

use crate::config::{BookConfig, Format};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Asset, Book, BookMeta, Page};
use crate::parse::{ParseOptions, parse_body};
use crate::passes;
use crate::project::Project;
use crate::source::{self, SourcePage};
use anyhow::Result;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// How a book is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include pages marked `draft`.
    pub drafts: bool,
    /// The build date (Unix seconds), normally from `SOURCE_DATE_EPOCH`.
    pub date: i64,
}

/// A loaded book and what was found wrong on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub book: Book,
    pub formats: Vec<Format>,
    pub diagnostics: Diagnostics,
}

/// Loads book `name` of `project`: pages read and parsed, links and assets
/// resolved. Fatal input errors (bad front matter, an unterminated
/// shortcode, invalid UTF-8) are `Diagnostic` errors; the rest are warnings.
pub fn load_book(project: &Project, name: &str, options: &LoadOptions) -> Result<Loaded> {
    let config = project.book_config(name)?;
    let sources = read_sources(project, name, &config, options)?;
    assemble(project, name, &config, sources, options)
}

/// Loads book `name` of `project` as if its only page were `bytes` at `rel`
/// under the content root (drafts included): the whole of [`load_book`]
/// but the reading of files, so that a page can be fuzzed in memory.
pub fn load_page_from_bytes(
    project: &Project,
    name: &str,
    rel: &Path,
    bytes: Vec<u8>,
    options: &LoadOptions,
) -> Result<Loaded> {
    let config = project.book_config(name)?;
    let path = project.content_dir.join(rel);
    let source = source::page_from_bytes(&path, rel.to_path_buf(), bytes)?;
    assemble(project, name, &config, vec![source], options)
}

/// Parses the read `sources` into pages and runs the passes over the book.
fn assemble(
    project: &Project,
    name: &str,
    config: &BookConfig,
    sources: Vec<SourcePage>,
    options: &LoadOptions,
) -> Result<Loaded> {
    let mut diags = Diagnostics::default();

    let parse_options = ParseOptions {
        shortcodes: project.config.shortcodes.clone(),
        limits: project.config.limits,
    };
    // Pages parse independently: spread them over the cores, then take the
    // results (and warnings) back in page order so output stays the same.
    let parsed = par_map(&sources, |src| {
        let mut page_diags = Diagnostics::default();
        parse_body(
            &src.body,
            src.body_line,
            &src.path,
            &parse_options,
            &mut page_diags,
        )
        .map(|body| (body, page_diags))
    });
    let mut pages = Vec::with_capacity(sources.len());
    let mut ids = HashSet::new();
    for (src, result) in sources.into_iter().zip(parsed) {
        let (body, page_diags) = result?;
        diags.extend(page_diags);
        let id = unique_page_id(&src.url, &mut ids);
        pages.push(Page {
            id,
            title: src
                .front
                .title
                .clone()
                .unwrap_or_else(|| fallback_title(&src.rel)),
            source: src.path,
            url: src.url,
            description: src.front.description,
            date: src.front.date,
            weight: src.front.weight,
            draft: src.front.draft,
            slug: src.front.slug,
            aliases: src.front.aliases,
            front_matter: src.front.all,
            blocks: body.blocks,
            footnotes: body.footnotes,
            body_line: src.body_line,
        });
    }

    let mut meta = book_meta(project, name, config, &pages, options);
    meta.logo = cover_logo(project, config, &mut diags);
    let mut book = Book { meta, pages };
    passes::run(
        &mut book,
        &project.content_dir,
        &project.static_dir,
        &mut diags,
    );
    let formats = if config.formats.is_empty() {
        vec![Format::Text]
    } else {
        config.formats.clone()
    };
    Ok(Loaded {
        book,
        formats,
        diagnostics: diags,
    })
}

/// The source pages of a book, in reading order, drafts filtered.
fn read_sources(
    project: &Project,
    name: &str,
    config: &BookConfig,
    options: &LoadOptions,
) -> Result<Vec<SourcePage>> {
    let content = &project.content_dir;
    if !content.is_dir() {
        return Err(Diagnostic::error(content, 0, "content folder not found")
            .with_hint("run folio where folio.yaml is, or pass --content DIR")
            .into());
    }
    if config.pages.is_empty() {
        let paths = source::discover_pages(content)?;
        let loaded = par_map(&paths, |path| source::load_page(content, path));
        let mut pages = Vec::with_capacity(paths.len());
        for page in loaded {
            let page = page?;
            if options.drafts || !page.front.draft {
                pages.push(page);
            }
        }
        return Ok(site_order(pages));
    }
    let mut pages = Vec::with_capacity(config.pages.len());
    for rel in &config.pages {
        let path = content.join(rel);
        if !path.is_file() {
            return Err(Diagnostic::error(
                project.config_display(),
                0,
                format!(
                    "book `{name}` lists page `{}`, which does not exist",
                    rel.display()
                ),
            )
            .with_hint(format!("page paths are relative to {}", content.display()))
            .into());
        }
        let page = source::load_page(content, &path)?;
        if options.drafts || !page.front.draft {
            pages.push(page);
        }
    }
    Ok(pages)
}

/// `f` over `items` on up to as many threads as there are cores, results in
/// the order of `items`. Small inputs stay on the calling thread.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || items.len() < 16 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            // A panicking worker is a bug; re-raise it on this thread.
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Orders a whole site as a reader walks it: each section's `_index` page,
/// then its pages and subsections in Hugo's order, depth first.
fn site_order(pages: Vec<SourcePage>) -> Vec<SourcePage> {
    // Group pages by section folder; a section's own `_index.md` heads it.
    let mut sections: BTreeMap<PathBuf, (Option<SourcePage>, Vec<SourcePage>)> = BTreeMap::new();
    for page in pages {
        let dir = page.rel.parent().map(Path::to_path_buf).unwrap_or_default();
        let is_index = page.rel.file_stem().is_some_and(|s| s == "_index");
        if is_index {
            sections.entry(dir.clone()).or_default().0 = Some(page);
        } else {
            sections.entry(dir).or_default().1.push(page);
        }
    }
    // Make sure every ancestor of a section exists so subsections get placed.
    let dirs: Vec<PathBuf> = sections.keys().cloned().collect();
    for dir in dirs {
        for anc in dir.ancestors().skip(1) {
            sections.entry(anc.to_path_buf()).or_default();
        }
    }
    let mut out = Vec::new();
    walk_section(Path::new(""), &mut sections, &mut out);
    out
}

/// One entry in a section listing: a page, or a subsection sorted by its index page.
enum Entry {
    Page(Box<SourcePage>),
    Section(PathBuf),
}

fn walk_section(
    dir: &Path,
    sections: &mut BTreeMap<PathBuf, (Option<SourcePage>, Vec<SourcePage>)>,
    out: &mut Vec<SourcePage>,
) {
    let Some((index, pages)) = sections.remove(dir) else {
        return;
    };
    if let Some(index) = index {
        out.push(index);
    }
    let subdirs: Vec<PathBuf> = sections
        .keys()
        .filter(|d| d.parent() == Some(dir) && d.as_path() != dir)
        .cloned()
        .collect();
    // Sort pages and subsections together: a subsection sorts by its
    // `_index` page, or by its path when it has none.
    let mut keyed: Vec<SourcePage> = pages;
    let mut section_keys = Vec::new();
    for sub in &subdirs {
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
        section_keys.push((key.path.clone(), sub.clone()));
        keyed.push(key);
    }
    source::hugo_order(&mut keyed);
    let mut entries = Vec::with_capacity(keyed.len());
    for page in keyed {
        match section_keys.iter().find(|(p, _)| *p == page.path) {
            Some((_, sub)) => entries.push(Entry::Section(sub.clone())),
            None => entries.push(Entry::Page(Box::new(page))),
        }
    }
    for entry in entries {
        match entry {
            Entry::Page(p) => out.push(*p),
            Entry::Section(sub) => walk_section(&sub, sections, out),
        }
    }
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

fn book_meta(
    project: &Project,
    name: &str,
    config: &BookConfig,
    pages: &[Page],
    options: &LoadOptions,
) -> BookMeta {
    let d = &project.config.defaults;
    let title = if !config.title.trim().is_empty() {
        config.title.clone()
    } else {
        // A whole-site export takes the home page's title, else the folder's name.
        pages
            .iter()
            .find(|p| p.url == "/")
            .map(|p| p.title.clone())
            .unwrap_or_else(|| site_name(&project.content_dir))
    };
    let mut base_url = config
        .base_url
        .clone()
        .or_else(|| d.base_url.clone())
        .unwrap_or_else(|| "https://example.org/".to_string());
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    BookMeta {
        name: name.to_string(),
        title,
        subtitle: config.subtitle.clone(),
        description: config.description.clone(),
        authors: if config.authors.is_empty() {
            d.authors.clone()
        } else {
            config.authors.clone()
        },
        publisher: config.publisher.clone().or_else(|| d.publisher.clone()),
        rights: config.rights.clone().or_else(|| d.rights.clone()),
        keywords: config.keywords.clone(),
        language: config
            .language
            .clone()
            .or_else(|| d.language.clone())
            .unwrap_or_else(|| "en".to_string()),
        base_url,
        date: options.date,
        logo: None,
    }
}

/// The configured cover logo, found in the static root (a warning naming
/// the config file when it is not there).
fn cover_logo(project: &Project, config: &BookConfig, diags: &mut Diagnostics) -> Option<Asset> {
    let src = config
        .logo
        .as_ref()
        .or(project.config.defaults.logo.as_ref())?;
    let root = project.static_dir.canonicalize().ok();
    match crate::passes::assets::locate(src, root.as_deref(), &project.content_dir) {
        Ok(asset) => Some(asset),
        Err(why) => {
            diags.warn(
                project.config_display(),
                0,
                format!("cover logo `{src}` {why}"),
            );
            None
        }
    }
}

/// The name of a site folder (`xmpp-org` for `.../xmpp-org/content`).
fn site_name(content: &Path) -> String {
    let dir = if content.file_name().is_some_and(|n| n == "content") {
        content.parent().unwrap_or(content)
    } else {
        content
    };
    dir.canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "Site".to_string())
}

fn fallback_title(rel: &Path) -> String {
    rel.file_stem()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_default()
}

/// `/about/xsf/mission/` → `about-xsf-mission`, unique within the book.
fn unique_page_id(url: &str, taken: &mut HashSet<String>) -> String {
    let mut base: String = url
        .trim_matches('/')
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if base.is_empty() {
        base = "index".to_string();
    }
    let mut id = base.clone();
    let mut n = 1;
    while !taken.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// The build date: `SOURCE_DATE_EPOCH` when set (the reproducible-builds
/// convention), else today at 00:00 UTC, so that builds of the same input on
/// the same day are the same bytes.
pub fn source_date_epoch() -> Result<i64> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v.trim().parse::<i64>().map_err(|_| {
            anyhow::anyhow!("SOURCE_DATE_EPOCH must be a whole number of seconds, not `{v}`")
        }),
        _ => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            Ok(now - now.rem_euclid(86_400))
        }
    }
}
