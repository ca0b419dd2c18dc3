//! A project: the config file (if any) and the folders it names, resolved
//! to real paths, and the books it defines.

use crate::backend::Resources;
use crate::config::{BookConfig, Config, Format};
use crate::diag::Diagnostic;
use crate::yaml_spans::At;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Where everything is, once the config is read.
#[derive(Debug, Clone)]
pub struct Project {
    /// The config file, when there is one.
    pub config_path: Option<PathBuf>,
    pub config: Config,
    pub content_dir: PathBuf,
    pub static_dir: PathBuf,
    pub fonts_dir: PathBuf,
    pub templates_dir: PathBuf,
    pub output_dir: PathBuf,
    /// True when the books come from `--content` (or no config): one book of
    /// every page under the content root.
    pub whole_site: bool,
    /// The site's `data/` folder (Hugo's data files for widget templates),
    /// when there is one.
    pub data_dir: Option<PathBuf>,
    /// How pages are read, made by the first book loaded (widget templates
    /// and data files are read once per build, not once per book).
    pub parse_options:
        std::sync::Arc<std::sync::OnceLock<std::sync::Arc<crate::parse::ParseOptions>>>,
}

/// Name of the book made of a whole content folder.
pub const SITE_BOOK: &str = "site";

impl Project {
    /// Opens the project of a config file; paths in it are relative to its folder.
    pub fn from_config(path: &Path) -> Result<Project> {
        let config = Config::load(path)?;
        let root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let at = |p: &Option<PathBuf>, default: &str| -> PathBuf {
            let p = p.clone().unwrap_or_else(|| PathBuf::from(default));
            if p.is_absolute() { p } else { root.join(p) }
        };
        let content_dir = at(&config.content, "content");
        let static_dir = match &config.static_dir {
            Some(_) => at(&config.static_dir, "content"),
            None => content_dir.clone(),
        };
        let whole_site = config.books.is_empty();
        let config_path = tidy(path);
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
        Ok(Project {
            fonts_dir: at(&config.fonts, "fonts"),
            templates_dir: at(&config.templates, "templates"),
            output_dir: at(&config.output, "dist"),
            content_dir,
            static_dir,
            data_dir: config.data.as_ref().map(|_| at(&config.data, "data")),
            config_path: Some(config_path),
            config,
            whole_site,
            parse_options: Default::default(),
        })
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
                p
            }
            None => Project {
                config_path: None,
                config: Config::default(),
                content_dir: content,
                static_dir,
                fonts_dir: shipped_dir("fonts"),
                templates_dir: shipped_dir("templates"),
                output_dir: PathBuf::from("dist"),
                whole_site: true,
                data_dir: None,
                parse_options: Default::default(),
            },
        }
    }

    /// The names of the books this project builds, in a fixed order.
    pub fn book_names(&self) -> Vec<String> {
        if self.whole_site {
            vec![SITE_BOOK.to_string()]
        } else {
            self.config.books.keys().cloned().collect()
        }
    }

    /// The configuration of book `name` (a whole-site book gets one made up).
    pub fn book_config(&self, name: &str) -> Result<BookConfig> {
        if self.whole_site {
            if name != SITE_BOOK {
                return Err(unknown_book(name, &[SITE_BOOK.to_string()]));
            }
            return Ok(BookConfig {
                title: String::new(),
                formats: vec![Format::Text, Format::Pdf, Format::Epub],
                ..BookConfig::default()
            });
        }
        self.config
            .books
            .get(name)
            .cloned()
            .ok_or_else(|| unknown_book(name, &self.book_names()))
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

/// `./NAME` when the working directory has it (a project without a config),
/// else the folder folio was built from, so that `folio build --content
/// DIR` works from anywhere with the fonts and templates folio ships.
fn shipped_dir(name: &str) -> PathBuf {
    let local = PathBuf::from(name);
    if local.is_dir() {
        return local;
    }
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    if shipped.is_dir() { shipped } else { local }
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
