//! `folio.yaml`: which pages go into which book, and how each is written.
//!
//! Every struct denies unknown fields, so a typo is an error that names the
//! key and its line instead of a silently ignored setting.

use crate::diag::Diagnostic;
use crate::precheck::{self, Syntax};
use crate::yaml_spans::{At, Mark, YamlSpans, parse_typed};
use anyhow::Result;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// The name folio looks for in the working directory and its parents.
pub const CONFIG_FILE: &str = "folio.yaml";

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The Hugo site this project reads (`site: ../xmpp.org`): its
    /// configuration gives the content, static and data folders, languages,
    /// permalinks and book metadata; every other key here wins over it.
    #[serde(default)]
    pub site: Option<SiteConfig>,
    /// Content root, relative to the config file (default `content`, or the
    /// site's `contentDir`).
    #[serde(default)]
    pub content: Option<PathBuf>,
    /// Static root for `/images/...` (default: the content root).
    #[serde(default, rename = "static")]
    pub static_dir: Option<PathBuf>,
    /// Font folder (default `fonts`).
    #[serde(default)]
    pub fonts: Option<PathBuf>,
    /// Template folder (default `templates`).
    #[serde(default)]
    pub templates: Option<PathBuf>,
    /// Output folder (default `dist`).
    #[serde(default)]
    pub output: Option<PathBuf>,
    /// Defaults every book inherits.
    #[serde(default)]
    pub defaults: BookDefaults,
    /// What to do with shortcodes other than `figure`, by name (a name
    /// configured here wins over Hugo's built-in of that name, as a site's
    /// own shortcode template does in Hugo).
    #[serde(default)]
    pub shortcodes: BTreeMap<String, ShortcodeAction>,
    /// Smart punctuation as Hugo's typographer does it (curly quotes,
    /// dashes from `--` and `---`, `...` as an ellipsis). Unset: on, as in
    /// Hugo, unless the site's config says otherwise.
    #[serde(default)]
    pub typographer: Option<bool>,
    /// `:smile:` emoji codes become emoji (Hugo's `enableEmoji`). Unset:
    /// off, unless the site's config turns it on.
    #[serde(default)]
    pub emoji: Option<bool>,
    /// The site's data folder (Hugo's `data/`: JSON, YAML and TOML files)
    /// for widget templates, relative to the config file.
    #[serde(default)]
    pub data: Option<PathBuf>,
    /// The books, by name (the name becomes the output file name).
    #[serde(default)]
    pub books: BTreeMap<String, BookConfig>,
    /// Bounds on nesting, front matter and image sizes.
    #[serde(default)]
    pub limits: crate::limits::Limits,
    /// Translation settings (`i18n:`).
    #[serde(default)]
    pub i18n: I18nConfig,
    /// Where each key and list entry is in the file, for messages.
    #[serde(skip)]
    pub locations: YamlSpans,
}

/// `i18n:`: what the translation catalogs take besides the pages' text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct I18nConfig {
    /// Front-matter keys whose string values (or lists of strings) are
    /// messages too (`[summary, subtitle]`), after `title` and
    /// `description`.
    #[serde(default)]
    pub front_matter: Vec<String>,
}

/// `site:`: a Hugo site folder, written as its path or as a mapping with
/// the path and what to change of the site's own configuration.
#[derive(Debug, Clone, Default)]
pub struct SiteConfig {
    /// The site folder, relative to the config file.
    pub path: PathBuf,
    /// The title of the whole-site books (over the site's `title`).
    pub title: Option<String>,
    /// The languages whose books a plain build makes (default: every
    /// language with pages); `--lang` on the command line wins.
    pub languages: Vec<String>,
    /// Smart punctuation (over the site's Goldmark typographer setting).
    pub typographer: Option<bool>,
    /// `:emoji:` codes (over the site's `enableEmoji`).
    pub emoji: Option<bool>,
}

