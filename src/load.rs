//! The driver up to the model: read the pages of one book, parse them, run
//! the passes. Every backend then reads the same finished [`Book`].

mod cache;
#[cfg(test)]
mod par_tests;
mod passmemo;
mod site;

pub use cache::{Changes, ParseCache};
use cache::{Digest, ParsedPage};

use crate::config::{BookConfig, Format};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Asset, Book, BookMeta, Page};
// Kept here by name: other modules spread their work through `load`.
pub(crate) use crate::par::par_map;
use crate::parse::{PageContext, ParseOptions, Widgets, parse_page};
use crate::passes;
use crate::project::{BookScope, Project};
use crate::source::{self, SourcePage};
use crate::yaml_spans::At;
use anyhow::Result;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How a book is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include pages marked `draft`.
    pub drafts: bool,
    /// The build date (Unix seconds), normally from `SOURCE_DATE_EPOCH`.
    pub date: i64,
    /// Pages parsed by earlier loads (`folio watch`): a page whose bytes
    /// are unchanged is not parsed again. The book is the same either way.
    pub cache: Option<Arc<ParseCache>>,
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
    let scope = project.book_scope(name, &config);
    let mut diags = Diagnostics::default();
    if let Some(cache) = &options.cache {
        // Before reading: pages read for other parse options are dropped.
        cache.use_options(&parse_options(project)?);
    }
    let parser = PageParser::new(project, name, &config, &scope, options)?;
    let sources = read_sources(project, &parser, &config, &scope, &mut diags)?;
    assemble(project, &parser, &config, &scope, sources, diags)
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
    let scope = project.book_scope(name, &config);
    let path = scope.content_dir.join(rel);
    let mut source = source::page_from_bytes(
        &path,
        rel.to_path_buf(),
        bytes,
        &project.config.limits,
        &scope.rules,
    )?;
    let mut diags = Diagnostics::default();
    for warning in std::mem::take(&mut source.front.warnings) {
        diags.push(warning);
    }
    let parser = PageParser::new(project, name, &config, &scope, options)?;
    let parsed = parser.parse(&source, None);
    assemble(
        project,
        &parser,
        &config,
        &scope,
        vec![(source, parsed)],
        diags,
    )
}

/// A page body parsed, with its warnings (shared with the parse cache);
/// or the error that stops the build.
type Parsed = std::result::Result<Arc<ParsedPage>, Diagnostic>;

/// What parsing a book's pages needs, made once per load: each page is
/// parsed by the thread that read it.
struct PageParser<'a> {
    /// The book's name (the parse cache's key).
    name: &'a str,
    options: ParseOptions,
    /// The book's base URL, with a trailing slash, or empty.
    base_url: String,
    cache: Option<&'a ParseCache>,
    drafts: bool,
    date: i64,
}

impl<'a> PageParser<'a> {
    fn new(
        project: &Project,
        name: &'a str,
        config: &BookConfig,
        scope: &BookScope,
        options: &'a LoadOptions,
    ) -> Result<PageParser<'a>> {
        let shared = parse_options(project)?;
        Ok(PageParser {
            name,
            options: site::parse_options(project, scope, (*shared).clone()),
            base_url: book_base_url(project, scope, config),
            cache: options.cache.as_deref(),
            drafts: options.drafts,
            date: options.date,
        })
    }

    /// The body of `src` (whose file's bytes have `digest` when it can be
    /// cached) parsed, from the cache when it holds it.
    fn parse(&self, src: &SourcePage, digest: Option<Digest>) -> Parsed {
        let url = match self.base_url.is_empty() {
            true => src.url.clone(),
            false => format!("{}{}", self.base_url, src.url.trim_start_matches('/')),
        };
        let cache = self.cache.zip(digest);
        if let Some(found) = cache.and_then(|(c, d)| c.parsed(self.name, &src.path, d, &url)) {
            return Ok(found);
        }
        let mut page_diags = Diagnostics::default();
        let page = PageContext {
            url: &url,
            front_matter: Some(&src.front.all),
        };
        let body = parse_page(
            &src.body,
            src.body_line,
            &src.path,
            &page,
            &self.options,
            &mut page_diags,
        )?;
        let parsed = Arc::new(ParsedPage {
            url,
            body,
            diags: page_diags,
        });
        if let Some((cache, digest)) = cache {
            cache.put_parsed(self.name, &src.path, digest, &parsed);
        }
        Ok(parsed)
    }
}

