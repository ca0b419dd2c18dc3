//! A project: the config file (if any) and the folders it names, resolved
//! to real paths, and the books it defines.
//!
//! # A Hugo site
//!
//! A project may read a Hugo site (`--site DIR`, or `site:` in
//! `folio.yaml`). Its configuration then supplies what `folio.yaml` leaves
//! out, `folio.yaml` winning wherever both speak:
//!
//! - folders: `content:`/`static:` in `folio.yaml` (or `--content`,
//!   `--static`), else the site's `contentDir`, `staticDir`, `dataDir`;
//! - book metadata: a book's own keys, then `defaults:`, then the site
//!   (the language's `title`, `baseURL` and `params`, then the site's);
//! - languages and URLs always come from the site.
//!
//! A site exported whole is one book per language with pages: `site` for
//! the default language, `site.<code>` for each other one, each holding
//! only its language's pages.

use crate::backend::Resources;
use crate::config::{BookConfig, Config, Format};
use crate::diag::Diagnostic;
use crate::hugo::HugoSite;
use crate::shipped::Folder;
use crate::source::SiteRules;
use crate::yaml_spans::At;
use anyhow::Result;
use site::{SiteBook, check_site_languages, open_configured_site};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod site;

/// Where everything is, once the config is read.
#[derive(Debug, Clone)]
pub struct Project {
    /// The config file, when there is one.
    pub config_path: Option<PathBuf>,
    pub config: Config,
    pub content_dir: PathBuf,
    pub static_dir: PathBuf,
    /// The fonts folder; it may be missing. Its files override the built-in
    /// fonts by name, and it may add faces (see [`crate::shipped`]).
    pub fonts_dir: PathBuf,
    /// The templates folder; it may be missing. Its files override the
    /// built-in style and EPUB templates one by one.
    pub templates_dir: PathBuf,
    pub output_dir: PathBuf,
    /// True when the books come from `--content` (or no config): one book of
    /// every page under the content root.
    pub whole_site: bool,
    /// The site's `data/` folder (Hugo's data files for widget templates),
    /// when there is one.
    pub data_dir: Option<PathBuf>,
    /// The Hugo site the project reads (`--site`, `site:`), if any.
    pub site: Option<Arc<HugoSite>>,
    /// The languages to build (`--lang`, `site: languages:`), lower-case;
    /// empty: every one.
    pub languages: Vec<String>,
    /// A translated build's language (`build --lang L` of folio.yaml
    /// books): a page's Hugo translation `page.L.md` beside it is read in
    /// its place, at the source page's URL.
    pub translation: Option<String>,
    /// The whole-site books of a site, by name, with their language
    /// (languages with pages only).
    site_books: BTreeMap<String, SiteBook>,
    /// Whether drafts count as pages when deciding which languages have a
    /// book.
    drafts: bool,
    /// How pages are read, made by the first book loaded (widget templates
    /// and data files are read once per build, not once per book).
    pub parse_options:
        std::sync::Arc<std::sync::OnceLock<std::sync::Arc<crate::parse::ParseOptions>>>,
}

/// Name of the book made of a whole content folder.
pub const SITE_BOOK: &str = "site";

/// What one book reads: its content folder, its language, and the rules
/// that give its pages their language and URL.
#[derive(Debug, Clone)]
pub struct BookScope {
    /// The folder the book's pages are found in (and relative to).
    pub content_dir: PathBuf,
    /// The book's language code, when the site or the config names one.
    pub language: Option<String>,
    /// Only pages in `language` belong to the book (a site's books that
    /// do not list their pages).
    pub only_language: bool,
    /// Folders under `content_dir` that hold other languages' pages.
    pub exclude: Vec<PathBuf>,
    pub rules: SiteRules,
}