/// The mapping form of [`SiteConfig`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteTable {
    path: PathBuf,
    title: Option<String>,
    #[serde(default)]
    languages: Vec<String>,
    typographer: Option<bool>,
    emoji: Option<bool>,
}

impl<'de> Deserialize<'de> for SiteConfig {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<SiteConfig, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = SiteConfig;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the path of a Hugo site folder, or a mapping with `path:`")
            }

            fn visit_str<E: serde::de::Error>(self, path: &str) -> Result<SiteConfig, E> {
                Ok(SiteConfig {
                    path: PathBuf::from(path),
                    ..SiteConfig::default()
                })
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<SiteConfig, A::Error> {
                let table =
                    SiteTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(SiteConfig {
                    path: table.path,
                    title: table.title,
                    languages: table.languages,
                    typographer: table.typographer,
                    emoji: table.emoji,
                })
            }
        }
        de.deserialize_any(Visitor)
    }
}

/// Settings shared by all books unless a book overrides them.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BookDefaults {
    pub publisher: Option<String>,
    pub language: Option<String>,
    /// `ltr` or `rtl`; by default the language's (`he`, `ar`, `fa`… run
    /// right to left).
    pub direction: Option<crate::model::Direction>,
    pub base_url: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    pub rights: Option<String>,
    pub paper: Option<Paper>,
    /// Cover logo, a site-absolute path in the static root
    /// (`/images/logos/xmpp-logo-text.svg`).
    pub logo: Option<String>,
    /// Contents depth per format (see [`TocDepth`]).
    pub toc: Option<TocDepth>,
    /// Show each page's authors and date under its title (default: yes).
    pub bylines: Option<bool>,
    /// Give the EPUB a page list and page-break markers naming the pages of
    /// the book's PDF edition (default: when the book's formats include pdf).
    pub page_list: Option<bool>,
}

/// How many levels the contents list per format, chapters counting as 1
/// (2: chapters and their first heading level). Chapters always nest under
/// their sections, however deep; this bounds the headings listed under
/// each. Unset: PDF 2 (the style file's `contents.depth` + 1), EPUB 3.
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TocDepth {
    /// The printed contents (the outline lists every heading).
    pub pdf: Option<u8>,
    /// The navigation document and the NCX.
    pub epub: Option<u8>,
}

/// The deepest `toc` setting: chapters, then headings down to `h6`
/// (a chapter's first heading level is its second level).
pub const MAX_TOC_DEPTH: u8 = 6;

impl TocDepth {
    /// This book's setting over the defaults', key by key.
    pub fn or(self, defaults: Option<TocDepth>) -> TocDepth {
        let d = defaults.unwrap_or_default();
        TocDepth {
            pdf: self.pdf.or(d.pdf),
            epub: self.epub.or(d.epub),
        }
    }
}

/// One book.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BookConfig {
    pub title: String,
    pub subtitle: Option<String>,
    pub description: Option<String>,
    pub publisher: Option<String>,
    pub language: Option<String>,
    /// `ltr` or `rtl`; by default the language's.
    pub direction: Option<crate::model::Direction>,
    pub base_url: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    pub rights: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Output formats built by a plain `folio build` (default: text).
    #[serde(default)]
    pub formats: Vec<Format>,
    /// Pages in reading order, as paths relative to the content root
    /// (`about/press-kit.md`). Left out: every page, in Hugo's order
    /// (`pages: []` is an error: a book of nothing).
    #[serde(default)]
    pub pages: Vec<PathBuf>,
    pub paper: Option<Paper>,
    /// Cover logo (overrides `defaults.logo`).
    pub logo: Option<String>,
    /// Contents depth per format (overrides `defaults.toc`, key by key).
    pub toc: Option<TocDepth>,
    /// Show bylines (overrides `defaults.bylines`).
    pub bylines: Option<bool>,
    /// EPUB page list from the PDF edition (overrides `defaults.page_list`).
    pub page_list: Option<bool>,
}

/// An output format.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Pdf,
    Epub,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Pdf => "pdf",
            Format::Epub => "epub",
        }
    }
}

/// Paper size for PDF output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