/// Makes the book of the read and parsed `sources` and runs the passes
/// over it; `diags` holds what reading them found. The first parse error,
/// in reading order, stops the build.
fn assemble(
    project: &Project,
    parser: &PageParser<'_>,
    config: &BookConfig,
    scope: &BookScope,
    sources: Vec<(SourcePage, Parsed)>,
    mut diags: Diagnostics,
) -> Result<Loaded> {
    let name = parser.name;
    let mut pages = Vec::with_capacity(sources.len());
    let mut bodies = Vec::with_capacity(sources.len());
    let mut ids = PageIds::default();
    for (src, parsed) in sources {
        let parsed = parsed?;
        diags.extend(parsed.diags.clone());
        let id = unique_page_id(&src.url, &mut ids);
        let lang = site::page_language(project, scope, &src);
        pages.push(Page {
            id,
            title: src
                .front
                .title
                .clone()
                .unwrap_or_else(|| fallback_title(&src.rel)),
            source: src.path,
            source_rel: src.rel,
            url: src.url,
            description: src.front.description,
            title_lang: None,
            description_lang: None,
            date: src.front.date,
            weight: src.front.weight,
            draft: src.front.draft,
            slug: src.front.slug,
            aliases: src.front.aliases,
            front_matter: src.front.all,
            // The body goes in with the passes (see `run_passes`).
            blocks: Vec::new(),
            footnotes: Vec::new(),
            body_line: src.body_line,
            lang,
            // Filled by the structure pass.
            date_parsed: None,
            authors: Vec::new(),
            byline: None,
            parent: None,
            depth: 0,
            section: false,
        });
        bodies.push(parsed);
    }

    let mut meta = book_meta(project, name, config, &pages, parser);
    site::fill_meta(project, scope, config, &mut meta, &mut diags);
    let po_dir = crate::i18n::po_dir(&crate::i18n::project_root(project));
    meta.labels = crate::i18n::labels::for_project(&po_dir, &meta.language, &mut diags);
    for page in &mut pages {
        if page.lang.is_empty() {
            page.lang.clone_from(&meta.language);
        }
    }
    meta.logo = match cover_logo(project, name, config)? {
        Some(logo) => Some(logo),
        None => site::logo(project, scope, &mut diags),
    };
    let mut book = Book { meta, pages };
    run_passes(project, parser, scope, &mut book, bodies, &mut diags);
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

/// Puts each page's body (`bodies[i]` for page `i`) into `book` and runs
/// the passes; in a watch, the links and URLs passes' results are taken
/// from the memo for the pages they would leave the same.
fn run_passes(
    project: &Project,
    parser: &PageParser<'_>,
    scope: &BookScope,
    book: &mut Book,
    bodies: Vec<Arc<ParsedPage>>,
    diags: &mut Diagnostics,
) {
    let (static_dir, limits) = (&project.static_dir, &project.config.limits);
    if let Some(cache) = parser.cache {
        let mut memo = cache.take_passes(parser.name);
        let roots = (scope.content_dir.as_path(), static_dir.as_path());
        let counts = passmemo::run(&mut memo, book, &bodies, roots, limits, diags);
        cache.put_passes(parser.name, memo, counts);
        return;
    }
    for (page, parsed) in book.pages.iter_mut().zip(bodies) {
        // Held by nothing else without a cache: moved, not copied.
        let body = match Arc::try_unwrap(parsed) {
            Ok(parsed) => parsed.body,
            Err(shared) => shared.body.clone(),
        };
        page.blocks = body.blocks;
        page.footnotes = body.footnotes;
    }
    passes::run(book, &scope.content_dir, static_dir, limits, diags);
}

/// In a translated build (`Project::translation`), the Hugo translation
/// `page.L.md` beside `path`, read in its place: its own file for
/// messages, the source page's place (`rel`, URL) so links to it hold.
/// `None`: no translated build, or no translation of this page.
fn translation_page(
    project: &Project,
    content: &Path,
    path: &Path,
    scope: &BookScope,
) -> Option<std::result::Result<SourcePage, Diagnostic>> {
    let lang = project.translation.as_deref()?;
    let stem = path.file_stem()?.to_str()?;
    let ext = path.extension()?.to_str()?;
    let sibling = path.with_file_name(format!("{stem}.{lang}.{ext}"));
    if !sibling.is_file() {
        return None;
    }
    let rel = path.strip_prefix(content).ok()?.to_path_buf();
    Some(
        source::load_page(content, &sibling, &project.config.limits, &scope.rules).map(|mut p| {
            p.url = scope.rules.url_of(&rel, &p.front);
            p.rel = rel;
            p
        }),
    )
}

/// How the project's pages are read (made once per build, see
/// [`read_options`]).
fn parse_options(project: &Project) -> Result<Arc<ParseOptions>> {
    if let Some(options) = project.parse_options.get() {
        return Ok(Arc::clone(options));
    }
    let options = Arc::new(read_options(project)?);
    Ok(Arc::clone(project.parse_options.get_or_init(|| options)))
}

/// The `shortcodes:` actions with their widget templates, the site's data
/// files (read only when a widget template may use them), the typographer
/// and emoji switches.
fn read_options(project: &Project) -> Result<ParseOptions> {
    let config = &project.config;
    let mut options = ParseOptions {
        shortcodes: config.shortcodes.clone(),
        limits: config.limits,
        ..ParseOptions::default()
    };
    // folio.yaml has the last word over the defaults (and the site's config).
    if let Some(on) = config.typographer {
        options.typographer = on;
    }
    if let Some(on) = config.emoji {
        options.emoji = on;
    }
    let widgets = Widgets::load(&project.templates_dir, &config.shortcodes, &config.limits)
        .map_err(|e| {
            project.config_error(
                &At::keys(&["shortcodes", &e.shortcode, "template"]),
                e.message,
            )
        })?;
    if !widgets.is_empty() {
        if let Some(dir) = &project.data_dir {
            options.data = Arc::new(crate::data::load(dir, &config.limits)?);
        }
        options.widgets = Some(Arc::new(widgets));
    }
    Ok(options)
}

/// The source pages of a book, in reading order, drafts filtered. Every
/// page lies inside the content root, symbolic links resolved.
fn read_sources(
    project: &Project,
    parser: &PageParser<'_>,
    config: &BookConfig,
    scope: &BookScope,
    diags: &mut Diagnostics,
) -> Result<Vec<(SourcePage, Parsed)>> {
    let name = parser.name;
    let content = &scope.content_dir;
    let root = content_root(content)?;
    let limits = &project.config.limits;
    let listed = !config.pages.is_empty();
    let paths = if listed {
        let at = At::keys(&["books", name, "pages"]);
        config
            .pages
            .iter()
            .enumerate()
            .map(|(i, rel)| listed_page(project, scope, name, &root, rel, &at.clone().item(i)))
            .collect::<Result<Vec<_>>>()?
    } else {
        site::book_files(scope, discover(parser.cache, content, diags)?)
    };
    let in_book = |page: &SourcePage| listed || site::in_book(scope, page);
    // Each page is read, and parsed when it is in the book, by one thread:
    // one pass over the cores. Errors still come in the order they did:
    // reading's in file order first, then parsing's in reading order.
    let loaded = par_map(&paths, |path| {
        let read = match translation_page(project, content, path, scope) {
            Some(page) => page.map(|p| (p, None)),
            None => match parser.cache {
                Some(cache) => read_cached(cache, name, content, path, limits, &scope.rules),
                None => source::load_page(content, path, limits, &scope.rules).map(|p| (p, None)),
            },
        };
        read.map(|(page, digest)| {
            let wanted = in_book(&page) && (parser.drafts || !page.front.draft);
            let parsed = wanted.then(|| parser.parse(&page, digest));
            (page, parsed)
        })
    });
    let mut pages = Vec::with_capacity(paths.len());
    let mut drafts = 0;
    for page in loaded {
        let (mut page, parsed) = page?;
        for warning in std::mem::take(&mut page.front.warnings) {
            diags.push(warning);
        }
        match parsed {
            Some(parsed) => pages.push((page, parsed)),
            None if in_book(&page) => drafts += 1,
            None => {}
        }
    }
    if pages.is_empty() {
        return Err(no_pages(project, scope, name, listed, drafts).into());
    }
    if listed {
        return Ok(pages);
    }
    // Hugo's order; each page's parse goes with it (a translation read in
    // its source's place shares its file, not its `rel`).
    let mut parsed: HashMap<(PathBuf, PathBuf), Parsed> = HashMap::with_capacity(pages.len());
    let mut read = Vec::with_capacity(pages.len());
    for (page, body) in pages {
        parsed.insert((page.path.clone(), page.rel.clone()), body);
        read.push(page);
    }
    Ok(source::site_order(read)
        .into_iter()
        .map(|page| {
            // Each (file, place) is read once, so its parse is there; were
            // it not, parsing again gives the same body.
            let body = parsed
                .remove(&(page.path.clone(), page.rel.clone()))
                .unwrap_or_else(|| parser.parse(&page, None));
            (page, body)
        })
        .collect())
}

/// Page `path` as [`source::load_page`] reads it, from `cache` when its
/// bytes are the ones cached.
fn read_cached(
    cache: &ParseCache,
    book: &str,
    content: &Path,
    path: &Path,
    limits: &crate::Limits,
    rules: &source::SiteRules,
) -> Result<(SourcePage, Option<Digest>), Diagnostic> {
    let rel = path.strip_prefix(content).map_err(|_| {
        let why = format!(
            "page is not inside the content directory `{}`",
            content.display()
        );
        Diagnostic::error(path, 0, why)
    })?;
    if let Some((page, digest)) = cache.unchanged(book, path) {
        return Ok((page, Some(digest)));
    }
    let bytes = std::fs::read(path)
        .map_err(|err| Diagnostic::error(path, 0, "cannot read page").with_cause(err))?;
    let digest = Digest::of(&bytes);
    if let Some(page) = cache.source(book, path, digest) {
        return Ok((page, Some(digest)));
    }
    let page = source::page_from_bytes(path, rel.to_path_buf(), bytes, limits, rules)?;
    cache.put_source(book, digest, &page);
    Ok((page, Some(digest)))
}

/// The pages under `content` ([`source::discover_pages`]), as an earlier
/// load of a watch found them when no event since may have changed them.
fn discover(
    cache: Option<&ParseCache>,
    content: &Path,
    diags: &mut Diagnostics,
) -> Result<Vec<PathBuf>, Diagnostic> {
    if let Some(found) = cache.and_then(|c| c.discovered(content)) {
        diags.extend(found.1.clone());
        return Ok(found.0.clone());
    }
    let mut found = Diagnostics::default();
    let pages = source::discover_pages(content, &mut found)?;
    if let Some(cache) = cache {
        cache.put_discovered(content, &pages, &found);
    }
    diags.extend(found);
    Ok(pages)
}

/// The content folder, resolved: every page must lie inside it.
fn content_root(content: &Path) -> Result<PathBuf> {
    if content.is_file() {
        return Err(
            Diagnostic::error(content, 0, "the content folder is a file, not a folder")
                .with_hint("pass the folder that holds the pages")
                .into(),
        );
    }
    content.canonicalize().map_err(|e| {
        Diagnostic::error(content, 0, "content folder not found")
            .with_cause(e)
            .with_hint("run folio where folio.yaml is, or pass --content DIR")
            .into()
    })
}

/// The file of page `rel` listed at `at` in the config: inside the content
/// root once symbolic links are resolved, and a regular file (a folder or
/// a FIFO is refused before anything is opened).
fn listed_page(
    project: &Project,
    scope: &BookScope,
    name: &str,
    root: &Path,
    rel: &Path,
    at: &At,
) -> Result<PathBuf> {
    let shown = rel.display();
    let refuse = |why: String| -> anyhow::Error {
        project
            .config_error(at, format!("book `{name}` lists page `{shown}`, {why}"))
            .with_hint(format!(
                "page paths are relative to {} and stay inside it",
                scope.content_dir.display()
            ))
            .into()
    };
    if let Some(why) = crate::config::leaves_root(rel) {
        return Err(refuse(why.to_string()));
    }
    let path = scope.content_dir.join(rel);
    let real = match path.canonicalize() {
        Ok(real) => real,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refuse("which does not exist".to_string()));
        }
        Err(e) => return Err(refuse(format!("which cannot be followed ({e})"))),
    };
    if !real.starts_with(root) {
        return Err(refuse(
            "which is a symbolic link to a file outside the content folder".to_string(),
        ));
    }
    if real.is_dir() {
        return Err(refuse("which is a folder, not a page".to_string()));
    }
    if !real.is_file() {
        return Err(refuse("which is not a regular file".to_string()));
    }
    Ok(path)
}