impl Project {
    /// Opens the project of a config file; paths in it are relative to its folder.
    pub fn from_config(path: &Path) -> Result<Project> {
        let config = Config::load(path)?;
        let root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let at = |p: &Option<PathBuf>, default: &str| -> PathBuf {
            let p = p.clone().unwrap_or_else(|| PathBuf::from(default));
            if p.is_absolute() { p } else { root.join(p) }
        };
        let config_path = tidy(path);
        let site = match &config.site {
            Some(site) => Some(open_configured_site(
                &config,
                &config_path,
                &at(&Some(site.path.clone()), "."),
            )?),
            None => None,
        };
        let content_dir = match (&config.content, &site) {
            (None, Some(site)) => site.content_dir.clone(),
            _ => at(&config.content, "content"),
        };
        let static_dir = match (&config.static_dir, &site) {
            (Some(_), _) => at(&config.static_dir, "content"),
            (None, Some(site)) => site.static_dir(),
            (None, None) => content_dir.clone(),
        };
        let whole_site = config.books.is_empty();
        for (key, dir) in [
            ("content", &content_dir),
            ("static", &static_dir),
            ("fonts", &at(&config.fonts, "fonts")),
            ("templates", &at(&config.templates, "templates")),
            ("output", &at(&config.output, "dist")),
            ("data", &at(&config.data, "data")),
        ] {
            check_folder(&config, &config_path, key, dir)?;
        }
        let languages = config
            .site
            .as_ref()
            .map(|s| s.languages.iter().map(|l| l.to_lowercase()).collect())
            .unwrap_or_default();
        let mut project = Project {
            fonts_dir: at(&config.fonts, "fonts"),
            templates_dir: at(&config.templates, "templates"),
            output_dir: at(&config.output, "dist"),
            content_dir,
            static_dir,
            data_dir: config.data.as_ref().map(|_| at(&config.data, "data")),
            config_path: Some(config_path),
            config,
            whole_site,
            site: None,
            languages,
            translation: None,
            site_books: BTreeMap::new(),
            drafts: false,
            parse_options: Default::default(),
        };
        if let Some(site) = site {
            check_site_languages(&project.config, &project.config_display(), &site)?;
            project.set_site(site);
        }
        Ok(project)
    }

    /// The project of the Hugo site in folder `dir` exported whole (`--site
    /// DIR`): one book per language. Fonts, templates, defaults and limits
    /// come from `base` (the config found, if any); `content` and
    /// `static_dir` replace the site's folders when given.
    pub fn hugo(
        dir: &Path,
        content: Option<PathBuf>,
        static_dir: Option<PathBuf>,
        base: Option<Project>,
    ) -> Result<Project> {
        let limits = base.as_ref().map(|b| b.config.limits).unwrap_or_default();
        // The site named here replaces any `site:` of folio.yaml.
        let base = base.map(|mut b| {
            b.site = None;
            b.languages.clear();
            b
        });
        let site = HugoSite::open(dir, &limits)?;
        let content = content.unwrap_or_else(|| site.content_dir.clone());
        let static_dir = static_dir.unwrap_or_else(|| site.static_dir());
        let mut project = Project::site(content, Some(static_dir), base);
        project.set_site(site);
        Ok(project)
    }

    /// Finds `folio.yaml` from `cwd` upwards and opens it; without one, a
    /// project of `cwd/content` exported whole.
    pub fn discover(cwd: &Path) -> Result<Project> {
        match Config::find(cwd) {
            Some(path) => Project::from_config(&relative_to(&path, cwd)),
            None => Ok(Project::site(cwd.join("content"), None, None)),
        }
    }

    /// A project exporting every page under `content` as one book. Fonts,
    /// templates and defaults come from `base` (the config found, if any).
    pub fn site(content: PathBuf, static_dir: Option<PathBuf>, base: Option<Project>) -> Project {
        let static_dir = static_dir.unwrap_or_else(|| content.clone());
        match base {
            Some(mut p) => {
                p.content_dir = content;
                p.static_dir = static_dir;
                p.whole_site = true;
                if let Some(site) = p.site.take() {
                    p.set_site(Arc::unwrap_or_clone(site));
                }
                p
            }
            None => Project {
                config_path: None,
                config: Config::default(),
                content_dir: content,
                static_dir,
                fonts_dir: default_dir(Folder::Fonts),
                templates_dir: default_dir(Folder::Templates),
                output_dir: PathBuf::from("dist"),
                whole_site: true,
                data_dir: None,
                site: None,
                languages: Vec::new(),
                translation: None,
                site_books: BTreeMap::new(),
                drafts: false,
                parse_options: Default::default(),
            },
        }
    }

    /// The names of the books this project builds, in a fixed order: the
    /// default language's first, then Hugo's order of languages. With
    /// languages selected, only theirs.
    pub fn book_names(&self) -> Vec<String> {
        if self.whole_site && !self.site_books.is_empty() {
            let mut books: Vec<(&String, &SiteBook)> = self
                .site_books
                .iter()
                .filter(|(_, b)| self.languages.is_empty() || self.languages.contains(&b.lang))
                .collect();
            books.sort_by_key(|(_, b)| b.rank);
            books.into_iter().map(|(name, _)| name.clone()).collect()
        } else if self.whole_site {
            vec![SITE_BOOK.to_string()]
        } else {
            self.config
                .books
                .iter()
                .filter(|(_, book)| {
                    self.languages.is_empty()
                        || self
                            .configured_language(book)
                            .is_some_and(|l| self.languages.contains(&l))
                })
                .map(|(name, _)| name.clone())
                .collect()
        }
    }