/// What becomes of a shortcode folio has no model node for. Written in
/// YAML as `drop`, `inner`, `code`, `{ text: "Markdown" }` or
/// `{ template: shortcodes/NAME.md }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawAction")]
pub enum ShortcodeAction {
    /// Leave it out, inner content too.
    Drop,
    /// Keep the inner content of a paired shortcode, parsed as Markdown.
    Inner,
    /// Keep the inner content verbatim as a code block (e.g. `mermaid`).
    Code,
    /// Put this Markdown text in its place.
    Text(String),
    /// Render this minijinja template (a path in the templates folder)
    /// with the shortcode's arguments, inner content, the page's front
    /// matter, the site's params and data files, and put the Markdown it
    /// gives in its place.
    Template(PathBuf),
}

/// The YAML shapes of a [`ShortcodeAction`] (a keyword, a `text:` or a
/// `template:` map).
#[derive(Deserialize)]
#[serde(untagged)]
enum RawAction {
    Keyword(String),
    Text(TextAction),
    Template(TemplateAction),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextAction {
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateAction {
    template: PathBuf,
}

impl TryFrom<RawAction> for ShortcodeAction {
    type Error = String;

    fn try_from(raw: RawAction) -> Result<Self, String> {
        match raw {
            RawAction::Text(TextAction { text }) => Ok(ShortcodeAction::Text(text)),
            RawAction::Template(TemplateAction { template }) => {
                Ok(ShortcodeAction::Template(template))
            }
            RawAction::Keyword(k) => match k.as_str() {
                "drop" => Ok(ShortcodeAction::Drop),
                "inner" => Ok(ShortcodeAction::Inner),
                "code" => Ok(ShortcodeAction::Code),
                other => Err(format!(
                    "unknown shortcode action `{other}`, expected `drop`, `inner`, `code`, `{{ text: \"...\" }}` or `{{ template: FILE }}`"
                )),
            },
        }
    }
}

impl Config {
    /// Reads and checks a config file. Errors name the file, line and key.
    pub fn load(path: &Path) -> Result<Config> {
        if path.is_dir() {
            return Err(Diagnostic::error(path, 0, "is a folder, not a config file")
                .with_hint(format!(
                    "pass the file: {}",
                    path.join(CONFIG_FILE).display()
                ))
                .into());
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| Diagnostic::error(path, 0, "cannot read config file").with_cause(e))?;
        Self::parse(&text, path)
    }

    /// Parses config text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        // The file's own `limits:` cannot bound how it is read: the defaults do.
        precheck::check(
            text,
            Syntax::Yaml,
            &crate::limits::Limits::default(),
            path,
            1,
            "the configuration",
        )?;
        let (mut config, locations): (Config, YamlSpans) =
            parse_typed(text, path, "invalid configuration")?;
        config.locations = locations;
        config.check(path)?;
        Ok(config)
    }

    /// Where `at` is written in the file (line 0 when the file is empty).
    pub fn mark(&self, at: &At) -> Mark {
        self.locations.key(at)
    }

    /// Where the value at `at` is written.
    pub fn value_mark(&self, at: &At) -> Mark {
        self.locations.value(at)
    }

    /// Whether the file sets the key at `at`.
    pub fn has(&self, at: &At) -> bool {
        self.locations.place(at).is_some()
    }

    /// What serde cannot check: names, titles, page lists, paths that
    /// would leave their folders.
    fn check(&self, path: &Path) -> Result<()> {
        let error = |at: &At, message: String| -> Diagnostic {
            let mark = self.value_mark(at);
            Diagnostic::error(path, mark.line, message).with_column(mark.column)
        };
        if let Some(logo) = &self.defaults.logo {
            check_logo(logo).map_err(|why| error(&At::keys(&["defaults", "logo"]), why))?;
        }
        check_toc(self.defaults.toc, &At::keys(&["defaults", "toc"]), &error)?;
        if let Some(site) = &self.site {
            let at = match self.has(&At::keys(&["site", "path"])) {
                true => At::keys(&["site", "path"]),
                false => At::keys(&["site"]),
            };
            if site.path.as_os_str().is_empty() {
                return Err(error(&at, "`site:` names no folder".to_string())
                    .with_hint("give the Hugo site's folder, relative to this file")
                    .into());
            }
            for (i, code) in site.languages.iter().enumerate() {
                if !crate::hugo::languages::is_language_code(code.trim()) {
                    return Err(error(
                        &At::keys(&["site", "languages"]).item(i),
                        format!("`{code}` is not a language code"),
                    )
                    .into());
                }
            }
        }
        for (name, action) in &self.shortcodes {
            if let ShortcodeAction::Template(file) = action
                && let Some(why) = leaves_root(file)
            {
                return Err(error(
                    &At::keys(&["shortcodes", name, "template"]),
                    format!(
                        "the template of shortcode `{name}`, `{}`, {}",
                        file.display(),
                        why.replace("content folder", "templates folder")
                    ),
                )
                .with_hint("a widget template is a file in the templates folder, e.g. `shortcodes/NAME.md`")
                .into());
            }
        }
        for (name, book) in &self.books {
            let at = At::keys(&["books", name]);
            if !is_book_name(name) {
                let mark = self.mark(&at);
                return Err(Diagnostic::error(
                    path,
                    mark.line,
                    format!("invalid book name `{name}`"),
                )
                .with_column(mark.column)
                .with_hint("use letters, digits, `-` and `_`: the name becomes a file name")
                .into());
            }
            if book.title.trim().is_empty() {
                return Err(error(
                    &at.clone().key("title"),
                    format!("book `{name}` has an empty title"),
                )
                .into());
            }
            let pages = at.clone().key("pages");
            if book.pages.is_empty() && self.has(&pages) {
                return Err(error(&pages, format!("book `{name}` lists no pages"))
                    .with_hint(
                        "list its pages, or leave `pages` out to take every page of the content folder",
                    )
                    .into());
            }
            for (i, page) in book.pages.iter().enumerate() {
                if let Some(why) = leaves_root(page) {
                    return Err(error(
                        &pages.clone().item(i),
                        format!("book `{name}` lists page `{}`, {why}", page.display()),
                    )
                    .with_hint("page paths are relative to the content folder and stay inside it")
                    .into());
                }
            }
            if let Some(logo) = &book.logo {
                check_logo(logo).map_err(|why| error(&at.clone().key("logo"), why))?;
            }
            check_toc(book.toc, &at.clone().key("toc"), &error)?;
        }
        Ok(())
    }

    /// Finds `folio.yaml` in `start` or the nearest parent.
    pub fn find(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|dir| dir.join(CONFIG_FILE))
            .find(|p| p.is_file())
    }
}