/// The error for a book with nothing to build.
fn no_pages(
    project: &Project,
    scope: &BookScope,
    name: &str,
    listed: bool,
    drafts: usize,
) -> Diagnostic {
    let why = if drafts > 0 {
        format!(
            "book `{name}` has no pages to build: {}",
            if drafts == 1 {
                "its one page is a draft".to_string()
            } else {
                format!("all {drafts} of its pages are drafts")
            }
        )
    } else {
        format!("book `{name}` has no pages")
    };
    let diag = if listed {
        project.config_error(&At::keys(&["books", name, "pages"]), why)
    } else {
        Diagnostic::error(&scope.content_dir, 0, why)
    };
    if drafts > 0 {
        diag.with_hint("pass --drafts to include drafts")
    } else {
        diag.with_hint("a book needs at least one Markdown page (.md)")
    }
}

fn book_meta(
    project: &Project,
    name: &str,
    config: &BookConfig,
    pages: &[Page],
    parser: &PageParser<'_>,
) -> BookMeta {
    let d = &project.config.defaults;
    let title = if !config.title.trim().is_empty() {
        config.title.clone()
    } else {
        // A whole-site export takes the site's title (see
        // `site::fill_meta`), else the home page's, else the folder's name.
        pages
            .iter()
            .find(|p| p.url == "/" || p.url.eq_ignore_ascii_case(&format!("/{}/", p.lang)))
            .map(|p| p.title.clone())
            .unwrap_or_else(|| site_name(&project.content_dir))
    };
    let language = config
        .language
        .clone()
        .or_else(|| d.language.clone())
        .unwrap_or_else(|| "en".to_string());
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
        language: language.clone(),
        base_url: parser.base_url.clone(),
        date: parser.date,
        direction: config
            .direction
            .or(d.direction)
            .unwrap_or_else(|| crate::model::Direction::of_language(&language)),
        logo: None,
        date_format: None,
        bylines: config.bylines.or(d.bylines).unwrap_or(true),
        toc_pdf: config.toc.unwrap_or_default().or(d.toc).pdf,
        toc_epub: config.toc.unwrap_or_default().or(d.toc).epub,
        page_list: config
            .page_list
            .or(d.page_list)
            .unwrap_or(config.formats.contains(&Format::Pdf)),
        labels: Default::default(),
    }
}