    /// Every book the project defines, whatever languages are selected.
    fn all_books(&self) -> Vec<String> {
        if self.whole_site && !self.site_books.is_empty() {
            self.site_books.keys().cloned().collect()
        } else if self.whole_site {
            vec![SITE_BOOK.to_string()]
        } else {
            self.config.books.keys().cloned().collect()
        }
    }

    /// The configuration of book `name` (a whole-site book gets one made up).
    pub fn book_config(&self, name: &str) -> Result<BookConfig> {
        if self.whole_site {
            let known = self.all_books();
            if !known.iter().any(|k| k == name) {
                return Err(unknown_book(name, &known));
            }
            let language = self.site_books.get(name).map(|b| {
                self.site
                    .as_ref()
                    .and_then(|site| site.language(&b.lang))
                    .map_or_else(|| b.lang.clone(), |l| l.tag().to_string())
            });
            let title = self
                .config
                .site
                .as_ref()
                .and_then(|s| s.title.clone())
                .unwrap_or_default();
            return Ok(BookConfig {
                title,
                language,
                formats: vec![Format::Text, Format::Pdf, Format::Epub],
                ..BookConfig::default()
            });
        }
        self.config
            .books
            .get(name)
            .cloned()
            .ok_or_else(|| unknown_book(name, &self.all_books()))
    }

    /// Fonts and templates, for the backends.
    pub fn resources(&self) -> Resources {
        Resources {
            fonts_dir: self.fonts_dir.clone(),
            templates_dir: self.templates_dir.clone(),
            static_dir: self.static_dir.clone(),
            limits: self.config.limits,
        }
    }

    /// An error about the configuration, at the value of `at` in the config
    /// file (`folio.yaml:LINE:COL`).
    pub fn config_error(&self, at: &At, message: impl Into<String>) -> Diagnostic {
        let mark = self.config.value_mark(at);
        Diagnostic::error(self.config_display(), mark.line, message).with_column(mark.column)
    }

    /// The file diagnostics about the configuration point at.
    pub fn config_display(&self) -> PathBuf {
        self.config_path
            .clone()
            .unwrap_or_else(|| PathBuf::from(crate::config::CONFIG_FILE))
    }
}

/// A folder the config names explicitly must be a folder (the output
/// folder may be missing: the build makes it); the fonts folder must hold
/// fonts. Errors point at the key's value in the config.
fn check_folder(config: &Config, config_path: &Path, key: &str, dir: &Path) -> Result<()> {
    let at = At::keys(&[key]);
    if !config.has(&at) {
        return Ok(());
    }
    let problem = if !dir.exists() {
        (key != "output").then(|| format!("the {key} folder `{}` does not exist", dir.display()))
    } else if !dir.is_dir() {
        Some(format!(
            "`{key}: {}` is a file, not a folder",
            dir.display()
        ))
    } else if key == "fonts" && !has_fonts(dir) {
        Some(format!(
            "the fonts folder `{}` holds no font files (.ttf, .otf)",
            dir.display()
        ))
    } else {
        None
    };
    match problem {
        Some(message) => {
            let mark = config.value_mark(&at);
            Err(Diagnostic::error(config_path, mark.line, message)
                .with_column(mark.column)
                .with_hint(format!(
                    "paths in {} are relative to its folder",
                    config_path.display()
                ))
                .into())
        }
        None => Ok(()),
    }
}

/// Whether `dir` holds at least one TrueType or OpenType file.
fn has_fonts(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.path()
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| x.eq_ignore_ascii_case("ttf") || x.eq_ignore_ascii_case("otf"))
        })
    })
}

/// The default fonts or templates folder of a project without a config:
/// `./fonts` or `./templates` in the working directory. Its files override
/// folio's built-in ones by name; when it is missing, the built-ins are
/// used alone (see [`crate::shipped`]), so folio works from anywhere.
fn default_dir(folder: Folder) -> PathBuf {
    PathBuf::from(folder.name())
}

fn unknown_book(name: &str, known: &[String]) -> anyhow::Error {
    Diagnostic::error(
        crate::config::CONFIG_FILE,
        0,
        format!("no book named `{name}`"),
    )
    .with_hint(format!("books defined: {}", known.join(", ")))
    .into()
}

/// `path` relative to `base` when it lies under it, so messages show short paths.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    match path.strip_prefix(base) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

/// Drops a leading `./`.
fn tidy(path: &Path) -> PathBuf {
    path.strip_prefix(".").unwrap_or(path).to_path_buf()
}