/// Why a page path cannot lie in the content folder, judged by its text
/// alone (symbolic links are followed when the page is read).
pub fn leaves_root(path: &Path) -> Option<&'static str> {
    let mut depth = 0usize;
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => {
                return Some("an absolute path outside the content folder");
            }
            Component::ParentDir => {
                if depth == 0 {
                    return Some("which leaves the content folder through `..`");
                }
                depth -= 1;
            }
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
        }
    }
    (depth == 0).then_some("which names the content folder itself, not a page")
}

/// A `toc` depth is 1 (chapters only) to [`MAX_TOC_DEPTH`].
fn check_toc(
    toc: Option<TocDepth>,
    at: &At,
    error: &dyn Fn(&At, String) -> Diagnostic,
) -> Result<()> {
    let Some(toc) = toc else {
        return Ok(());
    };
    for (key, depth) in [("pdf", toc.pdf), ("epub", toc.epub)] {
        if let Some(depth) = depth.filter(|d| !(1..=MAX_TOC_DEPTH).contains(d)) {
            return Err(error(
                &at.clone().key(key),
                format!("`toc.{key}` is {depth}; it counts levels from 1 (chapters only) to {MAX_TOC_DEPTH} (headings down to h6)"),
            )
            .with_hint("2 lists chapters and their first heading level")
            .into());
        }
    }
    Ok(())
}