/// The book's base URL, with a trailing slash (known before its pages are
/// parsed: notes pointing to the website name their page there).
fn book_base_url(project: &Project, scope: &BookScope, config: &BookConfig) -> String {
    // Unknown stays empty: links out of the book then stay site-relative
    // (`site::fill_meta` warns once).
    let mut base_url = config
        .base_url
        .clone()
        .or_else(|| project.config.defaults.base_url.clone())
        .or_else(|| site::base_url(project, scope))
        .unwrap_or_default();
    if !base_url.is_empty() && !base_url.ends_with('/') {
        base_url.push('/');
    }
    base_url
}

/// The configured cover logo, a file inside the static root, resolved by
/// the same containment rules as every image (a symlink out is refused
/// before it is followed). A logo that is missing or lies outside is an
/// error at its `logo:` line.
fn cover_logo(project: &Project, name: &str, config: &BookConfig) -> Result<Option<Asset>> {
    let (src, at) = match (&config.logo, &project.config.defaults.logo) {
        (Some(logo), _) => (logo, At::keys(&["books", name, "logo"])),
        (None, Some(logo)) => (logo, At::keys(&["defaults", "logo"])),
        (None, None) => return Ok(None),
    };
    let refuse = |why: &str| -> anyhow::Error {
        project
            .config_error(&at, format!("cover logo `{src}` {why}"))
            .with_hint(format!(
                "the logo is a path in the static folder {}",
                project.static_dir.display()
            ))
            .into()
    };
    let root = project
        .static_dir
        .canonicalize()
        .map_err(|_| refuse("cannot be found: the static folder does not exist"))?;
    if crate::config::leaves_root(Path::new(src.trim().trim_start_matches('/'))).is_some() {
        return Err(refuse("is not a file inside the static folder"));
    }
    crate::image::resolve::locate(src, Some(&root), &root)
        .map(Some)
        .map_err(|why| refuse(&why.to_string()))
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

/// Page ids given out in one book.
#[derive(Default)]
struct PageIds {
    taken: HashSet<String>,
    /// Base -> the last suffix tried for it: every smaller one is taken, so
    /// 5 000 pages with one URL cost linear time.
    last: HashMap<String, u32>,
}

/// `/about/xsf/mission/` → `about-xsf-mission`, unique within the book.
fn unique_page_id(url: &str, ids: &mut PageIds) -> String {
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
    if ids.taken.insert(base.clone()) {
        return base;
    }
    let n = ids.last.entry(base.clone()).or_insert(1);
    loop {
        *n += 1;
        let id = format!("{base}-{n}");
        if ids.taken.insert(id.clone()) {
            return id;
        }
    }
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