/// A cover logo is a path in the static root: no `..` out of it, no URL.
fn check_logo(logo: &str) -> std::result::Result<(), String> {
    let trimmed = logo.trim();
    if trimmed.is_empty() {
        return Err("the cover logo is empty".to_string());
    }
    if trimmed.contains("://") || trimmed.starts_with("//") {
        return Err(format!(
            "cover logo `{logo}` is a URL; folio reads no network: give a path in the static folder"
        ));
    }
    match leaves_root(Path::new(trimmed.trim_start_matches('/'))) {
        Some(_) => Err(format!(
            "cover logo `{logo}` is not a file inside the static folder"
        )),
        None => Ok(()),
    }
}

fn is_book_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_names_key_and_line() {
        let text = "books:\n  press-kit:\n    title: X\n    titel: Y\n";
        let err = Config::parse(text, Path::new("folio.yaml")).unwrap_err();
        let d = err.downcast_ref::<Diagnostic>().unwrap();
        assert_eq!(d.line, 4);
        assert!(
            d.cause
                .as_deref()
                .unwrap()
                .contains("unknown field `titel`"),
            "{d}"
        );
    }

    #[test]
    fn parses_books_and_shortcodes() {
        let text = "shortcodes:\n  mermaid: code\n  teams: drop\n  badge: {text: \"**new**\"}\nbooks:\n  a:\n    title: A\n    formats: [pdf, text]\n    pages: [x.md]\n";
        let c = Config::parse(text, Path::new("folio.yaml")).unwrap();
        assert_eq!(c.shortcodes["mermaid"], ShortcodeAction::Code);
        assert_eq!(
            c.shortcodes["badge"],
            ShortcodeAction::Text("**new**".into())
        );
        assert_eq!(c.books["a"].formats, vec![Format::Pdf, Format::Text]);
        let err = Config::parse("shortcodes:\n  x: keep\n", Path::new("folio.yaml")).unwrap_err();
        assert!(err.to_string().contains("folio.yaml:2"), "{err}");
    }

    #[test]
    fn page_paths_must_stay_inside() {
        for (path, inside) in [
            ("a.md", true),
            ("./a/b.md", true),
            ("a/../b.md", true),
            ("../a.md", false),
            ("a/../../b.md", false),
            ("/etc/passwd", false),
            (".", false),
            ("a/..", false),
        ] {
            assert_eq!(leaves_root(Path::new(path)).is_none(), inside, "{path}");
        }
    }

    #[test]
    fn book_errors_name_line_and_column() {
        let at = |text: &str| {
            let err = Config::parse(text, Path::new("folio.yaml")).unwrap_err();
            let d = err.downcast_ref::<Diagnostic>().unwrap().clone();
            (d.line, d.column, d.message)
        };
        let (line, column, message) = at("books:\n  a:\n    title: A\n    pages: []\n");
        assert_eq!((line, column), (4, 12));
        assert!(message.contains("lists no pages"), "{message}");
        let (line, column, _) =
            at("books:\n  a:\n    title: A\n    pages:\n      - x.md\n      - ../y.md\n");
        assert_eq!((line, column), (6, 9));
        let (line, _, message) = at("books:\n  a:\n    title: A\n  a b:\n    title: B\n");
        assert_eq!(line, 4);
        assert!(message.contains("invalid book name `a b`"), "{message}");
        let (line, _, message) = at("books:\n  a:\n    title: \"  \"\n");
        assert_eq!(line, 3);
        assert!(message.contains("empty title"), "{message}");
        let (line, _, _) = at("defaults:\n  logo: ../x.svg\n");
        assert_eq!(line, 2);
        // Leaving `pages` out is every page, not an error.
        let c = Config::parse("books:\n  a:\n    title: A\n", Path::new("f")).unwrap();
        assert!(c.books["a"].pages.is_empty());
    }
}
